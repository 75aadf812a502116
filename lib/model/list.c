/*
 * lib/model/list.c - k8smig_object_list, the documents of a stream.
 */
#include <stdlib.h>

#include "tree.h"
#include "list.h"

int k8smig_object_list_new(k8smig_object_list **out)
{
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

k8smig_object *k8smig_object_list_get(const k8smig_object_list *list, size_t i)
{
	return list && i < list->n ? list->items[i] : NULL;
}

int k8smig_object_list_append_take(k8smig_object_list *list, k8smig_object *obj)
{
	if (!list || !obj) {
		k8smig_object_free(obj);
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL list or object");
	}
	if (list->n == list->cap) {
		size_t cap = list->cap ? list->cap * 2 : 8;
		k8smig_object **p = realloc(list->items, cap * sizeof(*p));
		if (!p) {
			k8smig_object_free(obj);
			return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
		}
		list->items = p;
		list->cap = cap;
	}
	/* an object handed to a list is usually finished: give back the arena's slack */
	k8smig__object_shrink(obj);
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
