/*
 * lib/client/fields.c - does our field manager own exactly the fields we apply?
 *
 * Server-side apply records, per manager, the set of fields it applied
 * (metadata.managedFields[].fieldsV1): "f:NAME" for a map key, "k:{...}" for
 * an item of a list keyed by fields (containers by name, ports by
 * containerPort and protocol), "v:VALUE" for an item of a set, "." for the
 * map or item itself, and an empty map for a leaf (a scalar, or an atomic
 * map or list applied whole). apiVersion, kind, metadata.name and
 * metadata.namespace are never recorded.
 *
 * When our manager's Apply entry holds exactly the fields of the object we
 * are about to apply, and the live object already holds every one of those
 * values (apply_set.c: holds_stored), applying it again changes nothing: the
 * fields we stop owning would be removed, but there are none; the fields we
 * would start owning would be added, but there are none. The caller can then
 * skip the request. Anything this code does not recognise answers "no", so
 * the object is sent and the server decides.
 */
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "../model/tree.h"
#include "../serialize/parse.h"

bool k8smig__owns_exactly(const k8smig_object *live, const k8smig_object *want, const char *manager);


/* An atomic value applied whole: the live one must be the same, not just hold it
 * (applying would drop what it holds beyond ours). */
static bool same_value(const k8smig_value *want, const k8smig_value *have)
{
	const k8smig_value *w, *h;
	if (!have)
		return false;
	if (k8smig_value_type(want) != k8smig_value_type(have))
		return false;
	switch (k8smig_value_type(want)) {
	case K8SMIG_TYPE_MAP:
		if (k8smig_value_size(want) != k8smig_value_size(have))
			return false;
		for (w = k8smig_value_first(want); w; w = k8smig_value_next(w))
			if (!same_value(w, k8smig_value_lookup(have, k8smig_value_key(w))))
				return false;
		return true;
	case K8SMIG_TYPE_LIST:
		if (k8smig_value_size(want) != k8smig_value_size(have))
			return false;
		for (w = k8smig_value_first(want), h = k8smig_value_first(have); w; w = k8smig_value_next(w), h = k8smig_value_next(h))
			if (!same_value(w, h))
				return false;
		return true;
	default:
		return k8smig_value_equal(want, have);
	}
}

/* Parse the JSON after "k:" or "v:" into a value; *holder owns it. */
static const k8smig_value *key_value(k8smig_object_list **holder, const char *json)
{
	k8smig_object_list *l = NULL;
	size_t len = strlen(json);
	char *wrapped;
	const k8smig_value *v;
	/* our JSON reader reads documents: wrap the key or value as {"v": ...} */
	if (!(wrapped = malloc(len + 8)))
		return NULL;
	memcpy(wrapped, "{\"v\":", 5);
	memcpy(wrapped + 5, json, len);
	memcpy(wrapped + 5 + len, "}", 2);
	if (k8smig__parse_json_text(&l, wrapped, len + 6) < 0 || k8smig_object_list_size(l) != 1) {
		free(wrapped);
		k8smig_object_list_free(l);
		return NULL;
	}
	free(wrapped);
	v = k8smig_object_get(k8smig_object_list_get(l, 0), "v");
	*holder = l;
	return v;
}

/* Does the list item `item` carry the key `key` (a map of key fields)? A key
 * field the item leaves out was defaulted by the server (a port's protocol). */
static bool item_has_key(const k8smig_value *item, const k8smig_value *key)
{
	const k8smig_value *k;
	if (k8smig_value_type(item) != K8SMIG_TYPE_MAP || k8smig_value_type(key) != K8SMIG_TYPE_MAP)
		return false;
	for (k = k8smig_value_first(key); k; k = k8smig_value_next(k)) {
		const k8smig_value *v = k8smig_value_lookup(item, k8smig_value_key(k));
		if (v && !same_value(v, k))
			return false;
	}
	return true;
}

/* The child of field set f after c (NULL: the first) that names a field or item: "."
 * (the map or item itself) is skipped. A child without a key is returned: callers refuse it. */
static const k8smig_value *next_field(const k8smig_value *f, const k8smig_value *c)
{
	for (c = c ? k8smig_value_next(c) : k8smig_value_first(f); c; c = k8smig_value_next(c))
		if (!k8smig_value_key(c) || strcmp(k8smig_value_key(c), ".") != 0)
			break;
	return c;
}

static bool exact(const k8smig_value *f, const k8smig_value *want, const k8smig_value *have, int depth);

/* A list: either applied whole (an empty field set) or item by item, each item
 * of want named by exactly one entry. */
static bool exact_list(const k8smig_value *f, const k8smig_value *want, const k8smig_value *have, int depth)
{
	const k8smig_value *c, *w, *h;
	size_t items = 0, nwant = k8smig_value_size(want), i;
	bool *used, ok = true;
	if (k8smig_value_type(have) != K8SMIG_TYPE_LIST || k8smig_value_size(have) != nwant)
		return false;
	if (!(used = calloc(nwant ? nwant : 1, sizeof(*used))))
		return false;
	for (c = next_field(f, NULL); c && ok; c = next_field(f, c)) {
		const char *k = k8smig_value_key(c);
		k8smig_object_list *holder = NULL;
		const k8smig_value *key = NULL;
		items++;
		ok = false;
		if (k && (strncmp(k, "k:", 2) == 0 || strncmp(k, "v:", 2) == 0) && (key = key_value(&holder, k + 2))) {
			/* the item of want (and the one at the same place in have) this entry names */
			for (w = k8smig_value_first(want), h = k8smig_value_first(have), i = 0; w; w = k8smig_value_next(w), h = k8smig_value_next(h), i++) {
				if (used[i] || !(k[0] == 'k' ? item_has_key(w, key) : same_value(w, key)))
					continue;
				used[i] = true;
				ok = k[0] == 'k' ? exact(c, w, h, depth + 1) : k8smig_value_size(c) == 0 && same_value(w, h);
				break;
			}
		}
		k8smig_object_list_free(holder);
	}
	free(used);
	if (!ok)
		return false;
	if (items == 0) /* atomic: applied whole */
		return same_value(want, have);
	return items == nwant;
}

/*
 * Is f (our fields under this point) exactly the set of fields of want? have is
 * the live value at the same point, for atomic values and list items.
 */
static bool exact(const k8smig_value *f, const k8smig_value *want, const k8smig_value *have, int depth)
{
	const k8smig_value *c, *w;
	size_t nf = 0;
	if (depth > 64 || k8smig_value_type(f) != K8SMIG_TYPE_MAP)
		return false;
	switch (k8smig_value_type(want)) {
	case K8SMIG_TYPE_NULL:
		return false; /* an explicit null: let the server say what it means */
	case K8SMIG_TYPE_LIST:
		return exact_list(f, want, have, depth);
	case K8SMIG_TYPE_MAP:
		break;
	default:
		/* a scalar: a leaf */
		return k8smig_value_size(f) == 0;
	}
	for (c = next_field(f, NULL); c; c = next_field(f, c)) {
		const char *k = k8smig_value_key(c);
		if (!k || strncmp(k, "f:", 2) != 0)
			return false;
		nf++;
	}
	if (nf == 0 && k8smig_value_size(want) > 0)
		return same_value(want, have); /* an atomic map (a Deployment's selector) */
	if (nf != k8smig_value_size(want))
		return false;
	for (w = k8smig_value_first(want); w; w = k8smig_value_next(w)) {
		const char *k = k8smig_value_key(w);
		char fk[512];
		if (!k || strlen(k) + 3 > sizeof(fk))
			return false;
		snprintf(fk, sizeof(fk), "f:%s", k);
		if (!(c = k8smig_value_lookup(f, fk)) ||
		    !exact(c, w, k8smig_value_type(have) == K8SMIG_TYPE_MAP ? k8smig_value_lookup(have, k) : NULL, depth + 1))
			return false;
	}
	return true;
}

/* The fields of want that server-side apply records: all but the identity.
 * f may be NULL (we own nothing). */
static bool exact_top(const k8smig_value *f, const k8smig_object *want, const k8smig_object *live)
{
	const k8smig_value *root = k8smig_object_get(want, NULL), *have = k8smig_object_get(live, NULL), *w, *c;
	size_t nf = 0, nw = 0;
	char fk[512];

	for (c = k8smig_value_first(f); c; c = k8smig_value_next(c)) {
		const char *k = k8smig_value_key(c);
		if (!k || strncmp(k, "f:", 2) != 0)
			return false;
		nf++;
	}
	for (w = k8smig_value_first(root); w; w = k8smig_value_next(w)) {
		const char *k = k8smig_value_key(w);
		if (!k || strlen(k) + 3 > sizeof(fk))
			return false;
		if (strcmp(k, "apiVersion") == 0 || strcmp(k, "kind") == 0)
			continue;
		snprintf(fk, sizeof(fk), "f:%s", k);
		if (strcmp(k, "metadata") == 0) {
			/* name and namespace are not recorded; the rest of metadata is */
			const k8smig_value *m, *fm = k8smig_value_lookup(f, fk), *hm = k8smig_value_lookup(have, k);
			size_t nm = 0, nfm = 0;
			if (k8smig_value_type(w) != K8SMIG_TYPE_MAP)
				return false;
			for (m = k8smig_value_first(w); m; m = k8smig_value_next(m)) {
				const char *mk = k8smig_value_key(m);
				const k8smig_value *fc;
				if (!mk || strlen(mk) + 3 > sizeof(fk))
					return false;
				if (strcmp(mk, "name") == 0 || strcmp(mk, "namespace") == 0)
					continue;
				snprintf(fk, sizeof(fk), "f:%s", mk);
				nm++;
				if (!(fc = k8smig_value_lookup(fm, fk)) || !exact(fc, m, k8smig_value_lookup(hm, mk), 1))
					return false;
			}
			for (m = next_field(fm, NULL); m; m = next_field(fm, m))
				nfm++;
			if (nm != nfm || (nm == 0 && fm))
				return false;
			nw += nm > 0;
			continue;
		}
		if (!(c = k8smig_value_lookup(f, fk)) || !exact(c, w, k8smig_value_lookup(have, k), 1))
			return false;
		nw++;
	}
	return nf == nw;
}

bool k8smig__owns_exactly(const k8smig_object *live, const k8smig_object *want, const char *manager)
{
	const k8smig_value *it, *fields = NULL;
	const char *api = k8smig_object_api_version(want);
	size_t entries = 0;
	for (it = k8smig_value_first(k8smig_object_get(live, "metadata.managedFields")); it; it = k8smig_value_next(it)) {
		const char *m = k8smig_value_str(k8smig_value_lookup(it, "manager"));
		const char *op = k8smig_value_str(k8smig_value_lookup(it, "operation"));
		const char *sub = k8smig_value_str(k8smig_value_lookup(it, "subresource"));
		const char *av = k8smig_value_str(k8smig_value_lookup(it, "apiVersion"));
		if (!m || !op || strcmp(m, manager) != 0 || strcmp(op, "Apply") != 0 || (sub && *sub))
			continue;
		if (!av || !api || strcmp(av, api) != 0)
			return false; /* recorded for another version: the field names may differ */
		fields = k8smig_value_lookup(it, "fieldsV1");
		entries++;
	}
	if (entries > 1)
		return false;
	return exact_top(fields, want, live);
}

/* The item of list l that key names ("k:" key fields, or a "v:" value), or NULL. */
static const k8smig_value *find_item(const k8smig_value *l, const k8smig_value *key, bool keyed)
{
	const k8smig_value *x;
	for (x = k8smig_value_first(l); x; x = k8smig_value_next(x))
		if (keyed ? item_has_key(x, key) : same_value(x, key))
			return x;
	return NULL;
}

/* Are a and b the same in every field the field set f names? */
static bool same_in(const k8smig_value *f, const k8smig_value *a, const k8smig_value *b, int depth)
{
	const k8smig_value *c;
	if (!a && !b)
		return true;
	if (!a || !b || depth > 64)
		return false;
	if (k8smig_value_size(f) == 0)
		return same_value(a, b); /* a leaf, or a value applied whole */
	for (c = next_field(f, NULL); c; c = next_field(f, c)) {
		const char *k = k8smig_value_key(c);
		if (!k)
			return false;
		if (strncmp(k, "f:", 2) == 0) {
			if (k8smig_value_type(a) != K8SMIG_TYPE_MAP || k8smig_value_type(b) != K8SMIG_TYPE_MAP ||
			    !same_in(c, k8smig_value_lookup(a, k + 2), k8smig_value_lookup(b, k + 2), depth + 1))
				return false;
		} else if (strncmp(k, "k:", 2) == 0 || strncmp(k, "v:", 2) == 0) {
			k8smig_object_list *holder = NULL;
			const k8smig_value *key = key_value(&holder, k + 2);
			bool ok = key && k8smig_value_type(a) == K8SMIG_TYPE_LIST && k8smig_value_type(b) == K8SMIG_TYPE_LIST &&
			          same_in(k[0] == 'k' ? c : NULL, find_item(a, key, k[0] == 'k'), find_item(b, key, k[0] == 'k'), depth + 1);
			k8smig_object_list_free(holder);
			if (!ok)
				return false;
		} else {
			return false; /* not known here: say it moved */
		}
	}
	return true;
}

bool k8smig__kept_ours(const k8smig_object *before, const k8smig_object *after, const char *manager);
bool k8smig__kept_ours(const k8smig_object *before, const k8smig_object *after, const char *manager)
{
	const k8smig_value *it;
	for (it = k8smig_value_first(k8smig_object_get(before, "metadata.managedFields")); it; it = k8smig_value_next(it)) {
		const char *m = k8smig_value_str(k8smig_value_lookup(it, "manager"));
		const char *op = k8smig_value_str(k8smig_value_lookup(it, "operation"));
		if (m && op && strcmp(m, manager) == 0 && strcmp(op, "Apply") == 0 &&
		    !same_in(k8smig_value_lookup(it, "fieldsV1"), k8smig_object_get(before, NULL), k8smig_object_get(after, NULL), 0))
			return false;
	}
	return true;
}
