/*
 * lib/model/build_workloads.c - Deployment, DaemonSet, Pod, PodDisruptionBudget:
 * selectors, pod templates, volumes, tolerations, security contexts.
 * Containers are in build_containers.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"

/* The app.kubernetes.io/name label in new map m; name passed the name checks (ASCII, n bytes). */
static inline __attribute__((always_inline)) int add_name_label(k8smig_object *o, uint32_t m, const char *name,
                                                                 size_t n)
{
	return k8smig__add_valid_str_k(o, m, K8SMIG__KEY(label_name), name, n);
}

/* A workload named `name` gets app.kubernetes.io/name=<name> on itself, its selector and its pods. */
static int new_labelled(k8smig_object **out, const char *api, const char *kind, const char *name, const char *ns,
                        bool has_template)
{
	k8smig_object *o = NULL;
	size_t n = name ? strlen(name) : 0;
	uint32_t meta, m;
	int rc;

	if (!out)
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL output");
	*out = NULL;
	if (n > 63)
		return k8smig__error_set(K8SMIG_EINVAL, "metadata.name", "name must be at most 63 bytes (it is also a label value)");
	if ((rc = k8smig__build_new_meta(&o, &meta, api, kind, name, ns)) < 0)
		return rc;
	/* every map below is new: entries appended without paths or lookups, in the order
	 * metadata.labels, spec.selector.matchLabels, spec.template.metadata.labels */
	rc = K8SMIG_ENOMEM;
	if (!(m = k8smig__add_node_k(o, meta, K8SMIG__KEY(labels), K8SMIG_TYPE_MAP)) ||
	    (rc = add_name_label(o, m, name, n)) < 0)
		goto fail;
	if (has_template) {
		uint32_t spec, t;
		rc = K8SMIG_ENOMEM;
		if (!(spec = k8smig__add_node_k(o, o->root, K8SMIG__KEY(spec), K8SMIG_TYPE_MAP)) ||
		    !(m = k8smig__add_node_k(o, spec, K8SMIG__KEY(selector), K8SMIG_TYPE_MAP)) ||
		    !(m = k8smig__add_node_k(o, m, K8SMIG__KEY(matchLabels), K8SMIG_TYPE_MAP)) ||
		    (rc = add_name_label(o, m, name, n)) < 0)
			goto fail;
		rc = K8SMIG_ENOMEM;
		if (!(t = k8smig__add_node_k(o, spec, K8SMIG__KEY(template), K8SMIG_TYPE_MAP)) ||
		    !(m = k8smig__add_node_k(o, t, K8SMIG__KEY(metadata), K8SMIG_TYPE_MAP)) ||
		    !(m = k8smig__add_node_k(o, m, K8SMIG__KEY(labels), K8SMIG_TYPE_MAP)) ||
		    (rc = add_name_label(o, m, name, n)) < 0)
			goto fail;
	}
	*out = o;
	return 0;
fail:
	k8smig_object_free(o);
	return rc;
}

int k8smig_deployment_new(k8smig_object **out, const char *name, const char *ns)
{
	return new_labelled(out, "apps/v1", "Deployment", name, ns, true);
}

int k8smig_daemon_set_new(k8smig_object **out, const char *name, const char *ns)
{
	return new_labelled(out, "apps/v1", "DaemonSet", name, ns, true);
}

int k8smig_pod_new(k8smig_object **out, const char *name, const char *ns)
{
	return new_labelled(out, "v1", "Pod", name, ns, false);
}

/* An int-or-percent field checked and kept for writing. */
typedef struct int_or_percent {
	const char *text;
	bool is_int;
	int64_t v;
} int_or_percent;

static int check_iop(k8smig_object *o, int_or_percent *f, const char *text, const char *path)
{
	f->text = text;
	f->is_int = false;
	f->v = 0;
	if (!text)
		return 0;
	return k8smig__build_check_int_or_string(o, text, true, false, &f->is_int, &f->v, path);
}

static bool iop_zero(const int_or_percent *f)
{
	return f->text && (f->is_int ? f->v == 0 : strspn(f->text, "0") == strlen(f->text) - 1);
}

int k8smig_pdb_new(k8smig_object **out, const char *name, const char *ns, const char *min_available,
                   const char *max_unavailable)
{
	k8smig_object *o = NULL;
	int_or_percent min, max;
	int rc;

	if (!out)
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL output");
	*out = NULL;
	if (!min_available == !max_unavailable)
		return k8smig__error_set(K8SMIG_EINVAL, min_available ? "spec.maxUnavailable" : "spec.minAvailable",
		                         "give exactly one of minAvailable and maxUnavailable");
	if ((rc = check_iop(NULL, &min, min_available, "spec.minAvailable")) < 0 ||
	    (rc = check_iop(NULL, &max, max_unavailable, "spec.maxUnavailable")) < 0)
		return rc;
	if ((rc = k8smig__build_new(&o, "policy/v1", "PodDisruptionBudget", name, ns)) < 0)
		return rc;
	if ((min.text && (rc = k8smig__build_set_int_or_string(o, min.text, min.is_int, min.v, "spec.minAvailable")) < 0) ||
	    (max.text && (rc = k8smig__build_set_int_or_string(o, max.text, max.is_int, max.v, "spec.maxUnavailable")) < 0)) {
		k8smig_object_free(o);
		return rc;
	}
	*out = o;
	return 0;
}

int k8smig_deployment_set_replicas(k8smig_object *deployment, int32_t replicas)
{
	const k8smig_value *spec, *r, *e;
	uint32_t s;
	int rc;
	if ((rc = k8smig__build_kind(deployment, "Deployment", NULL)) < 0)
		return rc;
	if (replicas < 0)
		return k8smig__build_fail(deployment, K8SMIG_EINVAL, "spec.replicas", "replicas must not be negative");
	spec = k8smig__find_k(deployment, deployment->root, K8SMIG__KEY(spec));
	if (!spec || spec->type != K8SMIG_TYPE_MAP ||
	    ((r = k8smig__find_k(deployment, k8smig__off(deployment, spec), K8SMIG__KEY(replicas))) &&
	     (r->type == K8SMIG_TYPE_MAP || r->type == K8SMIG_TYPE_LIST))) {
		/* the unusual shapes through the path API */
		if ((rc = k8smig_object_set_int(deployment, "spec.replicas", replicas)) < 0)
			return rc;
		spec = k8smig__find_k(deployment, deployment->root, K8SMIG__KEY(spec));
	} else if (r) {
		k8smig_value *v = k8smig__node(deployment, k8smig__off(deployment, r));
		v->type = K8SMIG_TYPE_INT; /* a scalar rewritten in place, as set_int does */
		v->n = 0;
		v->flags &= (uint8_t)~K8SMIG__F_MERGED;
		v->u.i = replicas;
	} else if ((rc = k8smig__add_int_k(deployment, k8smig__off(deployment, spec), K8SMIG__KEY(replicas), replicas)) < 0) {
		return rc;
	}
	/* conventional order: replicas, selector, strategy, template */
	s = k8smig__off(deployment, spec);
	if ((e = k8smig__find_k(deployment, s, K8SMIG__KEY(selector))))
		k8smig__move_last(deployment, s, k8smig__off(deployment, e));
	if ((e = k8smig__find_k(deployment, s, K8SMIG__KEY(strategy))))
		k8smig__move_last(deployment, s, k8smig__off(deployment, e));
	if ((e = k8smig__find_k(deployment, s, K8SMIG__KEY(template))))
		k8smig__move_last(deployment, s, k8smig__off(deployment, e));
	return 0;
}

int k8smig_workload_set_update_strategy(k8smig_object *obj, const char *type, const char *max_surge,
                                        const char *max_unavailable)
{
	char base[32], path[96];
	bool deployment;
	int_or_percent surge, unavail;
	int rc;

	if ((rc = k8smig__build_kind(obj, "Deployment", "DaemonSet", NULL)) < 0)
		return rc;
	deployment = k8smig__build_is(obj, "Deployment");
	k8smig__path_format(base, sizeof(base), "spec.%s", deployment ? "strategy" : "updateStrategy");
	k8smig__path_format(path, sizeof(path), "%s.type", base);
	if (!(deployment ? k8smig__build_one_of(type, "RollingUpdate", "Recreate", NULL)
	                 : k8smig__build_one_of(type, "RollingUpdate", "OnDelete", NULL)))
		return k8smig__build_fail(obj, K8SMIG_EINVAL, path, "must be RollingUpdate or %s", deployment ? "Recreate" : "OnDelete");
	k8smig__path_format(path, sizeof(path), "%s.rollingUpdate", base);
	if (strcmp(type, "RollingUpdate") != 0 && (max_surge || max_unavailable))
		return k8smig__build_fail(obj, K8SMIG_EINVAL, path, "maxSurge and maxUnavailable need type RollingUpdate");
	k8smig__path_format(path, sizeof(path), "%s.rollingUpdate.maxSurge", base);
	if ((rc = check_iop(obj, &surge, max_surge, path)) < 0)
		return rc;
	k8smig__path_format(path, sizeof(path), "%s.rollingUpdate.maxUnavailable", base);
	if ((rc = check_iop(obj, &unavail, max_unavailable, path)) < 0)
		return rc;
	if (iop_zero(&surge) && iop_zero(&unavail))
		return k8smig__build_fail(obj, K8SMIG_EINVAL, path, "maxUnavailable may not be 0 when maxSurge is 0");
	if ((rc = k8smig_object_set_map(obj, base)) < 0 || (rc = k8smig__build_set_str(obj, type, "%s.type", base)) < 0)
		return rc;
	if (surge.text) {
		k8smig__path_format(path, sizeof(path), "%s.rollingUpdate.maxSurge", base);
		if ((rc = k8smig__build_set_int_or_string(obj, surge.text, surge.is_int, surge.v, path)) < 0)
			return rc;
	}
	if (unavail.text) {
		k8smig__path_format(path, sizeof(path), "%s.rollingUpdate.maxUnavailable", base);
		if ((rc = k8smig__build_set_int_or_string(obj, unavail.text, unavail.is_int, unavail.v, path)) < 0)
			return rc;
	}
	k8smig__build_move_last(obj, "spec", "template");
	return 0;
}

/* Check a label key and value for map_path; EINVAL with the entry's path. */
static int check_label(k8smig_object *o, const char *map_path, const char *key, int key_index, const char *value)
{
	char path[K8SMIG__BUILD_PATH_MAX];
	/* a common name (key_index >= 0) is a valid label key: test_object_static_key_tables */
	if (key_index < 0 && !k8smig__is_label_key(key))
		return k8smig__build_fail(o, K8SMIG_EINVAL, map_path,
		                          "label key must be [prefix/]name: name at most 63 of [A-Za-z0-9-_.], prefix a DNS subdomain");
	if (!k8smig__is_label_value(value)) {
		k8smig__path_format(path, sizeof(path), "%s[%s]", map_path, key); /* only for the error */
		return k8smig__build_fail(o, K8SMIG_EINVAL, path, "label value must be at most 63 of [A-Za-z0-9-_.], alphanumeric at both ends");
	}
	return 0;
}

int k8smig_selector_set(k8smig_object *obj, const char *key, const char *value)
{
	const char *map, *kind;
	uint32_t spec, m;
	size_t klen;
	bool svc, pdb;
	int rc, idx;

	if ((rc = k8smig__build_kind(obj, "Deployment", "DaemonSet", "StatefulSet", "ReplicaSet",
	                             "PodDisruptionBudget", "Service", NULL)) < 0)
		return rc;
	kind = k8smig_object_kind(obj); /* one of those: not NULL */
	svc = strcmp(kind, "Service") == 0;
	pdb = !svc && strcmp(kind, "PodDisruptionBudget") == 0;
	map = svc ? "spec.selector" : "spec.selector.matchLabels";
	klen = key ? strlen(key) : 0;
	idx = key ? k8smig__static_key_find(key, klen) : -1;
	if ((rc = check_label(obj, map, key, idx, value)) < 0)
		return rc;
	/* the maps the constructors made, found by key; any other shape through the path */
	spec = k8smig__build_map_k(obj, obj->root, K8SMIG__KEY(spec));
	m = k8smig__build_map_k(obj, spec, K8SMIG__KEY(selector));
	if (!svc)
		m = k8smig__build_map_k(obj, m, K8SMIG__KEY(matchLabels));
	if ((rc = m ? k8smig__set_str_k(obj, m, key, klen, idx, value)
	            : k8smig__build_set_entry_site(obj, map, K8SMIG__SITE(), key, value)) < 0)
		return rc;
	if (pdb || svc)
		return 0;
	/* the pods must carry what the workload selects */
	m = k8smig__build_map_k(obj, spec, K8SMIG__KEY(template));
	m = k8smig__build_map_k(obj, m, K8SMIG__KEY(metadata));
	m = k8smig__build_map_k(obj, m, K8SMIG__KEY(labels));
	return m ? k8smig__set_str_k(obj, m, key, klen, idx, value)
	         : k8smig__build_set_entry_site(obj, "spec.template.metadata.labels", K8SMIG__SITE(), key, value);
}

/* ---- pod spec ------------------------------------------------------------------ */

int k8smig_pod_set_service_account(k8smig_object *obj, const char *service_account)
{
	const char *spec;
	char path[96];
	int rc;

	const k8smig_value *ps;

	if ((rc = k8smig__build_pod_paths(obj, &spec, NULL)) < 0)
		return rc;
	if (!k8smig__is_dns1123_subdomain(service_account)) {
		k8smig__path_format(path, sizeof(path), "%s.serviceAccountName", spec);
		return k8smig__build_fail(obj, K8SMIG_EINVAL, path, "ServiceAccount name must be a DNS-1123 subdomain");
	}
	/* under the pod spec already found, when there is one */
	if ((ps = k8smig__build_pod_spec(obj)) != NULL && ps->type == K8SMIG_TYPE_MAP)
		return k8smig__set_str_k(obj, k8smig__off(obj, ps), K8SMIG__KEY(serviceAccountName), service_account);
	k8smig__path_format(path, sizeof(path), "%s.serviceAccountName", spec);
	return k8smig_object_set_str(obj, path, service_account);
}

int k8smig_pod_set_template_label(k8smig_object *obj, const char *key, const char *value)
{
	const k8smig__pod_template *pt;
	int rc;

	if ((rc = k8smig__build_pod(obj, &pt)) < 0)
		return rc;
	if ((rc = check_label(obj, pt->labels, key, -1, value)) < 0)
		return rc;
	/* pt->labels is a string of the kinds table: its site may serve every kind */
	return k8smig__build_set_entry_site(obj, pt->labels, K8SMIG__SITE(), key, value);
}

int k8smig_pod_set_template_annotation(k8smig_object *obj, const char *key, const char *value)
{
	const char *meta;
	char map[96], path[K8SMIG__BUILD_PATH_MAX];
	int rc;

	if ((rc = k8smig__build_pod_paths(obj, NULL, &meta)) < 0)
		return rc;
	k8smig__path_format(map, sizeof(map), "%s.annotations", meta);
	if (!k8smig__is_label_key(key))
		return k8smig__build_fail(obj, K8SMIG_EINVAL, map, "annotation key must be [prefix/]name like a label key");
	k8smig__path_format(path, sizeof(path), "%s[%s]", map, key);
	if (!value || !k8smig__utf8_valid(value, strlen(value)))
		return k8smig__build_fail(obj, K8SMIG_EINVAL, path, "%s", value ? "value is not valid UTF-8" : "NULL value");
	return k8smig__build_set_entry(obj, map, key, value);
}

int k8smig_pod_set_node_selector(k8smig_object *obj, const char *key, const char *value)
{
	const char *spec;
	char map[96];
	int rc;

	if ((rc = k8smig__build_pod_paths(obj, &spec, NULL)) < 0)
		return rc;
	k8smig__path_format(map, sizeof(map), "%s.nodeSelector", spec);
	if ((rc = check_label(obj, map, key, -1, value)) < 0)
		return rc;
	return k8smig__build_set_entry(obj, map, key, value);
}

int k8smig_pod_add_toleration(k8smig_object *obj, const char *key, const char *op, const char *value,
                              const char *effect, int64_t toleration_seconds)
{
	const char *spec;
	char list[96], path[160];
	size_t i;
	bool exists;
	int rc;

	if ((rc = k8smig__build_pod_paths(obj, &spec, NULL)) < 0)
		return rc;
	k8smig__path_format(list, sizeof(list), "%s.tolerations", spec);
	i = k8smig__build_list_size(obj, "%s", list);
	if (op && !k8smig__build_one_of(op, "Equal", "Exists", NULL)) {
		k8smig__path_format(path, sizeof(path), "%s[%zu].operator", list, i);
		return k8smig__build_fail(obj, K8SMIG_EINVAL, path, "must be Equal or Exists");
	}
	exists = op && strcmp(op, "Exists") == 0;
	k8smig__path_format(path, sizeof(path), "%s[%zu].key", list, i);
	if (!key && !exists)
		return k8smig__build_fail(obj, K8SMIG_EINVAL, path, "a toleration without key needs operator Exists");
	if (key && !k8smig__is_label_key(key))
		return k8smig__build_fail(obj, K8SMIG_EINVAL, path, "taint key must be a label key");
	k8smig__path_format(path, sizeof(path), "%s[%zu].value", list, i);
	if (exists && value && *value)
		return k8smig__build_fail(obj, K8SMIG_EINVAL, path, "operator Exists takes no value");
	if (value && !k8smig__is_label_value(value))
		return k8smig__build_fail(obj, K8SMIG_EINVAL, path, "taint value must be a label value");
	k8smig__path_format(path, sizeof(path), "%s[%zu].effect", list, i);
	if (effect && !k8smig__build_one_of(effect, "NoSchedule", "PreferNoSchedule", "NoExecute", NULL))
		return k8smig__build_fail(obj, K8SMIG_EINVAL, path, "must be NoSchedule, PreferNoSchedule or NoExecute");
	k8smig__path_format(path, sizeof(path), "%s[%zu].tolerationSeconds", list, i);
	if (toleration_seconds < K8SMIG_UNSET || (toleration_seconds != K8SMIG_UNSET && !(effect && strcmp(effect, "NoExecute") == 0)))
		return k8smig__build_fail(obj, K8SMIG_EINVAL, path, "tolerationSeconds needs effect NoExecute and 0 or more seconds");
	if ((rc = k8smig__build_append_map(&i, obj, "%s", list)) < 0 ||
	    (key && (rc = k8smig__build_set_str(obj, key, "%s[%zu].key", list, i)) < 0) ||
	    (op && (rc = k8smig__build_set_str(obj, op, "%s[%zu].operator", list, i)) < 0) ||
	    (value && !exists && (rc = k8smig__build_set_str(obj, value, "%s[%zu].value", list, i)) < 0) ||
	    (effect && (rc = k8smig__build_set_str(obj, effect, "%s[%zu].effect", list, i)) < 0) ||
	    (toleration_seconds != K8SMIG_UNSET &&
	     (rc = k8smig__build_set_int(obj, toleration_seconds, "%s[%zu].tolerationSeconds", list, i)) < 0))
		return rc;
	return 0;
}

int k8smig_pod_set_termination_grace_period(k8smig_object *obj, int64_t seconds)
{
	const char *spec;
	char path[96];
	int rc;

	if ((rc = k8smig__build_pod_paths(obj, &spec, NULL)) < 0)
		return rc;
	k8smig__path_format(path, sizeof(path), "%s.terminationGracePeriodSeconds", spec);
	if (seconds < 0)
		return k8smig__build_fail(obj, K8SMIG_EINVAL, path, "must be 0 or more seconds");
	return k8smig_object_set_int(obj, path, seconds);
}

/* Map outer of new volume item v, holding inner: source (empty for an emptyDir without medium). */
static int add_volume_source(k8smig_object *o, uint32_t v, const char *outer, size_t olen, int oidx, const char *inner,
                             size_t ilen, int iidx, const char *source)
{
	uint32_t m = k8smig__add_node_k(o, v, outer, olen, oidx, K8SMIG_TYPE_MAP);
	if (!m)
		return K8SMIG_ENOMEM;
	return source && *source ? k8smig__add_valid_str_k(o, m, inner, ilen, iidx, source, strlen(source)) : 0;
}

int k8smig_pod_add_volume(size_t *index_out, k8smig_object *obj, const char *name, k8smig_volume_type type,
                          const char *source)
{
	const char *spec, *field = NULL;
	const k8smig_value *list, *ps;
	char path[192];
	bool ok;
	uint32_t s, v;
	size_t i;
	int rc;

	if (index_out)
		*index_out = 0;
	if ((rc = k8smig__build_pod_paths(obj, &spec, NULL)) < 0)
		return rc;
	/* read and check first; paths formatted only for an error */
	ps = k8smig__build_pod_spec(obj);
	list = ps ? k8smig__find_k(obj, k8smig__off(obj, ps), K8SMIG__KEY(volumes)) : NULL;
	i = k8smig__build_items(list);
	if (!k8smig__is_dns1123_label(name)) {
		k8smig__path_format(path, sizeof(path), "%s.volumes[%zu].name", spec, i);
		return k8smig__build_fail(obj, K8SMIG_EINVAL, path, "volume name must be a DNS-1123 label");
	}
	if (k8smig__build_items_have(list, "name", name)) {
		k8smig__path_format(path, sizeof(path), "%s.volumes[%zu].name", spec, i);
		return k8smig__build_fail(obj, K8SMIG_EEXISTS, path, "the pod already has a volume of this name");
	}
	switch (type) {
	case K8SMIG_VOLUME_PVC:
		field = "persistentVolumeClaim.claimName";
		ok = k8smig__is_dns1123_subdomain(source);
		break;
	case K8SMIG_VOLUME_CONFIG_MAP:
		field = "configMap.name";
		ok = k8smig__is_dns1123_subdomain(source);
		break;
	case K8SMIG_VOLUME_SECRET:
		field = "secret.secretName";
		ok = k8smig__is_dns1123_subdomain(source);
		break;
	case K8SMIG_VOLUME_EMPTY_DIR:
		field = "emptyDir.medium";
		ok = !source || k8smig__build_one_of(source, "", "Memory", NULL);
		break;
	case K8SMIG_VOLUME_HOST_PATH:
		field = "hostPath.path";
		ok = source && source[0] == '/' && k8smig__utf8_valid(source, strlen(source));
		break;
	default:
		k8smig__path_format(path, sizeof(path), "%s.volumes[%zu]", spec, i);
		return k8smig__build_fail(obj, K8SMIG_EINVAL, path, "unknown volume type");
	}
	if (!ok) {
		k8smig__path_format(path, sizeof(path), "%s.volumes[%zu].%s", spec, i, field);
		return k8smig__build_fail(obj, K8SMIG_EINVAL, path, "%s",
		                          type == K8SMIG_VOLUME_EMPTY_DIR ? "medium must be NULL, \"\" or \"Memory\"" :
		                          type == K8SMIG_VOLUME_HOST_PATH ? "must be an absolute path" :
		                          "must be a DNS-1123 subdomain");
	}
	/* the pod spec found above (nothing written since), or created now */
	if (!(s = k8smig__build_pod_spec_make(obj)))
		return k8smig_error_last()->code;
	if ((rc = k8smig__append_map_found(obj, s, list, K8SMIG__KEY(volumes), &i, &v)) < 0 ||
	    (rc = K8SMIG__ADD_VALID(obj, v, name, name)) < 0)
		return rc;
	/* the item is a new map: its source added without paths or lookups (every source was
	 * checked above: a DNS name, "Memory" or an absolute UTF-8 path) */
	switch (type) {
	case K8SMIG_VOLUME_PVC:
		rc = add_volume_source(obj, v, K8SMIG__KEY(persistentVolumeClaim), K8SMIG__KEY(claimName), source);
		break;
	case K8SMIG_VOLUME_CONFIG_MAP:
		rc = add_volume_source(obj, v, K8SMIG__KEY(configMap), K8SMIG__KEY(name), source);
		break;
	case K8SMIG_VOLUME_SECRET:
		rc = add_volume_source(obj, v, K8SMIG__KEY(secret), K8SMIG__KEY(secretName), source);
		break;
	case K8SMIG_VOLUME_EMPTY_DIR:
		rc = add_volume_source(obj, v, K8SMIG__KEY(emptyDir), K8SMIG__KEY(medium), source);
		break;
	default:
		rc = add_volume_source(obj, v, K8SMIG__KEY(hostPath), K8SMIG__KEY(path), source);
		break;
	}
	if (rc < 0)
		return rc;
	if (index_out)
		*index_out = i;
	return 0;
}

static const k8smig_security_context_options security_context_defaults = K8SMIG_SECURITY_CONTEXT_OPTIONS_INIT;
static const size_t k8smig__security_context_options_sizes[1] = { sizeof(k8smig_security_context_options) };

int k8smig_security_context_options_init(k8smig_security_context_options *opts, unsigned int version)
{
	return K8SMIG__OPTIONS_INIT(opts, version, &security_context_defaults, k8smig__security_context_options_sizes, "k8smig_security_context_options");
}


int k8smig__build_security_context(k8smig_object *o, const char *base, bool pod,
                                   const k8smig_security_context_options *sc)
{
	k8smig_security_context_options opts = security_context_defaults;
	bool run_as_user, run_as_group, fs_group, non_root, ro_root, escalation, privileged;
	char path[K8SMIG__BUILD_PATH_MAX];
	int rc;

#define BAD(field, msg) \
	(k8smig__path_format(path, sizeof(path), "%s%s", base, field), k8smig__build_fail(o, K8SMIG_EINVAL, path, "%s", msg))
	if (!sc || K8SMIG__OPTIONS_LOAD(&opts, sc, k8smig__security_context_options_sizes,
	                                "k8smig_security_context_options") < 0)
		return BAD("", "unknown or missing k8smig_security_context_options");
	sc = &opts;
	/* zeroed means unset: a zero (false) is written only when its has_ flag asks for it */
	run_as_user = sc->run_as_user || sc->has_run_as_user;
	run_as_group = sc->run_as_group || sc->has_run_as_group;
	fs_group = sc->fs_group || sc->has_fs_group;
	non_root = sc->run_as_non_root || sc->has_run_as_non_root;
	ro_root = sc->read_only_root_filesystem || sc->has_read_only_root_filesystem;
	escalation = sc->allow_privilege_escalation || sc->has_allow_privilege_escalation;
	privileged = sc->privileged || sc->has_privileged;
	if (sc->run_as_user < 0)
		return BAD(".runAsUser", "must be 0 or more");
	if (sc->run_as_group < 0)
		return BAD(".runAsGroup", "must be 0 or more");
	if (sc->fs_group < 0 || (!pod && fs_group))
		return BAD(".fsGroup", pod ? "must be 0 or more" : "fsGroup is a pod-level field");
	if (pod && ro_root)
		return BAD(".readOnlyRootFilesystem", "a container-level field");
	if (pod && escalation)
		return BAD(".allowPrivilegeEscalation", "a container-level field");
	if (pod && privileged)
		return BAD(".privileged", "a container-level field");
	if (sc->privileged && escalation && !sc->allow_privilege_escalation)
		return BAD(".allowPrivilegeEscalation", "cannot be false for a privileged container");
	if (pod && (sc->capabilities_add || sc->capabilities_drop))
		return BAD(".capabilities", "a container-level field");
	if (sc->seccomp_profile && !k8smig__build_one_of(sc->seccomp_profile, "RuntimeDefault", "Unconfined", NULL))
		return BAD(".seccompProfile.type", "must be RuntimeDefault or Unconfined (Localhost: use the field-path API)");
#undef BAD
	if ((rc = k8smig_object_set_map(o, base)) < 0 ||
	    (run_as_user && (rc = k8smig__build_set_int(o, sc->run_as_user, "%s.runAsUser", base)) < 0) ||
	    (run_as_group && (rc = k8smig__build_set_int(o, sc->run_as_group, "%s.runAsGroup", base)) < 0) ||
	    (non_root && (rc = k8smig__build_set_bool(o, sc->run_as_non_root, "%s.runAsNonRoot", base)) < 0) ||
	    (fs_group && (rc = k8smig__build_set_int(o, sc->fs_group, "%s.fsGroup", base)) < 0) ||
	    (ro_root && (rc = k8smig__build_set_bool(o, sc->read_only_root_filesystem, "%s.readOnlyRootFilesystem", base)) < 0) ||
	    (escalation && (rc = k8smig__build_set_bool(o, sc->allow_privilege_escalation, "%s.allowPrivilegeEscalation", base)) < 0) ||
	    (privileged && (rc = k8smig__build_set_bool(o, sc->privileged, "%s.privileged", base)) < 0) ||
	    (sc->capabilities_add && (rc = k8smig__build_set_strv(o, sc->capabilities_add, "%s.capabilities.add", base)) < 0) ||
	    (sc->capabilities_drop && (rc = k8smig__build_set_strv(o, sc->capabilities_drop, "%s.capabilities.drop", base)) < 0) ||
	    (sc->seccomp_profile && (rc = k8smig__build_set_str(o, sc->seccomp_profile, "%s.seccompProfile.type", base)) < 0))
		return rc;
	return 0;
}

int k8smig_pod_set_security_context(k8smig_object *obj, const k8smig_security_context_options *opts)
{
	const char *spec;
	char base[96];
	int rc;

	if ((rc = k8smig__build_pod_paths(obj, &spec, NULL)) < 0)
		return rc;
	k8smig__path_format(base, sizeof(base), "%s.securityContext", spec);
	return k8smig__build_security_context(obj, base, true, opts);
}
