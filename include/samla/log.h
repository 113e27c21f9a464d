/* log: one line per event, "level event key=value ...", to stderr or syslog.
 *
 * Repeated events are rate-limited per event name: at most LOG_BURST lines of one event
 * in LOG_WINDOW_S seconds, then a single `log.suppressed` line says how many were left
 * out. A flood of garbage frames or random-key handshakes thus costs a few lines a
 * minute, not megabytes, and one noisy event never hides another. Thread-safe. */
#ifndef SAMLA_LOG_H
#define SAMLA_LOG_H

typedef enum { LOG_LVL_ERROR, LOG_LVL_WARN, LOG_LVL_INFO, LOG_LVL_DEBUG } log_level_t;

#define LOG_BURST 20
#define LOG_WINDOW_S 10

void log_init(const char *prog, int use_syslog, log_level_t max_level);
void log_event(log_level_t level, const char *event, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The same, never rate-limited: the audit trail (a submission stored, start, stop,
 * reload), whose every line an operator may need. Only registered keys cause these. */
void log_audit(log_level_t level, const char *event, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Writes the `log.suppressed` summaries of windows that have ended; the daemon calls it
 * from its loop so that a summary appears even when the flood stopped. */
void log_flush_suppressed(void);

#endif
