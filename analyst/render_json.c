/* render_json: every JSON the analyst prints (`--format json`), built as jansson trees and
 * dumped once, so that escaping, nesting and numbers are jansson's and never hand-written.
 * Shapes are CONTRACT.md's and docs/analyst.md's: money in kronor (a number with the öre
 * as decimals), counts as integers, ratios as numbers, null for no value and the string
 * "suppressed" for a value withheld from this key. Areas and participant breakdowns build
 * their own trees (render_areas.c, render_parts.c) and dump them with render_json_dump. */
#include <jansson.h>
#include <math.h>

#include "render.h"
#include "samla/mshow.h"

/* 15 significant digits: every amount below 10^13 kronor prints its öre exactly, and no
 * ratio prints binary noise (34.6888657545112, not 34.688865754511205). */
#define S_DUMP_FLAGS (JSON_INDENT(1) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15))

int render_json_dump(json_t *root, FILE *out)
{
    int rc = root ? json_dumpf(root, out, S_DUMP_FLAGS) : -1;
    if (rc == 0)
        fputc('\n', out);
    json_decref(root);
    return rc;
}

/* A string as JSON; text that is not UTF-8 (samlad checks what it stores, so only a
 * damaged reply) becomes U+FFFD rather than a key left out. */
json_t *render_json_str(const char *s)
{
    json_t *v = json_string(s ? s : "");
    return v ? v : json_string("\xEF\xBF\xBD");
}

static json_t *s_real(protobuf_c_boolean has, double v)
{
    return has && isfinite(v) ? json_real(v) : json_null();
}

json_t *render_json_value(const Samla__V1__MetricValue *v)
{
    if (!v)
        return json_null();
    if (v->has_suppressed && v->suppressed)
        return json_string("suppressed");
    if (v->has_ore)
        return json_real((double)v->ore / 100.0);
    if (v->has_count)
        return json_integer((json_int_t)v->count);
    return s_real(v->has_value, v->value);
}

/* {"name": value, ...} of a list of metric values. */
static json_t *s_values(Samla__V1__MetricValue *const *v, size_t n)
{
    json_t *o = json_object();
    for (size_t k = 0; k < n; k++)
        json_object_set_new(o, v[k]->name, render_json_value(v[k]));
    return o;
}

static const char *s_direction(Samla__V1__TargetDirection d)
{
    return d == SAMLA__V1__TARGET_DIRECTION__AT_LEAST  ? "at_least"
           : d == SAMLA__V1__TARGET_DIRECTION__AT_MOST ? "at_most"
                                                       : "between";
}

/* {"direction", "low", "high", "scope", "kind", "met", "projection", "on_track"}: met null
 * without a value the key may see and for an annual target before December, which has
 * its projection and on_track instead. */
static json_t *s_target(const Samla__V1__Target *t)
{
    if (!t)
        return json_null();
    const char *kind = !t->has_kind ? NULL
                       : t->kind == SAMLA__V1__TARGET_KIND__ANNUAL ? "annual"
                                                                  : "ongoing";
    return json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "direction",
                     s_direction(t->direction), "low", s_real(t->has_low, t->low), "high",
                     s_real(t->has_high, t->high), "scope", render_json_str(t->scope), "kind",
                     kind ? json_string(kind) : json_null(), "met",
                     t->has_met ? json_boolean(t->met) : json_null(), "projection",
                     s_real(t->has_projection, t->projection), "on_track",
                     t->has_on_track ? json_boolean(t->on_track) : json_null());
}

/* Keyed by metric; a target of one intervention by "metric/insats", with its "insats" and
 * its own "outcome". */
static json_t *s_targets(Samla__V1__Target *const *v, size_t n)
{
    json_t *o = json_object();
    for (size_t k = 0; k < n; k++) {
        json_t *t = s_target(v[k]);
        if (!v[k]->insats) {
            json_object_set_new(o, v[k]->metric, t);
            continue;
        }
        char key[512];
        snprintf(key, sizeof key, "%s/%s", v[k]->metric, v[k]->insats);
        json_object_set_new(t, "insats", json_string(v[k]->insats));
        json_object_set_new(t, "outcome", s_real(v[k]->has_outcome, v[k]->outcome));
        json_object_set_new(o, key, t);
    }
    return o;
}

static json_t *s_forbund(const Samla__V1__ForbundFigures *f, bool ranked)
{
    json_t *o = json_pack("{s:o, s:o, s:I, s:o}", "orgnr", render_json_str(f->orgnr), "name",
                          render_json_str(f->name), "revision", (json_int_t)f->revision,
                          "status", render_json_str(f->status));
    if (ranked)
        json_object_set_new(o, "rank",
                            f->has_rank ? json_integer((json_int_t)f->rank) : json_null());
    json_object_set_new(o, "metrics", s_values(f->metrics, f->n_metrics));
    json_t *prev = json_pack("{s:I}", "revision", (json_int_t)f->previous_revision);
    json_t *prev_values = s_values(f->previous_year, f->n_previous_year);
    json_object_update(prev, prev_values);
    json_decref(prev_values);
    json_object_set_new(o, "previous_year", prev);
    json_object_set_new(o, "targets", s_targets(f->targets, f->n_targets));
    return o;
}

static json_t *s_aggregate(const Samla__V1__Aggregate *a)
{
    return json_pack("{s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "count",
                     (json_int_t)a->count, "withheld", (json_int_t)a->withheld, "sum",
                     s_real(a->has_sum, a->sum), "median", s_real(a->has_median, a->median),
                     "mean", s_real(a->has_mean, a->mean), "min", s_real(a->has_min, a->min),
                     "max", s_real(a->has_max, a->max), "region",
                     s_real(a->has_region, a->region), "previous_region",
                     s_real(a->has_previous_region, a->previous_region));
}

static json_t *s_compare(const Samla__V1__Compare *c, bool ranked)
{
    json_t *forbund = json_array(), *aggs = json_object();
    for (size_t i = 0; i < c->n_forbund; i++)
        json_array_append_new(forbund, s_forbund(c->forbund[i], ranked));
    for (size_t k = 0; k < c->n_aggregates; k++)
        json_object_set_new(aggs, c->aggregates[k]->name, s_aggregate(c->aggregates[k]));
    return json_pack("{s:o, s:o, s:o, s:o, s:o}", "period", render_json_str(c->period),
                     "region", render_json_str(c->region), "forbund", forbund, "targets",
                     s_targets(c->targets, c->n_targets), "aggregates", aggs);
}

void render_compare_json(const Samla__V1__Compare *c, bool ranked, FILE *out)
{
    render_json_dump(s_compare(c, ranked), out);
}

static json_t *s_overview(const Samla__V1__Overview *o)
{
    json_t *years = json_array();
    for (size_t y = 0; y < o->n_years; y++) {
        const Samla__V1__OverviewYear *oy = o->years[y];
        json_array_append_new(
            years, json_pack("{s:I, s:o, s:I, s:o}", "year", (json_int_t)oy->year, "period",
                             oy->period ? render_json_str(oy->period) : json_null(),
                             "revision", (json_int_t)oy->revision, "metrics",
                             s_values(oy->metrics, oy->n_metrics)));
    }
    return json_pack("{s:o, s:o, s:o}", "orgnr", render_json_str(o->orgnr), "name",
                     render_json_str(o->name), "years", years);
}

void render_overview_json(const Samla__V1__Overview *o, FILE *out)
{
    render_json_dump(s_overview(o), out);
}

void render_export_json(const Samla__V1__Export *e, FILE *out)
{
    json_t *months = json_array();
    for (size_t m = 0; m < e->n_months; m++)
        json_array_append_new(months, s_compare(e->months[m], false));
    json_t *root = json_pack("{s:I, s:o, s:o}", "year", (json_int_t)e->year, "region",
                             render_json_str(e->region), "months", months);
    if (e->n_overviews) {
        json_t *ov = json_array();
        for (size_t i = 0; i < e->n_overviews; i++)
            json_array_append_new(ov, s_overview(e->overviews[i]));
        json_object_set_new(root, "overviews", ov);
    }
    render_json_dump(root, out);
}

void render_status_json(const Samla__V1__Status *s, FILE *out)
{
    json_t *forbund = json_array();
    for (size_t i = 0; i < s->n_forbund; i++) {
        const Samla__V1__ForbundStatus *f = s->forbund[i];
        json_t *months = json_object(), *flags = json_object();
        for (size_t m = 0; m < f->n_months; m++) {
            json_object_set_new(months, f->months[m]->period,
                                json_integer((json_int_t)f->months[m]->revisions));
            if (f->months[m]->flag)
                json_object_set_new(flags, f->months[m]->period,
                                    render_json_str(f->months[m]->flag));
        }
        json_array_append_new(
            forbund, json_pack("{s:o, s:o, s:o, s:o, s:o}", "orgnr", render_json_str(f->orgnr),
                               "name", render_json_str(f->name), "last_received",
                               f->last_received ? render_json_str(f->last_received)
                                                : json_null(),
                               "months", months, "flags", flags));
    }
    render_json_dump(json_pack("{s:I, s:o, s:o, s:o}", "year", (json_int_t)s->year, "region",
                               render_json_str(s->region), "generated_at",
                               render_json_str(s->generated_at), "forbund", forbund),
                     out);
}

void render_trend_json(const Samla__V1__Trend *t, FILE *out)
{
    json_t *points = json_array();
    for (size_t i = 0; i < t->n_points; i++) {
        const Samla__V1__TrendPoint *p = t->points[i];
        json_array_append_new(
            points,
            json_pack("{s:o, s:I, s:o, s:o, s:o, s:I, s:I, s:o}", "period",
                      render_json_str(p->period), "revision", (json_int_t)p->revision, "status",
                      render_json_str(p->status), "value", render_json_value(p->value),
                      "region_median", s_real(p->has_region_median, p->region_median),
                      "region_count", (json_int_t)p->region_count, "region_withheld",
                      (json_int_t)p->region_withheld, "target", s_target(p->target)));
    }
    render_json_dump(json_pack("{s:o, s:o, s:o, s:o}", "orgnr", render_json_str(t->orgnr),
                               "name", render_json_str(t->name), "metric",
                               render_json_str(t->metric), "points", points),
                     out);
}

void render_long_json(Samla__V1__Compare *const *months, size_t n, FILE *out)
{
    json_t *rows = json_array();
    for (size_t m = 0; m < n; m++)
        for (size_t i = 0; i < months[m]->n_forbund; i++) {
            const Samla__V1__ForbundFigures *f = months[m]->forbund[i];
            for (size_t k = 0; k < f->n_metrics; k++) {
                const mshow_t *ms = mshow_find(f->metrics[k]->name);
                json_array_append_new(
                    rows, json_pack("{s:o, s:o, s:o, s:o, s:I, s:o, s:o, s:s}", "period",
                                    render_json_str(months[m]->period), "orgnr",
                                    render_json_str(f->orgnr), "name", render_json_str(f->name),
                                    "status", render_json_str(f->status), "revision",
                                    (json_int_t)f->revision, "metric",
                                    render_json_str(f->metrics[k]->name), "value",
                                    render_json_value(f->metrics[k]), "unit",
                                    ms ? mshow_unit_code(ms->unit) : ""));
            }
        }
    render_json_dump(rows, out);
}
