/* samlad: receives förbund's month-end submissions, stores them, answers queries. */
#include <czmq.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <malloc.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>
#include <zmq.h>

#include "derive.h"
#include "ingest.h"
#include "qservice.h"
#include "registry.h"
#include "samla/cfg.h"
#include "samla/i18n.h"
#include "samla/keys.h"
#include "samla/log.h"
#include "samla/period.h"
#include "samla/wire.h"
#include "store.h"
#include "zap.h"

/* Quiet this long after submissions arrived means the burst is over. */
#define S_SETTLE_MS 2000
/* Longest the loop stays with submissions before it looks at signals again. */
#define S_SUBMIT_MS 250

#define PROG "samlad"

/* libzmq's ZMQ_ZAP_ENFORCE_DOMAIN (a draft option in 4.3): without it a missing ZAP
 * handler would let every client in; with it the handshake fails closed. */
#define SAMLA_ZMQ_ZAP_ENFORCE_DOMAIN 93

typedef struct {
    char *listen, *query_listen, *database, *secret_key, *region;
    long long max_database_mb, max_wal_mb, privacy_threshold;
    long long revisions_per_month, megabytes_per_day; /* the group `limits` */
} daemon_cfg_t;

#define O(f) offsetof(daemon_cfg_t, f)
static const cfg_field_t s_fields[] = {
    {"listen", CFG_STR, true, NULL, 0, 0, 0, O(listen), "endpoint for submissions"},
    {"query_listen", CFG_STR, true, NULL, 0, 0, 0, O(query_listen), "endpoint for queries"},
    {"database", CFG_PATH, true, NULL, 0, 0, 0, O(database), "SQLite database file"},
    {"secret_key", CFG_PATH, true, NULL, 0, 0, 0, O(secret_key), "samlad's secret key"},
    {"region", CFG_STR, false, "", 0, 0, 0, O(region), "the region's name"},
    {"privacy_threshold", CFG_INT, false, NULL, 5, 0, 1000, O(privacy_threshold),
     "participant counts below this are hidden from other förbund (0: off)"},
    {"max_database_mb", CFG_INT, false, NULL, 0, 0, 100000000, O(max_database_mb),
     "cap on the database size in MiB, 0 for none"},
    {"max_wal_mb", CFG_INT, false, NULL, 512, 0, 100000000, O(max_wal_mb),
     "cap on the write-ahead log in MiB while a reader holds it, 0 for none"},
    {"forbund", CFG_LIST, false, NULL, 0, 0, 0, 0, "registered förbund"},
    {"analysts", CFG_LIST, false, NULL, 0, 0, 0, 0, "registered analysts"},
    {"groups", CFG_LIST, false, NULL, 0, 0, 0, 0, "comparison groups of förbund"},
    {"targets", CFG_LIST, false, NULL, 0, 0, 0, 0, "targets per metric and förbund or group"},
    {"limits", CFG_GROUP, false, NULL, 0, 0, 0, 0, "what one förbund key may store"},
};
/* limits = { ... }: per förbund key (CONTRACT.md, Limits per member); 0 is no limit. */
static const cfg_field_t s_limit_fields[] = {
    {"revisions_per_month", CFG_INT, false, NULL, 50, 0, 1000000, O(revisions_per_month),
     "revisions of one month one förbund may store"},
    {"megabytes_per_day", CFG_INT, false, NULL, 100, 0, 1000000, O(megabytes_per_day),
     "megabytes one förbund may store per day (UTC)"},
};
#undef O
#define N_FIELDS (sizeof s_fields / sizeof s_fields[0])

static int s_sigpipe[2] = {-1, -1};

static void s_on_signal(int sig)
{
    unsigned char c = (unsigned char)sig;
    int saved = errno;
    if (write(s_sigpipe[1], &c, 1) < 0) {
        /* the pipe is full: a signal is already pending, nothing is lost */
    }
    errno = saved;
}

/* Reads the config and the registry. Returns 0 or EX_CONFIG with the reason printed. */
static int s_load(const char *file, daemon_cfg_t *c, registry_t **reg)
{
    samla_err_t err;
    config_t cfg;
    memset(c, 0, sizeof *c);
    if (cfg_open(&cfg, file, &err)) {
        err_print(PROG, "%s\n", err.msg);
        return EX_CONFIG;
    }
    int rc = cfg_apply(config_root_setting(&cfg), file, s_fields, N_FIELDS, c, &err);
    const config_setting_t *lim = config_lookup(&cfg, "limits");
    if (rc == 0 && lim && !config_setting_is_group(lim))
        rc = err_set(&err, "%s:%d: 'limits' is a group { revisions_per_month = ...; "
                           "megabytes_per_day = ...; }", file, config_setting_source_line(lim));
    if (rc == 0)
        rc = cfg_apply(lim, file, s_limit_fields, sizeof s_limit_fields / sizeof s_limit_fields[0],
                       c, &err);
    if (rc == 0) {
        *reg = registry_load(&cfg, file, &err);
        if (!*reg)
            rc = -1;
    }
    keypair_t kp;
    if (rc == 0 && keys_load_secret(c->secret_key, &kp, &err)) {
        rc = -1;
        registry_destroy(reg);
    }
    config_destroy(&cfg);
    if (rc) {
        err_print(PROG, "%s\n", err.msg);
        cfg_free(s_fields, N_FIELDS, c);
        return EX_CONFIG;
    }
    return 0;
}

/* A CURVE ROUTER bound to endpoint. Its receive HWM stays high: libzmq 4.3.4 (Debian 12)
 * aborts in stream_engine_base.cpp:331 (!_io_error) when a connection whose input it
 * stopped at the HWM fails, as a flood of dying agents did at 16 per connection. The lanes
 * (ingest.h) bound what samlad itself holds. */
static void *s_server_socket(void *ctx, const char *endpoint, const keypair_t *kp,
                             samla_err_t *err)
{
    void *s = zmq_socket(ctx, ZMQ_ROUTER);
    int one = 1, zero = 0, hwm = 10000, hb = 5000, hb_timeout = 30000;
    int64_t maxmsg = WIRE_MAX_MSG;
    if (!s || zmq_setsockopt(s, ZMQ_CURVE_SERVER, &one, sizeof one) ||
        zmq_setsockopt(s, ZMQ_CURVE_SECRETKEY, kp->secret_txt, KEY_Z85_LEN) ||
        zmq_setsockopt(s, ZMQ_ZAP_DOMAIN, ZAP_DOMAIN, strlen(ZAP_DOMAIN)) ||
        zmq_setsockopt(s, SAMLA_ZMQ_ZAP_ENFORCE_DOMAIN, &one, sizeof one) ||
        zmq_setsockopt(s, ZMQ_ROUTER_MANDATORY, &one, sizeof one) ||
        zmq_setsockopt(s, ZMQ_MAXMSGSIZE, &maxmsg, sizeof maxmsg) ||
        zmq_setsockopt(s, ZMQ_RCVHWM, &hwm, sizeof hwm) ||
        zmq_setsockopt(s, ZMQ_SNDHWM, &hwm, sizeof hwm) ||
        zmq_setsockopt(s, ZMQ_HEARTBEAT_IVL, &hb, sizeof hb) ||
        zmq_setsockopt(s, ZMQ_HEARTBEAT_TIMEOUT, &hb_timeout, sizeof hb_timeout) ||
        zmq_setsockopt(s, ZMQ_LINGER, &zero, sizeof zero) || zmq_bind(s, endpoint)) {
        err_set(err, "cannot listen on %s: %s", endpoint, zmq_strerror(zmq_errno()));
        if (s)
            zmq_close(s);
        return NULL;
    }
    return s;
}

/* Brings layer 3 in step before serving: the registry as in force now, and a rebuild
 * from the log when asked (`--rederive`) or when a migration changed a definition. */
static int s_derive(store_t *store, const registry_t *reg, int rederive, samla_err_t *err)
{
    if (derive_registry(store, reg, err))
        return -1;
    if (!rederive && !store_needs_rederive(store))
        return 0;
    log_event(LOG_LVL_INFO, "rederive.start", "reason=\"%s\"",
              rederive ? "--rederive" : "a migration changed what is derived");
    long long n = 0;
    if (derive_all(store, reg, &n, err))
        return -1;
    if (rederive)
        printf(PROG ": rebuilt the details, metric values and group aggregates of %lld "
                    "submissions\n", n);
    return 0;
}

static void s_usage(FILE *out)
{
    fputs("usage: " PROG " --config FILE [--check] [--syslog] [--verbose]\n"
          "       " PROG " --config FILE --backup DEST\n"
          "       " PROG " --config FILE --rederive\n"
          "       " PROG " --config FILE --audit-privacy YYYY-MM\n"
          "       " PROG " --fingerprint KEYFILE\n\n", out);
    /* the synopsis is the same in every language; what follows is said in the reader's */
    fputs(_("Receives month-end submissions from samla-agent, stores them in SQLite and\n"
            "answers samla's queries. Runs in the foreground.\n\n"
            "  --config FILE  libconfig file (see config/samlad.conf)\n"
            "  --check        validate the configuration and key files, then exit 0 or 78\n"
            "  --syslog       log to syslog instead of stderr\n"
            "  --verbose      log every admitted connection and batch too\n"
            "  --backup DEST  copy the live database consistently to DEST (samlad may keep\n"
            "                 running), check the copy and exit\n"
            "  --rederive     rebuild every derived table (details, metric values, group\n"
            "                 aggregates) from the stored submissions, then exit; samlad\n"
            "                 must not be running\n"
            "  --audit-privacy YYYY-MM  prove by linear programming that nothing a förbund\n"
            "                 key is shown of the year up to that month lets it narrow\n"
            "                 another förbund's withheld counts; exit 0, or 65 listing\n"
            "                 each one that can be (samlad may keep running)\n"
            "  --fingerprint KEYFILE  print the fingerprint logs use for that key\n"
            "  --help, --version\n\n"
            "signals: SIGTERM/SIGINT finish and commit what is in hand, then exit 0;\n"
            "         SIGHUP reloads the registry of förbund and analysts (and region,\n"
            "         max_database_mb and privacy_threshold) without dropping connections.\n"),
          out);
}

/* What the command line asked for. */
typedef struct {
    const char *config, *backup, *fingerprint, *audit;
    int check, use_syslog, verbose, rederive;
} s_args_t;

/* Returns -1 to go on, or the exit code. */
static int s_parse_args(int argc, char **argv, s_args_t *a)
{
    static const struct option opts[] = {
        {"config", required_argument, 0, 'c'}, {"check", no_argument, 0, 'k'},
        {"backup", required_argument, 0, 'b'}, {"fingerprint", required_argument, 0, 'f'},
        {"syslog", no_argument, 0, 's'},       {"verbose", no_argument, 0, 'v'},
        {"help", no_argument, 0, 'h'},         {"version", no_argument, 0, 'V'},
        {"rederive", no_argument, 0, 'r'},     {"audit-privacy", required_argument, 0, 'a'},
        {0, 0, 0, 0},
    };
    memset(a, 0, sizeof *a);
    int ch;
    while ((ch = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
        switch (ch) {
        case 'c': a->config = optarg; break;
        case 'k': a->check = 1; break;
        case 'b': a->backup = optarg; break;
        case 'f': a->fingerprint = optarg; break;
        case 's': a->use_syslog = 1; break;
        case 'v': a->verbose = 1; break;
        case 'r': a->rederive = 1; break;
        case 'a': a->audit = optarg; break;
        case 'h': s_usage(stdout); return 0;
        case 'V': printf(PROG " %s\n", SAMLA_VERSION); return 0;
        default: s_usage(stderr); return EX_USAGE;
        }
    }
    if (!a->fingerprint && (!a->config || optind < argc)) {
        s_usage(stderr);
        return EX_USAGE;
    }
    return -1;
}

/* --- the running daemon: what it holds, and the loop's handlers ---------------------- */

typedef struct {
    const char *config;
    daemon_cfg_t c;
    registry_t *reg; /* swapped on SIGHUP */
    query_cfg_t qc;
    store_t *store;
    ingest_t *ingest;
    void *ctx, *zap, *submit, *query;
    qservice_t *qs;     /* owns `query` while it runs */
    bool stopping;      /* a stop signal came: finish this turn, then exit 0 */
    int64_t last_upkeep, last_work;
} samlad_t;

/* The config's limits per förbund key into ingest (megabytes as samla counts them, 10^6). */
static void s_limits(samlad_t *d, const daemon_cfg_t *c)
{
    store_limits_t l = {c->revisions_per_month, c->megabytes_per_day * 1000000};
    ingest_set_limits(d->ingest, &l);
}

/* SIGHUP: the registry (with the region), privacy threshold and limits anew; on a bad
 * config, the old. */
static void s_reload(samlad_t *d)
{
    samla_err_t err;
    daemon_cfg_t nc;
    registry_t *nreg = NULL;
    if (s_load(d->config, &nc, &nreg) != 0) {
        log_event(LOG_LVL_ERROR, "reload.failed",
                  "reason=\"config invalid; keeping the old registry\"");
        return;
    }
    registry_destroy(&d->reg);
    d->reg = nreg;
    d->c.privacy_threshold = nc.privacy_threshold;
    d->qc.privacy_threshold = d->c.privacy_threshold;
    qservice_update(d->qs, d->reg, &d->qc);
    s_limits(d, &nc);
    if (store_set_max_size(d->store, nc.max_database_mb, &err) ||
        store_set_max_wal(d->store, nc.max_wal_mb, &err))
        log_event(LOG_LVL_ERROR, "reload.limits", "reason=\"%s\"", err.msg);
    cfg_free(s_fields, N_FIELDS, &nc);
    if (derive_registry(d->store, d->reg, &err))
        log_event(LOG_LVL_ERROR, "reload.registry", "reason=\"%s\"", err.msg);
    log_audit(LOG_LVL_INFO, "reload", "forbund=%zu", registry_forbund_count(d->reg));
}

/* Each handler returns 0 to go on, or an exit code to stop at once. */
static int s_on_signals(samlad_t *d, int64_t now)
{
    (void)now;
    unsigned char sig;
    while (read(s_sigpipe[0], &sig, 1) == 1) {
        if (sig == SIGHUP) {
            s_reload(d);
        } else {
            log_audit(LOG_LVL_INFO, "stopping", "signal=%d", sig);
            d->stopping = true;
        }
    }
    return 0;
}

static int s_on_zap(samlad_t *d, int64_t now)
{
    (void)now;
    zap_handle(d->zap, d->reg);
    return 0;
}

/* Submissions, a batch at a time, one per key in turn (ingest.h), for at most
 * S_SUBMIT_MS a turn: new connections' handshakes are let in between batches, and a stop
 * signal is heeded at the next turn however much is waiting (a batch itself ends after
 * INGEST_BATCH_MS). What was taken but not yet stored is dropped at stop without an
 * acknowledgement, so its agents send it again. */
static int s_on_submit(samlad_t *d, int64_t now)
{
    int64_t until = now + S_SUBMIT_MS;
    while (ingest_batch(d->ingest, d->submit, d->store, d->reg) > 0) {
        d->last_work = zclock_mono();
        zap_handle(d->zap, d->reg);
        if (d->stopping || d->last_work >= until) /* stopping: one batch, then exit */
            break;
    }
    return 0;
}

/* A burst is over: give back what it took (SQLite's page cache beyond what it keeps, and
 * malloc's freed pages in every arena), so that a daemon that answered a thousand agents
 * at month end does not keep their memory all month. */
static int s_on_settle(samlad_t *d, int64_t now)
{
    if (d->last_work && now - d->last_work >= S_SETTLE_MS) {
        d->last_work = 0;
        store_release_memory(d->store);
        malloc_trim(0);
    }
    return 0;
}

static int s_on_upkeep(samlad_t *d, int64_t now)
{
    samla_err_t err;
    if (now - d->last_upkeep >= 1000) { /* about once a second, also when idle */
        d->last_upkeep = now;
        if (!store_lost(d->store) && store_check_place(d->store, &err))
            log_event(LOG_LVL_ERROR, "store.lost", "reason=\"%s\"", err.msg);
        store_maintain(d->store);
        log_flush_suppressed();
    }
    if (store_lost(d->store)) {
        /* Never acknowledge into a file that is not at the configured path: stop, so that
         * the service manager restarts samlad on the real path and the agents resend what
         * was not acknowledged. */
        log_audit(LOG_LVL_ERROR, "stop", "status=failed reason=\"the database file was "
                  "moved, replaced or deleted while samlad ran\"");
        return EX_IOERR;
    }
    return 0;
}

/* The loop's work each turn, in this order: signals first, so that a stop still commits
 * and acknowledges what has arrived in the same turn; the timers last. */
static int (*const s_handlers[])(samlad_t *d, int64_t now) = {
    s_on_signals, s_on_zap, s_on_submit, s_on_settle, s_on_upkeep,
};

static int s_run(samlad_t *d)
{
    d->last_upkeep = zclock_mono();
    while (!d->stopping) {
        zmq_pollitem_t items[3] = {
            {d->zap, 0, ZMQ_POLLIN, 0},
            {d->submit, 0, ZMQ_POLLIN, 0},
            {NULL, s_sigpipe[0], ZMQ_POLLIN, 0},
        };
        /* submissions waiting in the lanes: no sleep, only a look at what else came */
        long wait = ingest_pending(d->ingest) ? 0 : 1000;
        if (zmq_poll(items, 3, wait) < 0 && zmq_errno() != EINTR)
            return EX_UNAVAILABLE;
        int64_t now = zclock_mono();
        for (size_t i = 0; i < sizeof s_handlers / sizeof s_handlers[0]; i++) {
            int rc = s_handlers[i](d, now);
            if (rc)
                return rc;
        }
    }
    log_audit(LOG_LVL_INFO, "stop", "status=ok");
    return 0;
}

static int s_signals(void)
{
    if (pipe(s_sigpipe) || fcntl(s_sigpipe[0], F_SETFL, O_NONBLOCK) ||
        fcntl(s_sigpipe[1], F_SETFL, O_NONBLOCK)) {
        err_print(PROG, "pipe: %s\n", strerror(errno));
        return -1;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = s_on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    return 0;
}

/* The database, brought in step with the registry (and rebuilt on --rederive). */
static int s_open_store(samlad_t *d, int rederive)
{
    samla_err_t err;
    if (!(d->store = store_open(d->c.database, &err)) ||
        store_set_max_size(d->store, d->c.max_database_mb, &err) ||
        store_set_max_wal(d->store, d->c.max_wal_mb, &err)) {
        err_print(PROG, "%s\n", err.msg);
        return EX_CANTCREAT;
    }
    if (s_derive(d->store, d->reg, rederive, &err)) {
        err_print(PROG, "%s\n", err.msg);
        return EX_UNAVAILABLE;
    }
    return 0;
}

/* The sockets, the query thread and the ingest. */
static int s_open_service(samlad_t *d)
{
    samla_err_t err;
    keypair_t kp;
    if (keys_load_secret(d->c.secret_key, &kp, &err)) { /* checked by s_load; may have changed */
        err_print(PROG, "%s\n", err.msg);
        return EX_CONFIG;
    }
    d->ctx = zmq_ctx_new();
    /* CURVE decryption happens on the I/O threads: two keep up with a month-end burst. */
    if (d->ctx)
        zmq_ctx_set(d->ctx, ZMQ_IO_THREADS, 2);
    /* The ZAP handler is bound before any CURVE socket so that no handshake can slip by. */
    if (!d->ctx || !(d->zap = zap_bind(d->ctx, &err)) ||
        !(d->submit = s_server_socket(d->ctx, d->c.listen, &kp, &err)) ||
        !(d->query = s_server_socket(d->ctx, d->c.query_listen, &kp, &err))) {
        err_print(PROG, "%s\n", err.msg);
        return EX_UNAVAILABLE;
    }
    d->qc = (query_cfg_t){d->c.privacy_threshold};
    if (!(d->qs = qservice_start(d->ctx, d->query, &qservice_queries, d->c.database, d->reg,
                                 &d->qc, &err))) {
        err_print(PROG, "%s\n", err.msg);
        return EX_UNAVAILABLE;
    }
    if (!(d->ingest = ingest_new())) {
        err_print(PROG, "out of memory\n");
        return EX_UNAVAILABLE;
    }
    s_limits(d, &d->c);
    return 0;
}

static void s_close(samlad_t *d)
{
    qservice_stop(&d->qs);
    ingest_destroy(&d->ingest);
    if (d->zap)
        zmq_close(d->zap);
    if (d->submit)
        zmq_close(d->submit);
    if (d->query)
        zmq_close(d->query);
    if (d->ctx)
        zmq_ctx_term(d->ctx);
    store_close(&d->store);
    registry_destroy(&d->reg);
    cfg_free(s_fields, N_FIELDS, &d->c);
}

/* --audit-privacy: the release of a period's year proved on a read-only connection. */
static int s_audit(const s_args_t *a, samlad_t *d)
{
    period_t p;
    if (period_parse(a->audit, &p)) {
        err_print(PROG, "--audit-privacy needs a period YYYY-MM, not '%.32s'\n",
                a->audit);
        return EX_USAGE;
    }
    samla_err_t err;
    store_t *store = store_open_readonly(d->c.database, &err);
    if (!store) {
        err_print(PROG, "%s\n", err.msg);
        return EX_UNAVAILABLE;
    }
    long n = query_audit_privacy(store, d->reg, d->c.privacy_threshold, a->audit, stdout);
    store_close(&store);
    return n < 0 ? EX_UNAVAILABLE : n > 0 ? EX_DATAERR : 0;
}

/* --backup, --audit-privacy and --check: one thing done with the loaded config, then
 * exit. */
static int s_one_shot(const s_args_t *a, samlad_t *d)
{
    if (a->audit)
        return s_audit(a, d);
    if (a->backup) {
        samla_err_t err;
        long long n = 0;
        if (store_backup(d->c.database, a->backup, &n, &err)) {
            err_print(PROG, "%s\n", err.msg);
            return EX_IOERR;
        }
        printf(PROG ": %s copied to %s: %lld submissions, integrity ok\n", d->c.database,
               a->backup, n);
        return 0;
    }
    printf(PROG ": %s is valid: %zu förbund registered\n", a->config,
           registry_forbund_count(d->reg));
    return 0;
}

int main(int argc, char **argv)
{
    s_args_t a;
    i18n_init(NULL); /* the operator's locale */
    int rc = s_parse_args(argc, argv, &a);
    if (rc >= 0)
        return rc;
    if (a.fingerprint) {
        samla_err_t ferr;
        if (keys_print_fingerprint(a.fingerprint, stdout, &ferr)) {
            err_print(PROG, "%s\n", ferr.msg);
            return EX_NOINPUT;
        }
        return 0;
    }
    zsys_handler_set(NULL); /* CZMQ must not install its own signal handlers */
    /* Decoding allocates and frees the same sizes for every message; keeping freed memory
     * instead of returning it to the kernel saves a page fault per page per message. It is
     * given back once a burst is over (s_on_settle). */
    mallopt(M_TRIM_THRESHOLD, 64 * 1024 * 1024);
    mallopt(M_MMAP_THRESHOLD, 16 * 1024 * 1024);
    samlad_t d = {.config = a.config};
    if ((rc = s_load(a.config, &d.c, &d.reg)))
        return rc;
    if (a.backup || a.check || a.audit) {
        rc = s_one_shot(&a, &d);
        s_close(&d);
        return rc;
    }
    log_init(PROG, a.use_syslog, a.verbose ? LOG_LVL_DEBUG : LOG_LVL_INFO);
    if (s_signals()) {
        rc = EX_UNAVAILABLE;
    } else if (!(rc = s_open_store(&d, a.rederive)) && !a.rederive &&
               !(rc = s_open_service(&d))) {
        log_audit(LOG_LVL_INFO, "start", "listen=%s query_listen=%s database=%s forbund=%zu",
                  d.c.listen, d.c.query_listen, d.c.database, registry_forbund_count(d.reg));
        rc = s_run(&d);
    }
    s_close(&d);
    return rc;
}
