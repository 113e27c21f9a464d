/* The SIE reader: records, encodings, line endings, errors with file:line:column, and the
 * month-end figures of the worked example. */
#include <unistd.h>

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
    /* a cost area's name is shown to the board and the region: never a terminal escape or
     * a bidirectional override, and the message itself carries neither */
    s_expect_error("#OBJEKT 1 \"3002\" \"Team\x1b]0;x\x07\"\n",
                   "t.se:15: #OBJEKT: the code or name holds a control character");
    s_expect_error("#OBJEKT 1 \"30\xe2\x80\xae" "02\" \"Team\"\n", "t.se:15: #OBJEKT");
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

/* Reads a whole file (no HEAD) under a given name. */
static fx_t s_read_named(const char *text, const char *name)
{
    fx_t fx = {NULL, diag_new()};
    fx.s = sie_read_buffer(text, strlen(text), name, fx.d);
    return fx;
}

/* Issue 12, item 3: one message per cause, with a count. */
static void test_one_message_per_cause(void **state)
{
    (void)state;
    fx_t fx = s_read("#VER A 1 20250110 x\n{\n#TRANS 1999 {} 10\n#TRANS 3010 {} -10\n}\n"
                     "#VER A 2 20250111 x\n{\n#TRANS 1999 {} 5\n#TRANS 3010 {} -5\n}\n"
                     "#VER A 3 20250112 x\n{\n#TRANS 1999 {} 1\n#TRANS 3010 {} -1\n}\n");
    char *text = tu_diag_text(fx.d);
    assert_int_equal(tu_count(text, "account 1999"), 1);
    assert_non_null(strstr(text, "t.se:17:8: account 1999 is used but not declared with #KONTO "
                                 "(and 2 more lines like it)"));
    assert_int_equal(diag_errors(fx.d), 1);
    free(text);
    s_free(&fx);
}

/* Item 3: a refused row still counts in its voucher's balance: the real imbalance of 1.00
 * is reported, not a false one of -9.00 (the row's 10 left out). */
static void test_refused_row_counts_in_balance(void **state)
{
    (void)state;
    fx_t fx = s_read("#VER A 1 20250110 x\n{\n#TRANS 1999 {} 10\n#TRANS 3010 {} -9\n}\n");
    char *text = tu_diag_text(fx.d);
    assert_non_null(strstr(text, "voucher A 1 does not balance: its rows sum to 1.00"));
    assert_null(strstr(text, "-9.00"));
    free(text);
    s_free(&fx);
}

/* Item 3: a malformed #TRANS is named as such, and its missing amount does not also
 * produce an imbalance message; a #TRANS without its {} is read as {}. */
static void test_malformed_trans(void **state)
{
    (void)state;
    fx_t fx = s_read("#VER A 1 20250110 x\n{\n#TRANS 1930\n#TRANS 3010 {} -80\n}\n"
                     "#VER A 2 20250111 x\n{\n#TRANS 1930 {}\n}\n"
                     "#VER A 3 20250112 x\n{\n#TRANS 1930 100\n#TRANS 3010 {} -100\n}\n");
    char *text = tu_diag_text(fx.d);
    assert_non_null(strstr(text, "t.se:17: #TRANS is malformed: it needs an account, an object "
                                 "list {} and an amount, and has only an account"));
    assert_non_null(strstr(text, "t.se:22: #TRANS is malformed: it needs an account, an object "
                                 "list {} and an amount, and has no amount"));
    assert_non_null(strstr(text, "#TRANS without an object list {} (read as {})"));
    assert_null(strstr(text, "does not balance"));
    assert_int_equal(diag_errors(fx.d), 2);
    free(text);
    s_free(&fx);
}

/* A #VER without its '{': one message, its rows still read as the voucher's. */
static void test_missing_brace_one_message(void **state)
{
    (void)state;
    fx_t fx = s_read("#VER A 1 20250110 x\n\n#TRANS 1930 {} 1\n#TRANS 3010 {} -1\n}\n");
    char *text = tu_diag_text(fx.d);
    assert_int_equal(diag_errors(fx.d), 1);
    assert_non_null(strstr(text, "t.se:17:1: expected '{' on the line after #VER"));
    free(text);
    s_free(&fx);
}

/* Item 4: #KONTO may be left out in type 4I (.SI) files, and a file without any chart is
 * read by account number; where a chart exists, an undeclared account is an error. */
static void test_chart_optional(void **state)
{
    (void)state;
    const char *body = "#SIETYP 4\n#RAR 0 20250101 20251231\n"
                       "#VER A 1 20250110 x\n{\n#TRANS 1930 {} 1\n#TRANS 3010 {} -1\n}\n";
    const char *names[] = {"import.SI", "export.se"};
    for (int i = 0; i < 2; i++) {
        fx_t fx = s_read_named(body, names[i]);
        char *text = tu_diag_text(fx.d);
        assert_int_equal(diag_errors(fx.d), 0);
        assert_non_null(strstr(text, "2 accounts are used without #KONTO (1930, 3010)"));
        sie_rows_t a, b;
        assert_int_equal(sie_month_end(fx.s, (period_t){2025, 1}, &a, &b, fx.d), 0);
        assert_int_equal(s_row(&a, 1930, -1), 100);
        free(a.rows);
        free(b.rows);
        free(text);
        s_free(&fx);
    }
    /* with a chart that leaves one out, a .SI file is still read */
    fx_t fx = s_read_named("#KONTO 1930 Bank\n#RAR 0 20250101 20251231\n"
                           "#VER A 1 20250110 x\n{\n#TRANS 1930 {} 1\n#TRANS 3010 {} -1\n}\n",
                           "x.si");
    assert_int_equal(diag_errors(fx.d), 0);
    s_free(&fx);
}

/* Item 4: #ORGNR with century digits, without hyphen, or empty; #RAR without dates. */
static void test_identification_as_written(void **state)
{
    (void)state;
    const char *ok[][2] = {{"#ORGNR 16222000-2030\n", "222000-2030"},
                           {"#ORGNR 162220002030\n", "222000-2030"},
                           {"#ORGNR \"2220002030\"\n", "222000-2030"}};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        fx_t fx = s_read_named(ok[i][0], "o.se");
        assert_int_equal(diag_errors(fx.d), 0);
        assert_string_equal(sie_orgnr(fx.s), ok[i][1]);
        s_free(&fx);
    }
    fx_t fx = s_read_named("#ORGNR \n#RAR 0\n", "o.se");
    char *text = tu_diag_text(fx.d);
    assert_int_equal(diag_errors(fx.d), 0);
    assert_null(sie_orgnr(fx.s));
    assert_non_null(strstr(text, "o.se:1: warning: #ORGNR is empty"));
    assert_non_null(strstr(text, "o.se:2: warning: #RAR 0 has no dates; it is left out"));
    free(text);
    s_free(&fx);
}

/* Item 5: object codes with letters outside ASCII, in CP437 (0x94 is ö): declared and
 * used, found, no false imbalance. */
static void test_cp437_object_codes(void **state)
{
    (void)state;
    const char *src = "#FORMAT PC8\n#SIETYP 4\n#RAR 0 20250101 20251231\n"
                      "#KONTO 1930 Bank\n#KONTO 4010 Ink\x94p\n"
                      "#OBJEKT 1 \"Sk\x94t\" \"Sk\x94tsel\"\n#OBJEKT 1 M\x86l \"M\x86l\"\n"
                      "#VER A 1 20250110 x\n{\n#TRANS 4010 {1 \"Sk\x94t\"} 7\n"
                      "#TRANS 4010 {1 M\x86l} 3\n#TRANS 1930 {} -10\n}\n";
    fx_t fx = s_read_named(src, "c.se");
    char *text = tu_diag_text(fx.d);
    if (diag_errors(fx.d))
        fail_msg("%s", text);
    assert_null(strstr(text, "#OBJEKT"));
    assert_int_equal(sie_object_count(fx.s), 2);
    assert_string_equal(sie_object_code(fx.s, 0), "Sköt");
    assert_string_equal(sie_object_name(fx.s, 0), "Skötsel");
    assert_string_equal(sie_object_code(fx.s, 1), "Mål");
    assert_string_equal(sie_account_name(fx.s, 4010), "Inköp");
    sie_rows_t a, b;
    assert_int_equal(sie_month_end(fx.s, (period_t){2025, 1}, &a, &b, fx.d), 0);
    assert_int_equal(s_row(&a, 4010, 0), 700);
    assert_int_equal(s_row(&a, 4010, 1), 300);
    free(a.rows);
    free(b.rows);
    free(text);
    s_free(&fx);
}

/* SoftOne XE writes '"' for letters it cannot encode: read as text, warned once. */
static void test_stray_quotes_are_text(void **state)
{
    (void)state;
    fx_t fx = s_read_named("#KONTO 2440 Leverant\"rsskulder\n"
                           "#KONTO 1288 \"F\"rskott till Lind\" Park\"\n"
                           "#KONTO 1684 \"Fordringar hos leverant\"r\"\n", "x.se");
    char *text = tu_diag_text(fx.d);
    assert_int_equal(diag_errors(fx.d), 0);
    assert_string_equal(sie_account_name(fx.s, 2440), "Leverant\"rsskulder");
    assert_string_equal(sie_account_name(fx.s, 1288), "F\"rskott till Lind\" Park");
    assert_string_equal(sie_account_name(fx.s, 1684), "Fordringar hos leverant\"r");
    assert_int_equal(tu_count(text, "not escaped"), 1);
    free(text);
    s_free(&fx);
}

/* Item 2: Avendo's type 3 puts the part without objects in {}. The reading that gives the
 * file's own #UB is used; when neither does, #PSALDO and the accounts are named. */
static void test_psaldo_readings(void **state)
{
    (void)state;
    const char *head = "#SIETYP 3\n#RAR 0 20250101 20251231\n#KONTO 1510 Kund\n"
                       "#KONTO 3010 Bidrag\n#OBJEKT 1 \"N\" Nord\n#IB 0 1510 100\n";
    char src[1024];
    /* January: 10 without objects, 5 on Nord, 2 on a project only; February: 3 on Nord */
    snprintf(src, sizeof src, "%s#UB 0 1510 120\n#RES 0 3010 -20\n"
             "#PSALDO 0 202501 1510 {} 10\n#PSALDO 0 202501 1510 {1 \"N\"} 5\n"
             "#PSALDO 0 202501 1510 {6 \"P\"} 2\n#PSALDO 0 202502 1510 {1 \"N\"} 3\n"
             "#PSALDO 0 202501 3010 {} -17\n#PSALDO 0 202502 3010 {1 \"N\"} -3\n", head);
    fx_t fx = s_read_named(src, "a.se");
    assert_int_equal(diag_errors(fx.d), 0);
    assert_true(sie_psaldo_without_objects(fx.s));
    sie_rows_t a, b;
    assert_int_equal(sie_month_end(fx.s, (period_t){2025, 1}, &a, &b, fx.d), 0);
    assert_int_equal(s_row(&a, 1510, -1), 11700); /* 100 + 10 + 5 + 2 */
    assert_int_equal(s_row(&a, 1510, 0), 500);
    free(a.rows);
    free(b.rows);
    assert_int_equal(sie_month_end(fx.s, (period_t){2025, 12}, &a, &b, fx.d), 0);
    assert_int_equal(s_row(&a, 1510, -1), 12000);
    assert_int_equal(s_row(&a, 3010, -1), -2000);
    free(a.rows);
    free(b.rows);
    s_free(&fx);
    /* the same rows with a #UB that only the specification's reading gives */
    snprintf(src, sizeof src, "%s#UB 0 1510 110\n"
             "#PSALDO 0 202501 1510 {} 10\n#PSALDO 0 202501 1510 {1 \"N\"} 5\n", head);
    fx = s_read_named(src, "w.se");
    assert_int_equal(diag_errors(fx.d), 0);
    assert_false(sie_psaldo_without_objects(fx.s));
    s_free(&fx);
    /* neither */
    snprintf(src, sizeof src, "%s#UB 0 1510 999\n#PSALDO 0 202501 1510 {} 10\n", head);
    fx = s_read_named(src, "n.se");
    char *text = tu_diag_text(fx.d);
    assert_non_null(strstr(text, "n.se: #PSALDO: with #IB, the period balances do not give the "
                                 "file's own #UB and #RES, whether {} is read as the account's "
                                 "total or as the part without objects; accounts that differ: "
                                 "1510"));
    assert_null(strstr(text, "mapping"));
    free(text);
    s_free(&fx);
}

/* A file read from disk comes in pieces of 256 KiB (sie_read_file): the same figures, the
 * same problems with the same line numbers as the whole file read at once, with every
 * kind of line end, a byte-order mark, PC8 letters late in the file and a mistake on a
 * line far past the first piece. Memory no longer grows with the file (bench/run.sh). */
static void test_file_in_pieces(void **state)
{
    (void)state;
    static const char *const ends[] = {"\n", "\r\n", "\r"};
    for (size_t e = 0; e < 3; e++) {
        size_t cap = 2u * 1024u * 1024u, n = 0;
        char *buf = malloc(cap);
        assert_non_null(buf);
        n += (size_t)snprintf(buf + n, cap - n, "\xEF\xBB\xBF");
        for (const char *p = HEAD; *p; p++) /* HEAD with this kind of line end */
            n += (size_t)snprintf(buf + n, cap - n, "%s", *p == '\n' ? ends[e] : (char[]){*p, 0});
        int k = 0;
        bool padded = false;
        while (n < cap - 400) {
            if (!padded && n > 512u * 1024u - 400u) {
                /* a line of blanks whose end is the first read's last byte (the reader
                 * reads 512 KiB first): a CRLF split between two reads is one line end */
                size_t blanks = 512u * 1024u - 1u - n;
                memset(buf + n, ' ', blanks);
                n += blanks;
                n += (size_t)snprintf(buf + n, cap - n, "%s", ends[e]);
                padded = true;
            }
            k++;
            n += (size_t)snprintf(buf + n, cap - n,
                                  "#VER \"A\" %d 2025%02d15 \"Rad %d \xC3\xA5\"%s{%s"
                                  "#TRANS 4510 {1 \"3001\"} %d.25%s#TRANS 1930 {} -%d.25%s}%s",
                                  k, k % 12 + 1, k, ends[e], ends[e], k % 997, ends[e],
                                  k % 997, ends[e], ends[e]);
        }
        /* a mistake near the end: an account that is not a number */
        n += (size_t)snprintf(buf + n, cap - n, "#KONTO x%s", ends[e]);
        char path[] = "/tmp/samla-test-sie-XXXXXX";
        int fd = mkstemp(path);
        assert_true(fd >= 0);
        assert_int_equal(write(fd, buf, n), (ssize_t)n);
        close(fd);
        diag_t *d1 = diag_new(), *d2 = diag_new();
        int missing;
        sie_t *whole = sie_read_buffer(buf, n, path, d1);
        sie_t *pieces = sie_read_file(path, d2, &missing);
        unlink(path);
        assert_non_null(whole);
        assert_non_null(pieces);
        assert_int_equal(sie_encoding(pieces), SIE_ENC_UTF8);
        assert_int_equal(sie_trans_count(pieces), sie_trans_count(whole));
        assert_int_equal(sie_trans_count(pieces), 2 * (size_t)k);
        char *t1 = tu_diag_text(d1), *t2 = tu_diag_text(d2);
        assert_string_equal(t1, t2);
        assert_non_null(strstr(t2, "x")); /* the mistake is named, on its line */
        free(t1);
        free(t2);
        for (int m = 1; m <= 12; m++) {
            sie_rows_t a1, b1, a2, b2;
            assert_int_equal(sie_month_end(whole, (period_t){2025, m}, &a1, &b1, d1), 0);
            assert_int_equal(sie_month_end(pieces, (period_t){2025, m}, &a2, &b2, d2), 0);
            assert_int_equal(a1.n, a2.n);
            assert_memory_equal(a1.rows, a2.rows, a1.n * sizeof *a1.rows);
            free(a1.rows), free(b1.rows), free(a2.rows), free(b2.rows);
        }
        sie_destroy(&whole);
        sie_destroy(&pieces);
        diag_destroy(&d1);
        diag_destroy(&d2);
        free(buf);
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
        cmocka_unit_test(test_one_message_per_cause),
        cmocka_unit_test(test_refused_row_counts_in_balance),
        cmocka_unit_test(test_malformed_trans),
        cmocka_unit_test(test_missing_brace_one_message),
        cmocka_unit_test(test_chart_optional),
        cmocka_unit_test(test_identification_as_written),
        cmocka_unit_test(test_cp437_object_codes),
        cmocka_unit_test(test_stray_quotes_are_text),
        cmocka_unit_test(test_psaldo_readings),
        cmocka_unit_test(test_file_in_pieces),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
