/* cfg: what an operator writes in samlad.conf or agent.conf, read by one table. Every
 * mistake is named by file:line and setting; defaults fill what is left out; a relative
 * path means the config file's own folder, wherever the program is started from. */
#include <stddef.h>

#include "samla/cfg.h"
#include "testutil.h"

typedef struct {
    char *name, *dir;
    long long port;
} conf_t;

static const cfg_field_t FIELDS[] = {
    {"name", CFG_STR, true, NULL, 0, 0, 0, offsetof(conf_t, name), "the förbund's name"},
    {"dir", CFG_PATH, false, "data", 0, 0, 0, offsetof(conf_t, dir), "data folder"},
    {"port", CFG_INT, false, NULL, 5555, 1, 65535, offsetof(conf_t, port), "TCP port"},
    {"members", CFG_LIST, false, NULL, 0, 0, 0, 0, "handled by the caller"},
};
#define N_FIELDS (sizeof FIELDS / sizeof FIELDS[0])

/* Writes text as a config file and applies FIELDS to its root: the rc, with err and out. */
static int s_load(const char *text, conf_t *out, samla_err_t *err)
{
    char path[128];
    snprintf(path, sizeof path, "%s/samla.conf", tu_dir);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
    memset(out, 0, sizeof *out);
    config_t cfg;
    int rc = cfg_open(&cfg, path, err);
    if (rc == 0) {
        rc = cfg_apply(config_root_setting(&cfg), path, FIELDS, N_FIELDS, out, err);
        config_destroy(&cfg);
    }
    return rc;
}

/* The problem's text after "DIR/samla.conf:", so the tests read as the operator would. */
static const char *s_after_file(const samla_err_t *err)
{
    const char *p = strstr(err->msg, "samla.conf:");
    return p ? p + strlen("samla.conf:") : err->msg;
}

static void test_good_file_and_defaults(void **state)
{
    (void)state;
    conf_t c;
    samla_err_t err;
    assert_int_equal(s_load("name = \"Fyrbodal\";\nmembers = ( );\n", &c, &err), 0);
    assert_string_equal(c.name, "Fyrbodal");
    assert_int_equal(c.port, 5555);
    char want[128];
    snprintf(want, sizeof want, "%s/data", tu_dir); /* beside the config, not the cwd */
    assert_string_equal(c.dir, want);
    cfg_free(FIELDS, N_FIELDS, &c);
    assert_null(c.name);
    assert_int_equal(s_load("name = \"F\";\ndir = \"/var/lib/samla\";\nport = 7000;\n", &c,
                            &err), 0);
    assert_string_equal(c.dir, "/var/lib/samla");
    assert_int_equal(c.port, 7000);
    cfg_free(FIELDS, N_FIELDS, &c);
}

static void test_mistakes_named_by_line(void **state)
{
    (void)state;
    static const struct {
        const char *text, *says;
    } cases[] = {
        {"name = \"F\";\nprot = 5;\n", "2: unknown setting 'prot'"},
        {"port = 5;\n", "missing setting 'name' (the förbund's name)"},
        {"name = \"F\";\n\nport = 70000;\n", "3: 'port' = 70000 is outside 1..65535"},
        {"name = \"F\";\nport = \"80\";\n", "2: 'port' must be a whole number"},
        {"name = 5;\n", "1: 'name' must be a string"},
        {"name = \"\";\n", "1: 'name' is empty"},
        {"name = \"F\";\nport = = 5;\n", "2: syntax error"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        conf_t c;
        samla_err_t err;
        if (s_load(cases[i].text, &c, &err) != -1)
            fail_msg("case %zu was accepted", i);
        if (!strstr(s_after_file(&err), cases[i].says))
            fail_msg("case %zu: \"%s\" does not say \"%s\"", i, err.msg, cases[i].says);
        cfg_free(FIELDS, N_FIELDS, &c);
    }
}

static void test_unreadable_file(void **state)
{
    (void)state;
    config_t cfg;
    samla_err_t err;
    char path[128];
    snprintf(path, sizeof path, "%s/none.conf", tu_dir);
    assert_int_equal(cfg_open(&cfg, path, &err), -1);
    assert_non_null(strstr(err.msg, "cannot open config"));
    assert_non_null(strstr(err.msg, "none.conf"));
    assert_int_equal(cfg_open(&cfg, tu_dir, &err), -1); /* a folder */
    assert_non_null(strstr(err.msg, "not a configuration file"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_file_and_defaults),
        cmocka_unit_test(test_mistakes_named_by_line),
        cmocka_unit_test(test_unreadable_file),
    };
    return cmocka_run_group_tests(tests, tu_dir_make, tu_dir_remove);
}
