/* What samlad accepts from a peer: the sender's role and organisation, the hash, the wire
 * format, strings, sizes and figures, all before anything is stored. */
#include "ingest.h"
#include "samla/wire.h"
#include "testutil.h"

static const char KEY_F[] = "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7";
static const char KEY_A[] = "Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID";
static registry_t *s_reg;
static ingest_t *s_in;

static int s_setup(void **state)
{
    (void)state;
    member_t m[2] = {{.role = ROLE_FORBUND, .orgnr = "222000-2048", .name = "F"},
                     {.role = ROLE_ANALYST, .name = "A"}};
    memcpy(m[0].public_txt, KEY_F, sizeof KEY_F);
    memcpy(m[1].public_txt, KEY_A, sizeof KEY_A);
    s_reg = registry_of(NULL, m, 2);
    s_in = ingest_new();
    return s_reg && s_in ? 0 : -1;
}

static int s_teardown(void **state)
{
    (void)state;
    registry_destroy(&s_reg);
    ingest_destroy(&s_in);
    return 0;
}

/* Encodes a Push around sub; tamper != 0 spoils the hash. The caller frees. */
static uint8_t *s_push(const Samla__V1__Submission *sub, int tamper, size_t *len)
{
    size_t blen;
    uint8_t *body = wire_pack((const ProtobufCMessage *)sub, &blen), hash[32];
    wire_sha256(body, blen, hash);
    hash[0] ^= (uint8_t)tamper;
    Samla__V1__Push p = SAMLA__V1__PUSH__INIT;
    p.id = "0b5e7f4c-1d2a-4c3b-8e9f-0a1b2c3d4e5f";
    p.sha256 = (ProtobufCBinaryData){32, hash};
    p.body = (ProtobufCBinaryData){blen, body};
    uint8_t *out = wire_pack((const ProtobufCMessage *)&p, len);
    free(body);
    return out;
}

static void s_expect(const Samla__V1__Submission *sub, const char *user, int tamper,
                     bool store, Samla__V1__AckStatus st, const char *reason)
{
    size_t len;
    uint8_t *buf = s_push(sub, tamper, &len);
    ingest_verdict_t v;
    ingest_check(s_in, buf, len, user, s_reg, &v);
    assert_true(v.has_id);
    assert_int_equal(v.store, store);
    if (!store) {
        assert_int_equal(v.status, st);
        if (!strstr(v.reason, reason))
            fail_msg("reason '%s' lacks '%s'", v.reason, reason);
    }
    ingest_release(&v);
    free(buf);
}

static void test_roles_and_orgnr(void **state)
{
    (void)state;
    Samla__V1__Submission sub = SAMLA__V1__SUBMISSION__INIT;
    sub.orgnr = "222000-2048";
    sub.period = "2025-06";
    s_expect(&sub, KEY_F, 0, true, 0, NULL);
    s_expect(&sub, KEY_A, 0, false, SAMLA__V1__ACK_STATUS__ACK_REFUSED, "analyst key");
    s_expect(&sub, "0000000000000000000000000000000000000000", 0, false,
             SAMLA__V1__ACK_STATUS__ACK_REFUSED, "not registered");
    s_expect(&sub, NULL, 0, false, SAMLA__V1__ACK_STATUS__ACK_REFUSED, "not registered");
    s_expect(&sub, KEY_F, 1, false, SAMLA__V1__ACK_STATUS__ACK_INVALID, "sha256");
    sub.orgnr = "222000-2030";
    s_expect(&sub, KEY_F, 0, false, SAMLA__V1__ACK_STATUS__ACK_REFUSED, "its own organisation");
    sub.orgnr = "2220002048";
    s_expect(&sub, KEY_F, 0, false, SAMLA__V1__ACK_STATUS__ACK_INVALID, "orgnr");
    sub.orgnr = "222000-2048";
    sub.period = "2025-13";
    s_expect(&sub, KEY_F, 0, false, SAMLA__V1__ACK_STATUS__ACK_INVALID, "period");
}

static void test_strings_and_figures(void **state)
{
    (void)state;
    Samla__V1__Submission sub = SAMLA__V1__SUBMISSION__INIT;
    sub.orgnr = "222000-2048";
    sub.period = "2025-06";
    Samla__V1__ParticipantRow row = SAMLA__V1__PARTICIPANT_ROW__INIT, *rows[] = {&row};
    row.kind = SAMLA__V1__INTERVENTION_KIND__KIND_INDIVIDUAL;
    row.intervention = "Team \xff";
    row.measure = "nya";
    sub.n_participants = 1;
    sub.participants = rows;
    s_expect(&sub, KEY_F, 0, false, SAMLA__V1__ACK_STATUS__ACK_INVALID, "not UTF-8");
    /* a name a peer sends is shown to others: no terminal escape, no bidi override */
    row.intervention = "Team\x1b]0;owned\x07";
    s_expect(&sub, KEY_F, 0, false, SAMLA__V1__ACK_STATUS__ACK_INVALID, "control character");
    row.intervention = "Team \xe2\x80\xae" "gnorw";
    s_expect(&sub, KEY_F, 0, false, SAMLA__V1__ACK_STATUS__ACK_INVALID, "bidirectional");
    row.intervention = "Team";
    row.measure = "semester";
    s_expect(&sub, KEY_F, 0, false, SAMLA__V1__ACK_STATUS__ACK_INVALID, "measure");
    row.measure = "aktuella_slut";
    row.has_women = 1;
    row.women = 3; /* ends with 3 that never started */
    s_expect(&sub, KEY_F, 0, false, SAMLA__V1__ACK_STATUS__ACK_INVALID,
             "Team, kvinnor: aktuella_start 0 + nya 0 - avslutade 0 = 0, but aktuella_slut is 3");
}

/* Amounts from a peer are bounded like the ledger's own lines: INT64_MAX in a cost area
 * would overflow every later sum over that month, last year's column and the export. */
static void test_amounts_bounded(void **state)
{
    (void)state;
    Samla__V1__Submission sub = SAMLA__V1__SUBMISSION__INIT;
    sub.orgnr = "222000-2048";
    sub.period = "2025-06";
    Samla__V1__CostArea a = SAMLA__V1__COST_AREA__INIT, b = SAMLA__V1__COST_AREA__INIT;
    Samla__V1__CostArea *areas[] = {&a, &b};
    a.code = "3001";
    a.has_class_ = 1;
    a.class_ = SAMLA__V1__AREA_CLASS__AREA_INDIVIDUAL;
    a.has_costs = 1;
    sub.n_cost_areas = 1;
    sub.cost_areas = areas;
    a.costs = INT64_MAX;
    s_expect(&sub, KEY_F, 0, false, SAMLA__V1__ACK_STATUS__ACK_INVALID, "cost area 3001");
    a.costs = INT64_MIN;
    s_expect(&sub, KEY_F, 0, false, SAMLA__V1__ACK_STATUS__ACK_INVALID, "beyond");
    a.costs = 999999999999999; /* each within bounds, their class sum beyond */
    b = a;
    b.code = "3002";
    sub.n_cost_areas = 2;
    s_expect(&sub, KEY_F, 0, false, SAMLA__V1__ACK_STATUS__ACK_INVALID, "sum to more than");
    b.code = "3001";
    a.costs = b.costs = 100;
    s_expect(&sub, KEY_F, 0, false, SAMLA__V1__ACK_STATUS__ACK_INVALID, "given twice");
    b.code = "3002";
    s_expect(&sub, KEY_F, 0, true, 0, NULL);
    char name[2001];
    memset(name, 'x', 2000);
    name[2000] = '\0';
    b.name = name;
    s_expect(&sub, KEY_F, 0, false, SAMLA__V1__ACK_STATUS__ACK_INVALID,
             "cost area 3002: the name is 2000 bytes, more than the 1024 samlad accepts");
    b.name = NULL;
    a.has_class_ = 1;
    a.class_ = (Samla__V1__AreaClass)7;
    s_expect(&sub, KEY_F, 0, false, SAMLA__V1__ACK_STATUS__ACK_INVALID, "unknown class");
    a.class_ = SAMLA__V1__AREA_CLASS__AREA_INDIVIDUAL;
    Samla__V1__Ledger l = SAMLA__V1__LEDGER__INIT;
    l.has_equity = 1;
    l.equity = INT64_MAX;
    sub.ledger = &l;
    s_expect(&sub, KEY_F, 0, false, SAMLA__V1__ACK_STATUS__ACK_INVALID, "ledger.equity");
}

/* The participant rules per intervention, as docs/protocol.md promises and the CSV
 * reader applies: totals that add up do not hide two flows that do not. */
static void test_flow_per_intervention(void **state)
{
    (void)state;
    Samla__V1__Submission sub = SAMLA__V1__SUBMISSION__INIT;
    sub.orgnr = "222000-2048";
    sub.period = "2025-06";
    Samla__V1__ParticipantRow r[6];
    Samla__V1__ParticipantRow *rows[6];
    const char *iv[6] = {"A", "A", "B", "B", "A", "B"};
    const char *ms[6] = {"nya", "aktuella_slut", "nya", "aktuella_slut", "avslutade",
                         "avslutade"};
    uint32_t women[6] = {5, 3, 1, 3, 0, 0}; /* A: 5 new, 3 left; B: 1 new, 3 left; 6 = 6 */
    for (int i = 0; i < 6; i++) {
        samla__v1__participant_row__init(&r[i]);
        r[i].intervention = (char *)iv[i];
        r[i].kind = SAMLA__V1__INTERVENTION_KIND__KIND_INDIVIDUAL;
        r[i].measure = (char *)ms[i];
        r[i].has_women = 1;
        r[i].women = women[i];
        rows[i] = &r[i];
    }
    sub.participants = rows;
    sub.n_participants = 6;
    s_expect(&sub, KEY_F, 0, false, SAMLA__V1__ACK_STATUS__ACK_INVALID,
             "A, kvinnor: aktuella_start 0 + nya 5 - avslutade 0 = 5, but aktuella_slut is 3");
    r[4].women = 2; /* A: 5 - 2 = 3 */
    r[5].women = 0;
    r[1].women = 3;
    r[3].women = 1;
    s_expect(&sub, KEY_F, 0, true, 0, NULL);
    r[5].measure = "nya"; /* B's nya twice */
    s_expect(&sub, KEY_F, 0, false, SAMLA__V1__ACK_STATUS__ACK_INVALID, "appears twice");
    r[5].measure = "avslut";
    r[5].category = "semester";
    s_expect(&sub, KEY_F, 0, false, SAMLA__V1__ACK_STATUS__ACK_INVALID,
             "kategori 'semester' is not one of the categories of avslut");
    r[5].category = "arbete";
    r[5].women = 1; /* an exit that no avslutade row counts */
    s_expect(&sub, KEY_F, 0, false, SAMLA__V1__ACK_STATUS__ACK_INVALID,
             "B, kvinnor: the avslut rows sum to 1, but avslutade is 0");
    r[5].measure = "avslutade";
    r[5].category = NULL;
    r[5].women = 0;
    r[0].women = 2147483648u;
    s_expect(&sub, KEY_F, 0, false, SAMLA__V1__ACK_STATUS__ACK_INVALID, "more than");
    r[0].women = 5;
    r[2].kind = (Samla__V1__InterventionKind)9;
    s_expect(&sub, KEY_F, 0, false, SAMLA__V1__ACK_STATUS__ACK_INVALID, "unknown kind");
}

static void test_embedded_nul(void **state)
{
    (void)state;
    /* "ab\0c" as the orgnr field of a Submission, then wrapped by hand */
    const uint8_t body[] = {0x0a, 0x04, 'a', 'b', 0x00, 'c', 0x12, 0x07, '2', '0', '2',
                            '5', '-', '0', '6'};
    uint8_t hash[32];
    wire_sha256(body, sizeof body, hash);
    Samla__V1__Push p = SAMLA__V1__PUSH__INIT;
    p.id = "0b5e7f4c-1d2a-4c3b-8e9f-0a1b2c3d4e5f";
    p.sha256 = (ProtobufCBinaryData){32, hash};
    p.body = (ProtobufCBinaryData){sizeof body, (uint8_t *)body};
    size_t len;
    uint8_t *buf = wire_pack((const ProtobufCMessage *)&p, &len);
    ingest_verdict_t v;
    ingest_check(s_in, buf, len, KEY_F, s_reg, &v);
    assert_false(v.store);
    assert_non_null(strstr(v.reason, "orgnr is not UTF-8 or holds a NUL"));
    free(buf);
}

static void test_expansion_and_garbage(void **state)
{
    (void)state;
    /* 2 million empty participant rows: 4 MB on the wire, far more than the budget
     * once decoded (protobuf-c allocates a struct and a pointer per row). */
    size_t n = 2000000, blen = 0;
    uint8_t *body = malloc(n * 2 + 32);
    body[blen++] = 0x0a;
    body[blen++] = 11;
    memcpy(body + blen, "222000-2048", 11);
    blen += 11;
    body[blen++] = 0x12;
    body[blen++] = 7;
    memcpy(body + blen, "2025-06", 7);
    blen += 7;
    for (size_t i = 0; i < n; i++) {
        body[blen++] = 0x3a; /* field 7, length-delimited */
        body[blen++] = 0x00;
    }
    uint8_t hash[32];
    wire_sha256(body, blen, hash);
    Samla__V1__Push p = SAMLA__V1__PUSH__INIT;
    p.id = "0b5e7f4c-1d2a-4c3b-8e9f-0a1b2c3d4e5f";
    p.sha256 = (ProtobufCBinaryData){32, hash};
    p.body = (ProtobufCBinaryData){blen, body};
    size_t len;
    uint8_t *buf = wire_pack((const ProtobufCMessage *)&p, &len);
    ingest_verdict_t v;
    ingest_check(s_in, buf, len, KEY_F, s_reg, &v);
    assert_true(v.has_id);
    assert_false(v.store);
    assert_int_equal(v.status, SAMLA__V1__ACK_STATUS__ACK_INVALID);
    assert_non_null(strstr(v.reason, "decoding budget"));
    free(buf);
    free(body);
    const uint8_t junk[] = "\x0a\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01garbage";
    ingest_check(s_in, junk, sizeof junk, KEY_F, s_reg, &v);
    assert_false(v.has_id);
    ingest_check(s_in, NULL, 0, KEY_F, s_reg, &v);
    assert_false(v.has_id);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roles_and_orgnr),
        cmocka_unit_test(test_strings_and_figures),
        cmocka_unit_test(test_amounts_bounded),
        cmocka_unit_test(test_flow_per_intervention),
        cmocka_unit_test(test_embedded_nul),
        cmocka_unit_test(test_expansion_and_garbage),
    };
    return cmocka_run_group_tests(tests, s_setup, s_teardown);
}
