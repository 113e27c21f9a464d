#include "partcsv.h"

#include "csvenc.h"

#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "samla/cursor.h"
#include "samla/partflow.h"
#include "samla/slurp.h"
#include "samla/subcheck.h"
#include "samla/text.h"

static const char *const s_header[] = {"insats", "typ", "mått", "kategori",
                                       "kvinnor", "män", "ej_angivet", "kostnadsområde"};
/* Seven columns, or eight with the optional kostnadsområde (CONTRACT.md). */
#define S_COLS 7
#define S_COLS_AREA 8
/* A cost area is an SIE object code: short. */
#define S_MAX_AREA 100

static int s_uint(cur_span_t s, uint32_t *out)
{
    uint64_t v = 0; /* an empty cell is how spreadsheets write zero */
    if (s.len && cur_span_uint(s, 999999999u, &v))
        return -1;
    *out = (uint32_t)v;
    return 0;
}

/* Splits one line at ';' into at most `max` cells; returns the count (max+1 if more). */
static size_t s_split(const char *line, size_t len, cur_span_t *cells, size_t max)
{
    size_t n = 0, start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i == len || line[i] == ';') {
            if (n == max)
                return max + 1;
            cur_span_t c = {line + start, i - start};
            while (c.len && (c.p[0] == ' ' || c.p[0] == '"')) {
                c.p++;
                c.len--;
            }
            while (c.len && (c.p[c.len - 1] == ' ' || c.p[c.len - 1] == '"'))
                c.len--;
            cells[n++] = c;
            start = i + 1;
        }
    }
    return n;
}

static int s_row(const char *display, size_t line, cur_span_t *c, size_t ncols,
                 part_row_t *r, diag_t *d)
{
    memset(r, 0, sizeof *r);
    r->line = line;
    if (c[0].len == 0)
        return diag_add(d, DIAG_ERROR, display, line, "insats is empty");
    for (size_t k = 0; k < 4; k++) { /* shown to others later: text, never an escape */
        char cell[SUBCHECK_MAX_STRING + 1];
        size_t len = c[k].len < SUBCHECK_MAX_STRING ? c[k].len : SUBCHECK_MAX_STRING;
        memcpy(cell, c[k].p, len);
        cell[len] = '\0';
        if (!text_is_safe(cell))
            return diag_add(d, DIAG_ERROR, display, line, "column %zu holds a control "
                            "character or a bidirectional override (U+202E and the like); "
                            "retype the text in the spreadsheet", k + 1);
    }
    if (cur_span_eq(c[1], "individ"))
        r->kind = SAMLA__V1__INTERVENTION_KIND__KIND_INDIVIDUAL;
    else if (cur_span_eq(c[1], "volym"))
        r->kind = SAMLA__V1__INTERVENTION_KIND__KIND_VOLUME;
    else if (cur_span_eq(c[1], "struktur"))
        r->kind = SAMLA__V1__INTERVENTION_KIND__KIND_STRUCTURAL;
    else
        return diag_add(d, DIAG_ERROR, display, line,
                        "typ '%.*s' is not individ, volym or struktur", (int)c[1].len, c[1].p);
    r->measure = partflow_measure(c[2].p, c[2].len);
    if (!r->measure)
        return diag_add(d, DIAG_ERROR, display, line, "mått '%.*s' is not one of "
                        "aktuella_start, nya, avslutade, aktuella_slut, avslut, alder, "
                        "forsorjning_start, forsorjning_avslut", (int)c[2].len, c[2].p);
    r->category = partflow_category(r->measure, c[3].p, c[3].len);
    if (!r->category && partflow_has_categories(r->measure))
        return diag_add(d, DIAG_ERROR, display, line, "kategori '%.*s' is not valid for mått %s",
                        (int)c[3].len, c[3].p, r->measure);
    if (!r->category)
        return diag_add(d, DIAG_ERROR, display, line, "mått %s takes no kategori (got '%.*s')",
                        r->measure, (int)c[3].len, c[3].p);
    uint32_t *dst[3] = {&r->women, &r->men, &r->unspecified};
    for (int k = 0; k < 3; k++)
        if (s_uint(c[4 + k], dst[k]))
            return diag_add(d, DIAG_ERROR, display, line,
                            "%s '%.*s' is not a whole number of people (0 or more)",
                            s_header[4 + k], (int)c[4 + k].len, c[4 + k].p);
    if (ncols == S_COLS_AREA && c[7].len) {
        char cell[S_MAX_AREA + 1];
        if (c[7].len > S_MAX_AREA)
            return diag_add(d, DIAG_ERROR, display, line, "kostnadsområde is longer than %d "
                            "characters; it is the SIE object code of the cost area",
                            S_MAX_AREA);
        memcpy(cell, c[7].p, c[7].len);
        cell[c[7].len] = '\0';
        if (!text_is_safe(cell))
            return diag_add(d, DIAG_ERROR, display, line, "column 8 holds a control character "
                            "or a bidirectional override; retype the text in the spreadsheet");
        if (!(r->cost_area = strdup(cell)))
            return diag_add(d, DIAG_ERROR, display, line, "out of memory");
    }
    /* The cell is not NUL-terminated: copy exactly its bytes. */
    r->intervention = malloc(c[0].len + 1);
    if (!r->intervention) {
        free(r->cost_area);
        r->cost_area = NULL;
        return diag_add(d, DIAG_ERROR, display, line, "out of memory");
    }
    memcpy(r->intervention, c[0].p, c[0].len);
    r->intervention[c[0].len] = '\0';
    return 0;
}

/* An intervention has one cost area: every row that names one names the same. */
static void s_check_areas(const part_table_t *t, const char *display, diag_t *d)
{
    for (size_t i = 0; i < t->n; i++) {
        const part_row_t *r = &t->rows[i];
        for (size_t j = 0; r->cost_area && j < i; j++) {
            const part_row_t *o = &t->rows[j];
            if (o->cost_area && strcmp(o->intervention, r->intervention) == 0 &&
                strcmp(o->cost_area, r->cost_area) != 0) {
                diag_add(d, DIAG_ERROR, display, r->line, "kostnadsområde %s of insats %s "
                         "differs from %s on line %zu: an intervention has one cost area",
                         r->cost_area, r->intervention, o->cost_area, o->line);
                return;
            }
        }
    }
}

/* Duplicates, the flow per intervention and gender and the exit reasons: the rules samlad
 * applies too (partflow), with this file's line numbers. */
static void s_check_flow(const part_table_t *t, const char *display, diag_t *d)
{
    partflow_row_t *rows = calloc(t->n ? t->n : 1, sizeof *rows);
    if (!rows) {
        diag_add(d, DIAG_ERROR, display, 0, "out of memory");
        return;
    }
    for (size_t i = 0; i < t->n; i++) {
        const part_row_t *r = &t->rows[i];
        rows[i] = (partflow_row_t){r->intervention, r->measure, r->category,
                                   {r->women, r->men, r->unspecified}, r->line};
    }
    partflow_check(rows, t->n, display, d);
    free(rows);
}

static int s_parse_utf8(const char *buf, size_t len, const char *display, part_table_t *out,
                        diag_t *d);

int partcsv_parse(const char *buf, size_t len, const char *display, part_table_t *out,
                  diag_t *d)
{
    memset(out, 0, sizeof *out);
    const char *text;
    size_t tlen;
    char *owned;
    /* CSVENC_BROKEN: s_parse_utf8 names the lines that are not UTF-8 */
    csvenc_decode(buf, len, display, d, &text, &tlen, &owned);
    int rc = s_parse_utf8(text, tlen, display, out, d);
    free(owned); /* the rows hold copies of their text */
    return rc;
}

static int s_parse_utf8(const char *buf, size_t len, const char *display, part_table_t *out,
                        diag_t *d)
{
    size_t errors_before = diag_errors(d);
    size_t line = 0, i = 0, cap = 0, ncols = S_COLS;
    bool header = false;
    while (i < len) {
        size_t start = i;
        while (i < len && buf[i] != '\n')
            i++;
        size_t end = i < len ? i++ : i;
        line++;
        if (end > start && buf[end - 1] == '\r')
            end--;
        if (end == start)
            continue;
        if (!text_utf8_valid(buf + start, end - start)) {
            diag_add(d, DIAG_ERROR, display, line, "not valid UTF-8 (save the file as UTF-8)");
            continue;
        }
        cur_span_t c[S_COLS_AREA + 1];
        size_t n = s_split(buf + start, end - start, c, S_COLS_AREA);
        if (!header && (n == S_COLS || n == S_COLS_AREA))
            ncols = n;
        if (n != ncols) {
            if (n > ncols)
                diag_add(d, DIAG_ERROR, display, line, "expected %zu ';'-separated columns, "
                         "got more", ncols);
            else
                diag_add(d, DIAG_ERROR, display, line, "expected %zu ';'-separated columns, "
                         "got fewer", ncols);
            if (!header)
                break;
            continue;
        }
        if (!header) {
            for (size_t k = 0; k < ncols; k++)
                if (!cur_span_eq(c[k], s_header[k]))
                    diag_add(d, DIAG_ERROR, display, line,
                             "header column %zu is '%.*s', expected '%s'", k + 1,
                             (int)c[k].len, c[k].p, s_header[k]);
            header = true;
            continue;
        }
        if (out->n == PARTCSV_MAX_ROWS) {
            diag_add(d, DIAG_ERROR, display, line, "more than %u rows", PARTCSV_MAX_ROWS);
            break;
        }
        if (out->n == cap) {
            cap = cap ? cap * 2 : 32;
            part_row_t *nr = realloc(out->rows, cap * sizeof *nr);
            if (!nr) {
                diag_add(d, DIAG_ERROR, display, line, "out of memory");
                break;
            }
            out->rows = nr;
        }
        if (s_row(display, line, c, ncols, &out->rows[out->n], d) == 0)
            out->n++;
    }
    if (!header)
        diag_add(d, DIAG_ERROR, display, 0, "empty file: expected the header row %s;%s;%s;...",
                 s_header[0], s_header[1], s_header[2]);
    if (diag_errors(d) == errors_before)
        s_check_flow(out, display, d);
    if (diag_errors(d) == errors_before)
        s_check_areas(out, display, d);
    return diag_errors(d) == errors_before ? 0 : -1;
}

int partcsv_read(const char *path, part_table_t *out, diag_t *d, int *missing)
{
    memset(out, 0, sizeof *out);
    char *buf;
    size_t len;
    if (slurp_input(path, PARTCSV_MAX_FILE, &buf, &len, d, missing))
        return -1;
    int parsed = partcsv_parse(buf, len, path, out, d);
    free(buf);
    return parsed;
}

void partcsv_free(part_table_t *t)
{
    for (size_t i = 0; i < t->n; i++) {
        free(t->rows[i].intervention);
        free(t->rows[i].cost_area);
    }
    free(t->rows);
    memset(t, 0, sizeof *t);
}
