/* The auditor (audit.c): it finds a withheld count the published ones pin down, and finds
 * none in what the gate (disclose.c) releases of random förbund-years. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <malloc.h>

#include "audit.h"
#include "disclose.h"

#define T 5

static void s_figures(const disc_row_t *rows, size_t n, figures_t *f);

/* A month as the gate sees it: the smallest counts of f and of rows, as derive stores
 * them. */
static disc_month_t s_month(const figures_t *f, const disc_row_t *rows, size_t n)
{
    disc_fewest_t fw = {{0}, {0}};
    disc_fewest_figures(f, &fw);
    assert_int_equal(disc_fewest_lines(rows, n, &fw), 0);
    return disc_month_of(&fw, T);
}

/* --- the auditor ---------------------------------------------------------------------- */

static const disc_row_t s_exits[] = {
    {"Team", "individ", "aktuella_start", NULL, {10, 10, 0}},
    {"Team", "individ", "nya", NULL, {10, 10, 0}},
    {"Team", "individ", "avslutade", NULL, {12, 10, 0}},
    {"Team", "individ", "aktuella_slut", NULL, {8, 10, 0}},
    {"Team", "individ", "avslut", "arbete", {10, 10, 0}},
    {"Team", "individ", "avslut", "flytt", {2, 0, 0}},
};

static long s_audit_one(const disc_row_t *rows, size_t n, disc_mask_t mask, audit_leak_t *l)
{
    audit_month_t month[12] = {{0}};
    month[0] = (audit_month_t){true, rows, n, mask};
    char why[64];
    audit_stats_t st;
    long found = audit_year(month, 1, T, l, 4, &st, why, sizeof why);
    assert_true(found >= 0);
    assert_true(st.checked > 0);
    return found;
}

/* What the old rules did: the totals shown, the one small exit line withheld and the other
 * lines shown; flytt = ended - arbete. The auditor must say so. */
static void test_auditor_finds_a_lone_withheld_line(void **state)
{
    (void)state;
    audit_leak_t l[4];
    /* D shown except for one line cannot be expressed by a mask, so the case is the
     * totals shown and every line withheld but the flytt women pinned by the totals of a
     * one-line table: ended women 12 = arbete 10 + flytt 2 with arbete shown in H as
     * work or studies. */
    long n = s_audit_one(s_exits, sizeof s_exits / sizeof s_exits[0],
                         (disc_mask_t){0, DISC_BIT(DISC_INDIVIDUAL)}, l);
    assert_true(n >= 1);
    bool flytt = false;
    for (long i = 0; i < n && i < 4; i++)
        flytt |= strstr(l[i].cell, "flytt") != NULL && l[i].lo == 2.0 && l[i].hi == 2.0;
    assert_true(flytt);
    /* the gate sees it coming: ended otherwise than to work or studies is 2 */
    figures_t f = {0};
    f.p_ended = 22;
    f.p_ended_women = 12;
    f.p_ended_men = 10;
    f.p_work_or_studies = 20;
    f.p_wos_women = 10;
    f.p_wos_men = 10;
    assert_true(s_month(&f, NULL, 0).h_small & DISC_BIT(DISC_INDIVIDUAL));
    /* and withheld whole, nothing can be narrowed */
    assert_int_equal(s_audit_one(s_exits, sizeof s_exits / sizeof s_exits[0],
                                 (disc_mask_t){DISC_ALL, DISC_ALL}, l),
                     0);
}

/* Active women dip under the threshold in June and are back in July: shown again in
 * July, June's count is pinned between May's and July's counts to date (end = start +
 * new - ended, with new and ended each between their neighbours'). The rule that keeps
 * a withheld month withheld for the rest of the year is what stops it. */
static void test_auditor_finds_a_month_pinned_between_two(void **state)
{
    (void)state;
    static disc_row_t rows[12][4];
    audit_month_t month[12];
    disc_month_t dm[12];
    for (int m = 0; m < 12; m++) {
        uint64_t news = m < 6 ? 20 : 21, ended = m < 5 ? 25 : 26; /* June: 10 + 20 - 26 */
        if (m == 5)
            news = 20;
        rows[m][0] = (disc_row_t){"Team", "individ", "aktuella_start", NULL, {10, 10, 0}};
        rows[m][1] = (disc_row_t){"Team", "individ", "nya", NULL, {news, 20, 0}};
        rows[m][2] = (disc_row_t){"Team", "individ", "avslutade", NULL, {ended, 10, 0}};
        rows[m][3] = (disc_row_t){"Team", "individ", "aktuella_slut", NULL,
                                  {10 + news - ended, 20, 0}};
        figures_t f;
        s_figures(rows[m], 4, &f);
        dm[m] = s_month(&f, rows[m], 4);
    }
    assert_true(dm[5].h_small && !dm[4].h_small && !dm[6].h_small);
    disc_mask_t mask[12];
    disc_year(dm, mask);
    for (int m = 0; m < 12; m++)
        month[m] = (audit_month_t){true, rows[m], 4, mask[m]};
    audit_leak_t l[4];
    audit_stats_t st;
    char why[64];
    assert_int_equal(audit_year(month, 12, T, l, 4, &st, why, sizeof why), 0);
    /* July shown again: June's active women are 4, 5 or 6 */
    month[6].mask = (disc_mask_t){0, 0};
    long n = audit_year(month, 12, T, l, 4, &st, why, sizeof why);
    assert_true(n >= 1);
    assert_int_equal(l[0].month, 6);
    assert_true(l[0].lo >= 4.0 && l[0].hi <= 6.0);
}

/* --- random förbund-years through the gate and the auditor ------------------------------ */

static uint64_t s_rng = 0x5a4d4c41u;

static unsigned s_rand(unsigned below)
{
    s_rng = s_rng * 6364136223846793005u + 1442695040888963407u;
    return below ? (unsigned)((s_rng >> 33) % below) : 0;
}

enum { S_INT = 4, S_CATS = 4, S_ROWS = 64 };
static const char *const s_names[S_INT] = {"A", "B", "C", "D"};
static const char *const s_exit_cats[S_CATS] = {"arbete", "studier", "sjukdom", "flytt"};
static const char *const s_ages[3] = {"16-29", "30-44", "45-64"};
static const char *const s_supports[3] = {"sjukpenning", "a_kassa", "ingen"};

typedef struct {
    const char *kind;
    uint64_t start[3], news[3], ended[3];
    uint64_t exits[S_CATS][3], ages[3][3], sup_exit[3][3];
} s_int_t;

typedef struct {
    disc_row_t rows[12][S_ROWS];
    size_t n[12];
} s_world_t;

static void s_add(s_world_t *w, int m, const char *name, const char *kind, const char *measure,
                  const char *cat, const uint64_t n[3])
{
    w->rows[m][w->n[m]++] = (disc_row_t){name, kind, measure, cat, {n[0], n[1], n[2]}};
}

/* One month's increments: up to `scale` new and ended by gender (none without gender
 * unless `unspec`), spread over reasons, ages, supports. */
static void s_step(s_int_t *it, unsigned scale, bool unspec)
{
    for (int g = 0; g < (unspec ? 3 : 2); g++) {
        unsigned fresh = s_rand(scale), out = 0;
        it->news[g] += fresh;
        for (unsigned k = 0; k < fresh; k++)
            it->ages[s_rand(3)][g]++;
        uint64_t in = it->start[g] + it->news[g] - it->ended[g];
        out = s_rand(scale);
        if (out > in)
            out = (unsigned)in;
        it->ended[g] += out;
        for (unsigned k = 0; k < out; k++) {
            it->exits[s_rand(S_CATS)][g]++;
            it->sup_exit[s_rand(3)][g]++;
        }
    }
}

static void s_rows(s_world_t *w, int m, const char *name, const s_int_t *it)
{
    uint64_t end[3];
    for (int g = 0; g < 3; g++)
        end[g] = it->start[g] + it->news[g] - it->ended[g];
    s_add(w, m, name, it->kind, "aktuella_start", NULL, it->start);
    s_add(w, m, name, it->kind, "nya", NULL, it->news);
    s_add(w, m, name, it->kind, "avslutade", NULL, it->ended);
    s_add(w, m, name, it->kind, "aktuella_slut", NULL, end);
    if (strcmp(it->kind, "individ") != 0)
        return;
    for (int c = 0; c < S_CATS; c++)
        s_add(w, m, name, it->kind, "avslut", s_exit_cats[c], it->exits[c]);
    for (int c = 0; c < 3; c++) {
        s_add(w, m, name, it->kind, "alder", s_ages[c], it->ages[c]);
        s_add(w, m, name, it->kind, "forsorjning_avslut", s_supports[c], it->sup_exit[c]);
    }
}

/* The figures the daemon derives, for the rows that feed disclose's headline counts. */
static void s_figures(const disc_row_t *rows, size_t n, figures_t *f)
{
    memset(f, 0, sizeof *f);
    for (size_t i = 0; i < n; i++) {
        const disc_row_t *r = &rows[i];
        const uint64_t *c = r->n;
        int64_t all = (int64_t)(c[0] + c[1] + c[2]), w = (int64_t)c[0], mn = (int64_t)c[1];
        bool start = strcmp(r->measure, "aktuella_start") == 0, nya = !strcmp(r->measure, "nya");
        if (strcmp(r->kind, "volym") == 0 && (start || nya)) {
            f->v_participants += all, f->v_women += w, f->v_men += mn;
        } else if (strcmp(r->kind, "struktur") == 0 && (start || nya)) {
            f->s_participants += all, f->s_women += w, f->s_men += mn;
        } else if (strcmp(r->kind, "individ") == 0) {
            if (start || nya)
                f->p_women += w, f->p_men += mn;
            if (start)
                f->p_start += all;
            if (nya)
                f->p_new += all, f->p_new_women += w, f->p_new_men += mn;
            if (!strcmp(r->measure, "avslutade"))
                f->p_ended += all, f->p_ended_women += w, f->p_ended_men += mn;
            if (!strcmp(r->measure, "aktuella_slut"))
                f->p_end += all, f->p_end_women += w, f->p_end_men += mn;
            if (!strcmp(r->measure, "avslut") &&
                (!strcmp(r->category, "arbete") || !strcmp(r->category, "studier")))
                f->p_work_or_studies += all, f->p_wos_women += w, f->p_wos_men += mn;
            if (!strcmp(r->measure, "alder")) {
                f->p_aged += all, f->p_aged_women += w, f->p_aged_men += mn;
                if (!strcmp(r->category, "16-29"))
                    f->p_young += all, f->p_young_women += w, f->p_young_men += mn;
            }
            if (!strcmp(r->measure, "forsorjning_avslut")) {
                f->p_exit_support += all, f->p_exit_support_women += w,
                    f->p_exit_support_men += mn;
                if (!strcmp(r->category, "ingen"))
                    f->p_no_support += all, f->p_no_support_women += w,
                        f->p_no_support_men += mn;
            }
        }
    }
}

static void s_random_world(s_world_t *w, unsigned size, unsigned scale, bool unspec)
{
    static const char *const kinds[] = {"individ", "individ", "volym", "struktur"};
    s_int_t it[S_INT];
    int nint = 1 + (int)s_rand(S_INT);
    memset(w, 0, sizeof *w);
    memset(it, 0, sizeof it);
    for (int i = 0; i < nint; i++) {
        it[i].kind = i == 0 ? "individ" : kinds[s_rand(4)];
        for (int g = 0; g < 3; g++)
            it[i].start[g] = g == 2 ? (unspec ? s_rand(2) : 0) : s_rand(size);
    }
    for (int m = 0; m < 12; m++)
        for (int i = 0; i < nint; i++) {
            s_step(&it[i], scale, unspec);
            s_rows(w, m, s_names[i], &it[i]);
        }
}

static void test_random_releases_are_safe(void **state)
{
    (void)state;
    size_t checked = 0, shown = 0, lines = 0;
    for (int round = 0; round < 40; round++) {
        s_world_t w;
        s_random_world(&w, 4 + (unsigned)round % 30, 2 + (unsigned)round % 12, round % 4 == 0);
        disc_month_t month[12];
        disc_mask_t mask[12];
        for (int m = 0; m < 12; m++) {
            figures_t f;
            s_figures(w.rows[m], w.n[m], &f);
            month[m] = s_month(&f, w.rows[m], w.n[m]);
        }
        disc_year(month, mask);
        audit_month_t am[12];
        for (int m = 0; m < 12; m++) {
            am[m] = (audit_month_t){true, w.rows[m], w.n[m], mask[m]};
            shown += !(mask[m].h & DISC_BIT(DISC_INDIVIDUAL));
            lines += !(mask[m].h & DISC_BIT(DISC_INDIVIDUAL)) &&
                     (mask[m].d & DISC_BIT(DISC_INDIVIDUAL));
        }
        audit_leak_t leaks[4];
        audit_stats_t st;
        char why[64];
        long n = audit_year(am, 12, T, leaks, 4, &st, why, sizeof why);
        if (n != 0)
            print_error("round %d: %s month %d is %lld, range %.1f..%.1f\n", round,
                        n > 0 ? leaks[0].cell : why, n > 0 ? leaks[0].month : 0,
                        n > 0 ? (long long)leaks[0].value : 0LL, n > 0 ? leaks[0].lo : 0.0,
                        n > 0 ? leaks[0].hi : 0.0);
        assert_int_equal(n, 0);
        checked += st.checked;
    }
    print_message("%zu withheld small cells audited; of 480 förbund-months, %zu with their "
                  "totals shown, %zu of them without their breakdowns\n", checked, shown, lines);
    /* the property is about something: many withheld small cells, and every case of the
     * rules (totals withheld, totals shown alone, totals and breakdowns shown) */
    assert_true(checked > 5000);
    assert_true(shown > 50);
    assert_true(lines > 20);
    assert_true(shown > lines);
}

int main(void)
{
    /* GLPK allocates and frees its work arrays on every solve: keep freed memory rather
     * than give it back to the kernel each time (samlad does the same) */
    mallopt(M_TRIM_THRESHOLD, 64 * 1024 * 1024);
    mallopt(M_MMAP_THRESHOLD, 16 * 1024 * 1024);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_auditor_finds_a_lone_withheld_line),
        cmocka_unit_test(test_auditor_finds_a_month_pinned_between_two),
        cmocka_unit_test(test_random_releases_are_safe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
