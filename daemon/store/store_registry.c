/* store_registry: the registry and the targets as they were in force (store_registry.h). */
#include "store_registry.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "samla/wire.h"
#include "storeimpl.h"

#define s_fail storeimpl_fail

static const char SQL_LAST_DIGEST[] =
    "SELECT digest FROM registry_snapshot ORDER BY id DESC LIMIT 1";
static const char SQL_SNAPSHOT_PUT[] =
    "INSERT INTO registry_snapshot (valid_from, digest) VALUES (?1, ?2)";
static const char SQL_MEMBER_PUT[] =
    "INSERT INTO registry_member (snapshot_id, orgnr, name, population_16_64)"
    " VALUES (?1, ?2, ?3, ?4)";
static const char SQL_GROUPING_PUT[] =
    "INSERT OR IGNORE INTO registry_group (snapshot_id, comparison_group, orgnr)"
    " VALUES (?1, ?2, ?3)";

static const char SQL_TARGETS_CLEAR[] = "DELETE FROM target";
static const char SQL_TARGET_PUT[] =
    "INSERT OR REPLACE INTO target (scope, subject, metric, direction, low, high)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

static const char SQL_POPULATION[] =
    "SELECT m.population_16_64 FROM registry_snapshot s JOIN registry_member m"
    " ON m.snapshot_id = s.id AND m.orgnr = ?1"
    /* the last snapshot taken at or before the time, else the first one; snapshots taken
     * within the same second are told apart by id */
    " ORDER BY s.valid_from <= ?2 DESC,"
    " CASE WHEN s.valid_from <= ?2 THEN s.valid_from END DESC,"
    " CASE WHEN s.valid_from <= ?2 THEN s.id END DESC, s.valid_from, s.id LIMIT 1";

enum {
    R_LAST_DIGEST, R_SNAPSHOT_PUT, R_MEMBER_PUT, R_GROUPING_PUT, R_TARGETS_CLEAR, R_TARGET_PUT,
    R_POPULATION, R_COUNT
};

static const char *const s_sql[R_COUNT] = {
    [R_LAST_DIGEST] = SQL_LAST_DIGEST,     [R_SNAPSHOT_PUT] = SQL_SNAPSHOT_PUT,
    [R_MEMBER_PUT] = SQL_MEMBER_PUT,       [R_GROUPING_PUT] = SQL_GROUPING_PUT,
    [R_TARGETS_CLEAR] = SQL_TARGETS_CLEAR, [R_TARGET_PUT] = SQL_TARGET_PUT,
    [R_POPULATION] = SQL_POPULATION,
};

struct storereg_s {
    sqlite3_stmt *st[R_COUNT];
};
_Static_assert(offsetof(struct storereg_s, st) == 0, "storeimpl_layer_new: statements first");

static int s_open(store_t *s, bool writer, samla_err_t *err)
{
    (void)writer;
    s->reg = storeimpl_layer_new(s, sizeof *s->reg, s_sql, R_COUNT, err);
    return s->reg ? 0 : -1;
}

static void s_close(store_t *s)
{
    storeimpl_layer_free(s->reg, R_COUNT);
    s->reg = NULL;
}

const storeimpl_layer_t storereg_layer = {s_open, s_close, NULL};

int store_targets(store_t *self, const store_target_t *t, size_t n, samla_err_t *err)
{
    sqlite3_stmt *st = self->reg->st[R_TARGET_PUT];
    if (storeimpl_run(self, self->reg->st[R_TARGETS_CLEAR], err, "writing targets"))
        return -1;
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        sqlite3_bind_text(st, 1, t[i].scope, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, t[i].subject ? t[i].subject : "", -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, t[i].metric, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, t[i].direction, -1, SQLITE_STATIC);
        if (t[i].has_low)
            sqlite3_bind_double(st, 5, t[i].low);
        else
            sqlite3_bind_null(st, 5);
        if (t[i].has_high)
            sqlite3_bind_double(st, 6, t[i].high);
        else
            sqlite3_bind_null(st, 6);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = s_fail(self, err, "writing targets");
        sqlite3_reset(st);
    }
    sqlite3_clear_bindings(st);
    return rc;
}

static void s_now(char *buf, size_t size)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* SHA-256 over the registry's content in a fixed order, as hex: equal registries, equal
 * digests. */
static int s_digest(const store_member_t *m, size_t nm, const store_grouping_t *g, size_t ng,
                    char hex[65])
{
    size_t len = 1;
    for (size_t i = 0; i < nm; i++)
        len += strlen(m[i].orgnr) + strlen(m[i].name) + 32;
    for (size_t i = 0; i < ng; i++)
        len += strlen(g[i].group) + strlen(g[i].orgnr) + 4;
    char *buf = malloc(len);
    if (!buf)
        return -1;
    size_t at = 0;
    for (size_t i = 0; i < nm; i++)
        at += (size_t)snprintf(buf + at, len - at, "m\t%s\t%s\t%lld\n", m[i].orgnr, m[i].name,
                               (long long)m[i].population);
    for (size_t i = 0; i < ng; i++)
        at += (size_t)snprintf(buf + at, len - at, "g\t%s\t%s\n", g[i].group, g[i].orgnr);
    uint8_t sha[32];
    wire_sha256((const uint8_t *)buf, at, sha);
    free(buf);
    for (int i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", sha[i]);
    return 0;
}

static int s_exec_bound(store_t *s, int which, const char *a, const char *b,
                        sqlite3_int64 id, sqlite3_int64 n, samla_err_t *err)
{
    sqlite3_stmt *st = s->reg->st[which];
    int bad = 0, i = 1;
    if (id >= 0)
        bad |= sqlite3_bind_int64(st, i++, id) != SQLITE_OK;
    bad |= sqlite3_bind_text(st, i++, a, -1, SQLITE_STATIC) != SQLITE_OK;
    bad |= sqlite3_bind_text(st, i++, b, -1, SQLITE_STATIC) != SQLITE_OK;
    if (n >= 0)
        bad |= sqlite3_bind_int64(st, i, n) != SQLITE_OK;
    int rc = bad ? SQLITE_ERROR : sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : s_fail(s, err, "recording the registry");
}

int store_snapshot(store_t *self, const store_member_t *m, size_t nm,
                   const store_grouping_t *g, size_t ng, bool *changed, samla_err_t *err)
{
    char digest[65], now[32];
    *changed = false;
    if (s_digest(m, nm, g, ng, digest))
        return err_set(err, "out of memory");
    sqlite3_stmt *st = self->reg->st[R_LAST_DIGEST];
    bool same = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) &&
                strcmp((const char *)sqlite3_column_text(st, 0), digest) == 0;
    sqlite3_reset(st);
    if (same)
        return 0;
    s_now(now, sizeof now);
    if (s_exec_bound(self, R_SNAPSHOT_PUT, now, digest, -1, -1, err))
        return -1;
    sqlite3_int64 id = sqlite3_last_insert_rowid(self->db);
    for (size_t i = 0; i < nm; i++)
        if (s_exec_bound(self, R_MEMBER_PUT, m[i].orgnr, m[i].name, id, m[i].population,
                         err))
            return -1;
    for (size_t i = 0; i < ng; i++)
        if (s_exec_bound(self, R_GROUPING_PUT, g[i].group, g[i].orgnr, id, -1, err))
            return -1;
    *changed = true;
    return 0;
}

int64_t store_population_at(store_t *self, const char *orgnr, const char *when,
                            samla_err_t *err)
{
    sqlite3_stmt *st = self->reg->st[R_POPULATION];
    if (sqlite3_bind_text(st, 1, orgnr, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
        sqlite3_bind_text(st, 2, when, -1, SQLITE_TRANSIENT) != SQLITE_OK) {
        s_fail(self, err, "bind");
        return -1;
    }
    int rc = sqlite3_step(st);
    int64_t pop = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        s_fail(self, err, "reading the population");
    return pop;
}

