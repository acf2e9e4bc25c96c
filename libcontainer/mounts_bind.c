/* Bind mounts: clone the source tree, set its attributes while it is detached, move it in place. */
#include <errno.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "../base/cleanup.h"
#include "../base/path.h"
#include "mounts.h"

/* Recursive options first (rro...), then the plain ones on the top mount, so that an explicit
 * "ro" or "rw" has the last word on the top mount, as it would with MS_REMOUNT|MS_BIND. */
static int bind_set_attrs(const struct rootfs_ctx *c, const struct oci_mount *m, int tree, struct error **err) {
    int r;
    if ((m->idmap || m->ridmap) && (r = mounts_idmap(c, m, tree, err)) < 0)
        return r;
    if ((r = mounts_setattr(tree, true, m->attr_set, m->attr_clr, 0, err)) < 0)
        return r;
    uint64_t set = 0, clr = 0;
    mounts_flags_to_attr(m->flags, m->clear_flags, &set, &clr);
    return mounts_setattr(tree, false, set, clr, 0, err);
}

int mounts_bind(const struct rootfs_ctx *c, int rootfd, const struct oci_mount *m, struct error **err) {
    if (!m->source || !*m->source)
        return error_new(err, EINVAL, "a bind mount needs a source");
    struct stat st;
    if (stat(m->source, &st) < 0)
        return error_sys(err, errno, "stat %s", m->source);
    unsigned flags = OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (m->recursive_bind ? AT_RECURSIVE : 0);
    _cleanup_close_ int tree = open_tree(AT_FDCWD, m->source, flags);
    if (tree < 0)
        return error_sys(err, errno, "open_tree %s", m->source);
    int r = bind_set_attrs(c, m, tree, err);
    if (r < 0)
        return r;
    _cleanup_close_ int target = path_create_in_root(rootfd, m->destination, S_ISDIR(st.st_mode), err);
    if (target < 0)
        return target;
    if ((r = mounts_move(tree, target, err)) < 0)
        return r;
    if (!m->propagation)
        return 0;
    return mounts_setattr(tree, (m->propagation & MS_REC) != 0, 0, 0, m->propagation & ~(unsigned long)MS_REC, err);
}
