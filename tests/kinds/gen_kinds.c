/*
 * tests/kinds/gen_kinds.c - build one object of every kind the typed builders
 * cover, through the public API only, and write each as <dir>/<file>.yaml.
 * The objects use as many builder options as fit one object (explicit zeros
 * and falses included), so the golden files pin the builders' output and
 * kubernetes-validate --strict checks it against the real schemas.
 *
 *     gen_kinds <dir>
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <k8smig.h>

static const char *out_dir;
static int failures;

/* Write obj to <dir>/<file>.yaml and free it; report the first error of a failed object. */
static void emit(const char *file, k8smig_object *obj, int rc)
{
	char path[1024], *yaml = NULL;
	size_t len = 0;
	FILE *f;

	if (rc == 0 && obj)
		rc = k8smig_object_emit(&yaml, &len, obj, NULL);
	if (rc < 0 || !obj) {
		fprintf(stderr, "gen_kinds: %s: %s: %s (at %s)\n", file, k8smig_error_name(rc),
		        k8smig_error_last()->message, k8smig_error_last()->path);
		failures++;
		k8smig_object_free(obj);
		return;
	}
	snprintf(path, sizeof(path), "%s/%s.yaml", out_dir, file);
	if (!(f = fopen(path, "wb")) || fwrite(yaml, 1, len, f) != len || fclose(f) != 0) {
		fprintf(stderr, "gen_kinds: cannot write %s\n", path);
		failures++;
	}
	k8smig_free(yaml);
	k8smig_object_free(obj);
}

/* Chain calls on one object: after the first failure the rest are skipped. */
#define DO(expr)                       \
	do {                           \
		if (rc == 0)           \
			rc = (expr);   \
	} while (0)

static void identity(void)
{
	static const char *const core[] = { "", NULL }, *const apps[] = { "apps", NULL };
	static const char *const pods[] = { "pods", "pods/log", NULL }, *const deployments[] = { "deployments", NULL };
	static const char *const read[] = { "get", "list", "watch", NULL }, *const patch[] = { "get", "patch", NULL };
	static const char *const names[] = { "web", NULL };
	k8smig_object *o = NULL;
	int rc = 0;

	DO(k8smig_namespace_new(&o, "layering-detection-dev"));
	DO(k8smig_object_set_label(o, "environment", "dev"));
	emit("namespace", o, rc);

	rc = 0;
	DO(k8smig_service_account_new(&o, "orchestrator", "layering-detection-dev"));
	DO(k8smig_service_account_set_irsa(o, "arn:aws:iam::123456789012:role/layering-detection-orchestrator", true));
	DO(k8smig_service_account_set_automount_token(o, false));
	emit("serviceaccount", o, rc);

	rc = 0;
	DO(k8smig_role_new(&o, "pod-reader", "layering-detection-dev"));
	DO(k8smig_role_add_rule(NULL, o, core, pods, read, NULL));
	DO(k8smig_role_add_rule(NULL, o, apps, deployments, patch, names));
	emit("role", o, rc);

	rc = 0;
	DO(k8smig_role_new(&o, "fluent-bit-read", NULL));
	DO(k8smig_role_add_rule(NULL, o, core, pods, read, NULL));
	emit("clusterrole", o, rc);

	rc = 0;
	DO(k8smig_role_binding_new(&o, "pod-reader", "layering-detection-dev", "Role", "pod-reader"));
	DO(k8smig_role_binding_add_subject(o, "ServiceAccount", "orchestrator", NULL));
	DO(k8smig_role_binding_add_subject(o, "Group", "developers", NULL));
	emit("rolebinding", o, rc);

	rc = 0;
	DO(k8smig_role_binding_new(&o, "fluent-bit-read", NULL, "ClusterRole", "fluent-bit-read"));
	DO(k8smig_role_binding_add_subject(o, "ServiceAccount", "fluent-bit", "amazon-cloudwatch"));
	emit("clusterrolebinding", o, rc);
}

static void config(void)
{
	static const unsigned char blob[] = { 0x00, 0xff, 0x10, 'k', '8', 's' };
	k8smig_object *o = NULL;
	int rc = 0;

	DO(k8smig_config_map_new(&o, "layering-detection-config", "layering-detection-dev"));
	DO(k8smig_config_map_set(o, "LOG_LEVEL", "INFO"));
	DO(k8smig_config_map_set(o, "MAX_RETRIES", "3"));
	DO(k8smig_config_map_set(o, "FEATURE_FLAG", "off"));
	DO(k8smig_config_map_set(o, "EMPTY", ""));
	DO(k8smig_config_map_set(o, "settings.ini", "[main]\nretries = 3\n"));
	DO(k8smig_config_map_set_binary(o, "blob.bin", blob, sizeof(blob)));
	DO(k8smig_config_map_set_immutable(o, false));
	emit("configmap", o, rc);

	rc = 0;
	DO(k8smig_secret_new(&o, "local-dev-credentials", "layering-detection-dev", NULL));
	DO(k8smig_secret_set_string(o, "API_KEY", "dev-only-not-a-secret"));
	DO(k8smig_secret_set_data(o, "token", "abc", 3));
	DO(k8smig_config_map_set_immutable(o, true));
	emit("secret", o, rc);

	rc = 0;
	DO(k8smig_secret_store_new(&o, "aws-secrets-manager", "layering-detection-dev"));
	DO(k8smig_secret_store_set_aws(o, K8SMIG_AWS_SECRETS_MANAGER, "us-east-1", "external-secrets-reader", NULL));
	emit("secretstore", o, rc);

	rc = 0;
	DO(k8smig_secret_store_new(&o, "aws-parameter-store", NULL));
	DO(k8smig_secret_store_set_aws(o, K8SMIG_AWS_PARAMETER_STORE, "eu-west-1", "external-secrets", "external-secrets"));
	emit("clustersecretstore", o, rc);

	rc = 0;
	DO(k8smig_external_secret_new(&o, "api-key", "layering-detection-dev", "SecretStore", "aws-secrets-manager", "1h"));
	DO(k8smig_external_secret_set_target(o, "api-key", "Owner"));
	DO(k8smig_external_secret_add_data(o, "API_KEY", "layering-detection/api-key", NULL, NULL));
	DO(k8smig_external_secret_add_data(o, "DB_PASSWORD", "layering-detection/db", "password", "AWSCURRENT"));
	DO(k8smig_external_secret_add_data_from(o, "layering-detection/extra"));
	emit("externalsecret", o, rc);
}

static void storage(void)
{
	k8smig_object *o = NULL;
	int rc = 0;

	DO(k8smig_efs_storage_class_new(&o, "efs-sc", "fs-0123456789abcdef0"));
	DO(k8smig_efs_storage_class_set_access_point(o, "700", 1000, 0, "/layering-detection"));
	DO(k8smig_storage_class_set_parameter(o, "subPathPattern", "${.PVC.namespace}/${.PVC.name}"));
	DO(k8smig_storage_class_set_policies(o, "Retain", "WaitForFirstConsumer"));
	emit("storageclass", o, rc);

	rc = 0;
	DO(k8smig_efs_pv_new(&o, "input-pv", "fs-0123456789abcdef0::fsap-0123456789abcdef0", "10Gi"));
	DO(k8smig_pv_set_access_modes(o, K8SMIG_ACCESS_READ_WRITE_MANY | K8SMIG_ACCESS_READ_ONLY_MANY));
	DO(k8smig_pv_set_class(o, "efs-sc", "Retain"));
	DO(k8smig_pv_set_claim_ref(o, "layering-detection-dev", "input-pvc"));
	emit("persistentvolume", o, rc);

	rc = 0;
	DO(k8smig_pvc_new(&o, "input-pvc", "layering-detection-dev", "efs-sc", "10240Mi"));
	DO(k8smig_pv_set_access_modes(o, K8SMIG_ACCESS_READ_WRITE_MANY));
	DO(k8smig_pvc_set_volume_name(o, "input-pv"));
	emit("persistentvolumeclaim", o, rc);
}

static void workloads(void)
{
	static const char *const cmd[] = { "python", "-m", "app", NULL }, *const args[] = { "--port", "8000", NULL };
	static const char *const probe_cmd[] = { "cat", "/tmp/ready", NULL };
	static const char *const drop[] = { "ALL", NULL }, *const add[] = { "NET_BIND_SERVICE", NULL };
	k8smig_probe_options live = K8SMIG_PROBE_OPTIONS_INIT, ready = K8SMIG_PROBE_OPTIONS_INIT,
	                     start = K8SMIG_PROBE_OPTIONS_INIT;
	k8smig_security_context_options pod_sc = K8SMIG_SECURITY_CONTEXT_OPTIONS_INIT,
	                                ctr_sc = K8SMIG_SECURITY_CONTEXT_OPTIONS_INIT;
	k8smig_object *o = NULL;
	size_t c = 0, side = 0;
	int rc = 0;

	DO(k8smig_deployment_new(&o, "orchestrator", "layering-detection-dev"));
	DO(k8smig_deployment_set_replicas(o, 0));
	DO(k8smig_workload_set_update_strategy(o, "RollingUpdate", "1", "0"));
	DO(k8smig_selector_set(o, "app.kubernetes.io/part-of", "layering-detection"));
	DO(k8smig_pod_set_template_label(o, "tier", "backend"));
	DO(k8smig_pod_set_template_annotation(o, "prometheus.io/scrape", "true"));
	DO(k8smig_pod_set_service_account(o, "orchestrator"));
	DO(k8smig_pod_set_node_selector(o, "kubernetes.io/os", "linux"));
	DO(k8smig_pod_add_toleration(o, "dedicated", "Equal", "batch", "NoSchedule", K8SMIG_UNSET));
	DO(k8smig_pod_add_toleration(o, "node.kubernetes.io/unreachable", "Exists", NULL, "NoExecute", 0));
	DO(k8smig_pod_set_termination_grace_period(o, 0));
	pod_sc.run_as_user = 1000;
	pod_sc.has_run_as_group = true; /* group 0, explicitly */
	pod_sc.fs_group = 1000;
	pod_sc.run_as_non_root = 1;
	pod_sc.seccomp_profile = "RuntimeDefault";
	DO(k8smig_pod_set_security_context(o, &pod_sc));
	DO(k8smig_pod_add_volume(NULL, o, "input", K8SMIG_VOLUME_PVC, "input-pvc"));
	DO(k8smig_pod_add_volume(NULL, o, "config", K8SMIG_VOLUME_CONFIG_MAP, "layering-detection-config"));
	DO(k8smig_pod_add_volume(NULL, o, "tls", K8SMIG_VOLUME_SECRET, "orchestrator-tls"));
	DO(k8smig_pod_add_volume(NULL, o, "scratch", K8SMIG_VOLUME_EMPTY_DIR, NULL));
	DO(k8smig_pod_add_volume(NULL, o, "shm", K8SMIG_VOLUME_EMPTY_DIR, "Memory"));
	DO(k8smig_pod_add_volume(NULL, o, "varlog", K8SMIG_VOLUME_HOST_PATH, "/var/log"));

	DO(k8smig_pod_add_container(&c, o, "app", "123456789012.dkr.ecr.us-east-1.amazonaws.com/orchestrator:1.0.0"));
	DO(k8smig_container_set_image_pull_policy(o, c, "IfNotPresent"));
	DO(k8smig_container_set_command(o, c, cmd, args));
	DO(k8smig_container_add_port(o, c, "http", 8000, "TCP"));
	DO(k8smig_container_add_port(o, c, NULL, 9090, NULL));
	DO(k8smig_container_add_env(o, c, "LOG_LEVEL", "INFO"));
	DO(k8smig_container_add_env(o, c, "EMPTY", ""));
	DO(k8smig_container_add_env_ref(o, c, "LAYERING_SERVICE_URL", K8SMIG_ENV_CONFIG_MAP, "layering-detection-config", "LAYERING_SERVICE_URL"));
	DO(k8smig_container_add_env_ref(o, c, "API_KEY", K8SMIG_ENV_SECRET, "api-key", "API_KEY"));
	DO(k8smig_container_add_env_ref(o, c, "POD_NAME", K8SMIG_ENV_FIELD, NULL, "metadata.name"));
	DO(k8smig_container_add_env_ref(o, c, "CPU_LIMIT", K8SMIG_ENV_RESOURCE_FIELD, "app", "limits.cpu"));
	DO(k8smig_container_add_env_from(o, c, K8SMIG_ENV_CONFIG_MAP, "layering-detection-config", NULL));
	DO(k8smig_container_add_env_from(o, c, K8SMIG_ENV_SECRET, "api-key", "SECRET_"));
	DO(k8smig_container_set_resources(o, c, "0.5", "1024Mi", "1000m", "1.5Gi"));
	live.path = "/health";
	live.port = 8000;
	live.scheme = "HTTP";
	live.has_initial_delay_seconds = true; /* 0, explicitly */
	live.period_seconds = 30;
	live.timeout_seconds = 10;
	live.success_threshold = 1;
	live.failure_threshold = 3;
	live.termination_grace_period_seconds = 15;
	DO(k8smig_container_set_probe(o, c, K8SMIG_PROBE_LIVENESS, &live));
	ready.handler = K8SMIG_PROBE_TCP_SOCKET;
	ready.port_name = "http";
	ready.period_seconds = 10;
	ready.success_threshold = 2;
	DO(k8smig_container_set_probe(o, c, K8SMIG_PROBE_READINESS, &ready));
	start.handler = K8SMIG_PROBE_EXEC;
	start.command = probe_cmd;
	start.failure_threshold = 30;
	start.period_seconds = 2;
	DO(k8smig_container_set_probe(o, c, K8SMIG_PROBE_STARTUP, &start));
	DO(k8smig_container_add_volume_mount(o, c, "input", "/app/input", true, NULL));
	DO(k8smig_container_add_volume_mount(o, c, "config", "/app/config/settings.ini", true, "settings.ini"));
	DO(k8smig_container_add_volume_mount(o, c, "scratch", "/tmp", false, NULL));
	ctr_sc.run_as_non_root = 1;
	ctr_sc.read_only_root_filesystem = 1;
	ctr_sc.has_allow_privilege_escalation = true; /* false, explicitly */
	ctr_sc.has_privileged = true;
	ctr_sc.capabilities_add = add;
	ctr_sc.capabilities_drop = drop;
	DO(k8smig_container_set_security_context(o, c, &ctr_sc));
	DO(k8smig_pod_add_container(&side, o, "grpc-health", "registry.k8s.io/e2e-test-images/agnhost:2.47"));
	{
		k8smig_probe_options grpc = K8SMIG_PROBE_OPTIONS_INIT;
		grpc.handler = K8SMIG_PROBE_GRPC;
		grpc.port = 9091;
		grpc.grpc_service = "health";
		DO(k8smig_container_set_probe(o, side, K8SMIG_PROBE_LIVENESS, &grpc));
	}
	emit("deployment", o, rc);

	rc = 0;
	DO(k8smig_daemon_set_new(&o, "fluent-bit", "amazon-cloudwatch"));
	DO(k8smig_workload_set_update_strategy(o, "RollingUpdate", "0", "10%"));
	DO(k8smig_pod_set_service_account(o, "fluent-bit"));
	DO(k8smig_pod_add_toleration(o, NULL, "Exists", NULL, NULL, K8SMIG_UNSET));
	DO(k8smig_pod_add_volume(NULL, o, "varlog", K8SMIG_VOLUME_HOST_PATH, "/var/log"));
	DO(k8smig_pod_add_container(&c, o, "fluent-bit", "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.2"));
	DO(k8smig_container_set_resources(o, c, "100m", "200Mi", NULL, "200Mi"));
	DO(k8smig_container_add_volume_mount(o, c, "varlog", "/var/log", true, NULL));
	emit("daemonset", o, rc);

	rc = 0;
	DO(k8smig_pod_new(&o, "volume-check", "layering-detection-dev"));
	DO(k8smig_pod_add_volume(NULL, o, "input", K8SMIG_VOLUME_PVC, "input-pvc"));
	DO(k8smig_pod_add_container(&c, o, "check", "busybox:1.36"));
	DO(k8smig_container_set_command(o, c, (const char *const[]){ "ls", "-l", "/app/input", NULL }, NULL));
	DO(k8smig_container_add_volume_mount(o, c, "input", "/app/input", true, NULL));
	emit("pod", o, rc);

	rc = 0;
	DO(k8smig_pdb_new(&o, "layering", "layering-detection-dev", "50%", NULL));
	DO(k8smig_selector_set(o, "app.kubernetes.io/name", "layering"));
	emit("poddisruptionbudget", o, rc);
}

static void networking(void)
{
	k8smig_alb_options alb = K8SMIG_ALB_OPTIONS_INIT;
	k8smig_object *o = NULL;
	int rc = 0;

	DO(k8smig_service_new(&o, "orchestrator", "layering-detection-dev", "ClusterIP"));
	DO(k8smig_selector_set(o, "app.kubernetes.io/name", "orchestrator"));
	DO(k8smig_service_add_port(o, "http", 8000, "http", "TCP", 0));
	DO(k8smig_service_add_port(o, "metrics", 9090, "9090", NULL, 0));
	emit("service", o, rc);

	rc = 0;
	DO(k8smig_service_new(&o, "orchestrator-nodeport", "layering-detection-dev", "NodePort"));
	DO(k8smig_selector_set(o, "app.kubernetes.io/name", "orchestrator"));
	DO(k8smig_service_add_port(o, NULL, 80, "8000", NULL, 30080));
	emit("service-nodeport", o, rc);

	rc = 0;
	DO(k8smig_ingress_new(&o, "layering-detection", "layering-detection-dev", "alb"));
	alb.scheme = "internet-facing";
	alb.target_type = "ip";
	alb.http_port = 80;
	alb.https_port = 443;
	alb.certificate_arn = "arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000";
	alb.ssl_redirect = 443;
	alb.healthcheck_path = "/health";
	alb.group_name = "layering-detection";
	DO(k8smig_ingress_set_alb(o, &alb));
	DO(k8smig_ingress_add_path(o, NULL, "/orchestrate", "Prefix", "orchestrator", "8000"));
	DO(k8smig_ingress_add_path(o, NULL, "/health", "Exact", "orchestrator", "8000"));
	DO(k8smig_ingress_add_path(o, NULL, "/", "Prefix", "orchestrator", "http"));
	DO(k8smig_ingress_add_path(o, "api.example.com", "/", "Prefix", "orchestrator", "8000"));
	DO(k8smig_ingress_add_tls(o, NULL, (const char *const[]){ "api.example.com", NULL }));
	emit("ingress", o, rc);

	rc = 0;
	DO(k8smig_ingress_class_new(&o, "alb", "ingress.k8s.aws/alb", "alb"));
	emit("ingressclass", o, rc);

	rc = 0;
	DO(k8smig_ingress_class_params_new(&o, "alb", "internet-facing", "layering-detection"));
	emit("ingressclassparams", o, rc);

	rc = 0;
	DO(k8smig_issuer_new(&o, "letsencrypt", NULL));
	DO(k8smig_issuer_set_acme(o, "https://acme-v02.api.letsencrypt.org/directory", "ops@example.com",
	                          "letsencrypt-account-key", "alb"));
	emit("clusterissuer", o, rc);

	rc = 0;
	DO(k8smig_issuer_new(&o, "internal-ca", "layering-detection-dev"));
	DO(k8smig_issuer_set_ca(o, "internal-ca-key-pair"));
	emit("issuer", o, rc);

	rc = 0;
	DO(k8smig_certificate_new(&o, "api", "layering-detection-dev", "api-tls", "ClusterIssuer", "letsencrypt"));
	DO(k8smig_certificate_add_dns_name(o, "api.example.com"));
	DO(k8smig_certificate_add_dns_name(o, "*.api.example.com"));
	emit("certificate", o, rc);
}

static void scaling_monitoring_kustomize(void)
{
	static const char *const namespaces[] = { "layering-detection-dev", NULL };
	k8smig_fluent_bit_options fb = K8SMIG_FLUENT_BIT_OPTIONS_INIT;
	k8smig_object *o = NULL;
	size_t g = 0, a = 0, gen = 0;
	int rc = 0;

	DO(k8smig_hpa_new(&o, "layering", "layering-detection-dev", "Deployment", "layering", 1, 10));
	DO(k8smig_hpa_add_resource_metric(o, "cpu", 70));
	DO(k8smig_hpa_add_resource_metric(o, "memory", 80));
	DO(k8smig_hpa_set_behavior(o, K8SMIG_HPA_SCALE_DOWN, 300, "Min"));
	DO(k8smig_hpa_add_scaling_policy(o, K8SMIG_HPA_SCALE_DOWN, "Percent", 50, 60));
	DO(k8smig_hpa_set_behavior(o, K8SMIG_HPA_SCALE_UP, 0, NULL));
	DO(k8smig_hpa_add_scaling_policy(o, K8SMIG_HPA_SCALE_UP, "Pods", 4, 60));
	DO(k8smig_hpa_add_scaling_policy(o, K8SMIG_HPA_SCALE_UP, "Percent", 100, 15));
	emit("horizontalpodautoscaler", o, rc);

	rc = 0;
	DO(k8smig_prometheus_rule_new(&o, "layering-detection-alerts", "layering-detection-dev"));
	DO(k8smig_prometheus_rule_add_group(&g, o, "layering-detection", "1m"));
	DO(k8smig_prometheus_rule_add_alert(&a, o, g, "NoAvailablePods",
	                                    "kube_deployment_status_replicas_available{namespace=\"layering-detection-dev\"} < 1", "1m"));
	DO(k8smig_prometheus_rule_set_alert_label(o, g, a, "severity", "critical"));
	DO(k8smig_prometheus_rule_set_alert_annotation(o, g, a, "summary", "{{ $labels.deployment }} has no available pod"));
	emit("prometheusrule", o, rc);

	rc = 0;
	fb.region = "us-east-1";
	fb.log_group_prefix = "/ecs/layering-detection";
	fb.namespaces = namespaces;
	fb.log_retention_days = 7;
	DO(k8smig_fluent_bit_config_new(&o, "fluent-bit-config", "amazon-cloudwatch", &fb));
	emit("fluent-bit-configmap", o, rc);

	rc = 0;
	DO(k8smig_kustomization_new(&o));
	DO(k8smig_kustomization_add_resource(o, "../../base"));
	DO(k8smig_kustomization_set_namespace(o, "layering-detection-prod"));
	DO(k8smig_kustomization_add_image(o, "orchestrator", "123456789012.dkr.ecr.us-east-1.amazonaws.com/orchestrator", "abc1234", NULL));
	DO(k8smig_kustomization_add_replicas(o, "aggregator", 0));
	DO(k8smig_kustomization_add_label(o, "environment", "prod", false));
	DO(k8smig_kustomization_add_label(o, "team", "surveillance", false));
	DO(k8smig_kustomization_add_label(o, "app.kubernetes.io/part-of", "layering-detection", true));
	DO(k8smig_kustomization_add_patch(o, "patches/resources.yaml", NULL, NULL, NULL));
	DO(k8smig_kustomization_add_patch(o, NULL, "- op: replace\n  path: /spec/minReplicas\n  value: 2\n",
	                                  "HorizontalPodAutoscaler", "layering"));
	DO(k8smig_kustomization_add_config_map_generator(&gen, o, "layering-detection-config", "merge"));
	DO(k8smig_kustomization_add_generator_source(o, gen, K8SMIG_GENERATOR_LITERAL, "LOG_LEVEL=WARNING"));
	DO(k8smig_kustomization_add_generator_source(o, gen, K8SMIG_GENERATOR_FILE, "settings.ini"));
	DO(k8smig_kustomization_add_generator_source(o, gen, K8SMIG_GENERATOR_ENV, "prod.env"));
	emit("kustomization", o, rc);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: gen_kinds <dir>\n");
		return 2;
	}
	out_dir = argv[1];
	identity();
	config();
	storage();
	workloads();
	networking();
	scaling_monitoring_kustomize();
	return failures ? 1 : 0;
}
