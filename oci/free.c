/* Freeing the structs of spec.h; every function accepts NULL and half-filled structs. */
#include <stdlib.h>

#include "internal.h"

void oci_key_values_free(struct oci_key_value *kv, size_t n) {
    for (size_t i = 0; kv && i < n; i++) {
        free(kv[i].key);
        free(kv[i].value);
    }
    free(kv);
}

void oci_process_free(struct oci_process *p) {
    if (!p)
        return;
    free(p->additional_gids);
    free(p->username);
    strv_free(p->args);
    free(p->command_line);
    strv_free(p->env);
    free(p->cwd);
    free(p->capabilities);
    for (size_t i = 0; p->rlimits && i < p->n_rlimits; i++)
        free(p->rlimits[i].name);
    free(p->rlimits);
    free(p->apparmor_profile);
    free(p->selinux_label);
    free(p->scheduler);
    free(p->exec_cpu_affinity_initial);
    free(p->exec_cpu_affinity_final);
    free(p);
}

static void mount_free(struct oci_mount *m) {
    free(m->destination);
    free(m->source);
    free(m->type);
    strv_free(m->options);
    free(m->data);
    free(m->uid_mappings);
    free(m->gid_mappings);
}

void oci_resources_free(struct oci_resources *r) {
    if (!r)
        return;
    for (size_t i = 0; r->devices && i < r->n_devices; i++)
        free(r->devices[i].access);
    free(r->devices);
    free(r->cpu.cpus);
    free(r->cpu.mems);
    free(r->block_io.weight_devices);
    free(r->block_io.throttle_read_bps);
    free(r->block_io.throttle_write_bps);
    free(r->block_io.throttle_read_iops);
    free(r->block_io.throttle_write_iops);
    for (size_t i = 0; r->hugepage_limits && i < r->n_hugepage_limits; i++)
        free(r->hugepage_limits[i].page_size);
    free(r->hugepage_limits);
    for (size_t i = 0; r->network.priorities && i < r->network.n_priorities; i++)
        free(r->network.priorities[i].name);
    free(r->network.priorities);
    for (size_t i = 0; r->rdma && i < r->n_rdma; i++)
        free(r->rdma[i].device);
    free(r->rdma);
    oci_key_values_free(r->unified, r->n_unified);
    free(r);
}

void oci_seccomp_free(struct oci_seccomp *s) {
    if (!s)
        return;
    free(s->default_action);
    strv_free(s->architectures);
    strv_free(s->flags);
    free(s->listener_path);
    free(s->listener_metadata);
    for (size_t i = 0; s->syscalls && i < s->n_syscalls; i++) {
        struct oci_seccomp_syscall *sc = &s->syscalls[i];
        strv_free(sc->names);
        free(sc->action);
        for (size_t j = 0; sc->args && j < sc->n_args; j++)
            free(sc->args[j].op);
        free(sc->args);
    }
    free(s->syscalls);
    free(s);
}

static void personality_free(struct oci_personality *p) {
    if (!p)
        return;
    free(p->domain);
    strv_free(p->flags);
    free(p);
}

static void intel_rdt_free(struct oci_intel_rdt *r) {
    if (!r)
        return;
    free(r->clos_id);
    free(r->l3_cache_schema);
    free(r->mem_bw_schema);
    strv_free(r->schemata);
    free(r);
}

static void memory_policy_free(struct oci_memory_policy *m) {
    if (!m)
        return;
    free(m->mode);
    free(m->nodes);
    strv_free(m->flags);
    free(m);
}

void oci_linux_free(struct oci_linux *l) {
    if (!l)
        return;
    for (size_t i = 0; l->namespaces && i < l->n_namespaces; i++)
        free(l->namespaces[i].path);
    free(l->namespaces);
    free(l->uid_mappings);
    free(l->gid_mappings);
    for (size_t i = 0; l->devices && i < l->n_devices; i++)
        free(l->devices[i].path);
    free(l->devices);
    free(l->cgroups_path);
    oci_resources_free(l->resources);
    free(l->rootfs_propagation);
    strv_free(l->masked_paths);
    strv_free(l->readonly_paths);
    oci_key_values_free(l->sysctl, l->n_sysctl);
    oci_seccomp_free(l->seccomp);
    personality_free(l->personality);
    intel_rdt_free(l->intel_rdt);
    memory_policy_free(l->memory_policy);
    for (size_t i = 0; l->net_devices && i < l->n_net_devices; i++) {
        free(l->net_devices[i].host_name);
        free(l->net_devices[i].name);
    }
    free(l->net_devices);
    free(l->mount_label);
    free(l);
}

void oci_spec_free(struct oci_spec *spec) {
    if (!spec)
        return;
    free(spec->oci_version);
    free(spec->root_path);
    free(spec->hostname);
    free(spec->domainname);
    for (size_t i = 0; spec->mounts && i < spec->n_mounts; i++)
        mount_free(&spec->mounts[i]);
    free(spec->mounts);
    oci_process_free(spec->process);
    for (int k = 0; k < OCI_HOOK__COUNT; k++) {
        struct oci_hook_list *l = &spec->hooks[k];
        for (size_t i = 0; l->items && i < l->n; i++) {
            free(l->items[i].path);
            strv_free(l->items[i].args);
            strv_free(l->items[i].env);
        }
        free(l->items);
    }
    oci_key_values_free(spec->annotations, spec->n_annotations);
    oci_linux_free(spec->linux);
    free(spec);
}

void oci_state_free(struct oci_state *st) {
    if (!st)
        return;
    free(st->oci_version);
    free(st->id);
    free(st->status);
    free(st->bundle);
    oci_key_values_free(st->annotations, st->n_annotations);
    free(st);
}
