#include "samla/curve.h"

#include <netdb.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <zmq.h>

#include "samla/wire.h"

int curve_endpoint_check(const char *endpoint, samla_err_t *err)
{
    if (strncmp(endpoint, "ipc://", 6) == 0 && endpoint[6])
        return CURVE_EP_OK;
    const char *colon = strrchr(endpoint, ':');
    if (strncmp(endpoint, "tcp://", 6) != 0 || !colon || colon < endpoint + 6) {
        err_set(err, "'%s' is not an endpoint samlad listens on: write tcp://HOST:PORT "
                     "(or ipc://PATH)", endpoint);
        return CURVE_EP_SCHEME;
    }
    const char *host = endpoint + 6, *port = colon + 1;
    size_t hlen = (size_t)(colon - host);
    if (hlen >= 2 && host[0] == '[' && host[hlen - 1] == ']') { /* [IPv6]:port */
        host++;
        hlen -= 2;
    }
    long pn = 0;
    for (const char *p = port; *p; p++)
        pn = *p >= '0' && *p <= '9' && pn <= 65535 ? pn * 10 + (*p - '0') : 70000;
    char name[256];
    if (hlen == 0 || hlen >= sizeof name || !*port || pn < 1 || pn > 65535) {
        err_set(err, "'%s' is not an endpoint samlad listens on: write tcp://HOST:PORT "
                     "with a port from 1 to 65535", endpoint);
        return CURVE_EP_SCHEME;
    }
    memcpy(name, host, hlen);
    name[hlen] = '\0';
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    int rc = getaddrinfo(name, NULL, &hints, &res);
    if (res)
        freeaddrinfo(res);
    if (rc != 0) {
        err_set(err, "cannot resolve the host '%s' of %s: %s", name, endpoint,
                gai_strerror(rc));
        return CURVE_EP_RESOLVE;
    }
    return CURVE_EP_OK;
}

int curve_connect(curve_client_t *c, const char *endpoint, const keypair_t *server,
                  const keypair_t *own, int immediate, samla_err_t *err)
{
    memset(c, 0, sizeof *c);
    int zero = 0, ivl_max = 5000, hb = 2000;
    int64_t maxmsg = WIRE_MAX_MSG;
    char mon_ep[64];
    c->ctx = zmq_ctx_new();
    /* zmq_ctx_term must never wait: a message or monitor event still queued when the
     * time-out is over is given up (the outbox keeps the submission), not waited for */
    if (!c->ctx || zmq_ctx_set(c->ctx, ZMQ_BLOCKY, 0) ||
        !(c->sock = zmq_socket(c->ctx, ZMQ_DEALER)))
        goto fail;
    if (zmq_setsockopt(c->sock, ZMQ_CURVE_SERVERKEY, server->public_txt, KEY_Z85_LEN) ||
        zmq_setsockopt(c->sock, ZMQ_CURVE_PUBLICKEY, own->public_txt, KEY_Z85_LEN) ||
        zmq_setsockopt(c->sock, ZMQ_CURVE_SECRETKEY, own->secret_txt, KEY_Z85_LEN) ||
        zmq_setsockopt(c->sock, ZMQ_LINGER, &zero, sizeof zero) ||
        zmq_setsockopt(c->sock, ZMQ_IMMEDIATE, &immediate, sizeof immediate) ||
        zmq_setsockopt(c->sock, ZMQ_MAXMSGSIZE, &maxmsg, sizeof maxmsg) ||
        zmq_setsockopt(c->sock, ZMQ_RECONNECT_IVL_MAX, &ivl_max, sizeof ivl_max) ||
        zmq_setsockopt(c->sock, ZMQ_HEARTBEAT_IVL, &hb, sizeof hb))
        goto fail;
    snprintf(mon_ep, sizeof mon_ep, "inproc://monitor-%p", c->sock);
    if (zmq_socket_monitor(c->sock, mon_ep, ZMQ_EVENT_HANDSHAKE_FAILED_AUTH |
                                                ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL |
                                                ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL |
                                                ZMQ_EVENT_HANDSHAKE_SUCCEEDED |
                                                ZMQ_EVENT_CONNECTED | ZMQ_EVENT_DISCONNECTED) ||
        !(c->monitor = zmq_socket(c->ctx, ZMQ_PAIR)) ||
        zmq_setsockopt(c->monitor, ZMQ_LINGER, &zero, sizeof zero) ||
        zmq_connect(c->monitor, mon_ep))
        goto fail;
    if (zmq_connect(c->sock, endpoint)) {
        err_set(err, "cannot connect to %s: %s", endpoint, zmq_strerror(zmq_errno()));
        curve_close(c);
        return -1;
    }
    return 0;
fail:
    err_set(err, "cannot set up the connection: %s", zmq_strerror(zmq_errno()));
    curve_close(c);
    return -1;
}

void curve_close(curve_client_t *c)
{
    /* monitoring stops before its reading end goes, so no event waits for a reader */
    if (c->sock)
        zmq_socket_monitor(c->sock, NULL, 0);
    if (c->monitor)
        zmq_close(c->monitor);
    if (c->sock)
        zmq_close(c->sock);
    if (c->ctx)
        zmq_ctx_term(c->ctx);
    memset(c, 0, sizeof *c);
}

int curve_monitor_event(curve_client_t *c)
{
    zmq_msg_t m;
    zmq_msg_init(&m);
    if (zmq_msg_recv(&m, c->monitor, ZMQ_DONTWAIT) < 0) {
        zmq_msg_close(&m);
        return -1;
    }
    int event = -1;
    if (zmq_msg_size(&m) >= 2) {
        const uint8_t *p = zmq_msg_data(&m);
        event = p[0] | (p[1] << 8);
    }
    while (zmq_msg_more(&m)) { /* the endpoint frame */
        zmq_msg_close(&m);
        zmq_msg_init(&m);
        if (zmq_msg_recv(&m, c->monitor, ZMQ_DONTWAIT) < 0)
            break;
    }
    zmq_msg_close(&m);
    return event;
}
