/* query: answers analysts' questions on the query socket (compare, for now). */
#ifndef SAMLA_QUERY_H
#define SAMLA_QUERY_H

#include <stddef.h>

#include "registry.h"
#include "store.h"

typedef struct {
    const char *region;
    long long privacy_threshold; /* counts of other förbund below this are suppressed for
                                    förbund keys; analysts see everything. 0: off */
} query_cfg_t;

/* Answers every waiting request without blocking; returns how many. */
size_t query_handle(void *router, store_t *store, const registry_t *reg,
                    const query_cfg_t *cfg);

#endif
