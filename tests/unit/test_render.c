/*
 * tests/unit/test_render.c - k8smig_render() and its parts: kustomize's name
 * hash, strategic merge, JSON 6902, transformers, and errors (code and path).
 * Equality with kubectl kustomize over many fixtures is tests/render/.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"
#include "render/render.h"
#include "model/list.h"

/* ---- helpers ------------------------------------------------------------------ */

typedef struct fixture {
	char dir[64];
	k8smig__rarena arena;
	k8smig_object_list *keep;   /* parsed inputs the trees borrow from */
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));
	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/k8smig-render-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", f->dir);
	if (system(cmd) != 0)
		return -1;
	k8smig__rarena_free(&f->arena);
	k8smig_object_list_free(f->keep);
	free(f);
	k8smig_error_clear();
	return 0;
}

static void put(const fixture *f, const char *name, const char *text)
{
	char path[256];
	FILE *fp;
	const char *slash = strrchr(name, '/');
	if (slash) {
		snprintf(path, sizeof(path), "%s/%.*s", f->dir, (int)(slash - name), name);
		mkdir(path, 0755);
	}
	snprintf(path, sizeof(path), "%s/%s", f->dir, name);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

/* YAML text as a render tree (one document). */
static k8smig__rnode *tree(fixture *f, const char *yaml)
{
	k8smig_object_list *docs = NULL;
	k8smig__rnode *n;
	assert_ok(k8smig_parse(&docs, yaml, strlen(yaml), NULL));
	n = k8smig__rnode_from_value(&f->arena, k8smig_object_get(k8smig_object_list_get(docs, 0), NULL));
	assert_non_null(n);
	if (!f->keep)
		assert_ok(k8smig_object_list_new(&f->keep));
	assert_ok(k8smig_object_list_extend_take(f->keep, docs)); /* moved, docs is gone */
	return n;
}

/* A list of JSON 6902 operations, wrapped as the renderer does. */
static k8smig__rnode *ops(fixture *f, const char *json)
{
	char buf[2048];
	snprintf(buf, sizeof(buf), "{\"ops\": %s}", json);
	return k8smig__rnode_get(tree(f, buf), "ops");
}

static void assert_tree_is(fixture *f, const k8smig__rnode *got, const char *want_yaml)
{
	k8smig_object *o = NULL;
	k8smig_object_list *want = NULL;
	assert_ok(k8smig__rnode_to_object(&o, got));
	assert_ok(k8smig_parse(&want, want_yaml, strlen(want_yaml), NULL));
	if (!k8smig_object_equal(o, k8smig_object_list_get(want, 0))) {
		char *text = NULL;
		if (k8smig_object_emit(&text, NULL, o, NULL) < 0)
			text = NULL;
		fprintf(stderr, "got:\n%s\nwant:\n%s\n", text ? text : "(cannot emit)", want_yaml);
		k8smig_free(text);
		fail();
	}
	(void)f;
	k8smig_object_free(o);
	k8smig_object_list_free(want);
}

static k8smig_object_list *render_ok(const fixture *f)
{
	k8smig_object_list *out = NULL;
	int rc = k8smig_render(&out, f->dir, NULL);
	if (rc < 0)
		fprintf(stderr, "%s: %s (at %s)\n", k8smig_error_last()->file, k8smig_error_last()->message,
		        k8smig_error_last()->path);
	assert_ok(rc);
	return out;
}

static const char deployment[] =
	"apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, labels: {app: web}}\n"
	"spec:\n  replicas: 1\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n"
	"    spec:\n      containers:\n      - {name: app, image: 'nginx:1.0', envFrom: [{configMapRef: {name: cfg}}]}\n"
	"      volumes: [{name: v, configMap: {name: cfg}}]\n";

/* ---- hash ----------------------------------------------------------------------- */

static void test_hash_sha256_known_vector(void **state)
{
	uint8_t d[32];
	(void)state;
	k8smig__sha256("abc", 3, d);
	assert_int_equal(d[0], 0xba);
	assert_int_equal(d[1], 0x78);
	assert_int_equal(d[31], 0xad);
	k8smig__sha256("", 0, d);
	assert_int_equal(d[0], 0xe3);
	assert_int_equal(d[31], 0x55);
}

/* Suffixes produced by kubectl kustomize v5.5.0 for the same data. */
static void test_hash_suffix_matches_kubectl(void **state)
{
	fixture *f = *state;
	char s[11];
	assert_ok(k8smig__render_hash_suffix(s, tree(f, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {A: '1'}\n")));
	assert_string_equal(s, "89g4tffbfk");
	assert_ok(k8smig__render_hash_suffix(
		s, tree(f, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: p-cfg}\ndata: {A: '1', B: '<x&y>'}\n")));
	assert_string_equal(s, "kh7f5d858d");
}

static void test_hash_go_json_escapes_html(void **state)
{
	k8smig__buf b = K8SMIG__BUF_INIT;
	(void)state;
	k8smig__go_json_string(&b, "<a&b>\"\n\x01", 8);
	k8smig__buf_putc(&b, '\0');
	assert_string_equal(b.data, "\"\\u003ca\\u0026b\\u003e\\\"\\n\\u0001\"");
	k8smig__buf_free(&b);
}

/* ---- strategic merge --------------------------------------------------------------- */

static void test_smp_lists_merge_by_key_patch_first(void **state)
{
	fixture *f = *state;
	k8smig__rnode *d = tree(f, "apiVersion: apps/v1\nkind: Deployment\nspec:\n  containers:\n"
	                           "  - {name: a, image: x, env: [{name: X, value: '1'}, {name: Y, value: '2'}]}\n"
	                           "  - {name: b, image: y}\n");
	k8smig__rnode *p = tree(f, "spec:\n  containers:\n  - {name: c, image: z}\n"
	                           "  - {name: a, env: [{name: Z, value: '3'}, {name: X, value: '9'}]}\n");
	assert_ok(k8smig__smp_merge(&f->arena, d, p));
	assert_tree_is(f, d, "apiVersion: apps/v1\nkind: Deployment\nspec:\n  containers:\n  - {name: c, image: z}\n"
	                     "  - {name: a, image: x, env: [{name: Z, value: '3'}, {name: X, value: '9'}, {name: Y, value: '2'}]}\n"
	                     "  - {name: b, image: y}\n");
}

static void test_smp_directives_and_nulls(void **state)
{
	fixture *f = *state;
	k8smig__rnode *d = tree(f, "apiVersion: v1\nkind: Pod\nmetadata: {annotations: {a: '1', b: '2'}}\n"
	                           "spec:\n  nodeSelector: {x: y}\n  volumes: [{name: a, emptyDir: {}}, {name: b, emptyDir: {}}]\n"
	                           "  containers: [{name: c, args: [--x], ports: [{containerPort: 80}]}]\n");
	k8smig__rnode *p = tree(f, "metadata: {annotations: {$patch: replace, c: '3'}}\n"
	                           "spec:\n  nodeSelector: null\n  volumes: [{name: a, $patch: delete}]\n"
	                           "  containers: [{name: c, args: [--y], ports: [{containerPort: 81}]}]\n");
	assert_ok(k8smig__smp_merge(&f->arena, d, p));
	assert_tree_is(f, d, "apiVersion: v1\nkind: Pod\nmetadata: {annotations: {c: '3'}}\n"
	                     "spec:\n  volumes: [{name: b, emptyDir: {}}]\n"
	                     "  containers: [{name: c, args: [--y], ports: [{containerPort: 81}, {containerPort: 80}]}]\n");
}

static void test_smp_service_ports_merge_by_port(void **state)
{
	fixture *f = *state;
	k8smig__rnode *d = tree(f, "apiVersion: v1\nkind: Service\nspec: {ports: [{port: 80, name: a}, {port: 81, name: b}]}\n");
	k8smig__rnode *p = tree(f, "spec: {ports: [{port: 81, targetPort: 9}]}\n");
	assert_ok(k8smig__smp_merge(&f->arena, d, p));
	assert_tree_is(f, d, "apiVersion: v1\nkind: Service\nspec: {ports: [{port: 81, name: b, targetPort: 9}, {port: 80, name: a}]}\n");
}

/* Found by fuzz_patch (tests/fuzz/regressions-patch/nan-equals-itself.yaml): .nan never equalled
 * itself in the renderer's trees, as it once did not in k8smig_value_equal: a JSON 6902 test of a
 * .nan failed, and a list item merged by a .nan key was appended instead of merged. */
static void test_nan_equals_itself(void **state)
{
	fixture *f = *state;
	k8smig__rnode *d = tree(f, "apiVersion: v1\nkind: X\nspec: {v: .nan, items: [{k: .nan, a: 1}]}\n");
	k8smig__rnode *p = tree(f, "spec: {items: [{k: .nan, b: 2}]}\n");
	assert_true(k8smig__rnode_equal(d, d));
	assert_ok(k8smig__json6902_apply(&f->arena, d,
	                                 k8smig__rnode_get(tree(f, "ops: [{op: test, path: /spec/v, value: .nan}]\n"), "ops")));
	assert_ok(k8smig__smp_merge(&f->arena, d, p));
	assert_int_equal(k8smig__rnode_get(k8smig__rnode_get(d, "spec"), "items")->u.c.n, 1);
}

/* ---- JSON 6902 ------------------------------------------------------------------------ */

static void test_json6902_every_op(void **state)
{
	fixture *f = *state;
	k8smig__rnode *d = tree(f, "metadata: {annotations: {}}\nspec: {list: [a, b], m: {x: 1}}\n");
	assert_ok(k8smig__json6902_apply(&f->arena, d, ops(f,
		"[{\"op\": \"add\", \"path\": \"/metadata/annotations/a~1b~0c\", \"value\": \"v\"},"
		" {\"op\": \"add\", \"path\": \"/spec/list/-\", \"value\": \"c\"},"
		" {\"op\": \"add\", \"path\": \"/spec/list/0\", \"value\": \"first\"},"
		" {\"op\": \"remove\", \"path\": \"/spec/list/1\"},"
		" {\"op\": \"replace\", \"path\": \"/spec/m/x\", \"value\": 2},"
		" {\"op\": \"copy\", \"from\": \"/spec/m\", \"path\": \"/spec/m2\"},"
		" {\"op\": \"move\", \"from\": \"/spec/m\", \"path\": \"/spec/moved\"},"
		" {\"op\": \"test\", \"path\": \"/spec/moved/x\", \"value\": 2}]")));
	assert_tree_is(f, d, "metadata: {annotations: {a/b~c: v}}\nspec: {list: [first, b, c], m2: {x: 2}, moved: {x: 2}}\n");
}

static void test_json6902_errors(void **state)
{
	fixture *f = *state;
	k8smig__rnode *d = tree(f, "spec: {list: [a]}\n");
	assert_fails(k8smig__json6902_apply(&f->arena, d, ops(f, "[{\"op\": \"replace\", \"path\": \"/spec/nope\", \"value\": 1}]")),
	             K8SMIG_EINVAL, "");
	assert_non_null(strstr(k8smig_error_last()->message, "path not found"));
	assert_fails(k8smig__json6902_apply(&f->arena, d, ops(f, "[{\"op\": \"add\", \"path\": \"/spec/list/5\", \"value\": 1}]")),
	             K8SMIG_EINVAL, "");
	assert_non_null(strstr(k8smig_error_last()->message, "out of range"));
	assert_fails(k8smig__json6902_apply(&f->arena, d, ops(f, "[{\"op\": \"add\", \"path\": \"spec\", \"value\": 1}]")),
	             K8SMIG_EINVAL, "");
	assert_fails(k8smig__json6902_apply(&f->arena, d, ops(f, "[{\"op\": \"add\", \"path\": \"/a~2\", \"value\": 1}]")),
	             K8SMIG_EINVAL, "");
	assert_fails(k8smig__json6902_apply(&f->arena, d, ops(f, "[{\"op\": \"test\", \"path\": \"/spec/list/0\", \"value\": \"b\"}]")),
	             K8SMIG_EINVAL, "");
	assert_fails(k8smig__json6902_apply(&f->arena, d, ops(f, "[{\"op\": \"frobnicate\", \"path\": \"/spec\"}]")),
	             K8SMIG_EINVAL, "");
	assert_fails(k8smig__json6902_apply(&f->arena, d, ops(f, "[{\"op\": \"remove\", \"path\": \"\"}]")), K8SMIG_EINVAL, "");
}

/* ---- whole renders ------------------------------------------------------------------------ */

static void test_render_overlay_with_generator(void **state)
{
	fixture *f = *state;
	k8smig_object_list *out;
	k8smig_object *cm, *dep;
	put(f, "base/kustomization.yaml", "resources: [d.yaml]\nconfigMapGenerator:\n- name: cfg\n  literals: [A=1]\n");
	put(f, "base/d.yaml", deployment);
	put(f, "kustomization.yaml",
	    "resources: [base]\nnamespace: prod\nnamePrefix: p-\ncommonLabels: {env: prod}\n"
	    "images: [{name: nginx, newTag: '1.27'}]\nreplicas: [{name: web, count: 3}]\n");
	out = render_ok(f);
	assert_int_equal(k8smig_object_list_size(out), 2);
	cm = k8smig_object_list_get_mut(out, 0);
	dep = k8smig_object_list_get_mut(out, 1);
	assert_string_equal(k8smig_object_kind(cm), "ConfigMap");
	assert_string_equal(k8smig_object_name(cm), "p-cfg-89g4tffbfk");
	assert_string_equal(k8smig_object_namespace(cm), "prod");
	assert_string_equal(k8smig_object_name(dep), "p-web");
	assert_int_equal(k8smig_object_get_int(dep, "spec.replicas"), 3);
	assert_string_equal(k8smig_object_get_str(dep, "spec.selector.matchLabels.env"), "prod");
	assert_string_equal(k8smig_object_get_str(dep, "spec.template.spec.containers[0].image"), "nginx:1.27");
	assert_string_equal(k8smig_object_get_str(dep, "spec.template.spec.containers[0].envFrom[0].configMapRef.name"),
	                    "p-cfg-89g4tffbfk");
	assert_string_equal(k8smig_object_get_str(dep, "spec.template.spec.volumes[0].configMap.name"), "p-cfg-89g4tffbfk");
	k8smig_object_list_free(out);
}

static void test_render_patch_with_target_and_labels(void **state)
{
	fixture *f = *state;
	k8smig_object_list *out;
	k8smig_object *dep;
	put(f, "d.yaml", deployment);
	put(f, "kustomization.yaml",
	    "resources: [d.yaml]\nlabels: [{pairs: {team: a}}]\n"
	    "patches:\n- target: {kind: Deployment, labelSelector: app=web}\n  patch: |\n"
	    "    - op: replace\n      path: /spec/replicas\n      value: 5\n");
	out = render_ok(f);
	dep = k8smig_object_list_get_mut(out, 0);
	assert_int_equal(k8smig_object_get_int(dep, "spec.replicas"), 5);
	assert_string_equal(k8smig_object_label(dep, "team"), "a");
	assert_null(k8smig_object_get(dep, "spec.selector.matchLabels.team"));  /* includeSelectors: false */
	k8smig_object_list_free(out);
}

static void test_render_options_versions(void **state)
{
	k8smig_render_options o;
	k8smig_object_list *out = (k8smig_object_list *)&o;
	(void)state;
	assert_ok(k8smig_render_options_init(&o, K8SMIG_RENDER_OPTIONS_VERSION));
	assert_int_equal(o.flags, 0);
	assert_fails(k8smig_render_options_init(&o, 99), K8SMIG_EINVAL, "");
	o.version = 99;
	assert_fails(k8smig_render(&out, "/tmp", &o), K8SMIG_EINVAL, "");
	assert_null(out);
	assert_fails(k8smig_render(NULL, "/tmp", NULL), K8SMIG_EINVAL, "");
}

/* ---- errors: code and path ---------------------------------------------------------------- */

static int render_fails(fixture *f)
{
	k8smig_object_list *out = (k8smig_object_list *)f;
	int rc = k8smig_render(&out, f->dir, NULL);
	assert_null(out);
	return rc;
}

static void test_error_unknown_field(void **state)
{
	fixture *f = *state;
	put(f, "kustomization.yaml", "resources: []\nnamePrefx: a-\n");
	assert_fails(render_fails(f), K8SMIG_EINVAL, "namePrefx");
	assert_non_null(strstr(k8smig_error_last()->file, "kustomization.yaml"));
}

static void test_error_missing_resource(void **state)
{
	fixture *f = *state;
	put(f, "d.yaml", deployment);
	put(f, "kustomization.yaml", "resources: [d.yaml, missing.yaml]\n");
	assert_fails(render_fails(f), K8SMIG_ENOTFOUND, "resources[1]");
	assert_non_null(strstr(k8smig_error_last()->file, "missing.yaml"));
}

static void test_error_cycle(void **state)
{
	fixture *f = *state;
	put(f, "kustomization.yaml", "resources: [a]\n");
	put(f, "a/kustomization.yaml", "resources: [../b]\n");
	put(f, "b/kustomization.yaml", "resources: [../a]\n");
	assert_fails(render_fails(f), K8SMIG_EINVAL, "resources");
	assert_non_null(strstr(k8smig_error_last()->message, "cycle"));
}

static void test_error_malformed_patch_has_line(void **state)
{
	fixture *f = *state;
	put(f, "d.yaml", deployment);
	put(f, "p.yaml", "kind: Deployment\nmetadata:\n  name: [web\n");
	put(f, "kustomization.yaml", "resources: [d.yaml]\npatches: [{path: p.yaml}]\n");
	assert_int_equal(render_fails(f), K8SMIG_EPARSE);
	assert_true(k8smig_error_last()->line >= 3);
	assert_non_null(strstr(k8smig_error_last()->file, "p.yaml"));
}

static void test_error_patch_target_and_json(void **state)
{
	fixture *f = *state;
	put(f, "d.yaml", deployment);
	put(f, "kustomization.yaml", "resources: [d.yaml]\npatches:\n- patch: '[{\"op\": \"remove\", \"path\": \"/spec\"}]'\n");
	assert_fails(render_fails(f), K8SMIG_EINVAL, "patches[0]");
	put(f, "kustomization.yaml", "resources: [d.yaml]\npatches:\n- patch: '[]'\n  target: {kind: Deployment, nam: web}\n");
	assert_fails(render_fails(f), K8SMIG_EINVAL, "patches[0].target.nam");
	put(f, "kustomization.yaml",
	    "resources: [d.yaml]\npatches:\n- target: {kind: Deployment}\n  patch: '[{\"op\": \"remove\", \"path\": \"/x/y\"}]'\n");
	assert_fails(render_fails(f), K8SMIG_EINVAL, "patches[0]");
	put(f, "kustomization.yaml", "resources: [d.yaml]\npatches:\n- {}\n");
	assert_fails(render_fails(f), K8SMIG_EINVAL, "patches[0]");
}

static void test_error_generators(void **state)
{
	fixture *f = *state;
	put(f, "kustomization.yaml", "configMapGenerator:\n- name: a\n  behavior: upsert\n");
	assert_fails(render_fails(f), K8SMIG_EINVAL, "configMapGenerator[0].behavior");
	put(f, "kustomization.yaml", "secretGenerator:\n- name: a\n  files: [nope.txt]\n");
	assert_fails(render_fails(f), K8SMIG_ENOTFOUND, "secretGenerator[0].files[0]");
	put(f, "kustomization.yaml", "configMapGenerator:\n- name: a\n  literals: [A=1, A=2]\n");
	assert_fails(render_fails(f), K8SMIG_EINVAL, "configMapGenerator[0].literals[1]");
	put(f, "kustomization.yaml", "configMapGenerator:\n- literals: [A=1]\n");
	assert_fails(render_fails(f), K8SMIG_EINVAL, "configMapGenerator[0].name");
}

static void test_error_transformer_fields(void **state)
{
	fixture *f = *state;
	put(f, "d.yaml", deployment);
	put(f, "kustomization.yaml", "resources: [d.yaml]\nreplicas: [{name: web, count: -1}]\n");
	assert_fails(render_fails(f), K8SMIG_EINVAL, "replicas[0].count");
	put(f, "kustomization.yaml", "resources: [d.yaml]\nimages: [{name: nginx, newTag: 1.5}]\n");
	assert_fails(render_fails(f), K8SMIG_EINVAL, "images[0].newTag");
	put(f, "kustomization.yaml", "resources: [d.yaml]\ncommonLabels: {a: 1}\n");
	assert_fails(render_fails(f), K8SMIG_EINVAL, "commonLabels[a]");
	put(f, "kustomization.yaml", "resources: d.yaml\n");
	assert_fails(render_fails(f), K8SMIG_EINVAL, "resources");
	put(f, "kustomization.yaml", "resources: [d.yaml]\ncomponents: [x]\n");
	assert_fails(render_fails(f), K8SMIG_EINVAL, "components");
}

static void test_error_outside_root_and_missing_dir(void **state)
{
	fixture *f = *state;
	k8smig_render_options o = K8SMIG_RENDER_OPTIONS_INIT;
	k8smig_object_list *out = NULL;
	char sub[128];
	put(f, "d.yaml", deployment);
	put(f, "k/kustomization.yaml", "resources: [../d.yaml]\n");
	snprintf(sub, sizeof(sub), "%s/k", f->dir);
	assert_fails(k8smig_render(&out, sub, NULL), K8SMIG_EINVAL, "resources[0]");
	o.flags = K8SMIG_RENDER_LOAD_ANYWHERE;
	assert_ok(k8smig_render(&out, sub, &o));
	assert_int_equal(k8smig_object_list_size(out), 1);
	k8smig_object_list_free(out);
	out = NULL;
	snprintf(sub, sizeof(sub), "%s/none", f->dir);
	assert_fails(k8smig_render(&out, sub, NULL), K8SMIG_ENOTFOUND, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_hash_sha256_known_vector, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hash_suffix_matches_kubectl, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hash_go_json_escapes_html, setup, teardown),
		cmocka_unit_test_setup_teardown(test_smp_lists_merge_by_key_patch_first, setup, teardown),
		cmocka_unit_test_setup_teardown(test_smp_directives_and_nulls, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nan_equals_itself, setup, teardown),
		cmocka_unit_test_setup_teardown(test_smp_service_ports_merge_by_port, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json6902_every_op, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json6902_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_render_overlay_with_generator, setup, teardown),
		cmocka_unit_test_setup_teardown(test_render_patch_with_target_and_labels, setup, teardown),
		cmocka_unit_test_setup_teardown(test_render_options_versions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_error_unknown_field, setup, teardown),
		cmocka_unit_test_setup_teardown(test_error_missing_resource, setup, teardown),
		cmocka_unit_test_setup_teardown(test_error_cycle, setup, teardown),
		cmocka_unit_test_setup_teardown(test_error_malformed_patch_has_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_error_patch_target_and_json, setup, teardown),
		cmocka_unit_test_setup_teardown(test_error_generators, setup, teardown),
		cmocka_unit_test_setup_teardown(test_error_transformer_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(test_error_outside_root_and_missing_dir, setup, teardown),
	};
	return cmocka_run_group_tests_name("render", tests, NULL, NULL);
}
