/* render_board: the comparison as a board reads it (`samla compare`, the default table):
 * förbund as rows, Swedish labels with units as column heads, last year on its own line
 * under each förbund, whole kronor, full names, "ackumulerat jan–jun 2025", within 100
 * columns (the metrics come in blocks of six). `--lang en` keeps the English table of
 * render.c for readers without Swedish. */
#include <string.h>

#include "render.h"
#include "samla/money.h"
#include "samla/metrics.h"
#include "samla/mshow.h"
#include "samla/period.h"
#include "samla/text.h"

#define S_NAME 28 /* förbund names; a longer one gets a line of its own */
#define S_COL 12
#define S_PER_BLOCK 6 /* 28 + 6 x 12 = 100 */
#define S_HEAD_LINES 4


/* A column head: the metric's Swedish label and unit, word-wrapped into at most three
 * lines of S_COL - 1 columns; a longer word is hyphenated. What does not fit is left out
 * (the label is whole in the workbook's metric sheet and in docs/metrics.md). */
static void s_head(const char *metric, char lines[S_HEAD_LINES][64])
{
    char text[160];
    mshow_short_head(metric, text, sizeof text);
    for (int i = 0; i < S_HEAD_LINES; i++)
        lines[i][0] = '\0';
    int line = 0;
    for (const char *p = text; *p && line < S_HEAD_LINES;) {
        while (*p == ' ')
            p++;
        size_t n = strcspn(p, " ");
        if (!n)
            break;
        char word[64];
        snprintf(word, sizeof word, "%.*s", (int)(n < 63 ? n : 63), p);
        p += n;
        size_t have = text_width(lines[line]);
        bool joins = have && lines[line][strlen(lines[line]) - 1] == '-'; /* a break mark */
        if (have && have + (joins ? 0 : 1) + text_width(word) - (joins ? 1 : 0) > S_COL - 1 &&
            ++line == S_HEAD_LINES)
            break;
        const char *w = word;
        while (text_width(w) > S_COL - 1 && line < S_HEAD_LINES) {
            /* S_COL - 2 characters and a hyphen on this line, the rest on the next */
            size_t bytes = 0;
            for (size_t chars = 0; w[bytes] && chars < S_COL - 2; chars++)
                do
                    bytes++;
                while (((unsigned char)w[bytes] & 0xC0) == 0x80);
            snprintf(lines[line], 64, "%.*s-", (int)bytes, w);
            w += bytes;
            line++;
        }
        if (line == S_HEAD_LINES)
            break;
        size_t len = strlen(lines[line]);
        if (len && lines[line][len - 1] == '-') /* "Finans- netto" on one line: joined */
            lines[line][--len] = '\0';
        else if (len)
            lines[line][len++] = ' ', lines[line][len] = '\0';
        snprintf(lines[line] + len, 64 - len, "%s", w);
    }
}

/* A förbund's name in the first column: whole, on a line of its own when too long. */
static void s_name(FILE *out, const char *name)
{
    if (text_width(name) > S_NAME - 1) {
        fprintf(out, "%s\n", name);
        name = "";
    }
    text_pad(out, name, S_NAME);
}

static void s_cell(FILE *out, const Samla__V1__MetricValue *v)
{
    char buf[48];
    render_value_human(v, buf, sizeof buf);
    text_rpad(out, buf, S_COL);
}

/* The terminal's emphasis, or nothing when the output is not a terminal. */
typedef struct {
    const char *dim, *bold, *off;
} s_style_t;

/* "Jämförelse jun 2025, Fyrbodal", the months summed, and each förbund's state. */
static void s_board_title(const Samla__V1__Compare *c, int month, s_style_t st, FILE *out)
{
    fprintf(out, "%sJämförelse %s %.4s, %s%s\nAckumulerat %s%s%s %.4s%s. Förbund med \"fg. år\" "
                 "under: samma månad året innan.\n",
            st.bold, period_month_abbr[month - 1], c->period,
            c->region && *c->region ? c->region : "alla", st.off, period_month_abbr[0],
            month > 1 ? "–" : "", month > 1 ? period_month_abbr[month - 1] : "", c->period,
            month == 12 ? " (helår)" : " (preliminärt)");
    for (size_t i = 0; i < c->n_forbund; i++) {
        const Samla__V1__ForbundFigures *f = c->forbund[i];
        fprintf(out, "  %s (%s): %s", f->name ? f->name : "", f->orgnr,
                !f->revision ? "ingen rapport" : month == 12 ? "slutlig" : "preliminär");
        if (f->revision > 1)
            fprintf(out, ", rättad (revision %u)", f->revision);
        fputc('\n', out);
    }
}

/* The block's column heads, each over up to S_HEAD_LINES lines; empty lines left out. */
static void s_board_heads(const Samla__V1__Compare *c, size_t from, size_t to, s_style_t st,
                          FILE *out)
{
    char heads[S_PER_BLOCK][S_HEAD_LINES][64];
    for (size_t k = from; k < to; k++)
        s_head(c->forbund[0]->metrics[k]->name, heads[k - from]);
    for (int l = 0; l < S_HEAD_LINES; l++) {
        bool any = false;
        for (size_t k = from; k < to; k++)
            any |= heads[k - from][l][0] != '\0';
        if (!any)
            continue;
        fputs(st.bold, out);
        text_pad(out, l == 0 ? "Förbund" : "", S_NAME);
        for (size_t k = from; k < to; k++)
            text_rpad(out, heads[k - from][l], S_COL);
        fprintf(out, "%s\n", st.off);
    }
}

/* One row per förbund, and under it, dimmed, the same month a year before if reported. */
static void s_board_rows(const Samla__V1__Compare *c, size_t from, size_t to, s_style_t st,
                         FILE *out)
{
    for (size_t i = 0; i < c->n_forbund; i++) {
        const Samla__V1__ForbundFigures *f = c->forbund[i];
        s_name(out, render_short_name(f->name));
        for (size_t k = from; k < to && k < f->n_metrics; k++)
            s_cell(out, f->metrics[k]);
        fputc('\n', out);
        if (!f->previous_revision || !f->n_previous_year)
            continue;
        fprintf(out, "%s", st.dim);
        text_pad(out, "  fg. år", S_NAME);
        for (size_t k = from; k < to && k < f->n_previous_year; k++)
            s_cell(out, f->previous_year[k]);
        fprintf(out, "%s\n", st.off);
    }
}

/* The median as a cell of its metric's own kind: kronor in öre, a share or count as is
 * (a median of counts may be a half). Empty when there is none. */
static Samla__V1__MetricValue s_median_cell(const Samla__V1__Aggregate *a)
{
    Samla__V1__MetricValue md = SAMLA__V1__METRIC_VALUE__INIT;
    md.name = a ? a->name : (char *)"";
    if (!a || !a->has_median)
        return md;
    const mshow_t *m = mshow_find(a->name);
    if (m && m->unit == UNIT_MONEY && money_whole_kr(a->median, &md.ore) == 0) {
        md.has_ore = 1;
    } else {
        md.has_value = 1;
        md.value = a->median;
    }
    return md;
}

void render_compare_board(const Samla__V1__Compare *c, bool colour, FILE *out)
{
    s_style_t st = {colour ? "\033[2m" : "", colour ? "\033[1m" : "", colour ? "\033[0m" : ""};
    int month = (c->period[5] - '0') * 10 + (c->period[6] - '0');
    if (month < 1 || month > 12)
        month = 12;
    s_board_title(c, month, st, out);
    size_t nm = c->n_forbund ? c->forbund[0]->n_metrics : 0;
    for (size_t from = 0; from < nm; from += S_PER_BLOCK) {
        size_t to = from + S_PER_BLOCK < nm ? from + S_PER_BLOCK : nm;
        fputc('\n', out);
        s_board_heads(c, from, to, st, out);
        s_board_rows(c, from, to, st, out);
        text_pad(out, "Median", S_NAME);
        for (size_t k = from; k < to; k++) {
            Samla__V1__MetricValue md =
                s_median_cell(k < c->n_aggregates ? c->aggregates[k] : NULL);
            s_cell(out, &md);
        }
        fputc('\n', out);
    }
    fputs("\n– : saknas (ingen rapport, eller går inte att räkna ut). dolt: färre personer än "
          "integritetsgränsen.\n", out);
    render_compare_targets(c, out);
}
