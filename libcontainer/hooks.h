/* OCI hooks: each one run with the container state on stdin, its own args and env, and an
 * optional timeout (the hook is killed and the run fails when it is exceeded). */
#ifndef HULL_LIBCONTAINER_HOOKS_H
#define HULL_LIBCONTAINER_HOOKS_H

#include "../base/error.h"
#include "../oci/spec.h"

/* Run every hook of one kind in order; stop at the first failure (non-zero exit, signal, timeout,
 * exec failure) -- except poststop hooks, whose failures are logged as warnings while the rest
 * still run (runtime.md), so that kind always returns 0.  The error names the hook: "hooks.prestart[1] (/usr/bin/x): exited with status 3". */
int hooks_run(const struct oci_spec *spec, enum oci_hook_kind kind, const char *state_json, struct error **err);

/* The config.json name of a kind: "prestart", "createRuntime", ... */
const char *hooks_kind_name(enum oci_hook_kind kind);

#endif
