/* slurp: every input file the agent reads comes through here. A file is read whole or
 * refused whole; a pipe is read as it comes; a file too big is refused before it eats
 * memory; and the SIE reader's pieces always end at a line end. */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "samla/slurp.h"
#include "testutil.h"

static void s_write(const char *name, const char *content, size_t len, char *path, size_t size)
{
    snprintf(path, size, "%s/%s", tu_dir, name);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(content, 1, len, fp), len);
    fclose(fp);
}

static void test_whole_file(void **state)
{
    (void)state;
    char path[128], *buf;
    size_t len;
    int e;
    s_write("a.se", "#FLAGGA 0\r\n", 11, path, sizeof path);
    assert_int_equal(slurp_file(path, 100, &buf, &len, &e), SLURP_OK);
    assert_int_equal(len, 11);
    assert_string_equal(buf, "#FLAGGA 0\r\n"); /* NUL-terminated */
    free(buf);
    assert_int_equal(slurp_file(path, 10, &buf, &len, &e), SLURP_TOO_BIG);
    char msg[64];
    assert_string_equal(slurp_describe(SLURP_TOO_BIG, 0, 10, msg, sizeof msg),
                        "larger than 10 bytes");
}

static void test_missing_file_named(void **state)
{
    (void)state;
    char path[128], *buf = NULL;
    size_t len;
    int missing = 0;
    snprintf(path, sizeof path, "%s/nonexistent.se", tu_dir);
    diag_t *d = diag_new();
    assert_int_equal(slurp_input(path, 100, &buf, &len, d, &missing), -1);
    assert_int_equal(missing, 1);
    assert_null(buf);
    char *text = tu_diag_text(d);
    assert_non_null(strstr(text, "nonexistent.se: cannot open: No such file or directory"));
    free(text);
    diag_destroy(&d);
}

/* A pipe has no size: read as it comes, and refused beyond the maximum all the same. */
static void test_pipe(void **state)
{
    (void)state;
    for (int over = 0; over < 2; over++) {
        int fds[2];
        assert_int_equal(pipe(fds), 0);
        char big[3000];
        memset(big, 'x', sizeof big);
        assert_int_equal(write(fds[1], big, sizeof big), (ssize_t)sizeof big);
        close(fds[1]);
        char path[64], *buf = NULL;
        snprintf(path, sizeof path, "/proc/self/fd/%d", fds[0]);
        size_t len;
        int e;
        slurp_rc_t rc = slurp_file(path, over ? 2999 : 3000, &buf, &len, &e);
        close(fds[0]);
        if (over) {
            assert_int_equal(rc, SLURP_TOO_BIG);
            continue;
        }
        assert_int_equal(rc, SLURP_OK);
        assert_int_equal(len, 3000);
        free(buf);
    }
}

typedef struct {
    char joined[256];
    size_t used, calls;
    size_t ends[64]; /* where each piece ended, as an offset into the file */
} pieces_t;

static int s_piece(void *arg, const char *p, size_t n)
{
    pieces_t *pc = arg;
    assert_true(pc->used + n < sizeof pc->joined);
    memcpy(pc->joined + pc->used, p, n);
    pc->used += n;
    assert_true(pc->calls < 64);
    pc->ends[pc->calls++] = pc->used;
    return 0;
}

static void test_pieces_end_at_line_ends(void **state)
{
    (void)state;
    const char text[] = "#A 1\r\n#B 2\r#C 3\n#DDDDDDDD 4\r\n#E"; /* 30 bytes, no end */
    char path[128];
    s_write("lines.se", text, sizeof text - 1, path, sizeof path);
    for (size_t chunk = 1; chunk <= 8; chunk++) {
        int fd = open(path, O_RDONLY);
        assert_true(fd >= 0);
        pieces_t pc = {0};
        size_t total;
        int e;
        assert_int_equal(slurp_lines(fd, sizeof text - 1, chunk, s_piece, &pc, &total, &e),
                         SLURP_OK);
        close(fd);
        assert_int_equal(total, sizeof text - 1);
        assert_memory_equal(pc.joined, text, sizeof text - 1); /* nothing lost or doubled */
        assert_true(pc.calls >= 2);
        /* every piece but the last ends after a line end, never between "\r" and "\n" */
        for (size_t k = 0; k + 1 < pc.calls; k++) {
            size_t b = pc.ends[k];
            assert_true(text[b - 1] == '\n' || text[b - 1] == '\r');
            assert_false(text[b - 1] == '\r' && text[b] == '\n');
        }
    }
    /* read at most `size`: a file that grows while read is cut where fstat saw it end */
    int fd = open(path, O_RDONLY);
    pieces_t pc = {0};
    size_t total;
    int e;
    assert_int_equal(slurp_lines(fd, 11, 4, s_piece, &pc, &total, &e), SLURP_OK);
    close(fd);
    assert_int_equal(total, 11);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_whole_file),
        cmocka_unit_test(test_missing_file_named),
        cmocka_unit_test(test_pipe),
        cmocka_unit_test(test_pieces_end_at_line_ends),
    };
    return cmocka_run_group_tests(tests, tu_dir_make, tu_dir_remove);
}
