/* forecast: a förbund's full-year forecast per cost area (`samla-agent push … --forecast
 * FILE.csv`): UTF-8, ';'-separated, the header `kostnadsområde;prognos_helår`, one row per
 * cost area (its code in the ledger), the forecast of the area's costs for the whole year
 * in kronor ("1 250 000", "1250000,50"). */
#ifndef SAMLA_FORECAST_H
#define SAMLA_FORECAST_H

#include <stddef.h>
#include <stdint.h>

#include "samla/diag.h"

#define FORECAST_MAX_FILE (1024u * 1024u)
#define FORECAST_MAX_ROWS 10000u
#define FORECAST_MAX_CODE 64u

typedef struct {
    char code[FORECAST_MAX_CODE + 1];
    int64_t ore;
    size_t line;
} forecast_row_t;

typedef struct {
    forecast_row_t *rows; /* owned */
    size_t n;
} forecast_t;

/* Every problem goes to d with display:line. Returns 0 when there were none. */
int forecast_parse(const char *buf, size_t len, const char *display, forecast_t *out,
                   diag_t *d);
/* As above from a file; *missing is set when it does not exist. */
int forecast_read(const char *path, forecast_t *out, diag_t *d, int *missing);
void forecast_free(forecast_t *f);

#endif
