#include "query.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

#include "samla/log.h"
#include "samla/metrics.h"
#include "samla/period.h"
#include "samla/stats.h"
#include "samla/wire.h"

/* Figures per registered förbund, in registry order, for one period. */
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

/* Everything a Compare reply points to, freed in one place after packing. */
typedef struct {
    Samla__V1__ForbundFigures *rows, **row_ptrs;
    Samla__V1__MetricValue *values, **value_ptrs;
    Samla__V1__Aggregate *aggs, **agg_ptrs;
    figures_t *f;
    unsigned *revision;
} s_compare_mem_t;

static void s_mem_free(s_compare_mem_t *m)
{
    free(m->rows);
    free(m->row_ptrs);
    free(m->values);
    free(m->value_ptrs);
    free(m->aggs);
    free(m->agg_ptrs);
    free(m->f);
    free(m->revision);
}

static void s_set_value(Samla__V1__MetricValue *v, const metric_t *m, metric_value_t mv)
{
    samla__v1__metric_value__init(v);
    v->name = (char *)m->name;
    if (!mv.present)
        return;
    switch (m->unit) {
    case UNIT_MONEY: v->has_ore = 1; v->ore = mv.i; break;
    case UNIT_COUNT: v->has_count = 1; v->count = mv.i; break;
    default: v->has_value = 1; v->value = mv.d; break;
    }
}

static int s_compare(const Samla__V1__Query *q, store_t *store, const registry_t *reg,
                     const char *region, Samla__V1__Reply *reply, Samla__V1__Compare *cmp,
                     s_compare_mem_t *mem, char *why, size_t wsize)
{
    period_t p;
    if (!q->period || period_parse(q->period, &p)) {
        snprintf(why, wsize, "compare needs a period YYYY-MM");
        return SAMLA__V1__ERROR_CODE__ERR_USAGE;
    }
    const metric_t *only = NULL;
    if (q->metric && !(only = metric_find(q->metric))) {
        snprintf(why, wsize, "unknown metric '%.64s'", q->metric);
        return SAMLA__V1__ERROR_CODE__ERR_USAGE;
    }
    size_t nf = registry_forbund_count(reg), nm = only ? 1 : metric_count;
    mem->f = calloc(nf + 1, sizeof *mem->f);
    mem->revision = calloc(nf + 1, sizeof *mem->revision);
    mem->rows = calloc(nf + 1, sizeof *mem->rows);
    mem->row_ptrs = calloc(nf + 1, sizeof *mem->row_ptrs);
    mem->values = calloc(nf * nm + 1, sizeof *mem->values);
    mem->value_ptrs = calloc(nf * nm + 1, sizeof *mem->value_ptrs);
    mem->aggs = calloc(nm, sizeof *mem->aggs);
    mem->agg_ptrs = calloc(nm, sizeof *mem->agg_ptrs);
    double *vals = calloc(nf + 1, sizeof *vals);
    size_t *who = calloc(nf + 1, sizeof *who);
    unsigned *ranks = calloc(nf + 1, sizeof *ranks);
    int rc = 0;
    if (!mem->f || !mem->revision || !mem->rows || !mem->row_ptrs || !mem->values ||
        !mem->value_ptrs || !mem->aggs || !mem->agg_ptrs || !vals || !who || !ranks) {
        snprintf(why, wsize, "out of memory");
        rc = SAMLA__V1__ERROR_CODE__ERR_UNAVAILABLE;
        goto done;
    }
    s_collect_t c = {reg, mem->f, mem->revision};
    samla_err_t err;
    char period[8];
    period_format(p, period, sizeof period);
    if (store_latest(store, period, s_collect, &c, &err)) {
        log_event(LOG_LVL_ERROR, "query.store", "reason=\"%s\"", err.msg);
        snprintf(why, wsize, "the store could not answer; try again");
        rc = SAMLA__V1__ERROR_CODE__ERR_UNAVAILABLE;
        goto done;
    }
    for (size_t i = 0; i < nf; i++) {
        const member_t *mb = registry_forbund(reg, i);
        Samla__V1__ForbundFigures *row = &mem->rows[i];
        samla__v1__forbund_figures__init(row);
        row->orgnr = (char *)mb->orgnr;
        row->name = mb->name;
        row->has_revision = 1;
        row->revision = mem->revision[i];
        row->status = mem->revision[i] == 0 ? "missing" : p.month == 12 ? "final"
                                                                         : "preliminary";
        row->n_metrics = nm;
        row->metrics = &mem->value_ptrs[i * nm];
        metric_ctx_t ctx = {p.month, mb->population};
        for (size_t k = 0; k < nm; k++) {
            const metric_t *m = only ? only : &metric_table[k];
            metric_value_t mv = {false, 0, 0.0};
            if (mem->revision[i])
                mv = m->fn(&mem->f[i], &ctx);
            s_set_value(&mem->values[i * nm + k], m, mv);
            mem->value_ptrs[i * nm + k] = &mem->values[i * nm + k];
        }
        mem->row_ptrs[i] = row;
    }
    for (size_t k = 0; k < nm; k++) {
        const metric_t *m = only ? only : &metric_table[k];
        size_t n = 0;
        for (size_t i = 0; i < nf; i++) {
            metric_ctx_t ctx = {p.month, registry_forbund(reg, i)->population};
            metric_value_t mv = mem->revision[i] ? m->fn(&mem->f[i], &ctx)
                                                 : (metric_value_t){false, 0, 0.0};
            if (mv.present) {
                who[n] = i;
                vals[n++] = metric_display(m, mv);
            }
        }
        stats_t st;
        stats_compute(vals, n, &st);
        Samla__V1__Aggregate *ag = &mem->aggs[k];
        samla__v1__aggregate__init(ag);
        ag->name = (char *)m->name;
        ag->count = (uint32_t)n;
        if (n) {
            ag->has_sum = metric_summable(m);
            ag->sum = st.sum;
            ag->has_median = ag->has_mean = ag->has_min = ag->has_max = 1;
            ag->median = st.median;
            ag->mean = st.mean;
            ag->min = st.min;
            ag->max = st.max;
        }
        mem->agg_ptrs[k] = ag;
        if (only) {
            stats_rank(vals, n, ranks);
            for (size_t r = 0; r < n; r++) {
                mem->rows[who[r]].has_rank = 1;
                mem->rows[who[r]].rank = ranks[r];
            }
        }
    }
    cmp->period = (char *)q->period;
    cmp->region = (char *)region;
    cmp->n_forbund = nf;
    cmp->forbund = mem->row_ptrs;
    cmp->n_aggregates = nm;
    cmp->aggregates = mem->agg_ptrs;
    reply->compare = cmp;
done:
    free(vals);
    free(who);
    free(ranks);
    return rc;
}

size_t query_handle(void *router, store_t *store, const registry_t *reg, const char *region)
{
    size_t handled = 0;
    for (;;) {
        zmq_msg_t peer, payload;
        zmq_msg_init(&peer);
        if (zmq_msg_recv(&peer, router, ZMQ_DONTWAIT) < 0) {
            zmq_msg_close(&peer);
            return handled;
        }
        handled++;
        zmq_msg_init(&payload);
        int frames = 1;
        if (zmq_msg_more(&peer) && zmq_msg_recv(&payload, router, 0) >= 0)
            frames++;
        while (zmq_msg_more(&payload)) { /* drain and refuse extra frames */
            zmq_msg_t extra;
            zmq_msg_init(&extra);
            zmq_msg_recv(&extra, router, 0);
            bool more = zmq_msg_more(&extra);
            zmq_msg_close(&extra);
            frames++;
            if (!more)
                break;
        }
        Samla__V1__Reply reply = SAMLA__V1__REPLY__INIT;
        Samla__V1__Compare cmp = SAMLA__V1__COMPARE__INIT;
        s_compare_mem_t mem = {0};
        char why[256] = "";
        int code = 0;
        const char *user = frames == 2 ? zmq_msg_gets(&payload, "User-Id") : NULL;
        wire_alloc_t a;
        wire_alloc_init(&a, WIRE_DECODE_BUDGET);
        Samla__V1__Query *q =
            frames == 2 ? samla__v1__query__unpack(&a.pa, zmq_msg_size(&payload),
                                                   zmq_msg_data(&payload))
                        : NULL;
        if (!user || !registry_by_key(reg, user)) {
            code = SAMLA__V1__ERROR_CODE__ERR_REFUSED;
            snprintf(why, sizeof why, "this key is not registered");
        } else if (!q) {
            code = SAMLA__V1__ERROR_CODE__ERR_USAGE;
            snprintf(why, sizeof why, "not a samla.v1.Query in one frame");
        } else if (q->kind == SAMLA__V1__QUERY_KIND__QUERY_COMPARE) {
            code = s_compare(q, store, reg, region, &reply, &cmp, &mem, why, sizeof why);
        } else {
            code = SAMLA__V1__ERROR_CODE__ERR_USAGE;
            snprintf(why, sizeof why, "unknown query kind");
        }
        if (code) {
            reply.compare = NULL;
            reply.has_error = 1;
            reply.error = code;
            reply.error_message = why;
            log_event(LOG_LVL_INFO, "query.error", "reason=\"%s\"", why);
        }
        size_t len;
        uint8_t *buf = wire_pack((const ProtobufCMessage *)&reply, &len);
        if (buf && (zmq_send(router, zmq_msg_data(&peer), zmq_msg_size(&peer),
                             ZMQ_SNDMORE | ZMQ_DONTWAIT) < 0 ||
                    zmq_send(router, buf, len, ZMQ_DONTWAIT) < 0))
            log_event(LOG_LVL_WARN, "query.unsent", "reason=\"%s\"", zmq_strerror(zmq_errno()));
        free(buf);
        s_mem_free(&mem);
        if (q)
            samla__v1__query__free_unpacked(q, &a.pa);
        zmq_msg_close(&payload);
        zmq_msg_close(&peer);
    }
}
