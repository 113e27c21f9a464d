/* samla-agent: reads a förbund's month-end ledger (SIE) and participant counts (CSV),
 * validates them and delivers them to samlad. See `samla-agent --help`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include "client.h"
#include "inbox.h"
#include "mapping.h"
#include "outbox.h"
#include "forecast.h"
#include "partcsv.h"
#include "report.h"
#include "samla/cfg.h"
#include "samla/cli.h"
#include "samla/i18n.h"
#include "samla/curve.h"
#include "samla/keys.h"
#include "samla/subcheck.h"
#include "samla/text.h"
#include "samla/wire.h"
#include "sie.h"

#define PROG "samla-agent"

typedef struct {
    char *orgnr, *server, *server_public_key, *secret_key, *outbox, *inbox, *query_server;
    long long timeout, outbox_max, inbox_settle;
    mapping_t *mapping;
    char *file;
} agent_cfg_t;

#define O(f) offsetof(agent_cfg_t, f)
static const cfg_field_t s_fields[] = {
    {"orgnr", CFG_STR, true, NULL, 0, 0, 0, O(orgnr), "this förbund's organisation number"},
    {"server", CFG_STR, false, NULL, 0, 0, 0, O(server), "samlad's submission endpoint"},
    {"server_public_key", CFG_PATH, false, NULL, 0, 0, 0, O(server_public_key),
     "samlad's public key file"},
    {"secret_key", CFG_PATH, false, NULL, 0, 0, 0, O(secret_key), "this agent's secret key"},
    {"outbox", CFG_PATH, false, "outbox", 0, 0, 0, O(outbox), "folder for queued submissions"},
    {"timeout", CFG_INT, false, NULL, 30, 1, 86400, O(timeout), "seconds to wait for an ACK"},
    {"outbox_max", CFG_INT, false, NULL, OUTBOX_MAX_ENTRIES, 1, 1000000, O(outbox_max),
     "most submissions the outbox holds"},
    {"mapping", CFG_GROUP, false, NULL, 0, 0, 0, 0, "account mapping and cost-area classes"},
    {"inbox", CFG_PATH, false, NULL, 0, 0, 0, O(inbox),
     "folder the economist saves the month's files into (samla-agent inbox)"},
    {"inbox_settle", CFG_INT, false, NULL, 10, 0, 3600, O(inbox_settle),
     "seconds a file in the inbox must be unchanged before it is taken"},
    {"query_server", CFG_STR, false, NULL, 0, 0, 0, O(query_server),
     "samlad's query endpoint: the inbox adds the förbund's monthly report"},
};
#undef O
#define N_FIELDS (sizeof s_fields / sizeof s_fields[0])

typedef struct {
    const char *config, *period, *sie, *participants, *emit, *format, *forecast;
    const char *lang; /* --lang sv|en: the messages' language (i18n.h) */
} args_t;

static void s_cfg_free(agent_cfg_t *c)
{
    cfg_free(s_fields, N_FIELDS, c);
    mapping_destroy(&c->mapping);
}

static int s_cfg_load(const char *file, agent_cfg_t *c)
{
    memset(c, 0, sizeof *c);
    c->file = (char *)file;
    samla_err_t err;
    config_t cfg;
    if (!file) {
        err_print(PROG, "--config FILE is required\n");
        return EX_USAGE;
    }
    if (cfg_open(&cfg, file, &err)) {
        err_print(PROG, "%s\n", err.msg);
        return EX_CONFIG;
    }
    int rc = cfg_apply(config_root_setting(&cfg), file, s_fields, N_FIELDS, c, &err);
    char canon[12];
    if (rc == 0 && text_orgnr_canonical(c->orgnr, strlen(c->orgnr), canon) == 0) {
        free(c->orgnr);
        c->orgnr = strdup(canon);
    } else if (rc == 0) {
        rc = err_set(&err, "%s: orgnr '%s' is not an organisation number (NNNNNN-NNNN)", file,
                     c->orgnr);
    }
    c->mapping = mapping_new();
    config_setting_t *m = config_lookup(&cfg, "mapping");
    if (rc == 0 && m && mapping_configure(c->mapping, m, file, &err))
        rc = -1;
    config_destroy(&cfg);
    if (rc) {
        err_print(PROG, "%s\n", err.msg);
        s_cfg_free(c);
        return EX_CONFIG;
    }
    return 0;
}

/* Reads and validates the inputs and builds the report. Returns an exit code; on 0 the
 * caller owns *sie, *parts and *rep. */
static int s_prepare(const agent_cfg_t *c, const args_t *a, sie_t **sie, part_table_t *parts,
                     report_t **rep, diag_t **keep)
{
    period_t p;
    if (!a->period || period_parse(a->period, &p)) {
        err_print(PROG, "--period YYYY-MM is required (got '%s')\n",
                a->period ? a->period : "");
        return EX_USAGE;
    }
    if (!a->sie) {
        err_print(PROG, "--sie LEDGER.se is required\n");
        return EX_USAGE;
    }
    if (period_in_future(p, time(NULL))) { /* samlad refuses it too (ACK_INVALID) */
        err_print(PROG, "period %s is later than next month: a month-end report for it "
                        "cannot exist yet; nothing was queued\n", a->period);
        return EX_DATAERR;
    }
    diag_t *d = diag_new();
    int missing = 0, rc = 0;
    memset(parts, 0, sizeof *parts);
    *rep = NULL;
    *sie = sie_read_file(a->sie, d, &missing);
    if (*sie && sie_orgnr(*sie) && strcmp(sie_orgnr(*sie), c->orgnr) != 0)
        diag_add(d, DIAG_ERROR, a->sie, 0,
                 "#ORGNR %s is not this agent's organisation number %s (%s)", sie_orgnr(*sie),
                 c->orgnr, c->file);
    else if (*sie && !sie_orgnr(*sie))
        diag_add(d, DIAG_ERROR, a->sie, 0, "no #ORGNR: cannot tell whose books these are");
    int part_missing = 0, fc_missing = 0;
    forecast_t fc = {0};
    if (a->participants)
        partcsv_read(a->participants, parts, d, &part_missing);
    if (a->forecast)
        forecast_read(a->forecast, &fc, d, &fc_missing);
    if (*sie && diag_errors(d) == 0)
        *rep = report_build(*sie, c->mapping, a->participants ? parts : NULL, p, c->orgnr, d);
    if (*rep && a->forecast)
        report_apply_forecast(*rep, &fc, a->forecast, d);
    forecast_free(&fc);
    /* What samlad would refuse is refused here, before anything is queued. */
    if (*rep)
        subcheck_submission(report_submission(*rep), NULL, d);
    if (missing || part_missing || fc_missing)
        rc = EX_NOINPUT;
    else if (diag_errors(d) || !*rep)
        rc = EX_DATAERR;
    if (rc || !keep)
        diag_print(d, PROG, stderr);
    if (rc) {
        err_print(PROG, "%zu problem%s; nothing was queued or sent\n", diag_errors(d),
                diag_errors(d) == 1 ? "" : "s");
        report_destroy(rep);
        sie_destroy(sie);
        partcsv_free(parts);
    }
    if (rc == 0 && keep)
        *keep = d; /* the caller shows the warnings its own way */
    else
        diag_destroy(&d);
    return rc;
}

static int s_write_file(const char *path, const uint8_t *data, size_t len)
{
    FILE *fp = fopen(path, "wb");
    if (!fp || fwrite(data, 1, len, fp) != len || fclose(fp) != 0) {
        err_print(PROG, "cannot write %s\n", path);
        return EX_CANTCREAT;
    }
    return 0;
}

static int cmd_check(const agent_cfg_t *c, const args_t *a)
{
    sie_t *sie;
    part_table_t parts;
    report_t *rep;
    diag_t *d = NULL;
    bool json = a->format && strcmp(a->format, "json") == 0;
    if (a->format && !json && strcmp(a->format, "table") != 0) {
        err_print(PROG, "--format is table or json\n");
        return EX_USAGE;
    }
    int rc = s_prepare(c, a, &sie, &parts, &rep, json ? &d : NULL);
    if (rc)
        return rc;
    if (json)
        rc = report_print_json(rep, d, stdout) ? EX_IOERR : 0;
    else
        report_print(rep, a->sie, stdout);
    diag_destroy(&d);
    if (a->emit) {
        size_t len;
        uint8_t *buf = wire_pack((const ProtobufCMessage *)report_submission(rep), &len);
        rc = buf ? s_write_file(a->emit, buf, len) : EX_OSERR;
        if (rc == 0)
            fprintf(json ? stderr : stdout,
                    "\nWrote the encoded samla.v1.Submission (%zu bytes) to %s\n", len, a->emit);
        free(buf);
    }
    report_destroy(&rep);
    sie_destroy(&sie);
    partcsv_free(&parts);
    return rc;
}

/* Everything delivery needs from the configuration, checked before anything is queued:
 * a push that cannot be delivered for a reason of configuration queues nothing. */
static int s_delivery_setup(const agent_cfg_t *c, keypair_t *server, keypair_t *own)
{
    samla_err_t err;
    if (!c->server || !c->server_public_key || !c->secret_key) {
        err_print(PROG, "%s must set server, server_public_key and secret_key\n",
                c->file);
        return EX_CONFIG;
    }
    if (curve_endpoint_check(c->server, &err) == CURVE_EP_SCHEME) {
        err_print(PROG, "server in %s: %s\n", c->file, err.msg);
        return EX_CONFIG;
    }
    if (keys_load_public(c->server_public_key, server, &err) ||
        keys_load_secret(c->secret_key, own, &err)) {
        err_print(PROG, "%s\n", err.msg);
        return EX_CONFIG;
    }
    return 0;
}

/* samlad's reason in the reader's language where the catalog has it (its fixed ones);
 * gettext("") would be the catalog's header. */
static const char *s_reason(const char *reason)
{
    return reason[0] ? _(reason) : reason;
}

/* The exit code for an entry that got no final answer. */
static int s_unanswered_rc(client_rc_t crc)
{
    switch (crc) {
    case CLIENT_REFUSED: return EX_NOPERM;
    case CLIENT_BADKEY:
    case CLIENT_ERROR: return EX_UNAVAILABLE;
    default: return EX_TEMPFAIL;
    }
}

/* What one entry's answer means: stored or a duplicate leaves the outbox; refused or
 * invalid moves to rejected/; no answer (or "retry") stays, with why noted beside it and
 * *kept set. `failure` is the delivery's error when it ended early; `mine`, whether this
 * run pushed the entry. Returns the exit code it gives a push (0 when it was stored). */
static int s_settle(const agent_cfg_t *c, outbox_entry_t *e, const client_result_t *r,
                    client_rc_t crc, const char *failure, bool mine, bool *kept)
{
    samla_err_t err;
    if (!r->answered) { /* no answer, or only "send again later" (client.c) */
        char why[200];
        if (crc != CLIENT_TIMEOUT && crc != CLIENT_DONE)
            snprintf(why, sizeof why, "%.199s", failure);
        else if (r->reason[0]) /* samlad's reasons in English; the catalog has its fixed ones */
            snprintf(why, sizeof why, _("samlad asked to retry: %.170s"),
                     s_reason(r->reason));
        else
            snprintf(why, sizeof why, _("no acknowledgement within %lld s"), c->timeout);
        /* Best effort: the entry itself stays queued whether or not this is written. */
        (void)outbox_note_attempt(c->outbox, e, why);
        *kept = true;
        return s_unanswered_rc(crc);
    }
    if (r->status == SAMLA__V1__ACK_STATUS__ACK_STORED ||
        r->status == SAMLA__V1__ACK_STATUS__ACK_DUPLICATE) {
        /* a duplicate of this run's own push, which has a new id, is the same month
         * sent twice unchanged (CONTRACT.md): nothing new was stored */
        if (r->status == SAMLA__V1__ACK_STATUS__ACK_DUPLICATE && mine)
            printf(_("%s: unchanged: already stored as revision %u\n"), e->id, r->revision);
        else
            printf(r->status == SAMLA__V1__ACK_STATUS__ACK_STORED
                       ? _("%s: stored as revision %u%s\n")
                       : _("%s: already stored as revision %u%s\n"),
                   e->id, r->revision, mine ? "" : _(" (from the outbox)"));
        if (outbox_remove(c->outbox, e->name, &err))
            err_print(PROG, "%s\n", err.msg);
        return 0;
    }
    err_print(PROG, "%s was refused by samlad: %s; moved to %s/rejected/ and not "
                    "sent again\n", e->id, s_reason(r->reason), c->outbox);
    outbox_reject(c->outbox, e->name, r->reason, &err);
    /* refused (not this key's) and rejected (over a limit of samlad's): 77, as CONTRACT.md */
    return r->status == SAMLA__V1__ACK_STATUS__ACK_REFUSED ||
                   r->status == SAMLA__V1__ACK_STATUS__ACK_REJECTED
               ? EX_NOPERM
               : EX_DATAERR;
}

/* Sends everything queued and reports per entry. `fresh` names the entry this run
 * created (or NULL for flush): its fate decides the exit code of push. */
static int s_deliver(const agent_cfg_t *c, const char *fresh)
{
    samla_err_t err;
    keypair_t server, own;
    int rc = s_delivery_setup(c, &server, &own);
    if (rc)
        return rc;
    outbox_list_t l;
    diag_t *notes = diag_new();
    if (!notes)
        return EX_OSERR;
    rc = outbox_list(c->outbox, &l, notes, &err);
    diag_print(notes, PROG, stderr);
    diag_destroy(&notes);
    if (rc) {
        err_print(PROG, "%s\n", err.msg);
        return EX_IOERR;
    }
    if (l.n == 0) {
        outbox_list_free(&l);
        return 0;
    }
    client_result_t *res = calloc(l.n, sizeof *res);
    if (!res) {
        outbox_list_free(&l);
        return EX_OSERR;
    }
    client_conf_t cc = {c->server, &server, &own};
    err.msg[0] = '\0'; /* a delivery that ends well says nothing here */
    client_rc_t crc = curve_endpoint_check(c->server, &err) == CURVE_EP_OK
                          ? client_deliver(&cc, &l, (int)c->timeout, res, &err)
                          : CLIENT_ERROR;
    size_t left = 0;
    for (size_t i = 0; i < l.n; i++) {
        bool mine = !fresh || strcmp(l.v[i].id, fresh) == 0;
        bool kept = false;
        int erc = s_settle(c, &l.v[i], &res[i], crc, err.msg, mine, &kept);
        left += kept;
        if (mine && rc == 0)
            rc = erc;
    }
    if (crc == CLIENT_TIMEOUT && left)
        err_print(PROG, "no acknowledgement from %s within %lld s; %zu submission%s "
                        "kept in %s for 'samla-agent flush'\n",
                c->server, c->timeout, left, left == 1 ? "" : "s", c->outbox);
    else if (left)
        err_print(PROG, "%s; %zu submission%s kept in %s for 'samla-agent flush'\n",
                err.msg, left, left == 1 ? "" : "s", c->outbox);
    free(res);
    outbox_list_free(&l);
    return rc;
}

static int cmd_push(const agent_cfg_t *c, const args_t *a)
{
    sie_t *sie;
    part_table_t parts;
    report_t *rep;
    int rc = s_prepare(c, a, &sie, &parts, &rep, NULL);
    if (rc)
        return rc;
    samla_err_t err;
    size_t plen = 0;
    char id[37];
    uint8_t *push = outbox_envelope(report_submission(rep), id, &plen);
    report_destroy(&rep);
    sie_destroy(&sie);
    partcsv_free(&parts);
    if (!push)
        return EX_OSERR;
    if (plen > WIRE_MAX_MSG) {
        err_print(PROG, "the submission is %zu bytes, more than the %d the daemon "
                        "accepts\n", plen, WIRE_MAX_MSG);
        free(push);
        return EX_DATAERR;
    }
    keypair_t server, own;
    if ((rc = s_delivery_setup(c, &server, &own)) != 0) {
        err_print(PROG, "nothing was queued\n");
        free(push);
        return rc;
    }
    if (outbox_open(c->outbox, &err)) {
        err_print(PROG, "%s\n", err.msg);
        free(push);
        return EX_CANTCREAT;
    }
    if (outbox_put(c->outbox, (size_t)c->outbox_max, id, push, plen, &err)) {
        err_print(PROG, "%s\n", err.msg);
        free(push);
        /* Temporary: it clears when what is queued is delivered. */
        return EX_TEMPFAIL;
    }
    free(push);
    return s_deliver(c, id);
}

static int cmd_inbox(const agent_cfg_t *c, const args_t *a)
{
    if (!c->inbox) {
        err_print(PROG, "%s sets no inbox = \"FOLDER\";\n", c->file);
        return EX_CONFIG;
    }
    inbox_conf_t ic = {.dir = c->inbox, .config = c->file, .orgnr = c->orgnr,
                       .lang = a->lang, .settle = c->inbox_settle,
                       .query_server = c->query_server,
                       .server_public_key = c->server_public_key,
                       .secret_key = c->secret_key};
    return inbox_run(&ic);
}

static int cmd_flush(const agent_cfg_t *c, const args_t *a)
{
    (void)a;
    samla_err_t err;
    if (outbox_open(c->outbox, &err)) {
        err_print(PROG, "%s\n", err.msg);
        return EX_CANTCREAT;
    }
    return s_deliver(c, NULL);
}

static int cmd_outbox(const agent_cfg_t *c, const args_t *a)
{
    (void)a;
    samla_err_t err;
    outbox_list_t l;
    diag_t *notes = diag_new();
    if (!notes)
        return EX_OSERR;
    int rc = outbox_open(c->outbox, &err) || outbox_list(c->outbox, &l, notes, &err);
    diag_print(notes, PROG, stderr);
    diag_destroy(&notes);
    if (rc) {
        err_print(PROG, "%s\n", err.msg);
        return EX_IOERR;
    }
    time_t now = time(NULL);
    printf("%-36s  %-7s  %8s  %8s  %s\n", "id", _("period"), _("age (s)"), _("attempts"),
           _("last error"));
    for (size_t i = 0; i < l.n; i++) {
        char period[8];
        outbox_entry_period(&l.v[i], period);
        printf("%-36s  %-7s  %8lld  %8u  %s\n", l.v[i].id, period,
               (long long)(now - l.v[i].queued), l.v[i].attempts,
               l.v[i].last_error[0] ? l.v[i].last_error : "-");
    }
    printf(_("%zu queued in %s\n"), l.n, c->outbox);
    outbox_list_free(&l);
    return 0;
}

/* keygen and fingerprint take one argument and no config. */
static int cmd_keygen(const char *name)
{
    samla_err_t err;
    if (keys_generate(name, &err)) {
        err_print(PROG, "%s\n", err.msg);
        return EX_CANTCREAT;
    }
    printf(_("wrote %s.key (public) and %s.key_secret (secret, mode 0600)\n"), name, name);
    return 0;
}

static int cmd_fingerprint(const char *path)
{
    samla_err_t err;
    if (keys_print_fingerprint(path, stdout, &err)) {
        err_print(PROG, "%s\n", err.msg);
        return EX_NOINPUT;
    }
    return 0;
}

typedef struct {
    cli_cmd_t cli;                                     /* first: cli_parse returns it */
    int (*fn)(const agent_cfg_t *c, const args_t *a); /* with --config and options */
    int (*bare)(const char *arg);                     /* or one argument, no config */
} command_t;

static const command_t s_commands[] = {
    {{"push", "--config FILE push --period YYYY-MM --sie LEDGER.se "
              "[--participants FILE.csv] [--forecast FILE.csv]",
      N_("validate, queue in the outbox, send and wait for samlad's acknowledgement"), false},
     cmd_push, NULL},
    {{"check", "--config FILE check --period YYYY-MM --sie LEDGER.se "
               "[--participants FILE.csv] [--forecast FILE.csv] [--emit FILE] "
               "[--format table|json]",
      N_("validate and print the figures that would be sent (json: one object); send nothing"),
      false},
     cmd_check, NULL},
    {{"flush", "--config FILE flush", N_("resend everything in the outbox"), false},
     cmd_flush, NULL},
    {{"inbox", "--config FILE inbox",
      N_("check, push and file every complete set saved in the config's inbox folder: "
         "skickat/YYYY-MM/ with a receipt, or fel/ with what is wrong"),
      false},
     cmd_inbox, NULL},
    {{"outbox", "--config FILE outbox", N_("list what is queued"), false}, cmd_outbox, NULL},
    {{"keygen", "keygen NAME", N_("write a CURVE key pair NAME.key and NAME.key_secret"), true},
     NULL, cmd_keygen},
    {{"fingerprint", "fingerprint KEYFILE",
      N_("print a key's fingerprint (as samlad logs it) and its public key"), true},
     NULL, cmd_fingerprint},
};

#define A(f) offsetof(args_t, f)
static const cli_opt_t s_opts[] = {
    {"period", CLI_ARG, A(period)},     {"sie", CLI_ARG, A(sie)},
    {"participants", CLI_ARG, A(participants)}, {"forecast", CLI_ARG, A(forecast)},
    {"emit", CLI_ARG, A(emit)},         {"format", CLI_ARG, A(format)},
    {"lang", CLI_ARG, A(lang)},
};

static const cli_t s_cli = {
    .prog = PROG,
    .version = SAMLA_VERSION,
    .synopsis = "[--config FILE] COMMAND [options]",
    .globals = "--lang",
    .epilogue = N_("\n--lang sv|en: the language of messages and printouts (default: the "
                   "locale's, LANG=sv_SE.UTF-8).\n"
                   "\nexit codes: 0 ok, 64 usage, 65 invalid input (nothing queued), 66 input "
                "missing,\n  69 daemon unavailable, 75 not acknowledged in time (kept in the "
                "outbox),\n  77 refused by the daemon, 78 bad configuration\n"),
    CLI_TABLES(s_opts, args_t, config, s_commands),
};
#undef A

int main(int argc, char **argv)
{
    args_t a = {0};
    i18n_init(cli_peek(argc, argv, "lang")); /* before anything is said */
    cli_result_t r = cli_parse(&s_cli, argc, argv, &a);
    if (!r.cmd)
        return r.exit_code;
    if (a.lang && !i18n_known(a.lang)) {
        err_print(PROG, "--lang is sv or en (got '%s')\n", a.lang);
        return EX_USAGE;
    }
    const command_t *cmd = (const command_t *)r.cmd;
    if (cmd->bare)
        return cmd->bare(r.bare_arg);
    agent_cfg_t c;
    int rc = s_cfg_load(a.config, &c);
    if (rc)
        return rc;
    rc = cmd->fn(&c, &a);
    s_cfg_free(&c);
    return rc;
}
