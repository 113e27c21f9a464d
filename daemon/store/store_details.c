/* store_details: layer 2 (store_details.h). docs/database.md describes the tables and the
 * views over them for SQL users. */
#include "store_details.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storeimpl.h"

#define s_fail storeimpl_fail

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
    FIGURES_PEOPLE_KINDS(S_COL) FIGURES_PEOPLE_BANDED(S_COL)

static const char SQL_TOTALS_PUT[] =
    "INSERT INTO totals (submission_id" S_TOTALS_COLUMNS ") VALUES (?" FIGURES_ALL(S_PARAM) ")";
static const char SQL_TOTALS_GET[] =
    "SELECT s.revision" FIGURES_FLAGS(S_TCOL) FIGURES_LEDGER(S_TCOL_ORE)
    FIGURES_AREAS(S_TCOL_ORE) FIGURES_PEOPLE(S_TCOL)
    FIGURES_PEOPLE_SPLIT(S_TCOL) FIGURES_PEOPLE_KINDS(S_TCOL) FIGURES_PEOPLE_BANDED(S_TCOL)
    " FROM submission s JOIN totals t ON t.submission_id = s.id"
    " WHERE s.orgnr = ?1 AND s.period = ?2 AND s.revision = CASE WHEN ?3 > 0 THEN ?3 ELSE"
    " (SELECT revision FROM latest WHERE orgnr = ?1 AND period = ?2) END";
/* A revision's detail number: what its area and participant rows refer to, in a few
 * bytes instead of the 36 of its id. */
static const char SQL_DETAIL_PUT[] = "INSERT INTO detail (submission_id) VALUES (?1)";
/* name NULL: the same as code; class and kind as the numbers of s_classes and s_kinds. */
static const char SQL_AREA_PUT[] =
    "INSERT INTO area (detail, code, name, class, costs_ore, income_ore,"
    " budget_costs_ore, budget_income_ore, budget_year_costs_ore, forecast_costs_ore)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
static const char SQL_PART_PUT[] =
    "INSERT INTO participant (detail, row, intervention, kind, measure, category,"
    " women, men, unspecified, cost_area) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
/* An area's full-year forecast stays in force for the following months of the year until
 * a new one is sent (CONTRACT.md): the month's own, else the latest month's before it in
 * the same year that has one for the area. */
#define S_FORECAST_IN_FORCE                                                                \
    "COALESCE(a.forecast_costs_ore, (SELECT a2.forecast_costs_ore FROM latest l2"          \
    " JOIN detail d2 ON d2.submission_id = l2.submission_id"                                \
    " JOIN area a2 ON a2.detail = d2.n AND a2.code = a.code"                                \
    " WHERE l2.orgnr = l.orgnr AND l2.period < l.period"                                    \
    " AND substr(l2.period, 1, 4) = substr(l.period, 1, 4)"                                 \
    " AND a2.forecast_costs_ore IS NOT NULL ORDER BY l2.period DESC LIMIT 1))"
static const char SQL_AREAS[] =
    "SELECT l.revision, a.code, COALESCE(a.name, a.code), a.class, a.costs_ore, a.income_ore,"
    " a.budget_costs_ore, a.budget_year_costs_ore, " S_FORECAST_IN_FORCE
    " FROM latest l LEFT JOIN detail d ON d.submission_id = l.submission_id"
    " LEFT JOIN area a ON a.detail = d.n"
    " WHERE l.orgnr = ?1 AND l.period = ?2 ORDER BY a.code";
static const char SQL_LEDGER_PUT[] =
    "INSERT INTO ledger_line (detail, basis, line, ore) VALUES (?1, ?2, ?3, ?4)";
static const char SQL_MEMBER_PUT[] =
    "INSERT INTO member_amount (detail, kind, name, ore) VALUES (?1, ?2, ?3, ?4)";
/* The members of every förbund's latest revision of a month, by orgnr, kind and name; a
 * revision without members comes once with name NULL. */
static const char SQL_MEMBERS[] =
    "SELECT l.orgnr, l.revision, m.kind, m.name, m.ore FROM latest l"
    " LEFT JOIN detail d ON d.submission_id = l.submission_id"
    " LEFT JOIN member_amount m ON m.detail = d.n"
    " WHERE l.period = ?1 ORDER BY l.orgnr, m.kind, m.name";
/* The lines of a förbund's latest revision of a month; a revision without lines comes
 * once with line NULL, so that its number is known. */
static const char SQL_LEDGER[] =
    "SELECT l.revision, b.basis, b.line, b.ore FROM latest l"
    " LEFT JOIN detail d ON d.submission_id = l.submission_id"
    " LEFT JOIN ledger_line b ON b.detail = d.n"
    " WHERE l.orgnr = ?1 AND l.period = ?2";
static const char SQL_PARTICIPANTS[] =
    "SELECT l.orgnr, l.revision, p.intervention, p.kind, p.measure, p.category, p.women,"
    " p.men, p.unspecified, p.cost_area FROM latest l LEFT JOIN detail d ON d.submission_id ="
    " l.submission_id LEFT JOIN participant p ON p.detail = d.n"
    " WHERE l.period = ?1 ORDER BY l.orgnr, p.row";
static const char SQL_CLEAR[] =
    "DELETE FROM member_amount; DELETE FROM ledger_line; DELETE FROM participant; DELETE FROM area; DELETE FROM detail;"
    " DELETE FROM totals;";

enum {
    D_TOTALS_PUT, D_TOTALS_GET, D_DETAIL_PUT, D_AREA_PUT, D_PART_PUT, D_AREAS,
    D_PARTICIPANTS, D_LEDGER_PUT, D_LEDGER, D_MEMBER_PUT, D_MEMBERS, D_COUNT
};

static const char *const s_sql[D_COUNT] = {
    [D_TOTALS_PUT] = SQL_TOTALS_PUT, [D_TOTALS_GET] = SQL_TOTALS_GET,
    [D_DETAIL_PUT] = SQL_DETAIL_PUT, [D_AREA_PUT] = SQL_AREA_PUT,
    [D_PART_PUT] = SQL_PART_PUT,     [D_AREAS] = SQL_AREAS,
    [D_PARTICIPANTS] = SQL_PARTICIPANTS, [D_LEDGER_PUT] = SQL_LEDGER_PUT,
    [D_LEDGER] = SQL_LEDGER,         [D_MEMBER_PUT] = SQL_MEMBER_PUT,
    [D_MEMBERS] = SQL_MEMBERS,
};

/* The stored numbers of an area's class and an intervention's kind (the CHECKs and the
 * views of schema 8 name them in this order). */
static const char *const s_classes[] = {"admin", "structural", "individual", "other"};
static const char *const s_kinds[] = {"individ", "volym", "struktur"};
#define S_N(a) (sizeof a / sizeof a[0])

static int s_code(const char *const *names, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(names[i], name) == 0)
            return (int)i;
    return (int)n - 1;
}

static const char *s_name(const char *const *names, size_t n, sqlite3_int64 code)
{
    return code >= 0 && (size_t)code < n ? names[code] : NULL;
}

struct storedet_s {
    sqlite3_stmt *st[D_COUNT];
};
_Static_assert(offsetof(struct storedet_s, st) == 0, "storeimpl_layer_new: statements first");

static int s_open(store_t *s, bool writer, samla_err_t *err)
{
    (void)writer;
    s->det = storeimpl_layer_new(s, sizeof *s->det, s_sql, D_COUNT, err);
    return s->det ? 0 : -1;
}

static void s_close(store_t *s)
{
    storeimpl_layer_free(s->det, D_COUNT);
    s->det = NULL;
}

static int s_clear(store_t *s, samla_err_t *err)
{
    if (sqlite3_exec(s->db, SQL_CLEAR, NULL, NULL, NULL) != SQLITE_OK)
        return s_fail(s, err, "emptying the details");
    return 0;
}

const storeimpl_layer_t storedet_layer = {s_open, s_close, s_clear};

/* --- writing -------------------------------------------------------------------------- */

static int s_totals(store_t *s, const char *id, const figures_t *f, samla_err_t *err)
{
    sqlite3_stmt *st = s->det->st[D_TOTALS_PUT];
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

/* name NULL when the area has none or it is its code: stored once. */
static int s_bind_name(sqlite3_stmt *st, int i, const Samla__V1__CostArea *a)
{
    return a->name && a->name[0] && strcmp(a->name, a->code) != 0
               ? sqlite3_bind_text(st, i, a->name, -1, SQLITE_STATIC)
               : sqlite3_bind_null(st, i);
}

static int s_areas(store_t *s, sqlite3_int64 n, const Samla__V1__Submission *sub,
                   samla_err_t *err)
{
    sqlite3_stmt *st = s->det->st[D_AREA_PUT];
    for (size_t i = 0; i < sub->n_cost_areas; i++) {
        const Samla__V1__CostArea *a = sub->cost_areas[i];
        int cls = s_code(s_classes, S_N(s_classes), figures_class_name(a->class_));
        if (sqlite3_bind_int64(st, 1, n) != SQLITE_OK ||
            sqlite3_bind_text(st, 2, a->code, -1, SQLITE_STATIC) != SQLITE_OK ||
            s_bind_name(st, 3, a) != SQLITE_OK || sqlite3_bind_int(st, 4, cls) != SQLITE_OK ||
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

static int s_participants(store_t *s, sqlite3_int64 n, const Samla__V1__Submission *sub,
                          samla_err_t *err)
{
    sqlite3_stmt *st = s->det->st[D_PART_PUT];
    for (size_t i = 0; i < sub->n_participants; i++) {
        const Samla__V1__ParticipantRow *r = sub->participants[i];
        int kind = s_code(s_kinds, S_N(s_kinds), figures_kind_name(r->kind));
        if (sqlite3_bind_int64(st, 1, n) != SQLITE_OK ||
            sqlite3_bind_int64(st, 2, (sqlite3_int64)i + 1) != SQLITE_OK ||
            sqlite3_bind_text(st, 3, r->intervention, -1, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_int(st, 4, kind) != SQLITE_OK ||
            sqlite3_bind_text(st, 5, r->measure, -1, SQLITE_STATIC) != SQLITE_OK ||
            (r->category && r->category[0]
                 ? sqlite3_bind_text(st, 6, r->category, -1, SQLITE_STATIC)
                 : sqlite3_bind_null(st, 6)) != SQLITE_OK ||
            sqlite3_bind_int64(st, 7, r->women) != SQLITE_OK ||
            sqlite3_bind_int64(st, 8, r->men) != SQLITE_OK ||
            sqlite3_bind_int64(st, 9, r->unspecified) != SQLITE_OK ||
            (r->cost_area && r->cost_area[0]
                 ? sqlite3_bind_text(st, 10, r->cost_area, -1, SQLITE_STATIC)
                 : sqlite3_bind_null(st, 10)) != SQLITE_OK)
            return s_fail(s, err, "binding a participant row");
        if (storeimpl_run(s, st, err, "storing a participant row"))
            return -1;
    }
    return 0;
}

/* The three Ledgers of a submission, line by line (only the lines the message sets). */
static int s_ledger_lines(store_t *s, sqlite3_int64 n, const Samla__V1__Submission *sub,
                          samla_err_t *err)
{
    const Samla__V1__Ledger *basis[STORE_LEDGER_BASES] = {sub->ledger, sub->budget_lines,
                                                          sub->last_year, sub->forecast_lines};
    sqlite3_stmt *st = s->det->st[D_LEDGER_PUT];
    for (int b = 0; b < STORE_LEDGER_BASES; b++)
        for (size_t i = 0; basis[b] && i < figure_line_count; i++) {
            protobuf_c_boolean *has;
            int64_t v = *figures_line_slot((Samla__V1__Ledger *)basis[b], i, &has);
            if (!*has)
                continue;
            if (sqlite3_bind_int64(st, 1, n) != SQLITE_OK ||
                sqlite3_bind_int(st, 2, b) != SQLITE_OK ||
                sqlite3_bind_text(st, 3, figure_lines[i].name, -1, SQLITE_STATIC) !=
                    SQLITE_OK ||
                sqlite3_bind_int64(st, 4, v) != SQLITE_OK)
                return s_fail(s, err, "binding a ledger line");
            if (storeimpl_run(s, st, err, "storing a ledger line"))
                return -1;
        }
    return 0;
}

/* Who paid, as the submission names them (bounded and checked by subcheck). */
static int s_members(store_t *s, sqlite3_int64 n, const Samla__V1__Submission *sub,
                     samla_err_t *err)
{
    sqlite3_stmt *st = s->det->st[D_MEMBER_PUT];
    for (size_t i = 0; sub->ledger && i < sub->ledger->n_members; i++) {
        const Samla__V1__MemberAmount *m = sub->ledger->members[i];
        if (sqlite3_bind_int64(st, 1, n) != SQLITE_OK ||
            sqlite3_bind_int(st, 2, (int)m->kind) != SQLITE_OK ||
            sqlite3_bind_text(st, 3, m->name, -1, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_int64(st, 4, m->amount) != SQLITE_OK)
            return s_fail(s, err, "binding a member");
        if (storeimpl_run(s, st, err, "storing a member"))
            return -1;
    }
    return 0;
}

int store_details_put(store_t *self, const char *id, const figures_t *f,
                      const Samla__V1__Submission *sub, samla_err_t *err)
{
    if (f && s_totals(self, id, f, err))
        return -1;
    if (!sub)
        return 0;
    sqlite3_stmt *st = self->det->st[D_DETAIL_PUT];
    if (sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC) != SQLITE_OK ||
        storeimpl_run(self, st, err, "numbering the details"))
        return -1;
    sqlite3_int64 n = sqlite3_last_insert_rowid(self->db);
    return s_areas(self, n, sub, err) || s_participants(self, n, sub, err) ||
                   s_ledger_lines(self, n, sub, err) || s_members(self, n, sub, err)
               ? -1
               : 0;
}

/* --- reading -------------------------------------------------------------------------- */

int store_figures(store_t *self, const char *orgnr, const char *period, unsigned revision,
                  figures_t *f, unsigned *got, samla_err_t *err)
{
    sqlite3_stmt *st = self->det->st[D_TOTALS_GET];
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

int store_areas(store_t *self, const char *orgnr, const char *period, store_area_fn fn,
                void *arg, unsigned *revision, samla_err_t *err)
{
    sqlite3_stmt *st = self->det->st[D_AREAS];
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
        const char *cls = s_name(s_classes, S_N(s_classes), sqlite3_column_int64(st, 3));
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
    sqlite3_stmt *st = self->det->st[D_PARTICIPANTS];
    if (sqlite3_bind_text(st, 1, period, -1, SQLITE_TRANSIENT) != SQLITE_OK)
        return s_fail(self, err, "bind");
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        store_part_t r = {
            .orgnr = (const char *)sqlite3_column_text(st, 0),
            .revision = (unsigned)sqlite3_column_int64(st, 1),
            .intervention = (const char *)sqlite3_column_text(st, 2),
            .kind = sqlite3_column_type(st, 3) == SQLITE_NULL
                        ? NULL
                        : s_name(s_kinds, S_N(s_kinds), sqlite3_column_int64(st, 3)),
            .measure = (const char *)sqlite3_column_text(st, 4),
            .category = (const char *)sqlite3_column_text(st, 5),
            .cost_area = (const char *)sqlite3_column_text(st, 9),
        };
        for (int g = 0; g < 3; g++) /* CHECK (>= 0) in the schema */
            r.count[g] = (uint64_t)sqlite3_column_int64(st, 6 + g);
        if (r.orgnr)
            fn(arg, &r);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : s_fail(self, err, "reading participant counts");
}

int store_ledger(store_t *self, const char *orgnr, const char *period, store_ledger_fn fn,
                 void *arg, unsigned *revision, samla_err_t *err)
{
    sqlite3_stmt *st = self->det->st[D_LEDGER];
    *revision = 0;
    if (sqlite3_bind_text(st, 1, orgnr, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
        sqlite3_bind_text(st, 2, period, -1, SQLITE_TRANSIENT) != SQLITE_OK)
        return s_fail(self, err, "bind");
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        *revision = (unsigned)sqlite3_column_int64(st, 0);
        const char *line = (const char *)sqlite3_column_text(st, 2);
        int basis = sqlite3_column_int(st, 1);
        if (line && basis >= 0 && basis < STORE_LEDGER_BASES)
            fn(arg, (store_ledger_basis_t)basis, line, sqlite3_column_int64(st, 3));
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : s_fail(self, err, "reading the ledger lines");
}

int store_members(store_t *self, const char *period, store_payer_fn fn, void *arg,
                  samla_err_t *err)
{
    sqlite3_stmt *st = self->det->st[D_MEMBERS];
    if (sqlite3_bind_text(st, 1, period, -1, SQLITE_TRANSIENT) != SQLITE_OK)
        return s_fail(self, err, "bind");
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        store_payer_t m = {
            .orgnr = (const char *)sqlite3_column_text(st, 0),
            .revision = (unsigned)sqlite3_column_int64(st, 1),
            .kind = sqlite3_column_int(st, 2),
            .name = (const char *)sqlite3_column_text(st, 3),
            .ore = sqlite3_column_int64(st, 4),
        };
        if (m.orgnr)
            fn(arg, &m);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : s_fail(self, err, "reading the members");
}
