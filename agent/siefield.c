/* siefield: the model's containers, diagnostics with file:line:column, and the typed
 * fields of a record (numbers, amounts, dates, accounts, object lists), for sie.c. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "samla/money.h"
#include "samla/period.h"
#include "sieimpl.h"

/* --- small containers ---------------------------------------------------------- */

int sieimpl_grow(void **v, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return 0;
    size_t ncap = *cap ? *cap * 2 : 64;
    void *nv = realloc(*v, ncap * size);
    if (!nv)
        return -1;
    *v = nv;
    *cap = ncap;
    return 0;
}

int sieimpl_push_row(sie_rowvec_t *rv, sie_rawrow_t r)
{
    if (sieimpl_grow((void **)&rv->v, &rv->cap, rv->n, sizeof r))
        return -1;
    rv->v[rv->n++] = r;
    return 0;
}

static size_t s_hash(int no, size_t cap)
{
    return ((unsigned)no * 2654435761u) & (cap - 1);
}

sie_account_t *sieimpl_account(const sie_t *s, int no)
{
    if (!s->index_cap)
        return NULL;
    for (size_t h = s_hash(no, s->index_cap);; h = (h + 1) & (s->index_cap - 1)) {
        int pos = s->index[h];
        if (pos == 0)
            return NULL;
        if (s->accounts[pos - 1].no == no)
            return &s->accounts[pos - 1];
    }
}

static int s_reindex(sie_t *s)
{
    size_t cap = 256;
    while (cap < s->n_accounts * 2 + 2)
        cap *= 2;
    int *idx = calloc(cap, sizeof *idx);
    if (!idx)
        return -1;
    free(s->index);
    s->index = idx;
    s->index_cap = cap;
    for (size_t i = 0; i < s->n_accounts; i++) {
        size_t h = s_hash(s->accounts[i].no, cap);
        while (idx[h])
            h = (h + 1) & (cap - 1);
        idx[h] = (int)i + 1;
    }
    return 0;
}

sie_account_t *sieimpl_add_account(sie_t *s, int no)
{
    sie_account_t *a = sieimpl_account(s, no);
    if (a)
        return a;
    if (sieimpl_grow((void **)&s->accounts, &s->cap_accounts, s->n_accounts, sizeof *a))
        return NULL;
    a = &s->accounts[s->n_accounts++];
    memset(a, 0, sizeof *a);
    a->no = no;
    if (s->n_accounts * 2 + 2 > s->index_cap && s_reindex(s))
        return NULL;
    if (s->index_cap && sieimpl_account(s, no) == NULL && s_reindex(s))
        return NULL;
    return a;
}

int sieimpl_object(const sie_t *s, const char *code, size_t len)
{
    for (size_t i = 0; i < s->n_objects; i++)
        if (strlen(s->objects[i].code) == len && memcmp(s->objects[i].code, code, len) == 0)
            return (int)i;
    return -1;
}

/* --- diagnostics ----------------------------------------------------------------- */

int sieimpl_problem(sie_t *s, diag_level_t lvl, size_t line, size_t col, const char *fmt,
                     ...)
{
    char where[512], msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (col)
        snprintf(where, sizeof where, "%s:%zu:%zu", s->display, line, col);
    else
        snprintf(where, sizeof where, "%s:%zu", s->display, line);
    return diag_add(s->d, lvl, where, 0, "%s", msg);
}

/* --- field helpers ----------------------------------------------------------------- */


int sieimpl_int(sie_t *s, const sie_rec_t *r, size_t i, long lo, long hi, const char *what,
                 long *out)
{
    if (i >= r->n)
        return sieimpl_problem(s, DIAG_ERROR, r->line, 0, "%s: missing %s", r->label, what);
    const sie_field_t *f = &r->f[i];
    long v = 0;
    size_t k = 0;
    bool neg = f->len > 0 && f->p[0] == '-';
    if (neg)
        k++;
    if (k == f->len)
        return sieimpl_problem(s, DIAG_ERROR, r->line, f->col, "%s: %s '%.*s' is not a number",
                         r->label, what, (int)f->len, f->p);
    for (; k < f->len; k++) {
        if (f->p[k] < '0' || f->p[k] > '9' || v > 100000000L)
            return sieimpl_problem(s, DIAG_ERROR, r->line, f->col, "%s: %s '%.*s' is not a number",
                             r->label, what, (int)f->len, f->p);
        v = v * 10 + (f->p[k] - '0');
    }
    if (neg)
        v = -v;
    if (v < lo || v > hi)
        return sieimpl_problem(s, DIAG_ERROR, r->line, f->col, "%s: %s %ld is outside %ld..%ld",
                         r->label, what, v, lo, hi);
    *out = v;
    return 0;
}

int sieimpl_amount(sie_t *s, const sie_rec_t *r, size_t i, int64_t *out)
{
    if (i >= r->n)
        return sieimpl_problem(s, DIAG_ERROR, r->line, 0, "%s: missing amount", r->label);
    const sie_field_t *f = &r->f[i];
    if (money_parse(f->p, f->len, out))
        return sieimpl_problem(s, DIAG_ERROR, r->line, f->col,
                         "%s: amount '%.*s' is not a number with at most two decimals",
                         r->label, (int)f->len, f->p);
    return 0;
}

int sieimpl_date(sie_t *s, const sie_rec_t *r, size_t i, int *out)
{
    if (i >= r->n)
        return sieimpl_problem(s, DIAG_ERROR, r->line, 0, "%s: missing date", r->label);
    const sie_field_t *f = &r->f[i];
    if (date_parse(f->p, f->len, out))
        return sieimpl_problem(s, DIAG_ERROR, r->line, f->col,
                         "%s: date '%.*s' is not a valid YYYYMMDD date", r->label,
                         (int)f->len, f->p);
    return 0;
}

int sieimpl_account_field(sie_t *s, const sie_rec_t *r, size_t i, int *out)
{
    long v;
    if (sieimpl_int(s, r, i, 0, 999999999L, "account", &v))
        return -1;
    if (!sieimpl_account(s, (int)v))
        return sieimpl_problem(s, DIAG_ERROR, r->line, r->f[i].col,
                         "%s: account %ld is used but not declared with #KONTO", r->label, v);
    *out = (int)v;
    return 0;
}

/* The dimension-1 object of an object list: -1 for "{}", -2 for a list that names only
 * other dimensions (not a cost-area row), else the object's index. */
int sieimpl_objlist(sie_t *s, const sie_rec_t *r, size_t i, int *out)
{
    return sieimpl_objlist_in(s, r, i, out, false);
}

/* lenient: an undeclared object is a warning (once per file), not an error. */
int sieimpl_objlist_in(sie_t *s, const sie_rec_t *r, size_t i, int *out, bool lenient)
{
    *out = -1;
    if (i >= r->n || !r->f[i].braces)
        return sieimpl_problem(s, DIAG_ERROR, r->line, i < r->n ? r->f[i].col : 0,
                         "%s: expected an object list {...}", r->label);
    sie_cursor_t c;
    sie_field_t dim, obj;
    sietext_cursor(&c, r->f[i].p, r->f[i].len);
    bool any = false;
    int rc;
    while ((rc = sietext_next(&c, &dim)) == 1) {
        if (sietext_next(&c, &obj) != 1)
            return sieimpl_problem(s, DIAG_ERROR, r->line, r->f[i].col + dim.col,
                             "%s: object list has a dimension without an object", r->label);
        any = true;
        if (dim.len == 1 && dim.p[0] == '1') {
            int o = sieimpl_object(s, obj.p, obj.len);
            if (o < 0 && lenient) {
                if (!s->warned_object++)
                    sieimpl_problem(s, DIAG_WARNING, r->line, r->f[i].col + obj.col,
                              "%s: object \"%.*s\" of dimension 1 is not declared with "
                              "#OBJEKT (warned once)",
                              r->label, (int)obj.len, obj.p);
                *out = -2;
                return 0;
            }
            if (o < 0)
                return sieimpl_problem(s, DIAG_ERROR, r->line, r->f[i].col + obj.col,
                                 "%s: object \"%.*s\" of dimension 1 is not declared with "
                                 "#OBJEKT",
                                 r->label, (int)obj.len, obj.p);
            *out = o;
            return 0;
        }
    }
    if (rc < 0)
        return sieimpl_problem(s, DIAG_ERROR, r->line, r->f[i].col, "%s: unterminated quote",
                         r->label);
    if (any)
        *out = -2;
    return 0;
}

