/* The container's terminal: a pty made inside the container, its master sent to the runtime and
 * on to --console-socket (as runc does), or relayed by `hull run` in the foreground. */
#ifndef HULL_LIBCONTAINER_TERMINAL_H
#define HULL_LIBCONTAINER_TERMINAL_H

#include <stdbool.h>
#include <sys/types.h>
#include <termios.h>

#include "../base/error.h"
#include "../oci/spec.h"

/* Child, after pivot with /dev/pts mounted: open /dev/ptmx, unlock, set the size (0 = leave),
 * *slave_path is "/dev/pts/N". */
int terminal_open_pty(unsigned rows, unsigned cols, int *master, int *slave, char **slave_path, struct error **err);
/* The same, sized by process.consoleSize when it has one (the container's init and exec). */
int terminal_open_pty_for(const struct oci_process *p, int *master, int *slave, char **slave_path, struct error **err);

/* Child: make the slave the controlling terminal and stdin/stdout/stderr (setsid, TIOCSCTTY). */
int terminal_become_controlling(int slave, struct error **err);

/* Connect to --console-socket and send the pty master there (runc's protocol: one SCM_RIGHTS
 * message whose payload is the pty name; base/fdpass.h). */
int terminal_send_to_console_socket(const char *socket_path, int master, struct error **err);

/* `hull run` in the foreground relays the pty itself (its poll loop lives in run.c):
 * put a tty in raw mode (*changed tells whether it was one), restore it, copy what one read gives
 * (returns bytes copied, 0 at EOF, -errno on error), and copy the window size of from_tty onto pty. */
int terminal_make_raw(int fd, struct termios *saved, bool *changed);
void terminal_restore(int fd, const struct termios *saved);
ssize_t terminal_copy_once(int from, int to);
int terminal_copy_size(int from_tty, int pty);

#endif
