#include "samla/cursor.h"

#include <string.h>

void cur_init(cur_t *c, const char *p, size_t len)
{
    c->p = c->start = p;
    c->end = p + len;
}

void cur_skip_blanks(cur_t *c)
{
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\t'))
        c->p++;
}

int cur_lit(cur_t *c, char ch)
{
    if (c->p >= c->end || *c->p != ch)
        return -1;
    c->p++;
    return 0;
}

static bool s_digit(const cur_t *c, const char *q)
{
    return q < c->end && *q >= '0' && *q <= '9';
}

/* The one digit loop: stops before the value would pass max. */
int cur_uint(cur_t *c, uint64_t max, uint64_t *out)
{
    const char *q = c->p;
    uint64_t v = 0;
    if (!s_digit(c, q))
        return -1;
    for (; s_digit(c, q); q++) {
        unsigned d = (unsigned)(*q - '0');
        if (v > (max - d) / 10)
            return -1;
        v = v * 10 + d;
    }
    c->p = q;
    *out = v;
    return 0;
}

int cur_int(cur_t *c, int64_t lo, int64_t hi, int64_t *out)
{
    cur_t save = *c;
    bool neg = cur_lit(c, '-') == 0;
    uint64_t v;
    uint64_t max = (uint64_t)(neg ? -lo : hi);
    if ((neg && lo >= 0) || cur_uint(c, max, &v)) {
        *c = save;
        return -1;
    }
    *out = neg ? -(int64_t)v : (int64_t)v;
    return 0;
}

int cur_digits(cur_t *c, size_t n, int *out)
{
    if (n > 9 || (size_t)(c->end - c->p) < n)
        return -1;
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (!s_digit(c, c->p + i))
            return -1;
        v = v * 10 + (c->p[i] - '0');
    }
    c->p += n;
    *out = v;
    return 0;
}

int cur_amount(cur_t *c, int64_t max_ore, int64_t *ore)
{
    cur_t save = *c;
    bool neg = cur_lit(c, '-') == 0;
    if (!neg)
        (void)cur_lit(c, '+');
    uint64_t kr = 0, frac = 0;
    bool whole = cur_uint(c, (uint64_t)max_ore / 100, &kr) == 0;
    bool decimals = false;
    if (cur_lit(c, '.') == 0 || cur_lit(c, ',') == 0) {
        for (int k = 0; s_digit(c, c->p); k++, c->p++) {
            if (k >= 2 && *c->p != '0') /* "1.500" is fine, "1.505" is not öre */
                goto fail;
            if (k < 2)
                frac += (uint64_t)(*c->p - '0') * (k == 0 ? 10 : 1);
            decimals = true;
        }
    }
    if (!whole && !decimals)
        goto fail;
    uint64_t total = kr * 100 + frac;
    if (total > (uint64_t)max_ore)
        goto fail;
    *ore = neg ? -(int64_t)total : (int64_t)total;
    return 0;
fail:
    *c = save;
    return -1;
}

static int s_days_in_month(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

int cur_date(cur_t *c, int *yyyymmdd)
{
    cur_t save = *c;
    int y, m, d;
    if (cur_digits(c, 4, &y) || cur_digits(c, 2, &m) || cur_digits(c, 2, &d) || y < 1900 ||
        y > 2999 || m < 1 || m > 12 || d < 1 || d > s_days_in_month(y, m)) {
        *c = save;
        return -1;
    }
    *yyyymmdd = y * 10000 + m * 100 + d;
    return 0;
}

cur_span_t cur_until(cur_t *c, const char *stops)
{
    const char *q = c->p;
    size_t n = strlen(stops);
    while (q < c->end && !memchr(stops, *q, n))
        q++;
    cur_span_t s = {c->p, (size_t)(q - c->p)};
    c->p = q;
    return s;
}

int cur_span_uint(cur_span_t s, uint64_t max, uint64_t *out)
{
    cur_t c = cur_of(s);
    return cur_uint(&c, max, out) == 0 && cur_eof(&c) ? 0 : -1;
}

bool cur_span_eq(cur_span_t s, const char *lit)
{
    return strlen(lit) == s.len && memcmp(s.p, lit, s.len) == 0;
}
