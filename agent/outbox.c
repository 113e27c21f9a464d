#include "outbox.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "samla/cursor.h"
#include "samla/text.h"
#include "samla/wire.h"

#define S_SEQ_FILE "seq"   /* the counter, written as ".seq" by s_write_atomic's rename */
#define S_LOCK_FILE ".lock"

/* dir/name into buf; -1 when it does not fit (a path cut short would name another file). */
static int s_path(char *buf, size_t size, const char *dir, const char *name)
{
    return text_fmt(buf, size, "%s/%s", dir, name);
}

static int s_fsync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
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

static int s_mkdir(const char *path, samla_err_t *err)
{
    if (mkdir(path, 0700) != 0 && errno != EEXIST)
        return err_set(err, "cannot create outbox %s: %s", path, strerror(errno));
    return 0;
}

int outbox_open(const char *dir, samla_err_t *err)
{
    char rej[4096];
    if (s_path(rej, sizeof rej, dir, "rejected"))
        return err_set(err, "outbox path too long: %s", dir);
    if (s_mkdir(dir, err) || s_mkdir(rej, err))
        return -1;
    DIR *dp = opendir(dir);
    struct dirent *de;
    time_t now = time(NULL);
    while (dp && (de = readdir(dp))) {
        size_t n = strlen(de->d_name);
        struct stat st;
        char path[4096];
        /* Another run may be writing its temp file right now: only old ones are litter. */
        if (de->d_name[0] == '.' && n > 4 && strcmp(de->d_name + n - 4, ".tmp") == 0 &&
            s_path(path, sizeof path, dir, de->d_name) == 0 && lstat(path, &st) == 0 &&
            now - st.st_mtime > 600)
            unlink(path);
    }
    if (dp)
        closedir(dp);
    return 0;
}

/* Writes dir/name atomically: temp file ".name.tmp", fsync, rename, fsync of the folder. */
static int s_write_atomic(const char *dir, const char *name, const void *data, size_t len)
{
    char tmp[4096], final[4096], tname[256];
    if ((size_t)snprintf(tname, sizeof tname, ".%s.tmp", name) >= sizeof tname ||
        s_path(tmp, sizeof tmp, dir, tname) || s_path(final, sizeof final, dir, name)) {
        errno = ENAMETOOLONG;
        return -1;
    }
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0600);
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
    char path[4096], name[160], line[256];
    snprintf(name, sizeof name, "%s.meta", e->name);
    if (s_path(path, sizeof path, dir, name))
        return;
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

/* Splits "<sequence>-<uuid>.push" (sequence: 1 to 20 digits). Returns 0 when the name has
 * that shape; anything else in the folder is not an outbox entry. */
static int s_parse_name(const char *name, uint64_t *seq, char id[37])
{
    size_t n = strlen(name);
    if (name[0] == '.' || n < 43 || n >= 128 || strcmp(name + n - 5, ".push") != 0)
        return -1;
    const char *dash = name + n - 5 - 37;
    if (*dash != '-' || dash == name || dash - name > 20)
        return -1;
    uint64_t v;
    if (cur_span_uint((cur_span_t){name, (size_t)(dash - name)}, UINT64_MAX, &v))
        return -1;
    memcpy(id, dash + 1, 36);
    id[36] = '\0';
    if (!wire_uuid_valid(id))
        return -1;
    *seq = v;
    return 0;
}

/* Counts the queued entries and finds the highest sequence number among them. */
static int s_scan(const char *dir, size_t *queued, uint64_t *max_seq, samla_err_t *err)
{
    DIR *dp = opendir(dir);
    if (!dp)
        return err_set(err, "cannot read outbox %s: %s", dir, strerror(errno));
    *queued = 0;
    *max_seq = 0;
    struct dirent *de;
    while ((de = readdir(dp))) {
        uint64_t seq;
        char id[37];
        if (s_parse_name(de->d_name, &seq, id) == 0) {
            (*queued)++;
            if (seq > *max_seq)
                *max_seq = seq;
        }
    }
    closedir(dp);
    return 0;
}

static uint64_t s_read_seq(const char *dir)
{
    char path[4096], buf[32];
    if (s_path(path, sizeof path, dir, "." S_SEQ_FILE))
        return 0;
    int fd = open(path, O_RDONLY | O_NOFOLLOW);
    if (fd < 0)
        return 0;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    cur_t c;
    uint64_t v;
    cur_init(&c, buf, n > 0 ? (size_t)n : 0);
    return cur_uint(&c, UINT64_MAX, &v) == 0 ? v : 0; /* a newline may follow */
}

int outbox_put(const char *dir, size_t max_entries, const char *id, const uint8_t *data,
               size_t len, samla_err_t *err)
{
    char lock[4096];
    if (s_path(lock, sizeof lock, dir, S_LOCK_FILE))
        return err_set(err, "outbox path too long: %s", dir);
    /* Held until the entry is in place: two pushes at once get increasing numbers and
     * their files appear in that order. */
    int lfd = open(lock, O_RDWR | O_CREAT | O_NOFOLLOW, 0600);
    if (lfd < 0 || flock(lfd, LOCK_EX) != 0) {
        err_set(err, "cannot lock outbox %s: %s", lock, strerror(errno));
        if (lfd >= 0)
            close(lfd);
        return -1;
    }
    size_t queued = 0;
    uint64_t max_seq = 0;
    int rc = s_scan(dir, &queued, &max_seq, err);
    if (rc == 0 && queued >= max_entries)
        rc = err_set(err, "outbox %s is full (%zu submissions waiting); nothing new was "
                          "queued. Run 'samla-agent flush' once samlad is reachable",
                     dir, queued);
    if (rc == 0) {
        /* The counter only grows; the scan covers a lost or damaged counter file and
         * entries named by older versions (which used the time as their number). */
        uint64_t seq = s_read_seq(dir);
        if (seq < max_seq)
            seq = max_seq;
        seq++;
        char name[128], num[32];
        int nl = snprintf(num, sizeof num, "%" PRIu64 "\n", seq);
        snprintf(name, sizeof name, "%020" PRIu64 "-%s.push", seq, id);
        if (s_write_atomic(dir, "." S_SEQ_FILE, num, (size_t)nl) ||
            s_write_atomic(dir, name, data, len))
            rc = err_set(err, "cannot store %s/%s: %s", dir, name, strerror(errno));
    }
    close(lfd); /* releases the lock */
    return rc;
}

static int s_cmp(const void *a, const void *b)
{
    const outbox_entry_t *x = a, *y = b;
    if (x->seq != y->seq)
        return x->seq < y->seq ? -1 : 1;
    return strcmp(x->name, y->name);
}

/* Reads an entry by its size. Returns NULL, or the reason it cannot be an entry. */
static const char *s_read(const char *path, outbox_entry_t *e)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0)
        return errno == ELOOP ? "a symbolic link, not a file push wrote" : "cannot be opened";
    struct stat st;
    const char *why = NULL;
    if (fstat(fd, &st) != 0)
        why = "cannot be read";
    else if (!S_ISREG(st.st_mode))
        why = S_ISDIR(st.st_mode) ? "a directory, not a file push wrote" : "not a regular file";
    else if (st.st_size == 0)
        why = "empty";
    else if (st.st_size > WIRE_MAX_MSG)
        why = "larger than any submission samlad accepts";
    if (!why) {
        e->len = (size_t)st.st_size;
        e->queued = st.st_mtime;
        e->data = malloc(e->len);
        size_t got = 0;
        while (e->data && got < e->len) {
            ssize_t r = read(fd, e->data + got, e->len - got);
            if (r < 0 && errno == EINTR)
                continue;
            if (r <= 0)
                break;
            got += (size_t)r;
        }
        if (!e->data || got != e->len)
            why = "cannot be read";
    }
    close(fd);
    return why;
}

/* Whether the bytes are what push wrote: a Push for the id in the name, whose body
 * matches its hash. Returns NULL, or what is wrong. */
static const char *s_damage(const outbox_entry_t *e)
{
    const char *why = NULL;
    samla_err_t err;
    arena_t a;
    arena_init(&a, WIRE_DECODE_BUDGET);
    Samla__V1__Push *p = NULL;
    uint8_t sha[32];
    if (wire_validate(&samla__v1__push__descriptor, e->data, e->len, 2, &err) ||
        !(p = samla__v1__push__unpack(&a.pa, e->len, e->data)))
        why = "not an encoded submission (truncated or overwritten)";
    else if (!p->id || strcmp(p->id, e->id) != 0)
        why = "holds another id than its name";
    else if (wire_sha256(p->body.data, p->body.len, sha),
             p->sha256.len != 32 || memcmp(p->sha256.data, sha, 32) != 0)
        why = "its content does not match its hash";
    if (p)
        samla__v1__push__free_unpacked(p, &a.pa);
    arena_release(&a);
    return why;
}

/* Moves a damaged entry aside and says so. */
static void s_set_aside(const char *dir, const char *name, const char *why, diag_t *notes)
{
    samla_err_t err;
    char reason[256];
    snprintf(reason, sizeof reason, "damaged in the outbox: %s", why);
    if (outbox_reject(dir, name, reason, &err) == 0)
        diag_add(notes, DIAG_WARNING, NULL, 0, "%s/%s is damaged (%s); moved to %s/rejected/ "
                 "and not sent", dir, name, why, dir);
    else
        diag_add(notes, DIAG_WARNING, NULL, 0, "%s/%s is damaged (%s) and could not be set "
                 "aside: %s", dir, name, why, err.msg);
}

int outbox_list(const char *dir, outbox_list_t *out, diag_t *notes, samla_err_t *err)
{
    memset(out, 0, sizeof *out);
    DIR *dp = opendir(dir);
    if (!dp)
        return err_set(err, "cannot read outbox %s: %s", dir, strerror(errno));
    size_t cap = 0;
    struct dirent *de;
    int rc = 0;
    while ((de = readdir(dp))) {
        uint64_t seq;
        char id[37], path[4096];
        /* Only complete entries: temp files start with '.', names are fixed-shape. */
        if (s_parse_name(de->d_name, &seq, id) || s_path(path, sizeof path, dir, de->d_name))
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
        memcpy(e->name, de->d_name, strlen(de->d_name) + 1); /* < 128, checked by the parse */
        memcpy(e->id, id, sizeof id);
        e->seq = seq;
        const char *why = s_read(path, e);
        if (!why)
            why = s_damage(e);
        if (why) {
            free(e->data);
            s_set_aside(dir, de->d_name, why, notes);
            continue;
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
    char path[4096], meta[160];
    if (s_path(path, sizeof path, dir, name))
        return err_set(err, "outbox path too long: %s", dir);
    if (unlink(path) != 0 && errno != ENOENT)
        return err_set(err, "cannot remove %s: %s", path, strerror(errno));
    snprintf(meta, sizeof meta, "%s.meta", name);
    if (s_path(path, sizeof path, dir, meta) == 0)
        unlink(path);
    s_fsync_dir(dir);
    return 0;
}

int outbox_reject(const char *dir, const char *name, const char *reason, samla_err_t *err)
{
    char from[4096], to[4096], why[4096], rel[300];
    snprintf(rel, sizeof rel, "rejected/%s.reason", name);
    if (s_path(from, sizeof from, dir, name) || s_path(why, sizeof why, dir, rel))
        return err_set(err, "outbox path too long: %s", dir);
    snprintf(rel, sizeof rel, "rejected/%s", name);
    if (s_path(to, sizeof to, dir, rel))
        return err_set(err, "outbox path too long: %s", dir);
    FILE *fp = fopen(why, "w");
    if (fp) {
        fprintf(fp, "%s\n", reason);
        fclose(fp);
    }
    if (rename(from, to) != 0)
        return err_set(err, "cannot move %s to rejected/: %s", from, strerror(errno));
    snprintf(rel, sizeof rel, "%s.meta", name);
    if (s_path(from, sizeof from, dir, rel) == 0)
        unlink(from);
    s_fsync_dir(dir);
    return 0;
}

uint8_t *outbox_envelope(const Samla__V1__Submission *sub, char id[37], size_t *len)
{
    size_t blen;
    uint8_t *body = wire_pack((const ProtobufCMessage *)sub, &blen), hash[32];
    if (!body)
        return NULL;
    if (wire_uuid(id)) {
        free(body);
        return NULL;
    }
    wire_sha256(body, blen, hash);
    Samla__V1__Push msg = SAMLA__V1__PUSH__INIT;
    msg.id = id;
    msg.sha256 = (ProtobufCBinaryData){32, hash};
    msg.body = (ProtobufCBinaryData){blen, body};
    uint8_t *push = wire_pack((const ProtobufCMessage *)&msg, len);
    free(body);
    return push;
}

void outbox_entry_period(const outbox_entry_t *e, char period[8])
{
    snprintf(period, 8, "?");
    arena_t a;
    arena_init(&a, WIRE_DECODE_BUDGET);
    Samla__V1__Push *p = samla__v1__push__unpack(&a.pa, e->len, e->data);
    Samla__V1__Submission *s =
        p ? samla__v1__submission__unpack(&a.pa, p->body.len, p->body.data) : NULL;
    if (s)
        snprintf(period, 8, "%.7s", s->period);
    arena_release(&a); /* everything unpacked lives in the arena */
}
