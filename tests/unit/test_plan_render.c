/*
 * tests/unit/test_plan_render.c - k8smig_plan(env) is documented to be
 * everything env needs as the tree's kustomizations render it: env's part of
 * the admin layer k8s/cluster (its Namespace, Role and RoleBinding, the
 * StorageClass, the PVs reserved for its claims) and env's overlay. Check it
 * for every environment of the bundled spec and of the two-service spec,
 * against k8smig_render() of the generated directories (tests/render checks
 * that render against kubectl kustomize).
 *
 * Objects are matched by apiVersion, kind, namespace and name (the plan is in
 * the tree's order, the render in kustomize's), and compared as JSON values:
 * maps by key, lists in order.
 */
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "helpers.h"

static json_t *as_json(const k8smig_object *o)
{
	k8smig_emit_options eo = K8SMIG_EMIT_OPTIONS_INIT;
	json_error_t err;
	char *text = NULL;
	json_t *j;

	eo.format = K8SMIG_FORMAT_JSON;
	assert_ok(k8smig_object_emit(&text, NULL, o, &eo));
	j = json_loads(text, 0, &err);
	assert_non_null(j);
	k8smig_free(text);
	return j;
}

static int same_id(const k8smig_object *a, const k8smig_object *b)
{
	const char *na = k8smig_object_namespace(a), *nb = k8smig_object_namespace(b);
	return strcmp(k8smig_object_api_version(a), k8smig_object_api_version(b)) == 0 &&
	       strcmp(k8smig_object_kind(a), k8smig_object_kind(b)) == 0 &&
	       strcmp(k8smig_object_name(a), k8smig_object_name(b)) == 0 &&
	       ((!na && !nb) || (na && nb && strcmp(na, nb) == 0));
}

/* Every planned object is rendered, equal, and nothing else is. */
/* Does an object of the admin layer belong to the environment of namespace ns? */
static bool admin_object_of(const k8smig_object *o, const char *ns)
{
	const char *kind = k8smig_object_kind(o), *own = k8smig_object_namespace(o);
	const char *claim = k8smig_object_get_str(o, "spec.claimRef.namespace");

	if (own)
		return strcmp(own, ns) == 0;
	if (strcmp(kind, "Namespace") == 0)
		return strcmp(k8smig_object_name(o), ns) == 0;
	if (strcmp(kind, "PersistentVolume") == 0)
		return claim && strcmp(claim, ns) == 0;
	return strcmp(kind, "StorageClass") == 0;
}

static void assert_plan_is_render(const k8smig_spec *spec, const char *tree, const char *env, const char *ns)
{
	k8smig_object_list *plan = NULL, *rendered = NULL, *admin = NULL;
	char dir[512];
	size_t i, j, n_admin = 0;

	snprintf(dir, sizeof(dir), "%s/k8s/overlays/%s", tree, env);
	assert_ok(k8smig_plan(&plan, spec, env));
	assert_ok(k8smig_render(&rendered, dir, NULL));
	/* the overlay is what CI applies: namespaced objects only */
	for (i = 0; i < k8smig_object_list_size(rendered); i++)
		assert_string_equal(k8smig_object_namespace(k8smig_object_list_get(rendered, i)), ns);
	snprintf(dir, sizeof(dir), "%s/k8s/cluster", tree);
	assert_ok(k8smig_render(&admin, dir, NULL));
	for (i = 0; i < k8smig_object_list_size(admin); i++)
		if (admin_object_of(k8smig_object_list_get(admin, i), ns)) {
			assert_ok(k8smig_object_list_append(rendered, k8smig_object_list_get(admin, i)));
			n_admin++;
		}
	assert_true(n_admin >= 3); /* Namespace, Role, RoleBinding */
	k8smig_object_list_free(admin);
	assert_true(k8smig_object_list_size(plan) >= 4); /* never vacuous: namespace, and a service's three objects */
	for (i = 0; i < k8smig_object_list_size(plan); i++) {
		const k8smig_object *p = k8smig_object_list_get(plan, i);
		const k8smig_object *r = NULL;
		json_t *pj, *rj;
		for (j = 0; j < k8smig_object_list_size(rendered) && !r; j++)
			if (same_id(p, k8smig_object_list_get(rendered, j)))
				r = k8smig_object_list_get(rendered, j);
		if (!r)
			fail_msg("%s: planned %s %s is not rendered", env, k8smig_object_kind(p), k8smig_object_name(p));
		pj = as_json(p);
		rj = as_json(r);
		if (!json_equal(pj, rj)) {
			char *a = json_dumps(pj, JSON_SORT_KEYS), *b = json_dumps(rj, JSON_SORT_KEYS);
			print_error("plan:   %s\nrender: %s\n", a, b);
			free(a);
			free(b);
			fail_msg("%s: %s %s differs between plan and render", env, k8smig_object_kind(p), k8smig_object_name(p));
		}
		json_decref(pj);
		json_decref(rj);
	}
	assert_int_equal(k8smig_object_list_size(plan), k8smig_object_list_size(rendered));
	k8smig_object_list_free(plan);
	k8smig_object_list_free(rendered);
}

static void check_spec(k8smig_spec *spec)
{
	char dir[] = "/tmp/k8smig-plan-XXXXXX", tree[128], cmd[200];
	size_t i, n = k8smig_spec_environment_count(spec);

	assert_non_null(mkdtemp(dir));
	snprintf(tree, sizeof(tree), "%s/tree", dir);
	assert_ok(k8smig_generate(NULL, spec, tree, NULL));
	assert_true(n > 0);
	for (i = 0; i < n; i++)
		assert_plan_is_render(spec, tree, k8smig_spec_environment_name(spec, i),
		                      k8smig_spec_environment_namespace(spec, i));
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	k8smig_spec_free(spec);
}

static void test_plan_is_the_rendered_overlay_bundled(void **state)
{
	k8smig_spec *spec = NULL;
	(void)state;
	assert_ok(k8smig_spec_load_default(&spec));
	assert_int_equal(k8smig_spec_environment_count(spec), 3);
	check_spec(spec);
}

static void test_plan_is_the_rendered_overlay_two_services(void **state)
{
	k8smig_spec *spec = NULL;
	(void)state;
	assert_ok(k8smig_spec_load_file(&spec, SOURCE_ROOT "/tests/migrate/two-services.yaml"));
	check_spec(spec);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_plan_is_the_rendered_overlay_bundled, teardown_error),
		cmocka_unit_test_teardown(test_plan_is_the_rendered_overlay_two_services, teardown_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
