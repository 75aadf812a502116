/*
 * lib/migrate/fargate.c - the EKS Fargate part of the tree, only when a
 * service of the spec says `fargate: true` (docs/aws.md, "Fargate"):
 *
 *  - aws/fargate/<env>-profile.json: the input of `aws eks
 *    create-fargate-profile --cli-input-json`, one profile per environment
 *    whose selectors (namespace + the service's pod labels) match exactly the
 *    pods of that environment's Fargate services, run with that
 *    environment's pod execution role (its IAM documents: iam.c);
 *  - k8s/monitoring/fargate-logging.yaml: the aws-observability Namespace
 *    and its aws-logging ConfigMap, the configuration of Fargate's built-in
 *    Fluent Bit log router (DaemonSets, so the system's Fluent Bit, do not
 *    run on Fargate): each environment's pods into that environment's log
 *    groups, as the Fluent Bit DaemonSet does on the nodes.
 *
 * The Ingress already uses target-type ip for every route (plan.c), which
 * Fargate pods need: they have no node port.
 */
#include <stdio.h>
#include <stdlib.h>

#include "migrate.h"

/* EKS limits (fargate-profile.adoc of awsdocs/amazon-eks-user-guide): selectors per profile, and the size of the
 * aws-logging ConfigMap (fargate-logging.adoc) */
#define MAX_SELECTORS 5
#define MAX_LOGGING_CHARS 5300
#define OBSERVABILITY_NS "aws-observability"

bool k8smig__spec_has_fargate(const k8smig_spec *spec)
{
	size_t i;
	for (i = 0; i < spec->n_services; i++)
		if (spec->services[i].fargate)
			return true;
	return false;
}

void k8smig__fargate_profile_name(char *buf, size_t cap, const k8smig_spec *spec, const mig_env *env)
{
	snprintf(buf, cap, "%s-%s", spec->name, env->name);
}

void k8smig__fargate_role_name(char *buf, size_t cap, const k8smig_spec *spec, const mig_env *env)
{
	snprintf(buf, cap, "%s-%s-fargate-pod-execution", spec->name, env->name);
}

/* What Fargate cannot do for a service in env: fail with the service's path. */
static int check_service(const k8smig_spec *spec, size_t i, const mig_env *env)
{
	const mig_service *s = &spec->services[i];
	char path[64];

	snprintf(path, sizeof(path), "services[%zu].fargate", i);
	/* EFS on Fargate: static provisioning only (storage/efs-csi.adoc) */
	if (s->n_mounts && !env->static_volumes)
		return k8smig__error_set(K8SMIG_ESCHEMA, path,
		                         "%s mounts EFS volumes, which Fargate only mounts as static volumes: set "
		                         "environments.%s.storage.reuseExisting: true, or run %s on the node groups",
		                         s->name, env->name, s->name);
	return 0;
}

static int profile(mig_files *fs, const k8smig_spec *spec, const mig_env *env)
{
	k8smig_object *o = NULL;
	char name[192], role[192], arn[512], p[192], path[256];
	size_t i, n = 0;
	int rc;

	k8smig__fargate_profile_name(name, sizeof(name), spec, env);
	k8smig__fargate_role_name(role, sizeof(role), spec, env);
	k8smig__role_arn(arn, sizeof(arn), spec, role);
	TRY(k8smig_object_new(&o, NULL, NULL));
	TRY(k8smig_object_set_str(o, "fargateProfileName", name));
	TRY(k8smig_object_set_str(o, "clusterName", spec->cluster));
	TRY(k8smig_object_set_str(o, "podExecutionRoleArn", arn));
	TRY(k8smig_object_set_list(o, "selectors"));
	for (i = 0; i < spec->n_services; i++) {
		const mig_service *s = &spec->services[i];
		if (!s->fargate)
			continue;
		TRY(check_service(spec, i, env));
		if (n == MAX_SELECTORS) {
			snprintf(p, sizeof(p), "services[%zu].fargate", i);
			rc = k8smig__error_set(K8SMIG_ESCHEMA, p,
			                       "more than %d services on Fargate: an EKS Fargate profile has at most %d selectors",
			                       MAX_SELECTORS, MAX_SELECTORS);
			goto fail;
		}
		/* a selector matches the pods with all its labels: exactly this service's pods in this namespace */
		TRY(k8smig_object_append_map(NULL, o, "selectors"));
		snprintf(p, sizeof(p), "selectors[%zu].namespace", n);
		TRY(k8smig_object_set_str(o, p, env->ns));
		snprintf(p, sizeof(p), "selectors[%zu].labels[app.kubernetes.io/name]", n);
		TRY(k8smig_object_set_str(o, p, s->name));
		snprintf(p, sizeof(p), "selectors[%zu].labels[" MIG_PART_OF "]", n);
		TRY(k8smig_object_set_str(o, p, spec->name));
		n++;
	}
	TRY(k8smig_object_set_str(o, "tags[" MIG_PART_OF "]", spec->name));
	TRY(k8smig_object_set_str(o, "tags.environment", env->name));
	snprintf(path, sizeof(path), "aws/fargate/%s-profile.json", env->name);
	return k8smig__files_add_object(fs, spec, path, &o, K8SMIG_FORMAT_JSON);
fail:
	k8smig_object_free(o);
	return rc;
}

/* The log router's configuration: the upstream CloudWatch example (parser crio, kubernetes filter), with one
 * output per environment matching its namespace's tag (kube.var.log.containers.<pod>_<namespace>_<container>-<id>.log). */
static int logging(mig_files *fs, const k8smig_spec *spec)
{
	static const char filters[] = "[FILTER]\n"
	                              "    Name parser\n"
	                              "    Match *\n"
	                              "    Key_name log\n"
	                              "    Parser crio\n"
	                              "[FILTER]\n"
	                              "    Name kubernetes\n"
	                              "    Match kube.*\n"
	                              "    Merge_Log On\n"
	                              "    Keep_Log Off\n"
	                              "    Labels On\n"
	                              "    Annotations Off\n"
	                              "    Buffer_Size 0\n"
	                              "    Kube_Meta_Cache_TTL 300s\n";
	static const char parsers[] = "[PARSER]\n"
	                              "    Name crio\n"
	                              "    Format Regex\n"
	                              "    Regex ^(?<time>[^ ]+) (?<stream>stdout|stderr) (?<logtag>P|F) (?<log>.*)$\n"
	                              "    Time_Key time\n"
	                              "    Time_Format %Y-%m-%dT%H:%M:%S.%L%z\n";
	k8smig__buf out = K8SMIG__BUF_INIT;
	k8smig_object_list *l = NULL;
	k8smig_object *o = NULL;
	size_t i, chars;
	int rc;

	for (i = 0; i < spec->n_envs; i++) {
		const mig_env *e = &spec->envs[i];
		k8smig__buf_printf(&out,
		                   "[OUTPUT]\n"
		                   "    Name cloudwatch_logs\n"
		                   "    Match kube.var.log.containers.*_%s_*\n"
		                   "    region %s\n"
		                   "    log_group_name %s/unlabelled\n"
		                   "    log_group_template %s/$kubernetes['labels']['app.kubernetes.io/name']\n"
		                   "    log_stream_prefix fargate-\n"
		                   "    log_stream_template $kubernetes['pod_name'].$kubernetes['container_name']\n"
		                   "    auto_create_group true\n",
		                   e->ns, spec->region, e->log_group_prefix, e->log_group_prefix);
		if (e->retention_days)
			k8smig__buf_printf(&out, "    log_retention_days %d\n", (int)e->retention_days);
	}
	if (out.failed) {
		rc = k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
		goto fail;
	}
	/* EKS rejects a larger ConfigMap; count what the data holds */
	chars = strlen("flb_log_cw") + strlen("false") + strlen("filters.conf") + strlen(filters) +
	        strlen("output.conf") + out.len + strlen("parsers.conf") + strlen(parsers);
	if (chars > MAX_LOGGING_CHARS) {
		rc = k8smig__error_set(K8SMIG_ESCHEMA, "environments",
		                       "the Fargate log router's aws-logging ConfigMap would hold %zu characters, more than "
		                       "the %d EKS accepts: fewer environments",
		                       chars, MAX_LOGGING_CHARS);
		goto fail;
	}
	TRY(k8smig_object_list_new(&l));
	/* the name and the label are how EKS finds the configuration */
	TRY(k8smig_namespace_new(&o, OBSERVABILITY_NS));
	TRY(k8smig_object_set_label(o, OBSERVABILITY_NS, "enabled"));
	TRY(k8smig_object_set_label(o, MIG_PART_OF, spec->name));
	TRY(k8smig__list_take(l, &o));
	TRY(k8smig_config_map_new(&o, "aws-logging", OBSERVABILITY_NS));
	TRY(k8smig_object_set_label(o, MIG_PART_OF, spec->name));
	TRY(k8smig_config_map_set(o, "flb_log_cw", "false"));
	TRY(k8smig_config_map_set(o, "filters.conf", filters));
	TRY(k8smig_config_map_set(o, "output.conf", k8smig__buf_cstr(&out)));
	TRY(k8smig_config_map_set(o, "parsers.conf", parsers));
	TRY(k8smig__list_take(l, &o));
	TRY(k8smig__files_add_yaml(fs, spec, "k8s/monitoring/fargate-logging.yaml", l));
	rc = 0;
fail:
	k8smig__buf_free(&out);
	k8smig_object_free(o);
	k8smig_object_list_free(l);
	return rc;
}

/* aws/fargate/README.md: the order of the steps, with the commands. */
static int readme(mig_files *fs, const k8smig_spec *spec)
{
	k8smig__buf b = K8SMIG__BUF_INIT;
	char role[192], prof[192];
	size_t i;

	k8smig__buf_printf(&b, "# %s on EKS Fargate\n\nServices on Fargate:", spec->name);
	for (i = 0; i < spec->n_services; i++)
		if (spec->services[i].fargate)
			k8smig__buf_printf(&b, " `%s`", spec->services[i].name);
	k8smig__buf_puts(&b,
	                 ". Each environment has a Fargate profile whose selectors (namespace and the pod labels "
	                 "`app.kubernetes.io/name`, `app.kubernetes.io/part-of`) match exactly those services' pods, and a pod "
	                 "execution role that pulls the images from ECR and writes that environment's log groups.\n\n"
	                 "Fargate runs no DaemonSet: the pods log through Fargate's built-in Fluent Bit log router, configured "
	                 "by `k8s/monitoring/fargate-logging.yaml` (namespace `aws-observability`, ConfigMap `aws-logging`; one "
	                 "per cluster: if the cluster already has one, merge the `[OUTPUT]` sections into it). The router reads "
	                 "it when a pod starts: restart the Fargate pods after changing it.\n\n"
	                 "Container Insights: the add-on's agent does not run on Fargate, so these services have only the "
	                 "running-pods alarm (counted by the agent's leader on a node group: the cluster needs one); pod CPU "
	                 "and memory of Fargate pods need the ADOT collector (docs/aws.md).\n\n"
	                 "Pods on Fargate get private subnets only (no public IP). A profile cannot be changed: to change its "
	                 "selectors, create a new one and delete the old.\n\n");
	for (i = 0; i < spec->n_envs; i++) {
		const mig_env *e = &spec->envs[i];
		k8smig__fargate_role_name(role, sizeof(role), spec, e);
		k8smig__fargate_profile_name(prof, sizeof(prof), spec, e);
		k8smig__buf_printf(&b,
		                   "## %s\n\n```sh\n"
		                   "aws iam create-role --role-name %s \\\n"
		                   "  --assume-role-policy-document file://aws/iam/%s-trust-policy.json\n"
		                   "aws iam attach-role-policy --role-name %s \\\n"
		                   "  --policy-arn arn:%s:iam::aws:policy/AmazonEKSFargatePodExecutionRolePolicy\n"
		                   "aws iam put-role-policy --role-name %s --policy-name logs \\\n"
		                   "  --policy-document file://aws/iam/%s-policy.json\n"
		                   "# the cluster's private subnets (no route to an internet gateway), space-separated\n"
		                   "aws eks create-fargate-profile --cli-input-json file://aws/fargate/%s-profile.json \\\n"
		                   "  --subnets $PRIVATE_SUBNETS\n"
		                   "aws eks wait fargate-profile-active --cluster-name %s --fargate-profile-name %s\n```\n\n",
		                   e->name, role, role, role, spec->partition, role, role, e->name, spec->cluster, prof);
	}
	k8smig__buf_puts(&b, "Then apply `k8s/monitoring` (the log router's configuration) before the overlays, so the "
	                     "first Fargate pods already log.\n");
	return k8smig__files_add_buf(fs, "aws/fargate/README.md", &b);
}

int k8smig__plan_fargate(mig_files *fs, const k8smig_spec *spec, bool *added)
{
	size_t e;
	int rc;

	*added = false;
	if (!k8smig__spec_has_fargate(spec))
		return 0;
	for (e = 0; e < spec->n_envs; e++)
		if ((rc = profile(fs, spec, &spec->envs[e])) < 0)
			return rc;
	if ((rc = logging(fs, spec)) < 0 || (rc = readme(fs, spec)) < 0)
		return rc;
	*added = true;
	return 0;
}
