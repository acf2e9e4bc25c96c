/* Shared between the process_*.c files; not for other modules. */
#ifndef HULL_LIBCONTAINER_PROCESS_INTERNAL_H
#define HULL_LIBCONTAINER_PROCESS_INTERNAL_H

#include <sched.h>
#include <stddef.h>

#include "../base/error.h"
#include "../oci/spec.h"

/* Parse a CPU list ("0-3,7") into a CPU_ALLOC'd set (*size for the CPU_*_S macros); the caller
 * CPU_FREEs it.  0 or -EINVAL (malformed, or a CPU number above 65535). */
int process_parse_cpu_list(const char *s, cpu_set_t **set, size_t *size);

/* Check the consistency of the capability sets: effective within permitted, inheritable within
 * bounding, ambient within permitted and inheritable (errors name the set and the capabilities). */
int process_check_caps(const struct oci_capabilities *c, struct error **err);

/* process_apply_attributes defers a chdir(cwd) that root may not do (EACCES, e.g. a directory only
 * the container user can enter); process_set_identity calls this after the switch of uid. */
int process_finish_cwd(const struct oci_process *p, struct error **err);

#endif
