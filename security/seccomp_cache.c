/* A cache of compiled seccomp filters, so that a container whose profile was seen before starts
 * without libseccomp's compilation (~15 ms for Docker's default profile on this machine's CPU;
 * engines send that profile for every container).
 *
 * The key is a canonical text of everything the BPF depends on: hull's version, libseccomp's
 * version and the kernel API level it detected, and every field of linux.seccomp that reaches the
 * compiler (not listenerPath/listenerMetadata).  An entry is one file named by a 64-bit FNV-1a
 * hash of the key, holding the whole key: a hit is an exact comparison, so a hash collision is
 * only a miss.  The directory is under the state root (root's, 0700); entries are written
 * atomically; any problem with the cache (read-only root, a damaged entry) means compiling, never
 * failing. */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <linux/filter.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../base/cleanup.h"
#include "../base/log.h"
#include "../base/util.h"
#include "seccomp.h"

#define CACHE_MAGIC "hull-seccomp-cache 1\n"
#define CACHE_MAX_ENTRIES 64

static void put_str(FILE *f, const char *s) {
    if (s)
        fprintf(f, "%zu:%s;", strlen(s), s);
    else
        fputs("-;", f);
}

static void put_strv(FILE *f, char **v) {
    size_t n = 0;
    while (v && v[n])
        n++;
    fprintf(f, "[%zu", n);
    for (size_t i = 0; i < n; i++)
        put_str(f, v[i]);
    fputc(']', f);
}

static char *cache_key(const struct oci_seccomp *sc, size_t *len) {
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    if (!f)
        return NULL;
    const struct scmp_version *v = seccomp_version();
    fprintf(f, "hull %s %s libseccomp %u.%u.%u api %u\n", HULL_VERSION, HULL_COMMIT, v->major, v->minor, v->micro,
            seccomp_api_get());
    put_str(f, sc->default_action);
    fprintf(f, "%d:%" PRIu32 ";", sc->has_default_errno_ret, sc->default_errno_ret);
    put_strv(f, sc->architectures);
    put_strv(f, sc->flags);
    fprintf(f, "listener %d\n", sc->listener_path != NULL); /* NOTIFY rules without one are an error */
    for (size_t i = 0; i < sc->n_syscalls; i++) {
        const struct oci_seccomp_syscall *s = &sc->syscalls[i];
        put_strv(f, s->names);
        put_str(f, s->action);
        fprintf(f, "%d:%" PRIu32 ";%zu", s->has_errno_ret, s->errno_ret, s->n_args);
        for (size_t j = 0; j < s->n_args; j++) {
            fprintf(f, "(%" PRIu32 ",%" PRIu64 ",%" PRIu64 ",", s->args[j].index, s->args[j].value, s->args[j].value_two);
            put_str(f, s->args[j].op);
            fputc(')', f);
        }
        fputc('\n', f);
    }
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

static uint64_t fnv1a(const char *s, size_t n) {
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
    return h;
}

/* The entry: magic, u64 key length, key, u32 flags, u32 notify, u64 instructions, the BPF. */
struct entry_head {
    uint32_t flags, notify;
    uint64_t len;
};

static struct seccomp_filter *lookup(const char *path, const char *key, size_t key_len) {
    _cleanup_free_ char *data = NULL;
    size_t n;
    if (read_file(path, &data, &n, NULL) < 0)
        return NULL;
    size_t m = strlen(CACHE_MAGIC), off = m + sizeof(uint64_t);
    uint64_t klen;
    if (n < off || memcmp(data, CACHE_MAGIC, m) != 0)
        return NULL;
    memcpy(&klen, data + m, sizeof(klen));
    if (klen != key_len || n - off < klen || memcmp(data + off, key, key_len) != 0)
        return NULL;
    off += key_len;
    struct entry_head h;
    if (n - off < sizeof(h))
        return NULL;
    memcpy(&h, data + off, sizeof(h));
    off += sizeof(h);
    if (h.len == 0 || h.len > BPF_MAXINSNS || n - off != h.len * sizeof(struct sock_filter))
        return NULL;
    struct seccomp_filter *f = xcalloc(1, sizeof(*f));
    f->flags = h.flags;
    f->notify = h.notify != 0;
    f->len = (size_t)h.len;
    f->insns = xmalloc(n - off);
    memcpy(f->insns, data + off, n - off);
    return f;
}

/* Keep the directory small: past CACHE_MAX_ENTRIES, the other entries go (profiles an engine
 * uses again are back after one compilation). */
static void trim(const char *dir, const char *keep) {
    _cleanup_closedir_ DIR *d = opendir(dir);
    if (!d)
        return;
    size_t count = 0;
    for (struct dirent *e; (e = readdir(d));)
        count += e->d_name[0] != '.';
    if (count <= CACHE_MAX_ENTRIES)
        return;
    rewinddir(d);
    for (struct dirent *e; (e = readdir(d));)
        if (e->d_name[0] != '.' && strcmp(e->d_name, keep) != 0)
            unlinkat(dirfd(d), e->d_name, 0);
}

static void store(const char *dir, const char *name, const char *key, size_t key_len, const struct seccomp_filter *f) {
    struct error *e = NULL;
    if (mkdir_p(dir, 0700, &e) < 0) {
        log_debug("seccomp cache: %s", e->msg);
        error_free(e);
        return;
    }
    size_t m = strlen(CACHE_MAGIC), bpf = f->len * sizeof(struct sock_filter);
    size_t n = m + sizeof(uint64_t) + key_len + sizeof(struct entry_head) + bpf;
    _cleanup_free_ char *data = xmalloc(n);
    uint64_t klen = key_len;
    struct entry_head h = {.flags = f->flags, .notify = f->notify, .len = f->len};
    char *p = data;
    memcpy(p, CACHE_MAGIC, m), p += m;
    memcpy(p, &klen, sizeof(klen)), p += sizeof(klen);
    memcpy(p, key, key_len), p += key_len;
    memcpy(p, &h, sizeof(h)), p += sizeof(h);
    memcpy(p, f->insns, bpf);
    _cleanup_free_ char *path = xasprintf("%s/%s", dir, name);
    if (write_file_atomic(path, data, n, 0600, &e) < 0) {
        log_debug("seccomp cache: %s", e->msg);
        error_free(e);
        return;
    }
    trim(dir, name);
}

int seccomp_filter_compile_cached(const struct oci_seccomp *sc, const char *cache_dir, struct seccomp_filter **out,
                                  struct error **err) {
    size_t key_len = 0;
    _cleanup_free_ char *key = cache_dir ? cache_key(sc, &key_len) : NULL;
    if (!key)
        return seccomp_filter_compile(sc, out, err);
    char name[17];
    snprintf(name, sizeof(name), "%016" PRIx64, fnv1a(key, key_len));
    _cleanup_free_ char *path = xasprintf("%s/%s", cache_dir, name);
    struct seccomp_filter *f = lookup(path, key, key_len);
    if (f) {
        log_debug("seccomp: compiled filter from the cache (%s, %zu instructions)", path, f->len);
        seccomp_filter_warn_unknown(sc);
        *out = f;
        return 0;
    }
    int r = seccomp_filter_compile(sc, out, err);
    if (r < 0)
        return r;
    store(cache_dir, name, key, key_len, *out);
    return 0;
}
