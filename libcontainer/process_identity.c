/* The switch to the container user: bounding set, groups, gid, uid, capabilities, ambient set,
 * no_new_privs, in the one order the kernel allows:
 *
 *   drop the bounding set (needs CAP_SETPCAP, so while still root) -> PR_SET_KEEPCAPS 1 (so the
 *   permitted set survives setuid to a non-root uid) -> setgroups -> setresgid -> setresuid ->
 *   capset (effective, permitted, inheritable) -> ambient (needs the cap in permitted and
 *   inheritable) -> PR_SET_KEEPCAPS 0 -> PR_SET_NO_NEW_PRIVS.
 *
 * Capabilities the config asks for but that cannot be granted here (unknown to the kernel, or not
 * held by hull itself) are left out with a warning, as the runtime spec asks; sets that contradict
 * each other (effective outside permitted...) are errors. */
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "../base/cleanup.h"
#include "../base/log.h"
#include "../base/util.h"
#include "caps.h"
#include "process.h"
#include "process_internal.h"

_Static_assert(sizeof(gid_t) == sizeof(uint32_t), "additional_gids are passed to setgroups as is");

static void warn_skipped(const char *set, uint64_t wanted, uint64_t granted, const char *why) {
    uint64_t skipped = wanted & ~granted;
    if (!skipped)
        return;
    _cleanup_free_ char *names = caps_names(skipped);
    log_warn("process.capabilities.%s: %s cannot be granted (%s); skipped", set, names, why);
}

/* What can actually be set, from what is asked and what the process holds now. */
static int plan_caps(const struct oci_capabilities *c, struct caps_state *plan, struct error **err) {
    int r = process_check_caps(c, err);
    if (r < 0)
        return r;
    struct caps_state now;
    if ((r = caps_read(&now, err)) < 0)
        return error_wrap(err, r, "process.capabilities");
    plan->bounding = c->bounding & now.bounding;
    plan->permitted = c->permitted & now.permitted;
    plan->effective = c->effective & plan->permitted;
    /* capset: inheritable within (old inheritable | bounding) and (old inheritable | permitted) */
    plan->inheritable = c->inheritable & (now.inheritable | (plan->bounding & now.permitted));
    plan->ambient = c->ambient & plan->permitted & plan->inheritable;
    const char *not_held = "unknown to the kernel or not held by hull";
    warn_skipped("bounding", c->bounding, plan->bounding, not_held);
    warn_skipped("permitted", c->permitted, plan->permitted, not_held);
    warn_skipped("effective", c->effective, plan->effective, not_held);
    warn_skipped("inheritable", c->inheritable, plan->inheritable, not_held);
    warn_skipped("ambient", c->ambient, plan->ambient, "an ambient capability must be both permitted and inheritable");
    return 0;
}

static bool setgroups_denied(void) {
    _cleanup_free_ char *s = NULL;
    return read_file("/proc/self/setgroups", &s, NULL, NULL) == 0 && str_has_prefix(s, "deny");
}

static int set_groups(const struct oci_process *p, struct error **err) {
    if (setgroups(p->n_additional_gids, (const gid_t *)p->additional_gids) == 0)
        return 0;
    int e = errno;
    if (e == EPERM && setgroups_denied()) {
        if (p->n_additional_gids == 0)
            return 0; /* nothing asked, and the user namespace forbids any change */
        return error_new(err, EPERM,
                         "process.user.additionalGids: setgroups is denied in this user namespace "
                         "(/proc/self/setgroups is \"deny\")");
    }
    if (e == EINVAL)
        return error_sys(err, e, "process.user.additionalGids: setgroups (is every gid mapped in linux.gidMappings?)");
    return error_sys(err, e, "process.user.additionalGids: setgroups");
}

static int set_ids(const struct oci_process *p, struct error **err) {
    if (setresgid(p->gid, p->gid, p->gid) < 0)
        return error_sys(err, errno, "process.user.gid: setresgid(%u)%s", p->gid,
                         errno == EINVAL ? " (is it mapped in linux.gidMappings?)" : "");
    if (setresuid(p->uid, p->uid, p->uid) < 0)
        return error_sys(err, errno, "process.user.uid: setresuid(%u)%s", p->uid,
                         errno == EINVAL ? " (is it mapped in linux.uidMappings?)" : "");
    return 0;
}

static int set_keepcaps(bool on, struct error **err) {
    if (prctl(PR_SET_KEEPCAPS, on ? 1 : 0, 0, 0, 0) < 0)
        return error_sys(err, errno, "prctl(PR_SET_KEEPCAPS, %d)", on ? 1 : 0);
    return 0;
}

static int apply_caps(const struct caps_state *plan, struct error **err) {
    int r = caps_set(plan->effective, plan->permitted, plan->inheritable, err);
    if (r < 0)
        return error_wrap(err, r, "process.capabilities");
    if ((r = caps_set_ambient(plan->ambient, err)) < 0)
        return error_wrap(err, r, "process.capabilities.ambient");
    return 0;
}

int process_set_identity(const struct oci_process *p, struct error **err) {
    const struct oci_capabilities *c = p->capabilities;
    struct caps_state plan = {0};
    int r;
    if (c) {
        if ((r = plan_caps(c, &plan, err)) < 0)
            return r;
        if ((r = caps_drop_bounding(plan.bounding, err)) < 0)
            return error_wrap(err, r, "process.capabilities.bounding");
        if ((r = set_keepcaps(true, err)) < 0)
            return r;
    }
    if ((r = set_groups(p, err)) < 0 || (r = set_ids(p, err)) < 0 || (r = process_finish_cwd(p, err)) < 0)
        return r;
    if (c && ((r = apply_caps(&plan, err)) < 0 || (r = set_keepcaps(false, err)) < 0))
        return r;
    if (p->no_new_privileges && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
        return error_sys(err, errno, "process.noNewPrivileges: prctl(PR_SET_NO_NEW_PRIVS)");
    return 0;
}

int process_become_root_in_userns(struct error **err) {
    if (setresgid(0, 0, 0) < 0)
        return error_sys(err, errno, "setresgid(0) in the user namespace (is container gid 0 mapped in linux.gidMappings?)");
    if (setresuid(0, 0, 0) < 0)
        return error_sys(err, errno, "setresuid(0) in the user namespace (is container uid 0 mapped in linux.uidMappings?)");
    /* changing ids made the process non-dumpable, which makes its /proc files the host root's
     * (timens_offsets, oom_score_adj...): make it dumpable again, as runc does */
    if (prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) < 0)
        return error_sys(err, errno, "prctl(PR_SET_DUMPABLE)");
    /* drop the host's supplementary groups where setgroups is allowed */
    if (setgroups(0, NULL) < 0 && errno != EPERM)
        return error_sys(err, errno, "setgroups([]) in the user namespace");
    return 0;
}

int process_make_undumpable(struct error **err) {
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
        return error_sys(err, errno, "prctl(PR_SET_DUMPABLE, 0)");
    return 0;
}
