/* Conformance: every SIE file in ../shared/peer-sie/ (120 files other SIE parsers test
 * with: real exports and files broken on purpose). Each has an expectation here, derived
 * from the SIE 4B specification and the file's own #UB/#RES:
 *
 *   OK      read without errors; the year's last month builds a submission whose account
 *           totals equal the file's #UB/#RES (checked here against the first #UB line,
 *           read by this test, not by the reader) and whose balance sheet balances; a
 *           mid-year month builds too where the file has vouchers or #PSALDO;
 *   NO_YEAR read without errors, but no #RAR 0 (type 4I import files): no month is
 *           reported, and the refusal says why;
 *   REFUSED refused, with the message naming the file's real problem (`needle`).
 *
 * A file in the folder without an expectation fails the test, so new files get one.
 * Skipped when ../shared/peer-sie is absent. */
#include <dirent.h>

#include "mapping.h"
#include "report.h"
#include "samla/money.h"
#include "sie.h"
#include "testutil.h"

typedef enum { OK, NO_YEAR, REFUSED } outcome_t;

typedef struct {
    const char *file;
    outcome_t outcome;
    const char *needle; /* in the messages: the refusal, or a warning an OK file must give */
} expect_t;

#define NOT_CLOSED "the books are not closed: last year's result, "
#define NO_CHART_SI "type 4I (.SI) files may leave the chart out"

static const expect_t s_expect[] = {
    {"alipsa__42_sie2.se", OK, NULL},
    {"alipsa__43_sie3.se", OK, NULL},
    {"alipsa__44_sie4.se", OK, NULL},
    /* voucher 19 has no '{': one message, not three */
    {"alipsa__9_sie-gruppen-e-conomic.se", REFUSED, ":1461:1: expected '{' on the line after #VER"},
    {"forsslund__SIE4_Exempelfil.SE", OK, NULL},
    {"forsslund__test_sie4.se", OK, NULL},
    {"jsisie__BL0001_typ1.SE", OK, NULL},
    {"jsisie__BL0001_typ2.SE", OK, NULL},
    {"jsisie__BL0001_typ3.SE", OK, NULL},
    /* objects used without #OBJEKT; #RTRANS rows dated after the year count in their
     * voucher's month */
    {"jsisie__BL0001_typ4.SE", OK, "6 cost-area objects of dimension 1 are used without #OBJEKT"},
    {"jsisie__BL0001_typ4I.SI", NO_YEAR, "#RAR 0 has no dates; it is left out"},
    {"jsisie__BokOrder.si", OK, NULL},
    {"jsisie__BokslutSIE1.se", OK, NOT_CLOSED "1074344.11"},
    {"jsisie__Bokslut_Norstedts_SIE_4E.se", OK, NULL},
    {"jsisie__Exempelbolaget_SIE_110322_B_33.si", NO_YEAR, NO_CHART_SI},
    {"jsisie__FAKT.SI", NO_YEAR, NULL},
    {"jsisie__LON_Lonekorning.SI", NO_YEAR, NO_CHART_SI},
    {"jsisie__Lon.si", NO_YEAR, NULL},
    {"jsisie__MAMUT_SIE1_EXPORT.SE", OK, NULL},
    {"jsisie__MAMUT_SIE2_EXPORT.SE", OK, NULL},
    {"jsisie__MAMUT_SIE3_EXPORT.SE", OK, NULL},
    {"jsisie__MAMUT_SIE4_EXPORT.SE", OK, NULL},
    {"jsisie__Norstedts_Bokslut_SIE_1.se", OK, NULL},
    /* closing vouchers only: nothing before them */
    {"jsisie__Norstedts_Bokslut_SIE_4I.si", OK, NULL},
    {"jsisie__Norstedts_Revision_SIE_1.SE", OK, NULL},
    {"jsisie__SIE-fil_fran_Visma_Eget_Aktiebolag_2010.se", OK, NULL},
    {"jsisie__SIE-fil_fran_Visma_Enskild_Firma_2010.se", OK,
     "the year's result, 73860.93, is already booked to equity in #UB"},
    {"jsisie__SIE4_Exempelfil_med_underdim.SE", OK, NULL},
    {"jsisie__SIE4_Visma_Anlaggningsregister.si", OK, NO_CHART_SI},
    {"jsisie__SIE_exempelfil.se", OK, "#ORGNR is empty"},
    {"jsisie__Sie1.se", OK, NULL},
    /* #UB and #RES differ by 33125.72 from balancing: the file's own figures disagree */
    {"jsisie__Sie2.se", REFUSED, "a difference of -33125.72 (#IB 0 sums to 0.00"},
    {"jsisie__Sie3.se", REFUSED, ":670:13: #OUB: account 'FEL' is not a number (and 1 more line"},
    {"jsisie__Sie4.se", REFUSED, ":721:10: #TRANS: account 'FEL' is not a number (and 36 more"},
    /* a selection of vouchers with the whole year's #UB */
    {"jsisie__Sie4.si", REFUSED, "account 1119: the #IB and vouchers give -542400.00 at year "
                                 "end, but #UB says -474600.00"},
    {"jsisie__Sie_1.SE", OK, NULL},
    {"jsisie__Sie_1_2.se", REFUSED, ":2603:18: account 9010 is used but not declared with #KONTO"},
    {"jsisie__Sie_2.SE", OK, NULL},
    {"jsisie__Sie_3_4.se", REFUSED, ":2603:18: account 9010 is used but not declared with #KONTO "
                                    "(and 2 more lines like it)"},
    {"jsisie__Test1.SE", OK, NULL},
    {"jsisie__Test2.SE", OK, NULL},
    {"jsisie__Test3.SE", REFUSED, "a difference of 100.00 (#IB 0 sums to 0.00"},
    {"jsisie__Test4.SE", OK, NULL},
    /* SoftOne XE writes '"' for letters it cannot encode: read as text, with a warning;
     * its #IB, #PSALDO and #UB do not agree */
    {"jsisie__XE_SIE_1_20151125094750.SE", REFUSED, "(#IB 0 sums to -15209719.54"},
    {"jsisie__XE_SIE_2_20151125094903.SE", REFUSED, "#PSALDO: with #IB, the period balances do "
                                                    "not give the file's own #UB and #RES"},
    {"jsisie__XE_SIE_3_20151125094952.SE", REFUSED, "#PSALDO: with #IB, the period balances do "
                                                    "not give the file's own #UB and #RES"},
    {"jsisie__XE_SIE_4_20151125095119.SE", REFUSED, ":1356: voucher 1 1 does not balance: its "
                                                    "rows sum to 2.00"},
    {"jsisie__arsaldo_ovnbolag.se", OK, NOT_CLOSED "1151678.15"},
    {"jsisie__live2011.se", OK, NOT_CLOSED "-493601.42"},
    {"jsisie__magenta_bokforing_SIE1.se", OK, NULL},
    {"jsisie__magenta_bokforing_SIE2.se", OK, NULL},
    {"jsisie__magenta_bokforing_SIE3.se", OK, NULL},
    {"jsisie__magenta_bokforing_SIE4E.se", OK, NULL},
    {"jsisie__magenta_bokforing_SIE4I.se", OK, NULL},
    /* Avendo 5.20, type 3: {} is the part without objects (checked below) */
    {"jsisie__objektsaldo_ovnbolag.se", OK, NOT_CLOSED "1151678.15"},
    {"jsisie__periodsaldo_ovnbolag.se", OK, NOT_CLOSED "1151678.15"},
    {"jsisie__si.SI", NO_YEAR, NULL},
    {"jsisie__sie_3.SE", OK, NOT_CLOSED "-284046.83"},
    {"jsisie__sie_4.SE", OK, NOT_CLOSED "-284046.83"},
    {"jsisie__testWrite.se", REFUSED, ":1368: voucher 1 1 does not balance: its rows sum to 2.00"},
    {"jsisie__transaktioner_ovnbolag-bad-balance.se", REFUSED,
     ":3905: voucher B 1 does not balance: its rows sum to -12771.00"},
    {"jsisie__transaktioner_ovnbolag.se", OK, NOT_CLOSED "1151678.15"},
    {"jsisie__typ1.se", OK, NULL},
    {"jsisie__typ2.se", OK, NULL},
    {"jsisie__typ3.se", OK, NULL},
    {"jsisie__typ4.se", OK, NULL},
    {"jsisie__typ4si.si", OK, NULL},
    {"jsisie__urval_ovnbolag.si", OK, NULL},
    {"pysie__data-utf.se", REFUSED, ":2461:14: #VER: date 20200101 is outside the fiscal years"},
    {"sie4j__BLBLOV_SIE1_copy.SE", OK, NOT_CLOSED "-187195.27"},
    {"sie4j__BLBLOV_SIE1_erroneous_leap_year.SE", REFUSED, ":10: #RAR: year ends before it starts"},
    {"sie4j__BLBLOV_SIE1_file_is_read.SE", OK, NOT_CLOSED "-187195.27"},
    /* account 119 is outside every line of the chart */
    {"sie4j__BLBLOV_SIE2_UTF_8_with_errors.SE", REFUSED, "account 119 has a balance of -100000.00 "
                                                         "but belongs to no line"},
    {"sie4j__BLBLOV_SIE2_UTF_8_with_non_numeric_account_number.SE", REFUSED,
     ":16:8: #KONTO: account '11AF' is not a number"},
    {"sie4j__BLBLOV_SIE3_UTF_8_with_vouchers.SE", REFUSED,
     ":423:7: account 1119 is used but not declared with #KONTO (and 27 more lines like it)"},
    {"sie4j__BLBLOV_SIE4.SI", NO_YEAR, NO_CHART_SI},
    {"sie4j__BLBLOV_SIE4_ISO_8859_15.SI", NO_YEAR, NO_CHART_SI},
    {"sie4j__BLBLOV_SIE4_UTF_8.SI", NO_YEAR, NO_CHART_SI},
    {"sie4j__BLBLOV_SIE4_UTF_8_IMBALANCED.SI", REFUSED,
     ":8: voucher K  does not balance: its rows sum to 0.55"},
    {"sie4j__BLBLOV_SIE4_UTF_8_MISSING_ACCOUNTS.SE", REFUSED,
     ":421:7: account 1119 is used but not declared with #KONTO (and 27 more lines like it)"},
    {"sie4j__BLBLOV_SIE4_UTF_8_WITH_FAULTY_ADDRESS.SI", NO_YEAR, NO_CHART_SI},
    {"sie4j__BLBLOV_SIE4_UTF_8_with_12_digit_cid.SI", NO_YEAR, NO_CHART_SI},
    {"sie4j__BLBLOV_SIE4_UTF_8_with_8-4_digit_cid.SI", NO_YEAR, NO_CHART_SI},
    {"sie4j__BLBLOV_SIE4_UTF_8_with_8_digit_account_number.SE", OK, NOT_CLOSED "-187195.27"},
    {"sie4j__BLBLOV_SIE4_UTF_8_with_critical_voucher_date_error.SI", REFUSED,
     ":8:13: #VER: date 'rappakalja' is not a valid YYYYMMDD date"},
    /* a voucher without rows where the #UB expects them */
    {"sie4j__BLBLOV_SIE4_UTF_8_with_empty_voucher.SE", REFUSED,
     "account 1930: the #IB and vouchers give 985091.74 at year end, but #UB says 984091.74"},
    {"sie4j__BLBLOV_SIE4_UTF_8_with_empty_voucher_date.SI", REFUSED,
     ":8:13: #VER: date '' is not a valid YYYYMMDD date"},
    {"sie4j__BLBLOV_SIE4_UTF_8_with_erroneous_taxar.SE", OK, NOT_CLOSED "-187195.27"},
    {"sie4j__BLBLOV_SIE4_UTF_8_with_erroneous_voucher_date.SI", REFUSED,
     ":8:13: #VER: date '180501' is not a valid YYYYMMDD date"},
    {"sie4j__BLBLOV_SIE4_UTF_8_with_erroneous_voucher_numbers.SI", NO_YEAR, NO_CHART_SI},
    {"sie4j__BLBLOV_SIE4_UTF_8_with_errors.SE", OK, NOT_CLOSED "-187195.27"},
    {"sie4j__BLBLOV_SIE4_UTF_8_with_faulty_transaction.SI", REFUSED,
     ":10: #TRANS is malformed: it needs an account, an object list {} and an amount, and has "
     "only an account"},
    {"sie4j__BLBLOV_SIE4_UTF_8_with_iso_voucher_date.SI", REFUSED,
     ":8:13: #VER: date '2018-05-01' is not a valid YYYYMMDD date"},
    {"sie4j__BLBLOV_SIE4_UTF_8_with_missing_account_numbers.SE", REFUSED,
     ":14:8: #KONTO: account '' is not a number (and 2 more lines like it)"},
    {"sie4j__BLBLOV_SIE4_UTF_8_with_missing_account_numbers_in_transaction.SI", REFUSED,
     ":10:8: #TRANS: account '' is not a number (and 1 more line like it)"},
    {"sie4j__BLBLOV_SIE4_UTF_8_with_missing_company_name.SI", NO_YEAR, NO_CHART_SI},
    {"sie4j__BLBLOV_SIE4_UTF_8_with_missing_sru_code.SE", OK, NOT_CLOSED "-187195.27"},
    {"sie4j__BLBLOV_SIE4_UTF_8_with_missing_voucher_date.SI", REFUSED, ":8: #VER: missing date"},
    {"sie4j__BLBLOV_SIE4_UTF_8_with_missing_voucher_series.SE", REFUSED,
     ":821:18: #VER: date ' ' is not a valid YYYYMMDD date"},
    {"sie4j__BLBLOV_SIE4_UTF_8_with_unparseable_taxar.SE", OK, NOT_CLOSED "-187195.27"},
    /* a chart of accounts and objects, nothing else */
    {"sie4j__CC3.SI", REFUSED, "no figures for 2020-12"},
    {"sie4j__SIE_test_av_KST_projekt_Testbolaget_e_-_kopia_ny.SE", OK, NULL},
    {"sie4j__SIE_with_long_voucher_series_number.SE", REFUSED,
     "account 1511: the #IB and vouchers give -138606.19 at year end, but #UB says -952982.00"},
    {"sie4j__SIE_with_missing_program_version.se", OK, "the file has no chart of accounts"},
    {"sie4j__SieWriterTest-result.si", OK, NULL},
    {"sie4j__Transaktioner_per_Z-rapport.se", NO_YEAR, NULL},
    {"sie4sdk__Sie4E1.SI", REFUSED,
     "account 2440: the #IB and vouchers give 0.00 at year end, but #UB says -2380.39"},
    {"sie4sdk__Sie4E1ksumma.SI", REFUSED, ":71:9: #KSUMMA 123456789 does not match the content"},
    {"sie4sdk__Sie4I1.SI", NO_YEAR, NO_CHART_SI},
    {"sie4sdk__Sie4I1ksumma.SI", REFUSED, ":65:9: #KSUMMA 2089216536 does not match the content"},
    {"siefile__20170101-20171231.se", OK, NULL},
    {"siefile__SIE4_Exempelfil.SE", OK, NULL},
    {"siefile__SIE4_Exempelfil_2.SE", OK, NULL},
    {"sieimport__20140901-20150831.se", OK, NULL},
    {"sieimport__20140901-20150831_1.se", OK, NULL},
    {"sieimport__20140901-20150831_utf8-short.se", OK, "the file has no chart of accounts"},
    {"sieimport__20140901-20150831_utf8.se", OK, NULL},
    {"sieimport__bluewedge-2018_19.se", REFUSED,
     ":52:10: #VER: date 20150212 is outside the fiscal years declared by #RAR"},
    {"sieimport__test.se", REFUSED, ":1:8: account 6999 is used but not declared with #KONTO"},
    {"sieimport__test_hdr.se", REFUSED, "no figures for 2015-08"},
};

/* OK files whose vouchers all lie in the year's last months: no mid-year month. */
static bool s_year_end_only(const char *file)
{
    static const char *const files[] = {
        "jsisie__Norstedts_Bokslut_SIE_4I.si",      /* closing vouchers */
        "jsisie__SIE4_Visma_Anlaggningsregister.si", /* the year's depreciation, 31 Dec */
        "jsisie__BokOrder.si",                       /* one voucher, 31 December */
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        if (strcmp(file, files[i]) == 0)
            return true;
    return false;
}

/* The first "#UB 0 account amount" of the file (else #RES 0), read here by this test. */
static bool s_first_closing(const char *path, int *account, int64_t *ore)
{
    size_t len;
    char *text = tu_slurp(path, &len);
    assert_non_null(text);
    bool found = false;
    for (int pass = 0; pass < 2 && !found; pass++) {
        const char *label = pass ? "#RES" : "#UB";
        for (char *line = text; line && !found; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
            /* "#UB 0 1930 1234.50": the label, the year, the account, the amount */
            size_t n = strlen(label);
            if (strncmp(line, label, n) != 0 || (line[n] != ' ' && line[n] != '\t'))
                continue;
            char *end;
            long year = strtol(line + n, &end, 10);
            long acc = strtol(end, &end, 10);
            while (*end == ' ' || *end == '\t')
                end++;
            size_t amt = strcspn(end, " \t\r\n");
            if (year == 0 && acc > 0 && amt && money_parse(end, amt, ore) == 0) {
                *account = (int)acc;
                found = true;
            }
        }
    }
    free(text);
    return found;
}

static int64_t s_total(const sie_rows_t *r, int account)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->rows[i].account == account && r->rows[i].object < 0)
            return r->rows[i].amount;
    return 0;
}

/* The amounts of a printout's line that starts with `label` (after its indent), as
 * printed: what follows the label, blanks trimmed. "" when there is no such line. */
static void s_printed(const char *text, const char *label, char *out, size_t size)
{
    out[0] = '\0';
    for (const char *line = text; line && *line; line = strchr(line, '\n'), line += !!line) {
        const char *p = line + strspn(line, " ");
        size_t n = strlen(label);
        if (strncmp(p, label, n) != 0 || p[n] != ' ')
            continue;
        p += n + strspn(p + n, " ");
        size_t len = strcspn(p, "\n");
        snprintf(out, size, "%.*s", (int)len, p);
        return;
    }
}

/* issue 29: a balance sheet that balances in öre prints the same whole kronor on both
 * sides (every column: the period's end and last year's). */
static void s_check_balance_printed(const char *file, const report_t *r)
{
    const Samla__V1__Ledger *l = report_submission(r)->ledger;
    if (!l)
        return;
    int64_t assets = l->fixed_assets + l->current_receivables + l->cash;
    int64_t claims = l->equity + l->long_term_liabilities + l->current_liabilities;
    if (assets != claims && assets != -claims)
        return; /* books that do not balance in öre print as they are */
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    assert_non_null(mem);
    report_print(r, file, mem);
    fclose(mem);
    char a[200], c[200];
    s_printed(text, "Summa tillgångar", a, sizeof a);
    s_printed(text, "Summa eget kapital och skulder", c, sizeof c);
    if (!a[0] || strcmp(a, c) != 0)
        fail_msg("%s: Summa tillgångar \"%s\", Summa eget kapital och skulder \"%s\"", file,
                 a, c);
    free(text);
}

/* Builds the submission for p; the messages go to d. Returns whether it had no errors. */
static bool s_month(const char *file, const sie_t *s, period_t p, diag_t *d)
{
    mapping_t *m = mapping_new();
    report_t *r = report_build(s, m, NULL, p, "556000-0000", d);
    bool ok = r && diag_errors(d) == 0;
    if (ok)
        s_check_balance_printed(file, r);
    report_destroy(&r);
    mapping_destroy(&m);
    return ok;
}

/* Prints what is wrong with one file; returns whether all was as expected. */
static bool s_check(const expect_t *e, const char *path)
{
    diag_t *d = diag_new();
    int missing;
    sie_t *s = sie_read_file(path, d, &missing);
    assert_non_null(s);
    int start = 0, end = 0;
    bool read_ok = diag_errors(d) == 0, has_year = sie_year0(s, &start, &end) == 0;
    period_t last = {end / 10000, end / 100 % 100};
    bool year_ok = read_ok && has_year && s_month(e->file, s, last, d);
    char *text = tu_diag_text(d);
    bool good = true;
#define BAD(...) (print_error(__VA_ARGS__), print_error("\n"), good = false)
    if (e->needle && !strstr(text, e->needle))
        BAD("%s: expected '%s' in:\n%s", e->file, e->needle, text);
    switch (e->outcome) {
    case OK:
        if (!year_ok)
            BAD("%s: expected it read and its last month %04d-%02d built:\n%s", e->file,
                     last.year, last.month, text);
        int account;
        int64_t want;
        if (s_first_closing(path, &account, &want)) {
            sie_rows_t a, b;
            assert_int_equal(sie_month_end(s, last, &a, &b, d), 0);
            if (s_total(&a, account) != want)
                BAD("%s: account %d is %lld at year end, the file says %lld", e->file,
                         account, (long long)s_total(&a, account), (long long)want);
            free(a.rows);
            free(b.rows);
        }
        if ((sie_voucher_count(s) || sie_uses_psaldo(s)) && !s_year_end_only(e->file)) {
            int mid = start / 100 % 100 + 5;
            period_t p = {start / 10000 + (mid > 12), (mid - 1) % 12 + 1};
            diag_t *md = diag_new();
            if (p.year * 100 + p.month <= end / 100 && !s_month(e->file, s, p, md))
                BAD("%s: mid-year month %04d-%02d refused: %s", e->file, p.year, p.month,
                         diag_first_error(md));
            diag_destroy(&md);
        }
        break;
    case NO_YEAR:
        if (!read_ok || has_year)
            BAD("%s: expected it read, without #RAR 0:\n%s", e->file, text);
        sie_rows_t a, b;
        assert_int_equal(sie_month_end(s, (period_t){2020, 1}, &a, &b, d), -1);
        char *after = tu_diag_text(d);
        assert_non_null(strstr(after, "no #RAR 0: the file does not say which year it covers"));
        free(after);
        break;
    case REFUSED:
        if (year_ok)
            BAD("%s: expected it refused, but it was read and built:\n%s", e->file, text);
        assert_non_null(e->needle);
        break;
    }
#undef BAD
    free(text);
    sie_destroy(&s);
    diag_destroy(&d);
    return good;
}

static void test_every_peer_file(void **state)
{
    (void)state;
    char dir[1024];
    if (!tu_shared("peer-sie", dir, sizeof dir))
        skip();
    DIR *dp = opendir(dir);
    assert_non_null(dp);
    size_t n = sizeof s_expect / sizeof s_expect[0], seen = 0, bad = 0;
    struct dirent *de;
    while ((de = readdir(dp))) {
        if (de->d_name[0] == '.' || strcmp(de->d_name, "README.md") == 0)
            continue;
        size_t k = 0;
        while (k < n && strcmp(s_expect[k].file, de->d_name) != 0)
            k++;
        if (k == n)
            fail_msg("%s: no expectation for this file in test_sie_peers.c", de->d_name);
        char path[2048];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        bad += !s_check(&s_expect[k], path);
        seen++;
    }
    closedir(dp);
    assert_int_equal(bad, 0);
    assert_int_equal(seen, n); /* every expectation met a file */
}

/* Avendo's type 3 and the type 2 export of the same books: the same year end, and the
 * same mid-year month, only under the reading where {} is the part without objects. */
static void test_avendo_psaldo_agrees_with_type2(void **state)
{
    (void)state;
    char p3[1024], p2[1024];
    if (!tu_shared("peer-sie/jsisie__objektsaldo_ovnbolag.se", p3, sizeof p3) ||
        !tu_shared("peer-sie/jsisie__periodsaldo_ovnbolag.se", p2, sizeof p2))
        skip();
    diag_t *d = diag_new();
    int missing;
    sie_t *t3 = sie_read_file(p3, d, &missing), *t2 = sie_read_file(p2, d, &missing);
    assert_int_equal(diag_errors(d), 0);
    assert_true(sie_psaldo_without_objects(t3));
    assert_false(sie_psaldo_without_objects(t2));
    for (int month = 1; month <= 12; month++) {
        sie_rows_t a3, b3, a2, b2;
        assert_int_equal(sie_month_end(t3, (period_t){2011, month}, &a3, &b3, d), 0);
        assert_int_equal(sie_month_end(t2, (period_t){2011, month}, &a2, &b2, d), 0);
        size_t compared = 0;
        for (size_t i = 0; i < a2.n; i++) {
            if (a2.rows[i].object >= 0)
                continue;
            if (s_total(&a3, a2.rows[i].account) != a2.rows[i].amount)
                fail_msg("2011-%02d account %d: type 3 gives %lld, type 2 %lld", month,
                         a2.rows[i].account, (long long)s_total(&a3, a2.rows[i].account),
                         (long long)a2.rows[i].amount);
            compared++;
        }
        assert_true(compared > 20);
        free(a3.rows), free(b3.rows), free(a2.rows), free(b2.rows);
    }
    sie_destroy(&t3);
    sie_destroy(&t2);
    diag_destroy(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_peer_file),
        cmocka_unit_test(test_avendo_psaldo_agrees_with_type2),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
