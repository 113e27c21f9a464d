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

#include "consolidate.h"

typedef struct store_s store_t;

#define STORE_SCHEMA_VERSION 7

store_t *store_open(const char *path, samla_err_t *err);
/* A second connection for queries, on another thread: read-only, never migrates (open
 * the writer first), and under WAL never blocks the writer nor waits for it. */
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

typedef enum {
    STORE_INSERTED,  /* new row, *revision set */
    STORE_DUPLICATE, /* the id exists with the same hash, *revision set */
    STORE_UNCHANGED, /* the latest revision has the same content: nothing stored, *revision
                        is that one's */
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
    const figures_t *figures;
    const Samla__V1__Submission *sub; /* the decoded body: its details are stored beside it */
    const cons_row_t *metrics;        /* every metric of this revision (consolidate.h) */
    const uint8_t *content_sha;       /* 32 bytes: the content without when and by what;
                                         NULL: never the same as another revision */
    const store_limits_t *limits;     /* the sender's; NULL: none */
} store_submission_t;

/* Inside a transaction: appends the submission to the log as the next revision of its
 * (förbund, period), writes its details (layer 2) and makes it the latest revision with
 * its metric values (layer 3). In this order, each rule where it is decided: an id seen
 * before is a duplicate (or a conflict); content equal to the latest revision's is
 * unchanged; past a limit is over the limit; only then is anything written. The group
 * aggregates of the period are the caller's (store_group_put, before COMMIT). */
store_put_t store_put(store_t *self, const store_submission_t *s, unsigned *revision,
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

/* What the disclosure gate decides from, of every förbund's latest revision of a period
 * (written with its metrics): fn once per förbund. */
typedef void (*store_disclosure_fn)(void *arg, const char *orgnr, const disc_fewest_t *f);
int store_disclosure(store_t *self, const char *period, store_disclosure_fn fn, void *arg,
                     samla_err_t *err);

/* --- layer 3: the consolidated comparison ------------------------------------------------ */

/* Reads the metric values of the latest revisions for a period: for each stored value,
 * slot(arg, orgnr) says where that förbund's row is (NULL: not wanted) and the value is
 * written into it, with the row's revision and fewest. `metric` >= 0 reads only that
 * metric index. Rows never reported stay as the caller set them. */
typedef cons_row_t *(*store_slot_fn)(void *arg, const char *orgnr);
int store_period(store_t *self, const char *period, int metric, store_slot_fn slot, void *arg,
                 samla_err_t *err);
/* One förbund's value of one metric for every reported month from..to: fn per month. */
typedef void (*store_point_fn)(void *arg, const char *period, const cons_row_t *row);
int store_own(store_t *self, const char *orgnr, size_t metric, const char *from,
              const char *to, store_point_fn fn, void *arg, samla_err_t *err);

/* The cost areas of a förbund's latest revision for a period, by code: fn once per area.
 * *revision gets the revision (0 when nothing was reported). */
typedef struct {
    const char *code, *name, *class_name;
    int64_t outcome, income, budget; /* öre */
    bool has_budget_year, has_forecast;
    int64_t budget_year, forecast;
} store_area_t;
typedef void (*store_area_fn)(void *arg, const store_area_t *a);
int store_areas(store_t *self, const char *orgnr, const char *period, store_area_fn fn,
                void *arg, unsigned *revision, samla_err_t *err);

/* The participant rows of every förbund's latest revision for a period, by orgnr and row:
 * fn once per row; a revision without rows comes once with intervention NULL. */
typedef struct {
    const char *orgnr;
    unsigned revision;
    const char *intervention, *kind, *measure, *category; /* category may be NULL */
    uint64_t count[3];                                   /* women, men, unspecified */
} store_part_t;
typedef void (*store_part_fn)(void *arg, const store_part_t *r);
int store_participants(store_t *self, const char *period, store_part_fn fn, void *arg,
                       samla_err_t *err);

/* Aggregates of a comparison group over the förbund that may be seen by anyone with file
 * access (analysts): kept current at COMMIT, read by trends and the region_metric view. */
int store_group_put(store_t *self, const char *group, const char *period, size_t metric,
                    const cons_agg_t *agg, samla_err_t *err);
typedef void (*store_agg_fn)(void *arg, const char *period, const cons_agg_t *agg);
int store_group_range(store_t *self, const char *group, size_t metric, const char *from,
                      const char *to, store_agg_fn fn, void *arg, samla_err_t *err);

/* Inside a transaction: removes every group aggregate (before they are rebuilt for a
 * changed registry). */
int store_group_clear(store_t *self, samla_err_t *err);
/* Every period with a latest revision, oldest first (rebuilding group aggregates). */
typedef void (*store_period_fn)(void *arg, const char *period);
int store_periods(store_t *self, store_period_fn fn, void *arg, samla_err_t *err);

/* --- the registry the figures were computed with --------------------------------------- */

typedef struct {
    const char *orgnr, *name;
    int64_t population;
} store_member_t;
typedef struct {
    const char *group, *orgnr;
} store_grouping_t;
/* Records the registry as in force from now on, unless the latest snapshot is the same.
 * *changed tells whether it was new. Inside a transaction. */
int store_snapshot(store_t *self, const store_member_t *m, size_t nm,
                   const store_grouping_t *g, size_t ng, bool *changed, samla_err_t *err);
/* The targets in force, for the metric_target view (docs/database.md): replaces what was
 * there. Inside a transaction. Strings are borrowed. */
typedef struct {
    const char *scope, *subject, *metric, *direction; /* subject NULL: default and all */
    bool has_low, has_high;
    double low, high;
} store_target_t;
int store_targets(store_t *self, const store_target_t *t, size_t n, samla_err_t *err);
/* The population aged 16-64 in force for a förbund at a time (ISO 8601 UTC): the snapshot
 * before it, or the earliest one when the time predates every snapshot. -1 when unknown. */
int64_t store_population_at(store_t *self, const char *orgnr, const char *when,
                            samla_err_t *err);

/* --- rederive ------------------------------------------------------------------------- */

/* Whether a migration asked for layers 2 and 3 to be rebuilt from the log. */
bool store_needs_rederive(store_t *self);
/* Inside a transaction: empties layers 2 and 3 (and clears the request) for a rebuild. */
int store_clear_derived(store_t *self, samla_err_t *err);
/* Calls fn for every stored submission, ordered by (orgnr, period, revision); `latest`
 * tells whether it is the latest revision. fn returns 0, or -1 to stop with an error. */
typedef struct {
    const char *id, *orgnr, *period, *received_at;
    unsigned revision;
    bool latest;
    const uint8_t *body;
    size_t body_len;
} store_logged_t;
/* fn's own errors are its own to report (through arg). */
typedef int (*store_log_fn)(void *arg, const store_logged_t *s);
int store_each(store_t *self, store_log_fn fn, void *arg, samla_err_t *err);
/* Writes layers 2 and 3 of a submission already in the log (rederive). sub may be NULL
 * when the body cannot be read any more: the revision then counts with null metrics. */
int store_derive(store_t *self, const store_logged_t *s, const Samla__V1__Submission *sub,
                 const figures_t *f, const cons_row_t *metrics, samla_err_t *err);

/* Copies the database at `path` to `dest` consistently while other processes keep writing
 * (SQLite's backup API inside one read transaction; WAL readers never block writers), via
 * dest.tmp, fsync and rename, and checks the copy's integrity. Reports the submission count. */
int store_backup(const char *path, const char *dest, long long *submissions, samla_err_t *err);

#endif
