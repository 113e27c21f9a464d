/* query_audit: `samlad --audit-privacy PERIOD`. Reads the period's year as the gate does
 * (query_gate.c), works out what a förbund key is shown of every other förbund, and has
 * audit.c prove by linear programming that no withheld count can be narrowed. */
#include "query_int.h"

#include <stdio.h>
#include <stdlib.h>

#include "audit.h"

/* Most narrowed cells printed per förbund. */
#define S_MAX_LEAKS 16

static long s_forbund(const qry_year_t *y, size_t i, int last, long long threshold,
                      const char *orgnr, FILE *out, size_t *checked)
{
    disc_mask_t mask[12];
    audit_month_t month[12];
    disc_year(y->month[i], mask);
    for (int m = 0; m < 12; m++)
        month[m] = (audit_month_t){.reported = y->month[i][m].reported,
                                   .rows = y->rows[i * 12 + (size_t)m],
                                   .n = y->nrows[i * 12 + (size_t)m],
                                   .mask = mask[m]};
    audit_leak_t leaks[S_MAX_LEAKS];
    audit_stats_t st;
    char why[128];
    long n = audit_year(month, last, threshold, leaks, S_MAX_LEAKS, &st, why, sizeof why);
    if (n < 0) {
        fprintf(out, "%s: could not be audited: %s\n", orgnr, why);
        return -1;
    }
    *checked += st.checked;
    for (long j = 0; j < n && j < S_MAX_LEAKS; j++)
        fprintf(out, "%s: month %d, %s: %lld withheld, yet it can only be %.0f to %.0f\n",
                orgnr, leaks[j].month, leaks[j].cell, (long long)leaks[j].value, leaks[j].lo,
                leaks[j].hi);
    return n;
}

long query_audit_privacy(store_t *store, const registry_t *reg, long long threshold,
                         const char *period, FILE *out)
{
    period_t p;
    if (period_parse(period, &p)) {
        fprintf(out, "--audit-privacy needs a period YYYY-MM, not '%.32s'\n", period);
        return -1;
    }
    if (threshold <= 0) {
        fprintf(out, "privacy_threshold is 0: förbund keys see everything; nothing to audit\n");
        return 0;
    }
    qry_year_t y;
    int64_t version;
    samla_err_t err;
    /* one snapshot, as a query reads it, while samlad may go on storing */
    int rc = store_snapshot_begin(store, &version, &err) ? -1
             : qry_year_load(store, reg, threshold, p.year, true, &y);
    store_snapshot_end(store);
    if (rc) {
        fprintf(out, "the store could not be read\n");
        return -1;
    }
    long leaks = 0;
    size_t checked = 0;
    for (size_t i = 0; i < y.nf && leaks >= 0; i++) {
        long n = s_forbund(&y, i, p.month, threshold, registry_forbund(reg, i)->orgnr, out,
                           &checked);
        leaks = n < 0 ? -1 : leaks + n;
    }
    if (leaks >= 0)
        fprintf(out, "%s: %zu förbund, %zu withheld counts under %lld audited, %ld could be "
                     "narrowed to fewer than %lld values\n",
                period, y.nf, checked, threshold, leaks, threshold);
    qry_year_free(&y);
    return leaks;
}
