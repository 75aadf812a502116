/*
 * k8smig/monitoring.h - PrometheusRule (monitoring.coreos.com/v1) and the
 * Fluent Bit to CloudWatch Logs configuration.
 *
 * Conventions as in identity.h: validated setters, field paths in errors,
 * sticky failures, K8SMIG_EKIND for other kinds.
 */
#ifndef K8SMIG_MONITORING_H
#define K8SMIG_MONITORING_H

#include "common.h"
#include "object.h"

K8SMIG_BEGIN_DECL

/**
 * Create a monitoring.coreos.com/v1 PrometheusRule.
 * @param out (owned) the new object; NULL on failure
 * @param name a DNS-1123 subdomain
 * @param ns namespace, or NULL
 * @return 0; K8SMIG_EINVAL (path metadata.name or metadata.namespace); K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_prometheus_rule_new(k8smig_object **out, const char *name, const char *ns);

/**
 * Append a rule group.
 * @param index_out (optional) the group's index
 * @param rule a PrometheusRule
 * @param name unique group name
 * @param interval (optional) evaluation interval, a Prometheus duration ("30s", "1m")
 * @return 0; K8SMIG_EINVAL (path spec.groups[i].name or .interval); K8SMIG_EEXISTS (name taken);
 *         K8SMIG_EKIND; K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_prometheus_rule_add_group(size_t *index_out, k8smig_object *rule,
                                                              const char *name, const char *interval);

/**
 * Append an alerting rule to a group.
 * @param index_out (optional) the alert's index in the group
 * @param rule a PrometheusRule
 * @param group group index
 * @param alert alert name ([a-zA-Z_:][a-zA-Z0-9_:]*)
 * @param expr PromQL expression (not parsed here)
 * @param for_duration (optional) how long the condition must hold, a Prometheus duration ("5m")
 * @return 0; K8SMIG_EINVAL (path spec.groups[g].rules[r].alert, .expr or .for);
 *         K8SMIG_ENOTFOUND (no group; path spec.groups[g]); K8SMIG_EKIND; K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_prometheus_rule_add_alert(size_t *index_out, k8smig_object *rule, size_t group,
                                                              const char *alert, const char *expr,
                                                              const char *for_duration);

/**
 * Set a label of an alert (e.g. severity).
 * @param rule a PrometheusRule
 * @param group group index
 * @param alert alert index in the group
 * @param key a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*)
 * @param value any UTF-8 text
 * @return 0; K8SMIG_EINVAL (path spec.groups[g].rules[r].labels or .labels[key]);
 *         K8SMIG_ENOTFOUND (path spec.groups[g].rules[r]); K8SMIG_EKIND; K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_prometheus_rule_set_alert_label(k8smig_object *rule, size_t group, size_t alert,
                                                                    const char *key, const char *value);

/**
 * Set an annotation of an alert (e.g. summary, description).
 * @param rule a PrometheusRule
 * @param group group index
 * @param alert alert index in the group
 * @param key a Prometheus label name
 * @param value any UTF-8 text (templates such as {{ $labels.pod }} are kept as is)
 * @return 0; K8SMIG_EINVAL (path spec.groups[g].rules[r].annotations or .annotations[key]);
 *         K8SMIG_ENOTFOUND; K8SMIG_EKIND; K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_prometheus_rule_set_alert_annotation(k8smig_object *rule, size_t group, size_t alert,
                                                                         const char *key, const char *value);

/** What the Fluent Bit configuration collects and where it sends it. */
typedef struct k8smig_fluent_bit_options {
	unsigned int version;            /**< K8SMIG_FLUENT_BIT_OPTIONS_VERSION */
	const char *region;              /**< AWS region of CloudWatch Logs; required */
	const char *log_group_prefix;    /**< e.g. "/ecs/layering-detection": group <prefix>/<service>; required */
	const char *service_label;       /**< pod label naming the service; NULL: app.kubernetes.io/name */
	const char *const *namespaces;   /**< NULL-terminated namespaces to collect; NULL: every namespace */
	int32_t log_retention_days;      /**< a CloudWatch retention (1, 3, 5, 7, 14, 30, ...), or 0 for none */
} k8smig_fluent_bit_options;

#define K8SMIG_FLUENT_BIT_OPTIONS_VERSION 1
#define K8SMIG_FLUENT_BIT_OPTIONS_INIT { K8SMIG_FLUENT_BIT_OPTIONS_VERSION, NULL, NULL, NULL, NULL, 0 }

/** Initialise opts. @return 0, or K8SMIG_EINVAL for an unknown version. @since 0.1 */
K8SMIG_EXTERN(k8smig_status) k8smig_fluent_bit_options_init(k8smig_fluent_bit_options *opts, unsigned int version);

/**
 * Create the ConfigMap of a Fluent Bit DaemonSet (aws-for-fluent-bit):
 * data fluent-bit.conf (tail of /var/log/containers, kubernetes filter that
 * merges JSON logs, cloudwatch_logs output with one log group per service)
 * and parsers.conf. Mount it at /fluent-bit/etc/. The config strings are
 * multi-line, so they are written as readable literal blocks.
 * @param out (owned) the new ConfigMap; NULL on failure
 * @param name a DNS-1123 subdomain
 * @param ns namespace, e.g. "amazon-cloudwatch"
 * @param opts the settings
 * @return 0; K8SMIG_EINVAL (path metadata.name, metadata.namespace, or
 *         data[fluent-bit.conf] for a bad option); K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_fluent_bit_config_new(k8smig_object **out, const char *name, const char *ns,
                                                          const k8smig_fluent_bit_options *opts);

K8SMIG_END_DECL

#endif /* K8SMIG_MONITORING_H */
