/* inbox: see inbox.h. Each set is checked and pushed by this same program in a child
 * process (`samla-agent check`, then `push`), so the inbox does exactly what a person at
 * the terminal would, and what they would have read goes into the receipt. */
#include "inbox.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "samla/diag.h"
#include "samla/i18n.h"
#include "samla/text.h"
#include "sie.h"

extern char **environ;

#define S_SENT "skickat"
#define S_FAILED "fel"
#define S_MAX_FILES 256   /* files looked at per run: an inbox holds a few */
#define S_MAX_OUTPUT (4u * 1024u * 1024u)
#define S_ROUNDS 3        /* runs over the folder while files settle */

typedef enum { S_SIE, S_PARTS, S_FORECAST } s_kind_t;

typedef struct {
    char *name; /* owned; the file's name in the inbox */
    s_kind_t kind;
    time_t mtime;
    off_t size;
    bool used;  /* belongs to a set this run */
} s_file_t;

typedef struct {
    const s_file_t *sie, *parts, *forecast;
    char period[8];
} s_set_t;

/* --- names ---------------------------------------------------------------------------- */

static bool s_ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcasecmp(s + n - k, suffix) == 0;
}

/* What a file is by its name; -1 for anything the inbox leaves alone. */
static int s_kind_of(const char *name)
{
    if (name[0] == '.')
        return -1; /* hidden, or a spreadsheet's lock file */
    if (s_ends_with(name, ".se") || s_ends_with(name, ".si") || s_ends_with(name, ".sie"))
        return S_SIE;
    if (s_ends_with(name, ".csv") && strncasecmp(name, "deltagare", 9) == 0)
        return S_PARTS;
    if (s_ends_with(name, ".csv") && strncasecmp(name, "prognos", 7) == 0)
        return S_FORECAST;
    return -1;
}

int inbox_period_of_name(const char *name, period_t *p)
{
    /* the last YYYY[-_ ]MM with a plausible year and month, not inside a longer number */
    int found = -1;
    for (size_t i = 0; name[i]; i++) {
        if (i > 0 && isdigit((unsigned char)name[i - 1]))
            continue;
        const char *s = name + i;
        if (!(isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1]) &&
              isdigit((unsigned char)s[2]) && isdigit((unsigned char)s[3]) &&
              (s[4] == '-' || s[4] == '_' || s[4] == ' ') && isdigit((unsigned char)s[5]) &&
              isdigit((unsigned char)s[6]) && !isdigit((unsigned char)s[7])))
            continue;
        period_t q = {(s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0'),
                      (s[5] - '0') * 10 + (s[6] - '0')};
        if (q.year >= 2000 && q.year <= 2999 && q.month >= 1 && q.month <= 12) {
            *p = q;
            found = 0;
        }
    }
    return found;
}

/* --- the folder ----------------------------------------------------------------------- */

static int s_name_cmp(const void *a, const void *b)
{
    return strcmp(((const s_file_t *)a)->name, ((const s_file_t *)b)->name);
}

/* The inbox's files of the three kinds, by name: regular files only (a link could point
 * anywhere the agent may read), with names that are text (a name reaches the receipt and
 * the journal). Returns how many, or -1 when the folder cannot be read. */
static long s_list(const char *dir, s_file_t *out, size_t max)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < max) {
        int kind = s_kind_of(e->d_name);
        char path[4096];
        struct stat st;
        if (kind < 0 || text_fmt(path, sizeof path, "%s/%s", dir, e->d_name) ||
            lstat(path, &st) || !S_ISREG(st.st_mode))
            continue;
        if (!text_is_safe(e->d_name)) {
            printf(_("inkorg: en fil vars namn har styrtecken lämnas orörd; byt namn på den\n"));
            continue;
        }
        if (!(out[n].name = strdup(e->d_name)))
            break;
        out[n].kind = (s_kind_t)kind;
        out[n].mtime = st.st_mtime;
        out[n].size = st.st_size;
        out[n].used = false;
        n++;
    }
    closedir(d);
    qsort(out, n, sizeof *out, s_name_cmp);
    return (long)n;
}

/* The CSV of `kind` for period p: the one whose name carries p, else (one SIE in the
 * inbox) the only one of its kind without a period in its name. */
static const s_file_t *s_csv_for(s_file_t *f, size_t n, s_kind_t kind, const char *period,
                                 bool only_sie)
{
    const s_file_t *plain = NULL;
    size_t n_plain = 0;
    for (size_t i = 0; i < n; i++) {
        period_t q;
        char text[8];
        if (f[i].kind != kind || f[i].used)
            continue;
        if (inbox_period_of_name(f[i].name, &q) == 0) {
            period_format(q, text, sizeof text);
            if (strcmp(text, period) == 0)
                return &f[i];
        } else {
            plain = &f[i];
            n_plain++;
        }
    }
    return only_sie && n_plain == 1 ? plain : NULL;
}

/* The period of a set: the SIE file's name, else (one SIE) a CSV's name, else the last
 * month the books hold. 0 with period[8] set, or -1. */
static int s_period(const char *dir, const s_file_t *sie, const s_file_t *f, size_t n,
                    bool only_sie, char period[8])
{
    period_t p;
    if (inbox_period_of_name(sie->name, &p) == 0) {
        period_format(p, period, 8);
        return 0;
    }
    for (size_t i = 0; only_sie && i < n; i++)
        if (f[i].kind != S_SIE && inbox_period_of_name(f[i].name, &p) == 0) {
            period_format(p, period, 8);
            return 0;
        }
    char path[4096];
    if (text_fmt(path, sizeof path, "%s/%s", dir, sie->name))
        return -1;
    diag_t *d = diag_new();
    int missing = 0, rc = -1;
    sie_t *s = d ? sie_read_file(path, d, &missing) : NULL;
    if (s && sie_last_month(s, &p) == 0) {
        period_format(p, period, 8);
        rc = 0;
    }
    sie_destroy(&s);
    diag_destroy(&d);
    return rc;
}

/* --- running a command ------------------------------------------------------------------ */

/* What one run of this program printed, and how it ended. */
typedef struct {
    char *out, *err; /* owned, NUL-terminated */
    int rc;
} s_output_t;

static char *s_slurp_fd(int fd)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = fdopen(fd, "rb");
    if (fp) {
        fseek(fp, 0, SEEK_END);
        long n = ftell(fp);
        rewind(fp);
        if (n >= 0 && (size_t)n <= S_MAX_OUTPUT && (buf = malloc((size_t)n + 1)))
            len = fread(buf, 1, (size_t)n, fp);
        fclose(fp);
    } else {
        close(fd);
    }
    if (buf)
        buf[len] = '\0';
    return buf ? buf : strdup("");
}

/* An unnamed temporary file for a child's output. */
static int s_temp(void)
{
    const char *tmp = getenv("TMPDIR");
    char path[4096];
    if (text_fmt(path, sizeof path, "%s/samla-inbox-XXXXXX", tmp && *tmp ? tmp : "/tmp"))
        return -1;
    int fd = mkstemp(path);
    if (fd >= 0)
        unlink(path);
    return fd;
}

/* Runs this program with argv (argv[0] its path), output captured. */
static int s_run(char *const argv[], s_output_t *o)
{
    memset(o, 0, sizeof *o);
    o->rc = EX_OSERR;
    int fo = s_temp(), fe = s_temp();
    posix_spawn_file_actions_t fa;
    pid_t pid;
    if (fo < 0 || fe < 0 || posix_spawn_file_actions_init(&fa)) {
        if (fo >= 0)
            close(fo);
        if (fe >= 0)
            close(fe);
        return -1;
    }
    posix_spawn_file_actions_adddup2(&fa, fo, STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&fa, fe, STDERR_FILENO);
    int rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    int status = 0;
    if (rc == 0) {
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
            ;
        o->rc = WIFEXITED(status) ? WEXITSTATUS(status) : EX_SOFTWARE;
    }
    o->out = s_slurp_fd(fo);
    o->err = s_slurp_fd(fe);
    return rc == 0 ? 0 : -1;
}

static void s_output_free(s_output_t *o)
{
    free(o->out);
    free(o->err);
}

/* check or push for a set, as a person would type it. */
static int s_command(const inbox_conf_t *c, const char *self, const char *cmd, const s_set_t *set,
                     s_output_t *o)
{
    char sie[4096], parts[4096], forecast[4096];
    if (text_fmt(sie, sizeof sie, "%s/%s", c->dir, set->sie->name) ||
        (set->parts && text_fmt(parts, sizeof parts, "%s/%s", c->dir, set->parts->name)) ||
        (set->forecast &&
         text_fmt(forecast, sizeof forecast, "%s/%s", c->dir, set->forecast->name)))
        return -1;
    char *argv[16];
    size_t n = 0;
    argv[n++] = (char *)self;
    argv[n++] = "--config";
    argv[n++] = (char *)c->config;
    argv[n++] = (char *)cmd;
    if (c->lang) {
        argv[n++] = "--lang";
        argv[n++] = (char *)c->lang;
    }
    argv[n++] = "--period";
    argv[n++] = (char *)set->period;
    argv[n++] = "--sie";
    argv[n++] = sie;
    if (set->parts) {
        argv[n++] = "--participants";
        argv[n++] = parts;
    }
    if (set->forecast) {
        argv[n++] = "--forecast";
        argv[n++] = forecast;
    }
    argv[n] = NULL;
    return s_run(argv, o);
}

/* --- filing ------------------------------------------------------------------------------ */

static int s_mkdir(const char *path)
{
    return mkdir(path, 0770) == 0 || errno == EEXIST ? 0 : -1;
}

/* dir/name, or when that is taken dir/"base (2).ext", (3), …: nothing is overwritten. */
static int s_free_name(const char *dir, const char *name, char *out, size_t size)
{
    const char *dot = strrchr(name, '.');
    int base = dot && dot != name ? (int)(dot - name) : (int)strlen(name);
    for (int k = 1; k < 1000; k++) {
        int bad = k == 1 ? text_fmt(out, size, "%s/%s", dir, name)
                         : text_fmt(out, size, "%s/%.*s (%d)%s", dir, base, name, k,
                                    dot && dot != name ? dot : "");
        struct stat st;
        if (bad)
            return -1;
        if (lstat(out, &st) != 0 && errno == ENOENT)
            return 0;
    }
    return -1;
}

static int s_move(const char *from_dir, const s_file_t *f, const char *to_dir)
{
    char from[4096], to[4096];
    if (!f)
        return 0;
    if (text_fmt(from, sizeof from, "%s/%s", from_dir, f->name) ||
        s_free_name(to_dir, f->name, to, sizeof to))
        return -1;
    return rename(from, to);
}

/* Writes text to a new file dir/name (or a free name beside it). */
static int s_write_new(const char *dir, const char *name, const char *text)
{
    char path[4096];
    if (s_free_name(dir, name, path, sizeof path))
        return -1;
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0660);
    if (fd < 0)
        return -1;
    FILE *fp = fdopen(fd, "w");
    if (!fp) {
        close(fd);
        return -1;
    }
    fputs(text, fp);
    return fclose(fp) == 0 ? 0 : -1;
}

/* The host's local time with its offset from UTC ("2026-12-02 17:01:05 +0100"): a
 * receipt is read at the förbund, and compared with samlad's log, which is in UTC. */
static void s_now(char *buf, size_t size)
{
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(buf, size, "%Y-%m-%d %H:%M:%S %z", &tm);
}

static void s_files_line(FILE *out, const s_set_t *set)
{
    fprintf(out, _("Filer: %s"), set->sie->name);
    if (set->parts)
        fprintf(out, ", %s", set->parts->name);
    if (set->forecast)
        fprintf(out, ", %s", set->forecast->name);
    fputc('\n', out);
}

/* The receipt of a stored or queued set (kvitto.txt), in the reader's language. */
static char *s_receipt(const inbox_conf_t *c, const s_set_t *set, const s_output_t *check,
                       const s_output_t *push)
{
    char *text = NULL, now[32];
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    if (!out)
        return NULL;
    s_now(now, sizeof now);
    fprintf(out, _("KVITTO från samla-agent\n\nTid: %s\nFörbund: %s\nPeriod: %s\n"), now,
            c->orgnr, set->period);
    s_files_line(out, set);
    if (!set->parts) /* stored all the same: the books are worth having on time */
        fputs(_("Obs: ingen deltagarfil (deltagare*.csv) kom med. Månadens deltagarsiffror "
                "saknas hos samlad tills filen sparas i inkorgen tillsammans med "
                "bokföringen.\n"),
              out);
    fputs(push->rc == 0 ? _("Status: mottagen och lagrad av samlad\n")
                        : _("Status: i kö; samlad svarade inte ännu. Den skickas igen "
                            "automatiskt (samla-agent flush).\n"),
          out);
    fprintf(out, _("\nSvar:\n%s%s"), push->out, push->err);
    fprintf(out, _("\n--- Det som skickades (samla-agent check) ---\n\n%s"), check->out);
    fclose(out);
    return text;
}

/* Why a set was refused (fel.txt), in the reader's language. */
static char *s_failure(const s_set_t *set, const s_output_t *o, const char *what)
{
    char *text = NULL, now[32];
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    if (!out)
        return NULL;
    s_now(now, sizeof now);
    fprintf(out, _("FEL: de här filerna skickades inte till samlad.\n\nTid: %s\nPeriod: %s\n"),
            now, set->period[0] ? set->period : _("okänd"));
    s_files_line(out, set);
    fprintf(out, _("\nVad som är fel (fil:rad: problem):\n%s%s\n"), o ? o->err : "",
            what ? what : "");
    fputs(_("Vad du gör: rätta det som står ovan i bokföringen eller kalkylbladet, exportera "
            "eller spara filen på nytt och lägg den i inkorgen igen. Filerna här har inte "
            "skickats och kan sparas eller tas bort.\n"),
          out);
    fclose(out);
    return text;
}

/* Which of two exit codes is worse: a refusal above a queued set (75) above success. */
static int s_worse(int a, int b)
{
    int ra = a == 0 ? 0 : a == EX_TEMPFAIL ? 1 : 2, rb = b == 0 ? 0 : b == EX_TEMPFAIL ? 1 : 2;
    return ra != rb ? (ra > rb ? a : b) : (a > b ? a : b);
}

/* Files a set under skickat/PERIOD or fel/PERIOD (fel/okänd when the period is unknown)
 * with its text; where[4096] gets the folder. 0, or -1 when the folder or a move failed. */
static int s_file(const inbox_conf_t *c, const s_set_t *set, bool sent, const char *text,
                  char *where)
{
    char top[4096];
    const char *leaf = set->period[0] ? set->period : "okand";
    if (text_fmt(top, sizeof top, "%s/%s", c->dir, sent ? S_SENT : S_FAILED) ||
        text_fmt(where, 4096, "%s/%s", top, leaf) || s_mkdir(top) || s_mkdir(where))
        return -1;
    if (s_move(c->dir, set->sie, where) || s_move(c->dir, set->parts, where) ||
        s_move(c->dir, set->forecast, where))
        return -1;
    return text ? s_write_new(where, sent ? "kvitto.txt" : "fel.txt", text) : 0;
}

/* samla beside this program: installed, both in one folder; in a build tree, the
 * analyst's folder beside the agent's. 0 with path set, or -1. */
static int s_samla(const char *self, char *path, size_t size)
{
    char dir[4096];
    if (text_fmt(dir, sizeof dir, "%s", self))
        return -1;
    char *slash = strrchr(dir, '/');
    if (!slash)
        return -1;
    *slash = '\0';
    if (text_fmt(path, size, "%s/samla", dir) == 0 && access(path, X_OK) == 0)
        return 0;
    if (text_fmt(path, size, "%s/../analyst/samla", dir) == 0 && access(path, X_OK) == 0)
        return 0;
    return -1;
}

/* A config for samla with the förbund's own key (a temporary file, removed after): -1
 * when a path cannot be written into one (a quote or a backslash in it). */
static int s_samla_config(const inbox_conf_t *c, char *path, size_t size)
{
    /* the keys as absolute paths: the temporary config lives elsewhere */
    char pub[PATH_MAX], sec[PATH_MAX];
    if (!c->server_public_key || !c->secret_key || !realpath(c->server_public_key, pub) ||
        !realpath(c->secret_key, sec))
        return -1;
    const char *v[] = {c->query_server, pub, sec};
    for (size_t i = 0; i < 3; i++)
        if (!v[i] || strpbrk(v[i], "\"\\\n"))
            return -1;
    const char *tmp = getenv("TMPDIR");
    if (text_fmt(path, size, "%s/samla-report-XXXXXX", tmp && *tmp ? tmp : "/tmp"))
        return -1;
    int fd = mkstemp(path);
    FILE *fp = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!fp) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    fprintf(fp, "server = \"%s\";\nserver_public_key = \"%s\";\nsecret_key = \"%s\";\n",
            v[0], v[1], v[2]);
    return fclose(fp) == 0 ? 0 : -1;
}

/* The förbund's monthly report beside a stored set's receipt, as `samla report --orgnr`
 * writes it with the förbund's own key (its month within its group; what it may not see
 * of others is withheld as for any förbund key). A report that cannot be made is said on
 * standard output and in a note beside the receipt; the set is stored either way. */
static void s_report(const inbox_conf_t *c, const char *self, const s_set_t *set,
                     const char *where)
{
    char samla[4096], conf[4096], name[64], out[4096];
    snprintf(name, sizeof name, "rapport-%s.html", set->period);
    if (s_samla(self, samla, sizeof samla) || s_samla_config(c, conf, sizeof conf) ||
        s_free_name(where, name, out, sizeof out)) {
        printf(_("inkorg: %s: ingen rapport (samla saknas, eller sökvägarna i "
                 "konfigurationen går inte att använda)\n"), set->sie->name);
        return;
    }
    char *argv[] = {samla, "--config", conf, "report", "--orgnr", (char *)c->orgnr,
                    "--period", (char *)set->period, "--output", out,
                    c->lang ? "--lang" : NULL, (char *)c->lang, NULL};
    s_output_t o;
    if (s_run(argv, &o) == 0 && o.rc == 0) {
        printf(_("inkorg: %s: rapporten finns i %s\n"), set->sie->name, out);
    } else {
        printf(_("inkorg: %s: rapporten kunde inte skapas (slutkod %d)\n"), set->sie->name,
               o.rc);
        char *why = NULL;
        size_t len = 0;
        FILE *fp = open_memstream(&why, &len);
        if (fp) {
            fprintf(fp, _("Rapporten för %s kunde inte skapas:\n%s"), set->period,
                    o.err ? o.err : "");
            fclose(fp);
            (void)s_write_new(where, "rapport-fel.txt", why); /* best effort: a note */
            free(why);
        }
    }
    s_output_free(&o);
    unlink(conf);
}

/* One set: check, push, file. Returns its exit code. */
static int s_take(const inbox_conf_t *c, const char *self, const s_set_t *set)
{
    s_output_t check = {0}, push = {0};
    int rc;
    if (!set->period[0]) {
        char *why = s_failure(set, NULL, _("Perioden framgår varken av filnamnen "
                                           "(ÅÅÅÅ-MM) eller av bokföringen.\n")),
             where[4096];
        rc = s_file(c, set, false, why, where) ? EX_CANTCREAT : EX_DATAERR;
        free(why);
        printf(_("inkorg: %s: ingen period; flyttad till %s/\n"), set->sie->name, S_FAILED);
        return rc;
    }
    if (s_command(c, self, "check", set, &check))
        return EX_OSERR;
    rc = check.rc;
    if (rc == 0 && s_command(c, self, "push", set, &push)) {
        s_output_free(&check);
        return EX_OSERR;
    }
    if (rc == 0)
        rc = push.rc;
    bool sent = rc == 0 || rc == EX_TEMPFAIL;
    if (rc == EX_CONFIG || rc == EX_UNAVAILABLE || rc == EX_OSERR || rc == EX_CANTCREAT) {
        /* the förbund's files are fine; the agent is not: they stay for the next run */
        fprintf(stderr, "%s%s", check.err, push.err ? push.err : "");
        printf(_("inkorg: %s: inte skickad (slutkod %d); filerna ligger kvar\n"),
               set->sie->name, rc);
    } else {
        char *text = sent ? s_receipt(c, set, &check, &push)
                          : s_failure(set, check.rc ? &check : &push, NULL),
             where[4096];
        if (s_file(c, set, sent, text, where))
            rc = s_worse(rc, EX_CANTCREAT);
        else if (rc == 0 && c->query_server)
            s_report(c, self, set, where);
        free(text);
        printf(!sent         ? _("inkorg: %s: %s inte skickad; se %s/%s/fel.txt\n")
               : set->parts ? _("inkorg: %s: %s skickad; kvitto i %s/%s/\n")
                            : _("inkorg: %s: %s skickad utan deltagarfil; kvitto i %s/%s/\n"),
               set->sie->name, set->period, sent ? S_SENT : S_FAILED, set->period);
    }
    s_output_free(&check);
    s_output_free(&push);
    return rc;
}

/* Whether a file has stopped changing: unchanged (time and size) since the previous
 * round's look, or last changed at least `settle` seconds ago by this host's clock (a
 * share's clock may be ahead: then only the first test settles it). */
static bool s_settled(const s_file_t *f, const s_file_t *before, size_t n_before, time_t now,
                      long long settle)
{
    for (size_t i = 0; i < n_before; i++)
        if (strcmp(before[i].name, f->name) == 0)
            return before[i].mtime == f->mtime && before[i].size == f->size;
    return now - f->mtime >= settle;
}

int inbox_run(const inbox_conf_t *c)
{
    char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0)
        return EX_OSERR;
    self[n] = '\0';
    int worst = 0;
    s_file_t *before = NULL; /* the previous round's files, for s_settled */
    size_t n_before = 0;
    for (int round = 0; round < S_ROUNDS; round++) {
        s_file_t *f = calloc(S_MAX_FILES, sizeof *f);
        long nf = f ? s_list(c->dir, f, S_MAX_FILES) : -1;
        if (nf < 0) {
            err_print("samla-agent", "%s: cannot read the inbox: %s\n", c->dir, strerror(errno));
            free(f);
            return EX_NOINPUT;
        }
        size_t n_sie = 0;
        time_t now = time(NULL);
        for (long i = 0; i < nf; i++)
            n_sie += f[i].kind == S_SIE;
        bool waiting = false;
        for (long i = 0; i < nf; i++) {
            if (f[i].kind != S_SIE || f[i].used)
                continue;
            s_set_t set = {.sie = &f[i]};
            if (s_period(c->dir, &f[i], f, (size_t)nf, n_sie == 1, set.period))
                set.period[0] = '\0';
            if (set.period[0]) {
                set.parts = s_csv_for(f, (size_t)nf, S_PARTS, set.period, n_sie == 1);
                set.forecast = s_csv_for(f, (size_t)nf, S_FORECAST, set.period, n_sie == 1);
            }
            const s_file_t *all[] = {set.sie, set.parts, set.forecast};
            bool young = false;
            for (size_t k = 0; k < 3; k++)
                young |= all[k] && !s_settled(all[k], before, n_before, now, c->settle);
            if (young) { /* still being written, perhaps over a slow share: next round */
                waiting = true;
                continue;
            }
            for (size_t k = 0; k < 3; k++)
                if (all[k])
                    ((s_file_t *)all[k])->used = true;
            worst = s_worse(worst, s_take(c, self, &set));
        }
        for (size_t i = 0; i < n_before; i++)
            free(before[i].name);
        free(before);
        before = f; /* what the next round compares with */
        n_before = (size_t)nf;
        if (!waiting)
            break;
        if (round + 1 < S_ROUNDS) {
            printf(_("inkorg: väntar %lld s på filer som fortfarande skrivs\n"), c->settle);
            fflush(stdout);
            sleep((unsigned)c->settle);
        } else {
            printf(_("inkorg: filer som fortfarande skrivs tas vid nästa körning\n"));
        }
    }
    for (size_t i = 0; i < n_before; i++)
        free(before[i].name);
    free(before);
    return worst;
}
