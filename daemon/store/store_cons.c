/* store_cons: layer 3 (store_cons.h). docs/database.md describes the tables and views. */
#include "store_cons.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "samla/log.h"
#include "store_pack.h"
#include "storeimpl.h"

#define s_fail storeimpl_fail

/* --- SQL ------------------------------------------------------------------------------ */

static const char SQL_LATEST_PUT[] =
    "INSERT OR REPLACE INTO latest (orgnr, period, submission_id, revision, received_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5)";
static const char SQL_DISCLOSURE_PUT[] =
    "INSERT OR REPLACE INTO disclosure (orgnr, period, h_individual, h_volume, h_structural,"
    " d_individual, d_volume, d_structural) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
static const char SQL_DISCLOSURE_GET[] =
    "SELECT orgnr, h_individual, h_volume, h_structural, d_individual, d_volume, d_structural"
    " FROM disclosure WHERE period = ?1";
static const char SQL_FACT_PUT[] =
    "INSERT OR REPLACE INTO metric_fact (period, metric_id, orgnr, revision, fewest,"
    " value_ore, value_count, value_ratio, num, den)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
#define S_FACT_VALUES "revision, fewest, value_ore, value_count, value_ratio, num, den"
static const char SQL_METRIC_FACTS[] =
    "SELECT orgnr, metric_id, " S_FACT_VALUES " FROM metric_fact"
    " WHERE period = ?1 AND metric_id = ?2";
static const char SQL_OWN_FACTS[] =
    "SELECT period, metric_id, " S_FACT_VALUES " FROM metric_fact"
    " WHERE orgnr = ?1 AND metric_id = ?2 AND period BETWEEN ?3 AND ?4";
static const char SQL_GROUP_PUT[] =
    "INSERT OR REPLACE INTO group_metric (comparison_group, period, metric_id, count, sum,"
    " median, mean, min, max, region) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
static const char SQL_GROUP_RANGE[] =
    "SELECT period, count, sum, median, mean, min, max, region FROM group_metric"
    " WHERE comparison_group = ?1 AND metric_id = ?2 AND period BETWEEN ?3 AND ?4";
/* The fact rows of one (period, förbund), one seek per metric id: what its pack is made
 * from. */
static const char SQL_FACTS_OF[] =
    "SELECT orgnr, metric_id, " S_FACT_VALUES " FROM metric_fact"
    " WHERE period = ?1 AND orgnr = ?2 AND metric_id IN (SELECT id FROM metric)";
static const char SQL_PACK_PUT[] =
    "INSERT OR REPLACE INTO metric_pack (period, orgnr, revision, fewest, pack)"
    " VALUES (?1, ?2, ?3, ?4, ?5)";
static const char SQL_PERIOD_PACKS[] =
    "SELECT orgnr, revision, fewest, pack FROM metric_pack WHERE period = ?1";

static const char SQL_METRIC_PUT[] = "INSERT OR IGNORE INTO metric (name, unit) VALUES (?1, ?2)";
static const char SQL_METRIC_IDS[] = "SELECT id, name FROM metric";
static const char SQL_PERIODS[] = "SELECT DISTINCT period FROM latest ORDER BY period";
static const char SQL_GROUPS_CLEAR[] = "DELETE FROM group_metric";
static const char SQL_CLEAR[] =
    "DELETE FROM group_metric; DELETE FROM metric_pack; DELETE FROM metric_fact;"
    " DELETE FROM disclosure; DELETE FROM latest;";

enum {
    C_LATEST_PUT, C_DISCLOSURE_PUT, C_DISCLOSURE_GET, C_FACT_PUT, C_FACTS_OF, C_METRIC_FACTS,
    C_OWN_FACTS, C_PACK_PUT, C_PERIOD_PACKS, C_GROUP_PUT, C_GROUP_RANGE, C_COUNT
};

static const char *const s_sql[C_COUNT] = {
    [C_LATEST_PUT] = SQL_LATEST_PUT,         [C_DISCLOSURE_PUT] = SQL_DISCLOSURE_PUT,
    [C_DISCLOSURE_GET] = SQL_DISCLOSURE_GET, [C_FACT_PUT] = SQL_FACT_PUT,
    [C_FACTS_OF] = SQL_FACTS_OF,             [C_METRIC_FACTS] = SQL_METRIC_FACTS,
    [C_OWN_FACTS] = SQL_OWN_FACTS,           [C_PACK_PUT] = SQL_PACK_PUT,
    [C_PERIOD_PACKS] = SQL_PERIOD_PACKS,     [C_GROUP_PUT] = SQL_GROUP_PUT,
    [C_GROUP_RANGE] = SQL_GROUP_RANGE,
};

struct storecons_s {
    sqlite3_stmt *st[C_COUNT];
    /* metric_table index -> metric.id of this database, and back (ids are stable across
     * versions; indexes are not) */
    int64_t metric_id[METRIC_MAX];
    int *metric_of_id;       /* [id] -> index + 1, 0 for a metric this version lacks */
    size_t metric_ids;       /* entries of metric_of_id */
};
_Static_assert(offsetof(struct storecons_s, st) == 0, "storeimpl_layer_new: statements first");

static const char *const s_unit_names[] = {
    [UNIT_MONEY] = "money", [UNIT_COUNT] = "count", [UNIT_PERCENT] = "percent",
    [UNIT_KRONOR] = "kronor"};

/* --- opening ------------------------------------------------------------------------- */

/* Registers every metric this version computes (the writer) and maps the database's ids
 * to metric_table indexes: a newer version's metrics are skipped, a removed one's rows
 * are left to rederive. */
static int s_metric_ids(store_t *s, bool writer, samla_err_t *err)
{
    sqlite3_stmt *st = NULL;
    if (writer) {
        if (sqlite3_prepare_v2(s->db, SQL_METRIC_PUT, -1, &st, NULL) != SQLITE_OK)
            return s_fail(s, err, "registering metrics");
        for (size_t k = 0; k < metric_count; k++) {
            sqlite3_bind_text(st, 1, metric_table[k].name, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 2, s_unit_names[metric_table[k].unit], -1, SQLITE_STATIC);
            int rc = sqlite3_step(st);
            sqlite3_reset(st);
            if (rc != SQLITE_DONE) {
                sqlite3_finalize(st);
                return s_fail(s, err, "registering metrics");
            }
        }
        sqlite3_finalize(st);
    }
    if (sqlite3_prepare_v2(s->db, SQL_METRIC_IDS, -1, &st, NULL) != SQLITE_OK)
        return s_fail(s, err, "reading metric ids");
    size_t known = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        sqlite3_int64 id = sqlite3_column_int64(st, 0);
        const metric_t *m = metric_find((const char *)sqlite3_column_text(st, 1));
        if (!m || id < 1 || id > 1000000)
            continue;
        size_t k = (size_t)(m - metric_table);
        if ((size_t)id >= s->cons->metric_ids) {
            size_t n = (size_t)id + 16;
            int *v = realloc(s->cons->metric_of_id, n * sizeof *v);
            if (!v) {
                sqlite3_finalize(st);
                return err_set(err, "out of memory");
            }
            memset(v + s->cons->metric_ids, 0, (n - s->cons->metric_ids) * sizeof *v);
            s->cons->metric_of_id = v;
            s->cons->metric_ids = n;
        }
        s->cons->metric_of_id[id] = (int)k + 1;
        s->cons->metric_id[k] = id;
        known++;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return s_fail(s, err, "reading metric ids");
    if (known != metric_count)
        return err_set(err, "the database does not know every metric of this version; "
                            "open it with samlad (which registers them) first");
    return 0;
}

static int s_open(store_t *s, bool writer, samla_err_t *err)
{
    if (!(s->cons = storeimpl_layer_new(s, sizeof *s->cons, s_sql, C_COUNT, err)))
        return -1;
    return s_metric_ids(s, writer, err);
}

static void s_close(store_t *s)
{
    if (s->cons)
        free(s->cons->metric_of_id);
    storeimpl_layer_free(s->cons, C_COUNT);
    s->cons = NULL;
}

static int s_clear(store_t *s, samla_err_t *err)
{
    if (sqlite3_exec(s->db, SQL_CLEAR, NULL, NULL, NULL) != SQLITE_OK)
        return s_fail(s, err, "emptying the consolidated layer");
    return 0;
}

const storeimpl_layer_t storecons_layer = {s_open, s_close, s_clear};

/* The metric_table index of a stored metric id; -1 for one this version does not know. */
static int s_metric_index(const store_t *s, sqlite3_int64 id)
{
    const storecons_t *c = s->cons;
    return id > 0 && (size_t)id < c->metric_ids ? c->metric_of_id[id] - 1 : -1;
}

/* A stored value back as the metric's value (the columns of S_FACT_VALUES from `col`). */
static void s_read_value(sqlite3_stmt *st, int col, size_t k, cons_row_t *row)
{
    row->revision = (unsigned)sqlite3_column_int64(st, col);
    row->fewest = sqlite3_column_int64(st, col + 1);
    metric_value_t *v = &row->v[k];
    memset(v, 0, sizeof *v);
    if (sqlite3_column_type(st, col + 2) != SQLITE_NULL) {
        v->present = true;
        v->i = sqlite3_column_int64(st, col + 2);
    } else if (sqlite3_column_type(st, col + 3) != SQLITE_NULL) {
        v->present = true;
        v->i = sqlite3_column_int64(st, col + 3);
    } else if (sqlite3_column_type(st, col + 4) != SQLITE_NULL) {
        v->present = true;
        v->d = sqlite3_column_double(st, col + 4);
        v->num = sqlite3_column_double(st, col + 5);
        v->den = sqlite3_column_double(st, col + 6);
    }
}

/* --- writing -------------------------------------------------------------------------- */

static int s_fact(store_t *s, const store_logged_t *l, size_t k, const cons_row_t *row,
                  samla_err_t *err)
{
    sqlite3_stmt *st = s->cons->st[C_FACT_PUT];
    metric_value_t v = row->v[k];
    metric_unit_t unit = metric_table[k].unit;
    bool ratio = unit == UNIT_PERCENT || unit == UNIT_KRONOR;
    int bad = sqlite3_bind_text(st, 1, l->period, -1, SQLITE_STATIC) != SQLITE_OK ||
              sqlite3_bind_int64(st, 2, s->cons->metric_id[k]) != SQLITE_OK ||
              sqlite3_bind_text(st, 3, l->orgnr, -1, SQLITE_STATIC) != SQLITE_OK ||
              sqlite3_bind_int64(st, 4, l->revision) != SQLITE_OK ||
              sqlite3_bind_int64(st, 5, row->fewest) != SQLITE_OK;
    for (int c = 6; c <= 10 && !bad; c++)
        bad = sqlite3_bind_null(st, c) != SQLITE_OK;
    if (!bad && v.present) {
        if (unit == UNIT_MONEY)
            bad = sqlite3_bind_int64(st, 6, v.i) != SQLITE_OK;
        else if (unit == UNIT_COUNT)
            bad = sqlite3_bind_int64(st, 7, v.i) != SQLITE_OK;
        else if (ratio)
            bad = sqlite3_bind_double(st, 8, v.d) != SQLITE_OK ||
                  sqlite3_bind_double(st, 9, v.num) != SQLITE_OK ||
                  sqlite3_bind_double(st, 10, v.den) != SQLITE_OK;
    }
    if (bad)
        return s_fail(s, err, "binding a metric value");
    return storeimpl_run(s, st, err, "storing a metric value");
}

/* The pack of (period, förbund), made from its fact rows as just written: what a compare
 * reads is what metric_fact says, whatever wrote the facts. */
static int s_pack(store_t *s, const store_logged_t *l, int64_t fewest, samla_err_t *err)
{
    sqlite3_stmt *st = s->cons->st[C_FACTS_OF];
    cons_row_t row;
    memset(&row, 0, sizeof row);
    if (sqlite3_bind_text(st, 1, l->period, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 2, l->orgnr, -1, SQLITE_STATIC) != SQLITE_OK)
        return s_fail(s, err, "bind");
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int k = s_metric_index(s, sqlite3_column_int64(st, 1));
        if (k >= 0)
            s_read_value(st, 2, (size_t)k, &row);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return s_fail(s, err, "reading the metric values back");
    uint8_t buf[STORE_PACK_MAX];
    size_t len = store_pack_encode(s->cons->metric_id, row.v, metric_count, buf);
    st = s->cons->st[C_PACK_PUT];
    if (sqlite3_bind_text(st, 1, l->period, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 2, l->orgnr, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(st, 3, l->revision) != SQLITE_OK ||
        sqlite3_bind_int64(st, 4, fewest) != SQLITE_OK ||
        sqlite3_bind_blob(st, 5, buf, (int)len, SQLITE_STATIC) != SQLITE_OK)
        return s_fail(s, err, "binding the metric values");
    return storeimpl_run(s, st, err, "storing the metric values");
}

int store_cons_put(store_t *s, const store_logged_t *l, const cons_row_t *row,
                   samla_err_t *err)
{
    sqlite3_stmt *st = s->cons->st[C_LATEST_PUT];
    if (sqlite3_bind_text(st, 1, l->orgnr, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 2, l->period, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 3, l->id, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(st, 4, l->revision) != SQLITE_OK ||
        sqlite3_bind_text(st, 5, l->received_at, -1, SQLITE_STATIC) != SQLITE_OK)
        return s_fail(s, err, "binding the latest revision");
    if (storeimpl_run(s, st, err, "storing the latest revision"))
        return -1;
    st = s->cons->st[C_DISCLOSURE_PUT];
    const int64_t *d[] = {row->disc.h, row->disc.d};
    int bad = sqlite3_bind_text(st, 1, l->orgnr, -1, SQLITE_STATIC) != SQLITE_OK ||
              sqlite3_bind_text(st, 2, l->period, -1, SQLITE_STATIC) != SQLITE_OK;
    for (int i = 0; i < 2 * DISC_KINDS; i++)
        bad |= sqlite3_bind_int64(st, 3 + i, d[i / DISC_KINDS][i % DISC_KINDS]) != SQLITE_OK;
    if (bad)
        return s_fail(s, err, "binding what the disclosure gate needs");
    if (storeimpl_run(s, st, err, "storing what the disclosure gate needs"))
        return -1;
    for (size_t k = 0; k < metric_count; k++)
        if (s_fact(s, l, k, row, err))
            return -1;
    return s_pack(s, l, row->fewest, err);
}


/* --- reading -------------------------------------------------------------------------- */

typedef struct {
    const store_t *s;
    cons_row_t *row;
} s_unpack_t;

/* A packed value into its row; one of a metric this version does not know is skipped. */
static void s_unpack(void *arg, int64_t id, const metric_value_t *v)
{
    s_unpack_t *u = arg;
    int k = s_metric_index(u->s, id);
    if (k >= 0)
        u->row->v[k] = *v;
}

/* Every metric of a period: one packed row per förbund. */
static int s_period_packs(store_t *self, const char *period, store_slot_fn slot, void *arg,
                          samla_err_t *err)
{
    sqlite3_stmt *st = self->cons->st[C_PERIOD_PACKS];
    if (sqlite3_bind_text(st, 1, period, -1, SQLITE_TRANSIENT) != SQLITE_OK)
        return s_fail(self, err, "bind");
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *orgnr = (const char *)sqlite3_column_text(st, 0);
        cons_row_t *row = orgnr ? slot(arg, orgnr) : NULL;
        if (!row)
            continue;
        row->revision = (unsigned)sqlite3_column_int64(st, 1);
        row->fewest = sqlite3_column_int64(st, 2);
        for (size_t k = 0; k < metric_count; k++)
            memset(&row->v[k], 0, sizeof row->v[k]);
        s_unpack_t u = {self, row};
        if (store_pack_decode(sqlite3_column_blob(st, 3), (size_t)sqlite3_column_bytes(st, 3),
                              s_unpack, &u))
            log_event(LOG_LVL_WARN, "store.pack", "period=%s orgnr=%s reason=\"a malformed "
                      "pack; run samlad --rederive\"", period, orgnr);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : s_fail(self, err, "reading metric values");
}

int store_period(store_t *self, const char *period, int metric, store_slot_fn slot, void *arg,
                 samla_err_t *err)
{
    if (metric < 0)
        return s_period_packs(self, period, slot, arg, err);
    sqlite3_stmt *st = self->cons->st[C_METRIC_FACTS];
    if (sqlite3_bind_text(st, 1, period, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
        (metric >= 0 && sqlite3_bind_int64(st, 2, self->cons->metric_id[metric]) != SQLITE_OK))
        return s_fail(self, err, "bind");
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *orgnr = (const char *)sqlite3_column_text(st, 0);
        int k = s_metric_index(self, sqlite3_column_int64(st, 1));
        cons_row_t *row = orgnr && k >= 0 ? slot(arg, orgnr) : NULL;
        if (row)
            s_read_value(st, 2, (size_t)k, row);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : s_fail(self, err, "reading metric values");
}

/* Binds (key, metric, from, to) of the statements that read one metric over months. */
static int s_bind_range(store_t *self, sqlite3_stmt *st, const char *key, size_t metric,
                        const char *from, const char *to, samla_err_t *err)
{
    if (sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
        sqlite3_bind_int64(st, 2, self->cons->metric_id[metric]) != SQLITE_OK ||
        sqlite3_bind_text(st, 3, from, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
        sqlite3_bind_text(st, 4, to, -1, SQLITE_TRANSIENT) != SQLITE_OK)
        return s_fail(self, err, "bind");
    return 0;
}

int store_own(store_t *self, const char *orgnr, size_t metric, const char *from,
              const char *to, store_point_fn fn, void *arg, samla_err_t *err)
{
    sqlite3_stmt *st = self->cons->st[C_OWN_FACTS];
    if (s_bind_range(self, st, orgnr, metric, from, to, err))
        return -1;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *period = (const char *)sqlite3_column_text(st, 0);
        cons_row_t row;
        memset(&row, 0, sizeof row);
        s_read_value(st, 2, metric, &row);
        if (period)
            fn(arg, period, &row);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : s_fail(self, err, "reading metric values");
}

int store_disclosure(store_t *self, const char *period, store_disclosure_fn fn, void *arg,
                     samla_err_t *err)
{
    sqlite3_stmt *st = self->cons->st[C_DISCLOSURE_GET];
    if (sqlite3_bind_text(st, 1, period, -1, SQLITE_TRANSIENT) != SQLITE_OK)
        return s_fail(self, err, "bind");
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        disc_fewest_t f;
        for (int i = 0; i < 2 * DISC_KINDS; i++)
            (i < DISC_KINDS ? f.h : f.d)[i % DISC_KINDS] = sqlite3_column_int64(st, 1 + i);
        const char *orgnr = (const char *)sqlite3_column_text(st, 0);
        if (orgnr)
            fn(arg, orgnr, &f);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : s_fail(self, err, "reading what the disclosure gate needs");
}

static int s_bind_real(sqlite3_stmt *st, int i, bool has, double v)
{
    return has ? sqlite3_bind_double(st, i, v) : sqlite3_bind_null(st, i);
}

int store_group_put(store_t *self, const char *group, const char *period, size_t metric,
                    const cons_agg_t *agg, samla_err_t *err)
{
    sqlite3_stmt *st = self->cons->st[C_GROUP_PUT];
    bool any = agg->st.count > 0;
    if (sqlite3_bind_text(st, 1, group, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
        sqlite3_bind_text(st, 2, period, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
        sqlite3_bind_int64(st, 3, self->cons->metric_id[metric]) != SQLITE_OK ||
        sqlite3_bind_int64(st, 4, (sqlite3_int64)agg->st.count) != SQLITE_OK ||
        s_bind_real(st, 5, any && metric_summable(&metric_table[metric]), agg->st.sum) !=
            SQLITE_OK ||
        s_bind_real(st, 6, any, agg->st.median) != SQLITE_OK ||
        s_bind_real(st, 7, any, agg->st.mean) != SQLITE_OK ||
        s_bind_real(st, 8, any, agg->st.min) != SQLITE_OK ||
        s_bind_real(st, 9, any, agg->st.max) != SQLITE_OK ||
        s_bind_real(st, 10, agg->has_region, agg->region) != SQLITE_OK)
        return s_fail(self, err, "binding an aggregate");
    return storeimpl_run(self, st, err, "storing an aggregate");
}

int store_group_range(store_t *self, const char *group, size_t metric, const char *from,
                      const char *to, store_agg_fn fn, void *arg, samla_err_t *err)
{
    sqlite3_stmt *st = self->cons->st[C_GROUP_RANGE];
    if (s_bind_range(self, st, group, metric, from, to, err))
        return -1;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *period = (const char *)sqlite3_column_text(st, 0);
        cons_agg_t a;
        memset(&a, 0, sizeof a);
        a.st.count = (size_t)sqlite3_column_int64(st, 1);
        a.st.sum = sqlite3_column_double(st, 2);
        a.st.median = sqlite3_column_double(st, 3);
        a.st.mean = sqlite3_column_double(st, 4);
        a.st.min = sqlite3_column_double(st, 5);
        a.st.max = sqlite3_column_double(st, 6);
        a.has_region = sqlite3_column_type(st, 7) != SQLITE_NULL;
        a.region = sqlite3_column_double(st, 7);
        if (period)
            fn(arg, period, &a);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : s_fail(self, err, "reading aggregates");
}

int store_group_clear(store_t *self, samla_err_t *err)
{
    if (sqlite3_exec(self->db, SQL_GROUPS_CLEAR, NULL, NULL, NULL) != SQLITE_OK)
        return s_fail(self, err, "emptying the group aggregates");
    return 0;
}

int store_periods(store_t *self, store_period_fn fn, void *arg, samla_err_t *err)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(self->db, SQL_PERIODS, -1, &st, NULL) != SQLITE_OK)
        return s_fail(self, err, "reading periods");
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (sqlite3_column_text(st, 0))
            fn(arg, (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : s_fail(self, err, "reading periods");
}
