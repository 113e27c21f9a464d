/* stats: the median and ranking every comparison prints. */
#include "samla/stats.h"
#include "testutil.h"

static void test_stats(void **state)
{
    (void)state;
    double v[] = {3.0, 1.0, 4.0, 2.0};
    stats_t s;
    assert_int_equal(stats_compute(v, 4, &s), 0);
    assert_int_equal(s.count, 4);
    assert_true(s.median == 2.5 && s.min == 1.0 && s.max == 4.0 && s.sum == 10.0);
    assert_true(s.mean == 2.5);
    assert_int_equal(stats_compute(v, 3, &s), 0);
    assert_true(s.median == 3.0);
    double r[] = {5.0, 9.0, 5.0, 1.0};
    unsigned rank[4];
    stats_rank(r, 4, rank);
    assert_int_equal(rank[1], 1);
    assert_int_equal(rank[0], 2);
    assert_int_equal(rank[2], 2);
    assert_int_equal(rank[3], 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stats),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
