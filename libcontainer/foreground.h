/* A process run in the foreground (`run`, `exec`): every signal hull gets is forwarded to it,
 * its pty (when it has one) is relayed to hull's stdio, and its exit status becomes hull's. */
#ifndef HULL_LIBCONTAINER_FOREGROUND_H
#define HULL_LIBCONTAINER_FOREGROUND_H

#include <signal.h>
#include <sys/types.h>

#include "../base/error.h"

struct foreground {
    sigset_t saved_mask;
    int sigfd;
};

/* Block every signal (they queue on a signalfd until foreground_wait forwards them).  Call it
 * before the process exists, so that no signal falls between its start and the wait.  Children
 * forked after this must unblock signals themselves. */
int foreground_begin(struct foreground *f, struct error **err);

/* Forward signals to pidfd (SIGWINCH copies hull's window size onto pty_master instead), relay
 * pty_master (-1: none) with stdin/stdout in raw mode, wait for pid (hull's child), and set
 * *exit_status (128+N for signal N). */
int foreground_wait(struct foreground *f, pid_t pid, int pidfd, int pty_master, int *exit_status, struct error **err);

/* Restore the signal mask and close the signalfd. */
void foreground_end(struct foreground *f);

#endif
