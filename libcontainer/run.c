/* run: create + start, then (in the foreground) forward signals, relay the terminal, wait for the
 * container process, delete the container (unless --keep), and hand back its exit status. */
#include <errno.h>
#include <signal.h>

#include "../base/cleanup.h"
#include "../base/log.h"
#include "../base/util.h"
#include "container.h"
#include "create.h"
#include "foreground.h"
#include "lifecycle.h"
#include "terminal.h"

static int run_foreground(struct launch *l, const struct create_opts *o, struct foreground *fg, int *exit_status,
                          struct error **err) {
    /* let kill/state/delete from elsewhere in while we wait */
    statedir_free(l->sd);
    l->sd = NULL;
    int r = foreground_wait(fg, l->pid, l->pidfd, l->pty_master, exit_status, err);
    if (r < 0)
        return error_wrap(err, r, "container %s", o->id);
    l->pid = 0;
    if (o->keep)
        return 0;
    return container_delete(o->root, o->id, true, err);
}

int container_run(const struct create_opts *o, int *exit_status, struct error **err) {
    struct launch l;
    launch_init(&l, o, !o->detach);
    int r = launch_create(&l, err);
    if (r >= 0) {
        struct record rec;
        r = record_read(l.sd, &rec, err);
        if (r >= 0) {
            r = start_locked(l.sd, &rec, l.spec, err);
            record_clear(&rec);
        }
        if (r < 0)
            error_wrap(err, r, "start container %s", o->id);
    }
    *exit_status = 0;
    if (r >= 0 && !o->detach) {
        /* From here on every signal hull gets is the container's (SIGKILL aside). */
        struct foreground fg;
        r = foreground_begin(&fg, err);
        if (r >= 0) {
            r = run_foreground(&l, o, &fg, exit_status, err);
            foreground_end(&fg);
        }
    }
    launch_free(&l);
    return r;
}
