/* lib/model/list.h - layout of k8smig_object_list. */
#ifndef K8SMIG_LIB_LIST_H
#define K8SMIG_LIB_LIST_H

#include "tree.h"

struct k8smig_object_list {
	k8smig_object **items;
	size_t n, cap;
};

/*
 * Append *obj to list and set *obj to NULL, whether or not the append
 * succeeds (k8smig_object_list_append_take frees obj when it fails). The
 * library appends every object it builds through this one helper, so a
 * `fail: k8smig_object_free(obj)` after it frees nothing twice.
 */
int k8smig__list_take(k8smig_object_list *list, k8smig_object **obj);
/* Object i of a set failed (its sticky error is the last error): say which
 * object in the message, "<Kind> <namespace>/<name> (document i): ...",
 * keeping code and path. Returns the object's sticky code. */
int k8smig__error_name_object(const k8smig_object *obj, size_t index);

#endif
