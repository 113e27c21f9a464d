/* siemonth: month-end figures from a read SIE file, and the file's accessors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "samla/money.h"
#include "sieimpl.h"

const char *sie_orgnr(const sie_t *s) { return s->orgnr; }
const char *sie_company(const sie_t *s) { return s->company; }
sie_encoding_t sie_encoding(const sie_t *s) { return s->enc; }
int sie_type(const sie_t *s) { return s->type; }
size_t sie_voucher_count(const sie_t *s) { return s->vouchers; }
size_t sie_trans_count(const sie_t *s) { return s->trans_rows; }
int sie_uses_psaldo(const sie_t *s) { return s->psaldo.n > 0; }
int sie_psaldo_without_objects(const sie_t *s) { return s->psaldo_without_objects; }

int sie_checksum_verified(const sie_t *s) { return s->ksumma == 2; }

int sie_year0(const sie_t *s, int *start, int *end)
{
    *start = s->year0_start;
    *end = s->year0_end;
    return s->year0_start ? 0 : -1;
}
size_t sie_object_count(const sie_t *s) { return s->n_objects; }
const char *sie_object_code(const sie_t *s, size_t i) { return s->objects[i].code; }
const char *sie_object_name(const sie_t *s, size_t i) { return s->objects[i].name; }

const char *sie_account_name(const sie_t *s, int account)
{
    const sie_account_t *a = sieimpl_account(s, account);
    return a ? a->name : NULL;
}

/* --- how #PSALDO is read ------------------------------------------------------------ */

/* Year-0 totals per account under both readings of #PSALDO: `whole`, the specification's
 * ({} is the account's total; without a {} row, the sum of its dimension-1 rows), and
 * `parts`, Avendo's ({} is the part without objects; every row is a disjoint part, rows
 * of other dimensions included). Indexed like s->accounts. */
typedef struct {
    int64_t *whole, *parts, *objects;
    bool *has_total;
} s_readings_t;

static int s_readings(const sie_t *s, s_readings_t *r)
{
    size_t n = s->n_accounts + 1;
    r->whole = calloc(n, sizeof *r->whole);
    r->parts = calloc(n, sizeof *r->parts);
    r->objects = calloc(n, sizeof *r->objects);
    r->has_total = calloc(n, sizeof *r->has_total);
    if (!r->whole || !r->parts || !r->objects || !r->has_total)
        return -1;
    for (size_t i = 0; i < s->psaldo.n; i++) {
        const sie_rawrow_t *row = &s->psaldo.v[i];
        size_t a = (size_t)(sieimpl_account(s, row->account) - s->accounts);
        r->parts[a] += row->amount;
        if (row->object == -1) {
            r->whole[a] += row->amount;
            r->has_total[a] = true;
        } else if (row->object >= 0) {
            r->objects[a] += row->amount;
        }
    }
    for (size_t a = 0; a < s->n_accounts; a++)
        if (!r->has_total[a])
            r->whole[a] = r->objects[a];
    return 0;
}

/* The accounts whose #UB (or #RES) the totals do not reproduce, as "1460, 1510, ...";
 * returns how many. */
static size_t s_misses(const sie_t *s, const int64_t *totals, char *list, size_t size)
{
    size_t n = 0;
    list[0] = '\0';
    for (size_t a = 0; a < s->n_accounts; a++) {
        const sie_account_t *acc = &s->accounts[a];
        if (!acc->has_ub0 && !acc->has_res0)
            continue;
        int64_t want = acc->has_ub0 ? acc->ub0 : acc->res0;
        int64_t got = totals[a] + (acc->has_ib0 ? acc->ib0 : 0);
        if (got == want)
            continue;
        if (n++ < 8)
            snprintf(list + strlen(list), size - strlen(list), "%s%d", n > 1 ? ", " : "",
                     acc->no);
    }
    if (n > 8)
        snprintf(list + strlen(list), size - strlen(list), " and %zu more", n - 8);
    return n;
}

/* Rewrites Avendo's rows into the specification's form: each row's amount also joins the
 * account's {} total, and rows of other dimensions only do that. */
static int s_to_whole(sie_rowvec_t *rv)
{
    size_t n = rv->n;
    for (size_t i = 0; i < n; i++) {
        sie_rawrow_t row = rv->v[i];
        if (row.object == -1)
            continue;
        row.object = -1;
        if (sieimpl_push_row(rv, row))
            return -1;
    }
    size_t o = 0;
    for (size_t i = 0; i < rv->n; i++)
        if (rv->v[i].object != -2)
            rv->v[o++] = rv->v[i];
    rv->n = o;
    return 0;
}

void sieimpl_settle_periods(sie_t *s)
{
    bool checkable = false;
    for (size_t a = 0; a < s->n_accounts && !checkable; a++)
        checkable = s->accounts[a].has_ub0 || s->accounts[a].has_res0;
    if (!s->psaldo.n || !checkable)
        return; /* nothing to tell the readings apart by: the specification's */
    s_readings_t r;
    char whole[160], parts[160];
    if (s_readings(s, &r) == 0) {
        size_t miss_whole = s_misses(s, r.whole, whole, sizeof whole);
        size_t miss_parts = s_misses(s, r.parts, parts, sizeof parts);
        if (miss_whole && !miss_parts) {
            s->psaldo_without_objects = true;
            if (s_to_whole(&s->psaldo) || s_to_whole(&s->pbudget))
                sieimpl_problem(s, DIAG_ERROR, 0, 0, "out of memory");
        } else if (miss_whole) {
            sieimpl_problem(s, DIAG_ERROR, 0, 0,
                            "#PSALDO: with #IB, the period balances do not give the file's own "
                            "#UB and #RES, whether {} is read as the account's total or as the "
                            "part without objects; accounts that differ: %s",
                            miss_parts < miss_whole ? parts : whole);
        }
    } else {
        sieimpl_problem(s, DIAG_ERROR, 0, 0, "out of memory");
    }
    free(r.whole);
    free(r.parts);
    free(r.objects);
    free(r.has_total);
}

/* --- month end ----------------------------------------------------------------------- */

static int s_cmp_row(const void *a, const void *b)
{
    const sie_row_t *x = a, *y = b;
    if (x->account != y->account)
        return x->account < y->account ? -1 : 1;
    return (x->object > y->object) - (x->object < y->object);
}

/* Sorts and sums rows with the same (account, object). */
static void s_merge(sie_rows_t *r)
{
    if (r->n == 0)
        return;
    qsort(r->rows, r->n, sizeof *r->rows, s_cmp_row);
    size_t o = 0;
    for (size_t i = 1; i < r->n; i++) {
        if (r->rows[i].account == r->rows[o].account && r->rows[i].object == r->rows[o].object)
            r->rows[o].amount += r->rows[i].amount;
        else
            r->rows[++o] = r->rows[i];
    }
    r->n = o + 1;
}

/* Period rows (#PSALDO, #PBUDGET) up to `upto` (YYYYMM): object rows as they are, and an
 * account total from the {} row, or, where an account has none, from its object rows. */
static int s_period_rows(const sie_rowvec_t *src, int from, int upto, sie_rows_t *out,
                         size_t extra)
{
    out->rows = malloc((src->n * 2 + extra + 1) * sizeof *out->rows);
    out->n = 0;
    if (!out->rows)
        return -1;
    for (size_t i = 0; i < src->n; i++)
        if (src->v[i].key >= from && src->v[i].key <= upto && src->v[i].object != -2)
            out->rows[out->n++] = (sie_row_t){src->v[i].account, src->v[i].object,
                                              src->v[i].amount};
    s_merge(out);
    size_t n = out->n;
    for (size_t i = 0; i < n;) {
        size_t k = i;
        int64_t objects = 0;
        bool has_total = false;
        for (; k < n && out->rows[k].account == out->rows[i].account; k++) {
            if (out->rows[k].object < 0)
                has_total = true;
            else
                objects += out->rows[k].amount;
        }
        if (!has_total)
            out->rows[out->n++] = (sie_row_t){out->rows[i].account, -1, objects};
        i = k;
    }
    return 0;
}

static int64_t s_total(const sie_rows_t *r, int account)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->rows[i].account == account && r->rows[i].object < 0)
            return r->rows[i].amount;
    return 0;
}

/* At the year's last month the figures must equal the file's own closing balances (#UB)
 * and results (#RES); every account that differs is reported. */
static int s_cross_check(const sie_t *s, const sie_rows_t *actual, diag_t *d)
{
    int rc = 0;
    for (size_t i = 0; i < s->n_accounts; i++) {
        const sie_account_t *a = &s->accounts[i];
        if (!a->has_ub0 && !a->has_res0)
            continue;
        int64_t want = a->has_ub0 ? a->ub0 : a->res0, got = s_total(actual, a->no);
        if (got == want)
            continue;
        char g[32], w[32];
        money_format(got, g, sizeof g);
        money_format(want, w, sizeof w);
        rc = diag_add(d, DIAG_ERROR, s->display, 0,
                      "account %d: the %s give %s at year end, but %s says %s", a->no,
                      s->psaldo.n ? "#IB and #PSALDO rows" : "#IB and vouchers", g,
                      a->has_ub0 ? "#UB" : "#RES", w);
    }
    return rc;
}

/* Both row sets empty again, after a failure: the caller frees nothing. */
static void s_release(sie_rows_t *actual, sie_rows_t *budget)
{
    free(actual->rows);
    free(budget->rows);
    memset(actual, 0, sizeof *actual);
    memset(budget, 0, sizeof *budget);
}

/* A file with a header and nothing for the period (no balances, vouchers or #PSALDO up
 * to its end) must not be sent as a month of zeros. */
static int s_no_figures(const sie_t *s, period_t p, sie_rows_t *actual, sie_rows_t *budget,
                        diag_t *d)
{
    s_release(actual, budget);
    return diag_add(d, DIAG_ERROR, s->display, 0, "no figures for %04d-%02d: the file holds no "
                    "balances (#IB, #UB, #RES), vouchers or #PSALDO up to the period's end",
                    p.year, p.month);
}

/* A year's closing figures per account: #UB 0 or #RES 0 (this year), #UB -1 or #RES -1
 * (last year). An account has one of the two: a balance or a result. */
static int s_closing_rows(const sie_t *s, bool last_year, sie_rows_t *rows)
{
    rows->n = 0;
    rows->rows = malloc((s->n_accounts + 1) * sizeof *rows->rows);
    if (!rows->rows)
        return -1;
    for (size_t i = 0; i < s->n_accounts; i++) {
        const sie_account_t *a = &s->accounts[i];
        bool has_ub = last_year ? a->has_ub1 : a->has_ub0;
        bool has_res = last_year ? a->has_res1 : a->has_res0;
        int64_t ub = last_year ? a->ub1 : a->ub0, res = last_year ? a->res1 : a->res0;
        if (has_ub || has_res)
            rows->rows[rows->n++] = (sie_row_t){a->no, -1, has_ub ? ub : res};
    }
    return 0;
}

int sie_last_year(const sie_t *s, sie_rows_t *rows)
{
    return s_closing_rows(s, true, rows);
}

/* The vouchers' rows of the months up to upto_ym, per account and again per object, with
 * room for the opening balances after them. */
static int s_trans_rows(const sie_t *s, int upto_ym, sie_rows_t *actual)
{
    actual->rows = malloc((s->trans.n * 2 + s->n_accounts + 1) * sizeof *actual->rows);
    if (!actual->rows)
        return -1;
    for (size_t i = 0; i < s->trans.n; i++) {
        const sie_rawrow_t *t = &s->trans.v[i];
        if (t->key > upto_ym)
            continue;
        actual->rows[actual->n++] = (sie_row_t){t->account, -1, t->amount};
        if (t->object >= 0)
            actual->rows[actual->n++] = (sie_row_t){t->account, t->object, t->amount};
    }
    return 0;
}

int sie_month_end(const sie_t *s, period_t p, sie_rows_t *actual, sie_rows_t *budget,
                  diag_t *d)
{
    memset(actual, 0, sizeof *actual);
    memset(budget, 0, sizeof *budget);
    if (!s->year0_start)
        return diag_add(d, DIAG_ERROR, s->display, 0,
                        "no #RAR 0: the file does not say which year it covers");
    int end = period_end_date(p), ym = p.year * 100 + p.month;
    if (ym < s->year0_start / 100 || ym > s->year0_end / 100)
        return diag_add(d, DIAG_ERROR, s->display, 0,
                        "period %04d-%02d is outside the fiscal year %d-%d (#RAR 0)", p.year,
                        p.month, s->year0_start, s->year0_end);
    int from_ym = s->year0_start / 100, upto_ym = end / 100;
    bool year_end = ym == s->year0_end / 100;
    if (s_period_rows(&s->pbudget, from_ym, upto_ym, budget, 0))
        goto oom;
    s_merge(budget);
    if (!s->psaldo.n && !s->vouchers) {
        if (!year_end) {
            s_release(actual, budget);
            return diag_add(d, DIAG_ERROR, s->display, 0,
                            "the file has neither vouchers nor #PSALDO: only the year's last "
                            "month (%d-%02d) can be reported from it",
                            s->year0_end / 10000, s->year0_end / 100 % 100);
        }
        /* Type 1 (and voucher-less 2 and 3): only the year's closing balances. */
        if (s_closing_rows(s, false, actual))
            goto oom;
        s_merge(actual);
        return actual->n ? 0 : s_no_figures(s, p, actual, budget, d);
    }
    /* The months summed: from #PSALDO when the file has it, else from the vouchers. */
    if (s->psaldo.n ? s_period_rows(&s->psaldo, from_ym, upto_ym, actual, s->n_accounts)
                    : s_trans_rows(s, upto_ym, actual))
        goto oom;
    for (size_t i = 0; i < s->n_accounts; i++)
        if (s->accounts[i].has_ib0)
            actual->rows[actual->n++] = (sie_row_t){s->accounts[i].no, -1, s->accounts[i].ib0};
    s_merge(actual);
    if (actual->n == 0)
        return s_no_figures(s, p, actual, budget, d);
    if (year_end && s_cross_check(s, actual, d)) {
        s_release(actual, budget);
        return -1;
    }
    return 0;
oom:
    s_release(actual, budget);
    return diag_add(d, DIAG_ERROR, s->display, 0, "out of memory");
}

int sie_last_month(const sie_t *s, period_t *p)
{
    int last = 0;
    const sie_rowvec_t *vecs[] = {&s->trans, &s->psaldo};
    for (size_t k = 0; k < 2; k++)
        for (size_t i = 0; i < vecs[k]->n; i++)
            if (vecs[k]->v[i].amount && vecs[k]->v[i].key > last)
                last = vecs[k]->v[i].key;
    if (!last)
        return -1;
    *p = (period_t){last / 100, last % 100};
    return p->month >= 1 && p->month <= 12 ? 0 : -1;
}
