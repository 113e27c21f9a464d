/* query: answers analysts' questions on the query socket (compare, for now). */
#ifndef SAMLA_QUERY_H
#define SAMLA_QUERY_H

#include <stddef.h>

#include "registry.h"
#include "store.h"

/* Answers every waiting request without blocking; returns how many. */
size_t query_handle(void *router, store_t *store, const registry_t *reg, const char *region);

#endif
