/* Name <-> kernel value tables: signals, capabilities, rlimits, namespaces, propagation,
 * scheduler policies and flags, personality domains, and the seccomp enums of the spec. */
#include <linux/capability.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <strings.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/resource.h>

#include "internal.h"

/* ---------- signals ---------- */
static const struct {
    const char *name;
    int sig;
} signals[] = {
    {"HUP", SIGHUP},   {"INT", SIGINT},       {"QUIT", SIGQUIT},     {"ILL", SIGILL},   {"TRAP", SIGTRAP},
    {"ABRT", SIGABRT}, {"IOT", SIGIOT},       {"BUS", SIGBUS},       {"FPE", SIGFPE},   {"KILL", SIGKILL},
    {"USR1", SIGUSR1}, {"SEGV", SIGSEGV},     {"USR2", SIGUSR2},     {"PIPE", SIGPIPE}, {"ALRM", SIGALRM},
    {"TERM", SIGTERM}, {"STKFLT", SIGSTKFLT}, {"CHLD", SIGCHLD},     {"CLD", SIGCHLD},  {"CONT", SIGCONT},
    {"STOP", SIGSTOP}, {"TSTP", SIGTSTP},     {"TTIN", SIGTTIN},     {"TTOU", SIGTTOU}, {"URG", SIGURG},
    {"XCPU", SIGXCPU}, {"XFSZ", SIGXFSZ},     {"VTALRM", SIGVTALRM}, {"PROF", SIGPROF}, {"WINCH", SIGWINCH},
    {"IO", SIGIO},     {"POLL", SIGPOLL},     {"PWR", SIGPWR},       {"SYS", SIGSYS},
};

/* "RTMIN", "RTMIN+3", "RTMAX-1", "RTMAX"; -1 if not of that form or out of range. */
static int parse_rt_signal(const char *s) {
    int base, sign;
    if (strncasecmp(s, "RTMIN", 5) == 0) {
        base = SIGRTMIN;
        sign = 1;
    } else if (strncasecmp(s, "RTMAX", 5) == 0) {
        base = SIGRTMAX;
        sign = -1;
    } else {
        return -1;
    }
    s += 5;
    if (!*s)
        return base;
    if (*s != (sign > 0 ? '+' : '-') || !s[1])
        return -1;
    int64_t off;
    if (parse_int64(s + 1, &off) < 0 || off < 0 || off > SIGRTMAX - SIGRTMIN)
        return -1;
    return base + sign * (int)off;
}

int oci_signal_parse(const char *s) {
    if (!s || !*s)
        return -1;
    int64_t n;
    if (s[0] >= '0' && s[0] <= '9') {
        if (parse_int64(s, &n) < 0 || n < 1 || n > SIGRTMAX)
            return -1;
        return (int)n;
    }
    if (strncasecmp(s, "SIG", 3) == 0)
        s += 3;
    for (size_t i = 0; i < ARRAY_SIZE(signals); i++)
        if (strcasecmp(s, signals[i].name) == 0)
            return signals[i].sig;
    return parse_rt_signal(s);
}

/* ---------- capabilities ---------- */
static const char *const cap_names[] = {
    "CAP_CHOWN",
    "CAP_DAC_OVERRIDE",
    "CAP_DAC_READ_SEARCH",
    "CAP_FOWNER",
    "CAP_FSETID",
    "CAP_KILL",
    "CAP_SETGID",
    "CAP_SETUID",
    "CAP_SETPCAP",
    "CAP_LINUX_IMMUTABLE",
    "CAP_NET_BIND_SERVICE",
    "CAP_NET_BROADCAST",
    "CAP_NET_ADMIN",
    "CAP_NET_RAW",
    "CAP_IPC_LOCK",
    "CAP_IPC_OWNER",
    "CAP_SYS_MODULE",
    "CAP_SYS_RAWIO",
    "CAP_SYS_CHROOT",
    "CAP_SYS_PTRACE",
    "CAP_SYS_PACCT",
    "CAP_SYS_ADMIN",
    "CAP_SYS_BOOT",
    "CAP_SYS_NICE",
    "CAP_SYS_RESOURCE",
    "CAP_SYS_TIME",
    "CAP_SYS_TTY_CONFIG",
    "CAP_MKNOD",
    "CAP_LEASE",
    "CAP_AUDIT_WRITE",
    "CAP_AUDIT_CONTROL",
    "CAP_SETFCAP",
    "CAP_MAC_OVERRIDE",
    "CAP_MAC_ADMIN",
    "CAP_SYSLOG",
    "CAP_WAKE_ALARM",
    "CAP_BLOCK_SUSPEND",
    "CAP_AUDIT_READ",
    "CAP_PERFMON",
    "CAP_BPF",
    "CAP_CHECKPOINT_RESTORE",
};
/* The numbers are kernel ABI; a newer kernel header may know more (then: extend the table). */
_Static_assert(CAP_LAST_CAP < 64, "capability masks are 64-bit");

int oci_capability_count(void) {
    return (int)ARRAY_SIZE(cap_names);
}

int oci_capability_parse(const char *s) {
    for (size_t i = 0; s && i < ARRAY_SIZE(cap_names); i++)
        if (strcmp(s, cap_names[i]) == 0)
            return (int)i;
    return -1;
}

const char *oci_capability_name(int cap) {
    if (cap < 0 || (size_t)cap >= ARRAY_SIZE(cap_names))
        return NULL;
    return cap_names[cap];
}

/* ---------- rlimits ---------- */
static const struct {
    const char *name;
    int resource;
} rlimits[] = {
    {"RLIMIT_CPU", RLIMIT_CPU},           {"RLIMIT_FSIZE", RLIMIT_FSIZE},
    {"RLIMIT_DATA", RLIMIT_DATA},         {"RLIMIT_STACK", RLIMIT_STACK},
    {"RLIMIT_CORE", RLIMIT_CORE},         {"RLIMIT_RSS", RLIMIT_RSS},
    {"RLIMIT_NPROC", RLIMIT_NPROC},       {"RLIMIT_NOFILE", RLIMIT_NOFILE},
    {"RLIMIT_MEMLOCK", RLIMIT_MEMLOCK},   {"RLIMIT_AS", RLIMIT_AS},
    {"RLIMIT_LOCKS", RLIMIT_LOCKS},       {"RLIMIT_SIGPENDING", RLIMIT_SIGPENDING},
    {"RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE}, {"RLIMIT_NICE", RLIMIT_NICE},
    {"RLIMIT_RTPRIO", RLIMIT_RTPRIO},     {"RLIMIT_RTTIME", RLIMIT_RTTIME},
};

int oci_rlimit_parse(const char *s) {
    for (size_t i = 0; s && i < ARRAY_SIZE(rlimits); i++)
        if (strcmp(s, rlimits[i].name) == 0)
            return rlimits[i].resource;
    return -1;
}

/* ---------- namespaces ---------- */
static const struct {
    const char *name;
    int flag;
} namespaces[] = {
    {"mount", CLONE_NEWNS}, {"pid", CLONE_NEWPID},   {"network", CLONE_NEWNET},   {"uts", CLONE_NEWUTS},
    {"ipc", CLONE_NEWIPC},  {"user", CLONE_NEWUSER}, {"cgroup", CLONE_NEWCGROUP}, {"time", CLONE_NEWTIME},
};

int oci_namespace_parse(const char *s) {
    for (size_t i = 0; s && i < ARRAY_SIZE(namespaces); i++)
        if (strcmp(s, namespaces[i].name) == 0)
            return namespaces[i].flag;
    return 0;
}

const char *oci_namespace_name(int clone_flag) {
    for (size_t i = 0; i < ARRAY_SIZE(namespaces); i++)
        if (namespaces[i].flag == clone_flag)
            return namespaces[i].name;
    return NULL;
}

/* ---------- mount propagation ---------- */
unsigned long oci_propagation_parse(const char *s) {
    static const struct {
        const char *name;
        unsigned long flags;
    } t[] = {
        {"private", MS_PRIVATE},       {"rprivate", MS_PRIVATE | MS_REC},
        {"shared", MS_SHARED},         {"rshared", MS_SHARED | MS_REC},
        {"slave", MS_SLAVE},           {"rslave", MS_SLAVE | MS_REC},
        {"unbindable", MS_UNBINDABLE}, {"runbindable", MS_UNBINDABLE | MS_REC},
    };
    for (size_t i = 0; s && i < ARRAY_SIZE(t); i++)
        if (strcmp(s, t[i].name) == 0)
            return t[i].flags;
    return 0;
}

/* ---------- scheduler ---------- */
int oci_sched_policy_parse(const char *s) {
    static const struct {
        const char *name;
        int policy;
    } t[] = {
        {"SCHED_OTHER", SCHED_OTHER}, {"SCHED_FIFO", SCHED_FIFO}, {"SCHED_RR", SCHED_RR},
        {"SCHED_BATCH", SCHED_BATCH}, {"SCHED_IDLE", SCHED_IDLE}, {"SCHED_DEADLINE", SCHED_DEADLINE},
    };
    for (size_t i = 0; s && i < ARRAY_SIZE(t); i++)
        if (strcmp(s, t[i].name) == 0)
            return t[i].policy;
    return -1;
}

uint64_t oci_sched_flag_parse(const char *s) {
    static const struct {
        const char *name;
        uint64_t flag;
    } t[] = {
        {"SCHED_FLAG_RESET_ON_FORK", SCHED_FLAG_RESET_ON_FORK},
        {"SCHED_FLAG_RECLAIM", SCHED_FLAG_RECLAIM},
        {"SCHED_FLAG_DL_OVERRUN", SCHED_FLAG_DL_OVERRUN},
        {"SCHED_FLAG_KEEP_POLICY", SCHED_FLAG_KEEP_POLICY},
        {"SCHED_FLAG_KEEP_PARAMS", SCHED_FLAG_KEEP_PARAMS},
        {"SCHED_FLAG_UTIL_CLAMP_MIN", SCHED_FLAG_UTIL_CLAMP_MIN},
        {"SCHED_FLAG_UTIL_CLAMP_MAX", SCHED_FLAG_UTIL_CLAMP_MAX},
    };
    for (size_t i = 0; s && i < ARRAY_SIZE(t); i++)
        if (strcmp(s, t[i].name) == 0)
            return t[i].flag;
    return 0;
}

/* ---------- personality ---------- */
long oci_personality_parse(const char *s) {
    if (s && strcmp(s, "LINUX") == 0)
        return PER_LINUX;
    if (s && strcmp(s, "LINUX32") == 0)
        return PER_LINUX32;
    return -1;
}

/* ---------- the spec's enums ---------- */
const char *const oci_seccomp_actions[] = {
    "SCMP_ACT_KILL",  "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP",   "SCMP_ACT_ERRNO",
    "SCMP_ACT_TRACE", "SCMP_ACT_ALLOW",        "SCMP_ACT_LOG",         "SCMP_ACT_NOTIFY", NULL,
};

const char *const oci_seccomp_operators[] = {
    "SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE",        "SCMP_CMP_EQ",
    "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ", NULL,
};

const char *const oci_seccomp_archs[] = {
    "SCMP_ARCH_X86",         "SCMP_ARCH_X86_64",      "SCMP_ARCH_X32",     "SCMP_ARCH_ARM",
    "SCMP_ARCH_AARCH64",     "SCMP_ARCH_LOONGARCH64", "SCMP_ARCH_M68K",    "SCMP_ARCH_MIPS",
    "SCMP_ARCH_MIPS64",      "SCMP_ARCH_MIPS64N32",   "SCMP_ARCH_MIPSEL",  "SCMP_ARCH_MIPSEL64",
    "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC",         "SCMP_ARCH_PPC64",   "SCMP_ARCH_PPC64LE",
    "SCMP_ARCH_S390",        "SCMP_ARCH_S390X",       "SCMP_ARCH_SH",      "SCMP_ARCH_SHEB",
    "SCMP_ARCH_PARISC",      "SCMP_ARCH_PARISC64",    "SCMP_ARCH_RISCV64", NULL,
};

const char *const oci_seccomp_flags[] = {
    "SECCOMP_FILTER_FLAG_TSYNC",
    "SECCOMP_FILTER_FLAG_LOG",
    "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
    "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV",
    NULL,
};

const char *const oci_hook_names[OCI_HOOK__COUNT + 1] = {
    [OCI_HOOK_PRESTART] = "prestart",
    [OCI_HOOK_CREATE_RUNTIME] = "createRuntime",
    [OCI_HOOK_CREATE_CONTAINER] = "createContainer",
    [OCI_HOOK_START_CONTAINER] = "startContainer",
    [OCI_HOOK_POSTSTART] = "poststart",
    [OCI_HOOK_POSTSTOP] = "poststop",
    [OCI_HOOK__COUNT] = NULL,
};
