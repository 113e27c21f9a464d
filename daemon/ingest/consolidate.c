#include "consolidate.h"

#include <stdlib.h>
#include <string.h>

/* The smallest positive count of people in individual interventions behind one month's
 * figures, kept with the metric values (the disclosure gate, disclose.c, decides what a
 * förbund key may see from the figures themselves). */
static int64_t s_fewest(const figures_t *f)
{
    const int64_t n[] = {f->p_start, f->p_new, f->p_ended, f->p_end, f->p_women, f->p_men,
                         f->p_work_or_studies, f->p_start + f->p_new,
#define S_SPLIT(name, kind, label) f->name,
                         FIGURES_PEOPLE_SPLIT(S_SPLIT)
#undef S_SPLIT
    };
    int64_t fewest = 0;
    for (size_t i = 0; i < sizeof n / sizeof n[0]; i++)
        if (n[i] > 0 && (fewest == 0 || n[i] < fewest))
            fewest = n[i];
    return fewest;
}

void cons_row(const figures_t *f, unsigned revision, int month, int64_t population,
              cons_row_t *out)
{
    memset(out, 0, sizeof *out);
    out->revision = revision;
    if (!revision)
        return;
    out->fewest = s_fewest(f);
    disc_fewest_figures(f, &out->disc);
    metric_ctx_t ctx = {month, population};
    for (size_t k = 0; k < metric_count; k++)
        out->v[k] = metric_table[k].fn(f, &ctx);
}

bool cons_hidden(const cons_viewer_t *viewer, size_t k, const char *owner,
                 const cons_row_t *row)
{
    /* a value that is null is withheld all the same: "no value" would say that a count
     * behind it is zero */
    if (!viewer || !viewer->orgnr || viewer->threshold <= 0 || !row->revision ||
        strcmp(viewer->orgnr, owner) == 0)
        return false;
    int kind = disc_kind_of_metric(&metric_table[k]);
    return kind >= 0 && (!row->gated || (row->hide & DISC_BIT(kind)));
}

int cons_aggregate(size_t k, const cons_row_t *const *rows, const char *const *owners,
                   size_t n, const cons_viewer_t *viewer, cons_agg_t *out, unsigned *ranks)
{
    const metric_t *m = &metric_table[k];
    memset(out, 0, sizeof *out);
    double *vals = calloc(n + 1, sizeof *vals);
    size_t *who = malloc((n + 1) * sizeof *who);
    unsigned *r = malloc((n + 1) * sizeof *r);
    int rc = -1;
    if (!vals || !who || !r)
        goto done;
    double num = 0.0, den = 0.0;
    size_t used = 0;
    for (size_t i = 0; i < n; i++) {
        if (ranks)
            ranks[i] = 0;
        if (!rows[i])
            continue;
        if (cons_hidden(viewer, k, owners[i], rows[i])) {
            out->withheld++; /* null or not: the count must not tell which */
            continue;
        }
        if (!rows[i]->v[k].present)
            continue;
        who[used] = i;
        vals[used++] = metric_display(m, rows[i]->v[k]);
        num += rows[i]->v[k].num;
        den += rows[i]->v[k].den;
    }
    if (stats_compute(vals, used, &out->st))
        goto done;
    if (used && metric_summable(m)) {
        out->has_region = true;
        out->region = out->st.sum;
    } else if (used && den != 0.0) {
        out->has_region = true;
        out->region = num / den;
    }
    if (ranks) {
        stats_rank(vals, used, r);
        for (size_t j = 0; j < used; j++)
            ranks[who[j]] = r[j];
    }
    rc = 0;
done:
    free(vals);
    free(who);
    free(r);
    return rc;
}
