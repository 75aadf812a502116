/*
 * lib/serialize/json_parse.c - JSON text through jansson into k8smig_object trees.
 *
 * Accepts one object or a stream of objects (what kubectl reads). Duplicate
 * keys are rejected; line and column are those of the whole input.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "parse.h"
#include "../model/list.h"

static int convert(k8smig_object *o, uint32_t dst, json_t *j, size_t depth, const k8smig_parse_options *opts);

/*
 * jansson does not always report a failed allocation: its lexer drops the
 * character it could not append to a string and goes on ("app.kubernetes.io"
 * parses as "app.kubernetesio"), and other failures come out as syntax
 * errors. So the first parse puts a thin counting layer over jansson's
 * allocator (the one set before, malloc by default, still does the work) and
 * any failed allocation during a parse fails it with ENOMEM. An application
 * that sets jansson's allocator after that replaces the layer; then only the
 * failures jansson reports are caught.
 */
static pthread_once_t counting_once = PTHREAD_ONCE_INIT;
static json_malloc_t prev_malloc;
static json_free_t prev_free;
static _Thread_local unsigned oom_count;

static void *counting_malloc(size_t n)
{
	void *p = prev_malloc(n);
	if (!p)
		oom_count++;
	return p;
}

static void counting_free(void *p)
{
	prev_free(p);
}

static void count_failures(void)
{
	json_get_alloc_funcs(&prev_malloc, &prev_free);
	if (!prev_malloc || !prev_free) {
		prev_malloc = malloc;
		prev_free = free;
	}
	json_set_alloc_funcs(counting_malloc, counting_free);
}

static int convert_children(k8smig_object *o, uint32_t dst, json_t *j, size_t depth, const k8smig_parse_options *opts)
{
	int rc;
	if (json_is_object(j)) {
		const char *key;
		json_t *val;
		k8smig__node(o, dst)->type = K8SMIG_TYPE_MAP;
		json_object_foreach(j, key, val) {
			uint32_t c = k8smig__node_new(o, K8SMIG_TYPE_NULL);
			if (!c)
				return K8SMIG_ENOMEM;
			if ((rc = convert(o, c, val, depth + 1, opts)) < 0) {
				k8smig__error_prefix(key);
				return rc;
			}
			if ((rc = k8smig__map_add(o, dst, key, strlen(key), c)) < 0)
				return rc;
		}
	} else {
		size_t i;
		json_t *val;
		k8smig__node(o, dst)->type = K8SMIG_TYPE_LIST;
		json_array_foreach(j, i, val) {
			uint32_t c = k8smig__node_new(o, K8SMIG_TYPE_NULL);
			char step[32];
			if (!c)
				return K8SMIG_ENOMEM;
			if ((rc = convert(o, c, val, depth + 1, opts)) < 0) {
				snprintf(step, sizeof(step), "[%zu]", i);
				k8smig__error_prefix(step);
				return rc;
			}
			k8smig__append_child(o, dst, c);
		}
	}
	return 0;
}

static int convert(k8smig_object *o, uint32_t dst, json_t *j, size_t depth, const k8smig_parse_options *opts)
{
	k8smig_value *v;

	if (depth > opts->max_depth)
		return k8smig__error_set(K8SMIG_EPARSE, "", "nesting is deeper than the limit");
	switch (json_typeof(j)) {
	case JSON_OBJECT:
	case JSON_ARRAY:
		return convert_children(o, dst, j, depth, opts);
	case JSON_STRING:
		return k8smig__node_set_string(o, dst, json_string_value(j), json_string_length(j));
	case JSON_INTEGER:
		v = k8smig__node(o, dst);
		v->type = K8SMIG_TYPE_INT;
		v->u.i = (int64_t)json_integer_value(j);
		return 0;
	case JSON_REAL:
		v = k8smig__node(o, dst);
		v->type = K8SMIG_TYPE_DOUBLE;
		v->u.d = json_real_value(j);
		return 0;
	case JSON_TRUE:
	case JSON_FALSE:
		v = k8smig__node(o, dst);
		v->type = K8SMIG_TYPE_BOOL;
		v->u.i = json_is_true(j);
		return 0;
	default:
		k8smig__node(o, dst)->type = K8SMIG_TYPE_NULL;
		return 0;
	}
}

/* 1-based line and column, advanced incrementally so a long stream stays linear. */
typedef struct cursor {
	size_t pos;
	int line, col;
} cursor;

static void advance(cursor *c, const char *data, size_t to)
{
	for (; c->pos < to; c->pos++) {
		if (data[c->pos] == '\n') {
			c->line++;
			c->col = 1;
		} else if (((unsigned char)data[c->pos] & 0xC0) != 0x80) {
			c->col++;
		}
	}
}

int k8smig__parse_json(k8smig_object_list *list, const char *data, size_t len, const k8smig_parse_options *opts)
{
	size_t pos = 0;
	cursor at = { 0, 1, 1 };
	const char *nul = memchr(data, '\0', len);

	pthread_once(&counting_once, count_failures);

	if (nul) {
		/* JSON text holds no NUL byte (jansson would stop a value there) */
		advance(&at, data, (size_t)(nul - data));
		k8smig__error_set(K8SMIG_EPARSE, "", "NUL byte in JSON text");
		k8smig__error_set_position(at.line, at.col);
		return K8SMIG_EPARSE;
	}
	for (;;) {
		json_error_t err;
		json_t *j;
		k8smig_object *o;
		int line, col, rc;

		while (pos < len && strchr(" \t\r\n", data[pos]))
			pos++;
		if (pos >= len)
			return 0;
		oom_count = 0;
		j = json_loadb(data + pos, len - pos, JSON_DISABLE_EOF_CHECK | JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &err);
		if (oom_count || (!j && json_error_code(&err) == json_error_out_of_memory)) {
			json_decref(j);
			return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory parsing JSON");
		}
		if (!j) {
			/* jansson counts from the start of this value: make it absolute */
			advance(&at, data, pos);
			line = at.line;
			col = at.col;
			k8smig__error_set(K8SMIG_EPARSE, "", "%s", err.text);
			if (err.line <= 1)
				k8smig__error_set_position(line, col + (err.column > 0 ? err.column - 1 : 0));
			else
				k8smig__error_set_position(line + err.line - 1, err.column);
			return K8SMIG_EPARSE;
		}
		advance(&at, data, pos);
		line = at.line;
		col = at.col;
		if (!json_is_object(j)) {
			json_decref(j);
			k8smig__error_set(K8SMIG_EPARSE, "", "a document must be a JSON object (a Kubernetes object)");
			k8smig__error_set_position(line, col);
			return K8SMIG_EPARSE;
		}
		if ((rc = k8smig__object_new_empty(&o, 0)) < 0) {
			json_decref(j);
			return rc;
		}
		rc = convert(o, o->root, j, 1, opts);
		pos += (size_t)err.position;
		json_decref(j);
		if (rc == 0)
			rc = k8smig__object_set_source(o, opts->source_name, line);
		if (rc < 0) {
			k8smig_object_free(o);
			if (rc == K8SMIG_EPARSE)
				k8smig__error_set_position(line, col);
			return rc;
		}
		k8smig__object_shrink(o);
		if ((rc = k8smig_object_list_append_take(list, o)) < 0)
			return rc;
	}
}
