/* Time namespace offsets (linux.timeOffsets), written after unshare(CLONE_NEWTIME) and before the
 * first process enters the new namespace. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../base/cleanup.h"
#include "../base/util.h"
#include "ns.h"

static void add_offset(char *buf, size_t size, const char *clock, const struct oci_time_offset *o) {
    if (!o->present)
        return;
    size_t len = strlen(buf);
    snprintf(buf + len, size - len, "%s %" PRId64 " %" PRIu32 "\n", clock, o->secs, o->nanosecs);
}

int ns_write_time_offsets(const struct oci_linux *linux, struct error **err) {
    char buf[256] = "";
    add_offset(buf, sizeof(buf), "monotonic", &linux->time_monotonic);
    add_offset(buf, sizeof(buf), "boottime", &linux->time_boottime);
    if (!*buf)
        return 0;
    const char *path = "/proc/self/timens_offsets";
    _cleanup_close_ int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return error_sys(err, errno, "open %s", path);
    size_t len = strlen(buf);
    ssize_t w = write(fd, buf, len);
    if (w < 0 || (size_t)w != len) {
        buf[len - 1] = '\0';
        for (char *p = buf; (p = strchr(p, '\n'));)
            *p = ',';
        return w < 0 ? error_sys(err, errno, "linux.timeOffsets: write \"%s\" to %s", buf, path)
                     : error_new(err, EIO, "linux.timeOffsets: write to %s: short write", path);
    }
    return 0;
}
