/* The forecast CSV of `samla-agent push --forecast`: amounts as a Swedish economist types
 * them, and every bad row named with file:line. */
#include "forecast.h"
#include "testutil.h"

static void test_good_file(void **state)
{
    (void)state;
    static const char csv[] = "\xef\xbb\xbfkostnadsområde;prognos_helår\r\n"
                              "3006;2 180 000\r\n"
                              "1010 ; 910\xc2\xa0" "000,50\r\n"
                              "\r\n"
                              "2000;-1250\r\n";
    forecast_t f;
    diag_t *d = diag_new();
    assert_int_equal(forecast_parse(csv, sizeof csv - 1, "prognos.csv", &f, d), 0);
    assert_int_equal(f.n, 3);
    assert_string_equal(f.rows[0].code, "3006");
    assert_int_equal(f.rows[0].ore, 218000000);
    assert_string_equal(f.rows[1].code, "1010");
    assert_int_equal(f.rows[1].ore, 91000050);
    assert_int_equal(f.rows[2].ore, -125000);
    assert_int_equal(f.rows[2].line, 5);
    forecast_free(&f);
    diag_destroy(&d);
}

/* Saved by Excel in Swedish ("CSV (semikolonavgränsad)"): Windows-1252, å as 0xE5 and a
 * no-break space as 0xA0: read as the participant file is, with a warning. Bytes that are
 * neither UTF-8 nor Windows-1252 (0x81) are refused. */
static void test_windows_1252(void **state)
{
    (void)state;
    static const char csv[] = "kostnadsomr\xe5" "de;prognos_hel\xe5r\r\n"
                              "3006;2\xa0" "180\xa0" "000\r\n";
    forecast_t f;
    diag_t *d = diag_new();
    assert_int_equal(forecast_parse(csv, sizeof csv - 1, "prognos.csv", &f, d), 0);
    assert_int_equal(f.n, 1);
    assert_int_equal(f.rows[0].ore, 218000000);
    assert_int_equal(diag_warnings(d), 1); /* the warning that says how it was read */
    assert_non_null(strstr(diag_text(d, 0, NULL), "Windows-1252"));
    forecast_free(&f);
    diag_destroy(&d);
    static const char bad[] = "kostnadsomr\xe5" "de;prognos_hel\x81r\n3006;1\n";
    d = diag_new();
    assert_int_equal(forecast_parse(bad, sizeof bad - 1, "prognos.csv", &f, d), -1);
    forecast_free(&f);
    diag_destroy(&d);
}

static void test_bad_rows(void **state)
{
    (void)state;
    static const struct {
        const char *csv, *message;
    } cases[] = {
        {"omrade;prognos\n3006;1\n", "prognos.csv:1: the header must be kostnadsområde;prognos_helår"},
        {"kostnadsområde;prognos_helår\n3006;tjugo\n", "prognos.csv:2: 'tjugo' is not an amount"},
        {"kostnadsområde;prognos_helår\n3006;1;2\n", "prognos.csv:2: expected two cells"},
        {"kostnadsområde;prognos_helår\n;1\n", "prognos.csv:2: the cost area's code is empty"},
        {"kostnadsområde;prognos_helår\n3006;1\n3006;2\n",
         "prognos.csv:3: cost area 3006 again (first on line 2)"},
        {"kostnadsområde;prognos_helår\n3006;1,234\n", "prognos.csv:2: '1,234' is not an amount"},
        {"", "prognos.csv: empty"},
        {"kostnadsområde;prognos_helår\n3006;\xff\n", "prognos.csv: not UTF-8"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        forecast_t f;
        diag_t *d = diag_new();
        assert_int_equal(forecast_parse(cases[i].csv, strlen(cases[i].csv), "prognos.csv", &f, d),
                         -1);
        char *text = tu_diag_text(d);
        if (!strstr(text, cases[i].message))
            fail_msg("case %zu: got '%s', want '%s'", i, text, cases[i].message);
        free(text);
        forecast_free(&f);
        diag_destroy(&d);
    }
}

static void test_missing_file(void **state)
{
    (void)state;
    forecast_t f;
    diag_t *d = diag_new();
    int missing = 0;
    assert_int_equal(forecast_read("/nonexistent/prognos.csv", &f, d, &missing), -1);
    assert_true(missing);
    diag_destroy(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_file),
        cmocka_unit_test(test_windows_1252),
        cmocka_unit_test(test_bad_rows),
        cmocka_unit_test(test_missing_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
