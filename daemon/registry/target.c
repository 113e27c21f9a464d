#include "target.h"

#include <libconfig.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "samla/money.h"
#include "samla/text.h"

/* DOMAIN.md, "Financial targets the förbund themselves follow". */
static const struct {
    const char *metric;
    target_dir_t dir;
    double low, high;
} s_national[] = {
    {"equity_ratio", TARGET_AT_MOST, 0, 20},
    {"liquidity_ratio", TARGET_AT_LEAST, 100, 0},
    {"intervention_share", TARGET_BETWEEN, 50, 80},
    {"budget_utilisation", TARGET_AT_MOST, 0, 100},
};

static const char *const s_keys[] = {"metric", "forbund", "group", "at_least", "at_most",
                                     "between", "kind", "insats"};

const char *target_dir_name(target_dir_t d)
{
    return d == TARGET_AT_LEAST ? "at_least" : d == TARGET_AT_MOST ? "at_most" : "between";
}

const char *target_kind_name(target_kind_t k)
{
    return k == TARGET_ANNUAL ? "annual" : "ongoing";
}

/* The config's `kind`, else the metric's own (metric_grows). */
static int s_kind(const config_setting_t *e, const metric_t *m, target_t *t, const char *file,
                  samla_err_t *err)
{
    const config_setting_t *c = config_setting_get_member(e, "kind");
    const char *kind = c ? config_setting_get_string(c) : NULL;
    t->kind = metric_grows(m) ? TARGET_ANNUAL : TARGET_ONGOING;
    if (!c)
        return 0;
    if (kind && strcmp(kind, "annual") == 0)
        t->kind = TARGET_ANNUAL;
    else if (kind && strcmp(kind, "ongoing") == 0)
        t->kind = TARGET_ONGOING;
    else
        return err_set(err, "%s:%d: kind is \"annual\" or \"ongoing\"", file,
                       config_setting_source_line(c));
    return 0;
}

const char *target_scope_name(target_scope_t s)
{
    static const char *const names[] = {"default", "all", "group", "forbund"};
    return s <= TARGET_FORBUND ? names[s] : "";
}

void target_free(target_set_t *s)
{
    for (size_t i = 0; s && i < s->n; i++) {
        free(s->v[i].subject);
        free(s->v[i].insats);
    }
    if (s) {
        free(s->v);
        free(s->idx);
        memset(s, 0, sizeof *s);
    }
}

/* A bound in the metric's display unit; money and counts also exactly (öre, people). */
static int s_bound(const config_setting_t *v, const metric_t *m, double *d, int64_t *i)
{
    int type = config_setting_type(v);
    if (type != CONFIG_TYPE_INT && type != CONFIG_TYPE_INT64 && type != CONFIG_TYPE_FLOAT)
        return -1;
    *d = type == CONFIG_TYPE_FLOAT ? config_setting_get_float(v)
                                   : (double)config_setting_get_int64(v);
    if (!isfinite(*d) || fabs(*d) > (double)MONEY_MAX_ORE / 100.0)
        return -1;
    if (m->unit == UNIT_MONEY)
        *i = type == CONFIG_TYPE_FLOAT ? (int64_t)llround(*d * 100.0)
                                       : config_setting_get_int64(v) * 100;
    else if (m->unit == UNIT_COUNT) {
        if (type == CONFIG_TYPE_FLOAT || *d < 0)
            return -1; /* a number of people is a whole number */
        *i = config_setting_get_int64(v);
    }
    return 0;
}

/* The direction and bounds of one entry. */
static int s_direction(const config_setting_t *e, const metric_t *m, target_t *t,
                       const char *file, samla_err_t *err)
{
    const char *dirs[] = {"at_least", "at_most", "between"};
    const config_setting_t *found = NULL;
    int line = config_setting_source_line(e);
    for (int d = 0; d < 3; d++) {
        const config_setting_t *v = config_setting_get_member(e, dirs[d]);
        if (!v)
            continue;
        if (found)
            return err_set(err, "%s:%d: a target has one of at_least, at_most or between",
                           file, line);
        found = v;
        t->dir = (target_dir_t)(d + 1);
    }
    if (!found)
        return err_set(err, "%s:%d: the target for %s needs at_least, at_most or between",
                       file, line, m->name);
    int64_t i0 = 0, i1 = 0;
    double d0 = 0, d1 = 0;
    int vline = config_setting_source_line(found);
    if (t->dir == TARGET_BETWEEN) {
        if (!config_setting_is_array(found) || config_setting_length(found) != 2 ||
            s_bound(config_setting_get_elem(found, 0), m, &d0, &i0) ||
            s_bound(config_setting_get_elem(found, 1), m, &d1, &i1) || d0 > d1)
            return err_set(err, "%s:%d: between is [ low, high ] with low <= high, in %s",
                           file, vline, m->unit == UNIT_MONEY ? "kronor"
                                        : m->unit == UNIT_COUNT ? "whole people"
                                                                : "the metric's unit");
    } else if (s_bound(found, m, &d0, &i0)) {
        return err_set(err, "%s:%d: %s is a number in %s", file, vline,
                       target_dir_name(t->dir), m->unit == UNIT_MONEY ? "kronor"
                                                : m->unit == UNIT_COUNT ? "whole people"
                                                                        : "the metric's unit");
    }
    if (t->dir == TARGET_AT_MOST) {
        t->high = d0;
        t->high_i = i0;
    } else {
        t->low = d0;
        t->low_i = i0;
        t->high = d1;
        t->high_i = i1;
    }
    return 0;
}

/* `insats = "NAME";`: a förbund's own intervention, and a metric of its people (counts and
 * shares of the participant rows; money per intervention needs its cost area). */
static int s_insats(const config_setting_t *e, const metric_t *m, const char *orgnr,
                    target_t *t, const char *file, samla_err_t *err)
{
    const config_setting_t *c = config_setting_get_member(e, "insats");
    if (!c)
        return 0;
    int line = config_setting_source_line(c);
    const char *name = config_setting_get_string(c);
    if (!name || !*name || strlen(name) > 200 || !text_is_safe(name))
        return err_set(err, "%s:%d: insats is the intervention's name as the participant "
                            "CSV gives it", file, line);
    if (!orgnr)
        return err_set(err, "%s:%d: a target for an intervention names its förbund "
                            "(forbund = \"...\")", file, line);
    if (m->people == PEOPLE_NONE || m->unit == UNIT_KRONOR)
        return err_set(err, "%s:%d: %s is not a figure of an intervention's participants",
                       file, line, m->name);
    if (!(t->insats = strdup(name)))
        return err_set(err, "out of memory");
    return 0;
}

/* One entry of the list into t (subject owned by t). */
static int s_entry(const config_setting_t *e, const char *file, const target_names_t *names,
                   target_t *t, samla_err_t *err)
{
    int line = config_setting_source_line(e);
    memset(t, 0, sizeof *t);
    if (!config_setting_is_group(e))
        return err_set(err, "%s:%d: each target is { metric = \"...\"; at_least = ...; }",
                       file, line);
    for (int k = 0; k < config_setting_length(e); k++) {
        const config_setting_t *c = config_setting_get_elem(e, (unsigned)k);
        const char *key = config_setting_name(c);
        bool known = false;
        for (size_t j = 0; key && j < sizeof s_keys / sizeof s_keys[0]; j++)
            known |= strcmp(key, s_keys[j]) == 0;
        if (!known)
            return err_set(err, "%s:%d: unknown key '%s' in a target", file,
                           config_setting_source_line(c), key ? key : "");
    }
    const char *metric = NULL, *orgnr = NULL, *group = NULL;
    config_setting_lookup_string(e, "metric", &metric);
    config_setting_lookup_string(e, "forbund", &orgnr);
    config_setting_lookup_string(e, "group", &group);
    const metric_t *m = metric ? metric_find(metric) : NULL;
    if (!m)
        return err_set(err, "%s:%d: '%s' is not a metric (samla --help lists them)", file,
                       line, metric ? metric : "(no metric)");
    t->metric = (size_t)(m - metric_table);
    if (orgnr && group)
        return err_set(err, "%s:%d: a target is for one förbund or one group, not both", file,
                       line);
    char canon[12];
    if (orgnr && !names->forbund(names->arg, orgnr, canon))
        return err_set(err, "%s:%d: target for %s: not the orgnr of a registered förbund",
                       file, line, orgnr);
    if (group && !names->group(names->arg, group))
        return err_set(err, "%s:%d: target for group '%s': no such group", file, line, group);
    t->scope = orgnr ? TARGET_FORBUND : group ? TARGET_GROUP : TARGET_ALL;
    if ((orgnr || group) && !(t->subject = strdup(orgnr ? canon : group)))
        return err_set(err, "out of memory");
    if (s_insats(e, m, orgnr, t, file, err) || s_direction(e, m, t, file, err) ||
        s_kind(e, m, t, file, err)) {
        free(t->subject);
        free(t->insats);
        t->subject = t->insats = NULL;
        return -1;
    }
    return 0;
}

static bool s_eq(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

static bool s_same(const target_t *a, const target_t *b)
{
    return a->scope == b->scope && a->metric == b->metric && s_eq(a->subject, b->subject) &&
           s_eq(a->insats, b->insats);
}

/* The index's order: metric, scope, subject (none first). */
static int s_order(const target_t *a, const target_t *b)
{
    if (a->metric != b->metric)
        return a->metric < b->metric ? -1 : 1;
    if (a->scope != b->scope)
        return a->scope < b->scope ? -1 : 1;
    return strcmp(a->subject ? a->subject : "", b->subject ? b->subject : "");
}

static int s_cmp_ptr(const void *a, const void *b)
{
    return s_order(*(const target_t *const *)a, *(const target_t *const *)b);
}

/* Builds s->idx and s->first (target_set_t). -1 when memory is gone. */
static int s_index(target_set_t *s)
{
    size_t n = 0;
    if (!(s->idx = calloc(s->n + 1, sizeof *s->idx)))
        return -1;
    for (size_t i = 0; i < s->n; i++)
        if (!s->v[i].insats && s->v[i].metric < METRIC_MAX)
            s->idx[n++] = &s->v[i];
    qsort(s->idx, n, sizeof *s->idx, s_cmp_ptr);
    size_t j = 0;
    for (size_t k = 0; k <= METRIC_MAX; k++) {
        s->first[k] = j;
        while (j < n && s->idx[j]->metric == k)
            j++;
    }
    return 0;
}

/* Metric k's target of one scope and subject in the index, or NULL. */
static const target_t *s_find(const target_set_t *s, size_t k, target_scope_t scope,
                              const char *subject)
{
    target_t key = {.metric = k, .scope = scope, .subject = (char *)subject};
    const target_t *kp = &key;
    const target_t **hit = bsearch(&kp, s->idx + s->first[k], s->first[k + 1] - s->first[k],
                                   sizeof *s->idx, s_cmp_ptr);
    return hit ? *hit : NULL;
}

int target_load(const void *list_, const char *file, const target_names_t *names,
                target_set_t *out, samla_err_t *err)
{
    const config_setting_t *list = list_;
    size_t nd = sizeof s_national / sizeof s_national[0];
    size_t n = list && config_setting_is_list(list) ? (size_t)config_setting_length(list) : 0;
    memset(out, 0, sizeof *out);
    if (list && !config_setting_is_list(list))
        return err_set(err, "%s:%d: 'targets' must be a list ( { metric = ...; at_least = "
                            "...; } )", file, config_setting_source_line(list));
    if (!(out->v = calloc(nd + n, sizeof *out->v)))
        return err_set(err, "out of memory");
    for (size_t i = 0; i < nd; i++) {
        target_t *t = &out->v[out->n++];
        const metric_t *m = metric_find(s_national[i].metric);
        t->scope = TARGET_DEFAULT;
        t->kind = TARGET_ONGOING; /* ratios, judged every month */
        t->metric = (size_t)(m - metric_table);
        t->dir = s_national[i].dir;
        t->low = s_national[i].low;
        t->high = s_national[i].high;
    }
    for (size_t i = 0; i < n; i++) {
        const config_setting_t *e = config_setting_get_elem(list, (unsigned)i);
        target_t *t = &out->v[out->n];
        if (s_entry(e, file, names, t, err)) {
            target_free(out);
            return -1;
        }
        out->n++;
        for (size_t j = nd; j + 1 < out->n; j++)
            if (s_same(&out->v[j], t)) {
                err_set(err, "%s:%d: a second target for %s%s%s", file,
                        config_setting_source_line(e), metric_table[t->metric].name,
                        t->subject ? " and " : "", t->subject ? t->subject : "");
                target_free(out);
                return -1;
            }
    }
    if (s_index(out)) {
        target_free(out);
        return err_set(err, "out of memory");
    }
    return 0;
}

const target_t *target_for(const target_set_t *s, size_t k, const char *orgnr,
                           const char *group)
{
    if (!s || !s->idx || k >= METRIC_MAX || s->first[k] == s->first[k + 1])
        return NULL;
    const target_t *t = orgnr ? s_find(s, k, TARGET_FORBUND, orgnr) : NULL;
    if (!t && group)
        t = s_find(s, k, TARGET_GROUP, group);
    if (!t)
        t = s_find(s, k, TARGET_ALL, NULL);
    return t ? t : s_find(s, k, TARGET_DEFAULT, NULL);
}

const target_t *target_insats(const target_set_t *s, const char *orgnr, size_t i)
{
    for (size_t j = 0; s && orgnr && j < s->n; j++) {
        const target_t *t = &s->v[j];
        if (t->insats && t->subject && strcmp(t->subject, orgnr) == 0 && i-- == 0)
            return t;
    }
    return NULL;
}

int target_met_display(const target_t *t, bool has, double v)
{
    if (!has)
        return -1;
    switch (t->dir) {
    case TARGET_AT_LEAST: return v >= t->low;
    case TARGET_AT_MOST: return v <= t->high;
    default: return v >= t->low && v <= t->high;
    }
}

int target_met(const target_t *t, metric_value_t v)
{
    const metric_t *m = &metric_table[t->metric];
    if (!v.present)
        return -1;
    if (m->unit != UNIT_MONEY && m->unit != UNIT_COUNT)
        return target_met_display(t, true, v.d);
    /* exact: öre and people as integers */
    switch (t->dir) {
    case TARGET_AT_LEAST: return v.i >= t->low_i;
    case TARGET_AT_MOST: return v.i <= t->high_i;
    default: return v.i >= t->low_i && v.i <= t->high_i;
    }
}

void target_judge_display(const target_t *t, bool has, double v, int month,
                          target_verdict_t *out)
{
    memset(out, 0, sizeof *out);
    out->met = -1;
    if (!has)
        return;
    if (t->kind == TARGET_ANNUAL && month >= 1 && month < 12) {
        out->projected = true;
        out->projection = v * 12.0 / month;
        out->on_track = target_met_display(t, true, out->projection) == 1;
        return;
    }
    out->met = target_met_display(t, true, v);
}

void target_judge(const target_t *t, metric_value_t v, int month, target_verdict_t *out)
{
    if (t->kind == TARGET_ANNUAL && month >= 1 && month < 12) {
        target_judge_display(t, v.present, metric_display(&metric_table[t->metric], v),
                             month, out);
        return;
    }
    memset(out, 0, sizeof *out);
    out->met = target_met(t, v); /* on the exact value: öre, people */
}
