/* tests/unit/test_migrate.c - the migration spec, the planner and the tree writer (lib/migrate/). */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"
#include "migrate/migrate.h"
#include "model/list.h"
#include "migrate/spec_reader.h"

static const char minimal[] =
	"name: shop\n"
	"aws: {accountId: \"111122223333\", oidcProvider: oidc.eks.eu-west-1.amazonaws.com/id/ABC}\n"
	"environments:\n"
	"  prod: {}\n"
	"services:\n"
	"  - name: web\n"
	"    image: shop-web\n"
	"ci: {repository: acme/shop}\n";

/* Load text and expect an ESCHEMA error at path and line. */
static void assert_spec_error(const char *text, const char *path, int line)
{
	k8smig_spec *spec = (k8smig_spec *)1;
	assert_fails(k8smig_spec_load(&spec, text, strlen(text), "bad.yaml"), K8SMIG_ESCHEMA, path);
	assert_null(spec);
	assert_string_equal(k8smig_error_last()->file, "bad.yaml");
	assert_int_equal(k8smig_error_last()->line, line);
}

/* String fields have a documented limit (MIG_MAX_STRING), so nothing composed from them is cut. */
static void test_spec_rejects_a_string_over_the_limit(void **state)
{
	char text[1024], name[MIG_MAX_STRING + 2];
	k8smig_spec *spec = NULL;
	(void)state;

	memset(name, 'a', sizeof(name) - 1);
	name[MIG_MAX_STRING] = '\0'; /* at the limit: accepted */
	snprintf(text, sizeof(text),
	         "name: shop\n"
	         "aws: {accountId: \"111122223333\", oidcProvider: oidc.eks.eu-west-1.amazonaws.com/id/ABC, eksCluster: %s}\n"
	         "environments: {prod: {}}\n"
	         "services: [{name: web, image: shop-web}]\n"
	         "ci: {repository: acme/shop}\n", name);
	assert_ok(k8smig_spec_load(&spec, text, strlen(text), "ok.yaml"));
	k8smig_spec_free(spec);
	name[MIG_MAX_STRING] = 'a'; /* one more */
	name[MIG_MAX_STRING + 1] = '\0';
	snprintf(text, sizeof(text),
	         "name: shop\n"
	         "aws: {accountId: \"111122223333\", oidcProvider: oidc.eks.eu-west-1.amazonaws.com/id/ABC, eksCluster: %s}\n"
	         "environments: {prod: {}}\n"
	         "services: [{name: web, image: shop-web}]\n"
	         "ci: {repository: acme/shop}\n", name);
	assert_spec_error(text, "aws.eksCluster", 2);
	assert_non_null(strstr(k8smig_error_last()->message, "at most 256 characters"));
}

static void test_spec_default_matches_the_plan(void **state)
{
	k8smig_spec *spec = NULL;
	const mig_service *o, *a;
	(void)state;

	assert_ok(k8smig_spec_load_default(&spec));
	assert_string_equal(k8smig_spec_name(spec), "layering-detection");
	assert_int_equal(k8smig_spec_environment_count(spec), 3);
	assert_string_equal(k8smig_spec_environment_namespace(spec, 2), "layering-detection-prod");
	assert_null(k8smig_spec_environment_name(spec, 3));
	assert_int_equal(spec->n_services, 4);
	o = &spec->services[0];
	a = &spec->services[3];
	assert_string_equal(o->cpu, "500m");
	assert_string_equal(o->memory, "1Gi");
	assert_int_equal(o->port, 8000);
	assert_int_equal(o->max, 5);
	assert_int_equal(o->liveness.period, 30);
	assert_int_equal(o->liveness.timeout, 10);
	assert_int_equal(o->liveness.initial_delay, 5);
	assert_int_equal(o->readiness.period, 10);
	assert_int_equal(o->scale_down_window, 300);
	assert_int_equal(o->scale_up_window, 60);
	assert_string_equal(a->memory, "512Mi");
	assert_int_equal(a->n_secrets, 2);
	assert_string_equal(a->secrets[1].secret_name, "pseudonymization-salt");
	assert_string_equal(spec->envs[0].log_group_prefix, "/eks/layering-detection/dev");
	assert_string_equal(spec->envs[2].log_group_prefix, "/eks/layering-detection/prod");
	assert_int_equal(spec->retention_days, 7);
	assert_int_equal(spec->envs[1].retention_days, 7);
	/* each environment its own entry; prod keeps the one the ECS tasks read */
	assert_string_equal(k8smig__secret_key(spec, &a->secrets[1], &spec->envs[0]),
	                    "layering-detection/dev/pseudonymization-salt");
	assert_string_equal(k8smig__secret_key(spec, &a->secrets[1], &spec->envs[2]),
	                    "layering-detection/pseudonymization-salt");
	assert_string_equal(spec->monitoring_ns, "layering-detection-monitoring");
	assert_false(spec->prometheus_rules);
	assert_string_equal(spec->v_load_balancer_controller, "3.5.0");
	assert_int_equal(spec->alarm_memory, 85);
	k8smig_spec_free(spec);
}

static void test_spec_defaults_fill_everything(void **state)
{
	k8smig_spec *spec = NULL;
	const mig_service *s;
	(void)state;

	assert_ok(k8smig_spec_load(&spec, minimal, sizeof(minimal) - 1, "shop.yaml"));
	s = &spec->services[0];
	assert_string_equal(spec->region, "us-east-1");
	assert_string_equal(spec->cluster, "shop");
	assert_string_equal(spec->ecr_registry, "111122223333.dkr.ecr.us-east-1.amazonaws.com");
	assert_string_equal(spec->envs[0].ns, "shop-prod");
	assert_int_equal(s->port, 8080);
	assert_string_equal(s->cpu, "250m");
	assert_string_equal(s->memory, "512Mi");
	assert_int_equal(s->min, 1);
	assert_int_equal(s->max, 1);
	assert_int_equal(s->cpu_percent, 70);
	assert_string_equal(s->health_path, "/health");
	assert_int_equal(spec->n_volumes, 0);
	assert_string_equal(spec->branches[0].branch, "main");
	assert_string_equal(spec->branches[0].environment, "prod");
	/* rollout and HA defaults: not routed, so the grace period covers the 10 s sleep + 20 s, at least 30 */
	assert_int_equal(s->pre_stop, 10);
	assert_int_equal(s->grace, 30);
	assert_false(s->worker);
	assert_true(s->pdb);
	assert_int_equal(s->pdb_max_unavailable, 1);
	assert_true(s->spread);
	assert_string_equal(s->spread_key, "topology.kubernetes.io/zone");
	assert_false(s->spread_hard);
	assert_int_equal(s->startup_seconds, 0);
	assert_null(s->health_exec);
	assert_null(s->command);
	assert_int_equal(s->n_sidecars + s->n_inits, 0);
	assert_false(s->sec.privileged);
	assert_false(s->sec.allow_escalation);
	assert_string_equal(s->sec.cap_drop[0], "ALL");
	assert_null(s->sec.cap_drop[1]);
	assert_int_equal(spec->deregistration_delay, 30);
	assert_true(spec->readiness_gate);
	assert_int_equal(spec->envs[0].replica_floor, 2); /* named prod */
	k8smig_spec_free(spec);
}

static void test_spec_rollout_rules(void **state)
{
	static const char head[] = "name: shop\naws: {accountId: \"111122223333\", oidcProvider: o/x}\n"
	                           "ci: {repository: a/b}\nenvironments: {dev: {}, stage: {}}\n";
	k8smig_spec *spec = NULL;
	char text[1024];
	(void)state;

	/* routed: 10 s sleep + 30 s draining + 20 s */
	snprintf(text, sizeof(text), "%sservices:\n  - {name: web, image: a, ingress: [{path: /}]}\n  - {name: q, image: b, worker: true}\n", head);
	assert_ok(k8smig_spec_load(&spec, text, strlen(text), "ok.yaml"));
	assert_int_equal(spec->services[0].grace, 60);
	assert_int_equal(spec->services[1].grace, 30);   /* a worker: no sleep */
	assert_int_equal(spec->services[1].pre_stop, 0);
	assert_int_equal(spec->services[1].port, 0);
	assert_false(spec->services[1].health);         /* no exec: no probes */
	assert_int_equal(spec->envs[0].replica_floor, 1);
	assert_int_equal(spec->envs[1].replica_floor, 2); /* the last of several */
	k8smig_spec_free(spec);
	spec = NULL;
	/* the grace period must outlive the sleep and the ALB's draining: at the field's line */
	snprintf(text, sizeof(text), "%sservices:\n  - name: web\n    image: a\n    ingress: [{path: /}]\n"
	         "    terminationGracePeriodSeconds: 40\n", head);
	assert_spec_error(text, "services[0].terminationGracePeriodSeconds", 9);
	snprintf(text, sizeof(text), "%sservices:\n  - name: web\n    image: a\n    ingress: [{path: /}]\n"
	         "    terminationGracePeriodSeconds: 41\n", head);
	assert_ok(k8smig_spec_load(&spec, text, strlen(text), "ok.yaml"));
	k8smig_spec_free(spec);
	spec = NULL;
	snprintf(text, sizeof(text), "%singress: {deregistrationDelaySeconds: 0}\nservices:\n  - name: web\n    image: a\n"
	         "    ingress: [{path: /}]\n    preStopSleepSeconds: 0\n    terminationGracePeriodSeconds: 0\n", head);
	assert_ok(k8smig_spec_load(&spec, text, strlen(text), "ok.yaml"));
	k8smig_spec_free(spec);
	/* privileged without privilege escalation: refused at its line */
	snprintf(text, sizeof(text), "%sservices:\n  - name: web\n    image: a\n    securityContext:\n"
	         "      privileged: true\n      allowPrivilegeEscalation: false\n", head);
	assert_spec_error(text, "services[0].securityContext.allowPrivilegeEscalation", 10);
	/* a worker's probes are commands */
	snprintf(text, sizeof(text), "%sservices:\n  - name: q\n    image: a\n    worker: true\n    health: {path: /h}\n", head);
	assert_spec_error(text, "services[0].health.path", 9);
}

static void test_spec_quantities_in_both_forms(void **state)
{
	static const char text[] =
		"name: shop\n"
		"aws: {accountId: \"111122223333\", oidcProvider: oidc/x}\n"
		"services:\n"
		"  - {name: web, image: web, cpu: \"1.5\", memory: 1536}\n"
		"  - {name: api, image: api, cpu: 4096, memory: 1.5Gi}\n"
		"ci: {repository: a/b}\n";
	k8smig_spec *spec = NULL;
	(void)state;

	assert_ok(k8smig_spec_load(&spec, text, sizeof(text) - 1, NULL));
	assert_string_equal(spec->services[0].cpu, "1500m");
	assert_string_equal(spec->services[0].memory, "1536Mi");
	assert_string_equal(spec->services[1].cpu, "4");
	assert_string_equal(spec->services[1].memory, "1536Mi");
	k8smig_spec_free(spec);
}

static void test_spec_errors_name_file_line_and_path(void **state)
{
	(void)state;
	/* unknown field, line of the key */
	assert_spec_error("name: shop\nregion: x\n", "region", 2);
	/* wrong type */
	assert_spec_error("name: shop\naws: {accountId: \"111122223333\", oidcProvider: o/x}\n"
	                  "services:\n  - name: web\n    image: web\n    port: \"80\"\n",
	                  "services[0].port", 6);
	/* missing image: reported at the item */
	assert_spec_error("name: shop\naws: {accountId: \"111122223333\", oidcProvider: o/x}\n"
	                  "services:\n  - name: web\n    port: 80\n",
	                  "services[0].image", 4);
	/* duplicate service */
	assert_spec_error("name: shop\naws: {accountId: \"111122223333\", oidcProvider: o/x}\n"
	                  "services:\n  - {name: web, image: a}\n  - {name: web, image: b}\n",
	                  "services[1].name", 5);
	/* invalid name */
	assert_spec_error("name: Shop_1\n", "name", 1);
	/* a volume that storage does not define */
	assert_spec_error("name: shop\naws: {accountId: \"111122223333\", oidcProvider: o/x}\n"
	                  "services:\n  - name: web\n    image: a\n    volumes:\n      - {name: data, mountPath: /d}\n"
	                  "ci: {repository: a/b}\n",
	                  "services[0].volumes[0].name", 7);
	/* ConfigMap values must be strings: no silent 3 -> "3" */
	assert_spec_error("name: shop\naws: {accountId: \"111122223333\", oidcProvider: o/x}\n"
	                  "services: [{name: web, image: a}]\nconfig:\n  data:\n    MAX_RETRIES: 3\n",
	                  "config.data.MAX_RETRIES", 6);
	/* two documents */
	assert_spec_error("name: a\n---\nname: b\n", "", 1);
}

static void test_spec_parse_errors_keep_the_yaml_position(void **state)
{
	static const char text[] = "name: [shop\n";
	k8smig_spec *spec = NULL;
	(void)state;

	assert_int_equal(k8smig_spec_load(&spec, text, sizeof(text) - 1, "broken.yaml"), K8SMIG_EPARSE);
	assert_null(spec);
	assert_true(k8smig_error_last()->line > 0);
}

static void test_spec_load_file_missing(void **state)
{
	k8smig_spec *spec = NULL;
	(void)state;
	assert_int_equal(k8smig_spec_load_file(&spec, "/nonexistent/spec.yaml"), K8SMIG_ENOTFOUND);
	assert_null(spec);
}

static void test_scale_per_environment(void **state)
{
	k8smig_spec *spec = NULL;
	mig_scale sc;
	(void)state;

	assert_ok(k8smig_spec_load_default(&spec));
	/* layering: desired 2, max 10; dev halves both */
	assert_ok(k8smig__scale(&sc, &spec->services[1], NULL));
	assert_int_equal(sc.min, 1);
	assert_int_equal(sc.max, 10);
	assert_ok(k8smig__scale(&sc, &spec->services[1], k8smig__spec_env(spec, "dev")));
	assert_int_equal(sc.min, 1);
	assert_int_equal(sc.max, 5);
	assert_string_equal(sc.cpu, "250m");
	assert_string_equal(sc.memory, "256Mi");
	assert_ok(k8smig__scale(&sc, &spec->services[1], k8smig__spec_env(spec, "prod")));
	assert_int_equal(sc.min, 2);
	assert_int_equal(sc.max, 10);
	assert_string_equal(sc.memory, "512Mi");
	k8smig_spec_free(spec);
}

static const k8smig_object *find(const k8smig_object_list *l, const char *kind, const char *name)
{
	size_t i;
	for (i = 0; i < k8smig_object_list_size(l); i++) {
		const k8smig_object *o = k8smig_object_list_get(l, i);
		if (strcmp(k8smig_object_kind(o), kind) == 0 && strcmp(k8smig_object_name(o), name) == 0)
			return o;
	}
	return NULL;
}

static void test_plan_environment_objects(void **state)
{
	k8smig_object_list *base = NULL, *prod = NULL;
	k8smig_spec *spec = NULL;
	k8smig_report *r = NULL;
	const k8smig_object *d;
	(void)state;

	assert_ok(k8smig_spec_load_default(&spec));
	assert_ok(k8smig_plan(&base, spec, NULL));
	d = find(base, "Deployment", "orchestrator");
	assert_non_null(d);
	assert_null(k8smig_object_namespace(d));
	assert_false(k8smig_object_has(d, "spec.replicas"));
	assert_string_equal(k8smig_object_get_str(d, "spec.template.spec.containers[0].image"),
	                    "layering-detection-orchestrator");
	assert_null(find(base, "Namespace", "layering-detection-prod"));

	assert_ok(k8smig_plan(&prod, spec, "prod"));
	assert_non_null(find(prod, "Namespace", "layering-detection-prod"));
	d = find(prod, "Deployment", "aggregator");
	assert_string_equal(k8smig_object_namespace(d), "layering-detection-prod");
	assert_string_equal(k8smig_object_get_str(d, "spec.template.spec.containers[0].image"),
	                    "123456789012.dkr.ecr.us-east-1.amazonaws.com/layering-detection-aggregator:set-by-ci");
	/* a read-write mount leaves readOnly out (a written-out default would conflict in SSA) */
	assert_false(k8smig_object_has(d, "spec.template.spec.containers[0].volumeMounts[0].readOnly"));
	assert_string_equal(k8smig_object_get_str(d, "spec.template.spec.containers[0].volumeMounts[0].name"), "output");
	assert_non_null(k8smig_object_get_str(d, "spec.template.metadata.annotations[k8smig.io/config-sha256]"));
	/* the CI group's Role covers the namespaced kinds, nothing cluster-scoped */
	{
		const k8smig_object *role = find(prod, "Role", "layering-detection-deployer");
		const k8smig_object *rb = find(prod, "RoleBinding", "layering-detection-deployers");
		assert_non_null(role);
		assert_non_null(rb);
		assert_string_equal(k8smig_object_get_str(rb, "roleRef.kind"), "Role");
		assert_string_equal(k8smig_object_get_str(rb, "subjects[0].name"), "layering-detection-deployers");
		assert_string_equal(k8smig_object_get_str(role, "rules[1].apiGroups[0]"), "apps");
		assert_string_equal(k8smig_object_get_str(role, "rules[1].resources[0]"), "deployments");
		assert_null(find(prod, "ClusterRoleBinding", "layering-detection-deployers"));
	}
	assert_int_equal(k8smig_object_get_int(find(prod, "HorizontalPodAutoscaler", "layering"), "spec.minReplicas"), 2);
	assert_string_equal(k8smig_object_get_str(find(prod, "PersistentVolumeClaim", "input-pvc"), "spec.volumeName"),
	                    "layering-detection-prod-input");
	assert_non_null(find(prod, "PersistentVolume", "layering-detection-prod-input"));
	/* the rendered environment is a valid set */
	assert_ok(k8smig_validate(&r, prod, NULL));
	assert_int_equal(k8smig_report_count(r, K8SMIG_SEVERITY_ERROR), 0);
	assert_int_equal(k8smig_report_count(r, K8SMIG_SEVERITY_WARNING), 0);
	k8smig_report_free(r);
	k8smig_object_list_free(prod);

	assert_fails(k8smig_plan(&prod, spec, "qa"), K8SMIG_ENOTFOUND, "environments");
	assert_null(prod);
	k8smig_object_list_free(base);
	k8smig_spec_free(spec);
}

/*
 * The CI group's Role: one rule per API group of the namespaced kinds given, Secrets always (the
 * ApplySet parent and the revision history), the read-only rule of what `k8smig wait` reads; a
 * cluster-scoped or RBAC object is never granted; an unknown kind is an error naming it.
 */
static void test_ci_rbac_is_derived_from_the_kinds(void **state)
{
	k8smig_object_list *objs = NULL, *out = NULL;
	k8smig_object *o = NULL;
	k8smig_spec *spec = NULL;
	const k8smig_object *role;
	(void)state;

	assert_ok(k8smig_spec_load_default(&spec));
	assert_ok(k8smig_object_list_new(&objs));
	assert_ok(k8smig_object_list_new(&out));
	assert_ok(k8smig_object_new(&o, "policy/v1", "PodDisruptionBudget"));
	assert_ok(k8smig_object_set_name(o, "web"));
	assert_ok(k8smig_object_set_namespace(o, "layering-detection-dev"));
	assert_ok(k8smig__list_take(objs, &o));
	assert_ok(k8smig_role_new(&o, "not-for-ci", "layering-detection-dev"));
	assert_ok(k8smig__list_take(objs, &o));
	assert_ok(k8smig_namespace_new(&o, "layering-detection-dev"));
	assert_ok(k8smig__list_take(objs, &o));
	assert_ok(k8smig__plan_ci_rbac(out, spec, &spec->envs[0], objs));
	assert_int_equal(k8smig_object_list_size(out), 2);
	role = k8smig_object_list_get(out, 0);
	assert_string_equal(k8smig_object_kind(role), "Role");
	assert_string_equal(k8smig_object_namespace(role), "layering-detection-dev");
	assert_string_equal(k8smig_object_get_str(role, "rules[0].apiGroups[0]"), "");
	assert_string_equal(k8smig_object_get_str(role, "rules[0].resources[0]"), "secrets");
	assert_false(k8smig_object_has(role, "rules[0].resources[1]"));
	assert_string_equal(k8smig_object_get_str(role, "rules[1].apiGroups[0]"), "policy");
	assert_string_equal(k8smig_object_get_str(role, "rules[1].resources[0]"), "poddisruptionbudgets");
	assert_string_equal(k8smig_object_get_str(role, "rules[1].verbs[4]"), "patch");
	assert_false(k8smig_object_has(role, "rules[1].verbs[6]")); /* get list watch create patch delete: no update */
	assert_string_equal(k8smig_object_get_str(role, "rules[2].resources[0]"), "events");
	assert_string_equal(k8smig_object_get_str(role, "rules[2].verbs[2]"), "watch");
	assert_false(k8smig_object_has(role, "rules[2].verbs[3]"));
	assert_string_equal(k8smig_object_get_str(role, "rules[3].resources[0]"), "replicasets");
	assert_string_equal(k8smig_object_get_str(role, "rules[4].apiGroups[0]"), "events.k8s.io");
	assert_false(k8smig_object_has(role, "rules[5]")); /* no roles, no namespaces */
	assert_string_equal(k8smig_object_get_str(k8smig_object_list_get(out, 1), "roleRef.name"),
	                    "layering-detection-deployer");

	assert_ok(k8smig_object_new(&o, "example.com/v1", "Widget"));
	assert_ok(k8smig_object_set_name(o, "w"));
	assert_ok(k8smig__list_take(objs, &o));
	assert_fails(k8smig__plan_ci_rbac(out, spec, &spec->envs[0], objs), K8SMIG_EINVAL, "");
	assert_non_null(strstr(k8smig_error_last()->message, "Widget"));
	assert_int_equal(k8smig_object_list_size(out), 2); /* nothing appended */
	k8smig_object_list_free(objs);
	k8smig_object_list_free(out);
	k8smig_spec_free(spec);
}

/*
 * The planner appends every object through k8smig__list_take(), which takes
 * the object even when the append fails. A NULL list makes every append fail
 * (EINVAL): each planner must return that error without freeing the object a
 * second time (ASan reports a double free otherwise).
 */
static void test_plan_failed_take_frees_once(void **state)
{
	k8smig_spec *spec = NULL;
	k8smig_object *o = NULL;
	size_t i;
	(void)state;

	assert_ok(k8smig_spec_load_default(&spec));
	assert_ok(k8smig_namespace_new(&o, "x"));
	assert_fails(k8smig__list_take(NULL, &o), K8SMIG_EINVAL, "");
	assert_null(o);
	k8smig_object_free(o); /* what every fail: label does: harmless now */

	assert_int_equal(k8smig__plan_namespaces(NULL, spec, NULL), K8SMIG_EINVAL);
	assert_int_equal(k8smig__plan_service_accounts(NULL, spec, NULL), K8SMIG_EINVAL);
	{
		k8smig_object_list *objs = NULL;
		assert_ok(k8smig_object_list_new(&objs));
		assert_int_equal(k8smig__plan_ci_rbac(NULL, spec, &spec->envs[0], objs), K8SMIG_EINVAL);
		k8smig_object_list_free(objs);
	}
	assert_int_equal(k8smig__plan_config(NULL, spec, NULL), K8SMIG_EINVAL);
	assert_int_equal(k8smig__plan_external_secrets(NULL, spec, &spec->envs[0]), K8SMIG_EINVAL);
	assert_int_equal(k8smig__plan_external_secrets(NULL, spec, NULL), 0); /* per environment only: nothing */
	assert_int_equal(k8smig__plan_storage_class(NULL, spec), K8SMIG_EINVAL);
	assert_int_equal(k8smig__plan_pvc(NULL, spec, &spec->volumes[0], NULL), K8SMIG_EINVAL);
	assert_int_equal(k8smig__plan_pvs(NULL, spec), K8SMIG_EINVAL);
	assert_int_equal(k8smig__plan_test_pod(NULL, spec), K8SMIG_EINVAL);
	assert_int_equal(k8smig__plan_ingress(NULL, spec, &spec->envs[0]), K8SMIG_EINVAL);
	for (i = 0; i < spec->n_services; i++) {
		assert_int_equal(k8smig__plan_deployment(NULL, spec, &spec->services[i], NULL), K8SMIG_EINVAL);
		assert_int_equal(k8smig__plan_deployment(NULL, spec, &spec->services[i], &spec->envs[2]), K8SMIG_EINVAL);
		assert_int_equal(k8smig__plan_service(NULL, spec, &spec->services[i], NULL), K8SMIG_EINVAL);
		assert_int_equal(k8smig__plan_hpa(NULL, spec, &spec->services[i], NULL), K8SMIG_EINVAL);
	}
	k8smig_spec_free(spec);
}

/*
 * Every file the tree writes is added by a function that takes the object or
 * list it writes. Make each add fail in turn (the path is already in the file
 * set: EEXISTS) and check the failure is reported once, naming the path,
 * with nothing freed twice.
 */
static void test_generate_failed_file_add_frees_once(void **state)
{
	mig_files all = { 0 };
	k8smig_spec *spec = NULL;
	size_t i;
	(void)state;

	assert_ok(k8smig_spec_load_default(&spec));
	assert_ok(k8smig__plan_tree(&all, spec));
	assert_true(all.n > 50);
	for (i = 0; i < all.n; i++) {
		mig_files fs = { 0 };
		char *data = strdup("taken");
		assert_non_null(data);
		assert_ok(k8smig__files_add_take(&fs, all.items[i].path, data, strlen(data)));
		assert_int_equal(k8smig__plan_tree(&fs, spec), K8SMIG_EEXISTS);
		assert_non_null(strstr(k8smig_error_last()->message, all.items[i].path));
		k8smig__files_free(&fs);
	}
	k8smig__files_free(&all);
	k8smig_spec_free(spec);
}

/* The file of the set at path, or NULL. */
static const char *file_text(const mig_files *fs, const char *path)
{
	size_t i;
	for (i = 0; i < fs->n; i++)
		if (strcmp(fs->items[i].path, path) == 0)
			return fs->items[i].data;
	return NULL;
}

/* Occurrences of what in text. One pass, not strstr in a loop: ASan's strstr measures the
 * whole rest of the text on every call, quadratic in the megabytes of the big tree. */
static size_t count_of(const char *text, const char *what)
{
	size_t n = 0, k = strlen(what);
	for (; text && *text; text++)
		if (*text == *what && strncmp(text, what, k) == 0) {
			n++;
			text += k - 1;
		}
	return n;
}

/*
 * Nothing in the planner is capped: 70 services, each with its own secret,
 * 70 environments and 70 deploying branches (the producers once kept 64 of
 * each in fixed arrays and dropped the rest without a word).
 */
static void test_generate_has_no_silent_caps(void **state)
{
	enum { N = 70 };
	k8smig__buf b = K8SMIG__BUF_INIT;
	k8smig_spec *spec = NULL;
	mig_files fs = { 0 };
	const char *t;
	char want[160];
	size_t i;
	(void)state;

	k8smig__buf_puts(&b, "name: big\n"
	                     "aws: {accountId: \"111122223333\", oidcProvider: oidc.eks.eu-west-1.amazonaws.com/id/ABC}\n"
	                     "environments:\n");
	for (i = 0; i < N; i++)
		k8smig__buf_printf(&b, "  e%zu: {}\n", i);
	k8smig__buf_puts(&b, "services:\n");
	for (i = 0; i < N; i++)
		k8smig__buf_printf(&b, "  - name: s%zu\n    image: big-s%zu\n    secrets:\n"
		                       "      - {name: S%zu, key: \"big/${environment}/s%zu\"}\n", i, i, i, i);
	k8smig__buf_puts(&b, "monitoring: {prometheusRules: true}\nci:\n  repository: acme/big\n  branches:\n");
	for (i = 0; i < N; i++)
		k8smig__buf_printf(&b, "    b%zu: e%zu\n", i, i);
	assert_false(b.failed);
	assert_ok(k8smig_spec_load(&spec, b.data, b.len, "big.yaml"));
	k8smig__buf_free(&b);
	assert_int_equal(spec->n_services, N);
	assert_int_equal(spec->n_envs, N);
	assert_int_equal(spec->n_branches, N);
	assert_int_equal(spec->n_secrets, N);
	assert_ok(k8smig__plan_tree(&fs, spec));

	/* each environment's External Secrets role reads every secret of that environment, and its overlay has
	 * every ExternalSecret; the role trusts that environment's ServiceAccount only */
	t = file_text(&fs, "aws/iam/big-e69-external-secrets-policy.json");
	assert_int_equal(count_of(t, ":secret:big/e69/s"), N);
	assert_int_equal(count_of(t, ":secret:big/"), N);
	assert_non_null(strstr(t, ":secret:big/e69/s69-??????"));
	assert_int_equal(count_of(file_text(&fs, "k8s/overlays/e69/external-secrets.yaml"), "kind: ExternalSecret\n"), N);
	assert_int_equal(count_of(file_text(&fs, "k8s/base/external-secrets-operator-install.md"), "big/e69/s"), 2 * N);
	t = file_text(&fs, "aws/iam/big-e69-external-secrets-trust-policy.json");
	assert_int_equal(count_of(t, "system:serviceaccount:"), 1);
	assert_non_null(strstr(t, "system:serviceaccount:big-e69:external-secrets"));
	/* the CI role: every branch may assume it, and it pushes every image */
	t = file_text(&fs, "aws/iam/big-github-actions-trust-policy.json");
	assert_int_equal(count_of(t, "repo:acme/big:ref:refs/heads/b"), N);
	t = file_text(&fs, "aws/iam/big-github-actions-policy.json");
	assert_int_equal(count_of(t, ":repository/big-s"), N);
	/* three CloudWatch alarms and dashboard widgets per service and environment (linear to build) */
	assert_int_equal(count_of(file_text(&fs, "aws/cloudwatch-alarms.json"), "\"AlarmName\""), 3 * N * N);
	assert_int_equal(count_of(file_text(&fs, "aws/cloudwatch-dashboard.json"), "\"type\": \"metric\""), 3 * N * N);
	/* logs and alerts cover every environment's namespace */
	snprintf(want, sizeof(want), "big-e%d", N - 1);
	assert_non_null(strstr(file_text(&fs, "k8s/monitoring/fluent-bit-config.yaml"), want));
	/* two in each utilization rule, one in the pods rule */
	assert_int_equal(count_of(file_text(&fs, "k8s/monitoring/alerts.yaml"), "|big-e69\""), 5);
	k8smig__files_free(&fs);
	k8smig_spec_free(spec);
}

static int count_cb(const char *path, k8smig_change change, void *payload)
{
	size_t *counts = payload;
	(void)path;
	counts[change]++;
	return 0;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = calloc(1, (size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

static void test_generate_writes_checks_and_is_idempotent(void **state)
{
	k8smig_generate_options o = K8SMIG_GENERATE_OPTIONS_INIT;
	char dir[] = "/tmp/k8smig-test-XXXXXX", out[128], file[256], cmd[300];
	size_t changed = 99, counts[3] = { 0 };
	k8smig_spec *spec = NULL;
	char *before, *after;
	FILE *f;
	(void)state;

	assert_non_null(mkdtemp(dir));
	snprintf(out, sizeof(out), "%s/tree", dir); /* does not exist: built beside, renamed in */
	assert_ok(k8smig_spec_load_default(&spec));
	assert_ok(k8smig_generate(&changed, spec, out, NULL));
	assert_true(changed > 60);

	o.flags = K8SMIG_GENERATE_CHECK;
	o.on_file = count_cb;
	o.payload = counts;
	assert_ok(k8smig_generate(&changed, spec, out, &o));
	assert_int_equal(changed, 0);
	assert_int_equal(counts[K8SMIG_CHANGE_UPDATE] + counts[K8SMIG_CHANGE_CREATE], 0);

	/* a hand edit is reported by check, and repaired by generate */
	snprintf(file, sizeof(file), "%s/k8s/base/configmap.yaml", out);
	before = slurp(file);
	assert_non_null(before);
	f = fopen(file, "a");
	fputs("# edited\n", f);
	fclose(f);
	memset(counts, 0, sizeof(counts));
	assert_ok(k8smig_generate(&changed, spec, out, &o));
	assert_int_equal(changed, 1);
	assert_int_equal(counts[K8SMIG_CHANGE_UPDATE], 1);
	assert_ok(k8smig_generate(&changed, spec, out, NULL));
	assert_int_equal(changed, 1);
	after = slurp(file);
	assert_string_equal(before, after);
	assert_ok(k8smig_generate(&changed, spec, out, NULL));
	assert_int_equal(changed, 0);

	assert_int_equal(k8smig_generate_options_init(&o, 99), K8SMIG_EINVAL);
	assert_ok(k8smig_generate_options_init(&o, K8SMIG_GENERATE_OPTIONS_VERSION));
	assert_int_equal(k8smig_generate(NULL, NULL, out, NULL), K8SMIG_EINVAL);

	free(before);
	free(after);
	k8smig_spec_free(spec);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

static void test_generate_fails_on_an_unwritable_target(void **state)
{
	char dir[] = "/tmp/k8smig-test-XXXXXX", out[128], cmd[300];
	k8smig_spec *spec = NULL;
	FILE *f;
	(void)state;

	assert_non_null(mkdtemp(dir));
	/* "k8s" is a file where the tree needs a directory */
	snprintf(out, sizeof(out), "%s/k8s", dir);
	f = fopen(out, "w");
	fclose(f);
	assert_ok(k8smig_spec_load_default(&spec));
	assert_int_equal(k8smig_generate(NULL, spec, dir, NULL), K8SMIG_EIO);
	assert_true(k8smig_error_last()->file[0] != '\0');
	k8smig_spec_free(spec);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

static void test_lines_find_nearest(void **state)
{
	static const char text[] = "a:\n  b:\n    - x: 1\n    - y: 2\n  \"c.d\": 3\n";
	mig_lines *l = NULL;
	int col;
	(void)state;

	assert_ok(k8smig__lines_build(&l, text, sizeof(text) - 1));
	assert_int_equal(k8smig__lines_find(l, "a.b[1].y", &col), 4);
	assert_int_equal(col, 7);
	assert_int_equal(k8smig__lines_find(l, "a.b[1].zzz", &col), 4);
	assert_int_equal(k8smig__lines_find(l, "a[c.d]", &col), 5);
	assert_int_equal(k8smig__lines_find(l, "nope", &col), 0);
	k8smig__lines_free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_spec_default_matches_the_plan, teardown_error),
		cmocka_unit_test_teardown(test_spec_defaults_fill_everything, teardown_error),
		cmocka_unit_test_teardown(test_spec_quantities_in_both_forms, teardown_error),
		cmocka_unit_test_teardown(test_spec_rollout_rules, teardown_error),
		cmocka_unit_test_teardown(test_spec_errors_name_file_line_and_path, teardown_error),
		cmocka_unit_test_teardown(test_spec_parse_errors_keep_the_yaml_position, teardown_error),
		cmocka_unit_test_teardown(test_spec_load_file_missing, teardown_error),
		cmocka_unit_test_teardown(test_spec_rejects_a_string_over_the_limit, teardown_error),
		cmocka_unit_test_teardown(test_scale_per_environment, teardown_error),
		cmocka_unit_test_teardown(test_plan_environment_objects, teardown_error),
		cmocka_unit_test_teardown(test_plan_failed_take_frees_once, teardown_error),
		cmocka_unit_test_teardown(test_generate_failed_file_add_frees_once, teardown_error),
		cmocka_unit_test_teardown(test_generate_has_no_silent_caps, teardown_error),
		cmocka_unit_test_teardown(test_generate_writes_checks_and_is_idempotent, teardown_error),
		cmocka_unit_test_teardown(test_generate_fails_on_an_unwritable_target, teardown_error),
		cmocka_unit_test_teardown(test_lines_find_nearest, teardown_error),
		cmocka_unit_test_teardown(test_ci_rbac_is_derived_from_the_kinds, teardown_error),
	};
	return cmocka_run_group_tests_name("migrate", tests, NULL, NULL);
}
