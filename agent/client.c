#include "client.h"

#include <czmq.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <zmq.h>

#include "samla/curve.h"
#include "samla/wire.h"

static void s_take_ack(const uint8_t *data, size_t len, const outbox_list_t *l,
                       client_result_t *results)
{
    arena_t a;
    arena_init(&a, WIRE_DECODE_BUDGET);
    Samla__V1__Ack *ack = samla__v1__ack__unpack(&a.pa, len, data);
    if (!ack) {
        arena_release(&a);
        return;
    }
    for (size_t i = 0; i < l->n; i++) {
        if (strcmp(l->v[i].id, ack->id) != 0 || results[i].answered)
            continue;
        results[i].answered = true;
        results[i].status = ack->status;
        results[i].revision = ack->has_revision ? ack->revision : 0;
        snprintf(results[i].reason, sizeof results[i].reason, "%s",
                 ack->reason ? ack->reason : "");
    }
    samla__v1__ack__free_unpacked(ack, &a.pa);
    arena_release(&a);
}

client_rc_t client_deliver(const client_conf_t *conf, const outbox_list_t *l, int timeout_s,
                           client_result_t *results, samla_err_t *err)
{
    memset(results, 0, l->n * sizeof *results);
    if (l->n == 0)
        return CLIENT_DONE;
    curve_client_t cc;
    if (curve_connect(&cc, conf->endpoint, conf->server, conf->own, 1, err))
        return CLIENT_ERROR;
    client_rc_t rc = CLIENT_TIMEOUT;
    int64_t deadline = zclock_mono() + (int64_t)timeout_s * 1000;
    int64_t next_send = 0, backoff = 500;
    size_t pending = l->n;
    /* Connections that closed without a finished handshake. A daemon that is down gives
     * none (nothing connects); one that cannot read our HELLO, because we encrypted it to
     * another key than its own, drops every connection at once. */
    unsigned failed_handshakes = 0;
    bool shook = false;
    while (pending && zclock_mono() < deadline) {
        int64_t now = zclock_mono();
        if (now >= next_send) {
            /* Oldest first; entries already answered are not sent again. With IMMEDIATE
             * set, a send without a connection fails at once and waits for the next round. */
            for (size_t i = 0; i < l->n; i++)
                if (!results[i].answered &&
                    zmq_send(cc.sock, l->v[i].data, l->v[i].len, ZMQ_DONTWAIT) < 0)
                    break;
            next_send = now + backoff + (int64_t)randombytes_uniform((uint32_t)backoff / 2 + 1);
            if (backoff < 8000)
                backoff *= 2;
        }
        zmq_pollitem_t items[2] = {{cc.sock, 0, ZMQ_POLLIN, 0}, {cc.monitor, 0, ZMQ_POLLIN, 0}};
        int64_t wait = next_send < deadline ? next_send - zclock_mono() : deadline - zclock_mono();
        if (zmq_poll(items, 2, wait > 0 ? (long)wait : 0) < 0)
            continue;
        int ev;
        while ((items[1].revents & ZMQ_POLLIN) && (ev = curve_monitor_event(&cc)) >= 0) {
            if (ev == ZMQ_EVENT_HANDSHAKE_FAILED_AUTH) {
                rc = CLIENT_REFUSED;
                err_set(err, "samlad at %s refused this agent's key", conf->endpoint);
                goto done;
            }
            if (ev == ZMQ_EVENT_HANDSHAKE_SUCCEEDED) {
                shook = true;
                failed_handshakes = 0;
                next_send = zclock_mono(); /* connected: send what waits without backoff */
            }
            if (ev == ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL ||
                ev == ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL ||
                (ev == ZMQ_EVENT_DISCONNECTED && !shook))
                failed_handshakes++;
            if (ev == ZMQ_EVENT_DISCONNECTED)
                shook = false;
            if (failed_handshakes >= 3) {
                rc = CLIENT_BADKEY;
                err_set(err, "%s accepts connections but the CURVE handshake fails: is "
                             "server_public_key the daemon's key?", conf->endpoint);
                goto done;
            }
        }
        while (items[0].revents & ZMQ_POLLIN) {
            zmq_msg_t m;
            zmq_msg_init(&m);
            if (zmq_msg_recv(&m, cc.sock, ZMQ_DONTWAIT) < 0) {
                zmq_msg_close(&m);
                break;
            }
            s_take_ack(zmq_msg_data(&m), zmq_msg_size(&m), l, results);
            zmq_msg_close(&m);
        }
        pending = 0;
        for (size_t i = 0; i < l->n; i++)
            pending += !results[i].answered;
    }
    if (!pending)
        rc = CLIENT_DONE;
done:
    curve_close(&cc);
    return rc;
}
