/* text: UTF-8 checks and small string helpers shared by the readers and the daemon. */
#ifndef SAMLA_TEXT_H
#define SAMLA_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* True when s[0..len) is well-formed UTF-8 without NUL bytes. */
bool text_utf8_valid(const char *s, size_t len);
/* The length in bytes of an unsafe character at s (0: safe): a C0 control or DEL (one
 * byte, tab and line breaks included), a C1 control (U+0080..U+009F) or a bidirectional
 * override, embedding, isolate or mark (U+061C, U+200E, U+200F, U+202A..U+202E,
 * U+2066..U+2069): what could move a terminal's cursor, retitle it, fake a table line or
 * reorder what a reader sees. s is valid UTF-8. */
size_t text_unsafe_at(const char *s);
/* Whether a name from a file or a peer may be shown as it is (no unsafe character). */
bool text_is_safe(const char *s);
/* Replaces every unsafe character in place with as many '?' as it had bytes; returns how
 * many were replaced. */
size_t text_neutralize(char *s);
/* Organisation number "NNNNNN-NNNN" (hyphen required in canonical form). */
bool text_orgnr_valid(const char *s);
/* Copies "2220002048" or "222000-2048" as canonical "222000-2048" into out (12 bytes).
 * Returns 0 or -1. */
int text_orgnr_canonical(const char *s, size_t len, char *out);
/* Columns a UTF-8 string takes on a terminal (code points; all of ours are narrow). */
size_t text_width(const char *s);
/* Writes s left-aligned in `width` columns, truncated if longer. */
void text_pad(FILE *out, const char *s, size_t width);
/* Same, right-aligned. */
void text_rpad(FILE *out, const char *s, size_t width);
/* snprintf for paths and names that must not be cut short (a cut path names another
 * file): 0 when the whole text fit, -1 (and buf emptied) when it did not or fmt failed.
 * The result must be checked. */
__attribute__((format(printf, 3, 4), warn_unused_result)) int text_fmt(char *buf, size_t size,
                                                                          const char *fmt, ...);
/* A number as printf writes it ("-1234567.5") the Swedish way: "-1 234 567,5" (a space
 * between thousands, a decimal comma, a plain hyphen-minus that survives copying into a
 * spreadsheet; "-0,0" loses its minus). Cut short, but terminated, when buf is too small. */
void text_number_sv(const char *plain, char *buf, size_t size);
/* The one rounding of every figure shown: v at `decimals` decimals (0..12) as plain digits
 * ("-1234.5"), half away from zero, decided on v's decimal digits (printed six places
 * further first, so that 2.675, stored as 2.67499999999999982, rounds to 2.68), once. */
void text_round_decimal(double v, int decimals, char *buf, size_t size);
/* v with `decimals` decimals, the Swedish way (text_round_decimal, text_number_sv). */
void text_decimal_sv(double v, int decimals, char *buf, size_t size);
/* strdup that never returns NULL for a non-NULL input unless memory is gone. */
char *text_dup(const char *s);

#endif
