#include "samla/stats.h"

#include <stdlib.h>
#include <string.h>

static int s_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int stats_compute(const double *values, size_t n, stats_t *out)
{
    memset(out, 0, sizeof *out);
    out->count = n;
    if (n == 0)
        return 0;
    double *v = malloc(n * sizeof *v);
    if (!v)
        return -1;
    memcpy(v, values, n * sizeof *v);
    qsort(v, n, sizeof *v, s_cmp);
    for (size_t i = 0; i < n; i++)
        out->sum += v[i];
    out->mean = out->sum / (double)n;
    out->min = v[0];
    out->max = v[n - 1];
    out->median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
    free(v);
    return 0;
}

int stats_rank(const double *values, size_t n, unsigned *ranks)
{
    for (size_t i = 0; i < n; i++) {
        unsigned higher = 0;
        for (size_t k = 0; k < n; k++)
            if (values[k] > values[i])
                higher++;
        ranks[i] = higher + 1;
    }
    return 0;
}
