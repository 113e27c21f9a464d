/* report as JSON for `samla-agent check --format json` (CONTRACT.md): what would be sent,
 * in kronor and report convention, for scripts and tests. */
#include <jansson.h>

#include "report.h"
#include "samla/figures.h"

/* Kronor from öre as a JSON number: a double holds every amount within MONEY_MAX_ORE
 * exactly enough that 15 significant digits (see the dump flags) print the öre exactly. */
static json_t *s_kr(protobuf_c_boolean has, int64_t ore)
{
    return has ? json_real((double)ore / 100.0) : json_null();
}

static json_t *s_ledger(const Samla__V1__Ledger *l)
{
    json_t *o = json_object();
    if (!l)
        return o;
    for (size_t i = 0; i < figure_line_count; i++) /* a line not set is 0 kr */
        json_object_set_new(o, figure_lines[i].name, s_kr(1, figures_line_value(l, i)));
    /* The sums as the income statement and balance sheet print them. */
    figures_sums_t sum = figures_ledger_sums(l);
    json_object_set_new(o, "revenue", s_kr(1, sum.revenue));
    json_object_set_new(o, "costs", s_kr(1, sum.costs));
    json_object_set_new(o, "result", s_kr(1, sum.result));
    json_object_set_new(o, "assets", s_kr(1, sum.assets));
    return o;
}

/* The lines of the statements asked for, in kronor; null without them. */
static json_t *s_lines(const Samla__V1__Ledger *l, int result, int balance)
{
    if (!l)
        return json_null();
    json_t *o = json_object();
    for (size_t i = 0; i < figure_line_count; i++) {
        figure_kind_t k = figure_lines[i].kind;
        bool is_result = k == FIG_CONTRIBUTION || k == FIG_INCOME || k == FIG_COST ||
                         k == FIG_FIN_INCOME || k == FIG_FIN_COST;
        bool is_balance = k == FIG_ASSET || k == FIG_EQUITY || k == FIG_LIABILITY;
        if ((is_result && result) || (is_balance && balance))
            json_object_set_new(o, figure_lines[i].name, s_kr(1, figures_line_value(l, i)));
    }
    return o;
}

int report_print_json(const report_t *self, const diag_t *d, FILE *out)
{
    const Samla__V1__Submission *sub = report_submission(self);
    json_t *root = json_object(), *areas = json_array(), *parts = json_array(),
           *warnings = json_array();
    json_object_set_new(root, "orgnr", json_string(sub->orgnr));
    json_object_set_new(root, "period", json_string(sub->period));
    json_object_set_new(root, "ledger", s_ledger(sub->ledger));
    json_object_set_new(root, "budget", s_lines(report_budget_lines(self), 1, 0));
    int prev_result, prev_balance;
    const Samla__V1__Ledger *prev = report_last_year(self, &prev_result, &prev_balance);
    json_object_set_new(root, "last_year", s_lines(prev, prev_result, prev_balance));
    for (size_t i = 0; i < sub->n_cost_areas; i++) {
        const Samla__V1__CostArea *a = sub->cost_areas[i];
        json_array_append_new(
            areas, json_pack("{s:s, s:s?, s:s, s:o, s:o, s:o, s:o, s:o, s:o}", "code", a->code,
                             "name", a->name, "class", figures_class_name(a->class_), "costs",
                             s_kr(a->has_costs, a->costs), "income",
                             s_kr(a->has_income, a->income), "budget_costs",
                             s_kr(a->has_budget_costs, a->budget_costs), "budget_income",
                             s_kr(a->has_budget_income, a->budget_income), "budget_year_costs",
                             s_kr(a->has_budget_year_costs, a->budget_year_costs),
                             "forecast_costs", s_kr(a->has_forecast_costs, a->forecast_costs)));
    }
    for (size_t i = 0; i < sub->n_participants; i++) {
        const Samla__V1__ParticipantRow *r = sub->participants[i];
        json_array_append_new(
            parts, json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:I}", "intervention",
                             r->intervention, "kind", figures_kind_name(r->kind), "measure", r->measure,
                             "category", r->category ? r->category : "", "women",
                             (json_int_t)r->women, "men", (json_int_t)r->men, "unspecified",
                             (json_int_t)r->unspecified));
    }
    for (size_t i = 0; d && i < diag_count(d); i++) {
        diag_level_t level;
        const char *text = diag_text(d, i, &level);
        if (level == DIAG_WARNING)
            json_array_append_new(warnings, json_string(text));
    }
    json_object_set_new(root, "cost_areas", areas);
    json_object_set_new(root, "participants", parts);
    json_object_set_new(root, "warnings", warnings);
    int rc = json_dumpf(root, out, JSON_INDENT(1) | JSON_REAL_PRECISION(15) |
                                       JSON_PRESERVE_ORDER);
    fputc('\n', out);
    json_decref(root);
    return rc;
}
