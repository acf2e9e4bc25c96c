/* Sections of other platforms (each must be an object).  hull runs Linux containers only and keeps nothing from them,
 * but a config.json must still be valid as a whole: their types and enums are checked (the spec's bad samples include
 * an invalid "freebsd" section). */
#include <string.h>

#include "internal.h"

static int check_sharing_mode(yajl_val jail, const char *key, bool allow_disable, struct error **err) {
    _cleanup_free_ char *mode = NULL;
    int r = json_get_string(jail, "freebsd.jail", key, false, &mode, err);
    if (r < 0 || !mode)
        return r;
    if (strcmp(mode, "new") == 0 || strcmp(mode, "inherit") == 0 || (allow_disable && strcmp(mode, "disable") == 0))
        return 0;
    return jerr(err, "freebsd.jail", key, "unknown sharing mode \"%s\" (expected new%s or inherit)", mode,
                allow_disable ? ", disable" : "");
}

static int check_jail_allow(yajl_val jail, struct error **err) {
    static const char *const bools[] = {"setHostname", "rawSockets",    "chflags", "quotas", "socketAf",
                                        "mlock",       "reservedPorts", "suser",   NULL};
    yajl_val allow = NULL;
    int r = json_get_object(jail, "freebsd.jail", "allow", false, &allow, err);
    if (r < 0 || !allow)
        return r;
    for (const char *const *k = bools; *k; k++) {
        bool b;
        if ((r = json_get_bool(allow, "freebsd.jail.allow", *k, &b, NULL, err)) < 0)
            return r;
    }
    _cleanup_strv_ char **mount = NULL;
    return json_get_strv(allow, "freebsd.jail.allow", "mount", &mount, err);
}

static int check_jail(yajl_val fb, struct error **err) {
    static const char *const strings[] = {"parent", "interface", NULL};
    static const char *const lists[] = {"ip4Addr", "ip6Addr", "vnetInterfaces", NULL};
    static const char *const modes[] = {"ip4", "ip6", "sysvmsg", "sysvsem", "sysvshm", NULL};
    yajl_val jail = NULL;
    int r = json_get_object(fb, "freebsd", "jail", false, &jail, err);
    if (r < 0 || !jail)
        return r;
    for (const char *const *k = strings; *k; k++) {
        _cleanup_free_ char *s = NULL;
        if ((r = json_get_string(jail, "freebsd.jail", *k, false, &s, err)) < 0)
            return r;
    }
    for (const char *const *k = lists; *k; k++) {
        _cleanup_strv_ char **v = NULL;
        if ((r = json_get_strv(jail, "freebsd.jail", *k, &v, err)) < 0)
            return r;
    }
    for (const char *const *k = modes; *k; k++)
        if ((r = check_sharing_mode(jail, *k, true, err)) < 0)
            return r;
    int64_t statfs;
    if ((r = check_sharing_mode(jail, "host", false, err)) < 0 ||
        (r = check_sharing_mode(jail, "vnet", false, err)) < 0 ||
        (r = json_get_int(jail, "freebsd.jail", "enforceStatfs", false, 0, UINT8_MAX, &statfs, NULL, err)) < 0)
        return r;
    return check_jail_allow(jail, err);
}

static int check_freebsd_devices(yajl_val fb, struct error **err) {
    yajl_val a = NULL;
    int r = json_get_array(fb, "freebsd", "devices", false, &a, err);
    for (size_t i = 0; r >= 0 && a && i < a->u.array.len; i++) {
        _cleanup_free_ char *p = jpath_idx("freebsd.devices", i);
        _cleanup_free_ char *path = NULL;
        yajl_val d = a->u.array.values[i];
        int64_t mode;
        if (!YAJL_IS_OBJECT(d))
            return jerr(err, p, NULL, "expected an object");
        if ((r = json_get_string(d, p, "path", false, &path, err)) < 0)
            return r;
        r = json_get_int(d, p, "mode", false, 0, 0777, &mode, NULL, err);
    }
    return r;
}

int oci_check_other_platforms(yajl_val root, struct error **err) {
    static const char *const platforms[] = {"solaris", "windows", "vm", "zos", NULL};
    yajl_val fb = NULL, other = NULL;
    int r;
    for (const char *const *p = platforms; *p; p++)
        if ((r = json_get_object(root, "", *p, false, &other, err)) < 0)
            return r;
    if ((r = json_get_object(root, "", "freebsd", false, &fb, err)) < 0 || !fb)
        return r;
    if ((r = check_freebsd_devices(fb, err)) < 0 || (r = check_jail(fb, err)) < 0)
        return r;
    return 0;
}
