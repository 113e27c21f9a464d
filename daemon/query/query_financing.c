/* query_financing: who paid each förbund of the group, to date (samla financing): the
 * contribution lines and external funding as booked, and the members its agent's mapping
 * names. Money is no count of people: every key gets the same answer. */
#include "query_int.h"

#include <string.h>

#include "samla/figures.h"
#include "samla/log.h"

typedef struct {
    qry_ctx_t *x;
    Samla__V1__ForbundFinancing **f; /* per group member, NULL until it has a revision */
} s_fin_t;

/* One stored member (or a revision without any) onto its förbund. */
static void s_payer(void *arg, const store_payer_t *m)
{
    s_fin_t *t = arg;
    long i = qry_member_of(t->x, m->orgnr);
    Samla__V1__ForbundFinancing *f = i < 0 ? NULL : t->f[i];
    if (!f || !m->name)
        return;
    Samla__V1__MemberAmount **v = arena_alloc(t->x->a, f->n_members + 1, sizeof *v);
    Samla__V1__MemberAmount *o = arena_alloc(t->x->a, 1, sizeof *o);
    if (!v || !o)
        return; /* the arena says failed; the query answers unavailable */
    samla__v1__member_amount__init(o);
    o->name = arena_strdup(t->x->a, m->name);
    o->kind = (Samla__V1__MemberKind)m->kind;
    o->has_amount = 1;
    o->amount = m->ore;
    if (f->n_members)
        memcpy(v, f->members, f->n_members * sizeof *v);
    v[f->n_members++] = o;
    f->members = v;
}

int qry_financing(qry_ctx_t *x, const Samla__V1__Query *q, Samla__V1__Reply *reply)
{
    period_t p;
    int bad = qry_period(x, "financing", q->period, &p);
    if (bad)
        return bad;
    long only = -1;
    if (q->orgnr && (only = qry_member_of(x, q->orgnr)) < 0)
        return qry_usage(x, "--orgnr is not a förbund of the group");
    Samla__V1__Financing *out = arena_alloc(x->a, 1, sizeof *out);
    Samla__V1__ForbundFinancing **all = arena_alloc(x->a, x->n + 1, sizeof *all);
    char *period = arena_alloc(x->a, 8, 1);
    if (!out || !all || !period)
        return qry_unavailable(x);
    period_format(p, period, 8);
    samla__v1__financing__init(out);
    out->period = period;
    out->region = (char *)x->label;
    s_fin_t t = {x, all};
    samla_err_t err;
    for (size_t i = 0; i < x->n; i++) {
        const member_t *mb = registry_forbund(x->reg, x->members[i]);
        Samla__V1__ForbundFinancing *f = arena_alloc(x->a, 1, sizeof *f);
        if (!f)
            return qry_unavailable(x);
        samla__v1__forbund_financing__init(f);
        f->orgnr = (char *)mb->orgnr;
        f->name = mb->name;
        f->has_revision = 1;
        figures_t fg;
        unsigned got = 0;
        int found = store_figures(x->store, mb->orgnr, period, 0, &fg, &got, &err);
        if (found < 0) {
            log_event(LOG_LVL_ERROR, "query.store", "reason=\"%s\"", err.msg);
            return qry_unavailable(x);
        }
        if (found && fg.has_ledger) {
            f->revision = got;
            f->has_contributions_state = f->has_contributions_region =
                f->has_contributions_municipalities = f->has_external_funding = 1;
            f->contributions_state = fg.contributions_state;
            f->contributions_region = fg.contributions_region;
            f->contributions_municipalities = fg.contributions_municipalities;
            f->external_funding = fg.external_funding;
        }
        all[i] = f;
    }
    if (store_members(x->store, period, s_payer, &t, &err)) {
        log_event(LOG_LVL_ERROR, "query.store", "reason=\"%s\"", err.msg);
        return qry_unavailable(x);
    }
    for (size_t i = 0; i < x->n; i++)
        if (only < 0 || (size_t)only == i)
            all[out->n_forbund++] = all[i];
    out->forbund = all;
    reply->financing = out;
    return x->a->failed ? qry_unavailable(x) : 0;
}
