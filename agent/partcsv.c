#include "partcsv.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "samla/text.h"

static const char *const s_measures[] = {"aktuella_start", "nya", "avslutade", "aktuella_slut",
                                         "avslut", "alder", "forsorjning_start",
                                         "forsorjning_avslut"};
static const char *const s_exit[] = {"arbete", "arbete_subventionerat", "studier",
                                     "aktivt_arbetssokande", "fortsatt_rehab", "sjukdom",
                                     "flytt", "egen_begaran", "annat", NULL};
static const char *const s_age[] = {"16-29", "30-44", "45-64", NULL};
static const char *const s_support[] = {"sjukpenning", "aktivitetsersattning",
                                        "sjukersattning", "aktivitetsstod", "a_kassa",
                                        "forsorjningsstod", "etableringsersattning", "annan",
                                        "ingen", NULL};
static const char *const s_header[] = {"insats", "typ", "mått", "kategori",
                                       "kvinnor", "män", "ej_angivet"};

#define N_MEASURES (sizeof s_measures / sizeof s_measures[0])

typedef struct {
    const char *p;
    size_t len;
} s_span_t;

static bool s_eq(s_span_t s, const char *lit)
{
    return strlen(lit) == s.len && memcmp(s.p, lit, s.len) == 0;
}

static const char *s_lookup(s_span_t s, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n && list[i]; i++)
        if (s_eq(s, list[i]))
            return list[i];
    return NULL;
}

static size_t s_count(const char *const *list)
{
    size_t n = 0;
    while (list[n])
        n++;
    return n;
}

static int s_uint(s_span_t s, uint32_t *out)
{
    uint32_t v = 0;
    if (s.len == 0) {
        *out = 0; /* an empty cell is how spreadsheets write zero */
        return 0;
    }
    for (size_t i = 0; i < s.len; i++) {
        if (s.p[i] < '0' || s.p[i] > '9' || v > 100000000u)
            return -1;
        v = v * 10 + (uint32_t)(s.p[i] - '0');
    }
    *out = v;
    return 0;
}

/* Splits one line at ';' into at most `max` cells; returns the count (max+1 if more). */
static size_t s_split(const char *line, size_t len, s_span_t *cells, size_t max)
{
    size_t n = 0, start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i == len || line[i] == ';') {
            if (n == max)
                return max + 1;
            s_span_t c = {line + start, i - start};
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

static int s_row(const char *display, size_t line, s_span_t *c, part_row_t *r, diag_t *d)
{
    memset(r, 0, sizeof *r);
    r->line = line;
    if (c[0].len == 0)
        return diag_add(d, DIAG_ERROR, display, line, "insats is empty");
    if (s_eq(c[1], "individ"))
        r->kind = SAMLA__V1__INTERVENTION_KIND__KIND_INDIVIDUAL;
    else if (s_eq(c[1], "volym"))
        r->kind = SAMLA__V1__INTERVENTION_KIND__KIND_VOLUME;
    else if (s_eq(c[1], "struktur"))
        r->kind = SAMLA__V1__INTERVENTION_KIND__KIND_STRUCTURAL;
    else
        return diag_add(d, DIAG_ERROR, display, line,
                        "typ '%.*s' is not individ, volym or struktur", (int)c[1].len, c[1].p);
    r->measure = s_lookup(c[2], s_measures, N_MEASURES);
    if (!r->measure)
        return diag_add(d, DIAG_ERROR, display, line, "mått '%.*s' is not one of "
                        "aktuella_start, nya, avslutade, aktuella_slut, avslut, alder, "
                        "forsorjning_start, forsorjning_avslut", (int)c[2].len, c[2].p);
    const char *const *cats = NULL;
    if (strcmp(r->measure, "avslut") == 0)
        cats = s_exit;
    else if (strcmp(r->measure, "alder") == 0)
        cats = s_age;
    else if (strncmp(r->measure, "forsorjning", 11) == 0)
        cats = s_support;
    if (cats) {
        r->category = s_lookup(c[3], cats, s_count(cats));
        if (!r->category)
            return diag_add(d, DIAG_ERROR, display, line,
                            "kategori '%.*s' is not valid for mått %s", (int)c[3].len, c[3].p,
                            r->measure);
    } else if (c[3].len) {
        return diag_add(d, DIAG_ERROR, display, line, "mått %s takes no kategori (got '%.*s')",
                        r->measure, (int)c[3].len, c[3].p);
    } else {
        r->category = "";
    }
    uint32_t *dst[3] = {&r->women, &r->men, &r->unspecified};
    for (int k = 0; k < 3; k++)
        if (s_uint(c[4 + k], dst[k]))
            return diag_add(d, DIAG_ERROR, display, line,
                            "%s '%.*s' is not a whole number of people (0 or more)",
                            s_header[4 + k], (int)c[4 + k].len, c[4 + k].p);
    /* The cell is not NUL-terminated: copy exactly its bytes. */
    r->intervention = malloc(c[0].len + 1);
    if (!r->intervention)
        return diag_add(d, DIAG_ERROR, display, line, "out of memory");
    memcpy(r->intervention, c[0].p, c[0].len);
    r->intervention[c[0].len] = '\0';
    return 0;
}

/* Per intervention and gender: start + new - ended = end, and the exit reasons add up. */
static int s_check_flow(const part_table_t *t, const char *display, diag_t *d)
{
    static const char *gender[3] = {"kvinnor", "män", "ej_angivet"};
    int rc = 0;
    for (size_t i = 0; i < t->n; i++) {
        const part_row_t *first = &t->rows[i];
        bool seen_before = false;
        for (size_t k = 0; k < i && !seen_before; k++)
            seen_before = strcmp(t->rows[k].intervention, first->intervention) == 0;
        if (seen_before)
            continue;
        int64_t sum[4][3] = {{0}}, exits[3] = {0};
        bool has[4] = {false}, has_exits = false;
        size_t last_line = first->line;
        for (size_t k = i; k < t->n; k++) {
            const part_row_t *r = &t->rows[k];
            if (strcmp(r->intervention, first->intervention) != 0)
                continue;
            last_line = r->line;
            uint32_t v[3] = {r->women, r->men, r->unspecified};
            for (int m = 0; m < 4; m++)
                if (strcmp(r->measure, s_measures[m]) == 0) {
                    has[m] = true;
                    for (int g = 0; g < 3; g++)
                        sum[m][g] += v[g];
                }
            if (strcmp(r->measure, "avslut") == 0) {
                has_exits = true;
                for (int g = 0; g < 3; g++)
                    exits[g] += v[g];
            }
        }
        if (has[3]) { /* a stated end count is checked against the flow */
            for (int g = 0; g < 3; g++) {
                int64_t expect = sum[0][g] + sum[1][g] - sum[2][g];
                if (expect != sum[3][g])
                    rc = diag_add(d, DIAG_ERROR, display, last_line,
                                  "%s, %s: aktuella_start %lld + nya %lld - avslutade %lld = "
                                  "%lld, but aktuella_slut is %lld",
                                  first->intervention, gender[g], (long long)sum[0][g],
                                  (long long)sum[1][g], (long long)sum[2][g],
                                  (long long)expect, (long long)sum[3][g]);
            }
        }
        if (has_exits)
            for (int g = 0; g < 3; g++)
                if (exits[g] != sum[2][g])
                    rc = diag_add(d, DIAG_ERROR, display, last_line,
                                  "%s, %s: the avslut rows sum to %lld, but avslutade is %lld",
                                  first->intervention, gender[g], (long long)exits[g],
                                  (long long)sum[2][g]);
    }
    return rc;
}

int partcsv_parse(const char *buf, size_t len, const char *display, part_table_t *out,
                  diag_t *d)
{
    memset(out, 0, sizeof *out);
    size_t errors_before = diag_errors(d);
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
        buf += 3; /* Excel's byte-order mark */
        len -= 3;
    }
    size_t line = 0, i = 0, cap = 0;
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
        s_span_t c[8];
        size_t n = s_split(buf + start, end - start, c, 7);
        if (n != 7) {
            diag_add(d, DIAG_ERROR, display, line, "expected 7 ';'-separated columns, got %s",
                     n > 7 ? "more" : "fewer");
            if (!header)
                break;
            continue;
        }
        if (!header) {
            for (int k = 0; k < 7; k++)
                if (!s_eq(c[k], s_header[k]))
                    diag_add(d, DIAG_ERROR, display, line,
                             "header column %d is '%.*s', expected '%s'", k + 1, (int)c[k].len,
                             c[k].p, s_header[k]);
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
        if (s_row(display, line, c, &out->rows[out->n], d) == 0)
            out->n++;
    }
    if (!header)
        diag_add(d, DIAG_ERROR, display, 0, "empty file: expected the header row %s;%s;%s;...",
                 s_header[0], s_header[1], s_header[2]);
    for (size_t a = 0; a < out->n; a++)
        for (size_t b = 0; b < a; b++)
            if (strcmp(out->rows[a].intervention, out->rows[b].intervention) == 0 &&
                out->rows[a].measure == out->rows[b].measure &&
                out->rows[a].category == out->rows[b].category) {
                diag_add(d, DIAG_ERROR, display, out->rows[a].line,
                         "the same count as line %zu (%s, %s %s) appears twice",
                         out->rows[b].line, out->rows[a].intervention, out->rows[a].measure,
                         out->rows[a].category);
                break;
            }
    if (diag_errors(d) == errors_before)
        s_check_flow(out, display, d);
    return diag_errors(d) == errors_before ? 0 : -1;
}

int partcsv_read(const char *path, part_table_t *out, diag_t *d, int *missing)
{
    memset(out, 0, sizeof *out);
    *missing = 0;
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        *missing = errno == ENOENT;
        return diag_add(d, DIAG_ERROR, path, 0, "cannot open: %s", strerror(errno));
    }
    char *buf = malloc(PARTCSV_MAX_FILE + 1);
    if (!buf) {
        fclose(fp);
        return diag_add(d, DIAG_ERROR, path, 0, "out of memory");
    }
    size_t len = fread(buf, 1, PARTCSV_MAX_FILE + 1, fp);
    int bad = ferror(fp);
    fclose(fp);
    int rc;
    if (bad)
        rc = diag_add(d, DIAG_ERROR, path, 0, "read error");
    else if (len > PARTCSV_MAX_FILE)
        rc = diag_add(d, DIAG_ERROR, path, 0, "larger than %u bytes", PARTCSV_MAX_FILE);
    else
        rc = partcsv_parse(buf, len, path, out, d);
    free(buf);
    return rc;
}

void partcsv_free(part_table_t *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->rows[i].intervention);
    free(t->rows);
    memset(t, 0, sizeof *t);
}
