/* query_compare: one month's comparison of every förbund, with aggregates and targets
 * (the rows, cells and aggregates come from the query kernel, query_kernel.c). */
#include "query_int.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "samla/columns.h"
#include "samla/log.h"
#include "samla/metrics.h"

/* The targets of a förbund's row (orgnr) or of the group (aggs given), for the metrics
 * shown; 0, or -1 when memory is gone. */
static int s_targets(qry_ctx_t *x, int only, int month, const char *orgnr,
                     const cons_row_t *row, Samla__V1__Aggregate *const *aggs,
                     Samla__V1__Target ***out, size_t *n)
{
    size_t nm = only >= 0 ? 1 : metric_count;
    Samla__V1__Target **v = arena_alloc(x->a, nm, sizeof *v);
    if (!v)
        return -1;
    *n = 0;
    for (size_t i = 0; i < nm; i++) {
        size_t k = only >= 0 ? (size_t)only : i;
        const target_t *t = qry_target_for(x, k, orgnr);
        if (!t)
            continue;
        target_verdict_t verdict = {.met = -1};
        if (orgnr)
            qry_judge(x, t, k, orgnr, row, month, &verdict);
        else
            target_judge_display(t, aggs[i]->has_region, aggs[i]->region, month, &verdict);
        if ((v[*n] = qry_target(x, k, t, &verdict)))
            (*n)++;
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
    bool previous = with & S_WITH_PREVIOUS, values = !x->columns; /* else the columns */
    size_t nm = only >= 0 ? 1 : metric_count;
    Samla__V1__ForbundFigures *row = arena_alloc(x->a, 1, sizeof *row);
    Samla__V1__MetricValue **vals = values ? arena_alloc(x->a, nm, sizeof *vals) : NULL;
    Samla__V1__MetricValue **pvals =
        values && previous ? arena_alloc(x->a, nm, sizeof *pvals) : NULL;
    if (!row || (values && !vals) || (values && previous && !pvals))
        return NULL;
    samla__v1__forbund_figures__init(row);
    row->orgnr = (char *)mb->orgnr;
    row->name = mb->name;
    row->has_revision = row->has_previous_revision = 1;
    row->revision = now ? now->revision : 0;
    row->previous_revision = before ? before->revision : 0;
    row->status = (char *)qry_status_of(row->revision, p);
    for (size_t i = 0; values && i < nm; i++) {
        size_t k = only >= 0 ? (size_t)only : i;
        if (!(vals[i] = qry_cell(x, k, mb->orgnr, now)) ||
            (previous && !(pvals[i] = qry_cell(x, k, mb->orgnr, before))))
            return NULL;
        if (x->names_once) { /* the catalogue names the columns, in this order */
            vals[i]->name = NULL;
            if (previous)
                pvals[i]->name = NULL;
        }
    }
    row->n_metrics = values ? nm : 0;
    row->n_previous_year = values && previous ? nm : 0;
    row->metrics = vals;
    row->previous_year = pvals;
    /* with columns, the metrics' targets go in them (s_target_column); an intervention's
     * stay with its förbund */
    if ((with & S_WITH_TARGETS) &&
        ((!x->columns && s_targets(x, only, p.month, mb->orgnr, now, NULL, &row->targets,
                                   &row->n_targets)) ||
         (only < 0 && qry_insats_targets(x, mb->orgnr, p, &row->targets, &row->n_targets))))
        return NULL;
    return row;
}

/* A förbund's verdict as a byte of TargetColumn.verdict. */
static uint8_t s_verdict(const target_verdict_t *v)
{
    if (v->projected)
        return v->on_track ? COLS_ON_TRACK : COLS_AT_RISK;
    return v->met < 0 ? COLS_NO_VERDICT : v->met ? COLS_MET : COLS_NOT_MET;
}

/* With Query.columns: metric k's targets of every member (rows `now` of a month) as one
 * column: each distinct target once, which one each member has and its verdict, as
 * s_targets would give each member's row. NULL when no member has one, or when memory
 * is gone (x->a->failed). */
static Samla__V1__TargetColumn *s_target_column(qry_ctx_t *x, size_t k, int month,
                                                const cons_row_t *const *now)
{
    const target_set_t *ts = registry_targets(x->reg);
    uint32_t *which = arena_alloc(x->a, x->n + 1, sizeof *which);
    uint8_t *verdict = arena_alloc(x->a, x->n + 1, 1);
    double *projection = arena_alloc(x->a, x->n + 1, sizeof *projection);
    Samla__V1__Target **distinct = arena_alloc(x->a, x->n + 1, sizeof *distinct);
    uint32_t *slot = arena_alloc(x->a, ts->n + 1, sizeof *slot); /* ts->v[i]: distinct + 1 */
    if (!which || !verdict || !projection || !distinct || !slot)
        return NULL;
    size_t nd = 0, np = 0;
    for (size_t j = 0; j < x->n; j++) {
        const target_t *t = qry_target_for(x, k, x->owners[j]);
        if (!t)
            continue;
        size_t i = (size_t)(t - ts->v);
        if (!slot[i]) {
            if (!(distinct[nd] = qry_target(x, k, t, NULL)))
                return NULL;
            slot[i] = (uint32_t)++nd;
        }
        which[j] = slot[i];
        target_verdict_t v;
        qry_judge(x, t, k, x->owners[j], now[j], month, &v);
        verdict[j] = s_verdict(&v);
        if (v.projected)
            projection[np++] = v.projection;
    }
    Samla__V1__TargetColumn *c = nd ? arena_alloc(x->a, 1, sizeof *c) : NULL;
    if (!c)
        return NULL;
    samla__v1__target_column__init(c);
    c->n_targets = nd;
    c->targets = distinct;
    c->n_which = x->n;
    c->which = which;
    c->verdict.len = x->n;
    c->verdict.data = verdict;
    c->n_projection = np;
    c->projection = projection;
    return c;
}

/* With Query.columns: c's values, a column per metric shown (the reply's catalogue), in
 * the order of its förbund, with their targets when `targets`. 0, or -1 when memory is
 * gone. */
static int s_columns(qry_ctx_t *x, Samla__V1__Compare *c, int only, period_t p, bool previous,
                     bool targets, const cons_row_t *const *now, const cons_row_t *const *before)
{
    size_t nm = only >= 0 ? 1 : metric_count;
    Samla__V1__MetricColumn **cols = arena_alloc(x->a, nm, sizeof *cols);
    if (!cols)
        return -1;
    for (size_t i = 0; i < nm; i++) {
        size_t k = only >= 0 ? (size_t)only : i;
        Samla__V1__MetricColumn *col = arena_alloc(x->a, 1, sizeof *col);
        if (!col)
            return -1;
        samla__v1__metric_column__init(col);
        if (!(col->values = qry_column(x, k, now)) ||
            (previous && !(col->previous_year = qry_column(x, k, before))))
            return -1;
        if (targets && !(col->targets = s_target_column(x, k, p.month, now)) && x->a->failed)
            return -1;
        cols[i] = col;
    }
    c->columns = cols;
    c->n_columns = nm;
    return 0;
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
        if (!(aggs[i] = qry_aggregate(x, k, now, before, only >= 0 ? ranks : NULL)))
            return NULL;
    }
    if (x->columns && s_columns(x, c, only, p, with & S_WITH_PREVIOUS, with & S_WITH_TARGETS,
                                now, before))
        return NULL;
    if (only >= 0)
        for (size_t j = 0; j < x->n; j++)
            if (ranks[j]) {
                out[j]->has_rank = 1;
                out[j]->rank = ranks[j];
            }
    if ((with & S_WITH_TARGETS) &&
        s_targets(x, only, p.month, NULL, NULL, aggs, &c->targets, &c->n_targets))
        return NULL;
    c->period = period;
    c->region = (char *)x->label;
    c->n_forbund = x->n;
    c->forbund = out;
    c->n_aggregates = nm;
    c->aggregates = aggs;
    return c;
}

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
