/* render_overview: a förbund's years side by side (samla overview), as the annual reports'
 * five-year overview prints them: a table in board Swedish, CSV or JSON. */
#include <stdbool.h>
#include <string.h>

#include "render.h"
#include "samla/metrics.h"
#include "samla/mshow.h"
#include "samla/period.h"
#include "samla/text.h"

/* The row label with its unit: "Medlemsbidrag, kr". */
static void s_label(const char *metric, char *buf, size_t size)
{
    mshow_head(metric, buf, size);
}

void render_overview_csv(const Samla__V1__Overview *o, csvw_t *w)
{
    static const csvw_col_t heads[] = {{"orgnr", "Organisationsnummer"}, {"year", "År"},
                                       {"period", "Period"}, {"revision", "Revision"}};
    csvw_heads(w, heads, 4);
    if (o->n_years)
        for (size_t k = 0; k < o->years[0]->n_metrics; k++)
            csvw_metric_head(w, o->years[0]->metrics[k]->name, false);
    csvw_end(w);
    for (size_t y = 0; y < o->n_years; y++) {
        const Samla__V1__OverviewYear *oy = o->years[y];
        csvw_text(w, o->orgnr);
        csvw_uint(w, oy->year);
        csvw_text(w, oy->period ? oy->period : "");
        csvw_uint(w, oy->revision);
        for (size_t k = 0; k < oy->n_metrics; k++)
            csvw_value(w, oy->metrics[k]);
        csvw_end(w);
    }
}

/* 40 + 5 x 12 = 100 columns; more years than five go on in another block. */
#define S_LABEL 40
#define S_COL 12
#define S_PER_BLOCK 5

void render_overview_table(const Samla__V1__Overview *o, FILE *out)
{
    char buf[96];
    if (!o->n_years)
        return;
    fprintf(out, "Översikt %u–%u, %s (%s)\n", o->years[0]->year,
            o->years[o->n_years - 1]->year, o->name ? o->name : "", o->orgnr);
    fputs("Helår (december); ett år utan decemberrapport visas med sin senaste månad.\n", out);
    for (size_t from = 0; from < o->n_years; from += S_PER_BLOCK) {
        size_t to = from + S_PER_BLOCK < o->n_years ? from + S_PER_BLOCK : o->n_years;
        fputc('\n', out);
        text_pad(out, "", S_LABEL);
        for (size_t y = from; y < to; y++) {
            const Samla__V1__OverviewYear *oy = o->years[y];
            if (oy->period && strcmp(oy->period + 5, "12") != 0)
                snprintf(buf, sizeof buf, "%u*", oy->year);
            else
                snprintf(buf, sizeof buf, "%u", oy->year);
            text_rpad(out, buf, S_COL);
        }
        fputc('\n', out);
        size_t nm = o->years[from]->n_metrics;
        for (size_t k = 0; k < nm; k++) {
            s_label(o->years[from]->metrics[k]->name, buf, sizeof buf);
            text_pad(out, buf, S_LABEL);
            for (size_t y = from; y < to; y++) {
                const Samla__V1__OverviewYear *oy = o->years[y];
                if (oy->revision && k < oy->n_metrics)
                    render_value_human(oy->metrics[k], buf, sizeof buf);
                else
                    snprintf(buf, sizeof buf, "–");
                text_rpad(out, buf, S_COL);
            }
            fputc('\n', out);
        }
    }
    fputc('\n', out);
    for (size_t y = 0; y < o->n_years; y++) {
        const char *p = o->years[y]->period;
        int m = p ? (p[5] - '0') * 10 + (p[6] - '0') : 12;
        if (m >= 1 && m <= 11)
            fprintf(out, "%u*: ackumulerat jan–%s, året inte helt rapporterat.\n",
                    o->years[y]->year, period_month_abbr[m - 1]);
    }
    fputs("– : ingen rapport eller går inte att räkna ut. dolt: färre personer än "
          "integritetsgränsen.\n", out);
}
