/*
 * lib/model/object.c - the k8smig_object tree: arena, field paths, setters,
 * getters, copy and equality.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tree.h"

#define ROOT_OFF 8u          /* offset 0 stays unused so that 0 can mean "none" */
#define INITIAL_ARENA 2592u /* a built Deployment (about 2.5 KB) fits without a realloc; 1.5x steps after it */

/* ---- arena ---------------------------------------------------------------- */

/* the room after the struct holds nodes: it must start 8-aligned */
_Static_assert(sizeof(k8smig_object) % 8 == 0, "k8smig_object must keep the inline arena 8-aligned");

/* True while the arena is the room allocated with the object (k8smig__object_new_empty). */
static bool arena_inline(const k8smig_object *o)
{
	return o->inline_room && o->base == (const char *)(o + 1);
}

/* arena_reserve's growth: room for need bytes in all. */
static __attribute__((noinline)) int arena_grow(k8smig_object *o, size_t need)
{
	size_t cap;
	char *p;

	if (need > K8SMIG__ARENA_MAX)
		return k8smig__error_set(K8SMIG_ENOMEM, "", "object larger than 2 GiB");
	/* grow by 1.5x: less slack per object than doubling, few reallocs */
	cap = o->cap ? o->cap : INITIAL_ARENA;
	while (cap < need)
		cap += cap / 2;
	if (cap > K8SMIG__ARENA_MAX)
		cap = K8SMIG__ARENA_MAX;
	if (arena_inline(o)) {
		/* leaving the room allocated with the struct: a block of its own from now on */
		if ((p = malloc(cap)) != NULL)
			memcpy(p, o->base, o->used);
	} else {
		p = realloc(o->base, cap);
	}
	if (!p)
		return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	o->base = p;
	o->cap = (uint32_t)cap;
	return 0;
}

/* Room for extra more bytes (the arena may move). */
static inline int arena_reserve(k8smig_object *o, size_t extra)
{
	size_t need = (size_t)o->used + extra;
	return K8SMIG__LIKELY(need <= o->cap) ? 0 : arena_grow(o, need);
}

static uint32_t arena_alloc(k8smig_object *o, size_t size, size_t align)
{
	size_t pad = (align - (o->used & (align - 1))) & (align - 1);
	uint32_t off;

	if (arena_reserve(o, pad + size) < 0)
		return 0;
	off = o->used + (uint32_t)pad;
	o->used = off + (uint32_t)size;
	return off;
}

/* node_new's common case inline: room in the arena (used stays 8-aligned after a node). */
static inline uint32_t node_new_fast(k8smig_object *o, k8smig_type type)
{
	uint32_t off = (o->used + 7u) & ~7u;
	k8smig_value *v;
	if (K8SMIG__UNLIKELY((size_t)off + sizeof(k8smig_value) > o->cap))
		return k8smig__node_new(o, type);
	o->used = off + (uint32_t)sizeof(k8smig_value);
	v = k8smig__node(o, off);
	memset(v, 0, sizeof(*v));
	v->type = (uint8_t)type;
	return off;
}

uint32_t k8smig__node_new(k8smig_object *o, k8smig_type type)
{
	uint32_t off = arena_alloc(o, sizeof(k8smig_value), 8);
	if (off) {
		memset(k8smig__node(o, off), 0, sizeof(k8smig_value));
		k8smig__node(o, off)->type = (uint8_t)type;
	}
	return off;
}

uint32_t k8smig__string_new(k8smig_object *o, const char *s, size_t len)
{
	uint32_t off;
	if (len >= K8SMIG__ARENA_MAX) {
		k8smig__error_set(K8SMIG_ENOMEM, "", "string larger than 2 GiB");
		return 0;
	}
	off = arena_alloc(o, len + 1, 1);
	if (off) {
		if (len)
			memcpy(o->base + off, s, len);
		o->base[off + len] = '\0';
	}
	return off;
}

uint32_t k8smig__string_copy_within(k8smig_object *o, uint32_t src, size_t len)
{
	/* allocate first: src is an offset, so it survives the arena moving */
	uint32_t off = arena_alloc(o, len + 1, 1);
	if (off) {
		memcpy(o->base + off, o->base + src, len);
		o->base[off + len] = '\0';
	}
	return off;
}

int k8smig__node_set_string(k8smig_object *o, uint32_t off, const char *s, size_t len)
{
	k8smig_value *v = k8smig__node(o, off);
	uint32_t soff;

	k8smig__node_rewrite(o, off, v->type);

	if (v->type == K8SMIG_TYPE_STRING && v->u.s && (size_t)v->n + v->reserved >= len) {
		/* rewrite in place, remembering the room left in `reserved`: repeated
		 * sets of one field do not grow the arena */
		char *dst = (char *)k8smig__str(v);
		size_t room = (size_t)v->n + v->reserved - len;
		memmove(dst, s, len);
		dst[len] = '\0';
		v->n = (uint32_t)len;
		v->reserved = (uint16_t)(room > UINT16_MAX ? UINT16_MAX : room);
		return 0;
	}
	if ((const char *)s >= o->base && (const char *)s < o->base + o->used) {
		/* s lives in this arena and may move when it grows */
		char *copy = k8smig__strndup(s, len);
		int rc;
		if (!copy)
			return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
		rc = k8smig__node_set_string(o, off, copy, len);
		free(copy);
		return rc;
	}
	if (K8SMIG__LIKELY((size_t)o->used + len + 1 <= o->cap)) {
		/* room in the arena: string_new's work inline */
		soff = o->used;
		o->used += (uint32_t)len + 1;
		memcpy(o->base + soff, s, len);
		o->base[soff + len] = '\0';
	} else if (!(soff = k8smig__string_new(o, s, len))) {
		return K8SMIG_ENOMEM;
	}
	v = k8smig__node(o, off);
	v->type = K8SMIG_TYPE_STRING;
	v->n = (uint32_t)len;
	v->reserved = 0;
	v->u.s = k8smig__link(v, o->base + soff);
	return 0;
}

/* map_add with the key's static index already known (-1: not a common name). */
static int map_add_idx(k8smig_object *o, uint32_t map, const char *key, size_t keylen, int idx, uint32_t child)
{
	uint32_t koff = 0;
	if (idx < 0 && !(koff = k8smig__string_new(o, key, keylen)))
		return K8SMIG_ENOMEM;
	k8smig__set_key_link(k8smig__node(o, child), idx, o->base + koff);
	k8smig__append_child(o, map, child);
	return 0;
}


int k8smig__map_add(k8smig_object *o, uint32_t map, const char *key, size_t keylen, uint32_t child)
{
	int idx = k8smig__static_key_find(key, keylen);
	uint32_t koff = 0;
	if (idx < 0 && !(koff = k8smig__string_new(o, key, keylen)))
		return K8SMIG_ENOMEM;
	k8smig__set_key_link(k8smig__node(o, child), idx, o->base + koff);
	k8smig__append_child(o, map, child);
	return 0;
}

k8smig_value *k8smig__map_find(const k8smig_value *map, const char *key, size_t keylen)
{
	k8smig_value *c;
	if (!map || map->type != K8SMIG_TYPE_MAP)
		return NULL;
	for (c = k8smig__first(map); c; c = k8smig__next(c)) {
		const char *k = k8smig__key(c);
		if (k[0] == key[0] && strncmp(k, key, keylen) == 0 && k[keylen] == '\0')
			return c;
	}
	return NULL;
}

void k8smig__unlink(k8smig_object *o, uint32_t parent, uint32_t child)
{
	k8smig__cache_clear(o);
	k8smig_value *p = k8smig__node(o, parent), *target = k8smig__node(o, child);
	k8smig_value *prev = NULL, *c;

	for (c = k8smig__first(p); c && c != target; c = k8smig__next(c))
		prev = c;
	if (!c)
		return;
	{
		k8smig_value *nx = k8smig__next(c);
		if (prev)
			prev->next = nx ? k8smig__link(prev, nx) : 0;
		else
			p->u.c.first = nx ? k8smig__link(p, nx) : 0;
		if (!nx)
			p->u.c.last = prev ? k8smig__link(p, prev) : 0;
		p->n--;
	}
}

void k8smig__move_last(k8smig_object *o, uint32_t parent, uint32_t child)
{
	k8smig_value *p = k8smig__node(o, parent), *target = k8smig__node(o, child);
	k8smig_value *prev = NULL, *c;

	if (k8smig__rel(p, p->u.c.last) == target)
		return;
	for (c = k8smig__first(p); c && c != target; c = k8smig__next(c))
		prev = c;
	if (!c)
		return;
	/* not last, so it has a next sibling: unlink it (no node is detached, so every cached
	 * offset stays right) and append it */
	if (prev)
		prev->next = k8smig__link(prev, k8smig__next(c));
	else
		p->u.c.first = k8smig__link(p, k8smig__next(c));
	p->n--;
	k8smig__append_child(o, parent, child);
}

/* Copy src's contents (not its key) into node dst; src is in another arena. */
int k8smig__copy_into(k8smig_object *o, uint32_t dst, const k8smig_value *src)
{
	k8smig_value *d = k8smig__node(o, dst);
	const k8smig_value *c;

	k8smig__node_rewrite(o, dst, d->type);

	switch (src->type) {
	case K8SMIG_TYPE_STRING:
		if (d->type != K8SMIG_TYPE_STRING)
			d->n = 0;
		return k8smig__node_set_string(o, dst, k8smig__str(src), src->n);
	case K8SMIG_TYPE_MAP:
	case K8SMIG_TYPE_LIST:
		d->type = src->type;
		d->n = 0;
		d->u.c.first = d->u.c.last = 0;
		for (c = k8smig__first(src); c; c = k8smig__next(c)) {
			uint32_t child = k8smig__node_new(o, K8SMIG_TYPE_NULL);
			int rc;
			if (!child)
				return K8SMIG_ENOMEM;
			if ((rc = k8smig__copy_into(o, child, c)) < 0)
				return rc;
			if (src->type == K8SMIG_TYPE_MAP) {
				const char *k = k8smig__key(c);
				if ((rc = k8smig__map_add(o, dst, k, strlen(k), child)) < 0)
					return rc;
			} else {
				k8smig__append_child(o, dst, child);
			}
		}
		return 0;
	default:
		d->type = src->type;
		d->n = 0;
		d->u = src->u;
		return 0;
	}
}

/* ---- lifecycle ------------------------------------------------------------ */

int k8smig__object_new_empty(k8smig_object **out, size_t reserve)
{
	/* struct and first arena in one allocation: room for a built Deployment, or as much as
	 * the caller expects (a parsed document: its input's size, shrunk after) */
	size_t room = reserve == 0 ? INITIAL_ARENA
	                           : ROOT_OFF + sizeof(k8smig_value) + (reserve < K8SMIG__ARENA_MAX / 2 ? reserve : 0);
	k8smig_object *o;
	*out = NULL;
	room = (room + 7u) & ~(size_t)7u;
	if (!(o = malloc(sizeof(*o) + room)))
		return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	memset(o, 0, sizeof(*o));
	o->base = (char *)(o + 1);
	o->cap = o->inline_room = (uint32_t)room;
	o->used = ROOT_OFF;
	memset(o->base, 0, ROOT_OFF);
	o->root = k8smig__node_new(o, K8SMIG_TYPE_MAP);
	*out = o;
	return 0;
}

int k8smig__object_from_value(k8smig_object **out, const k8smig_value *map)
{
	int rc;
	*out = NULL;
	if (!map || map->type != K8SMIG_TYPE_MAP)
		return k8smig__error_set(K8SMIG_EINVAL, "", "not a map");
	if ((rc = k8smig__object_new_empty(out, 0)) < 0)
		return rc;
	if ((rc = k8smig__copy_into(*out, (*out)->root, map)) < 0) {
		k8smig_object_free(*out);
		*out = NULL;
	}
	return rc;
}

k8smig_object *k8smig__object_shrink(k8smig_object *o)
{
	char *p;
	if (o->cap - o->used < 64)
		return o;
	if (arena_inline(o)) {
		/* the struct and its room together (nothing holds the struct's address yet) */
		k8smig_object *n = realloc(o, sizeof(*o) + o->used);
		if (!n)
			return o;
		n->base = (char *)(n + 1);
		n->cap = n->inline_room = n->used;
		return n;
	}
	p = realloc(o->base, o->used);
	if (p) {
		o->base = p;
		o->cap = o->used;
	}
	return o;
}

void k8smig_object_free(k8smig_object *obj)
{
	if (!obj)
		return;
	if (!arena_inline(obj))
		free(obj->base);
	free(obj->source);
	k8smig__saved_error_clear(&obj->sticky_err);
	free(obj);
}

int k8smig__object_set_source(k8smig_object *o, const char *source, int line)
{
	free(o->source);
	o->source = NULL;
	if (source && !(o->source = k8smig__strdup(source)))
		return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	o->source_line = line;
	return 0;
}

void k8smig__object_fail(k8smig_object *o)
{
	if (o->sticky)
		return;
	o->sticky = k8smig_error_last()->code ? k8smig_error_last()->code : K8SMIG_ERROR;
	if (k8smig__error_save(&o->sticky_err) < 0)
		k8smig__saved_error_clear(&o->sticky_err);
	o->sticky_err.code = o->sticky;
}

int k8smig_object_status(const k8smig_object *obj)
{
	if (!obj)
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL object");
	if (obj->sticky)
		k8smig__error_restore(&obj->sticky_err);
	return obj->sticky;
}

const char *k8smig_object_source(const k8smig_object *obj, int *line_out)
{
	if (line_out)
		*line_out = obj ? obj->source_line : 0;
	return obj ? obj->source : NULL;
}

size_t k8smig_object_memory(const k8smig_object *obj)
{
	if (!obj)
		return 0;
	return sizeof(*obj) + obj->inline_room + (arena_inline(obj) ? 0 : obj->cap);
}

int k8smig_object_dup(k8smig_object **out, const k8smig_object *obj)
{
	k8smig_object *o;

	if (!out)
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL out");
	*out = NULL;
	if (!obj)
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL object");
	o = calloc(1, sizeof(*o));
	if (!o || !(o->base = malloc(obj->used ? obj->used : 1))) {
		free(o);
		return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	}
	/* relative links make the copy a single memcpy */
	memcpy(o->base, obj->base, obj->used);
	o->used = o->cap = obj->used;
	o->root = obj->root;
	if (k8smig__object_set_source(o, obj->source, obj->source_line) < 0) {
		k8smig_object_free(o);
		return K8SMIG_ENOMEM;
	}
	if (obj->sticky) {
		o->sticky = obj->sticky;
		o->sticky_err.code = obj->sticky;
		o->sticky_err.message = k8smig__strdup(obj->sticky_err.message);
		o->sticky_err.path = k8smig__strdup(obj->sticky_err.path);
	}
	*out = o;
	return 0;
}

/* ---- field paths ---------------------------------------------------------- */

typedef struct step {
	const char *key;   /* NULL for an index step */
	size_t keylen;
	size_t index;
} step;

/*
 * Read the next step of a field path. Returns 1 with a step, 0 at the end,
 * or EINVAL for a malformed path.
 */
static int next_step(const char **pp, step *st, const char *whole)
{
	const char *p = *pp;

	if (*p == '\0')
		return 0;
	if (*p == '.') {
		if (p == whole)
			goto bad;
		p++;
		if (*p == '\0' || *p == '.' || *p == '[')
			goto bad;
	} else if (*p != '[' && p != whole) {
		goto bad;
	}
	if (*p == '[') {
		const char *end = strchr(p + 1, ']');
		size_t i, n;
		bool digits = true;
		if (!end || end == p + 1)
			goto bad;
		n = (size_t)(end - p - 1);
		for (i = 0; i < n; i++)
			if (p[1 + i] < '0' || p[1 + i] > '9')
				digits = false;
		if (digits && n <= 9) {
			st->key = NULL;
			st->index = 0;
			for (i = 0; i < n; i++)
				st->index = st->index * 10 + (size_t)(p[1 + i] - '0');
		} else {
			st->key = p + 1;
			st->keylen = n;
		}
		*pp = end + 1;
		return 1;
	}
	{
		/* bytes that end a key step: NUL, '.', '[' */
		static const unsigned char stop[256] = { [0] = 1, ['.'] = 1, ['['] = 1 };
		const char *e = p;
		while (!stop[(unsigned char)*e])
			e++;
		st->key = p;
		st->keylen = (size_t)(e - p);
		*pp = e;
	}
	return 1;
bad:
	return k8smig__error_set(K8SMIG_EINVAL, whole, "malformed field path");
}

static k8smig_value *child_at(const k8smig_value *cur, const step *st)
{
	if (st->key)
		return k8smig__map_find(cur, st->key, st->keylen);
	if (cur->type != K8SMIG_TYPE_LIST || st->index >= cur->n)
		return NULL;
	{
		k8smig_value *c = k8smig__first(cur);
		size_t i;
		for (i = 0; i < st->index; i++)
			c = k8smig__next(c);
		return c;
	}
}

/* What the step after p needs its container to be (without reading the step in full). */
static k8smig_type container_for_next(const char *p)
{
	size_t n = 0;
	if (*p == '.')
		return K8SMIG_TYPE_MAP;
	if (*p != '[')
		return K8SMIG_TYPE_NULL;
	/* "[digits]" (at most 9) is an index, any other bracketed text a key */
	for (p++; p[n] >= '0' && p[n] <= '9'; n++)
		;
	return (n && n <= 9 && p[n] == ']') ? K8SMIG_TYPE_LIST : K8SMIG_TYPE_MAP;
}

/* ---- compiled paths ------------------------------------------------------- */

/*
 * A field path is parsed once per thread and kept, keyed by its address and
 * checked against its text: programs and builders pass the same literal paths
 * over and over, so a setter reads no path text but for one strcmp. A buffer
 * formatted anew with another path is compiled again in its slot. A path too
 * long or with too many steps for a slot, or malformed, is walked the slow way
 * (which reports the error).
 */
#define CPATH_SLOTS 128
#define CPATH_WAYS 4 /* a path sits in one of the 4 slots of its set */
#define CPATH_TEXT 80
#define CPATH_STEPS K8SMIG__TRAIL_STEPS

typedef struct cstep {
	int16_t sidx;        /* static key index of a key step, -1 when none */
	uint8_t is_key;
	uint8_t next_type;   /* the container the step after this one needs (container_for_next) */
	uint8_t start;       /* offset in the path where the step starts */
	uint8_t key_off;     /* key steps: offset and length of the key in the path */
	uint8_t keylen;
	uint8_t pad;
	uint32_t index;      /* index steps */
} cstep;

typedef struct cpath {
	const char *ptr;
	uint64_t serial;             /* unique in the process: names this compilation */
	/* how many leading steps this path shares with the one walked before it (a builder
	 * writes its fields in the same order every time, so this is computed once) */
	const struct cpath *memo_prev;
	uint64_t memo_prev_serial;
	uint8_t memo_common;
	uint8_t len;
	uint8_t nsteps;
	cstep st[CPATH_STEPS];
	char text[CPATH_TEXT];
} cpath;

static _Thread_local struct {
	cpath slot[CPATH_SLOTS];
	uint8_t victim[CPATH_SLOTS / CPATH_WAYS]; /* which of a set to replace next */
} cpaths;

static uint64_t cpath_serials;

static bool cpath_compile(cpath *cp, const char *path)
{
	const char *p = path;
	step st;
	size_t len = strnlen(path, CPATH_TEXT);
	int r;

	if (len == 0 || len >= CPATH_TEXT)
		return false;
	cp->nsteps = 0;
	for (;;) {
		const char *start = p;
		cstep *c;
		if ((r = next_step(&p, &st, path)) <= 0)
			break;
		if (cp->nsteps == CPATH_STEPS)
			return false;
		c = &cp->st[cp->nsteps++];
		c->start = (uint8_t)(start - path);
		c->is_key = st.key != NULL;
		c->pad = 0;
		if (st.key) {
			c->key_off = (uint8_t)(st.key - path);
			c->keylen = (uint8_t)st.keylen;
			c->sidx = (int16_t)k8smig__static_key_find(st.key, st.keylen);
			c->index = 0;
		} else {
			c->index = (uint32_t)st.index; /* at most 9 digits */
			c->sidx = -1;
			c->key_off = c->keylen = 0;
		}
		c->next_type = (uint8_t)container_for_next(p);
	}
	if (r < 0)
		return false; /* the slow walk reports it */
	memcpy(cp->text, path, len + 1);
	cp->len = (uint8_t)len;
	cp->ptr = path;
	cp->serial = __atomic_add_fetch(&cpath_serials, 1, __ATOMIC_RELAXED);
	cp->memo_prev = NULL;
	cp->memo_prev_serial = 0;
	cp->memo_common = 0;
	return true;
}

/* cpath_get's miss: compile path into a slot of set tab (into cp when that slot held the
 * same buffer with another text); NULL when it cannot be compiled. */
static __attribute__((noinline)) cpath *cpath_miss(const char *path, cpath *tab, unsigned set, cpath *cp)
{
	cpath tmp;
	unsigned w;

	if (!cpath_compile(&tmp, path)) {
		if (cp)
			cp->ptr = NULL;
		return NULL;
	}
	for (w = 0; !cp && w < CPATH_WAYS; w++)
		if (!tab[w].ptr)
			cp = &tab[w];
	if (!cp) {
		cp = &tab[cpaths.victim[set]];
		cpaths.victim[set] = (uint8_t)((cpaths.victim[set] + 1) % CPATH_WAYS);
	}
	memcpy(cp, &tmp, offsetof(cpath, text) + tmp.len + 1);
	return cp;
}

/* The compiled form of path, or NULL (not compilable: too long, too many steps, malformed). */
static inline cpath *cpath_get(const char *path)
{
	uint64_t a = (uint64_t)(uintptr_t)path;
	unsigned set = (unsigned)((a * UINT64_C(0x9E3779B97F4A7C15)) >> 59); /* 32 sets of 4 */
	cpath *tab = &cpaths.slot[set * CPATH_WAYS];
	unsigned w;

	for (w = 0; w < CPATH_WAYS; w++)
		if (tab[w].ptr == path) {
			if (K8SMIG__LIKELY(strcmp(tab[w].text, path) == 0))
				return &tab[w];
			/* the same buffer holding another path: compile it in this slot */
			return cpath_miss(path, tab, set, &tab[w]);
		}
	return cpath_miss(path, tab, set, NULL);
}

/* The number of leading steps two compiled paths share (same text, same boundaries). */
static unsigned common_steps(const cpath *a, const cpath *b)
{
	unsigned k, n = a->nsteps < b->nsteps ? a->nsteps : b->nsteps;
	for (k = 0; k < n; k++) {
		unsigned start = a->st[k].start;
		unsigned end_a = k + 1 < a->nsteps ? a->st[k + 1].start : a->len;
		unsigned end_b = k + 1 < b->nsteps ? b->st[k + 1].start : b->len;
		if (start != b->st[k].start || end_a != end_b || memcmp(a->text + start, b->text + start, end_a - start) != 0)
			break;
	}
	return k;
}

/*
 * The steps of cp from step k on, from container cur, creating what is missing.
 * When trail is given, trail[j + 1] gets the node step j leads to. Returns the node or 0.
 */
static inline __attribute__((always_inline)) uint32_t walk_steps(k8smig_object *o, uint32_t cur, const char *path,
                                                                 const cpath *cp, unsigned k, uint32_t *trail)
{
	bool fresh = false; /* cur was created by this walk: nothing to search in it */
	for (; k < cp->nsteps; k++) {
		const cstep *s = &cp->st[k];
		k8smig_value *c = k8smig__node(o, cur), *child;
		uint32_t noff;

		if (c->type == K8SMIG_TYPE_NULL) {
			c->type = s->is_key ? K8SMIG_TYPE_MAP : K8SMIG_TYPE_LIST;
			c->n = 0;
			c->u.c.first = c->u.c.last = 0;
		}
		if (s->is_key) {
			if (K8SMIG__UNLIKELY(c->type != K8SMIG_TYPE_MAP)) {
				k8smig__error_set(K8SMIG_EKIND, path, "field path steps into a %s with a key",
				                  c->type == K8SMIG_TYPE_LIST ? "list" : "scalar");
				return 0;
			}
			child = fresh ? NULL : k8smig__map_find_idx(c, path + s->key_off, s->keylen, s->sidx);
		} else {
			if (K8SMIG__UNLIKELY(c->type != K8SMIG_TYPE_LIST)) {
				k8smig__error_set(K8SMIG_EKIND, path, "field path indexes a value that is not a list");
				return 0;
			}
			if (s->index < c->n) {
				uint32_t i;
				child = k8smig__first(c);
				if (s->index == c->n - 1) {
					child = k8smig__rel(c, c->u.c.last);
				} else {
					for (i = 0; i < s->index; i++)
						child = k8smig__next(child);
				}
			} else {
				child = NULL;
			}
		}
		if (child) {
			cur = k8smig__off(o, child);
			if (trail)
				trail[k + 1] = cur;
			continue;
		}
		if (!s->is_key && s->index != c->n) {
			k8smig__error_set(K8SMIG_EINVAL, path, "list index %u out of range (list has %u items)",
			                  (unsigned)s->index, (unsigned)c->n);
			return 0;
		}
		if (s->is_key) {
			if (!(noff = k8smig__add_entry_room(o, cur, path + s->key_off, s->keylen, s->sidx,
			                                    (k8smig_type)s->next_type, 0)) &&
			    (!(noff = node_new_fast(o, (k8smig_type)s->next_type)) ||
			     map_add_idx(o, cur, path + s->key_off, s->keylen, s->sidx, noff) < 0))
				return 0;
		} else {
			if (!(noff = node_new_fast(o, (k8smig_type)s->next_type)))
				return 0;
			k8smig__append_child(o, cur, noff);
		}
		cur = noff;
		if (trail)
			trail[k + 1] = cur;
		fresh = true;
	}
	return cur;
}

/* walk_create through a compiled path: start where the last path's trail shares its steps. */
static inline __attribute__((always_inline)) uint32_t walk_create_compiled(k8smig_object *o, const char *path, cpath *cp)
{
	k8smig__trail *t = &o->trail;
	unsigned k = 0;
	uint32_t off;

	if (t->n) {
		const cpath *prev = t->cp;
		if (cp->memo_prev == prev && cp->memo_prev_serial == t->serial) {
			k = cp->memo_common;
		} else if ((uintptr_t)prev - (uintptr_t)cpaths.slot < sizeof(cpaths.slot) && prev->serial == t->serial) {
			/* the last path is still compiled in this thread's table (its serial is unique
			 * in the process, so a slot reused by another thread's path cannot match) */
			k = common_steps(prev, cp);
			cp->memo_prev = prev;
			cp->memo_prev_serial = t->serial;
			cp->memo_common = (uint8_t)k;
		}
	}
	t->node[0] = o->root;
	if (k + 1 == cp->nsteps && cp->st[k].is_key) {
		/* the common case: one key left, under a map the last path passed through */
		const cstep *s = &cp->st[k];
		k8smig_value *c = k8smig__node(o, t->node[k]), *child;
		if (K8SMIG__UNLIKELY(c->type != K8SMIG_TYPE_MAP))
			goto walk;
		if ((child = k8smig__map_find_idx(c, path + s->key_off, s->keylen, s->sidx)) != NULL) {
			off = k8smig__off(o, child);
			goto done;
		}
		/* added here; without room, by the general walk (which grows the arena) */
		if ((off = k8smig__add_entry_room(o, t->node[k], path + s->key_off, s->keylen, s->sidx,
		                                  (k8smig_type)s->next_type, 0)) != 0)
			goto done;
	}
walk:
	off = walk_steps(o, t->node[k], path, cp, k, t->node);
	if (!off) {
		k8smig__cache_clear(o);
		return 0;
	}
done:
	t->node[cp->nsteps] = off;
	t->n = (uint8_t)(cp->nsteps + 1);
	t->cp = cp;
	t->serial = cp->serial;
	return off;
}

/*
 * The compiled form of a literal path through its call site's memory (object.h's macros):
 * the site names the path's address, this thread's slot and that slot's serial, so while the
 * slot still holds that compilation the literal (whose text cannot change) needs no lookup
 * and no text compare. NULL when the path cannot be compiled.
 */
static inline cpath *site_cpath(k8smig_path_site *site, const char *path)
{
	cpath *cp = (cpath *)(uintptr_t)site->compiled;
	if (K8SMIG__LIKELY(site->path == path) && K8SMIG__LIKELY(cp != NULL) && K8SMIG__LIKELY(cp->serial == site->serial))
		return cp;
	cp = path && *path ? cpath_get(path) : NULL;
	site->path = path;
	site->compiled = cp;
	site->serial = cp ? cp->serial : 0;
	return cp;
}

/* The compiled form of path through site when there is one, else through this thread's
 * table; NULL when it cannot be compiled (the slow walk takes it, and reports what is wrong). */
static inline cpath *path_cpath(k8smig_path_site *site, const char *path)
{
	if (site)
		return site_cpath(site, path);
	return path && *path ? cpath_get(path) : NULL;
}

/* The node at path, or NULL; through the call site's memory when there is one. */
static const k8smig_value *lookup_at_site(const k8smig_object *obj, const char *path, k8smig_path_site *site)
{
	const k8smig_value *cur;
	const char *p = path;
	step st;
	int r;

	if (!obj)
		return NULL;
	cur = k8smig__node(obj, obj->root);
	if (!path)
		return cur;
	{
		const cpath *cp = path_cpath(site, path);
		if (K8SMIG__LIKELY(cp != NULL)) {
			unsigned k;
			for (k = 0; k < cp->nsteps && cur; k++) {
				const cstep *s = &cp->st[k];
				if (s->is_key) {
					cur = cur->type == K8SMIG_TYPE_MAP ? k8smig__map_find_idx(cur, path + s->key_off, s->keylen, s->sidx)
					                                   : NULL;
				} else {
					step ist = { NULL, 0, s->index };
					cur = child_at(cur, &ist);
				}
			}
			return cur;
		}
	}
	while ((r = next_step(&p, &st, path)) > 0) {
		cur = child_at(cur, &st);
		if (!cur)
			return NULL;
	}
	return r < 0 ? NULL : cur;
}

static const k8smig_value *lookup(const k8smig_object *obj, const char *path)
{
	return lookup_at_site(obj, path, NULL);
}

const k8smig_value *k8smig__get_path_site(const k8smig_object *o, const char *path, k8smig_path_site *site)
{
	return lookup_at_site(o, path, site);
}

/*
 * Walk to the node at path, creating maps (and an empty list before a "[0]"
 * step) as needed. Returns the node's offset, or 0 with the error set.
 * A compiled path starts from the object's trail (walk_create_compiled); a path
 * too long to compile is walked from the root and leaves the trail as it was.
 */
static __attribute__((noinline)) uint32_t walk_create_slow(k8smig_object *o, const char *path)
{
	uint32_t cur = o->root;
	const char *p = path;
	step st;
	int r;

	if (!path || !*path) {
		k8smig__error_set(K8SMIG_EINVAL, "", "empty field path");
		return 0;
	}
	while ((r = next_step(&p, &st, path)) > 0) {
		k8smig_value *c = k8smig__node(o, cur), *child;
		uint32_t noff;
		int sidx = -1;

		if (c->type == K8SMIG_TYPE_NULL) {
			/* an explicit null on the way is replaced by the container we need */
			c->type = st.key ? K8SMIG_TYPE_MAP : K8SMIG_TYPE_LIST;
			c->n = 0;
			c->u.c.first = c->u.c.last = 0;
		}
		if (st.key && c->type != K8SMIG_TYPE_MAP) {
			k8smig__error_set(K8SMIG_EKIND, path, "field path steps into a %s with a key",
			                  c->type == K8SMIG_TYPE_LIST ? "list" : "scalar");
			return 0;
		}
		if (!st.key && c->type != K8SMIG_TYPE_LIST) {
			k8smig__error_set(K8SMIG_EKIND, path, "field path indexes a value that is not a list");
			return 0;
		}
		if (st.key) {
			/* the key's static index once: an integer compare per sibling, and the key of
			 * a new entry without a second lookup */
			sidx = k8smig__static_key_find(st.key, st.keylen);
			child = k8smig__map_find_idx(c, st.key, st.keylen, sidx);
		} else {
			child = child_at(c, &st);
		}
		if (child) {
			cur = k8smig__off(o, child);
			continue;
		}
		if (!st.key && st.index != c->n) {
			k8smig__error_set(K8SMIG_EINVAL, path, "list index %zu out of range (list has %u items)",
			                  st.index, (unsigned)c->n);
			return 0;
		}
		noff = node_new_fast(o, container_for_next(p));
		if (!noff)
			return 0;
		if (st.key) {
			if (map_add_idx(o, cur, st.key, st.keylen, sidx, noff) < 0)
				return 0;
		} else {
			k8smig__append_child(o, cur, noff);
		}
		cur = noff;
	}
	return r < 0 ? 0 : cur;
}

/* walk_create, through the call site's memory when there is one */
static inline uint32_t walk_create_at_site(k8smig_object *o, const char *path, k8smig_path_site *site)
{
	cpath *cp = path_cpath(site, path);
	if (K8SMIG__LIKELY(cp != NULL))
		return walk_create_compiled(o, path, cp);
	return walk_create_slow(o, path);
}

static uint32_t walk_create(k8smig_object *o, const char *path)
{
	return walk_create_at_site(o, path, NULL);
}

/* ---- setters -------------------------------------------------------------- */

/*
 * A string argument may be borrowed from the object it is written into
 * (k8smig_object_set_str(o, "x", k8smig_object_name(o))): growing the arena
 * would move it. Such strings are copied first; *tmp must be freed.
 */
static const char *own_copy(const k8smig_object *o, const char *s, size_t len, char **tmp)
{
	*tmp = NULL;
	if (!s || s < o->base || s >= o->base + o->cap)
		return s;
	*tmp = k8smig__strndup(s, len);
	return *tmp;
}

static int fail(k8smig_object *o, int rc)
{
	if (o)
		k8smig__object_fail(o);
	return rc;
}

static int check_obj(k8smig_object *o, const char *path)
{
	if (!o)
		return k8smig__error_set(K8SMIG_EINVAL, path ? path : "", "NULL object");
	return 0;
}

static inline __attribute__((always_inline)) int set_scalar_site(k8smig_object *o, const char *path,
                                                                 k8smig_path_site *site, k8smig_type t, int64_t i, double d)
{
	uint32_t off;
	k8smig_value *v;
	int rc;

	if ((rc = check_obj(o, path)) < 0)
		return rc;
	if (!(off = walk_create_at_site(o, path, site)))
		return fail(o, k8smig_error_last()->code);
	v = k8smig__node(o, off);
	k8smig__node_rewrite(o, off, v->type);
	v->type = (uint8_t)t;
	v->n = 0;
	v->flags &= (uint8_t)~K8SMIG__F_MERGED;
	if (t == K8SMIG_TYPE_DOUBLE)
		v->u.d = d;
	else if (t == K8SMIG_TYPE_MAP || t == K8SMIG_TYPE_LIST)
		v->u.c.first = v->u.c.last = 0;
	else
		v->u.i = i;
	return 0;
}

static int set_scalar(k8smig_object *o, const char *path, k8smig_type t, int64_t i, double d)
{
	return set_scalar_site(o, path, NULL, t, i, d);
}

static inline __attribute__((always_inline)) int set_strn_site(k8smig_object *obj, const char *path,
                                                               k8smig_path_site *site, const char *value, size_t len)
{
	uint32_t off;
	int rc;

	if ((rc = check_obj(obj, path)) < 0)
		return rc;
	if (!value)
		return fail(obj, k8smig__error_set(K8SMIG_EINVAL, path, "NULL string"));
	if (!k8smig__utf8_valid(value, len))
		return fail(obj, k8smig__error_set(K8SMIG_EINVAL, path, "string is not valid UTF-8"));
	{
		char *tmp;
		if (!(value = own_copy(obj, value, len, &tmp)))
			return fail(obj, k8smig__error_set(K8SMIG_ENOMEM, path, "out of memory"));
		if (!(off = walk_create_at_site(obj, path, site))) {
			free(tmp);
			return fail(obj, k8smig_error_last()->code);
		}
		{
			k8smig_value *v = k8smig__node(obj, off);
			if (v->type == K8SMIG_TYPE_NULL && (size_t)obj->used + len + 1 <= obj->cap) {
				/* a new field (the common case) with room: no old value to reuse or drop */
				char *d = obj->base + obj->used;
				k8smig__copy(d, value, len);
				d[len] = '\0';
				v->type = K8SMIG_TYPE_STRING;
				v->n = (uint32_t)len;
				v->reserved = 0;
				v->u.s = k8smig__link(v, d);
				obj->used += (uint32_t)len + 1;
				rc = 0;
			} else {
				if (v->type != K8SMIG_TYPE_STRING)
					v->n = 0;
				rc = k8smig__node_set_string(obj, off, value, len);
			}
		}
		if (tmp)
			free(tmp);
		if (rc < 0)
			return fail(obj, rc);
	}
	return 0;
}

int (k8smig_object_set_strn)(k8smig_object *obj, const char *path, const char *value, size_t len)
{
	return set_strn_site(obj, path, NULL, value, len);
}

int (k8smig_object_set_str)(k8smig_object *obj, const char *path, const char *value)
{
	/* set_strn_site reports a NULL value (after a NULL object) */
	return set_strn_site(obj, path, NULL, value, value ? strlen(value) : 0);
}

int (k8smig_object_set_int)(k8smig_object *obj, const char *path, int64_t value)
{
	return set_scalar(obj, path, K8SMIG_TYPE_INT, value, 0);
}

int k8smig_object_set_double(k8smig_object *obj, const char *path, double value)
{
	int rc;
	if ((rc = check_obj(obj, path)) < 0)
		return rc;
	if (!isfinite(value))
		return fail(obj, k8smig__error_set(K8SMIG_EINVAL, path, "number is not finite"));
	return set_scalar(obj, path, K8SMIG_TYPE_DOUBLE, 0, value);
}

int (k8smig_object_set_bool)(k8smig_object *obj, const char *path, bool value)
{
	return set_scalar(obj, path, K8SMIG_TYPE_BOOL, value ? 1 : 0, 0);
}

/* ---- the same through a literal path's call site (object.h's macros) --------- */

int k8smig_object_set_str_site(k8smig_object *obj, k8smig_path_site *site, const char *path, const char *value)
{
	return set_strn_site(obj, path, site, value, value ? strlen(value) : 0);
}

int k8smig_object_set_strn_site(k8smig_object *obj, k8smig_path_site *site, const char *path, const char *value,
                                size_t len)
{
	return set_strn_site(obj, path, site, value, len);
}

int k8smig_object_set_int_site(k8smig_object *obj, k8smig_path_site *site, const char *path, int64_t value)
{
	return set_scalar_site(obj, path, site, K8SMIG_TYPE_INT, value, 0);
}

int k8smig_object_set_bool_site(k8smig_object *obj, k8smig_path_site *site, const char *path, bool value)
{
	return set_scalar_site(obj, path, site, K8SMIG_TYPE_BOOL, value ? 1 : 0, 0);
}

int k8smig_object_set_null(k8smig_object *obj, const char *path)
{
	return set_scalar(obj, path, K8SMIG_TYPE_NULL, 0, 0);
}

int k8smig_object_set_map(k8smig_object *obj, const char *path)
{
	return set_scalar(obj, path, K8SMIG_TYPE_MAP, 0, 0);
}

int k8smig_object_set_list(k8smig_object *obj, const char *path)
{
	return set_scalar(obj, path, K8SMIG_TYPE_LIST, 0, 0);
}

/* Copy value into node off; value may live in obj itself. */
static int copy_value(k8smig_object *obj, uint32_t off, const k8smig_value *value)
{
	int rc;
	if ((const char *)value >= obj->base && (const char *)value < obj->base + obj->used) {
		/* copy out first: growing the arena would move value under our feet */
		k8smig_object *tmp;
		uint32_t toff;
		if ((rc = k8smig__object_new_empty(&tmp, 0)) < 0)
			return rc;
		toff = k8smig__node_new(tmp, K8SMIG_TYPE_NULL);
		rc = toff ? k8smig__copy_into(tmp, toff, value) : K8SMIG_ENOMEM;
		if (rc == 0)
			rc = k8smig__copy_into(obj, off, k8smig__node(tmp, toff));
		k8smig_object_free(tmp);
		return rc;
	}
	return k8smig__copy_into(obj, off, value);
}

int k8smig_object_set_value(k8smig_object *obj, const char *path, const k8smig_value *value)
{
	uint32_t off;
	int rc;

	if ((rc = check_obj(obj, path)) < 0)
		return rc;
	if (!value)
		return fail(obj, k8smig__error_set(K8SMIG_EINVAL, path, "NULL value"));
	if (!(off = walk_create(obj, path)))
		return fail(obj, k8smig_error_last()->code);
	if ((rc = copy_value(obj, off, value)) < 0)
		return fail(obj, rc);
	return 0;
}

int k8smig_object_unset(k8smig_object *obj, const char *path)
{
	const char *p = path, *last_start = path;
	step st;
	int r;
	k8smig_value *cur, *parent = NULL;

	if ((r = check_obj(obj, path)) < 0)
		return r;
	if (!path || !*path)
		return k8smig__error_set(K8SMIG_EINVAL, "", "cannot unset the root");
	cur = k8smig__node(obj, obj->root);
	while (last_start = p, (r = next_step(&p, &st, path)) > 0) {
		parent = cur;
		cur = child_at(cur, &st);
		if (!cur) {
			/* absent: nothing to do, but a malformed rest is still an error */
			while ((r = next_step(&p, &st, path)) > 0)
				;
			return r < 0 ? r : 0;
		}
	}
	(void)last_start;
	if (r < 0)
		return r;
	k8smig__unlink(obj, k8smig__off(obj, parent), k8smig__off(obj, cur));
	return 0;
}

static int append_node(size_t *index_out, k8smig_object *obj, const char *path, uint32_t *child_out)
{
	uint32_t list, child;
	k8smig_value *l;
	int rc;

	if (index_out)
		*index_out = 0;
	if ((rc = check_obj(obj, path)) < 0)
		return rc;
	if (!(list = walk_create(obj, path)))
		return fail(obj, k8smig_error_last()->code);
	l = k8smig__node(obj, list);
	if (l->type == K8SMIG_TYPE_NULL) {
		l->type = K8SMIG_TYPE_LIST;
		l->n = 0;
		l->u.c.first = l->u.c.last = 0;
	} else if (l->type != K8SMIG_TYPE_LIST) {
		return fail(obj, k8smig__error_set(K8SMIG_EKIND, path, "not a list"));
	}
	if (!(child = k8smig__node_new(obj, K8SMIG_TYPE_NULL)))
		return fail(obj, K8SMIG_ENOMEM);
	k8smig__append_child(obj, list, child);
	if (index_out)
		*index_out = k8smig__node(obj, list)->n - 1;
	*child_out = child;
	return 0;
}

int k8smig_object_append_str(size_t *index_out, k8smig_object *obj, const char *path, const char *value)
{
	uint32_t child;
	int rc;
	if ((rc = check_obj(obj, path)) < 0)
		return rc;
	if (!value || !k8smig__utf8_valid(value, strlen(value))) {
		return fail(obj, k8smig__error_set(K8SMIG_EINVAL, path, value ? "string is not valid UTF-8" : "NULL string"));
	}
	{
		size_t len = strlen(value);
		char *tmp;
		if (!(value = own_copy(obj, value, len, &tmp)))
			return fail(obj, k8smig__error_set(K8SMIG_ENOMEM, path, "out of memory"));
		if ((rc = append_node(index_out, obj, path, &child)) == 0 &&
		    (rc = k8smig__node_set_string(obj, child, value, len)) < 0)
			fail(obj, rc);
		free(tmp);
		return rc;
	}
}

int k8smig_object_append_int(size_t *index_out, k8smig_object *obj, const char *path, int64_t value)
{
	uint32_t child;
	int rc;
	if ((rc = append_node(index_out, obj, path, &child)) < 0)
		return rc;
	k8smig__node(obj, child)->type = K8SMIG_TYPE_INT;
	k8smig__node(obj, child)->u.i = value;
	return 0;
}

int k8smig_object_append_map(size_t *index_out, k8smig_object *obj, const char *path)
{
	uint32_t child;
	int rc;
	if ((rc = append_node(index_out, obj, path, &child)) < 0)
		return rc;
	k8smig__node(obj, child)->type = K8SMIG_TYPE_MAP;
	return 0;
}

int k8smig_object_append_value(size_t *index_out, k8smig_object *obj, const char *path, const k8smig_value *value)
{
	uint32_t child;
	int rc;
	if (!value) {
		if ((rc = check_obj(obj, path)) < 0)
			return rc;
		return fail(obj, k8smig__error_set(K8SMIG_EINVAL, path, "NULL value"));
	}
	if ((rc = append_node(index_out, obj, path, &child)) < 0)
		return rc;
	if ((rc = copy_value(obj, child, value)) < 0)
		return fail(obj, rc);
	return 0;
}

/* ---- writing under a known node (the typed builders) ------------------------ */

/* Append to buf the path of node target below cur (whose path is buf[0..len)); true when found. */
static bool node_path(const k8smig_value *cur, const k8smig_value *target, char *buf, size_t cap, size_t len)
{
	const k8smig_value *c;
	size_t i = 0;
	if (cur == target) {
		buf[len < cap ? len : cap - 1] = '\0';
		return true;
	}
	if (cur->type != K8SMIG_TYPE_MAP && cur->type != K8SMIG_TYPE_LIST)
		return false;
	for (c = k8smig__first(cur); c; c = k8smig__next(c), i++) {
		int n;
		if (cur->type == K8SMIG_TYPE_LIST) {
			n = snprintf(buf + len, len < cap ? cap - len : 0, "[%zu]", i);
		} else {
			const char *k = k8smig__key(c);
			n = strpbrk(k, ".[]") ? snprintf(buf + len, len < cap ? cap - len : 0, "[%s]", k)
			                      : snprintf(buf + len, len < cap ? cap - len : 0, "%s%s", len ? "." : "", k);
		}
		if (n > 0 && node_path(c, target, buf, cap, len + (size_t)n))
			return true;
	}
	return false;
}

/* Give the last error the whole path of rel under node base (only on a failure). */
static void error_at(const k8smig_object *o, uint32_t base, const char *rel)
{
	char path[K8SMIG__NODE_PATH_MAX], *msg;
	const k8smig_error *e = k8smig_error_last();
	size_t n;
	int code = e->code ? e->code : K8SMIG_ERROR;

	path[0] = '\0';
	node_path(k8smig__node(o, o->root), k8smig__node(o, base), path, sizeof(path), 0);
	n = strlen(path);
	if (rel && *rel)
		snprintf(path + n, sizeof(path) - n, "%s%s", n && rel[0] != '[' ? "." : "", rel);
	if (!(msg = k8smig__strdup(e->message ? e->message : "")))
		return; /* keep the error as it is */
	k8smig__error_set(code, path, "%s", msg);
	free(msg);
}

uint32_t k8smig__walk_at(k8smig_object *o, uint32_t base, const char *rel)
{
	const cpath *cp = cpath_get(rel);
	cpath tmp;
	uint32_t off;
	if (!cp) {
		if (!cpath_compile(&tmp, rel)) {
			k8smig__error_set(K8SMIG_EINVAL, rel, "malformed or too long field path");
			return 0;
		}
		cp = &tmp;
	}
	if (!(off = walk_steps(o, base, rel, cp, 0, NULL)))
		error_at(o, base, rel);
	return off;
}

const k8smig_value *k8smig__get_at(const k8smig_object *o, uint32_t base, const char *rel)
{
	const k8smig_value *cur = k8smig__node(o, base);
	const char *p = rel;
	step st;
	int r;
	while (cur && (r = next_step(&p, &st, rel)) > 0)
		cur = child_at(cur, &st);
	return cur;
}

/* Make node off a scalar of type t (dropping what it held). */
static void node_set_scalar(k8smig_object *o, uint32_t off, k8smig_type t, int64_t i)
{
	k8smig_value *v = k8smig__node(o, off);
	k8smig__node_rewrite(o, off, v->type);
	v->type = (uint8_t)t;
	v->n = 0;
	v->flags &= (uint8_t)~K8SMIG__F_MERGED;
	if (t == K8SMIG_TYPE_MAP || t == K8SMIG_TYPE_LIST)
		v->u.c.first = v->u.c.last = 0;
	else
		v->u.i = i;
}

int k8smig__set_str_at(k8smig_object *o, uint32_t base, const char *rel, const char *value)
{
	size_t len;
	char *tmp;
	uint32_t off;
	int rc;

	if (!value) {
		k8smig__error_set(K8SMIG_EINVAL, "", "NULL string");
		error_at(o, base, rel);
		return fail(o, K8SMIG_EINVAL);
	}
	len = strlen(value);
	if (!k8smig__utf8_valid(value, len)) {
		k8smig__error_set(K8SMIG_EINVAL, "", "string is not valid UTF-8");
		error_at(o, base, rel);
		return fail(o, K8SMIG_EINVAL);
	}
	if (!(value = own_copy(o, value, len, &tmp)))
		return fail(o, k8smig__error_set(K8SMIG_ENOMEM, rel, "out of memory"));
	if (!(off = k8smig__walk_at(o, base, rel))) {
		free(tmp);
		return fail(o, k8smig_error_last()->code);
	}
	if (k8smig__node(o, off)->type != K8SMIG_TYPE_STRING)
		k8smig__node(o, off)->n = 0;
	rc = k8smig__node_set_string(o, off, value, len);
	free(tmp);
	if (rc < 0) {
		error_at(o, base, rel);
		return fail(o, rc);
	}
	return 0;
}

static int set_scalar_at(k8smig_object *o, uint32_t base, const char *rel, k8smig_type t, int64_t i)
{
	uint32_t off = k8smig__walk_at(o, base, rel);
	if (!off)
		return fail(o, k8smig_error_last()->code);
	node_set_scalar(o, off, t, i);
	return 0;
}

int k8smig__set_int_at(k8smig_object *o, uint32_t base, const char *rel, int64_t v)
{
	return set_scalar_at(o, base, rel, K8SMIG_TYPE_INT, v);
}

int k8smig__set_bool_at(k8smig_object *o, uint32_t base, const char *rel, bool v)
{
	return set_scalar_at(o, base, rel, K8SMIG_TYPE_BOOL, v ? 1 : 0);
}

int k8smig__set_map_at(k8smig_object *o, uint32_t base, const char *rel)
{
	return set_scalar_at(o, base, rel, K8SMIG_TYPE_MAP, 0);
}

/* Append a new empty map to the list at node list (an explicit null there becomes the list);
 * an error names rel under base. */
static inline __attribute__((always_inline)) int append_map_to(k8smig_object *o, uint32_t list, uint32_t base,
                                                                const char *rel, size_t *index_out, uint32_t *item_out)
{
	k8smig_value *l = k8smig__node(o, list);
	uint32_t child;
	if (l->type == K8SMIG_TYPE_NULL) {
		l->type = K8SMIG_TYPE_LIST;
		l->n = 0;
		l->u.c.first = l->u.c.last = 0;
	} else if (l->type != K8SMIG_TYPE_LIST) {
		k8smig__error_set(K8SMIG_EKIND, "", "not a list");
		error_at(o, base, rel);
		return fail(o, K8SMIG_EKIND);
	}
	if (!(child = node_new_fast(o, K8SMIG_TYPE_MAP))) {
		error_at(o, base, rel);
		return fail(o, K8SMIG_ENOMEM);
	}
	k8smig__append_child(o, list, child);
	if (index_out)
		*index_out = k8smig__node(o, list)->n - 1;
	*item_out = child;
	return 0;
}

int k8smig__append_map_at(k8smig_object *o, uint32_t base, const char *rel, size_t *index_out, uint32_t *item_out)
{
	uint32_t list = k8smig__walk_at(o, base, rel);
	if (!list)
		return fail(o, k8smig_error_last()->code);
	return append_map_to(o, list, base, rel, index_out, item_out);
}

uint32_t k8smig__add_node_k_any(k8smig_object *o, uint32_t map, const char *key, size_t keylen, int idx,
                                k8smig_type t)
{
	uint32_t child = k8smig__add_entry_room(o, map, key, keylen, idx, t, 0);
	if (K8SMIG__LIKELY(child != 0))
		return child;
	child = node_new_fast(o, t);
	if (!child || map_add_idx(o, map, key, keylen, idx, child) < 0) {
		error_at(o, map, key);
		fail(o, K8SMIG_ENOMEM);
		return 0;
	}
	return child;
}

/* The shared copies for a constant common name (tree.h): their usual case makes no call, so
 * they save no registers; anything else goes the general way by a tail call. */
uint32_t k8smig__add_node_i(k8smig_object *o, uint32_t map, int idx, k8smig_type t)
{
	uint32_t off;
	if (idx < 0) /* a common name's index: no key to copy */
		__builtin_unreachable();
	off = k8smig__add_entry_room(o, map, NULL, 0, idx, t, 0);
	return K8SMIG__LIKELY(off != 0) ? off
	                                : k8smig__add_node_k_any(o, map, k8smig__static_keys[idx], k8smig__static_key_lens[idx], idx, t);
}

static __attribute__((noinline)) int add_str_i_any(k8smig_object *o, uint32_t map, int idx, const char *value,
                                                   size_t len)
{
	return k8smig__add_valid_str_k_any(o, map, k8smig__static_keys[idx], k8smig__static_key_lens[idx], idx, value, len);
}

int k8smig__add_str_i(k8smig_object *o, uint32_t map, int idx, const char *value, size_t len)
{
	/* a common name's index (so no key to copy), and up to 32 bytes k8smig__copy copies
	 * without a call */
	if (idx < 0)
		__builtin_unreachable();
	if (K8SMIG__LIKELY(len <= 32) && K8SMIG__LIKELY(k8smig__add_str_room(o, map, NULL, 0, idx, value, len) == 0))
		return 0;
	return add_str_i_any(o, map, idx, value, len);
}

int k8smig__add_str_k(k8smig_object *o, uint32_t map, const char *key, size_t keylen, int idx, const char *value)
{
	size_t len;

	if (!value || !k8smig__utf8_valid(value, (len = strlen(value)))) {
		k8smig__error_set(K8SMIG_EINVAL, "", value ? "string is not valid UTF-8" : "NULL string");
		error_at(o, map, key);
		return fail(o, K8SMIG_EINVAL);
	}
	return k8smig__add_valid_str_k(o, map, key, keylen, idx, value, len);
}

int k8smig__add_valid_str_k_any(k8smig_object *o, uint32_t map, const char *key, size_t keylen, int idx,
                                const char *value, size_t len)
{
	char *tmp;
	uint32_t off;
	int rc;

	/* no room, or a value inside the arena (which may move as it grows): copied first */
	if (!(value = own_copy(o, value, len, &tmp)))
		return fail(o, k8smig__error_set(K8SMIG_ENOMEM, key, "out of memory"));
	if (!(off = k8smig__add_node_k(o, map, key, keylen, idx, K8SMIG_TYPE_NULL))) {
		free(tmp);
		return K8SMIG_ENOMEM;
	}
	rc = k8smig__node_set_string(o, off, value, len);
	free(tmp);
	if (rc < 0) {
		error_at(o, map, key);
		return fail(o, rc);
	}
	return 0;
}

int k8smig__append_map_k(k8smig_object *o, uint32_t map, const char *key, size_t keylen, int idx, size_t *index_out,
                         uint32_t *item_out)
{
	return k8smig__append_map_found(o, map, k8smig__find_k(o, map, key, keylen, idx), key, keylen, idx, index_out,
	                                item_out);
}

int k8smig__append_map_found_any(k8smig_object *o, uint32_t map, const k8smig_value *entry, const char *key,
                                 size_t keylen, int idx, size_t *index_out, uint32_t *item_out)
{
	uint32_t list;

	if (k8smig__node(o, map)->type != K8SMIG_TYPE_MAP)
		return k8smig__append_map_at(o, map, key, index_out, item_out); /* reports the error */
	if (entry)
		list = k8smig__off(o, entry);
	else if (!(list = k8smig__add_node_k(o, map, key, keylen, idx, K8SMIG_TYPE_LIST)))
		return K8SMIG_ENOMEM;
	return append_map_to(o, list, map, key, index_out, item_out);
}

static __attribute__((noinline)) int append_map_i_any(k8smig_object *o, uint32_t map, const k8smig_value *entry,
                                                      int idx, size_t *index_out, uint32_t *item_out)
{
	return k8smig__append_map_found_any(o, map, entry, k8smig__static_keys[idx], k8smig__static_key_lens[idx], idx,
	                                    index_out, item_out);
}

int k8smig__append_map_i(k8smig_object *o, uint32_t map, const k8smig_value *entry, int idx, size_t *index_out,
                         uint32_t *item_out)
{
	if (K8SMIG__LIKELY(k8smig__append_item_room(o, entry, index_out, item_out) == 0))
		return 0;
	return append_map_i_any(o, map, entry, idx, index_out, item_out);
}

int k8smig__set_str_k(k8smig_object *o, uint32_t map, const char *key, size_t keylen, int idx, const char *value)
{
	const k8smig_value *m = k8smig__node(o, map);
	k8smig_value *e;
	uint32_t off;
	size_t len;
	char *tmp;
	int rc;

	if (m->type != K8SMIG_TYPE_MAP || !(e = k8smig__map_find_idx(m, key, keylen, idx)))
		return m->type != K8SMIG_TYPE_MAP ? k8smig__set_str_at(o, map, key, value) : k8smig__add_str_k(o, map, key, keylen, idx, value);
	if (!value || !k8smig__utf8_valid(value, (len = strlen(value)))) {
		k8smig__error_set(K8SMIG_EINVAL, "", value ? "string is not valid UTF-8" : "NULL string");
		error_at(o, map, key);
		return fail(o, K8SMIG_EINVAL);
	}
	if (!(value = own_copy(o, value, len, &tmp)))
		return fail(o, k8smig__error_set(K8SMIG_ENOMEM, key, "out of memory"));
	off = k8smig__off(o, e);
	if (e->type != K8SMIG_TYPE_STRING)
		e->n = 0;
	rc = k8smig__node_set_string(o, off, value, len);
	free(tmp);
	if (rc < 0) {
		error_at(o, map, key);
		return fail(o, rc);
	}
	return 0;
}

uint32_t k8smig__set_map_k(k8smig_object *o, uint32_t map, const char *key, size_t keylen, int idx)
{
	const k8smig_value *m = k8smig__node(o, map);
	k8smig_value *e;

	if (m->type != K8SMIG_TYPE_MAP) /* reports the error */
		return k8smig__set_map_at(o, map, key) < 0 ? 0 : k8smig__walk_at(o, map, key);
	if ((e = k8smig__map_find_idx(m, key, keylen, idx)) != NULL) {
		uint32_t off = k8smig__off(o, e);
		node_set_scalar(o, off, K8SMIG_TYPE_MAP, 0);
		return off;
	}
	return k8smig__add_node_k(o, map, key, keylen, idx, K8SMIG_TYPE_MAP);
}

uint32_t k8smig__walk_path(k8smig_object *o, const char *path)
{
	return k8smig__walk_path_site(o, path, NULL);
}

uint32_t k8smig__walk_path_site(k8smig_object *o, const char *path, k8smig_path_site *site)
{
	uint32_t off = walk_create_at_site(o, path, site);
	if (!off)
		fail(o, k8smig_error_last()->code);
	return off;
}

/* ---- new and metadata ----------------------------------------------------- */

int k8smig_object_new(k8smig_object **out, const char *api_version, const char *kind)
{
	k8smig_object *o;
	int rc;

	if (!out)
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL out");
	*out = NULL;
	if ((rc = k8smig__object_new_empty(&o, 0)) < 0)
		return rc;
	/* the root is a new empty map: its entries are appended without a path or a lookup */
	if ((api_version && (rc = k8smig__add_str_k(o, o->root, K8SMIG__KEY(apiVersion), api_version)) < 0) ||
	    (kind && (rc = k8smig__add_str_k(o, o->root, K8SMIG__KEY(kind), kind)) < 0)) {
		k8smig_object_free(o);
		return rc;
	}
	*out = o;
	return 0;
}

/* A string entry of the root map by common field name, without parsing a path. */
static const char *root_str(const k8smig_object *obj, const char *key, size_t len, int idx)
{
	const k8smig_value *v;
	if (!obj)
		return NULL;
	v = k8smig__map_find_idx(k8smig__node(obj, obj->root), key, len, idx);
	return v && v->type == K8SMIG_TYPE_STRING ? k8smig__str(v) : NULL;
}

const char *k8smig_object_api_version(const k8smig_object *obj) { return root_str(obj, K8SMIG__KEY(apiVersion)); }
const char *k8smig_object_kind(const k8smig_object *obj) { return root_str(obj, K8SMIG__KEY(kind)); }
const char *k8smig_object_name(const k8smig_object *obj) { return k8smig_object_get_str(obj, "metadata.name"); }
const char *k8smig_object_namespace(const k8smig_object *obj) { return k8smig_object_get_str(obj, "metadata.namespace"); }

static const char *meta_entry(const k8smig_object *obj, const char *map, const char *key)
{
	const k8smig_value *m = k8smig_object_get(obj, map), *v;
	if (!key)
		return NULL;
	v = k8smig__map_find(m, key, strlen(key));
	return v && v->type == K8SMIG_TYPE_STRING ? k8smig__str(v) : NULL;
}

const char *k8smig_object_label(const k8smig_object *obj, const char *key)
{
	return meta_entry(obj, "metadata.labels", key);
}

const char *k8smig_object_annotation(const k8smig_object *obj, const char *key)
{
	return meta_entry(obj, "metadata.annotations", key);
}

int k8smig_object_set_name(k8smig_object *obj, const char *name)
{
	return k8smig_object_set_str(obj, "metadata.name", name);
}

int k8smig_object_set_namespace(k8smig_object *obj, const char *ns)
{
	return k8smig_object_set_str(obj, "metadata.namespace", ns);
}

static int set_meta_entry_owned(k8smig_object *obj, const char *map, k8smig_path_site *site, const char *key,
                                size_t klen, const char *value, size_t vlen);

/* Keys of labels and annotations hold dots and slashes, so they bypass the path syntax.
 * map is a literal, found through its caller's site. */
static int set_meta_entry(k8smig_object *obj, const char *map, k8smig_path_site *site, const char *key,
                          const char *value)
{
	char path[64];
	size_t klen, vlen;
	int rc;

	if ((rc = check_obj(obj, map)) < 0)
		return rc;
	if (!key || !*key || !k8smig__utf8_valid(key, (klen = strlen(key))))
		return fail(obj, k8smig__error_set(K8SMIG_EINVAL, map, "missing or invalid key"));
	/* the entry's path is only formatted for an error */
#define ENTRY_PATH() (snprintf(path, sizeof(path), "%s[%s]", map, klen < 32 ? key : "..."), path)
	if (!value || !k8smig__utf8_valid(value, (vlen = strlen(value))))
		return fail(obj, k8smig__error_set(K8SMIG_EINVAL, ENTRY_PATH(), value ? "string is not valid UTF-8" : "NULL string"));
	{
		char *kt, *vt;
		const char *k2 = own_copy(obj, key, klen, &kt), *v2 = own_copy(obj, value, vlen, &vt);
		if (!k2 || !v2)
			rc = fail(obj, k8smig__error_set(K8SMIG_ENOMEM, ENTRY_PATH(), "out of memory"));
		else
			rc = set_meta_entry_owned(obj, map, site, k2, klen, v2, vlen);
		if (kt)
			free(kt);
		if (vt)
			free(vt);
		return rc;
	}
#undef ENTRY_PATH
}

static int set_meta_entry_owned(k8smig_object *obj, const char *map, k8smig_path_site *site, const char *key,
                                size_t klen, const char *value, size_t vlen)
{
	uint32_t moff, child;
	k8smig_value *existing;
	int rc, idx;

	if (!(moff = walk_create_at_site(obj, map, site)))
		return fail(obj, k8smig_error_last()->code);
	if (k8smig__node(obj, moff)->type == K8SMIG_TYPE_NULL)
		k8smig__node(obj, moff)->type = K8SMIG_TYPE_MAP;
	if (k8smig__node(obj, moff)->type != K8SMIG_TYPE_MAP)
		return fail(obj, k8smig__error_set(K8SMIG_EKIND, map, "not a map"));
	idx = k8smig__static_key_find(key, klen);
	existing = k8smig__map_find_idx(k8smig__node(obj, moff), key, klen, idx);
	if (existing) {
		child = k8smig__off(obj, existing);
		if (existing->type != K8SMIG_TYPE_STRING)
			existing->n = 0;
		if ((rc = k8smig__node_set_string(obj, child, value, vlen)) < 0)
			return fail(obj, rc);
		return 0;
	}
	/* a new entry: node, key and text in one go (value and key are owned, not in the arena) */
	if ((rc = k8smig__add_valid_str_k(obj, moff, key, klen, idx, value, vlen)) < 0)
		return rc;
	return 0;
}

int k8smig_object_set_label(k8smig_object *obj, const char *key, const char *value)
{
	return set_meta_entry(obj, "metadata.labels", K8SMIG__SITE(), key, value);
}

int k8smig_object_set_annotation(k8smig_object *obj, const char *key, const char *value)
{
	return set_meta_entry(obj, "metadata.annotations", K8SMIG__SITE(), key, value);
}

/* ---- getters -------------------------------------------------------------- */

const k8smig_value *k8smig_object_get(const k8smig_object *obj, const char *path)
{
	return lookup(obj, path);
}

bool k8smig_object_has(const k8smig_object *obj, const char *path)
{
	return path && *path && lookup(obj, path) != NULL;
}

const char *k8smig_object_get_str(const k8smig_object *obj, const char *path)
{
	return k8smig_value_str(lookup(obj, path));
}

int64_t k8smig_object_get_int(const k8smig_object *obj, const char *path)
{
	return k8smig_value_int(lookup(obj, path));
}

double k8smig_object_get_double(const k8smig_object *obj, const char *path)
{
	return k8smig_value_double(lookup(obj, path));
}

bool k8smig_object_get_bool(const k8smig_object *obj, const char *path)
{
	return k8smig_value_bool(lookup(obj, path));
}

/* ---- nodes ---------------------------------------------------------------- */

k8smig_type k8smig_value_type(const k8smig_value *v) { return v ? (k8smig_type)v->type : K8SMIG_TYPE_NULL; }
const char *k8smig_value_str(const k8smig_value *v) { return v && v->type == K8SMIG_TYPE_STRING ? k8smig__str(v) : NULL; }
size_t k8smig_value_strlen(const k8smig_value *v) { return v && v->type == K8SMIG_TYPE_STRING ? v->n : 0; }
int64_t k8smig_value_int(const k8smig_value *v) { return v && v->type == K8SMIG_TYPE_INT ? v->u.i : 0; }
bool k8smig_value_bool(const k8smig_value *v) { return v && v->type == K8SMIG_TYPE_BOOL ? v->u.i != 0 : false; }

double k8smig_value_double(const k8smig_value *v)
{
	if (v && v->type == K8SMIG_TYPE_DOUBLE)
		return v->u.d;
	if (v && v->type == K8SMIG_TYPE_INT)
		return (double)v->u.i;
	return 0.0;
}

size_t k8smig_value_size(const k8smig_value *v)
{
	return v && (v->type == K8SMIG_TYPE_MAP || v->type == K8SMIG_TYPE_LIST) ? v->n : 0;
}

const k8smig_value *k8smig_value_first(const k8smig_value *v) { return v ? k8smig__first(v) : NULL; }
const k8smig_value *k8smig_value_next(const k8smig_value *v) { return v ? k8smig__next(v) : NULL; }
const char *k8smig_value_key(const k8smig_value *v) { return v ? k8smig__key(v) : NULL; }

const k8smig_value *k8smig_value_lookup(const k8smig_value *v, const char *key)
{
	return key ? k8smig__map_find(v, key, strlen(key)) : NULL;
}

const k8smig_value *k8smig_value_at(const k8smig_value *v, size_t i)
{
	step st = { NULL, 0, i };
	return v ? child_at(v, &st) : NULL;
}

bool k8smig_value_equal(const k8smig_value *a, const k8smig_value *b)
{
	const k8smig_value *ca, *cb;

	if (!a || !b)
		return a == b;
	if (a->type != b->type)
		return false;
	switch (a->type) {
	case K8SMIG_TYPE_NULL:
		return true;
	case K8SMIG_TYPE_BOOL:
		return (a->u.i != 0) == (b->u.i != 0);
	case K8SMIG_TYPE_INT:
		return a->u.i == b->u.i;
	case K8SMIG_TYPE_DOUBLE:
		/* tree equality: a NaN read back from ".nan" equals the one written */
		return a->u.d == b->u.d || (isnan(a->u.d) && isnan(b->u.d));
	case K8SMIG_TYPE_STRING:
		return a->n == b->n && memcmp(k8smig__str(a), k8smig__str(b), a->n) == 0;
	case K8SMIG_TYPE_LIST:
		if (a->n != b->n)
			return false;
		for (ca = k8smig__first(a), cb = k8smig__first(b); ca; ca = k8smig__next(ca), cb = k8smig__next(cb))
			if (!k8smig_value_equal(ca, cb))
				return false;
		return true;
	case K8SMIG_TYPE_MAP:
		if (a->n != b->n)
			return false;
		/* same order is the common case: compare side by side, look up otherwise */
		for (ca = k8smig__first(a), cb = k8smig__first(b); ca; ca = k8smig__next(ca)) {
			const char *ka = k8smig__key(ca);
			const k8smig_value *m = (cb && strcmp(ka, k8smig__key(cb)) == 0) ? cb : k8smig__map_find(b, ka, strlen(ka));
			if (!m || !k8smig_value_equal(ca, m))
				return false;
			cb = cb ? k8smig__next(cb) : NULL;
		}
		return true;
	default:
		return false;
	}
}

bool k8smig_object_equal(const k8smig_object *a, const k8smig_object *b)
{
	if (!a || !b)
		return a == b;
	return k8smig_value_equal(k8smig__node(a, a->root), k8smig__node(b, b->root));
}
