#include "csvw.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "samla/metrics.h"
#include "samla/mshow.h"
#include "samla/money.h"
#include "samla/text.h"

void csvw_number_text(double v, char *buf, size_t size)
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
    size_t len = strlen(buf);
    if (!strpbrk(buf, ".eEn") && len + 2 < size) /* visibly a number with a fraction */
        memcpy(buf + len, ".0", 3);
}

void csvw_start(csvw_t *w, FILE *out, bool sv)
{
    w->out = out;
    w->sv = sv;
    w->in_row = false;
    if (sv)
        fputs("\xEF\xBB\xBF", out);
}

static void s_sep(csvw_t *w)
{
    if (w->in_row)
        fputc(w->sv ? ';' : ',', w->out);
    w->in_row = true;
}

void csvw_text(csvw_t *w, const char *s)
{
    s_sep(w);
    const char *special = w->sv ? ";\"\n\r" : ",\"\n\r";
    /* a cell a spreadsheet would take for a formula starts with a quote instead (OWASP,
     * CSV injection): in both dialects, since either may be opened in Excel */
    bool formula = s && *s && strchr("=+-@\t\r", *s);
    if (!s || (!strpbrk(s, special) && !formula)) {
        fputs(s ? s : "", w->out);
        return;
    }
    fputc('"', w->out);
    if (formula)
        fputc('\'', w->out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', w->out);
        fputc(*s, w->out);
    }
    fputc('"', w->out);
}

void csvw_pick(csvw_t *w, const char *en, const char *sv)
{
    csvw_text(w, w->sv && sv ? sv : en);
}

void csvw_heads(csvw_t *w, const csvw_col_t *cols, size_t n)
{
    for (size_t i = 0; i < n; i++)
        csvw_pick(w, cols[i].en, cols[i].sv);
}

void csvw_metric_head(csvw_t *w, const char *metric, bool previous_year)
{
    char buf[192];
    if (w->sv) {
        mshow_head(metric, buf, sizeof buf);
        if (previous_year)
            snprintf(buf + strlen(buf), sizeof buf - strlen(buf), ", fg. år");
    } else {
        snprintf(buf, sizeof buf, "%s%s", metric ? metric : "",
                 previous_year ? "_previous_year" : "");
    }
    csvw_text(w, buf);
}

/* A number already as text, its decimal point made a comma in Swedish. */
static void s_number(csvw_t *w, char *buf)
{
    if (w->sv) {
        char *dot = strchr(buf, '.');
        if (dot)
            *dot = ',';
    }
    s_sep(w);
    fputs(buf, w->out);
}

void csvw_uint(csvw_t *w, uint64_t v)
{
    s_sep(w);
    fprintf(w->out, "%llu", (unsigned long long)v);
}

/* Whole kronor, half away from zero, as the board reads them. */
static long long s_whole_kr(int64_t ore)
{
    return ore >= 0 ? (long long)((ore + 50) / 100) : -(long long)((-ore + 50) / 100);
}

void csvw_ore(csvw_t *w, bool has, int64_t ore)
{
    char buf[48] = "";
    if (!has) {
        s_sep(w);
        return;
    }
    if (w->sv)
        snprintf(buf, sizeof buf, "%lld", s_whole_kr(ore));
    else
        money_format(ore, buf, sizeof buf);
    s_number(w, buf);
}

/* A number at the precision people read (decimals) in Swedish, every digit otherwise. */
static void s_double(csvw_t *w, bool has, double v, int decimals)
{
    char buf[48];
    if (!has || !isfinite(v)) {
        s_sep(w);
        return;
    }
    if (!w->sv)
        csvw_number_text(v, buf, sizeof buf);
    else
        text_round_decimal(v, decimals, buf, sizeof buf);
    s_number(w, buf);
}

void csvw_double(csvw_t *w, bool has, double v, const char *metric)
{
    const mshow_t *m = metric ? mshow_find(metric) : NULL;
    /* at display precision: one decimal for percent, whole kronor and people */
    s_double(w, has, v, m ? m->decimals : 0);
}

void csvw_percent(csvw_t *w, bool has, double v)
{
    s_double(w, has, v, 1);
}

void csvw_value(csvw_t *w, const Samla__V1__MetricValue *v)
{
    if (!v) {
        s_sep(w);
        return;
    }
    if (v->has_suppressed && v->suppressed) {
        csvw_text(w, w->sv ? "dolt" : "suppressed");
    } else if (v->has_ore) {
        csvw_ore(w, true, v->ore);
    } else if (v->has_count) {
        s_sep(w);
        fprintf(w->out, "%lld", (long long)v->count);
    } else {
        csvw_double(w, v->has_value, v->value, v->name);
    }
}

void csvw_end(csvw_t *w)
{
    fputs(w->sv ? "\r\n" : "\n", w->out);
    w->in_row = false;
}
