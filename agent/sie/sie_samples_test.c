/* Conformance: the public SIE files in ../shared/sie-samples/ (written by real accounting
 * software). Valid ones are read with totals equal to their own #UB/#RES; broken ones are
 * reported at the right line. Skipped when the folder is absent. */
#include "sie.h"
#include "testutil.h"

typedef struct {
    sie_t *s;
    diag_t *d;
    char *text;
} fx_t;

static bool s_open(const char *name, fx_t *fx)
{
    char rel[256], path[1024];
    snprintf(rel, sizeof rel, "sie-samples/%s", name);
    if (!tu_shared(rel, path, sizeof path))
        return false;
    fx->d = diag_new();
    int missing;
    fx->s = sie_read_file(path, fx->d, &missing);
    assert_non_null(fx->s);
    fx->text = NULL;
    return true;
}

static void s_close(fx_t *fx)
{
    free(fx->text);
    sie_destroy(&fx->s);
    diag_destroy(&fx->d);
}

static const char *s_text(fx_t *fx)
{
    free(fx->text);
    fx->text = tu_diag_text(fx->d);
    return fx->text;
}

static int64_t s_total(const sie_rows_t *r, int account)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->rows[i].account == account && r->rows[i].object < 0)
            return r->rows[i].amount;
    return INT64_MIN;
}

/* The same company as SIE 1, 2, 3 and 4, in three encodings: same December figures, equal
 * to the files' own #UB and #RES (sie_month_end cross-checks them and fails otherwise). */
static void test_blblov_all_types_agree(void **state)
{
    (void)state;
    const char *files[] = {"BLBLOV_SIE1.SE", "BLBLOV_SIE2.SE", "BLBLOV_SIE3.SE",
                           "BLBLOV_SIE4.SE", "BLBLOV_SIE4_ISO_8859_15.SE",
                           "BLBLOV_SIE4_UTF_8_1.SE"};
    const char *enc[] = {"CP437", "CP437", "CP437", "CP437", "ISO-8859-15", "UTF-8"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        fx_t fx;
        if (!s_open(files[i], &fx))
            skip();
        if (diag_errors(fx.d))
            fail_msg("%s: %s", files[i], s_text(&fx));
        assert_string_equal(sietext_encoding_name(sie_encoding(fx.s)), enc[i]);
        sie_rows_t a, b;
        if (sie_month_end(fx.s, (period_t){2017, 12}, &a, &b, fx.d))
            fail_msg("%s: %s", files[i], s_text(&fx));
        assert_int_equal(s_total(&a, 1930), 98409174); /* #UB 0 1930 984091.74 */
        free(a.rows);
        free(b.rows);
        if (sie_type(fx.s) >= 2 && !strstr(files[i], "SIE1")) {
            /* months exist too: January differs from the year */
            assert_int_equal(sie_month_end(fx.s, (period_t){2017, 1}, &a, &b, fx.d), 0);
            assert_int_equal(s_total(&a, 1930), 100921650 - 2687476);
            free(a.rows);
            free(b.rows);
        } else {
            assert_int_equal(sie_month_end(fx.s, (period_t){2017, 6}, &a, &b, fx.d), -1);
        }
        s_close(&fx);
    }
}

static void test_broken_files_name_the_line(void **state)
{
    (void)state;
    const struct {
        const char *file, *needle;
    } cases[] = {
        {"BLBLOV_SIE4_UTF_8_with_imbalanced_voucher.SE",
         "BLBLOV_SIE4_UTF_8_with_imbalanced_voucher.SE:821: voucher A 1 does not balance: "
         "its rows sum to 0.10"},
        {"BLBLOV_SIE4_UTF_8_with_non_numeric_account_number.SE",
         "BLBLOV_SIE4_UTF_8_with_non_numeric_account_number.SE:16:8: #KONTO: account '11AF' is "
         "not a number"},
        {"BLBLOV_SIE4_UTF_8_with_missing_account_balance.SE",
         "BLBLOV_SIE4_UTF_8_with_missing_account_balance.SE:426:12: #IB: amount '' is not a "
         "number"},
        /* a type 4I file (.si) may leave out #KONTO: a warning, not an error */
        {"Quotes_test.si", "Quotes_test.si: warning: 3 accounts are used without #KONTO "
                           "(1930, 2610, 3010): type 4I (.SI) files may leave the chart out"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fx_t fx;
        if (!s_open(cases[i].file, &fx))
            skip();
        const char *text = s_text(&fx);
        if (!strstr(text, cases[i].needle))
            fail_msg("expected '%s' in:\n%s", cases[i].needle, text);
        s_close(&fx);
    }
}

static void test_other_writers(void **state)
{
    (void)state;
    const struct {
        const char *file;
        period_t last;
        const char *company;
    } ok[] = {
        {"CC2-foretaget.SE", {2020, 12}, NULL},
        {"KST_projekt_Testbolaget.SE", {2021, 12}, NULL},
        {"Testbolaget_Enskild_firma.SE", {2021, 12}, "4 - Testbolaget Enskild firma"},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        fx_t fx;
        if (!s_open(ok[i].file, &fx))
            skip();
        if (diag_errors(fx.d))
            fail_msg("%s: %s", ok[i].file, s_text(&fx));
        if (ok[i].company)
            assert_string_equal(sie_company(fx.s), ok[i].company);
        sie_rows_t a, b;
        if (sie_month_end(fx.s, ok[i].last, &a, &b, fx.d))
            fail_msg("%s: %s", ok[i].file, s_text(&fx));
        free(a.rows);
        free(b.rows);
        s_close(&fx);
    }
    /* A selection of vouchers exported with the full year's #UB: every account that does
     * not add up is named. */
    fx_t fx;
    if (!s_open("Arousells_Visning_AB.SE", &fx))
        skip();
    sie_rows_t a, b;
    assert_int_equal(sie_month_end(fx.s, (period_t){2021, 12}, &a, &b, fx.d), -1);
    assert_non_null(strstr(s_text(&fx), "account 1110: the #IB and vouchers give 0.00 at year "
                                        "end, but #UB says 200.00"));
    s_close(&fx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_blblov_all_types_agree),
        cmocka_unit_test(test_broken_files_name_the_line),
        cmocka_unit_test(test_other_writers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
