/* period: months and dates as the ledger and the contract write them. */
#include "samla/period.h"
#include "testutil.h"

static void test_period(void **state)
{
    (void)state;
    period_t p;
    assert_int_equal(period_parse("2024-02", &p), 0);
    assert_int_equal(period_last_day(p), 29);
    assert_int_equal(period_end_date(p), 20240229);
    assert_int_equal(period_parse("2023-02", &p), 0);
    assert_int_equal(period_last_day(p), 28);
    const char *bad[] = {"2024-13", "2024-00", "24-01", "2024-1", "2024/01", "abcd-ef", ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(period_parse(bad[i], &p), -1);
    int d;
    assert_int_equal(date_parse("20241231", 8, &d), 0);
    assert_int_equal(d, 20241231);
    assert_int_equal(date_parse("20230229", 8, &d), -1);
    assert_int_equal(date_parse("2024123", 7, &d), -1);
}

/* A month-end report can exist for this month and next (a förbund closing early), not
 * later: 2025-12-31 23:59 UTC takes 2026-01, not 2026-02; 2999-12 never. */
static void test_in_future(void **state)
{
    (void)state;
    long long t = 1767225540; /* 2025-12-31T23:59:00Z */
    period_t p;
    const struct {
        const char *period;
        int future;
    } cases[] = {{"2025-12", 0}, {"2026-01", 0}, {"2026-02", 1}, {"2999-12", 1},
                 {"1900-01", 0}, {"2025-01", 0}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(period_parse(cases[i].period, &p), 0);
        if (period_in_future(p, t) != cases[i].future)
            fail_msg("%s: expected %d", cases[i].period, cases[i].future);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_in_future),
        cmocka_unit_test(test_period),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
