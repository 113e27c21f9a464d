/* format: every format's writer for every reply kind it has, fed names a förbund controls
 * that are formulas, markup, terminal escapes, bidi overrides and line breaks, after the
 * one pass samla makes over every reply (wire_neutralize). What each reader must never
 * get: a control character or override (terminal), a cell that starts a formula (CSV),
 * a document that does not parse (JSON), a workbook that is not one (xlsx). */
#include <jansson.h>
#include <sysexits.h>

#include "format.h"
#include "samla/wire.h"
#include "testutil.h"

/* The hostile texts: a name, a code, a breakdown key; each also carries the controls. */
#define S_NAME                                                                             \
    "=HYPERLINK(\"http://x\")<img src=x onerror=alert(1)>\x1b]0;pwn\x07\r\nfake\xe2\x80\xae"
#define S_CODE "@SUM(A1)<b>\x1b[2J"
#define S_KEY "+cmd|' /C calc'!A0\xc2\x9b"

/* Storage for one reply of each kind, filled by s_build. */
typedef struct {
    char name[128], code[64], key[64], region[128];
    Samla__V1__MetricValue v, *vp;
    Samla__V1__Aggregate ag, *agp;
    Samla__V1__ForbundFigures f, *fp;
    Samla__V1__Compare c, *cp;
    Samla__V1__MonthStatus ms[12], *msp[12];
    Samla__V1__ForbundStatus fs, *fsp;
    Samla__V1__Status st;
    Samla__V1__TrendPoint tp, *tpp;
    Samla__V1__Trend tr;
    Samla__V1__Export ex;
    Samla__V1__AreaFigures af, *afp;
    Samla__V1__AreaTotal at, *atp;
    Samla__V1__Areas ar;
    Samla__V1__BreakdownRow br, *brp;
    Samla__V1__ForbundBreakdown fb, *fbp;
    Samla__V1__Participants pa;
    Samla__V1__OverviewYear oy, *oyp;
    Samla__V1__Overview ov;
    Samla__V1__StatementLine sl[3], *slp[3];
    Samla__V1__Statements sm;
    Samla__V1__MemberAmount ma[2], *map[2];
    Samla__V1__ForbundFinancing ff, *ffp;
    Samla__V1__Financing fi;
    Samla__V1__Reply reply;
} s_world_t;

static void s_compare(s_world_t *w)
{
    samla__v1__metric_value__init(&w->v);
    w->v.name = "result";
    w->v.has_ore = 1;
    w->v.ore = 12345600;
    w->vp = &w->v;
    samla__v1__aggregate__init(&w->ag);
    w->ag.name = "result";
    w->ag.count = 1;
    w->agp = &w->ag;
    samla__v1__forbund_figures__init(&w->f);
    w->f.orgnr = "222000-0001";
    w->f.name = w->name;
    w->f.has_revision = 1;
    w->f.revision = 1;
    w->f.status = "preliminary";
    w->f.n_metrics = 1;
    w->f.metrics = &w->vp;
    w->fp = &w->f;
    samla__v1__compare__init(&w->c);
    w->c.period = "2025-06";
    w->c.region = w->region;
    w->c.n_forbund = 1;
    w->c.forbund = &w->fp;
    w->c.n_aggregates = 1;
    w->c.aggregates = &w->agp;
    w->cp = &w->c;
}

static void s_status(s_world_t *w)
{
    static char periods[12][8];
    for (int m = 0; m < 12; m++) {
        samla__v1__month_status__init(&w->ms[m]);
        snprintf(periods[m], sizeof periods[m], "2025-%02d", m + 1);
        w->ms[m].period = periods[m];
        w->ms[m].has_revisions = 1;
        w->ms[m].revisions = m < 6;
        w->msp[m] = &w->ms[m];
    }
    w->ms[5].flag = w->key;
    samla__v1__forbund_status__init(&w->fs);
    w->fs.orgnr = "222000-0001";
    w->fs.name = w->name;
    w->fs.n_months = 12;
    w->fs.months = w->msp;
    w->fsp = &w->fs;
    samla__v1__status__init(&w->st);
    w->st.year = 2025;
    w->st.region = w->region;
    w->st.n_forbund = 1;
    w->st.forbund = &w->fsp;
}

static void s_trend_export(s_world_t *w)
{
    samla__v1__trend_point__init(&w->tp);
    w->tp.period = "2025-06";
    w->tp.has_revision = 1;
    w->tp.revision = 1;
    w->tp.status = "preliminary";
    w->tp.value = &w->v;
    w->tpp = &w->tp;
    samla__v1__trend__init(&w->tr);
    w->tr.orgnr = "222000-0001";
    w->tr.name = w->name;
    w->tr.metric = "result";
    w->tr.n_points = 1;
    w->tr.points = &w->tpp;
    samla__v1__export__init(&w->ex);
    w->ex.year = 2025;
    w->ex.region = w->region;
    w->ex.n_months = 1;
    w->ex.months = &w->cp;
}

static void s_areas(s_world_t *w)
{
    samla__v1__area_figures__init(&w->af);
    w->af.code = w->code;
    w->af.name = w->name;
    w->af.class_ = "admin";
    w->af.has_outcome = 1;
    w->af.outcome = 50000;
    w->afp = &w->af;
    samla__v1__area_total__init(&w->at);
    w->at.key = "all";
    w->at.has_outcome = 1;
    w->at.outcome = 50000;
    w->atp = &w->at;
    samla__v1__areas__init(&w->ar);
    w->ar.orgnr = "222000-0001";
    w->ar.name = w->name;
    w->ar.period = "2025-06";
    w->ar.has_revision = 1;
    w->ar.revision = 1;
    w->ar.n_areas = 1;
    w->ar.areas = &w->afp;
    w->ar.n_totals = 1;
    w->ar.totals = &w->atp;
}

static void s_parts_overview(s_world_t *w)
{
    samla__v1__breakdown_row__init(&w->br);
    w->br.key = w->key;
    w->br.kind = "individ";
    w->br.measure = "nya";
    w->br.has_women = w->br.has_men = w->br.has_total = 1;
    w->br.women = 7;
    w->br.men = 6;
    w->br.total = 13;
    w->brp = &w->br;
    samla__v1__forbund_breakdown__init(&w->fb);
    w->fb.orgnr = "222000-0001";
    w->fb.name = w->name;
    w->fb.has_revision = 1;
    w->fb.revision = 1;
    w->fb.n_rows = 1;
    w->fb.rows = &w->brp;
    w->fbp = &w->fb;
    samla__v1__participants__init(&w->pa);
    w->pa.period = "2025-06";
    w->pa.by = "insats";
    w->pa.region = w->region;
    w->pa.n_forbund = 1;
    w->pa.forbund = &w->fbp;
    w->pa.n_region_rows = 1;
    w->pa.region_rows = &w->brp;
    samla__v1__overview_year__init(&w->oy);
    w->oy.year = 2025;
    w->oy.period = "2025-06";
    w->oy.n_metrics = 1;
    w->oy.metrics = &w->vp;
    w->oyp = &w->oy;
    samla__v1__overview__init(&w->ov);
    w->ov.orgnr = "222000-0001";
    w->ov.name = w->name;
    w->ov.n_years = 1;
    w->ov.years = &w->oyp;
}

/* A förbund's books: contributions, costs and cash, with budget and last year. */
static void s_statements(s_world_t *w)
{
    static const char *const lines[3] = {"contributions_state", "costs_other", "cash"};
    for (size_t i = 0; i < 3; i++) {
        samla__v1__statement_line__init(&w->sl[i]);
        w->sl[i].line = (char *)lines[i];
        w->sl[i].has_outcome = w->sl[i].has_last_year = 1;
        w->sl[i].outcome = 100000000 + (int64_t)i;
        w->sl[i].last_year = 90000000;
        w->sl[i].has_budget = i < 2;
        w->sl[i].budget = 95000000;
        w->slp[i] = &w->sl[i];
    }
    samla__v1__statements__init(&w->sm);
    w->sm.orgnr = "222000-0001";
    w->sm.name = w->name;
    w->sm.period = "2025-06";
    w->sm.has_revision = 1;
    w->sm.revision = 1;
    w->sm.n_lines = 3;
    w->sm.lines = w->slp;
}

/* Who paid: a member and a funder with the hostile name. */
static void s_financing(s_world_t *w)
{
    for (size_t i = 0; i < 2; i++) {
        samla__v1__member_amount__init(&w->ma[i]);
        w->ma[i].name = w->name;
        w->ma[i].kind = i ? SAMLA__V1__MEMBER_KIND__MEMBER_EXTERNAL
                          : SAMLA__V1__MEMBER_KIND__MEMBER_MUNICIPALITY;
        w->ma[i].has_amount = 1;
        w->ma[i].amount = 50000000;
        w->map[i] = &w->ma[i];
    }
    samla__v1__forbund_financing__init(&w->ff);
    w->ff.orgnr = "222000-0001";
    w->ff.name = w->name;
    w->ff.has_revision = 1;
    w->ff.revision = 1;
    w->ff.has_contributions_state = w->ff.has_contributions_municipalities = 1;
    w->ff.contributions_state = 100000000;
    w->ff.contributions_municipalities = 100000000;
    w->ff.has_external_funding = 1;
    w->ff.external_funding = 50000000;
    w->ff.n_members = 2;
    w->ff.members = w->map;
    w->ffp = &w->ff;
    samla__v1__financing__init(&w->fi);
    w->fi.period = "2025-06";
    w->fi.region = w->region;
    w->fi.n_forbund = 1;
    w->fi.forbund = &w->ffp;
}

/* The reply of one kind, neutralised as samla neutralises every reply it takes. */
static Samla__V1__Reply *s_build(s_world_t *w, Samla__V1__QueryKind kind)
{
    memset(w, 0, sizeof *w);
    snprintf(w->name, sizeof w->name, "%s", S_NAME);
    snprintf(w->region, sizeof w->region, "%s", S_NAME);
    snprintf(w->code, sizeof w->code, "%s", S_CODE);
    snprintf(w->key, sizeof w->key, "%s", S_KEY);
    s_compare(w);
    s_status(w);
    s_trend_export(w);
    s_areas(w);
    s_parts_overview(w);
    s_statements(w);
    s_financing(w);
    samla__v1__reply__init(&w->reply);
    switch (kind) {
    case SAMLA__V1__QUERY_KIND__QUERY_COMPARE: w->reply.compare = &w->c; break;
    case SAMLA__V1__QUERY_KIND__QUERY_STATUS: w->reply.status = &w->st; break;
    case SAMLA__V1__QUERY_KIND__QUERY_TREND: w->reply.trend = &w->tr; break;
    case SAMLA__V1__QUERY_KIND__QUERY_EXPORT: w->reply.export = &w->ex; break;
    case SAMLA__V1__QUERY_KIND__QUERY_AREAS: w->reply.areas = &w->ar; break;
    case SAMLA__V1__QUERY_KIND__QUERY_PARTICIPANTS: w->reply.participants = &w->pa; break;
    case SAMLA__V1__QUERY_KIND__QUERY_STATEMENTS: w->reply.statements = &w->sm; break;
    case SAMLA__V1__QUERY_KIND__QUERY_FINANCING: w->reply.financing = &w->fi; break;
    default: w->reply.overview = &w->ov; break;
    }
    wire_neutralize(&w->reply.base);
    return &w->reply;
}

/* No control character but line ends (CRLF only in csv-sv), no C1 control, no bidi
 * override: nothing a terminal or spreadsheet would act on. */
static void s_no_controls(const char *fmt, const char *what, const char *text, size_t n)
{
    bool crlf = strcmp(fmt, "csv-sv") == 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)text[i];
        bool ok = c >= 0x20 || c == '\n' || (crlf && c == '\r' && i + 1 < n &&
                                              text[i + 1] == '\n');
        if (!ok)
            fail_msg("%s %s: control 0x%02x at %zu", fmt, what, c, i);
        if (c == 0xc2 && i + 1 < n && (unsigned char)text[i + 1] >= 0x80 &&
            (unsigned char)text[i + 1] <= 0x9f)
            fail_msg("%s %s: a C1 control at %zu", fmt, what, i);
        if (c == 0xe2 && i + 2 < n && (unsigned char)text[i + 1] == 0x80 &&
            (unsigned char)text[i + 2] >= 0xaa && (unsigned char)text[i + 2] <= 0xae)
            fail_msg("%s %s: a bidi override at %zu", fmt, what, i);
    }
    for (const char *p = text; (p = strstr(p, "fake")); p++)
        if (p > text && p[-1] == '\n')
            fail_msg("%s %s: a name's line break made a line of its own", fmt, what);
}

/* Every formula-starting text in a CSV is preceded by the apostrophe that keeps it text. */
static void s_no_formulas(const char *fmt, const char *what, const char *text)
{
    static const char *const starts[] = {"=HYPERLINK", "@SUM", "+cmd"};
    for (size_t i = 0; i < sizeof starts / sizeof starts[0]; i++)
        for (const char *p = text; (p = strstr(p, starts[i])); p++)
            if (p == text || p[-1] != '\'')
                fail_msg("%s %s: a cell begins %s", fmt, what, starts[i]);
}

static void s_check(const format_t *f, Samla__V1__QueryKind kind, const char *what)
{
    s_world_t w;
    Samla__V1__Reply *reply = s_build(&w, kind);
    char path[128], *text = NULL;
    size_t len = 0;
    snprintf(path, sizeof path, "%s/out.%s", tu_dir, f->name);
    FILE *out = open_memstream(&text, &len);
    fmt_opts_t o = {.out = out, .output = path};
    int rc = format_write(f, &o, kind, reply, "format_test");
    fclose(out);
    if (rc != 0)
        fail_msg("%s %s: exit %d", f->name, what, rc);
    if (f->file) { /* a workbook (a zip archive) or a page where --output said */
        size_t n = 0;
        char *file = tu_slurp(path, &n);
        if (!file)
            fail_msg("%s %s: nothing at %s", f->name, what, path);
        if (strcmp(f->name, "xlsx") == 0 && (n < 4 || memcmp(file, "PK\x03\x04", 4) != 0))
            fail_msg("xlsx %s: not a workbook", what);
        if (strcmp(f->name, "html") == 0) { /* markup from a name stays text */
            if (strncmp(file, "<!DOCTYPE html>", 15) != 0 || strstr(file, "<img") ||
                strstr(file, "<b>") || !strstr(file, "&lt;img src=x onerror=alert(1)&gt;"))
                fail_msg("html %s: a name became markup, or is missing", what);
            s_no_controls(f->name, what, file, n);
        }
        free(file);
        unlink(path);
    } else if (strcmp(f->name, "json") == 0) {
        json_error_t err;
        json_t *doc = json_loadb(text, len, 0, &err);
        if (!doc)
            fail_msg("json %s: %s", what, err.text);
        json_decref(doc);
    } else {
        if (len == 0)
            fail_msg("%s %s: nothing written", f->name, what);
        s_no_controls(f->name, what, text, len);
        if (strncmp(f->name, "csv", 3) == 0)
            s_no_formulas(f->name, what, text);
    }
    free(text);
}

static void test_every_writer_keeps_hostile_text_text(void **state)
{
    (void)state;
    static const struct {
        Samla__V1__QueryKind kind;
        const char *name;
    } kinds[] = {
#define S_KIND(KIND, name, Type, metrics) {SAMLA__V1__QUERY_KIND__QUERY_##KIND, #name},
        QUERY_KINDS(S_KIND)
#undef S_KIND
    };
    size_t written = 0;
    const format_t *f;
    for (size_t i = 0; (f = format_at(i)); i++)
        for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
            if (format_writes(f, kinds[k].kind)) {
                s_check(f, kinds[k].kind, kinds[k].name);
                written++;
            }
    /* table: 8 kinds (no export); csv, csv-sv, json, xlsx: all 9; html: compare, export */
    assert_int_equal(written, 8 + 4 * 9 + 2);
}

/* A reply without the part the command asked for is samlad's fault, said as such. */
static void test_missing_part_is_a_protocol_error(void **state)
{
    (void)state;
    Samla__V1__Reply reply = SAMLA__V1__REPLY__INIT;
    fmt_opts_t o = {.out = stdout};
    assert_int_equal(format_write(format_find("json"), &o, SAMLA__V1__QUERY_KIND__QUERY_TREND,
                                  &reply, "format_test"),
                     EX_PROTOCOL);
}

/* The lists --help and the usage messages print come from the formats themselves. */
static void test_names_per_kind(void **state)
{
    (void)state;
    char buf[128];
    format_names(SAMLA__V1__QUERY_KIND__QUERY_EXPORT, buf, sizeof buf);
    assert_string_equal(buf, "csv, csv-sv, json, xlsx or html");
    format_names(SAMLA__V1__QUERY_KIND__QUERY_COMPARE, buf, sizeof buf);
    assert_string_equal(buf, "table, csv, csv-sv, json, xlsx or html");
    assert_null(format_find("pdf"));
    assert_true(format_find("html")->file);
    assert_true(format_find("xlsx")->file);
}

/* A workbook that cannot be written is said so, with exit 73, and nothing is left. */
static void test_unwritable_workbook(void **state)
{
    (void)state;
    s_world_t w;
    Samla__V1__Reply *reply = s_build(&w, SAMLA__V1__QUERY_KIND__QUERY_COMPARE);
    char path[128];
    snprintf(path, sizeof path, "%s/no/such/dir/x.xlsx", tu_dir);
    fmt_opts_t o = {.out = stdout, .output = path};
    assert_int_equal(format_write(format_find("xlsx"), &o, SAMLA__V1__QUERY_KIND__QUERY_COMPARE,
                                  reply, "format_test"),
                     EX_CANTCREAT);
    assert_int_not_equal(access(path, F_OK), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_writer_keeps_hostile_text_text),
        cmocka_unit_test(test_missing_part_is_a_protocol_error),
        cmocka_unit_test(test_names_per_kind),
        cmocka_unit_test(test_unwritable_workbook),
    };
    return cmocka_run_group_tests(tests, tu_dir_make, tu_dir_remove);
}
