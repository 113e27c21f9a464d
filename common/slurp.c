#include "samla/slurp.h"

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
    case SLURP_OK: snprintf(msg, size, "read"); break;
    case SLURP_OPEN: snprintf(msg, size, "cannot open: %s", strerror(err)); break;
    case SLURP_TOO_BIG: snprintf(msg, size, "larger than %zu bytes", max); break;
    case SLURP_NOMEM: snprintf(msg, size, "out of memory"); break;
    case SLURP_IO: snprintf(msg, size, "read error: %s", strerror(err)); break;
    }
    return msg;
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
