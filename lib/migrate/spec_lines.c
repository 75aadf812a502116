/*
 * lib/migrate/spec_lines.c - where each field of a spec file is, by path.
 *
 * The object tree does not keep positions, so a second, cheap libyaml event
 * pass over the same text records the line of every key and list item under
 * the path spec.c uses in its errors ("services[2].cpu"). Spec files are
 * small; a linear table is enough.
 */
#include <stdlib.h>
#include <yaml.h>

#include "migrate.h"

typedef struct line_entry {
	char *path;
	int line, column;
} line_entry;

struct mig_lines {
	line_entry *items;
	size_t n, cap;
};

typedef struct frame {
	bool is_map;
	bool want_key;   /* map: the next node is a key */
	char *key;       /* map: the current key */
	size_t index;    /* list: the next item's index */
	size_t path_len; /* length of the container's own path */
} frame;

static bool needs_brackets(const char *key)
{
	return strpbrk(key, ".[]") != NULL || key[0] == '\0';
}

void k8smig__path_key(k8smig__buf *b, const char *key)
{
	if (needs_brackets(key)) {
		k8smig__buf_putc(b, '[');
		k8smig__buf_puts(b, key);
		k8smig__buf_putc(b, ']');
		return;
	}
	if (b->len)
		k8smig__buf_putc(b, '.');
	k8smig__buf_puts(b, key);
}

void k8smig__path_index(k8smig__buf *b, size_t i)
{
	k8smig__buf_printf(b, "[%zu]", i);
}

static int record(mig_lines *l, const k8smig__buf *path, const yaml_mark_t *mark)
{
	if (l->n == l->cap && k8smig__array_grow(&l->items, &l->cap, 64, sizeof(*l->items)) < 0)
		return K8SMIG_ENOMEM;
	l->items[l->n].path = k8smig__strndup(path->data ? path->data : "", path->len);
	if (!l->items[l->n].path)
		return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	l->items[l->n].line = (int)mark->line + 1;
	l->items[l->n++].column = (int)mark->column + 1;
	return 0;
}

void k8smig__lines_free(mig_lines *l)
{
	size_t i;

	if (!l)
		return;
	for (i = 0; i < l->n; i++)
		free(l->items[i].path);
	free(l->items);
	free(l);
}

/* The node that starts now, inside the top frame: extend the path to it. */
static int enter_node(mig_lines *l, frame *top, k8smig__buf *path, const yaml_event_t *ev)
{
	path->len = top->path_len;
	if (top->is_map)
		k8smig__path_key(path, top->key ? top->key : "");
	else
		k8smig__path_index(path, top->index);
	if (path->failed)
		return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	/* a map value's line is its key's, recorded with the key */
	return top->is_map ? 0 : record(l, path, &ev->start_mark);
}

/* A node inside the top frame is complete. */
static void leave_node(frame *top)
{
	if (top->is_map) {
		top->want_key = true;
		free(top->key);
		top->key = NULL;
	} else {
		top->index++;
	}
}

int k8smig__lines_build(mig_lines **out, const char *data, size_t len)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	k8smig__buf path = K8SMIG__BUF_INIT;
	frame *stack = NULL;
	size_t depth = 0, cap = 0, i;
	mig_lines *l;
	int rc = 0;
	bool done = false;

	*out = NULL;
	if (!(l = calloc(1, sizeof(*l))))
		return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	if (!yaml_parser_initialize(&parser)) {
		free(l);
		return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
	while (!done && rc == 0) {
		if (!yaml_parser_parse(&parser, &ev)) {
			/* the real parser reports syntax errors; keep what we have. Running out of
			 * memory is an error: a spec error would lose its line (libyaml 0.2.5's tag
			 * scanner reports a failed malloc as no error at all) */
			if (parser.error == YAML_MEMORY_ERROR || parser.error == YAML_NO_ERROR)
				rc = k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
			break;
		}
		frame *top = depth ? &stack[depth - 1] : NULL;
		switch (ev.type) {
		case YAML_SCALAR_EVENT:
		case YAML_ALIAS_EVENT:
			if (!top)
				break;
			if (top->is_map && top->want_key) {
				free(top->key);
				top->key = ev.type == YAML_SCALAR_EVENT
				               ? k8smig__strndup((const char *)ev.data.scalar.value, ev.data.scalar.length)
				               : k8smig__strdup("*");
				if (!top->key) {
					rc = k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
					break;
				}
				top->want_key = false;
				path.len = top->path_len;
				k8smig__path_key(&path, top->key);
				rc = record(l, &path, &ev.start_mark);
				break;
			}
			rc = enter_node(l, top, &path, &ev);
			leave_node(top);
			break;
		case YAML_MAPPING_START_EVENT:
		case YAML_SEQUENCE_START_EVENT:
			if (top && (rc = enter_node(l, top, &path, &ev)) < 0)
				break;
			if (!top)
				path.len = 0;
			if (depth == cap && (rc = k8smig__array_grow(&stack, &cap, 16, sizeof(*stack))) < 0)
				break;
			stack[depth].is_map = ev.type == YAML_MAPPING_START_EVENT;
			stack[depth].want_key = true;
			stack[depth].key = NULL;
			stack[depth].index = 0;
			stack[depth].path_len = path.len;
			depth++;
			break;
		case YAML_MAPPING_END_EVENT:
		case YAML_SEQUENCE_END_EVENT:
			if (depth) {
				free(stack[depth - 1].key);
				depth--;
				if (depth)
					leave_node(&stack[depth - 1]);
			}
			break;
		case YAML_DOCUMENT_END_EVENT: /* a spec is one document */
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	for (i = 0; i < depth; i++)
		free(stack[i].key);
	free(stack);
	k8smig__buf_free(&path);
	yaml_parser_delete(&parser);
	if (rc < 0) {
		k8smig__lines_free(l);
		return rc;
	}
	*out = l;
	return 0;
}

/* Drop the last step of a path: "a.b[2]" -> "a.b" -> "a" -> "". */
static size_t parent_len(const char *p, size_t len)
{
	if (len && p[len - 1] == ']') {
		while (len && p[len - 1] != '[')
			len--;
		return len ? len - 1 : 0;
	}
	while (len && p[len - 1] != '.' && p[len - 1] != ']')
		len--;
	if (len && p[len - 1] == '.')
		len--;
	return len;
}

int k8smig__lines_find(const mig_lines *l, const char *path, int *column_out)
{
	size_t len = strlen(path), i;

	*column_out = 0;
	if (!l)
		return 0;
	for (;;) {
		for (i = 0; i < l->n; i++)
			if (strlen(l->items[i].path) == len && memcmp(l->items[i].path, path, len) == 0) {
				*column_out = l->items[i].column;
				return l->items[i].line;
			}
		if (len == 0)
			return 0;
		len = parent_len(path, len);
	}
}
