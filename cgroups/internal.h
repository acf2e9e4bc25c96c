/* cgroups/ internals: the hierarchy model, the per-version operations table, detection and the
 * filesystem helpers the backends share.  Only the files of cgroups/ and tests/unit/test_cgroups.c include
 * this; everyone else uses cgroup.h.
 *
 * Every hierarchy is reached through a directory fd of its mount point and paths relative to it,
 * so a unit test can point a hierarchy at a temporary directory (cg_create_from). */
#ifndef HULL_CGROUPS_INTERNAL_H
#define HULL_CGROUPS_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "../base/error.h"
#include "../oci/spec.h"
#include "cgroup.h"

struct cg_hierarchy;

/* The controllers hull drives.  Each is owned by one hierarchy of a container (cg_owner()). */
enum cg_controller {
    CG_CPU,     /* v1 cpu; v2 cpu */
    CG_CPUACCT, /* v1 cpuacct (statistics); v2: cpu.stat, always there */
    CG_CPUSET,
    CG_MEMORY,
    CG_PIDS,
    CG_BLKIO,   /* v1 blkio; v2 io */
    CG_HUGETLB,
    CG_NET_CLS, /* v1 only */
    CG_NET_PRIO, /* v1 only */
    CG_RDMA,
    CG_DEVICES, /* v1 devices; v2 a BPF program (always possible) */
    CG_FREEZER, /* v1 freezer; v2 cgroup.freeze (always there) */
    CG__COUNT
};

/* "cpu", "cpuacct", ..., the v1 name. */
const char *cg_controller_v1_name(enum cg_controller c);
/* "cpu", "io", ..., the v2 name; NULL where v2 has no controller file for it (cpuacct, devices,
 * freezer: built in; net_cls, net_prio: none). */
const char *cg_controller_v2_name(enum cg_controller c);

/* What differs between cgroup v1 and v2, one table each (v1*.c, v2*.c).  Every operation acts on
 * h->path.  An operation a version lacks is NULL. */
struct cg_ops {
    int version; /* 1 or 2 */
    /* Make h->path (recording what was created in h->created). */
    int (*create)(struct cg_hierarchy *h, struct error **err);
    int (*enter)(struct cg_hierarchy *h, pid_t pid, struct error **err);
    int (*pids)(const struct cg_hierarchy *h, pid_t **pids, size_t *n, struct error **err);
    /* Remove h->created, deepest first. */
    int (*destroy)(struct cg_hierarchy *h, struct error **err);

    /* v2: whether controller c can be used here (listed in cgroup.controllers of the caller's
     * cgroup, h->own; cpuacct/devices/freezer always true; net_cls/net_prio false).  v1: NULL,
     * ownership there is by mount options. */
    bool (*available)(const struct cg_hierarchy *h, enum cg_controller c);
    /* v2: enable c in cgroup.subtree_control of h->own and of every directory below it down to
     * the parent of h->path (no-op for built-ins).  v1: NULL. */
    int (*enable)(struct cg_hierarchy *h, enum cg_controller c, struct error **err);
    /* Write the fields of r that controller c covers (present ones only) to h->path.  Errors
     * name the field (linux.resources.memory.limit) and the file.  Not called for CG_DEVICES,
     * CG_FREEZER, CG_CPUACCT.  `unified` is applied by apply_unified (v2 only). */
    int (*apply)(struct cg_hierarchy *h, enum cg_controller c, const struct oci_resources *r,
                 struct error **err);
    /* v2 only: linux.resources.unified, validated (a key is "<controller>.<name>" or
     * "cgroup.<name>", no '/', controller available and enabled here). */
    int (*apply_unified)(struct cg_hierarchy *h, const struct oci_key_value *kv, size_t n, struct error **err);
    int (*set_devices)(struct cg_hierarchy *h, const struct cgroup_device_rule *rules, size_t n,
                       struct error **err);
    /* Freeze / thaw and wait for the state to settle; read it. */
    int (*freeze)(struct cg_hierarchy *h, bool frozen, struct error **err);
    int (*frozen)(const struct cg_hierarchy *h, bool *frozen, struct error **err);
    /* v2: write cgroup.kill (-ENOTSUP when the kernel lacks it).  v1: NULL. */
    int (*kill_all)(struct cg_hierarchy *h, struct error **err);
    /* Fill the part of st that controller c covers. */
    int (*stats)(const struct cg_hierarchy *h, enum cg_controller c, struct cgroup_stats *st, struct error **err);
    /* See cgroup_oom_fd(); called on the memory owner. */
    int (*oom_fd)(const struct cg_hierarchy *h, int *fd, struct error **err);
};

/* v2 device rules (bpf_devices.c): build a BPF_PROG_TYPE_CGROUP_DEVICE program from the rules
 * (the last matching rule decides; no match denies), load it, attach it to h->path with
 * BPF_F_ALLOW_MULTI, then detach every other program attached there before (a previous
 * set_devices), so the swap leaves no window without a filter. */
int cg_bpf_set_devices(struct cg_hierarchy *h, const struct cgroup_device_rule *rules, size_t n,
                       struct error **err);

extern const struct cg_ops cg_v1_ops;
extern const struct cg_ops cg_v2_ops;

/* One mounted hierarchy the container uses. */
struct cg_hierarchy {
    const struct cg_ops *ops;
    char *mount_point; /* "/sys/fs/cgroup/memory" */
    char *controllers; /* sorted, comma-joined: "cpu,cpuacct", "name=systemd"; "" for v2 */
    char *own;         /* the caller's cgroup, relative to the mount point ("/" at its root) */
    char *path;        /* the container's cgroup, relative to the mount point: "/a/b/id" */
    char **created;    /* directories create() made, top-down, relative to the mount point */
    int mount_fd;      /* O_PATH|O_DIRECTORY of mount_point */
};

struct cgroup {
    enum cgroup_layout layout;
    struct cg_hierarchy *h;
    size_t n;
    int v2_fd; /* the container's v2 directory on a unified layout; -1 otherwise */
};

/* The hierarchy that drives controller c: the v1 hierarchy mounted with it, else the unified
 * hierarchy when ops->available says so, else NULL. */
struct cg_hierarchy *cg_owner(const struct cgroup *cg, enum cg_controller c);

/* 0, or for a container without a cgroup (CGROUP_LAYOUT_NONE) an ENOTSUP error "WHAT: the
 * container has no cgroup of its own (...)". */
int cg_no_cgroup(const struct cgroup *cg, const char *what, struct error **err);

/* ---- detection (detect.c): pure functions over file contents, for unit tests ---- */

/* A cgroup or cgroup2 entry of /proc/self/mountinfo. */
struct cg_mount {
    int version;
    char *mount_point; /* unescaped */
    char *root;        /* the hierarchy path mounted there (unescaped), usually "/" */
    char *options;     /* the super options as written: "rw,cpu,cpuacct" */
    char *controllers; /* v1: known controllers and name=X from options, sorted; v2: "" */
};

/* A line of /proc/<pid>/cgroup. */
struct cg_proc_entry {
    int version;       /* 2 for "0::path" */
    char *controllers; /* sorted, comma-joined; "" for v2 */
    char *path;
};

int cg_parse_mountinfo(const char *text, struct cg_mount **out, size_t *n, struct error **err);
void cg_mounts_free(struct cg_mount *m, size_t n);
int cg_parse_proc_cgroup(const char *text, struct cg_proc_entry **out, size_t *n, struct error **err);
void cg_proc_entries_free(struct cg_proc_entry *e, size_t n);

/* The hierarchies to use: each /proc/self/cgroup entry matched with a mount that shows the
 * caller's cgroup, in mountinfo order, with mount_point, controllers, own and ops filled (no fd,
 * no path yet).  Fails when none matches. */
int cg_detect(const char *mountinfo, const char *proc_cgroup, struct cg_hierarchy **out, size_t *n,
              enum cgroup_layout *layout, struct error **err);

/* The layout of a set of hierarchies: only v2 = unified, only v1 = legacy, both = hybrid. */
enum cgroup_layout cg_layout_of(const struct cg_hierarchy *h, size_t n);
const char *cg_layout_name(enum cgroup_layout l);
int cg_layout_from_name(const char *s, enum cgroup_layout *out);

/* ---- paths (path.c) ---- */

/* The container's cgroup in one hierarchy, relative to its mount point, normalized ("/a/b"):
 * absolute cgroups_path as is; relative under `own`; NULL or "" → own + "/" + id.  Errors name
 * linux.cgroupsPath for "..", the systemd "a:b:c" form and the hierarchy root. */
int cg_compute_path(const char *cgroups_path, const char *id, const char *own, char **out,
                    struct error **err);
/* a == b or a is an ancestor of b (both normalized). */
bool cg_path_contains(const char *a, const char *b);

/* ---- the object (cgroup.c) ---- */

/* cgroup_create() over given hierarchies (detected, or fake ones in a unit test).  Takes
 * ownership of h (mount_point, controllers, own, ops set; mount_fd opened here). */
int cg_create_from(struct cg_hierarchy *h, size_t n, const char *cgroups_path, const char *id,
                   struct cgroup **out, struct error **err);
int cg_open_mount(struct cg_hierarchy *h, struct error **err);
/* On a unified layout, open the container's v2 directory into cg->v2_fd (ENOENT tolerated when
 * missing_ok); a no-op otherwise. */
int cg_open_v2_dir(struct cgroup *cg, bool missing_ok, struct error **err);
void cg_hierarchy_clear(struct cg_hierarchy *h);

/* ---- filesystem helpers the backends share (fs.c) ---- */

/* "a/b" for openat() from a path relative to the mount point ("/a/b"); "." for "/". */
const char *cg_rel(const char *path);
/* mkdir every missing component of h->path, recording each made one in h->created; calls
 * made(h, dir) right after each mkdir (v1 cpuset uses it). */
int cg_fs_mkdirs(struct cg_hierarchy *h, int (*made)(struct cg_hierarchy *h, const char *dir, struct error **err),
                 struct error **err);
int cg_fs_write_procs(struct cg_hierarchy *h, pid_t pid, struct error **err);
int cg_fs_read_pids(const struct cg_hierarchy *h, pid_t **pids, size_t *n, struct error **err);
int cg_fs_rmdirs(struct cg_hierarchy *h, struct error **err);
/* Read / write a file of a cgroup directory (path relative to the mount point). */
int cg_fs_read(const struct cg_hierarchy *h, const char *dir, const char *file, char **out, struct error **err);
int cg_fs_write(const struct cg_hierarchy *h, const char *dir, const char *file, const char *data,
                struct error **err);
/* The same, with the error naming a spec field first: "linux.resources.pids.limit: write \"5\" to
 * /sys/fs/cgroup/pids/c1/pids.max: Invalid argument". */
int cg_fs_set(const struct cg_hierarchy *h, const char *field, const char *file, const char *data,
              struct error **err);
/* Whether dir/file exists. */
bool cg_fs_exists(const struct cg_hierarchy *h, const char *dir, const char *file);
/* A number file: "max" (v2) reads as UINT64_MAX; surrounding whitespace ignored. */
int cg_fs_read_u64(const struct cg_hierarchy *h, const char *dir, const char *file, uint64_t *out,
                   struct error **err);
/* The value of `key` in a flat keyed file ("key value" lines: memory.stat, cgroup.events, ...);
 * -ENOENT (no error set) when the key is absent. */
int cg_fs_read_key(const struct cg_hierarchy *h, const char *dir, const char *file, const char *key,
                   uint64_t *out, struct error **err);
/* v1: whether the hierarchy is mounted with controller `name` ("cpu", "name=systemd"). */
bool cg_has_controller(const struct cg_hierarchy *h, const char *name);
void cg_sleep_ms(long ms);

#endif
