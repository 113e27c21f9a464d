/* report: the year as one self-contained HTML page (inline SVG charts, no network needed
 * to view it), in Swedish number format, from an Export and a Status reply. */
#ifndef SAMLA_REPORT_HTML_H
#define SAMLA_REPORT_HTML_H

#include <stdio.h>

#include "samla.pb-c.h"

/* goals (may be NULL): the compare of the report's month (report_month), with last year's
 * values and every förbund's targets and the group's: the comparison table, the table of
 * targets and the charts' target bands are drawn from it. */
/* st may be NULL (no reporting status section). */
void report_html(const Samla__V1__Export *e, const Samla__V1__Status *st,
                 const Samla__V1__Compare *goals, FILE *out);
/* One month's comparison as a page (`compare --format html`): the tables, the targets and
 * the charts with their bands, all from the compare. */
void report_compare_html(const Samla__V1__Compare *c, FILE *out);
/* One förbund's monthly follow-up for its board (samla report --orgnr --period): result
 * and position beside last year and the group's median, its statements (st, may be
 * NULL: ekonomiskt utfall, income statement, balance sheet, cash flow), who paid it (fin,
 * may be NULL), the
 * driftsredovisning (areas, may be NULL), participants by gender and exit reason (parts,
 * may be NULL) and its targets, from the compare of the month. -1 when the compare does
 * not hold orgnr. */
int report_forbund_html(const Samla__V1__Compare *c, const char *orgnr,
                        const Samla__V1__Areas *a, const Samla__V1__Participants *p,
                        const Samla__V1__Statements *st, const Samla__V1__Financing *fin,
                        FILE *out);
/* The month the report compares: the latest with any report; NULL when none. */
const Samla__V1__Compare *report_month(const Samla__V1__Export *e);

#endif
