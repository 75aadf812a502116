/*
 * lib/render/render_node.c - the render's mutable tree, its arena, the
 * conversions from and to k8smig_object, resources and the hash index.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"
#include "../model/list.h"

/* ---- arena ---------------------------------------------------------------- */

struct k8smig__rchunk {
	k8smig__rchunk *next;
	/* payload follows, 16-byte aligned */
	max_align_t align_[];
};

#define CHUNK_SIZE ((size_t)256 << 10)

void *k8smig__ralloc(k8smig__rarena *a, size_t size)
{
	void *p;
	size = (size + 15) & ~(size_t)15;
	if (size > a->left) {
		size_t payload = size > CHUNK_SIZE / 4 ? size : CHUNK_SIZE;
		k8smig__rchunk *c = malloc(sizeof(*c) + payload);
		if (!c) {
			k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
			return NULL;
		}
		c->next = a->chunks;
		a->chunks = c;
		if (payload == size)  /* a large block: keep using the current chunk afterwards */
			return (char *)(c + 1);
		a->cur = (char *)(c + 1);
		a->left = payload;
	}
	p = a->cur;
	a->cur += size;
	a->left -= size;
	return p;
}

char *k8smig__rstrndup(k8smig__rarena *a, const char *s, size_t len)
{
	char *p = k8smig__ralloc(a, len + 1);
	if (p) {
		memcpy(p, s, len);
		p[len] = '\0';
	}
	return p;
}

char *k8smig__rstrdup(k8smig__rarena *a, const char *s)
{
	return s ? k8smig__rstrndup(a, s, strlen(s)) : NULL;
}

char *k8smig__rprintf(k8smig__rarena *a, const char *fmt, ...)
{
	va_list ap;
	char small[256];
	int n;
	char *p;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	if ((size_t)n < sizeof(small))
		return k8smig__rstrndup(a, small, (size_t)n);
	if (!(p = k8smig__ralloc(a, (size_t)n + 1)))
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void k8smig__rarena_free(k8smig__rarena *a)
{
	k8smig__rchunk *c = a->chunks;
	while (c) {
		k8smig__rchunk *n = c->next;
		free(c);
		c = n;
	}
	memset(a, 0, sizeof(*a));
}

/* ---- tree ----------------------------------------------------------------- */

k8smig__rnode *k8smig__rnode_new(k8smig__rarena *a, k8smig_type type)
{
	k8smig__rnode *n = k8smig__ralloc(a, sizeof(*n));
	if (n) {
		memset(n, 0, sizeof(*n));
		n->type = type;
	}
	return n;
}

k8smig__rnode *k8smig__rnode_str(k8smig__rarena *a, const char *s)
{
	k8smig__rnode *n = k8smig__rnode_new(a, K8SMIG_TYPE_STRING);
	if (n && !(n->u.str.s = k8smig__rstrdup(a, s)))
		return NULL;
	if (n)
		n->u.str.len = strlen(s);
	return n;
}

k8smig__rnode *k8smig__rnode_get(const k8smig__rnode *m, const char *key)
{
	k8smig__rnode *c;
	if (!m || m->type != K8SMIG_TYPE_MAP)
		return NULL;
	for (c = m->u.c.first; c; c = c->next)
		if (strcmp(c->key, key) == 0)
			return c;
	return NULL;
}

const char *k8smig__rnode_get_str(const k8smig__rnode *m, const char *key)
{
	return k8smig__rnode_s(k8smig__rnode_get(m, key));
}

void k8smig__rnode_append(k8smig__rnode *list, k8smig__rnode *item)
{
	item->next = NULL;
	if (list->u.c.last)
		list->u.c.last->next = item;
	else
		list->u.c.first = item;
	list->u.c.last = item;
	list->u.c.n++;
}

void k8smig__rnode_unlink(k8smig__rnode *c, k8smig__rnode *child)
{
	k8smig__rnode *prev = NULL, *it;
	for (it = c->u.c.first; it && it != child; it = it->next)
		prev = it;
	if (!it)
		return;
	if (prev)
		prev->next = it->next;
	else
		c->u.c.first = it->next;
	if (c->u.c.last == it)
		c->u.c.last = prev;
	c->u.c.n--;
	it->next = NULL;
}

void k8smig__rnode_put(k8smig__rnode *m, const char *key, k8smig__rnode *v)
{
	k8smig__rnode *prev = NULL, *it;
	v->key = key;
	for (it = m->u.c.first; it; prev = it, it = it->next) {
		if (strcmp(it->key, key) == 0) {
			/* replace in place: keys keep their position */
			v->next = it->next;
			if (prev)
				prev->next = v;
			else
				m->u.c.first = v;
			if (m->u.c.last == it)
				m->u.c.last = v;
			return;
		}
	}
	k8smig__rnode_append(m, v);
}

bool k8smig__rnode_remove(k8smig__rnode *m, const char *key)
{
	k8smig__rnode *c = k8smig__rnode_get(m, key);
	if (!c)
		return false;
	k8smig__rnode_unlink(m, c);
	return true;
}

k8smig__rnode *k8smig__rnode_map_at(k8smig__rarena *a, k8smig__rnode *m, const char *key, bool create)
{
	k8smig__rnode *c = k8smig__rnode_get(m, key);
	if (c && c->type == K8SMIG_TYPE_MAP)
		return c;
	if (!create || !m || m->type != K8SMIG_TYPE_MAP)
		return NULL;
	if (!(c = k8smig__rnode_new(a, K8SMIG_TYPE_MAP)) || !(key = k8smig__rstrdup(a, key)))
		return NULL;
	k8smig__rnode_put(m, key, c);
	return c;
}

int k8smig__rnode_set_str(k8smig__rarena *a, k8smig__rnode *m, const char *key, const char *value)
{
	k8smig__rnode *v = k8smig__rnode_str(a, value);
	const char *k = k8smig__rstrdup(a, key);
	if (!v || !k)
		return K8SMIG_ENOMEM;
	k8smig__rnode_put(m, k, v);
	return 0;
}

k8smig__rnode *k8smig__rnode_copy(k8smig__rarena *a, const k8smig__rnode *v)
{
	k8smig__rnode *n = k8smig__rnode_new(a, v->type), *c;
	const k8smig__rnode *it;
	if (!n)
		return NULL;
	n->key = v->key;
	if (v->type != K8SMIG_TYPE_MAP && v->type != K8SMIG_TYPE_LIST) {
		n->u = v->u;
		return n;
	}
	for (it = v->u.c.first; it; it = it->next) {
		if (!(c = k8smig__rnode_copy(a, it)))
			return NULL;
		k8smig__rnode_append(n, c);
	}
	return n;
}

bool k8smig__rnode_equal(const k8smig__rnode *x, const k8smig__rnode *y)
{
	const k8smig__rnode *cx, *cy;
	if (!x || !y)
		return x == y;
	if (x->type != y->type)
		return false;
	switch (x->type) {
	case K8SMIG_TYPE_NULL:
		return true;
	case K8SMIG_TYPE_BOOL:
	case K8SMIG_TYPE_INT:
		return x->u.i == y->u.i;
	case K8SMIG_TYPE_DOUBLE: /* .nan equals itself, as in k8smig_value_equal (found by fuzz_patch) */
		return x->u.d == y->u.d || (isnan(x->u.d) && isnan(y->u.d));
	case K8SMIG_TYPE_STRING:
		return x->u.str.len == y->u.str.len && memcmp(x->u.str.s, y->u.str.s, x->u.str.len) == 0;
	case K8SMIG_TYPE_LIST:
		if (x->u.c.n != y->u.c.n)
			return false;
		for (cx = x->u.c.first, cy = y->u.c.first; cx; cx = cx->next, cy = cy->next)
			if (!k8smig__rnode_equal(cx, cy))
				return false;
		return true;
	case K8SMIG_TYPE_MAP:
		if (x->u.c.n != y->u.c.n)
			return false;
		for (cx = x->u.c.first; cx; cx = cx->next)
			if (!k8smig__rnode_equal(cx, k8smig__rnode_get(y, cx->key)))
				return false;
		return true;
	default:
		return false;
	}
}

k8smig__rnode *k8smig__rnode_from_value(k8smig__rarena *a, const k8smig_value *v)
{
	k8smig__rnode *n = k8smig__rnode_new(a, (k8smig_type)v->type), *c;
	const k8smig_value *it;
	if (!n)
		return NULL;
	switch (v->type) {
	case K8SMIG_TYPE_STRING:
		n->u.str.s = k8smig__str(v);  /* borrowed from the parsed object */
		n->u.str.len = v->n;
		break;
	case K8SMIG_TYPE_MAP:
	case K8SMIG_TYPE_LIST:
		for (it = k8smig__first(v); it; it = k8smig__next(it)) {
			if (!(c = k8smig__rnode_from_value(a, it)))
				return NULL;
			if (v->type == K8SMIG_TYPE_MAP)
				c->key = k8smig__key(it);
			k8smig__rnode_append(n, c);
		}
		break;
	case K8SMIG_TYPE_DOUBLE:
		n->u.d = v->u.d;
		break;
	default:
		n->u.i = v->u.i;
		break;
	}
	return n;
}

/* Fill arena node dst of o from n; offsets only, the arena moves as it grows. */
static int to_node(k8smig_object *o, uint32_t dst, const k8smig__rnode *n)
{
	const k8smig__rnode *c;
	k8smig_value *d = k8smig__node(o, dst);
	int rc;

	switch (n->type) {
	case K8SMIG_TYPE_STRING:
		return k8smig__node_set_string(o, dst, n->u.str.s, n->u.str.len);
	case K8SMIG_TYPE_MAP:
	case K8SMIG_TYPE_LIST:
		d->type = (uint8_t)n->type;
		for (c = n->u.c.first; c; c = c->next) {
			uint32_t child = k8smig__node_new(o, K8SMIG_TYPE_NULL);
			if (!child)
				return K8SMIG_ENOMEM;
			if ((rc = to_node(o, child, c)) < 0)
				return rc;
			if (n->type == K8SMIG_TYPE_MAP)
				rc = k8smig__map_add(o, dst, c->key, strlen(c->key), child);
			else
				k8smig__append_child(o, dst, child);
			if (rc < 0)
				return rc;
		}
		return 0;
	case K8SMIG_TYPE_DOUBLE:
		d->type = K8SMIG_TYPE_DOUBLE;
		d->u.d = n->u.d;
		return 0;
	default:
		d->type = (uint8_t)n->type;
		d->u.i = n->u.i;
		return 0;
	}
}

/* Rough arena size of a tree, so the object is allocated once. */
static size_t estimate(const k8smig__rnode *n)
{
	size_t s = sizeof(k8smig_value) + (n->key ? strlen(n->key) + 1 : 0);
	const k8smig__rnode *c;
	if (n->type == K8SMIG_TYPE_STRING)
		s += n->u.str.len + 1;
	if (n->type == K8SMIG_TYPE_MAP || n->type == K8SMIG_TYPE_LIST)
		for (c = n->u.c.first; c; c = c->next)
			s += estimate(c);
	return s + 8;
}

int k8smig__rnode_to_object(k8smig_object **out, const k8smig__rnode *root)
{
	k8smig_object *o;
	const k8smig__rnode *c;
	int rc;

	*out = NULL;
	if ((rc = k8smig__object_new_empty(&o, estimate(root))) < 0)
		return rc;
	for (c = root->u.c.first; c; c = c->next) {
		uint32_t child = k8smig__node_new(o, K8SMIG_TYPE_NULL);
		if (!child) {
			rc = K8SMIG_ENOMEM;
			break;
		}
		if ((rc = to_node(o, child, c)) < 0 || (rc = k8smig__map_add(o, o->root, c->key, strlen(c->key), child)) < 0)
			break;
	}
	if (rc < 0) {
		k8smig_object_free(o);
		return rc;
	}
	*out = o;
	return 0;
}

/* ---- resources ------------------------------------------------------------ */

int k8smig__rset_add(k8smig__rset *s, k8smig__rres *r)
{
	if (s->n == s->cap && k8smig__array_grow(&s->items, &s->cap, 64, sizeof(*s->items)) < 0)
		return K8SMIG_ENOMEM;
	s->items[s->n++] = r;
	return 0;
}

void k8smig__rset_free(k8smig__rset *s)
{
	size_t i;
	for (i = 0; i < s->n; i++)
		free(s->items[i]->prev);
	free(s->items);
	s->items = NULL;
	s->n = s->cap = 0;
}

const char *k8smig__rres_name(const k8smig__rres *r)
{
	return k8smig__rnode_get_str(k8smig__rnode_get(r->root, "metadata"), "name");
}

const char *k8smig__rres_ns(const k8smig__rres *r)
{
	return k8smig__rnode_get_str(k8smig__rnode_get(r->root, "metadata"), "namespace");
}

void k8smig__rres_identify(k8smig__rarena *a, k8smig__rres *r)
{
	const char *av = k8smig__rnode_get_str(r->root, "apiVersion");
	const char *slash = av ? strchr(av, '/') : NULL;
	const char *kind = k8smig__rnode_get_str(r->root, "kind");

	r->kind = kind ? kind : "";
	if (slash) {
		r->group = k8smig__rstrndup(a, av, (size_t)(slash - av));
		r->version = slash + 1;
	} else {
		r->group = "";
		r->version = av ? av : "";
	}
	if (!r->group)
		r->group = "";
}

int k8smig__rres_set_id(k8smig__rarena *a, k8smig__rres *r, const char *name, const char *ns)
{
	const char *old_name = k8smig__rres_name(r), *old_ns = k8smig__rres_ns(r);
	k8smig__rnode *meta;

	if ((!name || (old_name && strcmp(name, old_name) == 0)) && (!ns || (old_ns && strcmp(ns, old_ns) == 0)))
		return 0;
	if (r->nprev == r->capprev && k8smig__array_grow(&r->prev, &r->capprev, 2, sizeof(*r->prev)) < 0)
		return K8SMIG_ENOMEM;
	r->prev[r->nprev].name = old_name ? old_name : "";
	r->prev[r->nprev].ns = old_ns ? old_ns : "";
	r->nprev++;
	if (!(meta = k8smig__rnode_map_at(a, r->root, "metadata", true)))
		return K8SMIG_ENOMEM;
	if (name && k8smig__rnode_set_str(a, meta, "name", name) < 0)
		return K8SMIG_ENOMEM;
	if (ns && k8smig__rnode_set_str(a, meta, "namespace", ns) < 0)
		return K8SMIG_ENOMEM;
	return 0;
}

const char *k8smig__rres_id(k8smig__rarena *a, const k8smig__rres *r)
{
	const char *ns = k8smig__rres_ns(r), *name = k8smig__rres_name(r);
	return k8smig__rprintf(a, "%s%s%s/%s%s%s", r->group, r->group[0] ? "." : "", r->kind,
	                       ns ? ns : "", ns ? "/" : "", name ? name : "");
}

/* ---- hash index ------------------------------------------------------------ */

static uint64_t fnv1a(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

int k8smig__rindex_init(k8smig__rindex *ix, size_t expected)
{
	size_t n = 64;
	while (n < expected * 2)
		n *= 2;
	ix->buckets = calloc(n, sizeof(*ix->buckets));
	ix->nbuckets = ix->buckets ? n : 0;
	ix->n = 0;
	return ix->buckets ? 0 : k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
}

int k8smig__rindex_add(k8smig__rarena *a, k8smig__rindex *ix, const char *key, k8smig__rres *r)
{
	k8smig__rindex_entry *e, **tail;
	uint64_t h = fnv1a(key);

	if (ix->n >= ix->nbuckets) {
		/* keep chains short: double and rehash */
		size_t n = ix->nbuckets * 2, i;
		k8smig__rindex_entry **b = calloc(n, sizeof(*b));
		if (!b)
			return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
		for (i = 0; i < ix->nbuckets; i++) {
			k8smig__rindex_entry *it = ix->buckets[i];
			while (it) {
				k8smig__rindex_entry *nx = it->next, **t = &b[it->hash & (n - 1)];
				while (*t)
					t = &(*t)->next;
				it->next = NULL;
				*t = it;
				it = nx;
			}
		}
		free(ix->buckets);
		ix->buckets = b;
		ix->nbuckets = n;
	}
	if (!(e = k8smig__ralloc(a, sizeof(*e))))
		return K8SMIG_ENOMEM;
	e->key = key;
	e->hash = h;
	e->res = r;
	e->next = NULL;
	/* append: entries of one key come back in insertion order */
	for (tail = &ix->buckets[h & (ix->nbuckets - 1)]; *tail; tail = &(*tail)->next)
		;
	*tail = e;
	ix->n++;
	return 0;
}

k8smig__rindex_entry *k8smig__rindex_find(const k8smig__rindex *ix, const char *key)
{
	uint64_t h = fnv1a(key);
	k8smig__rindex_entry *e;
	if (!ix->nbuckets)
		return NULL;
	for (e = ix->buckets[h & (ix->nbuckets - 1)]; e; e = e->next)
		if (e->hash == h && strcmp(e->key, key) == 0)
			return e;
	return NULL;
}

k8smig__rindex_entry *k8smig__rindex_next(k8smig__rindex_entry *e)
{
	k8smig__rindex_entry *it;
	for (it = e->next; it; it = it->next)
		if (it->hash == e->hash && strcmp(it->key, e->key) == 0)
			return it;
	return NULL;
}

void k8smig__rindex_free(k8smig__rindex *ix)
{
	free(ix->buckets);
	memset(ix, 0, sizeof(*ix));
}

const char *k8smig__rkey(k8smig__rarena *a, const char *group, const char *kind, const char *ns, const char *name)
{
	/* \x1f cannot appear in names or kinds */
	return k8smig__rprintf(a, "%s\x1f%s\x1f%s\x1f%s", group ? group : "", kind ? kind : "", ns ? ns : "",
	                       name ? name : "");
}
