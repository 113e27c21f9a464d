/* curve: the client side of a CURVE DEALER connection to samlad, shared by samla-agent and
 * samla: socket options, and a monitor that tells a refused key (ZAP 400, reported by
 * libzmq as ZMQ_EVENT_HANDSHAKE_FAILED_AUTH) from a daemon that is simply not there. */
#ifndef SAMLA_CURVE_H
#define SAMLA_CURVE_H

#include "samla/diag.h"
#include "samla/keys.h"

typedef struct {
    void *ctx, *sock, *monitor;
} curve_client_t;

/* Creates, configures and connects. immediate: queue only on finished connections. */
int curve_connect(curve_client_t *c, const char *endpoint, const keypair_t *server,
                  const keypair_t *own, int immediate, samla_err_t *err);
void curve_close(curve_client_t *c);
/* Reads one pending monitor event: its ZMQ_EVENT_* number, or -1 when none. */
int curve_monitor_event(curve_client_t *c);

#endif
