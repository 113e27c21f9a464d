#include "mapping.h"

#include "members.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    int from, to;
    line_t line;
} s_range_t;

typedef struct {
    char *code;
    Samla__V1__AreaClass cls;
} s_area_t;

struct mapping_s {
    s_range_t *custom; /* from the config, checked first */
    size_t n_custom;
    s_area_t *areas;
    size_t n_areas;
    members_t *members; /* owned; NULL when the config names none */
};

/* CONTRACT.md, "Default account mapping (Finsam)". */
static const s_range_t s_default[] = {
    {1000, 1499, LINE_fixed_assets},
    {1500, 1899, LINE_current_receivables},
    {1900, 1999, LINE_cash},
    {2000, 2099, LINE_equity},
    {2100, 2399, LINE_long_term_liabilities},
    {2400, 2999, LINE_current_liabilities},
    {3000, 3019, LINE_contributions_state},
    {3020, 3029, LINE_contributions_region},
    {3030, 3099, LINE_contributions_municipalities},
    {3100, 3199, LINE_external_funding},
    {3200, 3999, LINE_other_income},
    {4000, 4999, LINE_costs_activity},
    {5000, 5999, LINE_costs_personnel},
    {6000, 6999, LINE_costs_premises},
    {7000, 7999, LINE_costs_other},
    {8400, 8499, LINE_financial_income},
    {8500, 8599, LINE_financial_costs},
    {8900, 8999, LINE_CLOSING},
};

/* Name, kind and sign of every line, from the one list (figures.h). */
static const struct {
    const char *name;
    figure_kind_t kind;
} s_lines[LINE_COUNT] = {
    [LINE_NONE] = {"none", FIG_FLAG},
#define MAPPING_LINE(name, kind, label) [LINE_##name] = {#name, kind},
    FIGURES_BOOKED(MAPPING_LINE)
#undef MAPPING_LINE
    [LINE_CLOSING] = {"closing_entries", FIG_FLAG},
};

static const char *const s_class_names[] = {"other", "admin", "structural", "individual"};

mapping_t *mapping_new(void)
{
    return calloc(1, sizeof(mapping_t));
}

void mapping_destroy(mapping_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    mapping_t *m = *self_p;
    for (size_t i = 0; i < m->n_areas; i++)
        free(m->areas[i].code);
    free(m->areas);
    free(m->custom);
    members_destroy(&m->members);
    free(m);
    *self_p = NULL;
}

const char *mapping_line_name(line_t line)
{
    return s_lines[line].name;
}

int mapping_line_parse(const char *name, line_t *line)
{
    for (int i = 0; i < LINE_COUNT; i++)
        if (strcmp(s_lines[i].name, name) == 0) {
            *line = (line_t)i;
            return 0;
        }
    return -1;
}

int mapping_report_sign(line_t line)
{
    /* unmapped balances and closing entries count as they are booked against income */
    return line == LINE_NONE ? 1 : line == LINE_CLOSING ? -1 : figures_kind_sign(s_lines[line].kind);
}

int mapping_is_result_line(line_t line)
{
    if (line == LINE_CLOSING)
        return 1;
    switch (s_lines[line].kind) {
    case FIG_CONTRIBUTION:
    case FIG_INCOME:
    case FIG_COST:
    case FIG_FIN_INCOME:
    case FIG_FIN_COST: return 1;
    default: return 0;
    }
}

int mapping_is_cost_line(line_t line)
{
    return line != LINE_NONE && line != LINE_CLOSING && figures_kind_is_cost(s_lines[line].kind);
}

int64_t *mapping_line_slot(Samla__V1__Ledger *l, line_t line, protobuf_c_boolean **has)
{
    if (line == LINE_NONE || line == LINE_CLOSING)
        return NULL;
    /* the booked lines come first in figure_lines, in the same order as line_t */
    return figures_line_slot(l, (size_t)line - 1, has);
}

line_t mapping_line(const mapping_t *self, int account)
{
    for (size_t i = 0; i < self->n_custom; i++)
        if (account >= self->custom[i].from && account <= self->custom[i].to)
            return self->custom[i].line;
    for (size_t i = 0; i < sizeof s_default / sizeof s_default[0]; i++)
        if (account >= s_default[i].from && account <= s_default[i].to)
            return s_default[i].line;
    return LINE_NONE;
}

Samla__V1__AreaClass mapping_area_class(const mapping_t *self, const char *code)
{
    for (size_t i = 0; i < self->n_areas; i++)
        if (strcmp(self->areas[i].code, code) == 0)
            return self->areas[i].cls;
    switch (code[0]) {
    case '1': return SAMLA__V1__AREA_CLASS__AREA_ADMIN;
    case '2': return SAMLA__V1__AREA_CLASS__AREA_STRUCTURAL;
    case '3': return SAMLA__V1__AREA_CLASS__AREA_INDIVIDUAL;
    default: return SAMLA__V1__AREA_CLASS__AREA_OTHER;
    }
}

const char *mapping_area_class_name(Samla__V1__AreaClass c)
{
    return (unsigned)c < 4 ? s_class_names[c] : "other";
}

static int s_get_int(const config_setting_t *e, const char *name, const char *file, int *out,
                     samla_err_t *err)
{
    int v;
    if (!config_setting_lookup_int(e, name, &v))
        return err_set(err, "%s:%d: mapping entry needs an integer '%s'", file,
                       config_setting_source_line(e), name);
    *out = v;
    return 0;
}

static int s_accounts(mapping_t *self, const config_setting_t *list, const char *file,
                      samla_err_t *err)
{
    int n = config_setting_length(list);
    self->custom = calloc((size_t)n + 1, sizeof *self->custom);
    if (!self->custom)
        return err_set(err, "out of memory");
    for (int i = 0; i < n; i++) {
        config_setting_t *e = config_setting_get_elem(list, (unsigned)i);
        int line_no = config_setting_source_line(e);
        const char *line_name;
        s_range_t r;
        if (!config_setting_is_group(e))
            return err_set(err, "%s:%d: mapping.accounts entries are groups "
                                "{ from = ...; to = ...; line = \"...\"; }", file, line_no);
        if (s_get_int(e, "from", file, &r.from, err) || s_get_int(e, "to", file, &r.to, err))
            return -1;
        if (!config_setting_lookup_string(e, "line", &line_name) ||
            mapping_line_parse(line_name, &r.line))
            return err_set(err, "%s:%d: mapping entry needs 'line', one of the Ledger "
                                "fields (e.g. \"costs_personnel\") or \"none\"", file, line_no);
        if (r.from > r.to)
            return err_set(err, "%s:%d: mapping range %d-%d is empty", file, line_no, r.from,
                           r.to);
        for (int k = 0; k < config_setting_length(e); k++) {
            const char *key = config_setting_name(config_setting_get_elem(e, (unsigned)k));
            if (strcmp(key, "from") && strcmp(key, "to") && strcmp(key, "line"))
                return err_set(err, "%s:%d: unknown setting '%s' in mapping.accounts", file,
                               line_no, key);
        }
        self->custom[self->n_custom++] = r;
    }
    return 0;
}

static int s_areas(mapping_t *self, const config_setting_t *list, const char *file,
                   samla_err_t *err)
{
    int n = config_setting_length(list);
    self->areas = calloc((size_t)n + 1, sizeof *self->areas);
    if (!self->areas)
        return err_set(err, "out of memory");
    for (int i = 0; i < n; i++) {
        config_setting_t *e = config_setting_get_elem(list, (unsigned)i);
        int line_no = config_setting_source_line(e);
        const char *code, *cls;
        if (!config_setting_is_group(e) || !config_setting_lookup_string(e, "object", &code) ||
            !config_setting_lookup_string(e, "class", &cls))
            return err_set(err, "%s:%d: mapping.cost_areas entries are "
                                "{ object = \"3006\"; class = \"individual\"; }", file, line_no);
        int found = -1;
        for (int c = 0; c < 4; c++)
            if (strcmp(cls, s_class_names[c]) == 0)
                found = c;
        if (found < 0)
            return err_set(err, "%s:%d: class '%s' is not admin, structural, individual or "
                                "other", file, line_no, cls);
        self->areas[self->n_areas].code = strdup(code);
        self->areas[self->n_areas++].cls = (Samla__V1__AreaClass)found;
    }
    return 0;
}

int mapping_configure(mapping_t *self, const config_setting_t *group, const char *file,
                      samla_err_t *err)
{
    const config_setting_t *members = NULL;
    for (int i = 0; i < config_setting_length(group); i++) {
        config_setting_t *s = config_setting_get_elem(group, (unsigned)i);
        const char *name = config_setting_name(s);
        int rc = 0;
        if (strcmp(name, "accounts") == 0 && config_setting_is_list(s))
            rc = s_accounts(self, s, file, err);
        else if (strcmp(name, "cost_areas") == 0 && config_setting_is_list(s))
            rc = s_areas(self, s, file, err);
        else if (strcmp(name, "members") == 0 && config_setting_is_list(s))
            members = s; /* read once every account's line is known */
        else
            rc = err_set(err, "%s:%d: unknown setting '%s' in mapping (accounts, cost_areas "
                              "and members are lists)", file, config_setting_source_line(s),
                         name);
        if (rc)
            return rc;
    }
    if (members && !(self->members = members_configure(members, self, file, err)))
        return -1;
    return 0;
}

members_t *mapping_members(const mapping_t *self)
{
    return self->members;
}
