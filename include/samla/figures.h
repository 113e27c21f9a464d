/* figures: the integer inputs of every metric for one (förbund, period): öre and counts.
 *
 * The daemon derives them from a Submission once, at ingest, and stores them by name;
 * metrics (ratios) are computed from them at the edge. */
#ifndef SAMLA_FIGURES_H
#define SAMLA_FIGURES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "samla.pb-c.h"
#include "samla/diag.h"

/* The one list of figure names (X-macros). Each list drives the struct below, the
 * store's columns and statements (daemon/store.c), figure_fields and the printers. A new
 * ledger line is a field of the Ledger message, a name in FIGURES_LEDGER and a migration
 * adding its column (`<name>_ore`). */

/* 0 or 1: whether the submission carried the part at all. */
#define FIGURES_FLAGS(X) X(has_ledger) X(has_cost_areas) X(has_participants)

/* The Ledger message's lines, öre, report convention. */
#define FIGURES_LEDGER(X)                                                                  \
    X(contributions_state) X(contributions_region) X(contributions_municipalities)         \
    X(external_funding) X(other_income) X(costs_activity) X(costs_personnel)               \
    X(costs_premises) X(costs_other) X(financial_income) X(financial_costs)                \
    X(fixed_assets) X(current_receivables) X(cash) X(equity) X(long_term_liabilities)      \
    X(current_liabilities) X(budget_costs) X(budget_income)

/* Costs + financial costs of the cost areas by class, öre. */
#define FIGURES_AREAS(X) X(cost_admin) X(cost_structural) X(cost_individual) X(cost_other_areas)

/* Individual interventions, people, all genders unless named; p_women and p_men among
 * participants (start + new). */
#define FIGURES_PEOPLE(X)                                                                  \
    X(p_start) X(p_new) X(p_ended) X(p_end) X(p_women) X(p_men) X(p_work_or_studies)

/* Every field, in the order of figure_fields and of the store's columns. */
#define FIGURES_ALL(X) FIGURES_FLAGS(X) FIGURES_LEDGER(X) FIGURES_AREAS(X) FIGURES_PEOPLE(X)

typedef struct {
#define FIGURES_MEMBER(name) int64_t name;
    FIGURES_ALL(FIGURES_MEMBER)
#undef FIGURES_MEMBER
} figures_t;

typedef struct {
    const char *name;
    size_t offset;
} figure_field_t;

extern const figure_field_t figure_fields[];
extern const size_t figure_field_count;

/* The most people one figure may count: 100 000 rows of PARTFLOW_MAX_COUNT. */
#define FIGURES_MAX_PEOPLE INT64_C(1000000000000)

int64_t *figures_field(figures_t *f, size_t i);
/* Whether every field is within what ingest admits (money within ±MONEY_MAX_ORE, people
 * within 0..FIGURES_MAX_PEOPLE, flags 0 or 1), so that no metric can overflow on it. Rows
 * stored by versions that did not bound their input may fail it. */
bool figures_in_bounds(const figures_t *f);
/* Looks a stored name up; NULL for an unknown one (from a newer version). */
int64_t *figures_by_name(figures_t *f, const char *name);

/* The names a cost-area class and an intervention kind have in CSV, JSON and the
 * database: admin, structural, individual, other; individ, volym, struktur. */
const char *figures_class_name(Samla__V1__AreaClass c);
const char *figures_kind_name(Samla__V1__InterventionKind k);

/* Fills f from a decoded submission. Reports semantic problems (unknown measures, flow
 * that does not add up, overflow) into d and returns -1 if there were any. */
int figures_from_submission(const Samla__V1__Submission *sub, figures_t *f, diag_t *d);

#endif
