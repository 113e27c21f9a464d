/* cli: the command line of samla and samla-agent as two tables, one of
 * options and one of subcommands, read by one parser.
 *
 *   PROG [--config FILE] COMMAND [options]
 *
 * --config, --help and --version may stand before the command; every option
 * may stand after it. What an option sets is named by its offset in the
 * program's own argument struct, as cfg_field_t does for config keys. */
#ifndef SAMLA_CLI_H
#define SAMLA_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef enum {
    CLI_ARG,  /* --name VALUE: a const char * into argv */
    CLI_FLAG, /* --name: a bool set to true */
} cli_kind_t;

typedef struct {
    const char *name; /* long name without "--" */
    cli_kind_t kind;
    size_t offset; /* of the const char * or bool in the program's args struct */
} cli_opt_t;

/* The head of a program's subcommand entry. A program's own entry type starts
 * with it (as its first member) and adds the functions it runs; cli_parse
 * walks the program's array by `stride` and returns a pointer to the entry. */
typedef struct {
    const char *name;
    const char *usage; /* after "PROG ": how the command is called; the options it names
                          are the ones it takes (cli_parse refuses the others) */
    const char *help;  /* one or two lines of what it does, in English (N_: translated
                          when printed, i18n.h) */
    bool bare;         /* takes exactly one argument and no options or config */
} cli_cmd_t;

typedef struct {
    const char *prog;
    const char *version;
    const char *synopsis;    /* after "usage: PROG " */
    const char *globals;     /* options every command takes, "--lang" (may be NULL) */
    const char *epilogue;    /* printed after the commands by --help (may be NULL; as
                                help, translated when printed) */
    void (*more)(FILE *out); /* then this, for what a table prints (may be NULL) */
    const cli_opt_t *opts;
    size_t n_opts;
    size_t config_offset; /* where --config goes in the args struct */
    const void *cmds;     /* the program's entry array; each begins with a cli_cmd_t */
    size_t n_cmds, stride;
} cli_t;

/* A cli_t's two tables, in its initialiser: the option array, the program's argument
 * struct and its --config field, the command array. */
#define CLI_TABLES(opts_, args_type, config_field, cmds_)                                  \
    .opts = (opts_), .n_opts = sizeof(opts_) / sizeof((opts_)[0]),                         \
    .config_offset = offsetof(args_type, config_field), .cmds = (cmds_),                   \
    .n_cmds = sizeof(cmds_) / sizeof((cmds_)[0]), .stride = sizeof((cmds_)[0])

/* What cli_parse found. */
typedef struct {
    const cli_cmd_t *cmd; /* the entry, or NULL when the parse ended the program */
    const char *bare_arg; /* the one argument of a bare command */
    int exit_code;        /* when cmd is NULL: 0 after --help/--version, else EX_USAGE */
} cli_result_t;

/* The value of --name (as "--name VALUE" or "--name=VALUE") anywhere in argv, before
 * cli_parse: what must be known before anything is printed (--lang); NULL when absent. */
const char *cli_peek(int argc, char **argv, const char *name);

/* Parses argv into `args` (the program's struct, zeroed by the caller).
 * Prints usage, help and errors itself. Never exits. */
cli_result_t cli_parse(const cli_t *cli, int argc, char **argv, void *args);

/* The whole --help text: synopsis, every command with its usage, the epilogue. */
void cli_usage(const cli_t *cli, FILE *out);
/* One entry of a list in the help ("  NAME   text"): name padded to name_width, text
 * wrapped between words to fit 100 columns, continued under its own start. */
void cli_item(FILE *out, const char *name, size_t name_width, const char *text);

#endif
