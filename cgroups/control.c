/* Operations on a live container's cgroup: device rules, freeze/thaw, kill, statistics. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "../base/cleanup.h"
#include "../base/log.h"
#include "../base/util.h"
#include "cgroup.h"
#include "internal.h"

int cgroup_set_devices(struct cgroup *cg, const struct cgroup_device_rule *rules, size_t n, struct error **err) {
    if (cg->layout == CGROUP_LAYOUT_NONE)
        return 0; /* no cgroup to hold the rules: the container's /dev has only the devices hull made */
    struct cg_hierarchy *h = cg_owner(cg, CG_DEVICES);
    if (!h)
        return error_new(err, ENOTSUP, "linux.resources.devices: no devices controller on this host");
    if (!h->ops->set_devices)
        return error_new(err, ENOTSUP, "linux.resources.devices: not implemented for cgroup v%d", h->ops->version);
    int r = h->ops->set_devices(h, rules, n, err);
    return r < 0 ? error_wrap(err, r, "linux.resources.devices") : r;
}

int cgroup_freeze(struct cgroup *cg, bool frozen, struct error **err) {
    int r = cg_no_cgroup(cg, frozen ? "freeze" : "thaw", err);
    if (r < 0)
        return r;
    struct cg_hierarchy *h = cg_owner(cg, CG_FREEZER);
    if (!h)
        return error_new(err, ENOTSUP, "no freezer on this host (no v1 freezer hierarchy, no cgroup v2)");
    if (!h->ops->freeze)
        return error_new(err, ENOTSUP, "freezing is not implemented for cgroup v%d", h->ops->version);
    return h->ops->freeze(h, frozen, err);
}

int cgroup_frozen(const struct cgroup *cg, bool *frozen, struct error **err) {
    struct cg_hierarchy *h = cg_owner(cg, CG_FREEZER);
    *frozen = false;
    return h && h->ops->frozen ? h->ops->frozen(h, frozen, err) : 0;
}

static bool contains(const pid_t *v, size_t n, pid_t p) {
    for (size_t i = 0; i < n; i++)
        if (v[i] == p)
            return true;
    return false;
}

/* Signal every pid of the cgroup, again for the pids that appear meanwhile (a fork racing the
 * signal), up to `rounds` times.  Without a freezer in the way: a task stuck at its memory limit
 * with the OOM killer off never finishes freezing, but it does die. */
static int signal_rounds(const struct cgroup *cg, int sig, int rounds, struct error **err) {
    _cleanup_free_ pid_t *done = NULL;
    size_t n_done = 0;
    for (int round = 0; round < rounds; round++) {
        _cleanup_free_ pid_t *pids = NULL;
        size_t n = 0, fresh = 0;
        int r = cgroup_pids(cg, &pids, &n, err);
        if (r < 0)
            return r;
        for (size_t i = 0; i < n; i++) {
            if (contains(done, n_done, pids[i]))
                continue;
            if (kill(pids[i], sig) < 0 && errno != ESRCH)
                return error_sys(err, errno, "kill(%d, %d)", (int)pids[i], sig);
            done = xrealloc(done, (n_done + 1) * sizeof(*done));
            done[n_done++] = pids[i];
            fresh++;
        }
        if (!fresh)
            return 0;
    }
    return 0;
}

static void thaw(struct cg_hierarchy *fr) {
    struct error *e = NULL;
    if (fr->ops->freeze(fr, false, &e) < 0) {
        log_warn("thaw after kill: %s", e->msg);
        error_free(e);
    }
}

int cgroup_kill(struct cgroup *cg, int sig, struct error **err) {
    int r0 = cg_no_cgroup(cg, "signal every process", err);
    if (r0 < 0)
        return r0;
    struct cg_hierarchy *fr = cg_owner(cg, CG_FREEZER);
    if (sig == SIGKILL && fr && fr->ops->kill_all) {
        int r = fr->ops->kill_all(fr, err);
        if (r != -ENOTSUP)
            return r;
    }
    bool was_frozen = false;
    if (fr && (!fr->ops->frozen || !fr->ops->freeze || fr->ops->frozen(fr, &was_frozen, NULL) < 0))
        fr = NULL;
    if (sig == SIGKILL) {
        /* A killed task cannot fork any more: rounds catch the children forked before it died.
         * It only dies once it runs again, so a paused container is thawed. */
        int r = signal_rounds(cg, sig, 16, err);
        if (fr && was_frozen)
            thaw(fr);
        return r;
    }
    /* Frozen, nothing forks between reading the pids and signalling them. */
    if (fr && !was_frozen && fr->ops->freeze(fr, true, NULL) < 0)
        fr = NULL;
    int r = signal_rounds(cg, sig, 1, err);
    if (fr && !was_frozen)
        thaw(fr);
    return r;
}

int cgroup_stats(const struct cgroup *cg, struct cgroup_stats *st, struct error **err) {
    *st = (struct cgroup_stats){0};
    int r0 = cg_no_cgroup(cg, "statistics", err);
    if (r0 < 0)
        return r0;
    static const enum cg_controller which[] = {CG_CPU, CG_CPUACCT, CG_MEMORY, CG_PIDS, CG_BLKIO, CG_HUGETLB};
    for (size_t i = 0; i < sizeof(which) / sizeof(which[0]); i++) {
        struct cg_hierarchy *h = cg_owner(cg, which[i]);
        if (!h || !h->ops->stats)
            continue;
        int r = h->ops->stats(h, which[i], st, err);
        if (r < 0) {
            cgroup_stats_clear(st);
            return r;
        }
    }
    return 0;
}

void cgroup_stats_clear(struct cgroup_stats *st) {
    free(st->cpu.percpu);
    for (size_t i = 0; i < st->memory.n_raw; i++) {
        free(st->memory.raw[i].key);
        free(st->memory.raw[i].value);
    }
    free(st->memory.raw);
    free(st->blkio.service_bytes);
    free(st->blkio.serviced);
    free(st->hugetlb);
    *st = (struct cgroup_stats){0};
}

int cgroup_oom_fd(const struct cgroup *cg, int *fd, struct error **err) {
    int r = cg_no_cgroup(cg, "OOM events", err);
    if (r < 0)
        return r;
    struct cg_hierarchy *h = cg_owner(cg, CG_MEMORY);
    if (!h || !h->ops->oom_fd)
        return -ENOENT;
    return h->ops->oom_fd(h, fd, err);
}
