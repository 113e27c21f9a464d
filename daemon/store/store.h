/* store: the connection to samlad's SQLite database (WAL, synchronous=FULL): opening and
 * migrating it, transactions, caps and upkeep. What is stored is in three layers, each
 * with its own header (docs/design.md): the log of submissions (store_log.h), the details
 * of every revision (store_details.h) and the consolidated comparison of the latest
 * revisions (store_cons.h); beside them the registry the figures were computed with
 * (store_registry.h). Nothing acknowledged is ever lost: callers send ACKs only after
 * store_commit() returned 0. */
#ifndef SAMLA_STORE_H
#define SAMLA_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "samla/diag.h"

typedef struct store_s store_t;

#define STORE_SCHEMA_VERSION 10

store_t *store_open(const char *path, samla_err_t *err);
/* A second connection for queries, on another thread: read-only, never migrates (open
 * the writer first), and under WAL never blocks the writer nor waits for it. Used by one
 * thread at a time (each query worker opens its own), so SQLite takes no lock of its own
 * around each call. */
store_t *store_open_readonly(const char *path, samla_err_t *err);
void store_close(store_t **self_p);
/* On a read-only connection: every read until store_snapshot_end sees one snapshot of the
 * database (a query's rows and the disclosure gate's release agree). *version changes
 * whenever another connection has committed since the last snapshot (PRAGMA
 * data_version), so what was worked out from an earlier one can be kept until then. */
int store_snapshot_begin(store_t *self, int64_t *version, samla_err_t *err);
void store_snapshot_end(store_t *self);

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
/* After a burst: frees what SQLite's page cache holds beyond the pages in use. */
void store_release_memory(store_t *self);
/* 0 while the database, its -wal and -shm are still the files this store opened at
 * their paths; -1 with err set when one was deleted, renamed or replaced. Anything
 * committed since then would be lost: the caller must not acknowledge it, and stops. */
int store_check_place(store_t *self, samla_err_t *err);
/* Whether store_check_place has ever failed (sticky). */
bool store_lost(const store_t *self);

int store_begin(store_t *self, samla_err_t *err);
int store_commit(store_t *self, samla_err_t *err);
void store_rollback(store_t *self);

/* Whether a migration asked for layers 2 and 3 to be rebuilt from the log (done by
 * derive_all, which then clears the request with store_clear_derived). */
bool store_needs_rederive(store_t *self);
/* Inside a transaction: empties every derived layer and clears the request (derive_all
 * then rebuilds them from the log). */
int store_clear_derived(store_t *self, samla_err_t *err);

/* Copies the database at `path` to `dest` consistently while other processes keep writing
 * (SQLite's backup API inside one read transaction; WAL readers never block writers), via
 * dest.tmp, fsync and rename, and checks the copy's integrity. Reports the submission count. */
int store_backup(const char *path, const char *dest, long long *submissions, samla_err_t *err);

#endif
