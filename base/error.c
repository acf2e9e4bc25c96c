#include "error.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* Wire format: int32 errnum, uint32 length, message bytes. */
int error_send(int fd, const struct error *e) {
    const char *msg = e && e->msg ? e->msg : "unknown error";
    int32_t hdr[2] = {e ? e->errnum : EIO, (int32_t)strlen(msg)};
    if (write_all(fd, hdr, sizeof(hdr)) < 0 || write_all(fd, msg, (size_t)hdr[1]) < 0)
        return -errno;
    return 0;
}

int error_recv(int fd, struct error **err) {
    int32_t hdr[2];
    if (read_all(fd, hdr, sizeof(hdr)) != (ssize_t)sizeof(hdr) || hdr[1] < 0 || hdr[1] > 65536)
        return error_new(err, EIO, "malformed error message from child");
    char *msg = xmalloc((size_t)hdr[1] + 1);
    if (read_all(fd, msg, (size_t)hdr[1]) != hdr[1]) {
        free(msg);
        return error_new(err, EIO, "truncated error message from child");
    }
    msg[hdr[1]] = '\0';
    return set(err, hdr[0], msg);
}
