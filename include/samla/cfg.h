/* cfg: table-driven reading of libconfig files. Each program describes its settings as a
 * table of cfg_field_t; one loader checks names, types and bounds, copies strings out of
 * libconfig (the caller owns them, cfg_free releases them) and rejects unknown keys with
 * file:line. Relative paths are resolved against the config file's folder. */
#ifndef SAMLA_CFG_H
#define SAMLA_CFG_H

#include <libconfig.h>
#include <stdbool.h>
#include <stddef.h>

#include "samla/diag.h"

typedef enum {
    CFG_STR,   /* char * */
    CFG_PATH,  /* char *, resolved against the config file's folder */
    CFG_INT,   /* long long */
    CFG_GROUP, /* handled by the caller; listed so it is not "unknown" */
    CFG_LIST,  /* likewise */
} cfg_type_t;

typedef struct {
    const char *name;
    cfg_type_t type;
    bool required;
    const char *def_str;    /* default for CFG_STR/CFG_PATH, may be NULL */
    long long def_int, min, max;
    size_t offset;          /* into the caller's struct */
    const char *doc;
} cfg_field_t;

/* Reads and parses the file; on error err says "file:line: problem". */
int cfg_open(config_t *cfg, const char *file, samla_err_t *err);
/* Applies `fields` to the settings of `group` (the root, a group or a list element; NULL:
 * a group that is absent, every field its default or, when required, missing). */
int cfg_apply(const config_setting_t *group, const char *file, const cfg_field_t *fields,
              size_t n, void *out, samla_err_t *err);
void cfg_free(const cfg_field_t *fields, size_t n, void *out);
/* A malloc'd path: `path` if absolute, else joined to the folder of `file`. */
char *cfg_resolve(const char *file, const char *path);

#endif
