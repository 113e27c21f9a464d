#include "consolidate.h"

#include <stdbool.h>
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

/* Gathers metric k over rows: what the viewer may not see counted in out->withheld, the
 * region figure in out->region, how many values went in in out->st.count; each value (in
 * its display unit) and its row in vals and who when given. Money and counts are summed
 * exactly, in öre and people, and turned into the display unit once. */
static size_t s_gather(size_t k, const cons_row_t *const *rows, const char *const *owners,
                       size_t n, const cons_viewer_t *viewer, cons_agg_t *out, double *vals,
                       size_t *who)
{
    const metric_t *m = &metric_table[k];
    memset(out, 0, sizeof *out);
    int64_t total = 0;
    bool exact = true;      /* false past int64: thousands of förbund at the bounds */
    double num = 0.0, den = 0.0, approx = 0.0;
    size_t used = 0;
    for (size_t i = 0; i < n; i++) {
        if (!rows[i])
            continue;
        if (cons_hidden(viewer, k, owners[i], rows[i])) {
            out->withheld++; /* null or not: the count must not tell which */
            continue;
        }
        metric_value_t v = rows[i]->v[k];
        if (!v.present)
            continue;
        double shown = metric_display(m, v);
        if (vals) {
            who[used] = i;
            vals[used] = shown;
        }
        used++;
        exact = exact && !__builtin_add_overflow(total, v.i, &total);
        approx += shown;
        num += v.num;
        den += v.den;
    }
    out->st.count = used;
    if (used && metric_summable(m)) {
        out->has_region = true;
        out->region =
            exact ? metric_display(m, (metric_value_t){.present = true, .i = total}) : approx;
    } else if (used && den != 0.0) {
        out->has_region = true;
        out->region = num / den;
    }
    return used;
}

void cons_region(size_t k, const cons_row_t *const *rows, const char *const *owners,
                 size_t n, const cons_viewer_t *viewer, cons_agg_t *out)
{
    s_gather(k, rows, owners, n, viewer, out, NULL, NULL);
}

int cons_aggregate(size_t k, const cons_row_t *const *rows, const char *const *owners,
                   size_t n, const cons_viewer_t *viewer, cons_agg_t *out, unsigned *ranks)
{
    double *vals = malloc((n + 1) * sizeof *vals);
    size_t *who = malloc((n + 1) * sizeof *who);
    unsigned *r = ranks ? malloc((n + 1) * sizeof *r) : NULL;
    int rc = -1;
    memset(out, 0, sizeof *out);
    if (!vals || !who || (ranks && !r))
        goto done;
    for (size_t i = 0; ranks && i < n; i++)
        ranks[i] = 0;
    size_t used = s_gather(k, rows, owners, n, viewer, out, vals, who);
    bool has_region = out->has_region;
    double region = out->region;
    if (stats_compute(vals, used, &out->st))
        goto done;
    if (used && metric_summable(&metric_table[k])) { /* the exact sum, as the region's */
        out->st.sum = region;
        out->st.mean = region / (double)used;
    }
    out->has_region = has_region;
    out->region = region;
    if (ranks) {
        if (stats_rank(vals, used, r))
            goto done;
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
