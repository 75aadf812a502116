/*
 * lib/client/ops.c - get, list, create, delete, server-side apply and watch.
 */
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "../serialize/parse.h"

const size_t k8smig__apply_options_sizes[1] = { sizeof(k8smig_apply_options) };

int k8smig_apply_options_init(k8smig_apply_options *opts, unsigned int version)
{
	static const k8smig_apply_options def = K8SMIG_APPLY_OPTIONS_INIT;
	return K8SMIG__OPTIONS_INIT(opts, version, &def, k8smig__apply_options_sizes, "k8smig_apply_options");
}

static int check_args(k8smig_client *c, const char *api_version, const char *kind)
{
	if (!c || !api_version || !kind)
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL client, apiVersion or kind");
	return 0;
}

/* Run one prepared request; 2xx leaves the body in r, anything else becomes the error. */
static int request(k8smig_client *c, k8smig__http *r, const char *what)
{
	int rc = k8smig__http_do(c, r);
	if (rc < 0)
		return rc;
	if (r->curl_code || r->status < 200 || r->status >= 300)
		return k8smig__http_error(r, what);
	return 0;
}

static int client_get_impl(k8smig_object **out, k8smig_client *c, const char *api_version, const char *kind, const char *ns, const char *name)
{
	k8smig__http r;
	char what[256];
	int rc;

	*out = NULL;
	if ((rc = check_args(c, api_version, kind)) < 0)
		return rc;
	if (!name || !*name)
		return k8smig__error_set(K8SMIG_EINVAL, "metadata.name", "get needs a name");
	memset(&r, 0, sizeof(r));
	r.method = "GET";
	snprintf(what, sizeof(what), "get %s %s", kind, name);
	if ((rc = k8smig__resource_url(&r.url, c, api_version, kind, ns, name, NULL, NULL)) == 0 &&
	    (rc = request(c, &r, what)) == 0)
		rc = k8smig__http_object(out, &r);
	k8smig__http_clear(&r);
	return rc;
}

int k8smig_client_get(k8smig_object **out, k8smig_client *c, const char *api_version, const char *kind, const char *ns, const char *name)
{
	int rc;
	if (!out)
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL out");
	*out = NULL;
	if (!c)
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL client");
	if ((rc = k8smig__client_enter(c)) < 0)
		return rc;
	rc = client_get_impl(out, c, api_version, kind, ns, name);
	k8smig__client_leave(c);
	return rc;
}

static int client_list_impl(k8smig_object_list **out, k8smig_client *c, const char *api_version, const char *kind, const char *ns, const char *label_selector)
{
	k8smig__http r;
	k8smig_object *body = NULL;
	k8smig_object_list *l = NULL;
	char *query = NULL, what[256];
	const k8smig_value *it;
	int rc;

	*out = NULL;
	if ((rc = check_args(c, api_version, kind)) < 0)
		return rc;
	memset(&r, 0, sizeof(r));
	r.method = "GET";
	if (label_selector && *label_selector) {
		char *esc = curl_easy_escape(NULL, label_selector, 0);
		size_t n = esc ? strlen(esc) + 16 : 0;
		if (!esc || !(query = malloc(n))) {
			curl_free(esc);
			return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
		}
		snprintf(query, n, "labelSelector=%s", esc);
		curl_free(esc);
	}
	snprintf(what, sizeof(what), "list %s", kind);
	if ((rc = k8smig__resource_url(&r.url, c, api_version, kind, ns, NULL, query, NULL)) == 0 &&
	    (rc = request(c, &r, what)) == 0 &&
	    (rc = k8smig__http_object(&body, &r)) == 0 &&
	    (rc = k8smig_object_list_new(&l)) == 0) {
		/* items carry no apiVersion/kind in a list response: put them back */
		for (it = k8smig_value_first(k8smig_object_get(body, "items")); it && rc == 0; it = k8smig_value_next(it)) {
			k8smig_object *o;
			if ((rc = k8smig__object_from_value(&o, it)) < 0)
				break;
			if (!k8smig_object_api_version(o))
				rc = k8smig_object_set_str(o, "apiVersion", api_version);
			if (rc == 0 && !k8smig_object_kind(o))
				rc = k8smig_object_set_str(o, "kind", kind);
			if (rc == 0)
				rc = k8smig_object_list_append_take(l, o);
			else
				k8smig_object_free(o);
		}
	}
	if (rc == 0) {
		*out = l;
		l = NULL;
	}
	k8smig_object_list_free(l);
	k8smig_object_free(body);
	k8smig__http_clear(&r);
	free(query);
	return rc;
}

int k8smig_client_list(k8smig_object_list **out, k8smig_client *c, const char *api_version, const char *kind, const char *ns, const char *label_selector)
{
	int rc;
	if (!out)
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL out");
	*out = NULL;
	if (!c)
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL client");
	if ((rc = k8smig__client_enter(c)) < 0)
		return rc;
	rc = client_list_impl(out, c, api_version, kind, ns, label_selector);
	k8smig__client_leave(c);
	return rc;
}

static int object_identity(const k8smig_object *obj, const char **api, const char **kind, const char **name)
{
	int rc;
	if (!obj)
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL object");
	if ((rc = k8smig_object_status(obj)) < 0)
		return rc;
	*api = k8smig_object_api_version(obj);
	*kind = k8smig_object_kind(obj);
	*name = k8smig_object_name(obj);
	if (!*api)
		return k8smig__error_set(K8SMIG_EINVAL, "apiVersion", "object has no apiVersion");
	if (!*kind)
		return k8smig__error_set(K8SMIG_EINVAL, "kind", "object has no kind");
	if (!*name || !**name)
		return k8smig__error_set(K8SMIG_EINVAL, "metadata.name", "object has no name");
	return 0;
}

static int client_create_impl(k8smig_object **out, k8smig_client *c, const k8smig_object *obj)
{
	k8smig__http r;
	const char *api, *kind, *name;
	char *json = NULL, what[256];
	size_t len;
	int rc;

	if (out)
		*out = NULL;
	if (!c)
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL client");
	if ((rc = object_identity(obj, &api, &kind, &name)) < 0)
		return rc;
	memset(&r, 0, sizeof(r));
	r.method = "POST";
	r.content_type = "application/json";
	snprintf(what, sizeof(what), "create %s %s", kind, name);
	if ((rc = k8smig__resource_url(&r.url, c, api, kind, k8smig_object_namespace(obj), NULL, NULL, NULL)) == 0 &&
	    (rc = k8smig_object_emit(&json, &len, obj, &(k8smig_emit_options){ K8SMIG_EMIT_OPTIONS_VERSION, K8SMIG_FORMAT_JSON, K8SMIG_EMIT_COMPACT })) == 0) {
		r.body = json;
		r.body_len = len;
		if ((rc = request(c, &r, what)) == 0 && out)
			rc = k8smig__http_object(out, &r);
	}
	k8smig_free(json);
	k8smig__http_clear(&r);
	return rc;
}

int k8smig_client_create(k8smig_object **out, k8smig_client *c, const k8smig_object *obj)
{
	int rc;
	if (out)
		*out = NULL;
	if (!c)
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL client");
	if ((rc = k8smig__client_enter(c)) < 0)
		return rc;
	rc = client_create_impl(out, c, obj);
	k8smig__client_leave(c);
	return rc;
}

static int client_delete_impl(k8smig_client *c, const char *api_version, const char *kind, const char *ns, const char *name, k8smig_propagation propagation)
{
	static const char *const policies[] = { NULL, "Background", "Foreground", "Orphan" };
	k8smig__http r;
	char body[128], what[256];
	int rc;

	if ((rc = check_args(c, api_version, kind)) < 0)
		return rc;
	if (!name || !*name)
		return k8smig__error_set(K8SMIG_EINVAL, "metadata.name", "delete needs a name");
	if ((unsigned)propagation > K8SMIG_PROPAGATION_ORPHAN)
		return k8smig__error_set(K8SMIG_EINVAL, "", "unknown propagation policy");
	memset(&r, 0, sizeof(r));
	r.method = "DELETE";
	if (policies[propagation]) {
		snprintf(body, sizeof(body), "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"propagationPolicy\":\"%s\"}", policies[propagation]);
		r.body = body;
		r.body_len = strlen(body);
		r.content_type = "application/json";
	}
	snprintf(what, sizeof(what), "delete %s %s", kind, name);
	if ((rc = k8smig__resource_url(&r.url, c, api_version, kind, ns, name, NULL, NULL)) == 0)
		rc = request(c, &r, what);
	k8smig__http_clear(&r);
	return rc;
}

int k8smig_client_delete(k8smig_client *c, const char *api_version, const char *kind, const char *ns, const char *name, k8smig_propagation propagation)
{
	int rc;
	if (!c)
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL client");
	if ((rc = k8smig__client_enter(c)) < 0)
		return rc;
	rc = client_delete_impl(c, api_version, kind, ns, name, propagation);
	k8smig__client_leave(c);
	return rc;
}

/* The query string of a server-side apply. */
int k8smig__apply_query(char *buf, size_t cap, const k8smig_apply_options *o)
{
	char *esc = curl_easy_escape(NULL, o->field_manager ? o->field_manager : "k8smig", 0);
	int n;
	if (!esc)
		return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	n = snprintf(buf, cap, "fieldManager=%s%s%s", esc, o->force ? "&force=true" : "", o->dry_run ? "&dryRun=All" : "");
	curl_free(esc);
	if (n < 0 || (size_t)n >= cap)
		return k8smig__error_set(K8SMIG_EINVAL, "", "field manager name too long");
	return 0;
}

/* A 409 from server-side apply: name the managers and fields in one line. */
int k8smig__apply_conflict(const k8smig__http *r, const char *what)
{
	int rc = k8smig__http_error(r, what);
	/* the Status message already lists them: 'Apply failed with 1 conflict: conflict with "kubectl" using v1: .data.x' */
	if (rc == K8SMIG_ECONFLICT) {
		/* copy out: setting the error rewrites the buffers e points into */
		const k8smig_error *e = k8smig_error_last();
		char path[256], msg[512];
		snprintf(path, sizeof(path), "%s", e->path[0] == '.' ? e->path + 1 : e->path);
		snprintf(msg, sizeof(msg), "%s", e->message);
		k8smig__error_set(K8SMIG_ECONFLICT, path, "%s (use force to take the fields over)", msg);
		k8smig__error_set_http(409, "Conflict");
	}
	return rc;
}

static int client_apply_impl(k8smig_object **out, k8smig_client *c, const k8smig_object *obj, const k8smig_apply_options *opts)
{
	k8smig_apply_options o = K8SMIG_APPLY_OPTIONS_INIT;
	k8smig__http r;
	const char *api, *kind, *name;
	char *body = NULL, query[512], what[256];
	size_t len;
	int rc;

	if (out)
		*out = NULL;
	if (!c)
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL client");
	if ((rc = K8SMIG__OPTIONS_LOAD(&o, opts, k8smig__apply_options_sizes, "k8smig_apply_options")) < 0)
		return rc;
	if ((rc = object_identity(obj, &api, &kind, &name)) < 0 || (rc = k8smig__apply_query(query, sizeof(query), &o)) < 0)
		return rc;
	memset(&r, 0, sizeof(r));
	r.method = "PATCH";
	r.content_type = "application/apply-patch+yaml";
	snprintf(what, sizeof(what), "apply %s %s", kind, name);
	/* JSON is YAML: the compact form is the cheapest body to produce */
	if ((rc = k8smig__resource_url(&r.url, c, api, kind, k8smig_object_namespace(obj), name, query, NULL)) == 0 &&
	    (rc = k8smig_object_emit(&body, &len, obj, &(k8smig_emit_options){ K8SMIG_EMIT_OPTIONS_VERSION, K8SMIG_FORMAT_JSON, K8SMIG_EMIT_COMPACT })) == 0) {
		r.body = body;
		r.body_len = len;
		rc = k8smig__http_do(c, &r);
		if (rc == 0 && (r.curl_code || r.status < 200 || r.status >= 300))
			rc = r.status == 409 ? k8smig__apply_conflict(&r, what) : k8smig__http_error(&r, what);
		if (rc == 0 && out)
			rc = k8smig__http_object(out, &r);
	}
	k8smig_free(body);
	k8smig__http_clear(&r);
	return rc;
}

int k8smig_client_apply(k8smig_object **out, k8smig_client *c, const k8smig_object *obj, const k8smig_apply_options *opts)
{
	int rc;
	if (out)
		*out = NULL;
	if (!c)
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL client");
	if ((rc = k8smig__client_enter(c)) < 0)
		return rc;
	rc = client_apply_impl(out, c, obj, opts);
	k8smig__client_leave(c);
	return rc;
}

/* ---- watch ---- */

typedef struct watch_ctx {
	k8smig__buf line;
	k8smig_watch_cb cb;
	void *payload;
	char *last_rv;
	int stopped;
	int error;         /* an ERROR event: its code */
} watch_ctx;

static int watch_line(watch_ctx *w, const char *data, size_t len)
{
	k8smig_object_list *l = NULL;
	const k8smig_object *ev;
	const char *type;
	k8smig_object *obj = NULL;
	const k8smig_value *o;
	int r = 0;

	if (k8smig__parse_json_text(&l, data, len) < 0 ||
	    k8smig_object_list_size(l) != 1) {
		k8smig_object_list_free(l);
		return -1;
	}
	ev = k8smig_object_list_get(l, 0);
	type = k8smig_object_get_str(ev, "type");
	o = k8smig_object_get(ev, "object");
	if (type && strcmp(type, "ERROR") == 0) {
		long code = (long)k8smig_value_int(k8smig_value_lookup(o, "code"));
		const char *reason = k8smig_value_str(k8smig_value_lookup(o, "reason"));
		w->error = code == 410 || (reason && strcmp(reason, "Expired") == 0) ? 410 : (int)(code ? code : 500);
		k8smig__error_set(K8SMIG_EAPI, "", "watch: %s",
		                  k8smig_value_str(k8smig_value_lookup(o, "message")) ? k8smig_value_str(k8smig_value_lookup(o, "message")) : "error event");
		k8smig__error_set_http(w->error, w->error == 410 ? "Expired" : (reason ? reason : ""));
		k8smig_object_list_free(l);
		return -1;
	}
	if (type && o && k8smig__object_from_value(&obj, o) == 0) {
		k8smig_watch_event t = strcmp(type, "ADDED") == 0 ? K8SMIG_WATCH_ADDED :
		                       strcmp(type, "MODIFIED") == 0 ? K8SMIG_WATCH_MODIFIED :
		                       strcmp(type, "DELETED") == 0 ? K8SMIG_WATCH_DELETED : K8SMIG_WATCH_BOOKMARK;
		{
			const char *rv = k8smig_object_get_str(obj, "metadata.resourceVersion");
			if (rv) {
				free(w->last_rv);
				w->last_rv = k8smig__strdup(rv);
			}
		}
		if (w->cb(t, obj, w->payload) != 0) {
			w->stopped = 1;
			r = -1;
		}
		k8smig_object_free(obj);
	}
	k8smig_object_list_free(l);
	return r;
}

static size_t on_watch_data(char *data, size_t size, size_t n, void *ud)
{
	watch_ctx *w = ud;
	size_t len = size * n, i, start = 0;

	for (i = 0; i < len; i++) {
		if (data[i] != '\n')
			continue;
		if (k8smig__buf_put(&w->line, data + start, i - start) < 0)
			return 0;
		if (w->line.len && watch_line(w, w->line.data, w->line.len) < 0) {
			w->line.len = 0;
			return 0; /* stops the transfer */
		}
		w->line.len = 0;
		start = i + 1;
	}
	if (k8smig__buf_put(&w->line, data + start, len - start) < 0)
		return 0;
	return len;
}

static int client_watch_impl(char **resource_version_out, k8smig_client *c, const char *api_version, const char *kind,
                             const k8smig_watch_options *o)
{
	const char *ns = o->namespace_, *label_selector = o->label_selector, *resource_version = o->resource_version;
	int timeout_seconds = o->timeout_seconds ? o->timeout_seconds : 300;
	k8smig__http r;
	k8smig__buf q = K8SMIG__BUF_INIT;
	watch_ctx w;
	CURLcode cc;
	long status = 0;
	int rc;

	if ((rc = check_args(c, api_version, kind)) < 0)
		return rc;
	if (!o->callback)
		return k8smig__error_set(K8SMIG_EINVAL, "callback", "watch needs a callback");
	if (timeout_seconds < 0)
		return k8smig__error_set(K8SMIG_EINVAL, "timeout_seconds", "watch timeout must not be negative");
	memset(&r, 0, sizeof(r));
	memset(&w, 0, sizeof(w));
	w.cb = o->callback;
	w.payload = o->payload;
	k8smig__buf_printf(&q, "watch=1&allowWatchBookmarks=true&timeoutSeconds=%d", timeout_seconds);
	if (resource_version && *resource_version) {
		char *esc = curl_easy_escape(NULL, resource_version, 0);
		k8smig__buf_printf(&q, "&resourceVersion=%s", esc ? esc : "");
		curl_free(esc);
	}
	if (label_selector && *label_selector) {
		char *esc = curl_easy_escape(NULL, label_selector, 0);
		k8smig__buf_printf(&q, "&labelSelector=%s", esc ? esc : "");
		q.failed |= !esc;
		curl_free(esc);
	}
	if (o->field_selector && *o->field_selector) {
		char *esc = curl_easy_escape(NULL, o->field_selector, 0);
		k8smig__buf_printf(&q, "&fieldSelector=%s", esc ? esc : "");
		q.failed |= !esc;
		curl_free(esc);
	}
	if (q.failed) {
		k8smig__buf_free(&q);
		return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	}
	q.data[q.len] = '\0';
	r.method = "GET";
	r.timeout_ms = (long)timeout_seconds * 1000 + 15000;
	if ((rc = k8smig__resource_url(&r.url, c, api_version, kind, ns, NULL, q.data, NULL)) < 0 ||
	    (rc = k8smig__http_prepare(c, &r)) < 0)
		goto out;
	/* stream events to the callback instead of buffering the body */
	curl_easy_setopt(r.easy, CURLOPT_WRITEFUNCTION, on_watch_data);
	curl_easy_setopt(r.easy, CURLOPT_WRITEDATA, &w);
	cc = curl_easy_perform(r.easy);
	curl_easy_getinfo(r.easy, CURLINFO_RESPONSE_CODE, &status);
	if (w.stopped) {
		rc = 0;
	} else if (w.error) {
		rc = K8SMIG_EAPI; /* set by watch_line */
	} else if (cc != CURLE_OK) {
		r.curl_code = (int)cc;
		rc = k8smig__http_error(&r, "watch");
	} else if (status < 200 || status >= 300) {
		r.status = status;
		/* the error body went to the watch parser; say what we know */
		rc = k8smig__error_set(status == 401 || status == 403 ? K8SMIG_EAUTH : status == 404 ? K8SMIG_ENOTFOUND : K8SMIG_EAPI,
		                       "", "watch %s: HTTP %ld", kind, status);
		k8smig__error_set_http((int)status, "");
	} else {
		rc = 0; /* the server ended the watch at timeoutSeconds */
	}
	if (rc == 0 && resource_version_out && (w.last_rv || resource_version)) {
		*resource_version_out = k8smig__strdup(w.last_rv ? w.last_rv : resource_version);
		if (!*resource_version_out)
			rc = k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	}
out:
	free(w.last_rv);
	k8smig__buf_free(&w.line);
	k8smig__buf_free(&q);
	k8smig__http_clear(&r);
	return rc;
}

static const size_t watch_options_sizes[] = { sizeof(k8smig_watch_options) };

int k8smig_watch_options_init(k8smig_watch_options *opts, unsigned int version)
{
	static const k8smig_watch_options def = K8SMIG_WATCH_OPTIONS_INIT;
	return K8SMIG__OPTIONS_INIT(opts, version, &def, watch_options_sizes, "k8smig_watch_options");
}

int k8smig_client_watch(char **resource_version_out, k8smig_client *c, const char *api_version, const char *kind,
                        const k8smig_watch_options *opts)
{
	k8smig_watch_options o = K8SMIG_WATCH_OPTIONS_INIT;
	int rc;

	if (resource_version_out)
		*resource_version_out = NULL;
	if (!c)
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL client");
	if (!opts)
		return k8smig__error_set(K8SMIG_EINVAL, "", "watch needs options with a callback");
	if ((rc = K8SMIG__OPTIONS_LOAD(&o, opts, watch_options_sizes, "k8smig_watch_options")) < 0)
		return rc;
	if ((rc = k8smig__client_enter(c)) < 0)
		return rc;
	rc = client_watch_impl(resource_version_out, c, api_version, kind, &o);
	k8smig__client_leave(c);
	return rc;
}
