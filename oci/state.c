/* The state document (runtime.md "State", schema/state-schema.json). */
#include <limits.h>
#include <string.h>

#include "internal.h"

/* The spec's statuses, and "paused", which runc and hull report for a frozen container. */
static const char *const statuses[] = {"creating", "created", "running", "stopped", "paused", NULL};

char *oci_state_to_json(const struct oci_state *st, bool pretty) {
    yajl_gen g = json_gen_new(pretty);
    yajl_gen_map_open(g);
    jg_key_str(g, "ociVersion", st->oci_version ? st->oci_version : "");
    jg_key_str(g, "id", st->id ? st->id : "");
    jg_key_str(g, "status", st->status ? st->status : "");
    if (st->pid > 0)
        jg_key_int(g, "pid", st->pid);
    jg_key_str(g, "bundle", st->bundle ? st->bundle : "");
    if (st->n_annotations) {
        jg_key(g, "annotations");
        yajl_gen_map_open(g);
        for (size_t i = 0; i < st->n_annotations; i++)
            jg_key_str(g, st->annotations[i].key, st->annotations[i].value ? st->annotations[i].value : "");
        yajl_gen_map_close(g);
    }
    yajl_gen_map_close(g);
    return json_gen_finish(g, pretty);
}

static int parse_state(yajl_val root, struct oci_state *st, struct error **err) {
    int64_t pid = 0;
    int r;
    if ((r = json_get_string(root, "", "ociVersion", true, &st->oci_version, err)) < 0 ||
        (r = json_get_string(root, "", "id", true, &st->id, err)) < 0 ||
        (r = json_get_string(root, "", "status", true, &st->status, err)) < 0 ||
        (r = json_get_int(root, "", "pid", false, 0, INT_MAX, &pid, NULL, err)) < 0 ||
        (r = json_get_string(root, "", "bundle", true, &st->bundle, err)) < 0 ||
        (r = json_get_string_map(root, "", "annotations", &st->annotations, &st->n_annotations, err)) < 0)
        return r;
    if (!str_in(st->status, statuses))
        return jerr(err, "status", NULL, "unknown status \"%s\"", st->status);
    st->pid = (int)pid;
    return 0;
}

int oci_state_parse(const char *json, size_t len, struct oci_state **out, struct error **err) {
    yajl_val root;
    int r = json_parse_doc(json, len, &root, err);
    if (r < 0)
        return r;
    struct oci_state *st = xcalloc(1, sizeof(*st));
    r = parse_state(root, st, err);
    yajl_tree_free(root);
    if (r < 0) {
        oci_state_free(st);
        return r;
    }
    *out = st;
    return 0;
}
