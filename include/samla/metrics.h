/* metrics: CONTRACT.md's metric table, computed from figures_t. */
#ifndef SAMLA_METRICS_H
#define SAMLA_METRICS_H

#include <stdbool.h>
#include <stdint.h>

#include "samla/figures.h"

typedef enum {
    UNIT_MONEY,   /* integer öre, shown as kronor */
    UNIT_COUNT,   /* people */
    UNIT_PERCENT, /* double */
    UNIT_KRONOR,  /* double kronor per person */
} metric_unit_t;

typedef struct {
    bool present; /* false: null (no data, zero denominator) */
    int64_t i;    /* UNIT_MONEY (öre), UNIT_COUNT */
    double d;     /* UNIT_PERCENT, UNIT_KRONOR: num / den */
    double num, den; /* a ratio's parts (num already scaled), so that a region's ratio is
                        the sum of numerators over the sum of denominators */
} metric_value_t;

typedef struct {
    int month;          /* 1..12, the period's month: YTD figures are annualised by it */
    int64_t population; /* aged 16-64 from the registry; 0 when unknown */
} metric_ctx_t;

/* Whose counts of people a metric tells about: privacy withholds it by them. */
typedef enum {
    PEOPLE_NONE,       /* money, and shares of money */
    PEOPLE_INDIVIDUAL, /* individual interventions */
    PEOPLE_VOLUME,
    PEOPLE_STRUCTURAL,
} metric_people_t;

typedef struct {
    const char *name;
    metric_unit_t unit;
    metric_value_t (*fn)(const figures_t *f, const metric_ctx_t *ctx);
    const char *doc;
    const char *label; /* Swedish, as a table or report heads it */
    metric_people_t people;
    const char *head;  /* a shorter label for a 100-column table's heading, whose words
                          fit its 11-column lines (NULL: the label fits); a "- " marks
                          where a word may break */
    const char *doc_sv; /* the definition in Swedish, for the workbook's metric sheet */
} metric_t;

/* Room for this many metrics in fixed-size rows (daemon/ingest/consolidate.h); metrics.c checks
 * the table fits. */
#define METRIC_MAX 64

extern const metric_t metric_table[];
extern const size_t metric_count;

const metric_t *metric_find(const char *name);

/* The value in its display unit (kronor for money) as a double, for aggregates. */
double metric_display(const metric_t *m, metric_value_t v);
/* Whether the metric is a ratio over a number of people (women_share, cost per
 * participant, ...): with a small denominator it tells about individuals. */
bool metric_per_people(const metric_t *m);
/* Whether a region sum of this metric means anything (money and counts). */
bool metric_summable(const metric_t *m);
/* Whether the metric grows over the year as months add to it (money flows and counts of
 * people to date: income, costs, new participants), as against a level or a ratio (equity,
 * active participants, shares): a target of the first kind is judged on December's figure
 * (target.h). */
bool metric_grows(const metric_t *m);

#endif
