/*
 * lib/render/render.h - internals of k8smig_render() (kustomize build).
 *
 * Rendering rewrites objects many ways (renames, merges, list reordering,
 * JSON pointer edits), so objects are converted once into a mutable
 * pointer tree ("rnode") living in one bump arena per render, transformed,
 * and converted back to k8smig_object at the end. Strings and keys of
 * parsed input are borrowed from the parsed objects, which live as long as
 * the render. Every lookup by identity goes through a hash index, so each
 * transformer is linear in the number of objects.
 *
 * The render is a layer of its own: it uses core, model and the parser
 * (serialize) only, and the migration engine (lib/migrate) does not call it.
 *
 * Files: render.c (entry, top-level steps, sort), render_node.c (arena,
 * tree, conversions, index), render_files.c (errors in a kustomization
 * file, parsing files and inline text, paths and the root restriction),
 * render_load.c (kustomization loading, generators), render_transform.c
 * (namespace, names, labels, images, replicas, references), render_patch.c
 * (strategic merge, JSON 6902, targets), render_hash.c (kustomize's name
 * hash, over lib/core's sha256).
 */
#ifndef K8SMIG_LIB_RENDER_H
#define K8SMIG_LIB_RENDER_H

#include "../model/kinds.h"
#include "../model/tree.h"

/* ---- arena ---------------------------------------------------------------- */

typedef struct k8smig__rchunk k8smig__rchunk;

typedef struct k8smig__rarena {
	k8smig__rchunk *chunks;
	char *cur;
	size_t left;
} k8smig__rarena;

void *k8smig__ralloc(k8smig__rarena *a, size_t size);
char *k8smig__rstrndup(k8smig__rarena *a, const char *s, size_t len);
char *k8smig__rstrdup(k8smig__rarena *a, const char *s);
char *k8smig__rprintf(k8smig__rarena *a, const char *fmt, ...) K8SMIG__PRINTF(2, 3);
void k8smig__rarena_free(k8smig__rarena *a);

/* ---- tree ----------------------------------------------------------------- */

typedef struct k8smig__rnode k8smig__rnode;
struct k8smig__rnode {
	k8smig_type type;
	const char *key;        /* entry of a map, else NULL */
	k8smig__rnode *next;
	union {
		int64_t i;
		double d;
		struct { const char *s; size_t len; } str;
		struct { k8smig__rnode *first, *last; size_t n; } c;
	} u;
};

k8smig__rnode *k8smig__rnode_new(k8smig__rarena *a, k8smig_type type);
k8smig__rnode *k8smig__rnode_str(k8smig__rarena *a, const char *s);
/** Child of a map by key, or NULL (also NULL when m is not a map). */
k8smig__rnode *k8smig__rnode_get(const k8smig__rnode *m, const char *key);
/** The string of map entry key, or NULL. */
const char *k8smig__rnode_get_str(const k8smig__rnode *m, const char *key);
/** Put v under key (replacing an entry with that key, in place). */
void k8smig__rnode_put(k8smig__rnode *m, const char *key, k8smig__rnode *v);
/** The map under key, created (replacing a non-map) when create, else NULL when absent. */
k8smig__rnode *k8smig__rnode_map_at(k8smig__rarena *a, k8smig__rnode *m, const char *key, bool create);
int k8smig__rnode_set_str(k8smig__rarena *a, k8smig__rnode *m, const char *key, const char *value);
/** Remove map entry key; true when it was there. */
bool k8smig__rnode_remove(k8smig__rnode *m, const char *key);
void k8smig__rnode_append(k8smig__rnode *list, k8smig__rnode *item);
/** Unlink child from container c. */
void k8smig__rnode_unlink(k8smig__rnode *c, k8smig__rnode *child);
k8smig__rnode *k8smig__rnode_copy(k8smig__rarena *a, const k8smig__rnode *v);
bool k8smig__rnode_equal(const k8smig__rnode *x, const k8smig__rnode *y);
/** A string's value as a NUL-terminated string, or NULL for other types. */
static inline const char *k8smig__rnode_s(const k8smig__rnode *v)
{
	return v && v->type == K8SMIG_TYPE_STRING ? v->u.str.s : NULL;
}

/** Convert a k8smig_object's tree (borrowing its strings) and back. */
k8smig__rnode *k8smig__rnode_from_value(k8smig__rarena *a, const k8smig_value *v);
int k8smig__rnode_to_object(k8smig_object **out, const k8smig__rnode *root);

/* ---- resources ------------------------------------------------------------ */

/* A name and namespace a resource had before a rename (kustomize's previous ids). */
typedef struct k8smig__rprev {
	const char *name;
	const char *ns;
} k8smig__rprev;

typedef struct k8smig__rres {
	k8smig__rnode *root;
	const char *file;       /* where it came from, for errors */
	int line;
	const char *group, *version, *kind;  /* cached from apiVersion/kind */
	const char *orig_ns;    /* namespace as loaded */
	k8smig__rprev *prev;    /* earlier ids, oldest first */
	size_t nprev, capprev;
	bool needs_hash;        /* generated: gets the content hash suffix at the end */
} k8smig__rres;

typedef struct k8smig__rset {
	k8smig__rres **items;
	size_t n, cap;
} k8smig__rset;

int k8smig__rset_add(k8smig__rset *s, k8smig__rres *r);
void k8smig__rset_free(k8smig__rset *s);

const char *k8smig__rres_name(const k8smig__rres *r);
const char *k8smig__rres_ns(const k8smig__rres *r);
/** Refresh group/version/kind after apiVersion or kind changed. */
void k8smig__rres_identify(k8smig__rarena *a, k8smig__rres *r);
/** Rename and/or move to a namespace, remembering the old id. NULL keeps a part. */
int k8smig__rres_set_id(k8smig__rarena *a, k8smig__rres *r, const char *name, const char *ns);
/** Id string "group/kind/namespace/name" for messages. */
const char *k8smig__rres_id(k8smig__rarena *a, const k8smig__rres *r);

/* ---- hash index: string key -> resources, several per key ---------------- */

typedef struct k8smig__rindex_entry {
	const char *key;
	uint64_t hash;
	k8smig__rres *res;
	struct k8smig__rindex_entry *next;
} k8smig__rindex_entry;

typedef struct k8smig__rindex {
	k8smig__rindex_entry **buckets;
	size_t nbuckets, n;
} k8smig__rindex;

int k8smig__rindex_init(k8smig__rindex *ix, size_t expected);
int k8smig__rindex_add(k8smig__rarena *a, k8smig__rindex *ix, const char *key, k8smig__rres *r);
/** First entry for key; walk on with k8smig__rindex_next(). */
k8smig__rindex_entry *k8smig__rindex_find(const k8smig__rindex *ix, const char *key);
k8smig__rindex_entry *k8smig__rindex_next(k8smig__rindex_entry *e);
void k8smig__rindex_free(k8smig__rindex *ix);
/** Index key for (group, kind, namespace, name); "" stands for absent parts. */
const char *k8smig__rkey(k8smig__rarena *a, const char *group, const char *kind, const char *ns, const char *name);

/* ---- render context -------------------------------------------------------- */

typedef struct k8smig__render {
	k8smig__rarena arena;
	unsigned int flags;
	k8smig_object_list **inputs;   /* parsed files kept alive: the tree borrows their strings */
	size_t ninputs, capinputs;
	char **stack;                  /* real paths of kustomizations being built (cycles) */
	size_t depth;
	bool keep_order;               /* top kustomization asked for sortOptions: fifo */
} k8smig__render;

/** Parse a file (kept alive in ctx). Errors name the file. */
int k8smig__render_parse_file(k8smig__render *ctx, k8smig_object_list **out, const char *path);
/** Parse text (kept alive in ctx); source names it in errors, line_offset shifts error lines. */
int k8smig__render_parse_text(k8smig__render *ctx, k8smig_object_list **out, const char *text, size_t len,
                              const char *source, int line_offset);

/** Build the kustomization in dir into set (recursive; no hash suffixes or reference fixes yet). */
int k8smig__render_build_dir(k8smig__render *ctx, k8smig__rset *set, const char *dir, const char *via);

/* transformers (render_transform.c) */
int k8smig__render_namespace(k8smig__render *ctx, k8smig__rset *set, const char *ns);
int k8smig__render_prefix_suffix(k8smig__render *ctx, k8smig__rset *set, const char *prefix, const char *suffix);
/** Labels with the field specs kustomize uses: 0 metadata only, 1 plus templates, 2 plus selectors. */
int k8smig__render_labels(k8smig__render *ctx, k8smig__rset *set, const k8smig__rnode *pairs, int reach, const char *path);
int k8smig__render_annotations(k8smig__render *ctx, k8smig__rset *set, const k8smig__rnode *pairs, const char *path);
int k8smig__render_images(k8smig__render *ctx, k8smig__rset *set, const k8smig__rnode *images, const char *path);
int k8smig__render_replicas(k8smig__render *ctx, k8smig__rset *set, const k8smig__rnode *replicas, const char *path);
int k8smig__render_fix_references(k8smig__render *ctx, k8smig__rset *set);

/* patches (render_patch.c) */
int k8smig__render_patches(k8smig__render *ctx, k8smig__rset *set, const k8smig__rnode *patches, const char *dir,
                           const char *kfile);
int k8smig__render_patches_sm(k8smig__render *ctx, k8smig__rset *set, const k8smig__rnode *patches, const char *dir,
                              const char *kfile);
int k8smig__render_patches_json6902(k8smig__render *ctx, k8smig__rset *set, const k8smig__rnode *patches,
                                    const char *dir, const char *kfile);
/** Strategic merge of patch into dst (exposed for tests). Returns 1 when dst is to be deleted. */
int k8smig__smp_merge(k8smig__rarena *a, k8smig__rnode *dst, const k8smig__rnode *patch);
/** Apply a JSON 6902 operation list to *root (exposed for tests). Error path "[i]" of the op. */
int k8smig__json6902_apply(k8smig__rarena *a, k8smig__rnode *root, const k8smig__rnode *ops);

/* hash (render_hash.c; sha256 is lib/core's k8smig__sha256) */
/** kustomize's name suffix for a generated ConfigMap or Secret: 10 characters + NUL. */
int k8smig__render_hash_suffix(char out[11], const k8smig__rnode *root);
/** Go encoding/json string escaping (HTML-safe), appended to b. */
int k8smig__go_json_string(k8smig__buf *b, const char *s, size_t len);

/* files (render_files.c) */
/** Set the error (code, field path, message) and name kfile (when not NULL) as its file. @return code */
int k8smig__render_error(int code, const char *kfile, const char *path, const char *fmt, ...) K8SMIG__PRINTF(4, 5);
/**
 * Place the error a step of one kustomization entry set: field (e.g. "patches[2]") goes in
 * front of its field path, and file becomes its file (when unset_only, only if it names none
 * yet: a parse error keeps the file it names). @return rc
 */
int k8smig__render_locate(int rc, const char *field, const char *file, bool unset_only);
/** rel under dir (rel itself when absolute), in the arena; NULL when out of memory. */
const char *k8smig__render_join(k8smig__rarena *a, const char *dir, const char *rel);
bool k8smig__render_exists(const char *path);
bool k8smig__render_is_dir(const char *path);
/** Check a path stays under root (kustomize LoadRestrictionsRootOnly). */
int k8smig__render_check_under(const k8smig__render *ctx, const char *root, const char *path, const char *field,
                               const char *kfile);

#endif
