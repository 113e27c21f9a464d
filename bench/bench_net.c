/* Benchmarks (not tests) of samlad against the limits of the same machine, in one run:
 *   ingest   N agents (threads, each with its own registered key) push M realistic
 *            submissions each at once; durable submissions/s and ACK latency, beside
 *            (a) raw SQLite inserting the same rows in batched transactions with the same
 *            durability and (b) raw CURVE DEALER/ROUTER round trips of the same size;
 *   memory   samlad's RSS with 1000 idle connected agents, and after the burst;
 *   history  ten years of months for 300 förbund: compare, trend, status and export
 *            through the real query socket, p50/p99.
 * Usage: bench_net BINDIR [AGENTS [PER_AGENT]]   (BINDIR holds daemon/samlad) */
#include <arpa/inet.h>
#include <czmq.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <errno.h>
#include <libconfig.h>
#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zmq.h>

#include "samla.pb-c.h"
#include "samla/diag.h"
#include "samla/figures.h"
#include "samla/partflow.h"
#include "samla/wire.h"
#include "derive.h"
#include "query.h"
#include "registry.h"
#include "store.h"

static double s_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int s_cmpd(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double s_pct(double *v, size_t n, double p)
{
    if (!n)
        return 0;
    qsort(v, n, sizeof *v, s_cmpd);
    return v[(size_t)((double)(n - 1) * p)];
}

static int s_free_port(void)
{
    /* let the kernel pick by binding a throwaway ZeroMQ socket */
    void *ctx = zmq_ctx_new(), *s = zmq_socket(ctx, ZMQ_REP);
    char ep[64];
    size_t len = sizeof ep;
    zmq_bind(s, "tcp://127.0.0.1:*");
    zmq_getsockopt(s, ZMQ_LAST_ENDPOINT, ep, &len);
    zmq_close(s);
    zmq_ctx_term(ctx);
    return (int)strtol(strrchr(ep, ':') + 1, NULL, 10);
}

typedef struct {
    char pub[41], sec[41];
} s_key_t;

/* A key pair; with a path, NAME (public) and NAME_secret files as zcert writes them. */
static void s_keygen(s_key_t *k, const char *path)
{
    zcert_t *c = zcert_new();
    memcpy(k->pub, zcert_public_txt(c), 41);
    memcpy(k->sec, zcert_secret_txt(c), 41);
    if (path) {
        mode_t old = umask(077);
        zcert_save(c, path);
        umask(old);
    }
    zcert_destroy(&c);
}

static void s_pubfile(const char *path, const char *pub)
{
    uint8_t pb[32], sb[32] = {0};
    zmq_z85_decode(pb, pub);
    zcert_t *c = zcert_new_from(pb, sb);
    zcert_save_public(c, path);
    zcert_destroy(&c);
}

/* --- a realistic month: 20 cost areas, 40 participant rows ---------------------------- */

static uint8_t *s_submission(const char *orgnr, int year, int month, size_t *len)
{
    Samla__V1__Submission sub = SAMLA__V1__SUBMISSION__INIT;
    Samla__V1__Ledger l = SAMLA__V1__LEDGER__INIT;
    char period[8];
    snprintf(period, sizeof period, "%04d-%02d", year, month);
    sub.orgnr = (char *)orgnr;
    sub.period = period;
    sub.software = "bench";
    /* as a full agent sends it: every ledger line, their budget and last year's, and the
     * members who paid (each line and member is a row samlad stores) */
    Samla__V1__Ledger budget = SAMLA__V1__LEDGER__INIT, last = SAMLA__V1__LEDGER__INIT;
    for (size_t i = 0; i < figure_line_count; i++) {
        protobuf_c_boolean *has;
        *figures_line_slot(&l, i, &has) = (int64_t)(i + 1) * 1000000 * month;
        *has = 1;
        *figures_line_slot(&budget, i, &has) = (int64_t)(i + 1) * 990000 * month;
        *has = 1;
        *figures_line_slot(&last, i, &has) = (int64_t)(i + 1) * 12000000;
        *has = 1;
    }
    Samla__V1__MemberAmount mem[4], *mp[4];
    static const char *const names[4] = {"Staten", "Regionen", "Kommun A", "Kommun B"};
    static const Samla__V1__MemberKind kinds[4] = {
        SAMLA__V1__MEMBER_KIND__MEMBER_STATE, SAMLA__V1__MEMBER_KIND__MEMBER_REGION,
        SAMLA__V1__MEMBER_KIND__MEMBER_MUNICIPALITY, SAMLA__V1__MEMBER_KIND__MEMBER_MUNICIPALITY};
    for (size_t i = 0; i < 4; i++) {
        samla__v1__member_amount__init(&mem[i]);
        mem[i].name = (char *)names[i];
        mem[i].kind = kinds[i];
        mem[i].has_amount = 1;
        mem[i].amount = (i < 2 ? 1000000 : 1500000) * month; /* within their lines */
        mp[i] = &mem[i];
    }
    l.n_members = 4;
    l.members = mp;
    sub.ledger = &l;
    sub.budget_lines = &budget;
    sub.last_year = &last;
    Samla__V1__CostArea areas[20], *ap[20];
    char codes[20][8];
    for (int i = 0; i < 20; i++) {
        samla__v1__cost_area__init(&areas[i]);
        snprintf(codes[i], sizeof codes[i], "%d", 1001 + (i % 3) * 1000 + i);
        areas[i].code = codes[i];
        areas[i].name = "Kostnadsområde";
        areas[i].has_class_ = areas[i].has_costs = areas[i].has_budget_costs = 1;
        areas[i].class_ = (Samla__V1__AreaClass)(1 + i % 3);
        areas[i].costs = 4500000 * month;
        areas[i].budget_costs = 5000000 * month;
        ap[i] = &areas[i];
    }
    sub.n_cost_areas = 20;
    sub.cost_areas = ap;
    Samla__V1__ParticipantRow rows[40], *rp[40];
    for (int i = 0; i < 40; i++) {
        samla__v1__participant_row__init(&rows[i]);
        rows[i].intervention = "Insats";
        rows[i].kind = SAMLA__V1__INTERVENTION_KIND__KIND_VOLUME;
        rows[i].measure = (char *)partflow_flow[i % PARTFLOW_N_FLOW];
        rows[i].category = "";
        rows[i].has_women = rows[i].has_men = 1;
        rows[i].women = (uint32_t)i;
        rows[i].men = (uint32_t)i;
        rp[i] = &rows[i];
    }
    sub.n_participants = 40;
    sub.participants = rp;
    return wire_pack((const ProtobufCMessage *)&sub, len);
}

static uint8_t *s_push(const uint8_t *body, size_t blen, unsigned tag, size_t *len)
{
    char id[37];
    if (wire_uuid(id))
        return NULL;
    snprintf(id + 28, 9, "%08x", tag); /* the tag finds the send time of an ACK */
    uint8_t hash[32];
    wire_sha256(body, blen, hash);
    Samla__V1__Push p = SAMLA__V1__PUSH__INIT;
    p.id = id;
    p.sha256 = (ProtobufCBinaryData){32, hash};
    p.body = (ProtobufCBinaryData){blen, (uint8_t *)body};
    return wire_pack((const ProtobufCMessage *)&p, len);
}

/* --- clients: each thread one agent, sending all its messages at once ------------------ */

typedef struct {
    void *ctx;
    const char *endpoint;
    const char *server_pub;
    const s_key_t *key;
    uint8_t **msgs;
    size_t *lens;
    unsigned first, n;
    double *sent, *latency; /* by tag */
    pthread_barrier_t *go;
    int ok;
} s_agent_t;

static void *s_agent(void *arg)
{
    s_agent_t *a = arg;
    void *s = zmq_socket(a->ctx, ZMQ_DEALER);
    int zero = 0, hwm = 100000;
    zmq_setsockopt(s, ZMQ_CURVE_SERVERKEY, a->server_pub, 40);
    zmq_setsockopt(s, ZMQ_CURVE_PUBLICKEY, a->key->pub, 40);
    zmq_setsockopt(s, ZMQ_CURVE_SECRETKEY, a->key->sec, 40);
    zmq_setsockopt(s, ZMQ_LINGER, &zero, sizeof zero);
    zmq_setsockopt(s, ZMQ_SNDHWM, &hwm, sizeof hwm);
    zmq_connect(s, a->endpoint);
    pthread_barrier_wait(a->go);
    for (unsigned i = 0; i < a->n; i++) {
        a->sent[a->first + i] = s_now();
        zmq_send(s, a->msgs[a->first + i], a->lens[a->first + i], 0);
    }
    unsigned got = 0;
    zmq_pollitem_t it = {s, 0, ZMQ_POLLIN, 0};
    double deadline = s_now() + 300;
    while (got < a->n && s_now() < deadline) {
        if (zmq_poll(&it, 1, 1000) <= 0)
            continue;
        zmq_msg_t m;
        zmq_msg_init(&m);
        if (zmq_msg_recv(&m, s, 0) >= 0) {
            double t = s_now();
            /* an Ack (samlad) or the echoed Push (baseline): both begin with the id */
            const char *d = zmq_msg_data(&m);
            size_t len = zmq_msg_size(&m);
            unsigned tag = UINT_MAX;
            if (len > 38 && d[0] == 0x0a && d[1] == 36)
                tag = (unsigned)strtoul((char[9]){d[30], d[31], d[32], d[33], d[34], d[35],
                                                  d[36], d[37], 0},
                                        NULL, 16);
            bool mine = tag >= a->first && tag < a->first + a->n;
            /* "send again later" (a key's share of samlad's lanes is full): as samla-agent
             * does, send it again; only a final answer counts */
            Samla__V1__Ack *ack = mine ? samla__v1__ack__unpack(NULL, len, (const uint8_t *)d)
                                       : NULL;
            bool retry = ack && ack->status == SAMLA__V1__ACK_STATUS__ACK_RETRY;
            if (ack)
                samla__v1__ack__free_unpacked(ack, NULL);
            if (retry) {
                zmq_send(s, a->msgs[tag], a->lens[tag], 0);
            } else {
                if (mine)
                    a->latency[tag] = t - a->sent[tag];
                got++;
            }
        }
        zmq_msg_close(&m);
    }
    a->ok = got == a->n;
    zmq_close(s);
    return NULL;
}

typedef struct {
    double seconds, p50, p99;
    int all_ok;
} s_run_t;

static s_run_t s_clients(const char *endpoint, const char *server_pub, const s_key_t *keys,
                         unsigned agents, unsigned per, uint8_t **msgs, size_t *lens)
{
    void *ctx = zmq_ctx_new();
    zmq_ctx_set(ctx, ZMQ_MAX_SOCKETS, (int)agents + 64);
    zmq_ctx_set(ctx, ZMQ_IO_THREADS, 2);
    size_t total = (size_t)agents * per;
    double *sent = calloc(total, sizeof *sent), *lat = calloc(total, sizeof *lat);
    s_agent_t *ag = calloc(agents, sizeof *ag);
    pthread_t *th = calloc(agents, sizeof *th);
    pthread_barrier_t go;
    pthread_barrier_init(&go, NULL, agents + 1);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 256 * 1024);
    for (unsigned i = 0; i < agents; i++) {
        ag[i] = (s_agent_t){ctx, endpoint, server_pub, &keys[i], msgs, lens, i * per, per,
                            sent, lat, &go, 0};
        pthread_create(&th[i], &attr, s_agent, &ag[i]);
    }
    usleep(1500000); /* let every handshake finish: the burst measures ingest, not connect */
    double t0 = s_now();
    pthread_barrier_wait(&go);
    s_run_t r = {0, 0, 0, 1};
    for (unsigned i = 0; i < agents; i++) {
        pthread_join(th[i], NULL);
        r.all_ok &= ag[i].ok;
    }
    r.seconds = s_now() - t0;
    r.p50 = s_pct(lat, total, 0.50) * 1000;
    r.p99 = s_pct(lat, total, 0.99) * 1000;
    pthread_barrier_destroy(&go);
    free(sent);
    free(lat);
    free(ag);
    free(th);
    zmq_ctx_term(ctx);
    return r;
}

/* --- (b) raw CURVE ROUTER echo --------------------------------------------------------- */

typedef struct {
    void *ctx;
    const char *endpoint, *sec;
    volatile int stop;
} s_echo_t;

static void *s_echo(void *arg)
{
    s_echo_t *e = arg;
    void *r = zmq_socket(e->ctx, ZMQ_ROUTER);
    int one = 1, hwm = 100000, tmo = 200;
    zmq_setsockopt(r, ZMQ_CURVE_SERVER, &one, sizeof one);
    zmq_setsockopt(r, ZMQ_CURVE_SECRETKEY, e->sec, 40);
    zmq_setsockopt(r, ZMQ_RCVHWM, &hwm, sizeof hwm);
    zmq_setsockopt(r, ZMQ_SNDHWM, &hwm, sizeof hwm);
    zmq_setsockopt(r, ZMQ_RCVTIMEO, &tmo, sizeof tmo);
    zmq_bind(r, e->endpoint);
    while (!e->stop) {
        zmq_msg_t id, m;
        zmq_msg_init(&id);
        zmq_msg_init(&m);
        if (zmq_msg_recv(&id, r, 0) >= 0 && zmq_msg_recv(&m, r, 0) >= 0) {
            zmq_msg_send(&id, r, ZMQ_SNDMORE);
            zmq_msg_send(&m, r, 0);
        }
        zmq_msg_close(&id);
        zmq_msg_close(&m);
    }
    zmq_close(r);
    return NULL;
}

/* --- (a) raw SQLite with the same rows and durability ------------------------------------ */

static double s_sqlite(const char *path, size_t n, size_t body_len)
{
    sqlite3 *db;
    sqlite3_open(path, &db);
    char create[4096] = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                        "PRAGMA cache_size=-65536;"
                        "CREATE TABLE s(id TEXT PRIMARY KEY, sha BLOB, orgnr TEXT, period TEXT,"
                        " revision INT, received TEXT, fp TEXT, body BLOB,"
                        " UNIQUE(orgnr, period, revision));"
                        "CREATE TABLE f(sid TEXT PRIMARY KEY";
    char insert[2048] = "INSERT INTO f VALUES(?1";
    size_t nc = strlen(create), ni = strlen(insert);
    for (size_t k = 0; k < figure_field_count; k++) {
        nc += (size_t)snprintf(create + nc, sizeof create - nc, ", c%zu INT", k);
        ni += (size_t)snprintf(insert + ni, sizeof insert - ni, ", ?%zu", k + 2);
    }
    snprintf(create + nc, sizeof create - nc, ") WITHOUT ROWID;");
    snprintf(insert + ni, sizeof insert - ni, ")");
    sqlite3_exec(db, create, NULL, NULL, NULL);
    sqlite3_stmt *si, *fi;
    sqlite3_prepare_v2(db, "INSERT INTO s VALUES(?1,?2,?3,?4,1,'2025-01-01T00:00:00Z','fp',?5)",
                       -1, &si, NULL);
    sqlite3_prepare_v2(db, insert, -1, &fi, NULL);
    uint8_t *body = calloc(1, body_len), sha[32] = {0};
    double t0 = s_now();
    for (size_t i = 0; i < n; i++) {
        if (i % 256 == 0)
            sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
        char id[64], org[48];
        snprintf(id, sizeof id, "%08zx-0000-4000-8000-000000000000", i);
        snprintf(org, sizeof org, "222%03zu-%04zu", i / 10000, i % 10000);
        sqlite3_bind_text(si, 1, id, -1, SQLITE_TRANSIENT);
        sqlite3_bind_blob(si, 2, sha, 32, SQLITE_STATIC);
        sqlite3_bind_text(si, 3, org, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(si, 4, "2025-06", -1, SQLITE_STATIC);
        sqlite3_bind_blob(si, 5, body, (int)body_len, SQLITE_STATIC);
        sqlite3_step(si);
        sqlite3_reset(si);
        sqlite3_bind_text(fi, 1, id, -1, SQLITE_TRANSIENT);
        for (size_t k = 0; k < figure_field_count; k++)
            sqlite3_bind_int64(fi, (int)k + 2, (sqlite3_int64)k);
        sqlite3_step(fi);
        sqlite3_reset(fi);
        if (i % 256 == 255 || i + 1 == n)
            sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    }
    double t = s_now() - t0;
    sqlite3_finalize(si);
    sqlite3_finalize(fi);
    sqlite3_close(db);
    free(body);
    return (double)n / t;
}

/* --- samlad as a child process ---------------------------------------------------------- */

static pid_t s_daemon(const char *bin, const char *dir, int port)
{
    char exe[4096], conf[4096], log[4096];
    snprintf(exe, sizeof exe, "%s/daemon/samlad", bin);
    snprintf(conf, sizeof conf, "%s/samlad.conf", dir);
    snprintf(log, sizeof log, "%s/samlad.log", dir);
    pid_t pid = fork();
    if (pid == 0) {
        if (!freopen(log, "a", stderr))
            _exit(127);
        execl(exe, exe, "--config", conf, (char *)NULL);
        _exit(127);
    }
    /* wait until it listens */
    for (int i = 0; i < 200; i++) {
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
        sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        int up = connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0;
        close(fd);
        if (up)
            break;
        usleep(50000);
    }
    return pid;
}

static long s_rss_kb(pid_t pid)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *fp = fopen(path, "r");
    long kb = 0;
    while (fp && fgets(line, sizeof line, fp))
        if (strncmp(line, "VmRSS:", 6) == 0)
            kb = strtol(line + 6, NULL, 10);
    if (fp)
        fclose(fp);
    return kb;
}

static void s_stop(pid_t pid)
{
    kill(pid, SIGTERM);
    waitpid(pid, NULL, 0);
}

/* The orgnr of förbund i in samlad.conf. */
static void s_orgnr(unsigned i, char out[12])
{
    snprintf(out, 12, "222%03u-%04u", (i / 10000) % 1000, i % 10000);
}

/* Writes samlad.conf with n förbund whose keys are in keys[], plus an analyst. */
static void s_config(const char *dir, int port, int qport, const s_key_t *keys, unsigned n,
                     const char *sec_path)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/samlad.conf", dir);
    FILE *fp = fopen(path, "w");
    fprintf(fp, "listen = \"tcp://127.0.0.1:%d\";\nquery_listen = \"tcp://127.0.0.1:%d\";\n"
                "database = \"samla.db\";\nsecret_key = \"%s\";\nregion = \"Bench\";\n"
                "forbund = (\n", port, qport, sec_path);
    for (unsigned i = 0; i < n; i++) {
        char kp[4096];
        snprintf(kp, sizeof kp, "%s/k%u.key", dir, i);
        s_pubfile(kp, keys[i].pub);
        char orgnr[12];
        s_orgnr(i, orgnr);
        fprintf(fp, "  { orgnr = \"%s\"; name = \"Förbund %u\"; population_16_64 = "
                    "30000; public_key = \"k%u.key\"; }%s\n",
                orgnr, i, i, i + 1 < n ? "," : "");
    }
    fprintf(fp, ");\nanalysts = ( { name = \"bench\"; public_key = \"analyst.key\"; } );\n");
    fclose(fp);
}

/* --- one benchmark's world ------------------------------------------------------------- */

/* A temp dir with samlad.conf and its keys: the daemon's, an analyst's and n förbund's. */
typedef struct {
    char dir[32];
    int port, qport;
    s_key_t server, analyst, *keys;
    unsigned n;
} s_world_t;

static int s_world_open(s_world_t *w, unsigned n)
{
    memset(w, 0, sizeof *w);
    snprintf(w->dir, sizeof w->dir, "/tmp/samla-bench-XXXXXX");
    if (!mkdtemp(w->dir) || !(w->keys = calloc(n, sizeof *w->keys)))
        return -1;
    char path[4096];
    w->port = s_free_port();
    w->qport = s_free_port();
    w->n = n;
    snprintf(path, sizeof path, "%s/samlad.key", w->dir);
    s_keygen(&w->server, path);
    snprintf(path, sizeof path, "%s/analyst.key", w->dir);
    s_keygen(&w->analyst, path);
    for (unsigned i = 0; i < n; i++)
        s_keygen(&w->keys[i], NULL);
    s_config(w->dir, w->port, w->qport, w->keys, n, "samlad.key_secret");
    return 0;
}

static void s_world_close(s_world_t *w)
{
    free(w->keys);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", w->dir);
    if (system(cmd) != 0)
        fprintf(stderr, "bench: could not remove %s\n", w->dir);
}

/* A CURVE DEALER to samlad at port with the key `own`, connecting. */
static void *s_dealer(void *ctx, const s_world_t *w, const s_key_t *own, int port)
{
    void *s = zmq_socket(ctx, ZMQ_DEALER);
    int zero = 0;
    char ep[64];
    snprintf(ep, sizeof ep, "tcp://127.0.0.1:%d", port);
    zmq_setsockopt(s, ZMQ_CURVE_SERVERKEY, w->server.pub, 40);
    zmq_setsockopt(s, ZMQ_CURVE_PUBLICKEY, own->pub, 40);
    zmq_setsockopt(s, ZMQ_CURVE_SECRETKEY, own->sec, 40);
    zmq_setsockopt(s, ZMQ_LINGER, &zero, sizeof zero);
    zmq_connect(s, ep);
    return s;
}

/* --- 1 and 4: ingest and memory ------------------------------------------------------------ */

/* Every agent's `per` Push messages, months in turn; *body_len one body's size. */
static uint8_t **s_messages(unsigned agents, unsigned per, size_t **lens, size_t *body_len)
{
    size_t total = (size_t)agents * per;
    uint8_t **msgs = calloc(total, sizeof *msgs);
    *lens = calloc(total, sizeof **lens);
    for (unsigned a = 0; a < agents; a++) {
        char orgnr[12];
        s_orgnr(a, orgnr);
        for (unsigned k = 0; k < per; k++) {
            uint8_t *body = s_submission(orgnr, 2025, (int)(k % 12) + 1, body_len);
            msgs[a * per + k] = s_push(body, *body_len, a * per + k, &(*lens)[a * per + k]);
            free(body);
        }
    }
    return msgs;
}

/* samlad's RSS with `n` agents connected, handshaken and silent (keys from `first`). */
static long s_idle_rss(const s_world_t *w, pid_t pid, unsigned first, unsigned n)
{
    void *ctx = zmq_ctx_new();
    zmq_ctx_set(ctx, ZMQ_MAX_SOCKETS, (int)n + 100);
    void **idle = calloc(n, sizeof *idle);
    for (unsigned i = 0; i < n; i++)
        idle[i] = s_dealer(ctx, w, &w->keys[first + i], w->port);
    sleep(3);
    long rss = s_rss_kb(pid);
    for (unsigned i = 0; i < n; i++)
        zmq_close(idle[i]);
    zmq_ctx_term(ctx);
    free(idle);
    return rss;
}

/* (b): the same clients and messages against a CURVE ROUTER that echoes. */
static s_run_t s_echo_run(const s_world_t *w, unsigned agents, unsigned per, uint8_t **msgs,
                          size_t *lens)
{
    s_echo_t echo = {zmq_ctx_new(), NULL, w->server.sec, 0};
    char eep[64];
    snprintf(eep, sizeof eep, "tcp://127.0.0.1:%d", s_free_port());
    echo.endpoint = eep;
    zmq_ctx_set(echo.ctx, ZMQ_IO_THREADS, 2);
    pthread_t et;
    pthread_create(&et, NULL, s_echo, &echo);
    usleep(200000);
    s_run_t rt = s_clients(eep, w->server.pub, w->keys, agents, per, msgs, lens);
    echo.stop = 1;
    pthread_join(et, NULL);
    zmq_ctx_term(echo.ctx);
    return rt;
}

static void s_ingest(const char *bin, unsigned agents, unsigned per)
{
    s_world_t w;
    if (s_world_open(&w, agents + 1000))
        return;
    size_t total = (size_t)agents * per, body_len = 0, *lens;
    uint8_t **msgs = s_messages(agents, per, &lens, &body_len);
    pid_t pid = s_daemon(bin, w.dir, w.port);
    long rss0 = s_rss_kb(pid);
    long rss_idle = s_idle_rss(&w, pid, agents, 1000);
    char ep[64];
    snprintf(ep, sizeof ep, "tcp://127.0.0.1:%d", w.port);
    s_run_t in = s_clients(ep, w.server.pub, w.keys, agents, per, msgs, lens);
    long rss_after = s_rss_kb(pid);
    sleep(4); /* samlad gives memory back 2 s after the last submission */
    long rss_settled = s_rss_kb(pid);
    s_stop(pid);
    char path[4096];
    snprintf(path, sizeof path, "%s/raw.db", w.dir);
    double raw = s_sqlite(path, total, body_len);
    s_run_t rt = s_echo_run(&w, agents, per, msgs, lens);
    double ingest = (double)total / in.seconds, curve = (double)total / rt.seconds;
    printf("\n1. Ingest: %u agents x %u submissions (%zu bytes each), all at once\n", agents,
           per, lens[0]);
    printf("   %-44s %10.0f /s   ACK p50 %6.1f ms  p99 %6.1f ms%s\n", "samlad, durable",
           ingest, in.p50, in.p99, in.all_ok ? "" : "  (NOT ALL ACKNOWLEDGED)");
    printf("   %-44s %10.0f /s\n", "(a) raw SQLite, same rows, WAL+FULL, 256/txn", raw);
    printf("   %-44s %10.0f /s   RTT p50 %6.1f ms  p99 %6.1f ms\n",
           "(b) raw CURVE DEALER/ROUTER echo", curve, rt.p50, rt.p99);
    printf("   ingest/(a) = %.2f   ingest/(b) = %.2f\n", ingest / raw, ingest / curve);
    printf("\n4. samlad memory (RSS): %.1f MB at start, %.1f MB with 1000 idle agents, "
           "%.1f MB after the burst, %.1f MB 4 s later\n", rss0 / 1024.0, rss_idle / 1024.0,
           rss_after / 1024.0, rss_settled / 1024.0);
    for (size_t i = 0; i < total; i++)
        free(msgs[i]);
    free(msgs);
    free(lens);
    s_world_close(&w);
}

/* --- 2: queries over a long history ----------------------------------------------------- */

/* Sends one query on a DEALER and waits for the reply; returns milliseconds or -1. */
static double s_query(void *s, const Samla__V1__Query *q, size_t *bytes)
{
    size_t len;
    uint8_t *buf = wire_pack((const ProtobufCMessage *)q, &len);
    double t0 = s_now();
    zmq_send(s, buf, len, 0);
    free(buf);
    zmq_msg_t m;
    zmq_msg_init(&m);
    int rc = zmq_msg_recv(&m, s, 0);
    double t = (s_now() - t0) * 1000;
    Samla__V1__Reply *r =
        rc >= 0 ? samla__v1__reply__unpack(NULL, zmq_msg_size(&m), zmq_msg_data(&m)) : NULL;
    int ok = r && !r->has_error;
    if (r)
        samla__v1__reply__free_unpacked(r, NULL);
    if (bytes)
        *bytes = rc >= 0 ? zmq_msg_size(&m) : 0;
    zmq_msg_close(&m);
    return ok ? t : -1;
}

/* The participant rows of one förbund's month, year to date: three individual
 * interventions (flow, four exit reasons, three age bands) and a volume one, 34 rows as a
 * mid-sized förbund sends. Counts grow with the month and differ by förbund, so that some
 * lines are under the privacy threshold and the gate has work to do. */
typedef struct {
    Samla__V1__ParticipantRow rows[40], *rp[40];
    size_t n;
} s_parts_t;

static void s_part(s_parts_t *p, const char *name, Samla__V1__InterventionKind kind,
                   const char *measure, const char *category, unsigned women, unsigned men)
{
    Samla__V1__ParticipantRow *r = &p->rows[p->n];
    samla__v1__participant_row__init(r);
    r->intervention = (char *)name;
    r->kind = kind;
    r->measure = (char *)measure;
    r->category = (char *)category;
    r->has_women = r->has_men = 1;
    r->women = women;
    r->men = men;
    p->rp[p->n++] = r;
}

static void s_parts(s_parts_t *p, unsigned f, int m)
{
    static const char *const names[] = {"Arbetsrehab", "Unga vuxna", "Hälsoskolan"};
    static const char *const exits[] = {"arbete", "studier", "fortsatt_rehab", "sjukdom"};
    static const char *const ages[] = {"16-29", "30-44", "45-64"};
    const Samla__V1__InterventionKind ind = SAMLA__V1__INTERVENTION_KIND__KIND_INDIVIDUAL;
    p->n = 0;
    for (unsigned i = 0; i < 3; i++) {
        unsigned start = 6 + (f + i) % 9, fresh = (unsigned)m * (1 + (f + i) % 3);
        unsigned ended = (unsigned)m * (1 + (f + 2 * i) % 2);
        ended = ended > start + fresh ? start + fresh : ended;
        s_part(p, names[i], ind, "aktuella_start", NULL, start, start);
        s_part(p, names[i], ind, "nya", NULL, fresh, fresh);
        s_part(p, names[i], ind, "avslutade", NULL, ended, ended);
        s_part(p, names[i], ind, "aktuella_slut", NULL, start + fresh - ended,
               start + fresh - ended);
        for (unsigned e = 0; e < 4; e++) /* ended spread over four reasons */
            s_part(p, names[i], ind, "avslut", exits[e], ended / 4 + (e < ended % 4),
                   ended / 4 + (e < ended % 4));
        for (unsigned a = 0; a < 3; a++)
            s_part(p, names[i], ind, "alder", ages[a], fresh / 3 + (a < fresh % 3),
                   fresh / 3 + (a < fresh % 3));
    }
    s_part(p, "Kurs", SAMLA__V1__INTERVENTION_KIND__KIND_VOLUME, "nya", NULL,
           (unsigned)m * 4, 1 + f % 7);
}

/* One förbund's month as samlad would have stored it, with its details and consolidated
 * row. */
static int s_put_month(store_t *st, unsigned f, unsigned year, int m, samla_err_t *err)
{
    char orgnr[12], period[16], id[37];
    s_orgnr(f, orgnr);
    snprintf(period, sizeof period, "%04u-%02d", year, m);
    if (wire_uuid(id))
        return -1;
    s_parts_t parts;
    s_parts(&parts, f, m);
    Samla__V1__Submission sub = SAMLA__V1__SUBMISSION__INIT;
    sub.orgnr = orgnr;
    sub.period = period;
    sub.n_participants = parts.n;
    sub.participants = parts.rp;
    figures_t fg;
    diag_t *d = diag_new();
    if (!d || figures_from_submission(&sub, &fg, d)) {
        diag_destroy(&d);
        return -1;
    }
    diag_destroy(&d);
    fg.has_ledger = fg.has_cost_areas = fg.has_participants = 1;
    fg.contributions_state = 50000000LL * m + f;
    fg.costs_activity = 45000000LL * m;
    fg.cost_individual = 30000000LL * m;
    fg.equity = 20000000;
    fg.cash = 25000000;
    fg.current_liabilities = 5000000;
    uint8_t sha[32] = {0};
    cons_row_t row;
    cons_row(&fg, 1, m, 29000, &row);
    disc_fewest_submission(&sub, &row.disc);
    store_submission_t ss = {id, orgnr, period, "bench", sha, sha, 1, NULL, NULL};
    store_receipt_t r;
    return derive_put(st, &ss, &sub, &fg, &row, &r, err);
}

/* `years` of months from 2016 for every förbund, written straight into samla.db, one
 * transaction a month with the group aggregates kept at COMMIT as samlad keeps them.
 * Returns the submissions written. */
static unsigned s_fill(const s_world_t *w, unsigned years)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/samla.db", w->dir);
    samla_err_t err;
    store_t *st = store_open(path, &err);
    if (!st) {
        fprintf(stderr, "bench: %s\n", err.msg);
        return 0;
    }
    member_t *mb = calloc(w->n, sizeof *mb);
    for (unsigned f = 0; f < w->n; f++) {
        mb[f].role = ROLE_FORBUND;
        s_orgnr(f, mb[f].orgnr);
        mb[f].name = "Samordningsförbundet";
        mb[f].population = 29000;
        snprintf(mb[f].public_txt, sizeof mb[f].public_txt, "%s", w->keys[f].pub);
    }
    registry_t *reg = registry_of("Bench", mb, w->n);
    unsigned n = 0;
    for (unsigned y = 2016; y < 2016 + years; y++)
        for (int m = 1; m <= 12; m++) {
            char month[16];
            snprintf(month, sizeof month, "%04u-%02d", y, m);
            store_begin(st, &err);
            for (unsigned f = 0; f < w->n; f++)
                n += s_put_month(st, f, y, m, &err) == 0;
            if (derive_groups(st, reg, month, &err))
                fprintf(stderr, "bench: %s\n", err.msg);
            store_commit(st, &err);
        }
    store_close(&st);
    registry_destroy(&reg);
    free(mb);
    return n;
}

/* The queries timed, and how often each is asked; `forbund`: with a förbund's key, through
 * the disclosure gate (the others with the analyst's). */
static const struct {
    const char *name;
    int reps;
    bool forbund;
} s_kinds[] = {{"compare (one month, all metrics)", 200, false},
               {"compare --metric result", 200, false},
               {"trend, 12 months", 100, false},
               {"trend, 120 months", 20, false},
               {"status, one year", 100, false},
               {"export, one year", 10, false},
               {"compare, förbund key", 200, true},
               {"trend, 120 months, förbund key", 20, true},
               {"export, one year, förbund key", 10, true}};

/* Buffers for one query's strings. */
typedef struct {
    char period[16], orgnr[24], from[16], to[16];
} s_qbuf_t;

/* Query kind k about a random month and förbund of the history. */
static Samla__V1__Query s_history_query(size_t k, unsigned forbund, unsigned years, s_qbuf_t *b)
{
    Samla__V1__Query q = SAMLA__V1__QUERY__INIT;
    q.has_names_once = q.names_once = 1; /* as samla asks */
    q.has_columns = q.columns = 1;
    unsigned y = 2016 + (unsigned)rand() % years;
    snprintf(b->period, sizeof b->period, "%04u-%02d", y, 1 + rand() % 12);
    snprintf(b->orgnr, sizeof b->orgnr, "222000-%04u", (unsigned)rand() % forbund);
    switch (k) {
    case 0:
    case 6: q.kind = SAMLA__V1__QUERY_KIND__QUERY_COMPARE; q.period = b->period; break;
    case 1:
        q.kind = SAMLA__V1__QUERY_KIND__QUERY_COMPARE;
        q.period = b->period;
        q.metric = "result";
        break;
    case 2:
    case 3:
    case 7:
        q.kind = SAMLA__V1__QUERY_KIND__QUERY_TREND;
        q.orgnr = b->orgnr;
        q.metric = "cost_per_participant";
        snprintf(b->to, sizeof b->to, "%04u-12", 2016 + years - 1);
        snprintf(b->from, sizeof b->from, "%04u-01", k == 2 ? 2016 + years - 1 : 2016);
        q.metric = k == 7 ? "participants" : q.metric;
        q.from = b->from;
        q.to = b->to;
        break;
    case 4:
        q.kind = SAMLA__V1__QUERY_KIND__QUERY_STATUS;
        q.has_year = 1;
        q.year = y;
        break;
    default:
        q.kind = SAMLA__V1__QUERY_KIND__QUERY_EXPORT;
        q.has_year = 1;
        q.year = y;
    }
    return q;
}

/* How one query is answered: its time in ms (< 0: it failed) and the reply's size. */
typedef double s_ask_fn(void *arg, size_t kind, const Samla__V1__Query *q, size_t *bytes);

/* The queried kinds timed, one line each under `title`: only those whose name contains
 * `only` (NULL: all) and, with `compares`, only compares; each `times` its usual count
 * (for a profile of one kind). */
static void s_time_kinds(const char *title, bool compares, const char *only, unsigned times,
                         unsigned forbund, unsigned years, s_ask_fn *ask, void *arg)
{
    printf("   %-36s %8s %10s %10s\n", title, "runs", "p50 ms", "p99 ms");
    srand(42);
    for (size_t k = 0; k < sizeof s_kinds / sizeof s_kinds[0]; k++) {
        if ((compares && !strstr(s_kinds[k].name, "compare")) ||
            (only && !strstr(s_kinds[k].name, only)))
            continue;
        int reps = s_kinds[k].reps * (int)(times ? times : 1), bad = 0;
        double *t = calloc((size_t)reps, sizeof *t), bytes = 0;
        for (int r = 0; t && r < reps; r++) {
            s_qbuf_t b;
            Samla__V1__Query q = s_history_query(k, forbund, years, &b);
            size_t len = 0;
            t[r] = ask(arg, k, &q, &len);
            bad += t[r] < 0;
            bytes += (double)len;
        }
        if (t)
            printf("   %-36s %8d %10.1f %10.1f   reply %.0f KB%s\n", s_kinds[k].name, reps,
                   s_pct(t, (size_t)reps, 0.5), s_pct(t, (size_t)reps, 0.99),
                   bytes / reps / 1000, bad ? "  (errors)" : "");
        free(t);
    }
}

/* Through the query socket: the analyst's, or for a förbund key's kind the förbund's. */
typedef struct {
    void *analyst, *own;
} s_socket_ask_t;

static double s_socket_ask(void *arg, size_t kind, const Samla__V1__Query *q, size_t *bytes)
{
    s_socket_ask_t *a = arg;
    return s_query(s_kinds[kind].forbund ? a->own : a->analyst, q, bytes);
}

/* In this process, by samlad's own query_answer on the bench's database (a read-only
 * store, the registry from samlad.conf, a work arena kept from reply to reply as samlad's
 * workers keep theirs): what samlad spends building and packing a reply, without the
 * trip. */
typedef struct {
    const s_world_t *w;
    registry_t *reg;
    store_t *st;
    query_cache_t *cache;
    arena_t work;
} s_inproc_ask_t;

static double s_inproc_ask(void *arg, size_t kind, const Samla__V1__Query *q, size_t *bytes)
{
    s_inproc_ask_t *a = arg;
    query_cfg_t qc = {5}; /* samlad's default privacy_threshold, as the world's config */
    size_t qlen;
    uint8_t *qbuf = wire_pack((const ProtobufCMessage *)q, &qlen);
    double t0 = s_now();
    uint8_t *out = query_answer(s_kinds[kind].forbund ? a->w->keys[0].pub : a->w->analyst.pub,
                                qbuf, qlen, a->st, a->reg, &qc, a->cache, &a->work, bytes);
    double t = (s_now() - t0) * 1000;
    free(out);
    free(qbuf);
    return out ? t : -1;
}

/* The compares again, in process (s_inproc_ask), beside the running samlad. */
static void s_inproc(const s_world_t *w, unsigned forbund, unsigned years, const char *only,
                     unsigned times)
{
    char path[4096], db[4096];
    snprintf(path, sizeof path, "%s/samlad.conf", w->dir);
    snprintf(db, sizeof db, "%s/samla.db", w->dir);
    config_t cfg;
    config_init(&cfg);
    samla_err_t err;
    s_inproc_ask_t a = {.w = w};
    a.reg = config_read_file(&cfg, path) ? registry_load(&cfg, path, &err) : NULL;
    a.st = a.reg ? store_open_readonly(db, &err) : NULL;
    a.cache = query_cache_new();
    arena_init(&a.work, SIZE_MAX);
    arena_keep(&a.work, 8u << 20);
    if (a.reg && a.st && a.cache)
        s_time_kinds("the same in samlad (no socket)", true, only, times, forbund, years,
                     s_inproc_ask, &a);
    else
        fprintf(stderr, "bench: in-process queries: %s\n", a.reg ? err.msg : "no registry");
    arena_release(&a.work);
    query_cache_destroy(&a.cache);
    store_close(&a.st);
    registry_destroy(&a.reg);
    config_destroy(&cfg);
}

static void s_history(const char *bin, unsigned forbund, unsigned years, const char *only,
                      unsigned times)
{
    s_world_t w;
    if (s_world_open(&w, forbund))
        return;
    double t0 = s_now();
    unsigned n = s_fill(&w, years);
    double build = s_now() - t0;
    pid_t pid = s_daemon(bin, w.dir, w.port);
    void *ctx = zmq_ctx_new();
    s_socket_ask_t a = {s_dealer(ctx, &w, &w.analyst, w.qport),
                        s_dealer(ctx, &w, &w.keys[0], w.qport)};
    /* a samlad that has run a while has every month's pages mapped and its workers'
     * memory grown: one compare of each month, with each key, before the clock starts */
    for (unsigned y = 0; y < years; y++)
        for (int m = 1; m <= 12; m++) {
            Samla__V1__Query q = SAMLA__V1__QUERY__INIT;
            char period[16];
            snprintf(period, sizeof period, "%04u-%02d", 2016 + y, m);
            q.kind = SAMLA__V1__QUERY_KIND__QUERY_COMPARE;
            q.period = period;
            q.has_names_once = q.names_once = q.has_columns = q.columns = 1;
            s_query(a.analyst, &q, NULL);
            s_query(a.own, &q, NULL);
        }
    printf("\n2. History: %u förbund x %u years of months = %u submissions "
           "(database built in %.1f s; one compare of each month asked first)\n", forbund,
           years, n, build);
    s_time_kinds("query (real query socket)", false, only, times, forbund, years,
                 s_socket_ask, &a);
    zmq_close(a.analyst);
    zmq_close(a.own);
    zmq_ctx_term(ctx);
    s_inproc(&w, forbund, years, only, times); /* beside the running samlad, as its workers */
    s_stop(pid);
    s_world_close(&w);
}

/* samla-agent check on a file: wall time and the child's peak RSS. */
static void s_agent_check(const char *bin, const char *sie, const char *orgnr, const char *what)
{
    char dir[] = "/tmp/samla-bench-XXXXXX", conf[4096], exe[4096], period[8] = "2025-12";
    if (!mkdtemp(dir))
        return;
    snprintf(conf, sizeof conf, "%s/agent.conf", dir);
    FILE *fp = fopen(conf, "w");
    fprintf(fp, "orgnr = \"%s\";\n", orgnr);
    fclose(fp);
    snprintf(exe, sizeof exe, "%s/agent/samla-agent", bin);
    double t0 = s_now();
    pid_t pid = fork();
    if (pid == 0) {
        if (!freopen("/dev/null", "w", stdout))
            _exit(127);
        execl(exe, exe, "--config", conf, "check", "--period", period, "--sie", sie,
              (char *)NULL);
        _exit(127);
    }
    int status;
    struct rusage ru;
    wait4(pid, &status, 0, &ru);
    double t = s_now() - t0;
    FILE *f = fopen(sie, "rb");
    long size = 0;
    if (f) {
        fseek(f, 0, SEEK_END);
        size = ftell(f);
        fclose(f);
    }
    printf("   %-44s %7.3f s %8.1f MB/s  peak RSS %5.1f MB%s\n", what, t, size / 1e6 / t,
           ru.ru_maxrss / 1024.0, WIFEXITED(status) && WEXITSTATUS(status) == 0 ? "" : " (FAILED)");
    unlink(conf);
    rmdir(dir);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_net BINDIR ingest [AGENTS [PER_AGENT]]\n"
                        "       bench_net BINDIR history [FORBUND [YEARS [ONLY [TIMES]]]]\n"
                        "       bench_net BINDIR agent SIE ORGNR LABEL\n");
        return 64;
    }
    zsys_handler_set(NULL);
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    if (strcmp(argv[2], "ingest") == 0)
        s_ingest(argv[1], argc > 3 ? (unsigned)strtoul(argv[3], NULL, 10) : 800,
                 argc > 4 ? (unsigned)strtoul(argv[4], NULL, 10) : 10);
    else if (strcmp(argv[2], "history") == 0)
        s_history(argv[1], argc > 3 ? (unsigned)strtoul(argv[3], NULL, 10) : 300,
                  argc > 4 ? (unsigned)strtoul(argv[4], NULL, 10) : 10,
                  argc > 5 ? argv[5] : NULL, argc > 6 ? (unsigned)strtoul(argv[6], NULL, 10) : 1);
    else if (strcmp(argv[2], "agent") == 0 && argc == 6)
        s_agent_check(argv[1], argv[3], argv[4], argv[5]);
    else
        return 64;
    return 0;
}
