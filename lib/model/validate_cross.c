/*
 * lib/model/validate_cross.c - rules across the objects of a set.
 *
 * The set is indexed once: objects (and the Secrets/ConfigMaps that
 * ExternalSecrets, Certificates and kustomize generators provide) by
 * (kind, name) in a hash table whose chains hold the namespaces, and
 * workloads by each (label key, value) of their pod templates. Each rule then
 * looks references up in O(1) expected time, so the pass is linear in the
 * size of the set.
 *
 * Namespaces: a reference resolves only in the referrer's namespace. Objects
 * without metadata.namespace share one implicit namespace (an overlay sets
 * it later). When the only match is in another namespace, the finding is
 * K8SMIG-CROSS-NAMESPACE instead of the "missing" code.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "k8smig/quantity.h"
#include "list.h"
#include "validate.h"

#define ERR K8SMIG_SEVERITY_ERROR
#define WARN K8SMIG_SEVERITY_WARNING
#define FIND k8smig__vfind

typedef const k8smig_value cv;

/* ---- hashing and the index ---------------------------------------------------- */

uint32_t k8smig__vhash2(const char *a, const char *b)
{
	uint32_t h = 2166136261u;
	for (; *a; a++)
		h = (h ^ (unsigned char)*a) * 16777619u;
	h = (h ^ 0xffu) * 16777619u;
	for (; *b; b++)
		h = (h ^ (unsigned char)*b) * 16777619u;
	return h;
}

static int add_entry(k8smig__vindex *ix, const char *kind, const char *ns, const char *name, size_t obj, int role,
                     cv *node)
{
	k8smig__vent *e;
	if (ix->nent == ix->cap && k8smig__array_grow(&ix->ents, &ix->cap, 64, sizeof(*ix->ents)) < 0)
		return ix->failed = K8SMIG_ENOMEM;
	e = &ix->ents[ix->nent];
	e->kind = kind;
	e->ns = ns;
	e->name = name;
	e->obj = obj;
	e->role = role;
	e->node = node;
	e->hash = k8smig__vhash2(kind, name);
	e->next = -1;
	ix->nent++;
	return 0;
}

static int add_label(k8smig__vindex *ix, const char *key, const char *value, size_t obj)
{
	k8smig__vlabel *l;
	if (ix->nlabel == ix->lcap && k8smig__array_grow(&ix->labels, &ix->lcap, 64, sizeof(*ix->labels)) < 0)
		return ix->failed = K8SMIG_ENOMEM;
	l = &ix->labels[ix->nlabel++];
	l->key = key;
	l->value = value;
	l->obj = obj;
	l->hash = k8smig__vhash2(key, value);
	l->next = -1;
	return 0;
}

static size_t pow2_at_least(size_t n)
{
	size_t b = 16;
	while (b < n * 2)
		b *= 2;
	return b;
}

/* Link entries into their buckets, in set order (so the first object wins). */
static int link_buckets(k8smig__vindex *ix)
{
	size_t i;
	ix->nbuckets = pow2_at_least(ix->nent);
	ix->nlbuckets = pow2_at_least(ix->nlabel);
	ix->buckets = malloc(ix->nbuckets * sizeof(int32_t));
	ix->lbuckets = malloc(ix->nlbuckets * sizeof(int32_t));
	if (!ix->buckets || !ix->lbuckets)
		return ix->failed = K8SMIG_ENOMEM;
	memset(ix->buckets, 0xff, ix->nbuckets * sizeof(int32_t));
	memset(ix->lbuckets, 0xff, ix->nlbuckets * sizeof(int32_t));
	for (i = ix->nent; i-- > 0;) {
		size_t b = ix->ents[i].hash & (ix->nbuckets - 1);
		ix->ents[i].next = ix->buckets[b];
		ix->buckets[b] = (int32_t)i;
	}
	for (i = ix->nlabel; i-- > 0;) {
		size_t b = ix->labels[i].hash & (ix->nlbuckets - 1);
		ix->labels[i].next = ix->lbuckets[b];
		ix->lbuckets[b] = (int32_t)i;
	}
	return 0;
}

int32_t k8smig__vindex_first(const k8smig__vindex *ix, const char *kind, const char *name)
{
	uint32_t h = k8smig__vhash2(kind, name);
	int32_t i;
	for (i = ix->buckets[h & (ix->nbuckets - 1)]; i >= 0; i = ix->ents[i].next) {
		const k8smig__vent *e = &ix->ents[i];
		if (e->hash == h && strcmp(e->kind, kind) == 0 && strcmp(e->name, name) == 0)
			return i;
	}
	return -1;
}

static int32_t next_same(const k8smig__vindex *ix, int32_t i)
{
	const k8smig__vent *e = &ix->ents[i];
	for (i = e->next; i >= 0; i = ix->ents[i].next) {
		const k8smig__vent *f = &ix->ents[i];
		if (f->hash == e->hash && strcmp(f->kind, e->kind) == 0 && strcmp(f->name, e->name) == 0)
			return i;
	}
	return -1;
}

int32_t k8smig__vindex_lookup(const k8smig__vindex *ix, const char *kind, const char *ns, const char *name,
                              int32_t *elsewhere_out)
{
	bool cluster = k8smig__kind_cluster_scoped(kind);
	int32_t i, elsewhere = -1;
	for (i = k8smig__vindex_first(ix, kind, name); i >= 0; i = next_same(ix, i)) {
		const k8smig__vent *e = &ix->ents[i];
		if (cluster || !e->ns || strcmp(e->ns, ns) == 0) {
			if (elsewhere_out)
				*elsewhere_out = -1;
			return i;
		}
		if (elsewhere < 0)
			elsewhere = i;
	}
	if (elsewhere_out)
		*elsewhere_out = elsewhere;
	return -1;
}

cv *k8smig__vobj_pod_spec(const k8smig__vobj *o)
{
	return o->tmpl ? k8smig__vget(o->tmpl, "spec") : NULL;
}

/* "namespace prod", or "implicit namespace" for objects without one; buf of 80+ */
static const char *ns_phrase(const char *ns, char *buf, size_t len)
{
	if (!ns || !*ns)
		return "implicit namespace";
	snprintf(buf, len, "namespace %s", ns);
	return buf;
}

/* ---- building the index ------------------------------------------------------------- */

static void index_generators(k8smig__vindex *ix, size_t i, cv *root)
{
	static const char *const gens[] = { "configMapGenerator", "secretGenerator" };
	size_t g;
	for (g = 0; g < 2; g++) {
		cv *item;
		for (item = k8smig_value_first(k8smig__vget(root, gens[g])); item; item = k8smig_value_next(item)) {
			const char *name = k8smig__vstr(item, "name");
			if (name && *name)
				add_entry(ix, g ? "Secret" : "ConfigMap", k8smig__vstr(item, "namespace"), name, i,
				          K8SMIG__VR_GENERATED, item);
		}
	}
}

static void index_object(k8smig__vindex *ix, size_t i)
{
	k8smig__vobj *o = &ix->objs[i];
	cv *spec = k8smig__vget(o->root, "spec");

	if (k8smig__vis_kustomization(o->root)) {
		o->skip = true;
		index_generators(ix, i, o->root);
		return;
	}
	if (!*o->kind || !*o->name)
		return;
	add_entry(ix, o->kind, k8smig__kind_cluster_scoped(o->kind) ? "" : o->ns, o->name, i, K8SMIG__VR_OBJECT, o->root);
	if (strcmp(o->kind, "ExternalSecret") == 0) {
		cv *target = k8smig__vget(spec, "target");
		const char *tn = k8smig__vstr(target, "name");
		const char *policy = k8smig__vstr(target, "creationPolicy");
		if (!policy || strcmp(policy, "None") != 0)
			add_entry(ix, "Secret", o->ns, tn && *tn ? tn : o->name, i, K8SMIG__VR_ES_TARGET, spec);
	} else if (strcmp(o->kind, "Certificate") == 0) {
		const char *sn = k8smig__vstr(spec, "secretName");
		if (sn && *sn)
			add_entry(ix, "Secret", o->ns, sn, i, K8SMIG__VR_CERT_SECRET, spec);
	}
	o->tmpl = k8smig__vpod_template(o->root, o->kind, &o->tmpl_path);
	if (o->tmpl) {
		cv *labels = k8smig__vget(k8smig__vget(o->tmpl, "metadata"), "labels"), *l;
		for (l = k8smig_value_first(labels); l; l = k8smig_value_next(l))
			if (k8smig_value_str(l))
				add_label(ix, k8smig_value_key(l), k8smig_value_str(l), i);
	}
}

/* ---- keys of a provided ConfigMap or Secret -------------------------------------------- */

static bool generator_has_key(cv *item, const char *key)
{
	cv *e;
	size_t n = strlen(key);
	if (k8smig__vget(item, "envs") || k8smig__vget(item, "env"))
		return true; /* keys come from a file we do not read */
	for (e = k8smig_value_first(k8smig__vget(item, "literals")); e; e = k8smig_value_next(e)) {
		const char *s = k8smig_value_str(e);
		if (s && strncmp(s, key, n) == 0 && s[n] == '=')
			return true;
	}
	for (e = k8smig_value_first(k8smig__vget(item, "files")); e; e = k8smig_value_next(e)) {
		const char *s = k8smig_value_str(e), *eq, *base;
		if (!s)
			continue;
		if ((eq = strchr(s, '='))) {
			if ((size_t)(eq - s) == n && strncmp(s, key, n) == 0)
				return true;
			continue;
		}
		base = strrchr(s, '/');
		base = base ? base + 1 : s;
		if (strcmp(base, key) == 0)
			return true;
	}
	return false;
}

/* true when the provider holds key (or its keys cannot be known) */
static bool entry_has_key(const k8smig__vent *e, const char *key)
{
	cv *n = e->node, *d;
	const char *type;
	switch (e->role) {
	case K8SMIG__VR_OBJECT:
		if (strcmp(e->kind, "ConfigMap") == 0)
			return k8smig__vget(k8smig__vget(n, "data"), key) || k8smig__vget(k8smig__vget(n, "binaryData"), key);
		type = k8smig__vstr(n, "type");
		if (type && strcmp(type, "kubernetes.io/service-account-token") == 0)
			return true;
		return k8smig__vget(k8smig__vget(n, "data"), key) || k8smig__vget(k8smig__vget(n, "stringData"), key);
	case K8SMIG__VR_ES_TARGET:
		if (k8smig__vget(n, "dataFrom"))
			return true;
		{
			cv *tmpl = k8smig__vget(k8smig__vget(n, "target"), "template");
			if (k8smig__vget(tmpl, "templateFrom") || k8smig__vget(k8smig__vget(tmpl, "data"), key))
				return true;
		}
		for (d = k8smig_value_first(k8smig__vget(n, "data")); d; d = k8smig_value_next(d)) {
			const char *sk = k8smig__vstr(d, "secretKey");
			if (sk && strcmp(sk, key) == 0)
				return true;
		}
		return false;
	case K8SMIG__VR_CERT_SECRET:
		return strcmp(key, "tls.crt") == 0 || strcmp(key, "tls.key") == 0 || strcmp(key, "ca.crt") == 0;
	case K8SMIG__VR_GENERATED:
		return generator_has_key(n, key);
	}
	return true;
}

static const char *provider_desc(const k8smig__vindex *ix, const k8smig__vent *e, char *buf, size_t len)
{
	const k8smig__vobj *o = &ix->objs[e->obj];
	switch (e->role) {
	case K8SMIG__VR_ES_TARGET:
		snprintf(buf, len, "Secret \"%s\" (from ExternalSecret \"%s\")", e->name, o->name);
		break;
	case K8SMIG__VR_CERT_SECRET:
		snprintf(buf, len, "Secret \"%s\" (from Certificate \"%s\")", e->name, o->name);
		break;
	case K8SMIG__VR_GENERATED:
		snprintf(buf, len, "%s \"%s\" (from a kustomize generator)", e->kind, e->name);
		break;
	default:
		snprintf(buf, len, "%s \"%s\"", e->kind, e->name);
	}
	return buf;
}

/*
 * Resolve a reference from ctx's object to (kind, name[, key]).
 * Reports `missing_code` (or K8SMIG-CROSS-NAMESPACE) at leaf; returns the entry or -1.
 */
static int32_t resolve(k8smig__vctx *ctx, const k8smig__vindex *ix, const char *kind, const char *name,
                       const char *key, const char *leaf, const char *missing_code, const char *what)
{
	int32_t elsewhere, i;
	char desc[300], n1[300], n2[300];
	if (!name || !*name)
		return -1;
	i = k8smig__vindex_lookup(ix, kind, ctx->ns, name, &elsewhere);
	if (i < 0) {
		if (elsewhere >= 0)
			FIND(ctx, ERR, K8SMIG__C_CROSS_NAMESPACE, leaf,
			     "%s \"%s\" is only in %s; references resolve in the object's own %s", kind, name,
			     ns_phrase(ix->ents[elsewhere].ns, n1, sizeof(n1)), ns_phrase(ctx->ns, n2, sizeof(n2)));
		else
			FIND(ctx, ERR, missing_code, leaf, "%s \"%s\" %s is not in the set%s%s%s", kind, name, what,
			     k8smig__kind_cluster_scoped(kind) ? "" : " (",
			     k8smig__kind_cluster_scoped(kind) ? "" : ns_phrase(ctx->ns, n1, sizeof(n1)),
			     k8smig__kind_cluster_scoped(kind) ? "" : ")");
		return -1;
	}
	if (key) {
		/* any provider of that name holding the key will do */
		int32_t j;
		for (j = i; j >= 0; j = next_same(ix, j)) {
			const k8smig__vent *e = &ix->ents[j];
			if ((k8smig__kind_cluster_scoped(kind) || !e->ns || strcmp(e->ns, ctx->ns) == 0) && entry_has_key(e, key))
				return j;
		}
		FIND(ctx, ERR, missing_code, leaf, "%s has no key \"%s\"", provider_desc(ix, &ix->ents[i], desc, sizeof(desc)),
		     key);
		return -1;
	}
	return i;
}

/* ---- workloads: ServiceAccount, ConfigMap/Secret/PVC references ---------------------- */

static void check_pod_refs(k8smig__vctx *ctx, const k8smig__vindex *ix, const k8smig__vobj *o)
{
	static const char *const lists[] = { "initContainers", "containers" };
	cv *spec = k8smig__vobj_pod_spec(o), *v;
	const char *sa;
	size_t p, li, i;

	if (!spec)
		return;
	p = *o->tmpl_path ? k8smig__vpush(ctx, o->tmpl_path) : ctx->plen;
	k8smig__vpush(ctx, "spec");
	sa = k8smig__vstr(spec, "serviceAccountName");
	if (!sa)
		sa = k8smig__vstr(spec, "serviceAccount");
	if (sa && *sa && strcmp(sa, "default") != 0)
		resolve(ctx, ix, "ServiceAccount", sa, NULL,
		        k8smig__vget(spec, "serviceAccountName") ? "serviceAccountName" : "serviceAccount",
		        K8SMIG__C_SERVICEACCOUNT_MISSING, "named by the pod");
	for (li = 0; li < 2; li++) {
		cv *c;
		size_t q = k8smig__vpush(ctx, lists[li]);
		for (i = 0, c = k8smig_value_first(k8smig__vget(spec, lists[li])); c; c = k8smig_value_next(c), i++) {
			cv *e;
			size_t r = k8smig__vpush_index(ctx, i), j;
			for (j = 0, e = k8smig_value_first(k8smig__vget(c, "env")); e; e = k8smig_value_next(e), j++) {
				cv *vf = k8smig__vget(e, "valueFrom"), *ref;
				size_t s = k8smig__vpush(ctx, "env");
				k8smig__vpush_index(ctx, j);
				if ((ref = k8smig__vget(vf, "configMapKeyRef")) && !k8smig_value_bool(k8smig__vget(ref, "optional")))
					resolve(ctx, ix, "ConfigMap", k8smig__vstr(ref, "name"), k8smig__vstr(ref, "key"),
					        "valueFrom.configMapKeyRef", K8SMIG__C_REF_MISSING, "named by configMapKeyRef");
				if ((ref = k8smig__vget(vf, "secretKeyRef")) && !k8smig_value_bool(k8smig__vget(ref, "optional")))
					resolve(ctx, ix, "Secret", k8smig__vstr(ref, "name"), k8smig__vstr(ref, "key"),
					        "valueFrom.secretKeyRef", K8SMIG__C_REF_MISSING, "named by secretKeyRef");
				k8smig__vpop(ctx, s);
			}
			for (j = 0, e = k8smig_value_first(k8smig__vget(c, "envFrom")); e; e = k8smig_value_next(e), j++) {
				cv *ref;
				size_t s = k8smig__vpush(ctx, "envFrom");
				k8smig__vpush_index(ctx, j);
				if ((ref = k8smig__vget(e, "configMapRef")) && !k8smig_value_bool(k8smig__vget(ref, "optional")))
					resolve(ctx, ix, "ConfigMap", k8smig__vstr(ref, "name"), NULL, "configMapRef.name",
					        K8SMIG__C_REF_MISSING, "named by envFrom");
				if ((ref = k8smig__vget(e, "secretRef")) && !k8smig_value_bool(k8smig__vget(ref, "optional")))
					resolve(ctx, ix, "Secret", k8smig__vstr(ref, "name"), NULL, "secretRef.name",
					        K8SMIG__C_REF_MISSING, "named by envFrom");
				k8smig__vpop(ctx, s);
			}
			k8smig__vpop(ctx, r);
		}
		k8smig__vpop(ctx, q);
	}
	k8smig__vpush(ctx, "volumes");
	for (i = 0, v = k8smig_value_first(k8smig__vget(spec, "volumes")); v; v = k8smig_value_next(v), i++) {
		cv *src;
		size_t q = k8smig__vpush_index(ctx, i);
		if ((src = k8smig__vget(v, "configMap")) && !k8smig_value_bool(k8smig__vget(src, "optional")))
			resolve(ctx, ix, "ConfigMap", k8smig__vstr(src, "name"), NULL, "configMap.name", K8SMIG__C_REF_MISSING,
			        "named by the volume");
		if ((src = k8smig__vget(v, "secret")) && !k8smig_value_bool(k8smig__vget(src, "optional")))
			resolve(ctx, ix, "Secret", k8smig__vstr(src, "secretName"), NULL, "secret.secretName",
			        K8SMIG__C_REF_MISSING, "named by the volume");
		if ((src = k8smig__vget(v, "persistentVolumeClaim")))
			resolve(ctx, ix, "PersistentVolumeClaim", k8smig__vstr(src, "claimName"), NULL,
			        "persistentVolumeClaim.claimName", K8SMIG__C_REF_MISSING, "named by the volume");
		k8smig__vpop(ctx, q);
	}
	k8smig__vpop(ctx, p);
}

/* ---- Service selectors ---------------------------------------------------------------- */

/* Workloads carrying label k=v, counted up to limit (stops early). */
static size_t label_count(const k8smig__vindex *ix, const char *k, const char *v, size_t limit)
{
	uint32_t h = k8smig__vhash2(k, v);
	size_t n = 0;
	int32_t i;
	for (i = ix->lbuckets[h & (ix->nlbuckets - 1)]; i >= 0 && n < limit; i = ix->labels[i].next) {
		const k8smig__vlabel *l = &ix->labels[i];
		if (l->hash == h && strcmp(l->key, k) == 0 && strcmp(l->value, v) == 0)
			n++;
	}
	return n;
}

static void check_service_selector(k8smig__vctx *ctx, const k8smig__vindex *ix, const k8smig__vobj *o)
{
	cv *sel = k8smig__vget(k8smig__vget(o->root, "spec"), "selector"), *e;
	const char *k = NULL, *v = NULL;
	size_t best = (size_t)-1;
	uint32_t h;
	int32_t i;
	const k8smig__vobj *elsewhere = NULL;
	char n1[300], n2[300];

	if (k8smig_value_type(sel) != K8SMIG_TYPE_MAP || k8smig_value_size(sel) == 0)
		return; /* no selector: endpoints are managed by hand */
	/* walk the candidates of the rarest pair of the selector */
	for (e = k8smig_value_first(sel); e; e = k8smig_value_next(e)) {
		size_t n;
		if (!k8smig_value_str(e))
			return; /* a non-string value selects nothing; reported as K8SMIG-TYPE */
		n = label_count(ix, k8smig_value_key(e), k8smig_value_str(e), best);
		if (n < best) {
			best = n;
			k = k8smig_value_key(e);
			v = k8smig_value_str(e);
		}
	}
	h = k8smig__vhash2(k, v);
	for (i = ix->lbuckets[h & (ix->nlbuckets - 1)]; i >= 0; i = ix->labels[i].next) {
		const k8smig__vlabel *l = &ix->labels[i];
		const k8smig__vobj *w;
		if (l->hash != h || strcmp(l->key, k) != 0 || strcmp(l->value, v) != 0)
			continue;
		w = &ix->objs[l->obj];
		if (!k8smig__vlabels_match(sel, k8smig__vget(k8smig__vget(w->tmpl, "metadata"), "labels")))
			continue;
		if (strcmp(w->ns, ctx->ns) == 0)
			return;
		if (!elsewhere)
			elsewhere = w;
	}
	if (elsewhere)
		FIND(ctx, ERR, K8SMIG__C_CROSS_NAMESPACE, "spec.selector",
		     "selector matches only pods of %s \"%s\" in %s; a Service selects pods of its own %s", elsewhere->kind,
		     elsewhere->name, ns_phrase(elsewhere->ns, n1, sizeof(n1)), ns_phrase(ctx->ns, n2, sizeof(n2)));
	else
		FIND(ctx, ERR, K8SMIG__C_SELECTOR_NO_MATCH, "spec.selector",
		     "selector matches no pod template of a workload in the set (%s)", ns_phrase(ctx->ns, n1, sizeof(n1)));
}

/* ---- Ingress backends -------------------------------------------------------------- */

static void check_backend(k8smig__vctx *ctx, const k8smig__vindex *ix, cv *backend)
{
	cv *svc = k8smig__vget(backend, "service"), *port, *ports, *p;
	const char *name = k8smig__vstr(svc, "name"), *pname;
	int32_t i;
	bool has_num;
	int64_t num;

	if (!name || !*name)
		return;
	i = resolve(ctx, ix, "Service", name, NULL, "service.name", K8SMIG__C_INGRESS_BACKEND, "named by the backend");
	if (i < 0)
		return;
	port = k8smig__vget(svc, "port");
	has_num = k8smig_value_type(k8smig__vget(port, "number")) == K8SMIG_TYPE_INT;
	num = k8smig_value_int(k8smig__vget(port, "number"));
	pname = k8smig__vstr(port, "name");
	if (!has_num && !pname)
		return;
	ports = k8smig__vget(k8smig__vget(ix->ents[i].node, "spec"), "ports");
	for (p = k8smig_value_first(ports); p; p = k8smig_value_next(p)) {
		if (has_num && k8smig_value_type(k8smig__vget(p, "port")) == K8SMIG_TYPE_INT &&
		    k8smig_value_int(k8smig__vget(p, "port")) == num)
			return;
		if (pname && k8smig__vstr(p, "name") && strcmp(k8smig__vstr(p, "name"), pname) == 0)
			return;
	}
	if (has_num)
		FIND(ctx, ERR, K8SMIG__C_INGRESS_BACKEND, "service.port.number", "Service \"%s\" exposes no port %lld", name,
		     (long long)num);
	else
		FIND(ctx, ERR, K8SMIG__C_INGRESS_BACKEND, "service.port.name", "Service \"%s\" has no port named \"%s\"",
		     name, pname);
}

static void check_ingress_refs(k8smig__vctx *ctx, const k8smig__vindex *ix, const k8smig__vobj *o)
{
	cv *spec = k8smig__vget(o->root, "spec"), *r, *pe;
	size_t i, j;
	if (k8smig__vget(spec, "defaultBackend")) {
		size_t p = k8smig__vpush(ctx, "spec.defaultBackend");
		check_backend(ctx, ix, k8smig__vget(spec, "defaultBackend"));
		k8smig__vpop(ctx, p);
	}
	for (i = 0, r = k8smig_value_first(k8smig__vget(spec, "rules")); r; r = k8smig_value_next(r), i++) {
		cv *paths = k8smig__vget(k8smig__vget(r, "http"), "paths");
		for (j = 0, pe = k8smig_value_first(paths); pe; pe = k8smig_value_next(pe), j++) {
			size_t p = k8smig__vpush(ctx, "spec.rules");
			k8smig__vpush_index(ctx, i);
			k8smig__vpush(ctx, "http.paths");
			k8smig__vpush_index(ctx, j);
			k8smig__vpush(ctx, "backend");
			check_backend(ctx, ix, k8smig__vget(pe, "backend"));
			k8smig__vpop(ctx, p);
		}
	}
}

/* ---- HPAs ------------------------------------------------------------------------------- */

static bool container_requests(cv *c, const char *resource)
{
	cv *res = k8smig__vget(c, "resources");
	/* a limit without a request makes the request equal to the limit */
	return k8smig__vget(k8smig__vget(res, "requests"), resource) || k8smig__vget(k8smig__vget(res, "limits"), resource);
}

static void hpa_requests(k8smig__vctx *ctx, const k8smig__vobj *target, const char *resource, const char *container,
                         const char *leaf)
{
	cv *c;
	for (c = k8smig_value_first(k8smig__vget(k8smig__vobj_pod_spec(target), "containers")); c;
	     c = k8smig_value_next(c)) {
		const char *cn = k8smig__vstr(c, "name");
		if (container && (!cn || strcmp(cn, container) != 0))
			continue;
		if (!container_requests(c, resource))
			FIND(ctx, ERR, K8SMIG__C_HPA_REQUESTS, leaf,
			     "container \"%s\" of %s \"%s\" sets no resources.requests[%s]; utilization of %s cannot be computed",
			     cn ? cn : "", target->kind, target->name, resource, resource);
	}
}

static void check_hpa_refs(k8smig__vctx *ctx, k8smig__vindex *ix, const k8smig__vobj *o)
{
	cv *spec = k8smig__vget(o->root, "spec"), *ref = k8smig__vget(spec, "scaleTargetRef"), *metrics, *m;
	const char *kind = k8smig__vstr(ref, "kind"), *name = k8smig__vstr(ref, "name");
	int32_t i;
	k8smig__vobj *target;
	size_t n;
	char leaf[64];

	if (!kind || !name || !*kind || !*name)
		return;
	i = resolve(ctx, ix, kind, name, NULL, "spec.scaleTargetRef", K8SMIG__C_HPA_TARGET, "named by scaleTargetRef");
	if (i < 0)
		return;
	target = &ix->objs[ix->ents[i].obj];
	target->hpa_target = true;
	if (!target->tmpl)
		return;
	metrics = k8smig__vget(spec, "metrics");
	if (!metrics) {
		/* autoscaling/v1 targetCPUUtilizationPercentage, or the default: 80% CPU */
		hpa_requests(ctx, target, "cpu", NULL,
		             k8smig__vget(spec, "targetCPUUtilizationPercentage") ? "spec.targetCPUUtilizationPercentage"
		                                                                  : "spec.metrics");
		return;
	}
	for (n = 0, m = k8smig_value_first(metrics); m; m = k8smig_value_next(m), n++) {
		const char *type = k8smig__vstr(m, "type");
		cv *rs;
		const char *tt, *rname;
		if (!type)
			continue;
		if (strcmp(type, "Resource") == 0)
			rs = k8smig__vget(m, "resource");
		else if (strcmp(type, "ContainerResource") == 0)
			rs = k8smig__vget(m, "containerResource");
		else
			continue;
		tt = k8smig__vstr(k8smig__vget(rs, "target"), "type");
		rname = k8smig__vstr(rs, "name");
		if (!tt || strcmp(tt, "Utilization") != 0 || !rname)
			continue;
		snprintf(leaf, sizeof(leaf), "spec.metrics[%zu].%s.name", n, type[0] == 'R' ? "resource" : "containerResource");
		hpa_requests(ctx, target, rname, type[0] == 'C' ? k8smig__vstr(rs, "container") : NULL, leaf);
	}
}

/* ---- storage --------------------------------------------------------------------------- */

static const char *pvc_class(cv *pvc_root, bool *set)
{
	const char *sc = k8smig__vstr(k8smig__vget(pvc_root, "spec"), "storageClassName");
	if (!sc)
		sc = k8smig__vstr(k8smig__vget(k8smig__vget(pvc_root, "metadata"), "annotations"),
		                  "volume.beta.kubernetes.io/storage-class");
	*set = sc != NULL;
	return sc ? sc : "";
}

/* PVC side of a bound pair: class, access modes, capacity */
static void pair_mismatch(k8smig__vctx *ctx, cv *pvc_root, cv *pv_root, const char *pv_name, const char *prefix)
{
	cv *pvc = k8smig__vget(pvc_root, "spec"), *pv = k8smig__vget(pv_root, "spec"), *m;
	bool set;
	const char *pvc_sc = pvc_class(pvc_root, &set), *pv_sc = k8smig__vstr(pv, "storageClassName");
	char path[128];
	k8smig_quantity want, have;
	cv *wq, *hq;

	if (!pv_sc)
		pv_sc = "";
	if (set && strcmp(pvc_sc, pv_sc) != 0) {
		snprintf(path, sizeof(path), "%s.storageClassName", prefix);
		FIND(ctx, ERR, K8SMIG__C_PV_PVC_MISMATCH, path,
		     "storageClassName \"%s\" of the claim differs from \"%s\" of PersistentVolume \"%s\"", pvc_sc, pv_sc,
		     pv_name);
	}
	for (m = k8smig_value_first(k8smig__vget(pvc, "accessModes")); m; m = k8smig_value_next(m)) {
		const char *mode = k8smig_value_str(m);
		if (mode && !k8smig__vlist_has(k8smig__vget(pv, "accessModes"), mode)) {
			snprintf(path, sizeof(path), "%s.accessModes", prefix);
			FIND(ctx, ERR, K8SMIG__C_PV_PVC_MISMATCH, path,
			     "access mode %s of the claim is not offered by PersistentVolume \"%s\"", mode, pv_name);
			break;
		}
	}
	wq = k8smig__vget(k8smig__vget(k8smig__vget(pvc, "resources"), "requests"), "storage");
	hq = k8smig__vget(k8smig__vget(pv, "capacity"), "storage");
	if (k8smig_value_str(wq) && k8smig_value_str(hq) && k8smig_quantity_parse(&want, k8smig_value_str(wq)) == 0 &&
	    k8smig_quantity_parse(&have, k8smig_value_str(hq)) == 0 && k8smig_quantity_cmp(&want, &have) > 0) {
		snprintf(path, sizeof(path), "%s.resources.requests[storage]", prefix);
		FIND(ctx, ERR, K8SMIG__C_PV_PVC_MISMATCH, path,
		     "the claim requests more storage than PersistentVolume \"%s\" offers", pv_name);
	}
}

static void check_pvc_refs(k8smig__vctx *ctx, const k8smig__vindex *ix, const k8smig__vobj *o)
{
	cv *spec = k8smig__vget(o->root, "spec");
	const char *vn = k8smig__vstr(spec, "volumeName");
	bool set;
	const char *sc = pvc_class(o->root, &set);
	int32_t pv = -1;

	if (vn && *vn)
		pv = resolve(ctx, ix, "PersistentVolume", vn, NULL, "spec.volumeName", K8SMIG__C_REF_MISSING,
		             "named by volumeName");
	if (pv >= 0)
		pair_mismatch(ctx, o->root, ix->ents[pv].node, vn, "spec");
	if (set && *sc && k8smig__vindex_lookup(ix, "StorageClass", "", sc, NULL) < 0) {
		/* static binding to a PV of the set with the same class needs no StorageClass object */
		const char *pv_sc = pv >= 0 ? k8smig__vstr(k8smig__vget(ix->ents[pv].node, "spec"), "storageClassName") : NULL;
		if (!(pv_sc && strcmp(pv_sc, sc) == 0))
			FIND(ctx, ERR, K8SMIG__C_STORAGECLASS_MISSING,
			     k8smig__vget(spec, "storageClassName") ? "spec.storageClassName"
			                                            : "metadata.annotations[volume.beta.kubernetes.io/storage-class]",
			     "StorageClass \"%s\" is not in the set", sc);
	}
}

static void check_pv_refs(k8smig__vctx *ctx, const k8smig__vindex *ix, const k8smig__vobj *o)
{
	cv *cr = k8smig__vget(k8smig__vget(o->root, "spec"), "claimRef");
	const char *name = k8smig__vstr(cr, "name"), *ns = k8smig__vstr(cr, "namespace"), *vn;
	int32_t i;
	cv *pvc;
	char tmp[300], n1[300];

	if (!name || !*name)
		return;
	if (!ns)
		ns = "";
	i = k8smig__vindex_lookup(ix, "PersistentVolumeClaim", ns, name, NULL);
	if (i < 0) {
		FIND(ctx, ERR, K8SMIG__C_REF_MISSING, "spec.claimRef",
		     "PersistentVolumeClaim \"%s\" in %s named by claimRef is not in the set", name,
		     ns_phrase(ns, n1, sizeof(n1)));
		return;
	}
	pvc = ix->ents[i].node;
	vn = k8smig__vstr(k8smig__vget(pvc, "spec"), "volumeName");
	if (vn && strcmp(vn, o->name) == 0)
		return; /* the claim names this volume: the pair is checked from the claim */
	if (vn && *vn) {
		FIND(ctx, ERR, K8SMIG__C_PV_PVC_MISMATCH, "spec.claimRef",
		     "PersistentVolumeClaim \"%s\" names another volume (\"%s\")", name, vn);
		return;
	}
	/* report on the claim's fields, attributed to this PV */
	snprintf(tmp, sizeof(tmp), "spec.claimRef");
	pair_mismatch(ctx, pvc, o->root, o->name, tmp);
}

/* ---- external secrets, certificates, ingress classes ----------------------------------- */

static void check_es_refs(k8smig__vctx *ctx, const k8smig__vindex *ix, const k8smig__vobj *o)
{
	cv *spec = k8smig__vget(o->root, "spec"), *d;
	cv *ref = k8smig__vget(spec, "secretStoreRef");
	size_t i;
	const char *kind = k8smig__vstr(ref, "kind");
	if (ref)
		resolve(ctx, ix, kind && *kind ? kind : "SecretStore", k8smig__vstr(ref, "name"), NULL,
		        "spec.secretStoreRef.name", K8SMIG__C_SECRETSTORE_MISSING, "named by secretStoreRef");
	for (i = 0, d = k8smig_value_first(k8smig__vget(spec, "data")); d; d = k8smig_value_next(d), i++) {
		cv *sr = k8smig__vget(k8smig__vget(d, "sourceRef"), "storeRef");
		char leaf[64];
		if (!sr)
			continue;
		kind = k8smig__vstr(sr, "kind");
		snprintf(leaf, sizeof(leaf), "spec.data[%zu].sourceRef.storeRef.name", i);
		resolve(ctx, ix, kind && *kind ? kind : "SecretStore", k8smig__vstr(sr, "name"), NULL, leaf,
		        K8SMIG__C_SECRETSTORE_MISSING, "named by storeRef");
	}
}

static void check_store_refs(k8smig__vctx *ctx, const k8smig__vindex *ix, const k8smig__vobj *o)
{
	/* a namespaced SecretStore's IRSA service account must be in its namespace; a
	 * ClusterSecretStore's usually belongs to the operator's installation: not checked */
	cv *sa = k8smig__vget(k8smig__vget(k8smig__vget(k8smig__vget(k8smig__vget(k8smig__vget(o->root, "spec"),
	                                                                           "provider"), "aws"), "auth"), "jwt"),
	                      "serviceAccountRef");
	const char *name = k8smig__vstr(sa, "name");
	if (name && *name && strcmp(name, "default") != 0)
		resolve(ctx, ix, "ServiceAccount", name, NULL, "spec.provider.aws.auth.jwt.serviceAccountRef.name",
		        K8SMIG__C_SERVICEACCOUNT_MISSING, "named by serviceAccountRef");
}

static void check_certificate_refs(k8smig__vctx *ctx, const k8smig__vindex *ix, const k8smig__vobj *o)
{
	cv *ir = k8smig__vget(k8smig__vget(o->root, "spec"), "issuerRef");
	const char *group = k8smig__vstr(ir, "group"), *kind = k8smig__vstr(ir, "kind");
	if (!ir || (group && *group && strcmp(group, "cert-manager.io") != 0))
		return;
	resolve(ctx, ix, kind && *kind ? kind : "Issuer", k8smig__vstr(ir, "name"), NULL, "spec.issuerRef.name",
	        K8SMIG__C_REF_MISSING, "named by issuerRef");
}

static void check_ingress_class_refs(k8smig__vctx *ctx, const k8smig__vindex *ix, const k8smig__vobj *o)
{
	cv *params = k8smig__vget(k8smig__vget(o->root, "spec"), "parameters");
	const char *kind = k8smig__vstr(params, "kind"), *group = k8smig__vstr(params, "apiGroup");
	if (kind && strcmp(kind, "IngressClassParams") == 0 && group && strcmp(group, "elbv2.k8s.aws") == 0)
		resolve(ctx, ix, "IngressClassParams", k8smig__vstr(params, "name"), NULL, "spec.parameters.name",
		        K8SMIG__C_REF_MISSING, "named by parameters");
}

/* ---- the pass ----------------------------------------------------------------------------- */

static bool kind_is(const k8smig__vobj *o, const char *k)
{
	return strcmp(o->kind, k) == 0;
}

void k8smig__validate_set(struct k8smig_report *r, const k8smig_object_list *set, unsigned int flags)
{
	k8smig__vindex ix;
	size_t i, n = k8smig_object_list_size(set);
	k8smig__vctx *ctx = malloc(sizeof(*ctx));

	memset(&ix, 0, sizeof(ix));
	ix.set = set;
	ix.flags = flags;
	ix.nobj = n;
	ix.objs = calloc(n ? n : 1, sizeof(*ix.objs));
	if (!ctx || !ix.objs)
		goto nomem;
	for (i = 0; i < n; i++) {
		const k8smig_object *obj = k8smig_object_list_get(set, i);
		const char *s;
		k8smig__vobj *o = &ix.objs[i];
		o->root = k8smig_object_get(obj, NULL);
		s = k8smig_object_kind(obj);
		o->kind = s ? s : "";
		s = k8smig_object_namespace(obj);
		o->ns = s ? s : "";
		s = k8smig_object_name(obj);
		o->name = s ? s : "";
		index_object(&ix, i);
	}
	if (ix.failed || link_buckets(&ix) < 0)
		goto nomem;

	/* duplicates: the same kind, namespace and name twice */
	for (i = 0; i < ix.nent; i++) {
		const k8smig__vent *e = &ix.ents[i];
		int32_t j;
		if (e->role != K8SMIG__VR_OBJECT)
			continue;
		for (j = k8smig__vindex_first(&ix, e->kind, e->name); j >= 0 && (size_t)j < i; j = next_same(&ix, j)) {
			const k8smig__vent *f = &ix.ents[j];
			if (f->role == K8SMIG__VR_OBJECT && strcmp(f->ns, e->ns) == 0) {
				const k8smig_object *first = k8smig_object_list_get(set, f->obj);
				int line = 0;
				const char *src = k8smig_object_source(first, &line);
				k8smig__vctx_init(ctx, r, k8smig_object_list_get(set, e->obj), e->obj, flags);
				if (src)
					FIND(ctx, ERR, K8SMIG__C_DUPLICATE, "metadata.name",
					     "%s \"%s\" is defined more than once (first at %s:%d)", e->kind, e->name, src, line);
				else
					FIND(ctx, ERR, K8SMIG__C_DUPLICATE, "metadata.name",
					     "%s \"%s\" is defined more than once (first as object %zu of the set)", e->kind, e->name,
					     f->obj + 1);
				break;
			}
		}
	}

	if (!(flags & K8SMIG_VALIDATE_NO_CROSS)) {
		for (i = 0; i < n; i++) {
			k8smig__vobj *o = &ix.objs[i];
			if (o->skip || !*o->kind)
				continue;
			k8smig__vctx_init(ctx, r, k8smig_object_list_get(set, i), i, flags);
			if (o->tmpl)
				check_pod_refs(ctx, &ix, o);
			if (kind_is(o, "Service"))
				check_service_selector(ctx, &ix, o);
			else if (kind_is(o, "Ingress"))
				check_ingress_refs(ctx, &ix, o);
			else if (kind_is(o, "HorizontalPodAutoscaler"))
				check_hpa_refs(ctx, &ix, o);
			else if (kind_is(o, "PersistentVolumeClaim"))
				check_pvc_refs(ctx, &ix, o);
			else if (kind_is(o, "PersistentVolume"))
				check_pv_refs(ctx, &ix, o);
			else if (kind_is(o, "ExternalSecret"))
				check_es_refs(ctx, &ix, o);
			else if (kind_is(o, "SecretStore"))
				check_store_refs(ctx, &ix, o);
			else if (kind_is(o, "Certificate"))
				check_certificate_refs(ctx, &ix, o);
			else if (kind_is(o, "IngressClass"))
				check_ingress_class_refs(ctx, &ix, o);
		}
	} else {
		/* the lints still need to know which workloads an HPA scales */
		for (i = 0; i < n; i++) {
			k8smig__vobj *o = &ix.objs[i];
			cv *ref = k8smig__vget(k8smig__vget(o->root, "spec"), "scaleTargetRef");
			const char *kind = k8smig__vstr(ref, "kind"), *name = k8smig__vstr(ref, "name");
			int32_t j;
			if (o->skip || !kind_is(o, "HorizontalPodAutoscaler") || !kind || !name)
				continue;
			if ((j = k8smig__vindex_lookup(&ix, kind, o->ns, name, NULL)) >= 0)
				ix.objs[ix.ents[j].obj].hpa_target = true;
		}
	}
	if (!(flags & K8SMIG_VALIDATE_NO_LINTS))
		k8smig__validate_lints(r, &ix);
	goto done;
nomem:
	r->failed = K8SMIG_ENOMEM;
done:
	free(ix.objs);
	free(ix.ents);
	free(ix.buckets);
	free(ix.labels);
	free(ix.lbuckets);
	free(ctx);
}
