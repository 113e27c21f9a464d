/* store_pack: the metric values of one revision as one blob (metric_pack.pack), so that a
 * compare reads one row per förbund instead of one per (förbund, metric). The fact rows
 * (metric_fact) are the record; a pack is made only from them (store_cons.c) and read
 * back here. Pure functions: no SQLite, no allocation. */
#ifndef SAMLA_STORE_PACK_H
#define SAMLA_STORE_PACK_H

#include <stddef.h>
#include <stdint.h>

#include "samla/metrics.h"

/* The longest pack: per metric an id (5), a tag (1), the integer (10) and three doubles
 * (8 each), at worst. */
#define STORE_PACK_MAX (METRIC_MAX * (5 + 1 + 10 + 3 * 8))

/* Writes the n values with their database ids into buf (STORE_PACK_MAX bytes); returns
 * the bytes written. Only present values are written. */
size_t store_pack_encode(const int64_t *ids, const metric_value_t *v, size_t n, uint8_t *buf);

/* Calls put(arg, id, &value) for each record of a pack; stops at the first malformed one
 * (a short or overlong record) and returns -1 then, else 0. */
typedef void (*store_pack_fn)(void *arg, int64_t id, const metric_value_t *v);
int store_pack_decode(const uint8_t *p, size_t len, store_pack_fn put, void *arg);

#endif
