/* store_cons: layer 3, the consolidated comparison: which revision of each (förbund,
 * period) is the latest (`latest`), its metric values (`metric_fact`, and the same values
 * packed one row per förbund in `metric_pack`, made from the fact rows), what the
 * disclosure gate decides from (`disclosure`), and the comparison groups' aggregates
 * (`group_metric`). What each viewer may see of it is computed per query (query.h). */
#ifndef SAMLA_STORE_CONS_H
#define SAMLA_STORE_CONS_H

#include <stddef.h>

#include "consolidate.h"
#include "samla/diag.h"
#include "store.h"
#include "store_log.h"

/* Inside a transaction: makes the logged revision l its month's latest, with its metric
 * values and disclosure figures (row). */
int store_cons_put(store_t *self, const store_logged_t *l, const cons_row_t *row,
                   samla_err_t *err);

/* What the disclosure gate decides from, of every förbund's latest revision of a period
 * (written with its metrics): fn once per förbund. */
typedef void (*store_disclosure_fn)(void *arg, const char *orgnr, const disc_fewest_t *f);
int store_disclosure(store_t *self, const char *period, store_disclosure_fn fn, void *arg,
                     samla_err_t *err);

/* Reads the metric values of the latest revisions for a period: for each förbund,
 * slot(arg, orgnr) says where its row is (NULL: not wanted) and the values are written
 * into it, with the row's revision and fewest. `metric` >= 0 reads only that metric index.
 * Rows never reported stay as the caller set them. */
typedef cons_row_t *(*store_slot_fn)(void *arg, const char *orgnr);
int store_period(store_t *self, const char *period, int metric, store_slot_fn slot, void *arg,
                 samla_err_t *err);
/* One förbund's value of one metric for every reported month from..to: fn per month. */
typedef void (*store_point_fn)(void *arg, const char *period, const cons_row_t *row);
int store_own(store_t *self, const char *orgnr, size_t metric, const char *from,
              const char *to, store_point_fn fn, void *arg, samla_err_t *err);

/* Aggregates of a comparison group over the förbund that may be seen by anyone with file
 * access (analysts): kept current at COMMIT, read by trends and the region_metric view. */
int store_group_put(store_t *self, const char *group, const char *period, size_t metric,
                    const cons_agg_t *agg, samla_err_t *err);
typedef void (*store_agg_fn)(void *arg, const char *period, const cons_agg_t *agg);
int store_group_range(store_t *self, const char *group, size_t metric, const char *from,
                      const char *to, store_agg_fn fn, void *arg, samla_err_t *err);
/* Inside a transaction: removes every group aggregate (before they are rebuilt for a
 * changed registry). */
int store_group_clear(store_t *self, samla_err_t *err);
/* Every period with a latest revision, oldest first (rebuilding group aggregates). */
typedef void (*store_period_fn)(void *arg, const char *period);
int store_periods(store_t *self, store_period_fn fn, void *arg, samla_err_t *err);

#endif
