/* mshow: how a metric is shown (Swedish label, unit, decimals, definition). One place for
 * every renderer, and the same on the wire: samlad sends it as samla.v1.MetricInfo with
 * every reply that has metric values, and samla shows numbers as the reply says, falling
 * back to its own metric table for replies from a samlad that sends none. */
#ifndef SAMLA_MSHOW_H
#define SAMLA_MSHOW_H

#include <stddef.h>

#include "samla.pb-c.h"
#include "samla/metrics.h"

typedef struct {
    const char *name, *label, *doc; /* doc: the definition */
    metric_unit_t unit;
    int decimals;
} mshow_t;

/* Decimals a unit is shown with: one for percent, whole kronor and people otherwise. */
int mshow_decimals(metric_unit_t u);
/* The unit as a Swedish table head writes it: "kr", "antal", "%"; kronor per person is
 * "kr" too, as its label says per whom ("Kostnad per deltagare"). */
const char *mshow_unit_sv(metric_unit_t u);
/* The unit for programs (the long CSV/JSON form): "kr", "people", "percent",
 * "kr_per_person". */
const char *mshow_unit_code(metric_unit_t u);

/* A table head for the metric: its label and unit, "Medlemsbidrag, kr", "Andel kvinnor, %",
 * "Nya deltagare, antal", "Kostnad per deltagare, kr". The name itself when
 * the metric is unknown. */
void mshow_head(const char *metric, char *buf, size_t size);
/* The same with the metric's short heading where it has one (metric_t.head: "- " marks
 * where a word may break), for the 100-column tables. */
void mshow_short_head(const char *metric, char *buf, size_t size);

/* samlad: every metric of metric_table as MetricInfo, in the table's order (so index k is
 * metric_table[k]). Static, built once, thread-safe; never freed. */
Samla__V1__MetricInfo *const *mshow_catalogue(size_t *n);

/* samla: shows metrics as a reply's catalogue says (v may be NULL, n 0); a later reply's
 * entry replaces an earlier one of the same name. Entries with a unit this build does not
 * know are left to the local table. Strings are copied (the reply may be freed);
 * mshow_forget frees them. One thread. */
void mshow_use(Samla__V1__MetricInfo *const *v, size_t n);
void mshow_forget(void);
/* The metric as the reply in use says, else as metric_table says; NULL when neither knows
 * it. */
const mshow_t *mshow_find(const char *name);

#endif
