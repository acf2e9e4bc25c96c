/* Unit tests of libcontainer/process.h: finding the executable, the host prechecks, and (in forked
 * children, run as root) the attributes and the switch of identity, read back from the kernel. */
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/ioprio.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../base/util.h"
#include "../../libcontainer/process.h"
#include "tap.h"

#define BIT(c) (UINT64_C(1) << (c))

static char tmpdir[64];

/* ---------- helpers ---------- */

/* Run fn in a forked child; what it writes to its fd comes back as a string (the caller frees). */
static char *in_child(void (*fn)(int out, void *arg), void *arg) {
    int p[2];
    if (pipe(p) < 0)
        return xstrdup("pipe failed");
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        close(p[0]);
        fn(p[1], arg);
        _exit(0);
    }
    close(p[1]);
    char *buf = xcalloc(1, 65536);
    read_all(p[0], buf, 65535);
    close(p[0]);
    int st;
    waitpid(pid, &st, 0);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        char *m = xasprintf("%s[child status %#x]", buf, st);
        free(buf);
        return m;
    }
    return buf;
}

static void write_file_mode(const char *path, const char *data, mode_t mode) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
    if (fd >= 0) {
        (void)!write(fd, data, strlen(data));
        fchmod(fd, mode);
        close(fd);
    }
}

static int64_t read_int(const char *path) {
    char *s = NULL;
    int64_t v = -99999;
    if (read_file(path, &s, NULL, NULL) == 0) {
        s[strcspn(s, "\n")] = '\0';
        parse_int64(s, &v);
    }
    free(s);
    return v;
}

/* The value of "Key:" in a /proc/<pid>/status text, tabs turned to spaces, trimmed. */
static char *status_field(const char *status, const char *key) {
    char *k = xasprintf("\n%s:", key);
    const char *s = strstr(status, k);
    free(k);
    if (!s)
        return xstrdup("(missing)");
    s += strlen(key) + 2;
    size_t n = strcspn(s, "\n");
    char *v = xstrndup(s, n);
    for (char *c = v; *c; c++)
        if (*c == '\t')
            *c = ' ';
    char *a = v;
    while (*a == ' ')
        a++;
    char *r = xstrdup(a);
    free(v);
    for (size_t l = strlen(r); l && r[l - 1] == ' ';)
        r[--l] = '\0';
    return r;
}

static uint64_t own_caps(const char *key) {
    char *st = NULL;
    read_file("/proc/self/status", &st, NULL, NULL);
    char *v = status_field(st ? st : "", key);
    uint64_t m = strtoull(v, NULL, 16);
    free(v);
    free(st);
    return m;
}

static int expect_error(int r, struct error *e, int errnum, const char *want, bool exact, const char *name) {
    bool good = r == -errnum && e && (exact ? strcmp(e->msg, want) == 0 : strstr(e->msg, want) != NULL);
    ok(good, "%s", name);
    if (!good)
        diag("r=%d msg=%s, want %s%s", r, e ? e->msg : "(none)", exact ? "" : "... ", want);
    return good;
}

/* ---------- process_find_executable ---------- */

static void test_find_executable(void) {
    char *bin = xasprintf("%s/bin", tmpdir), *prog = xasprintf("%s/prog", bin), *noexec = xasprintf("%s/noexec", bin),
         *adir = xasprintf("%s/adir", bin), *pathenv = xasprintf("PATH=%s", bin);
    mkdir(bin, 0755);
    mkdir(adir, 0755);
    write_file_mode(prog, "#!/bin/sh\nexit 0\n", 0755);
    write_file_mode(noexec, "#!/bin/sh\nexit 0\n", 0644);

    char *env[] = {"HOME=/", "PATH=/nonexistent", pathenv, NULL};
    struct oci_process p = {.env = env};
    struct error *e = NULL;
    char *out = NULL;

    p.args = (char *[]){"prog", NULL};
    int r = process_find_executable(&p, &out, &e);
    ok(r == 0 && out && strcmp(out, prog) == 0, "PATH search finds prog in the last PATH= entry (%s)", out ? out : "-");
    free(out), out = NULL;

    char *want = xasprintf("process.args[0]: \"nosuch\": executable file not found in $PATH");
    p.args = (char *[]){"nosuch", NULL};
    r = process_find_executable(&p, &out, &e);
    expect_error(r, e, ENOENT, want, true, "a missing program: not found in $PATH");
    free(want), error_free(e), e = NULL;

    p.args = (char *[]){"adir", NULL};
    r = process_find_executable(&p, &out, &e);
    expect_error(r, e, ENOENT, "executable file not found in $PATH", false, "PATH search skips a directory");
    error_free(e), e = NULL;

    p.args = (char *[]){"noexec", NULL};
    r = process_find_executable(&p, &out, &e);
    expect_error(r, e, EACCES, "\"noexec\": permission denied", false, "PATH search: a file without x bit");
    error_free(e), e = NULL;

    want = xasprintf("process.args[0]: \"%s\": is a directory", adir);
    p.args = (char *[]){adir, NULL};
    r = process_find_executable(&p, &out, &e);
    expect_error(r, e, EISDIR, want, true, "an absolute path to a directory");
    free(want), error_free(e), e = NULL;

    want = xasprintf("process.args[0]: \"%s\": permission denied", noexec);
    p.args = (char *[]){noexec, NULL};
    r = process_find_executable(&p, &out, &e);
    expect_error(r, e, EACCES, want, true, "an absolute path without x bit");
    free(want), error_free(e), e = NULL;

    p.args = (char *[]){"/nonexistent/prog", NULL};
    r = process_find_executable(&p, &out, &e);
    expect_error(r, e, ENOENT, "\"/nonexistent/prog\": no such file or directory", false, "a missing absolute path");
    error_free(e), e = NULL;

    if (chdir(tmpdir) == 0) {
        p.args = (char *[]){"bin/prog", NULL};
        r = process_find_executable(&p, &out, &e);
        ok(r == 0 && out && strcmp(out, "bin/prog") == 0, "a relative path with a slash is used as is, from cwd");
        free(out), out = NULL;
        (void)!chdir("/");
    }

    p.env = (char *[]){"HOME=/", NULL};
    p.args = (char *[]){"sh", NULL};
    r = process_find_executable(&p, &out, &e);
    ok(r == 0 && out && (strcmp(out, "/usr/bin/sh") == 0 || strcmp(out, "/bin/sh") == 0),
       "no PATH in env: the default PATH finds sh (%s)", out ? out : e->msg);
    free(out), out = NULL, error_free(e), e = NULL;

    p.args = NULL;
    r = process_find_executable(&p, &out, &e);
    ok(r == -EINVAL && e, "no args: an error");
    error_free(e);
    free(bin), free(prog), free(noexec), free(adir), free(pathenv);
}

/* ---------- process_precheck ---------- */

static void test_precheck(void) {
    bool cap_resource = own_caps("CapEff") & BIT(CAP_SYS_RESOURCE);
    struct rlimit cur;
    getrlimit(RLIMIT_NOFILE, &cur);
    struct oci_rlimit rl[2] = {
        {.resource = RLIMIT_CORE, .name = "RLIMIT_CORE", .soft = 0, .hard = 0},
        {.resource = RLIMIT_NOFILE, .name = "RLIMIT_NOFILE", .soft = 1024, .hard = (uint64_t)cur.rlim_max},
    };
    struct oci_process p = {.rlimits = rl, .n_rlimits = 2, .cwd = "/"};
    struct error *e = NULL;
    int r = process_precheck(&p, &e);
    ok(r == 0, "rlimits at the caller's hard limit pass (%s)", e ? e->msg : "");
    error_free(e), e = NULL;

    if (!cap_resource) {
        rl[1].hard = (uint64_t)cur.rlim_max + 1;
        char *want = xasprintf("process.rlimits[1] (RLIMIT_NOFILE): hard limit %llu is above the caller's hard limit "
                               "%llu and hull lacks CAP_SYS_RESOURCE",
                               (unsigned long long)rl[1].hard, (unsigned long long)cur.rlim_max);
        r = process_precheck(&p, &e);
        expect_error(r, e, EPERM, want, true, "RLIMIT_NOFILE above the hard limit is refused, naming the index");
        free(want), error_free(e), e = NULL;
    } else {
        ok(1, "# skip hull holds CAP_SYS_RESOURCE: raising the hard limit is allowed");
    }
    rl[1].hard = (uint64_t)cur.rlim_max;
    rl[1].soft = rl[1].hard + 1;
    r = process_precheck(&p, &e);
    expect_error(r, e, EINVAL, "process.rlimits[1] (RLIMIT_NOFILE): soft limit", false, "soft above hard is refused");
    error_free(e), e = NULL;
    p.n_rlimits = 0;

    int64_t oom = read_int("/proc/self/oom_score_adj");
    p.has_oom_score_adj = true;
    p.oom_score_adj = (int)oom + 10;
    r = process_precheck(&p, &e);
    ok(r == 0, "oomScoreAdj above the caller's passes");
    error_free(e), e = NULL;
    if (oom > -1000) {
        /* the kernel's floor is a privileged ancestor's lowest value, not the caller's own */
        p.oom_score_adj = (int)oom - 1;
        r = process_precheck(&p, &e);
        ok(r == 0, "oomScoreAdj below the caller's passes the precheck (the kernel decides)");
        error_free(e), e = NULL;
    }
    p.has_oom_score_adj = false;

    p.apparmor_profile = "hull-test-not-loaded";
    r = process_precheck(&p, &e);
    bool aa = lsm_apparmor_enabled();
    expect_error(r, e, aa ? ENOENT : EOPNOTSUPP,
                 aa ? "process.apparmorProfile: \"hull-test-not-loaded\": no such AppArmor profile is loaded"
                    : "process.apparmorProfile: \"hull-test-not-loaded\": AppArmor is not enabled on this host",
                 false, "an apparmorProfile that cannot be applied is an error, never ignored");
    error_free(e), e = NULL;
    p.apparmor_profile = "unconfined";
    r = process_precheck(&p, &e);
    if (aa)
        ok(r >= 0, "apparmorProfile \"unconfined\" needs no loaded profile");
    else
        expect_error(r, e, EOPNOTSUPP, "process.apparmorProfile: \"unconfined\": AppArmor is not enabled", false,
                     "even \"unconfined\" is refused without AppArmor");
    error_free(e), e = NULL;
    p.apparmor_profile = NULL;
    p.selinux_label = "system_u:system_r:container_t:s0";
    r = process_precheck(&p, &e);
    if (lsm_selinux_enabled())
        ok(r >= 0, "selinuxLabel passes the precheck where SELinux is enabled");
    else
        expect_error(r, e, EOPNOTSUPP, "process.selinuxLabel: \"system_u:system_r:container_t:s0\": SELinux is not enabled",
                     false, "selinuxLabel is an error without SELinux, never ignored");
    error_free(e), e = NULL;
    p.selinux_label = NULL;

    struct oci_capabilities caps = {.bounding = BIT(CAP_KILL) | BIT(CAP_NET_BIND_SERVICE),
                                    .permitted = BIT(CAP_KILL) | BIT(CAP_NET_BIND_SERVICE),
                                    .effective = BIT(CAP_KILL),
                                    .inheritable = BIT(CAP_KILL),
                                    .ambient = BIT(CAP_NET_BIND_SERVICE)};
    p.capabilities = &caps;
    r = process_precheck(&p, &e);
    ok(r >= 0, "an ambient capability outside inheritable passes the precheck (skipped with a warning, as runc does)");
    error_free(e), e = NULL;
    caps.ambient = 0;
    caps.effective = BIT(CAP_CHOWN);
    r = process_precheck(&p, &e);
    expect_error(r, e, EINVAL, "process.capabilities.effective: CAP_CHOWN not in permitted", true,
                 "an effective capability outside permitted is refused");
    error_free(e), e = NULL;
    caps.effective = BIT(CAP_KILL);
    r = process_precheck(&p, &e);
    ok(r == 0, "consistent capability sets pass");
    error_free(e), e = NULL;
    p.capabilities = NULL;

    p.exec_cpu_affinity_initial = "0-1,x";
    r = process_precheck(&p, &e);
    expect_error(r, e, EINVAL, "process.execCPUAffinity.initial: invalid CPU list \"0-1,x\"", false,
                 "a malformed CPU list is refused");
    error_free(e), e = NULL;
    p.exec_cpu_affinity_initial = "3-1";
    r = process_precheck(&p, &e);
    ok(r == -EINVAL, "a reversed CPU range is refused");
    error_free(e), e = NULL;
    p.exec_cpu_affinity_initial = "0-1,7";
    p.exec_cpu_affinity_final = "0";
    r = process_precheck(&p, &e);
    ok(r == 0, "valid CPU lists pass");
    error_free(e), e = NULL;
    ok(process_precheck(NULL, &e) == 0, "no process: nothing to check");
}

/* ---------- process_apply_attributes (in children) ---------- */

static void report_attributes(int out) {
    struct rlimit nofile, core;
    getrlimit(RLIMIT_NOFILE, &nofile);
    getrlimit(RLIMIT_CORE, &core);
    mode_t um = umask(0);
    char cwd[256] = "";
    (void)!getcwd(cwd, sizeof(cwd));
    cpu_set_t cs;
    CPU_ZERO(&cs);
    sched_getaffinity(0, sizeof(cs), &cs);
    int first = -1;
    for (int i = 0; i < CPU_SETSIZE; i++)
        if (CPU_ISSET(i, &cs) && first < 0)
            first = i;
    errno = 0;
    int nice = getpriority(PRIO_PROCESS, 0);
    dprintf(out, "nofile=%llu/%llu core=%llu/%llu umask=%03o cwd=%s oom=%lld policy=%d nice=%d ioprio=%ld cpus=%d:%d "
                 "pers=%#x",
            (unsigned long long)nofile.rlim_cur, (unsigned long long)nofile.rlim_max,
            (unsigned long long)core.rlim_cur, (unsigned long long)core.rlim_max, (unsigned)um, cwd,
            (long long)read_int("/proc/self/oom_score_adj"), sched_getscheduler(0), nice,
            syscall(SYS_ioprio_get, IOPRIO_WHO_PROCESS, 0), CPU_COUNT(&cs), first,
            (unsigned)personality(0xffffffff) & 0xff);
}

struct attr_case {
    struct oci_process *p;
    struct oci_linux *linux;
    bool final;
};

static void child_apply(int out, void *arg) {
    struct attr_case *c = arg;
    struct error *e = NULL;
    umask(077);
    if (process_apply_attributes(c->p, c->linux, &e) < 0 || (c->final && process_apply_final_affinity(c->p, &e) < 0)) {
        dprintf(out, "error: %s", e->msg);
        return;
    }
    report_attributes(out);
}

static void test_apply_attributes(void) {
    struct oci_rlimit rl[2] = {
        {.resource = RLIMIT_CORE, .name = "RLIMIT_CORE", .soft = 0, .hard = 0},
        {.resource = RLIMIT_NOFILE, .name = "RLIMIT_NOFILE", .soft = 1000, .hard = 2000},
    };
    struct oci_scheduler sched = {.policy = SCHED_BATCH, .nice = 5};
    struct oci_personality pers = {.domain = "LINUX32", .persona = PER_LINUX32};
    struct oci_linux lx = {.personality = &pers};
    struct oci_process p = {
        .rlimits = rl,
        .n_rlimits = 2,
        .has_umask = true,
        .umask = 027,
        .cwd = tmpdir,
        .has_oom_score_adj = true,
        .oom_score_adj = 500,
        .scheduler = &sched,
        .ioprio_class = OCI_IOPRIO_BE,
        .ioprio_priority = 4,
        .exec_cpu_affinity_initial = "0",
    };
    struct attr_case c = {.p = &p, .linux = &lx};
    char *got = in_child(child_apply, &c);
    char *want = xasprintf("nofile=1000/2000 core=0/0 umask=027 cwd=%s oom=500 policy=%d nice=5 ioprio=%d cpus=1:0 "
                           "pers=%#x",
                           tmpdir, SCHED_BATCH, (IOPRIO_CLASS_BE << IOPRIO_CLASS_SHIFT) | 4, PER_LINUX32);
    ok(strcmp(got, want) == 0, "rlimits, umask, cwd, oomScoreAdj, scheduler, ioPriority, affinity, personality");
    if (strcmp(got, want) != 0)
        diag("got  %s\n# want %s", got, want);
    free(got), free(want);

    if (sysconf(_SC_NPROCESSORS_ONLN) >= 2) {
        p.exec_cpu_affinity_final = "1";
        c.final = true;
        got = in_child(child_apply, &c);
        ok(strstr(got, "cpus=1:1") != NULL, "execCPUAffinity.final moves the process to CPU 1 (%s)", got);
        free(got);
        c.final = false;
        p.exec_cpu_affinity_final = NULL;
    }

    struct oci_process q = {.cwd = "/"};
    c = (struct attr_case){.p = &q};
    got = in_child(child_apply, &c);
    ok(strstr(got, "umask=022 cwd=/ ") != NULL, "no umask: 0022 (runc's default)");
    ok(strstr(got, "oom=0 ") || !strstr(got, "oom=500"), "no oomScoreAdj: left as it was");
    free(got);

    q.cwd = "/nonexistent-hull-cwd";
    got = in_child(child_apply, &c);
    ok(strcmp(got, "error: process.cwd: chdir /nonexistent-hull-cwd: No such file or directory") == 0,
       "a missing cwd names process.cwd (%s)", got);
    free(got);

    if (!(own_caps("CapEff") & BIT(CAP_SYS_RESOURCE))) {
        struct rlimit cur;
        getrlimit(RLIMIT_NOFILE, &cur);
        rl[1].soft = rl[1].hard = (uint64_t)cur.rlim_max + 1;
        c = (struct attr_case){.p = &p, .linux = &lx};
        got = in_child(child_apply, &c);
        ok(str_has_prefix(got, "error: process.rlimits[1] (RLIMIT_NOFILE): setrlimit") &&
               strstr(got, "Operation not permitted"),
           "a refused setrlimit names the index and the resource (%s)", got);
        free(got);
    }

    pers.flags = (char *[]){"FLAG", NULL};
    c = (struct attr_case){.p = &q, .linux = &lx};
    q.cwd = "/";
    got = in_child(child_apply, &c);
    ok(strstr(got, "error: linux.personality.flags") != NULL, "personality flags are an error, not ignored");
    free(got);
}

/* ---------- process_set_identity (in children) ---------- */

static void child_identity(int out, void *arg) {
    struct error *e = NULL;
    if (process_set_identity(arg, &e) < 0) {
        dprintf(out, "error: %s", e->msg);
        return;
    }
    char *st = NULL;
    read_file("/proc/self/status", &st, NULL, NULL);
    dprintf(out, "%s", st ? st : "");
}

static void check_field(const char *status, const char *key, const char *want) {
    char *v = status_field(status, key);
    ok(strcmp(v, want) == 0, "%s: %s", key, want ? want : "(null)");
    if (strcmp(v, want) != 0)
        diag("got %s", v);
    free(v);
}

static void check_caps(const char *status, const char *key, uint64_t want) {
    char w[32];
    snprintf(w, sizeof(w), "%016llx", (unsigned long long)want);
    check_field(status, key, w);
}

static void test_set_identity(void) {
    uint64_t host_prm = own_caps("CapPrm"), host_bnd = own_caps("CapBnd");
    uint64_t base = BIT(CAP_CHOWN) | BIT(CAP_KILL) | BIT(CAP_NET_BIND_SERVICE);
    /* CAP_SYS_RESOURCE: not held here, so it must be skipped with a warning, not fail */
    struct oci_capabilities caps = {
        .bounding = base | BIT(CAP_SYS_RESOURCE),
        .permitted = base | BIT(CAP_SYS_RESOURCE),
        .effective = base,
        .inheritable = BIT(CAP_KILL) | BIT(CAP_NET_BIND_SERVICE),
        .ambient = BIT(CAP_NET_BIND_SERVICE),
    };
    uint32_t gids[] = {1001, 1002};
    struct oci_process p = {.uid = 1000, .gid = 1000, .additional_gids = gids, .n_additional_gids = 2,
                            .capabilities = &caps, .no_new_privileges = true, .cwd = "/"};
    char *st = in_child(child_identity, &p);
    if (!ok(!str_has_prefix(st, "error"), "uid 1000 with capabilities: no error"))
        diag("%.300s", st);
    check_field(st, "Uid", "1000 1000 1000 1000");
    check_field(st, "Gid", "1000 1000 1000 1000");
    check_field(st, "Groups", "1001 1002");
    check_caps(st, "CapEff", base);
    check_caps(st, "CapPrm", (base | BIT(CAP_SYS_RESOURCE)) & host_prm);
    check_caps(st, "CapInh", BIT(CAP_KILL) | BIT(CAP_NET_BIND_SERVICE));
    check_caps(st, "CapBnd", (base | BIT(CAP_SYS_RESOURCE)) & host_bnd);
    check_caps(st, "CapAmb", BIT(CAP_NET_BIND_SERVICE));
    check_field(st, "NoNewPrivs", "1");
    free(st);

    struct oci_process q = {.uid = 1000, .gid = 1000, .cwd = "/"};
    st = in_child(child_identity, &q);
    check_field(st, "Uid", "1000 1000 1000 1000");
    check_field(st, "Groups", "");
    check_caps(st, "CapEff", 0);
    check_caps(st, "CapPrm", 0);
    check_caps(st, "CapBnd", host_bnd);
    check_field(st, "NoNewPrivs", "0");
    free(st);

    struct oci_capabilities bad = {.bounding = base, .permitted = base, .effective = base, .ambient = BIT(CAP_KILL)};
    q.capabilities = &bad;
    st = in_child(child_identity, &q);
    ok(!str_has_prefix(st, "error:"), "an ambient capability outside inheritable is skipped, not an error (%s)", st);
    if (!str_has_prefix(st, "error:"))
        check_caps(st, "CapAmb", 0);
    free(st);
}

/* In a user namespace where setgroups is denied: additionalGids is a clear error; none is fine. */
static void child_userns_groups(int out, void *arg) {
    struct oci_process *p = arg;
    if (unshare(CLONE_NEWUSER) < 0) {
        dprintf(out, "unshare: %s", strerror(errno));
        return;
    }
    struct error *e = NULL;
    if (write_file_at(AT_FDCWD, "/proc/self/setgroups", "deny", &e) < 0 ||
        write_file_at(AT_FDCWD, "/proc/self/gid_map", "0 0 1", &e) < 0 ||
        write_file_at(AT_FDCWD, "/proc/self/uid_map", "0 0 1", &e) < 0) {
        dprintf(out, "setup: %s", e->msg);
        return;
    }
    if (process_set_identity(p, &e) < 0)
        dprintf(out, "error: %s", e->msg);
    else
        dprintf(out, "done");
}

static void test_setgroups_denied(void) {
    uint32_t gids[] = {0};
    struct oci_process p = {.uid = 0, .gid = 0, .additional_gids = gids, .n_additional_gids = 1, .cwd = "/"};
    char *got = in_child(child_userns_groups, &p);
    ok(strcmp(got, "error: process.user.additionalGids: setgroups is denied in this user namespace "
                   "(/proc/self/setgroups is \"deny\")") == 0,
       "setgroups denied with additionalGids: a clear error (%s)", got);
    free(got);
    p.n_additional_gids = 0;
    got = in_child(child_userns_groups, &p);
    ok(strcmp(got, "done") == 0, "setgroups denied without additionalGids: fine (%s)", got);
    free(got);
}

/* ---------- process_close_fds ---------- */

static void child_close_fds(int out, void *arg) {
    (void)arg;
    int a = open("/dev/null", O_RDONLY), b = open("/dev/null", O_RDONLY), c = open("/dev/null", O_RDONLY);
    struct error *e = NULL;
    /* keep a: preserve = a - 3 + 1 */
    if (process_close_fds(a - 3 + 1, &e) < 0) {
        dprintf(out, "error: %s", e->msg);
        return;
    }
    dprintf(out, "a=%d b=%d c=%d out=%d", fcntl(a, F_GETFD) & FD_CLOEXEC, fcntl(b, F_GETFD) & FD_CLOEXEC,
            fcntl(c, F_GETFD) & FD_CLOEXEC, out > a ? (fcntl(out, F_GETFD) & FD_CLOEXEC) : 1);
}

static void test_close_fds(void) {
    char *got = in_child(child_close_fds, NULL);
    ok(strcmp(got, "a=0 b=1 c=1 out=1") == 0, "fds past the preserved ones are close-on-exec (%s)", got);
    free(got);
}

int main(void) {
    snprintf(tmpdir, sizeof(tmpdir), "/tmp/hull-test-process-XXXXXX");
    if (!mkdtemp(tmpdir)) {
        ok(0, "mkdtemp");
        return tap_done();
    }
    chmod(tmpdir, 0755);
    test_find_executable();
    test_precheck();
    test_apply_attributes();
    test_set_identity();
    test_setgroups_denied();
    test_close_fds();
    char *cmd = xasprintf("rm -rf '%s'", tmpdir);
    ok(system(cmd) == 0 && access(tmpdir, F_OK) < 0, "temporary files removed");
    free(cmd);
    return tap_done();
}
