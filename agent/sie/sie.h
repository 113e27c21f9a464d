/* sie: reads an SIE file (types 1-4, per the SIE 4B specification) into memory and
 * answers month-end questions about it: account balances year to date, per cost-area
 * object, and budgets. Amounts are öre in the file's own (debit-positive) convention;
 * converting to report convention is mapping's job, not this module's. */
#ifndef SAMLA_SIE_H
#define SAMLA_SIE_H

#include <stddef.h>
#include <stdint.h>

#include "samla/diag.h"
#include "samla/period.h"
#include "sietext.h"

typedef struct sie_s sie_t;

/* Largest file read: far above a förbund's year, small enough to refuse a wrong file. */
#define SIE_MAX_FILE (512u * 1024u * 1024u)

/* Reads and validates. Problems go to d with file:line:column; returns NULL when the file
 * cannot be read at all, else the model (check diag_errors(d) before trusting it).
 * `display` names the file in messages. */
sie_t *sie_read_buffer(const char *buf, size_t len, const char *display, diag_t *d);
/* As above from a path; *missing is set when the file does not exist (exit 66). */
sie_t *sie_read_file(const char *path, diag_t *d, int *missing);
void sie_destroy(sie_t **self_p);

const char *sie_orgnr(const sie_t *s);       /* canonical "NNNNNN-NNNN" or NULL */
const char *sie_company(const sie_t *s);     /* #FNAMN, UTF-8, or NULL */
sie_encoding_t sie_encoding(const sie_t *s);
int sie_type(const sie_t *s);                /* #SIETYP, 0 when absent */
size_t sie_voucher_count(const sie_t *s);
size_t sie_trans_count(const sie_t *s);
int sie_uses_psaldo(const sie_t *s);         /* month figures come from #PSALDO */
/* 1 when #PSALDO's {} row was read as the part without objects (Avendo's way). */
int sie_psaldo_without_objects(const sie_t *s);
/* The sum of every #IB of year 0, öre. 0 in closed books; else last year's result has not
 * yet been booked to equity (the books are not closed), with this amount. */
int64_t sie_opening_sum(const sie_t *s);
/* 1 when the file carried a #KSUMMA and it matched (errors report a mismatch). */
int sie_checksum_verified(const sie_t *s);
/* Fiscal year 0 as YYYYMMDD dates; -1 when the file has no #RAR 0. */
int sie_year0(const sie_t *s, int *start, int *end);
const char *sie_account_name(const sie_t *s, int account);

size_t sie_object_count(const sie_t *s);     /* objects of dimension 1 */
const char *sie_object_code(const sie_t *s, size_t i);
const char *sie_object_name(const sie_t *s, size_t i);

typedef struct {
    int account;
    int object;     /* index of a dimension-1 object, or -1 for the account total */
    int64_t amount; /* öre, debit-positive */
} sie_row_t;

typedef struct {
    sie_row_t *rows; /* sorted by account, then object (-1 first); owned, free() it */
    size_t n;
} sie_rows_t;

/* Year-to-date figures at the end of `p`, which must lie in fiscal year 0: balances for
 * accounts with an opening balance, movements for the rest; `budget` from #PBUDGET for
 * the same months. Returns 0, or -1 with the reason in d. */
int sie_month_end(const sie_t *s, period_t p, sie_rows_t *actual, sie_rows_t *budget,
                  diag_t *d);

/* Last year's closing figures, from #UB -1 (balance accounts) and #RES -1 (result
 * accounts), one row per account (object -1); rows->n is 0 when the file carries none.
 * Returns 0, or -1 when out of memory. rows->rows is owned by the caller. */
int sie_last_year(const sie_t *s, sie_rows_t *rows);
/* The last month of fiscal year 0 for which the file holds figures (a #TRANS or #PSALDO
 * amount other than zero): what a month-end export is for. -1 when it holds none. */
int sie_last_month(const sie_t *s, period_t *p);

#endif
