/* zap: who gets through the handshake. A DEALER stands in for libzmq and sends ZAP
 * requests (RFC 27) to the handler on inproc, as a CURVE socket's handshake would. */
#include <zmq.h>

#include "samla/log.h"
#include "zap.h"
#include "testutil.h"

static const char KEY[] = "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7";

typedef struct {
    void *ctx, *zap, *peer;
    registry_t *reg;
} fixture_t;

static int s_setup(void **state)
{
    fixture_t *fx = calloc(1, sizeof *fx);
    member_t m = {.role = ROLE_FORBUND, .orgnr = "222000-2048", .name = "F"};
    memcpy(m.public_txt, KEY, sizeof KEY);
    fx->reg = registry_of(NULL, &m, 1);
    fx->ctx = zmq_ctx_new();
    samla_err_t err;
    fx->zap = zap_bind(fx->ctx, &err);
    fx->peer = zmq_socket(fx->ctx, ZMQ_DEALER);
    int zero = 0;
    zmq_setsockopt(fx->peer, ZMQ_LINGER, &zero, sizeof zero);
    if (!fx->reg || !fx->zap || zmq_connect(fx->peer, "inproc://zeromq.zap.01"))
        return -1;
    *state = fx;
    return 0;
}

static int s_teardown(void **state)
{
    fixture_t *fx = *state;
    zmq_close(fx->peer);
    zmq_close(fx->zap);
    zmq_ctx_term(fx->ctx);
    registry_destroy(&fx->reg);
    free(fx);
    return 0;
}

/* Sends the frames (a NULL-terminated list; "KEY" is the registered key in binary), lets
 * the handler answer, and returns the status code and User-Id it sent. */
static void s_ask(fixture_t *fx, const char *const *frames, char code[4], char user[64])
{
    zmq_send(fx->peer, "", 0, ZMQ_SNDMORE); /* the REP envelope's delimiter */
    for (size_t i = 0; frames[i]; i++) {
        int more = frames[i + 1] ? ZMQ_SNDMORE : 0;
        if (strcmp(frames[i], "KEY") == 0) {
            uint8_t bin[32];
            zmq_z85_decode(bin, KEY);
            zmq_send(fx->peer, bin, 32, more);
        } else {
            zmq_send(fx->peer, frames[i], strlen(frames[i]), more);
        }
    }
    zmq_pollitem_t it = {fx->zap, 0, ZMQ_POLLIN, 0};
    assert_int_equal(zmq_poll(&it, 1, 2000), 1);
    zap_handle(fx->zap, fx->reg);
    char buf[6][64];
    int n = 0, more = 1;
    while (more && n < 6) {
        int len = zmq_recv(fx->peer, buf[n], sizeof buf[n] - 1, 0);
        assert_true(len >= 0);
        buf[n][len < (int)sizeof buf[n] ? len : (int)sizeof buf[n] - 1] = '\0';
        size_t sz = sizeof more;
        zmq_getsockopt(fx->peer, ZMQ_RCVMORE, &more, &sz);
        n++;
    }
    /* "", version, request id, status code, status text, user id, metadata */
    assert_int_equal(n, 6);
    assert_string_equal(buf[1], "1.0");
    assert_string_equal(buf[2], "7");
    snprintf(code, 4, "%.3s", buf[3]);
    snprintf(user, 64, "%s", buf[5]);
    char meta[8]; /* the metadata frame, empty */
    assert_int_equal(zmq_recv(fx->peer, meta, sizeof meta, 0), 0);
}

static void test_registered_curve_key(void **state)
{
    fixture_t *fx = *state;
    const char *req[] = {"1.0", "7", ZAP_DOMAIN, "127.0.0.1", "", "CURVE", "KEY", NULL};
    char code[4], user[64];
    s_ask(fx, req, code, user);
    assert_string_equal(code, "200");
    assert_string_equal(user, KEY); /* the User-Id every message is checked by */
}

static void test_refused(void **state)
{
    fixture_t *fx = *state;
    const char *unknown[] = {"1.0", "7", ZAP_DOMAIN, "127.0.0.1", "", "CURVE",
                             "0123456789abcdef0123456789abcdef", NULL};
    const char *plain[] = {"1.0", "7", ZAP_DOMAIN, "127.0.0.1", "", "PLAIN", "u", "p", NULL};
    const char *null_mech[] = {"1.0", "7", ZAP_DOMAIN, "127.0.0.1", "", "NULL", NULL};
    const char *domain[] = {"1.0", "7", "other", "127.0.0.1", "", "CURVE", "KEY", NULL};
    const char *version[] = {"2.0", "7", ZAP_DOMAIN, "127.0.0.1", "", "CURVE", "KEY", NULL};
    const char *shortreq[] = {"1.0", "7", ZAP_DOMAIN, NULL};
    const char *const *cases[] = {unknown, plain, null_mech, domain, version, shortreq};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char code[4], user[64];
        s_ask(fx, cases[i], code, user);
        if (strcmp(code, "400") != 0)
            fail_msg("case %zu answered %s", i, code);
        assert_string_equal(user, ""); /* no identity for a refused peer */
    }
}

/* A request of one frame has no id to answer to; it is answered all the same, so the
 * handler's REP socket goes on to the next request instead of waiting for ever. */
static void test_one_frame_answered(void **state)
{
    fixture_t *fx = *state;
    zmq_send(fx->peer, "", 0, ZMQ_SNDMORE);
    zmq_send(fx->peer, "1.0", 3, 0);
    zmq_pollitem_t it = {fx->zap, 0, ZMQ_POLLIN, 0};
    assert_int_equal(zmq_poll(&it, 1, 2000), 1);
    zap_handle(fx->zap, fx->reg);
    int tmo = 2000; /* an unanswered request fails the test, not hangs it */
    zmq_setsockopt(fx->peer, ZMQ_RCVTIMEO, &tmo, sizeof tmo);
    char buf[64];
    int more = 1, n = 0, code_seen = 0;
    while (more) {
        int len = zmq_recv(fx->peer, buf, sizeof buf - 1, 0);
        assert_true(len >= 0);
        buf[len] = '\0';
        code_seen |= n == 3 && strcmp(buf, "400") == 0;
        size_t sz = sizeof more;
        zmq_getsockopt(fx->peer, ZMQ_RCVMORE, &more, &sz);
        n++;
    }
    assert_int_equal(n, 7); /* "", version, id (empty), code, text, user, metadata */
    assert_true(code_seen);
    const char *good[] = {"1.0", "7", ZAP_DOMAIN, "127.0.0.1", "", "CURVE", "KEY", NULL};
    char code[4], user[64];
    s_ask(fx, good, code, user);
    assert_string_equal(code, "200");
}

int main(void)
{
    log_init("zap_test", 0, LOG_LVL_ERROR);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_registered_curve_key),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_one_frame_answered),
    };
    return cmocka_run_group_tests(tests, s_setup, s_teardown);
}
