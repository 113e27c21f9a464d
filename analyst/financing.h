/* financing: who paid a förbund (or a group of them), made from samlad's Financing reply
 * in one place for every format (samla financing): the members' contributions with each
 * one's share of all contributions, what no member is named for, external funding per
 * source, and the shares of the state and of the region and municipalities beside the
 * Finsam rule (state 50 %, the region and municipalities 50 % together).
 *
 * Amounts are whole kronor rounded once: a block's rows are apportioned so that they add
 * up to its sum. Shares are percent of the block's sum (NAN when it is zero). */
#ifndef SAMLA_FINANCING_H
#define SAMLA_FINANCING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "samla.pb-c.h"

typedef enum { FIN_CONTRIBUTIONS, FIN_EXTERNAL } fin_block_t;

typedef struct {
    fin_block_t block;
    const char *name;           /* the member's; NULL for a kind's unnamed rest or a sum */
    const char *label;          /* the member's name, or the rest's or sum's Swedish label */
    Samla__V1__MemberKind kind; /* 0 for a sum */
    bool sum;
    int64_t kr;
    double share; /* percent of the block's sum */
} fin_row_t;

typedef struct {
    fin_row_t *rows; /* owned */
    size_t n;
    bool reported;              /* some förbund had a revision */
    double state_share, local_share; /* of all contributions, percent (NAN: none) */
} fin_t;

/* One förbund's financing (f), or with f NULL the sum of every förbund of r, members of
 * the same kind and name added together. Returns 0, or -1 when memory is gone. */
int fin_build(const Samla__V1__Financing *r, const Samla__V1__ForbundFinancing *f, fin_t *out);
void fin_free(fin_t *s);

/* A kind's money that no member is named for, as people read it: "Staten" when none of
 * the kind is named, "Staten (ej namngiven)" beside named ones. */
const char *fin_rest_label(Samla__V1__MemberKind k, bool beside_named);

#endif
