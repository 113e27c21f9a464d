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

/* Fills every ForbundFigures of c with its MetricValues (named from the catalogue cat,
 * whose i-th entry describes c->columns[i]) and drops the columns. What it adds is
 * malloc'd and freed with the reply by protobuf-c. Returns 0 (also when c has no
 * columns), or -1 when the columns do not fit the catalogue or the förbund (a state
 * byte of neither kind, more or fewer values than states say, a column per metric
 * missing) or memory is gone; c may then be half filled and must only be freed. */
int cols_expand(Samla__V1__Compare *c, Samla__V1__MetricInfo *const *cat, size_t ncat);

#endif
