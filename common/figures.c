#include "samla/figures.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "samla/money.h"
#include "samla/partflow.h"

#define F(name, kind, label) {#name, offsetof(figures_t, name), kind, label},
const figure_field_t figure_fields[] = {FIGURES_ALL(F)};
#undef F
#define L(name, kind, label)                                                               \
    {#name, kind, label, offsetof(Samla__V1__Ledger, name),                                \
     offsetof(Samla__V1__Ledger, has_##name)},
const figure_line_t figure_lines[] = {FIGURES_LEDGER(L)};
#undef L
const size_t figure_line_count = sizeof figure_lines / sizeof figure_lines[0];

int64_t *figures_line_slot(Samla__V1__Ledger *l, size_t i, protobuf_c_boolean **has)
{
    *has = (protobuf_c_boolean *)((char *)l + figure_lines[i].has_offset);
    return (int64_t *)((char *)l + figure_lines[i].offset);
}

int64_t figures_line_value(const Samla__V1__Ledger *l, size_t i)
{
    protobuf_c_boolean *has;
    int64_t *v = figures_line_slot((Samla__V1__Ledger *)l, i, &has);
    return *has ? *v : 0;
}

int64_t figures_ledger_sum(const Samla__V1__Ledger *l, figure_kind_t kind)
{
    int64_t sum = 0;
    for (size_t i = 0; i < figure_line_count; i++)
        if (figure_lines[i].kind == kind)
            sum += figures_line_value(l, i);
    return sum;
}

int64_t figures_sum(const figures_t *f, figure_kind_t kind)
{
    int64_t sum = 0;
    for (size_t i = 0; i < figure_field_count; i++)
        if (figure_fields[i].kind == kind)
            sum += *figures_field((figures_t *)f, i);
    return sum;
}

figures_sums_t figures_ledger_sums(const Samla__V1__Ledger *l)
{
    figures_sums_t s;
    s.contributions = figures_ledger_sum(l, FIG_CONTRIBUTION);
    s.revenue = s.contributions + figures_ledger_sum(l, FIG_INCOME);
    s.costs = figures_ledger_sum(l, FIG_COST);
    s.result = s.revenue - s.costs + figures_ledger_sum(l, FIG_FIN_INCOME) -
               figures_ledger_sum(l, FIG_FIN_COST);
    s.assets = figures_ledger_sum(l, FIG_ASSET);
    s.claims = figures_ledger_sum(l, FIG_EQUITY) + figures_ledger_sum(l, FIG_LIABILITY);
    return s;
}

int figures_kind_sign(figure_kind_t kind)
{
    switch (kind) {
    case FIG_COST:
    case FIG_FIN_COST:
    case FIG_ASSET: return 1; /* debit balances */
    default: return -1;       /* income, equity and liabilities: credit balances */
    }
}

bool figures_kind_is_cost(figure_kind_t kind)
{
    return kind == FIG_COST || kind == FIG_FIN_COST;
}
const size_t figure_field_count = sizeof figure_fields / sizeof figure_fields[0];
#define S_ONE(name, kind, label) +1
enum { S_FLAGS = 0 FIGURES_FLAGS(S_ONE) };
#undef S_ONE

int64_t *figures_field(figures_t *f, size_t i)
{
    return (int64_t *)((char *)f + figure_fields[i].offset);
}

static int s_add(int64_t *acc, int64_t v, diag_t *d, const char *what)
{
    if (__builtin_add_overflow(*acc, v, acc))
        return diag_add(d, DIAG_ERROR, NULL, 0, "%s overflows", what);
    return 0;
}

static int s_ledger(const Samla__V1__Ledger *l, figures_t *f, diag_t *d)
{
    /* figure_fields holds the flags, then the ledger lines in figure_lines' order */
    int rc = 0;
    for (size_t i = 0; i < figure_line_count; i++) {
        int64_t v = figures_line_value(l, i);
        if (v > MONEY_MAX_ORE || v < -MONEY_MAX_ORE)
            rc = diag_add(d, DIAG_ERROR, NULL, 0, "ledger.%s is out of range",
                          figure_lines[i].name);
        else
            *figures_field(f, S_FLAGS + i) = v;
    }
    f->has_ledger = 1;
    return rc;
}

static int s_areas(const Samla__V1__Submission *sub, figures_t *f, diag_t *d)
{
    int rc = 0;
    for (size_t i = 0; i < sub->n_cost_areas; i++) {
        const Samla__V1__CostArea *a = sub->cost_areas[i];
        int64_t *dst;
        switch (a->class_) {
        case SAMLA__V1__AREA_CLASS__AREA_ADMIN: dst = &f->cost_admin; break;
        case SAMLA__V1__AREA_CLASS__AREA_STRUCTURAL: dst = &f->cost_structural; break;
        case SAMLA__V1__AREA_CLASS__AREA_INDIVIDUAL: dst = &f->cost_individual; break;
        default: dst = &f->cost_other_areas; break;
        }
        if (s_add(dst, a->costs, d, "cost area total"))
            rc = -1;
    }
    f->has_cost_areas = sub->n_cost_areas > 0;
    const int64_t *cls[] = {&f->cost_admin, &f->cost_structural, &f->cost_individual,
                            &f->cost_other_areas};
    for (size_t k = 0; k < 4 && rc == 0; k++)
        if (*cls[k] > MONEY_MAX_ORE || *cls[k] < -MONEY_MAX_ORE)
            rc = diag_add(d, DIAG_ERROR, NULL, 0, "the cost areas of one class sum to more "
                          "than %lld öre", (long long)MONEY_MAX_ORE);
    return rc;
}

static int64_t s_all(const Samla__V1__ParticipantRow *r)
{
    return (int64_t)r->women + r->men + r->unspecified;
}

/* Adds a row's women, men and everyone to three figures. */
static int s_add3(int64_t *all, int64_t *women, int64_t *men,
                  const Samla__V1__ParticipantRow *r, diag_t *d, const char *what)
{
    return s_add(all, s_all(r), d, what) | s_add(women, r->women, d, what) |
           s_add(men, r->men, d, what);
}

static bool s_is(const char *s, const char *lit)
{
    return s && strcmp(s, lit) == 0;
}

/* Volume and structural interventions: participants (start + new) of each kind. */
static int s_other_kinds(const Samla__V1__ParticipantRow *r, figures_t *f, diag_t *d)
{
    if (!s_is(r->measure, "aktuella_start") && !s_is(r->measure, "nya"))
        return 0;
    if (r->kind == SAMLA__V1__INTERVENTION_KIND__KIND_VOLUME)
        return s_add3(&f->v_participants, &f->v_women, &f->v_men, r, d, "volym");
    if (r->kind == SAMLA__V1__INTERVENTION_KIND__KIND_STRUCTURAL)
        return s_add3(&f->s_participants, &f->s_women, &f->s_men, r, d, "struktur");
    return 0;
}

/* One row of an individual intervention into the figures it feeds. */
static int s_individual(const Samla__V1__ParticipantRow *r, figures_t *f, diag_t *d)
{
    const char *m = r->measure, *c = r->category;
    int rc = 0;
    if (s_is(m, "aktuella_start")) {
        rc |= s_add3(&f->p_start, &f->p_women, &f->p_men, r, d, "aktuella_start");
    } else if (s_is(m, "nya")) {
        rc |= s_add3(&f->p_new, &f->p_women, &f->p_men, r, d, "nya");
        rc |= s_add(&f->p_new_women, r->women, d, "nya") | s_add(&f->p_new_men, r->men, d, "nya");
    } else if (s_is(m, "avslutade")) {
        rc |= s_add3(&f->p_ended, &f->p_ended_women, &f->p_ended_men, r, d, "avslutade");
    } else if (s_is(m, "aktuella_slut")) {
        rc |= s_add3(&f->p_end, &f->p_end_women, &f->p_end_men, r, d, "aktuella_slut");
    } else if (s_is(m, "avslut")) {
        if (partflow_work_or_studies(c))
            rc |= s_add3(&f->p_work_or_studies, &f->p_wos_women, &f->p_wos_men, r, d,
                         "avslut");
    } else if (s_is(m, "alder")) {
        rc |= s_add3(&f->p_aged, &f->p_aged_women, &f->p_aged_men, r, d, "alder");
        if (s_is(c, "16-29"))
            rc |= s_add3(&f->p_young, &f->p_young_women, &f->p_young_men, r, d, "alder");
    } else if (s_is(m, "forsorjning_avslut")) {
        rc |= s_add3(&f->p_exit_support, &f->p_exit_support_women, &f->p_exit_support_men, r,
                     d, "forsorjning_avslut");
        if (s_is(c, "ingen"))
            rc |= s_add3(&f->p_no_support, &f->p_no_support_women, &f->p_no_support_men, r,
                         d, "forsorjning_avslut");
    }
    return rc;
}

static int s_by_intervention(const void *a, const void *b)
{
    const Samla__V1__ParticipantRow *x = *(Samla__V1__ParticipantRow *const *)a;
    const Samla__V1__ParticipantRow *y = *(Samla__V1__ParticipantRow *const *)b;
    return strcmp(x->intervention ? x->intervention : "", y->intervention ? y->intervention : "");
}

/* The people the bands are shares of: per individual intervention (the rows sorted by
 * name, one pass per name: hostile files may name thousands), its new participants when it
 * gives any alder row, its ended ones when it gives any forsorjning_avslut row. */
static int s_banded(const Samla__V1__Submission *sub, figures_t *f, diag_t *d)
{
    size_t n = sub->n_participants;
    Samla__V1__ParticipantRow **v = n ? malloc(n * sizeof *v) : NULL;
    if (n && !v)
        return diag_add(d, DIAG_ERROR, NULL, 0, "out of memory");
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (sub->participants[i]->kind == SAMLA__V1__INTERVENTION_KIND__KIND_INDIVIDUAL)
            v[k++] = sub->participants[i];
    if (k)
        qsort(v, k, sizeof *v, s_by_intervention);
    int rc = 0;
    for (size_t i = 0, j; i < k; i = j) {
        bool aged = false, support = false;
        for (j = i; j < k && s_by_intervention(&v[i], &v[j]) == 0; j++) {
            aged |= s_is(v[j]->measure, "alder");
            support |= s_is(v[j]->measure, "forsorjning_avslut");
        }
        for (size_t r = i; r < j; r++) {
            if (aged && s_is(v[r]->measure, "nya"))
                rc |= s_add3(&f->p_banded_new, &f->p_banded_new_women, &f->p_banded_new_men,
                             v[r], d, "nya");
            if (support && s_is(v[r]->measure, "avslutade"))
                rc |= s_add3(&f->p_banded_ended, &f->p_banded_ended_women,
                             &f->p_banded_ended_men, v[r], d, "avslutade");
        }
    }
    free(v);
    return rc;
}

static int s_participants(const Samla__V1__Submission *sub, figures_t *f, diag_t *d)
{
    int rc = s_banded(sub, f, d);
    for (size_t i = 0; i < sub->n_participants; i++) {
        const Samla__V1__ParticipantRow *r = sub->participants[i];
        if (r->kind == SAMLA__V1__INTERVENTION_KIND__KIND_INDIVIDUAL)
            rc |= s_individual(r, f, d);
        else
            rc |= s_other_kinds(r, f, d);
    }
    f->has_participants = sub->n_participants > 0;
    if (f->p_start + f->p_new - f->p_ended != f->p_end)
        rc = diag_add(d, DIAG_ERROR, NULL, 0,
                      "participants: start %lld + new %lld - ended %lld != end %lld",
                      (long long)f->p_start, (long long)f->p_new, (long long)f->p_ended,
                      (long long)f->p_end);
    return rc ? -1 : 0;
}

int figures_from_submission(const Samla__V1__Submission *sub, figures_t *f, diag_t *d)
{
    memset(f, 0, sizeof *f);
    int rc = 0;
    if (sub->ledger && s_ledger(sub->ledger, f, d))
        rc = -1;
    if (s_areas(sub, f, d))
        rc = -1;
    if (s_participants(sub, f, d))
        rc = -1;
    return rc;
}

const char *figures_class_name(Samla__V1__AreaClass c)
{
    switch (c) {
    case SAMLA__V1__AREA_CLASS__AREA_ADMIN: return "admin";
    case SAMLA__V1__AREA_CLASS__AREA_STRUCTURAL: return "structural";
    case SAMLA__V1__AREA_CLASS__AREA_INDIVIDUAL: return "individual";
    default: return "other";
    }
}

const char *figures_kind_name(Samla__V1__InterventionKind k)
{
    switch (k) {
    case SAMLA__V1__INTERVENTION_KIND__KIND_VOLUME: return "volym";
    case SAMLA__V1__INTERVENTION_KIND__KIND_STRUCTURAL: return "struktur";
    default: return "individ";
    }
}

Samla__V1__InterventionKind figures_kind_of(const char *name)
{
    if (s_is(name, "volym"))
        return SAMLA__V1__INTERVENTION_KIND__KIND_VOLUME;
    if (s_is(name, "struktur"))
        return SAMLA__V1__INTERVENTION_KIND__KIND_STRUCTURAL;
    return SAMLA__V1__INTERVENTION_KIND__KIND_INDIVIDUAL;
}

/* Indexed by Samla__V1__MemberKind (1..4). */
static const struct {
    const char *name, *sv, *line;
} s_member_kinds[] = {
    {"", "", ""},
    {"state", "Staten", "contributions_state"},
    {"region", "Regionen", "contributions_region"},
    {"municipality", "Kommun", "contributions_municipalities"},
    {"external", "Extern finansiär", "external_funding"},
};
#define S_MEMBER_KINDS (sizeof s_member_kinds / sizeof s_member_kinds[0])

const char *figures_member_kind_name(Samla__V1__MemberKind k)
{
    return (size_t)k < S_MEMBER_KINDS ? s_member_kinds[k].name : "";
}

const char *figures_member_kind_sv(Samla__V1__MemberKind k)
{
    return (size_t)k < S_MEMBER_KINDS ? s_member_kinds[k].sv : "";
}

Samla__V1__MemberKind figures_member_kind_parse(const char *name)
{
    for (size_t k = 1; name && k < S_MEMBER_KINDS; k++)
        if (strcmp(name, s_member_kinds[k].name) == 0)
            return (Samla__V1__MemberKind)k;
    return (Samla__V1__MemberKind)0;
}

size_t figures_member_kind_line(Samla__V1__MemberKind k)
{
    for (size_t i = 0; (size_t)k < S_MEMBER_KINDS && i < figure_line_count; i++)
        if (strcmp(figure_lines[i].name, s_member_kinds[k].line) == 0)
            return i;
    return 0;
}
