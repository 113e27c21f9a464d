/* qservice: the query socket served on its own thread with its own read-only database
 * connection, so that no query, however many or heavy, delays an acknowledgement: the
 * submission loop never waits for it, and under WAL neither connection blocks the other.
 *
 * Fairness: requests are queued per sender key (at most QSERVICE_PER_KEY waiting each)
 * and served one per key in turn, so one key that sends thousands of exports gets one
 * answer in each round like everybody else; past its share it is told to try again. */
#ifndef SAMLA_QSERVICE_H
#define SAMLA_QSERVICE_H

#include "query.h"
#include "registry.h"
#include "samla/diag.h"

#define QSERVICE_PER_KEY 16 /* requests one key may have waiting */
#define QSERVICE_KEYS 256   /* distinct keys with requests waiting at once */

typedef struct qservice_s qservice_t;

/* Takes over `router` (a bound ROUTER socket no other thread uses from now on) and serves
 * it with a read-only connection to `database`. Holds its own reference to reg and its
 * own copy of cfg. */
qservice_t *qservice_start(void *router, const char *database, registry_t *reg,
                           const query_cfg_t *cfg, samla_err_t *err);
/* The registry and settings for the requests that follow (after SIGHUP). */
void qservice_update(qservice_t *self, registry_t *reg, const query_cfg_t *cfg);
/* Stops the thread (within a fraction of a second), closes its connection; the socket is
 * the caller's again. */
void qservice_stop(qservice_t **self_p);

#endif
