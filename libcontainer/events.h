/* Internal: the JSON lines of `hull events` (events_json.c), in runc's shape (types.Event with
 * types.Stats data), so that tools written for runc's output read hull's. */
#ifndef HULL_LIBCONTAINER_EVENTS_H
#define HULL_LIBCONTAINER_EVENTS_H

#include "../cgroups/cgroup.h"

/* {"type":"stats","id":ID,"data":{"cpu":...,"memory":...,"pids":...,"blkio":...,"hugetlb":...,
 * "intel_rdt":{},"network_interfaces":null}}.  Like Go's encoding of runc's structs: every section
 * is there (zero when the controller is missing); the fields runc tags omitempty are left out
 * when 0.  No newline. */
char *events_stats_json(const char *id, const struct cgroup_stats *st);
/* {"type":"oom","id":ID} */
char *events_oom_json(const char *id);

#endif
