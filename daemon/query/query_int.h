/* query_int: what the query modules share (query.c dispatches; query_compare.c,
 * query_trend.c, query_areas.c and query_overview.c build the replies). Private to
 * samlad's query service. Every part of a reply is allocated in the context's arena. */
#ifndef SAMLA_QUERY_INT_H
#define SAMLA_QUERY_INT_H

#include "query.h"

#include "consolidate.h"
#include "disclose.h"
#include "samla.pb-c.h"
#include "samla/arena.h"
#include "samla/period.h"
#include "samla/querykinds.h"

/* Most months one trend may span: ten years. */
#define QUERY_MAX_MONTHS 120
/* Most years one overview may span. */
#define QUERY_OVERVIEW_MAX_YEARS 20

typedef struct qry_release_s qry_release_t;

/* Who asks, about which förbund. */
typedef struct {
    store_t *store;
    const registry_t *reg;
    const char *label;     /* the name the answer carries: the group's, or the region's */
    const char *group;     /* the group's key in the store */
    size_t *members;       /* registry indexes of the group's förbund, sorted by orgnr */
    const char **owners;   /* their orgnr, for cons_aggregate */
    size_t n;
    cons_viewer_t viewer;
    arena_t *a;
    char *why;
    size_t wsize;
    query_cache_t *cache;    /* the gate's years worked out so far (query_gate.c) */
    bool names_once;         /* a Compare's values go without names (Query.names_once) */
    bool columns;            /* a Compare's values go as columns (Query.columns) */
    bool gate_failed;        /* the store failed under the gate: answer unavailable */
} qry_ctx_t;

/* A usage error with its message (returns the error code to answer with). */
int qry_usage(qry_ctx_t *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The query's period, or a usage error naming the command and what it got instead. */
int qry_period(qry_ctx_t *x, const char *command, const char *text, period_t *p);
/* The store failed: the analyst may try again. */
int qry_unavailable(qry_ctx_t *x);
/* "final" for December, "preliminary" before it, "missing" without a revision. */
const char *qry_status_of(unsigned revision, period_t p);

/* --- the gate (query_gate.c, rules in disclose.h) --- */
/* Empties the cache unless it was filled from this database version, registry and
 * threshold. */
void qry_cache_sync(query_cache_t *c, const registry_t *reg, long long threshold,
                    int64_t version);
/* Whether the asker sees everything (an analyst, or privacy off). */
bool qry_gate_open(const qry_ctx_t *x);
/* What the asker may not see of förbund `index`'s month p (nothing of its own). On a
 * store failure everything is withheld and x->gate_failed set. */
disc_mask_t qry_gate(qry_ctx_t *x, size_t index, period_t p);
/* Stamps a row of förbund `index` for month p, or rows[i] of every registered förbund. */
void qry_gate_row(qry_ctx_t *x, size_t index, period_t p, cons_row_t *row);
void qry_gate_rows(qry_ctx_t *x, period_t p, cons_row_t *rows);
/* Marks the breakdown lines of month p the asker may not see (line->forbund is a member
 * index of the group). */
void qry_gate_lines(qry_ctx_t *x, period_t p, bd_t *bd);

/* One year of every registered förbund as the gate reads it: what each month holds and,
 * when asked for (the auditor), its participant rows, [registry index * 12 + month]. */
typedef struct {
    size_t nf;
    disc_month_t (*month)[12]; /* [registry index] */
    disc_row_t **rows;
    size_t *nrows, *caps;
    arena_t strings; /* the rows' strings */
    bool failed;
} qry_year_t;
/* Reads a year from the store; 0, or -1 (logged) with nothing to free. */
int qry_year_load(store_t *store, const registry_t *reg, long long threshold, int year,
                  bool with_rows, qry_year_t *y);
void qry_year_free(qry_year_t *y);

/* The group member (index into members) of an orgnr, or -1: O(log n). */
long qry_member_of(const qry_ctx_t *x, const char *orgnr);

/* Layer 3's rows of one period for every förbund (by registry index, plus one), and the
 * group's members' rows among them. NULL when the store failed. */
cons_row_t *qry_rows(qry_ctx_t *x, period_t p, int metric);
const cons_row_t **qry_member_rows(qry_ctx_t *x, cons_row_t *rows);
/* Metric k of a förbund as the asker may see it (suppressed where the gate says). */
Samla__V1__MetricValue *qry_cell(qry_ctx_t *x, size_t k, const char *orgnr,
                                 const cons_row_t *row);
/* The same of every group member at once (rows in member order, NULL: not reported), as
 * Query.columns asks (columns.h); NULL when memory is gone. */
Samla__V1__ValueColumn *qry_column(qry_ctx_t *x, size_t k, const cons_row_t *const *rows);
/* The group's aggregate of metric k over rows now (with last year's region figure from
 * before), over what the asker may see; ranks when not NULL. */
Samla__V1__Aggregate *qry_aggregate(qry_ctx_t *x, size_t k, const cons_row_t **now,
                                    const cons_row_t **before, unsigned *ranks);
/* The target of metric k for a förbund (orgnr) or the group (orgnr NULL) compared in the
 * asked group; NULL when there is none. */
const target_t *qry_target_for(const qry_ctx_t *x, size_t k, const char *orgnr);
/* Target t (of metric k) as a reply carries it, with the verdict (v NULL: none); NULL when
 * t is NULL. qry_judge: the verdict on a förbund's row of a month (target.h: target_judge);
 * no verdict (met -1, nothing projected) when there is no target, no value, or a value the
 * viewer may not see. */
Samla__V1__Target *qry_target(qry_ctx_t *x, size_t k, const target_t *t,
                              const target_verdict_t *v);
void qry_judge(qry_ctx_t *x, const target_t *t, size_t k, const char *orgnr,
               const cons_row_t *row, int month, target_verdict_t *out);
/* Appends to (*v, *n) the targets set for orgnr's interventions, each judged on that
 * intervention's own figure of period p (its participant rows), with `insats` and
 * `outcome`. A förbund key gets another förbund's without outcome or verdict. 0, or -1
 * when memory is gone. */
int qry_insats_targets(qry_ctx_t *x, const char *orgnr, period_t p, Samla__V1__Target ***v,
                       size_t *n);

/* One period's comparison; `only` a metric index + 1 or 0 for all, `with` whether targets
 * go along. NULL with x->a->failed when memory is gone. */
Samla__V1__Compare *qry_build_compare(qry_ctx_t *x, period_t p, int only, int with);
/* A förbund's years side by side: `n` years up to `last`. */
Samla__V1__Overview *qry_build_overview(qry_ctx_t *x, const member_t *mb, int last, int n);

/* The queries: each fills the reply, or returns an error code with x->why. */
typedef int qry_fn_t(qry_ctx_t *x, const Samla__V1__Query *q, Samla__V1__Reply *reply);
#define QRY_BUILDER(KIND, name, Type, metrics) qry_fn_t qry_##name;
QUERY_KINDS(QRY_BUILDER)
#undef QRY_BUILDER

#endif
