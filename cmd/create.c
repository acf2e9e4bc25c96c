/* hull create / hull run: the options they share, and the two commands. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../libcontainer/container.h"
#include "cmd.h"

enum { OPT_BUNDLE = 'b', OPT_DETACH = 'd', OPT_PID_FILE = 256, OPT_CONSOLE, OPT_PRESERVE, OPT_NO_PIVOT, OPT_NO_KEYRING, OPT_KEEP,
       OPT_NO_SUBREAPER, OPT_NETWORK };

static int parse(const struct command *c, const struct globals *g, int argc, char **argv, bool run, struct create_opts *o) {
    static const struct option opts[] = {
        {"bundle", required_argument, NULL, OPT_BUNDLE},
        {"pid-file", required_argument, NULL, OPT_PID_FILE},
        {"console-socket", required_argument, NULL, OPT_CONSOLE},
        {"preserve-fds", required_argument, NULL, OPT_PRESERVE},
        {"no-pivot", no_argument, NULL, OPT_NO_PIVOT},
        {"no-new-keyring", no_argument, NULL, OPT_NO_KEYRING},
        {"detach", no_argument, NULL, OPT_DETACH},
        {"keep", no_argument, NULL, OPT_KEEP},
        {"no-subreaper", no_argument, NULL, OPT_NO_SUBREAPER},
        {"network", required_argument, NULL, OPT_NETWORK},
        {NULL, 0, NULL, 0},
    };
    memset(o, 0, sizeof(*o));
    o->root = g->root;
    o->no_cgroups = g->cgroup_manager && strcmp(g->cgroup_manager, "disabled") == 0;
    int ch;
    while ((ch = getopt_long(argc, argv, run ? "+b:d" : "+b:", opts, NULL)) != -1) {
        switch (ch) {
        case OPT_BUNDLE: o->bundle = optarg; break;
        case OPT_PID_FILE: o->pid_file = optarg; break;
        case OPT_CONSOLE: o->console_socket = optarg; break;
        case OPT_PRESERVE: {
            char *end;
            long n = strtol(optarg, &end, 10);
            if (*end || n < 0 || n > 65536)
                return cmd_usage_error(c->name, "--preserve-fds: expected a count, got \"%s\"", optarg);
            o->preserve_fds = (int)n;
            break;
        }
        case OPT_NO_PIVOT: o->no_pivot = true; break;
        case OPT_NO_KEYRING: o->no_new_keyring = true; break;
        case OPT_NETWORK: o->network = optarg; break;
        case OPT_NO_SUBREAPER: break; /* hull's foreground run waits on its own child: nothing to turn off */
        case OPT_DETACH:
            if (!run)
                return cmd_usage_error(c->name, "unknown option --detach");
            o->detach = true;
            break;
        case OPT_KEEP:
            if (!run)
                return cmd_usage_error(c->name, "unknown option --keep");
            o->keep = true;
            break;
        default: return cmd_usage_error(c->name, "unknown option %s", argv[optind - 1]);
        }
    }
    if (o->detach && o->keep)
        return cmd_usage_error(c->name, "--keep and --detach cannot be used together");
    return cmd_one_id(c, argc, argv, &o->id);
}

static int create_main(const struct globals *g, int argc, char **argv) {
    struct create_opts o;
    if (parse(&cmd_create, g, argc, argv, false, &o))
        return 1;
    struct error *err = NULL;
    if (container_create(&o, &err) < 0)
        return cmd_fail(err);
    return 0;
}

static int run_main(const struct globals *g, int argc, char **argv) {
    struct create_opts o;
    if (parse(&cmd_run, g, argc, argv, true, &o))
        return 1;
    struct error *err = NULL;
    int status = 0;
    if (container_run(&o, &status, &err) < 0)
        return cmd_fail(err);
    return status;
}

#define CREATE_OPTIONS                                                                                       \
    "  -b, --bundle DIR          the bundle directory (default: the current directory)\n"                   \
    "      --pid-file FILE       write the container process's pid to FILE\n"                               \
    "      --console-socket SOCK send the pty master to the unix socket SOCK (process.terminal: true)\n"    \
    "      --preserve-fds N      pass N more descriptors (3 .. 3+N-1) to the container\n"                   \
    "      --no-pivot            move + chroot instead of pivot_root (for ramdisk roots)\n"                 \
    "      --no-new-keyring      keep the caller's session keyring\n"                                      \
    "      --network LIST        veth or bridge=NAME, then address=CIDR, gateway=IP, host-address=CIDR,\n"  \
    "                            ifname=NAME, mtu=N, mac=MAC (replaces the run.hull.network* annotations;\n" \
    "                            none: no network; see hull-network(7))\n"

const struct command cmd_create = {
    "create", "create a container from a bundle; `start` runs its process", create_main,
    "Usage: hull create [options] ID\n\n"
    "Create the container ID from the bundle: namespaces, cgroups, mounts and the process's\n"
    "attributes are all set up, and the process waits for `hull start ID`.\n\nOptions:\n" CREATE_OPTIONS,
};

const struct command cmd_run = {
    "run", "create and start a container, and wait for it", run_main,
    "Usage: hull run [options] ID\n\n"
    "Create and start the container ID.  In the foreground hull forwards signals to it, relays its\n"
    "terminal, deletes it when it exits, and exits with its status (128+N for signal N).\n\nOptions:\n" CREATE_OPTIONS
    "  -d, --detach              return once the container has started\n"
    "      --keep                keep the stopped container (do not delete it)\n",
};
