#include "samla/metrics.h"

#include <string.h>

static const metric_value_t s_null = {false, 0, 0.0, 0.0, 0.0};

static metric_value_t s_money(bool ok, int64_t ore)
{
    return ok ? (metric_value_t){true, ore, 0.0, 0.0, 0.0} : s_null;
}

static metric_value_t s_count(bool ok, int64_t n)
{
    return ok ? (metric_value_t){true, n, 0.0, 0.0, 0.0} : s_null;
}

/* num / den * scale, null when there is no data or the denominator is zero. */
static metric_value_t s_ratio(bool ok, double num, double den, double scale)
{
    if (!ok || den == 0.0)
        return s_null;
    return (metric_value_t){true, 0, num * scale / den, num * scale, den};
}

static int64_t s_contributions(const figures_t *f)
{
    return figures_sum(f, FIG_CONTRIBUTION);
}
static int64_t s_revenue(const figures_t *f)
{
    return s_contributions(f) + figures_sum(f, FIG_INCOME);
}
static int64_t s_costs(const figures_t *f)
{
    return figures_sum(f, FIG_COST);
}
static int64_t s_result(const figures_t *f)
{
    return s_revenue(f) - s_costs(f) + figures_sum(f, FIG_FIN_INCOME) -
           figures_sum(f, FIG_FIN_COST);
}
/* The denominator of the cost shares: operating plus financial costs. */
static double s_all_costs(const figures_t *f)
{
    return (double)(s_costs(f) + f->financial_costs);
}
static int64_t s_participants(const figures_t *f)
{
    return f->p_start + f->p_new;
}

#define LEDGER(f) ((f)->has_ledger != 0)
#define AREAS(f) ((f)->has_ledger && (f)->has_cost_areas)
#define PART(f) ((f)->has_participants != 0)

#define MONEY_FN(fname, expr)                                                              \
    static metric_value_t fname(const figures_t *f, const metric_ctx_t *c)                 \
    {                                                                                      \
        (void)c;                                                                           \
        return s_money(LEDGER(f), (expr));                                                 \
    }
MONEY_FN(m_revenue, s_revenue(f))
MONEY_FN(m_contributions, s_contributions(f))
MONEY_FN(m_contributions_state, f->contributions_state)
MONEY_FN(m_contributions_region, f->contributions_region)
MONEY_FN(m_contributions_municipalities, f->contributions_municipalities)
MONEY_FN(m_external_funding, f->external_funding)
MONEY_FN(m_costs, s_costs(f))
MONEY_FN(m_financial_net, f->financial_income - f->financial_costs)
MONEY_FN(m_result, s_result(f))
MONEY_FN(m_equity, f->equity)

#define COUNT_FN(fname, expr)                                                              \
    static metric_value_t fname(const figures_t *f, const metric_ctx_t *c)                 \
    {                                                                                      \
        (void)c;                                                                           \
        return s_count(PART(f), (expr));                                                   \
    }
COUNT_FN(m_participants, s_participants(f))
COUNT_FN(m_new_participants, f->p_new)
COUNT_FN(m_ended_participants, f->p_ended)
COUNT_FN(m_active_participants, f->p_end)

static metric_value_t m_equity_ratio(const figures_t *f, const metric_ctx_t *c)
{
    /* Annual contributions = YTD x 12 / month; multiplied out to keep one division. */
    return s_ratio(LEDGER(f) && c->month >= 1, (double)f->equity * c->month,
                   (double)s_contributions(f) * 12.0, 100.0);
}
static metric_value_t m_liquidity_ratio(const figures_t *f, const metric_ctx_t *c)
{
    (void)c;
    return s_ratio(LEDGER(f), (double)(f->current_receivables + f->cash),
                   (double)f->current_liabilities, 100.0);
}
static metric_value_t m_individual_share(const figures_t *f, const metric_ctx_t *c)
{
    (void)c;
    return s_ratio(AREAS(f), (double)f->cost_individual, s_all_costs(f), 100.0);
}
static metric_value_t m_intervention_share(const figures_t *f, const metric_ctx_t *c)
{
    (void)c;
    return s_ratio(AREAS(f), (double)(f->cost_individual + f->cost_structural),
                   s_all_costs(f), 100.0);
}
static metric_value_t m_admin_share(const figures_t *f, const metric_ctx_t *c)
{
    (void)c;
    return s_ratio(AREAS(f), (double)f->cost_admin, s_all_costs(f), 100.0);
}
static metric_value_t m_budget_utilisation(const figures_t *f, const metric_ctx_t *c)
{
    (void)c;
    return s_ratio(LEDGER(f), s_all_costs(f), (double)f->budget_costs, 100.0);
}
static metric_value_t m_women_share(const figures_t *f, const metric_ctx_t *c)
{
    (void)c;
    return s_ratio(PART(f), (double)f->p_women, (double)(f->p_women + f->p_men), 100.0);
}
static metric_value_t m_work_or_studies_share(const figures_t *f, const metric_ctx_t *c)
{
    (void)c;
    return s_ratio(PART(f), (double)f->p_work_or_studies, (double)f->p_ended, 100.0);
}
static metric_value_t m_cost_per_participant(const figures_t *f, const metric_ctx_t *c)
{
    (void)c;
    return s_ratio(AREAS(f) && PART(f), (double)f->cost_individual,
                   (double)s_participants(f), 0.01);
}
static metric_value_t m_cost_per_work_or_studies(const figures_t *f, const metric_ctx_t *c)
{
    (void)c;
    return s_ratio(AREAS(f) && PART(f), (double)f->cost_individual,
                   (double)f->p_work_or_studies, 0.01);
}
static metric_value_t m_contributions_per_inhabitant(const figures_t *f,
                                                     const metric_ctx_t *c)
{
    return s_ratio(LEDGER(f), (double)s_contributions(f), (double)c->population, 0.01);
}

const metric_t metric_table[] = {
    {"revenue", UNIT_MONEY, m_revenue, "operating income"},
    {"contributions", UNIT_MONEY, m_contributions, "member contributions, all members"},
    {"contributions_state", UNIT_MONEY, m_contributions_state, "the state's contributions"},
    {"contributions_region", UNIT_MONEY, m_contributions_region, "the region's contributions"},
    {"contributions_municipalities", UNIT_MONEY, m_contributions_municipalities,
     "the municipalities' contributions"},
    {"external_funding", UNIT_MONEY, m_external_funding, "ESF and other external grants"},
    {"costs", UNIT_MONEY, m_costs, "operating costs"},
    {"financial_net", UNIT_MONEY, m_financial_net, "financial income - financial costs"},
    {"result", UNIT_MONEY, m_result, "revenue - costs + financial_net"},
    {"equity", UNIT_MONEY, m_equity, "equity at period end incl. the year's result"},
    {"equity_ratio", UNIT_PERCENT, m_equity_ratio, "equity / annual contributions"},
    {"liquidity_ratio", UNIT_PERCENT, m_liquidity_ratio,
     "current assets / current liabilities"},
    {"individual_share", UNIT_PERCENT, m_individual_share,
     "individual interventions / (costs + financial costs)"},
    {"intervention_share", UNIT_PERCENT, m_intervention_share,
     "individual + structural interventions / (costs + financial costs)"},
    {"admin_share", UNIT_PERCENT, m_admin_share, "administration / (costs + financial costs)"},
    {"budget_utilisation", UNIT_PERCENT, m_budget_utilisation,
     "(costs + financial costs) / budget for the same months"},
    {"participants", UNIT_COUNT, m_participants, "active at year start + new"},
    {"new_participants", UNIT_COUNT, m_new_participants, "new so far this year"},
    {"ended_participants", UNIT_COUNT, m_ended_participants, "ended so far this year"},
    {"active_participants", UNIT_COUNT, m_active_participants, "active at period end"},
    {"women_share", UNIT_PERCENT, m_women_share, "women / (women + men) among participants"},
    {"work_or_studies_share", UNIT_PERCENT, m_work_or_studies_share,
     "ended to work or studies / ended"},
    {"cost_per_participant", UNIT_KRONOR, m_cost_per_participant,
     "individual interventions' costs / participants"},
    {"cost_per_work_or_studies", UNIT_KRONOR, m_cost_per_work_or_studies,
     "individual interventions' costs / ended to work or studies"},
    {"contributions_per_inhabitant", UNIT_KRONOR, m_contributions_per_inhabitant,
     "contributions / population aged 16-64"},
};
const size_t metric_count = sizeof metric_table / sizeof metric_table[0];
_Static_assert(sizeof metric_table / sizeof metric_table[0] <= METRIC_MAX,
               "raise METRIC_MAX in metrics.h");

const metric_t *metric_find(const char *name)
{
    for (size_t i = 0; i < metric_count; i++)
        if (strcmp(metric_table[i].name, name) == 0)
            return &metric_table[i];
    return NULL;
}

double metric_display(const metric_t *m, metric_value_t v)
{
    switch (m->unit) {
    case UNIT_MONEY: return (double)v.i / 100.0;
    case UNIT_COUNT: return (double)v.i;
    default: return v.d;
    }
}

bool metric_summable(const metric_t *m)
{
    return m->unit == UNIT_MONEY || m->unit == UNIT_COUNT;
}

bool metric_per_people(const metric_t *m)
{
    static const char *const names[] = {"women_share", "work_or_studies_share",
                                        "cost_per_participant", "cost_per_work_or_studies"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(m->name, names[i]) == 0)
            return true;
    return false;
}
