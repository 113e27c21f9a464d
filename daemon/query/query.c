/* query: decodes a request, finds who asks and about which förbund, runs the query and
 * sends the reply with its metric catalogue. The replies are built in query_*.c. */
#include "query_int.h"
#include "samla/i18n.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "samla/log.h"
#include "samla/metrics.h"
#include "samla/mshow.h"

#include "samla/wire.h"

static int s_group(qry_ctx_t *x, const Samla__V1__Query *q)
{
    long g = 0;
    if (q->group && (g = registry_group_find(x->reg, q->group)) < 0)
        return qry_usage(x, "unknown --group (samlad's config names its groups)");
    size_t nf = registry_forbund_count(x->reg);
    x->group = registry_group_name(x->reg, (size_t)g);
    x->label = q->group ? x->group : registry_region(x->reg);
    x->members = arena_alloc(x->a, nf + 1, sizeof *x->members);
    x->owners = arena_alloc(x->a, nf + 1, sizeof *x->owners);
    if (!x->members || !x->owners)
        return qry_unavailable(x);
    for (size_t i = 0; i < nf; i++)
        if (registry_in_group(x->reg, (size_t)g, i)) {
            x->members[x->n] = i;
            x->owners[x->n++] = registry_forbund(x->reg, i)->orgnr;
        }
    return 0;
}

/* --- the socket ---------------------------------------------------------------------- */

/* One row per kind, from the one list (samla/querykinds.h). */
typedef struct {
    Samla__V1__QueryKind kind;
    qry_fn_t *fn;
    qk_metrics_t metrics;
    size_t field; /* the Reply field the builder fills */
} s_kind_t;

static const s_kind_t s_kinds[] = {
#define S_ROW(KIND, name, Type, metrics) \
    {SAMLA__V1__QUERY_KIND__QUERY_##KIND, qry_##name, metrics, offsetof(Samla__V1__Reply, name)},
    QUERY_KINDS(S_ROW)
#undef S_ROW
};

static const s_kind_t *s_kind(Samla__V1__QueryKind kind)
{
    for (size_t i = 0; i < sizeof s_kinds / sizeof s_kinds[0]; i++)
        if (s_kinds[i].kind == kind)
            return &s_kinds[i];
    return NULL;
}

/* How the metrics a reply carries are shown (mshow.h): the one asked for, or all. The
 * catalogue is static and only packed, never written through the reply. */
static void s_catalogue(const s_kind_t *kind, const Samla__V1__Query *q,
                        Samla__V1__Reply *reply)
{
    size_t n;
    Samla__V1__MetricInfo *const *all = mshow_catalogue(&n);
    const metric_t *only = q->metric ? metric_find(q->metric) : NULL;
    if (kind->metrics == QK_METRICS_NONE)
        return;
    if (kind->metrics == QK_METRICS_ASKED && only) {
        reply->n_metrics = 1;
        reply->metrics = (Samla__V1__MetricInfo **)&all[only - metric_table];
        return;
    }
    reply->n_metrics = n;
    reply->metrics = (Samla__V1__MetricInfo **)all;
}

uint8_t *query_refusal(int code, const char *why, size_t *len)
{
    Samla__V1__Reply reply = SAMLA__V1__REPLY__INIT;
    reply.has_error = 1;
    reply.error = code;
    reply.error_message = (char *)why;
    return wire_pack(&reply.base, len);
}

/* Runs the query's kind on one snapshot, with the gate's cache in step with it. */
static int s_dispatch(qry_ctx_t *x, const s_kind_t *kind, const Samla__V1__Query *q,
                      Samla__V1__Reply *reply)
{
    int64_t version;
    samla_err_t err;
    if (store_snapshot_begin(x->store, &version, &err)) {
        log_event(LOG_LVL_ERROR, "query.store", "reason=\"%s\"", err.msg);
        return qry_unavailable(x);
    }
    qry_cache_sync(x->cache, x->reg, x->viewer.threshold, version);
    int code = kind->fn(x, q, reply);
    store_snapshot_end(x->store);
    /* a builder that answered fills its field; the gate may have failed under it */
    if (!code && (x->gate_failed || !*(void **)((char *)reply + kind->field)))
        code = qry_unavailable(x);
    return code;
}

int query_run(const Samla__V1__Query *q, const member_t *who, store_t *store,
              const registry_t *reg, const query_cfg_t *cfg, query_cache_t *cache,
              arena_t *arena, Samla__V1__Reply *reply, char *why, size_t wsize)
{
    qry_ctx_t x = {.store = store, .reg = reg, .a = arena, .why = why, .wsize = wsize};
    x.viewer.orgnr = who && who->role == ROLE_FORBUND ? who->orgnr : NULL;
    x.viewer.threshold = cfg->privacy_threshold;
    x.names_once = q && q->has_names_once && q->names_once;
    x.columns = q && q->has_columns && q->columns;
    why[0] = '\0';
    if (!who) {
        snprintf(why, wsize, "%s", N_("this key is not registered"));
        return SAMLA__V1__ERROR_CODE__ERR_REFUSED;
    }
    if (!q)
        return qry_usage(&x, "not a samla.v1.Query in one frame");
    const s_kind_t *kind = s_kind(q->kind);
    if (!kind)
        return qry_usage(&x, "unknown query kind");
    int code = s_group(&x, q);
    if (code)
        return code;
    query_cache_t *own = cache ? NULL : query_cache_new();
    if (!(x.cache = cache ? cache : own))
        return qry_unavailable(&x);
    code = s_dispatch(&x, kind, q, reply);
    query_cache_destroy(&own);
    if (!code)
        s_catalogue(kind, q, reply);
    return code;
}

uint8_t *query_answer(const char *user, const void *payload, size_t size, store_t *store,
                      const registry_t *reg, const query_cfg_t *cfg, query_cache_t *cache,
                      arena_t *work, size_t *len)
{
    Samla__V1__Reply reply = SAMLA__V1__REPLY__INIT;
    arena_t own, *arena = work ? work : &own; /* the reply's parts */
    if (!work)
        arena_init(&own, SIZE_MAX);
    arena_t a; /* the query, decoded */
    arena_init(&a, WIRE_DECODE_BUDGET);
    char why[256];
    const member_t *who = user && *user ? registry_by_key(reg, user) : NULL;
    Samla__V1__Query *q = payload ? samla__v1__query__unpack(&a.pa, size, payload) : NULL;
    int code = query_run(q, who, store, reg, cfg, cache, arena, &reply, why, sizeof why);
    uint8_t *out;
    if (code) {
        log_event(LOG_LVL_INFO, "query.error", "reason=\"%s\"", why);
        out = query_refusal(code, why, len);
    } else {
        out = wire_pack(&reply.base, len);
    }
    if (work)
        arena_reset(work);
    else
        arena_release(&own);
    if (q)
        samla__v1__query__free_unpacked(q, &a.pa);
    arena_release(&a);
    return out;
}
