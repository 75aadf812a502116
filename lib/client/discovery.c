/*
 * lib/client/discovery.c - group/version/kind to resource path and scope.
 *
 * One GET of /api/v1 or /apis/<group>/<version> per group-version, cached
 * per client. A kind missing from a cached list is looked up once more (a CRD
 * may just have appeared).
 */
#include <stdlib.h>
#include <string.h>

#include "client.h"

void k8smig__discovery_forget(k8smig_client *c)
{
	size_t i;
	for (i = 0; i < c->n_gv; i++) {
		free(c->gv[i].group_version);
		k8smig_object_free(c->gv[i].list);
	}
	free(c->gv);
	c->gv = NULL;
	c->n_gv = 0;
}

static k8smig__gv_cache *cached(k8smig_client *c, const char *gv)
{
	size_t i;
	for (i = 0; i < c->n_gv; i++)
		if (strcmp(c->gv[i].group_version, gv) == 0)
			return &c->gv[i];
	return NULL;
}

/* Fetch (or refetch) the resource list of a group-version; ENOTFOUND when the server lacks it. */
static int fetch(k8smig__gv_cache **out, k8smig_client *c, const char *gv)
{
	k8smig__http r;
	k8smig__gv_cache *e = cached(c, gv);
	k8smig_object *list = NULL;
	size_t n;
	int rc;

	memset(&r, 0, sizeof(r));
	r.method = "GET";
	n = strlen(c->url_base) + strlen(gv) + 16;
	if (!(r.url = malloc(n)))
		return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	snprintf(r.url, n, "%s/%s%s", c->url_base, strchr(gv, '/') ? "apis/" : "api/", gv);
	if ((rc = k8smig__http_do(c, &r)) < 0) {
		k8smig__http_clear(&r);
		return rc;
	}
	if (r.curl_code || r.status != 200) {
		if (!r.curl_code && r.status == 404)
			rc = k8smig__error_set(K8SMIG_ENOTFOUND, "apiVersion", "the server does not serve %s", gv);
		else
			rc = k8smig__http_error(&r, "discovery");
		k8smig__http_clear(&r);
		return rc;
	}
	rc = k8smig__http_object(&list, &r);
	k8smig__http_clear(&r);
	if (rc < 0)
		return rc;
	if (!e) {
		k8smig__gv_cache *g = realloc(c->gv, (c->n_gv + 1) * sizeof(*g));
		if (!g) {
			k8smig_object_free(list);
			return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
		}
		c->gv = g;
		e = &c->gv[c->n_gv];
		if (!(e->group_version = k8smig__strdup(gv))) {
			k8smig_object_free(list);
			return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
		}
		e->list = NULL;
		c->n_gv++;
	}
	k8smig_object_free(e->list);
	e->list = list;
	*out = e;
	return 0;
}

static const k8smig_value *find_kind(const k8smig__gv_cache *e, const char *kind)
{
	const k8smig_value *it;
	for (it = k8smig_value_first(k8smig_object_get(e->list, "resources")); it; it = k8smig_value_next(it)) {
		const char *k = k8smig_value_str(k8smig_value_lookup(it, "kind"));
		const char *name = k8smig_value_str(k8smig_value_lookup(it, "name"));
		if (k && name && strcmp(k, kind) == 0 && !strchr(name, '/'))
			return it;
	}
	return NULL;
}

static int client_resource_impl(char **resource_out, bool *namespaced_out, k8smig_client *c, const char *api_version, const char *kind)
{
	k8smig__gv_cache *e;
	const k8smig_value *res;
	int rc;

	*resource_out = NULL;
	if (!c || !api_version || !kind)
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL argument");
	e = cached(c, api_version);
	res = e ? find_kind(e, kind) : NULL;
	if (!res) {
		if ((rc = fetch(&e, c, api_version)) < 0)
			return rc;
		if (!(res = find_kind(e, kind)))
			return k8smig__error_set(K8SMIG_ENOTFOUND, "kind", "the server has no kind %s in %s", kind, api_version);
	}
	if (!(*resource_out = k8smig__strdup(k8smig_value_str(k8smig_value_lookup(res, "name")))))
		return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	if (namespaced_out)
		*namespaced_out = k8smig_value_bool(k8smig_value_lookup(res, "namespaced"));
	return 0;
}

int k8smig_client_resource(char **resource_out, bool *namespaced_out, k8smig_client *c, const char *api_version, const char *kind)
{
	int rc;
	if (!resource_out)
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL resource_out");
	*resource_out = NULL;
	if (!c)
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL client");
	if ((rc = k8smig__client_enter(c)) < 0)
		return rc;
	rc = client_resource_impl(resource_out, namespaced_out, c, api_version, kind);
	k8smig__client_leave(c);
	return rc;
}

int k8smig__resource_url(char **out, k8smig_client *c, const char *api_version, const char *kind,
                         const char *ns, const char *name, const char *query, bool *namespaced_out)
{
	char *resource = NULL, *ens = NULL, *ename = NULL;
	bool namespaced = false;
	k8smig__buf b = K8SMIG__BUF_INIT;
	int rc;

	*out = NULL;
	if ((rc = k8smig_client_resource(&resource, &namespaced, c, api_version, kind)) < 0)
		return rc;
	if (namespaced_out)
		*namespaced_out = namespaced;
	if (namespaced && !ns)
		ns = c->namespace_;
	/* names are DNS names, but escape anyway: a bad name must not change the path */
	if ((ns && *ns && !(ens = curl_easy_escape(NULL, ns, 0))) || (name && !(ename = curl_easy_escape(NULL, name, 0)))) {
		rc = k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
		goto out;
	}
	k8smig__buf_printf(&b, "%s/%s%s", c->url_base, strchr(api_version, '/') ? "apis/" : "api/", api_version);
	if (namespaced && ens)
		k8smig__buf_printf(&b, "/namespaces/%s", ens);
	k8smig__buf_printf(&b, "/%s", resource);
	if (ename)
		k8smig__buf_printf(&b, "/%s", ename);
	if (query && *query)
		k8smig__buf_printf(&b, "?%s", query);
	if (!(*out = k8smig__buf_detach(&b, NULL)))
		rc = K8SMIG_ENOMEM;
out:
	curl_free(ens);
	curl_free(ename);
	free(resource);
	k8smig__buf_free(&b);
	return rc;
}
