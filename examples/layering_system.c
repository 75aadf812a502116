/*
 * examples/layering_system.c - the whole layering-detection system of the
 * reference migration plan, built through the typed builders alone and
 * written to stdout as one YAML stream.
 *
 *     cc layering_system.c $(pkg-config --cflags --libs k8smig) -o layering_system
 *     ./layering_system > layering-system.yaml
 *
 * Decisions:
 * - Every Deployment is managed by an HPA, so no Deployment sets
 *   spec.replicas: a server-side apply of replicas would fight the HPA on
 *   every deploy. The HPAs start from the plan's min_capacity (1). The ECS
 *   desired_count of layering and wash-trading (2) becomes their HPA floor in
 *   the prod overlay (the Kustomization's patch), where it matters.
 * - Containers request the ECS task size (512 CPU units = 500m) and limit
 *   memory to it; CPU is not limited (throttling helps no one), and the HPA's
 *   utilization targets are relative to the requests.
 * - Application objects live in layering-detection-dev (the base); the
 *   Kustomization at the end is the prod overlay's kustomization.yaml, which
 *   kustomize (not kubectl apply) reads.
 */
#include <stdio.h>
#include <string.h>
#include <k8smig.h>

#define APP "layering-detection"
#define NS "layering-detection-dev"
#define LOG_NS "amazon-cloudwatch"
#define ACCOUNT "123456789012"
#define REGISTRY ACCOUNT ".dkr.ecr.us-east-1.amazonaws.com/"
#define EFS_ID "fs-0123456789abcdef0"
#define CONFIG_MAP APP "-config"

/* Stop at the first failure; the error carries its field path. */
#define TRY(expr)                        \
	do {                             \
		if ((rc = (expr)) < 0)   \
			goto fail;       \
	} while (0)

typedef struct service {
	const char *name;
	int32_t port;
	int64_t ecs_cpu;     /* CPU units */
	int64_t ecs_memory;  /* MiB */
	int32_t max_replicas;
	int32_t desired;     /* ECS desired_count */
} service;

static const service services[] = {
	{ "orchestrator", 8000, 512, 1024, 5, 1 },
	{ "layering", 8001, 512, 512, 10, 2 },
	{ "wash-trading", 8002, 512, 512, 10, 2 },
	{ "aggregator", 8003, 512, 512, 5, 1 },
};
#define N_SERVICES (sizeof(services) / sizeof(services[0]))

/*
 * Append *obj to the stream and set *obj to NULL. k8smig_object_list_append_take()
 * takes obj even when it fails, so the caller must not free it again: with
 * *obj nulled here, the `fail: k8smig_object_free(o)` below is always safe,
 * and the next builder (which sets its out pointer only on success) cannot
 * leave o pointing at an object the list owns.
 */
static int take(k8smig_object_list *list, k8smig_object **obj)
{
	k8smig_object *o = *obj;
	*obj = NULL;
	return k8smig_object_list_append_take(list, o);
}

static int identity(k8smig_object_list *list)
{
	static const char *const envs[] = { "dev", "staging", "prod" };
	char name[64], arn[128];
	k8smig_object *o = NULL;
	size_t i;
	int rc;

	for (i = 0; i < 3; i++) {
		snprintf(name, sizeof(name), APP "-%s", envs[i]);
		TRY(k8smig_namespace_new(&o, name));
		TRY(k8smig_object_set_label(o, "environment", envs[i]));
		TRY(take(list, &o));
	}
	/* one ServiceAccount per service, each with its own IAM role (ECR pull, ...) */
	for (i = 0; i < N_SERVICES; i++) {
		snprintf(arn, sizeof(arn), "arn:aws:iam::" ACCOUNT ":role/" APP "-%s", services[i].name);
		TRY(k8smig_service_account_new(&o, services[i].name, NS));
		TRY(k8smig_service_account_set_irsa(o, arn, true));
		TRY(k8smig_service_account_set_automount_token(o, false));
		TRY(take(list, &o));
	}
	/* the External Secrets Operator reads Secrets Manager with this one */
	TRY(k8smig_service_account_new(&o, "external-secrets-reader", NS));
	TRY(k8smig_service_account_set_irsa(o, "arn:aws:iam::" ACCOUNT ":role/" APP "-external-secrets", true));
	TRY(take(list, &o));
	return 0;
fail:
	k8smig_object_free(o);
	return rc;
}

static int config(k8smig_object_list *list)
{
	k8smig_object *o = NULL;
	int rc;

	TRY(k8smig_config_map_new(&o, CONFIG_MAP, NS));
	TRY(k8smig_config_map_set(o, "LAYERING_SERVICE_URL", "http://layering:8001"));
	TRY(k8smig_config_map_set(o, "WASH_TRADING_SERVICE_URL", "http://wash-trading:8002"));
	TRY(k8smig_config_map_set(o, "AGGREGATOR_SERVICE_URL", "http://aggregator:8003"));
	TRY(k8smig_config_map_set(o, "LOG_LEVEL", "INFO"));
	TRY(k8smig_config_map_set(o, "MAX_RETRIES", "3"));
	TRY(k8smig_config_map_set(o, "RATE_LIMIT_PER_MINUTE", "60"));
	TRY(k8smig_config_map_set(o, "ALGORITHM_TIMEOUT_SECONDS", "30"));
	TRY(take(list, &o));

	TRY(k8smig_secret_store_new(&o, "aws-secrets-manager", NS));
	TRY(k8smig_secret_store_set_aws(o, K8SMIG_AWS_SECRETS_MANAGER, "us-east-1", "external-secrets-reader", NULL));
	TRY(take(list, &o));

	TRY(k8smig_external_secret_new(&o, "api-key", NS, "SecretStore", "aws-secrets-manager", "1h"));
	TRY(k8smig_external_secret_set_target(o, "api-key", "Owner"));
	TRY(k8smig_external_secret_add_data(o, "API_KEY", APP "/api-key", NULL, NULL));
	TRY(take(list, &o));

	TRY(k8smig_external_secret_new(&o, "pseudonymization-salt", NS, "SecretStore", "aws-secrets-manager", "1h"));
	TRY(k8smig_external_secret_set_target(o, "pseudonymization-salt", "Owner"));
	TRY(k8smig_external_secret_add_data(o, "PSEUDONYMIZATION_SALT", APP "/pseudonymization-salt", NULL, NULL));
	TRY(take(list, &o));
	return 0;
fail:
	k8smig_object_free(o);
	return rc;
}

static int storage(k8smig_object_list *list)
{
	static const struct { const char *name, *access_point; } volumes[] = {
		{ "input", "fsap-0aaaaaaaaaaaaaaa1" },
		{ "output", "fsap-0aaaaaaaaaaaaaaa2" },
		{ "logs", "fsap-0aaaaaaaaaaaaaaa3" },
	};
	char pv[32], pvc[32], handle[64];
	k8smig_object *o = NULL;
	size_t i;
	int rc;

	TRY(k8smig_efs_storage_class_new(&o, "efs-sc", EFS_ID));
	TRY(k8smig_efs_storage_class_set_access_point(o, "700", 1000, 1000, "/" APP));
	TRY(k8smig_storage_class_set_policies(o, "Retain", "Immediate"));
	TRY(take(list, &o));

	/* static volumes on the file system the ECS tasks used, so the data stays */
	for (i = 0; i < 3; i++) {
		snprintf(pv, sizeof(pv), "%s-pv", volumes[i].name);
		snprintf(pvc, sizeof(pvc), "%s-pvc", volumes[i].name);
		snprintf(handle, sizeof(handle), EFS_ID "::%s", volumes[i].access_point);
		TRY(k8smig_efs_pv_new(&o, pv, handle, "10Gi"));
		TRY(k8smig_pv_set_access_modes(o, K8SMIG_ACCESS_READ_WRITE_MANY));
		TRY(k8smig_pv_set_class(o, "efs-sc", "Retain"));
		TRY(k8smig_pv_set_claim_ref(o, NS, pvc));
		TRY(take(list, &o));

		TRY(k8smig_pvc_new(&o, pvc, NS, "efs-sc", "10Gi"));
		TRY(k8smig_pv_set_access_modes(o, K8SMIG_ACCESS_READ_WRITE_MANY));
		TRY(k8smig_pvc_set_volume_name(o, pv));
		TRY(take(list, &o));
	}
	return 0;
fail:
	k8smig_object_free(o);
	return rc;
}

static int deployment(k8smig_object_list *list, const service *s)
{
	static const char *const drop_all[] = { "ALL", NULL };
	k8smig_probe_options liveness = K8SMIG_PROBE_OPTIONS_INIT, readiness = K8SMIG_PROBE_OPTIONS_INIT;
	k8smig_security_context_options sc = K8SMIG_SECURITY_CONTEXT_OPTIONS_INIT;
	char image[160], *cpu = NULL, *memory = NULL;
	k8smig_object *d = NULL;
	size_t c;
	int rc;

	snprintf(image, sizeof(image), REGISTRY APP "-%s:1.0.0", s->name);
	TRY(k8smig_quantity_from_ecs_cpu(&cpu, s->ecs_cpu));
	TRY(k8smig_quantity_from_ecs_memory(&memory, s->ecs_memory));

	TRY(k8smig_deployment_new(&d, s->name, NS));
	TRY(k8smig_object_set_label(d, "app.kubernetes.io/part-of", APP));
	TRY(k8smig_workload_set_update_strategy(d, "RollingUpdate", "25%", "0"));
	TRY(k8smig_pod_set_template_label(d, "app.kubernetes.io/part-of", APP));
	TRY(k8smig_pod_set_service_account(d, s->name));
	TRY(k8smig_pod_set_termination_grace_period(d, 30));

	TRY(k8smig_pod_add_container(&c, d, "app", image));
	TRY(k8smig_container_add_port(d, c, "http", s->port, "TCP"));
	TRY(k8smig_container_add_env_from(d, c, K8SMIG_ENV_CONFIG_MAP, CONFIG_MAP, NULL));
	TRY(k8smig_container_add_env_ref(d, c, "API_KEY", K8SMIG_ENV_SECRET, "api-key", "API_KEY"));
	if (strcmp(s->name, "aggregator") == 0)
		TRY(k8smig_container_add_env_ref(d, c, "PSEUDONYMIZATION_SALT", K8SMIG_ENV_SECRET,
		                                 "pseudonymization-salt", "PSEUDONYMIZATION_SALT"));
	TRY(k8smig_container_set_resources(d, c, cpu, memory, NULL, memory));

	/* the ECS health check: GET /health every 30 s, 10 s timeout, 5 s grace */
	liveness.path = "/health";
	liveness.port_name = "http";
	liveness.initial_delay_seconds = 5;
	liveness.period_seconds = 30;
	liveness.timeout_seconds = 10;
	TRY(k8smig_container_set_probe(d, c, K8SMIG_PROBE_LIVENESS, &liveness));
	readiness.path = "/health";
	readiness.port_name = "http";
	readiness.period_seconds = 10;
	readiness.timeout_seconds = 5;
	TRY(k8smig_container_set_probe(d, c, K8SMIG_PROBE_READINESS, &readiness));

	sc.has_allow_privilege_escalation = true; /* false, explicitly */
	sc.capabilities_drop = drop_all;
	sc.seccomp_profile = "RuntimeDefault";
	TRY(k8smig_container_set_security_context(d, c, &sc));

	if (strcmp(s->name, "orchestrator") == 0) {
		TRY(k8smig_pod_add_volume(NULL, d, "input", K8SMIG_VOLUME_PVC, "input-pvc"));
		TRY(k8smig_container_add_volume_mount(d, c, "input", "/app/input", true, NULL));
	} else if (strcmp(s->name, "aggregator") == 0) {
		TRY(k8smig_pod_add_volume(NULL, d, "output", K8SMIG_VOLUME_PVC, "output-pvc"));
		TRY(k8smig_pod_add_volume(NULL, d, "logs", K8SMIG_VOLUME_PVC, "logs-pvc"));
		TRY(k8smig_container_add_volume_mount(d, c, "output", "/app/output", false, NULL));
		TRY(k8smig_container_add_volume_mount(d, c, "logs", "/app/logs", false, NULL));
	}
	rc = take(list, &d);
fail:
	k8smig_object_free(d);
	k8smig_free(cpu);
	k8smig_free(memory);
	return rc;
}

static int network_and_scaling(k8smig_object_list *list)
{
	k8smig_alb_options alb = K8SMIG_ALB_OPTIONS_INIT;
	k8smig_object *o = NULL;
	char port[8];
	size_t i;
	int rc;

	for (i = 0; i < N_SERVICES; i++) {
		snprintf(port, sizeof(port), "%d", (int)services[i].port);
		/* the Service name is the host in the ConfigMap's URLs */
		TRY(k8smig_service_new(&o, services[i].name, NS, "ClusterIP"));
		TRY(k8smig_selector_set(o, "app.kubernetes.io/name", services[i].name));
		TRY(k8smig_service_add_port(o, "http", services[i].port, "http", "TCP", 0));
		TRY(take(list, &o));
	}

	TRY(k8smig_ingress_class_params_new(&o, "alb", "internet-facing", NULL));
	TRY(take(list, &o));
	TRY(k8smig_ingress_class_new(&o, "alb", "ingress.k8s.aws/alb", "alb"));
	TRY(take(list, &o));

	TRY(k8smig_ingress_new(&o, APP, NS, "alb"));
	alb.scheme = "internet-facing";
	alb.target_type = "ip";
	alb.http_port = 80;
	alb.https_port = 443;
	alb.certificate_arn = "arn:aws:acm:us-east-1:" ACCOUNT ":certificate/00000000-0000-0000-0000-000000000000";
	alb.ssl_redirect = 443;
	alb.healthcheck_path = "/health";
	alb.group_name = APP;
	TRY(k8smig_ingress_set_alb(o, &alb));
	TRY(k8smig_ingress_add_path(o, NULL, "/orchestrate", "Prefix", "orchestrator", "8000"));
	TRY(k8smig_ingress_add_path(o, NULL, "/health", "Exact", "orchestrator", "8000"));
	TRY(k8smig_ingress_add_path(o, NULL, "/", "Prefix", "orchestrator", "8000"));
	TRY(take(list, &o));

	for (i = 0; i < N_SERVICES; i++) {
		TRY(k8smig_hpa_new(&o, services[i].name, NS, "Deployment", services[i].name, 1, services[i].max_replicas));
		TRY(k8smig_hpa_add_resource_metric(o, "cpu", 70));
		TRY(k8smig_hpa_add_resource_metric(o, "memory", 80));
		TRY(k8smig_hpa_set_behavior(o, K8SMIG_HPA_SCALE_DOWN, 300, NULL));
		TRY(k8smig_hpa_set_behavior(o, K8SMIG_HPA_SCALE_UP, 60, NULL));
		TRY(take(list, &o));
	}
	return 0;
fail:
	k8smig_object_free(o);
	return rc;
}

static int logging(k8smig_object_list *list)
{
	static const char *const namespaces[] = { APP "-dev", APP "-staging", APP "-prod", NULL };
	static const char *const read_verbs[] = { "get", "list", "watch", NULL };
	static const char *const core[] = { "", NULL };
	static const char *const pod_resources[] = { "pods", "namespaces", NULL };
	k8smig_fluent_bit_options fb = K8SMIG_FLUENT_BIT_OPTIONS_INIT;
	k8smig_object *o = NULL;
	size_t c;
	int rc;

	TRY(k8smig_namespace_new(&o, LOG_NS));
	TRY(take(list, &o));

	TRY(k8smig_service_account_new(&o, "fluent-bit", LOG_NS));
	TRY(k8smig_service_account_set_irsa(o, "arn:aws:iam::" ACCOUNT ":role/" APP "-fluent-bit", true));
	TRY(take(list, &o));

	/* the kubernetes filter reads pod metadata (labels name the log group) */
	TRY(k8smig_role_new(&o, "fluent-bit-read", NULL));
	TRY(k8smig_role_add_rule(NULL, o, core, pod_resources, read_verbs, NULL));
	TRY(take(list, &o));
	TRY(k8smig_role_binding_new(&o, "fluent-bit-read", NULL, "ClusterRole", "fluent-bit-read"));
	TRY(k8smig_role_binding_add_subject(o, "ServiceAccount", "fluent-bit", LOG_NS));
	TRY(take(list, &o));

	/* the ECS log groups, reused: /ecs/layering-detection/<service>, 7 days */
	fb.region = "us-east-1";
	fb.log_group_prefix = "/ecs/" APP;
	fb.namespaces = namespaces;
	fb.log_retention_days = 7;
	TRY(k8smig_fluent_bit_config_new(&o, "fluent-bit-config", LOG_NS, &fb));
	TRY(take(list, &o));

	TRY(k8smig_daemon_set_new(&o, "fluent-bit", LOG_NS));
	TRY(k8smig_workload_set_update_strategy(o, "RollingUpdate", NULL, "1"));
	TRY(k8smig_pod_set_service_account(o, "fluent-bit"));
	TRY(k8smig_pod_set_node_selector(o, "kubernetes.io/os", "linux"));
	TRY(k8smig_pod_add_toleration(o, NULL, "Exists", NULL, NULL, K8SMIG_UNSET));
	TRY(k8smig_pod_set_termination_grace_period(o, 10));
	TRY(k8smig_pod_add_volume(NULL, o, "varlog", K8SMIG_VOLUME_HOST_PATH, "/var/log"));
	TRY(k8smig_pod_add_volume(NULL, o, "state", K8SMIG_VOLUME_HOST_PATH, "/var/fluent-bit/state"));
	TRY(k8smig_pod_add_volume(NULL, o, "config", K8SMIG_VOLUME_CONFIG_MAP, "fluent-bit-config"));
	TRY(k8smig_pod_add_container(&c, o, "fluent-bit", "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.2"));
	TRY(k8smig_container_add_env(o, c, "AWS_REGION", "us-east-1"));
	TRY(k8smig_container_add_env_ref(o, c, "HOST_NAME", K8SMIG_ENV_FIELD, NULL, "spec.nodeName"));
	TRY(k8smig_container_set_resources(o, c, "100m", "200Mi", NULL, "200Mi"));
	TRY(k8smig_container_add_volume_mount(o, c, "varlog", "/var/log", true, NULL));
	TRY(k8smig_container_add_volume_mount(o, c, "state", "/var/fluent-bit/state", false, NULL));
	TRY(k8smig_container_add_volume_mount(o, c, "config", "/fluent-bit/etc/", true, NULL));
	TRY(take(list, &o));
	return 0;
fail:
	k8smig_object_free(o);
	return rc;
}

static int alerts(k8smig_object_list *list)
{
	k8smig_object *o = NULL;
	size_t g, a;
	int rc;

	TRY(k8smig_prometheus_rule_new(&o, APP "-alerts", NS));
	TRY(k8smig_object_set_label(o, "app.kubernetes.io/part-of", APP));
	TRY(k8smig_prometheus_rule_add_group(&g, o, APP, "1m"));

	/* the three ECS CloudWatch alarms */
	TRY(k8smig_prometheus_rule_add_alert(&a, o, g, "HighCPUUtilization",
		"sum by (pod) (rate(container_cpu_usage_seconds_total{namespace=\"" NS "\",container=\"app\"}[5m]))\n"
		"  / sum by (pod) (kube_pod_container_resource_requests{namespace=\"" NS "\",container=\"app\",resource=\"cpu\"})\n"
		"  > 0.8\n", "5m"));
	TRY(k8smig_prometheus_rule_set_alert_label(o, g, a, "severity", "warning"));
	TRY(k8smig_prometheus_rule_set_alert_annotation(o, g, a, "summary", "CPU above 80% of the request on {{ $labels.pod }}"));

	TRY(k8smig_prometheus_rule_add_alert(&a, o, g, "HighMemoryUtilization",
		"sum by (pod) (container_memory_working_set_bytes{namespace=\"" NS "\",container=\"app\"})\n"
		"  / sum by (pod) (kube_pod_container_resource_limits{namespace=\"" NS "\",container=\"app\",resource=\"memory\"})\n"
		"  > 0.85\n", "5m"));
	TRY(k8smig_prometheus_rule_set_alert_label(o, g, a, "severity", "warning"));
	TRY(k8smig_prometheus_rule_set_alert_annotation(o, g, a, "summary", "memory above 85% of the limit on {{ $labels.pod }}"));

	TRY(k8smig_prometheus_rule_add_alert(&a, o, g, "NoAvailablePods",
		"kube_deployment_status_replicas_available{namespace=\"" NS "\"} < 1", "1m"));
	TRY(k8smig_prometheus_rule_set_alert_label(o, g, a, "severity", "critical"));
	TRY(k8smig_prometheus_rule_set_alert_annotation(o, g, a, "summary", "{{ $labels.deployment }} has no available pod"));
	TRY(take(list, &o));
	return 0;
fail:
	k8smig_object_free(o);
	return rc;
}

static int overlay(k8smig_object_list *list)
{
	k8smig_object *k = NULL;
	char image[96];
	size_t i, gen;
	int rc;

	TRY(k8smig_kustomization_new(&k));
	TRY(k8smig_kustomization_add_resource(k, "../../base"));
	TRY(k8smig_kustomization_set_namespace(k, APP "-prod"));
	TRY(k8smig_kustomization_add_label(k, "environment", "prod", false));
	for (i = 0; i < N_SERVICES; i++) {
		snprintf(image, sizeof(image), REGISTRY APP "-%s", services[i].name);
		TRY(k8smig_kustomization_add_image(k, image, NULL, "1.0.0", NULL));
	}
	/* ECS desired_count as the HPA floor in prod (see the top of this file) */
	for (i = 0; i < N_SERVICES; i++) {
		char patch[160];
		if (services[i].desired <= 1)
			continue;
		snprintf(patch, sizeof(patch), "- op: replace\n  path: /spec/minReplicas\n  value: %d\n", (int)services[i].desired);
		TRY(k8smig_kustomization_add_patch(k, NULL, patch, "HorizontalPodAutoscaler", services[i].name));
	}
	TRY(k8smig_kustomization_add_config_map_generator(&gen, k, CONFIG_MAP, "merge"));
	TRY(k8smig_kustomization_add_generator_source(k, gen, K8SMIG_GENERATOR_LITERAL, "LOG_LEVEL=WARNING"));
	TRY(take(list, &k));
	return 0;
fail:
	k8smig_object_free(k);
	return rc;
}

static int write_stdout(const char *data, size_t len, void *payload)
{
	(void)payload;
	return fwrite(data, 1, len, stdout) == len ? 0 : -1;
}

int main(void)
{
	k8smig_object_list *list = NULL;
	size_t i;
	int rc;

	TRY(k8smig_object_list_new(&list));
	TRY(identity(list));
	TRY(config(list));
	TRY(storage(list));
	for (i = 0; i < N_SERVICES; i++)
		TRY(deployment(list, &services[i]));
	TRY(network_and_scaling(list));
	TRY(logging(list));
	TRY(alerts(list));
	TRY(overlay(list));
	TRY(k8smig_object_list_write(list, NULL, write_stdout, NULL));
	k8smig_object_list_free(list);
	return fflush(stdout) == 0 ? 0 : 1;
fail:
	fprintf(stderr, "layering_system: %s: %s (at %s)\n", k8smig_error_name(rc), k8smig_error_last()->message,
	        k8smig_error_last()->path);
	k8smig_object_list_free(list);
	return 1;
}
