/* report: the year as one self-contained HTML page (inline SVG charts, no network needed
 * to view it), in Swedish number format, from an Export and a Status reply. */
#ifndef SAMLA_REPORT_HTML_H
#define SAMLA_REPORT_HTML_H

#include <stdio.h>

#include "samla.pb-c.h"

void report_html(const Samla__V1__Export *e, const Samla__V1__Status *st, FILE *out);

#endif
