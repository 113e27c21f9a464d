/* target: what a förbund (or a comparison group) aims for, per metric, and whether an
 * outcome meets it. The config's `targets` list (CONTRACT.md's configuration, documented in
 * docs/operations.md) names a metric, a direction (at least, at most, between) and whom it
 * is for: one förbund, one group, or everyone; the national financial targets of DOMAIN.md
 * are the defaults where the config says nothing. Loaded with the registry, so SIGHUP
 * reloads them too. */
#ifndef SAMLA_TARGET_H
#define SAMLA_TARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "samla/diag.h"
#include "samla/metrics.h"

typedef enum { TARGET_AT_LEAST = 1, TARGET_AT_MOST, TARGET_BETWEEN } target_dir_t;
/* Most specific last: a förbund's own target wins over its group's, over everyone's, over
 * the national default. */
typedef enum { TARGET_DEFAULT, TARGET_ALL, TARGET_GROUP, TARGET_FORBUND } target_scope_t;

/* When a target is judged (CONTRACT.md): an annual one on December's figure, and before
 * that by its pro-rata projection (outcome × 12 / month); an ongoing one every month. Each
 * metric has a default (metric_grows); the config's `kind` overrides it. */
typedef enum { TARGET_ANNUAL = 1, TARGET_ONGOING } target_kind_t;

typedef struct {
    target_scope_t scope;
    target_kind_t kind;
    char *subject;        /* orgnr or group name (owned); NULL for default and all */
    char *insats;         /* a förbund's intervention (owned): the metric is computed over
                             its participant rows only; NULL: the förbund as a whole */
    size_t metric;        /* index in metric_table */
    target_dir_t dir;
    double low, high;     /* in the metric's display unit: kronor, people, percent */
    int64_t low_i, high_i; /* money in öre and counts, exact */
} target_t;

typedef struct {
    target_t *v;
    size_t n;
    /* Built by target_load for target_for: the förbund-wide targets (no insats), ordered
     * by metric, scope and subject; metric k's are idx[first[k]] up to idx[first[k + 1]]
     * (most metrics have none, and a compare asks for each förbund and metric). */
    const target_t **idx;
    size_t first[METRIC_MAX + 1];
} target_set_t;

/* Who a target may name: answers whether an orgnr is a registered förbund (writing its
 * canonical form to canon[12]) and whether a group exists. */
typedef struct {
    bool (*forbund)(void *arg, const char *orgnr, char canon[12]);
    bool (*group)(void *arg, const char *name);
    void *arg;
} target_names_t;

/* Reads the `targets` list (a libconfig setting, may be NULL) into *out, the national
 * defaults first. Every problem is an error with file:line. */
int target_load(const void *list, const char *file, const target_names_t *names,
                target_set_t *out, samla_err_t *err);
void target_free(target_set_t *s);

/* The target of metric k for a förbund (orgnr) compared within group `group` (NULL: the
 * group of every förbund), or for the group's own figure (orgnr NULL); NULL when none.
 * O(log n) in the targets of metric k.
 * Targets of one intervention are not the förbund's: target_insats lists them. */
const target_t *target_for(const target_set_t *s, size_t k, const char *orgnr,
                           const char *group);
/* The i-th target set for one of orgnr's interventions (i from 0), NULL past the last. */
const target_t *target_insats(const target_set_t *s, const char *orgnr, size_t i);

/* 1 met, 0 not met, -1 no value. */
int target_met(const target_t *t, metric_value_t v);
int target_met_display(const target_t *t, bool has, double v);

/* A target judged on a month's outcome: `met` (1, 0, or -1: no value, or an annual target
 * before December); for an annual target before December instead the projection (in the
 * metric's display unit) and whether it meets the target (on track: "på väg", else
 * "riskerar"), never a plain no. */
typedef struct {
    int met;
    bool projected;
    double projection;
    bool on_track;
} target_verdict_t;
void target_judge(const target_t *t, metric_value_t v, int month, target_verdict_t *out);
/* The same on a value in the display unit (a group's region figure). */
void target_judge_display(const target_t *t, bool has, double v, int month,
                          target_verdict_t *out);

const char *target_kind_name(target_kind_t k); /* annual, ongoing */

const char *target_dir_name(target_dir_t d);   /* at_least, at_most, between */
const char *target_scope_name(target_scope_t s); /* default, all, group, forbund */

#endif
