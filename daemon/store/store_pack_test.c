/* store_pack: every value a metric can take comes back bit for bit; a damaged pack is
 * refused without reading past its end. */
#include <math.h>

#include "store_pack.h"
#include "testutil.h"

typedef struct {
    int64_t ids[METRIC_MAX];
    metric_value_t v[METRIC_MAX];
    size_t n;
} s_got_t;

static void s_put(void *arg, int64_t id, const metric_value_t *v)
{
    s_got_t *g = arg;
    if (g->n < METRIC_MAX) {
        g->ids[g->n] = id;
        g->v[g->n++] = *v;
    }
}

static bool s_same_bits(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

/* Values as the metrics make them (money, counts, ratios whose d is num/den or not) and
 * the edges: extreme integers, -0.0, 2^53 and beyond, a fraction, infinity, NaN. */
static size_t s_values(metric_value_t *v, int64_t *ids)
{
    const double big = 9007199254740992.0; /* 2^53 */
    metric_value_t all[] = {
        {true, 12345678900, 0, 0, 0},
        {true, -42, 0, 0, 0},
        {true, INT64_MAX, 0, 0, 0},
        {true, INT64_MIN, 0, 0, 0},
        {true, 0, 0, 0, 0},
        {false, 0, 0, 0, 0},
        {true, 0, 2700.0 * 100.0 / 3100.0, 2700.0 * 100.0, 3100.0},
        {true, 0, 87.1, 2700.0 * 100.0, 3100.0},   /* d rounded on its own: not num/den */
        {true, 0, -0.0, -0.0, 5.0},
        {true, 0, 1.5, big, big + 2.0},
        {true, 0, 0.1, 0.30000000000000004, -3.0},
        {true, 7, INFINITY, -INFINITY, 1e300},
        {true, 0, NAN, 1.0, 0.0},
    };
    size_t n = sizeof all / sizeof all[0];
    for (size_t i = 0; i < n; i++) {
        v[i] = all[i];
        ids[i] = (int64_t)(i * 37 + 1);
    }
    ids[n - 1] = INT32_MAX + 5LL; /* an id beyond 32 bits */
    return n;
}

static void test_round_trip(void **state)
{
    (void)state;
    metric_value_t v[METRIC_MAX];
    int64_t ids[METRIC_MAX];
    size_t n = s_values(v, ids);
    uint8_t buf[STORE_PACK_MAX];
    size_t len = store_pack_encode(ids, v, n, buf);
    s_got_t g = {0};
    assert_int_equal(store_pack_decode(buf, len, s_put, &g), 0);
    assert_int_equal(g.n, n - 1); /* the absent value is not written */
    for (size_t i = 0, j = 0; i < n; i++) {
        if (!v[i].present)
            continue;
        const metric_value_t *a = &v[i], *b = &g.v[j];
        if (g.ids[j] != ids[i] || !b->present || a->i != b->i || !s_same_bits(a->d, b->d) ||
            !s_same_bits(a->num, b->num) || !s_same_bits(a->den, b->den))
            fail_msg("value %zu: wrote %lld/%.17g/%.17g/%.17g, read %lld/%.17g/%.17g/%.17g",
                     i, (long long)a->i, a->d, a->num, a->den, (long long)b->i, b->d,
                     b->num, b->den);
        j++;
    }
}

/* A month of 64 money and ratio metrics packs in well under a page. */
static void test_small(void **state)
{
    (void)state;
    metric_value_t v[METRIC_MAX];
    int64_t ids[METRIC_MAX];
    for (size_t k = 0; k < METRIC_MAX; k++) {
        ids[k] = (int64_t)k + 1;
        v[k] = k % 2 ? (metric_value_t){true, 0, 123456789.0 * 100 / 987654.0,
                                        123456789.0 * 100, 987654.0}
                     : (metric_value_t){true, 987654321012, 0, 0, 0};
    }
    uint8_t buf[STORE_PACK_MAX];
    size_t len = store_pack_encode(ids, v, METRIC_MAX, buf);
    if (len > 800)
        fail_msg("64 metrics in %zu bytes", len);
}

/* Every cut of a good pack, and bytes a peer might have put there: refused or read in
 * part, never read past the end (ASan watches the copy, which has nothing after it). */
static void test_damaged(void **state)
{
    (void)state;
    metric_value_t v[METRIC_MAX];
    int64_t ids[METRIC_MAX];
    size_t n = s_values(v, ids);
    uint8_t buf[STORE_PACK_MAX];
    size_t len = store_pack_encode(ids, v, n, buf);
    size_t refused = 0;
    for (size_t cut = 1; cut < len; cut++) {
        uint8_t *copy = malloc(cut);
        assert_non_null(copy);
        memcpy(copy, buf, cut);
        s_got_t g = {0};
        refused += store_pack_decode(copy, cut, s_put, &g) != 0;
        assert_true(g.n < n);
        free(copy);
    }
    assert_true(refused > 0);
    const uint8_t absent[] = {1, 0};                      /* a record saying "not present" */
    const uint8_t endless[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1};
    s_got_t g = {0};
    assert_int_equal(store_pack_decode(absent, sizeof absent, s_put, &g), -1);
    assert_int_equal(store_pack_decode(endless, sizeof endless, s_put, &g), -1);
    assert_int_equal(g.n, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_small),
        cmocka_unit_test(test_damaged),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
