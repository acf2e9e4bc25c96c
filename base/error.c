#include "error.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static int set(struct error **err, int errnum, char *msg) {
    if (errnum <= 0)
        errnum = errnum < 0 ? -errnum : EINVAL;
    if (err && !*err) {
        struct error *e = xmalloc(sizeof(*e));
        e->errnum = errnum;
        e->msg = msg;
        *err = e;
    } else {
        free(msg);
    }
    return -errnum;
}

int error_sys(struct error **err, int errnum, const char *fmt, ...) {
    if (errnum < 0)
        errnum = -errnum;
    va_list ap;
    va_start(ap, fmt);
    char *ctx = xvasprintf(fmt, ap);
    va_end(ap);
    char *msg = xasprintf("%s: %s", ctx, strerror(errnum ? errnum : EINVAL));
    free(ctx);
    return set(err, errnum, msg);
}

int error_new(struct error **err, int errnum, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *msg = xvasprintf(fmt, ap);
    va_end(ap);
    return set(err, errnum, msg);
}

int error_wrap(struct error **err, int ret, const char *fmt, ...) {
    if (!err)
        return ret;
    va_list ap;
    va_start(ap, fmt);
    char *ctx = xvasprintf(fmt, ap);
    va_end(ap);
    if (!*err) {
        int e = ret < 0 ? -ret : EINVAL;
        char *msg = xasprintf("%s: %s", ctx, strerror(e));
        free(ctx);
        set(err, e, msg);
        return ret;
    }
    char *msg = xasprintf("%s: %s", ctx, (*err)->msg);
    free(ctx);
    free((*err)->msg);
    (*err)->msg = msg;
    return ret;
}

void error_free(struct error *e) {
    if (!e)
        return;
    free(e->msg);
    free(e);
}

