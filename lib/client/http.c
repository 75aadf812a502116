/*
 * lib/client/http.c - requests over libcurl: TLS, auth, reused connections,
 * HTTP/2 multiplexing, bounded retries with backoff, and API Status errors.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "client.h"
#include "../serialize/parse.h"

double k8smig__now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void k8smig__http_clear(k8smig__http *r)
{
	if (r->easy)
		curl_easy_cleanup(r->easy);
	curl_slist_free_all(r->headers);
	free(r->url);
	k8smig__buf_free(&r->resp);
	r->easy = NULL;
	r->headers = NULL;
	r->url = NULL;
}

static size_t on_body(char *data, size_t size, size_t n, void *ud)
{
	k8smig__http *r = ud;
	return k8smig__buf_put(&r->resp, data, size * n) < 0 ? 0 : size * n;
}

static size_t on_header(char *data, size_t size, size_t n, void *ud)
{
	k8smig__http *r = ud;
	size_t len = size * n;

	if (len > 12 && strncasecmp(data, "Retry-After:", 12) == 0) {
		char buf[32];
		size_t m = len - 12 < sizeof(buf) - 1 ? len - 12 : sizeof(buf) - 1;
		memcpy(buf, data + 12, m);
		buf[m] = '\0';
		r->retry_after = atof(buf);
	} else if (len > 8 && strncasecmp(data, "Warning:", 8) == 0 && r->client && r->client->warnings.len < 65536) {
		/* API server warnings (deprecated APIs, unknown fields) are kept for the caller */
		size_t m = len - 8;
		const char *w = data + 8;
		while (m && (*w == ' ')) {
			w++;
			m--;
		}
		while (m && (w[m - 1] == '\r' || w[m - 1] == '\n'))
			m--;
		k8smig__buf_put(&r->client->warnings, w, m);
		k8smig__buf_putc(&r->client->warnings, '\n');
	}
	return len;
}

/* Bearer token or client certificate, refreshing exec credentials when due. */
static int ensure_credentials(k8smig_client *c)
{
	if (!c->cred.exec)
		return 0;
	if (c->cred.token || c->cred.cert_pem) {
		/* refresh a little before expiry, as client-go does */
		if (!c->cred.expires_at || (long long)time(NULL) + 10 < c->cred.expires_at)
			return 0;
	}
	return k8smig__exec_credentials(&c->cred, c);
}

int k8smig__http_prepare(k8smig_client *c, k8smig__http *r)
{
	CURL *e;
	int rc;

	if ((rc = ensure_credentials(c)) < 0)
		return rc;
	if (r->easy) {
		curl_easy_cleanup(r->easy);
		curl_slist_free_all(r->headers);
		r->headers = NULL;
	}
	k8smig__buf_free(&r->resp);
	r->status = 0;
	r->curl_code = 0;
	r->curl_error[0] = '\0';
	r->retry_after = -1;
	if (!(e = r->easy = curl_easy_init()))
		return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	curl_easy_setopt(e, CURLOPT_URL, r->url);
	curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, r->method);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_SHARE, c->share);
	curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
	curl_easy_setopt(e, CURLOPT_PIPEWAIT, 1L);
	curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, c->opts.connect_timeout_ms);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, r->timeout_ms ? r->timeout_ms : c->opts.request_timeout_ms);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, r->curl_error);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(e, CURLOPT_PRIVATE, r);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "https");
	if (c->proxy)
		curl_easy_setopt(e, CURLOPT_PROXY, c->proxy);
	else
		curl_easy_setopt(e, CURLOPT_NOPROXY, "*"); /* kubectl ignores *_proxy only via proxy-url; keep requests direct */
	if (c->connect_to) {
		struct curl_slist *ct = curl_slist_append(NULL, c->connect_to);
		curl_easy_setopt(e, CURLOPT_CONNECT_TO, ct);
		/* the list must live as long as the handle: keep it with the headers */
		r->headers = ct;
	}
	if (c->ca_pem) {
		struct curl_blob ca = { c->ca_pem, c->ca_len, CURL_BLOB_NOCOPY };
		curl_easy_setopt(e, CURLOPT_CAINFO_BLOB, &ca);
	}
	if (c->insecure) {
		curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	if (c->cred.cert_pem) {
		struct curl_blob cert = { c->cred.cert_pem, c->cred.cert_len, CURL_BLOB_NOCOPY };
		struct curl_blob key = { c->cred.key_pem, c->cred.key_len, CURL_BLOB_NOCOPY };
		curl_easy_setopt(e, CURLOPT_SSLCERT_BLOB, &cert);
		curl_easy_setopt(e, CURLOPT_SSLCERTTYPE, "PEM");
		curl_easy_setopt(e, CURLOPT_SSLKEY_BLOB, &key);
		curl_easy_setopt(e, CURLOPT_SSLKEYTYPE, "PEM");
	}
	{
		struct curl_slist *h = r->headers;
		char ua[64];
		snprintf(ua, sizeof(ua), "User-Agent: k8smig/%s", k8smig_version());
		h = curl_slist_append(h, ua);
		h = curl_slist_append(h, "Accept: application/json");
		if (r->content_type) {
			char ctb[96];
			snprintf(ctb, sizeof(ctb), "Content-Type: %s", r->content_type);
			h = curl_slist_append(h, ctb);
		}
		if (c->cred.token) {
			size_t n = strlen(c->cred.token) + 32;
			char *auth = malloc(n);
			if (!auth) {
				curl_slist_free_all(h);
				r->headers = NULL;
				return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
			}
			snprintf(auth, n, "Authorization: Bearer %s", c->cred.token);
			h = curl_slist_append(h, auth);
			memset(auth, 0, n);
			free(auth);
		}
		if (!h)
			return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
		r->headers = h;
		curl_easy_setopt(e, CURLOPT_HTTPHEADER, h);
	}
	if (r->body) {
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, r->body);
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)r->body_len);
	}
	return 0;
}

static bool retryable_status(long s)
{
	return s == 429 || s == 500 || s == 502 || s == 503 || s == 504;
}

static bool retryable_curl(int code)
{
	/* a connection that broke after it was made; a refused connection is not retried */
	return code == CURLE_SEND_ERROR || code == CURLE_RECV_ERROR || code == CURLE_GOT_NOTHING ||
	       code == CURLE_PARTIAL_FILE || code == CURLE_HTTP2 || code == CURLE_HTTP2_STREAM;
}

/* Exponential backoff with jitter; a Retry-After is a floor, spread out so
 * that requests refused together do not all come back together. */
static double backoff(const k8smig__http *r)
{
	double base = 0.2 * pow(2.0, (double)(r->attempts - 1));
	double spread = (double)rand() / RAND_MAX;
	if (base > 10)
		base = 10;
	if (r->retry_after >= 0) {
		double ra = r->retry_after > 30 ? 30 : r->retry_after;
		return ra + spread * (ra > 0 ? ra : base);
	}
	return base * (0.75 + 0.5 * spread);
}

static int start(k8smig_client *c, k8smig__http *r)
{
	int rc;
	r->attempts++;
	r->client = c;
	c->stats.requests++;
	if ((rc = k8smig__http_prepare(c, r)) < 0)
		return rc;
	if (curl_multi_add_handle(c->multi, r->easy) != CURLM_OK)
		return k8smig__error_set(K8SMIG_ETRANSPORT, "", "cannot start a request");
	return 0;
}

/* Decide what to do with a finished request: true to try it again. */
/* Let the transport hook (sys/transport.h) see the exchange and change it. */
static void run_hook(k8smig_client *c, k8smig__http *r, CURLcode *code)
{
	k8smig_transport_exchange x;
	memset(&x, 0, sizeof(x));
	x.method = r->method ? r->method : "GET";
	x.url = r->url;
	x.attempt = r->attempts;
	x.status = *code == CURLE_OK ? r->status : 0;
	x.connection_failed = *code != CURLE_OK;
	x.body = r->resp.data ? r->resp.data : "";
	x.body_len = r->resp.len;
	c->hook(&x, c->hook_payload);
	if (x.new_body) {
		r->resp.len = 0;
		if (k8smig__buf_put(&r->resp, x.new_body, x.new_body_len) < 0)
			r->resp.len = 0;
	}
	if (x.connection_failed && *code == CURLE_OK) {
		*code = CURLE_RECV_ERROR;
		snprintf(r->curl_error, sizeof(r->curl_error), "connection broken (transport hook)");
	}
	r->status = x.connection_failed ? 0 : x.status;
}

static bool should_retry(k8smig_client *c, k8smig__http *r, CURLcode code)
{
	if (code == CURLE_OK)
		curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &r->status);
	if (c->hook)
		run_hook(c, r, &code);
	r->curl_code = (int)code;
	if (code == CURLE_OK && r->status == 401 && c->cred.exec && !r->reauthed) {
		/* an expired exec credential: drop it so the plugin runs again, once */
		r->reauthed = true;
		c->stats.reauths++;
		c->cred.expires_at = 1;
		free(c->cred.token);
		c->cred.token = NULL;
		r->not_before = 0;
		r->attempts--;
		return true;
	}
	if (code == CURLE_OK && r->status < 400 && c->parallel_now < c->opts.max_parallel)
		c->parallel_now++;
	if (r->attempts > (unsigned int)c->opts.max_retries)
		return false;
	if (code == CURLE_OK && r->status == 429 && c->parallel_now > 1)
		c->parallel_now /= 2; /* the server is overloaded: send less at once */
	if ((code == CURLE_OK && retryable_status(r->status)) || retryable_curl((int)code)) {
		c->stats.retries++;
		r->not_before = k8smig__now() + backoff(r);
		return true;
	}
	return false;
}

int k8smig__http_run(k8smig_client *c, k8smig__http **reqs, size_t n)
{
	size_t running = 0, done = 0, i;
	int rc = 0;

	for (i = 0; i < n; i++) {
		reqs[i]->attempts = 0;
		reqs[i]->state = K8SMIG__HTTP_PENDING;
		reqs[i]->reauthed = false;
		reqs[i]->not_before = 0;
	}
	while (done < n) {
		CURLMsg *msg;
		int still, left;
		double now = k8smig__now(), wake = now + 1;

		/* start pending requests (new ones and retries whose backoff passed) */
		if (!c->parallel_now || c->parallel_now > c->opts.max_parallel)
			c->parallel_now = c->opts.max_parallel;
		for (i = 0; i < n && running < c->parallel_now; i++) {
			k8smig__http *r = reqs[i];
			if (r->state != K8SMIG__HTTP_PENDING)
				continue;
			if (r->not_before > now) {
				if (r->not_before < wake)
					wake = r->not_before;
				continue;
			}
			if ((rc = start(c, r)) < 0)
				goto out;
			r->state = K8SMIG__HTTP_RUNNING;
			running++;
		}
		curl_multi_perform(c->multi, &still);
		while ((msg = curl_multi_info_read(c->multi, &left))) {
			k8smig__http *r;
			if (msg->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&r);
			curl_multi_remove_handle(c->multi, msg->easy_handle);
			running--;
			if (should_retry(c, r, msg->data.result)) {
				r->state = K8SMIG__HTTP_PENDING;
			} else {
				r->state = K8SMIG__HTTP_DONE;
				done++;
			}
		}
		if (done < n) {
			long ms;
			bool startable = false;
			/* a request that can start now must not wait for the next wake-up */
			now = k8smig__now();
			for (i = 0; i < n && running < c->parallel_now && !startable; i++)
				startable = reqs[i]->state == K8SMIG__HTTP_PENDING && reqs[i]->not_before <= now;
			if (startable)
				continue;
			ms = (long)((wake - now) * 1000);
			if (ms < 1)
				ms = 1;
			if (running)
				curl_multi_poll(c->multi, NULL, 0, ms > 1000 ? 1000 : (int)ms, NULL);
			else {
				struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
				nanosleep(&ts, NULL);
			}
		}
	}
out:
	if (rc < 0)
		for (i = 0; i < n; i++)
			if (reqs[i]->state == K8SMIG__HTTP_RUNNING)
				curl_multi_remove_handle(c->multi, reqs[i]->easy);
	return rc;
}

int k8smig__http_do(k8smig_client *c, k8smig__http *r)
{
	k8smig__http *one[1] = { r };
	return k8smig__http_run(c, one, 1);
}

static int transport_error(const k8smig__http *r, const char *what)
{
	int code = r->curl_code == CURLE_OPERATION_TIMEDOUT ? K8SMIG_ETIMEOUT : K8SMIG_ETRANSPORT;
	const char *detail = r->curl_error[0] ? r->curl_error : curl_easy_strerror((CURLcode)r->curl_code);
	if (r->curl_code == CURLE_PEER_FAILED_VERIFICATION || r->curl_code == CURLE_SSL_CACERT_BADFILE ||
	    r->curl_code == CURLE_SSL_CONNECT_ERROR)
		return k8smig__error_set(code, "", "%s: TLS failure talking to the API server: %s", what, detail);
	return k8smig__error_set(code, "", "%s: %s", what, detail);
}

static int code_for(const char *reason, long status)
{
	if (reason) {
		if (strcmp(reason, "NotFound") == 0)
			return K8SMIG_ENOTFOUND;
		if (strcmp(reason, "AlreadyExists") == 0)
			return K8SMIG_EEXISTS;
		if (strcmp(reason, "Conflict") == 0)
			return K8SMIG_ECONFLICT;
		if (strcmp(reason, "Invalid") == 0 || strcmp(reason, "BadRequest") == 0)
			return K8SMIG_EINVAL;
		if (strcmp(reason, "Unauthorized") == 0 || strcmp(reason, "Forbidden") == 0)
			return K8SMIG_EAUTH;
		if (strcmp(reason, "Timeout") == 0)
			return K8SMIG_ETIMEOUT;
	}
	switch (status) {
	case 401: case 403: return K8SMIG_EAUTH;
	case 404: return K8SMIG_ENOTFOUND;
	case 409: return K8SMIG_ECONFLICT;
	case 422: return K8SMIG_EINVAL;
	case 504: return K8SMIG_ETIMEOUT;
	default: return K8SMIG_EAPI;
	}
}

int k8smig__http_error(const k8smig__http *r, const char *what)
{
	k8smig_object_list *l = NULL;
	const k8smig_object *st = NULL;
	const char *reason = NULL, *message = NULL, *path = "";
	int code;

	if (r->curl_code)
		return transport_error(r, what);
	if (r->resp.len && k8smig__parse_json_text(&l, r->resp.data, r->resp.len) == 0 &&
	    k8smig_object_list_size(l) == 1) {
		st = k8smig_object_list_get(l, 0);
		if (!k8smig_object_kind(st) || strcmp(k8smig_object_kind(st), "Status") != 0)
			st = NULL;
	}
	if (st) {
		reason = k8smig_object_get_str(st, "reason");
		message = k8smig_object_get_str(st, "message");
		if (k8smig_object_get_str(st, "details.causes[0].field"))
			path = k8smig_object_get_str(st, "details.causes[0].field");
	}
	code = code_for(reason, r->status);
	k8smig__error_set(code, path, "%s: %s", what, message ? message : "the API server answered with an error");
	k8smig__error_set_http((int)r->status, reason ? reason : "");
	k8smig_object_list_free(l);
	return code;
}

int k8smig__http_object(k8smig_object **out, const k8smig__http *r)
{
	k8smig_object_list *l = NULL;
	int rc;
	*out = NULL;
	rc = k8smig__parse_json_text(&l, r->resp.data ? r->resp.data : "", r->resp.len);
	if (rc == 0 && k8smig_object_list_size(l) != 1)
		rc = k8smig__error_set(K8SMIG_EAPI, "", "unexpected response from the API server");
	if (rc == 0) {
		/* take the object out of the list */
		rc = k8smig_object_dup(out, k8smig_object_list_get(l, 0));
	}
	k8smig_object_list_free(l);
	return rc;
}
