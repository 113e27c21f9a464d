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
        /* "send again later" is no answer yet: the entry stays in the rounds with their
         * backoff until the deadline, the reason kept for the outbox if it runs out */
        results[i].answered = ack->status != SAMLA__V1__ACK_STATUS__ACK_RETRY;
        results[i].status = ack->status;
        results[i].revision = ack->has_revision ? ack->revision : 0;
        snprintf(results[i].reason, sizeof results[i].reason, "%s",
                 ack->reason ? ack->reason : "");
    }
    samla__v1__ack__free_unpacked(ack, &a.pa);
    arena_release(&a);
}

/* One delivery run: the connection, the entries, their answers, and when to send next. */
typedef struct {
    const client_conf_t *conf;
    const outbox_list_t *l;
    client_result_t *results;
    curve_client_t cc;
    int64_t deadline, next_send, backoff;
    /* Connections that closed without a finished handshake. A daemon that is down gives
     * none (nothing connects); one that cannot read our HELLO, because we encrypted it to
     * another key than its own, drops every connection at once. */
    unsigned failed_handshakes;
    bool shook;
} s_run_t;

enum { S_GO_ON = -2 }; /* s_watch: no verdict yet */

/* Sends every unanswered entry, oldest first, and schedules the next round with
 * exponential backoff and jitter. With IMMEDIATE set, a send without a connection fails
 * at once and waits for the next round. */
static void s_send_round(s_run_t *r, int64_t now)
{
    for (size_t i = 0; i < r->l->n; i++)
        if (!r->results[i].answered &&
            zmq_send(r->cc.sock, r->l->v[i].data, r->l->v[i].len, ZMQ_DONTWAIT) < 0)
            break;
    r->next_send = now + r->backoff + (int64_t)randombytes_uniform((uint32_t)r->backoff / 2 + 1);
    if (r->backoff < 8000)
        r->backoff *= 2;
}

/* The connection's monitor events: a refused key or a handshake that keeps failing ends
 * the run (its client_rc_t); a finished handshake sends what waits at once. */
static int s_watch(s_run_t *r, samla_err_t *err)
{
    int ev;
    while ((ev = curve_monitor_event(&r->cc)) >= 0) {
        if (ev == ZMQ_EVENT_HANDSHAKE_FAILED_AUTH) {
            err_set(err, "samlad at %s refused this agent's key", r->conf->endpoint);
            return CLIENT_REFUSED;
        }
        if (ev == ZMQ_EVENT_HANDSHAKE_SUCCEEDED) {
            r->shook = true;
            r->failed_handshakes = 0;
            r->next_send = zclock_mono();
        }
        if (ev == ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL ||
            ev == ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL ||
            (ev == ZMQ_EVENT_DISCONNECTED && !r->shook))
            r->failed_handshakes++;
        if (ev == ZMQ_EVENT_DISCONNECTED)
            r->shook = false;
        if (r->failed_handshakes >= 3) {
            err_set(err, "%s accepts connections but the CURVE handshake fails: is "
                         "server_public_key the daemon's key?", r->conf->endpoint);
            return CLIENT_BADKEY;
        }
    }
    return S_GO_ON;
}

/* Every acknowledgement waiting on the socket; returns how many entries still wait. */
static size_t s_take_acks(s_run_t *r)
{
    for (;;) {
        zmq_msg_t m;
        zmq_msg_init(&m);
        if (zmq_msg_recv(&m, r->cc.sock, ZMQ_DONTWAIT) < 0) {
            zmq_msg_close(&m);
            break;
        }
        s_take_ack(zmq_msg_data(&m), zmq_msg_size(&m), r->l, r->results);
        zmq_msg_close(&m);
    }
    size_t pending = 0;
    for (size_t i = 0; i < r->l->n; i++)
        pending += !r->results[i].answered;
    return pending;
}

client_rc_t client_deliver(const client_conf_t *conf, const outbox_list_t *l, int timeout_s,
                           client_result_t *results, samla_err_t *err)
{
    memset(results, 0, l->n * sizeof *results);
    if (l->n == 0)
        return CLIENT_DONE;
    s_run_t r = {.conf = conf, .l = l, .results = results, .backoff = 500};
    if (curve_connect(&r.cc, conf->endpoint, conf->server, conf->own, 1, err))
        return CLIENT_ERROR;
    r.deadline = zclock_mono() + (int64_t)timeout_s * 1000;
    int rc = S_GO_ON;
    size_t pending = l->n;
    while (rc == S_GO_ON && pending && zclock_mono() < r.deadline) {
        int64_t now = zclock_mono();
        if (now >= r.next_send)
            s_send_round(&r, now);
        zmq_pollitem_t items[2] = {{r.cc.sock, 0, ZMQ_POLLIN, 0},
                                   {r.cc.monitor, 0, ZMQ_POLLIN, 0}};
        int64_t until = r.next_send < r.deadline ? r.next_send : r.deadline;
        int64_t wait = until - zclock_mono();
        if (zmq_poll(items, 2, wait > 0 ? (long)wait : 0) < 0)
            continue;
        if (items[1].revents & ZMQ_POLLIN)
            rc = s_watch(&r, err);
        if (rc == S_GO_ON && (items[0].revents & ZMQ_POLLIN))
            pending = s_take_acks(&r);
    }
    curve_close(&r.cc);
    if (rc != S_GO_ON)
        return (client_rc_t)rc;
    return pending ? CLIENT_TIMEOUT : CLIENT_DONE;
}
