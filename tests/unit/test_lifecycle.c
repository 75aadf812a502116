/*
 * tests/unit/test_lifecycle.c - kstatus readiness of live objects (no
 * cluster), the applyset id, options versions and argument errors of
 * lifecycle.h. The calls against a real cluster are in tests/lifecycle and
 * tests/client.
 */
#include <stdlib.h>

#include "helpers.h"

static k8smig_object *parse(const char *yaml)
{
	k8smig_object_list *l;
	k8smig_object *o;
	if (k8smig_parse(&l, yaml, strlen(yaml), NULL) < 0)
		fail_msg("parse: %s", k8smig_error_last()->message);
	assert_ok(k8smig_object_dup(&o, k8smig_object_list_get(l, 0)));
	k8smig_object_list_free(l);
	return o;
}

static void expect(const char *yaml, k8smig_readiness want, const char *reason)
{
	k8smig_object *o = parse(yaml);
	k8smig_readiness st;
	char *why = NULL;
	assert_ok(k8smig_object_readiness(&st, &why, o));
	if (st != want)
		fail_msg("%s: got %s (%s), want %s", yaml, k8smig_readiness_name(st), why, k8smig_readiness_name(want));
	assert_string_equal(why, reason);
	free(why);
	k8smig_object_free(o);
}

#define DEPLOY "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, generation: 2}\nspec: {replicas: 3}\n"

static void test_deployment(void **state)
{
	(void)state;
	expect(DEPLOY, K8SMIG_READY_IN_PROGRESS, "not yet observed by the deployment controller");
	expect(DEPLOY "status: {observedGeneration: 1, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3}\n",
	       K8SMIG_READY_IN_PROGRESS, "the controller has not observed generation 2 yet (at 1)");
	expect(DEPLOY "status: {observedGeneration: 2, replicas: 3, updatedReplicas: 1, readyReplicas: 3, availableReplicas: 3}\n",
	       K8SMIG_READY_IN_PROGRESS, "1 of 3 replicas updated");
	expect(DEPLOY "status: {observedGeneration: 2, replicas: 4, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3}\n",
	       K8SMIG_READY_IN_PROGRESS, "1 old replicas pending termination");
	expect(DEPLOY "status: {observedGeneration: 2, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 2}\n",
	       K8SMIG_READY_IN_PROGRESS, "2 of 3 updated replicas available");
	expect(DEPLOY "status: {observedGeneration: 2, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3}\n",
	       K8SMIG_READY_CURRENT, "");
	expect(DEPLOY "status:\n  observedGeneration: 2\n  conditions:\n  - {type: Progressing, status: 'False', reason: ProgressDeadlineExceeded,"
	              " message: 'ReplicaSet \"web-1\" has timed out progressing.'}\n",
	       K8SMIG_READY_FAILED, "progress deadline exceeded: ReplicaSet \"web-1\" has timed out progressing.");
	/* replicas default to 1 */
	expect("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: w, generation: 1}\nspec: {}\n"
	       "status: {observedGeneration: 1, replicas: 1, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1}\n",
	       K8SMIG_READY_CURRENT, "");
	expect("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: w, deletionTimestamp: '2026-01-01T00:00:00Z'}\n",
	       K8SMIG_READY_TERMINATING, "being deleted");
}

static void test_statefulset_daemonset(void **state)
{
	(void)state;
	expect("apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db, generation: 1}\nspec: {replicas: 2}\n"
	       "status: {observedGeneration: 1, readyReplicas: 1, updatedReplicas: 2, currentRevision: a, updateRevision: a}\n",
	       K8SMIG_READY_IN_PROGRESS, "1 of 2 replicas ready");
	expect("apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db, generation: 1}\nspec: {replicas: 2}\n"
	       "status: {observedGeneration: 1, readyReplicas: 2, updatedReplicas: 2, currentRevision: a, updateRevision: b}\n",
	       K8SMIG_READY_IN_PROGRESS, "rolling update to revision b in progress");
	expect("apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db, generation: 1}\nspec: {replicas: 2}\n"
	       "status: {observedGeneration: 1, readyReplicas: 2, updatedReplicas: 2, currentRevision: b, updateRevision: b}\n",
	       K8SMIG_READY_CURRENT, "");
	expect("apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db, generation: 1}\nspec: {replicas: 2, updateStrategy: {type: OnDelete}}\n"
	       "status: {observedGeneration: 1, readyReplicas: 2}\n",
	       K8SMIG_READY_CURRENT, "");
	expect("apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: a, generation: 1}\n"
	       "status: {observedGeneration: 1, desiredNumberScheduled: 2, updatedNumberScheduled: 2, numberAvailable: 1, numberReady: 2}\n",
	       K8SMIG_READY_IN_PROGRESS, "1 of 2 pods available");
	expect("apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: a, generation: 1}\n"
	       "status: {observedGeneration: 1, desiredNumberScheduled: 2, updatedNumberScheduled: 2, numberAvailable: 2, numberReady: 2}\n",
	       K8SMIG_READY_CURRENT, "");
	expect("apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: a, generation: 1}\n", K8SMIG_READY_IN_PROGRESS,
	       "not yet observed by the daemonset controller");
}

static void test_other_builtins(void **state)
{
	(void)state;
	expect("apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data}\nstatus: {phase: Pending}\n",
	       K8SMIG_READY_IN_PROGRESS, "claim not bound (phase Pending)");
	expect("apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data}\nstatus: {phase: Bound}\n", K8SMIG_READY_CURRENT, "");
	expect("apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: x.example.com}\n"
	       "status: {conditions: [{type: NamesAccepted, status: 'True'}, {type: Established, status: 'True'}]}\n",
	       K8SMIG_READY_CURRENT, "");
	expect("apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: x.example.com}\n"
	       "status: {conditions: [{type: NamesAccepted, status: 'False', message: 'plural taken'}]}\n",
	       K8SMIG_READY_FAILED, "names not accepted: plural taken");
	expect("apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec: {completions: 3}\nstatus: {succeeded: 1}\n",
	       K8SMIG_READY_IN_PROGRESS, "1 of 3 completions");
	expect("apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nstatus: {conditions: [{type: Complete, status: 'True'}]}\n",
	       K8SMIG_READY_CURRENT, "");
	expect("apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nstatus: {conditions: [{type: Failed, status: 'True', reason: BackoffLimitExceeded, message: too many}]}\n",
	       K8SMIG_READY_FAILED, "job failed: BackoffLimitExceeded: too many");
	expect("apiVersion: v1\nkind: Namespace\nmetadata: {name: n}\nstatus: {phase: Active}\n", K8SMIG_READY_CURRENT, "");
	expect("apiVersion: v1\nkind: Namespace\nmetadata: {name: n}\nstatus: {phase: Terminating}\n", K8SMIG_READY_TERMINATING,
	       "namespace phase Terminating");
	expect("apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {type: LoadBalancer}\n", K8SMIG_READY_IN_PROGRESS,
	       "load balancer has no ingress address yet");
	expect("apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {type: ClusterIP}\n", K8SMIG_READY_CURRENT, "");
	expect("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nstatus:\n  phase: Pending\n  containerStatuses:\n"
	       "  - {name: c, state: {waiting: {reason: ImagePullBackOff}}}\n",
	       K8SMIG_READY_IN_PROGRESS, "container c waiting: ImagePullBackOff");
	expect("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nstatus: {phase: Succeeded}\n", K8SMIG_READY_CURRENT, "");
	expect("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n", K8SMIG_READY_CURRENT, "");
}

static void test_custom_resources(void **state)
{
	(void)state;
	/* no status yet: current (kstatus), as nothing says otherwise */
	expect("apiVersion: external-secrets.io/v1\nkind: ExternalSecret\nmetadata: {name: e}\n", K8SMIG_READY_CURRENT, "");
	expect("apiVersion: external-secrets.io/v1\nkind: ExternalSecret\nmetadata: {name: e}\n"
	       "status: {conditions: [{type: Ready, status: 'False', reason: SecretSyncedError, message: denied}]}\n",
	       K8SMIG_READY_IN_PROGRESS, "Ready=False: SecretSyncedError: denied");
	expect("apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata: {name: c, generation: 2}\n"
	       "status: {observedGeneration: 1, conditions: [{type: Ready, status: 'True'}]}\n",
	       K8SMIG_READY_IN_PROGRESS, "the controller has not observed generation 2 yet (at 1)");
	expect("apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata: {name: c, generation: 2}\n"
	       "status: {observedGeneration: 2, conditions: [{type: Ready, status: 'True'}]}\n", K8SMIG_READY_CURRENT, "");
	expect("apiVersion: example.com/v1\nkind: Thing\nmetadata: {name: t}\n"
	       "status: {conditions: [{type: Stalled, status: 'True', reason: Invalid, message: bad spec}]}\n",
	       K8SMIG_READY_FAILED, "stalled: Invalid: bad spec");
	expect("apiVersion: example.com/v1\nkind: Thing\nmetadata: {name: t}\n"
	       "status: {conditions: [{type: Reconciling, status: 'True', reason: Progressing, message: working}]}\n",
	       K8SMIG_READY_IN_PROGRESS, "reconciling: Progressing: working");
}

static void test_applyset_id_and_arguments(void **state)
{
	char *id = NULL;
	k8smig_wait_options wo;
	k8smig_rollout_options ro;
	k8smig_diff_options dopt;
	k8smig_readiness st;
	char *why = NULL;
	(void)state;
	/* kubectl's id for Secret "myset" in "asprobe" (read back from a parent kubectl wrote) */
	assert_ok(k8smig_applyset_id(&id, "myset", "asprobe"));
	assert_string_equal(id, "applyset-jA9qg7LTxPfAbng1dm-jXc8eqn7twtQTg50J-FmX5R0-v1");
	free(id);
	id = (char *)"untouched";
	assert_fails(k8smig_applyset_id(&id, "", "ns"), K8SMIG_EINVAL, "applyset");
	assert_fails(k8smig_applyset_id(&id, "configmaps/", "ns"), K8SMIG_EINVAL, "applyset");
	assert_fails(k8smig_applyset_id(&id, "deployments/x", "ns"), K8SMIG_EINVAL, "applyset");
	assert_null(id);
	assert_null(id);
	assert_fails(k8smig_wait_options_init(&wo, 99), K8SMIG_EINVAL, "version");
	assert_fails(k8smig_rollout_options_init(&ro, 0), K8SMIG_EINVAL, "version");
	assert_fails(k8smig_diff_options_init(&dopt, 3), K8SMIG_EINVAL, "version");
	/* version 2 holds the apply options by pointer: NULL by default */
	assert_ok(k8smig_diff_options_init(&dopt, K8SMIG_DIFF_OPTIONS_VERSION));
	assert_null(dopt.apply);
	assert_ok(k8smig_rollout_options_init(&ro, K8SMIG_ROLLOUT_OPTIONS_VERSION));
	assert_null(ro.apply);
	assert_ok(k8smig_wait_options_init(&wo, K8SMIG_WAIT_OPTIONS_VERSION));
	assert_int_equal(wo.timeout_ms, 0);
	assert_fails(k8smig_object_readiness(&st, &why, NULL), K8SMIG_EINVAL, "");
	assert_null(why);
	assert_string_equal(k8smig_readiness_name(K8SMIG_READY_NOT_FOUND), "not-found");
	/* NULL-tolerant frees and accessors */
	k8smig_wait_results_free(NULL);
	k8smig_diff_free(NULL);
	k8smig_rollout_free(NULL);
	k8smig_history_free(NULL);
	assert_int_equal(k8smig_diff_size(NULL), 0);
	assert_null(k8smig_rollout_applied(NULL));
	assert_int_equal(k8smig_history_size(NULL), 0);
	assert_fails(k8smig_client_impersonate(NULL, "x", NULL, NULL), K8SMIG_EINVAL, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_deployment, teardown_error),
		cmocka_unit_test_teardown(test_statefulset_daemonset, teardown_error),
		cmocka_unit_test_teardown(test_other_builtins, teardown_error),
		cmocka_unit_test_teardown(test_custom_resources, teardown_error),
		cmocka_unit_test_teardown(test_applyset_id_and_arguments, teardown_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
