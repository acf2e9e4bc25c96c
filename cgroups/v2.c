/* cgroup v2: the unified hierarchy (all of a pure-v2 host, or /sys/fs/cgroup/unified on a hybrid one).
 *
 * No internal processes: a cgroup with controllers in cgroup.subtree_control cannot hold
 * processes.  Only the container's leaf ever gets processes, and intermediate directories made
 * here get none; a controller is enabled in the parents' subtree_control when a limit needs it
 * (v2_enable.c), never in the container's own directory.  The operations live in v2_*.c. */
#include "v2_internal.h"

static int v2_create(struct cg_hierarchy *h, struct error **err) {
    return cg_fs_mkdirs(h, NULL, err);
}

static int v2_enter(struct cg_hierarchy *h, pid_t pid, struct error **err) {
    return cg_fs_write_procs(h, pid, err);
}

const struct cg_ops cg_v2_ops = {
    .version = 2,
    .create = v2_create,
    .enter = v2_enter,
    .pids = cg_fs_read_pids,
    .destroy = cg_fs_rmdirs,
    .available = cg_v2_available,
    .enable = cg_v2_enable,
    .apply = cg_v2_apply,
    .apply_unified = cg_v2_apply_unified,
    .set_devices = cg_bpf_set_devices,
    .freeze = cg_v2_freeze,
    .frozen = cg_v2_frozen,
    .kill_all = cg_v2_kill_all,
    .stats = cg_v2_stats,
    .oom_fd = cg_v2_oom_fd,
};
