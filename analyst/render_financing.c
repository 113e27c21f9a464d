/* render_financing: who paid (samla financing) as a table, CSV and JSON; every row from
 * financing.c, so that the formats (and the workbook, render_xlsx.c) agree. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "financing.h"
#include "render.h"
#include "samla/figures.h"
#include "samla/money.h"
#include "samla/period.h"
#include "samla/text.h"

enum { S_NAME = 48, S_KIND = 18, S_AMOUNT = 16, S_SHARE = 10 };

static void s_share(FILE *out, double share)
{
    char buf[32], sv[40];
    if (isnan(share)) {
        fprintf(out, "%*s", S_SHARE, "–");
        return;
    }
    text_decimal_sv(share, 1, buf, sizeof buf);
    snprintf(sv, sizeof sv, "%s %%", buf);
    fprintf(out, "%*s", S_SHARE, sv);
}

static void s_block_table(FILE *out, const fin_t *s)
{
    for (int b = FIN_CONTRIBUTIONS; b <= FIN_EXTERNAL; b++) {
        size_t rows = 0;
        for (size_t i = 0; i < s->n; i++)
            rows += s->rows[i].block == (fin_block_t)b && !s->rows[i].sum;
        if (!rows)
            continue;
        fprintf(out, "  %s\n", b == FIN_EXTERNAL ? "Externa medel" : "Medlemsbidrag");
        for (size_t i = 0; i < s->n; i++) {
            const fin_row_t *r = &s->rows[i];
            if (r->block != (fin_block_t)b)
                continue;
            char kr[40];
            money_format_sv(r->kr * 100, 0, kr, sizeof kr);
            fputs(r->sum ? "  " : "    ", out);
            text_pad(out, r->label, S_NAME - (r->sum ? 2 : 4));
            text_pad(out, r->sum ? "" : figures_member_kind_sv(r->kind), S_KIND);
            text_rpad(out, kr, S_AMOUNT);
            s_share(out, r->share);
            fputc('\n', out);
        }
        if (b == FIN_CONTRIBUTIONS && !isnan(s->state_share)) {
            char st[32], lo[32];
            text_decimal_sv(s->state_share, 1, st, sizeof st);
            text_decimal_sv(s->local_share, 1, lo, sizeof lo);
            fprintf(out, "  Staten %s %% (Finsam: 50 %%), regionen och kommunerna %s %% "
                         "(Finsam: 50 %%)\n", st, lo);
        }
    }
}

void render_financing_table(const Samla__V1__Financing *r, FILE *out)
{
    period_t p = {0, 12};
    if (period_parse(r->period, &p))
        p = (period_t){0, 12};
    fprintf(out, "Finansiering per medlem, ackumulerat %s%s%s %d, kronor\n\n",
            period_month_abbr[0], p.month > 1 ? "–" : "",
            p.month > 1 ? period_month_abbr[p.month - 1] : "", p.year);
    fputs("  ", out);
    text_pad(out, "Medlem eller finansiär", S_NAME - 2);
    text_pad(out, "Slag", S_KIND);
    text_rpad(out, "Belopp", S_AMOUNT);
    text_rpad(out, "Andel", S_SHARE);
    fputc('\n', out);
    for (size_t i = 0; i < r->n_forbund; i++) {
        const Samla__V1__ForbundFinancing *f = r->forbund[i];
        fprintf(out, "\n%s (%s)", f->name ? f->name : "", f->orgnr);
        fin_t s;
        if (!f->revision || fin_build(r, f, &s)) {
            fputs(": ingen rapport\n", out);
            continue;
        }
        fprintf(out, ", revision %u\n", f->revision);
        s_block_table(out, &s);
        fin_free(&s);
    }
    fin_t s;
    if (r->n_forbund > 1 && fin_build(r, NULL, &s) == 0) {
        if (s.reported) {
            fprintf(out, "\n%s, summa (medlemmar med samma namn och slag lagda samman)\n",
                    r->region && *r->region ? r->region : "Regionen");
            s_block_table(out, &s);
        }
        fin_free(&s);
    }
}

static const csvw_col_t s_cols[] = {
    {"orgnr", "Organisationsnummer"}, {"name", "Förbund"},  {"block", "Del"},
    {"member", "Medlem eller finansiär"}, {"kind", "Slag"}, {"amount", "Belopp, kr"},
    {"share", "Andel, %"}};

static void s_csv_rows(csvw_t *w, const char *orgnr, const char *name, const fin_t *s)
{
    for (size_t i = 0; i < s->n; i++) {
        const fin_row_t *r = &s->rows[i];
        csvw_text(w, orgnr);
        csvw_text(w, name);
        csvw_pick(w, r->block == FIN_EXTERNAL ? "external" : "contributions",
                  r->block == FIN_EXTERNAL ? "Externa medel" : "Medlemsbidrag");
        csvw_pick(w, r->name ? r->name : r->sum ? "total" : "unnamed", r->label);
        csvw_pick(w, r->sum ? "" : figures_member_kind_name(r->kind),
                  r->sum ? "" : figures_member_kind_sv(r->kind));
        csvw_ore(w, true, r->kr * 100);
        csvw_percent(w, !isnan(r->share), r->share);
        csvw_end(w);
    }
}

void render_financing_csv(const Samla__V1__Financing *r, csvw_t *w)
{
    csvw_heads(w, s_cols, sizeof s_cols / sizeof s_cols[0]);
    for (size_t i = 0; i < r->n_forbund; i++) {
        const Samla__V1__ForbundFinancing *f = r->forbund[i];
        fin_t s;
        if (!f->revision || fin_build(r, f, &s))
            continue;
        s_csv_rows(w, f->orgnr, f->name ? f->name : "", &s);
        fin_free(&s);
    }
    fin_t s;
    if (fin_build(r, NULL, &s) == 0) {
        s_csv_rows(w, "", r->region ? r->region : "", &s);
        fin_free(&s);
    }
}

static json_t *s_json_share(double v)
{
    return isnan(v) ? json_null() : json_real(v);
}

static json_t *s_json(const fin_t *s)
{
    json_t *members = json_array(), *external = json_array();
    json_t *o = json_object();
    for (size_t i = 0; i < s->n; i++) {
        const fin_row_t *r = &s->rows[i];
        if (r->sum) {
            json_object_set_new(o, r->block == FIN_EXTERNAL ? "external_funding"
                                                            : "contributions",
                                json_real((double)r->kr));
            continue;
        }
        json_t *m = json_pack("{s:o, s:s, s:f}", "name",
                              r->name ? json_string(r->name) : json_null(), "kind",
                              figures_member_kind_name(r->kind), "amount", (double)r->kr);
        json_object_set_new(m, "share", s_json_share(r->share));
        json_array_append_new(r->block == FIN_EXTERNAL ? external : members, m);
    }
    json_object_set_new(o, "members", members);
    json_object_set_new(o, "external", external);
    json_object_set_new(o, "shares", json_pack("{s:o, s:o}", "state",
                                               s_json_share(s->state_share),
                                               "region_and_municipalities",
                                               s_json_share(s->local_share)));
    json_object_set_new(o, "finsam", json_pack("{s:f, s:f}", "state", 50.0,
                                               "region_and_municipalities", 50.0));
    return o;
}

void render_financing_json(const Samla__V1__Financing *r, FILE *out)
{
    json_t *forbund = json_array();
    for (size_t i = 0; i < r->n_forbund; i++) {
        const Samla__V1__ForbundFinancing *f = r->forbund[i];
        fin_t s;
        json_t *o = NULL;
        if (f->revision && fin_build(r, f, &s) == 0) {
            o = s_json(&s);
            fin_free(&s);
        } else {
            o = json_object();
        }
        json_object_set_new(o, "orgnr", json_string(f->orgnr));
        json_object_set_new(o, "name", json_string(f->name ? f->name : ""));
        json_object_set_new(o, "revision", json_integer((json_int_t)f->revision));
        json_array_append_new(forbund, o);
    }
    json_t *root = json_pack("{s:s, s:s, s:o}", "period", r->period, "region",
                             r->region ? r->region : "", "forbund", forbund);
    fin_t s;
    if (fin_build(r, NULL, &s) == 0) {
        json_object_set_new(root, "group", s.reported ? s_json(&s) : json_null());
        fin_free(&s);
    }
    render_json_dump(root, out);
}
