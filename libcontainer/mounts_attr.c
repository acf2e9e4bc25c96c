/* Mount attributes through mount_setattr(2) and moving detached trees into place. */
#include <errno.h>
#include <fcntl.h>
#include <sys/mount.h>

#include "../base/cleanup.h"
#include "mounts.h"

static const struct {
    unsigned long ms;
    uint64_t attr;
} flag_attrs[] = {
    {MS_RDONLY, MOUNT_ATTR_RDONLY},         {MS_NOSUID, MOUNT_ATTR_NOSUID},
    {MS_NODEV, MOUNT_ATTR_NODEV},           {MS_NOEXEC, MOUNT_ATTR_NOEXEC},
    {MS_NODIRATIME, MOUNT_ATTR_NODIRATIME}, {MS_NOSYMFOLLOW, MOUNT_ATTR_NOSYMFOLLOW},
};

void mounts_flags_to_attr(unsigned long flags, unsigned long clear, uint64_t *set, uint64_t *clr) {
    for (size_t i = 0; i < ARRAY_SIZE(flag_attrs); i++) {
        if (flags & flag_attrs[i].ms)
            *set |= flag_attrs[i].attr;
        else if (clear & flag_attrs[i].ms)
            *clr |= flag_attrs[i].attr;
    }
    /* The access-time mode is one field: setting it means clearing the whole field first. */
    uint64_t atime = 0;
    bool has_atime = true;
    if (flags & MS_NOATIME)
        atime = MOUNT_ATTR_NOATIME;
    else if (flags & MS_STRICTATIME)
        atime = MOUNT_ATTR_STRICTATIME;
    else if (flags & MS_RELATIME || clear & MS_NOATIME) /* relatime; "atime": the kernel's default */
        atime = MOUNT_ATTR_RELATIME;
    else
        has_atime = false;
    if (has_atime) {
        *set = (*set & ~(uint64_t)MOUNT_ATTR__ATIME) | atime;
        *clr |= MOUNT_ATTR__ATIME;
    }
}

int mounts_setattr(int fd, bool recursive, uint64_t set, uint64_t clr, uint64_t propagation, struct error **err) {
    /* An access-time change must clear the whole field (the kernel refuses a part of it). */
    if ((clr & MOUNT_ATTR__ATIME) || (set & MOUNT_ATTR__ATIME))
        clr |= MOUNT_ATTR__ATIME;
    if (!set && !clr && !propagation)
        return 0;
    struct mount_attr attr = {.attr_set = set, .attr_clr = clr, .propagation = propagation};
    if (mount_setattr(fd, "", AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0), &attr, sizeof(attr)) < 0)
        return error_sys(err, errno, "mount_setattr%s%s", recursive ? " (recursive)" : "",
                         propagation ? " (propagation)" : "");
    return 0;
}

int mounts_finish(int fd, const struct oci_mount *m, struct error **err) {
    int r = mounts_setattr(fd, true, m->attr_set, m->attr_clr, 0, err);
    if (r < 0)
        return r;
    if (!m->propagation)
        return 0;
    return mounts_setattr(fd, (m->propagation & MS_REC) != 0, 0, 0, m->propagation & ~(unsigned long)MS_REC, err);
}

int mounts_move(int tree, int target, struct error **err) {
    if (move_mount(tree, "", target, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
        return error_sys(err, errno, "move_mount");
    return 0;
}

unsigned long mounts_fs_flags(const struct oci_mount *m) {
    return m->flags & ~(unsigned long)(MS_BIND | MS_REC | MS_SHARED | MS_SLAVE | MS_PRIVATE | MS_UNBINDABLE | MS_MOVE);
}
