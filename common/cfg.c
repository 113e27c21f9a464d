#include "samla/cfg.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int cfg_open(config_t *cfg, const char *file, samla_err_t *err)
{
    config_init(cfg);
    FILE *fp = fopen(file, "r");
    struct stat st = {0};
    if (!fp) {
        int e = errno;
        config_destroy(cfg);
        return err_set(err, "cannot open config %s: %s", file, strerror(e));
    }
    if (fstat(fileno(fp), &st) != 0 || !S_ISREG(st.st_mode)) {
        fclose(fp);
        config_destroy(cfg);
        return err_set(err, "config %s is %s, not a configuration file", file,
                       S_ISDIR(st.st_mode) ? "a directory" : "not a regular file");
    }
    int ok = config_read(cfg, fp);
    fclose(fp);
    if (!ok) {
        err_set(err, "%s:%d: %s", file, config_error_line(cfg), config_error_text(cfg));
        config_destroy(cfg);
        return -1;
    }
    return 0;
}

char *cfg_resolve(const char *file, const char *path)
{
    if (path[0] == '/')
        return strdup(path);
    const char *slash = strrchr(file, '/');
    if (!slash)
        return strdup(path);
    size_t dir = (size_t)(slash - file);
    size_t len = dir + 1 + strlen(path) + 1;
    char *out = malloc(len);
    if (out)
        snprintf(out, len, "%.*s/%s", (int)dir, file, path);
    return out;
}

static const cfg_field_t *s_find(const cfg_field_t *fields, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(fields[i].name, name) == 0)
            return &fields[i];
    return NULL;
}

int cfg_apply(const config_setting_t *group, const char *file, const cfg_field_t *fields,
              size_t n, void *out, samla_err_t *err)
{
    int count = group ? config_setting_length(group) : 0; /* absent group: the defaults */
    for (int i = 0; i < count; i++) {
        config_setting_t *s = config_setting_get_elem(group, (unsigned)i);
        const char *name = config_setting_name(s);
        if (name && !s_find(fields, n, name))
            return err_set(err, "%s:%d: unknown setting '%s'", file,
                           config_setting_source_line(s), name);
    }
    for (size_t i = 0; i < n; i++) {
        const cfg_field_t *f = &fields[i];
        if (f->type == CFG_GROUP || f->type == CFG_LIST)
            continue;
        config_setting_t *s = group ? config_setting_get_member(group, f->name) : NULL;
        void *dst = (char *)out + f->offset;
        int line = s ? config_setting_source_line(s) : group ? config_setting_source_line(group)
                                                            : 0;
        if (!s && f->required)
            return err_set(err, "%s:%d: missing setting '%s' (%s)", file, line, f->name,
                           f->doc);
        if (f->type == CFG_INT) {
            long long v = f->def_int;
            if (s) {
                int t = config_setting_type(s);
                if (t != CONFIG_TYPE_INT && t != CONFIG_TYPE_INT64)
                    return err_set(err, "%s:%d: '%s' must be a whole number", file, line,
                                   f->name);
                v = config_setting_get_int64(s);
            }
            if (v < f->min || v > f->max)
                return err_set(err, "%s:%d: '%s' = %lld is outside %lld..%lld", file, line,
                               f->name, v, f->min, f->max);
            *(long long *)dst = v;
        } else {
            const char *v = f->def_str;
            if (s) {
                if (config_setting_type(s) != CONFIG_TYPE_STRING)
                    return err_set(err, "%s:%d: '%s' must be a string", file, line, f->name);
                v = config_setting_get_string(s);
                if (!*v)
                    return err_set(err, "%s:%d: '%s' is empty", file, line, f->name);
            }
            char *copy = NULL;
            if (v) {
                copy = f->type == CFG_PATH ? cfg_resolve(file, v) : strdup(v);
                if (!copy)
                    return err_set(err, "out of memory");
            }
            *(char **)dst = copy;
        }
    }
    return 0;
}

void cfg_free(const cfg_field_t *fields, size_t n, void *out)
{
    for (size_t i = 0; i < n; i++) {
        if (fields[i].type == CFG_STR || fields[i].type == CFG_PATH) {
            char **p = (char **)((char *)out + fields[i].offset);
            free(*p);
            *p = NULL;
        }
    }
}
