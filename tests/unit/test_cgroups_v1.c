/* cgroups/ v1 backend: apply, device rules, freeze, stats and the OOM eventfd over fake v1
 * hierarchies in a temporary directory (the files the kernel would have are made by the test; the
 * order of writes is observed with inotify), then a real round trip on this host's v1
 * hierarchies: limits read back, a kernel refusal named by field, devices denied in effect, a
 * frozen counter that stops, kill, stats, an OOM kill seen through the eventfd, destroy. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../base/cleanup.h"
#include "../../base/util.h"
#include "../../cgroups/cgroup.h"
#include "../../cgroups/internal.h"
#include "tap.h"

/* ---------- a fake v1 host: <tmp>/<controller>/c1 ---------- */

static const char *const fake_ctls[] = {"memory", "cpu", "cpuacct", "cpuset", "pids", "blkio", "hugetlb",
                                        "net_cls", "net_prio", "rdma", "devices", "freezer"};

static char tmp[] = "/tmp/hull-cgv1-XXXXXX";

static char *fake_dir(const char *ctl) {
    return xasprintf("%s/%s/c1", tmp, ctl);
}

/* Make (or empty) <tmp>/<ctl>/c1/<file> with content. */
static void put(const char *ctl, const char *file, const char *content) {
    _cleanup_free_ char *dir = fake_dir(ctl);
    _cleanup_free_ char *p = xasprintf("%s/%s", dir, file);
    int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0 || write_all(fd, content, strlen(content)) < 0)
        ok(0, "put %s: %s", p, strerror(errno));
    if (fd >= 0)
        close(fd);
}

static void del(const char *ctl, const char *file) {
    _cleanup_free_ char *dir = fake_dir(ctl);
    _cleanup_free_ char *p = xasprintf("%s/%s", dir, file);
    unlink(p);
}

/* The content of a fake file, without a trailing newline ("<missing>" when absent). */
static char *get(const char *ctl, const char *file) {
    _cleanup_free_ char *dir = fake_dir(ctl);
    _cleanup_free_ char *p = xasprintf("%s/%s", dir, file);
    char *text = NULL;
    if (read_file(p, &text, NULL, NULL) < 0)
        return xstrdup("<missing>");
    text[strcspn(text, "\n")] = '\0';
    return text;
}

static bool is(const char *ctl, const char *file, const char *want) {
    _cleanup_free_ char *v = get(ctl, file);
    if (strcmp(v, want) != 0)
        diag("%s/%s: \"%s\", expected \"%s\"", ctl, file, v, want);
    return strcmp(v, want) == 0;
}

/* Watch writes (IN_CLOSE_WRITE) in one fake controller directory. */
static int watch(const char *ctl) {
    int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    _cleanup_free_ char *dir = fake_dir(ctl);
    if (fd >= 0 && inotify_add_watch(fd, dir, IN_CLOSE_WRITE) < 0) {
        close(fd);
        fd = -1;
    }
    return fd;
}

/* The files written since watch(), space-joined in order; closes the watch. */
static char *writes(int fd) {
    char *out = xstrdup("");
    char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
    ssize_t n;
    while (fd >= 0 && (n = read(fd, buf, sizeof(buf))) > 0) {
        for (char *p = buf; p < buf + n;) {
            struct inotify_event *ev = (struct inotify_event *)p;
            char *next = xasprintf("%s%s%s", out, *out ? " " : "", ev->len ? ev->name : "?");
            free(out);
            out = next;
            p += sizeof(*ev) + ev->len;
        }
    }
    if (fd >= 0)
        close(fd);
    return out;
}

static void rm_tree(const char *path) {
    _cleanup_free_ char *cmd = xasprintf("rm -rf '%s'", path);
    if (system(cmd) != 0)
        diag("could not remove %s", path);
}

/* One v1 hierarchy per controller (like a legacy host), each with its c1 directory already made
 * (so create reuses it: a plain mkdir would not make the files the kernel makes). */
static struct cgroup *fake_cgroup(void) {
    struct cg_hierarchy *h = xcalloc(ARRAY_SIZE(fake_ctls), sizeof(*h));
    for (size_t i = 0; i < ARRAY_SIZE(fake_ctls); i++) {
        _cleanup_free_ char *mount = xasprintf("%s/%s", tmp, fake_ctls[i]);
        _cleanup_free_ char *dir = fake_dir(fake_ctls[i]);
        mkdir(mount, 0755);
        mkdir(dir, 0755);
        h[i] = (struct cg_hierarchy){.ops = &cg_v1_ops, .mount_point = xstrdup(mount),
                                     .controllers = xstrdup(fake_ctls[i]), .own = xstrdup("/"), .mount_fd = -1};
    }
    struct cgroup *cg = NULL;
    _cleanup_error_ struct error *e = NULL;
    int r = cg_create_from(h, ARRAY_SIZE(fake_ctls), NULL, "c1", &cg, &e);
    ok(r == 0, "fake: a v1 cgroup c1 over %zu hierarchies (%s)", ARRAY_SIZE(fake_ctls), e ? e->msg : "ok");
    return r == 0 ? cg : NULL;
}

/* cgroup_apply(res); on failure the error must contain errpart (NULL: must succeed). */
static bool apply_is(struct cgroup *cg, const struct oci_resources *res, const char *errpart) {
    _cleanup_error_ struct error *e = NULL;
    int r = cgroup_apply(cg, res, &e);
    if (!errpart) {
        if (r < 0)
            diag("apply: %s", e ? e->msg : "?");
        return r == 0;
    }
    if (r >= 0 || !e || !strstr(e->msg, errpart))
        diag("apply: expected an error with \"%s\", got r=%d %s", errpart, r, e ? e->msg : "no error");
    else
        diag("error as expected: %s", e->msg);
    return r < 0 && e && strstr(e->msg, errpart);
}

/* ---------- fake: memory ---------- */

static void memory_files(const char *limit, bool memsw) {
    put("memory", "memory.limit_in_bytes", limit);
    if (memsw)
        put("memory", "memory.memsw.limit_in_bytes", "");
    else
        del("memory", "memory.memsw.limit_in_bytes");
}

static struct oci_resources mem_res(bool has_limit, int64_t limit, bool has_swap, int64_t swap) {
    struct oci_resources r = {0};
    r.memory.present = true;
    r.memory.has_limit = has_limit;
    r.memory.limit = limit;
    r.memory.has_swap = has_swap;
    r.memory.swap = swap;
    return r;
}

static void test_fake_memory_order(struct cgroup *cg) {
    memory_files("100", true);
    int w = watch("memory");
    struct oci_resources r = mem_res(true, 300, true, 400);
    bool okr = apply_is(cg, &r, NULL);
    _cleanup_free_ char *seq = writes(w);
    ok(okr && strcmp(seq, "memory.memsw.limit_in_bytes memory.limit_in_bytes") == 0 &&
           is("memory", "memory.limit_in_bytes", "300") && is("memory", "memory.memsw.limit_in_bytes", "400"),
       "memory: raising writes memsw first (%s)", seq);

    memory_files("300", true);
    w = watch("memory");
    r = mem_res(true, 100, true, 200);
    okr = apply_is(cg, &r, NULL);
    free(seq);
    seq = writes(w);
    ok(okr && strcmp(seq, "memory.limit_in_bytes memory.memsw.limit_in_bytes") == 0 &&
           is("memory", "memory.limit_in_bytes", "100") && is("memory", "memory.memsw.limit_in_bytes", "200"),
       "memory: lowering writes the limit first (%s)", seq);

    memory_files("1", true);
    w = watch("memory");
    r = mem_res(true, -1, false, 0);
    okr = apply_is(cg, &r, NULL);
    free(seq);
    seq = writes(w);
    ok(okr && strcmp(seq, "memory.memsw.limit_in_bytes memory.limit_in_bytes") == 0 &&
           is("memory", "memory.limit_in_bytes", "-1") && is("memory", "memory.memsw.limit_in_bytes", "-1"),
       "memory: limit -1 alone lifts memsw to -1 first (%s)", seq);

    memory_files("100", true);
    w = watch("memory");
    r = mem_res(true, 0, true, 0);
    okr = apply_is(cg, &r, NULL);
    free(seq);
    seq = writes(w);
    ok(okr && strcmp(seq, "") == 0, "memory: limit 0 and swap 0 mean unset, as in runc (wrote \"%s\")", seq);

    memory_files("100", true);
    r = mem_res(true, 200, true, 100);
    ok(apply_is(cg, &r, "linux.resources.memory.swap: 100 is below memory.limit 200") &&
           is("memory", "memory.limit_in_bytes", "100"),
       "memory: swap below the limit is refused by name, nothing written");

    memory_files("100", false);
    r = mem_res(true, 200, true, 512);
    ok(apply_is(cg, &r, "linux.resources.memory.swap: 512: this kernel has no swap accounting") &&
           is("memory", "memory.limit_in_bytes", "100"),
       "memory: swap without memsw files is an error naming linux.resources.memory.swap");
    memory_files("100", false);
    r = mem_res(true, 200, true, -1);
    ok(apply_is(cg, &r, NULL) && is("memory", "memory.limit_in_bytes", "200"),
       "memory: swap -1 without memsw files is accepted (nothing to lift)");
}

static void test_fake_memory_fields(struct cgroup *cg) {
    memory_files("100", true);
    static const char *const files[] = {"memory.soft_limit_in_bytes", "memory.kmem.tcp.limit_in_bytes",
                                        "memory.swappiness", "memory.oom_control", "memory.use_hierarchy"};
    for (size_t i = 0; i < ARRAY_SIZE(files); i++)
        put("memory", files[i], "");
    struct oci_resources r = mem_res(false, 0, false, 0);
    r.memory.has_reservation = r.memory.has_kernel_tcp = r.memory.has_swappiness = true;
    r.memory.reservation = 1048576;
    r.memory.kernel_tcp = 2097152;
    r.memory.swappiness = 60;
    r.memory.has_disable_oom_killer = r.memory.disable_oom_killer = true;
    r.memory.has_use_hierarchy = r.memory.use_hierarchy = true;
    r.memory.has_check_before_update = r.memory.check_before_update = true;
    ok(apply_is(cg, &r, NULL) && is("memory", "memory.soft_limit_in_bytes", "1048576") &&
           is("memory", "memory.kmem.tcp.limit_in_bytes", "2097152") && is("memory", "memory.swappiness", "60") &&
           is("memory", "memory.oom_control", "1") && is("memory", "memory.use_hierarchy", "1") &&
           is("memory", "memory.limit_in_bytes", "100"),
       "memory: reservation, kernelTCP, swappiness, disableOOMKiller, useHierarchy; limit untouched");

    r = mem_res(false, 0, false, 0);
    r.memory.has_swappiness = true;
    r.memory.swappiness = 101;
    ok(apply_is(cg, &r, "linux.resources.memory.swappiness: 101 is not in 0..100"), "memory: swappiness 101 refused");

    del("memory", "memory.kmem.tcp.limit_in_bytes");
    r = mem_res(false, 0, false, 0);
    r.memory.has_kernel_tcp = true;
    r.memory.kernel_tcp = 1;
    ok(apply_is(cg, &r, "linux.resources.memory.kernelTCP: write \"1\" to"),
       "memory: a missing kmem.tcp file is an error naming kernelTCP");
}

/* ---------- fake: cpu, cpuset, pids ---------- */

static void test_fake_cpu(struct cgroup *cg) {
    static const char *const files[] = {"cpu.shares",  "cpu.cfs_period_us", "cpu.cfs_quota_us", "cpu.cfs_burst_us",
                                        "cpu.idle",    "cpu.rt_period_us",  "cpu.rt_runtime_us"};
    for (size_t i = 0; i < ARRAY_SIZE(files); i++)
        put("cpu", files[i], "");
    struct oci_resources r = {0};
    r.cpu.present = true;
    r.cpu.has_shares = r.cpu.has_quota = r.cpu.has_period = r.cpu.has_burst = r.cpu.has_idle = true;
    r.cpu.has_realtime_period = r.cpu.has_realtime_runtime = true;
    r.cpu.shares = 512;
    r.cpu.quota = 50000;
    r.cpu.period = 100000;
    r.cpu.burst = 1000;
    r.cpu.idle = 0;
    r.cpu.realtime_period = 1000000;
    r.cpu.realtime_runtime = 950000;
    int w = watch("cpu");
    bool okr = apply_is(cg, &r, NULL);
    _cleanup_free_ char *seq = writes(w);
    ok(okr && strcmp(seq, "cpu.shares cpu.cfs_period_us cpu.cfs_burst_us cpu.cfs_quota_us cpu.idle "
                          "cpu.rt_period_us cpu.rt_runtime_us") == 0,
       "cpu: shares, period, burst before quota, idle, rt period before runtime (%s)", seq);
    ok(is("cpu", "cpu.shares", "512") && is("cpu", "cpu.cfs_period_us", "100000") &&
           is("cpu", "cpu.cfs_quota_us", "50000") && is("cpu", "cpu.cfs_burst_us", "1000") &&
           is("cpu", "cpu.idle", "0") && is("cpu", "cpu.rt_period_us", "1000000") &&
           is("cpu", "cpu.rt_runtime_us", "950000"),
       "cpu: every value written");

    r = (struct oci_resources){0};
    r.cpu.present = r.cpu.has_quota = true;
    r.cpu.quota = -1;
    put("cpu", "cpu.cfs_quota_us", "");
    ok(apply_is(cg, &r, NULL) && is("cpu", "cpu.cfs_quota_us", "-1"), "cpu: quota -1 = unlimited");

    del("cpu", "cpu.rt_runtime_us");
    r = (struct oci_resources){0};
    r.cpu.present = r.cpu.has_realtime_runtime = true;
    r.cpu.realtime_runtime = 1000;
    ok(apply_is(cg, &r, "linux.resources.cpu.realtimeRuntime: write \"1000\" to"),
       "cpu: a kernel without cpu.rt_runtime_us: error naming realtimeRuntime");
}

static void test_fake_cpuset_pids(struct cgroup *cg) {
    put("cpuset", "cpuset.cpus", "");
    put("cpuset", "cpuset.mems", "");
    struct oci_resources r = {0};
    r.cpu.present = true;
    r.cpu.cpus = "0-1";
    r.cpu.mems = "0";
    ok(apply_is(cg, &r, NULL) && is("cpuset", "cpuset.cpus", "0-1") && is("cpuset", "cpuset.mems", "0"),
       "cpuset: cpus and mems");
    del("cpuset", "cpuset.cpus");
    del("cpuset", "cpuset.mems");
    put("cpuset", "cpus", "");
    put("cpuset", "mems", "");
    r.cpu.cpus = "1";
    ok(apply_is(cg, &r, NULL) && is("cpuset", "cpus", "1") && is("cpuset", "mems", "0"),
       "cpuset: a noprefix hierarchy gets cpus/mems");
    del("cpuset", "cpus");
    del("cpuset", "mems");

    struct {
        int64_t limit;
        const char *want;
    } cases[] = {{5, "5"}, {0, "max"}, {-1, "max"}};
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        put("pids", "pids.max", "");
        r = (struct oci_resources){0};
        r.pids.present = true;
        r.pids.limit = cases[i].limit;
        ok(apply_is(cg, &r, NULL) && is("pids", "pids.max", cases[i].want), "pids: limit %lld → %s",
           (long long)cases[i].limit, cases[i].want);
    }
}

/* ---------- fake: blkio, hugetlb, net_cls, net_prio, rdma ---------- */

static void test_fake_blkio(struct cgroup *cg) {
    static const char *const files[] = {"blkio.bfq.weight", "blkio.bfq.weight_device",
                                        "blkio.leaf_weight_device", "blkio.throttle.read_bps_device",
                                        "blkio.throttle.write_bps_device", "blkio.throttle.read_iops_device",
                                        "blkio.throttle.write_iops_device"};
    for (size_t i = 0; i < ARRAY_SIZE(files); i++)
        put("blkio", files[i], "");
    struct oci_block_io_weight_device wd = {.major = 8, .minor = 0, .has_weight = true, .weight = 300,
                                            .has_leaf_weight = true, .leaf_weight = 200};
    struct oci_block_io_throttle rb = {8, 0, 1048576}, wb = {8, 16, 2097152}, ri = {8, 0, 100}, wi = {8, 16, 200};
    struct oci_resources r = {0};
    r.block_io.present = r.block_io.has_weight = true;
    r.block_io.weight = 500;
    r.block_io.weight_devices = &wd;
    r.block_io.n_weight_devices = 1;
    r.block_io.throttle_read_bps = &rb;
    r.block_io.throttle_write_bps = &wb;
    r.block_io.throttle_read_iops = &ri;
    r.block_io.throttle_write_iops = &wi;
    r.block_io.n_throttle_read_bps = r.block_io.n_throttle_write_bps = 1;
    r.block_io.n_throttle_read_iops = r.block_io.n_throttle_write_iops = 1;
    ok(apply_is(cg, &r, NULL) && is("blkio", "blkio.bfq.weight", "500") &&
           is("blkio", "blkio.bfq.weight_device", "8:0 300") && is("blkio", "blkio.leaf_weight_device", "8:0 200") &&
           is("blkio", "blkio.throttle.read_bps_device", "8:0 1048576") &&
           is("blkio", "blkio.throttle.write_bps_device", "8:16 2097152") &&
           is("blkio", "blkio.throttle.read_iops_device", "8:0 100") &&
           is("blkio", "blkio.throttle.write_iops_device", "8:16 200"),
       "blkio: no blkio.weight → BFQ weight files; leaf weight device; four throttles");

    put("blkio", "blkio.weight", "");
    put("blkio", "blkio.weight_device", "");
    put("blkio", "blkio.bfq.weight", "");
    ok(apply_is(cg, &r, NULL) && is("blkio", "blkio.weight", "500") && is("blkio", "blkio.weight_device", "8:0 300") &&
           is("blkio", "blkio.bfq.weight", ""),
       "blkio: CFQ's blkio.weight preferred where it exists");

    r = (struct oci_resources){0};
    r.block_io.present = r.block_io.has_leaf_weight = true;
    r.block_io.leaf_weight = 100;
    ok(apply_is(cg, &r, "linux.resources.blockIO.leafWeight: write \"100\" to"),
       "blkio: leafWeight without blkio.leaf_weight is an error naming it");
}

static void test_fake_others(struct cgroup *cg) {
    put("hugetlb", "hugetlb.2MB.limit_in_bytes", "");
    put("hugetlb", "hugetlb.2MB.rsvd.limit_in_bytes", "");
    put("hugetlb", "hugetlb.64KB.limit_in_bytes", "");
    struct oci_hugepage_limit hl[] = {{"2MB", 209715200}, {"64KB", 1000000}, {"1GB", 1073741824}};
    struct oci_resources r = {0};
    r.hugepage_limits = hl;
    r.n_hugepage_limits = 2;
    ok(apply_is(cg, &r, NULL) && is("hugetlb", "hugetlb.2MB.limit_in_bytes", "209715200") &&
           is("hugetlb", "hugetlb.2MB.rsvd.limit_in_bytes", "209715200") &&
           is("hugetlb", "hugetlb.64KB.limit_in_bytes", "1000000"),
       "hugetlb: limit and, where it exists, the rsvd limit");
    r.n_hugepage_limits = 3;
    ok(apply_is(cg, &r, "linux.resources.hugepageLimits[2]: page size 1GB is not supported here"),
       "hugetlb: an unknown page size is an error naming the entry");
    struct oci_hugepage_limit bad = {"../2MB", 1};
    r.hugepage_limits = &bad;
    r.n_hugepage_limits = 1;
    ok(apply_is(cg, &r, "linux.resources.hugepageLimits[0].pageSize: \"../2MB\""), "hugetlb: a path as page size");

    put("net_cls", "net_cls.classid", "");
    put("net_prio", "net_prio.ifpriomap", "");
    struct oci_net_priority prio = {"eth0", 5};
    r = (struct oci_resources){0};
    r.network.present = r.network.has_class_id = true;
    r.network.class_id = 0x100001;
    r.network.priorities = &prio;
    r.network.n_priorities = 1;
    ok(apply_is(cg, &r, NULL) && is("net_cls", "net_cls.classid", "1048577") &&
           is("net_prio", "net_prio.ifpriomap", "eth0 5"),
       "network: classID and priorities");

    put("rdma", "rdma.max", "");
    struct oci_rdma rd = {.device = "mlx5_0", .has_hca_handles = true, .hca_handles = 3, .has_hca_objects = true,
                          .hca_objects = 7};
    r = (struct oci_resources){0};
    r.rdma = &rd;
    r.n_rdma = 1;
    ok(apply_is(cg, &r, NULL) && is("rdma", "rdma.max", "mlx5_0 hca_handle=3 hca_object=7"), "rdma: rdma.max");
}

/* ---------- fake: devices, freezer, stats, OOM fd ---------- */

static void test_fake_devices(struct cgroup *cg) {
    struct cgroup_device_rule rules[] = {
        {.allow = true, .type = 'c', .major = 1, .minor = 3, .access = "rw"},
        {.allow = false, .type = 'b', .major = -1, .minor = -1, .access = "m"},
        {.allow = true, .type = 'a', .major = -1, .minor = -1, .access = "rwm"},
    };
    put("devices", "devices.allow", "");
    put("devices", "devices.deny", "");
    int w = watch("devices");
    _cleanup_error_ struct error *e = NULL;
    int r = cgroup_set_devices(cg, rules, 1, &e);
    _cleanup_free_ char *seq = writes(w);
    ok(r == 0 && strcmp(seq, "devices.deny devices.allow") == 0 && is("devices", "devices.deny", "a") &&
           is("devices", "devices.allow", "c 1:3 rw"),
       "devices: deny all, then allow \"c 1:3 rw\" (%s)", seq);
    put("devices", "devices.allow", "");
    put("devices", "devices.deny", "");
    w = watch("devices");
    r = cgroup_set_devices(cg, rules, 3, &e);
    free(seq);
    seq = writes(w);
    ok(r == 0 && strcmp(seq, "devices.deny devices.allow devices.deny devices.allow") == 0 &&
           is("devices", "devices.deny", "b *:* m"),
       "devices: rules in order to the allow/deny file, '*' for any (%s)", seq);
    put("devices", "devices.allow", "");
    r = cgroup_set_devices(cg, &rules[2], 1, &e);
    ok(r == 0 && is("devices", "devices.allow", "a"), "devices: a type-a rule is just \"a\"");
    struct cgroup_device_rule bad = {.allow = true, .type = 'x', .access = "rwm"};
    put("devices", "devices.deny", "");
    r = cgroup_set_devices(cg, &bad, 1, &e);
    ok(r < 0 && e && strstr(e->msg, "linux.resources.devices: device rule 0: type 'x'") &&
           is("devices", "devices.deny", ""),
       "devices: a bad rule is refused before anything is written (%s)", e ? e->msg : "no error");
}

static void test_fake_freezer(struct cgroup *cg) {
    put("freezer", "freezer.state", "THAWED\n");
    bool frozen = true;
    _cleanup_error_ struct error *e = NULL;
    ok(cgroup_frozen(cg, &frozen, &e) == 0 && !frozen, "freezer: THAWED reads as not frozen");
    ok(cgroup_freeze(cg, true, &e) == 0 && is("freezer", "freezer.state", "FROZEN") &&
           cgroup_frozen(cg, &frozen, &e) == 0 && frozen,
       "freezer: freeze writes FROZEN and reads it back");
    ok(cgroup_freeze(cg, false, &e) == 0 && is("freezer", "freezer.state", "THAWED") &&
           cgroup_frozen(cg, &frozen, &e) == 0 && !frozen,
       "freezer: thaw writes THAWED");
    del("freezer", "freezer.state");
    int r = cgroup_freeze(cg, true, &e);
    ok(r < 0 && e && strstr(e->msg, "freezer.state"),
       "freezer: a missing freezer.state is an error (%s)", e ? e->msg : "no error");
}

static void stats_files(void) {
    put("cpuacct", "cpuacct.usage", "123456789\n");
    put("cpuacct", "cpuacct.usage_percpu", "100 200 \n");
    put("cpuacct", "cpuacct.stat", "user 3\nsystem 4\n");
    put("cpu", "cpu.stat", "nr_periods 10\nnr_throttled 2\nthrottled_time 999\n");
    const char *mem[][2] = {
        {"memory.usage_in_bytes", "4096"},        {"memory.max_usage_in_bytes", "8192"},
        {"memory.failcnt", "1"},                  {"memory.limit_in_bytes", "9223372036854771712"},
        {"memory.memsw.usage_in_bytes", "5000"},  {"memory.memsw.max_usage_in_bytes", "6000"},
        {"memory.memsw.failcnt", "2"},            {"memory.memsw.limit_in_bytes", "7000"},
        {"memory.kmem.tcp.usage_in_bytes", "11"}, {"memory.kmem.tcp.max_usage_in_bytes", "12"},
        {"memory.kmem.tcp.failcnt", "13"},        {"memory.kmem.tcp.limit_in_bytes", "14"},
        {"memory.use_hierarchy", "1"},
    };
    for (size_t i = 0; i < ARRAY_SIZE(mem); i++)
        put("memory", mem[i][0], mem[i][1]);
    del("memory", "memory.kmem.usage_in_bytes");
    put("memory", "memory.stat", "cache 4096\nrss 8192\ntotal_cache 1\n");
    put("memory", "memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 3\n");
    put("pids", "pids.current", "2\n");
    put("pids", "pids.max", "max\n");
    put("blkio", "blkio.throttle.io_service_bytes_recursive",
        "8:0 Read 100\n8:0 Write 200\n8:0 Sync 0\n8:0 Async 300\n8:0 Discard 0\n8:0 Total 300\nTotal 300\n");
    put("blkio", "blkio.throttle.io_serviced_recursive", "8:16 Read 7\nTotal 7\n");
    const char *sizes[] = {"2MB", "1GB"};
    for (size_t i = 0; i < 2; i++) {
        _cleanup_free_ char *u = xasprintf("hugetlb.%s.usage_in_bytes", sizes[i]);
        _cleanup_free_ char *m = xasprintf("hugetlb.%s.max_usage_in_bytes", sizes[i]);
        _cleanup_free_ char *f = xasprintf("hugetlb.%s.failcnt", sizes[i]);
        put("hugetlb", u, i ? "1073741824" : "2097152");
        put("hugetlb", m, "4194304");
        put("hugetlb", f, "5");
    }
    put("hugetlb", "hugetlb.2MB.rsvd.usage_in_bytes", "0");
}

static void test_fake_stats(struct cgroup *cg) {
    stats_files();
    struct cgroup_stats st;
    _cleanup_error_ struct error *e = NULL;
    int r = cgroup_stats(cg, &st, &e);
    ok(r == 0, "stats: read (%s)", e ? e->msg : "ok");
    if (r < 0)
        return;
    uint64_t tick = 1000000000ULL / (uint64_t)sysconf(_SC_CLK_TCK);
    ok(st.has_cpu && st.cpu.total == 123456789 && st.cpu.n_percpu == 2 && st.cpu.percpu[0] == 100 &&
           st.cpu.percpu[1] == 200 && st.cpu.user == 3 * tick && st.cpu.kernel == 4 * tick,
       "stats: cpuacct usage, per cpu, user/system ticks in ns");
    ok(st.cpu.periods == 10 && st.cpu.throttled_periods == 2 && st.cpu.throttled_time == 999,
       "stats: cpu.stat periods, throttled");
    ok(st.has_memory && st.memory.usage.usage == 4096 && st.memory.usage.max == 8192 && st.memory.usage.failcnt == 1 &&
           st.memory.usage.limit == 9223372036854771712ULL,
       "stats: memory usage, max, failcnt, limit");
    ok(st.memory.swap.usage == 5000 && st.memory.swap.max == 6000 && st.memory.swap.failcnt == 2 &&
           st.memory.swap.limit == 7000 && st.memory.kernel.usage == 0 && st.memory.kernel_tcp.usage == 11 &&
           st.memory.kernel_tcp.limit == 14,
       "stats: memsw into swap, kmem.tcp into kernel_tcp, absent kmem left 0");
    ok(st.memory.cache == 4096 && st.memory.n_raw == 3 && strcmp(st.memory.raw[1].key, "rss") == 0 &&
           strcmp(st.memory.raw[1].value, "8192") == 0 && st.memory.use_hierarchy && st.memory.oom_kill == 3,
       "stats: memory.stat raw, cache, use_hierarchy, oom_kill");
    ok(st.has_pids && st.pids.current == 2 && st.pids.limit == 0, "stats: pids current, max → 0");
    bool blk = st.has_blkio && st.blkio.n_service_bytes == 6 && st.blkio.n_serviced == 1;
    ok(blk && st.blkio.service_bytes[1].major == 8 && strcmp(st.blkio.service_bytes[1].op, "Write") == 0 &&
           st.blkio.service_bytes[1].value == 200 && st.blkio.serviced[0].minor == 16 &&
           st.blkio.serviced[0].value == 7,
       "stats: blkio entries, the Total summary skipped (%zu, %zu)", st.blkio.n_service_bytes, st.blkio.n_serviced);
    ok(st.n_hugetlb == 2 && strcmp(st.hugetlb[0].page_size, "1GB") == 0 && st.hugetlb[0].usage == 1073741824 &&
           strcmp(st.hugetlb[1].page_size, "2MB") == 0 && st.hugetlb[1].max == 4194304 && st.hugetlb[1].failcnt == 5,
       "stats: hugetlb per page size, rsvd files not counted (%zu)", st.n_hugetlb);
    cgroup_stats_clear(&st);

    put("cpuacct", "cpuacct.usage", "lots\n");
    ok(cgroup_stats(cg, &st, &e) < 0 && e && strstr(e->msg, "cpuacct.usage: not a number"),
       "stats: a garbled file is an error naming it");
}

static void test_fake_oom_fd(struct cgroup *cg) {
    put("memory", "cgroup.event_control", "");
    int fd = -1;
    _cleanup_error_ struct error *e = NULL;
    int r = cgroup_oom_fd(cg, &fd, &e);
    _cleanup_free_ char *reg = get("memory", "cgroup.event_control");
    char link[64] = "";
    _cleanup_free_ char *self = xasprintf("/proc/self/fd/%d", fd);
    if (fd >= 0 && readlink(self, link, sizeof(link) - 1) < 0)
        link[0] = '\0';
    int efd = -1, ofd = -1;
    ok(r == 0 && sscanf(reg, "%d %d", &efd, &ofd) == 2 && efd == fd && ofd > 2 && strstr(link, "eventfd"),
       "oom_fd: an eventfd registered as \"<efd> <oom_control fd>\" (%s, %s)", reg, link);
    ok(fd < 0 || fcntl(ofd, F_GETFD) < 0, "oom_fd: the memory.oom_control descriptor is closed again");
    if (fd >= 0)
        close(fd);
}

static void test_fake(void) {
    if (!mkdtemp(tmp)) {
        ok(0, "mkdtemp: %s", strerror(errno));
        return;
    }
    struct cgroup *cg = fake_cgroup();
    if (cg) {
        test_fake_memory_order(cg);
        test_fake_memory_fields(cg);
        test_fake_cpu(cg);
        test_fake_cpuset_pids(cg);
        test_fake_blkio(cg);
        test_fake_others(cg);
        test_fake_devices(cg);
        test_fake_freezer(cg);
        test_fake_stats(cg);
        test_fake_oom_fd(cg);
        cgroup_free(cg);
    }
    rm_tree(tmp);
    ok(access(tmp, F_OK) < 0, "fake: temporary tree removed");
}

/* ---------- the real host ---------- */

static struct cgroup *real_cg;

/* The v1 hierarchy that owns c, or NULL (then the parts that need it are skipped). */
static struct cg_hierarchy *v1_owner(enum cg_controller c) {
    struct cg_hierarchy *h = cg_owner(real_cg, c);
    return h && h->ops->version == 1 ? h : NULL;
}

static char *real_read(enum cg_controller c, const char *file) {
    struct cg_hierarchy *h = v1_owner(c);
    _cleanup_free_ char *p = xasprintf("%s%s/%s", h->mount_point, h->path, file);
    char *text = NULL;
    if (read_file(p, &text, NULL, NULL) < 0)
        return xstrdup("<missing>");
    text[strcspn(text, "\n")] = '\0';
    return text;
}

static bool real_has(enum cg_controller c, const char *file) {
    _cleanup_free_ char *v = real_read(c, file);
    return strcmp(v, "<missing>") != 0;
}

static bool real_is(enum cg_controller c, const char *file, const char *want) {
    _cleanup_free_ char *v = real_read(c, file);
    if (strcmp(v, want) != 0)
        diag("%s: \"%s\", expected \"%s\"", file, v, want);
    return strcmp(v, want) == 0;
}

#define UNLIMITED "9223372036854771712"

static void real_memory(void) {
    if (!v1_owner(CG_MEMORY)) {
        ok(1, "# SKIP no v1 memory hierarchy");
        return;
    }
    bool memsw = real_has(CG_MEMORY, "memory.memsw.limit_in_bytes");
    struct {
        int64_t limit, swap;
        const char *want_limit, *want_swap, *what;
    } steps[] = {
        {64 << 20, 128 << 20, "67108864", "134217728", "set"},
        {256 << 20, 512 << 20, "268435456", "536870912", "raise (memsw first)"},
        {32 << 20, 48 << 20, "33554432", "50331648", "lower (limit first)"},
        {-1, 0, UNLIMITED, UNLIMITED, "unlimited (memsw lifted too)"},
    };
    for (size_t i = 0; i < ARRAY_SIZE(steps); i++) {
        struct oci_resources r = mem_res(true, steps[i].limit, memsw && steps[i].swap, steps[i].swap);
        bool okr = apply_is(real_cg, &r, NULL);
        ok(okr && real_is(CG_MEMORY, "memory.limit_in_bytes", steps[i].want_limit) &&
               (!memsw || real_is(CG_MEMORY, "memory.memsw.limit_in_bytes", steps[i].want_swap)),
           "real memory: %s: limit %s, memsw %s", steps[i].what, steps[i].want_limit,
           memsw ? steps[i].want_swap : "(no swap accounting)");
    }
    struct oci_resources r = mem_res(false, 0, false, 0);
    r.memory.has_reservation = r.memory.has_swappiness = true;
    r.memory.reservation = 16 << 20;
    r.memory.swappiness = 30;
    ok(apply_is(real_cg, &r, NULL) && real_is(CG_MEMORY, "memory.soft_limit_in_bytes", "16777216") &&
           real_is(CG_MEMORY, "memory.swappiness", "30"),
       "real memory: reservation and swappiness");
}

static void real_cpu(void) {
    if (!v1_owner(CG_CPU)) {
        ok(1, "# SKIP no v1 cpu hierarchy");
        return;
    }
    struct oci_resources r = {0};
    r.cpu.present = r.cpu.has_shares = r.cpu.has_period = r.cpu.has_quota = true;
    r.cpu.shares = 512;
    r.cpu.period = 50000;
    r.cpu.quota = 25000;
    ok(apply_is(real_cg, &r, NULL) && real_is(CG_CPU, "cpu.shares", "512") &&
           real_is(CG_CPU, "cpu.cfs_period_us", "50000") && real_is(CG_CPU, "cpu.cfs_quota_us", "25000"),
       "real cpu: shares, period, quota");
    r.cpu.has_period = r.cpu.has_quota = false;
    r.cpu.shares = 1;
    ok(apply_is(real_cg, &r, "linux.resources.cpu.shares: 1 is out of range: the minimum allowed is 2"),
       "real cpu: shares the kernel clamps are refused by name");
    if (real_has(CG_CPU, "cpu.rt_runtime_us")) {
        r = (struct oci_resources){0};
        r.cpu.present = r.cpu.has_realtime_runtime = true;
        r.cpu.realtime_runtime = 2000000; /* above the period: EINVAL */
        ok(apply_is(real_cg, &r, "linux.resources.cpu.realtimeRuntime: write \"2000000\" to"),
           "real cpu: a value the kernel refuses is an error naming the field");
    }
}

static void real_cpuset_pids_blkio(void) {
    struct oci_resources r = {0};
    if (v1_owner(CG_CPUSET)) {
        r.cpu.present = true;
        r.cpu.cpus = "0";
        r.cpu.mems = "0";
        ok(apply_is(real_cg, &r, NULL) && real_is(CG_CPUSET, "cpuset.cpus", "0") &&
               real_is(CG_CPUSET, "cpuset.mems", "0"),
           "real cpuset: cpus 0, mems 0");
    }
    if (v1_owner(CG_PIDS)) {
        r = (struct oci_resources){0};
        r.pids.present = true;
        r.pids.limit = 10;
        ok(apply_is(real_cg, &r, NULL) && real_is(CG_PIDS, "pids.max", "10"), "real pids: pids.max 10");
    }
    if (v1_owner(CG_BLKIO)) {
        bool cfq = real_has(CG_BLKIO, "blkio.weight"), bfq = real_has(CG_BLKIO, "blkio.bfq.weight");
        r = (struct oci_resources){0};
        r.block_io.present = r.block_io.has_weight = true;
        r.block_io.weight = 500;
        if (cfq || bfq)
            ok(apply_is(real_cg, &r, NULL) && real_is(CG_BLKIO, cfq ? "blkio.weight" : "blkio.bfq.weight", "500"),
               "real blkio: weight 500 in %s", cfq ? "blkio.weight" : "blkio.bfq.weight");
        else
            ok(apply_is(real_cg, &r, "linux.resources.blockIO.weight"),
               "real blkio: no weight file (no CFQ/BFQ): an error naming blockIO.weight");
    }
}

/* Fork a child that waits until it has been moved into the cgroup, then runs fn. */
static pid_t spawn_in(void (*fn)(void *), void *arg) {
    int p[2];
    if (pipe2(p, O_CLOEXEC) < 0)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        char c;
        close(p[1]);
        if (read(p[0], &c, 1) != 1)
            _exit(99);
        fn(arg);
        _exit(0);
    }
    close(p[0]);
    _cleanup_error_ struct error *e = NULL;
    if (pid > 0 && cgroup_enter(real_cg, pid, false, &e) < 0) {
        ok(0, "real: enter %d: %s", (int)pid, e ? e->msg : "?");
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        pid = -1;
    }
    if (pid > 0 && write(p[1], "x", 1) != 1)
        diag("spawn_in: write: %s", strerror(errno));
    close(p[1]);
    return pid;
}

static int wait_status(pid_t pid) {
    int st = 0;
    if (pid <= 0 || waitpid(pid, &st, 0) != pid)
        return -1;
    return st;
}

static void open_devices(void *arg) {
    (void)arg;
    int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
    int rnd_fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    _exit(null_fd >= 0 && rnd_fd < 0 && errno == EPERM ? 0 : 1);
}

static void real_devices(void) {
    if (!v1_owner(CG_DEVICES)) {
        ok(1, "# SKIP no v1 devices hierarchy");
        return;
    }
    struct cgroup_device_rule *rules = NULL;
    size_t n = 0;
    cgroup_device_rules(NULL, &rules, &n);
    rules = xrealloc(rules, (n + 1) * sizeof(*rules));
    rules[n++] = (struct cgroup_device_rule){.allow = false, .type = 'c', .major = 1, .minor = 9, .access = "rwm"};
    _cleanup_error_ struct error *e = NULL;
    int r = cgroup_set_devices(real_cg, rules, n, &e);
    free(rules);
    struct cg_hierarchy *h = v1_owner(CG_DEVICES);
    _cleanup_free_ char *p = xasprintf("%s%s/devices.list", h->mount_point, h->path), *list = NULL;
    bool got = read_file(p, &list, NULL, NULL) == 0;
    ok(r == 0 && got && strstr(list, "c 1:3 rwm\n") && strstr(list, "c 136:* rwm\n") && !strstr(list, "c 1:9 ") &&
           !strstr(list, "a *:* rwm"),
       "real devices: devices.list has the defaults, not urandom (denied by a later rule), not a *:* (%s)",
       e ? e->msg : "ok");
    pid_t pid = spawn_in(open_devices, NULL);
    int st = wait_status(pid);
    ok(WIFEXITED(st) && WEXITSTATUS(st) == 0, "real devices: in the cgroup /dev/null opens, /dev/urandom gives EPERM");
}

static void count_forever(void *arg) {
    volatile uint64_t *counter = arg;
    for (;;)
        (*counter)++;
}

static void real_freeze(pid_t *counter_pid, volatile uint64_t *counter) {
    if (!v1_owner(CG_FREEZER)) {
        ok(1, "# SKIP no v1 freezer hierarchy");
        return;
    }
    *counter_pid = spawn_in(count_forever, (void *)counter);
    for (int i = 0; i < 500 && *counter == 0; i++)
        cg_sleep_ms(2);
    _cleanup_error_ struct error *e = NULL;
    bool frozen = false;
    int r = cgroup_freeze(real_cg, true, &e);
    ok(r == 0 && cgroup_frozen(real_cg, &frozen, &e) == 0 && frozen && real_is(CG_FREEZER, "freezer.state", "FROZEN"),
       "real freezer: frozen (%s)", e ? e->msg : "ok");
    uint64_t c1 = *counter;
    cg_sleep_ms(200);
    uint64_t c2 = *counter;
    ok(c1 > 0 && c1 == c2, "real freezer: the counter stays at %llu while frozen", (unsigned long long)c2);
    r = cgroup_freeze(real_cg, false, &e);
    cg_sleep_ms(100);
    uint64_t c3 = *counter;
    ok(r == 0 && cgroup_frozen(real_cg, &frozen, &e) == 0 && !frozen && c3 > c2,
       "real freezer: thawed, the counter moves again (%llu → %llu)", (unsigned long long)c2,
       (unsigned long long)c3);
}

/* The statistics of each v1 controller, through this backend directly (not the other backends). */
static void real_stats(bool counting) {
    struct cgroup_stats st = {0};
    _cleanup_error_ struct error *e = NULL;
    static const enum cg_controller which[] = {CG_CPU, CG_CPUACCT, CG_MEMORY, CG_PIDS, CG_BLKIO};
    int r = 0;
    for (size_t i = 0; r == 0 && i < ARRAY_SIZE(which); i++) {
        struct cg_hierarchy *h = v1_owner(which[i]);
        if (h)
            r = h->ops->stats(h, which[i], &st, &e);
    }
    ok(r == 0, "real stats: every v1 controller read (%s)", e ? e->msg : "ok");
    if (v1_owner(CG_CPUACCT))
        ok(st.has_cpu && st.cpu.total > 0 && st.cpu.n_percpu == (size_t)sysconf(_SC_NPROCESSORS_CONF) &&
               st.cpu.user + st.cpu.kernel > 0,
           "real stats: cpu used %llu ns over %zu cpus", (unsigned long long)st.cpu.total, st.cpu.n_percpu);
    if (v1_owner(CG_PIDS))
        ok(st.has_pids && st.pids.current == (counting ? 1u : 0u) && st.pids.limit == 10,
           "real stats: pids current %llu, limit %llu", (unsigned long long)st.pids.current,
           (unsigned long long)st.pids.limit);
    if (v1_owner(CG_MEMORY))
        ok(st.has_memory && st.memory.usage.usage > 0 && st.memory.usage.limit == 9223372036854771712ULL &&
               st.memory.n_raw > 10,
           "real stats: memory usage %llu, %zu memory.stat keys", (unsigned long long)st.memory.usage.usage,
           st.memory.n_raw);
    if (v1_owner(CG_BLKIO))
        ok(st.has_blkio, "real stats: blkio (%zu entries)", st.blkio.n_service_bytes);
    cgroup_stats_clear(&st);
}

static void hog(void *arg) {
    (void)arg;
    for (size_t i = 0; i < 64; i++) {
        char *p = malloc(1 << 20);
        if (p)
            memset(p, (int)i + 1, 1 << 20);
    }
    _exit(3);
}

/* A hog under a 16 MiB limit is OOM-killed; the eventfd fires; oom_kill counts it. */
static void real_oom(void) {
    struct cg_hierarchy *h = v1_owner(CG_MEMORY);
    if (!h) {
        ok(1, "# SKIP no v1 memory hierarchy");
        return;
    }
    bool memsw = real_has(CG_MEMORY, "memory.memsw.limit_in_bytes");
    struct oci_resources r = mem_res(true, 16 << 20, memsw, 16 << 20);
    int fd = -1;
    _cleanup_error_ struct error *e = NULL;
    int ret = cgroup_oom_fd(real_cg, &fd, &e);
    ok(ret == 0 && fd >= 0, "real oom: eventfd registered (%s)", e ? e->msg : "ok");
    if (!apply_is(real_cg, &r, NULL) || fd < 0) {
        ok(0, "real oom: could not set the 16 MiB limit");
        if (fd >= 0)
            close(fd);
        return;
    }
    pid_t pid = spawn_in(hog, NULL);
    int st = wait_status(pid);
    struct pollfd pfd = {.fd = fd, .events = POLLIN};
    uint64_t events = 0;
    bool fired = poll(&pfd, 1, 5000) == 1 && read(fd, &events, sizeof(events)) == sizeof(events);
    ok(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL && fired && events >= 1,
       "real oom: the hog was OOM-killed and the eventfd fired (status %#x, %llu events)", (unsigned)st,
       (unsigned long long)events);
    close(fd);
    struct cgroup_stats s = {0};
    ret = h->ops->stats(h, CG_MEMORY, &s, &e);
    /* (failcnt is not counted by recent kernels: the peak shows the limit was reached) */
    ok(ret == 0 && s.memory.oom_kill >= 1 && s.memory.usage.max >= 15 << 20 && s.memory.usage.max <= 16 << 20,
       "real oom: oom_kill %llu, max usage %llu at the limit", (unsigned long long)s.memory.oom_kill,
       (unsigned long long)s.memory.usage.max);
    cgroup_stats_clear(&s);
}

static void real_kill(pid_t *counter_pid) {
    if (*counter_pid <= 0)
        return;
    _cleanup_error_ struct error *e = NULL;
    int r = cgroup_kill(real_cg, SIGKILL, &e);
    int st = wait_status(*counter_pid);
    *counter_pid = -1;
    ok(r == 0 && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "real kill: the counter died of SIGKILL (%s)",
       e ? e->msg : "ok");
}

static void test_real(void) {
    char id[64];
    snprintf(id, sizeof(id), "hull-unit-v1-%d", (int)getpid());
    _cleanup_error_ struct error *e = NULL;
    int r = cgroup_create(NULL, id, &real_cg, &e);
    ok(r == 0, "real: create %s (%s)", id, e ? e->msg : "ok");
    if (r < 0)
        return;
    volatile uint64_t *counter = mmap(NULL, sizeof(uint64_t), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    pid_t counter_pid = -1;
    real_memory();
    real_cpu();
    real_cpuset_pids_blkio();
    real_devices();
    if (counter != MAP_FAILED) {
        real_freeze(&counter_pid, counter);
        real_stats(counter_pid > 0);
        real_kill(&counter_pid);
    }
    real_oom();

    /* Whatever happened above: nothing left running, nothing frozen, every directory removed. */
    if (counter_pid > 0) {
        kill(counter_pid, SIGKILL);
        waitpid(counter_pid, NULL, 0);
    }
    cgroup_kill(real_cg, SIGKILL, NULL);
    if (v1_owner(CG_FREEZER))
        cgroup_freeze(real_cg, false, NULL);
    _cleanup_strv_ char **dirs = NULL;
    for (size_t i = 0; i < real_cg->n; i++)
        strv_push(&dirs, xasprintf("%s%s", real_cg->h[i].mount_point, real_cg->h[i].path));
    error_free(e);
    e = NULL;
    r = cgroup_destroy(real_cg, &e);
    bool gone = true;
    for (char **d = dirs; *d; d++)
        gone = gone && access(*d, F_OK) < 0;
    ok(r == 0 && gone, "real: destroy removed the cgroup on all %zu hierarchies (%s)", real_cg->n, e ? e->msg : "ok");
    cgroup_free(real_cg);
    if (counter != MAP_FAILED)
        munmap((void *)counter, sizeof(uint64_t));
}

int main(void) {
    test_fake();
    if (geteuid() == 0)
        test_real();
    else
        ok(1, "# SKIP real cgroup v1 tests need root");
    return tap_done();
}
