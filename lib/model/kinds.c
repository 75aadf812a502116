/*
 * lib/model/kinds.c - the table of kinds (see kinds.h).
 *
 * Where the facts come from:
 * - cluster: the API server's discovery ("namespaced": false), read from the
 *   test cluster (tests/cluster, Kubernetes 1.36 with the project's CRDs);
 *   tests/client/test_kinds.c checks every entry against it. PodSecurityPolicy
 *   (removed in 1.25) and ClusterExternalSecret (CRD not installed there) are
 *   cluster-scoped in their own APIs.
 * - kustomize_cluster: what `kubectl kustomize` (kustomize v5.5.0) does with a
 *   kustomization's `namespace:`: it leaves metadata.namespace off only for the
 *   cluster-scoped kinds of its built-in schema. Kinds it does not know (CRDs,
 *   newer APIs, the review kinds) get a namespace even when the server has
 *   them cluster-scoped (the server then ignores it).
 * - versions: what validation accepts (docs/validation.md, K8SMIG-API-VERSION).
 * - name_rule: the API server's metadata.name check for the kind.
 * - apply_phase: the dependency order of k8smig_client_apply_set().
 * - kustomize_order: kustomize's legacy sort (orderFirst, then orderLast).
 */
#include <string.h>

#include "kinds.h"
#include "names.h"

#define RBAC "rbac.authorization.k8s.io/v1"

/* kind, group, versions, cluster, kustomize_cluster, name rule, apply phase, kustomize order */
static const k8smig__kind_info kinds[] = {
	/* kustomize's orderFirst, in its order */
	{ "Namespace", "", "v1", true, true, K8SMIG__NAME_DNS_LABEL, 1, -22 },
	{ "ResourceQuota", "", NULL, false, false, K8SMIG__NAME_DNS_SUBDOMAIN, 0, -21 },
	{ "StorageClass", "storage.k8s.io", "storage.k8s.io/v1", true, true, K8SMIG__NAME_DNS_SUBDOMAIN, 5, -20 },
	{ "CustomResourceDefinition", "apiextensions.k8s.io", NULL, true, true, K8SMIG__NAME_DNS_SUBDOMAIN, 2, -19 },
	{ "ServiceAccount", "", "v1", false, false, K8SMIG__NAME_DNS_SUBDOMAIN, 3, -18 },
	{ "PodSecurityPolicy", "policy", NULL, true, true, K8SMIG__NAME_DNS_SUBDOMAIN, 0, -17 },
	{ "Role", "rbac.authorization.k8s.io", RBAC, false, false, K8SMIG__NAME_PATH_SEGMENT, 8, -16 },
	{ "ClusterRole", "rbac.authorization.k8s.io", RBAC, true, true, K8SMIG__NAME_PATH_SEGMENT, 8, -15 },
	{ "RoleBinding", "rbac.authorization.k8s.io", RBAC, false, false, K8SMIG__NAME_PATH_SEGMENT, 8, -14 },
	{ "ClusterRoleBinding", "rbac.authorization.k8s.io", RBAC, true, true, K8SMIG__NAME_PATH_SEGMENT, 8, -13 },
	{ "ConfigMap", "", "v1", false, false, K8SMIG__NAME_DNS_SUBDOMAIN, 4, -12 },
	{ "Secret", "", "v1", false, false, K8SMIG__NAME_DNS_SUBDOMAIN, 4, -11 },
	{ "Endpoints", "", NULL, false, false, K8SMIG__NAME_DNS_SUBDOMAIN, 0, -10 },
	{ "Service", "", "v1", false, false, K8SMIG__NAME_DNS1035_LABEL, 13, -9 },
	{ "LimitRange", "", NULL, false, false, K8SMIG__NAME_DNS_SUBDOMAIN, 0, -8 },
	{ "PriorityClass", "scheduling.k8s.io", NULL, true, true, K8SMIG__NAME_DNS_SUBDOMAIN, 0, -7 },
	{ "PersistentVolume", "", "v1", true, true, K8SMIG__NAME_DNS_SUBDOMAIN, 6, -6 },
	{ "PersistentVolumeClaim", "", "v1", false, false, K8SMIG__NAME_DNS_SUBDOMAIN, 7, -5 },
	{ "Deployment", "apps", "apps/v1", false, false, K8SMIG__NAME_DNS_SUBDOMAIN, 15, -4 },
	{ "StatefulSet", "apps", "apps/v1", false, false, K8SMIG__NAME_DNS_LABEL, 15, -3 },
	{ "CronJob", "batch", "batch/v1", false, false, K8SMIG__NAME_DNS_SUBDOMAIN, 0, -2 },
	{ "PodDisruptionBudget", "policy", "policy/v1", false, false, K8SMIG__NAME_DNS_SUBDOMAIN, 16, -1 },
	/* kustomize's orderLast */
	{ "MutatingWebhookConfiguration", "admissionregistration.k8s.io", NULL, true, true, K8SMIG__NAME_DNS_SUBDOMAIN, 0, 1 },
	{ "ValidatingWebhookConfiguration", "admissionregistration.k8s.io", NULL, true, true, K8SMIG__NAME_DNS_SUBDOMAIN, 0, 2 },

	/* the other kinds the library builds, validates or applies */
	{ "Pod", "", "v1", false, false, K8SMIG__NAME_DNS_SUBDOMAIN, 0, 0 },
	{ "DaemonSet", "apps", "apps/v1", false, false, K8SMIG__NAME_DNS_SUBDOMAIN, 14, 0 },
	{ "ReplicaSet", "apps", "apps/v1", false, false, K8SMIG__NAME_DNS_SUBDOMAIN, 0, 0 },
	{ "Job", "batch", "batch/v1", false, false, K8SMIG__NAME_DNS_SUBDOMAIN, 0, 0 },
	{ "HorizontalPodAutoscaler", "autoscaling", "autoscaling/v2 autoscaling/v1", false, false, K8SMIG__NAME_DNS_SUBDOMAIN, 16, 0 },
	{ "Ingress", "networking.k8s.io", "networking.k8s.io/v1", false, false, K8SMIG__NAME_DNS_SUBDOMAIN, 18, 0 },
	{ "IngressClass", "networking.k8s.io", "networking.k8s.io/v1", true, true, K8SMIG__NAME_DNS_SUBDOMAIN, 17, 0 },
	{ "NetworkPolicy", "networking.k8s.io", "networking.k8s.io/v1", false, false, K8SMIG__NAME_DNS_SUBDOMAIN, 0, 0 },
	{ "SecretStore", "external-secrets.io", "external-secrets.io/", false, false, K8SMIG__NAME_DNS_SUBDOMAIN, 9, 0 },
	{ "ClusterSecretStore", "external-secrets.io", "external-secrets.io/", true, false, K8SMIG__NAME_DNS_SUBDOMAIN, 9, 0 },
	{ "ExternalSecret", "external-secrets.io", "external-secrets.io/", false, false, K8SMIG__NAME_DNS_SUBDOMAIN, 10, 0 },
	{ "ClusterExternalSecret", "external-secrets.io", NULL, true, false, K8SMIG__NAME_DNS_SUBDOMAIN, 0, 0 },
	{ "Issuer", "cert-manager.io", "cert-manager.io/", false, false, K8SMIG__NAME_DNS_SUBDOMAIN, 11, 0 },
	{ "ClusterIssuer", "cert-manager.io", "cert-manager.io/", true, false, K8SMIG__NAME_DNS_SUBDOMAIN, 11, 0 },
	{ "Certificate", "cert-manager.io", "cert-manager.io/", false, false, K8SMIG__NAME_DNS_SUBDOMAIN, 12, 0 },
	{ "IngressClassParams", "elbv2.k8s.aws", "elbv2.k8s.aws/", true, false, K8SMIG__NAME_DNS_SUBDOMAIN, 17, 0 },
	{ "PrometheusRule", "monitoring.coreos.com", "monitoring.coreos.com/", false, false, K8SMIG__NAME_DNS_SUBDOMAIN, 0, 0 },

	/* every other cluster-scoped kind the API server serves */
	{ "APIService", "apiregistration.k8s.io", NULL, true, true, K8SMIG__NAME_DNS_SUBDOMAIN, 0, 0 },
	{ "CSIDriver", "storage.k8s.io", NULL, true, true, K8SMIG__NAME_DNS_SUBDOMAIN, 0, 0 },
	{ "CSINode", "storage.k8s.io", NULL, true, true, K8SMIG__NAME_DNS_SUBDOMAIN, 0, 0 },
	{ "CertificateSigningRequest", "certificates.k8s.io", NULL, true, true, K8SMIG__NAME_DNS_SUBDOMAIN, 0, 0 },
	{ "ComponentStatus", "", NULL, true, true, K8SMIG__NAME_DNS_SUBDOMAIN, 0, 0 },
	{ "Node", "", NULL, true, true, K8SMIG__NAME_DNS_SUBDOMAIN, 0, 0 },
	{ "RuntimeClass", "node.k8s.io", NULL, true, true, K8SMIG__NAME_DNS_SUBDOMAIN, 0, 0 },
	{ "VolumeAttachment", "storage.k8s.io", NULL, true, true, K8SMIG__NAME_DNS_SUBDOMAIN, 0, 0 },
	{ "VolumeAttributesClass", "storage.k8s.io", NULL, true, false, K8SMIG__NAME_DNS_SUBDOMAIN, 0, 0 },
	{ "SelfSubjectAccessReview", "authorization.k8s.io", NULL, true, false, K8SMIG__NAME_DNS_SUBDOMAIN, 0, 0 },
	{ "SelfSubjectRulesReview", "authorization.k8s.io", NULL, true, false, K8SMIG__NAME_DNS_SUBDOMAIN, 0, 0 },
	{ "SubjectAccessReview", "authorization.k8s.io", NULL, true, false, K8SMIG__NAME_DNS_SUBDOMAIN, 0, 0 },
	{ "SelfSubjectReview", "authentication.k8s.io", NULL, true, false, K8SMIG__NAME_DNS_SUBDOMAIN, 0, 0 },
	{ "TokenReview", "authentication.k8s.io", NULL, true, false, K8SMIG__NAME_DNS_SUBDOMAIN, 0, 0 },
	{ "FlowSchema", "flowcontrol.apiserver.k8s.io", NULL, true, false, K8SMIG__NAME_DNS_SUBDOMAIN, 0, 0 },
	{ "PriorityLevelConfiguration", "flowcontrol.apiserver.k8s.io", NULL, true, false, K8SMIG__NAME_DNS_SUBDOMAIN, 0, 0 },
	{ "MutatingAdmissionPolicy", "admissionregistration.k8s.io", NULL, true, false, K8SMIG__NAME_DNS_SUBDOMAIN, 0, 0 },
	{ "MutatingAdmissionPolicyBinding", "admissionregistration.k8s.io", NULL, true, false, K8SMIG__NAME_DNS_SUBDOMAIN, 0, 0 },
	{ "ValidatingAdmissionPolicy", "admissionregistration.k8s.io", NULL, true, false, K8SMIG__NAME_DNS_SUBDOMAIN, 0, 0 },
	{ "ValidatingAdmissionPolicyBinding", "admissionregistration.k8s.io", NULL, true, false, K8SMIG__NAME_DNS_SUBDOMAIN, 0, 0 },
	{ "IPAddress", "networking.k8s.io", NULL, true, false, K8SMIG__NAME_DNS_SUBDOMAIN, 0, 0 },
	{ "ServiceCIDR", "networking.k8s.io", NULL, true, false, K8SMIG__NAME_DNS_SUBDOMAIN, 0, 0 },
	{ "DeviceClass", "resource.k8s.io", NULL, true, false, K8SMIG__NAME_DNS_SUBDOMAIN, 0, 0 },
	{ "ResourceSlice", "resource.k8s.io", NULL, true, false, K8SMIG__NAME_DNS_SUBDOMAIN, 0, 0 },
};

#define N_KINDS (sizeof(kinds) / sizeof(kinds[0]))

size_t k8smig__kind_count(void)
{
	return N_KINDS;
}

const k8smig__kind_info *k8smig__kind_at(size_t i)
{
	return i < N_KINDS ? &kinds[i] : NULL;
}

const k8smig__kind_info *k8smig__kind_find(const char *kind)
{
	size_t i;
	for (i = 0; kind && i < N_KINDS; i++)
		if (strcmp(kinds[i].kind, kind) == 0)
			return &kinds[i];
	return NULL;
}

bool k8smig__kind_cluster_scoped(const char *kind)
{
	const k8smig__kind_info *k = k8smig__kind_find(kind);
	return k && k->cluster;
}

bool k8smig__kind_kustomize_cluster_scoped(const char *group, const char *kind)
{
	const k8smig__kind_info *k = k8smig__kind_find(kind);
	return k && k->kustomize_cluster && strcmp(k->group, group ? group : "") == 0;
}

int k8smig__kind_kustomize_rank(const char *kind)
{
	const k8smig__kind_info *k = k8smig__kind_find(kind);
	return k ? k->kustomize_order : 0;
}

size_t k8smig__kind_apply_phase(const char *kind)
{
	const k8smig__kind_info *k = k8smig__kind_find(kind);
	return k && k->apply_phase ? (size_t)k->apply_phase - 1 : K8SMIG__APPLY_PHASES - 1;
}

k8smig__name_rule k8smig__kind_name_rule(const char *kind)
{
	const k8smig__kind_info *k = k8smig__kind_find(kind);
	return k ? k->name_rule : K8SMIG__NAME_DNS_SUBDOMAIN;
}

const char *k8smig__name_check(k8smig__name_rule rule, const char *name, const char **what_out)
{
	static const struct {
		const char *what;
		const char *(*check)(const char *);
	} rules[] = {
		[K8SMIG__NAME_DNS_SUBDOMAIN] = { "DNS-1123 subdomain", k8smig__dns1123_subdomain },
		[K8SMIG__NAME_DNS_LABEL] = { "DNS-1123 label", k8smig__dns1123_label },
		[K8SMIG__NAME_DNS1035_LABEL] = { "DNS-1035 label", k8smig__dns1035_label },
		[K8SMIG__NAME_PATH_SEGMENT] = { "path segment name", k8smig__path_segment_name },
	};
	if ((unsigned)rule >= sizeof(rules) / sizeof(rules[0]))
		rule = K8SMIG__NAME_DNS_SUBDOMAIN;
	if (what_out)
		*what_out = rules[rule].what;
	return rules[rule].check(name);
}
