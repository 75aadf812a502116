/*
 * lib/client/client.c - k8smig_client: resolve a kubeconfig context into a
 * server, TLS material and credentials. Key material stays in memory (curl
 * blobs); nothing is written to disk.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"

int k8smig__global_init_client(void);
void k8smig__global_cleanup_client(void);

int k8smig__global_init_client(void)
{
	if (k8smig__curl_load() < 0)
		return -1;
	return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

void k8smig__global_cleanup_client(void)
{
	if (k8smig__curl_load() == 0)
		curl_global_cleanup();
}

static const size_t client_options_sizes[] = { sizeof(k8smig_client_options) };

int k8smig_client_options_init(k8smig_client_options *opts, unsigned int version)
{
	static const k8smig_client_options def = K8SMIG_CLIENT_OPTIONS_INIT;
	return K8SMIG__OPTIONS_INIT(opts, version, &def, client_options_sizes, "k8smig_client_options");
}

/* One thread at a time: the first entry records its thread; a nested call from
 * the same thread (a callback, or the library calling itself) goes through,
 * another thread gets K8SMIG_EBUSY instead of corrupting the handle. */
static _Thread_local char thread_token;

int k8smig__client_enter(k8smig_client *c)
{
	void *expected = NULL;
	if (!__atomic_compare_exchange_n(&c->owner, &expected, (void *)&thread_token, false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED) &&
	    expected != &thread_token)
		return k8smig__error_set(K8SMIG_EBUSY, "", "the client is in use by another thread (a k8smig_client is used by one thread at a time)");
	c->depth++;
	return 0;
}

void k8smig__client_leave(k8smig_client *c)
{
	if (--c->depth == 0)
		__atomic_store_n(&c->owner, NULL, __ATOMIC_RELEASE);
}

static const char *field(const k8smig__kc_entry *e, const char *name)
{
	char path[128];
	snprintf(path, sizeof(path), "v.%s", name);
	return k8smig_object_get_str(e->o, path);
}

static char *resolve_path(const char *dir, const char *p)
{
	size_t n;
	char *out;
	if (p[0] == '/')
		return k8smig__strdup(p);
	n = strlen(dir) + strlen(p) + 2;
	if ((out = malloc(n)))
		snprintf(out, n, "%s/%s", dir, p);
	return out;
}

/* PEM material from "<name>-data" (base64) or "<name>" (a file, relative to the kubeconfig). */
static int load_pem(char **out, size_t *len, const k8smig__kc_entry *e, const char *name, const char *what)
{
	char key[96];
	const char *data, *file;
	int rc;

	*out = NULL;
	*len = 0;
	snprintf(key, sizeof(key), "%s-data", name);
	data = field(e, key);
	file = field(e, name);
	if (data && *data) {
		if ((rc = k8smig__base64_decode(out, len, data, strlen(data))) < 0)
			return k8smig__error_set(rc, key, "%s of '%s' is not valid base64", what, e->name);
		return 0;
	}
	if (file && *file) {
		char *path = resolve_path(e->dir, file);
		if (!path)
			return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
		rc = k8smig__read_file(out, len, path, 1 << 20);
		if (rc < 0) {
			/* copy the cause out first: setting the error rewrites the buffer it lives in */
			char cause[256];
			snprintf(cause, sizeof(cause), "%s", k8smig_error_last()->message);
			rc = k8smig__error_set(rc == K8SMIG_ENOMEM ? rc : K8SMIG_EINVAL, name, "cannot read %s of '%s' (%s): %s",
			                       what, e->name, path, cause);
			k8smig__error_set_file(path);
		}
		free(path);
		return rc < 0 ? rc : 0;
	}
	return 0;
}

static char **string_list(const k8smig_value *list, const char *first)
{
	size_t n = k8smig_value_size(list) + (first ? 1 : 0), i = 0;
	char **v = calloc(n + 1, sizeof(char *));
	const k8smig_value *it;
	if (!v)
		return NULL;
	if (first && !(v[i++] = k8smig__strdup(first)))
		goto oom;
	for (it = k8smig_value_first(list); it; it = k8smig_value_next(it)) {
		const char *s = k8smig_value_str(it);
		if (!(v[i++] = k8smig__strdup(s ? s : "")))
			goto oom;
	}
	return v;
oom:
	for (i = 0; v[i]; i++)
		free(v[i]);
	free(v);
	return NULL;
}

void k8smig__exec_free(k8smig__exec *e)
{
	size_t i;
	if (!e)
		return;
	for (i = 0; e->args && e->args[i]; i++)
		free(e->args[i]);
	for (i = 0; e->env && e->env[i]; i++)
		free(e->env[i]);
	free(e->args);
	free(e->env);
	free(e->api_version);
	free(e->command);
	free(e->dir);
	free(e);
}

static int load_exec(k8smig__exec **out, const k8smig__kc_entry *u)
{
	const k8smig_value *ex = k8smig_object_get(u->o, "v.exec"), *envs, *it;
	const char *cmd = k8smig_value_str(k8smig_value_lookup(ex, "command"));
	const char *api = k8smig_value_str(k8smig_value_lookup(ex, "apiVersion"));
	k8smig__exec *e;
	size_t i = 0;

	*out = NULL;
	if (!ex)
		return 0;
	if (!cmd || !*cmd)
		return k8smig__error_set(K8SMIG_EINVAL, "exec.command", "user '%s': exec plugin without a command", u->name);
	if (api && strcmp(api, "client.authentication.k8s.io/v1") != 0 &&
	    strcmp(api, "client.authentication.k8s.io/v1beta1") != 0)
		return k8smig__error_set(K8SMIG_EINVAL, "exec.apiVersion", "user '%s': unsupported exec apiVersion %s", u->name, api);
	if (!(e = calloc(1, sizeof(*e))))
		return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	envs = k8smig_value_lookup(ex, "env");
	e->api_version = k8smig__strdup(api ? api : "client.authentication.k8s.io/v1");
	e->command = k8smig__strdup(cmd);
	e->dir = k8smig__strdup(u->dir);
	e->args = string_list(k8smig_value_lookup(ex, "args"), cmd);
	e->env = calloc(k8smig_value_size(envs) + 1, sizeof(char *));
	e->provide_cluster_info = k8smig_value_bool(k8smig_value_lookup(ex, "provideClusterInfo"));
	if (!e->api_version || !e->command || !e->dir || !e->args || !e->env) {
		k8smig__exec_free(e);
		return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	}
	for (it = k8smig_value_first(envs); it; it = k8smig_value_next(it)) {
		const char *n = k8smig_value_str(k8smig_value_lookup(it, "name"));
		const char *v = k8smig_value_str(k8smig_value_lookup(it, "value"));
		size_t len;
		if (!n || !*n)
			continue;
		len = strlen(n) + strlen(v ? v : "") + 2;
		if (!(e->env[i] = malloc(len))) {
			k8smig__exec_free(e);
			return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
		}
		snprintf(e->env[i++], len, "%s=%s", n, v ? v : "");
	}
	*out = e;
	return 0;
}

void k8smig_client_free(k8smig_client *c)
{
	size_t i;
	if (!c)
		return;
	if (c->multi)
		curl_multi_cleanup(c->multi);
	if (c->share)
		curl_share_cleanup(c->share);
	free(c->server);
	free(c->url_base);
	free(c->connect_to);
	free(c->namespace_);
	free(c->ca_pem);
	free(c->proxy);
	free(c->cred.token);
	free(c->cred.token_file);
	if (c->cred.key_pem)
		memset(c->cred.key_pem, 0, c->cred.key_len); /* do not leave key material in freed memory */
	free(c->cred.cert_pem);
	free(c->cred.key_pem);
	k8smig__exec_free(c->cred.exec);
	for (i = 0; i < c->n_gv; i++) {
		free(c->gv[i].group_version);
		k8smig_object_free(c->gv[i].list);
	}
	free(c->gv);
	k8smig__buf_free(&c->warnings);
	free(c);
}

static int set_tls_server_name(k8smig_client *c, const char *sni)
{
	/* keep connecting to the real host, but verify (and send SNI) for sni:
	 * the URL names sni, CURLOPT_CONNECT_TO sends the connection to the host */
	const char *hoststart = strstr(c->server, "://");
	const char *port, *end;
	char host[512], portbuf[16] = "443";
	size_t n;

	if (!hoststart)
		return k8smig__error_set(K8SMIG_EINVAL, "server", "server URL has no scheme");
	hoststart += 3;
	end = hoststart + strcspn(hoststart, "/");
	if (*hoststart == '[') {
		const char *rb = memchr(hoststart, ']', (size_t)(end - hoststart));
		port = rb && rb + 1 < end && rb[1] == ':' ? rb + 1 : NULL;
	} else {
		port = memchr(hoststart, ':', (size_t)(end - hoststart));
	}
	n = (size_t)((port ? port : end) - hoststart);
	if (n >= sizeof(host))
		return k8smig__error_set(K8SMIG_EINVAL, "server", "server host name too long");
	memcpy(host, hoststart, n);
	host[n] = '\0';
	if (port && (size_t)(end - port - 1) < sizeof(portbuf)) {
		memcpy(portbuf, port + 1, (size_t)(end - port - 1));
		portbuf[end - port - 1] = '\0';
	}
	n = strlen(sni) + strlen(host) + 2 * strlen(portbuf) + 8;
	c->connect_to = malloc(n);
	c->url_base = malloc(strlen(sni) + strlen(portbuf) + 16 + strlen(end));
	if (!c->connect_to || !c->url_base)
		return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	snprintf(c->connect_to, n, "%s:%s:%s:%s", sni, portbuf, host, portbuf);
	sprintf(c->url_base, "https://%s:%s%s", sni, portbuf, end);
	return 0;
}

int k8smig_client_new(k8smig_client **out, const k8smig_kubeconfig *kc, const k8smig_client_options *opts)
{
	k8smig_client *c;
	k8smig_client_options o = K8SMIG_CLIENT_OPTIONS_INIT;
	const k8smig__kc_entry *ctx, *cl, *us;
	const char *ctx_name, *server, *s;
	int rc;

	if (!out)
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL out");
	*out = NULL;
	if (!kc)
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL kubeconfig");
	if (!k8smig__initialised())
		return k8smig__error_set(K8SMIG_EINVAL, "", "k8smig_init() was not called");
	if ((rc = k8smig__curl_load()) < 0)
		return rc;
	if ((rc = K8SMIG__OPTIONS_LOAD(&o, opts, client_options_sizes, "k8smig_client_options")) < 0)
		return rc;
	ctx_name = o.context ? o.context : kc->current_context;
	if (!ctx_name)
		return k8smig__error_set(K8SMIG_ENOTFOUND, "current-context", "no context given and no current-context set");
	if (!(ctx = k8smig__kc_find(&kc->contexts, ctx_name)))
		return k8smig__error_set(K8SMIG_ENOTFOUND, "contexts", "context \"%s\" not found in kubeconfig", ctx_name);
	if (!(cl = k8smig__kc_find(&kc->clusters, field(ctx, "cluster"))))
		return k8smig__error_set(K8SMIG_ENOTFOUND, "clusters", "cluster \"%s\" of context \"%s\" not found",
		                         field(ctx, "cluster") ? field(ctx, "cluster") : "", ctx_name);
	us = k8smig__kc_find(&kc->users, field(ctx, "user"));
	if (field(ctx, "user") && *field(ctx, "user") && !us)
		return k8smig__error_set(K8SMIG_ENOTFOUND, "users", "user \"%s\" of context \"%s\" not found",
		                         field(ctx, "user"), ctx_name);
	server = field(cl, "server");
	if (!server || strncmp(server, "https://", 8) != 0)
		return k8smig__error_set(K8SMIG_EINVAL, "server", "cluster \"%s\": server must be an https:// URL", cl->name);

	if (!(c = calloc(1, sizeof(*c))))
		return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	c->opts = o;
	c->opts.context = c->opts.namespace_ = NULL; /* borrowed strings are not kept */
	if (!c->opts.connect_timeout_ms)
		c->opts.connect_timeout_ms = 10000;
	if (!c->opts.request_timeout_ms)
		c->opts.request_timeout_ms = 60000;
	if (!c->opts.max_retries)
		c->opts.max_retries = 5;
	else if (c->opts.max_retries < 0)
		c->opts.max_retries = 0; /* K8SMIG_NO_RETRIES */
	if (!c->opts.max_parallel)
		c->opts.max_parallel = 16;

	rc = K8SMIG_ENOMEM;
	c->server = k8smig__strndup(server, strlen(server) - (server[strlen(server) - 1] == '/'));
	s = o.namespace_ && *o.namespace_ ? o.namespace_ : field(ctx, "namespace");
	c->namespace_ = k8smig__strdup(s && *s ? s : "default");
	if (!c->server || !c->namespace_)
		goto fail;
	s = field(cl, "tls-server-name");
	if (s && *s) {
		if ((rc = set_tls_server_name(c, s)) < 0)
			goto fail;
	} else if (!(c->url_base = k8smig__strdup(c->server))) {
		goto fail;
	}
	c->insecure = k8smig_object_get_bool(cl->o, "v.insecure-skip-tls-verify");
	if (c->insecure &&
	    k8smig__buf_puts(&c->warnings, "insecure-skip-tls-verify is set: the server's certificate is not checked\n") < 0)
		goto fail;
	s = field(cl, "proxy-url");
	if (s && *s && !(c->proxy = k8smig__strdup(s)))
		goto fail;
	if ((rc = load_pem(&c->ca_pem, &c->ca_len, cl, "certificate-authority", "certificate authority")) < 0)
		goto fail;
	if (us) {
		s = field(us, "token");
		if (s && *s && !(c->cred.token = k8smig__strdup(s)))
			goto fail;
		s = field(us, "tokenFile");
		if (s && *s && !c->cred.token) {
			char *tok;
			size_t len;
			if (!(c->cred.token_file = resolve_path(us->dir, s)))
				goto fail;
			if ((rc = k8smig__read_file(&tok, &len, c->cred.token_file, 1 << 16)) < 0) {
				if (rc != K8SMIG_ENOMEM)
					rc = k8smig__error_set(K8SMIG_EINVAL, "tokenFile", "cannot read tokenFile of user \"%s\"", us->name);
				goto fail;
			}
			while (len && (tok[len - 1] == '\n' || tok[len - 1] == '\r' || tok[len - 1] == ' '))
				tok[--len] = '\0';
			c->cred.token = tok;
		}
		if ((rc = load_pem(&c->cred.cert_pem, &c->cred.cert_len, us, "client-certificate", "client certificate")) < 0 ||
		    (rc = load_pem(&c->cred.key_pem, &c->cred.key_len, us, "client-key", "client key")) < 0)
			goto fail;
		if (!c->cred.cert_pem != !c->cred.key_pem) {
			rc = k8smig__error_set(K8SMIG_EINVAL, "client-key", "user \"%s\": a client certificate needs both certificate and key", us->name);
			goto fail;
		}
		if ((rc = load_exec(&c->cred.exec, us)) < 0)
			goto fail;
	}
	rc = K8SMIG_ENOMEM;
	if (!(c->multi = curl_multi_init()) || !(c->share = curl_share_init()))
		goto fail;
	/* reuse connections and TLS sessions across requests; multiplex over HTTP/2 */
	curl_multi_setopt(c->multi, CURLMOPT_PIPELINING, (long)CURLPIPE_MULTIPLEX);
	curl_multi_setopt(c->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)c->opts.max_parallel);
	curl_share_setopt(c->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
	curl_share_setopt(c->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
	*out = c;
	return 0;
fail:
	if (rc >= 0)
		rc = K8SMIG_ENOMEM; /* a failed strdup jumps here with rc still 0 from the step before */
	if (rc == K8SMIG_ENOMEM && k8smig_error_last()->code != K8SMIG_ENOMEM)
		k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	k8smig_client_free(c);
	return rc;
}

const char *k8smig_client_server(const k8smig_client *c) { return c ? c->server : NULL; }
const char *k8smig_client_namespace(const k8smig_client *c) { return c ? c->namespace_ : NULL; }

const char *k8smig_client_warnings(const k8smig_client *c)
{
	if (!c || !c->warnings.data)
		return "";
	c->warnings.data[c->warnings.len] = '\0';
	return c->warnings.data;
}

int k8smig_client_set_transport_hook(k8smig_client *c, k8smig_transport_hook hook, void *payload)
{
	int rc;
	if (!c)
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL client");
	if ((rc = k8smig__client_enter(c)) < 0)
		return rc;
	c->hook = hook;
	c->hook_payload = hook ? payload : NULL;
	k8smig__client_leave(c);
	return 0;
}
