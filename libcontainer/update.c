/* update: new resource limits for a live container, kept in its saved config.json. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../base/cleanup.h"
#include "../base/log.h"
#include "../base/util.h"
#include "../cgroups/cgroup.h"
#include "../oci/oci.h"
#include "container.h"
#include "lifecycle.h"
#include "statedir.h"

/* After a failed apply: the saved (previous) resources again, as runc does; failures are warnings. */
static void rollback(struct cgroup *cg, const struct statedir *sd) {
    struct oci_spec *spec = NULL;
    _cleanup_error_ struct error *e = NULL;
    if (load_saved_spec(sd, &spec, &e) >= 0 && spec->linux && spec->linux->resources)
        cgroup_apply(cg, spec->linux->resources, &e);
    if (e)
        log_warn("container %s: restore the previous resources: %s", sd->id, e->msg);
    oci_spec_free(spec);
}

static int save_merged(const struct statedir *sd, const struct oci_resources *r, struct error **err) {
    _cleanup_free_ char *json = NULL, *merged = NULL;
    size_t len = 0;
    int ret = read_file_at(sd->fd, "config.json", &json, &len, err);
    if (ret < 0 || (ret = oci_config_merge_resources(json, len, r, &merged, err)) < 0)
        return error_wrap(err, ret, "saved config.json");
    _cleanup_free_ char *path = xasprintf("%s/config.json", sd->path);
    return write_file_atomic(path, merged, strlen(merged), 0600, err);
}

static int update_locked(struct statedir *sd, const struct record *rec, const struct oci_resources *r,
                         struct error **err) {
    enum status st = status_of(sd, rec);
    if (st == STATUS_STOPPED)
        return error_new(err, EINVAL, "it is stopped; only a created, running or paused container can be updated");
    if (r->n_devices)
        log_warn("container %s: update: devices ignored (device rules are not updated, as with runc)", sd->id);
    struct cgroup *cg = NULL;
    int ret = statedir_load_cgroup(sd, &cg, err);
    if (ret < 0)
        return ret;
    if ((ret = cgroup_apply(cg, r, err)) < 0)
        rollback(cg, sd);
    else
        ret = save_merged(sd, r, err);
    cgroup_free(cg);
    return ret;
}

int container_update(const char *root, const char *id, const struct oci_resources *r, struct error **err) {
    struct statedir *sd __attribute__((cleanup(statedir_freep))) = NULL;
    struct record rec;
    int ret = statedir_open_created(root, id, &sd, &rec, err);
    if (ret < 0)
        return error_wrap(err, ret, "update container %s", id);
    ret = update_locked(sd, &rec, r, err);
    record_clear(&rec);
    return ret < 0 ? error_wrap(err, ret, "update container %s", id) : 0;
}
