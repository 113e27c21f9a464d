/* statements: a förbund's income statement, balance sheet, cash-flow statement and the
 * ekonomiskt utfall block, made from samlad's Statements reply (the Ledger lines with their
 * budget and last year's figure) in one place, for every format samla writes them in.
 *
 * Every cell is whole kronor, rounded once: the lines of a statement are apportioned
 * (money_apportion) so that they add up to their sums, and a sum is the sum of its shown
 * lines. Amounts read as the annual reports print them: income positive, costs negative,
 * the balance sheet's two sides positive. */
#ifndef SAMLA_STATEMENTS_H
#define SAMLA_STATEMENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "samla.pb-c.h"

typedef enum { STMT_SUMMARY, STMT_INCOME, STMT_BALANCE, STMT_CASH_FLOW, STMT_SECTIONS }
    stmt_section_t;

/* The columns. The balance sheet uses OUTCOME (the period's end) and LAST_YEAR (the end of
 * last year); the cash flow OUTCOME only. */
typedef enum { STMT_OUTCOME, STMT_BUDGET, STMT_DEVIATION, STMT_FORECAST, STMT_LAST_YEAR,
               STMT_COLS } stmt_col_t;

typedef struct {
    stmt_section_t section;
    const char *line;  /* English identifier: a Ledger line, or a sum's or cash flow's name */
    const char *label; /* Swedish, as the annual reports print it */
    bool sum;          /* a sum of the lines above it */
    bool has[STMT_COLS];
    int64_t kr[STMT_COLS];
} stmt_row_t;

typedef struct {
    stmt_row_t *rows; /* owned */
    size_t n;
} stmt_t;

/* Builds the statements of r. Returns 0, or -1 when memory is gone. */
int stmt_build(const Samla__V1__Statements *r, stmt_t *out);
void stmt_free(stmt_t *s);

/* The Swedish heading of a section ("RESULTATRÄKNING", …) and its English identifier
 * (income_statement, balance_sheet, cash_flow, summary: the JSON keys). */
const char *stmt_section_title(stmt_section_t s);
const char *stmt_section_key(stmt_section_t s);
/* Whether a column belongs in a section's table. */
bool stmt_section_has(stmt_section_t s, stmt_col_t c);

#endif
