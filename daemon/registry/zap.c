#include "zap.h"

#include <string.h>
#include <zmq.h>

#include "frames.h"
#include "samla/log.h"

void *zap_bind(void *ctx, samla_err_t *err)
{
    void *s = zmq_socket(ctx, ZMQ_REP);
    int zero = 0;
    if (!s || zmq_setsockopt(s, ZMQ_LINGER, &zero, sizeof zero) ||
        zmq_bind(s, "inproc://zeromq.zap.01")) {
        err_set(err, "cannot start the ZAP handler: %s", zmq_strerror(zmq_errno()));
        if (s)
            zmq_close(s);
        return NULL;
    }
    return s;
}

/* A request has 7 frames; room for one more shows one that has too many. */
#define ZAP_FRAMES 8

static int s_is(zmq_msg_t *m, const char *s)
{
    return zmq_msg_size(m) == strlen(s) && memcmp(zmq_msg_data(m), s, strlen(s)) == 0;
}

static void s_send(void *zap, zmq_msg_t *reqid, const char *code, const char *text,
                   const char *user)
{
    zmq_send(zap, "1.0", 3, ZMQ_SNDMORE);
    zmq_send(zap, zmq_msg_data(reqid), zmq_msg_size(reqid), ZMQ_SNDMORE);
    zmq_send(zap, code, 3, ZMQ_SNDMORE);
    zmq_send(zap, text, strlen(text), ZMQ_SNDMORE);
    zmq_send(zap, user, strlen(user), ZMQ_SNDMORE);
    zmq_send(zap, "", 0, 0);
}

void zap_handle(void *zap, const registry_t *reg)
{
    for (;;) {
        zmq_msg_t fr[ZAP_FRAMES];
        zmq_msg_t *frp[ZAP_FRAMES];
        for (int i = 0; i < ZAP_FRAMES; i++)
            frp[i] = &fr[i];
        int n = frames_recv(zap, frp, ZAP_FRAMES);
        if (n <= 0) {
            if (n < 0)
                log_event(LOG_LVL_WARN, "zap.malformed", "reason=\"request cut short\"");
            frames_close(frp, ZAP_FRAMES);
            return; /* the REP socket cannot answer a broken request */
        }
        /* version, request id, domain, address, routing id, mechanism, credentials... */
        char key[KEY_Z85_LEN + 1] = "", fp[17] = "-", addr[64] = "";
        const char *code = "400", *text = "unknown key";
        if (n >= 6) {
            size_t al = zmq_msg_size(&fr[3]) < sizeof addr - 1 ? zmq_msg_size(&fr[3])
                                                                : sizeof addr - 1;
            memcpy(addr, zmq_msg_data(&fr[3]), al);
            addr[al] = '\0';
        }
        if (n < 6 || !s_is(&fr[0], "1.0")) {
            text = "malformed ZAP request";
        } else if (!s_is(&fr[2], ZAP_DOMAIN)) {
            text = "wrong domain";
        } else if (!s_is(&fr[5], "CURVE") || n != 7 || zmq_msg_size(&fr[6]) != 32) {
            text = "only CURVE is accepted";
        } else {
            zmq_z85_encode(key, zmq_msg_data(&fr[6]), 32);
            keys_fingerprint(key, fp);
            const member_t *m = registry_by_key(reg, key);
            if (m) {
                code = "200";
                text = "OK";
                log_event(LOG_LVL_DEBUG, "zap.admit", "peer=%s address=%s role=%s", fp, addr,
                          m->role == ROLE_FORBUND ? "forbund" : "analyst");
            }
        }
        if (code[0] != '2')
            log_event(LOG_LVL_WARN, "zap.refuse", "peer=%s address=%s reason=\"%s\"", fp, addr,
                      text);
        /* Always an answer, even to a request too short to carry its id: a REP socket that
         * does not answer receives nothing more, and every later handshake would wait. */
        zmq_msg_t none;
        zmq_msg_init(&none);
        s_send(zap, n >= 2 ? &fr[1] : &none, code, text, code[0] == '2' ? key : "");
        zmq_msg_close(&none);
        frames_close(frp, ZAP_FRAMES);
    }
}
