/* linux.seccomp -> classic BPF, with libseccomp, in the parent before the fork; and the load,
 * with seccomp(2) alone, in the container process.
 *
 * The filter is exported as BPF so that the child needs neither libseccomp nor malloc: the flags
 * of linux.seccomp.flags are then seccomp(2)'s own flags, passed at load time (libseccomp's
 * CTL_TSYNC/CTL_LOG/CTL_SSB attributes only ever change those), so every flag the kernel has is
 * supported whatever libseccomp's version. */
#include "seccomp.h"

#include <errno.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../base/cleanup.h"
#include "../base/log.h"
#include "../base/util.h"

#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif
#ifndef SECCOMP_FILTER_FLAG_TSYNC_ESRCH
#define SECCOMP_FILTER_FLAG_TSYNC_ESRCH (1UL << 4)
#endif

#define SC_PATH "linux.seccomp"

static const struct {
    const char *name;
    unsigned int flag;
} flag_table[] = {
    {"SECCOMP_FILTER_FLAG_TSYNC", SECCOMP_FILTER_FLAG_TSYNC},
    {"SECCOMP_FILTER_FLAG_LOG", SECCOMP_FILTER_FLAG_LOG},
    {"SECCOMP_FILTER_FLAG_SPEC_ALLOW", SECCOMP_FILTER_FLAG_SPEC_ALLOW},
    {"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV},
};

static int flag_value(const char *name) {
    for (size_t i = 0; i < sizeof(flag_table) / sizeof(flag_table[0]); i++)
        if (strcmp(flag_table[i].name, name) == 0)
            return (int)flag_table[i].flag;
    return -1;
}

/* An OCI action (with its errnoRet) -> libseccomp's action value. */
static int action_value(const char *name, bool has_ret, uint32_t ret, const char *path, const char *key,
                        uint32_t *out, struct error **err) {
    uint32_t data = has_ret ? ret : EPERM;
    bool with_data = strcmp(name, "SCMP_ACT_ERRNO") == 0 || strcmp(name, "SCMP_ACT_TRACE") == 0;
    if (with_data && data > 0xffff)
        return error_new(err, EINVAL, "%s.%s: errnoRet %u does not fit in 16 bits", path, key, data);
    if (strcmp(name, "SCMP_ACT_KILL") == 0 || strcmp(name, "SCMP_ACT_KILL_THREAD") == 0)
        *out = SCMP_ACT_KILL_THREAD;
    else if (strcmp(name, "SCMP_ACT_KILL_PROCESS") == 0)
        *out = SCMP_ACT_KILL_PROCESS;
    else if (strcmp(name, "SCMP_ACT_TRAP") == 0)
        *out = SCMP_ACT_TRAP;
    else if (strcmp(name, "SCMP_ACT_ERRNO") == 0)
        *out = SCMP_ACT_ERRNO(data);
    else if (strcmp(name, "SCMP_ACT_TRACE") == 0)
        *out = SCMP_ACT_TRACE(data);
    else if (strcmp(name, "SCMP_ACT_ALLOW") == 0)
        *out = SCMP_ACT_ALLOW;
    else if (strcmp(name, "SCMP_ACT_LOG") == 0)
        *out = SCMP_ACT_LOG;
    else if (strcmp(name, "SCMP_ACT_NOTIFY") == 0)
        *out = SCMP_ACT_NOTIFY;
    else
        return error_new(err, EINVAL, "%s.%s: unknown action \"%s\"", path, key, name);
    return 0;
}

static int operator_value(const char *name, enum scmp_compare *out) {
    static const struct {
        const char *name;
        enum scmp_compare op;
    } ops[] = {
        {"SCMP_CMP_NE", SCMP_CMP_NE}, {"SCMP_CMP_LT", SCMP_CMP_LT}, {"SCMP_CMP_LE", SCMP_CMP_LE},
        {"SCMP_CMP_EQ", SCMP_CMP_EQ}, {"SCMP_CMP_GE", SCMP_CMP_GE}, {"SCMP_CMP_GT", SCMP_CMP_GT},
        {"SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ},
    };
    for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
        if (name && strcmp(ops[i].name, name) == 0) {
            *out = ops[i].op;
            return 0;
        }
    return -EINVAL;
}

static int add_archs(scmp_filter_ctx ctx, char **archs, struct error **err) {
    for (size_t i = 0; archs && archs[i]; i++) {
        const char *a = archs[i];
        char name[32];
        size_t n = 0;
        if (str_has_prefix(a, "SCMP_ARCH_"))
            for (const char *s = a + strlen("SCMP_ARCH_"); *s && n < sizeof(name) - 1; s++)
                name[n++] = (char)(*s >= 'A' && *s <= 'Z' ? *s - 'A' + 'a' : *s);
        name[n] = '\0';
        uint32_t token = n ? seccomp_arch_resolve_name(name) : 0;
        if (!token)
            return error_new(err, EINVAL, SC_PATH ".architectures[%zu]: \"%s\" is not known to libseccomp", i, a);
        int r = seccomp_arch_add(ctx, token);
        if (r == -EDOM) { /* the other endianness: its code can never run on this kernel */
            log_warn(SC_PATH ".architectures[%zu]: \"%s\" cannot share a filter with the native architecture "
                            "(byte order); skipped", i, a);
            continue;
        }
        if (r < 0 && r != -EEXIST) /* the native one is there from the start */
            return error_sys(err, -r, SC_PATH ".architectures[%zu]: add \"%s\"", i, a);
    }
    return 0;
}

static int load_flags(char **flags, unsigned int *out, struct error **err) {
    for (size_t i = 0; flags && flags[i]; i++) {
        int f = flag_value(flags[i]);
        if (f < 0)
            return error_new(err, EINVAL, SC_PATH ".flags[%zu]: unknown flag \"%s\"", i, flags[i]);
        *out |= (unsigned)f;
    }
    return 0;
}

static int convert_args(const struct oci_seccomp_syscall *s, size_t i, struct scmp_arg_cmp *cmp, bool *dup_index,
                        struct error **err) {
    unsigned seen = 0;
    *dup_index = false;
    for (size_t k = 0; k < s->n_args; k++) {
        const struct oci_seccomp_arg *a = &s->args[k];
        enum scmp_compare op;
        if (operator_value(a->op, &op) < 0)
            return error_new(err, EINVAL, SC_PATH ".syscalls[%zu].args[%zu].op: unknown operator \"%s\"", i, k,
                             a->op ? a->op : "");
        if (a->index > 5)
            return error_new(err, EINVAL, SC_PATH ".syscalls[%zu].args[%zu].index: must be from 0 to 5, got %u", i, k,
                             a->index);
        if (seen & (1u << a->index))
            *dup_index = true;
        seen |= 1u << a->index;
        cmp[k] = (struct scmp_arg_cmp){.arg = a->index, .op = op, .datum_a = a->value, .datum_b = a->value_two};
    }
    return 0;
}

/* One name of one entry: its rule (args ANDed), or one rule per arg when an index repeats. */
static void warn_unknown(size_t i, size_t j, const char *name) {
    log_warn(SC_PATH ".syscalls[%zu].names[%zu]: syscall \"%s\" is unknown to libseccomp; skipped", i, j, name);
}

static int add_name(scmp_filter_ctx ctx, uint32_t action, const struct oci_seccomp_syscall *s, size_t i, size_t j,
                    const struct scmp_arg_cmp *cmp, bool split, struct error **err) {
    const char *name = s->names[j];
    int nr = seccomp_syscall_resolve_name(name);
    if (nr == __NR_SCMP_ERROR) {
        warn_unknown(i, j, name);
        return 0;
    }
    int r = 0;
    if (!split)
        r = seccomp_rule_add_array(ctx, action, nr, (unsigned)s->n_args, cmp);
    for (size_t k = 0; split && k < s->n_args && r >= 0; k++)
        r = seccomp_rule_add_array(ctx, action, nr, 1, &cmp[k]);
    if (r < 0)
        return error_sys(err, -r, SC_PATH ".syscalls[%zu].names[%zu]: add a rule for \"%s\"", i, j, name);
    return 0;
}

static int add_syscall(scmp_filter_ctx ctx, uint32_t default_action, const struct oci_seccomp_syscall *s, size_t i,
                       bool *notify, struct error **err) {
    _cleanup_free_ char *key = xasprintf("syscalls[%zu].action", i);
    if (!s->action)
        return error_new(err, EINVAL, SC_PATH ".%s: required", key);
    uint32_t action;
    int r = action_value(s->action, s->has_errno_ret, s->errno_ret, SC_PATH, key, &action, err);
    if (r < 0)
        return r;
    if (action == default_action)
        return 0; /* what the default does anyway; libseccomp refuses such a rule */
    if (action == SCMP_ACT_NOTIFY)
        *notify = true;
    if (!s->names || !s->names[0])
        return error_new(err, EINVAL, SC_PATH ".syscalls[%zu].names: must contain at least one entry", i);
    struct scmp_arg_cmp cmp[6 + 1];
    if (s->n_args > 6)
        return error_new(err, EINVAL, SC_PATH ".syscalls[%zu].args: at most 6 arguments, got %zu", i, s->n_args);
    bool split;
    if ((r = convert_args(s, i, cmp, &split, err)) < 0)
        return r;
    for (size_t j = 0; s->names[j]; j++)
        if ((r = add_name(ctx, action, s, i, j, cmp, split, err)) < 0)
            return r;
    return 0;
}

static int export_bpf(scmp_filter_ctx ctx, struct seccomp_filter *f, struct error **err) {
    _cleanup_close_ int fd = memfd_create("hull-seccomp", MFD_CLOEXEC);
    if (fd < 0)
        return error_sys(err, errno, "memfd_create");
    int r = seccomp_export_bpf(ctx, fd);
    if (r < 0)
        return error_sys(err, -r, SC_PATH ": export the filter as BPF");
    struct stat st;
    if (fstat(fd, &st) < 0)
        return error_sys(err, errno, "fstat the exported filter");
    size_t n = (size_t)st.st_size / sizeof(struct sock_filter);
    if (n == 0 || n > BPF_MAXINSNS)
        return error_new(err, E2BIG, SC_PATH ": the filter has %zu BPF instructions (the kernel takes 1 to %d)", n,
                         BPF_MAXINSNS);
    f->insns = xmalloc(n * sizeof(struct sock_filter));
    ssize_t got = pread(fd, f->insns, n * sizeof(struct sock_filter), 0);
    if (got != (ssize_t)(n * sizeof(struct sock_filter)))
        return error_sys(err, got < 0 ? errno : EIO, "read the exported filter");
    f->len = n;
    return 0;
}

static int compile(scmp_filter_ctx *ctxp, const struct oci_seccomp *sc, struct seccomp_filter *f, struct error **err) {
    if (!sc->default_action)
        return error_new(err, EINVAL, SC_PATH ".defaultAction: required");
    uint32_t def;
    int r = action_value(sc->default_action, sc->has_default_errno_ret, sc->default_errno_ret, SC_PATH, "defaultAction",
                         &def, err);
    if (r < 0)
        return r;
    if (def == SCMP_ACT_NOTIFY)
        return error_new(err, EINVAL, SC_PATH ".defaultAction: SCMP_ACT_NOTIFY cannot be the default action");
    scmp_filter_ctx ctx = *ctxp = seccomp_init(def);
    if (!ctx)
        return error_new(err, EINVAL, SC_PATH ".defaultAction: libseccomp refuses \"%s\"", sc->default_action);
    if ((r = add_archs(ctx, sc->architectures, err)) < 0 || (r = load_flags(sc->flags, &f->flags, err)) < 0)
        return r;
    for (size_t i = 0; i < sc->n_syscalls; i++)
        if ((r = add_syscall(ctx, def, &sc->syscalls[i], i, &f->notify, err)) < 0)
            return r;
    if (f->notify && !sc->listener_path)
        return error_new(err, EINVAL, SC_PATH ".listenerPath: required by the SCMP_ACT_NOTIFY rules");
    return export_bpf(ctx, f, err);
}

void seccomp_filter_warn_unknown(const struct oci_seccomp *sc) {
    uint32_t def, action;
    if (!sc->default_action ||
        action_value(sc->default_action, sc->has_default_errno_ret, sc->default_errno_ret, SC_PATH, "defaultAction",
                     &def, NULL) < 0)
        return;
    for (size_t i = 0; i < sc->n_syscalls; i++) {
        const struct oci_seccomp_syscall *s = &sc->syscalls[i];
        if (!s->action || action_value(s->action, s->has_errno_ret, s->errno_ret, SC_PATH, "action", &action, NULL) < 0 ||
            action == def)
            continue; /* as add_syscall: such a rule is not added */
        for (size_t j = 0; s->names && s->names[j]; j++)
            if (seccomp_syscall_resolve_name(s->names[j]) == __NR_SCMP_ERROR)
                warn_unknown(i, j, s->names[j]);
    }
}

int seccomp_filter_compile(const struct oci_seccomp *sc, struct seccomp_filter **out, struct error **err) {
    struct seccomp_filter *f = xcalloc(1, sizeof(*f));
    scmp_filter_ctx ctx = NULL;
    int r = compile(&ctx, sc, f, err);
    if (ctx)
        seccomp_release(ctx);
    if (r < 0) {
        seccomp_filter_free(f);
        return r;
    }
    *out = f;
    return 0;
}

void seccomp_filter_free(struct seccomp_filter *f) {
    if (!f)
        return;
    free(f->insns);
    free(f);
}

int seccomp_filter_load(const struct seccomp_filter *f, struct error **err) {
    struct sock_fprog prog = {.len = (unsigned short)f->len, .filter = f->insns};
    unsigned int flags = f->flags;
    /* it changes how a listener waits, and the kernel takes it only with one */
    if (!f->notify)
        flags &= ~(unsigned)SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;
    if (f->notify) {
        flags |= SECCOMP_FILTER_FLAG_NEW_LISTENER;
        if (flags & SECCOMP_FILTER_FLAG_TSYNC) /* the kernel takes both only with TSYNC_ESRCH */
            flags |= SECCOMP_FILTER_FLAG_TSYNC_ESRCH;
    }
    long r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
    if (r < 0) {
        int e = errno;
        return error_sys(err, e, SC_PATH ": load the filter (seccomp(SECCOMP_SET_MODE_FILTER, flags 0x%x))%s", flags,
                         e == EINVAL && f->flags ? " (does this kernel support every one of linux.seccomp.flags?)"
                                                 : "");
    }
    return f->notify ? (int)r : 0;
}
