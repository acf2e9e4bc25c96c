/* events: statistics and OOM notifications of a container, as JSON lines. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "../base/cleanup.h"
#include "../base/log.h"
#include "../base/util.h"
#include "../cgroups/cgroup.h"
#include "container.h"
#include "events.h"
#include "statedir.h"

/* What the stream needs, read under the container's lock, which is then released. */
struct watch {
    const char *id;
    struct cgroup *cg;
    int pidfd;  /* the container process: readable when it exits */
    int oom_fd; /* -1: no OOM notifications */
};

static int open_watch(const char *root, const char *id, struct watch *w, struct error **err) {
    struct statedir *sd __attribute__((cleanup(statedir_freep))) = NULL;
    struct record rec;
    *w = (struct watch){.id = id, .pidfd = -1, .oom_fd = -1};
    int r = statedir_open_created(root, id, &sd, &rec, err);
    if (r < 0)
        return r;
    if (status_of(sd, &rec) == STATUS_STOPPED)
        r = error_new(err, ESRCH, "container %s is not running", id);
    else if ((w->pidfd = (int)syscall(SYS_pidfd_open, rec.pid, 0)) < 0)
        r = error_new(err, ESRCH, "container %s is not running", id);
    else
        r = statedir_load_cgroup(sd, &w->cg, err);
    record_clear(&rec);
    return r;
}

static void close_watch(struct watch *w) {
    cgroup_free(w->cg);
    if (w->pidfd >= 0)
        close(w->pidfd);
    if (w->oom_fd >= 0)
        close(w->oom_fd);
}

static int stats_line(const struct watch *w, char **line, struct error **err) {
    struct cgroup_stats st;
    int r = cgroup_stats(w->cg, &st, err);
    if (r < 0)
        return error_wrap(err, r, "statistics of container %s", w->id);
    *line = events_stats_json(w->id, &st);
    cgroup_stats_clear(&st);
    return 0;
}

int container_stats_event(const char *root, const char *id, char **line, struct error **err) {
    struct watch w;
    int r = open_watch(root, id, &w, err);
    if (r >= 0)
        r = stats_line(&w, line, err);
    close_watch(&w);
    return r;
}

static uint64_t oom_kills(const struct watch *w) {
    struct cgroup_stats st;
    uint64_t n = 0;
    if (cgroup_stats(w->cg, &st, NULL) >= 0)
        n = st.memory.oom_kill;
    cgroup_stats_clear(&st);
    return n;
}

/* Emit one oom event per OOM kill since *seen. */
static int report_ooms(const struct watch *w, uint64_t *seen, container_event_fn emit, void *data) {
    uint64_t now = oom_kills(w);
    for (; *seen < now; (*seen)++) {
        _cleanup_free_ char *line = events_oom_json(w->id);
        int r = emit(line, data);
        if (r < 0)
            return r;
    }
    *seen = now; /* a counter that went down (a new cgroup) restarts from there */
    return 0;
}

/* Read what made the OOM fd readable (an eventfd's counter, inotify events). */
static void drain(int fd) {
    char buf[4096];
    while (read(fd, buf, sizeof(buf)) > 0)
        ;
}

static int64_t now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void watch_oom(struct watch *w) {
    _cleanup_error_ struct error *e = NULL;
    int r = cgroup_oom_fd(w->cg, &w->oom_fd, &e);
    if (r < 0) {
        w->oom_fd = -1;
        if (r == -ENOENT)
            log_debug("container %s: no memory controller, no OOM events", w->id);
        else
            log_warn("container %s: no OOM events: %s", w->id, e ? e->msg : "unknown error");
    } else {
        fcntl(w->oom_fd, F_SETFL, fcntl(w->oom_fd, F_GETFL) | O_NONBLOCK);
    }
}

static bool stopped(const struct watch *w) {
    struct pollfd p = {.fd = w->pidfd, .events = POLLIN};
    return poll(&p, 1, 0) > 0;
}

static int stream(struct watch *w, unsigned interval_ms, container_event_fn emit, void *data, struct error **err) {
    uint64_t seen = oom_kills(w);
    int64_t next = now_ms() + interval_ms;
    for (;;) {
        struct pollfd p[2] = {{.fd = w->pidfd, .events = POLLIN}, {.fd = w->oom_fd, .events = POLLIN}};
        int64_t left = next - now_ms();
        int n = poll(p, w->oom_fd >= 0 ? 2 : 1, left > 0 ? (int)left : 0);
        if (n < 0 && errno != EINTR)
            return error_sys(err, errno, "poll");
        if (n > 0 && (p[1].revents & POLLIN))
            drain(w->oom_fd);
        if (n > 0 && (p[1].revents & (POLLERR | POLLHUP | POLLNVAL))) { /* stop watching, not spin */
            close(w->oom_fd);
            w->oom_fd = -1;
        }
        int r = report_ooms(w, &seen, emit, data);
        if (r < 0)
            return r;
        if (n > 0 && p[0].revents)
            return 0; /* the container stopped */
        if (now_ms() < next)
            continue;
        next += interval_ms;
        _cleanup_free_ char *line = NULL;
        _cleanup_error_ struct error *e = NULL;
        if ((r = stats_line(w, &line, &e)) < 0) {
            if (stopped(w)) /* stopped and deleted under us: the stream is over */
                return 0;
            if (err && !*err)
                *err = TAKE_PTR(e);
            return r;
        }
        if ((r = emit(line, data)) < 0)
            return r;
    }
}

int container_events(const char *root, const char *id, unsigned interval_ms, container_event_fn emit, void *data,
                     struct error **err) {
    struct watch w;
    int r = open_watch(root, id, &w, err);
    if (r >= 0) {
        watch_oom(&w);
        r = stream(&w, interval_ms ? interval_ms : 1, emit, data, err);
    }
    close_watch(&w);
    return r;
}
