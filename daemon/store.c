#include "store.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* --- SQL ------------------------------------------------------------------------------ */

static const char SQL_PRAGMAS[] =
    "PRAGMA journal_mode=WAL;"
    "PRAGMA synchronous=FULL;"
    "PRAGMA foreign_keys=ON;";

/* Migrations, one per schema version; migration i takes version i to i + 1. */
static const char *const SQL_MIGRATIONS[] = {
    "CREATE TABLE submission ("
    "  id TEXT PRIMARY KEY,"
    "  sha256 BLOB NOT NULL,"
    "  orgnr TEXT NOT NULL,"
    "  period TEXT NOT NULL,"
    "  revision INTEGER NOT NULL,"
    "  received_at TEXT NOT NULL,"
    "  key_fingerprint TEXT NOT NULL,"
    "  body BLOB NOT NULL,"
    "  UNIQUE (orgnr, period, revision));"
    "CREATE TABLE figure ("
    "  submission_id TEXT NOT NULL REFERENCES submission(id),"
    "  name TEXT NOT NULL,"
    "  value INTEGER NOT NULL,"
    "  PRIMARY KEY (submission_id, name)) WITHOUT ROWID;",
};
#define N_MIGRATIONS (sizeof SQL_MIGRATIONS / sizeof SQL_MIGRATIONS[0])

static const char SQL_FIND_ID[] = "SELECT sha256, revision FROM submission WHERE id = ?1";
static const char SQL_NEXT_REVISION[] =
    "SELECT COALESCE(MAX(revision), 0) + 1 FROM submission WHERE orgnr = ?1 AND period = ?2";
static const char SQL_INSERT[] =
    "INSERT INTO submission (id, sha256, orgnr, period, revision, received_at,"
    " key_fingerprint, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
static const char SQL_INSERT_FIGURE[] =
    "INSERT INTO figure (submission_id, name, value) VALUES (?1, ?2, ?3)";
static const char SQL_LATEST[] =
    "SELECT s.orgnr, s.revision, f.name, f.value"
    "  FROM submission s JOIN figure f ON f.submission_id = s.id"
    " WHERE s.period = ?1"
    "   AND s.revision = (SELECT MAX(revision) FROM submission"
    "                      WHERE orgnr = s.orgnr AND period = ?1)"
    " ORDER BY s.orgnr";

static const char SQL_STATUS[] =
    "SELECT orgnr, period, COUNT(*), MAX(received_at) FROM submission"
    " WHERE period BETWEEN ?1 AND ?2 GROUP BY orgnr, period ORDER BY orgnr, period";
static const char SQL_FIGURES[] =
    "SELECT s.revision, f.name, f.value"
    "  FROM submission s JOIN figure f ON f.submission_id = s.id"
    " WHERE s.orgnr = ?1 AND s.period = ?2"
    "   AND s.revision = CASE WHEN ?3 > 0 THEN ?3 ELSE"
    "       (SELECT MAX(revision) FROM submission WHERE orgnr = ?1 AND period = ?2) END";

/* --- the store ------------------------------------------------------------------------- */

enum {
    ST_FIND, ST_NEXT, ST_INSERT, ST_FIGURE, ST_LATEST, ST_BEGIN, ST_COMMIT, ST_STATUS,
    ST_FIGURES, ST_COUNT
};

struct store_s {
    sqlite3 *db;
    sqlite3_stmt *st[ST_COUNT];
};

static int s_fail(store_t *s, samla_err_t *err, const char *what)
{
    return err_set(err, "%s: %s", what, sqlite3_errmsg(s->db));
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
    if (version > (int)N_MIGRATIONS)
        return err_set(err, "the database has schema version %d, newer than this samlad "
                            "knows (%d); use a newer samlad or restore a backup",
                       version, (int)N_MIGRATIONS);
    for (int v = version; v < (int)N_MIGRATIONS; v++) {
        char bump[64];
        snprintf(bump, sizeof bump, "PRAGMA user_version = %d;", v + 1);
        if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK ||
            sqlite3_exec(s->db, SQL_MIGRATIONS[v], NULL, NULL, NULL) != SQLITE_OK ||
            sqlite3_exec(s->db, bump, NULL, NULL, NULL) != SQLITE_OK ||
            sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
            int rc = s_fail(s, err, "migrating the schema");
            sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
            return rc;
        }
    }
    return 0;
}

store_t *store_open(const char *path, samla_err_t *err)
{
    store_t *s = calloc(1, sizeof *s);
    if (!s) {
        err_set(err, "out of memory");
        return NULL;
    }
    static const char *const sql[ST_COUNT] = {SQL_FIND_ID, SQL_NEXT_REVISION, SQL_INSERT,
                                               SQL_INSERT_FIGURE, SQL_LATEST, "BEGIN IMMEDIATE",
                                               "COMMIT", SQL_STATUS, SQL_FIGURES};
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
    for (int i = 0; i < ST_COUNT; i++)
        if (sqlite3_prepare_v3(s->db, sql[i], -1, SQLITE_PREPARE_PERSISTENT, &s->st[i], NULL) !=
            SQLITE_OK) {
            s_fail(s, err, "preparing statements");
            goto fail;
        }
    return s;
fail:
    store_close(&s);
    return NULL;
}

void store_close(store_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    store_t *s = *self_p;
    for (int i = 0; i < ST_COUNT; i++)
        sqlite3_finalize(s->st[i]);
    sqlite3_close(s->db);
    free(s);
    *self_p = NULL;
}

static int s_run(store_t *s, int which, samla_err_t *err, const char *what)
{
    sqlite3_stmt *st = s->st[which];
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

int store_begin(store_t *self, samla_err_t *err)
{
    return s_run(self, ST_BEGIN, err, "BEGIN");
}

int store_commit(store_t *self, samla_err_t *err)
{
    return s_run(self, ST_COMMIT, err, "COMMIT");
}

void store_rollback(store_t *self)
{
    if (!sqlite3_get_autocommit(self->db))
        sqlite3_exec(self->db, "ROLLBACK", NULL, NULL, NULL);
}

store_put_t store_put(store_t *self, const store_submission_t *sub, unsigned *revision,
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
    st = self->st[ST_NEXT];
    if (sqlite3_bind_text(st, 1, sub->orgnr, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 2, sub->period, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_reset(st);
        s_fail(self, err, "next revision");
        return STORE_FAILED;
    }
    *revision = (unsigned)sqlite3_column_int(st, 0);
    sqlite3_reset(st);
    char now[32];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
    st = self->st[ST_INSERT];
    if (sqlite3_bind_text(st, 1, sub->id, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 2, sub->sha256, 32, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 3, sub->orgnr, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 4, sub->period, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int(st, 5, (int)*revision) != SQLITE_OK ||
        sqlite3_bind_text(st, 6, now, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
        sqlite3_bind_text(st, 7, sub->key_fingerprint, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 8, sub->body, (int)sub->body_len, SQLITE_STATIC) != SQLITE_OK ||
        s_run(self, ST_INSERT, err, "storing the submission"))
        return STORE_FAILED;
    st = self->st[ST_FIGURE];
    for (size_t i = 0; i < figure_field_count; i++) {
        int64_t v = *figures_field((figures_t *)sub->figures, i);
        if (sqlite3_bind_text(st, 1, sub->id, -1, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_text(st, 2, figure_fields[i].name, -1, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_int64(st, 3, v) != SQLITE_OK ||
            s_run(self, ST_FIGURE, err, "storing the figures"))
            return STORE_FAILED;
    }
    return STORE_INSERTED;
}

int store_latest(store_t *self, const char *period, store_figures_fn fn, void *arg,
                 samla_err_t *err)
{
    sqlite3_stmt *st = self->st[ST_LATEST];
    if (sqlite3_bind_text(st, 1, period, -1, SQLITE_TRANSIENT) != SQLITE_OK)
        return s_fail(self, err, "bind");
    figures_t f;
    char orgnr[16] = "";
    unsigned revision = 0;
    int rc;
    memset(&f, 0, sizeof f);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *o = (const char *)sqlite3_column_text(st, 0);
        if (!o)
            continue;
        if (orgnr[0] && strcmp(o, orgnr) != 0) {
            fn(arg, orgnr, revision, &f);
            memset(&f, 0, sizeof f);
        }
        snprintf(orgnr, sizeof orgnr, "%s", o);
        revision = (unsigned)sqlite3_column_int(st, 1);
        const char *name = (const char *)sqlite3_column_text(st, 2);
        int64_t *slot = name ? figures_by_name(&f, name) : NULL;
        if (slot)
            *slot = sqlite3_column_int64(st, 3);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return s_fail(self, err, "reading figures");
    if (orgnr[0])
        fn(arg, orgnr, revision, &f);
    return 0;
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
        if (orgnr && period)
            fn(arg, orgnr, period, (unsigned)sqlite3_column_int(st, 2), last ? last : "");
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : s_fail(self, err, "reading the status");
}

int store_figures(store_t *self, const char *orgnr, const char *period, unsigned revision,
                  figures_t *f, unsigned *got, samla_err_t *err)
{
    sqlite3_stmt *st = self->st[ST_FIGURES];
    if (sqlite3_bind_text(st, 1, orgnr, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
        sqlite3_bind_text(st, 2, period, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
        sqlite3_bind_int(st, 3, (int)revision) != SQLITE_OK)
        return s_fail(self, err, "bind");
    memset(f, 0, sizeof *f);
    int rc, found = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        found = 1;
        *got = (unsigned)sqlite3_column_int(st, 0);
        const char *name = (const char *)sqlite3_column_text(st, 1);
        int64_t *slot = name ? figures_by_name(f, name) : NULL;
        if (slot)
            *slot = sqlite3_column_int64(st, 2);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? found : s_fail(self, err, "reading figures");
}
