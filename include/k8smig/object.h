/*
 * k8smig/object.h - the one handle for every Kubernetes kind.
 *
 * A k8smig_object is an ordered, JSON-compatible tree whose root is a map.
 * Maps keep insertion order, scalars keep their type, and an unset field is
 * different from a zero, false or empty one. Fields are addressed by
 * Kubernetes field paths:
 *
 *     spec.template.spec.containers[0].image
 *     metadata.labels[app.kubernetes.io/name]     (a key containing dots)
 *
 * A setter creates the maps on its way; "[N]" names an existing list item,
 * or the next one when N equals the list's size. Memory: one arena per
 * object, grown by half again when full; a built Deployment fits the first
 * one, which is allocated with the object itself (one allocation).
 * Values returned by getters are borrowed: valid until the object is modified
 * or freed.
 */
#ifndef K8SMIG_OBJECT_H
#define K8SMIG_OBJECT_H

#include "common.h"

K8SMIG_BEGIN_DECL

typedef struct k8smig_object k8smig_object;
typedef struct k8smig_object_list k8smig_object_list;
/** A node of an object's tree; always borrowed from its object. */
typedef struct k8smig_value k8smig_value;

/** Type of a tree node. */
typedef enum k8smig_type {
	K8SMIG_TYPE_NULL = 0,
	K8SMIG_TYPE_BOOL = 1,
	K8SMIG_TYPE_INT = 2,
	K8SMIG_TYPE_DOUBLE = 3,
	K8SMIG_TYPE_STRING = 4,
	K8SMIG_TYPE_MAP = 5,
	K8SMIG_TYPE_LIST = 6
} k8smig_type;

/* ---- lifecycle ---------------------------------------------------------- */

/**
 * Create an object with apiVersion and kind set.
 * @param out (owned) the new object; NULL on failure
 * @param api_version e.g. "apps/v1"; NULL leaves it unset
 * @param kind e.g. "Deployment"; NULL leaves it unset
 * @return 0, K8SMIG_ENOMEM, or K8SMIG_EINVAL (not UTF-8)
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_object_new(k8smig_object **out, const char *api_version, const char *kind);

/** Free an object. Accepts NULL. @since 0.1 */
K8SMIG_EXTERN(void) k8smig_object_free(k8smig_object *obj);

/**
 * Deep copy (also copies a sticky error).
 * @param out (owned) the copy
 * @return 0 or K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_object_dup(k8smig_object **out, const k8smig_object *obj) K8SMIG_WARN_UNUSED;

/**
 * Deep equality: same keys with equal values in any order, lists equal item
 * by item, int 1 and double 1.0 different, NaN equal to NaN. @since 0.1
 */
K8SMIG_EXTERN(bool) k8smig_object_equal(const k8smig_object *a, const k8smig_object *b);

/**
 * The first error a setter hit on this object (sticky), or 0. When negative,
 * k8smig_error_last() is set to that error again. Serializers, validation
 * and apply refuse a failed object with the same error.
 * @return 0 or the sticky error code
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_object_status(const k8smig_object *obj);

/**
 * Where a parsed object came from: its source name (file) and the 1-based
 * line of its document. @return (borrowed) NULL and 0 for built objects.
 * @since 0.1
 */
K8SMIG_EXTERN(const char *) k8smig_object_source(const k8smig_object *obj, int *line_out);

/* ---- identity and metadata --------------------------------------------- */

/** @return (borrowed) apiVersion, or NULL. @since 0.1 */
K8SMIG_EXTERN(const char *) k8smig_object_api_version(const k8smig_object *obj);
/** @return (borrowed) kind, or NULL. @since 0.1 */
K8SMIG_EXTERN(const char *) k8smig_object_kind(const k8smig_object *obj);
/** @return (borrowed) metadata.name, or NULL. @since 0.1 */
K8SMIG_EXTERN(const char *) k8smig_object_name(const k8smig_object *obj);
/** @return (borrowed) metadata.namespace, or NULL. @since 0.1 */
K8SMIG_EXTERN(const char *) k8smig_object_namespace(const k8smig_object *obj);
/** @return (borrowed) metadata.labels[key], or NULL. @since 0.1 */
K8SMIG_EXTERN(const char *) k8smig_object_label(const k8smig_object *obj, const char *key);
/** @return (borrowed) metadata.annotations[key], or NULL. @since 0.1 */
K8SMIG_EXTERN(const char *) k8smig_object_annotation(const k8smig_object *obj, const char *key);

/** Set metadata.name. @return 0, K8SMIG_EINVAL, K8SMIG_ENOMEM. @since 0.1 */
K8SMIG_EXTERN(k8smig_status) k8smig_object_set_name(k8smig_object *obj, const char *name);
/** Set metadata.namespace. @return 0, K8SMIG_EINVAL, K8SMIG_ENOMEM. @since 0.1 */
K8SMIG_EXTERN(k8smig_status) k8smig_object_set_namespace(k8smig_object *obj, const char *ns);
/** Set metadata.labels[key] = value. @return 0, K8SMIG_EINVAL, K8SMIG_ENOMEM. @since 0.1 */
K8SMIG_EXTERN(k8smig_status) k8smig_object_set_label(k8smig_object *obj, const char *key, const char *value);
/** Set metadata.annotations[key] = value. @return 0, K8SMIG_EINVAL, K8SMIG_ENOMEM. @since 0.1 */
K8SMIG_EXTERN(k8smig_status) k8smig_object_set_annotation(k8smig_object *obj, const char *key, const char *value);

/* ---- field paths --------------------------------------------------------- */

/**
 * The node at a field path, or the root map for "" or NULL.
 * @return (borrowed) NULL when absent or when the path is malformed
 * @since 0.1
 */
K8SMIG_EXTERN(const k8smig_value *) k8smig_object_get(const k8smig_object *obj, const char *path);

/** True when a value (possibly null) is present at path. @since 0.1 */
K8SMIG_EXTERN(bool) k8smig_object_has(const k8smig_object *obj, const char *path);
/** @return (borrowed) the string at path, or NULL when absent or not a string. @since 0.1 */
K8SMIG_EXTERN(const char *) k8smig_object_get_str(const k8smig_object *obj, const char *path);
/** @return the integer at path, or 0 when absent or not an integer. @since 0.1 */
K8SMIG_EXTERN(int64_t) k8smig_object_get_int(const k8smig_object *obj, const char *path);
/** @return the number at path (integers converted), or 0.0. @since 0.1 */
K8SMIG_EXTERN(double) k8smig_object_get_double(const k8smig_object *obj, const char *path);
/** @return the boolean at path, or false when absent or not a boolean. @since 0.1 */
K8SMIG_EXTERN(bool) k8smig_object_get_bool(const k8smig_object *obj, const char *path);

/**
 * Setters: create or replace the value at path, creating missing maps on the
 * way (and a missing list when the last step is "[N]" with N == 0).
 * Strings must be valid UTF-8 and are copied.
 * On failure the object is marked failed (see k8smig_object_status()).
 * @return 0; K8SMIG_EINVAL (malformed path, invalid UTF-8, NULL string, index
 *         out of range); K8SMIG_EKIND (a step crosses a scalar, or a key step
 *         meets a list); K8SMIG_ENOMEM. The error path is the field path.
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_object_set_str(k8smig_object *obj, const char *path, const char *value);
/** As k8smig_object_set_str() with a string of len bytes (may hold NUL). @since 0.1 */
K8SMIG_EXTERN(k8smig_status) k8smig_object_set_strn(k8smig_object *obj, const char *path, const char *value, size_t len);
/** As k8smig_object_set_str(). @since 0.1 */
K8SMIG_EXTERN(k8smig_status) k8smig_object_set_int(k8smig_object *obj, const char *path, int64_t value);
/** As k8smig_object_set_str(); NaN and infinities are K8SMIG_EINVAL. @since 0.1 */
K8SMIG_EXTERN(k8smig_status) k8smig_object_set_double(k8smig_object *obj, const char *path, double value);
/** As k8smig_object_set_str(). @since 0.1 */
K8SMIG_EXTERN(k8smig_status) k8smig_object_set_bool(k8smig_object *obj, const char *path, bool value);
/** Set an explicit null. As k8smig_object_set_str(). @since 0.1 */
K8SMIG_EXTERN(k8smig_status) k8smig_object_set_null(k8smig_object *obj, const char *path);
/** Set an empty map (replacing what was there). As k8smig_object_set_str(). @since 0.1 */
K8SMIG_EXTERN(k8smig_status) k8smig_object_set_map(k8smig_object *obj, const char *path);
/** Set an empty list (replacing what was there). As k8smig_object_set_str(). @since 0.1 */
K8SMIG_EXTERN(k8smig_status) k8smig_object_set_list(k8smig_object *obj, const char *path);

/**
 * A literal path's memory at one call site, for the calling thread: the path it was given
 * and which compiled form of it (parsed into steps once per thread) it used last. Filled
 * and read only by the k8smig_object_set_*_site() functions; zero-initialized means "not
 * yet". A site given another path, or text that changed, finds the path anew only when the
 * address differs: give a site string literals only.
 * @since 0.2
 */
typedef struct k8smig_path_site {
	const char *path;
	const void *compiled;
	uint64_t serial;
} k8smig_path_site;

/**
 * k8smig_object_set_str(), k8smig_object_set_strn(), k8smig_object_set_int() and
 * k8smig_object_set_bool() with a call site's memory (NULL: none). The macros below call
 * them for a string-literal path, whose text cannot change: the site then finds the path's
 * compiled form without a lookup or a text compare. Results and errors are those of the
 * functions without a site.
 * @since 0.2
 */
K8SMIG_EXTERN(k8smig_status) k8smig_object_set_str_site(k8smig_object *obj, k8smig_path_site *site, const char *path,
                                                        const char *value);
/** As k8smig_object_set_str_site(). @since 0.2 */
K8SMIG_EXTERN(k8smig_status) k8smig_object_set_strn_site(k8smig_object *obj, k8smig_path_site *site, const char *path,
                                                         const char *value, size_t len);
/** As k8smig_object_set_str_site(). @since 0.2 */
K8SMIG_EXTERN(k8smig_status) k8smig_object_set_int_site(k8smig_object *obj, k8smig_path_site *site, const char *path,
                                                        int64_t value);
/** As k8smig_object_set_str_site(). @since 0.2 */
K8SMIG_EXTERN(k8smig_status) k8smig_object_set_bool_site(k8smig_object *obj, k8smig_path_site *site, const char *path,
                                                         bool value);

/*
 * With GCC or Clang, a setter given a string-literal path keeps that path's compiled form in a
 * thread-local static of its call site (each argument is still evaluated once); any other path
 * goes to the function itself. Define K8SMIG_NO_PATH_SITES before including k8smig.h to call
 * the functions directly everywhere; (k8smig_object_set_str)(...) does so at one call.
 */
#if (defined(__GNUC__) || defined(__clang__)) && !defined(SWIG) && !defined(K8SMIG_NO_PATH_SITES)
/* a string literal (or NULL); strlen is never given NULL, not even unevaluated (UBSan checks
 * it), and a pointer to writable memory never has a constant length */
#define K8SMIG__LITERAL(s) \
	(__builtin_constant_p(s) && __builtin_constant_p(__builtin_strlen((__UINTPTR_TYPE__)(s) ? (s) : "")))
#define K8SMIG__PATH_SITE() __extension__({ static __thread k8smig_path_site k8smig__site_; &k8smig__site_; })
#define k8smig_object_set_str(obj, path, value) \
	(K8SMIG__LITERAL(path) ? k8smig_object_set_str_site((obj), K8SMIG__PATH_SITE(), (path), (value)) \
	                       : (k8smig_object_set_str)((obj), (path), (value)))
#define k8smig_object_set_strn(obj, path, value, len) \
	(K8SMIG__LITERAL(path) ? k8smig_object_set_strn_site((obj), K8SMIG__PATH_SITE(), (path), (value), (len)) \
	                       : (k8smig_object_set_strn)((obj), (path), (value), (len)))
#define k8smig_object_set_int(obj, path, value) \
	(K8SMIG__LITERAL(path) ? k8smig_object_set_int_site((obj), K8SMIG__PATH_SITE(), (path), (value)) \
	                       : (k8smig_object_set_int)((obj), (path), (value)))
#define k8smig_object_set_bool(obj, path, value) \
	(K8SMIG__LITERAL(path) ? k8smig_object_set_bool_site((obj), K8SMIG__PATH_SITE(), (path), (value)) \
	                       : (k8smig_object_set_bool)((obj), (path), (value)))
#endif

/**
 * Set path to a deep copy of value, which may belong to any object
 * (including this one). As k8smig_object_set_str().
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_object_set_value(k8smig_object *obj, const char *path, const k8smig_value *value);

/**
 * Remove the field at path. Removing an absent field succeeds.
 * @return 0, K8SMIG_EINVAL (malformed path, or the root)
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_object_unset(k8smig_object *obj, const char *path);

/**
 * Append to the list at path (created when absent).
 * @param index_out (optional) index of the new item
 * @return 0, K8SMIG_EINVAL, K8SMIG_EKIND (path holds something else), K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_object_append_str(size_t *index_out, k8smig_object *obj, const char *path, const char *value);
/** As k8smig_object_append_str(). @since 0.1 */
K8SMIG_EXTERN(k8smig_status) k8smig_object_append_int(size_t *index_out, k8smig_object *obj, const char *path, int64_t value);
/** As k8smig_object_append_str(); appends an empty map to fill by "path[i]...". @since 0.1 */
K8SMIG_EXTERN(k8smig_status) k8smig_object_append_map(size_t *index_out, k8smig_object *obj, const char *path);
/** As k8smig_object_append_str(); appends a deep copy of value. @since 0.1 */
K8SMIG_EXTERN(k8smig_status) k8smig_object_append_value(size_t *index_out, k8smig_object *obj, const char *path, const k8smig_value *value);

/* ---- reading nodes ------------------------------------------------------- */

/** @return the node's type; K8SMIG_TYPE_NULL for a NULL node. @since 0.1 */
K8SMIG_EXTERN(k8smig_type) k8smig_value_type(const k8smig_value *v);
/** @return (borrowed) the string, or NULL when not a string. @since 0.1 */
K8SMIG_EXTERN(const char *) k8smig_value_str(const k8smig_value *v);
/** @return the string's length in bytes, or 0. @since 0.1 */
K8SMIG_EXTERN(size_t) k8smig_value_strlen(const k8smig_value *v);
/** @return the integer, or 0 when not an integer. @since 0.1 */
K8SMIG_EXTERN(int64_t) k8smig_value_int(const k8smig_value *v);
/** @return the number (integers converted), or 0.0. @since 0.1 */
K8SMIG_EXTERN(double) k8smig_value_double(const k8smig_value *v);
/** @return the boolean, or false. @since 0.1 */
K8SMIG_EXTERN(bool) k8smig_value_bool(const k8smig_value *v);
/** @return the number of entries of a map or items of a list, else 0. @since 0.1 */
K8SMIG_EXTERN(size_t) k8smig_value_size(const k8smig_value *v);
/** @return (borrowed) the first entry or item of a container, or NULL. @since 0.1 */
K8SMIG_EXTERN(const k8smig_value *) k8smig_value_first(const k8smig_value *v);
/** @return (borrowed) the next sibling, or NULL at the end. @since 0.1 */
K8SMIG_EXTERN(const k8smig_value *) k8smig_value_next(const k8smig_value *v);
/** @return (borrowed) the key of a map entry, or NULL for a list item. @since 0.1 */
K8SMIG_EXTERN(const char *) k8smig_value_key(const k8smig_value *v);
/** @return (borrowed) the entry of map v with that key, or NULL. @since 0.1 */
K8SMIG_EXTERN(const k8smig_value *) k8smig_value_lookup(const k8smig_value *v, const char *key);
/** @return (borrowed) item i of list v, or NULL. O(i). @since 0.1 */
K8SMIG_EXTERN(const k8smig_value *) k8smig_value_at(const k8smig_value *v, size_t i);
/** Deep equality of two nodes, as k8smig_object_equal(). @since 0.1 */
K8SMIG_EXTERN(bool) k8smig_value_equal(const k8smig_value *a, const k8smig_value *b);

/* ---- lists of objects (the documents of a stream) ----------------------- */

/** @param out (owned) a new empty list. @return 0 or K8SMIG_ENOMEM. @since 0.1 */
K8SMIG_EXTERN(k8smig_status) k8smig_object_list_new(k8smig_object_list **out) K8SMIG_WARN_UNUSED;
/** Free a list and every object in it. Accepts NULL. @since 0.1 */
K8SMIG_EXTERN(void) k8smig_object_list_free(k8smig_object_list *list);
/** @return the number of objects. @since 0.1 */
K8SMIG_EXTERN(size_t) k8smig_object_list_size(const k8smig_object_list *list);
/**
 * Object i of a list, read-only.
 * @return (borrowed) object i, or NULL when out of range; valid until the list
 *         is modified or freed
 * @since 0.1
 */
K8SMIG_EXTERN(const k8smig_object *) k8smig_object_list_get(const k8smig_object_list *list, size_t i);
/**
 * Object i of a list, to modify in place.
 * @return (borrowed) object i, or NULL when out of range
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_object *) k8smig_object_list_get_mut(k8smig_object_list *list, size_t i);
/** Append a deep copy of obj. @return 0, K8SMIG_EINVAL (NULL argument) or K8SMIG_ENOMEM. @since 0.1 */
K8SMIG_EXTERN(k8smig_status) k8smig_object_list_append(k8smig_object_list *list, const k8smig_object *obj);
/**
 * Append obj, taking ownership. obj is freed even when this fails, with one
 * exception: an object this list already holds is refused (K8SMIG_EINVAL) and
 * stays the list's. The object is not moved or copied: values borrowed from it
 * stay valid and the handle still names it (now owned by the list: modify it
 * through the handle or k8smig_object_list_get_mut(), never free it).
 * @return 0; K8SMIG_EINVAL (NULL argument, or taken twice); K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_object_list_append_take(k8smig_object_list *list, k8smig_object *obj);
/**
 * Remove object i from the list without copying it; later objects move down one.
 * @param out (optional, owned) the removed object; NULL frees it
 * @return 0; K8SMIG_ENOTFOUND (i out of range); K8SMIG_EINVAL (NULL list)
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_object_list_remove(k8smig_object **out, k8smig_object_list *list, size_t i);
/**
 * Move every object of `from` to the end of `list`, without copying, and free
 * `from` (stolen even when this fails, when its objects are freed with it).
 * @return 0; K8SMIG_EINVAL (NULL argument, or list == from); K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_object_list_extend_take(k8smig_object_list *list, k8smig_object_list *from);

K8SMIG_END_DECL

#endif /* K8SMIG_OBJECT_H */
