/*
 * lib/render/render_load.c - read a kustomization directory: its
 * kustomization file, resources (files and nested kustomizations),
 * generators, then its transformers in kustomize's order.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"
#include "../model/list.h"

/* ---- kustomization fields ---------------------------------------------------- */

static const char *const supported_fields[] = {
	"apiVersion", "kind", "metadata", "resources", "bases", "namespace", "namePrefix", "nameSuffix",
	"labels", "commonLabels", "commonAnnotations", "images", "replicas", "patches", "patchesStrategicMerge",
	"patchesJson6902", "configMapGenerator", "secretGenerator", "generatorOptions", "sortOptions",
};

/* Real kustomize fields this renderer does not implement: refuse rather than ignore. */
static const char *const unsupported_fields[] = {
	"components", "crds", "configurations", "generators", "transformers", "validators", "vars",
	"replacements", "openapi", "helmCharts", "helmGlobals", "helmChartInflationGenerator", "buildMetadata",
	"inventory",
};

static int check_fields(const k8smig__rnode *k, const char *kfile)
{
	const k8smig__rnode *c;
	size_t i;
	for (c = k->u.c.first; c; c = c->next) {
		bool known = false;
		for (i = 0; i < sizeof(supported_fields) / sizeof(*supported_fields) && !known; i++)
			known = strcmp(c->key, supported_fields[i]) == 0;
		if (known)
			continue;
		for (i = 0; i < sizeof(unsupported_fields) / sizeof(*unsupported_fields); i++)
			if (strcmp(c->key, unsupported_fields[i]) == 0) {
				if (c->type == K8SMIG_TYPE_NULL || ((c->type == K8SMIG_TYPE_LIST || c->type == K8SMIG_TYPE_MAP) && !c->u.c.n))
					goto next;
				return k8smig__render_error(K8SMIG_EINVAL, kfile, c->key, "kustomization field '%s' is not supported by k8smig render",
				            c->key);
			}
		return k8smig__render_error(K8SMIG_EINVAL, kfile, c->key, "invalid Kustomization: unknown field \"%s\"", c->key);
next:;
	}
	return 0;
}

/* The field when it has type t (absent or null gives NULL), else an error naming it. */
static int want(const k8smig__rnode *k, const char *field, const char *kfile, k8smig_type t,
                const k8smig__rnode **out)
{
	const k8smig__rnode *v = k8smig__rnode_get(k, field);
	*out = NULL;
	if (!v || v->type == K8SMIG_TYPE_NULL)
		return 0;
	if (v->type != t)
		return k8smig__render_error(K8SMIG_EINVAL, kfile, field, "must be a %s",
		                            t == K8SMIG_TYPE_LIST ? "list" : t == K8SMIG_TYPE_MAP ? "map" : "string");
	*out = v;
	return 0;
}

static int want_list(const k8smig__rnode *k, const char *field, const char *kfile, const k8smig__rnode **out)
{
	return want(k, field, kfile, K8SMIG_TYPE_LIST, out);
}

static int want_map(const k8smig__rnode *k, const char *field, const char *kfile, const k8smig__rnode **out)
{
	return want(k, field, kfile, K8SMIG_TYPE_MAP, out);
}

static int want_str(const k8smig__rnode *k, const char *field, const char *kfile, const char **out)
{
	const k8smig__rnode *v;
	int rc = want(k, field, kfile, K8SMIG_TYPE_STRING, &v);
	*out = v ? v->u.str.s : NULL;
	return rc;
}

/* A map of string values (labels, annotations); other scalars are refused as kustomize does. */
static int check_string_map(const k8smig__rnode *m, const char *path, const char *kfile)
{
	const k8smig__rnode *c;
	if (!m)
		return 0;
	if (m->type != K8SMIG_TYPE_MAP)
		return k8smig__render_error(K8SMIG_EINVAL, kfile, path, "must be a map of strings");
	for (c = m->u.c.first; c; c = c->next)
		if (c->type != K8SMIG_TYPE_STRING) {
			char full[256];
			snprintf(full, sizeof(full), "%s[%s]", path, c->key);
			return k8smig__render_error(K8SMIG_EINVAL, kfile, full, "must be a string (quote it: YAML reads it as a %s)",
			            c->type == K8SMIG_TYPE_BOOL ? "boolean" : c->type == K8SMIG_TYPE_NULL ? "null" : "number");
		}
	return 0;
}

/* ---- resources ---------------------------------------------------------------- */

static int add_object(k8smig__render *ctx, k8smig__rset *set, const k8smig_object *obj, const k8smig_value *root,
                      const char *file, int line)
{
	k8smig__rres *r = k8smig__ralloc(&ctx->arena, sizeof(*r));
	const char *name;
	if (!r)
		return K8SMIG_ENOMEM;
	memset(r, 0, sizeof(*r));
	(void)obj;
	if (!(r->root = k8smig__rnode_from_value(&ctx->arena, root)))
		return K8SMIG_ENOMEM;
	r->file = file;
	r->line = line;
	k8smig__rres_identify(&ctx->arena, r);
	name = k8smig__rres_name(r);
	if (!r->kind[0] || !name || !name[0]) {
		int rc = k8smig__render_error(K8SMIG_EINVAL, file, r->kind[0] ? "metadata.name" : "kind",
		              "resource has no %s", r->kind[0] ? "metadata.name" : "kind");
		k8smig__error_set_position(line, 1);
		return rc;
	}
	r->orig_ns = k8smig__rres_ns(r);
	return k8smig__rset_add(set, r);
}

static int load_resource_file(k8smig__render *ctx, k8smig__rset *set, const char *path)
{
	k8smig_object_list *docs;
	const char *file = k8smig__rstrdup(&ctx->arena, path);
	size_t i;
	int rc;

	if (!file)
		return K8SMIG_ENOMEM;
	if ((rc = k8smig__render_parse_file(ctx, &docs, path)) < 0)
		return rc;
	for (i = 0; i < docs->n; i++) {
		const k8smig_object *o = docs->items[i];
		const k8smig_value *root = k8smig_object_get(o, NULL), *items = k8smig_object_get(o, "items");
		const char *kind = k8smig_object_kind(o);
		int line = 0;
		k8smig_object_source(o, &line);
		if (kind && strcmp(kind, "List") == 0 && k8smig_value_type(items) == K8SMIG_TYPE_LIST) {
			const k8smig_value *it;
			/* a v1 List is expanded into its items, as kustomize does */
			for (it = k8smig_value_first(items); it; it = k8smig_value_next(it))
				if (k8smig_value_type(it) == K8SMIG_TYPE_MAP && (rc = add_object(ctx, set, o, it, file, line)) < 0)
					return rc;
			continue;
		}
		if ((rc = add_object(ctx, set, o, root, file, line)) < 0)
			return rc;
	}
	return 0;
}

/* kustomize refuses two resources with one id ("already registered id"). */
static int check_unique(k8smig__render *ctx, const k8smig__rset *set, const char *kfile)
{
	k8smig__rindex ix;
	size_t i;
	int rc;

	if ((rc = k8smig__rindex_init(&ix, set->n)) < 0)
		return rc;
	for (i = 0; i < set->n && rc == 0; i++) {
		k8smig__rres *r = set->items[i];
		const char *key = k8smig__rkey(&ctx->arena, r->group, r->kind, k8smig__rres_ns(r), k8smig__rres_name(r));
		if (!key) {
			rc = K8SMIG_ENOMEM;
			break;
		}
		if (k8smig__rindex_find(&ix, key)) {
			rc = k8smig__render_error(K8SMIG_EINVAL, r->file, "metadata.name",
			          "may not add resource with an already registered id: %s (in %s)",
			          k8smig__rres_id(&ctx->arena, r), kfile);
			k8smig__error_set_position(r->line, 1);
			break;
		}
		rc = k8smig__rindex_add(&ctx->arena, &ix, key, r);
	}
	k8smig__rindex_free(&ix);
	return rc;
}

static bool is_remote(const char *s)
{
	return strstr(s, "://") || strncmp(s, "github.com/", 11) == 0 || strncmp(s, "git@", 4) == 0;
}

static int load_resources(k8smig__render *ctx, k8smig__rset *set, const k8smig__rnode *list, const char *field,
                          const char *dir, const char *kfile)
{
	const k8smig__rnode *c;
	size_t i = 0;
	int rc;

	if (!list)
		return 0;
	for (c = list->u.c.first; c; c = c->next, i++) {
		const char *entry = k8smig__rnode_s(c), *path;
		char fpath[64];
		snprintf(fpath, sizeof(fpath), "%s[%zu]", field, i);
		if (!entry || !entry[0])
			return k8smig__render_error(K8SMIG_EINVAL, kfile, fpath, "must be a path");
		if (is_remote(entry))
			return k8smig__render_error(K8SMIG_EINVAL, kfile, fpath, "remote resource '%s' is not supported by k8smig render", entry);
		if (!(path = k8smig__render_join(&ctx->arena, dir, entry)))
			return K8SMIG_ENOMEM;
		if (!k8smig__render_exists(path))
			return k8smig__render_error(K8SMIG_ENOTFOUND, path, fpath, "no such file or directory (named in %s)", kfile);
		if (k8smig__render_is_dir(path)) {
			if ((rc = k8smig__render_build_dir(ctx, set, path, kfile)) < 0)
				return rc;
		} else {
			if ((rc = k8smig__render_check_under(ctx, dir, path, fpath, kfile)) < 0 ||
			    (rc = load_resource_file(ctx, set, path)) < 0)
				return rc;
		}
	}
	return 0;
}

/* ---- generators --------------------------------------------------------------- */

typedef struct gen_opts {
	const k8smig__rnode *labels, *annotations;   /* maps, or NULL */
	const k8smig__rnode *glabels, *gannotations; /* generatorOptions: they win */
	bool no_hash, immutable;
} gen_opts;

static int put_pair(k8smig__render *ctx, k8smig__rnode *data, const char *key, const char *value, size_t len,
                    bool base64, const char *kfile, const char *path)
{
	k8smig__rnode *v;
	if (!key[0])
		return k8smig__render_error(K8SMIG_EINVAL, kfile, path, "empty key");
	if (k8smig__rnode_get(data, key))
		return k8smig__render_error(K8SMIG_EINVAL, kfile, path, "the key '%s' is repeated", key);
	if (!(v = k8smig__rnode_new(&ctx->arena, K8SMIG_TYPE_STRING)))
		return K8SMIG_ENOMEM;
	if (base64) {
		size_t n = K8SMIG__BASE64_LEN(len), o;
		char *out = k8smig__ralloc(&ctx->arena, 2 * n + 2);
		if (!out)
			return K8SMIG_ENOMEM;
		o = k8smig__base64_encode(out, value, len);
		if (n >= 70) {
			/* kustomize's encodeBase64 breaks long values into lines of 70, each ending in '\n' */
			size_t w = 0, r;
			char *wrapped = out + n + 1;
			for (r = 0; r < n; r += 70) {
				size_t chunk = n - r < 70 ? n - r : 70;
				memcpy(wrapped + w, out + r, chunk);
				w += chunk;
				wrapped[w++] = '\n';
			}
			out = wrapped;
			o = w;
		}
		out[o] = '\0';
		v->u.str.s = out;
		v->u.str.len = o;
	} else {
		if (!(v->u.str.s = k8smig__rstrndup(&ctx->arena, value, len)))
			return K8SMIG_ENOMEM;
		v->u.str.len = len;
	}
	if (!(key = k8smig__rstrdup(&ctx->arena, key)))
		return K8SMIG_ENOMEM;
	k8smig__rnode_put(data, key, v);
	return 0;
}

/* kustomize strips one pair of matching surrounding quotes from a literal value. */
static void unquote(const char **v, size_t *len)
{
	if (*len >= 2 && (*v)[0] == (*v)[*len - 1] && ((*v)[0] == '"' || (*v)[0] == '\''))
		(*v)++, *len -= 2;
}

static int read_env_file(k8smig__render *ctx, k8smig__rnode *data, k8smig__rnode *binary, bool secret,
                         const char *path, const char *kfile, const char *field)
{
	char *text;
	size_t len, lineno = 0;
	const char *p, *end;
	int rc;
	(void)binary;

	if ((rc = k8smig__read_file(&text, &len, path, 256u << 20)) < 0)
		return rc;
	p = text;
	end = text + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *le = nl ? nl : end, *eq, *key;
		size_t llen;
		lineno++;
		if (lineno == 1 && le - p >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
			p += 3;
		while (p < le && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\v' || *p == '\f'))
			p++;
		llen = (size_t)(le - p);
		if (llen && p[llen - 1] == '\r')
			llen--;
		if (llen && p[0] != '#') {
			eq = memchr(p, '=', llen);
			key = k8smig__rstrndup(&ctx->arena, p, eq ? (size_t)(eq - p) : llen);
			if (!key) {
				rc = K8SMIG_ENOMEM;
				break;
			}
			if (eq)
				rc = put_pair(ctx, data, key, eq + 1, llen - (size_t)(eq + 1 - p), secret, kfile, field);
			else {
				/* a bare KEY takes its value from the environment, as kustomize does */
				const char *env = getenv(key);
				rc = put_pair(ctx, data, key, env ? env : "", env ? strlen(env) : 0, secret, kfile, field);
			}
			if (rc < 0)
				break;
		}
		p = nl ? nl + 1 : end;
	}
	k8smig_free(text);
	return rc;
}

static int gen_sources(k8smig__render *ctx, const k8smig__rnode *g, k8smig__rnode *data, k8smig__rnode *binary,
                       bool secret, const char *dir, const char *kfile, const char *gpath)
{
	const k8smig__rnode *list, *c;
	char path[128];
	size_t i;
	int rc;

	if ((list = k8smig__rnode_get(g, "literals")) && list->type == K8SMIG_TYPE_LIST) {
		for (c = list->u.c.first, i = 0; c; c = c->next, i++) {
			const char *s = k8smig__rnode_s(c), *eq, *val;
			size_t vlen;
			snprintf(path, sizeof(path), "%s.literals[%zu]", gpath, i);
			if (!s || !(eq = strchr(s, '=')) || eq == s)
				return k8smig__render_error(K8SMIG_EINVAL, kfile, path, "invalid literal source, expected key=value");
			val = eq + 1;
			vlen = strlen(val);
			unquote(&val, &vlen);
			if ((rc = put_pair(ctx, data, k8smig__rstrndup(&ctx->arena, s, (size_t)(eq - s)), val, vlen, secret,
			                   kfile, path)) < 0)
				return rc;
		}
	}
	if ((list = k8smig__rnode_get(g, "files")) && list->type == K8SMIG_TYPE_LIST) {
		for (c = list->u.c.first, i = 0; c; c = c->next, i++) {
			const char *s = k8smig__rnode_s(c), *eq, *rel, *key, *full, *slash;
			char *text;
			size_t len;
			snprintf(path, sizeof(path), "%s.files[%zu]", gpath, i);
			if (!s || !s[0])
				return k8smig__render_error(K8SMIG_EINVAL, kfile, path, "must be a file path");
			eq = strchr(s, '=');
			rel = eq ? eq + 1 : s;
			slash = strrchr(rel, '/');
			key = eq ? k8smig__rstrndup(&ctx->arena, s, (size_t)(eq - s)) : (slash ? slash + 1 : rel);
			if (!key || !(full = k8smig__render_join(&ctx->arena, dir, rel)))
				return K8SMIG_ENOMEM;
			if (!k8smig__render_exists(full))
				return k8smig__render_error(K8SMIG_ENOTFOUND, full, path, "no such file (named in %s)", kfile);
			if ((rc = k8smig__render_check_under(ctx, dir, full, path, kfile)) < 0)
				return rc;
			if ((rc = k8smig__read_file(&text, &len, full, 256u << 20)) < 0)
				return k8smig__render_locate(rc, path, NULL, false);
			if (secret || k8smig__utf8_valid(text, len))
				rc = put_pair(ctx, data, key, text, len, secret, kfile, path);
			else  /* not text: kustomize puts it in binaryData, base64 */
				rc = put_pair(ctx, binary, key, text, len, true, kfile, path);
			k8smig_free(text);
			if (rc < 0)
				return rc;
		}
	}
	for (i = 0; i < 2; i++) {
		/* envs: [files], and the older env: file */
		const k8smig__rnode *one = k8smig__rnode_get(g, i ? "env" : "envs");
		size_t j = 0;
		if (!one)
			continue;
		for (c = one->type == K8SMIG_TYPE_LIST ? one->u.c.first : one; c; c = one->type == K8SMIG_TYPE_LIST ? c->next : NULL, j++) {
			const char *s = k8smig__rnode_s(c), *full;
			if (i)
				snprintf(path, sizeof(path), "%s.env", gpath);
			else
				snprintf(path, sizeof(path), "%s.envs[%zu]", gpath, j);
			if (!s || !s[0])
				return k8smig__render_error(K8SMIG_EINVAL, kfile, path, "must be a file path");
			if (!(full = k8smig__render_join(&ctx->arena, dir, s)))
				return K8SMIG_ENOMEM;
			if (!k8smig__render_exists(full))
				return k8smig__render_error(K8SMIG_ENOTFOUND, full, path, "no such file (named in %s)", kfile);
			if ((rc = k8smig__render_check_under(ctx, dir, full, path, kfile)) < 0 ||
			    (rc = read_env_file(ctx, data, binary, secret, full, kfile, path)) < 0)
				return rc;
		}
	}
	return 0;
}

static int merge_string_map(k8smig__render *ctx, k8smig__rnode *meta, const char *field, const k8smig__rnode *src)
{
	k8smig__rnode *dst;
	const k8smig__rnode *c;
	if (!src || src->type != K8SMIG_TYPE_MAP || !src->u.c.n)
		return 0;
	if (!(dst = k8smig__rnode_map_at(&ctx->arena, meta, field, true)))
		return K8SMIG_ENOMEM;
	for (c = src->u.c.first; c; c = c->next) {
		k8smig__rnode *v = k8smig__rnode_copy(&ctx->arena, c);
		if (!v)
			return K8SMIG_ENOMEM;
		k8smig__rnode_put(dst, c->key, v);
	}
	return 0;
}

static int run_generator(k8smig__render *ctx, k8smig__rset *set, const k8smig__rnode *g, bool secret,
                         const gen_opts *global, const char *dir, const char *kfile, const char *gpath)
{
	const char *kind = secret ? "Secret" : "ConfigMap";
	const char *name, *ns, *behavior, *type;
	const k8smig__rnode *opts = k8smig__rnode_get(g, "options");
	k8smig__rnode *root, *meta, *data, *binary;
	gen_opts o = *global;
	k8smig__rres *r;
	char path[128];
	size_t i;
	int rc;

	if (g->type != K8SMIG_TYPE_MAP)
		return k8smig__render_error(K8SMIG_EINVAL, kfile, gpath, "must be a map");
	name = k8smig__rnode_get_str(g, "name");
	ns = k8smig__rnode_get_str(g, "namespace");
	behavior = k8smig__rnode_get_str(g, "behavior");
	type = k8smig__rnode_get_str(g, "type");
	snprintf(path, sizeof(path), "%s.name", gpath);
	if (!name || !name[0])
		return k8smig__render_error(K8SMIG_EINVAL, kfile, path, "a generator needs a name");
	snprintf(path, sizeof(path), "%s.behavior", gpath);
	if (behavior && strcmp(behavior, "create") && strcmp(behavior, "merge") && strcmp(behavior, "replace") &&
	    behavior[0])
		return k8smig__render_error(K8SMIG_EINVAL, kfile, path, "behavior must be create, merge or replace, not '%s'", behavior);
	if (opts) {
		const k8smig__rnode *v;
		snprintf(path, sizeof(path), "%s.options", gpath);
		if (opts->type != K8SMIG_TYPE_MAP)
			return k8smig__render_error(K8SMIG_EINVAL, kfile, path, "must be a map");
		o.labels = k8smig__rnode_get(opts, "labels");
		o.annotations = k8smig__rnode_get(opts, "annotations");
		snprintf(path, sizeof(path), "%s.options.labels", gpath);
		if ((rc = check_string_map(o.labels, path, kfile)) < 0)
			return rc;
		snprintf(path, sizeof(path), "%s.options.annotations", gpath);
		if ((rc = check_string_map(o.annotations, path, kfile)) < 0)
			return rc;
		if ((v = k8smig__rnode_get(opts, "disableNameSuffixHash")) && v->type == K8SMIG_TYPE_BOOL && v->u.i)
			o.no_hash = true;
		if ((v = k8smig__rnode_get(opts, "immutable")) && v->type == K8SMIG_TYPE_BOOL && v->u.i)
			o.immutable = true;
	}

	if (!(root = k8smig__rnode_new(&ctx->arena, K8SMIG_TYPE_MAP)) ||
	    k8smig__rnode_set_str(&ctx->arena, root, "apiVersion", "v1") < 0 ||
	    k8smig__rnode_set_str(&ctx->arena, root, "kind", kind) < 0 ||
	    !(meta = k8smig__rnode_map_at(&ctx->arena, root, "metadata", true)) ||
	    k8smig__rnode_set_str(&ctx->arena, meta, "name", name) < 0 ||
	    (ns && k8smig__rnode_set_str(&ctx->arena, meta, "namespace", ns) < 0) ||
	    !(data = k8smig__rnode_new(&ctx->arena, K8SMIG_TYPE_MAP)) ||
	    !(binary = k8smig__rnode_new(&ctx->arena, K8SMIG_TYPE_MAP)))
		return K8SMIG_ENOMEM;
	/* generatorOptions first; an entry's own options win */
	if ((rc = merge_string_map(ctx, meta, "labels", o.glabels)) < 0 ||
	    (rc = merge_string_map(ctx, meta, "labels", o.labels)) < 0 ||
	    (rc = merge_string_map(ctx, meta, "annotations", o.gannotations)) < 0 ||
	    (rc = merge_string_map(ctx, meta, "annotations", o.annotations)) < 0)
		return rc;
	if ((rc = gen_sources(ctx, g, data, binary, secret, dir, kfile, gpath)) < 0)
		return rc;
	if (data->u.c.n)
		k8smig__rnode_put(root, "data", data);
	if (binary->u.c.n)
		k8smig__rnode_put(root, "binaryData", binary);
	if (secret && k8smig__rnode_set_str(&ctx->arena, root, "type", type && type[0] ? type : "Opaque") < 0)
		return K8SMIG_ENOMEM;
	if (o.immutable) {
		k8smig__rnode *t = k8smig__rnode_new(&ctx->arena, K8SMIG_TYPE_BOOL);
		if (!t)
			return K8SMIG_ENOMEM;
		t->u.i = 1;
		k8smig__rnode_put(root, "immutable", t);
	}

	if (behavior && (strcmp(behavior, "merge") == 0 || strcmp(behavior, "replace") == 0)) {
		/* find the object it changes: same kind, same namespace, current or earlier name */
		k8smig__rres *target = NULL;
		for (i = 0; i < set->n && !target; i++) {
			k8smig__rres *e = set->items[i];
			const char *ens = k8smig__rres_ns(e);
			size_t j;
			if (strcmp(e->kind, kind) != 0 || strcmp(ens ? ens : "", ns ? ns : "") != 0)
				continue;
			if (strcmp(k8smig__rres_name(e), name) == 0)
				target = e;
			for (j = 0; j < e->nprev && !target; j++)
				if (strcmp(e->prev[j].name, name) == 0)
					target = e;
		}
		snprintf(path, sizeof(path), "%s.behavior", gpath);
		if (!target)
			return k8smig__render_error(K8SMIG_EINVAL, kfile, path, "%s %s does not exist; cannot %s it", kind, name, behavior);
		{
			k8smig__rnode *tmeta = k8smig__rnode_map_at(&ctx->arena, target->root, "metadata", true);
			const char *f[2] = { "data", "binaryData" };
			if (!tmeta)
				return K8SMIG_ENOMEM;
			for (i = 0; i < 2; i++) {
				k8smig__rnode *src = k8smig__rnode_get(root, f[i]);
				if (behavior[0] == 'r')
					k8smig__rnode_remove(target->root, f[i]);
				if (src && (rc = merge_string_map(ctx, target->root, f[i], src)) < 0)
					return rc;
			}
			if ((rc = merge_string_map(ctx, tmeta, "labels", k8smig__rnode_get(meta, "labels"))) < 0 ||
			    (rc = merge_string_map(ctx, tmeta, "annotations", k8smig__rnode_get(meta, "annotations"))) < 0)
				return rc;
			if (o.no_hash)
				target->needs_hash = false;
		}
		return 0;
	}

	/* create: the id must be new */
	for (i = 0; i < set->n; i++) {
		k8smig__rres *e = set->items[i];
		const char *ens = k8smig__rres_ns(e);
		if (strcmp(e->kind, kind) == 0 && strcmp(k8smig__rres_name(e), name) == 0 &&
		    strcmp(ens ? ens : "", ns ? ns : "") == 0) {
			snprintf(path, sizeof(path), "%s.name", gpath);
			return k8smig__render_error(K8SMIG_EINVAL, kfile, path,
			            "%s %s already exists; use behavior merge or replace to change it", kind, name);
		}
	}
	if (!(r = k8smig__ralloc(&ctx->arena, sizeof(*r))))
		return K8SMIG_ENOMEM;
	memset(r, 0, sizeof(*r));
	r->root = root;
	r->file = kfile;
	k8smig__rres_identify(&ctx->arena, r);
	r->orig_ns = ns;
	r->needs_hash = !o.no_hash;
	return k8smig__rset_add(set, r);
}

static int run_generators(k8smig__render *ctx, k8smig__rset *set, const k8smig__rnode *k, const char *dir,
                          const char *kfile)
{
	const k8smig__rnode *go, *list, *c, *v;
	gen_opts global;
	int rc, s;

	memset(&global, 0, sizeof(global));
	if ((rc = want_map(k, "generatorOptions", kfile, &go)) < 0)
		return rc;
	if (go) {
		global.glabels = k8smig__rnode_get(go, "labels");
		global.gannotations = k8smig__rnode_get(go, "annotations");
		if ((rc = check_string_map(global.glabels, "generatorOptions.labels", kfile)) < 0 ||
		    (rc = check_string_map(global.gannotations, "generatorOptions.annotations", kfile)) < 0)
			return rc;
		if ((v = k8smig__rnode_get(go, "disableNameSuffixHash")) && v->type == K8SMIG_TYPE_BOOL && v->u.i)
			global.no_hash = true;
		if ((v = k8smig__rnode_get(go, "immutable")) && v->type == K8SMIG_TYPE_BOOL && v->u.i)
			global.immutable = true;
	}
	for (s = 0; s < 2; s++) {
		const char *field = s ? "secretGenerator" : "configMapGenerator";
		size_t i = 0;
		if ((rc = want_list(k, field, kfile, &list)) < 0)
			return rc;
		for (c = list ? list->u.c.first : NULL; c; c = c->next, i++) {
			char gpath[64];
			snprintf(gpath, sizeof(gpath), "%s[%zu]", field, i);
			if ((rc = run_generator(ctx, set, c, s == 1, &global, dir, kfile, gpath)) < 0)
				return rc;
		}
	}
	return 0;
}

/* ---- one kustomization ---------------------------------------------------------- */

static int find_kustomization(k8smig__render *ctx, const char *dir, const char **out)
{
	static const char *const names[] = { "kustomization.yaml", "kustomization.yml", "Kustomization" };
	const char *found = NULL;
	size_t i;

	*out = NULL;
	for (i = 0; i < 3; i++) {
		const char *p = k8smig__rprintf(&ctx->arena, "%s/%s", dir, names[i]);
		if (!p)
			return K8SMIG_ENOMEM;
		if (k8smig__render_exists(p) && !k8smig__render_is_dir(p)) {
			if (found)
				return k8smig__render_error(K8SMIG_EINVAL, dir, "",
				            "found multiple kustomization files (%s and %s); keep one", found, names[i]);
			found = p;
		}
	}
	if (!found)
		return k8smig__render_error(K8SMIG_ENOTFOUND, dir, "",
		            "no kustomization.yaml, kustomization.yml or Kustomization in this directory");
	/* kustomize reads the kustomization file through its load restrictor too: a symbolic link
	   to a file outside the directory is refused (kubectl kustomize: "unable to find one of
	   'kustomization.yaml', ..."), one to a file inside is read */
	{
		int rc = k8smig__render_check_under(ctx, dir, found, "", found);
		if (rc < 0)
			return rc;
	}
	*out = found;
	return 0;
}

static int run_transformers(k8smig__render *ctx, k8smig__rset *set, const k8smig__rnode *k, const char *dir,
                            const char *kfile)
{
	const k8smig__rnode *list, *map, *c;
	const char *ns, *prefix, *suffix;
	size_t i;
	int rc;

	if ((rc = want_list(k, "patchesStrategicMerge", kfile, &list)) < 0 ||
	    (list && (rc = k8smig__render_patches_sm(ctx, set, list, dir, kfile)) < 0))
		return rc;
	if ((rc = want_list(k, "patches", kfile, &list)) < 0 ||
	    (list && (rc = k8smig__render_patches(ctx, set, list, dir, kfile)) < 0))
		return rc;
	if ((rc = want_str(k, "namespace", kfile, &ns)) < 0 ||
	    (ns && ns[0] && (rc = k8smig__render_namespace(ctx, set, ns)) < 0))
		return rc;
	if ((rc = want_str(k, "namePrefix", kfile, &prefix)) < 0 || (rc = want_str(k, "nameSuffix", kfile, &suffix)) < 0)
		return rc;
	if (((prefix && prefix[0]) || (suffix && suffix[0])) &&
	    (rc = k8smig__render_prefix_suffix(ctx, set, prefix ? prefix : "", suffix ? suffix : "")) < 0)
		return rc;
	if ((rc = want_list(k, "labels", kfile, &list)) < 0)
		return rc;
	for (c = list ? list->u.c.first : NULL, i = 0; c; c = c->next, i++) {
		const k8smig__rnode *pairs = k8smig__rnode_get(c, "pairs"), *sel, *tpl;
		char path[64];
		int reach = 0;
		snprintf(path, sizeof(path), "labels[%zu].pairs", i);
		if (c->type != K8SMIG_TYPE_MAP)
			return k8smig__render_error(K8SMIG_EINVAL, kfile, path, "labels entries are maps with pairs");
		if ((rc = check_string_map(pairs, path, kfile)) < 0)
			return rc;
		sel = k8smig__rnode_get(c, "includeSelectors");
		tpl = k8smig__rnode_get(c, "includeTemplates");
		if (sel && sel->type == K8SMIG_TYPE_BOOL && sel->u.i)
			reach = 2;
		else if (tpl && tpl->type == K8SMIG_TYPE_BOOL && tpl->u.i)
			reach = 1;
		if (k8smig__rnode_get(c, "fields"))
			return k8smig__render_error(K8SMIG_EINVAL, kfile, path, "labels[].fields is not supported by k8smig render");
		if (pairs && (rc = k8smig__render_labels(ctx, set, pairs, reach, path)) < 0)
			return rc;
	}
	if ((rc = want_map(k, "commonLabels", kfile, &map)) < 0 || (rc = check_string_map(map, "commonLabels", kfile)) < 0)
		return rc;
	if (map && (rc = k8smig__render_labels(ctx, set, map, 2, "commonLabels")) < 0)
		return rc;
	if ((rc = want_map(k, "commonAnnotations", kfile, &map)) < 0 ||
	    (rc = check_string_map(map, "commonAnnotations", kfile)) < 0)
		return rc;
	if (map && (rc = k8smig__render_annotations(ctx, set, map, "commonAnnotations")) < 0)
		return rc;
	if ((rc = want_list(k, "patchesJson6902", kfile, &list)) < 0 ||
	    (list && (rc = k8smig__render_patches_json6902(ctx, set, list, dir, kfile)) < 0))
		return rc;
	if ((rc = want_list(k, "replicas", kfile, &list)) < 0 ||
	    (list && (rc = k8smig__render_replicas(ctx, set, list, "replicas")) < 0))
		goto file;
	if ((rc = want_list(k, "images", kfile, &list)) < 0 ||
	    (list && (rc = k8smig__render_images(ctx, set, list, "images")) < 0))
		goto file;
	return 0;
file:
	return k8smig__render_locate(rc, NULL, kfile, true);
}

int k8smig__render_build_dir(k8smig__render *ctx, k8smig__rset *set, const char *dir, const char *via)
{
	char real[PATH_MAX];
	const char *kfile, *kind, *s;
	k8smig_object_list *docs;
	const k8smig__rnode *k, *list, *sort;
	k8smig__rset local = { NULL, 0, 0 };
	size_t i;
	int rc;

	if (!realpath(dir, real))
		return k8smig__render_error(K8SMIG_ENOTFOUND, dir, "", "no such directory%s%s", via ? " (named in " : "",
		            via ? k8smig__rprintf(&ctx->arena, "%s)", via) : "");
	for (i = 0; i < ctx->depth; i++)
		if (strcmp(ctx->stack[i], real) == 0)
			return k8smig__render_error(K8SMIG_EINVAL, via ? via : dir, "resources",
			            "cycle in resources: %s is already being built", dir);
	if ((rc = find_kustomization(ctx, dir, &kfile)) < 0)
		return rc;
	if ((rc = k8smig__render_parse_file(ctx, &docs, kfile)) < 0)
		return rc;
	if (docs->n != 1)  /* kustomize refuses an empty kustomization file too */
		return k8smig__render_error(K8SMIG_EINVAL, kfile, "", "%s", docs->n ? "a kustomization file holds one document"
		                                                     : "the kustomization file is empty");
	if (!(k = k8smig__rnode_from_value(&ctx->arena, k8smig_object_get(docs->items[0], NULL))))
		return K8SMIG_ENOMEM;
	if ((rc = check_fields(k, kfile)) < 0)
		return rc;
	if ((rc = want_str(k, "kind", kfile, &kind)) < 0)
		return rc;
	if (kind && strcmp(kind, "Kustomization") != 0)
		return k8smig__render_error(K8SMIG_EINVAL, kfile, "kind", "kind must be Kustomization%s, not %s",
		            strcmp(kind, "Component") == 0 ? " (components are not supported by k8smig render)" : "", kind);
	if ((rc = want_str(k, "apiVersion", kfile, &s)) < 0)
		return rc;
	if (s && strcmp(s, "kustomize.config.k8s.io/v1beta1") != 0)
		return k8smig__render_error(K8SMIG_EINVAL, kfile, "apiVersion", "apiVersion must be kustomize.config.k8s.io/v1beta1, not %s", s);
	if ((rc = want_map(k, "sortOptions", kfile, &sort)) < 0)
		return rc;
	if (sort && ctx->depth == 0) {
		const char *order = k8smig__rnode_get_str(sort, "order");
		if (!order || (strcmp(order, "fifo") && strcmp(order, "legacy")))
			return k8smig__render_error(K8SMIG_EINVAL, kfile, "sortOptions.order", "order must be legacy or fifo");
		ctx->keep_order = strcmp(order, "fifo") == 0;
	}

	{
		char **stack = realloc(ctx->stack, (ctx->depth + 1) * sizeof(*stack));
		if (!stack)
			return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
		ctx->stack = stack;
		if (!(ctx->stack[ctx->depth] = k8smig__rstrdup(&ctx->arena, real)))
			return K8SMIG_ENOMEM;
		ctx->depth++;
	}
	if ((rc = want_list(k, "resources", kfile, &list)) < 0 ||
	    (rc = load_resources(ctx, &local, list, "resources", dir, kfile)) < 0 ||
	    (rc = want_list(k, "bases", kfile, &list)) < 0 ||
	    (rc = load_resources(ctx, &local, list, "bases", dir, kfile)) < 0)
		goto done;
	ctx->depth--;
	if ((rc = check_unique(ctx, &local, kfile)) < 0 || (rc = run_generators(ctx, &local, k, dir, kfile)) < 0 ||
	    (rc = run_transformers(ctx, &local, k, dir, kfile)) < 0)
		goto out;
	for (i = 0; i < local.n; i++)
		if ((rc = k8smig__rset_add(set, local.items[i])) < 0)
			goto out;
	free(local.items);
	return 0;
done:
	ctx->depth--;
out:
	k8smig__rset_free(&local);
	return rc;
}
