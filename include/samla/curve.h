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

enum { CURVE_EP_OK = 0, CURVE_EP_RESOLVE = -1, CURVE_EP_SCHEME = -2 };
/* Checks an endpoint before anything is sent to it: CURVE_EP_SCHEME when it is not
 * tcp://HOST:PORT or ipc://PATH (a configuration error), CURVE_EP_RESOLVE when the host of
 * a tcp:// endpoint does not resolve now (the name is wrong, or DNS is down). libzmq would
 * accept both and retry in silence until the time-out. */
int curve_endpoint_check(const char *endpoint, samla_err_t *err);

/* Creates, configures and connects. immediate: queue only on finished connections. */
int curve_connect(curve_client_t *c, const char *endpoint, const keypair_t *server,
                  const keypair_t *own, int immediate, samla_err_t *err);
void curve_close(curve_client_t *c);
/* Reads one pending monitor event: its ZMQ_EVENT_* number, or -1 when none. */
int curve_monitor_event(curve_client_t *c);

#endif
