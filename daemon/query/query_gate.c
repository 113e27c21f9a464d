/* query_gate: the disclosure gate as the queries read it. For a förbund key, the year's
 * release (disclose.h) of every registered förbund is worked out from what the store keeps
 * for it beside each latest revision (the smallest counts, derive.c) and kept while the
 * database is unchanged (query_cache_t); every row a query reads is stamped with it;
 * a row that was not stamped is withheld whole from a förbund key (consolidate.c), so a
 * path that forgets the gate shows less, never more. The same year, with its rows, is
 * what `samlad --audit-privacy` proves (query_audit.c). */
#include "query_int.h"

#include <stdlib.h>
#include <string.h>

#include "samla/log.h"

/* One year's masks, [registry index][month]. */
struct qry_release_s {
    int year;
    disc_mask_t (*mask)[12];
    qry_release_t *next;
};

/* Most years kept: a trend spans ten, an overview twenty. */
#define S_CACHE_YEARS 32

/* The releases worked out so far, valid while the database, the registry and the
 * threshold stay what they were. Owned by the query thread. */
struct query_cache_s {
    registry_t *reg; /* a reference, so that no other registry can take its address */
    long long threshold;
    int64_t version;
    qry_release_t *years;
    size_t n;
};

query_cache_t *query_cache_new(void)
{
    return calloc(1, sizeof(query_cache_t));
}

static void s_clear(query_cache_t *c)
{
    while (c->years) {
        qry_release_t *r = c->years;
        c->years = r->next;
        free(r->mask);
        free(r);
    }
    c->n = 0;
    registry_destroy(&c->reg);
}

void query_cache_destroy(query_cache_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    s_clear(*self_p);
    free(*self_p);
    *self_p = NULL;
}

void qry_cache_sync(query_cache_t *c, const registry_t *reg, long long threshold,
                    int64_t version)
{
    if (c->reg == reg && c->threshold == threshold && c->version == version &&
        c->n < S_CACHE_YEARS)
        return;
    s_clear(c);
    c->reg = registry_ref((registry_t *)reg);
    c->threshold = threshold;
    c->version = version;
}

/* --- one year of every förbund ------------------------------------------------------- */

typedef struct {
    qry_year_t *y;
    const registry_t *reg;
    long long threshold;
    int m;
} s_load_t;

static void s_fewest(void *arg, const char *orgnr, const disc_fewest_t *f)
{
    s_load_t *l = arg;
    long i = registry_forbund_index(l->reg, orgnr);
    if (i < 0)
        return;
    l->y->month[i][l->m] = disc_month_of(f, l->threshold);
}

static void s_part(void *arg, const store_part_t *r)
{
    s_load_t *l = arg;
    qry_year_t *y = l->y;
    long i = registry_forbund_index(l->reg, r->orgnr);
    if (i < 0 || !r->intervention)
        return;
    size_t at = (size_t)i * 12 + (size_t)l->m;
    if (y->nrows[at] == y->caps[at]) {
        size_t cap = y->caps[at] ? 2 * y->caps[at] : 32;
        disc_row_t *v = realloc(y->rows[at], cap * sizeof *v);
        if (!v) {
            y->failed = true;
            return;
        }
        y->rows[at] = v;
        y->caps[at] = cap;
    }
    disc_row_t *d = &y->rows[at][y->nrows[at]++];
    d->intervention = arena_strdup(&y->strings, r->intervention);
    d->kind = arena_strdup(&y->strings, r->kind);
    d->measure = arena_strdup(&y->strings, r->measure);
    d->category = r->category ? arena_strdup(&y->strings, r->category) : NULL;
    memcpy(d->n, r->count, sizeof d->n);
    y->failed |= y->strings.failed;
}

void qry_year_free(qry_year_t *y)
{
    for (size_t i = 0; y->rows && i < 12 * y->nf; i++)
        free(y->rows[i]);
    free(y->rows);
    free(y->nrows);
    free(y->caps);
    free(y->month);
    arena_release(&y->strings);
    memset(y, 0, sizeof *y);
}

int qry_year_load(store_t *store, const registry_t *reg, long long threshold, int year,
                  bool with_rows, qry_year_t *y)
{
    memset(y, 0, sizeof *y);
    y->nf = registry_forbund_count(reg);
    arena_init(&y->strings, SIZE_MAX);
    y->month = calloc(y->nf + 1, sizeof *y->month);
    y->rows = calloc(12 * y->nf + 1, sizeof *y->rows);
    y->nrows = calloc(12 * y->nf + 1, sizeof *y->nrows);
    y->caps = calloc(12 * y->nf + 1, sizeof *y->caps);
    int rc = y->month && y->rows && y->nrows && y->caps ? 0 : -1;
    for (int m = 0; rc == 0 && m < 12; m++) {
        char period[8];
        period_format((period_t){year, m + 1}, period, sizeof period);
        s_load_t l = {y, reg, threshold, m};
        samla_err_t err;
        if (store_disclosure(store, period, s_fewest, &l, &err) ||
            (with_rows && store_participants(store, period, s_part, &l, &err))) {
            log_event(LOG_LVL_ERROR, "query.store", "reason=\"%s\"", err.msg);
            rc = -1;
        }
        rc |= y->failed ? -1 : 0;
    }
    if (rc)
        qry_year_free(y);
    return rc;
}

/* --- the gate ------------------------------------------------------------------------ */

/* The release of one year, worked out from the store and kept in the cache. NULL when it
 * failed. */
static qry_release_t *s_load(qry_ctx_t *x, int year)
{
    qry_year_t y;
    if (qry_year_load(x->store, x->reg, x->viewer.threshold, year, false, &y))
        return NULL;
    qry_release_t *r = calloc(1, sizeof *r);
    if (r && (r->mask = calloc(y.nf + 1, sizeof *r->mask))) {
        for (size_t i = 0; i < y.nf; i++)
            disc_year(y.month[i], r->mask[i]);
        r->year = year;
        r->next = x->cache->years;
        x->cache->years = r;
        x->cache->n++;
    } else if (r) {
        free(r);
        r = NULL;
    }
    qry_year_free(&y);
    return r;
}

bool qry_gate_open(const qry_ctx_t *x)
{
    return !x->viewer.orgnr || x->viewer.threshold <= 0;
}

disc_mask_t qry_gate(qry_ctx_t *x, size_t index, period_t p)
{
    const disc_mask_t none = {0, 0}, all = {DISC_ALL, DISC_ALL};
    if (qry_gate_open(x))
        return none;
    const member_t *mb = registry_forbund(x->reg, index);
    if (!mb || p.month < 1 || p.month > 12)
        return all;
    if (strcmp(mb->orgnr, x->viewer.orgnr) == 0)
        return none;
    qry_release_t *r = x->cache->years;
    while (r && r->year != p.year)
        r = r->next;
    if (!r && !(r = s_load(x, p.year))) {
        x->gate_failed = true;
        return all;
    }
    return r->mask[index][p.month - 1];
}

void qry_gate_row(qry_ctx_t *x, size_t index, period_t p, cons_row_t *row)
{
    row->hide = qry_gate(x, index, p).h;
    row->gated = true;
}

void qry_gate_rows(qry_ctx_t *x, period_t p, cons_row_t *rows)
{
    size_t nf = registry_forbund_count(x->reg);
    for (size_t i = 0; i < nf; i++)
        qry_gate_row(x, i, p, &rows[i]);
}

void qry_gate_lines(qry_ctx_t *x, period_t p, bd_t *bd)
{
    for (size_t j = 0; j < bd->n; j++) {
        bd_line_t *l = &bd->v[j];
        int kind = disc_line_kind(bd->by, l);
        uint8_t d = l->forbund < x->n ? qry_gate(x, x->members[l->forbund], p).d : DISC_ALL;
        l->hidden = kind >= 0 ? (d & DISC_BIT(kind)) != 0 : d != 0;
    }
}
