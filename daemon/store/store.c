#include "storeimpl.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "samla/log.h"

/* --- SQL ------------------------------------------------------------------------------ */

static const char SQL_PRAGMAS[] =
    "PRAGMA journal_mode=WAL;"
    "PRAGMA synchronous=FULL;"
    "PRAGMA foreign_keys=ON;"
    "PRAGMA cache_size=-65536;"; /* 64 MiB: a region's recent months stay in memory */

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
/* --- the store ------------------------------------------------------------------------- */

static const char *const s_suffix[F_COUNT] = {"", "-wal", "-shm"};

int storeimpl_fail(store_t *s, samla_err_t *err, const char *what)
{
    return err_set(err, "%s: %s", what, sqlite3_errmsg(s->db));
}
#define s_fail storeimpl_fail

static int s_file_path(const store_t *s, int k, char *buf, size_t size)
{
    return (size_t)snprintf(buf, size, "%s%s", s->path, s_suffix[k]) < size ? 0 : -1;
}

static void s_identify(store_t *s, int k)
{
    char p[4096];
    struct stat st;
    if (s_file_path(s, k, p, sizeof p) == 0 && stat(p, &st) == 0 && S_ISREG(st.st_mode))
        s->ident[k] = (storeimpl_ident_t){true, st.st_dev, st.st_ino};
}

bool store_lost(const store_t *self)
{
    return self->lost;
}

int store_check_place(store_t *self, samla_err_t *err)
{
    if (self->lost)
        return err_set(err, "the database %s was moved or deleted earlier", self->path);
    for (int k = 0; k < F_COUNT; k++) {
        char p[4096];
        struct stat st;
        if (!self->ident[k].known) { /* not there at open: SQLite creates it on use */
            s_identify(self, k);
            continue;
        }
        if (s_file_path(self, k, p, sizeof p))
            return err_set(err, "database path too long");
        if (stat(p, &st) != 0) {
            self->lost = true;
            return err_set(err, "%s is gone (%s): what samlad writes would be lost", p,
                           strerror(errno));
        }
        if (!S_ISREG(st.st_mode) || st.st_dev != self->ident[k].dev ||
            st.st_ino != self->ident[k].ino) {
            self->lost = true;
            return err_set(err, "%s is no longer the file samlad opened (it was replaced or "
                                "moved): what samlad writes would be lost", p);
        }
    }
    return 0;
}

static int s_migrate(store_t *s, samla_err_t *err)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
        return s_fail(s, err, "reading the schema version");
    int version = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    sqlite3_finalize(st);
    if (version < 0)
        return s_fail(s, err, "reading the schema version");
    if (version > (int)store_migration_count)
        return err_set(err, "the database has schema version %d, newer than this samlad "
                            "knows (%d); use a newer samlad or restore a backup",
                       version, (int)store_migration_count);
    for (int v = version; v < (int)store_migration_count; v++) {
        char bump[64];
        snprintf(bump, sizeof bump, "PRAGMA user_version = %d;", v + 1);
        if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK ||
            sqlite3_exec(s->db, store_migrations[v], NULL, NULL, NULL) != SQLITE_OK ||
            sqlite3_exec(s->db, bump, NULL, NULL, NULL) != SQLITE_OK ||
            sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
            int rc = s_fail(s, err, "migrating the schema");
            sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
            return rc;
        }
    }
    return 0;
}

static const char *const s_sql[ST_COUNT] = {
    [ST_FIND] = SQL_FIND_ID, [ST_NEXT] = SQL_LATEST_REVISION, [ST_INSERT] = SQL_INSERT,
    [ST_BYTES] = SQL_BYTES_SINCE,
    [ST_BEGIN] = "BEGIN IMMEDIATE", [ST_COMMIT] = "COMMIT", [ST_STATUS] = SQL_STATUS,
    [ST_FLAG] = SQL_FLAG};

static int s_prepare_all(store_t *s, bool writer, samla_err_t *err)
{
    for (int i = 0; i < ST_COUNT; i++)
        if (sqlite3_prepare_v3(s->db, s_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &s->st[i],
                               NULL) != SQLITE_OK)
            return s_fail(s, err, "preparing statements");
    return storeimpl_layers_open(s, writer, err);
}

store_t *store_open(const char *path, samla_err_t *err)
{
    store_t *s = calloc(1, sizeof *s);
    if (!s) {
        err_set(err, "out of memory");
        return NULL;
    }
    if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK) {
        err_set(err, "cannot open database %s: %s", path,
                s->db ? sqlite3_errmsg(s->db) : "out of memory");
        goto fail;
    }
    sqlite3_busy_timeout(s->db, 2000);
    if (sqlite3_exec(s->db, SQL_PRAGMAS, NULL, NULL, NULL) != SQLITE_OK) {
        s_fail(s, err, path);
        goto fail;
    }
    if (s_migrate(s, err))
        goto fail;
    if (!(s->path = strdup(path))) {
        err_set(err, "out of memory");
        goto fail;
    }
    /* After the migration's transaction SQLite holds all three files open. */
    for (int k = 0; k < F_COUNT; k++)
        s_identify(s, k);
    if (!s->ident[F_MAIN].known) {
        err_set(err, "cannot stat the database %s just opened: %s", path, strerror(errno));
        goto fail;
    }
    if (s_prepare_all(s, true, err))
        goto fail;
    return s;
fail:
    store_close(&s);
    return NULL;
}

store_t *store_open_readonly(const char *path, samla_err_t *err)
{
    store_t *s = calloc(1, sizeof *s);
    if (!s) {
        err_set(err, "out of memory");
        return NULL;
    }
    if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        err_set(err, "cannot open database %s: %s", path,
                s->db ? sqlite3_errmsg(s->db) : "out of memory");
        goto fail;
    }
    sqlite3_busy_timeout(s->db, 2000);
    /* Pages mapped, not copied by a pread each: a compare reads some 15 000 rows. */
    if (sqlite3_exec(s->db, "PRAGMA cache_size=-65536; PRAGMA mmap_size=1073741824", NULL, NULL,
                     NULL) != SQLITE_OK ||
        s_prepare_all(s, false, err)) {
        s_fail(s, err, path);
        goto fail;
    }
    return s;
fail:
    store_close(&s);
    return NULL;
}

int store_snapshot_begin(store_t *self, int64_t *version, samla_err_t *err)
{
    sqlite3_stmt *st = NULL;
    /* BEGIN alone takes no snapshot, the first read of the file does: that read comes
     * first, so that data_version is the version of the snapshot */
    if (sqlite3_exec(self->db, "BEGIN; SELECT count(*) FROM sqlite_master", NULL, NULL,
                     NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(self->db, "PRAGMA data_version", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        store_snapshot_end(self);
        return s_fail(self, err, "starting a read");
    }
    *version = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return 0;
}

void store_snapshot_end(store_t *self)
{
    if (!sqlite3_get_autocommit(self->db))
        sqlite3_exec(self->db, "ROLLBACK", NULL, NULL, NULL);
}

void store_close(store_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    store_t *s = *self_p;
    for (int i = 0; i < ST_COUNT; i++)
        sqlite3_finalize(s->st[i]);
    storeimpl_layers_close(s);
    sqlite3_close(s->db);
    free(s->path);
    free(s);
    *self_p = NULL;
}

int storeimpl_run(store_t *s, sqlite3_stmt *st, samla_err_t *err, const char *what)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : s_fail(s, err, what);
}

int store_set_max_size(store_t *self, long long mb, samla_err_t *err)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(self->db, "PRAGMA page_size", -1, &st, NULL) != SQLITE_OK)
        return s_fail(self, err, "page_size");
    long long page = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 4096;
    sqlite3_finalize(st);
    /* SQLite's own ceiling when no cap is set */
    long long pages = mb > 0 ? mb * 1024 * 1024 / (page > 0 ? page : 4096) : 4294967294LL;
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA max_page_count = %lld", pages);
    if (sqlite3_exec(self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return s_fail(self, err, "max_page_count");
    return 0;
}

/* The journal limit: what the WAL is cut back to once a checkpoint has emptied it. */
static long long s_journal_limit(long long cap)
{
    long long lim = 64LL << 20;
    return cap > 0 && cap / 4 < lim ? cap / 4 : lim;
}

int store_set_max_wal(store_t *self, long long mb, samla_err_t *err)
{
    self->wal_cap = mb > 0 ? mb << 20 : 0;
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA journal_size_limit = %lld",
             s_journal_limit(self->wal_cap));
    if (sqlite3_exec(self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return s_fail(self, err, "journal_size_limit");
    return 0;
}

static long long s_wal_bytes(const store_t *s)
{
    char p[4096];
    struct stat st;
    if (s_file_path(s, F_WAL, p, sizeof p) || stat(p, &st) != 0)
        return 0;
    return (long long)st.st_size;
}

/* Checkpoints and truncates the WAL if no reader holds it; never waits for one. */
static void s_truncate_wal(store_t *s)
{
    sqlite3_busy_timeout(s->db, 0);
    sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
    sqlite3_busy_timeout(s->db, 2000);
}

void store_maintain(store_t *self)
{
    long long wal = s_wal_bytes(self);
    if (wal <= s_journal_limit(self->wal_cap))
        return;
    s_truncate_wal(self);
    wal = s_wal_bytes(self);
    if (self->wal_cap && wal > self->wal_cap / 2)
        log_event(LOG_LVL_WARN, "wal.large",
                  "bytes=%lld max_wal_mb=%lld reason=\"a reader holds a transaction open; "
                  "the WAL cannot be reset until it ends\"", wal, self->wal_cap >> 20);
}

void store_release_memory(store_t *self)
{
    sqlite3_db_release_memory(self->db);
}

int store_begin(store_t *self, samla_err_t *err)
{
    /* A reader that never ends its transaction (an analyst's SQL tool left open) keeps
     * every later commit in the WAL. Past the cap, nothing more is taken: the agents keep
     * their submissions and resend, and the disk does not fill. */
    if (self->wal_cap && s_wal_bytes(self) > self->wal_cap) {
        s_truncate_wal(self);
        long long wal = s_wal_bytes(self);
        if (wal > self->wal_cap)
            return err_set(err, "the WAL is %lld MiB, over max_wal_mb = %lld: a reader holds "
                                "a transaction open; nothing is taken until it ends",
                           wal >> 20, self->wal_cap >> 20);
    }
    return storeimpl_run(self, self->st[ST_BEGIN], err, "BEGIN");
}

int store_commit(store_t *self, samla_err_t *err)
{
    return storeimpl_run(self, self->st[ST_COMMIT], err, "COMMIT");
}

void store_rollback(store_t *self)
{
    if (!sqlite3_get_autocommit(self->db))
        sqlite3_exec(self->db, "ROLLBACK", NULL, NULL, NULL);
}

/* The id seen before: STORE_DUPLICATE or STORE_CONFLICT with *revision; STORE_INSERTED
 * (meaning: go on) when it is new. */
static store_put_t s_put_known(store_t *self, const store_submission_t *sub, unsigned *revision,
                               samla_err_t *err)
{
    sqlite3_stmt *st = self->st[ST_FIND];
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
    sqlite3_stmt *st = self->st[ST_NEXT];
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
    sqlite3_stmt *st = self->st[ST_BYTES];
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

store_put_t store_put(store_t *self, const store_submission_t *sub, unsigned *revision,
                      samla_err_t *err)
{
    store_put_t put;
    if ((put = s_put_known(self, sub, revision, err)) != STORE_INSERTED ||
        (put = s_put_latest(self, sub, revision, err)) != STORE_INSERTED)
        return put;
    char now[32], day[32];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
    strftime(day, sizeof day, "%Y-%m-%dT00:00:00Z", &tm);
    if ((put = s_put_limits(self, sub, *revision, day, err)) != STORE_INSERTED)
        return put;
    sqlite3_stmt *st = self->st[ST_INSERT];
    if (sqlite3_bind_text(st, 1, sub->id, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 2, sub->sha256, 32, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 3, sub->orgnr, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 4, sub->period, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int(st, 5, (int)*revision) != SQLITE_OK ||
        sqlite3_bind_text(st, 6, now, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
        sqlite3_bind_text(st, 7, sub->key_fingerprint, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 8, sub->body, (int)sub->body_len, SQLITE_STATIC) != SQLITE_OK ||
        (sub->content_sha ? sqlite3_bind_blob(st, 9, sub->content_sha, 32, SQLITE_STATIC)
                          : sqlite3_bind_null(st, 9)) != SQLITE_OK ||
        storeimpl_run(self, self->st[ST_INSERT], err, "storing the submission"))
        return STORE_FAILED;
    store_logged_t logged = {sub->id, sub->orgnr, sub->period, now, *revision, true,
                             sub->body, sub->body_len};
    if (store_derive(self, &logged, sub->sub, sub->figures, sub->metrics, err))
        return STORE_FAILED;
    return STORE_INSERTED;
}

int store_status(store_t *self, const char *from, const char *to, store_status_fn fn,
                 void *arg, samla_err_t *err)
{
    sqlite3_stmt *st = self->st[ST_STATUS];
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
    sqlite3_stmt *st = self->st[ST_FLAG];
    if (sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
        sqlite3_bind_text(st, 2, reason, -1, SQLITE_TRANSIENT) != SQLITE_OK)
        return s_fail(self, err, "bind");
    return storeimpl_run(self, self->st[ST_FLAG], err, "storing a flag");
}
