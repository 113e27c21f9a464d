/* stats: region aggregates and ranks. A compare takes 132 of them over a few hundred
 * values each, so the values are sorted by their bits (linear) rather than by qsort's
 * comparisons through a function pointer. */
#include "samla/stats.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define S_SIGN (UINT64_C(1) << 63)

/* The bits of a double as an unsigned integer in the same order: a positive's sign bit
 * set, a negative's every bit flipped (more negative, smaller). */
static uint64_t s_key(double d)
{
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    return u & S_SIGN ? ~u : u | S_SIGN;
}

static double s_unkey(uint64_t u)
{
    u = u & S_SIGN ? u & ~S_SIGN : ~u;
    double d;
    memcpy(&d, &u, sizeof d);
    return d;
}

/* v[0..n) ascending: a radix sort of the keys a byte at a time from the lowest, skipping
 * the bytes all values share (most of a region's high bytes). The order of equal values
 * aside (-0 before +0), as a comparison sort would leave them. Metric values are finite;
 * a NaN would sort by its bits. -1 when memory is gone. */
static int s_sort(double *v, size_t n)
{
    if (n < 2)
        return 0;
    uint64_t *mem = malloc(2 * n * sizeof *mem), *a = mem, *b = mem + n;
    if (!mem)
        return -1;
    size_t count[8][256];
    memset(count, 0, sizeof count);
    for (size_t i = 0; i < n; i++) {
        a[i] = s_key(v[i]);
        for (int d = 0; d < 8; d++)
            count[d][(a[i] >> (8 * d)) & 0xff]++;
    }
    for (int d = 0; d < 8; d++) {
        size_t *c = count[d], pos = 0;
        if (c[(a[0] >> (8 * d)) & 0xff] == n)
            continue; /* every value has this byte: the order stands */
        for (int digit = 0; digit < 256; digit++) {
            size_t here = c[digit];
            c[digit] = pos;
            pos += here;
        }
        for (size_t i = 0; i < n; i++)
            b[c[(a[i] >> (8 * d)) & 0xff]++] = a[i];
        uint64_t *t = a;
        a = b;
        b = t;
    }
    for (size_t i = 0; i < n; i++)
        v[i] = s_unkey(a[i]);
    free(mem);
    return 0;
}

/* A sorted copy of values[0..n) (malloc'd, the caller frees), or NULL when memory is
 * gone. */
static double *s_sorted(const double *values, size_t n)
{
    double *v = malloc((n + 1) * sizeof *v);
    if (v && n)
        memcpy(v, values, n * sizeof *v);
    if (v && s_sort(v, n)) {
        free(v);
        return NULL;
    }
    return v;
}

int stats_compute(const double *values, size_t n, stats_t *out)
{
    memset(out, 0, sizeof *out);
    out->count = n;
    if (n == 0)
        return 0;
    double *v = s_sorted(values, n);
    if (!v)
        return -1;
    /* summed smallest first, as the figures always were (money and counts are then
     * summed exactly by the caller, consolidate.c) */
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
    double *v = s_sorted(values, n);
    if (!v)
        return -1;
    /* 1 + how many are higher: n less the first sorted index past values[i] */
    for (size_t i = 0; i < n; i++) {
        size_t lo = 0, hi = n;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (v[mid] <= values[i])
                lo = mid + 1;
            else
                hi = mid;
        }
        ranks[i] = (unsigned)(n - lo) + 1;
    }
    free(v);
    return 0;
}
