/*
 * lib/migrate/monitoring.c - k8s/monitoring, cluster-wide in namespace
 * amazon-cloudwatch: Fluent Bit (container logs into the ECS log groups),
 * the CloudWatch agent (Container Insights), Prometheus alert rules, and
 * the CloudWatch dashboard and alarms beside them (as ConfigMaps and as
 * aws/cloudwatch-*.json).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "migrate.h"

#define FLUENT_BIT_IMAGE "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.2"
#define CW_AGENT_IMAGE "public.ecr.aws/cloudwatch-agent/cloudwatch-agent:1.300049.1b929"

/* An object as JSON text (the object is not taken). */
static int json_text(char **out, const k8smig_object *o)
{
	k8smig_emit_options eo = K8SMIG_EMIT_OPTIONS_INIT;
	eo.format = K8SMIG_FORMAT_JSON;
	return k8smig_object_emit(out, NULL, o, &eo);
}

static int monitoring_identity(k8smig_object_list *l, const k8smig_spec *spec, const char *sa,
                               const char *const *api_groups, const char *const *resources,
                               const char *const *verbs)
{
	k8smig_object *o = NULL;
	char role[192], arn[512];
	int rc;

	snprintf(role, sizeof(role), "%s-%s", spec->name, sa);
	k8smig__role_arn(arn, sizeof(arn), spec, role);
	TRY(k8smig_service_account_new(&o, sa, MIG_MONITORING_NS));
	TRY(k8smig_object_set_label(o, MIG_PART_OF, spec->name));
	TRY(k8smig_service_account_set_irsa(o, arn, true));
	TRY(k8smig__list_take(l, &o));
	snprintf(role, sizeof(role), "%s-read", sa);
	TRY(k8smig_role_new(&o, role, NULL));
	TRY(k8smig_object_set_label(o, MIG_PART_OF, spec->name));
	TRY(k8smig_role_add_rule(NULL, o, api_groups, resources, verbs, NULL));
	TRY(k8smig__list_take(l, &o));
	TRY(k8smig_role_binding_new(&o, role, NULL, "ClusterRole", role));
	TRY(k8smig_object_set_label(o, MIG_PART_OF, spec->name));
	TRY(k8smig_role_binding_add_subject(o, "ServiceAccount", sa, MIG_MONITORING_NS));
	TRY(k8smig__list_take(l, &o));
	return 0;
fail:
	k8smig_object_free(o);
	return rc;
}

static int fluent_bit(mig_files *fs, const k8smig_spec *spec)
{
	static const char *const core[] = { "", NULL };
	static const char *const pods[] = { "namespaces", "pods", NULL };
	static const char *const read_verbs[] = { "get", "list", "watch", NULL };
	k8smig_fluent_bit_options fb = K8SMIG_FLUENT_BIT_OPTIONS_INIT;
	k8smig_object_list *l = NULL;
	k8smig_object *o = NULL;
	size_t c;
	int rc;

	TRY(k8smig_object_list_new(&l));
	/* the kubernetes filter reads pod metadata: the service label names the log group */
	TRY(monitoring_identity(l, spec, "fluent-bit", core, pods, read_verbs));
	TRY(k8smig_daemon_set_new(&o, "fluent-bit", MIG_MONITORING_NS));
	TRY(k8smig_object_set_label(o, MIG_PART_OF, spec->name));
	TRY(k8smig_object_set_label(o, "k8s-app", "fluent-bit"));
	TRY(k8smig_pod_set_template_label(o, "k8s-app", "fluent-bit"));
	TRY(k8smig_workload_set_update_strategy(o, "RollingUpdate", NULL, "1"));
	TRY(k8smig_pod_set_service_account(o, "fluent-bit"));
	TRY(k8smig_pod_set_node_selector(o, "kubernetes.io/os", "linux"));
	TRY(k8smig_pod_add_toleration(o, NULL, "Exists", NULL, NULL, K8SMIG_UNSET));
	TRY(k8smig_pod_set_termination_grace_period(o, 10));
	TRY(k8smig_pod_add_volume(NULL, o, "varlog", K8SMIG_VOLUME_HOST_PATH, "/var/log"));
	TRY(k8smig_pod_add_volume(NULL, o, "state", K8SMIG_VOLUME_HOST_PATH, "/var/fluent-bit/state"));
	TRY(k8smig_pod_add_volume(NULL, o, "config", K8SMIG_VOLUME_CONFIG_MAP, "fluent-bit-config"));
	TRY(k8smig_pod_add_container(&c, o, "fluent-bit", FLUENT_BIT_IMAGE));
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

	/* the ECS log groups, reused: one per service, only from the system's namespaces */
	fb.region = spec->region;
	fb.log_group_prefix = spec->log_group_prefix;
	fb.namespaces = spec->namespaces;
	fb.log_retention_days = spec->retention_days;
	TRY(k8smig_object_list_new(&l));
	TRY(k8smig_fluent_bit_config_new(&o, "fluent-bit-config", MIG_MONITORING_NS, &fb));
	TRY(k8smig_object_set_label(o, MIG_PART_OF, spec->name));
	TRY(k8smig__list_take(l, &o));
	TRY(k8smig__files_add_yaml(fs, spec, "k8s/monitoring/fluent-bit-config.yaml", l));
	k8smig_object_list_free(l);
	return 0;
fail:
	k8smig_object_free(o);
	k8smig_object_list_free(l);
	return rc;
}

static int container_insights(mig_files *fs, const k8smig_spec *spec)
{
	static const char *const groups[] = { "", "apps", "batch", "discovery.k8s.io", NULL };
	static const char *const resources[] = { "pods", "nodes", "endpoints", "services", "replicasets", "jobs",
	                                         "endpointslices", "nodes/proxy", "nodes/stats", NULL };
	static const char *const verbs[] = { "get", "list", "watch", NULL };
	k8smig_object_list *l = NULL;
	k8smig_object *o = NULL;
	char config[1024];
	size_t c;
	int rc;

	TRY(k8smig_object_list_new(&l));
	TRY(monitoring_identity(l, spec, "cloudwatch-agent", groups, resources, verbs));
	/* the agent's Container Insights configuration: cluster metrics every 60 s */
	snprintf(config, sizeof(config),
	         "{\n"
	         "  \"agent\": {\n"
	         "    \"region\": \"%s\"\n"
	         "  },\n"
	         "  \"logs\": {\n"
	         "    \"metrics_collected\": {\n"
	         "      \"kubernetes\": {\n"
	         "        \"cluster_name\": \"%s\",\n"
	         "        \"metrics_collection_interval\": 60\n"
	         "      }\n"
	         "    },\n"
	         "    \"force_flush_interval\": 5\n"
	         "  }\n"
	         "}\n",
	         spec->region, spec->cluster);
	TRY(k8smig_config_map_new(&o, "cwagentconfig", MIG_MONITORING_NS));
	TRY(k8smig_object_set_label(o, MIG_PART_OF, spec->name));
	TRY(k8smig_config_map_set(o, "cwagentconfig.json", config));
	TRY(k8smig__list_take(l, &o));
	TRY(k8smig_daemon_set_new(&o, "cloudwatch-agent", MIG_MONITORING_NS));
	TRY(k8smig_object_set_label(o, MIG_PART_OF, spec->name));
	TRY(k8smig_object_set_label(o, "k8s-app", "cloudwatch-agent"));
	TRY(k8smig_pod_set_template_label(o, "k8s-app", "cloudwatch-agent"));
	TRY(k8smig_pod_set_service_account(o, "cloudwatch-agent"));
	TRY(k8smig_pod_set_node_selector(o, "kubernetes.io/os", "linux"));
	TRY(k8smig_pod_set_termination_grace_period(o, 60));
	TRY(k8smig_pod_add_volume(NULL, o, "cwagentconfig", K8SMIG_VOLUME_CONFIG_MAP, "cwagentconfig"));
	TRY(k8smig_pod_add_volume(NULL, o, "rootfs", K8SMIG_VOLUME_HOST_PATH, "/"));
	TRY(k8smig_pod_add_volume(NULL, o, "containerdsock", K8SMIG_VOLUME_HOST_PATH, "/run/containerd/containerd.sock"));
	TRY(k8smig_pod_add_volume(NULL, o, "sys", K8SMIG_VOLUME_HOST_PATH, "/sys"));
	TRY(k8smig_pod_add_volume(NULL, o, "devdisk", K8SMIG_VOLUME_HOST_PATH, "/dev/disk/"));
	TRY(k8smig_pod_add_container(&c, o, "cloudwatch-agent", CW_AGENT_IMAGE));
	TRY(k8smig_container_add_env_ref(o, c, "HOST_IP", K8SMIG_ENV_FIELD, NULL, "status.hostIP"));
	TRY(k8smig_container_add_env_ref(o, c, "HOST_NAME", K8SMIG_ENV_FIELD, NULL, "spec.nodeName"));
	TRY(k8smig_container_add_env_ref(o, c, "K8S_NAMESPACE", K8SMIG_ENV_FIELD, NULL, "metadata.namespace"));
	TRY(k8smig_container_add_env(o, c, "CI_VERSION", "k8s/1.3.17"));
	TRY(k8smig_container_set_resources(o, c, "200m", "200Mi", NULL, "200Mi"));
	TRY(k8smig_container_add_volume_mount(o, c, "cwagentconfig", "/etc/cwagentconfig", true, NULL));
	TRY(k8smig_container_add_volume_mount(o, c, "rootfs", "/rootfs", true, NULL));
	TRY(k8smig_container_add_volume_mount(o, c, "containerdsock", "/run/containerd/containerd.sock", true, NULL));
	TRY(k8smig_container_add_volume_mount(o, c, "sys", "/sys", true, NULL));
	TRY(k8smig_container_add_volume_mount(o, c, "devdisk", "/dev/disk", true, NULL));
	TRY(k8smig__list_take(l, &o));
	TRY(k8smig__files_add_yaml(fs, spec, "k8s/monitoring/cloudwatch-insights-config.yaml", l));
	k8smig_object_list_free(l);
	return 0;
fail:
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
	TRY(k8smig_prometheus_rule_new(&o, name, MIG_MONITORING_NS));
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
	TRY(k8smig_config_map_new(&o, name, MIG_MONITORING_NS));
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
	static const char *const resources[] = { "namespace.yaml", "fluent-bit.yaml", "fluent-bit-config.yaml",
	                                         "cloudwatch-insights-config.yaml", "alerts.yaml",
	                                         "cloudwatch-dashboard.yaml", "cloudwatch-alarms.yaml", NULL };
	k8smig_object_list *l = NULL;
	k8smig_object *o = NULL, *dash = NULL, *alarm_set = NULL;
	char how[512];
	size_t i;
	int rc;

	TRY(k8smig_object_list_new(&l));
	TRY(k8smig_namespace_new(&o, MIG_MONITORING_NS));
	TRY(k8smig_object_set_label(o, "name", MIG_MONITORING_NS));
	TRY(k8smig__list_take(l, &o));
	TRY(k8smig__files_add_yaml(fs, spec, "k8s/monitoring/namespace.yaml", l));
	k8smig_object_list_free(l);
	l = NULL;
	TRY(fluent_bit(fs, spec));
	TRY(container_insights(fs, spec));
	TRY(prometheus_alerts(fs, spec));

	TRY(k8smig__cloudwatch_dashboard(&dash, spec));
	TRY(k8smig__cloudwatch_alarms(&alarm_set, spec));
	snprintf(how, sizeof(how), "aws cloudwatch put-dashboard --dashboard-name %s --dashboard-body file://aws/cloudwatch-dashboard.json",
	         spec->name);
	TRY(cloudwatch_config_map(fs, spec, "k8s/monitoring/cloudwatch-dashboard.yaml", "cloudwatch-dashboard",
	                          "dashboard.json", dash, how));
	TRY(cloudwatch_config_map(fs, spec, "k8s/monitoring/cloudwatch-alarms.yaml", "cloudwatch-alarms", "alarms.json",
	                          alarm_set, "see k8s/monitoring/README: one aws cloudwatch put-metric-alarm per entry of aws/cloudwatch-alarms.json"));
	TRY(k8smig__files_add_object(fs, spec, "aws/cloudwatch-dashboard.json", &dash, K8SMIG_FORMAT_JSON));
	TRY(k8smig__files_add_object(fs, spec, "aws/cloudwatch-alarms.json", &alarm_set, K8SMIG_FORMAT_JSON));

	TRY(k8smig_kustomization_new(&o));
	for (i = 0; resources[i]; i++)
		TRY(k8smig_kustomization_add_resource(o, resources[i]));
	TRY(k8smig__files_add_object(fs, spec, "k8s/monitoring/kustomization.yaml", &o, K8SMIG_FORMAT_YAML));
	return 0;
fail:
	k8smig_object_free(o);
	k8smig_object_free(dash);
	k8smig_object_free(alarm_set);
	k8smig_object_list_free(l);
	return rc;
}
