/* inbox: an inbox that runs itself (CONTRACT.md, `samla-agent inbox`). The economist
 * saves the month's SIE export, and optionally the participant and forecast CSVs, into a
 * folder; each complete set is checked and pushed as `check` and `push` would do it, then
 * filed: under skickat/YYYY-MM/ with a receipt in Swedish (kvitto.txt) when it was stored or
 * queued, under fel/ with what is wrong (fel.txt) when it was refused. Nothing is deleted; a
 * file still being written waits for the next run. */
#ifndef SAMLA_INBOX_H
#define SAMLA_INBOX_H

#include "samla/period.h"

typedef struct {
    const char *dir;       /* the inbox folder */
    const char *config;    /* the agent config, for the pushes */
    const char *orgnr;     /* this förbund's, for the receipts */
    const char *lang;      /* --lang given to samla-agent, or NULL */
    long long settle;      /* seconds a file must be unchanged before it is taken */
    /* With query_server (samlad's query endpoint), each stored set also gets the förbund's
     * monthly report, `samla report --orgnr` with the förbund's own key; NULL: none. */
    const char *query_server, *server_public_key, *secret_key;
} inbox_conf_t;

/* Takes every complete, settled set in c->dir. Returns the worst exit code of the sets
 * (0 when there was none): a refusal above a set left queued (75) above success. Says
 * what it did on standard output, one line per set. */
int inbox_run(const inbox_conf_t *c);

/* The YYYY-MM a file name carries ("deltagare-2025-06.csv", "huvudbok 2025-06.se",
 * "2025_06.se"): 0 with p set, or -1. */
int inbox_period_of_name(const char *name, period_t *p);

#endif
