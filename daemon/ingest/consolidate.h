/* consolidate: from a submission's figures to the comparison. Figures -> every metric's
 * value (stored at COMMIT as layer 3 of the store), values of a comparison group -> its
 * aggregates and ranks, and what a viewer may see of them (privacy). Pure: no SQL, no
 * sockets, no clock; daemon/store/store.c keeps what this computes and daemon/query/query.c serves it.
 */
#ifndef SAMLA_CONSOLIDATE_H
#define SAMLA_CONSOLIDATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "disclose.h"
#include "samla/figures.h"
#include "samla/metrics.h"
#include "samla/stats.h"

/* Every metric of one förbund and period, in metric_table order. */
typedef struct {
    unsigned revision; /* 0: nothing reported: every value is null */
    int64_t fewest;    /* the smallest positive count of people behind the figures; 0: none */
    disc_fewest_t disc; /* what the disclosure gate decides from (disclose.h) */
    uint8_t hide;      /* kinds of people a förbund key may not see (disclose.h) */
    bool gated;        /* hide was set by the disclosure gate; a row without it is
                          withheld whole from a förbund key */
    metric_value_t v[METRIC_MAX];
} cons_row_t;

/* Computes every metric from the figures of a reported month (month 1..12 of the
 * period, population aged 16-64 in force for it, 0 when unknown), and the headline part
 * of disc (the breakdown part needs the rows: derive.c). */
void cons_row(const figures_t *f, unsigned revision, int month, int64_t population,
              cons_row_t *out);

/* Who asks. An analyst (orgnr NULL) sees everything; a förbund key sees everything of its
 * own and, of other förbund, what the disclosure gate shows (disclose.h): the row's hide
 * bits say which kinds of people are withheld (CONTRACT.md, Privacy). */
typedef struct {
    const char *orgnr;
    long long threshold; /* 0: privacy off */
} cons_viewer_t;

/* Whether metric k of the row of förbund `owner` is withheld from the viewer: a metric
 * about people of a kind the gate withholds (money is not about people), or any metric
 * about people of a row the gate never saw; null values too (a null share says its
 * count is zero). */
bool cons_hidden(const cons_viewer_t *viewer, size_t k, const char *owner,
                 const cons_row_t *row);

/* A group's statistics for one metric over the values a viewer may see. */
typedef struct {
    stats_t st;
    bool has_region;
    double region;     /* the group as one unit: the sum for money and counts, the sum of
                          numerators over the sum of denominators for ratios */
    unsigned withheld; /* values left out because the viewer may not see them */
} cons_agg_t;

/* Aggregates metric k over rows[0..n) (the group's members; a NULL row is a member that
 * reported nothing). owners[i] names row i's förbund. A withheld value takes part in no
 * sum, median, mean, extreme, rank or region figure, so none of them can give it away.
 * ranks (may be NULL) gets each visible value's competition rank (1 = highest), 0 for the
 * others. Returns 0, or -1 when memory is gone. */
int cons_aggregate(size_t k, const cons_row_t *const *rows, const char *const *owners,
                   size_t n, const cons_viewer_t *viewer, cons_agg_t *out, unsigned *ranks);
/* Only the region figure, withheld and st.count of cons_aggregate (the rest of st zero):
 * what a year earlier's figure needs, without sorting. */
void cons_region(size_t k, const cons_row_t *const *rows, const char *const *owners,
                 size_t n, const cons_viewer_t *viewer, cons_agg_t *out);

#endif
