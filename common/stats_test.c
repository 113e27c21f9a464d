/* stats: the median and ranking every comparison prints. */
#include "samla/stats.h"
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

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

static int s_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Random regions (negatives, duplicates, zeros, magnitudes from öre to billions) give what
 * a comparison sort and the definition of a rank give. */
static void test_against_the_definitions(void **state)
{
    (void)state;
    srand(7);
    for (int round = 0; round < 300; round++) {
        size_t n = (size_t)(rand() % 400);
        double v[400], sorted[400];
        unsigned rank[400];
        for (size_t i = 0; i < n; i++) {
            int shape = rand() % 5;
            v[i] = shape == 0   ? 0.0
                   : shape == 1 ? (double)(rand() % 7) /* many equal */
                   : shape == 2 ? -(double)rand() / 100.0
                   : shape == 3 ? (double)rand() * 1000.0 + 0.25
                                : (double)(rand() % 2000 - 1000) / 3.0;
        }
        memcpy(sorted, v, n * sizeof *v);
        qsort(sorted, n, sizeof *sorted, s_cmp);
        stats_t s;
        assert_int_equal(stats_compute(v, n, &s), 0);
        assert_int_equal(s.count, n);
        if (!n)
            continue;
        double sum = 0.0;
        for (size_t i = 0; i < n; i++)
            sum += sorted[i];
        assert_true(s.min == sorted[0] && s.max == sorted[n - 1] && s.sum == sum);
        assert_true(s.median == (n % 2 ? sorted[n / 2]
                                       : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0));
        assert_int_equal(stats_rank(v, n, rank), 0);
        for (size_t i = 0; i < n; i++) {
            unsigned higher = 0;
            for (size_t k = 0; k < n; k++)
                higher += v[k] > v[i];
            assert_int_equal(rank[i], higher + 1);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stats),
        cmocka_unit_test(test_against_the_definitions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
