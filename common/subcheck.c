#include "samla/subcheck.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "samla/figures.h"
#include "samla/money.h"
#include "samla/partflow.h"
#include "samla/period.h"
#include "samla/text.h"

static bool s_len_ok(const char *s)
{
    return !s || strlen(s) <= SUBCHECK_MAX_STRING;
}

/* A text shown to other people later (names, codes): no control character or bidi
 * override (text.h), so that it can never become a terminal escape or reorder a line. */
static bool s_shown_ok(const char *s)
{
    return text_is_safe(s);
}

static bool s_amount_ok(protobuf_c_boolean has, int64_t v)
{
    return !has || (v <= MONEY_MAX_ORE && v >= -MONEY_MAX_ORE);
}

/* Every line of a Ledger (the month's, its budget or last year's: `what` names it). */
static int s_ledger(const Samla__V1__Ledger *l, const char *what, const char *display,
                    diag_t *d)
{
    int rc = 0;
    for (size_t i = 0; l && i < figure_line_count; i++) {
        protobuf_c_boolean *has;
        int64_t v = *figures_line_slot((Samla__V1__Ledger *)l, i, &has);
        if (!s_amount_ok(*has, v))
            rc = diag_add(d, DIAG_ERROR, display, 0, "%s.%s is %lld öre, beyond the "
                          "±%lld a ledger line may hold", what, figure_lines[i].name,
                          (long long)v, (long long)MONEY_MAX_ORE);
    }
    return rc;
}

/* Who paid (Ledger.members): named, of a kind, bounded; a kind's members add up to no more
 * than their line (the agent takes them from accounts on that line only). */
static int s_members(const Samla__V1__Ledger *l, const char *display, diag_t *d)
{
    if (!l || !l->n_members)
        return 0;
    if (l->n_members > SUBCHECK_MAX_MEMBERS)
        return diag_add(d, DIAG_ERROR, display, 0, "more than %d members",
                        SUBCHECK_MAX_MEMBERS);
    int rc = 0;
    int64_t sum[5] = {0};
    for (size_t i = 0; i < l->n_members; i++) {
        const Samla__V1__MemberAmount *m = l->members[i];
        const char *name = m->name ? m->name : "";
        if (!*name || !s_len_ok(name) || !s_shown_ok(name))
            rc = diag_add(d, DIAG_ERROR, display, 0, "member %zu: its name is empty, longer "
                          "than %d bytes or holds a control character", i + 1,
                          SUBCHECK_MAX_STRING);
        else if (!*figures_member_kind_name(m->kind))
            rc = diag_add(d, DIAG_ERROR, display, 0, "member %.40s: unknown kind %d", name,
                          (int)m->kind);
        else if (!s_amount_ok(m->has_amount, m->amount))
            rc = diag_add(d, DIAG_ERROR, display, 0, "member %.40s: the amount is beyond "
                          "±%lld öre", name, (long long)MONEY_MAX_ORE);
        else
            sum[m->kind] += m->amount; /* 64 x 10^15 fits */
        for (size_t j = 0; j < i && rc == 0; j++)
            if (l->members[j]->kind == m->kind && l->members[j]->name &&
                strcmp(l->members[j]->name, name) == 0)
                rc = diag_add(d, DIAG_ERROR, display, 0, "member %.40s is given twice", name);
    }
    for (int k = 1; k < 5 && rc == 0; k++) {
        int64_t line = figures_line_value(l, figures_member_kind_line((Samla__V1__MemberKind)k));
        if (llabs(sum[k]) > llabs(line))
            rc = diag_add(d, DIAG_ERROR, display, 0, "the %s members add up to %lld öre, more "
                          "than their line's %lld", figures_member_kind_name(
                              (Samla__V1__MemberKind)k), (long long)sum[k], (long long)line);
    }
    return rc;
}

static int s_code_cmp(const void *a, const void *b)
{
    return strcmp((*(Samla__V1__CostArea *const *)a)->code,
                  (*(Samla__V1__CostArea *const *)b)->code);
}

static int s_areas(const Samla__V1__Submission *sub, const char *display, diag_t *d)
{
    int rc = 0;
    for (size_t i = 0; i < sub->n_cost_areas; i++) {
        const Samla__V1__CostArea *a = sub->cost_areas[i];
        const char *code = a->code ? a->code : "";
        if (!*code || !s_len_ok(code))
            rc = diag_add(d, DIAG_ERROR, display, 0, "cost area %zu: the code is %zu bytes; "
                          "it must be 1 to %d", i + 1, strlen(code), SUBCHECK_MAX_STRING);
        else if (!s_len_ok(a->name))
            rc = diag_add(d, DIAG_ERROR, display, 0, "cost area %s: the name is %zu bytes, "
                          "more than the %d samlad accepts", code, strlen(a->name),
                          SUBCHECK_MAX_STRING);
        else if (!s_shown_ok(code) || !s_shown_ok(a->name))
            rc = diag_add(d, DIAG_ERROR, display, 0, "cost area %zu: its code or name holds "
                          "a control character or a bidirectional override; take it out of "
                          "the object in the accounting system", i + 1);
        if (a->has_class_ && ((int)a->class_ < (int)SAMLA__V1__AREA_CLASS__AREA_OTHER ||
                              (int)a->class_ > (int)SAMLA__V1__AREA_CLASS__AREA_INDIVIDUAL))
            rc = diag_add(d, DIAG_ERROR, display, 0, "cost area %.40s: unknown class %d",
                          code, (int)a->class_);
        if (!s_amount_ok(a->has_costs, a->costs) || !s_amount_ok(a->has_income, a->income) ||
            !s_amount_ok(a->has_budget_costs, a->budget_costs) ||
            !s_amount_ok(a->has_budget_income, a->budget_income) ||
            !s_amount_ok(a->has_budget_year_costs, a->budget_year_costs) ||
            !s_amount_ok(a->has_forecast_costs, a->forecast_costs))
            rc = diag_add(d, DIAG_ERROR, display, 0, "cost area %.40s: an amount is beyond "
                          "±%lld öre", code, (long long)MONEY_MAX_ORE);
    }
    if (rc || sub->n_cost_areas < 2)
        return rc;
    Samla__V1__CostArea **sorted = malloc(sub->n_cost_areas * sizeof *sorted);
    if (!sorted)
        return diag_add(d, DIAG_ERROR, display, 0, "out of memory");
    memcpy(sorted, sub->cost_areas, sub->n_cost_areas * sizeof *sorted);
    qsort(sorted, sub->n_cost_areas, sizeof *sorted, s_code_cmp);
    for (size_t i = 1; i < sub->n_cost_areas; i++)
        if (strcmp(sorted[i]->code, sorted[i - 1]->code) == 0) {
            rc = diag_add(d, DIAG_ERROR, display, 0, "cost area %.40s is given twice",
                          sorted[i]->code);
            break;
        }
    free(sorted);
    return rc;
}

static int s_participants(const Samla__V1__Submission *sub, const char *display, diag_t *d)
{
    if (sub->n_participants == 0)
        return 0;
    partflow_row_t *rows = calloc(sub->n_participants, sizeof *rows);
    if (!rows)
        return diag_add(d, DIAG_ERROR, display, 0, "out of memory");
    int rc = 0;
    for (size_t i = 0; i < sub->n_participants; i++) {
        const Samla__V1__ParticipantRow *r = sub->participants[i];
        if (!r->intervention || !r->measure || !s_len_ok(r->intervention) ||
            !s_len_ok(r->measure) || !s_len_ok(r->category) || !s_len_ok(r->cost_area))
            rc = diag_add(d, DIAG_ERROR, display, i + 1, "participant row: a text is longer "
                          "than %d bytes", SUBCHECK_MAX_STRING);
        else if (!s_shown_ok(r->intervention) || !s_shown_ok(r->measure) ||
                 !s_shown_ok(r->category) || !s_shown_ok(r->cost_area))
            rc = diag_add(d, DIAG_ERROR, display, i + 1, "participant row: a text holds a "
                          "control character or a bidirectional override");
        if ((int)r->kind < (int)SAMLA__V1__INTERVENTION_KIND__KIND_INDIVIDUAL ||
            (int)r->kind > (int)SAMLA__V1__INTERVENTION_KIND__KIND_STRUCTURAL)
            rc = diag_add(d, DIAG_ERROR, display, i + 1, "participant row: unknown kind %d",
                          (int)r->kind);
        rows[i] = (partflow_row_t){r->intervention ? r->intervention : "",
                                   r->measure ? r->measure : "", r->category,
                                   {r->women, r->men, r->unspecified}, i + 1};
    }
    if (rc == 0)
        rc = partflow_check(rows, sub->n_participants, display, d);
    free(rows);
    return rc;
}

int subcheck_submission(const Samla__V1__Submission *sub, const char *display, diag_t *d)
{
    size_t before = diag_errors(d);
    period_t p;
    if (!sub->orgnr || !text_orgnr_valid(sub->orgnr))
        diag_add(d, DIAG_ERROR, display, 0, "orgnr is not NNNNNN-NNNN");
    if (!sub->period || period_parse(sub->period, &p))
        diag_add(d, DIAG_ERROR, display, 0, "period is not YYYY-MM");
    if (sub->n_cost_areas > SUBCHECK_MAX_AREAS || sub->n_participants > SUBCHECK_MAX_ROWS)
        return diag_add(d, DIAG_ERROR, display, 0, "more than %d cost areas or %d participant "
                        "rows", SUBCHECK_MAX_AREAS, SUBCHECK_MAX_ROWS);
    if (!s_len_ok(sub->created_at) || !s_len_ok(sub->software))
        diag_add(d, DIAG_ERROR, display, 0, "created_at or software is longer than %d bytes",
                 SUBCHECK_MAX_STRING);
    else if (!s_shown_ok(sub->created_at) || !s_shown_ok(sub->software))
        diag_add(d, DIAG_ERROR, display, 0, "created_at or software holds a control "
                 "character or a bidirectional override");
    s_ledger(sub->ledger, "ledger", display, d);
    s_members(sub->ledger, display, d);
    s_ledger(sub->budget_lines, "budget_lines", display, d);
    s_ledger(sub->last_year, "last_year", display, d);
    s_ledger(sub->forecast_lines, "forecast_lines", display, d);
    s_areas(sub, display, d);
    s_participants(sub, display, d);
    return diag_errors(d) == before ? 0 : -1;
}
