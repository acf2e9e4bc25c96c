/* /dev in the container: the default devices (config-linux.md "Default Devices"), linux.devices,
 * the /dev symlinks (runtime-linux.md) and /dev/ptmx (/dev/console: rootfs_setup_console).
 *
 * Nodes are made with mknod, or, in a user namespace (where mknod of a device is refused), as an
 * empty file with the host's node bound over it.  Paths resolve inside the rootfs, /dev or not.
 * When the config binds /dev itself, the defaults, symlinks and ptmx are left alone (runc). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "../base/cleanup.h"
#include "../base/log.h"
#include "../base/path.h"
#include "../base/util.h"
#include "mounts.h"

static const struct oci_device default_devices[] = {
    {.path = "/dev/null", .type = 'c', .major = 1, .minor = 3},
    {.path = "/dev/zero", .type = 'c', .major = 1, .minor = 5},
    {.path = "/dev/full", .type = 'c', .major = 1, .minor = 7},
    {.path = "/dev/random", .type = 'c', .major = 1, .minor = 8},
    {.path = "/dev/urandom", .type = 'c', .major = 1, .minor = 9},
    {.path = "/dev/tty", .type = 'c', .major = 5, .minor = 0},
};

static const char *const dev_links[][2] = {
    {"/proc/self/fd", "fd"},
    {"/proc/self/fd/0", "stdin"},
    {"/proc/self/fd/1", "stdout"},
    {"/proc/self/fd/2", "stderr"},
};

static bool same_path(const char *a, const char *b) {
    _cleanup_free_ char *ca = path_clean(a), *cb = path_clean(b);
    return strcmp(ca, cb) == 0;
}

static bool dev_is_bound(const struct oci_spec *spec) {
    for (size_t i = 0; i < spec->n_mounts; i++)
        if (spec->mounts[i].bind && spec->mounts[i].destination && same_path(spec->mounts[i].destination, "/dev"))
            return true;
    return false;
}

static mode_t device_type(const struct oci_device *d) {
    return d->type == 'b' ? S_IFBLK : d->type == 'p' ? S_IFIFO : S_IFCHR; /* 'c' and 'u' */
}

static bool node_matches(const struct stat *st, const struct oci_device *d) {
    if ((st->st_mode & S_IFMT) != device_type(d))
        return false;
    return d->type == 'p' || st->st_rdev == makedev((unsigned)d->major, (unsigned)d->minor);
}

/* The host's node of the device for a bind: the same path on the host, else udev's
 * /dev/char/M:m or /dev/block/M:m. */
static char *host_node(const struct oci_device *d) {
    char *cands[] = {
        xstrdup(d->path),
        xasprintf("/dev/%s/%lld:%lld", d->type == 'b' ? "block" : "char", (long long)d->major, (long long)d->minor),
    };
    char *found = NULL;
    for (size_t i = 0; i < ARRAY_SIZE(cands); i++) {
        struct stat st;
        if (!found && stat(cands[i], &st) == 0 && node_matches(&st, d))
            found = TAKE_PTR(cands[i]);
        free(cands[i]);
    }
    return found;
}

static int bind_host_node(int rootfd, int parent, const char *name, const struct oci_device *d, struct error **err) {
    _cleanup_free_ char *host = host_node(d);
    if (!host)
        return error_new(err, ENOENT, "in a user namespace the device is bound from the host, which has no %c %lld:%lld",
                         d->type, (long long)d->major, (long long)d->minor);
    if (mknodat(parent, name, S_IFREG | 0644, 0) < 0 && errno != EEXIST)
        return error_sys(err, errno, "create a file to bind the device on");
    _cleanup_close_ int target = openat(parent, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
    if (target < 0)
        return error_sys(err, errno, "open the device's mount point");
    int mnt = mounts_bind_at(-1, host, false, rootfd, d->path, target, err);
    if (mnt < 0)
        return mnt;
    close(mnt);
    return 0;
}

static int make_node(int parent, const char *name, const struct oci_device *d, struct error **err) {
    mode_t perm = d->has_file_mode ? (d->file_mode & 07777) : 0666;
    dev_t dev = d->type == 'p' ? 0 : makedev((unsigned)d->major, (unsigned)d->minor);
    if (mknodat(parent, name, device_type(d) | perm, dev) < 0)
        return error_sys(err, errno, "mknod");
    return 0;
}

/* Mode and owner: set explicitly (the umask applies to mknod). */
static int set_owner_mode(int parent, const char *name, const struct oci_device *d, struct error **err) {
    mode_t perm = d->has_file_mode ? (d->file_mode & 07777) : 0666;
    if (fchownat(parent, name, d->has_uid ? d->uid : 0, d->has_gid ? d->gid : 0, AT_SYMLINK_NOFOLLOW) < 0)
        return error_sys(err, errno, "chown");
    if (fchmodat(parent, name, perm, 0) < 0)
        return error_sys(err, errno, "chmod");
    return 0;
}

/* explicit: from linux.devices, where an existing file that is another thing is an error (spec).
 * A default device that exists as a node is left as it is; a plain file there is replaced. */
static int create_device(const struct rootfs_ctx *c, int rootfd, const struct oci_device *d, bool explicit,
                         struct error **err) {
    _cleanup_free_ char *name = NULL;
    _cleanup_close_ int parent = path_open_parent_in_root(rootfd, d->path, true, &name, err);
    if (parent < 0)
        return parent;
    struct stat st;
    bool exists = fstatat(parent, name, &st, AT_SYMLINK_NOFOLLOW) == 0;
    if (!exists && errno != ENOENT)
        return error_sys(err, errno, "stat");
    if (exists && explicit) {
        if (!node_matches(&st, d))
            return error_new(err, EEXIST, "a file that is not %c %lld:%lld exists at this path", d->type,
                             (long long)d->major, (long long)d->minor);
        return c->in_userns ? 0 : set_owner_mode(parent, name, d, err);
    }
    if (exists) {
        if (node_matches(&st, d))
            return 0;
        if (!S_ISREG(st.st_mode)) {
            log_warn("%s in the rootfs is not a device node: left as it is", d->path);
            return 0;
        }
        /* a plain file (a placeholder, or the bind target of an earlier run): replace it */
        if (!c->in_userns && unlinkat(parent, name, 0) < 0)
            return error_sys(err, errno, "remove the file in the way");
    }
    if (c->in_userns && d->type != 'p')
        return bind_host_node(rootfd, parent, name, d, err);
    int r = make_node(parent, name, d, err);
    return r < 0 ? r : set_owner_mode(parent, name, d, err);
}

static bool overridden(const struct oci_linux *linux, const char *path) {
    for (size_t i = 0; linux && i < linux->n_devices; i++)
        if (linux->devices[i].path && same_path(linux->devices[i].path, path))
            return true;
    return false;
}

static int dev_links_and_ptmx(int rootfd, struct error **err) {
    _cleanup_close_ int dev = path_mkdir_in_root(rootfd, "/dev", 0755, err);
    if (dev < 0)
        return dev;
    for (size_t i = 0; i < ARRAY_SIZE(dev_links); i++)
        if (symlinkat(dev_links[i][0], dev, dev_links[i][1]) < 0 && errno != EEXIST)
            return error_sys(err, errno, "symlink /dev/%s", dev_links[i][1]);
    if (access("/proc/kcore", F_OK) == 0 && symlinkat("/proc/kcore", dev, "core") < 0 && errno != EEXIST)
        return error_sys(err, errno, "symlink /dev/core");
    /* /dev/ptmx: the container's devpts instance, whatever the image had there */
    if (unlinkat(dev, "ptmx", 0) < 0 && errno != ENOENT)
        return error_sys(err, errno, "remove /dev/ptmx");
    if (symlinkat("pts/ptmx", dev, "ptmx") < 0)
        return error_sys(err, errno, "symlink /dev/ptmx");
    return 0;
}

int devices_setup(const struct rootfs_ctx *c, int rootfd, struct error **err) {
    const struct oci_linux *linux = c->spec->linux;
    bool setup_dev = !dev_is_bound(c->spec);
    int r;
    for (size_t i = 0; setup_dev && i < ARRAY_SIZE(default_devices); i++) {
        const struct oci_device *d = &default_devices[i];
        if (!overridden(linux, d->path) && (r = create_device(c, rootfd, d, false, err)) < 0)
            return error_wrap(err, r, "default device %s", d->path);
    }
    for (size_t i = 0; linux && i < linux->n_devices; i++) {
        const struct oci_device *d = &linux->devices[i];
        if (!d->path || d->path[0] != '/')
            return error_new(err, EINVAL, "linux.devices[%zu]: the path must be absolute", i);
        if ((r = create_device(c, rootfd, d, true, err)) < 0)
            return error_wrap(err, r, "linux.devices[%zu] (%s)", i, d->path);
    }
    if (setup_dev && (r = dev_links_and_ptmx(rootfd, err)) < 0)
        return r;
    return 0;
}
