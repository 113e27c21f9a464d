/* disclose: what a förbund key may see of another förbund's people, decided once per
 * (förbund, year) for every month, and read by every query kind (CONTRACT.md, Privacy).
 * Pure: no SQL, no sockets. derive.c stores what it needs of each latest revision (the
 * smallest counts, disc_fewest_t); daemon/query/query_gate.c reads that back, works out each
 * year's masks here and stamps them on every row a query reads.
 *
 * The cells about people of one förbund and one kind of intervention (individual, volume,
 * structural) form a block: the headline counts (H: the figures, with the counts they
 * imply, such as unspecified = total - women - men or ended otherwise = ended - work or
 * studies) and the breakdowns (D: every line of `participants --by`). Every relation
 * between cells (sums over genders, interventions, categories; start + new - ended = end;
 * counts to date never fall) stays inside one block of one förbund, so a block shown or
 * withheld whole can only be narrowed by the block's own other months. The rules, month
 * by month through the year:
 *  1. primary: a month whose H has a count in 1..threshold-1 is withheld whole (H and D);
 *  2. the block is shown in one run of months: from the first month whose H is clean,
 *     while H stays clean; once a month is withheld after a shown one, every later month
 *     of the year is too (a withheld month between two shown ones would be pinned between
 *     their counts to date);
 *  3. D is shown with H only if D is clean in the run's first month and in every month
 *     since; a small line ends the run for both (D withheld beside a shown H in one month
 *     and shown in another would give away the difference). When D is not clean in the
 *     run's first month, D is withheld for the whole run and H is shown alone (then each
 *     withheld line is bounded only by H's totals, which are clean).
 * A month's answer depends on that förbund's months up to it and nothing later, so what
 * was shown for a month stays shown as the year goes on (unless a revision changes it).
 * The viewer's own förbund and analysts see everything; aggregates are taken over shown
 * values only (consolidate.c), so they are functions of what is shown. */
#ifndef SAMLA_DISCLOSE_H
#define SAMLA_DISCLOSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "breakdown.h"
#include "samla/figures.h"
#include "samla/metrics.h"

typedef enum { DISC_INDIVIDUAL, DISC_VOLUME, DISC_STRUCTURAL, DISC_KINDS } disc_kind_t;

/* One bit per kind: (1u << kind). */
#define DISC_BIT(kind) ((uint8_t)(1u << (kind)))
#define DISC_ALL ((uint8_t)((1u << DISC_KINDS) - 1u))

/* What the gate needs of one förbund's month. */
typedef struct {
    bool reported;
    uint8_t h_small; /* kinds whose headline counts have one in 1..threshold-1 */
    uint8_t d_small; /* kinds with a breakdown line (any gender or the total) that has */
} disc_month_t;

/* What a förbund key may not see of another förbund's month: kinds withheld. */
typedef struct {
    uint8_t h, d;
} disc_mask_t;

/* One stored participant row (CONTRACT.md's CSV): strings borrowed. */
typedef struct {
    const char *intervention, *kind, *measure, *category; /* category may be NULL */
    uint64_t n[3];                                         /* women, men, unspecified */
} disc_row_t;

/* The kind of a breakdown line: insats lines carry theirs, typ lines are keyed by it, the
 * category lines count individual interventions. -1: unknown (withheld with any kind). */
int disc_line_kind(bd_by_t by, const bd_line_t *l);

/* The kind a participant row's `typ` names (individ, volym, struktur), or -1. */
int disc_kind_parse(const char *typ);
/* The kind a metric tells about, or -1 for money and shares of money. */
int disc_kind_of_metric(const metric_t *m);

/* What the rules need of one förbund's month, whatever the threshold: the smallest
 * positive headline count and breakdown line count of each kind (0: none). Worked out
 * once, when a revision becomes the latest (derive.c), and stored beside its metrics. */
typedef struct {
    int64_t h[DISC_KINDS], d[DISC_KINDS];
} disc_fewest_t;

/* The headline part of `out` from the figures. */
void disc_fewest_figures(const figures_t *f, disc_fewest_t *out);
/* The breakdown part of `out` from the month's participant rows; -1 when memory is gone
 * (then every kind counts as small: the gate fails closed). */
int disc_fewest_lines(const disc_row_t *rows, size_t n, disc_fewest_t *out);
/* The same from a submission's participant rows (none: 0 for every kind). */
int disc_fewest_submission(const Samla__V1__Submission *sub, disc_fewest_t *out);
/* A reported month as the rules see it: the kinds whose smallest headline count and
 * breakdown line are in 1..threshold-1. */
disc_month_t disc_month_of(const disc_fewest_t *f, long long threshold);

/* The headline counts of one kind that a shown H publishes, directly or by difference
 * (see above); `out` has room for DISC_MAX_CELLS. Returns how many. */
#define DISC_MAX_CELLS 64
size_t disc_cells(const figures_t *f, disc_kind_t kind, int64_t *out);
/* Whether a count is one the rules protect: 1..threshold-1. */
bool disc_is_small(int64_t n, long long threshold);

/* The masks of months 1..12 of one förbund's year from what each month holds. */
void disc_year(const disc_month_t month[12], disc_mask_t mask[12]);

#endif
