#include "registry.h"

#include <stdatomic.h>

#include <libconfig.h>
#include <stdlib.h>
#include <string.h>

#include "samla/cfg.h"
#include "samla/text.h"

typedef struct {
    char *name;
    bool *member; /* [förbund index] */
} s_group_t;

struct registry_s {
    atomic_int refs;   /* holders: samlad's loop and the query thread; freed at 0 */
    member_t *v;
    size_t n;
    size_t n_forbund; /* the first n_forbund entries, sorted by orgnr */
    member_t **by_key; /* every entry, sorted by public key: looked up for every message */
    uint32_t *by_orgnr; /* open addressing, [hash]: förbund index + 1, 0 empty: a query
                           looks up every row it reads (36 000 for a year's trend) */
    size_t orgnr_slots; /* a power of two, at least twice n_forbund */
    char *region;      /* as configured, may be "" */
    s_group_t *groups; /* [0]: every förbund */
    target_set_t targets;
    size_t n_groups;
};

/* Longest group name: it is a key in the database and a heading in reports. */
#define REGISTRY_MAX_GROUP_NAME 80

static int s_cmp_key(const void *a, const void *b)
{
    return strcmp((*(member_t *const *)a)->public_txt, (*(member_t *const *)b)->public_txt);
}

/* FNV-1a of an orgnr: its slot in by_orgnr, masked by the caller. */
static uint32_t s_hash(const char *orgnr)
{
    uint32_t h = 2166136261u;
    for (const unsigned char *c = (const unsigned char *)orgnr; *c; c++)
        h = (h ^ *c) * 16777619u;
    return h;
}

/* Builds the key and orgnr indexes once the entries are in place (and no longer move). */
static int s_index(registry_t *r)
{
    r->by_key = calloc(r->n + 1, sizeof *r->by_key);
    if (!r->by_key)
        return -1;
    for (size_t i = 0; i < r->n; i++)
        r->by_key[i] = &r->v[i];
    qsort(r->by_key, r->n, sizeof *r->by_key, s_cmp_key);
    for (r->orgnr_slots = 16; r->orgnr_slots < 2 * r->n_forbund; r->orgnr_slots *= 2)
        ;
    if (!(r->by_orgnr = calloc(r->orgnr_slots, sizeof *r->by_orgnr)))
        return -1;
    for (size_t i = 0; i < r->n_forbund; i++) {
        size_t h = s_hash(r->v[i].orgnr) & (r->orgnr_slots - 1);
        while (r->by_orgnr[h])
            h = (h + 1) & (r->orgnr_slots - 1);
        r->by_orgnr[h] = (uint32_t)i + 1;
    }
    return 0;
}

typedef struct {
    char *orgnr, *name, *public_key;
    long long population;
} s_entry_t;

#define O(f) offsetof(s_entry_t, f)
static const cfg_field_t s_forbund_fields[] = {
    {"orgnr", CFG_STR, true, NULL, 0, 0, 0, O(orgnr), "organisation number NNNNNN-NNNN"},
    {"name", CFG_STR, true, NULL, 0, 0, 0, O(name), "the förbund's name"},
    {"population_16_64", CFG_INT, false, NULL, 0, 0, 100000000, O(population),
     "inhabitants aged 16-64"},
    {"public_key", CFG_PATH, true, NULL, 0, 0, 0, O(public_key), "the agent's public key"},
};
static const cfg_field_t s_analyst_fields[] = {
    {"name", CFG_STR, true, NULL, 0, 0, 0, O(name), "who the analyst is"},
    {"public_key", CFG_PATH, true, NULL, 0, 0, 0, O(public_key), "the analyst's public key"},
};
#undef O

static int s_cmp(const void *a, const void *b)
{
    return strcmp(((const member_t *)a)->orgnr, ((const member_t *)b)->orgnr);
}

static int s_list(registry_t *r, const config_t *cfg, const char *file, const char *path,
                  role_t role, samla_err_t *err)
{
    const cfg_field_t *fields = role == ROLE_FORBUND ? s_forbund_fields : s_analyst_fields;
    size_t nf = role == ROLE_FORBUND ? 4 : 2;
    config_setting_t *list = config_lookup(cfg, path);
    if (!list)
        return 0;
    if (!config_setting_is_list(list))
        return err_set(err, "%s:%d: '%s' must be a list ( {...}, {...} )", file,
                       config_setting_source_line(list), path);
    for (int i = 0; i < config_setting_length(list); i++) {
        config_setting_t *g = config_setting_get_elem(list, (unsigned)i);
        int line = config_setting_source_line(g);
        if (!config_setting_is_group(g))
            return err_set(err, "%s:%d: each entry of '%s' is a group { ... }", file, line,
                           path);
        s_entry_t e = {0};
        keypair_t kp;
        samla_err_t kerr;
        int rc = cfg_apply(g, file, fields, nf, &e, err);
        if (rc == 0 && keys_load_public(e.public_key, &kp, &kerr))
            rc = err_set(err, "%s:%d: %s", file, line, kerr.msg);
        member_t *m = &r->v[r->n];
        memset(m, 0, sizeof *m);
        m->role = role;
        if (rc == 0 && role == ROLE_FORBUND &&
            (!text_orgnr_valid(e.orgnr) || text_orgnr_canonical(e.orgnr, 11, m->orgnr) != 0))
            rc = err_set(err, "%s:%d: orgnr '%s' is not NNNNNN-NNNN", file, line, e.orgnr);
        if (rc == 0 && registry_by_key(r, kp.public_txt))
            rc = err_set(err, "%s:%d: key %s is registered twice", file, line, e.public_key);
        for (size_t k = 0; rc == 0 && role == ROLE_FORBUND && k < r->n; k++)
            if (strcmp(r->v[k].orgnr, m->orgnr) == 0)
                rc = err_set(err, "%s:%d: orgnr %s is registered twice", file, line, m->orgnr);
        if (rc == 0) {
            m->name = e.name;
            e.name = NULL;
            m->population = e.population;
            memcpy(m->public_txt, kp.public_txt, sizeof m->public_txt);
            keys_fingerprint(m->public_txt, m->fingerprint);
            r->n++;
        }
        cfg_free(fields, nf, &e);
        if (rc)
            return rc;
    }
    return 0;
}

static bool s_is_group(const config_setting_t *g)
{
    return g && config_setting_is_group(g);
}

static int s_add_group(registry_t *r, const char *name)
{
    s_group_t *g = &r->groups[r->n_groups];
    if (!(g->name = strdup(name)) || !(g->member = calloc(r->n_forbund + 1, sizeof *g->member)))
        return -1;
    r->n_groups++;
    return 0;
}

/* The implicit group of every förbund, named after the region (the config's, or
 * `region` without one), then the config's `groups` (after the förbund are sorted:
 * members are kept by index). */
static int s_groups(registry_t *r, const config_t *cfg, const char *region, const char *file,
                    samla_err_t *err)
{
    config_setting_t *list = cfg ? config_lookup(cfg, "groups") : NULL;
    if (cfg)
        config_lookup_string(cfg, "region", &region);
    if (!(r->region = strdup(region ? region : "")))
        return err_set(err, "out of memory");
    size_t n = list && config_setting_is_list(list) ? (size_t)config_setting_length(list) : 0;
    if (!(r->groups = calloc(n + 1, sizeof *r->groups)) ||
        s_add_group(r, r->region[0] ? r->region : "alla"))
        return err_set(err, "out of memory");
    for (size_t i = 0; i < r->n_forbund; i++)
        r->groups[0].member[i] = true;
    if (!list)
        return 0;
    if (!config_setting_is_list(list))
        return err_set(err, "%s:%d: 'groups' must be a list ( { name = ...; members = [ ... ]; "
                            "} )", file, config_setting_source_line(list));
    for (size_t i = 0; i < n; i++) {
        config_setting_t *g = config_setting_get_elem(list, (unsigned)i);
        int line = config_setting_source_line(g);
        const char *name = NULL;
        config_setting_t *members = s_is_group(g) ? config_setting_get_member(g, "members")
                                                          : NULL;
        if (!s_is_group(g) || !config_setting_lookup_string(g, "name", &name) ||
            !members || !config_setting_is_array(members))
            return err_set(err, "%s:%d: each group is { name = \"...\"; members = [ \"orgnr\", "
                                "... ]; }", file, line);
        for (unsigned k = 0; k < (unsigned)config_setting_length(g); k++) {
            const char *key = config_setting_name(config_setting_get_elem(g, k));
            if (key && strcmp(key, "name") != 0 && strcmp(key, "members") != 0)
                return err_set(err, "%s:%d: unknown key '%s' in a group", file,
                               config_setting_source_line(config_setting_get_elem(g, k)), key);
        }
        if (!name[0] || strlen(name) > REGISTRY_MAX_GROUP_NAME ||
            !text_utf8_valid(name, strlen(name)))
            return err_set(err, "%s:%d: a group's name is 1 to %d characters of UTF-8", file,
                           line, REGISTRY_MAX_GROUP_NAME);
        if (registry_group_find(r, name) >= 0)
            return err_set(err, "%s:%d: group '%s' is named twice (or is the region's name, "
                                "which is the group of every förbund)", file, line, name);
        if (s_add_group(r, name))
            return err_set(err, "out of memory");
        s_group_t *grp = &r->groups[r->n_groups - 1];
        for (int k = 0; k < config_setting_length(members); k++) {
            const char *orgnr = config_setting_get_string_elem(members, k);
            char canon[12];
            long idx = orgnr && text_orgnr_valid(orgnr) &&
                               text_orgnr_canonical(orgnr, 11, canon) == 0
                           ? registry_forbund_index(r, canon)
                           : -1;
            if (idx < 0)
                return err_set(err, "%s:%d: group '%s': member %s is not the orgnr of a "
                                    "registered förbund", file,
                               config_setting_source_line(members), name,
                               orgnr ? orgnr : "(not a string)");
            grp->member[idx] = true;
        }
    }
    return 0;
}

static bool s_target_forbund(void *arg, const char *orgnr, char canon[12])
{
    return text_orgnr_valid(orgnr) && text_orgnr_canonical(orgnr, 11, canon) == 0 &&
           registry_forbund_index(arg, canon) >= 0;
}

static bool s_target_group(void *arg, const char *name)
{
    return registry_group_find(arg, name) >= 0;
}

/* The targets, once the förbund and groups they may name are known. */
static int s_targets(registry_t *r, const config_t *cfg, const char *file, samla_err_t *err)
{
    target_names_t names = {s_target_forbund, s_target_group, r};
    return target_load(cfg ? config_lookup(cfg, "targets") : NULL, file, &names, &r->targets,
                       err);
}

registry_t *registry_load(const void *config, const char *file, samla_err_t *err)
{
    const config_t *cfg = config;
    registry_t *r = calloc(1, sizeof *r);
    config_setting_t *f = config_lookup(cfg, "forbund"), *a = config_lookup(cfg, "analysts");
    size_t cap = (size_t)(f ? config_setting_length(f) : 0) +
                 (size_t)(a ? config_setting_length(a) : 0) + 1;
    if (!r || !(r->v = calloc(cap, sizeof *r->v))) {
        free(r);
        err_set(err, "out of memory");
        return NULL;
    }
    atomic_init(&r->refs, 1);
    if (s_list(r, cfg, file, "forbund", ROLE_FORBUND, err)) {
        registry_destroy(&r);
        return NULL;
    }
    r->n_forbund = r->n;
    if (s_list(r, cfg, file, "analysts", ROLE_ANALYST, err)) {
        registry_destroy(&r);
        return NULL;
    }
    qsort(r->v, r->n_forbund, sizeof *r->v, s_cmp);
    if (s_index(r)) {
        registry_destroy(&r);
        err_set(err, "out of memory");
        return NULL;
    }
    if (s_groups(r, cfg, NULL, file, err) || s_targets(r, cfg, file, err))
        registry_destroy(&r);
    return r;
}

registry_t *registry_of(const char *region, const member_t *members, size_t n)
{
    registry_t *r = calloc(1, sizeof *r);
    if (!r || !(r->v = calloc(n + 1, sizeof *r->v))) {
        free(r);
        return NULL;
    }
    atomic_init(&r->refs, 1);
    for (size_t i = 0; i < n; i++) {
        r->v[r->n] = members[i];
        r->v[r->n].name = strdup(members[i].name ? members[i].name : "");
        keys_fingerprint(r->v[r->n].public_txt, r->v[r->n].fingerprint);
        if (members[i].role == ROLE_FORBUND)
            r->n_forbund = r->n + 1; /* förbund first, as registry_load orders them */
        r->n++;
    }
    qsort(r->v, r->n_forbund, sizeof *r->v, s_cmp);
    samla_err_t err;
    if (s_index(r) || s_groups(r, NULL, region, "", &err) || s_targets(r, NULL, "", &err))
        registry_destroy(&r);
    return r;
}

registry_t *registry_ref(registry_t *self)
{
    atomic_fetch_add(&self->refs, 1);
    return self;
}

void registry_destroy(registry_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    registry_t *r = *self_p;
    *self_p = NULL;
    if (atomic_fetch_sub(&r->refs, 1) > 1)
        return;
    for (size_t i = 0; i < r->n; i++)
        free(r->v[i].name);
    for (size_t i = 0; i < r->n_groups; i++) {
        free(r->groups[i].name);
        free(r->groups[i].member);
    }
    free(r->groups);
    target_free(&r->targets);
    free(r->region);
    free(r->v);
    free(r->by_key);
    free(r->by_orgnr);
    free(r);
}

const member_t *registry_by_key(const registry_t *self, const char *public_txt)
{
    if (!self->by_key) { /* while loading: a plain scan for the duplicate check */
        for (size_t i = 0; i < self->n; i++)
            if (strcmp(self->v[i].public_txt, public_txt) == 0)
                return &self->v[i];
        return NULL;
    }
    member_t probe, *pp = &probe;
    snprintf(probe.public_txt, sizeof probe.public_txt, "%s", public_txt);
    member_t **hit = bsearch(&pp, self->by_key, self->n, sizeof *self->by_key, s_cmp_key);
    return hit ? *hit : NULL;
}

size_t registry_forbund_count(const registry_t *self)
{
    return self->n_forbund;
}

const member_t *registry_forbund(const registry_t *self, size_t i)
{
    return &self->v[i];
}

long registry_forbund_index(const registry_t *self, const char *orgnr)
{
    if (self->by_orgnr) { /* slots are never all taken: a probe ends at an empty one */
        for (size_t h = s_hash(orgnr) & (self->orgnr_slots - 1); self->by_orgnr[h];
             h = (h + 1) & (self->orgnr_slots - 1))
            if (strcmp(self->v[self->by_orgnr[h] - 1].orgnr, orgnr) == 0)
                return (long)self->by_orgnr[h] - 1;
        return -1;
    }
    size_t lo = 0, hi = self->n_forbund; /* while loading */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(self->v[mid].orgnr, orgnr);
        if (c == 0)
            return (long)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

size_t registry_group_count(const registry_t *self)
{
    return self->n_groups;
}

const char *registry_group_name(const registry_t *self, size_t g)
{
    return self->groups[g].name;
}

bool registry_in_group(const registry_t *self, size_t g, size_t forbund)
{
    return g < self->n_groups && forbund < self->n_forbund && self->groups[g].member[forbund];
}

long registry_group_find(const registry_t *self, const char *name)
{
    for (size_t i = 0; i < self->n_groups; i++)
        if (strcmp(self->groups[i].name, name) == 0)
            return (long)i;
    return -1;
}

const char *registry_region(const registry_t *self)
{
    return self->region ? self->region : "";
}

const target_set_t *registry_targets(const registry_t *self)
{
    return &self->targets;
}
