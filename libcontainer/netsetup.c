/* The container's network in create and delete (netsetup.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "../base/cleanup.h"
#include "../base/log.h"
#include "../base/util.h"
#include "../network/network.h"
#include "launch.h"
#include "netsetup.h"

struct netsetup {
    struct net_request req;
    char host_ifname[IFNAMSIZ];
    int netns_fd;           /* the container's; held until the end, so rollback can reach it */
    struct net_ctx *ctx;
    struct net_record rec;  /* what was made, as the state's "network" file has it */
    struct net_moved *moved;
    size_t n_moved;
    bool veth_tried;
};

/* ---- prepare ---- */

static void set_annotation(struct oci_spec *s, const char *key, const char *value) {
    for (size_t i = 0; i < s->n_annotations; i++)
        if (!strcmp(s->annotations[i].key, key)) {
            free(s->annotations[i].value);
            s->annotations[i].value = xstrdup(value);
            return;
        }
    s->annotations = xrealloc(s->annotations, (s->n_annotations + 1) * sizeof(*s->annotations));
    s->annotations[s->n_annotations++] = (struct oci_key_value){xstrdup(key), xstrdup(value)};
}

static bool joins_netns(const struct launch *l) {
    for (size_t i = 0; i < l->n_joins; i++)
        if (l->join_flag[i] == CLONE_NEWNET)
            return true;
    return false;
}

int netsetup_prepare(struct launch *l, struct error **err) {
    struct oci_spec *s = l->spec;
    struct net_request req;
    int r = net_request_parse(s->annotations, s->n_annotations, l->opts->network, &req, err);
    if (r < 0)
        return r;
    bool new_netns = (l->clone_flags & CLONE_NEWNET) != 0;
    char label[96];
    if (req.mode != NET_MODE_NONE && !new_netns) {
        r = error_new(err, EINVAL, "%s: needs a new network namespace (an entry {\"type\": \"network\"} without a "
                                   "path in linux.namespaces)", net_request_label(&req, "", label, sizeof(label)));
        net_request_free(&req);
        return r;
    }
    if (s->linux->n_net_devices && !new_netns && !joins_netns(l)) {
        net_request_free(&req);
        return error_new(err, EINVAL, "linux.netDevices: the container has no network namespace of its own to move "
                                      "devices into (add {\"type\": \"network\"} to linux.namespaces)");
    }
    if (req.mode == NET_MODE_NONE && !s->linux->n_net_devices) {
        net_request_free(&req);
        return 0;
    }
    struct netsetup *ns = xcalloc(1, sizeof(*ns));
    ns->req = req;
    ns->netns_fd = -1;
    if (req.mode != NET_MODE_NONE) {
        net_host_ifname(l->opts->id, ns->host_ifname);
        set_annotation(s, NET_ANNOTATION_HOST_IFNAME, ns->host_ifname);
    }
    l->net = ns;
    return 0;
}

/* ---- apply ---- */

/* Held while bridge ports and hull-made bridges change: a lock on hull's network namespace itself
 * (its nsfs inode), which is where the bridges are, so that every hull using them is serialized,
 * whatever its --root, and no lock file is left anywhere. */
static int lock_network(struct error **err) {
    const char *path = "/proc/thread-self/ns/net";
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return error_sys(err, errno, "open %s", path);
    while (flock(fd, LOCK_EX) < 0)
        if (errno != EINTR) {
            int e = errno;
            close(fd);
            return error_sys(err, e, "lock the network namespace (flock %s)", path);
        }
    return fd;
}

static int save_record(const struct net_record *rec, void *data, struct error **err) {
    const struct launch *l = data;
    _cleanup_free_ char *text = net_record_format(rec);
    _cleanup_free_ char *path = xasprintf("%s/network", l->sd->path);
    return write_file_atomic(path, text, strlen(text), 0600, err);
}

/* Who a bridge port belongs to: the container of this root whose record has it as its host end. */
static void port_owner(const char *port, char *who, size_t len, void *data) {
    const struct launch *l = data;
    _cleanup_closedir_ DIR *d = opendir(l->opts->root);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        _cleanup_free_ char *path = xasprintf("%s/%s/network", l->opts->root, e->d_name);
        _cleanup_free_ char *text = NULL;
        struct net_record rec;
        if (read_file(path, &text, NULL, NULL) < 0 || net_record_parse(text, &rec, NULL) < 0)
            continue;
        bool found = !strcmp(rec.host_ifname, port);
        net_record_free(&rec);
        if (found) {
            snprintf(who, len, "container %s", e->d_name);
            return;
        }
    }
}

static int make_veth(struct launch *l, struct error **err) {
    struct netsetup *ns = l->net;
    ns->rec.netns = net_netns_inode();
    ns->rec.addresses = xmalloc((ns->req.n_addresses + 1) * sizeof(struct net_addr));
    memcpy(ns->rec.addresses, ns->req.addresses, ns->req.n_addresses * sizeof(struct net_addr));
    ns->rec.n_addresses = ns->req.n_addresses;
    ns->veth_tried = true;
    _cleanup_close_ int lock = -1;
    int r = 0;
    if (ns->req.mode == NET_MODE_BRIDGE && (r = lock = lock_network(err)) < 0)
        return r;
    return net_veth_setup(ns->ctx, &ns->req, ns->host_ifname, &ns->rec, save_record, port_owner, l, err);
}

static int open_netns(struct launch *l, struct error **err) {
    if (l->clone_flags & CLONE_NEWNET) {
        _cleanup_free_ char *path = xasprintf("/proc/%d/ns/net", (int)l->pid);
        l->net->netns_fd = open(path, O_RDONLY | O_CLOEXEC);
        return l->net->netns_fd < 0 ? error_sys(err, errno, "open %s", path) : 0;
    }
    for (size_t i = 0; i < l->n_joins; i++)
        if (l->join_flag[i] == CLONE_NEWNET) {
            l->net->netns_fd = fcntl(l->join_fd[i], F_DUPFD_CLOEXEC, 3);
            return l->net->netns_fd < 0 ? error_sys(err, errno, "dup the network namespace's descriptor") : 0;
        }
    return error_new(err, EINVAL, "no network namespace to set up");
}

int netsetup_apply(struct launch *l, struct error **err) {
    struct netsetup *ns = l->net;
    if (!ns)
        return 0;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int r = open_netns(l, err);
    if (r >= 0)
        r = net_ctx_open(ns->netns_fd, &ns->ctx, err);
    const struct oci_linux *lx = l->spec->linux;
    for (size_t i = 0; r >= 0 && i < lx->n_net_devices; i++) {
        const struct oci_net_device *d = &lx->net_devices[i];
        _cleanup_free_ char *label = xasprintf("linux.netDevices.%s", d->host_name);
        ns->moved = xrealloc(ns->moved, (ns->n_moved + 1) * sizeof(*ns->moved));
        r = net_device_move(ns->ctx, d->host_name, d->name, label, &ns->moved[ns->n_moved], err);
        if (r >= 0)
            log_debug("container %s: %s moved in as %s", l->opts->id, d->host_name, ns->moved[ns->n_moved].name);
        /* kept on failure too: a device moved before a later step failed goes back */
        ns->n_moved++;
    }
    if (r >= 0 && ns->req.mode != NET_MODE_NONE && (r = make_veth(l, err)) >= 0)
        log_debug("container %s: veth %s <-> %s", l->opts->id, ns->host_ifname, ns->req.ifname);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (r >= 0)
        log_debug("container %s: network set up in %ld us", l->opts->id,
                  (long)((t1.tv_sec - t0.tv_sec) * 1000000 + (t1.tv_nsec - t0.tv_nsec) / 1000));
    return r;
}

/* ---- undo ---- */

static void teardown(const char *id, const struct net_record *rec) {
    _cleanup_error_ struct error *e = NULL;
    _cleanup_close_ int lock = *rec->bridge ? lock_network(&e) : -1;
    if (lock >= 0 || !*rec->bridge)
        net_teardown(rec, &e);
    if (e)
        log_warn("container %s: remove its network: %s", id, e->msg);
}

void netsetup_rollback(struct launch *l) {
    struct netsetup *ns = l->net;
    if (!ns)
        return;
    for (size_t i = ns->n_moved; ns->ctx && i-- > 0;) {
        _cleanup_error_ struct error *e = NULL;
        if (net_device_return(ns->ctx, &ns->moved[i], &e) < 0)
            log_warn("container %s: move %s back: %s", l->opts->id, ns->moved[i].host_name, e->msg);
    }
    if (ns->veth_tried)
        teardown(l->opts->id, &ns->rec);
}

void netsetup_free(struct launch *l) {
    struct netsetup *ns = l->net;
    if (!ns)
        return;
    net_ctx_close(ns->ctx);
    if (ns->netns_fd >= 0)
        close(ns->netns_fd);
    for (size_t i = 0; i < ns->n_moved; i++)
        net_moved_free(&ns->moved[i]);
    free(ns->moved);
    net_record_free(&ns->rec);
    net_request_free(&ns->req);
    free(ns);
    l->net = NULL;
}

void netsetup_destroy(const struct statedir *sd) {
    _cleanup_free_ char *text = NULL;
    struct net_record rec;
    _cleanup_error_ struct error *e = NULL;
    int r = read_file_at(sd->fd, "network", &text, NULL, &e);
    if (r == -ENOENT)
        return;
    if (r < 0 || net_record_parse(text, &rec, &e) < 0) {
        log_warn("container %s: its network record: %s", sd->id, e ? e->msg : "unreadable");
        return;
    }
    if (rec.netns && rec.netns != net_netns_inode()) {
        if (*rec.host_ifname || *rec.bridge)
            log_warn("container %s: its host end %s is in another network namespace (net:[%llu]) than this hull: "
                     "not removed", sd->id, *rec.host_ifname ? rec.host_ifname : "(none)", rec.netns);
    } else {
        teardown(sd->id, &rec);
    }
    net_record_free(&rec);
}
