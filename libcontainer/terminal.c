/* The container's pty, the console socket (runc's protocol) and the relay helpers of `hull run`. */
#include "terminal.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "../base/cleanup.h"
#include "../base/fdpass.h"
#include "../base/util.h"

/* The name runc (libcontainer/console via containerd/console) sends with the master: the path the
 * master was opened from.  Consumers (containerd, conmon, recvtty) only use the fd. */
#define PTY_MASTER_NAME "/dev/ptmx"

static int set_size(int fd, unsigned rows, unsigned cols, struct error **err) {
    if (!rows && !cols)
        return 0;
    struct winsize ws = {0};
    if (ioctl(fd, TIOCGWINSZ, &ws) < 0)
        return error_sys(err, errno, "TIOCGWINSZ");
    if (rows)
        ws.ws_row = (unsigned short)rows;
    if (cols)
        ws.ws_col = (unsigned short)cols;
    if (ioctl(fd, TIOCSWINSZ, &ws) < 0)
        return error_sys(err, errno, "process.consoleSize: TIOCSWINSZ %ux%u", rows, cols);
    return 0;
}

/* The peer through the master (TIOCGPTPEER, Linux 4.13) so that no path lookup can be raced;
 * the path as the fallback. */
static int open_peer(int master, const char *path, struct error **err) {
    int fd = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd >= 0)
        return fd;
    if (errno != EINVAL && errno != ENOTTY)
        return error_sys(err, errno, "TIOCGPTPEER");
    fd = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return error_sys(err, errno, "open %s", path);
    return fd;
}

int terminal_open_pty(unsigned rows, unsigned cols, int *master, int *slave, char **slave_path, struct error **err) {
    _cleanup_close_ int m = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC); /* /dev/ptmx of the current root */
    if (m < 0)
        return error_sys(err, errno, "open /dev/ptmx");
    if (grantpt(m) < 0)
        return error_sys(err, errno, "grantpt");
    if (unlockpt(m) < 0)
        return error_sys(err, errno, "unlockpt");
    char name[128];
    int e = ptsname_r(m, name, sizeof(name));
    if (e != 0)
        return error_sys(err, e, "ptsname");
    int r = set_size(m, rows, cols, err);
    if (r < 0)
        return r;
    int s = open_peer(m, name, err);
    if (s < 0)
        return s;
    *slave = s;
    *slave_path = xstrdup(name);
    *master = TAKE_FD(m);
    return 0;
}

int terminal_become_controlling(int slave, struct error **err) {
    if (setsid() < 0 && getsid(0) != getpid())
        return error_sys(err, errno, "setsid");
    if (ioctl(slave, TIOCSCTTY, 0) < 0)
        return error_sys(err, errno, "TIOCSCTTY (make the pty the controlling terminal)");
    for (int fd = 0; fd < 3; fd++)
        if (slave != fd && dup2(slave, fd) < 0)
            return error_sys(err, errno, "dup2 the pty onto fd %d", fd);
    if (slave < 3 && fd_set_cloexec(slave, false) < 0)
        return error_sys(err, errno, "clear close-on-exec on fd %d", slave);
    return 0;
}

int terminal_send_to_console_socket(const char *socket_path, int master, struct error **err) {
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    if (strlen(socket_path) >= sizeof(addr.sun_path))
        return error_new(err, ENAMETOOLONG, "console socket %s: path longer than %zu bytes", socket_path,
                         sizeof(addr.sun_path) - 1);
    strcpy(addr.sun_path, socket_path);
    _cleanup_close_ int sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (sock < 0)
        return error_sys(err, errno, "console socket: socket");
    if (connect(sock, (struct sockaddr *)&addr, sizeof(addr)) < 0)
        return error_sys(err, errno, "connect to the console socket %s", socket_path);
    int r = fd_send(sock, master, PTY_MASTER_NAME, strlen(PTY_MASTER_NAME), err);
    return r < 0 ? error_wrap(err, r, "console socket %s", socket_path) : 0;
}

int terminal_make_raw(int fd, struct termios *saved, bool *changed) {
    *changed = false;
    if (!isatty(fd))
        return 0;
    if (tcgetattr(fd, saved) < 0)
        return -errno;
    struct termios raw = *saved;
    cfmakeraw(&raw);
    if (tcsetattr(fd, TCSANOW, &raw) < 0)
        return -errno;
    *changed = true;
    return 0;
}

void terminal_restore(int fd, const struct termios *saved) { (void)tcsetattr(fd, TCSANOW, saved); }

/* write_all, but waiting for a non-blocking fd to take more. */
static ssize_t write_fully(int fd, const char *buf, size_t n) {
    size_t done = 0;
    while (done < n) {
        ssize_t w = write(fd, buf + done, n - done);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN) {
                struct pollfd p = {.fd = fd, .events = POLLOUT};
                if (poll(&p, 1, -1) < 0 && errno != EINTR)
                    return -errno;
                continue;
            }
            return -errno;
        }
        done += (size_t)w;
    }
    return (ssize_t)done;
}

ssize_t terminal_copy_once(int from, int to) {
    char buf[32768];
    ssize_t n;
    while ((n = read(from, buf, sizeof(buf))) < 0 && errno == EINTR)
        ;
    if (n < 0)
        return errno == EIO ? 0 : -errno; /* EIO: the other side of a pty hung up, an EOF */
    if (n == 0)
        return 0;
    ssize_t w = write_fully(to, buf, (size_t)n);
    return w < 0 ? w : n;
}

int terminal_copy_size(int from_tty, int pty) {
    struct winsize ws;
    if (ioctl(from_tty, TIOCGWINSZ, &ws) < 0)
        return -errno;
    if (ioctl(pty, TIOCSWINSZ, &ws) < 0)
        return -errno;
    return 0;
}

int terminal_open_pty_for(const struct oci_process *p, int *master, int *slave, char **slave_path, struct error **err) {
    return terminal_open_pty(p->has_console_size ? p->console_height : 0, p->has_console_size ? p->console_width : 0,
                             master, slave, slave_path, err);
}
