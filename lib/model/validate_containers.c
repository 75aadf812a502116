/*
 * lib/model/validate_containers.c - validation rules of one object: containers and pod specs:
 * resources (quantities), ports, probes, env, volumes (the builders of the family:
 * build_containers.c).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "validate_object.h"

/* ---- quantities ---------------------------------------------------------------------- */

/* sign of a quantity: -1, 0 or 1 (through the quantity API only) */
int k8smig__vqsign(const k8smig_quantity *q)
{
	k8smig_quantity zero;
	if (k8smig_quantity_parse(&zero, "0") < 0)
		return 1;
	return k8smig_quantity_cmp(q, &zero);
}

/* The text of a quantity written as a string or a number, or NULL. */
static const char *quantity_text(cv *v, char tmp[64])
{
	switch (k8smig_value_type(v)) {
	case K8SMIG_TYPE_STRING:
		return k8smig_value_str(v);
	case K8SMIG_TYPE_INT:
		snprintf(tmp, 64, "%" PRId64, k8smig_value_int(v));
		return tmp;
	case K8SMIG_TYPE_DOUBLE:
		snprintf(tmp, 64, "%.15g", k8smig_value_double(v));
		return tmp;
	default:
		return NULL;
	}
}

static bool quantity_silent(cv *v, k8smig_quantity *q)
{
	char tmp[64];
	const char *text = quantity_text(v, tmp);
	return text && k8smig_quantity_parse(q, text) == 0 && k8smig__vqsign(q) >= 0;
}

/* Parse the quantity at v (string or number). 1 when valid, 0 otherwise (finding added). */
int k8smig__vquantity_at(k8smig__vctx *ctx, cv *v, const char *leaf, k8smig_quantity *q)
{
	char tmp[64];
	const char *text = quantity_text(v, tmp);
	if (!text) {
		FIND(ctx, ERR, K8SMIG__C_QUANTITY, leaf, "must be a quantity (string or number), not %s", k8smig__vtype_name(v));
		return 0;
	}
	if (k8smig_quantity_parse(q, text) < 0) {
		FIND(ctx, ERR, K8SMIG__C_QUANTITY, leaf, "\"%s\" is not a valid quantity (e.g. 500m, 0.5, 512Mi, 1Gi)",
		     text);
		return 0;
	}
	if (k8smig__vqsign(q) < 0) {
		FIND(ctx, ERR, K8SMIG__C_QUANTITY, leaf, "\"%s\" must not be negative", text);
		return 0;
	}
	return 1;
}

static void check_resources(k8smig__vctx *ctx, cv *c)
{
	cv *res = k8smig__vwant(ctx, c, "resources", K8SMIG_TYPE_MAP), *req_m, *lim_m, *e;
	size_t p;
	if (!res)
		return;
	p = k8smig__vpush(ctx, "resources");
	req_m = k8smig__vwant(ctx, res, "requests", K8SMIG_TYPE_MAP);
	lim_m = k8smig__vwant(ctx, res, "limits", K8SMIG_TYPE_MAP);
	for (e = k8smig_value_first(lim_m); e; e = k8smig_value_next(e)) {
		k8smig_quantity q;
		size_t q1 = k8smig__vpush(ctx, "limits");
		k8smig__vpush_key(ctx, k8smig_value_key(e));
		k8smig__vquantity_at(ctx, e, NULL, &q);
		k8smig__vpop(ctx, q1);
	}
	for (e = k8smig_value_first(req_m); e; e = k8smig_value_next(e)) {
		k8smig_quantity rq, lq;
		cv *lim = k8smig__vget(lim_m, k8smig_value_key(e));
		size_t q1 = k8smig__vpush(ctx, "requests");
		k8smig__vpush_key(ctx, k8smig_value_key(e));
		/* a bad limit was reported above: compare only valid pairs */
		if (k8smig__vquantity_at(ctx, e, NULL, &rq) && lim && quantity_silent(lim, &lq) &&
		    k8smig_quantity_cmp(&rq, &lq) > 0)
			FIND(ctx, ERR, K8SMIG__C_REQUESTS_ABOVE_LIMITS, NULL,
			     "request for %s is above its limit (resources.limits[%s])", k8smig_value_key(e),
			     k8smig_value_key(e));
		k8smig__vpop(ctx, q1);
	}
	k8smig__vpop(ctx, p);
}

/* ---- ports and probes ---------------------------------------------------------------- */

const char *const k8smig__vprotocols[] = { "TCP", "UDP", "SCTP", NULL };

/* A port number field that must hold 1-65535; returns the number or 0. */
int64_t k8smig__vport_number(k8smig__vctx *ctx, cv *v, const char *key, bool required)
{
	int64_t n = 0;
	int rc = k8smig__vopt_int(ctx, v, key, &n);
	if (rc == 0 && required)
		FIND(ctx, ERR, K8SMIG__C_REQUIRED, key, "is required");
	if (rc == 1 && (n < 1 || n > 65535)) {
		FIND(ctx, ERR, K8SMIG__C_PORT_RANGE, key, "port %" PRId64 " is out of range 1-65535", n);
		return 0;
	}
	return rc == 1 ? n : 0;
}

/* An int-or-string port (targetPort, probe port): a number 1-65535 or an IANA service name. */
void k8smig__vport_int_or_name(k8smig__vctx *ctx, cv *v, const char *key, bool required)
{
	cv *c = k8smig__vget(v, key);
	const char *why;
	if (!c || k8smig_value_type(c) == K8SMIG_TYPE_NULL) {
		if (required)
			FIND(ctx, ERR, K8SMIG__C_REQUIRED, key, "is required");
		return;
	}
	if (k8smig_value_type(c) == K8SMIG_TYPE_INT) {
		int64_t n = k8smig_value_int(c);
		if (n < 1 || n > 65535)
			FIND(ctx, ERR, K8SMIG__C_PORT_RANGE, key, "port %" PRId64 " is out of range 1-65535", n);
	} else if (k8smig_value_type(c) == K8SMIG_TYPE_STRING) {
		if ((why = k8smig__iana_svc_name(k8smig_value_str(c))))
			FIND(ctx, ERR, K8SMIG__C_PORT_NAME, key, "port name \"%s\" is invalid: %s", k8smig_value_str(c), why);
	} else
		FIND(ctx, ERR, K8SMIG__C_TYPE, key, "must be a port number or name, not %s", k8smig__vtype_name(c));
}

static bool container_has_port_name(cv *container, const char *name)
{
	cv *p;
	for (p = k8smig_value_first(k8smig__vget(container, "ports")); p; p = k8smig_value_next(p)) {
		const char *n = k8smig__vstr(p, "name");
		if (n && strcmp(n, name) == 0)
			return true;
	}
	return false;
}

static void probe_int(k8smig__vctx *ctx, cv *probe, const char *key, int64_t min)
{
	int64_t n;
	if (k8smig__vopt_int(ctx, probe, key, &n) != 1)
		return;
	if (n < 0 || (n < min && n != 0))
		FIND(ctx, ERR, K8SMIG__C_PROBE_BOUNDS, key, "must be at least %" PRId64 ", not %" PRId64, min, n);
	else if (n < min)
		FIND(ctx, WARN, K8SMIG__C_PROBE_BOUNDS, key,
		     "0 is replaced by the API server's default; set at least %" PRId64 " or leave it out", min);
}

static void check_probe(k8smig__vctx *ctx, cv *container, const char *which)
{
	static const char *const handlers[] = { "exec", "httpGet", "tcpSocket", "grpc", NULL };
	cv *probe = k8smig__vwant(ctx, container, which, K8SMIG_TYPE_MAP), *h;
	size_t p, i, nh = 0;
	int64_t n;
	if (!probe)
		return;
	p = k8smig__vpush(ctx, which);
	for (i = 0; handlers[i]; i++)
		if (k8smig__vget(probe, handlers[i]))
			nh++;
	if (nh == 0)
		FIND(ctx, ERR, K8SMIG__C_REQUIRED, NULL, "must specify one handler: exec, httpGet, tcpSocket or grpc");
	else if (nh > 1)
		FIND(ctx, ERR, K8SMIG__C_VALUE, NULL, "must specify only one handler");
	for (i = 0; i < 3; i++) {
		static const char *const porty[] = { "httpGet", "tcpSocket", "grpc" };
		size_t q;
		if (!(h = k8smig__vwant(ctx, probe, porty[i], K8SMIG_TYPE_MAP)))
			continue;
		q = k8smig__vpush(ctx, porty[i]);
		if (i == 2)
			k8smig__vport_number(ctx, h, "port", true);
		else {
			const char *pn = k8smig__vstr(h, "port");
			k8smig__vport_int_or_name(ctx, h, "port", true);
			if (pn && !k8smig__iana_svc_name(pn) && !container_has_port_name(container, pn))
				FIND(ctx, ERR, K8SMIG__C_PORT_NAME, "port",
				     "port name \"%s\" names no port of this container", pn);
		}
		if (i == 0)
			k8smig__venum_str(ctx, h, "scheme", (const char *const[]){ "HTTP", "HTTPS", NULL });
		k8smig__vpop(ctx, q);
	}
	probe_int(ctx, probe, "initialDelaySeconds", 0);
	probe_int(ctx, probe, "periodSeconds", 1);
	probe_int(ctx, probe, "timeoutSeconds", 1);
	probe_int(ctx, probe, "successThreshold", 1);
	probe_int(ctx, probe, "failureThreshold", 1);
	probe_int(ctx, probe, "terminationGracePeriodSeconds", 1);
	if (strcmp(which, "readinessProbe") != 0 && k8smig__vopt_int(ctx, probe, "successThreshold", &n) == 1 && n > 1)
		FIND(ctx, ERR, K8SMIG__C_PROBE_BOUNDS, "successThreshold", "must be 1 for a %s, not %" PRId64, which, n);
	k8smig__vpop(ctx, p);
}

/* ---- containers and pod specs ---------------------------------------------------------- */

static bool volume_declared(cv *volumes, const char *name)
{
	cv *v;
	for (v = k8smig_value_first(volumes); v; v = k8smig_value_next(v)) {
		const char *n = k8smig__vstr(v, "name");
		if (n && strcmp(n, name) == 0)
			return true;
	}
	return false;
}

static void check_env(k8smig__vctx *ctx, cv *c)
{
	static const char *const sources[] = { "configMapKeyRef", "secretKeyRef", "fieldRef", "resourceFieldRef", NULL };
	cv *env = k8smig__vwant(ctx, c, "env", K8SMIG_TYPE_LIST), *e;
	size_t p, i = 0;
	if (env) {
		p = k8smig__vpush(ctx, "env");
		for (e = k8smig_value_first(env); e; e = k8smig_value_next(e), i++) {
			size_t q = k8smig__vpush_index(ctx, i), ns = 0, j;
			const char *name = k8smig__vreq_str(ctx, e, "name"), *why;
			cv *vf = k8smig__vwant(ctx, e, "valueFrom", K8SMIG_TYPE_MAP);
			if (name && (why = k8smig__env_var_name(name)))
				FIND(ctx, ERR, K8SMIG__C_NAME_INVALID, "name", "\"%s\" is not a valid variable name: %s", name, why);
			k8smig__vopt_str(ctx, e, "value");
			if (vf) {
				size_t r = k8smig__vpush(ctx, "valueFrom");
				if (k8smig__vget(e, "value"))
					FIND(ctx, ERR, K8SMIG__C_VALUE, NULL, "may not be set together with value");
				for (j = 0; sources[j]; j++)
					if (k8smig__vget(vf, sources[j]))
						ns++;
				if (ns != 1)
					FIND(ctx, ERR, ns ? K8SMIG__C_VALUE : K8SMIG__C_REQUIRED, NULL,
					     "must set exactly one of configMapKeyRef, secretKeyRef, fieldRef, resourceFieldRef");
				for (j = 0; j < 2; j++) {
					cv *ref = k8smig__vwant(ctx, vf, sources[j], K8SMIG_TYPE_MAP);
					const char *key;
					size_t s;
					if (!ref)
						continue;
					s = k8smig__vpush(ctx, sources[j]);
					k8smig__vreq_str(ctx, ref, "name");
					if ((key = k8smig__vreq_str(ctx, ref, "key")) && (why = k8smig__config_key(key)))
						FIND(ctx, ERR, K8SMIG__C_KEY_INVALID, "key", "\"%s\" is not a valid key: %s", key, why);
					k8smig__vpop(ctx, s);
				}
				if (k8smig__vget(vf, "fieldRef")) {
					size_t s = k8smig__vpush(ctx, "fieldRef");
					k8smig__vreq_str(ctx, k8smig__vwant(ctx, vf, "fieldRef", K8SMIG_TYPE_MAP), "fieldPath");
					k8smig__vpop(ctx, s);
				}
				k8smig__vpop(ctx, r);
			}
			k8smig__vpop(ctx, q);
		}
		k8smig__vpop(ctx, p);
	}
	env = k8smig__vwant(ctx, c, "envFrom", K8SMIG_TYPE_LIST);
	if (!env)
		return;
	p = k8smig__vpush(ctx, "envFrom");
	for (i = 0, e = k8smig_value_first(env); e; e = k8smig_value_next(e), i++) {
		size_t q = k8smig__vpush_index(ctx, i);
		cv *cm = k8smig__vwant(ctx, e, "configMapRef", K8SMIG_TYPE_MAP), *sr = k8smig__vwant(ctx, e, "secretRef", K8SMIG_TYPE_MAP);
		if (!!cm + !!sr != 1)
			FIND(ctx, ERR, cm ? K8SMIG__C_VALUE : K8SMIG__C_REQUIRED, NULL,
			     "must set exactly one of configMapRef, secretRef");
		k8smig__vreq_str_in(ctx, cm, "configMapRef", "name");
		k8smig__vreq_str_in(ctx, sr, "secretRef", "name");
		k8smig__vpop(ctx, q);
	}
	k8smig__vpop(ctx, p);
}

static void check_container(k8smig__vctx *ctx, cv *c, cv *volumes, bool init)
{
	cv *ports, *mounts, *e;
	const char *name;
	size_t p, i;

	if (k8smig_value_type(c) != K8SMIG_TYPE_MAP) {
		FIND(ctx, ERR, K8SMIG__C_TYPE, NULL, "must be a map, not %s", k8smig__vtype_name(c));
		return;
	}
	if ((name = k8smig__vreq_str(ctx, c, "name")))
		k8smig__vname_field(ctx, c, "name", k8smig__dns1123_label, "container name (DNS-1123 label)");
	k8smig__vreq_str(ctx, c, "image");
	k8smig__venum_str(ctx, c, "imagePullPolicy", (const char *const[]){ "Always", "IfNotPresent", "Never", NULL });
	if ((ports = k8smig__vwant(ctx, c, "ports", K8SMIG_TYPE_LIST))) {
		p = k8smig__vpush(ctx, "ports");
		for (i = 0, e = k8smig_value_first(ports); e; e = k8smig_value_next(e), i++) {
			size_t q = k8smig__vpush_index(ctx, i);
			const char *pn = k8smig__vopt_str(ctx, e, "name"), *why;
			int64_t hp;
			k8smig__vport_number(ctx, e, "containerPort", true);
			if (k8smig__vopt_int(ctx, e, "hostPort", &hp) == 1 && hp != 0 && (hp < 1 || hp > 65535))
				FIND(ctx, ERR, K8SMIG__C_PORT_RANGE, "hostPort", "port %" PRId64 " is out of range 1-65535", hp);
			if (pn && (why = k8smig__iana_svc_name(pn)))
				FIND(ctx, ERR, K8SMIG__C_PORT_NAME, "name", "port name \"%s\" is invalid: %s", pn, why);
			k8smig__venum_str(ctx, e, "protocol", k8smig__vprotocols);
			k8smig__vpop(ctx, q);
		}
		k8smig__vpop(ctx, p);
	}
	check_env(ctx, c);
	check_resources(ctx, c);
	if ((mounts = k8smig__vwant(ctx, c, "volumeMounts", K8SMIG_TYPE_LIST))) {
		p = k8smig__vpush(ctx, "volumeMounts");
		for (i = 0, e = k8smig_value_first(mounts); e; e = k8smig_value_next(e), i++) {
			size_t q = k8smig__vpush_index(ctx, i);
			const char *vn = k8smig__vreq_str(ctx, e, "name");
			const char *mp = k8smig__vreq_str(ctx, e, "mountPath");
			if (vn && !volume_declared(volumes, vn))
				FIND(ctx, ERR, K8SMIG__C_VOLUME_MOUNT, "name", "volume \"%s\" is not declared in the pod's volumes", vn);
			if (mp && mp[0] != '/')
				FIND(ctx, WARN, K8SMIG__C_VALUE, "mountPath", "should be an absolute path");
			k8smig__vpop(ctx, q);
		}
		k8smig__vpop(ctx, p);
	}
	if (!init) {
		check_probe(ctx, c, "livenessProbe");
		check_probe(ctx, c, "readinessProbe");
		check_probe(ctx, c, "startupProbe");
	}
}

static void check_volumes(k8smig__vctx *ctx, cv *volumes)
{
	cv *v, *w;
	size_t p, i;
	if (!volumes)
		return;
	p = k8smig__vpush(ctx, "volumes");
	for (i = 0, v = k8smig_value_first(volumes); v; v = k8smig_value_next(v), i++) {
		size_t q = k8smig__vpush_index(ctx, i);
		const char *name = k8smig__vreq_str(ctx, v, "name");
		if (name) {
			k8smig__vname_field(ctx, v, "name", k8smig__dns1123_label, "volume name (DNS-1123 label)");
			for (w = k8smig_value_first(volumes); w != v; w = k8smig_value_next(w)) {
				const char *o = k8smig__vstr(w, "name");
				if (o && strcmp(o, name) == 0) {
					FIND(ctx, ERR, K8SMIG__C_VALUE, "name", "duplicate volume name \"%s\"", name);
					break;
				}
			}
		}
		k8smig__vsub_str(ctx, v, "persistentVolumeClaim", false, "claimName");
		k8smig__vsub_str(ctx, v, "configMap", false, "name");
		k8smig__vsub_str(ctx, v, "secret", false, "secretName");
		k8smig__vpop(ctx, q);
	}
	k8smig__vpop(ctx, p);
}

/* spec of a Pod or of a pod template; ctx path is at the spec */
void k8smig__vcheck_pod_spec(k8smig__vctx *ctx, cv *spec)
{
	static const char *const lists[] = { "initContainers", "containers" };
	cv *volumes = k8smig__vwant(ctx, spec, "volumes", K8SMIG_TYPE_LIST);
	int64_t n;
	size_t li;

	check_volumes(ctx, volumes);
	k8smig__vreq(ctx, spec, "containers", K8SMIG_TYPE_LIST);
	for (li = 0; li < 2; li++) {
		cv *list = k8smig__vwant(ctx, spec, lists[li], K8SMIG_TYPE_LIST), *c;
		size_t p, i;
		if (!list)
			continue;
		p = k8smig__vpush(ctx, lists[li]);
		for (i = 0, c = k8smig_value_first(list); c; c = k8smig_value_next(c), i++) {
			size_t q = k8smig__vpush_index(ctx, i), lj;
			const char *name = k8smig__vstr(c, "name");
			bool dup = false;
			check_container(ctx, c, volumes, li == 0);
			/* container names are unique across initContainers and containers */
			for (lj = 0; name && lj <= li && !dup; lj++) {
				cv *d;
				for (d = k8smig_value_first(k8smig__vget(spec, lists[lj])); d && d != c; d = k8smig_value_next(d)) {
					const char *o = k8smig__vstr(d, "name");
					if (o && strcmp(o, name) == 0) {
						dup = true;
						break;
					}
				}
			}
			if (dup)
				FIND(ctx, ERR, K8SMIG__C_CONTAINER_DUPLICATE, "name",
				     "container name \"%s\" is used more than once in this pod", name);
			k8smig__vpop(ctx, q);
		}
		k8smig__vpop(ctx, p);
	}
	k8smig__vcheck_label_map(ctx, spec, "nodeSelector");
	k8smig__vname_field(ctx, spec, "serviceAccountName", k8smig__dns1123_subdomain, "ServiceAccount name");
	if (k8smig__vopt_int(ctx, spec, "terminationGracePeriodSeconds", &n) == 1 && n < 0)
		FIND(ctx, ERR, K8SMIG__C_VALUE, "terminationGracePeriodSeconds", "must not be negative");
	k8smig__venum_str(ctx, spec, "restartPolicy", (const char *const[]){ "Always", "OnFailure", "Never", NULL });
}
