/* pause and resume: the container's cgroup frozen and thawed (freezer.state on v1, cgroup.freeze
 * on v2).  "paused" is not recorded anywhere: status_of() reads it from the cgroup. */
#include <errno.h>

#include "../base/cleanup.h"
#include "../cgroups/cgroup.h"
#include "container.h"
#include "statedir.h"

static int set_frozen(const char *root, const char *id, bool frozen, struct error **err) {
    struct statedir *sd __attribute__((cleanup(statedir_freep))) = NULL;
    struct record rec;
    int r = statedir_open_created(root, id, &sd, &rec, err);
    if (r < 0)
        return r;
    enum status st = status_of(sd, &rec);
    record_clear(&rec);
    if (frozen && st != STATUS_RUNNING)
        return error_new(err, EINVAL, "container not running (it is %s)", status_name(st));
    if (!frozen && st != STATUS_PAUSED)
        return error_new(err, EINVAL, "container not paused (it is %s)", status_name(st));
    struct cgroup *cg = NULL;
    if ((r = statedir_load_cgroup(sd, &cg, err)) < 0)
        return r;
    r = cgroup_freeze(cg, frozen, err);
    cgroup_free(cg);
    return r;
}

int container_pause(const char *root, const char *id, struct error **err) {
    int r = set_frozen(root, id, true, err);
    return r < 0 ? error_wrap(err, r, "pause container %s", id) : 0;
}

int container_resume(const char *root, const char *id, struct error **err) {
    int r = set_frozen(root, id, false, err);
    return r < 0 ? error_wrap(err, r, "resume container %s", id) : 0;
}
