/* recvtty SOCKET OUTPUT [INPUT]: a --console-socket receiver for the tests (like runc's recvtty).
 *
 * Listens on the unix socket SOCKET, accepts one connection, receives the pty master with
 * SCM_RIGHTS (the message's payload, the pty's name, goes to OUTPUT.name), writes INPUT to the
 * master if given, then copies everything the container writes to its terminal into OUTPUT until
 * the last slave closes (EIO).  Exits 0 on success, 1 with a message on stderr otherwise.
 * Compiled on demand by helpers.bash (build_helper recvtty). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "sock.h"

static void die(const char *what) {
    fprintf(stderr, "recvtty: %s: %s\n", what, strerror(errno));
    exit(1);
}

/* One message with one fd; its payload (the pty name) into name. */
static int receive_fd(int conn, char *name, size_t name_len) {
    char cbuf[CMSG_SPACE(sizeof(int))];
    struct iovec iov = {.iov_base = name, .iov_len = name_len - 1};
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf)};
    memset(name, 0, name_len);
    ssize_t n = recvmsg(conn, &msg, MSG_CMSG_CLOEXEC);
    if (n < 0)
        die("recvmsg");
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    if (!c || c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS || c->cmsg_len != CMSG_LEN(sizeof(int))) {
        fprintf(stderr, "recvtty: the message carried no file descriptor\n");
        exit(1);
    }
    int fd;
    memcpy(&fd, CMSG_DATA(c), sizeof(int));
    return fd;
}

static void write_all(int fd, const char *buf, size_t len) {
    while (len > 0) {
        ssize_t w = write(fd, buf, len);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            die("write");
        }
        buf += w;
        len -= (size_t)w;
    }
}

int main(int argc, char **argv) {
    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: recvtty SOCKET OUTPUT [INPUT]\n");
        return 2;
    }
    int out = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (out < 0)
        die(argv[2]);
    const char *failed = NULL;
    int conn = accept_one(argv[1], &failed);
    if (conn < 0)
        die(failed);
    char name[256];
    int master = receive_fd(conn, name, sizeof(name));
    close(conn);

    char *name_path;
    if (asprintf(&name_path, "%s.name", argv[2]) < 0)
        die("asprintf");
    int nf = open(name_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (nf < 0)
        die(name_path);
    write_all(nf, name, strlen(name));
    write_all(nf, "\n", 1);
    close(nf);

    if (argc == 4)
        write_all(master, argv[3], strlen(argv[3]));

    char buf[4096];
    for (;;) {
        ssize_t n = read(master, buf, sizeof(buf));
        if (n == 0 || (n < 0 && errno == EIO))
            break; /* every slave is closed: the container is gone */
        if (n < 0) {
            if (errno == EINTR)
                continue;
            die("read from the pty master");
        }
        write_all(out, buf, (size_t)n);
    }
    return 0;
}
