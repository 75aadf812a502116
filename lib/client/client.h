/*
 * lib/client/client.h - internals of the client layer.
 */
#ifndef K8SMIG_LIB_CLIENT_H
#define K8SMIG_LIB_CLIENT_H

#include "curl_dl.h"

#include "../model/tree.h"
#include "k8smig/client.h"
#include "k8smig/sys/transport.h"

/* ---- kubeconfig ---- */

/* One named entry (cluster, user or context) and the directory of its file,
 * against which relative paths resolve. The entry's fields live under "v". */
typedef struct k8smig__kc_entry {
	char *name;
	char *dir;
	k8smig_object *o;
} k8smig__kc_entry;

typedef struct k8smig__kc_table {
	k8smig__kc_entry *items;
	size_t n;
} k8smig__kc_table;

struct k8smig_kubeconfig {
	k8smig__kc_table clusters, users, contexts;
	char *current_context;
};

const k8smig__kc_entry *k8smig__kc_find(const k8smig__kc_table *t, const char *name);

/* ---- credentials ---- */

typedef struct k8smig__exec {
	char *api_version;
	char *command;
	char **args;        /* NULL-terminated, args[0] = command */
	char **env;         /* "NAME=value" pairs to add, NULL-terminated */
	bool provide_cluster_info;
	char *dir;          /* relative commands resolve here */
	long timeout_ms;    /* the plugin's whole run; 0: K8SMIG__EXEC_TIMEOUT_MS (tests shorten it) */
} k8smig__exec;

#define K8SMIG__EXEC_TIMEOUT_MS 60000L
#define K8SMIG__EXEC_MAX_OUTPUT (4u << 20) /* an ExecCredential is a few KiB; a bigger one is refused */

typedef struct k8smig__credentials {
	char *token;               /* bearer token (static, file or exec) */
	char *token_file;
	char *cert_pem, *key_pem;  /* client certificate (data, file or exec) */
	size_t cert_len, key_len;
	k8smig__exec *exec;
	long long expires_at;      /* exec credentials: unix time, 0 = none */
} k8smig__credentials;

/* Run the exec plugin and fill token or cert/key and expiry. */
int k8smig__exec_credentials(k8smig__credentials *cr, const k8smig_client *c);
/* Read a plugin's output as an ExecCredential into cr (changed only on success). */
int k8smig__exec_parse(k8smig__credentials *cr, const char *data, size_t len, const char *command);
void k8smig__exec_free(k8smig__exec *e);

/* ---- the client ---- */

typedef struct k8smig__gv_cache {
	char *group_version;
	k8smig_object *list;   /* APIResourceList */
} k8smig__gv_cache;

struct k8smig_client {
	char *server;          /* https://host:port, no trailing slash */
	char *url_base;        /* server, or https://tls-server-name:port when tls-server-name is set */
	char *connect_to;      /* CURLOPT_CONNECT_TO entry for tls-server-name */
	char *namespace_;
	char *ca_pem;
	size_t ca_len;
	bool insecure;
	char *proxy;
	k8smig__credentials cred;
	k8smig_client_options opts;
	CURLM *multi;
	CURLSH *share;
	k8smig__gv_cache *gv;
	size_t n_gv;
	k8smig__buf warnings;
	k8smig_transport_hook hook; /* sys/transport.h, or NULL */
	void *hook_payload;
	void *owner;                /* the thread using the client now (k8smig__client_enter), or NULL */
	unsigned int depth;         /* nested entries of that thread */
	struct {
		char *user, *uid;
		char **groups;         /* NULL-terminated */
	} imp;                   /* Impersonate-* headers (lifecycle.h, kubeconfig as/as-groups/as-uid) */
	unsigned int parallel_now;  /* in-flight cap: halved on 429, grown back on success */
	struct {
		unsigned long requests, retries, reauths, exec_runs;
	} stats;                 /* for tests and diagnostics */
};

/* Every public function that uses a client brackets its work with these:
 * K8SMIG_EBUSY when another thread is inside; nesting on one thread is fine. */
int k8smig__client_enter(k8smig_client *c);
void k8smig__client_leave(k8smig_client *c);
/* Impersonation (applyset.c owns the public call); from the kubeconfig user in client_new. */
int k8smig__impersonate_from_user(k8smig_client *c, const k8smig_object *user, const char *user_name);
void k8smig__impersonation_free(k8smig_client *c);
int k8smig__impersonation_headers(const k8smig_client *c, struct curl_slist **h);

/* ---- HTTP ---- */

typedef struct k8smig__http {
	/* request */
	const char *method;
	char *url;                  /* owned */
	const char *content_type;
	const char *body;           /* borrowed */
	size_t body_len;
	long timeout_ms;            /* 0: the client's */
	/* response */
	long status;
	k8smig__buf resp;
	int curl_code;
	long os_errno;              /* the socket's errno when the transfer failed (ECONNRESET...) */
	char curl_error[CURL_ERROR_SIZE];
	double retry_after;         /* seconds, from the header, -1 when absent */
	/* bookkeeping */
	CURL *easy;
	struct curl_slist *headers;
	unsigned attempts;
	enum { K8SMIG__HTTP_PENDING, K8SMIG__HTTP_RUNNING, K8SMIG__HTTP_DONE } state;
	double not_before;          /* a pending retry must not start before this monotonic time */
	bool reauthed;
	void *user;                 /* the caller's tag */
	k8smig_client *client;      /* set while running, for Warning headers */
} k8smig__http;

/* Run requests with up to max_parallel in flight, retrying 429/5xx/resets with
 * backoff and re-authenticating once on 401 when the credentials can refresh.
 * Returns 0 when every request got an HTTP response (any status), else the
 * first transport error; per-request outcome is in each k8smig__http. */
int k8smig__http_run(k8smig_client *c, k8smig__http **reqs, size_t n);
/* One request. */
int k8smig__http_do(k8smig_client *c, k8smig__http *r);
void k8smig__http_clear(k8smig__http *r);
/* Turn a non-2xx response into the last error (Status reason -> code, causes -> path). */
int k8smig__http_error(const k8smig__http *r, const char *what);
/* Parse a JSON response body into an object. */
int k8smig__http_object(k8smig_object **out, const k8smig__http *r);
/* Prepare an easy handle with TLS, auth and common headers (used by watch too). */
int k8smig__http_prepare(k8smig_client *c, k8smig__http *r);
double k8smig__now(void);

/* ---- server-side apply (ops.c), shared with apply_set.c ---- */

/* sizeof(k8smig_apply_options) per version, for K8SMIG__OPTIONS_LOAD */
extern const size_t k8smig__apply_options_sizes[1];
extern const size_t k8smig__apply_set_options_sizes[1];
/* "fieldManager=...&force=true&dryRun=All" for opts into buf. */
int k8smig__apply_query(char *buf, size_t cap, const k8smig_apply_options *o);
/* A 409 from server-side apply as ECONFLICT naming the managers and fields. */
int k8smig__apply_conflict(const k8smig__http *r, const char *what);

/* ---- discovery and paths ---- */

/* URL of a resource collection or object; name NULL for the collection. */
int k8smig__resource_url(char **out, k8smig_client *c, const char *api_version, const char *kind,
                         const char *ns, const char *name, const char *query, bool *namespaced_out);
void k8smig__discovery_forget(k8smig_client *c);

#endif
