#include "samla/period.h"

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

static int s_digits(const char *s, size_t n, int *out)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

int period_parse(const char *s, period_t *p)
{
    int y, m;
    if (!s || strlen(s) != 7 || s[4] != '-' || s_digits(s, 4, &y) || s_digits(s + 5, 2, &m))
        return -1;
    if (y < 1900 || y > 2999 || m < 1 || m > 12)
        return -1;
    p->year = y;
    p->month = m;
    return 0;
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
    int y, m, d;
    if (len != 8 || s_digits(s, 4, &y) || s_digits(s + 4, 2, &m) || s_digits(s + 6, 2, &d))
        return -1;
    if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1 || d > s_days_in_month(y, m))
        return -1;
    *yyyymmdd = y * 10000 + m * 100 + d;
    return 0;
}
