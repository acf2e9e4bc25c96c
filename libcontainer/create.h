/* Internal: create's steps, shared by `create` and `run`. */
#ifndef HULL_LIBCONTAINER_CREATE_H
#define HULL_LIBCONTAINER_CREATE_H

#include "launch.h"

void launch_init(struct launch *l, const struct create_opts *o, bool foreground);
/* Create the container; on success the state directory stays locked in l->sd. */
int launch_create(struct launch *l, struct error **err);
void launch_free(struct launch *l);

#endif
