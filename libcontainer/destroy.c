/* kill and delete, and the destroy step they share with failed starts. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../base/cleanup.h"
#include "../base/log.h"
#include "../base/util.h"
#include "../cgroups/cgroup.h"
#include "../oci/oci.h"
#include "container.h"
#include "hooks.h"
#include "lifecycle.h"
#include "netsetup.h"

int load_saved_spec(const struct statedir *sd, struct oci_spec **out, struct error **err) {
    _cleanup_free_ char *json = NULL;
    size_t len = 0;
    int r = read_file_at(sd->fd, "config.json", &json, &len, err);
    if (r < 0)
        return error_wrap(err, r, "container %s", sd->id);
    return oci_spec_parse(json, len, out, err);
}

char *saved_state_json(const struct statedir *sd, const struct record *rec, const char *status) {
    _cleanup_free_ char *json = NULL;
    size_t len = 0;
    struct oci_state *st = NULL;
    if (read_file_at(sd->fd, "state.json", &json, &len, NULL) < 0 || oci_state_parse(json, len, &st, NULL) < 0) {
        struct oci_state min = {.oci_version = OCI_RUNTIME_SPEC_VERSION, .id = sd->id, .status = (char *)status, .bundle = rec->bundle};
        return oci_state_to_json(&min, false);
    }
    free(st->status);
    st->status = xstrdup(status);
    st->pid = strcmp(status, "stopped") ? rec->pid : 0;
    char *out = oci_state_to_json(st, false);
    oci_state_free(st);
    return out;
}

int signal_init(const struct record *rec, int sig, struct error **err) {
    _cleanup_close_ int pidfd = (int)syscall(SYS_pidfd_open, rec->pid, 0);
    if (pidfd < 0)
        return error_new(err, ESRCH, "the container process %d is gone", (int)rec->pid);
    unsigned long long st;
    if (proc_start_time(rec->pid, &st) < 0 || st != rec->start_time)
        return error_new(err, ESRCH, "the container process %d is gone", (int)rec->pid);
    if (syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0) < 0)
        return error_sys(err, errno, "send signal %d to %d", sig, (int)rec->pid);
    return 0;
}

/* Wait (up to timeout_ms) until no process is left in the cgroup, signalling SIGKILL again every
 * 100 ms (on v1 without a freezer a fork may have slipped past the first signal). */
static int wait_cgroup_empty(struct cgroup *cg, int timeout_ms, struct error **err) {
    for (int waited = 0; waited <= timeout_ms; waited += 10) {
        _cleanup_free_ pid_t *pids = NULL;
        size_t n = 0;
        if (cgroup_pids(cg, &pids, &n, NULL) < 0 || n == 0)
            return 0;
        if (waited && waited % 100 == 0)
            cgroup_kill(cg, SIGKILL, NULL);
        usleep(10000);
    }
    return error_new(err, EBUSY, "processes of the container survive SIGKILL");
}

/* SIGKILL every process of the cgroup (cgroup_kill: cgroup.kill on v2, frozen around the signal on
 * v1, a paused container thawed so the signal lands) and the init (when known: it may sit outside
 * a cgroup that went missing), then wait (up to 10 s) until they are gone. */
static int kill_everything(const struct record *rec, struct cgroup *cg, struct error **err) {
    if (cg && cgroup_layout(cg) == CGROUP_LAYOUT_NONE)
        cg = NULL; /* no cgroup of its own: the init (and with it a pid namespace of its own) is all */
    if (cg) {
        _cleanup_error_ struct error *e = NULL;
        if (cgroup_kill(cg, SIGKILL, &e) < 0)
            log_warn("kill the processes of the cgroup: %s", e->msg);
    }
    _cleanup_close_ int pidfd = rec ? (int)syscall(SYS_pidfd_open, rec->pid, 0) : -1;
    unsigned long long st;
    if (pidfd >= 0 && proc_start_time(rec->pid, &st) == 0 && st == rec->start_time) {
        syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0);
        struct pollfd p = {.fd = pidfd, .events = POLLIN};
        if (poll(&p, 1, 10000) == 0)
            return error_new(err, ETIMEDOUT, "container process %d did not die after SIGKILL", (int)rec->pid);
    }
    return cg ? wait_cgroup_empty(cg, 10000, err) : 0;
}

int destroy_locked(struct statedir *sd, const struct record *rec, const struct oci_spec *spec, struct error **err) {
    struct cgroup *cg = NULL;
    _cleanup_error_ struct error *cgerr = NULL;
    if (statedir_load_cgroup(sd, &cg, &cgerr) < 0)
        log_warn("container %s: %s", sd->id, cgerr->msg);
    int r = kill_everything(rec, cg, err);
    if (r >= 0 && cg)
        r = cgroup_destroy(cg, err);
    cgroup_free(cg);
    if (r < 0)
        return r;
    netsetup_destroy(sd); /* the host end of its veth pair, a hull-made bridge left without ports */
    _cleanup_free_ char *state = rec ? saved_state_json(sd, rec, "stopped") : NULL;
    if ((r = statedir_remove(sd, err)) < 0)
        return r;
    log_debug("container %s: destroyed", sd->id);
    if (spec && rec)
        hooks_run(spec, OCI_HOOK_POSTSTOP, state, NULL); /* failures are warnings */
    return 0;
}

int container_delete(const char *root, const char *id, bool force, struct error **err) {
    struct statedir *sd __attribute__((cleanup(statedir_freep))) = NULL;
    int r = statedir_open(root, id, &sd, err);
    if (r == -ENOENT && force) {
        if (err) {
            error_free(*err);
            *err = NULL;
        }
        return 0;
    }
    if (r < 0)
        return r;
    struct record rec;
    r = record_read(sd, &rec, err);
    if (r == -ENOENT) /* a create that died half-way: clean up what it left */
        return destroy_locked(sd, NULL, NULL, err);
    if (r < 0)
        return r;
    enum status st = status_of(sd, &rec);
    struct oci_spec *spec = NULL;
    if (st != STATUS_STOPPED && !force)
        r = error_new(err, EBUSY, "it is %s, not stopped (use --force)", status_name(st));
    else if (load_saved_spec(sd, &spec, NULL) < 0)
        log_warn("container %s: saved config.json unreadable; poststop hooks not run", id);
    if (r >= 0)
        r = destroy_locked(sd, &rec, spec, err);
    oci_spec_free(spec);
    record_clear(&rec);
    return r < 0 ? error_wrap(err, r, "delete container %s", id) : 0;
}

/* A paused container's process only receives SIGKILL once thawed (cgroup v1): thaw it, as runc. */
static void thaw_for_sigkill(const struct statedir *sd, int sig) {
    struct cgroup *cg = NULL;
    _cleanup_error_ struct error *e = NULL;
    if (sig != SIGKILL || statedir_load_cgroup(sd, &cg, &e) < 0 || cgroup_freeze(cg, false, &e) < 0)
        if (e)
            log_warn("container %s: thaw after SIGKILL: %s", sd->id, e->msg);
    cgroup_free(cg);
}

/* --all: every process of the cgroup, also when the init is gone (leftovers without a pid
 * namespace), as runc does.  A container without a cgroup of its own: its init (whose death
 * ends a pid namespace of its own). */
static int kill_all(const struct statedir *sd, const struct record *rec, int sig, struct error **err) {
    struct cgroup *cg = NULL;
    int r = statedir_load_cgroup(sd, &cg, err);
    if (r >= 0)
        r = cgroup_layout(cg) == CGROUP_LAYOUT_NONE ? signal_init(rec, sig, err) : cgroup_kill(cg, sig, err);
    cgroup_free(cg);
    return r;
}

int container_kill(const char *root, const char *id, int sig, bool all, struct error **err) {
    struct statedir *sd __attribute__((cleanup(statedir_freep))) = NULL;
    struct record rec;
    int r = statedir_open_created(root, id, &sd, &rec, err);
    if (r < 0)
        return r;
    enum status st = status_of(sd, &rec);
    if (all)
        r = kill_all(sd, &rec, sig, err);
    else if (st == STATUS_STOPPED)
        r = error_new(err, ESRCH, "it is not running");
    else if ((r = signal_init(&rec, sig, err)) >= 0 && st == STATUS_PAUSED)
        thaw_for_sigkill(sd, sig);
    record_clear(&rec);
    return r < 0 ? error_wrap(err, r, "kill container %s", id) : 0;
}
