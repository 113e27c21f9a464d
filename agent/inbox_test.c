/* inbox: the month a file name carries, as an economist names the month's files. */
#include "inbox.h"
#include "testutil.h"

static void test_period_of_name(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        int year, month; /* 0: none */
    } cases[] = {
        {"deltagare-2025-06.csv", 2025, 6},
        {"huvudbok 2025-06.se", 2025, 6},
        {"SIE 2024_12 export.SE", 2024, 12},
        {"prognos 2025 03.csv", 2025, 3},
        {"export 2025-06 rättad 2025-07.se", 2025, 7}, /* the last one counts */
        {"export.se", 0, 0},
        {"huvudbok 2025-13.se", 0, 0},  /* no month 13 */
        {"huvudbok 12025-06.se", 0, 0}, /* inside a longer number */
        {"huvudbok 2025-061.se", 0, 0},
        {"1999-06.se", 0, 0},           /* no Samla before 2000 */
        {"2025-6.se", 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        period_t p = {0, 0};
        int rc = inbox_period_of_name(cases[i].name, &p);
        if (cases[i].year ? rc != 0 || p.year != cases[i].year || p.month != cases[i].month
                          : rc == 0)
            fail_msg("%s: %d %d-%d", cases[i].name, rc, p.year, p.month);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_period_of_name)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
