/* security/: linux.seccomp, compiled with libseccomp in the parent, loaded with seccomp(2) in the
 * container process, and the user-notification listener hand-off.
 *
 * Names avoid libseccomp's own seccomp_* functions: seccomp_filter_*, seccomp_listener_*. */
#ifndef HULL_SECURITY_SECCOMP_H
#define HULL_SECURITY_SECCOMP_H

#include <linux/filter.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "../base/error.h"
#include "../oci/spec.h"

/* A compiled filter: classic BPF, ready for seccomp(SECCOMP_SET_MODE_FILTER). */
struct seccomp_filter {
    struct sock_filter *insns;
    size_t len;          /* instructions */
    unsigned int flags;  /* SECCOMP_FILTER_FLAG_* from linux.seccomp.flags */
    bool notify;         /* some rule is SCMP_ACT_NOTIFY: load with a listener, before READY */
};

/* Compile linux.seccomp (parent side, before any fork).  Unknown syscall names are skipped with
 * a warning; any other invalid entry is an error naming it ("linux.seccomp.syscalls[2].args[0].op:
 * ...").  A rule whose action equals the default action is skipped (libseccomp refuses it).  Rules
 * whose args name one index twice are split into one rule per arg (OR), as runc does; otherwise
 * the args of a rule are ANDed. */
int seccomp_filter_compile(const struct oci_seccomp *sc, struct seccomp_filter **out, struct error **err);
void seccomp_filter_free(struct seccomp_filter *f);

/* seccomp_filter_compile through a cache of compiled filters in cache_dir (made 0700 when
 * missing; NULL: no cache).  A hit gives the same filter and the same warnings as a compilation;
 * the cache failing is never an error. */
int seccomp_filter_compile_cached(const struct oci_seccomp *sc, const char *cache_dir, struct seccomp_filter **out,
                                  struct error **err);

/* The warnings a compilation of sc prints (a syscall name unknown to libseccomp, skipped). */
void seccomp_filter_warn_unknown(const struct oci_seccomp *sc);

/* Load a compiled filter into the calling process (container side: no allocation, no
 * libseccomp).  Needs no_new_privs or CAP_SYS_ADMIN.  Returns the listener fd (>= 0) when
 * f->notify, else 0. */
int seccomp_filter_load(const struct seccomp_filter *f, struct error **err);

/* Hand a listener fd to linux.seccomp.listenerPath (AF_UNIX SOCK_STREAM): the container process
 * state (runtime.md "containerProcessState": ociVersion, fds ["seccompFd"], pid, metadata, state)
 * with the fd in SCM_RIGHTS.  state_json is the container's state document.  The fd stays the
 * caller's. */
int seccomp_listener_send(const char *listener_path, const char *metadata, int fd, pid_t pid,
                          const char *state_json, struct error **err);

#endif
