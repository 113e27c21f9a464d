/* cli: the command line as the two programs read it, from a toy table. */
#include <stdbool.h>
#include <sysexits.h>

#include "samla/cli.h"
#include "testutil.h"

typedef struct {
    const char *config, *period, *format;
    bool long_form;
} t_args_t;

typedef struct {
    cli_cmd_t cli;
    int id;
} t_cmd_t;

static const t_cmd_t s_cmds[] = {
    {{"compare", "--config FILE compare --period YYYY-MM [--format FORMAT] [--long]",
      "compare a month", false}, 1},
    {{"keygen", "keygen NAME", "write a key pair", true}, 2},
    {{"trend", "--config FILE trend --orgnr ORGNR --metric NAME [--from YYYY-MM] "
               "[--to YYYY-MM] [--revision N] [--group NAME] [--format FORMAT]",
      "one metric month by month", false}, 3},
};

#define A(f) offsetof(t_args_t, f)
static const cli_opt_t s_opts[] = {
    {"period", CLI_ARG, A(period)},
    {"format", CLI_ARG, A(format)},
    {"long", CLI_FLAG, A(long_form)},
};

static const cli_t s_cli = {
    .prog = "t",
    .version = "9.9",
    .synopsis = "--config FILE COMMAND",
    .epilogue = "exit codes: none\n",
    .opts = s_opts,
    .n_opts = 3,
    .config_offset = A(config),
    .cmds = s_cmds,
    .n_cmds = 3,
    .stride = sizeof s_cmds[0],
};
#undef A

/* Runs cli_parse on a NULL-terminated list of words after the program name. */
static cli_result_t s_run(t_args_t *a, const char *const *words)
{
    char *argv[16] = {"t"};
    int argc = 1;
    while (words[argc - 1] && argc < 15) {
        argv[argc] = (char *)words[argc - 1];
        argc++;
    }
    argv[argc] = NULL;
    *a = (t_args_t){0};
    return cli_parse(&s_cli, argc, argv, a);
}

static void test_options_before_and_after(void **state)
{
    (void)state;
    t_args_t a;
    const char *w[] = {"--config", "x.conf", "compare", "--period", "2025-03", "--long", NULL};
    cli_result_t r = s_run(&a, w);
    assert_non_null(r.cmd);
    assert_int_equal(((const t_cmd_t *)r.cmd)->id, 1);
    assert_string_equal(a.config, "x.conf");
    assert_string_equal(a.period, "2025-03");
    assert_true(a.long_form);
    assert_null(a.format);

    const char *w2[] = {"compare", "--format=json", "--config", "y.conf", NULL};
    r = s_run(&a, w2);
    assert_non_null(r.cmd);
    assert_string_equal(a.config, "y.conf");
    assert_string_equal(a.format, "json");
    assert_false(a.long_form);
}

static void test_bare_command(void **state)
{
    (void)state;
    t_args_t a;
    const char *w[] = {"keygen", "agent1", NULL};
    cli_result_t r = s_run(&a, w);
    assert_non_null(r.cmd);
    assert_int_equal(((const t_cmd_t *)r.cmd)->id, 2);
    assert_string_equal(r.bare_arg, "agent1");
    /* --help after a bare command is help, not a key called "--help" */
    const char *h[] = {"keygen", "--help", NULL};
    r = s_run(&a, h);
    assert_null(r.cmd);
    assert_int_equal(r.exit_code, 0);
    const char *none[] = {"keygen", NULL};
    r = s_run(&a, none);
    assert_null(r.cmd);
    assert_int_equal(r.exit_code, EX_USAGE);
}

static void test_usage_errors(void **state)
{
    (void)state;
    t_args_t a;
    const char *unknown[] = {"frobnicate", NULL};
    const char *nothing[] = {NULL};
    const char *bad_opt[] = {"compare", "--bogus", NULL};
    const char *missing[] = {"compare", "--period", NULL};
    const char *extra[] = {"compare", "stray", NULL};
    const char *const *cases[] = {unknown, nothing, bad_opt, missing, extra};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cli_result_t r = s_run(&a, cases[i]);
        assert_null(r.cmd);
        assert_int_equal(r.exit_code, EX_USAGE);
    }
    const char *help[] = {"--help", NULL};
    const char *version[] = {"--version", NULL};
    const char *cmd_help[] = {"compare", "-h", NULL};
    const char *const *ok[] = {help, version, cmd_help};
    for (size_t i = 0; i < 3; i++) {
        cli_result_t r = s_run(&a, ok[i]);
        assert_null(r.cmd);
        assert_int_equal(r.exit_code, 0);
    }
}

/* A command takes the options its usage names and no other: status ignoring --metric
 * silently would let a user believe it was heeded. */
static void test_declared_options(void **state)
{
    (void)state;
    t_args_t a;
    const char *not_trends[] = {"trend", "--period", "2025-03", NULL}; /* trend has --from */
    const char *not_long[] = {"trend", "--long", NULL};
    const char *const *refused[] = {not_trends, not_long};
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        cli_result_t r = s_run(&a, refused[i]);
        assert_null(r.cmd);
        assert_int_equal(r.exit_code, EX_USAGE);
    }
    const char *named[] = {"trend", "--format", "csv", NULL}; /* "[--format FORMAT]" */
    cli_result_t r = s_run(&a, named);
    assert_non_null(r.cmd);
    assert_string_equal(a.format, "csv");
}

static void test_usage_text(void **state)
{
    (void)state;
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    cli_usage(&s_cli, mem);
    fclose(mem);
    assert_non_null(strstr(text, "usage: t --config FILE COMMAND\n"));
    assert_non_null(strstr(text, "  compare      compare a month\n"
                                 "               t --config FILE compare --period YYYY-MM "
                                 "[--format FORMAT] [--long]\n"));
    assert_non_null(strstr(text, "  keygen       write a key pair\n"));
    assert_non_null(strstr(text, "exit codes: none\n"));
    /* a long usage wraps before 100 columns, between options, never inside "[...]" */
    assert_non_null(strstr(text, "               t --config FILE trend --orgnr ORGNR --metric "
                                 "NAME [--from YYYY-MM] [--to YYYY-MM]\n"
                                 "                    [--revision N] [--group NAME] "
                                 "[--format FORMAT]\n"));
    free(text);
}

/* A list entry wraps between words at 100 columns, counting "ö" as one column. */
static void test_item_wraps(void **state)
{
    (void)state;
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    cli_item(mem, "name", 10, "förbundens förbund är förbund och åter förbund här och där "
                              "och sedan ett till förbund å slutar just här");
    cli_item(mem, "short", 10, "one line");
    fclose(mem);
    /* the first line is exactly 100 columns (and 111 bytes) */
    assert_string_equal(text, "  name       förbundens förbund är förbund och åter förbund "
                              "här och där och sedan ett till förbund å\n"
                              "             slutar just här\n"
                              "  short      one line\n");
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_options_before_and_after),
        cmocka_unit_test(test_bare_command),
        cmocka_unit_test(test_usage_errors),
        cmocka_unit_test(test_declared_options),
        cmocka_unit_test(test_usage_text),
        cmocka_unit_test(test_item_wraps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
