/* cgroup v1: linux.resources for memory, cpu, cpuset and pids (the other controllers are in
 * v1_apply_io.c).  Only fields present in r are written; every error names the spec field. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "../base/cleanup.h"
#include "../base/util.h"
#include "v1_internal.h"

#define MEM(f) "linux.resources.memory." f
#define CPU(f) "linux.resources.cpu." f

static int set_i64(struct cg_hierarchy *h, const char *field, const char *file, int64_t v, struct error **err) {
    char buf[32];
    snprintf(buf, sizeof(buf), "%" PRId64, v);
    return cg_fs_set(h, field, file, buf, err);
}

static int set_u64(struct cg_hierarchy *h, const char *field, const char *file, uint64_t v, struct error **err) {
    char buf[32];
    snprintf(buf, sizeof(buf), "%" PRIu64, v);
    return cg_fs_set(h, field, file, buf, err);
}

/* Write a value the kernel may refuse (EINVAL) until a later value is written: with `later`, such
 * a refusal sets *deferred for a retry after the later one, as runc does for cfs_period_us. */
static int set_or_defer(struct cg_hierarchy *h, const char *field, const char *file, int64_t v, bool later,
                        bool *deferred, struct error **err) {
    struct error *e = NULL;
    int r = set_i64(h, field, file, v, &e);
    *deferred = r == -EINVAL && later;
    if (r < 0 && !*deferred && err && !*err)
        *err = TAKE_PTR(e);
    error_free(e);
    return *deferred ? 0 : r;
}

/* ---- memory ---- */

/* -1 (unlimited) as the largest value, for comparing limits. */
static uint64_t as_limit(int64_t v) {
    return v < 0 ? UINT64_MAX : (uint64_t)v;
}

/* memory.limit_in_bytes and memory.memsw.limit_in_bytes (memory+swap, so never below the limit).
 * 0 means "not set" for both, as in runc.  Unlimited memory without a swap value also lifts
 * memsw (else the kernel refuses the limit above it).  The kernel checks memsw >= limit at every
 * write, so when raising memsw is written first, when lowering the limit is. */
static int memory_limit_swap(struct cg_hierarchy *h, const struct oci_resources *res, struct error **err) {
    bool has_memsw = cg_fs_exists(h, h->path, "memory.memsw.limit_in_bytes");
    bool set_limit = res->memory.has_limit && res->memory.limit != 0;
    bool set_swap = res->memory.has_swap && res->memory.swap != 0;
    int64_t limit = res->memory.limit, swap = res->memory.swap;
    if (set_swap && !has_memsw) {
        if (swap != -1)
            return error_new(err, ENOTSUP,
                             MEM("swap") ": %" PRId64 ": this kernel has no swap accounting "
                                         "(no memory.memsw.limit_in_bytes)",
                             swap);
        set_swap = false;
    }
    if (set_limit && limit == -1 && !set_swap && has_memsw) {
        set_swap = true;
        swap = -1;
    }
    if (set_limit && set_swap && as_limit(swap) < as_limit(limit))
        return error_new(err, EINVAL,
                         MEM("swap") ": %" PRId64 " is below memory.limit %" PRId64 " (on cgroup v1 swap is the "
                                     "memory+swap limit)",
                         swap, limit);
    bool swap_first = false;
    if (set_limit && set_swap) {
        uint64_t cur;
        int r = cg_fs_read_u64(h, h->path, "memory.limit_in_bytes", &cur, err);
        if (r < 0)
            return error_wrap(err, r, MEM("limit"));
        swap_first = swap == -1 || cur < (uint64_t)swap;
    }
    int r = 0;
    if (set_swap && swap_first)
        r = set_i64(h, MEM("swap"), "memory.memsw.limit_in_bytes", swap, err);
    if (r >= 0 && set_limit)
        r = set_i64(h, MEM("limit"), "memory.limit_in_bytes", limit, err);
    if (r >= 0 && set_swap && !swap_first)
        r = set_i64(h, MEM("swap"), "memory.memsw.limit_in_bytes", swap, err);
    return r;
}

/* A reservation or kernelTCP of 0 is "not set", as in runc. */
static int apply_memory(struct cg_hierarchy *h, const struct oci_resources *res, struct error **err) {
    if (!res->memory.present)
        return 0;
    int r = memory_limit_swap(h, res, err);
    if (r >= 0 && res->memory.has_reservation && res->memory.reservation != 0)
        r = set_i64(h, MEM("reservation"), "memory.soft_limit_in_bytes", res->memory.reservation, err);
    if (r >= 0 && res->memory.has_kernel_tcp && res->memory.kernel_tcp != 0)
        r = set_i64(h, MEM("kernelTCP"), "memory.kmem.tcp.limit_in_bytes", res->memory.kernel_tcp, err);
    if (r >= 0 && res->memory.has_swappiness) {
        if (res->memory.swappiness > 100)
            return error_new(err, EINVAL, MEM("swappiness") ": %" PRIu64 " is not in 0..100",
                             res->memory.swappiness);
        r = set_u64(h, MEM("swappiness"), "memory.swappiness", res->memory.swappiness, err);
    }
    if (r >= 0 && res->memory.has_disable_oom_killer)
        r = cg_fs_set(h, MEM("disableOOMKiller"), "memory.oom_control", res->memory.disable_oom_killer ? "1" : "0",
                      err);
    if (r >= 0 && res->memory.has_use_hierarchy)
        r = cg_fs_set(h, MEM("useHierarchy"), "memory.use_hierarchy", res->memory.use_hierarchy ? "1" : "0", err);
    /* checkBeforeUpdate: the v1 kernel already refuses a limit below the current usage. */
    return r;
}

/* ---- cpu ---- */

/* The kernel clamps cpu.shares silently: read it back, as runc does. */
static int cpu_shares(struct cg_hierarchy *h, uint64_t shares, struct error **err) {
    int r = set_u64(h, CPU("shares"), "cpu.shares", shares, err);
    uint64_t got;
    if (r < 0 || (r = cg_fs_read_u64(h, h->path, "cpu.shares", &got, err)) < 0)
        return r < 0 ? error_wrap(err, r, CPU("shares")) : r;
    if (got != shares)
        return error_new(err, EINVAL, CPU("shares") ": %" PRIu64 " is out of range: the %s allowed is %" PRIu64,
                         shares, shares > got ? "maximum" : "minimum", got);
    return 0;
}

/* A quota or period of 0 is "not set", as in runc (docker update sends 0 for what was not given).
 * period and burst before quota; either may be refused until the quota is written (the new
 * period would exceed the parent's quota): then retried after it. */
static int cpu_cfs(struct cg_hierarchy *h, const struct oci_resources *res, struct error **err) {
    bool quota = res->cpu.has_quota && res->cpu.quota != 0, period_later = false, burst_later = false;
    int r = 0;
    if (res->cpu.has_period && res->cpu.period != 0)
        r = set_or_defer(h, CPU("period"), "cpu.cfs_period_us", (int64_t)res->cpu.period, quota, &period_later, err);
    if (r >= 0 && res->cpu.has_burst)
        r = set_or_defer(h, CPU("burst"), "cpu.cfs_burst_us", (int64_t)res->cpu.burst, quota, &burst_later, err);
    if (r >= 0 && quota)
        r = set_i64(h, CPU("quota"), "cpu.cfs_quota_us", res->cpu.quota, err);
    if (r >= 0 && period_later)
        r = set_u64(h, CPU("period"), "cpu.cfs_period_us", res->cpu.period, err);
    if (r >= 0 && burst_later)
        r = set_u64(h, CPU("burst"), "cpu.cfs_burst_us", res->cpu.burst, err);
    return r;
}

/* 0 is "not set" for both, as in runc.  rt_runtime_us must stay <= rt_period_us: period first,
 * retried after the runtime when the kernel refuses it. */
static int cpu_rt(struct cg_hierarchy *h, const struct oci_resources *res, struct error **err) {
    bool runtime = res->cpu.has_realtime_runtime && res->cpu.realtime_runtime != 0, period_later = false;
    int r = 0;
    if (res->cpu.has_realtime_period && res->cpu.realtime_period != 0)
        r = set_or_defer(h, CPU("realtimePeriod"), "cpu.rt_period_us", (int64_t)res->cpu.realtime_period, runtime,
                         &period_later, err);
    if (r >= 0 && runtime)
        r = set_i64(h, CPU("realtimeRuntime"), "cpu.rt_runtime_us", res->cpu.realtime_runtime, err);
    if (r >= 0 && period_later)
        r = set_u64(h, CPU("realtimePeriod"), "cpu.rt_period_us", res->cpu.realtime_period, err);
    return r;
}

static int apply_cpu(struct cg_hierarchy *h, const struct oci_resources *res, struct error **err) {
    if (!res->cpu.present)
        return 0;
    /* 0 is "not set", as in runc and on v2: docker sends shares 0 when --cpu-shares is not given */
    int r = res->cpu.has_shares && res->cpu.shares != 0 ? cpu_shares(h, res->cpu.shares, err) : 0;
    if (r >= 0)
        r = cpu_cfs(h, res, err);
    if (r >= 0 && res->cpu.has_idle)
        r = set_i64(h, CPU("idle"), "cpu.idle", res->cpu.idle, err);
    return r < 0 ? r : cpu_rt(h, res, err);
}

/* ---- cpuset, pids ---- */

/* An empty string leaves the value alone (as in runc: an empty cpuset would also refuse every
 * task). */
static int apply_cpuset(struct cg_hierarchy *h, const struct oci_resources *res, struct error **err) {
    int r = 0;
    if (res->cpu.present && res->cpu.cpus && res->cpu.cpus[0])
        r = cg_fs_set(h, CPU("cpus"), v1_cpuset_file(h, h->path, "cpus"), res->cpu.cpus, err);
    if (r >= 0 && res->cpu.present && res->cpu.mems && res->cpu.mems[0])
        r = cg_fs_set(h, CPU("mems"), v1_cpuset_file(h, h->path, "mems"), res->cpu.mems, err);
    return r;
}

static int apply_pids(struct cg_hierarchy *h, const struct oci_resources *res, struct error **err) {
    if (!res->pids.present)
        return 0;
    if (res->pids.limit <= 0)
        return cg_fs_set(h, "linux.resources.pids.limit", "pids.max", "max", err);
    return set_i64(h, "linux.resources.pids.limit", "pids.max", res->pids.limit, err);
}

int v1_apply(struct cg_hierarchy *h, enum cg_controller c, const struct oci_resources *r, struct error **err) {
    int ret;
    switch (c) {
    case CG_MEMORY:
        ret = apply_memory(h, r, err);
        break;
    case CG_CPU:
        ret = apply_cpu(h, r, err);
        break;
    case CG_CPUSET:
        ret = apply_cpuset(h, r, err);
        break;
    case CG_PIDS:
        ret = apply_pids(h, r, err);
        break;
    case CG_BLKIO:
        ret = v1_apply_blkio(h, r, err);
        break;
    case CG_HUGETLB:
        ret = v1_apply_hugetlb(h, r, err);
        break;
    case CG_NET_CLS:
        ret = v1_apply_net_cls(h, r, err);
        break;
    case CG_NET_PRIO:
        ret = v1_apply_net_prio(h, r, err);
        break;
    case CG_RDMA:
        ret = v1_apply_rdma(h, r, err);
        break;
    default:
        return error_new(err, EINVAL, "cgroup v1: no resources to apply for the %s controller",
                         cg_controller_v1_name(c));
    }
    return ret < 0 ? ret : 0;
}
