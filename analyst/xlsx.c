#include "xlsx.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "samla/metrics.h"
#include "samla/mshow.h"

struct xlsx_s {
    lxw_workbook *wb;
    lxw_format *head, *kr, *pct, *dec, *count, *wrap;
    char path[4096], tmp[4100];
    bool failed; /* a cell could not be written */
};

xlsx_t *xlsx_open(const char *path, samla_err_t *err)
{
    xlsx_t *x = calloc(1, sizeof *x);
    if (!x) {
        err_set(err, "out of memory");
        return NULL;
    }
    if ((size_t)snprintf(x->path, sizeof x->path, "%s", path) >= sizeof x->path) {
        err_set(err, "%s: the path is too long", path);
        free(x);
        return NULL;
    }
    snprintf(x->tmp, sizeof x->tmp, "%s.tmp", path);
    if (!(x->wb = workbook_new(x->tmp))) {
        err_set(err, "cannot write %s: %s", x->tmp, strerror(errno));
        free(x);
        return NULL;
    }
    x->head = workbook_add_format(x->wb);
    format_set_bold(x->head);
    format_set_text_wrap(x->head);
    format_set_bg_color(x->head, 0xE8EEF4);
    x->kr = workbook_add_format(x->wb);
    format_set_num_format(x->kr, "#,##0");
    x->pct = workbook_add_format(x->wb);
    format_set_num_format(x->pct, "0.0");
    x->dec = workbook_add_format(x->wb);
    format_set_num_format(x->dec, "#,##0");
    x->count = workbook_add_format(x->wb);
    format_set_num_format(x->count, "#,##0");
    x->wrap = workbook_add_format(x->wb);
    format_set_text_wrap(x->wrap);
    return x;
}

void xlsx_metric_head(const char *metric, char *buf, size_t size)
{
    mshow_head(metric, buf, size);
}

/* The sheet that says what every metric is. */
static void s_metric_sheet(xlsx_t *x)
{
    static const char *const heads[] = {"Nyckeltal", "Enhet", "Namn (CSV, JSON, SQL)",
                                        "Definition"};
    lxw_worksheet *ws = xlsx_sheet(x, "Nyckeltal", heads, 4);
    if (!ws)
        return;
    worksheet_set_column(ws, 0, 0, 44, NULL);
    worksheet_set_column(ws, 1, 1, 16, NULL);
    worksheet_set_column(ws, 2, 2, 32, NULL);
    worksheet_set_column(ws, 3, 3, 70, x->wrap);
    for (size_t k = 0; k < metric_count; k++) {
        const mshow_t *m = mshow_find(metric_table[k].name); /* as samlad said, if it did */
        xlsx_text(x, ws, (uint32_t)k + 1, 0, m->label);
        xlsx_text(x, ws, (uint32_t)k + 1, 1, mshow_unit_sv(m->unit));
        xlsx_text(x, ws, (uint32_t)k + 1, 2, m->name);
        /* the definition in Swedish, as this build states it; samlad's English one for a
         * metric this build does not know */
        const metric_t *local = metric_find(m->name);
        xlsx_text(x, ws, (uint32_t)k + 1, 3, local && *local->doc_sv ? local->doc_sv : m->doc);
    }
    xlsx_text(x, ws, (uint32_t)metric_count + 2, 0,
              "Tom cell: uppgiften saknas eller går inte att räkna ut (se cellens "
              "kommentar); dolt = färre personer än integritetsgränsen.");
}

int xlsx_close(xlsx_t *x, samla_err_t *err)
{
    s_metric_sheet(x);
    lxw_error e = workbook_close(x->wb);
    int rc = 0;
    if (e != LXW_NO_ERROR || x->failed)
        rc = err_set(err, "cannot write %s: %s", x->tmp,
                     e != LXW_NO_ERROR ? lxw_strerror(e) : "a cell was refused");
    else if (rename(x->tmp, x->path) != 0)
        rc = err_set(err, "cannot write %s: %s", x->path, strerror(errno));
    if (rc)
        unlink(x->tmp);
    free(x);
    return rc;
}

lxw_worksheet *xlsx_sheet(xlsx_t *x, const char *name, const char *const *heads, size_t n)
{
    /* Excel: at most 31 characters, none of []:*?/\ ; cut at a UTF-8 boundary */
    char safe[32];
    size_t len = 0;
    for (const char *p = name; *p && len < 31; p++)
        safe[len++] = strchr("[]:*?/\\", *p) ? '-' : *p;
    while (len > 0 && ((unsigned char)safe[len - 1] & 0xC0) == 0x80)
        len--;
    if (len > 0 && ((unsigned char)safe[len - 1] & 0xC0) == 0xC0)
        len--;
    safe[len] = '\0';
    lxw_worksheet *ws = workbook_add_worksheet(x->wb, safe);
    if (!ws) {
        x->failed = true;
        return NULL;
    }
    for (size_t i = 0; i < n; i++)
        if (worksheet_write_string(ws, 0, (lxw_col_t)i, heads[i], x->head) != LXW_NO_ERROR)
            x->failed = true;
    worksheet_freeze_panes(ws, 1, 0);
    worksheet_set_row(ws, 0, 30, NULL);
    return ws;
}

void xlsx_text(xlsx_t *x, lxw_worksheet *ws, uint32_t row, uint16_t col, const char *s)
{
    if (ws && worksheet_write_string(ws, row, col, s ? s : "", NULL) != LXW_NO_ERROR)
        x->failed = true;
}

void xlsx_int(xlsx_t *x, lxw_worksheet *ws, uint32_t row, uint16_t col, int64_t v)
{
    if (ws && worksheet_write_number(ws, row, col, (double)v, x->count) != LXW_NO_ERROR)
        x->failed = true;
}

void xlsx_kr(xlsx_t *x, lxw_worksheet *ws, uint32_t row, uint16_t col, int64_t ore)
{
    /* öre to kronor: exact in a double below 2^53 öre, which every stored amount is */
    if (ws && worksheet_write_number(ws, row, col, (double)ore / 100.0, x->kr) != LXW_NO_ERROR)
        x->failed = true;
}

void xlsx_percent(xlsx_t *x, lxw_worksheet *ws, uint32_t row, uint16_t col, double v)
{
    if (ws && worksheet_write_number(ws, row, col, v, x->pct) != LXW_NO_ERROR)
        x->failed = true;
}

void xlsx_empty(xlsx_t *x, lxw_worksheet *ws, uint32_t row, uint16_t col, const char *why)
{
    if (!ws)
        return;
    if (worksheet_write_blank(ws, row, col, NULL) != LXW_NO_ERROR ||
        worksheet_write_comment(ws, row, col, why) != LXW_NO_ERROR)
        x->failed = true;
}

void xlsx_value(xlsx_t *x, lxw_worksheet *ws, uint32_t row, uint16_t col,
                const Samla__V1__MetricValue *v)
{
    if (!v || !ws)
        return;
    if (v->has_suppressed && v->suppressed) {
        xlsx_empty(x, ws, row, col, "dolt: färre personer än integritetsgränsen");
        return;
    }
    if (v->has_ore) {
        xlsx_kr(x, ws, row, col, v->ore);
    } else if (v->has_count) {
        xlsx_int(x, ws, row, col, v->count);
    } else if (v->has_value) {
        const mshow_t *m = mshow_find(v->name);
        lxw_format *f = m && m->decimals > 0 ? x->pct : x->dec;
        if (worksheet_write_number(ws, row, col, v->value, f) != LXW_NO_ERROR)
            x->failed = true;
    } else {
        xlsx_empty(x, ws, row, col, "saknas: ingen rapport, eller går inte att räkna ut");
    }
}
