/* query_export: every metric of every förbund and month of a year (a compare per month),
 * with each förbund's years side by side when asked. */
#include "query_int.h"

int qry_export(qry_ctx_t *x, const Samla__V1__Query *q, Samla__V1__Reply *reply)
{
    if (!q->has_year || q->year < 1900 || q->year > 2999)
        return qry_usage(x, "export needs a year YYYY");
    if (q->has_years && (q->years < 1 || q->years > QUERY_OVERVIEW_MAX_YEARS))
        return qry_usage(x, "--years is 1 to 20");
    Samla__V1__Export *e = arena_alloc(x->a, 1, sizeof *e);
    Samla__V1__Compare **months = arena_alloc(x->a, 12, sizeof *months);
    if (!e || !months)
        return qry_unavailable(x);
    samla__v1__export__init(e);
    for (int m = 1; m <= 12; m++)
        if (!(months[m - 1] = qry_build_compare(x, (period_t){(int)q->year, m}, -1, 0)))
            return qry_unavailable(x);
    e->year = q->year;
    e->region = (char *)x->label;
    e->n_months = 12;
    e->months = months;
    if (q->has_years) {
        if (!(e->overviews = arena_alloc(x->a, x->n + 1, sizeof *e->overviews)))
            return qry_unavailable(x);
        for (size_t j = 0; j < x->n; j++)
            if (!(e->overviews[e->n_overviews++] = qry_build_overview(
                      x, registry_forbund(x->reg, x->members[j]), (int)q->year, (int)q->years)))
                return qry_unavailable(x);
    }
    reply->export = e;
    return 0;
}
