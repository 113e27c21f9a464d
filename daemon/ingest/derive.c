#include "derive.h"

#include <stdlib.h>
#include <string.h>

#include "samla/log.h"
#include "samla/period.h"
#include "samla/subcheck.h"
#include "samla/wire.h"
#include "store_cons.h"
#include "store_details.h"
#include "store_registry.h"

static int s_month(const char *period)
{
    period_t p;
    return period_parse(period, &p) ? 0 : p.month;
}

Samla__V1__Submission *derive_body(const uint8_t *body, size_t len, arena_t *arena,
                                   figures_t *f, diag_t *d)
{
    samla_err_t err;
    /* UTF-8, NUL bytes, depth and size on the wire first: unpack trusts none of it */
    if (wire_validate(&samla__v1__submission__descriptor, body, len, 3, &err)) {
        diag_add(d, DIAG_ERROR, NULL, 0, "%s", err.msg);
        return NULL;
    }
    Samla__V1__Submission *sub = samla__v1__submission__unpack(&arena->pa, len, body);
    if (!sub) {
        diag_add(d, DIAG_ERROR, NULL, 0,
                 "body is not a samla.v1.Submission within the decoding budget");
        return NULL;
    }
    if (subcheck_submission(sub, NULL, d) || figures_from_submission(sub, f, d)) {
        samla__v1__submission__free_unpacked(sub, &arena->pa);
        return NULL;
    }
    return sub;
}

void derive_row(const figures_t *f, const Samla__V1__Submission *sub, unsigned revision,
                const char *period, int64_t population, cons_row_t *out)
{
    cons_row(f, revision, s_month(period), population, out);
    disc_fewest_submission(sub, &out->disc); /* fails closed: every kind small */
}

void derive_metrics(const registry_t *reg, const char *orgnr, const char *period,
                    const figures_t *f, const Samla__V1__Submission *sub, unsigned revision,
                    cons_row_t *out)
{
    long i = registry_forbund_index(reg, orgnr);
    derive_row(f, sub, revision, period, i >= 0 ? registry_forbund(reg, (size_t)i)->population : 0,
               out);
}

int derive_store(store_t *store, const store_logged_t *l, const Samla__V1__Submission *sub,
                 const figures_t *f, const cons_row_t *row, samla_err_t *err)
{
    if (store_details_put(store, l->id, f, sub, err))
        return -1;
    if (!l->latest)
        return 0;
    cons_row_t none;
    if (!row) { /* an unreadable body: the month counts as reported, without figures */
        memset(&none, 0, sizeof none);
        none.revision = l->revision;
        row = &none;
    }
    return store_cons_put(store, l, row, err);
}

store_put_t derive_put(store_t *store, const store_submission_t *s,
                       const Samla__V1__Submission *sub, const figures_t *f,
                       const cons_row_t *row, store_receipt_t *r, samla_err_t *err)
{
    store_put_t put = store_put(store, s, r, err);
    if (put != STORE_INSERTED)
        return put;
    store_logged_t l = {s->id,       s->orgnr, s->period, r->received_at,
                        r->revision, true,     s->body,   s->body_len};
    return derive_store(store, &l, sub, f, row, err) ? STORE_FAILED : STORE_INSERTED;
}

/* --- group aggregates ------------------------------------------------------------------ */

typedef struct {
    const registry_t *reg;
    cons_row_t *rows; /* [förbund index] */
} s_rows_t;

static cons_row_t *s_slot(void *arg, const char *orgnr)
{
    s_rows_t *r = arg;
    long i = registry_forbund_index(r->reg, orgnr);
    return i >= 0 ? &r->rows[i] : NULL;
}

int derive_groups(store_t *store, const registry_t *reg, const char *period, samla_err_t *err)
{
    size_t nf = registry_forbund_count(reg);
    s_rows_t r = {reg, calloc(nf + 1, sizeof *r.rows)};
    const cons_row_t **rows = calloc(nf + 1, sizeof *rows);
    const char **owners = calloc(nf + 1, sizeof *owners);
    int rc = -1;
    if (!r.rows || !rows || !owners) {
        err_set(err, "out of memory");
        goto done;
    }
    if (store_period(store, period, -1, s_slot, &r, err))
        goto done;
    for (size_t g = 0; g < registry_group_count(reg); g++) {
        size_t n = 0;
        for (size_t i = 0; i < nf; i++)
            if (registry_in_group(reg, g, i)) {
                rows[n] = r.rows[i].revision ? &r.rows[i] : NULL;
                owners[n++] = registry_forbund(reg, i)->orgnr;
            }
        for (size_t k = 0; k < metric_count; k++) {
            cons_agg_t agg;
            if (cons_aggregate(k, rows, owners, n, NULL, &agg, NULL)) {
                err_set(err, "out of memory");
                goto done;
            }
            if (store_group_put(store, registry_group_name(reg, g), period, k, &agg, err))
                goto done;
        }
    }
    rc = 0;
done:
    free(r.rows);
    free(rows);
    free(owners);
    return rc;
}

typedef struct {
    char (*v)[8];
    size_t n, cap;
    bool failed;
} s_periods_t;

static void s_period(void *arg, const char *period)
{
    s_periods_t *p = arg;
    if (p->n == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 64;
        char (*v)[8] = realloc(p->v, cap * sizeof *v);
        if (!v) {
            p->failed = true;
            return;
        }
        p->v = v;
        p->cap = cap;
    }
    snprintf(p->v[p->n++], sizeof p->v[0], "%.7s", period);
}

/* Every period's aggregates, for every group of the registry (inside a transaction). */
static int s_all_groups(store_t *store, const registry_t *reg, samla_err_t *err)
{
    s_periods_t p = {0};
    int rc = store_group_clear(store, err) || store_periods(store, s_period, &p, err) ? -1 : 0;
    if (rc == 0 && p.failed)
        rc = err_set(err, "out of memory");
    for (size_t i = 0; rc == 0 && i < p.n; i++)
        rc = derive_groups(store, reg, p.v[i], err);
    free(p.v);
    return rc;
}

int derive_registry(store_t *store, const registry_t *reg, samla_err_t *err)
{
    size_t nf = registry_forbund_count(reg), ng = 0;
    for (size_t g = 1; g < registry_group_count(reg); g++)
        for (size_t i = 0; i < nf; i++)
            ng += registry_in_group(reg, g, i);
    store_member_t *m = calloc(nf + 1, sizeof *m);
    store_grouping_t *gr = calloc(ng + 1, sizeof *gr);
    store_target_t *tg = NULL;
    int rc = -1;
    if (!m || !gr) {
        err_set(err, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < nf; i++) {
        const member_t *mb = registry_forbund(reg, i);
        m[i] = (store_member_t){mb->orgnr, mb->name, mb->population};
    }
    ng = 0;
    for (size_t g = 1; g < registry_group_count(reg); g++)
        for (size_t i = 0; i < nf; i++)
            if (registry_in_group(reg, g, i))
                gr[ng++] = (store_grouping_t){registry_group_name(reg, g),
                                              registry_forbund(reg, i)->orgnr};
    const target_set_t *ts = registry_targets(reg);
    if (!(tg = calloc(ts->n + 1, sizeof *tg))) {
        err_set(err, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < ts->n; i++) {
        const target_t *t = &ts->v[i];
        tg[i] = (store_target_t){target_scope_name(t->scope), t->subject,
                                 metric_table[t->metric].name, target_dir_name(t->dir),
                                 t->dir != TARGET_AT_MOST, t->dir != TARGET_AT_LEAST, t->low,
                                 t->high};
    }
    bool changed = false;
    if (store_begin(store, err))
        goto done;
    if (store_snapshot(store, m, nf, gr, ng, &changed, err) ||
        store_targets(store, tg, ts->n, err) ||
        (changed && s_all_groups(store, reg, err)) || store_commit(store, err)) {
        store_rollback(store);
        goto done;
    }
    if (changed)
        log_event(LOG_LVL_INFO, "registry.snapshot", "forbund=%zu groups=%zu", nf,
                  registry_group_count(reg));
    rc = 0;
done:
    free(m);
    free(gr);
    free(tg);
    return rc;
}

/* --- rederive ------------------------------------------------------------------------- */

typedef struct {
    store_t *store;
    const registry_t *reg;
    arena_t a;
    long long n, unreadable;
    samla_err_t *err;
} s_rederive_t;

/* One logged submission: decoded, checked and figured again as ingest does now. A body
 * this version cannot read any more keeps its place in the log and counts as reported
 * without figures (its metrics are null), with a warning. */
static int s_one(void *arg, const store_logged_t *l)
{
    s_rederive_t *x = arg;
    diag_t *d = diag_new();
    figures_t f;
    if (!d)
        return err_set(x->err, "out of memory");
    Samla__V1__Submission *sub = derive_body(l->body, l->body_len, &x->a, &f, d);
    bool ok = sub != NULL;
    if (!ok) {
        x->unreadable++;
        log_event(LOG_LVL_WARN, "rederive.unreadable", "id=%s orgnr=%s period=%s reason=\"%s\"",
                  l->id, l->orgnr, l->period, diag_first_error(d));
    }
    cons_row_t row;
    if (ok && l->latest) {
        int64_t pop = store_population_at(x->store, l->orgnr, l->received_at, x->err);
        if (pop < 0) {
            long i = registry_forbund_index(x->reg, l->orgnr);
            pop = i >= 0 ? registry_forbund(x->reg, (size_t)i)->population : 0;
        }
        derive_row(&f, sub, l->revision, l->period, pop, &row);
    }
    int rc = derive_store(x->store, l, ok ? sub : NULL, ok ? &f : NULL,
                          ok && l->latest ? &row : NULL, x->err);
    if (sub)
        samla__v1__submission__free_unpacked(sub, &x->a.pa);
    arena_reset(&x->a);
    diag_destroy(&d);
    if (++x->n % 10000 == 0)
        log_event(LOG_LVL_INFO, "rederive.progress", "submissions=%lld", x->n);
    return rc;
}

int derive_all(store_t *store, const registry_t *reg, long long *n, samla_err_t *err)
{
    s_rederive_t x = {.store = store, .reg = reg, .err = err};
    arena_init(&x.a, WIRE_DECODE_BUDGET);
    int rc = -1;
    if (store_begin(store, err))
        goto done;
    if (store_clear_derived(store, err) || store_each(store, s_one, &x, err) ||
        s_all_groups(store, reg, err) || store_commit(store, err)) {
        store_rollback(store);
        goto done;
    }
    log_event(LOG_LVL_INFO, "rederive.done", "submissions=%lld unreadable=%lld", x.n,
              x.unreadable);
    *n = x.n;
    rc = 0;
done:
    arena_release(&x.a);
    return rc;
}
