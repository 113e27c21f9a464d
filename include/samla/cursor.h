/* cursor: a bounded reader over bytes that need not be NUL-terminated, with typed readers
 * (number with a maximum, amount in öre, date, exact digits, span up to a stop byte).
 *
 * Every parser of text from outside (SIE records, participant CSV cells, money, periods,
 * dates, outbox sequence numbers) reads through these, so there is one digit loop with
 * one overflow rule. A reader either consumes what it read and returns 0, or leaves the
 * cursor where it was and returns -1; nothing here allocates or writes to the input. */
#ifndef SAMLA_CURSOR_H
#define SAMLA_CURSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A piece of someone else's buffer: not owned, not NUL-terminated. */
typedef struct {
    const char *p;
    size_t len;
} cur_span_t;

typedef struct {
    const char *p;     /* next byte */
    const char *end;   /* one past the last byte */
    const char *start; /* where the cursor began, for 1-based columns */
} cur_t;

void cur_init(cur_t *c, const char *p, size_t len);
static inline cur_t cur_of(cur_span_t s)
{
    return (cur_t){s.p, s.p + s.len, s.p};
}
static inline bool cur_eof(const cur_t *c)
{
    return c->p >= c->end;
}
static inline size_t cur_col(const cur_t *c)
{
    return (size_t)(c->p - c->start) + 1;
}
static inline int cur_peek(const cur_t *c)
{
    return c->p < c->end ? (unsigned char)*c->p : -1;
}

/* Skips spaces and tabs. */
void cur_skip_blanks(cur_t *c);
/* Consumes `ch` when it is next. */
int cur_lit(cur_t *c, char ch);
/* One or more decimal digits with a value of at most `max`. */
int cur_uint(cur_t *c, uint64_t max, uint64_t *out);
/* An optional '-' and digits, within lo..hi (|lo|, hi below 2^62). */
int cur_int(cur_t *c, int64_t lo, int64_t hi, int64_t *out);
/* Exactly n digits (n <= 9). */
int cur_digits(cur_t *c, size_t n, int *out);
/* An amount: optional sign, digits, optional '.' or ',' and at most two decimals (more
 * only when they are zeros), |amount| <= max_ore. "-12.5" is -1250 öre. */
int cur_amount(cur_t *c, int64_t max_ore, int64_t *ore);
/* YYYYMMDD, a real calendar day in 1900-2999. */
int cur_date(cur_t *c, int *yyyymmdd);
/* The bytes up to (not including) the first byte in `stops`, or to the end; may be
 * empty. Always succeeds. */
cur_span_t cur_until(cur_t *c, const char *stops);

/* Whole-span forms: the span must hold exactly one value and nothing after it. */
int cur_span_uint(cur_span_t s, uint64_t max, uint64_t *out);
bool cur_span_eq(cur_span_t s, const char *lit);

#endif
