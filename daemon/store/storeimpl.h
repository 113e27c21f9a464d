/* storeimpl: what the store's files share (store.c: the log, opening, migrations and
 * transactions; store_layers.c: the details and the consolidated comparison;
 * store_schema.c: the migrations). Not for callers outside the store. */
#ifndef SAMLA_STOREIMPL_H
#define SAMLA_STOREIMPL_H

#include <sqlite3.h>
#include <stdbool.h>
#include <sys/types.h>

#include "store.h"

extern const char *const store_migrations[];
extern const size_t store_migration_count;

/* Statements of the log (store.c). */
enum {
    ST_FIND, ST_NEXT, ST_INSERT, ST_BYTES, ST_BEGIN, ST_COMMIT, ST_STATUS, ST_FLAG, ST_COUNT
};

/* Statements of layers 2 and 3 (store_layers.c). */
enum {
    LS_TOTALS_PUT, LS_TOTALS_GET, LS_AREA_PUT, LS_PART_PUT, LS_LATEST_PUT, LS_FACT_PUT,
    LS_OWN_FACTS, LS_METRIC_FACTS, LS_GROUP_PUT, LS_GROUP_RANGE,
    LS_POPULATION, LS_PACK_PUT, LS_PERIOD_PACKS, LS_AREAS, LS_PARTICIPANTS,
    LS_DISCLOSURE_PUT, LS_DISCLOSURE_GET, LS_COUNT
};

/* The files SQLite writes for one database: if any of them is no longer the file at its
 * path (deleted, renamed, replaced), what we commit goes to a ghost and is lost at the
 * next restart. They are checked before every acknowledgement. */
enum { F_MAIN, F_WAL, F_SHM, F_COUNT };

typedef struct {
    bool known;
    dev_t dev;
    ino_t ino;
} storeimpl_ident_t;

struct store_s {
    sqlite3 *db;
    sqlite3_stmt *st[ST_COUNT];
    sqlite3_stmt *ls[LS_COUNT];
    char *path;
    storeimpl_ident_t ident[F_COUNT];
    long long wal_cap;       /* bytes; 0: no cap */
    bool lost;               /* a file was found moved: sticky, nothing more is promised */
    /* metric_table index -> metric.id of this database, and back (ids are stable across
     * versions; indexes are not) */
    sqlite3_int64 metric_id[METRIC_MAX];
    int *metric_of_id;       /* [id] -> index + 1, 0 for a metric this version lacks */
    size_t metric_ids;       /* entries of metric_of_id */
};

/* Sets err from the connection's last error; returns -1. */
int storeimpl_fail(store_t *s, samla_err_t *err, const char *what);
/* Steps a statement that returns no rows and resets it. */
int storeimpl_run(store_t *s, sqlite3_stmt *st, samla_err_t *err, const char *what);
/* Prepares layer statements and reads the metric ids (the writer first registers the
 * metrics this version knows). */
int storeimpl_layers_open(store_t *s, bool writer, samla_err_t *err);
void storeimpl_layers_close(store_t *s);

#endif
