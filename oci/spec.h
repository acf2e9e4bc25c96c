/* The project's own representation of an OCI config.json (runtime-spec 1.0 - 1.3).
 *
 * Plain C structs owned by hull: oci/ fills them from JSON (yajl stays inside oci/), validates them,
 * and converts names to kernel values (CLONE_*, MS_*, CAP_*, RLIMIT_*, signals) so that the rest of
 * the runtime, and above all the container's child process, never parses anything.
 *
 * Conventions: strings are NUL-terminated and owned; arrays come as (pointer, count) pairs;
 * string lists are NULL-terminated char** vectors; an optional scalar has a `has_` flag beside it;
 * an optional object is a pointer that is NULL when absent.
 */
#ifndef HULL_OCI_SPEC_H
#define HULL_OCI_SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* -std=gnu11 predefines `linux` as 1; the field oci_spec.linux needs the name. */
#undef linux

/* ---------- hooks ---------- */
enum oci_hook_kind {
    OCI_HOOK_PRESTART,
    OCI_HOOK_CREATE_RUNTIME,
    OCI_HOOK_CREATE_CONTAINER,
    OCI_HOOK_START_CONTAINER,
    OCI_HOOK_POSTSTART,
    OCI_HOOK_POSTSTOP,
    OCI_HOOK__COUNT
};

struct oci_hook {
    char *path;   /* absolute path on the host (validated) */
    char **args;  /* may be NULL */
    char **env;   /* may be NULL */
    int timeout;  /* seconds; 0 = none (the spec requires > 0 when present) */
};

struct oci_hook_list {
    struct oci_hook *items;
    size_t n;
};

/* ---------- process ---------- */
struct oci_rlimit {
    int resource; /* RLIMIT_* */
    char *name;   /* "RLIMIT_NOFILE", for messages */
    uint64_t soft, hard;
};

struct oci_capabilities {
    /* bit masks of CAP_* numbers (1ULL << CAP_X); a missing set is 0 */
    uint64_t bounding, effective, inheritable, permitted, ambient;
};

enum oci_ioprio_class { OCI_IOPRIO_NONE = 0, OCI_IOPRIO_RT = 1, OCI_IOPRIO_BE = 2, OCI_IOPRIO_IDLE = 3 };

struct oci_scheduler {
    int policy;      /* SCHED_* */
    int32_t nice, priority;
    uint64_t flags;  /* SCHED_FLAG_* bits */
    uint64_t runtime, deadline, period;
};

struct oci_process {
    bool terminal;
    bool has_console_size;
    unsigned console_height, console_width;

    uint32_t uid, gid;
    bool has_umask;
    uint32_t umask;
    uint32_t *additional_gids;
    size_t n_additional_gids;
    char *username; /* Windows-only in the spec; kept for messages */

    char **args;         /* may be NULL only for a create that is never started */
    char *command_line;  /* Windows-only; ignored on Linux */
    char **env;
    char *cwd;           /* absolute (validated) */

    struct oci_capabilities *capabilities; /* NULL: leave the caller's capabilities as they are */

    struct oci_rlimit *rlimits;
    size_t n_rlimits;

    bool no_new_privileges;
    bool has_oom_score_adj;
    int oom_score_adj;

    char *apparmor_profile;
    char *selinux_label;

    enum oci_ioprio_class ioprio_class; /* NONE when absent */
    int32_t ioprio_priority;

    struct oci_scheduler *scheduler;   /* NULL when absent */

    char *exec_cpu_affinity_initial;   /* cpu list strings, e.g. "0-3,7"; NULL when absent */
    char *exec_cpu_affinity_final;
};

/* ---------- mounts ---------- */
struct oci_idmap {
    uint32_t container_id, host_id, size;
};

struct oci_mount {
    char *destination; /* absolute path inside the container */
    char *source;      /* may be NULL */
    char *type;        /* may be NULL (bind mounts) */
    char **options;    /* as written; may be NULL */

    /* Converted from options: */
    unsigned long flags;       /* MS_* to set at mount time (MS_RDONLY, MS_NOSUID, MS_BIND, MS_REC...) */
    unsigned long clear_flags; /* MS_* explicitly cleared (rw, suid, dev, exec, atime...) */
    unsigned long propagation; /* one of MS_SHARED/MS_SLAVE/MS_PRIVATE/MS_UNBINDABLE, | MS_REC, or 0 */
    uint64_t attr_set;         /* MOUNT_ATTR_* for recursive options (rro, rnosuid...), via mount_setattr */
    uint64_t attr_clr;
    uint64_t attr_propagation; /* unused by now; propagation goes through `propagation` */
    char *data;                /* options the kernel mount flags do not cover, comma-joined; or NULL */
    bool bind;                 /* bind or rbind (type "bind" or option bind/rbind) */
    bool recursive_bind;       /* rbind */
    bool tmpcopyup;
    bool idmap, ridmap;
    struct oci_idmap *uid_mappings;
    size_t n_uid_mappings;
    struct oci_idmap *gid_mappings;
    size_t n_gid_mappings;
};

/* ---------- linux ---------- */
struct oci_namespace {
    int type;   /* CLONE_NEWNS, CLONE_NEWPID, ... CLONE_NEWTIME */
    char *path; /* join this namespace; NULL: create a new one */
};

struct oci_device {
    char *path;      /* absolute, inside the container */
    char type;       /* 'c', 'b', 'u' (unbuffered char = 'c'), 'p' */
    int64_t major, minor;
    bool has_file_mode;
    uint32_t file_mode;
    bool has_uid, has_gid;
    uint32_t uid, gid;
};

struct oci_device_cgroup {
    bool allow;
    char type; /* 'a', 'c', 'b'; 'a' when absent */
    bool has_major, has_minor;
    int64_t major, minor; /* -1 / absent = wildcard */
    char *access;         /* subset of "rwm"; NULL = "rwm" */
};

struct oci_block_io_weight_device {
    int64_t major, minor;
    bool has_weight, has_leaf_weight;
    uint16_t weight, leaf_weight;
};

struct oci_block_io_throttle {
    int64_t major, minor;
    uint64_t rate;
};

struct oci_hugepage_limit {
    char *page_size; /* "2MB", "1GB"; "2MB.rsvd" is not a spec form: reservations use `rsvd` */
    uint64_t limit;
};

struct oci_net_priority {
    char *name;
    uint32_t priority;
};

struct oci_rdma {
    char *device;
    bool has_hca_handles, has_hca_objects;
    uint32_t hca_handles, hca_objects;
};

struct oci_key_value {
    char *key, *value;
};

struct oci_resources {
    struct oci_device_cgroup *devices;
    size_t n_devices;

    struct {
        bool present;
        bool has_limit, has_reservation, has_swap, has_kernel, has_kernel_tcp, has_swappiness;
        int64_t limit, reservation, swap, kernel, kernel_tcp;
        uint64_t swappiness;
        bool has_disable_oom_killer, disable_oom_killer;
        bool has_use_hierarchy, use_hierarchy;
        bool has_check_before_update, check_before_update;
    } memory;

    struct {
        bool present;
        bool has_shares, has_quota, has_period, has_burst, has_realtime_runtime, has_realtime_period, has_idle;
        uint64_t shares, period, burst, realtime_period;
        int64_t quota, realtime_runtime, idle;
        char *cpus, *mems; /* NULL when absent */
    } cpu;

    struct {
        bool present;
        int64_t limit; /* <= 0 or absent (-1): unlimited */
    } pids;

    struct {
        bool present;
        bool has_weight, has_leaf_weight;
        uint16_t weight, leaf_weight;
        struct oci_block_io_weight_device *weight_devices;
        size_t n_weight_devices;
        struct oci_block_io_throttle *throttle_read_bps, *throttle_write_bps, *throttle_read_iops,
            *throttle_write_iops;
        size_t n_throttle_read_bps, n_throttle_write_bps, n_throttle_read_iops, n_throttle_write_iops;
    } block_io;

    struct oci_hugepage_limit *hugepage_limits;
    size_t n_hugepage_limits;

    struct {
        bool present;
        bool has_class_id;
        uint32_t class_id;
        struct oci_net_priority *priorities;
        size_t n_priorities;
    } network;

    struct oci_rdma *rdma;
    size_t n_rdma;

    struct oci_key_value *unified;
    size_t n_unified;
};

struct oci_seccomp_arg {
    uint32_t index;
    uint64_t value, value_two;
    char *op; /* "SCMP_CMP_EQ", ... (validated against the enum) */
};

struct oci_seccomp_syscall {
    char **names;
    char *action; /* "SCMP_ACT_ALLOW", ... (validated) */
    bool has_errno_ret;
    uint32_t errno_ret;
    struct oci_seccomp_arg *args;
    size_t n_args;
};

struct oci_seccomp {
    char *default_action;
    bool has_default_errno_ret;
    uint32_t default_errno_ret;
    char **architectures;
    char **flags;
    char *listener_path;
    char *listener_metadata;
    struct oci_seccomp_syscall *syscalls;
    size_t n_syscalls;
};

struct oci_time_offset {
    bool present;
    int64_t secs;
    uint32_t nanosecs;
};

struct oci_personality {
    char *domain;   /* "LINUX" or "LINUX32" */
    char **flags;
    unsigned long persona; /* converted: PER_LINUX / PER_LINUX32 */
};

struct oci_intel_rdt {
    char *clos_id, *l3_cache_schema, *mem_bw_schema;
    char **schemata;
    bool enable_monitoring;
};

struct oci_memory_policy {
    char *mode;   /* "MPOL_BIND", ... */
    char *nodes;
    char **flags;
};

struct oci_net_device {
    char *host_name; /* key of linux.netDevices */
    char *name;      /* name inside the container; NULL = keep */
};

struct oci_linux {
    struct oci_namespace *namespaces;
    size_t n_namespaces;
    int ns_new_flags;  /* OR of CLONE_NEW* to create (no path) */
    int ns_join_flags; /* OR of CLONE_NEW* to join (path) */

    struct oci_idmap *uid_mappings;
    size_t n_uid_mappings;
    struct oci_idmap *gid_mappings;
    size_t n_gid_mappings;

    struct oci_time_offset time_boottime, time_monotonic;

    struct oci_device *devices;
    size_t n_devices;

    char *cgroups_path; /* NULL when absent */
    struct oci_resources *resources; /* NULL when absent */

    char *rootfs_propagation; /* as written; NULL when absent */
    unsigned long rootfs_propagation_flags; /* MS_SHARED|MS_REC ...; 0 when absent */

    char **masked_paths;
    char **readonly_paths;

    struct oci_key_value *sysctl;
    size_t n_sysctl;

    struct oci_seccomp *seccomp;        /* NULL when absent */
    struct oci_personality *personality; /* NULL when absent */
    struct oci_intel_rdt *intel_rdt;    /* NULL when absent */
    struct oci_memory_policy *memory_policy; /* NULL when absent */
    struct oci_net_device *net_devices;
    size_t n_net_devices;

    char *mount_label;
};

struct oci_spec {
    char *oci_version;
    char *root_path;     /* as written (may be relative to the bundle) */
    bool root_readonly;
    char *hostname;      /* NULL when absent */
    char *domainname;    /* NULL when absent */

    struct oci_mount *mounts;
    size_t n_mounts;

    struct oci_process *process; /* NULL when absent */
    struct oci_hook_list hooks[OCI_HOOK__COUNT];

    struct oci_key_value *annotations;
    size_t n_annotations;

    struct oci_linux *linux; /* NULL when absent */
};

#endif
