/* members: see members.h. */
#include "members.h"

#include <stdlib.h>
#include <string.h>

#include "samla/cfg.h"
#include "samla/cursor.h"
#include "samla/figures.h"
#include "samla/subcheck.h"
#include "samla/text.h"

/* The highest account number a range may name (SIE accounts are numbers; the BAS plan's
 * have four digits, some charts more), and the widest range: a member's accounts are a
 * few, and each is checked against the mapping. */
#define S_MAX_ACCOUNT 999999
#define S_MAX_SPAN 10000

typedef struct {
    int from, to;
} s_range_t;

typedef struct {
    char *name;
    Samla__V1__MemberKind kind;
    s_range_t *ranges; /* owned */
    size_t n_ranges;
} s_member_t;

struct members_s {
    s_member_t v[MEMBERS_MAX];
    size_t n;
    /* what members_fill hands out */
    Samla__V1__MemberAmount msg[MEMBERS_MAX], *ptr[MEMBERS_MAX];
};

/* The settings of one entry, read through cfg's table (accounts is a list the entry
 * walks itself). */
typedef struct {
    char *name, *kind;
} s_entry_t;

#define O(f) offsetof(s_entry_t, f)
static const cfg_field_t s_fields[] = {
    {"name", CFG_STR, true, NULL, 0, 0, 0, O(name), "the member's name, as reports print it"},
    {"kind", CFG_STR, true, NULL, 0, 0, 0, O(kind), "state, region, municipality or external"},
    {"accounts", CFG_LIST, true, NULL, 0, 0, 0, 0, "accounts: \"3011\" or \"3110-3119\""},
};
#undef O
#define S_FIELDS (sizeof s_fields / sizeof s_fields[0])

/* "3011" or "3110-3119" (blanks around the dash allowed). */
static int s_range(const char *text, s_range_t *r)
{
    cur_t c;
    cur_init(&c, text, strlen(text));
    uint64_t a, b;
    cur_skip_blanks(&c);
    if (cur_uint(&c, S_MAX_ACCOUNT, &a))
        return -1;
    b = a;
    cur_skip_blanks(&c);
    if (!cur_eof(&c)) {
        if (cur_lit(&c, '-'))
            return -1;
        cur_skip_blanks(&c);
        if (cur_uint(&c, S_MAX_ACCOUNT, &b))
            return -1;
        cur_skip_blanks(&c);
    }
    if (!cur_eof(&c) || a > b)
        return -1;
    *r = (s_range_t){(int)a, (int)b};
    return 0;
}

/* Who already has an account of r: a member's name, "" for the member being read (its
 * earlier ranges), NULL for no one. */
static const char *s_taken(const members_t *self, const s_range_t *r)
{
    for (size_t j = 0; j <= self->n && j < MEMBERS_MAX; j++)
        for (size_t k = 0; k < self->v[j].n_ranges; k++) {
            const s_range_t *y = &self->v[j].ranges[k];
            if (r != y && r->from <= y->to && y->from <= r->to)
                return j < self->n ? self->v[j].name : "";
        }
    return NULL;
}

/* One entry into m (owned by self once added). */
static int s_member(members_t *self, const config_setting_t *e, const mapping_t *map,
                    const char *file, samla_err_t *err)
{
    int line_no = config_setting_source_line(e);
    s_entry_t in = {0};
    if (!config_setting_is_group(e))
        return err_set(err, "%s:%d: mapping.members entries are { name = \"…\"; kind = "
                            "\"state\"; accounts = [ \"3011\" ]; }", file, line_no);
    if (cfg_apply(e, file, s_fields, S_FIELDS, &in, err))
        return -1;
    s_member_t *m = &self->v[self->n];
    int rc = 0;
    m->kind = figures_member_kind_parse(in.kind);
    size_t line = figures_member_kind_line(m->kind);
    const config_setting_t *list = config_setting_get_member(e, "accounts");
    int n = list ? config_setting_length(list) : 0;
    if (!*in.name || strlen(in.name) > SUBCHECK_MAX_STRING || !text_is_safe(in.name))
        rc = err_set(err, "%s:%d: a member's name is 1 to %d bytes of text", file, line_no,
                     SUBCHECK_MAX_STRING);
    else if (!m->kind)
        rc = err_set(err, "%s:%d: kind '%s' is not state, region, municipality or external",
                     file, line_no, in.kind);
    else if (!list || !config_setting_is_array(list) || n < 1)
        rc = err_set(err, "%s:%d: accounts is a list of accounts or ranges, e.g. "
                          "[ \"3031\", \"3110-3119\" ]", file, line_no);
    else if (!(m->ranges = calloc((size_t)n, sizeof *m->ranges)))
        rc = err_set(err, "out of memory");
    for (int i = 0; rc == 0 && i < n; i++) {
        const char *text = config_setting_get_string_elem(list, (unsigned)i);
        s_range_t *r = &m->ranges[m->n_ranges];
        if (!text || s_range(text, r) || r->to - r->from >= S_MAX_SPAN) {
            rc = err_set(err, "%s:%d: '%s' is not an account or a range of at most %d "
                              "accounts (\"3031\", \"3110-3119\")", file, line_no,
                         text ? text : "?", S_MAX_SPAN);
            break;
        }
        /* every account of it on the kind's line: so the members add up to the line */
        for (int acc = r->from; rc == 0 && acc <= r->to; acc++)
            if (mapping_line(map, acc) != (line_t)(line + 1))
                rc = err_set(err, "%s:%d: account %d of %s is not on the %s line (%s) of the "
                                  "mapping", file, line_no, acc, in.name, in.kind,
                             figure_lines[line].name);
        const char *other = rc ? NULL : s_taken(self, r);
        if (other)
            rc = err_set(err, "%s:%d: accounts %d-%d of %s are also %s's", file, line_no,
                         r->from, r->to, in.name, *other ? other : in.name);
        m->n_ranges++;
    }
    if (rc == 0) {
        m->name = in.name;
        in.name = NULL;
        self->n++;
    } else {
        free(m->ranges);
        memset(m, 0, sizeof *m);
    }
    cfg_free(s_fields, S_FIELDS, &in);
    return rc;
}

members_t *members_configure(const config_setting_t *list, const mapping_t *m,
                             const char *file, samla_err_t *err)
{
    members_t *self = calloc(1, sizeof *self);
    if (!self) {
        err_set(err, "out of memory");
        return NULL;
    }
    int n = config_setting_length(list);
    if (!config_setting_is_list(list) || n > MEMBERS_MAX) {
        err_set(err, "%s:%d: mapping.members is a list ( { … }, … ) of at most %d", file,
                config_setting_source_line(list), MEMBERS_MAX);
        members_destroy(&self);
        return NULL;
    }
    for (int i = 0; i < n; i++)
        if (s_member(self, config_setting_get_elem(list, (unsigned)i), m, file, err)) {
            members_destroy(&self);
            return NULL;
        }
    return self;
}

void members_destroy(members_t **self_p)
{
    members_t *self = *self_p;
    if (!self)
        return;
    for (size_t i = 0; i < self->n; i++) {
        free(self->v[i].name);
        free(self->v[i].ranges);
    }
    free(self);
    *self_p = NULL;
}

int members_fill(members_t *self, const sie_rows_t *actual, Samla__V1__Ledger *l)
{
    for (size_t i = 0; i < self->n; i++) {
        const s_member_t *m = &self->v[i];
        Samla__V1__MemberAmount *o = &self->msg[i];
        samla__v1__member_amount__init(o);
        o->name = m->name;
        o->kind = m->kind;
        o->has_amount = 1;
        line_t line = (line_t)(figures_member_kind_line(m->kind) + 1);
        for (size_t r = 0; r < actual->n; r++) {
            const sie_row_t *row = &actual->rows[r];
            for (size_t k = 0; row->object < 0 && k < m->n_ranges; k++)
                if (row->account >= m->ranges[k].from && row->account <= m->ranges[k].to)
                    o->amount += mapping_report_sign(line) * row->amount;
        }
        self->ptr[i] = o;
    }
    l->n_members = self->n;
    l->members = self->n ? self->ptr : NULL;
    return 0;
}
