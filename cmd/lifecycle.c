/* hull start / state / kill / delete: one container id each. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../libcontainer/container.h"
#include "../oci/oci.h"
#include "cmd.h"

static int no_options(const struct command *c, int argc, char **argv, const char **id) {
    static const struct option none[] = {{NULL, 0, NULL, 0}};
    if (getopt_long(argc, argv, "+", none, NULL) != -1)
        return cmd_usage_error(c->name, "unknown option %s", argv[optind - 1]);
    return cmd_one_id(c, argc, argv, id);
}

static int start_main(const struct globals *g, int argc, char **argv) {
    const char *id;
    if (no_options(&cmd_start, argc, argv, &id))
        return 1;
    struct error *err = NULL;
    return container_start(g->root, id, &err) < 0 ? cmd_fail(err) : 0;
}

static int state_main(const struct globals *g, int argc, char **argv) {
    const char *id;
    if (no_options(&cmd_state, argc, argv, &id))
        return 1;
    struct error *err = NULL;
    char *json = NULL;
    if (container_state(g->root, id, &json, &err) < 0)
        return cmd_fail(err);
    fputs(json, stdout);
    free(json);
    return 0;
}

static int kill_main(const struct globals *g, int argc, char **argv) {
    static const struct option opts[] = {{"all", no_argument, NULL, 'a'}, {NULL, 0, NULL, 0}};
    bool all = false;
    int ch;
    while ((ch = getopt_long(argc, argv, "+a", opts, NULL)) != -1) {
        if (ch != 'a')
            return cmd_usage_error("kill", "unknown option %s", argv[optind - 1]);
        all = true;
    }
    int n = argc - optind;
    if (n < 1 || n > 2)
        return cmd_usage_error("kill", "expects a container id and optionally a signal, got %d arguments", n);
    const char *id = argv[optind];
    int sig = 15;
    if (n == 2 && (sig = oci_signal_parse(argv[optind + 1])) <= 0)
        return cmd_usage_error("kill", "unknown signal \"%s\"", argv[optind + 1]);
    struct error *err = NULL;
    return container_kill(g->root, id, sig, all, &err) < 0 ? cmd_fail(err) : 0;
}

static int delete_main(const struct globals *g, int argc, char **argv) {
    static const struct option opts[] = {{"force", no_argument, NULL, 'f'}, {NULL, 0, NULL, 0}};
    bool force = false;
    int ch;
    while ((ch = getopt_long(argc, argv, "+f", opts, NULL)) != -1) {
        if (ch != 'f')
            return cmd_usage_error("delete", "unknown option %s", argv[optind - 1]);
        force = true;
    }
    const char *id;
    if (cmd_one_id(&cmd_delete, argc, argv, &id))
        return 1;
    struct error *err = NULL;
    if (container_id_validate(id, &err) < 0)
        return cmd_fail(err);
    return container_delete(g->root, id, force, &err) < 0 ? cmd_fail(err) : 0;
}

const struct command cmd_start = {
    "start", "start the process of a created container", start_main,
    "Usage: hull start ID\n\nRun the process of the created container ID (startContainer hooks first, poststart\n"
    "hooks after).\n",
};

const struct command cmd_state = {
    "state", "print the state of a container (JSON)", state_main,
    "Usage: hull state ID\n\nPrint the runtime-spec state document of container ID: ociVersion, id, status\n"
    "(creating, created, running, stopped), pid, bundle, annotations.\n",
};

const struct command cmd_kill = {
    "kill", "send a signal to a container's process", kill_main,
    "Usage: hull kill [--all] ID [SIGNAL]\n\nSend SIGNAL (a name with or without SIG, or a number; default SIGTERM) to the\n"
    "container's process.\n\nOptions:\n  -a, --all   signal every process in the container's cgroup\n",
};

const struct command cmd_delete = {
    "delete", "delete a stopped container", delete_main,
    "Usage: hull delete [--force] ID\n\nDelete the stopped container ID: its cgroups and state; then run its poststop hooks.\n\n"
    "Options:\n  -f, --force   kill the container first if it is not stopped; a missing ID is not an error\n",
};
