/* registry: who may submit and query, read from samlad's config, and every mistake an
 * operator makes in it named by file and line. */
#include <libconfig.h>

#include "registry.h"
#include "target.h"
#include "samla/metrics.h"
#include "samla/keys.h"
#include "testutil.h"

static int s_setup(void **state)
{
    if (tu_dir_make(state))
        return -1;
    samla_err_t err;
    const char *names[] = {"a", "b", "x"};
    for (int i = 0; i < 3; i++) {
        char path[128];
        snprintf(path, sizeof path, "%s/%s", tu_dir, names[i]);
        if (keys_generate(path, &err))
            return -1;
    }
    return 0;
}

/* Loads `text` as samlad.conf in the temp dir; NULL with err on a refusal. */
static registry_t *s_load(const char *text, samla_err_t *err)
{
    char path[128];
    snprintf(path, sizeof path, "%s/samlad.conf", tu_dir);
    FILE *fp = fopen(path, "w");
    fputs(text, fp);
    fclose(fp);
    config_t cfg;
    config_init(&cfg);
    assert_int_equal(config_read_file(&cfg, path), CONFIG_TRUE);
    registry_t *r = registry_load(&cfg, path, err);
    config_destroy(&cfg);
    return r;
}

#define FORBUND_A "{ orgnr = \"222000-0002\"; name = \"Samordningsförbundet A\"; " \
                  "population_16_64 = 29000; public_key = \"a.key\"; }"
#define FORBUND_B "{ orgnr = \"222000-0001\"; name = \"Samordningsförbundet B\"; " \
                  "public_key = \"b.key\"; }"
#define ANALYST "analysts = ( { name = \"analytiker\"; public_key = \"x.key\"; } );\n"

static void test_a_good_registry(void **state)
{
    (void)state;
    samla_err_t err;
    registry_t *r = s_load("region = \"Fyrbodal\";\nforbund = ( " FORBUND_A ",\n " FORBUND_B
                           " );\n" ANALYST
                           "groups = ( { name = \"Små\"; members = [ \"222000-0002\" ]; } );\n",
                           &err);
    if (!r)
        fail_msg("%s", err.msg);
    assert_int_equal(registry_forbund_count(r), 2);
    /* sorted by orgnr, whatever the order in the file */
    assert_string_equal(registry_forbund(r, 0)->orgnr, "222000-0001");
    assert_string_equal(registry_forbund(r, 1)->orgnr, "222000-0002");
    assert_int_equal(registry_forbund(r, 1)->population, 29000);
    assert_int_equal(registry_forbund_index(r, "222000-0002"), 1);
    assert_int_equal(registry_forbund_index(r, "222000-9999"), -1);
    /* every key found by its public text, with its role */
    keypair_t kp;
    char path[128];
    snprintf(path, sizeof path, "%s/x.key", tu_dir);
    assert_int_equal(keys_load_public(path, &kp, &err), 0);
    const member_t *m = registry_by_key(r, kp.public_txt);
    assert_non_null(m);
    assert_int_equal(m->role, ROLE_ANALYST);
    snprintf(path, sizeof path, "%s/a.key", tu_dir);
    assert_int_equal(keys_load_public(path, &kp, &err), 0);
    m = registry_by_key(r, kp.public_txt);
    assert_non_null(m);
    assert_string_equal(m->orgnr, "222000-0002");
    assert_null(registry_by_key(r, "0000000000000000000000000000000000000000"));
    /* the region's group of everyone, then the configured one */
    assert_string_equal(registry_region(r), "Fyrbodal");
    long g = registry_group_find(r, "Små");
    assert_true(g > 0);
    assert_false(registry_in_group(r, (size_t)g, 0));
    assert_true(registry_in_group(r, (size_t)g, 1));
    assert_true(registry_in_group(r, 0, 0) && registry_in_group(r, 0, 1));
    registry_t *again = registry_ref(r); /* the query thread's hold */
    registry_destroy(&r);
    assert_null(r);
    assert_int_equal(registry_forbund_count(again), 2); /* still alive for the other holder */
    registry_destroy(&again);
}

/* Which target a förbund is judged by: its own, else its group's, else everyone's, else
 * the national default; none for a metric nobody set one for; an intervention's target is
 * never the förbund's. */
static void test_the_most_specific_target(void **state)
{
    (void)state;
    samla_err_t err;
    registry_t *r = s_load(
        "forbund = ( " FORBUND_A ",\n " FORBUND_B " );\n" ANALYST
        "groups = ( { name = \"Små\"; members = [ \"222000-0002\" ]; } );\n"
        "targets = (\n"
        "  { metric = \"equity_ratio\"; forbund = \"222000-0002\"; at_most = 35.0; },\n"
        "  { metric = \"equity_ratio\"; group = \"Små\"; at_most = 30.0; },\n"
        "  { metric = \"equity_ratio\"; at_most = 25.0; },\n"
        "  { metric = \"participants\"; forbund = \"222000-0001\"; at_least = 40; },\n"
        "  { metric = \"participants\"; forbund = \"222000-0002\"; insats = \"Steg\";\n"
        "    at_least = 12; }\n"
        ");\n",
        &err);
    if (!r)
        fail_msg("%s", err.msg);
    const target_set_t *ts = registry_targets(r);
    size_t equity = (size_t)(metric_find("equity_ratio") - metric_table);
    size_t liquidity = (size_t)(metric_find("liquidity_ratio") - metric_table);
    size_t people = (size_t)(metric_find("participants") - metric_table);
    size_t result = (size_t)(metric_find("result") - metric_table);
    const target_t *t = target_for(ts, equity, "222000-0002", "Små");
    assert_true(t && t->scope == TARGET_FORBUND && t->high == 35.0);
    t = target_for(ts, equity, "222000-0001", "Små");
    assert_true(t && t->scope == TARGET_GROUP && t->high == 30.0);
    t = target_for(ts, equity, "222000-0001", NULL);
    assert_true(t && t->scope == TARGET_ALL && t->high == 25.0);
    t = target_for(ts, equity, NULL, NULL); /* the group's own figure */
    assert_true(t && t->scope == TARGET_ALL);
    t = target_for(ts, liquidity, "222000-0002", "Små");
    assert_true(t && t->scope == TARGET_DEFAULT && t->low == 100.0);
    t = target_for(ts, people, "222000-0001", NULL);
    assert_true(t && t->scope == TARGET_FORBUND && t->low == 40.0 && !t->insats);
    assert_null(target_for(ts, people, "222000-0002", "Små")); /* only its intervention's */
    assert_null(target_for(ts, result, "222000-0002", NULL));
    t = target_insats(ts, "222000-0002", 0);
    assert_true(t && strcmp(t->insats, "Steg") == 0);
    registry_destroy(&r);
}

/* Every one of 3 000 förbund found by its orgnr (in one probe or a few: rows of a query
 * are looked up one by one), and an orgnr not registered not found. */
static void test_each_orgnr_found(void **state)
{
    (void)state;
    enum { N = 3000 };
    member_t *m = calloc(N, sizeof *m);
    assert_non_null(m);
    for (unsigned i = 0; i < N; i++) {
        m[i].role = ROLE_FORBUND;
        snprintf(m[i].orgnr, sizeof m[i].orgnr, "2220%02u-%04u", (N - i) % 97, N - i);
        m[i].name = "Samordningsförbundet";
        snprintf(m[i].public_txt, sizeof m[i].public_txt, "%040u", i);
    }
    registry_t *r = registry_of("Riket", m, N);
    assert_non_null(r);
    for (unsigned i = 0; i < N; i++) {
        long idx = registry_forbund_index(r, m[i].orgnr);
        assert_true(idx >= 0);
        assert_string_equal(registry_forbund(r, (size_t)idx)->orgnr, m[i].orgnr);
    }
    assert_int_equal(registry_forbund_index(r, "222000-9999"), -1);
    assert_int_equal(registry_forbund_index(r, ""), -1);
    registry_destroy(&r);
    free(m);
}

static void test_mistakes_named_by_line(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        const char *message;
    } cases[] = {
        {"forbund = ( " FORBUND_A ",\n " FORBUND_A " );\n",
         "/a.key is registered twice"},
        {"forbund = ( " FORBUND_A ",\n { orgnr = \"222000-0002\"; name = \"Igen\"; "
         "public_key = \"b.key\"; } );\n",
         "samlad.conf:2: orgnr 222000-0002 is registered twice"},
        {"forbund = (\n { orgnr = \"22-2\"; name = \"N\"; public_key = \"a.key\"; } );\n",
         "samlad.conf:2: orgnr '22-2' is not NNNNNN-NNNN"},
        {"forbund = (\n { orgnr = \"222000-0002\"; name = \"N\"; public_key = \"none.key\"; } );\n",
         "samlad.conf:2: "},
        {"forbund = ( " FORBUND_A " );\ngroups = (\n { name = \"G\"; members = [ "
         "\"222000-0009\" ]; } );\n",
         "samlad.conf:3: group 'G': member 222000-0009 is not the orgnr of a"},
        {"forbund = { orgnr = \"222000-0002\"; };\n", "samlad.conf:1: 'forbund' must be a list"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        samla_err_t err = {0};
        registry_t *r = s_load(cases[i].text, &err);
        assert_null(r);
        if (!strstr(err.msg, cases[i].message))
            fail_msg("case %zu: '%s' does not hold '%s'", i, err.msg, cases[i].message);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_good_registry),
        cmocka_unit_test(test_the_most_specific_target),
        cmocka_unit_test(test_each_orgnr_found),
        cmocka_unit_test(test_mistakes_named_by_line),
    };
    return cmocka_run_group_tests(tests, s_setup, tu_dir_remove);
}
