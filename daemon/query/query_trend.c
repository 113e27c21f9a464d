/* query_trend: which months each förbund reported (status), and one förbund's metric
 * month by month beside the group (trend). */
#include "query_int.h"
#include "samla/i18n.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "samla/log.h"
#include "samla/metrics.h"

typedef struct {
    qry_ctx_t *x;
    Samla__V1__ForbundStatus **rows; /* [member] */
    int year;
} s_status_t;

/* A flag's text says which counts fell and from what: another förbund's counts are not
 * for a förbund key, so it reads only that a count fell. Flags are sentences for the
 * förbund's and the region's Swedish readers, stored as samlad wrote them (ingest.c). */
static const char *s_flag_for(const qry_ctx_t *x, const char *orgnr, const char *flag)
{
    if (qry_gate_open(x) || strcmp(orgnr, x->viewer.orgnr) == 0)
        return flag;
    return "ett antal hittills sjönk från månaden före: antal hittills kan inte sjunka";
}

static void s_status_row(void *arg, const char *orgnr, const char *period, unsigned revisions,
                         const char *last, const char *flag)
{
    s_status_t *st = arg;
    period_t p;
    if (period_parse(period, &p) || p.year != st->year)
        return;
    long j = qry_member_of(st->x, orgnr);
    if (j < 0)
        return;
    Samla__V1__ForbundStatus *row = st->rows[j];
    Samla__V1__MonthStatus *ms = row->months[p.month - 1];
    ms->has_revisions = 1;
    ms->revisions = revisions;
    ms->last_received = arena_strdup(st->x->a, last);
    if (flag)
        ms->flag = arena_strdup(st->x->a, s_flag_for(st->x, orgnr, flag));
    if (!row->last_received || strcmp(last, row->last_received) > 0)
        row->last_received = ms->last_received;
}

int qry_status(qry_ctx_t *x, const Samla__V1__Query *q, Samla__V1__Reply *reply)
{
    if (!q->has_year || q->year < 1900 || q->year > 2999)
        return qry_usage(x, "status needs a year YYYY");
    Samla__V1__Status *s = arena_alloc(x->a, 1, sizeof *s);
    Samla__V1__ForbundStatus **rows = arena_alloc(x->a, x->n + 1, sizeof *rows);
    char *now = arena_alloc(x->a, 24, 1);
    if (!s || !rows || !now)
        return qry_unavailable(x);
    samla__v1__status__init(s);
    for (size_t j = 0; j < x->n; j++) {
        const member_t *mb = registry_forbund(x->reg, x->members[j]);
        Samla__V1__ForbundStatus *row = arena_alloc(x->a, 1, sizeof *row);
        Samla__V1__MonthStatus **months = arena_alloc(x->a, 12, sizeof *months);
        if (!row || !months)
            return qry_unavailable(x);
        samla__v1__forbund_status__init(row);
        row->orgnr = (char *)mb->orgnr;
        row->name = mb->name;
        for (int m = 0; m < 12; m++) {
            Samla__V1__MonthStatus *ms = arena_alloc(x->a, 1, sizeof *ms);
            char *period = arena_alloc(x->a, 8, 1);
            if (!ms || !period)
                return qry_unavailable(x);
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
        return qry_unavailable(x);
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
    return x->a->failed ? qry_unavailable(x) : 0;
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

static period_t s_nth(period_t from, int i)
{
    return (period_t){from.year + (from.month - 1 + i) / 12, (from.month - 1 + i) % 12 + 1};
}

/* The group's rows of one month, metric k only: one reused array, [member]. */
typedef struct {
    qry_ctx_t *x;
    cons_row_t *rows;
    size_t next; /* the member after the last row's */
} s_month_rows_t;

/* A month's rows come in orgnr order, as the members are: most are the next member's,
 * found by one comparison. */
static cons_row_t *s_member_slot(void *arg, const char *orgnr)
{
    s_month_rows_t *m = arg;
    long j = m->next < m->x->n && strcmp(m->x->owners[m->next], orgnr) == 0
                 ? (long)m->next
                 : qry_member_of(m->x, orgnr);
    if (j < 0)
        return NULL;
    m->next = (size_t)j + 1;
    return &m->rows[j];
}

/* The group's median of metric k for each month as this viewer may see it (a förbund
 * key: what the gate withholds is left out): metric k of the month's förbund (one index
 * range each), into one array reused month by month. */
static int s_trend_visible(qry_ctx_t *x, size_t k, s_trend_t *t)
{
    s_month_rows_t mr = {x, calloc(x->n + 1, sizeof *mr.rows), 0};
    const cons_row_t **v = calloc(x->n + 1, sizeof *v);
    int rc = mr.rows && v ? 0 : -1;
    for (int i = 0; rc == 0 && i < t->months; i++) {
        period_t p = s_nth(t->from, i);
        char period[8];
        period_format(p, period, sizeof period);
        for (size_t j = 0; j < x->n; j++) {
            mr.rows[j].revision = 0;
            memset(&mr.rows[j].v[k], 0, sizeof mr.rows[j].v[k]);
        }
        mr.next = 0;
        samla_err_t err;
        if ((rc = store_period(x->store, period, (int)k, s_member_slot, &mr, &err))) {
            log_event(LOG_LVL_ERROR, "query.store", "reason=\"%s\"", err.msg);
            break;
        }
        for (size_t j = 0; j < x->n; j++) {
            qry_gate_row(x, x->members[j], p, &mr.rows[j]);
            v[j] = mr.rows[j].revision ? &mr.rows[j] : NULL;
        }
        cons_agg_t agg;
        Samla__V1__TrendPoint *pt = t->points[i];
        rc = x->gate_failed || cons_aggregate(k, v, x->owners, x->n, &x->viewer, &agg, NULL);
        pt->region_count = (uint32_t)agg.st.count;
        pt->has_region_median = agg.st.count > 0;
        pt->region_median = agg.st.median;
        pt->has_region_withheld = agg.withheld > 0;
        pt->region_withheld = agg.withheld;
    }
    free(mr.rows);
    free(v);
    return rc ? -1 : 0;
}

/* trend --revision N: the month's figures of that revision, with the population the
 * registry gives now. */
static int s_trend_revision(qry_ctx_t *x, const member_t *mb, period_t p, unsigned revision,
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

static void s_latest_point(void *arg, const char *period, const cons_row_t *row)
{
    period_t *latest = arg, p;
    (void)row;
    if (period_parse(period, &p) == 0 &&
        (p.year > latest->year || (p.year == latest->year && p.month > latest->month)))
        *latest = p;
}

/* The months a trend spans: --from (default January of --to's year) to --to (default the
 * förbund's latest reported month, else this month: a förbund whose latest report is last
 * year's shows last year, not twelve empty months). Returns 0, or an error code with
 * x->why. */
static int s_trend_span(qry_ctx_t *x, const Samla__V1__Query *q, const char *orgnr, size_t k,
                        period_t *from, int *months)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    period_t to = {tm.tm_year + 1900, tm.tm_mon + 1}, latest = {0, 0};
    samla_err_t err;
    if (q->to && period_parse(q->to, &to))
        return qry_usage(x, "--to must be YYYY-MM");
    if (!q->to && store_own(x->store, orgnr, k, "0000-01", "9999-12", s_latest_point, &latest,
                            &err) == 0 && latest.year)
        to = latest;
    *from = (period_t){to.year, 1};
    if (q->from && period_parse(q->from, from))
        return qry_usage(x, "--from must be YYYY-MM");
    *months = (to.year - from->year) * 12 + to.month - from->month + 1;
    if (*months < 1 || *months > QUERY_MAX_MONTHS)
        return qry_usage(x, "--from must come before --to, at most 120 months apart");
    return 0;
}

/* One empty point per month, each with its period. False when memory is gone. */
static bool s_trend_points(qry_ctx_t *x, s_trend_t *t)
{
    for (int i = 0; i < t->months; i++) {
        Samla__V1__TrendPoint *pt = arena_alloc(x->a, 1, sizeof *pt);
        char *period = arena_alloc(x->a, 8, 1);
        if (!pt || !period)
            return false;
        samla__v1__trend_point__init(pt);
        period_format(s_nth(t->from, i), period, 8);
        pt->period = period;
        pt->has_region_count = 1;
        t->points[i] = pt;
    }
    return true;
}

/* The förbund's value, revision, status and target of each month. */
static int s_trend_fill(qry_ctx_t *x, const Samla__V1__Query *q, size_t index, size_t k,
                        s_trend_t *t)
{
    const member_t *mb = registry_forbund(x->reg, index);
    const target_t *goal = qry_target_for(x, k, mb->orgnr); /* the same every month */
    for (int i = 0; i < t->months; i++) {
        Samla__V1__TrendPoint *pt = t->points[i];
        period_t p = s_nth(t->from, i);
        if (q->has_revision && q->revision > 0 &&
            s_trend_revision(x, mb, p, q->revision, &t->own[i]))
            return qry_unavailable(x);
        qry_gate_row(x, index, p, &t->own[i]);
        if (x->gate_failed)
            return qry_unavailable(x);
        pt->has_revision = 1;
        pt->revision = t->own[i].revision;
        pt->status = (char *)qry_status_of(t->own[i].revision, p);
        if (!(pt->value = qry_cell(x, k, mb->orgnr, &t->own[i])))
            return qry_unavailable(x);
        target_verdict_t v;
        qry_judge(x, goal, k, mb->orgnr, &t->own[i], p.month, &v);
        pt->target = qry_target(x, k, goal, &v);
    }
    return 0;
}

int qry_trend(qry_ctx_t *x, const Samla__V1__Query *q, Samla__V1__Reply *reply)
{
    const metric_t *m = q->metric ? metric_find(q->metric) : NULL;
    if (!m)
        return qry_usage(x, "trend needs a known --metric");
    size_t k = (size_t)(m - metric_table);
    long idx = q->orgnr ? registry_forbund_index(x->reg, q->orgnr) : -1;
    if (idx < 0)
        return qry_usage(x, "trend needs the --orgnr of a registered förbund");
    period_t from;
    int months = 0, code = s_trend_span(x, q, q->orgnr, k, &from, &months);
    if (code)
        return code;
    const member_t *mb = registry_forbund(x->reg, (size_t)idx);
    /* An earlier revision was never through the gate: another förbund's are the
     * analysts' (the latest is what everyone compares). */
    if (q->has_revision && q->revision > 0 && !qry_gate_open(x) &&
        strcmp(mb->orgnr, x->viewer.orgnr) != 0) {
        snprintf(x->why, x->wsize, "%s",
                 N_("earlier revisions of another förbund are for analyst keys"));
        return SAMLA__V1__ERROR_CODE__ERR_REFUSED;
    }
    Samla__V1__Trend *tr = arena_alloc(x->a, 1, sizeof *tr);
    s_trend_t t = {from, months, arena_alloc(x->a, (size_t)months, sizeof *t.points),
                   arena_alloc(x->a, (size_t)months, sizeof *t.own)};
    if (!tr || !t.points || !t.own || !s_trend_points(x, &t))
        return qry_unavailable(x);
    samla__v1__trend__init(tr);
    char f0[8], f1[8];
    period_format(from, f0, sizeof f0);
    period_format(s_nth(from, months - 1), f1, sizeof f1);
    samla_err_t err;
    /* An analyst sees what the store keeps for everyone; a förbund key gets the medians
     * of what it may see, month by month. */
    bool everything = !x->viewer.orgnr || x->viewer.threshold <= 0;
    if (store_own(x->store, mb->orgnr, k, f0, f1, s_trend_own, &t, &err) ||
        (everything && store_group_range(x->store, x->group, k, f0, f1, s_trend_group, &t,
                                         &err))) {
        log_event(LOG_LVL_ERROR, "query.store", "reason=\"%s\"", err.msg);
        return qry_unavailable(x);
    }
    if (!everything && s_trend_visible(x, k, &t))
        return qry_unavailable(x);
    if ((code = s_trend_fill(x, q, (size_t)idx, k, &t)))
        return code;
    tr->orgnr = (char *)mb->orgnr;
    tr->name = mb->name;
    tr->metric = (char *)m->name;
    tr->n_points = (size_t)months;
    tr->points = t.points;
    reply->trend = tr;
    return x->a->failed ? qry_unavailable(x) : 0;
}
