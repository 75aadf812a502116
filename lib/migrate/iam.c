/*
 * lib/migrate/iam.c - the IAM documents of the tree (aws/iam/): a trust
 * policy and, where the role has one of its own, a permission policy per
 * role. Controllers get exactly the statements their upstream release
 * publishes (docs/aws.md names each release; tests/fixtures/aws keeps the
 * statements for the tests); the system's roles are scoped to one
 * environment each, and every IRSA role trusts one ServiceAccount of one
 * namespace. The services themselves get no role: they call no AWS API the
 * spec knows of, and image pulls use the node role (on Fargate, the
 * environment's pod execution role).
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
	if (l->n + 2 > l->cap && k8smig__array_grow(&l->v, &l->cap, 8, sizeof(*l->v)) < 0) {
		free(str);
		return K8SMIG_ENOMEM;
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

/* docs/install/iam_policy.json of aws-load-balancer-controller v3.5.0, statement for statement
 * (tests/fixtures/aws/aws-load-balancer-controller.json) */
static const char *const lbc_policy[] = {
	"Version: '2012-10-17'\n",
	"Statement:\n",
	"- Effect: Allow\n",
	"  Action:\n",
	"  - 'iam:CreateServiceLinkedRole'\n",
	"  Resource:\n",
	"  - '*'\n",
	"  Condition:\n",
	"    StringEquals:\n",
	"      'iam:AWSServiceName': 'elasticloadbalancing.amazonaws.com'\n",
	"- Effect: Allow\n",
	"  Action:\n",
	"  - 'ec2:DescribeAccountAttributes'\n",
	"  - 'ec2:DescribeAddresses'\n",
	"  - 'ec2:DescribeAvailabilityZones'\n",
	"  - 'ec2:DescribeCoipPools'\n",
	"  - 'ec2:DescribeInstances'\n",
	"  - 'ec2:DescribeInternetGateways'\n",
	"  - 'ec2:DescribeIpamPools'\n",
	"  - 'ec2:DescribeNetworkInterfaces'\n",
	"  - 'ec2:DescribeRouteTables'\n",
	"  - 'ec2:DescribeSecurityGroups'\n",
	"  - 'ec2:DescribeSubnets'\n",
	"  - 'ec2:DescribeTags'\n",
	"  - 'ec2:DescribeVpcPeeringConnections'\n",
	"  - 'ec2:DescribeVpcs'\n",
	"  - 'ec2:GetCoipPoolUsage'\n",
	"  - 'ec2:GetSecurityGroupsForVpc'\n",
	"  - 'elasticloadbalancing:DescribeCapacityReservation'\n",
	"  - 'elasticloadbalancing:DescribeListenerAttributes'\n",
	"  - 'elasticloadbalancing:DescribeListenerCertificates'\n",
	"  - 'elasticloadbalancing:DescribeListeners'\n",
	"  - 'elasticloadbalancing:DescribeLoadBalancerAttributes'\n",
	"  - 'elasticloadbalancing:DescribeLoadBalancers'\n",
	"  - 'elasticloadbalancing:DescribeRules'\n",
	"  - 'elasticloadbalancing:DescribeSSLPolicies'\n",
	"  - 'elasticloadbalancing:DescribeTags'\n",
	"  - 'elasticloadbalancing:DescribeTargetGroupAttributes'\n",
	"  - 'elasticloadbalancing:DescribeTargetGroups'\n",
	"  - 'elasticloadbalancing:DescribeTargetHealth'\n",
	"  - 'elasticloadbalancing:DescribeTrustStores'\n",
	"  Resource:\n",
	"  - '*'\n",
	"- Effect: Allow\n",
	"  Action:\n",
	"  - 'acm:DescribeCertificate'\n",
	"  - 'acm:ListCertificates'\n",
	"  - 'cognito-idp:DescribeUserPoolClient'\n",
	"  - 'iam:GetServerCertificate'\n",
	"  - 'iam:ListServerCertificates'\n",
	"  - 'shield:CreateProtection'\n",
	"  - 'shield:DeleteProtection'\n",
	"  - 'shield:DescribeProtection'\n",
	"  - 'shield:GetSubscriptionState'\n",
	"  - 'waf-regional:AssociateWebACL'\n",
	"  - 'waf-regional:DisassociateWebACL'\n",
	"  - 'waf-regional:GetWebACL'\n",
	"  - 'waf-regional:GetWebACLForResource'\n",
	"  - 'wafv2:AssociateWebACL'\n",
	"  - 'wafv2:DisassociateWebACL'\n",
	"  - 'wafv2:GetWebACL'\n",
	"  - 'wafv2:GetWebACLForResource'\n",
	"  Resource:\n",
	"  - '*'\n",
	"- Effect: Allow\n",
	"  Action:\n",
	"  - 'ec2:AuthorizeSecurityGroupIngress'\n",
	"  - 'ec2:RevokeSecurityGroupIngress'\n",
	"  Resource:\n",
	"  - '*'\n",
	"- Effect: Allow\n",
	"  Action:\n",
	"  - 'ec2:CreateSecurityGroup'\n",
	"  Resource:\n",
	"  - '*'\n",
	"- Effect: Allow\n",
	"  Action:\n",
	"  - 'ec2:CreateTags'\n",
	"  Resource:\n",
	"  - 'arn:aws:ec2:*:*:security-group/*'\n",
	"  Condition:\n",
	"    StringEquals:\n",
	"      'ec2:CreateAction': 'CreateSecurityGroup'\n",
	"    Null:\n",
	"      'aws:RequestTag/elbv2.k8s.aws/cluster': 'false'\n",
	"- Effect: Allow\n",
	"  Action:\n",
	"  - 'ec2:CreateTags'\n",
	"  - 'ec2:DeleteTags'\n",
	"  Resource:\n",
	"  - 'arn:aws:ec2:*:*:security-group/*'\n",
	"  Condition:\n",
	"    Null:\n",
	"      'aws:RequestTag/elbv2.k8s.aws/cluster': 'true'\n",
	"      'aws:ResourceTag/elbv2.k8s.aws/cluster': 'false'\n",
	"- Effect: Allow\n",
	"  Action:\n",
	"  - 'ec2:AuthorizeSecurityGroupIngress'\n",
	"  - 'ec2:DeleteSecurityGroup'\n",
	"  - 'ec2:RevokeSecurityGroupIngress'\n",
	"  Resource:\n",
	"  - '*'\n",
	"  Condition:\n",
	"    Null:\n",
	"      'aws:ResourceTag/elbv2.k8s.aws/cluster': 'false'\n",
	"- Effect: Allow\n",
	"  Action:\n",
	"  - 'elasticloadbalancing:CreateLoadBalancer'\n",
	"  - 'elasticloadbalancing:CreateTargetGroup'\n",
	"  Resource:\n",
	"  - '*'\n",
	"  Condition:\n",
	"    Null:\n",
	"      'aws:RequestTag/elbv2.k8s.aws/cluster': 'false'\n",
	"- Effect: Allow\n",
	"  Action:\n",
	"  - 'elasticloadbalancing:CreateListener'\n",
	"  - 'elasticloadbalancing:CreateRule'\n",
	"  - 'elasticloadbalancing:DeleteListener'\n",
	"  - 'elasticloadbalancing:DeleteRule'\n",
	"  Resource:\n",
	"  - '*'\n",
	"- Effect: Allow\n",
	"  Action:\n",
	"  - 'elasticloadbalancing:AddTags'\n",
	"  - 'elasticloadbalancing:RemoveTags'\n",
	"  Resource:\n",
	"  - 'arn:aws:elasticloadbalancing:*:*:loadbalancer/app/*/*'\n",
	"  - 'arn:aws:elasticloadbalancing:*:*:loadbalancer/net/*/*'\n",
	"  - 'arn:aws:elasticloadbalancing:*:*:targetgroup/*/*'\n",
	"  Condition:\n",
	"    Null:\n",
	"      'aws:RequestTag/elbv2.k8s.aws/cluster': 'true'\n",
	"      'aws:ResourceTag/elbv2.k8s.aws/cluster': 'false'\n",
	"- Effect: Allow\n",
	"  Action:\n",
	"  - 'elasticloadbalancing:AddTags'\n",
	"  - 'elasticloadbalancing:RemoveTags'\n",
	"  Resource:\n",
	"  - 'arn:aws:elasticloadbalancing:*:*:listener-rule/app/*/*/*'\n",
	"  - 'arn:aws:elasticloadbalancing:*:*:listener-rule/net/*/*/*'\n",
	"  - 'arn:aws:elasticloadbalancing:*:*:listener/app/*/*/*'\n",
	"  - 'arn:aws:elasticloadbalancing:*:*:listener/net/*/*/*'\n",
	"- Effect: Allow\n",
	"  Action:\n",
	"  - 'elasticloadbalancing:DeleteLoadBalancer'\n",
	"  - 'elasticloadbalancing:DeleteTargetGroup'\n",
	"  - 'elasticloadbalancing:ModifyCapacityReservation'\n",
	"  - 'elasticloadbalancing:ModifyIpPools'\n",
	"  - 'elasticloadbalancing:ModifyListenerAttributes'\n",
	"  - 'elasticloadbalancing:ModifyLoadBalancerAttributes'\n",
	"  - 'elasticloadbalancing:ModifyTargetGroup'\n",
	"  - 'elasticloadbalancing:ModifyTargetGroupAttributes'\n",
	"  - 'elasticloadbalancing:SetIpAddressType'\n",
	"  - 'elasticloadbalancing:SetSecurityGroups'\n",
	"  - 'elasticloadbalancing:SetSubnets'\n",
	"  Resource:\n",
	"  - '*'\n",
	"  Condition:\n",
	"    Null:\n",
	"      'aws:ResourceTag/elbv2.k8s.aws/cluster': 'false'\n",
	"- Effect: Allow\n",
	"  Action:\n",
	"  - 'elasticloadbalancing:AddTags'\n",
	"  Resource:\n",
	"  - 'arn:aws:elasticloadbalancing:*:*:loadbalancer/app/*/*'\n",
	"  - 'arn:aws:elasticloadbalancing:*:*:loadbalancer/net/*/*'\n",
	"  - 'arn:aws:elasticloadbalancing:*:*:targetgroup/*/*'\n",
	"  Condition:\n",
	"    StringEquals:\n",
	"      'elasticloadbalancing:CreateAction': ['CreateTargetGroup', 'CreateLoadBalancer']\n",
	"    Null:\n",
	"      'aws:RequestTag/elbv2.k8s.aws/cluster': 'false'\n",
	"- Effect: Allow\n",
	"  Action:\n",
	"  - 'elasticloadbalancing:DeregisterTargets'\n",
	"  - 'elasticloadbalancing:RegisterTargets'\n",
	"  Resource:\n",
	"  - 'arn:aws:elasticloadbalancing:*:*:targetgroup/*/*'\n",
	"- Effect: Allow\n",
	"  Action:\n",
	"  - 'elasticloadbalancing:AddListenerCertificates'\n",
	"  - 'elasticloadbalancing:ModifyListener'\n",
	"  - 'elasticloadbalancing:ModifyRule'\n",
	"  - 'elasticloadbalancing:RemoveListenerCertificates'\n",
	"  - 'elasticloadbalancing:SetRulePriorities'\n",
	"  - 'elasticloadbalancing:SetWebAcl'\n",
	"  Resource:\n",
	"  - '*'\n",
	NULL
};

/* docs/iam-policy-example.json of aws-efs-csi-driver v3.4.1 (tests/fixtures/aws/aws-efs-csi-driver.json) */
static const char *const efs_policy[] = {
	"Version: '2012-10-17'\n",
	"Statement:\n",
	"- Effect: Allow\n",
	"  Action:\n",
	"  - 'ec2:DescribeAvailabilityZones'\n",
	"  - 'elasticfilesystem:DescribeAccessPoints'\n",
	"  - 'elasticfilesystem:DescribeFileSystems'\n",
	"  - 'elasticfilesystem:DescribeMountTargets'\n",
	"  - 's3files:ListAccessPoints'\n",
	"  - 's3files:ListFileSystems'\n",
	"  Resource:\n",
	"  - '*'\n",
	"- Effect: Allow\n",
	"  Action:\n",
	"  - 'elasticfilesystem:CreateAccessPoint'\n",
	"  - 's3files:CreateAccessPoint'\n",
	"  Resource:\n",
	"  - '*'\n",
	"  Condition:\n",
	"    StringLike:\n",
	"      'aws:RequestTag/efs.csi.aws.com/cluster': 'true'\n",
	"- Effect: Allow\n",
	"  Action:\n",
	"  - 'elasticfilesystem:TagResource'\n",
	"  - 's3files:TagResource'\n",
	"  Resource:\n",
	"  - '*'\n",
	"  Condition:\n",
	"    StringLike:\n",
	"      'aws:ResourceTag/efs.csi.aws.com/cluster': 'true'\n",
	"- Effect: Allow\n",
	"  Action:\n",
	"  - 'elasticfilesystem:DeleteAccessPoint'\n",
	"  - 's3files:DeleteAccessPoint'\n",
	"  Resource:\n",
	"  - '*'\n",
	"  Condition:\n",
	"    StringEquals:\n",
	"      'aws:ResourceTag/efs.csi.aws.com/cluster': 'true'\n",
	NULL
};

/* An upstream policy (YAML lines), with the partition of the spec's region in its ARNs. */
static int upstream_policy(k8smig_object **out, const k8smig_spec *spec, const char *const *lines)
{
	k8smig__buf b = K8SMIG__BUF_INIT;
	k8smig_object_list *l = NULL;
	const char *p, *at;
	int rc;

	*out = NULL;
	for (; *lines; lines++) {
		for (p = *lines; (at = strstr(p, "arn:aws:")); p = at + 8) {
			k8smig__buf_put(&b, p, (size_t)(at - p));
			k8smig__buf_printf(&b, "arn:%s:", spec->partition);
		}
		k8smig__buf_puts(&b, p);
	}
	if (b.failed) {
		k8smig__buf_free(&b);
		return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	}
	rc = k8smig_parse(&l, b.data, b.len, NULL);
	k8smig__buf_free(&b);
	if (rc < 0)
		return rc;
	rc = k8smig_object_list_size(l) == 1 ? k8smig_object_dup(out, k8smig_object_list_get(l, 0))
	                                      : k8smig__error_set(K8SMIG_ERROR, "", "bad built-in policy");
	k8smig_object_list_free(l);
	return rc;
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
	char f[96];
	size_t i;
	int rc;

	if ((rc = k8smig_object_append_map(&i, p, "Statement")) < 0)
		return rc;
	snprintf(f, sizeof(f), "Statement[%zu].Sid", i);
	if ((rc = k8smig_object_set_str(p, f, sid)) < 0)
		return rc;
	snprintf(f, sizeof(f), "Statement[%zu].Effect", i);
	if ((rc = k8smig_object_set_str(p, f, "Allow")) < 0)
		return rc;
	snprintf(f, sizeof(f), "Statement[%zu].Action", i);
	for (; *actions; actions++)
		if ((rc = k8smig_object_append_str(NULL, p, f, *actions)) < 0)
			return rc;
	snprintf(f, sizeof(f), "Statement[%zu].Resource", i);
	for (; *resources; resources++)
		if ((rc = k8smig_object_append_str(NULL, p, f, *resources)) < 0)
			return rc;
	return 0;
}

/* Trust policy for web identities: each of the (NULL-terminated) subjects may assume the role; single: the one
 * subject is written as a plain string. */
static int trust_policy(k8smig_object **out, const char *provider_arn, const char *provider, const char *audience,
                        const char *const *subjects, bool single)
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
	snprintf(key, sizeof(key), "%s:sub", provider);
	snprintf(path, sizeof(path), "Statement[0].Condition.StringEquals[%s]", key);
	if (single)
		TRY(k8smig_object_set_str(p, path, subjects[0]));
	else /* a list of values is "any of them" */
		for (; *subjects; subjects++)
			TRY(k8smig_object_append_str(NULL, p, path, *subjects));
	*out = p;
	return 0;
fail:
	k8smig_object_free(p);
	return rc;
}

/* The IRSA trust policy of one ServiceAccount in the NULL-terminated namespaces (one: the generator's roles). */
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
		rc = trust_policy(out, provider_arn, spec->oidc_provider, "sts.amazonaws.com", strv_get(&subs), subs.n == 1);
	strv_free(&subs);
	return rc;
}

/* Write aws/iam/<role>-trust-policy.json and, unless *permissions is NULL, <role>-policy.json; takes both (*trust
 * and *permissions are NULL afterwards, also on failure). */
static int put_role(mig_files *fs, const k8smig_spec *spec, const char *role, k8smig_object **trust,
                    k8smig_object **permissions)
{
	char path[256];
	int rc;

	snprintf(path, sizeof(path), "aws/iam/%s-trust-policy.json", role);
	rc = k8smig__files_add_object(fs, spec, path, trust, K8SMIG_FORMAT_JSON);
	if (rc < 0 || !*permissions) {
		k8smig_object_free(*permissions);
		*permissions = NULL;
		return rc;
	}
	snprintf(path, sizeof(path), "aws/iam/%s-policy.json", role);
	return k8smig__files_add_object(fs, spec, path, permissions, K8SMIG_FORMAT_JSON);
}

/* External Secrets Operator of one environment: read exactly that environment's secrets. */
static int eso_role(mig_files *fs, const k8smig_spec *spec, const mig_env *env)
{
	/* the documented read-by-name actions (External Secrets v2.9.0); ListSecrets and BatchGetSecretValue on *
	 * are only for dataFrom.find, which the generated ExternalSecrets do not use */
	static const char *const sm_read[] = { "secretsmanager:DescribeSecret", "secretsmanager:GetResourcePolicy",
	                                       "secretsmanager:GetSecretValue", "secretsmanager:ListSecretVersionIds",
	                                       NULL };
	static const char *const ssm_read[] = { "ssm:GetParameter*", NULL };
	const char *ns[2] = { env->ns, NULL };
	k8smig_object *trust = NULL, *perm = NULL;
	strv res = { 0 };
	char role[192];
	size_t j, src;
	int rc;

	snprintf(role, sizeof(role), "%s-%s-external-secrets", spec->name, env->name);
	TRY(irsa_trust(&trust, spec, MIG_ESO_SA, ns));
	TRY(policy_new(&perm));
	for (src = 0; src < 2; src++) {
		strv_clear(&res);
		for (j = 0; j < spec->n_secrets; j++) {
			const char *k = k8smig__secret_key(spec, spec->secrets[j], env);
			if (spec->secrets[j]->source != (mig_secret_source)src)
				continue;
			if (src == MIG_SECRETS_MANAGER) /* Secrets Manager appends a random 6-character suffix to the ARN */
				TRY(strv_addf(&res, "arn:%s:secretsmanager:%s:%s:secret:%s-??????", spec->partition, spec->region,
				              spec->account_id, k));
			else
				TRY(strv_addf(&res, "arn:%s:ssm:%s:%s:parameter/%s", spec->partition, spec->region,
				              spec->account_id, k[0] == '/' ? k + 1 : k));
		}
		if (res.n)
			TRY(allow(perm, src == MIG_SECRETS_MANAGER ? "ReadSecretsByName" : "ReadParametersByName",
			          src == MIG_SECRETS_MANAGER ? sm_read : ssm_read, strv_get(&res)));
	}
	TRY(put_role(fs, spec, role, &trust, &perm));
	rc = 0;
fail:
	strv_free(&res);
	k8smig_object_free(trust);
	k8smig_object_free(perm);
	return rc;
}

/* The Fargate pod execution role of one environment: trusted by EKS Fargate for that environment's profile only
 * (the documented trust policy, its SourceArn narrowed from all profiles of the cluster to this one); the managed
 * AmazonEKSFargatePodExecutionRolePolicy (image pulls) is attached, the inline policy lets the log router write
 * the environment's log groups (the actions of the upstream example's permissions.json). */
static int fargate_role(mig_files *fs, const k8smig_spec *spec, const mig_env *env)
{
	static const char *const logs_write[] = { "logs:CreateLogGroup", "logs:CreateLogStream", "logs:DescribeLogStreams",
	                                          "logs:PutLogEvents", "logs:PutRetentionPolicy", NULL };
	k8smig_object *trust = NULL, *perm = NULL;
	char role[192], prof[192], arn[512];
	strv res = { 0 };
	int rc;

	k8smig__fargate_role_name(role, sizeof(role), spec, env);
	k8smig__fargate_profile_name(prof, sizeof(prof), spec, env);
	snprintf(arn, sizeof(arn), "arn:%s:eks:%s:%s:fargateprofile/%s/%s/*", spec->partition, spec->region,
	         spec->account_id, spec->cluster, prof);
	TRY(policy_new(&trust));
	TRY(k8smig_object_append_map(NULL, trust, "Statement"));
	TRY(k8smig_object_set_str(trust, "Statement[0].Effect", "Allow"));
	TRY(k8smig_object_set_str(trust, "Statement[0].Principal.Service", "eks-fargate-pods.amazonaws.com"));
	TRY(k8smig_object_set_str(trust, "Statement[0].Action", "sts:AssumeRole"));
	TRY(k8smig_object_set_str(trust, "Statement[0].Condition.ArnLike[aws:SourceArn]", arn));
	TRY(policy_new(&perm));
	TRY(strv_addf(&res, "arn:%s:logs:%s:%s:log-group:%s/*", spec->partition, spec->region, spec->account_id,
	              env->log_group_prefix));
	TRY(strv_addf(&res, "arn:%s:logs:%s:%s:log-group:%s/*:log-stream:*", spec->partition, spec->region,
	              spec->account_id, env->log_group_prefix));
	TRY(allow(perm, "WriteEnvironmentLogGroups", logs_write, strv_get(&res)));
	TRY(put_role(fs, spec, role, &trust, &perm));
	rc = 0;
fail:
	strv_free(&res);
	k8smig_object_free(trust);
	k8smig_object_free(perm);
	return rc;
}

/* A controller's role: trust its ServiceAccount, the upstream permission policy. */
static int controller_role(mig_files *fs, const k8smig_spec *spec, const char *suffix, const char *ns, const char *sa,
                           const char *const *policy_text)
{
	k8smig_object *trust = NULL, *perm = NULL;
	char role[192];
	int rc;

	const char *namespaces[2] = { ns, NULL };

	snprintf(role, sizeof(role), "%s-%s", spec->name, suffix);
	TRY(irsa_trust(&trust, spec, sa, namespaces));
	if (policy_text)
		TRY(upstream_policy(&perm, spec, policy_text));
	return put_role(fs, spec, role, &trust, &perm);
fail:
	k8smig_object_free(trust);
	return rc;
}

int k8smig__plan_iam(mig_files *fs, const k8smig_spec *spec)
{
	static const char *const any[] = { "*", NULL };
	static const char *const ecr_token[] = { "ecr:GetAuthorizationToken", NULL };
	static const char *const ecr_push[] = { "ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage",
	                                        "ecr:CompleteLayerUpload", "ecr:GetDownloadUrlForLayer",
	                                        "ecr:InitiateLayerUpload", "ecr:PutImage", "ecr:UploadLayerPart", NULL };
	/* the Fluent Bit cloudwatch_logs output's documented permissions, on the environments' groups only */
	static const char *const logs_write[] = { "logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents",
	                                          "logs:PutRetentionPolicy", NULL };
	static const char *const eks_describe[] = { "eks:DescribeCluster", NULL };
	const char *monitoring[2] = { spec->monitoring_ns, NULL };
	k8smig_object *trust = NULL, *perm = NULL;
	strv res = { 0 };
	char role[192];
	size_t i;
	int rc;

	/* The services call no AWS API the spec knows of: they get no role. Image pulls use the node role. */
	if (spec->n_secrets)
		for (i = 0; i < spec->n_envs; i++)
			TRY(eso_role(fs, spec, &spec->envs[i]));
	if (k8smig__spec_has_fargate(spec))
		for (i = 0; i < spec->n_envs; i++)
			TRY(fargate_role(fs, spec, &spec->envs[i]));
	/* Fluent Bit: every environment's groups, nothing else */
	snprintf(role, sizeof(role), "%s-fluent-bit", spec->name);
	TRY(irsa_trust(&trust, spec, MIG_FLUENT_BIT, monitoring));
	TRY(policy_new(&perm));
	for (i = 0; i < spec->n_envs; i++) {
		TRY(strv_addf(&res, "arn:%s:logs:%s:%s:log-group:%s/*", spec->partition, spec->region, spec->account_id,
		              spec->envs[i].log_group_prefix));
		TRY(strv_addf(&res, "arn:%s:logs:%s:%s:log-group:%s/*:log-stream:*", spec->partition, spec->region,
		              spec->account_id, spec->envs[i].log_group_prefix));
	}
	TRY(allow(perm, "WriteEnvironmentLogGroups", logs_write, strv_get(&res)));
	TRY(put_role(fs, spec, role, &trust, &perm));
	/* CloudWatch agent of the amazon-cloudwatch-observability add-on: the managed CloudWatchAgentServerPolicy is
	 * attached (irsa-setup.md), so only the trust policy is written */
	TRY(controller_role(fs, spec, "cloudwatch-agent", MIG_ADDON_NS, "cloudwatch-agent", NULL));
	if (k8smig__spec_has_ingress(spec))
		TRY(controller_role(fs, spec, "aws-load-balancer-controller", "kube-system", MIG_LBC_SA, lbc_policy));
	if (spec->n_volumes)
		TRY(controller_role(fs, spec, "efs-csi-driver", "kube-system", MIG_EFS_SA, efs_policy));
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
