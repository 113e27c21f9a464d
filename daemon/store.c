#include "store.h"

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
    /* 2: figures as one row of columns per submission instead of one row per figure:
     * a thirtieth of the rows to write at ingest and to read for every query. */
    "CREATE TABLE figures ("
    "  submission_id TEXT PRIMARY KEY REFERENCES submission(id),"
    "  has_ledger INTEGER NOT NULL DEFAULT 0,"
    "  has_cost_areas INTEGER NOT NULL DEFAULT 0,"
    "  has_participants INTEGER NOT NULL DEFAULT 0,"
    "  contributions_state INTEGER NOT NULL DEFAULT 0,"
    "  contributions_region INTEGER NOT NULL DEFAULT 0,"
    "  contributions_municipalities INTEGER NOT NULL DEFAULT 0,"
    "  external_funding INTEGER NOT NULL DEFAULT 0,"
    "  other_income INTEGER NOT NULL DEFAULT 0,"
    "  costs_activity INTEGER NOT NULL DEFAULT 0,"
    "  costs_personnel INTEGER NOT NULL DEFAULT 0,"
    "  costs_premises INTEGER NOT NULL DEFAULT 0,"
    "  costs_other INTEGER NOT NULL DEFAULT 0,"
    "  financial_income INTEGER NOT NULL DEFAULT 0,"
    "  financial_costs INTEGER NOT NULL DEFAULT 0,"
    "  fixed_assets INTEGER NOT NULL DEFAULT 0,"
    "  current_receivables INTEGER NOT NULL DEFAULT 0,"
    "  cash INTEGER NOT NULL DEFAULT 0,"
    "  equity INTEGER NOT NULL DEFAULT 0,"
    "  long_term_liabilities INTEGER NOT NULL DEFAULT 0,"
    "  current_liabilities INTEGER NOT NULL DEFAULT 0,"
    "  budget_costs INTEGER NOT NULL DEFAULT 0,"
    "  budget_income INTEGER NOT NULL DEFAULT 0,"
    "  cost_admin INTEGER NOT NULL DEFAULT 0,"
    "  cost_structural INTEGER NOT NULL DEFAULT 0,"
    "  cost_individual INTEGER NOT NULL DEFAULT 0,"
    "  cost_other_areas INTEGER NOT NULL DEFAULT 0,"
    "  p_start INTEGER NOT NULL DEFAULT 0,"
    "  p_new INTEGER NOT NULL DEFAULT 0,"
    "  p_ended INTEGER NOT NULL DEFAULT 0,"
    "  p_end INTEGER NOT NULL DEFAULT 0,"
    "  p_women INTEGER NOT NULL DEFAULT 0,"
    "  p_men INTEGER NOT NULL DEFAULT 0,"
    "  p_work_or_studies INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;"
    "INSERT INTO figures (submission_id, "
    "has_ledger, "
    "has_cost_areas, "
    "has_participants, "
    "contributions_state, "
    "contributions_region, "
    "contributions_municipalities, "
    "external_funding, "
    "other_income, "
    "costs_activity, "
    "costs_personnel, "
    "costs_premises, "
    "costs_other, "
    "financial_income, "
    "financial_costs, "
    "fixed_assets, "
    "current_receivables, "
    "cash, "
    "equity, "
    "long_term_liabilities, "
    "current_liabilities, "
    "budget_costs, "
    "budget_income, "
    "cost_admin, "
    "cost_structural, "
    "cost_individual, "
    "cost_other_areas, "
    "p_start, "
    "p_new, "
    "p_ended, "
    "p_end, "
    "p_women, "
    "p_men, "
    "p_work_or_studies)"
    " SELECT submission_id, "
    "COALESCE(MAX(CASE name WHEN 'has_ledger' THEN value END), 0), "
    "COALESCE(MAX(CASE name WHEN 'has_cost_areas' THEN value END), 0), "
    "COALESCE(MAX(CASE name WHEN 'has_participants' THEN value END), 0), "
    "COALESCE(MAX(CASE name WHEN 'contributions_state' THEN value END), 0), "
    "COALESCE(MAX(CASE name WHEN 'contributions_region' THEN value END), 0), "
    "COALESCE(MAX(CASE name WHEN 'contributions_municipalities' THEN value END), 0), "
    "COALESCE(MAX(CASE name WHEN 'external_funding' THEN value END), 0), "
    "COALESCE(MAX(CASE name WHEN 'other_income' THEN value END), 0), "
    "COALESCE(MAX(CASE name WHEN 'costs_activity' THEN value END), 0), "
    "COALESCE(MAX(CASE name WHEN 'costs_personnel' THEN value END), 0), "
    "COALESCE(MAX(CASE name WHEN 'costs_premises' THEN value END), 0), "
    "COALESCE(MAX(CASE name WHEN 'costs_other' THEN value END), 0), "
    "COALESCE(MAX(CASE name WHEN 'financial_income' THEN value END), 0), "
    "COALESCE(MAX(CASE name WHEN 'financial_costs' THEN value END), 0), "
    "COALESCE(MAX(CASE name WHEN 'fixed_assets' THEN value END), 0), "
    "COALESCE(MAX(CASE name WHEN 'current_receivables' THEN value END), 0), "
    "COALESCE(MAX(CASE name WHEN 'cash' THEN value END), 0), "
    "COALESCE(MAX(CASE name WHEN 'equity' THEN value END), 0), "
    "COALESCE(MAX(CASE name WHEN 'long_term_liabilities' THEN value END), 0), "
    "COALESCE(MAX(CASE name WHEN 'current_liabilities' THEN value END), 0), "
    "COALESCE(MAX(CASE name WHEN 'budget_costs' THEN value END), 0), "
    "COALESCE(MAX(CASE name WHEN 'budget_income' THEN value END), 0), "
    "COALESCE(MAX(CASE name WHEN 'cost_admin' THEN value END), 0), "
    "COALESCE(MAX(CASE name WHEN 'cost_structural' THEN value END), 0), "
    "COALESCE(MAX(CASE name WHEN 'cost_individual' THEN value END), 0), "
    "COALESCE(MAX(CASE name WHEN 'cost_other_areas' THEN value END), 0), "
    "COALESCE(MAX(CASE name WHEN 'p_start' THEN value END), 0), "
    "COALESCE(MAX(CASE name WHEN 'p_new' THEN value END), 0), "
    "COALESCE(MAX(CASE name WHEN 'p_ended' THEN value END), 0), "
    "COALESCE(MAX(CASE name WHEN 'p_end' THEN value END), 0), "
    "COALESCE(MAX(CASE name WHEN 'p_women' THEN value END), 0), "
    "COALESCE(MAX(CASE name WHEN 'p_men' THEN value END), 0), "
    "COALESCE(MAX(CASE name WHEN 'p_work_or_studies' THEN value END), 0)"
    " FROM figure GROUP BY submission_id;"
    "DROP TABLE figure;",
    /* 3: why a revision is doubtful (its participant counts to date fell below the
     * previous month's): shown by `status`, kept with the revision it concerns. */
    "CREATE TABLE flag ("
    "  submission_id TEXT PRIMARY KEY REFERENCES submission(id),"
    "  reason TEXT NOT NULL) WITHOUT ROWID;",
};
#define N_MIGRATIONS (sizeof SQL_MIGRATIONS / sizeof SQL_MIGRATIONS[0])
_Static_assert(N_MIGRATIONS == STORE_SCHEMA_VERSION, "store.h's STORE_SCHEMA_VERSION is the "
                                                     "number of migrations");

static const char SQL_FIND_ID[] = "SELECT sha256, revision FROM submission WHERE id = ?1";
static const char SQL_NEXT_REVISION[] =
    "SELECT COALESCE(MAX(revision), 0) + 1 FROM submission WHERE orgnr = ?1 AND period = ?2";
static const char SQL_INSERT[] =
    "INSERT INTO submission (id, sha256, orgnr, period, revision, received_at,"
    " key_fingerprint, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
/* The columns of figures, in figure_fields order (common/figures.c); the store's tests
 * write and read every field to keep the two in step. */
static const char SQL_INSERT_FIGURE[] =
    "INSERT INTO figures (submission_id, has_ledger, has_cost_areas, "
    "has_participants, contributions_state, contributions_region, "
    "contributions_municipalities, external_funding, other_income, costs_activity, "
    "costs_personnel, costs_premises, costs_other, financial_income, financial_costs, "
    "fixed_assets, current_receivables, cash, equity, long_term_liabilities, "
    "current_liabilities, budget_costs, budget_income, cost_admin, cost_structural, "
    "cost_individual, cost_other_areas, p_start, p_new, p_ended, p_end, p_women, p_men, "
    "p_work_or_studies) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
    "?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, "
    "?31, ?32, ?33, ?34)";
static const char SQL_LATEST[] =
    "SELECT s.orgnr, s.revision, f.has_ledger, f.has_cost_areas, "
    "f.has_participants, f.contributions_state, f.contributions_region, "
    "f.contributions_municipalities, f.external_funding, f.other_income, f.costs_activity, "
    "f.costs_personnel, f.costs_premises, f.costs_other, f.financial_income, "
    "f.financial_costs, f.fixed_assets, f.current_receivables, f.cash, f.equity, "
    "f.long_term_liabilities, f.current_liabilities, f.budget_costs, f.budget_income, "
    "f.cost_admin, f.cost_structural, f.cost_individual, f.cost_other_areas, f.p_start, "
    "f.p_new, f.p_ended, f.p_end, f.p_women, f.p_men, f.p_work_or_studies FROM submission "
    "s JOIN figures f ON f.submission_id = s.id WHERE s.period = ?1 AND s.revision = "
    "(SELECT MAX(revision) FROM submission WHERE orgnr = s.orgnr AND period = ?1) ORDER BY "
    "s.orgnr";

/* Per (förbund, month): revisions, the last arrival, and the flag of the latest revision
 * (a corrected revision clears what was doubtful about the one before). */
static const char SQL_STATUS[] =
    "SELECT g.orgnr, g.period, g.n, g.last, fl.reason FROM (SELECT orgnr, period, COUNT(*)"
    " AS n, MAX(received_at) AS last, MAX(revision) AS rev FROM submission WHERE period"
    " BETWEEN ?1 AND ?2 GROUP BY orgnr, period) g JOIN submission s ON s.orgnr = g.orgnr"
    " AND s.period = g.period AND s.revision = g.rev LEFT JOIN flag fl ON fl.submission_id"
    " = s.id ORDER BY g.orgnr, g.period";
static const char SQL_FLAG[] = "INSERT OR REPLACE INTO flag (submission_id, reason) VALUES (?1, ?2)";
static const char SQL_FIGURES[] =
    "SELECT s.revision, f.has_ledger, f.has_cost_areas, f.has_participants, "
    "f.contributions_state, f.contributions_region, f.contributions_municipalities, "
    "f.external_funding, f.other_income, f.costs_activity, f.costs_personnel, "
    "f.costs_premises, f.costs_other, f.financial_income, f.financial_costs, "
    "f.fixed_assets, f.current_receivables, f.cash, f.equity, f.long_term_liabilities, "
    "f.current_liabilities, f.budget_costs, f.budget_income, f.cost_admin, "
    "f.cost_structural, f.cost_individual, f.cost_other_areas, f.p_start, f.p_new, "
    "f.p_ended, f.p_end, f.p_women, f.p_men, f.p_work_or_studies FROM submission s JOIN "
    "figures f ON f.submission_id = s.id WHERE s.orgnr = ?1 AND s.period = ?2 AND "
    "s.revision = CASE WHEN ?3 > 0 THEN ?3 ELSE (SELECT MAX(revision) FROM submission "
    "WHERE orgnr = ?1 AND period = ?2) END";

/* --- the store ------------------------------------------------------------------------- */

enum {
    ST_FIND, ST_NEXT, ST_INSERT, ST_FIGURE, ST_LATEST, ST_BEGIN, ST_COMMIT, ST_STATUS,
    ST_FIGURES, ST_FLAG, ST_COUNT
};

/* The files SQLite writes for one database: if any of them is no longer the file at its
 * path (deleted, renamed, replaced), what we commit goes to a ghost and is lost at the
 * next restart. They are checked before every acknowledgement. */
enum { F_MAIN, F_WAL, F_SHM, F_COUNT };
static const char *const s_suffix[F_COUNT] = {"", "-wal", "-shm"};

typedef struct {
    bool known;
    dev_t dev;
    ino_t ino;
} s_ident_t;

struct store_s {
    sqlite3 *db;
    sqlite3_stmt *st[ST_COUNT];
    char *path;
    s_ident_t ident[F_COUNT];
    long long wal_cap;       /* bytes; 0: no cap */
    bool lost;               /* a file was found moved: sticky, nothing more is promised */
};

static int s_fail(store_t *s, samla_err_t *err, const char *what)
{
    return err_set(err, "%s: %s", what, sqlite3_errmsg(s->db));
}

/* The figures columns of a result row, from column `first` on, in figure_fields order.
 * A row beyond the bounds ingest now enforces (stored by a version that did not check)
 * reads as a submission without data: its metrics are null, and none can overflow. */
static void s_columns(sqlite3_stmt *st, int first, figures_t *f)
{
    for (size_t i = 0; i < figure_field_count; i++)
        *figures_field(f, i) = sqlite3_column_int64(st, first + (int)i);
    if (!figures_in_bounds(f)) {
        log_event(LOG_LVL_WARN, "store.out_of_bounds",
                  "reason=\"a stored submission holds figures beyond the bounds; its metrics "
                  "are shown as null\"");
        memset(f, 0, sizeof *f);
    }
}

static int s_file_path(const store_t *s, int k, char *buf, size_t size)
{
    return (size_t)snprintf(buf, size, "%s%s", s->path, s_suffix[k]) < size ? 0 : -1;
}

static void s_identify(store_t *s, int k)
{
    char p[4096];
    struct stat st;
    if (s_file_path(s, k, p, sizeof p) == 0 && stat(p, &st) == 0 && S_ISREG(st.st_mode))
        s->ident[k] = (s_ident_t){true, st.st_dev, st.st_ino};
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

static const char *const s_sql[ST_COUNT] = {SQL_FIND_ID, SQL_NEXT_REVISION, SQL_INSERT,
                                             SQL_INSERT_FIGURE, SQL_LATEST, "BEGIN IMMEDIATE",
                                             "COMMIT", SQL_STATUS, SQL_FIGURES, SQL_FLAG};

static int s_prepare_all(store_t *s, samla_err_t *err)
{
    for (int i = 0; i < ST_COUNT; i++)
        if (sqlite3_prepare_v3(s->db, s_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &s->st[i],
                               NULL) != SQLITE_OK)
            return s_fail(s, err, "preparing statements");
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
    if (s_prepare_all(s, err))
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
    if (sqlite3_exec(s->db, "PRAGMA cache_size=-65536", NULL, NULL, NULL) != SQLITE_OK ||
        s_prepare_all(s, err)) {
        s_fail(s, err, path);
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
    free(s->path);
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
    int bad = sqlite3_bind_text(st, 1, sub->id, -1, SQLITE_STATIC) != SQLITE_OK;
    for (size_t i = 0; i < figure_field_count && !bad; i++)
        bad = sqlite3_bind_int64(st, (int)i + 2, *figures_field((figures_t *)sub->figures, i)) !=
              SQLITE_OK;
    if (bad) {
        s_fail(self, err, "binding the figures");
        return STORE_FAILED;
    }
    if (s_run(self, ST_FIGURE, err, "storing the figures"))
        return STORE_FAILED;
    return STORE_INSERTED;
}

int store_latest(store_t *self, const char *period, store_figures_fn fn, void *arg,
                 samla_err_t *err)
{
    sqlite3_stmt *st = self->st[ST_LATEST];
    if (sqlite3_bind_text(st, 1, period, -1, SQLITE_TRANSIENT) != SQLITE_OK)
        return s_fail(self, err, "bind");
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *orgnr = (const char *)sqlite3_column_text(st, 0);
        figures_t f;
        s_columns(st, 2, &f);
        if (orgnr)
            fn(arg, orgnr, (unsigned)sqlite3_column_int(st, 1), &f);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : s_fail(self, err, "reading figures");
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
    return s_run(self, ST_FLAG, err, "storing a flag");
}

int store_figures(store_t *self, const char *orgnr, const char *period, unsigned revision,
                  figures_t *f, unsigned *got, samla_err_t *err)
{
    sqlite3_stmt *st = self->st[ST_FIGURES];
    if (sqlite3_bind_text(st, 1, orgnr, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
        sqlite3_bind_text(st, 2, period, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
        sqlite3_bind_int64(st, 3, (sqlite3_int64)revision) != SQLITE_OK)
        return s_fail(self, err, "bind");
    memset(f, 0, sizeof *f);
    int rc, found = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        found = 1;
        *got = (unsigned)sqlite3_column_int(st, 0);
        s_columns(st, 1, f);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? found : s_fail(self, err, "reading figures");
}

/* Whether dest (if it exists) is the live database or one of its -wal/-shm files, by
 * device and inode, so that neither a symlink nor another spelling of the path gets by. */
static bool s_is_live(const char *path, const char *dest)
{
    struct stat d;
    if (stat(dest, &d) != 0)
        return false;
    for (int k = 0; k < F_COUNT; k++) {
        char p[4096];
        struct stat st;
        if ((size_t)snprintf(p, sizeof p, "%s%s", path, s_suffix[k]) < sizeof p &&
            stat(p, &st) == 0 && st.st_dev == d.st_dev && st.st_ino == d.st_ino)
            return true;
    }
    return false;
}

static int s_fsync_parent(const char *file)
{
    char buf[4096];
    if ((size_t)snprintf(buf, sizeof buf, "%s", file) >= sizeof buf)
        return -1;
    int fd = open(dirname(buf), O_RDONLY | O_DIRECTORY);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

int store_backup(const char *path, const char *dest, long long *submissions, samla_err_t *err)
{
    struct stat dst_st;
    if (s_is_live(path, dest))
        return err_set(err, "%s is the live database %s (or its -wal or -shm): a backup must "
                            "go to another file", dest, path);
    if (stat(dest, &dst_st) == 0 && !S_ISREG(dst_st.st_mode))
        return err_set(err, "%s exists and is not a regular file", dest);
    char tmp[4096];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.XXXXXX", dest) >= sizeof tmp)
        return err_set(err, "backup path too long");
    /* A fresh file of our own (O_EXCL, 0600: the copy holds every förbund's books); never
     * a file that exists, so no link planted at the temp name can redirect the copy. */
    int tfd = mkstemp(tmp);
    if (tfd < 0)
        return err_set(err, "cannot create a file beside %s: %s", dest, strerror(errno));
    sqlite3 *src = NULL, *dst = NULL;
    int rc = -1;
    if (sqlite3_open_v2(path, &src, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        err_set(err, "cannot open %s: %s", path, src ? sqlite3_errmsg(src) : "out of memory");
        goto done;
    }
    sqlite3_busy_timeout(src, 5000);
    if (sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        err_set(err, "cannot open %s: %s", tmp, dst ? sqlite3_errmsg(dst) : "out of memory");
        goto done;
    }
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
    if (!b) {
        err_set(err, "backup: %s", sqlite3_errmsg(dst));
        goto done;
    }
    int step = sqlite3_backup_step(b, -1); /* all pages in one read transaction */
    sqlite3_backup_finish(b);
    if (step != SQLITE_DONE) {
        err_set(err, "backup: %s", sqlite3_errstr(step));
        goto done;
    }
    sqlite3_stmt *st;
    const char *ok = NULL;
    if (sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(dst, "PRAGMA integrity_check", -1, &st, NULL) != SQLITE_OK) {
        err_set(err, "checking the copy: %s", sqlite3_errmsg(dst));
        goto done;
    }
    if (sqlite3_step(st) == SQLITE_ROW)
        ok = (const char *)sqlite3_column_text(st, 0);
    int good = ok && strcmp(ok, "ok") == 0;
    sqlite3_finalize(st);
    if (!good) {
        err_set(err, "the copy fails its integrity check");
        goto done;
    }
    if (sqlite3_prepare_v2(dst, "SELECT COUNT(*) FROM submission", -1, &st, NULL) == SQLITE_OK) {
        *submissions = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
        sqlite3_finalize(st);
    }
    sqlite3_close(dst);
    dst = NULL;
    /* Checked again just before the rename: the destination may have changed meanwhile. */
    if (s_is_live(path, dest)) {
        err_set(err, "%s is the live database %s: a backup must go to another file", dest,
                path);
        goto done;
    }
    if (fsync(tfd) != 0 || rename(tmp, dest) != 0 || s_fsync_parent(dest) != 0) {
        err_set(err, "cannot put the copy in place at %s: %s", dest, strerror(errno));
        goto done;
    }
    rc = 0;
done:
    close(tfd);
    if (dst)
        sqlite3_close(dst);
    if (src)
        sqlite3_close(src);
    if (rc)
        unlink(tmp);
    return rc;
}
