/*
 * tests/unit/test_kinds.c - invariants of the table of kinds (lib/model/kinds.c).
 * Scope against the real API server: tests/client/test_kinds.c. Kustomize's
 * scope and order against kubectl: tests/render (render-vs-kubectl).
 */
#include "helpers.h"
#include "model/kinds.h"

static void test_kinds_unique_and_consistent(void **state)
{
	size_t n = k8smig__kind_count(), i, j;
	(void)state;
	assert_true(n > 40);
	assert_null(k8smig__kind_at(n));
	for (i = 0; i < n; i++) {
		const k8smig__kind_info *k = k8smig__kind_at(i);
		for (j = i + 1; j < n; j++)
			if (strcmp(k->kind, k8smig__kind_at(j)->kind) == 0)
				fail_msg("%s is in the table twice", k->kind);
		assert_ptr_equal(k8smig__kind_find(k->kind), k);
		/* kustomize can only leave off the namespace of what really is cluster-scoped */
		if (k->kustomize_cluster && !k->cluster)
			fail_msg("%s: kustomize_cluster without cluster", k->kind);
		assert_true(k->apply_phase < K8SMIG__APPLY_PHASES);
		/* accepted apiVersions belong to the kind's group */
		if (k->versions) {
			size_t glen = strlen(k->group);
			if (glen ? strncmp(k->versions, k->group, glen) != 0 || k->versions[glen] != '/'
			         : strchr(k->versions, '/') != NULL)
				fail_msg("%s: versions \"%s\" are not of group \"%s\"", k->kind, k->versions, k->group);
		}
	}
}

/* kustomize's legacy order (api/resid/gvk.go orderFirst / orderLast) */
static void test_kinds_kustomize_order(void **state)
{
	static const char *const first[] = {
		"Namespace", "ResourceQuota", "StorageClass", "CustomResourceDefinition", "ServiceAccount",
		"PodSecurityPolicy", "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding", "ConfigMap", "Secret",
		"Endpoints", "Service", "LimitRange", "PriorityClass", "PersistentVolume", "PersistentVolumeClaim",
		"Deployment", "StatefulSet", "CronJob", "PodDisruptionBudget",
	};
	size_t i, nfirst = sizeof(first) / sizeof(first[0]), nranked = 0;
	(void)state;
	for (i = 0; i + 1 < nfirst; i++)
		assert_true(k8smig__kind_kustomize_rank(first[i]) < k8smig__kind_kustomize_rank(first[i + 1]));
	assert_true(k8smig__kind_kustomize_rank(first[nfirst - 1]) < 0);
	assert_int_equal(k8smig__kind_kustomize_rank("Ingress"), 0);
	assert_int_equal(k8smig__kind_kustomize_rank("Widget"), 0);
	assert_true(k8smig__kind_kustomize_rank("MutatingWebhookConfiguration") > 0);
	assert_true(k8smig__kind_kustomize_rank("ValidatingWebhookConfiguration") >
	            k8smig__kind_kustomize_rank("MutatingWebhookConfiguration"));
	for (i = 0; i < k8smig__kind_count(); i++)
		nranked += k8smig__kind_at(i)->kustomize_order != 0;
	assert_int_equal(nranked, nfirst + 2);
}

static void test_kinds_scope(void **state)
{
	(void)state;
	assert_true(k8smig__kind_cluster_scoped("Namespace"));
	assert_true(k8smig__kind_cluster_scoped("ClusterIssuer"));
	assert_false(k8smig__kind_cluster_scoped("Deployment"));
	assert_false(k8smig__kind_cluster_scoped("Widget"));
	assert_false(k8smig__kind_cluster_scoped(NULL));
	/* kustomize: by group and kind; CRDs and kinds outside its schema are namespaced */
	assert_true(k8smig__kind_kustomize_cluster_scoped("", "Namespace"));
	assert_false(k8smig__kind_kustomize_cluster_scoped("example.com", "Namespace"));
	assert_true(k8smig__kind_kustomize_cluster_scoped("networking.k8s.io", "IngressClass"));
	assert_false(k8smig__kind_kustomize_cluster_scoped("cert-manager.io", "ClusterIssuer"));
	assert_false(k8smig__kind_kustomize_cluster_scoped("authorization.k8s.io", "SubjectAccessReview"));
	assert_false(k8smig__kind_kustomize_cluster_scoped(NULL, "Widget"));
}

static void test_kinds_apply_phases(void **state)
{
	(void)state;
	assert_int_equal(k8smig__kind_apply_phase("Namespace"), 0);
	assert_int_equal(k8smig__kind_apply_phase("CustomResourceDefinition"), K8SMIG__APPLY_PHASE_CRD);
	assert_true(k8smig__kind_apply_phase("ConfigMap") < k8smig__kind_apply_phase("Deployment"));
	assert_true(k8smig__kind_apply_phase("SecretStore") < k8smig__kind_apply_phase("ExternalSecret"));
	assert_true(k8smig__kind_apply_phase("Service") < k8smig__kind_apply_phase("Ingress"));
	assert_int_equal(k8smig__kind_apply_phase("Ingress"), K8SMIG__APPLY_PHASES - 2);
	assert_int_equal(k8smig__kind_apply_phase("Widget"), K8SMIG__APPLY_PHASES - 1);
	assert_int_equal(k8smig__kind_apply_phase(NULL), K8SMIG__APPLY_PHASES - 1);
}

static void test_kinds_pod_templates(void **state)
{
	(void)state;
	assert_string_equal(k8smig__kind_pod_template("Deployment")->spec, "spec.template.spec");
	assert_string_equal(k8smig__kind_pod_template("ReplicationController")->meta, "spec.template.metadata");
	assert_string_equal(k8smig__kind_pod_template("CronJob")->path, "spec.jobTemplate.spec.template");
	assert_string_equal(k8smig__kind_pod_template("Pod")->path, "");
	assert_string_equal(k8smig__kind_pod_template("Pod")->spec, "spec");
	assert_string_equal(k8smig__kind_pod_template("PodTemplate")->spec, "template.spec");
	assert_null(k8smig__kind_pod_template("Service"));
	assert_null(k8smig__kind_pod_template("Widget"));
	assert_null(k8smig__kind_pod_template(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kinds_unique_and_consistent),
		cmocka_unit_test(test_kinds_kustomize_order),
		cmocka_unit_test(test_kinds_scope),
		cmocka_unit_test(test_kinds_apply_phases),
		cmocka_unit_test(test_kinds_pod_templates),
	};
	return cmocka_run_group_tests_name("kinds", tests, NULL, NULL);
}
