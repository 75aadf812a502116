/*
 * lib/model/list.c - k8smig_object_list, the documents of a stream.
 *
 * A list owns its objects. Handing an object to a list (a take) never moves
 * or reallocates the object: values borrowed from it stay valid, and the
 * caller's handle keeps naming the same object, now the list's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tree.h"
#include "list.h"

int k8smig_object_list_new(k8smig_object_list **out)
{
	if (!out)
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL out");
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
}

void k8smig_object_list_free(k8smig_object_list *list)
{
	size_t i;
	if (!list)
		return;
	for (i = 0; i < list->n; i++)
		k8smig_object_free(list->items[i]);
	free(list->items);
	free(list);
}

size_t k8smig_object_list_size(const k8smig_object_list *list)
{
	return list ? list->n : 0;
}

const k8smig_object *k8smig_object_list_get(const k8smig_object_list *list, size_t i)
{
	return list && i < list->n ? list->items[i] : NULL;
}

k8smig_object *k8smig_object_list_get_mut(k8smig_object_list *list, size_t i)
{
	return list && i < list->n ? list->items[i] : NULL;
}

static int reserve(k8smig_object_list *list, size_t more)
{
	size_t cap;
	k8smig_object **p;
	if (list->n + more <= list->cap)
		return 0;
	if (more > ((size_t)-1) / sizeof(*p) / 2 - list->n)
		return k8smig__error_set(K8SMIG_ENOMEM, "", "list too large");
	cap = list->cap ? list->cap : 8;
	while (cap < list->n + more)
		cap *= 2;
	if (!(p = realloc(list->items, cap * sizeof(*p))))
		return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	list->items = p;
	list->cap = cap;
	return 0;
}

int k8smig_object_list_append_take(k8smig_object_list *list, k8smig_object *obj)
{
	int rc;
	if (!list || !obj) {
		k8smig_object_free(obj);
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL list or object");
	}
	/* a handle taken twice would be freed twice: refuse it, and leave it
	 * alone, since a list already owns it */
	if (obj->owner)
		return k8smig__error_set(K8SMIG_EINVAL, "", "object already held by %s list",
		                         obj->owner == list ? "this" : "another");
	if ((rc = reserve(list, 1)) < 0) {
		k8smig_object_free(obj);
		return rc;
	}
	obj->owner = list;
	list->items[list->n++] = obj;
	return 0;
}

int k8smig__list_take(k8smig_object_list *list, k8smig_object **obj)
{
	k8smig_object *o = *obj;
	*obj = NULL;
	return k8smig_object_list_append_take(list, o);
}

int k8smig_object_list_append(k8smig_object_list *list, const k8smig_object *obj)
{
	k8smig_object *copy;
	int rc;
	if (!list || !obj)
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL list or object");
	if ((rc = k8smig_object_dup(&copy, obj)) < 0)
		return rc;
	return k8smig_object_list_append_take(list, copy);
}

int k8smig_object_list_remove(k8smig_object **out, k8smig_object_list *list, size_t i)
{
	k8smig_object *o;
	if (out)
		*out = NULL;
	if (!list)
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL list");
	if (i >= list->n)
		return k8smig__error_set(K8SMIG_ENOTFOUND, "", "no object %zu in a list of %zu", i, list->n);
	o = list->items[i];
	o->owner = NULL;
	memmove(&list->items[i], &list->items[i + 1], (list->n - i - 1) * sizeof(*list->items));
	list->n--;
	if (out)
		*out = o;
	else
		k8smig_object_free(o);
	return 0;
}

int k8smig_object_list_extend_take(k8smig_object_list *list, k8smig_object_list *from)
{
	size_t i;
	int rc;
	if (!list || !from || list == from) {
		if (from != list)
			k8smig_object_list_free(from);
		return k8smig__error_set(K8SMIG_EINVAL, "", list == from && list ? "a list cannot take itself" : "NULL list");
	}
	if ((rc = reserve(list, from->n)) < 0) {
		k8smig_object_list_free(from);
		return rc;
	}
	for (i = 0; i < from->n; i++)
		from->items[i]->owner = list;
	if (from->n)
		memcpy(&list->items[list->n], from->items, from->n * sizeof(*from->items));
	list->n += from->n;
	free(from->items);
	free(from);
	return 0;
}

int k8smig__error_name_object(const k8smig_object *obj, size_t index)
{
	const k8smig_error *e;
	char msg[512], path[256], file[256];
	const char *kind = k8smig_object_kind(obj), *ns = k8smig_object_namespace(obj), *name = k8smig_object_name(obj);
	int code = k8smig_object_status(obj), line;

	if (code >= 0)
		return code;
	/* copy out first: setting the error rewrites the buffers e points into */
	e = k8smig_error_last();
	snprintf(msg, sizeof(msg), "%s", e->message);
	snprintf(path, sizeof(path), "%s", e->path);
	snprintf(file, sizeof(file), "%s", e->file);
	line = e->line;
	k8smig__error_set(code, path, "%s %s%s%s (document %zu): %s", kind ? kind : "object", ns && *ns ? ns : "",
	                  ns && *ns ? "/" : "", name && *name ? name : "<unnamed>", index, msg);
	if (*file)
		k8smig__error_set_file(file);
	if (line)
		k8smig__error_set_position(line, 0);
	return code;
}
