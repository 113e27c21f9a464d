/* fmt_table: the terminal tables (render*.c), 100 columns, the default where a command
 * has one. Every name passes through text.h before it reaches the terminal (s_name_reply
 * in main.c neutralises the whole reply once, before any format sees it). */
#include "format.h"
#include "samla/i18n.h"
#include "render.h"

/* compare: the board's table, förbund as rows; ranked by one metric or with --lang en,
 * the earlier layout with metrics as rows. */
static void s_compare(fmt_w_t *w, const Samla__V1__Compare *r)
{
    if (w->o->ranked || w->o->english)
        render_compare_table(r, w->o->ranked, w->o->colour, w->o->out);
    else
        render_compare_board(r, w->o->colour, w->o->out);
}

static void s_status(fmt_w_t *w, const Samla__V1__Status *r)
{
    render_status_table(r, w->o->colour, w->o->out);
}

static void s_trend(fmt_w_t *w, const Samla__V1__Trend *r)
{
    render_trend_table(r, w->o->colour, w->o->out);
}

static void s_areas(fmt_w_t *w, const Samla__V1__Areas *r)
{
    render_areas_table(r, w->o->out);
}

static void s_parts(fmt_w_t *w, const Samla__V1__Participants *r)
{
    render_parts_table(r, w->o->out);
}

static void s_overview(fmt_w_t *w, const Samla__V1__Overview *r)
{
    render_overview_table(r, w->o->out);
}

static void s_financing(fmt_w_t *w, const Samla__V1__Financing *r)
{
    render_financing_table(r, w->o->out);
}

static void s_statements(fmt_w_t *w, const Samla__V1__Statements *r)
{
    render_statements_table(r, w->o->out);
}

/* No table of a whole year's export: it is for programs and workbooks. */
const format_t format_table = {
    .name = "table",
    .help = N_("the default: a table of 100 columns for the terminal"),
    .compare = s_compare,
    .status = s_status,
    .trend = s_trend,
    .areas = s_areas,
    .participants = s_parts,
    .overview = s_overview,
    .statements = s_statements, .financing = s_financing,
};
