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

typedef struct {
    int64_t has_ledger, has_cost_areas, has_participants; /* 0 or 1 */
    /* ledger, öre, report convention */
    int64_t contributions_state, contributions_region, contributions_municipalities;
    int64_t external_funding, other_income;
    int64_t costs_activity, costs_personnel, costs_premises, costs_other;
    int64_t financial_income, financial_costs;
    int64_t fixed_assets, current_receivables, cash;
    int64_t equity, long_term_liabilities, current_liabilities;
    int64_t budget_costs, budget_income;
    /* costs + financial costs by cost-area class, öre */
    int64_t cost_admin, cost_structural, cost_individual, cost_other_areas;
    /* individual interventions, all genders unless named */
    int64_t p_start, p_new, p_ended, p_end;
    int64_t p_women, p_men; /* among participants (start + new) */
    int64_t p_work_or_studies;
} figures_t;

/* The Ledger message's lines, one list for every place that walks them (X-macro). */
#define FIGURES_LEDGER(X)                                                                  \
    X(contributions_state) X(contributions_region) X(contributions_municipalities)         \
    X(external_funding) X(other_income) X(costs_activity) X(costs_personnel)               \
    X(costs_premises) X(costs_other) X(financial_income) X(financial_costs)                \
    X(fixed_assets) X(current_receivables) X(cash) X(equity) X(long_term_liabilities)      \
    X(current_liabilities) X(budget_costs) X(budget_income)

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

/* Fills f from a decoded submission. Reports semantic problems (unknown measures, flow
 * that does not add up, overflow) into d and returns -1 if there were any. */
int figures_from_submission(const Samla__V1__Submission *sub, figures_t *f, diag_t *d);

#endif
