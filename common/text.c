#include "samla/text.h"

#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

bool text_utf8_valid(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        unsigned c = p[i];
        if (c == 0)
            return false;
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t n;
        uint32_t cp;
        if (c >= 0xC2 && c <= 0xDF) {
            n = 1;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 2;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3;
            cp = c & 0x07;
        } else {
            return false;
        }
        if (n >= len - i) /* not enough bytes left */
            return false;
        for (size_t k = 1; k <= n; k++) {
            if ((p[i + k] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (p[i + k] & 0x3F);
        }
        /* Overlong forms, surrogates and values beyond U+10FFFF. */
        if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10FFFF ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += n + 1;
    }
    return true;
}

size_t text_unsafe_at(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    if (p[0] < 0x20 || p[0] == 0x7F)
        return p[0] ? 1 : 0;
    if (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F)
        return 2; /* C1 */
    if (p[0] == 0xD8 && p[1] == 0x9C)
        return 2; /* U+061C arabic letter mark */
    if (p[0] == 0xE2 && p[1] == 0x80 &&
        (p[2] == 0x8E || p[2] == 0x8F || (p[2] >= 0xAA && p[2] <= 0xAE)))
        return 3; /* U+200E, U+200F, U+202A..U+202E */
    if (p[0] == 0xE2 && p[1] == 0x81 && p[2] >= 0xA6 && p[2] <= 0xA9)
        return 3; /* U+2066..U+2069 */
    return 0;
}

bool text_is_safe(const char *s)
{
    for (; s && *s; s++)
        if (text_unsafe_at(s))
            return false;
    return true;
}

size_t text_neutralize(char *s)
{
    size_t n = 0;
    while (s && *s) {
        size_t len = text_unsafe_at(s);
        if (!len) {
            s++;
            continue;
        }
        memset(s, '?', len);
        s += len;
        n++;
    }
    return n;
}

bool text_orgnr_valid(const char *s)
{
    if (!s || strlen(s) != 11 || s[6] != '-')
        return false;
    for (int i = 0; i < 11; i++)
        if (i != 6 && (s[i] < '0' || s[i] > '9'))
            return false;
    return true;
}

int text_orgnr_canonical(const char *s, size_t len, char *out)
{
    char digits[12];
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] >= '0' && s[i] <= '9') {
            if (n == 12)
                return -1;
            digits[n++] = s[i];
        } else if (!(s[i] == '-' && ((i == 6 && len == 11) || (i == 8 && len == 13)))) {
            return -1; /* a hyphen only where NNNNNN-NNNN or CCNNNNNN-NNNN put it */
        }
    }
    if (n == 12) {
        /* With its century digits ("16" for organisations, 19/20 for a sole trader's
         * personal identity number), as some accounting systems write #ORGNR: drop them. */
        memmove(digits, digits + 2, 10);
        n = 10;
    }
    if (n != 10)
        return -1;
    memcpy(out, digits, 6);
    out[6] = '-';
    memcpy(out + 7, digits + 6, 4);
    out[11] = '\0';
    return 0;
}

char *text_dup(const char *s)
{
    return s ? strdup(s) : NULL;
}

size_t text_width(const char *s)
{
    size_t w = 0;
    for (; *s; s++)
        w += ((unsigned char)*s & 0xC0) != 0x80;
    return w;
}

static void s_pad(FILE *out, const char *s, size_t width, int right)
{
    size_t w = text_width(s);
    if (w > width) {
        /* Cut at a code-point boundary. */
        size_t cols = 0, i = 0;
        for (; s[i]; i++) {
            if (((unsigned char)s[i] & 0xC0) != 0x80 && cols++ == width)
                break;
        }
        fprintf(out, "%.*s", (int)i, s);
        return;
    }
    if (right)
        fprintf(out, "%*s%s", (int)(width - w), "", s);
    else
        fprintf(out, "%s%*s", s, (int)(width - w), "");
}

void text_pad(FILE *out, const char *s, size_t width)
{
    s_pad(out, s, width, 0);
}

void text_rpad(FILE *out, const char *s, size_t width)
{
    s_pad(out, s, width, 1);
}

int text_fmt(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    if (n >= 0 && (size_t)n < size)
        return 0;
    if (size)
        buf[0] = '\0';
    return -1;
}

void text_number_sv(const char *plain, char *buf, size_t size)
{
    if (!size)
        return;
    const char *digits = plain + (*plain == '-');
    size_t int_len = strspn(digits, "0123456789");
    bool zero = strspn(digits, "0.") == strlen(digits);
    size_t o = 0;
#define S_PUT(c) do { if (o + 1 < size) buf[o++] = (c); } while (0)
    if (*plain == '-' && !zero)
        S_PUT('-');
    for (size_t i = 0; i < int_len; i++) {
        if (i > 0 && (int_len - i) % 3 == 0)
            S_PUT(' ');
        S_PUT(digits[i]);
    }
    for (const char *p = digits + int_len; *p; p++)
        S_PUT(*p == '.' ? ',' : *p);
#undef S_PUT
    buf[o] = '\0';
}

/* Adds one to the last digit of s[0..n) (digits and at most one '.'), carrying left;
 * returns 1 when the carry runs out of digits (the caller puts a '1' in front). */
static int s_round_up(char *s, size_t n)
{
    for (size_t i = n; i-- > 0;) {
        if (s[i] == '.')
            continue;
        if (s[i] != '9') {
            s[i]++;
            return 0;
        }
        s[i] = '0';
    }
    return 1;
}

/* Room for %f of any double with up to 18 decimals; a rounded result adds a sign and a
 * carried digit. */
enum { S_DECIMAL_DIGITS = 400, S_DECIMAL_TEXT = S_DECIMAL_DIGITS + 2 };

void text_round_decimal(double v, int decimals, char *buf, size_t size)
{
    int d = decimals < 0 ? 0 : decimals > 12 ? 12 : decimals;
    if (!size)
        return;
    if (!isfinite(v)) {
        snprintf(buf, size, "%s", isnan(v) ? "nan" : v < 0 ? "-inf" : "inf");
        return;
    }
    char s[S_DECIMAL_DIGITS]; /* %f of the largest double has 309 digits */
    snprintf(s, sizeof s, "%.*f", d + 6, fabs(v));
    size_t cut = strcspn(s, ".") + (d ? 1 + (size_t)d : 0);
    bool up = s[strcspn(s, ".") + 1 + (size_t)d] >= '5';
    s[cut] = '\0';
    int carry = up ? s_round_up(s, cut) : 0;
    bool zero = strspn(s, "0.") == cut && !carry;
    snprintf(buf, size, "%s%s%s", v < 0 && !zero ? "-" : "", carry ? "1" : "", s);
}

void text_decimal_sv(double v, int decimals, char *buf, size_t size)
{
    char plain[S_DECIMAL_TEXT];
    text_round_decimal(v, decimals, plain, sizeof plain);
    text_number_sv(plain, buf, size);
}
