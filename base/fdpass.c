#include "fdpass.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util.h"

int fd_send(int sock, int fd, const void *data, size_t len, struct error **err) {
    char zero = '\0';
    struct iovec iov = {.iov_base = len ? (void *)data : &zero, .iov_len = len ? len : 1};
    union {
        struct cmsghdr h;
        char buf[CMSG_SPACE(sizeof(int))];
    } ctl;
    memset(&ctl, 0, sizeof(ctl));
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.buf, .msg_controllen = sizeof(ctl.buf)};
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &fd, sizeof(int));
    ssize_t n;
    while ((n = sendmsg(sock, &msg, MSG_NOSIGNAL)) < 0 && errno == EINTR)
        ;
    if (n < 0)
        return error_sys(err, errno, "sendmsg with fd %d (SCM_RIGHTS)", fd);
    /* the fd went with the first bytes; the rest, if the socket took only part, follows alone */
    if ((size_t)n < len && write_all(sock, (const char *)data + n, len - (size_t)n) < 0)
        return error_sys(err, errno, "send the data after fd %d (%zu of %zu bytes sent)", fd, (size_t)n, len);
    return 0;
}

/* Close every fd of an SCM_RIGHTS message except the one returned (-1 when none). */
static int take_fds(struct msghdr *msg) {
    int fd = -1;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(msg); c; c = CMSG_NXTHDR(msg, c)) {
        if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
            continue;
        size_t n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        for (size_t i = 0; i < n; i++) {
            int x;
            memcpy(&x, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
            if (fd < 0)
                fd = x;
            else
                close(x);
        }
    }
    return fd;
}

int fd_recv(int sock, int *fd, void *data, size_t size, size_t *len, struct error **err) {
    char scratch[4096];
    union {
        struct cmsghdr h;
        char buf[CMSG_SPACE(sizeof(int) * 4)];
    } ctl;
    struct iovec iov = {.iov_base = data ? data : scratch, .iov_len = data ? size : sizeof(scratch)};
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.buf, .msg_controllen = sizeof(ctl.buf)};
    ssize_t n;
    while ((n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR)
        ;
    if (n < 0)
        return error_sys(err, errno, "receive fd");
    int got = take_fds(&msg);
    if (msg.msg_flags & MSG_CTRUNC) {
        if (got >= 0)
            close(got);
        return error_new(err, EBADMSG, "receive fd: control data truncated");
    }
    if (got < 0)
        return n == 0 ? error_new(err, ECONNRESET, "receive fd: the peer closed the connection")
                      : error_new(err, EBADMSG, "receive fd: the message carries no file descriptor");
    *fd = got;
    if (len)
        *len = (size_t)n;
    return 0;
}
