/*
 * tests/unit/test_import.c - the ECS and Terraform importers (lib/migrate/import_*.c) through the
 * public API: fixtures mapped and planned, the Terraform state equal to the bundled spec object by
 * object, errors with their JSON paths, nothing kept from a failed input, the API's contracts.
 * (tests/import/test_import.py checks the command, the rendered tree and the test cluster.)
 */
#include <stdio.h>
#include <stdlib.h>

#include "helpers.h"

#define FIX SOURCE_ROOT "/tests/fixtures/"

static k8smig_import *ecs_import(void)
{
	k8smig_import *imp = NULL;
	assert_ok(k8smig_import_new(&imp, NULL));
	assert_ok(k8smig_import_add_file(imp, K8SMIG_IMPORT_TASK_DEFINITION, FIX "ecs/td-api-fargate.json"));
	assert_ok(k8smig_import_add_file(imp, K8SMIG_IMPORT_TASK_DEFINITION, FIX "ecs/td-worker-ec2.json"));
	assert_ok(k8smig_import_add_file(imp, K8SMIG_IMPORT_SERVICES, FIX "ecs/services.json"));
	assert_ok(k8smig_import_add_file(imp, K8SMIG_IMPORT_SCALABLE_TARGETS, FIX "ecs/scalable-targets.json"));
	assert_ok(k8smig_import_add_file(imp, K8SMIG_IMPORT_SCALING_POLICIES, FIX "ecs/scaling-policies.json"));
	return imp;
}

static const k8smig_object *find(const k8smig_object_list *l, const char *kind, const char *name)
{
	size_t i;
	for (i = 0; i < k8smig_object_list_size(l); i++) {
		const k8smig_object *o = k8smig_object_list_get(l, i);
		if (strcmp(k8smig_object_kind(o), kind) == 0 && strcmp(k8smig_object_name(o), name) == 0)
			return o;
	}
	fail_msg("no %s %s", kind, name);
	return NULL;
}

static void test_ecs_fixtures_map_and_plan(void **state)
{
	k8smig_import *imp = ecs_import();
	k8smig_object *doc = NULL;
	k8smig_spec *spec = NULL;
	k8smig_object_list *objs = NULL;
	const k8smig_object *d;
	size_t counts[4];
	(void)state;

	assert_ok(k8smig_import_build(&doc, imp));
	assert_string_equal(k8smig_object_get_str(doc, "services[0].name"), "api");
	assert_int_equal(k8smig_object_get_int(doc, "services[0].cpu"), 1024);     /* Fargate task size */
	assert_int_equal(k8smig_object_get_int(doc, "services[0].memory"), 1536);  /* hard limit */
	assert_int_equal(k8smig_object_get_int(doc, "services[0].memoryRequest"), 1024);
	/* stopTimeout 60 behind the 10 s preStop sleep and the ALB's 30 s draining */
	assert_int_equal(k8smig_object_get_int(doc, "services[0].terminationGracePeriodSeconds"), 100);
	assert_string_equal(k8smig_object_get_str(doc, "services[0].secrets[0].property"), "url");
	assert_string_equal(k8smig_object_get_str(doc, "services[0].secrets[1].from"), "parameterStore");
	assert_int_equal(k8smig_object_get_int(doc, "services[1].cpu"), 512);
	assert_string_equal(k8smig_object_get_str(doc, "services[1].health.exec[0]"), "/usr/local/bin/worker-health");
	assert_string_equal(k8smig_object_get_str(doc, "services[1].args[0]"), "python");
	assert_string_equal(k8smig_object_get_str(doc, "services[1].workingDir"), "/srv");
	assert_int_equal(k8smig_object_get_int(doc, "services[1].securityContext.runAsGroup"), 1000);
	assert_string_equal(k8smig_object_get_str(doc, "config.data.LOG_FORMAT"), "json");
	assert_false(k8smig_object_has(doc, "config.data.DATABASE_URL"));

	assert_ok(k8smig_spec_load_object(&spec, doc, "imported"));
	assert_string_equal(k8smig_spec_name(spec), "billing");
	assert_ok(k8smig_plan(&objs, spec, NULL));
	d = find(objs, "Deployment", "api");
	/* 1024 units = 1 vCPU; 1536 MiB limit; 1024 MiB request */
	assert_string_equal(k8smig_object_get_str(d, "spec.template.spec.containers[0].resources.requests.cpu"), "1");
	assert_string_equal(k8smig_object_get_str(d, "spec.template.spec.containers[0].resources.requests.memory"), "1Gi");
	assert_string_equal(k8smig_object_get_str(d, "spec.template.spec.containers[0].resources.limits.memory"), "1536Mi");
	assert_int_equal(k8smig_object_get_int(d, "spec.template.spec.terminationGracePeriodSeconds"), 100);
	assert_int_equal(k8smig_object_get_int(d, "spec.template.spec.containers[0].lifecycle.preStop.sleep.seconds"), 10);
	d = find(objs, "Deployment", "worker");
	/* 512 units -> 500m */
	assert_string_equal(k8smig_object_get_str(d, "spec.template.spec.containers[0].resources.requests.cpu"), "500m");
	assert_string_equal(k8smig_object_get_str(d, "spec.template.spec.containers[0].livenessProbe.exec.command[0]"),
	                    "/usr/local/bin/worker-health");
	assert_false(k8smig_object_has(d, "spec.template.spec.containers[0].livenessProbe.httpGet"));

	k8smig_import_report_counts(imp, counts);
	assert_true(counts[0] > 30 && counts[1] > 5 && counts[2] > 5 && counts[3] > 3);
	k8smig_object_list_free(objs);
	k8smig_spec_free(spec);
	k8smig_object_free(doc);
	k8smig_import_free(imp);
}

static void test_report_is_deterministic(void **state)
{
	k8smig_import *a = ecs_import(), *b = ecs_import();
	k8smig_object *da = NULL, *db = NULL;
	char *ja = NULL, *jb = NULL, *text = NULL;
	(void)state;

	/* not built yet */
	assert_fails(k8smig_import_report(&ja, NULL, a, K8SMIG_IMPORT_REPORT_JSON), K8SMIG_EINVAL, "");
	assert_null(ja);
	assert_ok(k8smig_import_build(&da, a));
	assert_ok(k8smig_import_build(&db, b));
	assert_true(k8smig_object_equal(da, db));
	assert_ok(k8smig_import_report(&ja, NULL, a, K8SMIG_IMPORT_REPORT_JSON));
	assert_ok(k8smig_import_report(&jb, NULL, b, K8SMIG_IMPORT_REPORT_JSON));
	assert_string_equal(ja, jb);
	assert_ok(k8smig_import_report(&text, NULL, a, K8SMIG_IMPORT_REPORT_TEXT));
	assert_non_null(strstr(text, "import of billing:"));
	/* once built, an import takes no more input and builds no more */
	assert_fails(k8smig_import_add(a, K8SMIG_IMPORT_SERVICES, "{}", 2, NULL), K8SMIG_EINVAL, "");
	k8smig_object_free(da);
	da = (k8smig_object *)1;
	assert_fails(k8smig_import_build(&da, a), K8SMIG_EINVAL, "");
	assert_null(da);
	k8smig_free(ja);
	assert_fails(k8smig_import_report(&ja, NULL, NULL, K8SMIG_IMPORT_REPORT_JSON), K8SMIG_EINVAL, "");
	assert_null(ja);
	k8smig_free(jb);
	assert_fails(k8smig_import_report(&jb, NULL, b, (k8smig_import_report_format)7), K8SMIG_EINVAL, "");
	assert_null(jb);
	k8smig_free(text);
	k8smig_object_free(db);
	k8smig_import_free(a);
	k8smig_import_free(b);
	k8smig_import_free(NULL);
}

static void test_terraform_state_is_the_bundled_spec(void **state)
{
	k8smig_import_options o;
	k8smig_object_list *base = NULL;
	k8smig_import *imp = NULL;
	k8smig_object *doc = NULL;
	k8smig_spec *imported = NULL, *bundled = NULL;
	size_t e, i;
	(void)state;

	assert_ok(k8smig_import_options_init(&o, K8SMIG_IMPORT_OPTIONS_VERSION));
	assert_ok(k8smig_parse(&base, k8smig_spec_default_text(), strlen(k8smig_spec_default_text()), NULL));
	o.base = k8smig_object_list_get(base, 0);
	assert_ok(k8smig_import_new(&imp, &o));
	assert_ok(k8smig_import_add_file(imp, K8SMIG_IMPORT_TERRAFORM, FIX "terraform/layering-detection.tfstate.json"));
	assert_ok(k8smig_import_build(&doc, imp));
	assert_ok(k8smig_spec_load_object(&imported, doc, "imported"));
	assert_ok(k8smig_spec_load_default(&bundled));
	for (e = 0; e <= k8smig_spec_environment_count(bundled); e++) {
		const char *env = e ? k8smig_spec_environment_name(bundled, e - 1) : NULL;
		k8smig_object_list *a = NULL, *b = NULL;
		assert_ok(k8smig_plan(&a, bundled, env));
		assert_ok(k8smig_plan(&b, imported, env));
		assert_int_equal(k8smig_object_list_size(a), k8smig_object_list_size(b));
		for (i = 0; i < k8smig_object_list_size(a); i++)
			assert_true(k8smig_object_equal(k8smig_object_list_get(a, i), k8smig_object_list_get(b, i)));
		k8smig_object_list_free(a);
		k8smig_object_list_free(b);
	}
	k8smig_spec_free(imported);
	k8smig_spec_free(bundled);
	k8smig_object_free(doc);
	k8smig_import_free(imp);
	k8smig_object_list_free(base);
}

/* Add text as kind; build; expect the error at path (from add or build). */
static void expect_error(k8smig_import_kind kind, const char *text, int code, const char *path)
{
	k8smig_import *imp = NULL;
	k8smig_object *doc = (k8smig_object *)1;
	int rc;

	assert_ok(k8smig_import_new(&imp, NULL));
	rc = k8smig_import_add(imp, kind, text, strlen(text), "in.json");
	if (rc == 0) {
		rc = k8smig_import_build(&doc, imp);
		assert_null(doc);
	}
	assert_int_equal(rc, code);
	assert_int_equal(k8smig_error_last()->code, code);
	assert_string_equal(k8smig_error_last()->path, path);
	assert_true(k8smig_error_last()->message[0] != '\0');
	k8smig_import_free(imp);
}

static void test_errors_name_the_json_path(void **state)
{
	(void)state;
	expect_error(K8SMIG_IMPORT_TASK_DEFINITION, "{\"family\": \"x\", \"containerDefinitions\": [", K8SMIG_EPARSE,
	             "containerDefinitions[0]"); /* the reader names where the input ended */
	assert_string_equal(k8smig_error_last()->file, "in.json");
	assert_int_equal(k8smig_error_last()->line, 1);
	expect_error(K8SMIG_IMPORT_TASK_DEFINITION,
	             "{\"family\": \"x\", \"containerDefinitions\": [{\"image\": \"a\", \"memory\": true}]}", K8SMIG_ESCHEMA,
	             "containerDefinitions[0].memory");
	assert_string_equal(k8smig_error_last()->file, "in.json");
	expect_error(K8SMIG_IMPORT_TASK_DEFINITION,
	             "{\"taskDefinition\": {\"family\": \"x\", \"containerDefinitions\": [{\"image\": \"a\", \"secrets\": "
	             "[{\"name\": \"K\", \"valueFrom\": \"arn:aws:kms:us-east-1:111122223333:key/1\"}]}]}}",
	             K8SMIG_ESCHEMA, "taskDefinition.containerDefinitions[0].secrets[0].valueFrom");
	expect_error(K8SMIG_IMPORT_TASK_DEFINITION,
	             "{\"family\": \"x\", \"taskRoleArn\": \"arn:aws:s3:::bucket\", \"containerDefinitions\": [{\"image\": \"a\"}]}",
	             K8SMIG_ESCHEMA, "taskRoleArn");
	expect_error(K8SMIG_IMPORT_TASK_DEFINITION,
	             "{\"family\": \"x\", \"containerDefinitions\": [{\"image\": \"a\", \"healthCheck\": {\"command\": [1]}}]}",
	             K8SMIG_ESCHEMA, "containerDefinitions[0].healthCheck.command[0]");
	expect_error(K8SMIG_IMPORT_SERVICES, "{\"services\": {\"serviceName\": \"a\"}}", K8SMIG_ESCHEMA, "services");
	expect_error(K8SMIG_IMPORT_SCALING_POLICIES, "{\"policies\": []}", K8SMIG_ESCHEMA, "ScalingPolicies");
	expect_error(K8SMIG_IMPORT_TERRAFORM, "{\"values\": {\"root_module\": {\"resources\": [{\"type\": "
	             "\"aws_ecs_task_definition\", \"address\": \"aws_ecs_task_definition.a\", \"mode\": \"managed\", "
	             "\"values\": {\"family\": \"a\", \"container_definitions\": \"[{\\\"image\\\": \"}}]}}}",
	             K8SMIG_ESCHEMA, "values.root_module.resources[0].values.container_definitions");
	expect_error(K8SMIG_IMPORT_TERRAFORM, "{\"values\": 1}", K8SMIG_ESCHEMA, "values");
	/* a describe-services error is found when built: no task definition at all */
	expect_error(K8SMIG_IMPORT_SERVICES, "{\"services\": []}", K8SMIG_ESCHEMA, "");
}

/* A Terraform state that fails half-way leaves nothing in the import. */
static void test_failed_state_leaves_nothing(void **state)
{
	static const char bad[] =
		"{\"values\": {\"root_module\": {\"resources\": ["
		"{\"type\": \"aws_ecs_task_definition\", \"address\": \"aws_ecs_task_definition.a\", \"values\": "
		"{\"family\": \"a\", \"container_definitions\": \"[{\\\"image\\\": \\\"a\\\"}]\"}},"
		"{\"type\": \"aws_ecs_task_definition\", \"address\": \"aws_ecs_task_definition.b\", \"values\": 7}]}}}";
	k8smig_import *imp = NULL;
	k8smig_object *doc = NULL;
	(void)state;

	assert_ok(k8smig_import_new(&imp, NULL));
	assert_fails(k8smig_import_add(imp, K8SMIG_IMPORT_TERRAFORM, bad, strlen(bad), "s.json"), K8SMIG_ESCHEMA,
	             "values.root_module.resources[1].values");
	/* the first task definition was not kept: nothing to build from */
	assert_fails(k8smig_import_build(&doc, imp), K8SMIG_ESCHEMA, "");
	assert_null(doc);
	k8smig_import_free(imp);
}

static void test_every_truncation_fails_cleanly(void **state)
{
	char *data = NULL;
	size_t len = 0, n;
	FILE *f = fopen(FIX "ecs/td-worker-ec2.json", "rb");
	(void)state;

	assert_non_null(f);
	data = malloc(1 << 16);
	len = fread(data, 1, 1 << 16, f);
	fclose(f);
	for (n = 0; n < len - 2; n += 7) {
		k8smig_import *imp = NULL;
		assert_ok(k8smig_import_new(&imp, NULL));
		/* nothing at all is no document (a schema error), a cut document a parse error */
		assert_int_equal(k8smig_import_add(imp, K8SMIG_IMPORT_TASK_DEFINITION, data, n, "t.json"),
		                 n ? K8SMIG_EPARSE : K8SMIG_ESCHEMA);
		assert_string_equal(k8smig_error_last()->file, "t.json");
		k8smig_import_free(imp);
	}
	free(data);
}

/* The two spec fields the importer needed: memoryRequest (below memory, scaled with it) and the grace period. */
static void test_spec_memory_request_and_grace(void **state)
{
	static const char head[] = "name: shop\n"
	                           "aws: {accountId: \"111122223333\", oidcProvider: oidc.eks.eu-west-1.amazonaws.com/id/ABC}\n"
	                           "environments: {dev: {resources: {factor: 0.5}}}\n"
	                           "ci: {repository: acme/shop}\n"
	                           "services:\n  - name: web\n    image: shop-web\n";
	char text[1024];
	k8smig_spec *spec = NULL;
	k8smig_object_list *objs = NULL;
	const k8smig_object *d;
	(void)state;

	snprintf(text, sizeof(text), "%s    memory: 1024\n    memoryRequest: 2048\n", head);
	assert_fails(k8smig_spec_load(&spec, text, strlen(text), "s.yaml"), K8SMIG_ESCHEMA, "services[0].memoryRequest");
	snprintf(text, sizeof(text), "%s    terminationGracePeriodSeconds: 3601\n", head);
	assert_fails(k8smig_spec_load(&spec, text, strlen(text), "s.yaml"), K8SMIG_ESCHEMA,
	             "services[0].terminationGracePeriodSeconds");
	snprintf(text, sizeof(text), "%s    memory: 1024\n    memoryRequest: \"600Mi\"\n    terminationGracePeriodSeconds: 90\n",
	         head);
	assert_ok(k8smig_spec_load(&spec, text, strlen(text), "s.yaml"));
	assert_ok(k8smig_plan(&objs, spec, "dev"));
	d = find(objs, "Deployment", "web");
	/* factor 0.5: 1024 MiB -> 512Mi limit, 600 MiB -> 300Mi request */
	assert_string_equal(k8smig_object_get_str(d, "spec.template.spec.containers[0].resources.limits.memory"), "512Mi");
	assert_string_equal(k8smig_object_get_str(d, "spec.template.spec.containers[0].resources.requests.memory"), "300Mi");
	assert_int_equal(k8smig_object_get_int(d, "spec.template.spec.terminationGracePeriodSeconds"), 90);
	k8smig_object_list_free(objs);
	k8smig_spec_free(spec);
}

/* What ECS says and the mapping does not read is reported, never dropped silently. */
static void test_unread_fields_are_reported(void **state)
{
	static const char td[] =
		"{\"taskDefinitionArn\": \"arn:aws:ecs:us-east-1:111122223333:task-definition/shop-web:1\", \"family\": \"shop-web\","
		" \"ephemeralStorage\": {\"sizeInGiB\": 40}, \"someFutureTaskField\": 1,"
		" \"containerDefinitions\": [{\"name\": \"web\", \"image\": \"nginx:1.27\", \"memory\": 256,"
		" \"environmentFiles\": [{\"value\": \"arn:aws:s3:::b/web.env\", \"type\": \"s3\"}],"
		" \"someFutureField\": {\"a\": 1}, \"privileged\": false}]}";
	k8smig_import *imp = NULL;
	k8smig_object *doc = NULL;
	char *json = NULL;
	(void)state;

	assert_ok(k8smig_import_new(&imp, NULL));
	assert_ok(k8smig_import_add(imp, K8SMIG_IMPORT_TASK_DEFINITION, td, strlen(td), "td.json"));
	assert_ok(k8smig_import_build(&doc, imp));
	assert_ok(k8smig_import_report(&json, NULL, imp, K8SMIG_IMPORT_REPORT_JSON));
	assert_non_null(strstr(json, "td.json:ephemeralStorage"));
	assert_non_null(strstr(json, "td.json:someFutureTaskField"));
	assert_non_null(strstr(json, "td.json:containerDefinitions[0].environmentFiles"));
	assert_non_null(strstr(json, "td.json:containerDefinitions[0].someFutureField"));
	assert_null(strstr(json, "privileged"));  /* false says nothing the tree does not do */
	/* nginx is not in ECR: approximated, and the repository is its name */
	assert_string_equal(k8smig_object_get_str(doc, "services[0].image"), "nginx");
	k8smig_free(json);
	k8smig_object_free(doc);
	k8smig_import_free(imp);
}

static void test_api_contracts(void **state)
{
	k8smig_import_options o = K8SMIG_IMPORT_OPTIONS_INIT;
	k8smig_import *imp = (k8smig_import *)1;
	k8smig_spec *spec = (k8smig_spec *)1;
	(void)state;

	o.version = 99;
	assert_fails(k8smig_import_new(&imp, &o), K8SMIG_EINVAL, "");
	assert_null(imp);
	assert_fails(k8smig_import_options_init(&o, 2), K8SMIG_EINVAL, "");
	assert_fails(k8smig_spec_load_object(&spec, NULL, NULL), K8SMIG_EINVAL, "");
	assert_null(spec);
	assert_ok(k8smig_import_new(&imp, NULL));
	assert_fails(k8smig_import_add(imp, (k8smig_import_kind)9, "{}", 2, NULL), K8SMIG_EINVAL, "");
	assert_fails(k8smig_import_add_file(imp, K8SMIG_IMPORT_SERVICES, FIX "no-such-file.json"), K8SMIG_ENOTFOUND, "");
	k8smig_import_free(imp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_ecs_fixtures_map_and_plan, teardown_error),
		cmocka_unit_test_teardown(test_report_is_deterministic, teardown_error),
		cmocka_unit_test_teardown(test_terraform_state_is_the_bundled_spec, teardown_error),
		cmocka_unit_test_teardown(test_errors_name_the_json_path, teardown_error),
		cmocka_unit_test_teardown(test_failed_state_leaves_nothing, teardown_error),
		cmocka_unit_test_teardown(test_every_truncation_fails_cleanly, teardown_error),
		cmocka_unit_test_teardown(test_spec_memory_request_and_grace, teardown_error),
		cmocka_unit_test_teardown(test_unread_fields_are_reported, teardown_error),
		cmocka_unit_test_teardown(test_api_contracts, teardown_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
