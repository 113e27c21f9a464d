#include "audit.h"

#include <glpk.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "samla/partflow.h"

/* --- the cells: sums of participant rows -------------------------------------------- */

enum { M_START, M_NEW, M_ENDED, M_END, M_EXIT, M_AGE, M_SUP_START, M_SUP_EXIT, M_N };
static const char *const s_measures[M_N] = {"aktuella_start", "nya", "avslutade",
                                            "aktuella_slut", "avslut", "alder",
                                            "forsorjning_start", "forsorjning_avslut"};
#define B(m) (1u << (m))

enum { G_WOMEN = 1, G_MEN = 2, G_UNSPEC = 4, G_ALL = 7 };
static const uint8_t s_genders[] = {G_ALL, G_WOMEN, G_MEN, G_UNSPEC};
static const char *const s_gender_names[] = {"", ", kvinnor", ", män", ", ej angivet"};

static int s_measure(const char *m)
{
    for (int i = 0; m && i < M_N; i++)
        if (strcmp(m, s_measures[i]) == 0)
            return i;
    return -1;
}

static bool s_eq(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* A cell: the sum of the rows of one kind whose measure is among `measures` (and, where
 * set, of one intervention or category, or a work-or-studies exit), over some genders. */
typedef struct {
    int kind;
    unsigned measures;
    const char *intervention, *category;
    bool wos;
    uint8_t genders;
    bool detail;
} s_cell_t;

static bool s_in(const s_cell_t *c, const disc_row_t *r)
{
    int m = s_measure(r->measure);
    return m >= 0 && (c->measures & B(m)) && disc_kind_parse(r->kind) == c->kind &&
           (!c->intervention || s_eq(c->intervention, r->intervention)) &&
           (!c->category || s_eq(c->category, r->category)) && (!c->wos || partflow_work_or_studies(r->category));
}

static int64_t s_value(const s_cell_t *c, const audit_month_t *mo)
{
    int64_t v = 0;
    for (size_t j = 0; j < mo->n; j++)
        if (s_in(c, &mo->rows[j]))
            for (int g = 0; g < 3; g++)
                if (c->genders & (1u << g))
                    v += (int64_t)mo->rows[j].n[g];
    return v;
}

static void s_label(const s_cell_t *c, char *out, size_t size)
{
    int g = 0;
    while (s_genders[g] != c->genders)
        g++;
    char what[64] = "";
    for (int m = 0; m < M_N; m++)
        if (c->measures & B(m))
            snprintf(what + strlen(what), sizeof what - strlen(what), "%s%s",
                     what[0] ? "+" : "", s_measures[m]);
    static const char *const kinds[] = {"individ", "volym", "struktur"};
    snprintf(out, size, "%s %s %s%s%s%s%s", c->detail ? "D" : "H", kinds[c->kind], what,
             c->intervention ? " " : "", c->intervention ? c->intervention : "",
             c->category ? " " : c->wos ? " arbete eller studier" : "",
             c->category ? c->category : "");
    snprintf(out + strlen(out), size - strlen(out), "%s", s_gender_names[g]);
}

/* --- a growing list of cells ---------------------------------------------------------- */

typedef struct {
    s_cell_t *v;
    size_t n, cap;
    bool failed;
} s_cells_t;

static void s_push(s_cells_t *l, s_cell_t c)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->v[i].genders == c.genders && l->v[i].kind == c.kind &&
            l->v[i].measures == c.measures && l->v[i].wos == c.wos &&
            l->v[i].detail == c.detail && s_eq(l->v[i].intervention, c.intervention) &&
            s_eq(l->v[i].category, c.category))
            return;
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 64;
        s_cell_t *v = realloc(l->v, cap * sizeof *v);
        if (!v) {
            l->failed = true;
            return;
        }
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = c;
}

static void s_push_genders(s_cells_t *l, s_cell_t c)
{
    for (size_t g = 0; g < sizeof s_genders; g++) {
        c.genders = s_genders[g];
        s_push(l, c);
    }
}

/* The headline counts of each kind (disclose.c's disc_cells, as sums of rows). */
static void s_headline(s_cells_t *l)
{
    static const struct {
        unsigned measures;
        const char *category;
        bool wos;
    } ind[] = {{B(M_START) | B(M_NEW), NULL, false}, {B(M_START), NULL, false},
               {B(M_NEW), NULL, false},  {B(M_ENDED), NULL, false},
               {B(M_END), NULL, false},  {B(M_EXIT), NULL, true},
               {B(M_AGE), NULL, false},  {B(M_AGE), "16-29", false},
               {B(M_SUP_EXIT), NULL, false}, {B(M_SUP_EXIT), "ingen", false}};
    for (size_t i = 0; i < sizeof ind / sizeof ind[0]; i++)
        s_push_genders(l, (s_cell_t){.kind = DISC_INDIVIDUAL, .measures = ind[i].measures,
                                     .category = ind[i].category, .wos = ind[i].wos});
    s_push_genders(l, (s_cell_t){.kind = DISC_VOLUME, .measures = B(M_START) | B(M_NEW)});
    s_push_genders(l, (s_cell_t){.kind = DISC_STRUCTURAL, .measures = B(M_START) | B(M_NEW)});
}

/* The breakdown lines of one month (`participants --by`, every dimension). */
static void s_detail(s_cells_t *l, const audit_month_t *mo)
{
    for (int k = 0; k < DISC_KINDS; k++)
        s_push_genders(l, (s_cell_t){.kind = k, .measures = B(M_START) | B(M_NEW),
                                     .detail = true});
    for (size_t j = 0; j < mo->n; j++) {
        const disc_row_t *r = &mo->rows[j];
        int m = s_measure(r->measure), k = disc_kind_parse(r->kind);
        if (m < 0 || k < 0)
            continue;
        if (m <= M_END)
            s_push_genders(l, (s_cell_t){.kind = k, .measures = B(m),
                                         .intervention = r->intervention, .detail = true});
        else if (k == DISC_INDIVIDUAL && r->category)
            s_push_genders(l, (s_cell_t){.kind = k, .measures = B(m), .category = r->category,
                                         .detail = true});
    }
}

/* --- the linear program --------------------------------------------------------------- */

typedef struct {
    glp_prob *lp;
    int *ia, *ja;
    double *ar;
    size_t ne, cap; /* entries, 1-based as GLPK takes them */
    int base[12];   /* first column of month m's rows, 1-based; 0 when not in the problem */
    int *obj;       /* the columns of the objective now set, to clear them next time */
    size_t nobj;
    bool failed;
} s_lp_t;

static int s_col(const s_lp_t *p, int m, size_t row, int g)
{
    return p->base[m] + (int)(3 * row) + g;
}

static void s_entry(s_lp_t *p, int row, int col, double v)
{
    if (p->ne + 1 >= p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 1024;
        int *ia = realloc(p->ia, cap * sizeof *ia), *ja = ia ? realloc(p->ja, cap * sizeof *ja)
                                                            : NULL;
        if (ia)
            p->ia = ia;
        if (ja)
            p->ja = ja;
        double *ar = ja ? realloc(p->ar, cap * sizeof *ar) : NULL;
        if (!ar) {
            p->failed = true;
            return;
        }
        p->ar = ar;
        p->cap = cap;
    }
    p->ne++;
    p->ia[p->ne] = row;
    p->ja[p->ne] = col;
    p->ar[p->ne] = v;
}

/* A new constraint row: lo <= ... <= hi (type GLP_FX or GLP_LO). */
static int s_row(s_lp_t *p, int type, double v)
{
    int r = glp_add_rows(p->lp, 1);
    glp_set_row_bnds(p->lp, r, type, v, v);
    return r;
}

/* A shown cell: the sum of its rows equals what is shown. */
static void s_shown(s_lp_t *p, int m, const audit_month_t *mo, const s_cell_t *c)
{
    int r = s_row(p, GLP_FX, (double)s_value(c, mo));
    for (size_t j = 0; j < mo->n; j++)
        if (s_in(c, &mo->rows[j]))
            for (int g = 0; g < 3; g++)
                if (c->genders & (1u << g))
                    s_entry(p, r, s_col(p, m, j, g), 1.0);
}

/* For each intervention and gender of a month: start + new - ended - end = 0, and the
 * exit reasons sum to ended, where the rows are there and the data keeps the rule. */
static void s_flows(s_lp_t *p, int m, const audit_month_t *mo)
{
    static const double flow[M_N] = {[M_START] = 1, [M_NEW] = 1, [M_ENDED] = -1, [M_END] = -1};
    static const double exits[M_N] = {[M_ENDED] = -1, [M_EXIT] = 1};
    const double *const rules[] = {flow, exits};
    for (size_t j = 0; j < mo->n; j++) {
        const disc_row_t *lead = &mo->rows[j];
        if (s_measure(lead->measure) != M_ENDED)
            continue; /* one rule set per intervention, led by its ended row */
        for (size_t rule = 0; rule < 2; rule++)
            for (int g = 0; g < 3; g++) {
                int64_t sum = 0;
                unsigned seen = 0;
                for (size_t i = 0; i < mo->n; i++) {
                    const disc_row_t *r = &mo->rows[i];
                    int mm = s_measure(r->measure);
                    if (mm < 0 || rules[rule][mm] == 0 ||
                        !s_eq(r->intervention, lead->intervention) || !s_eq(r->kind, lead->kind))
                        continue;
                    seen |= B(mm);
                    sum += (int64_t)rules[rule][mm] * (int64_t)r->n[g];
                }
                unsigned need = rule == 0 ? B(M_START) | B(M_NEW) | B(M_ENDED) | B(M_END)
                                          : B(M_ENDED) | B(M_EXIT);
                if (seen != need || sum != 0)
                    continue;
                int row = s_row(p, GLP_FX, 0.0);
                for (size_t i = 0; i < mo->n; i++) {
                    const disc_row_t *r = &mo->rows[i];
                    int mm = s_measure(r->measure);
                    if (mm >= 0 && rules[rule][mm] != 0 &&
                        s_eq(r->intervention, lead->intervention) && s_eq(r->kind, lead->kind))
                        s_entry(p, row, s_col(p, m, i, g), rules[rule][mm]);
                }
            }
    }
}

/* Counts to date between two reported months: the year's start stays, the others never
 * fall (active at the end may), where the data keeps it. */
static void s_monotone(s_lp_t *p, int m0, const audit_month_t *a, int m1,
                       const audit_month_t *b)
{
    for (size_t j = 0; j < b->n; j++) {
        const disc_row_t *r = &b->rows[j];
        int mm = s_measure(r->measure);
        if (mm < 0 || mm == M_END)
            continue;
        for (size_t i = 0; i < a->n; i++) {
            const disc_row_t *q = &a->rows[i];
            if (!s_eq(q->measure, r->measure) || !s_eq(q->kind, r->kind) ||
                !s_eq(q->intervention, r->intervention) || !s_eq(q->category, r->category))
                continue;
            for (int g = 0; g < 3; g++) {
                bool same = mm == M_START;
                if (same ? r->n[g] != q->n[g] : r->n[g] < q->n[g])
                    continue;
                int row = s_row(p, same ? GLP_FX : GLP_LO, 0.0);
                s_entry(p, row, s_col(p, m1, j, g), 1.0);
                s_entry(p, row, s_col(p, m0, i, g), -1.0);
            }
            break;
        }
    }
}

/* min or max of a cell; *unbounded when it has none. -1 when GLPK fails. */
static int s_extreme(s_lp_t *p, int m, const audit_month_t *mo, const s_cell_t *c, int dir,
                     double *out, bool *unbounded)
{
    for (size_t j = 0; j < p->nobj; j++)
        glp_set_obj_coef(p->lp, p->obj[j], 0.0);
    p->nobj = 0;
    for (size_t j = 0; j < mo->n; j++)
        if (s_in(c, &mo->rows[j]))
            for (int g = 0; g < 3; g++)
                if (c->genders & (1u << g)) {
                    p->obj[p->nobj++] = s_col(p, m, j, g);
                    glp_set_obj_coef(p->lp, s_col(p, m, j, g), 1.0);
                }
    glp_set_obj_dir(p->lp, dir);
    glp_smcp parm;
    glp_init_smcp(&parm);
    parm.msg_lev = GLP_MSG_OFF;
    if (glp_simplex(p->lp, &parm) != 0 && glp_simplex(p->lp, &parm) != 0)
        return -1;
    int st = glp_get_status(p->lp);
    *unbounded = st == GLP_UNBND;
    if (st != GLP_OPT && st != GLP_UNBND)
        return -1;
    *out = glp_get_obj_val(p->lp);
    return 0;
}

/* Every relation and every shown cell of months 1..last. */
static void s_build(s_lp_t *p, const audit_month_t month[12], int last)
{
    int cols = 0, prev = -1;
    for (int m = 0; m < last; m++)
        if (month[m].reported && month[m].n) {
            p->base[m] = cols + 1;
            cols += (int)(3 * month[m].n);
        }
    if (cols)
        glp_add_cols(p->lp, cols);
    for (int j = 1; j <= cols; j++)
        glp_set_col_bnds(p->lp, j, GLP_LO, 0.0, 0.0);
    for (int m = 0; m < last && !p->failed; m++) {
        const audit_month_t *mo = &month[m];
        if (!p->base[m])
            continue;
        s_flows(p, m, mo);
        if (prev >= 0)
            s_monotone(p, prev, &month[prev], m, mo);
        prev = m;
        s_cells_t shown = {0};
        s_headline(&shown);
        s_detail(&shown, mo);
        for (size_t i = 0; i < shown.n; i++) {
            uint8_t mask = shown.v[i].detail ? mo->mask.d : mo->mask.h;
            if (!(mask & DISC_BIT(shown.v[i].kind)))
                s_shown(p, m, mo, &shown.v[i]);
        }
        p->failed |= shown.failed;
        free(shown.v);
    }
    if (!p->failed && p->ne)
        glp_load_matrix(p->lp, (int)p->ne, p->ia, p->ja, p->ar);
}

/* The withheld small cells of one month, each with its range; leaks counted. */
static long s_check_month(s_lp_t *p, int m, const audit_month_t *mo, long long threshold,
                          audit_leak_t *leaks, size_t max, size_t *found, audit_stats_t *st)
{
    s_cells_t cells = {0};
    s_headline(&cells);
    s_detail(&cells, mo);
    long rc = cells.failed ? -1 : 0;
    for (size_t i = 0; rc == 0 && i < cells.n; i++) {
        const s_cell_t *c = &cells.v[i];
        uint8_t mask = c->detail ? mo->mask.d : mo->mask.h;
        int64_t v = s_value(c, mo);
        if (!(mask & DISC_BIT(c->kind)) || !disc_is_small(v, threshold))
            continue;
        double lo, hi;
        bool unb_lo, unb_hi;
        if (s_extreme(p, m, mo, c, GLP_MIN, &lo, &unb_lo) ||
            s_extreme(p, m, mo, c, GLP_MAX, &hi, &unb_hi)) {
            rc = -1;
            break;
        }
        st->checked++;
        double values = unb_hi ? INFINITY : floor(hi + 1e-6) - ceil(lo - 1e-6) + 1.0;
        if (values >= (double)threshold)
            continue;
        if (*found < max) {
            audit_leak_t *l = &leaks[*found];
            l->month = m + 1;
            s_label(c, l->cell, sizeof l->cell);
            l->value = v;
            l->lo = lo;
            l->hi = hi;
        }
        (*found)++;
    }
    free(cells.v);
    return rc;
}

long audit_year(const audit_month_t month[12], int last, long long threshold,
                audit_leak_t *leaks, size_t max, audit_stats_t *stats, char *why,
                size_t wsize)
{
    audit_stats_t st = {0};
    s_lp_t p = {.lp = glp_create_prob()};
    size_t found = 0;
    long rc = 0;
    if (last < 1 || last > 12)
        last = 12;
    glp_term_out(GLP_OFF);
    s_build(&p, month, last);
    st.unknowns = (size_t)glp_get_num_cols(p.lp);
    p.obj = calloc(st.unknowns + 1, sizeof *p.obj);
    if (p.failed || !p.obj)
        rc = -1;
    for (int m = 0; rc == 0 && m < last; m++)
        if (p.base[m])
            rc = s_check_month(&p, m, &month[m], threshold, leaks, max, &found, &st);
    if (rc < 0)
        snprintf(why, wsize, "%s", p.failed ? "out of memory" : "the LP solver failed");
    glp_delete_prob(p.lp);
    free(p.ia);
    free(p.ja);
    free(p.ar);
    free(p.obj);
    if (stats)
        *stats = st;
    return rc < 0 ? -1 : (long)found;
}
