#include "report.h"

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
};

static int s_ledger(report_t *r, const sie_rows_t *actual, const sie_rows_t *budget,
                    const mapping_t *m, diag_t *d)
{
    Samla__V1__Ledger *l = &r->ledger;
    samla__v1__ledger__init(l);
    int64_t result_bookkeeping = 0; /* every result account, debit-positive */
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
    /* Until the books are closed the year's result sits in classes 3-8; equity includes
     * it. Once closed, 89xx moves it to 20xx and the sum of classes 3-8 is zero. */
    l->equity += mapping_report_sign(LINE_equity) * result_bookkeeping;
    l->has_equity = 1;
    for (size_t i = 0; i < budget->n; i++) {
        const sie_row_t *row = &budget->rows[i];
        line_t line = mapping_line(m, row->account);
        if (row->object >= 0 || !mapping_is_result_line(line) || line == LINE_CLOSING)
            continue;
        int64_t v = mapping_report_sign(line) * row->amount;
        if (mapping_is_cost_line(line))
            l->budget_costs += v;
        else
            l->budget_income += v;
    }
    l->has_budget_costs = l->has_budget_income = 1;
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
    if (assets != claims) {
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
    return 0;
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
        r->row_ptrs[i] = p;
    }
    r->sub.n_participants = t->n;
    r->sub.participants = r->row_ptrs;
    return 0;
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
    int rc = s_areas(r, &actual, &budget, m);
    if (rc == 0)
        s_year_budget(r, s, p, m);
    if (rc == 0 && parts) {
        rc = s_participants(r, parts);
        s_match_interventions(s, parts, d);
    }
    free(actual.rows);
    free(budget.rows);
    if (rc) {
        diag_add(d, DIAG_ERROR, NULL, 0, "out of memory");
        report_destroy(&r);
    }
    return r;
}

int report_apply_forecast(report_t *self, const forecast_t *f, const char *display, diag_t *d)
{
    int rc = 0;
    for (size_t i = 0; i < f->n; i++) {
        Samla__V1__CostArea *a = NULL;
        for (size_t k = 0; k < self->sub.n_cost_areas && !a; k++)
            if (strcmp(self->areas[k].code, f->rows[i].code) == 0)
                a = &self->areas[k];
        if (!a) {
            rc = diag_add(d, DIAG_ERROR, display, f->rows[i].line,
                          "cost area %s is not an object of the ledger", f->rows[i].code);
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

const Samla__V1__Submission *report_submission(const report_t *self)
{
    return &self->sub;
}

static void s_line(FILE *out, const char *sv, const char *en, int64_t ore)
{
    char amt[48];
    money_format_sv(ore, 1, amt, sizeof amt);
    fputs("  ", out);
    text_pad(out, sv, 35);
    text_pad(out, en, 29);
    fprintf(out, "%16s\n", amt);
}

/* Every line of one kind, costs as negative numbers as the income statement shows them. */
static void s_lines(FILE *out, const Samla__V1__Ledger *l, figure_kind_t kind)
{
    for (size_t i = 0; i < figure_line_count; i++)
        if (figure_lines[i].kind == kind)
            s_line(out, figure_lines[i].label, figure_lines[i].name,
                   (figures_kind_is_cost(kind) ? -1 : 1) * figures_line_value(l, i));
}

void report_print(const report_t *self, const char *source, FILE *out)
{
    const Samla__V1__Ledger *l = &self->ledger;
    const char *company = sie_company(self->sie);
    fprintf(out, "%s (%s), %s, year to date\n", company ? company : "(no #FNAMN)", self->orgnr,
            self->period);
    fprintf(out, "Source: %s: SIE type %d, %s, %zu vouchers, month figures from %s%s\n\n",
            source, sie_type(self->sie), sietext_encoding_name(sie_encoding(self->sie)),
            sie_voucher_count(self->sie),
            sie_uses_psaldo(self->sie)      ? "#PSALDO"
            : sie_voucher_count(self->sie) ? "#IB and #TRANS"
                                           : "#UB and #RES",
            sie_checksum_verified(self->sie) ? ", #KSUMMA verified" : "");
    figures_sums_t sum = figures_ledger_sums(l);
    fprintf(out, "RESULTATRÄKNING (income statement)%48s\n", "kr");
    s_lines(out, l, FIG_CONTRIBUTION);
    s_lines(out, l, FIG_INCOME);
    s_line(out, "Summa verksamhetens intäkter", "revenue", sum.revenue);
    s_lines(out, l, FIG_COST);
    s_line(out, "Summa verksamhetens kostnader", "costs", -sum.costs);
    s_lines(out, l, FIG_FIN_INCOME);
    s_lines(out, l, FIG_FIN_COST);
    s_line(out, "Periodens resultat", "result", sum.result);
    fprintf(out, "\nBALANSRÄKNING (balance sheet)\n");
    s_lines(out, l, FIG_ASSET);
    s_line(out, "Summa tillgångar", "assets", sum.assets);
    s_lines(out, l, FIG_EQUITY);
    s_lines(out, l, FIG_LIABILITY);
    s_line(out, "Summa eget kapital och skulder", "equity_and_liabilities", sum.claims);
    fprintf(out, "\nKOSTNADSOMRÅDEN (cost areas: net cost, costs - income)\n");
    fprintf(out, "  %-31s %-10s %11s %11s %11s\n", "", "class", "Utfall", "Budget",
            "Avvikelse");
    for (size_t i = 0; i < self->sub.n_cost_areas; i++) {
        const Samla__V1__CostArea *a = self->sub.cost_areas[i];
        int64_t outcome = a->costs - a->income, plan = a->budget_costs - a->budget_income;
        char o[48], b[48], dv[48];
        money_format_sv(-outcome, 0, o, sizeof o);
        money_format_sv(-plan, 0, b, sizeof b);
        money_format_sv(plan - outcome, 0, dv, sizeof dv);
        fputs("  ", out);
        text_pad(out, a->code, 5);
        fputc(' ', out);
        text_pad(out, a->name ? a->name : "", 24);
        fprintf(out, " %-10s %11s %11s %11s\n", mapping_area_class_name(a->class_), o, b, dv);
    }
    char bc[48];
    money_format_sv(-l->budget_costs, 1, bc, sizeof bc);
    fprintf(out, "  Budget, costs + financial costs, same months: %s\n", bc);
    if (self->sub.n_participants) {
        figures_t f;
        diag_t *scratch = diag_new();
        if (scratch) {
            figures_from_submission(&self->sub, &f, scratch);
            diag_destroy(&scratch);
            fprintf(out, "\nDELTAGARE (participants, individual interventions, year to date)\n");
            fprintf(out, "  aktuella vid årets start %6lld   nya %6lld   avslutade %6lld   "
                         "aktuella %6lld\n",
                    (long long)f.p_start, (long long)f.p_new, (long long)f.p_ended,
                    (long long)f.p_end);
            fprintf(out, "  deltagare %lld (kvinnor %lld, män %lld), avslutade till arbete "
                         "eller studier %lld\n",
                    (long long)(f.p_start + f.p_new), (long long)f.p_women, (long long)f.p_men,
                    (long long)f.p_work_or_studies);
        }
    } else {
        fprintf(out, "\nDELTAGARE: no participant file given\n");
    }
}
