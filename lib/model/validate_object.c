/*
 * lib/model/validate_object.c - rules for one object alone: required fields per
 * kind, names, labels, annotations, ports, probes, quantities, HPA ranges.
 *
 * Paths are built while walking (k8smig__vpush ... k8smig__vpop), so every
 * finding carries the Kubernetes field path of what it is about. Messages
 * never quote values of ConfigMaps or Secrets.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "k8smig/quantity.h"
#include "validate.h"

#define ERR K8SMIG_SEVERITY_ERROR
#define WARN K8SMIG_SEVERITY_WARNING
#define FIND k8smig__vfind

typedef const k8smig_value cv;

static const char *type_name(cv *v)
{
	switch (k8smig_value_type(v)) {
	case K8SMIG_TYPE_NULL: return "null";
	case K8SMIG_TYPE_BOOL: return "a boolean";
	case K8SMIG_TYPE_INT: return "an integer";
	case K8SMIG_TYPE_DOUBLE: return "a number";
	case K8SMIG_TYPE_STRING: return "a string";
	case K8SMIG_TYPE_MAP: return "a map";
	case K8SMIG_TYPE_LIST: return "a list";
	}
	return "?";
}

/* ---- typed access with findings ------------------------------------------------ */

/* Present and of type t (a finding when present with another type). */
static cv *want(k8smig__vctx *ctx, cv *v, const char *key, k8smig_type t)
{
	static const char *const names[] = { "null", "a boolean", "an integer", "a number", "a string", "a map", "a list" };
	cv *c = k8smig__vget(v, key);
	if (!c)
		return NULL;
	if (k8smig_value_type(c) != t) {
		if (k8smig_value_type(c) == K8SMIG_TYPE_NULL)
			return NULL; /* explicit null reads as unset, like the API server */
		FIND(ctx, ERR, K8SMIG__C_TYPE, key, "must be %s, not %s", names[t], type_name(c));
		return NULL;
	}
	return c;
}

static cv *req(k8smig__vctx *ctx, cv *v, const char *key, k8smig_type t)
{
	cv *c = k8smig__vget(v, key);
	if (!c || k8smig_value_type(c) == K8SMIG_TYPE_NULL) {
		FIND(ctx, ERR, K8SMIG__C_REQUIRED, key, "is required");
		return NULL;
	}
	c = want(ctx, v, key, t);
	if (c && ((t == K8SMIG_TYPE_STRING && k8smig_value_strlen(c) == 0) ||
	          (t == K8SMIG_TYPE_LIST && k8smig_value_size(c) == 0))) {
		FIND(ctx, ERR, K8SMIG__C_REQUIRED, key, "is required and must not be empty");
		return NULL;
	}
	return c;
}

static const char *req_str(k8smig__vctx *ctx, cv *v, const char *key)
{
	return k8smig_value_str(req(ctx, v, key, K8SMIG_TYPE_STRING));
}

static const char *opt_str(k8smig__vctx *ctx, cv *v, const char *key)
{
	return k8smig_value_str(want(ctx, v, key, K8SMIG_TYPE_STRING));
}

/* 1 and *out when an integer is present, 0 when absent, -1 for another type (finding added). */
static int opt_int(k8smig__vctx *ctx, cv *v, const char *key, int64_t *out)
{
	cv *c = k8smig__vget(v, key);
	if (!c || k8smig_value_type(c) == K8SMIG_TYPE_NULL)
		return 0;
	if (k8smig_value_type(c) != K8SMIG_TYPE_INT) {
		FIND(ctx, ERR, K8SMIG__C_TYPE, key, "must be an integer, not %s", type_name(c));
		return -1;
	}
	*out = k8smig_value_int(c);
	return 1;
}

static bool one_of(const char *s, const char *const *allowed)
{
	for (; *allowed; allowed++)
		if (strcmp(s, *allowed) == 0)
			return true;
	return false;
}

static void enum_str(k8smig__vctx *ctx, cv *v, const char *key, const char *const *allowed)
{
	const char *s = opt_str(ctx, v, key);
	char list[256] = "";
	const char *const *a;
	if (!s || one_of(s, allowed))
		return;
	for (a = allowed; *a; a++) {
		if (a != allowed)
			strncat(list, ", ", sizeof(list) - strlen(list) - 1);
		strncat(list, *a, sizeof(list) - strlen(list) - 1);
	}
	FIND(ctx, ERR, K8SMIG__C_VALUE, key, "unsupported value \"%s\": must be one of %s", s, list);
}

static void name_field(k8smig__vctx *ctx, cv *v, const char *key, const char *(*rule)(const char *),
                       const char *rule_name)
{
	const char *s = opt_str(ctx, v, key);
	const char *why;
	if (s && (why = rule(s)))
		FIND(ctx, ERR, K8SMIG__C_NAME_INVALID, key, "\"%s\" is not a valid %s: %s", s, rule_name, why);
}

/* ---- metadata --------------------------------------------------------------------- */

/* Labels (or a selector's matchLabels, or a nodeSelector) at v[key]. */
static void check_label_map(k8smig__vctx *ctx, cv *v, const char *key)
{
	cv *m = want(ctx, v, key, K8SMIG_TYPE_MAP), *e;
	size_t p;
	if (!m)
		return;
	p = k8smig__vpush(ctx, key);
	for (e = k8smig_value_first(m); e; e = k8smig_value_next(e)) {
		const char *k = k8smig_value_key(e), *why;
		size_t q = k8smig__vpush_key(ctx, k);
		if ((why = k8smig__label_key(k)))
			FIND(ctx, ERR, K8SMIG__C_LABEL_KEY, NULL, "key \"%s\" is invalid: %s", k, why);
		if (k8smig_value_type(e) != K8SMIG_TYPE_STRING)
			FIND(ctx, ERR, K8SMIG__C_TYPE, NULL, "must be a string, not %s (quote it)", type_name(e));
		else if ((why = k8smig__label_value(k8smig_value_str(e))))
			FIND(ctx, ERR, K8SMIG__C_LABEL_VALUE, NULL, "value \"%s\" is invalid: %s", k8smig_value_str(e), why);
		k8smig__vpop(ctx, q);
	}
	k8smig__vpop(ctx, p);
}

#define ANNOTATIONS_MAX (256u * 1024u)

static void check_annotations(k8smig__vctx *ctx, cv *meta)
{
	cv *m = want(ctx, meta, "annotations", K8SMIG_TYPE_MAP), *e;
	size_t total = 0, p;
	if (!m)
		return;
	p = k8smig__vpush(ctx, "annotations");
	for (e = k8smig_value_first(m); e; e = k8smig_value_next(e)) {
		const char *k = k8smig_value_key(e), *why;
		size_t q = k8smig__vpush_key(ctx, k);
		total += strlen(k);
		if ((why = k8smig__label_key(k)))
			FIND(ctx, ERR, K8SMIG__C_ANNOTATION_KEY, NULL, "key \"%s\" is invalid: %s", k, why);
		if (k8smig_value_type(e) != K8SMIG_TYPE_STRING)
			FIND(ctx, ERR, K8SMIG__C_TYPE, NULL, "must be a string, not %s (quote it)", type_name(e));
		else
			total += k8smig_value_strlen(e);
		k8smig__vpop(ctx, q);
	}
	if (total > ANNOTATIONS_MAX)
		FIND(ctx, ERR, K8SMIG__C_ANNOTATIONS_SIZE, NULL,
		     "annotations total %zu bytes; the limit is %u bytes (256 KiB)", total, ANNOTATIONS_MAX);
	k8smig__vpop(ctx, p);
}

/* metadata of the object or of a pod template */
static void check_metadata_maps(k8smig__vctx *ctx, cv *meta)
{
	check_label_map(ctx, meta, "labels");
	check_annotations(ctx, meta);
}

/* ---- apiVersion per kind ----------------------------------------------------------- */

static void check_api_version(k8smig__vctx *ctx, const char *av)
{
	const k8smig__kind_info *k = k8smig__kind_find(ctx->kind);
	const char *v;
	size_t n;

	if (!k || !k->versions)
		return;
	v = k->versions;
	n = strlen(v);
	if (v[n - 1] == '/') {
		if (strncmp(av, v, n) != 0 || !av[n])
			FIND(ctx, ERR, K8SMIG__C_API_VERSION, "apiVersion",
			     "%s belongs to API group %.*s, not \"%s\"", ctx->kind, (int)(n - 1), v, av);
		return;
	}
	while (*v) {
		const char *sp = strchr(v, ' ');
		size_t len = sp ? (size_t)(sp - v) : strlen(v);
		if (strlen(av) == len && strncmp(av, v, len) == 0)
			return;
		v += len + (sp ? 1 : 0);
	}
	FIND(ctx, ERR, K8SMIG__C_API_VERSION, "apiVersion",
	     "%s is not served as \"%s\" by Kubernetes 1.24 and later; use %s", ctx->kind, av, k->versions);
}

/* ---- quantities ---------------------------------------------------------------------- */

/* sign of a quantity: -1, 0 or 1 (through the quantity API only) */
static int qsign(const k8smig_quantity *q)
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
	return text && k8smig_quantity_parse(q, text) == 0 && qsign(q) >= 0;
}

/* Parse the quantity at v (string or number). 1 when valid, 0 otherwise (finding added). */
static int quantity_at(k8smig__vctx *ctx, cv *v, const char *leaf, k8smig_quantity *q)
{
	char tmp[64];
	const char *text = quantity_text(v, tmp);
	if (!text) {
		FIND(ctx, ERR, K8SMIG__C_QUANTITY, leaf, "must be a quantity (string or number), not %s", type_name(v));
		return 0;
	}
	if (k8smig_quantity_parse(q, text) < 0) {
		FIND(ctx, ERR, K8SMIG__C_QUANTITY, leaf, "\"%s\" is not a valid quantity (e.g. 500m, 0.5, 512Mi, 1Gi)",
		     text);
		return 0;
	}
	if (qsign(q) < 0) {
		FIND(ctx, ERR, K8SMIG__C_QUANTITY, leaf, "\"%s\" must not be negative", text);
		return 0;
	}
	return 1;
}

static void check_resources(k8smig__vctx *ctx, cv *c)
{
	cv *res = want(ctx, c, "resources", K8SMIG_TYPE_MAP), *req_m, *lim_m, *e;
	size_t p;
	if (!res)
		return;
	p = k8smig__vpush(ctx, "resources");
	req_m = want(ctx, res, "requests", K8SMIG_TYPE_MAP);
	lim_m = want(ctx, res, "limits", K8SMIG_TYPE_MAP);
	for (e = k8smig_value_first(lim_m); e; e = k8smig_value_next(e)) {
		k8smig_quantity q;
		size_t q1 = k8smig__vpush(ctx, "limits");
		k8smig__vpush_key(ctx, k8smig_value_key(e));
		quantity_at(ctx, e, NULL, &q);
		k8smig__vpop(ctx, q1);
	}
	for (e = k8smig_value_first(req_m); e; e = k8smig_value_next(e)) {
		k8smig_quantity rq, lq;
		cv *lim = k8smig__vget(lim_m, k8smig_value_key(e));
		size_t q1 = k8smig__vpush(ctx, "requests");
		k8smig__vpush_key(ctx, k8smig_value_key(e));
		/* a bad limit was reported above: compare only valid pairs */
		if (quantity_at(ctx, e, NULL, &rq) && lim && quantity_silent(lim, &lq) &&
		    k8smig_quantity_cmp(&rq, &lq) > 0)
			FIND(ctx, ERR, K8SMIG__C_REQUESTS_ABOVE_LIMITS, NULL,
			     "request for %s is above its limit (resources.limits[%s])", k8smig_value_key(e),
			     k8smig_value_key(e));
		k8smig__vpop(ctx, q1);
	}
	k8smig__vpop(ctx, p);
}

/* ---- ports and probes ---------------------------------------------------------------- */

static const char *const protocols[] = { "TCP", "UDP", "SCTP", NULL };

/* A port number field that must hold 1-65535; returns the number or 0. */
static int64_t port_number(k8smig__vctx *ctx, cv *v, const char *key, bool required)
{
	int64_t n = 0;
	int rc = opt_int(ctx, v, key, &n);
	if (rc == 0 && required)
		FIND(ctx, ERR, K8SMIG__C_REQUIRED, key, "is required");
	if (rc == 1 && (n < 1 || n > 65535)) {
		FIND(ctx, ERR, K8SMIG__C_PORT_RANGE, key, "port %" PRId64 " is out of range 1-65535", n);
		return 0;
	}
	return rc == 1 ? n : 0;
}

/* An int-or-string port (targetPort, probe port): a number 1-65535 or an IANA service name. */
static void port_int_or_name(k8smig__vctx *ctx, cv *v, const char *key, bool required)
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
		FIND(ctx, ERR, K8SMIG__C_TYPE, key, "must be a port number or name, not %s", type_name(c));
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
	if (opt_int(ctx, probe, key, &n) != 1)
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
	cv *probe = want(ctx, container, which, K8SMIG_TYPE_MAP), *h;
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
		if (!(h = want(ctx, probe, porty[i], K8SMIG_TYPE_MAP)))
			continue;
		q = k8smig__vpush(ctx, porty[i]);
		if (i == 2)
			port_number(ctx, h, "port", true);
		else {
			const char *pn = k8smig__vstr(h, "port");
			port_int_or_name(ctx, h, "port", true);
			if (pn && !k8smig__iana_svc_name(pn) && !container_has_port_name(container, pn))
				FIND(ctx, ERR, K8SMIG__C_PORT_NAME, "port",
				     "port name \"%s\" names no port of this container", pn);
		}
		if (i == 0)
			enum_str(ctx, h, "scheme", (const char *const[]){ "HTTP", "HTTPS", NULL });
		k8smig__vpop(ctx, q);
	}
	probe_int(ctx, probe, "initialDelaySeconds", 0);
	probe_int(ctx, probe, "periodSeconds", 1);
	probe_int(ctx, probe, "timeoutSeconds", 1);
	probe_int(ctx, probe, "successThreshold", 1);
	probe_int(ctx, probe, "failureThreshold", 1);
	probe_int(ctx, probe, "terminationGracePeriodSeconds", 1);
	if (strcmp(which, "readinessProbe") != 0 && opt_int(ctx, probe, "successThreshold", &n) == 1 && n > 1)
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
	cv *env = want(ctx, c, "env", K8SMIG_TYPE_LIST), *e;
	size_t p, i = 0;
	if (env) {
		p = k8smig__vpush(ctx, "env");
		for (e = k8smig_value_first(env); e; e = k8smig_value_next(e), i++) {
			size_t q = k8smig__vpush_index(ctx, i), ns = 0, j;
			const char *name = req_str(ctx, e, "name"), *why;
			cv *vf = want(ctx, e, "valueFrom", K8SMIG_TYPE_MAP);
			if (name && (why = k8smig__env_var_name(name)))
				FIND(ctx, ERR, K8SMIG__C_NAME_INVALID, "name", "\"%s\" is not a valid variable name: %s", name, why);
			opt_str(ctx, e, "value");
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
					cv *ref = want(ctx, vf, sources[j], K8SMIG_TYPE_MAP);
					const char *key;
					size_t s;
					if (!ref)
						continue;
					s = k8smig__vpush(ctx, sources[j]);
					req_str(ctx, ref, "name");
					if ((key = req_str(ctx, ref, "key")) && (why = k8smig__config_key(key)))
						FIND(ctx, ERR, K8SMIG__C_KEY_INVALID, "key", "\"%s\" is not a valid key: %s", key, why);
					k8smig__vpop(ctx, s);
				}
				if (k8smig__vget(vf, "fieldRef")) {
					size_t s = k8smig__vpush(ctx, "fieldRef");
					req_str(ctx, want(ctx, vf, "fieldRef", K8SMIG_TYPE_MAP), "fieldPath");
					k8smig__vpop(ctx, s);
				}
				k8smig__vpop(ctx, r);
			}
			k8smig__vpop(ctx, q);
		}
		k8smig__vpop(ctx, p);
	}
	env = want(ctx, c, "envFrom", K8SMIG_TYPE_LIST);
	if (!env)
		return;
	p = k8smig__vpush(ctx, "envFrom");
	for (i = 0, e = k8smig_value_first(env); e; e = k8smig_value_next(e), i++) {
		size_t q = k8smig__vpush_index(ctx, i);
		cv *cm = want(ctx, e, "configMapRef", K8SMIG_TYPE_MAP), *sr = want(ctx, e, "secretRef", K8SMIG_TYPE_MAP);
		if (!!cm + !!sr != 1)
			FIND(ctx, ERR, cm ? K8SMIG__C_VALUE : K8SMIG__C_REQUIRED, NULL,
			     "must set exactly one of configMapRef, secretRef");
		if (cm) {
			size_t s = k8smig__vpush(ctx, "configMapRef");
			req_str(ctx, cm, "name");
			k8smig__vpop(ctx, s);
		}
		if (sr) {
			size_t s = k8smig__vpush(ctx, "secretRef");
			req_str(ctx, sr, "name");
			k8smig__vpop(ctx, s);
		}
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
		FIND(ctx, ERR, K8SMIG__C_TYPE, NULL, "must be a map, not %s", type_name(c));
		return;
	}
	if ((name = req_str(ctx, c, "name")))
		name_field(ctx, c, "name", k8smig__dns1123_label, "container name (DNS-1123 label)");
	req_str(ctx, c, "image");
	enum_str(ctx, c, "imagePullPolicy", (const char *const[]){ "Always", "IfNotPresent", "Never", NULL });
	if ((ports = want(ctx, c, "ports", K8SMIG_TYPE_LIST))) {
		p = k8smig__vpush(ctx, "ports");
		for (i = 0, e = k8smig_value_first(ports); e; e = k8smig_value_next(e), i++) {
			size_t q = k8smig__vpush_index(ctx, i);
			const char *pn = opt_str(ctx, e, "name"), *why;
			int64_t hp;
			port_number(ctx, e, "containerPort", true);
			if (opt_int(ctx, e, "hostPort", &hp) == 1 && hp != 0 && (hp < 1 || hp > 65535))
				FIND(ctx, ERR, K8SMIG__C_PORT_RANGE, "hostPort", "port %" PRId64 " is out of range 1-65535", hp);
			if (pn && (why = k8smig__iana_svc_name(pn)))
				FIND(ctx, ERR, K8SMIG__C_PORT_NAME, "name", "port name \"%s\" is invalid: %s", pn, why);
			enum_str(ctx, e, "protocol", protocols);
			k8smig__vpop(ctx, q);
		}
		k8smig__vpop(ctx, p);
	}
	check_env(ctx, c);
	check_resources(ctx, c);
	if ((mounts = want(ctx, c, "volumeMounts", K8SMIG_TYPE_LIST))) {
		p = k8smig__vpush(ctx, "volumeMounts");
		for (i = 0, e = k8smig_value_first(mounts); e; e = k8smig_value_next(e), i++) {
			size_t q = k8smig__vpush_index(ctx, i);
			const char *vn = req_str(ctx, e, "name");
			const char *mp = req_str(ctx, e, "mountPath");
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
		const char *name = req_str(ctx, v, "name");
		cv *src;
		if (name) {
			name_field(ctx, v, "name", k8smig__dns1123_label, "volume name (DNS-1123 label)");
			for (w = k8smig_value_first(volumes); w != v; w = k8smig_value_next(w)) {
				const char *o = k8smig__vstr(w, "name");
				if (o && strcmp(o, name) == 0) {
					FIND(ctx, ERR, K8SMIG__C_VALUE, "name", "duplicate volume name \"%s\"", name);
					break;
				}
			}
		}
		if ((src = want(ctx, v, "persistentVolumeClaim", K8SMIG_TYPE_MAP))) {
			size_t s = k8smig__vpush(ctx, "persistentVolumeClaim");
			req_str(ctx, src, "claimName");
			k8smig__vpop(ctx, s);
		}
		if ((src = want(ctx, v, "configMap", K8SMIG_TYPE_MAP))) {
			size_t s = k8smig__vpush(ctx, "configMap");
			req_str(ctx, src, "name");
			k8smig__vpop(ctx, s);
		}
		if ((src = want(ctx, v, "secret", K8SMIG_TYPE_MAP))) {
			size_t s = k8smig__vpush(ctx, "secret");
			req_str(ctx, src, "secretName");
			k8smig__vpop(ctx, s);
		}
		k8smig__vpop(ctx, q);
	}
	k8smig__vpop(ctx, p);
}

/* spec of a Pod or of a pod template; ctx path is at the spec */
static void check_pod_spec(k8smig__vctx *ctx, cv *spec)
{
	static const char *const lists[] = { "initContainers", "containers" };
	cv *volumes = want(ctx, spec, "volumes", K8SMIG_TYPE_LIST);
	int64_t n;
	size_t li;

	check_volumes(ctx, volumes);
	req(ctx, spec, "containers", K8SMIG_TYPE_LIST);
	for (li = 0; li < 2; li++) {
		cv *list = want(ctx, spec, lists[li], K8SMIG_TYPE_LIST), *c;
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
	check_label_map(ctx, spec, "nodeSelector");
	name_field(ctx, spec, "serviceAccountName", k8smig__dns1123_subdomain, "ServiceAccount name");
	if (opt_int(ctx, spec, "terminationGracePeriodSeconds", &n) == 1 && n < 0)
		FIND(ctx, ERR, K8SMIG__C_VALUE, "terminationGracePeriodSeconds", "must not be negative");
	enum_str(ctx, spec, "restartPolicy", (const char *const[]){ "Always", "OnFailure", "Never", NULL });
}

/* ---- selectors ------------------------------------------------------------------------ */

static bool expr_matches(cv *expr, cv *labels)
{
	const char *key = k8smig__vstr(expr, "key"), *op = k8smig__vstr(expr, "operator");
	const char *have;
	if (!key || !op)
		return false;
	have = k8smig__vstr(labels, key);
	if (strcmp(op, "In") == 0)
		return have && k8smig__vlist_has(k8smig__vget(expr, "values"), have);
	if (strcmp(op, "NotIn") == 0)
		return !have || !k8smig__vlist_has(k8smig__vget(expr, "values"), have);
	if (strcmp(op, "Exists") == 0)
		return have != NULL;
	if (strcmp(op, "DoesNotExist") == 0)
		return have == NULL;
	return false;
}

/* A LabelSelector at v[key] (matchLabels + matchExpressions). */
static cv *check_label_selector(k8smig__vctx *ctx, cv *v, const char *key, bool required)
{
	cv *sel = required ? req(ctx, v, key, K8SMIG_TYPE_MAP) : want(ctx, v, key, K8SMIG_TYPE_MAP), *exprs, *e;
	size_t p, i;
	if (!sel)
		return NULL;
	p = k8smig__vpush(ctx, key);
	check_label_map(ctx, sel, "matchLabels");
	exprs = want(ctx, sel, "matchExpressions", K8SMIG_TYPE_LIST);
	if (required && k8smig_value_size(k8smig__vget(sel, "matchLabels")) == 0 && k8smig_value_size(exprs) == 0)
		FIND(ctx, ERR, K8SMIG__C_REQUIRED, "matchLabels", "selector must not be empty");
	if (exprs) {
		size_t q = k8smig__vpush(ctx, "matchExpressions");
		for (i = 0, e = k8smig_value_first(exprs); e; e = k8smig_value_next(e), i++) {
			size_t r = k8smig__vpush_index(ctx, i);
			const char *op;
			req_str(ctx, e, "key");
			if ((op = req_str(ctx, e, "operator"))) {
				size_t nv = k8smig_value_size(k8smig__vget(e, "values"));
				enum_str(ctx, e, "operator", (const char *const[]){ "In", "NotIn", "Exists", "DoesNotExist", NULL });
				if ((strcmp(op, "In") == 0 || strcmp(op, "NotIn") == 0) && nv == 0)
					FIND(ctx, ERR, K8SMIG__C_REQUIRED, "values", "must not be empty for operator %s", op);
				if ((strcmp(op, "Exists") == 0 || strcmp(op, "DoesNotExist") == 0) && nv)
					FIND(ctx, ERR, K8SMIG__C_VALUE, "values", "must be empty for operator %s", op);
			}
			k8smig__vpop(ctx, r);
		}
		k8smig__vpop(ctx, q);
	}
	k8smig__vpop(ctx, p);
	return sel;
}

static bool selector_matches(cv *sel, cv *labels)
{
	cv *ml = k8smig__vget(sel, "matchLabels"), *e;
	for (e = k8smig_value_first(ml); e; e = k8smig_value_next(e)) {
		const char *want_v = k8smig_value_str(e), *have = k8smig__vstr(labels, k8smig_value_key(e));
		if (!want_v || !have || strcmp(want_v, have) != 0)
			return false;
	}
	for (e = k8smig_value_first(k8smig__vget(sel, "matchExpressions")); e; e = k8smig_value_next(e))
		if (!expr_matches(e, labels))
			return false;
	return true;
}

/* ---- kinds ------------------------------------------------------------------------------ */

static void check_workload(k8smig__vctx *ctx, cv *spec)
{
	cv *sel, *tmpl, *tmeta, *tspec;
	int64_t n;
	size_t p;
	bool is_daemonset = strcmp(ctx->kind, "DaemonSet") == 0;

	if (!is_daemonset && opt_int(ctx, spec, "replicas", &n) == 1 && n < 0)
		FIND(ctx, ERR, K8SMIG__C_VALUE, "replicas", "must not be negative");
	sel = check_label_selector(ctx, spec, "selector", strcmp(ctx->kind, "Job") != 0);
	tmpl = req(ctx, spec, "template", K8SMIG_TYPE_MAP);
	if (strcmp(ctx->kind, "Deployment") == 0)
		enum_str(ctx, want(ctx, spec, "strategy", K8SMIG_TYPE_MAP), "type",
		         (const char *const[]){ "RollingUpdate", "Recreate", NULL });
	if (!tmpl)
		return;
	p = k8smig__vpush(ctx, "template");
	tmeta = want(ctx, tmpl, "metadata", K8SMIG_TYPE_MAP);
	if (tmeta) {
		size_t q = k8smig__vpush(ctx, "metadata");
		check_metadata_maps(ctx, tmeta);
		k8smig__vpop(ctx, q);
	}
	if (sel && (k8smig_value_size(k8smig__vget(sel, "matchLabels")) ||
	            k8smig_value_size(k8smig__vget(sel, "matchExpressions"))) &&
	    !selector_matches(sel, k8smig__vget(tmeta, "labels")))
		FIND(ctx, ERR, K8SMIG__C_SELECTOR_TEMPLATE, "metadata.labels",
		     "spec.selector does not match the template's labels");
	if ((tspec = req(ctx, tmpl, "spec", K8SMIG_TYPE_MAP))) {
		size_t q = k8smig__vpush(ctx, "spec");
		check_pod_spec(ctx, tspec);
		k8smig__vpop(ctx, q);
	}
	k8smig__vpop(ctx, p);
}

static void check_cronjob(k8smig__vctx *ctx, cv *spec)
{
	cv *jt, *js;
	size_t p;
	req_str(ctx, spec, "schedule");
	if (!(jt = req(ctx, spec, "jobTemplate", K8SMIG_TYPE_MAP)))
		return;
	p = k8smig__vpush(ctx, "jobTemplate");
	if ((js = req(ctx, jt, "spec", K8SMIG_TYPE_MAP))) {
		size_t q = k8smig__vpush(ctx, "spec");
		const char *saved = ctx->kind;
		ctx->kind = "Job";
		check_workload(ctx, js);
		ctx->kind = saved;
		k8smig__vpop(ctx, q);
	}
	k8smig__vpop(ctx, p);
}

static void check_pdb(k8smig__vctx *ctx, cv *spec)
{
	static const char *const keys[] = { "minAvailable", "maxUnavailable" };
	size_t i, set = 0;
	check_label_selector(ctx, spec, "selector", false);
	for (i = 0; i < 2; i++) {
		cv *v = k8smig__vget(spec, keys[i]);
		if (!v)
			continue;
		set++;
		if (k8smig_value_type(v) == K8SMIG_TYPE_INT) {
			if (k8smig_value_int(v) < 0)
				FIND(ctx, ERR, K8SMIG__C_VALUE, keys[i], "must not be negative");
		} else if (k8smig_value_type(v) == K8SMIG_TYPE_STRING) {
			const char *s = k8smig_value_str(v);
			char *end;
			long pct = strtol(s, &end, 10);
			if (end == s || strcmp(end, "%") != 0 || pct < 0 || pct > 100)
				FIND(ctx, ERR, K8SMIG__C_VALUE, keys[i], "must be an integer or a percentage (0%%-100%%)");
		} else
			FIND(ctx, ERR, K8SMIG__C_TYPE, keys[i], "must be an integer or a percentage, not %s", type_name(v));
	}
	if (set == 2)
		FIND(ctx, ERR, K8SMIG__C_VALUE, "maxUnavailable", "minAvailable and maxUnavailable cannot both be set");
}

static void check_service(k8smig__vctx *ctx, cv *spec)
{
	static const char *const types[] = { "ClusterIP", "NodePort", "LoadBalancer", "ExternalName", NULL };
	const char *type = opt_str(ctx, spec, "type");
	const char *cip = k8smig__vstr(spec, "clusterIP");
	cv *ports, *e, *f;
	size_t p, i, n;

	enum_str(ctx, spec, "type", types);
	check_label_map(ctx, spec, "selector");
	if (type && strcmp(type, "ExternalName") == 0) {
		req_str(ctx, spec, "externalName");
		if (!k8smig__vget(spec, "ports"))
			return;
	}
	if (cip && strcmp(cip, "None") == 0)
		ports = want(ctx, spec, "ports", K8SMIG_TYPE_LIST);
	else
		ports = req(ctx, spec, "ports", K8SMIG_TYPE_LIST);
	if (!ports)
		return;
	n = k8smig_value_size(ports);
	p = k8smig__vpush(ctx, "ports");
	for (i = 0, e = k8smig_value_first(ports); e; e = k8smig_value_next(e), i++) {
		size_t q = k8smig__vpush_index(ctx, i);
		const char *name = opt_str(ctx, e, "name");
		int64_t np;
		port_number(ctx, e, "port", true);
		port_int_or_name(ctx, e, "targetPort", false);
		if (opt_int(ctx, e, "nodePort", &np) == 1 && (np < 1 || np > 65535))
			FIND(ctx, ERR, K8SMIG__C_PORT_RANGE, "nodePort", "port %" PRId64 " is out of range 1-65535", np);
		enum_str(ctx, e, "protocol", protocols);
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
	cv *svc = want(ctx, b, "service", K8SMIG_TYPE_MAP), *res = want(ctx, b, "resource", K8SMIG_TYPE_MAP), *port;
	size_t p;
	if (!!svc + !!res != 1) {
		FIND(ctx, ERR, svc ? K8SMIG__C_VALUE : K8SMIG__C_REQUIRED, NULL,
		     "must set exactly one of service, resource");
		return;
	}
	if (res) {
		p = k8smig__vpush(ctx, "resource");
		req_str(ctx, res, "kind");
		req_str(ctx, res, "name");
		k8smig__vpop(ctx, p);
		return;
	}
	p = k8smig__vpush(ctx, "service");
	if (req_str(ctx, svc, "name"))
		name_field(ctx, svc, "name", k8smig__dns1035_label, "Service name");
	if ((port = req(ctx, svc, "port", K8SMIG_TYPE_MAP))) {
		size_t q = k8smig__vpush(ctx, "port");
		bool has_num = k8smig__vget(port, "number") != NULL, has_name = k8smig__vget(port, "name") != NULL;
		if (has_num + has_name != 1)
			FIND(ctx, ERR, has_num ? K8SMIG__C_VALUE : K8SMIG__C_REQUIRED, NULL, "must set exactly one of number, name");
		port_number(ctx, port, "number", false);
		if (has_name) {
			const char *n = opt_str(ctx, port, "name"), *why;
			if (n && (why = k8smig__iana_svc_name(n)) && (why = k8smig__dns1123_label(n)))
				FIND(ctx, ERR, K8SMIG__C_PORT_NAME, "name", "port name \"%s\" is invalid: %s", n, why);
		}
		k8smig__vpop(ctx, q);
	}
	k8smig__vpop(ctx, p);
}

static void check_ingress(k8smig__vctx *ctx, cv *spec)
{
	static const char *const path_types[] = { "Exact", "Prefix", "ImplementationSpecific", NULL };
	cv *rules = want(ctx, spec, "rules", K8SMIG_TYPE_LIST), *db = want(ctx, spec, "defaultBackend", K8SMIG_TYPE_MAP);
	cv *r, *tls, *t;
	size_t p, i;

	name_field(ctx, spec, "ingressClassName", k8smig__dns1123_subdomain, "IngressClass name");
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
			const char *host = opt_str(ctx, r, "host");
			cv *http, *paths, *pe;
			if (host && *host && k8smig__dns1123_subdomain(host[0] == '*' && host[1] == '.' ? host + 2 : host))
				FIND(ctx, ERR, K8SMIG__C_VALUE, "host", "\"%s\" is not a valid host name", host);
			if ((http = req(ctx, r, "http", K8SMIG_TYPE_MAP))) {
				size_t s = k8smig__vpush(ctx, "http");
				paths = req(ctx, http, "paths", K8SMIG_TYPE_LIST);
				if (paths) {
					size_t s2 = k8smig__vpush(ctx, "paths");
					for (j = 0, pe = k8smig_value_first(paths); pe; pe = k8smig_value_next(pe), j++) {
						size_t s3 = k8smig__vpush_index(ctx, j);
						const char *pt = req_str(ctx, pe, "pathType");
						const char *path = opt_str(ctx, pe, "path");
						cv *b;
						enum_str(ctx, pe, "pathType", path_types);
						if (pt && strcmp(pt, "ImplementationSpecific") != 0 && (!path || path[0] != '/'))
							FIND(ctx, ERR, path ? K8SMIG__C_VALUE : K8SMIG__C_REQUIRED, "path",
							     "must be an absolute path for pathType %s", pt);
						if ((b = req(ctx, pe, "backend", K8SMIG_TYPE_MAP))) {
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
	if ((tls = want(ctx, spec, "tls", K8SMIG_TYPE_LIST))) {
		p = k8smig__vpush(ctx, "tls");
		for (i = 0, t = k8smig_value_first(tls); t; t = k8smig_value_next(t), i++) {
			size_t q = k8smig__vpush_index(ctx, i);
			name_field(ctx, t, "secretName", k8smig__dns1123_subdomain, "Secret name");
			want(ctx, t, "hosts", K8SMIG_TYPE_LIST);
			k8smig__vpop(ctx, q);
		}
		k8smig__vpop(ctx, p);
	}
}

static void check_hpa(k8smig__vctx *ctx, cv *spec)
{
	static const char *const metric_types[] = { "Resource", "Pods", "Object", "External", "ContainerResource", NULL };
	static const char *const target_types[] = { "Utilization", "AverageValue", "Value", NULL };
	cv *ref, *metrics, *m, *beh;
	int64_t mn = 1, mx = 0, n;
	int has_min, has_max;
	size_t p, i;

	if ((ref = req(ctx, spec, "scaleTargetRef", K8SMIG_TYPE_MAP))) {
		p = k8smig__vpush(ctx, "scaleTargetRef");
		req_str(ctx, ref, "kind");
		if (req_str(ctx, ref, "name"))
			name_field(ctx, ref, "name", k8smig__path_segment_name, "target name");
		k8smig__vpop(ctx, p);
	}
	has_max = opt_int(ctx, spec, "maxReplicas", &mx);
	has_min = opt_int(ctx, spec, "minReplicas", &mn);
	if (has_max == 0)
		FIND(ctx, ERR, K8SMIG__C_REQUIRED, "maxReplicas", "is required");
	else if (has_max == 1 && mx < 1)
		FIND(ctx, ERR, K8SMIG__C_HPA_RANGE, "maxReplicas", "must be at least 1, not %" PRId64, mx);
	if (has_min == 1 && mn < 1)
		FIND(ctx, ERR, K8SMIG__C_HPA_RANGE, "minReplicas", "must be at least 1, not %" PRId64, mn);
	else if (has_min == 1 && has_max == 1 && mx >= 1 && mn > mx)
		FIND(ctx, ERR, K8SMIG__C_HPA_RANGE, "minReplicas",
		     "minReplicas (%" PRId64 ") must not be greater than maxReplicas (%" PRId64 ")", mn, mx);
	if (opt_int(ctx, spec, "targetCPUUtilizationPercentage", &n) == 1 && n < 1)
		FIND(ctx, ERR, K8SMIG__C_HPA_RANGE, "targetCPUUtilizationPercentage", "must be greater than 0");
	if ((metrics = want(ctx, spec, "metrics", K8SMIG_TYPE_LIST))) {
		p = k8smig__vpush(ctx, "metrics");
		for (i = 0, m = k8smig_value_first(metrics); m; m = k8smig_value_next(m), i++) {
			size_t q = k8smig__vpush_index(ctx, i);
			const char *type = req_str(ctx, m, "type");
			enum_str(ctx, m, "type", metric_types);
			if (type && (strcmp(type, "Resource") == 0 || strcmp(type, "ContainerResource") == 0)) {
				const char *field = strcmp(type, "Resource") == 0 ? "resource" : "containerResource";
				cv *rs = req(ctx, m, field, K8SMIG_TYPE_MAP), *tg;
				if (rs) {
					size_t s = k8smig__vpush(ctx, field);
					req_str(ctx, rs, "name");
					if (field[0] == 'c')
						req_str(ctx, rs, "container");
					if ((tg = req(ctx, rs, "target", K8SMIG_TYPE_MAP))) {
						size_t s2 = k8smig__vpush(ctx, "target");
						const char *tt = req_str(ctx, tg, "type");
						enum_str(ctx, tg, "type", target_types);
						if (tt && strcmp(tt, "Utilization") == 0) {
							int rc = opt_int(ctx, tg, "averageUtilization", &n);
							if (rc == 0)
								FIND(ctx, ERR, K8SMIG__C_REQUIRED, "averageUtilization",
								     "is required for target type Utilization");
							else if (rc == 1 && n < 1)
								FIND(ctx, ERR, K8SMIG__C_HPA_RANGE, "averageUtilization",
								     "must be greater than 0, not %" PRId64, n);
						} else if (tt && strcmp(tt, "AverageValue") == 0) {
							k8smig_quantity qv;
							cv *av = k8smig__vget(tg, "averageValue");
							if (!av)
								FIND(ctx, ERR, K8SMIG__C_REQUIRED, "averageValue",
								     "is required for target type AverageValue");
							else if (quantity_at(ctx, av, "averageValue", &qv) && qsign(&qv) == 0)
								FIND(ctx, ERR, K8SMIG__C_HPA_RANGE, "averageValue", "must be greater than 0");
						}
						k8smig__vpop(ctx, s2);
					}
					k8smig__vpop(ctx, s);
				}
			}
			k8smig__vpop(ctx, q);
		}
		k8smig__vpop(ctx, p);
	}
	if ((beh = want(ctx, spec, "behavior", K8SMIG_TYPE_MAP))) {
		static const char *const dirs[] = { "scaleUp", "scaleDown" };
		p = k8smig__vpush(ctx, "behavior");
		for (i = 0; i < 2; i++) {
			cv *d = want(ctx, beh, dirs[i], K8SMIG_TYPE_MAP), *pol, *pe;
			size_t q, j;
			if (!d)
				continue;
			q = k8smig__vpush(ctx, dirs[i]);
			if (opt_int(ctx, d, "stabilizationWindowSeconds", &n) == 1 && (n < 0 || n > 3600))
				FIND(ctx, ERR, K8SMIG__C_HPA_RANGE, "stabilizationWindowSeconds",
				     "must be between 0 and 3600, not %" PRId64, n);
			enum_str(ctx, d, "selectPolicy", (const char *const[]){ "Max", "Min", "Disabled", NULL });
			if ((pol = want(ctx, d, "policies", K8SMIG_TYPE_LIST))) {
				size_t s = k8smig__vpush(ctx, "policies");
				for (j = 0, pe = k8smig_value_first(pol); pe; pe = k8smig_value_next(pe), j++) {
					size_t s2 = k8smig__vpush_index(ctx, j);
					int64_t v;
					req_str(ctx, pe, "type");
					enum_str(ctx, pe, "type", (const char *const[]){ "Pods", "Percent", NULL });
					if (opt_int(ctx, pe, "value", &v) == 1 && v < 1)
						FIND(ctx, ERR, K8SMIG__C_HPA_RANGE, "value", "must be greater than 0");
					if (opt_int(ctx, pe, "periodSeconds", &v) == 1 && (v < 1 || v > 1800))
						FIND(ctx, ERR, K8SMIG__C_HPA_RANGE, "periodSeconds", "must be between 1 and 1800");
					k8smig__vpop(ctx, s2);
				}
				k8smig__vpop(ctx, s);
			}
			k8smig__vpop(ctx, q);
		}
		k8smig__vpop(ctx, p);
	}
}

static bool b64_ok(const char *s, size_t n)
{
	size_t i, pad = 0;
	if (n % 4)
		return false;
	for (i = 0; i < n; i++) {
		char c = s[i];
		if (c == '=') {
			pad++;
			continue;
		}
		if (pad || !((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
		             c == '/'))
			return false;
	}
	return pad <= 2;
}

/* ConfigMap data/binaryData, Secret data/stringData. Messages never quote values. */
static void check_data_map(k8smig__vctx *ctx, const char *field, bool base64, cv *other, const char *other_name)
{
	cv *m = want(ctx, ctx->root, field, K8SMIG_TYPE_MAP), *e;
	size_t p;
	if (!m)
		return;
	p = k8smig__vpush(ctx, field);
	for (e = k8smig_value_first(m); e; e = k8smig_value_next(e)) {
		const char *k = k8smig_value_key(e), *why;
		size_t q = k8smig__vpush_key(ctx, k);
		if ((why = k8smig__config_key(k)))
			FIND(ctx, ERR, K8SMIG__C_KEY_INVALID, NULL, "key \"%s\" is invalid: %s", k, why);
		if (other && k8smig__vget(other, k))
			FIND(ctx, ERR, K8SMIG__C_KEY_INVALID, NULL, "key \"%s\" is also in %s", k, other_name);
		if (k8smig_value_type(e) != K8SMIG_TYPE_STRING)
			FIND(ctx, ERR, K8SMIG__C_TYPE, NULL, "must be a string, not %s (quote it)", type_name(e));
		else if (base64 && !b64_ok(k8smig_value_str(e), k8smig_value_strlen(e)))
			FIND(ctx, ERR, K8SMIG__C_VALUE, NULL, "is not valid base64 (the value is not shown)");
		k8smig__vpop(ctx, q);
	}
	k8smig__vpop(ctx, p);
}

static void check_rbac_rules(k8smig__vctx *ctx, bool cluster)
{
	cv *rules = want(ctx, ctx->root, "rules", K8SMIG_TYPE_LIST), *r;
	size_t p, i;
	if (!rules)
		return;
	p = k8smig__vpush(ctx, "rules");
	for (i = 0, r = k8smig_value_first(rules); r; r = k8smig_value_next(r), i++) {
		size_t q = k8smig__vpush_index(ctx, i);
		bool nonres = k8smig_value_size(k8smig__vget(r, "nonResourceURLs")) > 0;
		req(ctx, r, "verbs", K8SMIG_TYPE_LIST);
		if (nonres && !cluster)
			FIND(ctx, ERR, K8SMIG__C_VALUE, "nonResourceURLs", "only ClusterRoles may use nonResourceURLs");
		if (!nonres) {
			if (!k8smig__vget(r, "apiGroups"))
				FIND(ctx, ERR, K8SMIG__C_REQUIRED, "apiGroups", "is required (use [\"\"] for the core group)");
			else
				want(ctx, r, "apiGroups", K8SMIG_TYPE_LIST);
			req(ctx, r, "resources", K8SMIG_TYPE_LIST);
		}
		k8smig__vpop(ctx, q);
	}
	k8smig__vpop(ctx, p);
}

static void check_binding(k8smig__vctx *ctx, bool cluster)
{
	cv *ref = req(ctx, ctx->root, "roleRef", K8SMIG_TYPE_MAP), *subs, *s;
	size_t p, i;
	if (ref) {
		p = k8smig__vpush(ctx, "roleRef");
		req_str(ctx, ref, "apiGroup");
		req_str(ctx, ref, "name");
		if (req_str(ctx, ref, "kind"))
			enum_str(ctx, ref, "kind",
			         cluster ? (const char *const[]){ "ClusterRole", NULL } : (const char *const[]){ "Role", "ClusterRole", NULL });
		k8smig__vpop(ctx, p);
	}
	if (!(subs = want(ctx, ctx->root, "subjects", K8SMIG_TYPE_LIST)))
		return;
	p = k8smig__vpush(ctx, "subjects");
	for (i = 0, s = k8smig_value_first(subs); s; s = k8smig_value_next(s), i++) {
		size_t q = k8smig__vpush_index(ctx, i);
		const char *kind = req_str(ctx, s, "kind");
		req_str(ctx, s, "name");
		enum_str(ctx, s, "kind", (const char *const[]){ "ServiceAccount", "User", "Group", NULL });
		if (kind && strcmp(kind, "ServiceAccount") == 0 && cluster)
			req_str(ctx, s, "namespace");
		k8smig__vpop(ctx, q);
	}
	k8smig__vpop(ctx, p);
}

static const char *const access_modes[] = { "ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod", NULL };

static void check_access_modes(k8smig__vctx *ctx, cv *spec)
{
	cv *am = req(ctx, spec, "accessModes", K8SMIG_TYPE_LIST), *e;
	size_t p, i;
	if (!am)
		return;
	p = k8smig__vpush(ctx, "accessModes");
	for (i = 0, e = k8smig_value_first(am); e; e = k8smig_value_next(e), i++) {
		const char *s = k8smig_value_str(e);
		size_t q = k8smig__vpush_index(ctx, i);
		if (!s || !one_of(s, access_modes))
			FIND(ctx, ERR, K8SMIG__C_VALUE, NULL,
			     "must be one of ReadWriteOnce, ReadOnlyMany, ReadWriteMany, ReadWriteOncePod");
		k8smig__vpop(ctx, q);
	}
	k8smig__vpop(ctx, p);
}

static void check_pv(k8smig__vctx *ctx, cv *spec)
{
	static const char *const sources[] = { "csi", "nfs", "hostPath", "local", "awsElasticBlockStore", "iscsi", "fc",
	                                       "gcePersistentDisk", "azureDisk", "azureFile", "cephfs", "rbd", "glusterfs",
	                                       "cinder", "flexVolume", "portworxVolume", "vsphereVolume", NULL };
	cv *cap = req(ctx, spec, "capacity", K8SMIG_TYPE_MAP), *csi, *cr;
	size_t i, n = 0;
	if (cap) {
		size_t p = k8smig__vpush(ctx, "capacity");
		cv *st = k8smig__vget(cap, "storage");
		k8smig_quantity q;
		if (!st)
			FIND(ctx, ERR, K8SMIG__C_REQUIRED, "[storage]", "is required");
		else
			quantity_at(ctx, st, "[storage]", &q);
		k8smig__vpop(ctx, p);
	}
	check_access_modes(ctx, spec);
	for (i = 0; sources[i]; i++)
		if (k8smig__vget(spec, sources[i]))
			n++;
	if (n == 0)
		FIND(ctx, ERR, K8SMIG__C_REQUIRED, NULL, "must specify a volume source (csi, nfs, hostPath, ...)");
	else if (n > 1)
		FIND(ctx, ERR, K8SMIG__C_VALUE, NULL, "must specify only one volume source");
	if ((csi = want(ctx, spec, "csi", K8SMIG_TYPE_MAP))) {
		size_t p = k8smig__vpush(ctx, "csi");
		req_str(ctx, csi, "driver");
		req_str(ctx, csi, "volumeHandle");
		k8smig__vpop(ctx, p);
	}
	enum_str(ctx, spec, "persistentVolumeReclaimPolicy", (const char *const[]){ "Retain", "Delete", "Recycle", NULL });
	enum_str(ctx, spec, "volumeMode", (const char *const[]){ "Filesystem", "Block", NULL });
	{
		const char *sc = opt_str(ctx, spec, "storageClassName"), *why;
		if (sc && *sc && (why = k8smig__dns1123_subdomain(sc)))
			FIND(ctx, ERR, K8SMIG__C_NAME_INVALID, "storageClassName", "\"%s\" is not a valid class name: %s", sc, why);
	}
	if ((cr = want(ctx, spec, "claimRef", K8SMIG_TYPE_MAP))) {
		size_t p = k8smig__vpush(ctx, "claimRef");
		req_str(ctx, cr, "name");
		k8smig__vpop(ctx, p);
	}
}

static void check_pvc(k8smig__vctx *ctx, cv *spec)
{
	cv *res, *reqs;
	const char *sc, *why;
	check_access_modes(ctx, spec);
	if ((res = req(ctx, spec, "resources", K8SMIG_TYPE_MAP))) {
		size_t p = k8smig__vpush(ctx, "resources");
		if ((reqs = req(ctx, res, "requests", K8SMIG_TYPE_MAP))) {
			size_t q = k8smig__vpush(ctx, "requests");
			cv *st = k8smig__vget(reqs, "storage");
			k8smig_quantity qv;
			if (!st)
				FIND(ctx, ERR, K8SMIG__C_REQUIRED, "[storage]", "is required");
			else if (quantity_at(ctx, st, "[storage]", &qv) && qsign(&qv) == 0)
				FIND(ctx, ERR, K8SMIG__C_QUANTITY, "[storage]", "must be greater than zero");
			k8smig__vpop(ctx, q);
		}
		k8smig__vpop(ctx, p);
	}
	if ((sc = opt_str(ctx, spec, "storageClassName")) && *sc && (why = k8smig__dns1123_subdomain(sc)))
		FIND(ctx, ERR, K8SMIG__C_NAME_INVALID, "storageClassName", "\"%s\" is not a valid class name: %s", sc, why);
	enum_str(ctx, spec, "volumeMode", (const char *const[]){ "Filesystem", "Block", NULL });
	opt_str(ctx, spec, "volumeName");
}

static void check_storageclass(k8smig__vctx *ctx)
{
	cv *params = want(ctx, ctx->root, "parameters", K8SMIG_TYPE_MAP), *e;
	req_str(ctx, ctx->root, "provisioner");
	enum_str(ctx, ctx->root, "reclaimPolicy", (const char *const[]){ "Retain", "Delete", NULL });
	enum_str(ctx, ctx->root, "volumeBindingMode", (const char *const[]){ "Immediate", "WaitForFirstConsumer", NULL });
	if (params) {
		size_t p = k8smig__vpush(ctx, "parameters");
		for (e = k8smig_value_first(params); e; e = k8smig_value_next(e))
			if (k8smig_value_type(e) != K8SMIG_TYPE_STRING) {
				size_t q = k8smig__vpush_key(ctx, k8smig_value_key(e));
				FIND(ctx, ERR, K8SMIG__C_TYPE, NULL, "must be a string, not %s (quote it)", type_name(e));
				k8smig__vpop(ctx, q);
			}
		k8smig__vpop(ctx, p);
	}
}

static void check_external_secret(k8smig__vctx *ctx, cv *spec)
{
	cv *ref = want(ctx, spec, "secretStoreRef", K8SMIG_TYPE_MAP), *data, *d, *target;
	bool all_sourced = true;
	size_t p, i;

	data = want(ctx, spec, "data", K8SMIG_TYPE_LIST);
	want(ctx, spec, "dataFrom", K8SMIG_TYPE_LIST);
	if (!k8smig_value_size(data) && !k8smig_value_size(k8smig__vget(spec, "dataFrom")))
		FIND(ctx, ERR, K8SMIG__C_REQUIRED, "data", "at least one of data or dataFrom is required");
	for (d = k8smig_value_first(data); d; d = k8smig_value_next(d))
		if (!k8smig__vget(k8smig__vget(d, "sourceRef"), "storeRef") &&
		    !k8smig__vget(k8smig__vget(d, "sourceRef"), "generatorRef"))
			all_sourced = false;
	if (k8smig__vget(spec, "dataFrom"))
		all_sourced = false;
	if (ref) {
		p = k8smig__vpush(ctx, "secretStoreRef");
		req_str(ctx, ref, "name");
		enum_str(ctx, ref, "kind", (const char *const[]){ "SecretStore", "ClusterSecretStore", NULL });
		k8smig__vpop(ctx, p);
	} else if (!all_sourced)
		FIND(ctx, ERR, K8SMIG__C_REQUIRED, "secretStoreRef", "is required");
	if (data) {
		p = k8smig__vpush(ctx, "data");
		for (i = 0, d = k8smig_value_first(data); d; d = k8smig_value_next(d), i++) {
			size_t q = k8smig__vpush_index(ctx, i);
			const char *sk = req_str(ctx, d, "secretKey"), *why;
			cv *rr;
			if (sk && (why = k8smig__config_key(sk)))
				FIND(ctx, ERR, K8SMIG__C_KEY_INVALID, "secretKey", "\"%s\" is not a valid key: %s", sk, why);
			if ((rr = req(ctx, d, "remoteRef", K8SMIG_TYPE_MAP))) {
				size_t s = k8smig__vpush(ctx, "remoteRef");
				req_str(ctx, rr, "key");
				k8smig__vpop(ctx, s);
			}
			k8smig__vpop(ctx, q);
		}
		k8smig__vpop(ctx, p);
	}
	if ((target = want(ctx, spec, "target", K8SMIG_TYPE_MAP))) {
		p = k8smig__vpush(ctx, "target");
		name_field(ctx, target, "name", k8smig__dns1123_subdomain, "Secret name");
		enum_str(ctx, target, "creationPolicy", (const char *const[]){ "Owner", "Orphan", "Merge", "None", NULL });
		enum_str(ctx, target, "deletionPolicy", (const char *const[]){ "Delete", "Merge", "Retain", NULL });
		k8smig__vpop(ctx, p);
	}
}

static void check_secret_store(k8smig__vctx *ctx, cv *spec)
{
	cv *prov = req(ctx, spec, "provider", K8SMIG_TYPE_MAP), *aws, *sa;
	size_t p;
	if (!prov)
		return;
	p = k8smig__vpush(ctx, "provider");
	if (k8smig_value_size(prov) == 0)
		FIND(ctx, ERR, K8SMIG__C_REQUIRED, NULL, "must configure one provider");
	else if (k8smig_value_size(prov) > 1)
		FIND(ctx, ERR, K8SMIG__C_VALUE, NULL, "must configure only one provider");
	if ((aws = want(ctx, prov, "aws", K8SMIG_TYPE_MAP))) {
		size_t q = k8smig__vpush(ctx, "aws");
		if (req_str(ctx, aws, "service"))
			enum_str(ctx, aws, "service", (const char *const[]){ "SecretsManager", "ParameterStore", NULL });
		req_str(ctx, aws, "region");
		sa = k8smig__vget(k8smig__vget(k8smig__vget(aws, "auth"), "jwt"), "serviceAccountRef");
		if (sa) {
			size_t s = k8smig__vpush(ctx, "auth.jwt.serviceAccountRef");
			req_str(ctx, sa, "name");
			if (strcmp(ctx->kind, "ClusterSecretStore") == 0)
				req_str(ctx, sa, "namespace");
			k8smig__vpop(ctx, s);
		}
		k8smig__vpop(ctx, q);
	}
	k8smig__vpop(ctx, p);
}

static void check_ingress_class(k8smig__vctx *ctx, cv *spec)
{
	const char *c = req_str(ctx, spec, "controller");
	cv *params = want(ctx, spec, "parameters", K8SMIG_TYPE_MAP);
	if (c && (strlen(c) > 250 || !strchr(c, '/')))
		FIND(ctx, ERR, K8SMIG__C_VALUE, "controller", "must be a domain-prefixed path of at most 250 characters");
	if (params) {
		size_t p = k8smig__vpush(ctx, "parameters");
		req_str(ctx, params, "kind");
		req_str(ctx, params, "name");
		enum_str(ctx, params, "scope", (const char *const[]){ "Cluster", "Namespace", NULL });
		k8smig__vpop(ctx, p);
	}
}

static void check_ingress_class_params(k8smig__vctx *ctx, cv *spec)
{
	enum_str(ctx, spec, "scheme", (const char *const[]){ "internal", "internet-facing", NULL });
	enum_str(ctx, spec, "ipAddressType",
	         (const char *const[]){ "ipv4", "dualstack", "dualstack-without-public-ipv4", NULL });
}

static void check_issuer(k8smig__vctx *ctx, cv *spec)
{
	static const char *const types[] = { "acme", "ca", "vault", "selfSigned", "venafi", NULL };
	size_t i, n = 0;
	cv *acme, *ca;
	for (i = 0; types[i]; i++)
		if (k8smig__vget(spec, types[i]))
			n++;
	if (n == 0)
		FIND(ctx, ERR, K8SMIG__C_REQUIRED, NULL, "must configure one issuer type: acme, ca, vault, selfSigned or venafi");
	else if (n > 1)
		FIND(ctx, ERR, K8SMIG__C_VALUE, NULL, "must configure only one issuer type");
	if ((acme = want(ctx, spec, "acme", K8SMIG_TYPE_MAP))) {
		size_t p = k8smig__vpush(ctx, "acme");
		cv *pk;
		req_str(ctx, acme, "server");
		if ((pk = req(ctx, acme, "privateKeySecretRef", K8SMIG_TYPE_MAP))) {
			size_t q = k8smig__vpush(ctx, "privateKeySecretRef");
			req_str(ctx, pk, "name");
			k8smig__vpop(ctx, q);
		}
		k8smig__vpop(ctx, p);
	}
	if ((ca = want(ctx, spec, "ca", K8SMIG_TYPE_MAP))) {
		size_t p = k8smig__vpush(ctx, "ca");
		req_str(ctx, ca, "secretName");
		k8smig__vpop(ctx, p);
	}
}

static void check_certificate(k8smig__vctx *ctx, cv *spec)
{
	static const char *const subjects[] = { "commonName", "dnsNames", "uris", "emailAddresses", "ipAddresses",
	                                        "literalSubject", "otherNames", NULL };
	cv *ir;
	size_t i;
	bool any = false;
	if (req_str(ctx, spec, "secretName"))
		name_field(ctx, spec, "secretName", k8smig__dns1123_subdomain, "Secret name");
	if ((ir = req(ctx, spec, "issuerRef", K8SMIG_TYPE_MAP))) {
		size_t p = k8smig__vpush(ctx, "issuerRef");
		const char *group = k8smig__vstr(ir, "group");
		req_str(ctx, ir, "name");
		if (!group || !*group || strcmp(group, "cert-manager.io") == 0)
			enum_str(ctx, ir, "kind", (const char *const[]){ "Issuer", "ClusterIssuer", NULL });
		k8smig__vpop(ctx, p);
	}
	for (i = 0; subjects[i]; i++)
		if (k8smig__vget(spec, subjects[i]))
			any = true;
	if (!any)
		FIND(ctx, ERR, K8SMIG__C_REQUIRED, "dnsNames",
		     "at least one of commonName, dnsNames, uris, emailAddresses, ipAddresses is required");
}

static bool prom_duration_ok(const char *s)
{
	static const char *const units[] = { "ms", "y", "w", "d", "h", "m", "s", NULL };
	if (!*s)
		return false;
	while (*s) {
		size_t i;
		bool unit = false;
		if (!(*s >= '0' && *s <= '9'))
			return false;
		while (*s >= '0' && *s <= '9')
			s++;
		for (i = 0; units[i]; i++)
			if (strncmp(s, units[i], strlen(units[i])) == 0) {
				s += strlen(units[i]);
				unit = true;
				break;
			}
		if (!unit)
			return false;
	}
	return true;
}

static void check_prometheus_rule(k8smig__vctx *ctx, cv *spec)
{
	cv *groups = req(ctx, spec, "groups", K8SMIG_TYPE_LIST), *g, *h;
	size_t p, i;
	if (!groups)
		return;
	p = k8smig__vpush(ctx, "groups");
	for (i = 0, g = k8smig_value_first(groups); g; g = k8smig_value_next(g), i++) {
		size_t q = k8smig__vpush_index(ctx, i), j;
		const char *gn = req_str(ctx, g, "name");
		cv *rules = req(ctx, g, "rules", K8SMIG_TYPE_LIST), *r;
		for (h = k8smig_value_first(groups); gn && h != g; h = k8smig_value_next(h)) {
			const char *o = k8smig__vstr(h, "name");
			if (o && strcmp(o, gn) == 0) {
				FIND(ctx, ERR, K8SMIG__C_VALUE, "name", "duplicate group name \"%s\"", gn);
				break;
			}
		}
		if (rules) {
			size_t s = k8smig__vpush(ctx, "rules");
			for (j = 0, r = k8smig_value_first(rules); r; r = k8smig_value_next(r), j++) {
				size_t s2 = k8smig__vpush_index(ctx, j);
				bool alert = k8smig__vget(r, "alert") != NULL, record = k8smig__vget(r, "record") != NULL;
				const char *f = opt_str(ctx, r, "for");
				cv *expr = k8smig__vget(r, "expr");
				if (!expr)
					FIND(ctx, ERR, K8SMIG__C_REQUIRED, "expr", "is required");
				if (alert + record != 1)
					FIND(ctx, ERR, alert ? K8SMIG__C_VALUE : K8SMIG__C_REQUIRED, "alert",
					     "must set exactly one of alert, record");
				if (f && !prom_duration_ok(f))
					FIND(ctx, ERR, K8SMIG__C_VALUE, "for", "\"%s\" is not a duration like 5m or 1h30m", f);
				check_label_map(ctx, r, "labels");
				k8smig__vpop(ctx, s2);
			}
			k8smig__vpop(ctx, s);
		}
		k8smig__vpop(ctx, q);
	}
	k8smig__vpop(ctx, p);
}

/* ---- entry point ------------------------------------------------------------------------ */

static bool is(const k8smig__vctx *ctx, const char *kind)
{
	return strcmp(ctx->kind, kind) == 0;
}

void k8smig__validate_object(k8smig__vctx *ctx)
{
	cv *root = ctx->root, *meta, *spec;
	const char *av, *kind, *rule, *why;
	size_t p;

	if (k8smig__vis_kustomization(root)) {
		/* not a cluster object: only what kustomize itself needs */
		req_str(ctx, root, "kind");
		return;
	}
	av = req_str(ctx, root, "apiVersion");
	kind = req_str(ctx, root, "kind");
	meta = req(ctx, root, "metadata", K8SMIG_TYPE_MAP);
	if (meta) {
		p = k8smig__vpush(ctx, "metadata");
		if (req_str(ctx, meta, "name") && kind && (why = k8smig__name_check(k8smig__kind_name_rule(kind), ctx->name, &rule)))
			FIND(ctx, ERR, K8SMIG__C_NAME_INVALID, "name", "\"%s\" is not a valid %s name (%s): %s", ctx->name,
			     kind, rule, why);
		name_field(ctx, meta, "namespace", k8smig__dns1123_label, "namespace (DNS-1123 label)");
		check_metadata_maps(ctx, meta);
		k8smig__vpop(ctx, p);
	}
	if (!kind)
		return;
	if (av)
		check_api_version(ctx, av);

	/* kinds whose content is at the top level */
	if (is(ctx, "ConfigMap")) {
		check_data_map(ctx, "data", false, k8smig__vget(root, "binaryData"), "binaryData");
		check_data_map(ctx, "binaryData", true, NULL, NULL);
		return;
	}
	if (is(ctx, "Secret")) {
		check_data_map(ctx, "data", true, NULL, NULL);
		check_data_map(ctx, "stringData", false, NULL, NULL);
		return;
	}
	if (is(ctx, "Role") || is(ctx, "ClusterRole")) {
		check_rbac_rules(ctx, is(ctx, "ClusterRole"));
		return;
	}
	if (is(ctx, "RoleBinding") || is(ctx, "ClusterRoleBinding")) {
		check_binding(ctx, is(ctx, "ClusterRoleBinding"));
		return;
	}
	if (is(ctx, "StorageClass")) {
		check_storageclass(ctx);
		return;
	}
	if (is(ctx, "Namespace") || is(ctx, "ServiceAccount"))
		return;

	/* kinds with a spec */
	{
		static const char *const spec_kinds[] = {
			"Deployment", "DaemonSet", "StatefulSet", "ReplicaSet", "Job", "CronJob", "Pod",
			"PersistentVolume", "PersistentVolumeClaim", "Service", "Ingress", "IngressClass",
			"HorizontalPodAutoscaler", "ExternalSecret", "SecretStore", "ClusterSecretStore",
			"ClusterIssuer", "Issuer", "Certificate", "PrometheusRule", "PodDisruptionBudget", NULL
		};
		if (!one_of(ctx->kind, spec_kinds)) {
			if (is(ctx, "IngressClassParams") && (spec = want(ctx, root, "spec", K8SMIG_TYPE_MAP))) {
				p = k8smig__vpush(ctx, "spec");
				check_ingress_class_params(ctx, spec);
				k8smig__vpop(ctx, p);
			}
			return;
		}
	}
	if (!(spec = req(ctx, root, "spec", K8SMIG_TYPE_MAP)))
		return;
	p = k8smig__vpush(ctx, "spec");
	if (is(ctx, "Deployment") || is(ctx, "DaemonSet") || is(ctx, "StatefulSet") || is(ctx, "ReplicaSet") ||
	    is(ctx, "Job"))
		check_workload(ctx, spec);
	else if (is(ctx, "CronJob"))
		check_cronjob(ctx, spec);
	else if (is(ctx, "Pod"))
		check_pod_spec(ctx, spec);
	else if (is(ctx, "PersistentVolume"))
		check_pv(ctx, spec);
	else if (is(ctx, "PersistentVolumeClaim"))
		check_pvc(ctx, spec);
	else if (is(ctx, "Service"))
		check_service(ctx, spec);
	else if (is(ctx, "Ingress"))
		check_ingress(ctx, spec);
	else if (is(ctx, "IngressClass"))
		check_ingress_class(ctx, spec);
	else if (is(ctx, "HorizontalPodAutoscaler"))
		check_hpa(ctx, spec);
	else if (is(ctx, "ExternalSecret"))
		check_external_secret(ctx, spec);
	else if (is(ctx, "SecretStore") || is(ctx, "ClusterSecretStore"))
		check_secret_store(ctx, spec);
	else if (is(ctx, "ClusterIssuer") || is(ctx, "Issuer"))
		check_issuer(ctx, spec);
	else if (is(ctx, "Certificate"))
		check_certificate(ctx, spec);
	else if (is(ctx, "PrometheusRule"))
		check_prometheus_rule(ctx, spec);
	else if (is(ctx, "PodDisruptionBudget"))
		check_pdb(ctx, spec);
	k8smig__vpop(ctx, p);
}
