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
 * - pod: where the pod template of a workload is.
 */
#include <pthread.h>
#include <string.h>

#include "core/core.h"
#include "kinds.h"
#include "names.h"

#define RBAC "rbac.authorization.k8s.io/v1"

static const k8smig__pod_template POD = { "", "spec", "metadata", "metadata.labels" };
static const k8smig__pod_template POD_TEMPLATE = { "template", "template.spec", "template.metadata", "template.metadata.labels" };
static const k8smig__pod_template TEMPLATE = { "spec.template", "spec.template.spec", "spec.template.metadata",
	"spec.template.metadata.labels" };
static const k8smig__pod_template JOB_TEMPLATE = { "spec.jobTemplate.spec.template", "spec.jobTemplate.spec.template.spec",
	                                           "spec.jobTemplate.spec.template.metadata",
	                                           "spec.jobTemplate.spec.template.metadata.labels" };

/* kind, group, versions, cluster, kustomize_cluster, name rule, apply phase, kustomize order, pod template */
static const k8smig__kind_info kinds[] = {
	/* kustomize's orderFirst, in its order */
	{ "Namespace", "", "v1", true, true, K8SMIG__NAME_DNS_LABEL, 1, -22, NULL },
	{ "ResourceQuota", "", NULL, false, false, K8SMIG__NAME_DNS_SUBDOMAIN, 0, -21, NULL },
	{ "StorageClass", "storage.k8s.io", "storage.k8s.io/v1", true, true, K8SMIG__NAME_DNS_SUBDOMAIN, 5, -20, NULL },
	{ "CustomResourceDefinition", "apiextensions.k8s.io", NULL, true, true, K8SMIG__NAME_DNS_SUBDOMAIN, 2, -19, NULL },
	{ "ServiceAccount", "", "v1", false, false, K8SMIG__NAME_DNS_SUBDOMAIN, 3, -18, NULL },
	{ "PodSecurityPolicy", "policy", NULL, true, true, K8SMIG__NAME_DNS_SUBDOMAIN, 0, -17, NULL },
	{ "Role", "rbac.authorization.k8s.io", RBAC, false, false, K8SMIG__NAME_PATH_SEGMENT, 8, -16, NULL },
	{ "ClusterRole", "rbac.authorization.k8s.io", RBAC, true, true, K8SMIG__NAME_PATH_SEGMENT, 8, -15, NULL },
	{ "RoleBinding", "rbac.authorization.k8s.io", RBAC, false, false, K8SMIG__NAME_PATH_SEGMENT, 8, -14, NULL },
	{ "ClusterRoleBinding", "rbac.authorization.k8s.io", RBAC, true, true, K8SMIG__NAME_PATH_SEGMENT, 8, -13, NULL },
	{ "ConfigMap", "", "v1", false, false, K8SMIG__NAME_DNS_SUBDOMAIN, 4, -12, NULL },
	{ "Secret", "", "v1", false, false, K8SMIG__NAME_DNS_SUBDOMAIN, 4, -11, NULL },
	{ "Endpoints", "", NULL, false, false, K8SMIG__NAME_DNS_SUBDOMAIN, 0, -10, NULL },
	{ "Service", "", "v1", false, false, K8SMIG__NAME_DNS1035_LABEL, 13, -9, NULL },
	{ "LimitRange", "", NULL, false, false, K8SMIG__NAME_DNS_SUBDOMAIN, 0, -8, NULL },
	{ "PriorityClass", "scheduling.k8s.io", NULL, true, true, K8SMIG__NAME_DNS_SUBDOMAIN, 0, -7, NULL },
	{ "PersistentVolume", "", "v1", true, true, K8SMIG__NAME_DNS_SUBDOMAIN, 6, -6, NULL },
	{ "PersistentVolumeClaim", "", "v1", false, false, K8SMIG__NAME_DNS_SUBDOMAIN, 7, -5, NULL },
	{ "Deployment", "apps", "apps/v1", false, false, K8SMIG__NAME_DNS_SUBDOMAIN, 15, -4, &TEMPLATE },
	{ "StatefulSet", "apps", "apps/v1", false, false, K8SMIG__NAME_DNS_LABEL, 15, -3, &TEMPLATE },
	{ "CronJob", "batch", "batch/v1", false, false, K8SMIG__NAME_DNS_SUBDOMAIN, 0, -2, &JOB_TEMPLATE },
	{ "PodDisruptionBudget", "policy", "policy/v1", false, false, K8SMIG__NAME_DNS_SUBDOMAIN, 16, -1, NULL },
	/* kustomize's orderLast */
	{ "MutatingWebhookConfiguration", "admissionregistration.k8s.io", NULL, true, true, K8SMIG__NAME_DNS_SUBDOMAIN, 0, 1, NULL },
	{ "ValidatingWebhookConfiguration", "admissionregistration.k8s.io", NULL, true, true, K8SMIG__NAME_DNS_SUBDOMAIN, 0, 2, NULL },

	/* the other kinds the library builds, validates or applies */
	{ "Pod", "", "v1", false, false, K8SMIG__NAME_DNS_SUBDOMAIN, 0, 0, &POD },
	{ "PodTemplate", "", NULL, false, false, K8SMIG__NAME_DNS_SUBDOMAIN, 0, 0, &POD_TEMPLATE },
	{ "ReplicationController", "", NULL, false, false, K8SMIG__NAME_DNS_SUBDOMAIN, 0, 0, &TEMPLATE },
	{ "DaemonSet", "apps", "apps/v1", false, false, K8SMIG__NAME_DNS_SUBDOMAIN, 14, 0, &TEMPLATE },
	{ "ReplicaSet", "apps", "apps/v1", false, false, K8SMIG__NAME_DNS_SUBDOMAIN, 0, 0, &TEMPLATE },
	{ "Job", "batch", "batch/v1", false, false, K8SMIG__NAME_DNS_SUBDOMAIN, 0, 0, &TEMPLATE },
	{ "HorizontalPodAutoscaler", "autoscaling", "autoscaling/v2 autoscaling/v1", false, false, K8SMIG__NAME_DNS_SUBDOMAIN, 16, 0, NULL },
	{ "Ingress", "networking.k8s.io", "networking.k8s.io/v1", false, false, K8SMIG__NAME_DNS_SUBDOMAIN, 18, 0, NULL },
	{ "IngressClass", "networking.k8s.io", "networking.k8s.io/v1", true, true, K8SMIG__NAME_DNS_SUBDOMAIN, 17, 0, NULL },
	{ "NetworkPolicy", "networking.k8s.io", "networking.k8s.io/v1", false, false, K8SMIG__NAME_DNS_SUBDOMAIN, 0, 0, NULL },
	{ "SecretStore", "external-secrets.io", "external-secrets.io/", false, false, K8SMIG__NAME_DNS_SUBDOMAIN, 9, 0, NULL },
	{ "ClusterSecretStore", "external-secrets.io", "external-secrets.io/", true, false, K8SMIG__NAME_DNS_SUBDOMAIN, 9, 0, NULL },
	{ "ExternalSecret", "external-secrets.io", "external-secrets.io/", false, false, K8SMIG__NAME_DNS_SUBDOMAIN, 10, 0, NULL },
	{ "ClusterExternalSecret", "external-secrets.io", NULL, true, false, K8SMIG__NAME_DNS_SUBDOMAIN, 0, 0, NULL },
	{ "Issuer", "cert-manager.io", "cert-manager.io/", false, false, K8SMIG__NAME_DNS_SUBDOMAIN, 11, 0, NULL },
	{ "ClusterIssuer", "cert-manager.io", "cert-manager.io/", true, false, K8SMIG__NAME_DNS_SUBDOMAIN, 11, 0, NULL },
	{ "Certificate", "cert-manager.io", "cert-manager.io/", false, false, K8SMIG__NAME_DNS_SUBDOMAIN, 12, 0, NULL },
	{ "IngressClassParams", "elbv2.k8s.aws", "elbv2.k8s.aws/", true, false, K8SMIG__NAME_DNS_SUBDOMAIN, 17, 0, NULL },
	{ "PrometheusRule", "monitoring.coreos.com", "monitoring.coreos.com/", false, false, K8SMIG__NAME_DNS_SUBDOMAIN, 0, 0, NULL },

	/* every other cluster-scoped kind the API server serves */
	{ "APIService", "apiregistration.k8s.io", NULL, true, true, K8SMIG__NAME_DNS_SUBDOMAIN, 0, 0, NULL },
	{ "CSIDriver", "storage.k8s.io", NULL, true, true, K8SMIG__NAME_DNS_SUBDOMAIN, 0, 0, NULL },
	{ "CSINode", "storage.k8s.io", NULL, true, true, K8SMIG__NAME_DNS_SUBDOMAIN, 0, 0, NULL },
	{ "CertificateSigningRequest", "certificates.k8s.io", NULL, true, true, K8SMIG__NAME_DNS_SUBDOMAIN, 0, 0, NULL },
	{ "ComponentStatus", "", NULL, true, true, K8SMIG__NAME_DNS_SUBDOMAIN, 0, 0, NULL },
	{ "Node", "", NULL, true, true, K8SMIG__NAME_DNS_SUBDOMAIN, 0, 0, NULL },
	{ "RuntimeClass", "node.k8s.io", NULL, true, true, K8SMIG__NAME_DNS_SUBDOMAIN, 0, 0, NULL },
	{ "VolumeAttachment", "storage.k8s.io", NULL, true, true, K8SMIG__NAME_DNS_SUBDOMAIN, 0, 0, NULL },
	{ "VolumeAttributesClass", "storage.k8s.io", NULL, true, false, K8SMIG__NAME_DNS_SUBDOMAIN, 0, 0, NULL },
	{ "SelfSubjectAccessReview", "authorization.k8s.io", NULL, true, false, K8SMIG__NAME_DNS_SUBDOMAIN, 0, 0, NULL },
	{ "SelfSubjectRulesReview", "authorization.k8s.io", NULL, true, false, K8SMIG__NAME_DNS_SUBDOMAIN, 0, 0, NULL },
	{ "SubjectAccessReview", "authorization.k8s.io", NULL, true, false, K8SMIG__NAME_DNS_SUBDOMAIN, 0, 0, NULL },
	{ "SelfSubjectReview", "authentication.k8s.io", NULL, true, false, K8SMIG__NAME_DNS_SUBDOMAIN, 0, 0, NULL },
	{ "TokenReview", "authentication.k8s.io", NULL, true, false, K8SMIG__NAME_DNS_SUBDOMAIN, 0, 0, NULL },
	{ "FlowSchema", "flowcontrol.apiserver.k8s.io", NULL, true, false, K8SMIG__NAME_DNS_SUBDOMAIN, 0, 0, NULL },
	{ "PriorityLevelConfiguration", "flowcontrol.apiserver.k8s.io", NULL, true, false, K8SMIG__NAME_DNS_SUBDOMAIN, 0, 0, NULL },
	{ "MutatingAdmissionPolicy", "admissionregistration.k8s.io", NULL, true, false, K8SMIG__NAME_DNS_SUBDOMAIN, 0, 0, NULL },
	{ "MutatingAdmissionPolicyBinding", "admissionregistration.k8s.io", NULL, true, false, K8SMIG__NAME_DNS_SUBDOMAIN, 0, 0, NULL },
	{ "ValidatingAdmissionPolicy", "admissionregistration.k8s.io", NULL, true, false, K8SMIG__NAME_DNS_SUBDOMAIN, 0, 0, NULL },
	{ "ValidatingAdmissionPolicyBinding", "admissionregistration.k8s.io", NULL, true, false, K8SMIG__NAME_DNS_SUBDOMAIN, 0, 0, NULL },
	{ "IPAddress", "networking.k8s.io", NULL, true, false, K8SMIG__NAME_DNS_SUBDOMAIN, 0, 0, NULL },
	{ "ServiceCIDR", "networking.k8s.io", NULL, true, false, K8SMIG__NAME_DNS_SUBDOMAIN, 0, 0, NULL },
	{ "DeviceClass", "resource.k8s.io", NULL, true, false, K8SMIG__NAME_DNS_SUBDOMAIN, 0, 0, NULL },
	{ "ResourceSlice", "resource.k8s.io", NULL, true, false, K8SMIG__NAME_DNS_SUBDOMAIN, 0, 0, NULL },
};

#define N_KINDS (sizeof(kinds) / sizeof(kinds[0]))
_Static_assert(N_KINDS < 128, "the slot table must stay sparse");

size_t k8smig__kind_count(void)
{
	return N_KINDS;
}

const k8smig__kind_info *k8smig__kind_at(size_t i)
{
	return i < N_KINDS ? &kinds[i] : NULL;
}

/* kind -> index + 1 (0 = empty), filled once: lookups are on every object's path */
#define SLOTS 256 /* power of two, well above N_KINDS */
static unsigned char slots[SLOTS];
static pthread_once_t slots_once = PTHREAD_ONCE_INIT;
static int slots_ready;

static void fill_slots(void)
{
	size_t i;
	for (i = 0; i < N_KINDS; i++) {
		uint32_t s = k8smig__fnv1a(K8SMIG__FNV_OFFSET, kinds[i].kind, strlen(kinds[i].kind)) & (SLOTS - 1);
		while (slots[s])
			s = (s + 1) & (SLOTS - 1);
		slots[s] = (unsigned char)(i + 1);
	}
}

/* The entry found last: objects come in runs of one kind (a builder's calls, a list of
 * Deployments), and a compare costs less than the hash. Any thread may replace it. */
static const k8smig__kind_info *last_found;

const k8smig__kind_info *k8smig__kind_find(const char *kind)
{
	const k8smig__kind_info *k;
	uint32_t s;
	if (!kind)
		return NULL;
	k = __atomic_load_n(&last_found, __ATOMIC_RELAXED);
	if (k && strcmp(k->kind, kind) == 0)
		return k;
	/* pthread_once only until the table is built: builders look a kind up per call */
	if (K8SMIG__UNLIKELY(!__atomic_load_n(&slots_ready, __ATOMIC_ACQUIRE))) {
		pthread_once(&slots_once, fill_slots);
		__atomic_store_n(&slots_ready, 1, __ATOMIC_RELEASE);
	}
	for (s = k8smig__fnv1a(K8SMIG__FNV_OFFSET, kind, strlen(kind)) & (SLOTS - 1); slots[s]; s = (s + 1) & (SLOTS - 1))
		if (strcmp(kinds[slots[s] - 1].kind, kind) == 0) {
			__atomic_store_n(&last_found, &kinds[slots[s] - 1], __ATOMIC_RELAXED);
			return &kinds[slots[s] - 1];
		}
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

const k8smig__pod_template *k8smig__kind_pod_template(const char *kind)
{
	const k8smig__kind_info *k = k8smig__kind_find(kind);
	return k ? k->pod : NULL;
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
