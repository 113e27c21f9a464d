/* partcsv: the participant counts CSV (CONTRACT.md, "Participant input"): UTF-8,
 * ';'-separated, a header row, one count per row, year to date. */
#ifndef SAMLA_PARTCSV_H
#define SAMLA_PARTCSV_H

#include <stddef.h>
#include <stdint.h>

#include "samla.pb-c.h"
#include "samla/diag.h"

typedef struct {
    char *intervention; /* owned */
    Samla__V1__InterventionKind kind;
    const char *measure;  /* static: one of the known codes */
    const char *category; /* static or "" */
    uint32_t women, men, unspecified;
    char *cost_area; /* owned; NULL when the CSV has no kostnadsområde or leaves it empty */
    size_t line;
} part_row_t;

typedef struct {
    part_row_t *rows;
    size_t n;
} part_table_t;

/* Largest CSV accepted and most rows: a förbund has tens of rows, not millions. */
#define PARTCSV_MAX_FILE (16u * 1024u * 1024u)
#define PARTCSV_MAX_ROWS 100000u

/* Parses and checks the flow (start + new - ended = end, per gender) and that the avslut
 * rows add up to avslutade. Every problem goes to d with file:line. Returns 0 when there
 * were none. `display` names the file in messages. */
int partcsv_parse(const char *buf, size_t len, const char *display, part_table_t *out,
                  diag_t *d);
/* As above from a file; *missing is set when it does not exist. */
int partcsv_read(const char *path, part_table_t *out, diag_t *d, int *missing);
void partcsv_free(part_table_t *t);

#endif
