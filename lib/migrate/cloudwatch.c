/*
 * lib/migrate/cloudwatch.c - the CloudWatch dashboard and alarms of the
 * system (Container Insights metrics), as the JSON documents that
 * `aws cloudwatch put-dashboard` and `put-metric-alarm` take.
 */
#include <stdio.h>
#include <stdlib.h>

#include "migrate.h"

/* Append one widget to d's list, built on its own and appended whole (see alarm()). */
static int metric_widget(k8smig_object *d, const k8smig_spec *spec, const char *title, const char *metric,
                         const char *dim, const char *ns, const char *value, int x, int y)
{
	const char *const line[] = { "ContainerInsights", metric, "ClusterName", spec->cluster, "Namespace", ns, dim, value };
	k8smig_object *w = NULL;
	size_t k;
	int rc;

	TRY(k8smig_object_new(&w, NULL, NULL));
	TRY(k8smig_object_set_str(w, "type", "metric"));
	TRY(k8smig_object_set_int(w, "x", x));
	TRY(k8smig_object_set_int(w, "y", y));
	TRY(k8smig_object_set_int(w, "width", 8));
	TRY(k8smig_object_set_int(w, "height", 6));
	TRY(k8smig_object_set_str(w, "properties.title", title));
	TRY(k8smig_object_set_str(w, "properties.region", spec->region));
	TRY(k8smig_object_set_str(w, "properties.stat", "Average"));
	TRY(k8smig_object_set_int(w, "properties.period", 300));
	TRY(k8smig_object_set_str(w, "properties.view", "timeSeries"));
	for (k = 0; k < sizeof(line) / sizeof(line[0]); k++)
		TRY(k8smig_object_append_str(NULL, w, "properties.metrics[0]", line[k]));
	TRY(k8smig_object_append_value(NULL, d, "widgets", k8smig_object_get(w, NULL)));
	rc = 0;
fail:
	k8smig_object_free(w);
	return rc;
}

int k8smig__cloudwatch_dashboard(k8smig_object **out, const k8smig_spec *spec)
{
	k8smig_object *d = NULL;
	char title[256];
	size_t e, i;
	int rc, y = 0;

	TRY(k8smig_object_new(&d, NULL, NULL));
	TRY(k8smig_object_set_list(d, "widgets"));
	for (e = 0; e < spec->n_envs; e++) {
		const mig_env *env = &spec->envs[e];
		if (!env->alarms)
			continue;
		for (i = 0; i < spec->n_services; i++, y += 6) {
			const char *svc = spec->services[i].name;
			snprintf(title, sizeof(title), "%s %s: CPU utilization (%%)", env->name, svc);
			TRY(metric_widget(d, spec, title, "pod_cpu_utilization", "PodName", env->ns, svc, 0, y));
			snprintf(title, sizeof(title), "%s %s: memory utilization (%%)", env->name, svc);
			TRY(metric_widget(d, spec, title, "pod_memory_utilization", "PodName", env->ns, svc, 8, y));
			snprintf(title, sizeof(title), "%s %s: running pods", env->name, svc);
			TRY(metric_widget(d, spec, title, "service_number_of_running_pods", "Service", env->ns, svc, 16, y));
		}
	}
	*out = d;
	return 0;
fail:
	k8smig_object_free(d);
	return rc;
}

/* Append one alarm to a's list. Built on its own, then appended whole: setting each field
 * through "alarms[i]...." would walk the list once per field, quadratic in the alarms
 * (a spec of 66 services in 66 environments took two minutes). */
static int alarm(k8smig_object *a, const k8smig_spec *spec, const mig_env *env, const char *svc, const char *what,
                 const char *metric, const char *dim, int32_t threshold, const char *op, const char *missing,
                 const char *description)
{
	k8smig_object *x = NULL;
	char name[256];
	int rc;

	snprintf(name, sizeof(name), "%s-%s-%s", env->ns, svc, what);
	TRY(k8smig_object_new(&x, NULL, NULL));
	TRY(k8smig_object_set_str(x, "AlarmName", name));
	TRY(k8smig_object_set_str(x, "AlarmDescription", description));
	TRY(k8smig_object_set_str(x, "Namespace", "ContainerInsights"));
	TRY(k8smig_object_set_str(x, "MetricName", metric));
	TRY(k8smig_object_append_map(NULL, x, "Dimensions"));
	TRY(k8smig_object_set_str(x, "Dimensions[0].Name", "ClusterName"));
	TRY(k8smig_object_set_str(x, "Dimensions[0].Value", spec->cluster));
	TRY(k8smig_object_append_map(NULL, x, "Dimensions"));
	TRY(k8smig_object_set_str(x, "Dimensions[1].Name", "Namespace"));
	TRY(k8smig_object_set_str(x, "Dimensions[1].Value", env->ns));
	TRY(k8smig_object_append_map(NULL, x, "Dimensions"));
	TRY(k8smig_object_set_str(x, "Dimensions[2].Name", dim));
	TRY(k8smig_object_set_str(x, "Dimensions[2].Value", svc));
	TRY(k8smig_object_set_str(x, "Statistic", "Average"));
	TRY(k8smig_object_set_int(x, "Period", 300));
	TRY(k8smig_object_set_int(x, "EvaluationPeriods", 2));
	TRY(k8smig_object_set_int(x, "Threshold", threshold));
	TRY(k8smig_object_set_str(x, "ComparisonOperator", op));
	TRY(k8smig_object_set_str(x, "TreatMissingData", missing));
	if (spec->sns_topic_arn) {
		TRY(k8smig_object_append_str(NULL, x, "AlarmActions", spec->sns_topic_arn));
		TRY(k8smig_object_append_str(NULL, x, "OKActions", spec->sns_topic_arn));
	}
	TRY(k8smig_object_append_value(NULL, a, "alarms", k8smig_object_get(x, NULL)));
	rc = 0;
fail:
	k8smig_object_free(x);
	return rc;
}

int k8smig__cloudwatch_alarms(k8smig_object **out, const k8smig_spec *spec)
{
	k8smig_object *a = NULL;
	char desc[256];
	size_t e, i;
	int rc;

	TRY(k8smig_object_new(&a, NULL, NULL));
	TRY(k8smig_object_set_list(a, "alarms"));
	for (e = 0; e < spec->n_envs; e++) {
		const mig_env *env = &spec->envs[e];
		if (!env->alarms)
			continue;
		for (i = 0; i < spec->n_services; i++) {
			const char *svc = spec->services[i].name;
			snprintf(desc, sizeof(desc), "%s in %s: CPU above %d%% of the request", svc, env->ns, (int)spec->alarm_cpu);
			TRY(alarm(a, spec, env, svc, "high-cpu", "pod_cpu_utilization_over_pod_limit", "PodName", spec->alarm_cpu,
			          "GreaterThanThreshold", "notBreaching", desc));
			snprintf(desc, sizeof(desc), "%s in %s: memory above %d%% of the limit", svc, env->ns,
			         (int)spec->alarm_memory);
			TRY(alarm(a, spec, env, svc, "high-memory", "pod_memory_utilization_over_pod_limit", "PodName",
			          spec->alarm_memory, "GreaterThanThreshold", "notBreaching", desc));
			snprintf(desc, sizeof(desc), "%s in %s: fewer than %d running pods", svc, env->ns,
			         (int)spec->alarm_min_pods);
			/* no data means no pods: that must alarm too */
			TRY(alarm(a, spec, env, svc, "low-pods", "service_number_of_running_pods", "Service",
			          spec->alarm_min_pods, "LessThanThreshold", "breaching", desc));
		}
	}
	*out = a;
	return 0;
fail:
	k8smig_object_free(a);
	return rc;
}
