/* statements: whole kronor that add up. Most lines end in 50 öre, where rounding each on
 * its own makes the sums disagree with their lines (the three contributions: 1 001 + 501 +
 * 501 against 2 001,50); the cash flow meets the change in cash as the balance sheet shows
 * it; the summary agrees with the statements. */
#include "samla/statements.h"
#include "testutil.h"

static const stmt_row_t *s_find(const stmt_t *s, stmt_section_t sec, const char *line)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->rows[i].section == sec && strcmp(s->rows[i].line, line) == 0)
            return &s->rows[i];
    return NULL;
}

static void test_adds_up(void **state)
{
    (void)state;
    static const struct {
        const char *line;
        int64_t outcome, budget, last_year;
    } in[] = {
        {"contributions_state", 100050, 100000, 90000},
        {"contributions_region", 50050, 50000, 45000},
        {"contributions_municipalities", 50050, 50000, 45000},
        {"costs_personnel", 150050, 160000, 140000},
        {"costs_other", 30050, 40000, 30000},
        {"financial_costs", 150, 0, 100},
        {"current_receivables", 20050, 0, 10000},
        {"cash", 70050, 0, 50000},
        {"equity", 49950 + 20000, 0, 50000},
        {"current_liabilities", 20150, 0, 10000},
    };
    enum { N = sizeof in / sizeof in[0] };
    Samla__V1__StatementLine l[N], *lp[N];
    for (size_t i = 0; i < N; i++) {
        samla__v1__statement_line__init(&l[i]);
        l[i].line = (char *)in[i].line;
        l[i].has_outcome = l[i].has_last_year = 1;
        l[i].outcome = in[i].outcome;
        l[i].last_year = in[i].last_year;
        l[i].has_budget = in[i].budget != 0;
        l[i].budget = in[i].budget;
        lp[i] = &l[i];
    }
    Samla__V1__Statements r = SAMLA__V1__STATEMENTS__INIT;
    r.orgnr = "222000-0001";
    r.period = "2025-12";
    r.has_revision = 1;
    r.revision = 1;
    r.n_lines = N;
    r.lines = lp;
    r.has_forecast_costs = 1;
    r.forecast_costs = 200000;
    stmt_t s;
    assert_int_equal(stmt_build(&r, &s), 0);
    /* every sum is the sum of the lines shown above it, in every column */
    const stmt_row_t *rev = s_find(&s, STMT_INCOME, "revenue");
    const stmt_row_t *costs = s_find(&s, STMT_INCOME, "costs");
    const stmt_row_t *res = s_find(&s, STMT_INCOME, "result");
    int64_t in_sum = 0, cost_sum = 0, all = 0;
    for (size_t i = 0; i < s.n; i++) {
        const stmt_row_t *w = &s.rows[i];
        if (w->section != STMT_INCOME || w->sum)
            continue;
        all += w->kr[STMT_OUTCOME];
        if (strncmp(w->line, "contributions", 13) == 0)
            in_sum += w->kr[STMT_OUTCOME];
        else if (strncmp(w->line, "costs", 5) == 0)
            cost_sum += w->kr[STMT_OUTCOME];
    }
    assert_int_equal(rev->kr[STMT_OUTCOME], in_sum);
    assert_int_equal(costs->kr[STMT_OUTCOME], cost_sum);
    assert_int_equal(res->kr[STMT_OUTCOME], all);
    /* 2 001,50 - 1 801,00 - 1,50 = 199,00 kr: the result is the exact sum rounded once,
     * whatever krona each line's 50 öre went to */
    assert_int_equal(res->kr[STMT_OUTCOME], 199);
    assert_int_equal(res->kr[STMT_DEVIATION], res->kr[STMT_OUTCOME] - res->kr[STMT_BUDGET]);
    assert_int_equal(costs->kr[STMT_FORECAST], -2000);
    /* the two sides of the balance sheet: one number */
    assert_int_equal(s_find(&s, STMT_BALANCE, "assets")->kr[STMT_OUTCOME],
                     s_find(&s, STMT_BALANCE, "claims")->kr[STMT_OUTCOME]);
    /* the cash flow: its parts, the period's flow, the change in cash as shown */
    const stmt_row_t *cf = s_find(&s, STMT_CASH_FLOW, "cash_flow");
    const stmt_row_t *start = s_find(&s, STMT_CASH_FLOW, "cash_start");
    const stmt_row_t *end = s_find(&s, STMT_CASH_FLOW, "cash_end");
    assert_int_equal(cf->kr[STMT_OUTCOME], end->kr[STMT_OUTCOME] - start->kr[STMT_OUTCOME]);
    assert_int_equal(end->kr[STMT_OUTCOME], s_find(&s, STMT_BALANCE, "cash")->kr[STMT_OUTCOME]);
    assert_int_equal(s_find(&s, STMT_CASH_FLOW, "operating")->kr[STMT_OUTCOME] +
                         s_find(&s, STMT_CASH_FLOW, "investing")->kr[STMT_OUTCOME] +
                         s_find(&s, STMT_CASH_FLOW, "financing")->kr[STMT_OUTCOME],
                     cf->kr[STMT_OUTCOME]);
    assert_int_equal(s_find(&s, STMT_CASH_FLOW, "result")->kr[STMT_OUTCOME],
                     res->kr[STMT_OUTCOME]);
    /* the summary is the statements' own rows */
    assert_int_equal(s_find(&s, STMT_SUMMARY, "result")->kr[STMT_OUTCOME],
                     res->kr[STMT_OUTCOME]);
    assert_int_equal(s_find(&s, STMT_SUMMARY, "net_cost")->kr[STMT_OUTCOME],
                     res->kr[STMT_OUTCOME] - rev->kr[STMT_OUTCOME]);
    stmt_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_adds_up)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
