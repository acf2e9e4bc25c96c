/* Internal: steps shared by start, run, kill and delete. */
#ifndef HULL_LIBCONTAINER_LIFECYCLE_H
#define HULL_LIBCONTAINER_LIFECYCLE_H

#include "../oci/spec.h"
#include "statedir.h"

/* Tell the waiting container process to go; report a startContainer or exec failure. Then run
 * the poststart hooks.  On failure the container is destroyed (runtime.md lifecycle step 12). */
int start_locked(struct statedir *sd, const struct record *rec, const struct oci_spec *spec, struct error **err);

/* Kill every process of the container, destroy its cgroups and state, run poststop hooks. */
int destroy_locked(struct statedir *sd, const struct record *rec, const struct oci_spec *spec, struct error **err);

/* config.json as create saved it. */
int load_saved_spec(const struct statedir *sd, struct oci_spec **out, struct error **err);

/* The state document of the container for hooks (compact). */
char *saved_state_json(const struct statedir *sd, const struct record *rec, const char *status);

/* Send sig to the container process, checking it is still the same process (pidfd + start time). */
int signal_init(const struct record *rec, int sig, struct error **err);

#endif
