#include "report.h"

#include "members.h"
#include "samla/i18n.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "samla/figures.h"
#include "samla/money.h"
#include "samla/text.h"

struct report_s {
    Samla__V1__Submission sub;
    Samla__V1__Ledger ledger;
    Samla__V1__CostArea *areas;      /* array, n_cost_areas long */
    Samla__V1__CostArea **area_ptrs;
    Samla__V1__ParticipantRow *rows;
    Samla__V1__ParticipantRow **row_ptrs;
    int64_t unmapped;                 /* result-account balance outside every line */
    char period[8], created[24], orgnr[12];
    const sie_t *sie;
    /* For the printout only (not sent): the budget of the same months per line, and last
     * year's closing figures (#RES -1, #UB -1) per line, in Ledger messages so that the
     * figures module's line table reads them. */
    Samla__V1__Ledger budget_lines, prev_lines;
    Samla__V1__Ledger sent_prev; /* prev_lines as sent: only the statements that hold */
    Samla__V1__Ledger forecast_lines; /* the forecast file's income lines, when it has any */
    bool has_budget, has_prev_result, has_prev_balance;
    char range[40];           /* "jan–jun 2025", the months summed */
    char end_head[16];        /* "2025-06-30" */
    char prev_head[16];       /* "Helår 2024" or "Fg. år" */
    char prev_end_head[16];   /* "2024-12-31" */
};

/* The period's actual rows onto the mapping's lines. Returns the sum of every result
 * account (debit-positive), which equity needs while the books are open. */
static int64_t s_ledger_actual(report_t *r, const sie_rows_t *actual, const mapping_t *m,
                               diag_t *d)
{
    Samla__V1__Ledger *l = &r->ledger;
    int64_t result_bookkeeping = 0;
    for (size_t i = 0; i < actual->n; i++) {
        const sie_row_t *row = &actual->rows[i];
        if (row->object >= 0)
            continue;
        line_t line = mapping_line(m, row->account);
        protobuf_c_boolean *has;
        int64_t *slot = mapping_line_slot(l, line, &has);
        if (slot) {
            *slot += mapping_report_sign(line) * row->amount;
            *has = 1;
        }
        if (mapping_is_result_line(line) || (line == LINE_NONE && row->account >= 3000))
            result_bookkeeping += row->amount;
        if (line == LINE_NONE && row->amount != 0) {
            char amt[32];
            money_format(row->amount, amt, sizeof amt);
            r->unmapped += row->amount;
            diag_add(d, DIAG_WARNING, NULL, 0,
                     "account %d has a balance of %s but belongs to no line of the mapping",
                     row->account, amt);
        }
    }
    return result_bookkeeping;
}

/* The budget of the same months: per line for the printout, and the two totals sent. */
static void s_ledger_budget(report_t *r, const sie_rows_t *budget, const mapping_t *m)
{
    Samla__V1__Ledger *l = &r->ledger;
    samla__v1__ledger__init(&r->budget_lines);
    r->has_budget = budget->n > 0;
    for (size_t i = 0; i < budget->n; i++) {
        const sie_row_t *row = &budget->rows[i];
        line_t line = mapping_line(m, row->account);
        if (row->object >= 0 || !mapping_is_result_line(line) || line == LINE_CLOSING)
            continue;
        int64_t v = mapping_report_sign(line) * row->amount;
        protobuf_c_boolean *has;
        int64_t *slot = mapping_line_slot(&r->budget_lines, line, &has);
        if (slot)
            *slot += v, *has = 1;
        if (mapping_is_cost_line(line))
            l->budget_costs += v;
        else
            l->budget_income += v;
    }
    l->has_budget_costs = l->has_budget_income = 1;
}

/* The balance sheet must balance. Two known differences are explained and corrected (books
 * not yet closed; the result already in #UB); any other is an error naming the figures. */
static int s_ledger_balance(report_t *r, int64_t result_bookkeeping, diag_t *d)
{
    Samla__V1__Ledger *l = &r->ledger;
    figures_sums_t sum = figures_ledger_sums(l);
    int64_t assets = sum.assets, claims = sum.claims;
    int64_t unbooked = sie_opening_sum(r->sie);
    if (assets != claims && assets - claims == unbooked) {
        /* Books not yet closed (January to the annual closing): last year's result is in
         * no account yet, so #IB is off by exactly that. It belongs to equity, as the
         * accounting programs show it ("balanserat resultat"). */
        char amt[32];
        money_format(unbooked, amt, sizeof amt);
        diag_add(d, DIAG_WARNING, NULL, 0,
                 "the books are not closed: last year's result, %s, is not yet booked to "
                 "equity (#IB 0 sums to %s, not 0); it is counted in equity as balanserat "
                 "resultat", amt, amt);
        l->equity += unbooked;
        claims += unbooked;
    }
    if (assets != claims && result_bookkeeping != 0 && assets - claims == result_bookkeeping) {
        /* The balance accounts balance by themselves: #UB already holds the year's result
         * in equity (closed books whose closing entry is not among the #RES rows, as Visma
         * writes them). Counting the result again would double it. */
        char amt[32];
        money_format(-result_bookkeeping, amt, sizeof amt);
        diag_add(d, DIAG_WARNING, NULL, 0,
                 "the year's result, %s, is already booked to equity in #UB; it is not "
                 "counted twice", amt);
        l->equity += result_bookkeeping;
        claims += result_bookkeeping;
    }
    if (assets == claims)
        return 0;
    char a[32], b[32], diff[32], ib[32];
    money_format(assets, a, sizeof a);
    money_format(claims, b, sizeof b);
    money_format(assets - claims, diff, sizeof diff);
    money_format(unbooked, ib, sizeof ib);
    return diag_add(d, DIAG_ERROR, NULL, 0,
                    "the balance sheet does not balance: assets %s, equity and "
                    "liabilities %s, a difference of %s (#IB 0 sums to %s; accounts "
                    "outside every line of the mapping are listed above, if any)",
                    a, b, diff, ib);
}

static int s_ledger(report_t *r, const sie_rows_t *actual, const sie_rows_t *budget,
                    const mapping_t *m, diag_t *d)
{
    samla__v1__ledger__init(&r->ledger);
    int64_t result_bookkeeping = s_ledger_actual(r, actual, m, d);
    /* Until the books are closed the year's result sits in classes 3-8; equity includes
     * it. Once closed, 89xx moves it to 20xx and the sum of classes 3-8 is zero. */
    r->ledger.equity += mapping_report_sign(LINE_equity) * result_bookkeeping;
    r->ledger.has_equity = 1;
    s_ledger_budget(r, budget, m);
    return s_ledger_balance(r, result_bookkeeping, d);
}

static int s_areas(report_t *r, const sie_rows_t *actual, const sie_rows_t *budget,
                   const mapping_t *m)
{
    size_t n = sie_object_count(r->sie);
    r->areas = calloc(n + 1, sizeof *r->areas);
    r->area_ptrs = calloc(n + 1, sizeof *r->area_ptrs);
    if (!r->areas || !r->area_ptrs)
        return -1;
    for (size_t i = 0; i < n; i++) {
        Samla__V1__CostArea *a = &r->areas[i];
        samla__v1__cost_area__init(a);
        a->code = (char *)sie_object_code(r->sie, i);
        a->name = (char *)sie_object_name(r->sie, i);
        a->has_class_ = 1;
        a->class_ = mapping_area_class(m, a->code);
        a->has_costs = a->has_income = a->has_budget_costs = a->has_budget_income = 1;
        r->area_ptrs[i] = a;
    }
    const sie_rows_t *src[2] = {actual, budget};
    for (int k = 0; k < 2; k++)
        for (size_t i = 0; i < src[k]->n; i++) {
            const sie_row_t *row = &src[k]->rows[i];
            line_t line = mapping_line(m, row->account);
            if (row->object < 0 || !mapping_is_result_line(line) || line == LINE_CLOSING)
                continue;
            Samla__V1__CostArea *a = &r->areas[row->object];
            int64_t v = mapping_report_sign(line) * row->amount;
            if (mapping_is_cost_line(line))
                *(k ? &a->budget_costs : &a->costs) += v;
            else
                *(k ? &a->budget_income : &a->income) += v;
        }
    r->sub.n_cost_areas = n;
    r->sub.cost_areas = r->area_ptrs;
    return 0;
}

static int s_participants(report_t *r, const part_table_t *t)
{
    r->rows = calloc(t->n + 1, sizeof *r->rows);
    r->row_ptrs = calloc(t->n + 1, sizeof *r->row_ptrs);
    if (!r->rows || !r->row_ptrs)
        return -1;
    for (size_t i = 0; i < t->n; i++) {
        Samla__V1__ParticipantRow *p = &r->rows[i];
        samla__v1__participant_row__init(p);
        p->intervention = t->rows[i].intervention;
        p->kind = t->rows[i].kind;
        p->measure = (char *)t->rows[i].measure;
        p->category = (char *)t->rows[i].category;
        p->has_women = p->has_men = p->has_unspecified = 1;
        p->women = t->rows[i].women;
        p->men = t->rows[i].men;
        p->unspecified = t->rows[i].unspecified;
        p->cost_area = t->rows[i].cost_area;
        r->row_ptrs[i] = p;
    }
    r->sub.n_participants = t->n;
    r->sub.participants = r->row_ptrs;
    return 0;
}

/* The cost area the participant file names for an intervention should be one of the
 * ledger's; otherwise its cost cannot be shown (a warning: the counts are still right). */
static void s_match_cost_areas(const report_t *r, const part_table_t *t, diag_t *d)
{
    for (size_t i = 0; i < t->n; i++) {
        const char *code = t->rows[i].cost_area;
        bool found = !code;
        for (size_t k = 0; !found && k < r->sub.n_cost_areas; k++)
            found = strcmp(r->sub.cost_areas[k]->code, code) == 0;
        bool said = false; /* once per intervention */
        for (size_t j = 0; !found && j < i; j++)
            said |= t->rows[j].cost_area && strcmp(t->rows[j].cost_area, code) == 0;
        if (!found && !said)
            diag_add(d, DIAG_WARNING, NULL, t->rows[i].line, "kostnadsområde %s of insats %s "
                     "is no cost area (#OBJEKT) of the ledger: its cost cannot be shown",
                     code, t->rows[i].intervention);
    }
}

/* A participant file and a ledger of the same förbund share names: its interventions are
 * (some of) the ledger's cost areas. When none matches, the file is probably another
 * förbund's, and the bookkeeper is told before anything is sent. */
static void s_match_interventions(const sie_t *s, const part_table_t *t, diag_t *d)
{
    size_t areas = sie_object_count(s);
    if (!t || t->n == 0 || areas == 0)
        return;
    for (size_t i = 0; i < t->n; i++)
        for (size_t k = 0; k < areas; k++) {
            const char *name = sie_object_name(s, k), *code = sie_object_code(s, k);
            if ((name && strcasecmp(name, t->rows[i].intervention) == 0) ||
                strcasecmp(code, t->rows[i].intervention) == 0)
                return;
        }
    diag_add(d, DIAG_WARNING, NULL, 0,
             "none of the participant file's interventions (\"%s\"%s) is a cost area of the "
             "ledger (\"%s\"%s): is the participant file this förbund's?",
             t->rows[0].intervention, t->n > 1 ? ", ..." : "",
             sie_object_name(s, 0) ? sie_object_name(s, 0) : sie_object_code(s, 0),
             areas > 1 ? ", ..." : "");
}

/* The whole year's budget of costs per cost area (#PBUDGET of every month of the year),
 * the driftsredovisning's "Budget helår". Left out when the file has no budget or cannot
 * give December (a month-end file of a broken fiscal year). */
static void s_year_budget(report_t *r, const sie_t *s, period_t p, const mapping_t *m)
{
    sie_rows_t actual, budget;
    diag_t *scratch = diag_new();
    if (!scratch)
        return;
    int rc = sie_month_end(s, (period_t){p.year, 12}, &actual, &budget, scratch);
    diag_destroy(&scratch);
    if (rc)
        return;
    for (size_t i = 0; i < budget.n; i++) {
        const sie_row_t *row = &budget.rows[i];
        line_t line = mapping_line(m, row->account);
        if (row->object < 0 || (size_t)row->object >= r->sub.n_cost_areas ||
            !mapping_is_cost_line(line) || line == LINE_CLOSING)
            continue;
        Samla__V1__CostArea *a = &r->areas[row->object];
        if (__builtin_add_overflow(a->budget_year_costs,
                                   mapping_report_sign(line) * row->amount,
                                   &a->budget_year_costs))
            budget.n = 0; /* beyond any real budget: leave it out rather than wrap */
    }
    for (size_t i = 0; budget.n && i < r->sub.n_cost_areas; i++)
        r->areas[i].has_budget_year_costs = 1;
    free(actual.rows);
    free(budget.rows);
}

/* Last year's closing figures per line, for the printout's "fg. år" columns: #RES -1 for
 * the income statement; #UB -1 for the balance sheet when it balances (with last year's
 * result in equity when the closing entry is not in #UB -1, as for this year). */
static void s_last_year(report_t *r, const mapping_t *m)
{
    samla__v1__ledger__init(&r->prev_lines);
    sie_rows_t rows;
    if (sie_last_year(r->sie, &rows))
        return;
    int64_t result_bookkeeping = 0;
    bool balance = false;
    for (size_t i = 0; i < rows.n; i++) {
        line_t line = mapping_line(m, rows.rows[i].account);
        protobuf_c_boolean *has;
        int64_t *slot = mapping_line_slot(&r->prev_lines, line, &has);
        if (slot)
            *slot += mapping_report_sign(line) * rows.rows[i].amount, *has = 1;
        if (mapping_is_result_line(line) || (line == LINE_NONE && rows.rows[i].account >= 3000)) {
            result_bookkeeping += rows.rows[i].amount;
            r->has_prev_result = true;
        } else if (slot) {
            balance = true;
        }
    }
    free(rows.rows);
    figures_sums_t sum = figures_ledger_sums(&r->prev_lines);
    if (balance && sum.assets != sum.claims &&
        sum.assets - sum.claims == mapping_report_sign(LINE_equity) * result_bookkeeping)
        r->prev_lines.equity += mapping_report_sign(LINE_equity) * result_bookkeeping;
    sum = figures_ledger_sums(&r->prev_lines);
    r->has_prev_balance = balance && sum.assets == sum.claims;
}

/* What the submission carries of last year (samla statements' "Fg. år"): the income
 * statement's lines when #RES -1 gave them, the balance sheet's when #UB -1 balances. */
static void s_send_last_year(report_t *r)
{
    r->sent_prev = r->prev_lines;
    for (size_t i = 0; i < figure_line_count; i++) {
        figure_kind_t k = figure_lines[i].kind;
        bool balance = k == FIG_ASSET || k == FIG_EQUITY || k == FIG_LIABILITY;
        protobuf_c_boolean *has;
        int64_t *v = figures_line_slot(&r->sent_prev, i, &has);
        if (k == FIG_BUDGET || (balance ? !r->has_prev_balance : !r->has_prev_result))
            *v = 0, *has = 0;
    }
    if (r->has_prev_result || r->has_prev_balance)
        r->sub.last_year = &r->sent_prev;
}

/* The printout's headings: the months summed, the period's last day and last year's. */
static void s_headings(report_t *r, period_t p)
{
    int start, end;
    if (sie_year0(r->sie, &start, &end) != 0)
        start = p.year * 10000 + 101;
    int sy = start / 10000, sm = start / 100 % 100;
    if (sm < 1 || sm > 12)
        sm = 1;
    if (sy == p.year)
        snprintf(r->range, sizeof r->range, "%s–%s %d", period_month_abbr[sm - 1],
                 period_month_abbr[p.month - 1], p.year);
    else
        snprintf(r->range, sizeof r->range, "%s %d–%s %d", period_month_abbr[sm - 1], sy,
                 period_month_abbr[p.month - 1], p.year);
    int e = period_end_date(p);
    snprintf(r->end_head, sizeof r->end_head, "%04d-%02d-%02d", e / 10000, e / 100 % 100,
             e % 100);
    /* last year ends the day before this one starts */
    period_t last = sm == 1 ? (period_t){sy - 1, 12} : (period_t){sy, sm - 1};
    int le = period_end_date(last);
    snprintf(r->prev_end_head, sizeof r->prev_end_head, "%04d-%02d-%02d", le / 10000,
             le / 100 % 100, le % 100);
    if (sm == 1)
        snprintf(r->prev_head, sizeof r->prev_head, _("Helår %d"), sy - 1);
    else
        snprintf(r->prev_head, sizeof r->prev_head, "%s", _("Fg. år"));
}

report_t *report_build(const sie_t *s, const mapping_t *m, const part_table_t *parts,
                       period_t p, const char *orgnr, diag_t *d)
{
    sie_rows_t actual, budget;
    if (sie_month_end(s, p, &actual, &budget, d))
        return NULL;
    report_t *r = calloc(1, sizeof *r);
    if (!r) {
        free(actual.rows);
        free(budget.rows);
        return NULL;
    }
    r->sie = s;
    samla__v1__submission__init(&r->sub);
    samla__v1__ledger__init(&r->forecast_lines);
    period_format(p, r->period, sizeof r->period);
    snprintf(r->orgnr, sizeof r->orgnr, "%s", orgnr);
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(r->created, sizeof r->created, "%Y-%m-%dT%H:%M:%SZ", &tm);
    r->sub.orgnr = r->orgnr;
    r->sub.period = r->period;
    r->sub.created_at = r->created;
    r->sub.software = "samla-agent " SAMLA_VERSION;
    s_ledger(r, &actual, &budget, m, d);
    r->sub.ledger = &r->ledger;
    if (mapping_members(m))
        members_fill(mapping_members(m), &actual, &r->ledger);
    r->sub.budget_lines = r->has_budget ? &r->budget_lines : NULL;
    s_last_year(r, m);
    s_send_last_year(r);
    s_headings(r, p);
    int rc = s_areas(r, &actual, &budget, m);
    if (rc == 0)
        s_year_budget(r, s, p, m);
    if (rc == 0 && parts) {
        rc = s_participants(r, parts);
        s_match_interventions(s, parts, d);
        s_match_cost_areas(r, parts, d);
    }
    free(actual.rows);
    free(budget.rows);
    if (rc) {
        diag_add(d, DIAG_ERROR, NULL, 0, "out of memory");
        report_destroy(&r);
    }
    return r;
}

/* The income line a forecast row names instead of a cost area: its Ledger name
 * ("contributions_state") or the label the printout gives it ("Medlemsbidrag staten"),
 * letters in either case; -1 when none. */
static long s_income_line(const char *code)
{
    for (size_t i = 0; i < figure_line_count; i++) {
        figure_kind_t k = figure_lines[i].kind;
        if ((k == FIG_CONTRIBUTION || k == FIG_INCOME || k == FIG_FIN_INCOME) &&
            (strcasecmp(code, figure_lines[i].name) == 0 ||
             strcasecmp(code, figure_lines[i].label) == 0))
            return (long)i;
    }
    return -1;
}

int report_apply_forecast(report_t *self, const forecast_t *f, const char *display, diag_t *d)
{
    int rc = 0;
    for (size_t i = 0; i < f->n; i++) {
        Samla__V1__CostArea *a = NULL;
        for (size_t k = 0; k < self->sub.n_cost_areas && !a; k++)
            if (strcmp(self->areas[k].code, f->rows[i].code) == 0)
                a = &self->areas[k];
        long line = a ? -1 : s_income_line(f->rows[i].code);
        if (line >= 0) { /* a forecast of income: the result gets one too */
            protobuf_c_boolean *has;
            int64_t *v = figures_line_slot(&self->forecast_lines, (size_t)line, &has);
            *v = f->rows[i].ore;
            *has = 1;
            self->sub.forecast_lines = &self->forecast_lines;
            continue;
        }
        if (!a) {
            rc = diag_add(d, DIAG_ERROR, display, f->rows[i].line,
                          "%s is neither a cost area (object) of the ledger nor an income line "
                          "(such as \"Medlemsbidrag staten\")", f->rows[i].code);
            continue;
        }
        a->has_forecast_costs = 1;
        a->forecast_costs = f->rows[i].ore;
    }
    return rc;
}

void report_destroy(report_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    report_t *r = *self_p;
    free(r->areas);
    free(r->area_ptrs);
    free(r->rows);
    free(r->row_ptrs);
    free(r);
    *self_p = NULL;
}

const Samla__V1__Ledger *report_budget_lines(const report_t *self)
{
    return self->has_budget ? &self->budget_lines : NULL;
}

const Samla__V1__Ledger *report_last_year(const report_t *self, int *result, int *balance)
{
    *result = self->has_prev_result;
    *balance = self->has_prev_balance;
    return self->has_prev_result || self->has_prev_balance ? &self->prev_lines : NULL;
}

const Samla__V1__Submission *report_submission(const report_t *self)
{
    return &self->sub;
}

/* --- the printout: the statements as a board reads them --------------------------------- */

/* Columns of an amount row: this year, its budget, last year; the deviation is printed
 * from the first two. */
enum { S_OUT, S_BUDGET, S_PREV, S_COLS };

/* One printed row. Amounts in report sign as printed (costs negative in the income
 * statement). kr[] is whole kronor, rounded once per block by s_round so that rows add
 * up: a total row sums the kronor of the rows from `from` up to it. */
typedef struct {
    const char *label; /* borrowed */
    int64_t ore[S_COLS], kr[S_COLS];
    bool sum;
    size_t from;       /* a total: the first row it adds up */
} s_row_t;

#define S_COUNT(name, kind, label) +1
enum { S_LEDGER_LINES = 0 FIGURES_LEDGER(S_COUNT), S_MAX_ROWS = S_LEDGER_LINES + 8 };
#undef S_COUNT

#define S_LABEL 44
#define S_AMOUNT 13
#define S_AREA (S_LABEL + S_AMOUNT - 9) /* the driftsredovisning's names, then its class */

/* Whole kronor for the rows [from, to) of a block, column by column: the lines with
 * money_apportion (the lines add up to their exact sum, rounded), then each total from
 * the lines it closes. A balance sheet rounds each side on its own: both sides are the
 * same sum of öre, so their totals are the same whole kronor (apportioned together, the
 * extra krona of the pair could fall on either side: 1 616 471 against 1 616 472). */
static void s_round(s_row_t *rows, size_t from, size_t to)
{
    int64_t ore[S_MAX_ROWS], kr[S_MAX_ROWS];
    size_t idx[S_MAX_ROWS];
    for (int c = 0; c < S_COLS; c++) {
        size_t k = 0;
        for (size_t i = from; i < to && k < S_MAX_ROWS; i++)
            if (!rows[i].sum)
                idx[k] = i, ore[k++] = rows[i].ore[c];
        money_apportion(ore, k, kr);
        for (size_t i = 0; i < k; i++)
            rows[idx[i]].kr[c] = kr[i];
        for (size_t i = from; i < to; i++)
            if (rows[i].sum) {
                rows[i].kr[c] = 0;
                for (size_t j = rows[i].from; j < i; j++)
                    rows[i].kr[c] += rows[j].sum ? 0 : rows[j].kr[c];
            }
    }
}

static size_t s_sum_row(s_row_t *rows, size_t n, size_t from, const char *label)
{
    rows[n] = (s_row_t){.label = label, .sum = true, .from = from};
    return n + 1;
}

/* A label indented in `width` columns, word-wrapped: every line but the last printed
 * whole, the last padded for what follows it. A word longer than the column stands whole
 * on a line of its own (a name is never cut). */
static void s_label(FILE *out, const char *text, size_t indent, size_t width)
{
    size_t room = width - 1 - indent;
    char line[S_LABEL * 4 + 8] = "";
    for (const char *p = text; *p;) {
        while (*p == ' ')
            p++;
        size_t n = strcspn(p, " ");
        if (!n)
            break;
        char word[S_LABEL * 4];
        snprintf(word, sizeof word, "%.*s", (int)(n < sizeof word - 1 ? n : sizeof word - 1),
                 p);
        p += n;
        if (*line && text_width(line) + 1 + text_width(word) > room) {
            fprintf(out, "%*s%s\n", (int)indent, "", line);
            line[0] = '\0';
        }
        size_t len = strlen(line);
        snprintf(line + len, sizeof line - len, "%s%s", len ? " " : "", word);
    }
    if (text_width(line) > room) { /* a word longer than the column: whole, on a line alone */
        fprintf(out, "%*s%s\n", (int)indent, "", line);
        line[0] = '\0';
    }
    fprintf(out, "%*s", (int)indent, "");
    text_pad(out, line, room);
    fputc(' ', out);
}

static void s_amount(FILE *out, int64_t kr)
{
    char buf[48];
    money_format_sv(kr * 100, 0, buf, sizeof buf);
    text_rpad(out, buf, S_AMOUNT);
}

/* Prints rows with the columns asked for: budget adds Budget and Avvikelse (outcome -
 * budget: more income or less cost than planned is positive). */
static void s_rows(FILE *out, const s_row_t *rows, size_t n, bool budget, bool prev)
{
    for (size_t i = 0; i < n; i++) {
        const s_row_t *r = &rows[i];
        if (!r->sum && !r->ore[S_OUT] && (!budget || !r->ore[S_BUDGET]) &&
            (!prev || !r->ore[S_PREV]))
            continue; /* a line with nothing in it */
        s_label(out, r->label, r->sum ? 2 : 4, S_LABEL);
        s_amount(out, r->kr[S_OUT]);
        if (budget) {
            s_amount(out, r->kr[S_BUDGET]);
            s_amount(out, r->kr[S_OUT] - r->kr[S_BUDGET]);
        }
        if (prev)
            s_amount(out, r->kr[S_PREV]);
        fputc('\n', out);
    }
}

static void s_heads(FILE *out, const char *title, const char *const *heads, size_t n)
{
    fprintf(out, "\n%s", title);
    fprintf(out, "%*s", (int)(S_LABEL - text_width(title)), "");
    for (size_t i = 0; i < n; i++)
        text_rpad(out, heads[i], S_AMOUNT);
    fputc('\n', out);
}

/* The detail rows of the lines of one kind; costs negative as the statement prints them. */
static size_t s_kind_rows(const report_t *r, figure_kind_t kind, s_row_t *rows, size_t n)
{
    int sign = figures_kind_is_cost(kind) ? -1 : 1;
    for (size_t i = 0; i < figure_line_count && n < S_MAX_ROWS - 1; i++)
        if (figure_lines[i].kind == kind)
            rows[n++] = (s_row_t){
                .label = _(figure_lines[i].label), /* N_ in figures.h's list */
                .ore = {sign * figures_line_value(&r->ledger, i),
                        sign * figures_line_value(&r->budget_lines, i),
                        sign * figures_line_value(&r->prev_lines, i)}};
    return n;
}

static void s_income_statement(const report_t *r, FILE *out)
{
    s_row_t rows[S_MAX_ROWS];
    size_t n = 0;
    n = s_kind_rows(r, FIG_CONTRIBUTION, rows, n);
    n = s_kind_rows(r, FIG_INCOME, rows, n);
    n = s_sum_row(rows, n, 0, _("Summa verksamhetens intäkter"));
    size_t costs = n;
    n = s_kind_rows(r, FIG_COST, rows, n);
    n = s_sum_row(rows, n, costs, _("Summa verksamhetens kostnader"));
    n = s_kind_rows(r, FIG_FIN_INCOME, rows, n);
    n = s_kind_rows(r, FIG_FIN_COST, rows, n);
    n = s_sum_row(rows, n, 0, _("Periodens resultat"));
    s_round(rows, 0, n);
    const char *heads[4] = {_("Utfall")};
    size_t nh = 1;
    if (r->has_budget)
        heads[nh++] = _("Budget"), heads[nh++] = _("Avvikelse");
    if (r->has_prev_result)
        heads[nh++] = r->prev_head;
    s_heads(out, _("RESULTATRÄKNING"), heads, nh);
    s_rows(out, rows, n, r->has_budget, r->has_prev_result);
}

static void s_balance_sheet(const report_t *r, FILE *out)
{
    s_row_t rows[S_MAX_ROWS];
    size_t n = s_kind_rows(r, FIG_ASSET, rows, 0);
    n = s_sum_row(rows, n, 0, _("Summa tillgångar"));
    size_t claims = n;
    n = s_kind_rows(r, FIG_EQUITY, rows, n);
    n = s_kind_rows(r, FIG_LIABILITY, rows, n);
    n = s_sum_row(rows, n, claims, _("Summa eget kapital och skulder"));
    s_round(rows, 0, claims);
    s_round(rows, claims, n);
    const char *heads[2] = {r->end_head, r->prev_end_head};
    s_heads(out, _("BALANSRÄKNING"), heads, r->has_prev_balance ? 2 : 1);
    s_rows(out, rows, n, false, r->has_prev_balance);
}

/* The class of a cost area as the driftsredovisning names it. */
static const char *s_class_sv(Samla__V1__AreaClass c)
{
    switch (c) {
    case SAMLA__V1__AREA_CLASS__AREA_ADMIN: return _("Adm.");
    case SAMLA__V1__AREA_CLASS__AREA_STRUCTURAL: return _("Struktur");
    case SAMLA__V1__AREA_CLASS__AREA_INDIVIDUAL: return _("Individ");
    default: return _("Övrigt");
    }
}

/* The sum of the ledger's lines of one kind (report sign: costs and income positive). */
static int64_t s_kind_sum(const Samla__V1__Ledger *l, figure_kind_t kind)
{
    int64_t sum = 0;
    for (size_t i = 0; i < figure_line_count; i++)
        if (figure_lines[i].kind == kind)
            sum += figures_line_value(l, i);
    return sum;
}

#define S_AREA_AMT 12 /* five amounts of 12 after 39 columns of name and class: 99 */
#define S_AREA_NAME 30

static void s_area_amounts(FILE *out, const int64_t *ore, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char buf[48];
        money_format_sv(ore[i], 0, buf, sizeof buf); /* each rounded once, as every view */
        text_rpad(out, buf, S_AREA_AMT);
    }
    fputc('\n', out);
}

/* The driftsredovisning as `samla areas` and the report show it (issue 29): per cost area
 * its costs, the income booked on it and its net cost, the budget of costs of the same
 * months and the deviation (budget - costs: under budget is positive); then what lies
 * outside every area, so that the costs and income meet the income statement. */
static void s_areas_print(const report_t *r, FILE *out)
{
    size_t n = r->sub.n_cost_areas;
    if (n == 0) {
        fputs(_("\nDRIFTSREDOVISNING: bokföringen har inga kostnadsområden (#DIM 1 / #OBJEKT)\n"),
              out);
        return;
    }
    const char *heads[] = {_("Kostnader"), _("Intäkter"), _("Netto"), _("Budget"),
                           _("Avvikelse")};
    fputs(_("\nDRIFTSREDOVISNING (per kostnadsområde; budget och avvikelse för kostnaderna)\n"),
          out);
    text_pad(out, _("  Kostnadsområde"), S_AREA_NAME);
    text_pad(out, _("Klass"), 9);
    for (size_t i = 0; i < 5; i++)
        text_rpad(out, heads[i], S_AREA_AMT);
    fputc('\n', out);
    int64_t sum[5] = {0};
    for (size_t i = 0; i < n; i++) {
        const Samla__V1__CostArea *a = r->sub.cost_areas[i];
        char label[512];
        snprintf(label, sizeof label, "%s %s", a->code, a->name ? a->name : "");
        s_label(out, label, 4, S_AREA_NAME);
        text_pad(out, s_class_sv(a->class_), 9);
        int64_t row[5] = {a->costs, a->income, a->costs - a->income, a->budget_costs,
                          a->budget_costs - a->costs};
        for (int c = 0; c < 5; c++)
            sum[c] += row[c];
        s_area_amounts(out, row, 5);
    }
    text_pad(out, _("  Summa kostnadsområden"), S_AREA_NAME + 9);
    s_area_amounts(out, sum, 5);
    /* outside every area: the income statement's costs (operating and financial) and
     * income (contributions, other and financial) less what the areas carry */
    const Samla__V1__Ledger *l = &r->ledger;
    int64_t costs = s_kind_sum(l, FIG_COST) + s_kind_sum(l, FIG_FIN_COST);
    int64_t income = s_kind_sum(l, FIG_CONTRIBUTION) + s_kind_sum(l, FIG_INCOME) +
                     s_kind_sum(l, FIG_FIN_INCOME);
    int64_t outside[3] = {costs - sum[0], income - sum[1], costs - sum[0] - (income - sum[1])};
    int64_t all[3] = {costs, income, costs - income};
    s_label(out, _("Utanför kostnadsområden"), 4, S_AREA_NAME + 9);
    s_area_amounts(out, outside, 3);
    s_label(out, _("Enligt resultaträkningen"), 2, S_AREA_NAME + 9);
    s_area_amounts(out, all, 3);
}

/* An amount of the forecast's table, whole kronor; "–" when there is none. */
static void s_opt_amount(FILE *out, bool has, int64_t ore)
{
    char buf[48] = "–";
    if (has)
        money_format_sv(ore, 0, buf, sizeof buf);
    text_rpad(out, buf, S_AREA_AMT);
}

/* The year's budget, the forecast and their difference: one line of the forecast table. */
static void s_forecast_line(FILE *out, bool has_budget, int64_t budget, int64_t forecast)
{
    s_opt_amount(out, has_budget, budget);
    s_opt_amount(out, true, forecast);
    s_opt_amount(out, has_budget, budget - forecast);
    fputc('\n', out);
}

/* The full-year forecast that goes with the month (--forecast), per cost area that has
 * one, beside the year's budget where the file gives it: what the förbund sends is what
 * it sees. Nothing when no area has a forecast. */
static void s_forecast_print(const report_t *r, FILE *out)
{
    size_t n = r->sub.n_cost_areas, with = 0;
    for (size_t i = 0; i < n; i++)
        with += r->sub.cost_areas[i]->has_forecast_costs;
    if (!with)
        return;
    fputs(_("\nPROGNOS HELÅR (kostnader per kostnadsområde, skickas med månaden)\n"), out);
    text_pad(out, _("  Kostnadsområde"), S_AREA_NAME + 9);
    text_rpad(out, _("Årsbudget"), S_AREA_AMT);
    text_rpad(out, _("Prognos"), S_AREA_AMT);
    text_rpad(out, _("Avvikelse"), S_AREA_AMT);
    fputc('\n', out);
    int64_t budget = 0, forecast = 0;
    bool all_budget = true;
    for (size_t i = 0; i < n; i++) {
        const Samla__V1__CostArea *a = r->sub.cost_areas[i];
        if (!a->has_forecast_costs)
            continue;
        char label[512];
        snprintf(label, sizeof label, "%s %s", a->code, a->name ? a->name : "");
        s_label(out, label, 4, S_AREA_NAME + 9);
        s_forecast_line(out, a->has_budget_year_costs, a->budget_year_costs, a->forecast_costs);
        all_budget &= a->has_budget_year_costs;
        budget += a->budget_year_costs;
        forecast += a->forecast_costs;
    }
    text_pad(out, _("  Summa"), S_AREA_NAME + 9);
    s_forecast_line(out, all_budget, budget, forecast);
}

/* The income lines of the forecast, when the file gives any (the result's forecast in
 * samla statements comes from them). */
static void s_forecast_income_print(const report_t *r, FILE *out)
{
    if (!r->sub.forecast_lines)
        return;
    fputs(_("\nPROGNOS HELÅR (intäkter, skickas med månaden)\n"), out);
    for (size_t i = 0; i < figure_line_count; i++) {
        protobuf_c_boolean *has;
        int64_t v = *figures_line_slot((Samla__V1__Ledger *)r->sub.forecast_lines, i, &has);
        if (!*has)
            continue;
        s_label(out, _(figure_lines[i].label), 4, S_AREA_NAME + 9);
        s_opt_amount(out, true, v);
        fputc('\n', out);
    }
}

static void s_people(FILE *out, const char *label, int64_t women, int64_t men, int64_t all)
{
    fputs("    ", out);
    text_pad(out, label, S_LABEL - 4);
    fprintf(out, "%*lld%*lld%*lld\n", S_AMOUNT, (long long)women, S_AMOUNT, (long long)men,
            S_AMOUNT, (long long)all);
}

static void s_participants_print(const report_t *r, FILE *out)
{
    if (!r->sub.n_participants) {
        fputs(_("\nDELTAGARE: ingen deltagarfil angiven (--participants)\n"), out);
        return;
    }
    figures_t f;
    diag_t *scratch = diag_new();
    if (!scratch)
        return;
    figures_from_submission(&r->sub, &f, scratch);
    diag_destroy(&scratch);
    const char *heads[] = {_("Kvinnor"), _("Män"), _("Totalt")};
    s_heads(out, _("DELTAGARE i individinsatser"), heads, 3);
    /* totals include those whose gender is not given (ej_angivet) */
    s_people(out, _("Aktuella vid årets start"), f.p_women - f.p_new_women,
             f.p_men - f.p_new_men, f.p_start);
    s_people(out, _("Nya"), f.p_new_women, f.p_new_men, f.p_new);
    s_people(out, _("Avslutade"), f.p_ended_women, f.p_ended_men, f.p_ended);
    s_people(out, _("Aktuella"), f.p_end_women, f.p_end_men, f.p_end);
    s_people(out, _("Deltagare (aktuella vid start + nya)"), f.p_women, f.p_men,
             f.p_start + f.p_new);
    s_people(out, _("Avslut till arbete eller studier"), f.p_wos_women, f.p_wos_men,
             f.p_work_or_studies);
}

void report_print(const report_t *self, const char *source, FILE *out)
{
    const char *company = sie_company(self->sie);
    fprintf(out, "%s, %s\n", company ? company : _("(ingen #FNAMN)"), self->orgnr);
    fprintf(out, _("Ackumulerat %s, kronor%s\n"), self->range,
            self->has_prev_result ? _("; fg. år ur filens #RES -1 och #UB -1") : "");
    fprintf(out, _("Källa: %s: SIE typ %d, %s, %zu verifikationer, månadsbelopp ur %s%s\n"),
            source, sie_type(self->sie), sietext_encoding_name(sie_encoding(self->sie)),
            sie_voucher_count(self->sie),
            sie_uses_psaldo(self->sie)      ? "#PSALDO"
            : sie_voucher_count(self->sie) ? _("#IB och #TRANS")
                                           : _("#UB och #RES"),
            sie_checksum_verified(self->sie) ? _(", #KSUMMA stämmer") : "");
    s_income_statement(self, out);
    s_balance_sheet(self, out);
    s_areas_print(self, out);
    s_forecast_print(self, out);
    s_forecast_income_print(self, out);
    s_participants_print(self, out);
}
