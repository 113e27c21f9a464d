/* ingest: takes what has arrived on the submission socket in one poll cycle, checks who
 * sent it and what it holds, stores it all in one transaction and acknowledges each
 * message only after COMMIT returned. */
#ifndef SAMLA_INGEST_H
#define SAMLA_INGEST_H

#include <stddef.h>

#include "registry.h"
#include "store.h"

/* Most messages taken into one transaction. */
#define INGEST_BATCH 256
/* Bounds on what one submission may hold. */
#define INGEST_MAX_AREAS 10000
#define INGEST_MAX_ROWS 100000
#define INGEST_MAX_STRING 1024

/* Returns how many messages were taken (0 when none were waiting). */
size_t ingest_batch(void *router, store_t *store, const registry_t *reg);

#endif
