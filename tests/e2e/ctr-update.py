#!/usr/bin/python3
"""ctr-update.py SOCKET NAMESPACE ID RESOURCES_JSON: containerd's Tasks.Update for a running task.

ctr 1.6 has no `task update`; this is the call CRI and dockerd make, by hand: an
UpdateTaskRequest {container_id = 1; resources = 2 (google.protobuf.Any)} whose Any carries
specs.LinuxResources as JSON under containerd's type URL.  The shim then runs the runtime's
`update --resources -` with that JSON on stdin."""
import sys

import grpc

TYPE_URL = b"types.containerd.io/opencontainers/runtime-spec/1/LinuxResources"


def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def field(number, data):
    """A length-delimited protobuf field."""
    return varint((number << 3) | 2) + varint(len(data)) + data


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    sock, namespace, cid, resources = sys.argv[1:]
    request = field(1, cid.encode()) + field(2, field(1, TYPE_URL) + field(2, resources.encode()))
    with grpc.insecure_channel("unix://" + sock) as channel:
        update = channel.unary_unary("/containerd.services.tasks.v1.Tasks/Update")
        try:
            update(request, metadata=[("containerd-namespace", namespace)], timeout=30)
        except grpc.RpcError as e:
            sys.exit("update %s: %s: %s" % (cid, e.code().name, e.details()))


if __name__ == "__main__":
    main()
