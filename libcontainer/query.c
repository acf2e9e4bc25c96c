/* state and list: read-only views that take no lock, so they answer while an operation runs. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../base/cleanup.h"
#include "../base/util.h"
#include "../oci/oci.h"
#include "container.h"
#include "statedir.h"

int container_id_validate(const char *id, struct error **err) {
    if (!id || !*id)
        return error_new(err, EINVAL, "container id: must not be empty");
    if (!strcmp(id, ".") || !strcmp(id, "..") || strlen(id) > 1024)
        return error_new(err, EINVAL, "container id \"%s\": invalid", id);
    for (const char *p = id; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || strchr("_+-.", *p)))
            return error_new(err, EINVAL, "container id \"%s\": invalid character '%c' (allowed: letters, digits, _ + - .)",
                             id, *p);
    return 0;
}

/* Open without locking: a snapshot of the state. */
static int peek(const char *root, const char *id, struct statedir *sd, struct error **err) {
    memset(sd, 0, sizeof(*sd));
    sd->path = xasprintf("%s/%s", root, id);
    sd->id = (char *)id;
    sd->fd = open(sd->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (sd->fd < 0) {
        int e = errno;
        free(sd->path);
        if (e == ENOENT)
            return error_new(err, ENOENT, "container %s does not exist", id);
        return error_sys(err, e, "open state of %s", id);
    }
    return 0;
}

static void unpeek(struct statedir *sd) {
    close(sd->fd);
    free(sd->path);
}

/* The state document with the live status; *status_out optional. */
static int read_state(struct statedir *sd, struct oci_state **out, struct record *rec, struct error **err) {
    _cleanup_free_ char *json = NULL;
    size_t len = 0;
    int r = read_file_at(sd->fd, "state.json", &json, &len, err);
    if (r < 0)
        return error_wrap(err, r, "container %s", sd->id);
    if ((r = oci_state_parse(json, len, out, err)) < 0)
        return error_wrap(err, r, "container %s: state.json", sd->id);
    r = record_read(sd, rec, err);
    if (r == -ENOENT) /* still being created: state.json says "creating" */
        return 0;
    if (r < 0) {
        oci_state_free(*out);
        return r;
    }
    enum status st = status_of(sd, rec);
    free((*out)->status);
    (*out)->status = xstrdup(status_name(st));
    (*out)->pid = st == STATUS_STOPPED ? 0 : rec->pid;
    return 0;
}

int container_state(const char *root, const char *id, char **json, struct error **err) {
    int r = container_id_validate(id, err);
    if (r < 0)
        return r;
    struct statedir sd;
    if ((r = peek(root, id, &sd, err)) < 0)
        return r;
    struct oci_state *st = NULL;
    struct record rec = {0};
    r = read_state(&sd, &st, &rec, err);
    if (r >= 0) {
        *json = oci_state_to_json(st, true);
        oci_state_free(st);
    }
    record_clear(&rec);
    unpeek(&sd);
    return r;
}

int container_list(const char *root, struct container_info **out, size_t *n, struct error **err) {
    *out = NULL;
    *n = 0;
    _cleanup_closedir_ DIR *d = opendir(root);
    if (!d) {
        if (errno == ENOENT)
            return 0;
        return error_sys(err, errno, "open %s", root);
    }
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.' || container_id_validate(e->d_name, NULL) < 0)
            continue;
        struct statedir sd;
        if (peek(root, e->d_name, &sd, NULL) < 0)
            continue;
        struct oci_state *st = NULL;
        struct record rec = {0};
        if (read_state(&sd, &st, &rec, NULL) >= 0) {
            *out = xrealloc(*out, (*n + 1) * sizeof(**out));
            struct container_info *ci = &(*out)[(*n)++];
            ci->id = xstrdup(e->d_name);
            ci->pid = st->pid;
            ci->status = xstrdup(st->status);
            ci->bundle = xstrdup(st->bundle);
            ci->created = xstrdup(rec.created ? rec.created : "");
            ci->owner = xstrdup(rec.owner ? rec.owner : "");
            oci_state_free(st);
        }
        record_clear(&rec);
        unpeek(&sd);
    }
    return 0;
}

void container_info_free(struct container_info *list, size_t n) {
    for (size_t i = 0; i < n; i++) {
        free(list[i].id);
        free(list[i].status);
        free(list[i].bundle);
        free(list[i].created);
        free(list[i].owner);
    }
    free(list);
}
