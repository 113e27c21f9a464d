/* subcheck: what samlad refuses in a submission's members (Ledger.members): more than the
 * bound, a name that is no text, an unknown kind, an amount out of range, a member twice,
 * and members adding up to more than their line. */
#include "samla/subcheck.h"
#include "testutil.h"

typedef struct {
    Samla__V1__Submission sub;
    Samla__V1__Ledger ledger;
    Samla__V1__MemberAmount m[SUBCHECK_MAX_MEMBERS + 1], *mp[SUBCHECK_MAX_MEMBERS + 1];
} s_sub_t;

/* Municipalities 1 000 kr on the books, n members of 100 kr each. */
static void s_init(s_sub_t *s, size_t n)
{
    samla__v1__submission__init(&s->sub);
    samla__v1__ledger__init(&s->ledger);
    s->sub.orgnr = "222000-2048";
    s->sub.period = "2025-06";
    s->sub.ledger = &s->ledger;
    s->ledger.has_contributions_municipalities = 1;
    s->ledger.contributions_municipalities = 100000;
    static char names[SUBCHECK_MAX_MEMBERS + 1][16];
    for (size_t i = 0; i < n; i++) {
        samla__v1__member_amount__init(&s->m[i]);
        snprintf(names[i], sizeof names[i], "Kommun %zu", i);
        s->m[i].name = names[i];
        s->m[i].kind = SAMLA__V1__MEMBER_KIND__MEMBER_MUNICIPALITY;
        s->m[i].has_amount = 1;
        s->m[i].amount = 10000;
        s->mp[i] = &s->m[i];
    }
    s->ledger.n_members = n;
    s->ledger.members = s->mp;
}

/* Whether the submission is refused with a message holding why. */
static void s_refused(s_sub_t *s, const char *why)
{
    diag_t *d = diag_new();
    assert_int_equal(subcheck_submission(&s->sub, "x", d), -1);
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    diag_print(d, "test", out);
    fclose(out);
    if (!strstr(text, why))
        fail_msg("wanted '%s' in: %s", why, text);
    free(text);
    diag_destroy(&d);
}

static void test_members(void **state)
{
    (void)state;
    s_sub_t s;
    s_init(&s, 3);
    diag_t *d = diag_new();
    assert_int_equal(subcheck_submission(&s.sub, "x", d), 0); /* 300 of 1 000 kr named */
    diag_destroy(&d);
    s_init(&s, 3);
    s.m[1].amount = 80001; /* 100 + 800,01 + 100 = 1 000,01 kr named of 1 000 */
    s_refused(&s, "the municipality members add up to 100001 öre, more than their line's 100000");
    s_init(&s, 3);
    s.m[2].name = (char *)"Kommun\x1b[2J";
    s_refused(&s, "member 3: its name");
    s_init(&s, 3);
    s.m[0].kind = (Samla__V1__MemberKind)9;
    s_refused(&s, "unknown kind 9");
    s_init(&s, 3);
    s.m[0].amount = INT64_C(2000000000000000);
    s_refused(&s, "beyond");
    s_init(&s, 3);
    s.m[1].name = s.m[0].name;
    s_refused(&s, "is given twice");
    s_init(&s, SUBCHECK_MAX_MEMBERS + 1);
    s_refused(&s, "more than 64 members");
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_members)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
