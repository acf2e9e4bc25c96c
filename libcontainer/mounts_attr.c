/* Mount attributes and binds onto fds: the new mount API (open_tree, move_mount, mount_setattr,
 * fsmount), and, where it is missing (ENOSYS: Linux < 5.12, or valgrind), the classic mount(2) on
 * "/proc/self/fd/N" with MS_REMOUNT|MS_BIND, where the flags the mount has (from statvfs) are
 * repeated so that none is dropped (a user namespace refuses to drop a locked one). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "../base/cleanup.h"
#include "../base/log.h"
#include "../base/path.h"
#include "mounts.h"

#ifndef ST_NOSYMFOLLOW
#define ST_NOSYMFOLLOW 0x2000 /* Linux 5.10; glibc < 2.34 */
#endif

static bool g_legacy;

void mounts_disable_new_api(bool disable) { g_legacy = disable; }

/* Calls of the new API go through here: on ENOSYS, remember it and say so with -ENOSYS. */
static int new_api(int r) {
    if (r >= 0)
        return r;
    if (errno == ENOSYS)
        g_legacy = true;
    return -errno;
}

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

/* ---------- the classic way ---------- */

static unsigned long statvfs_to_ms(unsigned long f, bool with_atime) {
    unsigned long ms = (f & ST_RDONLY ? MS_RDONLY : 0) | (f & ST_NOSUID ? MS_NOSUID : 0) |
                       (f & ST_NODEV ? MS_NODEV : 0) | (f & ST_NOEXEC ? MS_NOEXEC : 0) |
                       (f & ST_NOSYMFOLLOW ? MS_NOSYMFOLLOW : 0);
    if (with_atime)
        ms |= (f & ST_NODIRATIME ? MS_NODIRATIME : 0) |
              (f & ST_NOATIME ? MS_NOATIME : f & ST_RELATIME ? MS_RELATIME : MS_STRICTATIME);
    return ms;
}

/* MS_REMOUNT|MS_BIND sets every per-mount flag at once: start from what the mount has.  Without
 * an access-time change no atime flag is passed, and the kernel keeps the mount's. */
static int remount_legacy(const char *path, uint64_t set, uint64_t clr, struct error **err) {
    struct statvfs s;
    if (statvfs(path, &s) < 0)
        return error_sys(err, errno, "statvfs %s", path);
    bool atime = ((set | clr) & (MOUNT_ATTR__ATIME | MOUNT_ATTR_NODIRATIME)) != 0;
    unsigned long flags = statvfs_to_ms(s.f_flag, atime);
    for (size_t i = 0; i < ARRAY_SIZE(flag_attrs); i++) {
        if (clr & flag_attrs[i].attr)
            flags &= ~flag_attrs[i].ms;
        if (set & flag_attrs[i].attr)
            flags |= flag_attrs[i].ms;
    }
    if (clr & MOUNT_ATTR__ATIME) {
        flags &= ~(unsigned long)(MS_NOATIME | MS_RELATIME | MS_STRICTATIME);
        uint64_t a = set & MOUNT_ATTR__ATIME;
        flags |= a == MOUNT_ATTR_NOATIME ? MS_NOATIME : a == MOUNT_ATTR_STRICTATIME ? MS_STRICTATIME : MS_RELATIME;
    }
    if (mount(NULL, path, NULL, MS_REMOUNT | MS_BIND | flags, NULL) < 0)
        return error_sys(err, errno, "remount %s", path);
    return 0;
}

/* Recursively: the mount itself, then every mount below its path in mountinfo. */
static int remount_tree_legacy(const char *proc, uint64_t set, uint64_t clr, struct error **err) {
    int r = remount_legacy(proc, set, clr, err);
    char top[PATH_MAX];
    ssize_t n = r < 0 ? 0 : readlink(proc, top, sizeof(top) - 1);
    if (r < 0 || n <= 0)
        return r < 0 ? r : error_sys(err, errno, "readlink %s", proc);
    top[n] = '\0';
    size_t len = strcmp(top, "/") == 0 ? 0 : (size_t)n;
    struct mounts_mountinfo mi;
    if ((r = mounts_mountinfo_read(&mi, err)) < 0)
        return r;
    for (size_t i = 0; i < mi.n && r >= 0; i++) {
        const char *mp = mi.e[i].mountpoint;
        if (strncmp(mp, top, len) == 0 && mp[len] == '/' && mp[len + 1])
            r = remount_legacy(mp, set, clr, err);
    }
    mounts_mountinfo_free(&mi);
    return r;
}

static int setattr_legacy(int fd, bool recursive, uint64_t set, uint64_t clr, uint64_t propagation,
                          struct error **err) {
    char proc[PATH_FD_PROC_MAX];
    path_fd_proc(fd, proc);
    if (set & MOUNT_ATTR_IDMAP)
        return error_new(err, ENOSYS, "idmapped mounts need mount_setattr(2) (Linux 5.12)");
    int r = 0;
    if (set || clr)
        r = recursive ? remount_tree_legacy(proc, set, clr, err) : remount_legacy(proc, set, clr, err);
    if (r >= 0 && propagation && mount(NULL, proc, NULL, propagation | (recursive ? MS_REC : 0), NULL) < 0)
        r = error_sys(err, errno, "set the propagation");
    return r;
}

/* ---------- the interface ---------- */

int mounts_setattr(int fd, bool recursive, uint64_t set, uint64_t clr, uint64_t propagation, struct error **err) {
    /* An access-time change must clear the whole field (the kernel refuses a part of it). */
    if ((clr & MOUNT_ATTR__ATIME) || (set & MOUNT_ATTR__ATIME))
        clr |= MOUNT_ATTR__ATIME;
    if (!set && !clr && !propagation)
        return 0;
    if (!g_legacy) {
        struct mount_attr attr = {.attr_set = set, .attr_clr = clr, .propagation = propagation};
        int r = new_api(mount_setattr(fd, "", AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0), &attr, sizeof(attr)));
        if (r >= 0)
            return 0;
        if (r != -ENOSYS)
            return error_sys(err, -r, "mount_setattr%s%s", recursive ? " (recursive)" : "",
                             propagation ? " (propagation)" : "");
    }
    return setattr_legacy(fd, recursive, set, clr, propagation, err);
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

static int reopen(int rootfd, const char *dest, struct error **err) {
    int fd = path_open_in_root(rootfd, dest, O_PATH, 0);
    return fd < 0 ? error_sys(err, -fd, "open the new mount at %s", dest) : fd;
}

int mounts_bind_at(int src_fd, const char *src_path, bool recursive, int rootfd, const char *dest, int target,
                   struct error **err) {
    const char *what = src_path ? src_path : dest;
    if (!g_legacy) {
        unsigned flags = OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (recursive ? AT_RECURSIVE : 0) |
                         (src_path ? 0 : AT_EMPTY_PATH);
        int tree = new_api(open_tree(src_path ? AT_FDCWD : src_fd, src_path ? src_path : "", flags));
        if (tree >= 0) {
            int r = mounts_move(tree, target, err);
            if (r < 0)
                close(tree);
            return r < 0 ? r : tree; /* now the root of the attached mount */
        }
        if (tree != -ENOSYS)
            return error_sys(err, -tree, "open_tree %s", what);
    }
    char src[PATH_FD_PROC_MAX], dst[PATH_FD_PROC_MAX];
    const char *source = src_path ? src_path : path_fd_proc(src_fd, src);
    if (mount(source, path_fd_proc(target, dst), NULL, MS_BIND | (recursive ? MS_REC : 0), NULL) < 0)
        return error_sys(err, errno, "bind %s", what);
    return reopen(rootfd, dest, err);
}

int mounts_tmpfs_at(int target, uint64_t attrs, struct error **err) {
    if (!g_legacy) {
        _cleanup_close_ int fs = new_api(fsopen("tmpfs", FSOPEN_CLOEXEC));
        if (fs >= 0) {
            if (fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
                return error_sys(err, errno, "create a tmpfs");
            _cleanup_close_ int mnt = fsmount(fs, FSMOUNT_CLOEXEC, (unsigned)attrs);
            if (mnt < 0)
                return error_sys(err, errno, "fsmount tmpfs");
            return mounts_move(mnt, target, err);
        }
        if (fs != -ENOSYS)
            return error_sys(err, -fs, "fsopen tmpfs");
    }
    unsigned long flags = 0;
    for (size_t i = 0; i < ARRAY_SIZE(flag_attrs); i++)
        if (attrs & flag_attrs[i].attr)
            flags |= flag_attrs[i].ms;
    char proc[PATH_FD_PROC_MAX];
    if (mount("tmpfs", path_fd_proc(target, proc), "tmpfs", flags, NULL) < 0)
        return error_sys(err, errno, "mount a tmpfs");
    return 0;
}

int mounts_stage_open(char path[MOUNTS_STAGE_PATH_MAX], struct error **err) {
    if (g_legacy)
        return -ENOSYS;
    _cleanup_close_ int fs = new_api(fsopen("tmpfs", FSOPEN_CLOEXEC));
    if (fs == -ENOSYS)
        return -ENOSYS;
    if (fs < 0)
        return error_sys(err, -fs, "staging: fsopen tmpfs");
    if (fsconfig(fs, FSCONFIG_SET_STRING, "mode", "0700", 0) < 0 ||
        fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
        return error_sys(err, errno, "staging: create a tmpfs");
    _cleanup_close_ int mnt = fsmount(fs, FSMOUNT_CLOEXEC, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
    if (mnt < 0)
        return error_sys(err, errno, "staging: fsmount tmpfs");
    if (mkdirat(mnt, "m", 0700) < 0)
        return error_sys(err, errno, "staging: mkdir in the tmpfs");
    _cleanup_close_ int top = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (top < 0)
        return error_sys(err, errno, "staging: open /");
    int r = mounts_move(mnt, top, err);
    if (r < 0)
        return error_wrap(err, r, "staging: attach the tmpfs on /");
    snprintf(path, MOUNTS_STAGE_PATH_MAX, "/proc/self/fd/%d/m", mnt);
    return TAKE_FD(mnt);
}

void mounts_stage_close(int stage) {
    if (stage < 0)
        return;
    char proc[PATH_FD_PROC_MAX];
    if (umount2(path_fd_proc(stage, proc), MNT_DETACH) < 0)
        log_warn("staging: detach the tmpfs: %s", strerror(errno));
    close(stage);
}

bool mounts_stage_is_here(int fd) {
    struct statx a, b;
    if (statx(fd, "", AT_EMPTY_PATH, STATX_INO | STATX_MNT_ID, &a) < 0 ||
        statx(AT_FDCWD, "/", 0, STATX_INO | STATX_MNT_ID, &b) < 0)
        return true; /* cannot tell: the caller takes the way that is right there too */
    bool mnt_known = (a.stx_mask & b.stx_mask & STATX_MNT_ID) != 0;
    return a.stx_ino == b.stx_ino && a.stx_dev_major == b.stx_dev_major && a.stx_dev_minor == b.stx_dev_minor &&
           (!mnt_known || a.stx_mnt_id == b.stx_mnt_id);
}

int mounts_new_at(int rootfd, const char *dest, int target, mounts_at_fn *mount_at, mounts_at_fn *fill, void *arg,
                  int *mnt, struct error **err) {
    *mnt = -1;
    char at[MOUNTS_STAGE_PATH_MAX];
    int stage = mounts_stage_is_here(target) ? -ENOSYS : mounts_stage_open(at, err);
    if (stage < 0 && stage != -ENOSYS)
        return stage;
    bool staged = stage >= 0;
    _cleanup_close_ int atfd = staged ? open(at, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) : -1;
    int r = staged && atfd < 0 ? error_sys(err, errno, "staging: open %s", at) : 0;
    if (r == 0)
        r = mount_at(arg, staged ? atfd : target, err);
    _cleanup_close_ int fd = -1;
    if (r == 0) {
        /* a lookup of the name crosses onto what was mounted on it */
        fd = staged ? open(at, O_PATH | O_DIRECTORY | O_CLOEXEC) : path_open_in_root(rootfd, dest, O_PATH | O_DIRECTORY, 0);
        if (fd < 0)
            r = error_sys(err, staged ? errno : -fd, "open the new mount");
    }
    if (r == 0 && fill)
        r = fill(arg, fd, err);
    if (r == 0 && staged)
        r = mounts_move(fd, target, err);
    mounts_stage_close(stage);
    if (r == 0)
        *mnt = TAKE_FD(fd);
    return r;
}

unsigned long mounts_fs_flags(const struct oci_mount *m) {
    return m->flags & ~(unsigned long)(MS_BIND | MS_REC | MS_SHARED | MS_SLAVE | MS_PRIVATE | MS_UNBINDABLE | MS_MOVE);
}
