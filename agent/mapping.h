/* mapping: which report line an account belongs to (the Finsam default from CONTRACT.md,
 * overridable per förbund), which class a cost area is, and the one place where the
 * bookkeeping sign (debit-positive) becomes the report sign. */
#ifndef SAMLA_MAPPING_H
#define SAMLA_MAPPING_H

#include <libconfig.h>

#include "samla.pb-c.h"
#include "samla/diag.h"
#include "samla/figures.h"

/* The lines accounts are mapped to: one per booked line of the Ledger message, generated
 * from figures.h's list (LINE_costs_premises, ...), and the closing entries. */
typedef enum {
    LINE_NONE, /* not part of any figure: reported as a warning when it has a balance */
#define MAPPING_LINE(name, kind, label) LINE_##name,
    FIGURES_BOOKED(MAPPING_LINE)
#undef MAPPING_LINE
    LINE_CLOSING, /* year-end closing entries: neither cost nor income */
    LINE_COUNT
} line_t;

typedef struct mapping_s mapping_t;

mapping_t *mapping_new(void); /* the Finsam default */
void mapping_destroy(mapping_t **self_p);
/* Reads the agent config's `mapping` group: `accounts` ranges (checked before the
 * defaults), `cost_areas` classes and `members` (members.h, who pays which accounts). */
int mapping_configure(mapping_t *self, const config_setting_t *group, const char *file,
                      samla_err_t *err);

line_t mapping_line(const mapping_t *self, int account);
const char *mapping_line_name(line_t line);
int mapping_line_parse(const char *name, line_t *line);
/* +1 or -1: report amount = sign x bookkeeping amount. The only conversion there is. */
int mapping_report_sign(line_t line);
int mapping_is_result_line(line_t line); /* income statement, closing entries included */
int mapping_is_cost_line(line_t line);   /* operating and financial costs */
/* The Ledger message's value and presence flag of a booked line; NULL for LINE_NONE and
 * LINE_CLOSING. */
int64_t *mapping_line_slot(Samla__V1__Ledger *l, line_t line, protobuf_c_boolean **has);
Samla__V1__AreaClass mapping_area_class(const mapping_t *self, const char *code);
/* The members the config names (members.h; owned by the mapping), NULL when none. */
typedef struct members_s members_t;
members_t *mapping_members(const mapping_t *self);
const char *mapping_area_class_name(Samla__V1__AreaClass c);

#endif
