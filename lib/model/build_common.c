/*
 * lib/model/build_common.c - checks and writers shared by the typed builders.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"

int k8smig__build_fail(k8smig_object *o, int code, const char *path, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	k8smig__error_setv(code, path ? path : "", fmt, ap);
	va_end(ap);
	if (o)
		k8smig__object_fail(o);
	return code;
}

static const char *object_kind(k8smig_object *o);

bool k8smig__build_is(const k8smig_object *o, const char *kind)
{
	const char *k = k8smig_object_kind(o);
	return k && strcmp(k, kind) == 0;
}

int k8smig__build_kind(k8smig_object *o, ...)
{
	va_list ap;
	const char *want, *first = NULL;
	const char *kind;

	if (!o)
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL object");
	kind = object_kind(o);
	va_start(ap, o);
	while ((want = va_arg(ap, const char *)) != NULL) {
		if (!first)
			first = want;
		if (kind && strcmp(kind, want) == 0) {
			va_end(ap);
			return 0;
		}
	}
	va_end(ap);
	return k8smig__build_fail(o, K8SMIG_EKIND, "kind", "this function applies to %s%s, not %s",
	                          first ? first : "?", first ? " and related kinds" : "", kind ? kind : "an object without kind");
}

/* ---- syntax checks ---------------------------------------------------------- */

bool k8smig__build_go_duration(const char *s)
{
	static const char *const units[] = { "ns", "us", "\xc2\xb5s", "ms", "s", "m", "h" };
	if (!s || !*s)
		return false;
	if (strcmp(s, "0") == 0)
		return true;
	while (*s) {
		bool digits = false;
		size_t i, best = 0;
		while (*s >= '0' && *s <= '9') {
			s++;
			digits = true;
		}
		if (*s == '.') {
			s++;
			while (*s >= '0' && *s <= '9') {
				s++;
				digits = true;
			}
		}
		if (!digits)
			return false;
		/* longest unit first: "ms" before "m" */
		for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
			size_t n = strlen(units[i]);
			if (n > best && strncmp(s, units[i], n) == 0)
				best = n;
		}
		if (!best)
			return false;
		s += best;
	}
	return true;
}

bool k8smig__build_nonempty(const char *s)
{
	return s && *s;
}

bool k8smig__build_one_of(const char *s, ...)
{
	va_list ap;
	const char *c;
	bool found = false;
	if (!s)
		return false;
	va_start(ap, s);
	while (!found && (c = va_arg(ap, const char *)) != NULL)
		found = strcmp(s, c) == 0;
	va_end(ap);
	return found;
}

/* ---- writers ------------------------------------------------------------------ */

#define FORMAT_PATH(buf, fmt)                              \
	do {                                               \
		va_list ap_;                               \
		va_start(ap_, fmt);                        \
		k8smig__path_vformat((buf), sizeof(buf), (fmt), ap_); \
		va_end(ap_);                               \
	} while (0)

int k8smig__build_set_str(k8smig_object *o, const char *value, const char *pathfmt, ...)
{
	char path[K8SMIG__BUILD_PATH_MAX];
	FORMAT_PATH(path, pathfmt);
	return k8smig_object_set_str(o, path, value);
}

int k8smig__build_set_int(k8smig_object *o, int64_t value, const char *pathfmt, ...)
{
	char path[K8SMIG__BUILD_PATH_MAX];
	FORMAT_PATH(path, pathfmt);
	return k8smig_object_set_int(o, path, value);
}

int k8smig__build_set_bool(k8smig_object *o, bool value, const char *pathfmt, ...)
{
	char path[K8SMIG__BUILD_PATH_MAX];
	FORMAT_PATH(path, pathfmt);
	return k8smig_object_set_bool(o, path, value);
}

int k8smig__build_set_strv(k8smig_object *o, const char *const *items, const char *pathfmt, ...)
{
	char path[K8SMIG__BUILD_PATH_MAX];
	int rc;
	FORMAT_PATH(path, pathfmt);
	if ((rc = k8smig_object_set_list(o, path)) < 0)
		return rc;
	for (; items && *items; items++)
		if ((rc = k8smig_object_append_str(NULL, o, path, *items)) < 0)
			return rc;
	return 0;
}

int k8smig__build_append_map(size_t *index_out, k8smig_object *o, const char *pathfmt, ...)
{
	char path[K8SMIG__BUILD_PATH_MAX];
	FORMAT_PATH(path, pathfmt);
	return k8smig_object_append_map(index_out, o, path);
}

size_t k8smig__build_list_size(const k8smig_object *o, const char *pathfmt, ...)
{
	char path[K8SMIG__BUILD_PATH_MAX];
	const k8smig_value *v;
	FORMAT_PATH(path, pathfmt);
	v = k8smig_object_get(o, path);
	return k8smig_value_type(v) == K8SMIG_TYPE_LIST ? k8smig_value_size(v) : 0;
}

void k8smig__build_move_last(k8smig_object *o, const char *map_path, const char *key)
{
	const k8smig_value *map = k8smig_object_get(o, map_path);
	k8smig_value *entry = k8smig__map_find(map, key, strlen(key));
	if (entry)
		k8smig__move_last(o, k8smig__off(o, map), k8smig__off(o, entry));
}

bool k8smig__build_list_has(const k8smig_object *o, const char *list_path, const char *field, const char *value)
{
	return k8smig__build_items_have(k8smig_object_get(o, list_path), field, value);
}

bool k8smig__build_items_have(const k8smig_value *list, const char *field, const char *value)
{
	const k8smig_value *item;
	for (item = k8smig_value_first(list); item; item = k8smig_value_next(item)) {
		const char *s = k8smig_value_str(k8smig_value_lookup(item, field));
		if (s && value && strcmp(s, value) == 0)
			return true;
	}
	return false;
}

int k8smig__build_set_entry(k8smig_object *o, const char *map_path, const char *key, const char *value)
{
	return k8smig__build_set_entry_site(o, map_path, NULL, key, value);
}

int k8smig__build_set_entry_site(k8smig_object *o, const char *map_path, k8smig_path_site *site, const char *key,
                                 const char *value)
{
	const k8smig_value *map;
	k8smig_value *existing;
	uint32_t moff, child;
	int rc;

	if (!value || !k8smig__utf8_valid(value, strlen(value)))
		return k8smig__build_fail(o, K8SMIG_EINVAL, map_path, value ? "value is not valid UTF-8" : "NULL value");
	if (!(moff = k8smig__walk_path_site(o, map_path, site)))
		return k8smig_error_last()->code;
	if (k8smig__node(o, moff)->type == K8SMIG_TYPE_NULL) {
		k8smig_value *m = k8smig__node(o, moff); /* just created (or an explicit null): an empty map */
		m->type = K8SMIG_TYPE_MAP;
		m->n = 0;
		m->u.c.first = m->u.c.last = 0;
	} else if (k8smig__node(o, moff)->type != K8SMIG_TYPE_MAP) {
		if ((rc = k8smig_object_set_map(o, map_path)) < 0)
			return rc;
	}
	map = k8smig__node(o, moff);
	existing = k8smig__map_find(map, key, strlen(key));
	if (existing) {
		child = k8smig__off(o, existing);
		if (existing->type != K8SMIG_TYPE_STRING)
			existing->n = 0;
	} else if (!(child = k8smig__node_new(o, K8SMIG_TYPE_NULL)) || k8smig__map_add(o, moff, key, strlen(key), child) < 0) {
		k8smig__object_fail(o);
		return K8SMIG_ENOMEM;
	}
	if ((rc = k8smig__node_set_string(o, child, value, strlen(value))) < 0) {
		k8smig__object_fail(o);
		return rc;
	}
	return 0;
}

int k8smig__build_check_int_or_string(k8smig_object *o, const char *text, bool allow_percent, bool allow_name,
                                      bool *is_int, int64_t *int_out, const char *path)
{
	size_t i, n;
	int64_t v = 0;

	*is_int = false;
	*int_out = 0;
	if (!text || !*text)
		return k8smig__build_fail(o, K8SMIG_EINVAL, path, "missing value");
	n = strlen(text);
	for (i = 0; i < n && text[i] >= '0' && text[i] <= '9'; i++) {
		v = v * 10 + (text[i] - '0');
		if (v > INT32_MAX)
			return k8smig__build_fail(o, K8SMIG_EINVAL, path, "number out of range");
	}
	if (i == n) {
		*is_int = true;
		*int_out = v;
		return 0;
	}
	if (allow_percent && i > 0 && i == n - 1 && text[i] == '%')
		return 0;
	if (allow_name && k8smig__is_iana_svc_name(text))
		return 0;
	return k8smig__build_fail(o, K8SMIG_EINVAL, path, "must be %s", allow_percent ? "a number or a percentage" :
	                          "a port number or a port name (lowercase, at most 15 characters)");
}

int k8smig__build_set_int_or_string(k8smig_object *o, const char *text, bool is_int, int64_t v, const char *path)
{
	return is_int ? k8smig_object_set_int(o, path, v) : k8smig_object_set_str(o, path, text);
}

int k8smig__build_check_quantity(k8smig_object *o, const char *text, char **canonical_out, const char *path)
{
	k8smig_quantity q;
	char buf[K8SMIG__QUANTITY_TEXT_MAX];
	size_t n;
	*canonical_out = NULL;
	if (!(n = k8smig__quantity_parse_buf(&q, text, buf)))
		return k8smig__build_fail(o, K8SMIG_EINVAL, path, "invalid quantity (expected e.g. 500m, 1, 512Mi, 10Gi)");
	if (q.mantissa < 0)
		return k8smig__build_fail(o, K8SMIG_EINVAL, path, "quantity must not be negative");
	if (!(*canonical_out = k8smig__strndup(buf, n)))
		return k8smig__build_fail(o, K8SMIG_ENOMEM, path, "out of memory");
	return 0;
}

/* ---- pod templates --------------------------------------------------------------- */

/* The object's kind, read through its "kind" entry once found (rewriting that entry in place,
 * replacing or unlinking it clears the memo with the trail: k8smig__cache_clear). */
static const char *object_kind(k8smig_object *o)
{
	const k8smig_value *v;
	if (K8SMIG__LIKELY(o->memo_kind_node != 0)) {
		v = k8smig__node(o, o->memo_kind_node);
		return v->type == K8SMIG_TYPE_STRING ? k8smig__str(v) : NULL;
	}
	v = k8smig__find_k(o, o->root, K8SMIG__KEY(kind));
	if (!v || v->type != K8SMIG_TYPE_STRING)
		return NULL;
	o->memo_kind_node = k8smig__off(o, v);
	return k8smig__str(v);
}

/* The kinds-table entry of o's kind, or NULL. Remembered with the "kind" entry's offset:
 * rewriting, replacing or unlinking that entry clears both (k8smig__cache_clear). */
static const k8smig__kind_info *kind_info(k8smig_object *o)
{
	const char *kind;
	if (K8SMIG__LIKELY(o->memo_kind != NULL && o->memo_kind_node != 0))
		return o->memo_kind;
	kind = object_kind(o);
	return o->memo_kind = kind ? k8smig__kind_find(kind) : NULL;
}

int k8smig__build_pod_paths(k8smig_object *o, const char **spec_out, const char **meta_out)
{
	const k8smig__pod_template *pt;
	int rc = k8smig__build_pod(o, &pt);
	if (rc < 0)
		return rc;
	if (spec_out)
		*spec_out = pt->spec;
	if (meta_out)
		*meta_out = pt->meta;
	return 0;
}

int k8smig__build_pod(k8smig_object *o, const k8smig__pod_template **out)
{
	const char *kind;
	const k8smig__kind_info *k;
	const k8smig__pod_template *pt;

	if (!o)
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL object");
	k = kind_info(o);
	if (!(pt = k ? k->pod : NULL)) {
		kind = object_kind(o);
		return k8smig__build_fail(o, K8SMIG_EKIND, "kind", "%s has no pod template", kind ? kind : "an object without kind");
	}
	*out = pt;
	return 0;
}

int k8smig__build_container_path(k8smig_object *o, size_t index, char *buf, size_t cap)
{
	const char *spec;
	int rc;
	if ((rc = k8smig__build_pod_paths(o, &spec, NULL)) < 0)
		return rc;
	k8smig__path_format(buf, cap, "%s.containers[%zu]", spec, index);
	if (index >= k8smig__build_list_size(o, "%s.containers", spec))
		return k8smig__build_fail(o, K8SMIG_ENOTFOUND, buf, "no container %zu", index);
	return 0;
}

int k8smig__build_new(k8smig_object **out, const char *api_version, const char *kind,
                      const char *name, const char *ns)
{
	return k8smig__build_new_meta(out, NULL, api_version, kind, name, ns);
}

int k8smig__build_new_meta(k8smig_object **out, uint32_t *meta_out, const char *api_version, const char *kind,
                           const char *name, const char *ns)
{
	uint32_t meta;
	k8smig_object *o = NULL;
	const k8smig__kind_info *k = k8smig__kind_find(kind);
	k8smig__name_rule rule;
	const char *what, *why;
	int rc;

	if (!out)
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL output");
	*out = NULL;
	rule = k ? k->name_rule : K8SMIG__NAME_DNS_SUBDOMAIN;
	why = k8smig__name_check(rule, name, &what);
	/* the DNS rules admit ASCII only; a path segment may hold any other byte */
	if (!why && rule == K8SMIG__NAME_PATH_SEGMENT && !k8smig__utf8_valid(name, strlen(name)))
		why = "must be valid UTF-8";
	if (why)
		return k8smig__error_set(K8SMIG_EINVAL, "metadata.name", "%s name must be a %s: %s", kind, what, why);
	if (ns && !k8smig__is_dns1123_label(ns))
		return k8smig__error_set(K8SMIG_EINVAL, "metadata.namespace", "namespace must be a DNS-1123 label");
	if ((rc = k8smig_object_new(&o, api_version, kind)) < 0)
		return rc;
	/* a new object: metadata is a new map, written without paths or lookups */
	if (!(meta = k8smig__add_node_k(o, o->root, K8SMIG__KEY(metadata), K8SMIG_TYPE_MAP)) ||
	    (rc = K8SMIG__ADD_VALID(o, meta, name, name)) < 0 || (ns && (rc = K8SMIG__ADD_VALID(o, meta, namespace, ns)) < 0)) {
		rc = meta ? rc : K8SMIG_ENOMEM;
		k8smig_object_free(o);
		return rc;
	}
	if (meta_out)
		*meta_out = meta;
	/* the builders that follow find the kind through these */
	if (object_kind(o))
		o->memo_kind = k;
	*out = o;
	return 0;
}

/* ---- containers by offset -------------------------------------------------------- */

int k8smig__build_container_find(k8smig_object *o, size_t index, uint32_t *coff)
{
	const k8smig__kind_info *k;
	const k8smig_value *spec, *list, *item;
	char buf[K8SMIG__BUILD_PATH_MAX];

	if (!o)
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL object");
	k = kind_info(o);
	if (!k || !k->pod)
		return k8smig__build_pod_paths(o, NULL, NULL); /* fails: EKIND */
	spec = k8smig__build_pod_spec(o);
	list = spec ? k8smig__find_k(o, k8smig__off(o, spec), K8SMIG__KEY(containers)) : NULL;
	if (k8smig_value_type(list) != K8SMIG_TYPE_LIST || !(item = k8smig_value_at(list, index)))
		return k8smig__build_container_path(o, index, buf, sizeof(buf)); /* fails: ENOTFOUND */
	*coff = k8smig__off(o, item);
	if (o->memo_pod == k->pod && index < UINT32_MAX) {
		o->memo_cont_idx = (uint32_t)index;
		o->memo_cont_off = *coff;
	}
	return 0;
}

int k8smig__build_fail_c(k8smig_object *o, size_t index, int code, const char *msg, const char *relfmt, ...)
{
	char c[K8SMIG__BUILD_PATH_MAX], rel[K8SMIG__BUILD_PATH_MAX], path[2 * K8SMIG__BUILD_PATH_MAX];
	va_list ap;
	const char *spec = "?";
	k8smig__build_pod_paths(o, &spec, NULL);
	k8smig__path_format(c, sizeof(c), "%s.containers[%zu]", spec, index);
	va_start(ap, relfmt);
	k8smig__path_vformat(rel, sizeof(rel), relfmt, ap);
	va_end(ap);
	k8smig__path_format(path, sizeof(path), "%s%s%s", c, rel[0] && rel[0] != '[' ? "." : "", rel);
	return k8smig__build_fail(o, code, path, "%s", msg);
}

/* Remember spec as the pod spec of template pod (no container found under it yet). */
static void remember_pod_spec(k8smig_object *o, const k8smig__pod_template *pod, uint32_t spec)
{
	o->memo_pod = pod;
	o->memo_pod_spec = spec;
	o->memo_cont_off = 0;
}

uint32_t k8smig__build_pod_spec_make(k8smig_object *o)
{
	const k8smig__kind_info *k = kind_info(o);
	k8smig_value *v;
	uint32_t spec;
	if (!k || !k->pod) {
		k8smig__build_pod_paths(o, NULL, NULL); /* sets EKIND */
		return 0;
	}
	if (o->memo_pod == k->pod)
		return o->memo_pod_spec;
	/* k->pod->spec is a string of the kinds table: its site may serve every kind */
	if (!(spec = k8smig__walk_path_site(o, k->pod->spec, K8SMIG__SITE())))
		return 0;
	v = k8smig__node(o, spec);
	if (v->type == K8SMIG_TYPE_NULL) { /* just created (or an explicit null): an empty map */
		v->type = K8SMIG_TYPE_MAP;
		v->n = 0;
		v->u.c.first = v->u.c.last = 0;
	}
	if (v->type == K8SMIG_TYPE_MAP)
		remember_pod_spec(o, k->pod, spec);
	return spec;
}

const k8smig_value *k8smig__build_pod_spec(k8smig_object *o)
{
	const k8smig__kind_info *k = kind_info(o);
	const k8smig_value *spec;
	if (!k || !k->pod)
		return NULL;
	if (o->memo_pod == k->pod)
		return k8smig__node(o, o->memo_pod_spec);
	/* k->pod->spec is a string of the kinds table: its site may serve every kind */
	if ((spec = k8smig__get_path_site(o, k->pod->spec, K8SMIG__SITE())) != NULL)
		remember_pod_spec(o, k->pod, k8smig__off(o, spec));
	return spec;
}
