/*
 * lib/migrate/workflow.c - the CI workflow (.github/workflows/deploy.yml):
 * build and push each service's image to ECR, tagged with the commit, then
 * promote it dev -> staging -> prod (one job per environment, each in its
 * GitHub environment, each needing the one before): set the tag, print the
 * diff, apply the overlay as an ApplySet with --wait, roll back when that
 * fails, record the tag in the job summary. The CI role comes through
 * GitHub's OIDC provider (no stored AWS keys); in the cluster it is the
 * group the admin layer's RoleBinding names (k8s/cluster/ci-rbac.yaml).
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

/* Index of the environment a branch deploys (spec order), or n_envs. */
static size_t branch_env(const k8smig_spec *spec, size_t b)
{
	size_t i;
	for (i = 0; i < spec->n_envs && strcmp(spec->envs[i].name, spec->branches[b].environment); i++)
		;
	return i;
}

/* The `kustomize edit set image` of every service, with the tag in $TAG. */
static void set_image_script(k8smig__buf *b, const k8smig_spec *spec)
{
	size_t i;

	k8smig__buf_puts(b, "kustomize edit set image \\\n");
	for (i = 0; i < spec->n_services; i++)
		k8smig__buf_printf(b, "  \"%s=$ECR_REGISTRY/%s:$TAG\"%s\n", spec->services[i].image, spec->services[i].image,
		                   i + 1 < spec->n_services ? " \\" : "");
}

/*
 * One deploy job per environment, in spec order, each needing the one before:
 * a commit reaches an environment only after it rolled out in every earlier
 * one. A branch deploys its environment and, first, every earlier one. Each
 * job runs in its GitHub environment (protection rules: required reviewers
 * on the last one, k8s/README.md), prints the diff, applies the overlay as an
 * ApplySet with --wait, rolls back to the previous revision when that fails,
 * and writes the tag and the revision history into the job summary.
 */
static int deploy_job(k8smig_object *w, const k8smig_spec *spec, size_t e)
{
	const mig_env *env = &spec->envs[e];
	k8smig__buf script = K8SMIG__BUF_INIT;
	char job[160], p[256], arn[512];
	size_t i, s, n_if = 0;
	int rc;

	snprintf(job, sizeof(job), "deploy-%s", env->name);
	snprintf(p, sizeof(p), "jobs.%s.name", job);
	{
		char title[200];
		snprintf(title, sizeof(title), "Deploy to %s", env->name);
		TRY(k8smig_object_set_str(w, p, title));
	}
	snprintf(p, sizeof(p), "jobs.%s.needs", job);
	if (e == 0)
		TRY(k8smig_object_append_str(NULL, w, p, "build"));
	else {
		char prev[160];
		snprintf(prev, sizeof(prev), "deploy-%s", spec->envs[e - 1].name);
		TRY(k8smig_object_append_str(NULL, w, p, prev));
	}
	/* the branches that deploy this environment or a later one */
	k8smig__buf_puts(&script, "contains(fromJSON('[");
	for (i = 0; i < spec->n_branches; i++)
		if (branch_env(spec, i) >= e && branch_env(spec, i) < spec->n_envs)
			k8smig__buf_printf(&script, "%s\"%s\"", n_if++ ? "," : "", spec->branches[i].branch);
	k8smig__buf_puts(&script, "]'), github.ref_name)");
	if (script.failed) {
		rc = k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
		goto fail;
	}
	snprintf(p, sizeof(p), "jobs.%s.if", job);
	TRY(k8smig_object_set_str(w, p, k8smig__buf_cstr(&script)));
	k8smig__buf_free(&script);
	snprintf(p, sizeof(p), "jobs.%s.runs-on", job);
	TRY(k8smig_object_set_str(w, p, "ubuntu-latest"));
	snprintf(p, sizeof(p), "jobs.%s.environment", job);
	TRY(k8smig_object_set_str(w, p, env->name));
	snprintf(p, sizeof(p), "jobs.%s.concurrency.group", job);
	{
		char group[200];
		snprintf(group, sizeof(group), "deploy-%s", env->name);
		TRY(k8smig_object_set_str(w, p, group));
	}
	snprintf(p, sizeof(p), "jobs.%s.concurrency.cancel-in-progress", job);
	TRY(k8smig_object_set_bool(w, p, false));
	snprintf(p, sizeof(p), "jobs.%s.env.ENVIRONMENT", job);
	TRY(k8smig_object_set_str(w, p, env->name));
	snprintf(p, sizeof(p), "jobs.%s.env.NAMESPACE", job);
	TRY(k8smig_object_set_str(w, p, env->ns));
	snprintf(p, sizeof(p), "jobs.%s.env.OVERLAY", job);
	{
		char overlay[200];
		snprintf(overlay, sizeof(overlay), "k8s/overlays/%s", env->name);
		TRY(k8smig_object_set_str(w, p, overlay));
	}
	snprintf(p, sizeof(p), "jobs.%s.env.APPLYSET", job);
	TRY(k8smig_object_set_str(w, p, spec->name));
	snprintf(p, sizeof(p), "jobs.%s.env.TAG", job);
	TRY(k8smig_object_set_str(w, p, env->tag_from_commit ? "${{ github.sha }}" : env->image_tag));
	snprintf(p, sizeof(p), "jobs.%s.env.ROLLOUT_TIMEOUT", job);
	TRY(k8smig_object_set_str(w, p, "5m"));

	TRY(step(w, job, &s, "Check out"));
	TRY(step_set(w, job, s, "uses", "actions/checkout@v4"));
	TRY(aws_credentials(w, spec, job));
	TRY(step(w, job, &s, "Configure kubectl for the cluster"));
	TRY(step_set(w, job, s, "id", "kubeconfig"));
	TRY(step_set(w, job, s, "run", "aws eks update-kubeconfig --name \"$EKS_CLUSTER\" --region \"$AWS_REGION\"\n"));
	TRY(step(w, job, &s, "Install k8smig"));
	TRY(step_set(w, job, s, "id", "install"));
	TRY(step_set(w, job, s, "env.K8SMIG_REPOSITORY", "${{ vars.K8SMIG_REPOSITORY }}"));
	TRY(step_set(w, job, s, "env.K8SMIG_REF", "${{ vars.K8SMIG_REF }}"));
	TRY(step_set(w, job, s, "run",
	             "sudo apt-get update -q\n"
	             "sudo apt-get install -y -q --no-install-recommends meson ninja-build pkg-config libyaml-dev libjansson-dev zlib1g-dev libcurl4-openssl-dev\n"
	             "git clone --depth 1 --branch \"$K8SMIG_REF\" \"$K8SMIG_REPOSITORY\" \"$RUNNER_TEMP/k8smig\"\n"
	             "meson setup \"$RUNNER_TEMP/k8smig/build\" \"$RUNNER_TEMP/k8smig\" -Dtests=false -Dpython=disabled --buildtype=release\n"
	             "sudo meson install -C \"$RUNNER_TEMP/k8smig/build\"\n"
	             "sudo ldconfig\n"
	             "k8smig version\n"));
	TRY(step(w, job, &s, "Set the image tag"));
	TRY(step_set(w, job, s, "id", "tag"));
	TRY(step_set(w, job, s, "working-directory", "${{ env.OVERLAY }}"));
	set_image_script(&script, spec);
	k8smig__buf_puts(&script, "echo \"tag=$TAG\" >> \"$GITHUB_OUTPUT\"\n");
	if (script.failed) {
		rc = k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
		goto fail;
	}
	TRY(step_set(w, job, s, "run", k8smig__buf_cstr(&script)));
	k8smig__buf_free(&script);
	TRY(step(w, job, &s, "Diff against the cluster"));
	TRY(step_set(w, job, s, "id", "diff"));
	/* exit 1 means differences: print them and go on; 2 is an error */
	TRY(step_set(w, job, s, "run",
	             "k8smig diff -k \"$OVERLAY\" --applyset \"$APPLYSET\" -n \"$NAMESPACE\" --color always || [ $? -eq 1 ]\n"));
	TRY(step(w, job, &s, "Apply and wait for the rollout"));
	TRY(step_set(w, job, s, "id", "apply"));
	TRY(step_set(w, job, s, "run",
	             "k8smig apply -k \"$OVERLAY\" --applyset \"$APPLYSET\" -n \"$NAMESPACE\" --prune --wait --timeout \"$ROLLOUT_TIMEOUT\"\n"));
	TRY(step(w, job, &s, "Roll back to the previous revision"));
	TRY(step_set(w, job, s, "id", "rollback"));
	TRY(step_set(w, job, s, "if", "failure() && steps.apply.outcome == 'failure'"));
	TRY(step_set(w, job, s, "run",
	             "k8smig rollback --applyset \"$APPLYSET\" -n \"$NAMESPACE\" --wait --timeout \"$ROLLOUT_TIMEOUT\"\n"));
	TRY(step(w, job, &s, "Record the deployed tag"));
	TRY(step_set(w, job, s, "id", "summary"));
	TRY(step_set(w, job, s, "if", "always()"));
	TRY(step_set(w, job, s, "env.APPLY", "${{ steps.apply.outcome }}"));
	TRY(step_set(w, job, s, "env.ROLLBACK", "${{ steps.rollback.outcome }}"));
	TRY(step_set(w, job, s, "run",
	             "{\n"
	             "  echo \"### $ENVIRONMENT ($NAMESPACE)\"\n"
	             "  echo\n"
	             "  echo \"- tag: \\`$TAG\\` (commit $GITHUB_SHA)\"\n"
	             "  echo \"- apply and rollout: $APPLY; rollback: ${ROLLBACK:-not needed}\"\n"
	             "  echo\n"
	             "  echo '```'\n"
	             "  k8smig history --applyset \"$APPLYSET\" -n \"$NAMESPACE\" || true\n"
	             "  echo '```'\n"
	             "} >> \"$GITHUB_STEP_SUMMARY\"\n"));
	(void)arn;
	return 0;
fail:
	k8smig__buf_free(&script);
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
	/* with GitOps the deploy job commits the pinned tags: it writes to the repository */
	TRY(k8smig_object_set_str(w, "permissions.contents", spec->gitops_repo ? "write" : "read"));
	if (spec->gitops_repo) { /* without GitOps each deploy job has its environment's group */
		TRY(k8smig_object_set_str(w, "concurrency.group", "deploy-${{ github.ref_name }}"));
		TRY(k8smig_object_set_bool(w, "concurrency.cancel-in-progress", false));
	}
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

	if (!spec->gitops_repo) {
		/* dev -> staging -> prod: one job per environment (deploy_job) */
		for (i = 0; i < spec->n_envs; i++)
			TRY(deploy_job(w, spec, i));
		return k8smig__files_add_object(fs, spec, ".github/workflows/deploy.yml", &w, K8SMIG_FORMAT_YAML);
	}
	/* GitOps: pin the tag of the branch's environment in its overlay; Argo CD or Flux applies it */
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
	{
		/* Argo CD applies the overlay (k8s/gitops): pin this commit's images in git, nothing else */
		TRY(step(w, "deploy", &s, "Pin the images of this commit in the overlay"));
		TRY(step_set(w, "deploy", s, "if", "steps.target.outputs.tag_policy == 'commit-sha'"));
		TRY(step_set(w, "deploy", s, "working-directory", "k8s/overlays/${{ steps.target.outputs.env }}"));
		k8smig__buf_puts(&script, "kustomize edit set image \\\n");
		for (i = 0; i < spec->n_services; i++)
			k8smig__buf_printf(&script, "  %s=$ECR_REGISTRY/%s:${{ github.sha }}%s\n", spec->services[i].image,
			                   spec->services[i].image, i + 1 < spec->n_services ? " \\" : "");
		/* [skip ci]: the pushed commit must not start this workflow again */
		k8smig__buf_puts(&script,
		                 "git config user.name github-actions\n"
		                 "git config user.email github-actions@users.noreply.github.com\n"
		                 "git commit -am \"deploy ${{ github.sha }} to ${{ steps.target.outputs.env }} [skip ci]\"\n"
		                 "git push\n");
		if (script.failed) {
			rc = k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
			goto fail;
		}
		TRY(step_set(w, "deploy", s, "run", k8smig__buf_cstr(&script)));
		k8smig__buf_free(&script);
	}
	return k8smig__files_add_object(fs, spec, ".github/workflows/deploy.yml", &w, K8SMIG_FORMAT_YAML);
fail:
	k8smig__buf_free(&script);
	k8smig_object_free(w);
	return rc;
}
