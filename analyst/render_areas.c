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
};

const char *render_class_sv(const char *key, bool brief)
{
    for (size_t i = 0; i < sizeof s_classes / sizeof s_classes[0]; i++)
        if (key && strcmp(key, s_classes[i].key) == 0)
            return brief ? s_classes[i].brief : s_classes[i].sv;
    return key ? key : "";
}

/* The amounts of one line, an area or a total, öre. */
typedef struct {
    bool has;                 /* outcome and budget (a total that overflowed has none) */
    int64_t outcome, budget;
    bool has_year, has_forecast;
    int64_t year, forecast;
} s_line_t;

static s_line_t s_of_area(const Samla__V1__AreaFigures *f)
{
    return (s_line_t){true, f->outcome, f->budget, f->has_budget_year, f->has_forecast,
                      f->budget_year, f->forecast};
}

static s_line_t s_of_total(const Samla__V1__AreaTotal *t)
{
    return (s_line_t){t->has_outcome, t->outcome, t->budget, t->has_budget_year,
                      t->has_forecast, t->budget_year, t->forecast};
}

/* --- JSON ------------------------------------------------------------------------------ */

static json_t *s_kr(protobuf_c_boolean has, int64_t ore)
{
    return has ? json_real((double)ore / 100.0) : json_null();
}

static json_t *s_amounts(s_line_t l)
{
    return json_pack("{s:o, s:o, s:o, s:o, s:o}", "outcome", s_kr(l.has, l.outcome), "budget",
                     s_kr(l.has, l.budget), "deviation", s_kr(l.has, l.budget - l.outcome),
                     "budget_year", s_kr(l.has_year, l.year), "forecast",
                     s_kr(l.has_forecast, l.forecast));
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
        {"outcome", "Utfall, kr"}, {"budget", "Budget, kr"}, {"deviation", "Avvikelse, kr"},
        {"budget_year", "Årsbudget, kr"}, {"forecast", "Prognos helår, kr"}};
    csvw_heads(w, heads, 8);
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

/* --- the table -------------------------------------------------------------------------- */

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

/* One line: code, name (a name too long for its column gets a line of its own, whole),
 * class, then the five amounts. */
static void s_row(FILE *out, const char *code, const char *name, const char *cls, s_line_t l)
{
    text_pad(out, code, 6);
    if (text_width(name) > S_NAME) {
        fprintf(out, "%s\n", name);
        text_pad(out, "", 6);
        name = "";
    }
    text_pad(out, name, S_NAME + 1);
    text_pad(out, cls, S_CLASS);
    s_num(out, l.has, l.outcome);
    s_num(out, l.has, l.budget);
    s_num(out, l.has, l.budget - l.outcome);
    s_num(out, l.has_year, l.year);
    s_num(out, l.has_forecast, l.forecast);
    fputc('\n', out);
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
    text_pad(out, "Kod", 6);
    text_pad(out, "Kostnadsområde", S_NAME + 1);
    text_pad(out, "Klass", S_CLASS);
    fprintf(out, " %11s %11s %11s %11s %11s\n", "Utfall", "Budget", "Avvikelse", "Årsbudget",
            "Prognos");
    for (size_t i = 0; i < a->n_areas; i++) {
        const Samla__V1__AreaFigures *f = a->areas[i];
        s_row(out, f->code, f->name ? f->name : f->code, render_class_sv(f->class_, true),
              s_of_area(f));
    }
    if (!a->n_areas)
        fprintf(out, "(rapporten har inga kostnadsområden)\n");
    fputc('\n', out);
    for (size_t i = 0; i < a->n_totals; i++) {
        const Samla__V1__AreaTotal *t = a->totals[i];
        char label[64];
        snprintf(label, sizeof label, "%s%s", i ? "Summa " : "",
                 i ? render_class_sv(t->key, false) : "Summa alla områden");
        s_row(out, "", label, "", s_of_total(t));
    }
    fprintf(out, "\nAvvikelse = budget − utfall (positiv: under budget). – : saknas i "
                 "underlaget.\n");
}
