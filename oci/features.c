/* The `hull features` document (features.md, schema/features-schema.json). */
#include <ctype.h>
#include <seccomp.h>
#include <string.h>

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
    gen_enabled(g, "apparmor", false);
    gen_enabled(g, "selinux", false);
    gen_enabled(g, "intelRdt", false);
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
