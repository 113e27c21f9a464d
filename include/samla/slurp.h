/* slurp: one reader for the input files the agent reads (SIE ledger, participant CSV):
 * whole (a regular file in one buffer of the size fstat gives, anything else, a pipe,
 * grown as it comes; both refused beyond a maximum, so a wrong file cannot eat memory),
 * or a regular file in pieces of whole lines (slurp_lines), for the SIE reader. */
#ifndef SAMLA_SLURP_H
#define SAMLA_SLURP_H

#include <stddef.h>

#include "samla/diag.h"

typedef enum {
    SLURP_OK,
    SLURP_OPEN,    /* cannot open: see the errno value returned */
    SLURP_TOO_BIG, /* larger than max */
    SLURP_NOMEM,
    SLURP_IO,      /* a read failed: see the errno value returned */
} slurp_rc_t;

/* Reads path into a malloc'd buffer (NUL-terminated for convenience; *len excludes the
 * NUL) that the caller frees. *err gets errno for SLURP_OPEN and SLURP_IO. A file that
 * grows while it is read is cut at the size it had when opened. */
slurp_rc_t slurp_file(const char *path, size_t max, char **buf, size_t *len, int *err);
/* "cannot open: No such file or directory", "larger than 1048576 bytes", ... */
const char *slurp_describe(slurp_rc_t rc, int err, size_t max, char *msg, size_t size);

/* slurp_file for an input the user named: 0 with *buf (free it), or -1 with the problem
 * added to d as "path: cannot open: ..." and *missing set when the file does not exist. */
int slurp_input(const char *path, size_t max, char **buf, size_t *len, diag_t *d,
                int *missing);

/* For a file too large to hold whole: calls fn with the content of the open regular file
 * fd in pieces that end at a line end ("\n", "\r\n" or "\r"; only the last may end
 * without one), each about `chunk` bytes (a longer line grows the buffer), reading at most
 * `size` bytes (the size fstat gave: a file that grows is cut there). Memory stays at a
 * few chunks however long the file is. fn returns 0 to go on. Returns SLURP_OK with
 * *total the bytes read, SLURP_IO (with *err), SLURP_NOMEM, or SLURP_OK early when fn
 * stopped. */
slurp_rc_t slurp_lines(int fd, size_t size, size_t chunk,
                       int (*fn)(void *arg, const char *p, size_t n), void *arg, size_t *total,
                       int *err);

#endif
