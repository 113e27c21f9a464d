/* derive: the one path from a logged submission to what is stored of it: its details
 * (layer 2) and, for the latest revision, its metric values (layer 3), kept in step with
 * the registry. Ingest calls derive_body, derive_metrics and derive_store for each new
 * revision and derive_groups for each period a batch touched, before COMMIT; samlad calls
 * derive_registry at start and on SIGHUP, and derive_all (the same derive_body, derive_row
 * and derive_store over the whole log) for `--rederive` or when a migration asks for it. */
#ifndef SAMLA_DERIVE_H
#define SAMLA_DERIVE_H

#include "consolidate.h"
#include "samla/arena.h"
#include "samla/diag.h"
#include "registry.h"
#include "store.h"
#include "store_log.h"

/* The one path from a body to what is stored of it, for ingest and `--rederive` alike:
 * decoded within the budget (wire_validate, then unpacked into arena), checked as
 * samla-agent checked it (subcheck) and figured. Returns the Submission (in arena; free it
 * there) with *f filled, or NULL with the reason in d. */
Samla__V1__Submission *derive_body(const uint8_t *body, size_t len, arena_t *arena,
                                   figures_t *f, diag_t *d);

/* A revision's metrics with `population` (the registry's in force when it arrived), and
 * what the disclosure gate needs of it (its participant rows, sub, may be NULL). */
void derive_row(const figures_t *f, const Samla__V1__Submission *sub, unsigned revision,
                const char *period, int64_t population, cons_row_t *out);
/* derive_row with the population the registry gives now: a new revision. */
void derive_metrics(const registry_t *reg, const char *orgnr, const char *period,
                    const figures_t *f, const Samla__V1__Submission *sub, unsigned revision,
                    cons_row_t *out);

/* Writes the details of a revision already in the log and, when it is its month's latest,
 * its metrics (row). sub, f and row may be NULL for a body this version cannot read: the
 * revision then counts as reported with null metrics. Inside the caller's transaction. */
int derive_store(store_t *store, const store_logged_t *l, const Samla__V1__Submission *sub,
                 const figures_t *f, const cons_row_t *row, samla_err_t *err);

/* A new submission: appended to the log by store_put's rules and, when it is a new
 * revision, its details and metrics by derive_store (row as derive_metrics gives it). r
 * gets the revision. Inside the caller's transaction; STORE_FAILED with err set. */
store_put_t derive_put(store_t *store, const store_submission_t *s,
                       const Samla__V1__Submission *sub, const figures_t *f,
                       const cons_row_t *row, store_receipt_t *r, samla_err_t *err);

/* Recomputes every group's aggregates of one period from the stored metric values (inside
 * the caller's transaction). Returns 0, or -1 with err set. */
int derive_groups(store_t *store, const registry_t *reg, const char *period, samla_err_t *err);

/* Records the registry (names, populations, groups) as in force from now; when it
 * changed, rebuilds every group's aggregates for every period. Own transaction. */
int derive_registry(store_t *store, const registry_t *reg, samla_err_t *err);

/* Rebuilds layers 2 and 3 from the stored bodies, each month with the population that was
 * in force when its latest revision arrived, in one transaction; progress goes to the log.
 * *n gets the number of submissions read. Returns 0, or -1 with err set (nothing changed). */
int derive_all(store_t *store, const registry_t *reg, long long *n, samla_err_t *err);

#endif
