/*
 * lib/migrate/plan_tree.c - where the planner's objects go: the k8s/ tree of
 * migration-tasks.md, file for file, with a kustomization.yaml in every
 * directory, the cluster-wide monitoring stack and the per-environment
 * overlays.
 *
 * Layout decisions (k8s/README.md of the generated tree says the same):
 * - Two layers. k8s/cluster is what an admin applies once: every
 *   environment's Namespace, the CI group's Role and RoleBinding in each
 *   (ci_rbac.c), the StorageClass and the static PVs of the ECS data. The
 *   overlays (k8s/overlays/<env>) are what CI applies on every deploy: only
 *   namespaced objects, all of kinds the CI Role covers, so CI needs nothing
 *   cluster-wide. k8smig_plan(env) is both: the admin part for env, then the
 *   overlay's objects.
 * - k8s/monitoring is cluster-wide (ClusterRoles, its own namespace) and is
 *   applied by the admin on its own, never through a namespace-setting overlay.
 * - Static PVs (the ECS data on the existing EFS file system) bind to one
 *   namespace's claims (claimRef); the overlay of each environment that
 *   reuses the data points its PVC patches at them.
 * - Overlays scale through HPA bounds (patches), never spec.replicas.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "migrate.h"

/* Write a list as one YAML file, taking *l (freed even on failure) and setting *l to NULL. */
static int put_list(mig_files *fs, const k8smig_spec *spec, const char *path, k8smig_object_list **l)
{
	int rc = k8smig__files_add_yaml(fs, spec, path, *l);
	k8smig_object_list_free(*l);
	*l = NULL;
	return rc;
}

/* Build one part into a fresh list and write it. */
typedef int (*part_fn)(k8smig_object_list *, const k8smig_spec *, const mig_env *);

static int put_part(mig_files *fs, const k8smig_spec *spec, const char *path, part_fn fn)
{
	k8smig_object_list *l = NULL;
	int rc;

	if ((rc = k8smig_object_list_new(&l)) < 0)
		return rc;
	if ((rc = fn(l, spec, NULL)) < 0) {
		k8smig_object_list_free(l);
		return rc;
	}
	return put_list(fs, spec, path, &l);
}

/* Write dir/kustomization.yaml, taking *k (see put_list). */
static int put_kustomization(mig_files *fs, const k8smig_spec *spec, const char *dir, k8smig_object **k)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/kustomization.yaml", dir);
	return k8smig__files_add_object(fs, spec, path, k, K8SMIG_FORMAT_YAML);
}

/* A kustomization listing resources (NULL-terminated). */
static int put_simple_kustomization(mig_files *fs, const k8smig_spec *spec, const char *dir,
                                    const char *const *resources)
{
	k8smig_object *k = NULL;
	int rc;

	TRY(k8smig_kustomization_new(&k));
	for (; *resources; resources++)
		TRY(k8smig_kustomization_add_resource(k, *resources));
	return put_kustomization(fs, spec, dir, &k);
fail:
	k8smig_object_free(k);
	return rc;
}

/* ---- k8s/cluster: what an admin applies once ---- */

int k8smig__config_checksum(k8smig_object *d, const k8smig_spec *spec)
{
	k8smig__buf b = K8SMIG__BUF_INIT;
	uint8_t digest[32];
	char hex[65];
	size_t i;
	int rc;

	k8smig__buf_printf(&b, "%s\n", spec->config_name);
	for (i = 0; i < spec->n_config; i++) {
		k8smig__buf_printf(&b, "%zu:%s", strlen(spec->config[i].key), spec->config[i].key);
		k8smig__buf_printf(&b, "%zu:%s\n", strlen(spec->config[i].value), spec->config[i].value);
	}
	if (b.failed) {
		k8smig__buf_free(&b);
		return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	}
	k8smig__sha256(k8smig__buf_cstr(&b), b.len, digest);
	k8smig__buf_free(&b);
	for (i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", digest[i]);
	rc = k8smig_pod_set_template_annotation(d, MIG_CONFIG_CHECKSUM, hex);
	return rc;
}

/* The admin layer: every environment's Namespace and CI Role, the StorageClass, the static PVs. */
static int plan_cluster(mig_files *fs, const k8smig_spec *spec)
{
	const char *resources[5];
	k8smig_object_list *l = NULL, *ci = NULL;
	size_t n = 0, i;
	int rc;

	TRY(put_part(fs, spec, "k8s/cluster/namespaces.yaml", k8smig__plan_namespaces));
	resources[n++] = "namespaces.yaml";
	TRY(k8smig_object_list_new(&l));
	for (i = 0; i < spec->n_envs; i++) {
		TRY(k8smig_plan(&ci, spec, spec->envs[i].name));
		{ /* the Role and RoleBinding are the plan's last two objects */
			size_t m = k8smig_object_list_size(ci), j;
			for (j = m - 2; j < m; j++)
				TRY(k8smig_object_list_append(l, k8smig_object_list_get(ci, j)));
		}
		k8smig_object_list_free(ci);
		ci = NULL;
	}
	TRY(put_list(fs, spec, "k8s/cluster/ci-rbac.yaml", &l));
	resources[n++] = "ci-rbac.yaml";
	if (spec->n_volumes) {
		TRY(k8smig_object_list_new(&l));
		TRY(k8smig__plan_storage_class(l, spec));
		TRY(put_list(fs, spec, "k8s/cluster/storageclass.yaml", &l));
		resources[n++] = "storageclass.yaml";
		for (i = 0; i < spec->n_envs && !spec->envs[i].static_volumes; i++)
			;
		if (i < spec->n_envs) {
			TRY(k8smig_object_list_new(&l));
			TRY(k8smig__plan_pvs(l, spec));
			TRY(put_list(fs, spec, "k8s/cluster/persistent-volumes.yaml", &l));
			resources[n++] = "persistent-volumes.yaml";
		}
	}
	resources[n] = NULL;
	return put_simple_kustomization(fs, spec, "k8s/cluster", resources);
fail:
	k8smig_object_list_free(l);
	k8smig_object_list_free(ci);
	return rc;
}

/* ---- k8s/base: namespaced, what every overlay applies ---- */

static int plan_base(mig_files *fs, const k8smig_spec *spec)
{
	const char **resources = NULL; /* the two files below, every claim's file and NULL */
	char **claims = NULL;
	size_t n = 0, i;
	int rc;

	if (!(resources = calloc(3 + spec->n_volumes, sizeof(*resources))) ||
	    !(claims = calloc(spec->n_volumes ? spec->n_volumes : 1, sizeof(*claims)))) {
		rc = k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
		goto fail;
	}

	TRY(put_part(fs, spec, "k8s/base/service-accounts.yaml", k8smig__plan_service_accounts));
	resources[n++] = "service-accounts.yaml";
	if (spec->n_config) {
		TRY(put_part(fs, spec, "k8s/base/configmap.yaml", k8smig__plan_config));
		resources[n++] = "configmap.yaml";
	}
	/* no External Secrets objects here: each overlay has its own (overlays/<env>/external-secrets.yaml) */
	/* the claims by file: storage/ holds manifests only, so `kubectl apply -f k8s/base/storage/` works too */
	for (i = 0; i < spec->n_volumes; i++) {
		size_t len = strlen(spec->volumes[i].name) + sizeof("storage/-pvc.yaml");
		if (!(claims[i] = malloc(len))) {
			rc = k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
			goto fail;
		}
		snprintf(claims[i], len, "storage/%s-pvc.yaml", spec->volumes[i].name);
		resources[n++] = claims[i];
	}
	resources[n] = NULL;
	TRY(put_simple_kustomization(fs, spec, "k8s/base", resources));
	rc = 0;
fail:
	for (i = 0; claims && i < spec->n_volumes; i++)
		free(claims[i]);
	free(claims);
	free(resources);
	return rc;
}

/* The claims, one file each and no kustomization.yaml (base/ lists them), so the directory also
 * works with `kubectl apply -f`; the StorageClass is the admin layer's. */
static int plan_storage(mig_files *fs, const k8smig_spec *spec)
{
	k8smig_object_list *l = NULL;
	char path[256];
	size_t i;
	int rc;

	if (!spec->n_volumes)
		return 0;
	for (i = 0; i < spec->n_volumes; i++) {
		TRY(k8smig_object_list_new(&l));
		TRY(k8smig__plan_pvc(l, spec, &spec->volumes[i], NULL));
		snprintf(path, sizeof(path), "k8s/base/storage/%s-pvc.yaml", spec->volumes[i].name);
		TRY(put_list(fs, spec, path, &l));
	}
	/* the volume check (Task 2.3) is applied by hand into one namespace: outside every kustomization */
	TRY(k8smig_object_list_new(&l));
	TRY(k8smig__plan_test_pod(l, spec));
	TRY(put_list(fs, spec, "k8s/tests/volume-test-pod.yaml", &l));
	return 0;
fail:
	k8smig_object_list_free(l);
	return rc;
}

/* ---- k8s/services/<svc> ---- */

static int plan_services(mig_files *fs, const k8smig_spec *spec)
{
	static const char *const files[] = { "deployment", "service", "hpa", "pdb" };
	const char *resources[5];
	k8smig_object_list *l = NULL;
	char dir[256], path[320], names[4][32];
	size_t i, f, n;
	int rc;

	for (i = 0; i < spec->n_services; i++) {
		const mig_service *s = &spec->services[i];
		snprintf(dir, sizeof(dir), "k8s/services/%s", s->name);
		for (f = n = 0; f < 4; f++) {
			TRY(k8smig_object_list_new(&l));
			if (f == 0)
				TRY(k8smig__plan_deployment(l, spec, s, NULL));
			else if (f == 1)
				TRY(k8smig__plan_service(l, spec, s, NULL));
			else if (f == 2)
				TRY(k8smig__plan_hpa(l, spec, s, NULL));
			else
				TRY(k8smig__plan_pdb(l, spec, s, NULL));
			if (!k8smig_object_list_size(l)) { /* a worker's Service, a disabled PDB */
				k8smig_object_list_free(l);
				l = NULL;
				continue;
			}
			snprintf(path, sizeof(path), "%s/%s.yaml", dir, files[f]);
			snprintf(names[n], sizeof(names[n]), "%s.yaml", files[f]);
			resources[n] = names[n];
			n++;
			TRY(put_list(fs, spec, path, &l));
		}
		resources[n] = NULL;
		TRY(put_simple_kustomization(fs, spec, dir, resources));
	}
	return 0;
fail:
	k8smig_object_list_free(l);
	return rc;
}

/* ---- k8s/ingress ---- */

static int plan_ingress_dir(mig_files *fs, const k8smig_spec *spec)
{
	static const char *const resources[] = { "ingress.yaml", NULL };
	int rc;

	if (!k8smig__spec_has_ingress(spec))
		return 0;
	TRY(put_part(fs, spec, "k8s/ingress/ingress.yaml", k8smig__plan_ingress));
	TRY(put_simple_kustomization(fs, spec, "k8s/ingress", resources));
	return 0;
fail:
	return rc;
}

/* ---- k8s/overlays/<env> ---- */

/* Add an inline strategic-merge patch made of *obj, taking it (see put_list). */
static int add_patch_object(k8smig_object *k, k8smig_object **obj)
{
	char *text = NULL;
	int rc = k8smig_object_emit(&text, NULL, *obj, NULL);

	k8smig_object_free(*obj);
	*obj = NULL;
	if (rc < 0)
		return rc;
	rc = k8smig_kustomization_add_patch(k, NULL, text, NULL, NULL);
	k8smig_free(text);
	return rc;
}

static int patch_hpa(k8smig_object *k, const mig_service *s, const mig_scale *scale)
{
	k8smig_object *p = NULL;
	int rc;

	TRY(k8smig_object_new(&p, "autoscaling/v2", "HorizontalPodAutoscaler"));
	TRY(k8smig_object_set_name(p, s->name));
	TRY(k8smig_object_set_int(p, "spec.minReplicas", scale->min));
	TRY(k8smig_object_set_int(p, "spec.maxReplicas", scale->max));
	return add_patch_object(k, &p);
fail:
	k8smig_object_free(p);
	return rc;
}

static int patch_resources(k8smig_object *k, const mig_service *s, const mig_scale *scale)
{
	k8smig_object *p = NULL;
	int rc;

	TRY(k8smig_object_new(&p, "apps/v1", "Deployment"));
	TRY(k8smig_object_set_name(p, s->name));
	/* containers merge by name, so only app's resources change */
	TRY(k8smig_object_set_str(p, "spec.template.spec.containers[0].name", MIG_CONTAINER));
	TRY(k8smig_object_set_str(p, "spec.template.spec.containers[0].resources.requests.cpu", scale->cpu));
	TRY(k8smig_object_set_str(p, "spec.template.spec.containers[0].resources.requests.memory", scale->memory_request));
	TRY(k8smig_object_set_str(p, "spec.template.spec.containers[0].resources.limits.memory", scale->memory));
	return add_patch_object(k, &p);
fail:
	k8smig_object_free(p);
	return rc;
}

static int patch_pvc(k8smig_object *k, const mig_env *env, const mig_volume *v)
{
	k8smig_object *p = NULL;
	char name[128], pv[160];
	int rc;

	snprintf(name, sizeof(name), "%s-pvc", v->name);
	snprintf(pv, sizeof(pv), "%s-%s", env->ns, v->name);
	TRY(k8smig_object_new(&p, "v1", "PersistentVolumeClaim"));
	TRY(k8smig_object_set_name(p, name));
	TRY(k8smig_object_set_str(p, "spec.volumeName", pv));
	return add_patch_object(k, &p);
fail:
	k8smig_object_free(p);
	return rc;
}

/* The environment's Ingress as a patch: hosts, TLS listener and certificate, its own ALB group. */
static int patch_ingress(k8smig_object *k, const k8smig_spec *spec, const mig_env *env)
{
	k8smig_object_list *l = NULL;
	k8smig_object *p = NULL;
	int rc;

	TRY(k8smig_object_list_new(&l));
	TRY(k8smig__plan_ingress(l, spec, env));
	TRY(k8smig_object_dup(&p, k8smig_object_list_get(l, 0)));
	TRY(k8smig_object_unset(p, "metadata.namespace"));
	TRY(k8smig_object_unset(p, "metadata.labels"));
	k8smig_object_list_free(l);
	return add_patch_object(k, &p);
fail:
	k8smig_object_list_free(l);
	k8smig_object_free(p);
	return rc;
}

static int plan_overlay(mig_files *fs, const k8smig_spec *spec, const mig_env *env)
{
	k8smig_object_list *l = NULL;
	k8smig_object *k = NULL;
	char dir[256], path[320], res[256], image[1024];
	size_t i;
	int rc;

	snprintf(dir, sizeof(dir), "k8s/overlays/%s", env->name);
	/* no Namespace, PV or RBAC here: the overlay is what CI applies, only namespaced objects (k8s/cluster has the rest) */
	TRY(k8smig_kustomization_new(&k));
	TRY(k8smig_kustomization_set_namespace(k, env->ns));
	{
		if (spec->n_secrets) {
			/* this environment's secrets, read by this environment's role */
			TRY(k8smig_object_list_new(&l));
			TRY(k8smig__plan_external_secrets(l, spec, env));
			snprintf(path, sizeof(path), "%s/external-secrets.yaml", dir);
			TRY(put_list(fs, spec, path, &l));
			TRY(k8smig_kustomization_add_resource(k, "external-secrets.yaml"));
		}
	}
	TRY(k8smig_kustomization_add_resource(k, "../../base"));
	for (i = 0; i < spec->n_services; i++) {
		snprintf(res, sizeof(res), "../../services/%s", spec->services[i].name);
		TRY(k8smig_kustomization_add_resource(k, res));
	}
	if (k8smig__spec_has_ingress(spec))
		TRY(k8smig_kustomization_add_resource(k, "../../ingress"));
	for (i = 0; i < spec->n_services; i++) {
		snprintf(image, sizeof(image), "%s/%s", spec->ecr_registry, spec->services[i].image);
		TRY(k8smig_kustomization_add_image(k, spec->services[i].image, image, env->image_tag, NULL));
	}
	for (i = 0; i < spec->n_services; i++) {
		const mig_service *s = &spec->services[i];
		mig_scale base, mine;
		TRY(k8smig__scale(&base, s, NULL));
		TRY(k8smig__scale(&mine, s, env));
		if (base.min != mine.min || base.max != mine.max)
			TRY(patch_hpa(k, s, &mine));
		if (strcmp(base.cpu, mine.cpu) || strcmp(base.memory, mine.memory) || strcmp(base.memory_request, mine.memory_request))
			TRY(patch_resources(k, s, &mine));
	}
	if (env->static_volumes)
		for (i = 0; i < spec->n_volumes; i++)
			TRY(patch_pvc(k, env, &spec->volumes[i]));
	if (k8smig__spec_has_ingress(spec))
		TRY(patch_ingress(k, spec, env));
	TRY(put_kustomization(fs, spec, dir, &k));
	return 0;
fail:
	k8smig_object_list_free(l);
	k8smig_object_free(k);
	return rc;
}

int k8smig__plan_overlays(mig_files *fs, const k8smig_spec *spec)
{
	size_t i;
	int rc;

	for (i = 0; i < spec->n_envs; i++)
		if ((rc = plan_overlay(fs, spec, &spec->envs[i])) < 0)
			return rc;
	return 0;
}

/* ---- the whole tree ---- */

int k8smig__plan_tree(mig_files *fs, const k8smig_spec *spec)
{
	int rc;

	TRY(plan_cluster(fs, spec));
	TRY(plan_base(fs, spec));
	TRY(plan_storage(fs, spec));
	TRY(plan_services(fs, spec));
	TRY(plan_ingress_dir(fs, spec));
	TRY(k8smig__plan_monitoring(fs, spec));
	TRY(k8smig__plan_iam(fs, spec));
	TRY(k8smig__plan_overlays(fs, spec));
	TRY(k8smig__plan_cutover(fs, spec));
	TRY(k8smig__plan_gitops(fs, spec));
	TRY(k8smig__plan_workflow(fs, spec));
	TRY(k8smig__docs(fs, spec));
	return 0;
fail:
	return rc;
}
