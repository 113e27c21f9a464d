/* siefield: the model's containers, diagnostics with file:line:column, and the typed
 * fields of a record (numbers, amounts, dates, accounts, object lists), for sie.c. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "samla/cursor.h"
#include "samla/money.h"
#include "samla/period.h"
#include "sieimpl.h"
#include "samla/i18n.h"

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

static size_t s_trans_hash(int account, int object, int ym, size_t cap)
{
    uint32_t h = (uint32_t)account * 2654435761u;
    h ^= ((uint32_t)object + 0x9E3779B9u + (h << 6) + (h >> 2)) * 2246822519u;
    h ^= ((uint32_t)ym + 0x9E3779B9u + (h << 6) + (h >> 2)) * 3266489917u;
    return h & (cap - 1);
}

/* Rebuilds the month-sum index at twice the size; positions are unchanged. */
static int s_trans_rehash(sie_t *s)
{
    size_t cap = s->trans_index_cap ? s->trans_index_cap * 2 : 1024;
    int *idx = calloc(cap, sizeof *idx);
    if (!idx)
        return -1;
    for (size_t i = 0; i < s->trans.n; i++) {
        const sie_rawrow_t *t = &s->trans.v[i];
        size_t h = s_trans_hash(t->account, t->object, t->key, cap);
        while (idx[h])
            h = (h + 1) & (cap - 1);
        idx[h] = (int)i + 1;
    }
    free(s->trans_index);
    s->trans_index = idx;
    s->trans_index_cap = cap;
    return 0;
}

int sieimpl_add_trans(sie_t *s, int account, int object, int ym, int64_t amount)
{
    if ((s->trans.n + 1) * 2 > s->trans_index_cap && s_trans_rehash(s))
        return -1;
    size_t mask = s->trans_index_cap - 1;
    for (size_t h = s_trans_hash(account, object, ym, s->trans_index_cap);; h = (h + 1) & mask) {
        int pos = s->trans_index[h];
        if (!pos) {
            if (sieimpl_push_row(&s->trans, (sie_rawrow_t){account, object, ym, amount}))
                return -1;
            s->trans_index[h] = (int)s->trans.n;
            break;
        }
        sie_rawrow_t *t = &s->trans.v[pos - 1];
        if (t->account == account && t->object == object && t->key == ym) {
            if (__builtin_add_overflow(t->amount, amount, &t->amount))
                return -2;
            break;
        }
    }
    s->trans_rows++;
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

static uint32_t s_str_hash(const char *p, size_t len)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)p[i]) * 16777619u;
    return h;
}

int sieimpl_object(const sie_t *s, const char *code, size_t len)
{
    if (!s->obj_index_cap)
        return -1;
    size_t mask = s->obj_index_cap - 1;
    for (size_t h = s_str_hash(code, len) & mask;; h = (h + 1) & mask) {
        int pos = s->obj_index[h];
        if (pos == 0)
            return -1;
        const char *c = s->objects[pos - 1].code;
        if (strlen(c) == len && memcmp(c, code, len) == 0)
            return pos - 1;
    }
}

static int s_reindex_objects(sie_t *s)
{
    size_t cap = 64;
    while (cap < s->n_objects * 2 + 2)
        cap *= 2;
    int *idx = calloc(cap, sizeof *idx);
    if (!idx)
        return -1;
    free(s->obj_index);
    s->obj_index = idx;
    s->obj_index_cap = cap;
    for (size_t i = 0; i < s->n_objects; i++) {
        const char *c = s->objects[i].code;
        size_t h = s_str_hash(c, strlen(c)) & (cap - 1);
        while (idx[h])
            h = (h + 1) & (cap - 1);
        idx[h] = (int)i + 1;
    }
    return 0;
}

int sieimpl_add_object(sie_t *s, const char *code, size_t len, const char *name)
{
    if (sieimpl_grow((void **)&s->objects, &s->cap_objects, s->n_objects, sizeof(sie_object_t)))
        return -1;
    sie_object_t *o = &s->objects[s->n_objects];
    memset(o, 0, sizeof *o);
    /* code is not NUL-terminated (a slice of the scratch buffer): copy exactly len bytes */
    if ((o->code = malloc(len + 1))) {
        memcpy(o->code, code, len);
        o->code[len] = '\0';
    }
    o->name = name ? strdup(name) : NULL;
    if (!o->code || (name && !o->name)) {
        free(o->code);
        free(o->name);
        return -1;
    }
    s->n_objects++;
    if (s->n_objects * 2 + 2 > s->obj_index_cap)
        return s_reindex_objects(s) ? -1 : (int)s->n_objects - 1;
    size_t mask = s->obj_index_cap - 1, h = s_str_hash(o->code, len) & mask;
    while (s->obj_index[h])
        h = (h + 1) & mask;
    s->obj_index[h] = (int)s->n_objects;
    return (int)s->n_objects - 1;
}

char *sieimpl_scratch(sie_t *s, size_t n)
{
    if (n > s->scratch_cap) {
        size_t cap = n < 4096 ? 4096 : n * 2;
        char *p = realloc(s->scratch, cap);
        if (!p)
            return NULL;
        s->scratch = p;
        s->scratch_cap = cap;
    }
    return s->scratch;
}

/* --- diagnostics ----------------------------------------------------------------- */

static int s_problem(sie_t *s, diag_level_t lvl, size_t line, size_t col, size_t more,
                     const char *fmt, va_list ap)
{
    char msg[512];
    vsnprintf(msg, sizeof msg, gettext(fmt), ap); /* the reader's language (i18n.h) */
    uint32_t h = s_str_hash(msg, strlen(msg));
    int rc = lvl == DIAG_ERROR ? -1 : 0;
    /* Linear over at most SIE_MAX_PROBLEMS causes, newest first: a file's repeated cause
     * is almost always the one just seen. */
    for (size_t i = s->n_problems; i-- > 0;) {
        sie_problem_t *p = &s->problems[i];
        if (p->hash == h && p->lvl == lvl && strcmp(p->msg, msg) == 0) {
            p->more += more + 1;
            return rc;
        }
    }
    if (s->n_problems == SIE_MAX_PROBLEMS) {
        s->problems_dropped += more + 1;
        s->dropped_error |= lvl == DIAG_ERROR; /* never lose that the file failed */
        return rc;
    }
    if (!s->problems && !(s->problems = calloc(SIE_MAX_PROBLEMS, sizeof *s->problems)))
        return diag_add(s->d, DIAG_ERROR, s->display, line, "out of memory");
    char *copy = strdup(msg);
    if (!copy)
        return diag_add(s->d, DIAG_ERROR, s->display, line, "out of memory");
    s->problems[s->n_problems++] = (sie_problem_t){copy, lvl, line, col, more, h};
    return rc;
}

int sieimpl_problem(sie_t *s, diag_level_t lvl, size_t line, size_t col, const char *fmt,
                    ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = s_problem(s, lvl, line, col, 0, fmt, ap);
    va_end(ap);
    return rc;
}

int sieimpl_problem_n(sie_t *s, diag_level_t lvl, size_t line, size_t col, size_t more,
                      const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = s_problem(s, lvl, line, col, more, fmt, ap);
    va_end(ap);
    return rc;
}

void sieimpl_flush_problems(sie_t *s)
{
    for (size_t i = 0; i < s->n_problems; i++) {
        const sie_problem_t *p = &s->problems[i];
        char where[512];
        if (p->line && p->col)
            snprintf(where, sizeof where, "%s:%zu:%zu", s->display, p->line, p->col);
        else if (p->line)
            snprintf(where, sizeof where, "%s:%zu", s->display, p->line);
        else
            snprintf(where, sizeof where, "%s", s->display);
        if (p->more)
            diag_add(s->d, p->lvl, where, 0, "%s (and %zu more line%s like it)", p->msg, p->more,
                     p->more == 1 ? "" : "s");
        else
            diag_add(s->d, p->lvl, where, 0, "%s", p->msg);
        free(p->msg);
    }
    if (s->problems_dropped)
        diag_add(s->d, s->dropped_error ? DIAG_ERROR : DIAG_WARNING, s->display, 0,
                 "%zu more lines with problems of other kinds are not listed; fix the ones above "
                 "first", s->problems_dropped);
    free(s->problems);
    s->problems = NULL;
    s->n_problems = s->problems_dropped = 0;
}

/* --- field helpers ----------------------------------------------------------------- */


int sieimpl_int(sie_t *s, const sie_rec_t *r, size_t i, long lo, long hi, const char *what,
                long *out)
{
    if (i >= r->n)
        return sieimpl_problem(s, DIAG_ERROR, r->line, 0, "%s: missing %s", r->label, what);
    const sie_field_t *f = &r->f[i];
    cur_t c = cur_of(f->span);
    int64_t v;
    if (cur_int(&c, -999999999, 999999999, &v) || !cur_eof(&c))
        return sieimpl_problem(s, DIAG_ERROR, r->line, f->col, "%s: %s '%.*s' is not a number",
                               r->label, what, (int)f->len, f->p);
    if (v < lo || v > hi)
        return sieimpl_problem(s, DIAG_ERROR, r->line, f->col, "%s: %s %ld is outside %ld..%ld",
                               r->label, what, (long)v, lo, hi);
    *out = (long)v;
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

static void s_used(sie_use_t *u, const sie_rec_t *r, size_t col)
{
    if (!u->implicit)
        return;
    if (u->uses++ == 0) {
        u->line = r->line;
        u->col = col;
    }
}

int sieimpl_account_field(sie_t *s, const sie_rec_t *r, size_t i, int *out)
{
    long v = 0; /* set by sieimpl_int on success; -O2 cannot see that */
    if (sieimpl_int(s, r, i, 0, 999999999L, "account", &v))
        return -1;
    sie_account_t *a = sieimpl_account(s, (int)v);
    if (!a) {
        if (!(a = sieimpl_add_account(s, (int)v)))
            return sieimpl_problem(s, DIAG_ERROR, r->line, 0, "out of memory");
        a->use.implicit = true;
    }
    s_used(&a->use, r, r->f[i].col);
    *out = (int)v;
    return 0;
}

int sieimpl_objlist(sie_t *s, const sie_rec_t *r, size_t i, int *out)
{
    *out = -1;
    if (i >= r->n || !r->f[i].braces)
        return sieimpl_problem(s, DIAG_ERROR, r->line, i < r->n ? r->f[i].col : 0,
                               "%s: expected an object list {...}", r->label);
    cur_t c = cur_of(r->f[i].span);
    sie_field_t dim, obj;
    bool any = false;
    int rc;
    while ((rc = sietext_next(&c, &dim)) == 1) {
        if (sietext_next(&c, &obj) != 1)
            return sieimpl_problem(s, DIAG_ERROR, r->line, r->f[i].col + dim.col,
                                   "%s: object list has a dimension without an object", r->label);
        any = true;
        if (!(dim.len == 1 && dim.p[0] == '1'))
            continue;
        char *code = sieimpl_scratch(s, obj.len + 1);
        if (!code)
            return sieimpl_problem(s, DIAG_ERROR, r->line, 0, "out of memory");
        size_t len = sietext_unescape(&obj, code);
        int o = sieimpl_object(s, code, len);
        if (o < 0) {
            if ((o = sieimpl_add_object(s, code, len, NULL)) < 0)
                return sieimpl_problem(s, DIAG_ERROR, r->line, 0, "out of memory");
            s->objects[o].use.implicit = true;
        }
        s_used(&s->objects[o].use, r, r->f[i].col + obj.col);
        *out = o;
        return 0;
    }
    if (rc < 0)
        return sieimpl_problem(s, DIAG_ERROR, r->line, r->f[i].col, "%s: unterminated quote",
                               r->label);
    if (any)
        *out = -2;
    return 0;
}
