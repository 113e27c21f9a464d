/* breakdown: participant counts of a group's förbund broken down by one dimension of the
 * CSV (CONTRACT.md, `samla participants --by`). Pure: no SQL, no sockets; query_areas.c
 * feeds it the stored rows and serves the result. Which lines a förbund key may see is the
 * disclosure gate's to decide (disclose.h, marked by query_gate.c in `hidden`); the
 * group's lines sum only the lines not hidden and say how many blocks (a förbund's lines
 * of one key) were left out, like every aggregate of compare. */
#ifndef SAMLA_BREAKDOWN_H
#define SAMLA_BREAKDOWN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum { BD_INSATS, BD_TYP, BD_AVSLUT, BD_ALDER, BD_SUPPORT_START, BD_SUPPORT_EXIT,
               BD_N } bd_by_t;

/* The dimension called s (insats, typ, avslut, alder, forsorjning_start,
 * forsorjning_avslut), or -1. */
int bd_by_parse(const char *s);
const char *bd_by_name(bd_by_t by);

typedef struct {
    size_t forbund;        /* index given to bd_add */
    char *key;             /* category, kind or intervention (owned) */
    const char *kind;      /* insats: individ, volym, struktur (static); else NULL */
    const char *measure;   /* insats: the flow measure (static); else NULL */
    uint64_t n[3];         /* women, men, unspecified */
    bool hidden;           /* withheld from the asker (query_gate.c) */
    int order;             /* the key's place in CONTRACT.md's list; insats: 0 */
    int morder;            /* the measure's place in the flow */
} bd_line_t;

typedef struct {
    bd_by_t by;
    bd_line_t *v;
    size_t n, cap;
    bool failed; /* out of memory: the result is incomplete */
} bd_t;

void bd_init(bd_t *b, bd_by_t by);
void bd_free(bd_t *b);
/* Counts one stored participant row of förbund `forbund` where the dimension has it;
 * rows of other measures are ignored. */
void bd_add(bd_t *b, size_t forbund, const char *intervention, const char *kind,
            const char *measure, const char *category, const uint64_t n[3]);
/* Orders the lines by förbund, then as CONTRACT.md lists the keys (insats: by name),
 * then by measure, and merges the rows of one line. Call once after the last bd_add,
 * before reading the lines. */
void bd_sort(bd_t *b);
/* The group's lines: sums of the lines not hidden, merged by (key, measure), in the same
 * order; *withheld gets the number of hidden blocks. The caller frees *out (and each
 * key) with bd_lines_free. Returns the number of lines, or -1 when memory is gone. */
long bd_region(const bd_t *b, bd_line_t **out, unsigned *withheld);
void bd_lines_free(bd_line_t *v, size_t n);

uint64_t bd_total(const bd_line_t *l);

#endif
