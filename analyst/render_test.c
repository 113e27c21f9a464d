/* render and report: a month's comparison as the board's table, CSV, JSON and the HTML
 * report, from a reply built here (the end-to-end tests check them against samlad). */
#include <jansson.h>

#include "financing.h"
#include "render.h"
#include "report.h"
#include "samla/metrics.h"
#include "samla/mshow.h"
#include "samla/text.h"
#include "testutil.h"

typedef struct {
    Samla__V1__MetricValue v[2][3], *vp[2][3];
    Samla__V1__ForbundFigures f[2], *fp[2];
    Samla__V1__Compare c;
} reply_t;

/* Two förbund in March 2025: result, participants and women's share; B's participants
 * withheld (a förbund key's view). A's name has an ampersand for the HTML. */
static void s_reply(reply_t *r)
{
    static const char *const names[] = {"result", "participants", "women_share"};
    static const char *const orgnr[] = {"222000-0001", "222000-0002"};
    static const char *const fname[] = {"Samordningsförbundet Ale & Kungälv",
                                        "Samordningsförbundet Borås"};
    for (int i = 0; i < 2; i++) {
        for (int k = 0; k < 3; k++) {
            Samla__V1__MetricValue *v = &r->v[i][k];
            samla__v1__metric_value__init(v);
            v->name = (char *)names[k];
            r->vp[i][k] = v;
        }
        r->v[i][0].has_ore = 1;
        r->v[i][0].ore = i == 0 ? 123456700 : -5000050; /* 1 234 567 kr; -50 000,50 kr */
        if (i == 0) {
            r->v[i][1].has_count = 1;
            r->v[i][1].count = 87;
        } else {
            r->v[i][1].has_suppressed = 1;
            r->v[i][1].suppressed = 1;
        }
        r->v[i][2].has_value = 1;
        r->v[i][2].value = i == 0 ? 52.38 : 47.0;
        samla__v1__forbund_figures__init(&r->f[i]);
        r->f[i].orgnr = (char *)orgnr[i];
        r->f[i].name = (char *)fname[i];
        r->f[i].has_revision = 1;
        r->f[i].revision = 1;
        r->f[i].status = "preliminary";
        r->f[i].n_metrics = 3;
        r->f[i].metrics = r->vp[i];
        r->fp[i] = &r->f[i];
    }
    samla__v1__compare__init(&r->c);
    r->c.period = "2025-03";
    r->c.region = "Fyrbodal";
    r->c.n_forbund = 2;
    r->c.forbund = r->fp;
}

/* Runs a renderer into a string the caller frees. */
#define CAPTURE(text, call)                                                                \
    do {                                                                                   \
        size_t len_ = 0;                                                                   \
        FILE *out = open_memstream(&(text), &len_);                                        \
        call;                                                                              \
        fclose(out);                                                                       \
    } while (0)

static void test_board_table(void **state)
{
    (void)state;
    reply_t r;
    s_reply(&r);
    char *text = NULL;
    CAPTURE(text, render_compare_board(&r.c, false, out));
    /* the board's numbers, the Swedish way */
    assert_non_null(strstr(text, "1 234 567"));
    assert_non_null(strstr(text, "-50 001")); /* -50 000,50 rounds away from zero */
    assert_non_null(strstr(text, "52,4 %"));
    assert_non_null(strstr(text, "dolt"));
    assert_non_null(strstr(text, "Fyrbodal"));
    /* the rows begin with the names without the prefix every förbund shares (the whole
     * names are listed once above the table) */
    assert_non_null(strstr(text, "\nAle & Kungälv "));
    assert_non_null(strstr(text, "\nBorås "));
    free(text);
    /* a terminal of 100 columns */
    CAPTURE(text, render_compare_board(&r.c, false, out));
    size_t widest = 0;
    for (char *p = text; *p;) {
        char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        char line[512];
        snprintf(line, sizeof line, "%.*s", (int)(n < sizeof line - 1 ? n : sizeof line - 1), p);
        if (text_width(line) > widest)
            widest = text_width(line);
        p += n + (nl != NULL);
    }
    assert_true(widest > 40 && widest <= 100);
    free(text);
}

/* --lang en: metrics as rows, förbund as numbered columns, the region median last. */
/* Every metric's heading fits its column whole: each word of the (short) label is in the
 * table as it is, never cut or hyphenated by the wrapping, so that no two columns read
 * alike ("Andel till arbete eller studier," for women and for men). */
static void test_headings_whole(void **state)
{
    (void)state;
    Samla__V1__MetricValue v[METRIC_MAX], *vp[METRIC_MAX];
    for (size_t k = 0; k < metric_count; k++) {
        samla__v1__metric_value__init(&v[k]);
        v[k].name = (char *)metric_table[k].name;
        vp[k] = &v[k];
    }
    Samla__V1__ForbundFigures f = SAMLA__V1__FORBUND_FIGURES__INIT, *fp[] = {&f};
    f.orgnr = "222000-0001";
    f.name = "Samordningsförbundet A";
    f.status = "final";
    f.n_metrics = metric_count;
    f.metrics = vp;
    Samla__V1__Compare c = SAMLA__V1__COMPARE__INIT;
    c.period = "2025-12";
    c.n_forbund = 1;
    c.forbund = fp;
    char *text = NULL;
    CAPTURE(text, render_compare_board(&c, false, out));
    for (size_t k = 0; k < metric_count; k++) {
        char head[160];
        mshow_short_head(metric_table[k].name, head, sizeof head);
        for (char *w = head, *sp; *w; w = sp ? sp + 1 : w + strlen(w)) {
            if ((sp = strchr(w, ' ')))
                *sp = '\0';
            if (!strstr(text, w))
                fail_msg("%s: '%s' of its heading is not in the table:\n%s",
                         metric_table[k].name, w, text);
        }
    }
    const char *line = text;
    while (*line) {
        const char *end = strchr(line, '\n');
        size_t n = end ? (size_t)(end - line) : strlen(line);
        char buf[512];
        snprintf(buf, sizeof buf, "%.*s", (int)(n < 511 ? n : 511), line);
        assert_true(text_width(buf) <= 100);
        line += n + (end ? 1 : 0);
    }
    free(text);
}

static void test_english_table(void **state)
{
    (void)state;
    reply_t r;
    s_reply(&r);
    Samla__V1__Aggregate ag = SAMLA__V1__AGGREGATE__INIT, *agp = &ag;
    ag.name = "result";
    ag.count = 2;
    ag.has_median = 1;
    ag.median = 592283.25;
    r.c.n_aggregates = 1;
    r.c.aggregates = &agp;
    /* A's March a year earlier: a loss of 100 000 kr, 60 participants */
    Samla__V1__MetricValue pv[3], *pvp[3];
    for (int k = 0; k < 3; k++) {
        pv[k] = r.v[0][k];
        pvp[k] = &pv[k];
    }
    pv[0].ore = -10000000;
    pv[1].count = 60;
    r.f[0].has_previous_revision = 1;
    r.f[0].previous_revision = 1;
    r.f[0].n_previous_year = 3;
    r.f[0].previous_year = pvp;
    char *text = NULL;
    CAPTURE(text, render_compare_table(&r.c, false, false, out));
    assert_non_null(strstr(text, "Jämförelse 2025-03, Fyrbodal\n"));
    assert_non_null(strstr(text, "  [1] 222000-0001  Samordningsförbundet Ale & Kungälv"));
    assert_non_null(strstr(text, " rev 1 preliminary\n"));
    char *head = strstr(text, "\nmetric ");
    assert_non_null(head);
    assert_non_null(strstr(head, "[1]          [2]       median\n"));
    assert_non_null(strstr(text, "\nresult                              1 234 567      -50 001"
                                 "      592 283\n"));
    assert_non_null(strstr(text, "\nparticipants                               87         dolt"
                                 "            –\n"));
    /* last year on a line of its own, in English, and never in brackets: in accounts a
     * figure in brackets is negative */
    assert_non_null(strstr(text, "\n  last year                          -100 000            –\n"));
    assert_null(strchr(text, '('));
    free(text);
    /* --metric result: a ranking, the one without a rank last, and the region line */
    r.f[0].has_rank = 1;
    r.f[0].rank = 1;
    CAPTURE(text, render_compare_table(&r.c, true, false, out));
    assert_null(strchr(text, '('));
    assert_non_null(strstr(text, "  1 234 567       -100 000\n")); /* this year, last year */
    char *first = strstr(text, "\n1     222000-0001  Ale & Kungälv");
    char *last = strstr(text, "\n–     222000-0002  Borås");
    assert_non_null(first);
    assert_non_null(last);
    assert_true(first < last);
    assert_non_null(strstr(text, "\nregion: 2 with a value, median 592 283, min 0, max 0\n"));
    free(text);
}

static void test_csv_and_json(void **state)
{
    (void)state;
    reply_t r;
    s_reply(&r);
    char *text = NULL;
    csvw_t w;
    CAPTURE(text, (csvw_start(&w, out, false), render_compare_csv(&r.c, false, &w)));
    /* for programs: commas, a decimal point, every öre */
    assert_non_null(strstr(text, "1234567.00"));
    assert_non_null(strstr(text, "-50000.50"));
    assert_non_null(strstr(text, "222000-0002"));
    free(text);
    CAPTURE(text, render_compare_json(&r.c, false, out));
    json_error_t jerr;
    json_t *doc = json_loads(text, 0, &jerr);
    if (!doc)
        fail_msg("not JSON (%s): %s", jerr.text, text);
    assert_non_null(strstr(text, "\"suppressed\""));
    assert_non_null(strstr(text, "Ale & Kungälv"));
    json_decref(doc);
    free(text);
}

/* A name a spreadsheet would run as a formula starts with a quote, in both dialects;
 * numbers, negative ones too, stay numbers. */
static void test_csv_formulas(void **state)
{
    (void)state;
    const char *hostile[] = {"=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)",
                             "=HYPERLINK(\"http://x\")", "\tTab"};
    for (int sv = 0; sv < 2; sv++)
        for (size_t i = 0; i < sizeof hostile / sizeof hostile[0]; i++) {
            char *text = NULL;
            csvw_t w;
            CAPTURE(text, (csvw_start(&w, out, sv), csvw_text(&w, hostile[i]),
                           csvw_ore(&w, true, -5000), csvw_end(&w)));
            const char *cell = sv ? text + 3 : text; /* after the byte order mark */
            if (strncmp(cell, "\"'", 2) != 0)
                fail_msg("%s: %s", hostile[i], text);
            assert_non_null(strstr(text, sv ? ";-50" : ",-50.00"));
            free(text);
        }
}

static void test_forbund_report(void **state)
{
    (void)state;
    reply_t r;
    s_reply(&r);
    char *html = NULL;
    int rc;
    CAPTURE(html, rc = report_forbund_html(&(report_forbund_t){.compare = &r.c}, "222000-0001", out));
    assert_int_equal(rc, 0);
    assert_non_null(strstr(html, "<!DOCTYPE html>"));
    assert_non_null(strstr(html, "Ale &amp; Kungälv")); /* escaped, not raw */
    assert_null(strstr(html, "Ale & Kungälv"));
    assert_null(strstr(html, "<script src")); /* self-contained: nothing fetched */
    assert_null(strstr(html, "http://"));
    assert_non_null(strstr(html, "1 234 567"));
    free(html);
    /* a förbund the reply does not hold is an error, not an empty page */
    CAPTURE(html, rc = report_forbund_html(&(report_forbund_t){.compare = &r.c}, "222000-0009", out));
    assert_int_not_equal(rc, 0);
    free(html);
}

/* The financing of a group of the whole country: 290 municipalities, each a member of one
 * of 80 förbund, each named on its own row (none folded into an unnamed rest), Mellerud
 * paying two förbund added up once, and the rows adding up to the sum. */
static void test_financing_of_the_country(void **state)
{
    (void)state;
    enum { NF = 80, NM = 290 };
    static Samla__V1__ForbundFinancing f[NF], *fp[NF];
    static Samla__V1__MemberAmount m[NM + 1], *mp[NM + 1];
    static char names[NM][32];
    Samla__V1__Financing r = SAMLA__V1__FINANCING__INIT;
    size_t next = 0;
    int64_t line = 0;
    for (size_t i = 0; i < NF; i++) {
        samla__v1__forbund_financing__init(&f[i]);
        f[i].revision = 1;
        f[i].members = &mp[next];
        size_t n = i + 1 < NF ? NM / NF : NM - next; /* the last takes what is left */
        for (size_t j = 0; j < n; j++, next++) {
            snprintf(names[next], sizeof names[next], "Kommun %zu", next);
            samla__v1__member_amount__init(&m[next]);
            m[next].name = names[next];
            m[next].kind = SAMLA__V1__MEMBER_KIND__MEMBER_MUNICIPALITY;
            m[next].amount = 10000000 + (int64_t)next; /* 100 000 kr and some öre */
            mp[next] = &m[next];
        }
        f[i].n_members = n;
        f[i].contributions_municipalities = 0;
        for (size_t j = 0; j < n; j++)
            f[i].contributions_municipalities += f[i].members[j]->amount;
        line += f[i].contributions_municipalities;
        fp[i] = &f[i];
    }
    m[NM] = m[0]; /* Kommun 0 pays the last förbund too: its members end mp[] */
    m[NM].amount = 5000000;
    mp[NM] = &m[NM];
    f[NF - 1].n_members++;
    f[NF - 1].contributions_municipalities += m[NM].amount;
    line += m[NM].amount;
    r.n_forbund = NF;
    r.forbund = fp;
    fin_t out;
    assert_int_equal(fin_build(&r, NULL, &out), 0);
    size_t named = 0;
    int64_t kr = 0;
    for (size_t i = 0; i < out.n; i++) {
        if (out.rows[i].block != FIN_CONTRIBUTIONS || out.rows[i].sum)
            continue;
        kr += out.rows[i].kr;
        if (out.rows[i].kind != SAMLA__V1__MEMBER_KIND__MEMBER_MUNICIPALITY) {
            assert_int_equal(out.rows[i].kr, 0); /* "Staten", "Regionen": nothing booked */
            continue;
        }
        assert_non_null(out.rows[i].name); /* every municipality by name, no rest */
        named++;
    }
    assert_int_equal(named, NM);
    const fin_row_t *sum = NULL;
    for (size_t i = 0; i < out.n; i++)
        if (out.rows[i].sum && out.rows[i].block == FIN_CONTRIBUTIONS)
            sum = &out.rows[i];
    assert_non_null(sum);
    assert_int_equal(sum->kr, kr);
    assert_int_equal(sum->kr, (line + 50) / 100);
    fin_free(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_board_table),
        cmocka_unit_test(test_headings_whole),
        cmocka_unit_test(test_english_table),
        cmocka_unit_test(test_csv_and_json),
        cmocka_unit_test(test_csv_formulas),
        cmocka_unit_test(test_forbund_report),
        cmocka_unit_test(test_financing_of_the_country),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
