/*
 * lib/model/validate_object.c - rules for one object alone: typed access with
 * findings, metadata (name, namespace, labels, annotations), apiVersion per
 * kind (kinds.c), and the dispatch to the rules of each resource family
 * (validate_<family>.c, listed in validate_object.h).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "validate_object.h"

const char *k8smig__vtype_name(cv *v)
{
	switch (k8smig_value_type(v)) {
	case K8SMIG_TYPE_NULL: return "null";
	case K8SMIG_TYPE_BOOL: return "a boolean";
	case K8SMIG_TYPE_INT: return "an integer";
	case K8SMIG_TYPE_DOUBLE: return "a number";
	case K8SMIG_TYPE_STRING: return "a string";
	case K8SMIG_TYPE_MAP: return "a map";
	case K8SMIG_TYPE_LIST: return "a list";
	}
	return "?";
}

/* ---- typed access with findings ------------------------------------------------ */

/* Present and of type t (a finding when present with another type). */
cv *k8smig__vwant(k8smig__vctx *ctx, cv *v, const char *key, k8smig_type t)
{
	static const char *const names[] = { "null", "a boolean", "an integer", "a number", "a string", "a map", "a list" };
	cv *c = k8smig__vget(v, key);
	if (!c)
		return NULL;
	if (k8smig_value_type(c) != t) {
		if (k8smig_value_type(c) == K8SMIG_TYPE_NULL)
			return NULL; /* explicit null reads as unset, like the API server */
		FIND(ctx, ERR, K8SMIG__C_TYPE, key, "must be %s, not %s", names[t], k8smig__vtype_name(c));
		return NULL;
	}
	return c;
}

cv *k8smig__vreq(k8smig__vctx *ctx, cv *v, const char *key, k8smig_type t)
{
	cv *c = k8smig__vget(v, key);
	if (!c || k8smig_value_type(c) == K8SMIG_TYPE_NULL) {
		FIND(ctx, ERR, K8SMIG__C_REQUIRED, key, "is required");
		return NULL;
	}
	c = k8smig__vwant(ctx, v, key, t);
	if (c && ((t == K8SMIG_TYPE_STRING && k8smig_value_strlen(c) == 0) ||
	          (t == K8SMIG_TYPE_LIST && k8smig_value_size(c) == 0))) {
		FIND(ctx, ERR, K8SMIG__C_REQUIRED, key, "is required and must not be empty");
		return NULL;
	}
	return c;
}

const char *k8smig__vreq_str(k8smig__vctx *ctx, cv *v, const char *key)
{
	return k8smig_value_str(k8smig__vreq(ctx, v, key, K8SMIG_TYPE_STRING));
}

const char *k8smig__vopt_str(k8smig__vctx *ctx, cv *v, const char *key)
{
	return k8smig_value_str(k8smig__vwant(ctx, v, key, K8SMIG_TYPE_STRING));
}

/* 1 and *out when an integer is present, 0 when absent, -1 for another type (finding added). */
int k8smig__vopt_int(k8smig__vctx *ctx, cv *v, const char *key, int64_t *out)
{
	cv *c = k8smig__vget(v, key);
	if (!c || k8smig_value_type(c) == K8SMIG_TYPE_NULL)
		return 0;
	if (k8smig_value_type(c) != K8SMIG_TYPE_INT) {
		FIND(ctx, ERR, K8SMIG__C_TYPE, key, "must be an integer, not %s", k8smig__vtype_name(c));
		return -1;
	}
	*out = k8smig_value_int(c);
	return 1;
}

const char *k8smig__vreq_str_in(k8smig__vctx *ctx, cv *map, const char *map_key, const char *key)
{
	size_t p;
	const char *s;
	if (!map)
		return NULL;
	p = k8smig__vpush(ctx, map_key);
	s = k8smig__vreq_str(ctx, map, key);
	k8smig__vpop(ctx, p);
	return s;
}

const char *k8smig__vsub_str(k8smig__vctx *ctx, cv *v, const char *map_key, bool map_required, const char *key)
{
	cv *map = map_required ? k8smig__vreq(ctx, v, map_key, K8SMIG_TYPE_MAP) : k8smig__vwant(ctx, v, map_key, K8SMIG_TYPE_MAP);
	return k8smig__vreq_str_in(ctx, map, map_key, key);
}

bool k8smig__vone_of(const char *s, const char *const *allowed)
{
	for (; *allowed; allowed++)
		if (strcmp(s, *allowed) == 0)
			return true;
	return false;
}

void k8smig__venum_str(k8smig__vctx *ctx, cv *v, const char *key, const char *const *allowed)
{
	const char *s = k8smig__vopt_str(ctx, v, key);
	char list[256] = "";
	const char *const *a;
	if (!s || k8smig__vone_of(s, allowed))
		return;
	for (a = allowed; *a; a++) {
		if (a != allowed)
			strncat(list, ", ", sizeof(list) - strlen(list) - 1);
		strncat(list, *a, sizeof(list) - strlen(list) - 1);
	}
	FIND(ctx, ERR, K8SMIG__C_VALUE, key, "unsupported value \"%s\": must be one of %s", s, list);
}

void k8smig__vname_field(k8smig__vctx *ctx, cv *v, const char *key, const char *(*rule)(const char *),
                       const char *rule_name)
{
	const char *s = k8smig__vopt_str(ctx, v, key);
	const char *why;
	if (s && (why = rule(s)))
		FIND(ctx, ERR, K8SMIG__C_NAME_INVALID, key, "\"%s\" is not a valid %s: %s", s, rule_name, why);
}

/* ---- metadata --------------------------------------------------------------------- */

/* Labels (or a selector's matchLabels, or a nodeSelector) at v[key]. */
void k8smig__vcheck_label_map(k8smig__vctx *ctx, cv *v, const char *key)
{
	cv *m = k8smig__vwant(ctx, v, key, K8SMIG_TYPE_MAP), *e;
	size_t p;
	if (!m)
		return;
	p = k8smig__vpush(ctx, key);
	for (e = k8smig_value_first(m); e; e = k8smig_value_next(e)) {
		const char *k = k8smig_value_key(e), *why;
		size_t q = k8smig__vpush_key(ctx, k);
		if ((why = k8smig__label_key(k)))
			FIND(ctx, ERR, K8SMIG__C_LABEL_KEY, NULL, "key \"%s\" is invalid: %s", k, why);
		if (k8smig_value_type(e) != K8SMIG_TYPE_STRING)
			FIND(ctx, ERR, K8SMIG__C_TYPE, NULL, "must be a string, not %s (quote it)", k8smig__vtype_name(e));
		else if ((why = k8smig__label_value(k8smig_value_str(e))))
			FIND(ctx, ERR, K8SMIG__C_LABEL_VALUE, NULL, "value \"%s\" is invalid: %s", k8smig_value_str(e), why);
		k8smig__vpop(ctx, q);
	}
	k8smig__vpop(ctx, p);
}

#define ANNOTATIONS_MAX (256u * 1024u)

static void check_annotations(k8smig__vctx *ctx, cv *meta)
{
	cv *m = k8smig__vwant(ctx, meta, "annotations", K8SMIG_TYPE_MAP), *e;
	size_t total = 0, p;
	if (!m)
		return;
	p = k8smig__vpush(ctx, "annotations");
	for (e = k8smig_value_first(m); e; e = k8smig_value_next(e)) {
		const char *k = k8smig_value_key(e), *why;
		size_t q = k8smig__vpush_key(ctx, k);
		total += strlen(k);
		if ((why = k8smig__label_key(k)))
			FIND(ctx, ERR, K8SMIG__C_ANNOTATION_KEY, NULL, "key \"%s\" is invalid: %s", k, why);
		if (k8smig_value_type(e) != K8SMIG_TYPE_STRING)
			FIND(ctx, ERR, K8SMIG__C_TYPE, NULL, "must be a string, not %s (quote it)", k8smig__vtype_name(e));
		else
			total += k8smig_value_strlen(e);
		k8smig__vpop(ctx, q);
	}
	if (total > ANNOTATIONS_MAX)
		FIND(ctx, ERR, K8SMIG__C_ANNOTATIONS_SIZE, NULL,
		     "annotations total %zu bytes; the limit is %u bytes (256 KiB)", total, ANNOTATIONS_MAX);
	k8smig__vpop(ctx, p);
}

/* metadata of the object or of a pod template */
void k8smig__vcheck_metadata_maps(k8smig__vctx *ctx, cv *meta)
{
	k8smig__vcheck_label_map(ctx, meta, "labels");
	check_annotations(ctx, meta);
}

/* ---- apiVersion per kind ----------------------------------------------------------- */

static void check_api_version(k8smig__vctx *ctx, const char *av)
{
	const k8smig__kind_info *k = k8smig__kind_find(ctx->kind);
	const char *v;
	size_t n;

	if (!k || !k->versions)
		return;
	v = k->versions;
	n = strlen(v);
	if (v[n - 1] == '/') {
		if (strncmp(av, v, n) != 0 || !av[n])
			FIND(ctx, ERR, K8SMIG__C_API_VERSION, "apiVersion",
			     "%s belongs to API group %.*s, not \"%s\"", ctx->kind, (int)(n - 1), v, av);
		return;
	}
	while (*v) {
		const char *sp = strchr(v, ' ');
		size_t len = sp ? (size_t)(sp - v) : strlen(v);
		if (strlen(av) == len && strncmp(av, v, len) == 0)
			return;
		v += len + (sp ? 1 : 0);
	}
	FIND(ctx, ERR, K8SMIG__C_API_VERSION, "apiVersion",
	     "%s is not served as \"%s\" by Kubernetes 1.24 and later; use %s", ctx->kind, av, k->versions);
}

/* ---- entry point ------------------------------------------------------------------------ */

static bool is(const k8smig__vctx *ctx, const char *kind)
{
	return strcmp(ctx->kind, kind) == 0;
}

/* the rules of kinds whose content is under spec */
static const struct spec_check {
	const char *kind;
	void (*check)(k8smig__vctx *ctx, cv *spec);
	bool spec_optional;
} spec_checks[] = {
	{ "Deployment", k8smig__vcheck_workload, false },
	{ "DaemonSet", k8smig__vcheck_workload, false },
	{ "StatefulSet", k8smig__vcheck_workload, false },
	{ "ReplicaSet", k8smig__vcheck_workload, false },
	{ "Job", k8smig__vcheck_workload, false },
	{ "CronJob", k8smig__vcheck_cronjob, false },
	{ "Pod", k8smig__vcheck_pod_spec, false },
	{ "PersistentVolume", k8smig__vcheck_pv, false },
	{ "PersistentVolumeClaim", k8smig__vcheck_pvc, false },
	{ "Service", k8smig__vcheck_service, false },
	{ "Ingress", k8smig__vcheck_ingress, false },
	{ "IngressClass", k8smig__vcheck_ingress_class, false },
	{ "IngressClassParams", k8smig__vcheck_ingress_class_params, true },
	{ "HorizontalPodAutoscaler", k8smig__vcheck_hpa, false },
	{ "ExternalSecret", k8smig__vcheck_external_secret, false },
	{ "SecretStore", k8smig__vcheck_secret_store, false },
	{ "ClusterSecretStore", k8smig__vcheck_secret_store, false },
	{ "ClusterIssuer", k8smig__vcheck_issuer, false },
	{ "Issuer", k8smig__vcheck_issuer, false },
	{ "Certificate", k8smig__vcheck_certificate, false },
	{ "PrometheusRule", k8smig__vcheck_prometheus_rule, false },
	{ "PodDisruptionBudget", k8smig__vcheck_pdb, false },
	{ NULL, NULL, false },
};

void k8smig__validate_object(k8smig__vctx *ctx)
{
	const struct spec_check *sc;
	cv *root = ctx->root, *meta, *spec;
	const char *av, *kind, *rule, *why;
	size_t p;

	if (k8smig__vis_kustomization(root)) {
		/* not a cluster object: only what kustomize itself needs */
		k8smig__vreq_str(ctx, root, "kind");
		return;
	}
	av = k8smig__vreq_str(ctx, root, "apiVersion");
	kind = k8smig__vreq_str(ctx, root, "kind");
	meta = k8smig__vreq(ctx, root, "metadata", K8SMIG_TYPE_MAP);
	if (meta) {
		p = k8smig__vpush(ctx, "metadata");
		if (k8smig__vreq_str(ctx, meta, "name") && kind && (why = k8smig__name_check(k8smig__kind_name_rule(kind), ctx->name, &rule)))
			FIND(ctx, ERR, K8SMIG__C_NAME_INVALID, "name", "\"%s\" is not a valid %s name (%s): %s", ctx->name,
			     kind, rule, why);
		k8smig__vname_field(ctx, meta, "namespace", k8smig__dns1123_label, "namespace (DNS-1123 label)");
		k8smig__vcheck_metadata_maps(ctx, meta);
		k8smig__vpop(ctx, p);
	}
	if (!kind)
		return;
	if (av)
		check_api_version(ctx, av);

	/* kinds whose content is at the top level */
	if (is(ctx, "ConfigMap")) {
		k8smig__vcheck_data_map(ctx, "data", false, k8smig__vget(root, "binaryData"), "binaryData");
		k8smig__vcheck_data_map(ctx, "binaryData", true, NULL, NULL);
		return;
	}
	if (is(ctx, "Secret")) {
		k8smig__vcheck_data_map(ctx, "data", true, NULL, NULL);
		k8smig__vcheck_data_map(ctx, "stringData", false, NULL, NULL);
		return;
	}
	if (is(ctx, "Role") || is(ctx, "ClusterRole")) {
		k8smig__vcheck_rbac_rules(ctx, is(ctx, "ClusterRole"));
		return;
	}
	if (is(ctx, "RoleBinding") || is(ctx, "ClusterRoleBinding")) {
		k8smig__vcheck_binding(ctx, is(ctx, "ClusterRoleBinding"));
		return;
	}
	if (is(ctx, "StorageClass")) {
		k8smig__vcheck_storageclass(ctx);
		return;
	}
	if (is(ctx, "Namespace") || is(ctx, "ServiceAccount"))
		return;

	/* kinds with a spec */
	for (sc = spec_checks; sc->kind && !is(ctx, sc->kind); sc++)
		;
	if (!sc->kind)
		return;
	spec = sc->spec_optional ? k8smig__vwant(ctx, root, "spec", K8SMIG_TYPE_MAP)
	                         : k8smig__vreq(ctx, root, "spec", K8SMIG_TYPE_MAP);
	if (!spec)
		return;
	p = k8smig__vpush(ctx, "spec");
	sc->check(ctx, spec);
	k8smig__vpop(ctx, p);
}
