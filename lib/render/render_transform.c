/*
 * lib/render/render_transform.c - kustomize's built-in transformers:
 * namespace, name prefix/suffix, labels, annotations, images, replicas,
 * and the final rewrite of references to renamed objects.
 *
 * Field specs (which paths of which kinds each transformer touches) are
 * kustomize's defaults (api/internal/konfig/builtinpluginconsts).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"

/* ---- field specs -------------------------------------------------------------- */

typedef struct fspec {
	const char *kind;    /* NULL: every kind */
	const char *group;   /* NULL: any group */
	const char *path;    /* kustomize path: segments split by '/', "x[]" a list */
	bool create;
} fspec;

static bool fspec_selects(const fspec *f, const k8smig__rres *r)
{
	return (!f->kind || strcmp(f->kind, r->kind) == 0) && (!f->group || strcmp(f->group, r->group) == 0);
}

/* Called with the map holding the last path segment and that segment. */
typedef int (*leaf_fn)(k8smig__rarena *a, k8smig__rnode *parent, const char *key, bool create, void *payload);

/* Walk path from node; lists met on the way are walked item by item (kyaml). */
static int walk_path(k8smig__rarena *a, k8smig__rnode *node, const char *path, bool create, leaf_fn fn, void *payload)
{
	const char *slash, *seg_end;
	char seg[128];
	size_t len;
	k8smig__rnode *child;
	int rc;

	if (!node)
		return 0;
	if (node->type == K8SMIG_TYPE_LIST) {
		k8smig__rnode *it;
		for (it = node->u.c.first; it; it = it->next)
			if ((rc = walk_path(a, it, path, create, fn, payload)) < 0)
				return rc;
		return 0;
	}
	if (node->type != K8SMIG_TYPE_MAP)
		return 0;
	slash = strchr(path, '/');
	seg_end = slash ? slash : path + strlen(path);
	len = (size_t)(seg_end - path);
	if (len >= 2 && path[len - 2] == '[' && path[len - 1] == ']')
		len -= 2;
	if (len >= sizeof(seg))
		return 0;
	memcpy(seg, path, len);
	seg[len] = '\0';
	if (!slash)
		return fn(a, node, seg, create, payload);
	child = k8smig__rnode_get(node, seg);
	if (!child || child->type == K8SMIG_TYPE_NULL) {
		if (!create || seg_end[-1] == ']')
			return 0;
		if (!(child = k8smig__rnode_map_at(a, node, seg, true)))
			return K8SMIG_ENOMEM;
	}
	return walk_path(a, child, slash + 1, create, fn, payload);
}

/* ---- namespace ------------------------------------------------------------------- */

int k8smig__render_namespace(k8smig__render *ctx, k8smig__rset *set, const char *ns)
{
	size_t i;
	int rc;

	for (i = 0; i < set->n; i++) {
		k8smig__rres *r = set->items[i];
		if (strcmp(r->kind, "Namespace") == 0) {
			/* kustomize renames a Namespace object to the target namespace */
			if ((rc = k8smig__rres_set_id(&ctx->arena, r, ns, NULL)) < 0)
				return rc;
		} else if (!k8smig__kind_kustomize_cluster_scoped(r->group, r->kind)) {
			if ((rc = k8smig__rres_set_id(&ctx->arena, r, NULL, ns)) < 0)
				return rc;
		}
		if (strcmp(r->kind, "RoleBinding") == 0 || strcmp(r->kind, "ClusterRoleBinding") == 0) {
			/* kustomize's roleBindingHack: subjects named "default" follow the namespace */
			k8smig__rnode *subjects = k8smig__rnode_get(r->root, "subjects"), *s;
			if (subjects && subjects->type == K8SMIG_TYPE_LIST)
				for (s = subjects->u.c.first; s; s = s->next) {
					const char *name = k8smig__rnode_get_str(s, "name");
					if (name && strcmp(name, "default") == 0 && k8smig__rnode_set_str(&ctx->arena, s, "namespace", ns) < 0)
						return K8SMIG_ENOMEM;
				}
		}
	}
	return 0;
}

/* ---- names ------------------------------------------------------------------------- */

int k8smig__render_prefix_suffix(k8smig__render *ctx, k8smig__rset *set, const char *prefix, const char *suffix)
{
	size_t i;
	int rc;

	for (i = 0; i < set->n; i++) {
		k8smig__rres *r = set->items[i];
		const char *name;
		/* kustomize never renames these: their names are fixed by the API */
		if (strcmp(r->kind, "CustomResourceDefinition") == 0 || strcmp(r->kind, "Namespace") == 0 ||
		    (strcmp(r->kind, "APIService") == 0 && strcmp(r->group, "apiregistration.k8s.io") == 0))
			continue;
		if (!(name = k8smig__rprintf(&ctx->arena, "%s%s%s", prefix, k8smig__rres_name(r), suffix)))
			return K8SMIG_ENOMEM;
		if ((rc = k8smig__rres_set_id(&ctx->arena, r, name, NULL)) < 0)
			return rc;
	}
	return 0;
}

/* ---- labels and annotations ------------------------------------------------------- */

static const fspec template_labels[] = {
	{ NULL, NULL, "metadata/labels", true },
	{ "ReplicationController", NULL, "spec/template/metadata/labels", true },
	{ "Deployment", NULL, "spec/template/metadata/labels", true },
	{ "ReplicaSet", NULL, "spec/template/metadata/labels", true },
	{ "DaemonSet", NULL, "spec/template/metadata/labels", true },
	{ "StatefulSet", "apps", "spec/template/metadata/labels", true },
	{ "StatefulSet", "apps", "spec/volumeClaimTemplates[]/metadata/labels", true },
	{ "Job", "batch", "spec/template/metadata/labels", true },
	{ "CronJob", "batch", "spec/jobTemplate/metadata/labels", true },
	{ "CronJob", "batch", "spec/jobTemplate/spec/template/metadata/labels", true },
};

#define AFFINITY(kind)                                                                                           \
	{ kind, "apps", "spec/template/spec/affinity/podAffinity/preferredDuringSchedulingIgnoredDuringExecution/"  \
	                "podAffinityTerm/labelSelector/matchLabels", false },                                          \
	{ kind, "apps", "spec/template/spec/affinity/podAffinity/requiredDuringSchedulingIgnoredDuringExecution/"   \
	                "labelSelector/matchLabels", false },                                                          \
	{ kind, "apps", "spec/template/spec/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/" \
	                "podAffinityTerm/labelSelector/matchLabels", false },                                          \
	{ kind, "apps", "spec/template/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/" \
	                "labelSelector/matchLabels", false },                                                          \
	{ kind, "apps", "spec/template/spec/topologySpreadConstraints/labelSelector/matchLabels", false }

static const fspec selector_labels[] = {
	{ "Service", NULL, "spec/selector", true },
	{ "ReplicationController", NULL, "spec/selector", true },
	{ "Deployment", NULL, "spec/selector/matchLabels", true },
	AFFINITY("Deployment"),
	{ "ReplicaSet", NULL, "spec/selector/matchLabels", true },
	{ "DaemonSet", NULL, "spec/selector/matchLabels", true },
	{ "StatefulSet", "apps", "spec/selector/matchLabels", true },
	AFFINITY("StatefulSet"),
	{ "Job", "batch", "spec/selector/matchLabels", false },
	{ "CronJob", "batch", "spec/jobTemplate/spec/selector/matchLabels", false },
	{ "PodDisruptionBudget", "policy", "spec/selector/matchLabels", false },
	{ "NetworkPolicy", "networking.k8s.io", "spec/podSelector/matchLabels", false },
	{ "NetworkPolicy", "networking.k8s.io", "spec/ingress/from/podSelector/matchLabels", false },
	{ "NetworkPolicy", "networking.k8s.io", "spec/egress/to/podSelector/matchLabels", false },
};

static const fspec common_annotations[] = {
	{ NULL, NULL, "metadata/annotations", true },
	{ "ReplicationController", NULL, "spec/template/metadata/annotations", true },
	{ "Deployment", NULL, "spec/template/metadata/annotations", true },
	{ "ReplicaSet", NULL, "spec/template/metadata/annotations", true },
	{ "DaemonSet", NULL, "spec/template/metadata/annotations", true },
	{ "StatefulSet", "apps", "spec/template/metadata/annotations", true },
	{ "Job", "batch", "spec/template/metadata/annotations", true },
	{ "CronJob", "batch", "spec/jobTemplate/metadata/annotations", true },
	{ "CronJob", "batch", "spec/jobTemplate/spec/template/metadata/annotations", true },
};

/* Put every pair into the map parent[key] (created when the spec says so). */
static int set_pairs(k8smig__rarena *a, k8smig__rnode *parent, const char *key, bool create, void *payload)
{
	const k8smig__rnode *pairs = payload, *p;
	k8smig__rnode *m = k8smig__rnode_get(parent, key);

	if (!m || m->type == K8SMIG_TYPE_NULL) {
		if (!create)
			return 0;
		if (!(m = k8smig__rnode_map_at(a, parent, key, true)))
			return K8SMIG_ENOMEM;
	}
	if (m->type != K8SMIG_TYPE_MAP)
		return k8smig__error_set(K8SMIG_EINVAL, key, "expected a map of labels or annotations");
	for (p = pairs->u.c.first; p; p = p->next) {
		k8smig__rnode *v = k8smig__rnode_copy(a, p);
		if (!v)
			return K8SMIG_ENOMEM;
		k8smig__rnode_put(m, p->key, v);
	}
	return 0;
}

static int apply_specs(k8smig__render *ctx, k8smig__rset *set, const fspec *specs, size_t n, const k8smig__rnode *pairs,
                       const char *path)
{
	size_t i, j;
	int rc;
	for (i = 0; i < set->n; i++)
		for (j = 0; j < n; j++)
			if (fspec_selects(&specs[j], set->items[i]) &&
			    (rc = walk_path(&ctx->arena, set->items[i]->root, specs[j].path, specs[j].create, set_pairs,
			                    (void *)pairs)) < 0)
				return k8smig__render_locate(rc, path, set->items[i]->file, false);
	return 0;
}

int k8smig__render_labels(k8smig__render *ctx, k8smig__rset *set, const k8smig__rnode *pairs, int reach, const char *path)
{
	int rc;
	if (!pairs->u.c.n)
		return 0;
	if (reach == 0)
		return apply_specs(ctx, set, template_labels, 1, pairs, path);
	if ((rc = apply_specs(ctx, set, template_labels, sizeof(template_labels) / sizeof(*template_labels), pairs, path)) < 0)
		return rc;
	if (reach == 2)
		return apply_specs(ctx, set, selector_labels, sizeof(selector_labels) / sizeof(*selector_labels), pairs, path);
	return 0;
}

int k8smig__render_annotations(k8smig__render *ctx, k8smig__rset *set, const k8smig__rnode *pairs, const char *path)
{
	if (!pairs->u.c.n)
		return 0;
	return apply_specs(ctx, set, common_annotations, sizeof(common_annotations) / sizeof(*common_annotations), pairs,
	                   path);
}

/* ---- images -------------------------------------------------------------------------- */

typedef struct image_rule {
	const char *name, *new_name, *new_tag, *digest;
} image_rule;

/* kustomize's image.IsImageMatched: name, then optionally "@sha256", then optionally ":tag". */
static bool image_matches(const char *image, const char *name)
{
	size_t n = strlen(name);
	const char *rest;
	if (strncmp(image, name, n) != 0)
		return false;
	rest = image + n;
	if (strncmp(rest, "@sha256", 7) == 0)
		rest += 7;
	if (*rest == '\0')
		return true;
	if (*rest != ':')
		return false;
	for (rest++; *rest; rest++)
		if (!(strchr("_.{}-", *rest) || (*rest >= 'a' && *rest <= 'z') || (*rest >= 'A' && *rest <= 'Z') ||
		      (*rest >= '0' && *rest <= '9')))
			return false;
	return true;
}

/* kustomize's image.Split: name, tag and digest, ignoring a registry's port. */
static void image_split(const char *image, size_t *name_len, const char **tag, size_t *tag_len, const char **digest)
{
	const char *slash = strchr(image, '/');
	const char *search = slash && slash > image ? slash : image;
	const char *at = strchr(search, '@'), *colon = strchr(search, ':');

	*tag = NULL;
	*tag_len = 0;
	*digest = NULL;
	*name_len = strlen(image);
	if (!at && !colon)
		return;
	if (at && (!colon || at < colon)) {
		*name_len = (size_t)(at - image);
		*digest = at + 1;
		return;
	}
	*name_len = (size_t)(colon - image);
	*tag = colon + 1;
	if (at) {
		*tag_len = (size_t)(at - colon - 1);
		*digest = at + 1;
	} else {
		*tag_len = strlen(colon + 1);
	}
}

static int update_image(k8smig__rarena *a, k8smig__rnode *container, const image_rule *rules, size_t nrules)
{
	k8smig__rnode *img = k8smig__rnode_get(container, "image");
	const char *image = k8smig__rnode_s(img), *tag, *digest;
	size_t i, name_len, tag_len;
	char *out;

	if (!image)
		return 0;
	for (i = 0; i < nrules; i++)
		if (image_matches(image, rules[i].name))
			break;
	if (i == nrules)
		return 0;
	image_split(image, &name_len, &tag, &tag_len, &digest);
	{
		const image_rule *r = &rules[i];
		const char *name = r->new_name ? r->new_name : NULL;
		if (r->new_tag && r->digest) {
			tag = r->new_tag, tag_len = strlen(tag), digest = r->digest;
		} else if (r->new_tag) {
			tag = r->new_tag, tag_len = strlen(tag), digest = NULL;
		} else if (r->digest) {
			tag = NULL, tag_len = 0, digest = r->digest;
		}
		out = k8smig__rprintf(a, "%.*s%s%.*s%s%s", name ? (int)strlen(name) : (int)name_len, name ? name : image,
		                      tag && tag_len ? ":" : "", (int)tag_len, tag ? tag : "", digest && *digest ? "@" : "",
		                      digest ? digest : "");
	}
	if (!out)
		return K8SMIG_ENOMEM;
	img->u.str.s = out;
	img->u.str.len = strlen(out);
	return 0;
}

/* kustomize's legacy image filter: every containers/initContainers list, at any depth. */
static int walk_images(k8smig__rarena *a, k8smig__rnode *n, const image_rule *rules, size_t nrules)
{
	k8smig__rnode *c, *it;
	int rc;
	if (n->type != K8SMIG_TYPE_MAP && n->type != K8SMIG_TYPE_LIST)
		return 0;
	for (c = n->u.c.first; c; c = c->next) {
		if (n->type == K8SMIG_TYPE_MAP && c->type == K8SMIG_TYPE_LIST &&
		    (strcmp(c->key, "containers") == 0 || strcmp(c->key, "initContainers") == 0)) {
			for (it = c->u.c.first; it; it = it->next)
				if (it->type == K8SMIG_TYPE_MAP && (rc = update_image(a, it, rules, nrules)) < 0)
					return rc;
		}
		if ((rc = walk_images(a, c, rules, nrules)) < 0)
			return rc;
	}
	return 0;
}

static int want_opt_str(const k8smig__rnode *m, const char *key, const char **out, const char *path, size_t i)
{
	const k8smig__rnode *v = k8smig__rnode_get(m, key);
	char p[96];
	*out = NULL;
	if (!v || v->type == K8SMIG_TYPE_NULL)
		return 0;
	if (v->type != K8SMIG_TYPE_STRING) {
		snprintf(p, sizeof(p), "%s[%zu].%s", path, i, key);
		return k8smig__error_set(K8SMIG_EINVAL, p, "must be a string (quote it)");
	}
	*out = v->u.str.len ? v->u.str.s : NULL;
	return 0;
}

int k8smig__render_images(k8smig__render *ctx, k8smig__rset *set, const k8smig__rnode *images, const char *path)
{
	image_rule *rules;
	const k8smig__rnode *c;
	size_t n = 0, i;
	int rc = 0;

	if (!images->u.c.n)
		return 0;
	if (!(rules = k8smig__ralloc(&ctx->arena, images->u.c.n * sizeof(*rules))))
		return K8SMIG_ENOMEM;
	for (c = images->u.c.first; c; c = c->next, n++) {
		char p[96];
		snprintf(p, sizeof(p), "%s[%zu].name", path, n);
		if (c->type != K8SMIG_TYPE_MAP)
			return k8smig__error_set(K8SMIG_EINVAL, p, "images entries are maps");
		if ((rc = want_opt_str(c, "name", &rules[n].name, path, n)) < 0 ||
		    (rc = want_opt_str(c, "newName", &rules[n].new_name, path, n)) < 0 ||
		    (rc = want_opt_str(c, "newTag", &rules[n].new_tag, path, n)) < 0 ||
		    (rc = want_opt_str(c, "digest", &rules[n].digest, path, n)) < 0)
			return rc;
		if (!rules[n].name)
			return k8smig__error_set(K8SMIG_EINVAL, p, "an image needs a name");
	}
	for (i = 0; i < set->n; i++)
		if ((rc = walk_images(&ctx->arena, set->items[i]->root, rules, n)) < 0)
			return rc;
	return 0;
}

/* ---- replicas ------------------------------------------------------------------------ */

int k8smig__render_replicas(k8smig__render *ctx, k8smig__rset *set, const k8smig__rnode *replicas, const char *path)
{
	static const char *const kinds[] = { "Deployment", "ReplicationController", "ReplicaSet", "StatefulSet" };
	k8smig__rindex by_name;
	const k8smig__rnode *c;
	size_t i, j, n = 0;
	int rc;

	if ((rc = k8smig__rindex_init(&by_name, set->n)) < 0)
		return rc;
	/* any name a workload had matches, as kustomize matches any of its ids */
	for (i = 0; i < set->n && rc == 0; i++) {
		k8smig__rres *r = set->items[i];
		for (j = 0; j < sizeof(kinds) / sizeof(*kinds); j++)
			if (strcmp(r->kind, kinds[j]) == 0)
				break;
		if (j == sizeof(kinds) / sizeof(*kinds))
			continue;
		rc = k8smig__rindex_add(&ctx->arena, &by_name, k8smig__rres_name(r), r);
		for (j = 0; j < r->nprev && rc == 0; j++)
			if (strcmp(r->prev[j].name, k8smig__rres_name(r)) != 0)
				rc = k8smig__rindex_add(&ctx->arena, &by_name, r->prev[j].name, r);
	}
	for (c = replicas->u.c.first; c && rc == 0; c = c->next, n++) {
		const char *name = k8smig__rnode_get_str(c, "name");
		const k8smig__rnode *count = k8smig__rnode_get(c, "count");
		k8smig__rindex_entry *e;
		char p[96];
		if (!name) {
			snprintf(p, sizeof(p), "%s[%zu].name", path, n);
			rc = k8smig__error_set(K8SMIG_EINVAL, p, "replicas entries need a name");
			break;
		}
		if (!count || count->type != K8SMIG_TYPE_INT || count->u.i < 0 || count->u.i > INT32_MAX) {
			snprintf(p, sizeof(p), "%s[%zu].count", path, n);
			rc = k8smig__error_set(K8SMIG_EINVAL, p, "count must be a whole number, 0 or more");
			break;
		}
		for (e = k8smig__rindex_find(&by_name, name); e; e = k8smig__rindex_next(e)) {
			k8smig__rnode *spec = k8smig__rnode_map_at(&ctx->arena, e->res->root, "spec", true), *v;
			if (!spec || !(v = k8smig__rnode_new(&ctx->arena, K8SMIG_TYPE_INT))) {
				rc = K8SMIG_ENOMEM;
				break;
			}
			v->u.i = count->u.i;
			k8smig__rnode_put(spec, "replicas", v);
		}
	}
	k8smig__rindex_free(&by_name);
	return rc;
}

/* ---- references to renamed objects ----------------------------------------------------- */

typedef struct nameref {
	const char *target;          /* kind referred to */
	const char *referrer;        /* kind holding the reference */
	const char *referrer_group;  /* NULL: any */
	const char *path;
} nameref;

#define POD_CM(kind, pre)                                                                                  \
	{ "ConfigMap", kind, NULL, pre "volumes/configMap/name" },                                           \
	{ "ConfigMap", kind, NULL, pre "containers/env/valueFrom/configMapKeyRef/name" },                    \
	{ "ConfigMap", kind, NULL, pre "initContainers/env/valueFrom/configMapKeyRef/name" },                \
	{ "ConfigMap", kind, NULL, pre "containers/envFrom/configMapRef/name" },                             \
	{ "ConfigMap", kind, NULL, pre "initContainers/envFrom/configMapRef/name" },                         \
	{ "ConfigMap", kind, NULL, pre "volumes/projected/sources/configMap/name" },                         \
	{ "Secret", kind, NULL, pre "volumes/secret/secretName" },                                           \
	{ "Secret", kind, NULL, pre "containers/env/valueFrom/secretKeyRef/name" },                          \
	{ "Secret", kind, NULL, pre "initContainers/env/valueFrom/secretKeyRef/name" },                      \
	{ "Secret", kind, NULL, pre "containers/envFrom/secretRef/name" },                                   \
	{ "Secret", kind, NULL, pre "initContainers/envFrom/secretRef/name" },                               \
	{ "Secret", kind, NULL, pre "imagePullSecrets/name" },                                               \
	{ "Secret", kind, NULL, pre "volumes/projected/sources/secret/name" }

#define POD_OWNER(kind, pre)                                                                               \
	{ "ServiceAccount", kind, NULL, pre "serviceAccountName" },                                          \
	{ "PersistentVolumeClaim", kind, NULL, pre "volumes/persistentVolumeClaim/claimName" },              \
	{ "PriorityClass", kind, NULL, pre "priorityClassName" }

static const nameref namerefs[] = {
	{ "Deployment", "HorizontalPodAutoscaler", NULL, "spec/scaleTargetRef/name" },
	{ "ReplicationController", "HorizontalPodAutoscaler", NULL, "spec/scaleTargetRef/name" },
	{ "ReplicaSet", "HorizontalPodAutoscaler", NULL, "spec/scaleTargetRef/name" },
	{ "StatefulSet", "HorizontalPodAutoscaler", NULL, "spec/scaleTargetRef/name" },
	POD_CM("Pod", "spec/"),
	POD_CM("PodTemplate", "template/spec/"),
	POD_CM("Deployment", "spec/template/spec/"),
	POD_CM("ReplicaSet", "spec/template/spec/"),
	POD_CM("DaemonSet", "spec/template/spec/"),
	POD_CM("StatefulSet", "spec/template/spec/"),
	POD_CM("Job", "spec/template/spec/"),
	POD_CM("CronJob", "spec/jobTemplate/spec/template/spec/"),
	{ "ConfigMap", "Role", NULL, "rules/resourceNames" },
	{ "ConfigMap", "ClusterRole", NULL, "rules/resourceNames" },
	{ "Secret", "Ingress", NULL, "spec/tls/secretName" },
	{ "Secret", "ServiceAccount", NULL, "imagePullSecrets/name" },
	{ "Secret", "StorageClass", NULL, "parameters/secretName" },
	{ "Secret", "StorageClass", NULL, "parameters/adminSecretName" },
	{ "Secret", "StorageClass", NULL, "parameters/userSecretName" },
	{ "Secret", "StorageClass", NULL, "parameters/secretRef" },
	{ "Secret", "Role", NULL, "rules/resourceNames" },
	{ "Secret", "ClusterRole", NULL, "rules/resourceNames" },
	{ "Secret", "PersistentVolume", NULL, "spec/azureFile/secretName" },
	{ "Service", "StatefulSet", "apps", "spec/serviceName" },
	{ "Service", "Ingress", NULL, "spec/rules/http/paths/backend/serviceName" },
	{ "Service", "Ingress", NULL, "spec/backend/serviceName" },
	{ "Service", "Ingress", NULL, "spec/rules/http/paths/backend/service/name" },
	{ "Service", "Ingress", NULL, "spec/defaultBackend/service/name" },
	{ "Service", "APIService", "apiregistration.k8s.io", "spec/service/name" },
	{ "Service", "HTTPRoute", NULL, "spec/rules/backendRefs/name" },
	{ "Role", "RoleBinding", "rbac.authorization.k8s.io", "roleRef/name" },
	{ "ClusterRole", "RoleBinding", "rbac.authorization.k8s.io", "roleRef/name" },
	{ "ClusterRole", "ClusterRoleBinding", "rbac.authorization.k8s.io", "roleRef/name" },
	{ "ServiceAccount", "RoleBinding", "rbac.authorization.k8s.io", "subjects" },
	{ "ServiceAccount", "ClusterRoleBinding", "rbac.authorization.k8s.io", "subjects" },
	POD_OWNER("Pod", "spec/"),
	POD_OWNER("StatefulSet", "spec/template/spec/"),
	POD_OWNER("Deployment", "spec/template/spec/"),
	POD_OWNER("ReplicationController", "spec/template/spec/"),
	POD_OWNER("CronJob", "spec/jobTemplate/spec/template/spec/"),
	POD_OWNER("Job", "spec/template/spec/"),
	POD_OWNER("DaemonSet", "spec/template/spec/"),
	{ "PersistentVolume", "PersistentVolumeClaim", NULL, "spec/volumeName" },
	{ "PersistentVolume", "ClusterRole", NULL, "rules/resourceNames" },
	{ "StorageClass", "PersistentVolume", NULL, "spec/storageClassName" },
	{ "StorageClass", "PersistentVolumeClaim", NULL, "spec/storageClassName" },
	{ "StorageClass", "StatefulSet", NULL, "spec/volumeClaimTemplates/spec/storageClassName" },
	{ "IngressClass", "Ingress", NULL, "spec/ingressClassName" },
};

typedef struct ref_ctx {
	k8smig__render *ctx;
	k8smig__rindex *by_prev;   /* "kind\x1fprevious name" -> renamed resources */
	const nameref *ref;
	k8smig__rres *referrer;
} ref_ctx;

static bool ns_equal(const char *a, const char *b)
{
	/* "" and "default" are the same namespace (kustomize IsNsEquals) */
	if (!a || !*a)
		a = "default";
	if (!b || !*b)
		b = "default";
	return strcmp(a, b) == 0;
}

/* kustomize's selectReferral: renamed candidates of the kind, in a namespace the referrer can see. */
static int select_referral(ref_ctx *rc, const char *old_name, const char *want_ns, bool by_orig_ns,
                           k8smig__rres **out)
{
	const char *key = k8smig__rprintf(&rc->ctx->arena, "%s\x1f%s", rc->ref->target, old_name);
	k8smig__rindex_entry *e;
	k8smig__rres *found = NULL;
	bool referrer_cluster = k8smig__kind_kustomize_cluster_scoped(rc->referrer->group, rc->referrer->kind);

	*out = NULL;
	if (!key)
		return K8SMIG_ENOMEM;
	for (e = k8smig__rindex_find(rc->by_prev, key); e; e = k8smig__rindex_next(e)) {
		k8smig__rres *r = e->res;
		if (want_ns && !ns_equal(by_orig_ns ? r->orig_ns : k8smig__rres_ns(r), want_ns))
			continue;
		if (!referrer_cluster && !k8smig__kind_kustomize_cluster_scoped(r->group, r->kind) && strcmp(r->kind, "ServiceAccount") != 0 &&
		    !ns_equal(k8smig__rres_ns(rc->referrer), k8smig__rres_ns(r)))
			continue;
		if (found && strcmp(k8smig__rres_name(found), k8smig__rres_name(r)) != 0) {
			k8smig__error_set(K8SMIG_EINVAL, "", "found multiple possible referrals for %s %s: %s and %s",
			                  rc->ref->target, old_name, k8smig__rres_id(&rc->ctx->arena, found),
			                  k8smig__rres_id(&rc->ctx->arena, r));
			k8smig__error_set_file(rc->referrer->file);
			return K8SMIG_EINVAL;
		}
		if (!found)
			found = r;
	}
	*out = found;
	return 0;
}

static int rewrite_scalar(ref_ctx *rc, k8smig__rnode *v)
{
	k8smig__rres *to;
	int err;
	if (v->type != K8SMIG_TYPE_STRING)
		return 0;
	if ((err = select_referral(rc, v->u.str.s, NULL, false, &to)) < 0 || !to)
		return err;
	v->u.str.s = k8smig__rres_name(to);
	v->u.str.len = strlen(v->u.str.s);
	return 0;
}

/* A subject {kind, name, namespace}: kustomize's setMapping. */
static int rewrite_subject(ref_ctx *rc, k8smig__rnode *s)
{
	const char *name = k8smig__rnode_get_str(s, "name");
	const char *ns = k8smig__rnode_get_str(s, "namespace"), *new_ns;
	k8smig__rres *to = NULL;
	int err;

	/* kustomize matches subjects by name whatever their kind says (a User too) */
	if (s->type != K8SMIG_TYPE_MAP || !name)
		return 0;
	if (ns) {
		/* candidates by their original namespace, else by their current one */
		if ((err = select_referral(rc, name, ns, true, &to)) < 0)
			return err;
		if (!to && (err = select_referral(rc, name, ns, false, &to)) < 0)
			return err;
	} else if ((err = select_referral(rc, name, NULL, false, &to)) < 0) {
		return err;
	}
	if (!to)
		return 0;
	if (k8smig__rnode_set_str(&rc->ctx->arena, s, "name", k8smig__rres_name(to)) < 0)
		return K8SMIG_ENOMEM;
	new_ns = k8smig__rres_ns(to);
	if (new_ns && new_ns[0] && k8smig__rnode_set_str(&rc->ctx->arena, s, "namespace", new_ns) < 0)
		return K8SMIG_ENOMEM;
	return 0;
}

static int fix_leaf(k8smig__rarena *a, k8smig__rnode *parent, const char *key, bool create, void *payload)
{
	ref_ctx *rc = payload;
	k8smig__rnode *v = k8smig__rnode_get(parent, key), *it;
	int err;
	(void)a;
	(void)create;

	if (!v)
		return 0;
	if (strcmp(key, "subjects") == 0) {
		if (v->type == K8SMIG_TYPE_LIST)
			for (it = v->u.c.first; it; it = it->next)
				if ((err = rewrite_subject(rc, it)) < 0)
					return err;
		return 0;
	}
	if (strcmp(key, "name") == 0 && strstr(rc->ref->path, "roleRef/")) {
		/* a roleRef names a Role or a ClusterRole: only that kind may match */
		const char *kind = k8smig__rnode_get_str(parent, "kind");
		if (!kind || strcmp(kind, rc->ref->target) != 0)
			return 0;
	}
	if (v->type == K8SMIG_TYPE_LIST) {
		for (it = v->u.c.first; it; it = it->next)
			if ((err = rewrite_scalar(rc, it)) < 0)
				return err;
		return 0;
	}
	return rewrite_scalar(rc, v);
}

int k8smig__render_fix_references(k8smig__render *ctx, k8smig__rset *set)
{
	k8smig__rindex by_prev;
	ref_ctx rc;
	size_t i, j;
	int err;

	if ((err = k8smig__rindex_init(&by_prev, set->n)) < 0)
		return err;
	for (i = 0; i < set->n; i++) {
		k8smig__rres *r = set->items[i];
		for (j = 0; j < r->nprev; j++) {
			size_t k;
			const char *key;
			bool seen = false;
			for (k = 0; k < j && !seen; k++)
				seen = strcmp(r->prev[k].name, r->prev[j].name) == 0;
			/* a move to another namespace counts too: references then follow the namespace */
			if (seen)
				continue;
			if (!(key = k8smig__rprintf(&ctx->arena, "%s\x1f%s", r->kind, r->prev[j].name)) ||
			    (err = k8smig__rindex_add(&ctx->arena, &by_prev, key, r)) < 0) {
				k8smig__rindex_free(&by_prev);
				return err < 0 ? err : K8SMIG_ENOMEM;
			}
		}
	}
	err = 0;
	if (by_prev.n) {
		rc.ctx = ctx;
		rc.by_prev = &by_prev;
		for (i = 0; i < set->n && err == 0; i++) {
			rc.referrer = set->items[i];
			for (j = 0; j < sizeof(namerefs) / sizeof(*namerefs) && err == 0; j++) {
				const nameref *n = &namerefs[j];
				if (strcmp(n->referrer, rc.referrer->kind) != 0 ||
				    (n->referrer_group && strcmp(n->referrer_group, rc.referrer->group) != 0))
					continue;
				rc.ref = n;
				err = walk_path(&ctx->arena, rc.referrer->root, n->path, false, fix_leaf, &rc);
			}
		}
	}
	k8smig__rindex_free(&by_prev);
	return err;
}
