/*
 * lib/client/wait.c - wait until a set has rolled out (kstatus semantics),
 * driven by watches multiplexed on the client's connection.
 *
 * Objects are grouped by (apiVersion, kind, namespace). Each group is listed
 * once; groups with objects still in progress are watched from the list's
 * resourceVersion. A watch the server ends (timeoutSeconds) or that breaks
 * (API server restart) is resumed from the last resourceVersion seen; a
 * 410 Gone lists the group again. Nothing polls.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lifecycle_int.h"
#include "../serialize/parse.h"

/* ---- readiness ---------------------------------------------------------------------- */

const char *k8smig_readiness_name(k8smig_readiness r)
{
	switch (r) {
	case K8SMIG_READY_CURRENT: return "current";
	case K8SMIG_READY_IN_PROGRESS: return "in-progress";
	case K8SMIG_READY_FAILED: return "failed";
	case K8SMIG_READY_NOT_FOUND: return "not-found";
	default: return "terminating";
	}
}

static const k8smig_value *condition(const k8smig_object *o, const char *type)
{
	const k8smig_value *it;
	for (it = k8smig_value_first(k8smig_object_get(o, "status.conditions")); it; it = k8smig_value_next(it)) {
		const char *t = k8smig_value_str(k8smig_value_lookup(it, "type"));
		if (t && strcmp(t, type) == 0)
			return it;
	}
	return NULL;
}

static const char *cond_field(const k8smig_value *cond, const char *f)
{
	const char *s = k8smig_value_str(k8smig_value_lookup(cond, f));
	return s ? s : "";
}

static bool cond_is(const k8smig_object *o, const char *type, const char *status)
{
	const k8smig_value *c = condition(o, type);
	return c && strcmp(cond_field(c, "status"), status) == 0;
}

static int64_t num(const k8smig_object *o, const char *path) { return k8smig_object_get_int(o, path); }

static bool is(const char *kind, const char *k) { return kind && strcmp(kind, k) == 0; }

#define SET(st, ...) do { state = (st); k8smig__buf_printf(&why, __VA_ARGS__); goto done; } while (0)

int k8smig_object_readiness(k8smig_readiness *state_out, char **reason_out, const k8smig_object *o)
{
	k8smig__buf why = K8SMIG__BUF_INIT;
	k8smig_readiness state = K8SMIG_READY_CURRENT;
	const char *kind;
	const k8smig_value *cnd;
	int64_t gen, replicas;

	if (!state_out || !reason_out)
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL state_out or reason_out");
	*reason_out = NULL;
	if (!o)
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL object");
	kind = k8smig_object_kind(o);
	gen = num(o, "metadata.generation");
	if (k8smig_object_get_str(o, "metadata.deletionTimestamp"))
		SET(K8SMIG_READY_TERMINATING, "being deleted");
	if (k8smig_object_has(o, "status.observedGeneration") && num(o, "status.observedGeneration") < gen)
		SET(K8SMIG_READY_IN_PROGRESS, "the controller has not observed generation %lld yet (at %lld)",
		    (long long)gen, (long long)num(o, "status.observedGeneration"));
	replicas = k8smig_object_has(o, "spec.replicas") ? num(o, "spec.replicas") : 1;

	if (is(kind, "Deployment")) {
		if (!k8smig_object_has(o, "status.observedGeneration"))
			SET(K8SMIG_READY_IN_PROGRESS, "not yet observed by the deployment controller");
		if ((cnd = condition(o, "Progressing")) && strcmp(cond_field(cnd, "reason"), "ProgressDeadlineExceeded") == 0)
			SET(K8SMIG_READY_FAILED, "progress deadline exceeded: %s", cond_field(cnd, "message"));
		if (num(o, "status.updatedReplicas") < replicas)
			SET(K8SMIG_READY_IN_PROGRESS, "%lld of %lld replicas updated", (long long)num(o, "status.updatedReplicas"), (long long)replicas);
		if (num(o, "status.replicas") > num(o, "status.updatedReplicas"))
			SET(K8SMIG_READY_IN_PROGRESS, "%lld old replicas pending termination",
			    (long long)(num(o, "status.replicas") - num(o, "status.updatedReplicas")));
		if (num(o, "status.availableReplicas") < replicas)
			SET(K8SMIG_READY_IN_PROGRESS, "%lld of %lld updated replicas available", (long long)num(o, "status.availableReplicas"), (long long)replicas);
		if (num(o, "status.readyReplicas") < replicas)
			SET(K8SMIG_READY_IN_PROGRESS, "%lld of %lld replicas ready", (long long)num(o, "status.readyReplicas"), (long long)replicas);
		goto done;
	}
	if (is(kind, "StatefulSet")) {
		const char *strategy = k8smig_object_get_str(o, "spec.updateStrategy.type");
		if (!k8smig_object_has(o, "status.observedGeneration"))
			SET(K8SMIG_READY_IN_PROGRESS, "not yet observed by the statefulset controller");
		if (num(o, "status.readyReplicas") < replicas)
			SET(K8SMIG_READY_IN_PROGRESS, "%lld of %lld replicas ready", (long long)num(o, "status.readyReplicas"), (long long)replicas);
		if (strategy && strcmp(strategy, "OnDelete") == 0)
			goto done;
		if (num(o, "status.updatedReplicas") < replicas - num(o, "spec.updateStrategy.rollingUpdate.partition"))
			SET(K8SMIG_READY_IN_PROGRESS, "%lld of %lld replicas updated", (long long)num(o, "status.updatedReplicas"), (long long)replicas);
		if (!num(o, "spec.updateStrategy.rollingUpdate.partition") && k8smig_object_get_str(o, "status.updateRevision") &&
		    (!k8smig_object_get_str(o, "status.currentRevision") ||
		     strcmp(k8smig_object_get_str(o, "status.updateRevision"), k8smig_object_get_str(o, "status.currentRevision")) != 0))
			SET(K8SMIG_READY_IN_PROGRESS, "rolling update to revision %s in progress", k8smig_object_get_str(o, "status.updateRevision"));
		goto done;
	}
	if (is(kind, "DaemonSet")) {
		int64_t desired = num(o, "status.desiredNumberScheduled");
		if (!k8smig_object_has(o, "status.observedGeneration") || !k8smig_object_has(o, "status.desiredNumberScheduled"))
			SET(K8SMIG_READY_IN_PROGRESS, "not yet observed by the daemonset controller");
		if (num(o, "status.updatedNumberScheduled") < desired)
			SET(K8SMIG_READY_IN_PROGRESS, "%lld of %lld pods updated", (long long)num(o, "status.updatedNumberScheduled"), (long long)desired);
		if (num(o, "status.numberAvailable") < desired)
			SET(K8SMIG_READY_IN_PROGRESS, "%lld of %lld pods available", (long long)num(o, "status.numberAvailable"), (long long)desired);
		if (num(o, "status.numberReady") < desired)
			SET(K8SMIG_READY_IN_PROGRESS, "%lld of %lld pods ready", (long long)num(o, "status.numberReady"), (long long)desired);
		goto done;
	}
	if (is(kind, "ReplicaSet")) {
		if (num(o, "status.availableReplicas") < replicas)
			SET(K8SMIG_READY_IN_PROGRESS, "%lld of %lld replicas available", (long long)num(o, "status.availableReplicas"), (long long)replicas);
		goto done;
	}
	if (is(kind, "Pod")) {
		const char *phase = k8smig_object_get_str(o, "status.phase");
		const k8smig_value *cs;
		if (phase && strcmp(phase, "Succeeded") == 0)
			goto done;
		if (phase && strcmp(phase, "Failed") == 0)
			SET(K8SMIG_READY_FAILED, "pod failed: %s", k8smig_object_get_str(o, "status.reason") ? k8smig_object_get_str(o, "status.reason") : "");
		if (cond_is(o, "Ready", "True"))
			goto done;
		for (cs = k8smig_value_first(k8smig_object_get(o, "status.containerStatuses")); cs; cs = k8smig_value_next(cs)) {
			const k8smig_value *w = k8smig_value_lookup(k8smig_value_lookup(cs, "state"), "waiting");
			if (w)
				SET(K8SMIG_READY_IN_PROGRESS, "container %s waiting: %s", cond_field(cs, "name"), cond_field(w, "reason"));
		}
		SET(K8SMIG_READY_IN_PROGRESS, "pod not ready (phase %s)", phase ? phase : "unknown");
	}
	if (is(kind, "PersistentVolumeClaim")) {
		const char *phase = k8smig_object_get_str(o, "status.phase");
		if (!phase || strcmp(phase, "Bound") != 0)
			SET(K8SMIG_READY_IN_PROGRESS, "claim not bound (phase %s)", phase ? phase : "unknown");
		goto done;
	}
	if (is(kind, "CustomResourceDefinition")) {
		if ((cnd = condition(o, "NamesAccepted")) && strcmp(cond_field(cnd, "status"), "False") == 0)
			SET(K8SMIG_READY_FAILED, "names not accepted: %s", cond_field(cnd, "message"));
		if (!cond_is(o, "Established", "True"))
			SET(K8SMIG_READY_IN_PROGRESS, "not Established yet");
		goto done;
	}
	if (is(kind, "Job")) {
		if ((cnd = condition(o, "Failed")) && strcmp(cond_field(cnd, "status"), "True") == 0)
			SET(K8SMIG_READY_FAILED, "job failed: %s: %s", cond_field(cnd, "reason"), cond_field(cnd, "message"));
		if (!cond_is(o, "Complete", "True"))
			SET(K8SMIG_READY_IN_PROGRESS, "%lld of %lld completions", (long long)num(o, "status.succeeded"),
			    (long long)(k8smig_object_has(o, "spec.completions") ? num(o, "spec.completions") : 1));
		goto done;
	}
	if (is(kind, "Namespace")) {
		const char *phase = k8smig_object_get_str(o, "status.phase");
		if (!phase || strcmp(phase, "Active") != 0)
			SET(phase && strcmp(phase, "Terminating") == 0 ? K8SMIG_READY_TERMINATING : K8SMIG_READY_IN_PROGRESS,
			    "namespace phase %s", phase ? phase : "unknown");
		goto done;
	}
	if (is(kind, "Service")) {
		const char *type = k8smig_object_get_str(o, "spec.type");
		if (type && strcmp(type, "LoadBalancer") == 0 && k8smig_value_size(k8smig_object_get(o, "status.loadBalancer.ingress")) == 0)
			SET(K8SMIG_READY_IN_PROGRESS, "load balancer has no ingress address yet");
		goto done;
	}
	/* every other kind: the conventional conditions, when the controller writes them */
	if ((cnd = condition(o, "Stalled")) && strcmp(cond_field(cnd, "status"), "True") == 0)
		SET(K8SMIG_READY_FAILED, "stalled: %s: %s", cond_field(cnd, "reason"), cond_field(cnd, "message"));
	if ((cnd = condition(o, "Reconciling")) && strcmp(cond_field(cnd, "status"), "True") == 0)
		SET(K8SMIG_READY_IN_PROGRESS, "reconciling: %s: %s", cond_field(cnd, "reason"), cond_field(cnd, "message"));
	if ((cnd = condition(o, "Ready")) && strcmp(cond_field(cnd, "status"), "True") != 0)
		SET(K8SMIG_READY_IN_PROGRESS, "Ready=%s: %s: %s", cond_field(cnd, "status"), cond_field(cnd, "reason"), cond_field(cnd, "message"));
done:
	if (k8smig__buf_putc(&why, '\0') < 0 || why.failed) {
		k8smig__buf_free(&why);
		return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	}
	*state_out = state;
	*reason_out = k8smig__buf_detach(&why, NULL);
	return 0;
}
#undef SET

/* ---- shared helpers -------------------------------------------------------------------- */

int k8smig__get_collection(k8smig_object **out, k8smig_client *c, const char *api_version, const char *kind,
                           const char *ns, const char *query)
{
	k8smig__http r;
	char what[256];
	int rc;

	*out = NULL;
	memset(&r, 0, sizeof(r));
	r.method = "GET";
	snprintf(what, sizeof(what), "list %s", kind);
	if ((rc = k8smig__resource_url(&r.url, c, api_version, kind, ns, NULL, query, NULL)) == 0 &&
	    (rc = k8smig__http_do(c, &r)) == 0) {
		if (r.curl_code || r.status < 200 || r.status >= 300)
			rc = k8smig__http_error(&r, what);
		else
			rc = k8smig__http_object(out, &r);
	}
	k8smig__http_clear(&r);
	return rc;
}

int k8smig__object_ns(const char **ns_out, bool *namespaced_out, k8smig_client *c, const k8smig_object *o)
{
	char *resource = NULL;
	bool namespaced = false;
	const char *ns = k8smig_object_namespace(o);
	int rc = k8smig_client_resource(&resource, &namespaced, c, k8smig_object_api_version(o), k8smig_object_kind(o));
	if (rc < 0)
		return rc;
	free(resource);
	*ns_out = !namespaced ? "" : ns && *ns ? ns : c->namespace_;
	if (namespaced_out)
		*namespaced_out = namespaced;
	return 0;
}

void k8smig__ref(k8smig__buf *b, const char *api_version, const char *kind, const char *name)
{
	const char *slash = api_version ? strchr(api_version, '/') : NULL;
	const char *k;
	for (k = kind ? kind : ""; *k; k++)
		k8smig__buf_putc(b, *k >= 'A' && *k <= 'Z' ? (char)(*k + 32) : *k);
	if (slash)
		k8smig__buf_printf(b, ".%.*s", (int)(slash - api_version), api_version);
	k8smig__buf_printf(b, "/%s", name ? name : "");
}

/* ---- wait ---------------------------------------------------------------------------------- */

struct k8smig_wait_results {
	k8smig_wait_result *items;
	size_t n;
};

static const size_t wait_options_sizes[] = { sizeof(k8smig_wait_options) };

int k8smig_wait_options_init(k8smig_wait_options *opts, unsigned int version)
{
	static const k8smig_wait_options def = K8SMIG_WAIT_OPTIONS_INIT;
	return K8SMIG__OPTIONS_INIT(opts, version, &def, wait_options_sizes, "k8smig_wait_options");
}

/* The strings of a result, in k8smig__entry_set()'s order. */
static const size_t result_strings[] = {
	offsetof(k8smig_wait_result, api_version), offsetof(k8smig_wait_result, kind), offsetof(k8smig_wait_result, namespace_),
	offsetof(k8smig_wait_result, name), offsetof(k8smig_wait_result, reason), offsetof(k8smig_wait_result, report),
};
#define N_STRINGS (sizeof(result_strings) / sizeof(result_strings[0]))

void k8smig_wait_results_free(k8smig_wait_results *r)
{
	if (!r)
		return;
	k8smig__entries_free(r->items, r->n, sizeof(*r->items), result_strings, N_STRINGS);
	free(r);
}

size_t k8smig_wait_results_size(const k8smig_wait_results *r) { return r ? r->n : 0; }

const k8smig_wait_result *k8smig_wait_results_get(const k8smig_wait_results *r, size_t i)
{
	return r && i < r->n ? &r->items[i] : NULL;
}

typedef struct group group;

typedef struct target {
	k8smig_wait_result *res;
	group *g;
	bool done;
	k8smig_object *live;   /* last seen state, for the report */
} target;

struct group {
	const char *api, *kind, *ns;
	size_t *members;        /* indexes into targets */
	size_t n;
	char *rv;
	bool relist;            /* a 410: list again before watching */
	bool running;
	double retry_at;
	unsigned failures;
	k8smig__http h;
	k8smig__buf line;
	int error;              /* an ERROR event's code */
};

typedef struct waiter {
	k8smig_client *c;
	target *t;
	size_t n, ready;
	group *groups;
	size_t ngroups;
	k8smig_wait_options o;
} waiter;

static bool settled(const waiter *w, const target *t)
{
	if (w->o.for_deletion)
		return t->res->state == K8SMIG_READY_NOT_FOUND;
	return t->res->state == K8SMIG_READY_CURRENT || t->res->state == K8SMIG_READY_FAILED;
}

/* A new state of one target (live NULL: it does not exist). */
static int observe(waiter *w, target *t, const k8smig_object *live, bool deleted)
{
	k8smig_readiness st = K8SMIG_READY_NOT_FOUND;
	char *why = NULL;
	bool changed;
	int rc;

	if (live && !deleted) {
		if ((rc = k8smig_object_readiness(&st, &why, live)) < 0)
			return rc;
	} else if (!(why = k8smig__strdup(w->o.for_deletion ? "" : "not found"))) {
		return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	}
	if (w->o.for_deletion && st != K8SMIG_READY_NOT_FOUND && !*why) {
		free(why);
		if (!(why = k8smig__strdup("still exists")))
			return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	}
	k8smig_object_free(t->live);
	t->live = NULL;
	if (live && !deleted && (rc = k8smig_object_dup(&t->live, live)) < 0) {
		free(why);
		return rc;
	}
	changed = st != t->res->state || strcmp(why, t->res->reason) != 0;
	free((char *)t->res->reason);
	t->res->reason = why;
	t->res->state = st;
	if (settled(w, t) != t->done) {
		t->done = !t->done;
		if (t->done)
			w->ready++;
		else
			w->ready--;
	}
	if (changed && w->o.progress)
		w->o.progress(t->res, w->ready, w->n, w->o.payload);
	return 0;
}

static target *find(waiter *w, group *g, const char *name)
{
	size_t i;
	for (i = 0; name && i < g->n; i++)
		if (strcmp(w->t[g->members[i]].res->name, name) == 0)
			return &w->t[g->members[i]];
	return NULL;
}

static size_t pending(const waiter *w, const group *g)
{
	size_t i, n = 0;
	for (i = 0; i < g->n; i++)
		n += !w->t[g->members[i]].done;
	return n;
}

static int list_group(waiter *w, group *g)
{
	k8smig_object *body = NULL;
	const k8smig_value *it;
	size_t i;
	bool *seen;
	int rc;

	if ((rc = k8smig__get_collection(&body, w->c, g->api, g->kind, g->ns, NULL)) == K8SMIG_ENOTFOUND) {
		/* the kind itself is gone (its CRD deleted): so are its objects; look again in a second */
		for (i = 0, rc = 0; i < g->n && rc == 0; i++)
			rc = observe(w, &w->t[g->members[i]], NULL, false);
		g->retry_at = k8smig__now() + 1;
		return rc;
	}
	if (rc < 0)
		return rc;
	if (!(seen = calloc(g->n ? g->n : 1, sizeof(*seen)))) {
		k8smig_object_free(body);
		return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	}
	for (it = k8smig_value_first(k8smig_object_get(body, "items")); it && rc == 0; it = k8smig_value_next(it)) {
		const char *name = k8smig_value_str(k8smig_value_lookup(k8smig_value_lookup(it, "metadata"), "name"));
		target *t = find(w, g, name);
		k8smig_object *o = NULL;
		if (!t)
			continue;
		for (i = 0; i < g->n; i++)
			if (&w->t[g->members[i]] == t)
				seen[i] = true;
		if ((rc = k8smig__object_from_value(&o, it)) == 0) {
			if (!k8smig_object_kind(o))
				rc = k8smig_object_set_str(o, "kind", g->kind);
			if (rc == 0)
				rc = observe(w, t, o, false);
			k8smig_object_free(o);
		}
	}
	for (i = 0; i < g->n && rc == 0; i++)
		if (!seen[i])
			rc = observe(w, &w->t[g->members[i]], NULL, false);
	if (rc == 0) {
		const char *rv = k8smig_object_get_str(body, "metadata.resourceVersion");
		free(g->rv);
		g->rv = k8smig__strdup(rv ? rv : "");
		g->relist = false;
		if (!g->rv)
			rc = k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	}
	free(seen);
	k8smig_object_free(body);
	return rc;
}

typedef struct watch_ud {
	waiter *w;
	group *g;
} watch_ud;

static int watch_event(waiter *w, group *g, const char *data, size_t len)
{
	k8smig_object_list *l = NULL;
	const k8smig_object *ev;
	const char *type;
	const k8smig_value *ov;
	int rc = 0;

	if (k8smig__parse_json_text(&l, data, len) < 0 || k8smig_object_list_size(l) != 1) {
		k8smig_object_list_free(l);
		return 0; /* not an event: the watch ends and is resumed */
	}
	ev = k8smig_object_list_get(l, 0);
	type = k8smig_object_get_str(ev, "type");
	ov = k8smig_object_get(ev, "object");
	if (type && strcmp(type, "ERROR") == 0) {
		long code = (long)k8smig_value_int(k8smig_value_lookup(ov, "code"));
		g->error = code ? (int)code : 500;
		if (code == 410)
			g->relist = true;
	} else if (type && ov) {
		k8smig_object *o = NULL;
		const char *rv = k8smig_value_str(k8smig_value_lookup(k8smig_value_lookup(ov, "metadata"), "resourceVersion"));
		if (rv) {
			char *copy = k8smig__strdup(rv);
			if (copy) {
				free(g->rv);
				g->rv = copy;
			}
		}
		if (strcmp(type, "BOOKMARK") != 0) {
			const char *name = k8smig_value_str(k8smig_value_lookup(k8smig_value_lookup(ov, "metadata"), "name"));
			target *t = find(w, g, name);
			if (t && (rc = k8smig__object_from_value(&o, ov)) == 0) {
				if (!k8smig_object_kind(o))
					rc = k8smig_object_set_str(o, "kind", g->kind);
				if (rc == 0)
					rc = observe(w, t, o, strcmp(type, "DELETED") == 0);
				k8smig_object_free(o);
			}
		}
	}
	k8smig_object_list_free(l);
	return rc;
}

static size_t on_watch(char *data, size_t size, size_t n, void *ud)
{
	watch_ud *u = ud;
	group *g = u->g;
	size_t len = size * n, i, start = 0;

	for (i = 0; i < len; i++) {
		if (data[i] != '\n')
			continue;
		if (k8smig__buf_put(&g->line, data + start, i - start) < 0)
			return 0;
		if (g->line.len && watch_event(u->w, g, g->line.data, g->line.len) < 0)
			return 0;
		g->line.len = 0;
		start = i + 1;
	}
	if (k8smig__buf_put(&g->line, data + start, len - start) < 0)
		return 0;
	return len;
}

static int start_watch(waiter *w, group *g, watch_ud *ud, double deadline)
{
	k8smig__buf q = K8SMIG__BUF_INIT;
	long secs = (long)(deadline - k8smig__now()) + 1;
	int rc;

	if (secs > 300)
		secs = 300;
	if (secs < 1)
		secs = 1;
	k8smig__http_clear(&g->h);
	memset(&g->h, 0, sizeof(g->h));
	g->line.len = 0;
	g->error = 0;
	k8smig__buf_printf(&q, "watch=1&allowWatchBookmarks=true&timeoutSeconds=%ld", secs);
	if (g->rv && *g->rv) {
		char *esc = curl_easy_escape(NULL, g->rv, 0);
		k8smig__buf_printf(&q, "&resourceVersion=%s", esc ? esc : "");
		curl_free(esc);
	}
	if (k8smig__buf_putc(&q, '\0') < 0 || q.failed) {
		k8smig__buf_free(&q);
		return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	}
	g->h.method = "GET";
	g->h.timeout_ms = secs * 1000 + 15000;
	rc = k8smig__resource_url(&g->h.url, w->c, g->api, g->kind, g->ns, NULL, q.data, NULL);
	k8smig__buf_free(&q);
	if (rc < 0 || (rc = k8smig__http_prepare(w->c, &g->h)) < 0)
		return rc;
	ud->w = w;
	ud->g = g;
	curl_easy_setopt(g->h.easy, CURLOPT_WRITEFUNCTION, on_watch);
	curl_easy_setopt(g->h.easy, CURLOPT_WRITEDATA, ud);
	if (curl_multi_add_handle(w->c->multi, g->h.easy) != CURLM_OK)
		return k8smig__error_set(K8SMIG_ETRANSPORT, "", "cannot start a watch");
	w->c->stats.requests++;
	g->running = true;
	return 0;
}

static void append_events(k8smig__buf *b, k8smig_client *c, const char *ns, const char *kind, const char *name,
                          const char *indent, size_t max)
{
	k8smig_object *body = NULL;
	char *q, *esc;
	size_t n, i, skip;
	const k8smig_value *it;
	k8smig__buf sel = K8SMIG__BUF_INIT;

	k8smig__buf_printf(&sel, "involvedObject.kind=%s,involvedObject.name=%s", kind, name);
	if (k8smig__buf_putc(&sel, '\0') < 0 || !(esc = curl_easy_escape(NULL, sel.data, 0))) {
		k8smig__buf_free(&sel);
		return;
	}
	k8smig__buf_free(&sel);
	n = strlen(esc) + 32;
	if ((q = malloc(n))) {
		snprintf(q, n, "fieldSelector=%s", esc);
		if (k8smig__get_collection(&body, c, "v1", "Event", ns, q) == 0) {
			n = k8smig_value_size(k8smig_object_get(body, "items"));
			skip = n > max ? n - max : 0; /* the server lists them oldest first */
			for (i = 0, it = k8smig_value_first(k8smig_object_get(body, "items")); it; it = k8smig_value_next(it), i++) {
				const char *type = k8smig_value_str(k8smig_value_lookup(it, "type"));
				const char *reason = k8smig_value_str(k8smig_value_lookup(it, "reason"));
				const char *msg = k8smig_value_str(k8smig_value_lookup(it, "message"));
				if (i < skip)
					continue;
				k8smig__buf_printf(b, "%sevent %s %s: %s\n", indent, type ? type : "", reason ? reason : "", msg ? msg : "");
			}
		}
		free(q);
	}
	curl_free(esc);
	k8smig_object_free(body);
}

/* matchLabels as a label selector, or NULL */
static char *selector_of(const k8smig_object *live)
{
	const k8smig_value *ml = k8smig_object_get(live, "spec.selector.matchLabels"), *it;
	k8smig__buf b = K8SMIG__BUF_INIT;
	if (!ml || !k8smig_value_size(ml))
		return NULL;
	for (it = k8smig_value_first(ml); it; it = k8smig_value_next(it))
		k8smig__buf_printf(&b, "%s%s=%s", b.len ? "," : "", k8smig_value_key(it), k8smig_value_str(it) ? k8smig_value_str(it) : "");
	if (k8smig__buf_putc(&b, '\0') < 0 || b.failed) {
		k8smig__buf_free(&b);
		return NULL;
	}
	return k8smig__buf_detach(&b, NULL);
}

/* What is not ready and why: conditions, events, pods and their events. */
static void build_report(waiter *w, target *t)
{
	k8smig__buf b = K8SMIG__BUF_INIT;
	const k8smig_value *it;
	const char *kind = t->res->kind;

	for (it = k8smig_value_first(k8smig_object_get(t->live, "status.conditions")); it; it = k8smig_value_next(it))
		k8smig__buf_printf(&b, "  condition %s=%s %s: %s\n", cond_field(it, "type"), cond_field(it, "status"),
		                   cond_field(it, "reason"), cond_field(it, "message"));
	if (t->live)
		append_events(&b, w->c, t->res->namespace_, kind, t->res->name, "  ", 5);
	if (t->live && (is(kind, "Deployment") || is(kind, "StatefulSet") || is(kind, "DaemonSet") || is(kind, "ReplicaSet") ||
	                is(kind, "Job"))) {
		char *sel = selector_of(t->live);
		k8smig_object_list *pods = NULL;
		size_t i, shown = 0;
		if (sel && k8smig_client_list(&pods, w->c, "v1", "Pod", t->res->namespace_, sel) == 0) {
			for (i = 0; i < k8smig_object_list_size(pods) && shown < 3; i++) {
				const k8smig_object *p = k8smig_object_list_get(pods, i);
				k8smig_readiness st;
				char *why = NULL;
				if (k8smig_object_readiness(&st, &why, p) < 0)
					continue;
				if (st != K8SMIG_READY_CURRENT) {
					const k8smig_value *cs;
					shown++;
					k8smig__buf_printf(&b, "  pod %s: %s\n", k8smig_object_name(p), why);
					for (cs = k8smig_value_first(k8smig_object_get(p, "status.containerStatuses")); cs; cs = k8smig_value_next(cs)) {
						const k8smig_value *wt = k8smig_value_lookup(k8smig_value_lookup(cs, "state"), "waiting");
						if (wt && k8smig_value_lookup(wt, "message"))
							k8smig__buf_printf(&b, "    container %s: %s: %s\n", cond_field(cs, "name"), cond_field(wt, "reason"),
							                   cond_field(wt, "message"));
					}
					for (cs = k8smig_value_first(k8smig_object_get(p, "status.conditions")); cs; cs = k8smig_value_next(cs))
						if (strcmp(cond_field(cs, "status"), "True") != 0 && *cond_field(cs, "reason"))
							k8smig__buf_printf(&b, "    condition %s=%s %s: %s\n", cond_field(cs, "type"), cond_field(cs, "status"),
							                   cond_field(cs, "reason"), cond_field(cs, "message"));
					append_events(&b, w->c, t->res->namespace_, "Pod", k8smig_object_name(p), "    ", 3);
				}
				free(why);
			}
			if (k8smig_object_list_size(pods) == 0)
				k8smig__buf_puts(&b, "  no pods\n");
		}
		k8smig_object_list_free(pods);
		free(sel);
	}
	if (k8smig__buf_putc(&b, '\0') == 0 && !b.failed) {
		free((char *)t->res->report);
		t->res->report = k8smig__buf_detach(&b, NULL);
	} else {
		k8smig__buf_free(&b);
	}
}


static int client_wait_impl(k8smig_wait_results **out, k8smig_client *c, const k8smig_object_list *set, const k8smig_wait_options *opts)
{
	waiter w;
	k8smig_wait_results *res = NULL;
	watch_ud *uds = NULL;
	size_t n, i, j;
	double deadline;
	int rc = 0;
	bool failed = false;

	memset(&w, 0, sizeof(w));
	k8smig_wait_options_init(&w.o, K8SMIG_WAIT_OPTIONS_VERSION);
	if ((rc = K8SMIG__OPTIONS_LOAD(&w.o, opts, wait_options_sizes, "k8smig_wait_options")) < 0)
		return rc;
	if (w.o.timeout_ms <= 0)
		w.o.timeout_ms = 300000;
	deadline = k8smig__now() + (double)w.o.timeout_ms / 1000;
	n = k8smig_object_list_size(set);
	w.c = c;
	w.n = n;
	res = calloc(1, sizeof(*res));
	w.t = calloc(n ? n : 1, sizeof(*w.t));
	w.groups = calloc(n ? n : 1, sizeof(*w.groups));
	if (!res || !w.t || !w.groups || !(res->items = calloc(n ? n : 1, sizeof(*res->items)))) {
		rc = k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
		goto out;
	}
	res->n = n;
	/* targets and groups */
	for (i = 0; i < n; i++) {
		const k8smig_object *o = k8smig_object_list_get(set, i);
		k8smig_wait_result *r = &res->items[i];
		const char *ns;
		group *g = NULL;
		if (!k8smig_object_api_version(o) || !k8smig_object_kind(o) || !k8smig_object_name(o)) {
			rc = k8smig__error_set(K8SMIG_EINVAL, !k8smig_object_api_version(o) ? "apiVersion" : !k8smig_object_kind(o) ? "kind" : "metadata.name",
			                       "object %zu of the set needs apiVersion, kind and metadata.name", i);
			goto out;
		}
		if ((rc = k8smig__object_ns(&ns, NULL, c, o)) < 0)
			goto out;
		r->state = K8SMIG_READY_IN_PROGRESS;
		{
			const char *values[N_STRINGS] = { k8smig_object_api_version(o), k8smig_object_kind(o), ns, k8smig_object_name(o),
			                                  "not observed yet", "" };
			if ((rc = k8smig__entry_set(r, result_strings, values, N_STRINGS)) < 0)
				goto out;
		}
		w.t[i].res = r;
		for (j = 0; j < w.ngroups && !g; j++)
			if (strcmp(w.groups[j].api, r->api_version) == 0 && strcmp(w.groups[j].kind, r->kind) == 0 &&
			    strcmp(w.groups[j].ns, r->namespace_) == 0)
				g = &w.groups[j];
		if (!g) {
			g = &w.groups[w.ngroups++];
			g->api = r->api_version;
			g->kind = r->kind;
			g->ns = r->namespace_;
			if (!(g->members = calloc(n, sizeof(size_t)))) {
				rc = k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
				goto out;
			}
		}
		g->members[g->n++] = i;
		w.t[i].g = g;
	}
	if (!(uds = calloc(w.ngroups ? w.ngroups : 1, sizeof(*uds)))) {
		rc = k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
		goto out;
	}
	for (j = 0; j < w.ngroups; j++)
		w.groups[j].relist = true;
	/* list, then watch what is not settled, until everything is or the deadline passes */
	while (w.ready < n) {
		double now = k8smig__now();
		CURLMsg *msg;
		int still, left;
		if (now >= deadline)
			break;
		for (j = 0; j < w.ngroups; j++) {
			group *g = &w.groups[j];
			if (g->running || g->retry_at > now || !pending(&w, g))
				continue;
			if (g->relist && (rc = list_group(&w, g)) < 0) {
				/* the API server may be restarting: try again shortly */
				if (rc == K8SMIG_ETRANSPORT || rc == K8SMIG_ETIMEOUT || rc == K8SMIG_EAPI) {
					g->retry_at = now + (g->failures < 5 ? 0.2 * (1u << g->failures) : 5);
					g->failures++;
					rc = 0;
					continue;
				}
				goto out;
			}
			if (!pending(&w, g) || g->relist)
				continue;
			if ((rc = start_watch(&w, g, &uds[j], deadline)) < 0)
				goto out;
		}
		if (w.ready >= n)
			break;
		curl_multi_perform(c->multi, &still);
		while ((msg = curl_multi_info_read(c->multi, &left))) {
			group *g = NULL;
			long status = 0;
			if (msg->msg != CURLMSG_DONE)
				continue;
			for (j = 0; j < w.ngroups && !g; j++)
				if (w.groups[j].running && w.groups[j].h.easy == msg->easy_handle)
					g = &w.groups[j];
			if (!g)
				continue;
			curl_multi_remove_handle(c->multi, msg->easy_handle);
			g->running = false;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_RESPONSE_CODE, &status);
			if (msg->data.result == CURLE_OK && status == 410)
				g->relist = true;
			if (msg->data.result != CURLE_OK || (status && (status < 200 || status >= 300)) || (g->error && g->error != 410)) {
				if (status == 401 || status == 403) {
					rc = k8smig__error_set(K8SMIG_EAUTH, "", "watch %s: HTTP %ld", g->kind, status);
					goto out;
				}
				/* broken (API server restart, network): resume from the last resourceVersion */
				g->retry_at = k8smig__now() + (g->failures < 5 ? 0.2 * (1u << g->failures) : 5);
				g->failures++;
			} else {
				g->failures = 0;
			}
		}
		if (w.ready < n) {
			long ms = (long)((deadline - k8smig__now()) * 1000);
			if (ms > 200)
				ms = 200;
			if (ms > 0)
				curl_multi_poll(c->multi, NULL, 0, (int)ms, NULL);
		}
	}
	/* stop every watch before other requests use the connection */
	for (j = 0; j < w.ngroups; j++)
		if (w.groups[j].running) {
			curl_multi_remove_handle(c->multi, w.groups[j].h.easy);
			w.groups[j].running = false;
		}
	for (i = 0; i < n; i++) {
		if (w.t[i].res->state == K8SMIG_READY_FAILED && !w.o.for_deletion)
			failed = true;
		if (!settled(&w, &w.t[i]) || w.t[i].res->state == K8SMIG_READY_FAILED)
			build_report(&w, &w.t[i]);
	}
	if (w.ready < n && !failed) {
		rc = k8smig__error_set(K8SMIG_ETIMEOUT, "", "%zu of %zu objects %s after %ld ms", n - w.ready, n,
		                       w.o.for_deletion ? "still exist" : "not ready", w.o.timeout_ms);
	} else if (failed) {
		rc = k8smig__error_set(K8SMIG_ERROR, "", "some objects failed to become ready");
	} else {
		rc = 0;
	}
	*out = res;
	res = NULL;
out:
	for (j = 0; w.groups && j < w.ngroups; j++) {
		if (w.groups[j].running)
			curl_multi_remove_handle(c->multi, w.groups[j].h.easy);
		k8smig__http_clear(&w.groups[j].h);
		k8smig__buf_free(&w.groups[j].line);
		free(w.groups[j].members);
		free(w.groups[j].rv);
	}
	for (i = 0; w.t && i < n; i++)
		k8smig_object_free(w.t[i].live);
	free(w.groups);
	free(w.t);
	free(uds);
	k8smig_wait_results_free(res);
	return rc;
}

int k8smig_client_wait(k8smig_wait_results **out, k8smig_client *c, const k8smig_object_list *set, const k8smig_wait_options *opts)
{
	int rc;
	if (!out)
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL out");
	*out = NULL;
	if (!c || !set)
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL client or set");
	if ((rc = k8smig__client_enter(c)) < 0)
		return rc;
	rc = client_wait_impl(out, c, set, opts);
	k8smig__client_leave(c);
	return rc;
}
