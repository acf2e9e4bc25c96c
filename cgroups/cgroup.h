/* cgroups/: one interface over cgroup v1, v2 and hybrid hosts.  The backend is chosen once, at
 * cgroup_create() / cgroup_load(), from /proc/self/mountinfo; callers never branch on the version.
 *
 * Placement rules (issue 2):
 *   - linux.cgroupsPath absolute ("/a/b"): taken from each hierarchy's root;
 *   - relative ("a/b") or absent: nested under the caller's own cgroup in each hierarchy
 *     (/proc/self/cgroup); absent uses the container id as the last component;
 *   - systemd form "slice:prefix:name": a clear error (no systemd here).
 *   On a hybrid host every mounted v1 hierarchy (including name=systemd) and the unified one are
 *   used; on a pure v2 host just the unified one. */
#ifndef HULL_CGROUPS_CGROUP_H
#define HULL_CGROUPS_CGROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "../base/error.h"
#include "../oci/spec.h"

struct cgroup;

enum cgroup_layout { CGROUP_LAYOUT_UNIFIED, CGROUP_LAYOUT_HYBRID, CGROUP_LAYOUT_LEGACY, CGROUP_LAYOUT_NONE };

/* Create the container's cgroup directories (recording which ones it created, so that destroy
 * removes those and nothing else).  An existing directory is reused, not an error. */
int cgroup_create(const char *cgroups_path, const char *id, struct cgroup **out, struct error **err);

/* `--cgroup-manager disabled`: no cgroup of its own; the container stays in its creator's.  Layout
 * CGROUP_LAYOUT_NONE, no hierarchy: enter, destroy and device rules do nothing; resources,
 * freeze, kill, pids, stats and the OOM fd are errors saying why ("the container has no cgroup
 * of its own (created with --cgroup-manager disabled)"). */
void cgroup_create_none(struct cgroup **out);

enum cgroup_layout cgroup_layout(const struct cgroup *cg);

/* An O_RDONLY|O_DIRECTORY fd of the v2 directory, for clone3(CLONE_INTO_CGROUP), or -1 where the
 * host is not pure v2.  Owned by the cgroup object. */
int cgroup_v2_fd(const struct cgroup *cg);

/* Move pid into the container's cgroup on every hierarchy; skip_v2 when it was cloned into it. */
int cgroup_enter(struct cgroup *cg, pid_t pid, bool skip_v2, struct error **err);

/* Apply linux.resources: every field present in r is written, absent ones are left alone, so
 * the same call serves create and `update` (a partial document changes only what it names).
 * r->devices is not applied here (see cgroup_apply_devices).  Each controller is driven on the
 * hierarchy that has it: a v1 hierarchy when one is mounted with it, else the unified one (where
 * hull first enables it in the cgroup.subtree_control of each directory from the caller's cgroup
 * down).  A field no hierarchy can apply is an error naming it; `memory.kernel` (gone from the
 * kernel) and `memory.kernelTCP` on v2 are ignored with a warning, as runc does.
 * v1 values are converted on v2 (shares → cpu.weight, blkio weight → io.weight / io.bfq.weight,
 * swap → memory.swap.max = swap - limit, ...). */
int cgroup_apply(struct cgroup *cg, const struct oci_resources *r, struct error **err);

/* One device cgroup rule; major/minor -1 = any; access a subset of "rwm". */
struct cgroup_device_rule {
    bool allow;
    char type; /* 'a', 'c', 'b' */
    int64_t major, minor;
    char access[4];
};

/* The rules a container gets: deny everything; allow the OCI default devices (null, zero, full,
 * random, urandom, tty, console, ptmx, pts/N) and every linux.devices entry; then
 * linux.resources.devices in order (so a spec rule overrides a default).  Later rules win. */
void cgroup_device_rules(const struct oci_linux *lx, struct cgroup_device_rule **rules, size_t *n);

/* Install device rules: devices.deny/devices.allow on v1; on v2 a BPF_PROG_TYPE_CGROUP_DEVICE
 * program hull builds, attached to the container's cgroup (replacing the one attached before). */
int cgroup_set_devices(struct cgroup *cg, const struct cgroup_device_rule *rules, size_t n, struct error **err);

/* Freeze (waiting until every task is frozen) or thaw: freezer.state on v1, cgroup.freeze on v2. */
int cgroup_freeze(struct cgroup *cg, bool frozen, struct error **err);
/* Whether the container's cgroup is frozen (a missing freezer = not frozen). */
int cgroup_frozen(const struct cgroup *cg, bool *frozen, struct error **err);

/* Send sig to every process in the cgroup.  SIGKILL on v2 writes cgroup.kill; otherwise each
 * pid is signalled with the cgroup frozen (where a freezer exists) so that nothing forks past the
 * signal, then thawed. */
int cgroup_kill(struct cgroup *cg, int sig, struct error **err);

/* Statistics, in the shape runc's `events` prints them.  Absent values stay 0 / not has_*. */
struct cgroup_blkio_entry {
    uint64_t major, minor;
    char op[16]; /* "Read", "Write", "Sync", "Async", "Discard", "Total" ("" for v1 sectors/time) */
    uint64_t value;
};
struct cgroup_hugetlb_stats {
    char page_size[16]; /* "2MB" */
    uint64_t usage, max, failcnt;
};
struct cgroup_memory_data {
    uint64_t usage, max, failcnt, limit;
};
struct cgroup_stats {
    bool has_cpu;
    struct {
        uint64_t total, kernel, user; /* nanoseconds */
        uint64_t *percpu;
        size_t n_percpu;
        uint64_t periods, throttled_periods, throttled_time;
    } cpu;

    bool has_memory;
    struct {
        uint64_t cache;
        struct cgroup_memory_data usage, swap, kernel, kernel_tcp;
        bool use_hierarchy;
        struct oci_key_value *raw; /* memory.stat, as written */
        size_t n_raw;
        uint64_t oom_kill; /* OOM kills so far (memory.events / memory.oom_control) */
    } memory;

    bool has_pids;
    struct {
        uint64_t current, limit; /* limit 0 = unlimited */
    } pids;

    bool has_blkio;
    struct {
        struct cgroup_blkio_entry *service_bytes, *serviced;
        size_t n_service_bytes, n_serviced;
    } blkio;

    struct cgroup_hugetlb_stats *hugetlb;
    size_t n_hugetlb;
};
int cgroup_stats(const struct cgroup *cg, struct cgroup_stats *st, struct error **err);
void cgroup_stats_clear(struct cgroup_stats *st);

/* A file descriptor that becomes readable when the memory controller records an event (an OOM
 * kill among them): an eventfd registered on memory.oom_control on v1, an inotify watch of
 * memory.events on v2.  After it fires, compare cgroup_stats().memory.oom_kill.  -ENOENT when
 * there is no memory controller. */
int cgroup_oom_fd(const struct cgroup *cg, int *fd, struct error **err);

/* Every pid in the container's cgroup (from the first hierarchy that has it). */
int cgroup_pids(const struct cgroup *cg, pid_t **pids, size_t *n, struct error **err);

/* Remove the directories cgroup_create() made, deepest first, on every hierarchy.  Waits briefly
 * for a dying cgroup to empty (EBUSY).  Missing directories are fine. */
int cgroup_destroy(struct cgroup *cg, struct error **err);

/* The path inside each hierarchy (e.g. "/process_api/abc/c1"), for state and messages. */
const char *cgroup_path(const struct cgroup *cg);

/* Persist in the state directory and load back (a few text lines). */
char *cgroup_serialize(const struct cgroup *cg);
int cgroup_load(const char *serialized, struct cgroup **out, struct error **err);

void cgroup_free(struct cgroup *cg);

#endif
