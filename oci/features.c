/* The `hull features` document (features.md, schema/features-schema.json). */
#include <ctype.h>
#include <errno.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "internal.h"

static void gen_capabilities(yajl_gen g) {
    jg_key(g, "capabilities");
    yajl_gen_array_open(g);
    for (int c = 0; c < oci_capability_count(); c++)
        jg_str(g, oci_capability_name(c));
    yajl_gen_array_close(g);
}

/* "SCMP_ARCH_X86_64" -> libseccomp's "x86_64"; is it known to the linked libseccomp? */
static bool arch_supported(const char *spec_name) {
    char name[32];
    const char *s = spec_name + strlen("SCMP_ARCH_");
    size_t i = 0;
    for (; s[i] && i < sizeof(name) - 1; i++)
        name[i] = (char)tolower((unsigned char)s[i]);
    name[i] = '\0';
    return seccomp_arch_resolve_name(name) != 0;
}

/* hull loads the exported BPF with seccomp(2) itself, so a flag is supported when the kernel
 * takes it: with a NULL program a known flag fails with EFAULT, an unknown one with EINVAL (runc's
 * probe). */
static bool seccomp_flag_supported(const char *name) {
    static const struct {
        const char *name;
        unsigned int flag;
    } flags[] = {
        {"SECCOMP_FILTER_FLAG_TSYNC", 1U << 0},
        {"SECCOMP_FILTER_FLAG_LOG", 1U << 1},
        {"SECCOMP_FILTER_FLAG_SPEC_ALLOW", 1U << 2},
        {"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", 1U << 5},
    };
    for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
        if (strcmp(flags[i].name, name) == 0)
            /* WAIT_KILLABLE_RECV is only taken together with NEW_LISTENER (1 << 3) */
            return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags[i].flag | (i == 3 ? 1U << 3 : 0), NULL) < 0 &&
                   errno == EFAULT;
    return false;
}

static void gen_seccomp(yajl_gen g) {
    jg_key(g, "seccomp");
    yajl_gen_map_open(g);
    jg_key_bool(g, "enabled", true);
    jg_key_strv(g, "actions", oci_seccomp_actions);
    jg_key_strv(g, "operators", oci_seccomp_operators);
    jg_key(g, "archs");
    yajl_gen_array_open(g);
    for (const char *const *a = oci_seccomp_archs; *a; a++)
        if (arch_supported(*a))
            jg_str(g, *a);
    yajl_gen_array_close(g);
    jg_key_strv(g, "knownFlags", oci_seccomp_flags);
    jg_key(g, "supportedFlags");
    yajl_gen_array_open(g);
    for (const char *const *f = oci_seccomp_flags; *f; f++)
        if (seccomp_flag_supported(*f))
            jg_str(g, *f);
    yajl_gen_array_close(g);
    yajl_gen_map_close(g);
}

static void gen_enabled(yajl_gen g, const char *key, bool enabled) {
    jg_key(g, key);
    yajl_gen_map_open(g);
    jg_key_bool(g, "enabled", enabled);
    yajl_gen_map_close(g);
}

static void gen_linux(yajl_gen g) {
    static const char *const namespaces[] = {"cgroup", "ipc", "mount", "network", "pid", "time", "user", "uts", NULL};
    jg_key(g, "linux");
    yajl_gen_map_open(g);
    jg_key_strv(g, "namespaces", namespaces);
    gen_capabilities(g);
    jg_key(g, "cgroup");
    yajl_gen_map_open(g);
    jg_key_bool(g, "v1", true);
    jg_key_bool(g, "v2", true);
    jg_key_bool(g, "systemd", false);
    jg_key_bool(g, "systemdUser", false);
    jg_key_bool(g, "rdma", true);
    yajl_gen_map_close(g);
    gen_seccomp(g);
    gen_enabled(g, "apparmor", true);
    gen_enabled(g, "selinux", true);
    gen_enabled(g, "intelRdt", false);
    gen_enabled(g, "netDevices", true);
    jg_key(g, "mountExtensions");
    yajl_gen_map_open(g);
    gen_enabled(g, "idmap", true);
    yajl_gen_map_close(g);
    yajl_gen_map_close(g);
}

char *oci_features_json(void) {
    yajl_gen g = json_gen_new(true);
    yajl_gen_map_open(g);
    jg_key_str(g, "ociVersionMin", "1.0.0");
    jg_key_str(g, "ociVersionMax", "1.3.0");
    jg_key_strv(g, "hooks", oci_hook_names);
    jg_key_strv(g, "mountOptions", oci_mount_option_names);
    gen_linux(g);
    const struct scmp_version *v = seccomp_version();
    _cleanup_free_ char *ver = xasprintf("%u.%u.%u", v->major, v->minor, v->micro);
    jg_key(g, "annotations");
    yajl_gen_map_open(g);
    jg_key_str(g, "io.github.seccomp.libseccomp.version", ver);
    yajl_gen_map_close(g);
    yajl_gen_map_close(g);
    return json_gen_finish(g, true);
}
