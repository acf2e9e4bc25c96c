#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

static int g_fd = -1; /* -1: stderr */
static bool g_json;
static bool g_debug;

int log_init(const char *path, bool json, bool debug) {
    g_json = json;
    g_debug = debug;
    if (path && *path) {
        int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        if (fd < 0)
            return -errno;
        g_fd = fd;
    }
    return 0;
}

bool log_is_stderr(void) { return g_fd < 0; }
int log_fd(void) { return g_fd; }

static const char *level_name(enum log_level l) {
    switch (l) {
    case LOG_LEVEL_ERROR: return "error";
    case LOG_LEVEL_WARN: return "warning";
    case LOG_LEVEL_INFO: return "info";
    default: return "debug";
    }
}

static void json_escape(char **buf, size_t *len, size_t *cap, const char *s) {
    for (; *s; s++) {
        char tmp[8];
        const char *add = tmp;
        unsigned char c = (unsigned char)*s;
        if (c == '"') add = "\\\"";
        else if (c == '\\') add = "\\\\";
        else if (c == '\n') add = "\\n";
        else if (c == '\t') add = "\\t";
        else if (c < 0x20) snprintf(tmp, sizeof(tmp), "\\u%04x", c);
        else { tmp[0] = (char)c; tmp[1] = '\0'; }
        size_t n = strlen(add);
        if (*len + n + 1 > *cap) {
            *cap = (*cap + n) * 2;
            *buf = xrealloc(*buf, *cap);
        }
        memcpy(*buf + *len, add, n);
        *len += n;
        (*buf)[*len] = '\0';
    }
}

void log_msg(enum log_level level, const char *fmt, ...) {
    if (level == LOG_LEVEL_DEBUG && !g_debug)
        return;
    int saved = errno;
    va_list ap;
    va_start(ap, fmt);
    char *msg = xvasprintf(fmt, ap);
    va_end(ap);
    int fd = g_fd >= 0 ? g_fd : 2;
    char *line;
    if (g_json) {
        char *when = rfc3339_now();
        size_t len = 0, cap = strlen(msg) + 16;
        char *esc = xmalloc(cap);
        esc[0] = '\0';
        json_escape(&esc, &len, &cap, msg);
        line = xasprintf("{\"level\":\"%s\",\"msg\":\"%s\",\"time\":\"%s\"}\n", level_name(level), esc, when);
        free(esc);
        free(when);
    } else if (g_fd >= 0) {
        time_t now = time(NULL);
        struct tm tm;
        gmtime_r(&now, &tm);
        char when[64];
        strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
        line = xasprintf("%s %s: %s\n", when, level_name(level), msg);
    } else {
        line = level == LOG_LEVEL_ERROR ? xasprintf("hull: %s\n", msg)
                                        : xasprintf("hull: %s: %s\n", level_name(level), msg);
    }
    (void)write_all(fd, line, strlen(line));
    free(line);
    free(msg);
    errno = saved;
}
