#include "samla/slurp.h"

#include "samla/i18n.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Reads until `want` bytes are in or the input ends; 0, or -1 with errno. */
static int s_fill(int fd, char *buf, size_t want, size_t *len)
{
    while (*len < want) {
        ssize_t r = read(fd, buf + *len, want - *len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -1;
        if (r == 0)
            break;
        *len += (size_t)r;
    }
    return 0;
}

slurp_rc_t slurp_file(const char *path, size_t max, char **buf, size_t *len, int *err)
{
    *buf = NULL;
    *len = 0;
    *err = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        *err = errno;
        return SLURP_OPEN;
    }
    struct stat st;
    bool sized = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
    slurp_rc_t rc = SLURP_OK;
    if (sized && (uint64_t)st.st_size > max) {
        rc = SLURP_TOO_BIG;
    } else if (sized) {
        if (!(*buf = malloc((size_t)st.st_size + 1)))
            rc = SLURP_NOMEM;
        else if (s_fill(fd, *buf, (size_t)st.st_size, len))
            rc = SLURP_IO;
    } else {
        /* A pipe or device: grow by doubling, one byte past max tells it is too big. */
        size_t cap = 0;
        for (;;) {
            if (*len == cap) {
                size_t ncap = cap ? cap * 2 : 1 << 16;
                if (cap > max) {
                    rc = SLURP_TOO_BIG;
                    break;
                }
                char *nb = realloc(*buf, ncap + 1);
                if (!nb) {
                    rc = SLURP_NOMEM;
                    break;
                }
                *buf = nb;
                cap = ncap;
            }
            size_t before = *len;
            if (s_fill(fd, *buf, cap, len)) {
                rc = SLURP_IO;
                break;
            }
            if (*len == before || *len < cap)
                break;
        }
        if (rc == SLURP_OK && *len > max)
            rc = SLURP_TOO_BIG;
    }
    if (rc == SLURP_IO)
        *err = errno;
    close(fd);
    if (rc != SLURP_OK) {
        free(*buf);
        *buf = NULL;
        *len = 0;
        return rc;
    }
    (*buf)[*len] = '\0';
    return SLURP_OK;
}

const char *slurp_describe(slurp_rc_t rc, int err, size_t max, char *msg, size_t size)
{
    switch (rc) {
    case SLURP_OK: snprintf(msg, size, "%s", _("read")); break;
    case SLURP_OPEN: snprintf(msg, size, _("cannot open: %s"), strerror(err)); break;
    case SLURP_TOO_BIG: snprintf(msg, size, _("larger than %zu bytes"), max); break;
    case SLURP_NOMEM: snprintf(msg, size, "%s", _("out of memory")); break;
    case SLURP_IO: snprintf(msg, size, _("read error: %s"), strerror(err)); break;
    }
    return msg;
}

/* Where a piece of buf[0..have) may end: after its last line end, but not between the
 * "\r" and "\n" of a CRLF that the next read may complete. 0 when it holds no line end. */
static size_t s_split_point(const char *buf, size_t have, bool eof)
{
    if (eof)
        return have;
    for (size_t k = have; k-- > 0;) {
        if (buf[k] == '\n')
            return k + 1;
        if (buf[k] == '\r' && k + 1 < have)
            return k + 1;
    }
    return 0;
}

slurp_rc_t slurp_lines(int fd, size_t size, size_t chunk,
                       int (*fn)(void *arg, const char *p, size_t n), void *arg, size_t *total,
                       int *err)
{
    size_t cap = chunk * 2, have = 0, left = size;
    char *buf = malloc(cap);
    slurp_rc_t rc = SLURP_OK;
    *total = 0;
    if (!buf)
        return SLURP_NOMEM;
    for (;;) {
        if (have == cap) { /* one line longer than the buffer: make room for it */
            char *nb = cap <= size ? realloc(buf, cap * 2) : NULL;
            if (!nb) {
                rc = SLURP_NOMEM;
                break;
            }
            buf = nb;
            cap *= 2;
        }
        size_t want = cap - have < left ? cap - have : left;
        ssize_t n = want ? read(fd, buf + have, want) : 0;
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            *err = errno;
            rc = SLURP_IO;
            break;
        }
        have += (size_t)n;
        left -= (size_t)n;
        *total += (size_t)n;
        bool eof = n == 0 || left == 0;
        size_t cut = s_split_point(buf, have, eof);
        if (cut && fn(arg, buf, cut) != 0)
            break;
        memmove(buf, buf + cut, have - cut);
        have -= cut;
        if (eof)
            break;
    }
    free(buf);
    return rc;
}

int slurp_input(const char *path, size_t max, char **buf, size_t *len, diag_t *d,
                int *missing)
{
    char msg[256];
    int err = 0;
    slurp_rc_t rc = slurp_file(path, max, buf, len, &err);
    *missing = rc == SLURP_OPEN && err == ENOENT;
    if (rc == SLURP_OK)
        return 0;
    diag_add(d, DIAG_ERROR, path, 0, "%s", slurp_describe(rc, err, max, msg, sizeof msg));
    return -1;
}
