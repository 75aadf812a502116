/*
 * lib/serialize/yaml_parse.c - YAML text straight into k8smig_object trees.
 *
 * libyaml's scanner turns the text into tokens; the grammar below reads them
 * (YAML 1.1's productions, as libyaml's own parser reads them) and builds every
 * document as one object. Plain scalars resolve as kubectl's YAML reader does
 * (scalar.c); duplicate keys are errors; anchors and aliases work, merge keys
 * ("<<") too, and alias expansion, depth and size are bounded so that hostile
 * input is an error rather than an out-of-memory.
 */
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "keyset.h"
#include "scalar.h"
#include "parse.h"
#include "../model/list.h"

#define STATIC_KEY_BIT 0x80000000u  /* a frame key that is a static key index, not an arena offset */

/* What an open collection expects next (the states of YAML's block and flow productions). */
enum {
	S_BLOCK_KEY, S_BLOCK_VALUE, S_BLOCK_ENTRY, S_INDENTLESS_ENTRY,
	S_FLOW_SEQ_FIRST, S_FLOW_SEQ, S_PAIR_KEY, S_PAIR_VALUE, S_PAIR_END,
	S_FLOW_MAP_FIRST, S_FLOW_MAP_KEY, S_FLOW_MAP_VALUE, S_FLOW_MAP_EMPTY_VALUE
};

/* Where the stream is outside any collection. */
enum { D_IMPLICIT_START, D_START, D_CONTENT, D_END, D_DONE };

/* A node as the grammar hands it to the builders. */
typedef struct node_ev {
	yaml_mark_t mark;   /* where the node (its first property) starts */
	const char *anchor;
	const char *tag;    /* resolved, e.g. tag:yaml.org,2002:str */
	const char *value;  /* a scalar's text, or the anchor an alias names */
	size_t length;
	yaml_scalar_style_t style;
} node_ev;

typedef struct frame {
	uint32_t node;      /* container being filled */
	uint32_t key;       /* arena offset of the pending key string, when has_key */
	uint32_t step_key;  /* how this container hangs off its parent: key offset ... */
	uint32_t step_index;/* ... or list index */
	uint32_t merge_into;/* when this container is the value of "<<": the map to merge into */
	char *anchor;       /* anchor to register when the container ends */
	int line;           /* where it started, for merge errors */
	int column;
	uint8_t is_map, has_key, key_is_merge, parent_is_map;
	uint8_t state;      /* S_*: what the grammar expects next in this container */
	/* the common names this map may hold (a bit set by every entry linked to it): a clear
	 * bit spares the duplicate check its search */
	uint64_t static_seen[(K8SMIG__STATIC_KEY_COUNT + 63) / 64];
} frame;

typedef struct anchor {
	char *name;
	uint32_t node;
	size_t size;        /* nodes in the subtree: an alias costs this much */
} anchor;

typedef struct tag_directive {
	char *handle, *prefix;
} tag_directive;

typedef struct parser {
	yaml_parser_t yp;
	yaml_token_t tok;            /* the token being looked at */
	const char *data;            /* the input, to place reader errors */
	const k8smig_parse_options *opts;
	k8smig_object *obj;          /* document being built */
	frame *stack;
	size_t depth, stack_cap;
	anchor *anchors;
	size_t n_anchors, cap_anchors;
	size_t alias_nodes;
	tag_directive *tags;         /* the document's %TAG directives */
	size_t n_tags, cap_tags;
	k8smig__keyset keys;         /* duplicate-key checks of big maps */
	size_t arena_hint;           /* arena size of the previous document: streams repeat shapes */
	int doc_line;
	int doc_state;               /* D_* */
	bool doc_empty;
} parser;

/* ---- errors ----------------------------------------------------------------- */

static void append_step(k8smig__buf *b, const char *key, bool is_index, uint32_t index)
{
	if (is_index) {
		k8smig__buf_printf(b, "[%u]", (unsigned)index);
	} else if (strpbrk(key, ".[]") || !*key) {
		k8smig__buf_printf(b, "[%s]", key);
	} else {
		if (b->len)
			k8smig__buf_putc(b, '.');
		k8smig__buf_puts(b, key);
	}
}

static const char *key_text(const parser *p, uint32_t key)
{
	return (key & STATIC_KEY_BIT) ? k8smig__static_keys[key & ~STATIC_KEY_BIT] : p->obj->base + key;
}

/* The field path of the current position, e.g. spec.template.spec.containers[0].image */
static char *current_path(parser *p)
{
	k8smig__buf b = K8SMIG__BUF_INIT;
	size_t i;
	char *s;

	if (!p->obj)
		return NULL;
	for (i = 1; i < p->depth; i++) {
		frame *f = &p->stack[i];
		append_step(&b, f->parent_is_map ? key_text(p, f->step_key) : NULL, !f->parent_is_map, f->step_index);
	}
	if (p->depth) {
		frame *top = &p->stack[p->depth - 1];
		if (top->is_map && top->has_key)
			append_step(&b, key_text(p, top->key), false, 0);
		else if (!top->is_map)
			append_step(&b, NULL, true, k8smig__node(p->obj, top->node)->n);
	}
	s = k8smig__buf_detach(&b, NULL);
	return s;
}

static int fail_at(parser *p, int code, const yaml_mark_t *mark, const char *fmt, const char *arg)
{
	char *path = current_path(p);
	k8smig__error_set(code, path ? path : "", fmt, arg ? arg : "");
	free(path);
	if (mark)
		k8smig__error_set_position((int)mark->line + 1, (int)mark->column + 1);
	return code;
}

static int fail_libyaml(parser *p)
{
	yaml_parser_t *y = &p->yp;
	const char *problem = y->problem ? y->problem : "malformed YAML";
	char *path = current_path(p);

	/* libyaml 0.2.5's tag scanner returns failure without an error when its own
	 * malloc fails (scanner.c, yaml_parser_scan_tag): every other failure sets one */
	if (y->error == YAML_MEMORY_ERROR || y->error == YAML_NO_ERROR) {
		free(path);
		return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory parsing YAML");
	}
	if (y->context)
		k8smig__error_set(K8SMIG_EPARSE, path ? path : "", "%s (%s)", problem, y->context);
	else
		k8smig__error_set(K8SMIG_EPARSE, path ? path : "", "%s", problem);
	free(path);
	if (y->error == YAML_READER_ERROR) {
		/* reader errors (bad UTF-8, control characters) carry a byte offset, not a mark */
		size_t i, line = 1, col = 1;
		for (i = 0; i < y->problem_offset; i++) {
			if (p->data[i] == '\n') {
				line++;
				col = 1;
			} else if (((unsigned char)p->data[i] & 0xC0) != 0x80) {
				col++;
			}
		}
		k8smig__error_set_position((int)line, (int)col);
	} else {
		k8smig__error_set_position((int)y->problem_mark.line + 1, (int)y->problem_mark.column + 1);
	}
	return K8SMIG_EPARSE;
}

/* Entry of map with that key (static index sidx, or -1), or NULL. */
static k8smig_value *find_entry(parser *p, uint32_t map, const char *key, size_t len, int sidx)
{
	const frame *top = &p->stack[p->depth - 1];
	if (sidx >= 0 && top->node == map && !(top->static_seen[sidx / 64] & (UINT64_C(1) << (sidx % 64))))
		return NULL;
	return k8smig__keyset_find(&p->keys, p->obj, map, key, len, sidx);
}

/* Add child under key (arena offset) to map, indexing big maps. */
static int map_link(parser *p, uint32_t map, uint32_t key, uint32_t child, uint8_t flags)
{
	k8smig_value *c = k8smig__node(p->obj, child);
	if (key & STATIC_KEY_BIT) {
		uint32_t i = key & ~STATIC_KEY_BIT;
		size_t d = p->depth;
		k8smig__set_key_link(c, (int)i, NULL);
		/* the map's frame: the top one (any other would do, but none occurs) */
		while (d > 0 && p->stack[d - 1].node != map)
			d--;
		if (d > 0)
			p->stack[d - 1].static_seen[i / 64] |= UINT64_C(1) << (i % 64);
	} else
		k8smig__set_key_link(c, -1, p->obj->base + key);
	c->flags |= flags;
	k8smig__append_child(p->obj, map, child);
	return k8smig__keyset_added(&p->keys, p->obj, map, child);
}

/* ---- anchors and aliases ------------------------------------------------------ */

static size_t subtree_size(const k8smig_value *v)
{
	size_t n = 1;
	const k8smig_value *c;
	for (c = k8smig__first(v); c; c = k8smig__next(c))
		n += subtree_size(c);
	return n;
}

static int anchor_add(parser *p, const char *name, uint32_t node)
{
	anchor *a;
	if (p->n_anchors == p->cap_anchors && k8smig__array_grow(&p->anchors, &p->cap_anchors, 8, sizeof(*p->anchors)) < 0)
		return K8SMIG_ENOMEM;
	a = &p->anchors[p->n_anchors];
	if (!(a->name = k8smig__strdup(name)))
		return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	a->node = node;
	a->size = subtree_size(k8smig__node(p->obj, node));
	p->n_anchors++;
	return 0;
}

static const anchor *anchor_find(parser *p, const char *name)
{
	size_t i = p->n_anchors;
	while (i--) /* the latest definition wins */
		if (strcmp(p->anchors[i].name, name) == 0)
			return &p->anchors[i];
	return NULL;
}

static void anchors_clear(parser *p)
{
	size_t i;
	for (i = 0; i < p->n_anchors; i++)
		free(p->anchors[i].name);
	p->n_anchors = 0;
}

/* Deep copy of src into node dst, both in the document's arena. Offsets only. */
static int copy_within(parser *p, uint32_t dst, uint32_t src)
{
	k8smig_object *o = p->obj;
	k8smig_value *s = k8smig__node(o, src);
	uint32_t child;

	if (s->type == K8SMIG_TYPE_STRING) {
		uint32_t len = s->n;
		uint32_t soff = k8smig__string_copy_within(o, k8smig__off(o, k8smig__str(s)), len);
		k8smig_value *d;
		if (!soff)
			return K8SMIG_ENOMEM;
		d = k8smig__node(o, dst);
		d->type = K8SMIG_TYPE_STRING;
		d->n = len;
		d->u.s = k8smig__link(d, o->base + soff);
		return 0;
	}
	if (s->type != K8SMIG_TYPE_MAP && s->type != K8SMIG_TYPE_LIST) {
		k8smig_value *d = k8smig__node(o, dst);
		d->type = s->type;
		d->u = s->u;
		return 0;
	}
	k8smig__node(o, dst)->type = s->type;
	child = s->u.c.first ? k8smig__off(o, k8smig__first(s)) : 0;
	while (child) {
		uint32_t nc = k8smig__node_new(o, K8SMIG_TYPE_NULL);
		int rc;
		if (!nc)
			return K8SMIG_ENOMEM;
		if ((rc = copy_within(p, nc, child)) < 0)
			return rc;
		if (k8smig__node(o, src)->type == K8SMIG_TYPE_MAP) {
			const k8smig_value *cv = k8smig__node(o, child);
			if (cv->flags & K8SMIG__F_STATIC_KEY) {
				k8smig__set_key_link(k8smig__node(o, nc), cv->key, NULL);
			} else {
				const char *k = k8smig__key(cv);
				uint32_t koff = k8smig__string_copy_within(o, k8smig__off(o, k), strlen(k));
				if (!koff)
					return K8SMIG_ENOMEM;
				k8smig__set_key_link(k8smig__node(o, nc), -1, o->base + koff);
			}
		}
		k8smig__append_child(o, dst, nc);
		{
			k8smig_value *cv = k8smig__node(o, child);
			child = cv->next ? k8smig__off(o, k8smig__next(cv)) : 0;
		}
	}
	return 0;
}

/* ---- building -------------------------------------------------------------------- */

static int push(parser *p, uint32_t node, bool is_map, const node_ev *ev, const char *anchor_name)
{
	frame *f;
	if (p->depth >= p->opts->max_depth)
		return fail_at(p, K8SMIG_EPARSE, &ev->mark, "nesting is deeper than the limit%s", "");
	if (p->depth == p->stack_cap && k8smig__array_grow(&p->stack, &p->stack_cap, 16, sizeof(*p->stack)) < 0)
		return K8SMIG_ENOMEM;
	f = &p->stack[p->depth];
	memset(f, 0, sizeof(*f));
	f->node = node;
	f->is_map = is_map;
	f->line = (int)ev->mark.line + 1;
	f->column = (int)ev->mark.column + 1;
	if (anchor_name && !(f->anchor = k8smig__strdup(anchor_name)))
		return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	if (p->depth) {
		frame *parent = &p->stack[p->depth - 1];
		f->parent_is_map = parent->is_map;
		f->step_key = parent->key;
		/* list items are attached before they are pushed */
		f->step_index = parent->is_map ? 0 : k8smig__node(p->obj, parent->node)->n - 1;
	}
	p->depth++;
	return 0;
}

/* Merge the entries of map `from` into `into` where `into` lacks them (YAML merge keys). */
static int merge_map(parser *p, uint32_t into, uint32_t from, const yaml_mark_t *mark)
{
	k8smig_object *o = p->obj;
	uint32_t c;

	if (k8smig__node(o, from)->type != K8SMIG_TYPE_MAP)
		return fail_at(p, K8SMIG_EPARSE, mark, "a merge key (<<) needs a map or a list of maps%s", "");
	c = k8smig__node(o, from)->u.c.first ? k8smig__off(o, k8smig__first(k8smig__node(o, from))) : 0;
	while (c) {
		const char *k = k8smig__key(k8smig__node(o, c));
		const k8smig_value *cv0 = k8smig__node(o, c);
		if (!find_entry(p, into, k, strlen(k), (cv0->flags & K8SMIG__F_STATIC_KEY) ? cv0->key : -1)) {
			const k8smig_value *cv = k8smig__node(o, c);
			uint32_t koff = (cv->flags & K8SMIG__F_STATIC_KEY) ? (STATIC_KEY_BIT | (uint32_t)cv->key)
			                                                   : k8smig__string_copy_within(o, k8smig__off(o, k), strlen(k));
			uint32_t nc = koff ? k8smig__node_new(o, K8SMIG_TYPE_NULL) : 0;
			int rc;
			if (!nc)
				return K8SMIG_ENOMEM;
			p->alias_nodes += subtree_size(k8smig__node(o, c));
			if (p->alias_nodes > p->opts->max_alias_nodes)
				return fail_at(p, K8SMIG_EPARSE, mark, "alias expansion exceeds the limit (an alias bomb?)%s", "");
			if ((rc = copy_within(p, nc, c)) < 0 || (rc = map_link(p, into, koff, nc, K8SMIG__F_MERGED)) < 0)
				return rc;
		}
		{
			k8smig_value *cv = k8smig__node(o, c);
			c = cv->next ? k8smig__off(o, k8smig__next(cv)) : 0;
		}
	}
	return 0;
}

static int merge_value(parser *p, uint32_t into, uint32_t value, const yaml_mark_t *mark)
{
	k8smig_object *o = p->obj;
	k8smig_value *v = k8smig__node(o, value);
	uint32_t c;
	int rc;

	if (v->type != K8SMIG_TYPE_LIST)
		return merge_map(p, into, value, mark);
	/* earlier maps of the list win, so merge them first */
	c = v->u.c.first ? k8smig__off(o, k8smig__first(v)) : 0;
	while (c) {
		if ((rc = merge_map(p, into, c, mark)) < 0)
			return rc;
		{
			k8smig_value *cv = k8smig__node(o, c);
			c = cv->next ? k8smig__off(o, k8smig__next(cv)) : 0;
		}
	}
	return 0;
}

/*
 * Attach a finished value node where the top frame expects one. A value for
 * "<<" is merged into the map instead (and stays unlinked).
 */
static int attach(parser *p, uint32_t node, const node_ev *ev)
{
	frame *top = &p->stack[p->depth - 1];

	if (!top->is_map) {
		k8smig__append_child(p->obj, top->node, node);
		return 0;
	}
	top->has_key = 0;
	if (top->key_is_merge) {
		top->key_is_merge = 0;
		return merge_value(p, top->node, node, &ev->mark);
	}
	return map_link(p, top->node, top->key, node, 0);
}

/* A key arrives (text holds no NUL): check for duplicates (merged entries may be overridden). */
static int take_key(parser *p, const char *text, size_t len, bool plain, const node_ev *ev)
{
	frame *top = &p->stack[p->depth - 1];
	k8smig_value *dup;
	uint32_t koff;

	if (plain && len == 2 && memcmp(text, "<<", 2) == 0) {
		top->key_is_merge = 1;
		top->has_key = 1;
		top->key = k8smig__string_new(p->obj, text, len);
		return top->key ? 0 : K8SMIG_ENOMEM;
	}
	{
		int idx = k8smig__static_key_find(text, len);
		if (idx >= 0)
			koff = STATIC_KEY_BIT | (uint32_t)idx;
		else if (!(koff = k8smig__string_new(p->obj, text, len)))
			return K8SMIG_ENOMEM;
	}
	top = &p->stack[p->depth - 1];
	top->key = koff;
	top->has_key = 1;
	dup = find_entry(p, top->node, text, len, (koff & STATIC_KEY_BIT) ? (int)(koff & ~STATIC_KEY_BIT) : -1);
	if (dup) {
		if (!(dup->flags & K8SMIG__F_MERGED))
			return fail_at(p, K8SMIG_EPARSE, &ev->mark, "duplicate key%s", "");
		/* an explicit key overrides what a merge key brought in */
		k8smig__keyset_remove(&p->keys, p->obj, top->node, k8smig__off(p->obj, dup));
		k8smig__unlink(p->obj, top->node, k8smig__off(p->obj, dup));
	}
	return 0;
}

static bool tag_is(const char *tag, const char *name)
{
	return tag && strcmp(tag, name) == 0;
}

/* Type a scalar from its tag, style and text. */
static int scalar_value(parser *p, const node_ev *ev, k8smig__scalar *out)
{
	const char *s = ev->value;
	size_t n = ev->length;
	const char *tag = ev->tag;
	bool overflow;

	out->type = K8SMIG_TYPE_STRING;
	if (!tag) {
		if (ev->style == YAML_PLAIN_SCALAR_STYLE)
			k8smig__yaml_resolve_plain(out, s, n, (p->opts->flags & K8SMIG_PARSE_YAML12_BOOLS) != 0);
		return 0;
	}
	if (tag_is(tag, "!") || tag_is(tag, YAML_STR_TAG) || tag_is(tag, "tag:yaml.org,2002:binary"))
		return 0;
	if (tag_is(tag, YAML_INT_TAG)) {
		if (k8smig__parse_int(s, n, &out->i, &overflow)) {
			out->type = K8SMIG_TYPE_INT;
			return 0;
		}
		return fail_at(p, K8SMIG_EPARSE, &ev->mark, "!!int value is not an integer%s", "");
	}
	if (tag_is(tag, YAML_FLOAT_TAG)) {
		if (k8smig__parse_int(s, n, &out->i, &overflow)) {
			out->d = (double)out->i;
			out->type = K8SMIG_TYPE_DOUBLE;
			return 0;
		}
		if (k8smig__parse_float(s, n, &out->d)) {
			out->type = K8SMIG_TYPE_DOUBLE;
			return 0;
		}
		return fail_at(p, K8SMIG_EPARSE, &ev->mark, "!!float value is not a number%s", "");
	}
	if (tag_is(tag, YAML_BOOL_TAG) || tag_is(tag, YAML_NULL_TAG)) {
		k8smig__yaml_resolve_plain(out, s, n, (p->opts->flags & K8SMIG_PARSE_YAML12_BOOLS) != 0);
		if ((tag_is(tag, YAML_BOOL_TAG) && out->type != K8SMIG_TYPE_BOOL) ||
		    (tag_is(tag, YAML_NULL_TAG) && out->type != K8SMIG_TYPE_NULL))
			return fail_at(p, K8SMIG_EPARSE, &ev->mark, "value does not match its tag %s", tag);
		return 0;
	}
	return fail_at(p, K8SMIG_EPARSE, &ev->mark, "unsupported tag %s", tag);
}

static int on_scalar(parser *p, const node_ev *ev)
{
	frame *top = &p->stack[p->depth - 1];
	k8smig__scalar sc;
	uint32_t node;
	int rc;

	if (top->is_map && !top->has_key) {
		/* libyaml's reader refuses a NUL byte: only a double-quoted escape writes one */
		if (ev->style == YAML_DOUBLE_QUOTED_SCALAR_STYLE &&
		    memchr(ev->value, '\0', ev->length))
			return fail_at(p, K8SMIG_EPARSE, &ev->mark, "a key holds a NUL character%s", "");
		if (ev->anchor) {
			/* an anchored key: keep a detached copy for its aliases */
			if (!(node = k8smig__node_new(p->obj, K8SMIG_TYPE_NULL)))
				return K8SMIG_ENOMEM;
			if ((rc = k8smig__node_set_string(p->obj, node, ev->value,
			                                  ev->length)) < 0 ||
			    (rc = anchor_add(p, ev->anchor, node)) < 0)
				return rc;
		}
		return take_key(p, ev->value, ev->length,
		                ev->style == YAML_PLAIN_SCALAR_STYLE && !ev->tag, ev);
	}
	if ((rc = scalar_value(p, ev, &sc)) < 0)
		return rc;
	if (!(node = k8smig__node_new(p->obj, sc.type)))
		return K8SMIG_ENOMEM;
	if (sc.type == K8SMIG_TYPE_STRING) {
		if ((rc = k8smig__node_set_string(p->obj, node, ev->value, ev->length)) < 0)
			return rc;
	} else if (sc.type == K8SMIG_TYPE_DOUBLE) {
		k8smig__node(p->obj, node)->u.d = sc.d;
	} else {
		k8smig__node(p->obj, node)->u.i = sc.i;
	}
	if (ev->anchor && (rc = anchor_add(p, ev->anchor, node)) < 0)
		return rc;
	return attach(p, node, ev);
}

static int on_alias(parser *p, const node_ev *ev)
{
	frame *top = &p->stack[p->depth - 1];
	const anchor *a = anchor_find(p, ev->value);
	uint32_t node;
	int rc;

	if (!a)
		return fail_at(p, K8SMIG_EPARSE, &ev->mark, "unknown anchor %s", ev->value);
	if (top->is_map && !top->has_key) {
		const k8smig_value *v = k8smig__node(p->obj, a->node);
		if (v->type != K8SMIG_TYPE_STRING)
			return fail_at(p, K8SMIG_EPARSE, &ev->mark, "an alias used as a key must name a string%s", "");
		{
			/* copy out: taking the key allocates and may move the arena */
			char *k = k8smig__strndup(k8smig__str(v), v->n);
			if (!k)
				return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
			rc = take_key(p, k, strlen(k), false, ev);
			free(k);
			return rc;
		}
	}
	p->alias_nodes += a->size;
	if (p->alias_nodes > p->opts->max_alias_nodes)
		return fail_at(p, K8SMIG_EPARSE, &ev->mark, "alias expansion exceeds the limit (an alias bomb?)%s", "");
	if (top->is_map && top->key_is_merge) {
		/* merge straight from the anchored node, no intermediate copy */
		top->key_is_merge = 0;
		top->has_key = 0;
		return merge_value(p, top->node, a->node, &ev->mark);
	}
	if (!(node = k8smig__node_new(p->obj, K8SMIG_TYPE_NULL)))
		return K8SMIG_ENOMEM;
	if ((rc = copy_within(p, node, a->node)) < 0)
		return rc;
	return attach(p, node, ev);
}

static int on_start(parser *p, const node_ev *ev, bool is_map)
{
	const char *tag = ev->tag;
	const char *anch = ev->anchor;
	frame *top;
	uint32_t node;

	if (tag && !tag_is(tag, is_map ? YAML_MAP_TAG : YAML_SEQ_TAG))
		return fail_at(p, K8SMIG_EPARSE, &ev->mark, "unsupported tag %s", tag);
	if (p->depth >= p->opts->max_depth)
		return fail_at(p, K8SMIG_EPARSE, &ev->mark, "nesting is deeper than the limit%s", "");
	if (p->depth == 0) {
		/* the document's root */
		if (!is_map)
			return fail_at(p, K8SMIG_EPARSE, &ev->mark,
			               "a document must be a mapping (a Kubernetes object), not a list%s", "");
		p->doc_empty = false;
		p->doc_line = (int)ev->mark.line + 1;
		return push(p, p->obj->root, true, ev, anch);
	}
	top = &p->stack[p->depth - 1];
	if (top->is_map && !top->has_key)
		return fail_at(p, K8SMIG_EPARSE, &ev->mark, "a mapping key must be a scalar%s", "");
	if (!(node = k8smig__node_new(p->obj, is_map ? K8SMIG_TYPE_MAP : K8SMIG_TYPE_LIST)))
		return K8SMIG_ENOMEM;
	if (top->is_map && top->key_is_merge) {
		/* built detached, merged when it ends */
		uint32_t into = top->node;
		int rc;
		top->key_is_merge = 0;
		top->has_key = 0;
		if ((rc = push(p, node, is_map, ev, anch)) < 0)
			return rc;
		p->stack[p->depth - 1].merge_into = into;
		return 0;
	}
	if (attach(p, node, ev) < 0)
		return k8smig_error_last()->code;
	return push(p, node, is_map, ev, anch);
}

static int on_end(parser *p, const yaml_mark_t *mark)
{
	frame f = p->stack[--p->depth];
	int rc = 0;

	if (f.anchor) {
		rc = anchor_add(p, f.anchor, f.node);
		free(f.anchor);
		if (rc < 0)
			return rc;
	}
	if (f.merge_into)
		return merge_value(p, f.merge_into, f.node, mark);
	return 0;
}

static void drop_stack(parser *p)
{
	while (p->depth)
		free(p->stack[--p->depth].anchor);
}

static void begin_document(parser *p, const yaml_mark_t *mark)
{
	p->doc_empty = true;
	p->doc_line = (int)mark->line + 1;
}

static int on_document_end(parser *p, k8smig_object_list *list)
{
	k8smig_object *o = p->obj;
	int rc;

	p->obj = NULL;
	anchors_clear(p);
	k8smig__keyset_clear(&p->keys);
	if (p->doc_empty) {
		k8smig_object_free(o);
		return 0;
	}
	p->arena_hint = o->used < (1u << 20) ? o->used + 64 : 0;
	o = k8smig__object_shrink(o);
	if ((rc = k8smig__object_set_source(o, p->opts->source_name, p->doc_line)) < 0) {
		k8smig_object_free(o);
		return rc;
	}
	return k8smig_object_list_append_take(list, o);
}

/* ---- the grammar over libyaml's tokens ------------------------------------------------
 *
 * Each open collection's frame holds its state (S_*); the document level has its own
 * (D_*). A step reads tokens up to the next node or collection end and hands that to
 * the builders above. The states and their errors are those of YAML 1.1's productions
 * as libyaml's parser (0.2.5) implements them, without its event objects, which cost
 * time to build and to take apart again (figures in docs/benchmarks.md).
 */

#define TOK(p) ((p)->tok.type)

/* Drop the token looked at and scan the next. */
static int advance(parser *p)
{
	/* most tokens own no text: spare them yaml_token_delete's switch and clearing */
	if (TOK(p) == YAML_SCALAR_TOKEN)
		free(p->tok.data.scalar.value);
	else if (TOK(p) == YAML_ALIAS_TOKEN || TOK(p) == YAML_ANCHOR_TOKEN || TOK(p) == YAML_TAG_TOKEN ||
	         TOK(p) == YAML_TAG_DIRECTIVE_TOKEN)
		yaml_token_delete(&p->tok);
	/* on failure libyaml leaves the token empty */
	return yaml_parser_scan(&p->yp, &p->tok) ? 0 : fail_libyaml(p);
}

/* A token the grammar does not allow here: libyaml's wording, at the token. */
static K8SMIG__COLD int fail_token(parser *p, const char *message)
{
	return fail_at(p, K8SMIG_EPARSE, &p->tok.start_mark, "%s", message);
}

/* A scalar node (the document's root may only be an empty one). */
static int scalar_node(parser *p, const node_ev *ev)
{
	k8smig__scalar sc;
	int rc;

	if (p->depth)
		return on_scalar(p, ev);
	if ((rc = scalar_value(p, ev, &sc)) == 0 && sc.type != K8SMIG_TYPE_NULL)
		rc = fail_at(p, K8SMIG_EPARSE, &ev->mark, "a document must be a mapping (a Kubernetes object), not a scalar%s", "");
	return rc;
}

/* An empty node (a key or value left out): a plain empty scalar, which is null. */
static int empty_node(parser *p, const yaml_mark_t *mark)
{
	node_ev ev;
	ev.mark = *mark;
	ev.anchor = ev.tag = NULL;
	ev.value = "";
	ev.length = 0;
	ev.style = YAML_PLAIN_SCALAR_STYLE;
	return scalar_node(p, &ev);
}

static int start_collection(parser *p, const node_ev *ev, bool is_map, uint8_t state)
{
	int rc = on_start(p, ev, is_map);
	if (rc == 0)
		p->stack[p->depth - 1].state = state;
	return rc;
}

/* The collection on top ends at this token; consume it. */
static int end_collection(parser *p)
{
	int rc = on_end(p, &p->tok.start_mark);
	return rc < 0 ? rc : advance(p);
}

/* The full tag of a tag token: a verbatim tag as is, a handle through the %TAG directives. */
static int resolve_tag(parser *p, char **handle, char **suffix, char **tag, const yaml_mark_t *mark)
{
	const char *prefix = NULL;
	size_t i, np, ns;

	if (!**handle) {
		*tag = *suffix;
		*suffix = NULL;
		return 0;
	}
	for (i = 0; i < p->n_tags && !prefix; i++)
		if (strcmp(p->tags[i].handle, *handle) == 0)
			prefix = p->tags[i].prefix;
	if (!prefix && strcmp(*handle, "!") == 0)
		prefix = "!";
	if (!prefix && strcmp(*handle, "!!") == 0)
		prefix = "tag:yaml.org,2002:";
	if (!prefix)
		return fail_at(p, K8SMIG_EPARSE, mark, "found undefined tag handle %s (while parsing a node)", *handle);
	np = strlen(prefix);
	ns = strlen(*suffix);
	if (!(*tag = malloc(np + ns + 1)))
		return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	memcpy(*tag, prefix, np);
	memcpy(*tag + np, *suffix, ns + 1);
	return 0;
}

static void scalar_from_token(node_ev *ev, const yaml_token_t *t)
{
	ev->value = (const char *)t->data.scalar.value;
	ev->length = t->data.scalar.length;
	ev->style = t->data.scalar.style;
}

/*
 * The node at this token, where the top collection (or the document) expects one. The
 * caller has already set the state its container takes after the node. `block`: block
 * collections may start here; `indentless`: so may a sequence of "- " entries at the
 * key's own indentation (the value of a block mapping's key).
 */
static int parse_other_node(parser *p, bool block, bool indentless);

static inline int parse_node(parser *p, bool block, bool indentless)
{
	node_ev ev;
	int rc;

	if (TOK(p) != YAML_SCALAR_TOKEN)
		return parse_other_node(p, block, indentless);
	/* the usual node: a scalar without properties */
	ev.mark = p->tok.start_mark;
	ev.anchor = ev.tag = NULL;
	scalar_from_token(&ev, &p->tok);
	return (rc = scalar_node(p, &ev)) < 0 ? rc : advance(p);
}

static int parse_other_node(parser *p, bool block, bool indentless)
{
	node_ev ev;
	char *anchor_name = NULL, *handle = NULL, *suffix = NULL, *tag = NULL;
	yaml_mark_t tag_mark;
	int rc = 0;

	ev.mark = tag_mark = p->tok.start_mark;
	ev.anchor = ev.tag = NULL;
	if (TOK(p) == YAML_ALIAS_TOKEN) {
		ev.value = (const char *)p->tok.data.alias.value;
		if (!p->depth)
			return fail_at(p, K8SMIG_EPARSE, &ev.mark, "a document must be a mapping%s", "");
		return (rc = on_alias(p, &ev)) < 0 ? rc : advance(p);
	}
	/* properties: an anchor and a tag, in either order */
	while (rc == 0 && ((TOK(p) == YAML_ANCHOR_TOKEN && !anchor_name) || (TOK(p) == YAML_TAG_TOKEN && !handle))) {
		if (TOK(p) == YAML_ANCHOR_TOKEN) {
			anchor_name = (char *)p->tok.data.anchor.value;
			p->tok.data.anchor.value = NULL;
		} else {
			handle = (char *)p->tok.data.tag.handle;
			suffix = (char *)p->tok.data.tag.suffix;
			p->tok.data.tag.handle = p->tok.data.tag.suffix = NULL;
			tag_mark = p->tok.start_mark;
		}
		rc = advance(p);
	}
	if (rc == 0 && handle)
		rc = resolve_tag(p, &handle, &suffix, &tag, &tag_mark);
	if (rc < 0)
		goto out;
	ev.anchor = anchor_name;
	ev.tag = tag;
	switch (TOK(p)) {
	case YAML_SCALAR_TOKEN:
		scalar_from_token(&ev, &p->tok);
		if ((rc = scalar_node(p, &ev)) == 0)
			rc = advance(p);
		break;
	case YAML_FLOW_SEQUENCE_START_TOKEN:
	case YAML_FLOW_MAPPING_START_TOKEN:
		if ((rc = start_collection(p, &ev, TOK(p) == YAML_FLOW_MAPPING_START_TOKEN,
		                           TOK(p) == YAML_FLOW_MAPPING_START_TOKEN ? S_FLOW_MAP_FIRST : S_FLOW_SEQ_FIRST)) == 0)
			rc = advance(p);
		break;
	case YAML_BLOCK_SEQUENCE_START_TOKEN:
	case YAML_BLOCK_MAPPING_START_TOKEN:
		if (!block)
			goto no_content;
		if ((rc = start_collection(p, &ev, TOK(p) == YAML_BLOCK_MAPPING_START_TOKEN,
		                           TOK(p) == YAML_BLOCK_MAPPING_START_TOKEN ? S_BLOCK_KEY : S_BLOCK_ENTRY)) == 0)
			rc = advance(p);
		break;
	case YAML_BLOCK_ENTRY_TOKEN:
		if (!indentless)
			goto no_content;
		/* the "- " stays: it is the sequence's first entry */
		rc = start_collection(p, &ev, false, S_INDENTLESS_ENTRY);
		break;
	default:
	no_content:
		if (anchor_name || tag) {
			/* properties alone: an empty scalar */
			ev.value = "";
			ev.length = 0;
			ev.style = YAML_PLAIN_SCALAR_STYLE;
			rc = scalar_node(p, &ev);
		} else {
			rc = fail_token(p, block ? "did not find expected node content (while parsing a block node)"
			                         : "did not find expected node content (while parsing a flow node)");
		}
	}
out:
	free(anchor_name);
	free(handle);
	free(suffix);
	free(tag);
	return rc;
}

/* After a block mapping's "?" or ":": its node, or an empty one when the next token starts
 * another entry or ends the map. */
static inline int block_map_node(parser *p)
{
	yaml_mark_t mark = p->tok.end_mark;
	int rc = advance(p);
	if (rc < 0)
		return rc;
	if (TOK(p) == YAML_KEY_TOKEN || TOK(p) == YAML_VALUE_TOKEN || TOK(p) == YAML_BLOCK_END_TOKEN)
		return empty_node(p, &mark);
	return parse_node(p, true, true);
}

/* A flow pair's key or value where the next token may leave it out (`end` ends the
 * collection): its node, or an empty one, the token staying for what follows. */
static int flow_node_or_empty(parser *p, yaml_token_type_t end)
{
	if (TOK(p) == YAML_VALUE_TOKEN || TOK(p) == YAML_FLOW_ENTRY_TOKEN || TOK(p) == end)
		return empty_node(p, &p->tok.start_mark);
	return parse_node(p, false, false);
}

/* A flow collection's value after its key: ":" and a node, or an empty one. */
static int flow_value(parser *p, yaml_token_type_t end)
{
	int rc;
	if (TOK(p) == YAML_VALUE_TOKEN) {
		if ((rc = advance(p)) < 0)
			return rc;
		if (TOK(p) != YAML_FLOW_ENTRY_TOKEN && TOK(p) != end)
			return parse_node(p, false, false);
	}
	return empty_node(p, &p->tok.start_mark);
}

/* Up to a flow collection's next entry: past the ',' after the one before (none before the
 * first). 1 when the collection ends here instead (at `end`), 0 at the entry, or an error
 * (`message` when neither ',' nor the end follows an entry). */
static int flow_next_entry(parser *p, bool first, yaml_token_type_t end, const char *message)
{
	int rc;
	if (TOK(p) == end)
		return 1;
	if (!first) {
		if (TOK(p) != YAML_FLOW_ENTRY_TOKEN)
			return fail_token(p, message);
		if ((rc = advance(p)) < 0)
			return rc;
		if (TOK(p) == end)
			return 1; /* a trailing comma */
	}
	return 0;
}

/* One step inside the top flow collection. */
static int flow_step(parser *p)
{
	frame *top = &p->stack[p->depth - 1];
	int rc;

	switch (top->state) {
	case S_FLOW_SEQ_FIRST:
	case S_FLOW_SEQ:
		if ((rc = flow_next_entry(p, top->state == S_FLOW_SEQ_FIRST, YAML_FLOW_SEQUENCE_END_TOKEN,
		                          "did not find expected ',' or ']' (while parsing a flow sequence)")) != 0)
			return rc < 0 ? rc : end_collection(p);
		top->state = S_FLOW_SEQ;
		if (TOK(p) == YAML_KEY_TOKEN) {
			/* [a: b]: an entry that is a map of one pair */
			node_ev ev;
			memset(&ev, 0, sizeof(ev));
			ev.mark = p->tok.start_mark;
			if ((rc = start_collection(p, &ev, true, S_PAIR_KEY)) < 0)
				return rc;
			return advance(p);
		}
		return parse_node(p, false, false);
	case S_PAIR_KEY:
		top->state = S_PAIR_VALUE;
		return flow_node_or_empty(p, YAML_FLOW_SEQUENCE_END_TOKEN);
	case S_PAIR_VALUE:
		top->state = S_PAIR_END;
		return flow_value(p, YAML_FLOW_SEQUENCE_END_TOKEN);
	case S_PAIR_END:
		return on_end(p, &p->tok.start_mark);
	case S_FLOW_MAP_FIRST:
	case S_FLOW_MAP_KEY:
		if ((rc = flow_next_entry(p, top->state == S_FLOW_MAP_FIRST, YAML_FLOW_MAPPING_END_TOKEN,
		                          "did not find expected ',' or '}' (while parsing a flow mapping)")) != 0)
			return rc < 0 ? rc : end_collection(p);
		if (TOK(p) == YAML_KEY_TOKEN) {
			top->state = S_FLOW_MAP_VALUE;
			if ((rc = advance(p)) < 0)
				return rc;
			return flow_node_or_empty(p, YAML_FLOW_MAPPING_END_TOKEN);
		}
		/* {a}: a key without a value */
		top->state = S_FLOW_MAP_EMPTY_VALUE;
		return parse_node(p, false, false);
	case S_FLOW_MAP_VALUE:
		top->state = S_FLOW_MAP_KEY;
		return flow_value(p, YAML_FLOW_MAPPING_END_TOKEN);
	default: /* S_FLOW_MAP_EMPTY_VALUE */
		top->state = S_FLOW_MAP_KEY;
		return empty_node(p, &p->tok.start_mark);
	}
}

/* One step inside the top collection: up to its next node, or its end. */
static int collection_step(parser *p)
{
	frame *top = &p->stack[p->depth - 1];
	yaml_token_type_t t = TOK(p);
	yaml_mark_t mark;
	int rc;

	/* tests, not a switch: a jump table is one indirect branch per step, which
	 * mispredicts more often than these (the block states are nearly all steps) */
	if (top->state == S_BLOCK_KEY) {
		if (t == YAML_KEY_TOKEN) {
			top->state = S_BLOCK_VALUE;
			return block_map_node(p);
		}
		if (t == YAML_BLOCK_END_TOKEN)
			return end_collection(p);
		return fail_token(p, "did not find expected key (while parsing a block mapping)");
	}
	if (top->state == S_BLOCK_VALUE) {
		top->state = S_BLOCK_KEY;
		if (t != YAML_VALUE_TOKEN)
			return empty_node(p, &p->tok.start_mark);
		return block_map_node(p);
	}
	if (top->state == S_BLOCK_ENTRY || top->state == S_INDENTLESS_ENTRY) {
		if (t == YAML_BLOCK_ENTRY_TOKEN) {
			bool indentless = top->state == S_INDENTLESS_ENTRY;
			mark = p->tok.end_mark;
			if ((rc = advance(p)) < 0)
				return rc;
			t = TOK(p);
			if (t == YAML_BLOCK_ENTRY_TOKEN || t == YAML_BLOCK_END_TOKEN ||
			    (indentless && (t == YAML_KEY_TOKEN || t == YAML_VALUE_TOKEN)))
				return empty_node(p, &mark);
			return parse_node(p, true, false);
		}
		if (top->state == S_INDENTLESS_ENTRY) /* ends before the token that is not "- " */
			return on_end(p, &p->tok.start_mark);
		if (t == YAML_BLOCK_END_TOKEN)
			return end_collection(p);
		return fail_token(p, "did not find expected '-' indicator (while parsing a block collection)");
	}
	return flow_step(p);
}

static void tags_clear(parser *p)
{
	while (p->n_tags) {
		p->n_tags--;
		free(p->tags[p->n_tags].handle);
		free(p->tags[p->n_tags].prefix);
	}
}

/* %YAML and %TAG lines before a document's "---". */
static int directives(parser *p)
{
	bool version = false;
	int rc;

	for (;;) {
		if (TOK(p) == YAML_VERSION_DIRECTIVE_TOKEN) {
			if (version)
				return fail_token(p, "found duplicate %YAML directive");
			if (p->tok.data.version_directive.major != 1 ||
			    (p->tok.data.version_directive.minor != 1 && p->tok.data.version_directive.minor != 2))
				return fail_token(p, "found incompatible YAML document");
			version = true;
		} else if (TOK(p) == YAML_TAG_DIRECTIVE_TOKEN) {
			size_t i;
			tag_directive *d;
			for (i = 0; i < p->n_tags; i++)
				if (strcmp(p->tags[i].handle, (const char *)p->tok.data.tag_directive.handle) == 0)
					return fail_token(p, "found duplicate %TAG directive");
			if (p->n_tags == p->cap_tags && k8smig__array_grow(&p->tags, &p->cap_tags, 4, sizeof(*p->tags)) < 0)
				return K8SMIG_ENOMEM;
			d = &p->tags[p->n_tags++];
			d->handle = (char *)p->tok.data.tag_directive.handle;
			d->prefix = (char *)p->tok.data.tag_directive.prefix;
			p->tok.data.tag_directive.handle = p->tok.data.tag_directive.prefix = NULL;
		} else {
			return 0;
		}
		if ((rc = advance(p)) < 0)
			return rc;
	}
}

/* One step outside any collection: a document's start, its root node, or its end. */
static int document_step(parser *p, k8smig_object_list *list)
{
	yaml_mark_t mark;
	int rc;

	switch (p->doc_state) {
	case D_START:
		/* extra "..." lines */
		while (TOK(p) == YAML_DOCUMENT_END_TOKEN)
			if ((rc = advance(p)) < 0)
				return rc;
		/* fall through */
	case D_IMPLICIT_START:
		if (TOK(p) == YAML_STREAM_END_TOKEN) {
			p->doc_state = D_DONE;
			return 0;
		}
		mark = p->tok.start_mark;
		if ((rc = k8smig__object_new_empty(&p->obj, p->arena_hint)) < 0)
			return rc;
		begin_document(p, &mark);
		if (p->doc_state == D_IMPLICIT_START && TOK(p) != YAML_VERSION_DIRECTIVE_TOKEN &&
		    TOK(p) != YAML_TAG_DIRECTIVE_TOKEN && TOK(p) != YAML_DOCUMENT_START_TOKEN) {
			/* the first document may leave out its "---" */
			p->doc_state = D_END;
			return parse_node(p, true, false);
		}
		if ((rc = directives(p)) < 0)
			return rc;
		if (TOK(p) != YAML_DOCUMENT_START_TOKEN)
			return fail_token(p, "did not find expected <document start>");
		p->doc_state = D_CONTENT;
		return advance(p);
	case D_CONTENT:
		p->doc_state = D_END;
		switch (TOK(p)) {
		case YAML_VERSION_DIRECTIVE_TOKEN:
		case YAML_TAG_DIRECTIVE_TOKEN:
		case YAML_DOCUMENT_START_TOKEN:
		case YAML_DOCUMENT_END_TOKEN:
		case YAML_STREAM_END_TOKEN:
			return empty_node(p, &p->tok.start_mark);
		default:
			return parse_node(p, true, false);
		}
	default: /* D_END */
		if (TOK(p) == YAML_DOCUMENT_END_TOKEN && (rc = advance(p)) < 0)
			return rc;
		tags_clear(p);
		p->doc_state = D_START;
		return on_document_end(p, list);
	}
}

int k8smig__parse_yaml(k8smig_object_list *list, const char *data, size_t len, const k8smig_parse_options *opts)
{
	parser p;
	int rc;

	memset(&p, 0, sizeof(p));
	p.opts = opts;
	p.data = data;
	p.doc_state = D_IMPLICIT_START;
	if (!yaml_parser_initialize(&p.yp))
		return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	yaml_parser_set_input_string(&p.yp, (const unsigned char *)data, len);
	yaml_parser_set_encoding(&p.yp, YAML_UTF8_ENCODING);

	/* the scanner's first token is always STREAM-START */
	rc = yaml_parser_scan(&p.yp, &p.tok) ? advance(&p) : fail_libyaml(&p);
	while (rc == 0 && p.doc_state != D_DONE)
		rc = p.depth ? collection_step(&p) : document_step(&p, list);
	if (rc < 0 && k8smig_error_last()->line == 0 && rc != K8SMIG_ENOMEM) {
		/* errors raised below this file (ENOMEM aside) still get a position */
		k8smig__error_set_position((int)p.yp.mark.line + 1, (int)p.yp.mark.column + 1);
	}
	yaml_token_delete(&p.tok);
	tags_clear(&p);
	free(p.tags);
	drop_stack(&p);
	anchors_clear(&p);
	free(p.anchors);
	free(p.stack);
	k8smig__keyset_free(&p.keys);
	k8smig_object_free(p.obj);
	yaml_parser_delete(&p.yp);
	return rc;
}
