/*
 * tests/unit/test_builders_workloads.c - typed builders of workloads.h:
 * Deployment, DaemonSet, Pod, PodDisruptionBudget, pod templates and
 * containers. Every failure asserts the code and the field path.
 */
#include <stdlib.h>

#include "helpers.h"

#define POD "spec.template.spec"
#define C0 POD ".containers[0]"

static k8smig_object *deployment(void)
{
	k8smig_object *d = NULL;
	assert_ok(k8smig_deployment_new(&d, "web", "dev"));
	return d;
}

/* A Deployment with one container "app" at index 0. */
static k8smig_object *with_container(void)
{
	k8smig_object *d = deployment();
	size_t c = 9;
	assert_ok(k8smig_pod_add_container(&c, d, "app", "nginx:1.27"));
	assert_int_equal(c, 0);
	return d;
}

static void assert_sticky(k8smig_object *o, int code)
{
	assert_int_equal(k8smig_object_status(o), code);
}

static const char *first_key(const k8smig_object *o, const char *path)
{
	return k8smig_value_key(k8smig_value_first(k8smig_object_get(o, path)));
}

/* emit to YAML and JSON, parse back, and compare with the original */
static void assert_round_trips(const k8smig_object *o)
{
	k8smig_emit_options eo = K8SMIG_EMIT_OPTIONS_INIT;
	int f;
	for (f = 0; f < 2; f++) {
		k8smig_object_list *docs = NULL;
		char *text = NULL;
		size_t len = 0;
		eo.format = f ? K8SMIG_FORMAT_JSON : K8SMIG_FORMAT_YAML;
		assert_ok(k8smig_object_emit(&text, &len, o, &eo));
		assert_ok(k8smig_parse(&docs, text, len, NULL));
		assert_int_equal(k8smig_object_list_size(docs), 1);
		assert_true(k8smig_object_equal(o, k8smig_object_list_get(docs, 0)));
		k8smig_object_list_free(docs);
		k8smig_free(text);
	}
}

static void test_deployment_new_selects_its_pods(void **state)
{
	k8smig_object *d = deployment();
	(void)state;
	assert_string_equal(k8smig_object_api_version(d), "apps/v1");
	assert_string_equal(k8smig_object_namespace(d), "dev");
	assert_string_equal(k8smig_object_label(d, "app.kubernetes.io/name"), "web");
	assert_string_equal(k8smig_object_get_str(d, "spec.selector.matchLabels[app.kubernetes.io/name]"), "web");
	assert_string_equal(k8smig_object_get_str(d, "spec.template.metadata.labels[app.kubernetes.io/name]"), "web");
	assert_false(k8smig_object_has(d, "spec.replicas"));
	k8smig_object_free(d);
}

static void test_workload_new_rejects_bad_names(void **state)
{
	k8smig_object *o = (k8smig_object *)1;
	(void)state;
	assert_fails(k8smig_deployment_new(&o, "Web", NULL), K8SMIG_EINVAL, "metadata.name");
	assert_null(o);
	assert_fails(k8smig_deployment_new(&o, "a234567890123456789012345678901234567890123456789012345678901234", NULL),
	             K8SMIG_EINVAL, "metadata.name");
	assert_fails(k8smig_daemon_set_new(&o, "web", "Dev"), K8SMIG_EINVAL, "metadata.namespace");
	assert_fails(k8smig_pod_new(&o, NULL, NULL), K8SMIG_EINVAL, "metadata.name");
	assert_fails(k8smig_deployment_new(NULL, "web", NULL), K8SMIG_EINVAL, "");
	assert_ok(k8smig_pod_new(&o, "check", NULL));
	assert_false(k8smig_object_has(o, "spec.selector"));
	assert_string_equal(k8smig_object_label(o, "app.kubernetes.io/name"), "check");
	k8smig_object_free(o);
}

static void test_deployment_replicas_zero_survives_and_orders_first(void **state)
{
	k8smig_object *d = with_container();
	(void)state;
	assert_ok(k8smig_deployment_set_replicas(d, 0));
	assert_true(k8smig_object_has(d, "spec.replicas"));
	assert_int_equal(k8smig_object_get_int(d, "spec.replicas"), 0);
	assert_string_equal(first_key(d, "spec"), "replicas");
	assert_round_trips(d);
	assert_fails(k8smig_deployment_set_replicas(d, -1), K8SMIG_EINVAL, "spec.replicas");
	assert_sticky(d, K8SMIG_EINVAL);
	k8smig_object_free(d);
}

static void test_deployment_replicas_needs_a_deployment(void **state)
{
	k8smig_object *o = NULL;
	(void)state;
	assert_ok(k8smig_daemon_set_new(&o, "agent", NULL));
	assert_fails(k8smig_deployment_set_replicas(o, 1), K8SMIG_EKIND, "kind");
	assert_sticky(o, K8SMIG_EKIND);
	k8smig_object_free(o);
	assert_fails(k8smig_deployment_set_replicas(NULL, 1), K8SMIG_EINVAL, "");
}

/* Builders remember where the kind is; a kind rewritten, replaced or removed after a
 * builder ran is still seen by the next one. */
static void test_builders_see_a_changed_kind(void **state)
{
	k8smig_object *o = NULL;
	(void)state;
	assert_ok(k8smig_deployment_new(&o, "web", NULL));
	assert_ok(k8smig_deployment_set_replicas(o, 2));
	assert_ok(k8smig_object_set_str(o, "kind", "DaemonSet")); /* rewritten in place */
	assert_fails(k8smig_deployment_set_replicas(o, 1), K8SMIG_EKIND, "kind");
	k8smig_object_free(o);
	assert_ok(k8smig_deployment_new(&o, "web", NULL));
	assert_ok(k8smig_deployment_set_replicas(o, 2));
	assert_ok(k8smig_object_unset(o, "kind"));
	assert_fails(k8smig_deployment_set_replicas(o, 1), K8SMIG_EKIND, "kind");
	k8smig_object_free(o);
	assert_ok(k8smig_daemon_set_new(&o, "agent", NULL));
	assert_fails(k8smig_deployment_set_replicas(o, 1), K8SMIG_EKIND, "kind");
	k8smig_object_free(o);
	assert_ok(k8smig_daemon_set_new(&o, "agent", NULL));
	assert_ok(k8smig_pod_set_service_account(o, "agent"));
	assert_ok(k8smig_object_set_map(o, "kind")); /* no longer a string */
	assert_fails(k8smig_pod_set_service_account(o, "x"), K8SMIG_EKIND, "kind");
	k8smig_object_free(o);
}

/* The container builders remember the container last found; the kind rewritten in place
 * (as a string of another kind, as a number, or copied from another object) ends that memory. */
static void test_container_builders_see_a_changed_kind(void **state)
{
	k8smig_object *o = NULL, *cm = NULL;
	size_t c;
	int how;
	(void)state;
	assert_ok(k8smig_config_map_new(&cm, "cfg", NULL));
	for (how = 0; how < 4; how++) {
		assert_ok(k8smig_deployment_new(&o, "web", NULL));
		assert_ok(k8smig_pod_add_container(&c, o, "app", "nginx:1"));
		assert_ok(k8smig_container_add_env(o, c, "A", "1")); /* remembered */
		if (how == 0)
			assert_ok(k8smig_object_set_str(o, "kind", "ConfigMap"));
		else if (how == 1)
			assert_ok(k8smig_object_set_strn(o, "kind", "ConfigMapX", 9));
		else if (how == 2)
			assert_ok(k8smig_object_set_int(o, "kind", 7));
		else
			assert_ok(k8smig_object_set_value(o, "kind", k8smig_object_get(cm, "kind")));
		assert_fails(k8smig_container_add_env(o, c, "B", "2"), K8SMIG_EKIND, "kind");
		assert_fails(k8smig_container_add_port(o, c, "http", 80, NULL), K8SMIG_EKIND, "kind");
		assert_null(k8smig_object_get(o, "spec.template.spec.containers[0].env[1]"));
		k8smig_object_free(o);
	}
	k8smig_object_free(cm);
	/* rewritten to a kind with another pod spec: the builder writes where that kind says */
	assert_ok(k8smig_deployment_new(&o, "web", NULL));
	assert_ok(k8smig_pod_add_container(&c, o, "app", "nginx:1"));
	assert_ok(k8smig_container_add_env(o, c, "A", "1"));
	assert_ok(k8smig_object_set_str(o, "kind", "Pod"));
	assert_fails(k8smig_container_add_env(o, c, "B", "2"), K8SMIG_ENOTFOUND, "spec.containers[0]");
	k8smig_object_free(o);
}

static void test_update_strategy(void **state)
{
	k8smig_object *d = deployment(), *ds = NULL, *p = NULL;
	(void)state;
	assert_ok(k8smig_workload_set_update_strategy(d, "RollingUpdate", "25%", "0"));
	assert_string_equal(k8smig_object_get_str(d, "spec.strategy.rollingUpdate.maxSurge"), "25%");
	assert_int_equal(k8smig_value_type(k8smig_object_get(d, "spec.strategy.rollingUpdate.maxUnavailable")), K8SMIG_TYPE_INT);
	assert_ok(k8smig_workload_set_update_strategy(d, "Recreate", NULL, NULL));
	assert_false(k8smig_object_has(d, "spec.strategy.rollingUpdate"));
	assert_fails(k8smig_workload_set_update_strategy(d, "OnDelete", NULL, NULL), K8SMIG_EINVAL, "spec.strategy.type");
	k8smig_object_free(d);

	d = deployment();
	assert_fails(k8smig_workload_set_update_strategy(d, "Recreate", "1", NULL), K8SMIG_EINVAL, "spec.strategy.rollingUpdate");
	k8smig_object_free(d);
	d = deployment();
	assert_fails(k8smig_workload_set_update_strategy(d, "RollingUpdate", "abc", NULL), K8SMIG_EINVAL,
	             "spec.strategy.rollingUpdate.maxSurge");
	k8smig_object_free(d);
	d = deployment();
	assert_fails(k8smig_workload_set_update_strategy(d, "RollingUpdate", "0%", "0"), K8SMIG_EINVAL,
	             "spec.strategy.rollingUpdate.maxUnavailable");
	k8smig_object_free(d);
	d = deployment();
	assert_fails(k8smig_workload_set_update_strategy(d, "RollingUpdate", NULL, "99999999999"), K8SMIG_EINVAL,
	             "spec.strategy.rollingUpdate.maxUnavailable");
	k8smig_object_free(d);

	assert_ok(k8smig_daemon_set_new(&ds, "agent", NULL));
	assert_ok(k8smig_workload_set_update_strategy(ds, "OnDelete", NULL, NULL));
	assert_string_equal(k8smig_object_get_str(ds, "spec.updateStrategy.type"), "OnDelete");
	assert_fails(k8smig_workload_set_update_strategy(ds, "Recreate", NULL, NULL), K8SMIG_EINVAL, "spec.updateStrategy.type");
	k8smig_object_free(ds);

	assert_ok(k8smig_pod_new(&p, "p", NULL));
	assert_fails(k8smig_workload_set_update_strategy(p, "RollingUpdate", NULL, NULL), K8SMIG_EKIND, "kind");
	k8smig_object_free(p);
}

static void test_selector_set(void **state)
{
	k8smig_object *d = deployment(), *svc = NULL, *pdb = NULL, *cm = NULL;
	(void)state;
	assert_ok(k8smig_selector_set(d, "tier", "backend"));
	assert_string_equal(k8smig_object_get_str(d, "spec.selector.matchLabels.tier"), "backend");
	assert_string_equal(k8smig_object_get_str(d, "spec.template.metadata.labels.tier"), "backend");
	assert_fails(k8smig_selector_set(d, "bad key", "x"), K8SMIG_EINVAL, "spec.selector.matchLabels");
	k8smig_object_free(d);
	d = deployment();
	assert_fails(k8smig_selector_set(d, "app", "-bad"), K8SMIG_EINVAL, "spec.selector.matchLabels[app]");
	k8smig_object_free(d);

	assert_ok(k8smig_service_new(&svc, "web", NULL, NULL));
	assert_ok(k8smig_selector_set(svc, "app", "web"));
	assert_string_equal(k8smig_object_get_str(svc, "spec.selector.app"), "web");
	assert_false(k8smig_object_has(svc, "spec.template"));
	assert_fails(k8smig_selector_set(svc, "app", "a b"), K8SMIG_EINVAL, "spec.selector[app]");
	k8smig_object_free(svc);

	assert_ok(k8smig_pdb_new(&pdb, "web", NULL, "1", NULL));
	assert_ok(k8smig_selector_set(pdb, "app", ""));
	assert_string_equal(k8smig_object_get_str(pdb, "spec.selector.matchLabels.app"), "");
	k8smig_object_free(pdb);

	assert_ok(k8smig_config_map_new(&cm, "c", NULL));
	assert_fails(k8smig_selector_set(cm, "app", "x"), K8SMIG_EKIND, "kind");
	k8smig_object_free(cm);
}

static void test_pdb_new(void **state)
{
	k8smig_object *o = NULL;
	(void)state;
	assert_ok(k8smig_pdb_new(&o, "web", "dev", "1", NULL));
	assert_int_equal(k8smig_value_type(k8smig_object_get(o, "spec.minAvailable")), K8SMIG_TYPE_INT);
	k8smig_object_free(o);
	assert_ok(k8smig_pdb_new(&o, "web", "dev", NULL, "50%"));
	assert_string_equal(k8smig_object_get_str(o, "spec.maxUnavailable"), "50%");
	k8smig_object_free(o);
	assert_fails(k8smig_pdb_new(&o, "web", NULL, "1", "1"), K8SMIG_EINVAL, "spec.maxUnavailable");
	assert_null(o);
	assert_fails(k8smig_pdb_new(&o, "web", NULL, NULL, NULL), K8SMIG_EINVAL, "spec.minAvailable");
	assert_fails(k8smig_pdb_new(&o, "web", NULL, "x%", NULL), K8SMIG_EINVAL, "spec.minAvailable");
	assert_fails(k8smig_pdb_new(&o, "Web", NULL, "1", NULL), K8SMIG_EINVAL, "metadata.name");
}

static void test_pod_level_setters(void **state)
{
	k8smig_object *d = deployment(), *p = NULL, *svc = NULL;
	(void)state;
	assert_ok(k8smig_pod_set_service_account(d, "web"));
	assert_ok(k8smig_pod_set_template_label(d, "tier", "backend"));
	assert_ok(k8smig_pod_set_template_annotation(d, "prometheus.io/scrape", "true"));
	assert_ok(k8smig_pod_set_node_selector(d, "kubernetes.io/os", "linux"));
	assert_ok(k8smig_pod_set_termination_grace_period(d, 0));
	assert_string_equal(k8smig_object_get_str(d, POD ".serviceAccountName"), "web");
	assert_string_equal(k8smig_object_get_str(d, "spec.template.metadata.labels.tier"), "backend");
	assert_string_equal(k8smig_object_get_str(d, "spec.template.metadata.annotations[prometheus.io/scrape]"), "true");
	assert_string_equal(k8smig_object_get_str(d, POD ".nodeSelector[kubernetes.io/os]"), "linux");
	assert_true(k8smig_object_has(d, POD ".terminationGracePeriodSeconds"));
	assert_round_trips(d);

	assert_fails(k8smig_pod_set_service_account(d, "Web"), K8SMIG_EINVAL, POD ".serviceAccountName");
	assert_fails(k8smig_pod_set_template_label(d, "tier", "back end"), K8SMIG_EINVAL, "spec.template.metadata.labels[tier]");
	assert_fails(k8smig_pod_set_template_label(d, "/tier", "x"), K8SMIG_EINVAL, "spec.template.metadata.labels");
	assert_fails(k8smig_pod_set_template_annotation(d, "a b", "x"), K8SMIG_EINVAL, "spec.template.metadata.annotations");
	assert_fails(k8smig_pod_set_template_annotation(d, "note", NULL), K8SMIG_EINVAL, "spec.template.metadata.annotations[note]");
	assert_fails(k8smig_pod_set_node_selector(d, "a b", "x"), K8SMIG_EINVAL, POD ".nodeSelector");
	assert_fails(k8smig_pod_set_termination_grace_period(d, -1), K8SMIG_EINVAL, POD ".terminationGracePeriodSeconds");
	k8smig_object_free(d);

	assert_ok(k8smig_pod_new(&p, "p", NULL));
	assert_ok(k8smig_pod_set_service_account(p, "web"));
	assert_string_equal(k8smig_object_get_str(p, "spec.serviceAccountName"), "web");
	assert_ok(k8smig_pod_set_template_label(p, "tier", "x"));
	assert_string_equal(k8smig_object_label(p, "tier"), "x");
	assert_fails(k8smig_pod_set_service_account(p, ""), K8SMIG_EINVAL, "spec.serviceAccountName");
	k8smig_object_free(p);

	assert_ok(k8smig_service_new(&svc, "web", NULL, NULL));
	assert_fails(k8smig_pod_set_service_account(svc, "web"), K8SMIG_EKIND, "kind");
	k8smig_object_free(svc);
}

static void test_tolerations(void **state)
{
	k8smig_object *d = deployment();
	(void)state;
	assert_ok(k8smig_pod_add_toleration(d, NULL, "Exists", NULL, NULL, K8SMIG_UNSET));
	assert_ok(k8smig_pod_add_toleration(d, "node.kubernetes.io/unreachable", "Exists", NULL, "NoExecute", 0));
	assert_ok(k8smig_pod_add_toleration(d, "dedicated", NULL, "batch", "NoSchedule", K8SMIG_UNSET));
	assert_int_equal(k8smig_object_get_int(d, POD ".tolerations[1].tolerationSeconds"), 0);
	assert_true(k8smig_object_has(d, POD ".tolerations[1].tolerationSeconds"));
	assert_false(k8smig_object_has(d, POD ".tolerations[0].key"));
	assert_false(k8smig_object_has(d, POD ".tolerations[2].operator"));
	assert_round_trips(d);
	k8smig_object_free(d);

#define TOL_FAILS(args, field)                                                              \
	do {                                                                                \
		k8smig_object *d_ = deployment();                                           \
		assert_fails(k8smig_pod_add_toleration args, K8SMIG_EINVAL, POD ".tolerations[0]." field); \
		assert_int_equal(k8smig_value_size(k8smig_object_get(d_, POD ".tolerations")), 0); \
		k8smig_object_free(d_);                                                     \
	} while (0)
	TOL_FAILS((d_, "k", "Bigger", "v", NULL, K8SMIG_UNSET), "operator");
	TOL_FAILS((d_, NULL, "Equal", "v", NULL, K8SMIG_UNSET), "key");
	TOL_FAILS((d_, NULL, NULL, NULL, NULL, K8SMIG_UNSET), "key");
	TOL_FAILS((d_, "bad key", NULL, "v", NULL, K8SMIG_UNSET), "key");
	TOL_FAILS((d_, "k", "Exists", "v", NULL, K8SMIG_UNSET), "value");
	TOL_FAILS((d_, "k", "Equal", "bad value", NULL, K8SMIG_UNSET), "value");
	TOL_FAILS((d_, "k", "Equal", "v", "NoRun", K8SMIG_UNSET), "effect");
	TOL_FAILS((d_, "k", "Equal", "v", "NoSchedule", 30), "tolerationSeconds");
	TOL_FAILS((d_, "k", "Equal", "v", "NoExecute", -2), "tolerationSeconds");
#undef TOL_FAILS
}

static void test_pod_volumes(void **state)
{
	k8smig_object *d = deployment();
	size_t i = 9;
	(void)state;
	assert_ok(k8smig_pod_add_volume(&i, d, "data", K8SMIG_VOLUME_PVC, "data-pvc"));
	assert_int_equal(i, 0);
	assert_ok(k8smig_pod_add_volume(NULL, d, "config", K8SMIG_VOLUME_CONFIG_MAP, "cfg"));
	assert_ok(k8smig_pod_add_volume(NULL, d, "tls", K8SMIG_VOLUME_SECRET, "tls"));
	assert_ok(k8smig_pod_add_volume(NULL, d, "scratch", K8SMIG_VOLUME_EMPTY_DIR, NULL));
	assert_ok(k8smig_pod_add_volume(NULL, d, "shm", K8SMIG_VOLUME_EMPTY_DIR, "Memory"));
	assert_ok(k8smig_pod_add_volume(&i, d, "logs", K8SMIG_VOLUME_HOST_PATH, "/var/log"));
	assert_int_equal(i, 5);
	assert_string_equal(k8smig_object_get_str(d, POD ".volumes[0].persistentVolumeClaim.claimName"), "data-pvc");
	assert_string_equal(k8smig_object_get_str(d, POD ".volumes[1].configMap.name"), "cfg");
	assert_string_equal(k8smig_object_get_str(d, POD ".volumes[2].secret.secretName"), "tls");
	assert_int_equal(k8smig_value_type(k8smig_object_get(d, POD ".volumes[3].emptyDir")), K8SMIG_TYPE_MAP);
	assert_string_equal(k8smig_object_get_str(d, POD ".volumes[4].emptyDir.medium"), "Memory");
	assert_string_equal(k8smig_object_get_str(d, POD ".volumes[5].hostPath.path"), "/var/log");
	assert_round_trips(d);

	assert_fails(k8smig_pod_add_volume(NULL, d, "data", K8SMIG_VOLUME_PVC, "x"), K8SMIG_EEXISTS, POD ".volumes[6].name");
	assert_fails(k8smig_pod_add_volume(NULL, d, "Data", K8SMIG_VOLUME_PVC, "x"), K8SMIG_EINVAL, POD ".volumes[6].name");
	assert_fails(k8smig_pod_add_volume(NULL, d, "v", K8SMIG_VOLUME_PVC, "Bad"), K8SMIG_EINVAL,
	             POD ".volumes[6].persistentVolumeClaim.claimName");
	assert_fails(k8smig_pod_add_volume(NULL, d, "v", K8SMIG_VOLUME_CONFIG_MAP, NULL), K8SMIG_EINVAL, POD ".volumes[6].configMap.name");
	assert_fails(k8smig_pod_add_volume(NULL, d, "v", K8SMIG_VOLUME_SECRET, ""), K8SMIG_EINVAL, POD ".volumes[6].secret.secretName");
	assert_fails(k8smig_pod_add_volume(NULL, d, "v", K8SMIG_VOLUME_EMPTY_DIR, "Disk"), K8SMIG_EINVAL, POD ".volumes[6].emptyDir.medium");
	assert_fails(k8smig_pod_add_volume(NULL, d, "v", K8SMIG_VOLUME_HOST_PATH, "var/log"), K8SMIG_EINVAL, POD ".volumes[6].hostPath.path");
	assert_fails(k8smig_pod_add_volume(NULL, d, "v", (k8smig_volume_type)99, "x"), K8SMIG_EINVAL, POD ".volumes[6]");
	assert_int_equal(k8smig_value_size(k8smig_object_get(d, POD ".volumes")), 6);
	k8smig_object_free(d);
}

static void test_security_contexts(void **state)
{
	static const char *const drop[] = { "ALL", NULL };
	k8smig_security_context_options sc = K8SMIG_SECURITY_CONTEXT_OPTIONS_INIT, init;
	k8smig_object *d = with_container();
	(void)state;
	assert_ok(k8smig_security_context_options_init(&init, K8SMIG_SECURITY_CONTEXT_OPTIONS_VERSION));
	assert_int_equal(init.version, K8SMIG_SECURITY_CONTEXT_OPTIONS_VERSION);
	assert_int_equal(init.run_as_user, 0);
	assert_false(init.has_run_as_user);
	assert_false(init.has_privileged);
	assert_null(init.capabilities_drop);
	assert_fails(k8smig_security_context_options_init(&init, 99), K8SMIG_EINVAL, "version");

	/* issue 16.2: zeroed options set nothing, and write no root */
	{
		k8smig_security_context_options zero = { .version = K8SMIG_SECURITY_CONTEXT_OPTIONS_VERSION,
		                                         .read_only_root_filesystem = true };
		assert_ok(k8smig_container_set_security_context(d, 0, &zero));
		assert_true(k8smig_object_get_bool(d, C0 ".securityContext.readOnlyRootFilesystem"));
		assert_int_equal(k8smig_value_size(k8smig_object_get(d, C0 ".securityContext")), 1);
		memset(&zero, 0, sizeof(zero));
		zero.version = K8SMIG_SECURITY_CONTEXT_OPTIONS_VERSION;
		assert_ok(k8smig_pod_set_security_context(d, &zero));
		assert_int_equal(k8smig_value_size(k8smig_object_get(d, POD ".securityContext")), 0);
	}

	/* root and false only when asked for */
	sc.has_run_as_user = true;
	sc.run_as_user = 0;
	sc.fs_group = 2000;
	sc.has_run_as_non_root = true;
	sc.run_as_non_root = false;
	assert_ok(k8smig_pod_set_security_context(d, &sc));
	assert_int_equal(k8smig_object_get_int(d, POD ".securityContext.fsGroup"), 2000);
	assert_true(k8smig_object_has(d, POD ".securityContext.runAsUser"));
	assert_false(k8smig_object_get_bool(d, POD ".securityContext.runAsNonRoot"));
	assert_true(k8smig_object_has(d, POD ".securityContext.runAsNonRoot"));
	assert_false(k8smig_object_has(d, POD ".securityContext.runAsGroup"));

	sc = (k8smig_security_context_options)K8SMIG_SECURITY_CONTEXT_OPTIONS_INIT;
	sc.has_allow_privilege_escalation = true;
	sc.read_only_root_filesystem = true;
	sc.capabilities_drop = drop;
	sc.seccomp_profile = "RuntimeDefault";
	assert_ok(k8smig_container_set_security_context(d, 0, &sc));
	assert_true(k8smig_object_has(d, C0 ".securityContext.allowPrivilegeEscalation"));
	assert_string_equal(k8smig_object_get_str(d, C0 ".securityContext.capabilities.drop[0]"), "ALL");
	assert_round_trips(d);

	/* pod-level rejects container-only fields */
	sc = (k8smig_security_context_options)K8SMIG_SECURITY_CONTEXT_OPTIONS_INIT;
	sc.privileged = 1;
	assert_fails(k8smig_pod_set_security_context(d, &sc), K8SMIG_EINVAL, POD ".securityContext.privileged");
	sc = (k8smig_security_context_options)K8SMIG_SECURITY_CONTEXT_OPTIONS_INIT;
	sc.capabilities_drop = drop;
	assert_fails(k8smig_pod_set_security_context(d, &sc), K8SMIG_EINVAL, POD ".securityContext.capabilities");
	sc = (k8smig_security_context_options)K8SMIG_SECURITY_CONTEXT_OPTIONS_INIT;
	sc.has_read_only_root_filesystem = true;
	assert_fails(k8smig_pod_set_security_context(d, &sc), K8SMIG_EINVAL, POD ".securityContext.readOnlyRootFilesystem");
	/* container-level rejects fsGroup and contradictions */
	sc = (k8smig_security_context_options)K8SMIG_SECURITY_CONTEXT_OPTIONS_INIT;
	sc.fs_group = 1;
	assert_fails(k8smig_container_set_security_context(d, 0, &sc), K8SMIG_EINVAL, C0 ".securityContext.fsGroup");
	sc = (k8smig_security_context_options)K8SMIG_SECURITY_CONTEXT_OPTIONS_INIT;
	sc.privileged = true;
	sc.has_allow_privilege_escalation = true;
	assert_fails(k8smig_container_set_security_context(d, 0, &sc), K8SMIG_EINVAL, C0 ".securityContext.allowPrivilegeEscalation");
	sc = (k8smig_security_context_options)K8SMIG_SECURITY_CONTEXT_OPTIONS_INIT;
	sc.run_as_user = -5;
	assert_fails(k8smig_container_set_security_context(d, 0, &sc), K8SMIG_EINVAL, C0 ".securityContext.runAsUser");
	sc = (k8smig_security_context_options)K8SMIG_SECURITY_CONTEXT_OPTIONS_INIT;
	sc.seccomp_profile = "Localhost";
	assert_fails(k8smig_container_set_security_context(d, 0, &sc), K8SMIG_EINVAL, C0 ".securityContext.seccompProfile.type");
	sc.version = 7;
	assert_fails(k8smig_container_set_security_context(d, 0, &sc), K8SMIG_EINVAL, C0 ".securityContext");
	sc.version = 0;
	assert_fails(k8smig_container_set_security_context(d, 0, &sc), K8SMIG_EINVAL, C0 ".securityContext");
	assert_fails(k8smig_pod_set_security_context(d, NULL), K8SMIG_EINVAL, POD ".securityContext");
	/* the earlier, valid context is intact */
	assert_string_equal(k8smig_object_get_str(d, C0 ".securityContext.seccompProfile.type"), "RuntimeDefault");
	k8smig_object_free(d);
}

static void test_add_container(void **state)
{
	k8smig_object *d = with_container(), *svc = NULL;
	size_t c = 0;
	(void)state;
	assert_ok(k8smig_pod_add_container(&c, d, "sidecar", "busybox@sha256:0123"));
	assert_int_equal(c, 1);
	assert_fails(k8smig_pod_add_container(&c, d, "app", "x"), K8SMIG_EEXISTS, POD ".containers[2].name");
	assert_fails(k8smig_pod_add_container(&c, d, "App", "x"), K8SMIG_EINVAL, POD ".containers[2].name");
	assert_fails(k8smig_pod_add_container(&c, d, "c", ""), K8SMIG_EINVAL, POD ".containers[2].image");
	assert_fails(k8smig_pod_add_container(&c, d, "c", "nginx 1.27"), K8SMIG_EINVAL, POD ".containers[2].image");
	assert_fails(k8smig_pod_add_container(&c, d, "c", NULL), K8SMIG_EINVAL, POD ".containers[2].image");
	assert_int_equal(k8smig_value_size(k8smig_object_get(d, POD ".containers")), 2);
	assert_sticky(d, K8SMIG_EEXISTS);
	k8smig_object_free(d);

	assert_ok(k8smig_service_new(&svc, "web", NULL, NULL));
	assert_fails(k8smig_pod_add_container(&c, svc, "app", "nginx"), K8SMIG_EKIND, "kind");
	k8smig_object_free(svc);

	/* a refused first container writes nothing: no empty pod spec is left behind */
	assert_ok(k8smig_deployment_new(&d, "web", NULL));
	assert_fails(k8smig_pod_add_container(&c, d, "App", "nginx:1"), K8SMIG_EINVAL, POD ".containers[0].name");
	assert_fails(k8smig_pod_add_container(&c, d, "app", "nginx 1"), K8SMIG_EINVAL, POD ".containers[0].image");
	assert_fails(k8smig_pod_add_volume(NULL, d, "Data", K8SMIG_VOLUME_EMPTY_DIR, NULL), K8SMIG_EINVAL, POD ".volumes[0].name");
	assert_false(k8smig_object_has(d, POD));
	/* an explicit null pod spec becomes the map the container goes in */
	assert_ok(k8smig_object_set_null(d, POD));
	assert_ok(k8smig_pod_add_container(&c, d, "app", "nginx:1"));
	assert_int_equal(c, 0);
	assert_string_equal(k8smig_object_get_str(d, POD ".containers[0].image"), "nginx:1");
	k8smig_object_free(d);
}

static void test_container_index_must_exist(void **state)
{
	k8smig_object *d = with_container();
	k8smig_probe_options p = K8SMIG_PROBE_OPTIONS_INIT;
	(void)state;
	assert_fails(k8smig_container_add_port(d, 3, "http", 80, NULL), K8SMIG_ENOTFOUND, POD ".containers[3]");
	assert_fails(k8smig_container_set_image_pull_policy(d, 1, "Always"), K8SMIG_ENOTFOUND, POD ".containers[1]");
	assert_fails(k8smig_container_set_command(d, 1, NULL, NULL), K8SMIG_ENOTFOUND, POD ".containers[1]");
	assert_fails(k8smig_container_add_env(d, 1, "A", "b"), K8SMIG_ENOTFOUND, POD ".containers[1]");
	assert_fails(k8smig_container_add_env_ref(d, 1, "A", K8SMIG_ENV_FIELD, NULL, "metadata.name"), K8SMIG_ENOTFOUND, POD ".containers[1]");
	assert_fails(k8smig_container_add_env_from(d, 1, K8SMIG_ENV_SECRET, "s", NULL), K8SMIG_ENOTFOUND, POD ".containers[1]");
	assert_fails(k8smig_container_set_resources(d, 1, "1", NULL, NULL, NULL), K8SMIG_ENOTFOUND, POD ".containers[1]");
	assert_fails(k8smig_container_set_probe(d, 1, K8SMIG_PROBE_LIVENESS, &p), K8SMIG_ENOTFOUND, POD ".containers[1]");
	assert_fails(k8smig_container_add_volume_mount(d, 1, "v", "/v", true, NULL), K8SMIG_ENOTFOUND, POD ".containers[1]");
	assert_fails(k8smig_container_set_security_context(d, 1, NULL), K8SMIG_ENOTFOUND, POD ".containers[1]");
	k8smig_object_free(d);
}

static void test_container_image_pull_policy_and_command(void **state)
{
	static const char *const cmd[] = { "python", "-m", "app", NULL }, *const args[] = { "--port", "8000", NULL };
	static const char *const none[] = { NULL };
	k8smig_object *d = with_container();
	(void)state;
	assert_ok(k8smig_container_set_image_pull_policy(d, 0, "IfNotPresent"));
	assert_fails(k8smig_container_set_image_pull_policy(d, 0, "Sometimes"), K8SMIG_EINVAL, C0 ".imagePullPolicy");
	k8smig_object_free(d);

	d = with_container();
	assert_ok(k8smig_container_set_command(d, 0, cmd, args));
	assert_string_equal(k8smig_object_get_str(d, C0 ".command[2]"), "app");
	assert_ok(k8smig_container_set_command(d, 0, NULL, none));  /* args cleared, command kept */
	assert_int_equal(k8smig_value_size(k8smig_object_get(d, C0 ".args")), 0);
	assert_int_equal(k8smig_value_size(k8smig_object_get(d, C0 ".command")), 3);
	k8smig_object_free(d);
}

static void test_container_ports(void **state)
{
	k8smig_object *d = with_container();
	(void)state;
	assert_ok(k8smig_container_add_port(d, 0, "http", 8000, "TCP"));
	assert_ok(k8smig_container_add_port(d, 0, NULL, 65535, NULL));
	assert_int_equal(k8smig_object_get_int(d, C0 ".ports[0].containerPort"), 8000);
	assert_false(k8smig_object_has(d, C0 ".ports[1].protocol"));
	assert_fails(k8smig_container_add_port(d, 0, "x", 0, NULL), K8SMIG_EINVAL, C0 ".ports[2].containerPort");
	assert_fails(k8smig_container_add_port(d, 0, "x", 65536, NULL), K8SMIG_EINVAL, C0 ".ports[2].containerPort");
	assert_fails(k8smig_container_add_port(d, 0, "HTTP", 80, NULL), K8SMIG_EINVAL, C0 ".ports[2].name");
	assert_fails(k8smig_container_add_port(d, 0, "8080", 80, NULL), K8SMIG_EINVAL, C0 ".ports[2].name");
	assert_fails(k8smig_container_add_port(d, 0, "a-very-long-name", 80, NULL), K8SMIG_EINVAL, C0 ".ports[2].name");
	assert_fails(k8smig_container_add_port(d, 0, "http", 81, NULL), K8SMIG_EEXISTS, C0 ".ports[2].name");
	assert_fails(k8smig_container_add_port(d, 0, "udp", 53, "ICMP"), K8SMIG_EINVAL, C0 ".ports[2].protocol");
	assert_int_equal(k8smig_value_size(k8smig_object_get(d, C0 ".ports")), 2);
	k8smig_object_free(d);
}

static void test_container_env(void **state)
{
	k8smig_object *d = with_container();
	(void)state;
	assert_ok(k8smig_container_add_env(d, 0, "LOG_LEVEL", "INFO"));
	assert_ok(k8smig_container_add_env(d, 0, "EMPTY", ""));
	assert_ok(k8smig_container_add_env_ref(d, 0, "URL", K8SMIG_ENV_CONFIG_MAP, "cfg", "URL"));
	assert_ok(k8smig_container_add_env_ref(d, 0, "API_KEY", K8SMIG_ENV_SECRET, "api-key", "API_KEY"));
	assert_ok(k8smig_container_add_env_ref(d, 0, "POD", K8SMIG_ENV_FIELD, NULL, "metadata.name"));
	assert_ok(k8smig_container_add_env_ref(d, 0, "CPU", K8SMIG_ENV_RESOURCE_FIELD, NULL, "limits.cpu"));
	assert_ok(k8smig_container_add_env_from(d, 0, K8SMIG_ENV_CONFIG_MAP, "cfg", NULL));
	assert_ok(k8smig_container_add_env_from(d, 0, K8SMIG_ENV_SECRET, "creds", "DB_"));
	assert_string_equal(k8smig_object_get_str(d, C0 ".env[1].value"), "");
	assert_string_equal(k8smig_object_get_str(d, C0 ".env[2].valueFrom.configMapKeyRef.name"), "cfg");
	assert_string_equal(k8smig_object_get_str(d, C0 ".env[3].valueFrom.secretKeyRef.key"), "API_KEY");
	assert_string_equal(k8smig_object_get_str(d, C0 ".env[4].valueFrom.fieldRef.fieldPath"), "metadata.name");
	assert_string_equal(k8smig_object_get_str(d, C0 ".env[5].valueFrom.resourceFieldRef.resource"), "limits.cpu");
	assert_string_equal(k8smig_object_get_str(d, C0 ".envFrom[1].secretRef.name"), "creds");
	assert_string_equal(k8smig_object_get_str(d, C0 ".envFrom[1].prefix"), "DB_");
	assert_round_trips(d);

	assert_fails(k8smig_container_add_env(d, 0, "1X", "v"), K8SMIG_EINVAL, C0 ".env[6].name");
	assert_fails(k8smig_container_add_env(d, 0, "A=B", "v"), K8SMIG_EINVAL, C0 ".env[6].name");
	/* apimachinery's IsEnvVarName also refuses "." and ".." and a leading ".." */
	assert_fails(k8smig_container_add_env(d, 0, "..", "v"), K8SMIG_EINVAL, C0 ".env[6].name");
	assert_fails(k8smig_container_add_env(d, 0, "..X", "v"), K8SMIG_EINVAL, C0 ".env[6].name");
	assert_fails(k8smig_container_add_env(d, 0, "X", NULL), K8SMIG_EINVAL, C0 ".env[6].value");
	assert_fails(k8smig_container_add_env(d, 0, "X", "\xff"), K8SMIG_EINVAL, C0 ".env[6].value");
	assert_fails(k8smig_container_add_env_ref(d, 0, "", K8SMIG_ENV_SECRET, "s", "k"), K8SMIG_EINVAL, C0 ".env[6].name");
	assert_fails(k8smig_container_add_env_ref(d, 0, "X", K8SMIG_ENV_CONFIG_MAP, "Cfg", "k"), K8SMIG_EINVAL,
	             C0 ".env[6].valueFrom.configMapKeyRef.name");
	assert_fails(k8smig_container_add_env_ref(d, 0, "X", K8SMIG_ENV_CONFIG_MAP, "cfg", "a b"), K8SMIG_EINVAL,
	             C0 ".env[6].valueFrom.configMapKeyRef.key");
	assert_fails(k8smig_container_add_env_ref(d, 0, "X", K8SMIG_ENV_SECRET, "s", NULL), K8SMIG_EINVAL,
	             C0 ".env[6].valueFrom.secretKeyRef.key");
	assert_fails(k8smig_container_add_env_ref(d, 0, "X", K8SMIG_ENV_FIELD, "pod", "metadata.name"), K8SMIG_EINVAL,
	             C0 ".env[6].valueFrom.fieldRef");
	assert_fails(k8smig_container_add_env_ref(d, 0, "X", K8SMIG_ENV_FIELD, NULL, ""), K8SMIG_EINVAL,
	             C0 ".env[6].valueFrom.fieldRef.fieldPath");
	assert_fails(k8smig_container_add_env_ref(d, 0, "X", K8SMIG_ENV_RESOURCE_FIELD, NULL, "limits.gpu"), K8SMIG_EINVAL,
	             C0 ".env[6].valueFrom.resourceFieldRef.resource");
	assert_fails(k8smig_container_add_env_ref(d, 0, "X", K8SMIG_ENV_RESOURCE_FIELD, "App", "limits.cpu"), K8SMIG_EINVAL,
	             C0 ".env[6].valueFrom.resourceFieldRef.containerName");
	assert_fails(k8smig_container_add_env_ref(d, 0, "X", (k8smig_env_source)9, "a", "b"), K8SMIG_EINVAL, C0 ".env[6].valueFrom");
	assert_fails(k8smig_container_add_env_from(d, 0, K8SMIG_ENV_FIELD, "x", NULL), K8SMIG_EINVAL, C0 ".envFrom[2]");
	assert_fails(k8smig_container_add_env_from(d, 0, K8SMIG_ENV_CONFIG_MAP, "", NULL), K8SMIG_EINVAL, C0 ".envFrom[2].configMapRef.name");
	assert_fails(k8smig_container_add_env_from(d, 0, K8SMIG_ENV_SECRET, "Bad", NULL), K8SMIG_EINVAL, C0 ".envFrom[2].secretRef.name");
	assert_fails(k8smig_container_add_env_from(d, 0, K8SMIG_ENV_SECRET, "s", "1_"), K8SMIG_EINVAL, C0 ".envFrom[2].prefix");
	assert_int_equal(k8smig_value_size(k8smig_object_get(d, C0 ".env")), 6);
	k8smig_object_free(d);
}

static void test_container_resources_are_canonical(void **state)
{
	k8smig_object *d = with_container();
	(void)state;
	assert_ok(k8smig_container_set_resources(d, 0, "0.5", "1024Mi", "1000m", "1.5Gi"));
	assert_string_equal(k8smig_object_get_str(d, C0 ".resources.requests.cpu"), "500m");
	assert_string_equal(k8smig_object_get_str(d, C0 ".resources.requests.memory"), "1Gi");
	assert_string_equal(k8smig_object_get_str(d, C0 ".resources.limits.cpu"), "1");
	assert_string_equal(k8smig_object_get_str(d, C0 ".resources.limits.memory"), "1536Mi");
	assert_string_equal(first_key(d, C0 ".resources"), "limits");
	/* replacing drops what is not given again */
	assert_ok(k8smig_container_set_resources(d, 0, "250m", NULL, NULL, NULL));
	assert_false(k8smig_object_has(d, C0 ".resources.limits"));
	assert_ok(k8smig_container_set_resources(d, 0, NULL, NULL, NULL, NULL));
	assert_int_equal(k8smig_value_type(k8smig_object_get(d, C0 ".resources")), K8SMIG_TYPE_MAP);
	assert_ok(k8smig_container_set_resources(d, 0, "1", "1Gi", "1", "1Gi")); /* equal is fine */

	assert_fails(k8smig_container_set_resources(d, 0, "1 core", NULL, NULL, NULL), K8SMIG_EINVAL, C0 ".resources.requests.cpu");
	assert_fails(k8smig_container_set_resources(d, 0, NULL, "512MB", NULL, NULL), K8SMIG_EINVAL, C0 ".resources.requests.memory");
	assert_fails(k8smig_container_set_resources(d, 0, NULL, NULL, "", NULL), K8SMIG_EINVAL, C0 ".resources.limits.cpu");
	assert_fails(k8smig_container_set_resources(d, 0, NULL, NULL, NULL, "-1Gi"), K8SMIG_EINVAL, C0 ".resources.limits.memory");
	assert_fails(k8smig_container_set_resources(d, 0, "2", NULL, "1", NULL), K8SMIG_EINVAL, C0 ".resources.requests.cpu");
	assert_fails(k8smig_container_set_resources(d, 0, NULL, "2Gi", NULL, "1Gi"), K8SMIG_EINVAL, C0 ".resources.requests.memory");
	/* the valid resources stay */
	assert_string_equal(k8smig_object_get_str(d, C0 ".resources.limits.memory"), "1Gi");
	k8smig_object_free(d);
}

static void test_probe_timings_only_when_set(void **state)
{
	k8smig_probe_options p = K8SMIG_PROBE_OPTIONS_INIT, init;
	k8smig_object *d = with_container();
	(void)state;
	assert_ok(k8smig_probe_options_init(&init, K8SMIG_PROBE_OPTIONS_VERSION));
	assert_int_equal(init.handler, K8SMIG_PROBE_HTTP_GET);
	assert_int_equal(init.initial_delay_seconds, 0);
	assert_int_equal(init.termination_grace_period_seconds, 0);
	assert_int_equal(init.port, 0);
	assert_fails(k8smig_probe_options_init(&init, 2), K8SMIG_EINVAL, "version");

	p.path = "/health";
	p.port = 8000;
	p.scheme = "HTTPS";
	p.has_initial_delay_seconds = true; /* 0, explicitly */
	p.period_seconds = 30;
	p.timeout_seconds = 10;
	p.success_threshold = 1;
	p.failure_threshold = 3;
	p.termination_grace_period_seconds = 5;
	assert_ok(k8smig_container_set_probe(d, 0, K8SMIG_PROBE_LIVENESS, &p));
	assert_string_equal(k8smig_object_get_str(d, C0 ".livenessProbe.httpGet.path"), "/health");
	assert_int_equal(k8smig_object_get_int(d, C0 ".livenessProbe.httpGet.port"), 8000);
	assert_true(k8smig_object_has(d, C0 ".livenessProbe.initialDelaySeconds"));
	assert_int_equal(k8smig_object_get_int(d, C0 ".livenessProbe.initialDelaySeconds"), 0);
	assert_int_equal(k8smig_object_get_int(d, C0 ".livenessProbe.terminationGracePeriodSeconds"), 5);
	assert_round_trips(d);

	p = (k8smig_probe_options)K8SMIG_PROBE_OPTIONS_INIT;
	p.handler = K8SMIG_PROBE_TCP_SOCKET;
	p.port_name = "http";
	p.success_threshold = 2;
	assert_ok(k8smig_container_set_probe(d, 0, K8SMIG_PROBE_READINESS, &p));
	assert_string_equal(k8smig_object_get_str(d, C0 ".readinessProbe.tcpSocket.port"), "http");
	assert_int_equal(k8smig_value_size(k8smig_object_get(d, C0 ".readinessProbe")), 2);
	assert_false(k8smig_object_has(d, C0 ".readinessProbe.periodSeconds"));

	/* setting a probe replaces it */
	p = (k8smig_probe_options)K8SMIG_PROBE_OPTIONS_INIT;
	p.handler = K8SMIG_PROBE_EXEC;
	p.command = (const char *const[]){ "true", NULL };
	assert_ok(k8smig_container_set_probe(d, 0, K8SMIG_PROBE_LIVENESS, &p));
	assert_false(k8smig_object_has(d, C0 ".livenessProbe.httpGet"));
	assert_false(k8smig_object_has(d, C0 ".livenessProbe.periodSeconds"));
	assert_string_equal(k8smig_object_get_str(d, C0 ".livenessProbe.exec.command[0]"), "true");

	p = (k8smig_probe_options)K8SMIG_PROBE_OPTIONS_INIT;
	p.handler = K8SMIG_PROBE_GRPC;
	p.port = 9090;
	assert_ok(k8smig_container_set_probe(d, 0, K8SMIG_PROBE_STARTUP, &p));
	assert_int_equal(k8smig_object_get_int(d, C0 ".startupProbe.grpc.port"), 9090);
	k8smig_object_free(d);
}

static void test_probe_errors(void **state)
{
	k8smig_object *d = with_container();
	k8smig_probe_options p;
	(void)state;
#define PROBE(kind, setup) (p = (k8smig_probe_options)K8SMIG_PROBE_OPTIONS_INIT, p.port = 80, setup, \
	                    k8smig_container_set_probe(d, 0, kind, &p))
#define L K8SMIG_PROBE_LIVENESS
#define R K8SMIG_PROBE_READINESS
	assert_fails(PROBE(L, p.version = 9), K8SMIG_EINVAL, C0 ".livenessProbe");
	assert_fails(k8smig_container_set_probe(d, 0, R, NULL), K8SMIG_EINVAL, C0 ".readinessProbe");
	assert_fails(PROBE((k8smig_probe_kind)5, (void)0), K8SMIG_EINVAL, C0);
	assert_fails(PROBE(L, p.handler = (k8smig_probe_handler)9), K8SMIG_EINVAL, C0 ".livenessProbe");
	assert_fails(PROBE(L, p.path = "health"), K8SMIG_EINVAL, C0 ".livenessProbe.httpGet.path");
	assert_fails(PROBE(L, p.scheme = "FTP"), K8SMIG_EINVAL, C0 ".livenessProbe.httpGet.scheme");
	assert_fails(PROBE(L, p.port = 0), K8SMIG_EINVAL, C0 ".livenessProbe.httpGet.port");
	assert_fails(PROBE(L, p.port_name = "http"), K8SMIG_EINVAL, C0 ".livenessProbe.httpGet.port");
	assert_fails(PROBE(L, (p.port = 0, p.port_name = "HTTP")), K8SMIG_EINVAL, C0 ".livenessProbe.httpGet.port");
	assert_fails(PROBE(L, (p.handler = K8SMIG_PROBE_TCP_SOCKET, p.port = 70000)), K8SMIG_EINVAL, C0 ".livenessProbe.tcpSocket.port");
	assert_fails(PROBE(L, p.handler = K8SMIG_PROBE_EXEC), K8SMIG_EINVAL, C0 ".livenessProbe.exec.command");
	assert_fails(PROBE(L, (p.handler = K8SMIG_PROBE_GRPC, p.port = 0, p.port_name = "grpc")), K8SMIG_EINVAL, C0 ".livenessProbe.grpc.port");
	assert_fails(PROBE(L, p.initial_delay_seconds = -2), K8SMIG_EINVAL, C0 ".livenessProbe.initialDelaySeconds");
	assert_fails(PROBE(L, p.period_seconds = -3), K8SMIG_EINVAL, C0 ".livenessProbe.periodSeconds");
	assert_fails(PROBE(R, p.timeout_seconds = -2), K8SMIG_EINVAL, C0 ".readinessProbe.timeoutSeconds");
	assert_fails(PROBE(L, p.success_threshold = 2), K8SMIG_EINVAL, C0 ".livenessProbe.successThreshold");
	assert_fails(PROBE(K8SMIG_PROBE_STARTUP, p.success_threshold = 3), K8SMIG_EINVAL, C0 ".startupProbe.successThreshold");
	assert_fails(PROBE(R, p.success_threshold = -2), K8SMIG_EINVAL, C0 ".readinessProbe.successThreshold");
	assert_fails(PROBE(R, p.failure_threshold = -2), K8SMIG_EINVAL, C0 ".readinessProbe.failureThreshold");
	assert_fails(PROBE(R, p.termination_grace_period_seconds = 10), K8SMIG_EINVAL, C0 ".readinessProbe.terminationGracePeriodSeconds");
	assert_fails(PROBE(L, p.termination_grace_period_seconds = -2), K8SMIG_EINVAL, C0 ".livenessProbe.terminationGracePeriodSeconds");
#undef PROBE
#undef L
#undef R
	assert_false(k8smig_object_has(d, C0 ".livenessProbe"));
	assert_false(k8smig_object_has(d, C0 ".readinessProbe"));
	k8smig_object_free(d);
}

static void test_volume_mounts(void **state)
{
	k8smig_object *d = with_container();
	(void)state;
	assert_ok(k8smig_container_add_volume_mount(d, 0, "input", "/app/input", true, NULL));
	assert_ok(k8smig_container_add_volume_mount(d, 0, "output", "/app/output", false, "run/..x"));
	assert_true(k8smig_object_get_bool(d, C0 ".volumeMounts[0].readOnly"));
	assert_true(k8smig_object_has(d, C0 ".volumeMounts[1].readOnly"));
	assert_false(k8smig_object_get_bool(d, C0 ".volumeMounts[1].readOnly"));
	assert_string_equal(k8smig_object_get_str(d, C0 ".volumeMounts[1].subPath"), "run/..x");
	assert_round_trips(d);

	assert_fails(k8smig_container_add_volume_mount(d, 0, "In", "/x", true, NULL), K8SMIG_EINVAL, C0 ".volumeMounts[2].name");
	assert_fails(k8smig_container_add_volume_mount(d, 0, "in", "x", true, NULL), K8SMIG_EINVAL, C0 ".volumeMounts[2].mountPath");
	assert_fails(k8smig_container_add_volume_mount(d, 0, "in", "/a:b", true, NULL), K8SMIG_EINVAL, C0 ".volumeMounts[2].mountPath");
	assert_fails(k8smig_container_add_volume_mount(d, 0, "in", "/app/input", true, NULL), K8SMIG_EEXISTS, C0 ".volumeMounts[2].mountPath");
	assert_fails(k8smig_container_add_volume_mount(d, 0, "in", "/y", true, "/abs"), K8SMIG_EINVAL, C0 ".volumeMounts[2].subPath");
	assert_fails(k8smig_container_add_volume_mount(d, 0, "in", "/y", true, "a/../b"), K8SMIG_EINVAL, C0 ".volumeMounts[2].subPath");
	assert_fails(k8smig_container_add_volume_mount(d, 0, "in", "/y", true, ".."), K8SMIG_EINVAL, C0 ".volumeMounts[2].subPath");
	assert_int_equal(k8smig_value_size(k8smig_object_get(d, C0 ".volumeMounts")), 2);
	k8smig_object_free(d);
}

static void test_daemon_set_and_pod_containers(void **state)
{
	k8smig_object *ds = NULL, *p = NULL;
	size_t c;
	(void)state;
	assert_ok(k8smig_daemon_set_new(&ds, "agent", "ops"));
	assert_ok(k8smig_pod_add_container(&c, ds, "agent", "agent:1"));
	assert_ok(k8smig_container_set_resources(ds, c, "100m", "200Mi", NULL, "200Mi"));
	assert_string_equal(k8smig_object_get_str(ds, C0 ".resources.requests.memory"), "200Mi");
	k8smig_object_free(ds);
	assert_ok(k8smig_pod_new(&p, "check", NULL));
	assert_ok(k8smig_pod_add_container(&c, p, "check", "busybox"));
	assert_ok(k8smig_container_add_port(p, c, NULL, 80, NULL));
	assert_int_equal(k8smig_object_get_int(p, "spec.containers[0].ports[0].containerPort"), 80);
	assert_fails(k8smig_container_add_port(p, c, NULL, 0, NULL), K8SMIG_EINVAL, "spec.containers[0].ports[1].containerPort");
	k8smig_object_free(p);
	/* the kinds whose pod template is not under spec.template.spec alone */
	assert_ok(k8smig_object_new(&p, "v1", "PodTemplate"));
	assert_ok(k8smig_pod_add_container(&c, p, "main", "busybox"));
	assert_string_equal(k8smig_object_get_str(p, "template.spec.containers[0].image"), "busybox");
	k8smig_object_free(p);
	assert_ok(k8smig_object_new(&p, "v1", "ReplicationController"));
	assert_ok(k8smig_pod_set_template_label(p, "app", "legacy"));
	assert_string_equal(k8smig_object_get_str(p, "spec.template.metadata.labels.app"), "legacy");
	k8smig_object_free(p);
	assert_ok(k8smig_object_new(&p, "v1", "Service"));
	assert_fails(k8smig_pod_add_container(&c, p, "main", "busybox"), K8SMIG_EKIND, "kind");
	k8smig_object_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_deployment_new_selects_its_pods, teardown_error),
		cmocka_unit_test_teardown(test_workload_new_rejects_bad_names, teardown_error),
		cmocka_unit_test_teardown(test_deployment_replicas_zero_survives_and_orders_first, teardown_error),
		cmocka_unit_test_teardown(test_deployment_replicas_needs_a_deployment, teardown_error),
		cmocka_unit_test_teardown(test_builders_see_a_changed_kind, teardown_error),
		cmocka_unit_test_teardown(test_container_builders_see_a_changed_kind, teardown_error),
		cmocka_unit_test_teardown(test_update_strategy, teardown_error),
		cmocka_unit_test_teardown(test_selector_set, teardown_error),
		cmocka_unit_test_teardown(test_pdb_new, teardown_error),
		cmocka_unit_test_teardown(test_pod_level_setters, teardown_error),
		cmocka_unit_test_teardown(test_tolerations, teardown_error),
		cmocka_unit_test_teardown(test_pod_volumes, teardown_error),
		cmocka_unit_test_teardown(test_security_contexts, teardown_error),
		cmocka_unit_test_teardown(test_add_container, teardown_error),
		cmocka_unit_test_teardown(test_container_index_must_exist, teardown_error),
		cmocka_unit_test_teardown(test_container_image_pull_policy_and_command, teardown_error),
		cmocka_unit_test_teardown(test_container_ports, teardown_error),
		cmocka_unit_test_teardown(test_container_env, teardown_error),
		cmocka_unit_test_teardown(test_container_resources_are_canonical, teardown_error),
		cmocka_unit_test_teardown(test_probe_timings_only_when_set, teardown_error),
		cmocka_unit_test_teardown(test_probe_errors, teardown_error),
		cmocka_unit_test_teardown(test_volume_mounts, teardown_error),
		cmocka_unit_test_teardown(test_daemon_set_and_pod_containers, teardown_error),
	};
	return cmocka_run_group_tests_name("builders_workloads", tests, NULL, NULL);
}
