/* query_areas: a förbund's driftsredovisning per cost area, and participant breakdowns. */
#include "query_int.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "samla/log.h"
#include "samla/money.h"
#include "samla/text.h"

#include "breakdown.h"

/* --- the driftsredovisning of one förbund ------------------------------------------- */

/* Sums of a set of areas; an amount some area lacks (or that overflows) is left out. */
typedef struct {
    const char *key;
    int64_t outcome, income, budget, budget_year, forecast;
    bool bad_sum, no_budget_year, no_forecast;
    size_t n;
} s_total_t;

static void s_add_to(s_total_t *t, const store_area_t *a)
{
    t->n++;
    t->bad_sum |= money_add(&t->outcome, a->outcome) || money_add(&t->income, a->income) ||
                  money_add(&t->budget, a->budget);
    t->no_budget_year |= !a->has_budget_year || money_add(&t->budget_year, a->budget_year);
    t->no_forecast |= !a->has_forecast || money_add(&t->forecast, a->forecast);
}

typedef struct {
    qry_ctx_t *x;
    Samla__V1__AreaFigures **v;
    size_t n, cap;
    s_total_t totals[5]; /* all, admin, structural, individual, other */
} s_areas_t;

static void s_area(void *arg, const store_area_t *a)
{
    s_areas_t *r = arg;
    Samla__V1__AreaFigures **v = arena_grow(r->x->a, r->v, r->n, &r->cap, sizeof *v, 64);
    if (!v)
        return;
    r->v = v;
    Samla__V1__AreaFigures *f = arena_alloc(r->x->a, 1, sizeof *f);
    if (!f)
        return;
    samla__v1__area_figures__init(f);
    f->code = arena_strdup(r->x->a, a->code);
    f->name = arena_strdup(r->x->a, a->name);
    f->class_ = arena_strdup(r->x->a, a->class_name);
    f->has_outcome = f->has_income = f->has_budget = 1;
    f->outcome = a->outcome;
    f->income = a->income;
    f->budget = a->budget;
    f->has_budget_year = a->has_budget_year;
    f->budget_year = a->budget_year;
    f->has_forecast = a->has_forecast;
    f->forecast = a->forecast;
    r->v[r->n++] = f;
    s_add_to(&r->totals[0], a);
    for (size_t k = 1; k < 5; k++)
        if (strcmp(r->totals[k].key, a->class_name) == 0)
            s_add_to(&r->totals[k], a);
}

static Samla__V1__AreaTotal *s_area_total(arena_t *a, const s_total_t *t)
{
    Samla__V1__AreaTotal *o = arena_alloc(a, 1, sizeof *o);
    if (!o)
        return NULL;
    samla__v1__area_total__init(o);
    o->key = (char *)t->key;
    o->has_outcome = o->has_income = o->has_budget = !t->bad_sum;
    o->outcome = t->outcome;
    o->income = t->income;
    o->budget = t->budget;
    o->has_budget_year = !t->bad_sum && !t->no_budget_year && t->n > 0;
    o->budget_year = t->budget_year;
    o->has_forecast = !t->no_forecast && t->n > 0;
    o->forecast = t->forecast;
    return o;
}

/* The income statement's costs (operating and financial) and income (contributions, other
 * and financial) of the revision, and what of them lies outside every area (issue 29: the
 * driftsredovisning meets the income statement). false when the figures cannot be read
 * or the areas' sum overflowed: then neither line is shown. */
static bool s_statement(qry_ctx_t *x, const char *orgnr, const char *period,
                        const s_total_t *areas, s_total_t *stmt, s_total_t *outside)
{
    figures_t f;
    unsigned got;
    samla_err_t err;
    if (areas->bad_sum || store_figures(x->store, orgnr, period, 0, &f, &got, &err) != 1)
        return false;
    stmt->outcome = figures_sum(&f, FIG_COST) + figures_sum(&f, FIG_FIN_COST);
    stmt->income = figures_sum(&f, FIG_CONTRIBUTION) + figures_sum(&f, FIG_INCOME) +
                   figures_sum(&f, FIG_FIN_INCOME);
    stmt->budget = f.budget_costs;
    stmt->n = outside->n = 1;
    stmt->no_budget_year = stmt->no_forecast = true;
    *outside = *stmt;
    outside->key = "outside";
    outside->outcome -= areas->outcome;
    outside->income -= areas->income;
    outside->budget -= areas->budget;
    return true;
}

int qry_areas(qry_ctx_t *x, const Samla__V1__Query *q, Samla__V1__Reply *reply)
{
    period_t p;
    int bad = qry_period(x, "areas", q->period, &p);
    if (bad)
        return bad;
    long idx = q->orgnr ? registry_forbund_index(x->reg, q->orgnr) : -1;
    if (idx < 0)
        return qry_usage(x, "areas needs the --orgnr of a registered förbund");
    const member_t *mb = registry_forbund(x->reg, (size_t)idx);
    s_areas_t r = {.x = x,
                   .totals = {{.key = "all"}, {.key = "admin"}, {.key = "structural"},
                              {.key = "individual"}, {.key = "other"}}};
    Samla__V1__Areas *out = arena_alloc(x->a, 1, sizeof *out);
    char *period = arena_alloc(x->a, 8, 1);
    Samla__V1__AreaTotal **totals = arena_alloc(x->a, 7, sizeof *totals);
    unsigned revision = 0;
    samla_err_t err;
    if (!out || !period || !totals)
        return qry_unavailable(x);
    period_format(p, period, 8);
    if (store_areas(x->store, mb->orgnr, period, s_area, &r, &revision, &err)) {
        log_event(LOG_LVL_ERROR, "query.store", "reason=\"%s\"", err.msg);
        return qry_unavailable(x);
    }
    samla__v1__areas__init(out);
    out->orgnr = (char *)mb->orgnr;
    out->name = mb->name;
    out->period = period;
    out->has_revision = 1;
    out->revision = revision;
    out->n_areas = r.n;
    out->areas = r.v;
    for (size_t k = 0; k < 5; k++)
        if ((k == 0 || r.totals[k].n) && !(totals[out->n_totals++] = s_area_total(x->a,
                                                                                  &r.totals[k])))
            return qry_unavailable(x);
    s_total_t stmt = {.key = "statement"}, outside = {.key = "outside"};
    if (revision && s_statement(x, mb->orgnr, period, &r.totals[0], &stmt, &outside)) {
        if (!(totals[out->n_totals++] = s_area_total(x->a, &outside)) ||
            !(totals[out->n_totals++] = s_area_total(x->a, &stmt)))
            return qry_unavailable(x);
    }
    out->totals = totals;
    reply->areas = out;
    return x->a->failed ? qry_unavailable(x) : 0;
}

/* --- participant breakdowns ----------------------------------------------------------- */

/* An intervention's cost area, as its participant rows name it. */
typedef struct {
    size_t forbund;
    char *intervention, *code; /* in the query's arena */
} s_area_of_t;

typedef struct {
    qry_ctx_t *x;
    bd_t bd;
    unsigned *revision; /* per group member */
    const char *insats; /* --insats: only this intervention's rows; NULL: all */
    s_area_of_t *areas; /* --by insats: each named cost area once, sorted by s_area_cmp */
    size_t n_areas, cap_areas;
} s_parts_t;

static int s_area_cmp(const void *a, const void *b)
{
    const s_area_of_t *x = a, *y = b;
    if (x->forbund != y->forbund)
        return x->forbund < y->forbund ? -1 : 1;
    return strcmp(x->intervention, y->intervention);
}

static void s_part_row(void *arg, const store_part_t *r)
{
    s_parts_t *t = arg;
    long i = qry_member_of(t->x, r->orgnr);
    if (i < 0)
        return;
    t->revision[i] = r->revision;
    if (t->insats && (!r->intervention || strcmp(r->intervention, t->insats) != 0))
        return;
    bd_add(&t->bd, (size_t)i, r->intervention, r->kind, r->measure, r->category, r->count);
    if (t->bd.by == BD_INSATS && r->cost_area && r->intervention &&
        (t->n_areas == 0 || t->areas[t->n_areas - 1].forbund != (size_t)i ||
         strcmp(t->areas[t->n_areas - 1].intervention, r->intervention) != 0)) {
        s_area_of_t *v = arena_grow(t->x->a, t->areas, t->n_areas, &t->cap_areas, sizeof *v, 16);
        if (!v)
            return;
        t->areas = v;
        s_area_of_t a = {(size_t)i, arena_strdup(t->x->a, r->intervention),
                         arena_strdup(t->x->a, r->cost_area)};
        if (a.intervention && a.code) /* else the arena failed: the query is unavailable */
            v[t->n_areas++] = a;
    }
}

/* The cost area of förbund i's intervention (bsearch over the sorted list), or NULL. */
static const char *s_area_of(const s_parts_t *t, size_t i, const char *intervention)
{
    s_area_of_t key = {i, (char *)intervention, NULL};
    const s_area_of_t *hit = t->n_areas ? bsearch(&key, t->areas, t->n_areas, sizeof key,
                                                  s_area_cmp)
                                        : NULL;
    return hit ? hit->code : NULL;
}

/* One intervention's exit reasons, ages or support are finer cells than any the gate
 * releases (it judges each --by over the whole förbund, and --by insats by flow only), so
 * a förbund key sees them for its own förbund only; --by insats --insats NAME is a subset
 * of lines the gate has judged and keeps its marks. */
static void s_gate_insats(qry_ctx_t *x, bd_t *bd)
{
    if (!x->viewer.orgnr || bd->by == BD_INSATS)
        return;
    for (size_t j = 0; j < bd->n; j++) {
        const member_t *mb = registry_forbund(x->reg, x->members[bd->v[j].forbund]);
        if (!mb || strcmp(mb->orgnr, x->viewer.orgnr) != 0)
            bd->v[j].hidden = true;
    }
}

static Samla__V1__BreakdownRow *s_bd_row(arena_t *a, const bd_line_t *l)
{
    Samla__V1__BreakdownRow *o = arena_alloc(a, 1, sizeof *o);
    if (!o)
        return NULL;
    samla__v1__breakdown_row__init(o);
    o->key = arena_strdup(a, l->key);
    o->kind = (char *)l->kind;
    o->measure = (char *)l->measure;
    if (l->hidden) {
        o->has_suppressed = o->suppressed = 1;
        return o;
    }
    o->has_women = o->has_men = o->has_unspecified = o->has_total = 1;
    o->women = l->n[0];
    o->men = l->n[1];
    o->unspecified = l->n[2];
    o->total = bd_total(l);
    return o;
}

/* The lines of one förbund, [from, to) of the sorted breakdown, into its message. */
static int s_bd_forbund(qry_ctx_t *x, const s_parts_t *t, size_t i, size_t from, size_t to,
                        Samla__V1__ForbundBreakdown **out)
{
    const bd_t *bd = &t->bd;
    unsigned revision = t->revision[i];
    const member_t *mb = registry_forbund(x->reg, x->members[i]);
    Samla__V1__ForbundBreakdown *f = arena_alloc(x->a, 1, sizeof *f);
    Samla__V1__BreakdownRow **rows = arena_alloc(x->a, to - from + 1, sizeof *rows);
    if (!f || !rows)
        return -1;
    samla__v1__forbund_breakdown__init(f);
    f->orgnr = (char *)mb->orgnr;
    f->name = mb->name;
    f->has_revision = 1;
    f->revision = revision;
    for (size_t j = from; j < to; j++) {
        if (!(rows[f->n_rows++] = s_bd_row(x->a, &bd->v[j])))
            return -1;
        if (bd->by == BD_INSATS) /* a code from the förbund's books, no count of people */
            rows[f->n_rows - 1]->cost_area = (char *)s_area_of(t, i, bd->v[j].key);
    }
    f->rows = rows;
    *out = f;
    return 0;
}

static int s_bd_reply(qry_ctx_t *x, s_parts_t *t, long only, const char *period,
                      Samla__V1__Participants *out)
{
    bd_t *bd = &t->bd;
    bd_line_t *region = NULL;
    unsigned withheld = 0;
    long nr = bd_region(bd, &region, &withheld);
    Samla__V1__ForbundBreakdown **fv = arena_alloc(x->a, x->n + 1, sizeof *fv);
    Samla__V1__BreakdownRow **rv = arena_alloc(x->a, nr > 0 ? (size_t)nr : 1, sizeof *rv);
    int rc = nr < 0 || !fv || !rv ? -1 : 0;
    samla__v1__participants__init(out);
    for (long k = 0; rc == 0 && k < nr; k++)
        if (!(rv[k] = s_bd_row(x->a, &region[k])))
            rc = -1;
    bd_lines_free(region, nr > 0 ? (size_t)nr : 0);
    size_t from = 0;
    for (size_t i = 0; rc == 0 && i < x->n; i++) {
        size_t to = from;
        while (to < bd->n && bd->v[to].forbund == i)
            to++;
        if ((only < 0 || (size_t)only == i) &&
            s_bd_forbund(x, t, i, from, to, &fv[out->n_forbund++]))
            rc = -1;
        from = to;
    }
    out->period = arena_strdup(x->a, period);
    out->by = (char *)bd_by_name(bd->by);
    out->insats = t->insats ? arena_strdup(x->a, t->insats) : NULL;
    out->region = (char *)x->label;
    out->forbund = fv;
    out->region_rows = rv;
    out->n_region_rows = nr > 0 ? (size_t)nr : 0;
    out->has_withheld = 1;
    out->withheld = withheld;
    return rc;
}

int qry_participants(qry_ctx_t *x, const Samla__V1__Query *q, Samla__V1__Reply *reply)
{
    period_t p;
    char period[8];
    int bad = qry_period(x, "participants", q->period, &p);
    if (bad)
        return bad;
    int by = bd_by_parse(q->by);
    if (by < 0)
        return qry_usage(x, "participants needs --by insats, typ, avslut, alder, "
                          "forsorjning_start or forsorjning_avslut");
    if (q->insats && (!*q->insats || strlen(q->insats) > 200 || !text_is_safe(q->insats)))
        return qry_usage(x, "--insats is an intervention's name as the participant CSV "
                          "gives it");
    long only = -1;
    if (q->orgnr && (only = qry_member_of(x, q->orgnr)) < 0)
        return qry_usage(x, "--orgnr is not a förbund of the group");
    period_format(p, period, sizeof period);
    s_parts_t t = {.x = x, .revision = arena_alloc(x->a, x->n + 1, sizeof *t.revision),
                   .insats = q->insats};
    Samla__V1__Participants *out = arena_alloc(x->a, 1, sizeof *out);
    if (!t.revision || !out)
        return qry_unavailable(x);
    bd_init(&t.bd, (bd_by_t)by);
    samla_err_t err;
    int rc = store_participants(x->store, period, s_part_row, &t, &err);
    if (rc)
        log_event(LOG_LVL_ERROR, "query.store", "reason=\"%s\"", err.msg);
    if (rc == 0 && !t.bd.failed) {
        bd_sort(&t.bd);
        if (t.n_areas)
            qsort(t.areas, t.n_areas, sizeof *t.areas, s_area_cmp);
        qry_gate_lines(x, p, &t.bd); /* what a förbund key may not see */
        if (t.insats)
            s_gate_insats(x, &t.bd);
        rc = x->gate_failed ? -1 : s_bd_reply(x, &t, only, period, out);
    }
    bool failed = rc || t.bd.failed;
    bd_free(&t.bd);
    if (failed)
        return qry_unavailable(x);
    reply->participants = out;
    return x->a->failed ? qry_unavailable(x) : 0;
}
