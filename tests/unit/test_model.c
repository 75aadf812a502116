/* tests/unit/test_model.c - lib/model: the k8smig_object tree. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "helpers.h"
#include "model/names.h"
#include "model/tree.h"

static k8smig_object *deployment(void)
{
	k8smig_object *d;
	assert_ok(k8smig_object_new(&d, "apps/v1", "Deployment"));
	assert_ok(k8smig_object_set_name(d, "web"));
	return d;
}

static void test_object_new_sets_identity(void **state)
{
	k8smig_object *d = deployment();
	(void)state;
	assert_string_equal(k8smig_object_api_version(d), "apps/v1");
	assert_string_equal(k8smig_object_kind(d), "Deployment");
	assert_string_equal(k8smig_object_name(d), "web");
	assert_null(k8smig_object_namespace(d));
	assert_int_equal(k8smig_object_status(d), 0);
	k8smig_object_free(d);
}

static void test_object_scalars_round_trip_by_path(void **state)
{
	k8smig_object *d = deployment();
	(void)state;
	assert_ok(k8smig_object_set_int(d, "spec.replicas", 3));
	assert_ok(k8smig_object_set_bool(d, "spec.paused", true));
	assert_ok(k8smig_object_set_double(d, "spec.ratio", 0.5));
	assert_ok(k8smig_object_set_str(d, "spec.template.spec.containers[0].image", "nginx:1.27"));
	assert_ok(k8smig_object_set_str(d, "spec.template.spec.containers[0].name", "web"));
	assert_ok(k8smig_object_set_null(d, "spec.nothing"));
	assert_int_equal(k8smig_object_get_int(d, "spec.replicas"), 3);
	assert_true(k8smig_object_get_bool(d, "spec.paused"));
	assert_true(k8smig_object_get_double(d, "spec.ratio") == 0.5);
	assert_string_equal(k8smig_object_get_str(d, "spec.template.spec.containers[0].image"), "nginx:1.27");
	assert_true(k8smig_object_has(d, "spec.nothing"));
	assert_int_equal(k8smig_value_type(k8smig_object_get(d, "spec.nothing")), K8SMIG_TYPE_NULL);
	assert_int_equal(k8smig_value_type(k8smig_object_get(d, "spec.template.spec.containers")), K8SMIG_TYPE_LIST);
	assert_int_equal(k8smig_value_size(k8smig_object_get(d, "spec.template.spec.containers")), 1);
	/* replacing keeps the position and changes the type */
	assert_ok(k8smig_object_set_str(d, "spec.replicas", "three"));
	assert_string_equal(k8smig_object_get_str(d, "spec.replicas"), "three");
	assert_int_equal(k8smig_object_get_int(d, "spec.replicas"), 0);
	k8smig_object_free(d);
}

static void test_object_unset_differs_from_zero(void **state)
{
	k8smig_object *d = deployment();
	(void)state;
	assert_false(k8smig_object_has(d, "spec.replicas"));
	assert_ok(k8smig_object_set_int(d, "spec.replicas", 0));
	assert_true(k8smig_object_has(d, "spec.replicas"));
	assert_ok(k8smig_object_set_bool(d, "spec.paused", false));
	assert_ok(k8smig_object_set_str(d, "spec.empty", ""));
	assert_true(k8smig_object_has(d, "spec.paused"));
	assert_string_equal(k8smig_object_get_str(d, "spec.empty"), "");
	assert_ok(k8smig_object_unset(d, "spec.replicas"));
	assert_false(k8smig_object_has(d, "spec.replicas"));
	assert_ok(k8smig_object_unset(d, "spec.replicas")); /* idempotent */
	assert_ok(k8smig_object_unset(d, "no.such.path"));
	assert_int_equal(k8smig_value_size(k8smig_object_get(d, "spec")), 2);
	k8smig_object_free(d);
}

static void test_object_bracket_keys(void **state)
{
	k8smig_object *d = deployment();
	(void)state;
	assert_ok(k8smig_object_set_label(d, "app.kubernetes.io/name", "web"));
	assert_ok(k8smig_object_set_annotation(d, "eks.amazonaws.com/role-arn", "arn:aws:iam::123456789012:role/x"));
	assert_string_equal(k8smig_object_label(d, "app.kubernetes.io/name"), "web");
	assert_string_equal(k8smig_object_get_str(d, "metadata.labels[app.kubernetes.io/name]"), "web");
	assert_ok(k8smig_object_set_str(d, "spec.selector.matchLabels[app.kubernetes.io/name]", "web"));
	assert_string_equal(k8smig_object_get_str(d, "spec.selector.matchLabels[app.kubernetes.io/name]"), "web");
	assert_string_equal(k8smig_value_key(k8smig_value_first(k8smig_object_get(d, "spec.selector.matchLabels"))),
	                    "app.kubernetes.io/name");
	assert_null(k8smig_object_label(d, "missing"));
	k8smig_object_free(d);
}

static void test_object_path_errors(void **state)
{
	k8smig_object *d = deployment();
	(void)state;
	assert_fails(k8smig_object_set_int(d, "spec..replicas", 1), K8SMIG_EINVAL, "spec..replicas");
	assert_fails(k8smig_object_set_int(d, ".spec", 1), K8SMIG_EINVAL, ".spec");
	assert_fails(k8smig_object_set_int(d, "spec[", 1), K8SMIG_EINVAL, "spec[");
	assert_fails(k8smig_object_set_int(d, "spec.", 1), K8SMIG_EINVAL, "spec.");
	assert_fails(k8smig_object_set_int(d, "", 1), K8SMIG_EINVAL, "");
	/* the first error sticks to the object */
	assert_int_equal(k8smig_object_status(d), K8SMIG_EINVAL);
	assert_string_equal(k8smig_error_last()->path, "spec..replicas");
	assert_null(k8smig_object_get(d, "spec..replicas"));
	k8smig_object_free(d);
}

static void test_object_type_errors(void **state)
{
	k8smig_object *d = deployment();
	(void)state;
	assert_fails(k8smig_object_set_int(d, "metadata.name.x", 1), K8SMIG_EKIND, "metadata.name.x");
	k8smig_object_free(d);
	d = deployment();
	assert_fails(k8smig_object_set_int(d, "metadata[0]", 1), K8SMIG_EKIND, "metadata[0]");
	k8smig_object_free(d);
	d = deployment();
	assert_ok(k8smig_object_append_str(NULL, d, "spec.args", "a"));
	assert_fails(k8smig_object_set_str(d, "spec.args.x", "b"), K8SMIG_EKIND, "spec.args.x");
	k8smig_object_free(d);
	d = deployment();
	assert_fails(k8smig_object_set_str(d, "spec.args[2]", "b"), K8SMIG_EINVAL, "spec.args[2]");
	k8smig_object_free(d);
	d = deployment();
	assert_fails(k8smig_object_append_str(NULL, d, "metadata.name", "x"), K8SMIG_EKIND, "metadata.name");
	k8smig_object_free(d);
}

static void test_object_rejects_bad_strings(void **state)
{
	k8smig_object *d = deployment();
	(void)state;
	assert_fails(k8smig_object_set_str(d, "data.x", "\xC3("), K8SMIG_EINVAL, "data.x");
	k8smig_object_free(d);
	d = deployment();
	assert_fails(k8smig_object_set_str(d, "data.x", NULL), K8SMIG_EINVAL, "data.x");
	k8smig_object_free(d);
	d = deployment();
	assert_fails(k8smig_object_set_label(d, "k", "\xFF"), K8SMIG_EINVAL, "metadata.labels[k]");
	k8smig_object_free(d);
	d = deployment();
	assert_fails(k8smig_object_set_double(d, "spec.x", 1.0 / 0.0), K8SMIG_EINVAL, "spec.x");
	k8smig_object_free(d);
	assert_fails(k8smig_object_set_str(NULL, "a", "b"), K8SMIG_EINVAL, "a");
}

static void test_object_append_builds_lists(void **state)
{
	k8smig_object *d = deployment();
	size_t idx = 99;
	const k8smig_value *l, *it;
	(void)state;
	assert_ok(k8smig_object_append_map(&idx, d, "spec.template.spec.containers"));
	assert_int_equal(idx, 0);
	assert_ok(k8smig_object_set_str(d, "spec.template.spec.containers[0].name", "a"));
	assert_ok(k8smig_object_append_map(&idx, d, "spec.template.spec.containers"));
	assert_int_equal(idx, 1);
	assert_ok(k8smig_object_set_str(d, "spec.template.spec.containers[1].name", "b"));
	assert_ok(k8smig_object_append_str(NULL, d, "spec.template.spec.containers[1].args", "--x"));
	assert_ok(k8smig_object_append_int(&idx, d, "spec.ports", 8080));
	l = k8smig_object_get(d, "spec.template.spec.containers");
	assert_int_equal(k8smig_value_size(l), 2);
	it = k8smig_value_first(l);
	assert_string_equal(k8smig_value_str(k8smig_value_lookup(it, "name")), "a");
	it = k8smig_value_next(it);
	assert_string_equal(k8smig_value_str(k8smig_value_lookup(it, "name")), "b");
	assert_null(k8smig_value_next(it));
	assert_null(k8smig_value_key(it));
	assert_ptr_equal(k8smig_value_at(l, 1), it);
	assert_null(k8smig_value_at(l, 2));
	assert_int_equal(k8smig_object_get_int(d, "spec.ports[0]"), 8080);
	k8smig_object_free(d);
}

static void test_object_dup_and_equal(void **state)
{
	k8smig_object *a = deployment(), *b, *c;
	(void)state;
	assert_ok(k8smig_object_set_int(a, "spec.replicas", 2));
	assert_ok(k8smig_object_set_label(a, "x", "y"));
	assert_ok(k8smig_object_dup(&b, a));
	assert_true(k8smig_object_equal(a, b));
	assert_ok(k8smig_object_set_int(b, "spec.replicas", 3));
	assert_false(k8smig_object_equal(a, b));
	assert_int_equal(k8smig_object_get_int(a, "spec.replicas"), 2);
	/* key order does not matter for equality; int and double differ */
	assert_ok(k8smig_object_new(&c, NULL, NULL));
	assert_ok(k8smig_object_set_label(c, "x", "y"));
	assert_ok(k8smig_object_set_name(c, "web"));
	assert_ok(k8smig_object_set_int(c, "spec.replicas", 2));
	assert_ok(k8smig_object_set_str(c, "kind", "Deployment"));
	assert_ok(k8smig_object_set_str(c, "apiVersion", "apps/v1"));
	assert_true(k8smig_object_equal(a, c));
	assert_ok(k8smig_object_set_double(c, "spec.replicas", 2.0));
	assert_false(k8smig_object_equal(a, c));
	k8smig_object_free(a);
	k8smig_object_free(b);
	k8smig_object_free(c);
}

static void test_object_set_value_copies_subtrees(void **state)
{
	k8smig_object *a = deployment(), *b = deployment();
	(void)state;
	assert_ok(k8smig_object_set_str(a, "spec.template.spec.containers[0].image", "x"));
	assert_ok(k8smig_object_set_value(b, "spec", k8smig_object_get(a, "spec")));
	assert_string_equal(k8smig_object_get_str(b, "spec.template.spec.containers[0].image"), "x");
	/* copying a subtree of the same object into itself */
	assert_ok(k8smig_object_set_value(a, "status.copy", k8smig_object_get(a, "spec")));
	assert_string_equal(k8smig_object_get_str(a, "status.copy.template.spec.containers[0].image"), "x");
	assert_ok(k8smig_object_append_value(NULL, a, "list", k8smig_object_get(a, "metadata")));
	assert_string_equal(k8smig_object_get_str(a, "list[0].name"), "web");
	assert_fails(k8smig_object_set_value(a, "x", NULL), K8SMIG_EINVAL, "x");
	k8smig_object_free(a);
	k8smig_object_free(b);
}

static void test_object_strings_rewrite_in_place(void **state)
{
	k8smig_object *d = deployment();
	size_t before, i;
	(void)state;
	assert_ok(k8smig_object_set_str(d, "data.k", "a long enough value"));
	before = k8smig_object_memory(d);
	for (i = 0; i < 1000; i++)
		assert_ok(k8smig_object_set_str(d, "data.k", i % 2 ? "short" : "a long enough value"));
	assert_int_equal(k8smig_object_memory(d), before);
	k8smig_object_free(d);
}

static void test_object_setters_take_strings_borrowed_from_the_object(void **state)
{
	k8smig_object *d = deployment();
	char path[32];
	int i;
	(void)state;
	/* each set grows the arena, which moves the borrowed name under the call */
	for (i = 0; i < 200; i++) {
		snprintf(path, sizeof(path), "spec.copies.c%d", i);
		assert_ok(k8smig_object_set_str(d, path, k8smig_object_name(d)));
		assert_ok(k8smig_object_append_str(NULL, d, "spec.list", k8smig_object_name(d)));
		assert_ok(k8smig_object_set_label(d, k8smig_object_name(d), k8smig_object_name(d)));
	}
	assert_string_equal(k8smig_object_get_str(d, "spec.copies.c199"), "web");
	assert_string_equal(k8smig_object_get_str(d, "spec.list[199]"), "web");
	assert_string_equal(k8smig_object_label(d, "web"), "web");
	k8smig_object_free(d);
}

/* The trail (the nodes the last path passed through) must never lead a setter into a replaced or removed subtree. */
static void test_object_path_cache_follows_structural_changes(void **state)
{
	k8smig_object *d = deployment();
	(void)state;
	assert_ok(k8smig_object_set_str(d, "spec.template.spec.containers[0].name", "a"));
	assert_ok(k8smig_object_set_map(d, "spec.template.spec"));          /* drops containers */
	assert_ok(k8smig_object_set_str(d, "spec.template.spec.containers[0].name", "b"));
	assert_int_equal(k8smig_value_size(k8smig_object_get(d, "spec.template.spec.containers")), 1);
	assert_string_equal(k8smig_object_get_str(d, "spec.template.spec.containers[0].name"), "b");
	assert_ok(k8smig_object_unset(d, "spec.template.spec.containers[0]"));
	assert_ok(k8smig_object_set_str(d, "spec.template.spec.containers[0].image", "c"));
	assert_false(k8smig_object_has(d, "spec.template.spec.containers[0].name"));
	assert_string_equal(k8smig_object_get_str(d, "spec.template.spec.containers[0].image"), "c");
	assert_ok(k8smig_object_set_str(d, "spec.template", "scalar now"));  /* a container becomes a string */
	assert_fails(k8smig_object_set_str(d, "spec.template.spec.x", "y"), K8SMIG_EKIND, "spec.template.spec.x");
	k8smig_object_free(d);
	d = deployment();
	assert_ok(k8smig_object_set_str(d, "spec.a.b.c", "1"));
	assert_ok(k8smig_object_set_value(d, "spec.a", k8smig_object_get(d, "metadata")));  /* replaced by a copy */
	assert_ok(k8smig_object_set_str(d, "spec.a.b.d", "2"));
	assert_false(k8smig_object_has(d, "spec.a.b.c"));
	assert_string_equal(k8smig_object_get_str(d, "spec.a.name"), "web");
	assert_string_equal(k8smig_object_get_str(d, "spec.a.b.d"), "2");
	k8smig_object_free(d);
}

static void test_object_null_on_the_way_becomes_container(void **state)
{
	k8smig_object *d = deployment();
	(void)state;
	assert_ok(k8smig_object_set_null(d, "spec"));
	assert_ok(k8smig_object_set_int(d, "spec.replicas", 1));
	assert_int_equal(k8smig_object_get_int(d, "spec.replicas"), 1);
	k8smig_object_free(d);
}

static void test_object_list_holds_documents(void **state)
{
	k8smig_object_list *l;
	k8smig_object *d = deployment();
	(void)state;
	assert_ok(k8smig_object_list_new(&l));
	assert_ok(k8smig_object_list_append(l, d));
	assert_ok(k8smig_object_list_append_take(l, d));
	assert_int_equal(k8smig_object_list_size(l), 2);
	assert_ptr_equal(k8smig_object_list_get(l, 1), d);
	assert_true(k8smig_object_equal(k8smig_object_list_get(l, 0), d));
	assert_null(k8smig_object_list_get(l, 2));
	assert_fails(k8smig_object_list_append_take(NULL, NULL), K8SMIG_EINVAL, "");
	k8smig_object_list_free(l);
	k8smig_object_list_free(NULL);
	k8smig_object_free(NULL);
}

static void test_object_reference_deployment_is_small(void **state)
{
	k8smig_object *d = deployment();
	(void)state;
	/* the reference Deployment's shape: well under 4 KB in one arena */
	assert_ok(k8smig_object_set_namespace(d, "layering-detection-dev"));
	assert_ok(k8smig_object_set_label(d, "app.kubernetes.io/name", "layering"));
	assert_ok(k8smig_object_set_label(d, "app.kubernetes.io/part-of", "layering-detection"));
	assert_ok(k8smig_object_set_label(d, "app.kubernetes.io/component", "algorithm"));
	assert_ok(k8smig_object_set_int(d, "spec.replicas", 2));
	assert_ok(k8smig_object_set_str(d, "spec.template.spec.containers[0].name", "app"));
	assert_ok(k8smig_object_set_str(d, "spec.template.spec.containers[0].image", "123456789012.dkr.ecr.us-east-1.amazonaws.com/layering:0"));
	assert_true(k8smig_object_memory(d) < 4096);
	k8smig_object_free(d);
}


/* Paths are compiled once per thread, keyed by address: a buffer reused with other text,
 * paths longer or deeper than a compiled slot holds, and a malformed path all still work. */
static void test_object_compiled_paths_follow_their_text(void **state)
{
	k8smig_object *o;
	char buf[160];
	int i;
	(void)state;
	assert_int_equal(k8smig_object_new(&o, "v1", "ConfigMap"), 0);
	strcpy(buf, "data.a");
	assert_int_equal(k8smig_object_set_str(o, buf, "1"), 0);
	strcpy(buf, "data.b");
	assert_int_equal(k8smig_object_set_str(o, buf, "2"), 0);
	strcpy(buf, "data.a");
	assert_string_equal(k8smig_object_get_str(o, buf), "1");
	strcpy(buf, "data.b");
	assert_string_equal(k8smig_object_get_str(o, buf), "2");
	/* 12 steps, 100 characters: beyond a compiled slot */
	strcpy(buf, "x.a.b.c.d.e.f.g.h.i.j.k");
	assert_int_equal(k8smig_object_set_int(o, buf, 7), 0);
	assert_int_equal(k8smig_object_get_int(o, "x.a.b.c.d.e.f.g.h.i.j.k"), 7);
	for (i = 0; i < 90; i++)
		buf[i] = 'q';
	buf[90] = '\0';
	assert_int_equal(k8smig_object_set_str(o, buf, "long"), 0);
	assert_string_equal(k8smig_value_str(k8smig_value_lookup(k8smig_object_get(o, NULL), buf)), "long");
	/* malformed, from the compiled side and the slow side alike */
	assert_int_equal(k8smig_object_set_str(o, "data..c", "x"), K8SMIG_EINVAL);
	assert_string_equal(k8smig_error_last()->path, "data..c");
	k8smig_object_free(o);
}


/* A setter starts from the steps it shares with the path set before it (the object's
 * trail): shared text that is not a whole step, a buffer that changed its text, two
 * objects in turn and a second thread must all land where a walk from the root would. */
static void *set_from_other_thread(void *arg)
{
	k8smig_object *o = arg;
	if (k8smig_object_set_str(o, "spec.template.spec.containers[0].env[1].name", "B") < 0 ||
	    k8smig_object_set_str(o, "spec.template.spec.containers[0].env[1].value", "2") < 0)
		return NULL;
	return o;
}

static void test_object_trail_lands_like_a_walk_from_the_root(void **state)
{
	k8smig_object *a = deployment(), *b = deployment();
	char buf[64];
	pthread_t t;
	void *res = NULL;
	(void)state;
	/* "abc" is a prefix of "abcd" as text, not as a step */
	assert_ok(k8smig_object_set_str(a, "spec.abc.x", "1"));
	assert_ok(k8smig_object_set_str(a, "spec.abcd.y", "2"));
	assert_false(k8smig_object_has(a, "spec.abc.y"));
	assert_string_equal(k8smig_object_get_str(a, "spec.abcd.y"), "2");
	/* bracketed keys holding dots */
	assert_ok(k8smig_object_set_str(a, "metadata.labels[a.b]", "1"));
	assert_ok(k8smig_object_set_str(a, "metadata.labels[a.bc]", "2"));
	assert_string_equal(k8smig_object_label(a, "a.b"), "1");
	assert_string_equal(k8smig_object_label(a, "a.bc"), "2");
	/* one buffer, other text with the same step boundaries */
	strcpy(buf, "spec.p.q");
	assert_ok(k8smig_object_set_str(a, buf, "pq"));
	strcpy(buf, "spec.r.q");
	assert_ok(k8smig_object_set_str(a, buf, "rq"));
	assert_string_equal(k8smig_object_get_str(a, "spec.p.q"), "pq");
	assert_string_equal(k8smig_object_get_str(a, "spec.r.q"), "rq");
	/* two objects in turn with the same paths: each keeps its own trail */
	assert_ok(k8smig_object_set_str(a, "spec.template.spec.containers[0].env[0].name", "A"));
	assert_ok(k8smig_object_set_str(b, "spec.template.spec.containers[0].env[0].name", "b"));
	assert_ok(k8smig_object_set_str(a, "spec.template.spec.containers[0].env[0].value", "1"));
	assert_ok(k8smig_object_set_str(b, "spec.template.spec.containers[0].env[0].value", "bv"));
	assert_string_equal(k8smig_object_get_str(a, "spec.template.spec.containers[0].env[0].value"), "1");
	assert_string_equal(k8smig_object_get_str(b, "spec.template.spec.containers[0].env[0].value"), "bv");
	assert_false(k8smig_object_has(b, "spec.template.spec.containers[0].env[1]"));
	/* another thread continues a's trail with its own compiled paths */
	assert_int_equal(pthread_create(&t, NULL, set_from_other_thread, a), 0);
	pthread_join(t, &res);
	assert_ptr_equal(res, a);
	assert_ok(k8smig_object_set_str(a, "spec.template.spec.containers[0].env[1].value", "3"));
	assert_string_equal(k8smig_object_get_str(a, "spec.template.spec.containers[0].env[1].name"), "B");
	assert_string_equal(k8smig_object_get_str(a, "spec.template.spec.containers[0].env[1].value"), "3");
	assert_int_equal(k8smig_value_size(k8smig_object_get(a, "spec.template.spec.containers[0].env")), 2);
	/* a leaf set before, then a path through it */
	assert_ok(k8smig_object_set_str(a, "spec.leaf", "x"));
	assert_fails(k8smig_object_set_str(a, "spec.leaf.deeper", "y"), K8SMIG_EKIND, "spec.leaf.deeper");
	k8smig_object_free(a);
	k8smig_object_free(b);
}

/* The emitters copy a common name as one fixed-size block: padded, and quoted with its ':'
 * for compact JSON; every name must fit both. The label builders take a common name as a
 * valid label key without a look: each must be one. */
static void test_object_static_key_tables(void **state)
{
	size_t i;
	char want[K8SMIG__STATIC_KEY_PAD + 1];
	(void)state;
	assert_true(k8smig__static_key_count > 100);
	for (i = 0; i < k8smig__static_key_count; i++) {
		const char *k = k8smig__static_keys[i];
		size_t n = strlen(k);
		assert_true(n + 3 <= K8SMIG__STATIC_KEY_PAD);
		assert_int_equal(k8smig__static_key_lens[i], n);
		assert_memory_equal(k8smig__static_keys_padded[i], k, n);
		snprintf(want, sizeof(want), "\"%s\":", k);
		assert_memory_equal(k8smig__static_keys_json[i], want, n + 3);
		assert_int_equal(k8smig__static_key_find(k, n), (int)i);
		assert_null(k8smig__label_key(k));
	}
}

/* A literal path keeps its compiled form at its call site (object.h's macros), per thread;
 * when the table slot it names is reused by other paths, the site finds the path anew. */
#define IMAGE "spec.template.spec.containers[0].image"
static int set_image(k8smig_object *o, const char *v)
{
	return k8smig_object_set_str(o, IMAGE, v); /* one call site */
}

static void *set_image_other_thread(void *arg)
{
	return set_image(arg, "from-thread") == 0 ? arg : NULL;
}

static void test_object_literal_path_sites(void **state)
{
	k8smig_object *o = deployment(), *p = deployment(), *objs[2];
	k8smig_path_site site = { NULL, NULL, 0 };
	static char paths[300][24];
	uint64_t serial;
	pthread_t t;
	void *res = NULL;
	int i, n = 0;
	(void)state;
	assert_true(K8SMIG__LITERAL(IMAGE));
	assert_false(K8SMIG__LITERAL(paths[0]));
	/* the site form and the plain function land on the same node */
	assert_ok(set_image(o, "one"));
	assert_ok(set_image(o, "two"));
	assert_string_equal(k8smig_object_get_str(o, IMAGE), "two");
	assert_ok(k8smig_object_set_str_site(o, &site, IMAGE, "three"));
	assert_non_null(site.compiled);
	serial = site.serial;
	assert_ok(k8smig_object_set_str_site(o, &site, IMAGE, "four"));
	assert_true(site.serial == serial);
	assert_string_equal(k8smig_object_get_str(o, IMAGE), "four");
	assert_int_equal(k8smig_value_size(k8smig_object_get(o, "spec.template.spec.containers")), 1);
	/* 300 paths at 300 addresses: every slot of this thread's table is reused */
	for (i = 0; i < 300; i++) {
		snprintf(paths[i], sizeof(paths[i]), "metadata.labels.k%d", i);
		assert_ok(k8smig_object_set_str(p, paths[i], "v"));
	}
	assert_ok(k8smig_object_set_str_site(o, &site, IMAGE, "five"));
	assert_true(site.serial != serial);
	assert_ok(set_image(o, "six"));
	assert_string_equal(k8smig_object_get_str(o, IMAGE), "six");
	/* another thread: its own memory at the same call site */
	assert_int_equal(pthread_create(&t, NULL, set_image_other_thread, o), 0);
	pthread_join(t, &res);
	assert_ptr_equal(res, o);
	assert_string_equal(k8smig_object_get_str(o, IMAGE), "from-thread");
	/* failures through a site name the path; NULL site is the plain function */
	assert_ok(set_image(p, "a string"));
	assert_fails(k8smig_object_set_int(p, IMAGE ".x", 1), K8SMIG_EKIND, IMAGE ".x");
	assert_fails(k8smig_object_set_str(p, "metadata.name", NULL), K8SMIG_EINVAL, "metadata.name");
	/* a site given another path finds that path */
	assert_fails(k8smig_object_set_bool_site(p, &site, "a..b", true), K8SMIG_EINVAL, "a..b");
	assert_ptr_equal(site.compiled, NULL);
	k8smig_object_free(p);
	p = deployment();
	assert_ok(k8smig_object_set_strn_site(p, NULL, "metadata.name", "web-x", 3));
	assert_string_equal(k8smig_object_name(p), "web");
	/* each argument is evaluated once */
	objs[0] = o;
	objs[1] = p;
	assert_ok(k8smig_object_set_int(objs[n++], "spec.replicas", 4));
	assert_ok(k8smig_object_set_bool(objs[n++], "spec.paused", true));
	assert_int_equal(n, 2);
	assert_int_equal(k8smig_object_get_int(o, "spec.replicas"), 4);
	assert_true(k8smig_object_get_bool(p, "spec.paused"));
	k8smig_object_free(o);
	k8smig_object_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_object_new_sets_identity, teardown_error),
		cmocka_unit_test_teardown(test_object_scalars_round_trip_by_path, teardown_error),
		cmocka_unit_test_teardown(test_object_unset_differs_from_zero, teardown_error),
		cmocka_unit_test_teardown(test_object_bracket_keys, teardown_error),
		cmocka_unit_test_teardown(test_object_path_errors, teardown_error),
		cmocka_unit_test_teardown(test_object_type_errors, teardown_error),
		cmocka_unit_test_teardown(test_object_rejects_bad_strings, teardown_error),
		cmocka_unit_test_teardown(test_object_append_builds_lists, teardown_error),
		cmocka_unit_test_teardown(test_object_dup_and_equal, teardown_error),
		cmocka_unit_test_teardown(test_object_set_value_copies_subtrees, teardown_error),
		cmocka_unit_test_teardown(test_object_strings_rewrite_in_place, teardown_error),
		cmocka_unit_test_teardown(test_object_setters_take_strings_borrowed_from_the_object, teardown_error),
		cmocka_unit_test_teardown(test_object_path_cache_follows_structural_changes, teardown_error),
		cmocka_unit_test_teardown(test_object_trail_lands_like_a_walk_from_the_root, teardown_error),
		cmocka_unit_test_teardown(test_object_literal_path_sites, teardown_error),
		cmocka_unit_test_teardown(test_object_static_key_tables, teardown_error),
		cmocka_unit_test_teardown(test_object_null_on_the_way_becomes_container, teardown_error),
		cmocka_unit_test_teardown(test_object_list_holds_documents, teardown_error),
		cmocka_unit_test_teardown(test_object_reference_deployment_is_small, teardown_error),
		cmocka_unit_test_teardown(test_object_compiled_paths_follow_their_text, teardown_error),
	};
	return cmocka_run_group_tests_name("model", tests, NULL, NULL);
}
