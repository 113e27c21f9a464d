/* query_compare: one month's comparison of every förbund, with aggregates and targets,
 * and the export of a year's months. */
#include "query_int.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "samla/log.h"
#include "samla/metrics.h"

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
    s_slots_t s = {x->reg, rows};
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
Samla__V1__MetricValue *qry_cell(qry_ctx_t *x, size_t k, const char *orgnr,
                                      const cons_row_t *row)
{
    const metric_t *m = &metric_table[k];
    if (!row || !row->revision)
        return s_shown(x->a, m, (metric_value_t){0}, false);
    return s_shown(x->a, m, row->v[k], cons_hidden(&x->viewer, k, orgnr, row));
}

static Samla__V1__Aggregate *s_aggregate(qry_ctx_t *x, size_t k, const cons_row_t **now,
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
Samla__V1__Target *qry_target(qry_ctx_t *x, size_t k, const char *orgnr, int met)
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

int qry_met(qry_ctx_t *x, size_t k, const char *orgnr, const cons_row_t *row)
{
    const target_t *t = target_for(registry_targets(x->reg), k, orgnr, x->group);
    if (!t || !row || !row->revision || cons_hidden(&x->viewer, k, orgnr, row))
        return -1;
    return target_met(t, row->v[k]);
}

/* The targets of a förbund's row (orgnr) or of the group (aggs given), for the metrics
 * shown; 0, or -1 when memory is gone. */
static int s_targets(qry_ctx_t *x, int only, const char *orgnr, const cons_row_t *row,
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
            met = qry_met(x, k, orgnr, row);
        } else {
            const target_t *t = target_for(registry_targets(x->reg), k, NULL, x->group);
            if (t && aggs[i]->has_region)
                met = target_met_display(t, true, aggs[i]->region);
        }
        Samla__V1__Target *t = qry_target(x, k, orgnr, met);
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

/* One member's row of a Compare: revision and status of the month, the chosen metrics
 * (all, or the one at index `only`), last year's same month and its targets if asked. */
static Samla__V1__ForbundFigures *s_forbund_row(qry_ctx_t *x, const member_t *mb, period_t p,
                                                int only, int with, const cons_row_t *now,
                                                const cons_row_t *before)
{
    bool previous = with & S_WITH_PREVIOUS;
    size_t nm = only >= 0 ? 1 : metric_count;
    Samla__V1__ForbundFigures *row = arena_alloc(x->a, 1, sizeof *row);
    Samla__V1__MetricValue **vals = arena_alloc(x->a, nm, sizeof *vals);
    Samla__V1__MetricValue **pvals = previous ? arena_alloc(x->a, nm, sizeof *pvals) : NULL;
    if (!row || !vals || (previous && !pvals))
        return NULL;
    samla__v1__forbund_figures__init(row);
    row->orgnr = (char *)mb->orgnr;
    row->name = mb->name;
    row->has_revision = row->has_previous_revision = 1;
    row->revision = now ? now->revision : 0;
    row->previous_revision = before ? before->revision : 0;
    row->status = (char *)qry_status_of(row->revision, p);
    for (size_t i = 0; i < nm; i++) {
        size_t k = only >= 0 ? (size_t)only : i;
        if (!(vals[i] = qry_cell(x, k, mb->orgnr, now)) ||
            (previous && !(pvals[i] = qry_cell(x, k, mb->orgnr, before))))
            return NULL;
    }
    row->n_metrics = nm;
    row->n_previous_year = previous ? nm : 0;
    row->metrics = vals;
    row->previous_year = pvals;
    if ((with & S_WITH_TARGETS) &&
        s_targets(x, only, mb->orgnr, now, NULL, &row->targets, &row->n_targets))
        return NULL;
    return row;
}

/* A Compare for period p: every member of the group, the chosen metrics (all, or the
 * metric index `only`), aggregates (with last year's region figure) and ranks, and what
 * `with` asks for. */
Samla__V1__Compare *qry_build_compare(qry_ctx_t *x, period_t p, int only, int with)
{
    period_t py = {p.year - 1, p.month};
    cons_row_t *rows = qry_rows(x, p, only), *prows = qry_rows(x, py, only);
    if (!rows || !prows)
        return NULL;
    size_t nm = only >= 0 ? 1 : metric_count;
    const cons_row_t **now = qry_member_rows(x, rows), **before = qry_member_rows(x, prows);
    Samla__V1__Compare *c = arena_alloc(x->a, 1, sizeof *c);
    Samla__V1__ForbundFigures **out = arena_alloc(x->a, x->n + 1, sizeof *out);
    Samla__V1__Aggregate **aggs = arena_alloc(x->a, nm, sizeof *aggs);
    unsigned *ranks = arena_alloc(x->a, x->n + 1, sizeof *ranks);
    char *period = arena_alloc(x->a, 8, 1);
    if (!now || !before || !c || !out || !aggs || !ranks || !period)
        return NULL;
    samla__v1__compare__init(c);
    period_format(p, period, 8);
    for (size_t j = 0; j < x->n; j++)
        if (!(out[j] = s_forbund_row(x, registry_forbund(x->reg, x->members[j]), p, only, with,
                                     now[j], before[j])))
            return NULL;
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
    if ((with & S_WITH_TARGETS) &&
        s_targets(x, only, NULL, NULL, aggs, &c->targets, &c->n_targets))
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

int qry_compare(qry_ctx_t *x, const Samla__V1__Query *q, Samla__V1__Reply *reply)
{
    period_t p;
    int bad = qry_period(x, "compare", q->period, &p);
    if (bad)
        return bad;
    const metric_t *only = NULL;
    if (q->metric && !(only = metric_find(q->metric)))
        return qry_usage(x, "unknown metric '%.64s'", q->metric);
    reply->compare = qry_build_compare(x, p, only ? (int)(only - metric_table) : -1,
                                     S_WITH_TARGETS | S_WITH_PREVIOUS);
    return reply->compare ? 0 : qry_unavailable(x);
}

Samla__V1__Overview *qry_build_overview(qry_ctx_t *x, const member_t *mb, int last, int n);

int qry_export(qry_ctx_t *x, const Samla__V1__Query *q, Samla__V1__Reply *reply)
{
    if (!q->has_year || q->year < 1900 || q->year > 2999)
        return qry_usage(x, "export needs a year YYYY");
    if (q->has_years && (q->years < 1 || q->years > QUERY_OVERVIEW_MAX_YEARS))
        return qry_usage(x, "--years is 1 to 20");
    Samla__V1__Export *e = arena_alloc(x->a, 1, sizeof *e);
    Samla__V1__Compare **months = arena_alloc(x->a, 12, sizeof *months);
    if (!e || !months)
        return qry_unavailable(x);
    samla__v1__export__init(e);
    for (int m = 1; m <= 12; m++)
        if (!(months[m - 1] = qry_build_compare(x, (period_t){(int)q->year, m}, -1, 0)))
            return qry_unavailable(x);
    e->year = q->year;
    e->region = (char *)x->label;
    e->n_months = 12;
    e->months = months;
    if (q->has_years) {
        if (!(e->overviews = arena_alloc(x->a, x->n + 1, sizeof *e->overviews)))
            return qry_unavailable(x);
        for (size_t j = 0; j < x->n; j++)
            if (!(e->overviews[e->n_overviews++] = qry_build_overview(
                      x, registry_forbund(x->reg, x->members[j]), (int)q->year, (int)q->years)))
                return qry_unavailable(x);
    }
    reply->export = e;
    return 0;
}
