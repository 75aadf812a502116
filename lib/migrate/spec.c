/*
 * lib/migrate/spec.c - read a migration spec (docs/spec.md) into mig_* structs.
 *
 * The text is parsed by k8smig_parse() (the same scalar rules as manifests),
 * then every section is read against a table of known fields through the
 * typed reader of spec_reader.c: an unknown field, a wrong type or a bad
 * value is K8SMIG_ESCHEMA with the spec path ("services[2].cpu"), the file,
 * and the field's own line and column. This file is the spec's schema: its
 * sections, fields, defaults and value checks. Absent fields take their
 * defaults here, so the planner never has to guess. Messages name fields,
 * never values.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "spec_reader.h"
#include "../model/validate.h"

/* ---- memory owned by the spec ---- */

void *k8smig__spec_alloc(k8smig_spec *spec, size_t size)
{
	void *p;

	if (spec->n_blocks == spec->cap_blocks &&
	    k8smig__array_grow(&spec->blocks, &spec->cap_blocks, 64, sizeof(*spec->blocks)) < 0)
		goto nomem;
	if (!(p = calloc(1, size ? size : 1)))
		goto nomem;
	spec->blocks[spec->n_blocks++] = p;
	return p;
nomem:
	k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	return NULL;
}

const char *k8smig__spec_printf(k8smig_spec *spec, const char *fmt, ...)
{
	va_list ap;
	char *p;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !(p = k8smig__spec_alloc(spec, (size_t)n + 1)))
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void k8smig_spec_free(k8smig_spec *spec)
{
	size_t i;

	if (!spec)
		return;
	for (i = 0; i < spec->n_blocks; i++)
		free(spec->blocks[i]);
	free(spec->blocks);
	free(spec->source);
	free(spec);
}

/* ---- value checks ---- */

static int check_name(mig_reader *r, const char *key, const char *name, bool dns1035)
{
	const char *why = dns1035 ? k8smig__dns1035_label(name) : k8smig__dns1123_label(name);
	if (why)
		return k8smig__rd_fail_at(r, key, "is not a valid name: %s", why);
	return 0;
}

static bool all_digits(const char *s, size_t n)
{
	size_t i;
	if (strlen(s) != n)
		return false;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static bool is_hex_id(const char *s, const char *prefix)
{
	size_t p = strlen(prefix), n, i;
	if (strncmp(s, prefix, p) != 0)
		return false;
	n = strlen(s + p);
	if (n != 8 && n != 17)
		return false;
	for (i = 0; i < n; i++)
		if (!((s[p + i] >= '0' && s[p + i] <= '9') || (s[p + i] >= 'a' && s[p + i] <= 'f')))
			return false;
	return true;
}

static bool plain_token(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s <= ' ' || *s == '"' || *s == '\\' || *s == '\'')
			return false;
	return true;
}

static bool image_repository(const char *s)
{
	/* ECR repository names: lowercase, digits, and . _ - / inside */
	size_t i, n = strlen(s);
	if (!n || n > 256)
		return false;
	for (i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-' || c == '/'))
			return false;
	}
	return s[0] != '/' && s[n - 1] != '/' && s[0] != '.' && s[0] != '-';
}

static int32_t retention_ok(int64_t d)
{
	static const int allowed[] = { 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731,
	                               1096, 1827, 2192, 2557, 2922, 3288, 3653 };
	size_t i;
	for (i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
		if (allowed[i] == d)
			return 1;
	return d == 0;
}

/* ---- sections ---- */

static int read_aws(mig_reader *r, const k8smig_value *root)
{
	static const char *const fields[] = { "accountId", "region", "eksCluster", "oidcProvider", "ecrRegistry", NULL };
	k8smig_spec *s = r->spec;
	const k8smig_value *m;
	size_t old;
	int rc;

	if ((rc = k8smig__rd_map(r, root, "aws", &m)) < 0)
		return rc;
	if (!m)
		return k8smig__rd_fail_at(r, "aws", "is required (accountId, oidcProvider)");
	old = k8smig__rd_push_key(r, "aws");
	if ((rc = k8smig__rd_check_fields(r, m, fields)) < 0 || (rc = k8smig__rd_required_str(r, m, "accountId", &s->account_id)) < 0)
		goto done;
	if (!all_digits(s->account_id, 12)) {
		rc = k8smig__rd_fail_at(r, "accountId", "must be 12 digits");
		goto done;
	}
	if ((rc = k8smig__rd_str(r, m, "region", "us-east-1", &s->region)) < 0 ||
	    (rc = k8smig__rd_str(r, m, "eksCluster", s->name, &s->cluster)) < 0 ||
	    (rc = k8smig__rd_required_str(r, m, "oidcProvider", &s->oidc_provider)) < 0)
		goto done;
	if (!plain_token(s->region) || k8smig__dns1123_label(s->region)) {
		rc = k8smig__rd_fail_at(r, "region", "is not an AWS region name");
		goto done;
	}
	if (strncmp(s->oidc_provider, "https://", 8) == 0)
		s->oidc_provider += 8; /* IAM wants the provider without the scheme */
	if (!plain_token(s->oidc_provider) || !strchr(s->oidc_provider, '/')) {
		rc = k8smig__rd_fail_at(r, "oidcProvider", "must look like oidc.eks.<region>.amazonaws.com/id/<ID>");
		goto done;
	}
	if ((rc = k8smig__rd_str(r, m, "ecrRegistry", NULL, &s->ecr_registry)) < 0)
		goto done;
	if (!s->ecr_registry &&
	    !(s->ecr_registry = k8smig__spec_printf(s, "%s.dkr.ecr.%s.amazonaws.com", s->account_id, s->region))) {
		rc = K8SMIG_ENOMEM;
		goto done;
	}
	if (!plain_token(s->ecr_registry)) {
		rc = k8smig__rd_fail_at(r, "ecrRegistry", "must be a registry host name");
		goto done;
	}
	s->partition = strncmp(s->region, "cn-", 3) == 0 ? "aws-cn"
	               : strncmp(s->region, "us-gov-", 7) == 0 ? "aws-us-gov" : "aws";
done:
	k8smig__rd_pop(r, old);
	return rc;
}

static int read_probe(mig_reader *r, const k8smig_value *health, const char *key, mig_probe *p)
{
	static const char *const fields[] = { "initialDelaySeconds", "periodSeconds", "timeoutSeconds",
	                                      "failureThreshold", NULL };
	const k8smig_value *m;
	size_t old;
	int rc;

	if ((rc = k8smig__rd_map(r, health, key, &m)) < 0 || !m)
		return rc;
	old = k8smig__rd_push_key(r, key);
	if ((rc = k8smig__rd_check_fields(r, m, fields)) < 0 ||
	    (rc = k8smig__rd_i32(r, m, "initialDelaySeconds", p->initial_delay, 0, 3600, &p->initial_delay)) < 0 ||
	    (rc = k8smig__rd_i32(r, m, "periodSeconds", p->period, 1, 3600, &p->period)) < 0 ||
	    (rc = k8smig__rd_i32(r, m, "timeoutSeconds", p->timeout, 1, 3600, &p->timeout)) < 0 ||
	    (rc = k8smig__rd_i32(r, m, "failureThreshold", p->failure_threshold, 1, 100, &p->failure_threshold)) < 0)
		goto done;
done:
	k8smig__rd_pop(r, old);
	return rc;
}

static int read_health(mig_reader *r, const k8smig_value *svc, mig_service *s)
{
	static const char *const fields[] = { "enabled", "path", "exec", "liveness", "readiness", "startupSeconds", NULL };
	const k8smig_value *m;
	size_t old;
	int rc;

	s->health = !s->worker;
	s->health_path = "/health";
	s->liveness = (mig_probe){ 5, 30, 10, 3 };
	s->readiness = (mig_probe){ 0, 10, 5, 3 };
	if ((rc = k8smig__rd_map(r, svc, "health", &m)) < 0 || !m)
		return rc;
	old = k8smig__rd_push_key(r, "health");
	if ((rc = k8smig__rd_check_fields(r, m, fields)) < 0 ||
	    (rc = k8smig__rd_str_list(r, m, "exec", false, &s->health_exec)) < 0 ||
	    (rc = k8smig__rd_bool(r, m, "enabled", !s->worker || s->health_exec, &s->health)) < 0 ||
	    (rc = k8smig__rd_str(r, m, "path", "/health", &s->health_path)) < 0)
		goto done;
	if (s->health_path[0] != '/' || !plain_token(s->health_path)) {
		rc = k8smig__rd_fail_at(r, "path", "must be an absolute URL path");
		goto done;
	}
	if (s->health_exec && k8smig_value_lookup(m, "path")) {
		rc = k8smig__rd_fail_at(r, "exec", "and path exclude each other: the probes either run a command or call HTTP");
		goto done;
	}
	if (s->worker && ((s->health && !s->health_exec) || k8smig_value_lookup(m, "path"))) {
		rc = k8smig__rd_fail_at(r, k8smig_value_lookup(m, "path") ? "path" : "enabled",
		                        "a worker serves no port: its probes need exec (a command), not an HTTP path");
		goto done;
	}
	if ((rc = read_probe(r, m, "liveness", &s->liveness)) < 0 ||
	    (rc = read_probe(r, m, "readiness", &s->readiness)) < 0 ||
	    (rc = k8smig__rd_i32(r, m, "startupSeconds", 0, 0, 3600, &s->startup_seconds)) < 0)
		goto done;
done:
	k8smig__rd_pop(r, old);
	return rc;
}

/* A capability name as the container runtime takes it: NET_BIND_SERVICE (CAP_ prefix allowed). */
static bool capability_ok(const char *c)
{
	if (!*c || strlen(c) > 64)
		return false;
	for (; *c; c++)
		if (!((*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '_'))
			return false;
	return true;
}

static bool has_capability(const char *const *caps, const char *name)
{
	for (; caps && *caps; caps++)
		if (strcmp(*caps, name) == 0 || (strncmp(*caps, "CAP_", 4) == 0 && strcmp(*caps + 4, name) == 0))
			return true;
	return false;
}

/*
 * securityContext: the tree's defaults (no privilege escalation, every capability dropped, RuntimeDefault
 * seccomp) unless the spec says otherwise. The API server's own rules are checked here, at the field:
 * privileged or CAP_SYS_ADMIN need allowPrivilegeEscalation.
 */
static int read_security(mig_reader *r, const k8smig_value *parent, mig_security *sec)
{
	static const char *const fields[] = { "runAsUser", "runAsGroup", "runAsNonRoot", "readOnlyRootFilesystem",
	                                      "privileged", "allowPrivilegeEscalation", "capabilities", NULL };
	static const char *const cap_fields[] = { "add", "drop", NULL };
	static const char *drop_all[] = { "ALL", NULL };
	const char *const keys[] = { "add", "drop" };
	const k8smig_value *m, *caps;
	bool esc_given;
	size_t old, o2, k, i;
	int rc;

	memset(sec, 0, sizeof(*sec));
	sec->cap_drop = drop_all;
	if ((rc = k8smig__rd_map(r, parent, "securityContext", &m)) < 0 || !m)
		return rc;
	old = k8smig__rd_push_key(r, "securityContext");
	if ((rc = k8smig__rd_check_fields(r, m, fields)) < 0 ||
	    (rc = k8smig__rd_int(r, m, "runAsUser", -1, 0, 2147483647, &sec->run_as_user)) < 0 ||
	    (rc = k8smig__rd_int(r, m, "runAsGroup", -1, 0, 2147483647, &sec->run_as_group)) < 0 ||
	    (rc = k8smig__rd_bool(r, m, "runAsNonRoot", false, &sec->run_as_non_root)) < 0 ||
	    (rc = k8smig__rd_bool(r, m, "readOnlyRootFilesystem", false, &sec->read_only_root)) < 0 ||
	    (rc = k8smig__rd_bool(r, m, "privileged", false, &sec->privileged)) < 0 ||
	    (rc = k8smig__rd_map(r, m, "capabilities", &caps)) < 0)
		goto done;
	sec->has_run_as_user = sec->run_as_user >= 0;
	sec->has_run_as_group = sec->run_as_group >= 0;
	if (caps) {
		o2 = k8smig__rd_push_key(r, "capabilities");
		if ((rc = k8smig__rd_check_fields(r, caps, cap_fields)) < 0 ||
		    (rc = k8smig__rd_str_list(r, caps, "add", false, &sec->cap_add)) < 0)
			goto done;
		if (k8smig_value_lookup(caps, "drop") && k8smig_value_type(k8smig_value_lookup(caps, "drop")) == K8SMIG_TYPE_LIST &&
		    !k8smig_value_size(k8smig_value_lookup(caps, "drop")))
			sec->cap_drop = NULL; /* drop: [] keeps the runtime's default set */
		else if ((rc = k8smig__rd_str_list(r, caps, "drop", false, &sec->cap_drop)) < 0)
			goto done;
		if (!sec->cap_drop && !k8smig_value_lookup(caps, "drop"))
			sec->cap_drop = drop_all;
		for (k = 0; k < 2; k++) {
			const char **list = k ? sec->cap_drop : sec->cap_add;
			size_t o3 = k8smig__rd_push_key(r, keys[k]);
			for (i = 0; list && list != drop_all && list[i]; i++)
				if (!capability_ok(list[i])) {
					k8smig__rd_push_index(r, i);
					rc = k8smig__rd_fail(r, "is not a Linux capability name (NET_BIND_SERVICE, SYS_PTRACE, ...)");
					goto done;
				}
			k8smig__rd_pop(r, o3);
		}
		k8smig__rd_pop(r, o2);
	}
	esc_given = k8smig_value_lookup(m, "allowPrivilegeEscalation") != NULL;
	/* the API server refuses allowPrivilegeEscalation: false with privileged or CAP_SYS_ADMIN */
	if ((rc = k8smig__rd_bool(r, m, "allowPrivilegeEscalation", sec->privileged || has_capability(sec->cap_add, "SYS_ADMIN"),
	                          &sec->allow_escalation)) < 0)
		goto done;
	if (esc_given && !sec->allow_escalation && (sec->privileged || has_capability(sec->cap_add, "SYS_ADMIN"))) {
		rc = k8smig__rd_fail_at(r, "allowPrivilegeEscalation",
		                        "must be true with privileged or capabilities.add SYS_ADMIN (the API server refuses the pod)");
		goto done;
	}
	if (sec->run_as_non_root && sec->has_run_as_user && sec->run_as_user == 0)
		rc = k8smig__rd_fail_at(r, "runAsUser", "is root (0) while runAsNonRoot is true: the kubelet would refuse to start it");
done:
	k8smig__rd_pop(r, old);
	return rc;
}

static int read_scaling(mig_reader *r, const k8smig_value *svc, mig_service *s)
{
	static const char *const fields[] = { "cpuPercent", "memoryPercent", "scaleUpStabilizationSeconds",
	                                      "scaleDownStabilizationSeconds", NULL };
	const k8smig_value *m;
	size_t old;
	int rc;

	s->cpu_percent = 70;
	s->memory_percent = 80;
	s->scale_up_window = 60;
	s->scale_down_window = 300;
	if ((rc = k8smig__rd_map(r, svc, "scaling", &m)) < 0 || !m)
		return rc;
	old = k8smig__rd_push_key(r, "scaling");
	if ((rc = k8smig__rd_check_fields(r, m, fields)) < 0 ||
	    (rc = k8smig__rd_i32(r, m, "cpuPercent", 70, 0, 1000, &s->cpu_percent)) < 0 ||
	    (rc = k8smig__rd_i32(r, m, "memoryPercent", 80, 0, 1000, &s->memory_percent)) < 0 ||
	    (rc = k8smig__rd_i32(r, m, "scaleUpStabilizationSeconds", 60, 0, 3600, &s->scale_up_window)) < 0 ||
	    (rc = k8smig__rd_i32(r, m, "scaleDownStabilizationSeconds", 300, 0, 3600, &s->scale_down_window)) < 0)
		goto done;
	if (!s->cpu_percent && !s->memory_percent)
		rc = k8smig__rd_fail(r, "needs cpuPercent or memoryPercent above 0");
done:
	k8smig__rd_pop(r, old);
	return rc;
}

/* cpu: ECS units (integer) or a Kubernetes quantity (string). */
static int read_cpu(mig_reader *r, const k8smig_value *svc, mig_service *s)
{
	const k8smig_value *v = k8smig_value_lookup(svc, "cpu");
	k8smig_quantity q;
	char *text = NULL;
	int rc;

	if (!v || k8smig_value_type(v) == K8SMIG_TYPE_INT) {
		int64_t units = v ? k8smig_value_int(v) : 256;
		if (units < 1 || units > 1048576)
			return k8smig__rd_fail_at(r, "cpu", "must be between 1 and 1048576 ECS CPU units");
		rc = k8smig_quantity_from_ecs_cpu(&text, units);
	} else if (k8smig_value_type(v) == K8SMIG_TYPE_STRING) {
		if (k8smig__rd_holds_nul(v))
			return k8smig__rd_fail_at(r, "cpu", "must not hold a NUL character");
		rc = k8smig_quantity_canonical(&text, k8smig_value_str(v));
	} else {
		return k8smig__rd_fail_at(r, "cpu", "must be ECS CPU units (an integer) or a quantity (a string), not %s",
		               k8smig__rd_type_name(k8smig_value_type(v)));
	}
	if (rc == K8SMIG_ENOMEM)
		return rc;
	if (rc < 0 || k8smig_quantity_parse(&q, text) < 0 || k8smig_quantity_milli(&q) < 1) {
		k8smig_free(text);
		return k8smig__rd_fail_at(r, "cpu", "is not a positive CPU quantity (e.g. \"500m\", or 512 ECS units)");
	}
	s->cpu_milli = k8smig_quantity_milli(&q);
	s->cpu = k8smig__rd_dup_str(r, text);
	k8smig_free(text);
	return s->cpu ? 0 : K8SMIG_ENOMEM;
}

/* memory: MiB (integer) or a Kubernetes quantity (string). */
static int read_memory(mig_reader *r, const k8smig_value *svc, mig_service *s)
{
	const k8smig_value *v = k8smig_value_lookup(svc, "memory");
	k8smig_quantity q;
	char *text = NULL;
	int rc;

	if (!v || k8smig_value_type(v) == K8SMIG_TYPE_INT) {
		int64_t mib = v ? k8smig_value_int(v) : 512;
		if (mib < 4 || mib > ((int64_t)1 << 30))
			return k8smig__rd_fail_at(r, "memory", "must be between 4 and 1073741824 MiB");
		rc = k8smig_quantity_from_ecs_memory(&text, mib);
	} else if (k8smig_value_type(v) == K8SMIG_TYPE_STRING) {
		if (k8smig__rd_holds_nul(v))
			return k8smig__rd_fail_at(r, "memory", "must not hold a NUL character");
		rc = k8smig_quantity_canonical(&text, k8smig_value_str(v));
	} else {
		return k8smig__rd_fail_at(r, "memory", "must be MiB (an integer) or a quantity (a string), not %s",
		               k8smig__rd_type_name(k8smig_value_type(v)));
	}
	if (rc == K8SMIG_ENOMEM)
		return rc;
	if (rc < 0 || k8smig_quantity_parse(&q, text) < 0 || k8smig_quantity_value(&q) < 4 * 1048576) {
		k8smig_free(text);
		return k8smig__rd_fail_at(r, "memory", "is not a memory quantity of at least 4Mi (e.g. \"512Mi\", or 512 MiB)");
	}
	s->memory_bytes = k8smig_quantity_value(&q);
	s->memory = k8smig__rd_dup_str(r, text);
	k8smig_free(text);
	return s->memory ? 0 : K8SMIG_ENOMEM;
}

/* memoryRequest: as memory; the request of the container, at most memory (the limit). */
static int read_memory_request(mig_reader *r, const k8smig_value *svc, mig_service *s)
{
	const k8smig_value *v = k8smig_value_lookup(svc, "memoryRequest");
	k8smig_quantity q;
	char *text = NULL;
	int rc;

	s->memory_request = s->memory;
	s->memory_request_bytes = s->memory_bytes;
	if (!v)
		return 0;
	if (k8smig_value_type(v) == K8SMIG_TYPE_INT) {
		int64_t mib = k8smig_value_int(v);
		if (mib < 4 || mib > ((int64_t)1 << 30))
			return k8smig__rd_fail_at(r, "memoryRequest", "must be between 4 and 1073741824 MiB");
		rc = k8smig_quantity_from_ecs_memory(&text, mib);
	} else if (k8smig_value_type(v) == K8SMIG_TYPE_STRING) {
		rc = k8smig_quantity_canonical(&text, k8smig_value_str(v));
	} else {
		return k8smig__rd_fail_at(r, "memoryRequest", "must be MiB (an integer) or a quantity (a string), not %s",
		                          k8smig__rd_type_name(k8smig_value_type(v)));
	}
	if (rc == K8SMIG_ENOMEM)
		return rc;
	if (rc < 0 || k8smig_quantity_parse(&q, text) < 0 || k8smig_quantity_value(&q) < 4 * 1048576) {
		k8smig_free(text);
		return k8smig__rd_fail_at(r, "memoryRequest", "is not a memory quantity of at least 4Mi (e.g. \"512Mi\", or 512 MiB)");
	}
	if (k8smig_quantity_value(&q) > s->memory_bytes) {
		k8smig_free(text);
		return k8smig__rd_fail_at(r, "memoryRequest", "must not be above memory (the limit)");
	}
	s->memory_request_bytes = k8smig_quantity_value(&q);
	s->memory_request = k8smig__rd_dup_str(r, text);
	k8smig_free(text);
	return s->memory_request ? 0 : K8SMIG_ENOMEM;
}

static int read_env_map(mig_reader *r, const k8smig_value *m, const char *key, mig_kv **out, size_t *n_out,
                        bool env_names)
{
	const k8smig_value *map, *e;
	size_t old, n = 0;
	int rc;

	*out = NULL;
	*n_out = 0;
	if ((rc = k8smig__rd_map(r, m, key, &map)) < 0 || !map)
		return rc;
	if (!(*out = k8smig__spec_alloc(r->spec, k8smig_value_size(map) * sizeof(**out))))
		return K8SMIG_ENOMEM;
	old = k8smig__rd_push_key(r, key);
	for (e = k8smig_value_first(map); e; e = k8smig_value_next(e)) {
		const char *k = k8smig_value_key(e);
		const char *why = env_names ? k8smig__env_var_name(k) : k8smig__config_key(k);
		if (why) {
			rc = k8smig__rd_fail_at(r, k, "is not a valid %s: %s", env_names ? "variable name" : "ConfigMap key", why);
			goto done;
		}
		if (k8smig_value_type(e) != K8SMIG_TYPE_STRING) {
			rc = k8smig__rd_fail_at(r, k, "must be a string, not %s (quote it)", k8smig__rd_type_name(k8smig_value_type(e)));
			goto done;
		}
		if (k8smig__rd_holds_nul(e)) {
			rc = k8smig__rd_fail_at(r, k, "must not hold a NUL character");
			goto done;
		}
		(*out)[n].key = k8smig__rd_dup_str(r, k);
		(*out)[n].value = k8smig__rd_dup_str(r, k8smig_value_str(e));
		if (!(*out)[n].key || !(*out)[n].value) {
			rc = K8SMIG_ENOMEM;
			goto done;
		}
		n++;
	}
	*n_out = n;
done:
	k8smig__rd_pop(r, old);
	return rc;
}

/* "API_KEY" -> "api-key": the Secret (and ExternalSecret) holding it. */
static const char *secret_name_for(mig_reader *r, const char *env)
{
	char *p = k8smig__spec_alloc(r->spec, strlen(env) + 1);
	size_t i;

	if (!p)
		return NULL;
	for (i = 0; env[i]; i++)
		p[i] = env[i] == '_' || env[i] == '.' ? '-' : (env[i] >= 'A' && env[i] <= 'Z') ? (char)(env[i] + 32) : env[i];
	return p;
}

static int read_secrets(mig_reader *r, const k8smig_value *svc, mig_service *s)
{
	static const char *const fields[] = { "name", "from", "key", "keys", "property", NULL };
	const k8smig_value *list, *it;
	size_t old, i = 0;
	int rc;

	if ((rc = k8smig__rd_list(r, svc, "secrets", &list)) < 0 || !list)
		return rc;
	if (!(s->secrets = k8smig__spec_alloc(r->spec, k8smig_value_size(list) * sizeof(*s->secrets))))
		return K8SMIG_ENOMEM;
	old = k8smig__rd_push_key(r, "secrets");
	for (it = k8smig_value_first(list); it; it = k8smig_value_next(it), i++) {
		mig_secret_ref *sr = &s->secrets[i];
		const char *from, *why;
		size_t o2 = k8smig__rd_push_index(r, i), j;

		if ((rc = k8smig__rd_item_map(r, it)) < 0 || (rc = k8smig__rd_check_fields(r, it, fields)) < 0 ||
		    (rc = k8smig__rd_required_str(r, it, "name", &sr->env)) < 0 ||
		    (rc = k8smig__rd_str(r, it, "from", "secretsManager", &from)) < 0 ||
		    (rc = k8smig__rd_required_str(r, it, "key", &sr->key)) < 0 ||
		    (rc = k8smig__rd_str(r, it, "property", NULL, &sr->property)) < 0)
			goto done;
		if ((why = k8smig__env_var_name(sr->env)) || k8smig__config_key(sr->env)) {
			rc = k8smig__rd_fail_at(r, "name", "is not a valid variable name: %s", why ? why : "not a Secret key");
			goto done;
		}
		if (strcmp(from, "secretsManager") == 0) {
			sr->source = MIG_SECRETS_MANAGER;
		} else if (strcmp(from, "parameterStore") == 0) {
			sr->source = MIG_PARAMETER_STORE;
		} else {
			rc = k8smig__rd_fail_at(r, "from", "must be secretsManager or parameterStore");
			goto done;
		}
		if (!plain_token(sr->key)) {
			rc = k8smig__rd_fail_at(r, "key", "must be a secret or parameter name without blanks or quotes");
			goto done;
		}
		/* environment names are checked once the environments are read (check_references) */
		if ((rc = read_env_map(r, it, "keys", &sr->keys, &sr->n_keys, false)) < 0)
			goto done;
		if (!(sr->secret_name = secret_name_for(r, sr->env))) {
			rc = K8SMIG_ENOMEM;
			goto done;
		}
		for (j = 0; j < i; j++)
			if (strcmp(s->secrets[j].env, sr->env) == 0) {
				rc = k8smig__rd_fail_at(r, "name", "duplicates secrets[%zu]", j);
				goto done;
			}
		k8smig__rd_pop(r, o2);
	}
	s->n_secrets = i;
done:
	k8smig__rd_pop(r, old);
	return rc;
}

static int read_mounts(mig_reader *r, const k8smig_value *svc, mig_service *s)
{
	static const char *const fields[] = { "name", "mountPath", "readOnly", NULL };
	const k8smig_value *list, *it;
	size_t old, i = 0;
	int rc;

	if ((rc = k8smig__rd_list(r, svc, "volumes", &list)) < 0 || !list)
		return rc;
	if (!(s->mounts = k8smig__spec_alloc(r->spec, k8smig_value_size(list) * sizeof(*s->mounts))))
		return K8SMIG_ENOMEM;
	old = k8smig__rd_push_key(r, "volumes");
	for (it = k8smig_value_first(list); it; it = k8smig_value_next(it), i++) {
		mig_mount *m = &s->mounts[i];
		size_t o2 = k8smig__rd_push_index(r, i), j;

		if ((rc = k8smig__rd_item_map(r, it)) < 0 || (rc = k8smig__rd_check_fields(r, it, fields)) < 0 ||
		    (rc = k8smig__rd_required_str(r, it, "name", &m->volume)) < 0 ||
		    (rc = k8smig__rd_required_str(r, it, "mountPath", &m->mount_path)) < 0 ||
		    (rc = k8smig__rd_bool(r, it, "readOnly", false, &m->read_only)) < 0)
			goto done;
		if (m->mount_path[0] != '/') {
			rc = k8smig__rd_fail_at(r, "mountPath", "must be an absolute path");
			goto done;
		}
		for (j = 0; j < i; j++)
			if (strcmp(s->mounts[j].volume, m->volume) == 0) {
				rc = k8smig__rd_fail_at(r, "name", "duplicates volumes[%zu]", j);
				goto done;
			}
		k8smig__rd_pop(r, o2);
	}
	s->n_mounts = i;
done:
	k8smig__rd_pop(r, old);
	return rc;
}

static int read_routes(mig_reader *r, const k8smig_value *svc, mig_service *s)
{
	static const char *const fields[] = { "path", "pathType", NULL };
	const k8smig_value *list, *it;
	size_t old, i = 0;
	int rc;

	if ((rc = k8smig__rd_list(r, svc, "ingress", &list)) < 0 || !list)
		return rc;
	if (!(s->routes = k8smig__spec_alloc(r->spec, k8smig_value_size(list) * sizeof(*s->routes))))
		return K8SMIG_ENOMEM;
	old = k8smig__rd_push_key(r, "ingress");
	for (it = k8smig_value_first(list); it; it = k8smig_value_next(it), i++) {
		mig_route *rt = &s->routes[i];
		size_t o2 = k8smig__rd_push_index(r, i);

		if ((rc = k8smig__rd_item_map(r, it)) < 0 || (rc = k8smig__rd_check_fields(r, it, fields)) < 0 ||
		    (rc = k8smig__rd_required_str(r, it, "path", &rt->path)) < 0 ||
		    (rc = k8smig__rd_str(r, it, "pathType", "Prefix", &rt->path_type)) < 0)
			goto done;
		if (rt->path[0] != '/' || !plain_token(rt->path)) {
			rc = k8smig__rd_fail_at(r, "path", "must be an absolute URL path");
			goto done;
		}
		if (strcmp(rt->path_type, "Prefix") && strcmp(rt->path_type, "Exact") &&
		    strcmp(rt->path_type, "ImplementationSpecific")) {
			rc = k8smig__rd_fail_at(r, "pathType", "must be Prefix, Exact or ImplementationSpecific");
			goto done;
		}
		k8smig__rd_pop(r, o2);
	}
	s->n_routes = i;
done:
	k8smig__rd_pop(r, old);
	return rc;
}

/* Image reference of a sidecar or init container: registry/repository[:tag][@digest], no blanks. */
static bool image_reference(const char *s)
{
	size_t i, n = strlen(s);
	if (!n || s[0] == '/' || s[0] == ':' || s[0] == '@' || s[n - 1] == '/' || s[n - 1] == ':')
		return false;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] <= ' ' || s[i] == '"' || s[i] == '\\' || s[i] == '\'' || (unsigned char)s[i] >= 0x7f)
			return false;
	return true;
}

/* services[].sidecars[] and .initContainers[] */
static int read_containers(mig_reader *r, const k8smig_value *svc, const char *key, mig_service *s, bool sidecar)
{
	static const char *const fields[] = { "name", "image", "command", "args", "workingDir", "env", "cpu", "memory",
	                                      "memoryRequest", "securityContext", "volumes", "readinessExec", NULL };
	static const char *const init_fields[] = { "name", "image", "command", "args", "workingDir", "env", "cpu",
	                                           "memory", "memoryRequest", "securityContext", "volumes", NULL };
	const k8smig_value *list, *it;
	mig_container *cs;
	size_t old, i = 0, j;
	int rc;

	if ((rc = k8smig__rd_list(r, svc, key, &list)) < 0 || !list)
		return rc;
	if (!(cs = k8smig__spec_alloc(r->spec, k8smig_value_size(list) * sizeof(*cs))))
		return K8SMIG_ENOMEM;
	old = k8smig__rd_push_key(r, key);
	for (it = k8smig_value_first(list); it; it = k8smig_value_next(it), i++) {
		mig_container *c = &cs[i];
		mig_service tmp;
		size_t o2 = k8smig__rd_push_index(r, i);

		memset(&tmp, 0, sizeof(tmp));
		if ((rc = k8smig__rd_item_map(r, it)) < 0 ||
		    (rc = k8smig__rd_check_fields(r, it, sidecar ? fields : init_fields)) < 0 ||
		    (rc = k8smig__rd_required_str(r, it, "name", &c->name)) < 0 || (rc = check_name(r, "name", c->name, false)) < 0)
			goto done;
		if (strcmp(c->name, MIG_CONTAINER) == 0) {
			rc = k8smig__rd_fail_at(r, "name", "is the service's own container (" MIG_CONTAINER ")");
			goto done;
		}
		for (j = 0; j < s->n_sidecars; j++)
			if (strcmp(s->sidecars[j].name, c->name) == 0) {
				rc = k8smig__rd_fail_at(r, "name", "is also the name of sidecars[%zu]", j);
				goto done;
			}
		for (j = 0; j < (sidecar ? i : s->n_inits); j++)
			if (strcmp((sidecar ? cs : s->inits)[j].name, c->name) == 0) {
				rc = k8smig__rd_fail_at(r, "name", "is also the name of %s[%zu]", sidecar ? "sidecars" : "initContainers", j);
				goto done;
			}
		for (j = 0; !sidecar && j < i; j++)
			if (strcmp(cs[j].name, c->name) == 0) {
				rc = k8smig__rd_fail_at(r, "name", "is also the name of initContainers[%zu]", j);
				goto done;
			}
		if ((rc = k8smig__rd_required_str(r, it, "image", &c->image)) < 0)
			goto done;
		if (!image_reference(c->image)) {
			rc = k8smig__rd_fail_at(r, "image", "must be an image reference (registry/repository:tag), without blanks");
			goto done;
		}
		if ((rc = k8smig__rd_str_list(r, it, "command", false, &c->command)) < 0 ||
		    (rc = k8smig__rd_str_list(r, it, "args", true, &c->args)) < 0 ||
		    (rc = k8smig__rd_str(r, it, "workingDir", NULL, &c->working_dir)) < 0)
			goto done;
		if (c->working_dir && (c->working_dir[0] != '/' || !plain_token(c->working_dir))) {
			rc = k8smig__rd_fail_at(r, "workingDir", "must be an absolute path");
			goto done;
		}
		if ((rc = read_env_map(r, it, "env", &c->env, &c->n_env, true)) < 0)
			goto done;
		/* every container needs requests: the HPA's utilization is over the whole pod */
		if (!k8smig_value_lookup(it, "cpu"))
			c->cpu = "50m";
		else if ((rc = read_cpu(r, it, &tmp)) < 0)
			goto done;
		else
			c->cpu = tmp.cpu;
		if (!k8smig_value_lookup(it, "memory")) {
			tmp.memory = "64Mi";
			tmp.memory_bytes = 64 * 1048576;
		} else if ((rc = read_memory(r, it, &tmp)) < 0) {
			goto done;
		}
		c->memory = tmp.memory;
		if ((rc = read_memory_request(r, it, &tmp)) < 0)
			goto done;
		c->memory_request = tmp.memory_request;
		if ((rc = read_security(r, it, &c->sec)) < 0 || (rc = read_mounts(r, it, &tmp)) < 0)
			goto done;
		c->mounts = tmp.mounts;
		c->n_mounts = tmp.n_mounts;
		if (sidecar && (rc = k8smig__rd_str_list(r, it, "readinessExec", false, &c->ready_exec)) < 0)
			goto done;
		k8smig__rd_pop(r, o2);
	}
	if (sidecar) {
		s->sidecars = cs;
		s->n_sidecars = i;
	} else {
		s->inits = cs;
		s->n_inits = i;
	}
done:
	k8smig__rd_pop(r, old);
	return rc;
}

static int read_disruption(mig_reader *r, const k8smig_value *svc, mig_service *s)
{
	static const char *const fields[] = { "enabled", "maxUnavailable", NULL };
	const k8smig_value *m;
	size_t old;
	int rc;

	s->pdb = true;
	s->pdb_max_unavailable = 1;
	if ((rc = k8smig__rd_map(r, svc, "disruptionBudget", &m)) < 0 || !m)
		return rc;
	old = k8smig__rd_push_key(r, "disruptionBudget");
	if ((rc = k8smig__rd_check_fields(r, m, fields)) < 0 || (rc = k8smig__rd_bool(r, m, "enabled", true, &s->pdb)) < 0 ||
	    (rc = k8smig__rd_i32(r, m, "maxUnavailable", 1, 1, 1000, &s->pdb_max_unavailable)) < 0)
		goto done;
done:
	k8smig__rd_pop(r, old);
	return rc;
}

static int read_spread(mig_reader *r, const k8smig_value *svc, mig_service *s)
{
	static const char *const fields[] = { "enabled", "maxSkew", "topologyKey", "whenUnsatisfiable", NULL };
	const k8smig_value *m;
	const char *when = "ScheduleAnyway";
	size_t old;
	int rc;

	s->spread = true;
	s->spread_skew = 1;
	s->spread_key = "topology.kubernetes.io/zone";
	if ((rc = k8smig__rd_map(r, svc, "topologySpread", &m)) < 0 || !m)
		return rc;
	old = k8smig__rd_push_key(r, "topologySpread");
	if ((rc = k8smig__rd_check_fields(r, m, fields)) < 0 || (rc = k8smig__rd_bool(r, m, "enabled", true, &s->spread)) < 0 ||
	    (rc = k8smig__rd_i32(r, m, "maxSkew", 1, 1, 1000, &s->spread_skew)) < 0 ||
	    (rc = k8smig__rd_str(r, m, "topologyKey", s->spread_key, &s->spread_key)) < 0 ||
	    (rc = k8smig__rd_str(r, m, "whenUnsatisfiable", when, &when)) < 0)
		goto done;
	if (k8smig__label_key(s->spread_key))
		rc = k8smig__rd_fail_at(r, "topologyKey", "is not a node label key (topology.kubernetes.io/zone, kubernetes.io/hostname)");
	else if (strcmp(when, "ScheduleAnyway") && strcmp(when, "DoNotSchedule"))
		rc = k8smig__rd_fail_at(r, "whenUnsatisfiable", "must be ScheduleAnyway or DoNotSchedule");
	s->spread_hard = strcmp(when, "DoNotSchedule") == 0;
done:
	k8smig__rd_pop(r, old);
	return rc;
}

static int read_service(mig_reader *r, const k8smig_value *m, mig_service *s)
{
	static const char *const fields[] = { "name", "image", "dockerfile", "port", "cpu", "memory", "desiredCount",
	                                      "minCount", "maxCount", "env", "secrets", "volumes", "health",
	                                      "ingress", "scaling", "memoryRequest", "terminationGracePeriodSeconds",
	                                      "worker", "preStopSleepSeconds", "command", "args", "workingDir",
	                                      "securityContext", "sidecars", "initContainers", "disruptionBudget",
	                                      "topologySpread", "fargate", NULL };
	int rc;

	if ((rc = k8smig__rd_item_map(r, m)) < 0 || (rc = k8smig__rd_check_fields(r, m, fields)) < 0 ||
	    (rc = k8smig__rd_bool(r, m, "fargate", false, &s->fargate)) < 0 ||
	    (rc = k8smig__rd_required_str(r, m, "name", &s->name)) < 0)
		return rc;
	/* the Service's name is a DNS-1035 label, and the other services reach it by that name */
	if ((rc = check_name(r, "name", s->name, true)) < 0 || (rc = k8smig__rd_required_str(r, m, "image", &s->image)) < 0)
		return rc;
	if (!image_repository(s->image))
		return k8smig__rd_fail_at(r, "image", "must be an ECR repository name (lowercase, digits, . _ - /; no tag)");
	if ((rc = k8smig__rd_str(r, m, "dockerfile", NULL, &s->dockerfile)) < 0)
		return rc;
	if (!s->dockerfile && !(s->dockerfile = k8smig__spec_printf(r->spec, "services/%s/Dockerfile", s->name)))
		return K8SMIG_ENOMEM;
	if (!plain_token(s->dockerfile))
		return k8smig__rd_fail_at(r, "dockerfile", "must be a path without blanks or quotes");
	if ((rc = k8smig__rd_bool(r, m, "worker", false, &s->worker)) < 0)
		return rc;
	if (s->worker && k8smig_value_lookup(m, "port"))
		return k8smig__rd_fail_at(r, "port", "a worker serves no port: leave port out (or set worker: false)");
	if (s->worker && k8smig_value_lookup(m, "ingress"))
		return k8smig__rd_fail_at(r, "ingress", "a worker serves no port, so the ALB cannot route to it");
	/* terminationGracePeriodSeconds: -1 until the checks after ingress: (check_rollout) */
	if ((rc = k8smig__rd_i32(r, m, "port", s->worker ? 0 : 8080, 1, 65535, &s->port)) < 0 || (rc = read_cpu(r, m, s)) < 0 ||
	    (rc = read_memory(r, m, s)) < 0 || (rc = read_memory_request(r, m, s)) < 0 ||
	    (rc = k8smig__rd_i32(r, m, "terminationGracePeriodSeconds", -1, 0, 3600, &s->grace)) < 0 ||
	    (rc = k8smig__rd_i32(r, m, "preStopSleepSeconds", s->worker ? 0 : 10, 0, 3600, &s->pre_stop)) < 0 ||
	    (rc = k8smig__rd_i32(r, m, "desiredCount", 1, 0, 1000, &s->desired)) < 0 ||
	    (rc = k8smig__rd_i32(r, m, "minCount", 1, 1, 1000, &s->min)) < 0 ||
	    (rc = k8smig__rd_i32(r, m, "maxCount", s->desired > s->min ? s->desired : s->min, 1, 1000, &s->max)) < 0)
		return rc;
	if (s->min > s->max)
		return k8smig__rd_fail_at(r, "minCount", "must not be above maxCount");
	if (s->desired > s->max)
		return k8smig__rd_fail_at(r, "desiredCount", "must not be above maxCount");
	if ((rc = k8smig__rd_str_list(r, m, "command", false, &s->command)) < 0 ||
	    (rc = k8smig__rd_str_list(r, m, "args", true, &s->args)) < 0 ||
	    (rc = k8smig__rd_str(r, m, "workingDir", NULL, &s->working_dir)) < 0)
		return rc;
	if (s->working_dir && (s->working_dir[0] != '/' || !plain_token(s->working_dir)))
		return k8smig__rd_fail_at(r, "workingDir", "must be an absolute path");
	if ((rc = read_env_map(r, m, "env", &s->env, &s->n_env, true)) < 0 || (rc = read_secrets(r, m, s)) < 0 ||
	    (rc = read_mounts(r, m, s)) < 0 || (rc = read_health(r, m, s)) < 0 || (rc = read_routes(r, m, s)) < 0 ||
	    (rc = read_scaling(r, m, s)) < 0 || (rc = read_security(r, m, &s->sec)) < 0 ||
	    (rc = read_containers(r, m, "sidecars", s, true)) < 0 || (rc = read_containers(r, m, "initContainers", s, false)) < 0 ||
	    (rc = read_disruption(r, m, s)) < 0 || (rc = read_spread(r, m, s)) < 0)
		return rc;
	return 0;
}

static int read_services(mig_reader *r, const k8smig_value *root)
{
	k8smig_spec *s = r->spec;
	const k8smig_value *list, *it;
	size_t old, i = 0, j;
	int rc;

	if ((rc = k8smig__rd_list(r, root, "services", &list)) < 0)
		return rc;
	if (!list || !k8smig_value_size(list))
		return k8smig__rd_fail_at(r, "services", "is required: at least one service");
	if (!(s->services = k8smig__spec_alloc(s, k8smig_value_size(list) * sizeof(*s->services))))
		return K8SMIG_ENOMEM;
	old = k8smig__rd_push_key(r, "services");
	for (it = k8smig_value_first(list); it; it = k8smig_value_next(it), i++) {
		size_t o2 = k8smig__rd_push_index(r, i);
		if ((rc = read_service(r, it, &s->services[i])) < 0)
			goto done;
		for (j = 0; j < i; j++)
			if (strcmp(s->services[j].name, s->services[i].name) == 0) {
				rc = k8smig__rd_fail_at(r, "name", "duplicate service: services[%zu] has the same name", j);
				goto done;
			}
		k8smig__rd_pop(r, o2);
	}
	s->n_services = i;
done:
	k8smig__rd_pop(r, old);
	return rc;
}

static int read_overrides(mig_reader *r, const k8smig_value *replicas, mig_env *e)
{
	static const char *const fields[] = { "min", "max", NULL };
	const k8smig_value *m, *it;
	size_t old, i = 0;
	int rc;

	if ((rc = k8smig__rd_map(r, replicas, "services", &m)) < 0 || !m)
		return rc;
	if (!(e->overrides = k8smig__spec_alloc(r->spec, k8smig_value_size(m) * sizeof(*e->overrides))))
		return K8SMIG_ENOMEM;
	old = k8smig__rd_push_key(r, "services");
	for (it = k8smig_value_first(m); it; it = k8smig_value_next(it), i++) {
		mig_replica_override *o = &e->overrides[i];
		size_t o2 = k8smig__rd_push_key(r, k8smig_value_key(it)), j;
		const mig_service *svc = NULL;

		for (j = 0; j < r->spec->n_services; j++)
			if (strcmp(r->spec->services[j].name, k8smig_value_key(it)) == 0)
				svc = &r->spec->services[j];
		if (!svc) {
			rc = k8smig__rd_fail(r, "names no service of the spec");
			goto done;
		}
		if ((rc = k8smig__rd_item_map(r, it)) < 0 || (rc = k8smig__rd_check_fields(r, it, fields)) < 0 ||
		    (rc = k8smig__rd_i32(r, it, "min", 0, 1, 1000, &o->min)) < 0 ||
		    (rc = k8smig__rd_i32(r, it, "max", 0, 1, 1000, &o->max)) < 0)
			goto done;
		if (o->min && o->max && o->min > o->max) {
			rc = k8smig__rd_fail_at(r, "min", "must not be above max");
			goto done;
		}
		o->service = svc->name;
		k8smig__rd_pop(r, o2);
	}
	e->n_overrides = i;
done:
	k8smig__rd_pop(r, old);
	return rc;
}

static int read_env(mig_reader *r, const char *name, const k8smig_value *m, mig_env *e)
{
	static const char *const fields[] = { "namespace", "replicas", "resources", "image", "hosts", "tls",
	                                      "storage", "alarms", "logging", NULL };
	static const char *const logging_fields[] = { "retentionDays", NULL };
	static const char *const replica_fields[] = { "factor", "floor", "services", NULL };
	static const char *const resource_fields[] = { "factor", NULL };
	static const char *const image_fields[] = { "tag", "policy", NULL };
	static const char *const tls_fields[] = { "enabled", "certificateArn", NULL };
	static const char *const storage_fields[] = { "reuseExisting", NULL };
	const k8smig_value *sub, *hosts;
	const char *policy;
	size_t old;
	int rc;

	e->name = name;
	e->replica_factor = e->resource_factor = 1.0;
	e->image_tag = MIG_TAG_SET_BY_CI;
	e->tag_from_commit = true;
	e->alarms = true;
	e->retention_days = -1;
	if (!(e->ns = k8smig__spec_printf(r->spec, "%s-%s", r->spec->name, name)))
		return K8SMIG_ENOMEM;
	if (!m)
		return 0;
	if ((rc = k8smig__rd_item_map(r, m)) < 0 || (rc = k8smig__rd_check_fields(r, m, fields)) < 0 ||
	    (rc = k8smig__rd_str(r, m, "namespace", e->ns, &e->ns)) < 0 || (rc = check_name(r, "namespace", e->ns, false)) < 0)
		return rc;
	if ((rc = k8smig__rd_map(r, m, "replicas", &sub)) < 0)
		return rc;
	if (sub) {
		old = k8smig__rd_push_key(r, "replicas");
		if ((rc = k8smig__rd_check_fields(r, sub, replica_fields)) < 0 ||
		    (rc = k8smig__rd_factor(r, sub, "factor", &e->replica_factor)) < 0 ||
		    (rc = k8smig__rd_i32(r, sub, "floor", 0, 1, 1000, &e->replica_floor)) < 0 || (rc = read_overrides(r, sub, e)) < 0)
			return rc;
		k8smig__rd_pop(r, old);
	}
	if ((rc = k8smig__rd_map(r, m, "resources", &sub)) < 0)
		return rc;
	if (sub) {
		old = k8smig__rd_push_key(r, "resources");
		if ((rc = k8smig__rd_check_fields(r, sub, resource_fields)) < 0 ||
		    (rc = k8smig__rd_factor(r, sub, "factor", &e->resource_factor)) < 0)
			return rc;
		k8smig__rd_pop(r, old);
	}
	if ((rc = k8smig__rd_map(r, m, "image", &sub)) < 0)
		return rc;
	if (sub) {
		old = k8smig__rd_push_key(r, "image");
		if ((rc = k8smig__rd_check_fields(r, sub, image_fields)) < 0 || (rc = k8smig__rd_str(r, sub, "tag", MIG_TAG_SET_BY_CI, &e->image_tag)) < 0 ||
		    (rc = k8smig__rd_str(r, sub, "policy", "commit-sha", &policy)) < 0)
			return rc;
		if (!plain_token(e->image_tag) || strchr(e->image_tag, ':') || strlen(e->image_tag) > 128)
			return k8smig__rd_fail_at(r, "tag", "is not a valid image tag");
		if (strcmp(policy, "commit-sha") && strcmp(policy, "fixed"))
			return k8smig__rd_fail_at(r, "policy", "must be commit-sha or fixed");
		e->tag_from_commit = strcmp(policy, "commit-sha") == 0;
		/* a deploy must name the image it runs: never the mutable latest, and fixed needs its tag */
		if (strcmp(e->image_tag, "latest") == 0)
			return k8smig__rd_fail_at(r, "tag", "must not be latest (a moving tag): name a release, or let CI set the commit's");
		if (!e->tag_from_commit && strcmp(e->image_tag, MIG_TAG_SET_BY_CI) == 0)
			return k8smig__rd_fail_at(r, "tag", "is required with policy fixed");
		k8smig__rd_pop(r, old);
	}
	if ((rc = k8smig__rd_list(r, m, "hosts", &hosts)) < 0)
		return rc;
	if (hosts) {
		const k8smig_value *h;
		size_t i = 0;
		if (!(e->hosts = k8smig__spec_alloc(r->spec, k8smig_value_size(hosts) * sizeof(*e->hosts))))
			return K8SMIG_ENOMEM;
		old = k8smig__rd_push_key(r, "hosts");
		for (h = k8smig_value_first(hosts); h; h = k8smig_value_next(h), i++) {
			size_t o2 = k8smig__rd_push_index(r, i);
			if (k8smig_value_type(h) != K8SMIG_TYPE_STRING)
				return k8smig__rd_fail(r, "must be a string, not %s", k8smig__rd_type_name(k8smig_value_type(h)));
			if (k8smig__rd_holds_nul(h) || k8smig__dns1123_subdomain(k8smig_value_str(h)))
				return k8smig__rd_fail(r, "is not a DNS host name");
			if (!(e->hosts[i] = k8smig__rd_dup_str(r, k8smig_value_str(h))))
				return K8SMIG_ENOMEM;
			k8smig__rd_pop(r, o2);
		}
		e->n_hosts = i;
		k8smig__rd_pop(r, old);
	}
	if ((rc = k8smig__rd_map(r, m, "tls", &sub)) < 0)
		return rc;
	if (sub) {
		old = k8smig__rd_push_key(r, "tls");
		if ((rc = k8smig__rd_check_fields(r, sub, tls_fields)) < 0 || (rc = k8smig__rd_bool(r, sub, "enabled", false, &e->tls)) < 0 ||
		    (rc = k8smig__rd_str(r, sub, "certificateArn", NULL, &e->certificate_arn)) < 0)
			return rc;
		if (e->tls && !e->certificate_arn)
			return k8smig__rd_fail_at(r, "certificateArn", "is required when TLS is enabled (the ALB takes its certificate from ACM)");
		if (e->certificate_arn && (strncmp(e->certificate_arn, "arn:", 4) || !plain_token(e->certificate_arn)))
			return k8smig__rd_fail_at(r, "certificateArn", "must be an ACM certificate ARN");
		k8smig__rd_pop(r, old);
	}
	if ((rc = k8smig__rd_map(r, m, "storage", &sub)) < 0)
		return rc;
	if (sub) {
		old = k8smig__rd_push_key(r, "storage");
		if ((rc = k8smig__rd_check_fields(r, sub, storage_fields)) < 0 ||
		    (rc = k8smig__rd_bool(r, sub, "reuseExisting", false, &e->static_volumes)) < 0)
			return rc;
		k8smig__rd_pop(r, old);
	}
	if ((rc = k8smig__rd_map(r, m, "logging", &sub)) < 0)
		return rc;
	if (sub) {
		int64_t days;
		old = k8smig__rd_push_key(r, "logging");
		/* -1: not given, logging.retentionDays applies (read later) */
		if ((rc = k8smig__rd_check_fields(r, sub, logging_fields)) < 0 || (rc = k8smig__rd_int(r, sub, "retentionDays", -1, 0, 3653, &days)) < 0)
			return rc;
		if (days >= 0 && !retention_ok(days))
			return k8smig__rd_fail_at(r, "retentionDays", "must be a CloudWatch Logs retention (1, 3, 5, 7, 14, 30, 60, 90, ...)");
		e->retention_days = (int32_t)days;
		k8smig__rd_pop(r, old);
	} else {
		e->retention_days = -1;
	}
	return k8smig__rd_bool(r, m, "alarms", true, &e->alarms);
}

static int read_envs(mig_reader *r, const k8smig_value *root)
{
	static const char *const defaults[] = { "dev", "staging", "prod" };
	k8smig_spec *s = r->spec;
	const k8smig_value *m, *it;
	size_t old, i = 0, j;
	int rc;

	if ((rc = k8smig__rd_map(r, root, "environments", &m)) < 0)
		return rc;
	if (!m) {
		if (!(s->envs = k8smig__spec_alloc(s, 3 * sizeof(*s->envs))))
			return K8SMIG_ENOMEM;
		for (i = 0; i < 3; i++)
			if ((rc = read_env(r, defaults[i], NULL, &s->envs[i])) < 0)
				return rc;
		s->n_envs = 3;
		s->envs[2].replica_floor = 2; /* prod */
		for (i = 0; i < 2; i++)
			s->envs[i].replica_floor = 1;
		return 0;
	}
	if (!k8smig_value_size(m))
		return k8smig__rd_fail_at(r, "environments", "needs at least one environment");
	if (!(s->envs = k8smig__spec_alloc(s, k8smig_value_size(m) * sizeof(*s->envs))))
		return K8SMIG_ENOMEM;
	old = k8smig__rd_push_key(r, "environments");
	for (it = k8smig_value_first(m); it; it = k8smig_value_next(it), i++) {
		const char *name = k8smig__rd_dup_str(r, k8smig_value_key(it));
		size_t o2;
		if (!name) {
			rc = K8SMIG_ENOMEM;
			goto done;
		}
		if ((rc = check_name(r, name, name, false)) < 0)
			goto done;
		o2 = k8smig__rd_push_key(r, name);
		if ((rc = read_env(r, name, k8smig_value_type(it) == K8SMIG_TYPE_NULL ? NULL : it, &s->envs[i])) < 0)
			goto done;
		for (j = 0; j < i; j++)
			if (strcmp(s->envs[j].ns, s->envs[i].ns) == 0) {
				rc = k8smig__rd_fail_at(r, "namespace", "is also the namespace of environment %s", s->envs[j].name);
				goto done;
			}
		k8smig__rd_pop(r, o2);
	}
	s->n_envs = i;
	/* replicas.floor: 2 in production (an environment named prod or production, or the last of several) */
	for (j = 0; j < i; j++)
		if (!s->envs[j].replica_floor)
			s->envs[j].replica_floor = strcmp(s->envs[j].name, "prod") == 0 ||
			                                           strcmp(s->envs[j].name, "production") == 0 || (i > 1 && j == i - 1)
			                                   ? 2 : 1;
done:
	k8smig__rd_pop(r, old);
	return rc;
}

static int read_config(mig_reader *r, const k8smig_value *root)
{
	static const char *const fields[] = { "name", "data", NULL };
	k8smig_spec *s = r->spec;
	const k8smig_value *m;
	const char *why;
	size_t old;
	int rc;

	if (!(s->config_name = k8smig__spec_printf(s, "%s-config", s->name)))
		return K8SMIG_ENOMEM;
	if ((rc = k8smig__rd_map(r, root, "config", &m)) < 0 || !m)
		return rc;
	old = k8smig__rd_push_key(r, "config");
	if ((rc = k8smig__rd_check_fields(r, m, fields)) < 0 || (rc = k8smig__rd_str(r, m, "name", s->config_name, &s->config_name)) < 0 ||
	    (rc = read_env_map(r, m, "data", &s->config, &s->n_config, false)) < 0)
		goto done;
	if ((why = k8smig__dns1123_subdomain(s->config_name)))
		rc = k8smig__rd_fail_at(r, "name", "is not a valid name: %s", why);
done:
	k8smig__rd_pop(r, old);
	return rc;
}

static int read_storage(mig_reader *r, const k8smig_value *root)
{
	static const char *const fields[] = { "efs", "storageClass", "basePath", "volumes", NULL };
	static const char *const efs_fields[] = { "fileSystemId", NULL };
	static const char *const vol_fields[] = { "name", "size", "accessMode", "accessPoint", "path", NULL };
	k8smig_spec *s = r->spec;
	const k8smig_value *m, *efs, *list, *it;
	size_t old, o2, i = 0, j;
	int rc;

	if ((rc = k8smig__rd_map(r, root, "storage", &m)) < 0 || !m)
		return rc;
	old = k8smig__rd_push_key(r, "storage");
	if ((rc = k8smig__rd_check_fields(r, m, fields)) < 0 || (rc = k8smig__rd_list(r, m, "volumes", &list)) < 0)
		goto done;
	if (!list || !k8smig_value_size(list)) /* no volumes: no storage at all */
		goto done;
	if ((rc = k8smig__rd_map(r, m, "efs", &efs)) < 0)
		goto done;
	if (!efs) {
		rc = k8smig__rd_fail_at(r, "efs", "is required with volumes (fileSystemId)");
		goto done;
	}
	o2 = k8smig__rd_push_key(r, "efs");
	if ((rc = k8smig__rd_check_fields(r, efs, efs_fields)) < 0 ||
	    (rc = k8smig__rd_required_str(r, efs, "fileSystemId", &s->file_system_id)) < 0)
		goto done;
	if (!is_hex_id(s->file_system_id, "fs-")) {
		rc = k8smig__rd_fail_at(r, "fileSystemId", "must be fs- and 8 or 17 lowercase hex digits");
		goto done;
	}
	k8smig__rd_pop(r, o2);
	if ((rc = k8smig__rd_str(r, m, "storageClass", "efs-sc", &s->storage_class)) < 0)
		goto done;
	if (k8smig__dns1123_subdomain(s->storage_class)) {
		rc = k8smig__rd_fail_at(r, "storageClass", "is not a valid StorageClass name");
		goto done;
	}
	if (!(s->base_path = k8smig__spec_printf(s, "/%s", s->name)) ||
	    (rc = k8smig__rd_str(r, m, "basePath", s->base_path, &s->base_path)) < 0)
		goto nomem_or_rc;
	if (s->base_path[0] != '/' || !plain_token(s->base_path)) {
		rc = k8smig__rd_fail_at(r, "basePath", "must be an absolute path");
		goto done;
	}
	if (!(s->volumes = k8smig__spec_alloc(s, k8smig_value_size(list) * sizeof(*s->volumes))))
		goto nomem_or_rc;
	o2 = k8smig__rd_push_key(r, "volumes");
	for (it = k8smig_value_first(list); it; it = k8smig_value_next(it), i++) {
		mig_volume *v = &s->volumes[i];
		size_t o3 = k8smig__rd_push_index(r, i);
		k8smig_quantity q;

		if ((rc = k8smig__rd_item_map(r, it)) < 0 || (rc = k8smig__rd_check_fields(r, it, vol_fields)) < 0 ||
		    (rc = k8smig__rd_required_str(r, it, "name", &v->name)) < 0 || (rc = check_name(r, "name", v->name, false)) < 0 ||
		    (rc = k8smig__rd_str(r, it, "size", "10Gi", &v->size)) < 0 ||
		    (rc = k8smig__rd_str(r, it, "accessMode", "ReadWriteMany", &v->access_mode)) < 0 ||
		    (rc = k8smig__rd_str(r, it, "accessPoint", NULL, &v->access_point)) < 0 ||
		    (rc = k8smig__rd_str(r, it, "path", NULL, &v->path)) < 0)
			goto done;
		if (k8smig_quantity_parse(&q, v->size) < 0 || k8smig_quantity_value(&q) <= 0) {
			rc = k8smig__rd_fail_at(r, "size", "is not a storage quantity (e.g. 10Gi)");
			goto done;
		}
		if (strcmp(v->access_mode, "ReadWriteMany") && strcmp(v->access_mode, "ReadOnlyMany") &&
		    strcmp(v->access_mode, "ReadWriteOnce")) {
			rc = k8smig__rd_fail_at(r, "accessMode", "must be ReadWriteMany, ReadOnlyMany or ReadWriteOnce");
			goto done;
		}
		if (v->access_point && !is_hex_id(v->access_point, "fsap-")) {
			rc = k8smig__rd_fail_at(r, "accessPoint", "must be fsap- and 8 or 17 lowercase hex digits");
			goto done;
		}
		if (!v->path && !(v->path = k8smig__spec_printf(s, "/%s", v->name)))
			goto nomem_or_rc;
		if (v->path[0] != '/' || !plain_token(v->path)) {
			rc = k8smig__rd_fail_at(r, "path", "must be an absolute path on the file system");
			goto done;
		}
		for (j = 0; j < i; j++)
			if (strcmp(s->volumes[j].name, v->name) == 0) {
				rc = k8smig__rd_fail_at(r, "name", "duplicates volumes[%zu]", j);
				goto done;
			}
		k8smig__rd_pop(r, o3);
	}
	s->n_volumes = i;
	goto done;
nomem_or_rc:
	if (rc == 0)
		rc = K8SMIG_ENOMEM;
done:
	k8smig__rd_pop(r, old);
	return rc;
}

static int read_ingress(mig_reader *r, const k8smig_value *root)
{
	static const char *const fields[] = { "name", "scheme", "groupName", "healthcheckPath", "deregistrationDelaySeconds",
	                                      "podReadinessGate", NULL };
	k8smig_spec *s = r->spec;
	const k8smig_value *m;
	size_t old;
	int rc;

	s->ingress_name = s->ingress_group = s->name;
	s->ingress_scheme = "internet-facing";
	s->healthcheck_path = NULL;
	s->deregistration_delay = 30;
	s->readiness_gate = true;
	if ((rc = k8smig__rd_map(r, root, "ingress", &m)) < 0 || !m)
		goto derive;
	old = k8smig__rd_push_key(r, "ingress");
	if ((rc = k8smig__rd_check_fields(r, m, fields)) < 0 || (rc = k8smig__rd_str(r, m, "name", s->name, &s->ingress_name)) < 0 ||
	    (rc = k8smig__rd_str(r, m, "scheme", "internet-facing", &s->ingress_scheme)) < 0 ||
	    (rc = k8smig__rd_str(r, m, "groupName", s->name, &s->ingress_group)) < 0 ||
	    (rc = k8smig__rd_str(r, m, "healthcheckPath", NULL, &s->healthcheck_path)) < 0 ||
	    (rc = k8smig__rd_i32(r, m, "deregistrationDelaySeconds", 30, 0, 3600, &s->deregistration_delay)) < 0 ||
	    (rc = k8smig__rd_bool(r, m, "podReadinessGate", true, &s->readiness_gate)) < 0)
		goto done;
	s->healthcheck_path_set = s->healthcheck_path != NULL;
	if (!s->healthcheck_path)
		s->healthcheck_path = "/health";
	if (k8smig__dns1123_subdomain(s->ingress_name))
		rc = k8smig__rd_fail_at(r, "name", "is not a valid Ingress name");
	else if (strcmp(s->ingress_scheme, "internet-facing") && strcmp(s->ingress_scheme, "internal"))
		rc = k8smig__rd_fail_at(r, "scheme", "must be internet-facing or internal");
	else if (k8smig__dns1123_label(s->ingress_group))
		rc = k8smig__rd_fail_at(r, "groupName", "must be a DNS label");
	else if (s->healthcheck_path[0] != '/' || !plain_token(s->healthcheck_path))
		rc = k8smig__rd_fail_at(r, "healthcheckPath", "must be an absolute URL path");
done:
	k8smig__rd_pop(r, old);
	if (rc < 0)
		return rc;
derive:
	/* not given: the health path the first routed service declares (each routed Service carries its own) */
	if (!s->healthcheck_path_set) {
		size_t i;
		s->healthcheck_path = "/health";
		for (i = 0; i < s->n_services; i++)
			if (k8smig__service_routed(&s->services[i])) {
				s->healthcheck_path = s->services[i].health_path;
				break;
			}
	}
	return 0;
}

bool k8smig__service_routed(const mig_service *s)
{
	return s->n_routes > 0;
}

/*
 * terminationGracePeriodSeconds against preStopSleepSeconds and the ALB's deregistration delay: a
 * terminating pod sleeps (the endpoints and the ALB stop sending to it), and the ALB drains it for
 * the deregistration delay; the kubelet must not kill it before both are over. Absent, the grace
 * period is preStop + deregistration + 20 s, at least 30 s.
 */
static int check_rollout(mig_reader *r)
{
	k8smig_spec *s = r->spec;
	size_t i;

	for (i = 0; i < s->n_services; i++) {
		mig_service *svc = &s->services[i];
		bool alb = k8smig__service_routed(svc);
		int32_t need = svc->pre_stop + (alb ? s->deregistration_delay : 0);
		if (svc->grace < 0) {
			svc->grace = need + 20 < 30 ? 30 : need + 20 > 3600 ? 3600 : need + 20;
			if (svc->grace > need)
				continue;
		}
		if (svc->grace <= need && need > 0) {
			size_t old = k8smig__rd_push_key(r, "services");
			int rc;
			k8smig__rd_push_index(r, i);
			rc = k8smig__rd_fail_at(r, "terminationGracePeriodSeconds",
			                        alb ? "must be above preStopSleepSeconds plus ingress.deregistrationDelaySeconds "
			                              "(the pod must outlive its sleep and the ALB's draining)"
			                            : "must be above preStopSleepSeconds (the pod must outlive its sleep)");
			k8smig__rd_pop(r, old);
			return rc;
		}
	}
	return 0;
}

/* The pattern with ${app} and ${environment} filled in and "/${service}" cut off; NULL with rc set. */
static const char *log_group_prefix(mig_reader *r, const mig_env *e, size_t len, int *rc)
{
	static const struct {
		const char *name;
		size_t n;
	} vars[] = { { "${app}", 6 }, { "${environment}", 14 } };
	k8smig__buf b = K8SMIG__BUF_INIT;
	const char *p = r->spec->log_group_pattern, *end = p + len, *out;
	size_t v;

	while (p < end) {
		for (v = 0; v < 2; v++)
			if ((size_t)(end - p) >= vars[v].n && strncmp(p, vars[v].name, vars[v].n) == 0)
				break;
		if (v < 2) {
			k8smig__buf_puts(&b, v == 0 ? r->spec->name : e->name);
			p += vars[v].n;
		} else {
			k8smig__buf_putc(&b, *p++);
		}
	}
	out = b.failed ? NULL : k8smig__rd_dup_str(r, k8smig__buf_cstr(&b));
	k8smig__buf_free(&b);
	if (!out) {
		*rc = K8SMIG_ENOMEM;
		return NULL;
	}
	if (strchr(out, '$')) {
		*rc = k8smig__rd_fail_at(r, "logGroupPattern", "knows only ${app}, ${environment} and ${service}");
		return NULL;
	}
	return out;
}

static int read_logging(mig_reader *r, const k8smig_value *root)
{
	static const char *const fields[] = { "logGroupPattern", "retentionDays", NULL };
	static const char suffix[] = "/${service}";
	k8smig_spec *s = r->spec;
	const k8smig_value *m = NULL;
	size_t old = r->path.len, n, i;
	int64_t days;
	int rc = 0;

	s->log_group_pattern = "/eks/${app}/${environment}/${service}";
	s->retention_days = 7;
	if ((rc = k8smig__rd_map(r, root, "logging", &m)) < 0)
		return rc;
	if (m) {
		old = k8smig__rd_push_key(r, "logging");
		if ((rc = k8smig__rd_check_fields(r, m, fields)) < 0 ||
		    (rc = k8smig__rd_str(r, m, "logGroupPattern", s->log_group_pattern, &s->log_group_pattern)) < 0 ||
		    (rc = k8smig__rd_int(r, m, "retentionDays", 7, 0, 3653, &days)) < 0)
			goto done;
		if (!retention_ok(days)) {
			rc = k8smig__rd_fail_at(r, "retentionDays", "must be a CloudWatch Logs retention (1, 3, 5, 7, 14, 30, 60, 90, ...)");
			goto done;
		}
		s->retention_days = (int32_t)days;
	}
	/* Fluent Bit names the group <prefix>/<service label>: the pattern must end so */
	n = strlen(s->log_group_pattern);
	if (n <= sizeof(suffix) - 1 || strcmp(s->log_group_pattern + n - (sizeof(suffix) - 1), suffix) != 0 ||
	    s->log_group_pattern[0] != '/' || !plain_token(s->log_group_pattern)) {
		rc = m ? k8smig__rd_fail_at(r, "logGroupPattern", "must start with / and end with /${service}") : K8SMIG_ESCHEMA;
		goto done;
	}
	/* one environment's logs must never land in another's groups */
	if (s->n_envs > 1 && !strstr(s->log_group_pattern, "${environment}")) {
		rc = k8smig__rd_fail_at(r, "logGroupPattern", "must contain ${environment} when there is more than one environment "
		                                   "(each environment logs into its own groups)");
		goto done;
	}
	for (i = 0; i < s->n_envs; i++) {
		mig_env *e = &s->envs[i];
		if (!(e->log_group_prefix = log_group_prefix(r, e, n - (sizeof(suffix) - 1), &rc)))
			goto done;
		if (e->retention_days < 0)
			e->retention_days = s->retention_days;
	}
done:
	k8smig__rd_pop(r, old);
	return rc;
}

static int read_alarms(mig_reader *r, const k8smig_value *root)
{
	static const char *const fields[] = { "cpuPercent", "memoryPercent", "minPods", "snsTopicArn", NULL };
	k8smig_spec *s = r->spec;
	const k8smig_value *m;
	size_t old;
	int rc;

	s->alarm_cpu = 80;
	s->alarm_memory = 85;
	s->alarm_min_pods = 1;
	if ((rc = k8smig__rd_map(r, root, "alarms", &m)) < 0 || !m)
		return rc;
	old = k8smig__rd_push_key(r, "alarms");
	if ((rc = k8smig__rd_check_fields(r, m, fields)) < 0 || (rc = k8smig__rd_i32(r, m, "cpuPercent", 80, 1, 1000, &s->alarm_cpu)) < 0 ||
	    (rc = k8smig__rd_i32(r, m, "memoryPercent", 85, 1, 1000, &s->alarm_memory)) < 0 ||
	    (rc = k8smig__rd_i32(r, m, "minPods", 1, 1, 1000, &s->alarm_min_pods)) < 0 ||
	    (rc = k8smig__rd_str(r, m, "snsTopicArn", NULL, &s->sns_topic_arn)) < 0)
		goto done;
	if (s->sns_topic_arn && (strncmp(s->sns_topic_arn, "arn:", 4) || !plain_token(s->sns_topic_arn)))
		rc = k8smig__rd_fail_at(r, "snsTopicArn", "must be an SNS topic ARN");
done:
	k8smig__rd_pop(r, old);
	return rc;
}

/* A chart version (3.5.0) or an EKS add-on version (v6.4.0-eksbuild.1). */
static bool version_ok(const char *v)
{
	size_t i;
	if (!*v || strlen(v) > 64)
		return false;
	for (i = 0; v[i]; i++)
		if (!((v[i] >= '0' && v[i] <= '9') || (v[i] >= 'a' && v[i] <= 'z') || (v[i] >= 'A' && v[i] <= 'Z') ||
		      v[i] == '.' || v[i] == '-' || v[i] == '+'))
			return false;
	return v[0] != '-' && v[0] != '.';
}

/* The defaults are the releases docs/aws.md and tests/fixtures/aws record. */
static int read_versions(mig_reader *r, const k8smig_value *root)
{
	static const char *const fields[] = { "awsLoadBalancerController", "externalSecrets", "awsEfsCsiDriver",
	                                      "metricsServer", "cloudwatchObservability", NULL };
	static const char *const defaults[] = { "3.5.0", "2.9.0", "4.4.1", "3.13.1", "v6.4.0-eksbuild.1" };
	k8smig_spec *s = r->spec;
	const char **slots[] = { &s->v_load_balancer_controller, &s->v_external_secrets, &s->v_efs_csi_driver,
	                         &s->v_metrics_server, &s->v_cloudwatch_observability };
	const k8smig_value *m;
	size_t old, i;
	int rc;

	if ((rc = k8smig__rd_map(r, root, "versions", &m)) < 0)
		return rc;
	if (!m) {
		for (i = 0; i < 5; i++)
			*slots[i] = defaults[i];
		return 0;
	}
	old = k8smig__rd_push_key(r, "versions");
	if ((rc = k8smig__rd_check_fields(r, m, fields)) < 0)
		goto done;
	for (i = 0; i < 5; i++) {
		if ((rc = k8smig__rd_str(r, m, fields[i], defaults[i], slots[i])) < 0)
			goto done;
		if (!version_ok(*slots[i])) {
			rc = k8smig__rd_fail_at(r, fields[i], "is not a chart or add-on version");
			goto done;
		}
	}
	if ((*slots[4])[0] != 'v') {
		rc = k8smig__rd_fail_at(r, fields[4], "is an EKS add-on version (v<chart version>-eksbuild.<n>)");
		goto done;
	}
done:
	k8smig__rd_pop(r, old);
	return rc;
}

static int read_monitoring(mig_reader *r, const k8smig_value *root)
{
	static const char *const fields[] = { "namespace", "prometheusRules", NULL };
	k8smig_spec *s = r->spec;
	const k8smig_value *m;
	size_t old, i;
	int rc;

	if (!(s->monitoring_ns = k8smig__spec_printf(s, "%s-monitoring", s->name)))
		return K8SMIG_ENOMEM;
	s->prometheus_rules = false;
	if ((rc = k8smig__rd_map(r, root, "monitoring", &m)) < 0 || !m)
		return rc;
	old = k8smig__rd_push_key(r, "monitoring");
	if ((rc = k8smig__rd_check_fields(r, m, fields)) < 0 || (rc = k8smig__rd_str(r, m, "namespace", s->monitoring_ns, &s->monitoring_ns)) < 0 ||
	    (rc = check_name(r, "namespace", s->monitoring_ns, false)) < 0 ||
	    (rc = k8smig__rd_bool(r, m, "prometheusRules", false, &s->prometheus_rules)) < 0)
		goto done;
	if (strcmp(s->monitoring_ns, MIG_ADDON_NS) == 0) {
		rc = k8smig__rd_fail_at(r, "namespace", "belongs to the amazon-cloudwatch-observability add-on; choose another");
		goto done;
	}
	for (i = 0; i < s->n_envs; i++)
		if (strcmp(s->monitoring_ns, s->envs[i].ns) == 0) {
			rc = k8smig__rd_fail_at(r, "namespace", "is the namespace of environment %s", s->envs[i].name);
			goto done;
		}
done:
	k8smig__rd_pop(r, old);
	return rc;
}

/* Argo CD or Flux deploys the overlays from git; CI only builds, pushes and pins the image tags (workflow.c). */
static int read_gitops(mig_reader *r, const k8smig_value *root)
{
	static const char *const fields[] = { "tool", "repoURL", "namespace", NULL };
	k8smig_spec *s = r->spec;
	const k8smig_value *m;
	const char *tool;
	size_t old, i, j;
	int rc;

	if ((rc = k8smig__rd_map(r, root, "gitops", &m)) < 0 || !m)
		return rc;
	old = k8smig__rd_push_key(r, "gitops");
	if ((rc = k8smig__rd_check_fields(r, m, fields)) < 0 || (rc = k8smig__rd_str(r, m, "tool", "argocd", &tool)) < 0)
		goto done;
	if (strcmp(tool, "argocd") && strcmp(tool, "flux")) {
		rc = k8smig__rd_fail_at(r, "tool", "must be argocd or flux");
		goto done;
	}
	s->gitops_flux = strcmp(tool, "flux") == 0;
	if (!(s->gitops_repo = k8smig__spec_printf(s, "https://github.com/%s.git", s->ci_repository)) ||
	    (rc = k8smig__rd_str(r, m, "repoURL", s->gitops_repo, &s->gitops_repo)) < 0 ||
	    (rc = k8smig__rd_str(r, m, "namespace", strcmp(tool, "flux") ? "argocd" : "flux-system", &s->gitops_ns)) < 0 ||
	    (rc = check_name(r, "namespace", s->gitops_ns, false)) < 0) {
		rc = rc < 0 ? rc : K8SMIG_ENOMEM;
		goto done;
	}
	if (!plain_token(s->gitops_repo) || !strstr(s->gitops_repo, "://")) {
		rc = k8smig__rd_fail_at(r, "repoURL", "must be the URL of the git repository");
		goto done;
	}
	/* every environment follows the branch that deploys it */
	for (i = 0; i < s->n_envs; i++) {
		for (j = 0; j < s->n_branches && strcmp(s->branches[j].environment, s->envs[i].name); j++)
			;
		if (j == s->n_branches) {
			rc = k8smig__rd_fail(r, "needs a branch in ci.branches for every environment (%s has none)",
			                     s->envs[i].name);
			goto done;
		}
	}
done:
	k8smig__rd_pop(r, old);
	return rc;
}

/* Traffic moved from ECS to EKS in steps, on the ECS ALB's listener (docs_gen.c: k8s/cutover). */
static int read_cutover(mig_reader *r, const k8smig_value *root)
{
	static const char *const fields[] = { "listenerArn", "ecsTargetGroupArn", "vpcId", "albSecurityGroupId",
	                                      "targetGroupName", "weights", NULL };
	static const int32_t default_weights[] = { 10, 25, 50, 100 };
	k8smig_spec *s = r->spec;
	const k8smig_value *m, *list = NULL, *it;
	size_t old, i, n_routed = 0;
	int rc;

	if ((rc = k8smig__rd_map(r, root, "cutover", &m)) < 0 || !m)
		return rc;
	old = k8smig__rd_push_key(r, "cutover");
	if ((rc = k8smig__rd_check_fields(r, m, fields)) < 0 ||
	    (rc = k8smig__rd_required_str(r, m, "listenerArn", &s->cutover_listener)) < 0 ||
	    (rc = k8smig__rd_required_str(r, m, "ecsTargetGroupArn", &s->cutover_ecs_target_group)) < 0 ||
	    (rc = k8smig__rd_required_str(r, m, "vpcId", &s->cutover_vpc)) < 0 ||
	    (rc = k8smig__rd_required_str(r, m, "albSecurityGroupId", &s->cutover_alb_security_group)) < 0)
		goto done;
	if (!strstr(s->cutover_listener, ":elasticloadbalancing:") || !strstr(s->cutover_listener, ":listener/app/") ||
	    !plain_token(s->cutover_listener)) {
		rc = k8smig__rd_fail_at(r, "listenerArn", "must be the ARN of an Application Load Balancer listener");
		goto done;
	}
	if (!strstr(s->cutover_ecs_target_group, ":elasticloadbalancing:") ||
	    !strstr(s->cutover_ecs_target_group, ":targetgroup/") || !plain_token(s->cutover_ecs_target_group)) {
		rc = k8smig__rd_fail_at(r, "ecsTargetGroupArn", "must be the ARN of a target group");
		goto done;
	}
	if (!is_hex_id(s->cutover_vpc, "vpc-")) {
		rc = k8smig__rd_fail_at(r, "vpcId", "must be vpc- and 8 or 17 hex digits");
		goto done;
	}
	if (!is_hex_id(s->cutover_alb_security_group, "sg-")) {
		rc = k8smig__rd_fail_at(r, "albSecurityGroupId", "must be sg- and 8 or 17 hex digits");
		goto done;
	}
	if (!(s->cutover_target_group = k8smig__spec_printf(s, "%s-eks", s->name)) ||
	    (rc = k8smig__rd_str(r, m, "targetGroupName", s->cutover_target_group, &s->cutover_target_group)) < 0) {
		rc = rc < 0 ? rc : K8SMIG_ENOMEM;
		goto done;
	}
	if (strlen(s->cutover_target_group) > 32 || k8smig__dns1123_label(s->cutover_target_group)) {
		rc = k8smig__rd_fail_at(r, "targetGroupName", "must be a target group name: at most 32 letters, digits and -");
		goto done;
	}
	for (i = 0; i < s->n_services; i++)
		n_routed += s->services[i].n_routes ? 1 : 0;
	if (n_routed != 1) {
		rc = k8smig__rd_fail(r, "needs exactly one service with ingress routes (the one the ECS ALB forwards to)");
		goto done;
	}
	if ((rc = k8smig__rd_list(r, m, "weights", &list)) < 0)
		goto done;
	if (!list) {
		if (!(s->cutover_weights = k8smig__spec_alloc(s, sizeof(default_weights))))
			rc = K8SMIG_ENOMEM;
		else
			memcpy(s->cutover_weights, default_weights, sizeof(default_weights));
		s->n_cutover_weights = 4;
		goto done;
	}
	if (!(s->cutover_weights = k8smig__spec_alloc(s, (k8smig_value_size(list) + 1) * sizeof(*s->cutover_weights)))) {
		rc = K8SMIG_ENOMEM;
		goto done;
	}
	{
		size_t o2 = k8smig__rd_push_key(r, "weights");
		for (i = 0, it = k8smig_value_first(list); it; it = k8smig_value_next(it), i++) {
			size_t o3 = k8smig__rd_push_index(r, i);
			int64_t w;
			if (k8smig_value_type(it) != K8SMIG_TYPE_INT) {
				rc = k8smig__rd_fail(r, "must be an integer, not %s", k8smig__rd_type_name(k8smig_value_type(it)));
				goto done;
			}
			w = k8smig_value_int(it);
			if (w < 1 || w > 100 || (i && w <= s->cutover_weights[i - 1])) {
				rc = k8smig__rd_fail(r, "must rise from 1 to 100 (the EKS share of the traffic, in %%)");
				goto done;
			}
			s->cutover_weights[i] = (int32_t)w;
			k8smig__rd_pop(r, o3);
		}
		k8smig__rd_pop(r, o2);
	}
	s->n_cutover_weights = i;
	if (!i || s->cutover_weights[i - 1] != 100)
		rc = k8smig__rd_fail_at(r, "weights", "must end at 100");
done:
	k8smig__rd_pop(r, old);
	return rc;
}

static int read_ci(mig_reader *r, const k8smig_value *root)
{
	static const char *const fields[] = { "repository", "roleName", "branches", NULL };
	k8smig_spec *s = r->spec;
	const k8smig_value *m, *b, *it;
	size_t old, o2, i = 0;
	int rc;

	if ((rc = k8smig__rd_map(r, root, "ci", &m)) < 0)
		return rc;
	if (!m)
		return k8smig__rd_fail_at(r, "ci", "is required (repository: the GitHub owner/name that deploys)");
	old = k8smig__rd_push_key(r, "ci");
	if ((rc = k8smig__rd_check_fields(r, m, fields)) < 0 || (rc = k8smig__rd_required_str(r, m, "repository", &s->ci_repository)) < 0)
		goto done;
	if (!strchr(s->ci_repository, '/') || strchr(strchr(s->ci_repository, '/') + 1, '/') ||
	    !plain_token(s->ci_repository)) {
		rc = k8smig__rd_fail_at(r, "repository", "must be owner/name");
		goto done;
	}
	if (!(s->ci_role_name = k8smig__spec_printf(s, "%s-github-actions", s->name))) {
		rc = K8SMIG_ENOMEM;
		goto done;
	}
	if ((rc = k8smig__rd_str(r, m, "roleName", s->ci_role_name, &s->ci_role_name)) < 0 ||
	    (rc = k8smig__rd_map(r, m, "branches", &b)) < 0)
		goto done;
	if (!b) { /* the default branch deploys the last environment */
		if (!(s->branches = k8smig__spec_alloc(s, sizeof(*s->branches)))) {
			rc = K8SMIG_ENOMEM;
			goto done;
		}
		s->branches[0].branch = "main";
		s->branches[0].environment = s->envs[s->n_envs - 1].name;
		s->n_branches = 1;
		goto done;
	}
	if (!(s->branches = k8smig__spec_alloc(s, k8smig_value_size(b) * sizeof(*s->branches)))) {
		rc = K8SMIG_ENOMEM;
		goto done;
	}
	o2 = k8smig__rd_push_key(r, "branches");
	for (it = k8smig_value_first(b); it; it = k8smig_value_next(it), i++) {
		const char *branch = k8smig_value_key(it);
		if (k8smig_value_type(it) != K8SMIG_TYPE_STRING) {
			rc = k8smig__rd_want_type(r, it, branch, K8SMIG_TYPE_STRING);
			goto done;
		}
		if (k8smig__rd_holds_nul(it) || !k8smig__spec_env(s, k8smig_value_str(it))) {
			rc = k8smig__rd_fail_at(r, branch, "names no environment of the spec");
			goto done;
		}
		if (!plain_token(branch) || strchr(branch, ',')) {
			rc = k8smig__rd_fail_at(r, branch, "is not a branch name");
			goto done;
		}
		s->branches[i].branch = k8smig__rd_dup_str(r, branch);
		s->branches[i].environment = k8smig__spec_env(s, k8smig_value_str(it))->name;
		if (!s->branches[i].branch) {
			rc = K8SMIG_ENOMEM;
			goto done;
		}
	}
	s->n_branches = i;
	k8smig__rd_pop(r, o2);
done:
	k8smig__rd_pop(r, old);
	return rc;
}

/* References between sections, checked once everything is read. */
/* services[i].secrets[j]: fail at field of it. */
static int fail_secret(mig_reader *r, size_t i, size_t j, const char *field, const char *fmt, ...) K8SMIG__PRINTF(5, 6);
static int fail_secret(mig_reader *r, size_t i, size_t j, const char *field, const char *fmt, ...)
{
	size_t old = k8smig__rd_push_key(r, "services");
	va_list ap;
	int rc;

	k8smig__rd_push_index(r, i);
	k8smig__rd_push_key(r, "secrets");
	k8smig__rd_push_index(r, j);
	k8smig__rd_push_key(r, field);
	va_start(ap, fmt);
	rc = k8smig__rd_failv(r, fmt, ap);
	va_end(ap);
	k8smig__rd_pop(r, old);
	return rc;
}

/* Each environment's remote name of every secret: keys[env], else key with ${environment} filled in. */
static int resolve_secret_keys(mig_reader *r)
{
	k8smig_spec *s = r->spec;
	size_t i, j, e, f, k;

	for (i = 0; i < s->n_services; i++)
		for (j = 0; j < s->services[i].n_secrets; j++) {
			mig_secret_ref *sr = &s->services[i].secrets[j];
			for (k = 0; k < sr->n_keys; k++)
				if (!k8smig__spec_env(s, sr->keys[k].key))
					return fail_secret(r, i, j, "keys", "names %s, which is not an environment", sr->keys[k].key);
				else if (!plain_token(sr->keys[k].value))
					return fail_secret(r, i, j, "keys", "must be secret or parameter names without blanks or quotes");
			if (!(sr->env_keys = k8smig__spec_alloc(s, s->n_envs * sizeof(*sr->env_keys))))
				return K8SMIG_ENOMEM;
			for (e = 0; e < s->n_envs; e++) {
				const char *key = NULL, *at;
				for (k = 0; k < sr->n_keys && !key; k++)
					if (strcmp(sr->keys[k].key, s->envs[e].name) == 0)
						key = sr->keys[k].value;
				if (!key && (at = strstr(sr->key, "${environment}")))
					key = k8smig__spec_printf(s, "%.*s%s%s", (int)(at - sr->key), sr->key, s->envs[e].name, at + 14);
				else if (!key)
					key = sr->key;
				if (!key)
					return K8SMIG_ENOMEM;
				if (strchr(key, '$'))
					return fail_secret(r, i, j, "key", "knows only ${environment}");
				sr->env_keys[e] = key;
				/* a dev pod must not be able to read prod's secrets: one entry per environment */
				for (f = 0; f < e; f++)
					if (strcmp(sr->env_keys[f], key) == 0)
						return fail_secret(r, i, j, "key",
						                   "is the same for environments %s and %s; put ${environment} in it or "
						                   "give keys per environment",
						                   s->envs[f].name, s->envs[e].name);
			}
		}
	return 0;
}

static int check_references(mig_reader *r)
{
	k8smig_spec *s = r->spec;
	size_t i, j, k, l;
	int rc;

	if ((rc = resolve_secret_keys(r)) < 0)
		return rc;

	for (i = 0; i < s->n_services; i++) {
		const mig_service *svc = &s->services[i];
		for (j = 0; j < svc->n_mounts; j++)
			if (!k8smig__spec_volume(s, svc->mounts[j].volume)) {
				size_t old = k8smig__rd_push_key(r, "services");
				k8smig__rd_push_index(r, i);
				k8smig__rd_push_key(r, "volumes");
				k8smig__rd_push_index(r, j);
				rc = k8smig__rd_fail_at(r, "name", "names no volume of storage.volumes");
				k8smig__rd_pop(r, old);
				return rc;
			}
		/* the sidecars' and init containers' mounts name volumes too */
		for (k = 0; k < svc->n_sidecars + svc->n_inits; k++) {
			const mig_container *ct = k < svc->n_sidecars ? &svc->sidecars[k] : &svc->inits[k - svc->n_sidecars];
			for (j = 0; j < ct->n_mounts; j++)
				if (!k8smig__spec_volume(s, ct->mounts[j].volume)) {
					size_t old = k8smig__rd_push_key(r, "services");
					k8smig__rd_push_index(r, i);
					k8smig__rd_push_key(r, k < svc->n_sidecars ? "sidecars" : "initContainers");
					k8smig__rd_push_index(r, k < svc->n_sidecars ? k : k - svc->n_sidecars);
					k8smig__rd_push_key(r, "volumes");
					k8smig__rd_push_index(r, j);
					rc = k8smig__rd_fail_at(r, "name", "names no volume of storage.volumes");
					k8smig__rd_pop(r, old);
					return rc;
				}
		}
		/* one Secret per variable: every service must read it from the same place */
		for (j = 0; j < svc->n_secrets; j++)
			for (k = 0; k < i; k++)
				for (l = 0; l < s->services[k].n_secrets; l++) {
					const mig_secret_ref *a = &svc->secrets[j], *b = &s->services[k].secrets[l];
					size_t e;
					bool same_keys = true;
					for (e = 0; e < s->n_envs; e++)
						same_keys = same_keys && strcmp(a->env_keys[e], b->env_keys[e]) == 0;
					if (strcmp(a->secret_name, b->secret_name) == 0 &&
					    (a->source != b->source || !same_keys ||
					     (a->property == NULL) != (b->property == NULL) ||
					     (a->property && strcmp(a->property, b->property)))) {
						size_t old = k8smig__rd_push_key(r, "services");
						k8smig__rd_push_index(r, i);
						k8smig__rd_push_key(r, "secrets");
						k8smig__rd_push_index(r, j);
						rc = k8smig__rd_fail_at(r, "key", "differs from the same secret in services[%zu]", k);
						k8smig__rd_pop(r, old);
						return rc;
					}
				}
	}
	return 0;
}

/* The distinct secrets and the namespaces, kept in the spec for every producer. */
static int derive(k8smig_spec *s)
{
	size_t n = 0, i, j, k;

	for (i = 0; i < s->n_services; i++)
		n += s->services[i].n_secrets;
	if (!(s->secrets = k8smig__spec_alloc(s, (n ? n : 1) * sizeof(*s->secrets))) ||
	    !(s->namespaces = k8smig__spec_alloc(s, (s->n_envs + 1) * sizeof(*s->namespaces))))
		return K8SMIG_ENOMEM;
	for (i = 0; i < s->n_services; i++)
		for (j = 0; j < s->services[i].n_secrets; j++) {
			const mig_secret_ref *sr = &s->services[i].secrets[j];
			for (k = 0; k < s->n_secrets; k++)
				if (strcmp(s->secrets[k]->secret_name, sr->secret_name) == 0)
					break;
			if (k == s->n_secrets)
				s->secrets[s->n_secrets++] = sr;
		}
	for (i = 0; i < s->n_envs; i++)
		s->namespaces[i] = s->envs[i].ns;
	s->namespaces[i] = NULL;
	return 0;
}

static int read_root(mig_reader *r, const k8smig_object *doc)
{
	static const char *const fields[] = { "name", "aws", "environments", "services", "config", "storage",
	                                      "ingress", "logging", "alarms", "ci", "versions", "monitoring", "cutover",
	                                      "gitops", NULL };
	const k8smig_value *root = k8smig_object_get(doc, NULL);
	int rc;

	if ((rc = k8smig__rd_check_fields(r, root, fields)) < 0 || (rc = k8smig__rd_required_str(r, root, "name", &r->spec->name)) < 0 ||
	    (rc = check_name(r, "name", r->spec->name, true)) < 0)
		return rc;
	if (strlen(r->spec->name) > 40) /* leaves room for -<service>, -<env> and IAM's 64-character role names */
		return k8smig__rd_fail_at(r, "name", "must be at most 40 characters");
	/* services before environments (their replica overrides name services), environments before ci */
	if ((rc = read_aws(r, root)) < 0 || (rc = read_storage(r, root)) < 0 || (rc = read_services(r, root)) < 0 ||
	    (rc = read_envs(r, root)) < 0 || (rc = read_config(r, root)) < 0 || (rc = read_ingress(r, root)) < 0 ||
	    (rc = read_logging(r, root)) < 0 || (rc = read_alarms(r, root)) < 0 || (rc = read_ci(r, root)) < 0 ||
	    (rc = read_versions(r, root)) < 0 || (rc = read_monitoring(r, root)) < 0 || (rc = read_cutover(r, root)) < 0 ||
	    (rc = read_gitops(r, root)) < 0)
		return rc;
	if ((rc = check_references(r)) < 0 || (rc = check_rollout(r)) < 0)
		return rc;
	return derive(r->spec);
}

int k8smig_spec_load(k8smig_spec **out, const char *data, size_t len, const char *source_name)
{
	k8smig_parse_options po = K8SMIG_PARSE_OPTIONS_INIT;
	k8smig_object_list *docs = NULL;
	mig_reader r = { 0 };
	int rc;

	if (!out)
		return k8smig__error_set(K8SMIG_EINVAL, "", "out is NULL");
	*out = NULL;
	if (!data && len)
		return k8smig__error_set(K8SMIG_EINVAL, "", "data is NULL");
	po.source_name = source_name;
	po.max_bytes = 16u << 20;
	if ((rc = k8smig_parse(&docs, data ? data : "", len, &po)) < 0)
		return rc;
	if (!(r.spec = calloc(1, sizeof(*r.spec)))) {
		rc = k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
		goto done;
	}
	r.file = source_name;
	if (source_name && !(r.spec->source = k8smig__strdup(source_name))) {
		rc = k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
		goto done;
	}
	if (k8smig_object_list_size(docs) != 1) {
		r.doc_line = 1;
		rc = k8smig__rd_fail(&r, "a spec is exactly one YAML document (found %zu)", k8smig_object_list_size(docs));
		goto done;
	}
	k8smig_object_source(k8smig_object_list_get(docs, 0), &r.doc_line);
	if ((rc = k8smig__lines_build(&r.lines, data, len)) < 0)
		goto done;
	rc = read_root(&r, k8smig_object_list_get(docs, 0));
done:
	k8smig__lines_free(r.lines);
	k8smig__buf_free(&r.path);
	k8smig_object_list_free(docs);
	if (rc < 0) {
		k8smig_spec_free(r.spec);
		return rc;
	}
	*out = r.spec;
	return 0;
}

int k8smig_spec_load_object(k8smig_spec **out, const k8smig_object *doc, const char *source_name)
{
	mig_reader r = { 0 };
	int rc;

	if (!out)
		return k8smig__error_set(K8SMIG_EINVAL, "", "out is NULL");
	*out = NULL;
	if (!doc)
		return k8smig__error_set(K8SMIG_EINVAL, "", "doc is NULL");
	if ((rc = k8smig_object_status(doc)) < 0)
		return rc;
	if (!(r.spec = calloc(1, sizeof(*r.spec))))
		return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	r.file = source_name;
	if (source_name && !(r.spec->source = k8smig__strdup(source_name))) {
		rc = k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
		goto done;
	}
	rc = read_root(&r, doc);
done:
	k8smig__buf_free(&r.path);
	if (rc < 0) {
		k8smig_spec_free(r.spec);
		return rc;
	}
	*out = r.spec;
	return 0;
}

int k8smig_spec_load_file(k8smig_spec **out, const char *path)
{
	char *data = NULL;
	size_t len = 0;
	int rc;

	if (!out || !path)
		return k8smig__error_set(K8SMIG_EINVAL, "", "out or path is NULL");
	*out = NULL;
	if ((rc = k8smig__read_file(&data, &len, path, 16u << 20)) < 0)
		return rc;
	rc = k8smig_spec_load(out, data, len, path);
	k8smig_free(data);
	return rc;
}

const char *k8smig_spec_default_text(void)
{
	return k8smig__default_spec;
}

int k8smig_spec_load_default(k8smig_spec **out)
{
	return k8smig_spec_load(out, k8smig__default_spec, k8smig__default_spec_len, "<bundled spec>");
}

const char *k8smig_spec_name(const k8smig_spec *spec)
{
	return spec ? spec->name : NULL;
}

size_t k8smig_spec_environment_count(const k8smig_spec *spec)
{
	return spec ? spec->n_envs : 0;
}

const char *k8smig_spec_environment_name(const k8smig_spec *spec, size_t i)
{
	return spec && i < spec->n_envs ? spec->envs[i].name : NULL;
}

const char *k8smig_spec_environment_namespace(const k8smig_spec *spec, size_t i)
{
	return spec && i < spec->n_envs ? spec->envs[i].ns : NULL;
}

const mig_env *k8smig__spec_env(const k8smig_spec *spec, const char *name)
{
	size_t i;
	for (i = 0; i < spec->n_envs; i++)
		if (strcmp(spec->envs[i].name, name) == 0)
			return &spec->envs[i];
	return NULL;
}

const mig_volume *k8smig__spec_volume(const k8smig_spec *spec, const char *name)
{
	size_t i;
	for (i = 0; i < spec->n_volumes; i++)
		if (strcmp(spec->volumes[i].name, name) == 0)
			return &spec->volumes[i];
	return NULL;
}

bool k8smig__spec_has_ingress(const k8smig_spec *spec)
{
	size_t i;
	for (i = 0; i < spec->n_services; i++)
		if (spec->services[i].n_routes)
			return true;
	return false;
}

const char *k8smig__secret_key(const k8smig_spec *spec, const mig_secret_ref *sr, const mig_env *env)
{
	return sr->env_keys[env - spec->envs];
}
