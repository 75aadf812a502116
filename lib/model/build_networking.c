/*
 * lib/model/build_networking.c - Service, Ingress (+ AWS Load Balancer
 * Controller annotations), IngressClass, IngressClassParams, cert-manager.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"

#define ALB "alb.ingress.kubernetes.io/"
#define ALB_PATH(name) "metadata.annotations[" ALB name "]"

static bool host_name(const char *h)
{
	if (h && strncmp(h, "*.", 2) == 0)
		h += 2;
	return k8smig__is_dns1123_subdomain(h);
}

int k8smig_service_new(k8smig_object **out, const char *name, const char *ns, const char *type)
{
	k8smig_object *svc = NULL;
	int rc;

	if (!out)
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL output");
	*out = NULL;
	if (!k8smig__is_dns1035_label(name))
		return k8smig__error_set(K8SMIG_EINVAL, "metadata.name", "Service name must be a DNS-1035 label (starts with a letter)");
	if (type && !k8smig__build_one_of(type, "ClusterIP", "NodePort", "LoadBalancer", NULL))
		return k8smig__error_set(K8SMIG_EINVAL, "spec.type", "must be ClusterIP, NodePort or LoadBalancer");
	if ((rc = k8smig__build_new(&svc, "v1", "Service", name, ns)) < 0)
		return rc;
	if (type && (rc = k8smig_object_set_str(svc, "spec.type", type)) < 0) {
		k8smig_object_free(svc);
		return rc;
	}
	*out = svc;
	return 0;
}

int k8smig_service_add_port(k8smig_object *svc, const char *name, int32_t port, const char *target_port,
                            const char *protocol, int32_t node_port)
{
	const char *type;
	char path[64];
	bool target_int = false;
	int64_t target_v = 0;
	size_t i, k;
	int rc;

	if ((rc = k8smig__build_kind(svc, "Service", NULL)) < 0)
		return rc;
	i = k8smig__build_list_size(svc, "spec.ports");
	k8smig__path_format(path, sizeof(path), "spec.ports[%zu].name", i);
	if (name && !k8smig__is_dns1123_label(name))
		return k8smig__build_fail(svc, K8SMIG_EINVAL, path, "port name must be a DNS-1123 label");
	if (name && k8smig__build_list_has(svc, "spec.ports", "name", name))
		return k8smig__build_fail(svc, K8SMIG_EEXISTS, path, "the Service already has a port of this name");
	if (i > 0 && !name)
		return k8smig__build_fail(svc, K8SMIG_EINVAL, path, "every port needs a name when a Service has several");
	for (k = 0; i > 0 && k < i; k++) {
		char other[64];
		k8smig__path_format(other, sizeof(other), "spec.ports[%zu].name", k);
		if (!k8smig_object_get_str(svc, other))
			return k8smig__build_fail(svc, K8SMIG_EINVAL, other, "every port needs a name when a Service has several");
	}
	k8smig__path_format(path, sizeof(path), "spec.ports[%zu].port", i);
	if (port < 1 || port > 65535)
		return k8smig__build_fail(svc, K8SMIG_EINVAL, path, "port must be between 1 and 65535");
	k8smig__path_format(path, sizeof(path), "spec.ports[%zu].targetPort", i);
	if (target_port &&
	    ((rc = k8smig__build_check_int_or_string(svc, target_port, false, true, &target_int, &target_v, path)) < 0))
		return rc;
	if (target_int && (target_v < 1 || target_v > 65535))
		return k8smig__build_fail(svc, K8SMIG_EINVAL, path, "port must be between 1 and 65535");
	k8smig__path_format(path, sizeof(path), "spec.ports[%zu].protocol", i);
	if (protocol && !k8smig__build_one_of(protocol, "TCP", "UDP", "SCTP", NULL))
		return k8smig__build_fail(svc, K8SMIG_EINVAL, path, "must be TCP, UDP or SCTP");
	k8smig__path_format(path, sizeof(path), "spec.ports[%zu].nodePort", i);
	type = k8smig_object_get_str(svc, "spec.type");
	if (node_port != 0 &&
	    (node_port < 1 || node_port > 65535 || !type || !k8smig__build_one_of(type, "NodePort", "LoadBalancer", NULL)))
		return k8smig__build_fail(svc, K8SMIG_EINVAL, path, "nodePort needs type NodePort or LoadBalancer and 1..65535");
	if ((rc = k8smig__build_append_map(&i, svc, "spec.ports")) < 0 ||
	    (name && (rc = k8smig__build_set_str(svc, name, "spec.ports[%zu].name", i)) < 0) ||
	    (protocol && (rc = k8smig__build_set_str(svc, protocol, "spec.ports[%zu].protocol", i)) < 0) ||
	    (rc = k8smig__build_set_int(svc, port, "spec.ports[%zu].port", i)) < 0)
		return rc;
	k8smig__path_format(path, sizeof(path), "spec.ports[%zu].targetPort", i);
	if ((target_port && (rc = k8smig__build_set_int_or_string(svc, target_port, target_int, target_v, path)) < 0) ||
	    (node_port && (rc = k8smig__build_set_int(svc, node_port, "spec.ports[%zu].nodePort", i)) < 0))
		return rc;
	return 0;
}

/* ---- Ingress ------------------------------------------------------------------- */

int k8smig_ingress_new(k8smig_object **out, const char *name, const char *ns, const char *ingress_class)
{
	k8smig_object *ing = NULL;
	int rc;

	if (!out)
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL output");
	*out = NULL;
	if (ingress_class && !k8smig__is_dns1123_subdomain(ingress_class))
		return k8smig__error_set(K8SMIG_EINVAL, "spec.ingressClassName", "class name must be a DNS-1123 subdomain");
	if ((rc = k8smig__build_new(&ing, "networking.k8s.io/v1", "Ingress", name, ns)) < 0)
		return rc;
	if (ingress_class && (rc = k8smig_object_set_str(ing, "spec.ingressClassName", ingress_class)) < 0) {
		k8smig_object_free(ing);
		return rc;
	}
	*out = ing;
	return 0;
}

/* Exact and Prefix paths: absolute, without "//", "/./", "/../" or such an ending. */
static bool clean_http_path(const char *p)
{
	size_t n;
	if (!p || p[0] != '/' || strstr(p, "//") || strstr(p, "/./") || strstr(p, "/../") ||
	    strstr(p, "%2f") || strstr(p, "%2F") || !k8smig__utf8_valid(p, strlen(p)))
		return false;
	n = strlen(p);
	return !(n >= 2 && strcmp(p + n - 2, "/.") == 0) && !(n >= 3 && strcmp(p + n - 3, "/..") == 0);
}

int k8smig_ingress_add_path(k8smig_object *ing, const char *host, const char *path, const char *path_type,
                            const char *service, const char *service_port)
{
	const k8smig_value *rule;
	char base[96], err[160];
	size_t r = 0, p;
	bool found = false, port_int = false;
	int64_t port_v = 0;
	int rc;

	if ((rc = k8smig__build_kind(ing, "Ingress", NULL)) < 0)
		return rc;
	for (rule = k8smig_value_first(k8smig_object_get(ing, "spec.rules")); rule; rule = k8smig_value_next(rule), r++) {
		const char *h = k8smig_value_str(k8smig_value_lookup(rule, "host"));
		if ((!h && !host) || (h && host && strcmp(h, host) == 0)) {
			found = true;
			break;
		}
	}
	k8smig__path_format(err, sizeof(err), "spec.rules[%zu].host", r);
	if (host && !host_name(host))
		return k8smig__build_fail(ing, K8SMIG_EINVAL, err, "host must be a DNS name, optionally starting with '*.'");
	p = found ? k8smig__build_list_size(ing, "spec.rules[%zu].http.paths", r) : 0;
	k8smig__path_format(base, sizeof(base), "spec.rules[%zu].http.paths[%zu]", r, p);
	k8smig__path_format(err, sizeof(err), "%s.pathType", base);
	if (!k8smig__build_one_of(path_type, "Prefix", "Exact", "ImplementationSpecific", NULL))
		return k8smig__build_fail(ing, K8SMIG_EINVAL, err, "must be Prefix, Exact or ImplementationSpecific");
	k8smig__path_format(err, sizeof(err), "%s.path", base);
	if (strcmp(path_type, "ImplementationSpecific") == 0 ? (!path || path[0] != '/') : !clean_http_path(path))
		return k8smig__build_fail(ing, K8SMIG_EINVAL, err, "must be an absolute path without '//', '/./' or '/../'");
	k8smig__path_format(err, sizeof(err), "%s.backend.service.name", base);
	if (!k8smig__is_dns1035_label(service))
		return k8smig__build_fail(ing, K8SMIG_EINVAL, err, "Service name must be a DNS-1035 label");
	k8smig__path_format(err, sizeof(err), "%s.backend.service.port", base);
	if ((rc = k8smig__build_check_int_or_string(ing, service_port, false, true, &port_int, &port_v, err)) < 0)
		return rc;
	if (port_int && (port_v < 1 || port_v > 65535))
		return k8smig__build_fail(ing, K8SMIG_EINVAL, err, "port must be between 1 and 65535");
	if (!found) {
		if ((rc = k8smig__build_append_map(&r, ing, "spec.rules")) < 0 ||
		    (host && (rc = k8smig__build_set_str(ing, host, "spec.rules[%zu].host", r)) < 0))
			return rc;
	}
	if ((rc = k8smig__build_append_map(&p, ing, "spec.rules[%zu].http.paths", r)) < 0)
		return rc;
	k8smig__path_format(base, sizeof(base), "spec.rules[%zu].http.paths[%zu]", r, p);
	if ((rc = k8smig__build_set_str(ing, path, "%s.path", base)) < 0 ||
	    (rc = k8smig__build_set_str(ing, path_type, "%s.pathType", base)) < 0 ||
	    (rc = k8smig__build_set_str(ing, service, "%s.backend.service.name", base)) < 0)
		return rc;
	if (port_int)
		return k8smig__build_set_int(ing, port_v, "%s.backend.service.port.number", base);
	return k8smig__build_set_str(ing, service_port, "%s.backend.service.port.name", base);
}

int k8smig_ingress_add_tls(k8smig_object *ing, const char *secret_name, const char *const *hosts)
{
	char path[64];
	size_t i, h;
	int rc;

	if ((rc = k8smig__build_kind(ing, "Ingress", NULL)) < 0)
		return rc;
	i = k8smig__build_list_size(ing, "spec.tls");
	if (!hosts || !hosts[0]) {
		k8smig__path_format(path, sizeof(path), "spec.tls[%zu].hosts", i);
		return k8smig__build_fail(ing, K8SMIG_EINVAL, path, "TLS needs at least one host");
	}
	for (h = 0; hosts[h]; h++) {
		if (!host_name(hosts[h])) {
			k8smig__path_format(path, sizeof(path), "spec.tls[%zu].hosts[%zu]", i, h);
			return k8smig__build_fail(ing, K8SMIG_EINVAL, path, "host must be a DNS name, optionally starting with '*.'");
		}
	}
	if (secret_name && !k8smig__is_dns1123_subdomain(secret_name)) {
		k8smig__path_format(path, sizeof(path), "spec.tls[%zu].secretName", i);
		return k8smig__build_fail(ing, K8SMIG_EINVAL, path, "Secret name must be a DNS-1123 subdomain");
	}
	if ((rc = k8smig__build_append_map(&i, ing, "spec.tls")) < 0 ||
	    (rc = k8smig__build_set_strv(ing, hosts, "spec.tls[%zu].hosts", i)) < 0 ||
	    (secret_name && (rc = k8smig__build_set_str(ing, secret_name, "spec.tls[%zu].secretName", i)) < 0))
		return rc;
	return 0;
}

static const k8smig_alb_options alb_defaults = K8SMIG_ALB_OPTIONS_INIT;
static const size_t k8smig__alb_options_sizes[1] = { sizeof(k8smig_alb_options) };

int k8smig_alb_options_init(k8smig_alb_options *opts, unsigned int version)
{
	return K8SMIG__OPTIONS_INIT(opts, version, &alb_defaults, k8smig__alb_options_sizes, "k8smig_alb_options");
}

/* One ACM (or IAM server) certificate ARN in s[0..n). */
static bool certificate_arn(const char *s, size_t n)
{
	const char *end = s + n, *p;
	int colons = 0;
	if (n > 2048 || n < 4 || strncmp(s, "arn:", 4) != 0)
		return false;
	for (p = s; p < end; p++) {
		if (*p == ':')
			colons++;
		if ((unsigned char)*p <= ' ' || *p == ',')
			return false;
	}
	if (colons != 5)
		return false;
	/* arn:<partition>:acm:<region>:<account>:certificate/<id> or arn:<partition>:iam::<account>:server-certificate/<name> */
	p = strchr(s + 4, ':') + 1;
	if (strncmp(p, "acm:", 4) == 0) {
		p = strchr(p + 4, ':') + 1;
		if (strspn(p, "0123456789") != 12 || strncmp(p + 12, ":certificate/", 13) != 0)
			return false;
		return (size_t)(end - (p + 25)) > 0 && strspn(p + 25, "0123456789abcdef-") == (size_t)(end - (p + 25));
	}
	if (strncmp(p, "iam::", 5) == 0) {
		p += 5;
		return strspn(p, "0123456789") == 12 && strncmp(p + 12, ":server-certificate/", 20) == 0 &&
		       end > p + 32;
	}
	return false;
}

static bool certificate_arns(const char *s)
{
	if (!s || !*s)
		return false;
	for (;;) {
		size_t n = strcspn(s, ",");
		if (!certificate_arn(s, n))
			return false;
		if (!s[n])
			return true;
		s += n + 1;
	}
}

/* ALB IngressGroup names: at most 63 of [a-z0-9-.], alphanumeric at both ends */
static bool group_name(const char *g)
{
	size_t n, i;
	if (!g || (n = strlen(g)) == 0 || n > 63)
		return false;
	for (i = 0; i < n; i++)
		if (!((g[i] >= 'a' && g[i] <= 'z') || (g[i] >= '0' && g[i] <= '9') || g[i] == '-' || g[i] == '.'))
			return false;
	return g[0] != '-' && g[0] != '.' && g[n - 1] != '-' && g[n - 1] != '.';
}

int k8smig_ingress_set_alb(k8smig_object *ing, const k8smig_alb_options *o)
{
	k8smig_alb_options ao = alb_defaults;
	char buf[64];
	int rc;

	if ((rc = k8smig__build_kind(ing, "Ingress", NULL)) < 0)
		return rc;
	if (!o || K8SMIG__OPTIONS_LOAD(&ao, o, k8smig__alb_options_sizes, "k8smig_alb_options") < 0)
		return k8smig__build_fail(ing, K8SMIG_EINVAL, "metadata.annotations", "unknown or missing k8smig_alb_options");
	o = &ao;
	if (o->scheme && !k8smig__build_one_of(o->scheme, "internet-facing", "internal", NULL))
		return k8smig__build_fail(ing, K8SMIG_EINVAL, ALB_PATH("scheme"), "must be internet-facing or internal");
	if (o->target_type && !k8smig__build_one_of(o->target_type, "ip", "instance", NULL))
		return k8smig__build_fail(ing, K8SMIG_EINVAL, ALB_PATH("target-type"), "must be ip or instance");
	if (o->http_port < 0 || o->http_port > 65535 || o->https_port < 0 || o->https_port > 65535 ||
	    (o->http_port && o->http_port == o->https_port))
		return k8smig__build_fail(ing, K8SMIG_EINVAL, ALB_PATH("listen-ports"), "ports must be distinct and 1..65535");
	if (o->certificate_arn && !certificate_arns(o->certificate_arn))
		return k8smig__build_fail(ing, K8SMIG_EINVAL, ALB_PATH("certificate-arn"),
		                          "not an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)");
	if (o->ssl_redirect && (o->ssl_redirect != o->https_port || o->ssl_redirect < 1))
		return k8smig__build_fail(ing, K8SMIG_EINVAL, ALB_PATH("ssl-redirect"), "must be the HTTPS listen port");
	if (o->healthcheck_path && !clean_http_path(o->healthcheck_path))
		return k8smig__build_fail(ing, K8SMIG_EINVAL, ALB_PATH("healthcheck-path"), "must be an absolute path");
	if (o->group_name && !group_name(o->group_name))
		return k8smig__build_fail(ing, K8SMIG_EINVAL, ALB_PATH("group.name"),
		                          "at most 63 of [a-z0-9-.], alphanumeric at both ends");

	if ((o->scheme && (rc = k8smig_object_set_annotation(ing, ALB "scheme", o->scheme)) < 0) ||
	    (o->target_type && (rc = k8smig_object_set_annotation(ing, ALB "target-type", o->target_type)) < 0))
		return rc;
	if (o->http_port || o->https_port) {
		if (o->http_port && o->https_port)
			k8smig__path_format(buf, sizeof(buf), "[{\"HTTP\":%d},{\"HTTPS\":%d}]", (int)o->http_port, (int)o->https_port);
		else if (o->http_port)
			k8smig__path_format(buf, sizeof(buf), "[{\"HTTP\":%d}]", (int)o->http_port);
		else
			k8smig__path_format(buf, sizeof(buf), "[{\"HTTPS\":%d}]", (int)o->https_port);
		if ((rc = k8smig_object_set_annotation(ing, ALB "listen-ports", buf)) < 0)
			return rc;
	}
	if (o->certificate_arn && (rc = k8smig_object_set_annotation(ing, ALB "certificate-arn", o->certificate_arn)) < 0)
		return rc;
	if (o->ssl_redirect) {
		k8smig__path_format(buf, sizeof(buf), "%d", (int)o->ssl_redirect);
		if ((rc = k8smig_object_set_annotation(ing, ALB "ssl-redirect", buf)) < 0)
			return rc;
	}
	if ((o->healthcheck_path && (rc = k8smig_object_set_annotation(ing, ALB "healthcheck-path", o->healthcheck_path)) < 0) ||
	    (o->group_name && (rc = k8smig_object_set_annotation(ing, ALB "group.name", o->group_name)) < 0))
		return rc;
	return 0;
}

int k8smig_ingress_class_new(k8smig_object **out, const char *name, const char *controller, const char *params_name)
{
	k8smig_object *ic = NULL;
	const char *slash = controller ? strchr(controller, '/') : NULL;
	char prefix[254];
	size_t n;
	bool ok;
	int rc;

	if (!out)
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL output");
	*out = NULL;
	/* a domain-prefixed path: <DNS subdomain>/<path>, at most 250 bytes */
	n = slash ? (size_t)(slash - controller) : 0;
	ok = slash && n < sizeof(prefix) && strlen(controller) <= 250 && slash[1] != '\0' &&
	     k8smig__utf8_valid(controller, strlen(controller));
	if (ok) {
		memcpy(prefix, controller, n);
		prefix[n] = '\0';
		ok = k8smig__is_dns1123_subdomain(prefix);
	}
	if (!ok)
		return k8smig__error_set(K8SMIG_EINVAL, "spec.controller", "controller must be a domain-prefixed path, e.g. ingress.k8s.aws/alb");
	if (params_name && !k8smig__is_dns1123_subdomain(params_name))
		return k8smig__error_set(K8SMIG_EINVAL, "spec.parameters.name", "must be a DNS-1123 subdomain");
	if ((rc = k8smig__build_new(&ic, "networking.k8s.io/v1", "IngressClass", name, NULL)) < 0)
		return rc;
	if ((rc = k8smig_object_set_str(ic, "spec.controller", controller)) < 0 ||
	    (params_name && ((rc = k8smig_object_set_str(ic, "spec.parameters.apiGroup", "elbv2.k8s.aws")) < 0 ||
	                     (rc = k8smig_object_set_str(ic, "spec.parameters.kind", "IngressClassParams")) < 0 ||
	                     (rc = k8smig_object_set_str(ic, "spec.parameters.name", params_name)) < 0))) {
		k8smig_object_free(ic);
		return rc;
	}
	*out = ic;
	return 0;
}

int k8smig_ingress_class_params_new(k8smig_object **out, const char *name, const char *scheme, const char *group)
{
	k8smig_object *p = NULL;
	int rc;

	if (!out)
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL output");
	*out = NULL;
	if (scheme && !k8smig__build_one_of(scheme, "internet-facing", "internal", NULL))
		return k8smig__error_set(K8SMIG_EINVAL, "spec.scheme", "must be internet-facing or internal");
	if (group && !group_name(group))
		return k8smig__error_set(K8SMIG_EINVAL, "spec.group.name", "at most 63 of [a-z0-9-.], alphanumeric at both ends");
	if ((rc = k8smig__build_new(&p, "elbv2.k8s.aws/v1beta1", "IngressClassParams", name, NULL)) < 0)
		return rc;
	if ((rc = k8smig_object_set_map(p, "spec")) < 0 ||
	    (scheme && (rc = k8smig_object_set_str(p, "spec.scheme", scheme)) < 0) ||
	    (group && (rc = k8smig_object_set_str(p, "spec.group.name", group)) < 0)) {
		k8smig_object_free(p);
		return rc;
	}
	*out = p;
	return 0;
}

/* ---- cert-manager ---------------------------------------------------------------- */

int k8smig_issuer_new(k8smig_object **out, const char *name, const char *ns)
{
	return k8smig__build_new(out, "cert-manager.io/v1", ns ? "Issuer" : "ClusterIssuer", name, ns);
}

int k8smig_issuer_set_acme(k8smig_object *issuer, const char *server, const char *email,
                           const char *private_key_secret, const char *ingress_class)
{
	int rc;
	if ((rc = k8smig__build_kind(issuer, "Issuer", "ClusterIssuer", NULL)) < 0)
		return rc;
	if (!server || strncmp(server, "https://", 8) != 0 || strlen(server) < 9 || strpbrk(server, " \t\r\n"))
		return k8smig__build_fail(issuer, K8SMIG_EINVAL, "spec.acme.server", "ACME server must be an https:// URL");
	if (email && (!strchr(email, '@') || strpbrk(email, " \t\r\n") || email[0] == '@'))
		return k8smig__build_fail(issuer, K8SMIG_EINVAL, "spec.acme.email", "not an e-mail address");
	if (!k8smig__is_dns1123_subdomain(private_key_secret))
		return k8smig__build_fail(issuer, K8SMIG_EINVAL, "spec.acme.privateKeySecretRef.name", "Secret name must be a DNS-1123 subdomain");
	if (!k8smig__is_dns1123_subdomain(ingress_class))
		return k8smig__build_fail(issuer, K8SMIG_EINVAL, "spec.acme.solvers[0].http01.ingress.ingressClassName",
		                          "class name must be a DNS-1123 subdomain");
	if ((rc = k8smig_object_set_map(issuer, "spec")) < 0 ||
	    (rc = k8smig_object_set_str(issuer, "spec.acme.server", server)) < 0 ||
	    (email && (rc = k8smig_object_set_str(issuer, "spec.acme.email", email)) < 0) ||
	    (rc = k8smig_object_set_str(issuer, "spec.acme.privateKeySecretRef.name", private_key_secret)) < 0 ||
	    (rc = k8smig_object_set_str(issuer, "spec.acme.solvers[0].http01.ingress.ingressClassName", ingress_class)) < 0)
		return rc;
	return 0;
}

int k8smig_issuer_set_ca(k8smig_object *issuer, const char *secret_name)
{
	int rc;
	if ((rc = k8smig__build_kind(issuer, "Issuer", "ClusterIssuer", NULL)) < 0)
		return rc;
	if (!k8smig__is_dns1123_subdomain(secret_name))
		return k8smig__build_fail(issuer, K8SMIG_EINVAL, "spec.ca.secretName", "Secret name must be a DNS-1123 subdomain");
	if ((rc = k8smig_object_set_map(issuer, "spec")) < 0)
		return rc;
	return k8smig_object_set_str(issuer, "spec.ca.secretName", secret_name);
}

int k8smig_issuer_set_self_signed(k8smig_object *issuer)
{
	int rc;
	if ((rc = k8smig__build_kind(issuer, "Issuer", "ClusterIssuer", NULL)) < 0)
		return rc;
	if ((rc = k8smig_object_set_map(issuer, "spec")) < 0)
		return rc;
	return k8smig_object_set_map(issuer, "spec.selfSigned");
}

int k8smig_certificate_new(k8smig_object **out, const char *name, const char *ns, const char *secret_name,
                           const char *issuer_kind, const char *issuer_name)
{
	k8smig_object *cert = NULL;
	const char *group;
	int rc;

	if (!out)
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL output");
	*out = NULL;
	if (!k8smig__is_dns1123_subdomain(secret_name))
		return k8smig__error_set(K8SMIG_EINVAL, "spec.secretName", "Secret name must be a DNS-1123 subdomain");
	if (k8smig__build_one_of(issuer_kind, "Issuer", "ClusterIssuer", NULL))
		group = "cert-manager.io";
	else if (k8smig__build_one_of(issuer_kind, "AWSPCAIssuer", "AWSPCAClusterIssuer", NULL))
		group = "awspca.cert-manager.io";
	else
		return k8smig__error_set(K8SMIG_EINVAL, "spec.issuerRef.kind",
		                         "must be Issuer, ClusterIssuer, AWSPCAIssuer or AWSPCAClusterIssuer");
	if (!k8smig__is_dns1123_subdomain(issuer_name))
		return k8smig__error_set(K8SMIG_EINVAL, "spec.issuerRef.name", "issuer name must be a DNS-1123 subdomain");
	if ((rc = k8smig__build_new(&cert, "cert-manager.io/v1", "Certificate", name, ns)) < 0)
		return rc;
	if ((rc = k8smig_object_set_str(cert, "spec.secretName", secret_name)) < 0 ||
	    (rc = k8smig_object_set_str(cert, "spec.issuerRef.name", issuer_name)) < 0 ||
	    (rc = k8smig_object_set_str(cert, "spec.issuerRef.kind", issuer_kind)) < 0 ||
	    (rc = k8smig_object_set_str(cert, "spec.issuerRef.group", group)) < 0) {
		k8smig_object_free(cert);
		return rc;
	}
	*out = cert;
	return 0;
}

int k8smig_certificate_add_dns_name(k8smig_object *cert, const char *dns_name)
{
	char path[48];
	int rc;
	if ((rc = k8smig__build_kind(cert, "Certificate", NULL)) < 0)
		return rc;
	if (!host_name(dns_name)) {
		k8smig__path_format(path, sizeof(path), "spec.dnsNames[%zu]", k8smig__build_list_size(cert, "spec.dnsNames"));
		return k8smig__build_fail(cert, K8SMIG_EINVAL, path, "must be a DNS name, optionally starting with '*.'");
	}
	return k8smig_object_append_str(NULL, cert, "spec.dnsNames", dns_name);
}
