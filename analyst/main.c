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

#include "render.h"
#include "report.h"
#include "xlsx.h"
#include "samla/cfg.h"
#include "samla/cli.h"
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
    const char *output, *group, *by, *years;
    bool long_form; /* --long: one row per förbund, period and metric */
    const char *lang; /* --lang en: compare's table with the metrics' English names */
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
        fprintf(stderr, PROG ": %s\n", err.msg);
        return EX_CONFIG;
    }
    int ep = curve_endpoint_check(c->server, &err);
    if (ep != CURVE_EP_OK) {
        fprintf(stderr, PROG ": server: %s\n", err.msg);
        return ep == CURVE_EP_SCHEME ? EX_CONFIG : EX_UNAVAILABLE;
    }
    if (curve_connect(cc, c->server, &server, &own, 0, &err)) {
        fprintf(stderr, PROG ": %s\n", err.msg);
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

/* Every value of a Compare (and of an export's months) named, as the renderers read them. */
static int s_name_reply(const Samla__V1__Reply *r)
{
    int rc = s_name_compare(r->compare, r);
    for (size_t i = 0; r->export && i < r->export->n_months; i++)
        rc |= s_name_compare(r->export->months[i], r);
    return rc;
}

static int s_take_reply(zmq_msg_t *m, Samla__V1__Reply **reply)
{
    *reply = samla__v1__reply__unpack(NULL, zmq_msg_size(m), zmq_msg_data(m));
    if (!*reply) {
        fprintf(stderr, PROG ": samlad sent a reply that is not a samla.v1.Reply\n");
        return EX_PROTOCOL;
    }
    if ((*reply)->has_error) {
        fprintf(stderr, PROG ": samlad: %s\n",
                (*reply)->error_message ? (*reply)->error_message : "error");
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
        fprintf(stderr, PROG ": samlad sent values its catalogue does not name\n");
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
    grouped.has_names_once = grouped.names_once = 1; /* s_name_reply names them */
    size_t len;
    uint8_t *buf = wire_pack((const ProtobufCMessage *)&grouped, &len);
    rc = EX_UNAVAILABLE;
    if (!buf || zmq_send(cc.sock, buf, len, 0) < 0) {
        fprintf(stderr, PROG ": cannot send the query: %s\n", zmq_strerror(zmq_errno()));
        goto done;
    }
    int64_t deadline = zclock_mono() + c->timeout * 1000;
    while (zclock_mono() < deadline) {
        zmq_pollitem_t items[2] = {{cc.sock, 0, ZMQ_POLLIN, 0}, {cc.monitor, 0, ZMQ_POLLIN, 0}};
        if (zmq_poll(items, 2, (long)(deadline - zclock_mono())) < 0)
            continue;
        if ((items[1].revents & ZMQ_POLLIN) &&
            curve_monitor_event(&cc) == ZMQ_EVENT_HANDSHAKE_FAILED_AUTH) {
            fprintf(stderr, PROG ": samlad at %s refused this key (%s)\n", c->server,
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
                fprintf(stderr, PROG ": cannot read samlad's reply: %s\n",
                        zmq_strerror(zmq_errno()));
                rc = EX_PROTOCOL;
            }
            zmq_msg_close(&m);
            goto done;
        }
    }
    fprintf(stderr, PROG ": no answer from samlad at %s within %lld s\n", c->server,
            c->timeout);
done:
    free(buf);
    curve_close(&cc);
    return rc;
}

/* The output format: table (the default), csv or json; NULL after a usage message. */
static const char *s_format(const args_t *a, bool table_ok)
{
    const char *fmt = a->format ? a->format : table_ok ? "table" : NULL;
    if (!fmt) {
        fprintf(stderr, PROG ": --format csv, json or xlsx is required\n");
        return NULL;
    }
    if (strcmp(fmt, "xlsx") == 0 && !a->output) {
        fprintf(stderr, PROG ": --format xlsx needs --output FILE.xlsx\n");
        return NULL;
    }
    if ((table_ok && strcmp(fmt, "table") == 0) || strcmp(fmt, "csv") == 0 ||
        strcmp(fmt, "csv-sv") == 0 || strcmp(fmt, "json") == 0 || strcmp(fmt, "xlsx") == 0)
        return fmt;
    fprintf(stderr, PROG ": --format is %scsv, csv-sv, json or xlsx (got '%s')\n",
            table_ok ? "table, " : "", fmt);
    return NULL;
}

/* --format csv or csv-sv: a CSV writer on standard output in that dialect (csvw.h). */
static csvw_t *s_csv(csvw_t *w, const char *fmt)
{
    csvw_start(w, stdout, strcmp(fmt, "csv-sv") == 0);
    return w;
}

/* --format xlsx: the reply's sheets into the workbook --output names (xlsx.h). */
static int s_xlsx(const args_t *a, const Samla__V1__Reply *r)
{
    samla_err_t err;
    xlsx_t *x = xlsx_open(a->output, &err);
    if (!x) {
        fprintf(stderr, PROG ": %s\n", err.msg);
        return EX_CANTCREAT;
    }
    if (r->compare)
        xlsx_compare(x, r->compare);
    else if (r->export)
        xlsx_export(x, r->export);
    else if (r->trend)
        xlsx_trend(x, r->trend);
    else if (r->status)
        xlsx_status(x, r->status);
    else if (r->areas)
        xlsx_areas(x, r->areas);
    else if (r->participants)
        xlsx_parts(x, r->participants);
    else if (r->overview)
        xlsx_overview(x, r->overview);
    if (xlsx_close(x, &err)) {
        fprintf(stderr, PROG ": %s\n", err.msg);
        return EX_CANTCREAT;
    }
    printf("wrote %s\n", a->output);
    return 0;
}

/* Prints an answer in the chosen format (the commands without options of their own to
 * print: status, trend, areas, participants, overview) and frees it. EX_PROTOCOL when the
 * reply does not hold the part asked for. */
static int s_show(const args_t *a, const char *fmt, Samla__V1__Reply *reply)
{
    csvw_t w;
    bool json = strcmp(fmt, "json") == 0, csv = strncmp(fmt, "csv", 3) == 0;
    int rc = 0;
    if (strcmp(fmt, "xlsx") == 0 && (reply->status || reply->trend || reply->areas ||
                                     reply->participants || reply->overview))
        rc = s_xlsx(a, reply);
    else if (reply->status)
        json  ? render_status_json(reply->status, stdout)
        : csv ? render_status_csv(reply->status, s_csv(&w, fmt))
              : render_status_table(reply->status, isatty(STDOUT_FILENO), stdout);
    else if (reply->trend)
        json  ? render_trend_json(reply->trend, stdout)
        : csv ? render_trend_csv(reply->trend, s_csv(&w, fmt))
              : render_trend_table(reply->trend, isatty(STDOUT_FILENO), stdout);
    else if (reply->areas)
        json  ? render_areas_json(reply->areas, stdout)
        : csv ? render_areas_csv(reply->areas, s_csv(&w, fmt))
              : render_areas_table(reply->areas, stdout);
    else if (reply->participants)
        json  ? render_parts_json(reply->participants, stdout)
        : csv ? render_parts_csv(reply->participants, s_csv(&w, fmt))
              : render_parts_table(reply->participants, stdout);
    else if (reply->overview)
        json  ? render_overview_json(reply->overview, stdout)
        : csv ? render_overview_csv(reply->overview, s_csv(&w, fmt))
              : render_overview_table(reply->overview, stdout);
    else
        rc = EX_PROTOCOL;
    samla__v1__reply__free_unpacked(reply, NULL);
    return rc;
}

static int s_year(const args_t *a, uint32_t *year)
{
    char *end;
    long y = a->year ? strtol(a->year, &end, 10) : 0;
    if (!a->year || *end || y < 1900 || y > 2999) {
        fprintf(stderr, PROG ": --year YYYY is required\n");
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
        fprintf(stderr, PROG ": --years is a number of years, 1 to 20 (got '%s')\n", a->years);
        return EX_USAGE;
    }
    q->has_years = 1;
    q->years = (uint32_t)n;
    return 0;
}

static int cmd_status(const analyst_cfg_t *c, const args_t *a)
{
    Samla__V1__Query q = SAMLA__V1__QUERY__INIT;
    const char *fmt = s_format(a, true);
    if (!fmt || s_year(a, &q.year))
        return EX_USAGE;
    q.kind = SAMLA__V1__QUERY_KIND__QUERY_STATUS;
    q.has_year = 1;
    Samla__V1__Reply *reply = NULL;
    int rc = s_ask(c, &q, &reply);
    if (rc)
        return rc;
    return s_show(a, fmt, reply);
}

static int cmd_trend(const analyst_cfg_t *c, const args_t *a)
{
    const char *fmt = s_format(a, true);
    if (!fmt)
        return EX_USAGE;
    period_t p;
    if (!a->orgnr || !a->metric || !metric_find(a->metric)) {
        fprintf(stderr, PROG ": trend needs --orgnr ORGNR and --metric NAME (see --help)\n");
        return EX_USAGE;
    }
    if ((a->from && period_parse(a->from, &p)) || (a->to && period_parse(a->to, &p))) {
        fprintf(stderr, PROG ": --from and --to are YYYY-MM\n");
        return EX_USAGE;
    }
    Samla__V1__Query q = SAMLA__V1__QUERY__INIT;
    q.kind = SAMLA__V1__QUERY_KIND__QUERY_TREND;
    q.orgnr = (char *)a->orgnr;
    q.metric = (char *)a->metric;
    q.from = (char *)a->from;
    q.to = (char *)a->to;
    if (a->revision) {
        char *end;
        long r = strtol(a->revision, &end, 10);
        if (*end || r < 1 || r > 1000000) {
            fprintf(stderr, PROG ": --revision is a number from 1\n");
            return EX_USAGE;
        }
        q.has_revision = 1;
        q.revision = (uint32_t)r;
    }
    Samla__V1__Reply *reply = NULL;
    int rc = s_ask(c, &q, &reply);
    if (rc)
        return rc;
    return s_show(a, fmt, reply);
}

static int cmd_export(const analyst_cfg_t *c, const args_t *a)
{
    Samla__V1__Query q = SAMLA__V1__QUERY__INIT;
    const char *fmt = s_format(a, false);
    if (!fmt || s_year(a, &q.year) || s_years(a, &q))
        return EX_USAGE;
    if (q.has_years && strcmp(fmt, "json") != 0) {
        fprintf(stderr, PROG ": export --years (each förbund's overview) needs --format json\n");
        return EX_USAGE;
    }
    q.kind = SAMLA__V1__QUERY_KIND__QUERY_EXPORT;
    q.has_year = 1;
    Samla__V1__Reply *reply = NULL;
    int rc = s_ask(c, &q, &reply);
    if (rc)
        return rc;
    if (!reply->export) {
        samla__v1__reply__free_unpacked(reply, NULL);
        return EX_PROTOCOL;
    }
    csvw_t w;
    if (strcmp(fmt, "xlsx") == 0) {
        int xrc = s_xlsx(a, reply);
        samla__v1__reply__free_unpacked(reply, NULL);
        return xrc;
    }
    if (a->long_form && strcmp(fmt, "json") == 0)
        render_long_json(reply->export->months, reply->export->n_months, stdout);
    else if (a->long_form)
        render_long_csv(reply->export->months, reply->export->n_months, s_csv(&w, fmt));
    else if (strcmp(fmt, "json") == 0)
        render_export_json(reply->export, stdout);
    else
        render_export_csv(reply->export, s_csv(&w, fmt));
    samla__v1__reply__free_unpacked(reply, NULL);
    return 0;
}

/* Opens path.tmp for a report; *tmp gets its name. NULL (and a message) when it cannot. */
static FILE *s_report_open(const char *path, char *tmp, size_t size)
{
    if (text_fmt(tmp, size, "%s.tmp", path)) {
        fprintf(stderr, PROG ": --output %s: the path is too long\n", path);
        return NULL;
    }
    FILE *fp = fopen(tmp, "w");
    if (!fp)
        fprintf(stderr, PROG ": cannot write %s: %s\n", tmp, strerror(errno));
    return fp;
}

/* Closes and renames a report written with s_report_open, so a reader never sees half
 * of one. 0 or EX_CANTCREAT. */
static int s_report_close(FILE *fp, const char *tmp, const char *path)
{
    if (fclose(fp) != 0 || rename(tmp, path) != 0) {
        fprintf(stderr, PROG ": cannot write %s: %s\n", path, strerror(errno));
        unlink(tmp);
        return EX_CANTCREAT;
    }
    printf("wrote %s\n", path);
    return 0;
}

/* report --orgnr ORGNR --period YYYY-MM: one förbund's monthly follow-up. */
static int s_report_forbund(const analyst_cfg_t *c, const args_t *a)
{
    period_t p;
    if (!a->period || period_parse(a->period, &p)) {
        fprintf(stderr, PROG ": report --orgnr needs --period YYYY-MM\n");
        return EX_USAGE;
    }
    Samla__V1__Query q = SAMLA__V1__QUERY__INIT;
    Samla__V1__Reply *cmp = NULL, *areas = NULL, *parts = NULL;
    q.period = (char *)a->period;
    q.kind = SAMLA__V1__QUERY_KIND__QUERY_COMPARE;
    int rc = s_ask(c, &q, &cmp);
    q.orgnr = (char *)a->orgnr;
    q.kind = SAMLA__V1__QUERY_KIND__QUERY_AREAS;
    if (rc == 0)
        rc = s_ask(c, &q, &areas);
    q.kind = SAMLA__V1__QUERY_KIND__QUERY_PARTICIPANTS;
    q.by = "avslut";
    if (rc == 0)
        rc = s_ask(c, &q, &parts);
    if (rc == 0 && (!cmp->compare || !areas->areas || !parts->participants))
        rc = EX_PROTOCOL;
    char tmp[4200];
    FILE *fp = rc == 0 ? s_report_open(a->output, tmp, sizeof tmp) : NULL;
    if (rc == 0 && !fp)
        rc = EX_CANTCREAT;
    if (fp) {
        if (report_forbund_html(cmp->compare, areas->areas->orgnr, areas->areas,
                                parts->participants, fp)) {
            fprintf(stderr, PROG ": %s is not a förbund of the group\n", a->orgnr);
            fclose(fp);
            unlink(tmp);
            rc = EX_USAGE;
        } else {
            rc = s_report_close(fp, tmp, a->output);
        }
    }
    Samla__V1__Reply *replies[] = {cmp, areas, parts};
    for (size_t i = 0; i < 3; i++)
        if (replies[i])
            samla__v1__reply__free_unpacked(replies[i], NULL);
    return rc;
}

static int cmd_report(const analyst_cfg_t *c, const args_t *a)
{
    Samla__V1__Query q = SAMLA__V1__QUERY__INIT;
    if (!a->output) {
        fprintf(stderr, PROG ": report needs --output FILE.html\n");
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
    char tmp[4200];
    FILE *fp = rc == 0 ? s_report_open(a->output, tmp, sizeof tmp) : NULL;
    if (rc == 0 && !fp)
        rc = EX_CANTCREAT;
    if (fp) {
        report_html(exp->export, st->status, goals ? goals->compare : NULL, fp);
        rc = s_report_close(fp, tmp, a->output);
    }
    if (exp)
        samla__v1__reply__free_unpacked(exp, NULL);
    if (st)
        samla__v1__reply__free_unpacked(st, NULL);
    if (goals)
        samla__v1__reply__free_unpacked(goals, NULL);
    return rc;
}

static int cmd_compare(const analyst_cfg_t *c, const args_t *a)
{
    period_t p;
    if (!a->period || period_parse(a->period, &p)) {
        fprintf(stderr, PROG ": compare needs --period YYYY-MM\n");
        return EX_USAGE;
    }
    if (a->metric && !metric_find(a->metric)) {
        fprintf(stderr, PROG ": unknown metric '%s'; the metrics are:\n", a->metric);
        for (size_t i = 0; i < metric_count; i++)
            cli_item(stderr, metric_table[i].name, 30, metric_table[i].doc);
        return EX_USAGE;
    }
    const char *fmt = s_format(a, true);
    if (!fmt)
        return EX_USAGE;
    Samla__V1__Query q = SAMLA__V1__QUERY__INIT;
    q.kind = SAMLA__V1__QUERY_KIND__QUERY_COMPARE;
    q.period = (char *)a->period;
    q.metric = (char *)a->metric;
    Samla__V1__Reply *reply = NULL;
    int rc = s_ask(c, &q, &reply);
    if (rc)
        return rc;
    if (!reply->compare) {
        fprintf(stderr, PROG ": samlad's reply holds no comparison\n");
        samla__v1__reply__free_unpacked(reply, NULL);
        return EX_PROTOCOL;
    }
    bool ranked = a->metric != NULL;
    csvw_t w;
    if (strcmp(fmt, "xlsx") == 0) {
        int xrc = s_xlsx(a, reply);
        samla__v1__reply__free_unpacked(reply, NULL);
        return xrc;
    }
    if (a->long_form && strcmp(fmt, "json") == 0)
        render_long_json(&reply->compare, 1, stdout);
    else if (a->long_form && strncmp(fmt, "csv", 3) == 0)
        render_long_csv(&reply->compare, 1, s_csv(&w, fmt));
    else if (strcmp(fmt, "json") == 0)
        render_compare_json(reply->compare, ranked, stdout);
    else if (strncmp(fmt, "csv", 3) == 0)
        render_compare_csv(reply->compare, ranked, s_csv(&w, fmt));
    else
        if (ranked || (a->lang && strcmp(a->lang, "en") == 0))
            render_compare_table(reply->compare, ranked, isatty(STDOUT_FILENO), stdout);
        else
            render_compare_board(reply->compare, isatty(STDOUT_FILENO), stdout);
    samla__v1__reply__free_unpacked(reply, NULL);
    return 0;
}

typedef struct {
    cli_cmd_t cli; /* first: cli_parse returns it */
    int (*fn)(const analyst_cfg_t *c, const args_t *a);
} command_t;

static int cmd_areas(const analyst_cfg_t *c, const args_t *a)
{
    Samla__V1__Query q = SAMLA__V1__QUERY__INIT;
    const char *fmt = s_format(a, true);
    if (!fmt)
        return EX_USAGE;
    if (!a->orgnr || !a->period) {
        fprintf(stderr, PROG ": areas needs --orgnr ORGNR and --period YYYY-MM (see --help)\n");
        return EX_USAGE;
    }
    q.kind = SAMLA__V1__QUERY_KIND__QUERY_AREAS;
    q.orgnr = (char *)a->orgnr;
    q.period = (char *)a->period;
    Samla__V1__Reply *reply = NULL;
    int rc = s_ask(c, &q, &reply);
    if (rc)
        return rc;
    return s_show(a, fmt, reply);
}

static int cmd_participants(const analyst_cfg_t *c, const args_t *a)
{
    Samla__V1__Query q = SAMLA__V1__QUERY__INIT;
    const char *fmt = s_format(a, true);
    if (!fmt)
        return EX_USAGE;
    if (!a->period || !a->by) {
        fprintf(stderr, PROG ": participants needs --period YYYY-MM and --by insats|typ|avslut|"
                        "alder|forsorjning_start|forsorjning_avslut (see --help)\n");
        return EX_USAGE;
    }
    q.kind = SAMLA__V1__QUERY_KIND__QUERY_PARTICIPANTS;
    q.orgnr = (char *)a->orgnr;
    q.period = (char *)a->period;
    q.by = (char *)a->by;
    Samla__V1__Reply *reply = NULL;
    int rc = s_ask(c, &q, &reply);
    if (rc)
        return rc;
    return s_show(a, fmt, reply);
}

static int cmd_overview(const analyst_cfg_t *c, const args_t *a)
{
    Samla__V1__Query q = SAMLA__V1__QUERY__INIT;
    const char *fmt = s_format(a, true);
    if (!fmt)
        return EX_USAGE;
    if (!a->orgnr) {
        fprintf(stderr, PROG ": overview needs --orgnr ORGNR (see --help)\n");
        return EX_USAGE;
    }
    if ((a->year && s_year(a, &q.year)) || s_years(a, &q))
        return EX_USAGE;
    q.has_year = a->year != NULL;
    q.kind = SAMLA__V1__QUERY_KIND__QUERY_OVERVIEW;
    q.orgnr = (char *)a->orgnr;
    Samla__V1__Reply *reply = NULL;
    int rc = s_ask(c, &q, &reply);
    if (rc)
        return rc;
    return s_show(a, fmt, reply);
}

static const command_t s_commands[] = {
    {{"compare", "--config FILE compare --period YYYY-MM [--metric NAME] [--group NAME] "
      "[--format FORMAT]",
      "every metric of every förbund for one month, with region aggregates", false},
     cmd_compare},
    {{"trend", "--config FILE trend --orgnr ORGNR --metric NAME [--from YYYY-MM] [--to YYYY-MM] "
      "[--revision N] [--group NAME] [--format FORMAT]",
      "one förbund's metric month by month, beside the region median", false},
     cmd_trend},
    {{"status", "--config FILE status --year YYYY [--group NAME] [--format FORMAT]",
      "which förbund have reported which months, with revision counts", false},
     cmd_status},
    {{"export", "--config FILE export --year YYYY [--group NAME] [--years N] "
      "--format csv|csv-sv|json|xlsx",
      "every metric of every förbund and month; --years N (json) adds each förbund's "
      "overview of N years up to YYYY", false},
     cmd_export},
    {{"areas", "--config FILE areas --orgnr ORGNR --period YYYY-MM [--format FORMAT]",
      "a förbund's driftsredovisning: per cost area outcome, budget, deviation, budget for "
      "the year and forecast, to date, with totals per class", false},
     cmd_areas},
    {{"participants", "--config FILE participants --period YYYY-MM --by insats|typ|avslut|alder|"
      "forsorjning_start|forsorjning_avslut [--orgnr ORGNR] [--group NAME] "
      "[--format FORMAT]",
      "participants to date by exit reason, age band, support, kind or intervention: "
      "women, men, unspecified and total per förbund and for the group", false},
     cmd_participants},
    {{"overview", "--config FILE overview --orgnr ORGNR [--years N] [--year YYYY] "
      "[--format FORMAT]",
      "a förbund's years side by side (default the last 5 with a report): contributions, "
      "external funding, costs, result, equity, solidity, participants", false},
     cmd_overview},
    {{"report", "--config FILE report --year YYYY [--group NAME] --output FILE.html\n"
      "--config FILE report --orgnr ORGNR --period YYYY-MM [--group NAME] "
      "--output FILE.html",
      "a self-contained HTML report with charts (no network needed to view it); with "
      "--orgnr, one förbund's monthly follow-up for its board", false},
     cmd_report},
};

static void s_usage_metrics(FILE *out)
{
    fprintf(out, "\nmetrics (for --metric):\n");
    for (size_t i = 0; i < metric_count; i++)
        cli_item(out, metric_table[i].name, 30, metric_table[i].doc);
}

#define A(f) offsetof(args_t, f)
static const cli_opt_t s_opts[] = {
    {"period", CLI_ARG, A(period)}, {"metric", CLI_ARG, A(metric)},
    {"format", CLI_ARG, A(format)}, {"year", CLI_ARG, A(year)},
    {"orgnr", CLI_ARG, A(orgnr)},   {"from", CLI_ARG, A(from)},
    {"to", CLI_ARG, A(to)},         {"revision", CLI_ARG, A(revision)},
    {"output", CLI_ARG, A(output)}, {"group", CLI_ARG, A(group)},
    {"by", CLI_ARG, A(by)},         {"years", CLI_ARG, A(years)},
    {"long", CLI_FLAG, A(long_form)}, {"lang", CLI_ARG, A(lang)},
};

static const cli_t s_cli = {
    .prog = PROG,
    .version = SAMLA_VERSION,
    .synopsis = "--config FILE COMMAND [options]",
    .more = s_usage_metrics,
    .epilogue =
        "\n--format FORMAT: table (the default, 100 columns), csv (for programs: commas,\n"
        "decimal point, every digit), csv-sv (for Swedish Excel: semicolons, decimal\n"
        "comma, UTF-8 with BOM, whole kronor), json, or xlsx with --output FILE.xlsx.\n"
        "\n--lang en (compare's table): the metrics' English names and the earlier\n"
        "layout, metrics as rows; the default is board Swedish, förbund as rows.\n"
        "\n--long (compare, export; csv or json): the long form for R and pandas, one\n"
        "row per förbund, period and metric with its unit.\n"
        "\n--group NAME limits the förbund, aggregates and ranks to a comparison group\n"
        "of samlad's config (default: every förbund of the daemon).\n"
        "\nexit codes: 0 ok, 64 usage, 69 samlad unavailable, 73 cannot write --output,\n"
        "  75 try again, 77 key refused, 78 bad configuration\n",
    CLI_TABLES(s_opts, args_t, config, s_commands),
};
#undef A

/* The checks between options that the table cannot say. */
static int s_check_args(const command_t *cmd, const args_t *a)
{
    if (!a->config) {
        fprintf(stderr, PROG ": --config FILE is required\n");
        return EX_USAGE;
    }
    if (a->lang && strcmp(a->lang, "sv") != 0 && strcmp(a->lang, "en") != 0) {
        fprintf(stderr, PROG ": --lang is sv or en (got '%s')\n", a->lang);
        return EX_USAGE;
    }
    bool long_ok = strcmp(cmd->cli.name, "compare") == 0 || strcmp(cmd->cli.name, "export") == 0;
    if (a->long_form && !long_ok) {
        fprintf(stderr, PROG ": --long is for compare and export\n");
        return EX_USAGE;
    }
    if (a->long_form && (!a->format || (strncmp(a->format, "csv", 3) != 0 &&
                                        strcmp(a->format, "json") != 0))) {
        fprintf(stderr, PROG ": --long goes with --format csv, csv-sv or json\n");
        return EX_USAGE;
    }
    return 0;
}

int main(int argc, char **argv)
{
    args_t a = {0};
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
        fprintf(stderr, PROG ": %s\n", err.msg);
        return EX_CONFIG;
    }
    rc = cfg_apply(config_root_setting(&cfg), a.config, s_fields, N_FIELDS, &c, &err);
    config_destroy(&cfg);
    if (rc) {
        fprintf(stderr, PROG ": %s\n", err.msg);
        cfg_free(s_fields, N_FIELDS, &c);
        return EX_CONFIG;
    }
    c.group = a.group;
    rc = cmd->fn(&c, &a);
    cfg_free(s_fields, N_FIELDS, &c);
    mshow_forget();
    return rc;
}
