/*
 * lib/migrate/iam.c - the IAM artefacts (aws/iam/): for every IRSA role (one
 * per service, External Secrets, Fluent Bit, the CloudWatch agent, the AWS
 * Load Balancer Controller) and for the CI role, a trust policy and a
 * permission policy as JSON, each granting only what its user needs.
 */
#include <stdio.h>
#include <stdlib.h>

#include "migrate.h"

/* A growing NULL-terminated list of strings: a statement's resources or a trust policy's subjects. */
typedef struct strv {
	char **v;
	size_t n, cap;
} strv;

/* Append str (malloc'd, taken; NULL means making it failed, with the error set). */
static int strv_take(strv *l, char *str)
{
	if (!str)
		return k8smig_error_last()->code;
	if (l->n + 2 > l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		char **v = realloc(l->v, cap * sizeof(*v));
		if (!v) {
			free(str);
			return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
		}
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = str;
	l->v[l->n] = NULL;
	return 0;
}

#define strv_addf(l, ...) strv_take(l, k8smig__strdupf(__VA_ARGS__))

/* The strings as the NULL-terminated array allow() and trust_policy() take. */
static const char *const *strv_get(const strv *l)
{
	static const char *const none[] = { NULL };
	return l->n ? (const char *const *)l->v : none;
}

/* Empty the list (keeping its memory for the next use). */
static void strv_clear(strv *l)
{
	while (l->n)
		free(l->v[--l->n]);
}

static void strv_free(strv *l)
{
	strv_clear(l);
	free(l->v);
	l->v = NULL;
	l->cap = 0;
}

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
                        const char *const *subjects, bool like)
{
	k8smig_object *p = NULL;
	char key[512], path[640];
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
	for (; *subjects; subjects++)
		TRY(k8smig_object_append_str(NULL, p, path, *subjects));
	*out = p;
	return 0;
fail:
	k8smig_object_free(p);
	return rc;
}

/* The IRSA trust policy of a ServiceAccount in the given NULL-terminated namespaces. */
static int irsa_trust(k8smig_object **out, const k8smig_spec *spec, const char *sa, const char *const *namespaces)
{
	char provider_arn[512];
	strv subs = { 0 };
	int rc = 0;

	snprintf(provider_arn, sizeof(provider_arn), "arn:%s:iam::%s:oidc-provider/%s", spec->partition,
	         spec->account_id, spec->oidc_provider);
	for (; *namespaces && rc == 0; namespaces++)
		rc = strv_addf(&subs, "system:serviceaccount:%s:%s", *namespaces, sa);
	if (rc == 0)
		rc = trust_policy(out, provider_arn, spec->oidc_provider, "sts.amazonaws.com", strv_get(&subs), false);
	strv_free(&subs);
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

int k8smig__plan_iam(mig_files *fs, const k8smig_spec *spec)
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
	const mig_secret_ref *const *secrets = spec->secrets;
	const char *const *namespaces = spec->namespaces;
	const char *one[2] = { NULL, NULL };
	char role[192], arn[512];
	k8smig_object *trust = NULL, *perm = NULL;
	strv res = { 0 };
	size_t n_secrets = spec->n_secrets, i, j;
	int rc;

	/* one role per service: pull its own image (the service's later AWS needs go here too) */
	for (i = 0; i < spec->n_services; i++) {
		const mig_service *s = &spec->services[i];
		snprintf(role, sizeof(role), "%s-%s", spec->name, s->name);
		snprintf(arn, sizeof(arn), "arn:%s:ecr:%s:%s:repository/%s", spec->partition, spec->region, spec->account_id,
		         s->image);
		one[0] = arn;
		TRY(irsa_trust(&trust, spec, s->name, namespaces));
		TRY(policy_new(&perm));
		TRY(allow(perm, "EcrAuthToken", ecr_token, any));
		TRY(allow(perm, "EcrPullOwnImage", ecr_pull, one));
		TRY(put_role(fs, spec, role, &trust, &perm));
	}
	/* External Secrets Operator: read exactly the secrets the spec names */
	if (n_secrets) {
		snprintf(role, sizeof(role), "%s-external-secrets", spec->name);
		TRY(irsa_trust(&trust, spec, MIG_ESO_SA, namespaces));
		TRY(policy_new(&perm));
		strv_clear(&res);
		for (j = 0; j < n_secrets; j++)
			if (secrets[j]->source == MIG_SECRETS_MANAGER) /* Secrets Manager appends a random 6-character suffix */
				TRY(strv_addf(&res, "arn:%s:secretsmanager:%s:%s:secret:%s-??????", spec->partition,
				              spec->region, spec->account_id, secrets[j]->key));
		if (res.n)
			TRY(allow(perm, "ReadSecretsManagerSecrets", sm_read, strv_get(&res)));
		strv_clear(&res);
		for (j = 0; j < n_secrets; j++)
			if (secrets[j]->source == MIG_PARAMETER_STORE) {
				const char *k = secrets[j]->key;
				TRY(strv_addf(&res, "arn:%s:ssm:%s:%s:parameter/%s", spec->partition, spec->region,
				              spec->account_id, k[0] == '/' ? k + 1 : k));
			}
		if (res.n)
			TRY(allow(perm, "ReadParameters", ssm_read, strv_get(&res)));
		TRY(put_role(fs, spec, role, &trust, &perm));
	}
	/* Fluent Bit: write the service log groups only */
	snprintf(role, sizeof(role), "%s-fluent-bit", spec->name);
	one[0] = MIG_MONITORING_NS;
	TRY(irsa_trust(&trust, spec, "fluent-bit", one));
	TRY(policy_new(&perm));
	strv_clear(&res);
	TRY(strv_addf(&res, "arn:%s:logs:%s:%s:log-group:%s/*", spec->partition, spec->region, spec->account_id,
	              spec->log_group_prefix));
	TRY(strv_addf(&res, "arn:%s:logs:%s:%s:log-group:%s/*:log-stream:*", spec->partition, spec->region,
	              spec->account_id, spec->log_group_prefix));
	TRY(allow(perm, "WriteServiceLogGroups", logs_write, strv_get(&res)));
	TRY(put_role(fs, spec, role, &trust, &perm));
	/* CloudWatch agent (Container Insights): the managed CloudWatchAgentServerPolicy's actions */
	snprintf(role, sizeof(role), "%s-cloudwatch-agent", spec->name);
	one[0] = MIG_MONITORING_NS;
	TRY(irsa_trust(&trust, spec, "cloudwatch-agent", one));
	TRY(policy_new(&perm));
	TRY(allow(perm, "ContainerInsightsMetricsAndLogs", cw_metrics, any));
	strv_clear(&res);
	TRY(strv_addf(&res, "arn:%s:ssm:%s:%s:parameter/AmazonCloudWatch-*", spec->partition, spec->region,
	              spec->account_id));
	TRY(allow(perm, "ReadAgentConfigParameters", ssm_agent, strv_get(&res)));
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
		TRY(irsa_trust(&trust, spec, MIG_LBC_SA, one));
		TRY(policy_new(&perm));
		TRY(allow(perm, "ServiceLinkedRoleForElb", lbc_slr, any));
		TRY(allow(perm, "DescribeNetworkAndLoadBalancers", lbc_describe, any));
		TRY(allow(perm, "ManageAlbsAndSecurityGroups", lbc_manage, any));
		TRY(put_role(fs, spec, role, &trust, &perm));
	}
	/* CI: GitHub's OIDC provider, one subject per deploying branch */
	{
		char provider_arn[256];
		snprintf(provider_arn, sizeof(provider_arn), "arn:%s:iam::%s:oidc-provider/token.actions.githubusercontent.com",
		         spec->partition, spec->account_id);
		strv_clear(&res);
		for (i = 0; i < spec->n_branches; i++)
			TRY(strv_addf(&res, "repo:%s:ref:refs/heads/%s", spec->ci_repository, spec->branches[i].branch));
		TRY(trust_policy(&trust, provider_arn, "token.actions.githubusercontent.com", "sts.amazonaws.com",
		                 strv_get(&res), false));
		TRY(policy_new(&perm));
		TRY(allow(perm, "EcrAuthToken", ecr_token, any));
		strv_clear(&res);
		for (i = 0; i < spec->n_services; i++)
			TRY(strv_addf(&res, "arn:%s:ecr:%s:%s:repository/%s", spec->partition, spec->region, spec->account_id,
			              spec->services[i].image));
		TRY(allow(perm, "EcrPushServiceImages", ecr_push, strv_get(&res)));
		strv_clear(&res);
		TRY(strv_addf(&res, "arn:%s:eks:%s:%s:cluster/%s", spec->partition, spec->region, spec->account_id,
		              spec->cluster));
		TRY(allow(perm, "DescribeCluster", eks_describe, strv_get(&res)));
		TRY(put_role(fs, spec, spec->ci_role_name, &trust, &perm));
	}
	rc = 0;
fail:
	strv_free(&res);
	k8smig_object_free(trust);
	k8smig_object_free(perm);
	return rc;
}
