/* Unit tests of libcontainer/terminal.h: the pty pair (host /dev/ptmx, in a child), the console
 * socket protocol, raw mode and the relay helpers (fd passing itself: test_fdpass.c). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../base/util.h"
#include "../../libcontainer/terminal.h"
#include "tap.h"

static char tmpdir[64];

/* In a child (it becomes a session leader): open a pty, check it, make it the controlling tty. */
static void pty_child(int out) {
    int master = -1, slave = -1;
    char *path = NULL;
    struct error *e = NULL;
    if (terminal_open_pty(24, 80, &master, &slave, &path, &e) < 0) {
        dprintf(out, "error: %s", e->msg);
        _exit(0);
    }
    struct winsize ws = {0};
    ioctl(slave, TIOCGWINSZ, &ws);
    int ptn = -1;
    ioctl(master, TIOCGPTN, &ptn);
    char want[64];
    snprintf(want, sizeof(want), "/dev/pts/%d", ptn);
    dprintf(out, "size=%ux%u path_ok=%d cloexec=%d,%d ", ws.ws_row, ws.ws_col, strcmp(path, want) == 0,
            (fcntl(master, F_GETFD) & FD_CLOEXEC) != 0, (fcntl(slave, F_GETFD) & FD_CLOEXEC) != 0);
    if (terminal_become_controlling(slave, &e) < 0) {
        dprintf(out, "error: %s", e->msg);
        _exit(0);
    }
    char name[64] = "";
    ttyname_r(0, name, sizeof(name));
    dprintf(out, "ctty=%d tty0=%d sid=%d ", tcgetpgrp(0) == getpid(), strcmp(name, path) == 0, getsid(0) == getpid());
    /* what the process writes to stdout comes out of the master (ONLCR: "\r\n") */
    (void)!write(1, "hi\n", 3);
    char buf[16] = "";
    ssize_t n = read(master, buf, sizeof(buf) - 1);
    dprintf(out, "echo=%d", n == 4 && memcmp(buf, "hi\r\n", 4) == 0);
    _exit(0);
}

static void test_pty(void) {
    int p[2];
    if (pipe(p) < 0)
        return;
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        close(p[0]);
        pty_child(p[1]);
    }
    close(p[1]);
    char buf[512] = "";
    read_all(p[0], buf, sizeof(buf) - 1);
    close(p[0]);
    waitpid(pid, NULL, 0);
    ok(strcmp(buf, "size=24x80 path_ok=1 cloexec=1,1 ctty=1 tty0=1 sid=1 echo=1") == 0,
       "pty: size set, /dev/pts/N, controlling tty on 0-2 (%s)", buf);
}

/* The console socket: what a runc consumer (recvtty, containerd) receives. */
static void test_console_socket(void) {
    char *path = xasprintf("%s/console.sock", tmpdir);
    int l = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", path);
    if (l < 0 || bind(l, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(l, 1) < 0) {
        ok(0, "listen on %s", path);
        return;
    }
    int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    struct error *e = NULL;
    int r = terminal_send_to_console_socket(path, master, &e);
    ok(r == 0, "send the master to the console socket (%s)", e ? e->msg : "");
    int c = accept(l, NULL, NULL);
    char data[4097] = "";
    char ctl[CMSG_SPACE(sizeof(int))];
    struct iovec iov = {.iov_base = data, .iov_len = sizeof(data) - 1};
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl, .msg_controllen = sizeof(ctl)};
    ssize_t n = recvmsg(c, &msg, 0);
    struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);
    int fd = -1;
    if (cm && cm->cmsg_type == SCM_RIGHTS)
        memcpy(&fd, CMSG_DATA(cm), sizeof(int));
    ok(n == 9 && strcmp(data, "/dev/ptmx") == 0, "the payload is runc's: the master's name \"/dev/ptmx\" (%s)", data);
    int ptn_sent = -1, ptn_got = -2;
    ioctl(master, TIOCGPTN, &ptn_sent);
    ioctl(fd, TIOCGPTN, &ptn_got);
    ok(fd >= 0 && ptn_got == ptn_sent, "the fd received is the pty master (pts %d)", ptn_got);
    if (fd >= 0)
        close(fd);
    close(c), close(l), close(master);
    unlink(path);

    r = terminal_send_to_console_socket(path, 0, &e);
    ok(r == -ENOENT && e && strstr(e->msg, "connect to the console socket"), "a missing console socket (%s)",
       e ? e->msg : "-");
    error_free(e);
    free(path);
}

static void test_raw_and_copy(void) {
    int pp[2];
    if (pipe(pp) < 0)
        return;
    struct termios saved;
    bool changed = true;
    ok(terminal_make_raw(pp[0], &saved, &changed) == 0 && !changed, "raw mode on a pipe: a no-op");

    int m = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    grantpt(m), unlockpt(m);
    int s = open(ptsname(m), O_RDWR | O_NOCTTY | O_CLOEXEC);
    struct termios t;
    ok(terminal_make_raw(s, &saved, &changed) == 0 && changed && tcgetattr(s, &t) == 0 && !(t.c_lflag & ICANON) &&
           !(t.c_lflag & ECHO),
       "raw mode on a tty: no ICANON, no ECHO");
    terminal_restore(s, &saved);
    ok(tcgetattr(s, &t) == 0 && (t.c_lflag & ICANON), "restored: ICANON again");

    ok(write(pp[1], "abc\n", 4) == 4 && terminal_copy_once(pp[0], m) == 4, "copy_once copies what one read gives");
    char buf[8] = "";
    ok(read(s, buf, 4) == 4 && memcmp(buf, "abc\n", 4) == 0, "and it arrives on the other side");
    close(pp[1]);
    ok(terminal_copy_once(pp[0], m) == 0, "copy_once at EOF: 0");
    close(s);
    /* the master first gives the echo of "abc\n", then EIO since the slave is gone */
    int dn = open("/dev/null", O_WRONLY | O_CLOEXEC);
    ssize_t n, total = 0;
    for (int i = 0; i < 10 && (n = terminal_copy_once(m, dn)) > 0; i++)
        total += n;
    ok(n == 0 && total == 5, "a pty master whose slave hung up (EIO): 0, an EOF (after %zd bytes of echo)", total);
    close(dn);

    int m2 = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    grantpt(m2), unlockpt(m2);
    int s2 = open(ptsname(m2), O_RDWR | O_NOCTTY | O_CLOEXEC);
    struct winsize ws = {.ws_row = 33, .ws_col = 111}, got = {0};
    ioctl(s2, TIOCSWINSZ, &ws);
    ok(terminal_copy_size(s2, m) == 0 && ioctl(m, TIOCGWINSZ, &got) == 0 && got.ws_row == 33 && got.ws_col == 111,
       "copy_size copies the window size");
    ok(terminal_copy_size(pp[0], m) == -ENOTTY, "copy_size from a pipe: -ENOTTY");
    close(m), close(m2), close(s2), close(pp[0]);
}

int main(void) {
    snprintf(tmpdir, sizeof(tmpdir), "/tmp/hull-test-term-XXXXXX");
    if (!mkdtemp(tmpdir)) {
        ok(0, "mkdtemp");
        return tap_done();
    }
    test_pty();
    test_console_socket();
    test_raw_and_copy();
    ok(rmdir(tmpdir) == 0, "temporary directory removed");
    return tap_done();
}
