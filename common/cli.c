/* cli: one parser for the subcommand command lines of samla and samla-agent.
 * See samla/cli.h. getopt_long does the reading; the tables say what goes where. */
#include "samla/cli.h"

#include <getopt.h>
#include <stdbool.h>
#include <string.h>
#include <sysexits.h>

/* The most options a program may declare; the option array lives on the stack. */
#define CLI_MAX_OPTS 40
/* getopt_long returns an option's index plus this, above every short option. */
#define CLI_OPT_BASE 256

static const cli_cmd_t *s_cmd_at(const cli_t *cli, size_t i)
{
    return (const cli_cmd_t *)((const char *)cli->cmds + i * cli->stride);
}

void cli_usage(const cli_t *cli, FILE *out)
{
    fprintf(out, "usage: %s %s\n\ncommands:\n", cli->prog, cli->synopsis);
    for (size_t i = 0; i < cli->n_cmds; i++) {
        const cli_cmd_t *c = s_cmd_at(cli, i);
        fprintf(out, "  %-12s %s\n               %s %s\n", c->name, c->help, cli->prog,
                c->usage);
    }
    if (cli->more)
        cli->more(out);
    if (cli->epilogue)
        fputs(cli->epilogue, out);
}

static void s_cmd_usage(const cli_t *cli, const cli_cmd_t *c, FILE *out)
{
    fprintf(out, "usage: %s %s\n", cli->prog, c->usage);
}

/* `PROG COMMAND --help`: how it is called and what it does. */
static void s_cmd_help(const cli_t *cli, const cli_cmd_t *c)
{
    s_cmd_usage(cli, c, stdout);
    printf("  %s\n", c->help);
}

static cli_result_t s_end(int code)
{
    return (cli_result_t){.cmd = NULL, .bare_arg = NULL, .exit_code = code};
}

/* Fills `lo` (CLI_MAX_OPTS + 4 entries) from the table plus the three every
 * program has. Returns false when the table is too long (a programming error). */
static bool s_options(const cli_t *cli, struct option *lo)
{
    if (cli->n_opts > CLI_MAX_OPTS)
        return false;
    size_t n = 0;
    for (size_t i = 0; i < cli->n_opts; i++)
        lo[n++] = (struct option){cli->opts[i].name,
                                  cli->opts[i].kind == CLI_ARG ? required_argument : no_argument,
                                  NULL, CLI_OPT_BASE + (int)i};
    lo[n++] = (struct option){"config", required_argument, NULL, 'c'};
    lo[n++] = (struct option){"help", no_argument, NULL, 'h'};
    lo[n++] = (struct option){"version", no_argument, NULL, 'V'};
    lo[n] = (struct option){NULL, 0, NULL, 0};
    return true;
}

static void s_set(const cli_opt_t *o, void *args, const char *value)
{
    char *field = (char *)args + o->offset;
    if (o->kind == CLI_FLAG)
        *(bool *)field = true;
    else
        *(const char **)field = value;
}

static const cli_cmd_t *s_find(const cli_t *cli, const char *name)
{
    for (size_t i = 0; i < cli->n_cmds; i++)
        if (strcmp(name, s_cmd_at(cli, i)->name) == 0)
            return s_cmd_at(cli, i);
    return NULL;
}

/* A bare command takes one argument: `samla-agent keygen NAME`. */
static cli_result_t s_bare(const cli_t *cli, const cli_cmd_t *cmd, int argc, char **argv, int at)
{
    if (argc - at == 1 && (strcmp(argv[at], "--help") == 0 || strcmp(argv[at], "-h") == 0)) {
        s_cmd_help(cli, cmd);
        return s_end(0);
    }
    if (argc - at != 1) {
        s_cmd_usage(cli, cmd, stderr);
        return s_end(EX_USAGE);
    }
    return (cli_result_t){.cmd = cmd, .bare_arg = argv[at], .exit_code = 0};
}

cli_result_t cli_parse(const cli_t *cli, int argc, char **argv, void *args)
{
    struct option lo[CLI_MAX_OPTS + 4];
    if (!s_options(cli, lo)) {
        fprintf(stderr, "%s: too many options for the command line parser\n", cli->prog);
        return s_end(EX_SOFTWARE);
    }
    const char **config = (const char **)(void *)((char *)args + cli->config_offset);
    optind = 1;
    opterr = 1;
    int ch;
    /* "+": stop at the command; what follows it is the command's. */
    while ((ch = getopt_long(argc, argv, "+c:h", lo, NULL)) != -1) {
        switch (ch) {
        case 'c': *config = optarg; break;
        case 'h': cli_usage(cli, stdout); return s_end(0);
        case 'V': printf("%s %s\n", cli->prog, cli->version); return s_end(0);
        default: cli_usage(cli, stderr); return s_end(EX_USAGE);
        }
    }
    if (optind >= argc) {
        cli_usage(cli, stderr);
        return s_end(EX_USAGE);
    }
    const cli_cmd_t *cmd = s_find(cli, argv[optind]);
    if (!cmd) {
        fprintf(stderr, "%s: unknown command '%s'\n", cli->prog, argv[optind]);
        cli_usage(cli, stderr);
        return s_end(EX_USAGE);
    }
    if (cmd->bare)
        return s_bare(cli, cmd, argc, argv, optind + 1);
    optind++;
    while ((ch = getopt_long(argc, argv, "c:h", lo, NULL)) != -1) {
        if (ch >= CLI_OPT_BASE && ch < CLI_OPT_BASE + (int)cli->n_opts) {
            s_set(&cli->opts[ch - CLI_OPT_BASE], args, optarg);
            continue;
        }
        switch (ch) {
        case 'c': *config = optarg; break;
        case 'h':
            s_cmd_help(cli, cmd);
            return s_end(0);
        default: s_cmd_usage(cli, cmd, stderr); return s_end(EX_USAGE);
        }
    }
    if (optind < argc) {
        fprintf(stderr, "%s: unexpected argument '%s'\n", cli->prog, argv[optind]);
        s_cmd_usage(cli, cmd, stderr);
        return s_end(EX_USAGE);
    }
    return (cli_result_t){.cmd = cmd, .bare_arg = NULL, .exit_code = 0};
}
