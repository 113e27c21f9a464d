/* statements: see samla/statements.h. */
#include "samla/statements.h"

#include <stdlib.h>
#include <string.h>

#include "samla/figures.h"
#include "samla/money.h"

/* One Ledger line's öre in the three stored columns, printed sign applied. */
typedef struct {
    bool has[STMT_COLS];
    int64_t ore[STMT_COLS];
} s_cell_t;

typedef struct {
    stmt_row_t *rows;
    size_t n, cap;
    bool failed;
} s_out_t;

static stmt_row_t *s_row(s_out_t *o, stmt_section_t sec, const char *line, const char *label,
                         bool sum)
{
    if (o->failed)
        return NULL;
    if (o->n == o->cap) {
        size_t cap = o->cap ? 2 * o->cap : 48;
        stmt_row_t *v = realloc(o->rows, cap * sizeof *v);
        if (!v) {
            o->failed = true;
            return NULL;
        }
        o->rows = v;
        o->cap = cap;
    }
    stmt_row_t *r = &o->rows[o->n++];
    memset(r, 0, sizeof *r);
    r->section = sec;
    r->line = line;
    r->label = label;
    r->sum = sum;
    return r;
}

static void s_set(stmt_row_t *r, stmt_col_t c, int64_t kr)
{
    if (r) {
        r->has[c] = true;
        r->kr[c] = kr;
    }
}

/* The reply's lines by figure line, with the sign the reports print (costs negative). */
static void s_cells(const Samla__V1__Statements *r, s_cell_t cell[])
{
    memset(cell, 0, figure_line_count * sizeof *cell);
    for (size_t k = 0; k < r->n_lines; k++) {
        const Samla__V1__StatementLine *l = r->lines[k];
        for (size_t i = 0; i < figure_line_count; i++) {
            if (strcmp(l->line, figure_lines[i].name) != 0)
                continue;
            int sign = figures_kind_is_cost(figure_lines[i].kind) ? -1 : 1;
            const protobuf_c_boolean has[] = {l->has_outcome, l->has_budget, l->has_last_year,
                                              l->has_forecast};
            const int64_t v[] = {l->outcome, l->budget, l->last_year, l->forecast};
            const stmt_col_t col[] = {STMT_OUTCOME, STMT_BUDGET, STMT_LAST_YEAR, STMT_FORECAST};
            for (int c = 0; c < 4; c++)
                if (has[c] && v[c] >= -MONEY_MAX_ORE && v[c] <= MONEY_MAX_ORE) {
                    cell[i].has[col[c]] = true;
                    cell[i].ore[col[c]] = sign * v[c];
                }
        }
    }
}

static bool s_kind_in(figure_kind_t k, const figure_kind_t *kinds, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (kinds[i] == k)
            return true;
    return false;
}

/* A line is shown when any column has an amount other than zero. */
static bool s_shown(const s_cell_t *c)
{
    for (int k = 0; k < STMT_COLS; k++)
        if (c->has[k] && c->ore[k])
            return true;
    return false;
}

/* The leaves of a statement, rounded column by column so that they add up to the sum of
 * their öre rounded (money_apportion); rows[] get them, in figure_lines' order, for the
 * lines of `kinds` that are shown. Returns how many rows were added. */
static size_t s_leaves(s_out_t *o, stmt_section_t sec, const s_cell_t cell[],
                       const figure_kind_t *kinds, size_t nk, const stmt_col_t *cols,
                       size_t ncols)
{
    size_t first = o->n, idx[64], n = 0;
    for (size_t i = 0; i < figure_line_count && n < 64; i++)
        if (s_kind_in(figure_lines[i].kind, kinds, nk) && s_shown(&cell[i])) {
            idx[n++] = i;
            s_row(o, sec, figure_lines[i].name, figure_lines[i].label, false);
        }
    if (o->failed)
        return 0;
    for (size_t c = 0; c < ncols; c++) {
        int64_t ore[64], kr[64];
        size_t m = 0;
        for (size_t j = 0; j < n; j++)
            if (cell[idx[j]].has[cols[c]])
                ore[m++] = cell[idx[j]].ore[cols[c]];
        money_apportion(ore, m, kr);
        m = 0;
        for (size_t j = 0; j < n; j++)
            if (cell[idx[j]].has[cols[c]])
                s_set(&o->rows[first + j], cols[c], kr[m++]);
    }
    return n;
}

/* A sum of rows [from, to) in every column any of them has. */
static stmt_row_t *s_sum(s_out_t *o, stmt_section_t sec, const char *line, const char *label,
                         size_t from, size_t to)
{
    stmt_row_t *r = s_row(o, sec, line, label, true);
    for (size_t j = from; r && j < to; j++)
        for (int c = 0; c < STMT_COLS; c++)
            if (o->rows[j].has[c] && !o->rows[j].sum)
                s_set(r, (stmt_col_t)c, (r->has[c] ? r->kr[c] : 0) + o->rows[j].kr[c]);
    return r;
}

static void s_deviation(stmt_row_t *r)
{
    if (r && r->has[STMT_OUTCOME] && r->has[STMT_BUDGET])
        s_set(r, STMT_DEVIATION, r->kr[STMT_OUTCOME] - r->kr[STMT_BUDGET]);
}

/* Whole kronor of one amount, rounded half away from zero. */
static int64_t s_kr(int64_t ore)
{
    int64_t kr;
    money_apportion(&ore, 1, &kr);
    return kr;
}

static const stmt_col_t s_result_cols[] = {STMT_OUTCOME, STMT_BUDGET, STMT_LAST_YEAR,
                                           STMT_FORECAST};
static const stmt_col_t s_balance_cols[] = {STMT_OUTCOME, STMT_LAST_YEAR};

/* The forecast column of the income statement: the income lines' forecasts when every
 * income line with an outcome has one (else the revenue has none), the costs' from the
 * cost areas (set on the costs' row), the financial items as they are so far; the result's
 * only when both revenue and costs have one. */
static void s_forecast(s_out_t *o, size_t start, size_t revenue, size_t costs, size_t fin,
                       size_t result)
{
    stmt_row_t *rv = &o->rows[revenue], *rs = &o->rows[result];
    for (size_t j = start; j < revenue; j++)
        if (o->rows[j].has[STMT_OUTCOME] && !o->rows[j].has[STMT_FORECAST])
            rv->has[STMT_FORECAST] = false;
    rs->has[STMT_FORECAST] = false;
    const stmt_row_t *ct = &o->rows[costs];
    if (!rv->has[STMT_FORECAST] || !ct->has[STMT_FORECAST])
        return;
    int64_t kr = rv->kr[STMT_FORECAST] + ct->kr[STMT_FORECAST];
    for (size_t j = fin; j < result; j++)
        kr += o->rows[j].has[STMT_OUTCOME] ? o->rows[j].kr[STMT_OUTCOME] : 0;
    s_set(rs, STMT_FORECAST, kr);
}

/* The income statement; *revenue, *costs and *result get its sum rows' indexes. */
static void s_income(s_out_t *o, const Samla__V1__Statements *r, const s_cell_t cell[],
                     size_t *revenue, size_t *costs, size_t *result)
{
    static const figure_kind_t inc[] = {FIG_CONTRIBUTION, FIG_INCOME}, cost[] = {FIG_COST},
                               fin[] = {FIG_FIN_INCOME, FIG_FIN_COST};
    size_t start = o->n;
    size_t n = s_leaves(o, STMT_INCOME, cell, inc, 2, s_result_cols, 4);
    *revenue = o->n;
    s_sum(o, STMT_INCOME, "revenue", "Summa verksamhetens intäkter", start, start + n);
    size_t c0 = o->n;
    n = s_leaves(o, STMT_INCOME, cell, cost, 1, s_result_cols, 4);
    *costs = o->n;
    stmt_row_t *cs = s_sum(o, STMT_INCOME, "costs", "Summa verksamhetens kostnader", c0, c0 + n);
    if (cs && r->has_forecast_costs)
        s_set(cs, STMT_FORECAST, -s_kr(r->forecast_costs));
    size_t f0 = o->n;
    s_leaves(o, STMT_INCOME, cell, fin, 2, s_result_cols, 4);
    *result = o->n;
    s_sum(o, STMT_INCOME, "result", "Periodens resultat", start, o->n);
    if (o->failed)
        return;
    s_forecast(o, start, *revenue, *costs, f0, *result);
    /* a file without budget per line (an agent before 0.9): the two budget totals */
    size_t fig_in = 0, fig_cost = 0;
    for (size_t i = 0; i < figure_line_count; i++) {
        if (strcmp(figure_lines[i].name, "budget_income") == 0)
            fig_in = i;
        if (strcmp(figure_lines[i].name, "budget_costs") == 0)
            fig_cost = i;
    }
    stmt_row_t *rv = &o->rows[*revenue], *ct = &o->rows[*costs], *rs = &o->rows[*result];
    if (!rs->has[STMT_BUDGET] && cell[fig_in].has[STMT_OUTCOME] &&
        cell[fig_cost].has[STMT_OUTCOME]) {
        s_set(rv, STMT_BUDGET, s_kr(cell[fig_in].ore[STMT_OUTCOME]));
        s_set(ct, STMT_BUDGET, -s_kr(cell[fig_cost].ore[STMT_OUTCOME]));
        s_set(rs, STMT_BUDGET, rv->kr[STMT_BUDGET] + ct->kr[STMT_BUDGET]);
    }
    for (size_t j = start; j < o->n; j++)
        s_deviation(&o->rows[j]);
}

/* The balance sheet, each side rounded on its own; *equity and *cash get their rows
 * (SIZE_MAX when not shown). */
static void s_balance(s_out_t *o, const s_cell_t cell[], size_t *equity, size_t *cash)
{
    static const figure_kind_t assets[] = {FIG_ASSET}, claims[] = {FIG_EQUITY, FIG_LIABILITY};
    size_t a0 = o->n, n = s_leaves(o, STMT_BALANCE, cell, assets, 1, s_balance_cols, 2);
    s_sum(o, STMT_BALANCE, "assets", "Summa tillgångar", a0, a0 + n);
    size_t c0 = o->n;
    n = s_leaves(o, STMT_BALANCE, cell, claims, 2, s_balance_cols, 2);
    s_sum(o, STMT_BALANCE, "claims", "Summa eget kapital och skulder", c0, c0 + n);
    *equity = *cash = SIZE_MAX;
    for (size_t j = a0; !o->failed && j < o->n; j++) {
        if (strcmp(o->rows[j].line, "equity") == 0)
            *equity = j;
        if (strcmp(o->rows[j].line, "cash") == 0)
            *cash = j;
    }
}

/* The change of one balance line since last year's end, öre; false when either is
 * unknown. An absent line is zero when the statement has the other columns. */
static bool s_change(const s_cell_t cell[], const char *name, int64_t *d)
{
    *d = 0;
    for (size_t i = 0; i < figure_line_count; i++)
        if (strcmp(figure_lines[i].name, name) == 0) {
            const s_cell_t *c = &cell[i];
            *d = (c->has[STMT_OUTCOME] ? c->ore[STMT_OUTCOME] : 0) -
                 (c->has[STMT_LAST_YEAR] ? c->ore[STMT_LAST_YEAR] : 0);
            return true;
        }
    return false;
}

/* The cash flow by the indirect method, since the year's start (last year's end): the
 * result, the change in receivables and liabilities, investments and financing, adding up
 * to the change in cash as the balance sheet rounds it. */
static void s_cash_flow(s_out_t *o, const s_cell_t cell[], int64_t result_ore,
                        int64_t result_kr, size_t cash_row)
{
    if (cash_row == SIZE_MAX)
        return;
    const stmt_row_t cash = o->rows[cash_row];
    if (!cash.has[STMT_OUTCOME] || !cash.has[STMT_LAST_YEAR])
        return;
    int64_t recv, cl, fixed, ltl, eq;
    s_change(cell, "current_receivables", &recv);
    s_change(cell, "current_liabilities", &cl);
    s_change(cell, "fixed_assets", &fixed);
    s_change(cell, "long_term_liabilities", &ltl);
    s_change(cell, "equity", &eq);
    /* the result as the income statement rounds it; receivables, liabilities, investing
     * and financing (equity changed otherwise than by the result, long-term debt) rounded
     * together and fitted to the change in cash as the balance sheet rounds it (the two
     * roundings of the same change differ by a krona at most) */
    int64_t ore[4] = {-recv, cl, -fixed, ltl + eq - result_ore}, kr[5];
    money_apportion(ore, 4, kr + 1);
    kr[0] = result_kr;
    int64_t year = cash.kr[STMT_OUTCOME] - cash.kr[STMT_LAST_YEAR], got = 0;
    size_t big = 1;
    for (size_t i = 0; i < 5; i++) {
        got += kr[i];
        if (i && llabs(kr[i]) > llabs(kr[big]))
            big = i;
    }
    kr[big] += year - got;
    static const char *const names[5][2] = {
        {"result", "Periodens resultat"},
        {"change_receivables", "Förändring kortfristiga fordringar"},
        {"change_liabilities", "Förändring kortfristiga skulder"},
        {"investing", "Kassaflöde från investeringar"},
        {"financing", "Kassaflöde från finansiering"}};
    for (size_t i = 0; i < 3; i++)
        s_set(s_row(o, STMT_CASH_FLOW, names[i][0], names[i][1], false), STMT_OUTCOME, kr[i]);
    s_set(s_row(o, STMT_CASH_FLOW, "operating", "Kassaflöde från löpande verksamhet",
                true), STMT_OUTCOME, kr[0] + kr[1] + kr[2]);
    for (size_t i = 3; i < 5; i++)
        s_set(s_row(o, STMT_CASH_FLOW, names[i][0], names[i][1], false), STMT_OUTCOME, kr[i]);
    s_set(s_row(o, STMT_CASH_FLOW, "cash_flow", "Periodens kassaflöde", true), STMT_OUTCOME,
          year);
    s_set(s_row(o, STMT_CASH_FLOW, "cash_start", "Likvida medel vid årets början", false),
          STMT_OUTCOME, cash.kr[STMT_LAST_YEAR]);
    s_set(s_row(o, STMT_CASH_FLOW, "cash_end", "Likvida medel vid periodens slut", true),
          STMT_OUTCOME, cash.kr[STMT_OUTCOME]);
}

/* Ekonomiskt utfall (seed 001 §1.6, 002 §5): revenue, net cost with the financial items,
 * the result and closing equity, from the statements' own rows, so that it agrees. */
static void s_summary(s_out_t *o, size_t revenue, size_t costs, size_t result, size_t equity)
{
    stmt_row_t rv = o->rows[revenue], ct = o->rows[costs], rs = o->rows[result];
    stmt_row_t *a = s_row(o, STMT_SUMMARY, "revenue", "Verksamhetens intäkter", false);
    stmt_row_t *b = s_row(o, STMT_SUMMARY, "net_cost", "Nettokostnad och finansnetto", false);
    stmt_row_t *c = s_row(o, STMT_SUMMARY, "result", "Resultat", true);
    stmt_row_t *d = s_row(o, STMT_SUMMARY, "equity", "Utgående eget kapital", false);
    if (o->failed)
        return;
    for (int k = 0; k < STMT_COLS; k++) {
        if (k == STMT_DEVIATION)
            continue;
        if (rv.has[k])
            s_set(a, (stmt_col_t)k, rv.kr[k]);
        if (rs.has[k])
            s_set(c, (stmt_col_t)k, rs.kr[k]);
        if (rv.has[k] && rs.has[k])
            s_set(b, (stmt_col_t)k, rs.kr[k] - rv.kr[k]);
    }
    if (ct.has[STMT_FORECAST]) { /* the costs' forecast, the financial items as so far */
        int64_t fin = rs.kr[STMT_OUTCOME] - rv.kr[STMT_OUTCOME] - ct.kr[STMT_OUTCOME];
        s_set(b, STMT_FORECAST, ct.kr[STMT_FORECAST] + fin);
    }
    if (rv.has[STMT_FORECAST] && b->has[STMT_FORECAST]) /* the result's as the statement's */
        s_set(c, STMT_FORECAST, rv.kr[STMT_FORECAST] + b->kr[STMT_FORECAST]);
    if (equity != SIZE_MAX) {
        stmt_row_t eq = o->rows[equity];
        if (eq.has[STMT_OUTCOME])
            s_set(d, STMT_OUTCOME, eq.kr[STMT_OUTCOME]);
        if (eq.has[STMT_LAST_YEAR]) {
            s_set(d, STMT_LAST_YEAR, eq.kr[STMT_LAST_YEAR]);
            if (c->has[STMT_BUDGET]) /* last year's closing equity + the budgeted result */
                s_set(d, STMT_BUDGET, eq.kr[STMT_LAST_YEAR] + c->kr[STMT_BUDGET]);
            if (c->has[STMT_FORECAST]) /* and + the result forecast for the year */
                s_set(d, STMT_FORECAST, eq.kr[STMT_LAST_YEAR] + c->kr[STMT_FORECAST]);
        }
    }
    s_deviation(a);
    s_deviation(b);
    s_deviation(c);
    s_deviation(d);
}

int stmt_build(const Samla__V1__Statements *r, stmt_t *out)
{
    s_cell_t *cell = calloc(figure_line_count, sizeof *cell);
    s_out_t o = {0};
    if (!cell)
        return -1;
    s_cells(r, cell);
    /* the summary comes first in print; it is made last, from the statements' rows */
    size_t revenue, costs, result, equity, cash;
    s_income(&o, r, cell, &revenue, &costs, &result);
    s_balance(&o, cell, &equity, &cash);
    int64_t result_ore = 0;
    for (size_t i = 0; i < figure_line_count; i++) {
        figure_kind_t k = figure_lines[i].kind;
        if ((k == FIG_CONTRIBUTION || k == FIG_INCOME || k == FIG_COST || k == FIG_FIN_INCOME ||
             k == FIG_FIN_COST) && cell[i].has[STMT_OUTCOME])
            result_ore += cell[i].ore[STMT_OUTCOME];
    }
    if (!o.failed)
        s_cash_flow(&o, cell, result_ore, o.rows[result].kr[STMT_OUTCOME], cash);
    if (!o.failed)
        s_summary(&o, revenue, costs, result, equity);
    free(cell);
    if (o.failed) {
        free(o.rows);
        return -1;
    }
    out->rows = o.rows;
    out->n = o.n;
    return 0;
}

void stmt_free(stmt_t *s)
{
    free(s->rows);
    s->rows = NULL;
    s->n = 0;
}

static const char *const s_titles[STMT_SECTIONS][2] = {
    [STMT_SUMMARY] = {"summary", "EKONOMISKT UTFALL"},
    [STMT_INCOME] = {"income_statement", "RESULTATRÄKNING"},
    [STMT_BALANCE] = {"balance_sheet", "BALANSRÄKNING"},
    [STMT_CASH_FLOW] = {"cash_flow", "KASSAFLÖDESANALYS"},
};

const char *stmt_section_title(stmt_section_t s)
{
    return s < STMT_SECTIONS ? s_titles[s][1] : "";
}

const char *stmt_section_key(stmt_section_t s)
{
    return s < STMT_SECTIONS ? s_titles[s][0] : "";
}

bool stmt_section_has(stmt_section_t s, stmt_col_t c)
{
    switch (s) {
    case STMT_BALANCE: return c == STMT_OUTCOME || c == STMT_LAST_YEAR;
    case STMT_CASH_FLOW: return c == STMT_OUTCOME;
    default: return true;
    }
}
