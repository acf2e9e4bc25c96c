/* hull exec: run a new process in a container (runc's flags). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/cleanup.h"
#include "../base/util.h"
#include "../libcontainer/container.h"
#include "cmd.h"

enum { OPT_CONSOLE = 256, OPT_PID_FILE, OPT_CWD, OPT_NNP, OPT_APPARMOR, OPT_LABEL, OPT_PRESERVE, OPT_CGROUP, OPT_IGNORE_PAUSED };

static int parse_u32(const char *s, uint32_t *out) {
    uint64_t v;
    if (parse_uint64(s, &v) < 0 || v > UINT32_MAX)
        return -1;
    *out = (uint32_t)v;
    return 0;
}

static int parse_user(struct exec_opts *o, const char *s) {
    _cleanup_free_ char *copy = xstrdup(s);
    char *colon = strchr(copy, ':');
    if (colon)
        *colon = '\0';
    if (parse_u32(copy, &o->uid) < 0 || (colon && parse_u32(colon + 1, &o->gid) < 0))
        return cmd_usage_error("exec", "--user: expected UID[:GID] (numbers), got \"%s\"", s);
    o->has_user = true;
    o->has_gid = colon != NULL;
    return 0;
}

/* -g 5 -g 6 or -g 5,6 */
static int parse_gids(struct exec_opts *o, const char *s) {
    _cleanup_free_ char *copy = xstrdup(s);
    for (char *save = NULL, *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        uint32_t g;
        if (parse_u32(t, &g) < 0)
            return cmd_usage_error("exec", "--additional-gids: expected a gid, got \"%s\"", t);
        o->additional_gids = xrealloc(o->additional_gids, (o->n_additional_gids + 1) * sizeof(uint32_t));
        o->additional_gids[o->n_additional_gids++] = g;
    }
    return 0;
}

static int parse_option(struct exec_opts *o, int ch, const char *arg, const char *opt) {
    switch (ch) {
    case 'p': o->process_file = arg; return 0;
    case 't': o->tty = true; return 0;
    case 'd': o->detach = true; return 0;
    case 'e': strv_push(&o->env, xstrdup(arg)); return 0;
    case 'u': return parse_user(o, arg);
    case 'g': return parse_gids(o, arg);
    case 'c': strv_push(&o->caps, xstrdup(arg)); return 0;
    case OPT_CONSOLE: o->console_socket = arg; return 0;
    case OPT_PID_FILE: o->pid_file = arg; return 0;
    case OPT_CWD: o->cwd = arg; return 0;
    case OPT_NNP: o->no_new_privs = true; return 0;
    case OPT_APPARMOR: o->apparmor = arg; return 0;
    case OPT_LABEL: o->process_label = arg; return 0;
    case OPT_CGROUP: o->cgroup = arg; return 0;
    case OPT_IGNORE_PAUSED: o->ignore_paused = true; return 0;
    case OPT_PRESERVE: {
        int64_t n;
        if (parse_int64(arg, &n) < 0 || n < 0 || n > 65536)
            return cmd_usage_error("exec", "--preserve-fds: expected a count, got \"%s\"", arg);
        o->preserve_fds = (int)n;
        return 0;
    }
    default: return cmd_usage_error("exec", "unknown option %s", opt);
    }
}

static int parse(const struct globals *g, int argc, char **argv, struct exec_opts *o) {
    static const struct option opts[] = {
        {"process", required_argument, NULL, 'p'},      {"tty", no_argument, NULL, 't'},
        {"detach", no_argument, NULL, 'd'},             {"env", required_argument, NULL, 'e'},
        {"user", required_argument, NULL, 'u'},         {"additional-gids", required_argument, NULL, 'g'},
        {"cap", required_argument, NULL, 'c'},          {"console-socket", required_argument, NULL, OPT_CONSOLE},
        {"pid-file", required_argument, NULL, OPT_PID_FILE}, {"cwd", required_argument, NULL, OPT_CWD},
        {"no-new-privs", no_argument, NULL, OPT_NNP},   {"apparmor", required_argument, NULL, OPT_APPARMOR},
        {"process-label", required_argument, NULL, OPT_LABEL}, {"preserve-fds", required_argument, NULL, OPT_PRESERVE},
        {"cgroup", required_argument, NULL, OPT_CGROUP}, {"ignore-paused", no_argument, NULL, OPT_IGNORE_PAUSED},
        {NULL, 0, NULL, 0},
    };
    memset(o, 0, sizeof(*o));
    o->root = g->root;
    int ch;
    while ((ch = getopt_long(argc, argv, "+p:tde:u:g:c:", opts, NULL)) != -1)
        if (parse_option(o, ch, optarg, argv[optind - 1]))
            return 1;
    if (optind >= argc)
        return cmd_usage_error("exec", "expects a container id");
    o->id = argv[optind];
    if (optind + 1 < argc)
        o->args = argv + optind + 1;
    else if (!o->process_file)
        return cmd_usage_error("exec", "expects a COMMAND after the container id (or --process FILE)");
    return 0;
}

static int exec_main(const struct globals *g, int argc, char **argv) {
    struct exec_opts o;
    int rc = parse(g, argc, argv, &o);
    struct error *err = NULL;
    int status = 0;
    if (!rc && container_exec(&o, &status, &err) < 0)
        rc = cmd_fail(err);
    else if (!rc)
        rc = status;
    strv_free(o.env);
    strv_free(o.caps);
    free(o.additional_gids);
    return rc;
}

const struct command cmd_exec = {
    "exec", "run a new process in a container", exec_main,
    "Usage: hull exec [options] ID COMMAND [ARGS...]\n"
    "       hull exec [options] --process FILE ID\n\n"
    "Run COMMAND in the created or running container ID: in all of its namespaces, its cgroup and\n"
    "its root, with the attributes of its config.json process as changed by the options.  In the\n"
    "foreground hull relays signals and the terminal and exits with the process's status (128+N\n"
    "for signal N).\n\nOptions:\n"
    "  -p, --process FILE        the process as a JSON document (config.json's \"process\"); no other\n"
    "                            option that sets the process may be given with it\n"
    "  -t, --tty                 give the process a pty (relayed, or sent to --console-socket)\n"
    "      --console-socket SOCK send the pty master to the unix socket SOCK\n"
    "  -d, --detach              return once the process has started\n"
    "      --pid-file FILE       write the process's pid to FILE\n"
    "      --cwd DIR             the working directory in the container\n"
    "  -e, --env KEY=VALUE       set an environment variable (repeatable)\n"
    "  -u, --user UID[:GID]      run as UID (and GID)\n"
    "  -g, --additional-gids GID add a supplementary group (repeatable, or comma-separated)\n"
    "  -c, --cap CAP             add a capability (repeatable), e.g. CAP_NET_ADMIN\n"
    "      --no-new-privs        set no_new_privs\n"
    "      --apparmor PROFILE    AppArmor profile (an error where AppArmor is not enabled)\n"
    "      --process-label LABEL SELinux label (an error where SELinux is not enabled)\n"
    "      --preserve-fds N      pass N more descriptors (3 .. 3+N-1) to the process\n"
    "      --cgroup SUBPATH      run in this existing sub-cgroup of the container's (cgroup v2)\n"
    "      --ignore-paused       exec even if the container is paused\n",
};
