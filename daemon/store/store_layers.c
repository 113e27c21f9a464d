/* store_layers: layer 2 (the details of every revision) and layer 3 (the consolidated
 * comparison of the latest revisions) of the store, and the registry snapshots they were
 * computed with. docs/database.md describes the tables and views for SQL users. The
 * registry snapshots are in store_registry.c. */
#include "storeimpl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "samla/log.h"

/* --- SQL ------------------------------------------------------------------------------ */

/* The columns of `totals` follow the one list of figures (figures.h): money in öre with
 * `_ore` in the name, flags and people as they are. */
#define S_COL(n, kind, label) ", " #n
#define S_COL_ORE(n, kind, label) ", " #n "_ore"
#define S_TCOL(n, kind, label) ", t." #n
#define S_TCOL_ORE(n, kind, label) ", t." #n "_ore"
#define S_PARAM(n, kind, label) ", ?"
#define S_TOTALS_COLUMNS                                                                   \
    FIGURES_FLAGS(S_COL) FIGURES_LEDGER(S_COL_ORE) FIGURES_AREAS(S_COL_ORE)                \
    FIGURES_PEOPLE(S_COL) FIGURES_PEOPLE_SPLIT(S_COL)            \
    FIGURES_PEOPLE_KINDS(S_COL)

static const char SQL_TOTALS_PUT[] =
    "INSERT INTO totals (submission_id" S_TOTALS_COLUMNS ") VALUES (?" FIGURES_ALL(S_PARAM) ")";
static const char SQL_TOTALS_GET[] =
    "SELECT s.revision" FIGURES_FLAGS(S_TCOL) FIGURES_LEDGER(S_TCOL_ORE)
    FIGURES_AREAS(S_TCOL_ORE) FIGURES_PEOPLE(S_TCOL)
    FIGURES_PEOPLE_SPLIT(S_TCOL) FIGURES_PEOPLE_KINDS(S_TCOL)
    " FROM submission s JOIN totals t ON t.submission_id = s.id"
    " WHERE s.orgnr = ?1 AND s.period = ?2 AND s.revision = CASE WHEN ?3 > 0 THEN ?3 ELSE"
    " (SELECT revision FROM latest WHERE orgnr = ?1 AND period = ?2) END";
static const char SQL_AREA_PUT[] =
    "INSERT INTO area (submission_id, code, name, class, costs_ore, income_ore,"
    " budget_costs_ore, budget_income_ore, budget_year_costs_ore, forecast_costs_ore)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
static const char SQL_PART_PUT[] =
    "INSERT INTO participant (submission_id, row, intervention, kind, measure, category,"
    " women, men, unspecified) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
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
static const char SQL_POPULATION[] =
    "SELECT m.population_16_64 FROM registry_snapshot s JOIN registry_member m"
    " ON m.snapshot_id = s.id AND m.orgnr = ?1"
    /* the last snapshot taken at or before the time, else the first one; snapshots taken
     * within the same second are told apart by id */
    " ORDER BY s.valid_from <= ?2 DESC,"
    " CASE WHEN s.valid_from <= ?2 THEN s.valid_from END DESC,"
    " CASE WHEN s.valid_from <= ?2 THEN s.id END DESC, s.valid_from, s.id LIMIT 1";

static const char SQL_PACK_PUT[] =
    "INSERT OR REPLACE INTO metric_pack (period, orgnr, revision, fewest, pack)"
    " VALUES (?1, ?2, ?3, ?4, ?5)";
static const char SQL_PERIOD_PACKS[] =
    "SELECT orgnr, revision, fewest, pack FROM metric_pack WHERE period = ?1";

static const char SQL_AREAS[] =
    "SELECT l.revision, a.code, a.name, a.class, a.costs_ore, a.income_ore,"
    " a.budget_costs_ore, a.budget_year_costs_ore, a.forecast_costs_ore"
    " FROM latest l LEFT JOIN area a ON a.submission_id = l.submission_id"
    " WHERE l.orgnr = ?1 AND l.period = ?2 ORDER BY a.code";

static const char SQL_PARTICIPANTS[] =
    "SELECT l.orgnr, l.revision, p.intervention, p.kind, p.measure, p.category, p.women,"
    " p.men, p.unspecified FROM latest l LEFT JOIN participant p"
    " ON p.submission_id = l.submission_id WHERE l.period = ?1 ORDER BY l.orgnr, p.row";
static const char SQL_METRIC_PUT[] = "INSERT OR IGNORE INTO metric (name, unit) VALUES (?1, ?2)";
static const char SQL_METRIC_IDS[] = "SELECT id, name FROM metric";
static const char SQL_PERIODS[] = "SELECT DISTINCT period FROM latest ORDER BY period";
static const char SQL_NEEDS_REDERIVE[] = "SELECT 1 FROM meta WHERE key = 'rederive'";
static const char SQL_CLEAR_DERIVED[] =
    "DELETE FROM group_metric; DELETE FROM metric_pack; DELETE FROM metric_fact;"
    " DELETE FROM disclosure;"
    " DELETE FROM latest;"
    " DELETE FROM participant; DELETE FROM area; DELETE FROM totals;"
    " DELETE FROM meta WHERE key = 'rederive';";
static const char SQL_EACH[] =
    "SELECT s.id, s.orgnr, s.period, s.revision, s.received_at, s.body, s.revision ="
    " (SELECT MAX(revision) FROM submission WHERE orgnr = s.orgnr AND period = s.period)"
    " FROM submission s ORDER BY s.orgnr, s.period, s.revision";

static const char *const s_sql[LS_COUNT] = {
    [LS_TOTALS_PUT] = SQL_TOTALS_PUT,   [LS_TOTALS_GET] = SQL_TOTALS_GET,
    [LS_AREA_PUT] = SQL_AREA_PUT,       [LS_PART_PUT] = SQL_PART_PUT,
    [LS_LATEST_PUT] = SQL_LATEST_PUT,   [LS_FACT_PUT] = SQL_FACT_PUT,
    [LS_OWN_FACTS] = SQL_OWN_FACTS,
    [LS_METRIC_FACTS] = SQL_METRIC_FACTS, [LS_GROUP_PUT] = SQL_GROUP_PUT,
    [LS_GROUP_RANGE] = SQL_GROUP_RANGE, [LS_POPULATION] = SQL_POPULATION,
    [LS_PACK_PUT] = SQL_PACK_PUT,       [LS_PERIOD_PACKS] = SQL_PERIOD_PACKS,
    [LS_AREAS] = SQL_AREAS,             [LS_PARTICIPANTS] = SQL_PARTICIPANTS,
    [LS_DISCLOSURE_PUT] = SQL_DISCLOSURE_PUT, [LS_DISCLOSURE_GET] = SQL_DISCLOSURE_GET,
};

#define s_fail storeimpl_fail

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
        if ((size_t)id >= s->metric_ids) {
            size_t n = (size_t)id + 16;
            int *v = realloc(s->metric_of_id, n * sizeof *v);
            if (!v) {
                sqlite3_finalize(st);
                return err_set(err, "out of memory");
            }
            memset(v + s->metric_ids, 0, (n - s->metric_ids) * sizeof *v);
            s->metric_of_id = v;
            s->metric_ids = n;
        }
        s->metric_of_id[id] = (int)k + 1;
        s->metric_id[k] = id;
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

int storeimpl_layers_open(store_t *s, bool writer, samla_err_t *err)
{
    for (int i = 0; i < LS_COUNT; i++)
        if (sqlite3_prepare_v3(s->db, s_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &s->ls[i],
                               NULL) != SQLITE_OK)
            return s_fail(s, err, "preparing statements");
    return s_metric_ids(s, writer, err);
}

void storeimpl_layers_close(store_t *s)
{
    for (int i = 0; i < LS_COUNT; i++)
        sqlite3_finalize(s->ls[i]);
    free(s->metric_of_id);
}

/* --- layer 2 -------------------------------------------------------------------------- */

static int s_totals(store_t *s, const char *id, const figures_t *f, samla_err_t *err)
{
    sqlite3_stmt *st = s->ls[LS_TOTALS_PUT];
    int bad = sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC) != SQLITE_OK;
    for (size_t i = 0; i < figure_field_count && !bad; i++)
        bad = sqlite3_bind_int64(st, (int)i + 2, *figures_field((figures_t *)f, i)) != SQLITE_OK;
    if (bad)
        return s_fail(s, err, "binding the figures");
    return storeimpl_run(s, st, err, "storing the figures");
}

static int s_bind_opt(sqlite3_stmt *st, int i, protobuf_c_boolean has, int64_t v)
{
    return has ? sqlite3_bind_int64(st, i, v) : sqlite3_bind_null(st, i);
}

static int s_areas(store_t *s, const char *id, const Samla__V1__Submission *sub,
                   samla_err_t *err)
{
    sqlite3_stmt *st = s->ls[LS_AREA_PUT];
    for (size_t i = 0; i < sub->n_cost_areas; i++) {
        const Samla__V1__CostArea *a = sub->cost_areas[i];
        if (sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_text(st, 2, a->code, -1, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_text(st, 3, a->name ? a->name : a->code, -1, SQLITE_STATIC) !=
                SQLITE_OK ||
            sqlite3_bind_text(st, 4, figures_class_name(a->class_), -1, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_int64(st, 5, a->costs) != SQLITE_OK ||
            sqlite3_bind_int64(st, 6, a->income) != SQLITE_OK ||
            sqlite3_bind_int64(st, 7, a->budget_costs) != SQLITE_OK ||
            sqlite3_bind_int64(st, 8, a->budget_income) != SQLITE_OK ||
            s_bind_opt(st, 9, a->has_budget_year_costs, a->budget_year_costs) != SQLITE_OK ||
            s_bind_opt(st, 10, a->has_forecast_costs, a->forecast_costs) != SQLITE_OK)
            return s_fail(s, err, "binding a cost area");
        if (storeimpl_run(s, st, err, "storing a cost area"))
            return -1;
    }
    return 0;
}

static int s_participants(store_t *s, const char *id, const Samla__V1__Submission *sub,
                          samla_err_t *err)
{
    sqlite3_stmt *st = s->ls[LS_PART_PUT];
    for (size_t i = 0; i < sub->n_participants; i++) {
        const Samla__V1__ParticipantRow *r = sub->participants[i];
        if (sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_int64(st, 2, (sqlite3_int64)i + 1) != SQLITE_OK ||
            sqlite3_bind_text(st, 3, r->intervention, -1, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_text(st, 4, figures_kind_name(r->kind), -1, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_text(st, 5, r->measure, -1, SQLITE_STATIC) != SQLITE_OK ||
            (r->category && r->category[0]
                 ? sqlite3_bind_text(st, 6, r->category, -1, SQLITE_STATIC)
                 : sqlite3_bind_null(st, 6)) != SQLITE_OK ||
            sqlite3_bind_int64(st, 7, r->women) != SQLITE_OK ||
            sqlite3_bind_int64(st, 8, r->men) != SQLITE_OK ||
            sqlite3_bind_int64(st, 9, r->unspecified) != SQLITE_OK)
            return s_fail(s, err, "binding a participant row");
        if (storeimpl_run(s, st, err, "storing a participant row"))
            return -1;
    }
    return 0;
}

/* --- layer 3 -------------------------------------------------------------------------- */

static int s_fact(store_t *s, const store_logged_t *l, size_t k, const cons_row_t *row,
                  samla_err_t *err)
{
    sqlite3_stmt *st = s->ls[LS_FACT_PUT];
    metric_value_t v = row->v[k];
    metric_unit_t unit = metric_table[k].unit;
    bool ratio = unit == UNIT_PERCENT || unit == UNIT_KRONOR;
    int bad = sqlite3_bind_text(st, 1, l->period, -1, SQLITE_STATIC) != SQLITE_OK ||
              sqlite3_bind_int64(st, 2, s->metric_id[k]) != SQLITE_OK ||
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

/* metric_pack.pack: per metric, S_PACK_RECORD bytes, little-endian whatever the machine:
 * the metric's id (4), 1 when present (1), the integer value (8), the ratio, its numerator
 * and its denominator (IEEE 754 doubles, 8 each). Ids are the database's, so a version
 * that knows other metrics reads what it knows. */
#define S_PACK_RECORD 37

static void s_put64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t s_get64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

static uint64_t s_bits(double d)
{
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    return u;
}

static double s_double(uint64_t u)
{
    double d;
    memcpy(&d, &u, sizeof d);
    return d;
}

static int s_pack(store_t *s, const store_logged_t *l, const cons_row_t *row, samla_err_t *err)
{
    uint8_t buf[METRIC_MAX * S_PACK_RECORD];
    for (size_t k = 0; k < metric_count; k++) {
        uint8_t *p = buf + k * S_PACK_RECORD;
        const metric_value_t *v = &row->v[k];
        for (int i = 0; i < 4; i++)
            p[i] = (uint8_t)((uint64_t)s->metric_id[k] >> (8 * i));
        p[4] = v->present ? 1 : 0;
        s_put64(p + 5, (uint64_t)v->i);
        s_put64(p + 13, s_bits(v->d));
        s_put64(p + 21, s_bits(v->num));
        s_put64(p + 29, s_bits(v->den));
    }
    sqlite3_stmt *st = s->ls[LS_PACK_PUT];
    if (sqlite3_bind_text(st, 1, l->period, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 2, l->orgnr, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(st, 3, l->revision) != SQLITE_OK ||
        sqlite3_bind_int64(st, 4, row->fewest) != SQLITE_OK ||
        sqlite3_bind_blob(st, 5, buf, (int)(metric_count * S_PACK_RECORD), SQLITE_STATIC) !=
            SQLITE_OK)
        return s_fail(s, err, "binding the metric values");
    return storeimpl_run(s, st, err, "storing the metric values");
}

static int s_metric_index(const store_t *s, sqlite3_int64 id);

/* A stored pack back into a row; records of metrics this version does not know, or
 * malformed ones, are skipped. */
static void s_unpack(const store_t *s, const uint8_t *p, size_t len, cons_row_t *row)
{
    for (size_t at = 0; at + S_PACK_RECORD <= len; at += S_PACK_RECORD) {
        const uint8_t *r = p + at;
        uint32_t id = (uint32_t)r[0] | (uint32_t)r[1] << 8 | (uint32_t)r[2] << 16 |
                      (uint32_t)r[3] << 24;
        int k = s_metric_index(s, id);
        if (k < 0)
            continue;
        metric_value_t *v = &row->v[k];
        v->present = r[4] == 1;
        v->i = (int64_t)s_get64(r + 5);
        v->d = s_double(s_get64(r + 13));
        v->num = s_double(s_get64(r + 21));
        v->den = s_double(s_get64(r + 29));
    }
}

static int s_latest(store_t *s, const store_logged_t *l, const cons_row_t *row,
                    samla_err_t *err)
{
    sqlite3_stmt *st = s->ls[LS_LATEST_PUT];
    if (sqlite3_bind_text(st, 1, l->orgnr, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 2, l->period, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 3, l->id, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(st, 4, l->revision) != SQLITE_OK ||
        sqlite3_bind_text(st, 5, l->received_at, -1, SQLITE_STATIC) != SQLITE_OK)
        return s_fail(s, err, "binding the latest revision");
    if (storeimpl_run(s, st, err, "storing the latest revision"))
        return -1;
    st = s->ls[LS_DISCLOSURE_PUT];
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
    return s_pack(s, l, row, err);
}

int store_derive(store_t *self, const store_logged_t *s, const Samla__V1__Submission *sub,
                 const figures_t *f, const cons_row_t *metrics, samla_err_t *err)
{
    if (f && s_totals(self, s->id, f, err))
        return -1;
    if (sub && (s_areas(self, s->id, sub, err) || s_participants(self, s->id, sub, err)))
        return -1;
    if (!s->latest)
        return 0;
    cons_row_t none;
    if (!metrics) { /* an unreadable body: the month counts as reported, without figures */
        memset(&none, 0, sizeof none);
        none.revision = s->revision;
        metrics = &none;
    }
    return s_latest(self, s, metrics, err);
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

/* The metric_table index of a stored metric id; -1 for one this version does not know. */
static int s_metric_index(const store_t *s, sqlite3_int64 id)
{
    return id > 0 && (size_t)id < s->metric_ids ? s->metric_of_id[id] - 1 : -1;
}

/* Every metric of a period: one packed row per förbund. */
static int s_period_packs(store_t *self, const char *period, store_slot_fn slot, void *arg,
                          samla_err_t *err)
{
    sqlite3_stmt *st = self->ls[LS_PERIOD_PACKS];
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
        s_unpack(self, sqlite3_column_blob(st, 3), (size_t)sqlite3_column_bytes(st, 3), row);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : s_fail(self, err, "reading metric values");
}

int store_period(store_t *self, const char *period, int metric, store_slot_fn slot, void *arg,
                 samla_err_t *err)
{
    if (metric < 0)
        return s_period_packs(self, period, slot, arg, err);
    sqlite3_stmt *st = self->ls[LS_METRIC_FACTS];
    if (sqlite3_bind_text(st, 1, period, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
        (metric >= 0 && sqlite3_bind_int64(st, 2, self->metric_id[metric]) != SQLITE_OK))
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
        sqlite3_bind_int64(st, 2, self->metric_id[metric]) != SQLITE_OK ||
        sqlite3_bind_text(st, 3, from, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
        sqlite3_bind_text(st, 4, to, -1, SQLITE_TRANSIENT) != SQLITE_OK)
        return s_fail(self, err, "bind");
    return 0;
}

int store_own(store_t *self, const char *orgnr, size_t metric, const char *from,
              const char *to, store_point_fn fn, void *arg, samla_err_t *err)
{
    sqlite3_stmt *st = self->ls[LS_OWN_FACTS];
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

int store_areas(store_t *self, const char *orgnr, const char *period, store_area_fn fn,
                void *arg, unsigned *revision, samla_err_t *err)
{
    sqlite3_stmt *st = self->ls[LS_AREAS];
    *revision = 0;
    if (sqlite3_bind_text(st, 1, orgnr, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
        sqlite3_bind_text(st, 2, period, -1, SQLITE_TRANSIENT) != SQLITE_OK)
        return s_fail(self, err, "bind");
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        *revision = (unsigned)sqlite3_column_int64(st, 0);
        const char *code = (const char *)sqlite3_column_text(st, 1);
        if (!code) /* a revision without cost areas */
            continue;
        const char *name = (const char *)sqlite3_column_text(st, 2);
        const char *cls = (const char *)sqlite3_column_text(st, 3);
        store_area_t a = {
            .code = code, .name = name ? name : code, .class_name = cls ? cls : "other",
            .outcome = sqlite3_column_int64(st, 4), .income = sqlite3_column_int64(st, 5),
            .budget = sqlite3_column_int64(st, 6),
            .has_budget_year = sqlite3_column_type(st, 7) != SQLITE_NULL,
            .budget_year = sqlite3_column_int64(st, 7),
            .has_forecast = sqlite3_column_type(st, 8) != SQLITE_NULL,
            .forecast = sqlite3_column_int64(st, 8),
        };
        fn(arg, &a);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : s_fail(self, err, "reading cost areas");
}

int store_participants(store_t *self, const char *period, store_part_fn fn, void *arg,
                       samla_err_t *err)
{
    sqlite3_stmt *st = self->ls[LS_PARTICIPANTS];
    if (sqlite3_bind_text(st, 1, period, -1, SQLITE_TRANSIENT) != SQLITE_OK)
        return s_fail(self, err, "bind");
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        store_part_t r = {
            .orgnr = (const char *)sqlite3_column_text(st, 0),
            .revision = (unsigned)sqlite3_column_int64(st, 1),
            .intervention = (const char *)sqlite3_column_text(st, 2),
            .kind = (const char *)sqlite3_column_text(st, 3),
            .measure = (const char *)sqlite3_column_text(st, 4),
            .category = (const char *)sqlite3_column_text(st, 5),
        };
        for (int g = 0; g < 3; g++) /* CHECK (>= 0) in the schema */
            r.count[g] = (uint64_t)sqlite3_column_int64(st, 6 + g);
        if (r.orgnr)
            fn(arg, &r);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : s_fail(self, err, "reading participant counts");
}

static int s_bind_real(sqlite3_stmt *st, int i, bool has, double v)
{
    return has ? sqlite3_bind_double(st, i, v) : sqlite3_bind_null(st, i);
}

int store_group_put(store_t *self, const char *group, const char *period, size_t metric,
                    const cons_agg_t *agg, samla_err_t *err)
{
    sqlite3_stmt *st = self->ls[LS_GROUP_PUT];
    bool any = agg->st.count > 0;
    if (sqlite3_bind_text(st, 1, group, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
        sqlite3_bind_text(st, 2, period, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
        sqlite3_bind_int64(st, 3, self->metric_id[metric]) != SQLITE_OK ||
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
    sqlite3_stmt *st = self->ls[LS_GROUP_RANGE];
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
    if (sqlite3_exec(self->db, "DELETE FROM group_metric", NULL, NULL, NULL) != SQLITE_OK)
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

int store_figures(store_t *self, const char *orgnr, const char *period, unsigned revision,
                  figures_t *f, unsigned *got, samla_err_t *err)
{
    sqlite3_stmt *st = self->ls[LS_TOTALS_GET];
    if (sqlite3_bind_text(st, 1, orgnr, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
        sqlite3_bind_text(st, 2, period, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
        sqlite3_bind_int64(st, 3, (sqlite3_int64)revision) != SQLITE_OK)
        return s_fail(self, err, "bind");
    memset(f, 0, sizeof *f);
    int rc, found = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        found = 1;
        *got = (unsigned)sqlite3_column_int(st, 0);
        for (size_t i = 0; i < figure_field_count; i++)
            *figures_field(f, i) = sqlite3_column_int64(st, 1 + (int)i);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? found : s_fail(self, err, "reading figures");
}

int store_disclosure(store_t *self, const char *period, store_disclosure_fn fn, void *arg,
                     samla_err_t *err)
{
    sqlite3_stmt *st = self->ls[LS_DISCLOSURE_GET];
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

/* --- rederive ------------------------------------------------------------------------- */

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
    if (sqlite3_exec(self->db, SQL_CLEAR_DERIVED, NULL, NULL, NULL) != SQLITE_OK)
        return s_fail(self, err, "emptying the derived tables");
    return 0;
}

int store_each(store_t *self, store_log_fn fn, void *arg, samla_err_t *err)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(self->db, SQL_EACH, -1, &st, NULL) != SQLITE_OK)
        return s_fail(self, err, "reading the log");
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
            sqlite3_finalize(st);
            return -1;
        }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : s_fail(self, err, "reading the log");
}
