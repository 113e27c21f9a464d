#include "store_pack.h"

#include <math.h>
#include <string.h>

/* A record: the metric's id (varint), a tag, then the parts the tag announces.
 *   tag bit 0       the value is present (records of absent values are not written)
 *   tag bit 1       the integer part is a zigzag varint (else 0)
 *   tag bits 2-3    the ratio d, bits 4-5 its numerator, bits 6-7 its denominator:
 *                   0 zero, 1 an integer as a zigzag varint, 2 the IEEE 754 bits (8 bytes,
 *                   little-endian), 3 (d only) exactly num / den, worked out again on
 *                   reading (the encoder checks that the division gives the same bits).
 * Counts and öre are integers and most numerators and denominators are too: a region's
 * month packs in well under a page, where the fixed 37-byte records spilled to overflow
 * pages. Ids are the database's, so a version that knows other metrics reads what it
 * knows. */
enum { P_ZERO, P_INT, P_BITS, P_DIV };

#define S_EXACT (9007199254740992.0) /* 2^53: every integer below it is a double */

static uint8_t *s_varint(uint8_t *p, uint64_t v)
{
    while (v >= 0x80) {
        *p++ = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    *p++ = (uint8_t)v;
    return p;
}

static uint64_t s_zig(int64_t v)
{
    return ((uint64_t)v << 1) ^ (uint64_t)(v < 0 ? -1 : 0);
}

static int64_t s_unzig(uint64_t u)
{
    return (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
}

static int s_kind(double x)
{
    if (x == 0.0 && !signbit(x))
        return P_ZERO;
    if (x > -S_EXACT && x < S_EXACT && x == (double)(int64_t)x && !(x == 0.0))
        return P_INT;
    return P_BITS;
}

static uint8_t *s_double(uint8_t *p, int kind, double x)
{
    if (kind == P_INT)
        return s_varint(p, s_zig((int64_t)x));
    if (kind == P_BITS) {
        uint64_t u;
        memcpy(&u, &x, sizeof u);
        for (int i = 0; i < 8; i++)
            *p++ = (uint8_t)(u >> (8 * i));
    }
    return p;
}

static int s_same(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

size_t store_pack_encode(const int64_t *ids, const metric_value_t *v, size_t n, uint8_t *buf)
{
    uint8_t *p = buf;
    for (size_t k = 0; k < n && k < METRIC_MAX; k++) {
        if (!v[k].present)
            continue;
        int kn = s_kind(v[k].num), kden = s_kind(v[k].den);
        int kd = v[k].den != 0.0 && s_same(v[k].num / v[k].den, v[k].d) ? P_DIV
                                                                      : s_kind(v[k].d);
        p = s_varint(p, (uint64_t)ids[k]);
        *p++ = (uint8_t)(1 | (v[k].i ? 2 : 0) | kd << 2 | kn << 4 | kden << 6);
        if (v[k].i)
            p = s_varint(p, s_zig(v[k].i));
        p = s_double(p, kd == P_DIV ? P_ZERO : kd, v[k].d);
        p = s_double(p, kn, v[k].num);
        p = s_double(p, kden, v[k].den);
    }
    return (size_t)(p - buf);
}

/* --- reading: every step bounded by the end of the blob ---------------------------- */

typedef struct {
    const uint8_t *p, *end;
} s_cur_t;

/* At most 10 bytes; the cursor moves only on success. */
static int s_get_varint(s_cur_t *c, uint64_t *out)
{
    uint64_t v = 0;
    const uint8_t *q = c->p;
    for (int shift = 0; q < c->end && shift < 64; shift += 7) {
        uint8_t b = *q++;
        v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) {
            c->p = q;
            *out = v;
            return 0;
        }
    }
    return -1;
}

static int s_get_double(s_cur_t *c, int kind, double *out)
{
    uint64_t u = 0;
    if (kind == P_ZERO) {
        *out = 0.0;
        return 0;
    }
    if (kind == P_INT) {
        if (s_get_varint(c, &u))
            return -1;
        *out = (double)s_unzig(u);
        return 0;
    }
    if (c->end - c->p < 8)
        return -1;
    for (int i = 0; i < 8; i++)
        u |= (uint64_t)c->p[i] << (8 * i);
    c->p += 8;
    memcpy(out, &u, sizeof *out);
    return 0;
}

int store_pack_decode(const uint8_t *p, size_t len, store_pack_fn put, void *arg)
{
    s_cur_t c = {p, p + len};
    while (c.p < c.end) {
        uint64_t id, i = 0;
        if (s_get_varint(&c, &id) || c.p >= c.end || id > INT64_MAX)
            return -1;
        uint8_t tag = *c.p++;
        int kd = tag >> 2 & 3, kn = tag >> 4 & 3, kden = tag >> 6 & 3;
        metric_value_t v = {.present = (tag & 1) != 0};
        if (!v.present || ((tag & 2) && s_get_varint(&c, &i)) ||
            s_get_double(&c, kd == P_DIV ? P_ZERO : kd, &v.d) ||
            s_get_double(&c, kn, &v.num) || s_get_double(&c, kden, &v.den))
            return -1;
        v.i = s_unzig(i);
        if (kd == P_DIV)
            v.d = v.den != 0.0 ? v.num / v.den : 0.0;
        put(arg, (int64_t)id, &v);
    }
    return 0;
}
