/*
 * lib/migrate/artefacts.c - everything beside the application manifests:
 * the cluster-wide monitoring stack (k8s/monitoring), the AWS artefacts as
 * JSON (IAM trust and permission policies of every IRSA role and of the CI
 * role, the CloudWatch dashboard and alarms) and the GitHub Actions
 * workflow. JSON and YAML both come from k8smig_object trees through the
 * library's emitters, so quoting and key order are deterministic.
 */
#include <stdio.h>
#include <stdlib.h>

#include "migrate.h"

#define TRY(expr)                        \
	do {                             \
		if ((rc = (expr)) < 0)   \
			goto fail;       \
	} while (0)

#define PART_OF "app.kubernetes.io/part-of"
#define FLUENT_BIT_IMAGE "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.2"
#define CW_AGENT_IMAGE "public.ecr.aws/cloudwatch-agent/cloudwatch-agent:1.300049.1b929"

/* ---- IAM policy documents ---- */

static int policy_new(k8smig_object **out)
{
	int rc;

	*out = NULL;
	if ((rc = k8smig_object_new(out, NULL, NULL)) < 0)
		return rc;
	if ((rc = k8smig_object_set_str(*out, "Version", "2012-10-17")) < 0 ||
	    (rc = k8smig_object_set_list(*out, "Statement")) < 0) {
		k8smig_object_free(*out);
		*out = NULL;
	}
	return rc;
}

/* Append {Sid, Effect: Allow, Action: [...], Resource: [...]}; arrays NULL-terminated. */
static int allow(k8smig_object *p, const char *sid, const char *const *actions, const char *const *resources)
{
	char path[64];
	size_t i;
	int rc;

	if ((rc = k8smig_object_append_map(&i, p, "Statement")) < 0)
		return rc;
	snprintf(path, sizeof(path), "Statement[%zu]", i);
	{
		char f[96];
		snprintf(f, sizeof(f), "%s.Sid", path);
		if ((rc = k8smig_object_set_str(p, f, sid)) < 0)
			return rc;
		snprintf(f, sizeof(f), "%s.Effect", path);
		if ((rc = k8smig_object_set_str(p, f, "Allow")) < 0)
			return rc;
		snprintf(f, sizeof(f), "%s.Action", path);
		for (; *actions; actions++)
			if ((rc = k8smig_object_append_str(NULL, p, f, *actions)) < 0)
				return rc;
		snprintf(f, sizeof(f), "%s.Resource", path);
		for (; *resources; resources++)
			if ((rc = k8smig_object_append_str(NULL, p, f, *resources)) < 0)
				return rc;
	}
	return 0;
}

/* Trust policy for web identities: each subject may assume the role. */
static int trust_policy(k8smig_object **out, const char *provider_arn, const char *provider, const char *audience,
                        const char *const *subjects, size_t n_subjects, bool like)
{
	k8smig_object *p = NULL;
	char key[512], path[640];
	size_t i;
	int rc;

	TRY(policy_new(&p));
	TRY(k8smig_object_append_map(NULL, p, "Statement"));
	TRY(k8smig_object_set_str(p, "Statement[0].Effect", "Allow"));
	TRY(k8smig_object_set_str(p, "Statement[0].Principal.Federated", provider_arn));
	TRY(k8smig_object_set_str(p, "Statement[0].Action", "sts:AssumeRoleWithWebIdentity"));
	snprintf(key, sizeof(key), "%s:aud", provider);
	snprintf(path, sizeof(path), "Statement[0].Condition.StringEquals[%s]", key);
	TRY(k8smig_object_set_str(p, path, audience));
	/* a list of values is "any of them" */
	snprintf(key, sizeof(key), "%s:sub", provider);
	snprintf(path, sizeof(path), "Statement[0].Condition.%s[%s]", like ? "StringLike" : "StringEquals", key);
	for (i = 0; i < n_subjects; i++)
		TRY(k8smig_object_append_str(NULL, p, path, subjects[i]));
	*out = p;
	return 0;
fail:
	k8smig_object_free(p);
	return rc;
}

/* The IRSA trust policy of a ServiceAccount in the given namespaces. */
static int irsa_trust(k8smig_object **out, const k8smig_spec *spec, const char *sa, const char *const *namespaces,
                      size_t n)
{
	char provider_arn[512], *subs[64] = { NULL };
	size_t i;
	int rc;

	snprintf(provider_arn, sizeof(provider_arn), "arn:%s:iam::%s:oidc-provider/%s", spec->partition,
	         spec->account_id, spec->oidc_provider);
	for (i = 0; i < n && i < 64; i++) {
		size_t len = strlen(namespaces[i]) + strlen(sa) + 32;
		if (!(subs[i] = malloc(len))) {
			while (i--)
				free(subs[i]);
			return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
		}
		snprintf(subs[i], len, "system:serviceaccount:%s:%s", namespaces[i], sa);
	}
	rc = trust_policy(out, provider_arn, spec->oidc_provider, "sts.amazonaws.com", (const char *const *)subs, i, false);
	while (i--)
		free(subs[i]);
	return rc;
}

/* Write a role's two policies, taking both (*trust and *permissions are NULL afterwards, also on failure). */
static int put_role(mig_files *fs, const k8smig_spec *spec, const char *role, k8smig_object **trust,
                    k8smig_object **permissions)
{
	char path[256];
	int rc;

	snprintf(path, sizeof(path), "aws/iam/%s-trust-policy.json", role);
	rc = k8smig__files_add_object(fs, spec, path, trust, K8SMIG_FORMAT_JSON);
	snprintf(path, sizeof(path), "aws/iam/%s-policy.json", role);
	if (rc < 0) {
		k8smig_object_free(*permissions);
		*permissions = NULL;
		return rc;
	}
	return k8smig__files_add_object(fs, spec, path, permissions, K8SMIG_FORMAT_JSON);
}

static int env_namespaces(const k8smig_spec *spec, const char **out)
{
	size_t i;
	for (i = 0; i < spec->n_envs && i < 64; i++)
		out[i] = spec->envs[i].ns;
	return (int)i;
}

static int iam_roles(mig_files *fs, const k8smig_spec *spec)
{
	static const char *const any[] = { "*", NULL };
	static const char *const ecr_token[] = { "ecr:GetAuthorizationToken", NULL };
	static const char *const ecr_pull[] = { "ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage",
	                                        "ecr:GetDownloadUrlForLayer", NULL };
	static const char *const ecr_push[] = { "ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage",
	                                        "ecr:CompleteLayerUpload", "ecr:GetDownloadUrlForLayer",
	                                        "ecr:InitiateLayerUpload", "ecr:PutImage", "ecr:UploadLayerPart", NULL };
	static const char *const sm_read[] = { "secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue", NULL };
	static const char *const ssm_read[] = { "ssm:GetParameter", "ssm:GetParameters", NULL };
	static const char *const logs_write[] = { "logs:CreateLogGroup", "logs:CreateLogStream", "logs:DescribeLogGroups",
	                                          "logs:DescribeLogStreams", "logs:PutLogEvents",
	                                          "logs:PutRetentionPolicy", NULL };
	static const char *const cw_metrics[] = { "cloudwatch:PutMetricData", "ec2:DescribeTags", "ec2:DescribeVolumes",
	                                          "logs:CreateLogGroup", "logs:CreateLogStream", "logs:DescribeLogGroups",
	                                          "logs:DescribeLogStreams", "logs:PutLogEvents",
	                                          "logs:PutRetentionPolicy", NULL };
	static const char *const ssm_agent[] = { "ssm:GetParameter", NULL };
	static const char *const eks_describe[] = { "eks:DescribeCluster", NULL };
	const mig_secret_ref *secrets[64];
	const char *namespaces[64], *one[2] = { NULL, NULL };
	const char *res[66];
	char role[192], arn[512], bufs[64][512];
	k8smig_object *trust = NULL, *perm = NULL;
	size_t n_secrets = k8smig__spec_secrets(spec, secrets, 64), i, j, n;
	int n_ns = env_namespaces(spec, namespaces), rc;

	/* one role per service: pull its own image (the service's later AWS needs go here too) */
	for (i = 0; i < spec->n_services; i++) {
		const mig_service *s = &spec->services[i];
		snprintf(role, sizeof(role), "%s-%s", spec->name, s->name);
		snprintf(arn, sizeof(arn), "arn:%s:ecr:%s:%s:repository/%s", spec->partition, spec->region, spec->account_id,
		         s->image);
		one[0] = arn;
		TRY(irsa_trust(&trust, spec, s->name, namespaces, (size_t)n_ns));
		TRY(policy_new(&perm));
		TRY(allow(perm, "EcrAuthToken", ecr_token, any));
		TRY(allow(perm, "EcrPullOwnImage", ecr_pull, one));
		TRY(put_role(fs, spec, role, &trust, &perm));
	}
	/* External Secrets Operator: read exactly the secrets the spec names */
	if (n_secrets) {
		snprintf(role, sizeof(role), "%s-external-secrets", spec->name);
		TRY(irsa_trust(&trust, spec, MIG_ESO_SA, namespaces, (size_t)n_ns));
		TRY(policy_new(&perm));
		for (n = 0, j = 0; j < n_secrets; j++)
			if (secrets[j]->source == MIG_SECRETS_MANAGER) {
				/* Secrets Manager appends a random 6-character suffix to the ARN */
				snprintf(bufs[n], sizeof(bufs[n]), "arn:%s:secretsmanager:%s:%s:secret:%s-??????", spec->partition,
				         spec->region, spec->account_id, secrets[j]->key);
				res[n] = bufs[n];
				n++;
			}
		res[n] = NULL;
		if (n)
			TRY(allow(perm, "ReadSecretsManagerSecrets", sm_read, res));
		for (n = 0, j = 0; j < n_secrets; j++)
			if (secrets[j]->source == MIG_PARAMETER_STORE) {
				const char *k = secrets[j]->key;
				snprintf(bufs[n], sizeof(bufs[n]), "arn:%s:ssm:%s:%s:parameter/%s", spec->partition, spec->region,
				         spec->account_id, k[0] == '/' ? k + 1 : k);
				res[n] = bufs[n];
				n++;
			}
		res[n] = NULL;
		if (n)
			TRY(allow(perm, "ReadParameters", ssm_read, res));
		TRY(put_role(fs, spec, role, &trust, &perm));
	}
	/* Fluent Bit: write the service log groups only */
	snprintf(role, sizeof(role), "%s-fluent-bit", spec->name);
	one[0] = MIG_MONITORING_NS;
	TRY(irsa_trust(&trust, spec, "fluent-bit", one, 1));
	TRY(policy_new(&perm));
	snprintf(bufs[0], sizeof(bufs[0]), "arn:%s:logs:%s:%s:log-group:%s/*", spec->partition, spec->region,
	         spec->account_id, spec->log_group_prefix);
	snprintf(bufs[1], sizeof(bufs[1]), "arn:%s:logs:%s:%s:log-group:%s/*:log-stream:*", spec->partition,
	         spec->region, spec->account_id, spec->log_group_prefix);
	res[0] = bufs[0];
	res[1] = bufs[1];
	res[2] = NULL;
	TRY(allow(perm, "WriteServiceLogGroups", logs_write, res));
	TRY(put_role(fs, spec, role, &trust, &perm));
	/* CloudWatch agent (Container Insights): the managed CloudWatchAgentServerPolicy's actions */
	snprintf(role, sizeof(role), "%s-cloudwatch-agent", spec->name);
	one[0] = MIG_MONITORING_NS;
	TRY(irsa_trust(&trust, spec, "cloudwatch-agent", one, 1));
	TRY(policy_new(&perm));
	TRY(allow(perm, "ContainerInsightsMetricsAndLogs", cw_metrics, any));
	snprintf(bufs[0], sizeof(bufs[0]), "arn:%s:ssm:%s:%s:parameter/AmazonCloudWatch-*", spec->partition,
	         spec->region, spec->account_id);
	res[0] = bufs[0];
	res[1] = NULL;
	TRY(allow(perm, "ReadAgentConfigParameters", ssm_agent, res));
	TRY(put_role(fs, spec, role, &trust, &perm));
	/* AWS Load Balancer Controller (kube-system); the permission policy is the documented subset below */
	if (k8smig__spec_has_ingress(spec)) {
		static const char *const lbc_describe[] = {
			"acm:DescribeCertificate", "acm:ListCertificates", "ec2:DescribeAccountAttributes",
			"ec2:DescribeAddresses", "ec2:DescribeAvailabilityZones", "ec2:DescribeCoipPools",
			"ec2:DescribeInstances", "ec2:DescribeInternetGateways", "ec2:DescribeNetworkInterfaces",
			"ec2:DescribeSecurityGroups", "ec2:DescribeSubnets", "ec2:DescribeTags", "ec2:DescribeVpcs",
			"ec2:GetCoipPoolUsage", "elasticloadbalancing:DescribeListenerCertificates",
			"elasticloadbalancing:DescribeListeners", "elasticloadbalancing:DescribeLoadBalancerAttributes",
			"elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeRules",
			"elasticloadbalancing:DescribeSSLPolicies", "elasticloadbalancing:DescribeTags",
			"elasticloadbalancing:DescribeTargetGroupAttributes", "elasticloadbalancing:DescribeTargetGroups",
			"elasticloadbalancing:DescribeTargetHealth", "iam:ListServerCertificates", "shield:GetSubscriptionState",
			"waf-regional:GetWebACLForResource", "wafv2:GetWebACLForResource", NULL
		};
		static const char *const lbc_manage[] = {
			"ec2:AuthorizeSecurityGroupIngress", "ec2:CreateSecurityGroup", "ec2:CreateTags", "ec2:DeleteSecurityGroup",
			"ec2:DeleteTags", "ec2:RevokeSecurityGroupIngress", "elasticloadbalancing:AddListenerCertificates",
			"elasticloadbalancing:AddTags", "elasticloadbalancing:CreateListener",
			"elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateRule",
			"elasticloadbalancing:CreateTargetGroup", "elasticloadbalancing:DeleteListener",
			"elasticloadbalancing:DeleteLoadBalancer", "elasticloadbalancing:DeleteRule",
			"elasticloadbalancing:DeleteTargetGroup", "elasticloadbalancing:DeregisterTargets",
			"elasticloadbalancing:ModifyListener", "elasticloadbalancing:ModifyLoadBalancerAttributes",
			"elasticloadbalancing:ModifyRule", "elasticloadbalancing:ModifyTargetGroup",
			"elasticloadbalancing:ModifyTargetGroupAttributes", "elasticloadbalancing:RegisterTargets",
			"elasticloadbalancing:RemoveListenerCertificates", "elasticloadbalancing:RemoveTags",
			"elasticloadbalancing:SetIpAddressType", "elasticloadbalancing:SetSecurityGroups",
			"elasticloadbalancing:SetSubnets", "elasticloadbalancing:SetWebAcl", NULL
		};
		static const char *const lbc_slr[] = { "iam:CreateServiceLinkedRole", NULL };
		snprintf(role, sizeof(role), "%s-aws-load-balancer-controller", spec->name);
		one[0] = "kube-system";
		namespaces[0] = "kube-system";
		TRY(irsa_trust(&trust, spec, MIG_LBC_SA, namespaces, 1));
		TRY(policy_new(&perm));
		TRY(allow(perm, "ServiceLinkedRoleForElb", lbc_slr, any));
		TRY(allow(perm, "DescribeNetworkAndLoadBalancers", lbc_describe, any));
		TRY(allow(perm, "ManageAlbsAndSecurityGroups", lbc_manage, any));
		TRY(put_role(fs, spec, role, &trust, &perm));
	}
	/* CI: GitHub's OIDC provider, one subject per deploying branch */
	{
		char provider_arn[256], *subs[64];
		size_t k;
		snprintf(provider_arn, sizeof(provider_arn), "arn:%s:iam::%s:oidc-provider/token.actions.githubusercontent.com",
		         spec->partition, spec->account_id);
		for (k = 0; k < spec->n_branches && k < 64; k++) {
			snprintf(bufs[k], sizeof(bufs[k]), "repo:%s:ref:refs/heads/%s", spec->ci_repository,
			         spec->branches[k].branch);
			subs[k] = bufs[k];
		}
		TRY(trust_policy(&trust, provider_arn, "token.actions.githubusercontent.com", "sts.amazonaws.com",
		                 (const char *const *)subs, k, false));
		TRY(policy_new(&perm));
		TRY(allow(perm, "EcrAuthToken", ecr_token, any));
		for (k = 0; k < spec->n_services && k < 64; k++) {
			snprintf(bufs[k], sizeof(bufs[k]), "arn:%s:ecr:%s:%s:repository/%s", spec->partition, spec->region,
			         spec->account_id, spec->services[k].image);
			res[k] = bufs[k];
		}
		res[k] = NULL;
		TRY(allow(perm, "EcrPushServiceImages", ecr_push, res));
		snprintf(bufs[0], sizeof(bufs[0]), "arn:%s:eks:%s:%s:cluster/%s", spec->partition, spec->region,
		         spec->account_id, spec->cluster);
		res[0] = bufs[0];
		res[1] = NULL;
		TRY(allow(perm, "DescribeCluster", eks_describe, res));
		TRY(put_role(fs, spec, spec->ci_role_name, &trust, &perm));
	}
	return 0;
fail:
	k8smig_object_free(trust);
	k8smig_object_free(perm);
	return rc;
}

/* ---- CloudWatch dashboard and alarms (Container Insights metrics) ---- */

static int metric_widget(k8smig_object *d, const k8smig_spec *spec, const char *title, const char *metric,
                         const char *dim, const char *ns, const char *value, int x, int y)
{
	char p[96];
	size_t i;
	int rc;

	if ((rc = k8smig_object_append_map(&i, d, "widgets")) < 0)
		return rc;
#define W(field) (snprintf(p, sizeof(p), "widgets[%zu].%s", i, field), p)
	TRY(k8smig_object_set_str(d, W("type"), "metric"));
	TRY(k8smig_object_set_int(d, W("x"), x));
	TRY(k8smig_object_set_int(d, W("y"), y));
	TRY(k8smig_object_set_int(d, W("width"), 8));
	TRY(k8smig_object_set_int(d, W("height"), 6));
	TRY(k8smig_object_set_str(d, W("properties.title"), title));
	TRY(k8smig_object_set_str(d, W("properties.region"), spec->region));
	TRY(k8smig_object_set_str(d, W("properties.stat"), "Average"));
	TRY(k8smig_object_set_int(d, W("properties.period"), 300));
	TRY(k8smig_object_set_str(d, W("properties.view"), "timeSeries"));
	snprintf(p, sizeof(p), "widgets[%zu].properties.metrics[0]", i);
	TRY(k8smig_object_append_str(NULL, d, p, "ContainerInsights"));
	TRY(k8smig_object_append_str(NULL, d, p, metric));
	TRY(k8smig_object_append_str(NULL, d, p, "ClusterName"));
	TRY(k8smig_object_append_str(NULL, d, p, spec->cluster));
	TRY(k8smig_object_append_str(NULL, d, p, "Namespace"));
	TRY(k8smig_object_append_str(NULL, d, p, ns));
	TRY(k8smig_object_append_str(NULL, d, p, dim));
	TRY(k8smig_object_append_str(NULL, d, p, value));
#undef W
	return 0;
fail:
	return rc;
}

static int dashboard(k8smig_object **out, const k8smig_spec *spec)
{
	k8smig_object *d = NULL;
	char title[256];
	size_t e, i;
	int rc, y = 0;

	TRY(k8smig_object_new(&d, NULL, NULL));
	TRY(k8smig_object_set_list(d, "widgets"));
	for (e = 0; e < spec->n_envs; e++) {
		const mig_env *env = &spec->envs[e];
		if (!env->alarms)
			continue;
		for (i = 0; i < spec->n_services; i++, y += 6) {
			const char *svc = spec->services[i].name;
			snprintf(title, sizeof(title), "%s %s: CPU utilization (%%)", env->name, svc);
			TRY(metric_widget(d, spec, title, "pod_cpu_utilization", "PodName", env->ns, svc, 0, y));
			snprintf(title, sizeof(title), "%s %s: memory utilization (%%)", env->name, svc);
			TRY(metric_widget(d, spec, title, "pod_memory_utilization", "PodName", env->ns, svc, 8, y));
			snprintf(title, sizeof(title), "%s %s: running pods", env->name, svc);
			TRY(metric_widget(d, spec, title, "service_number_of_running_pods", "Service", env->ns, svc, 16, y));
		}
	}
	*out = d;
	return 0;
fail:
	k8smig_object_free(d);
	return rc;
}

static int alarm(k8smig_object *a, const k8smig_spec *spec, const mig_env *env, const char *svc, const char *what,
                 const char *metric, const char *dim, int32_t threshold, const char *op, const char *missing,
                 const char *description)
{
	char p[96], name[256];
	size_t i;
	int rc;

	TRY(k8smig_object_append_map(&i, a, "alarms"));
#define A(field) (snprintf(p, sizeof(p), "alarms[%zu].%s", i, field), p)
	snprintf(name, sizeof(name), "%s-%s-%s", env->ns, svc, what);
	TRY(k8smig_object_set_str(a, A("AlarmName"), name));
	TRY(k8smig_object_set_str(a, A("AlarmDescription"), description));
	TRY(k8smig_object_set_str(a, A("Namespace"), "ContainerInsights"));
	TRY(k8smig_object_set_str(a, A("MetricName"), metric));
	TRY(k8smig_object_append_map(NULL, a, A("Dimensions")));
	TRY(k8smig_object_set_str(a, A("Dimensions[0].Name"), "ClusterName"));
	TRY(k8smig_object_set_str(a, A("Dimensions[0].Value"), spec->cluster));
	TRY(k8smig_object_append_map(NULL, a, A("Dimensions")));
	TRY(k8smig_object_set_str(a, A("Dimensions[1].Name"), "Namespace"));
	TRY(k8smig_object_set_str(a, A("Dimensions[1].Value"), env->ns));
	TRY(k8smig_object_append_map(NULL, a, A("Dimensions")));
	TRY(k8smig_object_set_str(a, A("Dimensions[2].Name"), dim));
	TRY(k8smig_object_set_str(a, A("Dimensions[2].Value"), svc));
	TRY(k8smig_object_set_str(a, A("Statistic"), "Average"));
	TRY(k8smig_object_set_int(a, A("Period"), 300));
	TRY(k8smig_object_set_int(a, A("EvaluationPeriods"), 2));
	TRY(k8smig_object_set_int(a, A("Threshold"), threshold));
	TRY(k8smig_object_set_str(a, A("ComparisonOperator"), op));
	TRY(k8smig_object_set_str(a, A("TreatMissingData"), missing));
	if (spec->sns_topic_arn) {
		TRY(k8smig_object_append_str(NULL, a, A("AlarmActions"), spec->sns_topic_arn));
		TRY(k8smig_object_append_str(NULL, a, A("OKActions"), spec->sns_topic_arn));
	}
#undef A
	return 0;
fail:
	return rc;
}

static int alarms(k8smig_object **out, const k8smig_spec *spec)
{
	k8smig_object *a = NULL;
	char desc[256];
	size_t e, i;
	int rc;

	TRY(k8smig_object_new(&a, NULL, NULL));
	TRY(k8smig_object_set_list(a, "alarms"));
	for (e = 0; e < spec->n_envs; e++) {
		const mig_env *env = &spec->envs[e];
		if (!env->alarms)
			continue;
		for (i = 0; i < spec->n_services; i++) {
			const char *svc = spec->services[i].name;
			snprintf(desc, sizeof(desc), "%s in %s: CPU above %d%% of the request", svc, env->ns, (int)spec->alarm_cpu);
			TRY(alarm(a, spec, env, svc, "high-cpu", "pod_cpu_utilization_over_pod_limit", "PodName", spec->alarm_cpu,
			          "GreaterThanThreshold", "notBreaching", desc));
			snprintf(desc, sizeof(desc), "%s in %s: memory above %d%% of the limit", svc, env->ns,
			         (int)spec->alarm_memory);
			TRY(alarm(a, spec, env, svc, "high-memory", "pod_memory_utilization_over_pod_limit", "PodName",
			          spec->alarm_memory, "GreaterThanThreshold", "notBreaching", desc));
			snprintf(desc, sizeof(desc), "%s in %s: fewer than %d running pods", svc, env->ns,
			         (int)spec->alarm_min_pods);
			/* no data means no pods: that must alarm too */
			TRY(alarm(a, spec, env, svc, "low-pods", "service_number_of_running_pods", "Service",
			          spec->alarm_min_pods, "LessThanThreshold", "breaching", desc));
		}
	}
	*out = a;
	return 0;
fail:
	k8smig_object_free(a);
	return rc;
}

/* An object as JSON text (the object is not taken). */
static int json_text(char **out, const k8smig_object *o)
{
	k8smig_emit_options eo = K8SMIG_EMIT_OPTIONS_INIT;
	eo.format = K8SMIG_FORMAT_JSON;
	return k8smig_object_emit(out, NULL, o, &eo);
}

/* ---- k8s/monitoring: cluster-wide, namespace amazon-cloudwatch ---- */

static int monitoring_identity(k8smig_object_list *l, const k8smig_spec *spec, const char *sa,
                               const char *const *api_groups, const char *const *resources,
                               const char *const *verbs)
{
	k8smig_object *o = NULL;
	char role[192], arn[512];
	int rc;

	snprintf(role, sizeof(role), "%s-%s", spec->name, sa);
	k8smig__role_arn(arn, sizeof(arn), spec, role);
	TRY(k8smig_service_account_new(&o, sa, MIG_MONITORING_NS));
	TRY(k8smig_object_set_label(o, PART_OF, spec->name));
	TRY(k8smig_service_account_set_irsa(o, arn, true));
	TRY(k8smig__list_take(l, &o));
	snprintf(role, sizeof(role), "%s-read", sa);
	TRY(k8smig_role_new(&o, role, NULL));
	TRY(k8smig_object_set_label(o, PART_OF, spec->name));
	TRY(k8smig_role_add_rule(NULL, o, api_groups, resources, verbs, NULL));
	TRY(k8smig__list_take(l, &o));
	TRY(k8smig_role_binding_new(&o, role, NULL, "ClusterRole", role));
	TRY(k8smig_object_set_label(o, PART_OF, spec->name));
	TRY(k8smig_role_binding_add_subject(o, "ServiceAccount", sa, MIG_MONITORING_NS));
	TRY(k8smig__list_take(l, &o));
	return 0;
fail:
	k8smig_object_free(o);
	return rc;
}

static int fluent_bit(mig_files *fs, const k8smig_spec *spec)
{
	static const char *const core[] = { "", NULL };
	static const char *const pods[] = { "namespaces", "pods", NULL };
	static const char *const read_verbs[] = { "get", "list", "watch", NULL };
	k8smig_fluent_bit_options fb = K8SMIG_FLUENT_BIT_OPTIONS_INIT;
	const char *namespaces[65];
	k8smig_object_list *l = NULL;
	k8smig_object *o = NULL;
	size_t c, i;
	int rc;

	TRY(k8smig_object_list_new(&l));
	/* the kubernetes filter reads pod metadata: the service label names the log group */
	TRY(monitoring_identity(l, spec, "fluent-bit", core, pods, read_verbs));
	TRY(k8smig_daemon_set_new(&o, "fluent-bit", MIG_MONITORING_NS));
	TRY(k8smig_object_set_label(o, PART_OF, spec->name));
	TRY(k8smig_object_set_label(o, "k8s-app", "fluent-bit"));
	TRY(k8smig_pod_set_template_label(o, "k8s-app", "fluent-bit"));
	TRY(k8smig_workload_set_update_strategy(o, "RollingUpdate", NULL, "1"));
	TRY(k8smig_pod_set_service_account(o, "fluent-bit"));
	TRY(k8smig_pod_set_node_selector(o, "kubernetes.io/os", "linux"));
	TRY(k8smig_pod_add_toleration(o, NULL, "Exists", NULL, NULL, K8SMIG_UNSET));
	TRY(k8smig_pod_set_termination_grace_period(o, 10));
	TRY(k8smig_pod_add_volume(NULL, o, "varlog", K8SMIG_VOLUME_HOST_PATH, "/var/log"));
	TRY(k8smig_pod_add_volume(NULL, o, "state", K8SMIG_VOLUME_HOST_PATH, "/var/fluent-bit/state"));
	TRY(k8smig_pod_add_volume(NULL, o, "config", K8SMIG_VOLUME_CONFIG_MAP, "fluent-bit-config"));
	TRY(k8smig_pod_add_container(&c, o, "fluent-bit", FLUENT_BIT_IMAGE));
	TRY(k8smig_container_add_env(o, c, "AWS_REGION", spec->region));
	TRY(k8smig_container_add_env_ref(o, c, "HOST_NAME", K8SMIG_ENV_FIELD, NULL, "spec.nodeName"));
	TRY(k8smig_container_set_resources(o, c, "100m", "200Mi", NULL, "200Mi"));
	TRY(k8smig_container_add_volume_mount(o, c, "varlog", "/var/log", true, NULL));
	TRY(k8smig_container_add_volume_mount(o, c, "state", "/var/fluent-bit/state", false, NULL));
	TRY(k8smig_container_add_volume_mount(o, c, "config", "/fluent-bit/etc/", true, NULL));
	TRY(k8smig__list_take(l, &o));
	TRY(k8smig__files_add_yaml(fs, spec, "k8s/monitoring/fluent-bit.yaml", l));
	k8smig_object_list_free(l);
	l = NULL;

	/* the ECS log groups, reused: one per service, only from the system's namespaces */
	for (i = 0; i < spec->n_envs && i < 64; i++)
		namespaces[i] = spec->envs[i].ns;
	namespaces[i] = NULL;
	fb.region = spec->region;
	fb.log_group_prefix = spec->log_group_prefix;
	fb.namespaces = namespaces;
	fb.log_retention_days = spec->retention_days;
	TRY(k8smig_object_list_new(&l));
	TRY(k8smig_fluent_bit_config_new(&o, "fluent-bit-config", MIG_MONITORING_NS, &fb));
	TRY(k8smig_object_set_label(o, PART_OF, spec->name));
	TRY(k8smig__list_take(l, &o));
	TRY(k8smig__files_add_yaml(fs, spec, "k8s/monitoring/fluent-bit-config.yaml", l));
	k8smig_object_list_free(l);
	return 0;
fail:
	k8smig_object_free(o);
	k8smig_object_list_free(l);
	return rc;
}

static int container_insights(mig_files *fs, const k8smig_spec *spec)
{
	static const char *const groups[] = { "", "apps", "batch", "discovery.k8s.io", NULL };
	static const char *const resources[] = { "pods", "nodes", "endpoints", "services", "replicasets", "jobs",
	                                         "endpointslices", "nodes/proxy", "nodes/stats", NULL };
	static const char *const verbs[] = { "get", "list", "watch", NULL };
	k8smig_object_list *l = NULL;
	k8smig_object *o = NULL;
	char config[1024];
	size_t c;
	int rc;

	TRY(k8smig_object_list_new(&l));
	TRY(monitoring_identity(l, spec, "cloudwatch-agent", groups, resources, verbs));
	/* the agent's Container Insights configuration: cluster metrics every 60 s */
	snprintf(config, sizeof(config),
	         "{\n"
	         "  \"agent\": {\n"
	         "    \"region\": \"%s\"\n"
	         "  },\n"
	         "  \"logs\": {\n"
	         "    \"metrics_collected\": {\n"
	         "      \"kubernetes\": {\n"
	         "        \"cluster_name\": \"%s\",\n"
	         "        \"metrics_collection_interval\": 60\n"
	         "      }\n"
	         "    },\n"
	         "    \"force_flush_interval\": 5\n"
	         "  }\n"
	         "}\n",
	         spec->region, spec->cluster);
	TRY(k8smig_config_map_new(&o, "cwagentconfig", MIG_MONITORING_NS));
	TRY(k8smig_object_set_label(o, PART_OF, spec->name));
	TRY(k8smig_config_map_set(o, "cwagentconfig.json", config));
	TRY(k8smig__list_take(l, &o));
	TRY(k8smig_daemon_set_new(&o, "cloudwatch-agent", MIG_MONITORING_NS));
	TRY(k8smig_object_set_label(o, PART_OF, spec->name));
	TRY(k8smig_object_set_label(o, "k8s-app", "cloudwatch-agent"));
	TRY(k8smig_pod_set_template_label(o, "k8s-app", "cloudwatch-agent"));
	TRY(k8smig_pod_set_service_account(o, "cloudwatch-agent"));
	TRY(k8smig_pod_set_node_selector(o, "kubernetes.io/os", "linux"));
	TRY(k8smig_pod_set_termination_grace_period(o, 60));
	TRY(k8smig_pod_add_volume(NULL, o, "cwagentconfig", K8SMIG_VOLUME_CONFIG_MAP, "cwagentconfig"));
	TRY(k8smig_pod_add_volume(NULL, o, "rootfs", K8SMIG_VOLUME_HOST_PATH, "/"));
	TRY(k8smig_pod_add_volume(NULL, o, "containerdsock", K8SMIG_VOLUME_HOST_PATH, "/run/containerd/containerd.sock"));
	TRY(k8smig_pod_add_volume(NULL, o, "sys", K8SMIG_VOLUME_HOST_PATH, "/sys"));
	TRY(k8smig_pod_add_volume(NULL, o, "devdisk", K8SMIG_VOLUME_HOST_PATH, "/dev/disk/"));
	TRY(k8smig_pod_add_container(&c, o, "cloudwatch-agent", CW_AGENT_IMAGE));
	TRY(k8smig_container_add_env_ref(o, c, "HOST_IP", K8SMIG_ENV_FIELD, NULL, "status.hostIP"));
	TRY(k8smig_container_add_env_ref(o, c, "HOST_NAME", K8SMIG_ENV_FIELD, NULL, "spec.nodeName"));
	TRY(k8smig_container_add_env_ref(o, c, "K8S_NAMESPACE", K8SMIG_ENV_FIELD, NULL, "metadata.namespace"));
	TRY(k8smig_container_add_env(o, c, "CI_VERSION", "k8s/1.3.17"));
	TRY(k8smig_container_set_resources(o, c, "200m", "200Mi", NULL, "200Mi"));
	TRY(k8smig_container_add_volume_mount(o, c, "cwagentconfig", "/etc/cwagentconfig", true, NULL));
	TRY(k8smig_container_add_volume_mount(o, c, "rootfs", "/rootfs", true, NULL));
	TRY(k8smig_container_add_volume_mount(o, c, "containerdsock", "/run/containerd/containerd.sock", true, NULL));
	TRY(k8smig_container_add_volume_mount(o, c, "sys", "/sys", true, NULL));
	TRY(k8smig_container_add_volume_mount(o, c, "devdisk", "/dev/disk", true, NULL));
	TRY(k8smig__list_take(l, &o));
	TRY(k8smig__files_add_yaml(fs, spec, "k8s/monitoring/cloudwatch-insights-config.yaml", l));
	k8smig_object_list_free(l);
	return 0;
fail:
	k8smig_object_free(o);
	k8smig_object_list_free(l);
	return rc;
}

static int prometheus_alerts(mig_files *fs, const k8smig_spec *spec)
{
	k8smig__buf sel = K8SMIG__BUF_INIT;
	k8smig_object_list *l = NULL;
	k8smig_object *o = NULL;
	char expr[1024], summary[256], name[128];
	size_t g, a, i;
	int rc;

	/* every environment's namespace: one rule for the system */
	k8smig__buf_puts(&sel, "namespace=~\"");
	for (i = 0; i < spec->n_envs; i++)
		k8smig__buf_printf(&sel, "%s%s", i ? "|" : "", spec->envs[i].ns);
	k8smig__buf_putc(&sel, '"');
	if (sel.failed) {
		rc = k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
		goto fail;
	}
	snprintf(name, sizeof(name), "%s-alerts", spec->name);
	TRY(k8smig_prometheus_rule_new(&o, name, MIG_MONITORING_NS));
	TRY(k8smig_object_set_label(o, PART_OF, spec->name));
	TRY(k8smig_prometheus_rule_add_group(&g, o, spec->name, "1m"));

	snprintf(expr, sizeof(expr),
	         "sum by (namespace, pod) (rate(container_cpu_usage_seconds_total{%s,container=\"" MIG_CONTAINER "\"}[5m]))\n"
	         "  / sum by (namespace, pod) (kube_pod_container_resource_requests{%s,container=\"" MIG_CONTAINER "\",resource=\"cpu\"})\n"
	         "  > %g\n",
	         k8smig__buf_cstr(&sel), k8smig__buf_cstr(&sel), spec->alarm_cpu / 100.0);
	TRY(k8smig_prometheus_rule_add_alert(&a, o, g, "HighCPUUtilization", expr, "5m"));
	TRY(k8smig_prometheus_rule_set_alert_label(o, g, a, "severity", "warning"));
	snprintf(summary, sizeof(summary), "CPU above %d%% of the request on {{ $labels.namespace }}/{{ $labels.pod }}",
	         (int)spec->alarm_cpu);
	TRY(k8smig_prometheus_rule_set_alert_annotation(o, g, a, "summary", summary));

	snprintf(expr, sizeof(expr),
	         "sum by (namespace, pod) (container_memory_working_set_bytes{%s,container=\"" MIG_CONTAINER "\"})\n"
	         "  / sum by (namespace, pod) (kube_pod_container_resource_limits{%s,container=\"" MIG_CONTAINER "\",resource=\"memory\"})\n"
	         "  > %g\n",
	         k8smig__buf_cstr(&sel), k8smig__buf_cstr(&sel), spec->alarm_memory / 100.0);
	TRY(k8smig_prometheus_rule_add_alert(&a, o, g, "HighMemoryUtilization", expr, "5m"));
	TRY(k8smig_prometheus_rule_set_alert_label(o, g, a, "severity", "warning"));
	snprintf(summary, sizeof(summary), "memory above %d%% of the limit on {{ $labels.namespace }}/{{ $labels.pod }}",
	         (int)spec->alarm_memory);
	TRY(k8smig_prometheus_rule_set_alert_annotation(o, g, a, "summary", summary));

	snprintf(expr, sizeof(expr), "kube_deployment_status_replicas_available{%s} < %d", k8smig__buf_cstr(&sel),
	         (int)spec->alarm_min_pods);
	TRY(k8smig_prometheus_rule_add_alert(&a, o, g, "TooFewAvailablePods", expr, "1m"));
	TRY(k8smig_prometheus_rule_set_alert_label(o, g, a, "severity", "critical"));
	snprintf(summary, sizeof(summary), "{{ $labels.namespace }}/{{ $labels.deployment }} has fewer than %d available pods",
	         (int)spec->alarm_min_pods);
	TRY(k8smig_prometheus_rule_set_alert_annotation(o, g, a, "summary", summary));
	TRY(k8smig_object_list_new(&l));
	TRY(k8smig__list_take(l, &o));
	TRY(k8smig__files_add_yaml(fs, spec, "k8s/monitoring/alerts.yaml", l));
	k8smig_object_list_free(l);
	k8smig__buf_free(&sel);
	return 0;
fail:
	k8smig__buf_free(&sel);
	k8smig_object_free(o);
	k8smig_object_list_free(l);
	return rc;
}

/* A ConfigMap carrying a CloudWatch definition next to the manifests (the put-* command in its annotation). */
static int cloudwatch_config_map(mig_files *fs, const k8smig_spec *spec, const char *path, const char *name,
                                 const char *key, const k8smig_object *def, const char *how)
{
	k8smig_object_list *l = NULL;
	k8smig_object *o = NULL;
	char *text = NULL;
	int rc;

	TRY(json_text(&text, def));
	TRY(k8smig_config_map_new(&o, name, MIG_MONITORING_NS));
	TRY(k8smig_object_set_label(o, PART_OF, spec->name));
	TRY(k8smig_object_set_annotation(o, "k8smig.io/apply-with", how));
	TRY(k8smig_config_map_set(o, key, text));
	TRY(k8smig_object_list_new(&l));
	TRY(k8smig__list_take(l, &o));
	TRY(k8smig__files_add_yaml(fs, spec, path, l));
	rc = 0;
fail:
	k8smig_free(text);
	k8smig_object_free(o);
	k8smig_object_list_free(l);
	return rc;
}

int k8smig__plan_monitoring(mig_files *fs, const k8smig_spec *spec)
{
	static const char *const resources[] = { "namespace.yaml", "fluent-bit.yaml", "fluent-bit-config.yaml",
	                                         "cloudwatch-insights-config.yaml", "alerts.yaml",
	                                         "cloudwatch-dashboard.yaml", "cloudwatch-alarms.yaml", NULL };
	k8smig_object_list *l = NULL;
	k8smig_object *o = NULL, *dash = NULL, *alarm_set = NULL;
	char how[512];
	size_t i;
	int rc;

	TRY(k8smig_object_list_new(&l));
	TRY(k8smig_namespace_new(&o, MIG_MONITORING_NS));
	TRY(k8smig_object_set_label(o, "name", MIG_MONITORING_NS));
	TRY(k8smig__list_take(l, &o));
	TRY(k8smig__files_add_yaml(fs, spec, "k8s/monitoring/namespace.yaml", l));
	k8smig_object_list_free(l);
	l = NULL;
	TRY(fluent_bit(fs, spec));
	TRY(container_insights(fs, spec));
	TRY(prometheus_alerts(fs, spec));

	TRY(dashboard(&dash, spec));
	TRY(alarms(&alarm_set, spec));
	snprintf(how, sizeof(how), "aws cloudwatch put-dashboard --dashboard-name %s --dashboard-body file://aws/cloudwatch-dashboard.json",
	         spec->name);
	TRY(cloudwatch_config_map(fs, spec, "k8s/monitoring/cloudwatch-dashboard.yaml", "cloudwatch-dashboard",
	                          "dashboard.json", dash, how));
	TRY(cloudwatch_config_map(fs, spec, "k8s/monitoring/cloudwatch-alarms.yaml", "cloudwatch-alarms", "alarms.json",
	                          alarm_set, "see k8s/monitoring/README: one aws cloudwatch put-metric-alarm per entry of aws/cloudwatch-alarms.json"));
	TRY(k8smig__files_add_object(fs, spec, "aws/cloudwatch-dashboard.json", &dash, K8SMIG_FORMAT_JSON));
	TRY(k8smig__files_add_object(fs, spec, "aws/cloudwatch-alarms.json", &alarm_set, K8SMIG_FORMAT_JSON));

	TRY(k8smig_kustomization_new(&o));
	for (i = 0; resources[i]; i++)
		TRY(k8smig_kustomization_add_resource(o, resources[i]));
	TRY(k8smig__files_add_object(fs, spec, "k8s/monitoring/kustomization.yaml", &o, K8SMIG_FORMAT_YAML));
	return iam_roles(fs, spec);
fail:
	k8smig_object_free(o);
	k8smig_object_free(dash);
	k8smig_object_free(alarm_set);
	k8smig_object_list_free(l);
	return rc;
}

/* ---- .github/workflows/deploy.yml ---- */

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

static int workflow(mig_files *fs, const k8smig_spec *spec)
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

int k8smig__artefacts(mig_files *fs, const k8smig_spec *spec)
{
	return workflow(fs, spec);
}
