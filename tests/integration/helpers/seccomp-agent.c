/* seccomp-agent SOCKET OUT MODE: a seccomp agent for the tests (linux.seccomp.listenerPath).
 *
 * Listens on the unix socket SOCKET, accepts one connection, receives the container process state
 * (JSON, written to OUT) with the listener fd in SCM_RIGHTS (OUT.fds gets how many fds came), then
 * answers every notification until the filter's processes are gone: MODE "errno:N" makes the
 * syscall fail with errno N, "continue" lets it run.  Each notification appends "syscall NR" to
 * OUT.log.  Exits 0 on success, 1 with a message on stderr otherwise.
 * Compiled on demand by helpers.bash (build_helper seccomp-agent). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "sock.h"

static void die(const char *what) {
    fprintf(stderr, "seccomp-agent: %s: %s\n", what, strerror(errno));
    exit(1);
}

static void write_file(const char *path, const char *data, size_t len) {
    FILE *f = fopen(path, "w");
    if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0)
        die(path);
}

/* One connection: the state JSON (until EOF: the runtime closes the connection) and the fd. */
static int receive(int conn, const char *out) {
    static char buf[65536];
    size_t len = 0;
    int fd = -1, nfds = 0;
    for (;;) {
        union {
            char b[CMSG_SPACE(sizeof(int) * 4)];
            struct cmsghdr align;
        } u;
        struct iovec iov = {buf + len, sizeof(buf) - 1 - len};
        struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.b, .msg_controllen = sizeof(u.b)};
        ssize_t n = recvmsg(conn, &msg, MSG_CMSG_CLOEXEC);
        if (n < 0)
            die("recvmsg");
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
            if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
                nfds += (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
                memcpy(&fd, CMSG_DATA(c), sizeof(int));
            }
        if (n == 0 || len + (size_t)n >= sizeof(buf) - 1)
            break;
        len += (size_t)n;
    }
    write_file(out, buf, len);
    char *p;
    if (asprintf(&p, "%s.fds", out) < 0)
        die("asprintf");
    char count[16];
    int cl = snprintf(count, sizeof(count), "%d\n", nfds);
    write_file(p, count, (size_t)cl);
    free(p);
    if (fd < 0) {
        errno = EBADMSG;
        die("no fd in the message");
    }
    return fd;
}

static void serve(int fd, const char *out, const char *mode) {
    int err = 0;
    if (strncmp(mode, "errno:", 6) == 0)
        err = atoi(mode + 6);
    else if (strcmp(mode, "continue") != 0) {
        errno = EINVAL;
        die(mode);
    }
    char *logp;
    if (asprintf(&logp, "%s.log", out) < 0)
        die("asprintf");
    FILE *log = fopen(logp, "a");
    if (!log)
        die(logp);
    for (;;) {
        struct seccomp_notif req;
        struct seccomp_notif_resp resp;
        memset(&req, 0, sizeof(req));
        /* POLLHUP once no process is left under the filter (RECV alone would block) */
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        if (poll(&pfd, 1, -1) < 0) {
            if (errno == EINTR)
                continue;
            die("poll");
        }
        if (!(pfd.revents & POLLIN))
            break;
        if (ioctl(fd, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0) {
            if (errno == EINTR)
                continue;
            break; /* ENOENT: no process is left under the filter */
        }
        fprintf(log, "syscall %d\n", req.data.nr);
        fflush(log);
        memset(&resp, 0, sizeof(resp));
        resp.id = req.id;
        if (err) {
            resp.error = -err;
        } else {
            resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
        }
        ioctl(fd, SECCOMP_IOCTL_NOTIF_SEND, &resp); /* ENOENT: the caller died meanwhile */
    }
    fclose(log);
    free(logp);
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: seccomp-agent SOCKET OUT errno:N|continue\n");
        return 2;
    }
    const char *failed = NULL;
    int conn = accept_one(argv[1], &failed);
    if (conn < 0)
        die(failed);
    int fd = receive(conn, argv[2]);
    close(conn);
    serve(fd, argv[2], argv[3]);
    close(fd);
    unlink(argv[1]);
    return 0;
}
