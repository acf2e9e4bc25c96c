/* cgroups/: detection from fake mountinfo and /proc/self/cgroup texts (unified, hybrid, legacy),
 * path rules, the object over fake hierarchies in a temporary directory, resources, and a real
 * create/enter/pids/destroy/serialize/load round trip on this host's hierarchies. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../base/cleanup.h"
#include "../../base/util.h"
#include "../../cgroups/cgroup.h"
#include "../../cgroups/internal.h"
#include "tap.h"

static bool is_dir(const char *p) {
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static const struct cg_hierarchy *find_h(const struct cg_hierarchy *h, size_t n, const char *ctl) {
    for (size_t i = 0; i < n; i++)
        if (strcmp(h[i].controllers, ctl) == 0)
            return &h[i];
    return NULL;
}

/* ---------- detection ---------- */

static const char unified_mi[] =
    "22 1 259:1 / / rw,relatime shared:1 - ext4 /dev/root rw\n"
    "24 22 0:22 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 "
    "rw,nsdelegate,memory_recursiveprot\n";
static const char unified_pc[] = "0::/user.slice/user-1000.slice/session-1.scope\n";

static void test_unified(void) {
    struct cg_hierarchy *h = NULL;
    size_t n = 0;
    enum cgroup_layout layout = CGROUP_LAYOUT_LEGACY;
    int r = cg_detect(unified_mi, unified_pc, &h, &n, &layout, NULL);
    ok(r == 0 && n == 1, "unified: one hierarchy (r=%d n=%zu)", r, n);
    ok(layout == CGROUP_LAYOUT_UNIFIED, "unified: layout unified");
    if (n == 1) {
        ok(h[0].ops->version == 2 && strcmp(h[0].mount_point, "/sys/fs/cgroup") == 0, "unified: v2 at /sys/fs/cgroup");
        ok(strcmp(h[0].own, "/user.slice/user-1000.slice/session-1.scope") == 0, "unified: own path %s", h[0].own);
    }
    for (size_t i = 0; i < n; i++)
        cg_hierarchy_clear(&h[i]);
    free(h);
}

static const char hybrid_mi[] =
    "25 22 0:23 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:4 - tmpfs tmpfs ro,mode=755\n"
    "26 25 0:24 / /sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime shared:5 - cgroup2 cgroup2 rw,nsdelegate\n"
    "27 25 0:25 / /sys/fs/cgroup/systemd rw,nosuid,nodev,noexec,relatime shared:6 - cgroup cgroup "
    "rw,xattr,name=systemd\n"
    "30 25 0:28 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:10 - cgroup cgroup "
    "rw,cpuacct,cpu\n"
    "31 25 0:29 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:11 - cgroup cgroup rw,memory\n";
static const char hybrid_pc[] = "4:memory:/user.slice\n"
                                "3:cpu,cpuacct:/user.slice\n"
                                "1:name=systemd:/user.slice/session-1.scope\n"
                                "0::/user.slice/session-1.scope\n";

static void test_hybrid(void) {
    struct cg_mount *m = NULL;
    size_t nm = 0;
    int r = cg_parse_mountinfo(hybrid_mi, &m, &nm, NULL);
    ok(r == 0 && nm == 4, "hybrid mountinfo: 4 cgroup mounts, tmpfs skipped (n=%zu)", nm);
    if (nm == 4) {
        ok(m[0].version == 2 && strcmp(m[0].controllers, "") == 0, "hybrid: cgroup2 entry");
        ok(strcmp(m[1].controllers, "name=systemd") == 0, "hybrid: named hierarchy from super options (%s)",
           m[1].controllers);
        ok(strcmp(m[2].controllers, "cpu,cpuacct") == 0 && strcmp(m[2].mount_point, "/sys/fs/cgroup/cpu,cpuacct") == 0,
           "hybrid: co-mounted controllers sorted (%s)", m[2].controllers);
    }
    cg_mounts_free(m, nm);

    struct cg_hierarchy *h = NULL;
    size_t n = 0;
    enum cgroup_layout layout = CGROUP_LAYOUT_UNIFIED;
    r = cg_detect(hybrid_mi, hybrid_pc, &h, &n, &layout, NULL);
    ok(r == 0 && n == 4 && layout == CGROUP_LAYOUT_HYBRID, "hybrid: 4 hierarchies, layout hybrid (n=%zu)", n);
    const struct cg_hierarchy *mem = find_h(h, n, "memory"), *sd = find_h(h, n, "name=systemd"),
                              *cpu = find_h(h, n, "cpu,cpuacct"), *v2 = find_h(h, n, "");
    ok(mem && mem->ops->version == 1 && strcmp(mem->own, "/user.slice") == 0, "hybrid: memory own /user.slice");
    ok(sd && strcmp(sd->own, "/user.slice/session-1.scope") == 0, "hybrid: name=systemd own path");
    ok(cpu && strcmp(cpu->mount_point, "/sys/fs/cgroup/cpu,cpuacct") == 0, "hybrid: cpu,cpuacct mount point");
    ok(v2 && v2->ops->version == 2 && strcmp(v2->mount_point, "/sys/fs/cgroup/unified") == 0 &&
           strcmp(v2->own, "/user.slice/session-1.scope") == 0,
       "hybrid: unified at /sys/fs/cgroup/unified");
    for (size_t i = 0; i < n; i++)
        cg_hierarchy_clear(&h[i]);
    free(h);
}

/* A container-like legacy host: a hierarchy mounted from a subtree (root /docker/abc), a mount
 * point with an escaped space, an unmounted hierarchy, and a 0:: line without a cgroup2 mount. */
static const char legacy_mi[] =
    "40 39 0:30 /docker/abc /sys/fs/cgroup/memory ro,nosuid - cgroup cgroup rw,memory\n"
    "41 39 0:31 / /sys/fs/cgroup/net\\040cls rw - cgroup cgroup rw,net_cls,net_prio\n"
    "42 39 0:32 / /sys/fs/cgroup/pids rw - cgroup cgroup rw,pids\n"
    "43 39 0:33 / /sys/fs/cgroup/freezer rw - cgroup cgroup rw,freezer\n";
static const char legacy_pc[] = "6:pids:/docker/abc\n"
                                "5:memory:/docker/abc/sub\n"
                                "3:net_cls,net_prio:/\n"
                                "2:blkio:/docker/abc\n"
                                "0::/\n";

static void test_legacy(void) {
    struct cg_hierarchy *h = NULL;
    size_t n = 0;
    enum cgroup_layout layout = CGROUP_LAYOUT_UNIFIED;
    int r = cg_detect(legacy_mi, legacy_pc, &h, &n, &layout, NULL);
    ok(r == 0 && n == 3 && layout == CGROUP_LAYOUT_LEGACY,
       "legacy: memory, net_cls, pids used; freezer (no entry) and blkio/0:: (no mount) skipped (n=%zu)", n);
    const struct cg_hierarchy *mem = find_h(h, n, "memory"), *net = find_h(h, n, "net_cls,net_prio"),
                              *pids = find_h(h, n, "pids");
    ok(mem && strcmp(mem->own, "/sub") == 0, "legacy: own path relative to the mount's root (%s)",
       mem ? mem->own : "-");
    ok(net && strcmp(net->mount_point, "/sys/fs/cgroup/net cls") == 0, "legacy: escaped mount point unescaped");
    ok(pids && strcmp(pids->own, "/docker/abc") == 0, "legacy: pids own path");
    for (size_t i = 0; i < n; i++)
        cg_hierarchy_clear(&h[i]);
    free(h);

    _cleanup_error_ struct error *e = NULL;
    r = cg_detect("1 2 3\n", "0::/\n", &h, &n, &layout, &e);
    ok(r < 0 && e && strstr(e->msg, "mountinfo line 1"), "malformed mountinfo is an error (%s)", e ? e->msg : "-");
    error_free(e);
    e = NULL;
    r = cg_detect(unified_mi, "garbage\n", &h, &n, &layout, &e);
    ok(r < 0 && e && strstr(e->msg, "/proc/self/cgroup line 1"), "malformed /proc/self/cgroup is an error");
    error_free(e);
    e = NULL;
    r = cg_detect("22 1 259:1 / / rw - ext4 /dev/root rw\n", "0::/\n", &h, &n, &layout, &e);
    ok(r == -ENOENT && e, "no cgroup mount is an error");
}

/* ---------- paths ---------- */

static void check_path(const char *cp, const char *id, const char *own, const char *want, const char *errpart) {
    _cleanup_free_ char *out = NULL;
    _cleanup_error_ struct error *e = NULL;
    int r = cg_compute_path(cp, id, own, &out, &e);
    if (want)
        ok(r == 0 && out && strcmp(out, want) == 0, "path(%s, %s, %s) = %s (got %s)", cp ? cp : "NULL", id, own,
           want, out ? out : e ? e->msg : "?");
    else
        ok(r < 0 && e && strstr(e->msg, errpart), "path(%s) fails: %s", cp ? cp : "NULL", e ? e->msg : "no error");
}

static void test_paths(void) {
    check_path(NULL, "c1", "/process_api/h", "/process_api/h/c1", NULL);
    check_path("", "c1", "/process_api/h", "/process_api/h/c1", NULL);
    check_path(NULL, "c1", "/", "/c1", NULL);
    check_path("/a/b", "c1", "/process_api/h", "/a/b", NULL);
    check_path("/a//./b/", "c1", "/x", "/a/b", NULL);
    check_path("a/b", "c1", "/x", "/x/a/b", NULL);
    check_path("a/b", "c1", "/", "/a/b", NULL);
    check_path("system.slice:hull:c1", "c1", "/",
               NULL, "linux.cgroupsPath: systemd cgroup paths need systemd, which is not running");
    check_path("/a/../b", "c1", "/", NULL, "linux.cgroupsPath: \"/a/../b\" must not contain \"..\"");
    check_path("../x", "c1", "/x", NULL, "linux.cgroupsPath");
    check_path("a/..", "c1", "/x", NULL, "linux.cgroupsPath");
    check_path("/", "c1", "/x", NULL, "linux.cgroupsPath: \"/\" names no cgroup");
    check_path(NULL, "a/b", "/x", NULL, "cannot name a cgroup");
    check_path(NULL, "..", "/x", NULL, "cannot name a cgroup");
    ok(cg_path_contains("/", "/a") && cg_path_contains("/a", "/a") && cg_path_contains("/a", "/a/b") &&
           !cg_path_contains("/a", "/ab") && !cg_path_contains("/a/b", "/a"),
       "cg_path_contains");
}

/* ---------- resources: dispatch and device rules ---------- */

/* A container cgroup over one fake v1 "memory" hierarchy: a field of a controller no hierarchy
 * has is refused by name before anything is written. */
static void test_apply_dispatch(void) {
    char tmp[] = "/tmp/hull-cg-XXXXXX";
    if (!mkdtemp(tmp)) {
        ok(0, "mkdtemp: %s", strerror(errno));
        return;
    }
    struct cg_hierarchy *h = xcalloc(1, sizeof(*h));
    *h = (struct cg_hierarchy){.ops = &cg_v1_ops, .mount_point = xstrdup(tmp), .controllers = xstrdup("memory"),
                               .own = xstrdup("/"), .mount_fd = -1};
    struct cgroup *cg = NULL;
    _cleanup_error_ struct error *e = NULL;
    int r = cg_create_from(h, 1, NULL, "c1", &cg, &e);
    ok(r == 0, "dispatch: fake v1 memory hierarchy (%s)", e ? e->msg : "ok");
    if (r < 0)
        return;
    ok(cg_owner(cg, CG_MEMORY) == &cg->h[0] && !cg_owner(cg, CG_CPU) && !cg_owner(cg, CG_PIDS),
       "dispatch: memory owned by the memory hierarchy, cpu and pids by none");
    ok(cgroup_apply(cg, NULL, NULL) == 0, "dispatch: NULL resources succeed");
    struct oci_resources res = {0};
    res.memory.present = res.cpu.present = res.block_io.present = res.network.present = true;
    ok(cgroup_apply(cg, &res, NULL) == 0, "dispatch: empty sub-objects write nothing");
    res.memory.present = true;
    res.memory.has_limit = true;
    res.memory.limit = 1 << 20;
    res.cpu.has_shares = true;
    res.cpu.shares = 512;
    r = cgroup_apply(cg, &res, &e);
    ok(r == -ENOTSUP && e && strcmp(e->msg, "linux.resources.cpu.shares: no cpu controller on this host") == 0,
       "dispatch: cpu.shares without a cpu controller is refused by name (%s)", e ? e->msg : "no error");
    _cleanup_free_ char *limit = xasprintf("%s/c1/memory.limit_in_bytes", tmp);
    ok(access(limit, F_OK) < 0, "dispatch: nothing written when one field cannot be applied");
    error_free(e);
    e = NULL;
    res = (struct oci_resources){0};
    res.pids.present = true;
    res.pids.limit = 5;
    r = cgroup_apply(cg, &res, &e);
    ok(r < 0 && e && strstr(e->msg, "linux.resources.pids.limit: no pids controller"), "dispatch: pids refused (%s)",
       e ? e->msg : "no error");
    cgroup_destroy(cg, NULL);
    cgroup_free(cg);
    ok(rmdir(tmp) == 0, "dispatch: temporary tree empty at the end");
}

static void test_device_rules(void) {
    struct cgroup_device_rule *rules = NULL;
    size_t n = 0;
    cgroup_device_rules(NULL, &rules, &n);
    ok(n == 10 && !rules[0].allow && rules[0].type == 'a' && rules[0].major == -1 && strcmp(rules[0].access, "rwm") == 0,
       "device rules: deny all first, then the 9 defaults (n=%zu)", n);
    bool null_ok = false, pts_ok = false;
    for (size_t i = 1; i < n; i++) {
        null_ok |= rules[i].allow && rules[i].type == 'c' && rules[i].major == 1 && rules[i].minor == 3;
        pts_ok |= rules[i].allow && rules[i].type == 'c' && rules[i].major == 136 && rules[i].minor == -1;
    }
    ok(null_ok && pts_ok, "device rules: /dev/null and every /dev/pts/N allowed");
    free(rules);

    struct oci_device dev[] = {{.path = "/dev/fuse", .type = 'c', .major = 10, .minor = 229},
                               {.path = "/dev/fifo", .type = 'p'}};
    struct oci_device_cgroup spec_rules[] = {{.allow = false, .type = 'c', .has_major = true, .major = 1,
                                              .has_minor = true, .minor = 3, .access = "w"},
                                             {.allow = true, .type = 'b', .has_major = true, .major = 8}};
    struct oci_resources res = {.devices = spec_rules, .n_devices = 2};
    struct oci_linux lx = {.devices = dev, .n_devices = 2, .resources = &res};
    cgroup_device_rules(&lx, &rules, &n);
    ok(n == 13, "device rules: + linux.devices (fifo skipped) + the spec's rules (n=%zu)", n);
    if (n == 13) {
        ok(rules[10].allow && rules[10].major == 10 && rules[10].minor == 229, "device rules: linux.devices allowed");
        ok(!rules[11].allow && rules[11].major == 1 && rules[11].minor == 3 && strcmp(rules[11].access, "w") == 0,
           "device rules: the spec's deny comes after the defaults (it wins)");
        ok(rules[12].type == 'b' && rules[12].major == 8 && rules[12].minor == -1 && strcmp(rules[12].access, "rwm") == 0,
           "device rules: absent minor = any, absent access = rwm");
    }
    free(rules);
}

/* ---------- the object over a fake v2 hierarchy in a temporary directory ---------- */

static struct cg_hierarchy *fake_v2(const char *mount, const char *own) {
    struct cg_hierarchy *h = xcalloc(1, sizeof(*h));
    *h = (struct cg_hierarchy){
        .ops = &cg_v2_ops,
        .mount_point = xstrdup(mount),
        .controllers = xstrdup(""),
        .own = xstrdup(own),
        .mount_fd = -1,
    };
    return h;
}

static void test_fake_tree(void) {
    char tmp[] = "/tmp/hull-cg-XXXXXX";
    if (!mkdtemp(tmp)) {
        ok(0, "mkdtemp: %s", strerror(errno));
        return;
    }
    _cleanup_free_ char *own = xasprintf("%s/own", tmp), *pre = xasprintf("%s/own/pre", tmp);
    _cleanup_free_ char *a = xasprintf("%s/own/pre/a", tmp), *b = xasprintf("%s/own/pre/a/b", tmp);
    mkdir(own, 0755);
    mkdir(pre, 0755);

    struct cgroup *cg = NULL;
    _cleanup_error_ struct error *e = NULL;
    int r = cg_create_from(fake_v2(tmp, "/own"), 1, "pre/a/b", "c1", &cg, &e);
    ok(r == 0, "fake v2: create pre/a/b (%s)", e ? e->msg : "ok");
    if (r == 0) {
        ok(is_dir(b) && cgroup_layout(cg) == CGROUP_LAYOUT_UNIFIED, "fake v2: directories made, layout unified");
        ok(strcmp(cgroup_path(cg), "/own/pre/a/b") == 0, "fake v2: cgroup_path %s", cgroup_path(cg));
        struct stat s1, s2;
        int fd = cgroup_v2_fd(cg);
        ok(fd >= 0 && fstat(fd, &s1) == 0 && stat(b, &s2) == 0 && s1.st_ino == s2.st_ino,
           "fake v2: cgroup_v2_fd is the container's directory");
        _cleanup_free_ char *text = cgroup_serialize(cg);
        ok(strstr(text, "hull-cgroup 1\nlayout unified\n") && strstr(text, "created /own/pre/a\ncreated /own/pre/a/b\n") &&
               !strstr(text, "created /own/pre\n"),
           "fake v2: serialized records exactly the created directories");
        cgroup_free(cg);
        cg = NULL;
        r = cgroup_load(text, &cg, &e);
        ok(r == 0 && cgroup_v2_fd(cg) >= 0, "fake v2: load (%s)", e ? e->msg : "ok");
        if (r == 0) {
            r = cgroup_destroy(cg, &e);
            ok(r == 0 && !is_dir(a) && is_dir(pre) && is_dir(own), "fake v2: destroy after load removes a/b, keeps pre");
            ok(cgroup_destroy(cg, NULL) == 0, "fake v2: a second destroy is a no-op");
            cgroup_free(cg);
        }
    }

    error_free(e);
    e = NULL;
    r = cg_create_from(fake_v2(tmp, "/own"), 1, "/own", "c1", &cg, &e);
    ok(r < 0 && e && strstr(e->msg, "the runtime's own cgroup or one of its ancestors"),
       "fake v2: the caller's own cgroup is refused (%s)", e ? e->msg : "no error");
    error_free(e);
    e = NULL;
    r = cg_create_from(fake_v2(tmp, "/own/pre"), 1, "/own", "c1", &cg, &e);
    ok(r < 0 && e, "fake v2: an ancestor of the caller's cgroup is refused");

    /* Rollback: the second hierarchy's mount point is missing → the first one's dirs go away. */
    error_free(e);
    e = NULL;
    struct cg_hierarchy *two = xcalloc(2, sizeof(*two));
    struct cg_hierarchy *h0 = fake_v2(tmp, "/own"), *h1 = fake_v2("/nonexistent-hull-cg", "/");
    two[0] = *h0;
    two[1] = *h1;
    two[1].ops = &cg_v1_ops;
    free(h0);
    free(h1);
    r = cg_create_from(two, 2, NULL, "c2", &cg, &e);
    _cleanup_free_ char *c2 = xasprintf("%s/own/c2", tmp);
    ok(r < 0 && e && strstr(e->msg, "/nonexistent-hull-cg") && !is_dir(c2),
       "fake: failed create rolls back what it made (%s)", e ? e->msg : "no error");

    /* Corrupt state documents are refused rather than trusted. */
    const char *bad[] = {
        "nope\n",
        "hull-cgroup 1\nlayout unified\n",
        "hull-cgroup 1\nlayout hybrid\nhierarchy 2 /tmp - / /x\n",
        "hull-cgroup 1\nlayout unified\nhierarchy 2 /tmp - / /x\ncreated /y\n",
        "hull-cgroup 1\nlayout unified\nhierarchy 2 /tmp - / /x/y\ncreated /x/../z\n",
        "hull-cgroup 1\nlayout unified\nhierarchy 2 /tmp - /x\n",
        "hull-cgroup 1\nlayout unified\nhierarchy 2 /tmp - /x/y /x\n",
    };
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        error_free(e);
        e = NULL;
        cg = NULL;
        r = cgroup_load(bad[i], &cg, &e);
        ok(r < 0 && !cg && e, "load refuses bad document %zu (%s)", i, e ? e->msg : "no error");
    }

    rmdir(pre);
    rmdir(own);
    ok(rmdir(tmp) == 0, "fake: temporary tree empty at the end");
}

/* ---------- the real host ---------- */

static pid_t spawn_sleeper(void) {
    pid_t pid = fork();
    if (pid == 0) {
        for (;;)
            pause();
    }
    return pid;
}

static void reap(pid_t pid) {
    if (pid > 0) {
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
    }
}

/* Is pid in h's container cgroup according to /proc/<pid>/cgroup? */
static bool proc_shows(pid_t pid, const struct cg_hierarchy *h) {
    _cleanup_free_ char *p = xasprintf("/proc/%d/cgroup", (int)pid), *text = NULL;
    if (read_file(p, &text, NULL, NULL) < 0)
        return false;
    struct cg_proc_entry *e = NULL;
    size_t n = 0;
    if (cg_parse_proc_cgroup(text, &e, &n, NULL) < 0)
        return false;
    bool found = false;
    for (size_t i = 0; i < n; i++)
        if (e[i].version == h->ops->version && strcmp(e[i].controllers, h->controllers) == 0)
            found = strcmp(e[i].path, h->path) == 0;
    cg_proc_entries_free(e, n);
    return found;
}

/* mount point + path ("/" is the mount point itself). */
static char *full(const struct cg_hierarchy *h, const char *path) {
    return xasprintf("%s%s", h->mount_point, strcmp(path, "/") == 0 ? "" : path);
}

static char *child_path(const char *own, const char *name) {
    return xasprintf("%s/%s", strcmp(own, "/") == 0 ? "" : own, name);
}

/* The hierarchies of this process, detected the same way cgroup_create() does. */
static int detect_self(struct cg_hierarchy **h, size_t *n, enum cgroup_layout *layout) {
    _cleanup_free_ char *mi = NULL, *pc = NULL;
    if (read_file("/proc/self/mountinfo", &mi, NULL, NULL) < 0 || read_file("/proc/self/cgroup", &pc, NULL, NULL) < 0)
        return -1;
    return cg_detect(mi, pc, h, n, layout, NULL);
}

static void free_hierarchies(struct cg_hierarchy *h, size_t n) {
    for (size_t i = 0; i < n; i++)
        cg_hierarchy_clear(&h[i]);
    free(h);
}

/* Our own memory cgroup directory (v1), computed independently of cgroups/. */
static char *own_memory_dir(void) {
    _cleanup_free_ char *text = NULL;
    if (read_file("/proc/self/cgroup", &text, NULL, NULL) < 0)
        return NULL;
    char *line = strstr(text, ":memory:");
    if (!line)
        return NULL;
    line += strlen(":memory:");
    return xasprintf("/sys/fs/cgroup/memory%.*s", (int)strcspn(line, "\n"), line);
}

/* v1 cpuset: the new cgroup got cpus and mems of its parent (the caller's cpuset cgroup). */
static void check_cpuset(const struct cgroup *cg) {
    const struct cg_hierarchy *h = find_h(cg->h, cg->n, "cpuset");
    if (!h)
        return;
    const char *files[] = {"cpuset.cpus", "cpuset.mems"};
    for (size_t i = 0; i < 2; i++) {
        _cleanup_free_ char *dir = full(h, h->path), *par = full(h, h->own);
        _cleanup_free_ char *f = xasprintf("%s/%s", dir, files[i]), *pf = xasprintf("%s/%s", par, files[i]);
        _cleanup_free_ char *v = NULL, *pv = NULL;
        bool read_ok = read_file(f, &v, NULL, NULL) == 0 && read_file(pf, &pv, NULL, NULL) == 0;
        ok(read_ok && strlen(v) > 1 && strcmp(v, pv) == 0, "real: %s copied from the parent (%.*s)", files[i],
           read_ok ? (int)strcspn(v, "\n") : 1, read_ok ? v : "-");
    }
}

static void check_layout(const struct cgroup *cg, enum cgroup_layout want) {
    ok(cgroup_layout(cg) == want, "real: layout %s", cg_layout_name(want));
    int fd = cgroup_v2_fd(cg);
    if (want != CGROUP_LAYOUT_UNIFIED) {
        ok(fd == -1, "real: no v2 fd on a %s host", cg_layout_name(want));
        return;
    }
    _cleanup_free_ char *dir = full(&cg->h[0], cg->h[0].path);
    struct stat s1, s2;
    ok(fd >= 0 && fstat(fd, &s1) == 0 && stat(dir, &s2) == 0 && s1.st_ino == s2.st_ino,
       "real: cgroup_v2_fd is %s", dir);
}

static void check_dirs(const struct cgroup *cg, const char *id) {
    bool all = cg->n > 0;
    for (size_t i = 0; i < cg->n; i++) {
        _cleanup_free_ char *want = child_path(cg->h[i].own, id), *d = full(&cg->h[i], cg->h[i].path);
        if (strcmp(cg->h[i].path, want) != 0 || !is_dir(d)) {
            diag("hierarchy %s: path %s, want %s", cg->h[i].mount_point, cg->h[i].path, want);
            all = false;
        }
    }
    ok(all, "real: a directory under the caller's cgroup on each of the %zu hierarchies", cg->n);
    _cleanup_free_ char *memown = own_memory_dir();
    if (memown) {
        _cleanup_free_ char *memdir = xasprintf("%s/%s", memown, id);
        ok(is_dir(memdir), "real: memory cgroup nested under the caller's: %s", memdir);
    }
    check_cpuset(cg);
}

static void test_real_create_enter_destroy(const char *id, enum cgroup_layout layout) {
    struct cgroup *cg = NULL;
    _cleanup_error_ struct error *e = NULL;
    int r = cgroup_create(NULL, id, &cg, &e);
    ok(r == 0, "real: create %s (%s)", id, e ? e->msg : "ok");
    if (r < 0)
        return;
    check_layout(cg, layout);
    check_dirs(cg, id);

    pid_t child = spawn_sleeper();
    r = cgroup_enter(cg, child, false, &e);
    ok(r == 0, "real: enter child %d (%s)", (int)child, e ? e->msg : "ok");
    bool all = true;
    for (size_t i = 0; i < cg->n; i++)
        all = all && proc_shows(child, &cg->h[i]);
    ok(all, "real: /proc/<child>/cgroup shows the container cgroup on every hierarchy");
    pid_t *pids = NULL;
    size_t n = 0;
    r = cgroup_pids(cg, &pids, &n, &e);
    ok(r == 0 && n == 1 && pids[0] == child, "real: cgroup_pids lists the child (n=%zu)", n);
    free(pids);
    reap(child);

    r = cgroup_destroy(cg, &e);
    ok(r == 0, "real: destroy (%s)", e ? e->msg : "ok");
    all = true;
    for (size_t i = 0; i < cg->n; i++) {
        _cleanup_free_ char *d = full(&cg->h[i], cg->h[i].path), *o = full(&cg->h[i], cg->h[i].own);
        all = all && !is_dir(d) && is_dir(o);
    }
    ok(all, "real: every container directory gone, the caller's own cgroups still there");
    cgroup_free(cg);
}

/* The hierarchy to hold the test's pre-existing directory: not v1 cpuset (whose new children
 * have empty cpus). */
static const struct cg_hierarchy *pick_pre(const struct cg_hierarchy *h, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (!strstr(h[i].controllers, "cpuset"))
            return &h[i];
    return NULL;
}

static void check_skip_v2(struct cgroup *cg) {
    pid_t child = spawn_sleeper();
    _cleanup_error_ struct error *e = NULL;
    int r = cgroup_enter(cg, child, true, &e);
    bool placed = true;
    for (size_t i = 0; i < cg->n; i++)
        placed = placed && proc_shows(child, &cg->h[i]) == (cg->h[i].ops->version == 1);
    ok(r == 0 && placed, "real: skip_v2 moves the v1 placement only (%s)", e ? e->msg : "ok");
    reap(child);
}

/* A pre-existing intermediate directory (made by the test) is reused and kept; skip_v2 leaves
 * the v2 placement alone; destroy works from a loaded copy. */
static void test_real_serialized(const char *id, const struct cg_hierarchy *self, size_t nself) {
    const struct cg_hierarchy *ph = pick_pre(self, nself);
    if (!ph)
        return;
    _cleanup_free_ char *name = xasprintf("%s-pre", id), *rel = xasprintf("%s-pre/c", id);
    _cleanup_free_ char *prepath = child_path(ph->own, name), *pre = full(ph, prepath);
    if (mkdir(pre, 0755) < 0) {
        ok(0, "real: mkdir %s: %s", pre, strerror(errno));
        return;
    }
    struct cgroup *cg = NULL;
    _cleanup_error_ struct error *e = NULL;
    int r = cgroup_create(rel, id, &cg, &e);
    ok(r == 0, "real: create with relative path %s (%s)", rel, e ? e->msg : "ok");
    if (r == 0) {
        bool counts = true;
        for (size_t i = 0; i < cg->n; i++)
            counts = counts && strv_length(cg->h[i].created) ==
                                   (strcmp(cg->h[i].mount_point, ph->mount_point) == 0 ? 1u : 2u);
        ok(counts, "real: %s records only c, the other hierarchies %s and c", ph->mount_point, name);
        check_skip_v2(cg);

        _cleanup_free_ char *text = cgroup_serialize(cg);
        _cleanup_strv_ char **made = NULL;
        for (size_t i = 0; i < cg->n; i++)
            for (char **c = cg->h[i].created; c && *c; c++)
                strv_push(&made, full(&cg->h[i], *c));
        cgroup_free(cg);
        cg = NULL;
        r = cgroup_load(text, &cg, &e);
        ok(r == 0, "real: load from the serialized text (%s)", e ? e->msg : "ok");
        if (r == 0) {
            r = cgroup_destroy(cg, &e);
            bool gone = true;
            for (char **m = made; m && *m; m++)
                gone = gone && !is_dir(*m);
            ok(r == 0 && gone && is_dir(pre) && strv_length(made) == 2 * cg->n - 1,
               "real: destroy from a loaded object removes the %zu directories create made, keeps %s (%s)",
               strv_length(made), pre, e ? e->msg : "ok");
            cgroup_free(cg);
        }
    }
    ok(rmdir(pre) == 0, "real: removed the test's own %s", pre);
}

/* --cgroup-manager disabled: a cgroup object without hierarchies that survives the state file and
 * says why for everything that needs a cgroup. */
static void test_none(void) {
    struct cgroup *cg = NULL, *back = NULL;
    struct error *e = NULL;
    cgroup_create_none(&cg);
    ok(cgroup_layout(cg) == CGROUP_LAYOUT_NONE && cgroup_v2_fd(cg) == -1 && strcmp(cgroup_path(cg), "") == 0,
       "none: layout none, no v2 fd, empty path");
    char *s = cgroup_serialize(cg);
    int r = cgroup_load(s, &back, &e);
    ok(r == 0 && back && cgroup_layout(back) == CGROUP_LAYOUT_NONE, "none: serialized and loaded back (%s)",
       e ? e->msg : "ok");
    error_free(e), e = NULL;
    free(s);
    ok(cgroup_enter(cg, getpid(), false, &e) == 0, "none: enter does nothing");
    ok(cgroup_set_devices(cg, NULL, 0, &e) == 0, "none: device rules do nothing");
    ok(cgroup_apply(cg, NULL, &e) == 0, "none: no resources is fine");
    struct oci_resources res = {0};
    res.memory.present = true;
    res.memory.has_limit = true;
    res.memory.limit = 1 << 20;
    r = cgroup_apply(cg, &res, &e);
    ok(r == -ENOTSUP && e && strstr(e->msg, "linux.resources.memory") && strstr(e->msg, "no cgroup of its own"),
       "none: a memory limit is an error naming the field (%s)", e ? e->msg : "no error");
    error_free(e), e = NULL;
    pid_t *pids = NULL;
    size_t n = 0;
    ok(cgroup_pids(cg, &pids, &n, &e) == -ENOTSUP && e && strstr(e->msg, "--cgroup-manager disabled"),
       "none: pids is an error saying why");
    error_free(e), e = NULL;
    ok(cgroup_freeze(cg, true, &e) == -ENOTSUP, "none: freeze is an error");
    error_free(e), e = NULL;
    ok(cgroup_kill(cg, SIGKILL, &e) == -ENOTSUP, "none: kill is an error (callers signal the init)");
    error_free(e), e = NULL;
    struct cgroup_stats st;
    ok(cgroup_stats(cg, &st, &e) == -ENOTSUP, "none: stats is an error");
    error_free(e), e = NULL;
    ok(cgroup_destroy(cg, &e) == 0, "none: destroy does nothing");
    cgroup_free(cg);
    cgroup_free(back);
}

int main(void) {
    test_none();
    test_unified();
    test_hybrid();
    test_legacy();
    test_paths();
    test_apply_dispatch();
    test_device_rules();
    test_fake_tree();

    struct cg_hierarchy *self = NULL;
    size_t nself = 0;
    enum cgroup_layout layout;
    if (geteuid() == 0 && detect_self(&self, &nself, &layout) == 0) {
        diag("real tests on a %s host with %zu hierarchies", cg_layout_name(layout), nself);
        char id[64];
        snprintf(id, sizeof(id), "hull-unit-%d", (int)getpid());
        test_real_create_enter_destroy(id, layout);
        test_real_serialized(id, self, nself);
        free_hierarchies(self, nself);
    } else {
        ok(1, "# SKIP real cgroup tests need root and a mounted cgroup hierarchy");
    }
    return tap_done();
}
