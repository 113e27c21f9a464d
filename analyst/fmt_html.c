/* fmt_html: a self-contained HTML page at --output (report.c draws it: inline SVG, no
 * network needed to view it). Written to FILE.tmp and renamed when complete, so a reader
 * never opens half of one; `samla report` writes its pages through the same file. */
#include "fmt_html.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report.h"
#include "samla/i18n.h"
#include "samla/text.h"

typedef struct {
    FILE *fp; /* first: fmt_html_out */
    char tmp[4200];
} s_page_t;

FILE *fmt_html_out(const fmt_w_t *w)
{
    return ((const s_page_t *)w->state)->fp;
}

static int s_open(fmt_w_t *w, samla_err_t *err)
{
    s_page_t *p = calloc(1, sizeof *p);
    if (!p)
        return err_set(err, "out of memory");
    if (text_fmt(p->tmp, sizeof p->tmp, "%s.tmp", w->o->output)) {
        free(p);
        return err_set(err, "%s: the path is too long", w->o->output);
    }
    if (!(p->fp = fopen(p->tmp, "w"))) {
        int e = errno;
        free(p);
        return err_set(err, "cannot write %s: %s", w->o->output, strerror(e));
    }
    w->state = p;
    return 0;
}

static int s_close(fmt_w_t *w, samla_err_t *err)
{
    s_page_t *p = w->state;
    w->state = NULL;
    int rc = 0;
    if (fclose(p->fp) != 0 || rename(p->tmp, w->o->output) != 0) {
        rc = err_set(err, "cannot write %s: %s", w->o->output, strerror(errno));
        unlink(p->tmp);
    } else {
        printf(_("wrote %s\n"), w->o->output);
    }
    free(p);
    return rc;
}

void fmt_html_abandon(fmt_w_t *w)
{
    s_page_t *p = w->state;
    w->state = NULL;
    if (!p)
        return;
    fclose(p->fp);
    unlink(p->tmp);
    free(p);
}

static void s_compare(fmt_w_t *w, const Samla__V1__Compare *r)
{
    report_compare_html(r, fmt_html_out(w));
}

/* The year without the reporting status and last year's figures: `samla report` asks
 * for those too and draws the whole report. */
static void s_export(fmt_w_t *w, const Samla__V1__Export *r)
{
    report_html(r, NULL, NULL, fmt_html_out(w));
}

const format_t format_html = {
    .name = "html",
    .help = N_("a page for the browser and the printer, with --output FILE.html: tables, "
               "targets and charts"),
    .file = true,
    .open = s_open,
    .compare = s_compare,
    .export = s_export,
    .close = s_close,
};
