/* Capability sets as masks, over libcap (capget/capset) and prctl (bounding, ambient). */
#include "caps.h"

#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>

#include "../base/cleanup.h"
#include "../base/util.h"

static void cap_freep(cap_t *c) {
    if (*c)
        cap_free(*c);
}
#define _cleanup_cap_ _cleanup_(cap_freep)

#define BIT(c) (UINT64_C(1) << (c))

static int last_cap(void) {
    static int cached = -1;
    if (cached < 0) {
        int n = (int)cap_max_bits(); /* what the kernel knows (libcap probes it) */
        if (n < 1)
            n = CAP_LAST_CAP + 1;
        cached = n > 64 ? 63 : n - 1;
    }
    return cached;
}

uint64_t caps_known_mask(void) {
    int last = last_cap();
    return last >= 63 ? UINT64_MAX : BIT(last + 1) - 1;
}

static uint64_t flag_mask(cap_t c, cap_flag_t flag) {
    uint64_t m = 0;
    for (int cap = 0; cap <= last_cap(); cap++) {
        cap_flag_value_t v = CAP_CLEAR;
        if (cap_get_flag(c, (cap_value_t)cap, flag, &v) == 0 && v == CAP_SET)
            m |= BIT(cap);
    }
    return m;
}

int caps_read(struct caps_state *out, struct error **err) {
    _cleanup_cap_ cap_t c = cap_get_proc();
    if (!c)
        return error_sys(err, errno, "capget");
    out->effective = flag_mask(c, CAP_EFFECTIVE);
    out->permitted = flag_mask(c, CAP_PERMITTED);
    out->inheritable = flag_mask(c, CAP_INHERITABLE);
    out->bounding = out->ambient = 0;
    for (int cap = 0; cap <= last_cap(); cap++) {
        if (prctl(PR_CAPBSET_READ, cap, 0, 0, 0) == 1)
            out->bounding |= BIT(cap);
        if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, cap, 0, 0) == 1)
            out->ambient |= BIT(cap);
    }
    return 0;
}

bool caps_have_effective(int cap) {
    _cleanup_cap_ cap_t c = cap_get_proc();
    cap_flag_value_t v = CAP_CLEAR;
    return c && cap_get_flag(c, (cap_value_t)cap, CAP_EFFECTIVE, &v) == 0 && v == CAP_SET;
}

int caps_drop_bounding(uint64_t keep, struct error **err) {
    for (int cap = 0; cap <= last_cap(); cap++) {
        if ((keep & BIT(cap)) || prctl(PR_CAPBSET_READ, cap, 0, 0, 0) != 1)
            continue;
        if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0) {
            _cleanup_free_ char *name = caps_names(BIT(cap));
            return error_sys(err, errno, "drop %s from the bounding set", name);
        }
    }
    return 0;
}

static int set_flag(cap_t c, cap_flag_t flag, uint64_t mask) {
    for (int cap = 0; cap < 64; cap++) {
        cap_value_t v = cap;
        if ((mask & BIT(cap)) && cap_set_flag(c, flag, 1, &v, CAP_SET) < 0)
            return -errno;
    }
    return 0;
}

int caps_set(uint64_t effective, uint64_t permitted, uint64_t inheritable, struct error **err) {
    _cleanup_cap_ cap_t c = cap_init();
    if (!c)
        return error_sys(err, errno, "cap_init");
    int r;
    if ((r = set_flag(c, CAP_EFFECTIVE, effective)) < 0 || (r = set_flag(c, CAP_PERMITTED, permitted)) < 0 ||
        (r = set_flag(c, CAP_INHERITABLE, inheritable)) < 0)
        return error_sys(err, -r, "cap_set_flag");
    if (cap_set_proc(c) < 0)
        return error_sys(err, errno, "capset (effective %#llx, permitted %#llx, inheritable %#llx)",
                         (unsigned long long)effective, (unsigned long long)permitted,
                         (unsigned long long)inheritable);
    return 0;
}

int caps_set_ambient(uint64_t ambient, struct error **err) {
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0) {
        if (errno == EINVAL && !ambient)
            return 0; /* a kernel without ambient capabilities (< 4.3) and nothing to raise */
        return error_sys(err, errno, "clear the ambient set");
    }
    for (int cap = 0; cap < 64; cap++) {
        if (!(ambient & BIT(cap)))
            continue;
        if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0) {
            _cleanup_free_ char *name = caps_names(BIT(cap));
            return error_sys(err, errno, "raise %s in the ambient set", name);
        }
    }
    return 0;
}

static char *cap_name(int cap) {
    char *n = cap_to_name((cap_value_t)cap); /* "cap_chown", or "45" for a number libcap lacks */
    char *r = (n && !isdigit((unsigned char)n[0])) ? xstrdup(n) : xasprintf("cap_%d", cap);
    if (n)
        cap_free(n);
    for (char *s = r; *s; s++)
        *s = (char)toupper((unsigned char)*s);
    return r;
}

char *caps_names(uint64_t mask) {
    char *out = xstrdup("");
    for (int cap = 0; cap < 64; cap++) {
        if (!(mask & BIT(cap)))
            continue;
        _cleanup_free_ char *name = cap_name(cap);
        char *n = xasprintf("%s%s%s", out, *out ? ", " : "", name);
        free(out);
        out = n;
    }
    return out;
}
