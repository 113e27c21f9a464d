/* period: a reporting month, YYYY-MM, and dates as YYYYMMDD integers. */
#ifndef SAMLA_PERIOD_H
#define SAMLA_PERIOD_H

#include <stddef.h>

typedef struct {
    int year;  /* 1900..2999 */
    int month; /* 1..12 */
} period_t;

/* Strict "YYYY-MM". Returns 0 or -1. */
int period_parse(const char *s, period_t *p);
/* "YYYY-MM" into buf (8 bytes). */
void period_format(period_t p, char *buf, size_t size);
int period_last_day(period_t p); /* 28..31 */
/* YYYYMMDD of the period's last day. */
int period_end_date(period_t p);
/* Whether p is later than the month after the one `now` falls in (UTC): a month-end
 * report for it cannot exist yet (CONTRACT.md, the same month twice). */
int period_in_future(period_t p, long long now);
/* Parses "YYYYMMDD" (exactly 8 digits, a real calendar date) from s[0..len). */
int date_parse(const char *s, size_t len, int *yyyymmdd);

/* The months in Swedish, [0] = January: "jan".."dec" for tables, "januari".."december"
 * for titles. One list for every printout. */
extern const char *const period_month_abbr[12];
extern const char *const period_month_name[12];

#endif
