/*
 * lib/model/build_monitoring.c - PrometheusRule and the Fluent Bit ConfigMap.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"

int k8smig_prometheus_rule_new(k8smig_object **out, const char *name, const char *ns)
{
	return k8smig__build_new(out, "monitoring.coreos.com/v1", "PrometheusRule", name, ns);
}

/* Prometheus durations as the operator's CRD pattern has them: 1y2w3d4h5m6s7ms, units in order, or "0". */
static bool prom_duration(const char *s)
{
	static const char units[] = "ywdhms";  /* then "ms" as unit 6 */
	int last = -1;
	if (!s || !*s)
		return false;
	if (strcmp(s, "0") == 0)
		return true;
	while (*s) {
		size_t digits = strspn(s, "0123456789");
		const char *u;
		int k;
		if (!digits)
			return false;
		s += digits;
		if (strncmp(s, "ms", 2) == 0) {
			k = 6;
			s += 2;
		} else if (*s && (u = strchr(units, *s)) != NULL) {
			k = (int)(u - units);
			s++;
		} else {
			return false;
		}
		/* each unit at most once, largest first */
		if (k <= last)
			return false;
		last = k;
	}
	return true;
}

static bool prom_name(const char *s, bool colon)
{
	size_t i;
	if (!s || !*s || (s[0] >= '0' && s[0] <= '9'))
		return false;
	for (i = 0; s[i]; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || (colon && c == ':')))
			return false;
	}
	return true;
}

int k8smig_prometheus_rule_add_group(size_t *index_out, k8smig_object *rule, const char *name, const char *interval)
{
	char path[64];
	size_t i;
	int rc;

	if (index_out)
		*index_out = 0;
	if ((rc = k8smig__build_kind(rule, "PrometheusRule", NULL)) < 0)
		return rc;
	i = k8smig__build_list_size(rule, "spec.groups");
	k8smig__path_format(path, sizeof(path), "spec.groups[%zu].name", i);
	if (!name || !*name || !k8smig__utf8_valid(name, strlen(name)))
		return k8smig__build_fail(rule, K8SMIG_EINVAL, path, "missing group name");
	if (k8smig__build_list_has(rule, "spec.groups", "name", name))
		return k8smig__build_fail(rule, K8SMIG_EEXISTS, path, "group names must be unique");
	k8smig__path_format(path, sizeof(path), "spec.groups[%zu].interval", i);
	if (interval && !prom_duration(interval))
		return k8smig__build_fail(rule, K8SMIG_EINVAL, path, "not a Prometheus duration (e.g. 30s, 1m)");
	if ((rc = k8smig__build_append_map(&i, rule, "spec.groups")) < 0 ||
	    (rc = k8smig__build_set_str(rule, name, "spec.groups[%zu].name", i)) < 0 ||
	    (interval && (rc = k8smig__build_set_str(rule, interval, "spec.groups[%zu].interval", i)) < 0) ||
	    (rc = k8smig__build_set_strv(rule, NULL, "spec.groups[%zu].rules", i)) < 0)
		return rc;
	if (index_out)
		*index_out = i;
	return 0;
}

int k8smig_prometheus_rule_add_alert(size_t *index_out, k8smig_object *rule, size_t group, const char *alert,
                                     const char *expr, const char *for_duration)
{
	char base[64], path[96];
	size_t i;
	int rc;

	if (index_out)
		*index_out = 0;
	if ((rc = k8smig__build_kind(rule, "PrometheusRule", NULL)) < 0)
		return rc;
	k8smig__path_format(base, sizeof(base), "spec.groups[%zu]", group);
	if (group >= k8smig__build_list_size(rule, "spec.groups"))
		return k8smig__build_fail(rule, K8SMIG_ENOTFOUND, base, "no such group");
	i = k8smig__build_list_size(rule, "%s.rules", base);
	k8smig__path_format(path, sizeof(path), "%s.rules[%zu].alert", base, i);
	if (!prom_name(alert, true))
		return k8smig__build_fail(rule, K8SMIG_EINVAL, path, "alert name must be [a-zA-Z_:][a-zA-Z0-9_:]*");
	k8smig__path_format(path, sizeof(path), "%s.rules[%zu].expr", base, i);
	if (!expr || !*expr || !k8smig__utf8_valid(expr, strlen(expr)))
		return k8smig__build_fail(rule, K8SMIG_EINVAL, path, "missing expression");
	k8smig__path_format(path, sizeof(path), "%s.rules[%zu].for", base, i);
	if (for_duration && !prom_duration(for_duration))
		return k8smig__build_fail(rule, K8SMIG_EINVAL, path, "not a Prometheus duration (e.g. 5m)");
	if ((rc = k8smig__build_append_map(&i, rule, "%s.rules", base)) < 0 ||
	    (rc = k8smig__build_set_str(rule, alert, "%s.rules[%zu].alert", base, i)) < 0 ||
	    (rc = k8smig__build_set_str(rule, expr, "%s.rules[%zu].expr", base, i)) < 0 ||
	    (for_duration && (rc = k8smig__build_set_str(rule, for_duration, "%s.rules[%zu].for", base, i)) < 0))
		return rc;
	if (index_out)
		*index_out = i;
	return 0;
}

static int set_alert_entry(k8smig_object *rule, size_t group, size_t alert, const char *field, const char *key,
                           const char *value)
{
	char base[96], map[128], path[K8SMIG__BUILD_PATH_MAX];
	int rc;

	if ((rc = k8smig__build_kind(rule, "PrometheusRule", NULL)) < 0)
		return rc;
	k8smig__path_format(base, sizeof(base), "spec.groups[%zu].rules[%zu]", group, alert);
	if (group >= k8smig__build_list_size(rule, "spec.groups") ||
	    alert >= k8smig__build_list_size(rule, "spec.groups[%zu].rules", group))
		return k8smig__build_fail(rule, K8SMIG_ENOTFOUND, base, "no such alert");
	k8smig__path_format(map, sizeof(map), "%s.%s", base, field);
	if (!prom_name(key, false))
		return k8smig__build_fail(rule, K8SMIG_EINVAL, map, "name must be [a-zA-Z_][a-zA-Z0-9_]*");
	k8smig__path_format(path, sizeof(path), "%s[%s]", map, key);
	if (!value || !k8smig__utf8_valid(value, strlen(value)))
		return k8smig__build_fail(rule, K8SMIG_EINVAL, path, "missing or invalid value");
	return k8smig__build_set_entry(rule, map, key, value);
}

int k8smig_prometheus_rule_set_alert_label(k8smig_object *rule, size_t group, size_t alert, const char *key,
                                           const char *value)
{
	return set_alert_entry(rule, group, alert, "labels", key, value);
}

int k8smig_prometheus_rule_set_alert_annotation(k8smig_object *rule, size_t group, size_t alert, const char *key,
                                                const char *value)
{
	return set_alert_entry(rule, group, alert, "annotations", key, value);
}

/* ---- Fluent Bit --------------------------------------------------------------- */

static const k8smig_fluent_bit_options fluent_bit_defaults = K8SMIG_FLUENT_BIT_OPTIONS_INIT;
static const size_t k8smig__fluent_bit_options_sizes[1] = { sizeof(k8smig_fluent_bit_options) };

int k8smig_fluent_bit_options_init(k8smig_fluent_bit_options *opts, unsigned int version)
{
	return K8SMIG__OPTIONS_INIT(opts, version, &fluent_bit_defaults, k8smig__fluent_bit_options_sizes, "k8smig_fluent_bit_options");
}

static bool retention_days(int32_t d)
{
	static const int32_t allowed[] = { 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731,
	                                   1096, 1827, 2192, 2557, 2922, 3288, 3653 };
	size_t i;
	for (i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
		if (allowed[i] == d)
			return true;
	return false;
}

/* CloudWatch log group names: [.-_/#A-Za-z0-9]+, at most 512 */
static bool log_group_prefix(const char *p)
{
	size_t i, n;
	if (!p || (n = strlen(p)) == 0 || n > 400)
		return false;
	for (i = 0; i < n; i++) {
		char c = p[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strchr("._-/#", c)))
			return false;
	}
	return p[n - 1] != '/';
}

#define FB_CONF "data[fluent-bit.conf]"

static const char parsers_conf[] =
	"[PARSER]\n"
	"    Name        json\n"
	"    Format      json\n"
	"    Time_Key    time\n"
	"    Time_Format %Y-%m-%dT%H:%M:%S.%L%z\n";

int k8smig_fluent_bit_config_new(k8smig_object **out, const char *name, const char *ns,
                                 const k8smig_fluent_bit_options *o)
{
	k8smig_fluent_bit_options fo = fluent_bit_defaults;
	k8smig__buf b = K8SMIG__BUF_INIT;
	k8smig_object *cm = NULL;
	const char *label;
	const char *const *n;
	char *conf = NULL;
	int rc;

	if (!out)
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL output");
	*out = NULL;
	if (!o || K8SMIG__OPTIONS_LOAD(&fo, o, k8smig__fluent_bit_options_sizes, "k8smig_fluent_bit_options") < 0)
		return k8smig__error_set(K8SMIG_EINVAL, FB_CONF, "unknown or missing k8smig_fluent_bit_options");
	o = &fo;
	label = o->service_label ? o->service_label : "app.kubernetes.io/name";
	if (!o->region || strlen(o->region) > 32 || strspn(o->region, "abcdefghijklmnopqrstuvwxyz0123456789-") != strlen(o->region) || !*o->region)
		return k8smig__error_set(K8SMIG_EINVAL, FB_CONF, "missing or invalid region");
	if (!log_group_prefix(o->log_group_prefix))
		return k8smig__error_set(K8SMIG_EINVAL, FB_CONF, "log group prefix must be [.-_/#A-Za-z0-9]+ without a trailing '/'");
	if (!k8smig__is_label_key(label) || strchr(label, '\''))
		return k8smig__error_set(K8SMIG_EINVAL, FB_CONF, "service label must be a label key");
	for (n = o->namespaces; n && *n; n++)
		if (!k8smig__is_dns1123_label(*n))
			return k8smig__error_set(K8SMIG_EINVAL, FB_CONF, "namespaces must be DNS-1123 labels");
	if (o->log_retention_days && !retention_days(o->log_retention_days))
		return k8smig__error_set(K8SMIG_EINVAL, FB_CONF, "not a CloudWatch retention (1, 3, 5, 7, 14, 30, 60, 90, ...)");

	k8smig__buf_puts(&b,
		"[SERVICE]\n"
		"    Flush         5\n"
		"    Log_Level     info\n"
		"    Daemon        off\n"
		"    Parsers_File  parsers.conf\n"
		"    HTTP_Server   On\n"
		"    HTTP_Listen   0.0.0.0\n"
		"    HTTP_Port     2020\n"
		"\n"
		"[INPUT]\n"
		"    Name              tail\n"
		"    Tag               kube.*\n"
		"    Path              ");
	if (o->namespaces && *o->namespaces) {
		/* only the migrated namespaces: kubelet names files <pod>_<namespace>_<container>-<id>.log */
		for (n = o->namespaces; *n; n++)
			k8smig__buf_printf(&b, "%s/var/log/containers/*_%s_*.log", n == o->namespaces ? "" : ",", *n);
	} else {
		k8smig__buf_puts(&b, "/var/log/containers/*.log");
	}
	k8smig__buf_puts(&b,
		"\n"
		"    multiline.parser  docker, cri\n"
		"    DB                /var/fluent-bit/state/flb_container.db\n"
		"    Mem_Buf_Limit     50MB\n"
		"    Skip_Long_Lines   On\n"
		"    Refresh_Interval  10\n"
		"\n"
		"[FILTER]\n"
		"    Name                kubernetes\n"
		"    Match               kube.*\n"
		"    Kube_URL            https://kubernetes.default.svc:443\n"
		"    Kube_Tag_Prefix     kube.var.log.containers.\n"
		"    Merge_Log           On\n"
		"    Keep_Log            Off\n"
		"    K8S-Logging.Parser  On\n"
		"    K8S-Logging.Exclude On\n"
		"    Labels              On\n"
		"    Annotations         Off\n"
		"\n"
		"[OUTPUT]\n"
		"    Name                cloudwatch_logs\n"
		"    Match               kube.*\n");
	k8smig__buf_printf(&b, "    region              %s\n", o->region);
	k8smig__buf_printf(&b, "    log_group_name      %s/unlabelled\n", o->log_group_prefix);
	k8smig__buf_printf(&b, "    log_group_template  %s/$kubernetes['labels']['%s']\n", o->log_group_prefix, label);
	k8smig__buf_puts(&b,
		"    log_stream_prefix   pod-\n"
		"    log_stream_template $kubernetes['pod_name'].$kubernetes['container_name']\n"
		"    auto_create_group   true\n");
	if (o->log_retention_days)
		k8smig__buf_printf(&b, "    log_retention_days  %d\n", (int)o->log_retention_days);
	if (b.failed || !(conf = k8smig__buf_detach(&b, NULL))) {
		k8smig__buf_free(&b);
		return k8smig__error_set(K8SMIG_ENOMEM, FB_CONF, "out of memory");
	}
	if ((rc = k8smig_config_map_new(&cm, name, ns)) < 0)
		goto done;
	if ((rc = k8smig_object_set_label(cm, "app.kubernetes.io/name", "fluent-bit")) < 0 ||
	    (rc = k8smig_config_map_set(cm, "fluent-bit.conf", conf)) < 0 ||
	    (rc = k8smig_config_map_set(cm, "parsers.conf", parsers_conf)) < 0)
		goto done;
	*out = cm;
	cm = NULL;
done:
	k8smig_object_free(cm);
	free(conf);
	return rc;
}
