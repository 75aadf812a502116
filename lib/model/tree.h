/*
 * lib/model/tree.h - the layout of k8smig_object, shared by model and serialize.
 *
 * An object is one contiguous arena that grows by realloc (a built object's first arena is
 * allocated together with its struct, and moves to a block of its own when it outgrows
 * it: inline_room). Nodes are 24 bytes
 * and link to each other, to their key and to their string by *self-relative*
 * offsets, so the arena can move, a borrowed node can be walked without its
 * object, and a deep copy of a whole object is one memcpy. Inside lib/, hold
 * offsets (uint32_t) across anything that allocates, never node pointers.
 */
#ifndef K8SMIG_LIB_TREE_H
#define K8SMIG_LIB_TREE_H

#include "../core/core.h"
#include "keys.h"

enum {
	K8SMIG__F_MERGED = 0x1,      /* entry came from a YAML merge key: a later key may override it */
	K8SMIG__F_STATIC_KEY = 0x2,  /* key is an index into k8smig__static_keys, not a link. A key equal
	                              * to a common name is ALWAYS stored this way (map_add, both readers):
	                              * lookups compare indexes with indexes and text with text only */
};

/* Common field names, shared by every object (lib/model/keys.c; the list: keys.h). */
extern const char *const k8smig__static_keys[];
extern const size_t k8smig__static_key_count;
/** Index of a common field name, or -1. */
int k8smig__static_key_find(const char *key, size_t len);
/* Lengths of the common field names, and copies NUL-padded to K8SMIG__STATIC_KEY_PAD bytes
 * (every name is shorter) for fixed-size copies; constants (keys.c). Every name is printable
 * ASCII with no JSON escape, and plain in YAML, so the emitters write them without looking. */
#define K8SMIG__STATIC_KEY_PAD 32
extern const uint8_t k8smig__static_key_lens[];
extern const char k8smig__static_keys_padded[][K8SMIG__STATIC_KEY_PAD];
/* Each name quoted and followed by ':' for compact JSON (len + 3 bytes, padded the same way). */
extern const char k8smig__static_keys_json[][K8SMIG__STATIC_KEY_PAD];

struct k8smig_value {
	uint8_t type;   /* k8smig_type */
	uint8_t flags;
	uint16_t reserved;  /* strings: spare bytes after the text, for in-place rewrites */
	int32_t key;    /* -> NUL-terminated key of a map entry (or a static key index), 0 for list items and the root */
	int32_t next;   /* -> next sibling, 0 at the end */
	uint32_t n;     /* string length, or number of children */
	union {
		int64_t i;
		double d;
		int32_t b;
		int32_t s;                          /* -> NUL-terminated string bytes */
		struct { int32_t first, last; } c;  /* -> children */
	} u;
};

/* The nodes the last setter's compiled path passed through: node[k] is where its step k
 * starts (node[0] the root). Builders write many fields under shared prefixes
 * (spec.template.spec.containers[0]...); the next path starts from the deepest step it
 * shares with this one instead of the root. Cleared whenever a container is replaced or
 * anything is unlinked, so it can never name a detached node. */
#define K8SMIG__TRAIL_STEPS 10
typedef struct k8smig__trail {
	uint8_t n;               /* nodes in use (the path's steps + 1); 0: empty */
	const void *cp;          /* the compiled path (object.c), valid while its serial matches */
	uint64_t serial;
	uint32_t node[K8SMIG__TRAIL_STEPS + 1];
} k8smig__trail;

struct k8smig_object {
	char *base;
	uint32_t used, cap;
	/* bytes allocated with this struct, right after it, for a first arena (0: none); base
	 * points there until the arena outgrows them (then they stay unused) */
	uint32_t inline_room;
	uint32_t root;          /* offset of the root map */
	k8smig__trail trail;
	int sticky;             /* first setter error, 0 when none */
	k8smig__saved_error sticky_err;
	char *source;           /* file a parsed object came from */
	int source_line;
	uint32_t memo_cont_idx; /* the builders' memo: container memo_cont_idx of memo_pod is at memo_cont_off */
	const void *owner;      /* the k8smig_object_list holding it (list.c), or NULL */
	/* the typed builders' memo (build_common.c): the kinds-table entry of the "kind" entry
	 * at memo_kind_node, and the offset of the pod spec of memo_pod; cleared with the trail
	 * (k8smig__cache_clear) */
	const void *memo_kind;  /* a k8smig__kind_info */
	const void *memo_pod;   /* a k8smig__pod_template, or NULL */
	uint32_t memo_pod_spec;
	uint32_t memo_cont_off; /* 0: none; valid only while memo_pod is set (set with it) */
	uint32_t memo_kind_node; /* the root's "kind" entry, 0: not known; cleared with the trail */
};

/* Something was replaced or unlinked: no cached offset may name a detached node. */
static inline void k8smig__cache_clear(k8smig_object *o)
{
	o->trail.n = 0;
	o->memo_pod = NULL;
	o->memo_kind = NULL;
	o->memo_kind_node = 0;
}

/* Node off is about to be rewritten in place: a container's subtree is dropped, and the
 * builders' memo rests on the "kind" entry's text, so either clears the caches. */
static inline void k8smig__node_rewrite(k8smig_object *o, uint32_t off, uint8_t type)
{
	if (type == K8SMIG_TYPE_MAP || type == K8SMIG_TYPE_LIST || off == o->memo_kind_node)
		k8smig__cache_clear(o);
}

#define K8SMIG__ARENA_MAX ((uint32_t)INT32_MAX)

static inline k8smig_value *k8smig__node(const k8smig_object *o, uint32_t off)
{
	return (k8smig_value *)(o->base + off);
}

static inline uint32_t k8smig__off(const k8smig_object *o, const void *p)
{
	return (uint32_t)((const char *)p - o->base);
}

/* Follow a self-relative link; NULL for 0. */
static inline void *k8smig__rel(const void *from, int32_t rel)
{
	return rel ? (void *)((char *)(uintptr_t)from + rel) : NULL;
}

static inline int32_t k8smig__link(const void *from, const void *to)
{
	return (int32_t)((const char *)to - (const char *)from);
}

static inline const char *k8smig__key(const k8smig_value *v)
{
	if (v->flags & K8SMIG__F_STATIC_KEY)
		return k8smig__static_keys[v->key];
	return (const char *)k8smig__rel(v, v->key);
}

/* Give node `child` the key: a static index when it is a common name, else a link to key_off. */
static inline void k8smig__set_key_link(k8smig_value *child, int static_index, const char *key_ptr)
{
	if (static_index >= 0) {
		child->flags |= K8SMIG__F_STATIC_KEY;
		child->key = static_index;
	} else {
		child->flags &= (uint8_t)~K8SMIG__F_STATIC_KEY;
		child->key = k8smig__link(child, key_ptr);
	}
}

static inline const char *k8smig__str(const k8smig_value *v)
{
	return (const char *)k8smig__rel(v, v->u.s);
}

static inline k8smig_value *k8smig__first(const k8smig_value *v)
{
	return (v->type == K8SMIG_TYPE_MAP || v->type == K8SMIG_TYPE_LIST) ? k8smig__rel(v, v->u.c.first) : NULL;
}

static inline k8smig_value *k8smig__next(const k8smig_value *v)
{
	return k8smig__rel(v, v->next);
}

/** An empty object whose root is an empty map (no apiVersion/kind). */
int k8smig__object_new_empty(k8smig_object **out, size_t reserve);
/** A new object whose root is a deep copy of map (from another object). EINVAL if not a map. */
int k8smig__object_from_value(k8smig_object **out, const k8smig_value *map);
/** Allocate a node of that type (zeroed); returns its offset or 0 (ENOMEM set). */
uint32_t k8smig__node_new(k8smig_object *o, k8smig_type type);
/** Copy a string into the arena; returns its offset or 0 (ENOMEM set). */
uint32_t k8smig__string_new(k8smig_object *o, const char *s, size_t len);
/** Copy len bytes at arena offset src into a new arena string; returns its offset or 0. */
uint32_t k8smig__string_copy_within(k8smig_object *o, uint32_t src, size_t len);
/** Make node `off` a string node holding s (in place, reusing space when it fits). */
int k8smig__node_set_string(k8smig_object *o, uint32_t off, const char *s, size_t len);
/** Link child (already keyed or not) as the last child of container parent. */
static inline void k8smig__append_child(k8smig_object *o, uint32_t parent, uint32_t child)
{
	k8smig_value *p = k8smig__node(o, parent), *c = k8smig__node(o, child);
	k8smig_value *last = (k8smig_value *)k8smig__rel(p, p->u.c.last);

	c->next = 0;
	if (last)
		last->next = k8smig__link(last, c);
	else
		p->u.c.first = k8smig__link(p, c);
	p->u.c.last = k8smig__link(p, c);
	p->n++;
}
/** Give child the key (copied into the arena) and append it to map parent. */
int k8smig__map_add(k8smig_object *o, uint32_t map, const char *key, size_t keylen, uint32_t child);
/** Entry of a map by key, or NULL. */
k8smig_value *k8smig__map_find(const k8smig_value *map, const char *key, size_t keylen);
/** Move entry child of container parent to its end (a map's emit order; nothing detached, caches kept). */
void k8smig__move_last(k8smig_object *o, uint32_t parent, uint32_t child);
/** Deep-copy src (from another arena) into node dst (keeps dst's key and next). */
int k8smig__copy_into(k8smig_object *o, uint32_t dst, const k8smig_value *src);
/** Unlink an entry from a container (memory stays in the arena until the object is freed). */
void k8smig__unlink(k8smig_object *o, uint32_t parent, uint32_t child);
/** Mark the object failed with the current last error, unless it already is. */
void k8smig__object_fail(k8smig_object *o);
/** Set source file and line of a parsed object. */
int k8smig__object_set_source(k8smig_object *o, const char *source, int line);
/** Give back unused arena space (after parsing, before anything holds the object): the
 * object, which may have moved with its arena. */
k8smig_object *k8smig__object_shrink(k8smig_object *o);

/*
 * Writing under a node already found (the typed builders keep their container's offset):
 * rel is a field path relative to node base, parsed once per thread (see object.c). A
 * failure sets the last error with the whole path (found from the root only then) and
 * marks the object failed. Offsets stay valid while the arena grows.
 */
#define K8SMIG__NODE_PATH_MAX 512
/** Walk to rel under base, creating what is missing; its offset, or 0. */
uint32_t k8smig__walk_at(k8smig_object *o, uint32_t base, const char *rel);
/** The node at rel under base, or NULL; creates nothing. */
const k8smig_value *k8smig__get_at(const k8smig_object *o, uint32_t base, const char *rel);
int k8smig__set_str_at(k8smig_object *o, uint32_t base, const char *rel, const char *value);
int k8smig__set_int_at(k8smig_object *o, uint32_t base, const char *rel, int64_t v);
int k8smig__set_bool_at(k8smig_object *o, uint32_t base, const char *rel, bool v);
int k8smig__set_map_at(k8smig_object *o, uint32_t base, const char *rel);
/** Append an empty map to the list at rel under base (created when missing). */
int k8smig__append_map_at(k8smig_object *o, uint32_t base, const char *rel, size_t *index_out, uint32_t *item_out);
/*
 * Adding to a map known NOT to hold key yet (one just created): no lookup, no path, and
 * the key's length and static index given: call sites with a common name pass
 * K8SMIG__KEY(name), three constants.
 * add_node_k returns the new entry's offset (a zeroed node of type t), or 0 (ENOMEM).
 */
uint32_t k8smig__add_node_k_any(k8smig_object *o, uint32_t map, const char *key, size_t keylen, int idx,
                                k8smig_type t);
/*
 * A common name given as a constant (K8SMIG__KEY), the builders' usual case, goes to one
 * shared copy of the code instead: some 60 such writes per built Deployment, inline, made
 * its code outgrow the instruction cache (docs/benchmarks.md). Their general way is the
 * _any function's.
 */
uint32_t k8smig__add_node_i(k8smig_object *o, uint32_t map, int idx, k8smig_type t);
int k8smig__add_str_i(k8smig_object *o, uint32_t map, int idx, const char *value, size_t len);
/*
 * The usual case of every append (add_node_k, add_valid_str_k, the path API's walk): a new
 * entry of map, of type t, keyed by common-name index idx (idx >= 0) or by key's text copied
 * right after the node, with room for extra more bytes after that, all after one room check
 * (nothing grows, so a key inside the arena stays put). Its offset, with o->used just past
 * node and key; or 0 when there is no room, with nothing written.
 */
static inline __attribute__((always_inline)) uint32_t k8smig__add_entry_room(k8smig_object *o, uint32_t map,
                                                                             const char *key, size_t keylen, int idx,
                                                                             k8smig_type t, size_t extra)
{
	uint32_t off = (o->used + 7u) & ~7u;
	size_t need = (size_t)off + sizeof(k8smig_value) + (idx < 0 ? keylen + 1 : 0);
	k8smig_value *v;
	if (K8SMIG__UNLIKELY(need + extra > o->cap))
		return 0;
	v = k8smig__node(o, off);
	memset(v, 0, sizeof(*v));
	v->type = (uint8_t)t;
	if (idx >= 0) {
		v->flags = K8SMIG__F_STATIC_KEY;
		v->key = idx;
	} else {
		char *q = o->base + off + sizeof(k8smig_value);
		memcpy(q, key, keylen);
		q[keylen] = '\0';
		v->key = k8smig__link(v, q);
	}
	o->used = (uint32_t)need;
	k8smig__append_child(o, map, off);
	return off;
}
static inline uint32_t k8smig__add_node_k(k8smig_object *o, uint32_t map, const char *key, size_t keylen, int idx,
                                          k8smig_type t)
{
	uint32_t off;
	if (__builtin_constant_p(idx) && idx >= 0)
		return k8smig__add_node_i(o, map, idx, t);
	if (K8SMIG__LIKELY(idx >= 0) && K8SMIG__LIKELY((off = k8smig__add_entry_room(o, map, key, keylen, idx, t, 0)) != 0))
		return off;
	return k8smig__add_node_k_any(o, map, key, keylen, idx, t);
}
int k8smig__add_str_k(k8smig_object *o, uint32_t map, const char *key, size_t keylen, int idx, const char *value);
/** add_str_k of a value the caller has checked: not NULL, len bytes of valid UTF-8 (no check here).
 * add_valid_str_k_any is its general way, for the cases the inline one leaves. */
int k8smig__add_valid_str_k_any(k8smig_object *o, uint32_t map, const char *key, size_t keylen, int idx,
                                const char *value, size_t len);
/* The usual case of add_valid_str_k, shared by its inline way and k8smig__add_str_i: room for
 * node, key (unless a common name) and text, and a value from outside the arena (which cannot
 * move under us), all in one go; 0, or -1 with nothing written. The node and key are written
 * as add_entry_room writes them, here with the text's room in the same check. */
static inline __attribute__((always_inline)) int k8smig__add_str_room(k8smig_object *o, uint32_t map, const char *key,
                                                                      size_t keylen, int idx, const char *value,
                                                                      size_t len)
{
	uint32_t off = (o->used + 7u) & ~7u;
	size_t need = (size_t)off + sizeof(k8smig_value) + (idx < 0 ? keylen + 1 : 0) + len + 1;
	k8smig_value *v;
	char *q;
	if (K8SMIG__UNLIKELY(need > o->cap) || K8SMIG__UNLIKELY(value >= o->base && value < o->base + o->cap))
		return -1;
	v = k8smig__node(o, off);
	q = o->base + off + sizeof(k8smig_value);
	memset(v, 0, sizeof(*v));
	v->type = K8SMIG_TYPE_STRING;
	if (K8SMIG__LIKELY(idx >= 0)) {
		v->flags = K8SMIG__F_STATIC_KEY;
		v->key = idx;
	} else {
		memcpy(q, key, keylen);
		q[keylen] = '\0';
		v->key = k8smig__link(v, q);
		q += keylen + 1;
	}
	k8smig__copy(q, value, len);
	q[len] = '\0';
	v->n = (uint32_t)len;
	v->u.s = k8smig__link(v, q);
	o->used = (uint32_t)need;
	k8smig__append_child(o, map, off);
	return 0;
}
/* always inline where the key is not a constant (the readers, the path API): a plain
 * out-of-line copy, which saves registers for its memcpy, cost 0.7k instructions per built
 * Deployment; a constant common name goes to k8smig__add_str_i, which makes no call */
static inline __attribute__((always_inline)) int k8smig__add_valid_str_k(k8smig_object *o, uint32_t map,
                                                                         const char *key, size_t keylen, int idx,
                                                                         const char *value, size_t len)
{
	if (__builtin_constant_p(idx) && idx >= 0)
		return k8smig__add_str_i(o, map, idx, value, len);
	if (K8SMIG__LIKELY(k8smig__add_str_room(o, map, key, keylen, idx, value, len) == 0))
		return 0;
	return k8smig__add_valid_str_k_any(o, map, key, keylen, idx, value, len);
}
static inline int k8smig__add_int_k(k8smig_object *o, uint32_t map, const char *key, size_t keylen, int idx, int64_t v)
{
	uint32_t off = k8smig__add_node_k(o, map, key, keylen, idx, K8SMIG_TYPE_INT);
	if (!off)
		return K8SMIG_ENOMEM;
	k8smig__node(o, off)->u.i = v;
	return 0;
}
static inline int k8smig__add_bool_k(k8smig_object *o, uint32_t map, const char *key, size_t keylen, int idx, bool v)
{
	uint32_t off = k8smig__add_node_k(o, map, key, keylen, idx, K8SMIG_TYPE_BOOL);
	if (!off)
		return K8SMIG_ENOMEM;
	k8smig__node(o, off)->u.i = v ? 1 : 0;
	return 0;
}
/* key, length and static index of a common name (keys.h) as three arguments, all constants:
 * K8SMIG__KEY(spec); a name missing from the list does not compile */
#define K8SMIG__KEY(id) k8smig__static_keys[K8SMIG__KI_##id], (size_t)K8SMIG__KL_##id, (int)K8SMIG__KI_##id
/* Entry of map by key whose static index is idx: a key equal to a common name is always
 * stored as that name's index, so only like is compared with like. */
static inline k8smig_value *k8smig__map_find_idx(const k8smig_value *map, const char *key, size_t keylen, int idx)
{
	k8smig_value *c;
	for (c = k8smig__first(map); c; c = k8smig__next(c)) {
		if (c->flags & K8SMIG__F_STATIC_KEY) {
			if (c->key == idx)
				return c;
		} else if (idx < 0) {
			const char *k = k8smig__key(c);
			if (k[0] == key[0] && strncmp(k, key, keylen) == 0 && k[keylen] == '\0')
				return c;
		}
	}
	return NULL;
}
/** Entry key of map (K8SMIG__KEY), or NULL (also when map is not a map). */
static inline const k8smig_value *k8smig__find_k(const k8smig_object *o, uint32_t map, const char *key, size_t keylen,
                                                 int idx)
{
	const k8smig_value *m = k8smig__node(o, map);
	return m->type == K8SMIG_TYPE_MAP ? k8smig__map_find_idx(m, key, keylen, idx) : NULL;
}
/**
 * Append an empty map to the list entry key of map (the entry created when missing, an
 * explicit null made a list); EKIND when the entry is something else. As append_map_at.
 */
int k8smig__append_map_k(k8smig_object *o, uint32_t map, const char *key, size_t keylen, int idx, size_t *index_out,
                         uint32_t *item_out);
/** append_map_k with the entry already looked up: entry is find_k's answer for that key (NULL
 * when missing), and nothing was added to the object since. */
int k8smig__append_map_found_any(k8smig_object *o, uint32_t map, const k8smig_value *entry, const char *key,
                                 size_t keylen, int idx, size_t *index_out, uint32_t *item_out);
/* its shared copy for a constant common name, as k8smig__add_node_i */
int k8smig__append_map_i(k8smig_object *o, uint32_t map, const k8smig_value *entry, int idx, size_t *index_out,
                         uint32_t *item_out);
/* The usual case of append_map_found, shared by its inline way and k8smig__append_map_i: an
 * item more for a list that is there, with room; 0, or -1 with nothing written. */
static inline __attribute__((always_inline)) int k8smig__append_item_room(k8smig_object *o, const k8smig_value *entry,
                                                                          size_t *index_out, uint32_t *item_out)
{
	uint32_t off = (o->used + 7u) & ~7u, list;
	k8smig_value *v;
	if (K8SMIG__UNLIKELY(entry == NULL || entry->type != K8SMIG_TYPE_LIST) ||
	    K8SMIG__UNLIKELY((size_t)off + sizeof(k8smig_value) > o->cap))
		return -1;
	list = k8smig__off(o, entry);
	v = k8smig__node(o, off);
	memset(v, 0, sizeof(*v));
	v->type = K8SMIG_TYPE_MAP;
	o->used = off + (uint32_t)sizeof(k8smig_value);
	k8smig__append_child(o, list, off);
	if (index_out)
		*index_out = k8smig__node(o, list)->n - 1;
	*item_out = off;
	return 0;
}
static inline int k8smig__append_map_found(k8smig_object *o, uint32_t map, const k8smig_value *entry, const char *key,
                                           size_t keylen, int idx, size_t *index_out, uint32_t *item_out)
{
	if (__builtin_constant_p(idx) && idx >= 0)
		return k8smig__append_map_i(o, map, entry, idx, index_out, item_out);
	if (K8SMIG__LIKELY(k8smig__append_item_room(o, entry, index_out, item_out) == 0))
		return 0;
	return k8smig__append_map_found_any(o, map, entry, key, keylen, idx, index_out, item_out);
}
/** Set entry key of map to the string value (replacing what it held, appended when missing). As set_str_at. */
int k8smig__set_str_k(k8smig_object *o, uint32_t map, const char *key, size_t keylen, int idx, const char *value);
/** Make entry key of map a new empty map (replacing what it held, appended when missing); its offset or 0. */
uint32_t k8smig__set_map_k(k8smig_object *o, uint32_t map, const char *key, size_t keylen, int idx);
/** walk_create of a whole path from the root (the object marked failed on error); offset or 0. */
uint32_t k8smig__walk_path(k8smig_object *o, const char *path);
/**
 * The same through a call site's memory (object.h): for a path whose text never changes at
 * that address (a literal, or a string of a static table), from a site of its own caller.
 */
uint32_t k8smig__walk_path_site(k8smig_object *o, const char *path, k8smig_path_site *site);
/** The node at path from the root through a call site's memory (as walk_path_site), or NULL. */
const k8smig_value *k8smig__get_path_site(const k8smig_object *o, const char *path, k8smig_path_site *site);
/* A call site's own k8smig_path_site, for this thread (the library's form of object.h's macro). */
#define K8SMIG__SITE() __extension__({ static _Thread_local k8smig_path_site k8smig__site_; &k8smig__site_; })

#endif
