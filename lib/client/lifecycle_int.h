/*
 * lib/client/lifecycle_int.h - internals shared by wait.c, diff.c,
 * applyset.c and history.c.
 */
#ifndef K8SMIG_LIB_LIFECYCLE_INT_H
#define K8SMIG_LIB_LIFECYCLE_INT_H

#include "client.h"
#include "k8smig/lifecycle.h"

/* The apply phase of a kind (apply_set.c): deletions run in reverse. */
size_t k8smig__apply_phase(const char *kind);

/* GET a URL (relative to the resource's collection, with a query) into a parsed object. */
int k8smig__get_collection(k8smig_object **out, k8smig_client *c, const char *api_version, const char *kind,
                           const char *ns, const char *query);

/* Namespace an object of the set lives in: its own, the client's for
 * namespaced kinds without one, "" for cluster-scoped kinds. Borrowed. */
int k8smig__object_ns(const char **ns_out, bool *namespaced_out, k8smig_client *c, const k8smig_object *o);

/* "deployment.apps/web" as kubectl names objects, into b. */
void k8smig__ref(k8smig__buf *b, const char *api_version, const char *kind, const char *name);

/* kubectl's --applyset reference: "NAME" or "secrets/NAME" (kind "Secret"), "configmaps/NAME"
 * (kind "ConfigMap"); *name points into ref. K8SMIG_EINVAL (path applyset) otherwise. */
int k8smig__applyset_ref(const char **kind, const char **name, const char *ref);

/* Result entries (diff, wait): public structs whose string fields, at the given offsets,
 * the library owns. Set copies values (NULL: "") into those fields, freeing what was there;
 * K8SMIG_ENOMEM when a copy failed (the field is then NULL). Free frees the strings of
 * count items of size bytes, then the array. */
int k8smig__entry_set(void *item, const size_t *offsets, const char *const *values, size_t n);
void k8smig__entries_free(void *items, size_t count, size_t size, const size_t *offsets, size_t n);

#endif
