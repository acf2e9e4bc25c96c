/* Writes to procfs through verified handles (CVE-2025-52881): the container's /proc must be a
 * real procfs, and the file is reached beneath it without crossing a mount (a bind mount or tmpfs
 * over /proc/sys/... or /proc/self/...) or following a magic link, and is checked to be on procfs
 * again once opened.  A path a config or an image planted can never redirect the write. */
#ifndef HULL_BASE_PROCFS_H
#define HULL_BASE_PROCFS_H

#include "error.h"

/* Write data to /proc/<rel> ("sys/net/ipv4/ip_forward", "self/oom_score_adj") of the calling
 * process's view. */
int procfs_write(const char *rel, const char *data, struct error **err);

#endif
