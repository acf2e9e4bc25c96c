/* Unit tests of security/seccomp.h: compiling every action, operator, architecture and flag;
 * unknown syscalls warned and skipped; bad entries named; and (in forked children) the exported
 * filter's effect once loaded, and the listener hand-off to a socket. */
#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../base/cleanup.h"
#include "../../base/log.h"
#include "../../base/util.h"
#include "../../oci/internal.h" /* the spec enums: oci_seccomp_actions... */
#include "../../oci/oci.h"
#include "../../security/seccomp.h"
#include "tap.h"

static char tmpdir[64];

static struct oci_seccomp_syscall rule(char **names, const char *action) {
    return (struct oci_seccomp_syscall){.names = names, .action = (char *)action};
}

/* Compile; on failure keep the message in *msg (the caller frees). */
static int compile(struct oci_seccomp *sc, struct seccomp_filter **f, char **msg) {
    struct error *e = NULL;
    *f = NULL;
    int r = seccomp_filter_compile(sc, f, &e);
    if (msg)
        *msg = e ? xstrdup(e->msg) : NULL;
    if (e && !msg)
        diag("%s", e->msg);
    error_free(e);
    return r;
}

/* The compile fails and its message contains want. */
static void expect_error(struct oci_seccomp *sc, const char *want, const char *what) {
    struct seccomp_filter *f = NULL;
    char *msg = NULL;
    int r = compile(sc, &f, &msg);
    ok(r < 0 && !f && msg && strstr(msg, want), "%s: error names %s (%s)", what, want, msg ? msg : "no error");
    free(msg);
}

static void test_actions(void) {
    char *names[] = {"getcwd", NULL};
    for (const char *const *a = oci_seccomp_actions; *a; a++) {
        struct oci_seccomp_syscall s = rule(names, *a);
        bool allow = strcmp(*a, "SCMP_ACT_ALLOW") == 0;
        struct oci_seccomp sc = {.default_action = allow ? "SCMP_ACT_ERRNO" : "SCMP_ACT_ALLOW",
                                 .listener_path = "/nonexistent.sock", .syscalls = &s, .n_syscalls = 1};
        struct seccomp_filter *f;
        int r = compile(&sc, &f, NULL);
        bool notify = strcmp(*a, "SCMP_ACT_NOTIFY") == 0;
        ok(r == 0 && f && f->len > 0 && f->notify == notify, "action %s compiles (%zu BPF instructions)", *a,
           f ? f->len : 0);
        seccomp_filter_free(f);
        /* and as the default action, except NOTIFY, which cannot be one */
        struct oci_seccomp d = {.default_action = (char *)*a};
        r = compile(&d, &f, NULL);
        ok(notify ? r < 0 : r == 0 && f->len > 0, "default action %s %s", *a, notify ? "refused" : "compiles");
        seccomp_filter_free(f);
    }
    struct oci_seccomp_syscall s = rule(names, "SCMP_ACT_ERRNO");
    s.has_errno_ret = true;
    s.errno_ret = 70000;
    struct oci_seccomp sc = {.default_action = "SCMP_ACT_ALLOW", .syscalls = &s, .n_syscalls = 1};
    expect_error(&sc, "linux.seccomp.syscalls[0].action: errnoRet 70000", "errnoRet out of range");
    s = rule(names, "SCMP_ACT_FOO");
    expect_error(&sc, "linux.seccomp.syscalls[0].action: unknown action \"SCMP_ACT_FOO\"", "unknown action");
    struct oci_seccomp bad_default = {.default_action = "SCMP_ACT_NOPE"};
    expect_error(&bad_default, "linux.seccomp.defaultAction", "unknown default action");
}

static void test_operators(void) {
    char *names[] = {"kill", NULL};
    for (const char *const *o = oci_seccomp_operators; *o; o++) {
        struct oci_seccomp_arg a = {.index = 1, .value = 9, .value_two = 9, .op = (char *)*o};
        struct oci_seccomp_syscall s = rule(names, "SCMP_ACT_ERRNO");
        s.args = &a;
        s.n_args = 1;
        struct oci_seccomp sc = {.default_action = "SCMP_ACT_ALLOW", .syscalls = &s, .n_syscalls = 1};
        struct seccomp_filter *f;
        ok(compile(&sc, &f, NULL) == 0 && f->len > 0, "operator %s compiles", *o);
        seccomp_filter_free(f);
    }
    /* several args: ANDed in one rule; one index twice: one rule per arg (libseccomp refuses it) */
    struct oci_seccomp_arg two[] = {{.index = 0, .value = 1, .op = "SCMP_CMP_GT"},
                                    {.index = 1, .value = 9, .op = "SCMP_CMP_EQ"}};
    struct oci_seccomp_syscall s = rule(names, "SCMP_ACT_ERRNO");
    s.args = two;
    s.n_args = 2;
    struct oci_seccomp sc = {.default_action = "SCMP_ACT_ALLOW", .syscalls = &s, .n_syscalls = 1};
    struct seccomp_filter *f;
    ok(compile(&sc, &f, NULL) == 0, "two args on two indexes compile");
    seccomp_filter_free(f);
    two[1].index = 0;
    two[1].op = "SCMP_CMP_LT";
    ok(compile(&sc, &f, NULL) == 0, "two args on one index compile (split into two rules)");
    seccomp_filter_free(f);
    two[1].op = "SCMP_CMP_BOGUS";
    expect_error(&sc, "linux.seccomp.syscalls[0].args[1].op: unknown operator", "bad operator");
    two[1].op = "SCMP_CMP_EQ";
    two[1].index = 6;
    expect_error(&sc, "linux.seccomp.syscalls[0].args[1].index", "bad index");
}

static void test_archs_and_flags(void) {
    size_t n = 0;
    for (const char *const *a = oci_seccomp_archs; *a; a++) {
        char *archs[] = {(char *)*a, NULL};
        struct oci_seccomp sc = {.default_action = "SCMP_ACT_ALLOW", .architectures = archs};
        struct seccomp_filter *f;
        char *msg = NULL;
        int r = compile(&sc, &f, &msg);
        if (r < 0 && msg && strstr(msg, "not known to libseccomp")) {
            diag("%s: not known to this libseccomp", *a);
        } else {
            n++;
            ok(r == 0 && f->len > 0, "architecture %s compiles%s%s", *a, msg ? ": " : "", msg ? msg : "");
        }
        free(msg);
        seccomp_filter_free(f);
    }
    ok(n >= 3, "%zu architectures compile", n);
    char *bad[] = {"SCMP_ARCH_X86_64", "SCMP_ARCH_VAX", NULL};
    struct oci_seccomp sc = {.default_action = "SCMP_ACT_ALLOW", .architectures = bad};
    expect_error(&sc, "linux.seccomp.architectures[1]", "unknown architecture");

    static const unsigned want[] = {SECCOMP_FILTER_FLAG_TSYNC, SECCOMP_FILTER_FLAG_LOG,
                                    SECCOMP_FILTER_FLAG_SPEC_ALLOW, 1U << 5};
    for (size_t i = 0; oci_seccomp_flags[i]; i++) {
        char *flags[] = {(char *)oci_seccomp_flags[i], NULL};
        struct oci_seccomp s2 = {.default_action = "SCMP_ACT_ALLOW", .flags = flags};
        struct seccomp_filter *f;
        ok(compile(&s2, &f, NULL) == 0 && f->flags == want[i], "flag %s -> 0x%x", flags[0], want[i]);
        seccomp_filter_free(f);
    }
    char *badf[] = {"SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_NOPE", NULL};
    struct oci_seccomp s3 = {.default_action = "SCMP_ACT_ALLOW", .flags = badf};
    expect_error(&s3, "linux.seccomp.flags[1]", "unknown flag");
}

static void test_unknown_syscall_and_notify(void) {
    _cleanup_free_ char *logpath = xasprintf("%s/log", tmpdir);
    log_init(logpath, false, false);
    char *names[] = {"getcwd", "no_such_syscall_x", NULL};
    struct oci_seccomp_syscall s = rule(names, "SCMP_ACT_ERRNO");
    struct oci_seccomp sc = {.default_action = "SCMP_ACT_ALLOW", .syscalls = &s, .n_syscalls = 1};
    struct seccomp_filter *f;
    ok(compile(&sc, &f, NULL) == 0 && f->len > 0, "an unknown syscall name does not fail the compile");
    seccomp_filter_free(f);
    _cleanup_free_ char *log = NULL;
    read_file(logpath, &log, NULL, NULL);
    ok(log && strstr(log, "linux.seccomp.syscalls[0].names[1]") && strstr(log, "no_such_syscall_x"),
       "... and is warned about by path and name: %s", log ? log : "(no log)");

    /* a rule with the default action is skipped (libseccomp refuses it) */
    struct oci_seccomp_syscall same = rule(names, "SCMP_ACT_ALLOW");
    sc.syscalls = &same;
    ok(compile(&sc, &f, NULL) == 0, "a rule with the default action is skipped");
    seccomp_filter_free(f);

    struct oci_seccomp_syscall n = rule(names, "SCMP_ACT_NOTIFY");
    sc.syscalls = &n;
    expect_error(&sc, "linux.seccomp.listenerPath", "NOTIFY without listenerPath");
    struct oci_seccomp_syscall empty = rule((char *[]){NULL}, "SCMP_ACT_ERRNO");
    sc.syscalls = &empty;
    expect_error(&sc, "linux.seccomp.syscalls[0].names", "a rule without names");
}

/* ---------- loaded, in forked children ---------- */

static int child_status(pid_t pid) {
    int st;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    return st;
}

/* uname() under an ERRNO(42) rule, with no_new_privs: the child exits with uname's errno. */
static void test_load_errno(void) {
    char *names[] = {"uname", NULL};
    struct oci_seccomp_syscall s = rule(names, "SCMP_ACT_ERRNO");
    s.has_errno_ret = true;
    s.errno_ret = 42;
    struct oci_seccomp sc = {.default_action = "SCMP_ACT_ALLOW", .syscalls = &s, .n_syscalls = 1};
    struct seccomp_filter *f;
    if (compile(&sc, &f, NULL) < 0) {
        ok(0, "compile for the load test");
        return;
    }
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
        if (seccomp_filter_load(f, NULL) != 0)
            _exit(100);
        struct utsname u;
        _exit(uname(&u) < 0 ? errno : 0);
    }
    int st = child_status(pid);
    ok(WIFEXITED(st) && WEXITSTATUS(st) == 42, "loaded: uname fails with errnoRet 42 (status 0x%x)", st);

    /* KILL_PROCESS: the child dies of SIGSYS */
    s.action = "SCMP_ACT_KILL_PROCESS";
    s.has_errno_ret = false;
    seccomp_filter_free(f);
    compile(&sc, &f, NULL);
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
        if (seccomp_filter_load(f, NULL) != 0)
            _exit(100);
        struct utsname u;
        uname(&u);
        _exit(0);
    }
    st = child_status(pid);
    ok(WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS, "loaded: KILL_PROCESS kills with SIGSYS (status 0x%x)", st);
    seccomp_filter_free(f);
}

/* NOTIFY: the load returns a listener; seccomp_listener_send hands it, with the state, to a socket. */
static void test_notify_send(void) {
    char *names[] = {"uname", NULL};
    struct oci_seccomp_syscall s = rule(names, "SCMP_ACT_NOTIFY");
    _cleanup_free_ char *path = xasprintf("%s/listener.sock", tmpdir);
    struct oci_seccomp sc = {.default_action = "SCMP_ACT_ALLOW", .listener_path = path, .syscalls = &s,
                             .n_syscalls = 1};
    struct seccomp_filter *f;
    if (compile(&sc, &f, NULL) < 0) {
        ok(0, "compile NOTIFY");
        return;
    }
    int srv = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    strcpy(a.sun_path, path);
    ok(srv >= 0 && bind(srv, (struct sockaddr *)&a, sizeof(a)) == 0 && listen(srv, 1) == 0, "listener socket");
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        close(srv);
        prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
        struct error *e = NULL;
        int fd = seccomp_filter_load(f, &e);
        if (fd < 0)
            _exit(100);
        int r = seccomp_listener_send(path, "meta \"data\"", fd, 1234, "{\"id\":\"x\"}", &e);
        _exit(r < 0 ? 101 : 0);
    }
    int conn = accept4(srv, NULL, NULL, SOCK_CLOEXEC);
    char buf[4096] = {0};
    union {
        char b[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } u;
    struct iovec iov = {buf, sizeof(buf) - 1};
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.b, .msg_controllen = sizeof(u.b)};
    ssize_t n = conn >= 0 ? recvmsg(conn, &msg, MSG_CMSG_CLOEXEC) : -1;
    int got = -1;
    struct cmsghdr *c = n > 0 ? CMSG_FIRSTHDR(&msg) : NULL;
    if (c && c->cmsg_type == SCM_RIGHTS)
        memcpy(&got, CMSG_DATA(c), sizeof(int));
    int st = child_status(pid);
    ok(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the child loaded a NOTIFY filter and sent the listener (status 0x%x)",
       st);
    ok(got >= 0, "the listener fd arrived in SCM_RIGHTS");
    _cleanup_free_ char *want = xasprintf("{\"ociVersion\":\"%s\",\"fds\":[\"seccompFd\"],\"pid\":1234,"
                                          "\"metadata\":\"meta \\\"data\\\"\",\"state\":{\"id\":\"x\"}}",
                                          OCI_RUNTIME_SPEC_VERSION);
    ok(n > 0 && strcmp(buf, want) == 0, "container process state: %s", buf);
    if (got >= 0)
        close(got);
    if (conn >= 0)
        close(conn);
    close(srv);
    unlink(path);
    seccomp_filter_free(f);
}

int main(void) {
    snprintf(tmpdir, sizeof(tmpdir), "/tmp/hull-test-seccomp-XXXXXX");
    if (!mkdtemp(tmpdir))
        return 1;
    test_actions();
    test_operators();
    test_archs_and_flags();
    test_unknown_syscall_and_notify();
    test_load_errno();
    test_notify_send();
    _cleanup_free_ char *logpath = xasprintf("%s/log", tmpdir);
    unlink(logpath);
    rmdir(tmpdir);
    return tap_done();
}
