/* fmt_json: JSON documents in CONTRACT.md's shapes (render_json.c, through jansson). */
#include "format.h"
#include "samla/i18n.h"
#include "render.h"

static void s_compare(fmt_w_t *w, const Samla__V1__Compare *r)
{
    if (w->o->long_form)
        render_long_json((Samla__V1__Compare *const *)&r, 1, w->o->out);
    else
        render_compare_json(r, w->o->ranked, w->o->out);
}

static void s_export(fmt_w_t *w, const Samla__V1__Export *r)
{
    if (w->o->long_form)
        render_long_json(r->months, r->n_months, w->o->out);
    else
        render_export_json(r, w->o->out);
}

static void s_status(fmt_w_t *w, const Samla__V1__Status *r)
{
    render_status_json(r, w->o->out);
}

static void s_trend(fmt_w_t *w, const Samla__V1__Trend *r)
{
    render_trend_json(r, w->o->out);
}

static void s_areas(fmt_w_t *w, const Samla__V1__Areas *r)
{
    render_areas_json(r, w->o->out);
}

static void s_parts(fmt_w_t *w, const Samla__V1__Participants *r)
{
    render_parts_json(r, w->o->out);
}

static void s_overview(fmt_w_t *w, const Samla__V1__Overview *r)
{
    render_overview_json(r, w->o->out);
}

static void s_financing(fmt_w_t *w, const Samla__V1__Financing *r)
{
    render_financing_json(r, w->o->out);
}

static void s_statements(fmt_w_t *w, const Samla__V1__Statements *r)
{
    render_statements_json(r, w->o->out);
}

const format_t format_json = {
    .name = "json",
    .help = N_("one JSON document, figures as numbers, \"suppressed\" where withheld"),
    .compare = s_compare,
    .status = s_status,
    .trend = s_trend,
    .export = s_export,
    .areas = s_areas,
    .participants = s_parts,
    .overview = s_overview,
    .statements = s_statements, .financing = s_financing,
};
