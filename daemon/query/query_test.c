/* query: what samlad answers from a store holding three förbund's March, for an analyst
 * and for a förbund's own key (privacy threshold), and what it refuses. */
#include "derive.h"
#include "query.h"
#include "samla/columns.h"
#include "samla/metrics.h"
#include "samla/wire.h"
#include "store.h"
#include "testutil.h"

static const char KEY_A[] = "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7"; /* förbund A */
static const char KEY_X[] = "Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID"; /* the analyst */
static const char KEY_U[] = "0000000000000000000000000000000000000000"; /* no one's */

typedef struct {
    char dir[64];
    store_t *store;
    registry_t *reg;
} fixture_t;

/* One month's figures: contributions and costs in kronor, participants at year start and
 * new. */
static void s_put(fixture_t *fx, const char *orgnr, const char *period, int n,
                  int64_t contrib_kr, int64_t costs_kr, int64_t start, int64_t fresh)
{
    figures_t f;
    memset(&f, 0, sizeof f);
    f.has_ledger = f.has_participants = 1;
    f.contributions_state = contrib_kr * 100;
    f.costs_personnel = costs_kr * 100;
    f.cash = (contrib_kr - costs_kr) * 100;
    f.equity = (contrib_kr - costs_kr) * 100;
    f.p_start = start;
    f.p_new = fresh;
    f.p_women = start + fresh;
    cons_row_t m;
    derive_metrics(fx->reg, orgnr, period, &f, NULL, 1, &m);
    char id[37];
    snprintf(id, sizeof id, "00000000-0000-4000-8000-%012d", n);
    uint8_t sha[32];
    memset(sha, n, sizeof sha);
    store_submission_t s = {id, orgnr, period, "fp", sha, (const uint8_t *)"b", 1, NULL, NULL};
    samla_err_t err;
    store_receipt_t s_r;
    assert_int_equal(derive_put(fx->store, &s, NULL, &f, &m, &s_r, &err), STORE_INSERTED);
}

static int s_setup(void **state)
{
    fixture_t *fx = calloc(1, sizeof *fx);
    snprintf(fx->dir, sizeof fx->dir, "/tmp/samla-query-XXXXXX");
    if (!mkdtemp(fx->dir))
        return -1;
    member_t m[4] = {
        {.role = ROLE_FORBUND, .orgnr = "222000-0001", .name = "Samordningsförbundet A"},
        {.role = ROLE_FORBUND, .orgnr = "222000-0002", .name = "Samordningsförbundet B"},
        {.role = ROLE_FORBUND, .orgnr = "222000-0003", .name = "Samordningsförbundet C"},
        {.role = ROLE_ANALYST, .name = "Analytiker"},
    };
    memcpy(m[0].public_txt, KEY_A, sizeof KEY_A);
    memcpy(m[1].public_txt, "1111111111111111111111111111111111111111", KEY_Z85_LEN + 1);
    memcpy(m[2].public_txt, "2222222222222222222222222222222222222222", KEY_Z85_LEN + 1);
    memcpy(m[3].public_txt, KEY_X, sizeof KEY_X);
    fx->reg = registry_of("Testregionen", m, 4);
    char path[128];
    snprintf(path, sizeof path, "%s/q.db", fx->dir);
    samla_err_t err;
    fx->store = store_open(path, &err);
    if (!fx->reg || !fx->store || derive_registry(fx->store, fx->reg, &err) ||
        store_begin(fx->store, &err))
        return -1;
    /* A: result 600 000 kr, 15 participants; B: 3 participants (below the threshold of 5);
     * C: result -100 000 kr. February for A too, for the trend. */
    s_put(fx, "222000-0001", "2025-02", 1, 700000, 300000, 10, 3);
    s_put(fx, "222000-0001", "2025-03", 2, 1000000, 400000, 10, 5);
    s_put(fx, "222000-0002", "2025-03", 3, 500000, 200000, 2, 1);
    s_put(fx, "222000-0003", "2025-03", 4, 300000, 400000, 20, 10);
    /* C's March is flagged as ingest flags a count to date that fell */
    if (store_flag(fx->store, "00000000-0000-4000-8000-000000000004",
                   "nya hittills sjönk från 23 i 2025-02 till 22: antal hittills kan inte "
                   "sjunka; är det rätt förbunds fil för rätt månad?", &err))
        return -1;
    if (derive_groups(fx->store, fx->reg, "2025-02", &err) ||
        derive_groups(fx->store, fx->reg, "2025-03", &err) || store_commit(fx->store, &err))
        return -1;
    *state = fx;
    return 0;
}

static int s_teardown(void **state)
{
    fixture_t *fx = *state;
    store_close(&fx->store);
    registry_destroy(&fx->reg);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", fx->dir);
    int rc = system(cmd);
    free(fx);
    return rc;
}

typedef struct {
    arena_t arena;
    Samla__V1__Reply reply;
    char why[256];
    int code;
} answer_t;

static void s_ask(fixture_t *fx, const char *key, const Samla__V1__Query *q, long long threshold,
                  answer_t *an)
{
    query_cfg_t cfg = {threshold};
    arena_init(&an->arena, SIZE_MAX);
    samla__v1__reply__init(&an->reply);
    const member_t *who = key ? registry_by_key(fx->reg, key) : NULL;
    an->code = query_run(q, who, fx->store, fx->reg, &cfg, NULL, &an->arena, &an->reply,
                         an->why, sizeof an->why);
}

static const Samla__V1__MetricValue *s_value(const Samla__V1__ForbundFigures *f,
                                             const char *metric)
{
    for (size_t i = 0; i < f->n_metrics; i++)
        if (strcmp(f->metrics[i]->name, metric) == 0)
            return f->metrics[i];
    return NULL;
}

static const Samla__V1__ForbundFigures *s_forbund(const Samla__V1__Compare *c, const char *orgnr)
{
    for (size_t i = 0; i < c->n_forbund; i++)
        if (strcmp(c->forbund[i]->orgnr, orgnr) == 0)
            return c->forbund[i];
    return NULL;
}

static void test_compare_for_the_analyst(void **state)
{
    fixture_t *fx = *state;
    Samla__V1__Query q = SAMLA__V1__QUERY__INIT;
    q.kind = SAMLA__V1__QUERY_KIND__QUERY_COMPARE;
    q.period = "2025-03";
    answer_t an;
    s_ask(fx, KEY_X, &q, 5, &an);
    assert_int_equal(an.code, 0);
    const Samla__V1__Compare *c = an.reply.compare;
    assert_non_null(c);
    assert_string_equal(c->region, "Testregionen");
    assert_int_equal(c->n_forbund, 3);
    const Samla__V1__MetricValue *ra = s_value(s_forbund(c, "222000-0001"), "result");
    const Samla__V1__MetricValue *rc = s_value(s_forbund(c, "222000-0003"), "result");
    assert_true(ra->has_ore && rc->has_ore);
    assert_int_equal(ra->ore, 60000000);  /* 1 000 000 - 400 000 kr */
    assert_int_equal(rc->ore, -10000000); /* 300 000 - 400 000 kr */
    /* the analyst sees B's three participants: no threshold for analysts */
    const Samla__V1__MetricValue *pb = s_value(s_forbund(c, "222000-0002"), "participants");
    assert_true(pb->has_count && !pb->suppressed);
    assert_int_equal(pb->count, 3);
    /* the catalogue describes every metric of a compare */
    assert_int_equal(an.reply.n_metrics, metric_count);
    arena_release(&an.arena);
    /* names once: the values come in the catalogue's order, without names of their own */
    q.has_names_once = q.names_once = 1;
    s_ask(fx, KEY_X, &q, 5, &an);
    assert_int_equal(an.code, 0);
    const Samla__V1__ForbundFigures *a = s_forbund(an.reply.compare, "222000-0001");
    assert_int_equal(a->n_metrics, an.reply.n_metrics);
    size_t result = (size_t)(metric_find("result") - metric_table);
    assert_null(a->metrics[result]->name);
    assert_string_equal(an.reply.metrics[result]->name, "result");
    assert_int_equal(a->metrics[result]->ore, 60000000);
    arena_release(&an.arena);
}

/* A reply packed, and read back as samla reads it (malloc'd, columns turned into rows);
 * the caller frees it with free_unpacked. */
static Samla__V1__Reply *s_as_samla_reads(answer_t *an)
{
    assert_int_equal(an->code, 0);
    size_t len;
    uint8_t *buf = wire_pack(&an->reply.base, &len);
    assert_non_null(buf);
    Samla__V1__Reply *r = samla__v1__reply__unpack(NULL, len, buf);
    free(buf);
    arena_release(&an->arena);
    assert_non_null(r);
    assert_int_equal(cols_expand(r->compare, r->metrics, r->n_metrics), 0);
    for (size_t i = 0; r->export && i < r->export->n_months; i++)
        assert_int_equal(cols_expand(r->export->months[i], r->metrics, r->n_metrics), 0);
    return r;
}

/* Query.columns carries the same values as a MetricValue per förbund: for the analyst and
 * through the gate (B's small counts suppressed for A), every metric or one, a compare and
 * an export; the replies read back are the same bytes. */
static void test_columns_carry_the_same_values(void **state)
{
    fixture_t *fx = *state;
    const char *keys[] = {KEY_X, KEY_A};
    const char *metrics[] = {NULL, "participants", "cost_per_participant"};
    for (size_t w = 0; w < 2; w++)
        for (size_t kind = 0; kind < 4; kind++) {
            Samla__V1__Query q = SAMLA__V1__QUERY__INIT;
            q.kind = kind < 3 ? SAMLA__V1__QUERY_KIND__QUERY_COMPARE
                              : SAMLA__V1__QUERY_KIND__QUERY_EXPORT;
            q.period = "2025-03";
            q.metric = kind < 3 ? (char *)metrics[kind] : NULL;
            q.has_year = kind == 3;
            q.year = 2025;
            answer_t rows, cols;
            s_ask(fx, keys[w], &q, 5, &rows);
            q.has_columns = q.columns = 1;
            s_ask(fx, keys[w], &q, 5, &cols);
            const Samla__V1__Compare *c =
                kind < 3 ? cols.reply.compare : cols.reply.export->months[2];
            assert_int_equal(cols.code, 0);
            assert_int_equal(c->n_columns, cols.reply.n_metrics);
            assert_int_equal(c->forbund[0]->n_metrics, 0);
            size_t judged = 0; /* the national targets (equity ratio, ...) ride in columns */
            for (size_t i = 0; i < c->n_columns; i++)
                judged += c->columns[i]->targets ? c->columns[i]->targets->n_which : 0;
            assert_true(judged > 0 || kind > 0);
            assert_int_equal(c->forbund[0]->n_targets, 0);
            Samla__V1__Reply *a = s_as_samla_reads(&rows), *b = s_as_samla_reads(&cols);
            size_t la, lb;
            uint8_t *pa = wire_pack(&a->base, &la), *pb = wire_pack(&b->base, &lb);
            assert_true(la > 1000 || kind > 0);
            assert_int_equal(la, lb);
            assert_memory_equal(pa, pb, la);
            free(pa);
            free(pb);
            samla__v1__reply__free_unpacked(a, NULL);
            samla__v1__reply__free_unpacked(b, NULL);
        }
}

static void test_compare_for_a_forbund(void **state)
{
    fixture_t *fx = *state;
    Samla__V1__Query q = SAMLA__V1__QUERY__INIT;
    q.kind = SAMLA__V1__QUERY_KIND__QUERY_COMPARE;
    q.period = "2025-03";
    q.metric = "participants";
    answer_t an;
    s_ask(fx, KEY_A, &q, 5, &an);
    assert_int_equal(an.code, 0);
    const Samla__V1__Compare *c = an.reply.compare;
    const Samla__V1__MetricValue *own = s_value(s_forbund(c, "222000-0001"), "participants");
    const Samla__V1__MetricValue *b = s_value(s_forbund(c, "222000-0002"), "participants");
    assert_int_equal(own->count, 15); /* its own, whatever the size */
    assert_true(b->has_suppressed && b->suppressed); /* 3 < 5: hidden from another förbund */
    assert_false(b->has_count);
    assert_int_equal(an.reply.n_metrics, 1); /* the one asked for */
    arena_release(&an.arena);
}

static void test_trend_and_status(void **state)
{
    fixture_t *fx = *state;
    Samla__V1__Query q = SAMLA__V1__QUERY__INIT;
    q.kind = SAMLA__V1__QUERY_KIND__QUERY_TREND;
    q.orgnr = "222000-0001";
    q.metric = "result";
    q.from = "2025-01";
    q.to = "2025-03";
    answer_t an;
    s_ask(fx, KEY_X, &q, 5, &an);
    assert_int_equal(an.code, 0);
    const Samla__V1__Trend *t = an.reply.trend;
    assert_int_equal(t->n_points, 3);
    assert_string_equal(t->points[1]->period, "2025-02");
    assert_int_equal(t->points[1]->value->ore, 40000000);
    assert_int_equal(t->points[2]->value->ore, 60000000);
    assert_false(t->points[0]->value->has_ore); /* January was never sent */
    arena_release(&an.arena);
    /* without --from and --to: January to A's latest month, whatever today's date */
    q.from = q.to = NULL;
    s_ask(fx, KEY_X, &q, 5, &an);
    assert_int_equal(an.code, 0);
    assert_int_equal(an.reply.trend->n_points, 3);
    assert_string_equal(an.reply.trend->points[2]->period, "2025-03");
    arena_release(&an.arena);

    Samla__V1__Query s = SAMLA__V1__QUERY__INIT;
    s.kind = SAMLA__V1__QUERY_KIND__QUERY_STATUS;
    s.has_year = 1;
    s.year = 2025;
    s_ask(fx, KEY_X, &s, 5, &an);
    assert_int_equal(an.code, 0);
    const Samla__V1__Status *st = an.reply.status;
    assert_int_equal(st->n_forbund, 3);
    assert_string_equal(st->forbund[0]->orgnr, "222000-0001");
    assert_int_equal(st->forbund[0]->months[1]->revisions, 1);
    assert_int_equal(st->forbund[0]->months[2]->revisions, 1);
    assert_int_equal(st->forbund[1]->months[1]->revisions, 0);
    arena_release(&an.arena);
}

/* A flag's text carries counts: another förbund's key reads only that a count fell. */
static void test_status_flags(void **state)
{
    fixture_t *fx = *state;
    Samla__V1__Query s = SAMLA__V1__QUERY__INIT;
    s.kind = SAMLA__V1__QUERY_KIND__QUERY_STATUS;
    s.has_year = 1;
    s.year = 2025;
    answer_t an;
    const char *keys[] = {KEY_X, KEY_A, "2222222222222222222222222222222222222222"};
    for (size_t i = 0; i < 3; i++) {
        s_ask(fx, keys[i], &s, 5, &an);
        assert_int_equal(an.code, 0);
        const char *flag = an.reply.status->forbund[2]->months[2]->flag;
        assert_non_null(flag);
        bool counts = strpbrk(flag, "0123456789") != NULL;
        assert_true(counts == (i != 1)); /* the analyst and C itself see the numbers */
        arena_release(&an.arena);
    }
}

/* An earlier revision never went through the gate: another förbund's is refused. */
static void test_revision_of_another(void **state)
{
    fixture_t *fx = *state;
    Samla__V1__Query q = SAMLA__V1__QUERY__INIT;
    q.kind = SAMLA__V1__QUERY_KIND__QUERY_TREND;
    q.orgnr = "222000-0002";
    q.metric = "participants";
    q.from = "2025-03";
    q.to = "2025-03";
    q.has_revision = 1;
    q.revision = 1;
    answer_t an;
    s_ask(fx, KEY_A, &q, 5, &an);
    assert_int_equal(an.code, SAMLA__V1__ERROR_CODE__ERR_REFUSED);
    arena_release(&an.arena);
    s_ask(fx, KEY_X, &q, 5, &an);
    assert_int_equal(an.code, 0);
    assert_int_equal(an.reply.trend->points[0]->value->count, 3);
    arena_release(&an.arena);
    q.has_revision = 0; /* the latest, through the gate: B's three are withheld */
    s_ask(fx, KEY_A, &q, 5, &an);
    assert_int_equal(an.code, 0);
    assert_true(an.reply.trend->points[0]->value->suppressed);
    arena_release(&an.arena);
}

/* samlad's query thread keeps the gate's releases while the database is unchanged: a new
 * revision committed by the writer must be seen through a fresh release at once. */
static void test_cache_follows_the_store(void **state)
{
    fixture_t *fx = *state;
    char path[128];
    snprintf(path, sizeof path, "%s/q.db", fx->dir);
    samla_err_t err;
    store_t *ro = store_open_readonly(path, &err);
    query_cache_t *cache = query_cache_new();
    assert_non_null(ro);
    assert_non_null(cache);
    Samla__V1__Query q = SAMLA__V1__QUERY__INIT;
    q.kind = SAMLA__V1__QUERY_KIND__QUERY_COMPARE;
    q.period = "2025-03";
    q.metric = "participants";
    query_cfg_t cfg = {5};
    const member_t *a = registry_by_key(fx->reg, KEY_A);
    for (int round = 0; round < 2; round++) {
        answer_t an;
        arena_init(&an.arena, SIZE_MAX);
        samla__v1__reply__init(&an.reply);
        an.code = query_run(&q, a, ro, fx->reg, &cfg, cache, &an.arena, &an.reply, an.why,
                            sizeof an.why);
        assert_int_equal(an.code, 0);
        const Samla__V1__MetricValue *c =
            s_value(s_forbund(an.reply.compare, "222000-0003"), "participants");
        if (round == 0) {
            assert_int_equal(c->count, 30);
            /* C sends a correction: three participants, under the threshold */
            assert_int_equal(store_begin(fx->store, &err), 0);
            s_put(fx, "222000-0003", "2025-03", 5, 300000, 400000, 2, 1);
            assert_int_equal(store_commit(fx->store, &err), 0);
        } else {
            assert_true(c->has_suppressed && c->suppressed);
        }
        arena_release(&an.arena);
    }
    query_cache_destroy(&cache);
    store_close(&ro);
}

static void test_refusals(void **state)
{
    fixture_t *fx = *state;
    Samla__V1__Query q = SAMLA__V1__QUERY__INIT;
    q.kind = SAMLA__V1__QUERY_KIND__QUERY_COMPARE;
    q.period = "2025-03";
    answer_t an;
    s_ask(fx, KEY_U, &q, 5, &an); /* a key samlad does not know */
    assert_int_equal(an.code, SAMLA__V1__ERROR_CODE__ERR_REFUSED);
    assert_string_equal(an.why, "this key is not registered");
    arena_release(&an.arena);

    s_ask(fx, KEY_X, NULL, 5, &an); /* not a Query */
    assert_int_equal(an.code, SAMLA__V1__ERROR_CODE__ERR_USAGE);
    arena_release(&an.arena);

    q.period = "2025-13";
    s_ask(fx, KEY_X, &q, 5, &an);
    assert_int_equal(an.code, SAMLA__V1__ERROR_CODE__ERR_USAGE);
    assert_string_equal(an.why, "compare needs a period YYYY-MM, not '2025-13'");
    arena_release(&an.arena);

    q.period = NULL;
    s_ask(fx, KEY_X, &q, 5, &an);
    assert_string_equal(an.why, "compare needs a period YYYY-MM");
    arena_release(&an.arena);

    q.period = "2025-03";
    q.metric = "omsattning";
    s_ask(fx, KEY_X, &q, 5, &an);
    assert_int_equal(an.code, SAMLA__V1__ERROR_CODE__ERR_USAGE);
    assert_string_equal(an.why, "unknown metric 'omsattning'");
    arena_release(&an.arena);
    q.metric = NULL;

    q.period = "2025-03";
    q.group = "ingen-sådan-grupp";
    s_ask(fx, KEY_X, &q, 5, &an);
    assert_int_equal(an.code, SAMLA__V1__ERROR_CODE__ERR_USAGE);
    arena_release(&an.arena);

    Samla__V1__Query k = SAMLA__V1__QUERY__INIT;
    k.kind = (Samla__V1__QueryKind)99;
    s_ask(fx, KEY_X, &k, 5, &an);
    assert_int_equal(an.code, SAMLA__V1__ERROR_CODE__ERR_USAGE);
    assert_string_equal(an.why, "unknown query kind");
    arena_release(&an.arena);
}

/* C's May with two interventions whose exit reasons are small each but not summed: X and
 * Y each end 5 women and 5 men, to work 3+2 and 2+3, to continued rehab 2+3 and 3+2. */
static void s_put_rows(fixture_t *fx)
{
    static const struct {
        const char *insats, *measure, *category;
        uint32_t women, men;
    } rows[] = {
        {"X", "aktuella_start", NULL, 0, 0},  {"X", "nya", NULL, 10, 10},
        {"X", "avslutade", NULL, 5, 5},       {"X", "aktuella_slut", NULL, 5, 5},
        {"X", "avslut", "arbete", 3, 2},      {"X", "avslut", "fortsatt_rehab", 2, 3},
        {"Y", "aktuella_start", NULL, 0, 0},  {"Y", "nya", NULL, 10, 10},
        {"Y", "avslutade", NULL, 5, 5},       {"Y", "aktuella_slut", NULL, 5, 5},
        {"Y", "avslut", "arbete", 2, 3},      {"Y", "avslut", "fortsatt_rehab", 3, 2},
    };
    enum { N = sizeof rows / sizeof rows[0] };
    Samla__V1__ParticipantRow r[N], *rp[N];
    for (size_t i = 0; i < N; i++) {
        samla__v1__participant_row__init(&r[i]);
        r[i].intervention = (char *)rows[i].insats;
        r[i].kind = SAMLA__V1__INTERVENTION_KIND__KIND_INDIVIDUAL;
        r[i].measure = (char *)rows[i].measure;
        r[i].category = (char *)rows[i].category;
        r[i].has_women = r[i].has_men = r[i].has_unspecified = 1;
        r[i].women = rows[i].women;
        r[i].men = rows[i].men;
        rp[i] = &r[i];
    }
    Samla__V1__Submission sub = SAMLA__V1__SUBMISSION__INIT;
    sub.orgnr = "222000-0003";
    sub.period = "2025-05";
    sub.n_participants = N;
    sub.participants = rp;
    figures_t f;
    diag_t *d = diag_new();
    assert_non_null(d);
    assert_int_equal(figures_from_submission(&sub, &f, d), 0);
    diag_destroy(&d);
    cons_row_t m;
    derive_metrics(fx->reg, sub.orgnr, sub.period, &f, &sub, 1, &m);
    uint8_t sha[32];
    memset(sha, 9, sizeof sha);
    store_submission_t st = {"00000000-0000-4000-8000-000000000009", sub.orgnr, sub.period,
                             "fp", sha, (const uint8_t *)"b", 1, NULL, NULL};
    samla_err_t err;
    store_receipt_t rc;
    assert_int_equal(store_begin(fx->store, &err), 0);
    assert_int_equal(derive_put(fx->store, &st, &sub, &f, &m, &rc, &err), STORE_INSERTED);
    assert_int_equal(derive_groups(fx->store, fx->reg, sub.period, &err), 0);
    assert_int_equal(store_commit(fx->store, &err), 0);
}

/* Whether every row of förbund orgnr in a participants reply is withheld (-1 when it has
 * no rows). */
static int s_parts_hidden(const Samla__V1__Participants *p, const char *orgnr)
{
    for (size_t i = 0; i < p->n_forbund; i++) {
        if (strcmp(p->forbund[i]->orgnr, orgnr) != 0)
            continue;
        if (!p->forbund[i]->n_rows)
            return -1;
        int hidden = 1;
        for (size_t j = 0; j < p->forbund[i]->n_rows; j++)
            hidden &= p->forbund[i]->rows[j]->suppressed;
        return hidden;
    }
    return -1;
}

/* --insats: one intervention's exit reasons are finer than the förbund's, which the gate
 * judged; another förbund's key must not get them, though it gets the förbund's. */
static void test_one_intervention(void **state)
{
    fixture_t *fx = *state;
    s_put_rows(fx);
    Samla__V1__Query q = SAMLA__V1__QUERY__INIT;
    q.kind = SAMLA__V1__QUERY_KIND__QUERY_PARTICIPANTS;
    q.period = "2025-05";
    q.by = "avslut";
    answer_t an;
    s_ask(fx, KEY_A, &q, 5, &an);
    assert_int_equal(an.code, 0);
    assert_int_equal(s_parts_hidden(an.reply.participants, "222000-0003"), 0);
    arena_release(&an.arena);

    q.insats = "X";
    s_ask(fx, KEY_A, &q, 5, &an);
    assert_int_equal(an.code, 0);
    assert_string_equal(an.reply.participants->insats, "X");
    assert_int_equal(s_parts_hidden(an.reply.participants, "222000-0003"), 1);
    assert_int_equal(an.reply.participants->withheld, 2); /* arbete, fortsatt_rehab */
    arena_release(&an.arena);

    s_ask(fx, KEY_X, &q, 5, &an); /* the analyst sees X's three women to work */
    assert_int_equal(an.code, 0);
    assert_int_equal(s_parts_hidden(an.reply.participants, "222000-0003"), 0);
    assert_int_equal(an.reply.participants->region_rows[0]->women, 3);
    arena_release(&an.arena);

    q.by = "insats"; /* the flow of one intervention: lines the gate judged itself */
    s_ask(fx, KEY_A, &q, 5, &an);
    assert_int_equal(an.code, 0);
    assert_int_equal(s_parts_hidden(an.reply.participants, "222000-0003"), 0);
    arena_release(&an.arena);

    q.insats = "X\x1b[2J";
    s_ask(fx, KEY_X, &q, 5, &an);
    assert_int_equal(an.code, SAMLA__V1__ERROR_CODE__ERR_USAGE);
    arena_release(&an.arena);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_compare_for_the_analyst),
        cmocka_unit_test(test_compare_for_a_forbund),
        cmocka_unit_test(test_columns_carry_the_same_values),
        cmocka_unit_test(test_trend_and_status),
        cmocka_unit_test(test_status_flags),
        cmocka_unit_test(test_revision_of_another),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_one_intervention),
        cmocka_unit_test(test_cache_follows_the_store),
    };
    return cmocka_run_group_tests(tests, s_setup, s_teardown);
}
