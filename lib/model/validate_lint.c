/*
 * lib/model/validate_lint.c - AWS/EKS lints: accepted by the API server, but
 * known to go wrong on EKS. All findings are warnings. Rules and their
 * evidence are in docs/validation.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "validate.h"

#define WARN K8SMIG_SEVERITY_WARNING
#define FIND k8smig__vfind

typedef const k8smig_value cv;

#define ALB_CONTROLLER "ingress.k8s.aws/alb"
#define EFS_DRIVER "efs.csi.aws.com"
#define A_TARGET_TYPE "alb.ingress.kubernetes.io/target-type"
#define A_CERT_ARN "alb.ingress.kubernetes.io/certificate-arn"
#define A_ROLE_ARN "eks.amazonaws.com/role-arn"
#define L_COMPUTE_TYPE "eks.amazonaws.com/compute-type"
#define L_FARGATE_PROFILE "eks.amazonaws.com/fargate-profile"

static cv *annotations(cv *root)
{
	return k8smig__vget(k8smig__vget(root, "metadata"), "annotations");
}

static bool str_eq(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

/* ---- ALB ---------------------------------------------------------------------------- */

static bool class_is_alb(const k8smig__vindex *ix, const char *cls)
{
	int32_t i;
	if (str_eq(cls, "alb"))
		return true;
	i = cls ? k8smig__vindex_lookup(ix, "IngressClass", "", cls, NULL) : -1;
	return i >= 0 && str_eq(k8smig__vstr(k8smig__vget(ix->ents[i].node, "spec"), "controller"), ALB_CONTROLLER);
}

/* ingressClassName alb (or an IngressClass of the set for the ALB controller), the
 * legacy annotation, or no class at all while the set's default IngressClass is ALB */
static bool ingress_is_alb(const k8smig__vindex *ix, const k8smig__vobj *o, bool default_alb)
{
	const char *cls = k8smig__vstr(k8smig__vget(o->root, "spec"), "ingressClassName");
	const char *legacy = k8smig__vstr(annotations(o->root), "kubernetes.io/ingress.class");
	if (cls)
		return class_is_alb(ix, cls);
	if (legacy)
		return class_is_alb(ix, legacy);
	return default_alb;
}

static bool default_class_is_alb(const k8smig__vindex *ix)
{
	size_t i;
	for (i = 0; i < ix->nobj; i++) {
		const k8smig__vobj *c = &ix->objs[i];
		if (strcmp(c->kind, "IngressClass") == 0 &&
		    str_eq(k8smig__vstr(annotations(c->root), "ingressclass.kubernetes.io/is-default-class"), "true") &&
		    str_eq(k8smig__vstr(k8smig__vget(c->root, "spec"), "controller"), ALB_CONTROLLER))
			return true;
	}
	return false;
}

static void lint_alb_tls(k8smig__vctx *ctx, const k8smig__vobj *o)
{
	cv *tls = k8smig__vget(k8smig__vget(o->root, "spec"), "tls"), *t;
	bool arn = k8smig__vhas_str(annotations(o->root), A_CERT_ARN);
	size_t i;
	for (i = 0, t = k8smig_value_first(tls); t; t = k8smig_value_next(t), i++) {
		char leaf[64];
		if (!k8smig__vhas_str(t, "secretName"))
			continue;
		snprintf(leaf, sizeof(leaf), "spec.tls[%zu].secretName", i);
		if (arn)
			FIND(ctx, WARN, K8SMIG__C_ALB_TLS_SECRET, leaf,
			     "the AWS Load Balancer Controller ignores TLS Secrets; the certificate comes from " A_CERT_ARN
			     ", so this secretName has no effect");
		else
			FIND(ctx, WARN, K8SMIG__C_ALB_TLS_SECRET, leaf,
			     "the AWS Load Balancer Controller ignores TLS Secrets (e.g. from cert-manager); set the "
			     A_CERT_ARN " annotation to an ACM certificate");
	}
}

/* Does a workload's pod template say it runs on Fargate? */
static bool pod_on_fargate(const k8smig__vobj *o)
{
	cv *meta = k8smig__vget(o->tmpl, "metadata");
	cv *spec = k8smig__vget(o->tmpl, "spec");
	return str_eq(k8smig__vstr(k8smig__vget(spec, "nodeSelector"), L_COMPUTE_TYPE), "fargate") ||
	       str_eq(k8smig__vstr(k8smig__vget(meta, "annotations"), L_COMPUTE_TYPE), "fargate") ||
	       str_eq(k8smig__vstr(k8smig__vget(meta, "labels"), L_COMPUTE_TYPE), "fargate") ||
	       k8smig__vget(k8smig__vget(meta, "labels"), L_FARGATE_PROFILE) ||
	       k8smig__vget(k8smig__vget(meta, "annotations"), L_FARGATE_PROFILE);
}

static bool backend_service_ip(const k8smig__vindex *ix, const char *ns, cv *backend)
{
	const char *name = k8smig__vstr(k8smig__vget(backend, "service"), "name");
	int32_t i = name ? k8smig__vindex_lookup(ix, "Service", ns, name, NULL) : -1;
	return i >= 0 && str_eq(k8smig__vstr(annotations(ix->ents[i].node), A_TARGET_TYPE), "ip");
}

/* every backend's Service carries target-type: ip (the controller reads it from Services too) */
static bool all_backends_ip(const k8smig__vindex *ix, const k8smig__vobj *o)
{
	cv *spec = k8smig__vget(o->root, "spec"), *r, *p;
	bool any = false;
	if (k8smig__vget(spec, "defaultBackend")) {
		if (!backend_service_ip(ix, o->ns, k8smig__vget(spec, "defaultBackend")))
			return false;
		any = true;
	}
	for (r = k8smig_value_first(k8smig__vget(spec, "rules")); r; r = k8smig_value_next(r))
		for (p = k8smig_value_first(k8smig__vget(k8smig__vget(r, "http"), "paths")); p; p = k8smig_value_next(p)) {
			if (!backend_service_ip(ix, o->ns, k8smig__vget(p, "backend")))
				return false;
			any = true;
		}
	return any;
}

/* the first workload on Fargate of each namespace */
typedef struct fargate_hints {
	const k8smig__vobj **items;
	size_t n;
} fargate_hints;

static void collect_fargate(fargate_hints *h, const k8smig__vindex *ix)
{
	size_t i, j;
	h->items = NULL;
	h->n = 0;
	for (i = 0; i < ix->nobj; i++) {
		const k8smig__vobj *o = &ix->objs[i];
		bool seen = false;
		if (!o->tmpl || !pod_on_fargate(o))
			continue;
		for (j = 0; j < h->n && !seen; j++)
			seen = strcmp(h->items[j]->ns, o->ns) == 0;
		if (seen)
			continue;
		if (!h->items && !(h->items = calloc(ix->nobj, sizeof(*h->items))))
			return; /* without memory, no hints: the lint stays quiet */
		h->items[h->n++] = o;
	}
}

static void lint_alb_fargate(k8smig__vctx *ctx, const k8smig__vindex *ix, const k8smig__vobj *o,
                             const fargate_hints *hints)
{
	const char *tt = k8smig__vstr(annotations(o->root), A_TARGET_TYPE);
	const k8smig__vobj *hint = NULL;
	size_t i;
	if (str_eq(tt, "ip"))
		return;
	for (i = 0; i < hints->n && !hint; i++)
		if (strcmp(hints->items[i]->ns, o->ns) == 0)
			hint = hints->items[i];
	if (!hint && !(ix->flags & K8SMIG_VALIDATE_FARGATE))
		return;
	if (!tt && all_backends_ip(ix, o))
		return;
	if (hint)
		FIND(ctx, WARN, K8SMIG__C_ALB_FARGATE_TARGET, "metadata.annotations[" A_TARGET_TYPE "]",
		     "%s \"%s\" runs on Fargate, where pods have no node port for the ALB: set " A_TARGET_TYPE ": ip",
		     hint->kind, hint->name);
	else
		FIND(ctx, WARN, K8SMIG__C_ALB_FARGATE_TARGET, "metadata.annotations[" A_TARGET_TYPE "]",
		     "pods run on Fargate (option), where the ALB cannot use instance targets: set " A_TARGET_TYPE ": ip");
}

/* ---- workloads -------------------------------------------------------------------------- */

static void lint_hpa_replicas(k8smig__vctx *ctx, const k8smig__vobj *o)
{
	if (o->hpa_target && k8smig__vget(k8smig__vget(o->root, "spec"), "replicas"))
		FIND(ctx, WARN, K8SMIG__C_HPA_REPLICAS, "spec.replicas",
		     "an HorizontalPodAutoscaler of the set scales this %s; spec.replicas resets its scale on every apply "
		     "(leave it out)", o->kind);
}

/* Container Insights' own log and metric agents (quick start manifests and the
 * amazon-cloudwatch-observability add-on) */
static bool container_insights_daemonset(const k8smig__vobj *o)
{
	static const char *const keys[] = { "k8s-app", "name", "app.kubernetes.io/name", NULL };
	cv *label_maps[2];
	size_t i, j;
	if (strcmp(o->ns, "amazon-cloudwatch") != 0 ||
	    (strcmp(o->name, "fluent-bit") != 0 && strcmp(o->name, "cloudwatch-agent") != 0))
		return false;
	label_maps[0] = k8smig__vget(k8smig__vget(o->root, "metadata"), "labels");
	label_maps[1] = k8smig__vget(k8smig__vget(o->tmpl, "metadata"), "labels");
	for (i = 0; i < 2; i++)
		for (j = 0; keys[j]; j++) {
			const char *v = k8smig__vstr(label_maps[i], keys[j]);
			if (str_eq(v, "fluent-bit") || str_eq(v, "cloudwatch-agent"))
				return true;
		}
	return false;
}

static void lint_fluentbit(k8smig__vctx *ctx, const k8smig__vobj *o, const k8smig__vobj *ci)
{
	cv *c;
	size_t i;
	for (i = 0, c = k8smig_value_first(k8smig__vget(k8smig__vobj_pod_spec(o), "containers")); c;
	     c = k8smig_value_next(c), i++) {
		const char *image = k8smig__vstr(c, "image");
		char leaf[128];
		if (!image || !k8smig__strcasestr_ascii(image, "fluent-bit"))
			continue;
		snprintf(leaf, sizeof(leaf), "%s.spec.containers[%zu].image", o->tmpl_path, i);
		FIND(ctx, WARN, K8SMIG__C_FLUENTBIT_DUPLICATE, leaf,
		     "a custom Fluent Bit DaemonSet alongside Container Insights' own (%s %s/%s) ships every log twice; "
		     "keep one", ci->kind, ci->ns, ci->name);
		return;
	}
}

/* ---- config and identity ------------------------------------------------------------------ */

static void lint_configmap(k8smig__vctx *ctx, const k8smig__vobj *o)
{
	cv *e;
	for (e = k8smig_value_first(k8smig__vget(o->root, "data")); e; e = k8smig_value_next(e)) {
		const char *k = k8smig_value_key(e), *v = k8smig_value_str(e);
		size_t p = k8smig__vpush(ctx, "data");
		k8smig__vpush_key(ctx, k);
		if (k8smig__looks_like_credential_key(k))
			FIND(ctx, WARN, K8SMIG__C_CONFIGMAP_CREDENTIAL, NULL,
			     "key \"%s\" looks like a credential; keep it in a Secret (ExternalSecret), not a ConfigMap", k);
		else if (v && k8smig__looks_like_credential_value(v))
			FIND(ctx, WARN, K8SMIG__C_CONFIGMAP_CREDENTIAL, NULL,
			     "value looks like an AWS access key (not shown); keep it in a Secret (ExternalSecret)");
		k8smig__vpop(ctx, p);
	}
}

static void lint_irsa(k8smig__vctx *ctx, const k8smig__vobj *o)
{
	cv *a = k8smig__vget(annotations(o->root), A_ROLE_ARN);
	const char *arn = k8smig_value_str(a), *why;
	if (!a)
		return;
	if (!arn)
		why = "must be a string";
	else
		why = k8smig__iam_role_arn(arn);
	if (why)
		FIND(ctx, WARN, K8SMIG__C_IRSA_ARN, "metadata.annotations[" A_ROLE_ARN "]",
		     "\"%s\" is not an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>): %s", arn ? arn : "", why);
}

/* ---- EFS ---------------------------------------------------------------------------------- */

static bool efs_pv(cv *pv_root)
{
	return str_eq(k8smig__vstr(k8smig__vget(k8smig__vget(pv_root, "spec"), "csi"), "driver"), EFS_DRIVER);
}

static void lint_efs(k8smig__vctx *ctx, const k8smig__vindex *ix, const k8smig__vobj *o)
{
	cv *spec = k8smig__vget(o->root, "spec");
	const char *why = NULL;
	if (strcmp(o->kind, "PersistentVolume") == 0) {
		if (efs_pv(o->root))
			why = "an EFS volume (csi.driver " EFS_DRIVER ")";
	} else {
		const char *sc = k8smig__vstr(spec, "storageClassName"), *vn = k8smig__vstr(spec, "volumeName");
		int32_t i;
		if (sc && *sc && (i = k8smig__vindex_lookup(ix, "StorageClass", "", sc, NULL)) >= 0 &&
		    str_eq(k8smig__vstr(ix->ents[i].node, "provisioner"), EFS_DRIVER))
			why = "a claim on an EFS StorageClass (provisioner " EFS_DRIVER ")";
		else if (vn && (i = k8smig__vindex_lookup(ix, "PersistentVolume", "", vn, NULL)) >= 0 &&
		         efs_pv(ix->ents[i].node))
			why = "a claim bound to an EFS volume";
	}
	if (why && k8smig__vget(spec, "accessModes") && !k8smig__vlist_has(k8smig__vget(spec, "accessModes"), "ReadWriteMany"))
		FIND(ctx, WARN, K8SMIG__C_EFS_ACCESS_MODE, "spec.accessModes",
		     "%s without ReadWriteMany: EFS is shared storage, and pods on other nodes expect to mount it "
		     "(use ReadWriteMany, and readOnly on the mount for read-only use)", why);
}

/* ---- the pass ----------------------------------------------------------------------------- */

void k8smig__validate_lints(struct k8smig_report *r, k8smig__vindex *ix)
{
	k8smig__vctx ctx;
	const k8smig__vobj *ci = NULL;
	fargate_hints hints;
	bool default_alb = default_class_is_alb(ix);
	size_t i;

	collect_fargate(&hints, ix);

	for (i = 0; i < ix->nobj && !ci; i++)
		if (strcmp(ix->objs[i].kind, "DaemonSet") == 0 && container_insights_daemonset(&ix->objs[i]))
			ci = &ix->objs[i];
	for (i = 0; i < ix->nobj; i++) {
		const k8smig__vobj *o = &ix->objs[i];
		if (o->skip || !*o->kind)
			continue;
		k8smig__vctx_init(&ctx, r, k8smig_object_list_get(ix->set, i), i, ix->flags);
		if (strcmp(o->kind, "Ingress") == 0 && ingress_is_alb(ix, o, default_alb)) {
			lint_alb_tls(&ctx, o);
			lint_alb_fargate(&ctx, ix, o, &hints);
		} else if (strcmp(o->kind, "ConfigMap") == 0)
			lint_configmap(&ctx, o);
		else if (strcmp(o->kind, "ServiceAccount") == 0)
			lint_irsa(&ctx, o);
		else if (strcmp(o->kind, "PersistentVolume") == 0 || strcmp(o->kind, "PersistentVolumeClaim") == 0)
			lint_efs(&ctx, ix, o);
		else if (strcmp(o->kind, "DaemonSet") == 0 && ci && o != ci && !container_insights_daemonset(o))
			lint_fluentbit(&ctx, o, ci);
		lint_hpa_replicas(&ctx, o);
	}
	free(hints.items);
}
