/*
 * lib/migrate/plan.c - the planner: spec -> Kubernetes objects, through the
 * typed builders only.
 *
 * Every function builds the objects of one part of the tree for an
 * environment, or for the base when env is NULL. The base is what the tree
 * writes under k8s/base, k8s/services and k8s/ingress (no namespace, images
 * named by repository only); an environment's objects are what kustomize
 * renders from its overlay, so k8smig_plan() and the overlays can be checked
 * against each other.
 *
 * Decisions (documented in k8s/README.md of the generated tree):
 * - HPA-managed Deployments carry no spec.replicas, in the base or in any
 *   overlay: a server-side apply of replicas would reset the HPA's choice on
 *   every deploy. Environments scale through the HPA's bounds instead.
 * - Containers request the ECS task size and limit memory to it; CPU is not
 *   limited (throttling helps no one), and HPA utilization is relative to
 *   the requests.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "migrate.h"

static const char *ns_of(const mig_env *env)
{
	return env ? env->ns : NULL;
}

const char *k8smig__secret_store_name(mig_secret_source s)
{
	return s == MIG_PARAMETER_STORE ? "aws-parameter-store" : "aws-secrets-manager";
}

void k8smig__role_arn(char *buf, size_t cap, const k8smig_spec *spec, const char *role)
{
	snprintf(buf, cap, "arn:%s:iam::%s:role/%s", spec->partition, spec->account_id, role);
}

void k8smig__log_group(char *buf, size_t cap, const mig_env *env, const char *service)
{
	snprintf(buf, cap, "%s/%s", env->log_group_prefix, service);
}

/* ---- per-environment figures ---- */

static int32_t ceil_scaled(int64_t v, double factor)
{
	double x = ceil((double)v * factor - 1e-9);
	return x < 1 ? 1 : x > 1000000 ? 1000000 : (int32_t)x;
}

int k8smig__scale(mig_scale *out, const mig_service *svc, const mig_env *env)
{
	char *q = NULL;
	char text[40];
	size_t i;
	int rc;

	out->min = svc->min;
	out->max = svc->max;
	snprintf(out->cpu, sizeof(out->cpu), "%s", svc->cpu);
	snprintf(out->memory, sizeof(out->memory), "%s", svc->memory);
	snprintf(out->memory_request, sizeof(out->memory_request), "%s", svc->memory_request);
	if (!env)
		return 0;
	/* the ECS desired count is the environment's floor, scaled; the ceiling scales too */
	out->min = ceil_scaled(svc->desired > svc->min ? svc->desired : svc->min, env->replica_factor);
	out->max = ceil_scaled(svc->max, env->replica_factor);
	/* production's floor (replicas.floor): an explicit per-service min below overrides it */
	if (out->min < env->replica_floor)
		out->min = env->replica_floor;
	for (i = 0; i < env->n_overrides; i++)
		if (strcmp(env->overrides[i].service, svc->name) == 0) {
			if (env->overrides[i].min)
				out->min = env->overrides[i].min;
			if (env->overrides[i].max)
				out->max = env->overrides[i].max;
		}
	if (out->max < out->min)
		out->max = out->min;
	if (env->resource_factor == 1.0)
		return 0;
	snprintf(text, sizeof(text), "%lldm", (long long)ceil_scaled(svc->cpu_milli, env->resource_factor));
	if ((rc = k8smig_quantity_canonical(&q, text)) < 0)
		return rc;
	snprintf(out->cpu, sizeof(out->cpu), "%s", q);
	k8smig_free(q);
	q = NULL;
	/* whole MiB, rounded up, never below 4Mi; the limit and the request alike */
	for (i = 0; i < 2; i++) {
		int64_t bytes = i ? svc->memory_request_bytes : svc->memory_bytes;
		int64_t mib = (int64_t)ceil((double)bytes * env->resource_factor / 1048576.0 - 1e-9);
		if (mib < 4)
			mib = 4;
		if ((rc = k8smig_quantity_from_ecs_memory(&q, mib)) < 0)
			return rc;
		if (i)
			snprintf(out->memory_request, sizeof(out->memory_request), "%s", q);
		else
			snprintf(out->memory, sizeof(out->memory), "%s", q);
		k8smig_free(q);
		q = NULL;
	}
	return 0;
}

/* ---- identity ---- */

int k8smig__plan_namespaces(k8smig_object_list *l, const k8smig_spec *spec, const mig_env *env)
{
	k8smig_object *o = NULL;
	size_t i;
	int rc;

	for (i = 0; i < spec->n_envs; i++) {
		const mig_env *e = &spec->envs[i];
		if (env && e != env)
			continue;
		TRY(k8smig_namespace_new(&o, e->ns));
		TRY(k8smig_object_set_label(o, MIG_PART_OF, spec->name));
		TRY(k8smig_object_set_label(o, "environment", e->name));
		/* the AWS Load Balancer Controller's webhook gives the pods here a readiness gate: a rollout waits
		 * until the new pods are healthy targets of the ALB, not merely ready (target type ip) */
		if (spec->readiness_gate && k8smig__spec_has_ingress(spec))
			TRY(k8smig_object_set_label(o, "elbv2.k8s.aws/pod-readiness-gate-inject", "enabled"));
		TRY(k8smig__list_take(l, &o));
	}
	return 0;
fail:
	k8smig_object_free(o);
	return rc;
}

int k8smig__plan_service_accounts(k8smig_object_list *l, const k8smig_spec *spec, const mig_env *env)
{
	k8smig_object *o = NULL;
	size_t i;
	int rc;

	/* one ServiceAccount per service. No IAM role: the services call no AWS API the spec knows of, and image
	 * pulls use the node role (docs/aws.md). */
	for (i = 0; i < spec->n_services; i++) {
		TRY(k8smig_service_account_new(&o, spec->services[i].name, ns_of(env)));
		TRY(k8smig_object_set_label(o, MIG_PART_OF, spec->name));
		/* the services do not call the Kubernetes API */
		TRY(k8smig_service_account_set_automount_token(o, false));
		TRY(k8smig__list_take(l, &o));
	}
	return 0;
fail:
	k8smig_object_free(o);
	return rc;
}

/* ---- config and secrets ---- */

int k8smig__plan_config(k8smig_object_list *l, const k8smig_spec *spec, const mig_env *env)
{
	k8smig_object *o = NULL;
	size_t i;
	int rc;

	if (!spec->n_config)
		return 0;
	TRY(k8smig_config_map_new(&o, spec->config_name, ns_of(env)));
	TRY(k8smig_object_set_label(o, MIG_PART_OF, spec->name));
	for (i = 0; i < spec->n_config; i++)
		TRY(k8smig_config_map_set(o, spec->config[i].key, spec->config[i].value));
	TRY(k8smig__list_take(l, &o));
	return 0;
fail:
	k8smig_object_free(o);
	return rc;
}

int k8smig__plan_external_secrets(k8smig_object_list *l, const k8smig_spec *spec, const mig_env *env)
{
	const mig_secret_ref *const *secrets = spec->secrets;
	size_t n = spec->n_secrets, i, src;
	k8smig_object *o = NULL;
	char role[192], arn[256];
	int rc;

	/* each environment reads its own secrets with its own role: nothing without an environment */
	if (!env || !n)
		return 0;
	snprintf(role, sizeof(role), "%s-%s-external-secrets", spec->name, env->name);
	k8smig__role_arn(arn, sizeof(arn), spec, role);
	TRY(k8smig_service_account_new(&o, MIG_ESO_SA, env->ns));
	TRY(k8smig_object_set_label(o, MIG_PART_OF, spec->name));
	TRY(k8smig_service_account_set_irsa(o, arn, true));
	TRY(k8smig__list_take(l, &o));
	for (src = 0; src < 2; src++) {
		for (i = 0; i < n && secrets[i]->source != (mig_secret_source)src; i++)
			;
		if (i == n)
			continue;
		TRY(k8smig_secret_store_new(&o, k8smig__secret_store_name((mig_secret_source)src), env->ns));
		TRY(k8smig_object_set_label(o, MIG_PART_OF, spec->name));
		TRY(k8smig_secret_store_set_aws(o, src ? K8SMIG_AWS_PARAMETER_STORE : K8SMIG_AWS_SECRETS_MANAGER,
		                                spec->region, MIG_ESO_SA, NULL));
		TRY(k8smig__list_take(l, &o));
	}
	for (i = 0; i < n; i++) {
		TRY(k8smig_external_secret_new(&o, secrets[i]->secret_name, ns_of(env), "SecretStore",
		                               k8smig__secret_store_name(secrets[i]->source), "1h"));
		TRY(k8smig_object_set_label(o, MIG_PART_OF, spec->name));
		TRY(k8smig_external_secret_set_target(o, secrets[i]->secret_name, "Owner"));
		TRY(k8smig_external_secret_add_data(o, secrets[i]->env, k8smig__secret_key(spec, secrets[i], env),
		                                    secrets[i]->property, NULL));
		TRY(k8smig__list_take(l, &o));
	}
	return 0;
fail:
	k8smig_object_free(o);
	return rc;
}

/* ---- storage ---- */

static unsigned int access_mode(const char *mode)
{
	return strcmp(mode, "ReadWriteOnce") == 0   ? K8SMIG_ACCESS_READ_WRITE_ONCE
	       : strcmp(mode, "ReadOnlyMany") == 0 ? K8SMIG_ACCESS_READ_ONLY_MANY
	                                           : K8SMIG_ACCESS_READ_WRITE_MANY;
}

int k8smig__plan_storage_class(k8smig_object_list *l, const k8smig_spec *spec)
{
	k8smig_object *o = NULL;
	int rc;

	/* dynamic provisioning: one EFS access point per claim, under basePath, on the existing file system */
	TRY(k8smig_efs_storage_class_new(&o, spec->storage_class, spec->file_system_id));
	TRY(k8smig_object_set_label(o, MIG_PART_OF, spec->name));
	TRY(k8smig_efs_storage_class_set_access_point(o, "700", 1000, 1000, spec->base_path));
	/* Retain: deleting a claim must never delete migrated data */
	TRY(k8smig_storage_class_set_policies(o, "Retain", "Immediate"));
	TRY(k8smig__list_take(l, &o));
	return 0;
fail:
	k8smig_object_free(o);
	return rc;
}

static void pv_name(char *buf, size_t cap, const mig_env *env, const mig_volume *v)
{
	snprintf(buf, cap, "%s-%s", env->ns, v->name);
}

int k8smig__plan_pvc(k8smig_object_list *l, const k8smig_spec *spec, const mig_volume *v, const mig_env *env)
{
	k8smig_object *o = NULL;
	char name[128], pv[160];
	int rc;

	snprintf(name, sizeof(name), "%s-pvc", v->name);
	TRY(k8smig_pvc_new(&o, name, ns_of(env), spec->storage_class, v->size));
	TRY(k8smig_object_set_label(o, MIG_PART_OF, spec->name));
	TRY(k8smig_pv_set_access_modes(o, access_mode(v->access_mode)));
	if (env && env->static_volumes) {
		pv_name(pv, sizeof(pv), env, v);
		TRY(k8smig_pvc_set_volume_name(o, pv));
	}
	TRY(k8smig__list_take(l, &o));
	return 0;
fail:
	k8smig_object_free(o);
	return rc;
}

/* Static PVs of one environment: the ECS data directories, bound to that environment's claims. */
static int plan_env_pvs(k8smig_object_list *l, const k8smig_spec *spec, const mig_env *env)
{
	k8smig_object *o = NULL;
	char name[160], claim[128], handle[640]; /* 2 x MIG_MAX_STRING + separators */
	size_t i;
	int rc;

	for (i = 0; i < spec->n_volumes; i++) {
		const mig_volume *v = &spec->volumes[i];
		pv_name(name, sizeof(name), env, v);
		snprintf(claim, sizeof(claim), "%s-pvc", v->name);
		if (v->access_point)
			snprintf(handle, sizeof(handle), "%s::%s", spec->file_system_id, v->access_point);
		else
			snprintf(handle, sizeof(handle), "%s:%s", spec->file_system_id, v->path);
		TRY(k8smig_efs_pv_new(&o, name, handle, v->size));
		TRY(k8smig_object_set_label(o, MIG_PART_OF, spec->name));
		TRY(k8smig_object_set_label(o, "environment", env->name));
		TRY(k8smig_pv_set_access_modes(o, access_mode(v->access_mode)));
		TRY(k8smig_pv_set_class(o, spec->storage_class, "Retain"));
		TRY(k8smig_pv_set_claim_ref(o, env->ns, claim));
		TRY(k8smig__list_take(l, &o));
	}
	return 0;
fail:
	k8smig_object_free(o);
	return rc;
}

int k8smig__plan_pvs(k8smig_object_list *l, const k8smig_spec *spec)
{
	size_t i;
	int rc;

	for (i = 0; i < spec->n_envs; i++)
		if (spec->envs[i].static_volumes && (rc = plan_env_pvs(l, spec, &spec->envs[i])) < 0)
			return rc;
	return 0;
}

int k8smig__plan_test_pod(k8smig_object_list *l, const k8smig_spec *spec)
{
	static const char *const check[] = { "sh", "-c", NULL };
	k8smig__buf script = K8SMIG__BUF_INIT;
	const char *argv[4];
	k8smig_object *o = NULL;
	char name[128], claim[128], mount[640];
	size_t c, i;
	int rc;

	/* mounts every claim where the services do; read-only where any service reads only */
	k8smig__buf_puts(&script, "set -e\n");
	TRY(k8smig_pod_new(&o, "volume-test", NULL));
	TRY(k8smig_object_set_label(o, MIG_PART_OF, spec->name));
	TRY(k8smig_object_set_label(o, "app.kubernetes.io/name", "volume-test"));
	TRY(k8smig_pod_add_container(&c, o, "check", "public.ecr.aws/docker/library/busybox:1.36"));
	for (i = 0; i < spec->n_volumes; i++) {
		const mig_volume *v = &spec->volumes[i];
		bool read_only = v->access_mode[0] == 'R' && strcmp(v->access_mode, "ReadOnlyMany") == 0;
		size_t s, m;
		const char *path = NULL;
		for (s = 0; s < spec->n_services && !path; s++)
			for (m = 0; m < spec->services[s].n_mounts; m++)
				if (strcmp(spec->services[s].mounts[m].volume, v->name) == 0) {
					path = spec->services[s].mounts[m].mount_path;
					read_only = read_only || spec->services[s].mounts[m].read_only;
					break;
				}
		snprintf(mount, sizeof(mount), "%s", path ? path : v->path);
		snprintf(name, sizeof(name), "%s", v->name);
		snprintf(claim, sizeof(claim), "%s-pvc", v->name);
		TRY(k8smig_pod_add_volume(NULL, o, name, K8SMIG_VOLUME_PVC, claim));
		TRY(k8smig_container_add_volume_mount(o, c, name, mount, read_only, NULL));
		if (read_only)
			k8smig__buf_printf(&script, "ls -la %s\nif touch %s/.k8smig-write-test 2>/dev/null; then echo '%s is writable but should be read-only'; exit 1; fi\n",
			                   mount, mount, mount);
		else
			k8smig__buf_printf(&script, "touch %s/.k8smig-write-test && rm %s/.k8smig-write-test && echo '%s writable'\n",
			                   mount, mount, mount);
	}
	k8smig__buf_puts(&script, "echo volumes OK\n");
	if (script.failed) {
		rc = k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
		goto fail;
	}
	argv[0] = check[0];
	argv[1] = check[1];
	argv[2] = k8smig__buf_cstr(&script);
	argv[3] = NULL;
	TRY(k8smig_container_set_command(o, c, argv, NULL));
	TRY(k8smig_object_set_str(o, "spec.restartPolicy", "Never"));
	TRY(k8smig__list_take(l, &o));
	k8smig__buf_free(&script);
	return 0;
fail:
	k8smig__buf_free(&script);
	k8smig_object_free(o);
	return rc;
}

/* ---- services ---- */

static bool pod_has_volume(const k8smig_object *d, const char *name);

static void security_options(k8smig_security_context_options *sc, const mig_security *sec)
{
	sc->run_as_user = sec->has_run_as_user ? sec->run_as_user : 0;
	sc->has_run_as_user = sec->has_run_as_user;
	sc->run_as_group = sec->has_run_as_group ? sec->run_as_group : 0;
	sc->has_run_as_group = sec->has_run_as_group;
	sc->run_as_non_root = sec->run_as_non_root;
	sc->read_only_root_filesystem = sec->read_only_root;
	sc->privileged = sec->privileged;
	sc->allow_privilege_escalation = sec->allow_escalation;
	sc->has_allow_privilege_escalation = true; /* false, explicitly, unless the spec allows it */
	sc->capabilities_add = sec->cap_add;
	sc->capabilities_drop = sec->cap_drop;
	sc->seccomp_profile = sec->privileged ? NULL : "RuntimeDefault";
}

static int set_command(k8smig_object *d, size_t c, const char *const *command, const char *const *args,
                       const char *working_dir, const char *base)
{
	char path[160];
	int rc;

	if ((command || args) && (rc = k8smig_container_set_command(d, c, command, args)) < 0)
		return rc;
	snprintf(path, sizeof(path), "%s[%zu].workingDir", base, c);
	if (working_dir && (rc = k8smig_object_set_str(d, path, working_dir)) < 0)
		return rc;
	return 0;
}

/* A sidecar (restartPolicy: Always) or an init container, built as a container of a scratch
 * Deployment (so every builder check applies) and copied to the pod's initContainers. */
static int add_init_container(k8smig_object *d, const mig_container *ct, bool sidecar)
{
	k8smig_security_context_options sc = K8SMIG_SECURITY_CONTEXT_OPTIONS_INIT;
	k8smig_probe_options ready = K8SMIG_PROBE_OPTIONS_INIT;
	k8smig_object *tmp = NULL;
	char claim[300];
	size_t c, i;
	int rc;

	TRY(k8smig_deployment_new(&tmp, "scratch", NULL));
	TRY(k8smig_pod_add_container(&c, tmp, ct->name, ct->image));
	TRY(set_command(tmp, c, ct->command, ct->args, ct->working_dir, "spec.template.spec.containers"));
	for (i = 0; i < ct->n_env; i++)
		TRY(k8smig_container_add_env(tmp, c, ct->env[i].key, ct->env[i].value));
	TRY(k8smig_container_set_resources(tmp, c, ct->cpu, ct->memory_request, NULL, ct->memory));
	if (sidecar && ct->ready_exec) {
		ready.handler = K8SMIG_PROBE_EXEC;
		ready.command = ct->ready_exec;
		ready.period_seconds = 10;
		ready.timeout_seconds = 5;
		TRY(k8smig_container_set_probe(tmp, c, K8SMIG_PROBE_READINESS, &ready));
	}
	security_options(&sc, &ct->sec);
	TRY(k8smig_container_set_security_context(tmp, c, &sc));
	for (i = 0; i < ct->n_mounts; i++) {
		snprintf(claim, sizeof(claim), "%s-pvc", ct->mounts[i].volume);
		TRY(k8smig_container_add_volume_mount(tmp, c, ct->mounts[i].volume, ct->mounts[i].mount_path,
		                                      ct->mounts[i].read_only, NULL));
		/* the pod's volume: added once, by whichever container mounts the claim first */
		if (!pod_has_volume(d, ct->mounts[i].volume))
			TRY(k8smig_pod_add_volume(NULL, d, ct->mounts[i].volume, K8SMIG_VOLUME_PVC, claim));
	}
	if (sidecar)
		TRY(k8smig_object_set_str(tmp, "spec.template.spec.containers[0].restartPolicy", "Always"));
	TRY(k8smig_object_append_value(NULL, d, "spec.template.spec.initContainers",
	                               k8smig_object_get(tmp, "spec.template.spec.containers[0]")));
	k8smig_object_free(tmp);
	return 0;
fail:
	k8smig_object_free(tmp);
	return rc;
}

static bool pod_has_volume(const k8smig_object *d, const char *name)
{
	const k8smig_value *v;
	for (v = k8smig_value_first(k8smig_object_get(d, "spec.template.spec.volumes")); v; v = k8smig_value_next(v))
		if (k8smig_value_str(k8smig_value_lookup(v, "name")) && strcmp(k8smig_value_str(k8smig_value_lookup(v, "name")), name) == 0)
			return true;
	return false;
}

static void probe_handler(k8smig_probe_options *p, const mig_service *s)
{
	if (s->health_exec) {
		p->handler = K8SMIG_PROBE_EXEC;
		p->command = s->health_exec;
	} else {
		p->path = s->health_path;
		p->port_name = "http";
	}
}

int k8smig__plan_deployment(k8smig_object_list *l, const k8smig_spec *spec, const mig_service *s, const mig_env *env)
{
	k8smig_probe_options live = K8SMIG_PROBE_OPTIONS_INIT, ready = K8SMIG_PROBE_OPTIONS_INIT,
	                     start = K8SMIG_PROBE_OPTIONS_INIT;
	k8smig_security_context_options sc = K8SMIG_SECURITY_CONTEXT_OPTIONS_INIT;
	k8smig_object *d = NULL;
	mig_scale scale;
	char image[1024], claim[128], path[160]; /* registry/repository:tag */
	size_t c, i;
	int rc;

	TRY(k8smig__scale(&scale, s, env));
	if (env)
		snprintf(image, sizeof(image), "%s/%s:%s", spec->ecr_registry, s->image, env->image_tag);
	else
		snprintf(image, sizeof(image), "%s", s->image); /* overlays set registry and tag */

	TRY(k8smig_deployment_new(&d, s->name, ns_of(env)));
	TRY(k8smig_object_set_label(d, MIG_PART_OF, spec->name));
	TRY(k8smig_workload_set_update_strategy(d, "RollingUpdate", "25%", "0"));
	TRY(k8smig_pod_set_template_label(d, MIG_PART_OF, spec->name));
	TRY(k8smig_pod_set_service_account(d, s->name));
	TRY(k8smig_pod_set_termination_grace_period(d, s->grace));

	TRY(k8smig_pod_add_container(&c, d, MIG_CONTAINER, image));
	TRY(set_command(d, c, s->command, s->args, s->working_dir, "spec.template.spec.containers"));
	if (!s->worker)
		TRY(k8smig_container_add_port(d, c, "http", s->port, "TCP"));
	if (spec->n_config)
		TRY(k8smig_container_add_env_from(d, c, K8SMIG_ENV_CONFIG_MAP, spec->config_name, NULL));
	for (i = 0; i < s->n_env; i++)
		TRY(k8smig_container_add_env(d, c, s->env[i].key, s->env[i].value));
	for (i = 0; i < s->n_secrets; i++)
		TRY(k8smig_container_add_env_ref(d, c, s->secrets[i].env, K8SMIG_ENV_SECRET, s->secrets[i].secret_name,
		                                 s->secrets[i].env));
	TRY(k8smig_container_set_resources(d, c, scale.cpu, scale.memory_request, NULL, scale.memory));
	if (s->health) {
		probe_handler(&live, s);
		probe_handler(&ready, s);
		live.initial_delay_seconds = s->liveness.initial_delay;
		live.period_seconds = s->liveness.period;
		live.timeout_seconds = s->liveness.timeout;
		live.failure_threshold = s->liveness.failure_threshold;
		ready.initial_delay_seconds = s->readiness.initial_delay ? s->readiness.initial_delay : K8SMIG_UNSET;
		ready.period_seconds = s->readiness.period;
		ready.timeout_seconds = s->readiness.timeout;
		ready.failure_threshold = s->readiness.failure_threshold;
		TRY(k8smig_container_set_probe(d, c, K8SMIG_PROBE_LIVENESS, &live));
		TRY(k8smig_container_set_probe(d, c, K8SMIG_PROBE_READINESS, &ready));
		if (s->startup_seconds) {
			/* a slow start (ECS startPeriod): liveness and readiness wait until this probe succeeds; it
			 * allows startupSeconds, then the liveness probe's own allowance of failures, probing every 5 s */
			probe_handler(&start, s);
			start.period_seconds = 5;
			start.timeout_seconds = s->liveness.timeout;
			start.failure_threshold = (s->startup_seconds + 4) / 5 + s->liveness.failure_threshold;
			TRY(k8smig_container_set_probe(d, c, K8SMIG_PROBE_STARTUP, &start));
		}
	}
	/* native sleep action (GA in Kubernetes 1.34, on by default since 1.30): no shell needed in the image */
	if (s->pre_stop) {
		snprintf(path, sizeof(path), "spec.template.spec.containers[%zu].lifecycle.preStop.sleep.seconds", c);
		TRY(k8smig_object_set_int(d, path, s->pre_stop));
	}
	security_options(&sc, &s->sec);
	TRY(k8smig_container_set_security_context(d, c, &sc));
	for (i = 0; i < s->n_mounts; i++) {
		snprintf(claim, sizeof(claim), "%s-pvc", s->mounts[i].volume);
		TRY(k8smig_pod_add_volume(NULL, d, s->mounts[i].volume, K8SMIG_VOLUME_PVC, claim));
		TRY(k8smig_container_add_volume_mount(d, c, s->mounts[i].volume, s->mounts[i].mount_path,
		                                      s->mounts[i].read_only, NULL));
		if (!s->mounts[i].read_only) { /* the default, left out: a written-out default conflicts in SSA */
			char p[96];
			snprintf(p, sizeof(p), "spec.template.spec.containers[%zu].volumeMounts[%zu].readOnly", c, i);
			TRY(k8smig_object_unset(d, p));
		}
	}
	/* native sidecars first (they start, in order, before the init containers run), then the init containers */
	for (i = 0; i < s->n_sidecars; i++)
		TRY(add_init_container(d, &s->sidecars[i], true));
	for (i = 0; i < s->n_inits; i++)
		TRY(add_init_container(d, &s->inits[i], false));
	if (s->spread) {
		/* spread over zones; ScheduleAnyway keeps pods schedulable when a zone is short of nodes */
		TRY(k8smig_object_set_int(d, "spec.template.spec.topologySpreadConstraints[0].maxSkew", s->spread_skew));
		TRY(k8smig_object_set_str(d, "spec.template.spec.topologySpreadConstraints[0].topologyKey", s->spread_key));
		TRY(k8smig_object_set_str(d, "spec.template.spec.topologySpreadConstraints[0].whenUnsatisfiable",
		                          s->spread_hard ? "DoNotSchedule" : "ScheduleAnyway"));
		TRY(k8smig_object_set_str(d, "spec.template.spec.topologySpreadConstraints[0].labelSelector.matchLabels[app.kubernetes.io/name]",
		                          s->name));
	}
	if (spec->n_config) /* a config change changes the pod template, so it rolls the pods */
		TRY(k8smig__config_checksum(d, spec));
	TRY(k8smig__list_take(l, &d));
	return 0;
fail:
	k8smig_object_free(d);
	return rc;
}

int k8smig__plan_service(k8smig_object_list *l, const k8smig_spec *spec, const mig_service *s, const mig_env *env)
{
	k8smig_object *o = NULL;
	int rc;

	if (s->worker) /* serves no port: nothing to address */
		return 0;
	/* the Service's name is the host the other services use (http://<name>:<port>) */
	TRY(k8smig_service_new(&o, s->name, ns_of(env), "ClusterIP"));
	TRY(k8smig_object_set_label(o, MIG_PART_OF, spec->name));
	TRY(k8smig_selector_set(o, "app.kubernetes.io/name", s->name));
	TRY(k8smig_service_add_port(o, "http", s->port, "http", "TCP", 0));
	/* the ALB checks each target group on its own service's health path (annotations on the Service
	 * override the Ingress's for that service's target group) */
	if (k8smig__service_routed(s) && !spec->healthcheck_path_set && strcmp(s->health_path, spec->healthcheck_path) != 0)
		TRY(k8smig_object_set_annotation(o, "alb.ingress.kubernetes.io/healthcheck-path", s->health_path));
	TRY(k8smig__list_take(l, &o));
	return 0;
fail:
	k8smig_object_free(o);
	return rc;
}

int k8smig__plan_pdb(k8smig_object_list *l, const k8smig_spec *spec, const mig_service *s, const mig_env *env)
{
	k8smig_object *o = NULL;
	char n[16];
	int rc;

	if (!s->pdb)
		return 0;
	/* voluntary disruptions (node drains, upgrades) take at most this many pods at a time */
	snprintf(n, sizeof(n), "%d", (int)s->pdb_max_unavailable);
	TRY(k8smig_pdb_new(&o, s->name, ns_of(env), NULL, n));
	TRY(k8smig_object_set_label(o, "app.kubernetes.io/name", s->name));
	TRY(k8smig_object_set_label(o, MIG_PART_OF, spec->name));
	TRY(k8smig_selector_set(o, "app.kubernetes.io/name", s->name));
	TRY(k8smig__list_take(l, &o));
	return 0;
fail:
	k8smig_object_free(o);
	return rc;
}

int k8smig__plan_hpa(k8smig_object_list *l, const k8smig_spec *spec, const mig_service *s, const mig_env *env)
{
	k8smig_object *o = NULL;
	mig_scale scale;
	int rc;

	TRY(k8smig__scale(&scale, s, env));
	TRY(k8smig_hpa_new(&o, s->name, ns_of(env), "Deployment", s->name, scale.min, scale.max));
	TRY(k8smig_object_set_label(o, MIG_PART_OF, spec->name));
	if (s->cpu_percent)
		TRY(k8smig_hpa_add_resource_metric(o, "cpu", s->cpu_percent));
	if (s->memory_percent)
		TRY(k8smig_hpa_add_resource_metric(o, "memory", s->memory_percent));
	TRY(k8smig_hpa_set_behavior(o, K8SMIG_HPA_SCALE_DOWN, s->scale_down_window, NULL));
	TRY(k8smig_hpa_set_behavior(o, K8SMIG_HPA_SCALE_UP, s->scale_up_window, NULL));
	TRY(k8smig__list_take(l, &o));
	return 0;
fail:
	k8smig_object_free(o);
	return rc;
}

/* ---- ingress ---- */

static int add_routes(k8smig_object *o, const k8smig_spec *spec, const char *host)
{
	char port[16];
	size_t i, j;
	int rc;

	for (i = 0; i < spec->n_services; i++) {
		const mig_service *s = &spec->services[i];
		snprintf(port, sizeof(port), "%d", (int)s->port);
		for (j = 0; j < s->n_routes; j++)
			if ((rc = k8smig_ingress_add_path(o, host, s->routes[j].path, s->routes[j].path_type, s->name, port)) < 0)
				return rc;
	}
	return 0;
}

int k8smig__plan_ingress(k8smig_object_list *l, const k8smig_spec *spec, const mig_env *env)
{
	k8smig_alb_options alb = K8SMIG_ALB_OPTIONS_INIT;
	k8smig_object *o = NULL;
	size_t i;
	int rc;

	if (!k8smig__spec_has_ingress(spec))
		return 0;
	TRY(k8smig_ingress_new(&o, spec->ingress_name, ns_of(env), "alb"));
	TRY(k8smig_object_set_label(o, MIG_PART_OF, spec->name));
	alb.scheme = spec->ingress_scheme;
	alb.target_type = "ip"; /* pods as targets: works on Fargate and skips the node port hop */
	alb.http_port = 80;
	alb.healthcheck_path = spec->healthcheck_path;
	/* one ALB per environment: the group name carries the environment */
	char group[128];
	snprintf(group, sizeof(group), "%s%s%s", spec->ingress_group, env ? "-" : "", env ? env->name : "");
	alb.group_name = group;
	if (env && env->tls) {
		alb.https_port = 443;
		alb.certificate_arn = env->certificate_arn;
		alb.ssl_redirect = 443;
	}
	TRY(k8smig_ingress_set_alb(o, &alb));
	/* the ALB drains a deregistered target this long (its default is 300 s); the pods' grace period covers it */
	snprintf(group, sizeof(group), "deregistration_delay.timeout_seconds=%d", (int)spec->deregistration_delay);
	TRY(k8smig_object_set_annotation(o, "alb.ingress.kubernetes.io/target-group-attributes", group));
	if (env && env->n_hosts) {
		for (i = 0; i < env->n_hosts; i++)
			TRY(add_routes(o, spec, env->hosts[i]));
	} else {
		TRY(add_routes(o, spec, NULL));
	}
	TRY(k8smig__list_take(l, &o));
	return 0;
fail:
	k8smig_object_free(o);
	return rc;
}

/* ---- the public planner ---- */

int k8smig_plan(k8smig_object_list **out, const k8smig_spec *spec, const char *environment)
{
	k8smig_object_list *l = NULL;
	const mig_env *env = NULL;
	size_t i;
	int rc;

	if (!out || !spec)
		return k8smig__error_set(K8SMIG_EINVAL, "", "out or spec is NULL");
	*out = NULL;
	if (environment && !(env = k8smig__spec_env(spec, environment)))
		return k8smig__error_set(K8SMIG_ENOTFOUND, "environments", "the spec has no environment of that name");
	TRY(k8smig_object_list_new(&l));
	if (env)
		TRY(k8smig__plan_namespaces(l, spec, env));
	TRY(k8smig__plan_service_accounts(l, spec, env));
	TRY(k8smig__plan_config(l, spec, env));
	TRY(k8smig__plan_external_secrets(l, spec, env));
	if (spec->n_volumes) {
		if (env) /* the admin layer's (k8s/cluster), as the Namespace and the PVs */
			TRY(k8smig__plan_storage_class(l, spec));
		if (env && env->static_volumes)
			TRY(plan_env_pvs(l, spec, env));
		for (i = 0; i < spec->n_volumes; i++)
			TRY(k8smig__plan_pvc(l, spec, &spec->volumes[i], env));
	}
	for (i = 0; i < spec->n_services; i++) {
		TRY(k8smig__plan_deployment(l, spec, &spec->services[i], env));
		TRY(k8smig__plan_service(l, spec, &spec->services[i], env));
		TRY(k8smig__plan_hpa(l, spec, &spec->services[i], env));
		TRY(k8smig__plan_pdb(l, spec, &spec->services[i], env));
	}
	TRY(k8smig__plan_ingress(l, spec, env));
	if (env) /* the CI group's Role, derived from the namespaced kinds above */
		TRY(k8smig__plan_ci_rbac(l, spec, env, l));
	*out = l;
	return 0;
fail:
	k8smig_object_list_free(l);
	return rc;
}
