/*
 * lib/model/validate_networking.c - validation rules of one object: Service, Ingress,
 * IngressClass, IngressClassParams, Issuer/ClusterIssuer, Certificate (the builders of the family:
 * build_networking.c).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "validate_object.h"

void k8smig__vcheck_service(k8smig__vctx *ctx, cv *spec)
{
	static const char *const types[] = { "ClusterIP", "NodePort", "LoadBalancer", "ExternalName", NULL };
	const char *type = k8smig__vopt_str(ctx, spec, "type");
	const char *cip = k8smig__vstr(spec, "clusterIP");
	cv *ports, *e, *f;
	size_t p, i, n;

	k8smig__venum_str(ctx, spec, "type", types);
	k8smig__vcheck_label_map(ctx, spec, "selector");
	if (type && strcmp(type, "ExternalName") == 0) {
		k8smig__vreq_str(ctx, spec, "externalName");
		if (!k8smig__vget(spec, "ports"))
			return;
	}
	if (cip && strcmp(cip, "None") == 0)
		ports = k8smig__vwant(ctx, spec, "ports", K8SMIG_TYPE_LIST);
	else
		ports = k8smig__vreq(ctx, spec, "ports", K8SMIG_TYPE_LIST);
	if (!ports)
		return;
	n = k8smig_value_size(ports);
	p = k8smig__vpush(ctx, "ports");
	for (i = 0, e = k8smig_value_first(ports); e; e = k8smig_value_next(e), i++) {
		size_t q = k8smig__vpush_index(ctx, i);
		const char *name = k8smig__vopt_str(ctx, e, "name");
		int64_t np;
		k8smig__vport_number(ctx, e, "port", true);
		k8smig__vport_int_or_name(ctx, e, "targetPort", false);
		if (k8smig__vopt_int(ctx, e, "nodePort", &np) == 1 && (np < 1 || np > 65535))
			FIND(ctx, ERR, K8SMIG__C_PORT_RANGE, "nodePort", "port %" PRId64 " is out of range 1-65535", np);
		k8smig__venum_str(ctx, e, "protocol", k8smig__vprotocols);
		if (!name && n > 1)
			FIND(ctx, ERR, K8SMIG__C_REQUIRED, "name", "is required when a Service has more than one port");
		if (name) {
			const char *why = k8smig__dns1123_label(name);
			if (why)
				FIND(ctx, ERR, K8SMIG__C_PORT_NAME, "name", "port name \"%s\" is invalid: %s", name, why);
			for (f = k8smig_value_first(ports); f != e; f = k8smig_value_next(f)) {
				const char *o = k8smig__vstr(f, "name");
				if (o && strcmp(o, name) == 0) {
					FIND(ctx, ERR, K8SMIG__C_PORT_NAME, "name", "duplicate port name \"%s\"", name);
					break;
				}
			}
		}
		k8smig__vpop(ctx, q);
	}
	k8smig__vpop(ctx, p);
}

static void check_ingress_backend(k8smig__vctx *ctx, cv *b)
{
	cv *svc = k8smig__vwant(ctx, b, "service", K8SMIG_TYPE_MAP), *res = k8smig__vwant(ctx, b, "resource", K8SMIG_TYPE_MAP), *port;
	size_t p;
	if (!!svc + !!res != 1) {
		FIND(ctx, ERR, svc ? K8SMIG__C_VALUE : K8SMIG__C_REQUIRED, NULL,
		     "must set exactly one of service, resource");
		return;
	}
	if (res) {
		p = k8smig__vpush(ctx, "resource");
		k8smig__vreq_str(ctx, res, "kind");
		k8smig__vreq_str(ctx, res, "name");
		k8smig__vpop(ctx, p);
		return;
	}
	p = k8smig__vpush(ctx, "service");
	if (k8smig__vreq_str(ctx, svc, "name"))
		k8smig__vname_field(ctx, svc, "name", k8smig__dns1035_label, "Service name");
	if ((port = k8smig__vreq(ctx, svc, "port", K8SMIG_TYPE_MAP))) {
		size_t q = k8smig__vpush(ctx, "port");
		bool has_num = k8smig__vget(port, "number") != NULL, has_name = k8smig__vget(port, "name") != NULL;
		if (has_num + has_name != 1)
			FIND(ctx, ERR, has_num ? K8SMIG__C_VALUE : K8SMIG__C_REQUIRED, NULL, "must set exactly one of number, name");
		k8smig__vport_number(ctx, port, "number", false);
		if (has_name) {
			const char *n = k8smig__vopt_str(ctx, port, "name"), *why;
			if (n && (why = k8smig__iana_svc_name(n)) && (why = k8smig__dns1123_label(n)))
				FIND(ctx, ERR, K8SMIG__C_PORT_NAME, "name", "port name \"%s\" is invalid: %s", n, why);
		}
		k8smig__vpop(ctx, q);
	}
	k8smig__vpop(ctx, p);
}

void k8smig__vcheck_ingress(k8smig__vctx *ctx, cv *spec)
{
	static const char *const path_types[] = { "Exact", "Prefix", "ImplementationSpecific", NULL };
	cv *rules = k8smig__vwant(ctx, spec, "rules", K8SMIG_TYPE_LIST), *db = k8smig__vwant(ctx, spec, "defaultBackend", K8SMIG_TYPE_MAP);
	cv *r, *tls, *t;
	size_t p, i;

	k8smig__vname_field(ctx, spec, "ingressClassName", k8smig__dns1123_subdomain, "IngressClass name");
	if (!db && k8smig_value_size(rules) == 0)
		FIND(ctx, ERR, K8SMIG__C_REQUIRED, "rules", "either defaultBackend or rules must be specified");
	if (db) {
		p = k8smig__vpush(ctx, "defaultBackend");
		check_ingress_backend(ctx, db);
		k8smig__vpop(ctx, p);
	}
	if (rules) {
		p = k8smig__vpush(ctx, "rules");
		for (i = 0, r = k8smig_value_first(rules); r; r = k8smig_value_next(r), i++) {
			size_t q = k8smig__vpush_index(ctx, i), j;
			const char *host = k8smig__vopt_str(ctx, r, "host");
			cv *http, *paths, *pe;
			if (host && *host && k8smig__dns1123_subdomain(host[0] == '*' && host[1] == '.' ? host + 2 : host))
				FIND(ctx, ERR, K8SMIG__C_VALUE, "host", "\"%s\" is not a valid host name", host);
			if ((http = k8smig__vreq(ctx, r, "http", K8SMIG_TYPE_MAP))) {
				size_t s = k8smig__vpush(ctx, "http");
				paths = k8smig__vreq(ctx, http, "paths", K8SMIG_TYPE_LIST);
				if (paths) {
					size_t s2 = k8smig__vpush(ctx, "paths");
					for (j = 0, pe = k8smig_value_first(paths); pe; pe = k8smig_value_next(pe), j++) {
						size_t s3 = k8smig__vpush_index(ctx, j);
						const char *pt = k8smig__vreq_str(ctx, pe, "pathType");
						const char *path = k8smig__vopt_str(ctx, pe, "path");
						cv *b;
						k8smig__venum_str(ctx, pe, "pathType", path_types);
						if (pt && strcmp(pt, "ImplementationSpecific") != 0 && (!path || path[0] != '/'))
							FIND(ctx, ERR, path ? K8SMIG__C_VALUE : K8SMIG__C_REQUIRED, "path",
							     "must be an absolute path for pathType %s", pt);
						if ((b = k8smig__vreq(ctx, pe, "backend", K8SMIG_TYPE_MAP))) {
							size_t s4 = k8smig__vpush(ctx, "backend");
							check_ingress_backend(ctx, b);
							k8smig__vpop(ctx, s4);
						}
						k8smig__vpop(ctx, s3);
					}
					k8smig__vpop(ctx, s2);
				}
				k8smig__vpop(ctx, s);
			}
			k8smig__vpop(ctx, q);
		}
		k8smig__vpop(ctx, p);
	}
	if ((tls = k8smig__vwant(ctx, spec, "tls", K8SMIG_TYPE_LIST))) {
		p = k8smig__vpush(ctx, "tls");
		for (i = 0, t = k8smig_value_first(tls); t; t = k8smig_value_next(t), i++) {
			size_t q = k8smig__vpush_index(ctx, i);
			k8smig__vname_field(ctx, t, "secretName", k8smig__dns1123_subdomain, "Secret name");
			k8smig__vwant(ctx, t, "hosts", K8SMIG_TYPE_LIST);
			k8smig__vpop(ctx, q);
		}
		k8smig__vpop(ctx, p);
	}
}

void k8smig__vcheck_ingress_class(k8smig__vctx *ctx, cv *spec)
{
	const char *c = k8smig__vreq_str(ctx, spec, "controller");
	cv *params = k8smig__vwant(ctx, spec, "parameters", K8SMIG_TYPE_MAP);
	if (c && (strlen(c) > 250 || !strchr(c, '/')))
		FIND(ctx, ERR, K8SMIG__C_VALUE, "controller", "must be a domain-prefixed path of at most 250 characters");
	if (params) {
		size_t p = k8smig__vpush(ctx, "parameters");
		k8smig__vreq_str(ctx, params, "kind");
		k8smig__vreq_str(ctx, params, "name");
		k8smig__venum_str(ctx, params, "scope", (const char *const[]){ "Cluster", "Namespace", NULL });
		k8smig__vpop(ctx, p);
	}
}

void k8smig__vcheck_ingress_class_params(k8smig__vctx *ctx, cv *spec)
{
	k8smig__venum_str(ctx, spec, "scheme", (const char *const[]){ "internal", "internet-facing", NULL });
	k8smig__venum_str(ctx, spec, "ipAddressType",
	         (const char *const[]){ "ipv4", "dualstack", "dualstack-without-public-ipv4", NULL });
}

void k8smig__vcheck_issuer(k8smig__vctx *ctx, cv *spec)
{
	static const char *const types[] = { "acme", "ca", "vault", "selfSigned", "venafi", NULL };
	size_t i, n = 0;
	cv *acme;
	for (i = 0; types[i]; i++)
		if (k8smig__vget(spec, types[i]))
			n++;
	if (n == 0)
		FIND(ctx, ERR, K8SMIG__C_REQUIRED, NULL, "must configure one issuer type: acme, ca, vault, selfSigned or venafi");
	else if (n > 1)
		FIND(ctx, ERR, K8SMIG__C_VALUE, NULL, "must configure only one issuer type");
	if ((acme = k8smig__vwant(ctx, spec, "acme", K8SMIG_TYPE_MAP))) {
		size_t p = k8smig__vpush(ctx, "acme");
		k8smig__vreq_str(ctx, acme, "server");
		k8smig__vsub_str(ctx, acme, "privateKeySecretRef", true, "name");
		k8smig__vpop(ctx, p);
	}
	k8smig__vsub_str(ctx, spec, "ca", false, "secretName");
}

void k8smig__vcheck_certificate(k8smig__vctx *ctx, cv *spec)
{
	static const char *const subjects[] = { "commonName", "dnsNames", "uris", "emailAddresses", "ipAddresses",
	                                        "literalSubject", "otherNames", NULL };
	cv *ir;
	size_t i;
	bool any = false;
	if (k8smig__vreq_str(ctx, spec, "secretName"))
		k8smig__vname_field(ctx, spec, "secretName", k8smig__dns1123_subdomain, "Secret name");
	if ((ir = k8smig__vreq(ctx, spec, "issuerRef", K8SMIG_TYPE_MAP))) {
		size_t p = k8smig__vpush(ctx, "issuerRef");
		const char *group = k8smig__vstr(ir, "group");
		k8smig__vreq_str(ctx, ir, "name");
		if (!group || !*group || strcmp(group, "cert-manager.io") == 0)
			k8smig__venum_str(ctx, ir, "kind", (const char *const[]){ "Issuer", "ClusterIssuer", NULL });
		k8smig__vpop(ctx, p);
	}
	for (i = 0; subjects[i]; i++)
		if (k8smig__vget(spec, subjects[i]))
			any = true;
	if (!any)
		FIND(ctx, ERR, K8SMIG__C_REQUIRED, "dnsNames",
		     "at least one of commonName, dnsNames, uris, emailAddresses, ipAddresses is required");
}
