#include "samla/money.h"

#include "samla/cursor.h"
#include "samla/text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int money_parse(const char *s, size_t len, int64_t *ore)
{
    cur_t c;
    cur_init(&c, s, len);
    return cur_amount(&c, MONEY_MAX_ORE, ore) == 0 && cur_eof(&c) ? 0 : -1;
}

void money_format(int64_t ore, char *buf, size_t size)
{
    uint64_t a = ore < 0 ? (uint64_t)0 - (uint64_t)ore : (uint64_t)ore;
    snprintf(buf, size, "%s%llu.%02llu", ore < 0 ? "-" : "", (unsigned long long)(a / 100),
             (unsigned long long)(a % 100));
}

void money_format_sv(int64_t ore, int decimals, char *buf, size_t size)
{
    uint64_t a = ore < 0 ? (uint64_t)0 - (uint64_t)ore : (uint64_t)ore;
    uint64_t kr = a / 100, rest = a % 100;
    if (!decimals && rest >= 50)
        kr++;
    char plain[32];
    if (decimals)
        snprintf(plain, sizeof plain, "%s%llu.%02llu", ore < 0 ? "-" : "",
                 (unsigned long long)kr, (unsigned long long)rest);
    else
        snprintf(plain, sizeof plain, "%s%llu", ore < 0 ? "-" : "", (unsigned long long)kr);
    text_number_sv(plain, buf, size); /* "-0" loses its minus there */
}

int money_add(int64_t *acc, int64_t v)
{
    int64_t r;
    if (__builtin_add_overflow(*acc, v, &r))
        return -1;
    *acc = r;
    return 0;
}

/* Half away from zero, as money_format_sv rounds. */
static int64_t s_round_kr(int64_t ore)
{
    return ore >= 0 ? (ore + 50) / 100 : -((-ore + 50) / 100);
}

int money_apportion(const int64_t *ore, size_t n, int64_t *kr)
{
    int64_t sum = 0, floors = 0;
    for (size_t i = 0; i < n; i++) {
        if (ore[i] > MONEY_MAX_ORE || ore[i] < -MONEY_MAX_ORE || money_add(&sum, ore[i]))
            goto fallback;
        /* floor division, so that every remainder is 0..99 */
        kr[i] = ore[i] / 100 - (ore[i] % 100 < 0);
        floors += kr[i];
    }
    /* 0 <= left <= the number of amounts with a remainder: see money.h */
    int64_t left = s_round_kr(sum) - floors;
    for (int rest = 99; rest > 0 && left > 0; rest--)
        for (size_t i = 0; i < n && left > 0; i++)
            if (ore[i] - kr[i] * 100 == rest)
                kr[i]++, left--;
    return 0;
fallback:
    for (size_t i = 0; i < n; i++)
        kr[i] = s_round_kr(ore[i] > MONEY_MAX_ORE    ? MONEY_MAX_ORE
                           : ore[i] < -MONEY_MAX_ORE ? -MONEY_MAX_ORE
                                                     : ore[i]);
    return -1;
}

int money_whole_kr(double kr, int64_t *ore)
{
    if (!isfinite(kr) || fabs(kr) > (double)(MONEY_MAX_ORE / 100))
        return -1;
    char buf[400];
    text_round_decimal(kr, 0, buf, sizeof buf);
    *ore = strtoll(buf, NULL, 10) * 100;
    return 0;
}
