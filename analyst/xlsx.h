/* xlsx: Excel workbooks of samla's answers (`--format xlsx --output FILE.xlsx`), written
 * with libxlsxwriter: numbers as numbers in Swedish display formats (whole kronor with
 * grouping, one-decimal percent; Excel shows the grouping and decimal comma of the
 * reader's locale), an empty cell with a note where a figure is null or withheld, Swedish
 * headers, a frozen header row, one sheet per view and a sheet explaining each metric.
 * The workbook is written beside FILE and renamed, so a reader never opens half of one. */
#ifndef SAMLA_XLSX_H
#define SAMLA_XLSX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "samla.pb-c.h"
#include "samla/diag.h"

typedef struct xlsx_s xlsx_t;
typedef struct lxw_worksheet lxw_worksheet;

/* A new workbook for path (written to path.tmp until xlsx_close). NULL with err set. */
xlsx_t *xlsx_open(const char *path, samla_err_t *err);
/* Writes the sheet of metric explanations, closes and renames. Frees x either way. */
int xlsx_close(xlsx_t *x, samla_err_t *err);

/* A sheet (name cut to Excel's 31 characters) with a bold header row, frozen. */
lxw_worksheet *xlsx_sheet(xlsx_t *x, const char *name, const char *const *heads, size_t n);
void xlsx_text(xlsx_t *x, lxw_worksheet *ws, uint32_t row, uint16_t col, const char *s);
void xlsx_int(xlsx_t *x, lxw_worksheet *ws, uint32_t row, uint16_t col, int64_t v);
/* Öre as kronor, whole kronor shown. */
void xlsx_kr(xlsx_t *x, lxw_worksheet *ws, uint32_t row, uint16_t col, int64_t ore);
/* A metric's value in its unit's format; empty with a note when null or withheld. */
void xlsx_value(xlsx_t *x, lxw_worksheet *ws, uint32_t row, uint16_t col,
                const Samla__V1__MetricValue *v);
/* A percent that is no metric (a share of a sum), one decimal shown. */
void xlsx_percent(xlsx_t *x, lxw_worksheet *ws, uint32_t row, uint16_t col, double v);
/* An empty cell with a note saying why. */
void xlsx_empty(xlsx_t *x, lxw_worksheet *ws, uint32_t row, uint16_t col, const char *why);
/* A metric's column head: its Swedish label and unit ("Resultat, kr"). */
void xlsx_metric_head(const char *metric, char *buf, size_t size);

/* The renderers: one or more sheets per answer. */
void xlsx_compare(xlsx_t *x, const Samla__V1__Compare *c);
void xlsx_export(xlsx_t *x, const Samla__V1__Export *e);
void xlsx_trend(xlsx_t *x, const Samla__V1__Trend *t);
void xlsx_status(xlsx_t *x, const Samla__V1__Status *s);
void xlsx_areas(xlsx_t *x, const Samla__V1__Areas *a);
void xlsx_participants(xlsx_t *x, const Samla__V1__Participants *p);
void xlsx_overview(xlsx_t *x, const Samla__V1__Overview *o);
void xlsx_statements(xlsx_t *x, const Samla__V1__Statements *s);
void xlsx_financing(xlsx_t *x, const Samla__V1__Financing *f);

#endif
