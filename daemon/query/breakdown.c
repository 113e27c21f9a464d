#include "breakdown.h"

#include <stdlib.h>
#include <string.h>

#include "samla/partflow.h"

static const char *const s_by_names[BD_N] = {
    [BD_INSATS] = "insats",           [BD_TYP] = "typ",   [BD_AVSLUT] = "avslut",
    [BD_ALDER] = "alder",             [BD_SUPPORT_START] = "forsorjning_start",
    [BD_SUPPORT_EXIT] = "forsorjning_avslut"};

static const char *const s_kinds[] = {"individ", "volym", "struktur"};

int bd_by_parse(const char *s)
{
    for (int i = 0; s && i < BD_N; i++)
        if (strcmp(s, s_by_names[i]) == 0)
            return i;
    return -1;
}

const char *bd_by_name(bd_by_t by)
{
    return by < BD_N ? s_by_names[by] : "";
}

/* The index of s in a list, or -1. */
static int s_find(const char *const *list, size_t n, const char *s)
{
    for (size_t i = 0; s && i < n; i++)
        if (strcmp(list[i], s) == 0)
            return (int)i;
    return -1;
}

static int s_category_order(const char *measure, const char *category)
{
    const char *const *c = partflow_categories(measure);
    for (int i = 0; category && c[i]; i++)
        if (strcmp(c[i], category) == 0)
            return i;
    return -1;
}

uint64_t bd_total(const bd_line_t *l)
{
    return l->n[0] + l->n[1] + l->n[2];
}

void bd_init(bd_t *b, bd_by_t by)
{
    memset(b, 0, sizeof *b);
    b->by = by;
}

void bd_lines_free(bd_line_t *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i].key);
    free(v);
}

void bd_free(bd_t *b)
{
    bd_lines_free(b->v, b->n);
    memset(b, 0, sizeof *b);
}

/* A new line for one row; equal lines are merged by bd_sort. */
static bd_line_t *s_line(bd_t *b, size_t forbund, const char *key, const char *measure)
{
    if (b->n == b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 64;
        bd_line_t *v = realloc(b->v, cap * sizeof *v);
        if (!v)
            return NULL;
        b->v = v;
        b->cap = cap;
    }
    bd_line_t *l = &b->v[b->n];
    memset(l, 0, sizeof *l);
    if (!(l->key = strdup(key)))
        return NULL;
    l->forbund = forbund;
    l->measure = measure;
    b->n++;
    return l;
}

void bd_add(bd_t *b, size_t forbund, const char *intervention, const char *kind,
            const char *measure, const char *category, const uint64_t n[3])
{
    if (b->failed || !intervention || !kind || !measure)
        return;
    const char *key = NULL, *line_measure = NULL, *line_kind = NULL;
    int order = 0, morder = 0;
    bool individual = strcmp(kind, "individ") == 0;
    int flow = s_find(partflow_flow, PARTFLOW_N_FLOW, measure), k = s_find(s_kinds, 3, kind);
    switch (b->by) {
    case BD_INSATS:
        if (flow < 0 || k < 0)
            return;
        key = intervention;
        line_measure = partflow_flow[flow];
        line_kind = s_kinds[k];
        morder = flow;
        break;
    case BD_TYP:
        if (flow > 1 || flow < 0 || k < 0) /* participants: aktuella_start + nya */
            return;
        key = s_kinds[k];
        order = k;
        break;
    default: {
        static const char *const measures[BD_N] = {[BD_AVSLUT] = "avslut", [BD_ALDER] = "alder",
                                                   [BD_SUPPORT_START] = "forsorjning_start",
                                                   [BD_SUPPORT_EXIT] = "forsorjning_avslut"};
        if (!individual || strcmp(measure, measures[b->by]) != 0 ||
            (order = s_category_order(measure, category)) < 0)
            return;
        key = category;
    }
    }
    bd_line_t *l = s_line(b, forbund, key, line_measure);
    if (!l) {
        b->failed = true;
        return;
    }
    l->kind = line_kind;
    l->order = order;
    l->morder = morder;
    for (int g = 0; g < 3; g++)
        l->n[g] += n[g]; /* each at most PARTFLOW_MAX_COUNT x 100 000 rows: no overflow */
}

static int s_cmp_key(const bd_line_t *x, const bd_line_t *y)
{
    if (x->order != y->order)
        return x->order < y->order ? -1 : 1;
    int c = strcmp(x->key, y->key);
    if (c)
        return c;
    return x->morder < y->morder ? -1 : x->morder > y->morder;
}

static int s_cmp(const void *a, const void *b)
{
    const bd_line_t *x = a, *y = b;
    if (x->forbund != y->forbund)
        return x->forbund < y->forbund ? -1 : 1;
    return s_cmp_key(x, y);
}

static int s_cmp_region_ptr(const void *a, const void *b)
{
    return s_cmp_key(*(const bd_line_t *const *)a, *(const bd_line_t *const *)b);
}

void bd_sort(bd_t *b)
{
    if (!b->n)
        return;
    /* sorted, then the rows of one line (same förbund, key and measure) summed into its
     * first: O(n log n) however many rows a förbund sends */
    qsort(b->v, b->n, sizeof *b->v, s_cmp);
    size_t n = 1;
    for (size_t i = 1; i < b->n; i++) {
        bd_line_t *last = &b->v[n - 1], *l = &b->v[i];
        if (l->forbund == last->forbund && s_cmp_key(l, last) == 0) {
            for (int g = 0; g < 3; g++)
                last->n[g] += l->n[g];
            free(l->key);
        } else {
            b->v[n++] = *l;
        }
    }
    b->n = n;
}

long bd_region(const bd_t *b, bd_line_t **out, unsigned *withheld)
{
    *out = NULL;
    *withheld = 0;
    /* the visible lines in region order (sorting pointers keeps keys owned by b), then
     * equal neighbours merged: O(n log n) for a group's thousands of lines */
    const bd_line_t **p = malloc((b->n ? b->n : 1) * sizeof *p);
    bd_line_t *v = calloc(b->n ? b->n : 1, sizeof *v);
    if (!p || !v) {
        free(p);
        free(v);
        return -1;
    }
    size_t np = 0, n = 0;
    for (size_t i = 0; i < b->n; i++) {
        const bd_line_t *l = &b->v[i];
        bool first_of_block = i == 0 || b->v[i - 1].forbund != l->forbund ||
                              strcmp(b->v[i - 1].key, l->key) != 0;
        if (!l->hidden)
            p[np++] = l;
        else if (first_of_block)
            (*withheld)++;
    }
    if (np)
        qsort(p, np, sizeof *p, s_cmp_region_ptr);
    for (size_t i = 0; i < np; i++) {
        if (n == 0 || s_cmp_key(&v[n - 1], p[i]) != 0) {
            v[n] = *p[i];
            v[n].forbund = 0;
            memset(v[n].n, 0, sizeof v[n].n);
            if (!(v[n].key = strdup(p[i]->key))) {
                free(p);
                bd_lines_free(v, n);
                return -1;
            }
            n++;
        }
        for (int g = 0; g < 3; g++)
            v[n - 1].n[g] += p[i]->n[g];
    }
    free(p);
    *out = v;
    return (long)n;
}
