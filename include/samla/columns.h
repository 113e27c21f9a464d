/* columns: a Compare's values as a column per metric (Query.columns) rather than a
 * MetricValue message per förbund and metric: a few hundred packed numbers per message
 * instead of 40 000 messages for a region's month. samlad writes them (query_kernel.c);
 * samla turns them back into each ForbundFigures' metrics on arrival, so that every
 * renderer reads one shape. */
#ifndef SAMLA_COLUMNS_H
#define SAMLA_COLUMNS_H

#include <stddef.h>

#include "samla.pb-c.h"

/* A förbund's byte of ValueColumn.state. */
enum {
    COLS_NULL = 0,       /* not reported, or a ratio over zero */
    COLS_VALUE = 1,      /* a number: the next of ints or reals */
    COLS_SUPPRESSED = 2, /* withheld from this key (privacy) */
};

/* A förbund's byte of TargetColumn.verdict. */
enum {
    COLS_NO_VERDICT = 0, /* no value, or one the key may not see */
    COLS_MET = 1,
    COLS_NOT_MET = 2,
    COLS_ON_TRACK = 3,   /* an annual target before December: the projection meets it */
    COLS_AT_RISK = 4,    /* ... and does not */
};

/* Fills every ForbundFigures of c with its MetricValues (named from the catalogue cat,
 * whose i-th entry describes c->columns[i]) and its targets of each metric (before those
 * of its interventions), and drops the columns. What it adds is malloc'd and freed with
 * the reply by protobuf-c. Returns 0 (also when c has no columns), or -1 when the columns
 * do not fit the catalogue or the förbund (a state or verdict of no known kind, more or
 * fewer numbers than states say, a target that is not there, a column per metric
 * missing) or memory is gone; c may then be half filled and must only be freed. */
int cols_expand(Samla__V1__Compare *c, Samla__V1__MetricInfo *const *cat, size_t ncat);

#endif
