/* One error type, carried up with context.
 *
 * Every fallible function returns int: >= 0 on success, a negative errno on failure, and fills
 * *err (when err is not NULL and *err is still NULL).  The leaf records what it was doing and the
 * errno; each layer on the way up may prefix context with error_wrap():
 *   "create container c1: mount proc on /proc: Operation not permitted"
 */
#ifndef HULL_BASE_ERROR_H
#define HULL_BASE_ERROR_H

#include <stdarg.h>

struct error {
    int errnum; /* positive errno value (EINVAL for logical errors) */
    char *msg;  /* full text, context first */
};

/* A failed system call: msg = "<fmt>: <strerror(errnum)>".  Returns -errnum. */
int error_sys(struct error **err, int errnum, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* A logical error (bad input, wrong state): msg = "<fmt>".  Returns -errnum. */
int error_new(struct error **err, int errnum, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Prefix context to an existing error: msg = "<fmt>: <old msg>".  Returns ret unchanged, so it
 * reads `return error_wrap(err, r, "mount %s", dest);`.  Without an error set, it creates one
 * from ret. */
int error_wrap(struct error **err, int ret, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

void error_free(struct error *e);

#endif
