/* query_overview: a förbund's years side by side. */
#include "query_int.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "samla/log.h"
#include "samla/metrics.h"

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
    char period[QUERY_OVERVIEW_MAX_YEARS][8];  /* the latest reported month of each year */
    cons_row_t rows[QUERY_OVERVIEW_MAX_YEARS]; /* its values, metric by metric */
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
Samla__V1__Overview *qry_build_overview(qry_ctx_t *x, const member_t *mb, int last, int n)
{
    size_t index = (size_t)registry_forbund_index(x->reg, mb->orgnr);
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
        period_t shown;
        if (o->period[y][0] && period_parse(o->period[y], &shown) == 0)
            qry_gate_row(x, index, shown, &o->rows[y]);
        if (x->gate_failed)
            goto fail;
        for (size_t i = 0; i < S_OVERVIEW_N; i++) {
            size_t k = (size_t)(metric_find(s_overview_metrics[i]) - metric_table);
            if (!(v[i] = qry_cell(x, k, mb->orgnr, &o->rows[y])))
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

int qry_overview(qry_ctx_t *x, const Samla__V1__Query *q, Samla__V1__Reply *reply)
{
    long idx = q->orgnr ? registry_forbund_index(x->reg, q->orgnr) : -1;
    if (idx < 0)
        return qry_usage(x, "overview needs the --orgnr of a registered förbund");
    if (q->has_year && (q->year < 1900 || q->year > 2999))
        return qry_usage(x, "--year must be YYYY");
    if (q->has_years && (q->years < 1 || q->years > QUERY_OVERVIEW_MAX_YEARS))
        return qry_usage(x, "--years is 1 to 20");
    reply->overview = qry_build_overview(x, registry_forbund(x->reg, (size_t)idx),
                                       q->has_year ? (int)q->year : 0,
                                       q->has_years ? (int)q->years : 5);
    return reply->overview ? 0 : qry_unavailable(x);
}

/* The members of the group the query names (default: every förbund). */
