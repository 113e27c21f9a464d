/* financing: see financing.h. */
#include "financing.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "samla/figures.h"
#include "samla/money.h"

/* The kinds in the order a report lists them; external last, in its own block. */
static const Samla__V1__MemberKind s_kinds[] = {
    SAMLA__V1__MEMBER_KIND__MEMBER_STATE, SAMLA__V1__MEMBER_KIND__MEMBER_REGION,
    SAMLA__V1__MEMBER_KIND__MEMBER_MUNICIPALITY, SAMLA__V1__MEMBER_KIND__MEMBER_EXTERNAL};

typedef struct {
    const char *name;
    Samla__V1__MemberKind kind;
    int64_t ore;
} s_amount_t;

typedef struct {
    s_amount_t *v;
    size_t n, cap;
    int64_t line[5]; /* per kind: what the books say, öre */
    bool failed, reported;
} s_sum_t;

static void s_add(s_sum_t *s, const char *name, Samla__V1__MemberKind kind, int64_t ore)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->v[i].kind == kind && strcmp(s->v[i].name, name) == 0) {
            s->v[i].ore += ore;
            return;
        }
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 32;
        s_amount_t *v = realloc(s->v, cap * sizeof *v);
        if (!v) {
            s->failed = true;
            return;
        }
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n++] = (s_amount_t){name, kind, ore};
}

/* One förbund's lines and members into s. */
static void s_forbund(s_sum_t *s, const Samla__V1__ForbundFinancing *f)
{
    if (!f->revision)
        return;
    s->reported = true;
    s->line[SAMLA__V1__MEMBER_KIND__MEMBER_STATE] += f->contributions_state;
    s->line[SAMLA__V1__MEMBER_KIND__MEMBER_REGION] += f->contributions_region;
    s->line[SAMLA__V1__MEMBER_KIND__MEMBER_MUNICIPALITY] += f->contributions_municipalities;
    s->line[SAMLA__V1__MEMBER_KIND__MEMBER_EXTERNAL] += f->external_funding;
    for (size_t i = 0; i < f->n_members; i++) {
        const Samla__V1__MemberAmount *m = f->members[i];
        if ((int)m->kind >= 1 && (int)m->kind <= 4 && m->name)
            s_add(s, m->name, m->kind, m->amount);
    }
}

static int s_row(fin_t *out, size_t *cap, fin_row_t r)
{
    if (out->n == *cap) {
        size_t c = *cap ? 2 * *cap : 32;
        fin_row_t *v = realloc(out->rows, c * sizeof *v);
        if (!v)
            return -1;
        out->rows = v;
        *cap = c;
    }
    out->rows[out->n++] = r;
    return 0;
}

/* One block's rows: its kinds' members and unnamed rests, apportioned to whole kronor, and
 * its sum; shares of the sum. ore and kr have room for every member and a rest per kind
 * (a group of the whole country names some 300 municipalities). */
static int s_block(fin_t *out, size_t *cap, const s_sum_t *s, fin_block_t block, int64_t *ore,
                   int64_t *kr)
{
    size_t first = out->n;
    int64_t total = 0;
    size_t n = 0;
    for (size_t k = 0; k < sizeof s_kinds / sizeof s_kinds[0]; k++) {
        Samla__V1__MemberKind kind = s_kinds[k];
        if ((kind == SAMLA__V1__MEMBER_KIND__MEMBER_EXTERNAL) != (block == FIN_EXTERNAL))
            continue;
        int64_t named = 0;
        for (size_t i = 0; i < s->n; i++)
            if (s->v[i].kind == kind) {
                if (s_row(out, cap, (fin_row_t){block, s->v[i].name, s->v[i].name, kind,
                                                 false, 0, NAN}))
                    return -1;
                ore[n++] = s->v[i].ore;
                named += s->v[i].ore;
            }
        int64_t rest = s->line[kind] - named;
        bool any = out->n > first && out->rows[out->n - 1].kind == kind;
        if (rest || (!any && block == FIN_CONTRIBUTIONS)) { /* a kind nobody is named for */
            if (s_row(out, cap, (fin_row_t){block, NULL, fin_rest_label(kind, any), kind,
                                             false, 0, NAN}))
                return -1;
            ore[n++] = rest;
        }
        total += s->line[kind];
    }
    int64_t sum = 0;
    money_apportion(ore, n, kr);
    for (size_t i = 0; i < n; i++) {
        out->rows[first + i].kr = kr[i];
        sum += kr[i];
    }
    const char *label = block == FIN_EXTERNAL ? "Summa externa medel" : "Summa medlemsbidrag";
    if (s_row(out, cap, (fin_row_t){block, NULL, label, 0, true, sum, 100.0}))
        return -1;
    for (size_t i = first; i < out->n - 1; i++)
        out->rows[i].share = total ? 100.0 * (double)out->rows[i].kr / (double)sum : NAN;
    if (!total)
        out->rows[out->n - 1].share = NAN;
    return 0;
}

int fin_build(const Samla__V1__Financing *r, const Samla__V1__ForbundFinancing *f, fin_t *out)
{
    memset(out, 0, sizeof *out);
    s_sum_t s = {0};
    if (f)
        s_forbund(&s, f);
    else
        for (size_t i = 0; i < r->n_forbund; i++)
            s_forbund(&s, r->forbund[i]);
    size_t cap = 0, room = s.n + sizeof s_kinds / sizeof s_kinds[0] + 1;
    int64_t *ore = malloc(room * sizeof *ore), *kr = malloc(room * sizeof *kr);
    int rc = s.failed || !ore || !kr ? -1 : 0;
    out->reported = s.reported;
    if (rc == 0 && s.reported &&
        (s_block(out, &cap, &s, FIN_CONTRIBUTIONS, ore, kr) ||
         s_block(out, &cap, &s, FIN_EXTERNAL, ore, kr)))
        rc = -1;
    free(ore);
    free(kr);
    int64_t all = s.line[1] + s.line[2] + s.line[3];
    out->state_share = all ? 100.0 * (double)s.line[1] / (double)all : NAN;
    out->local_share = all ? 100.0 * (double)(s.line[2] + s.line[3]) / (double)all : NAN;
    free(s.v);
    if (rc)
        fin_free(out);
    return rc;
}

void fin_free(fin_t *s)
{
    free(s->rows);
    s->rows = NULL;
    s->n = 0;
}

const char *fin_rest_label(Samla__V1__MemberKind k, bool beside_named)
{
    switch (k) {
    case SAMLA__V1__MEMBER_KIND__MEMBER_STATE:
        return beside_named ? "Staten (ej namngiven)" : "Staten";
    case SAMLA__V1__MEMBER_KIND__MEMBER_REGION:
        return beside_named ? "Regionen (ej namngiven)" : "Regionen";
    case SAMLA__V1__MEMBER_KIND__MEMBER_MUNICIPALITY:
        return beside_named ? "Kommunerna (ej namngivna)" : "Kommunerna";
    default: return beside_named ? "Övriga externa medel" : "Externa medel";
    }
}
