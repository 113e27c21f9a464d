/* store_log: layer 1, the log. Every submission as it arrived, under its id, numbered as
 * the next revision of its (förbund, period); rows are only ever appended (and flagged).
 * Everything else in the database is derived from it and can be rebuilt from it
 * (derive.h). */
#ifndef SAMLA_STORE_LOG_H
#define SAMLA_STORE_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "samla/diag.h"
#include "store.h"

typedef enum {
    STORE_INSERTED,  /* appended as a new revision */
    STORE_DUPLICATE, /* the id exists with the same hash: its revision is answered */
    STORE_UNCHANGED, /* the latest revision has the same content: nothing stored, that
                        revision is answered */
    STORE_OVER_LIMIT, /* a limit of the sender's would be passed: nothing stored, err says */
    STORE_CONFLICT,  /* the id exists with another hash */
    STORE_FAILED,    /* database error: roll back, acknowledge nothing */
} store_put_t;

/* What one förbund key may store (samlad's `limits`); 0: no limit. */
typedef struct {
    long long revisions_per_month; /* revisions of one (förbund, period) */
    long long bytes_per_day;       /* bodies stored since 00:00 UTC */
} store_limits_t;

typedef struct {
    const char *id, *orgnr, *period, *key_fingerprint;
    const uint8_t *sha256; /* 32 bytes */
    const uint8_t *body;
    size_t body_len;
    const uint8_t *content_sha;       /* 32 bytes: the content without when and by what;
                                         NULL: never the same as another revision */
    const store_limits_t *limits;     /* the sender's; NULL: none */
} store_submission_t;

/* What store_put answers: the revision, and when a new one arrived (ISO 8601 UTC). */
typedef struct {
    unsigned revision;
    char received_at[24];
} store_receipt_t;

/* Inside a transaction: appends the submission to the log as the next revision of its
 * (förbund, period). In this order, each rule where it is decided: an id seen before is a
 * duplicate (or a conflict); content equal to the latest revision's is unchanged; past a
 * limit is over the limit; only then is the row written. Its details and metrics are the
 * caller's (derive_store), in the same transaction. */
store_put_t store_put(store_t *self, const store_submission_t *s, store_receipt_t *r,
                      samla_err_t *err);

/* Reported months between two periods (inclusive): one call per (förbund, period), with
 * the flag of the latest revision (NULL when it has none). */
typedef void (*store_status_fn)(void *arg, const char *orgnr, const char *period,
                                unsigned revisions, const char *last_received,
                                const char *flag);
int store_status(store_t *self, const char *from, const char *to, store_status_fn fn,
                 void *arg, samla_err_t *err);

/* Marks a stored submission as doubtful, with why (inside the transaction that stored
 * it). Returns 0, or -1 with err set. */
int store_flag(store_t *self, const char *id, const char *reason, samla_err_t *err);

/* One revision as the log holds it: store_each's rows, and what derive_store writes the
 * details and metrics of. `latest` tells whether it is its month's latest revision. */
typedef struct {
    const char *id, *orgnr, *period, *received_at;
    unsigned revision;
    bool latest;
    const uint8_t *body;
    size_t body_len;
} store_logged_t;

/* Calls fn for every stored submission, ordered by (orgnr, period, revision). fn returns
 * 0, or -1 to stop with an error; fn's own errors are its own to report (through arg). */
typedef int (*store_log_fn)(void *arg, const store_logged_t *s);
int store_each(store_t *self, store_log_fn fn, void *arg, samla_err_t *err);

#endif
