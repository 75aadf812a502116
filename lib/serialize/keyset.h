/*
 * lib/serialize/keyset.h - duplicate-key checks for the parsers.
 *
 * Small maps are searched in place; a map reaching KEYSET_FROM entries gets its
 * entries indexed in one hash set per document (open addressing over
 * (map offset, key)), so a hostile map of a million keys stays linear.
 * Keys equal to a common field name are always stored as static keys
 * (tree.h), so a static key only needs comparing with static keys.
 */
#ifndef K8SMIG_LIB_KEYSET_H
#define K8SMIG_LIB_KEYSET_H

#include "../model/tree.h"

#define K8SMIG__KEYSET_FROM 16

typedef struct k8smig__keyset {
	struct k8smig__kslot { uint32_t map, node; } *slot;
	size_t cap, used;
} k8smig__keyset;

/** Entry of map `map` whose key is key[0..len) (static index `sidx`, or -1), or NULL. */
k8smig_value *k8smig__keyset_find(const k8smig__keyset *ks, const k8smig_object *o, uint32_t map,
                                  const char *key, size_t len, int sidx);
/** keyset_added for a map of K8SMIG__KEYSET_FROM entries or more. */
int k8smig__keyset_index(k8smig__keyset *ks, const k8smig_object *o, uint32_t map, uint32_t child);
/** Note that child was just appended to map (indexes the map once it is big). ENOMEM. */
static inline int k8smig__keyset_added(k8smig__keyset *ks, const k8smig_object *o, uint32_t map, uint32_t child)
{
	return k8smig__node(o, map)->n < K8SMIG__KEYSET_FROM ? 0 : k8smig__keyset_index(ks, o, map, child);
}
/** Forget an entry that is being unlinked. */
void k8smig__keyset_remove(k8smig__keyset *ks, const k8smig_object *o, uint32_t map, uint32_t node);
/** Empty the set for the next document (keeps its memory). */
void k8smig__keyset_clear(k8smig__keyset *ks);
void k8smig__keyset_free(k8smig__keyset *ks);

#endif
