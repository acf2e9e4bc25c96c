/* The namespace table, and opening / joining a namespace by path with its type checked. */
#include <errno.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "../base/cleanup.h"
#include "ns.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif
#ifndef CLONE_NEWCGROUP
#define CLONE_NEWCGROUP 0x02000000
#endif

/* Join order: user first (it grants the capabilities for the others), mount last (so that the
 * other namespace paths still resolve in the host's mount namespace). */
const struct ns_info ns_table[] = {
    {CLONE_NEWUSER, "user", "user"},       {CLONE_NEWIPC, "ipc", "ipc"},
    {CLONE_NEWUTS, "uts", "uts"},          {CLONE_NEWNET, "network", "net"},
    {CLONE_NEWPID, "pid", "pid"},          {CLONE_NEWCGROUP, "cgroup", "cgroup"},
    {CLONE_NEWTIME, "time", "time"},       {CLONE_NEWNS, "mount", "mnt"},
};
const size_t ns_table_len = ARRAY_SIZE(ns_table);

const struct ns_info *ns_by_flag(int flag) {
    for (size_t i = 0; i < ns_table_len; i++)
        if (ns_table[i].flag == flag)
            return &ns_table[i];
    return NULL;
}

const struct ns_info *ns_by_spec_name(const char *name) {
    for (size_t i = 0; name && i < ns_table_len; i++)
        if (strcmp(ns_table[i].spec_name, name) == 0)
            return &ns_table[i];
    return NULL;
}

static const char *type_name(int flag) {
    const struct ns_info *ns = ns_by_flag(flag);
    return ns ? ns->spec_name : "unknown";
}

int ns_open(const char *path, int flag, struct error **err) {
    _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return error_sys(err, errno, "linux.namespaces: open %s", path);
    int type = ioctl(fd, NS_GET_NSTYPE);
    if (type < 0) {
        if (errno == ENOTTY || errno == EINVAL)
            return error_new(err, EINVAL, "linux.namespaces: %s is not a namespace", path);
        return error_sys(err, errno, "linux.namespaces: %s: NS_GET_NSTYPE", path);
    }
    if (type != flag)
        return error_new(err, EINVAL, "linux.namespaces: %s is a %s namespace, not a %s namespace", path,
                         type_name(type), type_name(flag));
    return TAKE_FD(fd);
}

int ns_join(int fd, int flag, struct error **err) {
    if (setns(fd, flag) < 0)
        return error_sys(err, errno, "join %s namespace", type_name(flag));
    return 0;
}
