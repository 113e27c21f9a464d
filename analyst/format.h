/* format: samla's output formats as one interface, as an output plugin is one: a format is
 * a row (format_t) in its own file, with open, one writer per reply kind and close. The
 * writers per kind come from the one list of query kinds (samla/querykinds.h), so a new
 * reply kind is one function per format, and a new format is one file and one line in
 * format.c's list.
 *
 * Each writer escapes what it writes for its own medium (text.h's rules for the terminal,
 * csvw for CSV, jansson for JSON, libxlsxwriter for xlsx): text from a förbund, a name or
 * a code, is data in every one of them. */
#ifndef SAMLA_FORMAT_H
#define SAMLA_FORMAT_H

#include <stdbool.h>
#include <stdio.h>

#include "samla.pb-c.h"
#include "samla/diag.h"
#include "samla/querykinds.h"

/* What the command line asks of every format. */
typedef struct {
    FILE *out;          /* where text formats write (standard output) */
    const char *output; /* --output FILE, for the formats that write a file */
    bool colour;        /* out is a terminal: the table may colour */
    bool ranked;        /* compare --metric: ranked by that metric */
    bool long_form;     /* --long: one row per förbund, period and metric */
    bool english;       /* --lang en: the tables' earlier English layout */
} fmt_opts_t;

/* An open writer: the options and the format's own state (from its open). */
typedef struct {
    const fmt_opts_t *o;
    void *state;
} fmt_w_t;

typedef struct {
    const char *name;  /* --format NAME */
    const char *help;  /* one line for --help */
    bool file;         /* writes --output FILE, not standard output */
    /* The state for w->state; -1 with err when it cannot write. */
    int (*open)(fmt_w_t *w, samla_err_t *err);
    /* One writer per reply kind; NULL where the format cannot show that kind. */
#define FORMAT_WRITER(KIND, name, Type, metrics)                                           \
    void (*name)(fmt_w_t *w, const Samla__V1__##Type *r);
    QUERY_KINDS(FORMAT_WRITER)
#undef FORMAT_WRITER
    /* Finishes and frees the state; -1 with err when what was written is lost. */
    int (*close)(fmt_w_t *w, samla_err_t *err);
} format_t;

/* The format called name; NULL when there is none. */
const format_t *format_find(const char *name);
/* The i-th format in --help's order; NULL past the last. */
const format_t *format_at(size_t i);
/* Whether f has a writer for kind. */
bool format_writes(const format_t *f, Samla__V1__QueryKind kind);
/* The names of the formats that write kind, "a, b or c", into buf. */
void format_names(Samla__V1__QueryKind kind, char *buf, size_t size);

/* Writes the part of reply that kind names with f: 0, or a sysexits code after saying
 * why on stderr (EX_PROTOCOL: the reply lacks that part; EX_CANTCREAT: the file could
 * not be written). */
int format_write(const format_t *f, const fmt_opts_t *o, Samla__V1__QueryKind kind,
                 const Samla__V1__Reply *reply, const char *prog);

#endif
