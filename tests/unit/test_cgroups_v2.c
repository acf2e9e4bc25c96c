/* cgroups/v2*.c: the cgroup v2 backend over a fake hierarchy in a temporary directory
 * (availability, enabling in the parents, every resource conversion, unified key validation,
 * freeze, kill, stats, OOM fd), then a real round trip on this host's cgroup2 hierarchy
 * (hugetlb limits where available, freeze/thaw with an observable effect, cgroup.kill). */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../base/cleanup.h"
#include "../../base/util.h"
#include "../../cgroups/cgroup.h"
#include "../../cgroups/internal.h"
#include "../../cgroups/v2_internal.h"
#include "tap.h"

static char root[] = "/tmp/hull-cgv2-XXXXXX";

/* ---------- fake tree helpers ---------- */

static void put(const char *rel, const char *text) {
    _cleanup_free_ char *p = xasprintf("%s/%s", root, rel);
    FILE *f = fopen(p, "w");
    if (!f) {
        ok(0, "create %s: %s", p, strerror(errno));
        return;
    }
    fputs(text, f);
    fclose(f);
}

/* The file's content with trailing newlines cut; "<missing>" when absent. */
static char *get(const char *rel) {
    _cleanup_free_ char *p = xasprintf("%s/%s", root, rel);
    char *text = NULL;
    if (read_file(p, &text, NULL, NULL) < 0)
        return xstrdup("<missing>");
    size_t n = strlen(text);
    while (n && text[n - 1] == '\n')
        text[--n] = '\0';
    return text;
}

static bool file_is(const char *rel, const char *want) {
    _cleanup_free_ char *got = get(rel);
    if (strcmp(got, want) == 0)
        return true;
    diag("%s: got \"%s\", want \"%s\"", rel, got, want);
    return false;
}

static struct cg_hierarchy *fake_v2(const char *own) {
    struct cg_hierarchy *h = xcalloc(1, sizeof(*h));
    *h = (struct cg_hierarchy){
        .ops = &cg_v2_ops,
        .mount_point = xstrdup(root),
        .controllers = xstrdup(""),
        .own = xstrdup(own),
        .mount_fd = -1,
    };
    return h;
}

static void rm_tree(const char *rel) {
    _cleanup_free_ char *cmd = xasprintf("rm -rf '%s/%s'", root, rel);
    if (system(cmd) != 0)
        diag("%s failed", cmd);
}

/* The container c1 at /own/c1 with the files a v2 cgroup has (values as after creation). */
static struct cgroup *fake_container(void) {
    struct cgroup *cg = NULL;
    _cleanup_error_ struct error *e = NULL;
    if (cg_create_from(fake_v2("/own"), 1, NULL, "c1", &cg, &e) < 0) {
        ok(0, "fake: create /own/c1: %s", e->msg);
        return NULL;
    }
    /* Regular files are not cgroupfs: a shorter write leaves the tail of a longer value, so every
     * file a test writes starts empty; the files the backend reads get content where needed. */
    static const char *const files[] = {
        "cgroup.subtree_control", "cgroup.freeze", "memory.max",  "memory.low",   "memory.swap.max",
        "cpu.weight",             "cpu.max",       "cpu.max.burst", "cpu.idle",   "cpuset.cpus",
        "cpuset.mems",            "pids.max",      "io.weight",   "io.max",       "hugetlb.2MB.max",
        "hugetlb.2MB.rsvd.max",   "rdma.max",      "memory.high", "cgroup.max.depth",
    };
    for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
        _cleanup_free_ char *rel = xasprintf("own/c1/%s", files[i]);
        put(rel, "");
    }
    put("own/c1/cgroup.events", "populated 0\nfrozen 0\n");
    put("own/c1/memory.current", "1000");
    return cg;
}

static void drop_container(struct cgroup *cg) {
    rm_tree("own/c1");
    cgroup_free(cg);
}

/* cgroup_apply; want_field NULL = must succeed, else the error must start with it. */
static bool apply(struct cgroup *cg, const struct oci_resources *r, const char *want_field, const char *what) {
    _cleanup_error_ struct error *e = NULL;
    int ret = cgroup_apply(cg, r, &e);
    if (!want_field)
        return ok(ret == 0 && !e, "%s (%s)", what, e ? e->msg : "ok");
    return ok(ret < 0 && e && str_has_prefix(e->msg, want_field), "%s: error names %s (%s)", what, want_field,
              e ? e->msg : "no error");
}

/* ---------- availability and enabling ---------- */

static void test_available_enable(void) {
    struct cgroup *cg = fake_container();
    if (!cg)
        return;
    struct cg_hierarchy *h = &cg->h[0];
    ok(cg_owner(cg, CG_MEMORY) == h && cg_owner(cg, CG_PIDS) == h && cg_owner(cg, CG_HUGETLB) == h,
       "available: listed controllers are owned by the unified hierarchy");
    ok(cg_owner(cg, CG_FREEZER) == h && cg_owner(cg, CG_DEVICES) == h && cg_owner(cg, CG_CPUACCT) == h,
       "available: freezer, devices, cpuacct are built in");
    ok(!cg_owner(cg, CG_NET_CLS) && !cg_owner(cg, CG_NET_PRIO), "available: net_cls / net_prio never");
    ok(!cg_owner(cg, CG_BLKIO), "available: io is not listed in own's cgroup.controllers");

    struct oci_resources r = {.pids = {.present = true, .limit = 7}};
    apply(cg, &r, NULL, "enable: pids limit applied");
    ok(file_is("own/cgroup.subtree_control", "+pids") && file_is("own/c1/pids.max", "7"),
       "enable: +pids written to the caller's cgroup, pids.max set");
    ok(file_is("own/c1/cgroup.subtree_control", ""), "enable: the container's own subtree_control untouched");
    put("own/cgroup.subtree_control", "cpu pids\n");
    apply(cg, &r, NULL, "enable: again");
    ok(file_is("own/cgroup.subtree_control", "cpu pids"), "enable: an enabled controller is not written again");
    put("own/cgroup.subtree_control", "");
    drop_container(cg);

    /* Deeper: own/a/b/c1 (relative) → own, own/a, own/a/b; not c1. */
    _cleanup_error_ struct error *e = NULL;
    if (cg_create_from(fake_v2("/own"), 1, "a/b/c1", NULL, &cg, &e) < 0) {
        ok(0, "fake: create own/a/b/c1: %s", e->msg);
        return;
    }
    put("own/a/cgroup.subtree_control", "");
    put("own/a/b/cgroup.subtree_control", "");
    put("own/a/b/c1/cgroup.subtree_control", "");
    put("own/a/b/c1/pids.max", "");
    apply(cg, &r, NULL, "enable: nested path");
    ok(file_is("own/cgroup.subtree_control", "+pids") && file_is("own/a/cgroup.subtree_control", "+pids") &&
           file_is("own/a/b/cgroup.subtree_control", "+pids") && file_is("own/a/b/c1/cgroup.subtree_control", ""),
       "enable: every directory from own down to the parent, not the leaf");
    cgroup_destroy(cg, NULL);
    cgroup_free(cg);
    rm_tree("own/a");
    put("own/cgroup.subtree_control", "");

    /* Absolute path outside the caller's cgroup /own/x: from the common ancestor "/" down. */
    _cleanup_free_ char *x = xasprintf("%s/own/x", root);
    mkdir(x, 0755);
    put("own/x/cgroup.controllers", "pids\n");
    put("cgroup.subtree_control", "");
    error_free(e);
    e = NULL;
    if (cg_create_from(fake_v2("/own/x"), 1, "/abs/c1", NULL, &cg, &e) < 0) {
        ok(0, "fake: create /abs/c1: %s", e->msg);
        return;
    }
    put("abs/cgroup.subtree_control", "");
    put("abs/c1/cgroup.subtree_control", "");
    put("abs/c1/pids.max", "");
    apply(cg, &r, NULL, "enable: absolute path");
    ok(file_is("cgroup.subtree_control", "+pids") && file_is("abs/cgroup.subtree_control", "+pids") &&
           file_is("own/x/cgroup.subtree_control", "<missing>") && file_is("abs/c1/pids.max", "7"),
       "enable: absolute path enables from the common ancestor down");
    cgroup_free(cg);
    rm_tree("abs");
    rm_tree("own/x");
    rm_tree("cgroup.subtree_control");
}

/* ---------- memory ---------- */

static void reset_memory(void) {
    put("own/c1/memory.max", "");
    put("own/c1/memory.low", "");
    put("own/c1/memory.swap.max", "");
}

static void test_memory(void) {
    int64_t v = 0;
    const char *why = NULL;
    ok(cg_v2_swap_value(3 << 20, 1 << 20, &v, &why) == 0 && v == 2 << 20, "swap: limit+swap 3M, limit 1M → 2M");
    ok(cg_v2_swap_value(0, -1, &v, &why) == 0 && v == -1, "swap: unlimited memory, swap unset → max");
    ok(cg_v2_swap_value(-1, 1 << 20, &v, &why) == 0 && v == -1, "swap: -1 → max");
    ok(cg_v2_swap_value(0, 1 << 20, &v, &why) == 0 && v == 0, "swap: 0 = leave alone");
    ok(cg_v2_swap_value(1 << 20, 1 << 20, &v, &why) == 0 && v == 0, "swap: equal to the limit → no swap");
    ok(cg_v2_swap_value(1 << 19, 1 << 20, &v, &why) == -EINVAL, "swap: below the limit refused");
    ok(cg_v2_swap_value(1 << 20, -1, &v, &why) == -EINVAL && cg_v2_swap_value(1 << 20, 0, &v, &why) == -EINVAL,
       "swap: without a finite limit refused");

    struct cgroup *cg = fake_container();
    if (!cg)
        return;
    struct oci_resources r = {.memory = {.present = true, .has_limit = true, .limit = 1 << 20, .has_swap = true,
                                         .swap = 3 << 20}};
    apply(cg, &r, NULL, "memory: limit 1M swap 3M");
    ok(file_is("own/c1/memory.max", "1048576") && file_is("own/c1/memory.swap.max", "2097152"),
       "memory: memory.max = limit, memory.swap.max = swap - limit");
    ok(file_is("own/cgroup.subtree_control", "+memory"), "memory: controller enabled in the parent");

    reset_memory();
    r.memory.swap = 1 << 20;
    apply(cg, &r, NULL, "memory: swap == limit");
    ok(file_is("own/c1/memory.swap.max", "0"), "memory: swap == limit writes memory.swap.max 0");

    reset_memory();
    r.memory.swap = 1 << 19;
    apply(cg, &r, "linux.resources.memory.swap", "memory: swap below the limit");
    ok(file_is("own/c1/memory.max", "") && file_is("own/c1/memory.swap.max", ""), "memory: nothing written when swap is refused");

    reset_memory();
    r.memory.limit = -1;
    r.memory.has_swap = false;
    apply(cg, &r, NULL, "memory: limit -1");
    ok(file_is("own/c1/memory.max", "max") && file_is("own/c1/memory.swap.max", "max"), "memory: -1 → max, swap max");

    /* swap alone: measured against the current memory.max. */
    reset_memory();
    put("own/c1/memory.max", "4194304");
    r = (struct oci_resources){.memory = {.present = true, .has_swap = true, .swap = 6 << 20}};
    apply(cg, &r, NULL, "memory: swap without a limit");
    ok(file_is("own/c1/memory.swap.max", "2097152") && file_is("own/c1/memory.max", "4194304"),
       "memory: swap without a limit uses the current memory.max");
    reset_memory();
    put("own/c1/memory.max", "max");
    apply(cg, &r, "linux.resources.memory.swap", "memory: swap without a limit, memory.max unlimited");
    r.memory.swap = -1;
    put("own/c1/memory.swap.max", "");
    apply(cg, &r, NULL, "memory: swap -1");
    ok(file_is("own/c1/memory.swap.max", "max"), "memory: swap -1 → max");

    /* No swap accounting: "max" and "0" hold anyway; a real swap limit is an error. */
    rm_tree("own/c1/memory.swap.max");
    apply(cg, &r, NULL, "memory: swap -1 without memory.swap.max is fine");
    r.memory = (typeof(r.memory)){.present = true, .has_limit = true, .limit = 1 << 20, .has_swap = true, .swap = 2 << 20};
    apply(cg, &r, "linux.resources.memory.swap", "memory: a swap limit without memory.swap.max");
    reset_memory();

    r.memory = (typeof(r.memory)){.present = true, .has_reservation = true, .reservation = 524288};
    apply(cg, &r, NULL, "memory: reservation");
    ok(file_is("own/c1/memory.low", "524288"), "memory: reservation → memory.low");

    r.memory = (typeof(r.memory)){.present = true, .has_limit = true, .limit = 500, .has_check_before_update = true,
                                  .check_before_update = true};
    apply(cg, &r, "linux.resources.memory.limit", "memory: checkBeforeUpdate below memory.current (1000)");
    ok(file_is("own/c1/memory.max", ""), "memory: refused limit not written");
    r.memory.limit = 2000;
    apply(cg, &r, NULL, "memory: checkBeforeUpdate above the usage");
    ok(file_is("own/c1/memory.max", "2000"), "memory: the limit above the usage is written");
    reset_memory();

    r.memory = (typeof(r.memory)){.present = true, .has_swappiness = true, .swappiness = 10};
    apply(cg, &r, "linux.resources.memory.swappiness", "memory: swappiness");
    r.memory = (typeof(r.memory)){.present = true, .has_disable_oom_killer = true, .disable_oom_killer = true};
    apply(cg, &r, "linux.resources.memory.disableOOMKiller", "memory: disableOOMKiller true");
    r.memory.disable_oom_killer = false;
    apply(cg, &r, NULL, "memory: disableOOMKiller false is what v2 does");
    r.memory = (typeof(r.memory)){.present = true, .has_use_hierarchy = true, .use_hierarchy = false};
    apply(cg, &r, "linux.resources.memory.useHierarchy", "memory: useHierarchy false");
    r.memory.use_hierarchy = true;
    apply(cg, &r, NULL, "memory: useHierarchy true is what v2 does");
    r.memory = (typeof(r.memory)){.present = true, .has_kernel_tcp = true, .kernel_tcp = 1 << 20};
    apply(cg, &r, NULL, "memory: kernelTCP skipped");
    ok(file_is("own/c1/memory.max", "") && file_is("own/c1/memory.swap.max", ""), "memory: kernelTCP wrote nothing");
    drop_container(cg);
    put("own/cgroup.subtree_control", "");
}

/* ---------- cpu, cpuset, pids ---------- */

static void test_cpu(void) {
    ok(cg_v2_shares_to_weight(0) == 0 && cg_v2_shares_to_weight(2) == 1 && cg_v2_shares_to_weight(1024) == 39 &&
           cg_v2_shares_to_weight(262144) == 10000 && cg_v2_shares_to_weight(1) == 1 &&
           cg_v2_shares_to_weight(1 << 20) == 10000,
       "shares → weight: 2→1, 1024→39, 262144→10000, clamped");
    struct cgroup *cg = fake_container();
    if (!cg)
        return;
    struct oci_resources r = {.cpu = {.present = true, .has_shares = true, .shares = 1024}};
    apply(cg, &r, NULL, "cpu: shares");
    ok(file_is("own/c1/cpu.weight", "39"), "cpu: shares 1024 → cpu.weight 39");

    put("own/c1/cpu.max", "max 250000");
    r.cpu = (typeof(r.cpu)){.present = true, .has_quota = true, .quota = 50000};
    apply(cg, &r, NULL, "cpu: quota alone");
    ok(file_is("own/c1/cpu.max", "50000 250000"), "cpu: quota alone keeps the current period");

    put("own/c1/cpu.max", "30000 100000");
    r.cpu = (typeof(r.cpu)){.present = true, .has_period = true, .period = 200000};
    apply(cg, &r, NULL, "cpu: period alone");
    ok(file_is("own/c1/cpu.max", "30000 200000"), "cpu: period alone keeps the current quota");

    put("own/c1/cpu.max", "");
    r.cpu = (typeof(r.cpu)){.present = true, .has_quota = true, .quota = -1, .has_period = true, .period = 50000};
    apply(cg, &r, NULL, "cpu: quota -1 with a period");
    ok(file_is("own/c1/cpu.max", "max 50000"), "cpu: quota <= 0 → max");

    put("own/c1/cpu.max", "garbage");
    r.cpu = (typeof(r.cpu)){.present = true, .has_period = true, .period = 50000};
    apply(cg, &r, "linux.resources.cpu.period", "cpu: unreadable cpu.max");

    put("own/c1/cpu.max", "max 100000");
    put("own/c1/cpu.max.burst", "");
    r.cpu = (typeof(r.cpu)){.present = true, .has_quota = true, .quota = 20000, .has_burst = true, .burst = 10000,
                            .has_idle = true, .idle = 1};
    apply(cg, &r, NULL, "cpu: burst and idle");
    ok(file_is("own/c1/cpu.max.burst", "10000") && file_is("own/c1/cpu.idle", "1") &&
           file_is("own/c1/cpu.max", "20000 100000"),
       "cpu: cpu.max.burst, cpu.idle, cpu.max");

    r.cpu = (typeof(r.cpu)){.present = true, .has_realtime_runtime = true, .realtime_runtime = 950000};
    apply(cg, &r, "linux.resources.cpu.realtimeRuntime", "cpu: realtimeRuntime");
    r.cpu = (typeof(r.cpu)){.present = true, .has_realtime_period = true, .realtime_period = 1000000};
    apply(cg, &r, "linux.resources.cpu.realtimePeriod", "cpu: realtimePeriod");
    r.cpu = (typeof(r.cpu)){.present = true, .has_realtime_runtime = true, .has_realtime_period = true};
    apply(cg, &r, NULL, "cpu: realtime values of 0 are accepted");

    r.cpu = (typeof(r.cpu)){.present = true, .cpus = "0-1", .mems = "0"};
    apply(cg, &r, NULL, "cpuset: cpus and mems");
    ok(file_is("own/c1/cpuset.cpus", "0-1") && file_is("own/c1/cpuset.mems", "0"), "cpuset: cpuset.cpus / cpuset.mems");

    r = (struct oci_resources){.pids = {.present = true, .limit = 0}};
    put("own/c1/pids.max", "");
    apply(cg, &r, NULL, "pids: 0");
    ok(file_is("own/c1/pids.max", "max"), "pids: 0 → max");
    r.pids.limit = -1;
    put("own/c1/pids.max", "");
    apply(cg, &r, NULL, "pids: -1");
    ok(file_is("own/c1/pids.max", "max"), "pids: -1 → max");
    drop_container(cg);
    put("own/cgroup.subtree_control", "");
}

/* ---------- io, hugetlb, rdma ---------- */

static void test_io(void) {
    ok(cg_v2_blkio_to_io_weight(10) == 1 && cg_v2_blkio_to_io_weight(500) == 4950 &&
           cg_v2_blkio_to_io_weight(1000) == 10000 && cg_v2_blkio_to_io_weight(0) == 0 &&
           cg_v2_blkio_to_io_weight(5) == 1,
       "blkio weight → io.weight: 10→1, 500→4950, 1000→10000");
    put("own/cgroup.controllers", "cpuset cpu io memory hugetlb pids rdma\n");
    struct cgroup *cg = fake_container();
    if (!cg)
        return;
    struct oci_resources r = {.block_io = {.present = true, .has_weight = true, .weight = 500}};
    apply(cg, &r, NULL, "io: weight");
    ok(file_is("own/c1/io.weight", "4950") && file_is("own/cgroup.subtree_control", "+io"),
       "io: weight converted into io.weight, io enabled");

    struct oci_block_io_weight_device wd[] = {{.major = 8, .minor = 0, .has_weight = true, .weight = 300}};
    r.block_io = (typeof(r.block_io)){.present = true, .weight_devices = wd, .n_weight_devices = 1};
    put("own/c1/io.weight", "");
    apply(cg, &r, NULL, "io: weightDevice");
    ok(file_is("own/c1/io.weight", "8:0 2930"), "io: weightDevice → \"8:0 2930\"");

    put("own/c1/io.bfq.weight", "");
    r.block_io = (typeof(r.block_io)){.present = true, .has_weight = true, .weight = 500};
    apply(cg, &r, NULL, "io: weight with BFQ");
    ok(file_is("own/c1/io.bfq.weight", "500"), "io: io.bfq.weight takes the weight as is");
    r.block_io = (typeof(r.block_io)){.present = true, .weight_devices = wd, .n_weight_devices = 1};
    put("own/c1/io.bfq.weight", "");
    apply(cg, &r, NULL, "io: weightDevice with BFQ");
    ok(file_is("own/c1/io.bfq.weight", "8:0 300"), "io: io.bfq.weight \"8:0 300\"");
    rm_tree("own/c1/io.bfq.weight");

    wd[0].has_leaf_weight = true;
    apply(cg, &r, "linux.resources.blockIO.weightDevice[0].leafWeight", "io: a device leafWeight");
    r.block_io = (typeof(r.block_io)){.present = true, .has_leaf_weight = true, .leaf_weight = 10};
    apply(cg, &r, "linux.resources.blockIO.leafWeight", "io: leafWeight");

    struct oci_block_io_throttle t[] = {{.major = 8, .minor = 16, .rate = 1048576}, {.major = 8, .minor = 0, .rate = 0}};
    static const char *const keys[] = {"rbps", "wbps", "riops", "wiops"};
    for (int k = 0; k < 4; k++) {
        r.block_io = (typeof(r.block_io)){.present = true};
        struct oci_block_io_throttle **slot[] = {&r.block_io.throttle_read_bps, &r.block_io.throttle_write_bps,
                                                 &r.block_io.throttle_read_iops, &r.block_io.throttle_write_iops};
        size_t *count[] = {&r.block_io.n_throttle_read_bps, &r.block_io.n_throttle_write_bps,
                           &r.block_io.n_throttle_read_iops, &r.block_io.n_throttle_write_iops};
        *slot[k] = &t[0];
        *count[k] = 1;
        put("own/c1/io.max", "");
        apply(cg, &r, NULL, "io: throttle");
        _cleanup_free_ char *want = xasprintf("8:16 %s=1048576", keys[k]);
        ok(file_is("own/c1/io.max", want), "io: throttle → io.max \"%s\"", want);
        *slot[k] = &t[1];
        put("own/c1/io.max", "");
        apply(cg, &r, NULL, "io: throttle 0");
        _cleanup_free_ char *want0 = xasprintf("8:0 %s=max", keys[k]);
        ok(file_is("own/c1/io.max", want0), "io: a rate of 0 → \"%s\"", want0);
    }
    rm_tree("own/c1/io.max");
    r.block_io = (typeof(r.block_io)){.present = true, .throttle_write_iops = t, .n_throttle_write_iops = 1};
    apply(cg, &r, "linux.resources.blockIO.throttleWriteIOPSDevice[0]", "io: a write error names the entry");
    drop_container(cg);
    put("own/cgroup.controllers", "cpuset cpu memory hugetlb pids rdma\n");
    put("own/cgroup.subtree_control", "");
}

static void test_hugetlb_rdma(void) {
    struct cgroup *cg = fake_container();
    if (!cg)
        return;
    struct oci_hugepage_limit hl[] = {{.page_size = "2MB", .limit = 4 << 20}};
    struct oci_resources r = {.hugepage_limits = hl, .n_hugepage_limits = 1};
    apply(cg, &r, NULL, "hugetlb: 2MB");
    ok(file_is("own/c1/hugetlb.2MB.max", "4194304") && file_is("own/c1/hugetlb.2MB.rsvd.max", "4194304"),
       "hugetlb: hugetlb.2MB.max and hugetlb.2MB.rsvd.max");
    rm_tree("own/c1/hugetlb.2MB.rsvd.max");
    hl[0].limit = 2 << 20;
    apply(cg, &r, NULL, "hugetlb: 2MB without reservation accounting");
    ok(file_is("own/c1/hugetlb.2MB.max", "2097152") && file_is("own/c1/hugetlb.2MB.rsvd.max", "<missing>"),
       "hugetlb: only .max where .rsvd.max does not exist");
    hl[0].page_size = "3MB";
    apply(cg, &r, "linux.resources.hugepageLimits[0].pageSize: \"3MB\"", "hugetlb: unknown page size");
    hl[0].page_size = "../2MB";
    apply(cg, &r, "linux.resources.hugepageLimits[0].pageSize", "hugetlb: a page size with a slash");

    struct oci_rdma rd[] = {{.device = "mlx5_0", .has_hca_handles = true, .hca_handles = 2, .has_hca_objects = true,
                             .hca_objects = 10}};
    r = (struct oci_resources){.rdma = rd, .n_rdma = 1};
    apply(cg, &r, NULL, "rdma: both");
    ok(file_is("own/c1/rdma.max", "mlx5_0 hca_handle=2 hca_object=10"), "rdma: \"mlx5_0 hca_handle=2 hca_object=10\"");
    put("own/c1/rdma.max", "");
    rd[0].has_hca_objects = false;
    apply(cg, &r, NULL, "rdma: handles only");
    ok(file_is("own/c1/rdma.max", "mlx5_0 hca_handle=2"), "rdma: handles only");
    drop_container(cg);
    put("own/cgroup.subtree_control", "");
}

/* ---------- unified ---------- */

static void unified_bad(struct cgroup *cg, const char *key, const char *what) {
    struct oci_key_value kv[] = {{.key = "memory.high", .value = "123"}, {.key = (char *)key, .value = "1"}};
    struct oci_resources r = {.unified = kv, .n_unified = 2};
    _cleanup_free_ char *want = xasprintf("linux.resources.unified.\"%s\"", key);
    apply(cg, &r, want, what);
    ok(file_is("own/c1/memory.high", ""), "unified: nothing written when \"%s\" is refused", key);
}

static void test_unified(void) {
    struct cgroup *cg = fake_container();
    if (!cg)
        return;
    struct oci_key_value kv[] = {{.key = "memory.high", .value = "123456"}, {.key = "cgroup.max.depth", .value = "3"}};
    struct oci_resources r = {.unified = kv, .n_unified = 2};
    apply(cg, &r, NULL, "unified: memory.high, cgroup.max.depth");
    ok(file_is("own/c1/memory.high", "123456") && file_is("own/c1/cgroup.max.depth", "3") &&
           file_is("own/cgroup.subtree_control", "+memory"),
       "unified: values written, memory enabled in the parent");
    put("own/c1/memory.high", "");
    unified_bad(cg, "../memory.high", "unified: a path escape");
    unified_bad(cg, "a/b", "unified: a slash");
    unified_bad(cg, ".", "unified: \".\"");
    unified_bad(cg, "..", "unified: \"..\"");
    unified_bad(cg, "", "unified: empty key");
    unified_bad(cg, "nodot", "unified: no controller prefix");
    unified_bad(cg, "misc.max", "unified: an unavailable controller");
    unified_bad(cg, "io.max", "unified: io not available here");

    struct oci_key_value missing[] = {{.key = "memory.nosuchfile", .value = "1"}};
    r = (struct oci_resources){.unified = missing, .n_unified = 1};
    apply(cg, &r, "linux.resources.unified.\"memory.nosuchfile\"", "unified: a missing file");

    struct oci_key_value lines[] = {{.key = "rdma.max", .value = "mlx5_0 hca_handle=2\nmlx5_1 hca_object=3\n"}};
    r = (struct oci_resources){.unified = lines, .n_unified = 1};
    apply(cg, &r, NULL, "unified: a value of two lines");
    ok(file_is("own/c1/rdma.max", "mlx5_1 hca_object=3"), "unified: written a line at a time (the last one shows)");
    drop_container(cg);
    put("own/cgroup.subtree_control", "");
}

/* ---------- freeze, kill, OOM fd ---------- */

static long now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void test_freeze_kill_oom(void) {
    struct cgroup *cg = fake_container();
    if (!cg)
        return;
    _cleanup_error_ struct error *e = NULL;
    put("own/c1/cgroup.events", "populated 1\nfrozen 1\n");
    int r = cgroup_freeze(cg, true, &e);
    ok(r == 0 && file_is("own/c1/cgroup.freeze", "1"), "freeze: cgroup.freeze 1, events already frozen (%s)",
       e ? e->msg : "ok");
    bool frozen = false;
    ok(cgroup_frozen(cg, &frozen, NULL) == 0 && frozen, "frozen: cgroup.events frozen 1");

    /* Thaw: the "kernel" (a child) reports frozen 0 only after 150 ms; the thaw waits for it. */
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        usleep(150000);
        put("own/c1/cgroup.events", "populated 1\nfrozen 0\n");
        _exit(0);
    }
    long t0 = now_ms();
    r = cgroup_freeze(cg, false, &e);
    long waited = now_ms() - t0;
    waitpid(pid, NULL, 0);
    ok(r == 0 && file_is("own/c1/cgroup.freeze", "0") && waited >= 100,
       "thaw: waits until cgroup.events says frozen 0 (%ld ms, %s)", waited, e ? e->msg : "ok");
    ok(cgroup_frozen(cg, &frozen, NULL) == 0 && !frozen, "frozen: cgroup.events frozen 0");

    put("own/c1/cgroup.events", "populated 0\n");
    ok(cgroup_frozen(cg, &frozen, NULL) == 0 && !frozen, "frozen: no frozen key (old kernel) = not frozen");

    struct cg_hierarchy *h = &cg->h[0];
    ok(cg_v2_kill_all(h, &e) == -ENOTSUP && !e, "kill_all: -ENOTSUP without cgroup.kill, no error set");
    put("own/c1/cgroup.kill", "");
    ok(cg_v2_kill_all(h, &e) == 0 && file_is("own/c1/cgroup.kill", "1"), "kill_all: writes 1 to cgroup.kill");

    int fd = -1;
    ok(cgroup_oom_fd(cg, &fd, &e) == -ENOENT && !e, "oom_fd: -ENOENT without memory.events");
    put("own/c1/memory.events", "oom 0\noom_kill 0\n");
    r = cgroup_oom_fd(cg, &fd, &e);
    ok(r == 0 && fd >= 0, "oom_fd: an inotify fd (%s)", e ? e->msg : "ok");
    if (r == 0) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        ok(poll(&p, 1, 0) == 0, "oom_fd: quiet before memory.events changes");
        put("own/c1/memory.events", "oom 1\noom_kill 1\n");
        ok(poll(&p, 1, 1000) == 1, "oom_fd: readable after memory.events is modified");
        ok((fcntl(fd, F_GETFD) & FD_CLOEXEC) && (fcntl(fd, F_GETFL) & O_NONBLOCK), "oom_fd: cloexec, nonblocking");
        close(fd);
    }
    drop_container(cg);
}

/* ---------- stats ---------- */

static void test_stats(void) {
    put("own/cgroup.controllers", "cpuset cpu io memory hugetlb pids rdma\n");
    struct cgroup *cg = fake_container();
    if (!cg)
        return;
    struct cgroup_stats st;
    _cleanup_error_ struct error *e = NULL;
    /* Controllers available but not enabled for the container: no files, nothing reported. */
    rm_tree("own/c1/pids.max");
    rm_tree("own/c1/memory.current");
    int r = cgroup_stats(cg, &st, &e);
    ok(r == 0 && !st.has_cpu && !st.has_memory && !st.has_pids && !st.has_blkio && st.n_hugetlb == 1,
       "stats: controllers without files report nothing (%s)", e ? e->msg : "ok");
    cgroup_stats_clear(&st);

    put("own/c1/cpu.stat", "usage_usec 1500\nuser_usec 1000\nsystem_usec 500\nnr_periods 10\nnr_throttled 2\n"
                           "throttled_usec 300\n");
    put("own/c1/memory.current", "4096");
    put("own/c1/memory.max", "max");
    put("own/c1/memory.peak", "8192");
    put("own/c1/memory.swap.current", "100");
    put("own/c1/memory.swap.max", "max");
    put("own/c1/memory.stat", "anon 10\nfile 20\nshmem 0\n");
    put("own/c1/memory.events", "low 0\nhigh 0\nmax 3\noom 1\noom_kill 2\n");
    put("own/c1/pids.current", "3\n");
    put("own/c1/pids.max", "max\n");
    put("own/c1/io.stat", "8:0 rbytes=1 wbytes=2 rios=3 wios=4 dbytes=5 dios=6\n253:1 rbytes=7 wbytes=8 rios=9 "
                          "wios=10 dbytes=0 dios=0\n");
    put("own/c1/hugetlb.2MB.current", "2097152");
    put("own/c1/hugetlb.2MB.events", "max 4\n");
    r = cgroup_stats(cg, &st, &e);
    ok(r == 0, "stats: read (%s)", e ? e->msg : "ok");
    ok(st.has_cpu && st.cpu.total == 1500000 && st.cpu.user == 1000000 && st.cpu.kernel == 500000 &&
           st.cpu.periods == 10 && st.cpu.throttled_periods == 2 && st.cpu.throttled_time == 300000,
       "stats: cpu.stat in nanoseconds, periods, throttling");
    ok(st.has_memory && st.memory.usage.usage == 4096 && st.memory.usage.limit == UINT64_MAX &&
           st.memory.usage.max == 8192 && st.memory.usage.failcnt == 3 && st.memory.oom_kill == 2 &&
           st.memory.cache == 20 && st.memory.use_hierarchy,
       "stats: memory usage, limit max = UINT64_MAX, peak, max events, oom_kill, cache = file");
    ok(st.memory.swap.usage == 4196 && st.memory.swap.limit == UINT64_MAX, "stats: swap as memory+swap (runc)");
    ok(st.memory.n_raw == 3 && strcmp(st.memory.raw[1].key, "file") == 0 && strcmp(st.memory.raw[1].value, "20") == 0,
       "stats: memory.stat raw");
    ok(st.has_pids && st.pids.current == 3 && st.pids.limit == 0, "stats: pids current, max → 0");
    bool io_ok = st.has_blkio && st.blkio.n_service_bytes == 6 && st.blkio.n_serviced == 6 &&
                 st.blkio.service_bytes[0].major == 8 && strcmp(st.blkio.service_bytes[0].op, "Read") == 0 &&
                 st.blkio.service_bytes[0].value == 1 && strcmp(st.blkio.service_bytes[2].op, "Discard") == 0 &&
                 st.blkio.service_bytes[2].value == 5 && strcmp(st.blkio.serviced[1].op, "Write") == 0 &&
                 st.blkio.serviced[1].value == 4 && st.blkio.serviced[3].major == 253 &&
                 st.blkio.serviced[3].minor == 1 && st.blkio.serviced[3].value == 9;
    ok(io_ok, "stats: io.stat → service_bytes / serviced Read, Write, Discard per device");
    ok(st.n_hugetlb == 1 && strcmp(st.hugetlb[0].page_size, "2MB") == 0 && st.hugetlb[0].usage == 2097152 &&
           st.hugetlb[0].failcnt == 4,
       "stats: hugetlb 2MB usage and failcnt");
    cgroup_stats_clear(&st);

    put("own/c1/memory.max", "1000000");
    put("own/c1/memory.swap.max", "500");
    put("own/c1/hugetlb.2MB.rsvd.current", "4194304");
    r = cgroup_stats(cg, &st, NULL);
    ok(r == 0 && st.memory.usage.limit == 1000000 && st.memory.swap.limit == 1000500 &&
           st.n_hugetlb == 1 && st.hugetlb[0].usage == 4194304,
       "stats: finite limits add up; hugetlb usage from the reservation counter");
    cgroup_stats_clear(&st);
    put("own/c1/pids.current", "x");
    r = cgroup_stats(cg, &st, &e);
    ok(r < 0 && e && strstr(e->msg, "pids.current"), "stats: a corrupt file is an error (%s)", e ? e->msg : "none");
    drop_container(cg);
    put("own/cgroup.controllers", "cpuset cpu memory hugetlb pids rdma\n");
}

/* ---------- the real cgroup2 hierarchy of this host ---------- */

/* This host's unified hierarchy alone (hybrid: /sys/fs/cgroup/unified), or NULL. */
static struct cg_hierarchy *real_v2(void) {
    _cleanup_free_ char *mi = NULL, *pc = NULL;
    if (read_file("/proc/self/mountinfo", &mi, NULL, NULL) < 0 || read_file("/proc/self/cgroup", &pc, NULL, NULL) < 0)
        return NULL;
    struct cg_hierarchy *h = NULL, *v2 = NULL;
    size_t n = 0;
    enum cgroup_layout layout;
    if (cg_detect(mi, pc, &h, &n, &layout, NULL) < 0)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        if (h[i].ops->version == 2 && !v2) {
            v2 = xcalloc(1, sizeof(*v2));
            *v2 = h[i];
        } else {
            cg_hierarchy_clear(&h[i]);
        }
    }
    free(h);
    return v2;
}

static bool word_in(const char *text, const char *word) {
    _cleanup_free_ char *t = xasprintf(" %s ", text), *w = xasprintf(" %s ", word);
    for (char *p = t; *p; p++)
        if (*p == '\n')
            *p = ' ';
    return strstr(t, w) != NULL;
}

static char *real_read(const char *path) {
    char *text = NULL;
    if (read_file(path, &text, NULL, NULL) < 0)
        return xstrdup("<unreadable>");
    text[strcspn(text, "\n")] = '\0';
    return text;
}

/* The first huge page size of the host in the cgroup's spelling ("2MB"), or NULL. */
static char *host_page_size(void) {
    _cleanup_closedir_ DIR *d = opendir("/sys/kernel/mm/hugepages");
    struct dirent *de;
    while (d && (de = readdir(d))) {
        unsigned long kb;
        if (sscanf(de->d_name, "hugepages-%lukB", &kb) != 1)
            continue;
        return kb >= 1048576 ? xasprintf("%luGB", kb / 1048576) : kb >= 1024 ? xasprintf("%luMB", kb / 1024)
                                                                             : xasprintf("%luKB", kb);
    }
    return NULL;
}

/* hugetlb on the real hierarchy; the caller restores the parent's subtree_control. */
static void real_hugetlb(struct cgroup *cg, const char *dir) {
    _cleanup_free_ char *size = host_page_size();
    if (!cg_owner(cg, CG_HUGETLB) || !size) {
        diag("skip: no hugetlb controller in the cgroup2 hierarchy or no huge pages");
        return;
    }
    struct oci_hugepage_limit hl[] = {{.page_size = size, .limit = 2 * 2097152}};
    struct oci_resources r = {.hugepage_limits = hl, .n_hugepage_limits = 1};
    apply(cg, &r, NULL, "real hugetlb: limit applied on the cgroup2 hierarchy");
    _cleanup_free_ char *maxf = xasprintf("%s/hugetlb.%s.max", dir, size);
    _cleanup_free_ char *rsvdf = xasprintf("%s/hugetlb.%s.rsvd.max", dir, size);
    _cleanup_free_ char *max = real_read(maxf), *rsvd = real_read(rsvdf);
    ok(strcmp(max, "4194304") == 0, "real hugetlb: %s = %s", maxf, max);
    ok(access(rsvdf, F_OK) != 0 || strcmp(rsvd, "4194304") == 0, "real hugetlb: rsvd.max = %s", rsvd);
    struct cgroup_stats st;
    bool listed = false;
    if (cgroup_stats(cg, &st, NULL) == 0)
        for (size_t i = 0; i < st.n_hugetlb; i++)
            listed = listed || strcmp(st.hugetlb[i].page_size, size) == 0;
    ok(listed, "real hugetlb: stats list the page size %s", size);
    cgroup_stats_clear(&st);
    hl[0].page_size = "3MB";
    apply(cg, &r, "linux.resources.hugepageLimits[0].pageSize", "real hugetlb: unknown page size");
}

/* A child that counts in shared memory: frozen, the count stands still. */
static pid_t spawn_counter(volatile uint64_t **counter) {
    *counter = mmap(NULL, sizeof(uint64_t), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (*counter == MAP_FAILED)
        return -1;
    **counter = 0;
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        for (;;) {
            (**counter)++;
            usleep(1000);
        }
    }
    return pid;
}

static uint64_t count_over(volatile uint64_t *c, long ms) {
    uint64_t a = *c;
    usleep(ms * 1000);
    return *c - a;
}

static void real_freeze_kill(struct cgroup *cg) {
    volatile uint64_t *counter = NULL;
    pid_t pid = spawn_counter(&counter);
    if (pid < 0) {
        ok(0, "real: spawn a counter");
        return;
    }
    _cleanup_error_ struct error *e = NULL;
    int r = cgroup_enter(cg, pid, false, &e);
    ok(r == 0, "real: counter %d entered the cgroup (%s)", (int)pid, e ? e->msg : "ok");
    bool frozen = true;
    ok(cgroup_frozen(cg, &frozen, NULL) == 0 && !frozen, "real: not frozen at first");
    ok(count_over(counter, 100) > 0, "real: the counter runs");
    r = cgroup_freeze(cg, true, &e);
    ok(r == 0 && cgroup_frozen(cg, &frozen, NULL) == 0 && frozen, "real: frozen (%s)", e ? e->msg : "ok");
    ok(count_over(counter, 200) == 0, "real: a frozen counter makes no progress");
    r = cgroup_freeze(cg, false, &e);
    ok(r == 0 && cgroup_frozen(cg, &frozen, NULL) == 0 && !frozen, "real: thawed (%s)", e ? e->msg : "ok");
    ok(count_over(counter, 100) > 0, "real: the counter runs again");

    r = cg_v2_kill_all(&cg->h[0], &e);
    int status = 0;
    pid_t w = waitpid(pid, &status, 0);
    ok(r == 0 && w == pid && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
       "real: cgroup.kill killed the counter (%s)", e ? e->msg : "ok");
    if (w != pid) {
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
    }
    munmap((void *)counter, sizeof(uint64_t));
}

static void test_real(void) {
    struct cg_hierarchy *h = real_v2();
    if (!h) {
        diag("skip: no cgroup2 hierarchy on this host");
        return;
    }
    _cleanup_free_ char *own_sc = xasprintf("%s%s/cgroup.subtree_control", h->mount_point,
                                            strcmp(h->own, "/") == 0 ? "" : h->own);
    _cleanup_free_ char *before = real_read(own_sc);
    _cleanup_free_ char *id = xasprintf("hull-unit-v2-%d", (int)getpid());
    struct cgroup *cg = NULL;
    _cleanup_error_ struct error *e = NULL;
    if (cg_create_from(h, 1, NULL, id, &cg, &e) < 0) {
        ok(0, "real: create %s: %s", id, e->msg);
        return;
    }
    _cleanup_free_ char *dir = xasprintf("%s%s", cg->h[0].mount_point, cg->h[0].path);
    diag("real: cgroup %s", dir);
    real_hugetlb(cg, dir);
    real_freeze_kill(cg);
    int r = cgroup_destroy(cg, &e);
    struct stat sb;
    ok(r == 0 && stat(dir, &sb) < 0, "real: destroyed %s (%s)", dir, e ? e->msg : "ok");
    cgroup_free(cg);

    /* Leave the caller's subtree_control as found: disable what the test enabled. */
    _cleanup_free_ char *after = real_read(own_sc);
    static const char *const names[] = {"hugetlb", "cpu", "cpuset", "memory", "pids", "io", "rdma"};
    for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
        if (!word_in(after, names[i]) || word_in(before, names[i]))
            continue;
        _cleanup_free_ char *cmd = xasprintf("-%s", names[i]);
        if (write_file_at(AT_FDCWD, own_sc, cmd, NULL) < 0)
            diag("could not disable %s again in %s", names[i], own_sc);
    }
    _cleanup_free_ char *restored = real_read(own_sc);
    ok(strcmp(restored, before) == 0, "real: %s restored (\"%s\")", own_sc, restored);
}

int main(void) {
    if (!mkdtemp(root)) {
        ok(0, "mkdtemp: %s", strerror(errno));
        return tap_done();
    }
    _cleanup_free_ char *own = xasprintf("%s/own", root);
    mkdir(own, 0755);
    put("own/cgroup.controllers", "cpuset cpu memory hugetlb pids rdma\n");
    put("own/cgroup.subtree_control", "");

    test_available_enable();
    test_memory();
    test_cpu();
    test_io();
    test_hugetlb_rdma();
    test_unified();
    test_freeze_kill_oom();
    test_stats();

    rm_tree("own/cgroup.controllers");
    rm_tree("own/cgroup.subtree_control");
    rmdir(own);
    ok(rmdir(root) == 0, "fake: temporary tree empty at the end (%s)", strerror(errno));

    test_real();
    return tap_done();
}
