/* The wire codec: round trips, the decode budget, hashes and ids. */
#include "samla/wire.h"
#include "testutil.h"

static void test_push_round_trip(void **state)
{
    (void)state;
    Samla__V1__Submission sub = SAMLA__V1__SUBMISSION__INIT;
    sub.orgnr = "222000-2048";
    sub.period = "2025-03";
    size_t blen;
    uint8_t *body = wire_pack((const ProtobufCMessage *)&sub, &blen);
    uint8_t hash[32];
    wire_sha256(body, blen, hash);
    char id[37];
    assert_int_equal(wire_uuid(id), 0);
    assert_true(wire_uuid_valid(id));
    assert_int_equal(id[14], '4');
    Samla__V1__Push push = SAMLA__V1__PUSH__INIT;
    push.id = id;
    push.sha256 = (ProtobufCBinaryData){32, hash};
    push.body = (ProtobufCBinaryData){blen, body};
    size_t plen;
    uint8_t *buf = wire_pack((const ProtobufCMessage *)&push, &plen);
    arena_t a;
    arena_init(&a, WIRE_DECODE_BUDGET);
    Samla__V1__Push *back = samla__v1__push__unpack(&a.pa, plen, buf);
    assert_non_null(back);
    assert_string_equal(back->id, id);
    assert_memory_equal(back->sha256.data, hash, 32);
    Samla__V1__Submission *s2 = samla__v1__submission__unpack(&a.pa, back->body.len,
                                                              back->body.data);
    assert_string_equal(s2->period, "2025-03");
    samla__v1__submission__free_unpacked(s2, &a.pa);
    samla__v1__push__free_unpacked(back, &a.pa);
    assert_true(a.used > 0); /* an arena: freeing is deferred */
    arena_release(&a);
    assert_int_equal(a.used, 0); /* every byte given back at once */
    assert_null(a.chunks);
    free(buf);
    free(body);
}

static void test_decode_budget(void **state)
{
    (void)state;
    /* 2000 empty participant rows: a few KB on the wire, far more once decoded. */
    Samla__V1__Submission sub = SAMLA__V1__SUBMISSION__INIT;
    sub.orgnr = "222000-2048";
    sub.period = "2025-03";
    enum { N = 2000 };
    Samla__V1__ParticipantRow rows[N], *ptrs[N];
    for (int i = 0; i < N; i++) {
        samla__v1__participant_row__init(&rows[i]);
        rows[i].intervention = "";
        rows[i].kind = SAMLA__V1__INTERVENTION_KIND__KIND_INDIVIDUAL;
        rows[i].measure = "";
        ptrs[i] = &rows[i];
    }
    sub.n_participants = N;
    sub.participants = ptrs;
    size_t len;
    uint8_t *buf = wire_pack((const ProtobufCMessage *)&sub, &len);
    arena_t a;
    arena_init(&a, len * 4);
    assert_null(samla__v1__submission__unpack(&a.pa, len, buf));
    assert_true(a.used <= len * 4); /* it stopped at the budget */
    arena_release(&a);
    arena_init(&a, WIRE_DECODE_BUDGET);
    Samla__V1__Submission *ok = samla__v1__submission__unpack(&a.pa, len, buf);
    assert_non_null(ok);
    assert_true(a.used > len * 4);
    samla__v1__submission__free_unpacked(ok, &a.pa);
    arena_reset(&a);
    assert_int_equal(a.used, 0);
    arena_release(&a);
    free(buf);
    /* garbage is refused, not crashed on */
    arena_init(&a, WIRE_DECODE_BUDGET);
    const uint8_t junk[] = {0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01};
    assert_null(samla__v1__push__unpack(&a.pa, sizeof junk, junk));
    arena_release(&a);
}

static void test_sha256_and_hex(void **state)
{
    (void)state;
    uint8_t h[32];
    char hex[65];
    wire_sha256((const uint8_t *)"abc", 3, h);
    wire_hex(h, 32, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assert_false(wire_uuid_valid("not-a-uuid"));
    assert_false(wire_uuid_valid("35B75E72-563A-4061-AC1D-3ED63571AC5C"));
}

/* Every string of a decoded reply, in submessages and repeated fields too. */
static void test_neutralize_reply(void **state)
{
    (void)state;
    char name[] = "Evil\x1b[2J", key[] = "Insats\xe2\x80\xae", flag[] = "ok";
    Samla__V1__BreakdownRow row = SAMLA__V1__BREAKDOWN_ROW__INIT, *rows[] = {&row};
    row.key = key;
    Samla__V1__ForbundBreakdown fb = SAMLA__V1__FORBUND_BREAKDOWN__INIT, *fbs[] = {&fb};
    fb.orgnr = flag;
    fb.name = name;
    fb.n_rows = 1;
    fb.rows = rows;
    Samla__V1__Participants p = SAMLA__V1__PARTICIPANTS__INIT;
    p.n_forbund = 1;
    p.forbund = fbs;
    Samla__V1__Reply r = SAMLA__V1__REPLY__INIT;
    r.participants = &p;
    assert_int_equal(wire_neutralize(&r.base), 2);
    assert_string_equal(name, "Evil?[2J");
    assert_string_equal(key, "Insats???");
    assert_string_equal(flag, "ok");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_neutralize_reply),
        cmocka_unit_test(test_push_round_trip),
        cmocka_unit_test(test_decode_budget),
        cmocka_unit_test(test_sha256_and_hex),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
