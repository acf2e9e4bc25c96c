/* oci/ internals: the JSON tree helpers and the per-section parsers.  Not for other modules.
 *
 * Paths: every parser gets the JSON path of the value it parses ("linux.resources.memory"), and
 * every error names the path of the offending value ("linux.resources.memory.limit: expected a
 * 64-bit integer").  An absent key and a JSON null are both "not set".
 */
#ifndef HULL_OCI_INTERNAL_H
#define HULL_OCI_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <yajl/yajl_gen.h>
#include <yajl/yajl_tree.h>

#include "../base/cleanup.h"
#include "../base/util.h"
#include "oci.h"

/* ---------- paths and errors (json.c) ---------- */
/* "parent.key" ("key" when parent is empty); "parent[i]". */
char *jpath_key(const char *parent, const char *key);
char *jpath_idx(const char *parent, size_t i);
/* An EINVAL error "path.key: <fmt>" (key NULL: "path: <fmt>"). */
int jerr(struct error **err, const char *path, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* ---------- reading the tree (json.c) ---------- */
/* Parse a document whose root must be an object.  Errors: "invalid JSON: <yajl's message>"; the
 * caller that read the file prefixes its name ("/b/config.json: invalid JSON: ..."). */
int json_parse_doc(const char *json, size_t len, yajl_val *out, struct error **err);

/* The value of key in obj, or NULL when absent or null. */
yajl_val json_find(yajl_val obj, const char *key);

/* Getters on obj[key].  An absent (or null) key leaves the output untouched and returns 0, unless
 * `required`, which is an error "path.key: required".  A wrong type is an error. */
int json_get_object(yajl_val obj, const char *path, const char *key, bool required, yajl_val *out, struct error **err);
int json_get_array(yajl_val obj, const char *path, const char *key, bool required, yajl_val *out, struct error **err);
int json_get_string(yajl_val obj, const char *path, const char *key, bool required, char **out, struct error **err);
int json_get_bool(yajl_val obj, const char *path, const char *key, bool *out, bool *has, struct error **err);
/* An integer in [min, max]; the error names the type ("expected an unsigned 32-bit integer"). */
int json_get_int(yajl_val obj, const char *path, const char *key, bool required, int64_t min, int64_t max, int64_t *out,
                 bool *has, struct error **err);
int json_get_u64(yajl_val obj, const char *path, const char *key, bool required, uint64_t *out, bool *has,
                 struct error **err);
int json_get_u32(yajl_val obj, const char *path, const char *key, bool required, uint32_t *out, bool *has,
                 struct error **err);
/* An array of strings as a NULL-terminated vector (absent: *out untouched). */
int json_get_strv(yajl_val obj, const char *path, const char *key, char ***out, struct error **err);
/* An object of string values (mapStringString); keys must not be empty. */
int json_get_string_map(yajl_val obj, const char *path, const char *key, struct oci_key_value **out, size_t *n,
                        struct error **err);

/* The same checks on a bare value whose path is `path`. */
int json_value_int(yajl_val v, const char *path, int64_t min, int64_t max, int64_t *out, struct error **err);
int json_value_u64(yajl_val v, const char *path, uint64_t *out, struct error **err);
int json_value_string(yajl_val v, const char *path, char **out, struct error **err);

/* Is s one of the NULL-terminated names? */
bool str_in(const char *s, const char *const *names);

/* ---------- writing (json.c) ---------- */
yajl_gen json_gen_new(bool pretty);
/* The generated text as a malloc'ed NUL-terminated string, with a trailing newline when pretty. */
char *json_gen_finish(yajl_gen g, bool newline);
void jg_str(yajl_gen g, const char *s);
void jg_key_str(yajl_gen g, const char *key, const char *value);
void jg_key_int(yajl_gen g, const char *key, long long value);
void jg_key_bool(yajl_gen g, const char *key, bool value);
void jg_key_strv(yajl_gen g, const char *key, const char *const *values);
void jg_key(yajl_gen g, const char *key);

/* ---------- tables (convert.c) ---------- */
extern const char *const oci_seccomp_actions[]; /* NULL-terminated, spec enum order */
extern const char *const oci_seccomp_operators[];
extern const char *const oci_seccomp_archs[];
extern const char *const oci_seccomp_flags[];
/* "shared", "rslave", ... -> MS_*(|MS_REC); 0 if unknown. */
unsigned long oci_propagation_parse(const char *s);
/* "SCHED_FIFO" -> SCHED_FIFO; -1 if unknown or not supported on Linux (SCHED_ISO). */
int oci_sched_policy_parse(const char *s);
/* "SCHED_FLAG_RESET_ON_FORK" -> bit; 0 if unknown. */
uint64_t oci_sched_flag_parse(const char *s);
/* "LINUX" -> PER_LINUX; -1 if unknown. */
long oci_personality_parse(const char *s);
/* Number of capabilities this build knows (CAP_LAST_CAP + 1). */
int oci_capability_count(void);

/* ---------- mount options (mount_options.c) ---------- */
/* Fill m->flags, clear_flags, propagation, attr_set/clr, data, bind, ... from m->options and m->type. */
void oci_mount_convert_options(struct oci_mount *m);
/* Every option name the converter knows (for the features document); NULL-terminated. */
extern const char *const oci_mount_option_names[];

/* ---------- section parsers ---------- */
int oci_parse_process(yajl_val v, const char *path, struct oci_process **out, struct error **err);
int oci_parse_mounts(yajl_val root, struct oci_spec *spec, struct error **err);
int oci_parse_idmaps(yajl_val obj, const char *path, const char *key, struct oci_idmap **out, size_t *n,
                     struct error **err);
int oci_parse_hooks(yajl_val root, struct oci_spec *spec, struct error **err);
int oci_parse_linux(yajl_val v, const char *path, struct oci_linux **out, struct error **err);
int oci_parse_resources(yajl_val v, const char *path, struct oci_resources **out, struct error **err);
int oci_parse_seccomp(yajl_val v, const char *path, struct oci_seccomp **out, struct error **err);
/* Type checks of the other platforms' sections that hull does not use (freebsd, zos). */
int oci_check_other_platforms(yajl_val root, struct error **err);

/* ---------- validation across fields (validate.c) ---------- */
int oci_spec_validate(struct oci_spec *spec, struct error **err);

/* ---------- free (free.c) ---------- */
void oci_resources_free(struct oci_resources *r);
void oci_linux_free(struct oci_linux *l);
void oci_seccomp_free(struct oci_seccomp *s);
void oci_key_values_free(struct oci_key_value *kv, size_t n);

#endif
