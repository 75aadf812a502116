/* tests/unit/test_serialize.c - lib/serialize: YAML and JSON in and out. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "helpers.h"
#include "serialize/scalar.h"

static k8smig_object_list *parse_ok(const char *text)
{
	k8smig_object_list *l = NULL;
	int rc = k8smig_parse(&l, text, strlen(text), NULL);
	if (rc < 0)
		fail_msg("parse failed: %s at %d:%d (%s)", k8smig_error_last()->message, k8smig_error_last()->line,
		         k8smig_error_last()->column, k8smig_error_last()->path);
	return l;
}

static char *emit(const k8smig_object *o, k8smig_format f, unsigned flags)
{
	k8smig_emit_options eo = K8SMIG_EMIT_OPTIONS_INIT;
	char *out = NULL;
	eo.format = f;
	eo.flags = flags;
	assert_ok(k8smig_object_emit(&out, NULL, o, &eo));
	return out;
}

/* parse error: code, line, column and path all asserted */
static void assert_parse_error(const char *text, int line, int column, const char *path)
{
	k8smig_object_list *l = (k8smig_object_list *)0x1;
	assert_fails(k8smig_parse(&l, text, strlen(text), NULL), K8SMIG_EPARSE, path);
	assert_null(l);
	assert_int_equal(k8smig_error_last()->line, line);
	assert_int_equal(k8smig_error_last()->column, column);
}

static void test_yaml_resolves_scalars_like_kubectl(void **state)
{
	k8smig_object_list *l = parse_ok(
		"a: yes\nb: 'yes'\nc: 0755\nd: 0x1F\ne: 1_000\nf: 1e3\ng: 12:30\nh: ~\ni: null\nj:\n"
		"k: off\nl: 3.0\nm: .inf\nn: -12\no: 0o17\np: 0b101\nq: 99999999999999999999\nr: 2024-01-01\n"
		"s: !!str 42\nt: !!int \"7\"\nu: !!float 1\nv: Y\nw: 1.2.3\n");
	const k8smig_object *o = k8smig_object_list_get(l, 0);
	(void)state;
	assert_int_equal(k8smig_value_type(k8smig_object_get(o, "a")), K8SMIG_TYPE_BOOL);
	assert_true(k8smig_object_get_bool(o, "a"));
	assert_string_equal(k8smig_object_get_str(o, "b"), "yes");
	assert_int_equal(k8smig_object_get_int(o, "c"), 0755);
	assert_int_equal(k8smig_object_get_int(o, "d"), 31);
	assert_int_equal(k8smig_object_get_int(o, "e"), 1000);
	assert_int_equal(k8smig_value_type(k8smig_object_get(o, "f")), K8SMIG_TYPE_DOUBLE);
	assert_true(k8smig_object_get_double(o, "f") == 1000.0);
	assert_string_equal(k8smig_object_get_str(o, "g"), "12:30");
	assert_int_equal(k8smig_value_type(k8smig_object_get(o, "h")), K8SMIG_TYPE_NULL);
	assert_int_equal(k8smig_value_type(k8smig_object_get(o, "i")), K8SMIG_TYPE_NULL);
	assert_int_equal(k8smig_value_type(k8smig_object_get(o, "j")), K8SMIG_TYPE_NULL);
	assert_true(k8smig_object_has(o, "j"));
	assert_false(k8smig_object_get_bool(o, "k"));
	assert_int_equal(k8smig_value_type(k8smig_object_get(o, "k")), K8SMIG_TYPE_BOOL);
	assert_int_equal(k8smig_value_type(k8smig_object_get(o, "l")), K8SMIG_TYPE_DOUBLE);
	assert_true(k8smig_object_get_double(o, "m") > 1e308);
	assert_int_equal(k8smig_object_get_int(o, "n"), -12);
	assert_int_equal(k8smig_object_get_int(o, "o"), 15);
	assert_int_equal(k8smig_object_get_int(o, "p"), 5);
	assert_int_equal(k8smig_value_type(k8smig_object_get(o, "q")), K8SMIG_TYPE_DOUBLE);
	assert_string_equal(k8smig_object_get_str(o, "r"), "2024-01-01");
	assert_string_equal(k8smig_object_get_str(o, "s"), "42");
	assert_int_equal(k8smig_object_get_int(o, "t"), 7);
	assert_int_equal(k8smig_value_type(k8smig_object_get(o, "u")), K8SMIG_TYPE_DOUBLE);
	assert_true(k8smig_object_get_bool(o, "v"));
	assert_string_equal(k8smig_object_get_str(o, "w"), "1.2.3");
	k8smig_object_list_free(l);
}

static void test_yaml12_bools_for_kustomize(void **state)
{
	k8smig_parse_options po = K8SMIG_PARSE_OPTIONS_INIT;
	k8smig_object_list *l;
	const k8smig_object *o;
	(void)state;
	po.flags = K8SMIG_PARSE_YAML12_BOOLS;
	{
		const char *text = "a: yes\nb: n\nc: on\nd: True\ne: false\nf: 0755\n";
		assert_ok(k8smig_parse(&l, text, strlen(text), &po));
	}
	o = k8smig_object_list_get(l, 0);
	assert_string_equal(k8smig_object_get_str(o, "a"), "yes");
	assert_string_equal(k8smig_object_get_str(o, "b"), "n");
	assert_string_equal(k8smig_object_get_str(o, "c"), "on");
	assert_true(k8smig_object_get_bool(o, "d"));
	assert_int_equal(k8smig_value_type(k8smig_object_get(o, "e")), K8SMIG_TYPE_BOOL);
	assert_int_equal(k8smig_object_get_int(o, "f"), 0755); /* go-yaml v3 keeps leading-zero octal */
	k8smig_object_list_free(l);
	po.flags = 0x80;
	assert_fails(k8smig_parse(&l, "a: 1\n", 5, &po), K8SMIG_EINVAL, "");
}

static void test_yaml_emit_quotes_ambiguous_strings(void **state)
{
	static const char *const tricky[] = {
		"yes", "no", "on", "off", "y", "n", "Y", "N", "true", "False", "null", "Null", "~", "0755", "0x1F",
		"1e3", "1_000", "12:30", "2024-01-01", ".inf", "-.Inf", ".nan", "", " lead", "trail ", "a: b",
		"a #b", "- x", "@at", "`tick", "*star", "&amp", "!bang", "%pct", "{brace", "[bracket", "bell\a",
		"nul-free\x7f", "=", "-", "---", "--- x", "-.5", "-x",
		"88888888888888888888888888888*x", "99999999999999999999x", "0x1FFFFFFFFFFFFFFFFFFFFFFFFg",
		"\tindented\nblock\n", "a\n\tb\n", ".nan", "-.inf", "-_000", "+_1", "-_0x1F", "<<", "8000", "-1", "+1", "1.5", ".5", "0o17", "0b101", "key:", "#hash",
		"|pipe", ">gt", "'sq", "\"dq", "?q", ",comma", "tab\tx", "cr\rx", "nel\xC2\x85x", "ls\xE2\x80\xA8x",
		"bom\xEF\xBB\xBFx", NULL
	};
	size_t i;
	(void)state;
	for (i = 0; tricky[i]; i++) {
		k8smig_object *o;
		k8smig_object_list *back;
		char *text;
		assert_ok(k8smig_object_new(&o, "v1", "ConfigMap"));
		assert_ok(k8smig_object_set_str(o, "data.v", tricky[i]));
		/* and as a key (labels take any key but the empty one) */
		if (tricky[i][0])
			assert_ok(k8smig_object_set_label(o, tricky[i], "x"));
		text = emit(o, K8SMIG_FORMAT_YAML, 0);
		back = parse_ok(text);
		if (!k8smig_object_equal(o, k8smig_object_list_get(back, 0)))
			fail_msg("string %zu did not survive: %s", i, text);
		k8smig_free(text);
		k8smig_object_list_free(back);
		k8smig_object_free(o);
	}
}

static void test_yaml_emit_keys_are_quoted_too(void **state)
{
	k8smig_object_list *l = parse_ok("data:\n  'on': a\n  '0755': b\n  'a: b': c\n  '': d\n");
	char *text;
	(void)state;
	text = emit(k8smig_object_list_get(l, 0), K8SMIG_FORMAT_YAML, 0);
	assert_string_equal(text, "data:\n  \"on\": a\n  \"0755\": b\n  \"a: b\": c\n  \"\": d\n");
	k8smig_free(text);
	k8smig_object_list_free(l);
}

/* A key longer than YAML's 1024-character implicit keys is written "? key". */
static void test_yaml_emit_long_keys_explicitly(void **state)
{
	k8smig_object *o;
	k8smig_object_list *back;
	char key[1500], *text;
	(void)state;
	memset(key, 'k', sizeof(key) - 1);
	key[sizeof(key) - 1] = '\0';
	assert_ok(k8smig_object_new(&o, "v1", "ConfigMap"));
	assert_ok(k8smig_object_set_label(o, key, "scalar"));
	assert_ok(k8smig_object_set_str(o, "data.x", "y"));
	assert_ok(k8smig_object_append_map(NULL, o, "list"));
	assert_ok(k8smig_object_set_str(o, "list[0].a", "b"));
	/* a long key in a list item, and one over a nested map */
	{
		k8smig_object *src;
		assert_ok(k8smig_object_new(&src, NULL, NULL));
		assert_ok(k8smig_object_set_label(src, key, "nested"));
		assert_ok(k8smig_object_set_value(o, "list[0].m", k8smig_object_get(src, "metadata.labels")));
		assert_ok(k8smig_object_set_value(o, "spec.deep", k8smig_object_get(src, "metadata")));
		k8smig_object_free(src);
	}
	text = emit(o, K8SMIG_FORMAT_YAML, 0);
	assert_non_null(strstr(text, "? kkkk"));
	back = parse_ok(text);
	assert_true(k8smig_object_equal(o, k8smig_object_list_get(back, 0)));
	k8smig_free(text);
	k8smig_object_list_free(back);
	k8smig_object_free(o);
}

static void test_yaml_emit_layout(void **state)
{
	k8smig_object *o;
	char *text;
	(void)state;
	assert_ok(k8smig_object_new(&o, NULL, NULL));
	/* inserted out of order: emitted in Kubernetes' order */
	assert_ok(k8smig_object_set_str(o, "data.conf", "[SERVICE]\n    Flush 1\n"));
	assert_ok(k8smig_object_set_str(o, "spec.x", "y"));
	assert_ok(k8smig_object_set_str(o, "metadata.name", "n"));
	assert_ok(k8smig_object_set_str(o, "kind", "ConfigMap"));
	assert_ok(k8smig_object_set_str(o, "apiVersion", "v1"));
	assert_ok(k8smig_object_append_map(NULL, o, "spec.items"));
	assert_ok(k8smig_object_set_str(o, "spec.items[0].name", "a"));
	assert_ok(k8smig_object_set_int(o, "spec.items[0].port", 80));
	assert_ok(k8smig_object_append_str(NULL, o, "spec.items[0].args", "--v"));
	assert_ok(k8smig_object_set_list(o, "spec.empty"));
	assert_ok(k8smig_object_set_map(o, "spec.none"));
	assert_ok(k8smig_object_set_str(o, "data.nochomp", "a\nb"));
	assert_ok(k8smig_object_set_str(o, "data.keep", "a\n\n"));
	text = emit(o, K8SMIG_FORMAT_YAML, 0);
	assert_string_equal(text,
		"apiVersion: v1\n"
		"kind: ConfigMap\n"
		"metadata:\n"
		"  name: \"n\"\n"
		"spec:\n"
		"  x: \"y\"\n"
		"  items:\n"
		"  - name: a\n"
		"    port: 80\n"
		"    args:\n"
		"    - --v\n"
		"  empty: []\n"
		"  none: {}\n"
		"data:\n"
		"  conf: |\n"
		"    [SERVICE]\n"
		"        Flush 1\n"
		"  nochomp: |-\n"
		"    a\n"
		"    b\n"
		"  keep: |+\n"
		"    a\n"
		"\n");
	k8smig_free(text);
	k8smig_object_free(o);
}

static void test_json_emit_compact_and_indented(void **state)
{
	k8smig_object_list *l = parse_ok("kind: X\napiVersion: v1\nspec: {a: [1, 2.5, true, null, \"q\\\"\\n\"]}\n");
	char *text;
	(void)state;
	text = emit(k8smig_object_list_get(l, 0), K8SMIG_FORMAT_JSON, K8SMIG_EMIT_COMPACT);
	assert_string_equal(text, "{\"apiVersion\":\"v1\",\"kind\":\"X\",\"spec\":{\"a\":[1,2.5,true,null,\"q\\\"\\n\"]}}\n");
	k8smig_free(text);
	text = emit(k8smig_object_list_get(l, 0), K8SMIG_FORMAT_JSON, 0);
	assert_string_equal(text, "{\n    \"apiVersion\": \"v1\",\n    \"kind\": \"X\",\n    \"spec\": {\n        \"a\": [\n"
	                          "            1,\n            2.5,\n            true,\n            null,\n"
	                          "            \"q\\\"\\n\"\n        ]\n    }\n}\n");
	k8smig_free(text);
	k8smig_object_list_free(l);
}

static void test_json_emit_rejects_nan(void **state)
{
	k8smig_object_list *l = parse_ok("a: .nan\n");
	char *out = (char *)0x1;
	(void)state;
	assert_fails(k8smig_object_emit(&out, NULL, k8smig_object_list_get(l, 0), &(k8smig_emit_options){
		K8SMIG_EMIT_OPTIONS_VERSION, K8SMIG_FORMAT_JSON, 0 }), K8SMIG_EINVAL, "");
	assert_null(out);
	k8smig_object_list_free(l);
}

static void test_emit_refuses_failed_object(void **state)
{
	k8smig_object *o;
	char *out;
	(void)state;
	assert_ok(k8smig_object_new(&o, "v1", "ConfigMap"));
	assert_fails(k8smig_object_set_str(o, "data..x", "y"), K8SMIG_EINVAL, "data..x");
	k8smig_error_clear();
	assert_fails(k8smig_object_emit(&out, NULL, o, NULL), K8SMIG_EINVAL, "data..x");
	k8smig_object_free(o);
}

static void test_emit_options_versioned(void **state)
{
	k8smig_emit_options eo;
	k8smig_parse_options po;
	k8smig_object_list *l;
	(void)state;
	assert_ok(k8smig_emit_options_init(&eo, K8SMIG_EMIT_OPTIONS_VERSION));
	assert_int_equal(eo.format, K8SMIG_FORMAT_YAML);
	assert_fails(k8smig_emit_options_init(&eo, 99), K8SMIG_EINVAL, "version");
	assert_ok(k8smig_parse_options_init(&po, K8SMIG_PARSE_OPTIONS_VERSION));
	po.version = 77;
	assert_fails(k8smig_parse(&l, "a: 1", 4, &po), K8SMIG_EINVAL, "version");
}

static void test_stream_documents_and_separators(void **state)
{
	k8smig_object_list *l = parse_ok("---\na: 1\n---\n# only a comment\n---\nb: 2\n...\n---\nc: 3\n");
	char *out;
	size_t len;
	(void)state;
	assert_int_equal(k8smig_object_list_size(l), 3);
	assert_ok(k8smig_object_list_emit(&out, &len, l, NULL));
	assert_string_equal(out, "a: 1\n---\nb: 2\n---\nc: 3\n");
	assert_int_equal(len, strlen(out));
	k8smig_free(out);
	assert_ok(k8smig_object_list_emit(&out, &len, l, &(k8smig_emit_options){ 1, K8SMIG_FORMAT_JSON, K8SMIG_EMIT_COMPACT }));
	assert_string_equal(out, "{\"a\":1}\n{\"b\":2}\n{\"c\":3}\n");
	k8smig_free(out);
	{
		int line;
		assert_null(k8smig_object_source(k8smig_object_list_get(l, 1), &line));
		assert_int_equal(line, 6);
	}
	k8smig_object_list_free(l);
}

static int stop_writer(const char *d, size_t n, void *p)
{
	(void)d;
	(void)n;
	++*(int *)p;
	return 1;
}

static void test_write_callback_can_stop(void **state)
{
	k8smig_object_list *l = parse_ok("a: 1\n");
	int calls = 0;
	(void)state;
	assert_fails(k8smig_object_list_write(l, NULL, stop_writer, &calls), K8SMIG_EIO, "");
	assert_int_equal(calls, 1);
	k8smig_object_list_free(l);
}

static void test_yaml_errors_have_positions(void **state)
{
	(void)state;
	assert_parse_error("a: 1\nb: [1, 2\n", 3, 1, "b[2]");
	assert_parse_error("metadata:\n  name: a\n  name: b\n", 3, 3, "metadata.name");
	assert_parse_error("metadata:\n  labels:\n    app.kubernetes.io/name: a\n    app.kubernetes.io/name: b\n", 4, 5,
	                   "metadata.labels[app.kubernetes.io/name]");
	assert_parse_error("- a\n- b\n", 1, 1, "");
	assert_parse_error("just a string\n", 1, 1, "");
	assert_parse_error("a: *nope\n", 1, 4, "a");
	assert_parse_error("a: !custom x\n", 1, 4, "a");
	assert_parse_error("? [a]\n: b\n", 1, 3, "");
	assert_parse_error("a: !!int abc\n", 1, 4, "a");
	assert_parse_error("a: b\n\tc: d\n", 2, 1, "a");
	assert_parse_error("spec:\n  template:\n    spec:\n      containers:\n      - name: a\n        image: [\n", 7, 1,
	                   "spec.template.spec.containers[0].image[0]");
}

/* The grammar over libyaml's tokens: each form of YAML 1.1's block and flow productions.
 * Expected values as PyYAML 6.0 reads the same text, but for a left-out key (PyYAML's
 * null key, here the empty name: keys are names) */
static void test_yaml_grammar(void **state)
{
	static const struct { const char *yaml, *json; } cases[] = {
		{ "a: 1\n...\n---\nb: 2\n", "{\"a\":1}\n{\"b\":2}\n" },
		{ "%YAML 1.1\n---\na: x\n", "{\"a\":\"x\"}\n" },
		{ "%YAML 1.2\n%TAG !e! tag:yaml.org,2002:\n---\na: !e!str 1\n", "{\"a\":\"1\"}\n" },
		{ "a: !<tag:yaml.org,2002:str> 2\n", "{\"a\":\"2\"}\n" },
		{ "a:\n- x\n-\n- - z\nb: 1\n", "{\"a\":[\"x\",null,[\"z\"]],\"b\":1}\n" },
		{ "? a\n: b\n? c\n", "{\"a\":\"b\",\"c\":null}\n" },
		{ "a: {x: 1, w, z: }\nb: [p: 1, q, ]\n", "{\"a\":{\"x\":1,\"w\":null,\"z\":null},\"b\":[{\"p\":1},\"q\"]}\n" },
		{ "a: [[1, 2], {k: v}, []]\n", "{\"a\":[[1,2],{\"k\":\"v\"},[]]}\n" },
		{ "a: &x\n  k: v\nb: *x\nc: &s str\n", "{\"a\":{\"k\":\"v\"},\"b\":{\"k\":\"v\"},\"c\":\"str\"}\n" },
		{ "--- \n...\n---\na: b\n", "{\"a\":\"b\"}\n" },
		{ "a: [? k : v]\n", "{\"a\":[{\"k\":\"v\"}]}\n" },
		{ "a: [? ]\n", "{\"a\":[{\"\":null}]}\n" },
		{ "a: &n\nb: !!str\n", "{\"a\":null,\"b\":\"\"}\n" },
		{ "a: |\n  line\nb: >-\n  folded\n  text\n", "{\"a\":\"line\\n\",\"b\":\"folded text\"}\n" },
		{ "a:\n  - b: 1\n    c: 2\n  - d\n", "{\"a\":[{\"b\":1,\"c\":2},\"d\"]}\n" },
	};
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		k8smig_object_list *l = parse_ok(cases[i].yaml);
		char *out = NULL;
		size_t len;
		assert_ok(k8smig_object_list_emit(&out, &len, l, &(k8smig_emit_options){ 1, K8SMIG_FORMAT_JSON, K8SMIG_EMIT_COMPACT }));
		if (strcmp(out, cases[i].json) != 0)
			fail_msg("%s: got %s, want %s", cases[i].yaml, out, cases[i].json);
		free(out);
		k8smig_object_list_free(l);
	}
}

/* Each error of the grammar: libyaml's wording and position (checked against PyYAML's
 * libyaml loader on the same text), and our field path. */
static void test_yaml_grammar_errors(void **state)
{
	static const struct { const char *yaml, *message; int line, column; const char *path; } cases[] = {
		{ "a: 1\n- b\n", "did not find expected key (while parsing a block mapping)", 2, 1, "" },
		{ "%YAML 2.0\n---\na: 1\n", "found incompatible YAML document", 1, 1, "" },
		{ "%YAML 1.1\n%YAML 1.1\n---\na: 1\n", "found duplicate %YAML directive", 2, 1, "" },
		{ "%TAG !e! x:\n%TAG !e! y:\n---\na: 1\n", "found duplicate %TAG directive", 2, 1, "" },
		{ "a: !e!x 1\n", "found undefined tag handle !e! (while parsing a node)", 1, 4, "a" },
		{ "b: [a, b}\n", "did not find expected ',' or ']' (while parsing a flow sequence)", 1, 9, "b[2]" },
		{ "b: {a: 1]\n", "did not find expected ',' or '}' (while parsing a flow mapping)", 1, 9, "b" },
		{ "a: 1\n...\nb: 2\n", "did not find expected <document start>", 3, 1, "" },
		{ "a:\n  - b\n  c: d\n", "did not find expected '-' indicator (while parsing a block collection)", 3, 3, "a[1]" },
		{ "a: &x\nb: *x *x\n", "did not find expected key (while parsing a block mapping)", 2, 7, "" },
		{ "a: [b, ]]\n", "did not find expected key (while parsing a block mapping)", 1, 9, "" },
	};
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		k8smig_object_list *l = (k8smig_object_list *)0x1;
		const k8smig_error *e;
		assert_int_equal(k8smig_parse(&l, cases[i].yaml, strlen(cases[i].yaml), NULL), K8SMIG_EPARSE);
		assert_null(l);
		e = k8smig_error_last();
		if (strcmp(e->message, cases[i].message) != 0 || e->line != cases[i].line || e->column != cases[i].column ||
		    strcmp(e->path, cases[i].path) != 0)
			fail_msg("%s: got \"%s\" at %d:%d (%s)", cases[i].yaml, e->message, e->line, e->column, e->path);
	}
}

static void test_yaml_rejects_invalid_utf8(void **state)
{
	k8smig_object_list *l;
	(void)state;
	assert_int_equal(k8smig_parse(&l, "a: \xC3\x28\n", 6, NULL), K8SMIG_EPARSE);
	assert_int_equal(k8smig_error_last()->line, 1);
	assert_true(k8smig_error_last()->column >= 1);
	assert_null(l);
	assert_int_equal(k8smig_parse(&l, "a: b\x00c\n", 7, NULL), K8SMIG_EPARSE);
}

static void test_yaml_alias_bomb_is_an_error(void **state)
{
	const char *bomb =
		"a: &a [x, x, x, x, x, x, x, x, x]\n"
		"b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
		"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
		"d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
		"e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
		"f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
		"g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n"
		"h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]\n"
		"i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]\n";
	k8smig_object_list *l;
	(void)state;
	assert_fails(k8smig_parse(&l, bomb, strlen(bomb), NULL), K8SMIG_EPARSE, "f[0]");
	assert_int_equal(k8smig_error_last()->line, 6);
	assert_null(l);
}

static void test_yaml_aliases_and_merge_keys(void **state)
{
	k8smig_object_list *l = parse_ok(
		"base: &base {cpu: 500m, memory: 512Mi}\n"
		"copy: *base\n"
		"merged:\n  <<: *base\n  memory: 1Gi\n"
		"multi:\n  <<: [{a: 1}, {a: 2, b: 2}]\n"
		"inline:\n  <<: {x: 1}\n  y: 2\n"
		"&k key: v\n"
		"again: *k\n");
	const k8smig_object *o = k8smig_object_list_get(l, 0);
	(void)state;
	assert_string_equal(k8smig_object_get_str(o, "copy.cpu"), "500m");
	assert_string_equal(k8smig_object_get_str(o, "merged.cpu"), "500m");
	assert_string_equal(k8smig_object_get_str(o, "merged.memory"), "1Gi");
	assert_int_equal(k8smig_value_size(k8smig_object_get(o, "merged")), 2);
	assert_int_equal(k8smig_object_get_int(o, "multi.a"), 1);
	assert_int_equal(k8smig_object_get_int(o, "multi.b"), 2);
	assert_int_equal(k8smig_object_get_int(o, "inline.x"), 1);
	assert_int_equal(k8smig_object_get_int(o, "inline.y"), 2);
	assert_false(k8smig_object_has(o, "merged[<<]"));
	assert_string_equal(k8smig_object_get_str(o, "again"), "key");
	k8smig_object_list_free(l);
	assert_parse_error("a:\n  <<: 5\n", 2, 7, "a");
}

/* Found by fuzz_spec (tests/fuzz/regressions/merge-key-overread.yaml): looking a merged key up
 * compared it with memcmp over the looked-up key's length, reading past a shorter key at the
 * end of the arena (ASan: heap-buffer-overflow in keyset.c). A clean error now. */
static void test_merge_key_lookup_never_reads_past_a_shorter_key(void **state)
{
	static const char text[] =
		"#\n"
		"<<: \n"
		"  - nam<<: \n"
		"  - n${en<<: \n"
		"  - n${en=====================================================================================================================vironm: \n"
		"  - n<<: \n"
		"  - nam<<: \n"
		"  - n${: \n"
		"  - n${e - nam<<: \n"
		"  - n${am<<: \n"
		"  - nodi:O\n";
	k8smig_object_list *l = (k8smig_object_list *)0x1;
	(void)state;
	assert_int_equal(k8smig_parse(&l, text, sizeof(text) - 1, NULL), K8SMIG_EPARSE);
	assert_null(l);
	assert_int_equal(k8smig_error_last()->line, 12);
	assert_non_null(strstr(k8smig_error_last()->message, "a merge key (<<) needs a map or a list of maps"));
}

static void test_yaml_depth_and_size_limits(void **state)
{
	k8smig_parse_options po = K8SMIG_PARSE_OPTIONS_INIT;
	k8smig_object_list *l;
	char deep[2000];
	size_t i, n = 0;
	(void)state;
	n += (size_t)sprintf(deep, "a: ");
	for (i = 0; i < 500; i++)
		deep[n++] = '[';
	deep[n] = '\0';
	assert_int_equal(k8smig_parse(&l, deep, n, NULL), K8SMIG_EPARSE);
	assert_int_equal(k8smig_error_last()->line, 1);
	assert_true(strstr(k8smig_error_last()->message, "deeper") != NULL);
	po.max_bytes = 4;
	assert_fails(k8smig_parse(&l, "a: 12345\n", 9, &po), K8SMIG_EPARSE, "");
	assert_true(strstr(k8smig_error_last()->message, "larger") != NULL);
	po.max_bytes = 0;
	po.max_depth = 2;
	assert_fails(k8smig_parse(&l, "a: {b: {c: 1}}\n", 15, &po), K8SMIG_EPARSE, "a.b");
}

static void test_big_map_duplicate_detection(void **state)
{
	char *text = malloc(200000);
	size_t n = 0, i;
	k8smig_object_list *l;
	(void)state;
	n += (size_t)sprintf(text + n, "data:\n");
	for (i = 0; i < 5000; i++)
		n += (size_t)sprintf(text + n, "  k%zu: v\n", i);
	assert_ok(k8smig_parse(&l, text, n, NULL));
	assert_int_equal(k8smig_value_size(k8smig_object_get(k8smig_object_list_get(l, 0), "data")), 5000);
	k8smig_object_list_free(l);
	n += (size_t)sprintf(text + n, "  k4321: dup\n");
	assert_fails(k8smig_parse(&l, text, n, NULL), K8SMIG_EPARSE, "data.k4321");
	assert_int_equal(k8smig_error_last()->line, 5002);
	free(text);
}

/* Duplicates of common names (found without a search when a map has not had the name yet),
 * in nested maps, after a child map, in and around merge keys. */
static void test_yaml_duplicate_common_names(void **state)
{
	static const struct { const char *text; const char *path; int line; } bad[] = {
		{ "spec:\n  replicas: 1\n  replicas: 2\n", "spec.replicas", 3 },
		{ "a:\n  name: 1\n  b:\n    name: 2\n  name: 3\n", "a.name", 5 },
		{ "c:\n  name: a\n  <<: {image: b}\n  name: c\n", "c.name", 4 },
		{ "c:\n  <<: {name: a, name: b}\n", "c.<<.name", 2 },
	};
	k8smig_object_list *l = NULL;
	const k8smig_object *o;
	const char *good = "base: &b {name: x, image: img}\nc:\n  <<: *b\n  name: z\nd:\n  name: w\n  <<: *b\n";
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(k8smig_parse(&l, bad[i].text, strlen(bad[i].text), NULL), K8SMIG_EPARSE);
		assert_non_null(strstr(k8smig_error_last()->message, "duplicate"));
		assert_string_equal(k8smig_error_last()->path, bad[i].path);
		assert_int_equal(k8smig_error_last()->line, bad[i].line);
		k8smig_error_clear();
	}
	/* a merged name is overridden by an explicit one, before or after the merge key */
	assert_ok(k8smig_parse(&l, good, strlen(good), NULL));
	o = k8smig_object_list_get(l, 0);
	assert_string_equal(k8smig_object_get_str(o, "c.name"), "z");
	assert_string_equal(k8smig_object_get_str(o, "c.image"), "img");
	assert_string_equal(k8smig_object_get_str(o, "d.name"), "w");
	assert_string_equal(k8smig_object_get_str(o, "d.image"), "img");
	k8smig_object_list_free(l);
}

static void test_json_parse_stream_and_errors(void **state)
{
	k8smig_object_list *l;
	const char *two = "{\"kind\": \"A\", \"n\": 1, \"f\": 1.5, \"b\": false, \"z\": null}\n{\"kind\": \"B\"}\n";
	(void)state;
	assert_ok(k8smig_parse(&l, two, strlen(two), NULL));
	assert_int_equal(k8smig_object_list_size(l), 2);
	assert_int_equal(k8smig_value_type(k8smig_object_get(k8smig_object_list_get(l, 0), "n")), K8SMIG_TYPE_INT);
	assert_int_equal(k8smig_value_type(k8smig_object_get(k8smig_object_list_get(l, 0), "f")), K8SMIG_TYPE_DOUBLE);
	assert_string_equal(k8smig_object_kind(k8smig_object_list_get(l, 1)), "B");
	k8smig_object_list_free(l);
	assert_parse_error("{\"a\": 1,\n \"b\": }\n", 2, 7, "b");
	assert_parse_error("{\"a\": 1}\n{\"a\": 1, \"a\": 2}\n", 2, 12, "a");
	assert_parse_error("{\"a\": 1}\n[1]\n", 2, 1, "");
	{
		k8smig_object_list *bad;
		assert_fails(k8smig_parse(&bad, "{}\0{}", 5, NULL), K8SMIG_EPARSE, "");
		assert_int_equal(k8smig_error_last()->column, 3);
	}
}

/* The JSON reader is our own (lib/serialize/json_parse.c): RFC 8259 strictly, every limit kept. */
static void test_json_parser_strict(void **state)
{
	k8smig_parse_options po = K8SMIG_PARSE_OPTIONS_INIT;
	k8smig_object_list *l;
	const k8smig_object *o;
	const char *ok = "\n\n {\"s\": \"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\", \"e\": {}, \"l\": [[], {}, [1, -2]],"
	                 " \"min\": -9223372036854775808, \"max\": 9223372036854775807, \"r\": -0.5e-3, \"z\": -0,"
	                 " \"t\": true, \"f\": false, \"n\": null, \"\\u006bind\": \"K\", \"caf\xc3\xa9\": \"\xc3\xa9\"}";
	(void)state;
	l = parse_ok(ok);
	o = k8smig_object_list_get(l, 0);
	assert_string_equal(k8smig_object_get_str(o, "s"), "a\"b\\c/d\b\f\n\r\t\xc3\xa9\xf0\x9f\x98\x80");
	assert_int_equal(k8smig_value_size(k8smig_object_get(o, "e")), 0);
	assert_int_equal(k8smig_value_type(k8smig_object_get(o, "l[0]")), K8SMIG_TYPE_LIST);
	assert_int_equal(k8smig_value_type(k8smig_object_get(o, "l[1]")), K8SMIG_TYPE_MAP);
	assert_int_equal(k8smig_object_get_int(o, "l[2][1]"), -2);
	assert_true(k8smig_object_get_int(o, "min") == INT64_MIN);
	assert_true(k8smig_object_get_int(o, "max") == INT64_MAX);
	assert_true(k8smig_object_get_double(o, "r") == -0.0005);
	assert_int_equal(k8smig_value_type(k8smig_object_get(o, "z")), K8SMIG_TYPE_INT);
	assert_true(k8smig_object_get_bool(o, "t"));
	assert_int_equal(k8smig_value_type(k8smig_object_get(o, "f")), K8SMIG_TYPE_BOOL);
	assert_int_equal(k8smig_value_type(k8smig_object_get(o, "n")), K8SMIG_TYPE_NULL);
	assert_string_equal(k8smig_object_kind(o), "K"); /* an escaped key is the same key */
	{
		/* ... stored as the common name it spells: setting "kind" replaces it, adds nothing */
		size_t before = k8smig_value_size(k8smig_object_get(o, NULL));
		assert_ok(k8smig_object_set_str((k8smig_object *)o, "kind", "K2"));
		assert_int_equal(k8smig_value_size(k8smig_object_get(o, NULL)), before);
		assert_string_equal(k8smig_object_kind(o), "K2");
	}
	assert_string_equal(k8smig_object_get_str(o, "[caf\xc3\xa9]"), "\xc3\xa9");
	assert_int_equal(k8smig_object_source(o, NULL) == NULL, 1);
	k8smig_object_list_free(l);

	/* every error: code, field path, line and column (in characters) */
	assert_parse_error("{\"a\": \"x\\u0000y\"}", 1, 9, "a");
	assert_parse_error("{\"a\": \"\\ud800\"}", 1, 8, "a");
	assert_parse_error("{\"a\": \"\\udc00x\"}", 1, 8, "a");
	assert_parse_error("{\"a\": \"\\u12\"}", 1, 8, "a");
	assert_parse_error("{\"a\": \"\\x\"}", 1, 8, "a");
	assert_parse_error("{\"a\": \"x\ty\"}", 1, 9, "a");
	assert_parse_error("{\"\xc3\xa9\": \"\xff\"}", 1, 8, "\xc3\xa9");
	assert_parse_error("{\"a\": 01}", 1, 8, "a");
	assert_parse_error("{\"a\": 1.}", 1, 9, "a");
	assert_parse_error("{\"a\": 1e}", 1, 9, "a");
	assert_parse_error("{\"a\": -}", 1, 8, "a");
	assert_parse_error("{\"a\": 9223372036854775808}", 1, 7, "a");
	assert_parse_error("{\"a\": 1e400}", 1, 7, "a");
	assert_parse_error("{\"a\": [1, 2,]}", 1, 13, "a[2]");
	assert_parse_error("{\"a\": 1,}", 1, 9, "");
	assert_parse_error("{\"a\": tru}", 1, 7, "a");
	assert_parse_error("{\"a\": 1} x", 1, 10, "");
	assert_parse_error("{\"a\" 1}", 1, 6, "a");
	assert_parse_error("{\"a\": [1, {\"b\": \"c\"}", 1, 21, "a[2]");
	assert_parse_error("{\"a\": \"abc", 1, 7, "a");
	assert_parse_error("{1: 2}", 1, 2, "");
	assert_parse_error("{\"a\": {\"b\": 1, \"b\": 2}}", 1, 18, "a.b");

	/* depth: the container past the limit is named */
	po.max_depth = 2;
	{
		const char *deep = "{\"a\": {\"b\": {\"c\": 1}}}";
		assert_fails(k8smig_parse(&l, deep, strlen(deep), &po), K8SMIG_EPARSE, "a.b");
	}
	assert_int_equal(k8smig_error_last()->column, 13);
	assert_fails(k8smig_parse(&l, "{\"a\": [[1]]}", strlen("{\"a\": [[1]]}"), &po), K8SMIG_EPARSE, "a[0]");
	po.max_depth = 0;
	{
		/* a big map still finds its duplicate (hash set), with the document's line */
		char *text = malloc(100000);
		size_t n = 0, i;
		n += (size_t)sprintf(text + n, "{}\n{\"data\": {");
		for (i = 0; i < 3000; i++)
			n += (size_t)sprintf(text + n, "%s\"k%zu\": \"v\"", i ? ", " : "", i);
		n += (size_t)sprintf(text + n, "}}\n");
		assert_ok(k8smig_parse(&l, text, n, NULL));
		assert_int_equal(k8smig_value_size(k8smig_object_get(k8smig_object_list_get(l, 1), "data")), 3000);
		assert_ok(k8smig_object_source(k8smig_object_list_get(l, 1), &(int){ 0 }) == NULL ? 0 : 1);
		k8smig_object_list_free(l);
		n -= 3;
		n += (size_t)sprintf(text + n, ", \"k2999\": \"w\"}}");
		assert_fails(k8smig_parse(&l, text, n, NULL), K8SMIG_EPARSE, "data.k2999");
		assert_int_equal(k8smig_error_last()->line, 2);
		free(text);
	}
	po.source_name = "x.json";
	assert_ok(k8smig_parse(&l, "\n{}\n\n{\"a\": 1}\n", strlen("\n{}\n\n{\"a\": 1}\n"), &po));
	{
		int line = 0;
		assert_string_equal(k8smig_object_source(k8smig_object_list_get(l, 1), &line), "x.json");
		assert_int_equal(line, 4);
	}
	k8smig_object_list_free(l);
}

/* The emitter's one-pass style check must leave multi-line text to the careful path,
 * even when a line holds ": " (a patch is YAML inside a string). */
static void test_yaml_style_multiline_with_indicators(void **state)
{
	k8smig_object *o;
	char *y;
	(void)state;
	assert_ok(k8smig_object_new(&o, "v1", "ConfigMap"));
	assert_ok(k8smig_object_set_str(o, "data.patch", "kind: Deployment\nspec:\n  replicas: 2 # two\n"));
	assert_ok(k8smig_object_set_str(o, "data.one", "kind: Deployment"));
	assert_ok(k8smig_object_set_str(o, "data.hash", "a #b"));
	assert_ok(k8smig_object_set_str(o, "data.long", "abcdefghijklmnop: x"));
	assert_ok(k8smig_object_set_str(o, "data.plain", "abcdefghijklmnop:x"));
	y = emit(o, K8SMIG_FORMAT_YAML, 0);
	assert_non_null(strstr(y, "  patch: |\n    kind: Deployment\n    spec:\n      replicas: 2 # two\n"));
	assert_non_null(strstr(y, "  one: \"kind: Deployment\"\n"));
	assert_non_null(strstr(y, "  hash: \"a #b\"\n"));
	assert_non_null(strstr(y, "  long: \"abcdefghijklmnop: x\"\n"));
	assert_non_null(strstr(y, "  plain: abcdefghijklmnop:x\n"));
	k8smig_free(y);
	k8smig_object_free(o);
}

static void test_stream_opening_with_an_empty_object_reads_back(void **state)
{
	k8smig_object_list *l, *back;
	k8smig_object *a, *b;
	char *text;
	(void)state;
	assert_ok(k8smig_object_list_new(&l));
	assert_ok(k8smig_object_new(&a, NULL, NULL));
	assert_ok(k8smig_object_new(&b, "v1", "ConfigMap"));
	assert_ok(k8smig_object_list_append_take(l, a));
	assert_ok(k8smig_object_list_append_take(l, b));
	assert_ok(k8smig_object_list_emit(&text, NULL, l, NULL));
	assert_string_equal(text, "---\n{}\n---\napiVersion: v1\nkind: ConfigMap\n");
	assert_ok(k8smig_parse(&back, text, strlen(text), NULL));
	assert_int_equal(k8smig_object_list_size(back), 2);
	k8smig_free(text);
	k8smig_object_list_free(back);
	k8smig_object_list_free(l);
}

static void test_round_trips(void **state)
{
	const char *src =
		"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  labels: {app: web}\n"
		"spec:\n  replicas: 0\n  paused: false\n  template:\n    spec:\n      containers:\n      - name: web\n"
		"        image: nginx\n        args: [\"--port\", \"8080\"]\n        env:\n        - {name: A, value: \"yes\"}\n"
		"data:\n  script: |\n    #!/bin/sh\n    echo hi\n  ratio: 0.25\n  big: 1.0e+20\n";
	k8smig_object_list *a = parse_ok(src), *b, *c;
	char *y1, *y2, *j1;
	size_t n;
	(void)state;
	assert_ok(k8smig_object_list_emit(&y1, &n, a, NULL));
	b = parse_ok(y1);
	assert_true(k8smig_object_equal(k8smig_object_list_get(a, 0), k8smig_object_list_get(b, 0)));
	assert_ok(k8smig_object_list_emit(&y2, &n, b, NULL));
	assert_string_equal(y1, y2);
	/* zero and false survive */
	assert_true(k8smig_object_has(k8smig_object_list_get(b, 0), "spec.replicas"));
	assert_true(k8smig_object_has(k8smig_object_list_get(b, 0), "spec.paused"));
	/* through JSON and back */
	assert_ok(k8smig_object_list_emit(&j1, &n, a, &(k8smig_emit_options){ 1, K8SMIG_FORMAT_JSON, 0 }));
	c = parse_ok(j1);
	assert_true(k8smig_object_equal(k8smig_object_list_get(a, 0), k8smig_object_list_get(c, 0)));
	k8smig_free(y1);
	k8smig_free(y2);
	k8smig_free(j1);
	k8smig_object_list_free(a);
	k8smig_object_list_free(b);
	k8smig_object_list_free(c);
}

static void test_parse_file_errors_name_the_file(void **state)
{
	k8smig_object_list *l;
	char path[] = "/tmp/k8smig-test-XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");
	(void)state;
	fputs("a: 1\na: 2\n", f);
	fclose(f);
	assert_fails(k8smig_parse_file(&l, path, NULL), K8SMIG_EPARSE, "a");
	assert_string_equal(k8smig_error_last()->file, path);
	assert_int_equal(k8smig_error_last()->line, 2);
	unlink(path);
	assert_fails(k8smig_parse_file(&l, path, NULL), K8SMIG_ENOTFOUND, "");
	assert_string_equal(k8smig_error_last()->file, path);
	assert_fails(k8smig_parse_file(&l, "/tmp", NULL), K8SMIG_EIO, "");
}

/* The emitters' word-at-a-time checks against a byte-at-a-time reference: every pair of
 * byte values at every two adjacent positions (borrows and carries cross byte boundaries),
 * the other bytes harmless. */
static bool quote_bad_byte(unsigned c)
{
	return c < 0x20 || c == '"' || c == '\\' || c >= 0x7F;
}

static bool plain_bad_byte(unsigned c)
{
	return c <= 0x20 || c == ':' || c >= 0x7F;
}

static void test_scan_words_match_bytes(void **state)
{
	unsigned a, b, pos;
	(void)state;
	/* with b == 'a' this is every single byte at 0-6, with a == 'a' every one at 1-7 */
	for (pos = 0; pos < 7; pos++)
		for (a = 0; a < 256; a++)
			for (b = 0; b < 256; b++) {
				unsigned char w[8];
				uint64_t x;
				memset(w, 'a', 8);
				w[pos] = (unsigned char)a;
				w[pos + 1] = (unsigned char)b;
				memcpy(&x, w, 8);
				if ((K8SMIG__QUOTE_BAD(x) != 0) != (quote_bad_byte(a) || quote_bad_byte(b)) ||
				    (K8SMIG__PLAIN_BAD(x) != 0) != (plain_bad_byte(a) || plain_bad_byte(b)))
					fail_msg("bytes %02x %02x at %u", a, b, pos);
			}
}

/* The emitters copy the common field names (and recommended label keys) without looking:
 * each must need no JSON escape and be plain in YAML, as a key. */
static void test_common_names_need_no_quotes(void **state)
{
	size_t i;
	(void)state;
	for (i = 0; i < k8smig__static_key_count; i++) {
		const char *k = k8smig__static_keys[i];
		size_t n = strlen(k);
		assert_int_equal(k8smig__quote_safe_run((const unsigned char *)k, n), n);
		assert_int_equal(k8smig__yaml_style_full(k, n, false), K8SMIG__PLAIN);
	}
}

/* Integers are written two digits at a time: every digit count and both signs, against
 * the C library's own decimal text, in compact JSON and in YAML. */
static void test_emit_integers_as_printf_does(void **state)
{
	static const int64_t vals[] = { 0, 1, 9, 10, 11, 42, 99, 100, 101, 999, 1000, 8001, 65535, 100000007,
	                                -1, -9, -10, -99, -100, -8001, INT64_MAX, INT64_MIN, INT64_MIN + 1,
	                                999999999999999999, 1000000000000000000 };
	k8smig_emit_options eo = K8SMIG_EMIT_OPTIONS_INIT;
	k8smig_object *o;
	char want_json[1024], want_yaml[1024], *text;
	size_t i, nj, ny, len;
	(void)state;
	assert_ok(k8smig_object_new(&o, "v1", "ConfigMap"));
	nj = (size_t)snprintf(want_json, sizeof(want_json), "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"v\":[");
	ny = (size_t)snprintf(want_yaml, sizeof(want_yaml), "apiVersion: v1\nkind: ConfigMap\nv:\n");
	for (i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		assert_ok(k8smig_object_append_int(NULL, o, "v", vals[i]));
		nj += (size_t)snprintf(want_json + nj, sizeof(want_json) - nj, "%s%lld", i ? "," : "", (long long)vals[i]);
		ny += (size_t)snprintf(want_yaml + ny, sizeof(want_yaml) - ny, "- %lld\n", (long long)vals[i]);
	}
	snprintf(want_json + nj, sizeof(want_json) - nj, "]}\n");
	eo.format = K8SMIG_FORMAT_JSON;
	eo.flags = K8SMIG_EMIT_COMPACT;
	assert_ok(k8smig_object_emit(&text, &len, o, &eo));
	assert_string_equal(text, want_json);
	k8smig_free(text);
	eo.format = K8SMIG_FORMAT_YAML;
	eo.flags = 0;
	assert_ok(k8smig_object_emit(&text, &len, o, &eo));
	assert_string_equal(text, want_yaml);
	k8smig_free(text);
	k8smig_object_free(o);
}

/* Integers at the edges of int64 in every base YAML has: the last value that fits is read,
 * the next one is an overflow (and not an int), as strtoll would say. */
static void test_yaml_ints_at_the_edges(void **state)
{
	static const struct { const char *text; bool ok; int64_t v; } cases[] = {
		{ "9223372036854775807", true, INT64_MAX },
		{ "9223372036854775808", false, 0 },
		{ "-9223372036854775808", true, INT64_MIN },
		{ "-9223372036854775809", false, 0 },
		{ "+9_223_372_036_854_775_807", true, INT64_MAX },
		{ "0x7fffffffffffffff", true, INT64_MAX },
		{ "0x8000000000000000", false, 0 },
		{ "-0x8000000000000000", true, INT64_MIN },
		{ "0o777777777777777777777", true, INT64_MAX },
		{ "0o1000000000000000000000", false, 0 },
		{ "0b111111111111111111111111111111111111111111111111111111111111111", true, INT64_MAX },
		{ "0b1000000000000000000000000000000000000000000000000000000000000000", false, 0 },
		{ "99999999999999999999", false, 0 },
		{ "0", true, 0 },
		{ "-1", true, -1 },
		{ "0755", true, 493 },
	};
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int64_t v = 0;
		bool overflow;
		bool ok = k8smig__parse_int(cases[i].text, strlen(cases[i].text), &v, &overflow);
		if (ok != cases[i].ok || (ok && v != cases[i].v) || overflow == cases[i].ok)
			fail_msg("%s: ok %d v %lld overflow %d", cases[i].text, ok, (long long)v, overflow);
	}
}

/* Plain scalars that are numbers or look like them: the short ways (up to 18 digits; a last
 * letter no number ends with) must type them as the general readers do. */
static void test_yaml_plain_numbers_short_way(void **state)
{
	static const struct { const char *text; k8smig_type type; int64_t i; } cases[] = {
		{ "1", K8SMIG_TYPE_INT, 1 }, { "8001", K8SMIG_TYPE_INT, 8001 }, { "0", K8SMIG_TYPE_INT, 0 },
		{ "123456789012345678", K8SMIG_TYPE_INT, 123456789012345678 },
		{ "1234567890123456789", K8SMIG_TYPE_INT, 1234567890123456789 },
		{ "9223372036854775807", K8SMIG_TYPE_INT, INT64_MAX }, { "9223372036854775808", K8SMIG_TYPE_DOUBLE, 0 },
		{ "1_000", K8SMIG_TYPE_INT, 1000 }, { "07", K8SMIG_TYPE_INT, 7 }, { "0x1F", K8SMIG_TYPE_INT, 31 },
		{ "+5", K8SMIG_TYPE_INT, 5 }, { "-5", K8SMIG_TYPE_INT, -5 }, { "1.5", K8SMIG_TYPE_DOUBLE, 0 },
		{ "1e3", K8SMIG_TYPE_DOUBLE, 0 }, { ".inf", K8SMIG_TYPE_DOUBLE, 0 }, { "-.Inf", K8SMIG_TYPE_DOUBLE, 0 },
		{ ".NaN", K8SMIG_TYPE_DOUBLE, 0 }, { "12a", K8SMIG_TYPE_STRING, 0 }, { "500m", K8SMIG_TYPE_STRING, 0 },
		{ "512Mi", K8SMIG_TYPE_STRING, 0 }, { "5Gi", K8SMIG_TYPE_STRING, 0 }, { "1-2", K8SMIG_TYPE_STRING, 0 },
		{ "0xg", K8SMIG_TYPE_STRING, 0 }, { "1z", K8SMIG_TYPE_STRING, 0 }, { ".5", K8SMIG_TYPE_DOUBLE, 0 },
	};
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		k8smig__scalar sc;
		k8smig__yaml_resolve_plain(&sc, cases[i].text, strlen(cases[i].text), false);
		if (sc.type != cases[i].type || (sc.type == K8SMIG_TYPE_INT && sc.i != cases[i].i))
			fail_msg("%s: type %d (%lld)", cases[i].text, (int)sc.type, (long long)sc.i);
	}
}

/* A key with a NUL in it (only a double-quoted escape can write one) is refused, with its line. */
static void test_yaml_key_with_nul(void **state)
{
	static const char *const docs[] = { "a: 1\n\"x\\0y\": 2\n", "a: 1\n\"\\x00\": 2\n", "a: 1\n\"\\u0000z\": 2\n", NULL };
	size_t i;
	(void)state;
	for (i = 0; docs[i]; i++) {
		k8smig_object_list *l = NULL;
		assert_int_equal(k8smig_parse(&l, docs[i], strlen(docs[i]), NULL), K8SMIG_EPARSE);
		assert_null(l);
		assert_non_null(strstr(k8smig_error_last()->message, "NUL"));
		assert_int_equal(k8smig_error_last()->line, 2);
		k8smig_error_clear();
	}
	/* the same escape in a value is kept */
	{
		k8smig_object_list *l = NULL;
		const char *doc = "a: \"x\\0y\"\n";
		const k8smig_value *v;
		assert_ok(k8smig_parse(&l, doc, strlen(doc), NULL));
		v = k8smig_object_get(k8smig_object_list_get(l, 0), "a");
		assert_int_equal(k8smig_value_strlen(v), 3);
		assert_memory_equal(k8smig_value_str(v), "x\0y", 3);
		k8smig_object_list_free(l);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_common_names_need_no_quotes, teardown_error),
		cmocka_unit_test_teardown(test_yaml_ints_at_the_edges, teardown_error),
		cmocka_unit_test_teardown(test_yaml_plain_numbers_short_way, teardown_error),
		cmocka_unit_test_teardown(test_yaml_key_with_nul, teardown_error),
		cmocka_unit_test_teardown(test_scan_words_match_bytes, teardown_error),
		cmocka_unit_test_teardown(test_emit_integers_as_printf_does, teardown_error),
		cmocka_unit_test_teardown(test_yaml_resolves_scalars_like_kubectl, teardown_error),
		cmocka_unit_test_teardown(test_yaml12_bools_for_kustomize, teardown_error),
		cmocka_unit_test_teardown(test_yaml_emit_quotes_ambiguous_strings, teardown_error),
		cmocka_unit_test_teardown(test_yaml_emit_keys_are_quoted_too, teardown_error),
		cmocka_unit_test_teardown(test_yaml_emit_long_keys_explicitly, teardown_error),
		cmocka_unit_test_teardown(test_yaml_emit_layout, teardown_error),
		cmocka_unit_test_teardown(test_json_emit_compact_and_indented, teardown_error),
		cmocka_unit_test_teardown(test_json_emit_rejects_nan, teardown_error),
		cmocka_unit_test_teardown(test_emit_refuses_failed_object, teardown_error),
		cmocka_unit_test_teardown(test_emit_options_versioned, teardown_error),
		cmocka_unit_test_teardown(test_stream_documents_and_separators, teardown_error),
		cmocka_unit_test_teardown(test_write_callback_can_stop, teardown_error),
		cmocka_unit_test_teardown(test_yaml_errors_have_positions, teardown_error),
		cmocka_unit_test_teardown(test_yaml_grammar, teardown_error),
		cmocka_unit_test_teardown(test_yaml_grammar_errors, teardown_error),
		cmocka_unit_test_teardown(test_yaml_rejects_invalid_utf8, teardown_error),
		cmocka_unit_test_teardown(test_yaml_alias_bomb_is_an_error, teardown_error),
		cmocka_unit_test_teardown(test_yaml_aliases_and_merge_keys, teardown_error),
		cmocka_unit_test_teardown(test_yaml_depth_and_size_limits, teardown_error),
		cmocka_unit_test_teardown(test_big_map_duplicate_detection, teardown_error),
		cmocka_unit_test_teardown(test_yaml_duplicate_common_names, teardown_error),
		cmocka_unit_test_teardown(test_json_parse_stream_and_errors, teardown_error),
		cmocka_unit_test_teardown(test_json_parser_strict, teardown_error),
		cmocka_unit_test_teardown(test_yaml_style_multiline_with_indicators, teardown_error),
		cmocka_unit_test_teardown(test_stream_opening_with_an_empty_object_reads_back, teardown_error),
		cmocka_unit_test_teardown(test_round_trips, teardown_error),
		cmocka_unit_test_teardown(test_parse_file_errors_name_the_file, teardown_error),
		cmocka_unit_test_teardown(test_merge_key_lookup_never_reads_past_a_shorter_key, teardown_error),
	};
	return cmocka_run_group_tests_name("serialize", tests, NULL, NULL);
}
