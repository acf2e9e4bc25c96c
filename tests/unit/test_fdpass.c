/* Unit tests of base/fdpass.h: one descriptor with data over a unix socket (SCM_RIGHTS), as the
 * console socket and the seccomp listener use it. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../base/fdpass.h"
#include "../../base/util.h"
#include "tap.h"

/* The fd received is the one sent: what is written to it comes out of the pipe's read end. */
static int same_pipe(int got, int read_end) {
    char buf[8] = "";
    return write(got, "ping", 4) == 4 && read(read_end, buf, 4) == 4 && memcmp(buf, "ping", 4) == 0;
}

static void test_send_recv(void) {
    int sp[2], pp[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) < 0 || pipe(pp) < 0) {
        ok(0, "socketpair/pipe");
        return;
    }
    struct error *e = NULL;
    int r = fd_send(sp[0], pp[1], "hello", 5, &e);
    ok(r == 0, "fd_send (%s)", e ? e->msg : "");
    int fd = -1;
    char data[16] = "";
    size_t len = 0;
    r = fd_recv(sp[1], &fd, data, sizeof(data) - 1, &len, &e);
    ok(r == 0 && fd >= 0 && fd != pp[1], "fd_recv gets a new descriptor (%d)", fd);
    ok(len == 5 && memcmp(data, "hello", 5) == 0, "and the data sent with it (%zu bytes: %s)", len, data);
    ok(fcntl(fd, F_GETFD) & FD_CLOEXEC, "received close-on-exec");
    ok(same_pipe(fd, pp[0]), "the received fd is the pipe that was sent");
    close(fd);

    r = fd_send(sp[0], pp[1], NULL, 0, &e); /* no data: still one byte, a NUL */
    fd = -1;
    len = 0;
    ok(r == 0 && fd_recv(sp[1], &fd, data, sizeof(data), &len, &e) == 0 && fd >= 0 && len == 1 && data[0] == '\0',
       "an fd without data goes with one NUL byte");
    if (fd >= 0)
        close(fd);

    ok(write(sp[0], "x", 1) == 1, "plain data");
    r = fd_recv(sp[1], &fd, NULL, 0, NULL, &e);
    ok(r == -EBADMSG && e && strstr(e->msg, "no file descriptor"), "a message without fd is an error (%s)",
       e ? e->msg : "-");
    error_free(e), e = NULL;

    close(sp[0]);
    r = fd_recv(sp[1], &fd, NULL, 0, NULL, &e);
    ok(r == -ECONNRESET && e, "fd_recv at EOF is an error (%s)", e ? e->msg : "-");
    error_free(e), e = NULL;
    r = fd_send(sp[1], pp[1], "x", 1, &e);
    ok(r == -EPIPE && e && strstr(e->msg, "SCM_RIGHTS"), "fd_send to a closed peer: an error, no SIGPIPE (%s)",
       e ? e->msg : "-");
    error_free(e);
    close(sp[1]), close(pp[0]), close(pp[1]);
}

/* Data larger than the socket buffer (a seccomp agent's container process state can be): the fd
 * comes with the first part, all of it arrives, in order. */
static void test_large_data(void) {
    int sp[2], pp[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) < 0 || pipe(pp) < 0) {
        ok(0, "socketpair/pipe");
        return;
    }
    int sndbuf = 4096;
    setsockopt(sp[0], SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
    size_t big = 1 << 20;
    char *data = xmalloc(big);
    for (size_t i = 0; i < big; i++)
        data[i] = (char)('a' + i % 26);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        close(sp[1]);
        struct error *e = NULL;
        _exit(fd_send(sp[0], pp[1], data, big, &e) == 0 ? 0 : 1);
    }
    close(sp[0]);
    char *got = xmalloc(big);
    int fd = -1;
    size_t len = 0;
    struct error *e = NULL;
    int r = fd_recv(sp[1], &fd, got, big, &len, &e);
    ok(r == 0 && fd >= 0 && len > 0 && len < big, "1 MiB of data: the fd comes with the first %zu bytes (%s)", len,
       e ? e->msg : "");
    ssize_t rest = read_all(sp[1], got + len, big - len);
    int st = -1;
    waitpid(pid, &st, 0);
    ok(WIFEXITED(st) && WEXITSTATUS(st) == 0, "fd_send returned success");
    ok(rest >= 0 && len + (size_t)rest == big && memcmp(got, data, big) == 0, "and all of it arrives, in order");
    ok(fd >= 0 && same_pipe(fd, pp[0]), "the fd is the pipe that was sent");
    if (fd >= 0)
        close(fd);
    free(got), free(data);
    close(sp[1]), close(pp[0]), close(pp[1]);
}

int main(void) {
    test_send_recv();
    test_large_data();
    return tap_done();
}
