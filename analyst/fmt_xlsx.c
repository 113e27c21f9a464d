/* fmt_xlsx: an Excel workbook at --output (xlsx.h: written beside it and renamed, so a
 * reader never opens half of one). */
#include <stdio.h>

#include "format.h"
#include "samla/i18n.h"
#include "xlsx.h"

static int s_open(fmt_w_t *w, samla_err_t *err)
{
    return (w->state = xlsx_open(w->o->output, err)) ? 0 : -1;
}

static int s_close(fmt_w_t *w, samla_err_t *err)
{
    int rc = xlsx_close(w->state, err);
    w->state = NULL;
    if (rc == 0)
        printf(_("wrote %s\n"), w->o->output);
    return rc;
}

/* xlsx_<kind>(x, r) for every kind, under this format's names. */
#define S_SHEETS(KIND, name, Type, metrics)                                                \
    static void s_##name(fmt_w_t *w, const Samla__V1__##Type *r)                           \
    {                                                                                      \
        xlsx_##name(w->state, r);                                                          \
    }
QUERY_KINDS(S_SHEETS)
#undef S_SHEETS

const format_t format_xlsx = {
    .name = "xlsx",
    .help = N_("an Excel workbook, with --output FILE.xlsx: one sheet per view and one "
            "explaining the metrics"),
    .file = true,
    .open = s_open,
    .compare = s_compare,
    .status = s_status,
    .trend = s_trend,
    .export = s_export,
    .areas = s_areas,
    .participants = s_participants,
    .overview = s_overview,
    .statements = s_statements,
    .financing = s_financing,
    .close = s_close,
};
