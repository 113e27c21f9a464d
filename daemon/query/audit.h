/* audit: proves what disclose.c decides (CONTRACT.md, Privacy). For one förbund's year up
 * to a month, given every cell a förbund key is shown of it (the headline counts and
 * breakdown lines of each month, as the masks allow) and every relation a reader knows
 * (sums over genders, interventions and categories; start + new - ended = end for each
 * intervention; exit reasons sum to ended; counts to date never fall from one month to
 * the next and the year's start never changes), each withheld cell with a count in
 * 1..threshold-1 must still take at least `threshold` integer values. The feasible range
 * of each is computed by linear programming (GLPK): the participant rows of every month
 * are the unknowns, each shown cell an equation. A relation the stored data itself breaks
 * (a count to date that fell) is left out: a reader cannot rely on it.
 *
 * Other förbund are other people: nothing shown about them constrains this one, and
 * aggregates are taken over shown values only, so one förbund at a time is the whole
 * question. */
#ifndef SAMLA_AUDIT_H
#define SAMLA_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "disclose.h"

typedef struct {
    bool reported;
    const disc_row_t *rows;
    size_t n;
    disc_mask_t mask; /* what a förbund key is not shown of this month */
} audit_month_t;

/* A withheld cell that can be narrowed to fewer than `threshold` values. */
typedef struct {
    int month;       /* 1..12 */
    char cell[128];  /* e.g. "avslut flytt, kvinnor" */
    int64_t value;   /* its true count */
    double lo, hi;   /* its feasible range (hi < 0: unbounded) */
} audit_leak_t;

typedef struct {
    size_t checked;  /* withheld small cells whose range was computed */
    size_t unknowns; /* columns of the last problem */
} audit_stats_t;

/* Audits months 1..last of one förbund's year. Fills up to `max` leaks and returns how
 * many there are, or -1 when memory is gone or GLPK failed (why in `why`). */
long audit_year(const audit_month_t month[12], int last, long long threshold,
                audit_leak_t *leaks, size_t max, audit_stats_t *stats, char *why,
                size_t wsize);

#endif
