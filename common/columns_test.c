/* columns: a Compare's columns back into rows, and columns that do not fit refused (they
 * come from the network: samla must neither read past them nor believe them). */
#include "samla/columns.h"
#include "samla/wire.h"
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

/* Two förbund, two metrics (money, percent): A has 1 234,56 kr and 12.5 %, B's money is
 * null and its share suppressed; a year earlier both have money. Packed and read back as
 * samla reads a reply. */
typedef struct {
    uint8_t state[2][2], pstate[2][2];
    int64_t ints[2], pints[2];
    double reals[1];
} s_shape_t;

static Samla__V1__Reply *s_reply(const s_shape_t *sh, size_t ncols, size_t nints)
{
    Samla__V1__Reply r = SAMLA__V1__REPLY__INIT;
    Samla__V1__Compare c = SAMLA__V1__COMPARE__INIT;
    Samla__V1__ForbundFigures fa = SAMLA__V1__FORBUND_FIGURES__INIT, fb = fa, *f[2] = {&fa, &fb};
    fa.orgnr = "222000-0001";
    fb.orgnr = "222000-0002";
    Samla__V1__MetricInfo ma = SAMLA__V1__METRIC_INFO__INIT, mb = ma, *m[2] = {&ma, &mb};
    ma.name = "result";
    ma.has_unit = mb.has_unit = 1;
    ma.unit = SAMLA__V1__UNIT__KRONOR;
    mb.name = "equity_ratio";
    mb.unit = SAMLA__V1__UNIT__PERCENT;
    Samla__V1__ValueColumn v[2] = {SAMLA__V1__VALUE_COLUMN__INIT, SAMLA__V1__VALUE_COLUMN__INIT},
                           p[2] = {SAMLA__V1__VALUE_COLUMN__INIT, SAMLA__V1__VALUE_COLUMN__INIT};
    Samla__V1__MetricColumn col[2] = {SAMLA__V1__METRIC_COLUMN__INIT,
                                      SAMLA__V1__METRIC_COLUMN__INIT};
    Samla__V1__MetricColumn *cp[2] = {&col[0], &col[1]};
    for (size_t i = 0; i < 2; i++) {
        v[i].state.data = (uint8_t *)sh->state[i];
        v[i].state.len = 2;
        p[i].state.data = (uint8_t *)sh->pstate[i];
        p[i].state.len = 2;
        col[i].values = &v[i];
        col[i].previous_year = &p[i];
    }
    v[0].n_ints = nints;
    v[0].ints = (int64_t *)sh->ints;
    p[0].n_ints = 2;
    p[0].ints = (int64_t *)sh->pints;
    v[1].n_reals = 1;
    v[1].reals = (double *)sh->reals;
    c.period = "2025-03";
    c.n_forbund = 2;
    c.forbund = f;
    c.n_columns = ncols;
    c.columns = cp;
    r.compare = &c;
    r.n_metrics = 2;
    r.metrics = m;
    size_t len;
    uint8_t *buf = wire_pack(&r.base, &len);
    assert_non_null(buf);
    Samla__V1__Reply *out = samla__v1__reply__unpack(NULL, len, buf);
    free(buf);
    assert_non_null(out);
    return out;
}

static const s_shape_t S_GOOD = {
    .state = {{COLS_VALUE, COLS_NULL}, {COLS_VALUE, COLS_SUPPRESSED}},
    .pstate = {{COLS_VALUE, COLS_VALUE}, {COLS_NULL, COLS_NULL}},
    .ints = {123456, 0},
    .pints = {-5000, 7},
    .reals = {12.5},
};

static void test_rows_from_columns(void **state)
{
    (void)state;
    Samla__V1__Reply *r = s_reply(&S_GOOD, 2, 1);
    assert_int_equal(cols_expand(r->compare, r->metrics, r->n_metrics), 0);
    const Samla__V1__Compare *c = r->compare;
    assert_int_equal(c->n_columns, 0);
    const Samla__V1__ForbundFigures *a = c->forbund[0], *b = c->forbund[1];
    assert_int_equal(a->n_metrics, 2);
    assert_int_equal(a->n_previous_year, 2);
    assert_string_equal(a->metrics[0]->name, "result");
    assert_true(a->metrics[0]->has_ore && a->metrics[0]->ore == 123456);
    assert_true(a->metrics[1]->has_value && a->metrics[1]->value == 12.5);
    assert_false(b->metrics[0]->has_ore || b->metrics[0]->has_suppressed); /* null */
    assert_true(b->metrics[1]->has_suppressed && b->metrics[1]->suppressed);
    assert_false(b->metrics[1]->has_value);
    assert_int_equal(a->previous_year[0]->ore, -5000);
    assert_int_equal(b->previous_year[0]->ore, 7);
    assert_false(b->previous_year[1]->has_value);
    samla__v1__reply__free_unpacked(r, NULL);
}

/* Each way columns can lie about the förbund or the catalogue is refused, and what was
 * read is freed with the reply (ASan in CI). */
static void test_columns_that_do_not_fit(void **state)
{
    (void)state;
    s_shape_t bad = S_GOOD;
    bad.state[0][1] = 3; /* neither null, value nor suppressed */
    Samla__V1__Reply *r = s_reply(&bad, 2, 1);
    assert_int_equal(cols_expand(r->compare, r->metrics, r->n_metrics), -1);
    samla__v1__reply__free_unpacked(r, NULL);

    r = s_reply(&S_GOOD, 2, 2); /* two money values for one "value" state */
    assert_int_equal(cols_expand(r->compare, r->metrics, r->n_metrics), -1);
    samla__v1__reply__free_unpacked(r, NULL);

    r = s_reply(&S_GOOD, 2, 0); /* a value state with no value behind it */
    assert_int_equal(cols_expand(r->compare, r->metrics, r->n_metrics), -1);
    samla__v1__reply__free_unpacked(r, NULL);

    r = s_reply(&S_GOOD, 1, 1); /* a column fewer than the catalogue names */
    assert_int_equal(cols_expand(r->compare, r->metrics, r->n_metrics), -1);
    samla__v1__reply__free_unpacked(r, NULL);

    r = s_reply(&S_GOOD, 2, 1); /* a state per förbund, and one förbund more */
    Samla__V1__ForbundFigures **more = realloc(r->compare->forbund, 3 * sizeof *more);
    assert_non_null(more);
    r->compare->forbund = more;
    more[2] = malloc(sizeof *more[2]);
    samla__v1__forbund_figures__init(more[2]);
    more[2]->orgnr = strdup("222000-0003");
    r->compare->n_forbund = 3;
    assert_int_equal(cols_expand(r->compare, r->metrics, r->n_metrics), -1);
    samla__v1__reply__free_unpacked(r, NULL);

    r = s_reply(&S_GOOD, 2, 1); /* a unit this version does not know */
    r->metrics[1]->unit = (Samla__V1__Unit)99;
    assert_int_equal(cols_expand(r->compare, r->metrics, r->n_metrics), -1);
    samla__v1__reply__free_unpacked(r, NULL);

    assert_int_equal(cols_expand(NULL, NULL, 0), 0); /* no compare: nothing to do */
}

/* Column 0 given a target column: one target ("at least 100 kr"), `which` and `verdict`
 * per förbund and the projections, as samlad would send them (malloc'd, the reply's). */
static void s_add_targets(Samla__V1__Reply *r, const uint32_t which[2], const char *verdict,
                          const double *projection, size_t nproj)
{
    Samla__V1__Target t = SAMLA__V1__TARGET__INIT, *tp = &t;
    t.metric = "result";
    t.direction = SAMLA__V1__TARGET_DIRECTION__AT_LEAST;
    t.has_low = 1;
    t.low = 100.0;
    t.scope = "all";
    Samla__V1__TargetColumn tc = SAMLA__V1__TARGET_COLUMN__INIT;
    tc.n_targets = 1;
    tc.targets = &tp;
    tc.n_which = 2;
    tc.which = (uint32_t *)which;
    tc.verdict.len = 2;
    tc.verdict.data = (uint8_t *)verdict;
    tc.n_projection = nproj;
    tc.projection = (double *)projection;
    size_t len;
    uint8_t *buf = wire_pack(&tc.base, &len);
    assert_non_null(buf);
    r->compare->columns[0]->targets = samla__v1__target_column__unpack(NULL, len, buf);
    free(buf);
    assert_non_null(r->compare->columns[0]->targets);
}

/* Each förbund gets the column's target with its own verdict, before the targets of its
 * interventions it already had. */
static void test_targets_from_columns(void **state)
{
    (void)state;
    Samla__V1__Reply *r = s_reply(&S_GOOD, 2, 1);
    const uint32_t which[2] = {1, 1};
    const double proj[1] = {1500.5};
    s_add_targets(r, which, (const char[]){COLS_MET, COLS_AT_RISK}, proj, 1);
    Samla__V1__ForbundFigures *b = r->compare->forbund[1];
    b->targets = malloc(sizeof *b->targets); /* an intervention's, sent with the row */
    b->targets[0] = malloc(sizeof *b->targets[0]);
    samla__v1__target__init(b->targets[0]);
    b->targets[0]->metric = strdup("participants");
    b->targets[0]->insats = strdup("Steg");
    b->n_targets = 1;
    assert_int_equal(cols_expand(r->compare, r->metrics, r->n_metrics), 0);
    const Samla__V1__ForbundFigures *a = r->compare->forbund[0];
    assert_int_equal(a->n_targets, 1);
    assert_string_equal(a->targets[0]->metric, "result");
    assert_true(a->targets[0]->has_met && a->targets[0]->met && !a->targets[0]->has_projection);
    assert_int_equal(b->n_targets, 2);
    assert_true(b->targets[0]->has_projection && b->targets[0]->projection == 1500.5);
    assert_true(b->targets[0]->has_on_track && !b->targets[0]->on_track);
    assert_false(b->targets[0]->has_met);
    assert_string_equal(b->targets[1]->insats, "Steg");
    samla__v1__reply__free_unpacked(r, NULL);
}

/* Target columns that lie about their targets or verdicts are refused. */
static void test_targets_that_do_not_fit(void **state)
{
    (void)state;
    const double proj[1] = {1.0};
    struct {
        uint32_t which[2];
        char verdict[2];
        size_t nproj;
    } bad[] = {
        {{2, 0}, {COLS_MET, 0}, 0},           /* a second target that is not there */
        {{0, 1}, {COLS_MET, COLS_MET}, 0},    /* a verdict without a target */
        {{1, 1}, {COLS_ON_TRACK, 0}, 0},      /* a projection missing */
        {{1, 1}, {COLS_MET, 0}, 1},           /* a projection too many */
        {{1, 1}, {9, 0}, 0},                  /* a verdict of no known kind */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        Samla__V1__Reply *r = s_reply(&S_GOOD, 2, 1);
        s_add_targets(r, bad[i].which, bad[i].verdict, proj, bad[i].nproj);
        assert_int_equal(cols_expand(r->compare, r->metrics, r->n_metrics), -1);
        samla__v1__reply__free_unpacked(r, NULL);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rows_from_columns),
        cmocka_unit_test(test_columns_that_do_not_fit),
        cmocka_unit_test(test_targets_from_columns),
        cmocka_unit_test(test_targets_that_do_not_fit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
