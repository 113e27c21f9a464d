/* The SIE reader: records, encodings, line endings, errors with file:line:column, and the
 * month-end figures of the worked example. */
#include "samla/diag.h"
#include "sie.h"
#include "testutil.h"

/* A small, complete SIE 4E file; {BODY} vouchers are appended by the tests. */
static const char HEAD[] =
    "#FLAGGA 0\n#FORMAT PC8\n#SIETYP 4\n#ORGNR 222000-1234\n#FNAMN \"Test \\\"AB\\\"\"\n"
    "#RAR 0 20250101 20251231\n#DIM 1 \"Kostnadsomr\"\n#OBJEKT 1 \"3001\" \"Team\"\n"
    "#KONTO 1930 \"Bank\"\n#KONTO 2010 \"EK\"\n#KONTO 3010 \"Bidrag\"\n"
    "#KONTO 4510 \"Insats\"\n#IB 0 1930 1000.00\n#IB 0 2010 -1000.00\n";

typedef struct {
    sie_t *s;
    diag_t *d;
} fx_t;

static fx_t s_read(const char *body)
{
    size_t n = strlen(HEAD) + strlen(body) + 1;
    char *buf = malloc(n);
    snprintf(buf, n, "%s%s", HEAD, body);
    fx_t fx = {NULL, diag_new()};
    fx.s = sie_read_buffer(buf, strlen(buf), "t.se", fx.d);
    free(buf);
    return fx;
}

static void s_free(fx_t *fx)
{
    sie_destroy(&fx->s);
    diag_destroy(&fx->d);
}

static int64_t s_row(const sie_rows_t *r, int account, int object)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->rows[i].account == account && r->rows[i].object == object)
            return r->rows[i].amount;
    return INT64_MIN;
}

static void s_expect_error(const char *body, const char *needle)
{
    fx_t fx = s_read(body);
    char *text = tu_diag_text(fx.d);
    if (!strstr(text, needle))
        fail_msg("expected '%s' in:\n%s", needle, text);
    assert_true(diag_errors(fx.d) > 0);
    free(text);
    s_free(&fx);
}

static void test_vouchers_month_end(void **state)
{
    (void)state;
    fx_t fx = s_read("#VER A 1 20250131 \"jan\"\n{\n#TRANS 1930 {} 500.00\n"
                     "#TRANS 3010 {} -500.00\n}\n"
                     "#VER A 2 20250215 \"feb\"\n{\n#TRANS 4510 {\"1\" \"3001\"} 200.50\n"
                     "\t#TRANS 1930 {} -200.50 20250216\n}\n");
    assert_int_equal(diag_errors(fx.d), 0);
    assert_int_equal(sie_voucher_count(fx.s), 2);
    assert_string_equal(sie_company(fx.s), "Test \"AB\"");
    assert_string_equal(sie_orgnr(fx.s), "222000-1234");
    sie_rows_t a, b;
    assert_int_equal(sie_month_end(fx.s, (period_t){2025, 1}, &a, &b, fx.d), 0);
    assert_int_equal(s_row(&a, 1930, -1), 150000);
    assert_int_equal(s_row(&a, 3010, -1), -50000);
    assert_int_equal(s_row(&a, 4510, -1), INT64_MIN); /* February not yet */
    free(a.rows);
    free(b.rows);
    assert_int_equal(sie_month_end(fx.s, (period_t){2025, 2}, &a, &b, fx.d), 0);
    assert_int_equal(s_row(&a, 1930, -1), 129950);
    assert_int_equal(s_row(&a, 4510, -1), 20050);
    assert_int_equal(s_row(&a, 4510, 0), 20050);
    free(a.rows);
    free(b.rows);
    assert_int_equal(sie_month_end(fx.s, (period_t){2026, 1}, &a, &b, fx.d), -1);
    s_free(&fx);
}

static void test_line_endings_agree(void **state)
{
    (void)state;
    const char *body = "#VER A 1 20250131 x\n{\n#TRANS 1930 {} 5\n#TRANS 3010 {} -5\n}\n";
    const char *seps[] = {"\n", "\r\n", "\r"};
    for (int k = 0; k < 3; k++) {
        char buf[2048];
        size_t o = 0;
        char src[2048];
        snprintf(src, sizeof src, "%s%s", HEAD, body);
        for (const char *p = src; *p; p++) {
            if (*p == '\n')
                for (const char *q = seps[k]; *q; q++)
                    buf[o++] = *q;
            else
                buf[o++] = *p;
        }
        diag_t *d = diag_new();
        sie_t *s = sie_read_buffer(buf, o, "t.se", d);
        assert_int_equal(diag_errors(d), 0);
        sie_rows_t a, b;
        assert_int_equal(sie_month_end(s, (period_t){2025, 3}, &a, &b, d), 0);
        assert_int_equal(s_row(&a, 1930, -1), 100500);
        free(a.rows);
        free(b.rows);
        sie_destroy(&s);
        diag_destroy(&d);
    }
}

static void test_psaldo_and_budget(void **state)
{
    (void)state;
    fx_t fx = s_read("#PSALDO 0 202501 3010 {} -100.00\n#PSALDO 0 202502 3010 {} -100\n"
                     "#PSALDO 0 202501 4510 {\"1\" \"3001\"} 40.00\n"
                     "#PSALDO 0 202501 1930 {} 60.00\n#PSALDO 0 202502 1930 {} 100.00\n"
                     "#PBUDGET 0 202501 4510 {\"1\" \"3001\"} 50.00\n"
                     "#PBUDGET 0 202502 4510 {\"1\" \"3001\"} 50.00\n"
                     "#PSALDO 0 202501 4510 {\"6\" \"P1\"} 999.00\n");
    assert_int_equal(diag_errors(fx.d), 0);
    assert_true(sie_uses_psaldo(fx.s));
    sie_rows_t a, b;
    assert_int_equal(sie_month_end(fx.s, (period_t){2025, 2}, &a, &b, fx.d), 0);
    assert_int_equal(s_row(&a, 3010, -1), -20000);
    assert_int_equal(s_row(&a, 1930, -1), 116000); /* IB 1000 + 60 + 100 */
    /* no {} row for 4510: the total comes from its dimension-1 rows, not dimension 6 */
    assert_int_equal(s_row(&a, 4510, -1), 4000);
    assert_int_equal(s_row(&b, 4510, -1), 10000);
    assert_int_equal(s_row(&b, 4510, 0), 10000);
    free(a.rows);
    free(b.rows);
    s_free(&fx);
}

static void test_rtrans_counted_once(void **state)
{
    (void)state;
    fx_t fx = s_read("#VER A 1 20250110 x\n{\n#TRANS 1930 {} 10\n#TRANS 3010 {} -10\n"
                     "#RTRANS 1930 {} 5\n#TRANS 1930 {} 5\n#RTRANS 3010 {} -5\n"
                     "#TRANS 3010 {} -5\n#BTRANS 1930 {} 99\n}\n");
    assert_int_equal(diag_errors(fx.d), 0);
    sie_rows_t a, b;
    assert_int_equal(sie_month_end(fx.s, (period_t){2025, 1}, &a, &b, fx.d), 0);
    assert_int_equal(s_row(&a, 3010, -1), -1500);
    free(a.rows);
    free(b.rows);
    s_free(&fx);
}

static void test_errors_name_line_and_column(void **state)
{
    (void)state;
    /* HEAD has 14 lines, so the first body line is 15. */
    s_expect_error("#VER A 7 20250110 x\n{\n#TRANS 1930 {} 10\n#TRANS 3010 {} -9.99\n}\n",
                   "t.se:15: voucher A 7 does not balance: its rows sum to 0.01");
    s_expect_error("#VER A 1 20250110 x\n{\n#TRANS 1999 {} 10\n#TRANS 3010 {} -10\n}\n",
                   "t.se:17:8: account 1999 is used but not declared with #KONTO");
    s_expect_error("#VER A 1 20250110 x\n{\n#TRANS 1930 {} 1O.00\n}\n",
                   "t.se:17:16: #TRANS: amount '1O.00' is not a number");
    s_expect_error("#VER A 1 20251301 x\n{\n}\n", "t.se:15:10: #VER: date '20251301'");
    s_expect_error("#VER A 1 20240110 x\n{\n}\n", "outside the fiscal years");
    s_expect_error("#TRANS 1930 {} 10\n", "t.se:15:1: #TRANS outside a voucher");
    s_expect_error("#KONTO 1930 \"Bank\n", "t.se:15:13: unterminated quote");
    s_expect_error("#VER A 1 20250110 x\n{\n#TRANS 1930 {} 1\n#TRANS 3010 {} -1\n",
                   "is not closed");
    s_expect_error("#ORGNR 12-34\n", "t.se:15:8: #ORGNR: '12-34' is not an organisation number");
}

static void test_encodings(void **state)
{
    (void)state;
    /* "Förbund Ågård" in CP437, ISO-8859-1 and UTF-8 */
    const char *variants[][2] = {
        {"#FNAMN \"F\x94rbund \x8Fg\x86rd\"\n", "CP437"},
        {"#FNAMN \"F\xF6rbund \xC5g\xE5rd\"\n", "ISO-8859-15"},
        {"#FNAMN \"F\xC3\xB6rbund \xC3\x85g\xC3\xA5rd\"\n", "UTF-8"},
    };
    for (int i = 0; i < 3; i++) {
        diag_t *d = diag_new();
        sie_t *s = sie_read_buffer(variants[i][0], strlen(variants[i][0]), "t.se", d);
        assert_string_equal(sie_company(s), "Förbund Ågård");
        assert_string_equal(sietext_encoding_name(sie_encoding(s)), variants[i][1]);
        sie_destroy(&s);
        diag_destroy(&d);
    }
}

static void test_garbage_never_crashes(void **state)
{
    (void)state;
    /* Every prefix of a valid file, and some noise: errors, never a crash. */
    char src[4096];
    snprintf(src, sizeof src, "%s#VER A 1 20250110 \"x\"\n{\n#TRANS 4510 {\"1\" \"3001\"} 1\n"
                              "#TRANS 1930 {} -1\n}\n", HEAD);
    size_t n = strlen(src);
    for (size_t cut = 0; cut <= n; cut++) {
        diag_t *d = diag_new();
        sie_t *s = sie_read_buffer(src, cut, "t.se", d);
        sie_rows_t a, b;
        if (s && sie_month_end(s, (period_t){2025, 1}, &a, &b, d) == 0) {
            free(a.rows);
            free(b.rows);
        }
        sie_destroy(&s);
        diag_destroy(&d);
    }
    const char noise[] = "#\x01\x02{{{\"\\\"\n}\n{\n#VER\n#TRANS {\n\xff\xfe#PSALDO 0 0 0 {} x\n";
    diag_t *d = diag_new();
    sie_t *s = sie_read_buffer(noise, sizeof noise - 1, "t.se", d);
    assert_true(diag_errors(d) > 0);
    sie_destroy(&s);
    diag_destroy(&d);
}

static void test_worked_example(void **state)
{
    (void)state;
    char path[1024];
    if (!tu_shared("worked-example/exempel.se", path, sizeof path))
        skip();
    diag_t *d = diag_new();
    int missing;
    sie_t *s = sie_read_file(path, d, &missing);
    assert_non_null(s);
    assert_int_equal(diag_errors(d), 0);
    assert_string_equal(sie_company(s), "Samordningsförbundet Exempeldalen");
    assert_string_equal(sie_orgnr(s), "222000-9993");
    assert_int_equal(sie_voucher_count(s), 12);
    assert_int_equal(sie_object_count(s), 5);
    sie_rows_t a, b;
    assert_int_equal(sie_month_end(s, (period_t){2024, 12}, &a, &b, d), 0);
    /* December equals the file's own #UB and #RES. */
    assert_int_equal(s_row(&a, 1930, -1), 292330000);
    assert_int_equal(s_row(&a, 1511, -1), 41000000);
    assert_int_equal(s_row(&a, 2440, -1), -78000000);
    assert_int_equal(s_row(&a, 3010, -1), -300000000);
    assert_int_equal(s_row(&a, 4510, -1), 470000000);
    assert_int_equal(s_row(&a, 8410, -1), -420000);
    free(a.rows);
    free(b.rows);
    sie_destroy(&s);
    diag_destroy(&d);
    d = diag_new();
    s = sie_read_file("/nonexistent/x.se", d, &missing);
    assert_null(s);
    assert_true(missing);
    diag_destroy(&d);
}

static void test_ksumma(void **state)
{
    (void)state;
    char path[1024];
    if (!tu_shared("worked-example/exempel.se", path, sizeof path))
        skip();
    size_t len = 0;
    char *buf = tu_slurp(path, &len);
    assert_non_null(buf);
    diag_t *d = diag_new();
    sie_t *s = sie_read_buffer(buf, len, "e.se", d);
    assert_int_equal(diag_errors(d), 0); /* the example's #KSUMMA 4195776816 holds */
    sie_destroy(&s);
    diag_destroy(&d);
    /* one changed amount: the checksum says so at the closing #KSUMMA */
    char *at = strstr(buf, "#IB 0 1511 350000.00");
    assert_non_null(at);
    at[11] = '4';
    d = diag_new();
    s = sie_read_buffer(buf, len, "e.se", d);
    char *text = tu_diag_text(d);
    assert_non_null(strstr(text, "e.se:402:9: #KSUMMA 4195776816 does not match the content"));
    free(text);
    sie_destroy(&s);
    diag_destroy(&d);
    /* cut short: the opening #KSUMMA has no closing one */
    d = diag_new();
    s = sie_read_buffer(buf, len / 2, "e.se", d);
    text = tu_diag_text(d);
    assert_non_null(strstr(text, "e.se:2: #KSUMMA opens a checksum here but the file ends"));
    free(text);
    sie_destroy(&s);
    diag_destroy(&d);
    free(buf);
}

static void test_year_balances_only(void **state)
{
    (void)state;
    fx_t fx = s_read("#UB 0 1930 1200.00\n#UB 0 2010 -1000.00\n#RES 0 3010 -200.00\n"
                     "#OUB 0 1930 {\"1\" \"77\"} 5.00\n#PSALDO 0 202401 3010 {} -1\n");
    char *text = tu_diag_text(fx.d);
    assert_int_equal(diag_errors(fx.d), 0);
    assert_non_null(strstr(text, "1 cost-area object of dimension 1 is used without #OBJEKT "
                                 "(\"77\"); it is read with its code as name"));
    assert_non_null(strstr(text, "#PSALDO: year 0 with a period outside year 0"));
    free(text);
    sie_rows_t a, b;
    assert_int_equal(sie_month_end(fx.s, (period_t){2025, 12}, &a, &b, fx.d), 0);
    assert_int_equal(s_row(&a, 1930, -1), 120000);
    assert_int_equal(s_row(&a, 3010, -1), -20000);
    free(a.rows);
    free(b.rows);
    assert_int_equal(sie_month_end(fx.s, (period_t){2025, 6}, &a, &b, fx.d), -1);
    s_free(&fx);
}

/* A header and nothing for the period is refused, not sent as a month of zeros. */
static void test_no_figures_for_period(void **state)
{
    (void)state;
    const char *head = "#FLAGGA 0\n#SIETYP 4\n#ORGNR 222000-1234\n#RAR 0 20240101 20241231\n"
                       "#KONTO 1930 \"Bank\"\n#KONTO 3010 \"Bidrag\"\n";
    char buf[512];
    const struct {
        const char *body;
        int month;
    } cases[] = {
        {"", 12}, /* only the header: not even the year end has figures */
        {"#VER A 1 20241120 x\n{\n#TRANS 1930 {} 10\n#TRANS 3010 {} -10\n}\n", 6},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(buf, sizeof buf, "%s%s", head, cases[i].body);
        diag_t *d = diag_new();
        sie_t *s = sie_read_buffer(buf, strlen(buf), "t.se", d);
        sie_rows_t a, b;
        assert_int_equal(sie_month_end(s, (period_t){2024, cases[i].month}, &a, &b, d), -1);
        char *text = tu_diag_text(d), want[64];
        snprintf(want, sizeof want, "no figures for 2024-%02d", cases[i].month);
        if (!strstr(text, want))
            fail_msg("expected '%s' in:\n%s", want, text);
        free(text);
        sie_destroy(&s);
        diag_destroy(&d);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vouchers_month_end),
        cmocka_unit_test(test_line_endings_agree),
        cmocka_unit_test(test_psaldo_and_budget),
        cmocka_unit_test(test_rtrans_counted_once),
        cmocka_unit_test(test_errors_name_line_and_column),
        cmocka_unit_test(test_encodings),
        cmocka_unit_test(test_garbage_never_crashes),
        cmocka_unit_test(test_worked_example),
        cmocka_unit_test(test_ksumma),
        cmocka_unit_test(test_year_balances_only),
        cmocka_unit_test(test_no_figures_for_period),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
