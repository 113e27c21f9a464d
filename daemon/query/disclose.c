#include "disclose.h"

#include <stdlib.h>
#include <string.h>

int disc_kind_parse(const char *typ)
{
    /* the kinds in the wire's order: individual, volume, structural (1, 2, 3) */
    for (int k = 0; typ && k < DISC_KINDS; k++)
        if (strcmp(typ, figures_kind_name((Samla__V1__InterventionKind)(k + 1))) == 0)
            return k;
    return -1;
}

int disc_kind_of_metric(const metric_t *m)
{
    switch (m->people) {
    case PEOPLE_INDIVIDUAL: return DISC_INDIVIDUAL;
    case PEOPLE_VOLUME: return DISC_VOLUME;
    case PEOPLE_STRUCTURAL: return DISC_STRUCTURAL;
    default: return -1;
    }
}

bool disc_is_small(int64_t n, long long threshold)
{
    return threshold > 0 && n > 0 && n < threshold;
}

/* A total with its women and men, and the unspecified rest they imply. */
static size_t s_split(int64_t *out, int64_t all, int64_t women, int64_t men)
{
    out[0] = all;
    out[1] = women;
    out[2] = men;
    out[3] = all - women - men;
    return 4;
}

/* The individual interventions' counts: every figure, and every difference of two that
 * a reader could take (start by gender from participants less new; those who ended
 * otherwise than to work or studies; outside 16-29; with some support at exit). */
static size_t s_individual(const figures_t *f, int64_t *o)
{
    size_t n = 0;
    int64_t start_w = f->p_women - f->p_new_women, start_m = f->p_men - f->p_new_men;
    n += s_split(o + n, f->p_start + f->p_new, f->p_women, f->p_men);
    n += s_split(o + n, f->p_start, start_w, start_m);
    n += s_split(o + n, f->p_new, f->p_new_women, f->p_new_men);
    n += s_split(o + n, f->p_ended, f->p_ended_women, f->p_ended_men);
    n += s_split(o + n, f->p_end, f->p_end_women, f->p_end_men);
    n += s_split(o + n, f->p_work_or_studies, f->p_wos_women, f->p_wos_men);
    n += s_split(o + n, f->p_ended - f->p_work_or_studies, f->p_ended_women - f->p_wos_women,
                 f->p_ended_men - f->p_wos_men);
    n += s_split(o + n, f->p_aged, f->p_aged_women, f->p_aged_men);
    n += s_split(o + n, f->p_young, f->p_young_women, f->p_young_men);
    n += s_split(o + n, f->p_aged - f->p_young, f->p_aged_women - f->p_young_women,
                 f->p_aged_men - f->p_young_men);
    n += s_split(o + n, f->p_exit_support, f->p_exit_support_women, f->p_exit_support_men);
    n += s_split(o + n, f->p_no_support, f->p_no_support_women, f->p_no_support_men);
    n += s_split(o + n, f->p_exit_support - f->p_no_support,
                 f->p_exit_support_women - f->p_no_support_women,
                 f->p_exit_support_men - f->p_no_support_men);
    return n;
}

size_t disc_cells(const figures_t *f, disc_kind_t kind, int64_t *out)
{
    switch (kind) {
    case DISC_INDIVIDUAL: return s_individual(f, out);
    case DISC_VOLUME: return s_split(out, f->v_participants, f->v_women, f->v_men);
    case DISC_STRUCTURAL: return s_split(out, f->s_participants, f->s_women, f->s_men);
    default: return 0;
    }
}

/* Keeps the smallest positive count. */
static void s_fewest(int64_t *fewest, int64_t n)
{
    if (n > 0 && (*fewest == 0 || n < *fewest))
        *fewest = n;
}

void disc_fewest_figures(const figures_t *f, disc_fewest_t *out)
{
    int64_t cells[DISC_MAX_CELLS];
    for (int k = 0; k < DISC_KINDS; k++) {
        size_t n = disc_cells(f, (disc_kind_t)k, cells);
        out->h[k] = 0;
        for (size_t i = 0; i < n; i++)
            s_fewest(&out->h[k], cells[i]);
    }
}

disc_month_t disc_month_of(const disc_fewest_t *f, long long threshold)
{
    disc_month_t m = {.reported = true};
    for (int k = 0; k < DISC_KINDS; k++) {
        if (disc_is_small(f->h[k], threshold))
            m.h_small |= DISC_BIT(k);
        if (disc_is_small(f->d[k], threshold))
            m.d_small |= DISC_BIT(k);
    }
    return m;
}

int disc_line_kind(bd_by_t by, const bd_line_t *l)
{
    switch (by) {
    case BD_INSATS: return disc_kind_parse(l->kind);
    case BD_TYP: return disc_kind_parse(l->key);
    default: return DISC_INDIVIDUAL;
    }
}

/* Memory gone: every kind counts as small (at any threshold above 1), so the gate fails
 * closed. Returns -1. */
static int s_fail_closed(disc_fewest_t *out)
{
    for (int k = 0; k < DISC_KINDS; k++)
        out->d[k] = 1;
    return -1;
}

int disc_fewest_lines(const disc_row_t *rows, size_t n, disc_fewest_t *out)
{
    int rc = 0;
    memset(out->d, 0, sizeof out->d);
    for (int by = 0; by < BD_N; by++) {
        bd_t bd;
        bd_init(&bd, (bd_by_t)by);
        for (size_t i = 0; i < n; i++)
            bd_add(&bd, 0, rows[i].intervention, rows[i].kind, rows[i].measure,
                   rows[i].category, rows[i].n);
        rc |= bd.failed ? -1 : 0;
        bd_sort(&bd);
        for (size_t j = 0; j < bd.n; j++) {
            const bd_line_t *l = &bd.v[j];
            int kind = disc_line_kind((bd_by_t)by, l);
            int64_t fewest = 0;
            s_fewest(&fewest, (int64_t)bd_total(l));
            for (int g = 0; g < 3; g++)
                s_fewest(&fewest, (int64_t)l->n[g]);
            for (int k = 0; k < DISC_KINDS; k++)
                if (kind < 0 || kind == k)
                    s_fewest(&out->d[k], fewest);
        }
        bd_free(&bd);
    }
    return rc ? s_fail_closed(out) : 0;
}

int disc_fewest_submission(const Samla__V1__Submission *sub, disc_fewest_t *out)
{
    size_t n = sub ? sub->n_participants : 0;
    disc_row_t *rows = calloc(n + 1, sizeof *rows);
    if (!rows)
        return s_fail_closed(out);
    for (size_t i = 0; i < n; i++) {
        const Samla__V1__ParticipantRow *r = sub->participants[i];
        rows[i] = (disc_row_t){r->intervention, figures_kind_name(r->kind), r->measure,
                               r->category, {r->women, r->men, r->unspecified}};
    }
    int rc = disc_fewest_lines(rows, n, out);
    free(rows);
    return rc;
}

/* One kind through the year: rules 1-3 of disclose.h. */
static void s_kind(const disc_month_t month[12], int k, disc_mask_t mask[12])
{
    uint8_t bit = DISC_BIT(k);
    enum { BEFORE, SHOWN, AFTER } run = BEFORE;
    bool d_shown = false;
    for (int m = 0; m < 12; m++) {
        bool hs = month[m].h_small & bit, ds = month[m].d_small & bit;
        if (!month[m].reported) {
            /* nothing to show or narrow: the month neither starts nor ends the run */
            mask[m].h |= bit;
            mask[m].d |= bit;
            continue;
        }
        if (run == BEFORE && !hs) {
            run = SHOWN;
            d_shown = !ds;
        } else if (run == SHOWN && (hs || (d_shown && ds))) {
            run = AFTER;
        }
        if (run != SHOWN)
            mask[m].h |= bit;
        if (run != SHOWN || !d_shown)
            mask[m].d |= bit;
    }
}

void disc_year(const disc_month_t month[12], disc_mask_t mask[12])
{
    memset(mask, 0, 12 * sizeof *mask);
    for (int k = 0; k < DISC_KINDS; k++)
        s_kind(month, k, mask);
}
