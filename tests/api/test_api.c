/*
 * tests/api/test_api.c - the C API as an embedder uses it, offline: what a
 * take does to borrowed values, moving objects between lists, writing files,
 * option versions, and misuse that must be refused with an error.
 * Memory bugs here show under ASan and valgrind (scripts/test-all.sh).
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../unit/helpers.h"

static char dir[] = "/tmp/k8smig-api-XXXXXX";

static int setup(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[300];
	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static k8smig_object *config_map(const char *name)
{
	k8smig_object *o;
	assert_ok(k8smig_object_new(&o, "v1", "ConfigMap"));
	assert_ok(k8smig_object_set_name(o, name));
	return o;
}

/* issue 16.3: a value borrowed before a take survives it */
static void test_list_take_keeps_borrowed_values(void **state)
{
	k8smig_object_list *l;
	k8smig_object *o;
	const char *name;
	int i;
	(void)state;
	assert_ok(k8smig_object_list_new(&l));
	assert_ok(k8smig_object_new(&o, "v1", "ConfigMap"));
	assert_ok(k8smig_object_set_name(o, "borrowed-before-take"));
	/* grow the arena well beyond what it holds, so a shrink would move it */
	for (i = 0; i < 40; i++) {
		char key[32];
		snprintf(key, sizeof(key), "data.k%d", i);
		assert_ok(k8smig_object_set_str(o, key, "vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"));
	}
	for (i = 0; i < 40; i++) {
		char key[32];
		snprintf(key, sizeof(key), "data.k%d", i);
		assert_ok(k8smig_object_unset(o, key));
	}
	name = k8smig_object_name(o);
	assert_ok(k8smig_object_list_append_take(l, o));
	assert_string_equal(name, "borrowed-before-take");  /* ASan/valgrind: no read of freed memory */
	assert_ptr_equal(k8smig_object_list_get(l, 0), o);  /* the handle still names the object */
	k8smig_object_list_free(l);
}

/* issue 16.3: the same handle taken twice is refused, and not freed */
static void test_list_take_twice_is_refused(void **state)
{
	k8smig_object_list *l;
	k8smig_object *o = config_map("twice");
	(void)state;
	assert_ok(k8smig_object_list_new(&l));
	assert_ok(k8smig_object_list_append_take(l, o));
	assert_fails(k8smig_object_list_append_take(l, o), K8SMIG_EINVAL, "");
	assert_int_equal(k8smig_object_list_size(l), 1);
	assert_string_equal(k8smig_object_name(k8smig_object_list_get(l, 0)), "twice");
	{
		/* another list cannot take it either */
		k8smig_object_list *other;
		assert_ok(k8smig_object_list_new(&other));
		assert_fails(k8smig_object_list_append_take(other, o), K8SMIG_EINVAL, "");
		assert_int_equal(k8smig_object_list_size(other), 0);
		k8smig_object_list_free(other);
	}
	k8smig_object_list_free(l);  /* one free: no double free */
	/* NULL arguments: the object is still stolen */
	assert_fails(k8smig_object_list_append_take(NULL, config_map("stolen")), K8SMIG_EINVAL, "");
}

/* issue 8: move objects between lists without copying */
static void test_list_remove_and_extend_move_without_copying(void **state)
{
	k8smig_object_list *a, *b;
	k8smig_object *x = config_map("x"), *y = config_map("y"), *z = config_map("z"), *got;
	(void)state;
	assert_ok(k8smig_object_list_new(&a));
	assert_ok(k8smig_object_list_new(&b));
	assert_ok(k8smig_object_list_append_take(a, x));
	assert_ok(k8smig_object_list_append_take(a, y));
	assert_ok(k8smig_object_list_append_take(b, z));
	assert_ok(k8smig_object_list_remove(&got, a, 0));
	assert_ptr_equal(got, x);
	assert_int_equal(k8smig_object_list_size(a), 1);
	assert_ptr_equal(k8smig_object_list_get(a, 0), y);
	assert_ok(k8smig_object_list_append_take(b, got));  /* removed: free to be taken again */
	assert_fails(k8smig_object_list_remove(&got, a, 1), K8SMIG_ENOTFOUND, "");
	assert_null(got);
	assert_fails(k8smig_object_list_extend_take(a, a), K8SMIG_EINVAL, "");
	assert_ok(k8smig_object_list_extend_take(a, b));  /* b is gone */
	assert_int_equal(k8smig_object_list_size(a), 3);
	assert_ptr_equal(k8smig_object_list_get(a, 1), z);
	assert_ptr_equal(k8smig_object_list_get(a, 2), x);
	assert_ptr_equal(k8smig_object_list_get_mut(a, 2), x);
	assert_ok(k8smig_object_list_remove(NULL, a, 0));  /* freed */
	assert_int_equal(k8smig_object_list_size(a), 2);
	assert_fails(k8smig_object_list_extend_take(NULL, NULL), K8SMIG_EINVAL, "");
	k8smig_object_list_free(a);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = calloc(1, 65536);
	assert_non_null(f);
	assert_non_null(buf);
	assert_true(fread(buf, 1, 65535, f) < 65535);
	fclose(f);
	return buf;
}

/* issue 16: a file writer as jansson's json_dump_file, never half-written */
static void test_list_write_file(void **state)
{
	k8smig_object_list *l;
	k8smig_object *bad = config_map("bad");
	k8smig_emit_options eo = K8SMIG_EMIT_OPTIONS_INIT;
	char path[300], bad_path[300];
	char *text;
	(void)state;
	assert_ok(k8smig_object_list_new(&l));
	assert_ok(k8smig_object_list_append_take(l, config_map("one")));
	assert_ok(k8smig_object_list_append_take(l, config_map("two")));
	snprintf(path, sizeof(path), "%s/out.yaml", dir);
	assert_ok(k8smig_object_list_write_file(l, path, NULL));
	text = slurp(path);
	assert_string_equal(text, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: one\n---\n"
	                          "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: two\n");
	free(text);
	eo.format = K8SMIG_FORMAT_JSON;
	eo.flags = K8SMIG_EMIT_COMPACT;
	assert_ok(k8smig_object_list_write_file(l, path, &eo));
	text = slurp(path);
	assert_string_equal(text, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"one\"}}\n"
	                          "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"two\"}}\n");
	free(text);
	/* a failed object: the file keeps its old content, and no temporary is left */
	assert_int_equal(k8smig_config_map_set(bad, "not a key!", "v"), K8SMIG_EINVAL);
	assert_ok(k8smig_object_list_append_take(l, bad));
	assert_int_equal(k8smig_object_list_write_file(l, path, &eo), K8SMIG_EINVAL);
	text = slurp(path);
	assert_non_null(strstr(text, "\"two\""));
	free(text);
	{
		char cmd[400];
		snprintf(cmd, sizeof(cmd), "test $(ls -A '%s' | wc -l) -eq 1", dir);
		assert_int_equal(system(cmd), 0);
	}
	/* a directory that does not exist: EIO naming the file */
	snprintf(bad_path, sizeof(bad_path), "%s/missing/out.yaml", dir);
	assert_int_equal(k8smig_object_list_write_file(l, bad_path, NULL), K8SMIG_EIO);
	assert_string_equal(k8smig_error_last()->file, bad_path);
	assert_fails(k8smig_object_list_write_file(l, NULL, NULL), K8SMIG_EINVAL, "");
	k8smig_object_list_free(l);
}

/* issue 16.8: a client needs k8smig_init() */
static void test_client_new_without_init_is_refused(void **state)
{
	k8smig_kubeconfig *kc;
	k8smig_client *c = (k8smig_client *)0x1;
	char path[300];
	FILE *f;
	(void)state;
	snprintf(path, sizeof(path), "%s/kc.yaml", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("apiVersion: v1\nkind: Config\ncurrent-context: t\n"
	      "clusters:\n- name: c\n  cluster: {server: 'https://127.0.0.1:1'}\n"
	      "contexts:\n- name: t\n  context: {cluster: c}\n", f);
	fclose(f);
	assert_ok(k8smig_kubeconfig_load(&kc, path));
	assert_fails(k8smig_client_new(&c, kc, NULL), K8SMIG_EINVAL, "");
	assert_null(c);
	assert_non_null(strstr(k8smig_error_last()->message, "k8smig_init"));
	assert_int_equal(k8smig_init(), 1);
	assert_ok(k8smig_client_new(&c, kc, NULL));
	k8smig_client_free(c);
	assert_int_equal(k8smig_shutdown(), 0);
	k8smig_kubeconfig_free(kc);
}

/* issue 8: every options struct accepts any version from 1 up to the current one */
static void test_options_versions(void **state)
{
	k8smig_emit_options eo = K8SMIG_EMIT_OPTIONS_INIT;
	k8smig_apply_set_options ao;
	k8smig_client_options co;
	k8smig_object *o = config_map("v");
	char *out;
	(void)state;
	assert_ok(k8smig_object_emit(&out, NULL, o, &eo));
	k8smig_free(out);
	eo.version = 0;
	assert_fails(k8smig_object_emit(&out, NULL, o, &eo), K8SMIG_EINVAL, "version");
	assert_non_null(strstr(k8smig_error_last()->message, "k8smig_emit_options"));
	eo.version = K8SMIG_EMIT_OPTIONS_VERSION + 1;
	assert_fails(k8smig_object_emit(&out, NULL, o, &eo), K8SMIG_EINVAL, "version");
	assert_ok(k8smig_apply_set_options_init(&ao, K8SMIG_APPLY_SET_OPTIONS_VERSION));
	assert_fails(k8smig_apply_set_options_init(&ao, K8SMIG_APPLY_SET_OPTIONS_VERSION + 1), K8SMIG_EINVAL, "version");
	assert_ok(k8smig_client_options_init(&co, 1));
	assert_int_equal(co.version, 1);
	assert_fails(k8smig_client_options_init(&co, 0), K8SMIG_EINVAL, "version");
	k8smig_object_free(o);
}

static const k8smig_finding *find(const k8smig_report *r, const char *code, const char *name)
{
	size_t i;
	for (i = 0; i < k8smig_report_size(r); i++) {
		const k8smig_finding *f = k8smig_report_get(r, i);
		if (strcmp(f->code, code) == 0 && strcmp(f->name, name) == 0)
			return f;
	}
	return NULL;
}

/* issue 16.6: a failed object is named, and does not hide the others' findings */
static void test_failed_object_is_named_in_set_operations(void **state)
{
	k8smig_object_list *set;
	k8smig_object *bad = NULL, *d = NULL;
	k8smig_report *r = NULL;
	const k8smig_finding *f;
	k8smig_kubeconfig *kc;
	k8smig_client *c;
	k8smig_apply_results *res = (k8smig_apply_results *)0x1;
	char *out = NULL, path[300];
	FILE *fp;
	(void)state;
	assert_ok(k8smig_object_list_new(&set));
	assert_ok(k8smig_config_map_new(&d, "fine", "prod"));
	assert_ok(k8smig_object_list_append_take(set, d));
	assert_ok(k8smig_config_map_new(&bad, "settings", "prod"));
	assert_int_equal(k8smig_config_map_set(bad, "not a key!", "v"), K8SMIG_EINVAL);
	assert_ok(k8smig_object_list_append_take(set, bad));
	assert_ok(k8smig_deployment_new(&d, "web", "prod"));  /* no container: a finding of its own */
	assert_ok(k8smig_object_list_append_take(set, d));

	assert_ok(k8smig_validate(&r, set, NULL));
	f = find(r, "K8SMIG-OBJECT-FAILED", "settings");
	assert_non_null(f);
	assert_int_equal(f->severity, K8SMIG_SEVERITY_ERROR);
	assert_string_equal(f->kind, "ConfigMap");
	assert_string_equal(f->namespace_, "prod");
	assert_string_equal(f->path, "data");
	assert_non_null(find(r, "K8SMIG-REQUIRED", "web"));  /* the other findings are still there */
	k8smig_report_free(r);

	assert_int_equal(k8smig_object_list_emit(&out, NULL, set, NULL), K8SMIG_EINVAL);
	assert_null(out);
	assert_string_equal(k8smig_error_last()->path, "data");
	assert_non_null(strstr(k8smig_error_last()->message, "ConfigMap prod/settings (document 1)"));

	snprintf(path, sizeof(path), "%s/kc-named.yaml", dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("apiVersion: v1\nkind: Config\ncurrent-context: t\n"
	      "clusters:\n- name: c\n  cluster: {server: 'https://127.0.0.1:1'}\n"
	      "contexts:\n- name: t\n  context: {cluster: c}\n", fp);
	fclose(fp);
	assert_int_equal(k8smig_init(), 1);
	assert_ok(k8smig_kubeconfig_load(&kc, path));
	assert_ok(k8smig_client_new(&c, kc, NULL));
	assert_int_equal(k8smig_client_apply_set(&res, c, set, NULL), K8SMIG_EINVAL);  /* before any request */
	assert_null(res);
	assert_string_equal(k8smig_error_last()->path, "data");
	assert_non_null(strstr(k8smig_error_last()->message, "ConfigMap prod/settings (document 1)"));
	k8smig_client_free(c);
	k8smig_kubeconfig_free(kc);
	k8smig_shutdown();
	k8smig_object_list_free(set);
}

/* issue 16.2: an explicit root user is legal, and validation warns about it */
static void test_explicit_root_is_a_warning(void **state)
{
	k8smig_object_list *set;
	k8smig_object *d;
	k8smig_report *r;
	size_t c;
	const k8smig_finding *f;
	k8smig_security_context_options sc = { .version = K8SMIG_SECURITY_CONTEXT_OPTIONS_VERSION,
	                                       .has_run_as_user = true, .has_run_as_non_root = true };
	k8smig_security_context_options fine = { .version = K8SMIG_SECURITY_CONTEXT_OPTIONS_VERSION,
	                                         .run_as_user = 1000, .run_as_non_root = true };
	(void)state;
	assert_ok(k8smig_object_list_new(&set));
	assert_ok(k8smig_deployment_new(&d, "rooted", "prod"));
	assert_ok(k8smig_pod_add_container(&c, d, "app", "nginx:1.27"));
	assert_ok(k8smig_container_set_security_context(d, c, &sc));
	assert_ok(k8smig_pod_set_security_context(d, &fine));
	assert_ok(k8smig_object_list_append_take(set, d));
	assert_ok(k8smig_validate(&r, set, NULL));
	f = find(r, "K8SMIG-RUNS-AS-ROOT", "rooted");
	assert_non_null(f);
	assert_int_equal(f->severity, K8SMIG_SEVERITY_WARNING);
	assert_string_equal(f->path, "spec.template.spec.containers[0].securityContext.runAsUser");
	assert_int_equal(k8smig_report_count(r, K8SMIG_SEVERITY_WARNING) >= 2, 1);
	k8smig_report_free(r);
	k8smig_object_list_free(set);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_list_take_keeps_borrowed_values, teardown_error),
		cmocka_unit_test_teardown(test_list_take_twice_is_refused, teardown_error),
		cmocka_unit_test_teardown(test_list_remove_and_extend_move_without_copying, teardown_error),
		cmocka_unit_test_teardown(test_list_write_file, teardown_error),
		cmocka_unit_test_teardown(test_client_new_without_init_is_refused, teardown_error),
		cmocka_unit_test_teardown(test_options_versions, teardown_error),
		cmocka_unit_test_teardown(test_failed_object_is_named_in_set_operations, teardown_error),
		cmocka_unit_test_teardown(test_explicit_root_is_a_warning, teardown_error),
	};
	return cmocka_run_group_tests_name("api", tests, setup, teardown);
}
