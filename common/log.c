#include "samla/log.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

static const char *s_prog = "samla";
static int s_syslog;
static log_level_t s_max = LOG_LVL_INFO;
static pthread_mutex_t s_lock = PTHREAD_MUTEX_INITIALIZER;

/* One slot per event name seen (names are string literals of the callers). When the
 * table is full, further names share the last slot: still limited, never unbounded. */
#define S_SLOTS 64
typedef struct {
    const char *event;
    time_t window_start; /* monotonic seconds */
    unsigned lines, suppressed;
} s_slot_t;
static s_slot_t s_slots[S_SLOTS];
static size_t s_nslots;

static const char *const s_names[] = {"error", "warn", "info", "debug"};
static const int s_prio[] = {LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG};

void log_init(const char *prog, int use_syslog, log_level_t max_level)
{
    s_prog = prog;
    s_syslog = use_syslog;
    s_max = max_level;
    if (use_syslog)
        openlog(prog, LOG_PID, LOG_DAEMON);
}

static time_t s_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec;
}

/* Called with s_lock held. */
static void s_write(log_level_t level, const char *event, const char *body)
{
    if (s_syslog) {
        syslog(s_prio[level], "level=%s event=%s %s", s_names[level], event, body);
        return;
    }
    char ts[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
    fprintf(stderr, "%s %s: level=%s event=%s %s\n", ts, s_prog, s_names[level], event, body);
}

/* Called with s_lock held: ends the slot's window if it is over, reporting what it left
 * out. */
static void s_roll(s_slot_t *sl, time_t now)
{
    if (now - sl->window_start < LOG_WINDOW_S)
        return;
    if (sl->suppressed) {
        char body[160];
        snprintf(body, sizeof body, "what=%s count=%u seconds=%lld", sl->event, sl->suppressed,
                 (long long)(now - sl->window_start));
        s_write(LOG_LVL_WARN, "log.suppressed", body);
    }
    sl->window_start = now;
    sl->lines = sl->suppressed = 0;
}

static s_slot_t *s_slot(const char *event, time_t now)
{
    for (size_t i = 0; i < s_nslots; i++)
        if (s_slots[i].event == event || strcmp(s_slots[i].event, event) == 0)
            return &s_slots[i];
    s_slot_t *sl = &s_slots[s_nslots < S_SLOTS ? s_nslots++ : S_SLOTS - 1];
    if (sl->event == NULL || s_nslots < S_SLOTS) {
        sl->event = event;
        sl->window_start = now;
    }
    return sl;
}

static void s_vlog(log_level_t level, const char *event, int limited, const char *fmt,
                   va_list ap)
{
    if (level > s_max)
        return;
    char body[1024];
    vsnprintf(body, sizeof body, fmt, ap);
    pthread_mutex_lock(&s_lock);
    if (!limited) {
        s_write(level, event, body);
    } else {
        time_t now = s_now();
        s_slot_t *sl = s_slot(event, now);
        s_roll(sl, now);
        if (sl->lines < LOG_BURST) {
            sl->lines++;
            s_write(level, event, body);
        } else {
            sl->suppressed++;
        }
    }
    pthread_mutex_unlock(&s_lock);
}

void log_event(log_level_t level, const char *event, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    s_vlog(level, event, 1, fmt, ap);
    va_end(ap);
}

void log_audit(log_level_t level, const char *event, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    s_vlog(level, event, 0, fmt, ap);
    va_end(ap);
}

void log_flush_suppressed(void)
{
    time_t now = s_now();
    pthread_mutex_lock(&s_lock);
    for (size_t i = 0; i < s_nslots; i++)
        s_roll(&s_slots[i], now);
    pthread_mutex_unlock(&s_lock);
}
