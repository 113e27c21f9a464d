/* The store: revisions, duplicates, conflicts, latest figures, rollback, schema versions. */
#include <math.h>
#include <sqlite3.h>

#include "derive.h"
#include "ingest.h"
#include "store.h"
#include "store_cons.h"
#include "store_details.h"
#include "store_pack.h"
#include "store_registry.h"
#include "testutil.h"

static store_put_t s_put(store_t *st, const char *id, const char *period, uint8_t fill,
                         int64_t cash, unsigned *rev)
{
    uint8_t sha[32];
    memset(sha, fill, sizeof sha);
    figures_t f;
    memset(&f, 0, sizeof f);
    f.has_ledger = 1;
    f.cash = cash;
    cons_row_t m;
    cons_row(&f, 1, 1, 0, &m);
    store_submission_t s = {id, "222000-2048", period, "fp", sha, (const uint8_t *)"b", 1, NULL, NULL};
    samla_err_t err;
    store_receipt_t s_r;
    store_put_t r = derive_put(st, &s, NULL, &f, &m, &s_r, &err);
    if (r == STORE_FAILED)
        fail_msg("store_put: %s", err.msg);
    *rev = s_r.revision;
    return r;
}

/* A put with a content hash (every byte `content`) and limits; the body is `body_len`
 * bytes. */
static store_put_t s_put_content(store_t *st, const char *id, uint8_t content,
                                 const store_limits_t *lim, size_t body_len, unsigned *rev,
                                 samla_err_t *err)
{
    uint8_t sha[32], csha[32];
    memset(sha, content, sizeof sha);
    sha[0] = (uint8_t)id[35]; /* each id its own envelope */
    memset(csha, content, sizeof csha);
    static uint8_t body[4096];
    figures_t f;
    memset(&f, 0, sizeof f);
    f.has_ledger = 1;
    cons_row_t m;
    cons_row(&f, 1, 1, 0, &m);
    store_submission_t s = {id, "222000-2048", "2025-06", "fp", sha, body, body_len, csha, lim};
    store_receipt_t s_r;
    store_put_t r = derive_put(st, &s, NULL, &f, &m, &s_r, err);
    *rev = s_r.revision;
    return r;
}

/* The same month twice (CONTRACT.md): content equal to the latest revision's stores
 * nothing and names that revision; a change is the next revision; and content equal to
 * an older revision but not the latest is a change back, so a new revision. */
static void test_unchanged_content(void **state)
{
    (void)state;
    char path[300];
    snprintf(path, sizeof path, "%s/u.db", tu_dir);
    samla_err_t err;
    store_t *st = store_open(path, &err);
    assert_non_null(st);
    unsigned rev;
    assert_int_equal(store_begin(st, &err), 0);
    const char *ids[] = {"00000000-0000-4000-8000-000000000a01",
                         "00000000-0000-4000-8000-000000000a02",
                         "00000000-0000-4000-8000-000000000a03",
                         "00000000-0000-4000-8000-000000000a04"};
    assert_int_equal(s_put_content(st, ids[0], 7, NULL, 10, &rev, &err), STORE_INSERTED);
    assert_int_equal(rev, 1);
    assert_int_equal(s_put_content(st, ids[1], 7, NULL, 10, &rev, &err), STORE_UNCHANGED);
    assert_int_equal(rev, 1);
    assert_int_equal(s_put_content(st, ids[2], 8, NULL, 10, &rev, &err), STORE_INSERTED);
    assert_int_equal(rev, 2);
    assert_int_equal(s_put_content(st, ids[3], 7, NULL, 10, &rev, &err), STORE_INSERTED);
    assert_int_equal(rev, 3);
    assert_int_equal(store_commit(st, &err), 0);
    store_close(&st);
}

/* Limits per förbund key: the revisions of one month, and the bytes of one day; past
 * either nothing is stored and the reason names the setting. */
static void test_limits(void **state)
{
    (void)state;
    char path[300];
    snprintf(path, sizeof path, "%s/l.db", tu_dir);
    samla_err_t err;
    store_t *st = store_open(path, &err);
    assert_non_null(st);
    unsigned rev;
    store_limits_t two = {2, 0};
    assert_int_equal(store_begin(st, &err), 0);
    assert_int_equal(s_put_content(st, "00000000-0000-4000-8000-000000000b01", 1, &two, 10,
                                   &rev, &err), STORE_INSERTED);
    assert_int_equal(s_put_content(st, "00000000-0000-4000-8000-000000000b02", 2, &two, 10,
                                   &rev, &err), STORE_INSERTED);
    assert_int_equal(s_put_content(st, "00000000-0000-4000-8000-000000000b03", 3, &two, 10,
                                   &rev, &err), STORE_OVER_LIMIT);
    assert_non_null(strstr(err.msg, "limits.revisions_per_month"));
    /* unchanged is no new revision, so not over the limit */
    assert_int_equal(s_put_content(st, "00000000-0000-4000-8000-000000000b04", 2, &two, 10,
                                   &rev, &err), STORE_UNCHANGED);
    store_limits_t bytes = {0, 3000};
    assert_int_equal(s_put_content(st, "00000000-0000-4000-8000-000000000b05", 4, &bytes, 2000,
                                   &rev, &err), STORE_INSERTED);
    assert_int_equal(s_put_content(st, "00000000-0000-4000-8000-000000000b06", 5, &bytes, 2000,
                                   &rev, &err), STORE_OVER_LIMIT);
    assert_non_null(strstr(err.msg, "limits.megabytes_per_day"));
    assert_int_equal(store_commit(st, &err), 0);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM submission", -1, &q, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(q, 0), 3); /* nothing of what was refused */
    sqlite3_finalize(q);
    sqlite3_close(db);
    store_close(&st);
}

typedef struct {
    int calls;
    cons_row_t row;
} latest_t;

static cons_row_t *s_latest(void *arg, const char *orgnr)
{
    latest_t *l = arg;
    assert_string_equal(orgnr, "222000-2048");
    l->calls++;
    return &l->row;
}

static void test_revisions_and_duplicates(void **state)
{
    (void)state;
    char path[300];
    snprintf(path, sizeof path, "%s/a.db", tu_dir);
    samla_err_t err;
    store_t *st = store_open(path, &err);
    assert_non_null(st);
    assert_false(store_needs_rederive(st)); /* a new database has nothing to rebuild */
    unsigned rev;
    assert_int_equal(store_begin(st, &err), 0);
    assert_int_equal(s_put(st, "00000000-0000-4000-8000-000000000001", "2025-01", 1, 100, &rev),
                     STORE_INSERTED);
    assert_int_equal(rev, 1);
    assert_int_equal(s_put(st, "00000000-0000-4000-8000-000000000002", "2025-01", 2, 200, &rev),
                     STORE_INSERTED);
    assert_int_equal(rev, 2);
    assert_int_equal(s_put(st, "00000000-0000-4000-8000-000000000001", "2025-01", 1, 100, &rev),
                     STORE_DUPLICATE);
    assert_int_equal(rev, 1);
    assert_int_equal(s_put(st, "00000000-0000-4000-8000-000000000001", "2025-01", 9, 100, &rev),
                     STORE_CONFLICT);
    assert_int_equal(store_commit(st, &err), 0);
    /* a rolled back transaction leaves nothing */
    assert_int_equal(store_begin(st, &err), 0);
    assert_int_equal(s_put(st, "00000000-0000-4000-8000-000000000003", "2025-01", 3, 300, &rev),
                     STORE_INSERTED);
    store_rollback(st);
    /* layer 3 holds the latest revision only: one row, one value per metric */
    latest_t l;
    memset(&l, 0, sizeof l);
    assert_int_equal(store_period(st, "2025-01", -1, s_latest, &l, &err), 0);
    assert_int_equal(l.calls, 1);
    assert_int_equal(l.row.revision, 2);
    const metric_t *cash = metric_find("liquidity_ratio");
    assert_false(l.row.v[cash - metric_table].present); /* no current liabilities */
    memset(&l, 0, sizeof l);
    assert_int_equal(store_period(st, "2025-01", (int)(metric_find("equity") - metric_table),
                                  s_latest, &l, &err), 0);
    assert_int_equal(l.calls, 1);
    assert_true(l.row.v[metric_find("equity") - metric_table].present);
    figures_t back;
    unsigned got;
    assert_int_equal(store_figures(st, "222000-2048", "2025-01", 0, &back, &got, &err), 1);
    assert_int_equal(got, 2);
    assert_int_equal(back.cash, 200);
    assert_int_equal(store_figures(st, "222000-2048", "2025-01", 1, &back, &got, &err), 1);
    assert_int_equal(back.cash, 100);
    memset(&l, 0, sizeof l);
    assert_int_equal(store_period(st, "2025-02", -1, s_latest, &l, &err), 0);
    assert_int_equal(l.calls, 0);
    store_close(&st);
    /* reopened, the committed rows are there */
    st = store_open(path, &err);
    assert_non_null(st);
    assert_int_equal(store_begin(st, &err), 0);
    assert_int_equal(s_put(st, "00000000-0000-4000-8000-000000000002", "2025-01", 2, 200, &rev),
                     STORE_DUPLICATE);
    assert_int_equal(rev, 2);
    assert_int_equal(store_commit(st, &err), 0);
    store_close(&st);
}

static void test_newer_schema_refused(void **state)
{
    (void)state;
    char path[300];
    snprintf(path, sizeof path, "%s/new.db", tu_dir);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    samla_err_t err;
    store_t *st = store_open(path, &err);
    assert_null(st);
    assert_non_null(strstr(err.msg, "schema version 99, newer than this samlad knows"));
    assert_null(store_open("/nonexistent-dir/x.db", &err));
}

static void test_every_figure_round_trips(void **state)
{
    (void)state;
    char path[300];
    snprintf(path, sizeof path, "%s/rt.db", tu_dir);
    samla_err_t err;
    store_t *st = store_open(path, &err);
    assert_non_null(st);
    figures_t f, back;
    for (size_t i = 0; i < figure_field_count; i++) /* flags 0 or 1, the rest distinct */
        *figures_field(&f, i) = i < 3 ? (int64_t)(i % 2) : (int64_t)i * 1000003 + 7;
    uint8_t sha[32] = {1};
    cons_row_t m;
    cons_row(&f, 1, 5, 0, &m);
    store_submission_t s = {"00000000-0000-4000-8000-0000000000aa", "222000-2048", "2025-05",
                            "fp", sha, (const uint8_t *)"b", 1, NULL, NULL};
    unsigned got;
    store_receipt_t s_r;
    assert_int_equal(store_begin(st, &err), 0);
    assert_int_equal(derive_put(st, &s, NULL, &f, &m, &s_r, &err), STORE_INSERTED);
    assert_int_equal(store_commit(st, &err), 0);
    assert_int_equal(store_figures(st, "222000-2048", "2025-05", 0, &back, &got, &err), 1);
    for (size_t i = 0; i < figure_field_count; i++)
        if (*figures_field(&back, i) != *figures_field(&f, i))
            fail_msg("%s: stored %lld, read %lld", figure_fields[i].name,
                     (long long)*figures_field(&f, i), (long long)*figures_field(&back, i));
    store_close(&st);
}

static cons_row_t *s_one_row(void *arg, const char *orgnr)
{
    (void)orgnr;
    return arg;
}

/* The packed form (metric_pack, what a compare reads) says what the fact rows
 * (metric_fact, what the views and single-metric reads use) say, metric by metric: the
 * pack is made from the fact rows, and both say what was derived. And it stays small
 * enough to sit in its B-tree page (SQLite moves a WITHOUT ROWID row of more than about
 * 1000 bytes of a 4096-byte page to overflow pages, one more read per förbund). */
static void test_pack_matches_facts(void **state)
{
    (void)state;
    char path[300];
    snprintf(path, sizeof path, "%s/pk.db", tu_dir);
    samla_err_t err;
    store_t *st = store_open(path, &err);
    assert_non_null(st);
    figures_t f;
    for (size_t i = 0; i < figure_field_count; i++)
        *figures_field(&f, i) = i < 3 ? 1 : (int64_t)(i * 7919 % 100000) + 3;
    f.p_ended = 0; /* a zero denominator: null shares, which must read back as null */
    uint8_t sha[32] = {2};
    cons_row_t m;
    cons_row(&f, 1, 6, 29000, &m);
    store_submission_t s = {"00000000-0000-4000-8000-0000000000cc", "222000-2048", "2025-06",
                            "fp", sha, (const uint8_t *)"b", 1, NULL, NULL};
    store_receipt_t s_r;
    assert_int_equal(store_begin(st, &err), 0);
    assert_int_equal(derive_put(st, &s, NULL, &f, &m, &s_r, &err), STORE_INSERTED);
    assert_int_equal(store_commit(st, &err), 0);
    cons_row_t packed, fact;
    memset(&packed, 0, sizeof packed);
    assert_int_equal(store_period(st, "2025-06", -1, s_one_row, &packed, &err), 0);
    size_t nulls = 0;
    for (size_t k = 0; k < metric_count; k++) {
        memset(&fact, 0, sizeof fact);
        assert_int_equal(store_period(st, "2025-06", (int)k, s_one_row, &fact, &err), 0);
        const metric_value_t *a = &packed.v[k], *b = &fact.v[k], *w = &m.v[k];
        nulls += !w->present;
        if (a->present != w->present || b->present != w->present || a->i != b->i ||
            a->i != w->i || a->d != b->d || a->num != b->num || a->den != b->den)
            fail_msg("%s: written %d/%lld/%g, pack %d/%lld/%g, fact %d/%lld/%g",
                     metric_table[k].name, w->present, (long long)w->i, w->d, a->present,
                     (long long)a->i, a->d, b->present, (long long)b->i, b->d);
    }
    assert_true(nulls > 0 && nulls < metric_count); /* both kinds were compared */
    store_close(&st);
    sqlite3 *db;
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT length(pack) FROM metric_pack", -1, &q,
                                        NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    int len = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    sqlite3_close(db);
    if (len <= 0 || len > 1000)
        fail_msg("a pack of %d bytes", len);
}

/* A figure beyond what ingest admits (INT64_MAX in a cost-area class) is refused by the
 * table's CHECK constraint: the batch fails, nothing of it stays, nothing is acknowledged. */
static void test_out_of_bounds_row_refused(void **state)
{
    (void)state;
    char path[300];
    snprintf(path, sizeof path, "%s/oob.db", tu_dir);
    samla_err_t err;
    store_t *st = store_open(path, &err);
    assert_non_null(st);
    figures_t f = {0}, back;
    f.has_ledger = f.has_cost_areas = 1;
    f.cost_individual = INT64_MAX;
    uint8_t sha[32] = {2};
    store_submission_t s = {"00000000-0000-4000-8000-0000000000bb", "222000-2048", "2025-05",
                            "fp", sha, (const uint8_t *)"b", 1, NULL, NULL};
    unsigned got;
    store_receipt_t s_r;
    assert_int_equal(store_begin(st, &err), 0);
    assert_int_equal(derive_put(st, &s, NULL, &f, NULL, &s_r, &err), STORE_FAILED);
    assert_non_null(strstr(err.msg, "CHECK constraint failed"));
    store_rollback(st);
    assert_int_equal(store_figures(st, "222000-2048", "2025-05", 0, &back, &got, &err), 0);
    store_close(&st);
}

static registry_t *s_fixture_registry(void)
{
    member_t m[2];
    memset(m, 0, sizeof m);
    m[0].role = m[1].role = ROLE_FORBUND;
    snprintf(m[0].orgnr, sizeof m[0].orgnr, "222000-9993");
    snprintf(m[1].orgnr, sizeof m[1].orgnr, "222000-2048");
    m[0].name = "Samordningsförbundet Exempeldalen";
    m[1].name = "Samordningsförbundet Vänersborg/Mellerud";
    m[0].population = 41000;
    m[1].population = 29000;
    snprintf(m[0].public_txt, sizeof m[0].public_txt, "%040d", 1);
    snprintf(m[1].public_txt, sizeof m[1].public_txt, "%040d", 2);
    return registry_of(NULL, m, 2);
}

static void s_near(double got, double want, double eps)
{
    if (!(fabs(got - want) <= eps))
        fail_msg("got %.17g, want %.17g", got, want);
}

/* One value through the database's interface (a view), as an analyst's SQL tool reads it
 * from another connection; NAN when the row is missing or NULL. */
static double s_view(const char *path, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *q;
    double v = NAN;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_type(q, 0) != SQLITE_NULL)
        v = sqlite3_column_double(q, 0);
    sqlite3_finalize(q);
    sqlite3_close(db);
    return v;
}

/* A copy of the database written by schema version 1 (tests/data/upgrade/store-v1.db,
 * made by the version-1 code from the worked example) at tu_dir/name, opened (which
 * migrates it) and its derived tables rebuilt as samlad does at the first start. */
static store_t *s_open_v1(const char *name, const registry_t *reg, char *path, size_t size)
{
    char cmd[700];
    snprintf(path, size, "%s/%s", tu_dir, name);
    snprintf(cmd, sizeof cmd, "cp %s/tests/data/upgrade/store-v1.db %s", SAMLA_SOURCE_DIR, path);
    assert_int_equal(system(cmd), 0);
    samla_err_t err;
    store_t *st = store_open(path, &err);
    if (!st)
        fail_msg("%s", err.msg);
    /* schema 4 asks for the derived tables to be rebuilt from the bodies */
    assert_true(store_needs_rederive(st));
    long long n = 0;
    assert_int_equal(derive_registry(st, reg, &err), 0);
    if (derive_all(st, reg, &n, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(n, 4);
    assert_false(store_needs_rederive(st));
    return st;
}

/* metric_value's count, total of values and of revisions, to tell one state from another. */
static void s_value_sums(const char *path, double sums[3])
{
    sums[0] = s_view(path, "SELECT COUNT(*) FROM metric_value");
    sums[1] = s_view(path, "SELECT TOTAL(value) FROM metric_value");
    sums[2] = s_view(path, "SELECT TOTAL(revision) FROM metric_value");
}

/* Version 1 opens, migrates and reads the same figures; the views show them. */
static void test_migrates_version_1(void **state)
{
    (void)state;
    char path[300];
    registry_t *reg = s_fixture_registry();
    store_t *st = s_open_v1("v1.db", reg, path, sizeof path);
    samla_err_t err;
    figures_t f;
    unsigned got;
    assert_int_equal(store_figures(st, "222000-9993", "2024-12", 1, &f, &got, &err), 1);
    assert_int_equal(got, 1);
    assert_int_equal(f.contributions_state, 300000000);
    assert_int_equal(f.equity, 255330000);
    assert_int_equal(f.p_work_or_studies, 58);
    assert_int_equal(store_figures(st, "222000-9993", "2024-12", 0, &f, &got, &err), 1);
    assert_int_equal(got, 2);
    assert_int_equal(f.has_participants, 0); /* revision 2 came without the CSV */
    assert_int_equal(store_figures(st, "222000-2048", "2025-12", 0, &f, &got, &err), 1);
    assert_int_equal(f.financial_costs, 153000);
    store_close(&st);
    registry_destroy(&reg);
    /* the views: kronor, the latest revision, NULL where a metric cannot be computed */
    s_near(s_view(path, "SELECT value FROM metric_value WHERE orgnr = "
                                     "'222000-9993' AND period = '2024-12' AND metric = "
                                     "'equity'"), 2553300.0, 1e-9);
    assert_true(isnan(s_view(path, "SELECT value FROM metric_value WHERE orgnr = "
                                   "'222000-9993' AND period = '2024-12' AND metric = "
                                   "'participants'")));
    s_near(s_view(path, "SELECT revision FROM metric_value WHERE orgnr = "
                                     "'222000-9993' AND period = '2024-12' LIMIT 1"), 2, 0);
    s_near(s_view(path, "SELECT count FROM region_metric WHERE comparison_group"
                                     " = 'alla' AND period = '2025-12' AND metric = 'costs'"),
                        1, 0);
    assert_true(s_view(path, "SELECT COUNT(*) FROM cost_area WHERE orgnr = '222000-2048' AND "
                             "period = '2025-12'") > 0);
    assert_true(s_view(path, "SELECT SUM(women + men + unspecified) FROM participant_count "
                             "WHERE orgnr = '222000-2048' AND period = '2025-12'") > 0);
    s_near(s_view(path, "PRAGMA user_version"), STORE_SCHEMA_VERSION, 0);
}

/* Derived figures computed another way (as by an older definition): rederive gives
 * today's for every stored month again, from the bodies in the log. */
static void test_rederive_restores(void **state)
{
    (void)state;
    char path[300];
    registry_t *reg = s_fixture_registry();
    store_t *st = s_open_v1("v1-rederive.db", reg, path, sizeof path);
    store_close(&st);
    double before[3], after[3];
    s_value_sums(path, before);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "UPDATE metric_fact SET value_ore = value_ore + 100, "
                                      "value_ratio = value_ratio * 2; UPDATE group_metric SET"
                                      " median = -1; DELETE FROM metric_pack", NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    samla_err_t err;
    long long n = 0;
    st = store_open(path, &err);
    assert_non_null(st);
    if (derive_all(st, reg, &n, &err))
        fail_msg("%s", err.msg);
    store_close(&st);
    registry_destroy(&reg);
    s_value_sums(path, after);
    for (int i = 0; i < 3; i++)
        s_near(after[i], before[i], 1e-6);
    assert_true(before[0] >= 3 * (double)metric_count); /* three (förbund, period) */
    assert_true(isnan(s_view(path, "SELECT median FROM group_metric WHERE median = -1")));
    assert_true(s_view(path, "SELECT COUNT(*) FROM metric_pack") >= 3);
}

/* Groups: aggregates over each group's members, kept per (group, period, metric). */
static void test_group_aggregates(void **state)
{
    (void)state;
    char path[300];
    snprintf(path, sizeof path, "%s/groups.db", tu_dir);
    samla_err_t err;
    store_t *st = store_open(path, &err);
    assert_non_null(st);
    registry_t *reg = s_fixture_registry();
    const char *orgnr[2] = {"222000-9993", "222000-2048"};
    for (int i = 0; i < 2; i++) {
        figures_t f = {0};
        f.has_ledger = 1;
        f.contributions_state = (i + 1) * 100000; /* 1 000 and 2 000 kronor */
        cons_row_t m;
        derive_metrics(reg, orgnr[i], "2025-03", &f, NULL, 1, &m);
        uint8_t sha[32] = {(uint8_t)i};
        char id[40];
        snprintf(id, sizeof id, "00000000-0000-4000-8000-00000000000%d", i);
        store_submission_t s = {id, orgnr[i], "2025-03", "fp", sha, (const uint8_t *)"b", 1,
                                NULL, NULL};
        store_receipt_t s_r;
        assert_int_equal(store_begin(st, &err), 0);
        assert_int_equal(derive_put(st, &s, NULL, &f, &m, &s_r, &err), STORE_INSERTED);
        assert_int_equal(derive_groups(st, reg, "2025-03", &err), 0);
        assert_int_equal(store_commit(st, &err), 0);
    }
    store_close(&st);
    s_near(s_view(path, "SELECT sum FROM region_metric WHERE comparison_group ="
                                     " 'alla' AND period = '2025-03' AND metric ="
                                     " 'contributions'"), 3000.0, 1e-9);
    s_near(s_view(path, "SELECT median FROM region_metric WHERE period ="
                                     " '2025-03' AND metric = 'contributions'"), 1500.0, 1e-9);
    /* contributions per inhabitant: (1 000 + 2 000) / (41 000 + 29 000), the region as one */
    s_near(s_view(path, "SELECT region FROM region_metric WHERE period ="
                                     " '2025-03' AND metric = 'contributions_per_inhabitant'"),
                        3000.0 / 70000.0, 1e-12);
    registry_destroy(&reg);
}

typedef struct {
    char flags[4][300];
    unsigned revisions[4];
} status_t;

static void s_status(void *arg, const char *orgnr, const char *period, unsigned revisions,
                     const char *last, const char *flag)
{
    (void)orgnr, (void)last;
    status_t *st = arg;
    int m = period[6] - '4'; /* 2025-04 .. 2025-07 */
    assert_true(m >= 0 && m < 4);
    st->revisions[m] = revisions;
    snprintf(st->flags[m], sizeof st->flags[m], "%s", flag ? flag : "");
}

/* Puts one month's participant counts to date and applies samlad's check to it. */
static void s_put_counts(store_t *st, const char *id, const char *period, int64_t nya,
                         bool participants)
{
    uint8_t sha[32];
    memset(sha, id[0], sizeof sha);
    figures_t f;
    memset(&f, 0, sizeof f);
    f.has_participants = participants;
    f.p_new = nya;
    f.p_ended = 2;
    cons_row_t m;
    cons_row(&f, 1, 1, 0, &m);
    store_submission_t s = {id, "222000-2048", period, "fp", sha, (const uint8_t *)"b", 1, NULL, NULL};
    samla_err_t err;
    store_receipt_t s_r;
    assert_int_equal(store_begin(st, &err), 0);
    assert_int_equal(derive_put(st, &s, NULL, &f, &m, &s_r, &err), STORE_INSERTED);
    if (ingest_check_counts(st, id, "222000-2048", period, &f, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(store_commit(st, &err), 0);
}

/* Issue 12, item 6: counts to date that fall below the previous month's flag the month,
 * until a corrected revision arrives. */
static void test_falling_counts_flag_the_month(void **state)
{
    (void)state;
    char path[300];
    snprintf(path, sizeof path, "%s/flags.db", tu_dir);
    samla_err_t err;
    store_t *st = store_open(path, &err);
    assert_non_null(st);
    s_put_counts(st, "a", "2025-04", 10, true);
    s_put_counts(st, "b", "2025-05", 15, true);
    s_put_counts(st, "c", "2025-06", 12, true); /* December's? another förbund's? */
    s_put_counts(st, "d", "2025-07", 1, false); /* no participant file: nothing to compare */
    status_t s;
    memset(&s, 0, sizeof s);
    assert_int_equal(store_status(st, "2025-01", "2025-12", s_status, &s, &err), 0);
    assert_string_equal(s.flags[0], "");
    assert_string_equal(s.flags[1], "");
    assert_string_equal(s.flags[2], "nya hittills sjönk från 15 i 2025-05 till 12: antal "
                                    "hittills kan inte sjunka; är det rätt förbunds fil för "
                                    "rätt månad?");
    assert_string_equal(s.flags[3], "");
    /* the corrected revision clears it; the flagged one stays stored */
    s_put_counts(st, "e", "2025-06", 17, true);
    memset(&s, 0, sizeof s);
    assert_int_equal(store_status(st, "2025-01", "2025-12", s_status, &s, &err), 0);
    assert_int_equal(s.revisions[2], 2);
    assert_string_equal(s.flags[2], "");
    store_close(&st);
}

/* The population in force at a time: the last snapshot before it, else the first one,
 * also when snapshots are taken within the same second. */
static void test_population_snapshots(void **state)
{
    (void)state;
    char path[300];
    snprintf(path, sizeof path, "%s/snap.db", tu_dir);
    samla_err_t err;
    store_t *st = store_open(path, &err);
    assert_non_null(st);
    store_member_t m = {"222000-2048", "VM", 29000};
    bool changed;
    assert_int_equal(store_begin(st, &err), 0);
    assert_int_equal(store_snapshot(st, &m, 1, NULL, 0, &changed, &err), 0);
    assert_true(changed);
    assert_int_equal(store_snapshot(st, &m, 1, NULL, 0, &changed, &err), 0);
    assert_false(changed); /* the same registry: no new snapshot */
    m.population = 58000;
    assert_int_equal(store_snapshot(st, &m, 1, NULL, 0, &changed, &err), 0);
    assert_true(changed);
    assert_int_equal(store_commit(st, &err), 0);
    assert_int_equal(store_population_at(st, "222000-2048", "2001-01-01T00:00:00Z", &err),
                     29000);
    assert_int_equal(store_population_at(st, "222000-2048", "2999-01-01T00:00:00Z", &err),
                     58000);
    assert_int_equal(store_population_at(st, "222000-0000", "2999-01-01T00:00:00Z", &err), -1);
    store_close(&st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_revisions_and_duplicates),
        cmocka_unit_test(test_unchanged_content),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_newer_schema_refused),
        cmocka_unit_test(test_every_figure_round_trips),
        cmocka_unit_test(test_pack_matches_facts),
        cmocka_unit_test(test_out_of_bounds_row_refused),
        cmocka_unit_test(test_group_aggregates),
        cmocka_unit_test(test_population_snapshots),
        cmocka_unit_test(test_migrates_version_1),
        cmocka_unit_test(test_rederive_restores),
        cmocka_unit_test(test_falling_counts_flag_the_month),
    };
    return cmocka_run_group_tests(tests, tu_dir_make, tu_dir_remove);
}
