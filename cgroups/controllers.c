/* Controller names on each version, and which hierarchy of a container drives each one. */
#include <string.h>

#include "internal.h"

static const char *const v1_names[CG__COUNT] = {
    [CG_CPU] = "cpu",         [CG_CPUACCT] = "cpuacct", [CG_CPUSET] = "cpuset",   [CG_MEMORY] = "memory",
    [CG_PIDS] = "pids",       [CG_BLKIO] = "blkio",     [CG_HUGETLB] = "hugetlb", [CG_NET_CLS] = "net_cls",
    [CG_NET_PRIO] = "net_prio", [CG_RDMA] = "rdma",     [CG_DEVICES] = "devices", [CG_FREEZER] = "freezer",
};

static const char *const v2_names[CG__COUNT] = {
    [CG_CPU] = "cpu",   [CG_CPUSET] = "cpuset",   [CG_MEMORY] = "memory", [CG_PIDS] = "pids",
    [CG_BLKIO] = "io",  [CG_HUGETLB] = "hugetlb", [CG_RDMA] = "rdma",
};

const char *cg_controller_v1_name(enum cg_controller c) {
    return v1_names[c];
}

const char *cg_controller_v2_name(enum cg_controller c) {
    return v2_names[c];
}

struct cg_hierarchy *cg_owner(const struct cgroup *cg, enum cg_controller c) {
    struct cg_hierarchy *unified = NULL;
    for (size_t i = 0; i < cg->n; i++) {
        struct cg_hierarchy *h = &cg->h[i];
        if (h->ops->version == 1 && cg_has_controller(h, v1_names[c]))
            return h;
        if (h->ops->version == 2)
            unified = h;
    }
    if (unified && unified->ops->available && unified->ops->available(unified, c))
        return unified;
    return NULL;
}
