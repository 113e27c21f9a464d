/* store_backup: a consistent copy of the live database while samlad writes (store.h). */
#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "samla/text.h"

/* The files SQLite writes for one database (as store.c lists them). */
static const char *const s_suffix[] = {"", "-wal", "-shm"};
#define F_COUNT 3

/* Whether dest (if it exists) is the live database or one of its -wal/-shm files, by
 * device and inode, so that neither a symlink nor another spelling of the path gets by. */
static bool s_is_live(const char *path, const char *dest)
{
    struct stat d;
    if (stat(dest, &d) != 0)
        return false;
    for (int k = 0; k < F_COUNT; k++) {
        char p[4096];
        struct stat st;
        if (text_fmt(p, sizeof p, "%s%s", path, s_suffix[k]) == 0 &&
            stat(p, &st) == 0 && st.st_dev == d.st_dev && st.st_ino == d.st_ino)
            return true;
    }
    return false;
}

static int s_fsync_parent(const char *file)
{
    char buf[4096];
    if ((size_t)snprintf(buf, sizeof buf, "%s", file) >= sizeof buf)
        return -1;
    int fd = open(dirname(buf), O_RDONLY | O_DIRECTORY);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

/* What the copy is checked with before it replaces dest. */
static const char SQL_UNJOURNAL[] = "PRAGMA journal_mode=DELETE";
static const char SQL_INTEGRITY[] = "PRAGMA integrity_check";
static const char SQL_COUNT[] = "SELECT COUNT(*) FROM submission";

/* Every page of the live database at path into the open database dst, in one read
 * transaction, so the copy is one moment of the store even while samlad writes. */
static int s_copy(const char *path, sqlite3 *dst, samla_err_t *err)
{
    sqlite3 *src = NULL;
    int rc = -1;
    if (sqlite3_open_v2(path, &src, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        err_set(err, "cannot open %s: %s", path, src ? sqlite3_errmsg(src) : "out of memory");
        goto done;
    }
    sqlite3_busy_timeout(src, 5000);
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
    if (!b) {
        err_set(err, "backup: %s", sqlite3_errmsg(dst));
        goto done;
    }
    int step = sqlite3_backup_step(b, -1);
    sqlite3_backup_finish(b);
    if (step != SQLITE_DONE)
        err_set(err, "backup: %s", sqlite3_errstr(step));
    else
        rc = 0;
done:
    sqlite3_close(src); /* harmless on NULL */
    return rc;
}

/* The copy as a file of its own (no -wal beside it), whole by SQLite's own check; counts
 * its submissions for the operator's message. */
static int s_verify(sqlite3 *dst, long long *submissions, samla_err_t *err)
{
    sqlite3_stmt *st;
    if (sqlite3_exec(dst, SQL_UNJOURNAL, NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(dst, SQL_INTEGRITY, -1, &st, NULL) != SQLITE_OK)
        return err_set(err, "checking the copy: %s", sqlite3_errmsg(dst));
    const char *ok = NULL;
    if (sqlite3_step(st) == SQLITE_ROW)
        ok = (const char *)sqlite3_column_text(st, 0);
    int good = ok && strcmp(ok, "ok") == 0;
    sqlite3_finalize(st);
    if (!good)
        return err_set(err, "the copy fails its integrity check");
    if (sqlite3_prepare_v2(dst, SQL_COUNT, -1, &st, NULL) == SQLITE_OK) {
        *submissions = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
        sqlite3_finalize(st);
    }
    return 0;
}

/* The copy in tmp (open as dst) made, checked and closed: the caller renames it. */
static int s_make(const char *path, const char *tmp, long long *submissions, samla_err_t *err)
{
    sqlite3 *dst = NULL;
    int rc = -1;
    if (sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
        err_set(err, "cannot open %s: %s", tmp, dst ? sqlite3_errmsg(dst) : "out of memory");
    else if (s_copy(path, dst, err) == 0 && s_verify(dst, submissions, err) == 0)
        rc = 0;
    sqlite3_close(dst);
    return rc;
}

int store_backup(const char *path, const char *dest, long long *submissions, samla_err_t *err)
{
    struct stat dst_st;
    if (s_is_live(path, dest))
        return err_set(err, "%s is the live database %s (or its -wal or -shm): a backup must "
                            "go to another file", dest, path);
    if (stat(dest, &dst_st) == 0 && !S_ISREG(dst_st.st_mode))
        return err_set(err, "%s exists and is not a regular file", dest);
    char tmp[4096];
    if (text_fmt(tmp, sizeof tmp, "%s.XXXXXX", dest))
        return err_set(err, "backup path too long");
    /* A fresh file of our own (O_EXCL, 0600: the copy holds every förbund's books); never
     * a file that exists, so no link planted at the temp name can redirect the copy. */
    int tfd = mkstemp(tmp);
    if (tfd < 0)
        return err_set(err, "cannot create a file beside %s: %s", dest, strerror(errno));
    int rc = s_make(path, tmp, submissions, err);
    /* Checked again just before the rename: the destination may have changed meanwhile. */
    if (rc == 0 && s_is_live(path, dest))
        rc = err_set(err, "%s is the live database %s: a backup must go to another file",
                     dest, path);
    if (rc == 0 && (fsync(tfd) != 0 || rename(tmp, dest) != 0 || s_fsync_parent(dest) != 0))
        rc = err_set(err, "cannot put the copy in place at %s: %s", dest, strerror(errno));
    close(tfd);
    if (rc)
        unlink(tmp);
    return rc;
}
