/* query: answers analysts' questions on the query socket (compare, status, trend, export,
 * areas, participants, overview), each reply with how its metrics are shown. */
#ifndef SAMLA_QUERY_H
#define SAMLA_QUERY_H

#include <stddef.h>
#include <zmq.h>

#include "registry.h"
#include "store.h"

typedef struct {
    const char *region;
    long long privacy_threshold; /* counts of other förbund below this are suppressed for
                                    förbund keys; analysts see everything. 0: off */
} query_cfg_t;

/* Answers one request received on the query ROUTER socket as [peer][payload] (`frames`
 * counts what arrived; anything but 2 is answered as a usage error). The sender is the
 * ZAP User-Id of the payload, looked up in reg for every request. */
void query_answer(void *router, zmq_msg_t *peer, zmq_msg_t *payload, int frames,
                  store_t *store, const registry_t *reg, const query_cfg_t *cfg);
/* Answers with an error only (code: a samla.v1.ErrorCode). */
void query_refuse(void *router, zmq_msg_t *peer, int code, const char *why);

#endif
