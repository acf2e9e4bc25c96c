/* The container's filesystem (libcontainer/rootfs.h): each case forks a process that unshares a
 * mount, pid, uts and ipc namespace (and, for some, a user namespace), builds a spec by hand, runs
 * rootfs_prepare / rootfs_pivot / rootfs_finalize on a tiny busybox rootfs in a temporary
 * directory, and checks from inside; results come back through a pipe and are printed as TAP here.
 * Nothing stays mounted on the host: the mounts die with the child's mount namespace.
 * Needs root. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <linux/magic.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../base/cleanup.h"
#include "../../base/error.h"
#include "../../base/util.h"
#include "../../base/path.h"
#include "../../libcontainer/mounts.h" /* mounts_disable_new_api */
#include "../../libcontainer/rootfs.h"
#include "tap.h"

#ifndef MQUEUE_MAGIC
#define MQUEUE_MAGIC 0x19800202
#endif

/* ---------- the child's side: results through a pipe ---------- */
static int g_res = -1;

__attribute__((format(printf, 2, 3))) static bool check(bool cond, const char *fmt, ...) {
    char msg[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    for (char *p = msg; *p; p++)
        if (*p == '\n')
            *p = ' ';
    dprintf(g_res, "%d %s\n", cond ? 1 : 0, msg);
    return cond;
}

/* ---------- the test environment ---------- */
struct env {
    char tmp[64];      /* /tmp/hull-test-rootfs-XXXXXX */
    char rootfs[128];  /* <tmp>/rootfs */
    char host[128];    /* <tmp>/host: sources of binds */
    char tag[32];      /* unique names for escape checks */
};

static void write_text(const char *path, const char *text) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0 || write_all(fd, text, strlen(text)) < 0) {
        perror(path);
        exit(2);
    }
    close(fd);
}

static void xmkdir(const char *base, const char *rel) {
    char p[512];
    snprintf(p, sizeof(p), "%s/%s", base, rel);
    if (mkdir(p, 0755) < 0 && errno != EEXIST) {
        perror(p);
        exit(2);
    }
}

static void xsymlink(const char *target, const char *base, const char *rel) {
    char p[512];
    snprintf(p, sizeof(p), "%s/%s", base, rel);
    if (symlink(target, p) < 0) {
        perror(p);
        exit(2);
    }
}

static void copy_busybox(const char *rootfs) {
    char dst[512];
    snprintf(dst, sizeof(dst), "%s/bin/busybox", rootfs);
    char *data = NULL;
    size_t len = 0;
    struct error *err = NULL;
    if (read_file("/bin/busybox", &data, &len, &err) < 0) {
        fprintf(stderr, "%s\n", err->msg);
        exit(2);
    }
    int fd = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
    if (fd < 0 || write_all(fd, data, len) < 0) {
        perror(dst);
        exit(2);
    }
    close(fd);
    free(data);
}

static void env_make(struct env *e) {
    snprintf(e->tmp, sizeof(e->tmp), "/tmp/hull-test-rootfs-XXXXXX");
    if (!mkdtemp(e->tmp)) {
        perror("mkdtemp");
        exit(2);
    }
    snprintf(e->rootfs, sizeof(e->rootfs), "%s/rootfs", e->tmp);
    snprintf(e->host, sizeof(e->host), "%s/host", e->tmp);
    snprintf(e->tag, sizeof(e->tag), "hull-%d", (int)getpid());
    char p[512];
    xmkdir(e->tmp, "rootfs");
    xmkdir(e->tmp, "host");
    const char *dirs[] = {"bin", "proc", "sys", "dev", "etc", "tmp", "opt", "opt/copy", "opt/copy/sub", "masked_dir"};
    for (size_t i = 0; i < ARRAY_SIZE(dirs); i++)
        xmkdir(e->rootfs, dirs[i]);
    copy_busybox(e->rootfs);
    snprintf(p, sizeof(p), "%s/opt/copy/a.txt", e->rootfs);
    write_text(p, "copied");
    chmod(p, 0640);
    snprintf(p, sizeof(p), "%s/opt/copy/sub/b.txt", e->rootfs);
    write_text(p, "deep");
    xsymlink("a.txt", e->rootfs, "opt/copy/link");
    snprintf(p, sizeof(p), "%s/masked_dir/secret.txt", e->rootfs);
    write_text(p, "secret");
    snprintf(p, sizeof(p), "%s/secret.txt", e->rootfs);
    write_text(p, "secret");
    xsymlink("/etc", e->rootfs, "evil");                  /* absolute: must mean <rootfs>/etc */
    xsymlink("../../../../../../../..", e->rootfs, "up"); /* relative, climbing: must stop at the root */
    char t[128];
    snprintf(t, sizeof(t), "/%s-dangle", e->tag); /* to be created inside the rootfs */
    xsymlink(t, e->rootfs, "dangle");
    snprintf(t, sizeof(t), "../../../../../%s-dangle2", e->tag);
    xsymlink(t, e->rootfs, "dangle2");
    xsymlink("loop2", e->rootfs, "loop1");
    xsymlink("loop1", e->rootfs, "loop2");

    xmkdir(e->host, "dir");
    snprintf(p, sizeof(p), "%s/dir/data", e->host);
    write_text(p, "data");
    snprintf(p, sizeof(p), "%s/file.txt", e->host);
    write_text(p, "hello");
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
    (void)st;
    (void)ftw;
    if (flag == FTW_DP ? rmdir(path) : unlink(path))
        fprintf(stderr, "# cleanup: remove %s: %s\n", path, strerror(errno));
    return 0;
}

static void env_remove(struct env *e) {
    nftw(e->tmp, rm_one, 32, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
}

static bool host_exists(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static bool host_exists(const char *fmt, ...) {
    char p[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p, sizeof(p), fmt, ap);
    va_end(ap);
    struct stat st;
    return lstat(p, &st) == 0;
}

static void remove_escapes(const struct env *e) {
    const char *fmts[] = {"/%s-escape/x", "/%s-escape", "/etc/%s-evil", "/%s-up", "/tmp/%s-up", "/%s-dangle/x",
                          "/%s-dangle", "/%s-dangle2/y", "/%s-dangle2"};
    for (size_t i = 0; i < ARRAY_SIZE(fmts); i++) {
        char p[128];
        snprintf(p, sizeof(p), fmts[i], e->tag);
        rmdir(p);
    }
}

/* ---------- running a case ---------- */
struct tcase {
    const char *name;
    bool userns;
    int unshare_more;
    void (*fn)(struct env *e);
    bool legacy; /* the fallbacks: no openat2, no new mount API */
};

static void write_map(pid_t pid, const char *file) {
    char p[64];
    snprintf(p, sizeof(p), "/proc/%d/%s", (int)pid, file);
    struct error *err = NULL;
    if (write_file_at(AT_FDCWD, p, "0 0 4294967295\n", &err) < 0) {
        fprintf(stderr, "%s\n", err->msg);
        error_free(err);
    }
}

static _Noreturn void case_child(const struct tcase *t, struct env *e, int res, int to_parent, int from_parent) {
    g_res = res;
    if (t->userns) {
        char c = 'u';
        if (unshare(CLONE_NEWUSER) < 0 || write(to_parent, &c, 1) != 1 || read(from_parent, &c, 1) != 1) {
            check(false, "enter a user namespace: %s", strerror(errno));
            _exit(1);
        }
    }
    if (unshare(CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC | t->unshare_more) < 0) {
        check(false, "unshare: %s", strerror(errno));
        _exit(1);
    }
    pid_t pid = fork();
    if (pid == 0) {
        path_disable_openat2(t->legacy);
        mounts_disable_new_api(t->legacy);
        t->fn(e);
        _exit(0);
    }
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) < 0)
        _exit(1);
    _exit(WIFEXITED(status) ? WEXITSTATUS(status) : 1);
}

static void run_case(const struct tcase *t, struct env *e) {
    int res[2], up[2], down[2];
    if (pipe2(res, O_CLOEXEC) < 0 || pipe2(up, O_CLOEXEC) < 0 || pipe2(down, O_CLOEXEC) < 0)
        exit(2);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        close(res[0]);
        close(up[0]);
        close(down[1]);
        case_child(t, e, res[1], up[1], down[0]);
    }
    close(res[1]);
    close(up[1]);
    close(down[0]);
    if (t->userns) {
        char c;
        if (read(up[0], &c, 1) == 1) {
            write_map(pid, "uid_map");
            write_map(pid, "gid_map");
            (void)!write(down[1], &c, 1);
        }
    }
    close(up[0]);
    close(down[1]);
    FILE *f = fdopen(res[0], "r");
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, f)) > 0) {
        if (line[n - 1] == '\n')
            line[n - 1] = '\0';
        if (line[0] == '#')
            diag("%s: %s", t->name, line + 2);
        else
            ok(line[0] == '1', "%s: %s", t->name, line + 2);
    }
    free(line);
    fclose(f);
    int status = 0;
    waitpid(pid, &status, 0);
    ok(WIFEXITED(status) && WEXITSTATUS(status) == 0, "%s: the container process exited cleanly (status %#x)",
       t->name, status);
}

/* ---------- helpers for the checks inside ---------- */
static struct oci_mount fs(const char *dest, const char *type, unsigned long flags, const char *data) {
    return (struct oci_mount){
        .destination = (char *)dest, .type = (char *)type, .source = (char *)type, .flags = flags, .data = (char *)data};
}

static struct oci_mount bind(const char *dest, const char *src, unsigned long flags, bool rec) {
    return (struct oci_mount){.destination = (char *)dest,
                              .type = (char *)"bind",
                              .source = (char *)src,
                              .flags = flags | MS_BIND | (rec ? MS_REC : 0),
                              .bind = true,
                              .recursive_bind = rec};
}

/* The topmost mount at `path` in /proc/self/mountinfo: its fstype, and its optional fields. */
static bool mi_find(const char *path, char *fstype, char *optional, char *mount_opts) {
    _cleanup_fclose_ FILE *f = fopen("/proc/self/mountinfo", "re");
    char line[4096];
    bool found = false;
    while (f && fgets(line, sizeof(line), f)) {
        char mp[1024], opts[512], rest[2048];
        if (sscanf(line, "%*s %*s %*s %*s %1023s %511s %2047[^\n]", mp, opts, rest) != 3 || strcmp(mp, path) != 0)
            continue;
        char *sep = strstr(rest, "- ");
        if (!sep)
            continue;
        found = true;
        if (optional) {
            snprintf(optional, 256, "%.*s", (int)(sep - rest), rest);
        }
        if (fstype)
            sscanf(sep + 2, "%63s", fstype);
        if (mount_opts)
            snprintf(mount_opts, 512, "%s", opts);
    }
    return found;
}

static bool is_fs(const char *path, long magic) {
    struct statfs s;
    return statfs(path, &s) == 0 && (long)s.f_type == magic;
}

static bool is_ro(const char *path) {
    struct statvfs s;
    return statvfs(path, &s) == 0 && (s.f_flag & ST_RDONLY);
}

static bool is_dev(const char *path, mode_t type, unsigned maj, unsigned min) {
    struct stat st;
    return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == type && major(st.st_rdev) == maj &&
           minor(st.st_rdev) == min;
}

static bool content_is(const char *path, const char *want) {
    char *data = NULL;
    struct error *err = NULL;
    bool r = read_file(path, &data, NULL, &err) == 0 && strcmp(data, want) == 0;
    free(data);
    error_free(err);
    return r;
}

static bool link_is(const char *path, const char *want) {
    char buf[256];
    ssize_t n = readlink(path, buf, sizeof(buf) - 1);
    if (n < 0)
        return false;
    buf[n] = '\0';
    return strcmp(buf, want) == 0;
}

static int errno_of_create(const char *path) {
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd >= 0) {
        close(fd);
        unlink(path);
        return 0;
    }
    return errno;
}

static bool step(int r, struct error **err, const char *what) {
    if (r >= 0)
        return true;
    check(false, "%s: %s", what, *err ? (*err)->msg : "?");
    error_free(*err);
    *err = NULL;
    return false;
}

static bool prepare_and_pivot(const struct rootfs_ctx *c) {
    struct error *err = NULL;
    return step(rootfs_prepare(c, &err), &err, "rootfs_prepare") && step(rootfs_pivot(c, &err), &err, "rootfs_pivot");
}

/* ---------- the cases ---------- */
static void check_devices(bool in_userns) {
    static const struct {
        const char *path;
        unsigned maj, min;
    } devs[] = {{"/dev/null", 1, 3}, {"/dev/zero", 1, 5},    {"/dev/full", 1, 7},
                {"/dev/random", 1, 8}, {"/dev/urandom", 1, 9}, {"/dev/tty", 5, 0}};
    for (size_t i = 0; i < ARRAY_SIZE(devs); i++) {
        check(is_dev(devs[i].path, S_IFCHR, devs[i].maj, devs[i].min), "%s is c %u:%u", devs[i].path, devs[i].maj,
              devs[i].min);
        if (in_userns)
            check(mi_find(devs[i].path, NULL, NULL, NULL), "%s is a bind of the host's node", devs[i].path);
    }
    check(link_is("/dev/fd", "/proc/self/fd") && link_is("/dev/stdin", "/proc/self/fd/0") &&
              link_is("/dev/stdout", "/proc/self/fd/1") && link_is("/dev/stderr", "/proc/self/fd/2"),
          "/dev/fd, stdin, stdout, stderr symlinks");
    check(link_is("/dev/ptmx", "pts/ptmx"), "/dev/ptmx -> pts/ptmx");
    if (access("/proc/kcore", F_OK) == 0)
        check(link_is("/dev/core", "/proc/kcore"), "/dev/core -> /proc/kcore");
    else
        check(access("/dev/core", F_OK) < 0 && errno == ENOENT, "no /proc/kcore here: no /dev/core either");
    int fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
    check(fd >= 0 && write(fd, "x", 1) == 1, "/dev/null is usable");
    if (fd >= 0)
        close(fd);
}

static void check_console(void) {
    int m = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (!check(m >= 0 && grantpt(m) == 0 && unlockpt(m) == 0, "open the container's /dev/ptmx"))
        return;
    char name[64] = "";
    ptsname_r(m, name, sizeof(name));
    int slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
    struct error *err = NULL;
    if (step(rootfs_setup_console(slave, &err), &err, "rootfs_setup_console")) {
        struct stat a, b;
        check(stat("/dev/console", &a) == 0 && stat(name, &b) == 0 && S_ISCHR(a.st_mode) && a.st_rdev == b.st_rdev,
              "/dev/console is the pty slave %s", name);
    }
    if (slave >= 0)
        close(slave);
    close(m);
}

static void check_cgroups(const char *tag) {
    check(is_fs("/sys/fs/cgroup", TMPFS_MAGIC) && is_ro("/sys/fs/cgroup"), "/sys/fs/cgroup is a read-only tmpfs");
    check(access("/sys/fs/cgroup/pids/cgroup.procs", F_OK) == 0, "the pids hierarchy is there");
    check(access("/sys/fs/cgroup/memory/memory.limit_in_bytes", F_OK) == 0, "the memory hierarchy is there");
    check(access("/sys/fs/cgroup/unified/cgroup.procs", F_OK) == 0, "the unified hierarchy is there");
    check(is_ro("/sys/fs/cgroup/pids") && is_ro("/sys/fs/cgroup/unified"), "hierarchies are read-only");
    char p[256];
    snprintf(p, sizeof(p), "/sys/fs/cgroup/pids/%s", tag);
    int r = mkdir(p, 0755);
    int e = errno;
    if (r == 0)
        rmdir(p);
    check(r < 0 && e == EROFS, "mkdir in a hierarchy fails with EROFS (%s)", r == 0 ? "succeeded" : strerror(e));
}

static char g_escape[64], g_evil[64], g_up[64];

static void case_full(struct env *e) {
    char data[256], file[256];
    snprintf(data, sizeof(data), "%s/dir", e->host);
    snprintf(file, sizeof(file), "%s/file.txt", e->host);
    struct oci_mount mounts[] = {
        fs("/proc", "proc", MS_NOSUID | MS_NOEXEC | MS_NODEV, NULL),
        fs("/dev", "tmpfs", MS_NOSUID | MS_STRICTATIME, "mode=755,size=65536k"),
        fs("/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=0620,gid=5"),
        fs("/dev/shm", "tmpfs", MS_NOSUID | MS_NOEXEC | MS_NODEV, "mode=1777,size=65536k"),
        fs("/dev/mqueue", "mqueue", MS_NOSUID | MS_NOEXEC | MS_NODEV, NULL),
        fs("/sys", "sysfs", MS_NOSUID | MS_NOEXEC | MS_NODEV | MS_RDONLY, NULL),
        fs("/sys/fs/cgroup", "cgroup", MS_NOSUID | MS_NOEXEC | MS_NODEV | MS_RELATIME | MS_RDONLY, NULL),
        bind("/data", data, MS_RDONLY, false),
        bind("/etc/hostfile", file, 0, false),
        fs(g_escape, "tmpfs", 0, NULL),
        fs(g_evil, "tmpfs", 0, NULL),
        fs(g_up, "tmpfs", 0, NULL),
        fs("/opt/copy", "tmpfs", 0, NULL),
        fs("/sharedtmp", "tmpfs", 0, NULL),
        bind("/rro", data, 0, true),
        fs("/dangle/x", "tmpfs", 0, NULL),
        fs("/dangle2/y", "tmpfs", 0, NULL),
    };
    mounts[12].tmpcopyup = true;
    mounts[13].propagation = MS_SHARED;
    mounts[14].attr_set = 0x1; /* MOUNT_ATTR_RDONLY, recursive ("rro") */
    struct oci_device devices[] = {
        {.path = "/dev/fuse", .type = 'c', .major = 10, .minor = 229, .has_file_mode = true, .file_mode = 0620,
         .has_uid = true, .uid = 1, .has_gid = true, .gid = 2},
        {.path = "/mydevs/null2", .type = 'c', .major = 1, .minor = 3},
        {.path = "/dev/fifo0", .type = 'p'},
        {.path = "/dev//./null", .type = 'c', .major = 1, .minor = 3, .has_file_mode = true, .file_mode = 0600},
    };
    char *masked[] = {"/proc/kcore", "/proc/meminfo", "/sys/firmware", "/masked_dir", "/secret.txt", "/nonexistent/x", NULL};
    char *readonly[] = {"/proc/sys", "/missing", NULL};
    struct oci_key_value sysctl[] = {{.key = "kernel.hostname", .value = "hull-sysctl"}};
    struct oci_linux linux = {.devices = devices,
                              .n_devices = ARRAY_SIZE(devices),
                              .masked_paths = masked,
                              .readonly_paths = readonly,
                              .sysctl = sysctl,
                              .n_sysctl = 1};
    struct oci_spec spec = {
        .root_readonly = true, .mounts = mounts, .n_mounts = ARRAY_SIZE(mounts), .linux = &linux};
    struct rootfs_ctx c = {.spec = &spec, .rootfs = e->rootfs, .new_mount_ns = true, .has_terminal = true};
    struct error *err = NULL;
    if (!prepare_and_pivot(&c))
        return;
    check_console();
    if (!step(rootfs_apply_sysctl(&linux, &err), &err, "rootfs_apply_sysctl") ||
        !step(rootfs_finalize(&c, &err), &err, "rootfs_finalize"))
        return;

    check(getpid() == 1 && link_is("/proc/self", "1"), "pid 1 and our own /proc");
    check(access("/bin/busybox", X_OK) == 0, "/ is the rootfs");
    check(access(e->tmp, F_OK) < 0 && !mi_find(e->tmp, NULL, NULL, NULL), "the old root is gone");
    check_devices(false);
    check(is_dev("/dev/fuse", S_IFCHR, 10, 229), "linux.devices /dev/fuse is c 10:229");
    struct stat st;
    check(stat("/dev/fuse", &st) == 0 && (st.st_mode & 07777) == 0620 && st.st_uid == 1 && st.st_gid == 2,
          "/dev/fuse has mode 0620 and owner 1:2");
    check(is_dev("/mydevs/null2", S_IFCHR, 1, 3), "a device outside /dev");
    check(stat("/dev/fifo0", &st) == 0 && S_ISFIFO(st.st_mode), "a fifo device");
    check(stat("/dev/null", &st) == 0 && (st.st_mode & 07777) == 0600, "linux.devices overrides a default device");
    check(is_fs("/dev/shm", TMPFS_MAGIC) && is_fs("/dev/mqueue", MQUEUE_MAGIC), "/dev/shm and /dev/mqueue");
    check(is_fs("/sys", SYSFS_MAGIC) && is_ro("/sys") && access("/sys/kernel", F_OK) == 0, "/sys: read-only sysfs");
    check_cgroups(e->tag);
    check(content_is("/data/data", "data") && is_ro("/data"), "read-only bind of a directory");
    check(errno_of_create("/data/new") == EROFS, "writing into it fails with EROFS");
    check(content_is("/etc/hostfile", "hello"), "bind of a file");
    check(is_fs(g_escape, TMPFS_MAGIC), "%s lands inside the rootfs", g_escape);
    char p[128];
    snprintf(p, sizeof(p), "/etc/%s-evil", e->tag);
    check(is_fs(p, TMPFS_MAGIC), "%s through the symlink evil -> /etc lands in the rootfs's /etc", g_evil);
    snprintf(p, sizeof(p), "/%s-up", e->tag);
    check(is_fs(p, TMPFS_MAGIC), "%s through a climbing relative symlink lands at the root", g_up);
    snprintf(p, sizeof(p), "/%s-dangle/x", e->tag);
    check(is_fs(p, TMPFS_MAGIC), "/dangle/x through a dangling absolute symlink: its target made inside");
    snprintf(p, sizeof(p), "/%s-dangle2/y", e->tag);
    check(is_fs(p, TMPFS_MAGIC), "/dangle2/y through a dangling climbing symlink: its target made inside");
    check(is_fs("/opt/copy", TMPFS_MAGIC) && content_is("/opt/copy/a.txt", "copied") &&
              content_is("/opt/copy/sub/b.txt", "deep") && link_is("/opt/copy/link", "a.txt"),
          "tmpcopyup copied files, directories and symlinks");
    check(stat("/opt/copy/a.txt", &st) == 0 && (st.st_mode & 07777) == 0640, "tmpcopyup kept the mode");
    check(close(open("/opt/copy/new.txt", O_CREAT | O_WRONLY | O_CLOEXEC, 0644)) == 0, "the copyup tmpfs is writable");
    char opt[256] = "";
    check(mi_find("/sharedtmp", NULL, opt, NULL) && strstr(opt, "shared:"), "per-mount propagation shared (%s)", opt);
    check(is_ro("/rro") && content_is("/rro/data", "data"), "rro makes an rbind read-only");
    char buf[16];
    int fd = open("/proc/meminfo", O_RDONLY | O_CLOEXEC);
    check(fd >= 0 && read(fd, buf, sizeof(buf)) == 0, "masked /proc/meminfo reads empty");
    if (fd >= 0)
        close(fd);
    DIR *d = opendir("/sys/firmware");
    int entries = 0;
    for (struct dirent *de; d && (de = readdir(d));)
        entries += de->d_name[0] != '.';
    check(d && entries == 0 && is_ro("/sys/firmware"), "masked /sys/firmware is an empty read-only directory");
    if (d)
        closedir(d);
    check(content_is("/secret.txt", ""), "masked file reads empty");
    check(access("/masked_dir/secret.txt", F_OK) < 0 && is_ro("/masked_dir"), "masked directory is empty, read-only");
    check(is_ro("/proc/sys"), "/proc/sys is read-only");
    fd = open("/proc/sys/kernel/hostname", O_WRONLY | O_CLOEXEC);
    check(fd < 0 && errno == EROFS, "writing /proc/sys/kernel/hostname fails with EROFS");
    if (fd >= 0)
        close(fd);
    char host[64] = "";
    gethostname(host, sizeof(host));
    check(strcmp(host, "hull-sysctl") == 0, "sysctl kernel.hostname applied (%s)", host);
    check(is_ro("/") && errno_of_create("/newfile") == EROFS, "root.readonly: / is read-only");
    check(mi_find("/", NULL, opt, NULL) && !strstr(opt, "shared:"), "/ is not shared by default (%s)", opt);

    struct oci_key_value bad[] = {{.key = "kernel.hull_nonexistent", .value = "1"}};
    struct oci_linux badl = {.sysctl = bad, .n_sysctl = 1};
    int r = rootfs_apply_sysctl(&badl, &err);
    check(r < 0 && err && strstr(err->msg, "linux.sysctl[\"kernel.hull_nonexistent\"]"), "a sysctl error names the key: %s",
          err ? err->msg : "no error");
    error_free(err);
    err = NULL;
    bad[0].key = "kernel...hostname";
    r = rootfs_apply_sysctl(&badl, &err);
    check(r == -EINVAL, "a sysctl key with an empty component is refused: %s", err ? err->msg : "no error");
    error_free(err);

    pid_t pid = fork();
    if (pid == 0) {
        execl("/bin/busybox", "busybox", "sh", "-c",
              "test -c /dev/null && test -L /dev/ptmx && test \"$(cat /etc/hostfile)\" = hello", (char *)NULL);
        _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    check(WIFEXITED(status) && WEXITSTATUS(status) == 0, "busybox runs in the container and sees it");
}

static void case_userns(struct env *e) {
    char data[256];
    snprintf(data, sizeof(data), "%s/dir", e->host);
    struct oci_mount mounts[] = {
        fs("/proc", "proc", MS_NOSUID | MS_NOEXEC | MS_NODEV, NULL),
        fs("/dev", "tmpfs", MS_NOSUID | MS_STRICTATIME, "mode=755,size=65536k"),
        fs("/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=0620,gid=5"),
        fs("/dev/mqueue", "mqueue", MS_NOSUID | MS_NOEXEC | MS_NODEV, NULL),
        fs("/sys", "sysfs", MS_NOSUID | MS_NOEXEC | MS_NODEV | MS_RDONLY, NULL),
        fs("/sys/fs/cgroup", "cgroup", MS_NOSUID | MS_NOEXEC | MS_NODEV | MS_RELATIME | MS_RDONLY, NULL),
        bind("/data", data, MS_RDONLY | MS_NOSUID, false),
    };
    struct oci_device devices[] = {{.path = "/dev/fuse", .type = 'c', .major = 10, .minor = 229}};
    char *masked[] = {"/proc/kcore", "/proc/meminfo", NULL};
    char *readonly[] = {"/proc/sys", NULL};
    struct oci_linux linux = {
        .devices = devices, .n_devices = 1, .masked_paths = masked, .readonly_paths = readonly};
    struct oci_spec spec = {.mounts = mounts, .n_mounts = ARRAY_SIZE(mounts), .linux = &linux};
    struct rootfs_ctx c = {.spec = &spec, .rootfs = e->rootfs, .new_mount_ns = true, .in_userns = true};
    struct error *err = NULL;
    if (!prepare_and_pivot(&c) || !step(rootfs_finalize(&c, &err), &err, "rootfs_finalize"))
        return;
    check_devices(true);
    bool fuse = access("/dev/fuse", F_OK) == 0;
    check(fuse ? is_dev("/dev/fuse", S_IFCHR, 10, 229) : true, "linux.devices in a user namespace (%s)",
          fuse ? "bound" : "the host has no /dev/fuse");
    char fstype[64] = "";
    check(mi_find("/sys", fstype, NULL, NULL) && is_ro("/sys") && access("/sys/kernel", F_OK) == 0,
          "sysfs fell back to a read-only rbind of /sys (%s)", fstype);
    check(is_ro("/sys/fs/cgroup/memory") || access("/sys/fs/cgroup/memory", F_OK) < 0, "memory hierarchy read-only");
    check_cgroups(e->tag);
    check(content_is("/data/data", "data") && is_ro("/data"), "read-only bind in a user namespace");
    check(is_ro("/proc/sys"), "/proc/sys is read-only");
    int fd = open("/proc/meminfo", O_RDONLY | O_CLOEXEC);
    char b;
    check(fd >= 0 && read(fd, &b, 1) == 0, "masked /proc/meminfo reads empty");
    if (fd >= 0)
        close(fd);
}

static void case_userns_errors(struct env *e) {
    char data[256];
    snprintf(data, sizeof(data), "%s/dir", e->host);
    struct oci_idmap map = {.container_id = 0, .host_id = 1000, .size = 1};
    struct oci_mount m = bind("/idm", data, 0, false);
    m.idmap = true;
    m.uid_mappings = m.gid_mappings = &map;
    m.n_uid_mappings = m.n_gid_mappings = 1;
    struct oci_spec spec = {.mounts = &m, .n_mounts = 1};
    struct rootfs_ctx c = {.spec = &spec, .rootfs = e->rootfs, .new_mount_ns = true, .in_userns = true};
    struct error *err = NULL;
    int r = rootfs_prepare(&c, &err);
    check(r < 0 && err && strstr(err->msg, "mounts[0] (bind ") && strstr(err->msg, "not supported yet"),
          "idmap in a user namespace: a clear error: %s", err ? err->msg : "no error");
    error_free(err);
}

static void case_idmap(struct env *e) {
    char src[256];
    snprintf(src, sizeof(src), "%s/dir", e->host);
    struct oci_idmap map = {.container_id = 0, .host_id = 1000, .size = 1};
    struct oci_mount m[] = {fs("/proc", "proc", 0, NULL), bind("/idm", src, 0, false)};
    m[1].idmap = true;
    m[1].uid_mappings = m[1].gid_mappings = &map;
    m[1].n_uid_mappings = m[1].n_gid_mappings = 1;
    struct oci_spec spec = {.mounts = m, .n_mounts = 2};
    struct rootfs_ctx c = {.spec = &spec, .rootfs = e->rootfs, .new_mount_ns = true};
    struct error *err = NULL;
    if (rootfs_prepare(&c, &err) < 0 && err && err->errnum == ENOSYS) {
        check(true, "idmap # SKIP %s", err->msg); /* Linux < 5.12, or valgrind */
        error_free(err);
        return;
    }
    if (!step(err ? -1 : 0, &err, "rootfs_prepare") || !step(rootfs_pivot(&c, &err), &err, "rootfs_pivot"))
        return;
    struct stat st = {0};
    int r = stat("/idm/data", &st);
    check(r == 0 && st.st_uid == 1000 && st.st_gid == 1000, "idmapped bind: a file owned by 0 on disk shows as 1000 (%d:%d)",
          (int)st.st_uid, (int)st.st_gid);
    check(mi_find("/idm", NULL, NULL, NULL), "the idmapped mount is there");
}

static void case_propagation(struct env *e) {
    struct oci_mount m = fs("/proc", "proc", 0, NULL);
    struct oci_linux linux = {.rootfs_propagation = "shared", .rootfs_propagation_flags = MS_SHARED | MS_REC};
    struct oci_spec spec = {.mounts = &m, .n_mounts = 1, .linux = &linux};
    struct rootfs_ctx c = {.spec = &spec, .rootfs = e->rootfs, .new_mount_ns = true};
    struct error *err = NULL;
    if (!prepare_and_pivot(&c) || !step(rootfs_finalize(&c, &err), &err, "rootfs_finalize"))
        return;
    char opt[256] = "";
    check(mi_find("/", NULL, opt, NULL) && strstr(opt, "shared:"), "rootfsPropagation shared: / is shared (%s)", opt);
    check(mi_find("/proc", NULL, opt, NULL) && strstr(opt, "shared:"), "and recursively (/proc: %s)", opt);
}

static void case_no_pivot(struct env *e) {
    struct oci_mount m = fs("/proc", "proc", 0, NULL);
    struct oci_spec spec = {.mounts = &m, .n_mounts = 1, .root_readonly = true};
    struct rootfs_ctx c = {.spec = &spec, .rootfs = e->rootfs, .new_mount_ns = true, .no_pivot = true};
    struct error *err = NULL;
    if (!prepare_and_pivot(&c) || !step(rootfs_finalize(&c, &err), &err, "rootfs_finalize"))
        return;
    check(access("/bin/busybox", X_OK) == 0 && access(e->tmp, F_OK) < 0, "no_pivot: / is the rootfs");
    check(getpid() == 1 && link_is("/proc/self", "1"), "no_pivot: /proc mounted");
    check(is_ro("/"), "no_pivot: root.readonly");
    check_devices(false);
}

static void case_cgroupns(struct env *e) {
    struct oci_mount mounts[] = {
        fs("/proc", "proc", 0, NULL),
        fs("/sys/fs/cgroup", "cgroup", MS_NOSUID | MS_NOEXEC | MS_NODEV, NULL),
    };
    mounts[1].clear_flags = MS_RDONLY; /* "rw" */
    struct oci_spec spec = {.mounts = mounts, .n_mounts = 2};
    struct rootfs_ctx c = {.spec = &spec, .rootfs = e->rootfs, .new_mount_ns = true, .new_cgroup_ns = true};
    if (!prepare_and_pivot(&c))
        return;
    char fstype[64] = "";
    check(mi_find("/sys/fs/cgroup/pids", fstype, NULL, NULL) && strcmp(fstype, "cgroup") == 0,
          "cgroup namespace: a fresh cgroup mount per hierarchy (%s)", fstype);
    check(mi_find("/sys/fs/cgroup/unified", fstype, NULL, NULL) && strcmp(fstype, "cgroup2") == 0,
          "and cgroup2 for the unified one (%s)", fstype);
    check(!is_ro("/sys/fs/cgroup") && !is_ro("/sys/fs/cgroup/pids"), "\"rw\" keeps them writable");
    check(access("/sys/fs/cgroup/memory/memory.limit_in_bytes", F_OK) == 0, "the memory hierarchy is there");
}

static void expect_error(struct env *e, struct oci_spec *spec, const char *want, const char *what) {
    struct rootfs_ctx c = {.spec = spec, .rootfs = e->rootfs, .new_mount_ns = true};
    struct error *err = NULL;
    int r = rootfs_prepare(&c, &err);
    check(r < 0 && err && strstr(err->msg, want), "%s: \"%s\"", what, err ? err->msg : "no error");
    error_free(err);
}

static void case_errors(struct env *e) {
    struct oci_mount m[2] = {fs("/proc", "proc", 0, NULL), fs("/x", "hullnosuchfs", 0, NULL)};
    struct oci_spec spec = {.mounts = m, .n_mounts = 2};
    expect_error(e, &spec, "mounts[1] (hullnosuchfs on /x): mount: No such device", "unknown filesystem");

    m[0] = bind("/y", "/nonexistent/hull", 0, false);
    spec.n_mounts = 1;
    expect_error(e, &spec, "mounts[0] (bind /nonexistent/hull on /y): stat /nonexistent/hull: No such file",
                 "missing bind source");

    m[0] = fs("/z", "tmpfs", 0, NULL);
    m[0].idmap = true;
    expect_error(e, &spec, "mounts[0] (tmpfs on /z): idmap and ridmap are only supported on bind mounts",
                 "idmap on a tmpfs");

    m[0] = fs("/z", "proc", 0, NULL);
    m[0].tmpcopyup = true;
    expect_error(e, &spec, "mounts[0] (proc on /z): tmpcopyup is only supported on tmpfs", "tmpcopyup on proc");

    m[0] = fs("/a/../..", "tmpfs", 0, NULL);
    expect_error(e, &spec, "mounts[0] (tmpfs on /a/../..): the destination is the root itself", "a mount on /");

    m[0] = fs("/loop1/x", "tmpfs", 0, NULL);
    expect_error(e, &spec, "mounts[0] (tmpfs on /loop1/x): open /loop1/x in the rootfs: Too many levels of symbolic links",
                 "a symlink loop on the way");

    m[0] = fs("/evil", "proc", 0, NULL);
    expect_error(e, &spec, "mounts[0] (proc on /evil): the destination must be a plain directory", "proc on a symlink");

    struct oci_device d = {.path = "/bin/busybox", .type = 'c', .major = 1, .minor = 3};
    struct oci_linux linux = {.devices = &d, .n_devices = 1};
    struct oci_spec spec2 = {.linux = &linux};
    expect_error(e, &spec2, "linux.devices[0] (/bin/busybox): a file that is not c 1:3 exists", "device over a file");
}

static struct tcase cases[] = {
    {"full", false, 0, case_full, false},
    {"userns", true, 0, case_userns, false},
    {"userns-idmap", true, 0, case_userns_errors, false},
    {"idmap", false, 0, case_idmap, false},
    {"propagation", false, 0, case_propagation, false},
    {"no-pivot", false, 0, case_no_pivot, false},
    {"cgroupns", false, CLONE_NEWCGROUP, case_cgroupns, false},
    {"errors", false, 0, case_errors, false},
    {"full-legacy", false, 0, case_full, true},
    {"userns-legacy", true, 0, case_userns, true},
    {"propagation-legacy", false, 0, case_propagation, true},
    {"no-pivot-legacy", false, 0, case_no_pivot, true},
    {"cgroupns-legacy", false, CLONE_NEWCGROUP, case_cgroupns, true},
    {"errors-legacy", false, 0, case_errors, true},
};

int main(void) {
    if (geteuid() != 0) {
        printf("1..0 # SKIP needs root\n");
        return 0;
    }
    if (access("/bin/busybox", X_OK) < 0) {
        printf("1..0 # SKIP needs /bin/busybox (busybox-static)\n");
        return 0;
    }
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct env e;
        env_make(&e);
        snprintf(g_escape, sizeof(g_escape), "../../%s-escape", e.tag);
        snprintf(g_evil, sizeof(g_evil), "/evil/%s-evil", e.tag);
        snprintf(g_up, sizeof(g_up), "/up/%s-up", e.tag);
        run_case(&cases[i], &e);
        if (cases[i].fn == case_full) {
            const char *n = cases[i].name;
            ok(!host_exists("/%s-escape", e.tag) && host_exists("%s/%s-escape", e.rootfs, e.tag),
               "%s: ../../ destination created inside the rootfs, not on the host", n);
            ok(!host_exists("/etc/%s-evil", e.tag) && host_exists("%s/etc/%s-evil", e.rootfs, e.tag),
               "%s: symlink to /etc resolved inside the rootfs, the host's /etc untouched", n);
            ok(!host_exists("/%s-up", e.tag) && !host_exists("/tmp/%s-up", e.tag) &&
                   host_exists("%s/%s-up", e.rootfs, e.tag),
               "%s: climbing relative symlink stopped at the rootfs", n);
            ok(!host_exists("%s/opt/copy/new.txt", e.rootfs), "%s: writes to the copyup tmpfs stay in it", n);
            ok(!host_exists("/%s-dangle", e.tag) && !host_exists("/%s-dangle2", e.tag) &&
                   host_exists("%s/%s-dangle/x", e.rootfs, e.tag) && host_exists("%s/%s-dangle2/y", e.rootfs, e.tag),
               "%s: targets of dangling symlinks made inside the rootfs only", n);
            remove_escapes(&e); /* what a broken resolution would have made on the host (empty dirs) */
            ok(host_exists("%s/dev", e.rootfs) && !host_exists("%s/dev/null", e.rootfs),
               "%s: devices went to the tmpfs, not the rootfs directory", n);
        }
        env_remove(&e);
        ok(access(e.tmp, F_OK) < 0, "%s: temporary rootfs removed", cases[i].name);
    }
    return tap_done();
}
