/* fmt_html: the html format (format.h), and its page for `samla report`, which draws one
 * page from several replies: open and close it as the format does, write in between. */
#ifndef SAMLA_FMT_HTML_H
#define SAMLA_FMT_HTML_H

#include "format.h"

extern const format_t format_html;

/* The page being written, between format_html.open and .close. */
FILE *fmt_html_out(const fmt_w_t *w);
/* Drops a page begun with format_html.open: nothing is left at --output. */
void fmt_html_abandon(fmt_w_t *w);

#endif
