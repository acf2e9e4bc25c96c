/* hull update: runc's flags and --resources FILE|- into one LinuxResources, applied by
 * container_update().  The file is read first, then the flags override it (as runc >= 1.2). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../base/cleanup.h"
#include "../base/log.h"
#include "../base/util.h"
#include "../libcontainer/container.h"
#include "../oci/oci.h"
#include "cmd.h"

enum {
    OPT_BLKIO_WEIGHT = 256, OPT_CPU_PERIOD, OPT_CPU_QUOTA, OPT_CPU_BURST, OPT_CPU_RT_PERIOD, OPT_CPU_RT_RUNTIME,
    OPT_CPU_SHARE, OPT_CPU_IDLE, OPT_CPUSET_CPUS, OPT_CPUSET_MEMS, OPT_MEMORY, OPT_MEMORY_RESERVATION,
    OPT_MEMORY_SWAP, OPT_PIDS_LIMIT, OPT_KERNEL_MEMORY, OPT_KERNEL_MEMORY_TCP, OPT_L3_CACHE_SCHEMA,
    OPT_MEM_BW_SCHEMA,
};

static const struct option update_opts[] = {
    {"resources", required_argument, NULL, 'r'},
    {"blkio-weight", required_argument, NULL, OPT_BLKIO_WEIGHT},
    {"cpu-period", required_argument, NULL, OPT_CPU_PERIOD},
    {"cpu-quota", required_argument, NULL, OPT_CPU_QUOTA},
    {"cpu-burst", required_argument, NULL, OPT_CPU_BURST},
    {"cpu-rt-period", required_argument, NULL, OPT_CPU_RT_PERIOD},
    {"cpu-rt-runtime", required_argument, NULL, OPT_CPU_RT_RUNTIME},
    {"cpu-share", required_argument, NULL, OPT_CPU_SHARE},
    {"cpu-shares", required_argument, NULL, OPT_CPU_SHARE},
    {"cpu-idle", required_argument, NULL, OPT_CPU_IDLE},
    {"cpuset-cpus", required_argument, NULL, OPT_CPUSET_CPUS},
    {"cpuset-mems", required_argument, NULL, OPT_CPUSET_MEMS},
    {"memory", required_argument, NULL, OPT_MEMORY},
    {"memory-reservation", required_argument, NULL, OPT_MEMORY_RESERVATION},
    {"memory-swap", required_argument, NULL, OPT_MEMORY_SWAP},
    {"pids-limit", required_argument, NULL, OPT_PIDS_LIMIT},
    {"kernel-memory", required_argument, NULL, OPT_KERNEL_MEMORY},
    {"kernel-memory-tcp", required_argument, NULL, OPT_KERNEL_MEMORY_TCP},
    {"l3-cache-schema", required_argument, NULL, OPT_L3_CACHE_SCHEMA},
    {"mem-bw-schema", required_argument, NULL, OPT_MEM_BW_SCHEMA},
    {NULL, 0, NULL, 0},
};

/* The long name of an option, for messages. */
static const char *opt_name(int ch) {
    for (const struct option *o = update_opts; o->name; o++)
        if (o->val == ch)
            return o->name;
    return "?";
}

/* runc's memory values (go-units RAMInBytes): a number, optionally with a fraction, an optional
 * space, then an optional k, m, g, t or p (any case), an optional i and an optional b; powers of
 * 1024.  "-1" is unlimited. */
static int parse_bytes(const char *s, int64_t *out) {
    if (!strcmp(s, "-1")) {
        *out = -1;
        return 0;
    }
    const char *p = s;
    size_t ndig = strspn(p, "0123456789");
    if (!ndig)
        return -EINVAL;
    p += ndig;
    bool frac = *p == '.';
    if (frac) {
        size_t nf = strspn(p + 1, "0123456789");
        if (!nf)
            return -EINVAL;
        p += 1 + nf;
    }
    const char *num_end = p;
    if (*p == ' ')
        p++;
    int shift = 0;
    const char *units = "kmgtp", *u = *p ? strchr(units, *p | 0x20) : NULL;
    if (u) {
        shift = 10 * (int)(u - units + 1);
        p++;
        if (*p == 'i' || *p == 'I')
            p++;
    }
    if (*p == 'b' || *p == 'B')
        p++;
    if (*p)
        return -EINVAL;
    _cleanup_free_ char *num = xstrndup(s, (size_t)(num_end - s));
    if (frac) {
        double v = strtod(num, NULL) * (double)(1ULL << shift);
        if (v >= 9.2e18)
            return -ERANGE;
        *out = (int64_t)v;
        return 0;
    }
    uint64_t v;
    if (parse_uint64(num, &v) < 0 || v > ((uint64_t)INT64_MAX >> shift))
        return -ERANGE;
    *out = (int64_t)(v << shift);
    return 0;
}

static int bad_value(int ch, const char *arg, const char *what) {
    return cmd_usage_error("update", "--%s: expected %s, got \"%s\"", opt_name(ch), what, arg);
}

/* Set one field from a flag; returns 1 (after reporting) on a bad value. */
static int apply_flag(struct oci_resources *r, int ch, const char *arg) {
    uint64_t u = 0;
    int64_t i = 0;
    switch (ch) {
    case OPT_BLKIO_WEIGHT:
        if (parse_uint64(arg, &u) < 0 || u < 10 || u > 1000)
            return bad_value(ch, arg, "a weight from 10 to 1000");
        r->block_io.present = r->block_io.has_weight = true;
        r->block_io.weight = (uint16_t)u;
        return 0;
    case OPT_CPU_PERIOD: case OPT_CPU_BURST: case OPT_CPU_RT_PERIOD: case OPT_CPU_SHARE:
        if (parse_uint64(arg, &u) < 0)
            return bad_value(ch, arg, "a non-negative integer");
        r->cpu.present = true;
        if (ch == OPT_CPU_PERIOD)
            r->cpu.has_period = true, r->cpu.period = u;
        else if (ch == OPT_CPU_BURST)
            r->cpu.has_burst = true, r->cpu.burst = u;
        else if (ch == OPT_CPU_RT_PERIOD)
            r->cpu.has_realtime_period = true, r->cpu.realtime_period = u;
        else
            r->cpu.has_shares = true, r->cpu.shares = u;
        return 0;
    case OPT_CPU_QUOTA: case OPT_CPU_RT_RUNTIME: case OPT_CPU_IDLE:
        if (parse_int64(arg, &i) < 0)
            return bad_value(ch, arg, "an integer");
        r->cpu.present = true;
        if (ch == OPT_CPU_QUOTA)
            r->cpu.has_quota = true, r->cpu.quota = i;
        else if (ch == OPT_CPU_RT_RUNTIME)
            r->cpu.has_realtime_runtime = true, r->cpu.realtime_runtime = i;
        else
            r->cpu.has_idle = true, r->cpu.idle = i;
        return 0;
    case OPT_CPUSET_CPUS: case OPT_CPUSET_MEMS: {
        char **dst = ch == OPT_CPUSET_CPUS ? &r->cpu.cpus : &r->cpu.mems;
        free(*dst);
        *dst = xstrdup(arg);
        r->cpu.present = true;
        return 0;
    }
    case OPT_PIDS_LIMIT:
        if (parse_int64(arg, &i) < 0)
            return bad_value(ch, arg, "an integer (0 or -1: unlimited)");
        r->pids.present = true;
        r->pids.limit = i;
        return 0;
    default:
        break;
    }
    if (parse_bytes(arg, &i) < 0)
        return bad_value(ch, arg, "a size in bytes (suffixes k, m, g, t, p; -1: unlimited)");
    r->memory.present = true;
    if (ch == OPT_MEMORY)
        r->memory.has_limit = true, r->memory.limit = i;
    else if (ch == OPT_MEMORY_RESERVATION)
        r->memory.has_reservation = true, r->memory.reservation = i;
    else if (ch == OPT_MEMORY_SWAP)
        r->memory.has_swap = true, r->memory.swap = i;
    else if (ch == OPT_KERNEL_MEMORY)
        r->memory.has_kernel = true, r->memory.kernel = i;
    else
        r->memory.has_kernel_tcp = true, r->memory.kernel_tcp = i;
    return 0;
}

/* --resources FILE or - (standard input). */
static int load_resources(const char *path, struct oci_resources **out) {
    _cleanup_free_ char *json = NULL;
    size_t len = 0;
    struct error *err = NULL;
    const char *name = strcmp(path, "-") ? path : "/dev/stdin";
    if (read_file(name, &json, &len, &err) < 0) {
        error_wrap(&err, -EIO, "update: --resources");
        return cmd_fail(err);
    }
    if (oci_resources_parse(json, len, out, &err) < 0) {
        error_wrap(&err, -EINVAL, "update: --resources %s", strcmp(path, "-") ? path : "(standard input)");
        return cmd_fail(err);
    }
    return 0;
}

static int update_main(const struct globals *g, int argc, char **argv) {
    const char *resources = NULL;
    int flags[64], nflags = 0;
    const char *args[64];
    int ch;
    while ((ch = getopt_long(argc, argv, "+r:", update_opts, NULL)) != -1) {
        if (ch == 'r') {
            resources = optarg;
        } else if (ch == OPT_L3_CACHE_SCHEMA || ch == OPT_MEM_BW_SCHEMA) {
            return cmd_usage_error("update", "--%s: Intel RDT is not supported: hull has no resctrl support",
                                   opt_name(ch));
        } else if (ch == '?' || ch == ':') {
            return cmd_usage_error("update", "unknown option or missing value: %s", argv[optind - 1]);
        } else if (nflags == 64) {
            return cmd_usage_error("update", "too many flags (at most 64)");
        } else {
            flags[nflags] = ch;
            args[nflags++] = optarg;
        }
    }
    const char *id;
    if (cmd_one_id(&cmd_update, argc, argv, &id))
        return 1;
    struct oci_resources *r = NULL;
    if (resources && load_resources(resources, &r))
        return 1;
    if (!r) {
        r = xcalloc(1, sizeof(*r));
        r->pids.limit = -1;
    }
    int rc = 0;
    for (int i = 0; i < nflags && !rc; i++)
        rc = apply_flag(r, flags[i], args[i]);
    /* memory unlimited: swap (memory + swap) unlimited too, or the kernel refuses the pair */
    if (r->memory.has_limit && r->memory.limit == -1 && !r->memory.has_swap)
        r->memory.has_swap = true, r->memory.swap = -1;
    struct error *err = NULL;
    if (!rc && container_update(g->root, id, r, &err) < 0)
        rc = cmd_fail(err);
    oci_resources_free(r);
    return rc;
}

const struct command cmd_update = {
    "update", "update the resource limits of a container", update_main,
    "Usage: hull update [options] ID\n\n"
    "Change the cgroup limits of the created, running or paused container ID; only the values\n"
    "given change.  The saved config.json of the container is updated to match.\n\n"
    "Options:\n"
    "  -r, --resources FILE     a LinuxResources JSON document (linux.resources of config.json);\n"
    "                           \"-\" reads standard input.  Flags given too override its values;\n"
    "                           devices in it are ignored with a warning\n"
    "      --blkio-weight N     block IO weight, 10 to 1000\n"
    "      --cpu-period US      CFS period (microseconds)\n"
    "      --cpu-quota US       CFS quota (microseconds; -1: none)\n"
    "      --cpu-burst US       CFS burst (microseconds)\n"
    "      --cpu-rt-period US   realtime period (microseconds)\n"
    "      --cpu-rt-runtime US  realtime runtime (microseconds)\n"
    "      --cpu-share N        CPU shares (relative weight); also --cpu-shares\n"
    "      --cpu-idle 0|1       SCHED_IDLE for the cgroup (cgroup v2)\n"
    "      --cpuset-cpus LIST   CPUs to use (0-3,7)\n"
    "      --cpuset-mems LIST   memory nodes to use\n"
    "      --memory SIZE        memory limit\n"
    "      --memory-reservation SIZE  soft limit\n"
    "      --memory-swap SIZE   memory + swap limit (-1: unlimited swap)\n"
    "      --pids-limit N       maximum number of tasks (0 or -1: unlimited)\n"
    "      --kernel-memory SIZE accepted and ignored with a warning (the kernel dropped it), as runc\n"
    "      --kernel-memory-tcp SIZE  kernel TCP buffer limit (cgroup v1)\n"
    "      --l3-cache-schema S, --mem-bw-schema S  refused: no Intel RDT (resctrl) support\n\n"
    "SIZE: bytes, or a number with k, m, g, t or p (powers of 1024, optional b), or -1 for\n"
    "unlimited.  --memory -1 without --memory-swap makes swap unlimited too.\n",
};
