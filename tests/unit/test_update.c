/* hull update / events without root: the standalone LinuxResources document (--resources), its
 * merge into a saved config.json, and the stats / oom event JSON in runc's shape. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_tree.h>

#include "../../base/util.h"
#include "../../libcontainer/events.h"
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

static int parse(const char *doc, struct oci_resources **r, char **msg) {
    char *j = J(doc);
    struct error *e = NULL;
    *r = NULL;
    int ret = oci_resources_parse(j, strlen(j), r, &e);
    *msg = e ? xstrdup(e->msg) : NULL;
    error_free(e);
    free(j);
    return ret;
}

static void test_parse(void) {
    struct oci_resources *r;
    char *msg;
    int ret = parse("{'memory':{'limit':1048576},'pids':{'limit':5},'cpu':{'cpus':'0-1'},'unknown':1}", &r, &msg);
    ok(ret == 0 && r, "a LinuxResources document parses (unknown keys ignored)");
    if (r) {
        ok(r->memory.present && r->memory.has_limit && r->memory.limit == 1048576 && !r->memory.has_swap,
           "memory.limit present, memory.swap absent");
        ok(r->pids.present && r->pids.limit == 5, "pids.limit");
        ok(r->cpu.present && r->cpu.cpus && !strcmp(r->cpu.cpus, "0-1") && !r->cpu.has_shares, "cpu.cpus only");
        ok(!r->block_io.present && !r->network.present && !r->n_hugepage_limits, "absent sections stay absent");
    }
    oci_resources_free(r);
    free(msg);

    ret = parse("{}", &r, &msg);
    ok(ret == 0 && r && !r->memory.present && !r->pids.present && r->pids.limit == -1, "an empty document changes nothing");
    oci_resources_free(r);
    free(msg);

    static const struct {
        const char *doc, *want;
    } bad[] = {
        {"{'memory':{'limit':'x'}}", "memory.limit: expected a 64-bit integer"},
        {"{'pids':{}}", "pids.limit: required"},
        {"{'cpu':{'shares':-1}}", "cpu.shares:"},
        {"{'blockIO':{'weightDevice':[{'major':8}]}}", "blockIO.weightDevice[0].minor: required"},
        {"{'hugepageLimits':[{'pageSize':'2M','limit':1}]}", "hugepageLimits[0].pageSize: invalid page size"},
        {"[1]", "expected a JSON object at the top level"},
        {"{'memory':", "invalid JSON"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ret = parse(bad[i].doc, &r, &msg);
        ok(ret < 0 && msg && strstr(msg, bad[i].want) == msg, "rejected %s: \"%s\" (want \"%s...\")", bad[i].doc,
           msg ? msg : "(none)", bad[i].want);
        oci_resources_free(r);
        free(msg);
    }
}

/* Merge update doc `upd` into config `cfg` and return the result as a tree. */
static yajl_val merged(const char *cfg, const char *upd) {
    struct oci_resources *r;
    char *msg;
    if (parse(upd, &r, &msg) < 0) {
        diag("parse %s: %s", upd, msg);
        free(msg);
        return NULL;
    }
    char *c = J(cfg), *out = NULL;
    struct error *e = NULL;
    yajl_val t = NULL;
    if (oci_config_merge_resources(c, strlen(c), r, &out, &e) < 0)
        diag("merge: %s", e->msg);
    else
        t = yajl_tree_parse(out, NULL, 0);
    error_free(e);
    free(out);
    free(c);
    oci_resources_free(r);
    return t;
}

/* The value at a path of keys (NULL-terminated). */
static yajl_val at(yajl_val t, ...) {
    va_list ap;
    va_start(ap, t);
    for (const char *k; t && (k = va_arg(ap, const char *));) {
        const char *path[] = {k, NULL};
        t = yajl_tree_get(t, path, yajl_t_any);
    }
    va_end(ap);
    return t;
}

static const char *str(yajl_val v) {
    return YAJL_IS_STRING(v) ? v->u.string : "(not a string)";
}

static long long num(yajl_val v) {
    return YAJL_IS_INTEGER(v) ? YAJL_GET_INTEGER(v) : -999;
}

static void test_merge(void) {
    const char *cfg = "{'ociVersion':'1.0.2','root':{'path':'rootfs'},'annotations':{'x':'1.50'},"
                      "'linux':{'namespaces':[{'type':'pid'}],'resources':{'memory':{'limit':100,'swap':200},"
                      "'devices':[{'allow':false,'access':'rwm'}],'hugepageLimits':[{'pageSize':'2MB','limit':1},"
                      "{'pageSize':'1GB','limit':2}],'blockIO':{'throttleReadBpsDevice':[{'major':8,'minor':0,'rate':5}]},"
                      "'unified':{'a.b':'1'}}},'process':{'args':['sh'],'cwd':'/','oomScoreAdj':1.5}}";
    yajl_val t = merged(cfg, "{'memory':{'limit':300},'cpu':{'shares':512,'cpus':'1'},"
                             "'hugepageLimits':[{'pageSize':'1GB','limit':7},{'pageSize':'64KB','limit':3}],"
                             "'blockIO':{'throttleReadBpsDevice':[{'major':8,'minor':16,'rate':9}]},"
                             "'devices':[{'allow':true}],'unified':{'c.d':'2'},'pids':{'limit':-1}}");
    ok(t != NULL, "merge succeeds and writes valid JSON");
    if (!t)
        return;
    yajl_val res = at(t, "linux", "resources", NULL);
    ok(num(at(res, "memory", "limit", NULL)) == 300, "a named field is replaced (memory.limit)");
    ok(num(at(res, "memory", "swap", NULL)) == 200, "a field not named is kept (memory.swap)");
    ok(num(at(res, "cpu", "shares", NULL)) == 512 && YAJL_IS_STRING(at(res, "cpu", "cpus", NULL)),
       "a new section is added (cpu)");
    ok(num(at(res, "pids", "limit", NULL)) == -1, "pids.limit -1 written");
    yajl_val h = at(res, "hugepageLimits", NULL);
    ok(YAJL_IS_ARRAY(h) && h->u.array.len == 3 && num(at(h->u.array.values[0], "limit", NULL)) == 1 &&
           num(at(h->u.array.values[1], "limit", NULL)) == 7 &&
           !strcmp(str(at(h->u.array.values[2], "pageSize", NULL)), "64KB"),
       "hugepageLimits merge by pageSize (2MB kept, 1GB replaced, 64KB appended)");
    yajl_val tr = at(res, "blockIO", "throttleReadBpsDevice", NULL);
    ok(YAJL_IS_ARRAY(tr) && tr->u.array.len == 2, "throttle devices merge by major:minor (8:0 kept, 8:16 added)");
    yajl_val dev = at(res, "devices", NULL);
    ok(YAJL_IS_ARRAY(dev) && dev->u.array.len == 1 && YAJL_IS_FALSE(at(dev->u.array.values[0], "allow", NULL)),
       "devices are not merged");
    ok(YAJL_IS_STRING(at(res, "unified", "a.b", NULL)) && YAJL_IS_STRING(at(res, "unified", "c.d", NULL)),
       "unified merges key by key");
    yajl_val oom = at(t, "process", "oomScoreAdj", NULL);
    ok(YAJL_IS_NUMBER(oom) && !strcmp(oom->u.number.r, "1.5") &&
           !strcmp(str(at(t, "annotations", "x", NULL)), "1.50") &&
           YAJL_IS_ARRAY(at(t, "linux", "namespaces", NULL)),
       "the rest of the document is kept as written");
    yajl_tree_free(t);

    t = merged("{'ociVersion':'1.0.2','linux':{}}", "{'pids':{'limit':4}}");
    ok(t && num(at(t, "linux", "resources", "pids", "limit", NULL)) == 4, "linux.resources is created when absent");
    yajl_tree_free(t);
    t = merged("{'ociVersion':'1.0.2'}", "{'memory':{'swappiness':10,'disableOOMKiller':true}}");
    ok(t && num(at(t, "linux", "resources", "memory", "swappiness", NULL)) == 10 &&
           YAJL_IS_TRUE(at(t, "linux", "resources", "memory", "disableOOMKiller", NULL)),
       "linux is created when absent; booleans written");
    yajl_tree_free(t);
}

static void test_events_json(void) {
    uint64_t percpu[] = {10, 20};
    struct oci_key_value raw[] = {{"cache", "4096"}, {"odd", "x y"}};
    struct cgroup_blkio_entry io[] = {{8, 0, "Read", 100}};
    struct cgroup_hugetlb_stats hp[] = {{"2MB", 0, 4096, 0}};
    struct cgroup_stats st = {.has_cpu = true};
    st.cpu.total = 30;
    st.cpu.percpu = percpu;
    st.cpu.n_percpu = 2;
    st.cpu.user = 5;
    st.has_memory = true;
    st.memory.usage = (struct cgroup_memory_data){.usage = 7, .limit = 1024, .max = 9};
    st.memory.raw = raw;
    st.memory.n_raw = 2;
    st.has_pids = true;
    st.pids.current = 3;
    st.blkio.service_bytes = io;
    st.blkio.n_service_bytes = 1;
    st.hugetlb = hp;
    st.n_hugetlb = 1;
    char *s = events_stats_json("c\"1", &st);
    diag("%s", s);
    yajl_val t = yajl_tree_parse(s, NULL, 0);
    ok(t != NULL, "the stats event is valid JSON");
    ok(t && !strcmp(str(at(t, "type", NULL)), "stats") && !strcmp(str(at(t, "id", NULL)), "c\"1"),
       "type stats, id escaped");
    yajl_val d = at(t, "data", NULL);
    ok(num(at(d, "cpu", "usage", "total", NULL)) == 30 && num(at(d, "cpu", "usage", "kernel", NULL)) == 0 &&
           YAJL_IS_ARRAY(at(d, "cpu", "usage", "percpu", NULL)) && YAJL_IS_OBJECT(at(d, "cpu", "throttling", NULL)) &&
           !at(d, "cpu", "throttling", "periods", NULL),
       "cpu: total, percpu, kernel 0 kept, throttling zeros left out (omitempty)");
    ok(num(at(d, "memory", "usage", "limit", NULL)) == 1024 && num(at(d, "memory", "usage", "failcnt", NULL)) == 0 &&
           num(at(d, "memory", "swap", "limit", NULL)) == 0 && !at(d, "memory", "swap", "usage", NULL) &&
           num(at(d, "memory", "raw", "cache", NULL)) == 4096 && !at(d, "memory", "raw", "odd", NULL) &&
           !at(d, "memory", "cache", NULL),
       "memory: entries with limit and failcnt always, usage when set; raw numbers only");
    ok(num(at(d, "pids", "current", NULL)) == 3 && !at(d, "pids", "limit", NULL), "pids: current; limit 0 left out");
    yajl_val b = at(d, "blkio", "ioServiceBytesRecursive", NULL);
    ok(YAJL_IS_ARRAY(b) && b->u.array.len == 1 && num(at(b->u.array.values[0], "major", NULL)) == 8 &&
           !at(b->u.array.values[0], "minor", NULL) && !at(d, "blkio", "ioServicedRecursive", NULL),
       "blkio entries (minor 0 left out as runc does)");
    ok(num(at(d, "hugetlb", "2MB", "max", NULL)) == 4096 && num(at(d, "hugetlb", "2MB", "failcnt", NULL)) == 0,
       "hugetlb by page size");
    ok(YAJL_IS_OBJECT(at(d, "intel_rdt", NULL)), "intel_rdt {} as runc");
    yajl_tree_free(t);
    free(s);

    struct cgroup_stats zero = {0};
    s = events_stats_json("z", &zero);
    t = yajl_tree_parse(s, NULL, 0);
    ok(t && YAJL_IS_OBJECT(at(t, "data", "memory", "usage", NULL)) && YAJL_IS_OBJECT(at(t, "data", "pids", NULL)) &&
           YAJL_IS_OBJECT(at(t, "data", "blkio", NULL)),
       "every section is there when nothing is known: %s", s);
    yajl_tree_free(t);
    free(s);
    s = events_oom_json("c1");
    ok(!strcmp(s, "{\"type\":\"oom\",\"id\":\"c1\"}"), "oom event: %s", s);
    free(s);
}

int main(void) {
    test_parse();
    test_merge();
    test_events_json();
    return tap_done();
}
