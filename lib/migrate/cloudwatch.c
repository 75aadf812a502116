/*
 * lib/migrate/cloudwatch.c - the CloudWatch dashboard and alarms
 * on Container Insights metrics. Only metrics the add-on's agent emits for
 * these pods, with the dimension sets it publishes (docs/aws.md: the agent's
 * metric declarations and the conditions under which a metric exists);
 * tests/migrate/test_aws.py checks every alarm against those facts.
 */
#include <stdio.h>

#include "migrate.h"

#define PERIOD 300

/* Append ContainerInsights/<metric> with ClusterName, Namespace and <dim>=<value> to the list at path. */
static int metric_ref(k8smig_object *d, const char *path, const k8smig_spec *spec, const char *metric,
                      const char *dim, const char *ns, const char *value)
{
	int rc;
	TRY(k8smig_object_append_str(NULL, d, path, "ContainerInsights"));
	TRY(k8smig_object_append_str(NULL, d, path, metric));
	TRY(k8smig_object_append_str(NULL, d, path, "ClusterName"));
	TRY(k8smig_object_append_str(NULL, d, path, spec->cluster));
	TRY(k8smig_object_append_str(NULL, d, path, "Namespace"));
	TRY(k8smig_object_append_str(NULL, d, path, ns));
	TRY(k8smig_object_append_str(NULL, d, path, dim));
	TRY(k8smig_object_append_str(NULL, d, path, value));
	return 0;
fail:
	return rc;
}

/* A time-series widget appended to d's list; cpu: CPU as a percentage of the request (metric math), else metric
 * by dim. Built on its own and appended whole: setting fields through "widgets[i]...." paths would walk the list
 * once per field. */
static int widget(k8smig_object *d, const k8smig_spec *spec, const char *title, bool cpu, const char *metric,
                  const char *dim, const char *ns, const char *value, int x, int y)
{
	k8smig_object *w = NULL;
	char p[96];
	size_t j, k;
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
	TRY(k8smig_object_set_int(w, "properties.period", PERIOD));
	TRY(k8smig_object_set_str(w, "properties.view", "timeSeries"));
	if (!cpu) {
		TRY(metric_ref(w, "properties.metrics[0]", spec, metric, dim, ns, value));
	} else {
		/* [{expression}], [usage ..., {id: usage, visible: false}], [request ..., {id: request, visible: false}] */
		TRY(k8smig_object_append_map(NULL, w, "properties.metrics[0]"));
		TRY(k8smig_object_set_str(w, "properties.metrics[0][0].expression", "100 * usage / request"));
		TRY(k8smig_object_set_str(w, "properties.metrics[0][0].label", "CPU (% of the request)"));
		for (j = 1; j <= 2; j++) {
			snprintf(p, sizeof(p), "properties.metrics[%zu]", j);
			TRY(metric_ref(w, p, spec, j == 1 ? "pod_cpu_usage_total" : "pod_cpu_request", dim, ns, value));
			TRY(k8smig_object_append_map(&k, w, p));
			snprintf(p, sizeof(p), "properties.metrics[%zu][%zu].id", j, k);
			TRY(k8smig_object_set_str(w, p, j == 1 ? "usage" : "request"));
			snprintf(p, sizeof(p), "properties.metrics[%zu][%zu].visible", j, k);
			TRY(k8smig_object_set_bool(w, p, false));
		}
	}
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
			/* Fargate pods: no pod metrics from the add-on (see alarm()), only the running pods */
			if (spec->services[i].fargate) {
				snprintf(title, sizeof(title), "%s %s (Fargate): running pods", env->name, svc);
				TRY(widget(d, spec, title, false, "service_number_of_running_pods", "Service", env->ns, svc, 0, y));
				continue;
			}
			snprintf(title, sizeof(title), "%s %s: CPU (%% of the request)", env->name, svc);
			TRY(widget(d, spec, title, true, NULL, "PodName", env->ns, svc, 0, y));
			snprintf(title, sizeof(title), "%s %s: memory (%% of the limit)", env->name, svc);
			TRY(widget(d, spec, title, false, "pod_memory_utilization_over_pod_limit", "PodName", env->ns, svc, 8, y));
			snprintf(title, sizeof(title), "%s %s: running pods", env->name, svc);
			TRY(widget(d, spec, title, false, "service_number_of_running_pods", "Service", env->ns, svc, 16, y));
		}
	}
	*out = d;
	return 0;
fail:
	k8smig_object_free(d);
	return rc;
}

/* Dimensions ClusterName, Namespace, <dim> of the metric at path (a map with Namespace and MetricName). */
static int alarm_metric(k8smig_object *a, const char *path, const k8smig_spec *spec, const mig_env *env,
                        const char *metric, const char *dim, const char *value)
{
	const char *names[3] = { "ClusterName", "Namespace", dim }, *values[3] = { spec->cluster, env->ns, value };
	const char *dot = *path ? "." : "";
	char p[192];
	size_t k;
	int rc;

	snprintf(p, sizeof(p), "%s%sNamespace", path, dot);
	TRY(k8smig_object_set_str(a, p, "ContainerInsights"));
	snprintf(p, sizeof(p), "%s%sMetricName", path, dot);
	TRY(k8smig_object_set_str(a, p, metric));
	for (k = 0; k < 3; k++) {
		snprintf(p, sizeof(p), "%s%sDimensions", path, dot);
		TRY(k8smig_object_append_map(NULL, a, p));
		snprintf(p, sizeof(p), "%s%sDimensions[%zu].Name", path, dot, k);
		TRY(k8smig_object_set_str(a, p, names[k]));
		snprintf(p, sizeof(p), "%s%sDimensions[%zu].Value", path, dot, k);
		TRY(k8smig_object_set_str(a, p, values[k]));
	}
	return 0;
fail:
	return rc;
}

typedef enum { ALARM_CPU, ALARM_MEMORY, ALARM_PODS } alarm_kind;

/*
 * The ECS alarms on Container Insights metrics that exist for these pods (docs/aws.md):
 *  - CPU: 100 * pod_cpu_usage_total / pod_cpu_request (the pods have a CPU request and no CPU limit, so
 *    pod_cpu_utilization_over_pod_limit is never emitted; ECS measured CPU against the task's CPU units);
 *  - memory: pod_memory_utilization_over_pod_limit (the memory request is also the limit);
 *  - running pods: service_number_of_running_pods of the Kubernetes Service (from the add-on's leader).
 * A service on Fargate gets only the running-pods alarm: the pod metrics come from the add-on's agent on the
 * pod's node (a DaemonSet, which Fargate does not run), and ADOT's Fargate pipeline publishes them with the
 * pod's own name as PodName (no stable per-service dimension to alarm on). The running pods are counted by
 * the leader from the Service's endpoints, wherever the pods run.
 */
static int alarm(k8smig_object *a, const k8smig_spec *spec, const mig_env *env, const char *svc, alarm_kind kind)
{
	static const char *const what[] = { "high-cpu", "high-memory", "low-pods" };
	k8smig_object *x = NULL;
	char p[128], name[256], desc[256];
	size_t q;
	int rc;

	/* built on its own, then appended whole: "alarms[i]...." paths would walk the list once per field */
	TRY(k8smig_object_new(&x, NULL, NULL));
#define A(field) (field)
	snprintf(name, sizeof(name), "%s-%s-%s", env->ns, svc, what[kind]);
	if (kind == ALARM_CPU)
		snprintf(desc, sizeof(desc), "%s in %s: CPU above %d%% of the request", svc, env->ns, (int)spec->alarm_cpu);
	else if (kind == ALARM_MEMORY)
		snprintf(desc, sizeof(desc), "%s in %s: memory above %d%% of the limit", svc, env->ns, (int)spec->alarm_memory);
	else
		snprintf(desc, sizeof(desc), "%s in %s: fewer than %d running pods", svc, env->ns, (int)spec->alarm_min_pods);
	TRY(k8smig_object_set_str(x, A("AlarmName"), name));
	TRY(k8smig_object_set_str(x, A("AlarmDescription"), desc));
	if (kind == ALARM_CPU) {
		static const char *const ids[] = { "usage", "request" };
		static const char *const metrics[] = { "pod_cpu_usage_total", "pod_cpu_request" };
		for (q = 0; q < 2; q++) {
			char m[96];
			TRY(k8smig_object_append_map(NULL, x, "Metrics"));
			snprintf(m, sizeof(m), "Metrics[%zu]", q);
			snprintf(p, sizeof(p), "%s.Id", m);
			TRY(k8smig_object_set_str(x, p, ids[q]));
			snprintf(p, sizeof(p), "%s.MetricStat.Metric", m);
			TRY(alarm_metric(x, p, spec, env, metrics[q], "PodName", svc));
			snprintf(p, sizeof(p), "%s.MetricStat.Period", m);
			TRY(k8smig_object_set_int(x, p, PERIOD));
			snprintf(p, sizeof(p), "%s.MetricStat.Stat", m);
			TRY(k8smig_object_set_str(x, p, "Average"));
			snprintf(p, sizeof(p), "%s.ReturnData", m);
			TRY(k8smig_object_set_bool(x, p, false));
		}
		TRY(k8smig_object_append_map(NULL, x, A("Metrics")));
		TRY(k8smig_object_set_str(x, A("Metrics[2].Id"), "cpu"));
		TRY(k8smig_object_set_str(x, A("Metrics[2].Expression"), "100 * usage / request"));
		TRY(k8smig_object_set_str(x, A("Metrics[2].Label"), "CPU (% of the request)"));
		TRY(k8smig_object_set_bool(x, A("Metrics[2].ReturnData"), true));
	} else {
		TRY(alarm_metric(x, "", spec, env,
		                 kind == ALARM_MEMORY ? "pod_memory_utilization_over_pod_limit" : "service_number_of_running_pods",
		                 kind == ALARM_MEMORY ? "PodName" : "Service", svc));
		TRY(k8smig_object_set_str(x, A("Statistic"), "Average"));
		TRY(k8smig_object_set_int(x, A("Period"), PERIOD));
	}
	TRY(k8smig_object_set_int(x, A("EvaluationPeriods"), 2));
	TRY(k8smig_object_set_int(x, A("Threshold"),
	                          kind == ALARM_CPU ? spec->alarm_cpu : kind == ALARM_MEMORY ? spec->alarm_memory : spec->alarm_min_pods));
	TRY(k8smig_object_set_str(x, A("ComparisonOperator"), kind == ALARM_PODS ? "LessThanThreshold" : "GreaterThanThreshold"));
	/* no data about running pods means no pods: that must alarm too */
	TRY(k8smig_object_set_str(x, A("TreatMissingData"), kind == ALARM_PODS ? "breaching" : "notBreaching"));
	if (spec->sns_topic_arn) {
		TRY(k8smig_object_append_str(NULL, x, A("AlarmActions"), spec->sns_topic_arn));
		TRY(k8smig_object_append_str(NULL, x, A("OKActions"), spec->sns_topic_arn));
	}
#undef A
	TRY(k8smig_object_append_value(NULL, a, "alarms", k8smig_object_get(x, NULL)));
	rc = 0;
fail:
	k8smig_object_free(x);
	return rc;
}

int k8smig__cloudwatch_alarms(k8smig_object **out, const k8smig_spec *spec)
{
	k8smig_object *a = NULL;
	size_t e, i;
	int rc;

	TRY(k8smig_object_new(&a, NULL, NULL));
	TRY(k8smig_object_set_list(a, "alarms"));
	for (e = 0; e < spec->n_envs; e++) {
		if (!spec->envs[e].alarms)
			continue;
		for (i = 0; i < spec->n_services; i++) {
			if (!spec->services[i].fargate) {
				TRY(alarm(a, spec, &spec->envs[e], spec->services[i].name, ALARM_CPU));
				TRY(alarm(a, spec, &spec->envs[e], spec->services[i].name, ALARM_MEMORY));
			}
			TRY(alarm(a, spec, &spec->envs[e], spec->services[i].name, ALARM_PODS));
		}
	}
	*out = a;
	return 0;
fail:
	k8smig_object_free(a);
	return rc;
}
