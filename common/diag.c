#include "samla/diag.h"
#include "samla/i18n.h"
#include "samla/text.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Enough to list every problem of a badly broken file without using unbounded memory. */
#define DIAG_MAX 200

typedef struct {
    diag_level_t level;
    char *text; /* "file:line: message", owned */
} s_entry_t;

struct diag_s {
    s_entry_t entries[DIAG_MAX];
    size_t n;
    size_t errors, warnings, dropped;
};

int err_set(samla_err_t *err, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, gettext(fmt), ap);
        va_end(ap);
    }
    return -1;
}

void err_print(const char *prog, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s: ", prog);
    vfprintf(stderr, gettext(fmt), ap);
    va_end(ap);
}

diag_t *diag_new(void)
{
    return calloc(1, sizeof(diag_t));
}

void diag_destroy(diag_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    diag_t *self = *self_p;
    for (size_t i = 0; i < self->n; i++)
        free(self->entries[i].text);
    free(self);
    *self_p = NULL;
}

int diag_add(diag_t *self, diag_level_t level, const char *file, size_t line,
             const char *fmt, ...)
{
    int rc = level == DIAG_ERROR ? -1 : 0;
    if (level == DIAG_ERROR)
        self->errors++;
    else
        self->warnings++;
    if (self->n == DIAG_MAX) {
        self->dropped++;
        return rc;
    }
    char msg[768], where[320] = "";
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, gettext(fmt), ap);
    va_end(ap);
    /* a message quotes what it found in a file: never a terminal escape on the way out
     * (the cut at the buffer's end may leave half a character; it is still not one) */
    text_neutralize(msg);
    if (file && line)
        snprintf(where, sizeof where, "%s:%zu: ", file, line);
    else if (file)
        snprintf(where, sizeof where, "%s: ", file);
    const char *warn = level == DIAG_WARNING ? _("warning: ") : "";
    size_t len = strlen(where) + strlen(warn) + strlen(msg) + 1;
    char *text = malloc(len);
    if (!text) {
        self->dropped++;
        return rc;
    }
    snprintf(text, len, "%s%s%s", where, warn, msg);
    self->entries[self->n].level = level;
    self->entries[self->n].text = text;
    self->n++;
    return rc;
}

size_t diag_errors(const diag_t *self)
{
    return self->errors;
}

size_t diag_count(const diag_t *self)
{
    return self->n;
}

const char *diag_text(const diag_t *self, size_t i, diag_level_t *level)
{
    if (level)
        *level = self->entries[i].level;
    return self->entries[i].text;
}

const char *diag_first_error(const diag_t *self)
{
    for (size_t i = 0; i < self->n; i++)
        if (self->entries[i].level == DIAG_ERROR)
            return self->entries[i].text;
    return self->errors ? "too many problems to list" : NULL;
}

size_t diag_warnings(const diag_t *self)
{
    return self->warnings;
}

void diag_print(const diag_t *self, const char *prog, FILE *out)
{
    for (size_t i = 0; i < self->n; i++)
        fprintf(out, "%s: %s\n", prog, self->entries[i].text);
    if (self->dropped)
        fprintf(out, "%s: ... and %zu more problems not shown\n", prog, self->dropped);
}
