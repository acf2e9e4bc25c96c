/* hull pause / resume / ps / events: commands that act on a live container's cgroup. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../libcontainer/container.h"
#include "cmd.h"

static int only_id(const struct command *c, int argc, char **argv, const char **id) {
    static const struct option none[] = {{NULL, 0, NULL, 0}};
    if (getopt_long(argc, argv, "+", none, NULL) != -1)
        return cmd_usage_error(c->name, "unknown option %s", argv[optind - 1]);
    return cmd_one_id(c, argc, argv, id);
}

static int pause_main(const struct globals *g, int argc, char **argv) {
    const char *id;
    if (only_id(&cmd_pause, argc, argv, &id))
        return 1;
    struct error *err = NULL;
    return container_pause(g->root, id, &err) < 0 ? cmd_fail(err) : 0;
}

static int resume_main(const struct globals *g, int argc, char **argv) {
    const char *id;
    if (only_id(&cmd_resume, argc, argv, &id))
        return 1;
    struct error *err = NULL;
    return container_resume(g->root, id, &err) < 0 ? cmd_fail(err) : 0;
}

static int ps_json(const char *root, const char *id) {
    pid_t *pids = NULL;
    size_t n = 0;
    struct error *err = NULL;
    if (container_pids(root, id, &pids, &n, &err) < 0)
        return cmd_fail(err);
    fputc('[', stdout);
    for (size_t i = 0; i < n; i++)
        printf("%s%d", i ? "," : "", (int)pids[i]);
    fputs("]\n", stdout);
    free(pids);
    return 0;
}

static int ps_main(const struct globals *g, int argc, char **argv) {
    static const struct option opts[] = {{"format", required_argument, NULL, 'f'}, {NULL, 0, NULL, 0}};
    const char *format = "table";
    int ch;
    while ((ch = getopt_long(argc, argv, "+f:", opts, NULL)) != -1) {
        if (ch != 'f')
            return cmd_usage_error("ps", "unknown option or missing value: %s", argv[optind - 1]);
        format = optarg;
    }
    if (strcmp(format, "table") && strcmp(format, "json"))
        return cmd_usage_error("ps", "--format: expected table or json, got \"%s\"", format);
    if (optind >= argc)
        return cmd_usage_error("ps", "expects a container id");
    const char *id = argv[optind++];
    if (optind < argc && !strcmp(argv[optind], "--"))
        optind++;
    char **ps_args = argv + optind; /* NULL-terminated, as argv is */
    if (!strcmp(format, "json")) {
        if (*ps_args)
            return cmd_usage_error("ps", "--format json takes no ps options (got \"%s\")", *ps_args);
        return ps_json(g->root, id);
    }
    char *out = NULL;
    struct error *err = NULL;
    if (container_ps_table(g->root, id, ps_args, &out, &err) < 0)
        return cmd_fail(err);
    fputs(out, stdout);
    free(out);
    return 0;
}

/* A Go duration ("5s", "100ms", "1m30s", "1.5s", "500us") in milliseconds, rounded up; <= 0 or a
 * malformed one is -1. */
static int64_t parse_duration_ms(const char *s) {
    static const struct {
        const char *unit;
        double ns;
    } units[] = {{"ns", 1}, {"us", 1e3}, {"µs", 1e3}, {"ms", 1e6}, {"s", 1e9}, {"m", 60e9}, {"h", 3600e9}};
    double total = 0;
    if (!*s)
        return -1;
    while (*s) {
        char *end;
        if (!strchr("0123456789.", *s))
            return -1;
        double v = strtod(s, &end);
        if (end == s)
            return -1;
        s = end;
        size_t best = 0, best_len = 0;
        for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
            size_t l = strlen(units[i].unit);
            if (!strncmp(s, units[i].unit, l) && l > best_len)
                best = i, best_len = l;
        }
        if (!best_len)
            return -1;
        total += v * units[best].ns;
        s += best_len;
    }
    if (total <= 0 || total > 1e9 * 86400 * 365)
        return -1;
    return (int64_t)((total + 999999) / 1e6);
}

static int print_line(const char *line, void *data) {
    (void)data;
    if (puts(line) < 0 || fflush(stdout) != 0)
        return -EPIPE;
    return 0;
}

static int events_main(const struct globals *g, int argc, char **argv) {
    static const struct option opts[] = {
        {"stats", no_argument, NULL, 's'}, {"interval", required_argument, NULL, 'i'}, {NULL, 0, NULL, 0}};
    bool stats = false;
    int64_t interval = 5000;
    int ch;
    while ((ch = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
        if (ch == 's')
            stats = true;
        else if (ch == 'i' && (interval = parse_duration_ms(optarg)) <= 0)
            return cmd_usage_error("events", "--interval: expected a positive duration such as 5s, 100ms or 1m, got \"%s\"",
                                   optarg);
        else if (ch != 'i')
            return cmd_usage_error("events", "unknown option or missing value: %s", argv[optind - 1]);
    }
    const char *id;
    if (cmd_one_id(&cmd_events, argc, argv, &id))
        return 1;
    struct error *err = NULL;
    if (stats) {
        char *line = NULL;
        if (container_stats_event(g->root, id, &line, &err) < 0)
            return cmd_fail(err);
        print_line(line, NULL);
        free(line);
        return 0;
    }
    if (interval > UINT32_MAX)
        interval = UINT32_MAX;
    int r = container_events(g->root, id, (unsigned)interval, print_line, NULL, &err);
    if (r == -EPIPE && !err)
        return 1; /* the reader went away */
    return r < 0 ? cmd_fail(err) : 0;
}

const struct command cmd_pause = {
    "pause", "suspend every process of a container", pause_main,
    "Usage: hull pause ID\n\nFreeze every process of the running container ID (its cgroup's freezer), waiting\n"
    "until they are all frozen.  `state` reports it as paused until `hull resume ID`.\n",
};

const struct command cmd_resume = {
    "resume", "resume a paused container", resume_main,
    "Usage: hull resume ID\n\nThaw every process of the paused container ID.\n",
};

const struct command cmd_ps = {
    "ps", "list the processes of a container", ps_main,
    "Usage: hull ps [--format table|json] ID [PS OPTIONS...]\n\n"
    "List the processes in the cgroup of container ID (host pids).\n\n"
    "Options:\n"
    "  -f, --format FORMAT   table (default): the header and the container's lines of\n"
    "                        `ps PS OPTIONS` (default -ef; the PID column is found by name);\n"
    "                        json: a JSON array of pids ([] when none)\n",
};

const struct command cmd_events = {
    "events", "print a container's statistics and OOM events (JSON)", events_main,
    "Usage: hull events [--stats] [--interval DURATION] ID\n\n"
    "Print one JSON line per event until the container stops: {\"type\":\"stats\",\"id\":ID,\n"
    "\"data\":{...}} every interval (runc's statistics shape: cpu, memory, pids, blkio,\n"
    "hugetlb) and {\"type\":\"oom\",\"id\":ID} whenever the kernel OOM-kills a process of it.\n\n"
    "Options:\n"
    "      --stats              print the statistics once and exit\n"
    "      --interval DURATION  between statistics (default 5s; 100ms, 1m, 1m30s ...)\n",
};
