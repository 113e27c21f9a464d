/* mapping: which report line an account belongs to (the Finsam default from CONTRACT.md,
 * overridable per förbund), which class a cost area is, and the one place where the
 * bookkeeping sign (debit-positive) becomes the report sign. */
#ifndef SAMLA_MAPPING_H
#define SAMLA_MAPPING_H

#include <libconfig.h>

#include "samla.pb-c.h"
#include "samla/diag.h"

typedef enum {
    LINE_NONE, /* not part of any figure: reported as a warning when it has a balance */
    LINE_FIXED_ASSETS,
    LINE_CURRENT_RECEIVABLES,
    LINE_CASH,
    LINE_EQUITY,
    LINE_LONG_TERM_LIABILITIES,
    LINE_CURRENT_LIABILITIES,
    LINE_CONTRIBUTIONS_STATE,
    LINE_CONTRIBUTIONS_REGION,
    LINE_CONTRIBUTIONS_MUNICIPALITIES,
    LINE_EXTERNAL_FUNDING,
    LINE_OTHER_INCOME,
    LINE_COSTS_ACTIVITY,
    LINE_COSTS_PERSONNEL,
    LINE_COSTS_PREMISES,
    LINE_COSTS_OTHER,
    LINE_FINANCIAL_INCOME,
    LINE_FINANCIAL_COSTS,
    LINE_CLOSING, /* year-end closing entries: neither cost nor income */
    LINE_COUNT
} line_t;

typedef struct mapping_s mapping_t;

mapping_t *mapping_new(void); /* the Finsam default */
void mapping_destroy(mapping_t **self_p);
/* Reads the agent config's `mapping` group: `accounts` ranges (checked before the
 * defaults) and `cost_areas` classes. */
int mapping_configure(mapping_t *self, const config_setting_t *group, const char *file,
                      samla_err_t *err);

line_t mapping_line(const mapping_t *self, int account);
const char *mapping_line_name(line_t line);
int mapping_line_parse(const char *name, line_t *line);
/* +1 or -1: report amount = sign x bookkeeping amount. The only conversion there is. */
int mapping_report_sign(line_t line);
int mapping_is_result_line(line_t line); /* income statement, closing entries included */
int mapping_is_cost_line(line_t line);   /* operating and financial costs */
Samla__V1__AreaClass mapping_area_class(const mapping_t *self, const char *code);
const char *mapping_area_class_name(Samla__V1__AreaClass c);

#endif
