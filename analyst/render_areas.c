/* render_areas: a förbund's driftsredovisning (samla areas) as a table in board Swedish,
 * CSV or JSON (CONTRACT.md's shape, kronor, costs positive). */
#include <jansson.h>
#include <stdbool.h>
#include <string.h>

#include "render.h"
#include "samla/money.h"
#include "samla/period.h"
#include "samla/text.h"

/* The classes in Swedish: short in the class column, whole in the totals. */
static const struct {
    const char *key, *sv, *brief;
} s_classes[] = {
    {"all", "Summa", ""},
    {"admin", "Administration", "Adm."},
    {"structural", "Strukturinsatser", "Struktur"},
    {"individual", "Individinsatser", "Individ"},
    {"other", "Övrigt", "Övrigt"},
    {"outside", "Utanför kostnadsområden", ""},
    {"statement", "Enligt resultaträkningen", ""},
};

const char *render_class_sv(const char *key, bool brief)
{
    for (size_t i = 0; i < sizeof s_classes / sizeof s_classes[0]; i++)
        if (key && strcmp(key, s_classes[i].key) == 0)
            return brief ? s_classes[i].brief : s_classes[i].sv;
    return key ? key : "";
}

/* The amounts of one line, an area or a total, öre: its costs (outcome), the income
 * booked on it and the net cost (costs - income), the budget of costs and the deviation
 * (budget - costs), the same in every view and in samla-agent check (issue 29). */
typedef struct {
    bool has;                 /* outcome, income and budget (a total that overflowed: none) */
    int64_t outcome, income, budget;
    bool has_year, has_forecast;
    int64_t year, forecast;
} s_line_t;

static s_line_t s_of_area(const Samla__V1__AreaFigures *f)
{
    return (s_line_t){true, f->outcome, f->income, f->budget, f->has_budget_year,
                      f->has_forecast, f->budget_year, f->forecast};
}

static s_line_t s_of_total(const Samla__V1__AreaTotal *t)
{
    return (s_line_t){t->has_outcome, t->outcome, t->income, t->budget, t->has_budget_year,
                      t->has_forecast, t->budget_year, t->forecast};
}

bool render_area_reconciles(const char *key)
{
    return strcmp(key, "outside") == 0 || strcmp(key, "statement") == 0;
}

/* --- JSON ------------------------------------------------------------------------------ */

static json_t *s_kr(protobuf_c_boolean has, int64_t ore)
{
    return has ? json_real((double)ore / 100.0) : json_null();
}

static json_t *s_amounts(s_line_t l)
{
    return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "outcome", s_kr(l.has, l.outcome),
                     "income", s_kr(l.has, l.income), "net", s_kr(l.has, l.outcome - l.income),
                     "budget", s_kr(l.has, l.budget), "deviation",
                     s_kr(l.has, l.budget - l.outcome), "budget_year", s_kr(l.has_year, l.year),
                     "forecast", s_kr(l.has_forecast, l.forecast));
}

void render_areas_json(const Samla__V1__Areas *a, FILE *out)
{
    json_t *root = json_pack("{s:s, s:s, s:s, s:i}", "orgnr", a->orgnr, "name",
                             a->name ? a->name : "", "period", a->period, "revision",
                             (json_int_t)a->revision);
    json_t *areas = json_array(), *totals = json_object();
    for (size_t i = 0; i < a->n_areas; i++) {
        const Samla__V1__AreaFigures *f = a->areas[i];
        json_t *o = json_pack("{s:s, s:s, s:s}", "code", f->code, "name",
                              f->name ? f->name : f->code, "class",
                              f->class_ ? f->class_ : "other");
        json_t *amounts = s_amounts(s_of_area(f));
        json_object_update(o, amounts);
        json_decref(amounts);
        json_array_append_new(areas, o);
    }
    for (size_t i = 0; i < a->n_totals; i++) {
        const Samla__V1__AreaTotal *t = a->totals[i];
        json_object_set_new(totals, t->key, s_amounts(s_of_total(t)));
    }
    json_object_set_new(root, "areas", areas);
    json_object_set_new(root, "totals", totals);
    render_json_dump(root, out);
}

/* --- CSV ------------------------------------------------------------------------------- */


static void s_csv_row(csvw_t *w, const char *code, const char *name, const char *cls,
                      s_line_t l)
{
    csvw_text(w, code);
    csvw_text(w, name);
    csvw_pick(w, cls, render_class_sv(cls, false));
    csvw_ore(w, l.has, l.outcome);
    csvw_ore(w, l.has, l.income);
    csvw_ore(w, l.has, l.outcome - l.income);
    csvw_ore(w, l.has, l.budget);
    csvw_ore(w, l.has, l.budget - l.outcome);
    csvw_ore(w, l.has_year, l.year);
    csvw_ore(w, l.has_forecast, l.forecast);
    csvw_end(w);
}

void render_areas_csv(const Samla__V1__Areas *a, csvw_t *w)
{
    static const csvw_col_t heads[] = {
        {"code", "Kod"}, {"name", "Kostnadsområde"}, {"class", "Klass"},
        {"outcome", "Kostnader, kr"}, {"income", "Intäkter, kr"}, {"net", "Netto, kr"},
        {"budget", "Budget, kr"}, {"deviation", "Avvikelse, kr"},
        {"budget_year", "Årsbudget, kr"}, {"forecast", "Prognos helår, kr"}};
    csvw_heads(w, heads, 10);
    csvw_end(w);
    for (size_t i = 0; i < a->n_areas; i++) {
        const Samla__V1__AreaFigures *f = a->areas[i];
        s_csv_row(w, f->code, f->name ? f->name : f->code, f->class_ ? f->class_ : "other",
                  s_of_area(f));
    }
    for (size_t i = 0; i < a->n_totals; i++) {
        const Samla__V1__AreaTotal *t = a->totals[i];
        s_csv_row(w, "", w->sv ? "Summa" : "total", t->key, s_of_total(t));
    }
}

/* --- the table ------------------------------------------------------------------------ */

/* 6 + 25 + 9 + 5 x 12 = 100 columns */
#define S_NAME 24
#define S_CLASS 9
#define S_NUM 11

static void s_num(FILE *out, protobuf_c_boolean has, int64_t ore)
{
    char buf[48] = "–";
    if (has)
        money_format_sv(ore, 0, buf, sizeof buf);
    fputc(' ', out);
    for (size_t w = text_width(buf); w < S_NUM; w++)
        fputc(' ', out);
    fputs(buf, out);
}

/* Code and name (a name too long for its column gets a line of its own, whole), class. */
static void s_head_cells(FILE *out, const char *code, const char *name, const char *cls)
{
    text_pad(out, code, 6);
    if (text_width(name) > S_NAME) {
        fprintf(out, "%s\n", name);
        text_pad(out, "", 6);
        name = "";
    }
    text_pad(out, name, S_NAME + 1);
    text_pad(out, cls, S_CLASS);
}

/* One line: the five amounts of the year so far (a reconciling line: its three). */
static void s_row(FILE *out, const char *code, const char *name, const char *cls, s_line_t l,
                  bool three)
{
    s_head_cells(out, code, name, cls);
    s_num(out, l.has, l.outcome);
    s_num(out, l.has, l.income);
    s_num(out, l.has, l.outcome - l.income);
    if (!three) {
        s_num(out, l.has, l.budget);
        s_num(out, l.has, l.budget - l.outcome);
    }
    fputc('\n', out);
}

/* The year as a whole, for the areas that have a year's budget or a forecast. */
static void s_year_table(const Samla__V1__Areas *a, FILE *out)
{
    bool any = false;
    for (size_t i = 0; i < a->n_areas; i++)
        any |= a->areas[i]->has_budget_year || a->areas[i]->has_forecast;
    if (!any)
        return;
    fputs("\nHelår\n", out);
    s_head_cells(out, "Kod", "Kostnadsområde", "Klass");
    fprintf(out, " %11s %11s %11s\n", "Årsbudget", "Prognos", "Avvikelse");
    for (size_t i = 0; i < a->n_areas; i++) {
        const Samla__V1__AreaFigures *f = a->areas[i];
        s_head_cells(out, f->code, f->name ? f->name : f->code,
                     render_class_sv(f->class_, true));
        s_num(out, f->has_budget_year, f->budget_year);
        s_num(out, f->has_forecast, f->forecast);
        s_num(out, f->has_budget_year && f->has_forecast, f->budget_year - f->forecast);
        fputc('\n', out);
    }
}

void render_areas_table(const Samla__V1__Areas *a, FILE *out)
{
    int month = (a->period[5] - '0') * 10 + (a->period[6] - '0');
    if (month < 1 || month > 12)
        month = 12;
    fprintf(out, "Driftsredovisning, %s (%s)\n", a->name ? a->name : "", a->orgnr);
    if (!a->revision) {
        fprintf(out, "Ingen rapport för %s.\n", a->period);
        return;
    }
    fprintf(out, "Ackumulerat %s%s%s %.4s, kronor; kostnader som positiva tal (revision %u)\n\n",
            period_month_abbr[0], month > 1 ? "–" : "",
            month > 1 ? period_month_abbr[month - 1] : "", a->period, a->revision);
    s_head_cells(out, "Kod", "Kostnadsområde", "Klass");
    fprintf(out, " %11s %11s %11s %11s %11s\n", "Kostnader", "Intäkter", "Netto", "Budget",
            "Avvikelse");
    for (size_t i = 0; i < a->n_areas; i++) {
        const Samla__V1__AreaFigures *f = a->areas[i];
        s_row(out, f->code, f->name ? f->name : f->code, render_class_sv(f->class_, true),
              s_of_area(f), false);
    }
    if (!a->n_areas)
        fprintf(out, "(rapporten har inga kostnadsområden)\n");
    fputc('\n', out);
    for (size_t i = 0; i < a->n_totals; i++) {
        const Samla__V1__AreaTotal *t = a->totals[i];
        bool rec = render_area_reconciles(t->key);
        char label[64];
        snprintf(label, sizeof label, "%s%s", i && !rec ? "Summa " : "",
                 i ? render_class_sv(t->key, false) : "Summa alla områden");
        if (rec && strcmp(t->key, "outside") == 0)
            fputc('\n', out);
        s_row(out, "", label, "", s_of_total(t), rec);
    }
    s_year_table(a, out);
    fprintf(out, "\nNetto = kostnader − intäkter bokförda på området. Avvikelse = budget − "
                 "kostnader\n(positiv: under budget). – : saknas i underlaget.\n");
}
