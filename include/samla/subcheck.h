/* subcheck: everything samlad requires of a decoded Submission beyond its wire form, as one
 * function that samlad's ingest and `samla-agent check`/`push` both run, so that the agent
 * refuses exactly what the daemon would (and says so before anything is queued):
 * organisation number and period, bounded counts and text lengths, every amount within
 * ±MONEY_MAX_ORE, known cost-area classes and no code twice, known intervention kinds,
 * no control character or bidirectional override in any text (it is shown to others), and
 * the participant rules of partflow.h per intervention. */
#ifndef SAMLA_SUBCHECK_H
#define SAMLA_SUBCHECK_H

#include "samla.pb-c.h"
#include "samla/diag.h"

#define SUBCHECK_MAX_AREAS 10000
#define SUBCHECK_MAX_ROWS 100000
#define SUBCHECK_MAX_STRING 1024
#define SUBCHECK_MAX_MEMBERS 64 /* Ledger.members: who pays (samla financing) */

/* Every problem goes to d as an error, under `display` (may be NULL; participant rows are
 * numbered from 1 as lines). Returns 0 when there was none, -1 otherwise. */
int subcheck_submission(const Samla__V1__Submission *sub, const char *display, diag_t *d);

#endif
