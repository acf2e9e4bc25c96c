#!/bin/bash
# tests/e2e/deps.sh: the Debian packages the end-to-end tests need, installed when missing by
# tests/deps.sh (with the rest, and with no daemon started by the packages' scripts: there is no
# systemd here; on a machine with an init system, docker and containerd would start on the host's
# default paths):
#   podman (4.3) + conmon, catatonit for --init; containerd (1.6) with its runc v2 shim and ctr;
#   docker.io (20.10: dockerd, its own containerd, docker); tini (the subreaper run.sh runs
#   under); python3-grpcio (tests/e2e/ctr-update.py: containerd's Update call, which ctr 1.6 lacks).
# No service is started: the tests start each daemon themselves with their own configuration.
exec "$(dirname "${BASH_SOURCE[0]}")/../deps.sh" --no-start \
    podman conmon catatonit containerd docker.io runc tini python3-grpcio
