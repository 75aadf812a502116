/*
 * lib/migrate/migrate.h - the migration engine's internals.
 *
 * Files, in the order data flows through them:
 *   spec.c         the spec's schema: sections, fields, defaults, checks
 *   spec_reader.c  the typed reader spec.c is written with (spec_reader.h)
 *   spec_lines.c   spec path -> line, for errors
 *   plan.c         spec -> Kubernetes objects (k8smig_plan, the base and each environment)
 *   plan_tree.c    where those objects go: the k8s/ tree (admin layer k8s/cluster, overlays); calls every producer below
 *   ci_rbac.c      the CI group's Role, derived from the kinds an overlay emits
 *   monitoring.c   k8s/monitoring and aws/cloudwatch-*.json
 *   cloudwatch.c   the CloudWatch dashboard and alarm documents
 *   iam.c          aws/iam/: trust and permission policies of every role
 *   fargate.c      Fargate profiles and the Fargate log router's configuration
 *   workflow.c     .github/workflows/deploy.yml
 *   docs_gen.c     the runbooks
 *   files.c        the file set the producers add to (path -> bytes)
 *   generate.c     k8smig_generate: plan_tree into a file set, then the atomic write
 * Beside them, import_ecs.c, import_tf.c and import_report.c (import.h) write
 * a spec document from the running ECS system, for spec.c to load.
 * The engine uses core, model and serialize; it does not call the renderer
 * (lib/render) or the client.
 */
#ifndef K8SMIG_LIB_MIGRATE_H
#define K8SMIG_LIB_MIGRATE_H

#include "../core/core.h"
#include "../model/list.h"

/* ---- the spec (every field filled in with its default after loading) ---- */

typedef struct mig_probe {
	int32_t initial_delay, period, timeout, failure_threshold;
} mig_probe;

typedef struct mig_kv {
	const char *key, *value;
} mig_kv;
typedef enum mig_secret_source { MIG_SECRETS_MANAGER = 0, MIG_PARAMETER_STORE = 1 } mig_secret_source;

typedef struct mig_secret_ref {
	const char *env;            /* variable and Secret key: API_KEY */
	const char *secret_name;    /* Kubernetes Secret / ExternalSecret: api-key */
	mig_secret_source source;
	const char *key;            /* remote name: layering-detection/${environment}/api-key */
	mig_kv *keys;               /* remote name per environment (spec keys:), overriding key */
	size_t n_keys;
	const char **env_keys;      /* the remote name of each environment (spec->envs order), resolved */
	const char *property;       /* JSON property, or NULL */
} mig_secret_ref;

typedef struct mig_mount {
	const char *volume;         /* storage.volumes[].name */
	const char *mount_path;
	bool read_only;
} mig_mount;

typedef struct mig_route {
	const char *path;
	const char *path_type;
} mig_route;


/* A container's securityContext (spec securityContext:); has_* say what the spec set. */
typedef struct mig_security {
	int64_t run_as_user, run_as_group;
	bool has_run_as_user, has_run_as_group;
	bool run_as_non_root, read_only_root, privileged, allow_escalation;
	const char **cap_add, **cap_drop;   /* NULL-terminated; cap_drop defaults to {"ALL"} */
} mig_security;

/* A sidecar (restartPolicy: Always init container) or an init container (spec sidecars[], initContainers[]). */
typedef struct mig_container {
	const char *name;
	const char *image;          /* full image reference, used as written */
	const char **command, **args; /* NULL-terminated, or NULL */
	const char *working_dir;
	mig_kv *env;
	size_t n_env;
	const char *cpu, *memory, *memory_request; /* canonical quantities, or NULL */
	mig_security sec;
	mig_mount *mounts;
	size_t n_mounts;
	const char **ready_exec;    /* sidecars: readiness exec probe, or NULL */
} mig_container;

typedef struct mig_service {
	const char *name;
	const char *image;          /* ECR repository name */
	const char *dockerfile;     /* for CI */
	int32_t port;
	const char *cpu;            /* canonical Kubernetes quantities */
	const char *memory;
	int64_t cpu_milli;          /* the same, for scaling */
	int64_t memory_bytes;
	const char *memory_request; /* memoryRequest: the request (memory is the limit); memory when not given */
	int64_t memory_request_bytes;
	int32_t grace;              /* terminationGracePeriodSeconds */
	bool worker;                /* serves no port: no Service, no containerPort, no HTTP probes, no routes */
	int32_t pre_stop;           /* preStopSleepSeconds: lifecycle.preStop.sleep (0: none) */
	const char **command, **args; /* NULL-terminated, or NULL: the image's */
	const char *working_dir;    /* or NULL */
	mig_security sec;
	mig_container *sidecars, *inits;
	size_t n_sidecars, n_inits;
	bool pdb;                   /* a PodDisruptionBudget */
	int32_t pdb_max_unavailable;
	bool spread;                /* topologySpreadConstraints */
	int32_t spread_skew;
	const char *spread_key;
	bool spread_hard;           /* DoNotSchedule (else ScheduleAnyway) */
	int32_t desired, min, max;
	mig_kv *env;
	size_t n_env;
	mig_secret_ref *secrets;
	size_t n_secrets;
	mig_mount *mounts;
	size_t n_mounts;
	bool health;
	const char *health_path;
	const char **health_exec;   /* exec probes instead of httpGet (NULL-terminated), or NULL */
	mig_probe liveness, readiness;
	int32_t startup_seconds;    /* health.startupSeconds: a startupProbe allowing this long (0: none) */
	mig_route *routes;
	size_t n_routes;
	int32_t cpu_percent, memory_percent;  /* 0: no such HPA metric */
	int32_t scale_up_window, scale_down_window;
	bool fargate;               /* runs on EKS Fargate (a Fargate profile selects its pods); false: the node groups */
} mig_service;

typedef struct mig_replica_override {
	const char *service;
	int32_t min, max;
} mig_replica_override;

typedef struct mig_env {
	const char *name;           /* dev */
	const char *ns;             /* layering-detection-dev */
	double replica_factor;
	int32_t replica_floor;      /* replicas.floor: HPA minReplicas at least this (2 in prod by default) */
	mig_replica_override *overrides;
	size_t n_overrides;
	double resource_factor;
	const char *image_tag;
	bool tag_from_commit;       /* CI sets the tag to the commit SHA */
	const char **hosts;
	size_t n_hosts;
	bool tls;
	const char *certificate_arn;
	bool static_volumes;        /* bind the PVCs to the static PVs of the existing EFS data */
	bool alarms;
	int32_t retention_days;     /* of its log groups */
	const char *log_group_prefix; /* logging.logGroupPattern with ${app} and ${environment} filled in, "/${service}" cut off */
} mig_env;

typedef struct mig_volume {
	const char *name;           /* input: claim input-pvc, PV <system>-input-pv */
	const char *size;
	const char *access_mode;
	const char *access_point;   /* fsap-..., or NULL */
	const char *path;           /* directory on the file system, or NULL */
} mig_volume;

typedef struct mig_ci_branch {
	const char *branch, *environment;
} mig_ci_branch;

struct k8smig_spec {
	char *source;               /* file name, or NULL */
	/* every string and array below lives in these blocks */
	void **blocks;
	size_t n_blocks, cap_blocks;

	const char *name;
	const char *account_id, *region, *cluster, *oidc_provider, *ecr_registry, *partition;
	mig_env *envs;
	size_t n_envs;
	mig_service *services;
	size_t n_services;
	const char *config_name;
	mig_kv *config;
	size_t n_config;
	/* storage: n_volumes == 0 means none */
	const char *file_system_id, *storage_class, *base_path;
	mig_volume *volumes;
	size_t n_volumes;
	/* ingress (written when a service has routes) */
	const char *ingress_name, *ingress_scheme, *ingress_group, *healthcheck_path;
	bool healthcheck_path_set;  /* ingress.healthcheckPath given (else the routed services' health.path) */
	int32_t deregistration_delay; /* ingress.deregistrationDelaySeconds */
	bool readiness_gate;        /* ingress.podReadinessGate: namespaces labelled for the LBC's readiness gates */
	/* logging (each environment's groups: mig_env) */
	const char *log_group_pattern;
	int32_t retention_days;
	/* versions: the pinned chart and add-on versions of every install step */
	const char *v_load_balancer_controller, *v_external_secrets, *v_efs_csi_driver, *v_metrics_server,
	        *v_cloudwatch_observability;
	/* monitoring */
	const char *monitoring_ns;
	bool prometheus_rules;
	/* cutover (cutover_listener NULL: no cutover section): ECS and EKS behind the ECS ALB, by weight */
	const char *cutover_listener, *cutover_ecs_target_group, *cutover_vpc, *cutover_alb_security_group,
	        *cutover_target_group;
	int32_t *cutover_weights;
	size_t n_cutover_weights;
	/* gitops (gitops_repo NULL: CI applies the overlays itself); Argo CD, or Flux when gitops_flux */
	const char *gitops_repo, *gitops_ns;
	bool gitops_flux;
	/* alarms */
	int32_t alarm_cpu, alarm_memory, alarm_min_pods;
	const char *sns_topic_arn;
	/* ci */
	const char *ci_repository, *ci_role_name;
	mig_ci_branch *branches;
	size_t n_branches;
	/* derived after loading, so no producer needs an array of its own */
	const mig_secret_ref **secrets;  /* distinct secrets over all services, in first-use order */
	size_t n_secrets;
	const char **namespaces;         /* every environment's namespace, NULL-terminated */
};

/** Allocate zeroed memory owned by the spec; NULL with ENOMEM set. */
void *k8smig__spec_alloc(k8smig_spec *spec, size_t size);
/** Copy a string into the spec (sprintf style); NULL with ENOMEM set. */
const char *k8smig__spec_printf(k8smig_spec *spec, const char *fmt, ...) K8SMIG__PRINTF(2, 3);

/** Environment or volume by name, or NULL. */
const mig_env *k8smig__spec_env(const k8smig_spec *spec, const char *name);
const mig_volume *k8smig__spec_volume(const k8smig_spec *spec, const char *name);
bool k8smig__spec_has_ingress(const k8smig_spec *spec);
/** The remote name of a secret in an environment. */
const char *k8smig__secret_key(const k8smig_spec *spec, const mig_secret_ref *sr, const mig_env *env);

/* ---- line index: spec path -> line, for errors ---- */

typedef struct mig_lines mig_lines;
int k8smig__lines_build(mig_lines **out, const char *data, size_t len);
/** Line (and column) of the path's key, or of the nearest ancestor that has one; 0 when unknown. */
int k8smig__lines_find(const mig_lines *lines, const char *path, int *column_out);
void k8smig__lines_free(mig_lines *lines);
/** Append one path step (".key", "[key]" when it holds dots or brackets, or "[i]"). */
void k8smig__path_key(k8smig__buf *b, const char *key);
void k8smig__path_index(k8smig__buf *b, size_t i);

/* ---- per-environment figures the planner and the overlays share ---- */

typedef struct mig_scale {
	int32_t min, max;           /* HPA bounds */
	char cpu[32], memory[32];   /* container requests (memory is the limit) */
	char memory_request[32];    /* the memory request (memory unless memoryRequest is set) */
} mig_scale;

/** HPA bounds and resources of a service in env (NULL: the base). */
int k8smig__scale(mig_scale *out, const mig_service *svc, const mig_env *env);

/* ---- the file set: relative path -> bytes, written in path order ---- */

typedef struct mig_file {
	char *path;
	char *data;
	size_t len;
} mig_file;

typedef struct mig_files {
	mig_file *items;
	size_t n, cap;
} mig_files;

void k8smig__files_free(mig_files *fs);
/** Add a file, taking data (malloc'd, freed even on failure). EEXISTS for a duplicate path. */
int k8smig__files_add_take(mig_files *fs, const char *path, char *data, size_t len);
/** Add YAML documents (a "# generated" header, then the stream); the list is not taken. */
int k8smig__files_add_yaml(mig_files *fs, const k8smig_spec *spec, const char *path, const k8smig_object_list *docs);
/** Add one object as YAML or JSON, taking *obj (freed even on failure) and setting *obj to NULL. */
int k8smig__files_add_object(mig_files *fs, const k8smig_spec *spec, const char *path, k8smig_object **obj,
                             k8smig_format format);
/** Add a buffer's text, taking its contents. */
int k8smig__files_add_buf(mig_files *fs, const char *path, k8smig__buf *b);
void k8smig__files_sort(mig_files *fs);

/* ---- producers ---- */

/** Objects of a part of the tree, for env (NULL: base). */
int k8smig__plan_namespaces(k8smig_object_list *l, const k8smig_spec *spec, const mig_env *env);
int k8smig__plan_service_accounts(k8smig_object_list *l, const k8smig_spec *spec, const mig_env *env);
int k8smig__plan_config(k8smig_object_list *l, const k8smig_spec *spec, const mig_env *env);
int k8smig__plan_external_secrets(k8smig_object_list *l, const k8smig_spec *spec, const mig_env *env);
int k8smig__plan_storage_class(k8smig_object_list *l, const k8smig_spec *spec);
int k8smig__plan_pvc(k8smig_object_list *l, const k8smig_spec *spec, const mig_volume *v, const mig_env *env);
int k8smig__plan_pvs(k8smig_object_list *l, const k8smig_spec *spec);
int k8smig__plan_test_pod(k8smig_object_list *l, const k8smig_spec *spec);
int k8smig__plan_deployment(k8smig_object_list *l, const k8smig_spec *spec, const mig_service *s, const mig_env *env);
int k8smig__plan_service(k8smig_object_list *l, const k8smig_spec *spec, const mig_service *s, const mig_env *env);
int k8smig__plan_hpa(k8smig_object_list *l, const k8smig_spec *spec, const mig_service *s, const mig_env *env);
/** The service's PodDisruptionBudget (nothing when disruptionBudget.enabled is false). */
int k8smig__plan_pdb(k8smig_object_list *l, const k8smig_spec *spec, const mig_service *s, const mig_env *env);
/** True when the service has ALB routes. */
bool k8smig__service_routed(const mig_service *s);
int k8smig__plan_ingress(k8smig_object_list *l, const k8smig_spec *spec, const mig_env *env);
/** The CI group's Role and RoleBinding in env's namespace, covering the namespaced kinds of objs (ci_rbac.c). */
int k8smig__plan_ci_rbac(k8smig_object_list *l, const k8smig_spec *spec, const mig_env *env,
                         const k8smig_object_list *objs);
/** The CI group's name ("<name>-deployers") into buf. */
void k8smig__ci_group(char *buf, size_t cap, const k8smig_spec *spec);
/** Annotate a Deployment's pod template with the SHA-256 of the shared config (plan_tree.c). */
int k8smig__config_checksum(k8smig_object *d, const k8smig_spec *spec);
/** The whole tree into fs. */
int k8smig__plan_tree(mig_files *fs, const k8smig_spec *spec);
/** k8s/monitoring and aws/cloudwatch-*.json (monitoring.c). */
int k8smig__plan_monitoring(mig_files *fs, const k8smig_spec *spec);
/** aws/iam/: every role's trust and permission policies (iam.c). */
int k8smig__plan_iam(mig_files *fs, const k8smig_spec *spec);
int k8smig__plan_overlays(mig_files *fs, const k8smig_spec *spec);
/** k8s/cutover, when the spec has a cutover section (cutover.c). */
int k8smig__plan_cutover(mig_files *fs, const k8smig_spec *spec);
/** k8s/gitops, when the spec has a gitops section (gitops.c). */
int k8smig__plan_gitops(mig_files *fs, const k8smig_spec *spec);
/** Fargate (fargate.c), when a service runs there: aws/fargate/<env>-profile.json and the aws-observability
 * logging objects (k8s/monitoring/fargate-logging.yaml; *added set when written). */
int k8smig__plan_fargate(mig_files *fs, const k8smig_spec *spec, bool *added);
/** Does any service run on Fargate? */
bool k8smig__spec_has_fargate(const k8smig_spec *spec);
/** The Fargate profile of an environment ("<system>-<env>") and its pod execution role into buf. */
void k8smig__fargate_profile_name(char *buf, size_t cap, const k8smig_spec *spec, const mig_env *env);
void k8smig__fargate_role_name(char *buf, size_t cap, const k8smig_spec *spec, const mig_env *env);
/** .github/workflows/deploy.yml (workflow.c). */
int k8smig__plan_workflow(mig_files *fs, const k8smig_spec *spec);
/** The runbooks (docs_gen.c). */
int k8smig__docs(mig_files *fs, const k8smig_spec *spec);
/** The CloudWatch dashboard and alarm documents (cloudwatch.c). */
int k8smig__cloudwatch_dashboard(k8smig_object **out, const k8smig_spec *spec);
int k8smig__cloudwatch_alarms(k8smig_object **out, const k8smig_spec *spec);

/* shared names */
const char *k8smig__secret_store_name(mig_secret_source s);
/** "arn:aws:iam::<account>:role/<name>" into buf. */
void k8smig__role_arn(char *buf, size_t cap, const k8smig_spec *spec, const char *role);
/** The CloudWatch Logs group of a service in an environment. */
void k8smig__log_group(char *buf, size_t cap, const mig_env *env, const char *service);

/* Stop at the first failure: rc holds the error, then goto fail. */
#define TRY(expr)                        \
	do {                             \
		if ((rc = (expr)) < 0)   \
			goto fail;       \
	} while (0)

#define MIG_PART_OF "app.kubernetes.io/part-of"
/* pod-template annotation: SHA-256 of the shared config, so a config change rolls the pods */
/* the overlays' newTag of a commit-sha environment: CI (and the runbook scripts) set the real tag before applying */
#define MIG_TAG_SET_BY_CI "set-by-ci"
#define MIG_CONFIG_CHECKSUM "k8smig.io/config-sha256"
#define MIG_CONTAINER "app"
/* the namespace the amazon-cloudwatch-observability add-on owns: nothing generated goes there */
#define MIG_ADDON_NS "amazon-cloudwatch"
#define MIG_EFS_SA "efs-csi-controller-sa"
#define MIG_FLUENT_BIT "fluent-bit"
#define MIG_ESO_SA "external-secrets"
#define MIG_LBC_SA "aws-load-balancer-controller"

/* The embedded default spec (generated from default_spec.yaml at build time). */
extern const char k8smig__default_spec[];
extern const size_t k8smig__default_spec_len;

#endif
