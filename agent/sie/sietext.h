/* sietext: the character level of SIE files: encoding detection and conversion to UTF-8,
 * and a cursor that splits one record line into fields. */
#ifndef SAMLA_SIETEXT_H
#define SAMLA_SIETEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "samla/cursor.h"

typedef enum { SIE_ENC_ASCII, SIE_ENC_CP437, SIE_ENC_UTF8, SIE_ENC_LATIN9 } sie_encoding_t;

const char *sietext_encoding_name(sie_encoding_t e);
/* Decides how the bytes are encoded. SIE declares PC8 (CP437), but real writers also
 * emit UTF-8 or ISO-8859-1/15 while declaring it: valid UTF-8 with non-ASCII bytes is
 * UTF-8; otherwise letters in 0xC0-0xFF outnumbering those in 0x80-0x9F mean Latin. */
sie_encoding_t sietext_detect(const char *buf, size_t len);
/* The same decision over a file read in pieces that each end at a line end (a UTF-8
 * sequence never spans one): init, feed every piece, then the result. */
typedef struct {
    size_t high, cp437_letters, latin_letters;
    bool utf8; /* every piece so far is valid UTF-8 */
} sietext_detector_t;
void sietext_detect_init(sietext_detector_t *t);
void sietext_detect_feed(sietext_detector_t *t, const char *buf, size_t len);
sie_encoding_t sietext_detect_result(const sietext_detector_t *t);
/* Converts one line into out, which must hold len * 3 bytes, and returns the length.
 * Text is decoded here, once, so that every field the reader sees (and compares, like
 * object codes) is UTF-8. Control characters other than tab become '?'. */
size_t sietext_decode(const char *s, size_t len, sie_encoding_t enc, char *out);

/* One field of a record line, pointing into the line (not NUL-terminated). Quoted fields
 * still hold their escapes; use sietext_field_dup to get the text. */
typedef struct {
    union {
        cur_span_t span;
        struct {
            const char *p;
            size_t len;
        };
    };
    size_t col;       /* 1-based column of the field's first byte */
    bool quoted;
    bool braces;      /* an object list "{...}", p/len are the inside */
    bool stray_quote; /* an unescaped '"' inside the field's text (read as text) */
} sie_field_t;

/* Moves the cursor (over one line) past the next field. Returns 1 with a field, 0 at the
 * end of the line, -1 for an unterminated quote or brace (the cursor does not move then).
 * Some writers put '"' for a letter they cannot encode (SoftOne XE: Leverant"rsskulder,
 * "F"rskott till Lind" Park"): in a bare word it is text, and in quoted text a '"' closes
 * the field only where a blank, brace or the line's end follows and an even number of
 * quotes remains. Such fields are read with `stray_quote` set. */
int sietext_next(cur_t *c, sie_field_t *f);
/* Feeds a field to the #KSUMMA checksum: CRC-32 (reflected, polynomial 0xEDB88320) over
 * the bytes of labels and fields as they stand in the file, quotes and braces removed and
 * escapes resolved; an object list contributes each of its fields. Start with crc = 0. */
uint32_t sietext_crc_field(uint32_t crc, const sie_field_t *f);

/* The field's text with escapes removed (the line is already UTF-8); malloc'd. */
char *sietext_field_dup(const sie_field_t *f);
/* Writes the field's text, escapes removed, to out (f->len bytes suffice); returns its
 * length. For lookups that must not allocate per row. */
size_t sietext_unescape(const sie_field_t *f, char *out);

#endif
