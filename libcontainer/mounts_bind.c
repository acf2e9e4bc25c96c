/* Bind mounts: the source tree bound onto the destination (created after the source's type),
 * then its attributes and propagation. */
#include <errno.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "../base/cleanup.h"
#include "../base/path.h"
#include "mounts.h"

/* idmap needs the new API: the mapping is set on the detached tree, before it is attached. */
static int bind_idmapped(const struct rootfs_ctx *c, const struct oci_mount *m, int target, struct error **err) {
    int r = mounts_idmap_check(c, m, err);
    if (r < 0)
        return r;
    unsigned flags = OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (m->recursive_bind ? AT_RECURSIVE : 0);
    int tree = open_tree(AT_FDCWD, m->source, flags);
    if (tree < 0 && errno == ENOSYS)
        return error_new(err, ENOSYS, "idmapped mounts need open_tree(2) and mount_setattr(2) (Linux 5.12)");
    if (tree < 0)
        return error_sys(err, errno, "open_tree %s", m->source);
    r = mounts_idmap(c, m, tree, err);
    if (r >= 0)
        r = mounts_move(tree, target, err);
    if (r < 0)
        close(tree);
    return r < 0 ? r : tree;
}

int mounts_bind(const struct rootfs_ctx *c, int rootfd, const struct oci_mount *m, struct error **err) {
    if (!m->source || !*m->source)
        return error_new(err, EINVAL, "a bind mount needs a source");
    struct stat st;
    if (stat(m->source, &st) < 0)
        return error_sys(err, errno, "stat %s", m->source);
    _cleanup_close_ int target = path_create_in_root(rootfd, m->destination, S_ISDIR(st.st_mode), err);
    if (target < 0)
        return target;
    _cleanup_close_ int mnt = (m->idmap || m->ridmap)
                                  ? bind_idmapped(c, m, target, err)
                                  : mounts_bind_at(-1, m->source, m->recursive_bind, rootfd, m->destination, target, err);
    if (mnt < 0)
        return mnt;
    /* Recursive options first (rro...), then the plain ones on the top mount, so that an explicit
     * "ro" or "rw" has the last word on the top mount, as it would with MS_REMOUNT|MS_BIND. */
    int r = mounts_setattr(mnt, true, m->attr_set, m->attr_clr, 0, err);
    uint64_t set = 0, clr = 0;
    mounts_flags_to_attr(m->flags, m->clear_flags, &set, &clr);
    if (r < 0 || (r = mounts_setattr(mnt, false, set, clr, 0, err)) < 0 || !m->propagation)
        return r;
    return mounts_setattr(mnt, (m->propagation & MS_REC) != 0, 0, 0, m->propagation & ~(unsigned long)MS_REC, err);
}
