/* csvw: CSV as samla writes it, in two dialects (docs/analyst.md):
 *  - for programs (`--format csv`): comma-separated, decimal point, every digit (öre,
 *    the shortest text that reads back as the same double), "suppressed" for a withheld
 *    figure, an empty cell for null;
 *  - for Swedish Excel (`--format csv-sv`): semicolon-separated, decimal comma, UTF-8
 *    with a byte order mark so Excel reads å, ä, ö, CRLF, rounded to what people read
 *    (whole kronor, one decimal for percent), "dolt" for a withheld figure: it opens with
 *    a double-click, numbers as numbers.
 * Fields are quoted when they hold the separator, a quote or a line break. */
#ifndef SAMLA_CSVW_H
#define SAMLA_CSVW_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "samla.pb-c.h"

typedef struct {
    FILE *out;
    bool sv;       /* the Swedish Excel dialect */
    bool in_row;   /* a field has been written on this row */
} csvw_t;

/* Starts writing to out (the Swedish dialect begins with a byte order mark). */
void csvw_start(csvw_t *w, FILE *out, bool sv);
void csvw_text(csvw_t *w, const char *s);
/* A word that programs read as an identifier (en: final, admin, women) and Swedish Excel
 * as Swedish (sv: slutlig, Administration, Kvinnor): one per dialect. */
void csvw_pick(csvw_t *w, const char *en, const char *sv);
/* A header row of columns, each named for programs and headed for Swedish readers. */
typedef struct {
    const char *en, *sv;
} csvw_col_t;
void csvw_heads(csvw_t *w, const csvw_col_t *cols, size_t n);
/* A metric's column: its name for programs, its Swedish label and unit in Swedish
 * (", fg. år" after it for last year's column). */
void csvw_metric_head(csvw_t *w, const char *metric, bool previous_year);
void csvw_uint(csvw_t *w, uint64_t v);
/* An amount in öre: kronor with öre for programs, whole kronor in Swedish. */
void csvw_ore(csvw_t *w, bool has, int64_t ore);
/* A metric's value in its unit; an aggregate's double (has false: empty) for metric. */
void csvw_value(csvw_t *w, const Samla__V1__MetricValue *v);
void csvw_double(csvw_t *w, bool has, double v, const char *metric);
/* A percent that is no metric (a share of a sum): one decimal in Swedish. */
void csvw_percent(csvw_t *w, bool has, double v);
/* Ends the row. */
void csvw_end(csvw_t *w);

/* The shortest text that reads back as the same double; "null" for what JSON cannot
 * hold (infinities, NaN). Shared with the JSON writers. */
void csvw_number_text(double v, char *buf, size_t size);

#endif
