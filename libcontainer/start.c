/* start: release the container process that create left waiting on start.sock. */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "../base/cleanup.h"
#include "../base/log.h"
#include "../base/util.h"
#include "../oci/oci.h"
#include "container.h"
#include "hooks.h"
#include "lifecycle.h"

static int connect_start(const struct statedir *sd, struct error **err) {
    struct sockaddr_un a;
    int r = statedir_socket_addr(sd, "start.sock", &a, err);
    if (r < 0)
        return r;
    _cleanup_close_ int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return error_sys(err, errno, "socket");
    if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0)
        return error_sys(err, errno, "connect to the container process (%s/start.sock)", sd->path);
    return TAKE_FD(fd);
}

/* Go, then wait: EOF means the exec happened; "E<message>" a failure before or at the exec. */
static int release(const struct statedir *sd, struct error **err) {
    _cleanup_close_ int fd = connect_start(sd, err);
    if (fd < 0)
        return fd;
    if (write_all(fd, "S", 1) < 0)
        return error_sys(err, errno, "signal the container process to start");
    char buf[4096];
    ssize_t n = read_all(fd, buf, sizeof(buf) - 1);
    if (n < 0)
        return error_sys(err, errno, "wait for the container process to exec");
    if (n == 0)
        return 0;
    buf[n] = '\0';
    return error_new(err, EINVAL, "%s", buf[0] == 'E' ? buf + 1 : buf);
}

int start_locked(struct statedir *sd, const struct record *rec, const struct oci_spec *spec, struct error **err) {
    enum status st = status_of(sd, rec);
    if (st != STATUS_CREATED)
        return error_new(err, EINVAL, "it is %s, not created", status_name(st));
    if (!rec->has_process)
        return error_new(err, EINVAL, "config.json has no process");
    int r = release(sd, err);
    log_debug("container %s: started: %s", sd->id, r < 0 ? "failed" : "exec done");
    unlinkat(sd->fd, "start.sock", 0);
    if (r >= 0 && spec->hooks[OCI_HOOK_POSTSTART].n) {
        _cleanup_free_ char *state = saved_state_json(sd, rec, "running");
        r = hooks_run(spec, OCI_HOOK_POSTSTART, state, err);
    }
    if (r < 0) {
        struct error *e2 = NULL;
        if (destroy_locked(sd, rec, spec, &e2) < 0) {
            log_warn("%s", e2->msg);
            error_free(e2);
        }
    }
    return r;
}

int container_start(const char *root, const char *id, struct error **err) {
    struct statedir *sd __attribute__((cleanup(statedir_freep))) = NULL;
    struct record rec;
    int r = statedir_open_created(root, id, &sd, &rec, err);
    if (r < 0)
        return r;
    struct oci_spec *spec = NULL;
    r = load_saved_spec(sd, &spec, err);
    if (r >= 0)
        r = start_locked(sd, &rec, spec, err);
    oci_spec_free(spec);
    record_clear(&rec);
    return r < 0 ? error_wrap(err, r, "start container %s", id) : 0;
}
