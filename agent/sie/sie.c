/* sie: the record level of the SIE reader. A line is decoded to UTF-8 once, split into
 * fields (sietext), and handed to the handler its label names in s_records. */
#include "sieimpl.h"
#include "samla/i18n.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "samla/cursor.h"
#include "samla/money.h"
#include "samla/slurp.h"
#include "samla/text.h"

/* The voucher being read: #VER, then '{', rows, '}'. */
typedef struct {
    bool open;            /* between { and } */
    bool pending;         /* #VER seen, { not yet */
    bool unreadable_row;  /* a row without a readable amount: the balance cannot be known */
    bool skip_next_trans; /* after #RTRANS, its #TRANS twin is not counted again */
    int date;
    size_t line;
    int64_t sum;
    char id[64];
} s_voucher_t;

typedef int (*s_handler_fn)(sie_t *s, sie_rec_t *r, s_voucher_t *v);

/* --- declarations ------------------------------------------------------------------ */

static int s_rec_konto(sie_t *s, sie_rec_t *r, s_voucher_t *v)
{
    (void)v;
    long no;
    if (sieimpl_int(s, r, 1, 0, 999999999L, "account", &no))
        return -1;
    sie_account_t *a = sieimpl_add_account(s, (int)no);
    if (!a)
        return sieimpl_problem(s, DIAG_ERROR, r->line, 0, "out of memory");
    s->konto_records++;
    a->use.implicit = false; /* declared, even if a row used it first */
    free(a->name);
    a->name = r->n > 2 ? sietext_field_dup(&r->f[2]) : NULL;
    return 0;
}

static int s_rec_objekt(sie_t *s, sie_rec_t *r, s_voucher_t *v)
{
    (void)v;
    long dim;
    if (sieimpl_int(s, r, 1, 0, 999999, "dimension", &dim))
        return -1;
    if (dim != 1)
        return 0;
    if (r->n < 3)
        return sieimpl_problem(s, DIAG_ERROR, r->line, 0, "#OBJEKT: missing object code");
    char *code = sietext_field_dup(&r->f[2]);
    char *name = r->n > 3 ? sietext_field_dup(&r->f[3]) : NULL;
    int rc = 0;
    if (!code || (r->n > 3 && !name)) {
        rc = sieimpl_problem(s, DIAG_ERROR, r->line, 0, "out of memory");
    } else if (!text_is_safe(code) || !text_is_safe(name)) {
        /* a cost area's code and name are shown to the board and the region: text only */
        rc = sieimpl_problem(s, DIAG_ERROR, r->line, 0, "#OBJEKT: the code or name holds a "
                             "control character or a bidirectional override; rename the "
                             "object in the accounting system and export again");
    } else {
        int o = sieimpl_object(s, code, strlen(code));
        if (o < 0 && sieimpl_add_object(s, code, strlen(code), name) < 0) {
            rc = sieimpl_problem(s, DIAG_ERROR, r->line, 0, "out of memory");
        } else if (o >= 0 && s->objects[o].use.implicit) {
            /* used before it was declared: it is declared now, with its name */
            s->objects[o].use.implicit = false;
            free(s->objects[o].name);
            s->objects[o].name = name;
            name = NULL;
        }
    }
    free(code);
    free(name);
    return rc;
}

static int s_rec_rar(sie_t *s, sie_rec_t *r, s_voucher_t *v)
{
    (void)v;
    long idx;
    int start, end;
    if (sieimpl_int(s, r, 1, -99, 0, "year index", &idx))
        return -1;
    if (r->n == 2) /* "#RAR 0" and nothing more: BL's import files write it so */
        return sieimpl_problem(s, DIAG_WARNING, r->line, 0,
                               "#RAR %ld has no dates; it is left out", idx);
    if (sieimpl_date(s, r, 2, &start) || sieimpl_date(s, r, 3, &end))
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

static int s_rec_sietyp(sie_t *s, sie_rec_t *r, s_voucher_t *v)
{
    (void)v;
    long t;
    if (sieimpl_int(s, r, 1, 1, 4, "type", &t))
        return -1;
    s->type = (int)t;
    return 0;
}

static int s_rec_orgnr(sie_t *s, sie_rec_t *r, s_voucher_t *v)
{
    (void)v;
    char canon[12];
    if (r->n < 2 || r->f[1].len == 0) /* "#ORGNR" alone, or "#ORGNR """ */
        return sieimpl_problem(s, DIAG_WARNING, r->line, 0,
                               "#ORGNR is empty: the file does not say whose books these are");
    if (text_orgnr_canonical(r->f[1].p, r->f[1].len, canon))
        return sieimpl_problem(s, DIAG_ERROR, r->line, r->f[1].col,
                               "#ORGNR: '%.*s' is not an organisation number (NNNNNN-NNNN)",
                               (int)(r->f[1].len % 64), r->f[1].p);
    free(s->orgnr);
    s->orgnr = strdup(canon);
    return 0;
}

static int s_rec_fnamn(sie_t *s, sie_rec_t *r, s_voucher_t *v)
{
    (void)v;
    if (r->n > 1) {
        free(s->company);
        s->company = sietext_field_dup(&r->f[1]);
    }
    return 0;
}

static int s_rec_format(sie_t *s, sie_rec_t *r, s_voucher_t *v)
{
    (void)r, (void)v;
    s->seen_format = true;
    return 0;
}

static int s_rec_gen(sie_t *s, sie_rec_t *r, s_voucher_t *v)
{
    (void)r, (void)v;
    s->seen_gen = true;
    return 0;
}

/* --- balances ------------------------------------------------------------------------ */

/* #IB, #UB and #RES: year, account, amount. Year 0's are kept (IB for the figures, UB and
 * RES to cross-check December), and year -1's UB and RES (last year, which `check` shows
 * beside this year's); the others are validated and set aside. */
static int s_balance(sie_t *s, const sie_rec_t *r, char kind)
{
    long year;
    int acc;
    int64_t amount;
    if (sieimpl_int(s, r, 1, -99, 0, "year index", &year) ||
        sieimpl_account_field(s, r, 2, &acc) || sieimpl_amount(s, r, 3, &amount))
        return -1;
    if (year != 0 && (year != -1 || kind == 'I'))
        return 0;
    sie_account_t *a = sieimpl_account(s, acc);
    if (year == -1) {
        if (kind == 'U')
            a->ub1 = amount, a->has_ub1 = true;
        else
            a->res1 = amount, a->has_res1 = true;
        return 0;
    }
    switch (kind) {
    case 'I': a->ib0 = amount; a->has_ib0 = true; break;
    case 'U': a->ub0 = amount; a->has_ub0 = true; break;
    default: a->res0 = amount; a->has_res0 = true; break;
    }
    return 0;
}

static int s_rec_ib(sie_t *s, sie_rec_t *r, s_voucher_t *v)
{
    (void)v;
    return s_balance(s, r, 'I');
}

static int s_rec_ub(sie_t *s, sie_rec_t *r, s_voucher_t *v)
{
    (void)v;
    return s_balance(s, r, 'U');
}

static int s_rec_res(sie_t *s, sie_rec_t *r, s_voucher_t *v)
{
    (void)v;
    return s_balance(s, r, 'R');
}

/* #OIB and #OUB: year, account, {objects}, amount. Validated; not needed for the figures. */
static int s_rec_object_balance(sie_t *s, sie_rec_t *r, s_voucher_t *v)
{
    (void)v;
    long year;
    int acc, obj;
    int64_t amount;
    return sieimpl_int(s, r, 1, -99, 0, "year index", &year) ||
                   sieimpl_account_field(s, r, 2, &acc) || sieimpl_objlist(s, r, 3, &obj) ||
                   sieimpl_amount(s, r, 4, &amount)
               ? -1
               : 0;
}

/* #PSALDO and #PBUDGET: year, period YYYYMM, account, {objects}, amount. Real writers
 * omit the object list, or swap period and account; both are read, with one warning.
 * Rows naming only other dimensions than 1 are kept as object -2: whether they count in
 * the account's total depends on the writer (sieimpl_settle_periods). */
static int s_period(sie_t *s, sie_rec_t *r, sie_rowvec_t *into)
{
    long year, per;
    int acc, obj = -1;
    int64_t amount;
    if (r->n == 5 && !r->f[4].braces) {
        if (!s->warned_no_objlist++)
            sieimpl_problem(s, DIAG_WARNING, r->line, r->f[4].col,
                            "%s without an object list {} (read as {})", r->label);
        r->f[5] = r->f[4];
        r->f[4] = (sie_field_t){.span = {"", 0}, .col = r->f[4].col, .braces = true};
        r->n = 6;
    }
    if (r->n > 3 && r->f[2].len == 4 && r->f[3].len == 6) {
        if (!s->warned_swapped++)
            sieimpl_problem(s, DIAG_WARNING, r->line, r->f[2].col,
                            "%s has the account before the period (read swapped)", r->label);
        sie_field_t t = r->f[2];
        r->f[2] = r->f[3];
        r->f[3] = t;
    }
    if (sieimpl_int(s, r, 1, -99, 0, "year index", &year) ||
        sieimpl_int(s, r, 2, 190001, 299912, "period", &per) ||
        sieimpl_account_field(s, r, 3, &acc) || sieimpl_objlist(s, r, 4, &obj) ||
        sieimpl_amount(s, r, 5, &amount))
        return -1;
    if (per % 100 < 1 || per % 100 > 12)
        return sieimpl_problem(s, DIAG_ERROR, r->line, r->f[2].col, "%s: period %ld has no month",
                               r->label, per);
    if (year != 0)
        return 0;
    if (s->year0_start && (per < s->year0_start / 100 || per > s->year0_end / 100)) {
        if (!s->warned_year++)
            sieimpl_problem(s, DIAG_WARNING, r->line, r->f[2].col,
                            "%s: year 0 with a period outside year 0 (#RAR 0); such rows are "
                            "left out", r->label);
        return 0;
    }
    if (sieimpl_push_row(into, (sie_rawrow_t){acc, obj, (int)per, amount}))
        return sieimpl_problem(s, DIAG_ERROR, r->line, 0, "out of memory");
    return 0;
}

static int s_rec_psaldo(sie_t *s, sie_rec_t *r, s_voucher_t *v)
{
    (void)v;
    return s_period(s, r, &s->psaldo);
}

static int s_rec_pbudget(sie_t *s, sie_rec_t *r, s_voucher_t *v)
{
    (void)v;
    return s_period(s, r, &s->pbudget);
}

static int s_rec_ksumma(sie_t *s, sie_rec_t *r, s_voucher_t *v)
{
    (void)v;
    if (r->n < 2) {
        if (s->ksumma)
            return sieimpl_problem(s, DIAG_ERROR, r->line, 0, "#KSUMMA opened twice");
        s->ksumma = 1;
        s->ksumma_line = r->line;
        s->crc = 0;
        return 0;
    }
    uint64_t want;
    const sie_field_t *f = &r->f[1];
    if (cur_span_uint(f->span, UINT32_MAX, &want))
        return sieimpl_problem(s, DIAG_ERROR, r->line, f->col,
                               "#KSUMMA: '%.*s' is not a checksum", (int)(f->len % 64), f->p);
    if (s->ksumma != 1)
        return sieimpl_problem(s, DIAG_ERROR, r->line, 0,
                               "#KSUMMA with a value but no opening #KSUMMA");
    s->ksumma = 2;
    if ((uint32_t)want != s->crc)
        return sieimpl_problem(s, DIAG_ERROR, r->line, f->col,
                               "#KSUMMA %llu does not match the content (computed %u): the "
                               "file was changed or damaged after it was written",
                               (unsigned long long)want, s->crc);
    return 0;
}

/* --- vouchers ------------------------------------------------------------------------ */

static int s_rec_ver(sie_t *s, sie_rec_t *r, s_voucher_t *v)
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
                               "#VER: date %d is outside the fiscal years declared by #RAR",
                               v->date);
    s->vouchers++;
    return 0;
}

/* #TRANS, #RTRANS: account, {objects}, amount[, date, text, quantity, sign]. The amount
 * is read first and counted in the voucher's balance even when something else in the row
 * is wrong, so that one refused row does not hide (or fake) an imbalance. */
static int s_trans(sie_t *s, sie_rec_t *r, s_voucher_t *v, bool rtrans)
{
    int64_t probe;
    if (r->n >= 3 && !r->f[2].braces && money_parse(r->f[2].p, r->f[2].len, &probe) == 0) {
        /* Without its object list the row is "#TRANS account amount": read it as {}. */
        if (!s->warned_no_objlist++)
            sieimpl_problem(s, DIAG_WARNING, r->line, r->f[2].col,
                            "%s without an object list {} (read as {})", r->label);
        memmove(&r->f[3], &r->f[2], sizeof r->f[0] * (r->n < 11 ? r->n - 2 : 9));
        r->f[2] = (sie_field_t){.span = {"", 0}, .col = r->f[2].col, .braces = true};
        r->n = r->n < 12 ? r->n + 1 : 12;
    } else if (r->n < 4 || !r->f[2].braces) {
        v->unreadable_row = true;
        return sieimpl_problem(s, DIAG_ERROR, r->line, 0,
                               "%s is malformed: it needs an account, an object list {} and "
                               "an amount, and has %s",
                               r->label, r->n < 2   ? "nothing after the label"
                                         : r->n < 3 ? "only an account"
                                         : r->f[2].braces ? "no amount"
                                                          : "no object list");
    }
    int64_t amount;
    if (sieimpl_amount(s, r, 3, &amount)) {
        v->unreadable_row = true;
        return -1;
    }
    bool counted = true;
    if (rtrans) {
        s->rtrans++;
        v->skip_next_trans = true;
    } else if (v->skip_next_trans) {
        v->skip_next_trans = false;
        counted = false;
    }
    if (counted && money_add(&v->sum, amount))
        return sieimpl_problem(s, DIAG_ERROR, r->line, 0, "voucher total overflows");
    /* A row counts in the month of its voucher: a row's own date (#RTRANS carries the day
     * it was added, BL writes one after the year's end) does not move it. */
    int acc, obj, date;
    if (sieimpl_account_field(s, r, 1, &acc) | sieimpl_objlist(s, r, 2, &obj))
        return -1;
    if (r->n > 4 && r->f[4].len > 0 && !r->f[4].quoted && sieimpl_date(s, r, 4, &date))
        return -1;
    if (!counted || (s->year0_start && (v->date < s->year0_start || v->date > s->year0_end)))
        return 0;
    int rc = sieimpl_add_trans(s, acc, obj < 0 ? -1 : obj, v->date / 100, amount);
    if (rc == -2)
        return sieimpl_problem(s, DIAG_ERROR, r->line, 0,
                               "the month's total of account %d overflows", acc);
    if (rc)
        return sieimpl_problem(s, DIAG_ERROR, r->line, 0, "out of memory");
    return 0;
}

static int s_rec_trans(sie_t *s, sie_rec_t *r, s_voucher_t *v)
{
    return s_trans(s, r, v, false);
}

static int s_rec_rtrans(sie_t *s, sie_rec_t *r, s_voucher_t *v)
{
    return s_trans(s, r, v, true);
}

static int s_rec_btrans(sie_t *s, sie_rec_t *r, s_voucher_t *v)
{
    (void)s, (void)r, (void)v;
    return 0; /* a removed row: kept for the audit trail, not part of the voucher */
}

static int s_voucher_open(sie_t *s, sie_rec_t *r, s_voucher_t *v)
{
    if (!v->pending)
        return sieimpl_problem(s, DIAG_ERROR, r->line, r->f[0].col, "'{' without #VER");
    v->pending = false;
    v->open = true;
    return 0;
}

static int s_voucher_close(sie_t *s, sie_rec_t *r, s_voucher_t *v)
{
    if (!v->open)
        return sieimpl_problem(s, DIAG_ERROR, r->line, r->f[0].col, "'}' without a voucher");
    v->open = false;
    if (v->sum == 0 || v->unreadable_row)
        return 0;
    char amt[32];
    money_format(v->sum, amt, sizeof amt);
    return sieimpl_problem(s, DIAG_ERROR, v->line, 0,
                           "voucher %s does not balance: its rows sum to %s", v->id, amt);
}

/* --- dispatch ------------------------------------------------------------------------ */

/* Every label the figures need, and whether it may stand inside a voucher. Labels not
 * here (#ADRESS, #KTYP, #SRU, #DIM, ...) are read past, as the specification requires. */
static const struct {
    const char *label;
    s_handler_fn handler;
    bool in_voucher;
} s_records[] = {
    {"#TRANS", s_rec_trans, true},
    {"#RTRANS", s_rec_rtrans, true},
    {"#BTRANS", s_rec_btrans, true},
    {"#VER", s_rec_ver, false},
    {"#KONTO", s_rec_konto, false},
    {"#OBJEKT", s_rec_objekt, false},
    {"#RAR", s_rec_rar, false},
    {"#IB", s_rec_ib, false},
    {"#UB", s_rec_ub, false},
    {"#RES", s_rec_res, false},
    {"#OIB", s_rec_object_balance, false},
    {"#OUB", s_rec_object_balance, false},
    {"#PSALDO", s_rec_psaldo, false},
    {"#PBUDGET", s_rec_pbudget, false},
    {"#KSUMMA", s_rec_ksumma, false},
    {"#SIETYP", s_rec_sietyp, false},
    {"#ORGNR", s_rec_orgnr, false},
    {"#FNAMN", s_rec_fnamn, false},
    {"#FORMAT", s_rec_format, false},
    {"#GEN", s_rec_gen, false},
};

static int s_record(sie_t *s, sie_rec_t *r, s_voucher_t *v)
{
    const sie_field_t *f0 = &r->f[0];
    if (f0->len == 1 && f0->p[0] == '{')
        return s_voucher_open(s, r, v);
    if (f0->len == 1 && f0->p[0] == '}')
        return s_voucher_close(s, r, v);
    if (f0->len < 2 || f0->p[0] != '#')
        return sieimpl_problem(s, DIAG_ERROR, r->line, f0->col, "expected a #LABEL");
    size_t k = 0, n = sizeof s_records / sizeof s_records[0];
    while (k < n && !cur_span_eq(f0->span, s_records[k].label))
        k++;
    bool row = k < n && s_records[k].in_voucher;
    if (v->pending) {
        /* One message for a missing '{'; its rows are still read as the voucher's. */
        v->pending = false;
        v->open = row;
        sieimpl_problem(s, DIAG_ERROR, r->line, f0->col, "expected '{' on the line after #VER");
    }
    if (v->open && !row)
        return sieimpl_problem(s, DIAG_ERROR, r->line, f0->col, "%s inside a voucher", r->label);
    if (!v->open && row)
        return sieimpl_problem(s, DIAG_ERROR, r->line, f0->col, "%s outside a voucher", r->label);
    return k < n ? s_records[k].handler(s, r, v) : 0;
}

/* Splits one line (already UTF-8) into r. Returns 0, or -1 when a quote or brace is not
 * closed. Every field counts for an open #KSUMMA; the first 12 are kept for the record. */
static int s_split(sie_t *s, const char *raw, size_t raw_len, const char *text, size_t len,
                   sie_rec_t *r)
{
    cur_t c;
    sie_field_t extra, *f;
    int rc;
    if (s->ksumma == 1) {
        /* The checksum is over the file's own bytes, not the decoded text. */
        cur_init(&c, raw, raw_len);
        size_t fields = 0;
        bool closing = false;
        while ((rc = sietext_next(&c, &extra)) == 1) {
            if (fields++ == 0)
                closing = cur_span_eq(extra.span, "#KSUMMA");
            if (!closing)
                s->crc = sietext_crc_field(s->crc, &extra);
        }
    }
    cur_init(&c, text, len);
    while ((rc = sietext_next(&c, f = r->n < 12 ? &r->f[r->n] : &extra)) == 1) {
        if (f->stray_quote && !s->warned_stray_quote++)
            sieimpl_problem(s, DIAG_WARNING, r->line, f->col,
                            "a '\"' inside quoted text is not escaped as \\\" (read as part of "
                            "the text)");
        if (r->n < 12)
            r->n++;
    }
    if (rc < 0) {
        cur_skip_blanks(&c);
        return sieimpl_problem(s, DIAG_ERROR, r->line, cur_col(&c),
                               "unterminated quote or object list");
    }
    return 0;
}

/* The next line of buf from *i: its span, without the line end (LF, CRLF or CR). */
static cur_span_t s_next_line(const char *buf, size_t len, size_t *i)
{
    size_t start = *i, k = *i;
    while (k < len && buf[k] != '\n' && buf[k] != '\r')
        k++;
    cur_span_t line = {buf + start, k - start};
    if (k < len && buf[k] == '\r') {
        if (++k < len && buf[k] == '\n')
            k++;
    } else if (k < len) {
        k++;
    }
    *i = k;
    return line;
}

static bool s_has_high(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)p[i] >= 0x80)
            return true;
    return false;
}

/* The reading of a file that arrives in pieces of whole lines (s_parse_lines): the
 * voucher open across pieces and the line number. */
typedef struct {
    s_voucher_t v;
    size_t line;
} s_parse_t;

static void s_parse_lines(sie_t *s, s_parse_t *ps, const char *buf, size_t len)
{
    size_t i = 0;
    bool decode = s->enc == SIE_ENC_CP437 || s->enc == SIE_ENC_LATIN9;
    while (i < len) {
        size_t line = ++ps->line;
        cur_span_t raw = s_next_line(buf, len, &i);
        sie_rec_t r;
        memset(&r, 0, sizeof r);
        r.line = line;
        cur_span_t text = raw;
        if (decode && s_has_high(raw.p, raw.len)) { /* an ASCII line reads as it is */
            if (s->line_cap < raw.len * 3 + 1) {
                free(s->line_buf);
                s->line_cap = raw.len * 3 + 4096;
                if (!(s->line_buf = malloc(s->line_cap))) {
                    s->line_cap = 0;
                    sieimpl_problem(s, DIAG_ERROR, line, 0, "out of memory");
                    break;
                }
            }
            text = (cur_span_t){s->line_buf, sietext_decode(raw.p, raw.len, s->enc, s->line_buf)};
        }
        /* A voucher's braces stand alone on their lines; they are not object lists. */
        cur_t c = cur_of(text);
        cur_skip_blanks(&c);
        const char *b = c.p, *e = text.p + text.len;
        while (e > b && (e[-1] == ' ' || e[-1] == '\t'))
            e--;
        if (e - b == 1 && (*b == '{' || *b == '}')) {
            r.f[0] = (sie_field_t){.span = {b, 1}, .col = cur_col(&c)};
            r.n = 1;
            r.label = *b == '{' ? "{" : "}";
            s_record(s, &r, &ps->v);
            continue;
        }
        if (s_split(s, raw.p, raw.len, text.p, text.len, &r) == 0 && r.n > 0) {
            char label[24]; /* per record: memcpy, not snprintf (a tenth of the reading) */
            size_t n = r.f[0].len < 20 ? r.f[0].len : 20;
            memcpy(label, r.f[0].p, n);
            label[n] = '\0';
            r.label = label;
            s_record(s, &r, &ps->v);
        }
    }
}

static void s_parse_end(sie_t *s, s_parse_t *ps)
{
    const s_voucher_t v = ps->v;
    if (v.open || v.pending)
        sieimpl_problem(s, DIAG_ERROR, v.line, 0, "voucher %s is not closed with '}'", v.id);
    if (s->ksumma == 1)
        sieimpl_problem(s, DIAG_ERROR, s->ksumma_line, 0,
                        "#KSUMMA opens a checksum here but the file ends without the closing "
                        "#KSUMMA: the file is truncated");
}

/* Accounts used without #KONTO: allowed where the chart may be left out (type 4I, named
 * .SI, or a file that declares no account at all, as Visma eEkonomi writes them), else an
 * error per account. Objects used without #OBJEKT: read with their code as name. */
void sieimpl_report_undeclared(sie_t *s)
{
    bool chart_optional = s->import_file || s->konto_records == 0;
    size_t n_acc = 0, n_obj = 0;
    char list[160] = "";
    for (size_t i = 0; i < s->n_accounts; i++) {
        const sie_account_t *a = &s->accounts[i];
        if (!a->use.implicit)
            continue;
        if (!chart_optional) {
            sieimpl_problem_n(s, DIAG_ERROR, a->use.line, a->use.col, a->use.uses - 1,
                              "account %d is used but not declared with #KONTO", a->no);
            continue;
        }
        if (n_acc++ < 8)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%d", n_acc > 1 ? ", " : "",
                     a->no);
    }
    if (n_acc)
        sieimpl_problem(s, DIAG_WARNING, 0, 0,
                        "%zu account%s used without #KONTO (%s%s): %s; they are read by number",
                        n_acc, n_acc == 1 ? " is" : "s are", list, n_acc > 8 ? ", ..." : "",
                        s->import_file ? _("type 4I (.SI) files may leave the chart out")
                                       : _("the file has no chart of accounts"));
    list[0] = '\0';
    size_t first_line = 0;
    for (size_t i = 0; i < s->n_objects; i++) {
        const sie_object_t *o = &s->objects[i];
        if (!o->use.implicit)
            continue;
        if (!first_line)
            first_line = o->use.line;
        if (n_obj++ < 6)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s\"%.20s\"",
                     n_obj > 1 ? ", " : "", o->code);
    }
    if (n_obj)
        sieimpl_problem(s, DIAG_WARNING, first_line, 0,
                        "%zu cost-area object%s of dimension 1 %s used without #OBJEKT (%s%s); "
                        "%s read with %s code as name",
                        n_obj, n_obj == 1 ? "" : "s", n_obj == 1 ? "is" : "are", list,
                        n_obj > 6 ? ", ..." : "", n_obj == 1 ? "it is" : "they are",
                        n_obj == 1 ? "its" : "their");
}

static bool s_import_name(const char *display)
{
    size_t n = display ? strlen(display) : 0;
    return n > 3 && strcasecmp(display + n - 3, ".si") == 0;
}

static sie_t *s_begin(const char *display, diag_t *d)
{
    sie_t *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->display = display;
    s->d = d;
    s->import_file = s_import_name(display);
    return s;
}

/* What is checked once every line is read. */
static sie_t *s_finish(sie_t *s, s_parse_t *ps)
{
    const char *display = s->display;
    diag_t *d = s->d;
    s_parse_end(s, ps);
    sieimpl_report_undeclared(s);
    sieimpl_settle_periods(s);
    sieimpl_flush_problems(s);
    free(s->scratch);
    free(s->line_buf);
    s->scratch = s->line_buf = NULL;
    s->scratch_cap = s->line_cap = 0;
    /* What the specification requires but real writers sometimes leave out. */
    if (!s->type)
        diag_add(d, DIAG_WARNING, display, 0, "no #SIETYP; reading it as type 4");
    if (!s->seen_format)
        diag_add(d, DIAG_WARNING, display, 0, "no #FORMAT PC8; the encoding was detected");
    if (!s->seen_gen)
        diag_add(d, DIAG_WARNING, display, 0, "no #GEN: the file does not say when it was made");
    return s;
}

/* A UTF-8 byte-order mark (Windows editors add one) says what the encoding is. */
static bool s_bom(const char *buf, size_t len)
{
    return len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0;
}

sie_t *sie_read_buffer(const char *buf, size_t len, const char *display, diag_t *d)
{
    sie_t *s = s_begin(display, d);
    if (!s)
        return NULL;
    bool bom = s_bom(buf, len);
    if (bom) {
        buf += 3;
        len -= 3;
    }
    s->enc = bom ? SIE_ENC_UTF8 : sietext_detect(buf, len);
    s_parse_t ps;
    memset(&ps, 0, sizeof ps);
    s_parse_lines(s, &ps, buf, len);
    return s_finish(s, &ps);
}

/* --- a file read in pieces ---------------------------------------------------------------- */

/* Pieces of this size: the reader's memory does not grow with the file. */
#define S_PIECE (256u * 1024u)

typedef struct {
    sie_t *s;
    sietext_detector_t det;
    s_parse_t ps;
    bool first, bom;
} s_stream_t;

static int s_detect_piece(void *arg, const char *p, size_t n)
{
    s_stream_t *st = arg;
    if (st->first && (st->bom = s_bom(p, n)))
        p += 3, n -= 3;
    st->first = false;
    sietext_detect_feed(&st->det, p, n);
    return 0;
}

static int s_parse_piece(void *arg, const char *p, size_t n)
{
    s_stream_t *st = arg;
    if (st->first && st->bom)
        p += 3, n -= 3;
    st->first = false;
    s_parse_lines(st->s, &st->ps, p, n);
    return 0;
}

/* A regular file is read twice in pieces (slurp_lines): first to learn its encoding, which
 * only the whole file tells, then to parse it; the second reading comes from the page
 * cache. Returns NULL with the problem in d when it cannot be read. */
static sie_t *s_read_pieces(int fd, size_t size, const char *path, diag_t *d)
{
    s_stream_t st;
    memset(&st, 0, sizeof st);
    sietext_detect_init(&st.det);
    st.first = true;
    size_t first_total, total;
    int err = 0;
    char msg[256];
    slurp_rc_t rc = slurp_lines(fd, size, S_PIECE, s_detect_piece, &st, &first_total, &err);
    if (rc == SLURP_OK && lseek(fd, 0, SEEK_SET) != 0)
        rc = SLURP_IO, err = errno;
    if (rc != SLURP_OK) {
        diag_add(d, DIAG_ERROR, path, 0, "%s", slurp_describe(rc, err, SIE_MAX_FILE, msg,
                                                              sizeof msg));
        return NULL;
    }
    if (!(st.s = s_begin(path, d)))
        return NULL;
    st.s->enc = st.bom ? SIE_ENC_UTF8 : sietext_detect_result(&st.det);
    st.first = true;
    rc = slurp_lines(fd, size, S_PIECE, s_parse_piece, &st, &total, &err);
    if (rc != SLURP_OK || total != first_total) {
        diag_add(d, DIAG_ERROR, path, 0, "%s",
                 rc != SLURP_OK ? slurp_describe(rc, err, SIE_MAX_FILE, msg, sizeof msg)
                                : "the file changed while it was read; read it again");
        st.s = s_finish(st.s, &st.ps);
        sie_destroy(&st.s);
        return NULL;
    }
    return s_finish(st.s, &st.ps);
}

int64_t sie_opening_sum(const sie_t *s)
{
    int64_t ib = 0;
    for (size_t i = 0; i < s->n_accounts; i++)
        ib += s->accounts[i].has_ib0 ? s->accounts[i].ib0 : 0;
    return ib;
}

/* A regular file within the limit is read in pieces; anything else (a pipe, a missing
 * or too large file, which slurp_input names) whole. */
sie_t *sie_read_file(const char *path, diag_t *d, int *missing)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
        (uint64_t)st.st_size <= SIE_MAX_FILE) {
        *missing = 0;
        sie_t *s = s_read_pieces(fd, (size_t)st.st_size, path, d);
        close(fd);
        return s;
    }
    if (fd >= 0)
        close(fd);
    char *buf;
    size_t len;
    if (slurp_input(path, SIE_MAX_FILE, &buf, &len, d, missing))
        return NULL;
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
    free(s->obj_index);
    free(s->trans.v);
    free(s->trans_index);
    free(s->psaldo.v);
    free(s->pbudget.v);
    free(s->orgnr);
    free(s->company);
    free(s->scratch);
    free(s->line_buf);
    free(s);
    *self_p = NULL;
}
