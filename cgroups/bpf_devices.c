/* cgroup v2 device rules: a BPF_PROG_TYPE_CGROUP_DEVICE program built by hand from the rules,
 * loaded with bpf(BPF_PROG_LOAD) and attached to the container's cgroup, replacing the filter
 * attached there before without a window where none is attached. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../base/cleanup.h"
#include "../base/util.h"
#include "bpf_insn.h"
#include "internal.h"

#define CG_BPF_ACC_ALL (BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE | BPF_DEVCG_ACC_MKNOD)
#define CG_BPF_LOG_SIZE (64 * 1024)
#define CG_BPF_LOG_LINES 4

/* ---------- building ---------- */

/* A rule in the form the program tests it. */
struct bpf_rule {
    bool allow;
    uint32_t type;   /* BPF_DEVCG_DEV_*; 0 = any */
    int64_t major, minor; /* -1 = any */
    uint32_t access; /* BPF_DEVCG_ACC_* */
};

static int rule_convert(const struct cgroup_device_rule *in, size_t i, struct bpf_rule *out, struct error **err) {
    *out = (struct bpf_rule){.allow = in->allow, .major = in->major, .minor = in->minor};
    switch (in->type) {
    case 'a': break;
    case 'c': out->type = BPF_DEVCG_DEV_CHAR; break;
    case 'b': out->type = BPF_DEVCG_DEV_BLOCK; break;
    default: return error_new(err, EINVAL, "device rule %zu: type '%c' is not a, b or c", i, in->type);
    }
    if (in->major < -1 || in->major > UINT32_MAX || in->minor < -1 || in->minor > UINT32_MAX)
        return error_new(err, EINVAL, "device rule %zu: %lld:%lld is not a device number (or -1 for any)", i,
                         (long long)in->major, (long long)in->minor);
    for (const char *a = in->access; *a && a < in->access + sizeof(in->access); a++) {
        switch (*a) {
        case 'r': out->access |= BPF_DEVCG_ACC_READ; break;
        case 'w': out->access |= BPF_DEVCG_ACC_WRITE; break;
        case 'm': out->access |= BPF_DEVCG_ACC_MKNOD; break;
        default:
            return error_new(err, EINVAL, "device rule %zu: access \"%.4s\" is not a subset of \"rwm\"", i,
                             in->access);
        }
    }
    return 0;
}

static bool rule_is_catch_all(const struct bpf_rule *r) {
    return r->type == 0 && r->major == -1 && r->minor == -1 && r->access == CG_BPF_ACC_ALL;
}

struct prog {
    struct bpf_insn *insn;
    size_t n, cap;
};

static void emit(struct prog *p, struct bpf_insn i) {
    if (p->n == p->cap) {
        p->cap = p->cap ? 2 * p->cap : 32;
        p->insn = xrealloc(p->insn, p->cap * sizeof(*p->insn));
    }
    p->insn[p->n++] = i;
}

/* r0 = verdict; exit */
static void emit_return(struct prog *p, bool allow) {
    emit(p, CG_BPF_MOV64_IMM(BPF_REG_0, allow ? 1 : 0));
    emit(p, CG_BPF_EXIT());
}

/* One rule: the match tests jump past the block when the device does not match.  Then:
 *   full access:    return the verdict;
 *   allow partial:  grant its bits (r3 &= ~access); return allow when nothing is left pending;
 *   deny partial:   return deny when a pending bit is one it names. */
static void emit_rule(struct prog *p, const struct bpf_rule *r) {
    bool full = r->access == CG_BPF_ACC_ALL;
    int checks = (r->type != 0) + (r->major != -1) + (r->minor != -1);
    int len = checks + (full ? 2 : 4);
    int at = 0; /* index of the next instruction within the block */
#define TO_END() ((int16_t)(len - at - 1))
    if (r->type != 0) {
        emit(p, CG_BPF_JMP32_IMM(BPF_JNE, CG_BPF_R_TYPE, (int32_t)r->type, TO_END()));
        at++;
    }
    if (r->major != -1) {
        emit(p, CG_BPF_JMP32_IMM(BPF_JNE, CG_BPF_R_MAJOR, (int32_t)(uint32_t)r->major, TO_END()));
        at++;
    }
    if (r->minor != -1) {
        emit(p, CG_BPF_JMP32_IMM(BPF_JNE, CG_BPF_R_MINOR, (int32_t)(uint32_t)r->minor, TO_END()));
        at++;
    }
    if (full) {
        emit_return(p, r->allow);
    } else if (r->allow) {
        emit(p, CG_BPF_ALU32_IMM(BPF_AND, CG_BPF_R_ACCESS, (int32_t)~r->access));
        at++;
        emit(p, CG_BPF_JMP32_IMM(BPF_JNE, CG_BPF_R_ACCESS, 0, TO_END()));
        emit_return(p, true);
    } else {
        emit(p, CG_BPF_JMP32_IMM(BPF_JSET, CG_BPF_R_ACCESS, (int32_t)r->access, 1));
        at++;
        emit(p, CG_BPF_JA(TO_END()));
        emit_return(p, false);
    }
#undef TO_END
}

/* Load only the context fields some emitted rule tests. */
static void emit_prologue(struct prog *p, const struct bpf_rule *r, size_t first, size_t n) {
    bool type = false, access = false, major = false, minor = false;
    for (size_t i = first; i < n; i++) {
        if (!r[i].access)
            continue;
        type |= r[i].type != 0;
        access |= r[i].access != CG_BPF_ACC_ALL;
        major |= r[i].major != -1;
        minor |= r[i].minor != -1;
    }
    if (type) {
        emit(p, CG_BPF_LDX_W(CG_BPF_R_TYPE, CG_BPF_R_CTX, offsetof(struct bpf_cgroup_dev_ctx, access_type)));
        emit(p, CG_BPF_ALU32_IMM(BPF_AND, CG_BPF_R_TYPE, 0xffff));
    }
    if (access) {
        emit(p, CG_BPF_LDX_W(CG_BPF_R_ACCESS, CG_BPF_R_CTX, offsetof(struct bpf_cgroup_dev_ctx, access_type)));
        emit(p, CG_BPF_ALU32_IMM(BPF_RSH, CG_BPF_R_ACCESS, 16));
    }
    if (major)
        emit(p, CG_BPF_LDX_W(CG_BPF_R_MAJOR, CG_BPF_R_CTX, offsetof(struct bpf_cgroup_dev_ctx, major)));
    if (minor)
        emit(p, CG_BPF_LDX_W(CG_BPF_R_MINOR, CG_BPF_R_CTX, offsetof(struct bpf_cgroup_dev_ctx, minor)));
}

int cg_bpf_build(const struct cgroup_device_rule *rules, size_t n, struct bpf_insn **out, size_t *n_insn,
                 struct error **err) {
    *out = NULL;
    *n_insn = 0;
    _cleanup_free_ struct bpf_rule *r = xcalloc(n ? n : 1, sizeof(*r));
    for (size_t i = 0; i < n; i++) {
        int ret = rule_convert(&rules[i], i, &r[i], err);
        if (ret < 0)
            return ret;
    }
    /* Rules before the last catch-all are dead. */
    size_t first = 0;
    for (size_t i = n; i-- > 0;)
        if (rule_is_catch_all(&r[i])) {
            first = i;
            break;
        }
    struct prog p = {0};
    emit_prologue(&p, r, first, n);
    for (size_t i = n; i-- > first;)
        if (r[i].access)
            emit_rule(&p, &r[i]);
    /* After a catch-all the end is unreachable, which the verifier refuses. */
    if (!(n > 0 && rule_is_catch_all(&r[first])))
        emit_return(&p, false);
    *out = p.insn;
    *n_insn = p.n;
    return 0;
}

/* ---------- loading and attaching ---------- */

static int sys_bpf(int cmd, union bpf_attr *attr) {
    return (int)syscall(SYS_bpf, cmd, attr, sizeof(*attr));
}

/* "line1; line2; ..." of the first CG_BPF_LOG_LINES lines of a verifier log, in place. */
static const char *log_head(char *log) {
    int lines = 0;
    for (char *c = log; *c; c++)
        if (*c == '\n') {
            if (++lines == CG_BPF_LOG_LINES || c[1] == '\0') {
                *c = '\0';
                break;
            }
            *c = ';';
        }
    return *log ? log : "(empty)";
}

static int prog_load(const struct bpf_insn *insn, size_t n, struct error **err) {
    union bpf_attr a = {0};
    a.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
    a.insns = (uintptr_t)insn;
    a.insn_cnt = (uint32_t)n;
    a.license = (uintptr_t) "GPL";
    int fd = sys_bpf(BPF_PROG_LOAD, &a);
    if (fd >= 0)
        return fd;
    int e = errno;
    /* Again with the verifier's log, for the message. */
    _cleanup_free_ char *log = xcalloc(1, CG_BPF_LOG_SIZE);
    a.log_buf = (uintptr_t)log;
    a.log_size = CG_BPF_LOG_SIZE;
    a.log_level = 1;
    fd = sys_bpf(BPF_PROG_LOAD, &a);
    if (fd >= 0)
        return fd;
    if (errno != ENOSPC)
        e = errno;
    return error_sys(err, e, "bpf(BPF_PROG_LOAD) of the device filter (%zu instructions; verifier: %s)", n,
                     log_head(log));
}

/* The programs attached directly to the cgroup and the mode they were attached with. */
static int prog_query(int cg_fd, uint32_t **ids, uint32_t *count, uint32_t *flags, struct error **err) {
    uint32_t cap = 4;
    for (;;) {
        _cleanup_free_ uint32_t *buf = xcalloc(cap, sizeof(*buf));
        union bpf_attr a = {0};
        a.query.target_fd = (uint32_t)cg_fd;
        a.query.attach_type = BPF_CGROUP_DEVICE;
        a.query.prog_ids = (uintptr_t)buf;
        a.query.prog_cnt = cap;
        if (sys_bpf(BPF_PROG_QUERY, &a) == 0) {
            *ids = TAKE_PTR(buf);
            *count = a.query.prog_cnt;
            *flags = a.query.attach_flags;
            return 0;
        }
        if (errno != ENOSPC || cap >= 1u << 16)
            return error_sys(err, errno, "bpf(BPF_PROG_QUERY) of the device programs");
        cap = a.query.prog_cnt > cap ? a.query.prog_cnt : 2 * cap;
    }
}

static int prog_attach(int cg_fd, int prog_fd, uint32_t flags, struct error **err) {
    union bpf_attr a = {0};
    a.target_fd = (uint32_t)cg_fd;
    a.attach_bpf_fd = (uint32_t)prog_fd;
    a.attach_type = BPF_CGROUP_DEVICE;
    a.attach_flags = flags;
    if (sys_bpf(BPF_PROG_ATTACH, &a) < 0)
        return error_sys(err, errno, "bpf(BPF_PROG_ATTACH) of the device filter");
    return 0;
}

/* Detach program `id`; one already gone is fine. */
static int prog_detach_id(int cg_fd, uint32_t id, struct error **err) {
    union bpf_attr a = {0};
    a.prog_id = id;
    _cleanup_close_ int fd = sys_bpf(BPF_PROG_GET_FD_BY_ID, &a);
    if (fd < 0)
        return errno == ENOENT ? 0 : error_sys(err, errno, "bpf(BPF_PROG_GET_FD_BY_ID) of device program %u", id);
    a = (union bpf_attr){0};
    a.target_fd = (uint32_t)cg_fd;
    a.attach_bpf_fd = (uint32_t)fd;
    a.attach_type = BPF_CGROUP_DEVICE;
    if (sys_bpf(BPF_PROG_DETACH, &a) < 0 && errno != ENOENT)
        return error_sys(err, errno, "bpf(BPF_PROG_DETACH) of the previous device program %u", id);
    return 0;
}

/* Attach the new program next to the old ones, then detach the old ones (the list read before
 * the attach: should two updates race, both new filters stay, which denies more, never less).
 * Where the old program was attached without BPF_F_ALLOW_MULTI, attaching in its mode replaces
 * it atomically. */
static int swap_programs(int cg_fd, int prog_fd, struct error **err) {
    _cleanup_free_ uint32_t *old = NULL;
    uint32_t n_old = 0, old_flags = 0;
    int r = prog_query(cg_fd, &old, &n_old, &old_flags, err);
    if (r < 0)
        return r;
    bool multi = n_old == 0 || (old_flags & BPF_F_ALLOW_MULTI);
    r = prog_attach(cg_fd, prog_fd, multi ? BPF_F_ALLOW_MULTI : old_flags, err);
    if (r < 0 || !multi)
        return r;
    for (uint32_t i = 0; i < n_old; i++) {
        r = prog_detach_id(cg_fd, old[i], err);
        if (r < 0)
            return r;
    }
    return 0;
}

int cg_bpf_set_devices(struct cg_hierarchy *h, const struct cgroup_device_rule *rules, size_t n,
                       struct error **err) {
    _cleanup_free_ struct bpf_insn *insn = NULL;
    size_t n_insn = 0;
    int r = cg_bpf_build(rules, n, &insn, &n_insn, err);
    if (r < 0)
        return r;
    _cleanup_close_ int cg_fd = openat(h->mount_fd, cg_rel(h->path), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (cg_fd < 0)
        return error_sys(err, errno, "open %s%s", h->mount_point, strcmp(h->path, "/") == 0 ? "" : h->path);
    _cleanup_close_ int prog_fd = prog_load(insn, n_insn, err);
    if (prog_fd < 0)
        return prog_fd;
    r = swap_programs(cg_fd, prog_fd, err);
    if (r < 0)
        return error_wrap(err, r, "%s%s", h->mount_point, strcmp(h->path, "/") == 0 ? "" : h->path);
    return 0;
}
