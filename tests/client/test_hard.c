/*
 * tests/client/test_hard.c - issue 15: the client under faults, against the
 * real kube-apiserver harness (tests/cluster). Exec credential plugins that
 * hang, print garbage or 10 MB, or fail; a token that expires mid-apply;
 * broken connections, stalls, truncated and delayed responses through a
 * loopback TCP proxy this test controls; 5xx/429 storms and garbage bodies
 * through the transport hook (sys/transport.h).
 *
 * Every wait is asserted bounded, every failure asserted clear, and no secret
 * (a planted marker token, the harness's admin token) may appear in any
 * message; main() runs the tests in a child and greps all of its output.
 * Needs K8SMIG_TEST_KUBECONFIG; without it the suite reports SKIP.
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include <k8smig/sys/transport.h>

/* Planted in every credential a failing plugin prints: must never come back out. */
#define MARKER "K8SMIG-SECRET-MARKER-7f3a9c"

static char tmpdir[] = "/tmp/k8smig-hard-XXXXXX";
static char *admin_tok;

/* No secret in s (a message, a warning, a result). */
static void assert_no_secret(const char *s)
{
	if (!s)
		return;
	if (strstr(s, MARKER))
		fail_msg("the planted secret leaked into a message");
	if (admin_tok && strstr(s, admin_tok))
		fail_msg("the admin token leaked into a message");
}

static void assert_results_clean(const k8smig_apply_results *res)
{
	for (size_t i = 0; res && i < k8smig_apply_results_size(res); i++)
		assert_no_secret(k8smig_apply_results_get(res, i)->error_message);
}

/* ---- exec credential plugins ------------------------------------------------------- */

static k8smig_client *plugin_client(const char *name, const char *script, long timeout_ms)
{
	char plugin[256], path[256], user[512];
	k8smig_client *c;
	snprintf(plugin, sizeof(plugin), "%s/%s.sh", tmpdir, name);
	write_file(plugin, script, 0700);
	snprintf(user, sizeof(user), "    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: %s\n", plugin);
	snprintf(path, sizeof(path), "%s/%s.kubeconfig", tmpdir, name);
	write_kubeconfig(path, NULL, NULL, user);
	c = client_for(path, NULL);
	assert_non_null(c->cred.exec);
	c->cred.exec->timeout_ms = timeout_ms;
	return c;
}

static bool pid_alive(const char *pidfile)
{
	FILE *f = fopen(pidfile, "r");
	long pid = 0;
	if (!f)
		fail_msg("no pid file %s", pidfile);
	if (fscanf(f, "%ld", &pid) != 1)
		pid = 0;
	fclose(f);
	assert_true(pid > 1);
	/* killed: gone, or a zombie not yet reaped by whoever inherited it (state Z);
	 * a SIGKILL takes a moment to land */
	for (int i = 0; i < 100; i++) {
		char path[64], stat[256] = "";
		FILE *s;
		snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
		if (!(s = fopen(path, "r")))
			return false;
		if (!fgets(stat, sizeof(stat), s))
			stat[0] = '\0';
		fclose(s);
		if (strstr(stat, ") Z ") || strstr(stat, ") X "))
			return false;
		struct timespec ts = { 0, 20 * 1000000L };
		nanosleep(&ts, NULL);
	}
	return true;
}

/* Fails with `want`, within `max_s` seconds, and no secret in the message. */
static void expect_get_fails(k8smig_client *c, int want, double max_s, const char *needle)
{
	k8smig_object *live = NULL;
	double t0 = k8smig__now(), dt;
	int rc = k8smig_client_get(&live, c, "v1", "Namespace", NULL, "default");
	dt = k8smig__now() - t0;
	if (rc != want)
		fail_msg("want %d, got %d: %s", want, rc, k8smig_error_last()->message);
	assert_null(live);
	if (dt > max_s)
		fail_msg("took %.2f s (bound %.2f s)", dt, max_s);
	if (needle && !strstr(k8smig_error_last()->message, needle))
		fail_msg("message lacks \"%s\": %s", needle, k8smig_error_last()->message);
	assert_no_secret(k8smig_error_last()->message);
	assert_no_secret(k8smig_client_warnings(c));
}

static void test_exec_plugin_that_hangs_is_killed(void **state)
{
	char script[512], pidfile[256];
	k8smig_client *c;
	(void)state;
	snprintf(pidfile, sizeof(pidfile), "%s/hang.pid", tmpdir);
	snprintf(script, sizeof(script), "#!/bin/sh\necho $$ > %s\nexec sleep 600\n", pidfile);
	c = plugin_client("hang", script, 1500);
	expect_get_fails(c, K8SMIG_ETIMEOUT, 4.0, "did not finish within 1500 ms");
	assert_false(pid_alive(pidfile));
	k8smig_client_free(c);
}

/* Closes its output and keeps running: the wait for its exit is bounded too. */
static void test_exec_plugin_that_closes_output_and_lingers(void **state)
{
	char script[512], pidfile[256];
	k8smig_client *c;
	(void)state;
	snprintf(pidfile, sizeof(pidfile), "%s/linger.pid", tmpdir);
	snprintf(script, sizeof(script),
	         "#!/bin/sh\necho $$ > %s\n"
	         "echo '{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\",\"status\":{\"token\":\"" MARKER "\"}}'\n"
	         "exec >&- 2>&-\nexec sleep 600\n", pidfile);
	c = plugin_client("linger", script, 1500);
	expect_get_fails(c, K8SMIG_ETIMEOUT, 4.0, "did not finish");
	assert_false(pid_alive(pidfile));
	k8smig_client_free(c);
}

/* Exits, leaving a child that holds the pipes: the child dies with it (process group). */
static void test_exec_plugin_grandchild_holding_pipes_is_killed(void **state)
{
	char script[512], pidfile[256];
	k8smig_client *c;
	(void)state;
	snprintf(pidfile, sizeof(pidfile), "%s/grandchild.pid", tmpdir);
	snprintf(script, sizeof(script), "#!/bin/sh\nsleep 600 &\necho $! > %s\nexit 0\n", pidfile);
	c = plugin_client("grandchild", script, 1500);
	expect_get_fails(c, K8SMIG_ETIMEOUT, 4.0, "did not finish");
	assert_false(pid_alive(pidfile));
	k8smig_client_free(c);
}

static void test_exec_plugin_prints_garbage(void **state)
{
	k8smig_client *c;
	(void)state;
	/* binary noise, a NUL, half a JSON document holding the secret */
	c = plugin_client("garbage",
	                  "#!/bin/sh\nhead -c 3000 /dev/urandom\nprintf '\\000\\377{\"kind\":\"ExecCredential\",\"status\":{\"token\":\"" MARKER "'\n",
	                  5000);
	expect_get_fails(c, K8SMIG_EAUTH, 3.0, "did not print an ExecCredential");
	k8smig_client_free(c);
	/* valid JSON of the wrong kind */
	c = plugin_client("wrongkind", "#!/bin/sh\necho '{\"kind\":\"Secret\",\"data\":{\"token\":\"" MARKER "\"}}'\n", 5000);
	expect_get_fails(c, K8SMIG_EAUTH, 3.0, "printed a Secret, not an ExecCredential");
	k8smig_client_free(c);
	/* two documents */
	c = plugin_client("twodocs",
	                  "#!/bin/sh\necho '{\"kind\":\"ExecCredential\",\"status\":{\"token\":\"" MARKER "\"}}'\n"
	                  "echo '{\"kind\":\"ExecCredential\",\"status\":{\"token\":\"" MARKER "\"}}'\n", 5000);
	expect_get_fails(c, K8SMIG_EAUTH, 3.0, "did not print an ExecCredential");
	k8smig_client_free(c);
}

static void test_exec_plugin_prints_10_mb(void **state)
{
	k8smig_client *c;
	(void)state;
	/* a credential document 10 MB long, the secret in it: refused at 4 MiB, in bounded time */
	c = plugin_client("huge",
	                  "#!/bin/sh\nprintf '{\"kind\":\"ExecCredential\",\"status\":{\"token\":\"" MARKER "\"},\"pad\":\"'\n"
	                  "head -c 10000000 /dev/zero | tr '\\0' x\nprintf '\"}'\n", 20000);
	expect_get_fails(c, K8SMIG_EAUTH, 5.0, "printed more than 4 MiB");
	k8smig_client_free(c);
	/* and endless output is cut the same way */
	c = plugin_client("endless", "#!/bin/sh\nexec yes " MARKER "\n", 20000);
	expect_get_fails(c, K8SMIG_EAUTH, 5.0, "printed more than 4 MiB");
	k8smig_client_free(c);
}

/* Exits non-zero after printing a valid credential: refused, and neither the
 * credential nor its stdout appear; its stderr's first line does. */
static void test_exec_plugin_exits_nonzero(void **state)
{
	k8smig_client *c;
	(void)state;
	c = plugin_client("nonzero",
	                  "#!/bin/sh\necho '{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\",\"status\":{\"token\":\"" MARKER "\"}}'\n"
	                  "echo 'ExpiredToken: the SSO session has expired' >&2\nexit 3\n", 5000);
	expect_get_fails(c, K8SMIG_EAUTH, 3.0, "failed (exit 3): ExpiredToken: the SSO session has expired");
	k8smig_client_free(c);
	/* killed by a signal */
	c = plugin_client("signalled", "#!/bin/sh\nkill -9 $$\n", 5000);
	expect_get_fails(c, K8SMIG_EAUTH, 3.0, "failed");
	k8smig_client_free(c);
	/* not there at all */
	{
		char path[256];
		snprintf(path, sizeof(path), "%s/missing.kubeconfig", tmpdir);
		write_kubeconfig(path, NULL, NULL, "    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: /nonexistent/aws\n");
		c = client_for(path, NULL);
		expect_get_fails(c, K8SMIG_EAUTH, 3.0, "cannot run /nonexistent/aws");
		k8smig_client_free(c);
	}
}

/* A token that expires mid-apply. The plugin hands out the admin token (the
 * secret here); after 20 PATCHes with the first token the hook answers 401
 * Unauthorized, as a server does once a token expired (the PATCH it turns
 * into a 401 had been applied: the retry applies it again, unchanged). The
 * client re-runs the plugin and the apply completes; when the second run
 * fails, the rest fails with a clear error; no token anywhere. */
typedef struct expiry {
	k8smig_client *c;
	int patches;
	int expired;
} expiry;

static void expire_after_20(k8smig_transport_exchange *x, void *payload)
{
	expiry *e = payload;
	if (strcmp(x->method, "PATCH") != 0 || e->c->stats.exec_runs != 1)
		return;
	if (++e->patches > 20) {
		e->expired++;
		x->status = 401;
		x->new_body = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"Unauthorized\",\"reason\":\"Unauthorized\",\"code\":401}";
		x->new_body_len = strlen(x->new_body);
	}
}

static k8smig_object_list *configmaps(const char *nsname, int n)
{
	k8smig__buf b = K8SMIG__BUF_INIT;
	k8smig_object_list *l;
	k8smig__buf_printf(&b, "apiVersion: v1\nkind: Namespace\nmetadata: {name: %s}\n", nsname);
	for (int i = 0; i < n; i++)
		k8smig__buf_printf(&b, "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm-%03d, namespace: %s}\ndata: {i: \"%d\"}\n",
		                   i, nsname, i);
	b.data[b.len] = '\0';
	l = parse_set(b.data);
	k8smig__buf_free(&b);
	return l;
}

/* Every ConfigMap of the set is on the server, with its data and never rewritten. */
static void assert_configmaps(k8smig_client *c, const char *nsname, int n)
{
	for (int i = 0; i < n; i++) {
		char name[32], want[16];
		k8smig_object *live = NULL;
		snprintf(name, sizeof(name), "cm-%03d", i);
		snprintf(want, sizeof(want), "%d", i);
		if (k8smig_client_get(&live, c, "v1", "ConfigMap", nsname, name) < 0)
			fail_msg("%s/%s: %s", nsname, name, k8smig_error_last()->message);
		assert_string_equal(k8smig_object_get_str(live, "data.i"), want);
		k8smig_object_free(live);
	}
}

static void test_exec_token_expires_mid_apply(void **state)
{
	char script[1024], nsname[96], countfile[256];
	k8smig_client *c;
	k8smig_object_list *set;
	k8smig_apply_results *res = NULL;
	expiry e = { NULL, 0, 0 };
	(void)state;
	snprintf(countfile, sizeof(countfile), "%s/expiry.count", tmpdir);
	/* runs 1 and 2 give the token; run 3 (only in the second half) fails */
	snprintf(script, sizeof(script),
	         "#!/bin/sh\nn=$(cat %s 2>/dev/null || echo 0); n=$((n+1)); echo $n > %s\n"
	         "[ $n -le 2 ] || { echo 'token service unavailable' >&2; exit 1; }\n"
	         "printf '{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\","
	         "\"status\":{\"token\":\"%%s\",\"expirationTimestamp\":\"2099-01-01T00:00:00Z\"}}' %s\n",
	         countfile, countfile, admin_tok);
	c = plugin_client("expiry", script, 5000);
	e.c = c;
	c->opts.max_parallel = 4;
	assert_ok(k8smig_client_set_transport_hook(c, expire_after_20, &e));
	snprintf(nsname, sizeof(nsname), "%s-expiry", ns);
	set = configmaps(nsname, 80);
	if (k8smig_client_apply_set(&res, c, set, NULL) < 0 || k8smig_apply_results_failed(res))
		fail_msg("apply across the expiry: %s", k8smig_error_last()->message);
	assert_results_clean(res);
	assert_true(e.expired >= 1);
	assert_int_equal(c->stats.exec_runs, 2);
	assert_true(c->stats.reauths >= 1);
	k8smig_apply_results_free(res);
	res = NULL;
	assert_ok(k8smig_client_set_transport_hook(c, NULL, NULL));
	assert_configmaps(c, nsname, 80);

	/* now the token expires again and the plugin cannot renew it */
	c->cred.expires_at = 1;
	{
		double t0 = k8smig__now();
		int rc = k8smig_client_apply_set(&res, c, set, NULL);
		assert_true(k8smig__now() - t0 < 10);
		assert_true(rc < 0 || k8smig_apply_results_failed(res) > 0);
		if (rc < 0) {
			assert_int_equal(k8smig_error_last()->code, K8SMIG_EAUTH);
			assert_non_null(strstr(k8smig_error_last()->message, "token service unavailable"));
			assert_no_secret(k8smig_error_last()->message);
		}
		assert_results_clean(res);
	}
	k8smig_apply_results_free(res);
	k8smig_object_list_free(set);
	k8smig_client_free(c);
}

/* ---- faults on the wire: a loopback TCP proxy ---------------------------------------- */

enum proxy_mode {
	PROXY_PASS,       /* forward everything */
	PROXY_RESET,      /* after `cut` bytes from the server, RST both sides */
	PROXY_STALL,      /* after `cut` bytes from the server, forward nothing for `stall_ms`, then go on */
	PROXY_DELAY,      /* hold the server's first bytes for `stall_ms` */
	PROXY_CLOSE,      /* after `cut` bytes from the server, close both sides cleanly */
};

typedef struct proxy {
	int listen_fd;
	int port, upstream_port;
	pthread_t thread;
	volatile int stop;
	pthread_mutex_t mu;
	enum proxy_mode mode;
	size_t cut;
	long stall_ms;
	int faulty_conns;  /* how many connections (from now) get the fault; -1: all */
	int conns, faults; /* counters */
	int active;        /* connection threads still running */
} proxy;

typedef struct conn {
	proxy *p;
	int cfd, sfd;
	enum proxy_mode mode;
	size_t cut;
	long stall_ms;
} conn;

/* Sleep ms, cut short when the proxy stops. */
static void proxy_sleep(proxy *p, long ms)
{
	for (long t = 0; t < ms && !p->stop; t += 50) {
		struct timespec ts = { 0, 50 * 1000000L };
		nanosleep(&ts, NULL);
	}
}

static void rst_close(int fd)
{
	struct linger l = { 1, 0 };
	setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
	close(fd);
}

static void *conn_main(void *arg)
{
	conn *k = arg;
	size_t from_server = 0;
	bool delayed = false;
	char buf[16384];
	for (;;) {
		struct pollfd f[2] = { { k->cfd, POLLIN, 0 }, { k->sfd, POLLIN, 0 } };
		if (k->p->stop)
			break;
		if (poll(f, 2, 200) <= 0)
			continue;
		if (f[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			ssize_t n = read(k->cfd, buf, sizeof(buf));
			if (n <= 0 || write(k->sfd, buf, (size_t)n) != n)
				break;
		}
		if (f[1].revents & (POLLIN | POLLHUP | POLLERR)) {
			ssize_t n;
			if (k->mode == PROXY_DELAY && !delayed) {
				proxy_sleep(k->p, k->stall_ms);
				delayed = true;
			}
			n = read(k->sfd, buf, sizeof(buf));
			if (n <= 0)
				break;
			if ((k->mode == PROXY_RESET || k->mode == PROXY_STALL || k->mode == PROXY_CLOSE) && from_server + (size_t)n > k->cut) {
				size_t part = k->cut - from_server;
				if (part && write(k->cfd, buf, part) != (ssize_t)part)
					break;
				if (k->mode == PROXY_STALL) {
					/* hold the connection open and silent, then go on as if nothing happened */
					proxy_sleep(k->p, k->stall_ms);
					k->mode = PROXY_PASS;
					from_server += part;
					if (write(k->cfd, buf + part, (size_t)n - part) != n - (ssize_t)part)
						break;
					from_server += (size_t)n - part;
					continue;
				}
				if (k->mode == PROXY_RESET) {
					rst_close(k->cfd);
					rst_close(k->sfd);
					k->cfd = k->sfd = -1;
				}
				break;
			}
			from_server += (size_t)n;
			if (write(k->cfd, buf, (size_t)n) != n)
				break;
		}
	}
	if (k->cfd >= 0)
		close(k->cfd);
	if (k->sfd >= 0)
		close(k->sfd);
	pthread_mutex_lock(&k->p->mu);
	k->p->active--;
	pthread_mutex_unlock(&k->p->mu);
	free(k);
	return NULL;
}

static void *proxy_main(void *arg)
{
	proxy *p = arg;
	while (!p->stop) {
		struct pollfd f = { p->listen_fd, POLLIN, 0 };
		struct sockaddr_in a;
		conn *k;
		pthread_t t;
		int cfd;
		if (poll(&f, 1, 100) <= 0)
			continue;
		if ((cfd = accept(p->listen_fd, NULL, NULL)) < 0)
			continue;
		k = calloc(1, sizeof(*k));
		k->p = p;
		k->cfd = cfd;
		k->sfd = socket(AF_INET, SOCK_STREAM, 0);
		memset(&a, 0, sizeof(a));
		a.sin_family = AF_INET;
		a.sin_port = htons((uint16_t)p->upstream_port);
		a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		if (connect(k->sfd, (struct sockaddr *)&a, sizeof(a)) < 0) {
			close(cfd);
			close(k->sfd);
			free(k);
			continue;
		}
		pthread_mutex_lock(&p->mu);
		p->conns++;
		p->active++;
		k->mode = PROXY_PASS;
		if (p->faulty_conns != 0) {
			k->mode = p->mode;
			k->cut = p->cut;
			k->stall_ms = p->stall_ms;
			p->faults++;
			if (p->faulty_conns > 0)
				p->faulty_conns--;
		}
		pthread_mutex_unlock(&p->mu);
		pthread_create(&t, NULL, conn_main, k);
		pthread_detach(t);
	}
	return NULL;
}

static proxy *proxy_start(void)
{
	proxy *p = calloc(1, sizeof(*p));
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	const char *server;
	k8smig_kubeconfig *kc;
	assert_ok(k8smig_kubeconfig_load(&kc, kubeconfig_path));
	server = k8smig_object_get_str(kc->clusters.items[0].o, "v.server");
	p->upstream_port = atoi(strrchr(server, ':') + 1);
	k8smig_kubeconfig_free(kc);
	pthread_mutex_init(&p->mu, NULL);
	p->listen_fd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(p->listen_fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(p->listen_fd, 64), 0);
	getsockname(p->listen_fd, (struct sockaddr *)&a, &len);
	p->port = ntohs(a.sin_port);
	pthread_create(&p->thread, NULL, proxy_main, p);
	return p;
}

static void proxy_fault(proxy *p, enum proxy_mode mode, size_t cut, long stall_ms, int conns)
{
	pthread_mutex_lock(&p->mu);
	p->mode = mode;
	p->cut = cut;
	p->stall_ms = stall_ms;
	p->faulty_conns = conns;
	p->faults = 0;
	pthread_mutex_unlock(&p->mu);
}

static void proxy_stop(proxy *p)
{
	p->stop = 1;
	pthread_join(p->thread, NULL);
	close(p->listen_fd);
	/* connection threads see stop within 200 ms */
	for (;;) {
		struct timespec ts = { 0, 20 * 1000000L };
		int active;
		pthread_mutex_lock(&p->mu);
		active = p->active;
		pthread_mutex_unlock(&p->mu);
		if (!active)
			break;
		nanosleep(&ts, NULL);
	}
	pthread_mutex_destroy(&p->mu);
	free(p);
}

/* A client of the harness through the proxy, as the admin token user. */
static k8smig_client *proxied_client(proxy *p, long request_timeout_ms)
{
	char server[64], path[256], user[512];
	k8smig_kubeconfig *kc;
	k8smig_client *c;
	k8smig_client_options o = K8SMIG_CLIENT_OPTIONS_INIT;
	snprintf(server, sizeof(server), "https://127.0.0.1:%d", p->port);
	snprintf(user, sizeof(user), "    token: %s\n", admin_tok);
	snprintf(path, sizeof(path), "%s/proxy.kubeconfig", tmpdir);
	write_kubeconfig(path, server, NULL, user);
	o.namespace_ = ns;
	o.request_timeout_ms = request_timeout_ms;
	o.connect_timeout_ms = 2000;
	assert_ok(k8smig_kubeconfig_load(&kc, path));
	assert_ok(k8smig_client_new(&c, kc, &o));
	k8smig_kubeconfig_free(kc);
	return c;
}

static void test_wire_faults_through_a_proxy(void **state)
{
	proxy *p = proxy_start();
	k8smig_client *c = proxied_client(p, 3000), *direct = client_for(kubeconfig_path, "token");
	k8smig_object_list *set;
	k8smig_apply_results *res = NULL;
	char nsname[96];
	double t0;
	(void)state;
	snprintf(nsname, sizeof(nsname), "%s-wire", ns);
	set = configmaps(nsname, 40);

	/* a clean pass first: the proxy itself is sound (and discovery is cached) */
	if (k8smig_client_apply_set(&res, c, set, NULL) < 0 || k8smig_apply_results_failed(res))
		fail_msg("through a clean proxy: %s", k8smig_error_last()->message);
	k8smig_apply_results_free(res);
	res = NULL;

	static const struct {
		const char *what;
		enum proxy_mode mode;
		size_t cut;
		long stall_ms;
		int conns;
	} rides[] = {
		/* each breaks the next connections, then lets them through: retried to success */
		{ "reset at once", PROXY_RESET, 0, 0, 2 },
		{ "reset mid-handshake", PROXY_RESET, 200, 0, 2 },
		{ "reset after the handshake (mid-response)", PROXY_RESET, 6000, 0, 2 },
		{ "clean close mid-response", PROXY_CLOSE, 6000, 0, 2 },
		{ "headers delayed 1 s", PROXY_DELAY, 0, 1000, 3 },
		{ "stall 1.5 s mid-body (under the request timeout)", PROXY_STALL, 6000, 1500, 1 },
	};
	for (size_t i = 0; i < sizeof(rides) / sizeof(rides[0]); i++) {
		unsigned long retries;
		int rc;
		proxy_fault(p, rides[i].mode, rides[i].cut, rides[i].stall_ms, rides[i].conns);
		/* a fresh connection for every case: the pooled one would never see the fault */
		k8smig_client_free(c);
		c = proxied_client(p, 3000);
		c->opts.max_retries = 6;
		retries = c->stats.retries;
		t0 = k8smig__now();
		rc = k8smig_client_apply_set(&res, c, set, NULL);
		fprintf(stderr, "# %s: rc %d, %zu failed, %lu retries, %d faulted connections, %.2f s\n", rides[i].what, rc,
		        res ? k8smig_apply_results_failed(res) : 0, c->stats.retries - retries, p->faults, k8smig__now() - t0);
		if (rc < 0 || k8smig_apply_results_failed(res)) {
			for (size_t j = 0; res && j < k8smig_apply_results_size(res); j++)
				if (k8smig_apply_results_get(res, j)->action == K8SMIG_APPLY_FAILED)
					fail_msg("%s: %s: %s", rides[i].what, k8smig_apply_results_get(res, j)->name,
					         k8smig_apply_results_get(res, j)->error_message);
			fail_msg("%s: %s", rides[i].what, k8smig_error_last()->message);
		}
		assert_true(p->faults >= 1);
		assert_true(k8smig__now() - t0 < 30);
		assert_results_clean(res);
		k8smig_apply_results_free(res);
		res = NULL;
	}
	assert_configmaps(direct, nsname, 40);

	/* every connection stalls: a timeout error after the request timeout, never a hang */
	proxy_fault(p, PROXY_STALL, 6000, 8000, -1);
	k8smig_client_free(c);
	c = proxied_client(p, 1500);
	c->opts.max_retries = 2;
	t0 = k8smig__now();
	{
		k8smig_object *live = NULL;
		int rc = k8smig_client_get(&live, c, "v1", "ConfigMap", nsname, "cm-001");
		double dt = k8smig__now() - t0;
		fprintf(stderr, "# every connection stalls: rc %d in %.2f s: %s\n", rc, dt, k8smig_error_last()->message);
		assert_true(rc == K8SMIG_ETIMEOUT || rc == K8SMIG_ETRANSPORT);
		assert_null(live);
		assert_true(dt < 1.5 * 3 + 3);
		assert_no_secret(k8smig_error_last()->message);
	}
	/* every connection reset: a transport error once the retries are spent */
	proxy_fault(p, PROXY_RESET, 6000, 0, -1);
	k8smig_client_free(c);
	c = proxied_client(p, 3000);
	c->opts.max_retries = 3;
	t0 = k8smig__now();
	{
		k8smig_object *live = NULL;
		int rc = k8smig_client_get(&live, c, "v1", "ConfigMap", nsname, "cm-001");
		double dt = k8smig__now() - t0;
		fprintf(stderr, "# every connection reset: rc %d in %.2f s: %s\n", rc, dt, k8smig_error_last()->message);
		assert_int_equal(rc, K8SMIG_ETRANSPORT);
		assert_null(live);
		assert_true(dt < 10);
		assert_no_secret(k8smig_error_last()->message);
	}
	k8smig_client_free(c);
	k8smig_client_free(direct);
	k8smig_object_list_free(set);
	proxy_stop(p);
}

/* ---- storms and garbage through the transport hook ------------------------------------ */

typedef struct storm {
	int mode;     /* 0: a 500/503/429/502/504 storm on every request's first 3 tries; 1: garbage bodies; 2: endless 503 */
	int left;     /* answers still to spoil (-1: all) */
	int spoiled;
	int patches_ok;
} storm;

static void storm_hook(k8smig_transport_exchange *x, void *payload)
{
	storm *s = payload;
	static const long codes[] = { 500, 503, 429, 502, 504 };
	if (strcmp(x->method, "PATCH") == 0 && x->status == 200)
		s->patches_ok++;
	if (s->left == 0 || (s->mode == 0 && x->attempt > 3))
		return;
	if (s->left > 0)
		s->left--;
	s->spoiled++;
	if (s->mode == 0 || s->mode == 2) {
		x->status = s->mode == 2 ? 503 : codes[s->spoiled % 5];
		x->new_body = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"storm\",\"reason\":\"ServiceUnavailable\"}";
		x->new_body_len = strlen(x->new_body);
	} else {
		static const char garbage[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR" MARKER "{\"kind\":";
		x->new_body = garbage;
		x->new_body_len = sizeof(garbage) - 1;
	}
}

static void test_storms_and_garbage_bodies(void **state)
{
	k8smig_client *c = client_for(kubeconfig_path, "token");
	k8smig_object_list *set;
	k8smig_apply_results *res = NULL;
	storm s = { 0, -1, 0, 0 };
	char nsname[96];
	double t0;
	(void)state;
	snprintf(nsname, sizeof(nsname), "%s-storm", ns);
	set = configmaps(nsname, 60);
	c->opts.max_parallel = 8;
	c->opts.max_retries = 8;
	assert_ok(k8smig_client_set_transport_hook(c, storm_hook, &s));
	/* three spoiled answers (500/503/429/502/504) for every request: ridden out */
	t0 = k8smig__now();
	if (k8smig_client_apply_set(&res, c, set, NULL) < 0 || k8smig_apply_results_failed(res))
		fail_msg("through a storm: %s", k8smig_error_last()->message);
	fprintf(stderr, "# storm: %d spoiled answers, %lu retries, %.2f s\n", s.spoiled, c->stats.retries, k8smig__now() - t0);
	assert_true(s.spoiled >= 3 * 61);
	assert_int_equal(c->stats.retries, (unsigned long)s.spoiled);
	k8smig_apply_results_free(res);
	res = NULL;
	assert_ok(k8smig_client_set_transport_hook(c, NULL, NULL));
	assert_configmaps(c, nsname, 60);

	/* an endless 503: every object fails with the 503 once its retries are spent, in bounded time */
	s.mode = 2;
	s.left = -1;
	c->opts.max_retries = 2;
	assert_ok(k8smig_client_set_transport_hook(c, storm_hook, &s));
	t0 = k8smig__now();
	{
		int rc = k8smig_client_apply_set(&res, c, set, NULL);
		double dt = k8smig__now() - t0;
		fprintf(stderr, "# endless 503: rc %d, %.2f s\n", rc, dt);
		assert_true(dt < 20);
		assert_true(rc < 0 || k8smig_apply_results_failed(res) > 0);
		if (rc < 0)
			assert_int_equal(k8smig_error_last()->http_status, 503);
		for (size_t i = 0; res && i < k8smig_apply_results_size(res); i++) {
			const k8smig_apply_result *r = k8smig_apply_results_get(res, i);
			assert_int_equal(r->action, K8SMIG_APPLY_FAILED);
			assert_true(r->error_message[0] != '\0');
		}
	}
	k8smig_apply_results_free(res);
	res = NULL;

	/* garbage bodies (binary, a NUL, the secret, half a document): a clear error, no crash */
	s.mode = 1;
	s.left = -1;
	{
		k8smig_object *live = NULL;
		int rc = k8smig_client_get(&live, c, "v1", "ConfigMap", nsname, "cm-001");
		assert_true(rc < 0);
		assert_null(live);
		assert_true(k8smig_error_last()->message[0] != '\0');
		assert_no_secret(k8smig_error_last()->message);
		rc = k8smig_client_apply_set(&res, c, set, NULL);
		assert_true(rc < 0 || k8smig_apply_results_failed(res) > 0);
		if (rc < 0)
			assert_no_secret(k8smig_error_last()->message);
		assert_results_clean(res);
	}
	k8smig_apply_results_free(res);
	assert_ok(k8smig_client_set_transport_hook(c, NULL, NULL));
	/* and nothing was changed by all that: every object still holds its data */
	assert_configmaps(c, nsname, 60);
	k8smig_object_list_free(set);
	k8smig_client_free(c);
}

/* Applying twice (a lost response retried) never changes the result: a
 * Deployment's generation stays 1 and its resourceVersion does not move. */
typedef struct lose {
	int lost;
} lose;

static void lose_first_patch_answers(k8smig_transport_exchange *x, void *payload)
{
	lose *l = payload;
	if (strcmp(x->method, "PATCH") == 0 && x->attempt <= 2 && x->status < 300) {
		l->lost++;
		x->connection_failed = true; /* applied on the server, the answer lost on the way */
	}
}

static void test_lost_answers_apply_once(void **state)
{
	k8smig_client *c = client_for(kubeconfig_path, "token");
	k8smig_object_list *set;
	k8smig_apply_results *res = NULL;
	k8smig_object *live = NULL;
	lose l = { 0 };
	char yaml[1024], nsname[96], *rv;
	(void)state;
	snprintf(nsname, sizeof(nsname), "%s-once", ns);
	snprintf(yaml, sizeof(yaml),
	         "apiVersion: v1\nkind: Namespace\nmetadata: {name: %s}\n---\n"
	         "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: %s}\n"
	         "spec:\n  replicas: 2\n  selector: {matchLabels: {app: web}}\n"
	         "  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: web, image: nginx:1.27}]\n",
	         nsname, nsname);
	set = parse_set(yaml);
	c->opts.max_retries = 4;
	assert_ok(k8smig_client_set_transport_hook(c, lose_first_patch_answers, &l));
	if (k8smig_client_apply_set(&res, c, set, NULL) < 0 || k8smig_apply_results_failed(res))
		fail_msg("lost answers: %s", k8smig_error_last()->message);
	assert_int_equal(l.lost, 4); /* two per object */
	k8smig_apply_results_free(res);
	assert_ok(k8smig_client_set_transport_hook(c, NULL, NULL));
	assert_ok(k8smig_client_get(&live, c, "apps/v1", "Deployment", nsname, "web"));
	assert_int_equal(k8smig_object_get_int(live, "metadata.generation"), 1);
	assert_int_equal(k8smig_object_get_int(live, "spec.replicas"), 2);
	rv = strdup(k8smig_object_get_str(live, "metadata.resourceVersion"));
	k8smig_object_free(live);
	/* a third apply of the same: unchanged, same resourceVersion */
	assert_ok(k8smig_client_apply_set(&res, c, set, NULL));
	assert_int_equal(k8smig_apply_results_failed(res), 0);
	k8smig_apply_results_free(res);
	assert_ok(k8smig_client_get(&live, c, "apps/v1", "Deployment", nsname, "web"));
	assert_int_equal(k8smig_object_get_int(live, "metadata.generation"), 1);
	k8smig_object_free(live);
	free(rv);
	k8smig_object_list_free(set);
	k8smig_client_free(c);
}

static int group_setup(void **state)
{
	(void)state;
	kubeconfig_path = getenv("K8SMIG_TEST_KUBECONFIG");
	if (!kubeconfig_path || !*kubeconfig_path)
		return -1;
	if (!mkdtemp(tmpdir))
		return -1;
	snprintf(ns, sizeof(ns), "k8smig-hard-%ld-%d", (long)time(NULL), (int)getpid());
	signal(SIGPIPE, SIG_IGN);
	k8smig_init();
	admin_tok = admin_token();
	return 0;
}

static int group_teardown(void **state)
{
	char cmd[512];
	(void)state;
	{
		/* the namespaces the tests made go, with all they hold */
		static const char *const suffix[] = { "expiry", "wire", "storm", "once" };
		k8smig_client *c = client_for(kubeconfig_path, "token");
		for (size_t i = 0; i < sizeof(suffix) / sizeof(suffix[0]); i++) {
			char name[128];
			snprintf(name, sizeof(name), "%s-%s", ns, suffix[i]);
			k8smig_client_delete(c, "v1", "Namespace", NULL, name, K8SMIG_PROPAGATION_DEFAULT);
		}
		k8smig_client_free(c);
	}
	free(admin_tok);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	if (system(cmd) != 0)
		return -1;
	k8smig_shutdown();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_exec_plugin_that_hangs_is_killed, teardown_error),
		cmocka_unit_test_teardown(test_exec_plugin_that_closes_output_and_lingers, teardown_error),
		cmocka_unit_test_teardown(test_exec_plugin_grandchild_holding_pipes_is_killed, teardown_error),
		cmocka_unit_test_teardown(test_exec_plugin_prints_garbage, teardown_error),
		cmocka_unit_test_teardown(test_exec_plugin_prints_10_mb, teardown_error),
		cmocka_unit_test_teardown(test_exec_plugin_exits_nonzero, teardown_error),
		cmocka_unit_test_teardown(test_exec_token_expires_mid_apply, teardown_error),
		cmocka_unit_test_teardown(test_wire_faults_through_a_proxy, teardown_error),
		cmocka_unit_test_teardown(test_storms_and_garbage_bodies, teardown_error),
		cmocka_unit_test_teardown(test_lost_answers_apply_once, teardown_error),
	};
	const char *kc = getenv("K8SMIG_TEST_KUBECONFIG");
	int pfd[2], status = 0;
	pid_t pid;
	k8smig__buf seen = K8SMIG__BUF_INIT;
	bool leaked;
	if (!kc || !*kc) {
		printf("1..0 # SKIP K8SMIG_TEST_KUBECONFIG is not set: start tests/cluster/start.sh first\n");
		return 0;
	}
	/* The tests run in a child whose stdout and stderr come through here: the
	 * planted secret must not appear in any of it. (A fork, not an exec: under
	 * valgrind the child is checked too.) */
	fflush(NULL);
	if (pipe(pfd) < 0 || (pid = fork()) < 0)
		return 1;
	if (pid == 0) {
		close(pfd[0]);
		dup2(pfd[1], 1);
		dup2(pfd[1], 2);
		close(pfd[1]);
		return cmocka_run_group_tests_name("hard", tests, group_setup, group_teardown);
	}
	close(pfd[1]);
	for (;;) {
		char buf[4096];
		ssize_t n = read(pfd[0], buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		fwrite(buf, 1, (size_t)n, stdout);
		fflush(stdout);
		k8smig__buf_put(&seen, buf, (size_t)n);
	}
	close(pfd[0]);
	waitpid(pid, &status, 0);
	leaked = seen.data && memmem(seen.data, seen.len, MARKER, strlen(MARKER)) != NULL;
	k8smig__buf_free(&seen);
	if (leaked) {
		printf("not ok - the planted secret appeared in the tests' output\n");
		return 1;
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
