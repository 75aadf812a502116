/*
 * lib/model/build_containers.c - containers of a pod spec or pod template:
 * image, command, ports, env, resources, probes, mounts, security context.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"

typedef char container_path[192];

/* Fail for container field rel of the container a pod would add next (path and index only
 * for the error). */
static int add_container_fail(k8smig_object *obj, const char *spec, int code, const char *rel, const char *msg)
{
	char path[160];
	const k8smig_value *ps = k8smig__build_pod_spec(obj);
	size_t i = k8smig__build_items(ps ? k8smig__find_k(obj, k8smig__off(obj, ps), K8SMIG__KEY(containers)) : NULL);
	k8smig__path_format(path, sizeof(path), "%s.containers[%zu].%s", spec, i, rel);
	return k8smig__build_fail(obj, code, path, "%s", msg);
}

int k8smig_pod_add_container(size_t *index_out, k8smig_object *obj, const char *name, const char *image)
{
	const char *spec;
	const k8smig_value *list;
	uint32_t s, item;
	size_t i;
	int rc;

	if (index_out)
		*index_out = 0;
	if ((rc = k8smig__build_pod_paths(obj, &spec, NULL)) < 0)
		return rc;
	/* every check before the first write */
	if (!k8smig__is_dns1123_label(name))
		return add_container_fail(obj, spec, K8SMIG_EINVAL, "name", "container name must be a DNS-1123 label");
	if (!image || !*image || strpbrk(image, " \t\r\n") || !k8smig__utf8_valid(image, strlen(image)))
		return add_container_fail(obj, spec, K8SMIG_EINVAL, "image", "image must be a non-empty reference without blanks");
	if (!(s = k8smig__build_pod_spec_make(obj)))
		return k8smig_error_last()->code;
	list = k8smig__find_k(obj, s, K8SMIG__KEY(containers));
	if (k8smig__build_items_have(list, "name", name))
		return add_container_fail(obj, spec, K8SMIG_EEXISTS, "name", "the pod already has a container of this name");
	if ((rc = k8smig__append_map_found(obj, s, list, K8SMIG__KEY(containers), &i, &item)) < 0 ||
	    (rc = K8SMIG__ADD_VALID(obj, item, name, name)) < 0 ||
	    (rc = K8SMIG__ADD_VALID(obj, item, image, image)) < 0)
		return rc;
	if (index_out)
		*index_out = i;
	return 0;
}

int k8smig_container_set_image_pull_policy(k8smig_object *obj, size_t index, const char *policy)
{
	container_path c;
	char path[256];
	int rc;

	if ((rc = k8smig__build_container_path(obj, index, c, sizeof(c))) < 0)
		return rc;
	k8smig__path_format(path, sizeof(path), "%s.imagePullPolicy", c);
	if (!k8smig__build_one_of(policy, "Always", "IfNotPresent", "Never", NULL))
		return k8smig__build_fail(obj, K8SMIG_EINVAL, path, "must be Always, IfNotPresent or Never");
	return k8smig_object_set_str(obj, path, policy);
}

int k8smig_container_set_command(k8smig_object *obj, size_t index, const char *const *command, const char *const *args)
{
	container_path c;
	int rc;

	if ((rc = k8smig__build_container_path(obj, index, c, sizeof(c))) < 0)
		return rc;
	if ((command && (rc = k8smig__build_set_strv(obj, command, "%s.command", c)) < 0) ||
	    (args && (rc = k8smig__build_set_strv(obj, args, "%s.args", c)) < 0))
		return rc;
	return 0;
}

int k8smig_container_add_port(k8smig_object *obj, size_t index, const char *name, int32_t port, const char *protocol)
{
	uint32_t c, item;
	const k8smig_value *list;
	size_t i;
	int rc;

	if ((rc = k8smig__build_container(obj, index, &c)) < 0)
		return rc;
	list = k8smig__find_k(obj, c, K8SMIG__KEY(ports));
	i = k8smig__build_items(list);
	if (port < 1 || port > 65535)
		return k8smig__build_fail_c(obj, index, K8SMIG_EINVAL, "port must be between 1 and 65535", "ports[%zu].containerPort", i);
	if (name && !k8smig__is_iana_svc_name(name))
		return k8smig__build_fail_c(obj, index, K8SMIG_EINVAL, "port name must be lowercase [a-z0-9-], at most 15, with a letter",
		                            "ports[%zu].name", i);
	if (name && k8smig__build_items_have(list, "name", name))
		return k8smig__build_fail_c(obj, index, K8SMIG_EEXISTS, "the container already has a port of this name", "ports[%zu].name", i);
	if (protocol && !k8smig__build_one_of(protocol, "TCP", "UDP", "SCTP", NULL))
		return k8smig__build_fail_c(obj, index, K8SMIG_EINVAL, "must be TCP, UDP or SCTP", "ports[%zu].protocol", i);
	if ((rc = k8smig__append_map_found(obj, c, list, K8SMIG__KEY(ports), NULL, &item)) < 0 ||
	    (name && (rc = k8smig__add_str_k(obj, item, K8SMIG__KEY(name), name)) < 0) ||
	    (rc = k8smig__add_int_k(obj, item, K8SMIG__KEY(containerPort), port)) < 0 ||
	    (protocol && (rc = k8smig__add_str_k(obj, item, K8SMIG__KEY(protocol), protocol)) < 0))
		return rc;
	return 0;
}

/* Check an env var name for env[i] of container c. */
static int check_env_name(k8smig_object *obj, const char *list, size_t i, const char *name)
{
	char path[256];
	k8smig__path_format(path, sizeof(path), "%s[%zu].name", list, i);
	if (!k8smig__is_env_var_name(name))
		return k8smig__build_fail(obj, K8SMIG_EINVAL, path, "variable name must be [-._a-zA-Z][-._a-zA-Z0-9]*");
	return 0;
}

int k8smig_container_add_env(k8smig_object *obj, size_t index, const char *name, const char *value)
{
	uint32_t c, item;
	const k8smig_value *list;
	size_t i, vlen;
	int rc;

	if ((rc = k8smig__build_container(obj, index, &c)) < 0)
		return rc;
	list = k8smig__find_k(obj, c, K8SMIG__KEY(env));
	i = k8smig__build_items(list);
	if (!k8smig__is_env_var_name(name))
		return k8smig__build_fail_c(obj, index, K8SMIG_EINVAL, "variable name must be [-._a-zA-Z][-._a-zA-Z0-9]*", "env[%zu].name", i);
	if (!value || !k8smig__utf8_valid(value, (vlen = strlen(value))))
		return k8smig__build_fail_c(obj, index, K8SMIG_EINVAL, value ? "value is not valid UTF-8" : "NULL value", "env[%zu].value", i);
	if ((rc = k8smig__append_map_found(obj, c, list, K8SMIG__KEY(env), NULL, &item)) < 0 ||
	    (rc = K8SMIG__ADD_VALID(obj, item, name, name)) < 0 ||
	    (rc = k8smig__add_valid_str_k(obj, item, K8SMIG__KEY(value), value, vlen)) < 0)
		return rc;
	return 0;
}

int k8smig_container_add_env_ref(k8smig_object *obj, size_t index, const char *name, k8smig_env_source source,
                                 const char *object_name, const char *key)
{
	static const char *const resources[] = {
		"limits.cpu", "limits.memory", "limits.ephemeral-storage",
		"requests.cpu", "requests.memory", "requests.ephemeral-storage",
	};
	container_path c;
	char list[224], ref[288], path[320];
	const char *ref_field, *name_field = "name", *key_field = "key";
	bool name_ok, key_ok = false;
	size_t i, r;
	int rc;

	if ((rc = k8smig__build_container_path(obj, index, c, sizeof(c))) < 0)
		return rc;
	k8smig__path_format(list, sizeof(list), "%s.env", c);
	i = k8smig__build_list_size(obj, "%s", list);
	if ((rc = check_env_name(obj, list, i, name)) < 0)
		return rc;
	switch (source) {
	case K8SMIG_ENV_CONFIG_MAP:
	case K8SMIG_ENV_SECRET:
		ref_field = source == K8SMIG_ENV_SECRET ? "secretKeyRef" : "configMapKeyRef";
		name_ok = k8smig__is_dns1123_subdomain(object_name);
		key_ok = k8smig__is_config_key(key);
		break;
	case K8SMIG_ENV_FIELD:
		ref_field = "fieldRef";
		name_field = NULL;
		key_field = "fieldPath";
		name_ok = object_name == NULL;
		key_ok = key && *key && !strpbrk(key, " \t");
		break;
	case K8SMIG_ENV_RESOURCE_FIELD:
		ref_field = "resourceFieldRef";
		name_field = "containerName";
		key_field = "resource";
		name_ok = !object_name || k8smig__is_dns1123_label(object_name);
		for (r = 0; key && r < sizeof(resources) / sizeof(resources[0]); r++)
			key_ok = key_ok || strcmp(key, resources[r]) == 0;
		break;
	default:
		k8smig__path_format(path, sizeof(path), "%s[%zu].valueFrom", list, i);
		return k8smig__build_fail(obj, K8SMIG_EINVAL, path, "unknown env source");
	}
	k8smig__path_format(ref, sizeof(ref), "%s[%zu].valueFrom.%s", list, i, ref_field);
	if (!name_ok) {
		if (name_field)
			k8smig__path_format(path, sizeof(path), "%s.%s", ref, name_field);
		else
			k8smig__path_format(path, sizeof(path), "%s", ref);
		return k8smig__build_fail(obj, K8SMIG_EINVAL, path, "%s",
		                          name_field ? "must be a DNS name" : "a field reference names no object");
	}
	if (!key_ok) {
		k8smig__path_format(path, sizeof(path), "%s.%s", ref, key_field);
		return k8smig__build_fail(obj, K8SMIG_EINVAL, path, "%s",
		                          source == K8SMIG_ENV_RESOURCE_FIELD ? "must be limits.cpu, requests.memory, ..." :
		                          source == K8SMIG_ENV_FIELD ? "missing field path" : "key must be [-._a-zA-Z0-9]+");
	}
	if ((rc = k8smig__build_append_map(&i, obj, "%s", list)) < 0 ||
	    (rc = k8smig__build_set_str(obj, name, "%s[%zu].name", list, i)) < 0)
		return rc;
	k8smig__path_format(ref, sizeof(ref), "%s[%zu].valueFrom.%s", list, i, ref_field);
	if ((object_name && name_field && (rc = k8smig__build_set_str(obj, object_name, "%s.%s", ref, name_field)) < 0) ||
	    (rc = k8smig__build_set_str(obj, key, "%s.%s", ref, key_field)) < 0)
		return rc;
	return 0;
}

int k8smig_container_add_env_from(k8smig_object *obj, size_t index, k8smig_env_source source, const char *name,
                                  const char *prefix)
{
	uint32_t c, item, r;
	const k8smig_value *list;
	const char *ref;
	size_t i;
	int rc;

	if ((rc = k8smig__build_container(obj, index, &c)) < 0)
		return rc;
	list = k8smig__find_k(obj, c, K8SMIG__KEY(envFrom));
	i = k8smig__build_items(list);
	if (source != K8SMIG_ENV_CONFIG_MAP && source != K8SMIG_ENV_SECRET)
		return k8smig__build_fail_c(obj, index, K8SMIG_EINVAL, "envFrom reads a ConfigMap or a Secret", "envFrom[%zu]", i);
	ref = source == K8SMIG_ENV_SECRET ? "secretRef" : "configMapRef";
	if (!k8smig__is_dns1123_subdomain(name))
		return k8smig__build_fail_c(obj, index, K8SMIG_EINVAL, "must be a DNS-1123 subdomain", "envFrom[%zu].%s.name", i, ref);
	if (prefix && !k8smig__is_env_var_name(prefix))
		return k8smig__build_fail_c(obj, index, K8SMIG_EINVAL, "prefix must be a valid variable name start", "envFrom[%zu].prefix", i);
	if ((rc = k8smig__append_map_found(obj, c, list, K8SMIG__KEY(envFrom), NULL, &item)) < 0 ||
	    (prefix && (rc = k8smig__add_str_k(obj, item, K8SMIG__KEY(prefix), prefix)) < 0))
		return rc;
	if (!(r = source == K8SMIG_ENV_SECRET ? k8smig__add_node_k(obj, item, K8SMIG__KEY(secretRef), K8SMIG_TYPE_MAP)
	                                      : k8smig__add_node_k(obj, item, K8SMIG__KEY(configMapRef), K8SMIG_TYPE_MAP)))
		return K8SMIG_ENOMEM;
	if ((rc = K8SMIG__ADD_VALID(obj, r, name, name)) < 0)
		return rc;
	return 0;
}

/* A quantity for container index's resources.<field>: its canonical text in canon (no allocation). */
static int check_resource(k8smig_object *obj, size_t index, const char *field, const char *text,
                          char canon[K8SMIG__QUANTITY_TEXT_MAX], size_t *len, k8smig_quantity *qout)
{
	if (!(*len = k8smig__quantity_parse_buf(qout, text, canon)))
		return k8smig__build_fail_c(obj, index, K8SMIG_EINVAL, "invalid quantity (expected e.g. 500m, 1, 512Mi, 10Gi)",
		                            "resources.%s", field);
	if (qout->mantissa < 0)
		return k8smig__build_fail_c(obj, index, K8SMIG_EINVAL, "quantity must not be negative", "resources.%s", field);
	return 0;
}

int k8smig_container_set_resources(k8smig_object *obj, size_t index, const char *cpu_request,
                                   const char *memory_request, const char *cpu_limit, const char *memory_limit)
{
	static const char *const fields[4] = { "requests.cpu", "requests.memory", "limits.cpu", "limits.memory" };
	const char *in[4] = { cpu_request, memory_request, cpu_limit, memory_limit };
	char canon[4][K8SMIG__QUANTITY_TEXT_MAX];
	size_t len[4];
	k8smig_quantity q[4];
	uint32_t c, r;
	int rc, k;

	if ((rc = k8smig__build_container(obj, index, &c)) < 0)
		return rc;
	for (k = 0; k < 4; k++) {
		if (!in[k])
			continue;
		/* a limit written as its request (the Guaranteed QoS class) is that same quantity */
		if (k >= 2 && in[k - 2] && strcmp(in[k], in[k - 2]) == 0) {
			memcpy(canon[k], canon[k - 2], len[k - 2] + 1);
			len[k] = len[k - 2];
			q[k] = q[k - 2];
			continue;
		}
		if ((rc = check_resource(obj, index, fields[k], in[k], canon[k], &len[k], &q[k])) < 0)
			return rc;
	}
	for (k = 0; k < 2; k++) {
		if (in[k] && in[k + 2] && k8smig_quantity_cmp(&q[k], &q[k + 2]) > 0)
			return k8smig__build_fail_c(obj, index, K8SMIG_EINVAL, "request must be less than or equal to the limit",
			                            "resources.%s", fields[k]);
	}
	if (!(r = k8smig__set_map_k(obj, c, K8SMIG__KEY(resources))))
		return k8smig_error_last()->code;
	for (k = 0; k < 2; k++) {
		/* Kubernetes writes limits before requests; keep that order */
		int f = k == 0 ? 2 : 0;
		uint32_t m;
		if (!in[f] && !in[f + 1])
			continue;
		if (!(m = k == 0 ? k8smig__add_node_k(obj, r, K8SMIG__KEY(limits), K8SMIG_TYPE_MAP)
		                 : k8smig__add_node_k(obj, r, K8SMIG__KEY(requests), K8SMIG_TYPE_MAP)))
			return K8SMIG_ENOMEM;
		if ((in[f] && (rc = k8smig__add_valid_str_k(obj, m, K8SMIG__KEY(cpu), canon[f], len[f])) < 0) ||
		    (in[f + 1] &&
		     (rc = k8smig__add_valid_str_k(obj, m, K8SMIG__KEY(memory), canon[f + 1], len[f + 1])) < 0))
			return rc;
	}
	return 0;
}

static const k8smig_probe_options probe_defaults = K8SMIG_PROBE_OPTIONS_INIT;
static const size_t k8smig__probe_options_sizes[1] = { sizeof(k8smig_probe_options) };

int k8smig_probe_options_init(k8smig_probe_options *opts, unsigned int version)
{
	return K8SMIG__OPTIONS_INIT(opts, version, &probe_defaults, k8smig__probe_options_sizes, "k8smig_probe_options");
}

/* A port given as number or name: the complaint, or NULL when valid. */
static const char *probe_port_error(const k8smig_probe_options *p, bool names)
{
	if (p->port_name && names) {
		if (p->port != 0 || !k8smig__is_iana_svc_name(p->port_name))
			return "give a port number or a valid port name, not both";
		return NULL;
	}
	if (p->port < 1 || p->port > 65535 || p->port_name)
		return "port must be between 1 and 65535";
	return NULL;
}

static int write_probe_port(k8smig_object *obj, const k8smig_probe_options *p, uint32_t handler)
{
	/* a port name was checked (probe_port_error): ASCII */
	return p->port_name ? K8SMIG__ADD_VALID(obj, handler, port, p->port_name)
	                    : k8smig__add_int_k(obj, handler, K8SMIG__KEY(port), p->port);
}

/* A timing field is set when it is neither 0 (zeroed options) nor K8SMIG_UNSET. */
#define PROBE_SET(v) ((v) != 0 && (v) != K8SMIG_UNSET)

int k8smig_container_set_probe(k8smig_object *obj, size_t index, k8smig_probe_kind kind, const k8smig_probe_options *opts)
{
	/* the fields' names as common names (keys.h) */
	static const int kinds[] = { K8SMIG__KI_livenessProbe, K8SMIG__KI_readinessProbe, K8SMIG__KI_startupProbe };
	static const struct { size_t off; int key; int min; } timings[] = {
		{ offsetof(k8smig_probe_options, initial_delay_seconds), K8SMIG__KI_initialDelaySeconds, 0 },
		{ offsetof(k8smig_probe_options, period_seconds), K8SMIG__KI_periodSeconds, 1 },
		{ offsetof(k8smig_probe_options, timeout_seconds), K8SMIG__KI_timeoutSeconds, 1 },
		{ offsetof(k8smig_probe_options, success_threshold), K8SMIG__KI_successThreshold, 1 },
		{ offsetof(k8smig_probe_options, failure_threshold), K8SMIG__KI_failureThreshold, 1 },
	};
	k8smig_probe_options po = probe_defaults;
	const char *why, *probe;
	uint32_t c, p, h;
	size_t t;
	int rc;

	if ((rc = k8smig__build_container(obj, index, &c)) < 0)
		return rc;
	if ((unsigned)kind > K8SMIG_PROBE_STARTUP)
		return k8smig__build_fail_c(obj, index, K8SMIG_EINVAL, "unknown probe kind", "%s", "");
	probe = k8smig__static_keys[kinds[kind]];
	if (!opts || K8SMIG__OPTIONS_LOAD(&po, opts, k8smig__probe_options_sizes, "k8smig_probe_options") < 0)
		return k8smig__build_fail_c(obj, index, K8SMIG_EINVAL, "unknown or missing k8smig_probe_options", "%s", probe);
	opts = &po;

	switch (opts->handler) {
	case K8SMIG_PROBE_HTTP_GET:
		if (opts->path && (opts->path[0] != '/' || !k8smig__utf8_valid(opts->path, strlen(opts->path))))
			return k8smig__build_fail_c(obj, index, K8SMIG_EINVAL, "HTTP path must start with '/'", "%s.httpGet.path", probe);
		if (opts->scheme && !k8smig__build_one_of(opts->scheme, "HTTP", "HTTPS", NULL))
			return k8smig__build_fail_c(obj, index, K8SMIG_EINVAL, "must be HTTP or HTTPS", "%s.httpGet.scheme", probe);
		if ((why = probe_port_error(opts, true)))
			return k8smig__build_fail_c(obj, index, K8SMIG_EINVAL, why, "%s.httpGet.port", probe);
		break;
	case K8SMIG_PROBE_TCP_SOCKET:
		if ((why = probe_port_error(opts, true)))
			return k8smig__build_fail_c(obj, index, K8SMIG_EINVAL, why, "%s.tcpSocket.port", probe);
		break;
	case K8SMIG_PROBE_EXEC:
		if (!opts->command || !opts->command[0] || !opts->command[0][0])
			return k8smig__build_fail_c(obj, index, K8SMIG_EINVAL, "exec needs a command", "%s.exec.command", probe);
		break;
	case K8SMIG_PROBE_GRPC:
		if ((why = probe_port_error(opts, false)))
			return k8smig__build_fail_c(obj, index, K8SMIG_EINVAL, why, "%s.grpc.port", probe);
		break;
	default:
		return k8smig__build_fail_c(obj, index, K8SMIG_EINVAL, "unknown probe handler", "%s", probe);
	}
	for (t = 0; t < sizeof(timings) / sizeof(timings[0]); t++) {
		int32_t v = *(const int32_t *)(const void *)((const char *)opts + timings[t].off);
		if (PROBE_SET(v) && v < timings[t].min) {
			char msg[32];
			snprintf(msg, sizeof(msg), "must be %d or more", timings[t].min);
			return k8smig__build_fail_c(obj, index, K8SMIG_EINVAL, msg, "%s.%s", probe, k8smig__static_keys[timings[t].key]);
		}
		if (PROBE_SET(v) && v != 1 && kind != K8SMIG_PROBE_READINESS &&
		    timings[t].off == offsetof(k8smig_probe_options, success_threshold))
			return k8smig__build_fail_c(obj, index, K8SMIG_EINVAL, "must be 1 for liveness and startup probes",
			                            "%s.%s", probe, k8smig__static_keys[timings[t].key]);
	}
	if (PROBE_SET(opts->termination_grace_period_seconds) &&
	    (opts->termination_grace_period_seconds < 1 || kind == K8SMIG_PROBE_READINESS))
		return k8smig__build_fail_c(obj, index, K8SMIG_EINVAL, kind == K8SMIG_PROBE_READINESS ?
		                            "readiness probes have no terminationGracePeriodSeconds" : "must be 1 or more",
		                            "%s.terminationGracePeriodSeconds", probe);

	if (!(p = k8smig__set_map_k(obj, c, probe, k8smig__static_key_lens[kinds[kind]], kinds[kind])))
		return k8smig_error_last()->code;
	/* the probe is a new empty map: its entries are added without lookups */
	switch (opts->handler) {
	case K8SMIG_PROBE_HTTP_GET:
		if (!(h = k8smig__add_node_k(obj, p, K8SMIG__KEY(httpGet), K8SMIG_TYPE_MAP)))
			return K8SMIG_ENOMEM;
		/* path and scheme were checked above */
		if ((opts->path && (rc = K8SMIG__ADD_VALID(obj, h, path, opts->path)) < 0) ||
		    (rc = write_probe_port(obj, opts, h)) < 0 ||
		    (opts->scheme && (rc = K8SMIG__ADD_VALID(obj, h, scheme, opts->scheme)) < 0))
			return rc;
		break;
	case K8SMIG_PROBE_TCP_SOCKET:
		if (!(h = k8smig__add_node_k(obj, p, K8SMIG__KEY(tcpSocket), K8SMIG_TYPE_MAP)))
			return K8SMIG_ENOMEM;
		if ((rc = write_probe_port(obj, opts, h)) < 0)
			return rc;
		break;
	case K8SMIG_PROBE_EXEC: {
		char path[320];
		container_path cp;
		/* rare: through the path API */
		if ((rc = k8smig__build_container_path(obj, index, cp, sizeof(cp))) < 0)
			return rc;
		k8smig__path_format(path, sizeof(path), "%s.%s", cp, probe);
		if ((rc = k8smig__build_set_strv(obj, opts->command, "%s.exec.command", path)) < 0)
			return rc;
		break;
	}
	default:
		if (!(h = k8smig__add_node_k(obj, p, K8SMIG__KEY(grpc), K8SMIG_TYPE_MAP)))
			return K8SMIG_ENOMEM;
		if ((rc = k8smig__add_int_k(obj, h, K8SMIG__KEY(port), opts->port)) < 0 ||
		    (opts->grpc_service && (rc = k8smig__add_str_k(obj, h, K8SMIG__KEY(service), opts->grpc_service)) < 0))
			return rc;
		break;
	}
	for (t = 0; t < sizeof(timings) / sizeof(timings[0]); t++) {
		int32_t v = *(const int32_t *)(const void *)((const char *)opts + timings[t].off);
		bool set = PROBE_SET(v) || (t == 0 && opts->has_initial_delay_seconds && v == 0);
		int key = timings[t].key;
		if (set && (rc = k8smig__add_int_k(obj, p, k8smig__static_keys[key], k8smig__static_key_lens[key], key, v)) < 0)
			return rc;
	}
	if (PROBE_SET(opts->termination_grace_period_seconds) &&
	    (rc = k8smig__add_int_k(obj, p, K8SMIG__KEY(terminationGracePeriodSeconds), opts->termination_grace_period_seconds)) < 0)
		return rc;
	return 0;
}

int k8smig_container_add_volume_mount(k8smig_object *obj, size_t index, const char *volume, const char *mount_path,
                                      bool read_only, const char *sub_path)
{
	uint32_t c, item;
	const k8smig_value *list;
	size_t i;
	int rc;

	if ((rc = k8smig__build_container(obj, index, &c)) < 0)
		return rc;
	list = k8smig__find_k(obj, c, K8SMIG__KEY(volumeMounts));
	i = k8smig__build_items(list);
	if (!k8smig__is_dns1123_label(volume))
		return k8smig__build_fail_c(obj, index, K8SMIG_EINVAL, "volume name must be a DNS-1123 label", "volumeMounts[%zu].name", i);
	if (!mount_path || mount_path[0] != '/' || strchr(mount_path, ':') || !k8smig__utf8_valid(mount_path, strlen(mount_path)))
		return k8smig__build_fail_c(obj, index, K8SMIG_EINVAL, "must be an absolute path without ':'", "volumeMounts[%zu].mountPath", i);
	if (k8smig__build_items_have(list, "mountPath", mount_path))
		return k8smig__build_fail_c(obj, index, K8SMIG_EEXISTS, "the container already mounts something here",
		                            "volumeMounts[%zu].mountPath", i);
	if (sub_path) {
		const char *p = sub_path;
		bool dotdot = false;
		/* no absolute path and no ".." component, as the API server requires */
		while (*p) {
			size_t n = strcspn(p, "/");
			if (n == 2 && p[0] == '.' && p[1] == '.')
				dotdot = true;
			p += n;
			if (*p == '/')
				p++;
		}
		if (sub_path[0] == '/' || dotdot || !k8smig__utf8_valid(sub_path, strlen(sub_path)))
			return k8smig__build_fail_c(obj, index, K8SMIG_EINVAL, "must be a relative path without '..'", "volumeMounts[%zu].subPath", i);
	}
	if ((rc = k8smig__append_map_found(obj, c, list, K8SMIG__KEY(volumeMounts), NULL, &item)) < 0 ||
	    (rc = K8SMIG__ADD_VALID(obj, item, name, volume)) < 0 ||
	    (rc = K8SMIG__ADD_VALID(obj, item, mountPath, mount_path)) < 0 ||
	    (sub_path && (rc = k8smig__add_str_k(obj, item, K8SMIG__KEY(subPath), sub_path)) < 0) ||
	    (rc = k8smig__add_bool_k(obj, item, K8SMIG__KEY(readOnly), read_only)) < 0)
		return rc;
	return 0;
}

int k8smig_container_set_security_context(k8smig_object *obj, size_t index, const k8smig_security_context_options *opts)
{
	container_path c;
	char base[224];
	int rc;

	if ((rc = k8smig__build_container_path(obj, index, c, sizeof(c))) < 0)
		return rc;
	k8smig__path_format(base, sizeof(base), "%s.securityContext", c);
	return k8smig__build_security_context(obj, base, false, opts);
}
