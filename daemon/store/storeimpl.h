/* storeimpl: what the store's files share, not for callers outside the store. store.c
 * owns the connection (opening, migrations in store_schema.c, transactions, caps); each
 * layer file owns its tables' SQL and prepares its statements beside it: store_log.c,
 * store_details.c, store_cons.c, store_registry.c. A new table is an edit of its layer's
 * file only. */
#ifndef SAMLA_STOREIMPL_H
#define SAMLA_STOREIMPL_H

#include <sqlite3.h>
#include <stdbool.h>
#include <sys/types.h>

#include "store.h"

extern const char *const store_migrations[];
extern const size_t store_migration_count;

/* The files SQLite writes for one database: if any of them is no longer the file at its
 * path (deleted, renamed, replaced), what we commit goes to a ghost and is lost at the
 * next restart. They are checked before every acknowledgement. */
enum { F_MAIN, F_WAL, F_SHM, F_COUNT };

typedef struct {
    bool known;
    dev_t dev;
    ino_t ino;
} storeimpl_ident_t;

/* Each layer's own state (its prepared statements), defined in its file. */
typedef struct storelog_s storelog_t;
typedef struct storedet_s storedet_t;
typedef struct storecons_s storecons_t;
typedef struct storereg_s storereg_t;

struct store_s {
    sqlite3 *db;
    sqlite3_stmt *begin, *commit;
    char *path;
    storeimpl_ident_t ident[F_COUNT];
    long long wal_cap;       /* bytes; 0: no cap */
    bool lost;               /* a file was found moved: sticky, nothing more is promised */
    storelog_t *log;
    storedet_t *det;
    storecons_t *cons;
    storereg_t *reg;
};

/* A layer of the store, as store.c opens, closes and (for a rederive) empties it. open
 * allocates the layer's state and prepares its statements (`writer`: the connection that
 * may write, which registers what this version knows); close is safe on a failed open;
 * clear is NULL for a layer that is not derived from the log. */
typedef struct {
    int (*open)(store_t *s, bool writer, samla_err_t *err);
    void (*close)(store_t *s);
    int (*clear)(store_t *s, samla_err_t *err);
} storeimpl_layer_t;

extern const storeimpl_layer_t storelog_layer, storedet_layer, storecons_layer,
    storereg_layer;

/* Sets err from the connection's last error; returns -1. */
int storeimpl_fail(store_t *s, samla_err_t *err, const char *what);
/* Steps a statement that returns no rows and resets it. */
int storeimpl_run(store_t *s, sqlite3_stmt *st, samla_err_t *err, const char *what);
/* Prepares n statements (kept for the connection's life); -1 with err set. */
int storeimpl_prepare(store_t *s, const char *const *sql, size_t n, sqlite3_stmt **st,
                      samla_err_t *err);
void storeimpl_finalize(sqlite3_stmt **st, size_t n);
/* A layer's state: `size` bytes (zeroed) whose first member is its array of n statements,
 * prepared from sql. NULL with err set (nothing kept). */
void *storeimpl_layer_new(store_t *s, size_t size, const char *const *sql, size_t n,
                          samla_err_t *err);
/* Finalizes the n statements at the start of a layer's state and frees it (NULL is fine). */
void storeimpl_layer_free(void *state, size_t n);

#endif
