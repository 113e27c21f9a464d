/* log: one line per event, "level event key=value ...", to stderr or syslog. */
#ifndef SAMLA_LOG_H
#define SAMLA_LOG_H

typedef enum { LOG_LVL_ERROR, LOG_LVL_WARN, LOG_LVL_INFO, LOG_LVL_DEBUG } log_level_t;

void log_init(const char *prog, int use_syslog, log_level_t max_level);
void log_event(log_level_t level, const char *event, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
