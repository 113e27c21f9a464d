/* query: answers analysts' questions on the query socket (compare, status, trend, export,
 * areas, participants, overview), each reply with how its metrics are shown. */
#ifndef SAMLA_QUERY_H
#define SAMLA_QUERY_H

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

#include "registry.h"
#include "samla.pb-c.h"
#include "samla/arena.h"
#include "store.h"
#include "store_cons.h"
#include "store_details.h"
#include "store_log.h"

/* The region's name comes with the registry (registry_region), so it follows SIGHUP. */
typedef struct {
    long long privacy_threshold; /* counts of other förbund below this are suppressed for
                                    förbund keys; analysts see everything. 0: off */
} query_cfg_t;

/* What the disclosure gate has worked out (query_gate.c): one per query thread, kept
 * while the database is unchanged. */
typedef struct query_cache_s query_cache_t;
query_cache_t *query_cache_new(void);
void query_cache_destroy(query_cache_t **self_p);

/* Runs one decoded query (NULL: it could not be decoded) for `who` (NULL: an unknown
 * key) on one snapshot of the read-only store, with the thread's cache (NULL: none kept).
 * Returns 0 with the reply filled, its parts in `arena` (the caller releases it), or a
 * samla.v1.ErrorCode with the reason in why[wsize]. */
int query_run(const Samla__V1__Query *q, const member_t *who, store_t *store,
              const registry_t *reg, const query_cfg_t *cfg, query_cache_t *cache,
              arena_t *arena, Samla__V1__Reply *reply, char *why, size_t wsize);

/* Answers one request: `payload` (NULL: it did not arrive as one frame) from the key
 * `user` (its ZAP User-Id in Z85; NULL or "": none), looked up in reg for every request.
 * The reply is built in `work` (NULL: an arena of its own), which is reset once the reply
 * is packed, keeping what arena_keep allows: a worker that passes the same arena each time
 * builds in memory already mapped. Returns the packed reply or refusal (malloc'd, the
 * caller frees; *len bytes), NULL only when out of memory. */
uint8_t *query_answer(const char *user, const void *payload, size_t size, store_t *store,
                      const registry_t *reg, const query_cfg_t *cfg, query_cache_t *cache,
                      arena_t *work, size_t *len);
/* `samlad --audit-privacy PERIOD`: proves for every registered förbund that what a förbund
 * key is shown of it in the months of PERIOD's year up to PERIOD lets no withheld count
 * under the threshold be narrowed to fewer than `threshold` values (CONTRACT.md,
 * Privacy); prints each one that can be, and a summary, to out. Returns how many can be,
 * or -1 when the period is malformed or the store or solver failed. */
long query_audit_privacy(store_t *store, const registry_t *reg, long long threshold,
                         const char *period, FILE *out);

/* An error reply only (code: a samla.v1.ErrorCode), packed as query_answer's. */
uint8_t *query_refusal(int code, const char *why, size_t *len);

#endif
