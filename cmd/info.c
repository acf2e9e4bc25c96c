/* hull list / spec / features: documents about containers and about hull itself. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../libcontainer/container.h"
#include "../oci/oci.h"
#include "cmd.h"

static void print_table(struct container_info *l, size_t n) {
    int w = 2;
    for (size_t i = 0; i < n; i++)
        if ((int)strlen(l[i].id) > w)
            w = (int)strlen(l[i].id);
    printf("%-*s   %-8s %-10s %-40s %-31s %s\n", w, "ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER");
    for (size_t i = 0; i < n; i++)
        printf("%-*s   %-8d %-10s %-40s %-31s %s\n", w, l[i].id, (int)l[i].pid, l[i].status, l[i].bundle, l[i].created,
               l[i].owner);
}

static void print_json(struct container_info *l, size_t n) {
    fputs("[", stdout);
    for (size_t i = 0; i < n; i++) {
        char *id = oci_json_quote(l[i].id), *st = oci_json_quote(l[i].status), *b = oci_json_quote(l[i].bundle),
             *c = oci_json_quote(l[i].created), *o = oci_json_quote(l[i].owner);
        printf("%s{\"id\":%s,\"pid\":%d,\"status\":%s,\"bundle\":%s,\"created\":%s,\"owner\":%s}", i ? "," : "", id,
               (int)l[i].pid, st, b, c, o);
        free(id), free(st), free(b), free(c), free(o);
    }
    fputs("]\n", stdout);
}

static int list_main(const struct globals *g, int argc, char **argv) {
    static const struct option opts[] = {
        {"format", required_argument, NULL, 'f'}, {"quiet", no_argument, NULL, 'q'}, {NULL, 0, NULL, 0}};
    const char *format = "table";
    bool quiet = false;
    int ch;
    while ((ch = getopt_long(argc, argv, "+f:q", opts, NULL)) != -1) {
        if (ch == 'f')
            format = optarg;
        else if (ch == 'q')
            quiet = true;
        else
            return cmd_usage_error("list", "unknown option %s", argv[optind - 1]);
    }
    if (strcmp(format, "table") && strcmp(format, "json"))
        return cmd_usage_error("list", "--format: expected table or json, got \"%s\"", format);
    if (optind != argc)
        return cmd_usage_error("list", "takes no arguments");
    struct container_info *l = NULL;
    size_t n = 0;
    struct error *err = NULL;
    if (container_list(g->root, &l, &n, &err) < 0)
        return cmd_fail(err);
    if (quiet)
        for (size_t i = 0; i < n; i++)
            puts(l[i].id);
    else if (!strcmp(format, "json"))
        print_json(l, n);
    else
        print_table(l, n);
    container_info_free(l, n);
    return 0;
}

static int spec_main(const struct globals *g, int argc, char **argv) {
    (void)g;
    static const struct option opts[] = {
        {"bundle", required_argument, NULL, 'b'}, {"rootless", no_argument, NULL, 'r'}, {NULL, 0, NULL, 0}};
    const char *bundle = ".";
    bool rootless = false;
    int ch;
    while ((ch = getopt_long(argc, argv, "+b:", opts, NULL)) != -1) {
        if (ch == 'b')
            bundle = optarg;
        else if (ch == 'r')
            rootless = true;
        else
            return cmd_usage_error("spec", "unknown option %s", argv[optind - 1]);
    }
    if (optind != argc)
        return cmd_usage_error("spec", "takes no arguments");
    char *path = NULL;
    if (asprintf(&path, "%s/config.json", bundle) < 0)
        return 1;
    struct error *err = NULL;
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) {
        if (errno == EEXIST)
            error_new(&err, EEXIST, "spec: %s exists; remove it first", path);
        else
            error_sys(&err, errno, "spec: create %s", path);
        free(path);
        return cmd_fail(err);
    }
    char *json = oci_default_spec_json(rootless);
    size_t len = strlen(json);
    ssize_t w = write(fd, json, len);
    close(fd);
    free(json);
    if (w != (ssize_t)len) {
        error_sys(&err, errno, "spec: write %s", path);
        free(path);
        return cmd_fail(err);
    }
    free(path);
    return 0;
}

static int features_main(const struct globals *g, int argc, char **argv) {
    (void)g;
    (void)argv;
    if (argc > 1)
        return cmd_usage_error("features", "takes no arguments");
    char *json = oci_features_json();
    fputs(json, stdout);
    free(json);
    return 0;
}

const struct command cmd_list = {
    "list", "list the containers", list_main,
    "Usage: hull list [--format table|json] [--quiet]\n\nList the containers in the state root.\n\n"
    "Options:\n  -f, --format FORMAT   table (default) or json\n  -q, --quiet           ids only\n",
};

const struct command cmd_spec = {
    "spec", "write a default config.json", spec_main,
    "Usage: hull spec [--bundle DIR] [--rootless]\n\nWrite a default config.json into DIR (default: the current "
    "directory).\n\nOptions:\n  -b, --bundle DIR   where to write it\n      --rootless     a user-namespaced config for a non-root "
    "caller\n",
};

const struct command cmd_features = {
    "features", "print what this build of hull supports (JSON)", features_main,
    "Usage: hull features\n\nPrint the runtime-spec features document: versions, hooks, mount options,\n"
    "namespaces, capabilities, cgroup and seccomp support.\n",
};
