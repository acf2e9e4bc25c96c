/* Verified procfs writes. */
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cleanup.h"
#include "procfs.h"
#include "util.h"

static bool on_procfs(int fd) {
    struct statfs sfs;
    return fstatfs(fd, &sfs) == 0 && sfs.f_type == PROC_SUPER_MAGIC;
}

/* rel beneath procfd, on the same mount, no magic links ("self" -> "<pid>" is a plain link). */
static int open_beneath(int procfd, const char *rel, int flags) {
    struct open_how how = {
        .flags = (uint64_t)(flags | O_CLOEXEC | O_NOCTTY),
        .resolve = RESOLVE_BENEATH | RESOLVE_NO_XDEV | RESOLVE_NO_MAGICLINKS,
    };
    int fd = (int)syscall(SYS_openat2, procfd, rel, &how, sizeof(how));
    if (fd >= 0 || errno != ENOSYS)
        return fd < 0 ? -errno : fd;
    /* Linux < 5.6: no mount-crossing check available; at least no symlink at the end. */
    fd = openat(procfd, rel, flags | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW);
    return fd < 0 ? -errno : fd;
}

int procfs_write(const char *rel, const char *data, struct error **err) {
    _cleanup_close_ int procfd = open("/proc", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (procfd < 0)
        return error_sys(err, errno, "open /proc");
    if (!on_procfs(procfd))
        return error_new(err, EPERM, "/proc is not a procfs mount; refusing to write /proc/%s", rel);
    _cleanup_close_ int fd = open_beneath(procfd, rel, O_WRONLY);
    if (fd == -EXDEV)
        return error_new(err, EPERM, "/proc/%s: a mount covers it inside /proc; refusing to write through it", rel);
    if (fd < 0)
        return error_sys(err, -fd, "open /proc/%s", rel);
    if (!on_procfs(fd))
        return error_new(err, EPERM, "/proc/%s is not on procfs; refusing to write it", rel);
    if (write_all(fd, data, strlen(data)) < 0)
        return error_sys(err, errno, "write \"%s\" to /proc/%s", data, rel);
    return 0;
}
