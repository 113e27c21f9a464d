/* render_parts: participant breakdowns (samla participants --by …) as a table in board
 * Swedish, CSV or JSON (CONTRACT.md's shape). A withheld line is "suppressed" in CSV and
 * JSON and "dolt" in the table; the group's lines sum only what this key may see. */
#include <jansson.h>
#include <stdbool.h>
#include <string.h>

#include "render.h"
#include "samla/money.h"
#include "samla/period.h"
#include "samla/text.h"

/* The CSV's codes in Swedish, as the annual reports name them. */
static const struct {
    const char *code, *sv;
} s_words[] = {
    {"arbete", "Arbete"}, {"arbete_subventionerat", "Arbete med subvention"},
    {"studier", "Studier"}, {"aktivt_arbetssokande", "Aktivt arbetssökande"},
    {"fortsatt_rehab", "Fortsatt rehabilitering"}, {"sjukdom", "Sjukdom"},
    {"flytt", "Flytt"}, {"egen_begaran", "Egen begäran"}, {"annat", "Annat"},
    {"16-29", "16–29 år"}, {"30-44", "30–44 år"}, {"45-64", "45–64 år"},
    {"sjukpenning", "Sjukpenning"}, {"aktivitetsersattning", "Aktivitetsersättning"},
    {"sjukersattning", "Sjukersättning"}, {"aktivitetsstod", "Aktivitetsstöd"},
    {"a_kassa", "A-kassa"}, {"forsorjningsstod", "Försörjningsstöd"},
    {"etableringsersattning", "Etableringsersättning"}, {"annan", "Annan försörjning"},
    {"ingen", "Ingen offentlig försörjning"},
    {"individ", "Individinsatser"}, {"volym", "Volyminsatser"},
    {"struktur", "Strukturinsatser"},
    {"aktuella_start", "Aktuella vid årets start"}, {"nya", "Nya"},
    {"avslutade", "Avslutade"}, {"aktuella_slut", "Aktuella vid periodens slut"},
};

static const struct {
    const char *by, *title, *head;
} s_dims[] = {
    {"avslut", "Avslutade deltagare i individinsatser efter avslutsorsak", "Avslutsorsak"},
    {"alder", "Nya deltagare i individinsatser efter åldersgrupp", "Åldersgrupp"},
    {"forsorjning_start", "Deltagare i individinsatser efter försörjning vid start",
     "Försörjning vid start"},
    {"forsorjning_avslut", "Avslutade deltagare i individinsatser efter försörjning vid avslut",
     "Försörjning vid avslut"},
    {"typ", "Deltagare (aktuella vid årets start + nya) efter typ av insats", "Typ av insats"},
    {"insats", "Deltagarflödet per insats", "Insats"},
};

static const char *s_sv(const char *code)
{
    for (size_t i = 0; code && i < sizeof s_words / sizeof s_words[0]; i++)
        if (strcmp(code, s_words[i].code) == 0)
            return s_words[i].sv;
    return code ? code : "";
}

const char *render_parts_word(const char *code)
{
    return s_sv(code);
}

static size_t s_dim(const char *by)
{
    for (size_t i = 0; i < sizeof s_dims / sizeof s_dims[0]; i++)
        if (by && strcmp(by, s_dims[i].by) == 0)
            return i;
    return 0;
}

static bool s_insats(const Samla__V1__Participants *p)
{
    return p->by && strcmp(p->by, "insats") == 0;
}

/* --- JSON ------------------------------------------------------------------------------ */

static json_t *s_json_rows(Samla__V1__BreakdownRow *const *rows, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++) {
        const Samla__V1__BreakdownRow *r = rows[i];
        json_t *o = json_pack("{s:s}", "key", r->key);
        if (r->kind)
            json_object_set_new(o, "kind", json_string(r->kind));
        if (r->measure)
            json_object_set_new(o, "measure", json_string(r->measure));
        if (r->cost_area)
            json_object_set_new(o, "cost_area", json_string(r->cost_area));
        const char *names[] = {"women", "men", "unspecified", "total"};
        const uint64_t v[] = {r->women, r->men, r->unspecified, r->total};
        for (size_t k = 0; k < 4; k++)
            json_object_set_new(o, names[k], r->suppressed ? json_string("suppressed")
                                                           : json_integer((json_int_t)v[k]));
        json_array_append_new(a, o);
    }
    return a;
}

void render_parts_json(const Samla__V1__Participants *p, FILE *out)
{
    json_t *forbund = json_array();
    for (size_t i = 0; i < p->n_forbund; i++) {
        const Samla__V1__ForbundBreakdown *f = p->forbund[i];
        json_array_append_new(forbund, json_pack("{s:s, s:s, s:i, s:o}", "orgnr", f->orgnr,
                                                 "name", f->name ? f->name : "", "revision",
                                                 (json_int_t)f->revision, "rows",
                                                 s_json_rows(f->rows, f->n_rows)));
    }
    json_t *root = json_pack(
        "{s:s, s:s, s:o, s:{s:s, s:o, s:i}}", "period", p->period, "by", p->by, "forbund",
        forbund, "region", "name", p->region ? p->region : "", "rows",
        s_json_rows(p->region_rows, p->n_region_rows), "withheld", (json_int_t)p->withheld);
    if (p->insats)
        json_object_set_new(root, "insats", json_string(p->insats));
    render_json_dump(root, out);
}

/* --- CSV ------------------------------------------------------------------------------- */


static void s_csv_rows(csvw_t *w, const char *orgnr, const char *name,
                       Samla__V1__BreakdownRow *const *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const Samla__V1__BreakdownRow *r = rows[i];
        csvw_text(w, orgnr);
        csvw_text(w, name);
        const char *kind = r->kind ? r->kind : "", *measure = r->measure ? r->measure : "";
        csvw_pick(w, r->key, render_parts_word(r->key));
        csvw_pick(w, kind, *kind ? render_parts_word(kind) : "");
        csvw_pick(w, measure, *measure ? render_parts_word(measure) : "");
        const uint64_t v[] = {r->women, r->men, r->unspecified, r->total};
        for (size_t k = 0; k < 4; k++)
            if (r->suppressed)
                csvw_text(w, w->sv ? "dolt" : "suppressed");
            else
                csvw_uint(w, v[k]);
        csvw_end(w);
    }
}

void render_parts_csv(const Samla__V1__Participants *p, csvw_t *w)
{
    static const csvw_col_t heads[] = {
        {"orgnr", "Organisationsnummer"}, {"name", "Förbund"}, {"key", "Rad"},
        {"kind", "Typ av insats"}, {"measure", "Mått"}, {"women", "Kvinnor"}, {"men", "Män"},
        {"unspecified", "Ej angivet"}, {"total", "Totalt"}};
    csvw_heads(w, heads, 9);
    csvw_end(w);
    for (size_t i = 0; i < p->n_forbund; i++)
        s_csv_rows(w, p->forbund[i]->orgnr, p->forbund[i]->name, p->forbund[i]->rows,
                   p->forbund[i]->n_rows);
    /* the group's lines: no orgnr, the group's name */
    s_csv_rows(w, "", p->region ? p->region : "", p->region_rows, p->n_region_rows);
}

/* --- the table -------------------------------------------------------------------------- */

#define S_KEY 44
#define S_NUM 11

static void s_count(FILE *out, const char *s)
{
    fputc(' ', out);
    text_rpad(out, s, S_NUM);
}

static void s_line(FILE *out, const char *label, const Samla__V1__BreakdownRow *r)
{
    char buf[4][32];
    const uint64_t v[] = {r->women, r->men, r->unspecified, r->total};
    fputs("  ", out);
    text_pad(out, label, S_KEY);
    for (size_t k = 0; k < 4; k++) {
        if (r->suppressed)
            snprintf(buf[k], sizeof buf[k], "dolt");
        else
            money_format_sv((int64_t)v[k] * 100, 0, buf[k], sizeof buf[k]);
        s_count(out, buf[k]);
    }
    fputc('\n', out);
}

/* One block of lines (a förbund's or the group's), with a sum when nothing is withheld
 * and the lines add up to something (not for the flow of each intervention). */
static void s_block(FILE *out, bool insats, Samla__V1__BreakdownRow *const *rows, size_t n)
{
    Samla__V1__BreakdownRow sum = SAMLA__V1__BREAKDOWN_ROW__INIT;
    bool hidden = false;
    const char *last = NULL;
    for (size_t i = 0; i < n; i++) {
        const Samla__V1__BreakdownRow *r = rows[i];
        if (insats && (!last || strcmp(last, r->key) != 0)) {
            fputs("  ", out);
            fprintf(out, "%s (%s)\n", r->key, s_sv(r->kind));
            last = r->key;
        }
        char label[128];
        snprintf(label, sizeof label, "%s%s", insats ? "  " : "",
                 s_sv(insats ? r->measure : r->key));
        s_line(out, label, r);
        hidden |= r->suppressed;
        sum.women += r->women;
        sum.men += r->men;
        sum.unspecified += r->unspecified;
        sum.total += r->total;
    }
    if (!n)
        fprintf(out, "  (inga uppgifter)\n");
    else if (!insats && !hidden)
        s_line(out, "Summa", &sum);
}

void render_parts_table(const Samla__V1__Participants *p, FILE *out)
{
    int month = (p->period[5] - '0') * 10 + (p->period[6] - '0');
    if (month < 1 || month > 12)
        month = 12;
    size_t d = s_dim(p->by);
    bool insats = s_insats(p);
    fprintf(out, "%s%s%s\nAckumulerat %s%s%s %.4s, antal personer\n\n", s_dims[d].title,
            p->insats ? ", insatsen " : "", p->insats ? p->insats : "", period_month_abbr[0],
            month > 1 ? "–" : "", month > 1 ? period_month_abbr[month - 1] : "", p->period);
    fputs("  ", out);
    text_pad(out, s_dims[d].head, S_KEY);
    const char *heads[] = {"Kvinnor", "Män", "Ej angivet", "Totalt"};
    for (size_t k = 0; k < 4; k++)
        s_count(out, heads[k]);
    fputc('\n', out);
    size_t shown = 0;
    for (size_t i = 0; i < p->n_forbund; i++) {
        const Samla__V1__ForbundBreakdown *f = p->forbund[i];
        if (p->insats && !f->n_rows)
            continue; /* one intervention: the förbund that have it */
        shown++;
        fprintf(out, "\n%s (%s)", f->name ? f->name : "", f->orgnr);
        if (!f->revision) {
            fputs(": ingen rapport\n", out);
            continue;
        }
        fprintf(out, ", revision %u\n", f->revision);
        s_block(out, insats, f->rows, f->n_rows);
    }
    if (p->insats && !shown) {
        fprintf(out, "\nIngen insats med namnet %s har rader %s (namnet som i deltagarfilen).\n",
                p->insats, p->period);
        return;
    }
    fprintf(out, "\n%s, summa", p->region && *p->region ? p->region : "Regionen");
    if (p->withheld)
        fprintf(out, " av det som visas (%u %s dolda)", p->withheld,
                p->withheld == 1 ? "rad" : "rader");
    fputc('\n', out);
    s_block(out, insats, p->region_rows, p->n_region_rows);
    fputs("\ndolt: färre personer än integritetsgränsen, eller en rad som annars gick att "
          "räkna ut.\n", out);
}
