#include "samla/mshow.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "samla/text.h"

int mshow_decimals(metric_unit_t u)
{
    return u == UNIT_PERCENT ? 1 : 0;
}

const char *mshow_unit_sv(metric_unit_t u)
{
    switch (u) {
    case UNIT_MONEY: return "kr";
    case UNIT_COUNT: return "antal";
    case UNIT_PERCENT: return "%";
    default: return "kr"; /* per person: the label says per whom */
    }
}

const char *mshow_unit_code(metric_unit_t u)
{
    switch (u) {
    case UNIT_MONEY: return "kr";
    case UNIT_COUNT: return "people";
    case UNIT_PERCENT: return "percent";
    default: return "kr_per_person";
    }
}

void mshow_head(const char *metric, char *buf, size_t size)
{
    const mshow_t *m = mshow_find(metric);
    if (!m)
        snprintf(buf, size, "%s", metric ? metric : "");
    else
        snprintf(buf, size, "%s, %s", m->label, mshow_unit_sv(m->unit));
}

void mshow_short_head(const char *metric, char *buf, size_t size)
{
    const metric_t *local = metric ? metric_find(metric) : NULL;
    const mshow_t *m = mshow_find(metric);
    if (local && local->head && m)
        snprintf(buf, size, "%s, %s", local->head, mshow_unit_sv(m->unit));
    else
        mshow_head(metric, buf, size);
}

static Samla__V1__Unit s_wire_unit(metric_unit_t u)
{
    switch (u) {
    case UNIT_MONEY: return SAMLA__V1__UNIT__KRONOR;
    case UNIT_COUNT: return SAMLA__V1__UNIT__PEOPLE;
    case UNIT_PERCENT: return SAMLA__V1__UNIT__PERCENT;
    default: return SAMLA__V1__UNIT__KRONOR_PER_PERSON;
    }
}

static int s_local_unit(Samla__V1__Unit u, metric_unit_t *out)
{
    switch (u) {
    case SAMLA__V1__UNIT__KRONOR: *out = UNIT_MONEY; return 0;
    case SAMLA__V1__UNIT__PEOPLE: *out = UNIT_COUNT; return 0;
    case SAMLA__V1__UNIT__PERCENT: *out = UNIT_PERCENT; return 0;
    case SAMLA__V1__UNIT__KRONOR_PER_PERSON: *out = UNIT_KRONOR; return 0;
    default: return -1; /* a unit of a newer samlad */
    }
}

/* --- the daemon's catalogue and the local table, built once ---------------------------- */

static Samla__V1__MetricInfo s_info[METRIC_MAX];
static Samla__V1__MetricInfo *s_info_ptrs[METRIC_MAX];
static mshow_t s_local[METRIC_MAX];
static pthread_once_t s_once = PTHREAD_ONCE_INIT;

static void s_build(void)
{
    for (size_t k = 0; k < metric_count && k < METRIC_MAX; k++) {
        const metric_t *m = &metric_table[k];
        s_local[k] = (mshow_t){m->name, m->label, m->doc, m->unit, mshow_decimals(m->unit)};
        Samla__V1__MetricInfo *i = &s_info[k];
        samla__v1__metric_info__init(i);
        /* protobuf-c's fields are not const; these are never written through */
        i->name = (char *)m->name;
        i->label = (char *)m->label;
        i->definition = (char *)m->doc;
        i->has_unit = i->has_decimals = 1;
        i->unit = s_wire_unit(m->unit);
        i->decimals = (uint32_t)mshow_decimals(m->unit);
        s_info_ptrs[k] = i;
    }
}

Samla__V1__MetricInfo *const *mshow_catalogue(size_t *n)
{
    pthread_once(&s_once, s_build);
    *n = metric_count < METRIC_MAX ? metric_count : METRIC_MAX;
    return s_info_ptrs;
}

/* --- the analyst's view of one reply --------------------------------------------------- */

/* Room for the daemon's metrics; more than a build knows is still bounded. Entries own
 * copies of their strings, so a reply may be freed after mshow_use. */
#define S_REMOTE_MAX (METRIC_MAX * 2)
static mshow_t s_remote[S_REMOTE_MAX];
static size_t s_n_remote;

static void s_free_entry(mshow_t *e)
{
    free((char *)e->name);
    free((char *)e->label);
    free((char *)e->doc);
    memset(e, 0, sizeof *e);
}

void mshow_use(Samla__V1__MetricInfo *const *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const Samla__V1__MetricInfo *m = v[i];
        metric_unit_t unit;
        if (!m || !m->name || !m->has_unit || s_local_unit(m->unit, &unit))
            continue;
        size_t at = 0;
        while (at < s_n_remote && strcmp(s_remote[at].name, m->name) != 0)
            at++;
        if (at == S_REMOTE_MAX)
            continue;
        const metric_t *local = metric_find(m->name);
        /* a label or definition left out by the daemon: this build's, if it has one */
        mshow_t e = {
            text_dup(m->name), text_dup(m->label ? m->label : local ? local->label : m->name),
            text_dup(m->definition ? m->definition : local ? local->doc : ""), unit,
            m->has_decimals && m->decimals <= 6 ? (int)m->decimals : mshow_decimals(unit)};
        if (!e.name || !e.label || !e.doc) {
            s_free_entry(&e);
            continue; /* out of memory: the local table answers */
        }
        if (at < s_n_remote)
            s_free_entry(&s_remote[at]);
        else
            s_n_remote++;
        s_remote[at] = e;
    }
}

void mshow_forget(void)
{
    for (size_t i = 0; i < s_n_remote; i++)
        s_free_entry(&s_remote[i]);
    s_n_remote = 0;
}

const mshow_t *mshow_find(const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; i < s_n_remote; i++)
        if (strcmp(s_remote[i].name, name) == 0)
            return &s_remote[i];
    pthread_once(&s_once, s_build);
    const metric_t *m = metric_find(name);
    return m ? &s_local[m - metric_table] : NULL;
}
