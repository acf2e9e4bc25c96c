/* cgroup v1 freezer: freezer.state of the container's freezer cgroup. */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "../base/cleanup.h"
#include "../base/util.h"
#include "v1_internal.h"

#define FREEZE_TIMEOUT_MS 5000
#define FREEZE_THAW_EVERY 50 /* tries between a thaw-and-retry, as runc does */

static long now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* freezer.state without the trailing newline ("THAWED", "FREEZING", "FROZEN"). */
static int read_state(const struct cg_hierarchy *h, char **state, struct error **err) {
    int r = cg_fs_read(h, h->path, "freezer.state", state, err);
    if (r < 0)
        return r;
    (*state)[strcspn(*state, " \t\n")] = '\0';
    return 0;
}

static int thaw(struct cg_hierarchy *h, struct error **err) {
    int r = cg_fs_write(h, h->path, "freezer.state", "THAWED", err);
    if (r < 0)
        return r;
    _cleanup_free_ char *state = NULL;
    if ((r = read_state(h, &state, err)) < 0)
        return r;
    if (strcmp(state, "THAWED") != 0)
        return error_new(err, EIO, "thaw %s%s: freezer.state is %s after writing THAWED", h->mount_point,
                         h->path, state);
    return 0;
}

/* Write FROZEN and read the state back until it says FROZEN.  A cgroup whose tasks keep forking
 * (or gain new tasks) can linger in FREEZING: the write is repeated, with an occasional thaw and
 * short pause, as runc does; after FREEZE_TIMEOUT_MS it is thawed back and the freeze fails. */
static int freeze(struct cg_hierarchy *h, struct error **err) {
    long deadline = now_ms() + FREEZE_TIMEOUT_MS;
    for (int i = 0;; i++) {
        if (i % FREEZE_THAW_EVERY == FREEZE_THAW_EVERY - 1) {
            cg_fs_write(h, h->path, "freezer.state", "THAWED", NULL);
            cg_sleep_ms(10);
        }
        int r = cg_fs_write(h, h->path, "freezer.state", "FROZEN", err);
        _cleanup_free_ char *state = NULL;
        if (r < 0 || (r = read_state(h, &state, err)) < 0)
            return r;
        if (strcmp(state, "FROZEN") == 0)
            return 0;
        if (strcmp(state, "FREEZING") != 0) {
            thaw(h, NULL);
            return error_new(err, EIO, "freeze %s%s: unexpected freezer.state %s", h->mount_point, h->path, state);
        }
        if (now_ms() > deadline) {
            thaw(h, NULL);
            return error_new(err, EBUSY, "freeze %s%s: still FREEZING after %d ms (thawed back)", h->mount_point,
                             h->path, FREEZE_TIMEOUT_MS);
        }
        if (i >= 10)
            cg_sleep_ms(1);
    }
}

int v1_freeze(struct cg_hierarchy *h, bool frozen, struct error **err) {
    return frozen ? freeze(h, err) : thaw(h, err);
}

int v1_frozen(const struct cg_hierarchy *h, bool *frozen, struct error **err) {
    _cleanup_free_ char *state = NULL;
    int r = read_state(h, &state, err);
    if (r < 0)
        return r;
    *frozen = strcmp(state, "FROZEN") == 0;
    return 0;
}
