/*
 * lib/serialize/keyset.c - duplicate-key checks for the parsers (keyset.h).
 */
#include <stdlib.h>
#include <string.h>

#include "keyset.h"

static uint32_t hash_key(uint32_t map, const char *k, size_t len)
{
	uint32_t h = 2166136261u ^ map;
	while (len--)
		h = (h ^ (unsigned char)*k++) * 16777619u;
	return h;
}

static bool key_is(const k8smig_value *c, const char *key, size_t len, int sidx)
{
	const char *k;
	if (c->flags & K8SMIG__F_STATIC_KEY)
		return sidx >= 0 && c->key == sidx;
	if (sidx >= 0)
		return false;
	k = k8smig__key(c);
	/* k may be shorter than len (and end the arena): never read past its NUL */
	return k[0] == key[0] && strnlen(k, len + 1) == len && memcmp(k, key, len) == 0;
}

static void insert(k8smig__keyset *ks, const k8smig_object *o, uint32_t map, uint32_t node)
{
	const char *k = k8smig__key(k8smig__node(o, node));
	size_t i = hash_key(map, k, strlen(k)) & (ks->cap - 1);
	while (ks->slot[i].node)
		i = (i + 1) & (ks->cap - 1);
	ks->slot[i].map = map;
	ks->slot[i].node = node;
	ks->used++;
}

static int grow(k8smig__keyset *ks, const k8smig_object *o)
{
	struct k8smig__kslot *old = ks->slot;
	size_t oldcap = ks->cap, i;
	size_t cap = oldcap ? oldcap * 2 : 256;

	if (!(ks->slot = calloc(cap, sizeof(*ks->slot)))) {
		ks->slot = old;
		return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	}
	ks->cap = cap;
	ks->used = 0;
	for (i = 0; i < oldcap; i++)
		if (old[i].node && old[i].map)
			insert(ks, o, old[i].map, old[i].node);
	free(old);
	return 0;
}

static int add(k8smig__keyset *ks, const k8smig_object *o, uint32_t map, uint32_t node)
{
	if ((ks->used + 1) * 2 > ks->cap && grow(ks, o) < 0)
		return K8SMIG_ENOMEM;
	insert(ks, o, map, node);
	return 0;
}

k8smig_value *k8smig__keyset_find(const k8smig__keyset *ks, const k8smig_object *o, uint32_t map,
                                  const char *key, size_t len, int sidx)
{
	const k8smig_value *m = k8smig__node(o, map);
	k8smig_value *c;
	size_t i;

	if (m->n < K8SMIG__KEYSET_FROM || !ks->cap) { /* small, or never indexed (built by copying) */
		for (c = k8smig__first(m); c; c = k8smig__next(c))
			if (key_is(c, key, len, sidx))
				return c;
		return NULL;
	}
	for (i = hash_key(map, key, len) & (ks->cap - 1); ks->slot[i].node; i = (i + 1) & (ks->cap - 1)) {
		c = k8smig__node(o, ks->slot[i].node);
		if (ks->slot[i].map == map && key_is(c, key, len, sidx))
			return c;
	}
	return NULL;
}

int k8smig__keyset_index(k8smig__keyset *ks, const k8smig_object *o, uint32_t map, uint32_t child)
{
	const k8smig_value *m = k8smig__node(o, map), *e;

	if (m->n > K8SMIG__KEYSET_FROM)
		return add(ks, o, map, child);
	/* the map just became big: index all of its entries */
	for (e = k8smig__first(m); e; e = k8smig__next(e))
		if (add(ks, o, map, k8smig__off(o, e)) < 0)
			return K8SMIG_ENOMEM;
	return 0;
}

void k8smig__keyset_remove(k8smig__keyset *ks, const k8smig_object *o, uint32_t map, uint32_t node)
{
	const char *k;
	size_t i;

	if (!ks->cap)
		return;
	k = k8smig__key(k8smig__node(o, node));
	for (i = hash_key(map, k, strlen(k)) & (ks->cap - 1); ks->slot[i].node; i = (i + 1) & (ks->cap - 1)) {
		if (ks->slot[i].map == map && ks->slot[i].node == node) {
			ks->slot[i].map = 0; /* map 0 never matches a real map; the slot keeps chains intact */
			return;
		}
	}
}

void k8smig__keyset_clear(k8smig__keyset *ks)
{
	if (ks->used) {
		memset(ks->slot, 0, ks->cap * sizeof(*ks->slot));
		ks->used = 0;
	}
}

void k8smig__keyset_free(k8smig__keyset *ks)
{
	free(ks->slot);
	ks->slot = NULL;
	ks->cap = ks->used = 0;
}
