/* qservice: who waits for whom. Real CURVE clients on loopback talk to the dispatcher
 * through samlad's own ZAP handler; the workers run a stand-in for the queries that can be
 * held at will, so "a heavy query" is one the test holds, not one that happens to be slow
 * on this machine. */
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>
#include <zmq.h>

#include "qservice.h"
#include "samla/keys.h"
#include "samla/log.h"
#include "zap.h"
#include "testutil.h"

enum { S_A, S_B, S_N };

typedef struct {
    void *ctx, *zap, *router, *client[S_N];
    char pub[S_N][KEY_Z85_LEN + 1], sec[S_N][KEY_Z85_LEN + 1];
    registry_t *reg;
    qservice_t *qs;
} fixture_t;

/* The stand-in: "slow" waits until the test lets go; every answer says who asked. */
static atomic_int g_started, g_release;

static void *t_open(const char *database, samla_err_t *err)
{
    (void)database;
    (void)err;
    return malloc(1);
}

static uint8_t *t_answer(void *state, const char *user, const void *payload, size_t size,
                         const registry_t *reg, const query_cfg_t *cfg, size_t *len)
{
    (void)state;
    (void)cfg;
    if (size == 4 && memcmp(payload, "slow", 4) == 0) {
        atomic_fetch_add(&g_started, 1);
        for (int i = 0; i < 30000 && !atomic_load(&g_release); i++)
            nanosleep(&(struct timespec){0, 1000000}, NULL);
    }
    const member_t *m = registry_by_key(reg, user);
    char *out = malloc(64);
    int n = snprintf(out, 64, "%s:%.*s", m ? m->name : "?", (int)size, (const char *)payload);
    *len = (size_t)n;
    return (uint8_t *)out;
}

static void t_close(void *state)
{
    free(state);
}

static const qservice_ops_t s_ops = {t_open, t_answer, t_close};

static void *s_client(fixture_t *fx, int who, const char *server_pub, const char *ep)
{
    void *c = zmq_socket(fx->ctx, ZMQ_DEALER);
    int zero = 0;
    zmq_setsockopt(c, ZMQ_LINGER, &zero, sizeof zero);
    zmq_setsockopt(c, ZMQ_CURVE_SERVERKEY, server_pub, KEY_Z85_LEN);
    zmq_setsockopt(c, ZMQ_CURVE_PUBLICKEY, fx->pub[who], KEY_Z85_LEN);
    zmq_setsockopt(c, ZMQ_CURVE_SECRETKEY, fx->sec[who], KEY_Z85_LEN);
    return zmq_connect(c, ep) ? NULL : c;
}

static int s_setup(void **state)
{
    fixture_t *fx = calloc(1, sizeof *fx);
    member_t m[S_N] = {{.role = ROLE_FORBUND, .orgnr = "222000-0001", .name = "A"},
                       {.role = ROLE_FORBUND, .orgnr = "222000-0002", .name = "B"}};
    char spub[KEY_Z85_LEN + 1], ssec[KEY_Z85_LEN + 1];
    zmq_curve_keypair(spub, ssec);
    for (int i = 0; i < S_N; i++) {
        zmq_curve_keypair(fx->pub[i], fx->sec[i]);
        memcpy(m[i].public_txt, fx->pub[i], sizeof fx->pub[i]);
    }
    atomic_store(&g_started, 0);
    atomic_store(&g_release, 0);
    fx->reg = registry_of(NULL, m, S_N);
    fx->ctx = zmq_ctx_new();
    samla_err_t err;
    fx->zap = zap_bind(fx->ctx, &err);
    fx->router = zmq_socket(fx->ctx, ZMQ_ROUTER);
    int one = 1, zero = 0;
    char ep[64];
    size_t epsize = sizeof ep;
    if (!fx->reg || !fx->zap || !fx->router ||
        zmq_setsockopt(fx->router, ZMQ_CURVE_SERVER, &one, sizeof one) ||
        zmq_setsockopt(fx->router, ZMQ_CURVE_SECRETKEY, ssec, KEY_Z85_LEN) ||
        zmq_setsockopt(fx->router, ZMQ_ZAP_DOMAIN, ZAP_DOMAIN, strlen(ZAP_DOMAIN)) ||
        zmq_setsockopt(fx->router, ZMQ_LINGER, &zero, sizeof zero) ||
        zmq_bind(fx->router, "tcp://127.0.0.1:*") ||
        zmq_getsockopt(fx->router, ZMQ_LAST_ENDPOINT, ep, &epsize))
        return -1;
    query_cfg_t cfg = {0};
    if (!(fx->qs = qservice_start(fx->ctx, fx->router, &s_ops, NULL, fx->reg, &cfg, &err)))
        return -1;
    for (int i = 0; i < S_N; i++)
        if (!(fx->client[i] = s_client(fx, i, spub, ep)))
            return -1;
    *state = fx;
    return 0;
}

static int s_teardown(void **state)
{
    fixture_t *fx = *state;
    atomic_store(&g_release, 1);
    qservice_stop(&fx->qs);
    for (int i = 0; i < S_N; i++)
        zmq_close(fx->client[i]);
    zmq_close(fx->router);
    zmq_close(fx->zap);
    zmq_ctx_term(fx->ctx);
    registry_destroy(&fx->reg);
    free(fx);
    return 0;
}

/* Serves the ZAP handler (the handshakes need it) for up to ms; returns the length of the
 * next message on sock (NULL: none is awaited) into buf, or -1 when none came. */
static int s_pump(fixture_t *fx, void *sock, char *buf, size_t size, int ms)
{
    for (int waited = 0; waited < ms; waited += 20) {
        zmq_pollitem_t it[2] = {{fx->zap, 0, ZMQ_POLLIN, 0}, {sock, 0, ZMQ_POLLIN, 0}};
        zmq_poll(it, sock ? 2 : 1, 20);
        if (it[0].revents & ZMQ_POLLIN)
            zap_handle(fx->zap, fx->reg);
        if (sock && (it[1].revents & ZMQ_POLLIN)) {
            int n = zmq_recv(sock, buf, size - 1, 0);
            buf[n < 0 ? 0 : (size_t)n < size ? n : (int)size - 1] = '\0';
            return n;
        }
    }
    return -1;
}

/* Pumps until `n` slow answers have begun (10 s at most). */
static void s_await_started(fixture_t *fx, int n)
{
    for (int i = 0; i < 500 && atomic_load(&g_started) < n; i++)
        s_pump(fx, NULL, NULL, 0, 20);
    assert_int_equal(atomic_load(&g_started), n);
}

static void s_expect(fixture_t *fx, int who, const char *reply)
{
    char buf[128];
    assert_true(s_pump(fx, fx->client[who], buf, sizeof buf, 10000) >= 0);
    assert_string_equal(buf, reply);
}

/* One key's heavy query holds one worker; another key's compare is answered meanwhile. */
static void test_heavy_query_does_not_delay_another_key(void **state)
{
    fixture_t *fx = *state;
    zmq_send(fx->client[S_A], "slow", 4, 0);
    s_await_started(fx, 1);
    zmq_send(fx->client[S_B], "fast", 4, 0);
    s_expect(fx, S_B, "B:fast");
    char buf[64];
    assert_int_equal(s_pump(fx, fx->client[S_A], buf, sizeof buf, 50), -1); /* still held */
    atomic_store(&g_release, 1);
    s_expect(fx, S_A, "A:slow");
}

/* A key has one request at a worker at a time: its second heavy query waits for its first
 * instead of taking the worker the other keys need. */
static void test_one_key_holds_one_worker(void **state)
{
    fixture_t *fx = *state;
    zmq_send(fx->client[S_A], "slow", 4, 0);
    zmq_send(fx->client[S_A], "slow", 4, 0);
    s_await_started(fx, 1);
    s_pump(fx, NULL, NULL, 0, 200);
    assert_int_equal(atomic_load(&g_started), 1);
    zmq_send(fx->client[S_B], "fast", 4, 0);
    s_expect(fx, S_B, "B:fast");
    atomic_store(&g_release, 1);
    s_expect(fx, S_A, "A:slow");
    s_expect(fx, S_A, "A:slow");
    assert_int_equal(atomic_load(&g_started), 2);
}

/* Past its share of waiting requests a key is told to try again, as a samla.v1 error. */
static void test_past_its_share_told_to_try_again(void **state)
{
    fixture_t *fx = *state;
    zmq_send(fx->client[S_A], "slow", 4, 0);
    s_await_started(fx, 1);
    for (int i = 0; i < QSERVICE_PER_KEY + 1; i++)
        zmq_send(fx->client[S_A], "wait", 4, 0);
    uint8_t buf[256];
    int n = -1;
    for (int i = 0; i < 500 && n < 0; i++) {
        s_pump(fx, NULL, NULL, 0, 20);
        n = zmq_recv(fx->client[S_A], buf, sizeof buf, ZMQ_DONTWAIT);
    }
    assert_true(n > 0);
    Samla__V1__Reply *r = samla__v1__reply__unpack(NULL, (size_t)n, buf);
    assert_non_null(r);
    assert_int_equal(r->error, SAMLA__V1__ERROR_CODE__ERR_UNAVAILABLE);
    assert_non_null(strstr(r->error_message, "try again"));
    samla__v1__reply__free_unpacked(r, NULL);
    atomic_store(&g_release, 1);
    s_expect(fx, S_A, "A:slow");
    for (int i = 0; i < QSERVICE_PER_KEY; i++)
        s_expect(fx, S_A, "A:wait");
}

/* After SIGHUP's update a key taken out of the registry is unknown to the next request. */
static void test_update_applies_to_next_request(void **state)
{
    fixture_t *fx = *state;
    zmq_send(fx->client[S_B], "x", 1, 0);
    s_expect(fx, S_B, "B:x");
    member_t only = {.role = ROLE_FORBUND, .orgnr = "222000-0001", .name = "A"};
    memcpy(only.public_txt, fx->pub[S_A], sizeof fx->pub[S_A]);
    registry_t *reg = registry_of(NULL, &only, 1);
    query_cfg_t cfg = {0};
    qservice_update(fx->qs, reg, &cfg);
    registry_destroy(&reg);
    zmq_send(fx->client[S_B], "y", 1, 0);
    s_expect(fx, S_B, "?:y");
}

int main(void)
{
    log_init("qservice_test", 0, LOG_LVL_ERROR);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_heavy_query_does_not_delay_another_key, s_setup,
                                        s_teardown),
        cmocka_unit_test_setup_teardown(test_one_key_holds_one_worker, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_past_its_share_told_to_try_again, s_setup,
                                        s_teardown),
        cmocka_unit_test_setup_teardown(test_update_applies_to_next_request, s_setup,
                                        s_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
