/* Unit tests of libcontainer/hooks.h: state on stdin, args and env, exit status, signals, exec
 * failures, timeouts, the fds a hook inherits. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../../base/util.h"
#include "../../libcontainer/hooks.h"
#include "tap.h"

static char tmpdir[64];

static char *slurp(const char *name) {
    char *path = xasprintf("%s/%s", tmpdir, name), *s = NULL;
    if (read_file(path, &s, NULL, NULL) < 0)
        s = NULL;
    free(path);
    return s;
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A spec whose hooks of one kind are `sh -c SCRIPT` (args[0] "sh", $0 "hook"), env as given. */
static void set_sh_hooks(struct oci_spec *spec, enum oci_hook_kind kind, struct oci_hook *items, size_t n) {
    memset(spec, 0, sizeof(*spec));
    spec->hooks[kind].items = items;
    spec->hooks[kind].n = n;
}

static struct oci_hook sh_hook(const char *script, char **env, int timeout) {
    char **args = xcalloc(6, sizeof(char *));
    args[0] = xstrdup("sh");
    args[1] = xstrdup("-c");
    args[2] = xstrdup(script);
    args[3] = xstrdup("hook");
    args[4] = xstrdup("first arg");
    return (struct oci_hook){.path = "/bin/sh", .args = args, .env = env, .timeout = timeout};
}

static void hook_free(struct oci_hook *h) { strv_free(h->args); }

static void test_state_args_env(void) {
    char *script = xasprintf("cat > %s/state; printf '%%s|%%s|%%s' \"$0\" \"$1\" \"$FOO\" > %s/args; env > %s/env",
                             tmpdir, tmpdir, tmpdir);
    char *env[] = {"FOO=bar baz", NULL};
    struct oci_hook h = sh_hook(script, env, 5);
    struct oci_spec spec;
    set_sh_hooks(&spec, OCI_HOOK_PRESTART, &h, 1);
    const char *state = "{\"ociVersion\":\"1.2.0\",\"id\":\"c1\",\"status\":\"creating\",\"pid\":42,\"bundle\":\"/b\"}";
    struct error *e = NULL;
    int r = hooks_run(&spec, OCI_HOOK_PRESTART, state, &e);
    ok(r == 0, "a hook that succeeds: no error (%s)", e ? e->msg : "");
    char *got = slurp("state");
    ok(got && strcmp(got, state) == 0, "the state JSON arrives on stdin");
    free(got);
    got = slurp("args");
    ok(got && strcmp(got, "hook|first arg|bar baz") == 0, "args and env are passed (%s)", got ? got : "-");
    free(got);
    got = slurp("env");
    ok(got && !strstr(got, "HOME=") && strstr(got, "FOO=bar baz"), "the environment is hook.env only");
    free(got);
    hook_free(&h);
    error_free(e);
    free(script);
}

static void test_no_args_no_env(void) {
    /* args NULL: argv = [path]; env NULL: empty environment */
    char *script = xasprintf("%s/noargs.sh", tmpdir);
    char *body = xasprintf("#!/bin/sh\nprintf '%%s:%%s:%%s' \"$0\" \"$#\" \"$(env | grep -v '^PWD=' | wc -l)\" > %s/noargs\n",
                           tmpdir);
    write_file_atomic(script, body, strlen(body), 0755, NULL);
    struct oci_hook h = {.path = script};
    struct oci_spec spec;
    set_sh_hooks(&spec, OCI_HOOK_POSTSTOP, &h, 1);
    struct error *e = NULL;
    int r = hooks_run(&spec, OCI_HOOK_POSTSTOP, "{}", &e);
    char *got = slurp("noargs"), *want = xasprintf("%s:0:0", script);
    ok(r == 0 && got && strcmp(got, want) == 0, "no args: argv is [path]; no env: empty (%s)", got ? got : "-");
    free(got), free(want), free(body), free(script);
    error_free(e);
}

static void test_failure_stops(void) {
    char *later = xasprintf("touch %s/later", tmpdir);
    struct oci_hook hs[3] = {sh_hook("exit 0", NULL, 0), sh_hook("exit 3", NULL, 0), sh_hook(later, NULL, 0)};
    struct oci_spec spec;
    set_sh_hooks(&spec, OCI_HOOK_CREATE_RUNTIME, hs, 3);
    struct error *e = NULL;
    int r = hooks_run(&spec, OCI_HOOK_CREATE_RUNTIME, "{}", &e);
    ok(r < 0 && e && strcmp(e->msg, "hooks.createRuntime[1] (/bin/sh): exited with status 3") == 0,
       "a non-zero exit names the kind, index, path and status (%s)", e ? e->msg : "-");
    char *p = xasprintf("%s/later", tmpdir);
    ok(access(p, F_OK) < 0, "the hooks after a failure do not run");
    free(p), free(later);
    for (int i = 0; i < 3; i++)
        hook_free(&hs[i]);
    error_free(e);
}

static void test_signal_and_exec_failure(void) {
    struct oci_hook h = sh_hook("kill -9 $$", NULL, 0);
    struct oci_spec spec;
    set_sh_hooks(&spec, OCI_HOOK_POSTSTART, &h, 1);
    struct error *e = NULL;
    int r = hooks_run(&spec, OCI_HOOK_POSTSTART, "{}", &e);
    ok(r < 0 && e && strcmp(e->msg, "hooks.poststart[0] (/bin/sh): killed by signal 9") == 0,
       "a hook killed by a signal (%s)", e ? e->msg : "-");
    hook_free(&h);
    error_free(e), e = NULL;

    struct oci_hook missing = {.path = "/nonexistent/hook"};
    set_sh_hooks(&spec, OCI_HOOK_CREATE_CONTAINER, &missing, 1);
    r = hooks_run(&spec, OCI_HOOK_CREATE_CONTAINER, "{}", &e);
    ok(r == -ENOENT && e &&
           strcmp(e->msg, "hooks.createContainer[0] (/nonexistent/hook): exec: No such file or directory") == 0,
       "a hook that cannot be executed (%s)", e ? e->msg : "-");
    error_free(e);
}

static void test_timeout(void) {
    struct oci_hook h = {.path = "/bin/sleep", .args = (char *[]){"sleep", "10", NULL}, .timeout = 1};
    struct oci_spec spec;
    set_sh_hooks(&spec, OCI_HOOK_START_CONTAINER, &h, 1);
    struct error *e = NULL;
    double t0 = now();
    int r = hooks_run(&spec, OCI_HOOK_START_CONTAINER, "{}", &e);
    double dt = now() - t0;
    ok(r == -ETIMEDOUT && e && strcmp(e->msg, "hooks.startContainer[0] (/bin/sleep): timed out after 1s") == 0,
       "a hook past its timeout fails (%s)", e ? e->msg : "-");
    ok(dt >= 0.9 && dt < 3.0, "and is killed at the timeout (%.2fs)", dt);
    error_free(e);
}

static void test_big_state_unread(void) {
    /* 1 MiB of state to a hook that exits without reading: EPIPE is not an error, no SIGPIPE */
    size_t n = 1 << 20;
    char *state = xmalloc(n + 1);
    memset(state, 'x', n);
    state[n] = '\0';
    struct oci_hook h = sh_hook("exit 0", NULL, 5);
    struct oci_spec spec;
    set_sh_hooks(&spec, OCI_HOOK_PRESTART, &h, 1);
    struct error *e = NULL;
    int r = hooks_run(&spec, OCI_HOOK_PRESTART, state, &e);
    ok(r == 0, "a hook that ignores a large state on stdin succeeds (%s)", e ? e->msg : "");
    sigset_t pending;
    sigpending(&pending);
    ok(!sigismember(&pending, SIGPIPE), "no SIGPIPE left pending");
    error_free(e), e = NULL;
    hook_free(&h);

    char *script = xasprintf("wc -c > %s/count", tmpdir);
    h = sh_hook(script, NULL, 5);
    set_sh_hooks(&spec, OCI_HOOK_PRESTART, &h, 1);
    r = hooks_run(&spec, OCI_HOOK_PRESTART, state, &e);
    char *got = slurp("count");
    ok(r == 0 && got && atoi(got) == (int)n, "a hook reads all of a 1 MiB state (%s)", got ? got : "-");
    free(got), free(script), free(state);
    hook_free(&h);
    error_free(e);
}

static void test_fds_closed(void) {
    int fd = open("/dev/null", O_RDONLY); /* not close-on-exec: the hook must still not see it */
    char *script = xasprintf("[ -e /proc/$$/fd/%d ] && exit 1; [ -e /proc/$$/fd/0 ] || exit 2; exit 0", fd);
    struct oci_hook h = sh_hook(script, NULL, 5);
    struct oci_spec spec;
    set_sh_hooks(&spec, OCI_HOOK_PRESTART, &h, 1);
    struct error *e = NULL;
    int r = hooks_run(&spec, OCI_HOOK_PRESTART, "{}", &e);
    ok(r == 0, "the hook inherits no fd beyond 0-2 (%s)", e ? e->msg : "");
    ok(fcntl(fd, F_GETFD) == 0, "and hull's own fd is untouched");
    close(fd);
    free(script);
    hook_free(&h);
    error_free(e);
}

static void test_kind_names(void) {
    const char *want[] = {"prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop"};
    bool all = true;
    for (int k = 0; k < OCI_HOOK__COUNT; k++)
        all &= strcmp(hooks_kind_name(k), want[k]) == 0;
    ok(all, "hooks_kind_name gives the config.json names");
    struct oci_spec spec = {0};
    struct error *e = NULL;
    ok(hooks_run(&spec, OCI_HOOK_POSTSTOP, "{}", &e) == 0 && !e, "no hooks: nothing to do");
}

int main(void) {
    snprintf(tmpdir, sizeof(tmpdir), "/tmp/hull-test-hooks-XXXXXX");
    if (!mkdtemp(tmpdir)) {
        ok(0, "mkdtemp");
        return tap_done();
    }
    signal(SIGPIPE, SIG_DFL); /* a stray SIGPIPE would kill the test */
    test_state_args_env();
    test_no_args_no_env();
    test_failure_stops();
    test_signal_and_exec_failure();
    test_timeout();
    test_big_state_unread();
    test_fds_closed();
    test_kind_names();
    char *cmd = xasprintf("rm -rf '%s'", tmpdir);
    ok(system(cmd) == 0 && access(tmpdir, F_OK) < 0, "temporary files removed");
    free(cmd);
    return tap_done();
}
