#include <errno.h>
#include <seccomp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../base/log.h"
#include "../libcontainer/container.h"
#include "../oci/oci.h"
#include "cmd.h"

static const struct command *commands[] = {
    &cmd_create, &cmd_start, &cmd_run, &cmd_state, &cmd_kill, &cmd_delete, &cmd_list, &cmd_spec, &cmd_features,
    &cmd_update, &cmd_pause, &cmd_resume, &cmd_ps, &cmd_events, &cmd_exec,
};

static void usage(FILE *f) {
    fprintf(f, "Usage: hull [global options] COMMAND [options] [ID]\n\n"
               "hull is an OCI container runtime (runtime-spec 1.0 to 1.3).\n\n"
               "Commands:\n");
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(f, "  %-10s %s\n", commands[i]->name, commands[i]->summary);
    fprintf(f, "\nGlobal options:\n"
               "  --root DIR           state directory (default " HULL_DEFAULT_ROOT ")\n"
               "  --log FILE           write log lines to FILE (default: stderr)\n"
               "  --log-format FORMAT  text or json\n"
               "  --debug              log debug lines\n"
               "  --systemd-cgroup     manage cgroups through systemd (refused: systemd is required)\n"
               "  --cgroup-manager M   cgroupfs (the default), systemd (as --systemd-cgroup) or disabled\n"
               "                       (create/run: no cgroup of the container's own)\n"
               "  -v, --version        print the version\n"
               "  -h, --help           print this help; `hull COMMAND --help` for a command\n");
}

static void version(void) {
    const struct scmp_version *v = seccomp_version();
    printf("hull version %s\ncommit: %s\nspec: %s\nlibseccomp: %u.%u.%u\n", HULL_VERSION, HULL_COMMIT, OCI_RUNTIME_SPEC_VERSION, v->major,
           v->minor, v->micro);
}

int cmd_fail(struct error *err) {
    const char *msg = err && err->msg ? err->msg : "unknown error";
    log_error("%s", msg);
    if (!log_is_stderr())
        fprintf(stderr, "hull: %s\n", msg);
    error_free(err);
    return 1;
}

int cmd_usage_error(const char *command, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *m = NULL;
    if (vasprintf(&m, fmt, ap) < 0)
        m = NULL;
    va_end(ap);
    struct error *e = NULL;
    error_new(&e, EINVAL, "%s: %s (see hull %s --help)", command, m ? m : "invalid usage", command);
    free(m);
    return cmd_fail(e);
}

bool cmd_wants_help(const struct command *c, int argc, char **argv) {
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--"))
            break;
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            fputs(c->usage, stdout);
            return true;
        }
    }
    return false;
}

int cmd_one_id(const struct command *c, int argc, char **argv, const char **id) {
    if (argc - optind != 1)
        return cmd_usage_error(c->name, "expects exactly one container id, got %d arguments", argc - optind);
    *id = argv[optind];
    return 0;
}

int main(int argc, char **argv) {
    struct globals g = {.root = HULL_DEFAULT_ROOT, .log_format = "text"};
    static const struct option opts[] = {
        {"root", required_argument, NULL, 'r'},  {"log", required_argument, NULL, 'l'},
        {"log-format", required_argument, NULL, 'f'}, {"debug", no_argument, NULL, 'd'},
        {"systemd-cgroup", no_argument, NULL, 's'}, {"version", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},      {"rootless", required_argument, NULL, 'R'},
        {"criu", required_argument, NULL, 'C'}, {"cgroup-manager", required_argument, NULL, 'M'},
        {NULL, 0, NULL, 0},
    };
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "+vh", opts, NULL)) != -1) {
        switch (c) {
        case 'r': g.root = optarg; break;
        case 'l': g.log = optarg; break;
        case 'f': g.log_format = optarg; break;
        case 'd': g.debug = true; break;
        case 's': g.systemd_cgroup = true; break;
        case 'M': g.cgroup_manager = optarg; break;
        case 'v': version(); return 0;
        case 'h': usage(stdout); return 0;
        case 'R': /* runc's --rootless auto|true|false: hull decides by itself */ break;
        case 'C': /* runc's --criu PATH: checkpointing is not supported, and says so when asked */ break;
        default:
            fprintf(stderr, "hull: unknown global option %s\n", argv[optind - 1]);
            usage(stderr);
            return 1;
        }
    }
    if (strcmp(g.log_format, "text") && strcmp(g.log_format, "json")) {
        fprintf(stderr, "hull: --log-format: expected text or json, got \"%s\"\n", g.log_format);
        return 1;
    }
    if (log_init(g.log, !strcmp(g.log_format, "json"), g.debug) < 0) {
        fprintf(stderr, "hull: --log %s: %s\n", g.log, strerror(errno));
        return 1;
    }
    if (optind >= argc) {
        usage(stderr);
        return 1;
    }
    const char *name = argv[optind];
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
        if (strcmp(commands[i]->name, name))
            continue;
        if (g.cgroup_manager && strcmp(g.cgroup_manager, "cgroupfs") != 0) {
            struct error *e = NULL;
            if (strcmp(g.cgroup_manager, "systemd") == 0) {
                g.systemd_cgroup = true;
            } else if (strcmp(g.cgroup_manager, "disabled") != 0) {
                error_new(&e, EINVAL, "--cgroup-manager: expected cgroupfs, systemd or disabled, got \"%s\"",
                          g.cgroup_manager);
                return cmd_fail(e);
            }
        }
        if (g.systemd_cgroup) {
            struct error *e = NULL;
            error_new(&e, ENOTSUP, "--systemd-cgroup: systemd is not running on this host (no /run/systemd/system)");
            if (access("/run/systemd/system", F_OK) < 0)
                return cmd_fail(e);
            error_free(e);
            e = NULL;
            error_new(&e, ENOTSUP, "--systemd-cgroup: the systemd cgroup driver is not supported by this build yet");
            return cmd_fail(e);
        }
        int sub_argc = argc - optind;
        char **sub_argv = argv + optind;
        if (cmd_wants_help(commands[i], sub_argc, sub_argv))
            return 0;
        optind = 0; /* reinitialize getopt for the command's own options */
        return commands[i]->run(&g, sub_argc, sub_argv);
    }
    fprintf(stderr, "hull: unknown command \"%s\"\n", name);
    usage(stderr);
    return 1;
}
