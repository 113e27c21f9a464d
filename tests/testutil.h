/* Helpers shared by the unit tests. */
#ifndef SAMLA_TESTUTIL_H
#define SAMLA_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "samla/diag.h"

/* Path of a file in the worked example, or NULL (the test is skipped) when ../shared is
 * not beside the project. */
static inline const char *tu_shared(const char *rel, char *buf, size_t size)
{
    snprintf(buf, size, "%s/%s", SAMLA_SHARED_DIR, rel);
    return access(buf, R_OK) == 0 ? buf : NULL;
}

/* Reads a whole file; the caller frees. */
static inline char *tu_slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, fp) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(fp);
    if (buf) {
        buf[n] = '\0';
        *len = (size_t)n;
    }
    return buf;
}

/* The test program's own temp folder: made by tu_dir_make and removed with all in it by
 * tu_dir_remove, which serve as cmocka's group setup and teardown (or are called from
 * them). Nothing a test writes goes anywhere else. */
__attribute__((unused)) static char tu_dir[64];

static inline int tu_dir_make(void **state)
{
    (void)state;
    snprintf(tu_dir, sizeof tu_dir, "/tmp/samla-test-XXXXXX");
    return mkdtemp(tu_dir) ? 0 : -1;
}

static inline int tu_dir_remove(void **state)
{
    (void)state;
    char cmd[96];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tu_dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* How often needle occurs in hay. */
static inline size_t tu_count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p++)
        n++;
    return n;
}

/* Captures what diag_print would show, for asserting on messages.
 * noinline: GCC takes the open_memstream pointer for a dangling one when inlined. */
__attribute__((noinline, unused)) static char *tu_diag_text(const diag_t *d)
{
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    diag_print(d, "t", mem);
    fclose(mem);
    return text;
}

#endif
