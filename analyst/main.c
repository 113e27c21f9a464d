/* samla: the analyst's tool. Asks samlad for comparisons and prints them. */
#include <czmq.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>
#include <zmq.h>

#include "fmt_html.h"
#include "format.h"
#include "render.h"
#include "report.h"
#include "xlsx.h"
#include "samla/cfg.h"
#include "samla/cli.h"
#include "samla/columns.h"
#include "samla/i18n.h"
#include "samla/curve.h"
#include "samla/keys.h"
#include "samla/metrics.h"
#include "samla/mshow.h"
#include "samla/period.h"
#include "samla/text.h"
#include "samla/wire.h"

#define PROG "samla"

typedef struct {
    char *server, *server_public_key, *secret_key;
    long long timeout;
    const char *group; /* --group: not a config key; every query carries it */
} analyst_cfg_t;

#define O(f) offsetof(analyst_cfg_t, f)
static const cfg_field_t s_fields[] = {
    {"server", CFG_STR, true, NULL, 0, 0, 0, O(server), "samlad's query endpoint"},
    {"server_public_key", CFG_PATH, true, NULL, 0, 0, 0, O(server_public_key),
     "samlad's public key file"},
    {"secret_key", CFG_PATH, true, NULL, 0, 0, 0, O(secret_key), "this analyst's secret key"},
    {"timeout", CFG_INT, false, NULL, 10, 1, 3600, O(timeout), "seconds to wait for samlad"},
};
#undef O
#define N_FIELDS (sizeof s_fields / sizeof s_fields[0])

typedef struct {
    const char *config, *period, *metric, *format, *year, *orgnr, *from, *to, *revision;
    const char *output, *group, *by, *years, *insats;
    bool long_form; /* --long: one row per förbund, period and metric */
    const char *lang; /* --lang sv|en (i18n.h) */
    bool english;     /* the language chosen is English: compare's table in English */
} args_t;

/* Sends one query and waits for its reply. Returns 0 with *reply (free it with
 * samla__v1__reply__free_unpacked(*reply, NULL)), or an exit code. */
/* The CURVE connection to samlad with the analyst's keys: 0, or the exit code after
 * saying why not (a key or endpoint that is wrong is configuration; no host, unavailable). */
static int s_connect(const analyst_cfg_t *c, curve_client_t *cc)
{
    samla_err_t err;
    keypair_t server, own;
    if (keys_load_public(c->server_public_key, &server, &err) ||
        keys_load_secret(c->secret_key, &own, &err)) {
        err_print(PROG, "%s\n", err.msg);
        return EX_CONFIG;
    }
    int ep = curve_endpoint_check(c->server, &err);
    if (ep != CURVE_EP_OK) {
        err_print(PROG, "server: %s\n", err.msg);
        return ep == CURVE_EP_SCHEME ? EX_CONFIG : EX_UNAVAILABLE;
    }
    if (curve_connect(cc, c->server, &server, &own, 0, &err)) {
        err_print(PROG, "%s\n", err.msg);
        return EX_UNAVAILABLE;
    }
    return 0;
}

/* samlad's answer: 0 with *reply (the caller frees it), or the exit code its error maps
 * to, said on stderr, and *reply NULL. */
/* Names the values of one förbund's row from the catalogue, column by column (they come
 * without names when the query asked for names_once). -1 when one cannot be named. */
static int s_name_values(Samla__V1__MetricValue **v, size_t n, const Samla__V1__Reply *r)
{
    for (size_t i = 0; i < n; i++) {
        if (v[i]->name)
            continue;
        if (i >= r->n_metrics || !r->metrics[i]->name ||
            !(v[i]->name = strdup(r->metrics[i]->name))) /* freed with the reply */
            return -1;
    }
    return 0;
}

static int s_name_compare(const Samla__V1__Compare *c, const Samla__V1__Reply *r)
{
    for (size_t j = 0; c && j < c->n_forbund; j++)
        if (s_name_values(c->forbund[j]->metrics, c->forbund[j]->n_metrics, r) ||
            s_name_values(c->forbund[j]->previous_year, c->forbund[j]->n_previous_year, r))
            return -1;
    return 0;
}

/* Every value of a Compare (and of an export's months) in its förbund's row and named, as
 * the renderers read them (they come as columns, without names: s_ask asks so). */
static int s_name_reply(const Samla__V1__Reply *r)
{
    int rc = cols_expand(r->compare, r->metrics, r->n_metrics) || s_name_compare(r->compare, r);
    for (size_t i = 0; r->export && i < r->export->n_months; i++)
        rc |= cols_expand(r->export->months[i], r->metrics, r->n_metrics) ||
              s_name_compare(r->export->months[i], r);
    return rc;
}

static int s_take_reply(zmq_msg_t *m, Samla__V1__Reply **reply)
{
    *reply = samla__v1__reply__unpack(NULL, zmq_msg_size(m), zmq_msg_data(m));
    if (!*reply) {
        err_print(PROG, "samlad sent a reply that is not a samla.v1.Reply\n");
        return EX_PROTOCOL;
    }
    if ((*reply)->has_error) {
        /* samlad answers in English; the reader's language where the catalog has the
         * message (samlad's fixed messages are in it, marked where samlad writes them) */
        const char *why = (*reply)->error_message;
        err_print(PROG, "samlad: %s\n", why && *why ? _(why) : _("error"));
        int rc = (*reply)->error == SAMLA__V1__ERROR_CODE__ERR_USAGE     ? EX_USAGE
                 : (*reply)->error == SAMLA__V1__ERROR_CODE__ERR_REFUSED ? EX_NOPERM
                                                                         : EX_TEMPFAIL;
        samla__v1__reply__free_unpacked(*reply, NULL);
        *reply = NULL;
        return rc;
    }
    /* names come from agents and configs: whatever a format does with them, no control
     * character or bidi override reaches the terminal, a cell or a page */
    wire_neutralize(&(*reply)->base);
    if (s_name_reply(*reply)) {
        err_print(PROG, "samlad sent values its catalogue does not name\n");
        samla__v1__reply__free_unpacked(*reply, NULL);
        *reply = NULL;
        return EX_PROTOCOL;
    }
    /* every number of this reply in the unit samlad meant (mshow.h) */
    mshow_use((*reply)->metrics, (*reply)->n_metrics);
    return 0;
}

static int s_ask(const analyst_cfg_t *c, const Samla__V1__Query *q, Samla__V1__Reply **reply)
{
    curve_client_t cc;
    int rc = s_connect(c, &cc);
    if (rc)
        return rc;
    Samla__V1__Query grouped = *q;
    grouped.group = (char *)c->group;
    /* s_name_reply names the values and puts them in their rows */
    grouped.has_names_once = grouped.names_once = 1;
    grouped.has_columns = grouped.columns = 1;
    size_t len;
    uint8_t *buf = wire_pack((const ProtobufCMessage *)&grouped, &len);
    rc = EX_UNAVAILABLE;
    if (!buf || zmq_send(cc.sock, buf, len, 0) < 0) {
        err_print(PROG, "cannot send the query: %s\n", zmq_strerror(zmq_errno()));
        goto done;
    }
    int64_t deadline = zclock_mono() + c->timeout * 1000;
    while (zclock_mono() < deadline) {
        zmq_pollitem_t items[2] = {{cc.sock, 0, ZMQ_POLLIN, 0}, {cc.monitor, 0, ZMQ_POLLIN, 0}};
        if (zmq_poll(items, 2, (long)(deadline - zclock_mono())) < 0)
            continue;
        if ((items[1].revents & ZMQ_POLLIN) &&
            curve_monitor_event(&cc) == ZMQ_EVENT_HANDSHAKE_FAILED_AUTH) {
            err_print(PROG, "samlad at %s refused this key (%s)\n", c->server,
                    c->secret_key);
            rc = EX_NOPERM;
            goto done;
        }
        if (items[0].revents & ZMQ_POLLIN) {
            zmq_msg_t m;
            zmq_msg_init(&m);
            if (zmq_msg_recv(&m, cc.sock, 0) >= 0) {
                rc = s_take_reply(&m, reply);
            } else {
                err_print(PROG, "cannot read samlad's reply: %s\n",
                        zmq_strerror(zmq_errno()));
                rc = EX_PROTOCOL;
            }
            zmq_msg_close(&m);
            goto done;
        }
    }
    err_print(PROG, "no answer from samlad at %s within %lld s\n", c->server,
            c->timeout);
done:
    free(buf);
    curve_close(&cc);
    return rc;
}

static int s_year(const args_t *a, uint32_t *year)
{
    char *end;
    long y = a->year ? strtol(a->year, &end, 10) : 0;
    if (!a->year || *end || y < 1900 || y > 2999) {
        err_print(PROG, "--year YYYY is required\n");
        return EX_USAGE;
    }
    *year = (uint32_t)y;
    return 0;
}

/* --years N (1..20) into the query, when given. */
static int s_years(const args_t *a, Samla__V1__Query *q)
{
    if (!a->years)
        return 0;
    char *end;
    long n = strtol(a->years, &end, 10);
    if (*end || end == a->years || n < 1 || n > 20) {
        err_print(PROG, "--years is a number of years, 1 to 20 (got '%s')\n", a->years);
        return EX_USAGE;
    }
    q->has_years = 1;
    q->years = (uint32_t)n;
    return 0;
}

/* The report's page through the html format's file (fmt_html.h): written beside --output
 * and renamed when whole. 0 with w open, or EX_CANTCREAT after saying why. */
static int s_page_open(const args_t *a, fmt_opts_t *o, fmt_w_t *w)
{
    samla_err_t err;
    *o = (fmt_opts_t){.out = stdout, .output = a->output};
    *w = (fmt_w_t){o, NULL};
    if (format_html.open(w, &err)) {
        err_print(PROG, "%s\n", err.msg);
        return EX_CANTCREAT;
    }
    return 0;
}

static int s_page_close(fmt_w_t *w)
{
    samla_err_t err;
    if (format_html.close(w, &err)) {
        err_print(PROG, "%s\n", err.msg);
        return EX_CANTCREAT;
    }
    return 0;
}

/* The replies a förbund's report is made of, freed together. */
typedef struct {
    Samla__V1__Reply *cmp, *areas, *books, *fin, *exits, *flow;
    Samla__V1__Reply **insats; /* one per individual intervention of flow */
    Samla__V1__Participants **insats_exits;
    size_t n_insats;
} s_forbund_replies_t;

static void s_forbund_replies_free(s_forbund_replies_t *r)
{
    Samla__V1__Reply *one[] = {r->cmp, r->areas, r->books, r->fin, r->exits, r->flow};
    for (size_t i = 0; i < sizeof one / sizeof one[0]; i++)
        if (one[i])
            samla__v1__reply__free_unpacked(one[i], NULL);
    for (size_t i = 0; i < r->n_insats; i++)
        if (r->insats[i])
            samla__v1__reply__free_unpacked(r->insats[i], NULL);
    free(r->insats);
    free(r->insats_exits);
}

/* Asks samlad for every part of orgnr's report of a month: 0, or an exit code. */
static int s_forbund_ask(const analyst_cfg_t *c, const args_t *a, s_forbund_replies_t *r)
{
    Samla__V1__Query q = SAMLA__V1__QUERY__INIT;
    q.period = (char *)a->period;
    q.kind = SAMLA__V1__QUERY_KIND__QUERY_COMPARE;
    int rc = s_ask(c, &q, &r->cmp);
    q.orgnr = (char *)a->orgnr;
    static const struct {
        Samla__V1__QueryKind kind;
        const char *by;
        size_t slot; /* offset of the reply in s_forbund_replies_t */
    } parts[] = {
        {SAMLA__V1__QUERY_KIND__QUERY_AREAS, NULL, offsetof(s_forbund_replies_t, areas)},
        {SAMLA__V1__QUERY_KIND__QUERY_STATEMENTS, NULL, offsetof(s_forbund_replies_t, books)},
        {SAMLA__V1__QUERY_KIND__QUERY_FINANCING, NULL, offsetof(s_forbund_replies_t, fin)},
        {SAMLA__V1__QUERY_KIND__QUERY_PARTICIPANTS, "avslut",
         offsetof(s_forbund_replies_t, exits)},
        {SAMLA__V1__QUERY_KIND__QUERY_PARTICIPANTS, "insats",
         offsetof(s_forbund_replies_t, flow)},
    };
    for (size_t i = 0; rc == 0 && i < sizeof parts / sizeof parts[0]; i++) {
        q.kind = parts[i].kind;
        q.by = (char *)parts[i].by;
        rc = s_ask(c, &q, (Samla__V1__Reply **)((char *)r + parts[i].slot));
    }
    if (rc == 0 && (!r->cmp->compare || !r->areas->areas || !r->books->statements ||
                    !r->fin->financing || !r->exits->participants || !r->flow->participants))
        return EX_PROTOCOL;
    if (rc)
        return rc;
    /* each individual intervention's exit reasons: one question per intervention */
    const Samla__V1__Participants *flow = r->flow->participants;
    const Samla__V1__ForbundBreakdown *f = flow->n_forbund ? flow->forbund[0] : NULL;
    size_t n = f ? f->n_rows : 0;
    r->insats = calloc(n + 1, sizeof *r->insats);
    r->insats_exits = calloc(n + 1, sizeof *r->insats_exits);
    if (!r->insats || !r->insats_exits)
        return EX_SOFTWARE;
    q.by = "avslut";
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const Samla__V1__BreakdownRow *w = f->rows[i];
        if (!w->kind || strcmp(w->kind, "individ") != 0 || !w->measure ||
            strcmp(w->measure, "aktuella_start") != 0)
            continue; /* the first line of each individual intervention */
        q.insats = w->key;
        rc = s_ask(c, &q, &r->insats[r->n_insats]);
        if (rc == 0 && !r->insats[r->n_insats]->participants)
            rc = EX_PROTOCOL;
        if (rc == 0)
            r->insats_exits[r->n_insats] = r->insats[r->n_insats]->participants;
        r->n_insats += r->insats[r->n_insats] != NULL;
    }
    return rc;
}

/* report --orgnr ORGNR --period YYYY-MM: one förbund's monthly follow-up. */
static int s_report_forbund(const analyst_cfg_t *c, const args_t *a)
{
    period_t p;
    if (!a->period || period_parse(a->period, &p)) {
        err_print(PROG, "report --orgnr needs --period YYYY-MM\n");
        return EX_USAGE;
    }
    s_forbund_replies_t r = {0};
    int rc = s_forbund_ask(c, a, &r);
    fmt_opts_t o;
    fmt_w_t w;
    if (rc == 0 && (rc = s_page_open(a, &o, &w)) == 0) {
        report_forbund_t in = {
            .compare = r.cmp->compare, .areas = r.areas->areas,
            .statements = r.books->statements, .financing = r.fin->financing,
            .exits = r.exits->participants, .flow = r.flow->participants,
            .insats_exits = r.insats_exits, .n_insats = r.n_insats};
        if (report_forbund_html(&in, r.areas->areas->orgnr, fmt_html_out(&w))) {
            err_print(PROG, "%s is not a förbund of the group\n", a->orgnr);
            fmt_html_abandon(&w);
            rc = EX_USAGE;
        } else {
            rc = s_page_close(&w);
        }
    }
    s_forbund_replies_free(&r);
    return rc;
}

static int cmd_report(const analyst_cfg_t *c, const args_t *a)
{
    Samla__V1__Query q = SAMLA__V1__QUERY__INIT;
    if (!a->output) {
        err_print(PROG, "report needs --output FILE.html\n");
        return EX_USAGE;
    }
    if (a->orgnr)
        return s_report_forbund(c, a);
    if (s_year(a, &q.year))
        return EX_USAGE;
    q.has_year = 1;
    q.kind = SAMLA__V1__QUERY_KIND__QUERY_EXPORT;
    q.has_years = 1; /* every förbund's five years, for the report's last section */
    q.years = 5;
    Samla__V1__Reply *exp = NULL, *st = NULL;
    int rc = s_ask(c, &q, &exp);
    if (rc)
        return rc;
    q.kind = SAMLA__V1__QUERY_KIND__QUERY_STATUS;
    q.has_years = 0;
    rc = s_ask(c, &q, &st);
    if (rc == 0 && (!exp->export || !st->status))
        rc = EX_PROTOCOL;
    /* last year's figures and the targets of the month the report compares */
    Samla__V1__Reply *goals = NULL;
    const Samla__V1__Compare *month = rc == 0 ? report_month(exp->export) : NULL;
    if (month) {
        Samla__V1__Query gq = SAMLA__V1__QUERY__INIT;
        gq.kind = SAMLA__V1__QUERY_KIND__QUERY_COMPARE;
        gq.period = month->period;
        rc = s_ask(c, &gq, &goals);
        if (rc == 0 && !goals->compare)
            rc = EX_PROTOCOL;
    }
    fmt_opts_t o;
    fmt_w_t w;
    if (rc == 0 && (rc = s_page_open(a, &o, &w)) == 0) {
        report_html(exp->export, st->status, goals ? goals->compare : NULL, fmt_html_out(&w));
        rc = s_page_close(&w);
    }
    if (exp)
        samla__v1__reply__free_unpacked(exp, NULL);
    if (st)
        samla__v1__reply__free_unpacked(st, NULL);
    if (goals)
        samla__v1__reply__free_unpacked(goals, NULL);
    return rc;
}

/* --- the commands that ask one question and write its answer ------------------------- */

/* A command's row: what it asks (its options checked and put into the query by `build`)
 * and whether the table is its default format; or a command of its own (`run`). */
typedef struct {
    cli_cmd_t cli; /* first: cli_parse returns it */
    Samla__V1__QueryKind kind;
    bool table; /* --format may be left out: a table */
    int (*build)(const args_t *a, Samla__V1__Query *q); /* 0 or EX_USAGE, said why */
    int (*run)(const analyst_cfg_t *c, const args_t *a); /* instead of kind and build */
} command_t;

static int s_period(const char *cmd, const args_t *a)
{
    period_t p;
    if (a->period && period_parse(a->period, &p) == 0)
        return 0;
    err_print(PROG, "%s needs --period YYYY-MM\n", cmd);
    return EX_USAGE;
}

static int build_compare(const args_t *a, Samla__V1__Query *q)
{
    if (s_period("compare", a))
        return EX_USAGE;
    if (a->metric && !metric_find(a->metric)) {
        err_print(PROG, "unknown metric '%s'; the metrics are:\n", a->metric);
        for (size_t i = 0; i < metric_count; i++)
            cli_item(stderr, metric_table[i].name, 30, metric_table[i].doc);
        return EX_USAGE;
    }
    q->period = (char *)a->period;
    q->metric = (char *)a->metric;
    return 0;
}

static int build_trend(const args_t *a, Samla__V1__Query *q)
{
    period_t p;
    if (!a->orgnr || !a->metric || !metric_find(a->metric)) {
        err_print(PROG, "trend needs --orgnr ORGNR and --metric NAME (see --help)\n");
        return EX_USAGE;
    }
    if ((a->from && period_parse(a->from, &p)) || (a->to && period_parse(a->to, &p))) {
        err_print(PROG, "--from and --to are YYYY-MM\n");
        return EX_USAGE;
    }
    q->orgnr = (char *)a->orgnr;
    q->metric = (char *)a->metric;
    q->from = (char *)a->from;
    q->to = (char *)a->to;
    if (a->revision) {
        char *end;
        long r = strtol(a->revision, &end, 10);
        if (*end || r < 1 || r > 1000000) {
            err_print(PROG, "--revision is a number from 1\n");
            return EX_USAGE;
        }
        q->has_revision = 1;
        q->revision = (uint32_t)r;
    }
    return 0;
}

static int build_status(const args_t *a, Samla__V1__Query *q)
{
    q->has_year = 1;
    return s_year(a, &q->year);
}

static int build_export(const args_t *a, Samla__V1__Query *q)
{
    if (s_year(a, &q->year) || s_years(a, q))
        return EX_USAGE;
    q->has_year = 1;
    if (q->has_years && (!a->format || strcmp(a->format, "json") != 0)) {
        err_print(PROG, "export --years (each förbund's overview) needs --format json\n");
        return EX_USAGE;
    }
    return 0;
}

/* One förbund's month: what areas and statements both ask for. */
static int s_forbund_month(const char *command, const args_t *a, Samla__V1__Query *q)
{
    if (!a->orgnr || !a->period) {
        err_print(PROG, "%s needs --orgnr ORGNR and --period YYYY-MM (see --help)\n", command);
        return EX_USAGE;
    }
    q->orgnr = (char *)a->orgnr;
    q->period = (char *)a->period;
    return 0;
}

static int build_areas(const args_t *a, Samla__V1__Query *q)
{
    return s_forbund_month("areas", a, q);
}

static int build_statements(const args_t *a, Samla__V1__Query *q)
{
    return s_forbund_month("statements", a, q);
}

static int build_financing(const args_t *a, Samla__V1__Query *q)
{
    if (!a->period) {
        err_print(PROG, "financing needs --period YYYY-MM (see --help)\n");
        return EX_USAGE;
    }
    q->orgnr = (char *)a->orgnr;
    q->period = (char *)a->period;
    return 0;
}

static int build_participants(const args_t *a, Samla__V1__Query *q)
{
    if (!a->period || !a->by) {
        err_print(PROG, "participants needs --period YYYY-MM and --by insats|typ|avslut|"
                        "alder|forsorjning_start|forsorjning_avslut (see --help)\n");
        return EX_USAGE;
    }
    q->orgnr = (char *)a->orgnr;
    q->period = (char *)a->period;
    q->by = (char *)a->by;
    q->insats = (char *)a->insats;
    return 0;
}

static int build_overview(const args_t *a, Samla__V1__Query *q)
{
    if (!a->orgnr) {
        err_print(PROG, "overview needs --orgnr ORGNR (see --help)\n");
        return EX_USAGE;
    }
    if ((a->year && s_year(a, &q->year)) || s_years(a, q))
        return EX_USAGE;
    q->has_year = a->year != NULL;
    q->orgnr = (char *)a->orgnr;
    return 0;
}

/* The command's format from --format: NULL after saying which ones it has. */
static const format_t *s_format(const command_t *cmd, const args_t *a)
{
    const char *name = a->format ? a->format : cmd->table ? "table" : NULL;
    const format_t *f = format_find(name);
    char names[128];
    format_names(cmd->kind, names, sizeof names);
    if (!name)
        err_print(PROG, "%s needs --format %s\n", cmd->cli.name, names);
    else if (!f || !format_writes(f, cmd->kind))
        err_print(PROG, "--format of %s is %s (got '%s')\n", cmd->cli.name, names, name);
    else if (f->file && !a->output)
        err_print(PROG, "--format %s needs --output FILE.%s\n", name, name);
    else
        return f;
    return NULL;
}

/* Every command but report: check, ask, write. */
static int s_ask_and_write(const command_t *cmd, const analyst_cfg_t *c, const args_t *a)
{
    Samla__V1__Query q = SAMLA__V1__QUERY__INIT;
    q.kind = cmd->kind;
    const format_t *f = s_format(cmd, a);
    if (!f || cmd->build(a, &q))
        return EX_USAGE;
    Samla__V1__Reply *reply = NULL;
    int rc = s_ask(c, &q, &reply);
    if (rc)
        return rc;
    fmt_opts_t o = {.out = stdout, .output = a->output, .colour = isatty(STDOUT_FILENO),
                    .ranked = a->metric != NULL, .long_form = a->long_form,
                    .english = a->english};
    rc = format_write(f, &o, cmd->kind, reply, PROG);
    samla__v1__reply__free_unpacked(reply, NULL);
    return rc;
}

#define S_ASK(KIND) SAMLA__V1__QUERY_KIND__QUERY_##KIND
static const command_t s_commands[] = {
    {{"compare", "--config FILE compare --period YYYY-MM [--metric NAME] [--group NAME] "
      "[--format FORMAT] [--output FILE.xlsx] [--long]",
      N_("every metric of every förbund for one month, with region aggregates"), false},
     S_ASK(COMPARE), true, build_compare, NULL},
    {{"trend", "--config FILE trend --orgnr ORGNR --metric NAME [--from YYYY-MM] [--to YYYY-MM] "
      "[--revision N] [--group NAME] [--format FORMAT] [--output FILE.xlsx]",
      N_("one förbund's metric month by month, beside the region median"), false},
     S_ASK(TREND), true, build_trend, NULL},
    {{"status", "--config FILE status --year YYYY [--group NAME] [--format FORMAT] "
      "[--output FILE.xlsx]",
      N_("which förbund have reported which months, with revision counts"), false},
     S_ASK(STATUS), true, build_status, NULL},
    {{"export", "--config FILE export --year YYYY [--group NAME] [--years N] "
      "--format csv|csv-sv|json|xlsx [--output FILE.xlsx] [--long]",
      N_("every metric of every förbund and month; --years N (json) adds each förbund's "
      "overview of N years up to YYYY"), false},
     S_ASK(EXPORT), false, build_export, NULL},
    {{"areas", "--config FILE areas --orgnr ORGNR --period YYYY-MM [--format FORMAT] "
      "[--output FILE.xlsx]",
      N_("a förbund's driftsredovisning: per cost area outcome, budget, deviation, budget for "
      "the year and forecast, to date, with totals per class"), false},
     S_ASK(AREAS), true, build_areas, NULL},
    {{"statements", "--config FILE statements --orgnr ORGNR --period YYYY-MM "
      "[--format FORMAT] [--output FILE.xlsx]",
      N_("a förbund's income statement, balance sheet and cash flow to date, opening with "
      "the ekonomiskt utfall: outcome, budget, deviation, full-year forecast, last year"),
      false},
     S_ASK(STATEMENTS), true, build_statements, NULL},
    {{"financing", "--config FILE financing --period YYYY-MM [--orgnr ORGNR] [--group NAME] "
      "[--format FORMAT] [--output FILE.xlsx]",
      N_("who paid, to date: each member's contribution and share beside the Finsam rule "
      "(state 50 %, region and municipalities 50 %), external funding per source; per "
      "förbund and for the group"), false},
     S_ASK(FINANCING), true, build_financing, NULL},
    {{"participants", "--config FILE participants --period YYYY-MM --by insats|typ|avslut|alder|"
      "forsorjning_start|forsorjning_avslut [--insats NAME] [--orgnr ORGNR] [--group NAME] "
      "[--format FORMAT] [--output FILE.xlsx]",
      N_("participants to date by exit reason, age band, support, kind or intervention: "
      "women, men, unspecified and total per förbund and for the group; --insats NAME: "
      "one intervention's rows only"), false},
     S_ASK(PARTICIPANTS), true, build_participants, NULL},
    {{"overview", "--config FILE overview --orgnr ORGNR [--years N] [--year YYYY] "
      "[--format FORMAT] [--output FILE.xlsx]",
      N_("a förbund's years side by side (default the last 5 with a report): contributions, "
      "external funding, costs, result, equity, solidity, participants"), false},
     S_ASK(OVERVIEW), true, build_overview, NULL},
    {{"report", "--config FILE report --year YYYY [--group NAME] --output FILE.html\n"
      "--config FILE report --orgnr ORGNR --period YYYY-MM [--group NAME] "
      "--output FILE.html",
      N_("a self-contained HTML report with charts (no network needed to view it); with "
      "--orgnr, one förbund's monthly follow-up for its board"), false},
     0, false, NULL, cmd_report},
};
#undef S_ASK

/* --help's lists from the tables: the formats, then the metrics. */
static void s_usage_lists(FILE *out)
{
    fputs(_("\nformats (for --format; not every command has every one):\n"), out);
    const format_t *f;
    for (size_t i = 0; (f = format_at(i)); i++)
        cli_item(out, f->name, 30, _(f->help));
    fputs(_("\nmetrics (for --metric):\n"), out);
    /* in Swedish the metrics' Swedish labels; otherwise their English definitions */
    bool sv = i18n_lang() && strcmp(i18n_lang(), "sv") == 0;
    for (size_t i = 0; i < metric_count; i++)
        cli_item(out, metric_table[i].name, 30,
                 sv ? metric_table[i].label : metric_table[i].doc);
}

#define A(f) offsetof(args_t, f)
static const cli_opt_t s_opts[] = {
    {"period", CLI_ARG, A(period)}, {"metric", CLI_ARG, A(metric)},
    {"format", CLI_ARG, A(format)}, {"year", CLI_ARG, A(year)},
    {"orgnr", CLI_ARG, A(orgnr)},   {"from", CLI_ARG, A(from)},
    {"to", CLI_ARG, A(to)},         {"revision", CLI_ARG, A(revision)},
    {"output", CLI_ARG, A(output)}, {"group", CLI_ARG, A(group)},
    {"by", CLI_ARG, A(by)},         {"years", CLI_ARG, A(years)},
    {"insats", CLI_ARG, A(insats)},
    {"long", CLI_FLAG, A(long_form)}, {"lang", CLI_ARG, A(lang)},
};

static const cli_t s_cli = {
    .prog = PROG,
    .version = SAMLA_VERSION,
    .synopsis = "--config FILE COMMAND [options]",
    .more = s_usage_lists,
    .globals = "--lang",
    .epilogue =
        N_("\n--lang en (compare's table): the metrics' English names and the earlier\n"
        "layout, metrics as rows; the default is board Swedish, förbund as rows.\n"
        "\n--long (compare, export; csv or json): the long form for R and pandas, one\n"
        "row per förbund, period and metric with its unit.\n"
        "\n--group NAME limits the förbund, aggregates and ranks to a comparison group\n"
        "of samlad's config (default: every förbund of the daemon).\n"
        "\nexit codes: 0 ok, 64 usage, 69 samlad unavailable, 73 cannot write --output,\n"
        "  75 try again, 77 key refused, 78 bad configuration\n"),
    CLI_TABLES(s_opts, args_t, config, s_commands),
};
#undef A

/* The checks between options that the table cannot say. */
static int s_check_args(const command_t *cmd, const args_t *a)
{
    if (!a->config) {
        err_print(PROG, "--config FILE is required\n");
        return EX_USAGE;
    }
    if (a->lang && !i18n_known(a->lang)) {
        err_print(PROG, "--lang is sv or en (got '%s')\n", a->lang);
        return EX_USAGE;
    }
    bool long_ok = strcmp(cmd->cli.name, "compare") == 0 || strcmp(cmd->cli.name, "export") == 0;
    if (a->long_form && !long_ok) {
        err_print(PROG, "--long is for compare and export\n");
        return EX_USAGE;
    }
    if (a->long_form && (!a->format || (strncmp(a->format, "csv", 3) != 0 &&
                                        strcmp(a->format, "json") != 0))) {
        err_print(PROG, "--long goes with --format csv, csv-sv or json\n");
        return EX_USAGE;
    }
    return 0;
}

int main(int argc, char **argv)
{
    args_t a = {0};
    i18n_init(cli_peek(argc, argv, "lang")); /* before anything is said */
    cli_result_t r = cli_parse(&s_cli, argc, argv, &a);
    if (!r.cmd)
        return r.exit_code;
    const command_t *cmd = (const command_t *)r.cmd;
    int rc = s_check_args(cmd, &a);
    if (rc)
        return rc;
    zsys_handler_set(NULL);
    samla_err_t err;
    config_t cfg;
    analyst_cfg_t c = {0};
    if (cfg_open(&cfg, a.config, &err)) {
        err_print(PROG, "%s\n", err.msg);
        return EX_CONFIG;
    }
    rc = cfg_apply(config_root_setting(&cfg), a.config, s_fields, N_FIELDS, &c, &err);
    config_destroy(&cfg);
    if (rc) {
        err_print(PROG, "%s\n", err.msg);
        cfg_free(s_fields, N_FIELDS, &c);
        return EX_CONFIG;
    }
    c.group = a.group;
    a.english = i18n_lang() && strcmp(i18n_lang(), "en") == 0;
    rc = cmd->run ? cmd->run(&c, &a) : s_ask_and_write(cmd, &c, &a);
    cfg_free(s_fields, N_FIELDS, &c);
    mshow_forget();
    return rc;
}
