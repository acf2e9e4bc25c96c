/* The config.json that `hull spec` writes: the shape of `runc spec` (and `runc spec --rootless`),
 * without linux.resources. */
#include <string.h>
#include <unistd.h>

#include "internal.h"

struct default_mount {
    const char *destination, *type, *source;
    const char *options[8];
};

static const struct default_mount mounts[] = {
    {"/proc", "proc", "proc", {NULL}},
    {"/dev", "tmpfs", "tmpfs", {"nosuid", "strictatime", "mode=755", "size=65536k", NULL}},
    {"/dev/pts", "devpts", "devpts", {"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5", NULL}},
    {"/dev/shm", "tmpfs", "shm", {"nosuid", "noexec", "nodev", "mode=1777", "size=65536k", NULL}},
    {"/dev/mqueue", "mqueue", "mqueue", {"nosuid", "noexec", "nodev", NULL}},
    {"/sys", "sysfs", "sysfs", {"nosuid", "noexec", "nodev", "ro", NULL}},
    {"/sys/fs/cgroup", "cgroup", "cgroup", {"nosuid", "noexec", "nodev", "relatime", "ro", NULL}},
};

/* Rootless (runc --rootless): sysfs cannot be mounted without the network namespace's owner, so
 * it is bind-mounted from the host; gid 5 is not mapped; no cgroup mount. */
static const struct default_mount rootless_devpts = {
    "/dev/pts", "devpts", "devpts", {"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", NULL}};
static const struct default_mount rootless_sysfs = {
    "/sys", "none", "/sys", {"rbind", "nosuid", "noexec", "nodev", "ro", NULL}};

static const char *const caps[] = {"CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE", NULL};

static const char *const masked_paths[] = {
    "/proc/acpi",
    "/proc/asound",
    "/proc/kcore",
    "/proc/keys",
    "/proc/latency_stats",
    "/proc/timer_list",
    "/proc/timer_stats",
    "/proc/sched_debug",
    "/sys/firmware",
    "/proc/scsi",
    "/sys/devices/virtual/powercap",
    NULL,
};

static const char *const readonly_paths[] = {"/proc/bus",           "/proc/fs", "/proc/irq", "/proc/sys",
                                             "/proc/sysrq-trigger", NULL};

static void gen_process(yajl_gen g) {
    static const char *const args[] = {"sh", NULL};
    static const char *const env[] = {"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm",
                                      NULL};
    jg_key(g, "process");
    yajl_gen_map_open(g);
    jg_key_bool(g, "terminal", true);
    jg_key(g, "user");
    yajl_gen_map_open(g);
    jg_key_int(g, "uid", 0);
    jg_key_int(g, "gid", 0);
    yajl_gen_map_close(g);
    jg_key_strv(g, "args", args);
    jg_key_strv(g, "env", env);
    jg_key_str(g, "cwd", "/");
    jg_key(g, "capabilities");
    yajl_gen_map_open(g);
    jg_key_strv(g, "bounding", caps);
    jg_key_strv(g, "effective", caps);
    jg_key_strv(g, "permitted", caps);
    /* runc's default also lists these as ambient, which the kernel cannot raise without
     * inheritable: hull leaves them out rather than warn on every default container. */
    yajl_gen_map_close(g);
    jg_key(g, "rlimits");
    yajl_gen_array_open(g);
    yajl_gen_map_open(g);
    jg_key_str(g, "type", "RLIMIT_NOFILE");
    jg_key_int(g, "hard", 1024);
    jg_key_int(g, "soft", 1024);
    yajl_gen_map_close(g);
    yajl_gen_array_close(g);
    jg_key_bool(g, "noNewPrivileges", true);
    yajl_gen_map_close(g);
}

static void gen_mount(yajl_gen g, const struct default_mount *m) {
    yajl_gen_map_open(g);
    jg_key_str(g, "destination", m->destination);
    jg_key_str(g, "type", m->type);
    jg_key_str(g, "source", m->source);
    if (m->options[0])
        jg_key_strv(g, "options", m->options);
    yajl_gen_map_close(g);
}

static void gen_mounts(yajl_gen g, bool rootless) {
    jg_key(g, "mounts");
    yajl_gen_array_open(g);
    for (size_t i = 0; i < ARRAY_SIZE(mounts); i++) {
        const struct default_mount *m = &mounts[i];
        if (rootless && strcmp(m->destination, "/sys/fs/cgroup") == 0)
            continue;
        if (rootless && strcmp(m->destination, "/dev/pts") == 0)
            m = &rootless_devpts;
        if (rootless && strcmp(m->destination, "/sys") == 0)
            m = &rootless_sysfs;
        gen_mount(g, m);
    }
    yajl_gen_array_close(g);
}

static void gen_idmap(yajl_gen g, const char *key, unsigned host_id) {
    jg_key(g, key);
    yajl_gen_array_open(g);
    yajl_gen_map_open(g);
    jg_key_int(g, "containerID", 0);
    jg_key_int(g, "hostID", host_id);
    jg_key_int(g, "size", 1);
    yajl_gen_map_close(g);
    yajl_gen_array_close(g);
}

static void gen_linux(yajl_gen g, bool rootless) {
    jg_key(g, "linux");
    yajl_gen_map_open(g);
    if (rootless) {
        gen_idmap(g, "uidMappings", getuid());
        gen_idmap(g, "gidMappings", getgid());
    }
    jg_key(g, "namespaces");
    yajl_gen_array_open(g);
    static const char *const ns[] = {"pid", "network", "ipc", "uts", "mount", "cgroup", "user", NULL};
    for (const char *const *n = ns; *n; n++) {
        if ((rootless && strcmp(*n, "network") == 0) || (!rootless && strcmp(*n, "user") == 0))
            continue;
        yajl_gen_map_open(g);
        jg_key_str(g, "type", *n);
        yajl_gen_map_close(g);
    }
    yajl_gen_array_close(g);
    jg_key_strv(g, "maskedPaths", masked_paths);
    jg_key_strv(g, "readonlyPaths", readonly_paths);
    yajl_gen_map_close(g);
}

char *oci_default_spec_json(bool rootless) {
    yajl_gen g = json_gen_new(true);
    yajl_gen_map_open(g);
    jg_key_str(g, "ociVersion", "1.2.0");
    gen_process(g);
    jg_key(g, "root");
    yajl_gen_map_open(g);
    jg_key_str(g, "path", "rootfs");
    jg_key_bool(g, "readonly", true);
    yajl_gen_map_close(g);
    jg_key_str(g, "hostname", "hull");
    gen_mounts(g, rootless);
    gen_linux(g, rootless);
    yajl_gen_map_close(g);
    return json_gen_finish(g, true);
}
