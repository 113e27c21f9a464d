/* text: Swedish numbers, organisation numbers, UTF-8, and paths that are never cut short
 * in silence. */
#include "samla/text.h"
#include "testutil.h"

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
    assert_string_equal(b, "1 000");
    text_number_sv("123456", b, 6); /* cut short, terminated */
    assert_string_equal(b, "123 4");
    text_decimal_sv(1e300, 0, b, sizeof b); /* no overflow of b */
    assert_int_equal(strlen(b), sizeof b - 1);
}

/* One rounding for every figure (issue 29): half away from zero, on the decimal digits,
 * once. printf would give 7 036 926 for a median of 7 036 926,50 (half to even) and 2,67
 * for 2,675 (stored just below it); two steps through öre would turn 0,495 into 1. */
static void test_round_once(void **state)
{
    (void)state;
    char b[64];
    const struct {
        double v;
        int d;
        const char *want;
    } cases[] = {
        {7036926.5, 0, "7036927"},  {6494194.5, 0, "6494195"}, {-2.5, 0, "-3"},
        {2.675, 2, "2.68"},         {37.55, 1, "37.6"},        {-37.55, 1, "-37.6"},
        {0.495, 0, "0"},            {9.99999, 2, "10.00"},     {-0.004, 2, "0.00"},
        {999999999999.5, 0, "1000000000000"}, {12.0, 0, "12"}, {0.05, 1, "0.1"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        text_round_decimal(cases[i].v, cases[i].d, b, sizeof b);
        if (strcmp(b, cases[i].want) != 0)
            fail_msg("%.17g at %d decimals: %s, not %s", cases[i].v, cases[i].d, b,
                     cases[i].want);
    }
    text_decimal_sv(7036926.5, 0, b, sizeof b);
    assert_string_equal(b, "7 036 927");
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

/* Names from files and peers: what could move a cursor, retitle a terminal, fake a table
 * line or reorder a line is found, and replaced byte for byte. */
static void test_unsafe_characters(void **state)
{
    (void)state;
    assert_true(text_is_safe("Samordningsförbundet Älvdalen – Ung kraft (16–29 år)"));
    assert_true(text_is_safe(NULL));
    const char *hostile[] = {"\x1b]0;pwned\x07", "a\x1b[2J", "line\nfake", "tab\there",
                             "cr\r", "del\x7f", "c1\xc2\x9b", "rtl\xe2\x80\xae",
                             "iso\xe2\x81\xa6", "mark\xe2\x80\x8f", "alm\xd8\x9c"};
    for (size_t i = 0; i < sizeof hostile / sizeof hostile[0]; i++)
        if (text_is_safe(hostile[i]))
            fail_msg("%zu should be unsafe", i);
    char s[] = "\x1b]0;x\x07 \xe2\x80\xae" "abc \xc2\x9b" "!";
    assert_int_equal(text_neutralize(s), 4);
    assert_string_equal(s, "?]0;x? ???abc ?" "?!");
    assert_true(text_is_safe(s));
    char ok[] = "Hälsoskolan €";
    assert_int_equal(text_neutralize(ok), 0);
    assert_string_equal(ok, "Hälsoskolan €");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unsafe_characters),
        cmocka_unit_test(test_number_sv),
        cmocka_unit_test(test_round_once),
        cmocka_unit_test(test_text_fmt),
        cmocka_unit_test(test_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
