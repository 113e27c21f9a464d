#include "sietext.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "samla/text.h"

/* CP437 0x80-0xFF as Unicode code points. */
static const uint16_t s_cp437[128] = {
    0x00C7, 0x00FC, 0x00E9, 0x00E2, 0x00E4, 0x00E0, 0x00E5, 0x00E7, 0x00EA, 0x00EB, 0x00E8,
    0x00EF, 0x00EE, 0x00EC, 0x00C4, 0x00C5, 0x00C9, 0x00E6, 0x00C6, 0x00F4, 0x00F6, 0x00F2,
    0x00FB, 0x00F9, 0x00FF, 0x00D6, 0x00DC, 0x00A2, 0x00A3, 0x00A5, 0x20A7, 0x0192, 0x00E1,
    0x00ED, 0x00F3, 0x00FA, 0x00F1, 0x00D1, 0x00AA, 0x00BA, 0x00BF, 0x2310, 0x00AC, 0x00BD,
    0x00BC, 0x00A1, 0x00AB, 0x00BB, 0x2591, 0x2592, 0x2593, 0x2502, 0x2524, 0x2561, 0x2562,
    0x2556, 0x2555, 0x2563, 0x2551, 0x2557, 0x255D, 0x255C, 0x255B, 0x2510, 0x2514, 0x2534,
    0x252C, 0x251C, 0x2500, 0x253C, 0x255E, 0x255F, 0x255A, 0x2554, 0x2569, 0x2566, 0x2560,
    0x2550, 0x256C, 0x2567, 0x2568, 0x2564, 0x2565, 0x2559, 0x2558, 0x2552, 0x2553, 0x256B,
    0x256A, 0x2518, 0x250C, 0x2588, 0x2584, 0x258C, 0x2590, 0x2580, 0x03B1, 0x00DF, 0x0393,
    0x03C0, 0x03A3, 0x03C3, 0x00B5, 0x03C4, 0x03A6, 0x0398, 0x03A9, 0x03B4, 0x221E, 0x03C6,
    0x03B5, 0x2229, 0x2261, 0x00B1, 0x2265, 0x2264, 0x2320, 0x2321, 0x00F7, 0x2248, 0x00B0,
    0x2219, 0x00B7, 0x221A, 0x207F, 0x00B2, 0x25A0, 0x00A0,
};

const char *sietext_encoding_name(sie_encoding_t e)
{
    static const char *names[] = {"ASCII", "CP437", "UTF-8", "ISO-8859-15"};
    return names[e];
}

void sietext_detect_init(sietext_detector_t *t)
{
    *t = (sietext_detector_t){.utf8 = true};
}

void sietext_detect_feed(sietext_detector_t *t, const char *buf, size_t len)
{
    const unsigned char *p = (const unsigned char *)buf;
    size_t high = 0;
    for (size_t i = 0; i < len; i++) {
        if (p[i] < 0x80)
            continue;
        high++;
        if (p[i] < 0xA0)
            t->cp437_letters++;
        else if (p[i] >= 0xC0)
            t->latin_letters++;
    }
    t->high += high;
    if (high && t->utf8)
        t->utf8 = text_utf8_valid(buf, len);
}

sie_encoding_t sietext_detect_result(const sietext_detector_t *t)
{
    if (t->high == 0)
        return SIE_ENC_ASCII;
    if (t->utf8)
        return SIE_ENC_UTF8;
    return t->latin_letters > t->cp437_letters ? SIE_ENC_LATIN9 : SIE_ENC_CP437;
}

sie_encoding_t sietext_detect(const char *buf, size_t len)
{
    sietext_detector_t t;
    sietext_detect_init(&t);
    sietext_detect_feed(&t, buf, len);
    return sietext_detect_result(&t);
}

static uint32_t s_latin9(unsigned char c)
{
    switch (c) {
    case 0xA4: return 0x20AC;
    case 0xA6: return 0x0160;
    case 0xA8: return 0x0161;
    case 0xB4: return 0x017D;
    case 0xB8: return 0x017E;
    case 0xBC: return 0x0152;
    case 0xBD: return 0x0153;
    case 0xBE: return 0x0178;
    default: return c;
    }
}

static size_t s_put_utf8(char *out, uint32_t cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    out[0] = (char)(0xE0 | (cp >> 12));
    out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
}

size_t sietext_decode(const char *s, size_t len, sie_encoding_t enc, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80 || enc == SIE_ENC_UTF8 || enc == SIE_ENC_ASCII) {
            /* A control character other than tab would garble output; keep it visible. */
            out[o++] = (c < 0x20 && c != '\t') ? '?' : (char)c;
        } else if (enc == SIE_ENC_CP437) {
            o += s_put_utf8(out + o, s_cp437[c - 0x80]);
        } else {
            o += s_put_utf8(out + o, s_latin9(c));
        }
    }
    return o;
}

/* Past a quoted field's opening quote: the closing quote, or NULL. The closing quote is
 * followed by a blank, a brace or the line's end, and leaves an even number of quotes
 * after it (else what follows could not be read either): so "F"rskott till Lind" Park",
 * as SoftOne XE writes a letter it cannot encode, is one field. */
static const char *s_close_quote(const char *q, const char *end)
{
    size_t rest = 0;
    for (const char *k = q; k < end; k++) {
        if (*k == '\\' && k + 1 < end)
            k++;
        else if (*k == '"')
            rest++;
    }
    const char *last = NULL;
    for (; q < end; q++) {
        if (*q == '\\' && q + 1 < end) {
            q++;
            continue;
        }
        if (*q != '"')
            continue;
        rest--;
        bool separated = q + 1 == end || q[1] == ' ' || q[1] == '\t' || q[1] == '{' || q[1] == '}';
        if (separated && rest % 2 == 0)
            return q;
        last = q;
    }
    /* Nothing fits: the last quote closes the field, as it always did. */
    return last;
}

static bool s_bare_quote(cur_span_t t)
{
    for (size_t i = 0; i < t.len; i++) {
        if (t.p[i] == '\\')
            i++;
        else if (t.p[i] == '"')
            return true;
    }
    return false;
}

int sietext_next(cur_t *c, sie_field_t *f)
{
    cur_skip_blanks(c);
    if (cur_eof(c))
        return 0;
    memset(f, 0, sizeof *f);
    f->col = cur_col(c);
    const char *p = c->p;
    if (*p == '"') {
        const char *q = s_close_quote(p + 1, c->end);
        if (!q)
            return -1;
        f->span = (cur_span_t){p + 1, (size_t)(q - p - 1)};
        f->quoted = true;
        f->stray_quote = s_bare_quote(f->span);
        c->p = q + 1;
        return 1;
    }
    if (*p == '{') {
        /* Quoted object codes may contain '}', so skip over quotes. */
        const char *q = p + 1;
        while (q < c->end && *q != '}') {
            if (*q == '"') {
                q = s_close_quote(q + 1, c->end);
                if (!q)
                    return -1;
            }
            q++;
        }
        if (q >= c->end)
            return -1;
        f->span = (cur_span_t){p + 1, (size_t)(q - p - 1)};
        f->braces = true;
        c->p = q + 1;
        return 1;
    }
    /* A bare word ends at a blank (or an object list); a '"' inside it is text, as
     * SoftOne XE writes Leverant"rsskulder. */
    f->span = cur_until(c, " \t{");
    f->stray_quote = memchr(f->p, '"', f->len) != NULL;
    return 1;
}

size_t sietext_unescape(const sie_field_t *f, char *out)
{
    size_t n = 0;
    for (size_t i = 0; i < f->len; i++) {
        if (f->quoted && f->p[i] == '\\' && i + 1 < f->len &&
            (f->p[i + 1] == '"' || f->p[i + 1] == '\\'))
            i++;
        out[n++] = f->p[i];
    }
    return n;
}

char *sietext_field_dup(const sie_field_t *f)
{
    char *out = malloc(f->len + 1);
    if (out)
        out[sietext_unescape(f, out)] = '\0';
    return out;
}

/* zlib's CRC-32 is the one #KSUMMA uses (ISO 3309, as the SIE 4B specification says). */
static uint32_t s_crc(uint32_t crc, const char *p, size_t len)
{
    while (len > UINT_MAX) { /* zlib takes an unsigned int length */
        crc = (uint32_t)crc32(crc, (const Bytef *)p, UINT_MAX);
        p += UINT_MAX;
        len -= UINT_MAX;
    }
    return (uint32_t)crc32(crc, (const Bytef *)p, (uInt)len);
}

/* Quoted text without its escapes, in the file's own bytes. */
static uint32_t s_crc_unescaped(uint32_t crc, const sie_field_t *f)
{
    size_t start = 0;
    for (size_t i = 0; i < f->len; i++) {
        if (f->quoted && f->p[i] == '\\' && i + 1 < f->len &&
            (f->p[i + 1] == '"' || f->p[i + 1] == '\\')) {
            crc = s_crc(crc, f->p + start, i - start);
            start = ++i;
        }
    }
    return s_crc(crc, f->p + start, f->len - start);
}

uint32_t sietext_crc_field(uint32_t crc, const sie_field_t *f)
{
    if (!f->braces)
        return s_crc_unescaped(crc, f);
    cur_t c = cur_of(f->span);
    sie_field_t sub;
    while (sietext_next(&c, &sub) == 1)
        crc = s_crc_unescaped(crc, &sub);
    return crc;
}
