/* cursor: the one digit loop every parser uses; bounds, sign, and a failed read leaves
 * the cursor where it was. */
#include "samla/cursor.h"
#include "testutil.h"

static void test_cursor_readers(void **state)
{
    (void)state;
    uint64_t u;
    assert_int_equal(cur_span_uint((cur_span_t){"18446744073709551615", 20}, UINT64_MAX, &u), 0);
    assert_true(u == UINT64_MAX);
    assert_int_equal(cur_span_uint((cur_span_t){"18446744073709551616", 20}, UINT64_MAX, &u), -1);
    assert_int_equal(cur_span_uint((cur_span_t){"1000", 4}, 999, &u), -1);
    assert_int_equal(cur_span_uint((cur_span_t){"12a", 3}, 999, &u), -1);
    assert_int_equal(cur_span_uint((cur_span_t){"", 0}, 999, &u), -1);
    cur_t c;
    int64_t v;
    cur_init(&c, "-42 x", 5);
    assert_int_equal(cur_int(&c, -99, 0, &v), 0);
    assert_int_equal(v, -42);
    assert_int_equal(cur_col(&c), 4);
    cur_init(&c, "-", 1);
    assert_int_equal(cur_int(&c, -99, 0, &v), -1);
    assert_int_equal(cur_col(&c), 1); /* not moved */
    cur_init(&c, "-5", 2);
    assert_int_equal(cur_int(&c, 0, 9, &v), -1); /* no negatives allowed */
    cur_init(&c, "12.50;", 6);
    assert_int_equal(cur_amount(&c, 100000, &v), 0);
    assert_int_equal(v, 1250);
    assert_int_equal(cur_peek(&c), ';');
    cur_init(&c, "1.505", 5);
    assert_int_equal(cur_amount(&c, 100000, &v), -1);
    assert_int_equal(cur_col(&c), 1);
    int d;
    cur_init(&c, "20240229", 8);
    assert_int_equal(cur_date(&c, &d), 0);
    assert_int_equal(d, 20240229);
    cur_init(&c, "20250229", 8);
    assert_int_equal(cur_date(&c, &d), -1);
    cur_init(&c, "ab cd", 5);
    cur_span_t w = cur_until(&c, " ");
    assert_true(cur_span_eq(w, "ab"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cursor_readers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
