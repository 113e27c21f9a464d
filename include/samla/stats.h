/* stats: region aggregates and ranks over the förbund that have a value. */
#ifndef SAMLA_STATS_H
#define SAMLA_STATS_H

#include <stddef.h>

typedef struct {
    size_t count;
    double sum, median, mean, min, max; /* meaningless when count == 0 */
} stats_t;

/* values[0..n) is not modified. Returns -1 only when memory is gone. */
int stats_compute(const double *values, size_t n, stats_t *out);
/* Competition ranks, 1 = highest; equal values share a rank. ranks[i] for values[i]. */
int stats_rank(const double *values, size_t n, unsigned *ranks);

#endif
