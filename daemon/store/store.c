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

/* The layers in the order they are opened (and closed in reverse): the log first; the
 * consolidated layer registers the metrics this version knows. */
static const storeimpl_layer_t *const s_layers[] = {
    &storelog_layer, &storedet_layer, &storecons_layer, &storereg_layer,
};
#define S_LAYERS (sizeof s_layers / sizeof s_layers[0])

int storeimpl_prepare(store_t *s, const char *const *sql, size_t n, sqlite3_stmt **st,
                      samla_err_t *err)
{
    for (size_t i = 0; i < n; i++)
        if (sqlite3_prepare_v3(s->db, sql[i], -1, SQLITE_PREPARE_PERSISTENT, &st[i], NULL) !=
            SQLITE_OK)
            return s_fail(s, err, "preparing statements");
    return 0;
}

void storeimpl_finalize(sqlite3_stmt **st, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        sqlite3_finalize(st[i]);
        st[i] = NULL;
    }
}

void *storeimpl_layer_new(store_t *s, size_t size, const char *const *sql, size_t n,
                          samla_err_t *err)
{
    void *state = calloc(1, size);
    if (!state) {
        err_set(err, "out of memory");
        return NULL;
    }
    /* the statements are the state's first member (C11 6.7.2.1: a pointer to a struct
     * points to its first member) */
    if (storeimpl_prepare(s, sql, n, state, err)) {
        storeimpl_layer_free(state, n);
        return NULL;
    }
    return state;
}

void storeimpl_layer_free(void *state, size_t n)
{
    if (state)
        storeimpl_finalize(state, n);
    free(state);
}

static int s_prepare_all(store_t *s, bool writer, samla_err_t *err)
{
    if (sqlite3_prepare_v3(s->db, "BEGIN IMMEDIATE", -1, SQLITE_PREPARE_PERSISTENT, &s->begin,
                           NULL) != SQLITE_OK ||
        sqlite3_prepare_v3(s->db, "COMMIT", -1, SQLITE_PREPARE_PERSISTENT, &s->commit,
                           NULL) != SQLITE_OK)
        return s_fail(s, err, "preparing statements");
    for (size_t i = 0; i < S_LAYERS; i++)
        if (s_layers[i]->open(s, writer, err))
            return -1;
    return 0;
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
    if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) !=
        SQLITE_OK) {
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
    for (size_t i = S_LAYERS; i-- > 0;)
        s_layers[i]->close(s);
    sqlite3_finalize(s->begin);
    sqlite3_finalize(s->commit);
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
    return storeimpl_run(self, self->begin, err, "BEGIN");
}

int store_commit(store_t *self, samla_err_t *err)
{
    return storeimpl_run(self, self->commit, err, "COMMIT");
}

void store_rollback(store_t *self)
{
    if (!sqlite3_get_autocommit(self->db))
        sqlite3_exec(self->db, "ROLLBACK", NULL, NULL, NULL);
}

/* --- rederive ------------------------------------------------------------------------- */

static const char SQL_NEEDS_REDERIVE[] = "SELECT 1 FROM meta WHERE key = 'rederive'";
static const char SQL_REDERIVE_DONE[] = "DELETE FROM meta WHERE key = 'rederive'";

bool store_needs_rederive(store_t *self)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(self->db, SQL_NEEDS_REDERIVE, -1, &st, NULL) != SQLITE_OK)
        return false;
    bool needed = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return needed;
}

int store_clear_derived(store_t *self, samla_err_t *err)
{
    for (size_t i = S_LAYERS; i-- > 0;)
        if (s_layers[i]->clear && s_layers[i]->clear(self, err))
            return -1;
    if (sqlite3_exec(self->db, SQL_REDERIVE_DONE, NULL, NULL, NULL) != SQLITE_OK)
        return s_fail(self, err, "clearing the rederive request");
    return 0;
}
