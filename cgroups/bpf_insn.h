/* cgroups/ private: eBPF instruction encoding for the v2 device filter (bpf_devices.c), and the
 * pure program builder so that tests/unit/test_cgroups_bpf.c can check programs without loading
 * them.  Only bpf_devices.c and that test include this.
 *
 * The macros spell the kernel's instruction format (include/uapi/linux/bpf.h, struct bpf_insn)
 * for the few instructions the filter needs; no libbpf. */
#ifndef HULL_CGROUPS_BPF_INSN_H
#define HULL_CGROUPS_BPF_INSN_H

#include <linux/bpf.h>
#include <stddef.h>

#include "../base/error.h"
#include "cgroup.h"

#define CG_BPF_INSN(c, d, s, o, i) \
    ((struct bpf_insn){.code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i)})

/* dst = *(u32 *)(src + off) */
#define CG_BPF_LDX_W(dst, src, off) CG_BPF_INSN(BPF_LDX | BPF_MEM | BPF_W, dst, src, off, 0)
/* w_dst op= imm (32-bit ALU: the upper half of dst is zeroed) */
#define CG_BPF_ALU32_IMM(op, dst, imm) CG_BPF_INSN(BPF_ALU | (op) | BPF_K, dst, 0, 0, imm)
/* dst = imm (64-bit) */
#define CG_BPF_MOV64_IMM(dst, imm) CG_BPF_INSN(BPF_ALU64 | BPF_MOV | BPF_K, dst, 0, 0, imm)
/* if (w_dst op imm) goto pc + 1 + off (32-bit compare) */
#define CG_BPF_JMP32_IMM(op, dst, imm, off) CG_BPF_INSN(BPF_JMP32 | (op) | BPF_K, dst, 0, off, imm)
/* goto pc + 1 + off */
#define CG_BPF_JA(off) CG_BPF_INSN(BPF_JMP | BPF_JA, 0, 0, off, 0)
#define CG_BPF_EXIT() CG_BPF_INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

/* The registers of the filter: r1 = struct bpf_cgroup_dev_ctx *, r2 = device type
 * (BPF_DEVCG_DEV_*), r3 = the requested access bits not yet granted (BPF_DEVCG_ACC_*),
 * r4 = major, r5 = minor, r0 = the verdict (1 allow, 0 deny). */
enum { CG_BPF_R_CTX = 1, CG_BPF_R_TYPE = 2, CG_BPF_R_ACCESS = 3, CG_BPF_R_MAJOR = 4, CG_BPF_R_MINOR = 5 };

/* Build the BPF_PROG_TYPE_CGROUP_DEVICE program for rules (pure; no system call).
 *
 * Semantics, per access bit like the v1 devices controller: for each bit of the request (read,
 * write, mknod) the LAST rule that matches the device (type 'a' any type, else 'c'/'b'; major and
 * minor -1 any) and names that bit decides; the request is allowed only when every requested bit
 * is allowed; no matching rule denies.  For a request of one bit this is exactly "the last
 * matching rule decides".
 *
 * The program tests the rules last to first and returns at the first decision.  Rules before the
 * last catch-all ('a', -1, -1, "rwm") are never reached and are not emitted; a rule with an empty
 * access matches nothing and is skipped; registers no emitted rule reads are not loaded.
 *
 * Errors (EINVAL, naming the rule's index): type not 'a'/'c'/'b', major/minor below -1 or above
 * 2^32-1, access with a letter other than r, w, m.  *out is xmalloc'd (free()). */
int cg_bpf_build(const struct cgroup_device_rule *rules, size_t n, struct bpf_insn **out, size_t *n_insn,
                 struct error **err);

#endif
