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

/* The one list of figure names (X-macros): X(name, kind, Swedish label; translated for
 * the agent's printout through po/en.po, the samla-pot target reads it). Each list drives
 * the struct below, figure_fields and figure_lines, the store's columns and statements
 * (daemon/store/store_details.c), the agent's account mapping (agent/mapping.h) and its printers.
 * A new ledger line is a field of the Ledger message (in the same order), a line here and
 * a migration adding its column (`<name>_ore`). */

/* What a figure is; for ledger lines also which side of the books it sits on. */
typedef enum {
    FIG_FLAG,         /* 0 or 1 */
    FIG_CONTRIBUTION, /* member contributions: income */
    FIG_INCOME,       /* other operating income */
    FIG_COST,         /* operating costs */
    FIG_FIN_INCOME,
    FIG_FIN_COST,
    FIG_ASSET,
    FIG_EQUITY,
    FIG_LIABILITY,
    FIG_BUDGET,       /* budget to date, not booked */
    FIG_AREA,         /* costs of cost areas by class */
    FIG_PEOPLE,       /* a count of people */
} figure_kind_t;

/* 0 or 1: whether the submission carried the part at all. */
#define FIGURES_FLAGS(X)                                                                   \
    X(has_ledger, FIG_FLAG, "") X(has_cost_areas, FIG_FLAG, "")                            \
    X(has_participants, FIG_FLAG, "")

/* The Ledger message's lines booked from accounts, öre, report convention, in the
 * message's order. */
#define FIGURES_BOOKED(X)                                                                  \
    X(contributions_state, FIG_CONTRIBUTION, "Medlemsbidrag staten")                       \
    X(contributions_region, FIG_CONTRIBUTION, "Medlemsbidrag region")                      \
    X(contributions_municipalities, FIG_CONTRIBUTION, "Medlemsbidrag kommuner")            \
    X(external_funding, FIG_INCOME, "Externa bidrag (ESF m.fl.)")                          \
    X(other_income, FIG_INCOME, "Övriga intäkter")                                         \
    X(costs_activity, FIG_COST, "Verksamhetsanknutna kostnader")                           \
    X(costs_personnel, FIG_COST, "Personalkostnader")                                      \
    X(costs_premises, FIG_COST, "Lokalkostnader")                                          \
    X(costs_other, FIG_COST, "Övriga kostnader")                                           \
    X(financial_income, FIG_FIN_INCOME, "Finansiella intäkter")                            \
    X(financial_costs, FIG_FIN_COST, "Finansiella kostnader")                              \
    X(fixed_assets, FIG_ASSET, "Anläggningstillgångar")                                    \
    X(current_receivables, FIG_ASSET, "Kortfristiga fordringar")                           \
    X(cash, FIG_ASSET, "Kassa och bank")                                                   \
    X(equity, FIG_EQUITY, "Eget kapital (inkl. resultat)")                                 \
    X(long_term_liabilities, FIG_LIABILITY, "Avsättningar, långfristiga skulder")          \
    X(current_liabilities, FIG_LIABILITY, "Kortfristiga skulder")

/* The budget lines of the Ledger message (from #PBUDGET), öre, report convention. */
#define FIGURES_BUDGET(X)                                                                  \
    X(budget_costs, FIG_BUDGET, "Budget, kostnader och finansiella kostnader")             \
    X(budget_income, FIG_BUDGET, "Budget, intäkter")

#define FIGURES_LEDGER(X) FIGURES_BOOKED(X) FIGURES_BUDGET(X)

/* Costs + financial costs of the cost areas by class, öre. */
#define FIGURES_AREAS(X)                                                                   \
    X(cost_admin, FIG_AREA, "Administration") X(cost_structural, FIG_AREA, "Strukturinsatser") \
    X(cost_individual, FIG_AREA, "Individinsatser") X(cost_other_areas, FIG_AREA, "Övrigt")

/* Individual interventions, people, all genders unless named; p_women and p_men among
 * participants (start + new). */
#define FIGURES_PEOPLE(X)                                                                  \
    X(p_start, FIG_PEOPLE, "Aktuella vid årets start") X(p_new, FIG_PEOPLE, "Nya")         \
    X(p_ended, FIG_PEOPLE, "Avslutade") X(p_end, FIG_PEOPLE, "Aktuella")                   \
    X(p_women, FIG_PEOPLE, "Kvinnor") X(p_men, FIG_PEOPLE, "Män")                          \
    X(p_work_or_studies, FIG_PEOPLE, "Avslut till arbete eller studier")

/* The same split by gender, the age bands and support at exit (migration 5): individual
 * interventions unless named; `aged` is everyone with an age band (alder rows), `young`
 * those aged 16-29; `exit_support` everyone with a forsorjning_avslut row, `no_support`
 * those with none (kategori ingen). FIGURES_PEOPLE_KINDS: volume (v_) and structural (s_)
 * interventions, participants (start + new). */
#define FIGURES_PEOPLE_SPLIT(X)                                                            \
    X(p_new_women, FIG_PEOPLE, "Nya kvinnor") X(p_new_men, FIG_PEOPLE, "Nya män")          \
    X(p_ended_women, FIG_PEOPLE, "Avslutade kvinnor")                                      \
    X(p_ended_men, FIG_PEOPLE, "Avslutade män")                                            \
    X(p_end_women, FIG_PEOPLE, "Aktuella kvinnor") X(p_end_men, FIG_PEOPLE, "Aktuella män") \
    X(p_wos_women, FIG_PEOPLE, "Avslut till arbete eller studier, kvinnor")                \
    X(p_wos_men, FIG_PEOPLE, "Avslut till arbete eller studier, män")                      \
    X(p_aged, FIG_PEOPLE, "Med åldersgrupp") X(p_aged_women, FIG_PEOPLE, "Med åldersgrupp, kvinnor") \
    X(p_aged_men, FIG_PEOPLE, "Med åldersgrupp, män")                                      \
    X(p_young, FIG_PEOPLE, "16–29 år") X(p_young_women, FIG_PEOPLE, "16–29 år, kvinnor")   \
    X(p_young_men, FIG_PEOPLE, "16–29 år, män")                                            \
    X(p_exit_support, FIG_PEOPLE, "Med försörjning vid avslut")                            \
    X(p_exit_support_women, FIG_PEOPLE, "Med försörjning vid avslut, kvinnor")             \
    X(p_exit_support_men, FIG_PEOPLE, "Med försörjning vid avslut, män")                   \
    X(p_no_support, FIG_PEOPLE, "Utan offentlig försörjning vid avslut")                   \
    X(p_no_support_women, FIG_PEOPLE, "Utan offentlig försörjning vid avslut, kvinnor")    \
    X(p_no_support_men, FIG_PEOPLE, "Utan offentlig försörjning vid avslut, män")

#define FIGURES_PEOPLE_KINDS(X)                                                            \
    X(v_participants, FIG_PEOPLE, "Deltagare i volyminsatser")                             \
    X(v_women, FIG_PEOPLE, "Deltagare i volyminsatser, kvinnor")                           \
    X(v_men, FIG_PEOPLE, "Deltagare i volyminsatser, män")                                 \
    X(s_participants, FIG_PEOPLE, "Deltagare i strukturinsatser")                          \
    X(s_women, FIG_PEOPLE, "Deltagare i strukturinsatser, kvinnor")                        \
    X(s_men, FIG_PEOPLE, "Deltagare i strukturinsatser, män")

/* The people the bands are shares of (schema 8): the new participants of the individual
 * interventions that band their new participants by age (any alder row), and the ended
 * ones of those that give support at exit (any forsorjning_avslut row). */
#define FIGURES_PEOPLE_BANDED(X)                                                           \
    X(p_banded_new, FIG_PEOPLE, "Nya i insatser med åldersgrupper")                        \
    X(p_banded_new_women, FIG_PEOPLE, "Nya kvinnor i insatser med åldersgrupper")          \
    X(p_banded_new_men, FIG_PEOPLE, "Nya män i insatser med åldersgrupper")                \
    X(p_banded_ended, FIG_PEOPLE, "Avslutade i insatser med försörjning vid avslut")       \
    X(p_banded_ended_women, FIG_PEOPLE, "Avslutade kvinnor i insatser med försörjning")    \
    X(p_banded_ended_men, FIG_PEOPLE, "Avslutade män i insatser med försörjning")

/* Every field, in the order of figure_fields and of the store's columns. */
#define FIGURES_ALL(X)                                                                     \
    FIGURES_FLAGS(X) FIGURES_LEDGER(X) FIGURES_AREAS(X) FIGURES_PEOPLE(X)                  \
    FIGURES_PEOPLE_SPLIT(X) FIGURES_PEOPLE_KINDS(X) FIGURES_PEOPLE_BANDED(X)

typedef struct {
#define FIGURES_MEMBER(name, kind, label) int64_t name;
    FIGURES_ALL(FIGURES_MEMBER)
#undef FIGURES_MEMBER
} figures_t;

typedef struct {
    const char *name;
    size_t offset;
    figure_kind_t kind;
    const char *label; /* Swedish, as the report prints it */
} figure_field_t;

extern const figure_field_t figure_fields[];
extern const size_t figure_field_count;

/* The Ledger message's lines (FIGURES_LEDGER), where each sits in the message. */
typedef struct {
    const char *name;
    figure_kind_t kind;
    const char *label;
    size_t offset, has_offset; /* of the int64 and its protobuf_c_boolean has_ */
} figure_line_t;

extern const figure_line_t figure_lines[];
extern const size_t figure_line_count;

/* Line i of a Ledger message, 0 when absent. */
int64_t figures_line_value(const Samla__V1__Ledger *l, size_t i);
/* The line's value and its presence flag, to fill a message in. */
int64_t *figures_line_slot(Samla__V1__Ledger *l, size_t i, protobuf_c_boolean **has);
/* The sum of a Ledger message's lines of one kind, and the same over figures. */
int64_t figures_ledger_sum(const Samla__V1__Ledger *l, figure_kind_t kind);
int64_t figures_sum(const figures_t *f, figure_kind_t kind);
/* The sums the income statement and balance sheet print, from the lines by kind. */
typedef struct {
    int64_t contributions, revenue, costs, result, assets, claims; /* claims: equity +
                                                                       liabilities */
} figures_sums_t;
figures_sums_t figures_ledger_sums(const Samla__V1__Ledger *l);

/* +1 or -1: a line's report amount is sign x its bookkeeping (debit-positive) amount. */
int figures_kind_sign(figure_kind_t kind);
/* Whether lines of this kind are costs (printed as negative numbers in the report). */
bool figures_kind_is_cost(figure_kind_t kind);

/* The most people one figure may count: 100 000 rows of PARTFLOW_MAX_COUNT; the bound of
 * the store's CHECK constraints on people (migration 4 spells it out, frozen). */
#define FIGURES_MAX_PEOPLE INT64_C(1000000000000)

int64_t *figures_field(figures_t *f, size_t i);

/* The names a cost-area class and an intervention kind have in CSV, JSON and the
 * database: admin, structural, individual, other; individ, volym, struktur. */
const char *figures_class_name(Samla__V1__AreaClass c);
const char *figures_kind_name(Samla__V1__InterventionKind k);
/* The kind figures_kind_name names ("individ", "volym", "struktur"); individ otherwise. */
Samla__V1__InterventionKind figures_kind_of(const char *name);
/* A member's kind (samla financing): its name in configs, CSV and JSON (state, region,
 * municipality, external; "" for none), its Swedish label, the one called name (0 when
 * none), and the Ledger line its money is booked on (an index of figure_lines). */
const char *figures_member_kind_name(Samla__V1__MemberKind k);
const char *figures_member_kind_sv(Samla__V1__MemberKind k);
Samla__V1__MemberKind figures_member_kind_parse(const char *name);
size_t figures_member_kind_line(Samla__V1__MemberKind k);

/* Fills f from a decoded submission. Reports semantic problems (unknown measures, flow
 * that does not add up, overflow) into d and returns -1 if there were any. */
int figures_from_submission(const Samla__V1__Submission *sub, figures_t *f, diag_t *d);

#endif
