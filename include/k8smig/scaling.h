/*
 * k8smig/scaling.h - HorizontalPodAutoscaler (autoscaling/v2) builders.
 *
 * Conventions as in identity.h: validated setters, field paths in errors,
 * sticky failures, K8SMIG_EKIND for other kinds. A Deployment managed by an
 * HPA should not set spec.replicas (the HPA owns it).
 */
#ifndef K8SMIG_SCALING_H
#define K8SMIG_SCALING_H

#include "common.h"
#include "object.h"

K8SMIG_BEGIN_DECL

/** Which half of spec.behavior. */
typedef enum k8smig_hpa_direction {
	K8SMIG_HPA_SCALE_UP = 0,    /**< spec.behavior.scaleUp */
	K8SMIG_HPA_SCALE_DOWN = 1   /**< spec.behavior.scaleDown */
} k8smig_hpa_direction;

/**
 * Create an autoscaling/v2 HorizontalPodAutoscaler for an apps/v1 workload.
 * @param out (owned) the new object; NULL on failure
 * @param name a DNS-1123 subdomain
 * @param ns namespace, or NULL
 * @param target_kind "Deployment", "StatefulSet" or "ReplicaSet"
 * @param target_name the workload's name
 * @param min_replicas 1 or more
 * @param max_replicas min_replicas or more
 * @return 0; K8SMIG_EINVAL (path metadata.name, metadata.namespace, spec.scaleTargetRef.kind,
 *         spec.scaleTargetRef.name, spec.minReplicas or spec.maxReplicas); K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_hpa_new(k8smig_object **out, const char *name, const char *ns,
                                            const char *target_kind, const char *target_name,
                                            int32_t min_replicas, int32_t max_replicas);

/**
 * Append a Resource metric with an average utilization target (percent of
 * the pods' requests, which the containers must therefore set).
 * @param hpa a HorizontalPodAutoscaler
 * @param resource "cpu", "memory" or "ephemeral-storage"
 * @param utilization_percent 1 or more (may exceed 100)
 * @return 0; K8SMIG_EINVAL (path spec.metrics[i].resource.name or
 *         spec.metrics[i].resource.target.averageUtilization); K8SMIG_EEXISTS (resource already
 *         has a metric; path spec.metrics[i].resource.name); K8SMIG_EKIND; K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_hpa_add_resource_metric(k8smig_object *hpa, const char *resource,
                                                            int32_t utilization_percent);

/**
 * Set the stabilization window and policy selection of one direction.
 * @param hpa a HorizontalPodAutoscaler
 * @param direction scale up or scale down
 * @param stabilization_seconds 0..3600 (0 survives emit and parse), or K8SMIG_UNSET (-1)
 * @param select_policy "Max", "Min" or "Disabled", or NULL
 * @return 0; K8SMIG_EINVAL (path spec.behavior.scaleUp.stabilizationWindowSeconds,
 *         .selectPolicy, or spec.behavior for an unknown direction); K8SMIG_EKIND; K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_hpa_set_behavior(k8smig_object *hpa, k8smig_hpa_direction direction,
                                                     int32_t stabilization_seconds, const char *select_policy);

/**
 * Append a scaling policy to one direction.
 * @param hpa a HorizontalPodAutoscaler
 * @param direction scale up or scale down
 * @param type "Pods" or "Percent"
 * @param value pods or percent per period, 1 or more
 * @param period_seconds 1..1800
 * @return 0; K8SMIG_EINVAL (path spec.behavior.scaleDown.policies[i].type, .value or
 *         .periodSeconds); K8SMIG_EKIND; K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_hpa_add_scaling_policy(k8smig_object *hpa, k8smig_hpa_direction direction,
                                                           const char *type, int32_t value, int32_t period_seconds);

K8SMIG_END_DECL

#endif /* K8SMIG_SCALING_H */
