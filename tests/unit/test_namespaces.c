/* namespaces/: the table, ns_open type checks, ns_join, user namespace id maps written into a
 * child, and time offsets seen by a grandchild in a new time namespace. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../base/cleanup.h"
#include "../../base/util.h"
#include "../../namespaces/ns.h"
#include "tap.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

static int exit_code(pid_t pid) {
    int st;
    if (waitpid(pid, &st, 0) < 0)
        return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void test_table(void) {
    ok(ns_table_len == 8, "eight namespaces");
    ok(ns_table[0].flag == CLONE_NEWUSER && ns_table[ns_table_len - 1].flag == CLONE_NEWNS, "user first, mount last");
    static const char *order[] = {"user", "ipc", "uts", "network", "pid", "cgroup", "time", "mount"};
    bool same = true;
    for (size_t i = 0; i < ns_table_len && i < 8; i++)
        same = same && strcmp(ns_table[i].spec_name, order[i]) == 0;
    ok(same, "join order user, ipc, uts, network, pid, cgroup, time, mount");
    const struct ns_info *net = ns_by_spec_name("network"), *mnt = ns_by_flag(CLONE_NEWNS);
    ok(net && net->flag == CLONE_NEWNET && strcmp(net->proc_name, "net") == 0, "network ↔ CLONE_NEWNET ↔ net");
    ok(mnt && strcmp(mnt->spec_name, "mount") == 0 && strcmp(mnt->proc_name, "mnt") == 0, "CLONE_NEWNS ↔ mount ↔ mnt");
    ok(ns_by_spec_name("net") == NULL && ns_by_spec_name(NULL) == NULL && ns_by_flag(CLONE_VM) == NULL,
       "unknown names and flags give NULL");
}

static void test_open(void) {
    bool all = true;
    for (size_t i = 0; i < ns_table_len; i++) {
        _cleanup_free_ char *p = xasprintf("/proc/self/ns/%s", ns_table[i].proc_name);
        _cleanup_error_ struct error *e = NULL;
        int fd = ns_open(p, ns_table[i].flag, &e);
        if (fd < 0) {
            diag("%s: %s", p, e ? e->msg : "?");
            all = false;
        } else {
            close(fd);
        }
    }
    ok(all, "ns_open of every /proc/self/ns/* with its own type");

    struct {
        const char *path;
        int flag;
        const char *msg;
    } bad[] = {
        {"/proc/self/ns/net", CLONE_NEWPID, "linux.namespaces: /proc/self/ns/net is a network namespace, not a pid namespace"},
        {"/proc/self/ns/mnt", CLONE_NEWUSER, "linux.namespaces: /proc/self/ns/mnt is a mount namespace, not a user namespace"},
        {"/proc/self/status", CLONE_NEWNET, "linux.namespaces: /proc/self/status is not a namespace"},
        {"/nonexistent/ns", CLONE_NEWNET, "linux.namespaces: open /nonexistent/ns: No such file or directory"},
    };
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        _cleanup_error_ struct error *e = NULL;
        int fd = ns_open(bad[i].path, bad[i].flag, &e);
        ok(fd < 0 && e && strcmp(e->msg, bad[i].msg) == 0, "ns_open refuses: %s", e ? e->msg : "no error");
        if (fd >= 0)
            close(fd);
    }
}

/* In a child: leave for a new uts namespace, then ns_join the original one back. */
static int join_child(int orig_uts, int net_fd) {
    char before[256], after[256];
    if (gethostname(before, sizeof(before)) < 0 || unshare(CLONE_NEWUTS) < 0 || sethostname("hull-ns-test", 12) < 0)
        return 10;
    struct error *e = NULL;
    if (ns_join(net_fd, CLONE_NEWUTS, &e) == 0 || !e || !strstr(e->msg, "join uts namespace"))
        return 11;
    error_free(e);
    e = NULL;
    if (ns_join(orig_uts, CLONE_NEWUTS, &e) < 0)
        return 12;
    if (gethostname(after, sizeof(after)) < 0 || strcmp(before, after) != 0)
        return 13;
    return 0;
}

static void test_join(void) {
    _cleanup_error_ struct error *e = NULL;
    int uts = ns_open("/proc/self/ns/uts", CLONE_NEWUTS, &e);
    int net = ns_open("/proc/self/ns/net", CLONE_NEWNET, &e);
    if (uts < 0 || net < 0) {
        ok(0, "open uts/net: %s", e ? e->msg : "?");
        return;
    }
    pid_t pid = fork();
    if (pid == 0)
        _exit(join_child(uts, net));
    int code = exit_code(pid);
    ok(code == 0, "ns_join: back into the original uts namespace; a net fd for uts is refused (child %d)", code);
    close(uts);
    close(net);
}

/* ---------- id maps ---------- */

static int sync_pipe[2];

static int userns_child(void *arg) {
    (void)arg;
    char c;
    close(sync_pipe[1]);
    if (read(sync_pipe[0], &c, 1) != 1)
        return 20;
    /* Still host root (kuid 0, unmapped here); becoming container root works only with 0 mapped. */
    if (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)
        return 21;
    return getuid() == 0 && getgid() == 0 ? 0 : 22;
}

/* "0 100000 1000\n1000 200000 10\n" from /proc/<pid>/<file>, whitespace squeezed. */
static char *read_map(pid_t pid, const char *file) {
    _cleanup_free_ char *p = xasprintf("/proc/%d/%s", (int)pid, file), *text = NULL;
    if (read_file(p, &text, NULL, NULL) < 0)
        return xstrdup("?");
    char *out = xstrdup("");
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        unsigned a, b, c;
        if (sscanf(line, "%u %u %u", &a, &b, &c) == 3) {
            char *next = xasprintf("%s%u %u %u\n", out, a, b, c);
            free(out);
            out = next;
        }
    }
    return out;
}

static void test_id_maps(void) {
    struct oci_idmap uids[] = {{0, 100000, 1000}, {1000, 200000, 10}};
    struct oci_idmap gids[] = {{0, 300000, 65536}};
    struct oci_linux l = {.uid_mappings = uids, .n_uid_mappings = 2, .gid_mappings = gids, .n_gid_mappings = 1};

    if (pipe2(sync_pipe, O_CLOEXEC) < 0) {
        ok(0, "pipe: %s", strerror(errno));
        return;
    }
    size_t stack_size = 256 * 1024;
    char *stack = mmap(NULL, stack_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    pid_t pid = clone(userns_child, stack + stack_size, CLONE_NEWUSER | SIGCHLD, NULL);
    close(sync_pipe[0]);
    if (pid < 0) {
        ok(0, "clone(CLONE_NEWUSER): %s", strerror(errno));
        close(sync_pipe[1]);
        munmap(stack, stack_size);
        return;
    }
    _cleanup_error_ struct error *e = NULL;
    int r = ns_write_id_maps(pid, &l, true, &e);
    ok(r == 0, "ns_write_id_maps (%s)", e ? e->msg : "ok");
    _cleanup_free_ char *um = read_map(pid, "uid_map"), *gm = read_map(pid, "gid_map"), *sg = NULL;
    _cleanup_free_ char *sgp = xasprintf("/proc/%d/setgroups", (int)pid);
    ok(strcmp(um, "0 100000 1000\n1000 200000 10\n") == 0, "uid_map has both lines");
    ok(strcmp(gm, "0 300000 65536\n") == 0, "gid_map written");
    ok(read_file(sgp, &sg, NULL, NULL) == 0 && strcmp(sg, "deny\n") == 0, "setgroups is deny");

    /* A map can be written once: the second write fails and the error names file and mapping. */
    error_free(e);
    e = NULL;
    r = ns_write_id_maps(pid, &l, false, &e);
    _cleanup_free_ char *want = xasprintf("write linux.uidMappings [0 100000 1000, 1000 200000 10] to /proc/%d/uid_map",
                                          (int)pid);
    ok(r == -EPERM && e && str_has_prefix(e->msg, want), "a second write is refused: %s", e ? e->msg : "no error");

    (void)!write(sync_pipe[1], "x", 1);
    close(sync_pipe[1]);
    int code = exit_code(pid);
    ok(code == 0, "the child can become uid 0 / gid 0 of its namespace (child %d)", code);
    munmap(stack, stack_size);
}

/* ---------- time offsets ---------- */

static double mono_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* In a child: unshare a time namespace, write offsets, check timens_offsets and a grandchild's
 * clock.  Exit codes say which step failed. */
static int timens_child(void) {
    struct oci_linux l = {0};
    l.time_monotonic = (struct oci_time_offset){.present = true, .secs = 1000, .nanosecs = 0};
    l.time_boottime = (struct oci_time_offset){.present = true, .secs = 2000, .nanosecs = 500};
    if (unshare(CLONE_NEWTIME) < 0)
        return 30;
    struct error *e = NULL;
    if (ns_write_time_offsets(&l, &e) < 0) {
        fprintf(stderr, "# %s\n", e->msg);
        return 31;
    }
    _cleanup_free_ char *text = NULL;
    if (read_file("/proc/self/timens_offsets", &text, NULL, NULL) < 0)
        return 32;
    char c1[32], c2[32];
    long long s1, s2;
    long n1, n2;
    if (sscanf(text, "%31s %lld %ld %31s %lld %ld", c1, &s1, &n1, c2, &s2, &n2) != 6 || strcmp(c1, "monotonic") ||
        s1 != 1000 || n1 != 0 || strcmp(c2, "boottime") || s2 != 2000 || n2 != 500)
        return 33;
    double before = mono_now();
    pid_t pid = fork();
    if (pid == 0) {
        double d = mono_now() - before;
        _exit(d > 999.0 && d < 1010.0 ? 0 : 1);
    }
    return exit_code(pid) == 0 ? 0 : 34;
}

static void test_time_offsets(void) {
    if (access("/proc/self/ns/time", F_OK) < 0) {
        ok(1, "# SKIP no time namespaces in this kernel");
        return;
    }
    pid_t pid = fork();
    if (pid == 0)
        _exit(timens_child());
    int code = exit_code(pid);
    ok(code == 0, "time offsets: timens_offsets shows them, a grandchild's CLOCK_MONOTONIC is 1000 s ahead (child %d)",
       code);

    struct oci_linux none = {0};
    ok(ns_write_time_offsets(&none, NULL) == 0, "no offsets: nothing to write");

    /* Outside a fresh time namespace the kernel refuses (the initial namespace's offsets are frozen). */
    struct oci_linux l = {0};
    l.time_monotonic = (struct oci_time_offset){.present = true, .secs = 5};
    _cleanup_error_ struct error *e = NULL;
    int r = ns_write_time_offsets(&l, &e);
    ok(r < 0 && e && str_has_prefix(e->msg, "linux.timeOffsets: write \"monotonic 5 0\" to /proc/self/timens_offsets"),
       "refused outside a new time namespace: %s", e ? e->msg : "no error");
}

int main(void) {
    test_table();
    test_open();
    if (geteuid() != 0) {
        ok(1, "# SKIP join, id map and time tests need root");
        return tap_done();
    }
    test_join();
    test_id_maps();
    test_time_offsets();
    return tap_done();
}
