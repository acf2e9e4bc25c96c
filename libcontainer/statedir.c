#include "statedir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "../base/cleanup.h"
#include "../base/util.h"
#include "../cgroups/cgroup.h"

static int lock_dir(int fd, const char *id, struct error **err) {
    while (flock(fd, LOCK_EX) < 0)
        if (errno != EINTR)
            return error_sys(err, errno, "lock container %s", id);
    return 0;
}

int statedir_create(const char *root, const char *id, struct statedir **out, struct error **err) {
    int r = mkdir_p(root, 0700, err);
    if (r < 0)
        return error_wrap(err, r, "state root");
    _cleanup_free_ char *path = xasprintf("%s/%s", root, id);
    if (mkdir(path, 0711) < 0) {
        if (errno == EEXIST)
            return error_new(err, EEXIST, "container %s already exists", id);
        return error_sys(err, errno, "mkdir %s", path);
    }
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        rmdir(path);
        return error_sys(err, e, "open %s", path);
    }
    struct statedir *sd = xcalloc(1, sizeof(*sd));
    sd->fd = fd;
    sd->path = TAKE_PTR(path);
    sd->id = xstrdup(id);
    if ((r = lock_dir(fd, id, err)) < 0) {
        statedir_remove(sd, NULL);
        statedir_free(sd);
        return r;
    }
    *out = sd;
    return 0;
}

int statedir_open(const char *root, const char *id, struct statedir **out, struct error **err) {
    _cleanup_free_ char *path = xasprintf("%s/%s", root, id);
    _cleanup_close_ int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            return error_new(err, ENOENT, "container %s does not exist", id);
        return error_sys(err, errno, "open %s", path);
    }
    int r = lock_dir(fd, id, err);
    if (r < 0)
        return r;
    struct stat st;
    if (fstat(fd, &st) < 0)
        return error_sys(err, errno, "stat %s", path);
    if (st.st_nlink == 0) /* deleted while we waited for the lock */
        return error_new(err, ENOENT, "container %s does not exist", id);
    struct statedir *sd = xcalloc(1, sizeof(*sd));
    sd->fd = TAKE_FD(fd);
    sd->path = TAKE_PTR(path);
    sd->id = xstrdup(id);
    *out = sd;
    return 0;
}

int statedir_remove(struct statedir *sd, struct error **err) {
    int dfd = dup(sd->fd);
    if (dfd < 0)
        return error_sys(err, errno, "dup");
    _cleanup_closedir_ DIR *d = fdopendir(dfd);
    if (!d) {
        close(dfd);
        return error_sys(err, errno, "read %s", sd->path);
    }
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            if (unlinkat(sd->fd, e->d_name, 0) < 0 && errno != ENOENT)
                return error_sys(err, errno, "remove %s/%s", sd->path, e->d_name);
    if (rmdir(sd->path) < 0 && errno != ENOENT)
        return error_sys(err, errno, "remove %s", sd->path);
    return 0;
}

void statedir_free(struct statedir *sd) {
    if (!sd)
        return;
    if (sd->fd >= 0)
        close(sd->fd);
    free(sd->path);
    free(sd->id);
    free(sd);
}

int statedir_socket_addr(const struct statedir *sd, const char *name, struct sockaddr_un *a, struct error **err) {
    memset(a, 0, sizeof(*a));
    a->sun_family = AF_UNIX;
    int n = snprintf(a->sun_path, sizeof(a->sun_path), "/proc/self/fd/%d/%s", sd->fd, name);
    if (n < 0 || (size_t)n >= sizeof(a->sun_path))
        return error_new(err, ENAMETOOLONG, "socket name %s is too long", name);
    return 0;
}

int statedir_open_created(const char *root, const char *id, struct statedir **sd, struct record *r, struct error **err) {
    int ret = statedir_open(root, id, sd, err);
    if (ret < 0)
        return ret;
    ret = record_read(*sd, r, err);
    if (ret == -ENOENT)
        ret = error_new(err, EBUSY, "container %s is still being created", id);
    if (ret < 0) {
        statedir_free(*sd);
        *sd = NULL;
    }
    return ret;
}

int record_write(const struct statedir *sd, const struct record *r, struct error **err) {
    _cleanup_free_ char *text = xasprintf("pid %d\nstart_time %llu\nhas_process %d\ncreated %s\nowner %s\nbundle %s\n",
                                          (int)r->pid, r->start_time, r->has_process ? 1 : 0, r->created,
                                          r->owner ? r->owner : "", r->bundle);
    _cleanup_free_ char *path = xasprintf("%s/hull.state", sd->path);
    return write_file_atomic(path, text, strlen(text), 0600, err);
}

int record_read(const struct statedir *sd, struct record *r, struct error **err) {
    _cleanup_free_ char *text = NULL;
    memset(r, 0, sizeof(*r));
    _cleanup_error_ struct error *e = NULL;
    int ret = read_file_at(sd->fd, "hull.state", &text, NULL, &e);
    if (ret == -ENOENT)
        return -ENOENT;
    if (ret < 0)
        return error_new(err, e->errnum, "container %s: %s", sd->id, e->msg);
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        char *sp = strchr(line, ' ');
        if (!sp)
            continue;
        *sp = '\0';
        const char *v = sp + 1;
        if (!strcmp(line, "pid"))
            r->pid = atoi(v);
        else if (!strcmp(line, "start_time"))
            r->start_time = strtoull(v, NULL, 10);
        else if (!strcmp(line, "has_process"))
            r->has_process = atoi(v) != 0;
        else if (!strcmp(line, "created"))
            r->created = xstrdup(v);
        else if (!strcmp(line, "owner"))
            r->owner = xstrdup(v);
        else if (!strcmp(line, "bundle"))
            r->bundle = xstrdup(v);
    }
    if (r->pid <= 0 || !r->bundle)
        return error_new(err, EIO, "container %s: corrupt state file %s/hull.state", sd->id, sd->path);
    return 0;
}

void record_clear(struct record *r) {
    free(r->bundle);
    free(r->created);
    free(r->owner);
    memset(r, 0, sizeof(*r));
}

const char *status_name(enum status s) {
    switch (s) {
    case STATUS_CREATING: return "creating";
    case STATUS_CREATED: return "created";
    case STATUS_RUNNING: return "running";
    case STATUS_STOPPED: return "stopped";
    case STATUS_PAUSED: return "paused";
    }
    return "unknown";
}

int proc_start_time(pid_t pid, unsigned long long *out) {
    char path[64];
    snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
    _cleanup_free_ char *text = NULL;
    if (read_file(path, &text, NULL, NULL) < 0)
        return -ESRCH;
    /* comm may hold spaces and parentheses: fields start after the last ')' */
    char *p = strrchr(text, ')');
    if (!p || p[1] != ' ')
        return -EIO;
    char state = p[2];
    if (state == 'Z' || state == 'X')
        return -ESRCH;
    p += 2; /* field 3 */
    for (int field = 3; field < 22; field++) {
        p = strchr(p, ' ');
        if (!p)
            return -EIO;
        p++;
    }
    *out = strtoull(p, NULL, 10);
    return 0;
}

enum status status_of(const struct statedir *sd, const struct record *r) {
    unsigned long long st;
    if (proc_start_time(r->pid, &st) < 0 || st != r->start_time)
        return STATUS_STOPPED;
    if (faccessat(sd->fd, "start.sock", F_OK, AT_SYMLINK_NOFOLLOW) == 0)
        return STATUS_CREATED;
    struct cgroup *cg = NULL;
    bool frozen = false;
    if (statedir_load_cgroup(sd, &cg, NULL) >= 0 && cgroup_frozen(cg, &frozen, NULL) < 0)
        frozen = false;
    cgroup_free(cg);
    return frozen ? STATUS_PAUSED : STATUS_RUNNING;
}

int statedir_load_cgroup(const struct statedir *sd, struct cgroup **out, struct error **err) {
    _cleanup_free_ char *text = NULL;
    *out = NULL;
    int r = read_file_at(sd->fd, "cgroup", &text, NULL, err);
    if (r < 0)
        return error_wrap(err, r, "container %s", sd->id);
    return cgroup_load(text, out, err);
}

char *statedir_seccomp_cache(const char *root) { return xasprintf("%s/.seccomp-cache", root); }
