/* fmt_csv: CSV in its two dialects (csvw.h): `csv` for programs, `csv-sv` for Swedish
 * Excel. The writers are the same; the dialect is the writer's state. */
#include <stdlib.h>

#include "format.h"
#include "samla/i18n.h"
#include "render.h"

static int s_open(fmt_w_t *w, bool sv, samla_err_t *err)
{
    csvw_t *c = malloc(sizeof *c);
    if (!c) {
        err_set(err, "out of memory");
        return -1;
    }
    csvw_start(c, w->o->out, sv);
    w->state = c;
    return 0;
}

static int s_open_csv(fmt_w_t *w, samla_err_t *err)
{
    return s_open(w, false, err);
}

static int s_open_sv(fmt_w_t *w, samla_err_t *err)
{
    return s_open(w, true, err);
}

static int s_close(fmt_w_t *w, samla_err_t *err)
{
    free(w->state);
    w->state = NULL;
    if (fflush(w->o->out) != 0) {
        err_set(err, "cannot write the CSV to standard output");
        return -1;
    }
    return 0;
}

static void s_compare(fmt_w_t *w, const Samla__V1__Compare *r)
{
    if (w->o->long_form)
        render_long_csv((Samla__V1__Compare *const *)&r, 1, w->state);
    else
        render_compare_csv(r, w->o->ranked, w->state);
}

static void s_export(fmt_w_t *w, const Samla__V1__Export *r)
{
    if (w->o->long_form)
        render_long_csv(r->months, r->n_months, w->state);
    else
        render_export_csv(r, w->state);
}

static void s_status(fmt_w_t *w, const Samla__V1__Status *r)
{
    render_status_csv(r, w->state);
}

static void s_trend(fmt_w_t *w, const Samla__V1__Trend *r)
{
    render_trend_csv(r, w->state);
}

static void s_areas(fmt_w_t *w, const Samla__V1__Areas *r)
{
    render_areas_csv(r, w->state);
}

static void s_parts(fmt_w_t *w, const Samla__V1__Participants *r)
{
    render_parts_csv(r, w->state);
}

static void s_overview(fmt_w_t *w, const Samla__V1__Overview *r)
{
    render_overview_csv(r, w->state);
}

static void s_financing(fmt_w_t *w, const Samla__V1__Financing *r)
{
    render_financing_csv(r, w->state);
}

static void s_statements(fmt_w_t *w, const Samla__V1__Statements *r)
{
    render_statements_csv(r, w->state);
}

#define S_WRITERS                                                                          \
    .compare = s_compare, .status = s_status, .trend = s_trend, .export = s_export,        \
    .areas = s_areas, .participants = s_parts, .overview = s_overview,                    \
    .statements = s_statements, .financing = s_financing, .close = s_close

const format_t format_csv = {
    .name = "csv",
    .help = N_("for programs: commas, decimal point, every digit, English identifiers"),
    .open = s_open_csv,
    S_WRITERS,
};

const format_t format_csv_sv = {
    .name = "csv-sv",
    .help = N_("for Swedish Excel: semicolons, decimal comma, UTF-8 with BOM, whole kronor, "
            "Swedish headings"),
    .open = s_open_sv,
    S_WRITERS,
};
