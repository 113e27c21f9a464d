/* registry: who may talk to samlad. Each förbund key is bound to one organisation number;
 * analyst keys may only query. Loaded from the daemon's config and reloaded on SIGHUP. */
#ifndef SAMLA_REGISTRY_H
#define SAMLA_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "samla/diag.h"
#include "samla/keys.h"
#include "target.h"

typedef enum { ROLE_FORBUND, ROLE_ANALYST } role_t;

typedef struct {
    role_t role;
    char orgnr[12];       /* förbund only */
    char *name;
    int64_t population;   /* aged 16-64, förbund only; 0 when not given */
    char public_txt[KEY_Z85_LEN + 1];
    char fingerprint[17];
} member_t;

typedef struct registry_s registry_t;

/* Reads the `forbund` and `analysts` lists of an open libconfig file; key paths relative
 * to `file`'s folder. Every problem is an error with file:line. */
registry_t *registry_load(const void *config, const char *file, samla_err_t *err);
/* A registry built from members directly (tests, fuzzing, benchmarks); copies them.
 * region may be NULL. */
registry_t *registry_of(const char *region, const member_t *members, size_t n);
/* Another holder of the same registry (the query thread keeps the one it started a
 * request with while SIGHUP installs a new one). Each holder calls registry_destroy; the
 * last one frees it. Thread-safe. */
registry_t *registry_ref(registry_t *self);
void registry_destroy(registry_t **self_p);
const member_t *registry_by_key(const registry_t *self, const char *public_txt);
size_t registry_forbund_count(const registry_t *self);
const member_t *registry_forbund(const registry_t *self, size_t i); /* sorted by orgnr */
/* The index of a registered förbund by orgnr (binary search), or -1. */
long registry_forbund_index(const registry_t *self, const char *orgnr);

/* Comparison groups (CONTRACT.md): group 0 is every registered förbund, named by the
 * config's `region` ("alla" when it has none); then the config's `groups`, in order. */
size_t registry_group_count(const registry_t *self);
const char *registry_group_name(const registry_t *self, size_t g);
bool registry_in_group(const registry_t *self, size_t g, size_t forbund);
/* A group by name, or -1. */
long registry_group_find(const registry_t *self, const char *name);
/* The targets of the config's `targets` list and the national defaults (target.h). */
const target_set_t *registry_targets(const registry_t *self);
/* The region's name as configured (may be ""). */
const char *registry_region(const registry_t *self);

#endif
