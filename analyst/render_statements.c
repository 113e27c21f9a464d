/* render_statements: a förbund's statements (samla statements) as a table, CSV and JSON;
 * every cell from common/statements.c, so that the formats (and the workbook,
 * render_xlsx.c) show the same whole kronor that add up. */
#include <stdio.h>
#include <string.h>

#include "render.h"
#include "samla/money.h"
#include "samla/period.h"
#include "samla/statements.h"
#include "samla/text.h"

/* The label's columns and each figure's (with the space before it): 38 + 4 x 12 + 14 = 100,
 * room for "Prognos helår" and for -12 345 678 kronor. */
enum { S_LABEL = 38 };
static const int s_width[STMT_COLS] = {12, 12, 12, 14, 12};

/* The column heads of a section: Utfall, Budget, …; the balance sheet's are the dates of
 * the period's end and last year's end; last year's column says what it holds. */
static void s_heads(const Samla__V1__Statements *r, stmt_section_t sec,
                    char heads[STMT_COLS][24])
{
    period_t p = {0, 12};
    if (period_parse(r->period, &p))
        p = (period_t){0, 12};
    snprintf(heads[STMT_OUTCOME], 24, "Utfall");
    snprintf(heads[STMT_BUDGET], 24, "Budget");
    snprintf(heads[STMT_DEVIATION], 24, "Avvikelse");
    snprintf(heads[STMT_FORECAST], 24, "Prognos helår");
    if (r->last_year_basis && strcmp(r->last_year_basis, "full_year") == 0)
        snprintf(heads[STMT_LAST_YEAR], 24, "Helår %d", p.year - 1);
    else
        snprintf(heads[STMT_LAST_YEAR], 24, "Fg. år");
    if (sec == STMT_BALANCE) {
        snprintf(heads[STMT_OUTCOME], 24, "%04d-%02d-%02d", p.year, p.month,
                 period_last_day(p));
        snprintf(heads[STMT_LAST_YEAR], 24, "%04d-12-31", p.year - 1);
    }
    if (sec == STMT_CASH_FLOW)
        snprintf(heads[STMT_OUTCOME], 24, "Belopp");
}

static void s_cell(FILE *out, int width, bool has, int64_t kr)
{
    char buf[40];
    if (has)
        money_format_sv(kr * 100, 0, buf, sizeof buf);
    else
        snprintf(buf, sizeof buf, "–");
    fprintf(out, " %*s", width - 1 + (int)(strlen(buf) - text_width(buf)), buf);
}

void render_statements_table(const Samla__V1__Statements *r, FILE *out)
{
    period_t p = {0, 12};
    if (period_parse(r->period, &p))
        p = (period_t){0, 12};
    fprintf(out, "%s, %s\n", r->name ? r->name : "", r->orgnr);
    if (!r->revision) {
        fprintf(out, "Ingen rapport för %s.\n", r->period);
        return;
    }
    fprintf(out, "Ackumulerat %s%s%s %d, kronor (revision %u)", period_month_abbr[0],
            p.month > 1 ? "–" : "", p.month > 1 ? period_month_abbr[p.month - 1] : "", p.year,
            r->revision);
    if (r->last_year_basis && strcmp(r->last_year_basis, "full_year") == 0)
        fprintf(out, "; fg. år ur filens #RES -1 och #UB -1 (helår)");
    fputc('\n', out);
    stmt_t s;
    if (stmt_build(r, &s)) {
        fputs("(slut på minne)\n", out);
        return;
    }
    for (int sec = 0; sec < STMT_SECTIONS; sec++) {
        char heads[STMT_COLS][24];
        s_heads(r, (stmt_section_t)sec, heads);
        size_t shown = 0;
        for (size_t i = 0; i < s.n; i++)
            shown += s.rows[i].section == (stmt_section_t)sec;
        if (!shown)
            continue;
        fputc('\n', out);
        text_pad(out, stmt_section_title((stmt_section_t)sec), S_LABEL);
        for (int c = 0; c < STMT_COLS; c++)
            if (stmt_section_has((stmt_section_t)sec, (stmt_col_t)c))
                fprintf(out, " %*s", s_width[c] - 1 + (int)(strlen(heads[c]) -
                                                             text_width(heads[c])), heads[c]);
        fputc('\n', out);
        for (size_t i = 0; i < s.n; i++) {
            const stmt_row_t *w = &s.rows[i];
            if (w->section != (stmt_section_t)sec)
                continue;
            fputs(w->sum ? "  " : "    ", out);
            text_pad(out, w->label, S_LABEL - (w->sum ? 2 : 4));
            for (int c = 0; c < STMT_COLS; c++)
                if (stmt_section_has((stmt_section_t)sec, (stmt_col_t)c))
                    s_cell(out, s_width[c], w->has[c], w->kr[c]);
            fputc('\n', out);
        }
    }
    stmt_free(&s);
}

static const char *const s_col_keys[STMT_COLS] = {"outcome", "budget", "deviation",
                                                  "forecast", "last_year"};

void render_statements_csv(const Samla__V1__Statements *r, csvw_t *w)
{
    static const csvw_col_t cols[] = {
        {"orgnr", "Organisationsnummer"}, {"period", "Period"}, {"section", "Del"},
        {"line", "Rad"},                  {"label", "Benämning"}, {"outcome", "Utfall, kr"},
        {"budget", "Budget, kr"},         {"deviation", "Avvikelse, kr"},
        {"forecast", "Prognos helår, kr"}, {"last_year", "Fg. år, kr"}};
    csvw_heads(w, cols, sizeof cols / sizeof cols[0]);
    stmt_t s;
    if (!r->revision || stmt_build(r, &s))
        return;
    for (size_t i = 0; i < s.n; i++) {
        const stmt_row_t *row = &s.rows[i];
        csvw_text(w, r->orgnr);
        csvw_text(w, r->period);
        csvw_pick(w, stmt_section_key(row->section), stmt_section_title(row->section));
        csvw_text(w, row->line);
        csvw_text(w, row->label);
        for (int c = 0; c < STMT_COLS; c++)
            csvw_ore(w, row->has[c], row->kr[c] * 100);
        csvw_end(w);
    }
    stmt_free(&s);
}

void render_statements_json(const Samla__V1__Statements *r, FILE *out)
{
    json_t *root = json_pack("{s:s, s:s, s:s, s:i}", "orgnr", r->orgnr, "name",
                             r->name ? r->name : "", "period", r->period, "revision",
                             (json_int_t)r->revision);
    json_object_set_new(root, "last_year_basis",
                        r->last_year_basis ? json_string(r->last_year_basis) : json_null());
    stmt_t s = {0};
    if (r->revision && stmt_build(r, &s) == 0) {
        for (int sec = 0; sec < STMT_SECTIONS; sec++) {
            json_t *v = sec == STMT_SUMMARY ? json_object() : json_array();
            for (size_t i = 0; i < s.n; i++) {
                const stmt_row_t *row = &s.rows[i];
                if (row->section != (stmt_section_t)sec)
                    continue;
                json_t *o = json_pack("{s:s, s:s}", "line", row->line, "label", row->label);
                for (int c = 0; c < STMT_COLS; c++)
                    if (stmt_section_has((stmt_section_t)sec, (stmt_col_t)c))
                        json_object_set_new(o, sec == STMT_BALANCE && c == STMT_OUTCOME
                                                   ? "end"
                                               : sec == STMT_BALANCE ? "last_year_end"
                                               : sec == STMT_CASH_FLOW ? "amount"
                                                                       : s_col_keys[c],
                                            row->has[c] ? json_real((double)row->kr[c])
                                                        : json_null());
                if (sec == STMT_SUMMARY)
                    json_object_set_new(v, row->line, o);
                else
                    json_array_append_new(v, o);
            }
            json_object_set_new(root, stmt_section_key((stmt_section_t)sec), v);
        }
        stmt_free(&s);
    }
    render_json_dump(root, out);
}
