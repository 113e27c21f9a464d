#include "outbox.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "samla/wire.h"

static int s_fsync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

static int s_write_all(int fd, const uint8_t *p, size_t len);

static int s_mkdir(const char *path, samla_err_t *err)
{
    if (mkdir(path, 0700) != 0 && errno != EEXIST)
        return err_set(err, "cannot create outbox %s: %s", path, strerror(errno));
    return 0;
}

int outbox_open(const char *dir, samla_err_t *err)
{
    char rej[4096];
    snprintf(rej, sizeof rej, "%s/rejected", dir);
    if (s_mkdir(dir, err) || s_mkdir(rej, err))
        return -1;
    DIR *dp = opendir(dir);
    struct dirent *de;
    time_t now = time(NULL);
    while (dp && (de = readdir(dp))) {
        size_t n = strlen(de->d_name);
        struct stat st;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        /* Another run may be writing its temp file right now: only old ones are litter. */
        if (de->d_name[0] == '.' && n > 4 && strcmp(de->d_name + n - 4, ".tmp") == 0 &&
            stat(path, &st) == 0 && now - st.st_mtime > 600)
            unlink(path);
    }
    if (dp)
        closedir(dp);
    return 0;
}

/* Writes path atomically: temp file, fsync, rename. */
static int s_write_atomic(const char *dir, const char *name, const void *data, size_t len)
{
    char tmp[4096], final[4096];
    snprintf(tmp, sizeof tmp, "%s/.%s.tmp", dir, name);
    snprintf(final, sizeof final, "%s/%s", dir, name);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0)
        return -1;
    if (s_write_all(fd, data, len) || fsync(fd)) {
        close(fd);
        unlink(tmp);
        return -1;
    }
    close(fd);
    if (rename(tmp, final)) {
        unlink(tmp);
        return -1;
    }
    return s_fsync_dir(dir);
}

int outbox_note_attempt(const char *dir, outbox_entry_t *e, const char *error)
{
    char meta[256], name[160];
    e->attempts++;
    snprintf(e->last_error, sizeof e->last_error, "%s", error ? error : "");
    /* One line each; the error is kept to one line. */
    for (char *p = e->last_error; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    int n = snprintf(meta, sizeof meta, "attempts=%u\nlast_error=%s\n", e->attempts,
                     e->last_error);
    snprintf(name, sizeof name, "%s.meta", e->name);
    return s_write_atomic(dir, name, meta, (size_t)n);
}

static void s_read_meta(const char *dir, outbox_entry_t *e)
{
    char path[4096], line[256];
    snprintf(path, sizeof path, "%s/%s.meta", dir, e->name);
    FILE *fp = fopen(path, "r");
    if (!fp)
        return;
    while (fgets(line, sizeof line, fp)) {
        line[strcspn(line, "\n")] = '\0';
        if (strncmp(line, "attempts=", 9) == 0)
            e->attempts = (unsigned)strtoul(line + 9, NULL, 10);
        else if (strncmp(line, "last_error=", 11) == 0)
            snprintf(e->last_error, sizeof e->last_error, "%.159s", line + 11);
    }
    fclose(fp);
}

static int s_write_all(int fd, const uint8_t *p, size_t len)
{
    while (len) {
        ssize_t w = write(fd, p, len);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

int outbox_put(const char *dir, size_t max_entries, const char *id, const uint8_t *data,
               size_t len, samla_err_t *err)
{
    size_t queued = 0;
    DIR *dp = opendir(dir);
    if (!dp)
        return err_set(err, "cannot read outbox %s: %s", dir, strerror(errno));
    struct dirent *de;
    while ((de = readdir(dp))) {
        size_t n = strlen(de->d_name);
        queued += de->d_name[0] != '.' && n > 5 && strcmp(de->d_name + n - 5, ".push") == 0;
    }
    closedir(dp);
    if (queued >= max_entries)
        return err_set(err, "outbox %s is full (%zu submissions waiting); nothing new was "
                            "queued. Run 'samla-agent flush' once samlad is reachable",
                       dir, queued);
    char name[128];
    snprintf(name, sizeof name, "%lld-%s.push", (long long)time(NULL), id);
    if (s_write_atomic(dir, name, data, len))
        return err_set(err, "cannot store %s/%s: %s", dir, name, strerror(errno));
    return 0;
}

static int s_cmp(const void *a, const void *b)
{
    const outbox_entry_t *x = a, *y = b;
    if (x->queued != y->queued)
        return x->queued < y->queued ? -1 : 1;
    return strcmp(x->name, y->name);
}

static int s_read(const char *path, uint8_t **data, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return -1;
    uint8_t *buf = malloc(WIRE_MAX_MSG);
    size_t n = buf ? fread(buf, 1, WIRE_MAX_MSG, fp) : 0;
    int bad = !buf || ferror(fp) || n == WIRE_MAX_MSG;
    fclose(fp);
    if (bad) {
        free(buf);
        return -1;
    }
    *data = buf;
    *len = n;
    return 0;
}

int outbox_list(const char *dir, outbox_list_t *out, samla_err_t *err)
{
    memset(out, 0, sizeof *out);
    DIR *dp = opendir(dir);
    if (!dp)
        return err_set(err, "cannot read outbox %s: %s", dir, strerror(errno));
    size_t cap = 0;
    struct dirent *de;
    int rc = 0;
    while ((de = readdir(dp))) {
        long long ts;
        char id[37];
        size_t nlen = strlen(de->d_name);
        /* Only complete entries: temp files start with '.', names are fixed-shape. */
        if (de->d_name[0] == '.' || nlen < 42 || nlen >= 128 ||
            strcmp(de->d_name + nlen - 5, ".push") != 0)
            continue;
        const char *dash = strchr(de->d_name, '-');
        if (!dash || (size_t)(de->d_name + nlen - 5 - dash - 1) != 36)
            continue;
        memcpy(id, dash + 1, 36);
        id[36] = '\0';
        char *endp;
        ts = strtoll(de->d_name, &endp, 10);
        if (endp != dash || !wire_uuid_valid(id))
            continue;
        if (out->n == cap) {
            cap = cap ? cap * 2 : 16;
            outbox_entry_t *nv = realloc(out->v, cap * sizeof *nv);
            if (!nv) {
                rc = err_set(err, "out of memory");
                break;
            }
            out->v = nv;
        }
        outbox_entry_t *e = &out->v[out->n];
        memset(e, 0, sizeof *e);
        memcpy(e->name, de->d_name, nlen + 1); /* nlen < 128 checked above */
        memcpy(e->id, id, sizeof id);
        e->queued = (time_t)ts;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->name);
        if (s_read(path, &e->data, &e->len)) {
            rc = err_set(err, "cannot read outbox entry %s", path);
            break;
        }
        s_read_meta(dir, e);
        out->n++;
    }
    closedir(dp);
    if (rc) {
        outbox_list_free(out);
        return rc;
    }
    if (out->n) /* qsort must not see NULL, even for zero elements */
        qsort(out->v, out->n, sizeof *out->v, s_cmp);
    return 0;
}

void outbox_list_free(outbox_list_t *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i].data);
    free(l->v);
    memset(l, 0, sizeof *l);
}

int outbox_remove(const char *dir, const char *name, samla_err_t *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (unlink(path) != 0 && errno != ENOENT)
        return err_set(err, "cannot remove %s: %s", path, strerror(errno));
    snprintf(path, sizeof path, "%s/%s.meta", dir, name);
    unlink(path);
    s_fsync_dir(dir);
    return 0;
}

int outbox_reject(const char *dir, const char *name, const char *reason, samla_err_t *err)
{
    char from[4096], to[4096], why[4096];
    snprintf(from, sizeof from, "%s/%s", dir, name);
    snprintf(to, sizeof to, "%s/rejected/%s", dir, name);
    snprintf(why, sizeof why, "%s/rejected/%s.reason", dir, name);
    FILE *fp = fopen(why, "w");
    if (fp) {
        fprintf(fp, "%s\n", reason);
        fclose(fp);
    }
    if (rename(from, to) != 0)
        return err_set(err, "cannot move %s to rejected/: %s", from, strerror(errno));
    snprintf(from, sizeof from, "%s/%s.meta", dir, name);
    unlink(from);
    s_fsync_dir(dir);
    return 0;
}
