/* sock.h: the listening side of the test helpers' unix sockets (recvtty's --console-socket,
 * seccomp-agent's listenerPath).  Header-only: build_helper compiles each helper from its one .c,
 * which finds this file beside it. */
#ifndef HULL_TEST_HELPERS_SOCK_H
#define HULL_TEST_HELPERS_SOCK_H

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/* Listen on the unix stream socket at path (a stale socket file there is replaced), take one
 * connection, stop listening.  Returns the connection (close-on-exec), or -1 with errno set and
 * *failed naming the step that failed. */
static int accept_one(const char *path, const char **failed) {
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof(addr.sun_path)) {
        *failed = "the socket path is too long";
        errno = ENAMETOOLONG;
        return -1;
    }
    strcpy(addr.sun_path, path);
    int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s < 0) {
        *failed = "socket";
        return -1;
    }
    unlink(path);
    int conn = -1;
    if (bind(s, (struct sockaddr *)&addr, sizeof(addr)) < 0)
        *failed = "bind";
    else if (listen(s, 1) < 0)
        *failed = "listen";
    else if ((conn = accept4(s, NULL, NULL, SOCK_CLOEXEC)) < 0)
        *failed = "accept";
    int e = errno;
    close(s);
    errno = e;
    return conn;
}

#endif
