#include "sync.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "../base/cleanup.h"
#include "../base/util.h"

#define SYNC_MAX (64 * 1024)

struct sync_hdr {
    uint32_t type;
    uint32_t len;
};

const char *sync_name(enum sync_type t) {
    switch (t) {
    case SYNC_CONTINUE: return "continue";
    case SYNC_CHILD_PID: return "child-pid";
    case SYNC_RUN_HOOKS: return "run-hooks";
    case SYNC_HOOKS_DONE: return "hooks-done";
    case SYNC_PTY: return "pty";
    case SYNC_READY: return "ready";
    case SYNC_ERROR: return "error";
    case SYNC_SECCOMP_FD: return "seccomp-fd";
    case SYNC_SECCOMP_DONE: return "seccomp-done";
    }
    return "unknown";
}

int sync_send(int sock, enum sync_type t, const void *payload, size_t len, int fd, struct error **err) {
    struct sync_hdr h = {.type = t, .len = (uint32_t)len};
    struct iovec iov[2] = {{&h, sizeof(h)}, {(void *)payload, len}};
    union {
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } u;
    struct msghdr msg = {.msg_iov = iov, .msg_iovlen = len ? 2 : 1};
    if (fd >= 0) {
        memset(&u, 0, sizeof(u));
        msg.msg_control = u.buf;
        msg.msg_controllen = sizeof(u.buf);
        struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(c), &fd, sizeof(int));
    }
    for (;;) {
        if (sendmsg(sock, &msg, MSG_NOSIGNAL) >= 0)
            return 0;
        if (errno != EINTR)
            return error_sys(err, errno, "send %s message", sync_name(t));
    }
}

int sync_recv(int sock, enum sync_type *t, char **payload, size_t *len, int *fd, struct error **err) {
    _cleanup_free_ char *buf = xmalloc(SYNC_MAX + 1);
    union {
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } u;
    struct iovec iov = {buf, SYNC_MAX};
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof(u.buf)};
    ssize_t n;
    do
        n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
    while (n < 0 && errno == EINTR);
    if (fd)
        *fd = -1;
    if (n < 0)
        return error_sys(err, errno, "receive from the container process");
    if (n == 0)
        return error_new(err, EPIPE, "the container process exited during setup");
    if ((size_t)n < sizeof(struct sync_hdr))
        return error_new(err, EPROTO, "short sync message");
    struct sync_hdr h;
    memcpy(&h, buf, sizeof(h));
    if (h.len != (size_t)n - sizeof(h))
        return error_new(err, EPROTO, "malformed %s message", sync_name(h.type));
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
            int got;
            memcpy(&got, CMSG_DATA(c), sizeof(int));
            if (fd)
                *fd = got;
            else
                close(got);
        }
    char *data = buf + sizeof(h);
    data[h.len] = '\0';
    if (h.type == SYNC_ERROR) {
        int32_t e = EIO;
        if (h.len >= sizeof(e))
            memcpy(&e, data, sizeof(e));
        return error_new(err, e > 0 ? e : EIO, "%s", h.len > sizeof(e) ? data + sizeof(e) : "unknown error");
    }
    *t = h.type;
    if (len)
        *len = h.len;
    if (payload) {
        *payload = xmalloc(h.len + 1);
        memcpy(*payload, data, h.len + 1);
    }
    return 0;
}

int sync_expect(int sock, enum sync_type want, char **payload, int *fd, struct error **err) {
    enum sync_type t;
    int r = sync_recv(sock, &t, payload, NULL, fd, err);
    if (r < 0)
        return r;
    if (t != want) {
        if (payload) {
            free(*payload);
            *payload = NULL;
        }
        return error_new(err, EPROTO, "expected a %s message, got %s", sync_name(want), sync_name(t));
    }
    return 0;
}

void sync_send_error(int sock, const struct error *e) {
    const char *m = e && e->msg ? e->msg : "unknown error";
    size_t ml = strlen(m);
    if (ml > SYNC_MAX - 64)
        ml = SYNC_MAX - 64;
    _cleanup_free_ char *buf = xmalloc(sizeof(int32_t) + ml);
    int32_t n = e ? e->errnum : EIO;
    memcpy(buf, &n, sizeof(n));
    memcpy(buf + sizeof(n), m, ml);
    sync_send(sock, SYNC_ERROR, buf, sizeof(n) + ml, -1, NULL);
}
