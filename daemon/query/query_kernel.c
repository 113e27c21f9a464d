/* query_kernel: what every query kind builds its reply from. A month's rows of every
 * förbund from layer 3 (stamped by the disclosure gate, query_gate.c), one förbund's value
 * as the asker may see it, a group's aggregates over what it may see, targets and whether
 * they are met, and the usage errors every kind answers with. Every part of a reply is
 * allocated in the context's arena. */
#include "query_int.h"
#include "samla/i18n.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "samla/columns.h"
#include "samla/log.h"
#include "samla/metrics.h"

/* --- usage ---------------------------------------------------------------------------- */

int qry_usage(qry_ctx_t *x, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(x->why, x->wsize, fmt, ap);
    va_end(ap);
    return SAMLA__V1__ERROR_CODE__ERR_USAGE;
}

int qry_period(qry_ctx_t *x, const char *command, const char *text, period_t *p)
{
    if (!text || !*text)
        return qry_usage(x, "%s needs a period YYYY-MM", command);
    if (period_parse(text, p))
        return qry_usage(x, "%s needs a period YYYY-MM, not '%.32s'", command, text);
    return 0;
}

int qry_unavailable(qry_ctx_t *x)
{
    snprintf(x->why, x->wsize, "%s", N_("the store could not answer; try again"));
    return SAMLA__V1__ERROR_CODE__ERR_UNAVAILABLE;
}

const char *qry_status_of(unsigned revision, period_t p)
{
    return revision == 0 ? "missing" : p.month == 12 ? "final" : "preliminary";
}

/* --- who is in the group --------------------------------------------------------------- */

/* The group member of an orgnr, or -1 (members hold registry indexes in order). */
long qry_member_of(const qry_ctx_t *x, const char *orgnr)
{
    long idx = registry_forbund_index(x->reg, orgnr);
    size_t lo = 0, hi = idx < 0 ? 0 : x->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (x->members[mid] == (size_t)idx)
            return (long)mid;
        if (x->members[mid] < (size_t)idx)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* --- one period's metric values from layer 3 ---------------------------------------- */

typedef struct {
    const registry_t *reg;
    cons_row_t *rows; /* [registry index] */
    size_t next;      /* the registry index after the last row's */
} s_slots_t;

/* The store gives a period's rows in orgnr order, as the registry holds the förbund: most
 * rows are the next one's, found by one comparison. */
static cons_row_t *s_slot(void *arg, const char *orgnr)
{
    s_slots_t *s = arg;
    bool next = s->next < registry_forbund_count(s->reg) &&
                strcmp(registry_forbund(s->reg, s->next)->orgnr, orgnr) == 0;
    long i = next ? (long)s->next : registry_forbund_index(s->reg, orgnr);
    if (i < 0)
        return NULL;
    s->next = (size_t)i + 1;
    return &s->rows[i];
}

/* The latest values of every registered förbund for period p (`metric` >= 0: only that
 * metric), rows[i] for registry index i, stamped by the gate (what the gate withholds is
 * decided from every figure of the month, whichever metric is read); a förbund that did
 * not report has revision 0. */
cons_row_t *qry_rows(qry_ctx_t *x, period_t p, int metric)
{
    size_t nf = registry_forbund_count(x->reg);
    cons_row_t *rows = arena_alloc(x->a, nf + 1, sizeof *rows);
    char period[8];
    samla_err_t err;
    if (!rows)
        return NULL;
    period_format(p, period, sizeof period);
    s_slots_t s = {x->reg, rows, 0};
    if (store_period(x->store, period, metric, s_slot, &s, &err)) {
        log_event(LOG_LVL_ERROR, "query.store", "reason=\"%s\"", err.msg);
        return NULL;
    }
    qry_gate_rows(x, p, rows);
    return x->gate_failed ? NULL : rows;
}

/* The group's rows in member order, NULL for a member that did not report. */
const cons_row_t **qry_member_rows(qry_ctx_t *x, cons_row_t *rows)
{
    const cons_row_t **v = arena_alloc(x->a, x->n + 1, sizeof *v);
    for (size_t j = 0; v && j < x->n; j++)
        v[j] = rows[x->members[j]].revision ? &rows[x->members[j]] : NULL;
    return v;
}

/* What the viewer may see of metric k of one förbund's row: COLS_NULL, COLS_VALUE (with
 * *v) or COLS_SUPPRESSED. The one rule for a cell, whichever form carries it. */
static int s_cell(const qry_ctx_t *x, size_t k, const char *orgnr, const cons_row_t *row,
                  metric_value_t *v)
{
    if (!row || !row->revision)
        return COLS_NULL;
    if (cons_hidden(&x->viewer, k, orgnr, row))
        return COLS_SUPPRESSED;
    *v = row->v[k];
    return v->present ? COLS_VALUE : COLS_NULL;
}

Samla__V1__MetricValue *qry_cell(qry_ctx_t *x, size_t k, const char *orgnr,
                                 const cons_row_t *row)
{
    const metric_t *m = &metric_table[k];
    Samla__V1__MetricValue *mv = arena_alloc(x->a, 1, sizeof *mv);
    if (!mv)
        return NULL;
    samla__v1__metric_value__init(mv);
    mv->name = (char *)m->name;
    metric_value_t v;
    switch (s_cell(x, k, orgnr, row, &v)) {
    case COLS_SUPPRESSED: mv->has_suppressed = mv->suppressed = 1; break;
    case COLS_VALUE:
        switch (m->unit) {
        case UNIT_MONEY: mv->has_ore = 1; mv->ore = v.i; break;
        case UNIT_COUNT: mv->has_count = 1; mv->count = v.i; break;
        default: mv->has_value = 1; mv->value = v.d; break;
        }
        break;
    default: break;
    }
    return mv;
}

Samla__V1__ValueColumn *qry_column(qry_ctx_t *x, size_t k, const cons_row_t *const *rows)
{
    const metric_t *m = &metric_table[k];
    bool ints = m->unit == UNIT_MONEY || m->unit == UNIT_COUNT;
    Samla__V1__ValueColumn *c = arena_alloc(x->a, 1, sizeof *c);
    uint8_t *state = arena_alloc(x->a, x->n + 1, 1);
    int64_t *iv = ints ? arena_alloc(x->a, x->n + 1, sizeof *iv) : NULL;
    double *dv = ints ? NULL : arena_alloc(x->a, x->n + 1, sizeof *dv);
    if (!c || !state || (!iv && !dv))
        return NULL;
    samla__v1__value_column__init(c);
    size_t n = 0;
    for (size_t j = 0; j < x->n; j++) {
        metric_value_t v;
        state[j] = (uint8_t)s_cell(x, k, x->owners[j], rows[j], &v);
        if (state[j] == COLS_VALUE) {
            if (ints)
                iv[n++] = v.i;
            else
                dv[n++] = v.d;
        }
    }
    c->state.data = state;
    c->state.len = x->n;
    c->ints = iv;
    c->reals = dv;
    c->n_ints = ints ? n : 0;
    c->n_reals = ints ? 0 : n;
    return c;
}

Samla__V1__Aggregate *qry_aggregate(qry_ctx_t *x, size_t k, const cons_row_t **now,
                                         const cons_row_t **before, unsigned *ranks)
{
    const metric_t *m = &metric_table[k];
    cons_agg_t rg, prg;
    Samla__V1__Aggregate *ag = arena_alloc(x->a, 1, sizeof *ag);
    if (!ag || cons_aggregate(k, now, x->owners, x->n, &x->viewer, &rg, ranks))
        return NULL;
    cons_region(k, before, x->owners, x->n, &x->viewer, &prg);
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

const target_t *qry_target_for(const qry_ctx_t *x, size_t k, const char *orgnr)
{
    return target_for(registry_targets(x->reg), k, orgnr, x->group);
}

Samla__V1__Target *qry_target(qry_ctx_t *x, size_t k, const target_t *t,
                              const target_verdict_t *v)
{
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
    o->has_kind = 1;
    o->kind = t->kind == TARGET_ANNUAL ? SAMLA__V1__TARGET_KIND__ANNUAL
                                       : SAMLA__V1__TARGET_KIND__ONGOING;
    if (v && v->met >= 0) {
        o->has_met = 1;
        o->met = v->met > 0;
    }
    if (v && v->projected) {
        o->has_projection = o->has_on_track = 1;
        o->projection = v->projection;
        o->on_track = v->on_track;
    }
    return o;
}

void qry_judge(qry_ctx_t *x, const target_t *t, size_t k, const char *orgnr,
               const cons_row_t *row, int month, target_verdict_t *out)
{
    memset(out, 0, sizeof *out);
    out->met = -1;
    if (!t || !row || !row->revision || cons_hidden(&x->viewer, k, orgnr, row))
        return;
    target_judge(t, row->v[k], month, out);
}

/* --- targets of one intervention -------------------------------------------------------- */

/* One förbund's participant rows of a month, read once for all its intervention targets. */
typedef struct {
    qry_ctx_t *x;
    const char *orgnr;
    Samla__V1__ParticipantRow **rows;
    size_t n, cap;
} s_insats_rows_t;

static void s_insats_row(void *arg, const store_part_t *r)
{
    s_insats_rows_t *t = arg;
    if (!r->intervention || !r->kind || strcmp(r->orgnr, t->orgnr) != 0)
        return;
    Samla__V1__ParticipantRow **v = arena_grow(t->x->a, t->rows, t->n, &t->cap, sizeof *v, 32);
    if (!v)
        return;
    t->rows = v;
    Samla__V1__ParticipantRow *p = arena_alloc(t->x->a, 1, sizeof *p);
    if (!p)
        return;
    samla__v1__participant_row__init(p);
    p->intervention = arena_strdup(t->x->a, r->intervention);
    p->kind = figures_kind_of(r->kind);
    p->measure = arena_strdup(t->x->a, r->measure ? r->measure : "");
    p->category = r->category ? arena_strdup(t->x->a, r->category) : NULL;
    p->has_women = p->has_men = p->has_unspecified = 1;
    p->women = r->count[0];
    p->men = r->count[1];
    p->unspecified = r->count[2];
    t->rows[t->n++] = p;
}

/* Metric k of one intervention: figured from its rows of the förbund's month only, as
 * ingest figures a whole submission. Not present when it reported no such rows. */
static metric_value_t s_insats_value(qry_ctx_t *x, const s_insats_rows_t *all,
                                     const char *insats, size_t k, int month)
{
    metric_value_t none = {0};
    Samla__V1__ParticipantRow **mine = arena_alloc(x->a, all->n + 1, sizeof *mine);
    size_t n = 0;
    for (size_t i = 0; mine && i < all->n; i++)
        if (strcmp(all->rows[i]->intervention, insats) == 0)
            mine[n++] = all->rows[i];
    if (!n)
        return none;
    Samla__V1__Submission sub = SAMLA__V1__SUBMISSION__INIT;
    sub.n_participants = n;
    sub.participants = mine;
    figures_t f;
    diag_t *d = diag_new();
    bool ok = d && figures_from_submission(&sub, &f, d) == 0;
    diag_destroy(&d);
    metric_ctx_t ctx = {month, 0};
    return ok ? metric_table[k].fn(&f, &ctx) : none;
}

int qry_insats_targets(qry_ctx_t *x, const char *orgnr, period_t p, Samla__V1__Target ***v,
                       size_t *n)
{
    const target_set_t *ts = registry_targets(x->reg);
    size_t count = 0;
    while (target_insats(ts, orgnr, count))
        count++;
    if (!count)
        return 0;
    Samla__V1__Target **all = arena_alloc(x->a, *n + count, sizeof *all);
    char period[8];
    if (!all)
        return -1;
    if (*n)
        memcpy(all, *v, *n * sizeof *all);
    period_format(p, period, sizeof period);
    /* another förbund's intervention is a breakdown line the gate does not release by
     * itself: a förbund key sees that förbund's targets, never their outcome or verdict */
    bool may_see = !x->viewer.orgnr || strcmp(x->viewer.orgnr, orgnr) == 0;
    s_insats_rows_t rows = {.x = x, .orgnr = orgnr};
    samla_err_t err;
    if (may_see && store_participants(x->store, period, s_insats_row, &rows, &err)) {
        log_event(LOG_LVL_ERROR, "query.store", "reason=\"%s\"", err.msg);
        return -1;
    }
    for (size_t i = 0; i < count; i++) {
        const target_t *t = target_insats(ts, orgnr, i);
        target_verdict_t verdict = {.met = -1};
        metric_value_t val = {0};
        if (may_see)
            val = s_insats_value(x, &rows, t->insats, t->metric, p.month);
        if (val.present)
            target_judge(t, val, p.month, &verdict);
        Samla__V1__Target *o = qry_target(x, t->metric, t, &verdict);
        if (!o)
            return -1;
        o->insats = t->insats;
        if (val.present) {
            o->has_outcome = 1;
            o->outcome = metric_display(&metric_table[t->metric], val);
        }
        all[(*n)++] = o;
    }
    *v = all;
    return x->a->failed ? -1 : 0;
}
