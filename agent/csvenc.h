/* csvenc: the text of a CSV file as UTF-8, whatever Excel saved it as: the byte-order mark
 * dropped; UTF-8 as it is; Windows-1252 (Excel in Swedish, "CSV (semikolonavgränsad)")
 * converted. One reading for the participant and the forecast files. */
#ifndef SAMLA_CSVENC_H
#define SAMLA_CSVENC_H

#include <stddef.h>

#include "samla/diag.h"

typedef enum {
    CSVENC_UTF8,   /* the file's own bytes (after a byte-order mark) */
    CSVENC_CP1252, /* converted from Windows-1252, with a warning to d naming display */
    CSVENC_BROKEN, /* neither: the bytes as given, for the caller to name the bad lines */
} csvenc_t;

/* Points *text, *tlen at the file's text: into buf, or into a malloc'd copy that *owned
 * holds (NULL when none; the caller frees it once done with *text). CSVENC_BROKEN also
 * when memory is gone. A file with a NUL byte is never Windows-1252 text. */
csvenc_t csvenc_decode(const char *buf, size_t len, const char *display, diag_t *d,
                       const char **text, size_t *tlen, char **owned);

#endif
