/*
 * lib/migrate/workflow.c - the CI workflow (.github/workflows/deploy.yml):
 * build and push each service's image to ECR, then apply the overlay of the
 * environment a branch deploys to, with the CI role through GitHub's OIDC
 * provider (no stored AWS keys).
 */
#include <stdio.h>
#include <stdlib.h>

#include "migrate.h"

static int step(k8smig_object *w, const char *job, size_t *index_out, const char *name)
{
	char p[128];
	int rc;

	snprintf(p, sizeof(p), "jobs.%s.steps", job);
	if ((rc = k8smig_object_append_map(index_out, w, p)) < 0)
		return rc;
	snprintf(p, sizeof(p), "jobs.%s.steps[%zu].name", job, *index_out);
	return k8smig_object_set_str(w, p, name);
}

static int step_set(k8smig_object *w, const char *job, size_t s, const char *field, const char *value)
{
	char p[192];
	snprintf(p, sizeof(p), "jobs.%s.steps[%zu].%s", job, s, field);
	return k8smig_object_set_str(w, p, value);
}

static int aws_credentials(k8smig_object *w, const k8smig_spec *spec, const char *job)
{
	char arn[512];
	size_t s;
	int rc;

	k8smig__role_arn(arn, sizeof(arn), spec, spec->ci_role_name);
	TRY(step(w, job, &s, "Assume the deploy role (OIDC, no stored keys)"));
	TRY(step_set(w, job, s, "uses", "aws-actions/configure-aws-credentials@v4"));
	TRY(step_set(w, job, s, "with.role-to-assume", arn));
	TRY(step_set(w, job, s, "with.aws-region", "${{ env.AWS_REGION }}"));
	return 0;
fail:
	return rc;
}

int k8smig__plan_workflow(mig_files *fs, const k8smig_spec *spec)
{
	k8smig__buf script = K8SMIG__BUF_INIT;
	k8smig_object *w = NULL;
	char p[192];
	size_t i, s;
	int rc;

	TRY(k8smig_object_new(&w, NULL, NULL));
	snprintf(p, sizeof(p), "Deploy %s to EKS", spec->name);
	TRY(k8smig_object_set_str(w, "name", p));
	for (i = 0; i < spec->n_branches; i++)
		TRY(k8smig_object_append_str(NULL, w, "on.push.branches", spec->branches[i].branch));
	TRY(k8smig_object_set_str(w, "permissions.id-token", "write"));
	TRY(k8smig_object_set_str(w, "permissions.contents", "read"));
	TRY(k8smig_object_set_str(w, "concurrency.group", "deploy-${{ github.ref_name }}"));
	TRY(k8smig_object_set_bool(w, "concurrency.cancel-in-progress", false));
	TRY(k8smig_object_set_str(w, "env.AWS_REGION", spec->region));
	TRY(k8smig_object_set_str(w, "env.EKS_CLUSTER", spec->cluster));
	TRY(k8smig_object_set_str(w, "env.ECR_REGISTRY", spec->ecr_registry));

	/* build: one matrix job per service image, tagged with the commit */
	TRY(k8smig_object_set_str(w, "jobs.build.runs-on", "ubuntu-latest"));
	for (i = 0; i < spec->n_services; i++) {
		snprintf(p, sizeof(p), "jobs.build.strategy.matrix.include[%zu]", i);
		TRY(k8smig_object_append_map(NULL, w, "jobs.build.strategy.matrix.include"));
		snprintf(p, sizeof(p), "jobs.build.strategy.matrix.include[%zu].service", i);
		TRY(k8smig_object_set_str(w, p, spec->services[i].name));
		snprintf(p, sizeof(p), "jobs.build.strategy.matrix.include[%zu].repository", i);
		TRY(k8smig_object_set_str(w, p, spec->services[i].image));
		snprintf(p, sizeof(p), "jobs.build.strategy.matrix.include[%zu].dockerfile", i);
		TRY(k8smig_object_set_str(w, p, spec->services[i].dockerfile));
	}
	TRY(step(w, "build", &s, "Check out"));
	TRY(step_set(w, "build", s, "uses", "actions/checkout@v4"));
	TRY(aws_credentials(w, spec, "build"));
	TRY(step(w, "build", &s, "Log in to ECR"));
	TRY(step_set(w, "build", s, "uses", "aws-actions/amazon-ecr-login@v2"));
	TRY(step(w, "build", &s, "Build and push ${{ matrix.service }}"));
	TRY(step_set(w, "build", s, "run",
	             "image=\"$ECR_REGISTRY/${{ matrix.repository }}:${{ github.sha }}\"\n"
	             "docker build -f \"${{ matrix.dockerfile }}\" -t \"$image\" .\n"
	             "docker push \"$image\"\n"));

	/* deploy: the overlay of the branch's environment, then wait for every rollout */
	TRY(k8smig_object_append_str(NULL, w, "jobs.deploy.needs", "build"));
	TRY(k8smig_object_set_str(w, "jobs.deploy.runs-on", "ubuntu-latest"));
	TRY(step(w, "deploy", &s, "Check out"));
	TRY(step_set(w, "deploy", s, "uses", "actions/checkout@v4"));
	TRY(step(w, "deploy", &s, "Choose the environment of this branch"));
	TRY(step_set(w, "deploy", s, "id", "target"));
	k8smig__buf_puts(&script, "case \"${{ github.ref_name }}\" in\n");
	for (i = 0; i < spec->n_branches; i++) {
		const mig_env *e = k8smig__spec_env(spec, spec->branches[i].environment);
		k8smig__buf_printf(&script, "  %s) env=%s; namespace=%s; tag_policy=%s ;;\n", spec->branches[i].branch, e->name,
		                   e->ns, e->tag_from_commit ? "commit-sha" : "fixed");
	}
	k8smig__buf_puts(&script, "  *) echo \"no environment for branch ${{ github.ref_name }}\"; exit 1 ;;\n"
	                          "esac\n"
	                          "echo \"env=$env\" >> \"$GITHUB_OUTPUT\"\n"
	                          "echo \"namespace=$namespace\" >> \"$GITHUB_OUTPUT\"\n"
	                          "echo \"tag_policy=$tag_policy\" >> \"$GITHUB_OUTPUT\"\n");
	if (script.failed) {
		rc = k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
		goto fail;
	}
	TRY(step_set(w, "deploy", s, "run", k8smig__buf_cstr(&script)));
	k8smig__buf_free(&script);
	TRY(aws_credentials(w, spec, "deploy"));
	TRY(step(w, "deploy", &s, "Configure kubectl for the cluster"));
	TRY(step_set(w, "deploy", s, "run", "aws eks update-kubeconfig --name \"$EKS_CLUSTER\" --region \"$AWS_REGION\"\n"));
	TRY(step(w, "deploy", &s, "Set the image tags to this commit"));
	TRY(step_set(w, "deploy", s, "if", "steps.target.outputs.tag_policy == 'commit-sha'"));
	TRY(step_set(w, "deploy", s, "working-directory", "k8s/overlays/${{ steps.target.outputs.env }}"));
	k8smig__buf_puts(&script, "kustomize edit set image \\\n");
	for (i = 0; i < spec->n_services; i++)
		k8smig__buf_printf(&script, "  %s=$ECR_REGISTRY/%s:${{ github.sha }}%s\n", spec->services[i].image,
		                   spec->services[i].image, i + 1 < spec->n_services ? " \\" : "");
	if (script.failed) {
		rc = k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
		goto fail;
	}
	TRY(step_set(w, "deploy", s, "run", k8smig__buf_cstr(&script)));
	k8smig__buf_free(&script);
	TRY(step(w, "deploy", &s, "Apply the overlay (server-side)"));
	TRY(step_set(w, "deploy", s, "run",
	             "kubectl apply --server-side --field-manager=github-actions -k \"k8s/overlays/${{ steps.target.outputs.env }}\"\n"));
	TRY(step(w, "deploy", &s, "Wait for the rollouts"));
	for (i = 0; i < spec->n_services; i++)
		k8smig__buf_printf(&script,
		                   "kubectl rollout status deployment/%s -n \"${{ steps.target.outputs.namespace }}\" --timeout=300s\n",
		                   spec->services[i].name);
	if (script.failed) {
		rc = k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
		goto fail;
	}
	TRY(step_set(w, "deploy", s, "run", k8smig__buf_cstr(&script)));
	k8smig__buf_free(&script);
	return k8smig__files_add_object(fs, spec, ".github/workflows/deploy.yml", &w, K8SMIG_FORMAT_YAML);
fail:
	k8smig__buf_free(&script);
	k8smig_object_free(w);
	return rc;
}
