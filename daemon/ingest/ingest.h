/* ingest: takes what has arrived on the submission socket in one poll cycle, checks who
 * sent it and what it holds, stores it all in one transaction and acknowledges each
 * message only after COMMIT returned. */
#ifndef SAMLA_INGEST_H
#define SAMLA_INGEST_H

#include <stddef.h>

#include <stdbool.h>
#include <stdint.h>

#include "registry.h"
#include "samla.pb-c.h"
#include "samla/arena.h"
#include "samla/figures.h"
#include "store.h"
#include "store_log.h"

/* Most messages taken into one transaction. */
#define INGEST_BATCH 256
/* Submissions one key may have waiting in samlad's memory; past it the key is told to
 * send again later (ACK_RETRY), so that memory stays bounded and one key cannot fill it. */
#define INGEST_PER_KEY 16
/* Keys with submissions waiting at once (every förbund of a large region at month end);
 * past it, likewise. Lanes are touched only when used: memory follows the keys seen. */
#define INGEST_KEYS 4096
/* How long a batch waits for more of a burst before it commits (milliseconds). */
#define INGEST_GROUP_MS 2
/* How long a batch goes on taking messages (milliseconds): a batch ends after it, so that
 * a stop signal, a new handshake and other keys wait about this long at most, however
 * slow storing is on a busy machine. */
#define INGEST_BATCH_MS 200

/* The ingest of one daemon: its decoding arena and one batch's items, kept between
 * batches. One thread uses it. */
typedef struct ingest_s ingest_t;

/* NULL when memory is gone. */
ingest_t *ingest_new(void);
/* What each förbund key may store from now on (samlad's `limits`, after SIGHUP too). */
void ingest_set_limits(ingest_t *in, const store_limits_t *limits);
void ingest_destroy(ingest_t **in);

/* What one message asks for and what the daemon answers, before anything is stored. */
typedef struct {
    bool has_id;              /* false: not even an id could be read; dropped, no answer */
    char id[37];
    bool store;               /* true: store it (then acknowledge); false: answer `status` */
    Samla__V1__AckStatus status;
    char reason[256];
    uint8_t sha[32];
    uint8_t content_sha[32];  /* the Submission without created_at and software */
    char orgnr[12], period[8], fingerprint[17];
    uint8_t *body;            /* a copy of the encoded Submission when store */
    size_t body_len;
    figures_t figures;
    Samla__V1__Submission *sub; /* decoded, when store: its details are stored too */
    arena_t *arena;           /* where sub lives: the ingest's, reset by ingest_release */
} ingest_verdict_t;

/* Decodes and checks one payload sent with the ZAP User-Id `user` (the sender's key in
 * Z85, NULL when absent) against the registry. Never trusts anything in the payload. The
 * verdict holds memory of `in` until ingest_release: one verdict per ingest at a time. */
void ingest_check(ingest_t *in, const uint8_t *payload, size_t len, const char *user,
                  const registry_t *reg, ingest_verdict_t *v);
void ingest_release(ingest_verdict_t *v);

/* Samla can not tell a förbund's participant file from another's, or June's from
 * December's, by looking at one: but counts to date cannot fall. Flags the just stored
 * submission `id` when its counts to date are below those of the same förbund's previous
 * month (latest revision). Inside the storing transaction; returns 0, or -1 with err. */
int ingest_check_counts(store_t *store, const char *id, const char *orgnr, const char *period,
                        const figures_t *f, samla_err_t *err);

/* Takes what waits on `router` into lanes per sender key (at most INGEST_PER_KEY each),
 * then stores one transaction of at most INGEST_BATCH, one submission per key in turn, and
 * acknowledges after COMMIT. Returns how many were stored or answered (0: nothing to do). */
size_t ingest_batch(ingest_t *in, void *router, store_t *store, const registry_t *reg);
/* Whether submissions wait in the lanes for the next batch. */
bool ingest_pending(const ingest_t *in);

#endif
