#include "ingest.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

#include "samla/log.h"
#include "samla/period.h"
#include "samla/text.h"
#include "samla/wire.h"

typedef struct {
    zmq_msg_t peer;      /* routing id frame, kept to address the ACK */
    bool has_ack;
    char id[37];
    Samla__V1__AckStatus status;
    unsigned revision;
    char reason[256];
    uint8_t sha[32];
} s_item_t;

static bool s_str_ok(const char *s)
{
    return s && strlen(s) <= INGEST_MAX_STRING && text_utf8_valid(s, strlen(s));
}

/* Semantic checks on a decoded submission; the first problem goes into reason. */
static bool s_valid(const Samla__V1__Submission *sub, char *reason, size_t rsize)
{
    period_t p;
    if (!text_orgnr_valid(sub->orgnr)) {
        snprintf(reason, rsize, "orgnr is not NNNNNN-NNNN");
        return false;
    }
    if (period_parse(sub->period, &p)) {
        snprintf(reason, rsize, "period is not YYYY-MM");
        return false;
    }
    if (sub->n_cost_areas > INGEST_MAX_AREAS || sub->n_participants > INGEST_MAX_ROWS) {
        snprintf(reason, rsize, "too many cost areas or participant rows");
        return false;
    }
    if ((sub->created_at && !s_str_ok(sub->created_at)) ||
        (sub->software && !s_str_ok(sub->software))) {
        snprintf(reason, rsize, "a text field is not valid UTF-8 or too long");
        return false;
    }
    for (size_t i = 0; i < sub->n_cost_areas; i++) {
        const Samla__V1__CostArea *a = sub->cost_areas[i];
        if (!s_str_ok(a->code) || (a->name && !s_str_ok(a->name))) {
            snprintf(reason, rsize, "cost area %zu: text is not valid UTF-8 or too long", i);
            return false;
        }
    }
    for (size_t i = 0; i < sub->n_participants; i++) {
        const Samla__V1__ParticipantRow *r = sub->participants[i];
        if (!s_str_ok(r->intervention) || !s_str_ok(r->measure) ||
            (r->category && !s_str_ok(r->category))) {
            snprintf(reason, rsize, "participant row %zu: text is not valid UTF-8 or too long",
                     i);
            return false;
        }
    }
    return true;
}

static void s_ack(s_item_t *it, Samla__V1__AckStatus st, unsigned revision, const char *why)
{
    it->has_ack = true;
    it->status = st;
    it->revision = revision;
    snprintf(it->reason, sizeof it->reason, "%s", why ? why : "");
}

/* Decodes and checks one message, storing it when it is good. Returns -1 when the store
 * failed and the whole batch must be rolled back. */
static int s_one(s_item_t *it, zmq_msg_t *payload, store_t *store, const registry_t *reg)
{
    const char *user = zmq_msg_gets(payload, "User-Id");
    char fp[17] = "-";
    if (user)
        keys_fingerprint(user, fp);
    const member_t *m = user ? registry_by_key(reg, user) : NULL;
    wire_alloc_t a;
    wire_alloc_init(&a, WIRE_DECODE_BUDGET);
    Samla__V1__Push *push =
        samla__v1__push__unpack(&a.pa, zmq_msg_size(payload), zmq_msg_data(payload));
    Samla__V1__Submission *sub = NULL;
    int rc = 0;
    if (!push || !wire_uuid_valid(push->id)) {
        log_event(LOG_LVL_WARN, "submit.undecodable", "peer=%s bytes=%zu", fp,
                  zmq_msg_size(payload));
        goto done; /* no id to answer to */
    }
    memcpy(it->id, push->id, 37);
    if (!m) {
        log_event(LOG_LVL_WARN, "submit.refuse", "id=%s peer=%s reason=\"key not registered\"",
                  it->id, fp);
        s_ack(it, SAMLA__V1__ACK_STATUS__ACK_REFUSED, 0, "this key is not registered");
        goto done;
    }
    if (m->role != ROLE_FORBUND) {
        log_event(LOG_LVL_WARN, "submit.refuse", "id=%s peer=%s reason=\"analyst key\"", it->id,
                  fp);
        s_ack(it, SAMLA__V1__ACK_STATUS__ACK_REFUSED, 0, "an analyst key may only query");
        goto done;
    }
    wire_sha256(push->body.data, push->body.len, it->sha);
    if (push->sha256.len != 32 || memcmp(push->sha256.data, it->sha, 32) != 0) {
        s_ack(it, SAMLA__V1__ACK_STATUS__ACK_INVALID, 0, "sha256 does not match the body");
        goto done;
    }
    sub = samla__v1__submission__unpack(&a.pa, push->body.len, push->body.data);
    char reason[256];
    if (!sub) {
        s_ack(it, SAMLA__V1__ACK_STATUS__ACK_INVALID, 0, "body is not a samla.v1.Submission");
        goto done;
    }
    if (!s_valid(sub, reason, sizeof reason)) {
        s_ack(it, SAMLA__V1__ACK_STATUS__ACK_INVALID, 0, reason);
        goto done;
    }
    if (strcmp(sub->orgnr, m->orgnr) != 0) {
        log_event(LOG_LVL_WARN, "submit.refuse",
                  "id=%s peer=%s orgnr=%s reason=\"key belongs to %s\"", it->id, fp, sub->orgnr,
                  m->orgnr);
        s_ack(it, SAMLA__V1__ACK_STATUS__ACK_REFUSED, 0,
              "this key may submit only for its own organisation number");
        goto done;
    }
    figures_t f;
    diag_t *d = diag_new();
    if (!d || figures_from_submission(sub, &f, d)) {
        s_ack(it, SAMLA__V1__ACK_STATUS__ACK_INVALID, 0, "the figures do not add up");
        diag_destroy(&d);
        goto done;
    }
    diag_destroy(&d);
    store_submission_t ss = {it->id, sub->orgnr, sub->period, fp, it->sha,
                             push->body.data, push->body.len, &f};
    unsigned revision = 0;
    samla_err_t err;
    switch (store_put(store, &ss, &revision, &err)) {
    case STORE_INSERTED:
        s_ack(it, SAMLA__V1__ACK_STATUS__ACK_STORED, revision, NULL);
        log_event(LOG_LVL_INFO, "submit.stored", "id=%s orgnr=%s period=%s revision=%u peer=%s",
                  it->id, sub->orgnr, sub->period, revision, fp);
        break;
    case STORE_DUPLICATE:
        s_ack(it, SAMLA__V1__ACK_STATUS__ACK_DUPLICATE, revision, NULL);
        log_event(LOG_LVL_INFO, "submit.duplicate", "id=%s orgnr=%s period=%s revision=%u",
                  it->id, sub->orgnr, sub->period, revision);
        break;
    case STORE_CONFLICT:
        s_ack(it, SAMLA__V1__ACK_STATUS__ACK_CONFLICT, 0,
              "this id was stored before with other content");
        log_event(LOG_LVL_WARN, "submit.conflict", "id=%s orgnr=%s peer=%s", it->id, sub->orgnr,
                  fp);
        break;
    case STORE_FAILED:
        log_event(LOG_LVL_ERROR, "store.failed", "id=%s reason=\"%s\"", it->id, err.msg);
        rc = -1;
        break;
    }
done:
    if (sub)
        samla__v1__submission__free_unpacked(sub, &a.pa);
    if (push)
        samla__v1__push__free_unpacked(push, &a.pa);
    return rc;
}

/* Receives [routing id][payload]; anything else is drained and dropped. Returns 1 with a
 * message, 0 when none is waiting, -1 for a malformed one. */
static int s_recv(void *router, s_item_t *it, zmq_msg_t *payload)
{
    zmq_msg_init(&it->peer);
    if (zmq_msg_recv(&it->peer, router, ZMQ_DONTWAIT) < 0) {
        zmq_msg_close(&it->peer);
        return 0;
    }
    int frames = 1, ok = zmq_msg_more(&it->peer);
    zmq_msg_init(payload);
    if (ok && zmq_msg_recv(payload, router, 0) >= 0)
        frames++;
    while (zmq_msg_more(payload) || (frames == 1 && zmq_msg_more(&it->peer))) {
        zmq_msg_t extra;
        zmq_msg_init(&extra);
        int r = zmq_msg_recv(&extra, router, 0);
        bool more = r >= 0 && zmq_msg_more(&extra);
        zmq_msg_close(&extra);
        frames++;
        if (!more)
            break;
    }
    if (frames != 2) {
        log_event(LOG_LVL_WARN, "submit.malformed", "frames=%d", frames);
        zmq_msg_close(payload);
        zmq_msg_close(&it->peer);
        return -1;
    }
    return 1;
}

size_t ingest_batch(void *router, store_t *store, const registry_t *reg)
{
    s_item_t *items = calloc(INGEST_BATCH, sizeof *items);
    if (!items)
        return 0;
    size_t n = 0, taken = 0;
    samla_err_t err;
    bool ok = true, begun = false;
    while (taken < INGEST_BATCH) {
        zmq_msg_t payload;
        int r = s_recv(router, &items[n], &payload);
        if (r == 0)
            break;
        taken++;
        if (r < 0)
            continue;
        if (!begun) { /* no transaction for a poll cycle that brought nothing */
            begun = true;
            ok = store_begin(store, &err) == 0;
            if (!ok)
                log_event(LOG_LVL_ERROR, "store.begin", "reason=\"%s\"", err.msg);
        }
        if (ok && s_one(&items[n], &payload, store, reg) != 0)
            ok = false;
        zmq_msg_close(&payload);
        n++;
    }
    if (!begun) {
        free(items);
        return taken;
    }
    if (ok && store_commit(store, &err) != 0) {
        log_event(LOG_LVL_ERROR, "store.commit", "reason=\"%s\" messages=%zu", err.msg, n);
        ok = false;
    }
    if (!ok) {
        store_rollback(store);
        log_event(LOG_LVL_ERROR, "submit.unacknowledged",
                  "messages=%zu reason=\"store failed; agents will resend\"", n);
    }
    /* Only after COMMIT: an ACK promises the row is on disk. */
    for (size_t i = 0; i < n; i++) {
        s_item_t *it = &items[i];
        if (ok && it->has_ack) {
            Samla__V1__Ack ack = SAMLA__V1__ACK__INIT;
            ack.id = it->id;
            ack.status = it->status;
            ack.has_revision = it->revision > 0;
            ack.revision = it->revision;
            ack.reason = it->reason[0] ? it->reason : NULL;
            ack.has_sha256 = 1;
            ack.sha256 = (ProtobufCBinaryData){32, it->sha};
            size_t len;
            uint8_t *buf = wire_pack((const ProtobufCMessage *)&ack, &len);
            if (buf && (zmq_send(router, zmq_msg_data(&it->peer), zmq_msg_size(&it->peer),
                                 ZMQ_SNDMORE | ZMQ_DONTWAIT) < 0 ||
                        zmq_send(router, buf, len, ZMQ_DONTWAIT) < 0))
                log_event(LOG_LVL_WARN, "ack.unsent", "id=%s reason=\"%s\"", it->id,
                          zmq_strerror(zmq_errno()));
            free(buf);
        }
        zmq_msg_close(&it->peer);
    }
    free(items);
    return taken;
}
