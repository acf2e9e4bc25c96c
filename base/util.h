/* Small helpers shared by every module: checked allocation, whole-file I/O, string vectors. */
#ifndef HULL_BASE_UTIL_H
#define HULL_BASE_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "error.h"

/* Allocation failures abort: a CLI runtime cannot do anything sensible without memory. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap);

/* Loop over short reads/writes and EINTR.  read_all returns bytes read (short only at EOF). */
ssize_t read_all(int fd, void *buf, size_t n);
ssize_t write_all(int fd, const void *buf, size_t n);

/* Read a whole file (NUL-terminated; *len excludes the NUL).  dirfd may be AT_FDCWD. */
int read_file_at(int dirfd, const char *path, char **out, size_t *len, struct error **err);
static inline int read_file(const char *path, char **out, size_t *len, struct error **err) {
    return read_file_at(-100 /* AT_FDCWD */, path, out, len, err);
}
/* Write data to an existing file (O_WRONLY|O_TRUNC, no create): for /proc and cgroup files. */
int write_file_at(int dirfd, const char *path, const char *data, struct error **err);
/* Create or replace a regular file atomically (write to a temp name, fsync-free rename). */
int write_file_atomic(const char *path, const char *data, size_t len, mode_t mode, struct error **err);

/* mkdir -p; existing directories are fine. */
int mkdir_p(const char *path, mode_t mode, struct error **err);

/* NULL-terminated string vectors. */
size_t strv_length(char *const *v);
char **strv_copy(char *const *v);
void strv_push(char ***v, char *s); /* takes ownership of s */
void strv_free(char **v);

bool str_has_prefix(const char *s, const char *prefix);
/* Undo the \ooo escapes of /proc/self/mountinfo (space, tab, newline, backslash), in place. */
void str_unescape_octal(char *s);
/* The same into a new string. */
char *xstrdup_unescape_octal(const char *s);
/* Parse decimal integers strictly (whole string, range-checked); 0 or -EINVAL/-ERANGE. */
int parse_int64(const char *s, int64_t *out);
int parse_uint64(const char *s, uint64_t *out);

/* The current time in RFC 3339 with nanoseconds, UTC: "2026-11-22T05:51:38.123456789Z". */
char *rfc3339_now(void);

/* Set or clear FD_CLOEXEC. */
int fd_set_cloexec(int fd, bool on);

#endif
