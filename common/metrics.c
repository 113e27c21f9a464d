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
static metric_value_t m_solidity(const figures_t *f, const metric_ctx_t *c)
{
    (void)c;
    return s_ratio(LEDGER(f), (double)f->equity, (double)figures_sum(f, FIG_ASSET), 100.0);
}

/* --- people by gender, age band, support at exit and kind ------------------------------ */

/* A count of women or men among `all` people of whom `women` + `men` have a gender: null
 * where the CSV has no split (everyone ej_angivet). */
static metric_value_t s_gendered(const figures_t *f, int64_t n, int64_t women, int64_t men,
                                 int64_t all)
{
    return s_count(PART(f) && (women + men > 0 || all == 0), n);
}

#define PEOPLE_FN(fname, expr)                                                             \
    static metric_value_t fname(const figures_t *f, const metric_ctx_t *c)                 \
    {                                                                                      \
        (void)c;                                                                           \
        return expr;                                                                       \
    }
/* A share of people: numerator / denominator x 100, null without participant data. */
#define SHARE(num, den) s_ratio(PART(f), (double)(num), (double)(den), 100.0)

/* Shares of people, not of rows (issue 29): the CSV bands new participants by age and
 * ended ones by their support at exit, where one person may have several kinds of support;
 * so the share is of the new (or ended) participants of the interventions that give the
 * bands (figures.h: FIGURES_PEOPLE_BANDED). Null when the CSV gives no bands at all. */
#define PEOPLE_SHARE(banded, num, den)                                                     \
    s_ratio(PART(f) && (banded) > 0, (double)(num), (double)(den), 100.0)

PEOPLE_FN(m_young_share, PEOPLE_SHARE(f->p_aged, f->p_young, f->p_banded_new))
PEOPLE_FN(m_no_support_share, PEOPLE_SHARE(f->p_exit_support, f->p_no_support, f->p_banded_ended))
PEOPLE_FN(m_volume_participants, s_count(PART(f), f->v_participants))
PEOPLE_FN(m_structural_participants, s_count(PART(f), f->s_participants))

PEOPLE_FN(m_participants_w, s_gendered(f, f->p_women, f->p_women, f->p_men, s_participants(f)))
PEOPLE_FN(m_participants_m, s_gendered(f, f->p_men, f->p_women, f->p_men, s_participants(f)))
PEOPLE_FN(m_new_w, s_gendered(f, f->p_new_women, f->p_new_women, f->p_new_men, f->p_new))
PEOPLE_FN(m_new_m, s_gendered(f, f->p_new_men, f->p_new_women, f->p_new_men, f->p_new))
PEOPLE_FN(m_ended_w,
          s_gendered(f, f->p_ended_women, f->p_ended_women, f->p_ended_men, f->p_ended))
PEOPLE_FN(m_ended_m,
          s_gendered(f, f->p_ended_men, f->p_ended_women, f->p_ended_men, f->p_ended))
PEOPLE_FN(m_active_w, s_gendered(f, f->p_end_women, f->p_end_women, f->p_end_men, f->p_end))
PEOPLE_FN(m_active_m, s_gendered(f, f->p_end_men, f->p_end_women, f->p_end_men, f->p_end))
PEOPLE_FN(m_volume_w, s_gendered(f, f->v_women, f->v_women, f->v_men, f->v_participants))
PEOPLE_FN(m_volume_m, s_gendered(f, f->v_men, f->v_women, f->v_men, f->v_participants))
PEOPLE_FN(m_structural_w, s_gendered(f, f->s_women, f->s_women, f->s_men, f->s_participants))
PEOPLE_FN(m_structural_m, s_gendered(f, f->s_men, f->s_women, f->s_men, f->s_participants))
PEOPLE_FN(m_wos_w, SHARE(f->p_wos_women, f->p_ended_women))
PEOPLE_FN(m_wos_m, SHARE(f->p_wos_men, f->p_ended_men))
PEOPLE_FN(m_young_w, PEOPLE_SHARE(f->p_aged, f->p_young_women, f->p_banded_new_women))
PEOPLE_FN(m_young_m, PEOPLE_SHARE(f->p_aged, f->p_young_men, f->p_banded_new_men))
PEOPLE_FN(m_no_support_w,
          PEOPLE_SHARE(f->p_exit_support, f->p_no_support_women, f->p_banded_ended_women))
PEOPLE_FN(m_no_support_m,
          PEOPLE_SHARE(f->p_exit_support, f->p_no_support_men, f->p_banded_ended_men))

#define IND PEOPLE_INDIVIDUAL
const metric_t metric_table[] = {
    {"revenue", UNIT_MONEY, m_revenue, "operating income", "Intäkter", PEOPLE_NONE, NULL,
     "verksamhetens intäkter"},
    {"contributions", UNIT_MONEY, m_contributions, "member contributions, all members",
     "Medlemsbidrag", PEOPLE_NONE, "Medlems- bidrag",
     "medlemsbidrag från alla medlemmar"},
    {"contributions_state", UNIT_MONEY, m_contributions_state, "the state's contributions",
     "Medlemsbidrag staten", PEOPLE_NONE, "Medlems- bidrag staten",
     "statens medlemsbidrag (Försäkringskassan, Arbetsförmedlingen)"},
    {"contributions_region", UNIT_MONEY, m_contributions_region, "the region's contributions",
     "Medlemsbidrag regionen", PEOPLE_NONE, "Medlems- bidrag regionen",
     "regionens medlemsbidrag"},
    {"contributions_municipalities", UNIT_MONEY, m_contributions_municipalities,
     "the municipalities' contributions", "Medlemsbidrag kommunerna", PEOPLE_NONE,
     "Medlems- bidrag kommunerna",
     "kommunernas medlemsbidrag"},
    {"external_funding", UNIT_MONEY, m_external_funding, "ESF and other external grants",
     "Externa medel", PEOPLE_NONE, NULL,
     "ESF och andra externa bidrag"},
    {"costs", UNIT_MONEY, m_costs, "operating costs", "Kostnader", PEOPLE_NONE, NULL,
     "verksamhetens kostnader"},
    {"financial_net", UNIT_MONEY, m_financial_net, "financial income - financial costs",
     "Finansnetto", PEOPLE_NONE, "Finans- netto",
     "finansiella intäkter − finansiella kostnader"},
    {"result", UNIT_MONEY, m_result, "revenue - costs + financial_net", "Resultat",
     PEOPLE_NONE, NULL,
     "intäkter − kostnader + finansnetto"},
    {"equity", UNIT_MONEY, m_equity, "equity at period end incl. the year's result",
     "Eget kapital", PEOPLE_NONE, NULL,
     "eget kapital vid periodens slut, med årets resultat hittills"},
    {"equity_ratio", UNIT_PERCENT, m_equity_ratio, "equity / annual contributions",
     "Eget kapital / årets medlemsbidrag", PEOPLE_NONE, "Eget kapital / årsbidrag",
     "eget kapital / årets medlemsbidrag (hittills × 12 / månad) × 100"},
    {"liquidity_ratio", UNIT_PERCENT, m_liquidity_ratio, "current assets / current liabilities",
     "Likviditet", PEOPLE_NONE, NULL,
     "omsättningstillgångar / kortfristiga skulder × 100"},
    {"individual_share", UNIT_PERCENT, m_individual_share,
     "individual interventions / (costs + financial costs)", "Individinsatsernas andel",
     PEOPLE_NONE, "Individ- insatsernas andel",
     "individinsatsernas kostnader / (kostnader + finansiella kostnader) × 100"},
    {"intervention_share", UNIT_PERCENT, m_intervention_share,
     "individual + structural interventions / (costs + financial costs)", "Insatsernas andel",
     PEOPLE_NONE, NULL,
     "individ- och strukturinsatsernas kostnader / (kostnader + finansiella kostnader) × 100"},
    {"admin_share", UNIT_PERCENT, m_admin_share, "administration / (costs + financial costs)",
     "Administrationens andel", PEOPLE_NONE, "Admini- strationens andel",
     "administrationens kostnader / (kostnader + finansiella kostnader) × 100"},
    {"budget_utilisation", UNIT_PERCENT, m_budget_utilisation,
     "(costs + financial costs) / budget for the same months", "Förbrukning av budget",
     PEOPLE_NONE, NULL,
     "(kostnader + finansiella kostnader) / budget för samma månader × 100"},
    {"participants", UNIT_COUNT, m_participants, "active at year start + new", "Deltagare",
     IND, NULL,
     "individinsatser: aktuella vid årets start + nya"},
    {"new_participants", UNIT_COUNT, m_new_participants, "new so far this year",
     "Nya deltagare", IND, NULL,
     "individinsatser: nya hittills i år"},
    {"ended_participants", UNIT_COUNT, m_ended_participants, "ended so far this year",
     "Avslutade deltagare", IND, NULL,
     "individinsatser: avslutade hittills i år"},
    {"active_participants", UNIT_COUNT, m_active_participants, "active at period end",
     "Aktuella deltagare", IND, NULL,
     "individinsatser: aktuella vid periodens slut"},
    {"women_share", UNIT_PERCENT, m_women_share, "women / (women + men) among participants",
     "Andel kvinnor", IND, NULL,
     "kvinnor / (kvinnor + män) bland deltagarna × 100"},
    {"work_or_studies_share", UNIT_PERCENT, m_work_or_studies_share,
     "ended to work or studies / ended", "Andel till arbete eller studier", IND, NULL,
     "avslutade till arbete (med eller utan subvention) eller studier / avslutade × 100"},
    {"cost_per_participant", UNIT_KRONOR, m_cost_per_participant,
     "individual interventions' costs / participants", "Kostnad per deltagare", IND, NULL,
     "individinsatsernas kostnader / deltagare"},
    {"cost_per_work_or_studies", UNIT_KRONOR, m_cost_per_work_or_studies,
     "individual interventions' costs / ended to work or studies",
     "Kostnad per avslut till arbete eller studier", IND, "Kostnad per arbete/ studier",
     "individinsatsernas kostnader / avslutade till arbete eller studier"},
    {"contributions_per_inhabitant", UNIT_KRONOR, m_contributions_per_inhabitant,
     "contributions / population aged 16-64", "Medlemsbidrag per invånare 16–64 år",
     PEOPLE_NONE, "Bidrag per invånare 16–64",
     "medlemsbidrag / invånare 16–64 år"},
    {"solidity", UNIT_PERCENT, m_solidity, "equity / total assets", "Soliditet", PEOPLE_NONE, NULL,
     "eget kapital / summa tillgångar × 100"},
    {"young_share", UNIT_PERCENT, m_young_share,
     "new participants aged 16-29 (alder rows) / new participants",
     "Andel 16–29 år", IND, NULL,
     "nya deltagare 16–29 år / nya deltagare × 100"},
    {"no_support_at_exit_share", UNIT_PERCENT, m_no_support_share,
     "ended with no public support (forsorjning_avslut rows) / ended participants",
     "Andel utan offentlig försörjning vid avslut", IND, "Utan försörjning vid avslut",
     "avslutade utan offentlig försörjning / avslutade deltagare × 100"},
    {"volume_participants", UNIT_COUNT, m_volume_participants,
     "volume interventions: active at year start + new", "Deltagare i volyminsatser",
     PEOPLE_VOLUME, "Deltagare, volym",
     "volyminsatser: aktuella vid årets start + nya"},
    {"structural_participants", UNIT_COUNT, m_structural_participants,
     "structural interventions: active at year start + new", "Deltagare i strukturinsatser",
     PEOPLE_STRUCTURAL, "Deltagare, struktur",
     "strukturinsatser: aktuella vid årets start + nya"},
    {"participants_women", UNIT_COUNT, m_participants_w, "participants: women",
     "Deltagare, kvinnor", IND, NULL,
     "deltagare: kvinnor"},
    {"participants_men", UNIT_COUNT, m_participants_m, "participants: men", "Deltagare, män",
     IND, NULL,
     "deltagare: män"},
    {"new_participants_women", UNIT_COUNT, m_new_w, "new: women", "Nya deltagare, kvinnor",
     IND, NULL,
     "nya: kvinnor"},
    {"new_participants_men", UNIT_COUNT, m_new_m, "new: men", "Nya deltagare, män", IND, NULL,
     "nya: män"},
    {"ended_participants_women", UNIT_COUNT, m_ended_w, "ended: women",
     "Avslutade deltagare, kvinnor", IND, NULL,
     "avslutade: kvinnor"},
    {"ended_participants_men", UNIT_COUNT, m_ended_m, "ended: men", "Avslutade deltagare, män",
     IND, NULL,
     "avslutade: män"},
    {"active_participants_women", UNIT_COUNT, m_active_w, "active at period end: women",
     "Aktuella deltagare, kvinnor", IND, NULL,
     "aktuella vid periodens slut: kvinnor"},
    {"active_participants_men", UNIT_COUNT, m_active_m, "active at period end: men",
     "Aktuella deltagare, män", IND, NULL,
     "aktuella vid periodens slut: män"},
    {"volume_participants_women", UNIT_COUNT, m_volume_w, "volume interventions: women",
     "Deltagare i volyminsatser, kvinnor", PEOPLE_VOLUME, "Volym, kvinnor",
     "volyminsatser: kvinnor"},
    {"volume_participants_men", UNIT_COUNT, m_volume_m, "volume interventions: men",
     "Deltagare i volyminsatser, män", PEOPLE_VOLUME, "Volym, män",
     "volyminsatser: män"},
    {"structural_participants_women", UNIT_COUNT, m_structural_w,
     "structural interventions: women", "Deltagare i strukturinsatser, kvinnor",
     PEOPLE_STRUCTURAL, "Struktur, kvinnor",
     "strukturinsatser: kvinnor"},
    {"structural_participants_men", UNIT_COUNT, m_structural_m, "structural interventions: men",
     "Deltagare i strukturinsatser, män", PEOPLE_STRUCTURAL, "Struktur, män",
     "strukturinsatser: män"},
    {"work_or_studies_share_women", UNIT_PERCENT, m_wos_w,
     "women ended to work or studies / women ended", "Andel till arbete eller studier, kvinnor",
     IND, "Arbete/ studier, kvinnor",
     "kvinnor avslutade till arbete eller studier / avslutade kvinnor × 100"},
    {"work_or_studies_share_men", UNIT_PERCENT, m_wos_m,
     "men ended to work or studies / men ended", "Andel till arbete eller studier, män", IND,
     "Arbete/ studier, män",
     "män avslutade till arbete eller studier / avslutade män × 100"},
    {"young_share_women", UNIT_PERCENT, m_young_w, "new women aged 16-29 / new women",
     "Andel 16–29 år, kvinnor", IND, NULL,
     "nya kvinnor 16–29 år / nya kvinnor × 100"},
    {"young_share_men", UNIT_PERCENT, m_young_m, "new men aged 16-29 / new men",
     "Andel 16–29 år, män", IND, NULL,
     "nya män 16–29 år / nya män × 100"},
    {"no_support_at_exit_share_women", UNIT_PERCENT, m_no_support_w,
     "women ended with no public support / women ended",
     "Andel utan offentlig försörjning vid avslut, kvinnor", IND,
     "Utan försörjning vid avslut, kvinnor",
     "avslutade kvinnor utan offentlig försörjning / avslutade kvinnor × 100"},
    {"no_support_at_exit_share_men", UNIT_PERCENT, m_no_support_m,
     "men ended with no public support / men ended",
     "Andel utan offentlig försörjning vid avslut, män", IND, "Utan försörjning vid avslut, män",
     "avslutade män utan offentlig försörjning / avslutade män × 100"},
};
#undef IND
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

bool metric_grows(const metric_t *m)
{
    /* levels at the month's end: money and counts that do not add up over the year */
    static const char *const levels[] = {"equity", "active_participants",
                                         "active_participants_women",
                                         "active_participants_men"};
    if (m->unit != UNIT_MONEY && m->unit != UNIT_COUNT)
        return false;
    for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++)
        if (strcmp(m->name, levels[i]) == 0)
            return false;
    return true;
}

bool metric_per_people(const metric_t *m)
{
    return m->people != PEOPLE_NONE && m->unit != UNIT_COUNT;
}
