/* render: a Compare reply as a table (80 columns), CSV or JSON (CONTRACT.md's shape). */
#ifndef SAMLA_RENDER_H
#define SAMLA_RENDER_H

#include <stdbool.h>
#include <stdio.h>

#include "samla.pb-c.h"

void render_compare_json(const Samla__V1__Compare *c, bool ranked, FILE *out);
void render_compare_csv(const Samla__V1__Compare *c, bool ranked, FILE *out);
void render_compare_table(const Samla__V1__Compare *c, bool ranked, bool colour, FILE *out);

#endif
