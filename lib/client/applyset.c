/*
 * lib/client/applyset.c - ApplySets (KEP-3659) as `kubectl apply --applyset`
 * writes them, pruning, deleting a set, --atomic and rollback.
 *
 * The parent is a Secret or a ConfigMap (kubectl's --applyset NAME,
 * secrets/NAME, configmaps/NAME). Its label applyset.kubernetes.io/id is
 * "applyset-" + base64url(sha256("<name>.<namespace>.<Kind>.")) + "-v1";
 * annotations: tooling, contains-group-kinds ("ConfigMap,Deployment.apps",
 * sorted), additional-namespaces (members' namespaces other than the
 * parent's, sorted). Members carry applyset.kubernetes.io/part-of: <id>.
 * kubectl refuses to touch a parent whose tooling name is not "kubectl",
 * so the tooling annotation says "kubectl/k8smig-<version>": kubectl can
 * prune our sets, and we accept sets kubectl wrote.
 */
#include <stdlib.h>
#include <string.h>

#include "lifecycle_int.h"

#define ID_LABEL "applyset.kubernetes.io/id"
#define PART_OF "applyset.kubernetes.io/part-of"
#define TOOLING "applyset.kubernetes.io/tooling"
#define GKS "applyset.kubernetes.io/contains-group-kinds"
#define NSS "applyset.kubernetes.io/additional-namespaces"
#define PARENT_MANAGER "kubectl-applyset" /* kubectl's manager for the parent: no conflicts either way */

/* history.c */
int k8smig__history_record(unsigned int *rev_out, k8smig_client *c, const char *applyset, const char *ns,
                           const k8smig_object_list *set, const char *description, unsigned int keep);
int k8smig__history_mark(k8smig_client *c, const char *applyset, const char *ns, unsigned int rev, const char *status);
int k8smig__history_delete_all(k8smig_client *c, const char *applyset, const char *ns);

struct k8smig_rollout {
	k8smig_apply_results *applied;
	k8smig_wait_results *waited;
	k8smig_prune_entry *pruned;
	size_t npruned;
	unsigned int revision, rolled_back_to;
	bool rolled_back;
};

/* Version 1 embedded the apply-set options by value; version 2 points at them. */
typedef struct rollout_options_v1 {
	unsigned int version;
	const char *applyset;
	const char *applyset_namespace;
	k8smig_apply_set_options apply;
	bool prune;
	bool wait;
	long timeout_ms;
	bool atomic;
	unsigned int history_max;
	k8smig_wait_progress_cb wait_progress;
	void *wait_payload;
} rollout_options_v1;

static const size_t rollout_options_sizes[] = { sizeof(rollout_options_v1), sizeof(k8smig_rollout_options) };

int k8smig_rollout_options_init(k8smig_rollout_options *opts, unsigned int version)
{
	static const k8smig_rollout_options def = K8SMIG_ROLLOUT_OPTIONS_INIT;
	static const rollout_options_v1 def1 = { 1, NULL, NULL, K8SMIG_APPLY_SET_OPTIONS_INIT, false, false, 0, false, 0, NULL, NULL };
	return K8SMIG__OPTIONS_INIT(opts, version, version == 1 ? (const void *)&def1 : (const void *)&def, rollout_options_sizes,
	                            "k8smig_rollout_options");
}

/* src (NULL: defaults) into o, its apply-set options (NULL: defaults) into aso and
 * their apply options (NULL: defaults) into ao, o->apply pointing at aso and
 * aso->apply at ao: any known version of each, what an older version lacks from
 * the defaults. */
static int rollout_load(k8smig_rollout_options *o, k8smig_apply_set_options *aso, k8smig_apply_options *ao,
                        const k8smig_rollout_options *src)
{
	static const k8smig_rollout_options def = K8SMIG_ROLLOUT_OPTIONS_INIT;
	static const k8smig_apply_set_options asdef = K8SMIG_APPLY_SET_OPTIONS_INIT;
	static const k8smig_apply_options adef = K8SMIG_APPLY_OPTIONS_INIT;
	const k8smig_apply_set_options *given = NULL;
	unsigned int version = 0;
	int rc;
	*o = def;
	*aso = asdef;
	*ao = adef;
	if (src)
		memcpy(&version, src, sizeof(version));
	if (version == 1) {
		const rollout_options_v1 *v1 = (const rollout_options_v1 *)(const void *)src;
		given = &v1->apply;
		o->applyset = v1->applyset;
		o->applyset_namespace = v1->applyset_namespace;
		o->prune = v1->prune;
		o->wait = v1->wait;
		o->timeout_ms = v1->timeout_ms;
		o->atomic = v1->atomic;
		o->history_max = v1->history_max;
		o->wait_progress = v1->wait_progress;
		o->wait_payload = v1->wait_payload;
	} else {
		if ((rc = K8SMIG__OPTIONS_LOAD(o, src, rollout_options_sizes, "k8smig_rollout_options")) < 0)
			return rc;
		given = o->apply;
	}
	if ((rc = K8SMIG__OPTIONS_LOAD(aso, given, k8smig__apply_set_options_sizes, "k8smig_apply_set_options")) < 0) {
		k8smig__error_prefix("apply");
		return rc;
	}
	if ((rc = K8SMIG__OPTIONS_LOAD(ao, aso->apply, k8smig__apply_options_sizes, "k8smig_apply_options")) < 0) {
		k8smig__error_prefix("apply.apply");
		return rc;
	}
	aso->apply = ao;
	o->apply = aso;
	return 0;
}

void k8smig_rollout_free(k8smig_rollout *r)
{
	size_t i;
	if (!r)
		return;
	k8smig_apply_results_free(r->applied);
	k8smig_wait_results_free(r->waited);
	for (i = 0; i < r->npruned; i++) {
		free((char *)r->pruned[i].api_version);
		free((char *)r->pruned[i].kind);
		free((char *)r->pruned[i].namespace_);
		free((char *)r->pruned[i].name);
		free((char *)r->pruned[i].error_message);
	}
	free(r->pruned);
	free(r);
}

const k8smig_apply_results *k8smig_rollout_applied(const k8smig_rollout *r) { return r ? r->applied : NULL; }
const k8smig_wait_results *k8smig_rollout_waited(const k8smig_rollout *r) { return r ? r->waited : NULL; }
size_t k8smig_rollout_pruned_size(const k8smig_rollout *r) { return r ? r->npruned : 0; }
const k8smig_prune_entry *k8smig_rollout_pruned_get(const k8smig_rollout *r, size_t i)
{
	return r && i < r->npruned ? &r->pruned[i] : NULL;
}
unsigned int k8smig_rollout_revision(const k8smig_rollout *r) { return r ? r->revision : 0; }
unsigned int k8smig_rollout_rolled_back_to(const k8smig_rollout *r) { return r ? r->rolled_back_to : 0; }
bool k8smig_rollout_rolled_back(const k8smig_rollout *r) { return r && r->rolled_back; }

/* kubectl's --applyset: "NAME" or "secrets/NAME" (a Secret parent), "configmaps/NAME"
 * (a ConfigMap parent), the singular forms too; KEP-3659 names these two as the
 * standard parents. */
int k8smig__applyset_ref(const char **kind, const char **name, const char *ref)
{
	const char *slash = ref ? strchr(ref, '/') : NULL;
	*kind = "Secret";
	*name = ref;
	if (slash) {
		size_t n = (size_t)(slash - ref);
		if ((n == 7 && strncmp(ref, "secrets", 7) == 0) || (n == 6 && strncmp(ref, "secret", 6) == 0))
			*kind = "Secret";
		else if ((n == 10 && strncmp(ref, "configmaps", 10) == 0) || (n == 9 && strncmp(ref, "configmap", 9) == 0))
			*kind = "ConfigMap";
		else
			return k8smig__error_set(K8SMIG_EINVAL, "applyset",
			                         "applyset parent %.*s is not supported: NAME, secrets/NAME or configmaps/NAME (as kubectl --applyset)",
			                         (int)(n > 64 ? 64 : n), ref);
		*name = slash + 1;
	}
	if (!*name || !**name)
		return k8smig__error_set(K8SMIG_EINVAL, "applyset", "an applyset needs a name");
	return 0;
}

int k8smig_applyset_id(char **out, const char *ref, const char *ns)
{
	const char *kind, *name;
	int rc;
	k8smig__buf b = K8SMIG__BUF_INIT;
	uint8_t d[32];
	char enc[K8SMIG__BASE64_LEN(32) + 1];
	size_t n, i;

	if (!out)
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL out");
	*out = NULL;
	if ((rc = k8smig__applyset_ref(&kind, &name, ref)) < 0)
		return rc;
	/* <name>.<namespace>.<kind>.<group>: both standard parents are in the core group ("") */
	k8smig__buf_printf(&b, "%s.%s.%s.", name, ns ? ns : "", kind);
	if (b.failed) {
		k8smig__buf_free(&b);
		return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	}
	k8smig__sha256(b.data, b.len, d);
	k8smig__buf_free(&b);
	n = k8smig__base64_encode(enc, d, sizeof(d));
	while (n && enc[n - 1] == '=')
		n--;
	enc[n] = '\0';
	for (i = 0; i < n; i++)
		enc[i] = enc[i] == '+' ? '-' : enc[i] == '/' ? '_' : enc[i];
	n += 16;
	if (!(*out = malloc(n)))
		return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	snprintf(*out, n, "applyset-%s-v1", enc);
	return 0;
}

/* ---- string sets ---- */

typedef struct strset {
	char **v;
	size_t n;
} strset;

static void strset_free(strset *s)
{
	size_t i;
	for (i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

static bool strset_has(const strset *s, const char *x)
{
	size_t i;
	for (i = 0; i < s->n; i++)
		if (strcmp(s->v[i], x) == 0)
			return true;
	return false;
}

static int strset_addn(strset *s, const char *x, size_t len)
{
	char *copy, **v;
	size_t i;
	if (!len)
		return 0;
	if (!(copy = k8smig__strndup(x, len)))
		return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	if (strset_has(s, copy)) {
		free(copy);
		return 0;
	}
	if (!(v = realloc(s->v, (s->n + 1) * sizeof(*v)))) {
		free(copy);
		return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	}
	s->v = v;
	/* sorted insert */
	for (i = s->n; i > 0 && strcmp(s->v[i - 1], copy) > 0; i--)
		s->v[i] = s->v[i - 1];
	s->v[i] = copy;
	s->n++;
	return 0;
}

static int strset_add(strset *s, const char *x) { return strset_addn(s, x, strlen(x)); }

/* "a,b,c" into s */
static int strset_split(strset *s, const char *csv)
{
	int rc = 0;
	while (csv && *csv && rc == 0) {
		size_t n = strcspn(csv, ",");
		rc = strset_addn(s, csv, n);
		csv += n + (csv[n] == ',');
	}
	return rc;
}

static char *strset_join(const strset *s)
{
	k8smig__buf b = K8SMIG__BUF_INIT;
	size_t i;
	for (i = 0; i < s->n; i++)
		k8smig__buf_printf(&b, "%s%s", i ? "," : "", s->v[i]);
	if (k8smig__buf_putc(&b, '\0') < 0 || b.failed) {
		k8smig__buf_free(&b);
		return NULL;
	}
	return k8smig__buf_detach(&b, NULL);
}

/* "Deployment.apps" / "ConfigMap" */
static int group_kind(k8smig__buf *b, const char *api_version, const char *kind)
{
	const char *slash = strchr(api_version, '/');
	b->len = 0;
	if (slash)
		k8smig__buf_printf(b, "%s.%.*s", kind, (int)(slash - api_version), api_version);
	else
		k8smig__buf_puts(b, kind);
	if (k8smig__buf_putc(b, '\0') < 0 || b->failed)
		return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	return 0;
}

/* The preferred apiVersion of a group ("" for core: "v1"). */
static int preferred_version(char **out, k8smig_client *c, const char *group)
{
	k8smig__http r;
	k8smig_object *body = NULL;
	const char *gv;
	size_t n;
	int rc;

	*out = NULL;
	if (!*group)
		return (*out = k8smig__strdup("v1")) ? 0 : k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	memset(&r, 0, sizeof(r));
	r.method = "GET";
	n = strlen(c->url_base) + strlen(group) + 8;
	if (!(r.url = malloc(n)))
		return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	snprintf(r.url, n, "%s/apis/%s", c->url_base, group);
	if ((rc = k8smig__http_do(c, &r)) == 0) {
		if (r.curl_code || r.status != 200)
			rc = k8smig__http_error(&r, "discovery");
		else if ((rc = k8smig__http_object(&body, &r)) == 0) {
			gv = k8smig_object_get_str(body, "preferredVersion.groupVersion");
			if (!gv)
				rc = k8smig__error_set(K8SMIG_EAPI, "", "group %s has no preferred version", group);
			else if (!(*out = k8smig__strdup(gv)))
				rc = k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
		}
	}
	k8smig_object_free(body);
	k8smig__http_clear(&r);
	return rc;
}

/* ---- the parent ---- */

typedef struct parent {
	const char *ref;    /* as given: NAME, secrets/NAME or configmaps/NAME */
	const char *kind, *name, *ns;
	char *id;
	bool exists;
	strset gks, nss;    /* what the live parent lists */
} parent;

static void parent_free(parent *p)
{
	free(p->id);
	strset_free(&p->gks);
	strset_free(&p->nss);
}

static int parent_load(parent *p, k8smig_client *c, const k8smig_rollout_options *o)
{
	k8smig_object *live = NULL;
	const char *tool, *id;
	int rc;

	memset(p, 0, sizeof(*p));
	p->ref = o->applyset;
	p->ns = o->applyset_namespace && *o->applyset_namespace ? o->applyset_namespace : c->namespace_;
	if ((rc = k8smig__applyset_ref(&p->kind, &p->name, p->ref)) < 0 || (rc = k8smig_applyset_id(&p->id, p->ref, p->ns)) < 0)
		return rc;
	rc = k8smig_client_get(&live, c, "v1", p->kind, p->ns, p->name);
	if (rc == K8SMIG_ENOTFOUND)
		return 0;
	if (rc < 0)
		return rc;
	p->exists = true;
	id = k8smig_object_label(live, ID_LABEL);
	tool = k8smig_object_annotation(live, TOOLING);
	if (!id || strcmp(id, p->id) != 0)
		rc = k8smig__error_set(K8SMIG_ECONFLICT, "metadata.labels[" ID_LABEL "]",
		                       "%s %s/%s exists but is not the parent of applyset %s", p->kind, p->ns, p->name, p->ref);
	else if (tool && strncmp(tool, "kubectl/", 8) != 0)
		rc = k8smig__error_set(K8SMIG_ECONFLICT, "metadata.annotations[" TOOLING "]",
		                       "applyset %s is managed by %s, not by kubectl-compatible tooling", p->name, tool);
	if (rc == 0 && (rc = strset_split(&p->gks, k8smig_object_annotation(live, GKS))) == 0)
		rc = strset_split(&p->nss, k8smig_object_annotation(live, NSS));
	k8smig_object_free(live);
	return rc;
}

static int parent_write(k8smig_client *c, const parent *p, const strset *gks, const strset *nss, bool dry_run)
{
	k8smig_object *o = NULL;
	k8smig_apply_options ao = K8SMIG_APPLY_OPTIONS_INIT;
	char *g = strset_join(gks), *n = strset_join(nss), tooling[64];
	int rc;

	snprintf(tooling, sizeof(tooling), "kubectl/k8smig-%s", k8smig_version());
	ao.field_manager = PARENT_MANAGER;
	ao.force = true;
	ao.dry_run = dry_run;
	if (!g || !n)
		rc = k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	else if ((rc = k8smig_object_new(&o, "v1", p->kind)) == 0 && (rc = k8smig_object_set_name(o, p->name)) == 0 &&
	         (rc = k8smig_object_set_namespace(o, p->ns)) == 0 && (rc = k8smig_object_set_label(o, ID_LABEL, p->id)) == 0 &&
	         (rc = k8smig_object_set_annotation(o, TOOLING, tooling)) == 0 &&
	         (rc = k8smig_object_set_annotation(o, GKS, g)) == 0 && (rc = k8smig_object_set_annotation(o, NSS, n)) == 0)
		rc = k8smig_client_apply(NULL, c, o, &ao);
	k8smig_object_free(o);
	free(g);
	free(n);
	return rc;
}

/* ---- members ---- */

typedef struct member {
	char *api, *kind, *ns, *name;
	size_t phase;
} member;

typedef struct members {
	member *v;
	size_t n;
} members;

static void members_free(members *m)
{
	size_t i;
	for (i = 0; i < m->n; i++) {
		free(m->v[i].api);
		free(m->v[i].kind);
		free(m->v[i].ns);
		free(m->v[i].name);
	}
	free(m->v);
	m->v = NULL;
	m->n = 0;
}

/* Every live object labelled part-of=<id> of the listed group-kinds in the
 * parent's and the additional namespaces (cluster-wide for cluster kinds). */
static int list_members(members *out, k8smig_client *c, const parent *p, const strset *gks, const strset *nss)
{
	size_t i, j;
	int rc = 0;
	char *sel, query[512];

	if (!(sel = curl_easy_escape(NULL, PART_OF "=", 0)))
		return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	snprintf(query, sizeof(query), "labelSelector=%s%s", sel, p->id);
	curl_free(sel);
	for (i = 0; i < gks->n && rc == 0; i++) {
		const char *gk = gks->v[i], *dot = strchr(gk, '.');
		char *kind = dot ? k8smig__strndup(gk, (size_t)(dot - gk)) : k8smig__strdup(gk), *api = NULL, *res = NULL;
		bool namespaced = false;
		if (!kind) {
			rc = k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
			break;
		}
		if ((rc = preferred_version(&api, c, dot ? dot + 1 : "")) < 0 ||
		    (rc = k8smig_client_resource(&res, &namespaced, c, api, kind)) < 0) {
			if (rc == K8SMIG_ENOTFOUND) /* the kind is gone (CRD deleted): nothing of it to prune */
				rc = 0;
			free(kind);
			free(api);
			continue;
		}
		free(res);
		for (j = 0; j < (namespaced ? nss->n + 1 : 1) && rc == 0; j++) {
			const char *ns = !namespaced ? NULL : j == 0 ? p->ns : nss->v[j - 1];
			k8smig_object *body = NULL;
			const k8smig_value *it;
			if (namespaced && j > 0 && strcmp(ns, p->ns) == 0)
				continue;
			if ((rc = k8smig__get_collection(&body, c, api, kind, namespaced ? ns : "", query)) < 0) {
				if (rc == K8SMIG_ENOTFOUND)
					rc = 0;
				continue;
			}
			for (it = k8smig_value_first(k8smig_object_get(body, "items")); it && rc == 0; it = k8smig_value_next(it)) {
				const k8smig_value *md = k8smig_value_lookup(it, "metadata");
				const char *name = k8smig_value_str(k8smig_value_lookup(md, "name"));
				const char *ins = k8smig_value_str(k8smig_value_lookup(md, "namespace"));
				member *v = realloc(out->v, (out->n + 1) * sizeof(*v)), *m;
				if (!v) {
					rc = k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
					break;
				}
				out->v = v;
				m = &out->v[out->n++];
				m->api = k8smig__strdup(api);
				m->kind = k8smig__strdup(kind);
				m->ns = k8smig__strdup(ins ? ins : "");
				m->name = k8smig__strdup(name ? name : "");
				m->phase = k8smig__apply_phase(kind);
				if (!m->api || !m->kind || !m->ns || !m->name)
					rc = k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
			}
			k8smig_object_free(body);
		}
		free(kind);
		free(api);
	}
	return rc;
}

/* Is m in the set (same group, kind, namespace, name)? */
static bool in_set(const member *m, const k8smig_object_list *set, k8smig_client *c)
{
	size_t i;
	const char *ms = strchr(m->api, '/');
	size_t mg = ms ? (size_t)(ms - m->api) : 0;
	for (i = 0; i < k8smig_object_list_size(set); i++) {
		const k8smig_object *o = k8smig_object_list_get(set, i);
		const char *api = k8smig_object_api_version(o), *s, *ns;
		if (strcmp(k8smig_object_kind(o), m->kind) != 0 || strcmp(k8smig_object_name(o), m->name) != 0)
			continue;
		s = strchr(api, '/');
		if ((s ? (size_t)(s - api) : 0) != mg || strncmp(api, m->api, mg) != 0)
			continue;
		if (k8smig__object_ns(&ns, NULL, c, o) < 0)
			continue;
		if (strcmp(ns, m->ns) == 0)
			return true;
	}
	return false;
}

static int add_pruned(k8smig_rollout *r, const member *m, int code, const char *msg)
{
	k8smig_prune_entry *v = realloc(r->pruned, (r->npruned + 1) * sizeof(*v)), *e;
	if (!v)
		return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	r->pruned = v;
	e = &r->pruned[r->npruned++];
	e->api_version = k8smig__strdup(m->api);
	e->kind = k8smig__strdup(m->kind);
	e->namespace_ = k8smig__strdup(m->ns);
	e->name = k8smig__strdup(m->name);
	e->error_code = code;
	e->error_message = k8smig__strdup(msg ? msg : "");
	if (!e->api_version || !e->kind || !e->namespace_ || !e->name || !e->error_message)
		return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	return 0;
}

/* Delete the members not in keep (NULL: all), in reverse phase order; failures are recorded. */
static int delete_members(k8smig_rollout *r, k8smig_client *c, const members *m, const k8smig_object_list *keep,
                          bool dry_run, int *failures)
{
	size_t p, i;
	int rc;
	for (p = 64; p-- > 0;)
		for (i = 0; i < m->n; i++) {
			const member *x = &m->v[i];
			if (x->phase != p || (keep && in_set(x, keep, c)))
				continue;
			rc = dry_run ? 0 : k8smig_client_delete(c, x->api, x->kind, *x->ns ? x->ns : NULL, x->name, K8SMIG_PROPAGATION_BACKGROUND);
			if (rc == K8SMIG_ENOTFOUND)
				rc = 0;
			if (rc < 0)
				++*failures;
			if ((rc = add_pruned(r, x, rc < 0 ? rc : 0, rc < 0 ? k8smig_error_last()->message : "")) < 0)
				return rc;
		}
	return 0;
}

/* Wait until the pruned objects are gone. */
static int wait_gone(k8smig_client *c, const k8smig_rollout *r, long timeout_ms)
{
	k8smig_object_list *l = NULL;
	k8smig_wait_results *wr = NULL;
	k8smig_wait_options wo = K8SMIG_WAIT_OPTIONS_INIT;
	size_t i;
	int rc = k8smig_object_list_new(&l);
	for (i = 0; i < r->npruned && rc == 0; i++) {
		k8smig_object *o = NULL;
		if (r->pruned[i].error_code)
			continue;
		if ((rc = k8smig_object_new(&o, r->pruned[i].api_version, r->pruned[i].kind)) == 0 &&
		    (rc = k8smig_object_set_name(o, r->pruned[i].name)) == 0 &&
		    (!*r->pruned[i].namespace_ || (rc = k8smig_object_set_namespace(o, r->pruned[i].namespace_)) == 0))
			rc = k8smig_object_list_append_take(l, o);
		else
			k8smig_object_free(o);
	}
	wo.for_deletion = true;
	wo.timeout_ms = timeout_ms;
	if (rc == 0 && k8smig_object_list_size(l))
		rc = k8smig_client_wait(&wr, c, l, &wo);
	k8smig_wait_results_free(wr);
	k8smig_object_list_free(l);
	return rc;
}

/* ---- apply ---- */

static int label_set(k8smig_object_list **out, const k8smig_object_list *set, const char *id)
{
	k8smig_object_list *l = NULL;
	size_t i;
	int rc = k8smig_object_list_new(&l);
	for (i = 0; i < k8smig_object_list_size(set) && rc == 0; i++) {
		k8smig_object *o = NULL;
		if ((rc = k8smig_object_dup(&o, k8smig_object_list_get(set, i))) == 0 && (rc = k8smig_object_set_label(o, PART_OF, id)) == 0)
			rc = k8smig_object_list_append_take(l, o);
		else
			k8smig_object_free(o);
	}
	if (rc < 0) {
		k8smig_object_list_free(l);
		return rc;
	}
	*out = l;
	return 0;
}

static int rollout_new(k8smig_rollout **r)
{
	if (!(*r = calloc(1, sizeof(**r))))
		return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	return 0;
}

/* The apply options of a rollout: the apply-set options hold them by pointer (NULL: defaults). */
static const k8smig_apply_options *rollout_apply(const k8smig_rollout_options *o)
{
	static const k8smig_apply_options defaults = K8SMIG_APPLY_OPTIONS_INIT;
	return o->apply && o->apply->apply ? o->apply->apply : &defaults;
}

static int apply_once(k8smig_rollout *r, k8smig_client *c, const k8smig_object_list *set, const k8smig_rollout_options *o,
                      const char *description, parent *p)
{
	k8smig_object_list *labelled = NULL;
	strset gks = { NULL, 0 }, nss = { NULL, 0 }, all_gks = { NULL, 0 }, all_nss = { NULL, 0 };
	k8smig__buf gk = K8SMIG__BUF_INIT;
	members live = { NULL, 0 };
	bool dry = rollout_apply(o)->dry_run;
	size_t i;
	int rc, failures = 0;

	for (i = 0; i < k8smig_object_list_size(set); i++)
		if ((rc = k8smig_object_status(k8smig_object_list_get(set, i))) < 0)
			return rc;
	/* what the set holds */
	for (i = 0, rc = 0; i < k8smig_object_list_size(set) && rc == 0; i++) {
		const k8smig_object *x = k8smig_object_list_get(set, i);
		const char *ns;
		bool namespaced;
		if (!k8smig_object_api_version(x) || !k8smig_object_kind(x) || !k8smig_object_name(x)) {
			rc = k8smig__error_set(K8SMIG_EINVAL, "metadata.name", "object %zu of the set needs apiVersion, kind and metadata.name", i);
			break;
		}
		if ((rc = group_kind(&gk, k8smig_object_api_version(x), k8smig_object_kind(x))) == 0 && (rc = strset_add(&gks, gk.data)) == 0 &&
		    (rc = k8smig__object_ns(&ns, &namespaced, c, x)) == 0 && namespaced && strcmp(ns, p->ns) != 0)
			rc = strset_add(&nss, ns);
	}
	for (i = 0; i < gks.n && rc == 0; i++)
		rc = strset_add(&all_gks, gks.v[i]);
	for (i = 0; i < p->gks.n && rc == 0; i++)
		rc = strset_add(&all_gks, p->gks.v[i]);
	for (i = 0; i < nss.n && rc == 0; i++)
		rc = strset_add(&all_nss, nss.v[i]);
	for (i = 0; i < p->nss.n && rc == 0; i++)
		rc = strset_add(&all_nss, p->nss.v[i]);
	if (rc < 0)
		goto out;
	if ((rc = label_set(&labelled, set, p->id)) < 0)
		goto out;
	/* the parent first, listing old and new kinds: an interrupted apply leaks nothing */
	if (!dry && (rc = parent_write(c, p, &all_gks, &all_nss, false)) == K8SMIG_ENOTFOUND && !p->exists) {
		/* its namespace does not exist yet: when the set creates it, that goes first */
		for (i = 0, rc = K8SMIG_ENOTFOUND; i < k8smig_object_list_size(labelled); i++) {
			const k8smig_object *x = k8smig_object_list_get(labelled, i);
			if (strcmp(k8smig_object_kind(x), "Namespace") == 0 && strcmp(k8smig_object_name(x), p->ns) == 0 &&
			    (rc = k8smig_client_apply(NULL, c, x, rollout_apply(o))) == 0)
				rc = parent_write(c, p, &all_gks, &all_nss, false);
		}
		if (rc == K8SMIG_ENOTFOUND)
			k8smig__error_set(K8SMIG_ENOTFOUND, "metadata.namespace", "namespace %s of applyset %s does not exist (and the set does not create it)",
			                  p->ns, p->name);
	}
	if (rc < 0)
		goto out;
	k8smig_apply_results_free(r->applied);
	r->applied = NULL;
	rc = k8smig_client_apply_set(&r->applied, c, labelled, o->apply);
	if (!r->applied)
		goto out;
	for (i = 0; i < k8smig_apply_results_size(r->applied); i++)
		if (k8smig_apply_results_get(r->applied, i)->action == K8SMIG_APPLY_FAILED)
			failures++;
	if (failures) {
		rc = k8smig__error_set(K8SMIG_ERROR, "", "%d of %zu objects failed to apply", failures, k8smig_object_list_size(set));
		goto out;
	}
	rc = 0;
	if (o->prune) {
		if ((rc = list_members(&live, c, p, &all_gks, &all_nss)) < 0 ||
		    (rc = delete_members(r, c, &live, labelled, dry, &failures)) < 0)
			goto out;
		if (failures) {
			rc = k8smig__error_set(K8SMIG_ERROR, "", "%d objects could not be pruned", failures);
			goto out;
		}
		if (!dry && (rc = parent_write(c, p, &gks, &nss, false)) < 0)
			goto out;
	}
	if (!dry)
		rc = k8smig__history_record(&r->revision, c, p->ref, p->ns, set, description, o->history_max ? o->history_max : 10);
out:
	k8smig__buf_free(&gk);
	strset_free(&gks);
	strset_free(&nss);
	strset_free(&all_gks);
	strset_free(&all_nss);
	members_free(&live);
	k8smig_object_list_free(labelled);
	return rc;
}

int k8smig__rollout_run(k8smig_rollout **out, k8smig_client *c, const k8smig_object_list *set, const k8smig_rollout_options *opts,
                        const char *description, unsigned int previous);

int k8smig__rollout_run(k8smig_rollout **out, k8smig_client *c, const k8smig_object_list *set, const k8smig_rollout_options *opts,
                        const char *description, unsigned int previous)
{
	k8smig_rollout_options o;
	k8smig_apply_options ao;
	k8smig_apply_set_options aso;
	k8smig_rollout *r = NULL;
	parent p;
	int rc, wrc = 0;

	*out = NULL;
	if (!c || !set || !opts)
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL client, set or options");
	if ((rc = rollout_load(&o, &aso, &ao, opts)) < 0)
		return rc;
	if (o.timeout_ms <= 0)
		o.timeout_ms = 300000;
	if (o.atomic)
		o.wait = true;
	if ((rc = parent_load(&p, c, &o)) < 0) {
		parent_free(&p);
		return rc;
	}
	if ((rc = rollout_new(&r)) < 0)
		goto out;
	rc = apply_once(r, c, set, &o, description, &p);
	if (rc == 0 && o.prune && r->npruned && !rollout_apply(&o)->dry_run)
		rc = wait_gone(c, r, o.timeout_ms);
	if (rc == 0 && o.wait && !rollout_apply(&o)->dry_run) {
		k8smig_wait_options wo = K8SMIG_WAIT_OPTIONS_INIT;
		k8smig_object_list *labelled = NULL;
		wo.timeout_ms = o.timeout_ms;
		wo.progress = o.wait_progress;
		wo.payload = o.wait_payload;
		rc = k8smig_client_wait(&r->waited, c, set, &wo);
		k8smig_object_list_free(labelled);
	}
	if (rc < 0 && o.atomic && !rollout_apply(&o)->dry_run && (r->applied || r->revision)) {
		k8smig__saved_error saved;
		k8smig__error_save(&saved);
		wrc = rc;
		if (r->revision)
			k8smig__history_mark(c, p.ref, p.ns, r->revision, "failed");
		r->rolled_back = true;
		if (previous) {
			/* back to what was there: re-apply the previous revision and prune what it lacks */
			k8smig_history *h = NULL;
			k8smig_object_list *old = NULL;
			size_t i;
			if (k8smig_client_history(&h, c, p.ref, p.ns) == 0) {
				for (i = 0; i < k8smig_history_size(h); i++)
					if (k8smig_history_get(h, i)->number == previous && k8smig_history_objects(&old, h, i) == 0) {
						k8smig_rollout *back = NULL;
						k8smig_rollout_options bo = o;
						k8smig_apply_options forced = *rollout_apply(&o);
						k8smig_apply_set_options bset = *o.apply;
						char desc[64];
						bo.atomic = false;
						bo.wait = true;
						bo.prune = true;
						forced.force = true;
						bset.apply = &forced;
						bset.progress = NULL;
						bo.apply = &bset;
						snprintf(desc, sizeof(desc), "rollback to %u (atomic)", previous);
						if (k8smig__rollout_run(&back, c, old, &bo, desc, 0) == 0)
							r->rolled_back_to = previous;
						k8smig_rollout_free(back);
					}
			}
			k8smig_object_list_free(old);
			k8smig_history_free(h);
		} else {
			/* nothing before: remove what this apply created */
			k8smig_rollout *gone = NULL;
			k8smig_client_delete_applyset(&gone, c, &o);
			k8smig_rollout_free(gone);
		}
		k8smig__error_restore(&saved);
		k8smig__saved_error_clear(&saved);
		rc = wrc;
	}
	if (rc == 0 || rc == K8SMIG_ERROR || rc == K8SMIG_ETIMEOUT) {
		*out = r;
		r = NULL;
	}
out:
	parent_free(&p);
	k8smig_rollout_free(r);
	return rc;
}

/* The revision that is live now (the newest "deployed" one), 0 when none. */
unsigned int k8smig__history_current(k8smig_client *c, const char *applyset, const char *ns);

static int client_apply_applyset_impl(k8smig_rollout **out, k8smig_client *c, const k8smig_object_list *set, const k8smig_rollout_options *opts)
{
	unsigned int prev = 0;
	if (out)
		*out = NULL;
	if (!out || !c || !opts)
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL argument");
	if (opts->atomic && opts->applyset)
		prev = k8smig__history_current(c, opts->applyset, opts->applyset_namespace && *opts->applyset_namespace ? opts->applyset_namespace : c->namespace_);
	return k8smig__rollout_run(out, c, set, opts, "apply", prev);
}

static int client_rollback_impl(k8smig_rollout **out, k8smig_client *c, unsigned int revision, const k8smig_rollout_options *opts)
{
	k8smig_history *h = NULL;
	k8smig_object_list *old = NULL;
	k8smig_rollout_options o, ro;
	k8smig_apply_options ao;
	k8smig_apply_set_options aso;
	const char *ns;
	size_t i, pick = (size_t)-1;
	unsigned int current;
	char desc[64];
	int rc;

	if (out)
		*out = NULL;
	if (!out || !c || !opts || !opts->applyset)
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL argument or no applyset");
	if ((rc = rollout_load(&o, &aso, &ao, opts)) < 0)
		return rc;
	opts = &o;
	ns = opts->applyset_namespace && *opts->applyset_namespace ? opts->applyset_namespace : c->namespace_;
	if ((rc = k8smig_client_history(&h, c, opts->applyset, ns)) < 0)
		return rc;
	current = k8smig__history_current(c, opts->applyset, ns);
	for (i = k8smig_history_size(h); i-- > 0;) {
		const k8smig_revision *v = k8smig_history_get(h, i);
		if (revision ? v->number == revision : v->number < current && strcmp(v->status, "failed") != 0) {
			pick = i;
			break;
		}
	}
	if (pick == (size_t)-1) {
		k8smig_history_free(h);
		return revision ? k8smig__error_set(K8SMIG_ENOTFOUND, "revision", "applyset %s has no revision %u", opts->applyset, revision)
		                : k8smig__error_set(K8SMIG_ENOTFOUND, "revision", "applyset %s has no earlier revision", opts->applyset);
	}
	if ((rc = k8smig_history_objects(&old, h, pick)) == 0) {
		ro = o;
		ro.prune = true;
		snprintf(desc, sizeof(desc), "rollback to %u", k8smig_history_get(h, pick)->number);
		rc = k8smig__rollout_run(out, c, old, &ro, desc, current);
		if (*out)
			(*out)->rolled_back_to = k8smig_history_get(h, pick)->number;
	}
	k8smig_object_list_free(old);
	k8smig_history_free(h);
	return rc;
}

static int client_delete_applyset_impl(k8smig_rollout **out, k8smig_client *c, const k8smig_rollout_options *opts)
{
	k8smig_rollout_options o;
	k8smig_apply_options ao;
	k8smig_apply_set_options aso;
	k8smig_rollout *r = NULL;
	members live = { NULL, 0 };
	parent p;
	int rc, failures = 0;
	bool dry;

	if (out)
		*out = NULL;
	if (!out || !c || !opts)
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL argument");
	if ((rc = rollout_load(&o, &aso, &ao, opts)) < 0)
		return rc;
	opts = &o;
	dry = ao.dry_run;
	if ((rc = parent_load(&p, c, opts)) < 0)
		goto out;
	if (!p.exists) {
		rc = k8smig__error_set(K8SMIG_ENOTFOUND, "applyset", "no applyset %s in namespace %s", p.name, p.ns);
		goto out;
	}
	if ((rc = rollout_new(&r)) < 0 || (rc = list_members(&live, c, &p, &p.gks, &p.nss)) < 0 ||
	    (rc = delete_members(r, c, &live, NULL, dry, &failures)) < 0)
		goto out;
	if (!dry && (rc = wait_gone(c, r, opts->timeout_ms > 0 ? opts->timeout_ms : 300000)) < 0)
		goto done;
	if (failures) {
		rc = k8smig__error_set(K8SMIG_ERROR, "", "%d objects could not be deleted", failures);
		goto done;
	}
	if (!dry) {
		if ((rc = k8smig__history_delete_all(c, p.ref, p.ns)) < 0)
			goto done;
		rc = k8smig_client_delete(c, "v1", p.kind, p.ns, p.name, K8SMIG_PROPAGATION_BACKGROUND);
		if (rc == K8SMIG_ENOTFOUND)
			rc = 0;
	}
done:
	if (rc == 0 || rc == K8SMIG_ERROR || rc == K8SMIG_ETIMEOUT) {
		*out = r;
		r = NULL;
	}
out:
	members_free(&live);
	parent_free(&p);
	k8smig_rollout_free(r);
	return rc;
}

/* Live members of an applyset that are not in set (for diff). */
int k8smig__applyset_leftovers(k8smig_object_list **out, k8smig_client *c, const char *applyset, const char *ns,
                               const k8smig_object_list *set);

int k8smig__applyset_leftovers(k8smig_object_list **out, k8smig_client *c, const char *applyset, const char *ns,
                               const k8smig_object_list *set)
{
	k8smig_rollout_options o = K8SMIG_ROLLOUT_OPTIONS_INIT;
	members live = { NULL, 0 };
	k8smig_object_list *l = NULL;
	parent p;
	size_t i;
	int rc;

	*out = NULL;
	o.applyset = applyset;
	o.applyset_namespace = ns;
	if ((rc = parent_load(&p, c, &o)) == 0 && (rc = k8smig_object_list_new(&l)) == 0 && p.exists &&
	    (rc = list_members(&live, c, &p, &p.gks, &p.nss)) == 0) {
		for (i = 0; i < live.n && rc == 0; i++) {
			k8smig_object *x = NULL;
			if (in_set(&live.v[i], set, c))
				continue;
			rc = k8smig_client_get(&x, c, live.v[i].api, live.v[i].kind, *live.v[i].ns ? live.v[i].ns : NULL, live.v[i].name);
			if (rc == K8SMIG_ENOTFOUND) {
				rc = 0;
				continue;
			}
			if (rc == 0)
				rc = k8smig_object_list_append_take(l, x);
		}
	}
	if (rc == 0) {
		*out = l;
		l = NULL;
	}
	k8smig_object_list_free(l);
	members_free(&live);
	parent_free(&p);
	return rc;
}

static int client_delete_set_impl(k8smig_rollout **out, k8smig_client *c, const k8smig_object_list *set, const k8smig_rollout_options *opts)
{
	k8smig_rollout_options o;
	k8smig_apply_options ao;
	k8smig_apply_set_options aso;
	k8smig_rollout *r = NULL;
	members m = { NULL, 0 };
	size_t i;
	int rc, failures = 0;

	if (out)
		*out = NULL;
	if (!out || !c || !set)
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL argument");
	if ((rc = rollout_load(&o, &aso, &ao, opts)) < 0)
		return rc;
	if ((rc = rollout_new(&r)) < 0)
		return rc;
	if (!(m.v = calloc(k8smig_object_list_size(set) + 1, sizeof(*m.v)))) {
		rc = k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
		goto out;
	}
	for (i = 0; i < k8smig_object_list_size(set); i++) {
		const k8smig_object *x = k8smig_object_list_get(set, i);
		const char *ns;
		member *e = &m.v[m.n];
		if (!k8smig_object_api_version(x) || !k8smig_object_kind(x) || !k8smig_object_name(x)) {
			rc = k8smig__error_set(K8SMIG_EINVAL, "metadata.name", "object %zu of the set needs apiVersion, kind and metadata.name", i);
			goto out;
		}
		if ((rc = k8smig__object_ns(&ns, NULL, c, x)) < 0) {
			if (rc == K8SMIG_ENOTFOUND) /* the kind is gone: so is the object */
				continue;
			goto out;
		}
		m.n++;
		e->api = k8smig__strdup(k8smig_object_api_version(x));
		e->kind = k8smig__strdup(k8smig_object_kind(x));
		e->ns = k8smig__strdup(ns);
		e->name = k8smig__strdup(k8smig_object_name(x));
		e->phase = k8smig__apply_phase(e->kind ? e->kind : "");
		if (!e->api || !e->kind || !e->ns || !e->name) {
			rc = k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
			goto out;
		}
	}
	if ((rc = delete_members(r, c, &m, NULL, rollout_apply(&o)->dry_run, &failures)) < 0)
		goto out;
	if (!rollout_apply(&o)->dry_run && (rc = wait_gone(c, r, o.timeout_ms > 0 ? o.timeout_ms : 300000)) < 0)
		goto done;
	if (failures)
		rc = k8smig__error_set(K8SMIG_ERROR, "", "%d objects could not be deleted", failures);
done:
	if (rc == 0 || rc == K8SMIG_ERROR || rc == K8SMIG_ETIMEOUT) {
		*out = r;
		r = NULL;
	}
out:
	members_free(&m);
	k8smig_rollout_free(r);
	return rc;
}

/* ---- the public calls: one thread at a time per client ---- */

#define ROLLOUT_ENTRY(call)                                                   \
	do {                                                                  \
		int rc_;                                                      \
		if (!out)                                                     \
			return k8smig__error_set(K8SMIG_EINVAL, "", "NULL out");  \
		*out = NULL;                                                  \
		if (!c)                                                       \
			return k8smig__error_set(K8SMIG_EINVAL, "", "NULL client"); \
		if ((rc_ = k8smig__client_enter(c)) < 0)                      \
			return rc_;                                           \
		rc_ = (call);                                                 \
		k8smig__client_leave(c);                                      \
		return rc_;                                                   \
	} while (0)

int k8smig_client_apply_applyset(k8smig_rollout **out, k8smig_client *c, const k8smig_object_list *set, const k8smig_rollout_options *opts)
{
	ROLLOUT_ENTRY(client_apply_applyset_impl(out, c, set, opts));
}

int k8smig_client_rollback(k8smig_rollout **out, k8smig_client *c, unsigned int revision, const k8smig_rollout_options *opts)
{
	ROLLOUT_ENTRY(client_rollback_impl(out, c, revision, opts));
}

int k8smig_client_delete_applyset(k8smig_rollout **out, k8smig_client *c, const k8smig_rollout_options *opts)
{
	ROLLOUT_ENTRY(client_delete_applyset_impl(out, c, opts));
}

int k8smig_client_delete_set(k8smig_rollout **out, k8smig_client *c, const k8smig_object_list *set, const k8smig_rollout_options *opts)
{
	ROLLOUT_ENTRY(client_delete_set_impl(out, c, set, opts));
}
