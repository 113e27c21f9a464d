#include "ingest.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zmq.h>

#include "samla/i18n.h"
#include "samla/keys.h"
#include "samla/log.h"
#include "samla/period.h"
#include "samla/subcheck.h"
#include "samla/text.h"
#include "samla/wire.h"

#include "derive.h"
#include "frames.h"
#include "store_details.h"

typedef struct {
    zmq_msg_t peer;      /* routing id frame, kept to address the ACK */
    bool has_ack;
    char id[37];
    Samla__V1__AckStatus status;
    unsigned revision;
    char reason[256];
    uint8_t sha[32];
    bool stored;         /* a new revision: its period's group aggregates change */
    char period[8];
} s_item_t;

static void s_refuse(ingest_verdict_t *v, Samla__V1__AckStatus st, const char *why)
{
    v->store = false;
    v->status = st;
    snprintf(v->reason, sizeof v->reason, "%.255s", why);
}

/* A message taken off the socket, waiting its turn. */
typedef struct {
    zmq_msg_t peer, payload;
} s_msg_t;

/* The waiting submissions of one sender key, a ring of INGEST_PER_KEY. */
typedef struct {
    char key[KEY_Z85_LEN + 1]; /* "" for a message without a User-Id */
    uint64_t hash;             /* of key: most lanes are told apart without strcmp */
    s_msg_t q[INGEST_PER_KEY];
    unsigned head, n;
} s_lane_t;

struct ingest_s {
    /* One arena for every message, kept between them: decoding allocates nothing new in
     * the common case. */
    arena_t arena;
    store_limits_t limits; /* per förbund key, from samlad's config */
    /* One batch's items, kept between batches: a burst should not pay for fresh pages. */
    s_item_t items[INGEST_BATCH];
    s_lane_t *lanes;       /* INGEST_KEYS */
    size_t used;           /* lanes [0, used) have ever held a message: the ones scanned */
    size_t next;           /* where the round of keys resumes */
    size_t waiting;        /* messages in the lanes */
    size_t bytes;          /* their payloads' bytes */
};

ingest_t *ingest_new(void)
{
    ingest_t *in = calloc(1, sizeof *in);
    if (in && !(in->lanes = calloc(INGEST_KEYS, sizeof *in->lanes))) {
        free(in);
        return NULL;
    }
    if (in)
        arena_init(&in->arena, WIRE_DECODE_BUDGET);
    return in;
}

bool ingest_pending(const ingest_t *in)
{
    return in->waiting > 0;
}

void ingest_set_limits(ingest_t *in, const store_limits_t *limits)
{
    in->limits = *limits;
}

void ingest_destroy(ingest_t **in)
{
    if (!*in)
        return;
    /* waiting, not stored: never acknowledged, so their agents send them again */
    for (size_t i = 0; i < (*in)->used; i++) {
        s_lane_t *l = &(*in)->lanes[i];
        for (; l->n; l->n--, l->head = (l->head + 1) % INGEST_PER_KEY) {
            zmq_msg_close(&l->q[l->head].peer);
            zmq_msg_close(&l->q[l->head].payload);
        }
    }
    free((*in)->lanes);
    arena_release(&(*in)->arena);
    free(*in);
    *in = NULL;
}

void ingest_release(ingest_verdict_t *v)
{
    if (v->sub)
        samla__v1__submission__free_unpacked(v->sub, &v->arena->pa);
    v->sub = NULL;
    free(v->body);
    v->body = NULL;
    if (v->arena)
        arena_reset(v->arena);
}

/* Who sent it may send it: a registered förbund key. False with the refusal in v. */
static bool s_admit(const member_t *m, ingest_verdict_t *v)
{
    if (!m) {
        log_event(LOG_LVL_WARN, "submit.refuse", "id=%s peer=%s reason=\"key not registered\"",
                  v->id, v->fingerprint);
        s_refuse(v, SAMLA__V1__ACK_STATUS__ACK_REFUSED, N_("this key is not registered"));
        return false;
    }
    if (m->role != ROLE_FORBUND) {
        log_event(LOG_LVL_WARN, "submit.refuse", "id=%s peer=%s reason=\"analyst key\"", v->id,
                  v->fingerprint);
        s_refuse(v, SAMLA__V1__ACK_STATUS__ACK_REFUSED, N_("an analyst key may only query"));
        return false;
    }
    return true;
}

/* The body: its hash, its wire form, and a samla.v1.Submission within the budget. NULL
 * with the refusal in v. */
/* The body whole (its hash), then decoded, checked and figured by derive_body, the path
 * --rederive takes too. NULL with the refusal in v. */
static Samla__V1__Submission *s_body(const Samla__V1__Push *push, arena_t *ap,
                                     ingest_verdict_t *v)
{
    wire_sha256(push->body.data, push->body.len, v->sha);
    if (push->sha256.len != 32 || memcmp(push->sha256.data, v->sha, 32) != 0) {
        s_refuse(v, SAMLA__V1__ACK_STATUS__ACK_INVALID, N_("sha256 does not match the body"));
        return NULL;
    }
    diag_t *d = diag_new();
    Samla__V1__Submission *sub = d ? derive_body(push->body.data, push->body.len, ap,
                                                 &v->figures, d)
                                   : NULL;
    if (!d)
        s_refuse(v, SAMLA__V1__ACK_STATUS__ACK_RETRY, "out of memory");
    else if (!sub)
        s_refuse(v, SAMLA__V1__ACK_STATUS__ACK_INVALID, diag_first_error(d));
    diag_destroy(&d);
    return sub;
}

/* A month that has not begun by next month is not a month-end report: refused, so that a
 * year typed wrong (2999-12) cannot hide the real years (CONTRACT.md, the same month
 * twice). The agent refuses it first (period_in_future). Returns 1 with the refusal. */
static int s_future(const char *text, ingest_verdict_t *v)
{
    period_t p;
    char why[128];
    if (period_parse(text, &p) == 0 && !period_in_future(p, time(NULL)))
        return 0;
    snprintf(why, sizeof why, "period %s is later than next month", text);
    s_refuse(v, SAMLA__V1__ACK_STATUS__ACK_INVALID, why);
    return 1;
}

/* The content's hash: the Submission packed without created_at and software, which differ
 * each time the same files are sent. 0, or -1 when memory is gone. */
static int s_content_sha(const Samla__V1__Submission *sub, ingest_verdict_t *v)
{
    Samla__V1__Submission bare = *sub;
    bare.created_at = NULL;
    bare.software = NULL;
    size_t len;
    uint8_t *buf = wire_pack(&bare.base, &len);
    if (!buf)
        return -1;
    wire_sha256(buf, len, v->content_sha);
    free(buf);
    return 0;
}

/* What a checked submission says: the sender's own orgnr, a month that has begun; and its
 * content's hash. Returns 0, or -1 with the refusal in v. */
static int s_content(const Samla__V1__Submission *sub, const member_t *m, ingest_verdict_t *v)
{
    int rc = -1;
    if (strcmp(sub->orgnr, m->orgnr) != 0) {
        log_event(LOG_LVL_WARN, "submit.refuse",
                  "id=%s peer=%s orgnr=%s reason=\"key belongs to %s\"", v->id, v->fingerprint,
                  sub->orgnr, m->orgnr);
        s_refuse(v, SAMLA__V1__ACK_STATUS__ACK_REFUSED,
                 N_("this key may submit only for its own organisation number"));
    } else if (s_future(sub->period, v)) {
        log_event(LOG_LVL_WARN, "submit.refuse", "id=%s peer=%s orgnr=%s reason=\"%s\"",
                  v->id, v->fingerprint, sub->orgnr, v->reason);
    } else if (s_content_sha(sub, v)) {
        s_refuse(v, SAMLA__V1__ACK_STATUS__ACK_RETRY, "out of memory");
    } else {
        rc = 0;
    }
    return rc;
}

void ingest_check(ingest_t *in, const uint8_t *payload, size_t len, const char *user,
                  const registry_t *reg, ingest_verdict_t *v)
{
    memset(v, 0, sizeof *v);
    v->arena = &in->arena;
    snprintf(v->fingerprint, sizeof v->fingerprint, "-");
    if (user && strlen(user) == KEY_Z85_LEN)
        keys_fingerprint(user, v->fingerprint);
    const member_t *m = user ? registry_by_key(reg, user) : NULL;
    arena_t *ap = &in->arena;
    samla_err_t err;
    Samla__V1__Push *push = NULL;
    Samla__V1__Submission *sub = NULL;
    if (wire_validate(&samla__v1__push__descriptor, payload, len, 2, &err) ||
        !(push = samla__v1__push__unpack(&ap->pa, len, payload)) || !wire_uuid_valid(push->id)) {
        log_event(LOG_LVL_WARN, "submit.undecodable", "peer=%s bytes=%zu", v->fingerprint, len);
        goto done; /* no id to answer to */
    }
    v->has_id = true;
    memcpy(v->id, push->id, sizeof v->id);
    if (!s_admit(m, v) || !(sub = s_body(push, ap, v)) || s_content(sub, m, v))
        goto done;
    v->body = malloc(push->body.len ? push->body.len : 1);
    if (!v->body) {
        s_refuse(v, SAMLA__V1__ACK_STATUS__ACK_RETRY, "out of memory");
        goto done;
    }
    memcpy(v->body, push->body.data, push->body.len);
    v->body_len = push->body.len;
    snprintf(v->orgnr, sizeof v->orgnr, "%s", sub->orgnr);
    snprintf(v->period, sizeof v->period, "%s", sub->period);
    v->store = true;
    v->sub = sub; /* kept, with the arena, until ingest_release */
    sub = NULL;
done:
    if (sub)
        samla__v1__submission__free_unpacked(sub, &ap->pa);
    if (push)
        samla__v1__push__free_unpacked(push, &ap->pa);
    if (!v->store)
        arena_reset(ap);
}

int ingest_check_counts(store_t *store, const char *id, const char *orgnr, const char *period,
                        const figures_t *f, samla_err_t *err)
{
    period_t p;
    if (!f->has_participants || period_parse(period, &p) || p.month == 1)
        return 0;
    char before[8];
    period_format((period_t){p.year, p.month - 1}, before, sizeof before);
    figures_t prev;
    unsigned rev;
    int found = store_figures(store, orgnr, before, 0, &prev, &rev, err);
    if (found <= 0 || !prev.has_participants)
        return found < 0 ? -1 : 0;
    /* Counts to date: they can stay, not fall. A fall means another förbund's file, or a
     * later (or earlier) month's, was sent as this one. */
    static const struct {
        const char *name;
        size_t offset;
    } counts[] = {
        {"nya", offsetof(figures_t, p_new)},
        {"avslutade", offsetof(figures_t, p_ended)},
        {"avslut till arbete eller studier", offsetof(figures_t, p_work_or_studies)},
    };
    char reason[256] = "";
    for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
        int64_t now = *(const int64_t *)((const char *)f + counts[i].offset);
        int64_t then = *(const int64_t *)((const char *)&prev + counts[i].offset);
        if (now < then && !reason[0])
            snprintf(reason, sizeof reason,
                     "%s hittills sjönk från %lld i %s till %lld: antal hittills kan inte "
                     "sjunka; är det rätt förbunds fil för rätt månad?",
                     counts[i].name, (long long)then, before, (long long)now);
    }
    if (!reason[0])
        return 0;
    log_event(LOG_LVL_WARN, "submit.flagged", "id=%s orgnr=%s period=%s reason=\"%s\"", id,
              orgnr, period, reason);
    return store_flag(store, id, reason, err);
}

/* Checks one message and stores it when it is good. Returns -1 when the store failed and
 * the whole batch must be rolled back. */
static int s_one(ingest_t *in, s_item_t *it, zmq_msg_t *payload, store_t *store,
                 const registry_t *reg)
{
    ingest_verdict_t v;
    ingest_check(in, zmq_msg_data(payload), zmq_msg_size(payload),
                 zmq_msg_gets(payload, "User-Id"), reg, &v);
    if (!v.has_id) {
        ingest_release(&v);
        return 0;
    }
    memcpy(it->id, v.id, sizeof it->id);
    memcpy(it->sha, v.sha, sizeof it->sha);
    it->has_ack = true;
    if (!v.store) {
        it->status = v.status;
        snprintf(it->reason, sizeof it->reason, "%s", v.reason);
        ingest_release(&v);
        return 0;
    }
    cons_row_t metrics;
    derive_metrics(reg, v.orgnr, v.period, &v.figures, v.sub, 1, &metrics);
    store_submission_t ss = {v.id,   v.orgnr,    v.period,      v.fingerprint, v.sha,
                             v.body, v.body_len, v.content_sha, &in->limits};
    store_receipt_t r = {0};
    samla_err_t err;
    int rc = 0;
    store_put_t put = derive_put(store, &ss, v.sub, &v.figures, &metrics, &r, &err);
    unsigned revision = r.revision;
    switch (put) {
    case STORE_INSERTED:
        if (ingest_check_counts(store, v.id, v.orgnr, v.period, &v.figures, &err)) {
            log_event(LOG_LVL_ERROR, "store.failed", "id=%s reason=\"%s\"", v.id, err.msg);
            rc = -1;
            break;
        }
        it->status = SAMLA__V1__ACK_STATUS__ACK_STORED;
        it->stored = true;
        memcpy(it->period, v.period, sizeof it->period);
        log_audit(LOG_LVL_INFO, "submit.stored", "id=%s orgnr=%s period=%s revision=%u peer=%s",
                  v.id, v.orgnr, v.period, revision, v.fingerprint);
        break;
    case STORE_DUPLICATE:
        it->status = SAMLA__V1__ACK_STATUS__ACK_DUPLICATE;
        log_audit(LOG_LVL_INFO, "submit.duplicate", "id=%s orgnr=%s period=%s revision=%u",
                  v.id, v.orgnr, v.period, revision);
        break;
    case STORE_UNCHANGED: /* the same month twice: the revision it repeats */
        it->status = SAMLA__V1__ACK_STATUS__ACK_DUPLICATE;
        snprintf(it->reason, sizeof it->reason, "unchanged");
        log_audit(LOG_LVL_INFO, "submit.unchanged", "id=%s orgnr=%s period=%s revision=%u",
                  v.id, v.orgnr, v.period, revision);
        break;
    case STORE_OVER_LIMIT:
        it->status = SAMLA__V1__ACK_STATUS__ACK_REJECTED;
        snprintf(it->reason, sizeof it->reason, "%.255s", err.msg);
        log_event(LOG_LVL_WARN, "submit.limit", "id=%s orgnr=%s period=%s reason=\"%s\"",
                  v.id, v.orgnr, v.period, err.msg);
        break;
    case STORE_CONFLICT:
        it->status = SAMLA__V1__ACK_STATUS__ACK_CONFLICT;
        snprintf(it->reason, sizeof it->reason, "%s",
                 N_("this id was stored before with other content"));
        log_event(LOG_LVL_WARN, "submit.conflict", "id=%s orgnr=%s peer=%s", v.id, v.orgnr,
                  v.fingerprint);
        break;
    case STORE_FAILED:
        log_event(LOG_LVL_ERROR, "store.failed", "id=%s reason=\"%s\"", v.id, err.msg);
        rc = -1;
        break;
    }
    it->revision = revision;
    ingest_release(&v);
    return rc;
}

/* The group aggregates of every period the batch gave a new revision, once per period,
 * inside the batch's transaction: they are current at COMMIT. */
static int s_groups(const s_item_t *items, size_t n, store_t *store, const registry_t *reg,
                    samla_err_t *err)
{
    for (size_t i = 0; i < n; i++) {
        if (!items[i].stored)
            continue;
        bool seen = false;
        for (size_t k = 0; k < i && !seen; k++)
            seen = items[k].stored && strcmp(items[k].period, items[i].period) == 0;
        if (!seen && derive_groups(store, reg, items[i].period, err))
            return -1;
    }
    return 0;
}

/* Ends the batch's transaction: the group aggregates, COMMIT, and the check that the
 * file committed to is still the configured one. Rolls back and returns false when any
 * of them failed: nothing of the batch is acknowledged then, and the agents resend. */
static bool s_commit(ingest_t *in, size_t n, store_t *store, const registry_t *reg, bool ok)
{
    samla_err_t err;
    log_event(LOG_LVL_DEBUG, "store.batch", "messages=%zu", n);
    if (ok && s_groups(in->items, n, store, reg, &err) != 0) {
        log_event(LOG_LVL_ERROR, "store.groups", "reason=\"%s\" messages=%zu", err.msg, n);
        ok = false;
    }
    if (ok && store_commit(store, &err) != 0) {
        log_event(LOG_LVL_ERROR, "store.commit", "reason=\"%s\" messages=%zu", err.msg, n);
        ok = false;
    }
    /* COMMIT wrote to the files SQLite holds open; an ACK promises they are the ones at
     * the configured path, where a restart will look. */
    if (ok && store_check_place(store, &err) != 0) {
        log_event(LOG_LVL_ERROR, "store.lost", "reason=\"%s\" messages=%zu", err.msg, n);
        ok = false;
    }
    if (!ok) {
        store_rollback(store);
        log_event(LOG_LVL_ERROR, "submit.unacknowledged",
                  "messages=%zu reason=\"store failed; agents will resend\"", n);
    }
    return ok;
}

/* Sends one ACK to `peer` on the router. */
static void s_ack_to(void *router, const zmq_msg_t *peer, const Samla__V1__Ack *ack)
{
    size_t len;
    uint8_t *buf = wire_pack((const ProtobufCMessage *)ack, &len);
    if (buf && (zmq_send(router, zmq_msg_data((zmq_msg_t *)peer), zmq_msg_size((zmq_msg_t *)peer),
                         ZMQ_SNDMORE | ZMQ_DONTWAIT) < 0 ||
                zmq_send(router, buf, len, ZMQ_DONTWAIT) < 0))
        log_event(LOG_LVL_WARN, "ack.unsent", "id=%s reason=\"%s\"", ack->id,
                  zmq_strerror(zmq_errno()));
    free(buf);
}

/* Sends one item's ACK on the router. */
static void s_ack(void *router, s_item_t *it)
{
    Samla__V1__Ack ack = SAMLA__V1__ACK__INIT;
    ack.id = it->id;
    ack.status = it->status;
    ack.has_revision = it->revision > 0;
    ack.revision = it->revision;
    ack.reason = it->reason[0] ? it->reason : NULL;
    ack.has_sha256 = 1;
    ack.sha256 = (ProtobufCBinaryData){32, it->sha};
    s_ack_to(router, &it->peer, &ack);
}

/* --- the lanes: what has arrived, per sender key, bounded --------------------------- */

/* Bytes of submissions held in the lanes at most; past it, as past a key's share. */
#define S_MAX_BYTES (64u << 20)
/* Bytes one transaction takes at most: a batch of large submissions ends sooner, so that
 * the lanes are drained (and other keys served) at least about once a second. */
#define S_BATCH_BYTES (16u << 20)

/* FNV-1a: a lane's key in 64 bits. */
static uint64_t s_hash(const char *key)
{
    uint64_t h = 1469598103934665603ull;
    for (; *key; key++)
        h = (h ^ (unsigned char)*key) * 1099511628211ull;
    return h;
}

/* The lane of a key: its own, else a free one; NULL when every lane is taken. */
static s_lane_t *s_lane(ingest_t *in, const char *key)
{
    uint64_t h = s_hash(key);
    s_lane_t *free_lane = NULL;
    for (size_t i = 0; i < in->used; i++) {
        s_lane_t *l = &in->lanes[i];
        if (l->n && l->hash == h && strcmp(l->key, key) == 0)
            return l;
        if (!l->n && !free_lane)
            free_lane = l;
    }
    if (!free_lane && in->used < INGEST_KEYS)
        free_lane = &in->lanes[in->used++];
    if (free_lane) {
        snprintf(free_lane->key, sizeof free_lane->key, "%s", key);
        free_lane->hash = h;
    }
    return free_lane;
}

/* A key past its share: told to send again later (ACK_RETRY), the message dropped. An id
 * that cannot be read cannot be answered; the agent's timeout resends it. */
static void s_busy(ingest_t *in, void *router, zmq_msg_t *peer, zmq_msg_t *payload,
                   const char *key)
{
    samla_err_t err;
    Samla__V1__Push *push = NULL;
    const uint8_t *data = zmq_msg_data(payload);
    size_t len = zmq_msg_size(payload);
    if (wire_validate(&samla__v1__push__descriptor, data, len, 2, &err) == 0 &&
        (push = samla__v1__push__unpack(&in->arena.pa, len, data)) && wire_uuid_valid(push->id)) {
        Samla__V1__Ack ack = SAMLA__V1__ACK__INIT;
        ack.id = push->id;
        ack.status = SAMLA__V1__ACK_STATUS__ACK_RETRY;
        ack.reason = N_("samlad is busy with this key's earlier submissions; send again later");
        ack.has_sha256 = push->sha256.len == 32;
        ack.sha256 = push->sha256;
        s_ack_to(router, peer, &ack);
    }
    char fp[17] = "-";
    if (strlen(key) == KEY_Z85_LEN)
        keys_fingerprint(key, fp);
    log_event(LOG_LVL_WARN, "submit.busy", "peer=%s waiting=%d reason=\"more of this key's "
              "submissions are waiting than its share\"", fp, INGEST_PER_KEY);
    if (push)
        samla__v1__push__free_unpacked(push, &in->arena.pa);
    arena_reset(&in->arena);
}

/* Moves what has arrived into the lanes (at most a few batches' worth per call, so that a
 * flood cannot keep the loop here); a key past its share, or the lanes past their bytes,
 * is told to send again later. A message not of two frames is dropped. */
static void s_take(ingest_t *in, void *router)
{
    for (int k = 0; k < 4 * INGEST_BATCH; k++) {
        zmq_msg_t peer, payload;
        zmq_msg_t *fr[2] = {&peer, &payload};
        int frames = frames_recv(router, fr, 2);
        if (frames == 0) {
            frames_close(fr, 2);
            return;
        }
        if (frames != 2) {
            log_event(LOG_LVL_WARN, "submit.malformed", "frames=%d", frames);
            frames_close(fr, 2);
            continue;
        }
        const char *user = zmq_msg_gets(&payload, "User-Id");
        const char *key = user && strlen(user) == KEY_Z85_LEN ? user : "";
        s_lane_t *l = s_lane(in, key);
        if (!l || l->n == INGEST_PER_KEY || in->bytes + zmq_msg_size(&payload) > S_MAX_BYTES) {
            s_busy(in, router, &peer, &payload, key);
            frames_close(fr, 2);
            continue;
        }
        s_msg_t *m = &l->q[(l->head + l->n) % INGEST_PER_KEY];
        zmq_msg_init(&m->peer);
        zmq_msg_init(&m->payload);
        zmq_msg_move(&m->peer, &peer);
        zmq_msg_move(&m->payload, &payload);
        l->n++;
        in->waiting++;
        in->bytes += zmq_msg_size(&m->payload);
        frames_close(fr, 2);
    }
}

/* The oldest waiting message of the next key in turn (moved into peer and payload);
 * false when the lanes are empty. */
static bool s_next(ingest_t *in, zmq_msg_t *peer, zmq_msg_t *payload)
{
    for (size_t k = 0; k < in->used; k++) {
        s_lane_t *l = &in->lanes[(in->next + k) % in->used];
        if (!l->n)
            continue;
        s_msg_t *m = &l->q[l->head];
        zmq_msg_init(peer);
        zmq_msg_init(payload);
        zmq_msg_move(peer, &m->peer);
        zmq_msg_move(payload, &m->payload);
        zmq_msg_close(&m->peer);
        zmq_msg_close(&m->payload);
        l->head = (l->head + 1) % INGEST_PER_KEY;
        l->n--;
        in->waiting--;
        in->bytes -= zmq_msg_size(payload);
        in->next = (in->next + k + 1) % in->used;
        return true;
    }
    return false;
}

static int64_t s_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

size_t ingest_batch(ingest_t *in, void *router, store_t *store, const registry_t *reg)
{
    s_item_t *items = in->items;
    size_t n = 0, bytes = 0;
    bool ok = true, begun = false, grouped = false;
    int64_t until = s_mono_ms() + INGEST_BATCH_MS;
    s_take(in, router);
    while (n < INGEST_BATCH && bytes < S_BATCH_BYTES && (n == 0 || s_mono_ms() < until)) {
        zmq_msg_t payload;
        if (!s_next(in, &items[n].peer, &payload)) {
            /* Group commit: a COMMIT costs an fsync, so when a burst is arriving give the
             * rest of it one short moment to join this transaction. */
            zmq_pollitem_t it = {router, 0, ZMQ_POLLIN, 0};
            if (begun && !grouped && zmq_poll(&it, 1, INGEST_GROUP_MS) > 0) {
                grouped = true;
                s_take(in, router);
                continue;
            }
            break;
        }
        if (!begun) { /* no transaction for a turn that brought nothing */
            samla_err_t err;
            begun = true;
            ok = store_begin(store, &err) == 0;
            if (!ok)
                log_event(LOG_LVL_ERROR, "store.begin", "reason=\"%s\"", err.msg);
        }
        bytes += zmq_msg_size(&payload);
        if (ok && s_one(in, &items[n], &payload, store, reg) != 0)
            ok = false;
        zmq_msg_close(&payload);
        n++;
    }
    if (!begun)
        return 0;
    ok = s_commit(in, n, store, reg, ok);
    /* Only after COMMIT: an ACK promises the row is on disk. */
    for (size_t i = 0; i < n; i++) {
        if (ok && items[i].has_ack)
            s_ack(router, &items[i]);
        zmq_msg_close(&items[i].peer);
        memset(&items[i], 0, sizeof items[i]);
    }
    return n;
}
