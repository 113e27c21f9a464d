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

/* Finds a declared account, NULL when there is none. */
sie_account_t *sieimpl_account(const sie_t *s, int no);

#endif
