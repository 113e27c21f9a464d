#include "samla/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <syslog.h>
#include <time.h>

static const char *s_prog = "samla";
static int s_syslog;
static log_level_t s_max = LOG_LVL_INFO;

void log_init(const char *prog, int use_syslog, log_level_t max_level)
{
    s_prog = prog;
    s_syslog = use_syslog;
    s_max = max_level;
    if (use_syslog)
        openlog(prog, LOG_PID, LOG_DAEMON);
}

void log_event(log_level_t level, const char *event, const char *fmt, ...)
{
    static const char *names[] = {"error", "warn", "info", "debug"};
    static const int prio[] = {LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG};
    if (level > s_max)
        return;
    char body[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(body, sizeof body, fmt, ap);
    va_end(ap);
    if (s_syslog) {
        syslog(prio[level], "level=%s event=%s %s", names[level], event, body);
        return;
    }
    char ts[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
    fprintf(stderr, "%s %s: level=%s event=%s %s\n", ts, s_prog, names[level], event, body);
}
