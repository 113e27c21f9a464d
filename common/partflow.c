#include "samla/partflow.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

enum { M_START, M_NEW, M_ENDED, M_END, M_EXIT, M_AGE, M_SUPPORT_START, M_SUPPORT_EXIT, M_N };

static const char *const s_exit[] = {"arbete", "arbete_subventionerat", "studier",
                                     "aktivt_arbetssokande", "fortsatt_rehab", "sjukdom",
                                     "flytt", "egen_begaran", "annat", NULL};
static const char *const s_age[] = {"16-29", "30-44", "45-64", NULL};
static const char *const s_support[] = {"sjukpenning", "aktivitetsersattning",
                                        "sjukersattning", "aktivitetsstod", "a_kassa",
                                        "forsorjningsstod", "etableringsersattning", "annan",
                                        "ingen", NULL};
static const char *const s_none[] = {NULL};

const char *const partflow_flow[PARTFLOW_N_FLOW] = {"aktuella_start", "nya", "avslutade",
                                                    "aktuella_slut"};

static const struct {
    const char *code;
    const char *const *categories;
} s_measures[M_N] = {
    {"aktuella_start", s_none}, {"nya", s_none},  {"avslutade", s_none},
    {"aktuella_slut", s_none},  {"avslut", s_exit}, {"alder", s_age},
    {"forsorjning_start", s_support}, {"forsorjning_avslut", s_support},
};

static const char *const s_gender[3] = {"kvinnor", "män", "ej_angivet"};

static bool s_eq(const char *s, size_t len, const char *lit)
{
    return strlen(lit) == len && memcmp(s, lit, len) == 0;
}

static int s_index(const char *measure)
{
    for (int m = 0; m < M_N; m++)
        if (measure && strcmp(measure, s_measures[m].code) == 0)
            return m;
    return -1;
}

const char *partflow_measure(const char *s, size_t len)
{
    for (int m = 0; m < M_N; m++)
        if (s_eq(s, len, s_measures[m].code))
            return s_measures[m].code;
    return NULL;
}

const char *const *partflow_categories(const char *measure)
{
    int m = s_index(measure);
    return m < 0 ? s_none : s_measures[m].categories;
}

int partflow_has_categories(const char *measure)
{
    int m = s_index(measure);
    return m >= 0 && s_measures[m].categories[0] != NULL;
}

int partflow_work_or_studies(const char *category)
{
    return category && (strcmp(category, "arbete") == 0 ||
                        strcmp(category, "arbete_subventionerat") == 0 ||
                        strcmp(category, "studier") == 0);
}

const char *partflow_category(const char *measure, const char *s, size_t len)
{
    int m = s_index(measure);
    if (m < 0)
        return NULL;
    if (s_measures[m].categories[0] == NULL)
        return len == 0 ? "" : NULL;
    for (const char *const *c = s_measures[m].categories; *c; c++)
        if (s_eq(s, len, *c))
            return *c;
    return NULL;
}

static const char *s_cat(const partflow_row_t *r)
{
    return r->category ? r->category : "";
}

/* Orders row pointers by (intervention, measure, category, line): duplicates become
 * neighbours and each intervention one run. */
static int s_cmp(const void *a, const void *b)
{
    const partflow_row_t *x = *(const partflow_row_t *const *)a;
    const partflow_row_t *y = *(const partflow_row_t *const *)b;
    int c = strcmp(x->intervention, y->intervention);
    if (!c)
        c = strcmp(x->measure, y->measure);
    if (!c)
        c = strcmp(s_cat(x), s_cat(y));
    if (!c)
        c = x->line < y->line ? -1 : x->line > y->line;
    return c;
}

/* The flow of one intervention: rows [from, to) of the sorted pointers. */
static int s_flow(const partflow_row_t *const *p, size_t from, size_t to, const char *display,
                  diag_t *d)
{
    int64_t sum[M_N][3] = {{0}};
    bool has[M_N] = {false};
    size_t last_line = 0;
    for (size_t k = from; k < to; k++) {
        int m = s_index(p[k]->measure);
        has[m] = true;
        for (int g = 0; g < 3; g++)
            sum[m][g] += p[k]->count[g];
        if (p[k]->line > last_line)
            last_line = p[k]->line;
    }
    const char *name = p[from]->intervention;
    int rc = 0;
    for (int g = 0; g < 3; g++) {
        int64_t expect = sum[M_START][g] + sum[M_NEW][g] - sum[M_ENDED][g];
        if (has[M_END] && expect != sum[M_END][g])
            rc = diag_add(d, DIAG_ERROR, display, last_line,
                          "%s, %s: aktuella_start %lld + nya %lld - avslutade %lld = %lld, but "
                          "aktuella_slut is %lld", name, s_gender[g],
                          (long long)sum[M_START][g], (long long)sum[M_NEW][g],
                          (long long)sum[M_ENDED][g], (long long)expect,
                          (long long)sum[M_END][g]);
        if (has[M_EXIT] && sum[M_EXIT][g] != sum[M_ENDED][g])
            rc = diag_add(d, DIAG_ERROR, display, last_line,
                          "%s, %s: the avslut rows sum to %lld, but avslutade is %lld", name,
                          s_gender[g], (long long)sum[M_EXIT][g], (long long)sum[M_ENDED][g]);
    }
    return rc;
}

int partflow_check(const partflow_row_t *rows, size_t n, const char *display, diag_t *d)
{
    size_t before = diag_errors(d);
    const partflow_row_t **p = malloc((n ? n : 1) * sizeof *p);
    if (!p)
        return diag_add(d, DIAG_ERROR, display, 0, "out of memory");
    size_t np = 0;
    for (size_t i = 0; i < n; i++) {
        const partflow_row_t *r = &rows[i];
        int m = s_index(r->measure);
        bool bad = false;
        if (!r->intervention || !r->intervention[0]) {
            diag_add(d, DIAG_ERROR, display, r->line, "insats is empty");
            continue;
        }
        if (m < 0) {
            diag_add(d, DIAG_ERROR, display, r->line, "mått '%s' is not a known measure",
                     r->measure ? r->measure : "");
            continue;
        }
        if (!partflow_category(r->measure, s_cat(r), strlen(s_cat(r)))) {
            bad = true;
            if (partflow_has_categories(r->measure))
                diag_add(d, DIAG_ERROR, display, r->line, "kategori '%s' is not one of the "
                         "categories of %s", s_cat(r), r->measure);
            else
                diag_add(d, DIAG_ERROR, display, r->line, "mått %s takes no kategori (got "
                         "'%s')", r->measure, s_cat(r));
        }
        for (int g = 0; g < 3; g++)
            if (r->count[g] > PARTFLOW_MAX_COUNT) {
                bad = true;
                diag_add(d, DIAG_ERROR, display, r->line, "%s: %u is more than %u people",
                         s_gender[g], r->count[g], PARTFLOW_MAX_COUNT);
            }
        if (!bad)
            p[np++] = r;
    }
    qsort(p, np, sizeof *p, s_cmp);
    for (size_t k = 1; k < np; k++)
        if (strcmp(p[k]->intervention, p[k - 1]->intervention) == 0 &&
            strcmp(p[k]->measure, p[k - 1]->measure) == 0 &&
            strcmp(s_cat(p[k]), s_cat(p[k - 1])) == 0)
            diag_add(d, DIAG_ERROR, display, p[k]->line,
                     "the same count as line %zu (%s, %s %s) appears twice", p[k - 1]->line,
                     p[k]->intervention, p[k]->measure, s_cat(p[k]));
    if (diag_errors(d) == before)
        for (size_t from = 0, to; from < np; from = to) {
            for (to = from + 1; to < np && strcmp(p[to]->intervention, p[from]->intervention) == 0;
                 to++)
                ;
            s_flow(p, from, to, display, d);
        }
    free(p);
    return diag_errors(d) == before ? 0 : -1;
}
