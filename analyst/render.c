#include "render.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "samla/metrics.h"
#include "samla/money.h"
#include "samla/text.h"

/* Shortest text that reads back as the same double; "null" for what JSON cannot hold. */
static void s_double(double v, char *buf, size_t size)
{
    if (!isfinite(v)) {
        snprintf(buf, size, "null");
        return;
    }
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, size, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    if (!strpbrk(buf, ".eEn")) /* keep it visibly a number with a fraction: 3 -> 3.0 */
        strncat(buf, ".0", size - strlen(buf) - 1);
}

/* The value as JSON/CSV text; "" for null (callers print null or an empty cell). */
static void s_value(const Samla__V1__MetricValue *v, char *buf, size_t size)
{
    buf[0] = '\0';
    if (v->has_ore)
        money_format(v->ore, buf, size);
    else if (v->has_count)
        snprintf(buf, size, "%lld", (long long)v->count);
    else if (v->has_value)
        s_double(v->value, buf, size);
}

static void s_json_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (; s && *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            fprintf(out, "\\%c", ch);
        else if (ch < 0x20)
            fprintf(out, "\\u%04x", ch);
        else
            fputc(ch, out);
    }
    fputc('"', out);
}

void render_compare_json(const Samla__V1__Compare *c, bool ranked, FILE *out)
{
    char buf[64];
    fprintf(out, "{\"period\": ");
    s_json_string(out, c->period);
    fprintf(out, ", \"region\": ");
    s_json_string(out, c->region ? c->region : "");
    fprintf(out, ",\n \"forbund\": [");
    for (size_t i = 0; i < c->n_forbund; i++) {
        const Samla__V1__ForbundFigures *f = c->forbund[i];
        fprintf(out, "%s\n  {\"orgnr\": ", i ? "," : "");
        s_json_string(out, f->orgnr);
        fprintf(out, ", \"name\": ");
        s_json_string(out, f->name);
        fprintf(out, ", \"revision\": %u, \"status\": ", f->revision);
        s_json_string(out, f->status);
        if (ranked) {
            if (f->has_rank)
                fprintf(out, ", \"rank\": %u", f->rank);
            else
                fprintf(out, ", \"rank\": null");
        }
        fprintf(out, ",\n   \"metrics\": {");
        for (size_t k = 0; k < f->n_metrics; k++) {
            s_value(f->metrics[k], buf, sizeof buf);
            fprintf(out, "%s\"%s\": %s", k ? ", " : "", f->metrics[k]->name,
                    buf[0] ? buf : "null");
        }
        fprintf(out, "}}");
    }
    fprintf(out, "],\n \"aggregates\": {");
    for (size_t k = 0; k < c->n_aggregates; k++) {
        const Samla__V1__Aggregate *a = c->aggregates[k];
        fprintf(out, "%s\n  \"%s\": {\"count\": %u", k ? "," : "", a->name, a->count);
        const struct {
            const char *name;
            protobuf_c_boolean has;
            double v;
        } f[] = {{"sum", a->has_sum, a->sum},       {"median", a->has_median, a->median},
                 {"mean", a->has_mean, a->mean},    {"min", a->has_min, a->min},
                 {"max", a->has_max, a->max}};
        for (size_t i = 0; i < 5; i++) {
            if (f[i].has)
                s_double(f[i].v, buf, sizeof buf);
            fprintf(out, ", \"%s\": %s", f[i].name, f[i].has ? buf : "null");
        }
        fprintf(out, "}");
    }
    fprintf(out, "}}\n");
}

static void s_csv_field(FILE *out, const char *s)
{
    if (s && !strpbrk(s, ",\"\n\r")) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; s && *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

void render_compare_csv(const Samla__V1__Compare *c, bool ranked, FILE *out)
{
    fprintf(out, "period,orgnr,name,revision,status%s", ranked ? ",rank" : "");
    if (c->n_forbund)
        for (size_t k = 0; k < c->forbund[0]->n_metrics; k++)
            fprintf(out, ",%s", c->forbund[0]->metrics[k]->name);
    fputc('\n', out);
    char buf[64];
    for (size_t i = 0; i < c->n_forbund; i++) {
        const Samla__V1__ForbundFigures *f = c->forbund[i];
        fprintf(out, "%s,%s,", c->period, f->orgnr);
        s_csv_field(out, f->name);
        fprintf(out, ",%u,%s", f->revision, f->status);
        if (ranked) {
            if (f->has_rank)
                fprintf(out, ",%u", f->rank);
            else
                fputc(',', out);
        }
        for (size_t k = 0; k < f->n_metrics; k++) {
            s_value(f->metrics[k], buf, sizeof buf);
            fprintf(out, ",%s", buf);
        }
        fputc('\n', out);
    }
}

/* A value for people: Swedish grouping, whole kronor, one decimal for percent. */
static void s_human(const Samla__V1__MetricValue *v, char *buf, size_t size)
{
    if (v->has_ore) {
        money_format_sv(v->ore, 0, buf, size);
    } else if (v->has_count) {
        money_format_sv(v->count * 100, 0, buf, size);
    } else if (v->has_value) {
        const metric_t *m = metric_find(v->name);
        if (m && m->unit == UNIT_PERCENT) {
            snprintf(buf, size, "%.1f %%", v->value);
            char *dot = strchr(buf, '.');
            if (dot)
                *dot = ',';
        } else {
            money_format_sv((int64_t)llround(v->value * 100.0), 0, buf, size);
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
    const metric_t *m = metric_find(metric);
    if (m && m->unit != UNIT_PERCENT) {
        mv.has_value = 0;
        mv.has_ore = 1;
        mv.ore = (int64_t)llround(v * 100.0);
    }
    s_human(&mv, buf, size);
}

#define NAME_W 28
#define COL_W 13

void render_compare_table(const Samla__V1__Compare *c, bool ranked, bool colour, FILE *out)
{
    const char *dim = colour ? "\033[2m" : "", *bold = colour ? "\033[1m" : "",
               *off = colour ? "\033[0m" : "";
    fprintf(out, "%sJämförelse %s%s%s%s%s\n", bold, c->period, c->region && *c->region ? ", " : "",
            c->region ? c->region : "", off, "");
    for (size_t i = 0; i < c->n_forbund; i++) {
        const Samla__V1__ForbundFigures *f = c->forbund[i];
        fprintf(out, "  [%zu] %s  ", i + 1, f->orgnr);
        text_pad(out, f->name ? f->name : "", 44);
        if (f->revision)
            fprintf(out, " rev %u %s\n", f->revision, f->status);
        else
            fprintf(out, " %s%s%s\n", colour ? "\033[31m" : "", "missing", off);
    }
    fputc('\n', out);
    char buf[48];
    size_t per_block = (80 - NAME_W) / COL_W - 1; /* the last column is the region median */
    if (ranked && c->n_aggregates == 1) {
        const char *metric = c->aggregates[0]->name;
        fprintf(out, "%s%-6s %-12s %-40s %16s%s\n", bold, "rank", "orgnr", "förbund", metric, off);
        for (unsigned r = 1; r <= c->n_forbund + 1; r++)
            for (size_t i = 0; i < c->n_forbund; i++) {
                const Samla__V1__ForbundFigures *f = c->forbund[i];
                bool last = r == c->n_forbund + 1;
                if ((f->has_rank && f->rank == r && !last) || (!f->has_rank && last)) {
                    s_human(f->metrics[0], buf, sizeof buf);
                    if (f->has_rank)
                        fprintf(out, "%-6u %-12s ", f->rank, f->orgnr);
                    else
                        fprintf(out, "%-6s %-12s ", "–", f->orgnr);
                    text_pad(out, f->name ? f->name : "", 40);
                    fputc(' ', out);
                    text_rpad(out, buf, 16);
                    fputc('\n', out);
                }
            }
    }
    for (size_t start = 0; !ranked && start < c->n_forbund; start += per_block) {
        size_t end = start + per_block < c->n_forbund ? start + per_block : c->n_forbund;
        fprintf(out, "%s%-*s", bold, NAME_W, "metric");
        for (size_t i = start; i < end; i++) {
            snprintf(buf, sizeof buf, "[%zu]", i + 1);
            fprintf(out, "%*s", COL_W, buf);
        }
        fprintf(out, "%*s%s\n", COL_W, "median", off);
        size_t nm = c->forbund[start]->n_metrics;
        for (size_t k = 0; k < nm; k++) {
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
            fputs(dim, out);
            text_rpad(out, buf, COL_W);
            fprintf(out, "%s\n", off);
        }
        if (end < c->n_forbund)
            fputc('\n', out);
    }
    if (ranked && c->n_aggregates == 1) {
        const Samla__V1__Aggregate *a = c->aggregates[0];
        fprintf(out, "\nregion: %u with a value", a->count);
        if (a->count) {
            char md[48], mn[48], mx[48];
            s_human_agg(a->name, a->median, md, sizeof md);
            s_human_agg(a->name, a->min, mn, sizeof mn);
            s_human_agg(a->name, a->max, mx, sizeof mx);
            fprintf(out, ", median %s, min %s, max %s", md, mn, mx);
            if (a->has_sum) {
                s_human_agg(a->name, a->sum, md, sizeof md);
                fprintf(out, ", sum %s", md);
            }
        }
        fputc('\n', out);
    }
}
