/* Every metric of CONTRACT.md for the worked example, June and December, from the SIE and
 * CSV through the wire encoding to the figures the daemon stores, against expected.json. */
#include <math.h>

#include "mapping.h"
#include "report.h"
#include "samla/metrics.h"
#include "samla/mshow.h"
#include "samla/wire.h"
#include "testutil.h"

typedef struct {
    const char *name;
    double value;
} expect_t;

/* ../shared/worked-example/expected.json */
static const expect_t JUNE[] = {
    {"revenue", 3240000.0}, {"contributions", 3000000.0}, {"contributions_state", 1500000.0},
    {"contributions_region", 750000.0}, {"contributions_municipalities", 750000.0},
    {"external_funding", 240000.0}, {"costs", 2914999.86}, {"financial_net", 1650.0},
    {"result", 326650.14}, {"equity", 2226650.14}, {"equity_ratio", 37.11083566666667},
    {"liquidity_ratio", 361.95884}, {"individual_share", 83.21185533953927},
    {"intervention_share", 85.26985677606542}, {"admin_share", 14.730143223934574},
    {"budget_utilisation", 94.96579472268137}, {"participants", 166},
    {"new_participants", 68}, {"ended_participants", 62}, {"active_participants", 104},
    {"women_share", 52.40963855421687}, {"work_or_studies_share", 43.54838709677419},
    {"cost_per_participant", 14614.45734939759}, {"cost_per_work_or_studies", 89851.84888888888},
    {"contributions_per_inhabitant", 73.17073170731707},
};
static const expect_t DECEMBER[] = {
    {"revenue", 6480000.0}, {"contributions", 6000000.0}, {"contributions_state", 3000000.0},
    {"contributions_region", 1500000.0}, {"contributions_municipalities", 1500000.0},
    {"external_funding", 480000.0}, {"costs", 5830000.0}, {"financial_net", 3300.0},
    {"result", 653300.0}, {"equity", 2553300.0}, {"equity_ratio", 42.555},
    {"liquidity_ratio", 427.34615384615387}, {"individual_share", 83.21185408770516},
    {"intervention_share", 85.26985542540602}, {"admin_share", 14.730144574593973},
    {"budget_utilisation", 94.96579804560261}, {"participants", 236},
    {"new_participants", 138}, {"ended_participants", 124}, {"active_participants", 112},
    {"women_share", 52.11864406779661}, {"work_or_studies_share", 46.774193548387096},
    {"cost_per_participant", 20559.322033898305}, {"cost_per_work_or_studies", 83655.1724137931},
    {"contributions_per_inhabitant", 146.34146341463415},
};

/* The metrics added after CONTRACT.md's table (docs/metrics.md), computed by hand from
 * exempel.se (assets 0 + 410 000 + 2 923 300 = 3 333 300 kr) and exempel-12.csv, the sums
 * spelled out beside each value. */
static const expect_t DECEMBER_MORE[] = {
    {"solidity", 2553300.0 / 3333300.0 * 100.0},
    {"volume_participants", 25},       /* Hälsoskola: 0 + 22 + 3 */
    {"volume_participants_women", 22}, {"volume_participants_men", 3},
    {"structural_participants", 140},  /* Kompetensdagar: 140 ej_angivet */
    {"participants_women", 123},       /* 40 + 58 + 11 + 14 */
    {"participants_men", 113},         /* 32 + 47 + 15 + 19 */
    {"new_participants_women", 72},    /* 58 + 14 */
    {"new_participants_men", 66},      /* 47 + 19 */
    {"ended_participants_women", 64},  /* 52 + 12 */
    {"ended_participants_men", 60},    /* 44 + 16 */
    {"active_participants_women", 59}, /* 46 + 13 */
    {"active_participants_men", 53},   /* 35 + 18 */
    /* arbete 12 + 3, arbete_subventionerat 4, studier 6 + 4 = 29 of 64 women;
     * 13 + 5, 5, 3 + 3 = 29 of 60 men */
    {"work_or_studies_share_women", 29.0 / 64.0 * 100.0},
    {"work_or_studies_share_men", 29.0 / 60.0 * 100.0},
};
/* Null in December: no alder or forsorjning rows, structural counts without gender. */
static const char *const DECEMBER_NULL[] = {
    "young_share", "young_share_women", "young_share_men", "no_support_at_exit_share",
    "no_support_at_exit_share_women", "no_support_at_exit_share_men",
    "structural_participants_women", "structural_participants_men",
};

static void s_expect(const figures_t *f, const metric_ctx_t *ctx, const expect_t *want,
                     size_t n);

static void s_check(period_t p, const char *csv, const expect_t *want, size_t n)
{
    char path[1024], cpath[1024];
    if (!tu_shared("worked-example/exempel.se", path, sizeof path) ||
        !tu_shared(csv, cpath, sizeof cpath))
        skip();
    diag_t *d = diag_new();
    int missing;
    sie_t *sie = sie_read_file(path, d, &missing);
    part_table_t parts;
    assert_int_equal(partcsv_read(cpath, &parts, d, &missing), 0);
    mapping_t *m = mapping_new();
    report_t *r = report_build(sie, m, &parts, p, "222000-9993", d);
    assert_int_equal(diag_errors(d), 0);
    /* through the wire, as the daemon sees it */
    size_t len;
    uint8_t *buf = wire_pack((const ProtobufCMessage *)report_submission(r), &len);
    Samla__V1__Submission *sub = samla__v1__submission__unpack(NULL, len, buf);
    assert_non_null(sub);
    figures_t f;
    assert_int_equal(figures_from_submission(sub, &f, d), 0);
    metric_ctx_t ctx = {p.month, 41000};
    s_expect(&f, &ctx, want, n);
    if (p.month == 12) {
        s_expect(&f, &ctx, DECEMBER_MORE, sizeof DECEMBER_MORE / sizeof DECEMBER_MORE[0]);
        for (size_t i = 0; i < sizeof DECEMBER_NULL / sizeof DECEMBER_NULL[0]; i++)
            if (metric_find(DECEMBER_NULL[i])->fn(&f, &ctx).present)
                fail_msg("%s: expected null", DECEMBER_NULL[i]);
        /* every metric is either expected or null */
        assert_int_equal(n + sizeof DECEMBER_MORE / sizeof DECEMBER_MORE[0] +
                             sizeof DECEMBER_NULL / sizeof DECEMBER_NULL[0],
                         metric_count);
    }
    samla__v1__submission__free_unpacked(sub, NULL);
    free(buf);
    report_destroy(&r);
    mapping_destroy(&m);
    partcsv_free(&parts);
    sie_destroy(&sie);
    diag_destroy(&d);
}

static void s_expect(const figures_t *f, const metric_ctx_t *ctx, const expect_t *want,
                     size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const metric_t *mt = metric_find(want[i].name);
        assert_non_null(mt);
        metric_value_t v = mt->fn(f, ctx);
        if (!v.present)
            fail_msg("%s: null, expected %.17g", want[i].name, want[i].value);
        double got = metric_display(mt, v);
        if (fabs(got - want[i].value) > 1e-9 * fmax(1.0, fabs(want[i].value)))
            fail_msg("%s: got %.17g, expected %.17g", want[i].name, got, want[i].value);
    }
}

static void test_june(void **state)
{
    (void)state;
    s_check((period_t){2024, 6}, "worked-example/exempel-06.csv", JUNE,
            sizeof JUNE / sizeof JUNE[0]);
}

static void test_december(void **state)
{
    (void)state;
    s_check((period_t){2024, 12}, "worked-example/exempel-12.csv", DECEMBER,
            sizeof DECEMBER / sizeof DECEMBER[0]);
}

static void test_nulls_are_not_zero(void **state)
{
    (void)state;
    figures_t f;
    memset(&f, 0, sizeof f);
    metric_ctx_t ctx = {12, 0};
    /* nothing reported: every metric is null */
    for (size_t i = 0; i < metric_count; i++)
        assert_false(metric_table[i].fn(&f, &ctx).present);
    /* a ledger without cost areas, participants or population */
    f.has_ledger = 1;
    f.contributions_state = 100;
    assert_true(metric_find("result")->fn(&f, &ctx).present);
    assert_int_equal(metric_find("result")->fn(&f, &ctx).i, 100);
    assert_false(metric_find("liquidity_ratio")->fn(&f, &ctx).present);    /* 0 liabilities */
    assert_false(metric_find("individual_share")->fn(&f, &ctx).present);   /* no areas */
    assert_false(metric_find("participants")->fn(&f, &ctx).present);       /* no CSV */
    assert_false(metric_find("budget_utilisation")->fn(&f, &ctx).present); /* no budget */
    assert_false(metric_find("contributions_per_inhabitant")->fn(&f, &ctx).present);
    f.has_participants = 1;
    assert_true(metric_find("participants")->fn(&f, &ctx).present);
    assert_int_equal(metric_find("participants")->fn(&f, &ctx).i, 0);
    assert_false(metric_find("women_share")->fn(&f, &ctx).present); /* 0 / 0 */
    assert_null(metric_find("nonsense"));
}

/* A participant row as the agent sends it. */
static Samla__V1__ParticipantRow s_row(Samla__V1__InterventionKind kind, const char *measure,
                                       const char *category, uint32_t w, uint32_t m, uint32_t u)
{
    Samla__V1__ParticipantRow r = SAMLA__V1__PARTICIPANT_ROW__INIT;
    r.intervention = (char *)"Insatsen";
    r.kind = kind;
    r.measure = (char *)measure;
    r.category = (char *)category;
    r.women = w;
    r.men = m;
    r.unspecified = u;
    return r;
}

static double s_value(const figures_t *f, const char *name)
{
    metric_ctx_t ctx = {12, 0};
    const metric_t *m = metric_find(name);
    metric_value_t v = m->fn(f, &ctx);
    if (!v.present)
        fail_msg("%s: null", name);
    return metric_display(m, v);
}

/* Age bands and support at exit by gender; a count without any gender is null by gender. */
static void test_age_support_and_gender(void **state)
{
    (void)state;
    const Samla__V1__InterventionKind I = SAMLA__V1__INTERVENTION_KIND__KIND_INDIVIDUAL;
    Samla__V1__ParticipantRow rows[] = {
        s_row(I, "nya", NULL, 12, 10, 0), /* two new women without an age band */
        s_row(I, "avslutade", NULL, 4, 4, 0),
        s_row(I, "aktuella_slut", NULL, 8, 6, 0),
        s_row(I, "alder", "16-29", 3, 5, 0),
        s_row(I, "alder", "30-44", 4, 3, 0),
        s_row(I, "alder", "45-64", 3, 2, 0),
        s_row(I, "forsorjning_avslut", "ingen", 1, 2, 0),
        s_row(I, "forsorjning_avslut", "sjukpenning", 3, 2, 0),
        s_row(I, "forsorjning_avslut", "aktivitetsstod", 1, 0, 0), /* a second kind */
        s_row(SAMLA__V1__INTERVENTION_KIND__KIND_STRUCTURAL, "nya", NULL, 0, 0, 7),
        /* another intervention that gives no bands: not in the shares' denominators */
        s_row(I, "nya", NULL, 10, 10, 0),
        s_row(I, "avslutade", NULL, 5, 5, 0),
        s_row(I, "aktuella_slut", NULL, 5, 5, 0),
    };
    Samla__V1__ParticipantRow *ptrs[sizeof rows / sizeof rows[0]];
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        ptrs[i] = &rows[i];
    for (size_t i = sizeof rows / sizeof rows[0] - 3; i < sizeof rows / sizeof rows[0]; i++)
        rows[i].intervention = (char *)"Utan band";
    Samla__V1__Submission sub = SAMLA__V1__SUBMISSION__INIT;
    sub.n_participants = sizeof rows / sizeof rows[0];
    sub.participants = ptrs;
    figures_t f;
    diag_t *d = diag_new();
    assert_int_equal(figures_from_submission(&sub, &f, d), 0);
    diag_destroy(&d);
    /* shares of people: of the 22 new, of the 8 ended (not of the 20 or 9 rows, nor of the
     * 42 new and 18 ended with the intervention that gives no bands) */
    assert_true(fabs(s_value(&f, "young_share") - 800.0 / 22) < 1e-9);       /* 8 of 22 */
    assert_true(fabs(s_value(&f, "young_share_women") - 300.0 / 12) < 1e-9); /* 3 of 12 */
    assert_true(fabs(s_value(&f, "young_share_men") - 50.0) < 1e-9);         /* 5 of 10 */
    assert_true(fabs(s_value(&f, "no_support_at_exit_share") - 37.5) < 1e-9); /* 3 of 8 */
    assert_true(fabs(s_value(&f, "no_support_at_exit_share_women") - 25.0) < 1e-9);
    assert_true(fabs(s_value(&f, "no_support_at_exit_share_men") - 50.0) < 1e-9);
    assert_true(s_value(&f, "structural_participants") == 7.0);
    metric_ctx_t ctx = {12, 0};
    figures_t none = f; /* a CSV without age bands or support at exit: null, not 0 % */
    none.p_aged = none.p_young = none.p_exit_support = none.p_no_support = 0;
    assert_false(metric_find("young_share")->fn(&none, &ctx).present);
    assert_false(metric_find("no_support_at_exit_share_women")->fn(&none, &ctx).present);
    assert_false(metric_find("structural_participants_women")->fn(&f, &ctx).present);
    assert_false(metric_find("structural_participants_men")->fn(&f, &ctx).present);
    assert_true(s_value(&f, "volume_participants") == 0.0); /* none: 0, not null */
    assert_true(s_value(&f, "volume_participants_women") == 0.0);
    assert_true(s_value(&f, "new_participants_men") == 20.0); /* 10 + 10 without bands */
    /* solidity: equity over all assets, null without assets */
    figures_t g;
    memset(&g, 0, sizeof g);
    g.has_ledger = 1;
    g.equity = 250;
    assert_false(metric_find("solidity")->fn(&g, &ctx).present);
    g.cash = 600;
    g.fixed_assets = 400;
    assert_true(fabs(s_value(&g, "solidity") - 25.0) < 1e-9);
}

/* How a metric is shown: the daemon's catalogue is the metric table, and samla shows a
 * reply's numbers as its catalogue says, even against its own table (issue 15). */
static void test_shown_as_the_reply_says(void **state)
{
    (void)state;
    size_t n;
    Samla__V1__MetricInfo *const *cat = mshow_catalogue(&n);
    assert_int_equal(n, metric_count);
    for (size_t k = 0; k < n; k++) {
        assert_string_equal(cat[k]->name, metric_table[k].name);
        assert_string_equal(cat[k]->label, metric_table[k].label);
        assert_true(cat[k]->has_unit && cat[k]->has_decimals);
    }
    const metric_t *eq = metric_find("equity_ratio");
    assert_int_equal(cat[eq - metric_table]->unit, SAMLA__V1__UNIT__PERCENT);
    assert_int_equal(cat[eq - metric_table]->decimals, 1);
    char head[128];
    mshow_head("result", head, sizeof head);
    assert_string_equal(head, "Resultat, kr");
    mshow_head("participants", head, sizeof head);
    assert_string_equal(head, "Deltagare, antal");
    /* a reply from a samlad with a metric this build lacks and another unit for one */
    Samla__V1__MetricInfo a = SAMLA__V1__METRIC_INFO__INIT, b = a, c = a;
    a.name = "sick_leave_share", a.label = "Sjukskrivna", a.has_unit = 1;
    a.unit = SAMLA__V1__UNIT__PERCENT;
    b.name = "result", b.has_unit = 1, b.unit = SAMLA__V1__UNIT__KRONOR_PER_PERSON;
    b.has_decimals = 1, b.decimals = 2;
    c.name = "future", c.has_unit = 1, c.unit = (Samla__V1__Unit)99; /* unknown unit */
    Samla__V1__MetricInfo *v[] = {&a, &b, &c};
    mshow_use(v, 3);
    const mshow_t *m = mshow_find("sick_leave_share");
    assert_non_null(m);
    assert_int_equal(m->unit, UNIT_PERCENT);
    assert_int_equal(m->decimals, 1);
    assert_string_equal(m->label, "Sjukskrivna");
    m = mshow_find("result");
    assert_int_equal(m->unit, UNIT_KRONOR);
    assert_int_equal(m->decimals, 2);
    assert_string_equal(m->label, "Resultat"); /* left out: this build's */
    assert_null(mshow_find("future"));
    mshow_forget();
    assert_null(mshow_find("sick_leave_share"));
    assert_int_equal(mshow_find("result")->unit, UNIT_MONEY);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_june),
        cmocka_unit_test(test_shown_as_the_reply_says),
        cmocka_unit_test(test_december),
        cmocka_unit_test(test_nulls_are_not_zero),
        cmocka_unit_test(test_age_support_and_gender),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
