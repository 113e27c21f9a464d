#include "render.h"

#include "csvw.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "samla/metrics.h"
#include "samla/money.h"
#include "samla/mshow.h"
#include "samla/period.h"
#include "samla/text.h"

const char *render_status_sv(const char *status)
{
    return !status                               ? ""
           : strcmp(status, "final") == 0       ? "slutlig"
           : strcmp(status, "preliminary") == 0 ? "preliminär"
           : strcmp(status, "missing") == 0     ? "saknas"
                                                : status;
}

static void s_csv_header(const Samla__V1__Compare *c, bool ranked, csvw_t *w)
{
    static const csvw_col_t heads[] = {{"period", "Period"}, {"orgnr", "Organisationsnummer"},
                                       {"name", "Förbund"}, {"revision", "Revision"},
                                       {"status", "Status"}};
    csvw_heads(w, heads, 5);
    if (ranked)
        csvw_pick(w, "rank", "Placering");
    if (c->n_forbund) {
        for (size_t k = 0; k < c->forbund[0]->n_metrics; k++)
            csvw_metric_head(w, c->forbund[0]->metrics[k]->name, false);
        for (size_t k = 0; k < c->forbund[0]->n_previous_year; k++)
            csvw_metric_head(w, c->forbund[0]->previous_year[k]->name, true);
    }
    csvw_end(w);
}

static void s_csv_rows(const Samla__V1__Compare *c, bool ranked, csvw_t *w)
{
    for (size_t i = 0; i < c->n_forbund; i++) {
        const Samla__V1__ForbundFigures *f = c->forbund[i];
        csvw_text(w, c->period);
        csvw_text(w, f->orgnr);
        csvw_text(w, f->name);
        csvw_uint(w, f->revision);
        csvw_pick(w, f->status, render_status_sv(f->status));
        if (ranked) {
            if (f->has_rank)
                csvw_uint(w, f->rank);
            else
                csvw_text(w, "");
        }
        for (size_t k = 0; k < f->n_metrics; k++)
            csvw_value(w, f->metrics[k]);
        for (size_t k = 0; k < f->n_previous_year; k++)
            csvw_value(w, f->previous_year[k]);
        csvw_end(w);
    }
}

void render_compare_csv(const Samla__V1__Compare *c, bool ranked, csvw_t *w)
{
    s_csv_header(c, ranked, w);
    s_csv_rows(c, ranked, w);
}

void render_export_csv(const Samla__V1__Export *e, csvw_t *w)
{
    for (size_t m = 0; m < e->n_months; m++) {
        if (m == 0)
            s_csv_header(e->months[m], false, w);
        s_csv_rows(e->months[m], false, w);
    }
}

/* A value for people: Swedish grouping, whole kronor, one decimal for percent. */
static void s_human(const Samla__V1__MetricValue *v, char *buf, size_t size)
{
    if (v->has_suppressed && v->suppressed) {
        snprintf(buf, size, "dolt");
    } else if (v->has_ore) {
        money_format_sv(v->ore, 0, buf, size);
    } else if (v->has_count) {
        money_format_sv(v->count * 100, 0, buf, size);
    } else if (v->has_value) {
        const mshow_t *m = mshow_find(v->name);
        if (m && m->unit == UNIT_PERCENT) {
            text_decimal_sv(v->value, m->decimals, buf, size);
            size_t n = strlen(buf);
            if (n + sizeof " %" <= size)
                memcpy(buf + n, " %", sizeof " %");
        } else {
            int64_t ore = 0;
            if (money_whole_kr(v->value, &ore))
                snprintf(buf, size, "–");
            else
                money_format_sv(ore, 0, buf, size);
        }
    } else {
        snprintf(buf, size, "–");
    }
}

static void s_human_agg(const char *metric, double v, char *buf, size_t size)
{
    Samla__V1__MetricValue mv = SAMLA__V1__METRIC_VALUE__INIT;
    mv.name = (char *)metric;
    mv.has_value = 1;
    mv.value = v;
    s_human(&mv, buf, size); /* a count or an amount: whole, rounded once */
}

/* A bound as people read it: a whole number without decimals ("20", "400"), otherwise as
 * the metric's values are shown ("35,5"); `unit` adds " %" for a share. */
static void s_bound_text(const char *metric, double v, bool unit, char *buf, size_t size)
{
    const mshow_t *m = mshow_find(metric);
    bool pct = m && m->unit == UNIT_PERCENT;
    if (!pct) {
        s_human_agg(metric, v, buf, size);
        return;
    }
    if (v == floor(v) && fabs(v) < 1e12)
        snprintf(buf, size, "%.0f", v);
    else
        text_decimal_sv(v, m->decimals, buf, size);
    size_t n = strlen(buf);
    if (unit && n + sizeof " %" <= size)
        memcpy(buf + n, " %", sizeof " %");
}

void render_target_words(const Samla__V1__Target *t, char *buf, size_t size)
{
    char lo[48] = "", hi[48] = "";
    bool between = t->direction == SAMLA__V1__TARGET_DIRECTION__BETWEEN;
    if (t->has_low)
        s_bound_text(t->metric, t->low, !between, lo, sizeof lo);
    if (t->has_high)
        s_bound_text(t->metric, t->high, true, hi, sizeof hi);
    if (t->direction == SAMLA__V1__TARGET_DIRECTION__AT_LEAST)
        snprintf(buf, size, "minst %s", lo);
    else if (t->direction == SAMLA__V1__TARGET_DIRECTION__AT_MOST)
        snprintf(buf, size, "högst %s", hi);
    else
        snprintf(buf, size, "%s–%s", lo, hi); /* "50–80 %": the unit once, after both */
}

const char *render_target_verdict(const Samla__V1__Target *t)
{
    if (t->has_on_track) /* an annual target before December: never a plain no */
        return t->on_track ? "på väg" : "riskerar";
    return !t->has_met ? "–" : t->met ? "uppnått" : "ej uppnått";
}

void render_target_label(const Samla__V1__Target *t, const char *label, char *buf,
                         size_t size)
{
    if (t->insats)
        snprintf(buf, size, "%s, %s", label, t->insats);
    else
        snprintf(buf, size, "%s", label);
}

void render_target_outcome(const Samla__V1__Target *t, const Samla__V1__MetricValue *mv,
                           char *buf, size_t size)
{
    if (t->insats) { /* the intervention's own figure */
        if (t->has_outcome)
            s_human_agg(t->metric, t->outcome, buf, size);
        else
            snprintf(buf, size, "–");
    } else if (mv) {
        s_human(mv, buf, size);
    } else {
        snprintf(buf, size, "–");
    }
}

void render_target_projection(const Samla__V1__Target *t, char *buf, size_t size)
{
    buf[0] = '\0';
    if (t->has_projection)
        s_human_agg(t->metric, t->projection, buf, size);
}

/* "på väg (helårsprognos 548)", "uppnått". */
static void s_met_line(const Samla__V1__Target *t, char *buf, size_t size)
{
    char proj[48];
    render_target_projection(t, proj, sizeof proj);
    if (proj[0])
        snprintf(buf, size, "%s (helårsprognos %s)", render_target_verdict(t), proj);
    else
        snprintf(buf, size, "%s", render_target_verdict(t));
}

static const Samla__V1__MetricValue *s_value_of(const Samla__V1__ForbundFigures *f,
                                                const char *metric)
{
    for (size_t k = 0; k < f->n_metrics; k++)
        if (strcmp(f->metrics[k]->name, metric) == 0)
            return f->metrics[k];
    return NULL;
}

/* Each förbund's targets with the outcome, then the group's. */
void render_compare_targets(const Samla__V1__Compare *c, FILE *out)
{
    bool any = c->n_targets > 0;
    for (size_t i = 0; i < c->n_forbund; i++)
        any |= c->forbund[i]->n_targets > 0;
    if (!any)
        return;
    char goal[96], v[48];
    fputs("\nMål och utfall\n", out);
    for (size_t i = 0; i < c->n_forbund; i++) {
        const Samla__V1__ForbundFigures *f = c->forbund[i];
        if (f->n_targets) /* each förbund's targets under its name, not a number */
            fprintf(out, "  %s\n", render_short_name(f->name));
        for (size_t k = 0; k < f->n_targets; k++) {
            const Samla__V1__Target *t = f->targets[k];
            const mshow_t *m = mshow_find(t->metric);
            const Samla__V1__MetricValue *mv = s_value_of(f, t->metric);
            render_target_words(t, goal, sizeof goal);
            render_target_outcome(t, mv, v, sizeof v);
            char line[640], met[96], label[256];
            s_met_line(t, met, sizeof met);
            render_target_label(t, m ? m->label : t->metric, label, sizeof label);
            snprintf(line, sizeof line, "    %s: mål %s, utfall %s, %s", label, goal, v, met);
            if (text_width(line) <= 100) /* else the label on a line of its own */
                fprintf(out, "%s\n", line);
            else
                fprintf(out, "    %s:\n        mål %s, utfall %s, %s\n", label, goal, v, met);
        }
    }
    for (size_t k = 0; k < c->n_targets; k++) {
        const Samla__V1__Target *t = c->targets[k];
        const mshow_t *m = mshow_find(t->metric);
        render_target_words(t, goal, sizeof goal);
        const char *who = c->region && *c->region ? c->region : "Regionen";
        char line[320], met[96];
        s_met_line(t, met, sizeof met);
        snprintf(line, sizeof line, "  %s: %s, mål %s, %s", who, m ? m->label : t->metric,
                 goal, met);
        if (text_width(line) <= 100)
            fprintf(out, "%s\n", line);
        else
            fprintf(out, "  %s: %s:\n        mål %s, %s\n", who, m ? m->label : t->metric,
                    goal, met);
    }
}

#define NAME_W 32 /* the longest metric name, no_support_at_exit_share_women, is 30 */
#define COL_W 13

/* The escapes of a coloured terminal, or empty strings. */
typedef struct {
    const char *dim, *bold, *red, *off;
} s_style_t;

static s_style_t s_style(bool colour)
{
    return colour ? (s_style_t){"\033[2m", "\033[1m", "\033[31m", "\033[0m"}
                  : (s_style_t){"", "", "", ""};
}

/* The heading and the förbund, numbered for the columns below. */
static void s_table_heading(const Samla__V1__Compare *c, s_style_t st, FILE *out)
{
    fprintf(out, "%sJämförelse %s%s%s%s\n", st.bold, c->period,
            c->region && *c->region ? ", " : "", c->region ? c->region : "", st.off);
    for (size_t i = 0; i < c->n_forbund; i++) {
        const Samla__V1__ForbundFigures *f = c->forbund[i];
        fprintf(out, "  [%zu] %s  ", i + 1, f->orgnr);
        text_pad(out, f->name ? f->name : "", 44);
        if (f->revision)
            fprintf(out, " rev %u %s\n", f->revision, f->status);
        else
            fprintf(out, " %s%s%s\n", st.red, "missing", st.off);
    }
    fputc('\n', out);
}

/* One förbund's line of the ranking: rank, orgnr, name, value, last year's. */
static void s_ranked_row(const Samla__V1__ForbundFigures *f, s_style_t st, FILE *out)
{
    char buf[48];
    s_human(f->metrics[0], buf, sizeof buf);
    if (f->has_rank) {
        fprintf(out, "%-5u %-12s ", f->rank, f->orgnr);
    } else { /* text_pad: the dash is three bytes but one column */
        text_pad(out, "–", 5);
        fprintf(out, " %-12s ", f->orgnr);
    }
    text_pad(out, render_short_name(f->name), 28);
    fputc(' ', out);
    text_rpad(out, buf, 16);
    /* not in brackets: in accounts a figure in brackets is negative */
    if (f->n_previous_year && f->previous_revision) {
        char prev[48];
        s_human(f->previous_year[0], prev, sizeof prev);
        fprintf(out, " %s", st.dim);
        text_rpad(out, prev, 14);
        fputs(st.off, out);
    }
    fputc('\n', out);
}

/* --metric: the förbund by rank, those without a value last. */
static void s_table_ranked(const Samla__V1__Compare *c, s_style_t st, FILE *out)
{
    fprintf(out, "%s%-5s %-12s %-28s %16s %*s%s\n", st.bold, "rank", "orgnr", "förbund",
            c->aggregates[0]->name, 15, "fg. år", st.off); /* 15 bytes: "å" is two */
    for (unsigned r = 1; r <= c->n_forbund + 1; r++)
        for (size_t i = 0; i < c->n_forbund; i++) {
            const Samla__V1__ForbundFigures *f = c->forbund[i];
            bool last = r == c->n_forbund + 1;
            if ((f->has_rank && f->rank == r && !last) || (!f->has_rank && last))
                s_ranked_row(f, st, out);
        }
}

/* Metric k of förbund [start, end) with the region median; under it last year's, as the
 * annual reports print it, when any of them reported a year earlier. */
static void s_metric_rows(const Samla__V1__Compare *c, size_t k, size_t start, size_t end,
                          s_style_t st, FILE *out)
{
    char buf[48];
    fprintf(out, "%-*s", NAME_W, c->forbund[start]->metrics[k]->name);
    for (size_t i = start; i < end; i++) {
        s_human(c->forbund[i]->metrics[k], buf, sizeof buf);
        text_rpad(out, buf, COL_W);
    }
    const Samla__V1__Aggregate *a = k < c->n_aggregates ? c->aggregates[k] : NULL;
    if (a && a->has_median)
        s_human_agg(a->name, a->median, buf, sizeof buf);
    else
        snprintf(buf, sizeof buf, "–");
    fputs(st.dim, out);
    text_rpad(out, buf, COL_W);
    fprintf(out, "%s\n", st.off);
    bool any_prev = false;
    for (size_t i = start; i < end; i++)
        any_prev |= k < c->forbund[i]->n_previous_year && c->forbund[i]->previous_revision > 0;
    if (!any_prev)
        return;
    fprintf(out, "%s%-*s", st.dim, NAME_W, "  last year");
    for (size_t i = start; i < end; i++) {
        if (c->forbund[i]->previous_revision > 0) {
            s_human(c->forbund[i]->previous_year[k], buf, sizeof buf);
        } else {
            snprintf(buf, sizeof buf, "–");
        }
        text_rpad(out, buf, COL_W);
    }
    fprintf(out, "%s\n", st.off);
}

/* Every metric, förbund as columns in blocks that fit 100 columns (the last column is the
 * region median). */
static void s_table_blocks(const Samla__V1__Compare *c, s_style_t st, FILE *out)
{
    size_t per_block = (100 - NAME_W) / COL_W - 1;
    for (size_t start = 0; start < c->n_forbund; start += per_block) {
        size_t end = start + per_block < c->n_forbund ? start + per_block : c->n_forbund;
        fprintf(out, "%s%-*s", st.bold, NAME_W, "metric");
        for (size_t i = start; i < end; i++) {
            char buf[24];
            snprintf(buf, sizeof buf, "[%zu]", i + 1);
            fprintf(out, "%*s", COL_W, buf);
        }
        fprintf(out, "%*s%s\n", COL_W, "median", st.off);
        for (size_t k = 0; k < c->forbund[start]->n_metrics; k++)
            s_metric_rows(c, k, start, end, st, out);
        if (end < c->n_forbund)
            fputc('\n', out);
    }
}

/* Under a ranking: how many have a value, and the region's median, min, max and whole. */
static void s_region_line(const Samla__V1__Aggregate *a, FILE *out)
{
    fprintf(out, "\nregion: %u with a value", a->count);
    if (a->withheld)
        fprintf(out, " (%u not shown to this key)", a->withheld);
    if (a->count) {
        char md[48], mn[48], mx[48];
        s_human_agg(a->name, a->median, md, sizeof md);
        s_human_agg(a->name, a->min, mn, sizeof mn);
        s_human_agg(a->name, a->max, mx, sizeof mx);
        fprintf(out, ", median %s, min %s, max %s", md, mn, mx);
        if (a->has_region) {
            s_human_agg(a->name, a->region, md, sizeof md);
            fprintf(out, ", region %s", md);
        }
    }
    fputc('\n', out);
}

void render_compare_table(const Samla__V1__Compare *c, bool ranked, bool colour, FILE *out)
{
    s_style_t st = s_style(colour);
    bool one = ranked && c->n_aggregates == 1;
    s_table_heading(c, st, out);
    if (one)
        s_table_ranked(c, st, out);
    else if (!ranked)
        s_table_blocks(c, st, out);
    render_compare_targets(c, out);
    if (one)
        s_region_line(c->aggregates[0], out);
}

/* --- status ---------------------------------------------------------------------------- */

void render_status_csv(const Samla__V1__Status *s, csvw_t *w)
{
    static const csvw_col_t heads[] = {
        {"orgnr", "Organisationsnummer"}, {"name", "Förbund"}, {"period", "Period"},
        {"revisions", "Revisioner"}, {"last_received", "Senast mottagen"}, {"flag", "Anmärkning"}};
    csvw_heads(w, heads, 6);
    csvw_end(w);
    for (size_t i = 0; i < s->n_forbund; i++)
        for (size_t m = 0; m < s->forbund[i]->n_months; m++) {
            const Samla__V1__MonthStatus *ms = s->forbund[i]->months[m];
            csvw_text(w, s->forbund[i]->orgnr);
            csvw_text(w, s->forbund[i]->name);
            csvw_text(w, ms->period);
            csvw_uint(w, ms->revisions);
            csvw_text(w, ms->last_received ? ms->last_received : "");
            csvw_text(w, ms->flag ? ms->flag : "");
            csvw_end(w);
        }
}

/* Months that should have arrived by now: every month before the current one. A missing
 * month among them is late and shown in red on a terminal. */
static bool s_due(const char *period, const char *now)
{
    return now && strncmp(period, now, 7) < 0;
}

void render_status_table(const Samla__V1__Status *s, bool colour, FILE *out)
{
    const char *red = colour ? "\033[31m" : "", *off = colour ? "\033[0m" : "";
    fprintf(out, "Rapportering %u%s%s: revisioner per månad\n(. = inget har kommit, ! = sen, "
                 "? = tveksam, se nedan)\n\n",
            s->year, s->region && *s->region ? ", " : "", s->region ? s->region : "");
    fprintf(out, "%-12s %-20s", "orgnr", "förbund");
    for (int m = 0; m < 12; m++)
        fprintf(out, "%4s", period_month_abbr[m]);
    fprintf(out, "  senast\n");
    for (size_t i = 0; i < s->n_forbund; i++) {
        const Samla__V1__ForbundStatus *f = s->forbund[i];
        fprintf(out, "%-12s ", f->orgnr);
        text_pad(out, render_short_name(f->name), 20);
        for (size_t m = 0; m < f->n_months; m++) {
            const Samla__V1__MonthStatus *ms = f->months[m];
            if (ms->revisions && ms->flag)
                fprintf(out, "%s%3u?%s", red, ms->revisions, off);
            else if (ms->revisions)
                fprintf(out, "%4u", ms->revisions);
            else if (s_due(ms->period, s->generated_at))
                fprintf(out, "%s%4s%s", red, "!", off);
            else
                fprintf(out, "%4s", ".");
        }
        fprintf(out, "  %.10s\n", f->last_received ? f->last_received : "aldrig");
    }
    bool heading = false;
    for (size_t i = 0; i < s->n_forbund; i++)
        for (size_t m = 0; m < s->forbund[i]->n_months; m++) {
            const Samla__V1__MonthStatus *ms = s->forbund[i]->months[m];
            if (!ms->flag)
                continue;
            if (!heading)
                fprintf(out, "\nTveksamma månader (skicka en rättad revision):\n");
            heading = true;
            fprintf(out, "  %s %s: %s\n", s->forbund[i]->orgnr, ms->period, ms->flag);
        }
}

/* --- trend ----------------------------------------------------------------------------- */

void render_trend_csv(const Samla__V1__Trend *t, csvw_t *w)
{
    static const csvw_col_t heads[] = {
        {"period", "Period"}, {"orgnr", "Organisationsnummer"}, {"metric", "Nyckeltal"},
        {"revision", "Revision"}, {"status", "Status"}, {"value", "Värde"},
        {"region_median", "Median i gruppen"}, {"region_count", "Antal i gruppen"}};
    csvw_heads(w, heads, 8);
    csvw_end(w);
    for (size_t i = 0; i < t->n_points; i++) {
        const Samla__V1__TrendPoint *p = t->points[i];
        csvw_text(w, p->period);
        csvw_text(w, t->orgnr);
        const mshow_t *m = mshow_find(t->metric);
        csvw_pick(w, t->metric, m ? m->label : NULL);
        csvw_uint(w, p->revision);
        csvw_pick(w, p->status ? p->status : "", render_status_sv(p->status));
        csvw_value(w, p->value);
        csvw_double(w, p->has_region_median, p->region_median, t->metric);
        csvw_uint(w, p->region_count);
        csvw_end(w);
    }
}

void render_trend_table(const Samla__V1__Trend *t, bool colour, FILE *out)
{
    const char *dim = colour ? "\033[2m" : "", *off = colour ? "\033[0m" : "";
    const mshow_t *mt = mshow_find(t->metric);
    char head[160];
    mshow_head(t->metric, head, sizeof head);
    fprintf(out, "%s (%s): %s\n\n", t->name ? t->name : "", t->orgnr, mt ? head : t->metric);
    char goal[96] = "";
    for (size_t i = 0; i < t->n_points && !goal[0]; i++)
        if (t->points[i]->target)
            render_target_words(t->points[i]->target, goal, sizeof goal);
    if (goal[0])
        fprintf(out, "mål: %s\n\n", goal);
    fprintf(out, "%-8s %4s  %-12s %16s %16s%s\n", "period", "rev", "status", "utfall",
            "gruppens median", goal[0] ? "  mål" : "");
    char v[48], md[48];
    for (size_t i = 0; i < t->n_points; i++) {
        const Samla__V1__TrendPoint *p = t->points[i];
        if (p->value)
            s_human(p->value, v, sizeof v);
        else
            snprintf(v, sizeof v, "–");
        if (p->has_region_median)
            s_human_agg(t->metric, p->region_median, md, sizeof md);
        else
            snprintf(md, sizeof md, "–");
        fprintf(out, "%-8s %4u  %-12s ", p->period, p->revision, render_status_sv(p->status));
        text_rpad(out, v, 16);
        fprintf(out, " %s", dim);
        text_rpad(out, md, 16);
        fprintf(out, "%s%s%s\n", off, p->target ? "  " : "",
                p->target ? render_target_verdict(p->target) : "");
    }
}

/* --- for the other renderers (render.h) ------------------------------------------------ */

const char *render_short_name(const char *name)
{
    static const char prefix[] = "Samordningsförbundet ";
    if (name && strncmp(name, prefix, sizeof prefix - 1) == 0 && name[sizeof prefix - 1])
        return name + sizeof prefix - 1;
    return name ? name : "";
}

void render_value_human(const Samla__V1__MetricValue *v, char *buf, size_t size)
{
    s_human(v, buf, size);
}

/* --- the long ("tidy") form: one row per förbund, period and metric -------------------- */

static const char *s_unit_name(const char *metric)
{
    const mshow_t *m = mshow_find(metric);
    return m ? mshow_unit_code(m->unit) : "";
}

void render_long_csv(Samla__V1__Compare *const *months, size_t n, csvw_t *w)
{
    static const csvw_col_t heads[] = {
        {"period", "Period"}, {"orgnr", "Organisationsnummer"}, {"name", "Förbund"},
        {"status", "Status"}, {"revision", "Revision"}, {"metric", "Nyckeltal"},
        {"value", "Värde"}, {"unit", "Enhet"}};
    csvw_heads(w, heads, 8);
    csvw_end(w);
    for (size_t m = 0; m < n; m++)
        for (size_t i = 0; i < months[m]->n_forbund; i++) {
            const Samla__V1__ForbundFigures *f = months[m]->forbund[i];
            for (size_t k = 0; k < f->n_metrics; k++) {
                csvw_text(w, months[m]->period);
                csvw_text(w, f->orgnr);
                csvw_text(w, f->name);
                csvw_pick(w, f->status, render_status_sv(f->status));
                csvw_uint(w, f->revision);
                const mshow_t *ms = mshow_find(f->metrics[k]->name);
                csvw_pick(w, f->metrics[k]->name, ms ? ms->label : NULL);
                csvw_value(w, f->metrics[k]);
                csvw_pick(w, s_unit_name(f->metrics[k]->name),
                          ms ? mshow_unit_sv(ms->unit) : NULL);
                csvw_end(w);
            }
        }
}
