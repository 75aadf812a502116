/*
 * lib/model/build_scaling.c - HorizontalPodAutoscaler (autoscaling/v2).
 */
#include <stdio.h>
#include <string.h>

#include "build.h"

int k8smig_hpa_new(k8smig_object **out, const char *name, const char *ns, const char *target_kind,
                   const char *target_name, int32_t min_replicas, int32_t max_replicas)
{
	k8smig_object *hpa = NULL;
	int rc;

	if (!out)
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL output");
	*out = NULL;
	if (!k8smig__build_one_of(target_kind, "Deployment", "StatefulSet", "ReplicaSet", NULL))
		return k8smig__error_set(K8SMIG_EINVAL, "spec.scaleTargetRef.kind", "must be Deployment, StatefulSet or ReplicaSet");
	if (!k8smig__is_dns1123_subdomain(target_name))
		return k8smig__error_set(K8SMIG_EINVAL, "spec.scaleTargetRef.name", "target name must be a DNS-1123 subdomain");
	if (min_replicas < 1)
		return k8smig__error_set(K8SMIG_EINVAL, "spec.minReplicas", "must be 1 or more");
	if (max_replicas < min_replicas)
		return k8smig__error_set(K8SMIG_EINVAL, "spec.maxReplicas", "must be at least minReplicas");
	if ((rc = k8smig__build_new(&hpa, "autoscaling/v2", "HorizontalPodAutoscaler", name, ns)) < 0)
		return rc;
	if ((rc = k8smig_object_set_str(hpa, "spec.scaleTargetRef.apiVersion", "apps/v1")) < 0 ||
	    (rc = k8smig_object_set_str(hpa, "spec.scaleTargetRef.kind", target_kind)) < 0 ||
	    (rc = k8smig_object_set_str(hpa, "spec.scaleTargetRef.name", target_name)) < 0 ||
	    (rc = k8smig_object_set_int(hpa, "spec.minReplicas", min_replicas)) < 0 ||
	    (rc = k8smig_object_set_int(hpa, "spec.maxReplicas", max_replicas)) < 0) {
		k8smig_object_free(hpa);
		return rc;
	}
	*out = hpa;
	return 0;
}

int k8smig_hpa_add_resource_metric(k8smig_object *hpa, const char *resource, int32_t utilization_percent)
{
	const k8smig_value *m;
	char path[96];
	size_t i;
	int rc;

	if ((rc = k8smig__build_kind(hpa, "HorizontalPodAutoscaler", NULL)) < 0)
		return rc;
	i = k8smig__build_list_size(hpa, "spec.metrics");
	k8smig__path_format(path, sizeof(path), "spec.metrics[%zu].resource.name", i);
	if (!k8smig__build_one_of(resource, "cpu", "memory", "ephemeral-storage", NULL))
		return k8smig__build_fail(hpa, K8SMIG_EINVAL, path, "must be cpu, memory or ephemeral-storage");
	for (m = k8smig_value_first(k8smig_object_get(hpa, "spec.metrics")); m; m = k8smig_value_next(m)) {
		const char *r = k8smig_value_str(k8smig_value_lookup(k8smig_value_lookup(m, "resource"), "name"));
		if (r && strcmp(r, resource) == 0)
			return k8smig__build_fail(hpa, K8SMIG_EEXISTS, path, "this resource already has a metric");
	}
	k8smig__path_format(path, sizeof(path), "spec.metrics[%zu].resource.target.averageUtilization", i);
	if (utilization_percent < 1)
		return k8smig__build_fail(hpa, K8SMIG_EINVAL, path, "must be 1 or more");
	if ((rc = k8smig__build_append_map(&i, hpa, "spec.metrics")) < 0 ||
	    (rc = k8smig__build_set_str(hpa, "Resource", "spec.metrics[%zu].type", i)) < 0 ||
	    (rc = k8smig__build_set_str(hpa, resource, "spec.metrics[%zu].resource.name", i)) < 0 ||
	    (rc = k8smig__build_set_str(hpa, "Utilization", "spec.metrics[%zu].resource.target.type", i)) < 0 ||
	    (rc = k8smig__build_set_int(hpa, utilization_percent, "spec.metrics[%zu].resource.target.averageUtilization", i)) < 0)
		return rc;
	/* keep behavior after metrics, as kubectl shows it */
	k8smig__build_move_last(hpa, "spec", "behavior");
	return 0;
}

static const char *direction_path(k8smig_hpa_direction d)
{
	return d == K8SMIG_HPA_SCALE_UP ? "spec.behavior.scaleUp" : d == K8SMIG_HPA_SCALE_DOWN ? "spec.behavior.scaleDown" : NULL;
}

int k8smig_hpa_set_behavior(k8smig_object *hpa, k8smig_hpa_direction direction, int32_t stabilization_seconds,
                            const char *select_policy)
{
	const char *base;
	char path[96];
	int rc;

	if ((rc = k8smig__build_kind(hpa, "HorizontalPodAutoscaler", NULL)) < 0)
		return rc;
	if (!(base = direction_path(direction)))
		return k8smig__build_fail(hpa, K8SMIG_EINVAL, "spec.behavior", "unknown direction");
	k8smig__path_format(path, sizeof(path), "%s.stabilizationWindowSeconds", base);
	if (stabilization_seconds != K8SMIG_UNSET && (stabilization_seconds < 0 || stabilization_seconds > 3600))
		return k8smig__build_fail(hpa, K8SMIG_EINVAL, path, "must be between 0 and 3600 seconds");
	k8smig__path_format(path, sizeof(path), "%s.selectPolicy", base);
	if (select_policy && !k8smig__build_one_of(select_policy, "Max", "Min", "Disabled", NULL))
		return k8smig__build_fail(hpa, K8SMIG_EINVAL, path, "must be Max, Min or Disabled");
	if (!k8smig_object_has(hpa, base) && (rc = k8smig_object_set_map(hpa, base)) < 0)
		return rc;
	if ((stabilization_seconds != K8SMIG_UNSET &&
	     (rc = k8smig__build_set_int(hpa, stabilization_seconds, "%s.stabilizationWindowSeconds", base)) < 0) ||
	    (select_policy && (rc = k8smig__build_set_str(hpa, select_policy, "%s.selectPolicy", base)) < 0))
		return rc;
	return 0;
}

int k8smig_hpa_add_scaling_policy(k8smig_object *hpa, k8smig_hpa_direction direction, const char *type,
                                  int32_t value, int32_t period_seconds)
{
	const char *base;
	char path[128];
	size_t i;
	int rc;

	if ((rc = k8smig__build_kind(hpa, "HorizontalPodAutoscaler", NULL)) < 0)
		return rc;
	if (!(base = direction_path(direction)))
		return k8smig__build_fail(hpa, K8SMIG_EINVAL, "spec.behavior", "unknown direction");
	i = k8smig__build_list_size(hpa, "%s.policies", base);
	k8smig__path_format(path, sizeof(path), "%s.policies[%zu].type", base, i);
	if (!k8smig__build_one_of(type, "Pods", "Percent", NULL))
		return k8smig__build_fail(hpa, K8SMIG_EINVAL, path, "must be Pods or Percent");
	k8smig__path_format(path, sizeof(path), "%s.policies[%zu].value", base, i);
	if (value < 1)
		return k8smig__build_fail(hpa, K8SMIG_EINVAL, path, "must be 1 or more");
	k8smig__path_format(path, sizeof(path), "%s.policies[%zu].periodSeconds", base, i);
	if (period_seconds < 1 || period_seconds > 1800)
		return k8smig__build_fail(hpa, K8SMIG_EINVAL, path, "must be between 1 and 1800 seconds");
	if ((rc = k8smig__build_append_map(&i, hpa, "%s.policies", base)) < 0 ||
	    (rc = k8smig__build_set_str(hpa, type, "%s.policies[%zu].type", base, i)) < 0 ||
	    (rc = k8smig__build_set_int(hpa, value, "%s.policies[%zu].value", base, i)) < 0 ||
	    (rc = k8smig__build_set_int(hpa, period_seconds, "%s.policies[%zu].periodSeconds", base, i)) < 0)
		return rc;
	return 0;
}
