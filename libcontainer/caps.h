/* Capability sets as 64-bit masks (bit n = capability n, as in struct oci_capabilities), read
 * and written for the calling process.  Used by the process code only. */
#ifndef HULL_LIBCONTAINER_CAPS_H
#define HULL_LIBCONTAINER_CAPS_H

#include <stdbool.h>
#include <stdint.h>

#include "../base/error.h"

struct caps_state {
    uint64_t effective, permitted, inheritable, bounding, ambient;
};

/* The capabilities the running kernel knows (0 .. cap_last_cap). */
uint64_t caps_known_mask(void);

/* Read all five sets of the calling process. */
int caps_read(struct caps_state *out, struct error **err);

/* Does the calling process hold `cap` in its effective set? */
bool caps_have_effective(int cap);

/* PR_CAPBSET_DROP every capability of the bounding set that is not in keep. */
int caps_drop_bounding(uint64_t keep, struct error **err);

/* capset(2) through libcap: effective, permitted and inheritable at once. */
int caps_set(uint64_t effective, uint64_t permitted, uint64_t inheritable, struct error **err);

/* Clear the ambient set, then raise each capability of `ambient`. */
int caps_set_ambient(uint64_t ambient, struct error **err);

/* "CAP_CHOWN, CAP_KILL" (unknown numbers as "CAP_45"); the caller frees. */
char *caps_names(uint64_t mask);

#endif
