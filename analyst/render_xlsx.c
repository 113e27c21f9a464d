/* render_xlsx: each answer of samla as sheets of a workbook (xlsx.h). */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <xlsxwriter.h>

#include "render.h"
#include "samla/metrics.h"
#include "samla/statements.h"
#include "financing.h"
#include "samla/figures.h"
#include "xlsx.h"

#define S_HEADS_MAX (8 + 2 * METRIC_MAX)

static const char *s_status_sv(const char *s)
{
    return !s                               ? ""
           : strcmp(s, "final") == 0        ? "slutlig"
           : strcmp(s, "preliminary") == 0  ? "preliminär"
           : strcmp(s, "missing") == 0      ? "saknas"
                                            : s;
}

/* One month: a row per förbund, a column per metric; then the group's aggregates. */
static void s_month(xlsx_t *x, const Samla__V1__Compare *c, const char *sheet)
{
    const char *heads[S_HEADS_MAX];
    char names[2 * METRIC_MAX][128];
    size_t nm = c->n_forbund ? c->forbund[0]->n_metrics : 0, np = 0, n = 0;
    heads[n++] = "Förbund";
    heads[n++] = "Organisationsnummer";
    heads[n++] = "Status";
    heads[n++] = "Revision";
    for (size_t k = 0; k < nm && k < METRIC_MAX; k++) {
        xlsx_metric_head(c->forbund[0]->metrics[k]->name, names[k], sizeof names[k]);
        heads[n++] = names[k];
    }
    np = c->n_forbund ? c->forbund[0]->n_previous_year : 0;
    for (size_t k = 0; k < np && k < METRIC_MAX; k++) {
        char h[96];
        xlsx_metric_head(c->forbund[0]->previous_year[k]->name, h, sizeof h);
        snprintf(names[METRIC_MAX + k], sizeof names[0], "%s, föregående år", h);
        heads[n++] = names[METRIC_MAX + k];
    }
    lxw_worksheet *ws = xlsx_sheet(x, sheet, heads, n);
    if (!ws)
        return;
    worksheet_set_column(ws, 0, 0, 40, NULL);
    worksheet_set_column(ws, 1, 3, 13, NULL);
    worksheet_set_column(ws, 4, (lxw_col_t)(n ? n - 1 : 4), 16, NULL);
    for (size_t i = 0; i < c->n_forbund; i++) {
        const Samla__V1__ForbundFigures *f = c->forbund[i];
        uint32_t r = (uint32_t)i + 1;
        xlsx_text(x, ws, r, 0, f->name);
        xlsx_text(x, ws, r, 1, f->orgnr);
        xlsx_text(x, ws, r, 2, s_status_sv(f->status));
        xlsx_int(x, ws, r, 3, f->revision);
        for (size_t k = 0; k < f->n_metrics && k < nm; k++)
            xlsx_value(x, ws, r, (uint16_t)(4 + k), f->metrics[k]);
        for (size_t k = 0; k < f->n_previous_year && k < np; k++)
            xlsx_value(x, ws, r, (uint16_t)(4 + nm + k), f->previous_year[k]);
    }
}

static void s_aggregates(xlsx_t *x, const Samla__V1__Compare *c, const char *sheet)
{
    static const char *const heads[] = {"Nyckeltal", "Antal med värde", "Dolda", "Summa",
                                        "Median", "Medel", "Min", "Max",
                                        "Regionen som helhet"};
    lxw_worksheet *ws = xlsx_sheet(x, sheet, heads, 9);
    if (!ws)
        return;
    worksheet_set_column(ws, 0, 0, 44, NULL);
    worksheet_set_column(ws, 1, 8, 15, NULL);
    for (size_t k = 0; k < c->n_aggregates; k++) {
        const Samla__V1__Aggregate *a = c->aggregates[k];
        uint32_t r = (uint32_t)k + 1;
        char h[96];
        xlsx_metric_head(a->name, h, sizeof h);
        xlsx_text(x, ws, r, 0, h);
        xlsx_int(x, ws, r, 1, a->count);
        xlsx_int(x, ws, r, 2, a->withheld);
        const struct {
            protobuf_c_boolean has;
            double v;
        } cells[] = {{a->has_sum, a->sum},   {a->has_median, a->median},
                     {a->has_mean, a->mean}, {a->has_min, a->min},
                     {a->has_max, a->max},   {a->has_region, a->region}};
        for (size_t j = 0; j < sizeof cells / sizeof cells[0]; j++) {
            Samla__V1__MetricValue v = SAMLA__V1__METRIC_VALUE__INIT;
            v.name = a->name;
            v.has_value = cells[j].has;
            v.value = cells[j].v;
            xlsx_value(x, ws, r, (uint16_t)(3 + j), &v);
        }
    }
}

void xlsx_compare(xlsx_t *x, const Samla__V1__Compare *c)
{
    char name[40];
    snprintf(name, sizeof name, "Jämförelse %s", c->period);
    s_month(x, c, name);
    snprintf(name, sizeof name, "Regionen %s", c->period);
    s_aggregates(x, c, name);
}

void xlsx_export(xlsx_t *x, const Samla__V1__Export *e)
{
    for (size_t m = 0; m < e->n_months; m++)
        s_month(x, e->months[m], e->months[m]->period);
}

void xlsx_trend(xlsx_t *x, const Samla__V1__Trend *t)
{
    char h[96];
    xlsx_metric_head(t->metric, h, sizeof h);
    const char *heads[] = {"Månad", "Revision", "Status", h, "Regionens median",
                           "Förbund i medianen", "Bedömning"};
    lxw_worksheet *ws = xlsx_sheet(x, t->metric, heads, 7);
    if (!ws)
        return;
    worksheet_set_column(ws, 0, 6, 16, NULL);
    for (size_t i = 0; i < t->n_points; i++) {
        const Samla__V1__TrendPoint *p = t->points[i];
        uint32_t r = (uint32_t)i + 1;
        xlsx_text(x, ws, r, 0, p->period);
        xlsx_int(x, ws, r, 1, p->revision);
        xlsx_text(x, ws, r, 2, s_status_sv(p->status));
        xlsx_value(x, ws, r, 3, p->value);
        Samla__V1__MetricValue md = SAMLA__V1__METRIC_VALUE__INIT;
        md.name = t->metric;
        md.has_value = p->has_region_median;
        md.value = p->region_median;
        xlsx_value(x, ws, r, 4, &md);
        xlsx_int(x, ws, r, 5, p->region_count);
        if (p->target && (p->target->has_met || p->target->has_on_track))
            xlsx_text(x, ws, r, 6, render_target_verdict(p->target));
    }
}

void xlsx_status(xlsx_t *x, const Samla__V1__Status *s)
{
    static const char *const heads[] = {"Förbund", "Organisationsnummer", "jan", "feb", "mar",
                                        "apr", "maj", "jun", "jul", "aug", "sep", "okt",
                                        "nov", "dec", "Senast rapporterat"};
    char name[32];
    snprintf(name, sizeof name, "Rapportering %u", s->year);
    lxw_worksheet *ws = xlsx_sheet(x, name, heads, 15);
    if (!ws)
        return;
    worksheet_set_column(ws, 0, 0, 40, NULL);
    worksheet_set_column(ws, 1, 1, 14, NULL);
    worksheet_set_column(ws, 2, 13, 6, NULL);
    worksheet_set_column(ws, 14, 14, 22, NULL);
    for (size_t i = 0; i < s->n_forbund; i++) {
        const Samla__V1__ForbundStatus *f = s->forbund[i];
        uint32_t r = (uint32_t)i + 1;
        xlsx_text(x, ws, r, 0, f->name);
        xlsx_text(x, ws, r, 1, f->orgnr);
        for (size_t m = 0; m < f->n_months && m < 12; m++)
            xlsx_int(x, ws, r, (uint16_t)(2 + m), f->months[m]->revisions);
        xlsx_text(x, ws, r, 14, f->last_received ? f->last_received : "aldrig");
    }
}

/* One cost area: code, name, class, costs, income, net, budget, deviation, the year's budget
 * and the forecast; a figure the förbund has not given is an empty cell that says why. */
static void s_area_row(xlsx_t *x, lxw_worksheet *ws, uint32_t r, const Samla__V1__AreaFigures *f)
{
    xlsx_text(x, ws, r, 0, f->code);
    xlsx_text(x, ws, r, 1, f->name ? f->name : f->code);
    xlsx_text(x, ws, r, 2, render_class_sv(f->class_ ? f->class_ : "other", false));
    xlsx_kr(x, ws, r, 3, f->outcome);
    xlsx_kr(x, ws, r, 4, f->income);
    xlsx_kr(x, ws, r, 5, f->outcome - f->income);
    xlsx_kr(x, ws, r, 6, f->budget);
    xlsx_kr(x, ws, r, 7, f->budget - f->outcome);
    if (f->has_budget_year)
        xlsx_kr(x, ws, r, 8, f->budget_year);
    else
        xlsx_empty(x, ws, r, 8, "saknas: SIE-filen har ingen budget för året");
    if (f->has_forecast)
        xlsx_kr(x, ws, r, 9, f->forecast);
    else
        xlsx_empty(x, ws, r, 9, "saknas: förbundet har inte skickat någon prognos");
}

/* A total: all areas first, then "Summa" per class. */
static void s_total_row(xlsx_t *x, lxw_worksheet *ws, uint32_t r, const Samla__V1__AreaTotal *t)
{
    bool rec = render_area_reconciles(t->key);
    if (strcmp(t->key, "all") == 0) {
        xlsx_text(x, ws, r, 1, "Summa alla områden");
    } else if (rec) {
        xlsx_text(x, ws, r, 1, render_class_sv(t->key, false));
    } else {
        xlsx_text(x, ws, r, 1, "Summa");
        xlsx_text(x, ws, r, 2, render_class_sv(t->key, false));
    }
    if (t->has_outcome) {
        xlsx_kr(x, ws, r, 3, t->outcome);
        xlsx_kr(x, ws, r, 4, t->income);
        xlsx_kr(x, ws, r, 5, t->outcome - t->income);
        if (!rec) {
            xlsx_kr(x, ws, r, 6, t->budget);
            xlsx_kr(x, ws, r, 7, t->budget - t->outcome);
        }
    }
    if (t->has_budget_year && !rec)
        xlsx_kr(x, ws, r, 8, t->budget_year);
    if (t->has_forecast && !rec)
        xlsx_kr(x, ws, r, 9, t->forecast);
}

void xlsx_areas(xlsx_t *x, const Samla__V1__Areas *a)
{
    static const char *const heads[] = {"Kod",           "Kostnadsområde", "Klass",
                                        "Kostnader, kr", "Intäkter, kr",   "Netto, kr",
                                        "Budget, kr",    "Avvikelse, kr",  "Årsbudget, kr",
                                        "Prognos helår, kr"};
    char name[40];
    snprintf(name, sizeof name, "Driftsredovisning %s", a->period);
    lxw_worksheet *ws = xlsx_sheet(x, name, heads, 10);
    if (!ws)
        return;
    worksheet_set_column(ws, 0, 0, 8, NULL);
    worksheet_set_column(ws, 1, 1, 40, NULL);
    worksheet_set_column(ws, 2, 2, 16, NULL);
    worksheet_set_column(ws, 3, 9, 15, NULL);
    uint32_t r = 1;
    for (size_t i = 0; i < a->n_areas; i++)
        s_area_row(x, ws, r++, a->areas[i]);
    r++;
    for (size_t i = 0; i < a->n_totals; i++)
        s_total_row(x, ws, r++, a->totals[i]);
}

static void s_parts_rows(xlsx_t *x, lxw_worksheet *ws, uint32_t *r, const char *name,
                         const char *orgnr, Samla__V1__BreakdownRow *const *rows, size_t n)
{
    for (size_t i = 0; i < n; i++, (*r)++) {
        const Samla__V1__BreakdownRow *b = rows[i];
        xlsx_text(x, ws, *r, 0, name);
        xlsx_text(x, ws, *r, 1, orgnr);
        xlsx_text(x, ws, *r, 2, b->key);
        xlsx_text(x, ws, *r, 3, b->kind ? b->kind : "");
        xlsx_text(x, ws, *r, 4, b->measure ? b->measure : "");
        const uint64_t v[] = {b->women, b->men, b->unspecified, b->total};
        for (uint16_t k = 0; k < 4; k++)
            if (b->suppressed)
                xlsx_empty(x, ws, *r, (uint16_t)(5 + k),
                           "dolt: färre personer än integritetsgränsen");
            else
                xlsx_int(x, ws, *r, (uint16_t)(5 + k), (int64_t)v[k]);
    }
}

void xlsx_participants(xlsx_t *x, const Samla__V1__Participants *p)
{
    static const char *const heads[] = {"Förbund", "Organisationsnummer", "Kategori",
                                        "Typ av insats", "Mått", "Kvinnor", "Män",
                                        "Ej angivet", "Totalt"};
    char name[40];
    snprintf(name, sizeof name, "Deltagare %s %s", p->by, p->period);
    lxw_worksheet *ws = xlsx_sheet(x, name, heads, 9);
    if (!ws)
        return;
    worksheet_set_column(ws, 0, 0, 40, NULL);
    worksheet_set_column(ws, 1, 1, 14, NULL);
    worksheet_set_column(ws, 2, 2, 30, NULL);
    worksheet_set_column(ws, 3, 8, 12, NULL);
    uint32_t r = 1;
    for (size_t i = 0; i < p->n_forbund; i++)
        s_parts_rows(x, ws, &r, p->forbund[i]->name, p->forbund[i]->orgnr,
                     p->forbund[i]->rows, p->forbund[i]->n_rows);
    char region[160];
    snprintf(region, sizeof region, "%s (summa av det som visas)",
             p->region && *p->region ? p->region : "Regionen");
    s_parts_rows(x, ws, &r, region, "", p->region_rows, p->n_region_rows);
}

void xlsx_overview(xlsx_t *x, const Samla__V1__Overview *o)
{
    const char *heads[2 + 20];
    char years[20][16];
    size_t n = 0;
    heads[n++] = "Nyckeltal";
    for (size_t y = 0; y < o->n_years && y < 20; y++) {
        snprintf(years[y], sizeof years[y], "%u", o->years[y]->year);
        heads[n++] = years[y];
    }
    lxw_worksheet *ws = xlsx_sheet(x, "Översikt", heads, n);
    if (!ws || !o->n_years)
        return;
    worksheet_set_column(ws, 0, 0, 44, NULL);
    worksheet_set_column(ws, 1, (lxw_col_t)(n - 1), 14, NULL);
    size_t nm = o->years[0]->n_metrics;
    for (size_t k = 0; k < nm; k++) {
        char h[96];
        xlsx_metric_head(o->years[0]->metrics[k]->name, h, sizeof h);
        xlsx_text(x, ws, (uint32_t)k + 1, 0, h);
        for (size_t y = 0; y < o->n_years && y < 20; y++) {
            const Samla__V1__OverviewYear *oy = o->years[y];
            if (!oy->revision)
                xlsx_empty(x, ws, (uint32_t)k + 1, (uint16_t)(1 + y), "ingen rapport för året");
            else if (k < oy->n_metrics)
                xlsx_value(x, ws, (uint32_t)k + 1, (uint16_t)(1 + y), oy->metrics[k]);
        }
    }
    uint32_t r = (uint32_t)nm + 2;
    for (size_t y = 0; y < o->n_years && y < 20; y++)
        if (o->years[y]->period && strcmp(o->years[y]->period + 5, "12") != 0) {
            char note[96];
            snprintf(note, sizeof note, "%u: ackumulerat till och med %s", o->years[y]->year,
                     o->years[y]->period);
            xlsx_text(x, ws, r++, 0, note);
        }
}

/* One sheet: every section under its heading, a column per figure (whole kronor as the
 * statements round them, so that the lines add up to the sums in the workbook too). */
void xlsx_statements(xlsx_t *x, const Samla__V1__Statements *r)
{
    static const char *const heads[] = {"Del", "Rad", "Utfall, kr", "Budget, kr",
                                        "Avvikelse, kr", "Prognos helår, kr", "Fg. år, kr"};
    char name[40];
    snprintf(name, sizeof name, "Räkenskaper %s", r->period);
    lxw_worksheet *ws = xlsx_sheet(x, name, heads, 7);
    stmt_t s;
    if (!ws || !r->revision || stmt_build(r, &s))
        return;
    worksheet_set_column(ws, 0, 0, 22, NULL);
    worksheet_set_column(ws, 1, 1, 52, NULL);
    worksheet_set_column(ws, 2, 6, 15, NULL);
    uint32_t row = 1;
    for (size_t i = 0; i < s.n; i++, row++) {
        const stmt_row_t *w = &s.rows[i];
        if (i && w->section != s.rows[i - 1].section)
            row++;
        xlsx_text(x, ws, row, 0, stmt_section_title(w->section));
        xlsx_text(x, ws, row, 1, w->label);
        for (int c = 0; c < STMT_COLS; c++)
            if (w->has[c])
                xlsx_kr(x, ws, row, (uint16_t)(2 + c), w->kr[c] * 100);
    }
    stmt_free(&s);
}

static void s_fin_rows(xlsx_t *x, lxw_worksheet *ws, uint32_t *row, const char *who,
                       const fin_t *s)
{
    for (size_t i = 0; i < s->n; i++, (*row)++) {
        const fin_row_t *r = &s->rows[i];
        xlsx_text(x, ws, *row, 0, who);
        xlsx_text(x, ws, *row, 1, r->block == FIN_EXTERNAL ? "Externa medel" : "Medlemsbidrag");
        xlsx_text(x, ws, *row, 2, r->label);
        xlsx_text(x, ws, *row, 3, r->sum ? "" : figures_member_kind_sv(r->kind));
        xlsx_kr(x, ws, *row, 4, r->kr * 100);
        if (isnan(r->share))
            xlsx_empty(x, ws, *row, 5, "ingen andel: summan är noll");
        else
            xlsx_percent(x, ws, *row, 5, r->share);
    }
}

/* One sheet: each förbund's members and funders, then the group's. */
void xlsx_financing(xlsx_t *x, const Samla__V1__Financing *r)
{
    static const char *const heads[] = {"Förbund", "Del", "Medlem eller finansiär", "Slag",
                                        "Belopp, kr", "Andel, %"};
    char name[40];
    snprintf(name, sizeof name, "Finansiering %s", r->period);
    lxw_worksheet *ws = xlsx_sheet(x, name, heads, 6);
    if (!ws)
        return;
    worksheet_set_column(ws, 0, 0, 40, NULL);
    worksheet_set_column(ws, 1, 1, 16, NULL);
    worksheet_set_column(ws, 2, 2, 40, NULL);
    worksheet_set_column(ws, 3, 5, 16, NULL);
    uint32_t row = 1;
    fin_t s;
    for (size_t i = 0; i < r->n_forbund; i++)
        if (r->forbund[i]->revision && fin_build(r, r->forbund[i], &s) == 0) {
            s_fin_rows(x, ws, &row, r->forbund[i]->name ? r->forbund[i]->name : "", &s);
            fin_free(&s);
        }
    if (fin_build(r, NULL, &s) == 0) {
        s_fin_rows(x, ws, &row, r->region ? r->region : "", &s);
        fin_free(&s);
    }
}
