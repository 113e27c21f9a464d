/* members: who pays what (CONTRACT.md, the agent config's `mapping.members`): each member
 * or funder by name with its kind and the accounts its money is booked on, and each one's
 * amount to date for the Ledger message (samla financing). A member's accounts must all
 * belong to its kind's line under the mapping, and no account to two members, so that the
 * members of a kind add up to at most their line. */
#ifndef SAMLA_MEMBERS_H
#define SAMLA_MEMBERS_H

#include <libconfig.h>

#include "mapping.h"
#include "samla.pb-c.h"
#include "samla/diag.h"
#include "samla/subcheck.h"
#include "sie.h"

/* At most this many members (samlad's bound, subcheck.h); Finsam has the state, a region
 * and a few municipalities. */
#define MEMBERS_MAX SUBCHECK_MAX_MEMBERS

typedef struct members_s members_t;

/* Reads `members = ( { name = "…"; kind = "state"; accounts = [ "3011", "3110-3119" ]; }, …)`
 * against the mapping m. NULL with err ("file:line: problem") when an entry is wrong. */
members_t *members_configure(const config_setting_t *list, const mapping_t *m,
                             const char *file, samla_err_t *err);
void members_destroy(members_t **self_p);

/* The members' amounts to date from the month's rows (the account totals, object -1),
 * report sign, into l->members (the MemberAmount messages and the array are owned by
 * self, valid until the next call or members_destroy). Returns 0, or -1 when memory is
 * gone. */
int members_fill(members_t *self, const sie_rows_t *actual, Samla__V1__Ledger *l);

#endif
