/*
 * lib/client/diff.c - desired vs live through a server-side dry-run apply,
 * one unified diff per object, Secret values masked as kubectl masks them.
 *
 * Per object, concurrently: GET the live object and PATCH it with
 * dryRun=All (application/apply-patch+yaml, our field manager). Both are
 * stripped of what the server owns (status, managedFields, resourceVersion,
 * generation, uid, creationTimestamp, selfLink) and of the fields that only
 * other managers own (per the dry-run result's managedFields: e.g. the HPA
 * controller's spec.replicas), then emitted as YAML and compared line by line.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "lifecycle_int.h"
#include "../serialize/parse.h"

int k8smig__applyset_leftovers(k8smig_object_list **out, k8smig_client *c, const char *applyset, const char *ns,
                               const k8smig_object_list *set);
int k8smig__secret_normalize(k8smig_object **out, const k8smig_object *o);
bool k8smig__holds_stored(const k8smig_object *want, const k8smig_object *have);
bool k8smig__owns_exactly(const k8smig_object *live, const k8smig_object *want, const char *manager);
int k8smig__align_lists(k8smig_object **out, const k8smig_object *before, const k8smig_object *after);

struct k8smig_diff {
	k8smig_diff_entry *items;
	size_t n, cap;
};

/* Version 1 embedded the apply options by value; version 2 points at them. */
typedef struct diff_options_v1 {
	unsigned int version;
	k8smig_apply_options apply;
	const char *applyset;
	const char *applyset_namespace;
	unsigned int context_lines;
} diff_options_v1;

static const size_t diff_options_sizes[] = { sizeof(diff_options_v1), sizeof(k8smig_diff_options) };

int k8smig_diff_options_init(k8smig_diff_options *opts, unsigned int version)
{
	static const k8smig_diff_options def = K8SMIG_DIFF_OPTIONS_INIT;
	static const diff_options_v1 def1 = { 1, K8SMIG_APPLY_OPTIONS_INIT, NULL, NULL, 0 };
	return K8SMIG__OPTIONS_INIT(opts, version, version == 1 ? (const void *)&def1 : (const void *)&def, diff_options_sizes,
	                            "k8smig_diff_options");
}

/* src (NULL: defaults) into o, its apply options (NULL: defaults) into ao, o->apply
 * pointing at ao: any known version of each, what an older one lacks from the defaults. */
static int diff_load(k8smig_diff_options *o, k8smig_apply_options *ao, const k8smig_diff_options *src)
{
	static const k8smig_diff_options def = K8SMIG_DIFF_OPTIONS_INIT;
	static const k8smig_apply_options adef = K8SMIG_APPLY_OPTIONS_INIT;
	const k8smig_apply_options *given = NULL;
	unsigned int version = 0;
	int rc;
	*o = def;
	*ao = adef;
	if (src)
		memcpy(&version, src, sizeof(version));
	if (version == 1) {
		const diff_options_v1 *v1 = (const diff_options_v1 *)(const void *)src;
		given = &v1->apply;
		o->applyset = v1->applyset;
		o->applyset_namespace = v1->applyset_namespace;
		o->context_lines = v1->context_lines;
	} else {
		if ((rc = K8SMIG__OPTIONS_LOAD(o, src, diff_options_sizes, "k8smig_diff_options")) < 0)
			return rc;
		given = o->apply;
	}
	if ((rc = K8SMIG__OPTIONS_LOAD(ao, given, k8smig__apply_options_sizes, "k8smig_apply_options")) < 0) {
		k8smig__error_prefix("apply");
		return rc;
	}
	o->apply = ao;
	return 0;
}

/* The strings of an entry, in k8smig__entry_set()'s order. */
static const size_t entry_strings[] = {
	offsetof(k8smig_diff_entry, api_version), offsetof(k8smig_diff_entry, kind), offsetof(k8smig_diff_entry, namespace_),
	offsetof(k8smig_diff_entry, name), offsetof(k8smig_diff_entry, diff), offsetof(k8smig_diff_entry, error_message),
};
#define N_STRINGS (sizeof(entry_strings) / sizeof(entry_strings[0]))

void k8smig_diff_free(k8smig_diff *d)
{
	if (!d)
		return;
	k8smig__entries_free(d->items, d->n, sizeof(*d->items), entry_strings, N_STRINGS);
	free(d);
}

size_t k8smig_diff_size(const k8smig_diff *d) { return d ? d->n : 0; }
const k8smig_diff_entry *k8smig_diff_get(const k8smig_diff *d, size_t i) { return d && i < d->n ? &d->items[i] : NULL; }

size_t k8smig_diff_changes(const k8smig_diff *d)
{
	size_t i, n = 0;
	for (i = 0; d && i < d->n; i++)
		n += d->items[i].action == K8SMIG_DIFF_CREATE || d->items[i].action == K8SMIG_DIFF_CHANGE || d->items[i].action == K8SMIG_DIFF_PRUNE;
	return n;
}

static k8smig_diff_entry *add_entry(k8smig_diff *d, const k8smig_object *o, const char *ns)
{
	k8smig_diff_entry *e;
	if (d->n == d->cap && k8smig__array_grow(&d->items, &d->cap, 16, sizeof(*d->items)) < 0)
		return NULL;
	e = &d->items[d->n++];
	memset(e, 0, sizeof(*e));
	{
		const char *values[N_STRINGS] = { k8smig_object_api_version(o), k8smig_object_kind(o), ns, k8smig_object_name(o), "", "" };
		if (k8smig__entry_set(e, entry_strings, values, N_STRINGS) < 0)
			return NULL;
	}
	return e;
}

/* ---- Secret stringData -> data (what the server stores) ---- */

int k8smig__secret_normalize(k8smig_object **out, const k8smig_object *o)
{
	const k8smig_value *sd, *it;
	k8smig_object *n = NULL;
	int rc;

	*out = NULL;
	if (!k8smig_object_kind(o) || strcmp(k8smig_object_kind(o), "Secret") != 0 ||
	    !(sd = k8smig_object_get(o, "stringData")) || k8smig_value_type(sd) != K8SMIG_TYPE_MAP)
		return 0;
	if ((rc = k8smig_object_dup(&n, o)) < 0)
		return rc;
	for (it = k8smig_value_first(k8smig_object_get(o, "stringData")); it && rc == 0; it = k8smig_value_next(it)) {
		const char *v = k8smig_value_str(it);
		size_t len = k8smig_value_strlen(it);
		char *b64, path[512];
		if (!v)
			continue;
		if (!(b64 = malloc(K8SMIG__BASE64_LEN(len) + 1))) {
			rc = k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
			break;
		}
		b64[k8smig__base64_encode(b64, v, len)] = '\0';
		snprintf(path, sizeof(path), "data[%s]", k8smig_value_key(it));
		rc = k8smig_object_set_str(n, path, b64);
		free(b64);
	}
	if (rc == 0)
		rc = k8smig_object_unset(n, "stringData");
	if (rc < 0) {
		k8smig_object_free(n);
		return rc;
	}
	*out = n;
	return 0;
}

/* ---- stripping ---- */

static void path_child(char *buf, size_t cap, const char *base, const char *key)
{
	if (strchr(key, '.') || strchr(key, '[') || strchr(key, ']'))
		snprintf(buf, cap, "%s[%s]", base, key);
	else
		snprintf(buf, cap, "%s%s%s", base, *base ? "." : "", key);
}

typedef struct pathset {
	char **v;
	size_t n;
} pathset;

static void pathset_free(pathset *s)
{
	size_t i;
	for (i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
}

static bool pathset_has(const pathset *s, const char *p)
{
	size_t i;
	for (i = 0; i < s->n; i++)
		if (strcmp(s->v[i], p) == 0)
			return true;
	return false;
}

static void pathset_add(pathset *s, const char *p)
{
	char **v = realloc(s->v, (s->n + 1) * sizeof(*v));
	if (!v)
		return;
	s->v = v;
	if ((s->v[s->n] = k8smig__strdup(p)))
		s->n++;
}

/* Leaf field paths of a fieldsV1 tree ("f:" keys only: list items are kept whole). */
static void leaves(pathset *s, const k8smig_value *f, const char *base)
{
	const k8smig_value *it;
	bool any = false;
	for (it = k8smig_value_first(f); it; it = k8smig_value_next(it)) {
		const char *k = k8smig_value_key(it);
		char p[1024];
		if (!k || strncmp(k, "f:", 2) != 0)
			continue;
		any = true;
		path_child(p, sizeof(p), base, k + 2);
		if (k8smig_value_size(it) == 0)
			pathset_add(s, p);
		else
			leaves(s, it, p);
	}
	(void)any;
}

/* Remove what the server and other managers own. */
static void strip(k8smig_object *o, const pathset *others)
{
	size_t i;
	static const char *const server[] = { "status", "metadata.managedFields", "metadata.resourceVersion", "metadata.generation",
	                                      "metadata.uid", "metadata.creationTimestamp", "metadata.selfLink" };
	for (i = 0; i < sizeof(server) / sizeof(server[0]); i++)
		if (k8smig_object_has(o, server[i]))
			k8smig_object_unset(o, server[i]);
	for (i = 0; others && i < others->n; i++)
		if (k8smig_object_has(o, others->v[i]))
			k8smig_object_unset(o, others->v[i]);
	/* maps emptied by the removals go too */
	if (k8smig_object_has(o, "metadata.annotations") && k8smig_value_size(k8smig_object_get(o, "metadata.annotations")) == 0)
		k8smig_object_unset(o, "metadata.annotations");
}

/* Paths owned by other managers and not by ours, from the object's managedFields. */
static void other_fields(pathset *out, const k8smig_object *merged, const char *manager)
{
	pathset ours = { NULL, 0 }, theirs = { NULL, 0 };
	const k8smig_value *it;
	size_t i;
	for (it = k8smig_value_first(k8smig_object_get(merged, "metadata.managedFields")); it; it = k8smig_value_next(it)) {
		const char *m = k8smig_value_str(k8smig_value_lookup(it, "manager"));
		leaves(m && strcmp(m, manager) == 0 ? &ours : &theirs, k8smig_value_lookup(it, "fieldsV1"), "");
	}
	for (i = 0; i < theirs.n; i++) {
		const char *p = theirs.v[i];
		/* labels and annotations are shared freely; metadata identity is never stripped */
		if (strncmp(p, "metadata.name", 13) == 0 || strncmp(p, "metadata.namespace", 18) == 0 || pathset_has(&ours, p))
			continue;
		pathset_add(out, p);
	}
	pathset_free(&ours);
	pathset_free(&theirs);
}

/* kubectl's masking of Secret data: "***" when equal, "*** (before)"/"*** (after)" when they differ. */
static void mask(k8smig_object *before, k8smig_object *after)
{
	static const char *const fields[] = { "data", "stringData" };
	size_t f;
	for (f = 0; f < 2; f++) {
		const k8smig_value *b = before ? k8smig_object_get(before, fields[f]) : NULL;
		const k8smig_value *a = after ? k8smig_object_get(after, fields[f]) : NULL;
		const k8smig_value *it;
		char path[512];
		pathset keys = { NULL, 0 };
		size_t i;
		for (it = k8smig_value_first(b); it; it = k8smig_value_next(it))
			pathset_add(&keys, k8smig_value_key(it));
		for (it = k8smig_value_first(a); it; it = k8smig_value_next(it))
			if (!pathset_has(&keys, k8smig_value_key(it)))
				pathset_add(&keys, k8smig_value_key(it));
		for (i = 0; i < keys.n; i++) {
			const k8smig_value *bv = k8smig_value_lookup(b, keys.v[i]), *av = k8smig_value_lookup(a, keys.v[i]);
			bool differ = bv && av && !k8smig_value_equal(bv, av);
			snprintf(path, sizeof(path), "%s[%s]", fields[f], keys.v[i]);
			if (bv)
				k8smig_object_set_str(before, path, differ ? "*** (before)" : "***");
			if (av)
				k8smig_object_set_str(after, path, differ ? "*** (after)" : "***");
		}
		pathset_free(&keys);
	}
}

/* ---- unified diff ---- */

typedef struct lines {
	const char **v;
	size_t *len;
	size_t n;
} lines;

static int split(lines *l, const char *text)
{
	const char *p = text;
	size_t cap = 64;
	l->n = 0;
	l->v = malloc(cap * sizeof(*l->v));
	l->len = malloc(cap * sizeof(*l->len));
	if (!l->v || !l->len)
		return -1;
	while (p && *p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		if (l->n == cap) {
			const char **v;
			size_t *len;
			cap *= 2;
			if (!(v = realloc(l->v, cap * sizeof(*v))))
				return -1;
			l->v = v;
			if (!(len = realloc(l->len, cap * sizeof(*len))))
				return -1;
			l->len = len;
		}
		l->v[l->n] = p;
		l->len[l->n++] = n;
		p = nl ? nl + 1 : p + n;
	}
	return 0;
}

static bool same(const lines *a, size_t i, const lines *b, size_t j)
{
	return a->len[i] == b->len[j] && memcmp(a->v[i], b->v[j], a->len[i]) == 0;
}

/* ops: ' ' keep, '-' delete from a, '+' insert from b */
static int edit_script(char **ops, size_t *nops, const lines *a, const lines *b)
{
	size_t n = a->n, m = b->n, i, j, k = 0;
	unsigned int *t;
	char *o = malloc(n + m + 1);
	if (!o)
		return -1;
	if ((double)(n + 1) * (double)(m + 1) > 5e7) {
		/* too large for the table: replace everything */
		for (i = 0; i < n; i++)
			o[k++] = '-';
		for (j = 0; j < m; j++)
			o[k++] = '+';
		*ops = o;
		*nops = k;
		return 0;
	}
	if (!(t = calloc((n + 1) * (m + 1), sizeof(*t)))) {
		free(o);
		return -1;
	}
#define T(x, y) t[(x) * (m + 1) + (y)]
	for (i = n; i-- > 0;)
		for (j = m; j-- > 0;)
			T(i, j) = same(a, i, b, j) ? T(i + 1, j + 1) + 1 : (T(i + 1, j) >= T(i, j + 1) ? T(i + 1, j) : T(i, j + 1));
	i = j = 0;
	while (i < n || j < m) {
		if (i < n && j < m && same(a, i, b, j)) {
			o[k++] = ' ';
			i++;
			j++;
		} else if (i < n && (j == m || T(i + 1, j) >= T(i, j + 1))) {
			o[k++] = '-'; /* deletions first, as diff -u prints them */
			i++;
		} else {
			o[k++] = '+';
			j++;
		}
	}
#undef T
	free(t);
	*ops = o;
	*nops = k;
	return 0;
}

static int unified(char **out, const char *a_text, const char *b_text, const char *a_name, const char *b_name, unsigned ctx)
{
	lines a = { NULL, NULL, 0 }, b = { NULL, NULL, 0 };
	k8smig__buf d = K8SMIG__BUF_INIT;
	char *ops = NULL;
	size_t nops = 0, k, ai, bi;
	int rc = 0;

	*out = NULL;
	if (split(&a, a_text) < 0 || split(&b, b_text) < 0 || edit_script(&ops, &nops, &a, &b) < 0) {
		rc = k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
		goto out;
	}
	for (k = 0; k < nops && ops[k] == ' '; k++)
		;
	if (k == nops) { /* equal */
		*out = k8smig__strdup("");
		rc = *out ? 0 : k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
		goto out;
	}
	k8smig__buf_printf(&d, "--- %s\n+++ %s\n", a_name, b_name);
	/* hunks: runs of changes with ctx lines around them */
	ai = bi = 0;
	k = 0;
	while (k < nops) {
		size_t start, end, s, e, ha, hb, la = 0, lb = 0, x, pa, pb;
		/* the next change */
		while (k < nops && ops[k] == ' ') {
			k++;
			ai++;
			bi++;
		}
		if (k >= nops)
			break;
		start = k;
		/* extend while the gap of keeps between changes is <= 2*ctx */
		end = k;
		for (x = k; x < nops; x++) {
			if (ops[x] != ' ')
				end = x + 1;
			else if (x - end >= 2 * ctx)
				break;
		}
		s = start >= ctx ? start - ctx : 0;
		e = end + ctx <= nops ? end + ctx : nops;
		/* positions of s in a and b */
		pa = ai;
		pb = bi;
		for (x = start; x > s; x--) {
			pa--;
			pb--;
		}
		ha = pa;
		hb = pb;
		for (x = s; x < e; x++) {
			la += ops[x] != '+';
			lb += ops[x] != '-';
		}
		k8smig__buf_printf(&d, "@@ -%zu,%zu +%zu,%zu @@\n", la ? ha + 1 : ha, la, lb ? hb + 1 : hb, lb);
		for (x = s; x < e; x++) {
			if (ops[x] == '+') {
				k8smig__buf_printf(&d, "+%.*s\n", (int)b.len[pb], b.v[pb]);
				pb++;
			} else if (ops[x] == '-') {
				k8smig__buf_printf(&d, "-%.*s\n", (int)a.len[pa], a.v[pa]);
				pa++;
			} else {
				k8smig__buf_printf(&d, " %.*s\n", (int)a.len[pa], a.v[pa]);
				pa++;
				pb++;
			}
		}
		ai = pa;
		bi = pb;
		k = e;
	}
	if (k8smig__buf_putc(&d, '\0') < 0 || d.failed) {
		rc = k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
		goto out;
	}
	*out = k8smig__buf_detach(&d, NULL);
out:
	k8smig__buf_free(&d);
	free(a.v);
	free(a.len);
	free(b.v);
	free(b.len);
	free(ops);
	return rc;
}

static int yaml_of(char **out, const k8smig_object *o)
{
	if (!o)
		return (*out = k8smig__strdup("")) ? 0 : k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	return k8smig_object_emit(out, NULL, o, NULL);
}

/* "apps.v1.Deployment.ns.name" as kubectl names the files it diffs */
static void diff_name(char *buf, size_t cap, const char *side, const k8smig_diff_entry *e)
{
	const char *slash = strchr(e->api_version, '/');
	if (slash)
		snprintf(buf, cap, "%s/%.*s.%s.%s.%s%s%s", side, (int)(slash - e->api_version), e->api_version, slash + 1, e->kind,
		         e->namespace_, *e->namespace_ ? "." : "", e->name);
	else
		snprintf(buf, cap, "%s/%s.%s.%s%s%s", side, e->api_version, e->kind, e->namespace_, *e->namespace_ ? "." : "", e->name);
}

static int fill_diff(k8smig_diff_entry *e, k8smig_object *before, k8smig_object *after, const char *manager, unsigned ctx)
{
	k8smig_object *aligned = NULL;
	pathset others = { NULL, 0 };
	char *a = NULL, *b = NULL, *d = NULL, an[600], bn[600];
	int rc;

	if (after)
		other_fields(&others, after, manager);
	if (before)
		strip(before, &others);
	if (after)
		strip(after, &others);
	pathset_free(&others);
	if (e->kind && strcmp(e->kind, "Secret") == 0)
		mask(before, after);
	/* keyed lists of the live side in the merged side's order: a diff per item, not per move */
	if (before && after && k8smig__align_lists(&aligned, before, after) == 0)
		before = aligned;
	diff_name(an, sizeof(an), "live", e);
	diff_name(bn, sizeof(bn), "merged", e);
	if ((rc = yaml_of(&a, before)) == 0 && (rc = yaml_of(&b, after)) == 0 && (rc = unified(&d, a, b, an, bn, ctx)) == 0) {
		free((char *)e->diff);
		e->diff = d;
		if (*d && e->action == K8SMIG_DIFF_UNCHANGED)
			e->action = K8SMIG_DIFF_CHANGE;
	}
	k8smig_free(a);
	k8smig_free(b);
	k8smig_object_free(aligned);
	return rc;
}

static bool hpa_target(const k8smig_object_list *set, const k8smig_object *o)
{
	size_t i;
	const char *ns = k8smig_object_namespace(o) ? k8smig_object_namespace(o) : "";
	for (i = 0; i < k8smig_object_list_size(set); i++) {
		const k8smig_object *h = k8smig_object_list_get(set, i);
		const char *hk = k8smig_object_kind(h), *hns = k8smig_object_namespace(h), *tk, *tn;
		if (!hk || strcmp(hk, "HorizontalPodAutoscaler") != 0 || strcmp(hns ? hns : "", ns) != 0)
			continue;
		tk = k8smig_object_get_str(h, "spec.scaleTargetRef.kind");
		tn = k8smig_object_get_str(h, "spec.scaleTargetRef.name");
		if (tk && tn && strcmp(tk, k8smig_object_kind(o)) == 0 && strcmp(tn, k8smig_object_name(o)) == 0)
			return true;
	}
	return false;
}

typedef struct ditem {
	k8smig_object *obj;
	k8smig__http patch;
	char *body;
	size_t entry, group;
	bool skip, noop;
} ditem;

/* The live objects come from one LIST per (apiVersion, kind, namespace), not a GET each. */
typedef struct dgroup {
	const char *api, *kind, *ns;
	k8smig__http list;
	k8smig_object *body;
} dgroup;

static const k8smig_value *find_item(const dgroup *g, const char *name)
{
	const k8smig_value *it;
	for (it = k8smig_value_first(k8smig_object_get(g->body, "items")); it; it = k8smig_value_next(it)) {
		const char *n = k8smig_value_str(k8smig_value_lookup(k8smig_value_lookup(it, "metadata"), "name"));
		if (n && strcmp(n, name) == 0)
			return it;
	}
	return NULL;
}

static int client_diff_impl(k8smig_diff **out, k8smig_client *c, const k8smig_object_list *set, const k8smig_diff_options *opts)
{
	k8smig_diff_options o;
	k8smig_apply_options ao;
	k8smig_diff *d = NULL;
	ditem *it = NULL;
	dgroup *g = NULL;
	size_t ng = 0;
	k8smig__http **reqs = NULL;
	k8smig_object_list *left = NULL;
	char query[512];
	const char *manager;
	char *setid = NULL;
	size_t n, i, m = 0, failures = 0;
	int rc;

	if ((rc = diff_load(&o, &ao, opts)) < 0)
		return rc;
	ao.dry_run = true;
	if (!o.context_lines)
		o.context_lines = 3;
	manager = ao.field_manager ? ao.field_manager : "k8smig";
	n = k8smig_object_list_size(set);
	for (i = 0; i < n; i++)
		if ((rc = k8smig_object_status(k8smig_object_list_get(set, i))) < 0)
			return rc;
	if ((rc = k8smig__apply_query(query, sizeof(query), &ao)) < 0)
		return rc;
	if (o.applyset && (rc = k8smig_applyset_id(&setid, o.applyset, o.applyset_namespace && *o.applyset_namespace ? o.applyset_namespace : c->namespace_)) < 0)
		return rc;
	d = calloc(1, sizeof(*d));
	it = calloc(n ? n : 1, sizeof(*it));
	reqs = calloc(2 * n + 1, sizeof(*reqs));
	g = calloc(n ? n : 1, sizeof(*g));
	if (!d || !it || !reqs || !g) {
		rc = k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
		goto out;
	}
	for (i = 0; i < n; i++) {
		const k8smig_object *src = k8smig_object_list_get(set, i);
		const char *ns = "";
		k8smig_diff_entry *e;
		size_t len;
		bool namespaced = false;
		int r2 = k8smig_object_api_version(src) && k8smig_object_kind(src) && k8smig_object_name(src)
		             ? k8smig__object_ns(&ns, &namespaced, c, src)
		             : k8smig__error_set(K8SMIG_EINVAL, "metadata.name", "object needs apiVersion, kind and metadata.name");
		if (!(e = add_entry(d, src, r2 == 0 ? ns : k8smig_object_namespace(src)))) {
			rc = k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
			goto out;
		}
		it[i].entry = d->n - 1;
		if (r2 == 0 && (r2 = k8smig_object_dup(&it[i].obj, src)) == 0) {
			if (namespaced && !k8smig_object_namespace(src))
				r2 = k8smig_object_set_namespace(it[i].obj, ns);
			if (r2 == 0 && strcmp(k8smig_object_kind(src), "Deployment") == 0 && k8smig_object_has(src, "spec.replicas") && hpa_target(set, src))
				r2 = k8smig_object_unset(it[i].obj, "spec.replicas");
			/* as applied: the applyset's member label */
			if (r2 == 0 && setid)
				r2 = k8smig_object_set_label(it[i].obj, "applyset.kubernetes.io/part-of", setid);
		}
		if (r2 == 0) {
			size_t j;
			e = &d->items[it[i].entry];
			for (j = 0; j < ng; j++)
				if (strcmp(g[j].api, e->api_version) == 0 && strcmp(g[j].kind, e->kind) == 0 && strcmp(g[j].ns, e->namespace_) == 0)
					break;
			if (j == ng) {
				g[ng].api = e->api_version;
				g[ng].kind = e->kind;
				g[ng].ns = e->namespace_;
				g[ng].list.method = "GET";
				if ((r2 = k8smig__resource_url(&g[ng].list.url, c, e->api_version, e->kind, e->namespace_, NULL, NULL, NULL)) == 0)
					reqs[m++] = &g[ng++].list;   /* round 1: the lists */
			}
			it[i].group = j;
			it[i].patch.method = "PATCH";
			it[i].patch.content_type = "application/apply-patch+yaml";
			if (r2 == 0 &&
			    (r2 = k8smig__resource_url(&it[i].patch.url, c, k8smig_object_api_version(src), k8smig_object_kind(src), ns,
			                               k8smig_object_name(src), query, NULL)) == 0 &&
			    (r2 = k8smig_object_emit(&it[i].body, &len, it[i].obj,
			                             &(k8smig_emit_options){ K8SMIG_EMIT_OPTIONS_VERSION, K8SMIG_FORMAT_JSON, K8SMIG_EMIT_COMPACT })) == 0) {
				it[i].patch.body = it[i].body;
				it[i].patch.body_len = len;
			}
		}
		if (r2 < 0) {
			e = &d->items[it[i].entry];
			e->action = K8SMIG_DIFF_FAILED;
			free((char *)e->error_message);
			e->error_message = k8smig__strdup(k8smig_error_last()->message);
			it[i].skip = true;
			failures++;
		}
	}
	if ((rc = k8smig__http_run(c, reqs, m)) < 0)
		goto out;
	for (i = 0; i < ng; i++)
		if (g[i].list.curl_code == 0 && g[i].list.status == 200 && k8smig__http_object(&g[i].body, &g[i].list) < 0)
			g[i].body = NULL;
	/* round 2: a dry run for every object that could change. One whose live state already
	 * holds every field we apply, with our manager owning exactly the fields we apply (so
	 * nothing would be removed or taken over: fields.c), is a no-op without asking the server. */
	for (i = 0, m = 0; i < n; i++) {
		const dgroup *gr = &g[it[i].group];
		const k8smig_value *lv;
		k8smig_object *live = NULL;
		if (it[i].skip)
			continue;
		if (gr->body && (lv = find_item(gr, k8smig_object_name(it[i].obj))) && k8smig__object_from_value(&live, lv) == 0 &&
		    k8smig_object_set_str(live, "apiVersion", gr->api) == 0 && k8smig_object_set_str(live, "kind", gr->kind) == 0 &&
		    k8smig__holds_stored(it[i].obj, live) && k8smig__owns_exactly(live, it[i].obj, manager))
			it[i].noop = true;
		else
			reqs[m++] = &it[i].patch;
		k8smig_object_free(live);
	}
	if ((rc = k8smig__http_run(c, reqs, m)) < 0)
		goto out;
	for (i = 0; i < n; i++) {
		k8smig_diff_entry *e = &d->items[it[i].entry];
		k8smig_object *before = NULL, *after = NULL;
		const dgroup *gr;
		const k8smig_value *live;
		char what[300];
		int r2 = 0;
		if (it[i].skip || it[i].noop)
			continue;
		gr = &g[it[i].group];
		snprintf(what, sizeof(what), "diff %s %s", e->kind, e->name);
		if (!gr->body)
			r2 = gr->list.curl_code || gr->list.status != 200 ? k8smig__http_error(&gr->list, what)
			                                                 : k8smig__error_set(K8SMIG_EAPI, "", "%s: unexpected list response", what);
		else if (!(live = find_item(gr, e->name)))
			e->action = K8SMIG_DIFF_CREATE;
		else if ((r2 = k8smig__object_from_value(&before, live)) == 0 &&
		         (r2 = k8smig_object_set_str(before, "apiVersion", e->api_version)) == 0)
			r2 = k8smig_object_set_str(before, "kind", e->kind);
		if (r2 < 0) {
			k8smig_object_free(before);
			before = NULL;
		}
		if (r2 == 0) {
			if (it[i].patch.curl_code || it[i].patch.status < 200 || it[i].patch.status >= 300)
				r2 = it[i].patch.status == 409 ? k8smig__apply_conflict(&it[i].patch, what) : k8smig__http_error(&it[i].patch, what);
			else
				r2 = k8smig__http_object(&after, &it[i].patch);
		}
		if (r2 == 0)
			r2 = fill_diff(e, before, after, manager, o.context_lines);
		if (r2 < 0) {
			e->action = K8SMIG_DIFF_FAILED;
			free((char *)e->error_message);
			e->error_message = k8smig__strdup(k8smig_error_last()->message);
			failures++;
		}
		k8smig_object_free(before);
		k8smig_object_free(after);
	}
	if (o.applyset) {
		if ((rc = k8smig__applyset_leftovers(&left, c, o.applyset, o.applyset_namespace, set)) < 0)
			goto out;
		for (i = 0; i < k8smig_object_list_size(left); i++) {
			k8smig_object *x = NULL;
			const k8smig_object *l = k8smig_object_list_get(left, i);
			k8smig_diff_entry *e = add_entry(d, l, k8smig_object_namespace(l));
			if (!e) {
				rc = k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
				goto out;
			}
			e->action = K8SMIG_DIFF_PRUNE;
			if ((rc = k8smig_object_dup(&x, l)) < 0 || (rc = fill_diff(e, x, NULL, manager, o.context_lines)) < 0) {
				k8smig_object_free(x);
				goto out;
			}
			e->action = K8SMIG_DIFF_PRUNE;
			k8smig_object_free(x);
		}
	}
	rc = failures ? k8smig__error_set(K8SMIG_ERROR, "", "%zu objects could not be compared", failures) : 0;
	*out = d;
	d = NULL;
out:
	for (i = 0; it && i < n; i++) {
		k8smig_object_free(it[i].obj);
		free(it[i].body);
		k8smig__http_clear(&it[i].patch);
	}
	for (i = 0; g && i < ng; i++) {
		k8smig__http_clear(&g[i].list);
		k8smig_object_free(g[i].body);
	}
	free(g);
	free(it);
	free(reqs);
	free(setid);
	k8smig_object_list_free(left);
	k8smig_diff_free(d);
	return rc;
}

int k8smig_client_diff(k8smig_diff **out, k8smig_client *c, const k8smig_object_list *set, const k8smig_diff_options *opts)
{
	int rc;
	if (!out)
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL out");
	*out = NULL;
	if (!c || !set)
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL client or set");
	if ((rc = k8smig__client_enter(c)) < 0)
		return rc;
	rc = client_diff_impl(out, c, set, opts);
	k8smig__client_leave(c);
	return rc;
}
