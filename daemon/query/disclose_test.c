/* The disclosure gate's rules (disclose.c): one kind of people of one förbund through the
 * year, the headline counts a reader can take by difference, and the breakdown lines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "disclose.h"

#define T 5

/* --- the rules through a year --------------------------------------------------------- */

static void s_year(const char *h, const char *d, disc_mask_t mask[12])
{
    disc_month_t month[12] = {0};
    for (int m = 0; m < 12; m++) {
        month[m].reported = h[m] != '-';
        month[m].h_small = h[m] == 's' ? DISC_BIT(DISC_INDIVIDUAL) : 0;
        month[m].d_small = d[m] == 's' ? DISC_BIT(DISC_INDIVIDUAL) : 0;
    }
    disc_year(month, mask);
}

/* "S" shown, "w" withheld, per month, for the individual kind of H or D. */
static void s_shown(const disc_mask_t mask[12], bool detail, char out[13])
{
    for (int m = 0; m < 12; m++)
        out[m] = ((detail ? mask[m].d : mask[m].h) & DISC_BIT(DISC_INDIVIDUAL)) ? 'w' : 'S';
    out[12] = '\0';
}

static void test_run_of_months(void **state)
{
    (void)state;
    disc_mask_t mask[12];
    char h[13], d[13];
    /* small at first, then clean: withheld, then shown (a later month bounds the earlier
     * ones only from above, by a count of at least the threshold) */
    s_year("ssscccccc---", "sssccccccccc", mask);
    s_shown(mask, false, h);
    s_shown(mask, true, d);
    assert_string_equal(h, "wwwSSSSSSwww");
    assert_string_equal(d, "wwwSSSSSSwww");
    /* small again in July: withheld from then on, even when clean later (a withheld month
     * between two shown ones would be pinned between their counts) */
    s_year("ccccccsccccc", "cccccccccccc", mask);
    s_shown(mask, false, h);
    assert_string_equal(h, "SSSSSSwwwwww");
    /* a month not reported neither starts nor ends the run */
    s_year("cc-ccccccccc", "cccccccccccc", mask);
    s_shown(mask, false, h);
    assert_string_equal(h, "SSwSSSSSSSSS");
}

static void test_breakdowns_follow_the_run(void **state)
{
    (void)state;
    disc_mask_t mask[12];
    char h[13], d[13];
    /* a small line in the run's first month: the lines are withheld for the whole run and
     * the totals shown alone */
    s_year("cccccccccccc", "sscccccccccc", mask);
    s_shown(mask, false, h);
    s_shown(mask, true, d);
    assert_string_equal(h, "SSSSSSSSSSSS");
    assert_string_equal(d, "wwwwwwwwwwww");
    /* lines shown from the start and small in May: both end there */
    s_year("cccccccccccc", "ccccsccccccc", mask);
    s_shown(mask, false, h);
    s_shown(mask, true, d);
    assert_string_equal(h, "SSSSwwwwwwww");
    assert_string_equal(d, "SSSSwwwwwwww");
}

static void test_kinds_apart(void **state)
{
    (void)state;
    disc_month_t month[12] = {0};
    for (int m = 0; m < 12; m++) {
        month[m].reported = true;
        month[m].h_small = DISC_BIT(DISC_VOLUME);
    }
    disc_mask_t mask[12];
    disc_year(month, mask);
    assert_int_equal(mask[5].h, DISC_BIT(DISC_VOLUME));
    assert_int_equal(mask[5].d, DISC_BIT(DISC_VOLUME));
}

/* The kinds a month is small in, as the gate works them out from what derive stores:
 * the headline counts of f, and the breakdown lines of rows. */
static uint8_t s_small_h(const figures_t *f)
{
    disc_fewest_t fw = {{0}, {0}};
    disc_fewest_figures(f, &fw);
    return disc_month_of(&fw, T).h_small;
}

static uint8_t s_small_d(const disc_row_t *rows, size_t n, long long threshold)
{
    disc_fewest_t fw = {{0}, {0}};
    assert_int_equal(disc_fewest_lines(rows, n, &fw), 0);
    return disc_month_of(&fw, threshold).d_small;
}

/* --- headline counts: every difference a reader could take ------------------------------ */

static void test_headline_differences(void **state)
{
    (void)state;
    figures_t f = {0};
    f.v_participants = 22;
    f.v_women = 20;
    f.v_men = 0;
    /* 2 without gender: total - women - men */
    assert_int_equal(s_small_h(&f), DISC_BIT(DISC_VOLUME));
    memset(&f, 0, sizeof f);
    f.p_start = 10;
    f.p_new = 10;
    f.p_women = 10;
    f.p_men = 10;
    f.p_new_women = 5;
    f.p_new_men = 5;
    f.p_ended = 10;
    f.p_ended_women = 5;
    f.p_ended_men = 5;
    f.p_end = 10;
    f.p_end_women = 5;
    f.p_end_men = 5;
    f.p_work_or_studies = 7; /* three ended otherwise */
    f.p_wos_women = 0;
    f.p_wos_men = 0;
    assert_int_equal(s_small_h(&f) & DISC_BIT(DISC_INDIVIDUAL), DISC_BIT(DISC_INDIVIDUAL));
    f.p_work_or_studies = 0;
    assert_int_equal(s_small_h(&f), 0);
}

static void test_lines_small(void **state)
{
    (void)state;
    const disc_row_t big[] = {
        {"Team", "individ", "nya", NULL, {10, 10, 0}},
        {"Team", "individ", "avslut", "arbete", {6, 7, 0}},
        {"Skola", "volym", "nya", NULL, {24, 1, 0}},
    };
    /* one man in a volume intervention: the volume lines; nothing small individually */
    assert_int_equal(s_small_d(big, 3, T), DISC_BIT(DISC_VOLUME));
    /* an exit reason of 2 women is an individual line */
    const disc_row_t exits[] = {{"Team", "individ", "avslut", "flytt", {2, 0, 0}}};
    assert_int_equal(s_small_d(exits, 1, T), DISC_BIT(DISC_INDIVIDUAL));
    /* an exit reason's line is summed over interventions: 3 + 3 women in arbete is 6 */
    const disc_row_t sum[] = {{"A", "individ", "avslut", "arbete", {3, 0, 0}},
                              {"B", "individ", "avslut", "arbete", {3, 0, 0}}};
    assert_int_equal(s_small_d(sum, 2, T), 0);
    /* an intervention's flow is its own line: 3 new women in A is small */
    const disc_row_t flow[] = {{"A", "individ", "nya", NULL, {3, 0, 0}},
                               {"B", "individ", "nya", NULL, {30, 0, 0}}};
    assert_int_equal(s_small_d(flow, 2, T), DISC_BIT(DISC_INDIVIDUAL));
    assert_int_equal(s_small_d(flow, 2, 0), 0); /* privacy off */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_run_of_months),
        cmocka_unit_test(test_breakdowns_follow_the_run),
        cmocka_unit_test(test_kinds_apart),
        cmocka_unit_test(test_headline_differences),
        cmocka_unit_test(test_lines_small),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
