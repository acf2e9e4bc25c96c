/* The state directory of one container: <root>/<id>/, locked (flock) while an operation runs.
 *   state.json   the spec's state document as create wrote it (status is computed on read)
 *   hull.state   hull's own record: pid, its start time, bundle, creation time, owner
 *   cgroup       what cgroups/ needs to find and destroy the container's cgroups
 *   (paused is not recorded: it is read from the cgroup's freezer)
 *   config.json  the config as create read it (later operations must not see bundle edits)
 *   network      what create made of the container's network (network/network.h, netsetup.c)
 *   start.sock   the socket the waiting container process listens on until `start` */
#ifndef HULL_LIBCONTAINER_STATEDIR_H
#define HULL_LIBCONTAINER_STATEDIR_H

#include <stdbool.h>
#include <sys/types.h>

#include "../base/error.h"

struct statedir {
    int fd;       /* O_DIRECTORY, flocked */
    char *path;   /* <root>/<id> */
    char *id;
};

/* mkdir <root>/<id> (EEXIST: "container <id> already exists") and lock it. */
int statedir_create(const char *root, const char *id, struct statedir **out, struct error **err);
/* Open and lock an existing one (ENOENT: "container <id> does not exist"). */
int statedir_open(const char *root, const char *id, struct statedir **out, struct error **err);
/* Remove everything in it and the directory itself. */
int statedir_remove(struct statedir *sd, struct error **err);
/* Unlock and free. */
void statedir_free(struct statedir *sd);
/* <root>/.seccomp-cache: compiled seccomp filters shared by the containers of this root (not a
 * container: `list` skips names starting with a dot). */
char *statedir_seccomp_cache(const char *root);
static inline void statedir_freep(struct statedir **p) { statedir_free(*p); }

/* The address of a unix socket in the directory, short whatever the root's length
 * ("/proc/self/fd/<fd>/<name>"). */
struct sockaddr_un;
int statedir_socket_addr(const struct statedir *sd, const char *name, struct sockaddr_un *a, struct error **err);

struct record {
    pid_t pid;
    unsigned long long start_time; /* /proc/<pid>/stat field 22, to tell pid reuse apart */
    char *bundle;
    char *created;                 /* RFC 3339 */
    char *owner;
    bool has_process;              /* config.json had a process to start */
};

/* Open and lock a created container and read its record (EBUSY while still being created). */
int statedir_open_created(const char *root, const char *id, struct statedir **sd, struct record *r, struct error **err);

int record_write(const struct statedir *sd, const struct record *r, struct error **err);
/* ENOENT (no error set) while the container is still being created. */
int record_read(const struct statedir *sd, struct record *r, struct error **err);
void record_clear(struct record *r);

enum status { STATUS_CREATING, STATUS_CREATED, STATUS_RUNNING, STATUS_STOPPED, STATUS_PAUSED };
const char *status_name(enum status s);
/* Created / running / stopped, by the process itself: alive, not a zombie, same start time; a
 * running container whose cgroup is frozen is paused (an unreadable cgroup counts as not frozen). */
enum status status_of(const struct statedir *sd, const struct record *r);

/* The container's cgroups as create recorded them (the "cgroup" file). */
struct cgroup;
int statedir_load_cgroup(const struct statedir *sd, struct cgroup **out, struct error **err);

/* /proc/<pid>/stat: start time; -ESRCH when gone or a zombie. */
int proc_start_time(pid_t pid, unsigned long long *out);

#endif
