/* sieimpl: the in-memory model of a read SIE file, shared by the reader (sie.c) and the
 * month-end calculations (siemonth.c). Not for other modules: they use sie.h. */
#ifndef SAMLA_SIEIMPL_H
#define SAMLA_SIEIMPL_H

#include <stdbool.h>
#include <stdint.h>

#include "sie.h"

typedef struct {
    int no;
    char *name;
    int64_t ib0, ub0, res0;    /* öre, debit-positive, from #IB/#UB/#RES of year 0 */
    bool has_ib0, has_ub0, has_res0;
} sie_account_t;

typedef struct {
    char *code, *name;
} sie_object_t;

/* A #TRANS (key = date), #PSALDO or #PBUDGET (key = YYYYMM) row of year 0. */
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
    sie_rowvec_t trans, psaldo, pbudget;
    size_t vouchers, rtrans;
    unsigned warned_no_objlist, warned_swapped, warned_year, warned_object;
    bool seen_format, seen_gen;
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

/* Finds a declared account, NULL when there is none. */
sie_account_t *sieimpl_account(const sie_t *s, int no);
/* Declares (or finds) an account; NULL when memory is gone. */
sie_account_t *sieimpl_add_account(sie_t *s, int no);
/* The index of a dimension-1 object by code, or -1. */
int sieimpl_object(const sie_t *s, const char *code, size_t len);
int sieimpl_grow(void **v, size_t *cap, size_t n, size_t size);
int sieimpl_push_row(sie_rowvec_t *rv, sie_rawrow_t r);

/* Reports a problem at file:line[:column]; returns -1 for errors, 0 for warnings. */
int sieimpl_problem(sie_t *s, diag_level_t lvl, size_t line, size_t col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Typed fields of record r at index i; each reports its own problem and returns -1. */
int sieimpl_int(sie_t *s, const sie_rec_t *r, size_t i, long lo, long hi, const char *what,
                long *out);
int sieimpl_amount(sie_t *s, const sie_rec_t *r, size_t i, int64_t *out);
int sieimpl_date(sie_t *s, const sie_rec_t *r, size_t i, int *out);
int sieimpl_account_field(sie_t *s, const sie_rec_t *r, size_t i, int *out);
/* The dimension-1 object of an object list: -1 for "{}", -2 for a list that names only
 * other dimensions, else the object's index. lenient: an undeclared object is a warning. */
int sieimpl_objlist(sie_t *s, const sie_rec_t *r, size_t i, int *out);
int sieimpl_objlist_in(sie_t *s, const sie_rec_t *r, size_t i, int *out, bool lenient);

#endif
