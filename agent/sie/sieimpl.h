/* sieimpl: the in-memory model of a read SIE file, shared by the reader (sie.c) and the
 * month-end calculations (siemonth.c). Not for other modules: they use sie.h. */
#ifndef SAMLA_SIEIMPL_H
#define SAMLA_SIEIMPL_H

#include <stdbool.h>
#include <stdint.h>

#include "sie.h"

/* Where something used but not declared was first used, and how often. */
typedef struct {
    bool implicit; /* used in rows, never declared (#KONTO, #OBJEKT) */
    size_t uses, line, col;
} sie_use_t;

typedef struct {
    int no;
    char *name;
    int64_t ib0, ub0, res0;    /* öre, debit-positive, from #IB/#UB/#RES of year 0 */
    int64_t ub1, res1;         /* the same of year -1: last year, for the board's column */
    bool has_ib0, has_ub0, has_res0, has_ub1, has_res1;
    sie_use_t use;
} sie_account_t;

typedef struct {
    char *code, *name; /* UTF-8, escapes removed */
    sie_use_t use;
} sie_object_t;

/* One cause of trouble, however many lines show it (see sieimpl_problem). */
typedef struct {
    char *msg;
    diag_level_t lvl;
    size_t line, col, more;
    uint32_t hash;
} sie_problem_t;

/* Distinct causes kept per file; further ones are only counted. */
#define SIE_MAX_PROBLEMS 200

/* A month's sum of #TRANS, or a #PSALDO or #PBUDGET row, of year 0 (key = YYYYMM). */
typedef struct {
    int account, object, key;
    int64_t amount;
} sie_rawrow_t;

typedef struct {
    sie_rawrow_t *v;
    size_t n, cap;
} sie_rowvec_t;

struct sie_s {
    const char *display;
    sie_encoding_t enc;
    char *orgnr, *company;
    int type;
    int year0_start, year0_end; /* YYYYMMDD, 0 when #RAR 0 is absent */
    int years_min, years_max;   /* the span of every #RAR, for voucher dates */
    sie_account_t *accounts;
    size_t n_accounts, cap_accounts;
    int *index; /* open addressing: account number -> position + 1 */
    size_t index_cap;
    sie_object_t *objects;
    size_t n_objects, cap_objects;
    int *obj_index; /* open addressing: hash of code -> position + 1 */
    size_t obj_index_cap;
    /* trans: month sums of #TRANS (key = YYYYMM of the voucher), one per account, object
     * and month, so memory follows the chart of accounts, not the file's length */
    sie_rowvec_t trans, psaldo, pbudget;
    int *trans_index;      /* open addressing: (account, object, month) -> position + 1 */
    size_t trans_index_cap;
    size_t trans_rows;     /* #TRANS rows summed into trans */
    size_t vouchers, rtrans, konto_records;
    bool import_file;      /* named .SI: type 4I, where #KONTO is optional */
    bool psaldo_without_objects; /* {} is the part without objects (Avendo), see siemonth */
    unsigned warned_no_objlist, warned_swapped, warned_year, warned_stray_quote;
    bool seen_format, seen_gen;
    sie_problem_t *problems;
    size_t n_problems, problems_dropped;
    bool dropped_error;
    char *line_buf; /* the line being read, decoded to UTF-8 */
    size_t line_cap;
    char *scratch;  /* an unescaped object code, for lookups; grown as needed */
    size_t scratch_cap;
    int ksumma;            /* 0: none, 1: opened, 2: closed */
    size_t ksumma_line;    /* where it was opened */
    uint32_t crc;          /* over the records since it was opened */
    diag_t *d;
};

/* One record line split into fields (the first 12 are kept). */
typedef struct {
    sie_field_t f[12];
    size_t n;
    size_t line;
    const char *label; /* for messages */
} sie_rec_t;

/* Adds a #TRANS amount to its account's, object's and month's sum (trans). Returns 0, -1
 * when memory is gone, -2 when the sum overflows. */
int sieimpl_add_trans(sie_t *s, int account, int object, int ym, int64_t amount);

/* Finds a declared account, NULL when there is none. */
sie_account_t *sieimpl_account(const sie_t *s, int no);
/* Declares (or finds) an account; NULL when memory is gone. */
sie_account_t *sieimpl_add_account(sie_t *s, int no);
/* The index of a dimension-1 object by code (UTF-8, unescaped), or -1. */
int sieimpl_object(const sie_t *s, const char *code, size_t len);
/* Declares a dimension-1 object (code and name already UTF-8); its index, or -1 when
 * memory is gone. name may be NULL. */
int sieimpl_add_object(sie_t *s, const char *code, size_t len, const char *name);
int sieimpl_grow(void **v, size_t *cap, size_t n, size_t size);
int sieimpl_push_row(sie_rowvec_t *rv, sie_rawrow_t r);

/* Reports a problem at file:line[:column]; returns -1 for errors, 0 for warnings. The
 * same message again is one cause seen once more: it is counted, not repeated, so a
 * bookkeeper reads one line per thing to fix (sieimpl_flush_problems writes them). */
int sieimpl_problem(sie_t *s, diag_level_t lvl, size_t line, size_t col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* As above, for a cause already counted elsewhere (`more` further lines). */
int sieimpl_problem_n(sie_t *s, diag_level_t lvl, size_t line, size_t col, size_t more,
                      const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* Moves the problems, in the order first seen, to the diag list. */
void sieimpl_flush_problems(sie_t *s);
/* The accounts and objects used without a declaration: warnings or errors (sie.c). */
void sieimpl_report_undeclared(sie_t *s);
/* Chooses how #PSALDO rows are read (siemonth.c): by which reading reproduces the file's
 * own #UB and #RES. Reports when neither does. */
void sieimpl_settle_periods(sie_t *s);
/* A scratch buffer of at least n bytes, owned by s; NULL when memory is gone. */
char *sieimpl_scratch(sie_t *s, size_t n);

/* Typed fields of record r at index i; each reports its own problem and returns -1.
 * An account or dimension-1 object that is not declared is taken as declared and its
 * use counted (sieimpl_report_undeclared decides what that means for the file). */
int sieimpl_int(sie_t *s, const sie_rec_t *r, size_t i, long lo, long hi, const char *what,
                long *out);
int sieimpl_amount(sie_t *s, const sie_rec_t *r, size_t i, int64_t *out);
int sieimpl_date(sie_t *s, const sie_rec_t *r, size_t i, int *out);
int sieimpl_account_field(sie_t *s, const sie_rec_t *r, size_t i, int *out);
/* The dimension-1 object of an object list: -1 for "{}", -2 for a list that names only
 * other dimensions, else the object's index. */
int sieimpl_objlist(sie_t *s, const sie_rec_t *r, size_t i, int *out);

#endif
