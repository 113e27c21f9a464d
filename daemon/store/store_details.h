/* store_details: layer 2, the details of every revision in the log: its figures
 * (`totals`), its cost areas (`area`) and its participant rows (`participant`), each fact
 * once, under the revision's short detail number. Written by derive_store for each new
 * revision and by a rederive; read by the queries of one förbund's month. */
#ifndef SAMLA_STORE_DETAILS_H
#define SAMLA_STORE_DETAILS_H

#include <stdbool.h>
#include <stdint.h>

#include "samla.pb-c.h"
#include "samla/diag.h"
#include "samla/figures.h"
#include "store.h"

/* Inside a transaction: the details of the revision stored under `id` in the log. sub
 * may be NULL (a body this version cannot read): then only the figures, when f is set. */
int store_details_put(store_t *self, const char *id, const figures_t *f,
                      const Samla__V1__Submission *sub, samla_err_t *err);

/* The figures of one förbund and period: `revision` 0 means the latest. Returns 1 with *f
 * and *got set, 0 when there is no such submission, -1 on error. */
int store_figures(store_t *self, const char *orgnr, const char *period, unsigned revision,
                  figures_t *f, unsigned *got, samla_err_t *err);

/* The cost areas of a förbund's latest revision for a period, by code: fn once per area.
 * *revision gets the revision (0 when nothing was reported). */
typedef struct {
    const char *code, *name, *class_name;
    int64_t outcome, income, budget; /* öre */
    bool has_budget_year, has_forecast;
    int64_t budget_year, forecast;
} store_area_t;
typedef void (*store_area_fn)(void *arg, const store_area_t *a);
int store_areas(store_t *self, const char *orgnr, const char *period, store_area_fn fn,
                void *arg, unsigned *revision, samla_err_t *err);

/* The participant rows of every förbund's latest revision for a period, by orgnr and row:
 * fn once per row; a revision without rows comes once with intervention NULL. */
typedef struct {
    const char *orgnr;
    unsigned revision;
    const char *intervention, *kind, *measure, *category; /* category may be NULL */
    const char *cost_area; /* the intervention's cost area; NULL when not named */
    uint64_t count[3];                                   /* women, men, unspecified */
} store_part_t;
typedef void (*store_part_fn)(void *arg, const store_part_t *r);
int store_participants(store_t *self, const char *period, store_part_fn fn, void *arg,
                       samla_err_t *err);

/* The Ledger lines of a förbund's latest revision of a month (migration 9), by basis:
 * as booked, the budget of the same months, last year's closing figures from the file,
 * the full-year forecast of income lines.
 * fn once per stored line (name as in figure_lines); *revision gets the revision (0 when
 * nothing was reported). Revisions stored before schema 9 have lines after a rederive. */
typedef enum { STORE_LEDGER_OUTCOME, STORE_LEDGER_BUDGET, STORE_LEDGER_LAST_YEAR,
               STORE_LEDGER_FORECAST, STORE_LEDGER_BASES } store_ledger_basis_t;
typedef void (*store_ledger_fn)(void *arg, store_ledger_basis_t basis, const char *line,
                                int64_t ore);
int store_ledger(store_t *self, const char *orgnr, const char *period, store_ledger_fn fn,
                 void *arg, unsigned *revision, samla_err_t *err);

/* Who paid, in every förbund's latest revision of a month (migration 10), by orgnr, kind
 * and name: fn once per member; a revision without members comes once with name NULL. */
typedef struct {
    const char *orgnr, *name; /* name NULL: the revision names no member */
    unsigned revision;
    int kind; /* samla.v1.MemberKind */
    int64_t ore;
} store_payer_t;
typedef void (*store_payer_fn)(void *arg, const store_payer_t *m);
int store_members(store_t *self, const char *period, store_payer_fn fn, void *arg,
                  samla_err_t *err);

#endif
