/*
 * k8smig/workloads.h - Deployment, DaemonSet, Pod and PodDisruptionBudget
 * builders: pod templates, containers, probes, volumes, selectors.
 *
 * Conventions as in identity.h: validated setters, field paths in errors
 * (spec.template.spec.containers[0].ports[0].containerPort), sticky
 * failures, K8SMIG_EKIND for other kinds, constructors leave *out NULL on
 * failure.
 *
 * k8smig_pod_* functions work on the pod spec of a Pod and on the pod
 * template of a Deployment, DaemonSet, StatefulSet, ReplicaSet, Job,
 * CronJob, ReplicationController or PodTemplate. k8smig_container_* functions address a container by its index
 * (from k8smig_pod_add_container()) in the same objects; a missing
 * container is K8SMIG_ENOTFOUND with the container's path.
 */
#ifndef K8SMIG_WORKLOADS_H
#define K8SMIG_WORKLOADS_H

#include "common.h"
#include "object.h"

K8SMIG_BEGIN_DECL

/* ---- constructors --------------------------------------------------------- */

/**
 * Create an apps/v1 Deployment whose selector, pod template labels and own
 * labels carry app.kubernetes.io/name: <name>. spec.replicas stays unset
 * (leave it unset when an HPA manages the Deployment).
 * @param out (owned) the new object; NULL on failure
 * @param name a DNS-1123 subdomain (at most 63 bytes, it becomes a label value)
 * @param ns namespace, or NULL
 * @return 0; K8SMIG_EINVAL (path metadata.name or metadata.namespace); K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_deployment_new(k8smig_object **out, const char *name, const char *ns);

/**
 * Create an apps/v1 DaemonSet, labelled and selected as k8smig_deployment_new().
 * @param out (owned) the new object; NULL on failure
 * @param name a DNS-1123 subdomain (at most 63 bytes)
 * @param ns namespace, or NULL
 * @return 0; K8SMIG_EINVAL (path metadata.name or metadata.namespace); K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_daemon_set_new(k8smig_object **out, const char *name, const char *ns);

/**
 * Create a v1 Pod labelled app.kubernetes.io/name: <name> (e.g. a test pod
 * that mounts a claim).
 * @param out (owned) the new object; NULL on failure
 * @param name a DNS-1123 subdomain (at most 63 bytes)
 * @param ns namespace, or NULL
 * @return 0; K8SMIG_EINVAL (path metadata.name or metadata.namespace); K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_pod_new(k8smig_object **out, const char *name, const char *ns);

/**
 * Create a policy/v1 PodDisruptionBudget; give exactly one of min_available
 * and max_unavailable. Select pods with k8smig_selector_set().
 * @param out (owned) the new object; NULL on failure
 * @param name a DNS-1123 subdomain
 * @param ns namespace, or NULL
 * @param min_available a count ("1") or a percentage ("50%"), or NULL
 * @param max_unavailable a count or a percentage, or NULL
 * @return 0; K8SMIG_EINVAL (path metadata.name, metadata.namespace, spec.minAvailable
 *         or spec.maxUnavailable); K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_pdb_new(k8smig_object **out, const char *name, const char *ns,
                                            const char *min_available, const char *max_unavailable);

/* ---- workload-level ------------------------------------------------------- */

/**
 * Set spec.replicas of a Deployment (0 survives emit and parse). Do not set
 * it when an HorizontalPodAutoscaler manages the Deployment.
 * @param deployment a Deployment
 * @param replicas 0 or more
 * @return 0; K8SMIG_EINVAL (negative; path spec.replicas); K8SMIG_EKIND; K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_deployment_set_replicas(k8smig_object *deployment, int32_t replicas);

/**
 * Set the update strategy: spec.strategy of a Deployment ("RollingUpdate" or
 * "Recreate"), spec.updateStrategy of a DaemonSet ("RollingUpdate" or "OnDelete").
 * @param obj a Deployment or DaemonSet
 * @param type the strategy type
 * @param max_surge (RollingUpdate, optional) a count ("1") or a percentage ("25%")
 * @param max_unavailable (RollingUpdate, optional) a count or a percentage
 * @return 0; K8SMIG_EINVAL (path spec.strategy.type, spec.strategy.rollingUpdate.maxSurge,
 *         ...maxUnavailable, or the same under spec.updateStrategy); K8SMIG_EKIND; K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_workload_set_update_strategy(k8smig_object *obj, const char *type,
                                                                 const char *max_surge, const char *max_unavailable);

/**
 * Add key=value to what an object selects: spec.selector.matchLabels and the
 * pod template labels of a Deployment, DaemonSet, StatefulSet or ReplicaSet;
 * spec.selector.matchLabels of a PodDisruptionBudget; spec.selector of a Service.
 * @param obj one of the kinds above
 * @param key a label key (optional DNS prefix, '/', name of at most 63 characters)
 * @param value a label value (at most 63 characters, may be empty)
 * @return 0; K8SMIG_EINVAL (path spec.selector.matchLabels[key] or spec.selector[key]);
 *         K8SMIG_EKIND; K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_selector_set(k8smig_object *obj, const char *key, const char *value);

/* ---- pod spec and template ------------------------------------------------ */

/**
 * Set the pod's serviceAccountName.
 * @param obj a Pod or a workload with a pod template
 * @param service_account a DNS-1123 subdomain
 * @return 0; K8SMIG_EINVAL (path <pod spec>.serviceAccountName); K8SMIG_EKIND; K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_pod_set_service_account(k8smig_object *obj, const char *service_account);

/**
 * Set a label of the pod template (or of a Pod). A workload's selector
 * labels are set with k8smig_selector_set().
 * @param obj a Pod or a workload with a pod template
 * @param key a label key
 * @param value a label value
 * @return 0; K8SMIG_EINVAL (path <pod metadata>.labels[key]); K8SMIG_EKIND; K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_pod_set_template_label(k8smig_object *obj, const char *key, const char *value);

/**
 * Set an annotation of the pod template (or of a Pod).
 * @param obj a Pod or a workload with a pod template
 * @param key an annotation key (same syntax as a label key)
 * @param value any UTF-8 text
 * @return 0; K8SMIG_EINVAL (path <pod metadata>.annotations[key]); K8SMIG_EKIND; K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_pod_set_template_annotation(k8smig_object *obj, const char *key, const char *value);

/**
 * Set nodeSelector[key] = value.
 * @param obj a Pod or a workload with a pod template
 * @param key a label key, e.g. "kubernetes.io/os"
 * @param value a label value
 * @return 0; K8SMIG_EINVAL (path <pod spec>.nodeSelector[key]); K8SMIG_EKIND; K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_pod_set_node_selector(k8smig_object *obj, const char *key, const char *value);

/**
 * Append a toleration.
 * @param obj a Pod or a workload with a pod template
 * @param key taint key (a label key), or NULL to match every key (needs operator "Exists")
 * @param op "Equal" or "Exists"; NULL for the default (Equal)
 * @param value taint value for "Equal" (a label value), NULL for "Exists"
 * @param effect "NoSchedule", "PreferNoSchedule" or "NoExecute"; NULL matches all effects
 * @param toleration_seconds seconds a NoExecute taint is tolerated, or K8SMIG_UNSET
 * @return 0; K8SMIG_EINVAL (path <pod spec>.tolerations[i].key, .operator, .value,
 *         .effect or .tolerationSeconds); K8SMIG_EKIND; K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_pod_add_toleration(k8smig_object *obj, const char *key, const char *op,
                                                       const char *value, const char *effect, int64_t toleration_seconds);

/**
 * Set terminationGracePeriodSeconds (0 survives emit and parse).
 * @param obj a Pod or a workload with a pod template
 * @param seconds 0 or more
 * @return 0; K8SMIG_EINVAL (path <pod spec>.terminationGracePeriodSeconds); K8SMIG_EKIND; K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_pod_set_termination_grace_period(k8smig_object *obj, int64_t seconds);

/** What a pod volume is backed by. */
typedef enum k8smig_volume_type {
	K8SMIG_VOLUME_PVC = 0,         /**< source: claim name (persistentVolumeClaim.claimName) */
	K8SMIG_VOLUME_CONFIG_MAP = 1,  /**< source: ConfigMap name (configMap.name) */
	K8SMIG_VOLUME_SECRET = 2,      /**< source: Secret name (secret.secretName) */
	K8SMIG_VOLUME_EMPTY_DIR = 3,   /**< source: NULL (node disk) or "Memory" (emptyDir.medium) */
	K8SMIG_VOLUME_HOST_PATH = 4    /**< source: absolute node path (hostPath.path) */
} k8smig_volume_type;

/**
 * Append a pod volume. Rare fields (items, defaultMode, sizeLimit,
 * hostPath.type) go through k8smig_object_set_*() at
 * "<pod spec>.volumes[<index>]...".
 * @param index_out (optional) index of the new volume
 * @param obj a Pod or a workload with a pod template
 * @param name a DNS-1123 label, unique among the pod's volumes
 * @param type the volume type
 * @param source what the type needs (see k8smig_volume_type)
 * @return 0; K8SMIG_EINVAL (path <pod spec>.volumes[i].name or the source field);
 *         K8SMIG_EEXISTS (name taken; path <pod spec>.volumes[i].name); K8SMIG_EKIND; K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_pod_add_volume(size_t *index_out, k8smig_object *obj, const char *name,
                                                   k8smig_volume_type type, const char *source);

/**
 * Options for a pod's or a container's securityContext. Zeroed, nothing is
 * set: a field is written when it is non-zero (true), or when its has_ flag
 * says that its zero (false) is meant. So `.run_as_user = 1000` and
 * `.read_only_root_filesystem = true` need no flag, while root
 * (`.has_run_as_user = true, .run_as_user = 0`) and an explicit false
 * (`.has_allow_privilege_escalation = true`) must be asked for.
 */
typedef struct k8smig_security_context_options {
	unsigned int version;             /**< K8SMIG_SECURITY_CONTEXT_OPTIONS_VERSION */
	int64_t run_as_user;              /**< 0 or more; 0 only with has_run_as_user */
	int64_t run_as_group;             /**< 0 or more; 0 only with has_run_as_group */
	int64_t fs_group;                 /**< pod only: 0 or more; 0 only with has_fs_group */
	bool run_as_non_root;             /**< false only with has_run_as_non_root */
	bool read_only_root_filesystem;   /**< container only; false only with has_read_only_root_filesystem */
	bool allow_privilege_escalation;  /**< container only; false only with has_allow_privilege_escalation */
	bool privileged;                  /**< container only; false only with has_privileged */
	const char *const *capabilities_add;   /**< container only: NULL-terminated, e.g. "NET_BIND_SERVICE" */
	const char *const *capabilities_drop;  /**< container only: NULL-terminated, e.g. "ALL" */
	const char *seccomp_profile;      /**< "RuntimeDefault" or "Unconfined", or NULL */
	bool has_run_as_user;             /**< write run_as_user even when 0 (root) */
	bool has_run_as_group;            /**< write run_as_group even when 0 */
	bool has_fs_group;                /**< write fs_group even when 0 */
	bool has_run_as_non_root;         /**< write run_as_non_root even when false */
	bool has_read_only_root_filesystem;  /**< write read_only_root_filesystem even when false */
	bool has_allow_privilege_escalation; /**< write allow_privilege_escalation even when false */
	bool has_privileged;              /**< write privileged even when false */
} k8smig_security_context_options;

#define K8SMIG_SECURITY_CONTEXT_OPTIONS_VERSION 1
#define K8SMIG_SECURITY_CONTEXT_OPTIONS_INIT \
	{ K8SMIG_SECURITY_CONTEXT_OPTIONS_VERSION, 0, 0, 0, false, false, false, false, NULL, NULL, NULL, \
	  false, false, false, false, false, false, false }

/**
 * Initialise opts: every field unset. @return 0, or K8SMIG_EINVAL for an unknown version.
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_security_context_options_init(k8smig_security_context_options *opts, unsigned int version);

/**
 * Set the pod-level securityContext (replacing it) from the fields opts sets.
 * @param obj a Pod or a workload with a pod template
 * @param opts run_as_user, run_as_group, fs_group, run_as_non_root, seccomp_profile
 * @return 0; K8SMIG_EINVAL (bad version or a container-only field: path
 *         <pod spec>.securityContext[.field]); K8SMIG_EKIND; K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_pod_set_security_context(k8smig_object *obj, const k8smig_security_context_options *opts);

/**
 * Append a container.
 * @param index_out (optional) the container's index for k8smig_container_*()
 * @param obj a Pod or a workload with a pod template
 * @param name a DNS-1123 label, unique in the pod
 * @param image a non-empty image reference without blanks
 * @return 0; K8SMIG_EINVAL (path <pod spec>.containers[i].name or .image);
 *         K8SMIG_EEXISTS (name taken; path <pod spec>.containers[i].name); K8SMIG_EKIND; K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_pod_add_container(size_t *index_out, k8smig_object *obj, const char *name, const char *image);

/* ---- containers ------------------------------------------------------------- */

/**
 * Set imagePullPolicy.
 * @param obj a Pod or a workload with a pod template
 * @param index container index
 * @param policy "Always", "IfNotPresent" or "Never"
 * @return 0; K8SMIG_EINVAL (path <container>.imagePullPolicy); K8SMIG_ENOTFOUND; K8SMIG_EKIND; K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_container_set_image_pull_policy(k8smig_object *obj, size_t index, const char *policy);

/**
 * Set command and/or args (NULL-terminated arrays; NULL leaves one as it is,
 * an empty array clears it).
 * @param obj a Pod or a workload with a pod template
 * @param index container index
 * @param command the entrypoint, or NULL
 * @param args its arguments, or NULL
 * @return 0; K8SMIG_ENOTFOUND; K8SMIG_EKIND; K8SMIG_EINVAL (invalid UTF-8); K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_container_set_command(k8smig_object *obj, size_t index,
                                                          const char *const *command, const char *const *args);

/**
 * Append a container port.
 * @param obj a Pod or a workload with a pod template
 * @param index container index
 * @param name (optional) an IANA service name (lowercase, at most 15, a letter), unique in the container
 * @param port 1..65535
 * @param protocol "TCP", "UDP" or "SCTP"; NULL leaves the default (TCP)
 * @return 0; K8SMIG_EINVAL (path <container>.ports[i].containerPort, .name or .protocol);
 *         K8SMIG_EEXISTS (name taken; path <container>.ports[i].name); K8SMIG_ENOTFOUND; K8SMIG_EKIND; K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_container_add_port(k8smig_object *obj, size_t index, const char *name,
                                                       int32_t port, const char *protocol);

/**
 * Append an environment variable with a literal value.
 * @param obj a Pod or a workload with a pod template
 * @param index container index
 * @param name [-._a-zA-Z][-._a-zA-Z0-9]*, not ".", ".." or starting with ".."
 * @param value UTF-8 text (may be empty)
 * @return 0; K8SMIG_EINVAL (path <container>.env[i].name or .value); K8SMIG_ENOTFOUND; K8SMIG_EKIND; K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_container_add_env(k8smig_object *obj, size_t index, const char *name, const char *value);

/** Where an environment variable (or a set of them) comes from. */
typedef enum k8smig_env_source {
	K8SMIG_ENV_CONFIG_MAP = 0,      /**< configMapKeyRef / configMapRef */
	K8SMIG_ENV_SECRET = 1,          /**< secretKeyRef / secretRef */
	K8SMIG_ENV_FIELD = 2,           /**< fieldRef: key is a field path ("metadata.name", "status.podIP") */
	K8SMIG_ENV_RESOURCE_FIELD = 3   /**< resourceFieldRef: key is "limits.cpu", "requests.memory", ... */
} k8smig_env_source;

/**
 * Append an environment variable read from a ConfigMap key, a Secret key,
 * a pod field or a resource field (valueFrom).
 * @param obj a Pod or a workload with a pod template
 * @param index container index
 * @param name the variable's name, as for k8smig_container_add_env()
 * @param source where the value comes from
 * @param object_name ConfigMap or Secret name; for K8SMIG_ENV_RESOURCE_FIELD an
 *        optional container name; NULL for K8SMIG_ENV_FIELD
 * @param key the key in the ConfigMap or Secret, the field path, or the resource
 * @return 0; K8SMIG_EINVAL (path <container>.env[i].name or .valueFrom.<ref>.name/.key/.fieldPath/.resource);
 *         K8SMIG_ENOTFOUND; K8SMIG_EKIND; K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_container_add_env_ref(k8smig_object *obj, size_t index, const char *name,
                                                          k8smig_env_source source, const char *object_name,
                                                          const char *key);

/**
 * Append envFrom: every key of a ConfigMap or Secret becomes a variable.
 * @param obj a Pod or a workload with a pod template
 * @param index container index
 * @param source K8SMIG_ENV_CONFIG_MAP or K8SMIG_ENV_SECRET
 * @param name the ConfigMap or Secret name
 * @param prefix (optional) prepended to every variable name
 * @return 0; K8SMIG_EINVAL (path <container>.envFrom[i].configMapRef.name, .secretRef.name or .prefix);
 *         K8SMIG_ENOTFOUND; K8SMIG_EKIND; K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_container_add_env_from(k8smig_object *obj, size_t index, k8smig_env_source source,
                                                           const char *name, const char *prefix);

/**
 * Set resources.requests and resources.limits (replacing both). Quantities
 * are validated and stored canonical ("0.5" -> "500m", "1024Mi" -> "1Gi");
 * NULL leaves one out. A request above its limit is an error, as on the API server.
 * @param obj a Pod or a workload with a pod template
 * @param index container index
 * @param cpu_request e.g. "500m", or NULL
 * @param memory_request e.g. "512Mi", or NULL
 * @param cpu_limit or NULL
 * @param memory_limit or NULL
 * @return 0; K8SMIG_EINVAL (path <container>.resources.requests.cpu, ...);
 *         K8SMIG_ENOTFOUND; K8SMIG_EKIND; K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_container_set_resources(k8smig_object *obj, size_t index,
                                                            const char *cpu_request, const char *memory_request,
                                                            const char *cpu_limit, const char *memory_limit);

/** Which probe of a container. */
typedef enum k8smig_probe_kind {
	K8SMIG_PROBE_LIVENESS = 0,
	K8SMIG_PROBE_READINESS = 1,
	K8SMIG_PROBE_STARTUP = 2
} k8smig_probe_kind;

/** How a probe checks the container. */
typedef enum k8smig_probe_handler {
	K8SMIG_PROBE_HTTP_GET = 0,    /**< path, port or port_name, scheme */
	K8SMIG_PROBE_TCP_SOCKET = 1,  /**< port or port_name */
	K8SMIG_PROBE_EXEC = 2,        /**< command */
	K8SMIG_PROBE_GRPC = 3         /**< port, grpc_service */
} k8smig_probe_handler;

/**
 * A probe. Timing fields are written only when set (non-zero): zeroed, the
 * probe keeps every Kubernetes default (initialDelaySeconds 0, periodSeconds
 * 10, timeoutSeconds 1, successThreshold 1, failureThreshold 3).
 * K8SMIG_UNSET (-1) also means "not set". An explicit initialDelaySeconds: 0
 * is written with has_initial_delay_seconds.
 */
typedef struct k8smig_probe_options {
	unsigned int version;             /**< K8SMIG_PROBE_OPTIONS_VERSION */
	k8smig_probe_handler handler;
	const char *path;                 /**< httpGet path ("/health"), or NULL */
	int32_t port;                     /**< 1..65535; 0 when port_name is used */
	const char *port_name;            /**< httpGet/tcpSocket: a named container port, or NULL */
	const char *scheme;               /**< httpGet: "HTTP" or "HTTPS", or NULL */
	const char *const *command;       /**< exec: NULL-terminated argv */
	const char *grpc_service;         /**< grpc: service name, or NULL */
	int32_t initial_delay_seconds;    /**< 0 or more; 0 is written only with has_initial_delay_seconds */
	int32_t period_seconds;           /**< 1 or more; 0: not set */
	int32_t timeout_seconds;          /**< 1 or more; 0: not set */
	int32_t success_threshold;        /**< 1 or more, 1 for liveness and startup; 0: not set */
	int32_t failure_threshold;        /**< 1 or more; 0: not set */
	int64_t termination_grace_period_seconds; /**< liveness and startup only: 1 or more; 0: not set */
	bool has_initial_delay_seconds;   /**< write initial_delay_seconds even when 0 */
} k8smig_probe_options;

#define K8SMIG_PROBE_OPTIONS_VERSION 1
#define K8SMIG_PROBE_OPTIONS_INIT \
	{ K8SMIG_PROBE_OPTIONS_VERSION, K8SMIG_PROBE_HTTP_GET, NULL, 0, NULL, NULL, NULL, NULL, 0, 0, 0, 0, 0, 0, false }

/**
 * Initialise opts: HTTP GET with every timing field unset.
 * @return 0, or K8SMIG_EINVAL for an unknown version.
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_probe_options_init(k8smig_probe_options *opts, unsigned int version);

/**
 * Set (replace) a liveness, readiness or startup probe.
 * @param obj a Pod or a workload with a pod template
 * @param index container index
 * @param kind which probe
 * @param opts the probe (start from K8SMIG_PROBE_OPTIONS_INIT)
 * @return 0; K8SMIG_EINVAL (path <container>.livenessProbe.periodSeconds,
 *         .readinessProbe.httpGet.port, ...); K8SMIG_ENOTFOUND; K8SMIG_EKIND; K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_container_set_probe(k8smig_object *obj, size_t index, k8smig_probe_kind kind,
                                                        const k8smig_probe_options *opts);

/**
 * Append a volume mount (readOnly is always written, so false survives).
 * @param obj a Pod or a workload with a pod template
 * @param index container index
 * @param volume the pod volume's name
 * @param mount_path absolute path in the container, without ':'
 * @param read_only mount read-only
 * @param sub_path (optional) relative path inside the volume, without ".."
 * @return 0; K8SMIG_EINVAL (path <container>.volumeMounts[i].name, .mountPath or .subPath);
 *         K8SMIG_ENOTFOUND; K8SMIG_EKIND; K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_container_add_volume_mount(k8smig_object *obj, size_t index, const char *volume,
                                                               const char *mount_path, bool read_only,
                                                               const char *sub_path);

/**
 * Set the container's securityContext (replacing it) from the fields opts sets.
 * @param obj a Pod or a workload with a pod template
 * @param index container index
 * @param opts any field but fs_group
 * @return 0; K8SMIG_EINVAL (path <container>.securityContext[.field]); K8SMIG_ENOTFOUND;
 *         K8SMIG_EKIND; K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_container_set_security_context(k8smig_object *obj, size_t index,
                                                                   const k8smig_security_context_options *opts);

K8SMIG_END_DECL

#endif /* K8SMIG_WORKLOADS_H */
