/* columns: a Compare's columns turned back into each förbund's MetricValues (columns.h).
 * The columns come from samlad over the network: every length and byte is checked before
 * it is used, and nothing is read past what the message holds. */
#include "samla/columns.h"
#include "samla/wire.h"

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

/* Whether target column t fits n förbund: a `which` and a verdict each, every `which`
 * naming one of its targets, a verdict of a known kind and only where there is a target,
 * and a projection per projected verdict. */
static bool s_targets_fit(const Samla__V1__TargetColumn *t, size_t n)
{
    if (t->n_which != n || t->verdict.len != n)
        return false;
    size_t projected = 0;
    for (size_t j = 0; j < n; j++) {
        uint8_t v = t->verdict.data[j];
        if (t->which[j] > t->n_targets || v > COLS_AT_RISK || (v && !t->which[j]))
            return false;
        projected += v >= COLS_ON_TRACK;
    }
    return projected == t->n_projection;
}

/* A distinct target packed once; each förbund's copy is unpacked from it. */
typedef struct {
    uint8_t *bytes;
    size_t len;
} s_blob_t;

/* The distinct targets of every column packed: blobs[i][d] for column i's target d (NULL
 * for a column without targets); NULL, or a hole, when memory is gone. */
static s_blob_t **s_pack_targets(const Samla__V1__Compare *c)
{
    s_blob_t **blobs = calloc(c->n_columns + 1, sizeof *blobs);
    for (size_t i = 0; blobs && i < c->n_columns; i++) {
        const Samla__V1__TargetColumn *t = c->columns[i]->targets;
        if (!t || !(blobs[i] = calloc(t->n_targets + 1, sizeof *blobs[i])))
            continue; /* a hole where a column has targets: s_target fails on it */
        for (size_t d = 0; d < t->n_targets; d++)
            blobs[i][d].bytes = wire_pack(&t->targets[d]->base, &blobs[i][d].len);
    }
    return blobs;
}

static void s_free_blobs(s_blob_t **blobs, const Samla__V1__Compare *c)
{
    for (size_t i = 0; blobs && i < c->n_columns; i++) {
        const Samla__V1__TargetColumn *t = c->columns[i]->targets;
        for (size_t d = 0; blobs[i] && t && d < t->n_targets; d++)
            free(blobs[i][d].bytes);
        free(blobs[i]);
    }
    free(blobs);
}

/* Förbund j's target of column i (its distinct target unpacked, with j's verdict), or NULL
 * when memory is gone; *next counts the column's projections used so far. */
static Samla__V1__Target *s_target(const Samla__V1__TargetColumn *t, size_t j,
                                   const s_blob_t *blob, size_t *next)
{
    Samla__V1__Target *o =
        blob && blob->bytes ? samla__v1__target__unpack(NULL, blob->len, blob->bytes) : NULL;
    if (!o)
        return NULL;
    o->has_met = o->has_projection = o->has_on_track = 0;
    switch (t->verdict.data[j]) {
    case COLS_MET:
    case COLS_NOT_MET:
        o->has_met = 1;
        o->met = t->verdict.data[j] == COLS_MET;
        break;
    case COLS_ON_TRACK:
    case COLS_AT_RISK:
        o->has_projection = o->has_on_track = 1;
        o->projection = t->projection[(*next)++];
        o->on_track = t->verdict.data[j] == COLS_ON_TRACK;
        break;
    default: break;
    }
    return o;
}

/* Gives every förbund its targets from the columns, in metric order before the ones it
 * already has (its interventions'). -1 when memory is gone. */
static int s_fill_targets(Samla__V1__Compare *c)
{
    s_blob_t **blobs = s_pack_targets(c);
    size_t *next = calloc(c->n_columns + 1, sizeof *next); /* each column's projections */
    int rc = blobs && next ? 0 : -1;
    for (size_t j = 0; !rc && j < c->n_forbund; j++) {
        Samla__V1__ForbundFigures *f = c->forbund[j];
        size_t n = 0;
        for (size_t i = 0; i < c->n_columns; i++)
            n += c->columns[i]->targets && c->columns[i]->targets->which[j];
        if (!n)
            continue;
        Samla__V1__Target **v = calloc(n + f->n_targets, sizeof *v);
        if (!v) {
            rc = -1;
            break;
        }
        size_t k = 0;
        for (size_t i = 0; !rc && i < c->n_columns; i++) {
            const Samla__V1__TargetColumn *t = c->columns[i]->targets;
            uint32_t d = t ? t->which[j] : 0;
            if (d && !(v[k++] = s_target(t, j, blobs[i] ? &blobs[i][d - 1] : NULL, &next[i])))
                rc = -1;
        }
        if (rc) { /* what was made so far goes with v */
            for (size_t q = 0; q < k; q++)
                if (v[q])
                    samla__v1__target__free_unpacked(v[q], NULL);
            free(v);
            break;
        }
        if (f->n_targets)
            memcpy(v + k, f->targets, f->n_targets * sizeof *v);
        free(f->targets); /* its elements moved into v, owned by the reply from here */
        f->targets = v;
        f->n_targets += k;
    }
    free(next);
    s_free_blobs(blobs, c);
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
            (previous && !s_fits(col->previous_year, c->n_forbund, ints)) ||
            (col->targets && !s_targets_fit(col->targets, c->n_forbund)))
            return -1;
    }
    for (size_t j = 0; j < c->n_forbund; j++)
        if (c->forbund[j]->n_metrics || c->forbund[j]->n_previous_year)
            return -1; /* values both ways: which would be meant? */
    if (s_fill(c, cat, ncat, false) || (previous && s_fill(c, cat, ncat, true)) ||
        s_fill_targets(c))
        return -1;
    for (size_t i = 0; i < c->n_columns; i++)
        protobuf_c_message_free_unpacked(&c->columns[i]->base, NULL);
    free(c->columns);
    c->columns = NULL;
    c->n_columns = 0;
    return 0;
}
