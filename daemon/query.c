#include "query.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zmq.h>

#include "samla/log.h"
#include "samla/metrics.h"
#include "samla/mshow.h"
#include "samla/money.h"
#include "samla/period.h"
#include "samla/stats.h"

#include "breakdown.h"
#include "consolidate.h"
#include "samla/wire.h"

/* Most months one trend may span: ten years. */
#define QUERY_MAX_MONTHS 120
/* Most years one overview may span. */
#define S_OVERVIEW_MAX_YEARS 20

/* --- who asks, about which förbund -------------------------------------------------- */

typedef struct {
    store_t *store;
    const registry_t *reg;
    const char *label;     /* the name the answer carries: the group's, or the region's */
    const char *group;     /* the group's key in the store */
    size_t *members;       /* registry indexes of the group's förbund, sorted by orgnr */
    const char **owners;   /* their orgnr, for cons_aggregate */
    size_t n;
    cons_viewer_t viewer;
    arena_t *a;
    char *why;
    size_t wsize;
} s_ctx_t;

static int s_usage(s_ctx_t *x, const char *msg)
{
    snprintf(x->why, x->wsize, "%s", msg);
    return SAMLA__V1__ERROR_CODE__ERR_USAGE;
}

static int s_unavailable(s_ctx_t *x)
{
    snprintf(x->why, x->wsize, "the store could not answer; try again");
    return SAMLA__V1__ERROR_CODE__ERR_UNAVAILABLE;
}

static const char *s_status_of(unsigned revision, period_t p)
{
    return revision == 0 ? "missing" : p.month == 12 ? "final" : "preliminary";
}

/* --- one period's metric values from layer 3 ---------------------------------------- */

typedef struct {
    const registry_t *reg;
    cons_row_t *rows; /* [registry index] */
} s_slots_t;

static cons_row_t *s_slot(void *arg, const char *orgnr)
{
    s_slots_t *s = arg;
    long i = registry_forbund_index(s->reg, orgnr);
    return i >= 0 ? &s->rows[i] : NULL;
}

/* The latest values of every registered förbund for period p (`metric` >= 0: only that
 * metric), rows[i] for registry index i; a förbund that did not report has revision 0. */
static cons_row_t *s_rows(s_ctx_t *x, period_t p, int metric)
{
    size_t nf = registry_forbund_count(x->reg);
    cons_row_t *rows = arena_alloc(x->a, nf + 1, sizeof *rows);
    char period[8];
    samla_err_t err;
    if (!rows)
        return NULL;
    period_format(p, period, sizeof period);
    s_slots_t s = {x->reg, rows};
    if (store_period(x->store, period, metric, s_slot, &s, &err)) {
        log_event(LOG_LVL_ERROR, "query.store", "reason=\"%s\"", err.msg);
        return NULL;
    }
    return rows;
}

/* The group's rows in member order, NULL for a member that did not report. */
static const cons_row_t **s_member_rows(s_ctx_t *x, cons_row_t *rows)
{
    const cons_row_t **v = arena_alloc(x->a, x->n + 1, sizeof *v);
    for (size_t j = 0; v && j < x->n; j++)
        v[j] = rows[x->members[j]].revision ? &rows[x->members[j]] : NULL;
    return v;
}

static Samla__V1__MetricValue *s_shown(arena_t *a, const metric_t *m, metric_value_t v,
                                       bool hide)
{
    Samla__V1__MetricValue *mv = arena_alloc(a, 1, sizeof *mv);
    if (!mv)
        return NULL;
    samla__v1__metric_value__init(mv);
    mv->name = (char *)m->name;
    if (hide) {
        mv->has_suppressed = 1;
        mv->suppressed = 1;
        return mv;
    }
    if (!v.present)
        return mv;
    switch (m->unit) {
    case UNIT_MONEY: mv->has_ore = 1; mv->ore = v.i; break;
    case UNIT_COUNT: mv->has_count = 1; mv->count = v.i; break;
    default: mv->has_value = 1; mv->value = v.d; break;
    }
    return mv;
}

/* One förbund's value of metric k as the viewer may see it. */
static Samla__V1__MetricValue *s_cell(s_ctx_t *x, size_t k, const char *orgnr,
                                      const cons_row_t *row)
{
    const metric_t *m = &metric_table[k];
    if (!row || !row->revision)
        return s_shown(x->a, m, (metric_value_t){0}, false);
    return s_shown(x->a, m, row->v[k], cons_hidden(&x->viewer, k, orgnr, row));
}

static Samla__V1__Aggregate *s_aggregate(s_ctx_t *x, size_t k, const cons_row_t **now,
                                         const cons_row_t **before, unsigned *ranks)
{
    const metric_t *m = &metric_table[k];
    cons_agg_t rg, prg;
    Samla__V1__Aggregate *ag = arena_alloc(x->a, 1, sizeof *ag);
    if (!ag || cons_aggregate(k, now, x->owners, x->n, &x->viewer, &rg, ranks) ||
        cons_aggregate(k, before, x->owners, x->n, &x->viewer, &prg, NULL))
        return NULL;
    samla__v1__aggregate__init(ag);
    ag->name = (char *)m->name;
    ag->count = (uint32_t)rg.st.count;
    if (rg.st.count) {
        ag->has_sum = metric_summable(m);
        ag->sum = rg.st.sum;
        ag->has_median = ag->has_mean = ag->has_min = ag->has_max = 1;
        ag->median = rg.st.median;
        ag->mean = rg.st.mean;
        ag->min = rg.st.min;
        ag->max = rg.st.max;
    }
    ag->has_withheld = rg.withheld > 0;
    ag->withheld = rg.withheld;
    ag->has_previous_withheld = prg.withheld > 0;
    ag->previous_withheld = prg.withheld;
    ag->has_region = rg.has_region;
    ag->region = rg.region;
    ag->has_previous_region = prg.has_region;
    ag->previous_region = prg.region;
    return ag;
}

/* The target of metric k for a förbund (orgnr) or the group (orgnr NULL), with whether
 * the value meets it (met: 1, 0, or -1 for no value or one the viewer may not see); NULL
 * when there is no target. */
static Samla__V1__Target *s_target(s_ctx_t *x, size_t k, const char *orgnr, int met)
{
    const target_t *t = target_for(registry_targets(x->reg), k, orgnr, x->group);
    if (!t)
        return NULL;
    Samla__V1__Target *o = arena_alloc(x->a, 1, sizeof *o);
    if (!o)
        return NULL;
    samla__v1__target__init(o);
    o->metric = (char *)metric_table[k].name;
    o->direction = (Samla__V1__TargetDirection)t->dir;
    o->has_low = t->dir != TARGET_AT_MOST;
    o->low = t->low;
    o->has_high = t->dir != TARGET_AT_LEAST;
    o->high = t->high;
    o->scope = (char *)target_scope_name(t->scope);
    o->has_met = met >= 0;
    o->met = met > 0;
    return o;
}

static int s_met(s_ctx_t *x, size_t k, const char *orgnr, const cons_row_t *row)
{
    const target_t *t = target_for(registry_targets(x->reg), k, orgnr, x->group);
    if (!t || !row || !row->revision || cons_hidden(&x->viewer, k, orgnr, row))
        return -1;
    return target_met(t, row->v[k]);
}

/* The targets of a förbund's row (orgnr) or of the group (aggs given), for the metrics
 * shown; 0, or -1 when memory is gone. */
static int s_targets(s_ctx_t *x, int only, const char *orgnr, const cons_row_t *row,
                     Samla__V1__Aggregate *const *aggs, Samla__V1__Target ***out, size_t *n)
{
    size_t nm = only >= 0 ? 1 : metric_count;
    Samla__V1__Target **v = arena_alloc(x->a, nm, sizeof *v);
    if (!v)
        return -1;
    *n = 0;
    for (size_t i = 0; i < nm; i++) {
        size_t k = only >= 0 ? (size_t)only : i;
        int met = -1;
        if (orgnr) {
            met = s_met(x, k, orgnr, row);
        } else {
            const target_t *t = target_for(registry_targets(x->reg), k, NULL, x->group);
            if (t && aggs[i]->has_region)
                met = target_met_display(t, true, aggs[i]->region);
        }
        Samla__V1__Target *t = s_target(x, k, orgnr, met);
        if (t)
            v[(*n)++] = t;
    }
    *out = v;
    return x->a->failed ? -1 : 0;
}

/* What a Compare carries besides the month's values and aggregates. */
enum {
    S_WITH_TARGETS = 1,  /* each förbund's and the group's targets */
    S_WITH_PREVIOUS = 2, /* each förbund's values of the same month a year earlier */
};

/* A Compare for period p: every member of the group, the chosen metrics (all, or the
 * metric index `only`), aggregates (with last year's region figure) and ranks, and what
 * `with` asks for. */
static Samla__V1__Compare *s_build_compare(s_ctx_t *x, period_t p, int only, int with)
{
    bool targets = with & S_WITH_TARGETS, previous = with & S_WITH_PREVIOUS;
    period_t py = {p.year - 1, p.month};
    cons_row_t *rows = s_rows(x, p, only), *prows = s_rows(x, py, only);
    if (!rows || !prows)
        return NULL;
    size_t nm = only >= 0 ? 1 : metric_count;
    const cons_row_t **now = s_member_rows(x, rows), **before = s_member_rows(x, prows);
    Samla__V1__Compare *c = arena_alloc(x->a, 1, sizeof *c);
    Samla__V1__ForbundFigures **out = arena_alloc(x->a, x->n + 1, sizeof *out);
    Samla__V1__Aggregate **aggs = arena_alloc(x->a, nm, sizeof *aggs);
    unsigned *ranks = arena_alloc(x->a, x->n + 1, sizeof *ranks);
    char *period = arena_alloc(x->a, 8, 1);
    if (!now || !before || !c || !out || !aggs || !ranks || !period)
        return NULL;
    samla__v1__compare__init(c);
    period_format(p, period, 8);
    for (size_t j = 0; j < x->n; j++) {
        const member_t *mb = registry_forbund(x->reg, x->members[j]);
        Samla__V1__ForbundFigures *row = arena_alloc(x->a, 1, sizeof *row);
        Samla__V1__MetricValue **vals = arena_alloc(x->a, nm, sizeof *vals);
        Samla__V1__MetricValue **pvals = previous ? arena_alloc(x->a, nm, sizeof *pvals) : NULL;
        if (!row || !vals || (previous && !pvals))
            return NULL;
        samla__v1__forbund_figures__init(row);
        row->orgnr = (char *)mb->orgnr;
        row->name = mb->name;
        row->has_revision = row->has_previous_revision = 1;
        row->revision = now[j] ? now[j]->revision : 0;
        row->previous_revision = before[j] ? before[j]->revision : 0;
        row->status = (char *)s_status_of(row->revision, p);
        for (size_t i = 0; i < nm; i++) {
            size_t k = only >= 0 ? (size_t)only : i;
            if (!(vals[i] = s_cell(x, k, mb->orgnr, now[j])) ||
                (previous && !(pvals[i] = s_cell(x, k, mb->orgnr, before[j]))))
                return NULL;
        }
        row->n_metrics = nm;
        row->n_previous_year = previous ? nm : 0;
        row->metrics = vals;
        row->previous_year = pvals;
        if (targets && s_targets(x, only, mb->orgnr, now[j], NULL, &row->targets,
                                 &row->n_targets))
            return NULL;
        out[j] = row;
    }
    for (size_t i = 0; i < nm; i++) {
        size_t k = only >= 0 ? (size_t)only : i;
        if (!(aggs[i] = s_aggregate(x, k, now, before, only >= 0 ? ranks : NULL)))
            return NULL;
    }
    if (only >= 0)
        for (size_t j = 0; j < x->n; j++)
            if (ranks[j]) {
                out[j]->has_rank = 1;
                out[j]->rank = ranks[j];
            }
    if (targets && s_targets(x, only, NULL, NULL, aggs, &c->targets, &c->n_targets))
        return NULL;
    c->period = period;
    c->region = (char *)x->label;
    c->n_forbund = x->n;
    c->forbund = out;
    c->n_aggregates = nm;
    c->aggregates = aggs;
    return c;
}

/* --- the four queries --------------------------------------------------------------- */

static int q_compare(s_ctx_t *x, const Samla__V1__Query *q, Samla__V1__Reply *reply)
{
    period_t p;
    if (!q->period || period_parse(q->period, &p))
        return s_usage(x, "compare needs a period YYYY-MM");
    const metric_t *only = NULL;
    if (q->metric && !(only = metric_find(q->metric)))
        return s_usage(x, "unknown metric");
    reply->compare = s_build_compare(x, p, only ? (int)(only - metric_table) : -1,
                                     S_WITH_TARGETS | S_WITH_PREVIOUS);
    return reply->compare ? 0 : s_unavailable(x);
}

static Samla__V1__Overview *s_build_overview(s_ctx_t *x, const member_t *mb, int last, int n);

static int q_export(s_ctx_t *x, const Samla__V1__Query *q, Samla__V1__Reply *reply)
{
    if (!q->has_year || q->year < 1900 || q->year > 2999)
        return s_usage(x, "export needs a year YYYY");
    if (q->has_years && (q->years < 1 || q->years > S_OVERVIEW_MAX_YEARS))
        return s_usage(x, "--years is 1 to 20");
    Samla__V1__Export *e = arena_alloc(x->a, 1, sizeof *e);
    Samla__V1__Compare **months = arena_alloc(x->a, 12, sizeof *months);
    if (!e || !months)
        return s_unavailable(x);
    samla__v1__export__init(e);
    for (int m = 1; m <= 12; m++)
        if (!(months[m - 1] = s_build_compare(x, (period_t){(int)q->year, m}, -1, 0)))
            return s_unavailable(x);
    e->year = q->year;
    e->region = (char *)x->label;
    e->n_months = 12;
    e->months = months;
    if (q->has_years) {
        if (!(e->overviews = arena_alloc(x->a, x->n + 1, sizeof *e->overviews)))
            return s_unavailable(x);
        for (size_t j = 0; j < x->n; j++)
            if (!(e->overviews[e->n_overviews++] = s_build_overview(
                      x, registry_forbund(x->reg, x->members[j]), (int)q->year, (int)q->years)))
                return s_unavailable(x);
    }
    reply->export = e;
    return 0;
}

typedef struct {
    s_ctx_t *x;
    Samla__V1__ForbundStatus **rows; /* [member] */
    int year;
} s_status_t;

static void s_status_row(void *arg, const char *orgnr, const char *period, unsigned revisions,
                         const char *last, const char *flag)
{
    s_status_t *st = arg;
    period_t p;
    if (period_parse(period, &p) || p.year != st->year)
        return;
    for (size_t j = 0; j < st->x->n; j++) {
        Samla__V1__ForbundStatus *row = st->rows[j];
        if (strcmp(row->orgnr, orgnr) != 0)
            continue;
        Samla__V1__MonthStatus *ms = row->months[p.month - 1];
        ms->has_revisions = 1;
        ms->revisions = revisions;
        ms->last_received = arena_strdup(st->x->a, last);
        if (flag)
            ms->flag = arena_strdup(st->x->a, flag);
        if (!row->last_received || strcmp(last, row->last_received) > 0)
            row->last_received = ms->last_received;
    }
}

static int q_status(s_ctx_t *x, const Samla__V1__Query *q, Samla__V1__Reply *reply)
{
    if (!q->has_year || q->year < 1900 || q->year > 2999)
        return s_usage(x, "status needs a year YYYY");
    Samla__V1__Status *s = arena_alloc(x->a, 1, sizeof *s);
    Samla__V1__ForbundStatus **rows = arena_alloc(x->a, x->n + 1, sizeof *rows);
    char *now = arena_alloc(x->a, 24, 1);
    if (!s || !rows || !now)
        return s_unavailable(x);
    samla__v1__status__init(s);
    for (size_t j = 0; j < x->n; j++) {
        const member_t *mb = registry_forbund(x->reg, x->members[j]);
        Samla__V1__ForbundStatus *row = arena_alloc(x->a, 1, sizeof *row);
        Samla__V1__MonthStatus **months = arena_alloc(x->a, 12, sizeof *months);
        if (!row || !months)
            return s_unavailable(x);
        samla__v1__forbund_status__init(row);
        row->orgnr = (char *)mb->orgnr;
        row->name = mb->name;
        for (int m = 0; m < 12; m++) {
            Samla__V1__MonthStatus *ms = arena_alloc(x->a, 1, sizeof *ms);
            char *period = arena_alloc(x->a, 8, 1);
            if (!ms || !period)
                return s_unavailable(x);
            samla__v1__month_status__init(ms);
            period_format((period_t){(int)q->year, m + 1}, period, 8);
            ms->period = period;
            months[m] = ms;
        }
        row->n_months = 12;
        row->months = months;
        rows[j] = row;
    }
    char from[8], to[8];
    period_format((period_t){(int)q->year, 1}, from, sizeof from);
    period_format((period_t){(int)q->year, 12}, to, sizeof to);
    s_status_t st = {x, rows, (int)q->year};
    samla_err_t err;
    if (store_status(x->store, from, to, s_status_row, &st, &err)) {
        log_event(LOG_LVL_ERROR, "query.store", "reason=\"%s\"", err.msg);
        return s_unavailable(x);
    }
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(now, 24, "%Y-%m-%dT%H:%M:%SZ", &tm);
    s->year = q->year;
    s->region = (char *)x->label;
    s->n_forbund = x->n;
    s->forbund = rows;
    s->generated_at = now;
    reply->status = s;
    return x->a->failed ? s_unavailable(x) : 0;
}

/* A trend's months: points[i] for the i-th month from `from`. */
typedef struct {
    period_t from;
    int months;
    Samla__V1__TrendPoint **points;
    cons_row_t *own; /* [month] */
} s_trend_t;

static int s_month_index(const s_trend_t *t, const char *period)
{
    period_t p;
    if (period_parse(period, &p))
        return -1;
    int i = (p.year - t->from.year) * 12 + p.month - t->from.month;
    return i >= 0 && i < t->months ? i : -1;
}

static void s_trend_own(void *arg, const char *period, const cons_row_t *row)
{
    s_trend_t *t = arg;
    int i = s_month_index(t, period);
    if (i >= 0)
        t->own[i] = *row;
}

static void s_trend_group(void *arg, const char *period, const cons_agg_t *agg)
{
    s_trend_t *t = arg;
    int i = s_month_index(t, period);
    if (i < 0)
        return;
    Samla__V1__TrendPoint *pt = t->points[i];
    pt->region_count = (uint32_t)agg->st.count;
    pt->has_region_median = agg->st.count > 0;
    pt->region_median = agg->st.median;
}

/* The group's median of metric k for one month as this viewer may see it, from the
 * month's values (a förbund key: what it may not see is left out). */
static int s_trend_visible(s_ctx_t *x, size_t k, period_t p, Samla__V1__TrendPoint *pt)
{
    cons_row_t *rows = s_rows(x, p, (int)k);
    const cons_row_t **v = rows ? s_member_rows(x, rows) : NULL;
    cons_agg_t agg;
    if (!v || cons_aggregate(k, v, x->owners, x->n, &x->viewer, &agg, NULL))
        return -1;
    pt->region_count = (uint32_t)agg.st.count;
    pt->has_region_median = agg.st.count > 0;
    pt->region_median = agg.st.median;
    pt->has_region_withheld = agg.withheld > 0;
    pt->region_withheld = agg.withheld;
    return 0;
}

/* trend --revision N: the month's figures of that revision, with the population the
 * registry gives now. */
static int s_trend_revision(s_ctx_t *x, const member_t *mb, period_t p, unsigned revision,
                            cons_row_t *own)
{
    char period[8];
    period_format(p, period, sizeof period);
    figures_t f;
    unsigned got = 0;
    samla_err_t err;
    int found = store_figures(x->store, mb->orgnr, period, revision, &f, &got, &err);
    if (found < 0)
        return -1;
    if (found)
        cons_row(&f, got, p.month, mb->population, own);
    else
        memset(own, 0, sizeof *own);
    return 0;
}

static int q_trend(s_ctx_t *x, const Samla__V1__Query *q, Samla__V1__Reply *reply)
{
    const metric_t *m = q->metric ? metric_find(q->metric) : NULL;
    if (!m)
        return s_usage(x, "trend needs a known --metric");
    size_t k = (size_t)(m - metric_table);
    long idx = q->orgnr ? registry_forbund_index(x->reg, q->orgnr) : -1;
    if (idx < 0)
        return s_usage(x, "trend needs the --orgnr of a registered förbund");
    period_t from, to;
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    to = (period_t){tm.tm_year + 1900, tm.tm_mon + 1};
    if (q->to && period_parse(q->to, &to))
        return s_usage(x, "--to must be YYYY-MM");
    from = (period_t){to.year, 1};
    if (q->from && period_parse(q->from, &from))
        return s_usage(x, "--from must be YYYY-MM");
    int months = (to.year - from.year) * 12 + to.month - from.month + 1;
    if (months < 1 || months > QUERY_MAX_MONTHS)
        return s_usage(x, "--from must come before --to, at most 120 months apart");
    const member_t *mb = registry_forbund(x->reg, (size_t)idx);
    Samla__V1__Trend *tr = arena_alloc(x->a, 1, sizeof *tr);
    s_trend_t t = {from, months, arena_alloc(x->a, (size_t)months, sizeof *t.points),
                   arena_alloc(x->a, (size_t)months, sizeof *t.own)};
    if (!tr || !t.points || !t.own)
        return s_unavailable(x);
    samla__v1__trend__init(tr);
    for (int i = 0; i < months; i++) {
        Samla__V1__TrendPoint *pt = arena_alloc(x->a, 1, sizeof *pt);
        char *period = arena_alloc(x->a, 8, 1);
        if (!pt || !period)
            return s_unavailable(x);
        samla__v1__trend_point__init(pt);
        period_format((period_t){from.year + (from.month - 1 + i) / 12,
                                 (from.month - 1 + i) % 12 + 1}, period, 8);
        pt->period = period;
        pt->has_region_count = 1;
        t.points[i] = pt;
    }
    char f0[8], f1[8];
    period_format(from, f0, sizeof f0);
    period_format(to, f1, sizeof f1);
    samla_err_t err;
    /* An analyst sees what the store keeps for everyone; a förbund key gets the medians
     * of what it may see, month by month. */
    bool everything = !x->viewer.orgnr || x->viewer.threshold <= 0;
    if (store_own(x->store, mb->orgnr, k, f0, f1, s_trend_own, &t, &err) ||
        (everything && store_group_range(x->store, x->group, k, f0, f1, s_trend_group, &t,
                                         &err))) {
        log_event(LOG_LVL_ERROR, "query.store", "reason=\"%s\"", err.msg);
        return s_unavailable(x);
    }
    for (int i = 0; i < months; i++) {
        Samla__V1__TrendPoint *pt = t.points[i];
        period_t p = {from.year + (from.month - 1 + i) / 12, (from.month - 1 + i) % 12 + 1};
        if (!everything && s_trend_visible(x, k, p, pt))
            return s_unavailable(x);
        if (q->has_revision && q->revision > 0 &&
            s_trend_revision(x, mb, p, q->revision, &t.own[i]))
            return s_unavailable(x);
        pt->has_revision = 1;
        pt->revision = t.own[i].revision;
        pt->status = (char *)s_status_of(t.own[i].revision, p);
        if (!(pt->value = s_cell(x, k, mb->orgnr, &t.own[i])))
            return s_unavailable(x);
        pt->target = s_target(x, k, mb->orgnr, s_met(x, k, mb->orgnr, &t.own[i]));
    }
    tr->orgnr = (char *)mb->orgnr;
    tr->name = mb->name;
    tr->metric = (char *)m->name;
    tr->n_points = (size_t)months;
    tr->points = t.points;
    reply->trend = tr;
    return x->a->failed ? s_unavailable(x) : 0;
}

/* --- the driftsredovisning of one förbund ------------------------------------------- */

/* Sums of a set of areas; an amount some area lacks (or that overflows) is left out. */
typedef struct {
    const char *key;
    int64_t outcome, income, budget, budget_year, forecast;
    bool bad_sum, no_budget_year, no_forecast;
    size_t n;
} s_total_t;

static void s_add_to(s_total_t *t, const store_area_t *a)
{
    t->n++;
    t->bad_sum |= money_add(&t->outcome, a->outcome) || money_add(&t->income, a->income) ||
                  money_add(&t->budget, a->budget);
    t->no_budget_year |= !a->has_budget_year || money_add(&t->budget_year, a->budget_year);
    t->no_forecast |= !a->has_forecast || money_add(&t->forecast, a->forecast);
}

typedef struct {
    s_ctx_t *x;
    Samla__V1__AreaFigures **v;
    size_t n, cap;
    s_total_t totals[5]; /* all, admin, structural, individual, other */
} s_areas_t;

static void s_area(void *arg, const store_area_t *a)
{
    s_areas_t *r = arg;
    if (r->n == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 64;
        Samla__V1__AreaFigures **v = arena_alloc(r->x->a, cap, sizeof *v);
        if (!v)
            return;
        if (r->n)
            memcpy(v, r->v, r->n * sizeof *v);
        r->v = v;
        r->cap = cap;
    }
    Samla__V1__AreaFigures *f = arena_alloc(r->x->a, 1, sizeof *f);
    if (!f)
        return;
    samla__v1__area_figures__init(f);
    f->code = arena_strdup(r->x->a, a->code);
    f->name = arena_strdup(r->x->a, a->name);
    f->class_ = arena_strdup(r->x->a, a->class_name);
    f->has_outcome = f->has_income = f->has_budget = 1;
    f->outcome = a->outcome;
    f->income = a->income;
    f->budget = a->budget;
    f->has_budget_year = a->has_budget_year;
    f->budget_year = a->budget_year;
    f->has_forecast = a->has_forecast;
    f->forecast = a->forecast;
    r->v[r->n++] = f;
    s_add_to(&r->totals[0], a);
    for (size_t k = 1; k < 5; k++)
        if (strcmp(r->totals[k].key, a->class_name) == 0)
            s_add_to(&r->totals[k], a);
}

static Samla__V1__AreaTotal *s_area_total(arena_t *a, const s_total_t *t)
{
    Samla__V1__AreaTotal *o = arena_alloc(a, 1, sizeof *o);
    if (!o)
        return NULL;
    samla__v1__area_total__init(o);
    o->key = (char *)t->key;
    o->has_outcome = o->has_income = o->has_budget = !t->bad_sum;
    o->outcome = t->outcome;
    o->income = t->income;
    o->budget = t->budget;
    o->has_budget_year = !t->bad_sum && !t->no_budget_year && t->n > 0;
    o->budget_year = t->budget_year;
    o->has_forecast = !t->no_forecast && t->n > 0;
    o->forecast = t->forecast;
    return o;
}

static int q_areas(s_ctx_t *x, const Samla__V1__Query *q, Samla__V1__Reply *reply)
{
    period_t p;
    if (!q->period || period_parse(q->period, &p))
        return s_usage(x, "areas needs a period YYYY-MM");
    long idx = q->orgnr ? registry_forbund_index(x->reg, q->orgnr) : -1;
    if (idx < 0)
        return s_usage(x, "areas needs the --orgnr of a registered förbund");
    const member_t *mb = registry_forbund(x->reg, (size_t)idx);
    s_areas_t r = {.x = x,
                   .totals = {{.key = "all"}, {.key = "admin"}, {.key = "structural"},
                              {.key = "individual"}, {.key = "other"}}};
    Samla__V1__Areas *out = arena_alloc(x->a, 1, sizeof *out);
    char *period = arena_alloc(x->a, 8, 1);
    Samla__V1__AreaTotal **totals = arena_alloc(x->a, 5, sizeof *totals);
    unsigned revision = 0;
    samla_err_t err;
    if (!out || !period || !totals)
        return s_unavailable(x);
    period_format(p, period, 8);
    if (store_areas(x->store, mb->orgnr, period, s_area, &r, &revision, &err)) {
        log_event(LOG_LVL_ERROR, "query.store", "reason=\"%s\"", err.msg);
        return s_unavailable(x);
    }
    samla__v1__areas__init(out);
    out->orgnr = (char *)mb->orgnr;
    out->name = mb->name;
    out->period = period;
    out->has_revision = 1;
    out->revision = revision;
    out->n_areas = r.n;
    out->areas = r.v;
    for (size_t k = 0; k < 5; k++)
        if ((k == 0 || r.totals[k].n) && !(totals[out->n_totals++] = s_area_total(x->a,
                                                                                  &r.totals[k])))
            return s_unavailable(x);
    out->totals = totals;
    reply->areas = out;
    return x->a->failed ? s_unavailable(x) : 0;
}

/* --- participant breakdowns ----------------------------------------------------------- */

typedef struct {
    s_ctx_t *x;
    bd_t bd;
    unsigned *revision; /* per group member */
} s_parts_t;

static int s_cmp_index(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

/* The group member of an orgnr, or -1 (members hold registry indexes in order). */
static long s_member_of(const s_ctx_t *x, const char *orgnr)
{
    long idx = registry_forbund_index(x->reg, orgnr);
    size_t key = (size_t)idx;
    const size_t *hit = idx < 0 ? NULL : bsearch(&key, x->members, x->n, sizeof key,
                                                 s_cmp_index);
    return hit ? (long)(hit - x->members) : -1;
}

static void s_part_row(void *arg, const store_part_t *r)
{
    s_parts_t *t = arg;
    long i = s_member_of(t->x, r->orgnr);
    if (i < 0)
        return;
    t->revision[i] = r->revision;
    bd_add(&t->bd, (size_t)i, r->intervention, r->kind, r->measure, r->category, r->count);
}

static Samla__V1__BreakdownRow *s_bd_row(arena_t *a, const bd_line_t *l)
{
    Samla__V1__BreakdownRow *o = arena_alloc(a, 1, sizeof *o);
    if (!o)
        return NULL;
    samla__v1__breakdown_row__init(o);
    o->key = arena_strdup(a, l->key);
    o->kind = (char *)l->kind;
    o->measure = (char *)l->measure;
    if (l->hidden) {
        o->has_suppressed = o->suppressed = 1;
        return o;
    }
    o->has_women = o->has_men = o->has_unspecified = o->has_total = 1;
    o->women = l->n[0];
    o->men = l->n[1];
    o->unspecified = l->n[2];
    o->total = bd_total(l);
    return o;
}

/* The lines of one förbund, [from, to) of the sorted breakdown, into its message. */
static int s_bd_forbund(s_ctx_t *x, const bd_t *bd, size_t i, unsigned revision, size_t from,
                        size_t to, Samla__V1__ForbundBreakdown **out)
{
    const member_t *mb = registry_forbund(x->reg, x->members[i]);
    Samla__V1__ForbundBreakdown *f = arena_alloc(x->a, 1, sizeof *f);
    Samla__V1__BreakdownRow **rows = arena_alloc(x->a, to - from + 1, sizeof *rows);
    if (!f || !rows)
        return -1;
    samla__v1__forbund_breakdown__init(f);
    f->orgnr = (char *)mb->orgnr;
    f->name = mb->name;
    f->has_revision = 1;
    f->revision = revision;
    for (size_t j = from; j < to; j++)
        if (!(rows[f->n_rows++] = s_bd_row(x->a, &bd->v[j])))
            return -1;
    f->rows = rows;
    *out = f;
    return 0;
}

static int s_bd_reply(s_ctx_t *x, s_parts_t *t, long only, const char *period,
                      Samla__V1__Participants *out)
{
    bd_t *bd = &t->bd;
    bd_line_t *region = NULL;
    unsigned withheld = 0;
    long nr = bd_region(bd, &region, &withheld);
    Samla__V1__ForbundBreakdown **fv = arena_alloc(x->a, x->n + 1, sizeof *fv);
    Samla__V1__BreakdownRow **rv = arena_alloc(x->a, nr > 0 ? (size_t)nr : 1, sizeof *rv);
    int rc = nr < 0 || !fv || !rv ? -1 : 0;
    samla__v1__participants__init(out);
    for (long k = 0; rc == 0 && k < nr; k++)
        if (!(rv[k] = s_bd_row(x->a, &region[k])))
            rc = -1;
    bd_lines_free(region, nr > 0 ? (size_t)nr : 0);
    size_t from = 0;
    for (size_t i = 0; rc == 0 && i < x->n; i++) {
        size_t to = from;
        while (to < bd->n && bd->v[to].forbund == i)
            to++;
        if ((only < 0 || (size_t)only == i) &&
            s_bd_forbund(x, bd, i, t->revision[i], from, to, &fv[out->n_forbund++]))
            rc = -1;
        from = to;
    }
    out->period = arena_strdup(x->a, period);
    out->by = (char *)bd_by_name(bd->by);
    out->region = (char *)x->label;
    out->forbund = fv;
    out->region_rows = rv;
    out->n_region_rows = nr > 0 ? (size_t)nr : 0;
    out->has_withheld = 1;
    out->withheld = withheld;
    return rc;
}

static int q_participants(s_ctx_t *x, const Samla__V1__Query *q, Samla__V1__Reply *reply)
{
    period_t p;
    char period[8];
    if (!q->period || period_parse(q->period, &p))
        return s_usage(x, "participants needs a period YYYY-MM");
    int by = bd_by_parse(q->by);
    if (by < 0)
        return s_usage(x, "participants needs --by insats, typ, avslut, alder, "
                          "forsorjning_start or forsorjning_avslut");
    long only = -1;
    if (q->orgnr && (only = s_member_of(x, q->orgnr)) < 0)
        return s_usage(x, "--orgnr is not a förbund of the group");
    period_format(p, period, sizeof period);
    s_parts_t t = {.x = x, .revision = arena_alloc(x->a, x->n + 1, sizeof *t.revision)};
    Samla__V1__Participants *out = arena_alloc(x->a, 1, sizeof *out);
    if (!t.revision || !out)
        return s_unavailable(x);
    bd_init(&t.bd, (bd_by_t)by);
    samla_err_t err;
    int rc = store_participants(x->store, period, s_part_row, &t, &err);
    if (rc)
        log_event(LOG_LVL_ERROR, "query.store", "reason=\"%s\"", err.msg);
    long viewer = x->viewer.orgnr ? s_member_of(x, x->viewer.orgnr) : -1;
    if (x->viewer.orgnr && viewer < 0)
        viewer = (long)x->n; /* a förbund outside the group sees no förbund as its own */
    if (rc == 0 && !t.bd.failed) {
        bd_sort(&t.bd);
        bd_protect(&t.bd, viewer, x->viewer.threshold);
        rc = s_bd_reply(x, &t, only, period, out);
    }
    bool failed = rc || t.bd.failed;
    bd_free(&t.bd);
    if (failed)
        return s_unavailable(x);
    reply->participants = out;
    return x->a->failed ? s_unavailable(x) : 0;
}

/* --- a förbund's years side by side --------------------------------------------------- */

/* The rows of the five-year overview (seed 002, "Översikt"), in order. */
static const char *const s_overview_metrics[] = {
    "contributions", "external_funding", "costs", "result", "equity", "solidity",
    "equity_ratio", "participants", "new_participants", "work_or_studies_share"};
#define S_OVERVIEW_N (sizeof s_overview_metrics / sizeof s_overview_metrics[0])

typedef struct {
    int first;                             /* the first year shown */
    int n;                                 /* years shown */
    int latest;                            /* the latest year with any report (finding it) */
    size_t slot;                           /* which metric the rows are of */
    char period[S_OVERVIEW_MAX_YEARS][8];  /* the latest reported month of each year */
    cons_row_t rows[S_OVERVIEW_MAX_YEARS]; /* its values, metric by metric */
} s_overview_t;

static void s_overview_latest(void *arg, const char *period, const cons_row_t *row)
{
    s_overview_t *o = arg;
    period_t p;
    (void)row;
    if (period_parse(period, &p) == 0 && p.year > o->latest)
        o->latest = p.year;
}

static void s_overview_point(void *arg, const char *period, const cons_row_t *row)
{
    s_overview_t *o = arg;
    period_t p;
    if (period_parse(period, &p) || p.year < o->first || p.year >= o->first + o->n)
        return;
    size_t y = (size_t)(p.year - o->first);
    if (strcmp(period, o->period[y]) < 0)
        return; /* an earlier month of the year */
    if (strcmp(period, o->period[y]) > 0) { /* a later one: start the year again */
        memcpy(o->period[y], period, 8);
        o->rows[y].revision = row->revision;
        o->rows[y].fewest = row->fewest;
    }
    o->rows[y].v[o->slot] = row->v[o->slot];
}

/* The overview of förbund mb: n years up to `last` (0: its latest year with a report). */
static Samla__V1__Overview *s_build_overview(s_ctx_t *x, const member_t *mb, int last, int n)
{
    /* scratch of some 50 KiB, freed here: an export builds one per förbund */
    s_overview_t *o = calloc(1, sizeof *o);
    Samla__V1__Overview *ov = arena_alloc(x->a, 1, sizeof *ov);
    Samla__V1__OverviewYear **years = arena_alloc(x->a, (size_t)n, sizeof *years);
    samla_err_t err = {0};
    bool store_failed = false;
    if (!o || !ov || !years)
        goto fail;
    size_t result = (size_t)(metric_find("result") - metric_table);
    if (!last && store_own(x->store, mb->orgnr, result, "1900-01", "2999-12",
                           s_overview_latest, o, &err)) {
        store_failed = true;
        goto fail;
    }
    o->n = n;
    o->first = (last ? last : o->latest ? o->latest : 2000) - n + 1;
    char from[8], to[8];
    period_format((period_t){o->first, 1}, from, sizeof from);
    period_format((period_t){o->first + n - 1, 12}, to, sizeof to);
    for (size_t i = 0; i < S_OVERVIEW_N; i++) {
        o->slot = (size_t)(metric_find(s_overview_metrics[i]) - metric_table);
        if (store_own(x->store, mb->orgnr, o->slot, from, to, s_overview_point, o, &err)) {
            store_failed = true;
            goto fail;
        }
    }
    samla__v1__overview__init(ov);
    ov->orgnr = (char *)mb->orgnr;
    ov->name = mb->name;
    for (int y = 0; y < n; y++) {
        Samla__V1__OverviewYear *oy = arena_alloc(x->a, 1, sizeof *oy);
        Samla__V1__MetricValue **v = arena_alloc(x->a, S_OVERVIEW_N, sizeof *v);
        if (!oy || !v)
            goto fail;
        samla__v1__overview_year__init(oy);
        oy->year = (uint32_t)(o->first + y);
        oy->period = o->period[y][0] ? arena_strdup(x->a, o->period[y]) : NULL;
        oy->has_revision = 1;
        oy->revision = o->rows[y].revision;
        for (size_t i = 0; i < S_OVERVIEW_N; i++) {
            size_t k = (size_t)(metric_find(s_overview_metrics[i]) - metric_table);
            if (!(v[i] = s_cell(x, k, mb->orgnr, &o->rows[y])))
                goto fail;
        }
        oy->n_metrics = S_OVERVIEW_N;
        oy->metrics = v;
        years[ov->n_years++] = oy;
    }
    ov->years = years;
    free(o);
    return ov;
fail:
    if (store_failed)
        log_event(LOG_LVL_ERROR, "query.store", "reason=\"%s\"", err.msg);
    free(o);
    return NULL;
}

static int q_overview(s_ctx_t *x, const Samla__V1__Query *q, Samla__V1__Reply *reply)
{
    long idx = q->orgnr ? registry_forbund_index(x->reg, q->orgnr) : -1;
    if (idx < 0)
        return s_usage(x, "overview needs the --orgnr of a registered förbund");
    if (q->has_year && (q->year < 1900 || q->year > 2999))
        return s_usage(x, "--year must be YYYY");
    if (q->has_years && (q->years < 1 || q->years > S_OVERVIEW_MAX_YEARS))
        return s_usage(x, "--years is 1 to 20");
    reply->overview = s_build_overview(x, registry_forbund(x->reg, (size_t)idx),
                                       q->has_year ? (int)q->year : 0,
                                       q->has_years ? (int)q->years : 5);
    return reply->overview ? 0 : s_unavailable(x);
}

/* The members of the group the query names (default: every förbund). */
static int s_group(s_ctx_t *x, const Samla__V1__Query *q, const char *region)
{
    long g = 0;
    if (q->group && (g = registry_group_find(x->reg, q->group)) < 0)
        return s_usage(x, "unknown --group (samlad's config names its groups)");
    size_t nf = registry_forbund_count(x->reg);
    x->group = registry_group_name(x->reg, (size_t)g);
    x->label = q->group ? x->group : region;
    x->members = arena_alloc(x->a, nf + 1, sizeof *x->members);
    x->owners = arena_alloc(x->a, nf + 1, sizeof *x->owners);
    if (!x->members || !x->owners)
        return s_unavailable(x);
    for (size_t i = 0; i < nf; i++)
        if (registry_in_group(x->reg, (size_t)g, i)) {
            x->members[x->n] = i;
            x->owners[x->n++] = registry_forbund(x->reg, i)->orgnr;
        }
    return 0;
}

/* --- the socket ---------------------------------------------------------------------- */

static const struct {
    Samla__V1__QueryKind kind;
    int (*fn)(s_ctx_t *x, const Samla__V1__Query *q, Samla__V1__Reply *reply);
} s_queries[] = {
    {SAMLA__V1__QUERY_KIND__QUERY_COMPARE, q_compare},
    {SAMLA__V1__QUERY_KIND__QUERY_STATUS, q_status},
    {SAMLA__V1__QUERY_KIND__QUERY_TREND, q_trend},
    {SAMLA__V1__QUERY_KIND__QUERY_EXPORT, q_export},
    {SAMLA__V1__QUERY_KIND__QUERY_AREAS, q_areas},
    {SAMLA__V1__QUERY_KIND__QUERY_PARTICIPANTS, q_participants},
    {SAMLA__V1__QUERY_KIND__QUERY_OVERVIEW, q_overview},
};

/* How the metrics a reply carries are shown (mshow.h): the one asked for, or all. The
 * catalogue is static and only packed, never written through the reply. */
static void s_catalogue(const Samla__V1__Query *q, Samla__V1__Reply *reply)
{
    size_t n;
    Samla__V1__MetricInfo *const *all = mshow_catalogue(&n);
    const metric_t *only = q->metric ? metric_find(q->metric) : NULL;
    switch (q->kind) {
    case SAMLA__V1__QUERY_KIND__QUERY_COMPARE:
    case SAMLA__V1__QUERY_KIND__QUERY_TREND:
        if (only) {
            reply->n_metrics = 1;
            reply->metrics = (Samla__V1__MetricInfo **)&all[only - metric_table];
            return;
        }
        __attribute__((fallthrough)); /* every metric */
    case SAMLA__V1__QUERY_KIND__QUERY_EXPORT:
    case SAMLA__V1__QUERY_KIND__QUERY_OVERVIEW:
        reply->n_metrics = n;
        reply->metrics = (Samla__V1__MetricInfo **)all;
        return;
    default:
        return;
    }
}

static void s_send(void *router, zmq_msg_t *peer, const Samla__V1__Reply *reply)
{
    size_t len;
    uint8_t *buf = wire_pack((const ProtobufCMessage *)reply, &len);
    if (buf && (zmq_send(router, zmq_msg_data(peer), zmq_msg_size(peer),
                         ZMQ_SNDMORE | ZMQ_DONTWAIT) < 0 ||
                zmq_send(router, buf, len, ZMQ_DONTWAIT) < 0))
        log_event(LOG_LVL_WARN, "query.unsent", "reason=\"%s\"", zmq_strerror(zmq_errno()));
    free(buf);
}

void query_refuse(void *router, zmq_msg_t *peer, int code, const char *why)
{
    Samla__V1__Reply reply = SAMLA__V1__REPLY__INIT;
    reply.has_error = 1;
    reply.error = code;
    reply.error_message = (char *)why;
    s_send(router, peer, &reply);
}

void query_answer(void *router, zmq_msg_t *peer, zmq_msg_t *payload, int frames,
                  store_t *store, const registry_t *reg, const query_cfg_t *cfg)
{
    Samla__V1__Reply reply = SAMLA__V1__REPLY__INIT;
    arena_t arena; /* the reply's parts */
    arena_init(&arena, SIZE_MAX);
    char why[256] = "";
    const char *user = frames == 2 ? zmq_msg_gets(payload, "User-Id") : NULL;
    const member_t *who = user ? registry_by_key(reg, user) : NULL;
    s_ctx_t x = {.store = store, .reg = reg, .a = &arena, .why = why, .wsize = sizeof why};
    x.viewer.orgnr = who && who->role == ROLE_FORBUND ? who->orgnr : NULL;
    x.viewer.threshold = cfg->privacy_threshold;
    int code = 0;
    arena_t a; /* the query, decoded */
    arena_init(&a, WIRE_DECODE_BUDGET);
    Samla__V1__Query *q = frames == 2 ? samla__v1__query__unpack(&a.pa, zmq_msg_size(payload),
                                                                 zmq_msg_data(payload))
                                      : NULL;
    if (!who) {
        code = SAMLA__V1__ERROR_CODE__ERR_REFUSED;
        snprintf(why, sizeof why, "this key is not registered");
    } else if (!q) {
        code = s_usage(&x, "not a samla.v1.Query in one frame");
    } else if (!(code = s_group(&x, q, cfg->region))) {
        code = s_usage(&x, "unknown query kind");
        for (size_t i = 0; i < sizeof s_queries / sizeof s_queries[0]; i++)
            if (s_queries[i].kind == q->kind)
                code = s_queries[i].fn(&x, q, &reply);
    }
    if (code) {
        log_event(LOG_LVL_INFO, "query.error", "reason=\"%s\"", why);
        query_refuse(router, peer, code, why);
    } else {
        s_catalogue(q, &reply);
        s_send(router, peer, &reply);
    }
    arena_release(&arena);
    if (q)
        samla__v1__query__free_unpacked(q, &a.pa);
    arena_release(&a);
}
