#include "forecast.h"

#include "csvenc.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "samla/money.h"
#include "samla/slurp.h"
#include "samla/text.h"

static const char s_header[] = "kostnadsområde;prognos_helår";

/* s[0..*len) without spaces, tabs and no-break spaces (U+00A0, U+202F) around it. */
static const char *s_trim(const char *s, size_t *len)
{
    for (;;) {
        if (*len && (s[0] == ' ' || s[0] == '\t')) {
            s++, (*len)--;
        } else if (*len >= 2 && (unsigned char)s[0] == 0xc2 && (unsigned char)s[1] == 0xa0) {
            s += 2, *len -= 2;
        } else if (*len && (s[*len - 1] == ' ' || s[*len - 1] == '\t')) {
            (*len)--;
        } else if (*len >= 2 && (unsigned char)s[*len - 2] == 0xc2 &&
                   (unsigned char)s[*len - 1] == 0xa0) {
            *len -= 2;
        } else {
            return s;
        }
    }
}

/* "1 250 000,50" -> 125000050: the Swedish thousands separators (space, no-break space,
 * narrow no-break space) dropped, then money_parse. */
static int s_amount(const char *s, size_t len, int64_t *ore)
{
    char buf[64];
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ')
            continue;
        if (c == 0xc2 && i + 1 < len && (unsigned char)s[i + 1] == 0xa0) {
            i++;
            continue;
        }
        if (c == 0xe2 && i + 2 < len && (unsigned char)s[i + 1] == 0x80 &&
            (unsigned char)s[i + 2] == 0xaf) {
            i += 2;
            continue;
        }
        if (n + 1 >= sizeof buf)
            return -1;
        buf[n++] = (char)c;
    }
    return n ? money_parse(buf, n, ore) : -1;
}

static int s_row(const char *line, size_t len, size_t no, const char *display,
                 forecast_t *out, diag_t *d)
{
    const char *semi = memchr(line, ';', len);
    if (!semi || memchr(semi + 1, ';', len - (size_t)(semi - line) - 1))
        return diag_add(d, DIAG_ERROR, display, no, "expected two cells, "
                        "kostnadsområde;prognos_helår");
    size_t clen = (size_t)(semi - line), alen = len - clen - 1;
    const char *code = s_trim(line, &clen), *amount = s_trim(semi + 1, &alen);
    if (!clen || clen > FORECAST_MAX_CODE)
        return diag_add(d, DIAG_ERROR, display, no, "the cost area's code is empty or longer "
                        "than %u bytes", FORECAST_MAX_CODE);
    int64_t ore;
    if (s_amount(amount, alen, &ore))
        return diag_add(d, DIAG_ERROR, display, no, "'%.*s' is not an amount in kronor "
                        "(such as 1 250 000 or 1250000,50)", (int)(alen > 40 ? 40 : alen),
                        amount);
    for (size_t i = 0; i < out->n; i++)
        if (strlen(out->rows[i].code) == clen && memcmp(out->rows[i].code, code, clen) == 0)
            return diag_add(d, DIAG_ERROR, display, no, "cost area %.*s again (first on "
                            "line %zu)", (int)clen, code, out->rows[i].line);
    if (out->n >= FORECAST_MAX_ROWS)
        return diag_add(d, DIAG_ERROR, display, no, "more than %u rows", FORECAST_MAX_ROWS);
    forecast_row_t *r = &out->rows[out->n++];
    memcpy(r->code, code, clen);
    r->code[clen] = '\0';
    r->ore = ore;
    r->line = no;
    return 0;
}

static int s_parse(const char *buf, size_t len, const char *display, forecast_t *out,
                   diag_t *d);

int forecast_parse(const char *buf, size_t len, const char *display, forecast_t *out,
                   diag_t *d)
{
    memset(out, 0, sizeof *out);
    const char *text;
    size_t tlen;
    char *owned;
    if (csvenc_decode(buf, len, display, d, &text, &tlen, &owned) == CSVENC_BROKEN ||
        memchr(text, '\0', tlen)) {
        free(owned);
        return diag_add(d, DIAG_ERROR, display, 0, "not UTF-8 text (save it as \"CSV UTF-8\")");
    }
    int rc = s_parse(text, tlen, display, out, d);
    free(owned); /* the rows hold copies of their codes */
    return rc;
}

/* The text, UTF-8: the header, then a row per cost area. */
static int s_parse(const char *buf, size_t len, const char *display, forecast_t *out,
                   diag_t *d)
{
    size_t errors = diag_errors(d);
    size_t lines = 1;
    for (size_t i = 0; i < len; i++)
        lines += buf[i] == '\n';
    if (!(out->rows = calloc(lines < FORECAST_MAX_ROWS ? lines : FORECAST_MAX_ROWS,
                             sizeof *out->rows)))
        return diag_add(d, DIAG_ERROR, display, 0, "out of memory");
    bool header = false;
    size_t no = 0;
    for (const char *p = buf, *end = buf + len; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t l = (size_t)((nl ? nl : end) - p);
        const char *line = p;
        p += l + (nl ? 1 : 0);
        no++;
        if (l && line[l - 1] == '\r')
            l--;
        size_t tl = l;
        const char *t = s_trim(line, &tl);
        if (!tl)
            continue;
        if (!header) {
            if (tl != sizeof s_header - 1 || memcmp(t, s_header, tl) != 0) {
                diag_add(d, DIAG_ERROR, display, no, "the header must be %s", s_header);
                break;
            }
            header = true;
            continue;
        }
        s_row(t, tl, no, display, out, d);
    }
    if (!header && diag_errors(d) == errors)
        diag_add(d, DIAG_ERROR, display, 0, "empty: the header %s and a row per cost area "
                 "are expected", s_header);
    return diag_errors(d) == errors ? 0 : -1;
}

int forecast_read(const char *path, forecast_t *out, diag_t *d, int *missing)
{
    char *buf;
    size_t len;
    memset(out, 0, sizeof *out);
    if (slurp_input(path, FORECAST_MAX_FILE, &buf, &len, d, missing))
        return -1;
    int r = forecast_parse(buf, len, path, out, d);
    free(buf);
    return r;
}

void forecast_free(forecast_t *f)
{
    if (!f)
        return;
    free(f->rows);
    f->rows = NULL;
    f->n = 0;
}
