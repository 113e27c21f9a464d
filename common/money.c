#include "samla/money.h"

#include <stdio.h>
#include <string.h>

int money_parse(const char *s, size_t len, int64_t *ore)
{
    size_t i = 0;
    int neg = 0;
    if (i < len && (s[i] == '-' || s[i] == '+'))
        neg = s[i++] == '-';
    size_t int_start = i;
    int64_t v = 0;
    while (i < len && s[i] >= '0' && s[i] <= '9') {
        if (v > MONEY_MAX_ORE / 1000)
            return -1;
        v = v * 10 + (s[i++] - '0');
    }
    size_t int_digits = i - int_start;
    int64_t frac = 0;
    int frac_digits = 0;
    if (i < len && (s[i] == '.' || s[i] == ',')) {
        i++;
        while (i < len && s[i] >= '0' && s[i] <= '9') {
            if (frac_digits == 2) {
                /* More than two decimals: accept only trailing zeros (e.g. "1.500"). */
                if (s[i] != '0')
                    return -1;
            } else {
                frac = frac * 10 + (s[i] - '0');
                frac_digits++;
            }
            i++;
        }
        if (frac_digits == 0 && int_digits == 0)
            return -1;
    } else if (int_digits == 0) {
        return -1;
    }
    if (i != len)
        return -1;
    while (frac_digits < 2) {
        frac *= 10;
        frac_digits++;
    }
    int64_t total = v * 100 + frac;
    if (total > MONEY_MAX_ORE)
        return -1;
    *ore = neg ? -total : total;
    return 0;
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
    char digits[24], grouped[40];
    int n = snprintf(digits, sizeof digits, "%llu", (unsigned long long)kr);
    size_t g = 0;
    for (int i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            grouped[g++] = ' ';
        grouped[g++] = digits[i];
    }
    grouped[g] = '\0';
    int negative = ore < 0 && (kr > 0 || (decimals && rest > 0));
    if (decimals)
        snprintf(buf, size, "%s%s,%02llu", negative ? "-" : "", grouped,
                 (unsigned long long)rest);
    else
        snprintf(buf, size, "%s%s", negative ? "-" : "", grouped);
}

int money_add(int64_t *acc, int64_t v)
{
    int64_t r;
    if (__builtin_add_overflow(*acc, v, &r))
        return -1;
    *acc = r;
    return 0;
}
