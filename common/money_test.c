/* money: integer öre in, integer öre and Swedish kronor out, never a float between. */
#include "samla/money.h"
#include "testutil.h"

static int64_t s_money(const char *s)
{
    int64_t v = INT64_MIN;
    assert_int_equal(money_parse(s, strlen(s), &v), 0);
    return v;
}

static void test_money_parse(void **state)
{
    (void)state;
    assert_int_equal(s_money("123.45"), 12345);
    assert_int_equal(s_money("-0.00"), 0);
    assert_int_equal(s_money("-1666.00"), -166600);
    assert_int_equal(s_money("100"), 10000);
    assert_int_equal(s_money("1.5"), 150);
    assert_int_equal(s_money("+3"), 300);
    assert_int_equal(s_money("0,75"), 75);
    assert_int_equal(s_money("1.500"), 150);
    assert_int_equal(s_money(".5"), 50);
    int64_t v;
    const char *bad[] = {"", "-", "1.234", "12a", "1..2", "1e5", " 1", "--1", ".",
                         "99999999999999999999", "10000000000000.01"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(money_parse(bad[i], strlen(bad[i]), &v), -1);
}

static void test_money_format(void **state)
{
    (void)state;
    char b[48];
    money_format(-93699400, b, sizeof b);
    assert_string_equal(b, "-936994.00");
    money_format(-5, b, sizeof b);
    assert_string_equal(b, "-0.05");
    money_format_sv(-93699449, 0, b, sizeof b);
    assert_string_equal(b, "-936 994");
    money_format_sv(123456789050, 0, b, sizeof b);
    assert_string_equal(b, "1 234 567 891");
    money_format_sv(-4, 0, b, sizeof b);
    assert_string_equal(b, "0");
    money_format_sv(291499986, 1, b, sizeof b);
    assert_string_equal(b, "2 914 999,86");
    money_format_sv(INT64_MIN, 1, b, sizeof b);
    assert_string_equal(b, "-92 233 720 368 547 758,08");
    int64_t acc = INT64_MAX - 1;
    assert_int_equal(money_add(&acc, 2), -1);
}

/* Three lines of 0,50 kr: each alone rounds to 1, together they are 1,50 = 2 kr. */
static void test_money_apportion(void **state)
{
    (void)state;
    int64_t kr[4];
    const int64_t halves[] = {50, 50, 50};
    assert_int_equal(money_apportion(halves, 3, kr), 0);
    assert_int_equal(kr[0] + kr[1] + kr[2], 2);
    assert_true(kr[0] == 1 && kr[1] == 1 && kr[2] == 0); /* the first of equals first */
    /* rounded alone: -523 279, 0 and 0, which do not add up to the total -523 280 */
    const int64_t area[] = {-52327949, -10, -10};
    assert_int_equal(money_apportion(area, 3, kr), 0);
    assert_int_equal(kr[0], -523280);
    assert_int_equal(kr[1], 0);
    assert_int_equal(kr[2], 0);
    /* negative amounts round away from zero in the total, toward their nearest krona */
    const int64_t neg[] = {-149, -149, -2};
    assert_int_equal(money_apportion(neg, 3, kr), 0);
    assert_int_equal(kr[0] + kr[1] + kr[2], -3);
    for (int i = 0; i < 3; i++)
        assert_true(kr[i] * 100 - neg[i] < 100 && neg[i] - kr[i] * 100 < 100);
    const int64_t whole[] = {100, -200, 0};
    assert_int_equal(money_apportion(whole, 3, kr), 0);
    assert_true(kr[0] == 1 && kr[1] == -2 && kr[2] == 0);
    const int64_t huge[] = {MONEY_MAX_ORE, MONEY_MAX_ORE + 1};
    assert_int_equal(money_apportion(huge, 2, kr), -1);
    assert_int_equal(kr[0], MONEY_MAX_ORE / 100);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_money_parse),
        cmocka_unit_test(test_money_format),
        cmocka_unit_test(test_money_apportion),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
