/*
 * lib/migrate/monitoring.c - k8s/monitoring, cluster-wide in the system's
 * monitoring namespace (spec monitoring.namespace): the system's Fluent Bit
 * (each environment into its own log groups, with its retention), the
 * PrometheusRule when the spec asks for one, and the CloudWatch dashboard
 * and alarms beside them (as ConfigMaps and as aws/cloudwatch-*.json).
 * With a service on Fargate, also the Fargate log router's configuration
 * (fargate.c), since the Fluent Bit DaemonSet does not run there.
 * Container Insights is the amazon-cloudwatch-observability add-on, whose
 * install step is in fluent-bit-install.md: nothing here goes into its
 * namespace or takes its names.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "migrate.h"

/* the aws-for-fluent-bit release the amazon-cloudwatch-observability chart 6.4.0 ships */
#define FLUENT_BIT_IMAGE "public.ecr.aws/aws-observability/aws-for-fluent-bit:3.4.8"

/* An object as JSON text (the object is not taken). */
static int json_text(char **out, const k8smig_object *o)
{
	k8smig_emit_options eo = K8SMIG_EMIT_OPTIONS_INIT;
	eo.format = K8SMIG_FORMAT_JSON;
	return k8smig_object_emit(out, NULL, o, &eo);
}

/* ---- Fluent Bit: each environment into its own log groups ---- */

static void fluent_bit_conf(k8smig__buf *b, const k8smig_spec *spec)
{
	size_t i;

	k8smig__buf_puts(b, "[SERVICE]\n"
	                    "    Flush         5\n"
	                    "    Log_Level     info\n"
	                    "    Daemon        off\n"
	                    "    Parsers_File  parsers.conf\n"
	                    "    HTTP_Server   On\n"
	                    "    HTTP_Listen   0.0.0.0\n"
	                    "    HTTP_Port     2020\n");
	/* one tail, filter and output per environment: its records carry its tag, which only its output matches */
	for (i = 0; i < spec->n_envs; i++) {
		const mig_env *e = &spec->envs[i];
		k8smig__buf_printf(b, "\n# %s: namespace %s -> %s/<service>, %d days\n", e->name, e->ns, e->log_group_prefix,
		                   (int)e->retention_days);
		k8smig__buf_printf(b,
		                   "[INPUT]\n"
		                   "    Name              tail\n"
		                   "    Tag               %s.*\n"
		                   "    Path              /var/log/containers/*_%s_*.log\n"
		                   "    multiline.parser  docker, cri\n"
		                   "    DB                /var/fluent-bit/state/flb_%s.db\n"
		                   "    Mem_Buf_Limit     50MB\n"
		                   "    Skip_Long_Lines   On\n"
		                   "    Refresh_Interval  10\n\n",
		                   e->name, e->ns, e->name);
		k8smig__buf_printf(b,
		                   "[FILTER]\n"
		                   "    Name                kubernetes\n"
		                   "    Match               %s.*\n"
		                   "    Kube_URL            https://kubernetes.default.svc:443\n"
		                   "    Kube_Tag_Prefix     %s.var.log.containers.\n"
		                   "    Merge_Log           On\n"
		                   "    Keep_Log            Off\n"
		                   "    K8S-Logging.Parser  On\n"
		                   "    K8S-Logging.Exclude On\n"
		                   "    Labels              On\n"
		                   "    Annotations         Off\n\n",
		                   e->name, e->name);
		k8smig__buf_printf(b,
		                   "[OUTPUT]\n"
		                   "    Name                cloudwatch_logs\n"
		                   "    Match               %s.*\n"
		                   "    region              %s\n"
		                   "    log_group_name      %s/unlabelled\n"
		                   "    log_group_template  %s/$kubernetes['labels']['app.kubernetes.io/name']\n"
		                   "    log_stream_prefix   pod-\n"
		                   "    log_stream_template $kubernetes['pod_name'].$kubernetes['container_name']\n"
		                   "    auto_create_group   true\n",
		                   e->name, spec->region, e->log_group_prefix, e->log_group_prefix);
		if (e->retention_days)
			k8smig__buf_printf(b, "    log_retention_days  %d\n", (int)e->retention_days);
	}
}

static int fluent_bit(mig_files *fs, const k8smig_spec *spec)
{
	static const char *const core[] = { "", NULL };
	static const char *const pods[] = { "namespaces", "pods", NULL };
	static const char *const read_verbs[] = { "get", "list", "watch", NULL };
	k8smig__buf conf = K8SMIG__BUF_INIT;
	k8smig_object_list *l = NULL;
	k8smig_object *o = NULL;
	char role[192], arn[512], cluster_role[192];
	size_t c;
	int rc;

	TRY(k8smig_object_list_new(&l));
	snprintf(role, sizeof(role), "%s-%s", spec->name, MIG_FLUENT_BIT);
	k8smig__role_arn(arn, sizeof(arn), spec, role);
	TRY(k8smig_service_account_new(&o, MIG_FLUENT_BIT, spec->monitoring_ns));
	TRY(k8smig_object_set_label(o, MIG_PART_OF, spec->name));
	TRY(k8smig_service_account_set_irsa(o, arn, true));
	TRY(k8smig__list_take(l, &o));
	/* the kubernetes filter reads pod metadata: the service label names the log group */
	snprintf(cluster_role, sizeof(cluster_role), "%s-fluent-bit-read", spec->name);
	TRY(k8smig_role_new(&o, cluster_role, NULL));
	TRY(k8smig_object_set_label(o, MIG_PART_OF, spec->name));
	TRY(k8smig_role_add_rule(NULL, o, core, pods, read_verbs, NULL));
	TRY(k8smig__list_take(l, &o));
	TRY(k8smig_role_binding_new(&o, cluster_role, NULL, "ClusterRole", cluster_role));
	TRY(k8smig_object_set_label(o, MIG_PART_OF, spec->name));
	TRY(k8smig_role_binding_add_subject(o, "ServiceAccount", MIG_FLUENT_BIT, spec->monitoring_ns));
	TRY(k8smig__list_take(l, &o));
	TRY(k8smig_daemon_set_new(&o, MIG_FLUENT_BIT, spec->monitoring_ns));
	TRY(k8smig_object_set_label(o, MIG_PART_OF, spec->name));
	TRY(k8smig_object_set_label(o, "k8s-app", MIG_FLUENT_BIT));
	TRY(k8smig_pod_set_template_label(o, "k8s-app", MIG_FLUENT_BIT));
	TRY(k8smig_workload_set_update_strategy(o, "RollingUpdate", NULL, "1"));
	TRY(k8smig_pod_set_service_account(o, MIG_FLUENT_BIT));
	TRY(k8smig_pod_set_node_selector(o, "kubernetes.io/os", "linux"));
	TRY(k8smig_pod_add_toleration(o, NULL, "Exists", NULL, NULL, K8SMIG_UNSET));
	TRY(k8smig_pod_set_termination_grace_period(o, 10));
	TRY(k8smig_pod_add_volume(NULL, o, "varlog", K8SMIG_VOLUME_HOST_PATH, "/var/log"));
	TRY(k8smig_pod_add_volume(NULL, o, "state", K8SMIG_VOLUME_HOST_PATH, "/var/fluent-bit/state"));
	TRY(k8smig_pod_add_volume(NULL, o, "config", K8SMIG_VOLUME_CONFIG_MAP, "fluent-bit-config"));
	TRY(k8smig_pod_add_container(&c, o, MIG_FLUENT_BIT, FLUENT_BIT_IMAGE));
	TRY(k8smig_container_add_env(o, c, "AWS_REGION", spec->region));
	TRY(k8smig_container_add_env_ref(o, c, "HOST_NAME", K8SMIG_ENV_FIELD, NULL, "spec.nodeName"));
	TRY(k8smig_container_set_resources(o, c, "100m", "200Mi", NULL, "200Mi"));
	TRY(k8smig_container_add_volume_mount(o, c, "varlog", "/var/log", true, NULL));
	TRY(k8smig_container_add_volume_mount(o, c, "state", "/var/fluent-bit/state", false, NULL));
	TRY(k8smig_container_add_volume_mount(o, c, "config", "/fluent-bit/etc/", true, NULL));
	TRY(k8smig__list_take(l, &o));
	TRY(k8smig__files_add_yaml(fs, spec, "k8s/monitoring/fluent-bit.yaml", l));
	k8smig_object_list_free(l);
	l = NULL;

	fluent_bit_conf(&conf, spec);
	if (conf.failed) {
		rc = k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
		goto fail;
	}
	TRY(k8smig_object_list_new(&l));
	TRY(k8smig_config_map_new(&o, "fluent-bit-config", spec->monitoring_ns));
	TRY(k8smig_object_set_label(o, "app.kubernetes.io/name", MIG_FLUENT_BIT));
	TRY(k8smig_object_set_label(o, MIG_PART_OF, spec->name));
	TRY(k8smig_config_map_set(o, "fluent-bit.conf", k8smig__buf_cstr(&conf)));
	TRY(k8smig_config_map_set(o, "parsers.conf",
	                          "[PARSER]\n"
	                          "    Name        json\n"
	                          "    Format      json\n"
	                          "    Time_Key    time\n"
	                          "    Time_Format %Y-%m-%dT%H:%M:%S.%L%z\n"));
	TRY(k8smig__list_take(l, &o));
	TRY(k8smig__files_add_yaml(fs, spec, "k8s/monitoring/fluent-bit-config.yaml", l));
	rc = 0;
fail:
	k8smig__buf_free(&conf);
	k8smig_object_free(o);
	k8smig_object_list_free(l);
	return rc;
}

/* Add one alert to group g: its expression (any length), severity and summary. */
static int alert(k8smig_object *o, size_t g, const char *name, const char *for_, const char *severity,
                 const char *summary, const char *fmt, ...) K8SMIG__PRINTF(7, 8);
static int alert(k8smig_object *o, size_t g, const char *name, const char *for_, const char *severity,
                 const char *summary, const char *fmt, ...)
{
	va_list ap;
	char *expr;
	size_t a;
	int rc;

	va_start(ap, fmt);
	expr = k8smig__vstrdupf(fmt, ap);
	va_end(ap);
	if (!expr)
		return k8smig_error_last()->code;
	if ((rc = k8smig_prometheus_rule_add_alert(&a, o, g, name, expr, for_)) == 0 &&
	    (rc = k8smig_prometheus_rule_set_alert_label(o, g, a, "severity", severity)) == 0)
		rc = k8smig_prometheus_rule_set_alert_annotation(o, g, a, "summary", summary);
	free(expr);
	return rc;
}

static int prometheus_alerts(mig_files *fs, const k8smig_spec *spec)
{
	k8smig__buf sel = K8SMIG__BUF_INIT;
	k8smig_object_list *l = NULL;
	k8smig_object *o = NULL;
	char summary[256], name[128];
	const char *ns;
	size_t g, i;
	int rc;

	/* every environment's namespace: one rule for the system */
	k8smig__buf_puts(&sel, "namespace=~\"");
	for (i = 0; i < spec->n_envs; i++)
		k8smig__buf_printf(&sel, "%s%s", i ? "|" : "", spec->envs[i].ns);
	k8smig__buf_putc(&sel, '"');
	ns = k8smig__buf_cstr(&sel);
	if (sel.failed) {
		rc = k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
		goto fail;
	}
	snprintf(name, sizeof(name), "%s-alerts", spec->name);
	TRY(k8smig_prometheus_rule_new(&o, name, spec->monitoring_ns));
	TRY(k8smig_object_set_label(o, MIG_PART_OF, spec->name));
	TRY(k8smig_prometheus_rule_add_group(&g, o, spec->name, "1m"));

	snprintf(summary, sizeof(summary), "CPU above %d%% of the request on {{ $labels.namespace }}/{{ $labels.pod }}",
	         (int)spec->alarm_cpu);
	TRY(alert(o, g, "HighCPUUtilization", "5m", "warning", summary,
	          "sum by (namespace, pod) (rate(container_cpu_usage_seconds_total{%s,container=\"" MIG_CONTAINER "\"}[5m]))\n"
	          "  / sum by (namespace, pod) (kube_pod_container_resource_requests{%s,container=\"" MIG_CONTAINER "\",resource=\"cpu\"})\n"
	          "  > %g\n",
	          ns, ns, spec->alarm_cpu / 100.0));
	snprintf(summary, sizeof(summary), "memory above %d%% of the limit on {{ $labels.namespace }}/{{ $labels.pod }}",
	         (int)spec->alarm_memory);
	TRY(alert(o, g, "HighMemoryUtilization", "5m", "warning", summary,
	          "sum by (namespace, pod) (container_memory_working_set_bytes{%s,container=\"" MIG_CONTAINER "\"})\n"
	          "  / sum by (namespace, pod) (kube_pod_container_resource_limits{%s,container=\"" MIG_CONTAINER "\",resource=\"memory\"})\n"
	          "  > %g\n",
	          ns, ns, spec->alarm_memory / 100.0));
	snprintf(summary, sizeof(summary), "{{ $labels.namespace }}/{{ $labels.deployment }} has fewer than %d available pods",
	         (int)spec->alarm_min_pods);
	TRY(alert(o, g, "TooFewAvailablePods", "1m", "critical", summary, "kube_deployment_status_replicas_available{%s} < %d",
	          ns, (int)spec->alarm_min_pods));
	TRY(k8smig_object_list_new(&l));
	TRY(k8smig__list_take(l, &o));
	TRY(k8smig__files_add_yaml(fs, spec, "k8s/monitoring/alerts.yaml", l));
	rc = 0;
fail:
	k8smig__buf_free(&sel);
	k8smig_object_free(o);
	k8smig_object_list_free(l);
	return rc;
}

/* A ConfigMap carrying a CloudWatch definition next to the manifests (the put-* command in its annotation). */
static int cloudwatch_config_map(mig_files *fs, const k8smig_spec *spec, const char *path, const char *name,
                                 const char *key, const k8smig_object *def, const char *how)
{
	k8smig_object_list *l = NULL;
	k8smig_object *o = NULL;
	char *text = NULL;
	int rc;

	TRY(json_text(&text, def));
	TRY(k8smig_config_map_new(&o, name, spec->monitoring_ns));
	TRY(k8smig_object_set_label(o, MIG_PART_OF, spec->name));
	TRY(k8smig_object_set_annotation(o, "k8smig.io/apply-with", how));
	TRY(k8smig_config_map_set(o, key, text));
	TRY(k8smig_object_list_new(&l));
	TRY(k8smig__list_take(l, &o));
	TRY(k8smig__files_add_yaml(fs, spec, path, l));
	rc = 0;
fail:
	k8smig_free(text);
	k8smig_object_free(o);
	k8smig_object_list_free(l);
	return rc;
}

int k8smig__plan_monitoring(mig_files *fs, const k8smig_spec *spec)
{
	k8smig_object_list *l = NULL;
	k8smig_object *o = NULL, *dash = NULL, *alarm_set = NULL;
	char how[512];
	bool fargate;
	int rc;

	TRY(k8smig_object_list_new(&l));
	TRY(k8smig_namespace_new(&o, spec->monitoring_ns));
	TRY(k8smig_object_set_label(o, "name", spec->monitoring_ns));
	TRY(k8smig_object_set_label(o, MIG_PART_OF, spec->name));
	TRY(k8smig__list_take(l, &o));
	TRY(k8smig__files_add_yaml(fs, spec, "k8s/monitoring/namespace.yaml", l));
	k8smig_object_list_free(l);
	l = NULL;
	TRY(fluent_bit(fs, spec));
	/* Fargate runs no DaemonSet: its pods log through Fargate's own router (fargate.c) */
	TRY(k8smig__plan_fargate(fs, spec, &fargate));
	/* the Prometheus Operator's CRD: only on request, a stock cluster rejects it */
	if (spec->prometheus_rules)
		TRY(prometheus_alerts(fs, spec));

	TRY(k8smig__cloudwatch_dashboard(&dash, spec));
	TRY(k8smig__cloudwatch_alarms(&alarm_set, spec));
	snprintf(how, sizeof(how), "aws cloudwatch put-dashboard --dashboard-name %s --dashboard-body file://aws/cloudwatch-dashboard.json",
	         spec->name);
	TRY(cloudwatch_config_map(fs, spec, "k8s/monitoring/cloudwatch-dashboard.yaml", "cloudwatch-dashboard",
	                          "dashboard.json", dash, how));
	TRY(cloudwatch_config_map(fs, spec, "k8s/monitoring/cloudwatch-alarms.yaml", "cloudwatch-alarms", "alarms.json",
	                          alarm_set, "see k8s/monitoring/fluent-bit-install.md: one aws cloudwatch put-metric-alarm per entry of aws/cloudwatch-alarms.json"));
	TRY(k8smig__files_add_object(fs, spec, "aws/cloudwatch-dashboard.json", &dash, K8SMIG_FORMAT_JSON));
	TRY(k8smig__files_add_object(fs, spec, "aws/cloudwatch-alarms.json", &alarm_set, K8SMIG_FORMAT_JSON));

	TRY(k8smig_kustomization_new(&o));
	TRY(k8smig_kustomization_add_resource(o, "namespace.yaml"));
	TRY(k8smig_kustomization_add_resource(o, "fluent-bit.yaml"));
	TRY(k8smig_kustomization_add_resource(o, "fluent-bit-config.yaml"));
	if (fargate)
		TRY(k8smig_kustomization_add_resource(o, "fargate-logging.yaml"));
	if (spec->prometheus_rules)
		TRY(k8smig_kustomization_add_resource(o, "alerts.yaml"));
	TRY(k8smig_kustomization_add_resource(o, "cloudwatch-dashboard.yaml"));
	TRY(k8smig_kustomization_add_resource(o, "cloudwatch-alarms.yaml"));
	TRY(k8smig__files_add_object(fs, spec, "k8s/monitoring/kustomization.yaml", &o, K8SMIG_FORMAT_YAML));
	return 0;
fail:
	k8smig_object_free(o);
	k8smig_object_free(dash);
	k8smig_object_free(alarm_set);
	k8smig_object_list_free(l);
	return rc;
}
