#include "samla/period.h"

#include <time.h>

#include "samla/cursor.h"

#include <stdio.h>
#include <string.h>

static int s_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int s_days_in_month(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && s_leap(y) ? 29 : days[m - 1];
}

int period_parse(const char *s, period_t *p)
{
    int y, m;
    cur_t c;
    if (!s)
        return -1;
    cur_init(&c, s, strlen(s));
    if (cur_digits(&c, 4, &y) || cur_lit(&c, '-') || cur_digits(&c, 2, &m) || !cur_eof(&c))
        return -1;
    if (y < 1900 || y > 2999 || m < 1 || m > 12)
        return -1;
    p->year = y;
    p->month = m;
    return 0;
}

int period_in_future(period_t p, long long now)
{
    time_t t = (time_t)now;
    struct tm tm;
    if (!gmtime_r(&t, &tm))
        return 1;
    long long latest = (long long)(tm.tm_year + 1900) * 12 + tm.tm_mon + 1; /* next month */
    return (long long)p.year * 12 + (p.month - 1) > latest;
}

void period_format(period_t p, char *buf, size_t size)
{
    snprintf(buf, size, "%04d-%02d", p.year, p.month);
}

int period_last_day(period_t p)
{
    return s_days_in_month(p.year, p.month);
}

int period_end_date(period_t p)
{
    return p.year * 10000 + p.month * 100 + period_last_day(p);
}

int date_parse(const char *s, size_t len, int *yyyymmdd)
{
    cur_t c;
    cur_init(&c, s, len);
    return cur_date(&c, yyyymmdd) == 0 && cur_eof(&c) ? 0 : -1;
}

const char *const period_month_abbr[12] = {"jan", "feb", "mar", "apr", "maj", "jun",
                                           "jul", "aug", "sep", "okt", "nov", "dec"};
const char *const period_month_name[12] = {"januari", "februari", "mars",     "april",
                                           "maj",     "juni",     "juli",     "augusti",
                                           "september", "oktober", "november", "december"};
