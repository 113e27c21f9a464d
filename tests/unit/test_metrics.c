/* Every metric of CONTRACT.md for the worked example, June and December, from the SIE and
 * CSV through the wire encoding to the figures the daemon stores, against expected.json. */
#include <math.h>

#include "mapping.h"
#include "report.h"
#include "samla/metrics.h"
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
    assert_int_equal(n, metric_count);
    for (size_t i = 0; i < n; i++) {
        const metric_t *mt = metric_find(want[i].name);
        assert_non_null(mt);
        metric_value_t v = mt->fn(&f, &ctx);
        assert_true(v.present);
        double got = metric_display(mt, v);
        if (fabs(got - want[i].value) > 1e-9 * fmax(1.0, fabs(want[i].value)))
            fail_msg("%s: got %.17g, expected %.17g", want[i].name, got, want[i].value);
    }
    samla__v1__submission__free_unpacked(sub, NULL);
    free(buf);
    report_destroy(&r);
    mapping_destroy(&m);
    partcsv_free(&parts);
    sie_destroy(&sie);
    diag_destroy(&d);
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_june),
        cmocka_unit_test(test_december),
        cmocka_unit_test(test_nulls_are_not_zero),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
