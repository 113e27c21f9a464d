/* client: what samla-agent makes of the daemon's answers. A stand-in samlad (a CURVE
 * ROUTER in a thread of this test, on ipc:// in a temp dir) acknowledges, stays silent,
 * answers only the second copy, or refuses the key at the handshake; client_deliver must
 * report each as the agent's outbox needs it: which entries are answered and how, and why
 * a run ended. */
#include <pthread.h>
#include <stdatomic.h>
#include <zmq.h>

#include "client.h"
#include "outbox.h"
#include "samla/log.h"
#include "samla/wire.h"
#include "testutil.h"

typedef enum {
    SRV_ACK,        /* every Push answered ACK_STORED, revision 1, 2, ... */
    SRV_ACK_SECOND, /* the first copy of each id ignored, the resent one answered */
    SRV_NOISE,      /* garbage and an Ack for an unknown id before the real answer */
    SRV_SILENT,     /* reads, never answers */
    SRV_REFUSE,     /* the ZAP handler answers 400 to every key */
} srv_mode_t;

typedef struct {
    srv_mode_t mode;
    keypair_t key; /* the server's own pair */
    char endpoint[128];
    atomic_bool stop;
    atomic_int received; /* Push messages read */
    pthread_t thread;
} server_t;

static keypair_t s_agent_key;

static void s_keypair(keypair_t *kp)
{
    assert_int_equal(zmq_curve_keypair(kp->public_txt, kp->secret_txt), 0);
}

/* The ZAP answer (RFC 27): version, request id, then 400 for every peer. */
static void s_zap_refuse(void *zap)
{
    char frames[8][256];
    int n = 0, more = 1;
    while (more) {
        int len = zmq_recv(zap, n < 8 ? frames[n] : frames[7], 255, 0);
        if (len < 0)
            return;
        size_t sz = sizeof more;
        zmq_getsockopt(zap, ZMQ_RCVMORE, &more, &sz);
        frames[n < 8 ? n : 7][len < 255 ? len : 255] = '\0';
        n++;
    }
    zmq_send(zap, "1.0", 3, ZMQ_SNDMORE);
    zmq_send(zap, frames[1], strlen(frames[1]), ZMQ_SNDMORE);
    zmq_send(zap, "400", 3, ZMQ_SNDMORE);
    zmq_send(zap, "refused", 7, ZMQ_SNDMORE);
    zmq_send(zap, "", 0, ZMQ_SNDMORE);
    zmq_send(zap, "", 0, 0);
}

static void s_send_ack(void *router, zmq_msg_t *who, const char *id, unsigned revision)
{
    Samla__V1__Ack ack = SAMLA__V1__ACK__INIT;
    ack.id = (char *)id;
    ack.status = SAMLA__V1__ACK_STATUS__ACK_STORED;
    ack.has_revision = 1;
    ack.revision = revision;
    uint8_t buf[256];
    size_t len = samla__v1__ack__pack(&ack, buf);
    zmq_send(router, zmq_msg_data(who), zmq_msg_size(who), ZMQ_SNDMORE);
    zmq_send(router, buf, len, 0);
}

/* One message from an agent: [identity][Push]. */
static void s_answer(server_t *s, void *router, char seen[][37], size_t *n_seen)
{
    zmq_msg_t who, body;
    zmq_msg_init(&who);
    zmq_msg_init(&body);
    if (zmq_msg_recv(&who, router, 0) < 0 || zmq_msg_recv(&body, router, 0) < 0)
        goto done;
    Samla__V1__Push *p = samla__v1__push__unpack(NULL, zmq_msg_size(&body), zmq_msg_data(&body));
    if (!p)
        goto done;
    atomic_fetch_add(&s->received, 1);
    bool again = false;
    for (size_t i = 0; i < *n_seen; i++)
        again |= strcmp(seen[i], p->id) == 0;
    if (!again && *n_seen < 16)
        snprintf(seen[(*n_seen)++], 37, "%s", p->id);
    if (s->mode == SRV_NOISE) {
        zmq_send(router, zmq_msg_data(&who), zmq_msg_size(&who), ZMQ_SNDMORE);
        zmq_send(router, "\xff\xff\xff", 3, 0);
        s_send_ack(router, &who, "00000000-0000-4000-8000-000000000000", 99);
    }
    if (s->mode == SRV_ACK || s->mode == SRV_NOISE || (s->mode == SRV_ACK_SECOND && again))
        s_send_ack(router, &who, p->id, (unsigned)*n_seen);
    samla__v1__push__free_unpacked(p, NULL);
done:
    zmq_msg_close(&who);
    zmq_msg_close(&body);
}

static void *s_serve(void *arg)
{
    server_t *s = arg;
    void *ctx = zmq_ctx_new();
    /* A ZAP handler is asked whenever one is bound, domain or not: only when refusing. */
    void *zap = zmq_socket(ctx, ZMQ_REP);
    int linger = 0, one = 1;
    zmq_setsockopt(zap, ZMQ_LINGER, &linger, sizeof linger);
    if (s->mode == SRV_REFUSE)
        zmq_bind(zap, "inproc://zeromq.zap.01");
    void *router = zmq_socket(ctx, ZMQ_ROUTER);
    zmq_setsockopt(router, ZMQ_LINGER, &linger, sizeof linger);
    zmq_setsockopt(router, ZMQ_CURVE_SERVER, &one, sizeof one);
    zmq_setsockopt(router, ZMQ_CURVE_SECRETKEY, s->key.secret_txt, KEY_Z85_LEN);
    zmq_setsockopt(router, ZMQ_ZAP_DOMAIN, "samla", 5);
    zmq_bind(router, s->endpoint);
    char seen[16][37];
    size_t n_seen = 0;
    while (!atomic_load(&s->stop)) {
        zmq_pollitem_t it[2] = {{router, 0, ZMQ_POLLIN, 0}, {zap, 0, ZMQ_POLLIN, 0}};
        if (zmq_poll(it, 2, 20) <= 0)
            continue;
        if (it[1].revents & ZMQ_POLLIN)
            s_zap_refuse(zap);
        if ((it[0].revents & ZMQ_POLLIN) && s->mode != SRV_SILENT)
            s_answer(s, router, seen, &n_seen);
        else if (it[0].revents & ZMQ_POLLIN) {
            zmq_msg_t m;
            zmq_msg_init(&m);
            while (zmq_msg_recv(&m, router, ZMQ_DONTWAIT) >= 0)
                atomic_fetch_add(&s->received, !zmq_msg_more(&m));
            zmq_msg_close(&m);
        }
    }
    zmq_close(router);
    zmq_close(zap);
    zmq_ctx_term(ctx);
    return NULL;
}

static server_t *s_start(srv_mode_t mode, const char *name)
{
    server_t *s = calloc(1, sizeof *s);
    s->mode = mode;
    s_keypair(&s->key);
    snprintf(s->endpoint, sizeof s->endpoint, "ipc://%s/%s.sock", tu_dir, name);
    assert_int_equal(pthread_create(&s->thread, NULL, s_serve, s), 0);
    return s;
}

static void s_stop(server_t *s)
{
    atomic_store(&s->stop, true);
    pthread_join(s->thread, NULL);
    free(s);
}

/* n queued entries for periods 2025-01, 2025-02, ... as the outbox would list them. */
static void s_entries(outbox_list_t *l, size_t n)
{
    l->v = calloc(n, sizeof *l->v);
    l->n = n;
    for (size_t i = 0; i < n; i++) {
        char period[8];
        snprintf(period, sizeof period, "2025-%02zu", i + 1);
        Samla__V1__Submission sub = SAMLA__V1__SUBMISSION__INIT;
        sub.orgnr = "222000-2048";
        sub.period = period;
        l->v[i].data = outbox_envelope(&sub, l->v[i].id, &l->v[i].len);
        assert_non_null(l->v[i].data);
    }
}

static client_rc_t s_deliver(const server_t *s, const keypair_t *server_pub, size_t n,
                             int timeout_s, client_result_t *res, samla_err_t *err)
{
    outbox_list_t l;
    s_entries(&l, n);
    keypair_t pub = *server_pub;
    pub.secret_txt[0] = '\0';
    client_conf_t conf = {.endpoint = s->endpoint, .server = &pub, .own = &s_agent_key};
    client_rc_t rc = client_deliver(&conf, &l, timeout_s, res, err);
    outbox_list_free(&l);
    return rc;
}

static void test_every_entry_acknowledged(void **state)
{
    (void)state;
    server_t *s = s_start(SRV_ACK, "ack");
    client_result_t res[3];
    samla_err_t err;
    assert_int_equal(s_deliver(s, &s->key, 3, 10, res, &err), CLIENT_DONE);
    for (size_t i = 0; i < 3; i++) {
        assert_true(res[i].answered);
        assert_int_equal(res[i].status, SAMLA__V1__ACK_STATUS__ACK_STORED);
    }
    /* sent oldest first, so the revisions the stand-in hands out follow the outbox */
    assert_int_equal(res[0].revision, 1);
    assert_int_equal(res[2].revision, 3);
    s_stop(s);
}

static void test_unanswered_entries_are_sent_again(void **state)
{
    (void)state;
    server_t *s = s_start(SRV_ACK_SECOND, "again");
    client_result_t res[2];
    samla_err_t err;
    assert_int_equal(s_deliver(s, &s->key, 2, 15, res, &err), CLIENT_DONE);
    assert_true(res[0].answered && res[1].answered);
    assert_true(atomic_load(&s->received) >= 4); /* each id at least twice */
    s_stop(s);
}

static void test_garbage_and_strangers_ignored(void **state)
{
    (void)state;
    server_t *s = s_start(SRV_NOISE, "noise");
    client_result_t res[2];
    samla_err_t err;
    assert_int_equal(s_deliver(s, &s->key, 2, 10, res, &err), CLIENT_DONE);
    assert_int_equal(res[0].revision, 1); /* not the stranger's 99 */
    assert_int_equal(res[1].revision, 2);
    s_stop(s);
}

static void test_silence_is_a_timeout(void **state)
{
    (void)state;
    server_t *s = s_start(SRV_SILENT, "silent");
    client_result_t res[2];
    samla_err_t err;
    assert_int_equal(s_deliver(s, &s->key, 2, 3, res, &err), CLIENT_TIMEOUT);
    assert_false(res[0].answered || res[1].answered); /* both stay in the outbox */
    assert_true(atomic_load(&s->received) >= 2);      /* but they were sent */
    s_stop(s);
}

static void test_nobody_there_is_a_timeout(void **state)
{
    (void)state;
    server_t none = {.mode = SRV_SILENT};
    s_keypair(&none.key);
    snprintf(none.endpoint, sizeof none.endpoint, "ipc://%s/nobody.sock", tu_dir);
    client_result_t res[1];
    samla_err_t err;
    assert_int_equal(s_deliver(&none, &none.key, 1, 1, res, &err), CLIENT_TIMEOUT);
    assert_false(res[0].answered);
}

static void test_refused_key(void **state)
{
    (void)state;
    server_t *s = s_start(SRV_REFUSE, "refuse");
    client_result_t res[1];
    samla_err_t err;
    assert_int_equal(s_deliver(s, &s->key, 1, 10, res, &err), CLIENT_REFUSED);
    assert_non_null(strstr(err.msg, "refused this agent's key"));
    assert_false(res[0].answered);
    s_stop(s);
}

static void test_wrong_server_key(void **state)
{
    (void)state;
    server_t *s = s_start(SRV_ACK, "wrongkey");
    keypair_t other;
    s_keypair(&other);
    client_result_t res[1];
    samla_err_t err;
    assert_int_equal(s_deliver(s, &other, 1, 10, res, &err), CLIENT_BADKEY);
    assert_non_null(strstr(err.msg, "is server_public_key the daemon's key?"));
    assert_int_equal(atomic_load(&s->received), 0); /* nothing readable reached it */
    s_stop(s);
}

static void test_nothing_to_send(void **state)
{
    (void)state;
    outbox_list_t l = {0};
    client_result_t res[1];
    client_conf_t conf = {.endpoint = "ipc:///nonexistent/x", .server = &s_agent_key,
                          .own = &s_agent_key};
    samla_err_t err;
    assert_int_equal(client_deliver(&conf, &l, 1, res, &err), CLIENT_DONE);
}

static int s_setup(void **state)
{
    if (tu_dir_make(state))
        return -1;
    return zmq_curve_keypair(s_agent_key.public_txt, s_agent_key.secret_txt);
}

int main(void)
{
    log_init("client_test", 0, LOG_LVL_ERROR);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_entry_acknowledged),
        cmocka_unit_test(test_unanswered_entries_are_sent_again),
        cmocka_unit_test(test_garbage_and_strangers_ignored),
        cmocka_unit_test(test_silence_is_a_timeout),
        cmocka_unit_test(test_nobody_there_is_a_timeout),
        cmocka_unit_test(test_refused_key),
        cmocka_unit_test(test_wrong_server_key),
        cmocka_unit_test(test_nothing_to_send),
    };
    return cmocka_run_group_tests(tests, s_setup, tu_dir_remove);
}
