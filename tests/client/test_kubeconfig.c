/*
 * tests/client/test_kubeconfig.c - kubeconfig loading, merging and context
 * resolution, offline (no server needed).
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../unit/helpers.h"
#include "client/client.h"

static char dir[] = "/tmp/k8smig-kc-XXXXXX";

static void put(const char *name, const char *text)
{
	char path[256];
	FILE *f;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static const char *at(const char *name)
{
	static char buf[4][256];
	static int k;
	k = (k + 1) % 4;
	snprintf(buf[k], sizeof(buf[k]), "%s/%s", dir, name);
	return buf[k];
}

/* "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n" in base64 */
#define CA_B64 "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUIKLS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo="

static int setup(void **state)
{
	(void)state;
	if (k8smig_init() < 0 || !mkdtemp(dir))
		return -1;
	put("a.yaml",
	    "apiVersion: v1\nkind: Config\n"
	    "clusters:\n- name: c1\n  cluster: {server: 'https://one.example:6443', certificate-authority: ca.pem}\n"
	    "contexts:\n- name: a\n  context: {cluster: c1, user: u1, namespace: team-a}\n"
	    "users:\n- name: u1\n  user: {tokenFile: token.txt}\n");
	put("b.yaml",
	    "apiVersion: v1\nkind: Config\ncurrent-context: b\n"
	    "clusters:\n- name: c1\n  cluster: {server: 'https://ignored.example'}\n"
	    "- name: c2\n  cluster: {server: 'https://two.example/', insecure-skip-tls-verify: true, tls-server-name: api.internal}\n"
	    "contexts:\n- name: b\n  context: {cluster: c2, user: u2}\n"
	    "- name: a\n  context: {cluster: c2, user: u2}\n"
	    "- name: nouser\n  context: {cluster: c2, user: ghost}\n"
	    "- name: plain\n  context: {cluster: plain}\n"
	    "- name: halfcert\n  context: {cluster: c1, user: halfcert}\n"
	    "- name: badexec\n  context: {cluster: c1, user: badexec}\n"
	    "users:\n- name: u2\n  user: {token: secret-token-value}\n"
	    "- name: halfcert\n  user: {client-certificate-data: " CA_B64 "}\n"
	    "- name: badexec\n  user: {exec: {apiVersion: client.authentication.k8s.io/v1alpha1, command: aws}}\n"
	    "- name: u1\n  user: {token: ignored}\n");
	put("plain.yaml",
	    "apiVersion: v1\nkind: Config\nclusters:\n- name: plain\n  cluster: {server: 'http://insecure.example'}\n");
	put("ca.pem", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
	put("token.txt", "file-token\n");
	put("broken.yaml", "clusters: [\n");
	return 0;
}

static int teardown(void **state)
{
	char cmd[300];
	(void)state;
	k8smig_shutdown();
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static k8smig_client *client(const char *kubeconfig_env, const char *context, int want_rc, const char *want_path)
{
	k8smig_kubeconfig *kc;
	k8smig_client *c = NULL;
	k8smig_client_options o = K8SMIG_CLIENT_OPTIONS_INIT;
	setenv("KUBECONFIG", kubeconfig_env, 1);
	assert_ok(k8smig_kubeconfig_load(&kc, NULL));
	o.context = context;
	if (want_rc)
		assert_fails(k8smig_client_new(&c, kc, &o), want_rc, want_path);
	else
		assert_ok(k8smig_client_new(&c, kc, &o));
	k8smig_kubeconfig_free(kc);
	return c;
}

static void test_kubeconfig_merge_first_definition_wins(void **state)
{
	char env[600];
	k8smig_client *c;
	(void)state;
	snprintf(env, sizeof(env), "%s:%s:%s", at("a.yaml"), at("missing.yaml"), at("b.yaml"));
	/* current-context comes from b (a sets none); context a and cluster c1 from a */
	c = client(env, NULL, 0, "");
	assert_string_equal(k8smig_client_server(c), "https://two.example");
	assert_string_equal(k8smig_client_namespace(c), "default");
	assert_string_equal(c->cred.token, "secret-token-value");
	assert_non_null(strstr(k8smig_client_warnings(c), "insecure-skip-tls-verify"));
	/* tls-server-name: verify against it, connect to the real host */
	assert_string_equal(c->url_base, "https://api.internal:443");
	assert_string_equal(c->connect_to, "api.internal:443:two.example:443");
	k8smig_client_free(c);
	c = client(env, "a", 0, "");
	assert_string_equal(k8smig_client_server(c), "https://one.example:6443");
	assert_string_equal(k8smig_client_namespace(c), "team-a");
	/* tokenFile read and trimmed; relative CA file read next to the kubeconfig */
	assert_string_equal(c->cred.token, "file-token");
	assert_non_null(c->ca_pem);
	assert_non_null(strstr(c->ca_pem, "BEGIN CERTIFICATE"));
	assert_string_equal(k8smig_client_warnings(c), "");
	k8smig_client_free(c);
}

static void test_kubeconfig_resolution_errors(void **state)
{
	char env[600];
	(void)state;
	snprintf(env, sizeof(env), "%s:%s", at("b.yaml"), at("plain.yaml"));
	client(env, "nosuch", K8SMIG_ENOTFOUND, "contexts");
	client(env, "nouser", K8SMIG_ENOTFOUND, "users");
	client(env, "plain", K8SMIG_EINVAL, "server");
	client(env, "halfcert", K8SMIG_EINVAL, "client-key");
	client(env, "badexec", K8SMIG_EINVAL, "exec.apiVersion");
	/* the token is not in any message */
	assert_null(strstr(k8smig_error_last()->message, "secret-token-value"));
}

static void test_kubeconfig_load_errors(void **state)
{
	k8smig_kubeconfig *kc = (k8smig_kubeconfig *)0x1;
	char env[600];
	(void)state;
	assert_fails(k8smig_kubeconfig_load(&kc, at("missing.yaml")), K8SMIG_ENOTFOUND, "");
	assert_null(kc);
	snprintf(env, sizeof(env), "%s:%s", at("missing.yaml"), at("missing2.yaml"));
	setenv("KUBECONFIG", env, 1);
	assert_fails(k8smig_kubeconfig_load(&kc, NULL), K8SMIG_ENOTFOUND, "");
	assert_int_equal(k8smig_kubeconfig_load(&kc, at("broken.yaml")), K8SMIG_EPARSE);
	assert_string_equal(k8smig_error_last()->file, at("broken.yaml"));
	assert_int_equal(k8smig_error_last()->line, 2);
	assert_ok(k8smig_kubeconfig_load(&kc, at("b.yaml")));
	assert_string_equal(k8smig_kubeconfig_current_context(kc), "b");
	k8smig_kubeconfig_free(kc);
	unsetenv("KUBECONFIG");
}

/* issue 16.4: a missing certificate file: one message with the file and the cause */
static void test_kubeconfig_missing_certificate_files(void **state)
{
	char want[400];
	(void)state;
	put("noca.yaml",
	    "apiVersion: v1\nkind: Config\ncurrent-context: t\n"
	    "clusters:\n- name: c\n  cluster: {server: 'https://one.example', certificate-authority: missing-ca.pem}\n"
	    "- name: ok\n  cluster: {server: 'https://one.example'}\n"
	    "contexts:\n- name: t\n  context: {cluster: c, user: u}\n"
	    "- name: nokey\n  context: {cluster: ok, user: nokey}\n"
	    "users:\n- name: u\n  user: {token: t}\n"
	    "- name: nokey\n  user: {client-certificate: ca.pem, client-key: missing-key.pem}\n");
	client(at("noca.yaml"), "t", K8SMIG_EINVAL, "certificate-authority");
	snprintf(want, sizeof(want), "cannot read certificate authority of 'c' (%s): cannot open: No such file or directory",
	         at("missing-ca.pem"));
	assert_string_equal(k8smig_error_last()->message, want);
	assert_string_equal(k8smig_error_last()->file, at("missing-ca.pem"));
	client(at("noca.yaml"), "nokey", K8SMIG_EINVAL, "client-key");
	snprintf(want, sizeof(want), "cannot read client key of 'nokey' (%s): cannot open: No such file or directory",
	         at("missing-key.pem"));
	assert_string_equal(k8smig_error_last()->message, want);
	unsetenv("KUBECONFIG");
}

static void test_base64_decoding(void **state)
{
	char *out;
	size_t n;
	(void)state;
	assert_ok(k8smig__base64_decode(&out, &n, "aGVs\nbG8=", 9));
	assert_int_equal(n, 5);
	assert_string_equal(out, "hello");
	free(out);
	assert_fails(k8smig__base64_decode(&out, &n, "a$b=", 4), K8SMIG_EINVAL, "");
	assert_fails(k8smig__base64_decode(&out, &n, "ab=c", 4), K8SMIG_EINVAL, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_kubeconfig_merge_first_definition_wins, teardown_error),
		cmocka_unit_test_teardown(test_kubeconfig_resolution_errors, teardown_error),
		cmocka_unit_test_teardown(test_kubeconfig_load_errors, teardown_error),
		cmocka_unit_test_teardown(test_kubeconfig_missing_certificate_files, teardown_error),
		cmocka_unit_test_teardown(test_base64_decoding, teardown_error),
	};
	return cmocka_run_group_tests_name("kubeconfig", tests, setup, teardown);
}
