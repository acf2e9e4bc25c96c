/* SCMP_ACT_NOTIFY: hand the listener fd of the container's filter to the seccomp agent at
 * linux.seccomp.listenerPath, with the container process state (config-linux.md,
 * "containerProcessState"), in one sendmsg on a fresh connection that is closed afterwards. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "../base/cleanup.h"
#include "../base/fdpass.h"
#include "../base/util.h"
#include "../oci/oci.h"
#include "seccomp.h"

static int connect_listener(const char *path, struct error **err) {
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    _cleanup_close_ int dir_fd = -1;
    if (strlen(path) < sizeof(a.sun_path)) {
        strcpy(a.sun_path, path);
    } else { /* too long for sun_path: reach it through an O_PATH descriptor */
        dir_fd = open(path, O_PATH | O_CLOEXEC);
        if (dir_fd < 0)
            return error_sys(err, errno, "open %s", path);
        snprintf(a.sun_path, sizeof(a.sun_path), "/proc/self/fd/%d", dir_fd);
    }
    _cleanup_close_ int sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (sock < 0)
        return error_sys(err, errno, "socket");
    if (connect(sock, (struct sockaddr *)&a, sizeof(a)) < 0)
        return error_sys(err, errno, "connect to %s", path);
    return TAKE_FD(sock);
}

static char *process_state_json(const char *metadata, pid_t pid, const char *state_json) {
    _cleanup_free_ char *meta = metadata ? oci_json_quote(metadata) : NULL;
    return xasprintf("{\"ociVersion\":\"%s\",\"fds\":[\"seccompFd\"],\"pid\":%d,%s%s%s\"state\":%s}",
                     OCI_RUNTIME_SPEC_VERSION, (int)pid, meta ? "\"metadata\":" : "", meta ? meta : "",
                     meta ? "," : "", state_json);
}

int seccomp_listener_send(const char *listener_path, const char *metadata, int fd, pid_t pid,
                          const char *state_json, struct error **err) {
    if (!listener_path)
        return error_new(err, EINVAL, "linux.seccomp.listenerPath: required by the SCMP_ACT_NOTIFY rules");
    int sock = connect_listener(listener_path, err);
    if (sock < 0)
        return error_wrap(err, sock, "linux.seccomp.listenerPath");
    _cleanup_close_ int s = sock;
    _cleanup_free_ char *json = process_state_json(metadata, pid, state_json);
    int r = fd_send(s, fd, json, strlen(json), err);
    if (r < 0)
        return error_wrap(err, r, "linux.seccomp.listenerPath %s: send the seccomp fd with the container process state",
                          listener_path);
    return 0;
}
