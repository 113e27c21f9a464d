/* client: delivers outbox entries to samlad over a CURVE DEALER socket and collects the
 * acknowledgements. Unanswered entries are resent with exponential backoff and jitter,
 * always with the same id, until every entry has an answer or the time is up. */
#ifndef SAMLA_CLIENT_H
#define SAMLA_CLIENT_H

#include <stdbool.h>

#include "outbox.h"
#include "samla.pb-c.h"
#include "samla/keys.h"

typedef struct {
    const char *endpoint;
    const keypair_t *server; /* public key of samlad */
    const keypair_t *own;    /* our key pair */
} client_conf_t;

typedef struct {
    bool answered;
    Samla__V1__AckStatus status;
    unsigned revision;
    char reason[256];
} client_result_t;

typedef enum {
    CLIENT_DONE = 0,     /* every entry answered */
    CLIENT_TIMEOUT = 1,  /* some entries unanswered when time ran out */
    CLIENT_REFUSED = 2,  /* the daemon refused our key at the handshake */
    CLIENT_BADKEY = 3,   /* connected, but the CURVE handshake fails: wrong server key? */
    CLIENT_ERROR = -1,
} client_rc_t;

/* results has l->n elements. */
client_rc_t client_deliver(const client_conf_t *conf, const outbox_list_t *l, int timeout_s,
                           client_result_t *results, samla_err_t *err);

#endif
