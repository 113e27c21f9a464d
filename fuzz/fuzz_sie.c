/* libFuzzer target: the SIE reader, the month-end figures and the report built from them.
 * Whatever the bytes, the reader must report problems and never crash, leak or overflow. */
#include <stdint.h>
#include <stdlib.h>

#include "mapping.h"
#include "report.h"
#include "samla/diag.h"
#include "sie.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    diag_t *d = diag_new();
    sie_t *s = sie_read_buffer((const char *)data, size, "fuzz.se", d);
    int start, end;
    if (s && sie_year0(s, &start, &end) == 0) {
        mapping_t *m = mapping_new();
        int months[] = {start / 100 % 100, end / 100 % 100};
        for (int i = 0; i < 2; i++) {
            period_t p = {start / 10000 + (i && end / 10000 > start / 10000), months[i]};
            report_t *r = report_build(s, m, NULL, p, "222000-0000", d);
            report_destroy(&r);
        }
        mapping_destroy(&m);
    }
    sie_destroy(&s);
    diag_destroy(&d);
    return 0;
}
