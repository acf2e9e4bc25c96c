/* cgroups/bpf_devices.c: the v2 device filter.
 *   - the built programs, run by a small interpreter here, against a reference model of the rule
 *     semantics (per access bit, the last matching rule decides; no match denies) over random
 *     rule lists; the dead-rule collapse; rule validation;
 *   - the kernel's verifier accepts every built program (root);
 *   - enforcement for real (root, cgroup2 mounted): a child moved into a fresh v2 cgroup opens and
 *     mknods devices under several rule sets; every cg_bpf_set_devices leaves exactly one program
 *     attached.  On a hybrid host the v2 program is enforced next to the v1 devices cgroup. */
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../base/cleanup.h"
#include "../../base/util.h"
#include "../../cgroups/bpf_insn.h"
#include "../../cgroups/cgroup.h"
#include "../../cgroups/internal.h"
#include "tap.h"

#define R BPF_DEVCG_ACC_READ
#define W BPF_DEVCG_ACC_WRITE
#define M BPF_DEVCG_ACC_MKNOD

static struct cgroup_device_rule rule(bool allow, char type, int64_t major, int64_t minor, const char *access) {
    struct cgroup_device_rule d = {.allow = allow, .type = type, .major = major, .minor = minor};
    snprintf(d.access, sizeof(d.access), "%s", access);
    return d;
}

/* ---------- an interpreter for the instructions the builder emits ---------- */

/* 1 allow, 0 deny, -1 the program uses something it should not (reported once). */
static int run(const struct bpf_insn *p, size_t n, uint32_t type, uint32_t access, uint32_t major, uint32_t minor) {
    uint64_t reg[11] = {0};
    const uint32_t ctx[3] = {(access << 16) | type, major, minor};
    for (size_t pc = 0, steps = 0; pc < n && steps < 100000; pc++, steps++) {
        const struct bpf_insn *i = &p[pc];
        uint32_t d32 = (uint32_t)reg[i->dst_reg];
        switch (i->code) {
        case BPF_LDX | BPF_MEM | BPF_W:
            if (i->src_reg != 1 || i->off < 0 || i->off > 8 || i->off % 4)
                return -1;
            reg[i->dst_reg] = ctx[i->off / 4];
            break;
        case BPF_ALU | BPF_AND | BPF_K: reg[i->dst_reg] = d32 & (uint32_t)i->imm; break;
        case BPF_ALU | BPF_RSH | BPF_K: reg[i->dst_reg] = d32 >> i->imm; break;
        case BPF_ALU64 | BPF_MOV | BPF_K: reg[i->dst_reg] = (uint64_t)(int64_t)i->imm; break;
        case BPF_JMP32 | BPF_JNE | BPF_K:
            if (d32 != (uint32_t)i->imm)
                pc += i->off;
            break;
        case BPF_JMP32 | BPF_JSET | BPF_K:
            if (d32 & (uint32_t)i->imm)
                pc += i->off;
            break;
        case BPF_JMP | BPF_JA: pc += i->off; break;
        case BPF_JMP | BPF_EXIT: return reg[0] == 1 ? 1 : reg[0] == 0 ? 0 : -1;
        default: return -1;
        }
    }
    return -1; /* fell off the end */
}

/* ---------- the reference model ---------- */

static uint32_t access_bits(const char *a) {
    uint32_t b = 0;
    for (; *a; a++)
        b |= *a == 'r' ? R : *a == 'w' ? W : *a == 'm' ? M : 0;
    return b;
}

static bool model(const struct cgroup_device_rule *rules, size_t n, char type, uint32_t major, uint32_t minor,
                  uint32_t access) {
    for (uint32_t bit = 1; bit <= M + R + W; bit <<= 1) {
        if (!(access & bit))
            continue;
        bool allowed = false;
        for (size_t i = 0; i < n; i++) {
            const struct cgroup_device_rule *r = &rules[i];
            if ((r->type == 'a' || r->type == type) && (r->major == -1 || r->major == major) &&
                (r->minor == -1 || r->minor == minor) && (access_bits(r->access) & bit))
                allowed = r->allow;
        }
        if (!allowed)
            return false;
    }
    return true;
}

/* ---------- random rule lists ---------- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint32_t rnd(uint32_t n) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state % n);
}

static const int64_t nums[] = {-1, 1, 5, 7, 3};
static const char *const accesses[] = {"r", "w", "m", "rw", "rm", "wm", "rwm", "mwr", ""};

static size_t random_rules(struct cgroup_device_rule *out, size_t max) {
    size_t n = rnd((uint32_t)max + 1);
    for (size_t i = 0; i < n; i++)
        out[i] = rule(rnd(2), "acb"[rnd(3)], nums[rnd(5)], nums[rnd(5)], accesses[rnd(9)]);
    /* Often a catch-all somewhere, to exercise the collapse. */
    if (n && rnd(3) == 0)
        out[rnd((uint32_t)n)] = rule(rnd(2), 'a', -1, -1, "rwm");
    return n;
}

/* Every device type, number and access request of the domain against the model. */
static bool matches_model(const struct cgroup_device_rule *rules, size_t n, const struct bpf_insn *p, size_t np,
                          char *why, size_t why_len) {
    static const uint32_t devs[] = {1, 3, 5, 7, 9};
    for (int t = 0; t < 2; t++)
        for (size_t a = 0; a < 5; a++)
            for (size_t b = 0; b < 5; b++)
                for (uint32_t acc = 1; acc <= 7; acc++) {
                    char type = t ? 'b' : 'c';
                    uint32_t dt = t ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR;
                    int got = run(p, np, dt, acc, devs[a], devs[b]);
                    bool want = model(rules, n, type, devs[a], devs[b], acc);
                    if (got != (int)want) {
                        snprintf(why, why_len, "%c %u:%u access %u: program %d, model %d", type, devs[a], devs[b],
                                 acc, got, want);
                        return false;
                    }
                }
    return true;
}

static void test_semantics_random(void) {
    int bad = 0, built = 0;
    char why[128] = "";
    for (int iter = 0; iter < 3000 && !bad; iter++) {
        struct cgroup_device_rule rules[8];
        size_t n = random_rules(rules, 8);
        _cleanup_free_ struct bpf_insn *p = NULL;
        size_t np = 0;
        if (cg_bpf_build(rules, n, &p, &np, NULL) < 0) {
            snprintf(why, sizeof(why), "build failed at iteration %d", iter);
            bad++;
            break;
        }
        built++;
        if (!matches_model(rules, n, p, np, why, sizeof(why)))
            bad++;
    }
    ok(!bad && built == 3000, "3000 random rule lists: program == model on every type/major/minor/access (%s)",
       bad ? why : "all agree");
}

static int decide(const struct cgroup_device_rule *rules, size_t n, char type, uint32_t major, uint32_t minor,
                  uint32_t access) {
    _cleanup_free_ struct bpf_insn *p = NULL;
    size_t np = 0;
    if (cg_bpf_build(rules, n, &p, &np, NULL) < 0)
        return -2;
    return run(p, np, type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR, access, major, minor);
}

static void test_semantics_cases(void) {
    ok(decide(NULL, 0, 'c', 1, 3, R) == 0, "no rules: deny");
    struct cgroup_device_rule later_allow[] = {rule(false, 'c', 1, 7, "rwm"), rule(true, 'c', -1, -1, "rw")};
    ok(decide(later_allow, 2, 'c', 1, 7, R | W) == 1, "deny c 1:7 then allow c *:* rw: 1:7 rw allowed (last wins)");
    ok(decide(later_allow, 2, 'c', 1, 7, M) == 0, "... mknod still denied (the allow does not name m)");
    struct cgroup_device_rule later_deny[] = {rule(true, 'c', -1, -1, "rwm"), rule(false, 'c', 1, 7, "rwm")};
    ok(decide(later_deny, 2, 'c', 1, 7, R) == 0 && decide(later_deny, 2, 'c', 1, 3, R) == 1,
       "allow c *:* then deny c 1:7: 1:7 denied, 1:3 allowed");
    struct cgroup_device_rule bits[] = {rule(true, 'a', -1, -1, "rwm"), rule(false, 'c', 1, 3, "w")};
    ok(decide(bits, 2, 'c', 1, 3, R) == 1 && decide(bits, 2, 'c', 1, 3, R | W) == 0 &&
           decide(bits, 2, 'c', 1, 3, W) == 0,
       "allow all then deny c 1:3 w: read allowed, read+write and write denied");
    struct cgroup_device_rule split[] = {rule(true, 'c', 1, -1, "r"), rule(true, 'c', -1, 3, "w")};
    ok(decide(split, 2, 'c', 1, 3, R | W) == 1 && decide(split, 2, 'c', 1, 4, R | W) == 0,
       "r from one rule and w from another grant rw on 1:3 only");
    struct cgroup_device_rule wild[] = {rule(true, 'c', -1, 3, "rwm"), rule(true, 'a', 8, -1, "r")};
    ok(decide(wild, 2, 'c', 42, 3, R) == 1 && decide(wild, 2, 'b', 42, 3, R) == 0,
       "c *:3: any char major with minor 3, not block");
    ok(decide(wild, 2, 'b', 8, 17, R) == 1 && decide(wild, 2, 'c', 8, 17, R) == 1 &&
           decide(wild, 2, 'b', 8, 17, W) == 0,
       "a 8:* r: both types, read only");
    struct cgroup_device_rule big[] = {rule(true, 'c', 4294967295LL, 2147483648LL, "r")};
    ok(decide(big, 1, 'c', 4294967295u, 2147483648u, R) == 1 && decide(big, 1, 'c', 4294967295u, 0, R) == 0,
       "numbers up to 2^32-1 compare as u32");
}

static void test_collapse(void) {
    struct cgroup_device_rule rules[12];
    for (size_t i = 0; i < 10; i++)
        rules[i] = rule(i % 2, 'c', (int64_t)i, (int64_t)i, "rw");
    rules[10] = rule(true, 'a', -1, -1, "rwm");
    _cleanup_free_ struct bpf_insn *p = NULL;
    size_t np = 0;
    int r = cg_bpf_build(rules, 11, &p, &np, NULL);
    ok(r == 0 && np == 2 && run(p, np, BPF_DEVCG_DEV_BLOCK, M, 3, 3) == 1,
       "rules before a trailing allow-all are dropped: 2 instructions (got %zu)", np);
    free(p);
    p = NULL;
    rules[11] = rule(false, 'c', 1, 7, "rwm");
    r = cg_bpf_build(rules, 12, &p, &np, NULL);
    /* ldx major, ldx type + and, ldx minor; 3 checks + return; return allow */
    ok(r == 0 && np == 11, "a rule after the catch-all is kept, the ones before are not (%zu instructions)", np);
    free(p);
    p = NULL;
    struct cgroup_device_rule deny_only[] = {rule(false, 'a', -1, -1, "rwm")};
    r = cg_bpf_build(deny_only, 1, &p, &np, NULL);
    ok(r == 0 && np == 2 && run(p, np, BPF_DEVCG_DEV_CHAR, R, 1, 3) == 0, "deny all: 2 instructions");
    free(p);
    p = NULL;
    /* The usual container list: every default is kept. */
    struct cgroup_device_rule *def = NULL;
    size_t nd = 0;
    cgroup_device_rules(NULL, &def, &nd);
    r = cg_bpf_build(def, nd, &p, &np, NULL);
    ok(r == 0 && np > 0 && np < 64, "the default container rules: %zu instructions", np);
    ok(run(p, np, BPF_DEVCG_DEV_CHAR, R | W, 1, 3) == 1 && run(p, np, BPF_DEVCG_DEV_CHAR, R | W, 136, 4) == 1 &&
           run(p, np, BPF_DEVCG_DEV_CHAR, R, 10, 200) == 0 && run(p, np, BPF_DEVCG_DEV_BLOCK, R, 1, 3) == 0,
       "defaults: null and pts allowed, tun and block 1:3 denied");
    free(def);
}

static void test_invalid(void) {
    struct {
        struct cgroup_device_rule r;
        const char *msg;
    } cases[] = {
        {rule(true, 'x', 1, 3, "r"), "type 'x'"},
        {rule(true, 'c', -2, 3, "r"), "-2:3"},
        {rule(true, 'c', 1, 4294967296LL, "r"), "1:4294967296"},
        {rule(true, 'c', 1, 3, "rx"), "access \"rx\""},
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct cgroup_device_rule rules[2] = {rule(false, 'a', -1, -1, "rwm"), cases[i].r};
        struct bpf_insn *p = NULL;
        size_t np = 0;
        _cleanup_error_ struct error *e = NULL;
        int r = cg_bpf_build(rules, 2, &p, &np, &e);
        ok(r == -EINVAL && !p && e && strstr(e->msg, "device rule 1") && strstr(e->msg, cases[i].msg),
           "invalid rule refused: %s", e ? e->msg : "(no error)");
    }
}

/* ---------- the kernel ---------- */

static int sys_bpf(int cmd, union bpf_attr *a) {
    return (int)syscall(SYS_bpf, cmd, a, sizeof(*a));
}

static int load(const struct bpf_insn *p, size_t n) {
    union bpf_attr a = {0};
    a.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
    a.insns = (uintptr_t)p;
    a.insn_cnt = (uint32_t)n;
    a.license = (uintptr_t) "GPL";
    return sys_bpf(BPF_PROG_LOAD, &a);
}

static void test_verifier(void) {
    int accepted = 0, err = 0;
    for (int iter = 0; iter < 300; iter++) {
        struct cgroup_device_rule rules[8];
        size_t n = random_rules(rules, 8);
        _cleanup_free_ struct bpf_insn *p = NULL;
        size_t np = 0;
        if (cg_bpf_build(rules, n, &p, &np, NULL) < 0)
            break;
        int fd = load(p, np);
        if (fd < 0) {
            err = errno;
            break;
        }
        close(fd);
        accepted++;
    }
    ok(accepted == 300, "the verifier accepts 300 random programs (%d; %s)", accepted, err ? strerror(err) : "ok");
}

/* The ids of the device programs attached to the cgroup at path. */
static int attached(const char *path, uint32_t *ids, uint32_t cap) {
    _cleanup_close_ int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    union bpf_attr a = {0};
    a.query.target_fd = (uint32_t)fd;
    a.query.attach_type = BPF_CGROUP_DEVICE;
    a.query.prog_ids = (uintptr_t)ids;
    a.query.prog_cnt = cap;
    return fd < 0 || sys_bpf(BPF_PROG_QUERY, &a) < 0 ? -1 : (int)a.query.prog_cnt;
}

struct probe {
    const char *what;
    const char *dev; /* open this ... */
    int flags;
    char type; /* ... or mknod one of this type */
    unsigned major, minor;
    int want; /* 0 or an errno */
};

/* In a child moved into the cgroup: each probe's result (0 or errno). */
static void child_probe(const char *procs, const char *tmp, const struct probe *p, size_t n, int wfd) {
    alarm(20);
    int res[16] = {0};
    if (write_file_at(AT_FDCWD, procs, "0", NULL) < 0)
        _exit(2);
    for (size_t i = 0; i < n; i++) {
        if (p[i].dev) {
            int fd = open(p[i].dev, p[i].flags | O_CLOEXEC);
            res[i] = fd < 0 ? errno : 0;
            if (fd >= 0)
                close(fd);
        } else {
            char node[4096];
            snprintf(node, sizeof(node), "%s/node%zu", tmp, i);
            mode_t m = (p[i].type == 'b' ? S_IFBLK : S_IFCHR) | 0600;
            res[i] = mknod(node, m, makedev(p[i].major, p[i].minor)) < 0 ? errno : 0;
            unlink(node);
        }
    }
    _exit(write_all(wfd, res, sizeof(res)) == sizeof(res) ? 0 : 3);
}

static void probe_all(const char *title, const char *procs, const char *tmp, const struct probe *p, size_t n) {
    int pfd[2];
    int res[16];
    if (n > 16 || pipe2(pfd, O_CLOEXEC) < 0) {
        ok(0, "%s: pipe", title);
        return;
    }
    pid_t pid = fork();
    if (pid == 0) {
        close(pfd[0]);
        child_probe(procs, tmp, p, n, pfd[1]);
    }
    close(pfd[1]);
    ssize_t got = pid < 0 ? -1 : read_all(pfd[0], res, sizeof(res));
    close(pfd[0]);
    int status = 0;
    if (pid > 0)
        waitpid(pid, &status, 0);
    if (got != (ssize_t)sizeof(res) || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        ok(0, "%s: the child ran the probes (status %d)", title, status);
        return;
    }
    for (size_t i = 0; i < n; i++)
        ok(res[i] == p[i].want, "%s: %s -> %s", title, p[i].what, res[i] ? strerror(res[i]) : "ok");
}

#define OPEN(path, fl, w) {.what = "open " path " " #fl, .dev = path, .flags = fl, .want = w}
#define MKNOD(t, ma, mi, w) {.what = "mknod " #t " " #ma ":" #mi, .type = t, .major = ma, .minor = mi, .want = w}

struct scenario {
    const char *title;
    struct cgroup_device_rule rules[6];
    size_t n_rules;
    struct probe probes[10];
    size_t n_probes;
};

static const struct scenario scenarios[] = {
    {"null rwm, zero r",
     {{false, 'a', -1, -1, "rwm"}, {true, 'c', 1, 3, "rwm"}, {true, 'c', 1, 5, "r"}}, 3,
     {OPEN("/dev/null", O_RDWR, 0), OPEN("/dev/zero", O_RDONLY, 0), OPEN("/dev/zero", O_WRONLY, EPERM),
      OPEN("/dev/zero", O_RDWR, EPERM), OPEN("/dev/full", O_RDONLY, EPERM), MKNOD('c', 1, 3, 0),
      MKNOD('c', 1, 5, EPERM), MKNOD('c', 1, 7, EPERM)}, 8},
    {"last rule wins (deny after allow)",
     {{false, 'a', -1, -1, "rwm"}, {true, 'c', 1, -1, "rwm"}, {false, 'c', 1, 7, "rwm"}}, 3,
     {OPEN("/dev/null", O_RDWR, 0), OPEN("/dev/full", O_RDONLY, EPERM), MKNOD('c', 1, 7, EPERM),
      MKNOD('c', 1, 9, 0)}, 4},
    {"last rule wins (allow after deny)",
     {{false, 'a', -1, -1, "rwm"}, {false, 'c', 1, 7, "rwm"}, {true, 'c', 1, -1, "rwm"}}, 3,
     {OPEN("/dev/full", O_RDWR, 0), MKNOD('c', 1, 7, 0)}, 2},
    {"per access bit (deny w after allow all)",
     {{true, 'a', -1, -1, "rwm"}, {false, 'c', 1, 3, "w"}}, 2,
     {OPEN("/dev/null", O_RDONLY, 0), OPEN("/dev/null", O_WRONLY, EPERM), OPEN("/dev/null", O_RDWR, EPERM),
      MKNOD('c', 1, 3, 0), OPEN("/dev/zero", O_RDWR, 0)}, 5},
    {"wildcard major (c *:3 rw)",
     {{false, 'a', -1, -1, "rwm"}, {true, 'c', -1, 3, "rw"}}, 2,
     {OPEN("/dev/null", O_RDWR, 0), OPEN("/dev/zero", O_RDONLY, EPERM), MKNOD('c', 1, 3, EPERM)}, 3},
    {"type a with a major (a 1:* rwm)",
     {{false, 'a', -1, -1, "rwm"}, {true, 'a', 1, -1, "rwm"}}, 2,
     {OPEN("/dev/full", O_RDWR, 0), MKNOD('b', 1, 0, 0), MKNOD('c', 5, 0, EPERM)}, 3},
    {"block only (b *:* rwm)",
     {{false, 'a', -1, -1, "rwm"}, {true, 'b', -1, -1, "rwm"}}, 2,
     {OPEN("/dev/null", O_RDONLY, EPERM), MKNOD('b', 7, 0, 0), MKNOD('c', 1, 3, EPERM)}, 3},
    {"allow all",
     {{false, 'a', -1, -1, "rwm"}, {true, 'a', -1, -1, "rwm"}}, 2,
     {OPEN("/dev/full", O_RDWR, 0), OPEN("/dev/null", O_RDWR, 0), MKNOD('c', 1, 7, 0), MKNOD('b', 7, 0, 0)}, 4},
};

/* The cgroup2 mount point and our cgroup in it. */
static int find_v2(char **mnt, char **own) {
    static const char *const cands[] = {"/sys/fs/cgroup/unified", "/sys/fs/cgroup"};
    struct statfs sf;
    *mnt = NULL;
    for (size_t i = 0; i < ARRAY_SIZE(cands) && !*mnt; i++)
        if (statfs(cands[i], &sf) == 0 && sf.f_type == CGROUP2_SUPER_MAGIC)
            *mnt = xstrdup(cands[i]);
    _cleanup_free_ char *pc = NULL;
    if (!*mnt || read_file("/proc/self/cgroup", &pc, NULL, NULL) < 0)
        return -1;
    char *l = strstr(pc, "0::");
    if (!l || (l != pc && l[-1] != '\n'))
        return -1;
    l += 3;
    l[strcspn(l, "\n")] = '\0';
    *own = xstrdup(strcmp(l, "/") == 0 ? "" : l);
    return 0;
}

static void test_real_scenarios(struct cg_hierarchy *h, const char *dir, const char *tmp) {
    _cleanup_free_ char *procs = xasprintf("%s/cgroup.procs", dir);
    uint32_t prev = 0;
    for (size_t s = 0; s < ARRAY_SIZE(scenarios); s++) {
        const struct scenario *sc = &scenarios[s];
        _cleanup_error_ struct error *e = NULL;
        int r = cg_bpf_set_devices(h, sc->rules, sc->n_rules, &e);
        ok(r == 0, "%s: cg_bpf_set_devices (%s)", sc->title, e ? e->msg : "ok");
        uint32_t ids[8] = {0};
        int n = attached(dir, ids, 8);
        ok(n == 1 && ids[0] != prev, "%s: exactly one program attached, a new one (%d: id %u, before %u)", sc->title,
           n, ids[0], prev);
        prev = ids[0];
        probe_all(sc->title, procs, tmp, sc->probes, sc->n_probes);
    }

    /* A bad rule changes nothing. */
    struct cgroup_device_rule bad[] = {rule(true, 'q', 1, 3, "r")};
    _cleanup_error_ struct error *e = NULL;
    int r = cg_bpf_set_devices(h, bad, 1, &e);
    uint32_t ids[8] = {0};
    int n = attached(dir, ids, 8);
    ok(r == -EINVAL && n == 1 && ids[0] == prev, "an invalid rule is refused and the filter stays (%s)",
       e ? e->msg : "no error");
}

static void test_missing_cgroup(struct cg_hierarchy *h) {
    struct cg_hierarchy missing = *h;
    missing.path = xasprintf("%s-missing", h->path);
    struct cgroup_device_rule rules[] = {rule(true, 'a', -1, -1, "rwm")};
    _cleanup_error_ struct error *e = NULL;
    int r = cg_bpf_set_devices(&missing, rules, 1, &e);
    ok(r == -ENOENT && e && strstr(e->msg, missing.path), "a missing cgroup is an error naming it (%s)",
       e ? e->msg : "no error");
    free(missing.path);
}

static int rmdir_wait(const char *dir) {
    for (int i = 0; i < 200; i++) {
        if (rmdir(dir) == 0 || errno == ENOENT)
            return 0;
        if (errno != EBUSY)
            break;
        usleep(10000);
    }
    return -1;
}

static void test_real(void) {
    _cleanup_free_ char *mnt = NULL, *own = NULL;
    if (geteuid() != 0 || find_v2(&mnt, &own) < 0) {
        ok(1, "# SKIP enforcement needs root and a cgroup2 mount with our cgroup in it");
        return;
    }
    struct cg_hierarchy h = {.mount_point = mnt, .controllers = "", .own = own};
    h.path = xasprintf("%s/hull-bpf-test-%d", own, (int)getpid());
    _cleanup_free_ char *dir = xasprintf("%s%s", mnt, h.path);
    char tmp[] = "/tmp/hull-bpf-test-XXXXXX";
    h.mount_fd = open(mnt, O_PATH | O_DIRECTORY | O_CLOEXEC);
    bool made_dir = mkdir(dir, 0755) == 0;
    bool made_tmp = mkdtemp(tmp) != NULL;
    if (ok(h.mount_fd >= 0 && made_dir && made_tmp, "cgroup %s and %s made", dir, tmp)) {
        test_real_scenarios(&h, dir, tmp);
        test_missing_cgroup(&h);
    }
    if (made_dir)
        ok(rmdir_wait(dir) == 0, "cgroup %s removed", dir);
    if (made_tmp)
        rmdir(tmp);
    if (h.mount_fd >= 0)
        close(h.mount_fd);
    free(h.path);
}

int main(void) {
    test_semantics_cases();
    test_semantics_random();
    test_collapse();
    test_invalid();
    if (geteuid() == 0)
        test_verifier();
    else
        ok(1, "# SKIP the verifier needs root");
    test_real();
    return tap_done();
}
