/* query_statements: a förbund's books for one month (samla statements): every Ledger line
 * as booked, its budget of the same months, last year's figure, and the costs' full-year
 * forecast. samla makes the statements from them (common/statements.c); money is no count
 * of people, so every key gets the same lines. */
#include "query_int.h"

#include <string.h>

#include "samla/figures.h"
#include "samla/log.h"

/* The three columns of every figure line, as read from the store. */
typedef struct {
    bool has[STORE_LEDGER_BASES];
    int64_t ore[STORE_LEDGER_BASES];
} s_line_t;

typedef struct {
    s_line_t *v; /* figure_line_count of them */
} s_read_t;

static void s_line(void *arg, store_ledger_basis_t basis, const char *line, int64_t ore)
{
    s_read_t *r = arg;
    for (size_t i = 0; i < figure_line_count; i++)
        if (strcmp(figure_lines[i].name, line) == 0) {
            r->v[i].has[basis] = true;
            r->v[i].ore[basis] = ore;
            return;
        }
}

/* The lines of orgnr's latest revision of `period` into v; *revision 0 when none. */
static int s_read(qry_ctx_t *x, const char *orgnr, period_t p, s_line_t *v, unsigned *revision)
{
    char period[8];
    period_format(p, period, sizeof period);
    memset(v, 0, figure_line_count * sizeof *v);
    s_read_t r = {v};
    samla_err_t err;
    if (store_ledger(x->store, orgnr, period, s_line, &r, revision, &err)) {
        log_event(LOG_LVL_ERROR, "query.store", "reason=\"%s\"", err.msg);
        return -1;
    }
    return 0;
}

static bool s_has_forecast(const s_line_t *v)
{
    for (size_t i = 0; i < figure_line_count; i++)
        if (v[i].has[STORE_LEDGER_FORECAST])
            return true;
    return false;
}

static bool s_is_balance(figure_kind_t k)
{
    return k == FIG_ASSET || k == FIG_EQUITY || k == FIG_LIABILITY;
}

/* The costs' full-year forecast: each cost area's forecast in force, else its budget for
 * the year, else its outcome so far; only when at least one area has a forecast. */
typedef struct {
    int64_t forecast, budget_year;
    bool any_forecast, all_budget_year;
    size_t n;
} s_forecast_t;

static void s_area(void *arg, const store_area_t *a)
{
    s_forecast_t *f = arg;
    f->n++;
    f->any_forecast |= a->has_forecast;
    f->all_budget_year &= a->has_budget_year;
    f->forecast += a->has_forecast ? a->forecast : a->has_budget_year ? a->budget_year
                                                                       : a->outcome;
    f->budget_year += a->has_budget_year ? a->budget_year : 0;
}

int qry_statements(qry_ctx_t *x, const Samla__V1__Query *q, Samla__V1__Reply *reply)
{
    period_t p;
    int bad = qry_period(x, "statements", q->period, &p);
    if (bad)
        return bad;
    long idx = q->orgnr ? registry_forbund_index(x->reg, q->orgnr) : -1;
    if (idx < 0)
        return qry_usage(x, "statements needs the --orgnr of a registered förbund");
    const member_t *mb = registry_forbund(x->reg, (size_t)idx);
    Samla__V1__Statements *out = arena_alloc(x->a, 1, sizeof *out);
    Samla__V1__StatementLine **lines = arena_alloc(x->a, figure_line_count, sizeof *lines);
    s_line_t *now = arena_alloc(x->a, figure_line_count, sizeof *now);
    s_line_t *before = arena_alloc(x->a, figure_line_count, sizeof *before);
    s_line_t *december = arena_alloc(x->a, figure_line_count, sizeof *december);
    s_line_t *earlier = arena_alloc(x->a, figure_line_count, sizeof *earlier);
    char *period = arena_alloc(x->a, 8, 1);
    if (!out || !lines || !now || !before || !december || !earlier || !period)
        return qry_unavailable(x);
    samla__v1__statements__init(out);
    period_format(p, period, 8);
    out->orgnr = (char *)mb->orgnr;
    out->name = mb->name;
    out->period = period;
    out->has_revision = 1;
    unsigned rev_before = 0, rev_december = 0;
    if (s_read(x, mb->orgnr, p, now, &out->revision) ||
        s_read(x, mb->orgnr, (period_t){p.year - 1, p.month}, before, &rev_before) ||
        s_read(x, mb->orgnr, (period_t){p.year - 1, 12}, december, &rev_december))
        return qry_unavailable(x);
    /* the income forecast in force: this month's, else the latest sent earlier in the
     * year (as the cost areas' forecasts stay in force) */
    const s_line_t *forecast = now;
    for (int m = p.month - 1; m >= 1 && !s_has_forecast(forecast); m--) {
        unsigned rev;
        if (s_read(x, mb->orgnr, (period_t){p.year, m}, earlier, &rev))
            return qry_unavailable(x);
        forecast = earlier;
    }
    /* Fg. år: the same months of last year as stored, else the file's closing figures of
     * last year (#RES -1); the balance sheet beside last year's end: the file's (#UB -1),
     * else the stored December. One source per statement, never mixed line by line. */
    bool same_months = rev_before > 0, file_year = false, file_balance = false;
    for (size_t i = 0; i < figure_line_count; i++) {
        bool has = now[i].has[STORE_LEDGER_LAST_YEAR];
        if (s_is_balance(figure_lines[i].kind))
            file_balance |= has;
        else
            file_year |= has;
    }
    for (size_t i = 0; out->revision && i < figure_line_count; i++) {
        const s_line_t *l = &now[i], *prev;
        store_ledger_basis_t from;
        if (s_is_balance(figure_lines[i].kind)) {
            prev = file_balance ? l : &december[i];
            from = file_balance ? STORE_LEDGER_LAST_YEAR : STORE_LEDGER_OUTCOME;
        } else {
            prev = same_months ? &before[i] : l;
            from = same_months ? STORE_LEDGER_OUTCOME : STORE_LEDGER_LAST_YEAR;
        }
        Samla__V1__StatementLine *o = arena_alloc(x->a, 1, sizeof *o);
        if (!o)
            return qry_unavailable(x);
        samla__v1__statement_line__init(o);
        o->line = (char *)figure_lines[i].name;
        o->has_outcome = l->has[STORE_LEDGER_OUTCOME];
        o->outcome = l->ore[STORE_LEDGER_OUTCOME];
        o->has_budget = l->has[STORE_LEDGER_BUDGET];
        o->budget = l->ore[STORE_LEDGER_BUDGET];
        o->has_last_year = prev->has[from];
        o->last_year = prev->ore[from];
        o->has_forecast = forecast[i].has[STORE_LEDGER_FORECAST];
        o->forecast = forecast[i].ore[STORE_LEDGER_FORECAST];
        if (o->has_outcome || o->has_budget || o->has_last_year || o->has_forecast)
            lines[out->n_lines++] = o;
    }
    out->lines = lines;
    if (same_months) {
        out->last_year_basis = "same_months";
        out->has_last_year_revision = 1;
        out->last_year_revision = rev_before;
    } else if (file_year) {
        out->last_year_basis = "full_year";
    }
    s_forecast_t f = {.all_budget_year = true};
    unsigned rev_areas = 0;
    samla_err_t err;
    if (out->revision && store_areas(x->store, mb->orgnr, period, s_area, &f, &rev_areas, &err)) {
        log_event(LOG_LVL_ERROR, "query.store", "reason=\"%s\"", err.msg);
        return qry_unavailable(x);
    }
    out->has_forecast_costs = f.any_forecast;
    out->forecast_costs = f.forecast;
    out->has_budget_year_costs = f.n > 0 && f.all_budget_year;
    out->budget_year_costs = f.budget_year;
    reply->statements = out;
    return x->a->failed ? qry_unavailable(x) : 0;
}
