/* The container's network in the lifecycle (network/ does the netlink work):
 *   create, before the clone:   netsetup_prepare   the request parsed and checked, the host end's
 *                                                  name in the state's annotations
 *   create, after the clone:    netsetup_apply     linux.netDevices moved in, the veth pair made,
 *                                                  before the child is let go (SYNC_CONTINUE): the
 *                                                  container's process starts with its network
 *   a failed create:            netsetup_rollback  devices moved back, the pair (and a bridge hull
 *                                                  made that has no port left) removed
 *   delete:                     netsetup_destroy   the same from the state's "network" record
 * Bridge ports and hull-made bridges are changed under a flock of the network namespace (its nsfs
 * inode): one lock for every hull in that namespace, whatever its --root. */
#ifndef HULL_LIBCONTAINER_NETSETUP_H
#define HULL_LIBCONTAINER_NETSETUP_H

#include "../base/error.h"

struct launch;
struct statedir;

int netsetup_prepare(struct launch *l, struct error **err);
int netsetup_apply(struct launch *l, struct error **err);
void netsetup_rollback(struct launch *l);
void netsetup_free(struct launch *l);
/* Warnings only: a container must stay deletable. */
void netsetup_destroy(const struct statedir *sd);

#endif
