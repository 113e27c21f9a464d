/* partflow: the participant counts' vocabulary and the checks every set of counts must
 * pass, shared by the agent's CSV reader and samlad's ingest so that `samla-agent check`
 * refuses exactly what samlad would (CONTRACT.md, "Participant input"):
 *  - every measure known, and a category where the measure takes one, from its list;
 *  - no (intervention, measure, category) twice;
 *  - per intervention and gender: aktuella_start + nya - avslutade = aktuella_slut (when
 *    aktuella_slut is given), and the avslut rows sum to avslutade (when any is given);
 *  - every count at most PARTFLOW_MAX_COUNT.
 * Sorting instead of comparing every pair keeps it O(n log n) for the 100 000 rows a
 * file may hold. */
#ifndef SAMLA_PARTFLOW_H
#define SAMLA_PARTFLOW_H

#include <stddef.h>
#include <stdint.h>

#include "samla/diag.h"

/* More people than live in Sweden is not a count. */
#define PARTFLOW_MAX_COUNT 10000000u

typedef struct {
    const char *intervention;
    const char *measure;  /* as given; checked against the known codes */
    const char *category; /* NULL or "" for none */
    uint32_t count[3];    /* women, men, unspecified */
    size_t line;          /* for messages (0: none) */
} partflow_row_t;

/* The flow of an intervention, in the order a board reads it: aktuella_start, nya,
 * avslutade, aktuella_slut. The measures without categories. */
#define PARTFLOW_N_FLOW 4
extern const char *const partflow_flow[PARTFLOW_N_FLOW];

/* The known code for s[0..len) as a static string, or NULL. */
const char *partflow_measure(const char *s, size_t len);
/* The known category of `measure` for s[0..len), or NULL. Measures without categories
 * take none: their only valid category is the empty one, returned as "". */
const char *partflow_category(const char *measure, const char *s, size_t len);
/* The categories of a measure in the order CONTRACT.md lists them, NULL-terminated
 * (empty for a measure without categories or an unknown one). */
const char *const *partflow_categories(const char *measure);
/* Whether the measure takes a category (avslut, alder, forsorjning_*). */
int partflow_has_categories(const char *measure);
/* Whether an exit reason (avslut's category) counts as work or studies: arbete,
 * arbete_subventionerat, studier (CONTRACT.md, work_or_studies_share). NULL: no. */
int partflow_work_or_studies(const char *category);

/* Checks rows as described above; every problem goes to d as an error naming `display`
 * (may be NULL) and the row's line. Returns 0 when there was none, -1 otherwise. */
int partflow_check(const partflow_row_t *rows, size_t n, const char *display, diag_t *d);

#endif
