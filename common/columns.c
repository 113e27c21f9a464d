/* columns: a Compare's columns turned back into each förbund's MetricValues (columns.h).
 * The columns come from samlad over the network: every length and byte is checked before
 * it is used, and nothing is read past what the message holds. */
#include "samla/columns.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Whether a unit's values travel in ints (money, counts) or in reals (ratios); -1 for a
 * unit this version does not know. */
static int s_int_unit(const Samla__V1__MetricInfo *m)
{
    if (!m || !m->has_unit)
        return -1;
    switch (m->unit) {
    case SAMLA__V1__UNIT__KRONOR:
    case SAMLA__V1__UNIT__PEOPLE: return 1;
    case SAMLA__V1__UNIT__PERCENT:
    case SAMLA__V1__UNIT__KRONOR_PER_PERSON: return 0;
    default: return -1;
    }
}

/* Whether column v fits n förbund: a state byte each, of a known kind, and exactly as
 * many values as states of a value, all in the unit's array. */
static bool s_fits(const Samla__V1__ValueColumn *v, size_t n, int ints)
{
    if (!v || v->state.len != n || (ints ? v->n_reals : v->n_ints))
        return false;
    size_t values = 0;
    for (size_t j = 0; j < n; j++) {
        if (v->state.data[j] > COLS_SUPPRESSED)
            return false;
        values += v->state.data[j] == COLS_VALUE;
    }
    return values == (ints ? v->n_ints : v->n_reals);
}

/* The MetricValue of förbund j in column v (whose values up to j are `*next` in), or NULL
 * when memory is gone. */
static Samla__V1__MetricValue *s_value(const Samla__V1__ValueColumn *v, size_t j,
                                       const Samla__V1__MetricInfo *m, size_t *next)
{
    Samla__V1__MetricValue *mv = malloc(sizeof *mv);
    if (!mv)
        return NULL;
    samla__v1__metric_value__init(mv);
    if (!(mv->name = strdup(m->name))) {
        free(mv);
        return NULL;
    }
    switch (v->state.data[j]) {
    case COLS_SUPPRESSED: mv->has_suppressed = mv->suppressed = 1; break;
    case COLS_VALUE:
        if (m->unit == SAMLA__V1__UNIT__KRONOR)
            mv->has_ore = 1, mv->ore = v->ints[(*next)++];
        else if (m->unit == SAMLA__V1__UNIT__PEOPLE)
            mv->has_count = 1, mv->count = v->ints[(*next)++];
        else
            mv->has_value = 1, mv->value = v->reals[(*next)++];
        break;
    default: break;
    }
    return mv;
}

/* Gives every förbund its ncat values (metrics, or previous_year when `previous`) from the
 * columns, checked by s_fits. -1 when memory is gone. */
static int s_fill(Samla__V1__Compare *c, Samla__V1__MetricInfo *const *cat, size_t ncat,
                  bool previous)
{
    size_t *next = calloc(ncat + 1, sizeof *next); /* each column's next value */
    int rc = next ? 0 : -1;
    for (size_t j = 0; !rc && j < c->n_forbund; j++) {
        Samla__V1__ForbundFigures *f = c->forbund[j];
        Samla__V1__MetricValue **v = calloc(ncat + 1, sizeof *v);
        if (!v) {
            rc = -1;
            break;
        }
        /* owned by the reply from here: protobuf-c frees each value and the array */
        if (previous) {
            f->previous_year = v;
            f->n_previous_year = 0;
        } else {
            f->metrics = v;
            f->n_metrics = 0;
        }
        for (size_t i = 0; i < ncat; i++) {
            const Samla__V1__MetricColumn *col = c->columns[i];
            const Samla__V1__ValueColumn *vc = previous ? col->previous_year : col->values;
            if (!(v[i] = s_value(vc, j, cat[i], &next[i]))) {
                rc = -1;
                break;
            }
            if (previous)
                f->n_previous_year = i + 1;
            else
                f->n_metrics = i + 1;
        }
    }
    free(next);
    return rc;
}

int cols_expand(Samla__V1__Compare *c, Samla__V1__MetricInfo *const *cat, size_t ncat)
{
    if (!c || !c->n_columns)
        return 0;
    if (c->n_columns != ncat)
        return -1;
    bool previous = c->columns[0]->previous_year != NULL;
    for (size_t i = 0; i < ncat; i++) {
        const Samla__V1__MetricColumn *col = c->columns[i];
        int ints = s_int_unit(cat[i]);
        if (ints < 0 || !cat[i]->name || !s_fits(col->values, c->n_forbund, ints) ||
            (col->previous_year != NULL) != previous ||
            (previous && !s_fits(col->previous_year, c->n_forbund, ints)))
            return -1;
    }
    for (size_t j = 0; j < c->n_forbund; j++)
        if (c->forbund[j]->n_metrics || c->forbund[j]->n_previous_year)
            return -1; /* values both ways: which would be meant? */
    if (s_fill(c, cat, ncat, false) || (previous && s_fill(c, cat, ncat, true)))
        return -1;
    for (size_t i = 0; i < c->n_columns; i++)
        protobuf_c_message_free_unpacked(&c->columns[i]->base, NULL);
    free(c->columns);
    c->columns = NULL;
    c->n_columns = 0;
    return 0;
}
