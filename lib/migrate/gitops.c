/*
 * lib/migrate/gitops.c - k8s/gitops (only with a gitops section in the
 * spec): one Argo CD Application, or one Flux GitRepository and
 * Kustomization, per environment, following the branch that deploys it, and
 * one for k8s/monitoring. CI then only builds the images and pins their tags
 * in the overlay (workflow.c); Argo CD or Flux applies the overlays,
 * server-side, pruning what the spec no longer produces.
 */
#include <stdio.h>

#include "migrate.h"

static const char *branch_of(const k8smig_spec *spec, const mig_env *env)
{
	size_t i;
	for (i = 0; i < spec->n_branches; i++)
		if (strcmp(spec->branches[i].environment, env->name) == 0)
			return spec->branches[i].branch;
	return "HEAD"; /* unreachable: the spec reader requires a branch per environment */
}

static int application(k8smig_object_list *l, const k8smig_spec *spec, const char *name, const char *revision,
                       const char *path, const char *ns)
{
	k8smig_object *o = NULL;
	int rc;

	TRY(k8smig_object_new(&o, "argoproj.io/v1alpha1", "Application"));
	TRY(k8smig_object_set_name(o, name));
	TRY(k8smig_object_set_namespace(o, spec->gitops_ns));
	TRY(k8smig_object_set_label(o, MIG_PART_OF, spec->name));
	TRY(k8smig_object_set_str(o, "spec.project", "default"));
	TRY(k8smig_object_set_str(o, "spec.source.repoURL", spec->gitops_repo));
	TRY(k8smig_object_set_str(o, "spec.source.targetRevision", revision));
	TRY(k8smig_object_set_str(o, "spec.source.path", path));
	TRY(k8smig_object_set_str(o, "spec.destination.server", "https://kubernetes.default.svc"));
	TRY(k8smig_object_set_str(o, "spec.destination.namespace", ns));
	TRY(k8smig_object_set_bool(o, "spec.syncPolicy.automated.prune", true));
	TRY(k8smig_object_set_bool(o, "spec.syncPolicy.automated.selfHeal", true));
	TRY(k8smig_object_append_str(NULL, o, "spec.syncPolicy.syncOptions", "ServerSideApply=true"));
	TRY(k8smig_object_append_str(NULL, o, "spec.syncPolicy.syncOptions", "CreateNamespace=true"));
	/* the HPAs own the replicas (no Deployment sets them): nothing to ignore */
	return k8smig__list_take(l, &o);
fail:
	k8smig_object_free(o);
	return rc;
}

/* Flux: the environment's branch (GitRepository) and what to apply from it (Kustomization). */
static int flux(k8smig_object_list *l, const k8smig_spec *spec, const char *name, const char *source,
                const char *branch, const char *path)
{
	k8smig_object *o = NULL;
	int rc;

	if (branch) {
		TRY(k8smig_object_new(&o, "source.toolkit.fluxcd.io/v1", "GitRepository"));
		TRY(k8smig_object_set_name(o, source));
		TRY(k8smig_object_set_namespace(o, spec->gitops_ns));
		TRY(k8smig_object_set_label(o, MIG_PART_OF, spec->name));
		TRY(k8smig_object_set_str(o, "spec.interval", "1m"));
		TRY(k8smig_object_set_str(o, "spec.url", spec->gitops_repo));
		TRY(k8smig_object_set_str(o, "spec.ref.branch", branch));
		TRY(k8smig__list_take(l, &o));
	}
	TRY(k8smig_object_new(&o, "kustomize.toolkit.fluxcd.io/v1", "Kustomization"));
	TRY(k8smig_object_set_name(o, name));
	TRY(k8smig_object_set_namespace(o, spec->gitops_ns));
	TRY(k8smig_object_set_label(o, MIG_PART_OF, spec->name));
	TRY(k8smig_object_set_str(o, "spec.interval", "5m"));
	TRY(k8smig_object_set_str(o, "spec.path", path));
	TRY(k8smig_object_set_bool(o, "spec.prune", true));
	TRY(k8smig_object_set_bool(o, "spec.wait", true));
	TRY(k8smig_object_set_str(o, "spec.timeout", "5m"));
	TRY(k8smig_object_set_str(o, "spec.sourceRef.kind", "GitRepository"));
	TRY(k8smig_object_set_str(o, "spec.sourceRef.name", source));
	return k8smig__list_take(l, &o);
fail:
	k8smig_object_free(o);
	return rc;
}

int k8smig__plan_gitops(mig_files *fs, const k8smig_spec *spec)
{
	k8smig_object_list *l = NULL;
	k8smig_object *k = NULL;
	char name[160], path[192];
	size_t i;
	int rc;

	if (!spec->gitops_repo)
		return 0;
	TRY(k8smig_object_list_new(&l));
	if (spec->gitops_flux) {
		char prod[160];
		snprintf(prod, sizeof(prod), "%s-%s", spec->name, spec->envs[spec->n_envs - 1].name);
		for (i = 0; i < spec->n_envs; i++) {
			snprintf(name, sizeof(name), "%s-%s", spec->name, spec->envs[i].name);
			snprintf(path, sizeof(path), "./k8s/overlays/%s", spec->envs[i].name);
			TRY(flux(l, spec, name, name, branch_of(spec, &spec->envs[i]), path));
		}
		/* the cluster-wide part follows the branch of the last (production) environment */
		snprintf(name, sizeof(name), "%s-monitoring", spec->name);
		TRY(flux(l, spec, name, prod, NULL, "./k8s/monitoring"));
	} else {
		/* the cluster-wide part follows the branch of the last (production) environment */
		snprintf(name, sizeof(name), "%s-monitoring", spec->name);
		TRY(application(l, spec, name, branch_of(spec, &spec->envs[spec->n_envs - 1]), "k8s/monitoring",
		                spec->monitoring_ns));
		for (i = 0; i < spec->n_envs; i++) {
			snprintf(name, sizeof(name), "%s-%s", spec->name, spec->envs[i].name);
			snprintf(path, sizeof(path), "k8s/overlays/%s", spec->envs[i].name);
			TRY(application(l, spec, name, branch_of(spec, &spec->envs[i]), path, spec->envs[i].ns));
		}
	}
	TRY(k8smig__files_add_yaml(fs, spec, spec->gitops_flux ? "k8s/gitops/flux.yaml" : "k8s/gitops/applications.yaml", l));
	k8smig_object_list_free(l);
	l = NULL;
	TRY(k8smig_kustomization_new(&k));
	TRY(k8smig_kustomization_add_resource(k, spec->gitops_flux ? "flux.yaml" : "applications.yaml"));
	return k8smig__files_add_object(fs, spec, "k8s/gitops/kustomization.yaml", &k, K8SMIG_FORMAT_YAML);
fail:
	k8smig_object_free(k);
	k8smig_object_list_free(l);
	return rc;
}
