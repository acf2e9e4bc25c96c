/* The container process's attributes that root applies inside the container just before the
 * switch of user: rlimits, oomScoreAdj, personality, scheduler, ioPriority, execCPUAffinity,
 * umask, cwd. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/ioprio.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../base/procfs.h"
#include "../base/util.h"
#include "process.h"
#include "process_internal.h"

#define MAX_CPU 65535

/* Set when chdir(cwd) hit EACCES as root: process_set_identity retries it as the container user
 * (runc does the same, for a cwd only that user may enter).  Only the container's init, a single
 * thread, uses it. */
static bool cwd_deferred;

static int parse_cpu_number(const char *s, char **end, long *out) {
    long v = 0;
    const char *q = s;
    for (; *q >= '0' && *q <= '9'; q++) {
        v = v * 10 + (*q - '0');
        if (v > MAX_CPU)
            return -EINVAL;
    }
    if (q == s)
        return -EINVAL;
    *end = (char *)q;
    *out = v;
    return 0;
}

static int parse_cpu_item(const char *s, char **end, long *lo, long *hi) {
    if (parse_cpu_number(s, end, lo) < 0)
        return -EINVAL;
    *hi = *lo;
    if (**end == '-' && (parse_cpu_number(*end + 1, end, hi) < 0 || *hi < *lo))
        return -EINVAL;
    return 0;
}

/* Sets each CPU of the list in set (when not NULL); returns the highest CPU or -EINVAL. */
static long walk_cpu_list(const char *s, cpu_set_t *set, size_t size) {
    long max = -1;
    for (;;) {
        char *end;
        long lo, hi;
        if (parse_cpu_item(s, &end, &lo, &hi) < 0)
            return -EINVAL;
        for (long c = lo; set && c <= hi; c++)
            CPU_SET_S((size_t)c, size, set);
        if (hi > max)
            max = hi;
        if (*end == '\0')
            return max;
        if (*end != ',')
            return -EINVAL;
        s = end + 1;
    }
}

int process_parse_cpu_list(const char *s, cpu_set_t **set, size_t *size) {
    if (!s)
        return -EINVAL;
    long max = walk_cpu_list(s, NULL, 0);
    if (max < 0)
        return -EINVAL;
    cpu_set_t *cs = CPU_ALLOC((size_t)max + 1);
    if (!cs)
        abort();
    *size = CPU_ALLOC_SIZE((size_t)max + 1);
    CPU_ZERO_S(*size, cs);
    walk_cpu_list(s, cs, *size);
    *set = cs;
    return 0;
}

static int apply_affinity(const char *field, const char *list, struct error **err) {
    if (!list || !*list)
        return 0;
    cpu_set_t *set;
    size_t size;
    if (process_parse_cpu_list(list, &set, &size) < 0)
        return error_new(err, EINVAL, "%s: invalid CPU list \"%s\"", field, list);
    int r = sched_setaffinity(0, size, set) < 0 ? -errno : 0;
    CPU_FREE(set);
    if (r < 0)
        return error_sys(err, -r, "%s: sched_setaffinity \"%s\"", field, list);
    return 0;
}

static int apply_rlimits(const struct oci_process *p, struct error **err) {
    for (size_t i = 0; i < p->n_rlimits; i++) {
        const struct oci_rlimit *rl = &p->rlimits[i];
        struct rlimit lim = {.rlim_cur = (rlim_t)rl->soft, .rlim_max = (rlim_t)rl->hard};
        if (setrlimit(rl->resource, &lim) < 0)
            return error_sys(err, errno, "process.rlimits[%zu] (%s): setrlimit soft %llu hard %llu", i,
                             rl->name ? rl->name : "?", (unsigned long long)rl->soft, (unsigned long long)rl->hard);
    }
    return 0;
}

static int apply_oom_score_adj(const struct oci_process *p, struct error **err) {
    if (!p->has_oom_score_adj)
        return 0;
    char buf[32];
    snprintf(buf, sizeof(buf), "%d", p->oom_score_adj);
    int r = procfs_write("self/oom_score_adj", buf, err);
    if (r == -EACCES)
        return error_wrap(err, r,
                          "process.oomScoreAdj %d: below the lowest value a privileged ancestor set, and hull "
                          "lacks CAP_SYS_RESOURCE",
                          p->oom_score_adj);
    return r < 0 ? error_wrap(err, r, "process.oomScoreAdj %d", p->oom_score_adj) : 0;
}

static int apply_personality(const struct oci_linux *linux, struct error **err) {
    const struct oci_personality *pers = linux ? linux->personality : NULL;
    if (!pers)
        return 0;
    if (pers->flags && pers->flags[0])
        return error_new(err, EINVAL, "linux.personality.flags: \"%s\": no personality flags are supported",
                         pers->flags[0]);
    if (personality(pers->persona) < 0)
        return error_sys(err, errno, "linux.personality: personality(%s)", pers->domain ? pers->domain : "?");
    return 0;
}

/* struct sched_attr of <linux/sched/types.h> (SCHED_ATTR_SIZE_VER1); glibc 2.36 has no wrapper. */
struct hull_sched_attr {
    uint32_t size, sched_policy;
    uint64_t sched_flags;
    int32_t sched_nice;
    uint32_t sched_priority;
    uint64_t sched_runtime, sched_deadline, sched_period;
    uint32_t sched_util_min, sched_util_max;
};

static int apply_scheduler(const struct oci_scheduler *s, struct error **err) {
    if (!s)
        return 0;
    struct hull_sched_attr a = {
        .size = sizeof(a),
        .sched_policy = (uint32_t)s->policy,
        .sched_flags = s->flags,
        .sched_nice = s->nice,
        .sched_priority = (uint32_t)s->priority,
        .sched_runtime = s->runtime,
        .sched_deadline = s->deadline,
        .sched_period = s->period,
    };
    if (syscall(SYS_sched_setattr, 0, &a, 0) < 0)
        return error_sys(err, errno, "process.scheduler: sched_setattr (policy %d, nice %d, priority %d, flags %#llx)",
                         s->policy, s->nice, s->priority, (unsigned long long)s->flags);
    return 0;
}

static int apply_ioprio(const struct oci_process *p, struct error **err) {
    if (p->ioprio_class == OCI_IOPRIO_NONE)
        return 0;
    int prio = IOPRIO_PRIO_VALUE(p->ioprio_class, p->ioprio_priority);
    if (syscall(SYS_ioprio_set, IOPRIO_WHO_PROCESS, 0, prio) < 0)
        return error_sys(err, errno, "process.ioPriority: ioprio_set (class %d, priority %d)", (int)p->ioprio_class,
                         p->ioprio_priority);
    return 0;
}

/* The working directory must be inside the container's root.  A path through a file descriptor
 * inherited from the host ("/proc/self/fd/7" while fd 7 is a host directory: CVE-2024-21626)
 * would leave the process in a host directory, which getcwd() reports as unreachable. */
static int check_cwd_inside(const char *cwd, struct error **err) {
    char buf[PATH_MAX];
    if (!getcwd(buf, sizeof(buf)) || buf[0] != '/')
        return error_new(err, EPERM, "process.cwd: \"%s\" is outside the container's root file system", cwd);
    return 0;
}

static int apply_cwd(const struct oci_process *p, struct error **err) {
    cwd_deferred = false;
    if (!p->cwd || !*p->cwd)
        return 0;
    if (chdir(p->cwd) == 0)
        return check_cwd_inside(p->cwd, err);
    if (errno == EACCES) {
        cwd_deferred = true; /* maybe the container user may: retried after the switch of user */
        return 0;
    }
    return error_sys(err, errno, "process.cwd: chdir %s", p->cwd);
}

int process_finish_cwd(const struct oci_process *p, struct error **err) {
    if (!cwd_deferred)
        return 0;
    cwd_deferred = false;
    if (chdir(p->cwd) < 0)
        return error_sys(err, errno, "process.cwd: chdir %s", p->cwd);
    return check_cwd_inside(p->cwd, err);
}

int process_apply_attributes(const struct oci_process *p, const struct oci_linux *linux, struct error **err) {
    int r;
    if ((r = apply_rlimits(p, err)) < 0 || (r = apply_oom_score_adj(p, err)) < 0 ||
        (r = apply_personality(linux, err)) < 0 || (r = apply_scheduler(p->scheduler, err)) < 0 ||
        (r = apply_ioprio(p, err)) < 0 ||
        (r = apply_affinity("process.execCPUAffinity.initial", p->exec_cpu_affinity_initial, err)) < 0)
        return r;
    if ((r = process_apply_lsm(p, err)) < 0)
        return r;
    umask(p->has_umask ? (mode_t)p->umask : 022); /* runc's default when process.user.umask is absent */
    return apply_cwd(p, err);
}

int process_apply_final_affinity(const struct oci_process *p, struct error **err) {
    return apply_affinity("process.execCPUAffinity.final", p->exec_cpu_affinity_final, err);
}
