#include "qservice.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "samla/keys.h"
#include "frames.h"
#include "samla/log.h"
#include "store.h"

/* Requests taken from the socket between two rounds of answers: new keys join quickly. */
#define S_DRAIN 64

typedef struct {
    zmq_msg_t peer, payload;
    int frames;
} s_req_t;

/* The waiting requests of one sender key, a ring of QSERVICE_PER_KEY. */
typedef struct {
    char key[KEY_Z85_LEN + 1]; /* "" for a request without a User-Id */
    s_req_t q[QSERVICE_PER_KEY];
    unsigned head, n;
} s_lane_t;

struct qservice_s {
    void *router;
    store_t *store;         /* the thread's own, read-only */
    query_cache_t *cache;   /* the disclosure gate's releases, the thread's own */
    pthread_t thread;
    atomic_bool stop;
    pthread_mutex_t lock;   /* guards reg and cfg */
    registry_t *reg;
    query_cfg_t cfg;
    s_lane_t *lanes;        /* QSERVICE_KEYS of them */
    size_t next;            /* where the round-robin resumes */
};

/* One request; r->frames says its shape (2 is the only good one; the rest are answered as
 * malformed). Returns 0 when none is waiting; r's frames are to be closed either way. */
static int s_recv(void *router, s_req_t *r)
{
    zmq_msg_t *fr[2] = {&r->peer, &r->payload};
    r->frames = frames_recv(router, fr, 2);
    return r->frames != 0;
}

static void s_close(s_req_t *r)
{
    zmq_msg_close(&r->peer);
    zmq_msg_close(&r->payload);
}

/* The lane of a key: its own, else a free one; NULL when every lane is taken. */
static s_lane_t *s_lane(qservice_t *s, const char *key)
{
    s_lane_t *free_lane = NULL;
    for (size_t i = 0; i < QSERVICE_KEYS; i++) {
        s_lane_t *l = &s->lanes[i];
        if (l->n && strcmp(l->key, key) == 0)
            return l;
        if (!l->n && !free_lane)
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
        if (!s_recv(s->router, &r)) {
            s_close(&r);
            return;
        }
        const char *user = r.frames == 2 ? zmq_msg_gets(&r.payload, "User-Id") : NULL;
        s_lane_t *l = s_lane(s, user && strlen(user) == KEY_Z85_LEN ? user : "");
        if (!l || l->n == QSERVICE_PER_KEY) {
            log_event(LOG_LVL_WARN, "query.busy", "waiting=%d reason=\"this key has more "
                      "queries waiting than its share\"", QSERVICE_PER_KEY);
            query_refuse(s->router, &r.peer, SAMLA__V1__ERROR_CODE__ERR_UNAVAILABLE,
                         "too many of this key's queries are waiting; try again shortly");
            s_close(&r);
            continue;
        }
        l->q[(l->head + l->n) % QSERVICE_PER_KEY] = r; /* the messages move in */
        l->n++;
    }
}

/* One round: the oldest request of every key that has one. Returns how many. */
static size_t s_round(qservice_t *s)
{
    pthread_mutex_lock(&s->lock);
    registry_t *reg = registry_ref(s->reg);
    query_cfg_t cfg = s->cfg;
    pthread_mutex_unlock(&s->lock);
    size_t served = 0;
    for (size_t k = 0; k < QSERVICE_KEYS; k++) {
        s_lane_t *l = &s->lanes[(s->next + k) % QSERVICE_KEYS];
        if (!l->n)
            continue;
        s_req_t *r = &l->q[l->head];
        query_answer(s->router, &r->peer, &r->payload, r->frames, s->store, reg, &cfg,
                     s->cache);
        s_close(r);
        l->head = (l->head + 1) % QSERVICE_PER_KEY;
        l->n--;
        served++;
    }
    s->next = (s->next + 1) % QSERVICE_KEYS;
    registry_destroy(&reg);
    return served;
}

static void *s_run(void *arg)
{
    qservice_t *s = arg;
    size_t waiting = 0;
    while (!atomic_load(&s->stop)) {
        zmq_pollitem_t it = {s->router, 0, ZMQ_POLLIN, 0};
        /* With work in hand only a glance at the socket; idle, a short sleep that still
         * notices `stop` quickly. */
        if (zmq_poll(&it, 1, waiting ? 0 : 200) < 0)
            continue;
        s_take(s);
        s_round(s);
        waiting = 0;
        for (size_t i = 0; i < QSERVICE_KEYS; i++)
            waiting += s->lanes[i].n;
    }
    for (size_t i = 0; i < QSERVICE_KEYS; i++) /* unanswered at stop: dropped, the */
        while (s->lanes[i].n) {                 /* clients retry or time out */
            s_close(&s->lanes[i].q[s->lanes[i].head]);
            s->lanes[i].head = (s->lanes[i].head + 1) % QSERVICE_PER_KEY;
            s->lanes[i].n--;
        }
    return NULL;
}

qservice_t *qservice_start(void *router, const char *database, registry_t *reg,
                           const query_cfg_t *cfg, samla_err_t *err)
{
    qservice_t *s = calloc(1, sizeof *s);
    if (!s || !(s->lanes = calloc(QSERVICE_KEYS, sizeof *s->lanes))) {
        free(s);
        err_set(err, "out of memory");
        return NULL;
    }
    if (!(s->cache = query_cache_new())) {
        free(s->lanes);
        free(s);
        err_set(err, "out of memory");
        return NULL;
    }
    if (!(s->store = store_open_readonly(database, err))) {
        query_cache_destroy(&s->cache);
        free(s->lanes);
        free(s);
        return NULL;
    }
    s->router = router;
    s->reg = registry_ref(reg);
    s->cfg = *cfg;
    atomic_init(&s->stop, false);
    pthread_mutex_init(&s->lock, NULL);
    /* pthread_create is a full memory barrier: the socket may move to the new thread. */
    if (pthread_create(&s->thread, NULL, s_run, s) != 0) {
        err_set(err, "cannot start the query thread");
        pthread_mutex_destroy(&s->lock);
        registry_destroy(&s->reg);
        store_close(&s->store);
        query_cache_destroy(&s->cache);
        free(s->lanes);
        free(s);
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
    qservice_t *s = *self_p;
    atomic_store(&s->stop, true);
    pthread_join(s->thread, NULL);
    pthread_mutex_destroy(&s->lock);
    registry_destroy(&s->reg);
    store_close(&s->store);
    query_cache_destroy(&s->cache); /* after the thread: it held registry references */
    free(s->lanes);
    free(s);
    *self_p = NULL;
}
