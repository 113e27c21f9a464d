/* csvenc: see csvenc.h. */
#include "csvenc.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "samla/text.h"

/* Windows-1252's 0x80-0x9F as Unicode (0: not defined); 0xA0-0xFF are Latin-1's. */
static const uint16_t s_cp1252[32] = {
    0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0, 0x017D, 0, 0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013,
    0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178};

/* The bytes as UTF-8 if they can be Windows-1252 text (no NUL, no undefined byte);
 * malloc'd, NUL-terminated, length in *out_len. NULL otherwise. */
static char *s_cp1252_to_utf8(const char *buf, size_t len, size_t *out_len)
{
    char *u = malloc(len * 3 + 1);
    size_t o = 0;
    for (size_t i = 0; u && i < len; i++) {
        unsigned c = (unsigned char)buf[i];
        unsigned cp = c >= 0x80 && c < 0xA0 ? s_cp1252[c - 0x80] : c;
        if (cp == 0) {
            free(u);
            return NULL;
        }
        if (cp < 0x80) {
            u[o++] = (char)cp;
        } else if (cp < 0x800) {
            u[o++] = (char)(0xC0 | (cp >> 6));
            u[o++] = (char)(0x80 | (cp & 0x3F));
        } else {
            u[o++] = (char)(0xE0 | (cp >> 12));
            u[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
            u[o++] = (char)(0x80 | (cp & 0x3F));
        }
    }
    if (u)
        u[o] = '\0';
    *out_len = o;
    return u;
}

/* Whether some line with non-ASCII bytes is valid UTF-8: then the file is UTF-8 with
 * broken lines (named one by one), not Windows-1252, where å, ä and ö are single bytes
 * that never form valid UTF-8 sequences in Swedish text. */
static bool s_some_utf8(const char *buf, size_t len)
{
    for (size_t i = 0, start = 0; i <= len; i++) {
        if (i < len && buf[i] != '\n')
            continue;
        bool high = false;
        for (size_t k = start; k < i && !high; k++)
            high = (unsigned char)buf[k] >= 0x80;
        if (high && text_utf8_valid(buf + start, i - start))
            return true;
        start = i + 1;
    }
    return false;
}

csvenc_t csvenc_decode(const char *buf, size_t len, const char *display, diag_t *d,
                       const char **text, size_t *tlen, char **owned)
{
    *owned = NULL;
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
        buf += 3; /* Excel's byte-order mark */
        len -= 3;
    }
    *text = buf;
    *tlen = len;
    if (text_utf8_valid(buf, len))
        return CSVENC_UTF8;
    /* Excel in Swedish saves "CSV (semikolonavgränsad)" as Windows-1252: read it as such
     * rather than refuse every line with an å, ä or ö. */
    size_t ulen;
    char *u = s_some_utf8(buf, len) || memchr(buf, '\0', len)
                  ? NULL
                  : s_cp1252_to_utf8(buf, len, &ulen);
    if (!u)
        return CSVENC_BROKEN;
    *owned = u;
    *text = u;
    *tlen = ulen;
    diag_add(d, DIAG_WARNING, display, 0, "not UTF-8: read as Windows-1252, the encoding "
             "Excel in Swedish saves CSV in");
    return CSVENC_CP1252;
}
