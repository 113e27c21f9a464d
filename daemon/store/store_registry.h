/* store_registry: the registry (names, populations aged 16-64, comparison groups) as it
 * was in force from a time on, so that a month's figures can be rebuilt with what held
 * when it arrived; and the targets in force, for SQL users. */
#ifndef SAMLA_STORE_REGISTRY_H
#define SAMLA_STORE_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "samla/diag.h"
#include "store.h"

typedef struct {
    const char *orgnr, *name;
    int64_t population;
} store_member_t;
typedef struct {
    const char *group, *orgnr;
} store_grouping_t;
/* Records the registry as in force from now on, unless the latest snapshot is the same.
 * *changed tells whether it was new. Inside a transaction. */
int store_snapshot(store_t *self, const store_member_t *m, size_t nm,
                   const store_grouping_t *g, size_t ng, bool *changed, samla_err_t *err);
/* The targets in force, for the metric_target view (docs/database.md): replaces what was
 * there. Inside a transaction. Strings are borrowed. */
typedef struct {
    const char *scope, *subject, *metric, *direction; /* subject NULL: default and all */
    bool has_low, has_high;
    double low, high;
} store_target_t;
int store_targets(store_t *self, const store_target_t *t, size_t n, samla_err_t *err);
/* The population aged 16-64 in force for a förbund at a time (ISO 8601 UTC): the snapshot
 * before it, or the earliest one when the time predates every snapshot. -1 when unknown. */
int64_t store_population_at(store_t *self, const char *orgnr, const char *when,
                            samla_err_t *err);

#endif
