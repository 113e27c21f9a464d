/* outbox: submissions waiting for the daemon's acknowledgement, one file each, written
 * durably (temp file, fsync, rename, fsync of the folder) before the first send. A file
 * leaves only when its acknowledgement arrives; a refused one moves to rejected/.
 *
 * Order: each entry's name starts with a sequence number taken under a lock from the
 * outbox's own counter (.seq), so the order of pushes decides the order of sending, and
 * with it the order of revisions, whatever the wall clock does. */
#ifndef SAMLA_OUTBOX_H
#define SAMLA_OUTBOX_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "samla.pb-c.h"
#include "samla/diag.h"

/* A full outbox refuses new work; it never drops what it holds. The default cap. */
#define OUTBOX_MAX_ENTRIES 10000

typedef struct {
    char name[128];  /* file name inside the outbox: "<sequence>-<id>.push" */
    char id[37];
    uint64_t seq;    /* sending order */
    time_t queued;   /* when it was written (file time), for display only */
    uint8_t *data;   /* encoded Push, exactly as read; owned */
    size_t len;
    unsigned attempts;      /* delivery runs that sent it and got no final answer */
    char last_error[160];   /* why the last run did not finish it, or "" */
} outbox_entry_t;

typedef struct {
    outbox_entry_t *v;
    size_t n;
} outbox_list_t;

/* The envelope a submission travels in: a samla.v1.Push with a fresh id (written to
 * id[37]), the body's SHA-256 and the body. Returns the packed Push (malloc'd; the caller
 * frees) with *len, or NULL when memory is gone. */
uint8_t *outbox_envelope(const Samla__V1__Submission *sub, char id[37], size_t *len);
/* The period ("2025-03") of a queued entry's submission into period[8]; "?" when it
 * cannot be read. */
void outbox_entry_period(const outbox_entry_t *e, char period[8]);

/* Creates the folder (and rejected/) if needed, and removes temp files that a killed run
 * left behind (they were never renamed into place, so nothing was queued by them). */
int outbox_open(const char *dir, samla_err_t *err);
/* Stores an encoded Push under its id with the next sequence number; refuses when
 * max_entries are queued already. */
int outbox_put(const char *dir, size_t max_entries, const char *id, const uint8_t *data,
               size_t len, samla_err_t *err);
/* Every queued entry in sending order. An entry that cannot be what push wrote (not a
 * regular file, empty, too large, not a Push for the id in its name, body not matching
 * its hash) is moved to rejected/ with the reason beside it, reported into `notes` as a
 * warning (notes may be NULL), and the rest are listed. */
int outbox_list(const char *dir, outbox_list_t *out, diag_t *notes, samla_err_t *err);
void outbox_list_free(outbox_list_t *l);
int outbox_remove(const char *dir, const char *name, samla_err_t *err);
/* Records one more delivery attempt and why it did not finish (NAME.meta beside it). */
int outbox_note_attempt(const char *dir, outbox_entry_t *e, const char *error);
/* Moves an entry the daemon refused to rejected/, with the reason beside it. */
int outbox_reject(const char *dir, const char *name, const char *reason, samla_err_t *err);

#endif
