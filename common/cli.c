/* cli: one parser for the subcommand command lines of samla and samla-agent.
 * See samla/cli.h. getopt_long does the reading; the tables say what goes where. */
#include "samla/cli.h"
#include "samla/diag.h"
#include "samla/i18n.h"

#include <getopt.h>
#include <stdbool.h>
#include <string.h>
#include <sysexits.h>

#include "samla/text.h"

/* The most options a program may declare; the option array lives on the stack. */
#define CLI_MAX_OPTS 40
/* getopt_long returns an option's index plus this, above every short option. */
#define CLI_OPT_BASE 256

static const cli_cmd_t *s_cmd_at(const cli_t *cli, size_t i)
{
    return (const cli_cmd_t *)((const char *)cli->cmds + i * cli->stride);
}

/* The help fits a terminal of this many columns. */
#define CLI_WIDTH 100

/* Where the next piece of a usage line ends: before a space that starts an option
 * ("--") or an optional part ("["), outside brackets, so that "--period YYYY-MM" and
 * "[--orgnr ORGNR]" are never broken; or at the end of a form ("\n"). */
static size_t s_piece(const char *p)
{
    size_t depth = 0, i = 0;
    for (; p[i]; i++) {
        if (p[i] == '[')
            depth++;
        else if (p[i] == ']' && depth)
            depth--;
        else if (p[i] == '\n')
            break;
        else if (p[i] == ' ' && !depth && i && (p[i + 1] == '[' || p[i + 1] == '-'))
            break;
    }
    return i;
}

/* "PROG USAGE" from column `col`, wrapped at CLI_WIDTH with continuation lines indented
 * to `indent`; ends the line. A usage of several forms has them on lines of their own
 * ("\n" between), each starting with PROG at `col`. */
static void s_usage_line(const cli_t *cli, const char *usage, size_t col, size_t indent,
                         FILE *out)
{
    size_t start = col;
    col += (size_t)fprintf(out, "%s", cli->prog);
    for (const char *p = usage; *p;) {
        while (*p == ' ')
            p++;
        if (*p == '\n') {
            col = (size_t)fprintf(out, "\n%*s%s", (int)start, "", cli->prog) - 1;
            p++;
            continue;
        }
        size_t n = s_piece(p);
        if (n == 0)
            break;
        if (col + 1 + n > CLI_WIDTH && col > indent)
            col = (size_t)fprintf(out, "\n%*s", (int)indent, "") - 1;
        col += (size_t)fprintf(out, " %.*s", (int)n, p);
        p += n;
    }
    fputc('\n', out);
}

void cli_item(FILE *out, const char *name, size_t name_width, const char *text)
{
    size_t indent = 2 + name_width + 1;
    size_t col = (size_t)fprintf(out, "  %-*s", (int)name_width, name);
    const char *p = text;
    while (*p) {
        while (*p == ' ')
            p++;
        size_t n = strcspn(p, " ");
        if (n == 0)
            break;
        char word[256];
        snprintf(word, sizeof word, "%.*s", (int)n, p);
        size_t w = text_width(word);
        if (col + 1 + w > CLI_WIDTH && col > indent)
            col = (size_t)fprintf(out, "\n%*s", (int)indent - 1, "") - 1;
        col += (size_t)fprintf(out, " %.*s", (int)n, p) - n + w;
        p += n;
    }
    fputc('\n', out);
}

void cli_usage(const cli_t *cli, FILE *out)
{
    fprintf(out, _("usage: %s %s\n\ncommands:\n"), cli->prog, cli->synopsis);
    for (size_t i = 0; i < cli->n_cmds; i++) {
        const cli_cmd_t *c = s_cmd_at(cli, i);
        cli_item(out, c->name, 12, _(c->help));
        fputs("               ", out);
        s_usage_line(cli, c->usage, 15, 19, out);
    }
    if (cli->more)
        cli->more(out);
    if (cli->epilogue)
        fputs(_(cli->epilogue), out);
}

static void s_cmd_usage(const cli_t *cli, const cli_cmd_t *c, FILE *out)
{
    fputs(_("usage: "), out);
    s_usage_line(cli, c->usage, 7, 11, out);
}

/* `PROG COMMAND --help`: how it is called and what it does. */
static void s_cmd_help(const cli_t *cli, const cli_cmd_t *c)
{
    s_cmd_usage(cli, c, stdout);
    cli_item(stdout, "", 0, _(c->help));
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

/* Whether text names the option: "--name" followed by a space, ']', a line end or its end. */
static bool s_mentions(const char *text, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = text; p && (p = strstr(p, "--")); p += 2)
        if (strncmp(p + 2, name, n) == 0 && strchr(" ]|\n", p[2 + n]))
            return true;
    return false;
}

const char *cli_peek(int argc, char **argv, const char *name)
{
    size_t n = strlen(name);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strncmp(a, "--", 2) != 0 || strncmp(a + 2, name, n) != 0)
            continue;
        if (a[2 + n] == '=')
            return a + 3 + n;
        if (a[2 + n] == '\0' && i + 1 < argc)
            return argv[i + 1];
    }
    return NULL;
}

cli_result_t cli_parse(const cli_t *cli, int argc, char **argv, void *args)
{
    struct option lo[CLI_MAX_OPTS + 4];
    if (!s_options(cli, lo)) {
        err_print(cli->prog, "too many options for the command line parser\n");
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
        err_print(cli->prog, "unknown command '%s'\n", argv[optind]);
        cli_usage(cli, stderr);
        return s_end(EX_USAGE);
    }
    if (cmd->bare)
        return s_bare(cli, cmd, argc, argv, optind + 1);
    optind++;
    while ((ch = getopt_long(argc, argv, "c:h", lo, NULL)) != -1) {
        if (ch >= CLI_OPT_BASE && ch < CLI_OPT_BASE + (int)cli->n_opts) {
            /* a command takes the options its usage names, and the program's global ones:
             * one declaration, so --help is never wrong about what a command heeds */
            const cli_opt_t *o = &cli->opts[ch - CLI_OPT_BASE];
            if (!s_mentions(cmd->usage, o->name) && !s_mentions(cli->globals, o->name)) {
                err_print(cli->prog, "%s does not take --%s (see %s %s --help)\n", cmd->name,
                          o->name, cli->prog, cmd->name);
                return s_end(EX_USAGE);
            }
            s_set(o, args, optarg);
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
        err_print(cli->prog, "unexpected argument '%s'\n", argv[optind]);
        s_cmd_usage(cli, cmd, stderr);
        return s_end(EX_USAGE);
    }
    return (cli_result_t){.cmd = cmd, .bare_arg = NULL, .exit_code = 0};
}
