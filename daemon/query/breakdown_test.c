/* Participant breakdowns: lines by dimension, their order, the group's sums and what a
 * förbund key may see (daemon/query/breakdown.h), with the numbers worked out by hand. */
#include "breakdown.h"
#include "testutil.h"

static void s_add(bd_t *b, size_t f, const char *ins, const char *kind, const char *measure,
                  const char *cat, uint64_t w, uint64_t m, uint64_t u)
{
    const uint64_t n[3] = {w, m, u};
    bd_add(b, f, ins, kind, measure, cat, n);
}

/* Förbund 0: exits arbete 12/10, studier 9/3, flytt 1/0 over two interventions; förbund 1:
 * arbete 20/23, sjukdom 21/19. */
static void s_exits(bd_t *b)
{
    bd_init(b, BD_AVSLUT);
    s_add(b, 0, "A", "individ", "avslut", "studier", 5, 1, 0);
    s_add(b, 0, "A", "individ", "avslut", "arbete", 7, 4, 0);
    s_add(b, 0, "B", "individ", "avslut", "arbete", 5, 6, 0);
    s_add(b, 0, "B", "individ", "avslut", "studier", 4, 2, 0);
    s_add(b, 0, "B", "individ", "avslut", "flytt", 1, 0, 0);
    s_add(b, 0, "B", "individ", "nya", NULL, 30, 30, 0);       /* another measure */
    s_add(b, 0, "V", "volym", "avslut", "arbete", 50, 50, 0);  /* not individual */
    s_add(b, 1, "C", "individ", "avslut", "sjukdom", 21, 19, 0);
    s_add(b, 1, "C", "individ", "avslut", "arbete", 20, 23, 0);
    bd_sort(b);
}

static bd_line_t *s_find(const bd_t *b, size_t f, const char *key)
{
    for (size_t i = 0; i < b->n; i++)
        if (b->v[i].forbund == f && strcmp(b->v[i].key, key) == 0)
            return &b->v[i];
    fail_msg("no line %zu %s", f, key);
    return NULL;
}

static void test_lines_and_order(void **state)
{
    (void)state;
    bd_t b;
    s_exits(&b);
    assert_int_equal(b.n, 5);
    /* CONTRACT.md's order: arbete, studier, ..., sjukdom, flytt */
    assert_string_equal(b.v[0].key, "arbete");
    assert_string_equal(b.v[1].key, "studier");
    assert_string_equal(b.v[2].key, "flytt");
    assert_string_equal(b.v[3].key, "arbete");
    assert_string_equal(b.v[4].key, "sjukdom");
    assert_int_equal(s_find(&b, 0, "arbete")->n[0], 12);
    assert_int_equal(s_find(&b, 0, "arbete")->n[1], 10);
    assert_int_equal(bd_total(s_find(&b, 0, "studier")), 12);
    bd_line_t *r;
    unsigned withheld;
    long n = bd_region(&b, &r, &withheld);
    assert_int_equal(n, 4);
    assert_int_equal(withheld, 0);
    assert_string_equal(r[0].key, "arbete");
    assert_int_equal(r[0].n[0], 32);
    assert_int_equal(r[0].n[1], 33);
    assert_string_equal(r[2].key, "sjukdom");
    bd_lines_free(r, (size_t)n);
    bd_free(&b);
}

/* The group's lines sum only what the asker may see (the gate marks `hidden`), and say
 * how many blocks were left out. */
static void test_region_of_what_is_shown(void **state)
{
    (void)state;
    bd_t b;
    s_exits(&b);
    s_find(&b, 0, "studier")->hidden = true;
    s_find(&b, 0, "flytt")->hidden = true;
    bd_line_t *r;
    unsigned withheld;
    long n = bd_region(&b, &r, &withheld);
    assert_int_equal(withheld, 2);
    assert_int_equal(n, 2); /* arbete, sjukdom: nobody's studier or flytt is visible */
    assert_int_equal(r[0].n[0], 32);
    bd_lines_free(r, (size_t)n);
    bd_free(&b);
}

static void test_insats_flow(void **state)
{
    (void)state;
    bd_t b;
    bd_init(&b, BD_INSATS);
    s_add(&b, 0, "Team", "individ", "aktuella_slut", NULL, 2, 3, 0);
    s_add(&b, 0, "Team", "individ", "nya", NULL, 9, 4, 0);
    s_add(&b, 0, "Team", "individ", "avslut", "arbete", 5, 2, 0); /* not flow */
    s_add(&b, 0, "Team", "individ", "avslutade", NULL, 14, 3, 0);
    s_add(&b, 0, "Team", "individ", "aktuella_start", NULL, 7, 2, 0);
    s_add(&b, 0, "Skola", "volym", "nya", NULL, 24, 1, 0);
    bd_sort(&b);
    assert_int_equal(b.n, 5);
    assert_string_equal(b.v[0].key, "Skola");
    assert_string_equal(b.v[1].measure, "aktuella_start");
    assert_string_equal(b.v[2].measure, "nya");
    assert_string_equal(b.v[3].measure, "avslutade");
    assert_string_equal(b.v[4].measure, "aktuella_slut");
    assert_string_equal(b.v[1].kind, "individ");
    /* every line withheld: two blocks, not five lines, are left out */
    for (size_t i = 0; i < b.n; i++)
        b.v[i].hidden = true;
    bd_line_t *r;
    unsigned withheld;
    long n = bd_region(&b, &r, &withheld);
    assert_int_equal(n, 0);
    assert_int_equal(withheld, 2); /* two blocks, not five lines */
    bd_lines_free(r, 0);
    bd_free(&b);
    assert_int_equal(bd_by_parse("forsorjning_avslut"), BD_SUPPORT_EXIT);
    assert_int_equal(bd_by_parse("kön"), -1);
    assert_int_equal(bd_by_parse(NULL), -1);
}

/* A förbund may send 100 000 rows: lines are merged after sorting, so the rows of one
 * line add up wherever they come in the file (and the work is n log n, not n^2). */
static void test_many_rows(void **state)
{
    (void)state;
    bd_t b;
    bd_init(&b, BD_INSATS);
    char name[16];
    for (unsigned i = 0; i < 100000; i++) {
        snprintf(name, sizeof name, "Insats %u", i % 5000);
        const uint64_t n[3] = {1, 2, 0};
        bd_add(&b, i % 2, name, "individ", i % 3 ? "nya" : "aktuella_start", NULL, n);
    }
    assert_false(b.failed);
    bd_sort(&b);
    assert_int_equal(b.n, 2 * 2500 * 2); /* each förbund 2 500 names x 2 measures */
    uint64_t women = 0;
    for (size_t i = 0; i < b.n; i++)
        women += b.v[i].n[0];
    assert_int_equal(women, 100000);
    bd_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lines_and_order),
        cmocka_unit_test(test_region_of_what_is_shown),
        cmocka_unit_test(test_insats_flow),
        cmocka_unit_test(test_many_rows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
