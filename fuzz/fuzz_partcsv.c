/* libFuzzer target: the participant CSV reader. */
#include <stdint.h>

#include "partcsv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    diag_t *d = diag_new();
    part_table_t t;
    partcsv_parse((const char *)data, size, "fuzz.csv", &t, d);
    partcsv_free(&t);
    diag_destroy(&d);
    return 0;
}
