/* oci/: config.json parsing and validation, conversions, state, default spec, features.
 *
 * Usage: test_oci [SPEC_DIR]   (default: $OCI_SPEC_DIR, else ../shared/oci-runtime-spec relative
 * to the current directory, which is the repository root under tests/run.sh).  The spec's sample
 * documents in SPEC_DIR/schema/test/{config,state}/{good,bad} must be accepted and rejected. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/mount.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yajl/yajl_tree.h>

#include "../../base/util.h"
#include "../../oci/oci.h"
#include "tap.h"

/* JSON written with single quotes in this file, for readability: 'a' -> "a". */
static char *J(const char *s) {
    char *j = xstrdup(s);
    for (char *c = j; *c; c++)
        if (*c == '\'')
            *c = '"';
    return j;
}

#define BASE "'ociVersion':'1.0.0','root':{'path':'rootfs'}"
/* A process object with the required fields and `extra` inside it. */
#define PROC(extra) "'process':{'cwd':'/','args':['sh']" extra "}"
#define LINUX_NS(...) "'linux':{'namespaces':[" __VA_ARGS__ "]}"

static struct oci_spec *parse(const char *quoted, struct error **e) {
    char *json = J(quoted);
    struct oci_spec *s = NULL;
    int r = oci_spec_parse(json, strlen(json), &s, e);
    free(json);
    if (r < 0 && s)
        fprintf(stderr, "oci_spec_parse failed but set *out\n");
    return r < 0 ? NULL : s;
}

static void expect_error(const char *doc, const char *want) {
    struct error *e = NULL;
    struct oci_spec *s = parse(doc, &e);
    ok(!s && e && strstr(e->msg, want), "rejected with \"%s\" (got: %s)", want, e ? e->msg : "accepted");
    oci_spec_free(s);
    error_free(e);
}

static struct oci_spec *expect_ok(const char *doc, const char *name) {
    struct error *e = NULL;
    struct oci_spec *s = parse(doc, &e);
    ok(s != NULL, "accepted: %s%s%s", name, e ? ": " : "", e ? e->msg : "");
    error_free(e);
    return s;
}

/* ---------- the spec's sample documents ---------- */

typedef bool (*doc_fn)(const char *json, size_t len, char **msg);

static bool parse_config(const char *json, size_t len, char **msg) {
    struct oci_spec *s = NULL;
    struct error *e = NULL;
    int r = oci_spec_parse(json, len, &s, &e);
    *msg = e ? xstrdup(e->msg) : NULL;
    oci_spec_free(s);
    error_free(e);
    return r >= 0;
}

static bool parse_state_doc(const char *json, size_t len, char **msg) {
    struct oci_state *s = NULL;
    struct error *e = NULL;
    int r = oci_state_parse(json, len, &s, &e);
    *msg = e ? xstrdup(e->msg) : NULL;
    oci_state_free(s);
    error_free(e);
    return r >= 0;
}

static void run_samples(const char *dir, bool good, doc_fn fn) {
    DIR *d = opendir(dir);
    if (!ok(d != NULL, "open %s", dir))
        return;
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (!strstr(de->d_name, ".json"))
            continue;
        char *path = xasprintf("%s/%s", dir, de->d_name), *json = NULL, *msg = NULL;
        size_t len = 0;
        struct error *e = NULL;
        if (read_file(path, &json, &len, &e) < 0) {
            ok(0, "read %s: %s", path, e->msg);
        } else {
            bool accepted = fn(json, len, &msg);
            ok(accepted == good, "%s %s%s%s", good ? "accepts" : "rejects", path, msg ? ": " : "", msg ? msg : "");
        }
        n++;
        free(path);
        free(json);
        free(msg);
        error_free(e);
    }
    closedir(d);
    ok(n > 0, "%s has sample documents (%d)", dir, n);
}

static void test_samples(const char *spec_dir) {
    const char *kinds[] = {"good", "bad"};
    for (int i = 0; i < 2; i++) {
        char *c = xasprintf("%s/schema/test/config/%s", spec_dir, kinds[i]);
        char *s = xasprintf("%s/schema/test/state/%s", spec_dir, kinds[i]);
        run_samples(c, i == 0, parse_config);
        run_samples(s, i == 0, parse_state_doc);
        free(c);
        free(s);
    }
}

/* ---------- errors name their JSON path ---------- */

static void test_error_paths(void) {
    expect_error("{" BASE "," LINUX_NS("{'type':'pid'},{'type':'ipc'},{'type':'foo'}") "}",
                 "linux.namespaces[2].type: unknown namespace \"foo\"");
    expect_error("{" BASE "," LINUX_NS("{'type':'pid'},{'type':'pid','path':'/proc/1/ns/pid'}") "}",
                 "linux.namespaces[1].type: duplicate namespace \"pid\"");
    expect_error("{" BASE "," LINUX_NS("{'type':'net'}") "}", "linux.namespaces[0].type: unknown namespace \"net\"");
    expect_error("{" BASE "," LINUX_NS("{'type':'network','path':'proc/1/ns/net'}") "}",
                 "linux.namespaces[0].path: must be an absolute path");
    expect_error("{" BASE "," LINUX_NS("{'path':'/x'}") "}", "linux.namespaces[0].type: required");
    expect_error("{" BASE "," PROC(",'rlimits':[{'type':'RLIMIT_FOO','soft':1,'hard':1}]") "}",
                 "process.rlimits[0].type: unknown rlimit \"RLIMIT_FOO\"");
    expect_error("{" BASE "," PROC(",'rlimits':[{'type':'RLIMIT_CORE','soft':1,'hard':1},"
                                   "{'type':'RLIMIT_CORE','soft':2,'hard':2}]") "}",
                 "process.rlimits[1].type: duplicate rlimit \"RLIMIT_CORE\"");
    expect_error("{" BASE "," PROC(",'rlimits':[{'type':'RLIMIT_NOFILE','soft':2048,'hard':1024}]") "}",
                 "process.rlimits[0].soft: 2048 is greater than hard 1024");
    expect_error("{" BASE "," PROC(",'rlimits':[{'type':'RLIMIT_NOFILE','soft':1}]") "}",
                 "process.rlimits[0].hard: required");
    expect_error("{" BASE
                 ",'mounts':[{'destination':'/a'},{'destination':'/b'},{'destination':'/c'},{'type':'tmpfs'}]}",
                 "mounts[3].destination: required");
    expect_error("{" BASE ",'mounts':[{'destination':7}]}", "mounts[0].destination: expected a string");
    expect_error("{" BASE ",'mounts':[{'destination':'/a/../../etc','type':'tmpfs'}]}",
                 "mounts[0].destination: \"/a/../../etc\" climbs out of the container's root filesystem");
    expect_error("{" BASE ",'mounts':[{'destination':'../../outside','type':'tmpfs'}]}",
                 "mounts[0].destination: \"/../../outside\" climbs out of the container's root filesystem");
    expect_error("{" BASE ",'mounts':[{'destination':'/x','options':['ro',3]}]}",
                 "mounts[0].options[1]: expected a string");
    expect_error("{" BASE ",'mounts':{}}", "mounts: expected an array");
    expect_error("{" BASE "," PROC(",'user':{'uid':-1}") "}", "process.user.uid: expected an unsigned 32-bit integer");
    expect_error("{" BASE "," PROC(",'user':{'uid':4294967296}") "}",
                 "process.user.uid: expected an unsigned 32-bit integer");
    expect_error("{" BASE "," PROC(",'user':{'gid':'0'}") "}", "process.user.gid: expected an unsigned 32-bit integer");
    expect_error("{" BASE "," PROC(",'user':{'uid':1.5}") "}", "process.user.uid: expected an unsigned 32-bit integer");
    expect_error("{" BASE "," PROC(",'user':{'additionalGids':[1,-2]}") "}",
                 "process.user.additionalGids[1]: expected an unsigned 32-bit integer");
    expect_error("{" BASE ",'process':{'args':['sh']}}", "process.cwd: required");
    expect_error("{" BASE ",'process':{'cwd':'tmp','args':['sh']}}", "process.cwd: must be an absolute path");
    expect_error("{" BASE ",'process':{'cwd':'/','args':[]}}", "process.args: must contain at least one entry");
    expect_error("{" BASE "," PROC(",'env':['A=1','NOEQUALS']") "}", "process.env[1]: expected \"KEY=value\"");
    expect_error("{" BASE "," PROC(",'terminal':'yes'") "}", "process.terminal: expected a boolean");
    expect_error("{" BASE "," PROC(",'capabilities':{'bounding':['CAP_KILL','CAP_FOO']}") "}",
                 "process.capabilities.bounding[1]: unknown capability \"CAP_FOO\"");
    expect_error("{" BASE "," PROC(",'capabilities':{'ambient':'CAP_KILL'}") "}",
                 "process.capabilities.ambient: expected an array");
    expect_error("{" BASE "," PROC(",'oomScoreAdj':1001") "}",
                 "process.oomScoreAdj: expected an integer from -1000 to 1000");
    expect_error("{" BASE "," PROC(",'ioPriority':{'class':'IOPRIO_CLASS_X'}") "}",
                 "process.ioPriority.class: unknown class");
    expect_error("{" BASE "," PROC(",'ioPriority':{'class':'IOPRIO_CLASS_BE','priority':8}") "}",
                 "process.ioPriority.priority: must be from 0 to 7");
    expect_error("{" BASE "," PROC(",'scheduler':{'policy':'SCHED_ISO'}") "}",
                 "process.scheduler.policy: unknown or unsupported");
    expect_error("{" BASE "," PROC(",'scheduler':{'policy':'SCHED_OTHER','nice':20}") "}", "process.scheduler.nice");
    expect_error("{" BASE "," PROC(",'scheduler':{'policy':'SCHED_OTHER','priority':3}") "}",
                 "process.scheduler.priority: can only be set with SCHED_FIFO or SCHED_RR");
    expect_error("{" BASE "," PROC(",'scheduler':{'policy':'SCHED_FIFO','flags':['SCHED_FLAG_X']}") "}",
                 "process.scheduler.flags[0]: unknown scheduler flag");
    expect_error("{" BASE "," PROC(",'execCPUAffinity':{'initial':'0-3;7'}") "}",
                 "process.execCPUAffinity.initial: invalid CPU list");
    expect_error("{" BASE "," PROC(",'consoleSize':{'height':10}") "}", "process.consoleSize.width: required");
    expect_error("{" BASE ",'hooks':{'poststart':[{'path':'/bin/true'},{'path':'bin/x'}]}}",
                 "hooks.poststart[1].path: must be an absolute path");
    expect_error("{" BASE ",'hooks':{'prestart':[{'path':'/bin/true','timeout':0}]}}",
                 "hooks.prestart[0].timeout: must be a positive number of seconds");
    expect_error("{" BASE ",'hooks':{'createRuntime':{}}}", "hooks.createRuntime: expected an array");
    expect_error("{" BASE ",'annotations':{'a':1}}", "annotations.a: expected a string");
    expect_error("{" BASE ",'hostname':5}", "hostname: expected a string");
    expect_error("{" BASE ",'linux':[]}", "linux: expected an object");
    expect_error("{'root':{'path':'rootfs'}}", "ociVersion: required");
    expect_error("{'ociVersion':'2.0.0','root':{'path':'rootfs'}}", "ociVersion: unsupported version \"2.0.0\"");
    expect_error("{'ociVersion':'1.0','root':{'path':'rootfs'}}", "ociVersion: \"1.0\" is not a SemVer");
    expect_error("{'ociVersion':'1.0.0'}", "root: required");
    expect_error("{'ociVersion':'1.0.0','root':{'readonly':true}}", "root.path: required");
    expect_error("{" BASE ",'zos':5}", "zos: expected an object");
    expect_error("{" BASE ",'freebsd':{'jail':{'allow':{'mlock':1}}}}", "freebsd.jail.allow.mlock: expected a boolean");
    expect_error("{" BASE ",", "invalid JSON:");
    expect_error("[1,2]", "expected a JSON object");
    expect_error("{" BASE ",'hostname':'ok\\u0000/../x'}", "a string holds \\u0000 (NUL)");
    /* an escaped backslash followed by "u0000" is text, not a NUL */
    struct oci_spec *sp = NULL;
    const char *doc = "{\"ociVersion\":\"1.0.0\",\"root\":{\"path\":\"rootfs\"},\"hostname\":\"a\\\\u0000\"}";
    int r = oci_spec_parse(doc, strlen(doc), &sp, NULL);
    ok(r == 0 && sp && strcmp(sp->hostname, "a\\u0000") == 0, "an escaped backslash before u0000 is plain text (%s)",
       sp ? sp->hostname : "parse failed");
    oci_spec_free(sp);
}

static void test_linux_errors(void) {
    expect_error("{" BASE ",'linux':{'devices':[{'path':'/dev/x','type':'x','major':1,'minor':1}]}}",
                 "linux.devices[0].type: unknown device type \"x\"");
    expect_error("{" BASE ",'linux':{'devices':[{'path':'/dev/x','type':'c','major':1}]}}",
                 "linux.devices[0].minor: required for device type 'c'");
    expect_error("{" BASE ",'linux':{'devices':[{'path':'dev/x','type':'p'}]}}",
                 "linux.devices[0].path: must be an absolute path");
    expect_error("{" BASE ",'linux':{'resources':{'hugepageLimits':[{'pageSize':'2mb','limit':1}]}}}",
                 "linux.resources.hugepageLimits[0].pageSize: invalid page size \"2mb\"");
    expect_error("{" BASE ",'linux':{'resources':{'hugepageLimits':[{'pageSize':'02MB','limit':1}]}}}",
                 "linux.resources.hugepageLimits[0].pageSize");
    expect_error("{" BASE ",'linux':{'resources':{'memory':{'limit':'1G'}}}}",
                 "linux.resources.memory.limit: expected a 64-bit integer");
    expect_error("{" BASE ",'linux':{'resources':{'memory':{'swappiness':101}}}}",
                 "linux.resources.memory.swappiness: must be from 0 to 100");
    expect_error("{" BASE ",'linux':{'resources':{'cpu':{'shares':-2}}}}",
                 "linux.resources.cpu.shares: expected an unsigned 64-bit integer");
    expect_error("{" BASE ",'linux':{'resources':{'pids':{}}}}", "linux.resources.pids.limit: required");
    expect_error("{" BASE ",'linux':{'resources':{'devices':[{'allow':true,'access':'rwx'}]}}}",
                 "linux.resources.devices[0].access: invalid access \"rwx\"");
    expect_error("{" BASE ",'linux':{'resources':{'devices':[{'access':'r'}]}}}",
                 "linux.resources.devices[0].allow: required");
    expect_error("{" BASE ",'linux':{'resources':{'blockIO':{'weight':65536}}}}",
                 "linux.resources.blockIO.weight: expected an unsigned 16-bit integer");
    expect_error("{" BASE ",'linux':{'resources':{'blockIO':{'throttleReadBpsDevice':[{'major':8,'rate':1}]}}}}",
                 "linux.resources.blockIO.throttleReadBpsDevice[0].minor: required");
    expect_error("{" BASE ",'linux':{'resources':{'rdma':{'mlx':{}}}}}",
                 "linux.resources.rdma.mlx: at least one of hcaHandles and hcaObjects");
    expect_error("{" BASE ",'linux':{'resources':{'network':{'priorities':[{'name':'eth0'}]}}}}",
                 "linux.resources.network.priorities[0].priority: required");
    expect_error("{" BASE ",'linux':{'resources':{'unified':{'memory.max':5}}}}",
                 "linux.resources.unified.memory.max: expected a string");
    expect_error("{" BASE ",'linux':{'rootfsPropagation':'bogus'}}",
                 "linux.rootfsPropagation: unknown propagation \"bogus\"");
    expect_error("{" BASE ",'linux':{'seccomp':{'defaultAction':'SCMP_ACT_NOPE'}}}",
                 "linux.seccomp.defaultAction: unknown action \"SCMP_ACT_NOPE\"");
    expect_error("{" BASE
                 ",'linux':{'seccomp':{'defaultAction':'SCMP_ACT_ALLOW','architectures':['SCMP_ARCH_X86','x86']}}}",
                 "linux.seccomp.architectures[1]: unknown architecture \"x86\"");
    expect_error("{" BASE ",'linux':{'seccomp':{'defaultAction':'SCMP_ACT_ALLOW','flags':['FLAG']}}}",
                 "linux.seccomp.flags[0]: unknown flag");
    expect_error("{" BASE ",'linux':{'seccomp':{'defaultAction':'SCMP_ACT_ALLOW','defaultErrnoRet':1}}}",
                 "linux.seccomp.defaultErrnoRet: not allowed with action SCMP_ACT_ALLOW");
    expect_error("{" BASE ",'linux':{'seccomp':{'defaultAction':'SCMP_ACT_ERRNO','syscalls':[{'names':['read'],"
                 "'action':'SCMP_ACT_ALLOW'},{'names':['write'],'action':'SCMP_ACT_ERRNO','args':[{'index':0,'value':1,"
                 "'op':'SCMP_CMP_LIKE'}]}]}}}",
                 "linux.seccomp.syscalls[1].args[0].op: unknown operator \"SCMP_CMP_LIKE\"");
    expect_error("{" BASE ",'linux':{'seccomp':{'defaultAction':'SCMP_ACT_ERRNO','syscalls':[{'names':[],"
                 "'action':'SCMP_ACT_ALLOW'}]}}}",
                 "linux.seccomp.syscalls[0].names: must contain at least one entry");
    expect_error("{" BASE ",'linux':{'seccomp':{'defaultAction':'SCMP_ACT_ERRNO','syscalls':[{'names':['x'],"
                 "'action':'SCMP_ACT_NOTIFY'}]}}}",
                 "linux.seccomp.syscalls[0].action: SCMP_ACT_NOTIFY needs listenerPath");
    expect_error("{" BASE ",'linux':{'seccomp':{}}}", "linux.seccomp.defaultAction: required");
    expect_error("{" BASE ",'linux':{'personality':{'domain':'LINUX','flags':['X']}}}",
                 "linux.personality.flags[0]: unsupported personality flag");
    expect_error("{" BASE ",'linux':{'personality':{'domain':'BSD'}}}", "linux.personality.domain: unknown domain");
    expect_error("{" BASE ",'linux':{'memoryPolicy':{'mode':'MPOL_X'}}}", "linux.memoryPolicy.mode: unknown mode");
    expect_error("{" BASE ",'linux':{'intelRdt':{'memBwSchema':'L3:0=1'}}}",
                 "linux.intelRdt.memBwSchema: must start with");
    expect_error("{" BASE ",'linux':{'netDevices':{'eth0':{'name':'a/b'}}}}",
                 "linux.netDevices.eth0.name: invalid network interface name");
    expect_error("{" BASE ",'linux':{'maskedPaths':['/proc/kcore','proc/keys']}}",
                 "linux.maskedPaths[1]: must be an absolute path");
    expect_error("{" BASE ",'linux':{'timeOffsets':{'boottime':{'secs':1,'nanosecs':1000000000}}}}",
                 "linux.timeOffsets.boottime.nanosecs: must be less than 1000000000");
    expect_error("{" BASE ",'linux':{'uidMappings':[{'containerID':0,'hostID':1000}]}}",
                 "linux.uidMappings[0].size: required");
}

/* ---------- validation across fields ---------- */

static void test_validation(void) {
    expect_error("{" BASE ",'hostname':'h'," LINUX_NS("{'type':'pid'}") "}",
                 "hostname: unable to set hostname without a private UTS namespace");
    expect_error("{" BASE ",'domainname':'d'," LINUX_NS("{'type':'pid'}") "}",
                 "domainname: unable to set domainname without a private UTS namespace");
    expect_error("{" BASE ",'linux':{'uidMappings':[{'containerID':0,'hostID':1000,'size':1}]}}",
                 "linux.uidMappings: set without a user namespace");
    expect_error("{" BASE "," LINUX_NS("{'type':'user'}") "}", "linux.namespaces: a new user namespace needs");
    expect_error("{" BASE ",'linux':{'timeOffsets':{'monotonic':{'secs':1}}}}",
                 "linux.timeOffsets: set without a time namespace");
    expect_error("{" BASE ",'linux':{'sysctl':{'net.ipv4.ip_forward':'1'}}}",
                 "linux.sysctl.net.ipv4.ip_forward: not allowed in the host's network namespace");
    expect_error("{" BASE ",'linux':{'sysctl':{'kernel.shmmax':'1'}}}",
                 "linux.sysctl.kernel.shmmax: not allowed in the host's IPC namespace");
    expect_error("{" BASE ",'linux':{'sysctl':{'fs/mqueue/msg_max':'1'}}}",
                 "linux.sysctl.fs/mqueue/msg_max: not allowed");
    expect_error("{" BASE ",'linux':{'sysctl':{'kernel.panic':'1'},'namespaces':[{'type':'uts'},{'type':'ipc'}]}}",
                 "linux.sysctl.kernel.panic: not in a separate kernel namespace");
    expect_error("{" BASE ",'linux':{'sysctl':{'kernel.hostname':'x'},'namespaces':[{'type':'uts'}]}}",
                 "linux.sysctl.kernel.hostname: conflicts with the \"hostname\" field");
    expect_error("{" BASE ",'mounts':[{'destination':'/x','type':'tmpfs','options':['idmap']}]}",
                 "mounts[0]: id-mapped mounts are only supported for bind mounts");
    expect_error("{" BASE ",'mounts':[{'destination':'/x','source':'/y','options':['rbind','ridmap']}]}",
                 "mounts[0].options: ridmap needs uidMappings and gidMappings or a user namespace");
    expect_error("{" BASE ",'mounts':[{'destination':'/x','source':'/y','options':['bind','idmap'],"
                 "'uidMappings':[{'containerID':0,'hostID':1,'size':1}]}]}",
                 "mounts[0].uidMappings: must be specified along with gidMappings");

    struct oci_spec *s =
        expect_ok("{" BASE ",'hostname':'h','linux':{'sysctl':{'net.core.somaxconn':'1',"
                  "'kernel.msgmax':'1','fs.mqueue.queues_max':'2','kernel.domainname':'d'},"
                  "'namespaces':[{'type':'uts'},{'type':'ipc'},{'type':'network','path':'/proc/1/ns/net'}]}}",
                  "namespaced sysctls, hostname with a uts namespace");
    if (s) {
        ok(s->linux->ns_new_flags == (CLONE_NEWUTS | CLONE_NEWIPC), "ns_new_flags");
        ok(s->linux->ns_join_flags == CLONE_NEWNET, "ns_join_flags");
        ok(s->linux->n_sysctl == 4 && strcmp(s->linux->sysctl[3].key, "kernel.domainname") == 0,
           "sysctl kept in order");
    }
    oci_spec_free(s);
    s = expect_ok("{" BASE ",'mounts':[{'destination':'/x','source':'/y','options':['bind','idmap']}],"
                  "'linux':{'namespaces':[{'type':'user'}],'uidMappings':[{'containerID':0,'hostID':1000,'size':10}],"
                  "'gidMappings':[{'containerID':0,'hostID':1000,'size':10}]}}",
                  "idmap bind mount with a user namespace");
    if (s)
        ok(s->mounts[0].idmap && !s->mounts[0].ridmap && s->linux->uid_mappings[0].size == 10, "idmap set");
    oci_spec_free(s);
}

/* ---------- what parses ---------- */

static void test_parsed_values(void) {
    struct oci_spec *s = expect_ok(
        "{'ociVersion':'1.2.0-rc.1+build.5','root':{'path':'/rootfs','readonly':true},'unknown':{'x':[1]},"
        "'process':{'cwd':'/w','args':['a','b'],'terminal':true,'consoleSize':{'height':24,'width':80},"
        "'user':{'uid':4294967295,'gid':7,'umask':18,'additionalGids':[1,2]},'env':['A=','B=c=d'],"
        "'capabilities':{'bounding':['CAP_SYS_ADMIN','CAP_CHOWN'],'ambient':[]},"
        "'rlimits':[{'type':'RLIMIT_NOFILE','soft':10,'hard':18446744073709551615}],'noNewPrivileges':true,"
        "'oomScoreAdj':-1000,'ioPriority':{'class':'IOPRIO_CLASS_IDLE'},'newField':1,"
        "'scheduler':{'policy':'SCHED_DEADLINE','runtime':1,'deadline':2,'period':3,'flags':['SCHED_FLAG_RECLAIM']},"
        "'execCPUAffinity':{'initial':'0-3,7','final':'1'}},"
        "'hooks':{'poststop':[{'path':'/bin/x','args':['x','1'],'timeout':5}]},'annotations':{'k':'v'},"
        "'linux':{'rootfsPropagation':'rshared','personality':{'domain':'LINUX32'},"
        "'resources':{'memory':{'limit':-1,'swappiness':60},'cpu':{'quota':-1,'cpus':'0-1'},'pids':{'limit':100},"
        "'devices':[{'allow':false},{'allow':true,'type':'c','major':1,'minor':3,'access':'rw'}],"
        "'hugepageLimits':[{'pageSize':'1GB','limit':0}],'unified':{'io.weight':'100'}},"
        "'devices':[{'path':'/dev/p','type':'p'},{'path':'/dev/u','type':'u','major':1,'minor':2,'fileMode':438}]}}",
        "a config with most fields");
    if (!s)
        return;
    struct oci_process *p = s->process;
    ok(strcmp(s->oci_version, "1.2.0-rc.1+build.5") == 0 && s->root_readonly && strcmp(s->root_path, "/rootfs") == 0,
       "version and root");
    ok(p->terminal && p->has_console_size && p->console_height == 24 && p->console_width == 80,
       "terminal, consoleSize");
    ok(p->uid == 4294967295u && p->gid == 7 && p->has_umask && p->umask == 18 && p->n_additional_gids == 2 &&
           p->additional_gids[1] == 2,
       "user");
    ok(strv_length(p->args) == 2 && strv_length(p->env) == 2 && strcmp(p->cwd, "/w") == 0, "args, env, cwd");
    ok(p->capabilities && p->capabilities->bounding == ((1ULL << CAP_SYS_ADMIN) | (1ULL << CAP_CHOWN)) &&
           p->capabilities->ambient == 0 && p->capabilities->effective == 0,
       "capability masks");
    ok(p->n_rlimits == 1 && p->rlimits[0].resource == RLIMIT_NOFILE && p->rlimits[0].hard == UINT64_MAX &&
           p->rlimits[0].soft == 10,
       "rlimits (uint64 max)");
    ok(p->no_new_privileges && p->has_oom_score_adj && p->oom_score_adj == -1000, "noNewPrivileges, oomScoreAdj");
    ok(p->ioprio_class == OCI_IOPRIO_IDLE && p->ioprio_priority == 0, "ioPriority");
    ok(p->scheduler && p->scheduler->policy == SCHED_DEADLINE && p->scheduler->flags == 0x02 &&
           p->scheduler->period == 3,
       "scheduler");
    ok(strcmp(p->exec_cpu_affinity_initial, "0-3,7") == 0 && strcmp(p->exec_cpu_affinity_final, "1") == 0,
       "execCPUAffinity");
    ok(s->hooks[OCI_HOOK_POSTSTOP].n == 1 && s->hooks[OCI_HOOK_POSTSTOP].items[0].timeout == 5 &&
           s->hooks[OCI_HOOK_PRESTART].n == 0,
       "hooks");
    ok(s->n_annotations == 1 && strcmp(s->annotations[0].value, "v") == 0, "annotations");
    struct oci_linux *l = s->linux;
    ok(l->rootfs_propagation_flags == (MS_SHARED | MS_REC), "rootfsPropagation rshared");
    ok(l->personality && l->personality->persona == PER_LINUX32, "personality LINUX32");
    struct oci_resources *r = l->resources;
    ok(r && r->memory.present && r->memory.has_limit && r->memory.limit == -1 && !r->memory.has_reservation &&
           r->memory.swappiness == 60,
       "memory");
    ok(r->cpu.present && r->cpu.has_quota && r->cpu.quota == -1 && !r->cpu.has_shares &&
           strcmp(r->cpu.cpus, "0-1") == 0,
       "cpu");
    ok(r->pids.present && r->pids.limit == 100 && !r->block_io.present && !r->network.present, "pids");
    ok(r->n_devices == 2 && !r->devices[0].allow && r->devices[0].type == 'a' && r->devices[0].major == -1 &&
           r->devices[1].type == 'c' && r->devices[1].minor == 3 && strcmp(r->devices[1].access, "rw") == 0,
       "device cgroup rules");
    ok(r->n_hugepage_limits == 1 && r->n_unified == 1, "hugepages, unified");
    ok(l->n_devices == 2 && l->devices[0].type == 'p' && l->devices[1].type == 'u' && l->devices[1].has_file_mode &&
           l->devices[1].file_mode == 438,
       "devices");
    oci_spec_free(s);

    s = expect_ok("{" BASE "," PROC("") ",'mounts':[{'destination':'relative/dir','type':'tmpfs'}]}",
                  "relative mount destination");
    ok(s && strcmp(s->mounts[0].destination, "/relative/dir") == 0 && s->process->capabilities == NULL &&
           s->process->scheduler == NULL && s->linux == NULL,
       "relative destination made absolute; absent objects are NULL");
    oci_spec_free(s);
    s = expect_ok("{" BASE ",'hostname':null,'process':{'cwd':'/','args':null,'user':{'uid':null}}}",
                  "null values are absent");
    ok(s && !s->hostname && !s->process->args, "null values are not set");
    oci_spec_free(s);
}

static void test_process_parse(void) {
    char *json = J("{'cwd':'/','args':['ls'],'env':['X=1'],'user':{'uid':5}}");
    struct oci_process *p = NULL;
    struct error *e = NULL;
    int r = oci_process_parse(json, strlen(json), &p, &e);
    ok(r == 0 && p && p->uid == 5 && strcmp(p->args[0], "ls") == 0, "oci_process_parse: a bare process");
    oci_process_free(p);
    free(json);
    p = NULL;
    json = J("{'args':['ls']}");
    r = oci_process_parse(json, strlen(json), &p, &e);
    ok(r < 0 && e && strstr(e->msg, "process.cwd: required") && !p, "oci_process_parse: missing cwd (%s)",
       e ? e->msg : "");
    error_free(e);
    free(json);
}

/* ---------- conversions ---------- */

struct mount_case {
    const char *options; /* comma-separated; "" for none */
    const char *type;
    unsigned long flags, clear, propagation;
    uint64_t attr_set, attr_clr;
    const char *data;
    bool bind, rbind;
};

static void test_mount_options(void) {
    const struct mount_case cases[] = {
        {"", "tmpfs", 0, 0, 0, 0, 0, NULL, false, false},
        {"nosuid,nodev,noexec,ro", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RDONLY, 0, 0, 0, 0, NULL, false,
         false},
        {"ro,rw", NULL, 0, MS_RDONLY, 0, 0, 0, NULL, false, false},
        {"rw,ro", NULL, MS_RDONLY, 0, 0, 0, 0, NULL, false, false},
        {"suid,dev,exec,async,atime,diratime", NULL, 0,
         MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_SYNCHRONOUS | MS_NOATIME | MS_NODIRATIME, 0, 0, 0, NULL, false, false},
        {"sync,dirsync,remount,mand,noatime,nodiratime", NULL,
         MS_SYNCHRONOUS | MS_DIRSYNC | MS_REMOUNT | MS_MANDLOCK | MS_NOATIME | MS_NODIRATIME, 0, 0, 0, 0, NULL, false,
         false},
        {"nomand,norelatime,nostrictatime,nolazytime,symfollow", NULL, 0,
         MS_MANDLOCK | MS_RELATIME | MS_STRICTATIME | MS_LAZYTIME | MS_NOSYMFOLLOW, 0, 0, 0, NULL, false, false},
        {"relatime,strictatime,lazytime,nosymfollow,defaults", NULL,
         MS_RELATIME | MS_STRICTATIME | MS_LAZYTIME | MS_NOSYMFOLLOW, 0, 0, 0, 0, NULL, false, false},
        {"bind", NULL, MS_BIND, 0, 0, 0, 0, NULL, true, false},
        {"rbind,rprivate", NULL, MS_BIND | MS_REC, 0, MS_PRIVATE | MS_REC, 0, 0, NULL, true, true},
        {"", "bind", MS_BIND, 0, 0, 0, 0, NULL, true, false},
        {"shared", NULL, 0, 0, MS_SHARED, 0, 0, NULL, false, false},
        {"rslave", NULL, 0, 0, MS_SLAVE | MS_REC, 0, 0, NULL, false, false},
        {"private,unbindable", NULL, 0, 0, MS_UNBINDABLE, 0, 0, NULL, false, false},
        {"runbindable", NULL, 0, 0, MS_UNBINDABLE | MS_REC, 0, 0, NULL, false, false},
        {"slave", NULL, 0, 0, MS_SLAVE, 0, 0, NULL, false, false},
        {"rshared", NULL, 0, 0, MS_SHARED | MS_REC, 0, 0, NULL, false, false},
        {"rro,rnosuid,rnodev,rnoexec,rnodiratime,rnosymfollow", NULL, 0, 0, 0,
         MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC | MOUNT_ATTR_NODIRATIME |
             MOUNT_ATTR_NOSYMFOLLOW,
         0, NULL, false, false},
        {"rrw,rsuid,rdev,rexec,rdiratime,rsymfollow,ratime", NULL, 0, 0, 0, 0,
         MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC | MOUNT_ATTR_NODIRATIME |
             MOUNT_ATTR_NOSYMFOLLOW | MOUNT_ATTR_NOATIME,
         NULL, false, false},
        {"rnoatime", NULL, 0, 0, 0, MOUNT_ATTR_NOATIME, MOUNT_ATTR__ATIME, NULL, false, false},
        {"rstrictatime", NULL, 0, 0, 0, MOUNT_ATTR_STRICTATIME, MOUNT_ATTR__ATIME, NULL, false, false},
        {"rrelatime", NULL, 0, 0, 0, MOUNT_ATTR_RELATIME, MOUNT_ATTR__ATIME, NULL, false, false},
        {"rnostrictatime", NULL, 0, 0, 0, 0, MOUNT_ATTR_STRICTATIME, NULL, false, false},
        {"mode=755,nosuid,size=65536k", "tmpfs", MS_NOSUID, 0, 0, 0, 0, "mode=755,size=65536k", false, false},
        {"iversion,silent,acl", NULL, MS_I_VERSION | MS_SILENT | MS_POSIXACL, 0, 0, 0, 0, NULL, false, false},
        {"noiversion,loud,noacl", NULL, 0, MS_I_VERSION | MS_SILENT | MS_POSIXACL, 0, 0, 0, NULL, false, false},
        {"tmpcopyup,x-custom", "tmpfs", 0, 0, 0, 0, 0, "x-custom", false, false},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct mount_case *c = &cases[i];
        char **opts = NULL;
        char *list = xstrdup(c->options), *save = NULL;
        for (char *t = strtok_r(list, ",", &save); t; t = strtok_r(NULL, ",", &save))
            strv_push(&opts, xstrdup(t));
        free(list);
        /* Build a config.json with this one mount and let the parser convert it. */
        char *optjson = xstrdup("");
        for (size_t k = 0; opts && opts[k]; k++) {
            char *n = xasprintf("%s%s'%s'", optjson, k ? "," : "", opts[k]);
            free(optjson);
            optjson = n;
        }
        char *doc = xasprintf("{" BASE ",'mounts':[{'destination':'/m','source':'/s'%s%s%s,'options':[%s]}]}",
                              c->type ? ",'type':'" : "", c->type ? c->type : "", c->type ? "'" : "", optjson);
        struct error *e = NULL;
        struct oci_spec *s = parse(doc, &e);
        const struct oci_mount *m = s ? &s->mounts[0] : NULL;
        bool data_ok = m && (c->data ? m->data && strcmp(m->data, c->data) == 0 : m->data == NULL);
        ok(m && m->flags == c->flags && m->clear_flags == c->clear && m->propagation == c->propagation &&
               m->attr_set == c->attr_set && m->attr_clr == c->attr_clr && data_ok && m->bind == c->bind &&
               m->recursive_bind == c->rbind,
           "mount options [%s] type %s (flags %#lx clear %#lx prop %#lx set %#llx clr %#llx data %s)%s%s", c->options,
           c->type ? c->type : "-", m ? m->flags : 0, m ? m->clear_flags : 0, m ? m->propagation : 0,
           m ? (unsigned long long)m->attr_set : 0, m ? (unsigned long long)m->attr_clr : 0,
           m && m->data ? m->data : "-", e ? ": " : "", e ? e->msg : "");
        if (i == sizeof(cases) / sizeof(cases[0]) - 1)
            ok(m && m->tmpcopyup, "tmpcopyup is recognised");
        oci_spec_free(s);
        error_free(e);
        strv_free(opts);
        free(optjson);
        free(doc);
    }
}

static void test_conversions(void) {
    ok(oci_signal_parse("KILL") == SIGKILL && oci_signal_parse("SIGKILL") == SIGKILL &&
           oci_signal_parse("kill") == SIGKILL && oci_signal_parse("9") == SIGKILL,
       "signal: KILL, SIGKILL, kill, 9");
    ok(oci_signal_parse("SIGTERM") == SIGTERM && oci_signal_parse("HUP") == SIGHUP &&
           oci_signal_parse("SIGWINCH") == SIGWINCH && oci_signal_parse("CHLD") == SIGCHLD &&
           oci_signal_parse("SIGUSR2") == SIGUSR2,
       "signal: names");
    ok(oci_signal_parse("SIGRTMIN+3") == SIGRTMIN + 3 && oci_signal_parse("RTMAX-1") == SIGRTMAX - 1 &&
           oci_signal_parse("RTMIN") == SIGRTMIN && oci_signal_parse("SIGRTMAX") == SIGRTMAX,
       "signal: real-time");
    ok(oci_signal_parse("SIGFOO") == -1 && oci_signal_parse("0") == -1 && oci_signal_parse("65") == -1 &&
           oci_signal_parse("") == -1 && oci_signal_parse("RTMIN+99") == -1 && oci_signal_parse("RTMIN-1") == -1 &&
           oci_signal_parse("9x") == -1 && oci_signal_parse(NULL) == -1,
       "signal: unknown ones are -1");
    ok(oci_capability_parse("CAP_SYS_ADMIN") == CAP_SYS_ADMIN && oci_capability_parse("CAP_CHOWN") == 0 &&
           oci_capability_parse("CAP_CHECKPOINT_RESTORE") == 40,
       "capability: parse");
    ok(oci_capability_parse("SYS_ADMIN") == -1 && oci_capability_parse("CAP_FOO") == -1, "capability: unknown is -1");
    ok(strcmp(oci_capability_name(CAP_NET_RAW), "CAP_NET_RAW") == 0 && oci_capability_name(99) == NULL &&
           oci_capability_name(-1) == NULL,
       "capability: name");
    int all = 1;
    for (int c = 0; c <= 40; c++)
        all &= oci_capability_parse(oci_capability_name(c)) == c;
    ok(all, "capability: name and parse round-trip for 0..40");
    ok(oci_rlimit_parse("RLIMIT_NOFILE") == RLIMIT_NOFILE && oci_rlimit_parse("RLIMIT_RTTIME") == RLIMIT_RTTIME &&
           oci_rlimit_parse("RLIMIT_AS") == RLIMIT_AS && oci_rlimit_parse("RLIMIT_FOO") == -1 &&
           oci_rlimit_parse("NOFILE") == -1,
       "rlimit: parse");
    const char *ns[] = {"mount", "pid", "network", "uts", "ipc", "user", "cgroup", "time"};
    const int flags[] = {CLONE_NEWNS,  CLONE_NEWPID,  CLONE_NEWNET,    CLONE_NEWUTS,
                         CLONE_NEWIPC, CLONE_NEWUSER, CLONE_NEWCGROUP, CLONE_NEWTIME};
    all = 1;
    for (int i = 0; i < 8; i++)
        all &= oci_namespace_parse(ns[i]) == flags[i] && strcmp(oci_namespace_name(flags[i]), ns[i]) == 0;
    ok(all && oci_namespace_parse("net") == 0 && oci_namespace_name(0) == NULL, "namespace: parse and name");
    char *q = oci_json_quote("a\"b\\c\n/\x01");
    ok(strcmp(q, "\"a\\\"b\\\\c\\n/\\u0001\"") == 0, "oci_json_quote escapes (%s)", q);
    free(q);
}

/* ---------- documents ---------- */

static void test_default_spec(void) {
    for (int rootless = 0; rootless < 2; rootless++) {
        char *json = oci_default_spec_json(rootless);
        struct oci_spec *s = NULL;
        struct error *e = NULL;
        int r = oci_spec_parse(json, strlen(json), &s, &e);
        ok(r == 0, "default spec (rootless=%d) parses%s%s", rootless, e ? ": " : "", e ? e->msg : "");
        ok(json[strlen(json) - 1] == '\n' && !strstr(json, "resources"), "ends with a newline, no linux.resources");
        if (s) {
            const struct oci_linux *l = s->linux;
            ok(strcmp(s->oci_version, "1.2.0") == 0 && strcmp(s->root_path, "rootfs") == 0 && s->root_readonly &&
                   strcmp(s->hostname, "hull") == 0,
               "version, root, hostname");
            ok(s->process->terminal && strcmp(s->process->args[0], "sh") == 0 && !s->process->args[1] &&
                   s->process->no_new_privileges && s->process->n_rlimits == 1,
               "process");
            int want_ns = CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWNS | CLONE_NEWCGROUP |
                          (rootless ? CLONE_NEWUSER : CLONE_NEWNET);
            ok(l->ns_new_flags == want_ns && l->ns_join_flags == 0, "namespaces");
            ok(s->n_mounts == (rootless ? 6u : 7u) && strcmp(s->mounts[0].destination, "/proc") == 0, "mounts");
            ok(strv_length(l->masked_paths) > 5 && strv_length(l->readonly_paths) == 5 && !l->resources,
               "masked and readonly paths");
            const struct oci_mount *sys = &s->mounts[5];
            if (rootless) {
                ok(l->n_uid_mappings == 1 && l->uid_mappings[0].host_id == getuid() && l->uid_mappings[0].size == 1 &&
                       l->n_gid_mappings == 1 && l->gid_mappings[0].host_id == getgid(),
                   "rootless: uid/gid 0 mapped to the caller");
                ok(sys->bind && sys->recursive_bind && (sys->flags & MS_RDONLY), "rootless: /sys is an rbind");
            } else {
                ok(!sys->bind && (sys->flags & (MS_RDONLY | MS_NOSUID)) == (MS_RDONLY | MS_NOSUID) &&
                       strcmp(s->mounts[6].type, "cgroup") == 0,
                   "sysfs and cgroup mounts");
            }
        }
        oci_spec_free(s);
        error_free(e);
        free(json);
    }
}

static void test_state(void) {
    struct oci_key_value ann[] = {{"a", "1"}, {"b\"", "2"}};
    struct oci_state st = {.oci_version = "1.2.0",
                           .id = "c1",
                           .status = "running",
                           .pid = 42,
                           .bundle = "/b",
                           .annotations = ann,
                           .n_annotations = 2};
    char *json = oci_state_to_json(&st, true);
    struct oci_state *back = NULL;
    struct error *e = NULL;
    int r = oci_state_parse(json, strlen(json), &back, &e);
    ok(r == 0, "state round-trips%s%s", e ? ": " : "", e ? e->msg : "");
    ok(back && strcmp(back->id, "c1") == 0 && strcmp(back->status, "running") == 0 && back->pid == 42 &&
           strcmp(back->bundle, "/b") == 0 && strcmp(back->oci_version, "1.2.0") == 0 && back->n_annotations == 2 &&
           strcmp(back->annotations[1].key, "b\"") == 0,
       "state fields survive");
    ok(json[strlen(json) - 1] == '\n' && strchr(json, '\t'), "pretty state is indented and ends with a newline");
    oci_state_free(back);
    free(json);

    struct oci_state st2 = {.oci_version = "1.2.0", .id = "c2", .status = "stopped", .bundle = "/b"};
    json = oci_state_to_json(&st2, false);
    ok(!strstr(json, "pid") && !strstr(json, "annotations") && !strchr(json, '\n'),
       "compact state omits pid 0 and empty annotations: %s", json);
    back = NULL;
    ok(oci_state_parse(json, strlen(json), &back, NULL) == 0 && back && back->pid == 0 && back->n_annotations == 0,
       "compact state parses");
    oci_state_free(back);
    free(json);

    const char *bad[][2] = {
        {"{'ociVersion':'1.0.0','status':'running','bundle':'/b'}", "id: required"},
        {"{'ociVersion':'1.0.0','id':'x','status':'bogus','bundle':'/b'}", "status: unknown status \"bogus\""},
        {"{'ociVersion':'1.0.0','id':'x','status':'running','bundle':'/b','pid':-1}", "pid: expected an integer"},
        {"{'ociVersion':'1.0.0','id':'x','status':'running'}", "bundle: required"},
        {"{'ociVersion':'1.0.0','id':'x','status':'running','bundle':'/b','annotations':{'k':2}}",
         "annotations.k: expected a string"},
        {"{'ociVersion':1}", "ociVersion: expected a string"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char *doc = J(bad[i][0]);
        struct oci_state *s = NULL;
        e = NULL;
        r = oci_state_parse(doc, strlen(doc), &s, &e);
        ok(r < 0 && !s && e && strstr(e->msg, bad[i][1]), "state rejected with \"%s\" (got: %s)", bad[i][1],
           e ? e->msg : "accepted");
        error_free(e);
        free(doc);
    }
}

static bool has_string(yajl_val arr, const char *s) {
    for (size_t i = 0; YAJL_IS_ARRAY(arr) && i < arr->u.array.len; i++)
        if (YAJL_IS_STRING(arr->u.array.values[i]) && strcmp(arr->u.array.values[i]->u.string, s) == 0)
            return true;
    return false;
}

static void test_features(void) {
    char *json = oci_features_json();
    char ebuf[256];
    yajl_val root = yajl_tree_parse(json, ebuf, sizeof(ebuf));
    ok(root && YAJL_IS_OBJECT(root), "features is a JSON object");
    if (root) {
        const char *pmin[] = {"ociVersionMin", NULL}, *pmax[] = {"ociVersionMax", NULL};
        const char *pmo[] = {"mountOptions", NULL}, *phooks[] = {"hooks", NULL};
        const char *pns[] = {"linux", "namespaces", NULL}, *pcaps[] = {"linux", "capabilities", NULL};
        const char *pv2[] = {"linux", "cgroup", "v2", NULL}, *psd[] = {"linux", "cgroup", "systemd", NULL};
        const char *pacts[] = {"linux", "seccomp", "actions", NULL}, *parch[] = {"linux", "seccomp", "archs", NULL};
        const char *pidm[] = {"linux", "mountExtensions", "idmap", "enabled", NULL};
        const char *paa[] = {"linux", "apparmor", "enabled", NULL};
        const char *vmin = YAJL_GET_STRING(yajl_tree_get(root, pmin, yajl_t_string));
        const char *vmax = YAJL_GET_STRING(yajl_tree_get(root, pmax, yajl_t_string));
        ok(vmin && vmax && strcmp(vmin, "1.0.0") == 0 && strcmp(vmax, "1.3.0") == 0, "features: version range");
        ok(has_string(yajl_tree_get(root, phooks, yajl_t_array), "createRuntime") &&
               has_string(yajl_tree_get(root, pmo, yajl_t_array), "rbind") &&
               has_string(yajl_tree_get(root, pmo, yajl_t_array), "idmap"),
           "features: hooks and mount options");
        ok(has_string(yajl_tree_get(root, pns, yajl_t_array), "time") &&
               has_string(yajl_tree_get(root, pcaps, yajl_t_array), "CAP_BPF"),
           "features: namespaces, capabilities");
        ok(YAJL_IS_TRUE(yajl_tree_get(root, pv2, yajl_t_any)) && YAJL_IS_FALSE(yajl_tree_get(root, psd, yajl_t_any)) &&
               YAJL_IS_TRUE(yajl_tree_get(root, pidm, yajl_t_any)) &&
               YAJL_IS_TRUE(yajl_tree_get(root, paa, yajl_t_any)),
           "features: cgroup, idmap, apparmor");
        ok(has_string(yajl_tree_get(root, pacts, yajl_t_array), "SCMP_ACT_ERRNO") &&
               has_string(yajl_tree_get(root, parch, yajl_t_array), "SCMP_ARCH_X86_64"),
           "features: seccomp actions and archs");
    }
    yajl_tree_free(root);
    free(json);
}

static void test_load(void) {
    char dir[] = "/tmp/hull-test-oci-XXXXXX";
    if (!ok(mkdtemp(dir) != NULL, "mkdtemp"))
        return;
    char *cfg = xasprintf("%s/config.json", dir);
    struct error *e = NULL;
    struct oci_spec *s = NULL;
    int r = oci_spec_load(dir, &s, &e);
    ok(r < 0 && e && strstr(e->msg, "config.json") && e->errnum == ENOENT, "load: a missing config.json (%s)",
       e ? e->msg : "");
    error_free(e);
    e = NULL;
    write_file_atomic(cfg, "{\"ociVersion\": ", 15, 0644, NULL);
    r = oci_spec_load(dir, &s, &e);
    ok(r < 0 && e && strstr(e->msg, "config.json: invalid JSON: "), "load: invalid JSON names the file (%s)",
       e ? e->msg : "");
    error_free(e);
    e = NULL;
    char *good = J("{" BASE "}");
    write_file_atomic(cfg, good, strlen(good), 0644, NULL);
    ok(oci_spec_load(dir, &s, &e) == 0 && s && strcmp(s->root_path, "rootfs") == 0, "load: a good config.json");
    oci_spec_free(s);
    free(good);
    unlink(cfg);
    rmdir(dir);
    free(cfg);
}

int main(int argc, char **argv) {
    const char *spec_dir = argc > 1 ? argv[1] : getenv("OCI_SPEC_DIR");
    if (!spec_dir)
        spec_dir = "../shared/oci-runtime-spec";
    test_samples(spec_dir);
    test_error_paths();
    test_linux_errors();
    test_validation();
    test_parsed_values();
    test_process_parse();
    test_mount_options();
    test_conversions();
    test_default_spec();
    test_state();
    test_features();
    test_load();
    return tap_done();
}
