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
#include <sys/types.h>

#include "../base/error.h"
#include "../oci/spec.h"
#include "cgroup.h"

struct cg_hierarchy;

/* What differs between cgroup v1 and v2, one table each (v1.c, v2.c).  Later issues add apply,
 * freeze, kill and stats here. */
struct cg_ops {
    int version; /* 1 or 2 */
    /* Make h->path (recording what was created in h->created). */
    int (*create)(struct cg_hierarchy *h, struct error **err);
    int (*enter)(struct cg_hierarchy *h, pid_t pid, struct error **err);
    int (*pids)(const struct cg_hierarchy *h, pid_t **pids, size_t *n, struct error **err);
    /* Remove h->created, deepest first. */
    int (*destroy)(struct cg_hierarchy *h, struct error **err);
};

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

#endif
