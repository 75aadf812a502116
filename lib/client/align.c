/*
 * lib/client/align.c - line the items of the live object's lists up with the
 * merged object's before diffing them, by merge key.
 *
 * Server-side apply leaves a keyed list (containers by name, ports by
 * containerPort, env by name, ...) in the order of the applied config. A line
 * diff of a list whose items only moved shows every moved item removed and
 * added again, changed or not. Reordering the live side's items to the merged
 * side's order, matched by their key, makes the diff show what changed inside
 * each item; items only on the live side stay after the item they followed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lifecycle_int.h"

int k8smig__align_lists(k8smig_object **out, const k8smig_object *before, const k8smig_object *after);

/* The fields lists of Kubernetes objects are keyed by (patchMergeKey / listMapKeys), in
 * the order tried: the first that every item of both lists has, as a unique scalar. */
static const char *const merge_keys[] = { "name", "containerPort", "port", "mountPath", "devicePath", "type", "ip", "topologyKey" };

static bool key_of(const k8smig_value *item, const char *field, const k8smig_value **out)
{
	const k8smig_value *v = k8smig_value_lookup(item, field);
	k8smig_type t = k8smig_value_type(v);
	*out = v;
	return k8smig_value_type(item) == K8SMIG_TYPE_MAP && (t == K8SMIG_TYPE_STRING || t == K8SMIG_TYPE_INT);
}

static bool unique_keys(const k8smig_value *list, const char *field)
{
	const k8smig_value *a, *b, *ka, *kb;
	for (a = k8smig_value_first(list); a; a = k8smig_value_next(a)) {
		if (!key_of(a, field, &ka))
			return false;
		for (b = k8smig_value_next(a); b; b = k8smig_value_next(b))
			if (key_of(b, field, &kb) && k8smig_value_equal(ka, kb))
				return false;
	}
	return true;
}

static const char *merge_key(const k8smig_value *bl, const k8smig_value *al)
{
	size_t i;
	if (!k8smig_value_size(bl) || !k8smig_value_size(al))
		return NULL;
	for (i = 0; i < sizeof(merge_keys) / sizeof(merge_keys[0]); i++)
		if (unique_keys(bl, merge_keys[i]) && unique_keys(al, merge_keys[i]))
			return merge_keys[i];
	return NULL;
}

/* Index of the item of list whose key field equals key's, or SIZE_MAX. */
static size_t find_key(const k8smig_value *list, const char *field, const k8smig_value *key)
{
	const k8smig_value *it, *k;
	size_t i = 0;
	for (it = k8smig_value_first(list); it; it = k8smig_value_next(it), i++)
		if (key_of(it, field, &k) && k8smig_value_equal(k, key))
			return i;
	return SIZE_MAX;
}

static int align(k8smig_object *o, const k8smig_value *av, const char *path, int depth);

/* Reorder the list at path of o (its items bl) to al's order of keys; then align the pairs. */
static int align_list(k8smig_object *o, const k8smig_value *al, const char *path, int depth)
{
	const k8smig_value *bl = k8smig_object_get(o, path), *it, *k;
	const char *field = merge_key(bl, al);
	size_t nb = k8smig_value_size(bl), i, j, n = 0, *order = NULL;
	k8smig_object *src = NULL;
	bool moved = false, *placed = NULL;
	char child[1024];
	int rc = 0;

	if (!field) {
		/* no key: item by item when the lengths agree */
		if (nb != k8smig_value_size(al))
			return 0;
		for (it = k8smig_value_first(al), i = 0; it && rc == 0; it = k8smig_value_next(it), i++) {
			snprintf(child, sizeof(child), "%s[%zu]", path, i);
			rc = align(o, it, child, depth + 1);
		}
		return rc;
	}
	order = calloc(nb + 1, sizeof(*order));
	placed = calloc(nb + 1, sizeof(*placed));
	if (!order || !placed) {
		rc = k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
		goto out;
	}
	/* the items the merged side has, in its order; each live-only item after its predecessor */
	for (it = k8smig_value_first(al); it; it = k8smig_value_next(it))
		if (key_of(it, field, &k) && (j = find_key(bl, field, k)) != SIZE_MAX) {
			order[n++] = j;
			placed[j] = true;
			/* live-only items that followed j in the live list come right after it */
			for (i = j + 1; i < nb; i++) {
				const k8smig_value *x = k8smig_value_at(bl, i), *xk;
				if (!key_of(x, field, &xk) || find_key(al, field, xk) != SIZE_MAX)
					break;
				order[n++] = i;
				placed[i] = true;
			}
		}
	/* live-only items before the first shared one (or in a list sharing nothing) lead */
	{
		size_t lead = 0;
		for (i = 0; i < nb && !placed[i]; i++)
			lead++;
		if (lead) {
			memmove(order + lead, order, n * sizeof(*order));
			for (i = 0; i < lead; i++) {
				order[i] = i;
				placed[i] = true;
			}
			n += lead;
		}
	}
	for (i = 0; i < nb; i++)
		if (!placed[i])
			order[n++] = i; /* cannot happen with unique keys; kept for safety */
	for (i = 0; i < n; i++)
		moved |= order[i] != i;
	if (moved) {
		if ((rc = k8smig_object_dup(&src, o)) < 0 || (rc = k8smig_object_set_list(o, path)) < 0)
			goto out;
		for (i = 0; i < n && rc == 0; i++)
			rc = k8smig_object_append_value(NULL, o, path, k8smig_value_at(k8smig_object_get(src, path), order[i]));
		if (rc < 0)
			goto out;
	}
	/* the pairs, by key, in their new places */
	for (it = k8smig_value_first(al); it && rc == 0; it = k8smig_value_next(it))
		if (key_of(it, field, &k) && (j = find_key(k8smig_object_get(o, path), field, k)) != SIZE_MAX) {
			snprintf(child, sizeof(child), "%s[%zu]", path, j);
			rc = align(o, it, child, depth + 1);
		}
out:
	k8smig_object_free(src);
	free(order);
	free(placed);
	return rc;
}

static int align(k8smig_object *o, const k8smig_value *av, const char *path, int depth)
{
	const k8smig_value *bv = k8smig_object_get(o, *path ? path : NULL), *it;
	char child[1024];
	int rc = 0;

	if (depth > 64 || strlen(path) > 900)
		return 0;
	if (k8smig_value_type(av) == K8SMIG_TYPE_LIST && k8smig_value_type(bv) == K8SMIG_TYPE_LIST)
		return align_list(o, av, path, depth);
	if (k8smig_value_type(av) != K8SMIG_TYPE_MAP || k8smig_value_type(bv) != K8SMIG_TYPE_MAP)
		return 0;
	for (it = k8smig_value_first(av); it && rc == 0; it = k8smig_value_next(it)) {
		const char *key = k8smig_value_key(it);
		const k8smig_value *b = k8smig_value_lookup(k8smig_object_get(o, *path ? path : NULL), key);
		if (!b || (k8smig_value_type(b) != K8SMIG_TYPE_MAP && k8smig_value_type(b) != K8SMIG_TYPE_LIST))
			continue;
		if (strchr(key, '.') || strchr(key, '[') || strchr(key, ']'))
			snprintf(child, sizeof(child), "%s[%s]", path, key);
		else
			snprintf(child, sizeof(child), "%s%s%s", path, *path ? "." : "", key);
		rc = align(o, it, child, depth + 1);
	}
	(void)bv;
	return rc;
}

int k8smig__align_lists(k8smig_object **out, const k8smig_object *before, const k8smig_object *after)
{
	k8smig_object *o = NULL;
	int rc;
	*out = NULL;
	if ((rc = k8smig_object_dup(&o, before)) < 0)
		return rc;
	if ((rc = align(o, k8smig_object_get(after, NULL), "", 0)) < 0) {
		k8smig_object_free(o);
		return rc;
	}
	*out = o;
	return 0;
}
