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
/* What one förbund's monthly follow-up is made of: samlad's replies for the month. Every
 * part but the compare may be NULL (its section is left out). */
typedef struct {
    const Samla__V1__Compare *compare;       /* the group, for the medians and targets */
    const Samla__V1__Areas *areas;           /* the driftsredovisning */
    const Samla__V1__Statements *statements; /* ekonomiskt utfall and the statements */
    const Samla__V1__Financing *financing;   /* who paid */
    const Samla__V1__Participants *exits;    /* --by avslut */
    const Samla__V1__Participants *flow;     /* --by insats: each intervention's flow */
    /* --by avslut --insats NAME for each individual intervention of flow, in its order */
    Samla__V1__Participants *const *insats_exits;
    size_t n_insats;
} report_forbund_t;

/* One förbund's monthly follow-up for its board (samla report --orgnr --period): result
 * and position beside last year and the group's median, its statements, who paid it, the
 * driftsredovisning, participants by gender and exit reason, a section per intervention
 * (flow by gender, exit reasons, work or studies, and its cost where the participant file
 * names its cost area) and its targets. -1 when the compare does not hold orgnr. */
int report_forbund_html(const report_forbund_t *r, const char *orgnr, FILE *out);
/* The month the report compares: the latest with any report; NULL when none. */
const Samla__V1__Compare *report_month(const Samla__V1__Export *e);

#endif
