/*
 * lib/model/build.h - helpers shared by the typed builders (lib/model/build_*.c).
 *
 * Builders validate every argument first and write afterwards, so a failing
 * call leaves no half-written item behind; the failure sets the last error
 * with the Kubernetes field path and marks the object failed (sticky).
 */
#ifndef K8SMIG_LIB_BUILD_H
#define K8SMIG_LIB_BUILD_H

#include "kinds.h"
#include "names.h"
#include "tree.h"

#define K8SMIG__BUILD_PATH_MAX 512

/** Set the last error, mark o failed (when o is not NULL) and return code. */
int k8smig__build_fail(k8smig_object *o, int code, const char *path, const char *fmt, ...) K8SMIG__PRINTF(4, 5) K8SMIG__COLD;

/**
 * EINVAL for a NULL object, EKIND (path "kind", object marked failed) unless
 * its kind is one of the NULL-terminated kinds.
 */
int k8smig__build_kind(k8smig_object *o, ...);

/** The object's kind equals kind. */
bool k8smig__build_is(const k8smig_object *o, const char *kind);

/**
 * Create an object with apiVersion, kind, metadata.name and (when ns is not
 * NULL) metadata.namespace, checking the name by the kind's rule (kinds.h) and
 * the namespace as a DNS-1123 label. *out stays NULL on failure.
 */
int k8smig__build_new(k8smig_object **out, const char *api_version, const char *kind,
                      const char *name, const char *ns);
/** k8smig__build_new, and the offset of the new object's metadata map in *meta_out (when not NULL). */
int k8smig__build_new_meta(k8smig_object **out, uint32_t *meta_out, const char *api_version, const char *kind,
                           const char *name, const char *ns);

/* ---- syntax checks (true when valid; Kubernetes names: names.h) ---- */
/** Go time.Duration text: "0", "30s", "1h30m", "1.5h", "300ms". */
bool k8smig__build_go_duration(const char *s);
bool k8smig__build_nonempty(const char *s);
/** One of the NULL-terminated choices. */
bool k8smig__build_one_of(const char *s, ...);

/* ---- writing; the path is a printf format ---- */
int k8smig__build_set_str(k8smig_object *o, const char *value, const char *pathfmt, ...) K8SMIG__PRINTF(3, 4);
int k8smig__build_set_int(k8smig_object *o, int64_t value, const char *pathfmt, ...) K8SMIG__PRINTF(3, 4);
int k8smig__build_set_bool(k8smig_object *o, bool value, const char *pathfmt, ...) K8SMIG__PRINTF(3, 4);
/** Replace path with a list of the NULL-terminated strings. */
int k8smig__build_set_strv(k8smig_object *o, const char *const *items, const char *pathfmt, ...) K8SMIG__PRINTF(3, 4);
/** Append an empty map to the list at path; index of the new item in *index_out. */
int k8smig__build_append_map(size_t *index_out, k8smig_object *o, const char *pathfmt, ...) K8SMIG__PRINTF(3, 4);
/**
 * Set map_path[key] = value without the field-path syntax (keys may hold
 * dots, slashes or be all digits). Creates the map.
 */
int k8smig__build_set_entry(k8smig_object *o, const char *map_path, const char *key, const char *value);
/** The same with map_path found through a call site (k8smig__walk_path_site: a path that never changes). */
int k8smig__build_set_entry_site(k8smig_object *o, const char *map_path, k8smig_path_site *site, const char *key,
                                 const char *value);
/** Move map_path's entry `key` to the end of the map (emit order), when present. */
void k8smig__build_move_last(k8smig_object *o, const char *map_path, const char *key);
/** True when an item of the list at list_path has field `field` equal to value. */
bool k8smig__build_list_has(const k8smig_object *o, const char *list_path, const char *field, const char *value);
/** Items of the list at path (0 when absent). */
size_t k8smig__build_list_size(const k8smig_object *o, const char *pathfmt, ...) K8SMIG__PRINTF(2, 3);

/**
 * Check an int-or-string field: digits -> int 0..2147483647, "N%" (when
 * allow_percent) or an IANA service name (when allow_name) -> string.
 * Returns 0, or EINVAL with path. On success *is_int says which.
 */
int k8smig__build_check_int_or_string(k8smig_object *o, const char *text, bool allow_percent, bool allow_name,
                                      bool *is_int, int64_t *int_out, const char *path);
/** Write a value checked by k8smig__build_check_int_or_string(). */
int k8smig__build_set_int_or_string(k8smig_object *o, const char *text, bool is_int, int64_t v, const char *path);

/** Check a quantity; on success *canonical_out (malloc'd) holds its canonical form. EINVAL with path. */
int k8smig__build_check_quantity(k8smig_object *o, const char *text, char **canonical_out, const char *path);

/* ---- pod templates (Pod, Deployment, DaemonSet, StatefulSet, ReplicaSet, Job, CronJob) ---- */

/**
 * The path of the pod spec ("spec.template.spec") and of the pod metadata
 * ("spec.template.metadata") of obj; EKIND for other kinds.
 */
int k8smig__build_pod_paths(k8smig_object *o, const char **spec_out, const char **meta_out);

/** The pod template of obj's kind in *out; EKIND for other kinds. */
int k8smig__build_pod(k8smig_object *o, const k8smig__pod_template **out);

/** "<pod spec>.containers[i]" into buf; EKIND, or ENOTFOUND when there is no container i. */
int k8smig__build_container_path(k8smig_object *o, size_t index, char *buf, size_t cap);

/** Write a securityContext at base (pod-level when pod); shared by pods and containers. */
int k8smig__build_security_context(k8smig_object *o, const char *base, bool pod,
                                   const k8smig_security_context_options *sc);

/* ---- containers by offset (no path formatted unless a call fails) ---- */
/* k8smig__build_container when its memo does not hold that container */
int k8smig__build_container_find(k8smig_object *o, size_t index, uint32_t *coff);
/** The offset of container index of o's pod template; EKIND, or ENOTFOUND with its path. */
static inline int k8smig__build_container(k8smig_object *o, size_t index, uint32_t *coff)
{
	/* the container last found, while the tree keeps its shape and its kind (memo_pod is
	 * cleared with the trail whenever a node is replaced or unlinked, or the "kind" entry
	 * rewritten: k8smig__node_rewrite) */
	if (K8SMIG__LIKELY(o != NULL) && o->memo_pod && o->memo_cont_off && o->memo_cont_idx == index) {
		*coff = o->memo_cont_off;
		return 0;
	}
	return k8smig__build_container_find(o, index, coff);
}
/** Fail with the path "<pod spec>.containers[index].<relfmt...>" and message msg. */
int k8smig__build_fail_c(k8smig_object *o, size_t index, int code, const char *msg, const char *relfmt, ...)
	K8SMIG__PRINTF(5, 6) K8SMIG__COLD;

/* Append the string entry lit (a literal key) to new map m, with a value already checked as
 * valid UTF-8 (and not NULL) by the builder: no second check */
#define K8SMIG__ADD_VALID(o, m, lit, v) k8smig__add_valid_str_k((o), (m), K8SMIG__KEY(lit), (v), strlen(v))

/** Items of v when it is a list (0 otherwise, and for NULL): the index the next item gets. */
static inline size_t k8smig__build_items(const k8smig_value *v)
{
	return v && v->type == K8SMIG_TYPE_LIST ? v->n : 0;
}
/** Offset of the map entry key (K8SMIG__KEY) of map node m; 0 when m is 0, or the entry is
 * missing or not a map. */
static inline uint32_t k8smig__build_map_k(const k8smig_object *o, uint32_t m, const char *key, size_t keylen, int idx)
{
	const k8smig_value *v = m ? k8smig__find_k(o, m, key, keylen, idx) : NULL;
	return v && v->type == K8SMIG_TYPE_MAP ? k8smig__off(o, v) : 0;
}
/** True when an item of list (NULL: none) has field equal to value. */
bool k8smig__build_items_have(const k8smig_value *list, const char *field, const char *value);

/** The pod spec node of o's pod template (remembered in o until its tree changes shape), or NULL. */
const k8smig_value *k8smig__build_pod_spec(k8smig_object *o);
/** The offset of o's pod spec, found or created (an explicit null made a map), and remembered
 * as k8smig__build_pod_spec() does; 0 with the error set (EKIND, or the walk's error). */
uint32_t k8smig__build_pod_spec_make(k8smig_object *o);

#endif
