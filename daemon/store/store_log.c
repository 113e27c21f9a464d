/* store_log: layer 1, the log (store_log.h): appending a submission as its month's next
 * revision, with each rule of store_put where it is decided; the months' status; reading
 * the log back for a rederive. */
#include "store_log.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "samla/log.h"
#include "storeimpl.h"

#define s_fail storeimpl_fail

/* --- SQL ------------------------------------------------------------------------------ */

static const char SQL_FIND_ID[] = "SELECT sha256, revision FROM submission WHERE id = ?1";
/* The latest revision of a (förbund, period) and its content hash; no row: none yet. */
static const char SQL_LATEST_REVISION[] =
    "SELECT revision, content_sha FROM submission WHERE orgnr = ?1 AND period = ?2"
    " ORDER BY revision DESC LIMIT 1";
/* What a förbund stored since ?2 (submission_by_day; length() reads no blob). */
static const char SQL_BYTES_SINCE[] =
    "SELECT COALESCE(SUM(length(body)), 0) FROM submission WHERE orgnr = ?1"
    " AND received_at >= ?2";
static const char SQL_INSERT[] =
    "INSERT INTO submission (id, sha256, orgnr, period, revision, received_at,"
    " key_fingerprint, body, content_sha) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
/* Per (förbund, month): revisions, the last arrival, and the flag of the latest revision
 * (a corrected revision clears what was doubtful about the one before). */
/* From `latest`: revisions of a (förbund, period) are numbered 1, 2, ... and the latest
 * arrived last, so its number is the count and its arrival the last one. */
static const char SQL_STATUS[] =
    "SELECT l.orgnr, l.period, l.revision, l.received_at, fl.reason FROM latest l"
    " LEFT JOIN flag fl ON fl.submission_id = l.submission_id"
    " WHERE l.period BETWEEN ?1 AND ?2 ORDER BY l.orgnr, l.period";
static const char SQL_FLAG[] =
    "INSERT OR REPLACE INTO flag (submission_id, reason) VALUES (?1, ?2)";
static const char SQL_EACH[] =
    "SELECT s.id, s.orgnr, s.period, s.revision, s.received_at, s.body, s.revision ="
    " (SELECT MAX(revision) FROM submission WHERE orgnr = s.orgnr AND period = s.period)"
    " FROM submission s ORDER BY s.orgnr, s.period, s.revision";


enum { L_FIND, L_LATEST, L_BYTES, L_INSERT, L_STATUS, L_FLAG, L_EACH, L_COUNT };

static const char *const s_sql[L_COUNT] = {
    [L_FIND] = SQL_FIND_ID,     [L_LATEST] = SQL_LATEST_REVISION, [L_BYTES] = SQL_BYTES_SINCE,
    [L_INSERT] = SQL_INSERT,    [L_STATUS] = SQL_STATUS,          [L_FLAG] = SQL_FLAG,
    [L_EACH] = SQL_EACH,
};

struct storelog_s {
    sqlite3_stmt *st[L_COUNT];
};
_Static_assert(offsetof(struct storelog_s, st) == 0, "storeimpl_layer_new: statements first");

static int s_open(store_t *s, bool writer, samla_err_t *err)
{
    (void)writer;
    s->log = storeimpl_layer_new(s, sizeof *s->log, s_sql, L_COUNT, err);
    return s->log ? 0 : -1;
}

static void s_close(store_t *s)
{
    storeimpl_layer_free(s->log, L_COUNT);
    s->log = NULL;
}

const storeimpl_layer_t storelog_layer = {s_open, s_close, NULL};

/* --- appending -------------------------------------------------------------------------- */

/* The id seen before: STORE_DUPLICATE or STORE_CONFLICT with *revision; STORE_INSERTED
 * (meaning: go on) when it is new. */
static store_put_t s_put_known(store_t *self, const store_submission_t *sub, unsigned *revision,
                               samla_err_t *err)
{
    sqlite3_stmt *st = self->log->st[L_FIND];
    if (sqlite3_bind_text(st, 1, sub->id, -1, SQLITE_STATIC) != SQLITE_OK) {
        s_fail(self, err, "bind");
        return STORE_FAILED;
    }
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        int same = sqlite3_column_bytes(st, 0) == 32 &&
                   memcmp(sqlite3_column_blob(st, 0), sub->sha256, 32) == 0;
        *revision = (unsigned)sqlite3_column_int(st, 1);
        sqlite3_reset(st);
        return same ? STORE_DUPLICATE : STORE_CONFLICT;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        s_fail(self, err, "looking up the id");
        return STORE_FAILED;
    }
    return STORE_INSERTED;
}

/* The latest revision of the (förbund, period): STORE_UNCHANGED with its number when the
 * content is the same, else STORE_INSERTED with *revision the next number. */
static store_put_t s_put_latest(store_t *self, const store_submission_t *sub,
                                unsigned *revision, samla_err_t *err)
{
    sqlite3_stmt *st = self->log->st[L_LATEST];
    if (sqlite3_bind_text(st, 1, sub->orgnr, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 2, sub->period, -1, SQLITE_STATIC) != SQLITE_OK) {
        s_fail(self, err, "bind");
        return STORE_FAILED;
    }
    int rc = sqlite3_step(st);
    store_put_t put = STORE_INSERTED;
    *revision = 1;
    if (rc == SQLITE_ROW) {
        unsigned latest = (unsigned)sqlite3_column_int(st, 0);
        bool same = sub->content_sha && sqlite3_column_bytes(st, 1) == 32 &&
                    memcmp(sqlite3_column_blob(st, 1), sub->content_sha, 32) == 0;
        *revision = same ? latest : latest + 1;
        put = same ? STORE_UNCHANGED : STORE_INSERTED;
    } else if (rc != SQLITE_DONE) {
        put = STORE_FAILED;
        s_fail(self, err, "the latest revision");
    }
    sqlite3_reset(st);
    return put;
}

/* The sender's limits against what it has stored: STORE_OVER_LIMIT with the reason in err
 * (for the sender: what, how much, where it is set), else STORE_INSERTED. `day` is today's
 * 00:00 UTC as received_at writes it. */
static store_put_t s_put_limits(store_t *self, const store_submission_t *sub,
                                unsigned revision, const char *day, samla_err_t *err)
{
    const store_limits_t *l = sub->limits;
    if (!l)
        return STORE_INSERTED;
    if (l->revisions_per_month > 0 && (long long)revision > l->revisions_per_month) {
        err_set(err, "%s already has %u revisions of %s, the most samlad takes "
                     "(limits.revisions_per_month); ask samlad's operator",
                sub->orgnr, revision - 1, sub->period);
        return STORE_OVER_LIMIT;
    }
    if (l->bytes_per_day <= 0)
        return STORE_INSERTED;
    sqlite3_stmt *st = self->log->st[L_BYTES];
    if (sqlite3_bind_text(st, 1, sub->orgnr, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 2, day, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_reset(st);
        s_fail(self, err, "what was stored today");
        return STORE_FAILED;
    }
    long long today = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (today + (long long)sub->body_len > l->bytes_per_day) {
        err_set(err, "%s has stored %lld MB today, the most samlad takes "
                     "(limits.megabytes_per_day); send again tomorrow or ask samlad's operator",
                sub->orgnr, today / 1000000);
        return STORE_OVER_LIMIT;
    }
    return STORE_INSERTED;
}

store_put_t store_put(store_t *self, const store_submission_t *sub, store_receipt_t *r,
                      samla_err_t *err)
{
    store_put_t put;
    unsigned *revision = &r->revision;
    if ((put = s_put_known(self, sub, revision, err)) != STORE_INSERTED ||
        (put = s_put_latest(self, sub, revision, err)) != STORE_INSERTED)
        return put;
    char day[32];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(r->received_at, sizeof r->received_at, "%Y-%m-%dT%H:%M:%SZ", &tm);
    strftime(day, sizeof day, "%Y-%m-%dT00:00:00Z", &tm);
    if ((put = s_put_limits(self, sub, *revision, day, err)) != STORE_INSERTED)
        return put;
    sqlite3_stmt *st = self->log->st[L_INSERT];
    if (sqlite3_bind_text(st, 1, sub->id, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 2, sub->sha256, 32, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 3, sub->orgnr, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 4, sub->period, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int(st, 5, (int)*revision) != SQLITE_OK ||
        sqlite3_bind_text(st, 6, r->received_at, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 7, sub->key_fingerprint, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 8, sub->body, (int)sub->body_len, SQLITE_STATIC) != SQLITE_OK ||
        (sub->content_sha ? sqlite3_bind_blob(st, 9, sub->content_sha, 32, SQLITE_STATIC)
                          : sqlite3_bind_null(st, 9)) != SQLITE_OK ||
        storeimpl_run(self, st, err, "storing the submission"))
        return STORE_FAILED;
    return STORE_INSERTED;
}

int store_status(store_t *self, const char *from, const char *to, store_status_fn fn,
                 void *arg, samla_err_t *err)
{
    sqlite3_stmt *st = self->log->st[L_STATUS];
    if (sqlite3_bind_text(st, 1, from, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
        sqlite3_bind_text(st, 2, to, -1, SQLITE_TRANSIENT) != SQLITE_OK)
        return s_fail(self, err, "bind");
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *orgnr = (const char *)sqlite3_column_text(st, 0);
        const char *period = (const char *)sqlite3_column_text(st, 1);
        const char *last = (const char *)sqlite3_column_text(st, 3);
        const char *flag = (const char *)sqlite3_column_text(st, 4);
        if (orgnr && period)
            fn(arg, orgnr, period, (unsigned)sqlite3_column_int(st, 2), last ? last : "", flag);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : s_fail(self, err, "reading the status");
}

int store_flag(store_t *self, const char *id, const char *reason, samla_err_t *err)
{
    sqlite3_stmt *st = self->log->st[L_FLAG];
    if (sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
        sqlite3_bind_text(st, 2, reason, -1, SQLITE_TRANSIENT) != SQLITE_OK)
        return s_fail(self, err, "bind");
    return storeimpl_run(self, self->log->st[L_FLAG], err, "storing a flag");
}

int store_each(store_t *self, store_log_fn fn, void *arg, samla_err_t *err)
{
    sqlite3_stmt *st = self->log->st[L_EACH];
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        store_logged_t l = {
            .id = (const char *)sqlite3_column_text(st, 0),
            .orgnr = (const char *)sqlite3_column_text(st, 1),
            .period = (const char *)sqlite3_column_text(st, 2),
            .revision = (unsigned)sqlite3_column_int64(st, 3),
            .received_at = (const char *)sqlite3_column_text(st, 4),
            .body = sqlite3_column_blob(st, 5),
            .body_len = (size_t)sqlite3_column_bytes(st, 5),
            .latest = sqlite3_column_int(st, 6) != 0,
        };
        if (!l.id || !l.orgnr || !l.period || !l.received_at) {
            log_event(LOG_LVL_WARN, "rederive.skip", "reason=\"a log row without its keys\"");
            continue;
        }
        if (fn(arg, &l)) {
            sqlite3_reset(st);
            return -1;
        }
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : s_fail(self, err, "reading the log");
}
