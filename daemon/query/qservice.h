/* qservice: the query socket served off samlad's loop, so that no query, however many or
 * heavy, delays an acknowledgement: the submission loop never waits for it, and under WAL
 * no connection blocks another.
 *
 * One dispatcher thread owns the socket and QSERVICE_WORKERS workers answer, each with its
 * own read-only database connection and disclosure cache, reached over inproc PAIR
 * sockets (ZeroMQ sockets are never shared between threads).
 *
 * Fairness: requests are queued per sender key (at most QSERVICE_PER_KEY waiting each) and
 * handed out one per key in turn; a key has at most one request at a worker, so one key's
 * heavy export holds one worker while the others go on answering every other key. Past
 * its share a key is told to try again. */
#ifndef SAMLA_QSERVICE_H
#define SAMLA_QSERVICE_H

#include <stddef.h>
#include <stdint.h>

#include "query.h"
#include "registry.h"
#include "samla/diag.h"

#define QSERVICE_PER_KEY 16 /* requests one key may have waiting */
#define QSERVICE_KEYS 256   /* distinct keys with requests waiting at once */
#define QSERVICE_WORKERS 2  /* queries answered at once: one heavy one leaves one free */

/* What a worker does; samlad uses qservice_queries, the tests their own. */
typedef struct {
    /* A worker's own state (for samlad: a read-only connection to `database` and a
     * disclosure cache); NULL with err when it cannot be made. */
    void *(*open)(const char *database, samla_err_t *err);
    /* The packed reply to `payload` from key `user` ("" when none), malloc'd (*len
     * bytes), NULL when out of memory. reg and cfg hold for this request. */
    uint8_t *(*answer)(void *state, const char *user, const void *payload, size_t size,
                       const registry_t *reg, const query_cfg_t *cfg, size_t *len);
    void (*close)(void *state);
} qservice_ops_t;

extern const qservice_ops_t qservice_queries;

typedef struct qservice_s qservice_t;

/* Takes over `router` (a bound ROUTER socket of ctx no other thread uses from now on) and
 * serves it with QSERVICE_WORKERS workers made by ops. Holds its own reference to reg and
 * its own copy of cfg. */
qservice_t *qservice_start(void *ctx, void *router, const qservice_ops_t *ops,
                           const char *database, registry_t *reg, const query_cfg_t *cfg,
                           samla_err_t *err);
/* The registry and settings for the requests that follow (after SIGHUP). */
void qservice_update(qservice_t *self, registry_t *reg, const query_cfg_t *cfg);
/* Stops the threads (within a fraction of a second once each finishes the query in
 * hand), closes their connections; the socket is the caller's again. */
void qservice_stop(qservice_t **self_p);

#endif
