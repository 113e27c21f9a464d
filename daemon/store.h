/* store: every submission in SQLite (WAL, synchronous=FULL), each under its id, with
 * revisions per (förbund, period) and the figures derived from it. Nothing acknowledged
 * is ever lost: callers send ACKs only after store_commit() returned 0. */
#ifndef SAMLA_STORE_H
#define SAMLA_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "samla/diag.h"
#include "samla/figures.h"

typedef struct store_s store_t;

#define STORE_SCHEMA_VERSION 3

store_t *store_open(const char *path, samla_err_t *err);
/* A second connection for queries, on another thread: read-only, never migrates (open
 * the writer first), and under WAL never blocks the writer nor waits for it. */
store_t *store_open_readonly(const char *path, samla_err_t *err);
void store_close(store_t **self_p);

/* Caps the database file at about `mb` MiB (0: no cap beyond SQLite's own). A full
 * database makes the batch fail: nothing is acknowledged, agents resend later. */
int store_set_max_size(store_t *self, long long mb, samla_err_t *err);

/* Caps the write-ahead log at about `mb` MiB (0: none). A reader that holds a transaction
 * open stops SQLite from resetting the WAL; past the cap store_begin refuses (nothing is
 * acknowledged, agents resend) until the reader is gone. Once emptied, the WAL is cut back
 * to a quarter of the cap (at most 64 MiB). */
int store_set_max_wal(store_t *self, long long mb, samla_err_t *err);
/* Idle-time upkeep: checkpoints and truncates a WAL grown past its limit when no reader
 * holds it (never waits), and warns while a reader keeps it large. */
void store_maintain(store_t *self);
/* 0 while the database, its -wal and -shm are still the files this store opened at
 * their paths; -1 with err set when one was deleted, renamed or replaced. Anything
 * committed since then would be lost: the caller must not acknowledge it, and stops. */
int store_check_place(store_t *self, samla_err_t *err);
/* Whether store_check_place has ever failed (sticky). */
bool store_lost(const store_t *self);

int store_begin(store_t *self, samla_err_t *err);
int store_commit(store_t *self, samla_err_t *err);
void store_rollback(store_t *self);

typedef enum {
    STORE_INSERTED,  /* new row, *revision set */
    STORE_DUPLICATE, /* the id exists with the same hash, *revision set */
    STORE_CONFLICT,  /* the id exists with another hash */
    STORE_FAILED,    /* database error: roll back, acknowledge nothing */
} store_put_t;

typedef struct {
    const char *id, *orgnr, *period, *key_fingerprint;
    const uint8_t *sha256; /* 32 bytes */
    const uint8_t *body;
    size_t body_len;
    const figures_t *figures;
} store_submission_t;

/* Inside a transaction. */
store_put_t store_put(store_t *self, const store_submission_t *s, unsigned *revision,
                      samla_err_t *err);

/* Calls fn once per förbund that has a submission for the period, with the figures of its
 * latest revision. Returns 0, or -1 with err set. */
typedef void (*store_figures_fn)(void *arg, const char *orgnr, unsigned revision,
                                 const figures_t *f);
int store_latest(store_t *self, const char *period, store_figures_fn fn, void *arg,
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

/* The figures of one förbund and period: `revision` 0 means the latest. Returns 1 with *f
 * and *got set, 0 when there is no such submission, -1 on error. */
int store_figures(store_t *self, const char *orgnr, const char *period, unsigned revision,
                  figures_t *f, unsigned *got, samla_err_t *err);

/* Copies the database at `path` to `dest` consistently while other processes keep writing
 * (SQLite's backup API inside one read transaction; WAL readers never block writers), via
 * dest.tmp, fsync and rename, and checks the copy's integrity. Reports the submission count. */
int store_backup(const char *path, const char *dest, long long *submissions, samla_err_t *err);

#endif
