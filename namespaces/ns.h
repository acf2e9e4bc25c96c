/* namespaces/: the mechanism of Linux namespaces: the name <-> CLONE_* <-> /proc/<pid>/ns table,
 * opening and joining by path (with the type checked), user namespace id maps, time offsets. */
#ifndef HULL_NAMESPACES_NS_H
#define HULL_NAMESPACES_NS_H

#include <stdbool.h>
#include <sys/types.h>

#include "../base/error.h"
#include "../oci/spec.h"

struct ns_info {
    int flag;              /* CLONE_NEWPID ... */
    const char *spec_name; /* "pid", "network", "mount", ... as in config.json */
    const char *proc_name; /* "pid", "net", "mnt", ... as in /proc/<pid>/ns */
};

/* All eight, in the order they must be joined (user first, then the rest; mount last so that
 * the other paths still resolve on the host). */
extern const struct ns_info ns_table[];
extern const size_t ns_table_len;

const struct ns_info *ns_by_flag(int flag);
const struct ns_info *ns_by_spec_name(const char *name);

/* Open a namespace file and check (ioctl NS_GET_NSTYPE) that it is a namespace of `flag`'s type.
 * The error names the path and both types.  Returns an O_CLOEXEC fd. */
int ns_open(const char *path, int flag, struct error **err);

/* setns(fd, flag) with an error naming the namespace. */
int ns_join(int fd, int flag, struct error **err);

/* Write /proc/<pid>/uid_map, setgroups ("allow"; "deny" when deny_setgroups) and gid_map from
 * the parent.  Errors name the file and the mapping. */
int ns_write_id_maps(pid_t pid, const struct oci_linux *linux, bool deny_setgroups, struct error **err);

/* After unshare(CLONE_NEWTIME): write the offsets into /proc/self/timens_offsets. */
int ns_write_time_offsets(const struct oci_linux *linux, struct error **err);

#endif
