/* Consolidation: figures -> metric values -> group aggregates, ranks and privacy, with the
 * numbers worked out by hand. */
#include <math.h>

#include "consolidate.h"
#include "disclose.h"
#include "testutil.h"

static size_t s_k(const char *name)
{
    const metric_t *m = metric_find(name);
    assert_non_null(m);
    return (size_t)(m - metric_table);
}

static void s_near(double got, double want)
{
    if (!(fabs(got - want) <= 1e-9 * (fabs(want) + 1)))
        fail_msg("got %.17g, want %.17g", got, want);
}

/* A förbund with money and people: contributions c kronor, p_start + p_new = people. */
static void s_row(cons_row_t *row, int64_t contributions_kr, int64_t start, int64_t fresh,
                  int64_t population)
{
    figures_t f = {0};
    f.has_ledger = f.has_participants = 1;
    f.contributions_state = contributions_kr * 100;
    f.p_start = start;
    f.p_new = fresh;
    f.p_end = start + fresh;
    f.p_women = start;
    f.p_men = fresh;
    cons_row(&f, 1, 6, population, row);
}

static void test_row_computes_every_metric(void **state)
{
    (void)state;
    cons_row_t r;
    s_row(&r, 60000, 3, 9, 1000);
    assert_int_equal(r.revision, 1);
    assert_int_equal(r.fewest, 3);
    assert_true(r.v[s_k("contributions")].present);
    assert_int_equal(r.v[s_k("contributions")].i, 6000000);
    assert_int_equal(r.v[s_k("participants")].i, 12);
    s_near(r.v[s_k("women_share")].d, 25.0);
    s_near(r.v[s_k("contributions_per_inhabitant")].d, 60.0);
    /* nothing reported: every value null */
    figures_t none = {0};
    cons_row(&none, 0, 6, 1000, &r);
    for (size_t k = 0; k < metric_count; k++)
        assert_false(r.v[k].present);
}

/* As the gate stamps a row whose month is its förbund's first (disclose.c, rule 1): the
 * kinds with a small headline count withheld. */
static void s_gate(cons_row_t *row, const figures_t *f)
{
    disc_fewest_t fw = {{0}, {0}};
    disc_fewest_figures(f, &fw);
    row->hide = disc_month_of(&fw, 5).h_small;
    row->gated = true;
}

static void test_privacy(void **state)
{
    (void)state;
    cons_row_t small, big;
    s_row(&small, 1000, 3, 9, 0); /* 3 people at the start */
    s_row(&big, 1000, 30, 90, 0);
    cons_viewer_t analyst = {NULL, 5}, other = {"222000-0001", 5}, self = {"222000-0002", 5};
    size_t people = s_k("participants"), money = s_k("contributions");
    size_t share = s_k("women_share");
    /* a row the gate never stamped: every figure about people withheld from a förbund key */
    assert_false(cons_hidden(&analyst, people, "222000-0002", &big));
    assert_true(cons_hidden(&other, people, "222000-0002", &big));
    assert_false(cons_hidden(&other, money, "222000-0002", &big));
    small.hide = DISC_BIT(DISC_INDIVIDUAL);
    small.gated = big.gated = true;
    assert_false(cons_hidden(&analyst, people, "222000-0002", &small));
    assert_true(cons_hidden(&other, people, "222000-0002", &small));
    assert_true(cons_hidden(&other, share, "222000-0002", &small));
    assert_false(cons_hidden(&other, money, "222000-0002", &small)); /* money is not people */
    assert_false(cons_hidden(&self, people, "222000-0002", &small));  /* its own */
    assert_false(cons_hidden(&other, people, "222000-0002", &big));
    cons_viewer_t off = {"222000-0001", 0};
    assert_false(cons_hidden(&off, people, "222000-0002", &small));
}

/* A small count by gender hides the förbund's people figures; volume interventions are
 * other people: a small one hides the volume figures (all three), not the individual. */
static void test_privacy_by_gender_and_kind(void **state)
{
    (void)state;
    figures_t f = {0};
    f.has_participants = 1;
    f.p_start = 30;
    f.p_new = 30;
    f.p_end = 60;
    f.p_women = 30;
    f.p_men = 30;
    f.p_new_women = f.p_new_men = 15;
    f.v_participants = 25;
    f.v_women = 22;
    f.v_men = 3;
    cons_row_t row;
    cons_row(&f, 1, 12, 0, &row);
    s_gate(&row, &f);
    cons_viewer_t other = {"222000-0001", 5};
    const char *owner = "222000-0002";
    assert_false(cons_hidden(&other, s_k("participants"), owner, &row));
    assert_false(cons_hidden(&other, s_k("new_participants_women"), owner, &row));
    assert_true(cons_hidden(&other, s_k("volume_participants_men"), owner, &row));
    assert_true(cons_hidden(&other, s_k("volume_participants_women"), owner, &row));
    assert_true(cons_hidden(&other, s_k("volume_participants"), owner, &row));
    assert_false(cons_hidden(&other, s_k("structural_participants"), owner, &row));
    /* two new men: every figure about the individual interventions' people goes */
    f.p_new_men = 2;
    f.p_new_women = 28;
    cons_row(&f, 1, 12, 0, &row);
    s_gate(&row, &f);
    assert_true(cons_hidden(&other, s_k("participants"), owner, &row));
    assert_true(cons_hidden(&other, s_k("new_participants_women"), owner, &row));
    assert_true(cons_hidden(&other, s_k("women_share"), owner, &row));
    assert_false(cons_hidden(&other, s_k("solidity"), owner, &row)); /* money */
    /* a null share of a withheld kind is withheld too: null would say its count is 0 */
    assert_false(row.v[s_k("work_or_studies_share")].present); /* nobody ended */
    assert_true(cons_hidden(&other, s_k("work_or_studies_share"), owner, &row));
    const cons_row_t *one[1] = {&row};
    const char *owners[1] = {owner};
    cons_agg_t agg;
    assert_int_equal(cons_aggregate(s_k("work_or_studies_share"), one, owners, 1, &other, &agg,
                                    NULL), 0);
    assert_int_equal(agg.withheld, 1);
}

/* Aggregates: count, sum, median, region, ranks over what the viewer may see; a withheld
 * value takes part in none of them. */
static void test_aggregates_and_ranks(void **state)
{
    (void)state;
    cons_row_t a, b, c;
    s_row(&a, 1000, 30, 10, 100); /* participants 40 */
    s_row(&b, 3000, 2, 1, 100);   /* 3: small */
    s_row(&c, 2000, 50, 10, 300); /* 60 */
    a.gated = c.gated = b.gated = true;
    b.hide = DISC_BIT(DISC_INDIVIDUAL);
    const cons_row_t *rows[4] = {&a, &b, &c, NULL};
    const char *owners[4] = {"222000-0001", "222000-0002", "222000-0003", "222000-0004"};
    cons_agg_t agg;
    unsigned ranks[4];
    assert_int_equal(cons_aggregate(s_k("contributions"), rows, owners, 4, NULL, &agg, ranks),
                     0);
    assert_int_equal(agg.st.count, 3);
    s_near(agg.st.sum, 6000.0);
    s_near(agg.st.median, 2000.0);
    s_near(agg.region, 6000.0);
    assert_int_equal(ranks[0], 3);
    assert_int_equal(ranks[1], 1);
    assert_int_equal(ranks[2], 2);
    assert_int_equal(ranks[3], 0); /* did not report */
    /* per inhabitant: the group as one unit, 6 000 kr / 500 people, not a mean of ratios */
    assert_int_equal(cons_aggregate(s_k("contributions_per_inhabitant"), rows, owners, 4, NULL,
                                    &agg, NULL), 0);
    assert_true(agg.has_region);
    s_near(agg.region, 12.0);
    s_near(agg.st.median, 10.0); /* 10, 30 and 6.67 */
    /* another förbund's key: the small one is withheld from everything */
    cons_viewer_t other = {"222000-0001", 5};
    assert_int_equal(cons_aggregate(s_k("participants"), rows, owners, 4, &other, &agg, ranks),
                     0);
    assert_int_equal(agg.st.count, 2);
    assert_int_equal(agg.withheld, 1);
    s_near(agg.st.sum, 100.0);
    assert_int_equal(ranks[1], 0);
    assert_int_equal(ranks[0], 2);
    assert_int_equal(ranks[2], 1);
    /* its own key sees it */
    cons_viewer_t own = {"222000-0002", 5};
    assert_int_equal(cons_aggregate(s_k("participants"), rows, owners, 4, &own, &agg, NULL), 0);
    assert_int_equal(agg.st.count, 3);
    assert_int_equal(agg.withheld, 0);
    /* nobody reported: count 0, no region */
    const cons_row_t *none[2] = {NULL, NULL};
    assert_int_equal(cons_aggregate(s_k("result"), none, owners, 2, NULL, &agg, NULL), 0);
    assert_int_equal(agg.st.count, 0);
    assert_false(agg.has_region);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_row_computes_every_metric),
        cmocka_unit_test(test_privacy),
        cmocka_unit_test(test_privacy_by_gender_and_kind),
        cmocka_unit_test(test_aggregates_and_ranks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
