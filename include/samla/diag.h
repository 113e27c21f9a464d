/* diag: errors as values, with file:line, collected so that every problem is listed.
 *
 * A parser reports into a diag list and keeps going where it can; the caller decides
 * what to print and which exit code follows. Messages are copied into the list; the
 * list owns them and diag_destroy frees them. */
#ifndef SAMLA_DIAG_H
#define SAMLA_DIAG_H

#include <stddef.h>
#include <stdio.h>

typedef enum { DIAG_ERROR, DIAG_WARNING } diag_level_t;

typedef struct diag_s diag_t;

/* A single-error value for functions that stop at the first problem. */
typedef struct {
    char msg[512];
} samla_err_t;

/* Formats into err and returns -1, so callers can write `return err_set(e, ...)`. The
 * format is English and said in the reader's language (i18n.h), as diag_add's is. */
int err_set(samla_err_t *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "prog: " and the message, in the reader's language, on standard error. */
void err_print(const char *prog, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

diag_t *diag_new(void);
void diag_destroy(diag_t **self_p);
/* file may be NULL; line 0 means "no line". Returns -1 for DIAG_ERROR, 0 otherwise. */
int diag_add(diag_t *self, diag_level_t level, const char *file, size_t line,
             const char *fmt, ...) __attribute__((format(printf, 5, 6)));
size_t diag_errors(const diag_t *self);
size_t diag_warnings(const diag_t *self);
/* The entries kept (at most DIAG_MAX; the rest are only counted), and each one's text as
 * diag_print shows it without the program name; owned by the list. */
size_t diag_count(const diag_t *self);
const char *diag_text(const diag_t *self, size_t i, diag_level_t *level);
/* The text of the first error, or NULL when there is none; owned by the list. */
const char *diag_first_error(const diag_t *self);
/* Prints "prog: file:line: message" per entry, errors and warnings alike. */
void diag_print(const diag_t *self, const char *prog, FILE *out);

#endif
