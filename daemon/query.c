#include "query.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zmq.h>

#include "samla/log.h"
#include "samla/metrics.h"
#include "samla/period.h"
#include "samla/stats.h"
#include "samla/wire.h"

/* Most months one trend may span: ten years. */
#define QUERY_MAX_MONTHS 120

/* --- an arena for one reply: every message part is allocated here and freed at once
 *     after packing, so the builders below need no cleanup paths of their own. --- */

typedef struct s_block {
    struct s_block *next;
    max_align_t data[];
} s_block_t;

typedef struct {
    s_block_t *blocks;
    bool failed;
} s_arena_t;

static void *s_alloc(s_arena_t *a, size_t n, size_t size)
{
    if (a->failed || (size && n > (SIZE_MAX - sizeof(s_block_t)) / size)) {
        a->failed = true;
        return NULL;
    }
    s_block_t *b = calloc(1, sizeof *b + n * size + 1);
    if (!b) {
        a->failed = true;
        return NULL;
    }
    b->next = a->blocks;
    a->blocks = b;
    return b->data;
}

static char *s_strdup(s_arena_t *a, const char *s)
{
    char *p = s_alloc(a, strlen(s) + 1, 1);
    if (p)
        memcpy(p, s, strlen(s) + 1);
    return p;
}

static void s_arena_free(s_arena_t *a)
{
    while (a->blocks) {
        s_block_t *next = a->blocks->next;
        free(a->blocks);
        a->blocks = next;
    }
}

/* --- figures of every registered förbund for one period ----------------------------- */

typedef struct {
    const registry_t *reg;
    figures_t *f;
    unsigned *revision;
} s_collect_t;

static void s_collect(void *arg, const char *orgnr, unsigned revision, const figures_t *f)
{
    s_collect_t *c = arg;
    for (size_t i = 0; i < registry_forbund_count(c->reg); i++)
        if (strcmp(registry_forbund(c->reg, i)->orgnr, orgnr) == 0) {
            c->f[i] = *f;
            c->revision[i] = revision;
        }
}

static int s_period(store_t *store, const registry_t *reg, period_t p, s_arena_t *a,
                    figures_t **f, unsigned **rev)
{
    size_t nf = registry_forbund_count(reg);
    *f = s_alloc(a, nf + 1, sizeof **f);
    *rev = s_alloc(a, nf + 1, sizeof **rev);
    if (!*f || !*rev)
        return -1;
    char period[8];
    period_format(p, period, sizeof period);
    s_collect_t c = {reg, *f, *rev};
    samla_err_t err;
    if (store_latest(store, period, s_collect, &c, &err)) {
        log_event(LOG_LVL_ERROR, "query.store", "reason=\"%s\"", err.msg);
        return -1;
    }
    return 0;
}

static const char *s_status_of(unsigned revision, period_t p)
{
    return revision == 0 ? "missing" : p.month == 12 ? "final" : "preliminary";
}

static metric_value_t s_value(const metric_t *m, const figures_t *f, unsigned revision,
                              period_t p, int64_t population)
{
    metric_ctx_t ctx = {p.month, population};
    return revision ? m->fn(f, &ctx) : (metric_value_t){false, 0, 0.0, 0.0, 0.0};
}

static Samla__V1__MetricValue *s_metric_value(s_arena_t *a, const metric_t *m, metric_value_t v)
{
    Samla__V1__MetricValue *mv = s_alloc(a, 1, sizeof *mv);
    if (!mv)
        return NULL;
    samla__v1__metric_value__init(mv);
    mv->name = (char *)m->name;
    if (!v.present)
        return mv;
    switch (m->unit) {
    case UNIT_MONEY: mv->has_ore = 1; mv->ore = v.i; break;
    case UNIT_COUNT: mv->has_count = 1; mv->count = v.i; break;
    default: mv->has_value = 1; mv->value = v.d; break;
    }
    return mv;
}

/* Whether a requester may see a förbund's figures about people. Analysts and the förbund
 * itself see everything; another förbund's key sees no count of people below the threshold
 * and no share or cost per person computed over fewer people (CONTRACT.md, Privacy). */
typedef struct {
    const member_t *who;
    long long threshold;
} s_viewer_t;

/* Whether any count of people behind a förbund's figures for a month is small. The counts
 * are tied to each other (participants = start + new, active = participants - ended, the
 * number of women = women_share x participants, ...), so one small count would follow
 * from the others: when one is small, every figure about people of that förbund and month
 * is withheld from other förbund, not only the small one. */
static bool s_few_people(const figures_t *f, long long threshold)
{
    const int64_t n[] = {f->p_start, f->p_new, f->p_ended, f->p_end, f->p_women, f->p_men,
                         f->p_work_or_studies, f->p_start + f->p_new};
    for (size_t i = 0; i < sizeof n / sizeof n[0]; i++)
        if (n[i] > 0 && n[i] < threshold)
            return true;
    return false;
}

static bool s_hidden(const s_viewer_t *v, const metric_t *m, const member_t *owner,
                     const figures_t *f, metric_value_t mv)
{
    if (!v || !v->who || v->who->role != ROLE_FORBUND || v->threshold <= 0 || !mv.present ||
        strcmp(v->who->orgnr, owner->orgnr) == 0)
        return false;
    if (m->unit != UNIT_COUNT && !metric_per_people(m))
        return false; /* money, and shares of money, are not about people */
    double small = (double)v->threshold;
    if (s_few_people(f, v->threshold))
        return true;
    if (m->unit == UNIT_COUNT)
        return mv.i > 0 && (double)mv.i < small;
    return mv.den > 0 && mv.den < small;
}

/* One metric for every registered förbund and one period, as one viewer may see it:
 * v[i] the value, hid[i] whether it is withheld from this viewer. Computed once for the
 * rows and the region figures alike. */
typedef struct {
    metric_value_t *v;
    bool *hid;
} s_col_t;

static int s_column(const metric_t *m, const registry_t *reg, const figures_t *f,
                    const unsigned *rev, period_t p, const s_viewer_t *viewer, s_arena_t *a,
                    s_col_t *out)
{
    size_t nf = registry_forbund_count(reg);
    out->v = s_alloc(a, nf + 1, sizeof *out->v);
    out->hid = s_alloc(a, nf + 1, sizeof *out->hid);
    if (!out->v || !out->hid)
        return -1;
    for (size_t i = 0; i < nf; i++) {
        const member_t *mb = registry_forbund(reg, i);
        out->v[i] = s_value(m, &f[i], rev[i], p, mb->population);
        out->hid[i] = s_hidden(viewer, m, mb, &f[i], out->v[i]);
    }
    return 0;
}

typedef struct {
    stats_t st;
    bool has_region;
    double region;     /* sum, or sum of numerators / sum of denominators */
    unsigned withheld; /* values left out because the viewer may not see them */
} s_region_t;

/* Region statistics over the values the viewer may see, and nothing else: a withheld
 * value takes part in no sum, median, mean, extreme, rank or region figure, so none of
 * them can give it away (secondary suppression, as statistical agencies apply it). ranks[]
 * (may be NULL) gets each visible förbund's rank among the visible. */
static s_region_t s_region(const metric_t *m, const s_col_t *col, size_t nf, unsigned *ranks,
                           s_arena_t *a)
{
    double *vals = s_alloc(a, nf + 1, sizeof *vals);
    size_t *who = s_alloc(a, nf + 1, sizeof *who);
    unsigned *r = s_alloc(a, nf + 1, sizeof *r);
    s_region_t out = {0};
    double num = 0.0, den = 0.0;
    size_t n = 0;
    if (!vals || !who || !r)
        return out;
    for (size_t i = 0; i < nf; i++) {
        if (!col->v[i].present)
            continue;
        if (col->hid[i]) {
            out.withheld++;
            continue;
        }
        who[n] = i;
        vals[n++] = metric_display(m, col->v[i]);
        num += col->v[i].num;
        den += col->v[i].den;
    }
    stats_t st;
    stats_compute(vals, n, &st);
    out.st = st;
    if (n && metric_summable(m)) {
        out.has_region = true;
        out.region = st.sum;
    } else if (n && den != 0.0) {
        out.has_region = true;
        out.region = num / den;
    }
    if (ranks) {
        stats_rank(vals, n, r);
        for (size_t k = 0; k < n; k++)
            ranks[who[k]] = r[k];
    }
    return out;
}

static Samla__V1__MetricValue *s_shown(s_arena_t *a, const metric_t *m, metric_value_t v,
                                       bool hide)
{
    Samla__V1__MetricValue *mv = s_metric_value(a, m, hide ? (metric_value_t){0} : v);
    if (mv && hide) {
        mv->has_suppressed = 1;
        mv->suppressed = 1;
    }
    return mv;
}

/* A Compare for period p: every förbund, the chosen metrics with the same month a year
 * earlier, aggregates, ranks. */
static Samla__V1__Compare *s_build_compare(store_t *store, const registry_t *reg,
                                           const char *region, period_t p,
                                           const metric_t *only, const s_viewer_t *viewer,
                                           s_arena_t *a)
{
    figures_t *f, *pf;
    unsigned *rev, *prev;
    period_t py = {p.year - 1, p.month};
    if (s_period(store, reg, p, a, &f, &rev) || s_period(store, reg, py, a, &pf, &prev))
        return NULL;
    size_t nf = registry_forbund_count(reg), nm = only ? 1 : metric_count;
    Samla__V1__Compare *c = s_alloc(a, 1, sizeof *c);
    Samla__V1__ForbundFigures **rows = s_alloc(a, nf + 1, sizeof *rows);
    Samla__V1__Aggregate **aggs = s_alloc(a, nm, sizeof *aggs);
    unsigned *ranks = s_alloc(a, nf + 1, sizeof *ranks);
    char *period = s_alloc(a, 8, 1);
    if (!c || !rows || !aggs || !ranks || !period)
        return NULL;
    samla__v1__compare__init(c);
    period_format(p, period, 8);
    /* cols[k], pcols[k]: metric k this year and last, for every förbund */
    s_col_t *cols = s_alloc(a, nm, sizeof *cols), *pcols = s_alloc(a, nm, sizeof *pcols);
    if (!cols || !pcols)
        return NULL;
    for (size_t k = 0; k < nm; k++) {
        const metric_t *m = only ? only : &metric_table[k];
        if (s_column(m, reg, f, rev, p, viewer, a, &cols[k]) ||
            s_column(m, reg, pf, prev, py, viewer, a, &pcols[k]))
            return NULL;
    }
    for (size_t i = 0; i < nf; i++) {
        const member_t *mb = registry_forbund(reg, i);
        Samla__V1__ForbundFigures *row = s_alloc(a, 1, sizeof *row);
        Samla__V1__MetricValue **vals = s_alloc(a, nm, sizeof *vals);
        Samla__V1__MetricValue **pvals = s_alloc(a, nm, sizeof *pvals);
        if (!row || !vals || !pvals)
            return NULL;
        samla__v1__forbund_figures__init(row);
        row->orgnr = (char *)mb->orgnr;
        row->name = mb->name;
        row->has_revision = 1;
        row->revision = rev[i];
        row->status = (char *)s_status_of(rev[i], p);
        for (size_t k = 0; k < nm; k++) {
            const metric_t *m = only ? only : &metric_table[k];
            if (!(vals[k] = s_shown(a, m, cols[k].v[i], cols[k].hid[i])) ||
                !(pvals[k] = s_shown(a, m, pcols[k].v[i], pcols[k].hid[i])))
                return NULL;
        }
        row->n_metrics = nm;
        row->metrics = vals;
        row->n_previous_year = nm;
        row->previous_year = pvals;
        row->has_previous_revision = 1;
        row->previous_revision = prev[i];
        rows[i] = row;
    }
    for (size_t k = 0; k < nm; k++) {
        const metric_t *m = only ? only : &metric_table[k];
        s_region_t rg = s_region(m, &cols[k], nf, only ? ranks : NULL, a);
        s_region_t prg = s_region(m, &pcols[k], nf, NULL, a);
        stats_t st = rg.st;
        Samla__V1__Aggregate *ag = s_alloc(a, 1, sizeof *ag);
        if (!ag)
            return NULL;
        samla__v1__aggregate__init(ag);
        ag->name = (char *)m->name;
        ag->count = (uint32_t)st.count;
        if (st.count) {
            ag->has_sum = metric_summable(m);
            ag->sum = st.sum;
            ag->has_median = ag->has_mean = ag->has_min = ag->has_max = 1;
            ag->median = st.median;
            ag->mean = st.mean;
            ag->min = st.min;
            ag->max = st.max;
        }
        ag->has_withheld = rg.withheld > 0;
        ag->withheld = rg.withheld;
        ag->has_previous_withheld = prg.withheld > 0;
        ag->previous_withheld = prg.withheld;
        ag->has_region = rg.has_region;
        ag->region = rg.region;
        ag->has_previous_region = prg.has_region;
        ag->previous_region = prg.region;
        aggs[k] = ag;
    }
    if (only)
        for (size_t i = 0; i < nf; i++)
            if (ranks[i]) {
                rows[i]->has_rank = 1;
                rows[i]->rank = ranks[i];
            }
    c->period = period;
    c->region = (char *)region;
    c->n_forbund = nf;
    c->forbund = rows;
    c->n_aggregates = nm;
    c->aggregates = aggs;
    return c;
}

/* --- the four queries --------------------------------------------------------------- */

typedef struct {
    store_t *store;
    const registry_t *reg;
    const char *region;
    s_viewer_t viewer;
    s_arena_t *a;
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

static int q_compare(s_ctx_t *x, const Samla__V1__Query *q, Samla__V1__Reply *reply)
{
    period_t p;
    if (!q->period || period_parse(q->period, &p))
        return s_usage(x, "compare needs a period YYYY-MM");
    const metric_t *only = NULL;
    if (q->metric && !(only = metric_find(q->metric)))
        return s_usage(x, "unknown metric");
    reply->compare = s_build_compare(x->store, x->reg, x->region, p, only, &x->viewer, x->a);
    return reply->compare ? 0 : s_unavailable(x);
}

static int q_export(s_ctx_t *x, const Samla__V1__Query *q, Samla__V1__Reply *reply)
{
    if (!q->has_year || q->year < 1900 || q->year > 2999)
        return s_usage(x, "export needs a year YYYY");
    Samla__V1__Export *e = s_alloc(x->a, 1, sizeof *e);
    Samla__V1__Compare **months = s_alloc(x->a, 12, sizeof *months);
    if (!e || !months)
        return s_unavailable(x);
    samla__v1__export__init(e);
    for (int m = 1; m <= 12; m++)
        if (!(months[m - 1] = s_build_compare(x->store, x->reg, x->region,
                                              (period_t){(int)q->year, m}, NULL, &x->viewer,
                                              x->a)))
            return s_unavailable(x);
    e->year = q->year;
    e->region = (char *)x->region;
    e->n_months = 12;
    e->months = months;
    reply->export = e;
    return 0;
}

typedef struct {
    const registry_t *reg;
    Samla__V1__ForbundStatus **rows;
    int year;
    s_arena_t *a;
} s_status_t;

static void s_status_row(void *arg, const char *orgnr, const char *period, unsigned revisions,
                         const char *last, const char *flag)
{
    s_status_t *st = arg;
    period_t p;
    if (period_parse(period, &p) || p.year != st->year)
        return;
    for (size_t i = 0; i < registry_forbund_count(st->reg); i++) {
        Samla__V1__ForbundStatus *row = st->rows[i];
        if (strcmp(row->orgnr, orgnr) != 0)
            continue;
        Samla__V1__MonthStatus *ms = row->months[p.month - 1];
        ms->has_revisions = 1;
        ms->revisions = revisions;
        ms->last_received = s_strdup(st->a, last);
        if (flag)
            ms->flag = s_strdup(st->a, flag);
        if (!row->last_received || strcmp(last, row->last_received) > 0)
            row->last_received = ms->last_received;
    }
}

static int q_status(s_ctx_t *x, const Samla__V1__Query *q, Samla__V1__Reply *reply)
{
    if (!q->has_year || q->year < 1900 || q->year > 2999)
        return s_usage(x, "status needs a year YYYY");
    size_t nf = registry_forbund_count(x->reg);
    Samla__V1__Status *s = s_alloc(x->a, 1, sizeof *s);
    Samla__V1__ForbundStatus **rows = s_alloc(x->a, nf + 1, sizeof *rows);
    char *now = s_alloc(x->a, 24, 1);
    if (!s || !rows || !now)
        return s_unavailable(x);
    samla__v1__status__init(s);
    for (size_t i = 0; i < nf; i++) {
        const member_t *mb = registry_forbund(x->reg, i);
        Samla__V1__ForbundStatus *row = s_alloc(x->a, 1, sizeof *row);
        Samla__V1__MonthStatus **months = s_alloc(x->a, 12, sizeof *months);
        if (!row || !months)
            return s_unavailable(x);
        samla__v1__forbund_status__init(row);
        row->orgnr = (char *)mb->orgnr;
        row->name = mb->name;
        for (int m = 0; m < 12; m++) {
            Samla__V1__MonthStatus *ms = s_alloc(x->a, 1, sizeof *ms);
            char *period = s_alloc(x->a, 8, 1);
            if (!ms || !period)
                return s_unavailable(x);
            samla__v1__month_status__init(ms);
            period_format((period_t){(int)q->year, m + 1}, period, 8);
            ms->period = period;
            months[m] = ms;
        }
        row->n_months = 12;
        row->months = months;
        rows[i] = row;
    }
    char from[8], to[8];
    period_format((period_t){(int)q->year, 1}, from, sizeof from);
    period_format((period_t){(int)q->year, 12}, to, sizeof to);
    s_status_t st = {x->reg, rows, (int)q->year, x->a};
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
    s->region = (char *)x->region;
    s->n_forbund = nf;
    s->forbund = rows;
    s->generated_at = now;
    reply->status = s;
    return x->a->failed ? s_unavailable(x) : 0;
}

static int q_trend(s_ctx_t *x, const Samla__V1__Query *q, Samla__V1__Reply *reply)
{
    const metric_t *m = q->metric ? metric_find(q->metric) : NULL;
    if (!m)
        return s_usage(x, "trend needs a known --metric");
    size_t idx = 0, nf = registry_forbund_count(x->reg);
    while (idx < nf && (!q->orgnr || strcmp(registry_forbund(x->reg, idx)->orgnr, q->orgnr)))
        idx++;
    if (idx == nf)
        return s_usage(x, "trend needs the --orgnr of a registered förbund");
    period_t from, to;
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    to = (period_t){tm.tm_year + 1900, tm.tm_mon + 1};
    if (q->to && period_parse(q->to, &to))
        return s_usage(x, "--to must be YYYY-MM");
    from = (period_t){to.year, 1};
    if (q->from && period_parse(q->from, &from))
        return s_usage(x, "--from must be YYYY-MM");
    int months = (to.year - from.year) * 12 + to.month - from.month + 1;
    if (months < 1 || months > QUERY_MAX_MONTHS)
        return s_usage(x, "--from must come before --to, at most 120 months apart");
    const member_t *mb = registry_forbund(x->reg, idx);
    Samla__V1__Trend *tr = s_alloc(x->a, 1, sizeof *tr);
    Samla__V1__TrendPoint **pts = s_alloc(x->a, (size_t)months, sizeof *pts);
    if (!tr || !pts)
        return s_unavailable(x);
    samla__v1__trend__init(tr);
    for (int k = 0; k < months; k++) {
        period_t p = {from.year + (from.month - 1 + k) / 12, (from.month - 1 + k) % 12 + 1};
        figures_t *f;
        unsigned *rev;
        if (s_period(x->store, x->reg, p, x->a, &f, &rev))
            return s_unavailable(x);
        s_col_t col;
        if (s_column(m, x->reg, f, rev, p, &x->viewer, x->a, &col))
            return s_unavailable(x);
        s_region_t rg = s_region(m, &col, nf, NULL, x->a);
        stats_t st = rg.st;
        Samla__V1__TrendPoint *pt = s_alloc(x->a, 1, sizeof *pt);
        char *period = s_alloc(x->a, 8, 1);
        if (!pt || !period)
            return s_unavailable(x);
        samla__v1__trend_point__init(pt);
        period_format(p, period, 8);
        figures_t own = f[idx];
        unsigned own_rev = rev[idx];
        if (q->has_revision && q->revision > 0) {
            samla_err_t err;
            int found = store_figures(x->store, mb->orgnr, period, q->revision, &own, &own_rev,
                                      &err);
            if (found < 0)
                return s_unavailable(x);
            if (!found)
                own_rev = 0;
        }
        pt->period = period;
        pt->has_revision = 1;
        pt->revision = own_rev;
        pt->status = (char *)s_status_of(own_rev, p);
        metric_value_t ov = s_value(m, &own, own_rev, p, mb->population);
        pt->value = s_shown(x->a, m, ov, s_hidden(&x->viewer, m, mb, &own, ov));
        pt->has_region_withheld = rg.withheld > 0;
        pt->region_withheld = rg.withheld;
        pt->has_region_count = 1;
        pt->region_count = (uint32_t)st.count;
        pt->has_region_median = st.count > 0;
        pt->region_median = st.median;
        pts[k] = pt;
    }
    tr->orgnr = (char *)mb->orgnr;
    tr->name = mb->name;
    tr->metric = (char *)m->name;
    tr->n_points = (size_t)months;
    tr->points = pts;
    reply->trend = tr;
    return x->a->failed ? s_unavailable(x) : 0;
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
};

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
    s_arena_t arena = {NULL, false};
    char why[256] = "";
    const char *user = frames == 2 ? zmq_msg_gets(payload, "User-Id") : NULL;
    const member_t *who = user ? registry_by_key(reg, user) : NULL;
    s_ctx_t x = {store, reg, cfg->region, {who, cfg->privacy_threshold}, &arena, why,
                 sizeof why};
    int code = 0;
    wire_alloc_t a;
    wire_alloc_init(&a, WIRE_DECODE_BUDGET);
    Samla__V1__Query *q = frames == 2 ? samla__v1__query__unpack(&a.pa, zmq_msg_size(payload),
                                                                 zmq_msg_data(payload))
                                      : NULL;
    if (!who) {
        code = SAMLA__V1__ERROR_CODE__ERR_REFUSED;
        snprintf(why, sizeof why, "this key is not registered");
    } else if (!q) {
        code = s_usage(&x, "not a samla.v1.Query in one frame");
    } else {
        code = s_usage(&x, "unknown query kind");
        for (size_t i = 0; i < sizeof s_queries / sizeof s_queries[0]; i++)
            if (s_queries[i].kind == q->kind)
                code = s_queries[i].fn(&x, q, &reply);
    }
    if (code) {
        log_event(LOG_LVL_INFO, "query.error", "reason=\"%s\"", why);
        query_refuse(router, peer, code, why);
    } else {
        s_send(router, peer, &reply);
    }
    s_arena_free(&arena);
    if (q)
        samla__v1__query__free_unpacked(q, &a.pa);
    wire_alloc_release(&a);
}
