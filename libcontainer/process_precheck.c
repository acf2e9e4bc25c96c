/* Checks of process.* that the parent can make on the host before anything is forked, so that a
 * config the kernel would refuse in the child fails early with a message naming the field. */
#include <errno.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "../base/cleanup.h"
#include "../base/util.h"
#include "caps.h"
#include "process.h"
#include "process_internal.h"

static int read_int_file(const char *path, int64_t *out) {
    _cleanup_free_ char *s = NULL;
    int r = read_file(path, &s, NULL, NULL);
    if (r < 0)
        return r;
    s[strcspn(s, "\n")] = '\0';
    return parse_int64(s, out);
}

static int check_rlimit(const struct oci_rlimit *rl, size_t i, bool cap_resource, struct error **err) {
    const char *name = rl->name ? rl->name : "?";
    struct rlimit cur;
    if (rl->soft > rl->hard)
        return error_new(err, EINVAL, "process.rlimits[%zu] (%s): soft limit %llu is above the hard limit %llu", i,
                         name, (unsigned long long)rl->soft, (unsigned long long)rl->hard);
    if (getrlimit(rl->resource, &cur) < 0)
        return error_sys(err, errno, "process.rlimits[%zu] (%s): getrlimit", i, name);
    if (!cap_resource && rl->hard > (uint64_t)cur.rlim_max)
        return error_new(err, EPERM,
                         "process.rlimits[%zu] (%s): hard limit %llu is above the caller's hard limit %llu and hull "
                         "lacks CAP_SYS_RESOURCE",
                         i, name, (unsigned long long)rl->hard, (unsigned long long)cur.rlim_max);
    int64_t nr_open;
    if (rl->resource == RLIMIT_NOFILE && read_int_file("/proc/sys/fs/nr_open", &nr_open) == 0 &&
        rl->hard > (uint64_t)nr_open)
        return error_new(err, EPERM, "process.rlimits[%zu] (%s): hard limit %llu is above fs.nr_open (%lld)", i, name,
                         (unsigned long long)rl->hard, (long long)nr_open);
    return 0;
}

/* Only the range: without CAP_SYS_RESOURCE the kernel refuses a value below the lowest one a
 * privileged ancestor set (oom_score_adj_min), which is not readable; the caller's own value is no
 * bound (containerd's shim raises its own to containerd's + 1 and docker asks for 0, which the
 * kernel takes).  A refusal comes from the write, in the container's setup. */
static int check_oom(const struct oci_process *p, struct error **err) {
    if (p->has_oom_score_adj && (p->oom_score_adj < -1000 || p->oom_score_adj > 1000))
        return error_new(err, EINVAL, "process.oomScoreAdj: %d is outside [-1000, 1000]", p->oom_score_adj);
    return 0;
}

static int check_cpu_list(const char *field, const char *s, struct error **err) {
    if (!s || !*s)
        return 0;
    cpu_set_t *set;
    size_t size;
    if (process_parse_cpu_list(s, &set, &size) < 0)
        return error_new(err, EINVAL, "%s: invalid CPU list \"%s\" (expected e.g. \"0-3,7\")", field, s);
    CPU_FREE(set);
    return 0;
}

static int subset(const char *field, uint64_t set, const char *what, uint64_t of, struct error **err) {
    if (!(set & ~of))
        return 0;
    _cleanup_free_ char *names = caps_names(set & ~of);
    return error_new(err, EINVAL, "%s: %s not in %s", field, names, what);
}

int process_check_caps(const struct oci_capabilities *c, struct error **err) {
    int r;
    if ((r = subset("process.capabilities.effective", c->effective, "permitted", c->permitted, err)) < 0 ||
        (r = subset("process.capabilities.inheritable", c->inheritable, "bounding", c->bounding, err)) < 0)
        return r;
    /* An ambient capability outside permitted & inheritable cannot be raised: runc skips it, and
     * its default spec asks for such ones; process_set_identity skips it with a warning. */
    return 0;
}

int process_precheck(const struct oci_process *p, struct error **err) {
    if (!p)
        return 0;
    bool cap_resource = caps_have_effective(CAP_SYS_RESOURCE);
    int r;
    for (size_t i = 0; i < p->n_rlimits; i++)
        if ((r = check_rlimit(&p->rlimits[i], i, cap_resource, err)) < 0)
            return r;
    if ((r = check_oom(p, err)) < 0)
        return r;
    if ((r = process_check_lsm(p, err)) < 0)
        return r;
    if (p->capabilities && (r = process_check_caps(p->capabilities, err)) < 0)
        return r;
    if ((r = check_cpu_list("process.execCPUAffinity.initial", p->exec_cpu_affinity_initial, err)) < 0 ||
        (r = check_cpu_list("process.execCPUAffinity.final", p->exec_cpu_affinity_final, err)) < 0)
        return r;
    return 0;
}
