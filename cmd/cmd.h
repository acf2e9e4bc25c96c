/* cmd/: the `hull` command line.  Parses arguments, calls libcontainer, turns an error into a
 * message (text or JSON log) and an exit code.  No syscalls here. */
#ifndef HULL_CMD_CMD_H
#define HULL_CMD_CMD_H

#include <getopt.h>
#include <stdbool.h>

#include "../base/error.h"

struct globals {
    const char *root;
    const char *log;
    const char *log_format;
    bool debug;
    bool systemd_cgroup;
    const char *cgroup_manager; /* --cgroup-manager, NULL when not given */
};

struct command {
    const char *name;
    const char *summary;
    int (*run)(const struct globals *g, int argc, char **argv);
    const char *usage; /* the full help text */
};

extern const struct command cmd_create, cmd_start, cmd_run, cmd_state, cmd_kill, cmd_delete, cmd_list, cmd_spec,
    cmd_features, cmd_update, cmd_pause, cmd_resume, cmd_ps, cmd_events, cmd_exec;

/* Report err (to the log and stderr) and return the exit status 1. */
int cmd_fail(struct error *err);
/* Report a usage problem ("<command>: <msg>; see hull <command> --help") and return 1. */
int cmd_usage_error(const char *command, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Print the command's help if argv asks for it (-h/--help) : returns true when printed. */
bool cmd_wants_help(const struct command *c, int argc, char **argv);
/* Exactly one positional argument: the container id. */
int cmd_one_id(const struct command *c, int argc, char **argv, const char **id);

#endif
