/* members: who pays which accounts, read from the agent config against the mapping, and
 * each member's amount to date; every mistake named with file:line. */
#include "members.h"
#include "testutil.h"

/* The config text's `members` list read against the Finsam default mapping: 0 with *out,
 * or -1 with err. */
static int s_read(const char *text, members_t **out, samla_err_t *err)
{
    config_t cfg;
    config_init(&cfg);
    mapping_t *m = mapping_new();
    int rc = -1;
    if (config_read_string(&cfg, text) == CONFIG_TRUE) {
        *out = members_configure(config_lookup(&cfg, "members"), m, "agent.conf", err);
        rc = *out ? 0 : -1;
    }
    config_destroy(&cfg);
    mapping_destroy(&m);
    return rc;
}

/* Seed 001 §1.2.5's members; each one's money from its accounts, report sign, the object
 * rows (cost areas) left out; an account nobody is named for stays the line's rest. */
static void test_amounts(void **state)
{
    (void)state;
    members_t *ms = NULL;
    samla_err_t err;
    assert_int_equal(s_read("members = ( { name = \"Försäkringskassan och "
                            "Arbetsförmedlingen\"; kind = \"state\"; accounts = [ \"3010\" ]; },"
                            "{ name = \"Vänersborgs kommun\"; kind = \"municipality\";"
                            "  accounts = [ \"3031\", \"3033 - 3034\" ]; },"
                            "{ name = \"ESF\"; kind = \"external\"; accounts = [ \"3110-3119\" ]; } );",
                            &ms, &err),
                     0);
    sie_row_t rows[] = {{3010, -1, -279419450}, {3010, 0, -100}, {3031, -1, -113444275},
                        {3032, -1, -26265450}, {3034, -1, -100}, {3115, -1, -5000000}};
    sie_rows_t actual = {rows, sizeof rows / sizeof rows[0]};
    Samla__V1__Ledger l = SAMLA__V1__LEDGER__INIT;
    assert_int_equal(members_fill(ms, &actual, &l), 0);
    assert_int_equal(l.n_members, 3);
    assert_string_equal(l.members[0]->name, "Försäkringskassan och Arbetsförmedlingen");
    assert_int_equal(l.members[0]->kind, SAMLA__V1__MEMBER_KIND__MEMBER_STATE);
    assert_int_equal(l.members[0]->amount, 279419450); /* the object row is not counted */
    assert_int_equal(l.members[1]->amount, 113444275 + 100); /* 3032 is nobody's */
    assert_int_equal(l.members[2]->amount, 5000000);
    members_destroy(&ms);
}

static void test_mistakes(void **state)
{
    (void)state;
    static const struct {
        const char *text, *why;
    } bad[] = {
        {"members = ( { name = \"Vänersborg\"; kind = \"region\"; accounts = [ \"3031\" ]; } );",
         "account 3031 of Vänersborg is not on the region line (contributions_region)"},
        {"members = ( { name = \"A\"; kind = \"municipality\"; accounts = [ \"3031-3035\" ]; },\n"
         "{ name = \"B\"; kind = \"municipality\"; accounts = [ \"3035\" ]; } );",
         "agent.conf:2: accounts 3035-3035 of B are also A's"},
        {"members = ( { name = \"A\"; kind = \"county\"; accounts = [ \"3031\" ]; } );",
         "kind 'county' is not state, region, municipality or external"},
        {"members = ( { name = \"A\"; kind = \"state\"; accounts = [ \"30x1\" ]; } );",
         "'30x1' is not an account or a range of at most 10000 accounts"},
        {"members = ( { name = \"A\"; kind = \"state\"; accounts = [ \"3019-3010\" ]; } );",
         "'3019-3010' is not an account"},
        {"members = ( { name = \"A\"; kind = \"state\"; accounts = [ \"1-999999\" ]; } );",
         "'1-999999' is not an account or a range of at most 10000"},
        {"members = ( { name = \"\"; kind = \"state\"; accounts = [ \"3010\" ]; } );",
         "'name' is empty"},
        {"members = ( { name = \"A\\x1b[2J\"; kind = \"state\"; accounts = [ \"3010\" ]; } );",
         "a member's name is 1 to"},
        {"members = ( { name = \"A\"; kind = \"state\"; } );", "accounts"},
        {"members = ( { name = \"A\"; kind = \"state\"; accounts = [ \"3010\" ]; x = 1; } );",
         "unknown"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        members_t *ms = NULL;
        samla_err_t err = {0};
        int rc = s_read(bad[i].text, &ms, &err);
        if (rc == 0 || !strstr(err.msg, bad[i].why) || !strstr(err.msg, "agent.conf:"))
            fail_msg("case %zu: %d '%s', wanted '%s'", i, rc, err.msg, bad[i].why);
        members_destroy(&ms);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_amounts),
        cmocka_unit_test(test_mistakes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
