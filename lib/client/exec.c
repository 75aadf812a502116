/*
 * lib/client/exec.c - exec credential plugins (client.authentication.k8s.io
 * v1 and v1beta1), as `aws eks get-token` is used from an EKS kubeconfig.
 *
 * The plugin runs through execvp with an argv (never a shell), with the
 * kubeconfig's env added and KUBERNETES_EXEC_INFO set, in its own process
 * group; its standard output (at most 4 MiB) is an ExecCredential, and the
 * whole run is bounded (60 s: killed with everything it started). Its standard error is not shown (it may
 * hold anything); the first line goes into the error on failure.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "client.h"
#include "../serialize/parse.h"

extern char **environ;

/* KUBERNETES_EXEC_INFO: the ExecCredential request, with the cluster when asked for. */
static char *exec_info(const k8smig__exec *e, const k8smig_client *c)
{
	k8smig_object *o;
	char *json = NULL;
	k8smig_emit_options eo = { K8SMIG_EMIT_OPTIONS_VERSION, K8SMIG_FORMAT_JSON, K8SMIG_EMIT_COMPACT };

	if (k8smig_object_new(&o, e->api_version, "ExecCredential") < 0)
		return NULL;
	k8smig_object_set_bool(o, "spec.interactive", false);
	if (e->provide_cluster_info) {
		k8smig_object_set_str(o, "spec.cluster.server", c->server);
		k8smig_object_set_bool(o, "spec.cluster.insecure-skip-tls-verify", c->insecure);
		if (c->ca_pem) {
			/* certificate-authority-data is base64 of the PEM; the plugin gets it as kubectl sends it */
			char *b = malloc(K8SMIG__BASE64_LEN(c->ca_len) + 1);
			if (b) {
				k8smig__base64_encode(b, c->ca_pem, c->ca_len);
				k8smig_object_set_str(o, "spec.cluster.certificate-authority-data", b);
				free(b);
			}
		}
	}
	if (k8smig_object_emit(&json, NULL, o, &eo) < 0)
		json = NULL;
	k8smig_object_free(o);
	if (json) {
		size_t n = strlen(json);
		if (n && json[n - 1] == '\n')
			json[n - 1] = '\0';
	}
	return json;
}

/* RFC 3339 "2026-11-28T06:30:00Z" (fraction and offset allowed) to unix time. */
static long long parse_time(const char *s)
{
	struct tm tm;
	int y, mo, d, h, mi, sec, oh = 0, om = 0;
	char sign = 'Z';
	const char *p;
	long long t;

	if (!s || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &sec) != 6)
		return -1;
	p = s + 19;
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++)
			;
	if (*p == '+' || *p == '-') {
		sign = *p;
		if (sscanf(p + 1, "%2d:%2d", &oh, &om) != 2)
			return -1;
	} else if (*p != 'Z' && *p != 'z') {
		return -1;
	}
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	t = (long long)timegm(&tm);
	if (sign == '+')
		t -= oh * 3600 + om * 60;
	else if (sign == '-')
		t += oh * 3600 + om * 60;
	return t;
}

static char **child_env(const k8smig__exec *e, const char *info)
{
	size_t n = 0, m = 0, i, k;
	char **env;
	while (environ[n])
		n++;
	while (e->env[m])
		m++;
	if (!(env = calloc(n + m + 2, sizeof(char *))))
		return NULL;
	k = 0;
	for (i = 0; i < n; i++) {
		/* entries the kubeconfig sets replace inherited ones */
		size_t j;
		bool replaced = strncmp(environ[i], "KUBERNETES_EXEC_INFO=", 21) == 0;
		for (j = 0; j < m && !replaced; j++) {
			size_t nl = strcspn(e->env[j], "=");
			replaced = strncmp(environ[i], e->env[j], nl + 1) == 0;
		}
		if (!replaced)
			env[k++] = environ[i];
	}
	for (i = 0; i < m; i++)
		env[k++] = e->env[i];
	env[k++] = (char *)info;
	return env;
}

static void kill_plugin(pid_t pid)
{
	/* the plugin runs in its own process group: whatever it started goes too */
	kill(-pid, SIGKILL);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* Run the plugin; collect stdout (at most K8SMIG__EXEC_MAX_OUTPUT) and the
 * first line of stderr. Every wait is bounded by the plugin's timeout: a
 * plugin that hangs, closes its output and keeps running, or leaves a child
 * holding the pipes, is killed (its whole process group) when it runs out. */
static int run_plugin(k8smig__buf *out, char *err_line, size_t err_cap, int *status, const k8smig__exec *e, char **env)
{
	int po[2] = { -1, -1 }, pe[2] = { -1, -1 }, rc = 0;
	pid_t pid;
	k8smig__buf err = K8SMIG__BUF_INIT;
	long timeout_ms = e->timeout_ms > 0 ? e->timeout_ms : K8SMIG__EXEC_TIMEOUT_MS;
	double deadline = k8smig__now() + (double)timeout_ms / 1000.0;
	bool open_o = true, open_e = true;

	if (pipe2(po, O_CLOEXEC) < 0 || pipe2(pe, O_CLOEXEC) < 0) {
		rc = k8smig__error_set(K8SMIG_EAUTH, "", "exec plugin: cannot create pipes: %s", strerror(errno));
		goto out;
	}
	pid = fork();
	if (pid < 0) {
		rc = k8smig__error_set(K8SMIG_EAUTH, "", "exec plugin: cannot fork: %s", strerror(errno));
		goto out;
	}
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDONLY);
		setpgid(0, 0);
		if (devnull >= 0)
			dup2(devnull, 0);
		dup2(po[1], 1);
		dup2(pe[1], 2);
		if (strchr(e->command, '/') && e->command[0] != '/' && chdir(e->dir) != 0)
			_exit(126);
		execvpe(e->command, e->args, env);
		dprintf(2, "cannot run %s: %s\n", e->command, strerror(errno));
		_exit(127);
	}
	setpgid(pid, pid); /* also from here: no window where a kill(-pid) misses */
	close(po[1]);
	close(pe[1]);
	po[1] = pe[1] = -1;
	while (open_o || open_e) {
		struct pollfd fds[2] = { { po[0], POLLIN, 0 }, { pe[0], POLLIN, 0 } };
		char buf[65536];
		long left = (long)((deadline - k8smig__now()) * 1000);
		int pr = left > 0 ? poll(fds, 2, left > 1000 ? 1000 : (int)left) : 0;
		if (pr < 0 && errno == EINTR)
			continue;
		if (left <= 0) {
			kill_plugin(pid);
			rc = k8smig__error_set(K8SMIG_ETIMEOUT, "", "exec plugin %s did not finish within %ld ms", e->command, timeout_ms);
			goto out;
		}
		for (int k = 0; k < 2; k++) {
			ssize_t n;
			if (fds[k].fd < 0 || !(fds[k].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			n = read(fds[k].fd, buf, sizeof(buf));
			if (n < 0 && (errno == EINTR || errno == EAGAIN))
				continue;
			if (n <= 0) {
				if (k == 0) {
					open_o = false;
					close(po[0]);
					po[0] = -1;
				} else {
					open_e = false;
					close(pe[0]);
					pe[0] = -1;
				}
				continue;
			}
			if (k == 0 && out->len + (size_t)n > K8SMIG__EXEC_MAX_OUTPUT) {
				kill_plugin(pid);
				rc = k8smig__error_set(K8SMIG_EAUTH, "", "exec plugin %s printed more than %u MiB: not an ExecCredential",
				                       e->command, K8SMIG__EXEC_MAX_OUTPUT >> 20);
				goto out;
			}
			if (k == 0 ? k8smig__buf_put(out, buf, (size_t)n) < 0
			           : (err.len < 4096 && k8smig__buf_put(&err, buf, (size_t)n) < 0)) {
				kill_plugin(pid);
				rc = k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
				goto out;
			}
		}
	}
	/* both pipes closed: the plugin may still be running (it closed them itself) */
	for (;;) {
		pid_t w = waitpid(pid, status, WNOHANG);
		struct timespec ts = { 0, 5 * 1000000L };
		if (w == pid)
			break;
		if (w < 0 && errno != EINTR) {
			rc = k8smig__error_set(K8SMIG_EAUTH, "", "exec plugin %s: cannot wait for it: %s", e->command, strerror(errno));
			goto out;
		}
		if (k8smig__now() >= deadline) {
			kill_plugin(pid);
			rc = k8smig__error_set(K8SMIG_ETIMEOUT, "", "exec plugin %s did not finish within %ld ms", e->command, timeout_ms);
			goto out;
		}
		nanosleep(&ts, NULL);
	}
	{
		size_t n = err.len ? strcspn(err.data, "\n") : 0;
		if (n > err.len)
			n = err.len;
		if (n >= err_cap)
			n = err_cap - 1;
		if (n)
			memcpy(err_line, err.data, n);
		err_line[n] = '\0';
	}
out:
	for (int k = 0; k < 2; k++) {
		if (po[k] >= 0)
			close(po[k]);
		if (pe[k] >= 0)
			close(pe[k]);
	}
	k8smig__buf_free(&err);
	return rc;
}

/* Read a plugin's standard output as an ExecCredential into cr (token or
 * client certificate, expiry). cr is changed only on success. */
int k8smig__exec_parse(k8smig__credentials *cr, const char *data, size_t len, const char *command)
{
	k8smig_object_list *l = NULL;
	const k8smig_object *ec;
	const char *token, *cert, *key, *exp;
	char *tp = NULL, *cp = NULL, *kp = NULL;
	long long expires = 0;
	int rc;

	if (k8smig__parse_json_text(&l, data, len) < 0 || k8smig_object_list_size(l) != 1) {
		rc = k8smig__error_set(K8SMIG_EAUTH, "", "exec plugin %s did not print an ExecCredential", command);
		goto out;
	}
	ec = k8smig_object_list_get(l, 0);
	if (!k8smig_object_kind(ec) || strcmp(k8smig_object_kind(ec), "ExecCredential") != 0) {
		rc = k8smig__error_set(K8SMIG_EAUTH, "", "exec plugin %s printed a %s, not an ExecCredential", command,
		                       k8smig_object_kind(ec) ? k8smig_object_kind(ec) : "document");
		goto out;
	}
	token = k8smig_object_get_str(ec, "status.token");
	cert = k8smig_object_get_str(ec, "status.clientCertificateData");
	key = k8smig_object_get_str(ec, "status.clientKeyData");
	exp = k8smig_object_get_str(ec, "status.expirationTimestamp");
	if (!(token && *token) && !(cert && key)) {
		rc = k8smig__error_set(K8SMIG_EAUTH, "status", "exec plugin %s gave neither a token nor a client certificate", command);
		goto out;
	}
	if (exp && *exp && (expires = parse_time(exp)) < 0) {
		rc = k8smig__error_set(K8SMIG_EAUTH, "status.expirationTimestamp", "exec plugin %s: unreadable expirationTimestamp", command);
		goto out;
	}
	if ((token && *token && !(tp = k8smig__strdup(token))) ||
	    (cert && key && (!(cp = k8smig__strdup(cert)) || !(kp = k8smig__strdup(key))))) {
		rc = k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
		goto out;
	}
	if (cr->token)
		memset(cr->token, 0, strlen(cr->token));
	free(cr->token);
	cr->token = tp;
	tp = NULL;
	if (cp) {
		free(cr->cert_pem);
		if (cr->key_pem)
			memset(cr->key_pem, 0, cr->key_len);
		free(cr->key_pem);
		cr->cert_pem = cp;
		cr->cert_len = strlen(cp);
		cr->key_pem = kp;
		cr->key_len = strlen(kp);
		cp = kp = NULL;
	}
	cr->expires_at = expires;
	rc = 0;
out:
	if (tp)
		memset(tp, 0, strlen(tp));
	if (kp)
		memset(kp, 0, strlen(kp));
	free(tp);
	free(cp);
	free(kp);
	k8smig_object_list_free(l);
	return rc;
}

int k8smig__exec_credentials(k8smig__credentials *cr, const k8smig_client *c)
{
	const k8smig__exec *e = cr->exec;
	k8smig__buf out = K8SMIG__BUF_INIT;
	char err_line[256] = "", *info = NULL, **env = NULL;
	int status = 0, rc;

	if (!(info = exec_info(e, c))) {
		rc = k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
		goto out;
	}
	{
		/* "KUBERNETES_EXEC_INFO=" + json */
		size_t n = strlen(info) + 22;
		char *kv = malloc(n);
		if (!kv) {
			rc = k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
			goto out;
		}
		snprintf(kv, n, "KUBERNETES_EXEC_INFO=%s", info);
		free(info);
		info = kv;
	}
	if (!(env = child_env(e, info))) {
		rc = k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
		goto out;
	}
	((k8smig_client *)c)->stats.exec_runs++;
	if ((rc = run_plugin(&out, err_line, sizeof(err_line), &status, e, env)) < 0)
		goto out;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		rc = k8smig__error_set(K8SMIG_EAUTH, "", "exec plugin %s failed (exit %d)%s%s", e->command,
		                       WIFEXITED(status) ? WEXITSTATUS(status) : -1, err_line[0] ? ": " : "", err_line);
		goto out;
	}
	rc = k8smig__exec_parse(cr, out.data ? out.data : "", out.len, e->command);
out:
	if (out.data)
		memset(out.data, 0, out.len); /* the token was in there */
	k8smig__buf_free(&out);
	free(env);
	free(info);
	return rc;
}
