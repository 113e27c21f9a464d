/* render: the analyst's replies as terminal tables, CSV (csvw.h) and JSON (render_json.c,
 * through jansson), in CONTRACT.md's shapes. */
#ifndef SAMLA_RENDER_H
#define SAMLA_RENDER_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "csvw.h"
#include "samla.pb-c.h"

void render_compare_json(const Samla__V1__Compare *c, bool ranked, FILE *out);
void render_compare_csv(const Samla__V1__Compare *c, bool ranked, csvw_t *w);
void render_compare_table(const Samla__V1__Compare *c, bool ranked, bool colour, FILE *out);
/* The comparison in board Swedish, förbund as rows (render_board.c): the default table. */
void render_compare_board(const Samla__V1__Compare *c, bool colour, FILE *out);
/* "Mål och utfall": each förbund's targets with outcome and verdict, then the group's. */
void render_compare_targets(const Samla__V1__Compare *c, FILE *out);

void render_status_table(const Samla__V1__Status *s, bool colour, FILE *out);
void render_status_csv(const Samla__V1__Status *s, csvw_t *w);
void render_status_json(const Samla__V1__Status *s, FILE *out);

void render_trend_table(const Samla__V1__Trend *t, bool colour, FILE *out);
void render_trend_csv(const Samla__V1__Trend *t, csvw_t *w);
void render_trend_json(const Samla__V1__Trend *t, FILE *out);

/* Every month's Compare, as CSV rows under one header or one JSON document. */
void render_export_csv(const Samla__V1__Export *e, csvw_t *w);
void render_export_json(const Samla__V1__Export *e, FILE *out);

/* The long ("tidy") form for R and pandas: one row per förbund, period and metric, with
 * the metric's unit (kr, people, percent, kr_per_person). */
void render_long_csv(Samla__V1__Compare *const *months, size_t n, csvw_t *w);
void render_long_json(Samla__V1__Compare *const *months, size_t n, FILE *out);

/* A förbund's driftsredovisning (render_areas.c). */
void render_areas_table(const Samla__V1__Areas *a, FILE *out);
void render_areas_csv(const Samla__V1__Areas *a, csvw_t *w);
void render_areas_json(const Samla__V1__Areas *a, FILE *out);

/* A förbund's statements (render_statements.c; the cells from common/statements.c). */
void render_statements_table(const Samla__V1__Statements *r, FILE *out);
void render_statements_csv(const Samla__V1__Statements *r, csvw_t *w);
void render_statements_json(const Samla__V1__Statements *r, FILE *out);

/* Who paid (render_financing.c; the rows from financing.c). */
void render_financing_table(const Samla__V1__Financing *r, FILE *out);
void render_financing_csv(const Samla__V1__Financing *r, csvw_t *w);
void render_financing_json(const Samla__V1__Financing *r, FILE *out);

/* Participant breakdowns (render_parts.c). */
void render_parts_table(const Samla__V1__Participants *p, FILE *out);
void render_parts_csv(const Samla__V1__Participants *p, csvw_t *w);
void render_parts_json(const Samla__V1__Participants *p, FILE *out);
/* A code of the participant CSV in Swedish words ("fortsatt_rehab": "Fortsatt
 * rehabilitering"); the code itself when it has none. */
const char *render_parts_word(const char *code);
/* final, preliminary, missing as a Swedish reader reads them: slutlig, preliminär, saknas. */
const char *render_status_sv(const char *status);

/* A förbund's years side by side (render_overview.c); an Export's overviews as JSON. */
void render_overview_table(const Samla__V1__Overview *o, FILE *out);
void render_overview_csv(const Samla__V1__Overview *o, csvw_t *w);
void render_overview_json(const Samla__V1__Overview *o, FILE *out);

/* A förbund's name without "Samordningsförbundet ", which every name shares and which
 * says nothing in a narrow column ("" for NULL; the whole name if nothing follows). */
const char *render_short_name(const char *name);
/* A cost-area class ("admin", "structural", ...) in Swedish, whole ("Strukturinsatser") or
 * brief ("Struktur"); an unknown key as it is. */
const char *render_class_sv(const char *key, bool brief);
/* Whether an area total is one of the lines that reconcile the areas with the income
 * statement ("outside", "statement"), which carry costs, income and net only; the others
 * are the sums of the areas ("all", then per class). */
bool render_area_reconciles(const char *key);

/* A target in words, as every Swedish output says it (render.c): "minst 100 %",
 * "högst 20 %", "50 %–80 %", bounds as the metric's values are shown. */
void render_target_words(const Samla__V1__Target *t, char *buf, size_t size);
/* The verdict in words: "uppnått", "ej uppnått", or for an annual target before December
 * "på väg" or "riskerar" (CONTRACT.md); "–" without one. Static text. */
const char *render_target_verdict(const Samla__V1__Target *t);
/* An annual target's full-year projection as its metric is shown ("548"); "" when the
 * target has none (an ongoing one, or December). */
void render_target_projection(const Samla__V1__Target *t, char *buf, size_t size);
/* The target's line label: the metric's, and the intervention's name for a target of one
 * ("Nya deltagare, Rehabvägledare"). A name from a peer: text, for the caller to escape. */
void render_target_label(const Samla__V1__Target *t, const char *label, char *buf,
                         size_t size);
/* The outcome a target is judged on, as shown: an intervention's own figure, else the
 * förbund's value mv (may be NULL); "–" when there is none. */
void render_target_outcome(const Samla__V1__Target *t, const Samla__V1__MetricValue *mv,
                           char *buf, size_t size);

/* A value for people (render.c): Swedish grouping and units, "dolt", "–". */
void render_value_human(const Samla__V1__MetricValue *v, char *buf, size_t size);

/* JSON (render_json.c): a value (kronor, count, ratio, null or "suppressed"), a string
 * (never NULL: invalid UTF-8 becomes U+FFFD), and the one dump every JSON output goes
 * through, which takes the tree (NULL allowed) and prints it with a newline; 0 or -1. */
json_t *render_json_value(const Samla__V1__MetricValue *v);
json_t *render_json_str(const char *s);
int render_json_dump(json_t *root, FILE *out);

#endif
