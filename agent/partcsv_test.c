/* The participant CSV: format, codes, and the flow checks with file, line and numbers. */
#include "partcsv.h"
#include "samla/diag.h"
#include "testutil.h"

static const char HEADER[] = "insats;typ;mått;kategori;kvinnor;män;ej_angivet\n";

static int s_parse(const char *body, part_table_t *t, char **text)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "%s%s", HEADER, body);
    diag_t *d = diag_new();
    int rc = partcsv_parse(buf, strlen(buf), "p.csv", t, d);
    *text = tu_diag_text(d);
    diag_destroy(&d);
    return rc;
}

static void s_expect(const char *body, const char *needle)
{
    part_table_t t;
    char *text;
    assert_int_equal(s_parse(body, &t, &text), -1);
    if (!strstr(text, needle))
        fail_msg("expected '%s' in:\n%s", needle, text);
    free(text);
    partcsv_free(&t);
}

static void test_contract_example(void **state)
{
    (void)state;
    part_table_t t;
    char *text;
    const char *body = "Arbetsrehabteamet;individ;aktuella_start;;6;8;0\n"
                       "Arbetsrehabteamet;individ;nya;;16;14;0\n"
                       "Arbetsrehabteamet;individ;avslutade;;8;12;0\n"
                       "Arbetsrehabteamet;individ;aktuella_slut;;14;10;0\r\n"
                       "Arbetsrehabteamet;individ;avslut;arbete;2;3;0\n"
                       "Arbetsrehabteamet;individ;avslut;fortsatt_rehab;6;9;0\n"
                       "Hälsoskolan;volym;nya;;24;1;0\n";
    assert_int_equal(s_parse(body, &t, &text), 0);
    assert_int_equal(t.n, 7);
    assert_string_equal(t.rows[6].intervention, "Hälsoskolan");
    assert_int_equal(t.rows[6].kind, SAMLA__V1__INTERVENTION_KIND__KIND_VOLUME);
    assert_int_equal(t.rows[4].men, 3);
    assert_string_equal(t.rows[4].category, "arbete");
    assert_int_equal(t.rows[3].line, 5);
    free(text);
    partcsv_free(&t);
}

static void test_flow_checks(void **state)
{
    (void)state;
    s_expect("A;individ;aktuella_start;;6;8;0\nA;individ;nya;;16;14;0\n"
             "A;individ;avslutade;;8;12;0\nA;individ;aktuella_slut;;15;10;0\n",
             "p.csv:5: A, kvinnor: aktuella_start 6 + nya 16 - avslutade 8 = 14, but "
             "aktuella_slut is 15");
    s_expect("A;individ;aktuella_start;;1;1;0\nA;individ;nya;;1;1;0\n"
             "A;individ;avslutade;;1;1;0\nA;individ;aktuella_slut;;1;1;0\n"
             "A;individ;avslut;arbete;1;0;0\n",
             "p.csv:6: A, män: the avslut rows sum to 0, but avslutade is 1");
}

static void test_bad_rows(void **state)
{
    (void)state;
    s_expect("A;individuell;nya;;1;1;0\n", "p.csv:2: typ 'individuell' is not individ");
    s_expect("A;individ;nya;;1;-1;0\n", "p.csv:2: män '-1' is not a whole number");
    s_expect("A;individ;avslut;semester;1;1;0\n", "kategori 'semester' is not valid");
    s_expect("A;individ;nya;x;1;1;0\n", "mått nya takes no kategori");
    s_expect("A;individ;nya;;1;1\n", "p.csv:2: expected 7 ';'-separated columns");
    s_expect("A;individ;nya;;1;1;0\nA;individ;nya;;1;1;0\n", "p.csv:3: the same count as line 2");
    s_expect("A;individ;nya;;\xC3;1;0\n", "p.csv:2: not valid UTF-8");
    s_expect(";individ;nya;;1;1;0\n", "insats is empty");
    s_expect("A\x1b[2J;individ;nya;;1;1;0\n", "p.csv:2: column 1 holds a control character");
    s_expect("A\xe2\x80\xae" "B;individ;nya;;1;1;0\n", "p.csv:2: column 1 holds");
    part_table_t t;
    diag_t *d = diag_new();
    assert_int_equal(partcsv_parse("a,b,c\n", 6, "p.csv", &t, d), -1);
    assert_int_equal(partcsv_parse("", 0, "p.csv", &t, d), -1);
    diag_destroy(&d);
}

/* The documented limit, 100 000 rows (25 000 interventions with their flow), is read in
 * one pass: duplicates and flows are found by sorting, not by comparing every pair (which
 * took 42 s here and makes this test run out of its time). A duplicate at the very end is
 * still found, and named with both lines. */
static void test_hundred_thousand_rows(void **state)
{
    (void)state;
    size_t cap = 8u * 1024 * 1024, len = 0;
    char *buf = malloc(cap);
    assert_non_null(buf);
    len += (size_t)snprintf(buf, cap, "%s", HEADER);
    for (int i = 0; i < 25000; i++)
        len += (size_t)snprintf(buf + len, cap - len,
                                "Insats %d;individ;aktuella_start;;1;2;0\n"
                                "Insats %d;individ;nya;;3;4;0\n"
                                "Insats %d;individ;avslutade;;2;1;0\n"
                                "Insats %d;individ;aktuella_slut;;2;5;0\n", i, i, i, i);
    diag_t *d = diag_new();
    part_table_t t;
    assert_int_equal(partcsv_parse(buf, len, "big.csv", &t, d), 0);
    assert_int_equal(t.n, 100000);
    partcsv_free(&t);
    diag_destroy(&d);
    /* the last intervention's four rows give way to a second "Insats 7;nya" */
    len = (size_t)(strstr(buf, "Insats 24999;") - buf);
    len += (size_t)snprintf(buf + len, cap - len, "Insats 7;individ;nya;;3;4;0\n");
    d = diag_new();
    assert_int_equal(partcsv_parse(buf, len, "big.csv", &t, d), -1);
    char *text = tu_diag_text(d);
    if (!strstr(text, "big.csv:99998: the same count as line 31 (Insats 7, nya ) appears twice"))
        fail_msg("unexpected: %s", text);
    free(text);
    partcsv_free(&t);
    diag_destroy(&d);
    free(buf);
}

/* Excel in Swedish saves CSV as Windows-1252: "Hälsoskolan" and "män" in one byte each. */
static void test_windows_1252(void **state)
{
    (void)state;
    const char body[] = "insats;typ;m\xe5tt;kategori;kvinnor;m\xe4n;ej_angivet\r\n"
                        "H\xe4lsoskolan;individ;nya;;3;4;0\r\n";
    diag_t *d = diag_new();
    part_table_t t;
    assert_int_equal(partcsv_parse(body, strlen(body), "excel.csv", &t, d), 0);
    assert_int_equal(t.n, 1);
    assert_string_equal(t.rows[0].intervention, "Hälsoskolan");
    char *text = tu_diag_text(d);
    if (!strstr(text, "excel.csv: warning: not UTF-8: read as Windows-1252"))
        fail_msg("no warning about the encoding in:\n%s", text);
    free(text);
    partcsv_free(&t);
    diag_destroy(&d);
    /* a byte Windows-1252 does not define is still named by line */
    const char bad[] = "insats;typ;m\xc3\xa5tt;kategori;kvinnor;m\xc3\xa4n;ej_angivet\n"
                       "Team\x81;individ;nya;;3;4;0\n";
    d = diag_new();
    assert_int_equal(partcsv_parse(bad, strlen(bad), "bad.csv", &t, d), -1);
    text = tu_diag_text(d);
    if (!strstr(text, "bad.csv:2: not valid UTF-8"))
        fail_msg("unexpected:\n%s", text);
    free(text);
    partcsv_free(&t);
    diag_destroy(&d);
}

/* The optional eighth column: an intervention's cost area, the same on every row of it
 * that names one; a file of seven columns has none. */
static void test_cost_area(void **state)
{
    (void)state;
    static const char head[] = "insats;typ;mått;kategori;kvinnor;män;ej_angivet;kostnadsområde\n";
    static const char flow[] = "A;individ;aktuella_start;;1;1;0;3006\n"
                               "A;individ;nya;;2;2;0;3006\n"
                               "A;individ;avslutade;;1;1;0;\n"
                               "A;individ;aktuella_slut;;2;2;0;3006\n";
    char buf[1024];
    snprintf(buf, sizeof buf, "%s%s", head, flow);
    part_table_t t;
    diag_t *d = diag_new();
    assert_int_equal(partcsv_parse(buf, strlen(buf), "p.csv", &t, d), 0);
    assert_string_equal(t.rows[0].cost_area, "3006");
    assert_null(t.rows[2].cost_area); /* left empty: the intervention's is still 3006 */
    partcsv_free(&t);
    diag_destroy(&d);
    snprintf(buf, sizeof buf, "%s%sA;individ;avslut;arbete;1;1;0;3007\n", head, flow);
    d = diag_new();
    assert_int_equal(partcsv_parse(buf, strlen(buf), "p.csv", &t, d), -1);
    char *text = tu_diag_text(d);
    if (!strstr(text, "p.csv:6: kostnadsområde 3007 of insats A differs from 3006 on line 2"))
        fail_msg("a second cost area: %s", text);
    free(text);
    partcsv_free(&t);
    diag_destroy(&d);
    snprintf(buf, sizeof buf, "%sA;individ;nya;;1;1;0\n", head); /* seven of eight */
    d = diag_new();
    assert_int_equal(partcsv_parse(buf, strlen(buf), "p.csv", &t, d), -1);
    text = tu_diag_text(d);
    if (!strstr(text, "p.csv:2: expected 8 ';'-separated columns, got fewer"))
        fail_msg("a short row: %s", text);
    free(text);
    partcsv_free(&t);
    diag_destroy(&d);
}

static void test_worked_example(void **state)
{
    (void)state;
    char path[1024];
    if (!tu_shared("worked-example/exempel-12.csv", path, sizeof path))
        skip();
    part_table_t t;
    diag_t *d = diag_new();
    int missing;
    assert_int_equal(partcsv_read(path, &t, d, &missing), 0);
    assert_int_equal(t.n, 28);
    partcsv_free(&t);
    assert_int_equal(partcsv_read("/nonexistent.csv", &t, d, &missing), -1);
    assert_true(missing);
    diag_destroy(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_contract_example),
        cmocka_unit_test(test_flow_checks),
        cmocka_unit_test(test_bad_rows),
        cmocka_unit_test(test_worked_example),
        cmocka_unit_test(test_cost_area),
        cmocka_unit_test(test_hundred_thousand_rows),
        cmocka_unit_test(test_windows_1252),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
