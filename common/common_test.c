/* money, period, text and stats: the small shared pieces everything else trusts. */
#include "samla/diag.h"
#include "samla/money.h"
#include "samla/period.h"
#include "samla/stats.h"
#include "samla/text.h"
#include "samla/cursor.h"
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

/* One Swedish number format for kronor, people and shares alike. */
static void test_number_sv(void **state)
{
    (void)state;
    char b[48];
    text_decimal_sv(1234.46, 1, b, sizeof b);
    assert_string_equal(b, "1 234,5");
    text_decimal_sv(-1234567.0, 0, b, sizeof b);
    assert_string_equal(b, "-1 234 567");
    text_decimal_sv(-0.04, 1, b, sizeof b); /* rounds to zero: no minus */
    assert_string_equal(b, "0,0");
    text_decimal_sv(88.0, 1, b, sizeof b);
    assert_string_equal(b, "88,0");
    text_decimal_sv(999.5, 0, b, sizeof b);
    assert_string_equal(b, "1 000"); /* printf rounds half to even: 999.5 is exact -> 1000 */
    text_number_sv("123456", b, 6); /* cut short, terminated */
    assert_string_equal(b, "123 4");
    text_decimal_sv(1e300, 0, b, sizeof b); /* no overflow of b */
    assert_int_equal(strlen(b), sizeof b - 1);
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

/* A path cut short names another file: text_fmt says so instead. */
static void test_text_fmt(void **state)
{
    (void)state;
    char b[8];
    assert_int_equal(text_fmt(b, sizeof b, "%s/%s", "ab", "cd"), 0);
    assert_string_equal(b, "ab/cd");
    assert_int_equal(text_fmt(b, sizeof b, "%s/%s", "abc", "defg"), -1); /* 8 with the NUL */
    assert_string_equal(b, "");
    assert_int_equal(text_fmt(b, sizeof b, "%s", "1234567"), 0);
}

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

static void test_text(void **state)
{
    (void)state;
    char o[12];
    assert_int_equal(text_orgnr_canonical("2220002048", 10, o), 0);
    assert_string_equal(o, "222000-2048");
    assert_int_equal(text_orgnr_canonical("222000-2048", 11, o), 0);
    assert_int_equal(text_orgnr_canonical("198605100000", 12, o), 0);
    assert_string_equal(o, "860510-0000");
    /* #ORGNR with the century digits some systems write, with or without the hyphen */
    assert_int_equal(text_orgnr_canonical("16222000-2030", 13, o), 0);
    assert_string_equal(o, "222000-2030");
    assert_int_equal(text_orgnr_canonical("162220002030", 12, o), 0);
    assert_string_equal(o, "222000-2030");
    assert_int_equal(text_orgnr_canonical("1622200-02030", 13, o), -1);
    assert_int_equal(text_orgnr_canonical("22200-02048", 11, o), -1);
    assert_int_equal(text_orgnr_canonical("222000204", 9, o), -1);
    assert_true(text_orgnr_valid("222000-2048"));
    assert_false(text_orgnr_valid("2220002048"));
    assert_true(text_utf8_valid("Älvdalen", strlen("Älvdalen")));
    assert_false(text_utf8_valid("\xC4lv", 3));        /* Latin-1 Ä */
    assert_false(text_utf8_valid("a\0b", 3));          /* embedded NUL */
    assert_false(text_utf8_valid("\xC3", 1));          /* cut short */
    assert_false(text_utf8_valid("\xC0\xAF", 2));      /* overlong */
    assert_false(text_utf8_valid("\xED\xA0\x80", 3));  /* surrogate */
    assert_int_equal(text_width("Övriga kostnader"), 16);
}

static void test_stats(void **state)
{
    (void)state;
    double v[] = {3.0, 1.0, 4.0, 2.0};
    stats_t s;
    assert_int_equal(stats_compute(v, 4, &s), 0);
    assert_int_equal(s.count, 4);
    assert_true(s.median == 2.5 && s.min == 1.0 && s.max == 4.0 && s.sum == 10.0);
    assert_true(s.mean == 2.5);
    assert_int_equal(stats_compute(v, 3, &s), 0);
    assert_true(s.median == 3.0);
    double r[] = {5.0, 9.0, 5.0, 1.0};
    unsigned rank[4];
    stats_rank(r, 4, rank);
    assert_int_equal(rank[1], 1);
    assert_int_equal(rank[0], 2);
    assert_int_equal(rank[2], 2);
    assert_int_equal(rank[3], 4);
}

static void test_diag(void **state)
{
    (void)state;
    diag_t *d = diag_new();
    assert_int_equal(diag_add(d, DIAG_ERROR, "f.se", 12, "bad %s", "thing"), -1);
    assert_int_equal(diag_add(d, DIAG_WARNING, "f.se", 0, "odd"), 0);
    for (int i = 0; i < 300; i++)
        diag_add(d, DIAG_ERROR, "f.se", (size_t)i + 1, "again");
    assert_int_equal(diag_errors(d), 301);
    char *text = tu_diag_text(d);
    assert_non_null(strstr(text, "t: f.se:12: bad thing\n"));
    assert_non_null(strstr(text, "t: f.se: warning: odd\n"));
    assert_non_null(strstr(text, "more problems not shown"));
    free(text);
    diag_destroy(&d);
    assert_null(d);
}

/* The one digit loop every parser uses: bounds, sign, and a failed read leaves the cursor. */
static void test_cursor_readers(void **state)
{
    (void)state;
    uint64_t u;
    assert_int_equal(cur_span_uint((cur_span_t){"18446744073709551615", 20}, UINT64_MAX, &u), 0);
    assert_true(u == UINT64_MAX);
    assert_int_equal(cur_span_uint((cur_span_t){"18446744073709551616", 20}, UINT64_MAX, &u), -1);
    assert_int_equal(cur_span_uint((cur_span_t){"1000", 4}, 999, &u), -1);
    assert_int_equal(cur_span_uint((cur_span_t){"12a", 3}, 999, &u), -1);
    assert_int_equal(cur_span_uint((cur_span_t){"", 0}, 999, &u), -1);
    cur_t c;
    int64_t v;
    cur_init(&c, "-42 x", 5);
    assert_int_equal(cur_int(&c, -99, 0, &v), 0);
    assert_int_equal(v, -42);
    assert_int_equal(cur_col(&c), 4);
    cur_init(&c, "-", 1);
    assert_int_equal(cur_int(&c, -99, 0, &v), -1);
    assert_int_equal(cur_col(&c), 1); /* not moved */
    cur_init(&c, "-5", 2);
    assert_int_equal(cur_int(&c, 0, 9, &v), -1); /* no negatives allowed */
    cur_init(&c, "12.50;", 6);
    assert_int_equal(cur_amount(&c, 100000, &v), 0);
    assert_int_equal(v, 1250);
    assert_int_equal(cur_peek(&c), ';');
    cur_init(&c, "1.505", 5);
    assert_int_equal(cur_amount(&c, 100000, &v), -1);
    assert_int_equal(cur_col(&c), 1);
    int d;
    cur_init(&c, "20240229", 8);
    assert_int_equal(cur_date(&c, &d), 0);
    assert_int_equal(d, 20240229);
    cur_init(&c, "20250229", 8);
    assert_int_equal(cur_date(&c, &d), -1);
    cur_init(&c, "ab cd", 5);
    cur_span_t w = cur_until(&c, " ");
    assert_true(cur_span_eq(w, "ab"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cursor_readers),
        cmocka_unit_test(test_money_parse), cmocka_unit_test(test_money_format),
        cmocka_unit_test(test_number_sv),
        cmocka_unit_test(test_money_apportion),
        cmocka_unit_test(test_text_fmt),
        cmocka_unit_test(test_period),      cmocka_unit_test(test_text),
        cmocka_unit_test(test_stats),       cmocka_unit_test(test_diag),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
