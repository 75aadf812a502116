/*
 * tests/client/harness.c - see harness.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "harness.h"

const char *kubeconfig_path;
char ns[64];

k8smig_client *client_for(const char *path, const char *context)
{
	k8smig_kubeconfig *kc;
	k8smig_client *c;
	k8smig_client_options o = K8SMIG_CLIENT_OPTIONS_INIT;
	o.context = context;
	o.namespace_ = ns;
	if (k8smig_kubeconfig_load(&kc, path) < 0)
		fail_msg("kubeconfig: %s", k8smig_error_last()->message);
	if (k8smig_client_new(&c, kc, &o) < 0)
		fail_msg("client: %s", k8smig_error_last()->message);
	k8smig_kubeconfig_free(kc);
	return c;
}

k8smig_object_list *parse_set(const char *yaml)
{
	k8smig_object_list *l;
	if (k8smig_parse(&l, yaml, strlen(yaml), NULL) < 0)
		fail_msg("parse: %s", k8smig_error_last()->message);
	return l;
}

k8smig_object *parse_one(const char *yaml)
{
	k8smig_object_list *l = parse_set(yaml);
	k8smig_object *o;
	assert_ok(k8smig_object_dup(&o, k8smig_object_list_get(l, 0)));
	k8smig_object_list_free(l);
	return o;
}

void write_file(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	chmod(path, mode);
}

void write_kubeconfig(const char *path, const char *server, const char *ca_b64, const char *user_yaml)
{
	k8smig_kubeconfig *kc;
	const k8smig__kc_entry *cl;
	char *text;
	size_t n;
	assert_ok(k8smig_kubeconfig_load(&kc, kubeconfig_path));
	cl = &kc->clusters.items[0];
	if (!server)
		server = k8smig_object_get_str(cl->o, "v.server");
	if (!ca_b64)
		ca_b64 = k8smig_object_get_str(cl->o, "v.certificate-authority-data");
	n = strlen(server) + strlen(ca_b64) + strlen(user_yaml) + 512;
	text = malloc(n);
	assert_non_null(text);
	snprintf(text, n,
	         "apiVersion: v1\nkind: Config\ncurrent-context: t\n"
	         "clusters:\n- name: c\n  cluster:\n    server: %s\n    certificate-authority-data: %s\n"
	         "contexts:\n- name: t\n  context: {cluster: c, user: u}\n"
	         "users:\n- name: u\n  user:\n%s",
	         server, ca_b64, user_yaml);
	write_file(path, text, 0600);
	free(text);
	k8smig_kubeconfig_free(kc);
}

char *admin_token(void)
{
	k8smig_kubeconfig *kc;
	const k8smig__kc_entry *ctx, *u;
	char *tok;
	assert_ok(k8smig_kubeconfig_load(&kc, kubeconfig_path));
	ctx = k8smig__kc_find(&kc->contexts, "token");
	u = k8smig__kc_find(&kc->users, k8smig_object_get_str(ctx->o, "v.user"));
	tok = strdup(k8smig_object_get_str(u->o, "v.token"));
	k8smig_kubeconfig_free(kc);
	return tok;
}
