#include "qservice.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frames.h"
#include "samla/i18n.h"
#include "samla/keys.h"
#include "samla/log.h"
#include "store.h"

/* Requests taken from the socket between two hand-outs: new keys join quickly. */
#define S_DRAIN 64
/* How long a thread sleeps in poll before it looks at `stop` again (ms). */
#define S_NAP 200

typedef struct {
    zmq_msg_t peer, payload;
    int frames;
} s_req_t;

/* The waiting requests of one sender key, a ring of QSERVICE_PER_KEY. */
typedef struct {
    char key[KEY_Z85_LEN + 1]; /* "" for a request without a User-Id */
    s_req_t q[QSERVICE_PER_KEY];
    unsigned head, n;
    bool busy; /* one of its requests is at a worker: the lane stays this key's */
} s_lane_t;

typedef struct {
    qservice_t *s;
    void *pair;       /* the worker's end, used only by its thread */
    void *state;      /* from ops->open, the worker's own */
    pthread_t thread;
    bool running;
} s_worker_t;

struct qservice_s {
    void *router;
    const qservice_ops_t *ops;
    pthread_t thread;       /* the dispatcher */
    bool running;
    atomic_bool stop;
    pthread_mutex_t lock;   /* guards reg and cfg */
    registry_t *reg;
    query_cfg_t cfg;
    s_lane_t *lanes;        /* QSERVICE_KEYS of them */
    size_t next;            /* where the round-robin resumes */
    void *pair[QSERVICE_WORKERS];       /* the dispatcher's ends */
    s_lane_t *at[QSERVICE_WORKERS];     /* whose request each worker has; NULL: idle */
    s_worker_t w[QSERVICE_WORKERS];
};

/* --- samlad's workers: a read-only store and a disclosure cache each --------------- */

/* Memory a worker keeps between replies: a compare of 300 förbund builds about 3 MB. */
#define S_QUERY_KEEP (8u << 20)

typedef struct {
    store_t *store;
    query_cache_t *cache;
    arena_t arena; /* each reply's parts, kept mapped from one reply to the next */
} s_query_t;

static void s_query_close(void *state)
{
    s_query_t *q = state;
    if (!q)
        return;
    store_close(&q->store);
    query_cache_destroy(&q->cache);
    arena_release(&q->arena);
    free(q);
}

static void *s_query_open(const char *database, samla_err_t *err)
{
    s_query_t *q = calloc(1, sizeof *q);
    if (!q || !(q->cache = query_cache_new())) {
        free(q);
        err_set(err, "out of memory");
        return NULL;
    }
    arena_init(&q->arena, SIZE_MAX);
    arena_keep(&q->arena, S_QUERY_KEEP);
    if (!(q->store = store_open_readonly(database, err))) {
        s_query_close(q);
        return NULL;
    }
    return q;
}

static uint8_t *s_query_answer(void *state, const char *user, const void *payload,
                               size_t size, const registry_t *reg, const query_cfg_t *cfg,
                               size_t *len)
{
    s_query_t *q = state;
    return query_answer(user, payload, size, q->store, reg, cfg, q->cache, &q->arena, len);
}

const qservice_ops_t qservice_queries = {s_query_open, s_query_answer, s_query_close};

/* --- the dispatcher: lanes per key, handed to idle workers in turn ----------------- */

static void s_close(s_req_t *r)
{
    zmq_msg_close(&r->peer);
    zmq_msg_close(&r->payload);
}

/* [peer][bytes] to the router; bytes are freed. A client gone meanwhile is only logged. */
static void s_send(void *router, zmq_msg_t *peer, uint8_t *bytes, size_t len)
{
    if (!bytes || zmq_send(router, zmq_msg_data(peer), zmq_msg_size(peer),
                           ZMQ_SNDMORE | ZMQ_DONTWAIT) < 0 ||
        zmq_send(router, bytes, len, ZMQ_DONTWAIT) < 0)
        log_event(LOG_LVL_WARN, "query.unsent", "reason=\"%s\"",
                  bytes ? zmq_strerror(zmq_errno()) : "out of memory");
    free(bytes);
}

/* The lane of a key: its own, else a free one; NULL when every lane is taken. */
static s_lane_t *s_lane(qservice_t *s, const char *key)
{
    s_lane_t *free_lane = NULL;
    for (size_t i = 0; i < QSERVICE_KEYS; i++) {
        s_lane_t *l = &s->lanes[i];
        if ((l->n || l->busy) && strcmp(l->key, key) == 0)
            return l;
        if (!l->n && !l->busy && !free_lane)
            free_lane = l;
    }
    if (free_lane)
        snprintf(free_lane->key, sizeof free_lane->key, "%s", key);
    return free_lane;
}

/* Moves what has arrived into the lanes; a key past its share is told to try again. */
static void s_take(qservice_t *s)
{
    for (int k = 0; k < S_DRAIN; k++) {
        s_req_t r;
        zmq_msg_t *fr[2] = {&r.peer, &r.payload};
        r.frames = frames_recv(s->router, fr, 2);
        if (r.frames == 0) {
            s_close(&r);
            return;
        }
        const char *user = r.frames == 2 ? zmq_msg_gets(&r.payload, "User-Id") : NULL;
        s_lane_t *l = s_lane(s, user && strlen(user) == KEY_Z85_LEN ? user : "");
        if (!l || l->n == QSERVICE_PER_KEY) {
            log_event(LOG_LVL_WARN, "query.busy", "waiting=%d reason=\"this key has more "
                      "queries waiting than its share\"", QSERVICE_PER_KEY);
            size_t len;
            uint8_t *b = query_refusal(SAMLA__V1__ERROR_CODE__ERR_UNAVAILABLE,
                                       N_("too many of this key's queries are waiting; "
                                          "try again shortly"), &len);
            s_send(s->router, &r.peer, b, len);
            s_close(&r);
            continue;
        }
        l->q[(l->head + l->n) % QSERVICE_PER_KEY] = r; /* the messages move in */
        l->n++;
    }
}

/* The next lane in turn with a request and none at a worker; NULL when there is none. */
static s_lane_t *s_next_lane(qservice_t *s)
{
    for (size_t k = 0; k < QSERVICE_KEYS; k++) {
        size_t i = (s->next + k) % QSERVICE_KEYS;
        if (s->lanes[i].n && !s->lanes[i].busy) {
            s->next = (i + 1) % QSERVICE_KEYS;
            return &s->lanes[i];
        }
    }
    return NULL;
}

/* Gives every idle worker the oldest request of the next key in turn, as
 * [peer][key][payload]; a request that did not come as two frames goes with key "" and
 * no payload and is refused by the worker like any unknown sender. */
static void s_hand_out(qservice_t *s)
{
    for (size_t i = 0; i < QSERVICE_WORKERS; i++) {
        if (s->at[i])
            continue;
        s_lane_t *l = s_next_lane(s);
        if (!l)
            return;
        s_req_t *r = &l->q[l->head];
        const char *key = r->frames == 2 ? l->key : "";
        /* inproc to a worker that has nothing in hand: a send cannot block or fail but
         * when the context ends, and then the request is dropped like at stop */
        if (zmq_msg_send(&r->peer, s->pair[i], ZMQ_SNDMORE) < 0 ||
            zmq_send(s->pair[i], key, strlen(key), ZMQ_SNDMORE) < 0 ||
            (r->frames == 2 ? zmq_msg_send(&r->payload, s->pair[i], 0)
                            : zmq_send(s->pair[i], "", 0, 0)) < 0) {
            log_event(LOG_LVL_ERROR, "query.handout", "reason=\"%s\"",
                      zmq_strerror(zmq_errno()));
        } else {
            s->at[i] = l;
            l->busy = true;
        }
        s_close(r);
        l->head = (l->head + 1) % QSERVICE_PER_KEY;
        l->n--;
    }
}

/* A worker's answer [peer][reply] goes out on the router; the worker is idle again. */
static void s_forward(qservice_t *s, size_t i)
{
    zmq_msg_t peer, reply;
    zmq_msg_t *fr[2] = {&peer, &reply};
    int n = frames_recv(s->pair[i], fr, 2);
    if (n == 2 && (zmq_msg_send(&peer, s->router, ZMQ_SNDMORE | ZMQ_DONTWAIT) < 0 ||
                   zmq_msg_send(&reply, s->router, ZMQ_DONTWAIT) < 0))
        log_event(LOG_LVL_WARN, "query.unsent", "reason=\"%s\"", zmq_strerror(zmq_errno()));
    frames_close(fr, 2);
    if (n == 2 && s->at[i]) {
        s->at[i]->busy = false;
        s->at[i] = NULL;
    }
}

static void *s_dispatch(void *arg)
{
    qservice_t *s = arg;
    zmq_pollitem_t it[1 + QSERVICE_WORKERS];
    it[0] = (zmq_pollitem_t){s->router, 0, ZMQ_POLLIN, 0};
    for (size_t i = 0; i < QSERVICE_WORKERS; i++)
        it[1 + i] = (zmq_pollitem_t){s->pair[i], 0, ZMQ_POLLIN, 0};
    while (!atomic_load(&s->stop)) {
        if (zmq_poll(it, 1 + QSERVICE_WORKERS, S_NAP) < 0)
            continue;
        for (size_t i = 0; i < QSERVICE_WORKERS; i++)
            if (it[1 + i].revents & ZMQ_POLLIN)
                s_forward(s, i);
        s_take(s);
        s_hand_out(s);
    }
    for (size_t i = 0; i < QSERVICE_KEYS; i++) /* unanswered at stop: dropped, the */
        while (s->lanes[i].n) {                 /* clients retry or time out */
            s_close(&s->lanes[i].q[s->lanes[i].head]);
            s->lanes[i].head = (s->lanes[i].head + 1) % QSERVICE_PER_KEY;
            s->lanes[i].n--;
        }
    return NULL;
}

/* --- a worker: one request at a time from its pair, answered on the same pair ------- */

static void s_free_reply(void *data, void *hint)
{
    (void)hint;
    free(data);
}

static void s_work_one(s_worker_t *w, zmq_msg_t *peer, zmq_msg_t *user, zmq_msg_t *payload)
{
    qservice_t *s = w->s;
    char key[KEY_Z85_LEN + 1] = "";
    if (zmq_msg_size(user) == KEY_Z85_LEN)
        memcpy(key, zmq_msg_data(user), KEY_Z85_LEN);
    pthread_mutex_lock(&s->lock); /* a counted snapshot: SIGHUP may swap it meanwhile */
    registry_t *reg = registry_ref(s->reg);
    query_cfg_t cfg = s->cfg;
    pthread_mutex_unlock(&s->lock);
    size_t len = 0;
    uint8_t *out = s->ops->answer(w->state, key, zmq_msg_data(payload), zmq_msg_size(payload),
                                  reg, &cfg, &len);
    registry_destroy(&reg);
    zmq_msg_t reply; /* the bytes move into the message, freed by ZeroMQ when sent */
    if (!out || zmq_msg_init_data(&reply, out, len, s_free_reply, NULL)) {
        free(out);
        zmq_msg_init(&reply); /* an empty reply: the client reports it cannot decode it */
    }
    if (zmq_msg_send(peer, w->pair, ZMQ_SNDMORE) < 0 || zmq_msg_send(&reply, w->pair, 0) < 0)
        log_event(LOG_LVL_ERROR, "query.worker", "reason=\"%s\"", zmq_strerror(zmq_errno()));
    zmq_msg_close(&reply);
}

static void *s_work(void *arg)
{
    s_worker_t *w = arg;
    while (!atomic_load(&w->s->stop)) {
        zmq_pollitem_t it = {w->pair, 0, ZMQ_POLLIN, 0};
        if (zmq_poll(&it, 1, S_NAP) <= 0)
            continue;
        zmq_msg_t peer, user, payload;
        zmq_msg_t *fr[3] = {&peer, &user, &payload};
        if (frames_recv(w->pair, fr, 3) == 3)
            s_work_one(w, &peer, &user, &payload);
        frames_close(fr, 3);
    }
    return NULL;
}

/* --- start and stop ------------------------------------------------------------------ */

/* Everything s holds, in the reverse order of qservice_start; any part may be missing. */
static void s_free(qservice_t *s)
{
    atomic_store(&s->stop, true);
    if (s->running)
        pthread_join(s->thread, NULL);
    for (size_t i = 0; i < QSERVICE_WORKERS; i++) {
        if (s->w[i].running)
            pthread_join(s->w[i].thread, NULL);
        if (s->w[i].pair)
            zmq_close(s->w[i].pair);
        if (s->pair[i])
            zmq_close(s->pair[i]);
        if (s->w[i].state) /* after the thread: it held registry references */
            s->ops->close(s->w[i].state);
    }
    pthread_mutex_destroy(&s->lock);
    registry_destroy(&s->reg);
    free(s->lanes);
    free(s);
}

/* Worker i: its state and a connected pair of inproc sockets. */
static int s_worker_make(qservice_t *s, void *ctx, size_t i, const char *database,
                         samla_err_t *err)
{
    char ep[64];
    int zero = 0;
    snprintf(ep, sizeof ep, "inproc://samla-query-%p-%zu", (void *)s, i);
    if (!(s->w[i].state = s->ops->open(database, err)))
        return -1;
    s->w[i].s = s;
    if (!(s->pair[i] = zmq_socket(ctx, ZMQ_PAIR)) ||
        !(s->w[i].pair = zmq_socket(ctx, ZMQ_PAIR)) ||
        zmq_setsockopt(s->pair[i], ZMQ_LINGER, &zero, sizeof zero) ||
        zmq_setsockopt(s->w[i].pair, ZMQ_LINGER, &zero, sizeof zero) ||
        zmq_bind(s->pair[i], ep) || zmq_connect(s->w[i].pair, ep)) {
        err_set(err, "cannot make the query workers' sockets: %s", zmq_strerror(zmq_errno()));
        return -1;
    }
    return 0;
}

qservice_t *qservice_start(void *ctx, void *router, const qservice_ops_t *ops,
                           const char *database, registry_t *reg, const query_cfg_t *cfg,
                           samla_err_t *err)
{
    qservice_t *s = calloc(1, sizeof *s);
    if (!s || !(s->lanes = calloc(QSERVICE_KEYS, sizeof *s->lanes))) {
        free(s);
        err_set(err, "out of memory");
        return NULL;
    }
    s->router = router;
    s->ops = ops;
    s->reg = registry_ref(reg);
    s->cfg = *cfg;
    atomic_init(&s->stop, false);
    pthread_mutex_init(&s->lock, NULL);
    for (size_t i = 0; i < QSERVICE_WORKERS; i++)
        if (s_worker_make(s, ctx, i, database, err)) {
            s_free(s);
            return NULL;
        }
    /* pthread_create is a full memory barrier: the sockets may move to the new threads. */
    for (size_t i = 0; i < QSERVICE_WORKERS; i++)
        if (!(s->w[i].running = !pthread_create(&s->w[i].thread, NULL, s_work, &s->w[i]))) {
            err_set(err, "cannot start a query worker");
            s_free(s);
            return NULL;
        }
    if (!(s->running = !pthread_create(&s->thread, NULL, s_dispatch, s))) {
        err_set(err, "cannot start the query thread");
        s_free(s);
        return NULL;
    }
    return s;
}

void qservice_update(qservice_t *self, registry_t *reg, const query_cfg_t *cfg)
{
    registry_t *old;
    pthread_mutex_lock(&self->lock);
    old = self->reg;
    self->reg = registry_ref(reg);
    self->cfg = *cfg;
    pthread_mutex_unlock(&self->lock);
    registry_destroy(&old);
}

void qservice_stop(qservice_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    s_free(*self_p);
    *self_p = NULL;
}
