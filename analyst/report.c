#include "report.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "financing.h"
#include "render.h"
#include "samla/figures.h"
#include "samla/metrics.h"
#include "samla/money.h"
#include "samla/mshow.h"
#include "samla/partflow.h"
#include "samla/period.h"
#include "samla/statements.h"
#include "samla/text.h"

/* Colours for the förbund, in registry order; enough to tell a region's dozen apart. */
static const char *const s_colours[] = {"#1f6f8b", "#e07b39", "#4c9a2a", "#8e44ad", "#c0392b",
                                        "#16a085", "#d4ac0d", "#5d6d7e", "#a04000", "#2e86c1",
                                        "#7d3c98", "#117864"};
#define N_COLOURS (sizeof s_colours / sizeof s_colours[0])

/* Lines told apart in black and white too, as boards print: förbund i has colour,
 * dash and marker number i (the legend shows all three). */
static const char *const s_dashes[] = {"", "7 4", "2 3", "9 3 2 3", "4 4", "12 4"};
#define N_DASHES (sizeof s_dashes / sizeof s_dashes[0])

/* Förbund i's line: colour and dash, as attributes of a path. */
static void s_stroke(FILE *out, size_t i)
{
    fprintf(out, " stroke=\"%s\" stroke-width=\"2\"", s_colours[i % N_COLOURS]);
    if (*s_dashes[i % N_DASHES])
        fprintf(out, " stroke-dasharray=\"%s\"", s_dashes[i % N_DASHES]);
}

/* Förbund i's marker at (x, y): circle, square, triangle, diamond, and round again. */
static void s_marker(FILE *out, size_t i, double x, double y)
{
    const char *fill = s_colours[i % N_COLOURS];
    switch (i % 4) {
    case 0: fprintf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"/>\n", x, y, fill);
        break;
    case 1: fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"7\" height=\"7\" fill=\"%s\"/>\n",
                    x - 3.5, y - 3.5, fill);
        break;
    case 2: fprintf(out, "<path d=\"M%.1f %.1fL%.1f %.1fL%.1f %.1fZ\" fill=\"%s\"/>\n", x,
                    y - 4.5, x + 4.5, y + 3.5, x - 4.5, y + 3.5, fill);
        break;
    default: fprintf(out, "<path d=\"M%.1f %.1fL%.1f %.1fL%.1f %.1fL%.1f %.1fZ\" fill=\"%s\"/>\n",
                     x, y - 5, x + 5, y, x, y + 5, x - 5, y, fill);
    }
}

/* --- text --------------------------------------------------------------------------- */

/* Text as HTML: escaped for any text node or quoted attribute; `nowrap` keeps it on one
 * line (spaces as no-break spaces), as a figure and its unit belong together. */
static void s_html_text(FILE *out, const char *s, bool nowrap)
{
    for (; s && *s; s++) {
        switch (*s) {
        case ' ': fputs(nowrap ? "&nbsp;" : " ", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '&': fputs("&amp;", out); break;
        case '"': fputs("&quot;", out); break;
        case '\'': fputs("&#39;", out); break;
        default: fputc(*s, out);
        }
    }
}

static void s_html(FILE *out, const char *s)
{
    s_html_text(out, s, false);
}

/* A metric value for people; false when it is missing (null) or suppressed. */
static bool s_num(const Samla__V1__MetricValue *v, double *out)
{
    if (!v || (v->has_suppressed && v->suppressed))
        return false;
    if (v->has_ore)
        *out = (double)v->ore / 100.0;
    else if (v->has_count)
        *out = (double)v->count;
    else if (v->has_value)
        *out = v->value;
    else
        return false;
    return true;
}

/* A withheld figure as the board reads it: "dolt", never a 0 that would be added up. */
static void s_withheld(FILE *out)
{
    fputs("<span class=\"missing\" title=\"färre än gränsen för röjandeskydd\">dolt</span>",
          out);
}

static void s_cell(FILE *out, const Samla__V1__MetricValue *v)
{
    const mshow_t *m = v ? mshow_find(v->name) : NULL;
    double d;
    char buf[64];
    if (v && v->has_suppressed && v->suppressed) {
        s_withheld(out);
        return;
    }
    if (!m || !s_num(v, &d)) {
        fputs("<span class=\"missing\">saknas</span>", out);
        return;
    }
    text_decimal_sv(d, m->decimals, buf, sizeof buf);
    fputs(buf, out);
    if (m->unit == UNIT_PERCENT)
        fputs("&nbsp;%", out);
}

static const Samla__V1__MetricValue *s_metric(const Samla__V1__ForbundFigures *f,
                                              const char *name, bool previous)
{
    size_t n = previous ? f->n_previous_year : f->n_metrics;
    Samla__V1__MetricValue **v = previous ? f->previous_year : f->metrics;
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i]->name, name) == 0)
            return v[i];
    return NULL;
}

static const Samla__V1__Aggregate *s_agg(const Samla__V1__Compare *c, const char *name)
{
    for (size_t i = 0; i < c->n_aggregates; i++)
        if (strcmp(c->aggregates[i]->name, name) == 0)
            return c->aggregates[i];
    return NULL;
}

/* --- charts ---------------------------------------------------------------------------- */

typedef struct {
    const char *metric, *title;
} s_chart_t;

/* A chart's target band, from the targets in samlad's reply (the national financial
 * targets unless samlad's config sets the group's own): never a copy of them here. */
typedef struct {
    bool has_low, has_high;
    double low, high;
    char text[96]; /* "mål: högst 20 %", "" without a target */
} s_band_t;

static const s_chart_t s_key[] = {
    {"result", "Årets resultat hittills (kr)"},
    {"costs", "Verksamhetens kostnader (kr)"},
    {"equity_ratio", "Eget kapital i % av årets medlemsbidrag"},
    {"liquidity_ratio", "Likviditet: omsättningstillgångar / kortfristiga skulder (%)"},
    {"intervention_share", "Insatsernas andel av kostnaderna (%)"},
    {"budget_utilisation", "Förbrukning av budget (%)"},
    {"participants", "Deltagare i individinsatser"},
    {"work_or_studies_share", "Avslutade till arbete eller studier (%)"},
    {"cost_per_participant", "Kostnad per deltagare (kr)"},
};

/* The group's target of the chart's metric in the reply g (NULL: none), as a band. */
static s_band_t s_band(const s_chart_t *ch, const Samla__V1__Compare *g)
{
    s_band_t band = {0};
    for (size_t k = 0; g && k < g->n_targets; k++) {
        const Samla__V1__Target *t = g->targets[k];
        if (strcmp(t->metric, ch->metric) != 0)
            continue;
        band.has_low = t->has_low;
        band.has_high = t->has_high;
        band.low = t->low;
        band.high = t->high;
        char words[80];
        render_target_words(t, words, sizeof words);
        snprintf(band.text, sizeof band.text, "mål: %s", words);
        break;
    }
    return band;
}

/* The bar chart's geometry: labels left of `label`, bars from the zero line at x0. */
enum { S_BAR_W = 760, S_BAR_LABEL = 230, S_BAR_ROW = 26, S_BAR_TOP = 30 };

typedef struct {
    double lo, span, x0;
} s_axis_t;

static double s_x(const s_axis_t *ax, double v)
{
    return S_BAR_LABEL + (v - ax->lo) / ax->span * (S_BAR_W - S_BAR_LABEL - 90);
}

/* From the lowest value (or zero) to the highest, the target band and a tenth beyond. */
static s_axis_t s_bar_axis(const Samla__V1__Compare *c, const s_chart_t *ch,
                           const s_band_t *band)
{
    double lo = 0, hi = 0, v;
    for (size_t i = 0; i < c->n_forbund; i++)
        if (s_num(s_metric(c->forbund[i], ch->metric, false), &v)) {
            lo = fmin(lo, v);
            hi = fmax(hi, v);
        }
    if (band->has_low)
        hi = fmax(hi, band->low * 1.1);
    if (band->has_high)
        hi = fmax(hi, band->high * 1.1);
    if (hi - lo <= 0)
        hi = lo + 1;
    s_axis_t ax = {lo, hi - lo, 0};
    ax.x0 = s_x(&ax, 0);
    return ax;
}

/* A value as the chart labels it: Swedish decimals of its metric, " %" for a share. */
static void s_bar_value(double v, const char *metric, char *buf, size_t size)
{
    const mshow_t *m = mshow_find(metric);
    char num[64];
    text_decimal_sv(v, m ? m->decimals : 0, num, sizeof num);
    snprintf(buf, size, "%s%s", num, m && m->unit == UNIT_PERCENT ? " %" : "");
}

/* One förbund's name and bar (from the zero line, either way), or "saknas". */
static void s_bar_row(FILE *out, const s_axis_t *ax, const Samla__V1__ForbundFigures *f,
                      const s_chart_t *ch, size_t i)
{
    int y = S_BAR_TOP + (int)i * S_BAR_ROW;
    fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" class=\"lbl\">",
            S_BAR_LABEL - 8, y + 15);
    s_html(out, render_short_name(f->name));
    fputs("</text>\n", out);
    double v;
    if (!s_num(s_metric(f, ch->metric, false), &v)) {
        fprintf(out, "<text x=\"%.1f\" y=\"%d\" class=\"missing\">saknas</text>\n", ax->x0 + 4,
                y + 15);
        return;
    }
    double a = fmin(s_x(ax, v), ax->x0), b = fmax(s_x(ax, v), ax->x0);
    fprintf(out, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>\n", a,
            y + 2, fmax(b - a, 1.0), S_BAR_ROW - 8, s_colours[i % N_COLOURS]);
    char buf[80];
    s_bar_value(v, ch->metric, buf, sizeof buf);
    /* beyond the bar's own end: a negative bar's label left of it, clear of the zero axis
     * and of the median line drawn there, or inside it when the names leave no room */
    if (v < 0 && a - 4 - 6.5 * (double)text_width(buf) < S_BAR_LABEL)
        fprintf(out, "<text x=\"%.1f\" y=\"%d\" fill=\"#fff\" class=\"val\">%s</text>\n",
                a + 4, y + 15, buf);
    else if (v < 0)
        fprintf(out, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"end\" class=\"val\">%s</text>\n",
                a - 4, y + 15, buf);
    else
        fprintf(out, "<text x=\"%.1f\" y=\"%d\" class=\"val\">%s</text>\n", b + 4, y + 15, buf);
}

/* A horizontal bar per förbund, the region median as a dashed line, a target band. */
static void s_bars(FILE *out, const Samla__V1__Compare *c, const s_chart_t *ch,
                   const s_band_t *band)
{
    s_axis_t ax = s_bar_axis(c, ch, band);
    int bottom = S_BAR_TOP + (int)c->n_forbund * S_BAR_ROW;
    fprintf(out, "<figure><figcaption>");
    s_html(out, ch->title);
    if (band->text[0]) {
        fputs(" – ", out);
        s_html(out, band->text);
    }
    fputs("</figcaption>\n", out);
    fprintf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" class=\"chart\" "
                 "role=\"img\">\n", S_BAR_W, bottom + 30);
    if (band->has_low || band->has_high) {
        double a = band->has_low ? band->low : ax.lo;
        double b = band->has_high ? band->high : ax.lo + ax.span;
        fprintf(out, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#e3f4e1\"/>\n",
                s_x(&ax, a), S_BAR_TOP - 8, s_x(&ax, b) - s_x(&ax, a), bottom - S_BAR_TOP + 8);
    }
    for (size_t i = 0; i < c->n_forbund; i++)
        s_bar_row(out, &ax, c->forbund[i], ch, i);
    fprintf(out, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"#333\"/>\n", ax.x0,
            ax.x0, S_BAR_TOP - 8, bottom);
    const Samla__V1__Aggregate *ag = s_agg(c, ch->metric);
    if (ag && ag->has_median) {
        char buf[80];
        s_bar_value(ag->median, ch->metric, buf, sizeof buf);
        double xm = s_x(&ax, ag->median);
        fprintf(out, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"#000\" "
                     "stroke-dasharray=\"5 4\"/>\n", xm, xm, S_BAR_TOP - 12, bottom);
        fprintf(out, "<text x=\"%.1f\" y=\"%d\" class=\"med\">median %s</text>\n", xm + 3,
                bottom + 18, buf);
    }
    fputs("</svg></figure>\n", out);
}

/* A round step near `raw`: 1, 2 or 5 times a power of ten. */
static double s_nice_step(double raw)
{
    if (!(raw > 0) || !isfinite(raw))
        return 1;
    double p = pow(10, floor(log10(raw))), f = raw / p;
    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
}

/* One line per förbund over the months of the year; gaps where a month is missing. The
 * axis starts at zero or below, so the zero line is drawn (darker). */
static void s_lines(FILE *out, const Samla__V1__Export *e, const char *metric, const char *title)
{
    const int W = 760, H = 260, L = 90, R = 20, T = 20, B = 40;
    double lo = 0, hi = 0, v;
    size_t nf = e->n_months ? e->months[0]->n_forbund : 0;
    for (size_t m = 0; m < e->n_months; m++)
        for (size_t i = 0; i < e->months[m]->n_forbund; i++)
            if (s_num(s_metric(e->months[m]->forbund[i], metric, false), &v)) {
                lo = fmin(lo, v);
                hi = fmax(hi, v);
            }
    /* round ticks: a step of 1, 2 or 5 times a power of ten, the axis on whole steps */
    double step = s_nice_step((hi - lo) / 4.0);
    lo = floor(lo / step) * step;
    hi = ceil(hi / step) * step;
    if (hi - lo <= 0)
        hi = lo + step;
#define PX(m) (L + (double)(m) * (W - L - R) / 11.0)
#define PY(val) (T + (hi - (val)) / (hi - lo) * (H - T - B))
    fprintf(out, "<figure><figcaption>");
    s_html(out, title);
    fputs(", ackumulerat hittills under året, per månad</figcaption>\n", out);
    fprintf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" class=\"chart\" "
                 "role=\"img\">\n", W, H);
    for (int m = 0; m < 12; m++)
        fprintf(out, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" class=\"lbl\">%s</text>\n",
                PX(m), H - 15, period_month_abbr[m]);
    char buf[64];
    for (int k = 0; lo + k * step <= hi + step / 2; k++) {
        double val = lo + k * step;
        text_decimal_sv(val, 0, buf, sizeof buf);
        fprintf(out, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>"
                     "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" class=\"lbl\">%s</text>\n",
                L, W - R, PY(val), PY(val), fabs(val) < step / 2 ? "#333" : "#ddd", L - 6,
                PY(val) + 4, buf);
    }
    for (size_t i = 0; i < nf; i++) {
        bool pen = false;
        fputs("<path fill=\"none\"", out);
        s_stroke(out, i);
        fputs(" d=\"", out);
        for (size_t m = 0; m < e->n_months && m < 12; m++) {
            if (s_num(s_metric(e->months[m]->forbund[i], metric, false), &v)) {
                fprintf(out, "%c%.1f %.1f ", pen ? 'L' : 'M', PX(m), PY(v));
                pen = true;
            } else {
                pen = false;
            }
        }
        fputs("\"/>\n", out);
        /* a dot on every month reported: a month between two missing ones has no line */
        for (size_t m = 0; m < e->n_months && m < 12; m++)
            if (s_num(s_metric(e->months[m]->forbund[i], metric, false), &v))
                s_marker(out, i, PX(m), PY(v));
    }
    fputs("</svg></figure>\n", out);
#undef PX
#undef PY
}

/* Start, new, ended and active participants per förbund as grouped bars. */
static void s_flow(FILE *out, const Samla__V1__Compare *c)
{
    static const char *parts[] = {"vid årets start", "nya", "avslutade", "aktuella nu"};
    static const char *fill[] = {"#9ecae1", "#3182bd", "#e6550d", "#31a354"};
    const int W = 760, label = 230, group = 62, top = 30;
    int H = top + (int)c->n_forbund * group + 20;
    double vals[64][4], hi = 1;
    bool ok[64];
    size_t n = c->n_forbund < 64 ? c->n_forbund : 64;
    for (size_t i = 0; i < n; i++) {
        double p, nw, en, ac;
        const Samla__V1__ForbundFigures *f = c->forbund[i];
        ok[i] = s_num(s_metric(f, "participants", false), &p) &&
                s_num(s_metric(f, "new_participants", false), &nw) &&
                s_num(s_metric(f, "ended_participants", false), &en) &&
                s_num(s_metric(f, "active_participants", false), &ac);
        if (ok[i]) {
            double v[4] = {p - nw, nw, en, ac};
            memcpy(vals[i], v, sizeof v);
            for (int k = 0; k < 4; k++)
                hi = fmax(hi, v[k]);
        }
    }
    fprintf(out, "<figure><figcaption>Deltagarflödet i individinsatser: vid årets start, nya, "
                 "avslutade och aktuella</figcaption>\n");
    fprintf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" class=\"chart\" "
                 "role=\"img\">\n", W, H);
    /* the legend's entries side by side, each as wide as its words (about 7 px a letter
     * at 12 px) */
    for (int k = 0, x = label; k < 4; k++) {
        fprintf(out, "<rect x=\"%d\" y=\"4\" width=\"12\" height=\"12\" fill=\"%s\"/><text "
                     "x=\"%d\" y=\"14\" class=\"lbl\">%s</text>\n",
                x, fill[k], x + 16, parts[k]);
        x += 16 + 7 * (int)strlen(parts[k]) + 14;
    }
    for (size_t i = 0; i < n; i++) {
        int y = top + (int)i * group;
        fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" class=\"lbl\">", label - 8,
                y + 30);
        s_html(out, render_short_name(c->forbund[i]->name));
        fputs("</text>\n", out);
        if (!ok[i]) {
            fprintf(out, "<text x=\"%d\" y=\"%d\" class=\"missing\">saknas</text>\n", label + 4,
                    y + 30);
            continue;
        }
        for (int k = 0; k < 4; k++) {
            double w = vals[i][k] / hi * (W - label - 80);
            char buf[32];
            text_decimal_sv(vals[i][k], 0, buf, sizeof buf);
            fprintf(out, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"12\" fill=\"%s\"/>"
                         "<text x=\"%.1f\" y=\"%d\" class=\"val\">%s</text>\n",
                    label, y + k * 13, fmax(w, 1.0), fill[k], label + w + 4, y + k * 13 + 10,
                    buf);
        }
    }
    fputs("</svg></figure>\n", out);
}

/* --- the page -------------------------------------------------------------------------- */

/* The document's head with the style both reports share: A4 portrait, a print stylesheet,
 * charts that scale to the page. */
static void s_page_start(FILE *out, const char *title)
{
    fputs("<!DOCTYPE html>\n<html lang=\"sv\"><head><meta charset=\"utf-8\">\n<title>", out);
    s_html(out, title);
    fputs("</title>\n<style>\n"
          "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2em;"
          "color:#222;max-width:1100px}\n"
          "table{border-collapse:collapse;font-size:13px;margin:1em 0}\n"
          "th,td{border-bottom:1px solid #ccc;padding:4px 6px;text-align:right;"
          "vertical-align:top}td{white-space:nowrap}\n"
          "th:first-child{text-align:left}thead th{background:#f0f3f6}\n"
          "tr.region{font-weight:bold;background:#fafafa}\n"
          "small{color:#666}\n"
          ".missing{color:#b03a2e;font-style:italic}\n"
          "figure{margin:1.5em 0}figcaption{font-weight:600;margin-bottom:.3em}\n"
          "svg text{font-size:12px;font-family:inherit}svg .val{fill:#333}"
          "svg .med{font-size:11px}svg .missing{fill:#b03a2e;font-style:italic}\n"
          ".late{color:#b03a2e;font-weight:bold}\n"
          "svg.chart{width:100%;height:auto;max-width:760px}\n"
          "@media (max-width:800px){body{margin:1em}}\n"
          "svg .val,svg .med{paint-order:stroke;stroke:#fff;stroke-width:3px}\n"
          "caption{text-align:left;font-weight:600;padding:.3em 0}\n"
          "table.goals td{white-space:normal}\n"
          "table.areas{font-size:12px}table.areas td,table.areas th{padding:3px 4px}\n"
          "@page{size:A4 portrait;margin:15mm}\n"
          "@media print{body{margin:0;max-width:none;font-size:11px}"
          "table{font-size:10px}figure,table,tr{break-inside:avoid}"
          "h2{break-after:avoid}}\n"
          "</style></head><body>\n", out);
}

/* Now in the readers' time zone: Swedish, whatever the machine's. */
static void s_now_sv(char *buf, size_t size)
{
    time_t t = time(NULL);
    struct tm tm;
    setenv("TZ", "Europe/Stockholm", 1);
    tzset();
    localtime_r(&t, &tm);
    strftime(buf, size, "%Y-%m-%d %H:%M", &tm);
}

/* One table of the comparison: a row per förbund with last year's figure under each of
 * this year's, and the group as one unit, "Regionen (n av N)" for the n that reported. */
static void s_table_part(FILE *out, const Samla__V1__Compare *c, const char *caption,
                         const char *const *cols, size_t ncols)
{
    size_t reported = 0;
    for (size_t i = 0; i < c->n_forbund; i++)
        reported += c->forbund[i]->revision > 0;
    fprintf(out, "<table><caption>%s</caption><thead><tr><th>Förbund</th>", caption);
    for (size_t k = 0; k < ncols; k++) { /* the metric's own short heading, as the */
        char head[128];                      /* terminal's: "- " may break, a soft hyphen */
        mshow_short_head(cols[k], head, sizeof head);
        fputs("<th>", out);
        for (char *p = head, *br; p; p = br ? br + 2 : NULL) {
            if ((br = strstr(p, "- ")))
                *br = '\0';
            s_html(out, p);
            if (br)
                fputs("&shy;", out);
        }
        fputs("</th>", out);
    }
    fputs("</tr></thead><tbody>\n", out);
    for (size_t i = 0; i < c->n_forbund; i++) {
        const Samla__V1__ForbundFigures *f = c->forbund[i];
        fputs("<tr><th>", out);
        s_html(out, render_short_name(f->name));
        fprintf(out, "<br><small>%s, %s%s</small></th>", f->orgnr,
                strcmp(f->status, "final") == 0         ? "slutlig"
                : strcmp(f->status, "preliminary") == 0 ? "preliminär"
                                                        : "saknas",
                f->revision > 1 ? ", rättad" : "");
        for (size_t k = 0; k < ncols; k++) {
            fputs("<td>", out);
            s_cell(out, s_metric(f, cols[k], false));
            if (f->previous_revision) {
                fputs("<br><small>fg. år ", out);
                s_cell(out, s_metric(f, cols[k], true));
                fputs("</small>", out);
            }
            fputs("</td>", out);
        }
        fputs("</tr>\n", out);
    }
    fprintf(out, "<tr class=\"region\"><th>Regionen (%zu av %zu)</th>", reported, c->n_forbund);
    for (size_t k = 0; k < ncols; k++) {
        const Samla__V1__Aggregate *a = s_agg(c, cols[k]);
        Samla__V1__MetricValue mv = SAMLA__V1__METRIC_VALUE__INIT;
        mv.name = (char *)cols[k];
        mv.has_value = a && a->has_region;
        mv.value = a ? a->region : 0;
        fputs("<td>", out);
        s_cell(out, &mv);
        fputs("</td>", out);
    }
    fputs("</tr></tbody></table>\n", out);
}

/* The comparison in two tables that fit A4 portrait: money, then people. */
static void s_table(FILE *out, const Samla__V1__Compare *c)
{
    static const char *const money[] = {"revenue", "costs", "result", "equity",
                                        "equity_ratio"};
    static const char *const people[] = {"liquidity_ratio", "intervention_share",
                                         "participants", "work_or_studies_share",
                                         "cost_per_participant"};
    s_table_part(out, c, "Ekonomi", money, sizeof money / sizeof money[0]);
    s_table_part(out, c, "Likviditet, insatser och deltagare", people,
                 sizeof people / sizeof people[0]);
    fputs("<p><small>Regionen: förbunden som ett: summan för belopp och antal, summan av "
          "täljarna genom summan av nämnarna för andelar. Regionen (n av N): n förbund har "
          "rapporterat.</small></p>\n", out);
}

/* Participants by gender, from the month's comparison: women and men side by side. */
static void s_gender_table(FILE *out, const Samla__V1__Compare *c)
{
    static const char *const cols[] = {"participants_women", "participants_men",
                                       "new_participants_women", "new_participants_men",
                                       "work_or_studies_share_women",
                                       "work_or_studies_share_men"};
    s_table_part(out, c, "Individinsatser efter kön", cols, sizeof cols / sizeof cols[0]);
}

/* The driftsredovisning of the group by class: how each förbund's costs split between
 * administration, structural and individual interventions and the rest (a stacked bar,
 * from the shares samlad computes), then the same as figures with the budget used. */
static void s_cost_split(FILE *out, const Samla__V1__Compare *c)
{
    static const char *parts[] = {"administration", "strukturinsatser", "individinsatser",
                                  "övrigt"};
    static const char *fill[] = {"#bdbdbd", "#e07b39", "#1f6f8b", "#e8e8e8"};
    const int W = 760, label = 230, row = 26, top = 30;
    int H = top + (int)c->n_forbund * row + 24;
    fputs("<figure><figcaption>Kostnadernas fördelning, % av kostnaderna "
          "(driftsredovisningens områden)</figcaption>\n", out);
    fprintf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
                 "class=\"chart\" role=\"img\">\n", W, H);
    for (int k = 0, x = label; k < 4; k++) {
        fprintf(out, "<rect x=\"%d\" y=\"4\" width=\"12\" height=\"12\" fill=\"%s\" "
                     "stroke=\"#999\" stroke-width=\".5\"/><text x=\"%d\" y=\"14\" "
                     "class=\"lbl\">%s</text>\n", x, fill[k], x + 16, parts[k]);
        x += 16 + 7 * (int)strlen(parts[k]) + 14;
    }
    const double span = W - label - 20;
    for (size_t i = 0; i < c->n_forbund; i++) {
        const Samla__V1__ForbundFigures *f = c->forbund[i];
        int y = top + (int)i * row;
        fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" class=\"lbl\">",
                label - 8, y + 15);
        s_html(out, render_short_name(f->name));
        fputs("</text>\n", out);
        double admin, inter, indiv;
        if (!s_num(s_metric(f, "admin_share", false), &admin) ||
            !s_num(s_metric(f, "intervention_share", false), &inter) ||
            !s_num(s_metric(f, "individual_share", false), &indiv)) {
            fprintf(out, "<text x=\"%d\" y=\"%d\" class=\"missing\">saknas</text>\n",
                    label + 4, y + 15);
            continue;
        }
        /* shares of the same costs: structural is the interventions less the individual */
        double v[4] = {admin, inter - indiv, indiv, 100.0 - admin - inter};
        double x = label;
        for (int k = 0; k < 4; k++) {
            double w = fmax(0.0, fmin(v[k], 100.0)) / 100.0 * span;
            fprintf(out, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"18\" "
                         "fill=\"%s\"/>", x, y + 2, w, fill[k]);
            if (w > 34) {
                char buf[32];
                text_decimal_sv(v[k], 0, buf, sizeof buf);
                fprintf(out, "<text x=\"%.1f\" y=\"%d\" class=\"val\" "
                             "text-anchor=\"middle\">%s</text>", x + w / 2, y + 15, buf);
            }
            x += w;
        }
        fputc('\n', out);
    }
    fputs("</svg></figure>\n", out);
    static const char *const cols[] = {"costs", "admin_share", "intervention_share",
                                       "individual_share", "budget_utilisation"};
    s_table_part(out, c, "Kostnader per område", cols, sizeof cols / sizeof cols[0]);
}

static const Samla__V1__MetricValue *s_year_value(const Samla__V1__OverviewYear *y,
                                                  const char *metric)
{
    for (size_t k = 0; k < y->n_metrics; k++)
        if (strcmp(y->metrics[k]->name, metric) == 0)
            return y->metrics[k];
    return NULL;
}

/* Five years side by side (the export's overviews): one table per metric, a row per
 * förbund, each year's December or, marked *, its latest month. Years no förbund
 * reported are left out. */
static void s_years(FILE *out, const Samla__V1__Export *e)
{
    enum { S_MAX_YEARS = 20 }; /* the daemon's bound for --years */
    if (!e->n_overviews || !e->overviews[0]->n_years)
        return;
    const Samla__V1__Overview *o0 = e->overviews[0];
    size_t ny = o0->n_years < S_MAX_YEARS ? o0->n_years : S_MAX_YEARS, first = ny, last = 0;
    bool keep[S_MAX_YEARS] = {false};
    for (size_t i = 0; i < e->n_overviews; i++)
        for (size_t y = 0; y < ny && y < e->overviews[i]->n_years; y++)
            keep[y] |= e->overviews[i]->years[y]->revision > 0;
    for (size_t y = 0; y < ny; y++)
        if (keep[y]) {
            first = first < y ? first : y;
            last = y;
        }
    if (first == ny)
        return;
    static const char *const rows[] = {"result", "equity_ratio", "participants",
                                       "work_or_studies_share"};
    fprintf(out, "<h2>År för år, %u–%u</h2>\n<p>Varje års december; * märker ett år där "
                 "senaste rapporterade månad visas.</p>\n",
            o0->years[first]->year, o0->years[last]->year);
    for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
        char head[256];
        mshow_head(rows[r], head, sizeof head);
        fputs("<table><caption>", out);
        s_html(out, head);
        fputs("</caption><thead><tr><th>Förbund</th>", out);
        for (size_t y = 0; y < ny; y++)
            if (keep[y])
                fprintf(out, "<th>%u</th>", o0->years[y]->year);
        fputs("</tr></thead><tbody>\n", out);
        for (size_t i = 0; i < e->n_overviews; i++) {
            const Samla__V1__Overview *o = e->overviews[i];
            fputs("<tr><th>", out);
            s_html(out, render_short_name(o->name));
            fputs("</th>", out);
            for (size_t y = 0; y < ny && y < o->n_years; y++) {
                const Samla__V1__OverviewYear *oy = o->years[y];
                if (!keep[y])
                    continue;
                fputs("<td>", out);
                s_cell(out, s_year_value(oy, rows[r]));
                if (oy->period && strcmp(oy->period + 4, "-12") != 0)
                    fputs("*", out);
                fputs("</td>", out);
            }
            fputs("</tr>\n", out);
        }
        fputs("</tbody></table>\n", out);
    }
}

const Samla__V1__Compare *report_month(const Samla__V1__Export *e)
{
    for (size_t m = e->n_months; m-- > 0;)
        for (size_t i = 0; i < e->months[m]->n_forbund; i++)
            if (e->months[m]->forbund[i]->revision)
                return e->months[m];
    return NULL;
}

/* --- targets ---------------------------------------------------------------------------- */

static void s_goal_text(FILE *out, const Samla__V1__Target *t)
{
    char words[80];
    render_target_words(t, words, sizeof words);
    s_html_text(out, words, true);
}

/* The cells after a target's label, ending the row: target, outcome, verdict. */
static void s_goal_cells(FILE *out, const Samla__V1__ForbundFigures *f,
                         const Samla__V1__Target *t)
{
    fputs("<td>", out);
    s_goal_text(out, t);
    fputs("</td><td>", out);
    if (t->insats) { /* the intervention's own figure */
        char v[48];
        render_target_outcome(t, NULL, v, sizeof v);
        s_html(out, v);
    } else {
        s_cell(out, s_metric(f, t->metric, false));
    }
    char proj[48];
    render_target_projection(t, proj, sizeof proj);
    fputs("</td><td>", out);
    s_html(out, proj);
    const char *verdict = render_target_verdict(t);
    bool bad = (t->has_met && !t->met) || (t->has_on_track && !t->on_track);
    fprintf(out, "</td><td>%s%s%s</td></tr>\n", bad ? "<b>" : "", verdict, bad ? "</b>" : "");
}

/* Every förbund's targets beside the outcome: one row per (förbund, metric). */
static void s_goals(FILE *out, const Samla__V1__Compare *g)
{
    fputs("<h2>Mål och utfall</h2>\n<p>Förbundens mål (från samlads konfiguration; annars de "
          "nationella finansiella målen) mot utfallet hittills. Årsmål bedöms på december, "
          "dessförinnan på helårsprognosen (utfallet × 12 / månad).</p>\n"
          "<table class=\"goals\"><thead><tr>"
          "<th>Förbund</th><th>Nyckeltal</th><th>Mål</th><th>Utfall</th>"
          "<th>Helårsprognos</th><th>Bedömning</th>"
          "</tr></thead><tbody>\n", out);
    for (size_t i = 0; i < g->n_forbund; i++) {
        const Samla__V1__ForbundFigures *f = g->forbund[i];
        for (size_t k = 0; k < f->n_targets; k++) {
            const Samla__V1__Target *t = f->targets[k];
            const mshow_t *m = mshow_find(t->metric);
            fputs("<tr><th>", out);
            if (k == 0)
                s_html(out, render_short_name(f->name));
            fputs("</th><td style=\"text-align:left\">", out);
            char label[256];
            render_target_label(t, m ? m->label : t->metric, label, sizeof label);
            s_html(out, label); /* an intervention's name: text, never markup */
            fputs("</td>", out);
            s_goal_cells(out, f, t);
        }
    }
    fputs("</tbody></table>\n", out);
}

/* The month compared: table, goals, the key figures as bars, costs, participants, and the
 * year so far as lines. */
static void s_month_sections(FILE *out, const Samla__V1__Export *e, const Samla__V1__Compare *c,
                             const Samla__V1__Compare *goals)
{
    fprintf(out, "<h2>Jämförelse %s</h2>\n<p>%s</p>\n", c->period,
            strncmp(c->period + 5, "12", 2) == 0 ? "Helårssiffror (slutliga)."
                                                 : "Preliminära siffror: året är inte slut.");
    s_table(out, c);
    if (goals)
        s_goals(out, goals);
    fputs("<h2>Nyckeltal per förbund</h2>\n<p>Streckad linje: regionens median. Grönt "
          "fält: förbundens finansiella mål.</p>\n", out);
    for (size_t k = 0; k < sizeof s_key / sizeof s_key[0]; k++) {
        s_band_t band = s_band(&s_key[k], goals);
        s_bars(out, c, &s_key[k], &band);
    }
    fputs("<h2>Kostnader per område</h2>\n", out);
    s_cost_split(out, c);
    fputs("<h2>Deltagare</h2>\n", out);
    s_flow(out, c);
    s_gender_table(out, c);
    if (!e) /* one month alone: no year to draw */
        return;
    fputs("<h2>Under året</h2>\n<p>", out);
    for (size_t i = 0; i < c->n_forbund; i++) {
        /* the förbund's line as the charts draw it: colour, dash and marker */
        fputs("<svg width=\"34\" height=\"12\" viewBox=\"0 0 34 12\" "
              "style=\"vertical-align:middle\"><path d=\"M1 6L33 6\"", out);
        s_stroke(out, i);
        fputs("/>", out);
        s_marker(out, i, 17, 6);
        fputs("</svg> ", out);
        s_html(out, render_short_name(c->forbund[i]->name));
        fputs("&nbsp;&nbsp; ", out);
    }
    fputs("</p>\n", out);
    s_lines(out, e, "costs", "Kostnader");
    s_lines(out, e, "result", "Resultat");
    s_lines(out, e, "participants", "Deltagare");
    s_years(out, e);
}

/* A group's page up to its first section: title, heading and how to read it; `when` is
 * the month or year it is about. */
static void s_group_page(FILE *out, const char *region, const char *when)
{
    char now[32], title[160];
    s_now_sv(now, sizeof now);
    snprintf(title, sizeof title, "Samla %s %s", region ? region : "", when);
    s_page_start(out, title);
    fputs("<h1>Samordningsförbunden i ", out);
    s_html(out, region && *region ? region : "regionen");
    fprintf(out, " – %s</h1>\n<p>Skapad %s (svensk tid) av Samla. Belopp i kronor hittills "
                 "under året; föregående års siffra under årets, märkt fg. år. "
                 "<span class=\"missing\">saknas</span> betyder att siffran inte finns "
                 "(inte noll).</p>\n",
            when, now);
}

void report_compare_html(const Samla__V1__Compare *c, FILE *out)
{
    s_group_page(out, c->region, c->period);
    s_month_sections(out, NULL, c, c); /* the targets are the compare's own */
    fputs("</body></html>\n", out);
}

/* Versions received per förbund and month; a month past due and missing is marked. */
static void s_status_table(FILE *out, const Samla__V1__Status *st)
{
    fputs("<h2>Rapportering</h2>\n<p>Antal versioner per månad. <span class=\"late\">!"
          "</span> saknas men borde ha kommit; · har inte kommit än.</p>\n"
          "<table><thead><tr><th>Förbund</th>", out);
    for (int m = 0; m < 12; m++)
        fprintf(out, "<th>%s</th>", period_month_abbr[m]);
    fputs("<th>Senast</th></tr></thead><tbody>\n", out);
    for (size_t i = 0; i < st->n_forbund; i++) {
        const Samla__V1__ForbundStatus *f = st->forbund[i];
        fputs("<tr><th>", out);
        s_html(out, render_short_name(f->name));
        fputs("</th>", out);
        for (size_t m = 0; m < f->n_months; m++) {
            const Samla__V1__MonthStatus *ms = f->months[m];
            if (ms->revisions)
                fprintf(out, "<td>%u</td>", ms->revisions);
            else if (st->generated_at && strncmp(ms->period, st->generated_at, 7) < 0)
                fputs("<td class=\"late\" title=\"saknas\">!</td>", out);
            else
                fputs("<td>·</td>", out);
        }
        fprintf(out, "<td>%.10s</td></tr>\n", f->last_received ? f->last_received : "aldrig");
    }
    fputs("</tbody></table>\n", out);
}

void report_html(const Samla__V1__Export *e, const Samla__V1__Status *st,
                 const Samla__V1__Compare *goals, FILE *out)
{
    /* the month compared: the compare with last year and targets when there is one (an
     * export carries this year's values only) */
    const Samla__V1__Compare *c = goals ? goals : report_month(e);
    char year[16];
    snprintf(year, sizeof year, "%u", e->year);
    s_group_page(out, e->region, year);
    if (c)
        s_month_sections(out, e, c, goals);
    else
        fputs("<p class=\"missing\">Inga rapporter har kommit in för året.</p>\n", out);
    if (st)
        s_status_table(out, st);
    fputs("</body></html>\n", out);
}

/* --- one förbund's monthly follow-up ------------------------------------------------------- */


/* A row of "Nyckeltal | Utfall | Fg. år | Gruppens median". */
static void s_beside(FILE *out, const Samla__V1__Compare *c, const Samla__V1__ForbundFigures *f,
                     const char *metric)
{
    const Samla__V1__Aggregate *ag = s_agg(c, metric);
    char head[256];
    mshow_head(metric, head, sizeof head);
    fputs("<tr><th>", out);
    s_html(out, head);
    fputs("</th><td>", out);
    s_cell(out, s_metric(f, metric, false));
    fputs("</td><td>", out);
    if (f->previous_revision)
        s_cell(out, s_metric(f, metric, true));
    else
        fputs("<span class=\"missing\">saknas</span>", out);
    Samla__V1__MetricValue md = SAMLA__V1__METRIC_VALUE__INIT;
    md.name = (char *)metric;
    md.has_value = ag && ag->has_median;
    md.value = ag ? ag->median : 0;
    fputs("</td><td>", out);
    s_cell(out, &md);
    fputs("</td></tr>\n", out);
}

static void s_beside_table(FILE *out, const Samla__V1__Compare *c,
                           const Samla__V1__ForbundFigures *f, const char *caption,
                           const char *const *metrics, size_t n)
{
    fprintf(out, "<table><caption>%s</caption><thead><tr><th>Nyckeltal</th><th>Utfall</th>"
                 "<th>Fg. år</th><th>Gruppens median</th></tr></thead><tbody>\n", caption);
    for (size_t i = 0; i < n; i++)
        s_beside(out, c, f, metrics[i]);
    fputs("</tbody></table>\n", out);
}

/* Participants by gender: "Kvinnor | Män | Totalt" for the counts of the compare. */
static void s_people(FILE *out, const Samla__V1__ForbundFigures *f)
{
    static const char *const rows[] = {"participants", "new_participants",
                                       "ended_participants", "active_participants",
                                       "work_or_studies_share"};
    fputs("<table><caption>Deltagare i individinsatser</caption><thead><tr><th></th>"
          "<th>Kvinnor</th><th>Män</th><th>Totalt</th></tr></thead><tbody>\n", out);
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char w[64], mn[64], head[256];
        snprintf(w, sizeof w, "%s_women", rows[i]);
        snprintf(mn, sizeof mn, "%s_men", rows[i]);
        mshow_head(rows[i], head, sizeof head);
        fputs("<tr><th>", out);
        s_html(out, head);
        fputs("</th><td>", out);
        s_cell(out, s_metric(f, w, false));
        fputs("</td><td>", out);
        s_cell(out, s_metric(f, mn, false));
        fputs("</td><td>", out);
        s_cell(out, s_metric(f, rows[i], false));
        fputs("</td></tr>\n", out);
    }
    fputs("</tbody></table>\n", out);
}

static void s_kr_cell(FILE *out, protobuf_c_boolean has, int64_t ore)
{
    char buf[64];
    if (!has) {
        fputs("<td><span class=\"missing\">saknas</span></td>", out);
        return;
    }
    money_format_sv(ore, 0, buf, sizeof buf);
    fprintf(out, "<td>%s</td>", buf);
}

/* The driftsredovisning as samla areas and samla-agent check give it: each area's costs,
 * the income booked on it, its net cost, budget of costs and deviation (budget − costs);
 * the sum of the areas, then what reconciles it with the income statement. */
static void s_areas_html(FILE *out, const Samla__V1__Areas *a)
{
    bool year = false, forecast = false; /* their columns only when some area has them */
    for (size_t i = 0; i < a->n_areas; i++) {
        year |= a->areas[i]->has_budget_year;
        forecast |= a->areas[i]->has_forecast;
    }
    fprintf(out, "<table class=\"areas\"><caption>Driftsredovisning per kostnadsområde, kr "
                 "(kostnader som positiva tal)</caption><thead><tr><th>Kostnadsområde</th>"
                 "<th>Kostnader</th><th>Intäkter</th><th>Netto</th><th>Budget</th>"
                 "<th>Avvikelse</th>%s%s</tr></thead><tbody>\n",
            year ? "<th>Årsbudget</th>" : "", forecast ? "<th>Prognos helår</th>" : "");
    for (size_t i = 0; i < a->n_areas; i++) {
        const Samla__V1__AreaFigures *f = a->areas[i];
        fputs("<tr><th>", out);
        s_html(out, f->code); /* from the förbund's books: text, never markup */
        fputc(' ', out);
        s_html(out, f->name ? f->name : "");
        fputs("</th>", out);
        s_kr_cell(out, 1, f->outcome);
        s_kr_cell(out, 1, f->income);
        s_kr_cell(out, 1, f->outcome - f->income);
        s_kr_cell(out, 1, f->budget);
        s_kr_cell(out, 1, f->budget - f->outcome);
        if (year)
            s_kr_cell(out, f->has_budget_year, f->budget_year);
        if (forecast)
            s_kr_cell(out, f->has_forecast, f->forecast);
        fputs("</tr>\n", out);
    }
    for (size_t i = 0; i < a->n_totals; i++) {
        const Samla__V1__AreaTotal *t = a->totals[i];
        bool all = strcmp(t->key, "all") == 0;
        if (!all && !render_area_reconciles(t->key))
            continue; /* the classes' sums are in samla areas */
        fprintf(out, "<tr class=\"region\"><th>%s</th>",
                all ? "Summa" : render_class_sv(t->key, false));
        s_kr_cell(out, t->has_outcome, t->outcome);
        s_kr_cell(out, t->has_income, t->income);
        s_kr_cell(out, t->has_outcome && t->has_income, t->outcome - t->income);
        if (all) {
            s_kr_cell(out, t->has_budget, t->budget);
            s_kr_cell(out, t->has_outcome && t->has_budget, t->budget - t->outcome);
        } else {
            fputs("<td></td><td></td>", out);
        }
        if (year && all)
            s_kr_cell(out, t->has_budget_year, t->budget_year);
        if (forecast && all)
            s_kr_cell(out, t->has_forecast, t->forecast);
        if (!all)
            fprintf(out, "%s%s", year ? "<td></td>" : "", forecast ? "<td></td>" : "");
        fputs("</tr>\n", out);
    }
    fputs("</tbody></table>\n<p><small>Netto = kostnader − intäkter bokförda på området; "
          "avvikelse = budget − kostnader (positiv: under budget).</small></p>\n", out);
}

/* The books as the annual report prints them (common/statements.c, the same whole kronor
 * as samla statements): ekonomiskt utfall, income statement, balance sheet, cash flow. */
static void s_statements_html(FILE *out, const Samla__V1__Statements *r)
{
    stmt_t s;
    if (!r || !r->revision || stmt_build(r, &s))
        return;
    bool full_year = r->last_year_basis && strcmp(r->last_year_basis, "full_year") == 0;
    static const char *const caption[STMT_SECTIONS] = {
        [STMT_SUMMARY] = "Ekonomiskt utfall, kr", [STMT_INCOME] = "Resultaträkning, kr",
        [STMT_BALANCE] = "Balansräkning, kr",
        [STMT_CASH_FLOW] = "Kassaflödesanalys sedan årets början, kr"};
    for (int sec = 0; sec < STMT_SECTIONS; sec++) {
        size_t shown = 0;
        for (size_t i = 0; i < s.n; i++)
            shown += s.rows[i].section == (stmt_section_t)sec;
        if (!shown)
            continue;
        fprintf(out, "<table class=\"areas\"><caption>%s</caption><thead><tr><th></th>",
                caption[sec]);
        if (sec == STMT_BALANCE)
            fprintf(out, "<th>Periodens slut</th><th>Fg. årets slut</th>");
        else if (sec == STMT_CASH_FLOW)
            fputs("<th>Belopp</th>", out);
        else
            fprintf(out, "<th>Utfall</th><th>Budget</th><th>Avvikelse</th><th>Prognos helår"
                         "</th><th>%s</th>", full_year ? "Fg. år (helår)" : "Fg. år");
        fputs("</tr></thead><tbody>\n", out);
        for (size_t i = 0; i < s.n; i++) {
            const stmt_row_t *w = &s.rows[i];
            if (w->section != (stmt_section_t)sec)
                continue;
            fprintf(out, "<tr%s><th>%s</th>", w->sum ? " class=\"region\"" : "", w->label);
            for (int c = 0; c < STMT_COLS; c++)
                if (stmt_section_has((stmt_section_t)sec, (stmt_col_t)c)) {
                    if (w->has[c])
                        s_kr_cell(out, 1, w->kr[c] * 100);
                    else
                        fputs("<td>–</td>", out);
                }
            fputs("</tr>\n", out);
        }
        fputs("</tbody></table>\n", out);
    }
    fputs("<p><small>Intäkter som positiva tal, kostnader som negativa; avvikelse = utfall − "
          "budget. Prognos helår: kostnadsområdenas prognoser (annars årsbudget).</small></p>\n",
          out);
    stmt_free(&s);
}

/* Who paid (financing.c, the same rows as samla financing): the members' contributions
 * with their shares beside the Finsam rule, and external funding per source. */
static void s_financing_html(FILE *out, const Samla__V1__Financing *r, const char *orgnr)
{
    const Samla__V1__ForbundFinancing *f = NULL;
    for (size_t i = 0; r && i < r->n_forbund; i++)
        if (strcmp(r->forbund[i]->orgnr, orgnr) == 0)
            f = r->forbund[i];
    fin_t s;
    if (!f || !f->revision || fin_build(r, f, &s))
        return;
    fputs("<table class=\"areas\"><caption>Finansiering per medlem, kr</caption><thead><tr>"
          "<th>Medlem eller finansiär</th><th>Slag</th><th>Belopp</th><th>Andel</th></tr>"
          "</thead><tbody>\n", out);
    for (size_t i = 0; i < s.n; i++) {
        const fin_row_t *w = &s.rows[i];
        fprintf(out, "<tr%s><th>", w->sum ? " class=\"region\"" : "");
        s_html(out, w->label); /* a member's name from the förbund's config: text */
        fprintf(out, "</th><td>%s</td>", w->sum ? "" : figures_member_kind_sv(w->kind));
        s_kr_cell(out, 1, w->kr * 100);
        if (isnan(w->share)) {
            fputs("<td>–</td></tr>\n", out);
        } else {
            char pct[32];
            text_decimal_sv(w->share, 1, pct, sizeof pct);
            fprintf(out, "<td>%s&nbsp;%%</td></tr>\n", pct);
        }
    }
    fputs("</tbody></table>\n", out);
    if (!isnan(s.state_share)) {
        char st[32], lo[32];
        text_decimal_sv(s.state_share, 1, st, sizeof st);
        text_decimal_sv(s.local_share, 1, lo, sizeof lo);
        fprintf(out, "<p><small>Staten %s&nbsp;%% av medlemsbidragen, regionen och kommunerna "
                     "%s&nbsp;%% (Finsam: 50&nbsp;%% och 50&nbsp;%%).</small></p>\n", st, lo);
    }
    fin_free(&s);
}

/* A count cell: the number, or "dolt" when withheld. */
static void s_count_cell(FILE *out, const Samla__V1__BreakdownRow *r, uint64_t n)
{
    fputs("<td>", out);
    if (r->has_suppressed && r->suppressed) {
        s_withheld(out);
    } else {
        char buf[32];
        text_decimal_sv((double)n, 0, buf, sizeof buf);
        fputs(buf, out);
    }
    fputs("</td>", out);
}

/* A line's women, men, unspecified and total. */
static void s_count_cells(FILE *out, const Samla__V1__BreakdownRow *r)
{
    s_count_cell(out, r, r->women);
    s_count_cell(out, r, r->men);
    s_count_cell(out, r, r->unspecified);
    s_count_cell(out, r, r->total);
}

/* The förbund's lines in a breakdown reply (NULL when it has none). */
static const Samla__V1__ForbundBreakdown *s_lines_of(const Samla__V1__Participants *p,
                                                     const char *orgnr)
{
    for (size_t i = 0; p && i < p->n_forbund; i++)
        if (strcmp(p->forbund[i]->orgnr, orgnr) == 0)
            return p->forbund[i];
    return NULL;
}

/* Exit reasons by gender: a förbund's lines, or one intervention's (NULL or none: said). */
static void s_exits_html(FILE *out, const Samla__V1__ForbundBreakdown *f)
{
    fputs("<table><caption>Avslutade efter avslutsorsak</caption><thead><tr><th>Orsak</th>"
          "<th>Kvinnor</th><th>Män</th><th>Ej angivet</th><th>Totalt</th></tr></thead>"
          "<tbody>\n", out);
    for (size_t k = 0; f && k < f->n_rows; k++) {
        const Samla__V1__BreakdownRow *r = f->rows[k];
        fputs("<tr><th>", out);
        s_html(out, render_parts_word(r->key));
        fputs("</th>", out);
        s_count_cells(out, r);
        fputs("</tr>\n", out);
    }
    if (!f || !f->n_rows)
        fputs("<tr><td colspan=\"5\" class=\"missing\">inga avslut i underlaget</td></tr>\n",
              out);
    fputs("</tbody></table>\n", out);
}

/* The share of exits to work or studies (partflow_work_or_studies), all and by gender;
 * nothing when a line is withheld (the share would give it away) or none ended. */
static void s_work_or_studies_html(FILE *out, const Samla__V1__ForbundBreakdown *e)
{
    uint64_t wos[3] = {0}, all[3] = {0};
    for (size_t j = 0; j < e->n_rows; j++) {
        const Samla__V1__BreakdownRow *w = e->rows[j];
        if (w->has_suppressed && w->suppressed)
            return;
        const uint64_t n[3] = {w->women, w->men, w->total};
        for (int g = 0; g < 3; g++) {
            all[g] += n[g];
            wos[g] += partflow_work_or_studies(w->key) ? n[g] : 0;
        }
    }
    if (!all[2])
        return;
    char sh[32];
    text_decimal_sv(100.0 * (double)wos[2] / (double)all[2], 1, sh, sizeof sh);
    fprintf(out, "<p>Till arbete eller studier: %llu av %llu avslutade, %s&nbsp;%%",
            (unsigned long long)wos[2], (unsigned long long)all[2], sh);
    for (int g = 0; g < 2; g++)
        if (all[g]) {
            text_decimal_sv(100.0 * (double)wos[g] / (double)all[g], 1, sh, sizeof sh);
            fprintf(out, "%s %s&nbsp;%%", g ? ", män" : " (kvinnor", sh);
        }
    fputs(all[0] ? ").</p>\n" : ".</p>\n", out);
}


/* One intervention's cost from the driftsredovisning, when its participant rows name the
 * cost area: the area's costs to date and per participant (at the year's start + new). */
static void s_intervention_cost(FILE *out, const Samla__V1__Areas *a, const char *code,
                                uint64_t participants)
{
    const Samla__V1__AreaFigures *area = NULL;
    for (size_t i = 0; a && code && i < a->n_areas; i++)
        if (strcmp(a->areas[i]->code, code) == 0)
            area = a->areas[i];
    if (!area)
        return;
    char kr[64], per[64];
    money_format_sv(area->outcome, 0, kr, sizeof kr);
    fputs("<p>Kostnad hittills (kostnadsområde ", out);
    s_html(out, area->code); /* from the förbund's books: text, never markup */
    fputc(' ', out);
    s_html(out, area->name ? area->name : "");
    fprintf(out, "): %s&nbsp;kr", kr);
    if (participants) { /* öre / people, rounded once to whole kronor */
        int64_t each;
        if (money_whole_kr((double)area->outcome / 100.0 / (double)participants, &each) == 0) {
            money_format_sv(each, 0, per, sizeof per);
            fprintf(out, ", per deltagare %s&nbsp;kr", per);
        }
    }
    fputs(".</p>\n", out);
}

/* A page per intervention, as the annual reports have one: its flow by gender, its exit
 * reasons with the share to work or studies, and its cost where the participant file names
 * its cost area; the volume and structural interventions in one table after them. */
static void s_interventions_html(FILE *out, const report_forbund_t *r, const char *orgnr)
{
    const Samla__V1__ForbundBreakdown *f = s_lines_of(r->flow, orgnr);
    if (!f || !f->n_rows)
        return;
    fputs("<h2>Insatserna</h2>\n", out);
    size_t k = 0; /* which of insats_exits */
    for (size_t i = 0; i < f->n_rows;) {
        const char *name = f->rows[i]->key, *kind = f->rows[i]->kind;
        size_t end = i;
        while (end < f->n_rows && strcmp(f->rows[end]->key, name) == 0)
            end++;
        if (!kind || strcmp(kind, "individ") != 0) {
            i = end;
            continue;
        }
        fputs("<h3>", out);
        s_html(out, name); /* the participant file's name: text, never markup */
        fputs("</h3>\n<table><caption>Deltagarflödet</caption><thead><tr><th></th>"
              "<th>Kvinnor</th><th>Män</th><th>Ej angivet</th><th>Totalt</th></tr></thead>"
              "<tbody>\n", out);
        uint64_t participants = 0;
        for (size_t j = i; j < end; j++) {
            const Samla__V1__BreakdownRow *w = f->rows[j];
            fputs("<tr><th>", out);
            s_html(out, render_parts_word(w->measure)); /* from samlad's reply: text */
            fputs("</th>", out);
            s_count_cells(out, w);
            fputs("</tr>\n", out);
            bool hidden = w->has_suppressed && w->suppressed;
            if (!hidden && w->measure && (strcmp(w->measure, "aktuella_start") == 0 ||
                                          strcmp(w->measure, "nya") == 0))
                participants += w->total;
        }
        fputs("</tbody></table>\n", out);
        const Samla__V1__ForbundBreakdown *e =
            k < r->n_insats ? s_lines_of(r->insats_exits[k], orgnr) : NULL;
        k++;
        if (e && e->n_rows) {
            s_exits_html(out, e);
            s_work_or_studies_html(out, e);
        }
        s_intervention_cost(out, r->areas, f->rows[i]->cost_area, participants);
        i = end;
    }
    /* volume and structural interventions: participants only */
    bool any = false;
    for (size_t i = 0; i < f->n_rows; i++) {
        const Samla__V1__BreakdownRow *w = f->rows[i];
        if (!w->kind || strcmp(w->kind, "individ") == 0 || !w->measure ||
            strcmp(w->measure, "nya") != 0)
            continue;
        if (!any)
            fputs("<table><caption>Volym- och strukturinsatser, nya hittills</caption><thead>"
                  "<tr><th>Insats</th><th>Typ</th><th>Kvinnor</th><th>Män</th>"
                  "<th>Ej angivet</th><th>Totalt</th></tr></thead><tbody>\n", out);
        any = true;
        fputs("<tr><th>", out);
        s_html(out, w->key);
        fputs("</th><td>", out);
        s_html(out, render_parts_word(w->kind));
        fputs("</td>", out);
        s_count_cells(out, w);
        fputs("</tr>\n", out);
    }
    if (any)
        fputs("</tbody></table>\n", out);
}

int report_forbund_html(const report_forbund_t *r, const char *orgnr, FILE *out)
{
    const Samla__V1__Compare *c = r->compare;
    const Samla__V1__Areas *a = r->areas;
    const Samla__V1__Participants *p = r->exits;
    const Samla__V1__ForbundFigures *f = NULL;
    for (size_t i = 0; i < c->n_forbund; i++)
        if (strcmp(c->forbund[i]->orgnr, orgnr) == 0)
            f = c->forbund[i];
    if (!f)
        return -1;
    int month = (c->period[5] - '0') * 10 + (c->period[6] - '0');
    if (month < 1 || month > 12)
        month = 12;
    char title[200], now[32];
    snprintf(title, sizeof title, "Uppföljning %s %s", f->name ? f->name : orgnr, c->period);
    s_page_start(out, title);
    s_now_sv(now, sizeof now);
    fputs("<h1>", out);
    s_html(out, f->name ? f->name : orgnr);
    fprintf(out, "</h1>\n<p><b>Uppföljning januari–%s %.4s</b> (ackumulerat). Organisationsnummer "
                 "%s, revision %u%s. Skapad %s (svensk tid) av Samla. Jämförelsegrupp: ",
            period_month_name[month - 1], c->period, orgnr, f->revision,
            month == 12 ? ", helår" : ", preliminärt", now);
    s_html(out, c->region && *c->region ? c->region : "alla förbund");
    fputs(". <span class=\"missing\">saknas</span> betyder att siffran inte finns (inte noll)."
          "</p>\n", out);
    if (!f->revision) {
        fputs("<p class=\"missing\">Ingen rapport för månaden.</p></body></html>\n", out);
        return 0;
    }
    static const char *const economy[] = {"revenue", "contributions", "external_funding",
                                          "costs", "result", "budget_utilisation", "equity",
                                          "equity_ratio", "solidity", "liquidity_ratio"};
    static const char *const work[] = {"intervention_share", "admin_share", "participants",
                                       "work_or_studies_share", "cost_per_participant",
                                       "volume_participants", "structural_participants"};
    fputs("<h2>Ekonomi</h2>\n", out);
    s_beside_table(out, c, f, "Resultat och ställning", economy,
                   sizeof economy / sizeof economy[0]);
    s_statements_html(out, r->statements);
    s_financing_html(out, r->financing, orgnr);
    if (a && a->revision)
        s_areas_html(out, a);
    fputs("<h2>Verksamhet och deltagare</h2>\n", out);
    s_beside_table(out, c, f, "Insatser och deltagare", work, sizeof work / sizeof work[0]);
    s_people(out, f);
    if (p)
        s_exits_html(out, s_lines_of(p, orgnr));
    if (r->flow)
        s_interventions_html(out, r, orgnr);
    if (f->n_targets) {
        fputs("<h2>Mål</h2>\n<p>Årsmål (antal och belopp som växer under året) bedöms på "
              "december; dessförinnan på helårsprognosen, utfallet × 12 / månad: på väg eller "
              "riskerar.</p>\n<table class=\"goals\"><thead><tr><th>Nyckeltal</th><th>Mål</th>"
              "<th>Utfall</th>"
              "<th>Helårsprognos</th><th>Bedömning</th></tr></thead><tbody>\n", out);
        for (size_t k = 0; k < f->n_targets; k++) {
            const Samla__V1__Target *t = f->targets[k];
            const mshow_t *m = mshow_find(t->metric);
            fputs("<tr><th>", out);
            char label[256];
            render_target_label(t, m ? m->label : t->metric, label, sizeof label);
            s_html(out, label); /* an intervention's name: text, never markup */
            fputs("</th>", out);
            s_goal_cells(out, f, t);
        }
        fputs("</tbody></table>\n", out);
    }
    fputs("</body></html>\n", out);
    return 0;
}
