/*
 * lib/client/apply_set.c - server-side apply of a whole set, in dependency
 * phases, concurrently inside a phase, with a result per object.
 *
 * Per phase: one round to read what exists (a LIST per kind and namespace
 * with several objects, a GET per object of the others), then one round of
 * apply PATCHes for the objects the apply would change; both rounds run
 * concurrently over one multiplexed connection. An object whose live state
 * already holds every field we apply, with our manager owning exactly those
 * fields (fields.c), is not sent: the server would change nothing.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "client.h"
#include "../model/tree.h"
#include "../model/kinds.h"
#include "../model/list.h"


struct k8smig_apply_results {
	k8smig_apply_result *items;
	k8smig_object **live;      /* what the server returned, per item */
	size_t n;
};

/* Dependency order: what must exist before the next phase can work (lib/model/kinds.c). */
#define N_PHASES K8SMIG__APPLY_PHASES /* the last one: unknown kinds */
#define CRD_PHASE K8SMIG__APPLY_PHASE_CRD

static size_t phase_of(const char *kind)
{
	return k8smig__kind_apply_phase(kind);
}

/* for prune and delete (applyset.c), which run the phases in reverse */
size_t k8smig__apply_phase(const char *kind);
size_t k8smig__apply_phase(const char *kind) { return phase_of(kind); }

const size_t k8smig__apply_set_options_sizes[1] = { sizeof(k8smig_apply_set_options) };
#define apply_set_options_sizes k8smig__apply_set_options_sizes

int k8smig_apply_set_options_init(k8smig_apply_set_options *opts, unsigned int version)
{
	static const k8smig_apply_set_options def = K8SMIG_APPLY_SET_OPTIONS_INIT;
	return K8SMIG__OPTIONS_INIT(opts, version, &def, apply_set_options_sizes, "k8smig_apply_set_options");
}

/* A failure's texts when copying them ran out of memory: never freed. */
static char no_text[] = "";

static void release(const char *s)
{
	if (s != no_text)
		free((char *)s);
}

void k8smig_apply_results_free(k8smig_apply_results *r)
{
	size_t i;
	if (!r)
		return;
	for (i = 0; i < r->n; i++) {
		free((char *)r->items[i].kind);
		free((char *)r->items[i].namespace_);
		free((char *)r->items[i].name);
		free((char *)r->items[i].resource);
		release(r->items[i].error_message);
		release(r->items[i].error_path);
		if (r->live)
			k8smig_object_free(r->live[i]);
	}
	free(r->live);
	free(r->items);
	free(r);
}

size_t k8smig_apply_results_size(const k8smig_apply_results *r) { return r ? r->n : 0; }

size_t k8smig_apply_results_failed(const k8smig_apply_results *r)
{
	size_t i, n = 0;
	for (i = 0; r && i < r->n; i++)
		n += r->items[i].action == K8SMIG_APPLY_FAILED;
	return n;
}

const k8smig_apply_result *k8smig_apply_results_get(const k8smig_apply_results *r, size_t i)
{
	return r && i < r->n ? &r->items[i] : NULL;
}

const k8smig_object *k8smig_apply_results_object(const k8smig_apply_results *r, size_t i)
{
	return r && r->live && i < r->n ? r->live[i] : NULL;
}

const char *k8smig_apply_action_name(k8smig_apply_action a)
{
	switch (a) {
	case K8SMIG_APPLY_CREATED: return "created";
	case K8SMIG_APPLY_CONFIGURED: return "configured";
	case K8SMIG_APPLY_UNCHANGED: return "unchanged";
	default: return "failed";
	}
}

#define NOT_APPLIED "not applied: an earlier phase failed"

/* Per-object working state. */
typedef struct item {
	const k8smig_object *src;
	k8smig_object *obj;        /* what is sent (a copy when changed) */
	size_t phase;
	bool namespaced;
	k8smig_object *before;     /* the live object before the apply; NULL when absent */
	bool existed;
	k8smig__http get, patch;
	char *body;
	size_t body_len;
} item;

static char *dupe(const char *s)
{
	return k8smig__strdup(s ? s : "");
}

static void fail_item(k8smig_apply_result *res, int code, const char *msg, const char *path, int http)
{
	char *m = dupe(msg), *p = dupe(path);
	if (!m || !p) {
		release(m);
		release(p);
		m = p = no_text; /* the fields stay strings; the code says what happened */
		code = K8SMIG_ENOMEM;
	}
	res->action = K8SMIG_APPLY_FAILED;
	res->error_code = code ? code : K8SMIG_ERROR;
	release(res->error_message);
	release(res->error_path);
	res->error_message = m;
	res->error_path = p;
	res->http_status = http;
}

static void fail_from_last(k8smig_apply_result *res)
{
	const k8smig_error *e = k8smig_error_last();
	fail_item(res, e->code, e->message, e->path, e->http_status);
}

/* Is (kind, ns, name) the target of an HPA in the set? */
static bool hpa_managed(const k8smig_object_list *set, const k8smig_object *o)
{
	size_t i;
	const char *ns = k8smig_object_namespace(o) ? k8smig_object_namespace(o) : "";
	for (i = 0; i < k8smig_object_list_size(set); i++) {
		const k8smig_object *h = k8smig_object_list_get(set, i);
		const char *hk = k8smig_object_kind(h), *hns = k8smig_object_namespace(h);
		if (!hk || strcmp(hk, "HorizontalPodAutoscaler") != 0 || strcmp(hns ? hns : "", ns) != 0)
			continue;
		if (k8smig_object_get_str(h, "spec.scaleTargetRef.kind") && k8smig_object_get_str(h, "spec.scaleTargetRef.name") &&
		    strcmp(k8smig_object_get_str(h, "spec.scaleTargetRef.kind"), k8smig_object_kind(o)) == 0 &&
		    strcmp(k8smig_object_get_str(h, "spec.scaleTargetRef.name"), k8smig_object_name(o)) == 0)
			return true;
	}
	return false;
}

/* Wait until a CRD reports Established=True. */
static int wait_established(k8smig_client *c, const char *name, long timeout_ms)
{
	double deadline = k8smig__now() + (double)timeout_ms / 1000;
	for (;;) {
		k8smig_object *live = NULL;
		int rc = k8smig_client_get(&live, c, "apiextensions.k8s.io/v1", "CustomResourceDefinition", NULL, name);
		if (rc == 0) {
			const k8smig_value *it;
			bool ok = false;
			for (it = k8smig_value_first(k8smig_object_get(live, "status.conditions")); it; it = k8smig_value_next(it)) {
				const char *t = k8smig_value_str(k8smig_value_lookup(it, "type"));
				const char *s = k8smig_value_str(k8smig_value_lookup(it, "status"));
				if (t && s && strcmp(t, "Established") == 0 && strcmp(s, "True") == 0)
					ok = true;
			}
			k8smig_object_free(live);
			if (ok)
				return 0;
		} else if (rc != K8SMIG_ENOTFOUND) {
			return rc;
		}
		if (k8smig__now() > deadline)
			return k8smig__error_set(K8SMIG_ETIMEOUT, "status.conditions", "CRD %s not Established within %ld ms", name, timeout_ms);
		{
			struct timespec ts = { 0, 200 * 1000000L };
			nanosleep(&ts, NULL);
		}
	}
}

static int prepare_item(k8smig_client *c, item *it, k8smig_apply_result *res, const char *query)
{
	const char *api = k8smig_object_api_version(it->obj), *kind = k8smig_object_kind(it->obj);
	const char *name = k8smig_object_name(it->obj), *ns = k8smig_object_namespace(it->obj);
	char *resource = NULL;
	int rc;

	if (!api || !kind || !name || !*name) {
		fail_item(res, K8SMIG_EINVAL, "object needs apiVersion, kind and metadata.name", !api ? "apiVersion" : !kind ? "kind" : "metadata.name", 0);
		return -1;
	}
	if ((rc = k8smig_client_resource(&resource, &it->namespaced, c, api, kind)) < 0) {
		fail_from_last(res);
		return -1;
	}
	free((char *)res->resource);
	res->resource = resource;
	if (it->namespaced && (!ns || !*ns)) {
		/* as kubectl: the context's namespace for namespaced objects without one */
		if (it->obj == it->src && (rc = k8smig_object_dup(&it->obj, it->src)) < 0) {
			it->obj = (k8smig_object *)it->src;
			fail_from_last(res);
			return -1;
		}
		if (k8smig_object_set_namespace(it->obj, c->namespace_) < 0) {
			fail_from_last(res);
			return -1;
		}
		/* setting the namespace may move the object's arena: read its identity again */
		api = k8smig_object_api_version(it->obj);
		kind = k8smig_object_kind(it->obj);
		name = k8smig_object_name(it->obj);
		ns = c->namespace_;
		free((char *)res->namespace_);
		if (!(res->namespace_ = dupe(ns))) {
			fail_item(res, K8SMIG_ENOMEM, "out of memory", "", 0);
			return -1;
		}
	}
	if (!it->namespaced && ns && *ns) {
		free((char *)res->namespace_);
		if (!(res->namespace_ = dupe(""))) {
			fail_item(res, K8SMIG_ENOMEM, "out of memory", "", 0);
			return -1;
		}
	}
	it->get.method = "GET";
	it->patch.method = "PATCH";
	it->patch.content_type = "application/apply-patch+yaml";
	if (k8smig__resource_url(&it->get.url, c, api, kind, ns, name, NULL, NULL) < 0 ||
	    k8smig__resource_url(&it->patch.url, c, api, kind, ns, name, query, NULL) < 0 ||
	    k8smig_object_emit(&it->body, &it->body_len, it->obj,
	                       &(k8smig_emit_options){ K8SMIG_EMIT_OPTIONS_VERSION, K8SMIG_FORMAT_JSON, K8SMIG_EMIT_COMPACT }) < 0) {
		fail_from_last(res);
		return -1;
	}
	it->patch.body = it->body;
	it->patch.body_len = it->body_len;
	return 0;
}

/*
 * Did the live object already hold everything we apply? Every field of `want`
 * must be present in `have` with the same value; fields the server defaults
 * or controllers write (status, annotations of their own, ...) are not ours
 * and do not count. Lists must match item by item (items may carry defaults).
 */
static bool zero_value(const k8smig_value *v)
{
	switch (k8smig_value_type(v)) {
	case K8SMIG_TYPE_BOOL: return !k8smig_value_bool(v);
	case K8SMIG_TYPE_INT: return k8smig_value_int(v) == 0;
	case K8SMIG_TYPE_STRING: return !*k8smig_value_str(v);
	case K8SMIG_TYPE_MAP:
	case K8SMIG_TYPE_LIST: return k8smig_value_size(v) == 0;
	default: return false;
	}
}

static bool holds(const k8smig_value *want, const k8smig_value *have)
{
	const k8smig_value *w, *h;

	/* the API server leaves out fields at their zero value (Go's omitempty:
	 * readOnly: false, an empty list): absent there is what we applied */
	if (!have && zero_value(want))
		return true;
	switch (k8smig_value_type(want)) {
	case K8SMIG_TYPE_MAP:
		if (k8smig_value_type(have) != K8SMIG_TYPE_MAP)
			return false;
		for (w = k8smig_value_first(want); w; w = k8smig_value_next(w)) {
			h = k8smig_value_lookup(have, k8smig_value_key(w));
			if (k8smig_value_type(w) == K8SMIG_TYPE_NULL ? h && k8smig_value_type(h) != K8SMIG_TYPE_NULL : !holds(w, h))
				return false;
		}
		return true;
	case K8SMIG_TYPE_LIST:
		if (k8smig_value_type(have) != K8SMIG_TYPE_LIST || k8smig_value_size(want) != k8smig_value_size(have))
			return false;
		for (w = k8smig_value_first(want), h = k8smig_value_first(have); w; w = k8smig_value_next(w), h = k8smig_value_next(h))
			if (!holds(w, h))
				return false;
		return true;
	default:
		return have && k8smig_value_equal(want, have);
	}
}


/* holds() against what the server stores: a Secret's stringData is stored as data */
int k8smig__secret_normalize(k8smig_object **out, const k8smig_object *o);
static bool holds_stored(const k8smig_object *want, const k8smig_object *have)
{
	k8smig_object *n = NULL;
	bool r;
	if (k8smig__secret_normalize(&n, want) < 0)
		n = NULL;
	r = holds(k8smig_object_get(n ? n : want, NULL), k8smig_object_get(have, NULL));
	k8smig_object_free(n);
	return r;
}

/* for diff.c: the same test */
bool k8smig__holds_stored(const k8smig_object *want, const k8smig_object *have);
bool k8smig__holds_stored(const k8smig_object *want, const k8smig_object *have) { return holds_stored(want, have); }

/* diff.c and fields.c: is applying want again a no-op for our manager? */
bool k8smig__owns_exactly(const k8smig_object *live, const k8smig_object *want, const char *manager);
bool k8smig__kept_ours(const k8smig_object *before, const k8smig_object *after, const char *manager);

/*
 * The live objects of a phase come from one LIST per (apiVersion, kind,
 * namespace) when the phase applies at least LIST_MIN objects of it, from a
 * GET each otherwise (a LIST of a crowded namespace to apply two objects would
 * cost more than it saves). A LIST the server refuses (RBAC may allow get and
 * not list) falls back to the GETs.
 */
#define LIST_MIN 4

typedef struct lgroup {
	const char *api, *kind, *ns;
	size_t count;
	k8smig__http list;
	k8smig_object *body;
	const k8smig_value **sorted; /* items by name */
	size_t n;
} lgroup;

static const char *item_name(const k8smig_value *v)
{
	const char *n = k8smig_value_str(k8smig_value_lookup(k8smig_value_lookup(v, "metadata"), "name"));
	return n ? n : "";
}

static int by_name(const void *a, const void *b)
{
	return strcmp(item_name(*(const k8smig_value *const *)a), item_name(*(const k8smig_value *const *)b));
}

static int find_name(const void *key, const void *b)
{
	return strcmp((const char *)key, item_name(*(const k8smig_value *const *)b));
}

static bool same_str(const char *a, const char *b) { return strcmp(a ? a : "", b ? b : "") == 0; }

/* Read a LIST answer into g->sorted; false when it cannot be used (the items are then fetched one by one). */
static bool read_list(lgroup *g)
{
	const k8smig_value *v;
	size_t i = 0;
	if (g->list.curl_code || g->list.status != 200 || k8smig__http_object(&g->body, &g->list) < 0)
		return false;
	g->n = k8smig_value_size(k8smig_object_get(g->body, "items"));
	if (!(g->sorted = calloc(g->n ? g->n : 1, sizeof(*g->sorted))))
		return false;
	for (v = k8smig_value_first(k8smig_object_get(g->body, "items")); v && i < g->n; v = k8smig_value_next(v))
		g->sorted[i++] = v;
	qsort(g->sorted, g->n, sizeof(*g->sorted), by_name);
	return true;
}

/* The live object of an item from its group's LIST: 0 absent or found (*before set), -1 error. */
static int from_list(item *it, const lgroup *g)
{
	const k8smig_value *const *hit = bsearch(k8smig_object_name(it->obj), g->sorted, g->n, sizeof(*g->sorted), find_name);
	if (!hit)
		return 0;
	it->existed = true;
	if (k8smig__object_from_value(&it->before, *hit) < 0 || k8smig_object_set_str(it->before, "apiVersion", g->api) < 0 ||
	    k8smig_object_set_str(it->before, "kind", g->kind) < 0)
		return -1;
	return 0;
}

static void lgroups_free(lgroup *g, size_t ng)
{
	size_t i;
	for (i = 0; g && i < ng; i++) {
		k8smig__http_clear(&g[i].list);
		k8smig_object_free(g[i].body);
		free(g[i].sorted);
	}
	free(g);
}

static int run_phase(k8smig_client *c, item *items, k8smig_apply_results *out, size_t *idx, size_t n,
                     const k8smig_apply_set_options *o, size_t *done, size_t total, const char *query)
{
	k8smig__http **reqs = calloc(n ? n : 1, sizeof(*reqs));
	lgroup *g = calloc(n ? n : 1, sizeof(*g));
	size_t *gi = calloc(n ? n : 1, sizeof(*gi));
	const char *manager = o->apply && o->apply->field_manager ? o->apply->field_manager : "k8smig";
	size_t i, j, m = 0, ng = 0;
	int failures = 0, rc;

	if (!reqs || !g || !gi) {
		rc = k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
		goto out;
	}
	for (i = 0; i < n; i++) {
		item *it = &items[idx[i]];
		gi[i] = SIZE_MAX;
		if (prepare_item(c, it, &out->items[idx[i]], query) < 0)
			continue;
		for (j = 0; j < ng; j++)
			if (same_str(g[j].api, k8smig_object_api_version(it->obj)) && same_str(g[j].kind, k8smig_object_kind(it->obj)) &&
			    same_str(g[j].ns, it->namespaced ? k8smig_object_namespace(it->obj) : ""))
				break;
		if (j == ng) {
			g[ng].api = k8smig_object_api_version(it->obj);
			g[ng].kind = k8smig_object_kind(it->obj);
			g[ng].ns = it->namespaced ? k8smig_object_namespace(it->obj) : "";
			ng++;
		}
		g[j].count++;
		gi[i] = j;
	}
	/* round 1: what exists (a LIST per large group, a GET per object of the others) */
	for (j = 0; j < ng; j++) {
		if (g[j].count < LIST_MIN)
			continue;
		g[j].list.method = "GET";
		if ((rc = k8smig__resource_url(&g[j].list.url, c, g[j].api, g[j].kind, *g[j].ns ? g[j].ns : NULL, NULL, NULL, NULL)) < 0)
			goto out;
		reqs[m++] = &g[j].list;
	}
	for (i = 0; i < n; i++)
		if (gi[i] != SIZE_MAX && g[gi[i]].count < LIST_MIN)
			reqs[m++] = &items[idx[i]].get;
	if ((rc = k8smig__http_run(c, reqs, m)) < 0)
		goto out;
	m = 0;
	for (j = 0; j < ng; j++)
		if (g[j].count >= LIST_MIN && !read_list(&g[j]))
			g[j].count = 0; /* not usable: GET its objects instead */
	for (i = 0; i < n; i++)
		if (gi[i] != SIZE_MAX && g[gi[i]].count == 0)
			reqs[m++] = &items[idx[i]].get;
	if (m && (rc = k8smig__http_run(c, reqs, m)) < 0)
		goto out;
	m = 0;
	for (i = 0; i < n; i++) {
		item *it = &items[idx[i]];
		k8smig_apply_result *res = &out->items[idx[i]];
		if (res->action == K8SMIG_APPLY_FAILED)
			continue;
		if (g[gi[i]].count >= LIST_MIN) {
			if (from_list(it, &g[gi[i]]) < 0) {
				fail_from_last(res);
				continue;
			}
		} else if (it->get.curl_code == 0 && it->get.status == 200) {
			it->existed = true;
			if (k8smig__http_object(&it->before, &it->get) < 0) {
				/* out of memory, or a reply that is no object: without it "unchanged" cannot be told */
				it->before = NULL;
				fail_from_last(res);
				continue;
			}
		} else if (it->get.curl_code || it->get.status != 404) {
			char what[256];
			snprintf(what, sizeof(what), "get %s %s", k8smig_object_kind(it->obj), k8smig_object_name(it->obj));
			k8smig__http_error(&it->get, what);
			fail_from_last(res);
			continue;
		}
		/* Already as we would leave it: the live object holds every value we apply and our
		 * manager owns exactly the fields we apply, so the apply would change nothing (no
		 * field to take, none to give up). Not sent; the live object is the answer. */
		if (it->before && holds_stored(it->obj, it->before) && k8smig__owns_exactly(it->before, it->obj, manager)) {
			res->action = K8SMIG_APPLY_UNCHANGED;
			continue;
		}
		reqs[m++] = &it->patch;
	}
	/* round 2: apply */
	if ((rc = k8smig__http_run(c, reqs, m)) < 0)
		goto out;
	for (i = 0; i < n; i++) {
		item *it = &items[idx[i]];
		k8smig_apply_result *res = &out->items[idx[i]];
		if (res->action == K8SMIG_APPLY_UNCHANGED) {
			out->live[idx[i]] = it->before;
			it->before = NULL;
		} else if (res->action != K8SMIG_APPLY_FAILED) {
			if (it->patch.curl_code || it->patch.status < 200 || it->patch.status >= 300) {
				char what[256];
				snprintf(what, sizeof(what), "apply %s %s", k8smig_object_kind(it->obj), k8smig_object_name(it->obj));
				if (it->patch.status == 409)
					k8smig__apply_conflict(&it->patch, what);
				else
					k8smig__http_error(&it->patch, what);
				fail_from_last(res);
			} else {
				k8smig_object *live = NULL;
				if (k8smig__http_object(&live, &it->patch) < 0) {
					/* applied, most likely, but unconfirmed (out of memory reading it, or a
					 * proxy mangled the answer): say so; applying again is harmless */
					if (k8smig_error_last()->code != K8SMIG_ENOMEM)
						k8smig__error_set(K8SMIG_EAPI, "", "apply %s %s: the API server's answer (HTTP %ld) is not a readable object",
						                  k8smig_object_kind(it->obj), k8smig_object_name(it->obj), it->patch.status);
					fail_from_last(res);
					continue;
				}
				/* unchanged: every value we apply was there before, and every field we
				 * owned before kept its value (none was removed); what controllers
				 * changed meanwhile (status, their annotations) is not ours */
				if (!it->existed)
					res->action = K8SMIG_APPLY_CREATED;
				else if (it->before && holds_stored(it->obj, it->before) && k8smig__kept_ours(it->before, live, manager))
					res->action = K8SMIG_APPLY_UNCHANGED;
				else
					res->action = K8SMIG_APPLY_CONFIGURED;
				out->live[idx[i]] = live;
			}
		}
		if (res->action == K8SMIG_APPLY_FAILED)
			failures++;
		else if (it->phase == CRD_PHASE && !(o->apply && o->apply->dry_run) &&
		         wait_established(c, k8smig_object_name(it->obj), o->crd_timeout_ms ? o->crd_timeout_ms : 60000) < 0) {
			fail_from_last(res);
			failures++;
		}
		++*done;
		if (o->progress)
			o->progress(res, *done, total, o->payload);
	}
	rc = failures;
out:
	lgroups_free(g, ng);
	free(gi);
	free(reqs);
	return rc;
}

/*
 * When no object was applied and every object that was tried failed with the
 * same code that is not about the object itself (the others were "not
 * applied" after an earlier phase failed), the set failed for one reason: an
 * unreachable server, a Forbidden user, a server that keeps answering 5xx.
 * Return that code with the first such object's error; otherwise 0 (the
 * results say what went wrong with each object).
 */
static bool set_level_code(int code)
{
	return code == K8SMIG_ETRANSPORT || code == K8SMIG_EAUTH || code == K8SMIG_ETIMEOUT || code == K8SMIG_EAPI;
}

static int common_failure(const k8smig_apply_results *res)
{
	const k8smig_apply_result *first = NULL;
	size_t i;
	for (i = 0; i < res->n; i++) {
		const k8smig_apply_result *r = &res->items[i];
		if (r->action != K8SMIG_APPLY_FAILED)
			return 0;
		if (strcmp(r->error_message, NOT_APPLIED) == 0)
			continue;
		if (!first)
			first = r;
		else if (r->error_code != first->error_code)
			return 0;
	}
	if (!first || !set_level_code(first->error_code))
		return 0;
	k8smig__error_set(first->error_code, first->error_path, "every object failed; %s %s%s%s: %s", first->kind,
	                  first->namespace_, *first->namespace_ ? "/" : "", first->name, first->error_message);
	if (first->http_status)
		k8smig__error_set_http(first->http_status, "");
	return first->error_code;
}

static int client_apply_set_impl(k8smig_apply_results **out, k8smig_client *c, const k8smig_object_list *set, const k8smig_apply_set_options *opts)
{
	k8smig_apply_set_options o = K8SMIG_APPLY_SET_OPTIONS_INIT;
	k8smig_apply_options ao = K8SMIG_APPLY_OPTIONS_INIT;
	k8smig_apply_results *res = NULL;
	item *items = NULL;
	size_t *idx = NULL, n, i, p, done = 0;
	char query[512];
	bool stop = false;
	int rc = 0, failures = 0;

	if (!set)
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL set");
	if ((rc = K8SMIG__OPTIONS_LOAD(&o, opts, apply_set_options_sizes, "k8smig_apply_set_options")) < 0 ||
	    (rc = K8SMIG__OPTIONS_LOAD(&ao, o.apply, k8smig__apply_options_sizes, "k8smig_apply_options")) < 0)
		return rc;
	o.apply = &ao;
	n = k8smig_object_list_size(set);
	for (i = 0; i < n; i++)
		if ((rc = k8smig_object_status(k8smig_object_list_get(set, i))) < 0)
			return k8smig__error_name_object(k8smig_object_list_get(set, i), i);
	if ((rc = k8smig__apply_query(query, sizeof(query), &ao)) < 0)
		return rc;
	res = calloc(1, sizeof(*res));
	items = calloc(n ? n : 1, sizeof(*items));
	idx = calloc(n ? n : 1, sizeof(*idx));
	if (!res || !items || !idx || (n && !(res->items = calloc(n, sizeof(*res->items)))) ||
	    (n && !(res->live = calloc(n, sizeof(*res->live))))) {
		rc = k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
		goto out;
	}
	res->n = n;
	for (i = 0; i < n; i++) {
		const k8smig_object *src = k8smig_object_list_get(set, i);
		items[i].src = src;
		items[i].obj = (k8smig_object *)src;
		items[i].phase = phase_of(k8smig_object_kind(src));
		res->items[i].kind = dupe(k8smig_object_kind(src));
		res->items[i].namespace_ = dupe(k8smig_object_namespace(src));
		res->items[i].name = dupe(k8smig_object_name(src));
		res->items[i].resource = dupe("");
		res->items[i].error_message = dupe("");
		res->items[i].error_path = dupe("");
		res->items[i].action = K8SMIG_APPLY_CONFIGURED;
		if (!res->items[i].kind || !res->items[i].namespace_ || !res->items[i].name || !res->items[i].resource ||
		    !res->items[i].error_message || !res->items[i].error_path) {
			rc = k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
			goto out;
		}
		/* an HPA owns the replica count: applying spec.replicas would fight it */
		if (k8smig_object_kind(src) && strcmp(k8smig_object_kind(src), "Deployment") == 0 &&
		    k8smig_object_has(src, "spec.replicas") && hpa_managed(set, src)) {
			if ((rc = k8smig_object_dup(&items[i].obj, src)) < 0 || (rc = k8smig_object_unset(items[i].obj, "spec.replicas")) < 0) {
				if (!items[i].obj)
					items[i].obj = (k8smig_object *)src;
				goto out;
			}
		}
	}
	for (p = 0; p < N_PHASES; p++) {
		size_t m = 0;
		for (i = 0; i < n; i++)
			if (items[i].phase == p)
				idx[m++] = i;
		if (!m)
			continue;
		if (stop) {
			for (i = 0; i < m; i++) {
				fail_item(&res->items[idx[i]], K8SMIG_ERROR, NOT_APPLIED, "", 0);
				failures++;
				++done;
				if (o.progress)
					o.progress(&res->items[idx[i]], done, n, o.payload);
			}
			continue;
		}
		rc = run_phase(c, items, res, idx, m, &o, &done, n, query);
		if (rc < 0)
			goto out;
		failures += rc;
		if (rc > 0)
			stop = true;
		if (p == CRD_PHASE)
			k8smig__discovery_forget(c); /* new kinds are served now */
		rc = 0;
	}
	if (failures && (rc = common_failure(res)) < 0)
		goto out; /* nothing applied, for one reason: that is the error */
	*out = res;
	res = NULL;
	rc = 0;
out:
	for (i = 0; items && i < n; i++) {
		if (items[i].obj != items[i].src)
			k8smig_object_free(items[i].obj);
		k8smig_object_free(items[i].before);
		free(items[i].body);
		k8smig__http_clear(&items[i].get);
		k8smig__http_clear(&items[i].patch);
	}
	free(items);
	free(idx);
	k8smig_apply_results_free(res);
	return rc;
}

int k8smig_client_apply_set(k8smig_apply_results **out, k8smig_client *c, const k8smig_object_list *set, const k8smig_apply_set_options *opts)
{
	int rc;
	if (!out)
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL out");
	*out = NULL;
	if (!c)
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL client");
	if ((rc = k8smig__client_enter(c)) < 0)
		return rc;
	rc = client_apply_set_impl(out, c, set, opts);
	k8smig__client_leave(c);
	return rc;
}
