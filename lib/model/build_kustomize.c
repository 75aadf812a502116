/*
 * lib/model/build_kustomize.c - kustomization.yaml.
 */
#include <stdio.h>
#include <string.h>

#include "build.h"

#define KIND "Kustomization"

int k8smig_kustomization_new(k8smig_object **out)
{
	if (!out)
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL output");
	return k8smig_object_new(out, "kustomize.config.k8s.io/v1beta1", KIND);
}

/* A relative path or URL: non-empty UTF-8 without blanks or control characters. */
static bool plain_ref(const char *s)
{
	const char *p;
	if (!s || !*s || !k8smig__utf8_valid(s, strlen(s)))
		return false;
	for (p = s; *p; p++)
		if ((unsigned char)*p <= ' ')
			return false;
	return true;
}

static int append_checked(k8smig_object *k, const char *list, const char *value, bool ok, const char *msg)
{
	char path[96];
	int rc;
	if ((rc = k8smig__build_kind(k, KIND, NULL)) < 0)
		return rc;
	if (!ok) {
		k8smig__path_format(path, sizeof(path), "%s[%zu]", list, k8smig__build_list_size(k, "%s", list));
		return k8smig__build_fail(k, K8SMIG_EINVAL, path, "%s", msg);
	}
	return k8smig_object_append_str(NULL, k, list, value);
}

int k8smig_kustomization_add_resource(k8smig_object *k, const char *path)
{
	return append_checked(k, "resources", path, plain_ref(path), "must be a relative path or URL without blanks");
}

int k8smig_kustomization_set_namespace(k8smig_object *k, const char *ns)
{
	int rc;
	if ((rc = k8smig__build_kind(k, KIND, NULL)) < 0)
		return rc;
	if (!k8smig__is_dns1123_label(ns))
		return k8smig__build_fail(k, K8SMIG_EINVAL, "namespace", "namespace must be a DNS-1123 label");
	return k8smig_object_set_str(k, "namespace", ns);
}

int k8smig_kustomization_add_image(k8smig_object *k, const char *name, const char *new_name, const char *new_tag,
                                   const char *digest)
{
	char path[64];
	size_t i;
	int rc;

	if ((rc = k8smig__build_kind(k, KIND, NULL)) < 0)
		return rc;
	i = k8smig__build_list_size(k, "images");
#define CHECK(cond, field, msg)                                                        \
	do {                                                                           \
		if (!(cond)) {                                                         \
			k8smig__path_format(path, sizeof(path), "images[%zu].%s", i, field);      \
			return k8smig__build_fail(k, K8SMIG_EINVAL, path, "%s", msg); \
		}                                                                      \
	} while (0)
	CHECK(plain_ref(name), "name", "missing image name");
	CHECK(!new_name || plain_ref(new_name), "newName", "image name without blanks");
	CHECK(!new_tag || (plain_ref(new_tag) && strlen(new_tag) <= 128 && !strpbrk(new_tag, ":@/")), "newTag",
	      "a tag is at most 128 characters without ':', '@' or '/'");
	CHECK(!digest || (strncmp(digest, "sha256:", 7) == 0 && strlen(digest) == 71 &&
	                  strspn(digest + 7, "0123456789abcdef") == 64), "digest", "digest must be sha256: and 64 hex digits");
	CHECK(!(new_tag && digest), "digest", "give a tag or a digest, not both");
	CHECK(new_name || new_tag || digest, "newName", "nothing to change");
#undef CHECK
	if ((rc = k8smig__build_append_map(&i, k, "images")) < 0 ||
	    (rc = k8smig__build_set_str(k, name, "images[%zu].name", i)) < 0 ||
	    (new_name && (rc = k8smig__build_set_str(k, new_name, "images[%zu].newName", i)) < 0) ||
	    (new_tag && (rc = k8smig__build_set_str(k, new_tag, "images[%zu].newTag", i)) < 0) ||
	    (digest && (rc = k8smig__build_set_str(k, digest, "images[%zu].digest", i)) < 0))
		return rc;
	return 0;
}

int k8smig_kustomization_add_replicas(k8smig_object *k, const char *name, int32_t count)
{
	char path[64];
	size_t i;
	int rc;

	if ((rc = k8smig__build_kind(k, KIND, NULL)) < 0)
		return rc;
	i = k8smig__build_list_size(k, "replicas");
	k8smig__path_format(path, sizeof(path), "replicas[%zu].name", i);
	if (!k8smig__is_dns1123_subdomain(name))
		return k8smig__build_fail(k, K8SMIG_EINVAL, path, "workload name must be a DNS-1123 subdomain");
	k8smig__path_format(path, sizeof(path), "replicas[%zu].count", i);
	if (count < 0)
		return k8smig__build_fail(k, K8SMIG_EINVAL, path, "count must not be negative");
	if ((rc = k8smig__build_append_map(&i, k, "replicas")) < 0 ||
	    (rc = k8smig__build_set_str(k, name, "replicas[%zu].name", i)) < 0 ||
	    (rc = k8smig__build_set_int(k, count, "replicas[%zu].count", i)) < 0)
		return rc;
	return 0;
}

int k8smig_kustomization_add_label(k8smig_object *k, const char *key, const char *value, bool include_selectors)
{
	const k8smig_value *entry;
	char map[64], path[K8SMIG__BUILD_PATH_MAX];
	size_t i = 0;
	bool found = false;
	int rc;

	if ((rc = k8smig__build_kind(k, KIND, NULL)) < 0)
		return rc;
	for (entry = k8smig_value_first(k8smig_object_get(k, "labels")); entry; entry = k8smig_value_next(entry), i++) {
		const k8smig_value *inc = k8smig_value_lookup(entry, "includeSelectors");
		if (k8smig_value_type(inc) == K8SMIG_TYPE_BOOL && k8smig_value_bool(inc) == include_selectors) {
			found = true;
			break;
		}
	}
	k8smig__path_format(map, sizeof(map), "labels[%zu].pairs", i);
	if (!k8smig__is_label_key(key))
		return k8smig__build_fail(k, K8SMIG_EINVAL, map, "label key must be [prefix/]name");
	k8smig__path_format(path, sizeof(path), "%s[%s]", map, key);
	if (!k8smig__is_label_value(value))
		return k8smig__build_fail(k, K8SMIG_EINVAL, path, "label value must be at most 63 of [A-Za-z0-9-_.]");
	if (!found) {
		/* pairs first, as kustomize's docs write it */
		if ((rc = k8smig__build_append_map(&i, k, "labels")) < 0)
			return rc;
		k8smig__path_format(map, sizeof(map), "labels[%zu].pairs", i);
		if ((rc = k8smig_object_set_map(k, map)) < 0 ||
		    (rc = k8smig__build_set_bool(k, include_selectors, "labels[%zu].includeSelectors", i)) < 0)
			return rc;
	}
	return k8smig__build_set_entry(k, map, key, value);
}

int k8smig_kustomization_add_patch(k8smig_object *k, const char *path, const char *patch, const char *target_kind,
                                   const char *target_name)
{
	char err[64];
	size_t i;
	int rc;

	if ((rc = k8smig__build_kind(k, KIND, NULL)) < 0)
		return rc;
	i = k8smig__build_list_size(k, "patches");
	k8smig__path_format(err, sizeof(err), "patches[%zu].%s", i, path ? "path" : "patch");
	if (!path == !patch)
		return k8smig__build_fail(k, K8SMIG_EINVAL, err, "give exactly one of a patch file and an inline patch");
	if ((path && !plain_ref(path)) || (patch && (!*patch || !k8smig__utf8_valid(patch, strlen(patch)))))
		return k8smig__build_fail(k, K8SMIG_EINVAL, err, "%s", path ? "must be a relative path" : "empty or invalid patch");
	k8smig__path_format(err, sizeof(err), "patches[%zu].target.kind", i);
	if (target_kind && !plain_ref(target_kind))
		return k8smig__build_fail(k, K8SMIG_EINVAL, err, "invalid kind");
	k8smig__path_format(err, sizeof(err), "patches[%zu].target.name", i);
	if (target_name && !plain_ref(target_name))
		return k8smig__build_fail(k, K8SMIG_EINVAL, err, "invalid name");
	if ((rc = k8smig__build_append_map(&i, k, "patches")) < 0 ||
	    (path && (rc = k8smig__build_set_str(k, path, "patches[%zu].path", i)) < 0) ||
	    (patch && (rc = k8smig__build_set_str(k, patch, "patches[%zu].patch", i)) < 0) ||
	    (target_kind && (rc = k8smig__build_set_str(k, target_kind, "patches[%zu].target.kind", i)) < 0) ||
	    (target_name && (rc = k8smig__build_set_str(k, target_name, "patches[%zu].target.name", i)) < 0))
		return rc;
	return 0;
}

int k8smig_kustomization_add_config_map_generator(size_t *index_out, k8smig_object *k, const char *name,
                                                  const char *behavior)
{
	char path[64];
	size_t i;
	int rc;

	if (index_out)
		*index_out = 0;
	if ((rc = k8smig__build_kind(k, KIND, NULL)) < 0)
		return rc;
	i = k8smig__build_list_size(k, "configMapGenerator");
	k8smig__path_format(path, sizeof(path), "configMapGenerator[%zu].name", i);
	if (!k8smig__is_dns1123_subdomain(name))
		return k8smig__build_fail(k, K8SMIG_EINVAL, path, "ConfigMap name must be a DNS-1123 subdomain");
	k8smig__path_format(path, sizeof(path), "configMapGenerator[%zu].behavior", i);
	if (behavior && !k8smig__build_one_of(behavior, "create", "replace", "merge", NULL))
		return k8smig__build_fail(k, K8SMIG_EINVAL, path, "must be create, replace or merge");
	if ((rc = k8smig__build_append_map(&i, k, "configMapGenerator")) < 0 ||
	    (rc = k8smig__build_set_str(k, name, "configMapGenerator[%zu].name", i)) < 0 ||
	    (behavior && (rc = k8smig__build_set_str(k, behavior, "configMapGenerator[%zu].behavior", i)) < 0))
		return rc;
	if (index_out)
		*index_out = i;
	return 0;
}

int k8smig_kustomization_add_generator_source(k8smig_object *k, size_t generator, k8smig_generator_source source,
                                              const char *text)
{
	static const char *const lists[] = { "literals", "files", "envs" };
	char list[64], path[96];
	bool ok;
	int rc;

	if ((rc = k8smig__build_kind(k, KIND, NULL)) < 0)
		return rc;
	k8smig__path_format(list, sizeof(list), "configMapGenerator[%zu]", generator);
	if (generator >= k8smig__build_list_size(k, "configMapGenerator"))
		return k8smig__build_fail(k, K8SMIG_ENOTFOUND, list, "no such generator");
	if ((unsigned)source > K8SMIG_GENERATOR_ENV)
		return k8smig__build_fail(k, K8SMIG_EINVAL, list, "unknown generator source");
	k8smig__path_format(list, sizeof(list), "configMapGenerator[%zu].%s", generator, lists[source]);
	if (source == K8SMIG_GENERATOR_LITERAL) {
		const char *eq = text ? strchr(text, '=') : NULL;
		char key[254];
		size_t n = eq ? (size_t)(eq - text) : 0;
		ok = eq && n > 0 && n < sizeof(key) && k8smig__utf8_valid(text, strlen(text));
		if (ok) {
			memcpy(key, text, n);
			key[n] = '\0';
			ok = k8smig__is_config_key(key);
		}
	} else {
		ok = plain_ref(text);
	}
	if (!ok) {
		k8smig__path_format(path, sizeof(path), "%s[%zu]", list, k8smig__build_list_size(k, "%s", list));
		/* never quote the text: a literal may hold a value that should not reach a log */
		return k8smig__build_fail(k, K8SMIG_EINVAL, path, "%s", source == K8SMIG_GENERATOR_LITERAL ?
		                          "a literal is KEY=value with KEY of [-._a-zA-Z0-9]" : "must be a path without blanks");
	}
	return k8smig_object_append_str(NULL, k, list, text);
}
