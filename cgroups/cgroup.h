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
#include <sys/types.h>

#include "../base/error.h"
#include "../oci/spec.h"

struct cgroup;

enum cgroup_layout { CGROUP_LAYOUT_UNIFIED, CGROUP_LAYOUT_HYBRID, CGROUP_LAYOUT_LEGACY };

/* Create the container's cgroup directories (recording which ones it created, so that destroy
 * removes those and nothing else).  An existing directory is reused, not an error. */
int cgroup_create(const char *cgroups_path, const char *id, struct cgroup **out, struct error **err);

enum cgroup_layout cgroup_layout(const struct cgroup *cg);

/* An O_RDONLY|O_DIRECTORY fd of the v2 directory, for clone3(CLONE_INTO_CGROUP), or -1 where the
 * host is not pure v2.  Owned by the cgroup object. */
int cgroup_v2_fd(const struct cgroup *cg);

/* Move pid into the container's cgroup on every hierarchy; skip_v2 when it was cloned into it. */
int cgroup_enter(struct cgroup *cg, pid_t pid, bool skip_v2, struct error **err);

/* Apply linux.resources (issue 3).  For now: NULL or an empty object succeeds; a limit this build
 * cannot apply yet is an error naming its field. */
int cgroup_apply(struct cgroup *cg, const struct oci_resources *r, struct error **err);

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
