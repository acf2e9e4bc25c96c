/* Logging for the runtime: text or JSON lines (runc's format, which engines parse) to --log FILE
 * or stderr.  Library code logs warnings and debug lines; only cmd/ logs errors and exits. */
#ifndef HULL_BASE_LOG_H
#define HULL_BASE_LOG_H

#include <stdbool.h>

enum log_level { LOG_LEVEL_ERROR, LOG_LEVEL_WARN, LOG_LEVEL_INFO, LOG_LEVEL_DEBUG };

/* path NULL: stderr.  json: {"level":"error","msg":"...","time":"2026-11-22T05:51:38Z"} */
int log_init(const char *path, bool json, bool debug);
void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
bool log_is_stderr(void);
/* The log descriptor, so a forked child can log to the same place; -1 for stderr. */
int log_fd(void);

#define log_error(...) log_msg(LOG_LEVEL_ERROR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_LEVEL_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_LEVEL_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_LEVEL_DEBUG, __VA_ARGS__)

#endif
