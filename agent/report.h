/* report: one month's Submission built from a read SIE file, the account mapping and the
 * participant table, and its printout for `samla-agent check`. */
#ifndef SAMLA_REPORT_H
#define SAMLA_REPORT_H

#include <stdio.h>

#include "mapping.h"
#include "forecast.h"
#include "partcsv.h"
#include "samla.pb-c.h"
#include "samla/diag.h"
#include "samla/period.h"
#include "sie.h"

typedef struct report_s report_t;

/* Builds the submission for period p. Strings are borrowed from s and parts, which must
 * outlive the report. parts may be NULL (no participant file). Problems go to d; returns
 * NULL when the figures cannot be built, a report otherwise (check diag_errors). */
/* Puts each forecast row on the cost area with its code; a code the ledger has no cost
 * area for is an error (display:line). Areas without a row keep no forecast. */
int report_apply_forecast(report_t *self, const forecast_t *f, const char *display, diag_t *d);

report_t *report_build(const sie_t *s, const mapping_t *m, const part_table_t *parts,
                       period_t p, const char *orgnr, diag_t *d);
void report_destroy(report_t **self_p);
const Samla__V1__Submission *report_submission(const report_t *self);
/* The budget of the same months per income statement line (NULL when the file has no
 * #PBUDGET), and last year's closing figures per line from #RES -1 / #UB -1 (NULL when
 * the file has none; *result and *balance say which statement they cover). The
 * submission carries both (budget_lines, last_year) for samla statements. */
const Samla__V1__Ledger *report_budget_lines(const report_t *self);
const Samla__V1__Ledger *report_last_year(const report_t *self, int *result, int *balance);
/* The income statement, balance sheet, driftsredovisning and participants as the board
 * reads them: Swedish, whole kronor rounded once so that lines add up to their totals,
 * Utfall, Budget and Avvikelse, and last year beside when the file carries it. */
void report_print(const report_t *self, const char *source, FILE *out);
/* The same as one JSON object (CONTRACT.md, `check --format json`): `ledger` with every
 * Ledger field and the sums revenue, costs, result and assets in kronor (report
 * convention, costs positive), `cost_areas`, `participants`, and the warnings in d (may
 * be NULL). Returns 0, or -1 when it could not be written. */
int report_print_json(const report_t *self, const diag_t *d, FILE *out);

#endif
