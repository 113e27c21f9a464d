/* money: amounts are int64_t öre everywhere; text only at the edges. */
#ifndef SAMLA_MONEY_H
#define SAMLA_MONEY_H

#include <stddef.h>
#include <stdint.h>

/* Largest amount accepted from text: 10^15 öre (10 000 billion kronor). Far above any
 * förbund, far below overflow when thousands of amounts are summed. */
#define MONEY_MAX_ORE INT64_C(1000000000000000)

/* Parses "-1234.5", "1234.50", "100", "-0.00", "+3" from s[0..len) (not NUL-terminated).
 * At most two decimals; a comma is accepted as decimal mark. Returns 0 or -1. */
int money_parse(const char *s, size_t len, int64_t *ore);

/* "-936994.00": plain, for CSV and JSON. buf needs 32 bytes. */
void money_format(int64_t ore, char *buf, size_t size);

/* "-936 994" or "-936 994,50": Swedish grouping for tables, whole kronor when `decimals`
 * is 0 (rounded half away from zero). buf needs 40 bytes. */
void money_format_sv(int64_t ore, int decimals, char *buf, size_t size);

/* Whole kronor for amounts shown together with their total, rounded once: kr[i] is
 * ore[i] rounded down or up to a whole krona, and the kr[] add up to the sum of ore[]
 * rounded half away from zero (the largest remainders get the extra krona, the first
 * of equal ones first). So the lines of a table add up to its total row and the total is
 * the exact sum rounded. Returns 0, or -1 when an amount is beyond MONEY_MAX_ORE or the
 * sum overflows; kr[] is then each amount rounded on its own. */
int money_apportion(const int64_t *ore, size_t n, int64_t *kr);

/* A figure in kronor that is not a whole number of öre (a median, a mean of amounts) as
 * the öre of the whole krona it shows as: rounded once by text_round_decimal, so that it
 * reads the same in every view. Beyond MONEY_MAX_ORE (or not finite): -1. */
int money_whole_kr(double kr, int64_t *ore);

/* Adds with overflow check; returns -1 on overflow. */
int money_add(int64_t *acc, int64_t v);

#endif
