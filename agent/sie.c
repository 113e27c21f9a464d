#include "sieimpl.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "samla/money.h"
#include "samla/text.h"

/* --- records ----------------------------------------------------------------------- */

static bool s_is(const sie_rec_t *r, const char *label)
{
    return strlen(label) == r->f[0].len && memcmp(r->f[0].p, label, r->f[0].len) == 0;
}

static int s_rec_konto(sie_t *s, const sie_rec_t *r)
{
    long no;
    if (sieimpl_int(s, r, 1, 0, 999999999L, "account", &no))
        return -1;
    sie_account_t *a = sieimpl_add_account(s, (int)no);
    if (!a)
        return sieimpl_problem(s, DIAG_ERROR, r->line, 0, "out of memory");
    free(a->name);
    a->name = r->n > 2 ? sietext_field_dup(&r->f[2], s->enc) : NULL;
    return 0;
}

static int s_rec_objekt(sie_t *s, const sie_rec_t *r)
{
    long dim;
    if (sieimpl_int(s, r, 1, 0, 999999, "dimension", &dim))
        return -1;
    if (dim != 1)
        return 0;
    if (r->n < 3)
        return sieimpl_problem(s, DIAG_ERROR, r->line, 0, "#OBJEKT: missing object code");
    if (sieimpl_object(s, r->f[2].p, r->f[2].len) >= 0)
        return 0;
    if (sieimpl_grow((void **)&s->objects, &s->cap_objects, s->n_objects, sizeof(sie_object_t)))
        return sieimpl_problem(s, DIAG_ERROR, r->line, 0, "out of memory");
    sie_object_t *o = &s->objects[s->n_objects++];
    o->code = sietext_field_dup(&r->f[2], s->enc);
    o->name = r->n > 3 ? sietext_field_dup(&r->f[3], s->enc) : NULL;
    return 0;
}

static int s_rec_rar(sie_t *s, const sie_rec_t *r)
{
    long idx;
    int start, end;
    if (sieimpl_int(s, r, 1, -99, 0, "year index", &idx) || sieimpl_date(s, r, 2, &start) ||
        sieimpl_date(s, r, 3, &end))
        return -1;
    if (end < start)
        return sieimpl_problem(s, DIAG_ERROR, r->line, 0, "#RAR: year ends before it starts");
    if (idx == 0) {
        s->year0_start = start;
        s->year0_end = end;
    }
    if (!s->years_min || start < s->years_min)
        s->years_min = start;
    if (end > s->years_max)
        s->years_max = end;
    return 0;
}

/* #IB, #UB and #RES: year, account, amount. Year 0's are kept (IB for the figures, UB and
 * RES to cross-check December); the others are validated and set aside. */
static int s_rec_balance(sie_t *s, const sie_rec_t *r, char kind)
{
    long year;
    int acc;
    int64_t amount;
    if (sieimpl_int(s, r, 1, -99, 0, "year index", &year) || sieimpl_account_field(s, r, 2, &acc) ||
        sieimpl_amount(s, r, 3, &amount))
        return -1;
    if (year != 0)
        return 0;
    sie_account_t *a = sieimpl_account(s, acc);
    switch (kind) {
    case 'I': a->ib0 = amount; a->has_ib0 = true; break;
    case 'U': a->ub0 = amount; a->has_ub0 = true; break;
    default: a->res0 = amount; a->has_res0 = true; break;
    }
    return 0;
}

/* #OIB and #OUB: year, account, {objects}, amount. Validated; not needed for the figures. */
static int s_rec_object_balance(sie_t *s, const sie_rec_t *r)
{
    long year;
    int acc, obj;
    int64_t amount;
    return sieimpl_int(s, r, 1, -99, 0, "year index", &year) || sieimpl_account_field(s, r, 2, &acc) ||
                   sieimpl_objlist_in(s, r, 3, &obj, true) || sieimpl_amount(s, r, 4, &amount)
               ? -1
               : 0;
}

static int s_rec_ksumma(sie_t *s, const sie_rec_t *r)
{
    if (r->n < 2) {
        if (s->ksumma)
            return sieimpl_problem(s, DIAG_ERROR, r->line, 0, "#KSUMMA opened twice");
        s->ksumma = 1;
        s->ksumma_line = r->line;
        s->crc = 0;
        return 0;
    }
    long long want = 0;
    const sie_field_t *f = &r->f[1];
    for (size_t i = 0; i < f->len; i++) {
        if (f->p[i] < '0' || f->p[i] > '9' || want > 0xFFFFFFFFLL)
            return sieimpl_problem(s, DIAG_ERROR, r->line, f->col, "#KSUMMA: '%.*s' is not a checksum",
                             (int)f->len, f->p);
        want = want * 10 + (f->p[i] - '0');
    }
    if (s->ksumma != 1)
        return sieimpl_problem(s, DIAG_ERROR, r->line, 0, "#KSUMMA with a value but no opening #KSUMMA");
    s->ksumma = 2;
    if ((uint32_t)want != s->crc)
        return sieimpl_problem(s, DIAG_ERROR, r->line, f->col,
                         "#KSUMMA %lld does not match the content (computed %u): the file was "
                         "changed or damaged after it was written",
                         want, s->crc);
    return 0;
}

/* #PSALDO and #PBUDGET: year, period YYYYMM, account, {objects}, amount. Real writers
 * omit the object list, or swap period and account; both are read, with one warning. */
static int s_rec_period(sie_t *s, sie_rec_t *r, sie_rowvec_t *into)
{
    long year, per;
    int acc, obj = -1;
    int64_t amount;
    if (r->n == 5 && !r->f[4].braces) {
        if (!s->warned_no_objlist++)
            sieimpl_problem(s, DIAG_WARNING, r->line, r->f[4].col,
                      "%s without an object list {} (read as {}; warned once)", r->label);
        r->f[5] = r->f[4];
        r->f[4] = (sie_field_t){"", 0, r->f[4].col, false, true};
        r->n = 6;
    }
    if (r->n > 3 && r->f[2].len == 4 && r->f[3].len == 6) {
        if (!s->warned_swapped++)
            sieimpl_problem(s, DIAG_WARNING, r->line, r->f[2].col,
                      "%s has the account before the period (read swapped; warned once)",
                      r->label);
        sie_field_t t = r->f[2];
        r->f[2] = r->f[3];
        r->f[3] = t;
    }
    if (sieimpl_int(s, r, 1, -99, 0, "year index", &year) ||
        sieimpl_int(s, r, 2, 190001, 299912, "period", &per) || sieimpl_account_field(s, r, 3, &acc) ||
        sieimpl_objlist(s, r, 4, &obj) || sieimpl_amount(s, r, 5, &amount))
        return -1;
    if (per % 100 < 1 || per % 100 > 12)
        return sieimpl_problem(s, DIAG_ERROR, r->line, r->f[2].col, "%s: period %ld has no month",
                         r->label, per);
    if (year != 0 || obj == -2)
        return 0;
    if (s->year0_start && (per < s->year0_start / 100 || per > s->year0_end / 100)) {
        if (!s->warned_year++)
            sieimpl_problem(s, DIAG_WARNING, r->line, r->f[2].col,
                      "%s: year 0 with period %ld, outside year 0 (#RAR 0); such rows are left "
                      "out (warned once)",
                      r->label, per);
        return 0;
    }
    if (sieimpl_push_row(into, (sie_rawrow_t){acc, obj, (int)per, amount}))
        return sieimpl_problem(s, DIAG_ERROR, r->line, 0, "out of memory");
    return 0;
}

typedef struct {
    bool open;     /* between { and } */
    bool pending;  /* #VER seen, { not yet */
    int date;
    size_t line;
    int64_t sum;
    bool skip_next_trans; /* after #RTRANS, its #TRANS twin is not counted again */
    char id[64];
} s_voucher_t;

static int s_rec_ver(sie_t *s, const sie_rec_t *r, s_voucher_t *v)
{
    memset(v, 0, sizeof *v);
    v->line = r->line;
    v->pending = true;
    snprintf(v->id, sizeof v->id, "%.*s %.*s", r->n > 1 ? (int)(r->f[1].len % 24) : 0,
             r->n > 1 ? r->f[1].p : "", r->n > 2 ? (int)(r->f[2].len % 24) : 0,
             r->n > 2 ? r->f[2].p : "");
    for (char *p = v->id; *p; p++)
        if (*p == '"')
            *p = ' ';
    if (sieimpl_date(s, r, 3, &v->date))
        return -1;
    if (s->years_min && (v->date < s->years_min || v->date > s->years_max))
        return sieimpl_problem(s, DIAG_ERROR, r->line, r->f[3].col,
                         "#VER: date %d is outside the fiscal years declared by #RAR", v->date);
    s->vouchers++;
    return 0;
}

static int s_rec_trans(sie_t *s, const sie_rec_t *r, s_voucher_t *v, bool rtrans)
{
    if (!v->open)
        return sieimpl_problem(s, DIAG_ERROR, r->line, 0, "%s outside a voucher", r->label);
    int acc, obj;
    int64_t amount;
    if (sieimpl_account_field(s, r, 1, &acc) || sieimpl_objlist(s, r, 2, &obj) || sieimpl_amount(s, r, 3, &amount))
        return -1;
    int date = v->date;
    if (r->n > 4 && r->f[4].len > 0 && !r->f[4].quoted && sieimpl_date(s, r, 4, &date))
        return -1;
    if (rtrans) {
        s->rtrans++;
        v->skip_next_trans = true;
    } else if (v->skip_next_trans) {
        v->skip_next_trans = false;
        return 0;
    }
    if (money_add(&v->sum, amount))
        return sieimpl_problem(s, DIAG_ERROR, r->line, 0, "voucher total overflows");
    if (s->year0_start && (v->date < s->year0_start || v->date > s->year0_end))
        return 0;
    if (sieimpl_push_row(&s->trans, (sie_rawrow_t){acc, obj < 0 ? -1 : obj, date, amount}))
        return sieimpl_problem(s, DIAG_ERROR, r->line, 0, "out of memory");
    return 0;
}

static int s_record(sie_t *s, sie_rec_t *r, s_voucher_t *v)
{
    const sie_field_t *f0 = &r->f[0];
    if (f0->len == 1 && f0->p[0] == '{') {
        if (!v->pending)
            return sieimpl_problem(s, DIAG_ERROR, r->line, f0->col, "'{' without #VER");
        v->pending = false;
        v->open = true;
        return 0;
    }
    if (f0->len == 1 && f0->p[0] == '}') {
        if (!v->open)
            return sieimpl_problem(s, DIAG_ERROR, r->line, f0->col, "'}' without a voucher");
        v->open = false;
        if (v->sum != 0) {
            char amt[32];
            money_format(v->sum, amt, sizeof amt);
            return sieimpl_problem(s, DIAG_ERROR, v->line, 0,
                             "voucher %s does not balance: its rows sum to %s", v->id, amt);
        }
        return 0;
    }
    if (v->pending) {
        v->pending = false; /* one message, not one per following line */
        return sieimpl_problem(s, DIAG_ERROR, r->line, f0->col, "expected '{' after #VER");
    }
    if (f0->len < 2 || f0->p[0] != '#')
        return sieimpl_problem(s, DIAG_ERROR, r->line, f0->col, "expected a #LABEL");
    if (v->open && !s_is(r, "#TRANS") && !s_is(r, "#RTRANS") && !s_is(r, "#BTRANS"))
        return sieimpl_problem(s, DIAG_ERROR, r->line, f0->col, "%s inside a voucher", r->label);
    if (s_is(r, "#TRANS"))
        return s_rec_trans(s, r, v, false);
    if (s_is(r, "#RTRANS"))
        return s_rec_trans(s, r, v, true);
    if (s_is(r, "#BTRANS"))
        return 0; /* a removed row: kept for the audit trail, not part of the voucher */
    if (s_is(r, "#VER"))
        return s_rec_ver(s, r, v);
    if (s_is(r, "#KONTO"))
        return s_rec_konto(s, r);
    if (s_is(r, "#OBJEKT"))
        return s_rec_objekt(s, r);
    if (s_is(r, "#RAR"))
        return s_rec_rar(s, r);
    if (s_is(r, "#IB"))
        return s_rec_balance(s, r, 'I');
    if (s_is(r, "#UB"))
        return s_rec_balance(s, r, 'U');
    if (s_is(r, "#RES"))
        return s_rec_balance(s, r, 'R');
    if (s_is(r, "#OIB") || s_is(r, "#OUB"))
        return s_rec_object_balance(s, r);
    if (s_is(r, "#KSUMMA"))
        return s_rec_ksumma(s, r);
    if (s_is(r, "#PSALDO"))
        return s_rec_period(s, r, &s->psaldo);
    if (s_is(r, "#PBUDGET"))
        return s_rec_period(s, r, &s->pbudget);
    if (s_is(r, "#SIETYP")) {
        long t;
        if (sieimpl_int(s, r, 1, 1, 4, "type", &t))
            return -1;
        s->type = (int)t;
        return 0;
    }
    if (s_is(r, "#ORGNR")) {
        char canon[12];
        if (r->n < 2 || text_orgnr_canonical(r->f[1].p, r->f[1].len, canon))
            return sieimpl_problem(s, DIAG_ERROR, r->line, r->n > 1 ? r->f[1].col : 0,
                             "#ORGNR: not an organisation number (NNNNNN-NNNN)");
        free(s->orgnr);
        s->orgnr = strdup(canon);
        return 0;
    }
    if (s_is(r, "#FORMAT")) {
        s->seen_format = true;
        return 0;
    }
    if (s_is(r, "#GEN")) {
        s->seen_gen = true;
        return 0;
    }
    if (s_is(r, "#FNAMN") && r->n > 1) {
        free(s->company);
        s->company = sietext_field_dup(&r->f[1], s->enc);
        return 0;
    }
    /* Identification records other than these carry nothing the figures need; unknown
     * labels are ignored, as the specification requires. */
    return 0;
}

static void s_parse(sie_t *s, const char *buf, size_t len)
{
    s_voucher_t v;
    memset(&v, 0, sizeof v);
    size_t line = 0, i = 0;
    while (i < len) {
        size_t start = i;
        while (i < len && buf[i] != '\n' && buf[i] != '\r')
            i++;
        size_t end = i;
        if (i < len && buf[i] == '\r')
            i++;
        if (i < len && buf[i] == '\n' && (i == end || buf[i - 1] == '\r'))
            i++;
        else if (i == end && i < len)
            i++;
        line++;
        sie_rec_t r;
        memset(&r, 0, sizeof r);
        r.line = line;
        /* A voucher's braces stand alone on their lines; they are not object lists. */
        size_t b = start, e = end;
        while (b < e && (buf[b] == ' ' || buf[b] == '\t'))
            b++;
        while (e > b && (buf[e - 1] == ' ' || buf[e - 1] == '\t'))
            e--;
        if (e - b == 1 && (buf[b] == '{' || buf[b] == '}')) {
            r.f[0] = (sie_field_t){buf + b, 1, b - start + 1, false, false};
            r.n = 1;
            r.label = buf[b] == '{' ? "{" : "}";
            s_record(s, &r, &v);
            continue;
        }
        sie_cursor_t c;
        sietext_cursor(&c, buf + start, end - start);
        int rc = 0;
        sie_field_t extra, *f;
        size_t fields = 0;
        bool closing_ksumma = false;
        /* Every field counts for #KSUMMA; the first 12 are kept for the record. */
        while ((rc = sietext_next(&c, f = r.n < 12 ? &r.f[r.n] : &extra)) == 1) {
            if (fields++ == 0)
                closing_ksumma = f->len == 7 && memcmp(f->p, "#KSUMMA", 7) == 0;
            if (s->ksumma == 1 && !closing_ksumma)
                s->crc = sietext_crc_field(s->crc, f);
            if (r.n < 12)
                r.n++;
        }
        if (rc < 0) {
            const char *q = c.p;
            while (q < c.end && (*q == ' ' || *q == '\t'))
                q++;
            sieimpl_problem(s, DIAG_ERROR, line, (size_t)(q - c.line) + 1,
                      "unterminated quote or object list");
            continue;
        }
        if (r.n == 0)
            continue;
        char label[24];
        snprintf(label, sizeof label, "%.*s", (int)(r.f[0].len < 20 ? r.f[0].len : 20),
                 r.f[0].p);
        r.label = label;
        s_record(s, &r, &v);
    }
    if (v.open || v.pending)
        sieimpl_problem(s, DIAG_ERROR, v.line, 0, "voucher %s is not closed with '}'", v.id);
    if (s->ksumma == 1)
        sieimpl_problem(s, DIAG_ERROR, s->ksumma_line, 0,
                  "#KSUMMA opens a checksum here but the file ends without the closing "
                  "#KSUMMA: the file is truncated");
}

sie_t *sie_read_buffer(const char *buf, size_t len, const char *display, diag_t *d)
{
    sie_t *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->display = display;
    s->d = d;
    /* A UTF-8 byte-order mark (Windows editors add one) says what the encoding is. */
    bool bom = len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0;
    if (bom) {
        buf += 3;
        len -= 3;
    }
    s->enc = bom ? SIE_ENC_UTF8 : sietext_detect(buf, len);
    s_parse(s, buf, len);
    /* What the specification requires but real writers sometimes leave out. */
    if (!s->type)
        diag_add(d, DIAG_WARNING, display, 0, "no #SIETYP; reading it as type 4");
    if (!s->seen_format)
        diag_add(d, DIAG_WARNING, display, 0, "no #FORMAT PC8; the encoding was detected");
    if (!s->seen_gen)
        diag_add(d, DIAG_WARNING, display, 0, "no #GEN: the file does not say when it was made");
    int64_t ib = 0;
    for (size_t i = 0; i < s->n_accounts; i++)
        ib += s->accounts[i].has_ib0 ? s->accounts[i].ib0 : 0;
    if (ib != 0) {
        char amt[32];
        money_format(ib, amt, sizeof amt);
        diag_add(d, DIAG_WARNING, display, 0,
                 "the opening balances (#IB 0) sum to %s, not 0: last year's result may not "
                 "have been carried to equity", amt);
    }
    return s;
}

sie_t *sie_read_file(const char *path, diag_t *d, int *missing)
{
    *missing = 0;
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        *missing = errno == ENOENT;
        diag_add(d, DIAG_ERROR, path, 0, "cannot open: %s", strerror(errno));
        return NULL;
    }
    char *buf = NULL;
    size_t len = 0, cap = 0;
    struct stat st;
    /* A regular file is read into one buffer of its size; anything else grows as it comes. */
    if (fstat(fileno(fp), &st) == 0 && S_ISREG(st.st_mode) && st.st_size >= 0 &&
        (uint64_t)st.st_size < SIE_MAX_FILE) {
        cap = (size_t)st.st_size + 65536;
        buf = malloc(cap);
    }
    for (;;) {
        if (cap - len < 65536) {
            if (cap >= SIE_MAX_FILE) {
                diag_add(d, DIAG_ERROR, path, 0, "larger than %u bytes", SIE_MAX_FILE);
                free(buf);
                fclose(fp);
                return NULL;
            }
            cap = cap ? cap * 2 : 1 << 20;
            char *nb = realloc(buf, cap);
            if (!nb) {
                free(buf);
                fclose(fp);
                diag_add(d, DIAG_ERROR, path, 0, "out of memory");
                return NULL;
            }
            buf = nb;
        }
        size_t got = fread(buf + len, 1, cap - len, fp);
        len += got;
        if (got == 0)
            break;
    }
    int read_error = ferror(fp);
    fclose(fp);
    if (read_error) {
        free(buf);
        diag_add(d, DIAG_ERROR, path, 0, "read error");
        return NULL;
    }
    sie_t *s = sie_read_buffer(buf, len, path, d);
    free(buf);
    return s;
}

void sie_destroy(sie_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    sie_t *s = *self_p;
    for (size_t i = 0; i < s->n_accounts; i++)
        free(s->accounts[i].name);
    for (size_t i = 0; i < s->n_objects; i++) {
        free(s->objects[i].code);
        free(s->objects[i].name);
    }
    free(s->accounts);
    free(s->index);
    free(s->objects);
    free(s->trans.v);
    free(s->psaldo.v);
    free(s->pbudget.v);
    free(s->orgnr);
    free(s->company);
    free(s);
    *self_p = NULL;
}

