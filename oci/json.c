/* Typed access to a yajl tree with errors that name the JSON path. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

char *jpath_key(const char *parent, const char *key) {
    if (!parent || !*parent)
        return xstrdup(key);
    return xasprintf("%s.%s", parent, key);
}

char *jpath_idx(const char *parent, size_t i) {
    return xasprintf("%s[%zu]", parent ? parent : "", i);
}

int jerr(struct error **err, const char *path, const char *key, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    _cleanup_free_ char *msg = xvasprintf(fmt, ap);
    va_end(ap);
    _cleanup_free_ char *p = key ? jpath_key(path, key) : xstrdup(path ? path : "");
    if (!*p)
        return error_new(err, EINVAL, "%s", msg);
    return error_new(err, EINVAL, "%s: %s", p, msg);
}

/* The offset of a "\u0000" escape in the text, or -1.  yajl's tree keeps strings as C strings,
 * so such a string would silently end at the NUL ("/ok\u0000/../x" read as "/ok"): refused. */
static ssize_t find_escaped_nul(const char *json, size_t len) {
    for (size_t i = 0; i + 1 < len; i++) {
        if (json[i] != '\\')
            continue;
        if (json[i + 1] == 'u' && i + 5 < len && memcmp(json + i + 2, "0000", 4) == 0)
            return (ssize_t)i;
        i++; /* skip the escaped character (an escaped backslash included) */
    }
    return -1;
}

int json_parse_doc(const char *json, size_t len, yajl_val *out, struct error **err) {
    if (memchr(json, '\0', len))
        return error_new(err, EINVAL, "invalid JSON: NUL byte in document");
    ssize_t nul = find_escaped_nul(json, len);
    if (nul >= 0)
        return error_new(err, EINVAL, "invalid JSON: a string holds \\u0000 (NUL) at byte %zd; no path, name or "
                         "argument may contain NUL", nul);
    _cleanup_free_ char *buf = xstrndup(json, len);
    char ebuf[1024] = "";
    yajl_val root = yajl_tree_parse(buf, ebuf, sizeof(ebuf));
    if (!root) {
        /* yajl's message spans lines ("...\n  {]\n  (right here) ------^\n"): one line, single spaces. */
        char *w = ebuf;
        for (const char *c = ebuf; *c; c++)
            if (!isspace((unsigned char)*c) || (w > ebuf && w[-1] != ' '))
                *w++ = isspace((unsigned char)*c) ? ' ' : *c;
        while (w > ebuf && w[-1] == ' ')
            w--;
        *w = '\0';
        return error_new(err, EINVAL, "invalid JSON: %s", *ebuf ? ebuf : "parse error");
    }
    if (!YAJL_IS_OBJECT(root)) {
        yajl_tree_free(root);
        return error_new(err, EINVAL, "expected a JSON object at the top level");
    }
    *out = root;
    return 0;
}

yajl_val json_find(yajl_val obj, const char *key) {
    if (!YAJL_IS_OBJECT(obj))
        return NULL;
    for (size_t i = 0; i < obj->u.object.len; i++)
        if (strcmp(obj->u.object.keys[i], key) == 0)
            return YAJL_IS_NULL(obj->u.object.values[i]) ? NULL : obj->u.object.values[i];
    return NULL;
}

static int lookup(yajl_val obj, const char *path, const char *key, bool required, yajl_val *v, struct error **err) {
    *v = json_find(obj, key);
    if (!*v && required)
        return jerr(err, path, key, "required");
    return 0;
}

int json_get_object(yajl_val obj, const char *path, const char *key, bool required, yajl_val *out, struct error **err) {
    yajl_val v;
    int r = lookup(obj, path, key, required, &v, err);
    if (r < 0 || !v)
        return r;
    if (!YAJL_IS_OBJECT(v))
        return jerr(err, path, key, "expected an object");
    *out = v;
    return 0;
}

int json_get_array(yajl_val obj, const char *path, const char *key, bool required, yajl_val *out, struct error **err) {
    yajl_val v;
    int r = lookup(obj, path, key, required, &v, err);
    if (r < 0 || !v)
        return r;
    if (!YAJL_IS_ARRAY(v))
        return jerr(err, path, key, "expected an array");
    *out = v;
    return 0;
}

int json_value_string(yajl_val v, const char *path, char **out, struct error **err) {
    if (!YAJL_IS_STRING(v))
        return jerr(err, path, NULL, "expected a string");
    free(*out);
    *out = xstrdup(v->u.string);
    return 0;
}

int json_get_string(yajl_val obj, const char *path, const char *key, bool required, char **out, struct error **err) {
    yajl_val v;
    int r = lookup(obj, path, key, required, &v, err);
    if (r < 0 || !v)
        return r;
    if (!YAJL_IS_STRING(v))
        return jerr(err, path, key, "expected a string");
    free(*out);
    *out = xstrdup(v->u.string);
    return 0;
}

int json_get_bool(yajl_val obj, const char *path, const char *key, bool *out, bool *has, struct error **err) {
    yajl_val v = json_find(obj, key);
    if (!v)
        return 0;
    if (!YAJL_IS_TRUE(v) && !YAJL_IS_FALSE(v))
        return jerr(err, path, key, "expected a boolean");
    *out = YAJL_IS_TRUE(v);
    if (has)
        *has = true;
    return 0;
}

/* A JSON number written as an integer (no fraction, no exponent). */
static bool is_integer_literal(yajl_val v) {
    if (!YAJL_IS_NUMBER(v) || !v->u.number.r)
        return false;
    return strpbrk(v->u.number.r, ".eE") == NULL;
}

static const char *int_kind(int64_t min, int64_t max) {
    static const struct {
        int64_t min, max;
        const char *name;
    } kinds[] = {
        {0, UINT32_MAX, "an unsigned 32-bit integer"}, {INT32_MIN, INT32_MAX, "a 32-bit integer"},
        {INT64_MIN, INT64_MAX, "a 64-bit integer"},    {0, UINT16_MAX, "an unsigned 16-bit integer"},
        {0, UINT8_MAX, "an unsigned 8-bit integer"},   {0, INT64_MAX, "a non-negative 64-bit integer"},
    };
    for (size_t i = 0; i < ARRAY_SIZE(kinds); i++)
        if (kinds[i].min == min && kinds[i].max == max)
            return kinds[i].name;
    return NULL;
}

int json_value_int(yajl_val v, const char *path, int64_t min, int64_t max, int64_t *out, struct error **err) {
    int64_t x = 0;
    if (is_integer_literal(v) && parse_int64(v->u.number.r, &x) == 0 && x >= min && x <= max) {
        *out = x;
        return 0;
    }
    const char *kind = int_kind(min, max);
    if (kind)
        return jerr(err, path, NULL, "expected %s", kind);
    return jerr(err, path, NULL, "expected an integer from %" PRId64 " to %" PRId64, min, max);
}

int json_value_u64(yajl_val v, const char *path, uint64_t *out, struct error **err) {
    uint64_t x;
    if (!is_integer_literal(v) || parse_uint64(v->u.number.r, &x) < 0)
        return jerr(err, path, NULL, "expected an unsigned 64-bit integer");
    *out = x;
    return 0;
}

int json_get_int(yajl_val obj, const char *path, const char *key, bool required, int64_t min, int64_t max, int64_t *out,
                 bool *has, struct error **err) {
    yajl_val v;
    int r = lookup(obj, path, key, required, &v, err);
    if (r < 0 || !v)
        return r;
    _cleanup_free_ char *p = jpath_key(path, key);
    r = json_value_int(v, p, min, max, out, err);
    if (r >= 0 && has)
        *has = true;
    return r;
}

int json_get_u64(yajl_val obj, const char *path, const char *key, bool required, uint64_t *out, bool *has,
                 struct error **err) {
    yajl_val v;
    int r = lookup(obj, path, key, required, &v, err);
    if (r < 0 || !v)
        return r;
    _cleanup_free_ char *p = jpath_key(path, key);
    r = json_value_u64(v, p, out, err);
    if (r >= 0 && has)
        *has = true;
    return r;
}

int json_get_u32(yajl_val obj, const char *path, const char *key, bool required, uint32_t *out, bool *has,
                 struct error **err) {
    int64_t x;
    bool got = false;
    int r = json_get_int(obj, path, key, required, 0, UINT32_MAX, &x, &got, err);
    if (r < 0 || !got)
        return r;
    *out = (uint32_t)x;
    if (has)
        *has = true;
    return 0;
}

int json_get_strv(yajl_val obj, const char *path, const char *key, char ***out, struct error **err) {
    yajl_val a = NULL;
    int r = json_get_array(obj, path, key, false, &a, err);
    if (r < 0 || !a)
        return r;
    _cleanup_free_ char *p = jpath_key(path, key);
    char **v = xcalloc(a->u.array.len + 1, sizeof(char *));
    for (size_t i = 0; i < a->u.array.len; i++) {
        yajl_val s = a->u.array.values[i];
        if (!YAJL_IS_STRING(s)) {
            strv_free(v);
            _cleanup_free_ char *pi = jpath_idx(p, i);
            return jerr(err, pi, NULL, "expected a string");
        }
        v[i] = xstrdup(s->u.string);
    }
    strv_free(*out);
    *out = v;
    return 0;
}

int json_get_string_map(yajl_val obj, const char *path, const char *key, struct oci_key_value **out, size_t *n,
                        struct error **err) {
    yajl_val o = NULL;
    int r = json_get_object(obj, path, key, false, &o, err);
    if (r < 0 || !o)
        return r;
    _cleanup_free_ char *p = jpath_key(path, key);
    size_t len = o->u.object.len;
    struct oci_key_value *kv = xcalloc(len ? len : 1, sizeof(*kv));
    for (size_t i = 0; i < len; i++) {
        const char *k = o->u.object.keys[i];
        yajl_val v = o->u.object.values[i];
        if (!*k) {
            oci_key_values_free(kv, i);
            return jerr(err, p, NULL, "empty key");
        }
        if (!YAJL_IS_STRING(v)) {
            oci_key_values_free(kv, i);
            return jerr(err, p, k, "expected a string");
        }
        kv[i].key = xstrdup(k);
        kv[i].value = xstrdup(v->u.string);
    }
    oci_key_values_free(*out, *n);
    *out = kv;
    *n = len;
    return 0;
}

bool str_in(const char *s, const char *const *names) {
    for (; *names; names++)
        if (strcmp(s, *names) == 0)
            return true;
    return false;
}

/* ---------- writing ---------- */

yajl_gen json_gen_new(bool pretty) {
    yajl_gen g = yajl_gen_alloc(NULL);
    if (!g)
        abort();
    if (pretty) {
        yajl_gen_config(g, yajl_gen_beautify, 1);
        yajl_gen_config(g, yajl_gen_indent_string, "\t");
    }
    return g;
}

char *json_gen_finish(yajl_gen g, bool newline) {
    const unsigned char *buf;
    size_t len;
    yajl_gen_get_buf(g, &buf, &len);
    /* yajl's beautifier already ends the top-level value with a newline. */
    while (len && buf[len - 1] == '\n')
        len--;
    char *s = xasprintf("%.*s%s", (int)len, (const char *)buf, newline ? "\n" : "");
    yajl_gen_free(g);
    return s;
}

void jg_str(yajl_gen g, const char *s) {
    yajl_gen_string(g, (const unsigned char *)s, strlen(s));
}

void jg_key(yajl_gen g, const char *key) {
    jg_str(g, key);
}

void jg_key_str(yajl_gen g, const char *key, const char *value) {
    jg_str(g, key);
    jg_str(g, value);
}

void jg_key_int(yajl_gen g, const char *key, long long value) {
    jg_str(g, key);
    yajl_gen_integer(g, value);
}

void jg_key_bool(yajl_gen g, const char *key, bool value) {
    jg_str(g, key);
    yajl_gen_bool(g, value);
}

void jg_key_strv(yajl_gen g, const char *key, const char *const *values) {
    jg_str(g, key);
    yajl_gen_array_open(g);
    for (; values && *values; values++)
        jg_str(g, *values);
    yajl_gen_array_close(g);
}

char *oci_json_quote(const char *s) {
    yajl_gen g = json_gen_new(false);
    jg_str(g, s ? s : "");
    return json_gen_finish(g, false);
}
