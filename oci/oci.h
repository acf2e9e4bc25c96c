/* oci/: config.json in, the project's structs out; state and features documents out.
 * The only module that includes yajl. */
#ifndef HULL_OCI_OCI_H
#define HULL_OCI_OCI_H

#include <stdbool.h>
#include <stddef.h>

#include "../base/error.h"
#include "spec.h"

/* Parse and validate a config.json document.  Every error names the JSON path:
 *   "linux.namespaces[2].type: unknown namespace \"foo\""
 * Unknown properties are ignored (the spec requires it); known properties with a wrong type or an
 * unsupported value are errors. */
int oci_spec_parse(const char *json, size_t len, struct oci_spec **out, struct error **err);
/* Read <bundle>/config.json and parse it; the error names the file. */
int oci_spec_load(const char *bundle_dir, struct oci_spec **out, struct error **err);
void oci_spec_free(struct oci_spec *spec);

/* A bare process object (as `exec --process FILE` passes). */
int oci_process_parse(const char *json, size_t len, struct oci_process **out, struct error **err);
void oci_process_free(struct oci_process *p);

/* A standalone LinuxResources document (`hull update --resources FILE`): the object that is
 * linux.resources in config.json, at the top level.  Error paths are relative to that object
 * ("memory.limit: expected a 64-bit integer"); the caller prefixes the file name.  Absent fields
 * stay absent (the has_ / present flags), so only what the document names is applied. */
int oci_resources_parse(const char *json, size_t len, struct oci_resources **out, struct error **err);
void oci_resources_free(struct oci_resources *r);
/* Merge the present fields of r into linux.resources of a config.json document and return the
 * new document (pretty, newline-terminated).  Objects merge key by key, scalars are replaced;
 * arrays of objects with an identity (pageSize; name; major and minor) merge item by item, other
 * arrays are replaced.  r->devices is not merged (update ignores devices, as runc does).  Every
 * other part of the document is kept as written. */
int oci_config_merge_resources(const char *config_json, size_t len, const struct oci_resources *r, char **out,
                               struct error **err);

/* ---------- conversions (names <-> kernel values) ---------- */
/* "KILL", "SIGKILL", "9", "SIGRTMIN+3" -> signal number; -1 if unknown. */
int oci_signal_parse(const char *s);
/* "CAP_SYS_ADMIN" -> CAP_SYS_ADMIN; -1 if unknown to this kernel's header set. */
int oci_capability_parse(const char *s);
const char *oci_capability_name(int cap);
/* "RLIMIT_NOFILE" -> RLIMIT_NOFILE; -1 if unknown. */
int oci_rlimit_parse(const char *s);
/* "pid" -> CLONE_NEWPID; 0 if unknown.  And back: CLONE_NEWPID -> "pid". */
int oci_namespace_parse(const char *s);
const char *oci_namespace_name(int clone_flag);
/* config.json's names of the hook kinds, by enum oci_hook_kind: "prestart", "createRuntime", ... */
extern const char *const oci_hook_names[OCI_HOOK__COUNT + 1];

/* ---------- state ---------- */
/* The runtime-spec version hull implements, reported in state documents (as runc reports its own). */
#define OCI_RUNTIME_SPEC_VERSION "1.3.0"

struct oci_state {
    char *oci_version;
    char *id;
    char *status; /* "creating", "created", "running", "stopped", "paused" */
    int pid;      /* 0 when not applicable */
    char *bundle;
    struct oci_key_value *annotations;
    size_t n_annotations;
};

/* The state document, pretty-printed (runc prints it indented), ending with a newline. */
char *oci_state_to_json(const struct oci_state *st, bool pretty);
int oci_state_parse(const char *json, size_t len, struct oci_state **out, struct error **err);
void oci_state_free(struct oci_state *st);

/* ---------- documents hull writes ---------- */
/* The config.json of `hull spec` (runc's default shape; rootless adds a user namespace). */
char *oci_default_spec_json(bool rootless);
/* The `hull features` document (features.md). */
char *oci_features_json(void);

/* Small JSON helper for other modules' output (list --format json, ps): a string escaped and quoted. */
char *oci_json_quote(const char *s);

#endif
