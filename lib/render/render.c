/*
 * lib/render/render.c - k8smig_render(): build a kustomization, then the
 * steps kustomize runs once at the top (hash suffixes, reference fixes,
 * legacy ordering), and convert the result to k8smig_objects.
 */
#include <stdlib.h>
#include <string.h>

#include "render.h"
#include "../model/list.h"

int k8smig_render_options_init(k8smig_render_options *opts, unsigned int version)
{
	k8smig_render_options def = K8SMIG_RENDER_OPTIONS_INIT;
	if (!opts || version != K8SMIG_RENDER_OPTIONS_VERSION)
		return k8smig__error_set(K8SMIG_EINVAL, "", "unknown k8smig_render_options version");
	*opts = def;
	return 0;
}

static int add_hash_suffixes(k8smig__render *ctx, k8smig__rset *set)
{
	size_t i;
	int rc;
	for (i = 0; i < set->n; i++) {
		k8smig__rres *r = set->items[i];
		char suffix[11];
		const char *name;
		if (!r->needs_hash)
			continue;
		if ((rc = k8smig__render_hash_suffix(suffix, r->root)) < 0)
			return rc;
		if (!(name = k8smig__rprintf(&ctx->arena, "%s-%s", k8smig__rres_name(r), suffix)))
			return K8SMIG_ENOMEM;
		if ((rc = k8smig__rres_set_id(&ctx->arena, r, name, NULL)) < 0)
			return rc;
	}
	return 0;
}

/* ---- kustomize's legacy order (kyaml/resid/gvk.go, resmap legacy sort; ranks in kinds.c) -- */

typedef struct sort_key {
	int rank;              /* orderFirst first (negative), others 0, orderLast after */
	const char *group, *version, *kind, *ns, *name;
	size_t input;          /* keeps the sort stable */
	k8smig__rres *res;
} sort_key;

/* kustomize compares "group_version_kind" with "~G", "~V", "~K" standing for empty parts,
 * then namespace ("~X" when empty), then name. */
static int cmp_part(const char *a, const char *b, const char *empty)
{
	return strcmp(a && *a ? a : empty, b && *b ? b : empty);
}

static int cmp_keys(const void *x, const void *y)
{
	const sort_key *a = x, *b = y;
	int c;
	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	if ((c = cmp_part(a->group, b->group, "~G")) || (c = cmp_part(a->version, b->version, "~V")) ||
	    (c = cmp_part(a->kind, b->kind, "~K")) || (c = cmp_part(a->ns, b->ns, "~X")) ||
	    (c = cmp_part(a->name, b->name, "")))
		return c;
	return a->input < b->input ? -1 : a->input > b->input;
}

static int to_list(k8smig__render *ctx, k8smig__rset *set, k8smig_object_list **out)
{
	sort_key *keys;
	k8smig_object_list *list = NULL;
	size_t i;
	int rc;

	if (!(keys = malloc((set->n ? set->n : 1) * sizeof(*keys))))
		return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	for (i = 0; i < set->n; i++) {
		k8smig__rres *r = set->items[i];
		keys[i].rank = k8smig__kind_kustomize_rank(r->kind);
		keys[i].group = r->group;
		keys[i].version = r->version;
		keys[i].kind = r->kind;
		keys[i].ns = k8smig__rres_ns(r);
		keys[i].name = k8smig__rres_name(r);
		keys[i].input = i;
		keys[i].res = r;
	}
	if (!ctx->keep_order && !(ctx->flags & K8SMIG_RENDER_KEEP_ORDER))
		qsort(keys, set->n, sizeof(*keys), cmp_keys);
	if ((rc = k8smig_object_list_new(&list)) < 0)
		goto done;
	for (i = 0; i < set->n; i++) {
		k8smig_object *o;
		if ((rc = k8smig__rnode_to_object(&o, keys[i].res->root)) < 0 ||
		    (rc = k8smig_object_list_append_take(list, o)) < 0)
			goto done;
	}
	*out = list;
	list = NULL;
done:
	k8smig_object_list_free(list);
	free(keys);
	return rc;
}

int k8smig_render(k8smig_object_list **out, const char *dir, const k8smig_render_options *opts)
{
	k8smig__render ctx;
	k8smig__rset set = { NULL, 0, 0 };
	size_t i;
	int rc;

	if (out)
		*out = NULL;
	if (!out || !dir)
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL argument");
	if (opts && opts->version != K8SMIG_RENDER_OPTIONS_VERSION)
		return k8smig__error_set(K8SMIG_EINVAL, "", "unknown k8smig_render_options version %u", opts->version);
	memset(&ctx, 0, sizeof(ctx));
	ctx.flags = opts ? opts->flags : 0;

	if ((rc = k8smig__render_build_dir(&ctx, &set, dir, NULL)) < 0 || (rc = add_hash_suffixes(&ctx, &set)) < 0 ||
	    (rc = k8smig__render_fix_references(&ctx, &set)) < 0)
		goto done;
	rc = to_list(&ctx, &set, out);
done:
	k8smig__rset_free(&set);
	for (i = 0; i < ctx.ninputs; i++)
		k8smig_object_list_free(ctx.inputs[i]);
	free(ctx.inputs);
	free(ctx.stack);
	k8smig__rarena_free(&ctx.arena);
	return rc;
}
