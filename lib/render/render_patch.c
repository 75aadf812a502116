/*
 * lib/render/render_patch.c - patches: strategic merge (kyaml merge2
 * semantics for the kinds k8smig models), JSON 6902, and target selection.
 */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"
#include "../model/list.h"

/* ---- strategic merge ------------------------------------------------------------ */

/* API groups whose list merge keys come from the Kubernetes schema (table below);
 * lists of other groups (CRDs) are merged by kyaml's guess from the items' keys. */
static bool builtin_group(const char *g)
{
	static const char *const groups[] = { "", "apps", "batch", "autoscaling", "networking.k8s.io", "policy",
		"rbac.authorization.k8s.io", "storage.k8s.io", "scheduling.k8s.io", "admissionregistration.k8s.io",
		"apiextensions.k8s.io", "apiregistration.k8s.io", "node.k8s.io", "discovery.k8s.io", "coordination.k8s.io",
		"certificates.k8s.io" };
	size_t i;
	for (i = 0; i < sizeof(groups) / sizeof(*groups); i++)
		if (strcmp(g, groups[i]) == 0)
			return true;
	return false;
}

static bool items_have(const k8smig__rnode *list, const char *key)
{
	const k8smig__rnode *it;
	if (!list)
		return true;
	for (it = list->u.c.first; it; it = it->next) {
		if (it->type != K8SMIG_TYPE_MAP)
			return false;
		if (!k8smig__rnode_get(it, key) && !k8smig__rnode_get(it, "$patch"))
			return false;
	}
	return true;
}

typedef struct smp_ctx {
	k8smig__rarena *a;
	bool builtin;    /* the object's group is a Kubernetes one: use the schema table */
} smp_ctx;

/* The merge key of list field, or NULL when the list is replaced as a whole. */
static const char *merge_key(const smp_ctx *sc, const char *field, const k8smig__rnode *dst, const k8smig__rnode *patch)
{
	static const struct { const char *field, *key; } table[] = {
		{ "containers", "name" }, { "initContainers", "name" }, { "ephemeralContainers", "name" },
		{ "env", "name" }, { "volumes", "name" }, { "volumeMounts", "mountPath" },
		{ "volumeDevices", "devicePath" }, { "imagePullSecrets", "name" }, { "hostAliases", "ip" },
		{ "topologySpreadConstraints", "topologyKey" }, { "conditions", "type" },
		{ "readinessGates", "conditionType" }, { "resourceClaims", "name" },
	};
	static const char *const guesses[] = { "mountPath", "devicePath", "ip", "type", "topologyKey", "name",
		"containerPort" };
	size_t i;

	if (!field)
		return NULL;
	if (sc->builtin) {
		if (strcmp(field, "ports") == 0)
			/* container ports merge by containerPort, Service ports by port */
			return items_have(patch, "containerPort") && items_have(dst, "containerPort") ? "containerPort" : "port";
		for (i = 0; i < sizeof(table) / sizeof(*table); i++)
			if (strcmp(field, table[i].field) == 0)
				return table[i].key;
		return NULL;
	}
	for (i = 0; i < sizeof(guesses) / sizeof(*guesses); i++)
		if (items_have(patch, guesses[i]) && items_have(dst, guesses[i]))
			return guesses[i];
	return NULL;
}

/* A copy of a patch value without directives ($patch, $setElementOrder/...) or null entries. */
static k8smig__rnode *clean_copy(k8smig__rarena *a, const k8smig__rnode *v)
{
	k8smig__rnode *n;
	const k8smig__rnode *c;
	if (v->type != K8SMIG_TYPE_MAP && v->type != K8SMIG_TYPE_LIST)
		return k8smig__rnode_copy(a, v);
	if (!(n = k8smig__rnode_new(a, v->type)))
		return NULL;
	n->key = v->key;
	for (c = v->u.c.first; c; c = c->next) {
		k8smig__rnode *cc;
		if (v->type == K8SMIG_TYPE_MAP && (c->key[0] == '$' || c->type == K8SMIG_TYPE_NULL))
			continue;
		if (v->type == K8SMIG_TYPE_LIST && c->type == K8SMIG_TYPE_MAP) {
			const char *d = k8smig__rnode_get_str(c, "$patch");
			if (d && strcmp(d, "delete") == 0)
				continue;
		}
		if (!(cc = clean_copy(a, c)))
			return NULL;
		k8smig__rnode_append(n, cc);
	}
	return n;
}

static int merge_map(const smp_ctx *sc, k8smig__rnode *dst, const k8smig__rnode *patch);

static int merge_list(const smp_ctx *sc, const char *field, k8smig__rnode *dst, const k8smig__rnode *patch)
{
	const char *key = merge_key(sc, field, dst, patch);
	const k8smig__rnode *p;
	k8smig__rnode *out, *it;
	int rc;

	for (p = patch->u.c.first; p; p = p->next) {
		const char *d = k8smig__rnode_get_str(p, "$patch");
		if (d && strcmp(d, "replace") == 0) {
			/* {$patch: replace} in a list: the list becomes the patch's other items */
			k8smig__rnode *n = clean_copy(sc->a, patch);
			if (!n)
				return K8SMIG_ENOMEM;
			for (it = n->u.c.first; it;) {
				k8smig__rnode *nx = it->next;
				if (it->type == K8SMIG_TYPE_MAP && !it->u.c.n)
					k8smig__rnode_unlink(n, it);
				it = nx;
			}
			dst->u.c = n->u.c;
			return 0;
		}
	}
	if (!key) {
		k8smig__rnode *n = clean_copy(sc->a, patch);
		if (!n)
			return K8SMIG_ENOMEM;
		dst->u.c = n->u.c;
		return 0;
	}
	/* kyaml's order: the patch's items first (merged with their match), then the others */
	if (!(out = k8smig__rnode_new(sc->a, K8SMIG_TYPE_LIST)))
		return K8SMIG_ENOMEM;
	for (p = patch->u.c.first; p; p = p->next) {
		const k8smig__rnode *pk = k8smig__rnode_get(p, key);
		const char *d = k8smig__rnode_get_str(p, "$patch");
		k8smig__rnode *match = NULL;
		if (pk)
			for (it = dst->u.c.first; it && !match; it = it->next)
				if (k8smig__rnode_equal(k8smig__rnode_get(it, key), pk))
					match = it;
		if (d && strcmp(d, "delete") == 0) {
			if (match)
				k8smig__rnode_unlink(dst, match);
			continue;
		}
		if (match) {
			k8smig__rnode_unlink(dst, match);
			if (p->type == K8SMIG_TYPE_MAP && match->type == K8SMIG_TYPE_MAP) {
				if ((rc = merge_map(sc, match, p)) < 0)
					return rc;
				if (rc == 1)
					continue;
			}
			k8smig__rnode_append(out, match);
		} else {
			k8smig__rnode *n = clean_copy(sc->a, p);
			if (!n)
				return K8SMIG_ENOMEM;
			k8smig__rnode_append(out, n);
		}
	}
	while ((it = dst->u.c.first)) {
		k8smig__rnode_unlink(dst, it);
		k8smig__rnode_append(out, it);
	}
	dst->u.c = out->u.c;
	return 0;
}

/* Returns 1 when the patch says $patch: delete for dst itself. */
static int merge_map(const smp_ctx *sc, k8smig__rnode *dst, const k8smig__rnode *patch)
{
	const char *d = k8smig__rnode_get_str(patch, "$patch");
	const k8smig__rnode *p;
	int rc;

	if (d && strcmp(d, "delete") == 0)
		return 1;
	if (d && strcmp(d, "replace") == 0) {
		k8smig__rnode *n = clean_copy(sc->a, patch);
		if (!n)
			return K8SMIG_ENOMEM;
		dst->u.c = n->u.c;
		return 0;
	}
	for (p = patch->u.c.first; p; p = p->next) {
		k8smig__rnode *cur;
		if (p->key[0] == '$')
			continue;  /* $retainKeys, $setElementOrder/...: ordering hints, no data */
		cur = k8smig__rnode_get(dst, p->key);
		if (p->type == K8SMIG_TYPE_NULL) {
			k8smig__rnode_remove(dst, p->key);
			continue;
		}
		if (cur && cur->type == K8SMIG_TYPE_MAP && p->type == K8SMIG_TYPE_MAP) {
			if ((rc = merge_map(sc, cur, p)) < 0)
				return rc;
			if (rc == 1)
				k8smig__rnode_remove(dst, p->key);
			continue;
		}
		if (cur && cur->type == K8SMIG_TYPE_LIST && p->type == K8SMIG_TYPE_LIST) {
			if ((rc = merge_list(sc, p->key, cur, p)) < 0)
				return rc;
			continue;
		}
		{
			const char *pd = p->type == K8SMIG_TYPE_MAP ? k8smig__rnode_get_str(p, "$patch") : NULL;
			k8smig__rnode *n;
			if (pd && strcmp(pd, "delete") == 0) {
				k8smig__rnode_remove(dst, p->key);
				continue;
			}
			if (!(n = clean_copy(sc->a, p)))
				return K8SMIG_ENOMEM;
			k8smig__rnode_put(dst, p->key, n);
		}
	}
	return 0;
}

int k8smig__smp_merge(k8smig__rarena *a, k8smig__rnode *dst, const k8smig__rnode *patch)
{
	const char *av = k8smig__rnode_get_str(dst, "apiVersion");
	const char *slash = av ? strchr(av, '/') : NULL;
	char group[128] = "";
	smp_ctx sc;

	if (slash && (size_t)(slash - av) < sizeof(group)) {
		memcpy(group, av, (size_t)(slash - av));
		group[slash - av] = '\0';
	}
	sc.a = a;
	sc.builtin = builtin_group(group);
	if (dst->type != K8SMIG_TYPE_MAP || patch->type != K8SMIG_TYPE_MAP)
		return k8smig__error_set(K8SMIG_EINVAL, "", "a strategic-merge patch must be a map");
	return merge_map(&sc, dst, patch);
}

/* ---- JSON 6902 ---------------------------------------------------------------------- */

typedef struct pointer {
	char **tokens;
	size_t n;
} pointer;

static int parse_pointer(k8smig__rarena *a, const char *s, pointer *p)
{
	size_t n = 0, i = 0;
	const char *q;

	p->n = 0;
	p->tokens = NULL;
	if (!s)
		return k8smig__error_set(K8SMIG_EINVAL, "", "missing JSON pointer");
	if (!*s)
		return 0;
	if (*s != '/')
		return k8smig__error_set(K8SMIG_EINVAL, "", "JSON pointer '%s' must start with '/'", s);
	for (q = s; *q; q++)
		n += *q == '/';
	if (!(p->tokens = k8smig__ralloc(a, n * sizeof(char *))))
		return K8SMIG_ENOMEM;
	for (q = s + 1;; i++) {
		const char *end = strchr(q, '/');
		size_t len = end ? (size_t)(end - q) : strlen(q), j, o = 0;
		char *t = k8smig__ralloc(a, len + 1);
		if (!t)
			return K8SMIG_ENOMEM;
		for (j = 0; j < len; j++) {
			if (q[j] == '~') {
				if (j + 1 < len && q[j + 1] == '0')
					t[o++] = '~';
				else if (j + 1 < len && q[j + 1] == '1')
					t[o++] = '/';
				else
					return k8smig__error_set(K8SMIG_EINVAL, "", "JSON pointer '%s' has a bad escape", s);
				j++;
			} else {
				t[o++] = q[j];
			}
		}
		t[o] = '\0';
		p->tokens[i] = t;
		if (!end)
			break;
		q = end + 1;
	}
	p->n = n;
	return 0;
}

/* An array index token: digits only, no leading zero; -1 otherwise. */
static long index_token(const char *t, size_t n)
{
	long v = 0;
	const char *c;
	if (!*t || (t[0] == '0' && t[1]))
		return -1;
	for (c = t; *c; c++) {
		if (*c < '0' || *c > '9' || v > 100000000)
			return -1;
		v = v * 10 + (*c - '0');
	}
	return (size_t)v <= n ? v : -1;
}

static k8smig__rnode *list_at(const k8smig__rnode *l, size_t i)
{
	k8smig__rnode *it = l->u.c.first;
	while (it && i--)
		it = it->next;
	return it;
}

static k8smig__rnode *resolve(k8smig__rnode *root, const pointer *p, size_t upto)
{
	k8smig__rnode *cur = root;
	size_t i;
	for (i = 0; i < upto && cur; i++) {
		if (cur->type == K8SMIG_TYPE_MAP)
			cur = k8smig__rnode_get(cur, p->tokens[i]);
		else if (cur->type == K8SMIG_TYPE_LIST) {
			long ix = index_token(p->tokens[i], cur->u.c.n);
			cur = ix < 0 ? NULL : list_at(cur, (size_t)ix);
		} else
			cur = NULL;
	}
	return cur;
}

static int op_fail(size_t k, const char *op, const char *where, const char *why)
{
	return k8smig__error_set(K8SMIG_EINVAL, "", "operation %zu (%s %s): %s", k, op, where, why);
}

/* Insert v at pointer p; replace: the target must exist and is overwritten. */
static int put_at(k8smig__rarena *a, k8smig__rnode *root, const pointer *p, k8smig__rnode *v, bool replace, size_t k,
                  const char *op, const char *where)
{
	k8smig__rnode *parent;
	const char *last;
	if (!p->n) {
		if (v->type != K8SMIG_TYPE_MAP)
			return op_fail(k, op, where, "the document root must stay a map");
		root->u.c = v->u.c;
		return 0;
	}
	parent = resolve(root, p, p->n - 1);
	last = p->tokens[p->n - 1];
	if (!parent)
		return op_fail(k, op, where, "parent path not found");
	if (parent->type == K8SMIG_TYPE_MAP) {
		if (replace && !k8smig__rnode_get(parent, last))
			return op_fail(k, op, where, "path not found");
		if (!(last = k8smig__rstrdup(a, last)))
			return K8SMIG_ENOMEM;
		k8smig__rnode_put(parent, last, v);
		return 0;
	}
	if (parent->type == K8SMIG_TYPE_LIST) {
		long ix;
		if (strcmp(last, "-") == 0 && !replace) {
			k8smig__rnode_append(parent, v);
			return 0;
		}
		ix = index_token(last, replace ? parent->u.c.n - (parent->u.c.n > 0) : parent->u.c.n);
		if (ix < 0 || (replace && (size_t)ix >= parent->u.c.n))
			return op_fail(k, op, where, "array index out of range");
		if (replace) {
			k8smig__rnode *old = list_at(parent, (size_t)ix);
			v->next = old->next;
			*old = *v;
			return 0;
		}
		if (ix == 0) {
			v->next = parent->u.c.first;
			parent->u.c.first = v;
			if (!parent->u.c.last)
				parent->u.c.last = v;
			parent->u.c.n++;
		} else {
			k8smig__rnode *before = list_at(parent, (size_t)ix - 1);
			v->next = before->next;
			before->next = v;
			if (parent->u.c.last == before)
				parent->u.c.last = v;
			parent->u.c.n++;
		}
		return 0;
	}
	return op_fail(k, op, where, "parent is not a map or a list");
}

static int remove_at(k8smig__rnode *root, const pointer *p, size_t k, const char *op, const char *where)
{
	k8smig__rnode *parent, *target;
	if (!p->n)
		return op_fail(k, op, where, "cannot remove the document root");
	parent = resolve(root, p, p->n - 1);
	target = resolve(root, p, p->n);
	if (!parent || !target)
		return op_fail(k, op, where, "path not found");
	k8smig__rnode_unlink(parent, target);
	return 0;
}

int k8smig__json6902_apply(k8smig__rarena *a, k8smig__rnode *root, const k8smig__rnode *ops)
{
	const k8smig__rnode *o;
	size_t k = 0;
	int rc;

	if (ops->type != K8SMIG_TYPE_LIST)
		return k8smig__error_set(K8SMIG_EINVAL, "", "a JSON 6902 patch is a list of operations");
	for (o = ops->u.c.first; o; o = o->next, k++) {
		const char *op = k8smig__rnode_get_str(o, "op"), *path = k8smig__rnode_get_str(o, "path");
		const char *from = k8smig__rnode_get_str(o, "from");
		const k8smig__rnode *value = k8smig__rnode_get(o, "value");
		pointer p, f;
		k8smig__rnode *v;

		if (o->type != K8SMIG_TYPE_MAP || !op)
			return op_fail(k, "?", "", "an operation needs op");
		if (!path)
			return op_fail(k, op, "", "an operation needs path");
		if ((rc = parse_pointer(a, path, &p)) < 0)
			return rc;
		if (strcmp(op, "add") == 0 || strcmp(op, "replace") == 0) {
			if (!value)
				return op_fail(k, op, path, "needs a value");
			if (!(v = k8smig__rnode_copy(a, value)))
				return K8SMIG_ENOMEM;
			if ((rc = put_at(a, root, &p, v, op[0] == 'r', k, op, path)) < 0)
				return rc;
		} else if (strcmp(op, "remove") == 0) {
			if ((rc = remove_at(root, &p, k, op, path)) < 0)
				return rc;
		} else if (strcmp(op, "move") == 0 || strcmp(op, "copy") == 0) {
			k8smig__rnode *src;
			if (!from)
				return op_fail(k, op, path, "needs from");
			if ((rc = parse_pointer(a, from, &f)) < 0)
				return rc;
			if (!(src = resolve(root, &f, f.n)))
				return op_fail(k, op, from, "from path not found");
			if (!(v = k8smig__rnode_copy(a, src)))
				return K8SMIG_ENOMEM;
			if (op[0] == 'm' && (rc = remove_at(root, &f, k, op, from)) < 0)
				return rc;
			if ((rc = put_at(a, root, &p, v, false, k, op, path)) < 0)
				return rc;
		} else if (strcmp(op, "test") == 0) {
			k8smig__rnode *cur = resolve(root, &p, p.n);
			if (!cur)
				return op_fail(k, op, path, "path not found");
			if (!value || !k8smig__rnode_equal(cur, value))
				return op_fail(k, op, path, "test failed: the value differs");
		} else {
			return op_fail(k, op, path, "unknown op (add, remove, replace, move, copy, test)");
		}
	}
	return 0;
}

/* ---- targets ------------------------------------------------------------------------ */

typedef struct selector {
	const char *group, *version, *kind, *name, *ns, *labels, *annotations;
	bool name_is_regex;
	regex_t name_re;
} selector;

static bool has_regex_chars(const char *s)
{
	return strpbrk(s, ".*+?()[]{}|^$\\") != NULL;
}

/* Kubernetes label selector: "a=b,c!=d,e,!f,g in (x,y),h notin (z)". */
static bool labels_match(const k8smig__rnode *labels, const char *sel)
{
	char buf[1024];
	char *save = NULL, *term;
	const char *p;
	size_t depth = 0, o = 0;

	if (!sel || !*sel)
		return true;
	if (strlen(sel) >= sizeof(buf))
		return false;
	/* commas inside (...) belong to a set: turn the outer ones into ';' */
	for (p = sel; *p; p++) {
		char c = *p;
		if (c == '(')
			depth++;
		else if (c == ')' && depth)
			depth--;
		buf[o++] = (c == ',' && !depth) ? ';' : c;
	}
	buf[o] = '\0';
	for (term = strtok_r(buf, ";", &save); term; term = strtok_r(NULL, ";", &save)) {
		char *t = term, *op, *end;
		const char *have;
		while (*t == ' ')
			t++;
		end = t + strlen(t);
		while (end > t && end[-1] == ' ')
			*--end = '\0';
		if (*t == '!') {
			if (k8smig__rnode_get(labels, t + 1))
				return false;
			continue;
		}
		if ((op = strstr(t, " notin ")) || (op = strstr(t, " in "))) {
			bool notin = op[1] == 'n';
			char *set = strchr(op, '('), *close = set ? strchr(set, ')') : NULL, *save2 = NULL, *v;
			bool found = false;
			*op = '\0';
			have = k8smig__rnode_get_str(labels, t);
			if (!set || !close)
				return false;
			*close = '\0';
			for (v = strtok_r(set + 1, ",", &save2); v; v = strtok_r(NULL, ",", &save2)) {
				while (*v == ' ')
					v++;
				end = v + strlen(v);
				while (end > v && end[-1] == ' ')
					*--end = '\0';
				if (have && strcmp(have, v) == 0)
					found = true;
			}
			if (notin ? found : !found)
				return false;
			continue;
		}
		if ((op = strstr(t, "!="))) {
			*op = '\0';
			have = k8smig__rnode_get_str(labels, t);
			if (have && strcmp(have, op + 2) == 0)
				return false;
			continue;
		}
		if ((op = strchr(t, '='))) {
			const char *want = op[1] == '=' ? op + 2 : op + 1;
			*op = '\0';
			have = k8smig__rnode_get_str(labels, t);
			if (!have || strcmp(have, want) != 0)
				return false;
			continue;
		}
		if (!k8smig__rnode_get(labels, t))
			return false;
	}
	return true;
}

static bool ns_is(const char *have, const char *want)
{
	if (!have || !*have)
		have = "default";
	return strcmp(have, want) == 0;
}

static bool name_is(const selector *s, const char *name)
{
	if (!s->name_is_regex)
		return strcmp(name, s->name) == 0;
	return regexec(&s->name_re, name, 0, NULL, 0) == 0;
}

/* kustomize's resmap Select: original or current namespace and name, gvk, selectors. */
static bool selects(const selector *s, const k8smig__rres *r)
{
	const char *orig_name = r->nprev ? r->prev[0].name : k8smig__rres_name(r);
	const k8smig__rnode *meta = k8smig__rnode_get(r->root, "metadata");
	if (s->kind && strcmp(s->kind, r->kind) != 0)
		return false;
	if (s->group && strcmp(s->group, r->group) != 0)
		return false;
	if (s->version && strcmp(s->version, r->version) != 0)
		return false;
	if (s->ns && !ns_is(r->orig_ns, s->ns) && !ns_is(k8smig__rres_ns(r), s->ns))
		return false;
	if (s->name && !name_is(s, orig_name) && !name_is(s, k8smig__rres_name(r)))
		return false;
	if (s->labels && !labels_match(k8smig__rnode_get(meta, "labels"), s->labels))
		return false;
	if (s->annotations && !labels_match(k8smig__rnode_get(meta, "annotations"), s->annotations))
		return false;
	return true;
}

static int read_selector(selector *s, const k8smig__rnode *t, const char *kfile, const char *path)
{
	const k8smig__rnode *c;
	memset(s, 0, sizeof(*s));
	if (t->type != K8SMIG_TYPE_MAP)
		return k8smig__render_error(K8SMIG_EINVAL, kfile, path, "target must be a map");
	for (c = t->u.c.first; c; c = c->next) {
		const char **slot = NULL;
		if (strcmp(c->key, "group") == 0) slot = &s->group;
		else if (strcmp(c->key, "version") == 0) slot = &s->version;
		else if (strcmp(c->key, "kind") == 0) slot = &s->kind;
		else if (strcmp(c->key, "name") == 0) slot = &s->name;
		else if (strcmp(c->key, "namespace") == 0) slot = &s->ns;
		else if (strcmp(c->key, "labelSelector") == 0) slot = &s->labels;
		else if (strcmp(c->key, "annotationSelector") == 0) slot = &s->annotations;
		if (!slot) {
			char p[128];
			snprintf(p, sizeof(p), "%s.%s", path, c->key);
			return k8smig__render_error(K8SMIG_EINVAL, kfile, p, "unknown target field \"%s\"", c->key);
		}
		if (c->type != K8SMIG_TYPE_STRING) {
			char p[128];
			snprintf(p, sizeof(p), "%s.%s", path, c->key);
			return k8smig__render_error(K8SMIG_EINVAL, kfile, p, "must be a string");
		}
		*slot = c->u.str.len ? c->u.str.s : NULL;
	}
	if (s->name && has_regex_chars(s->name)) {
		char *re = malloc(strlen(s->name) + 5);
		int bad;
		if (!re)
			return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
		sprintf(re, "^(%s)$", s->name);
		bad = regcomp(&s->name_re, re, REG_EXTENDED | REG_NOSUB);
		free(re);
		if (bad) {
			char p[128];
			snprintf(p, sizeof(p), "%s.name", path);
			return k8smig__render_error(K8SMIG_EINVAL, kfile, p, "bad name pattern '%s'", s->name);
		}
		s->name_is_regex = true;
	}
	return 0;
}

static void selector_free(selector *s)
{
	if (s->name_is_regex)
		regfree(&s->name_re);
	s->name_is_regex = false;
}

/* Resources by any name they had: a patch naming its target is an O(1) lookup. */
static int name_index(k8smig__render *ctx, const k8smig__rset *set, k8smig__rindex *ix)
{
	size_t i, j;
	int rc;
	if ((rc = k8smig__rindex_init(ix, set->n)) < 0)
		return rc;
	for (i = 0; i < set->n; i++) {
		k8smig__rres *r = set->items[i];
		if ((rc = k8smig__rindex_add(&ctx->arena, ix, k8smig__rres_name(r), r)) < 0)
			return rc;
		for (j = 0; j < r->nprev; j++)
			if (strcmp(r->prev[j].name, k8smig__rres_name(r)) != 0 &&
			    (j == 0 || strcmp(r->prev[j].name, r->prev[j - 1].name) != 0) &&
			    (rc = k8smig__rindex_add(&ctx->arena, ix, r->prev[j].name, r)) < 0)
				return rc;
	}
	return 0;
}

typedef int (*patch_fn)(k8smig__render *ctx, k8smig__rres *r, const void *patch);

/* Call fn on every resource the selector picks, once each, in resource order. */
static int for_targets(k8smig__render *ctx, k8smig__rset *set, const k8smig__rindex *by_name, const selector *s,
                       patch_fn fn, const void *patch, size_t *matched)
{
	size_t i;
	int rc;
	*matched = 0;
	if (s->name && !s->name_is_regex) {
		k8smig__rindex_entry *e;
		k8smig__rres *last = NULL;
		for (e = k8smig__rindex_find(by_name, s->name); e; e = k8smig__rindex_next(e)) {
			if (e->res == last || !selects(s, e->res))
				continue;
			last = e->res;
			(*matched)++;
			if ((rc = fn(ctx, e->res, patch)) < 0)
				return rc;
		}
		return 0;
	}
	for (i = 0; i < set->n; i++)
		if (selects(s, set->items[i])) {
			(*matched)++;
			if ((rc = fn(ctx, set->items[i], patch)) < 0)
				return rc;
		}
	return 0;
}

/* Strategic merge onto one target: the target keeps its own identity. */
static int apply_smp(k8smig__render *ctx, k8smig__rres *r, const void *patch)
{
	const k8smig__rnode *p = patch;
	k8smig__rnode *copy = k8smig__rnode_copy(&ctx->arena, p), *meta;
	int rc;
	if (!copy)
		return K8SMIG_ENOMEM;
	k8smig__rnode_remove(copy, "apiVersion");
	k8smig__rnode_remove(copy, "kind");
	if ((meta = k8smig__rnode_get(copy, "metadata")) && meta->type == K8SMIG_TYPE_MAP) {
		k8smig__rnode_remove(meta, "name");
		k8smig__rnode_remove(meta, "namespace");
	}
	rc = k8smig__smp_merge(&ctx->arena, r->root, copy);
	if (rc == 1)
		return k8smig__error_set(K8SMIG_EINVAL, "", "deleting a whole object with $patch: delete is not supported");
	return rc;
}

static int apply_json(k8smig__render *ctx, k8smig__rres *r, const void *ops)
{
	int rc = k8smig__json6902_apply(&ctx->arena, r->root, ops);
	if (rc == 0)
		k8smig__rres_identify(&ctx->arena, r);  /* an op may change apiVersion or kind */
	return rc;
}

/* ---- patch text ------------------------------------------------------------------------ */

/* A JSON 6902 patch is a list: its first meaningful character is '[' or '-'. */
static bool looks_like_json6902(const char *text)
{
	const char *p = text;
	while (*p) {
		while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
			p++;
		if (*p == '#' || strncmp(p, "---", 3) == 0) {
			p = strchr(p, '\n');
			if (!p)
				return false;
			continue;
		}
		return *p == '[' || (*p == '-' && (p[1] == ' ' || p[1] == '\n' || p[1] == '\t'));
	}
	return false;
}

/* Parse a JSON 6902 operation list; the parser takes only maps, so wrap it in one. */
static int parse_ops(k8smig__render *ctx, const char *text, const char *source, const k8smig__rnode **out)
{
	k8smig_object_list *docs;
	const k8smig_value *ops;
	char *wrapped;
	size_t len = strlen(text);
	bool json = false;
	const char *p = text;
	int rc;

	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	json = *p == '[';
	if (!(wrapped = k8smig__ralloc(&ctx->arena, len + 16)))
		return K8SMIG_ENOMEM;
	if (json)
		sprintf(wrapped, "{\"ops\":%s\n}", text);
	else
		sprintf(wrapped, "ops:\n%s", text);
	if ((rc = k8smig__render_parse_text(ctx, &docs, wrapped, strlen(wrapped), source, json ? 0 : 1)) < 0)
		return rc;
	if (docs->n != 1 || k8smig_value_type(ops = k8smig_object_get(docs->items[0], "ops")) != K8SMIG_TYPE_LIST)
		return k8smig__error_set(K8SMIG_EINVAL, "", "a JSON 6902 patch is one list of operations");
	if (!(*out = k8smig__rnode_from_value(&ctx->arena, ops)))
		return K8SMIG_ENOMEM;
	return 0;
}

static int read_patch_text(k8smig__render *ctx, const char *dir, const char *rel, const char *field, const char *kfile,
                           const char **text_out, const char **source_out)
{
	const char *full = k8smig__render_join(&ctx->arena, dir, rel);
	char *text;
	size_t len;
	int rc;

	if (!full)
		return K8SMIG_ENOMEM;
	if (!k8smig__render_exists(full))
		return k8smig__render_error(K8SMIG_ENOTFOUND, full, field, "no such patch file (named in %s)", kfile);
	if ((rc = k8smig__render_check_under(ctx, dir, full, field, kfile)) < 0)
		return rc;
	if ((rc = k8smig__read_file(&text, &len, full, 256u << 20)) < 0)
		return rc;
	*text_out = k8smig__rstrndup(&ctx->arena, text, len);
	k8smig_free(text);
	*source_out = full;
	return *text_out ? 0 : K8SMIG_ENOMEM;
}

/* Apply one patch text: JSON 6902 needs a target, strategic merge uses it when given. */
static int apply_patch_text(k8smig__render *ctx, k8smig__rset *set, const k8smig__rindex *by_name, const char *text,
                            const char *source, const selector *target, const char *field, const char *kfile)
{
	size_t matched, i;
	int rc;

	if (looks_like_json6902(text)) {
		const k8smig__rnode *ops;
		if (!target)
			return k8smig__render_error(K8SMIG_EINVAL, kfile, field, "a JSON 6902 patch needs a target");
		if ((rc = parse_ops(ctx, text, source, &ops)) < 0)
			return rc;
		if ((rc = for_targets(ctx, set, by_name, target, apply_json, ops, &matched)) < 0)
			return k8smig__render_locate(rc, field, kfile, false);
		return 0;
	} else {
		k8smig_object_list *docs;
		if ((rc = k8smig__render_parse_text(ctx, &docs, text, strlen(text), source, 0)) < 0)
			return rc;
		for (i = 0; i < docs->n; i++) {
			k8smig__rnode *p = k8smig__rnode_from_value(&ctx->arena, k8smig_object_get(docs->items[i], NULL));
			if (!p)
				return K8SMIG_ENOMEM;
			if (target) {
				rc = for_targets(ctx, set, by_name, target, apply_smp, p, &matched);
			} else {
				/* no target: the patch names its object */
				selector s;
				const char *av = k8smig__rnode_get_str(p, "apiVersion"), *slash = av ? strchr(av, '/') : NULL;
				const k8smig__rnode *meta = k8smig__rnode_get(p, "metadata");
				memset(&s, 0, sizeof(s));
				s.kind = k8smig__rnode_get_str(p, "kind");
				s.name = k8smig__rnode_get_str(meta, "name");
				s.ns = k8smig__rnode_get_str(meta, "namespace");
				if (slash) {
					s.group = k8smig__rstrndup(&ctx->arena, av, (size_t)(slash - av));
					s.version = slash + 1;
				} else if (av) {
					s.group = "";
					s.version = av;
				}
				if (!s.kind || !s.name)
					return k8smig__render_error(K8SMIG_EINVAL, kfile, field,
					            "a strategic-merge patch without a target needs kind and metadata.name");
				rc = for_targets(ctx, set, by_name, &s, apply_smp, p, &matched);
				if (rc == 0 && matched == 0)
					return k8smig__render_error(K8SMIG_EINVAL, kfile, field, "no resource matches the patch's %s %s%s%s", s.kind,
					            s.ns ? s.ns : "", s.ns ? "/" : "", s.name);
			}
			if (rc < 0)
				return k8smig__render_locate(rc, field, kfile, true);
		}
	}
	return 0;
}

/* The patch of a patches/patchesJson6902 entry: exactly one of a file (path) and inline text (patch). */
static int entry_text(k8smig__render *ctx, const char *path, const char *inline_text, const char *field,
                      const char *dir, const char *kfile, const char **text, const char **source)
{
	char sub[96];
	if (!!path == !!inline_text)
		return k8smig__render_error(K8SMIG_EINVAL, kfile, field, "give exactly one of path and patch");
	if (!path) {
		*text = inline_text;
		return 0;
	}
	snprintf(sub, sizeof(sub), "%s.path", field);
	return read_patch_text(ctx, dir, path, sub, kfile, text, source);
}

int k8smig__render_patches(k8smig__render *ctx, k8smig__rset *set, const k8smig__rnode *patches, const char *dir,
                           const char *kfile)
{
	k8smig__rindex by_name;
	const k8smig__rnode *c;
	size_t i = 0;
	int rc;

	if ((rc = name_index(ctx, set, &by_name)) < 0) {
		k8smig__rindex_free(&by_name);
		return rc;
	}
	for (c = patches->u.c.first; c && rc == 0; c = c->next, i++) {
		const char *path = k8smig__rnode_get_str(c, "path"), *inline_text = k8smig__rnode_get_str(c, "patch");
		const k8smig__rnode *t = k8smig__rnode_get(c, "target"), *f;
		const char *text = NULL, *source = kfile;
		char field[64], sub[96];
		selector s;

		snprintf(field, sizeof(field), "patches[%zu]", i);
		if (c->type != K8SMIG_TYPE_MAP) {
			rc = k8smig__render_error(K8SMIG_EINVAL, kfile, field, "patches entries are maps with path or patch");
			break;
		}
		for (f = c->u.c.first; f; f = f->next)
			if (strcmp(f->key, "path") && strcmp(f->key, "patch") && strcmp(f->key, "target") &&
			    strcmp(f->key, "options")) {
				snprintf(sub, sizeof(sub), "%s.%s", field, f->key);
				rc = k8smig__render_error(K8SMIG_EINVAL, kfile, sub, "unknown field \"%s\"", f->key);
				break;
			}
		if (rc < 0)
			break;
		if ((rc = entry_text(ctx, path, inline_text, field, dir, kfile, &text, &source)) < 0)
			break;
		snprintf(sub, sizeof(sub), "%s.target", field);
		if (t && t->type != K8SMIG_TYPE_NULL && (rc = read_selector(&s, t, kfile, sub)) < 0)
			break;
		rc = apply_patch_text(ctx, set, &by_name, text, source, t && t->type != K8SMIG_TYPE_NULL ? &s : NULL, field,
		                      kfile);
		if (t && t->type != K8SMIG_TYPE_NULL)
			selector_free(&s);
	}
	k8smig__rindex_free(&by_name);
	return rc;
}

int k8smig__render_patches_sm(k8smig__render *ctx, k8smig__rset *set, const k8smig__rnode *patches, const char *dir,
                              const char *kfile)
{
	k8smig__rindex by_name;
	const k8smig__rnode *c;
	size_t i = 0;
	int rc;

	if ((rc = name_index(ctx, set, &by_name)) < 0) {
		k8smig__rindex_free(&by_name);
		return rc;
	}
	for (c = patches->u.c.first; c && rc == 0; c = c->next, i++) {
		const char *entry = k8smig__rnode_s(c), *text, *source = kfile, *full;
		char field[64];

		snprintf(field, sizeof(field), "patchesStrategicMerge[%zu]", i);
		if (!entry) {
			rc = k8smig__render_error(K8SMIG_EINVAL, kfile, field, "must be a file path or a patch");
			break;
		}
		full = k8smig__render_join(&ctx->arena, dir, entry);
		if (!strchr(entry, '\n') && full && k8smig__render_exists(full)) {
			if ((rc = read_patch_text(ctx, dir, entry, field, kfile, &text, &source)) < 0)
				break;
		} else if (strchr(entry, '\n')) {
			text = entry;  /* an inline patch */
		} else {
			rc = k8smig__render_error(K8SMIG_ENOTFOUND, full ? full : entry, field, "no such patch file (named in %s)", kfile);
			break;
		}
		if (looks_like_json6902(text)) {
			rc = k8smig__render_error(K8SMIG_EINVAL, kfile, field, "patchesStrategicMerge takes strategic-merge patches, not JSON 6902");
			break;
		}
		rc = apply_patch_text(ctx, set, &by_name, text, source, NULL, field, kfile);
	}
	k8smig__rindex_free(&by_name);
	return rc;
}

int k8smig__render_patches_json6902(k8smig__render *ctx, k8smig__rset *set, const k8smig__rnode *patches,
                                    const char *dir, const char *kfile)
{
	k8smig__rindex by_name;
	const k8smig__rnode *c;
	size_t i = 0;
	int rc;

	if ((rc = name_index(ctx, set, &by_name)) < 0) {
		k8smig__rindex_free(&by_name);
		return rc;
	}
	for (c = patches->u.c.first; c && rc == 0; c = c->next, i++) {
		const char *path = k8smig__rnode_get_str(c, "path"), *inline_text = k8smig__rnode_get_str(c, "patch");
		const k8smig__rnode *t = k8smig__rnode_get(c, "target"), *ops;
		const char *text = NULL, *source = kfile;
		char field[64], sub[96];
		size_t matched;
		selector s;

		snprintf(field, sizeof(field), "patchesJson6902[%zu]", i);
		snprintf(sub, sizeof(sub), "%s.target", field);
		if (!t || t->type != K8SMIG_TYPE_MAP) {
			rc = k8smig__render_error(K8SMIG_EINVAL, kfile, sub, "a JSON 6902 patch needs a target");
			break;
		}
		if ((rc = entry_text(ctx, path, inline_text, field, dir, kfile, &text, &source)) < 0)
			break;
		snprintf(sub, sizeof(sub), "%s.target", field);
		if ((rc = read_selector(&s, t, kfile, sub)) < 0)
			break;
		if ((rc = parse_ops(ctx, text, source, &ops)) == 0 &&
		    (rc = for_targets(ctx, set, &by_name, &s, apply_json, ops, &matched)) < 0)
			k8smig__render_locate(rc, field, kfile, false);
		selector_free(&s);
	}
	k8smig__rindex_free(&by_name);
	return rc;
}
