/*
 * tests/unit/test_builders.c - typed builders of identity.h, config.h,
 * storage.h, networking.h, scaling.h, monitoring.h and kustomize.h
 * (workloads.h is in test_builders_workloads.c). Every failure asserts the
 * code and the field path; failed calls leave no half-written item.
 */
#include <stdio.h>
#include <stdlib.h>

#include "helpers.h"

#define ROLE_ARN_PATH "metadata.annotations[eks.amazonaws.com/role-arn]"
#define ALB_PATH(n) "metadata.annotations[alb.ingress.kubernetes.io/" n "]"

static k8smig_object *make(int (*ctor)(k8smig_object **, const char *, const char *), const char *name, const char *ns)
{
	k8smig_object *o = NULL;
	assert_ok(ctor(&o, name, ns));
	return o;
}

static void assert_round_trips(const k8smig_object *o)
{
	k8smig_object_list *docs = NULL;
	char *text = NULL;
	size_t len = 0;
	assert_ok(k8smig_object_emit(&text, &len, o, NULL));
	assert_ok(k8smig_parse(&docs, text, len, NULL));
	assert_true(k8smig_object_equal(o, k8smig_object_list_get(docs, 0)));
	k8smig_object_list_free(docs);
	k8smig_free(text);
}

/* ---- identity ---------------------------------------------------------------- */

static void test_namespace_and_service_account(void **state)
{
	k8smig_object *o = NULL;
	(void)state;
	assert_ok(k8smig_namespace_new(&o, "layering-detection-dev"));
	assert_string_equal(k8smig_object_kind(o), "Namespace");
	assert_null(k8smig_object_namespace(o));
	k8smig_object_free(o);
	assert_fails(k8smig_namespace_new(&o, "Bad_Name"), K8SMIG_EINVAL, "metadata.name");
	assert_null(o);
	assert_fails(k8smig_namespace_new(&o, "a.b"), K8SMIG_EINVAL, "metadata.name");
	assert_fails(k8smig_service_account_new(&o, "web", "Bad NS"), K8SMIG_EINVAL, "metadata.namespace");
	assert_fails(k8smig_service_account_new(&o, "", "dev"), K8SMIG_EINVAL, "metadata.name");

	o = make(k8smig_service_account_new, "orchestrator", "dev");
	assert_ok(k8smig_service_account_set_irsa(o, "arn:aws:iam::123456789012:role/layering-detection-orchestrator", true));
	assert_string_equal(k8smig_object_annotation(o, "eks.amazonaws.com/sts-regional-endpoints"), "true");
	assert_ok(k8smig_service_account_set_irsa(o, "arn:aws-us-gov:iam::123456789012:role/path/to/r+=,.@_-", false));
	assert_null(k8smig_object_annotation(o, "eks.amazonaws.com/sts-regional-endpoints"));
	assert_ok(k8smig_service_account_set_automount_token(o, false));
	assert_true(k8smig_object_has(o, "automountServiceAccountToken"));
	assert_round_trips(o);
	k8smig_object_free(o);
}

static void test_irsa_rejects_malformed_arns(void **state)
{
	static const char *const bad[] = {
		"arn:aws:iam::12345:role/x", "arn:aws:s3:::bucket", "arn:aws:iam::123456789012:user/x",
		"arn:foo:iam::123456789012:role/x", "arn:aws:iam::123456789012:role/has space", "arn:aws:iam::123456789012:role/",
		"arn:aws:iam:us-east-1:123456789012:role/x", "arn:aws:iam::123456789012:role//x", "", NULL,
		"arn:aws:iam::123456789012:role/a12345678901234567890123456789012345678901234567890123456789012345",
	};
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		k8smig_object *o = make(k8smig_service_account_new, "web", NULL);
		assert_fails(k8smig_service_account_set_irsa(o, bad[i], false), K8SMIG_EINVAL, ROLE_ARN_PATH);
		assert_null(k8smig_object_annotation(o, "eks.amazonaws.com/role-arn"));
		assert_int_equal(k8smig_object_status(o), K8SMIG_EINVAL);
		k8smig_object_free(o);
	}
}

static void test_identity_kind_checks(void **state)
{
	k8smig_object *cm = make(k8smig_config_map_new, "c", NULL);
	static const char *const r[] = { "pods", NULL }, *const v[] = { "get", NULL };
	(void)state;
	assert_fails(k8smig_service_account_set_irsa(cm, "arn:aws:iam::123456789012:role/x", false), K8SMIG_EKIND, "kind");
	assert_fails(k8smig_service_account_set_automount_token(cm, true), K8SMIG_EKIND, "kind");
	assert_fails(k8smig_role_add_rule(NULL, cm, NULL, r, v, NULL), K8SMIG_EKIND, "kind");
	assert_fails(k8smig_role_binding_add_subject(cm, "User", "u", NULL), K8SMIG_EKIND, "kind");
	assert_int_equal(k8smig_object_status(cm), K8SMIG_EKIND);
	k8smig_object_free(cm);
	assert_fails(k8smig_service_account_set_automount_token(NULL, true), K8SMIG_EINVAL, "");
}

static void test_roles(void **state)
{
	static const char *const core[] = { "", NULL }, *const pods[] = { "pods", NULL };
	static const char *const read[] = { "get", "list", NULL }, *const names[] = { "a", NULL };
	static const char *const none[] = { NULL }, *const empty_verb[] = { "get", "", NULL };
	k8smig_object *o = make(k8smig_role_new, "reader", "dev");
	size_t i = 9;
	(void)state;
	assert_ok(k8smig_role_add_rule(&i, o, core, pods, read, names));
	assert_int_equal(i, 0);
	assert_ok(k8smig_role_add_rule(&i, o, NULL, pods, read, NULL));
	assert_int_equal(i, 1);
	assert_string_equal(k8smig_object_get_str(o, "rules[0].apiGroups[0]"), "");
	assert_int_equal(k8smig_value_size(k8smig_object_get(o, "rules[1].apiGroups")), 0);
	assert_string_equal(k8smig_object_get_str(o, "rules[0].resourceNames[0]"), "a");
	assert_false(k8smig_object_has(o, "rules[1].resourceNames"));
	assert_fails(k8smig_role_add_rule(&i, o, core, none, read, NULL), K8SMIG_EINVAL, "rules[2].resources");
	assert_fails(k8smig_role_add_rule(&i, o, core, NULL, read, NULL), K8SMIG_EINVAL, "rules[2].resources");
	assert_fails(k8smig_role_add_rule(&i, o, core, pods, NULL, NULL), K8SMIG_EINVAL, "rules[2].verbs");
	assert_fails(k8smig_role_add_rule(&i, o, core, pods, empty_verb, NULL), K8SMIG_EINVAL, "rules[2].verbs");
	assert_int_equal(k8smig_value_size(k8smig_object_get(o, "rules")), 2);
	k8smig_object_free(o);

	o = make(k8smig_role_new, "system:reader", NULL);
	assert_string_equal(k8smig_object_kind(o), "ClusterRole");
	k8smig_object_free(o);
	assert_fails(k8smig_role_new(&o, "a/b", NULL), K8SMIG_EINVAL, "metadata.name");
	assert_fails(k8smig_role_new(&o, "..", NULL), K8SMIG_EINVAL, "metadata.name");
}

static void test_role_bindings(void **state)
{
	k8smig_object *o = NULL;
	(void)state;
	assert_ok(k8smig_role_binding_new(&o, "read", "dev", "ClusterRole", "view"));
	assert_string_equal(k8smig_object_get_str(o, "roleRef.apiGroup"), "rbac.authorization.k8s.io");
	assert_ok(k8smig_role_binding_add_subject(o, "ServiceAccount", "web", NULL));
	assert_string_equal(k8smig_object_get_str(o, "subjects[0].namespace"), "dev");
	assert_false(k8smig_object_has(o, "subjects[0].apiGroup"));
	assert_ok(k8smig_role_binding_add_subject(o, "Group", "devs", NULL));
	assert_string_equal(k8smig_object_get_str(o, "subjects[1].apiGroup"), "rbac.authorization.k8s.io");
	assert_fails(k8smig_role_binding_add_subject(o, "Robot", "r", NULL), K8SMIG_EINVAL, "subjects[2].kind");
	assert_fails(k8smig_role_binding_add_subject(o, "User", "", NULL), K8SMIG_EINVAL, "subjects[2].name");
	assert_fails(k8smig_role_binding_add_subject(o, "ServiceAccount", "Web", NULL), K8SMIG_EINVAL, "subjects[2].name");
	assert_fails(k8smig_role_binding_add_subject(o, "User", "u", "dev"), K8SMIG_EINVAL, "subjects[2].namespace");
	assert_fails(k8smig_role_binding_add_subject(o, "ServiceAccount", "web", "Dev"), K8SMIG_EINVAL, "subjects[2].namespace");
	assert_int_equal(k8smig_value_size(k8smig_object_get(o, "subjects")), 2);
	k8smig_object_free(o);

	assert_ok(k8smig_role_binding_new(&o, "read", NULL, "ClusterRole", "view"));
	assert_string_equal(k8smig_object_kind(o), "ClusterRoleBinding");
	assert_fails(k8smig_role_binding_add_subject(o, "ServiceAccount", "web", NULL), K8SMIG_EINVAL, "subjects[0].namespace");
	k8smig_object_free(o);
	assert_fails(k8smig_role_binding_new(&o, "read", NULL, "Role", "view"), K8SMIG_EINVAL, "roleRef.kind");
	assert_null(o);
	assert_fails(k8smig_role_binding_new(&o, "read", "dev", "Admin", "view"), K8SMIG_EINVAL, "roleRef.kind");
	assert_fails(k8smig_role_binding_new(&o, "read", "dev", "Role", ""), K8SMIG_EINVAL, "roleRef.name");
	assert_fails(k8smig_role_binding_new(&o, "", "dev", "Role", "view"), K8SMIG_EINVAL, "metadata.name");
}

/* ---- config ------------------------------------------------------------------- */

static void test_config_map(void **state)
{
	static const unsigned char blob[] = { 0x00, 0xff, 0x10, 'k', '8', 's' };
	k8smig_object *o = make(k8smig_config_map_new, "cfg", "dev");
	(void)state;
	assert_ok(k8smig_config_map_set(o, "LOG_LEVEL", "INFO"));
	assert_ok(k8smig_config_map_set(o, "123", "digits are a key, not an index"));
	assert_ok(k8smig_config_map_set(o, "a.b-c_d", "multi\nline\n"));
	assert_ok(k8smig_config_map_set(o, "LOG_LEVEL", "DEBUG"));
	assert_ok(k8smig_config_map_set_binary(o, "blob", blob, sizeof(blob)));
	assert_ok(k8smig_config_map_set_binary(o, "one", "a", 1));
	assert_ok(k8smig_config_map_set_binary(o, "two", "ab", 2));
	assert_ok(k8smig_config_map_set_binary(o, "none", NULL, 0));
	assert_ok(k8smig_config_map_set_immutable(o, false));
	assert_string_equal(k8smig_value_str(k8smig_value_lookup(k8smig_object_get(o, "data"), "LOG_LEVEL")), "DEBUG");
	assert_int_equal(k8smig_value_size(k8smig_object_get(o, "data")), 3);
	assert_string_equal(k8smig_value_str(k8smig_value_lookup(k8smig_object_get(o, "data"), "123")), "digits are a key, not an index");
	assert_string_equal(k8smig_object_get_str(o, "binaryData.blob"), "AP8Qazhz");
	assert_string_equal(k8smig_object_get_str(o, "binaryData.one"), "YQ==");
	assert_string_equal(k8smig_object_get_str(o, "binaryData.two"), "YWI=");
	assert_string_equal(k8smig_object_get_str(o, "binaryData.none"), "");
	assert_true(k8smig_object_has(o, "immutable"));
	assert_round_trips(o);

	assert_fails(k8smig_config_map_set(o, "a b", "x"), K8SMIG_EINVAL, "data");
	assert_fails(k8smig_config_map_set(o, "..x", "x"), K8SMIG_EINVAL, "data");
	assert_fails(k8smig_config_map_set(o, ".", "x"), K8SMIG_EINVAL, "data");
	assert_fails(k8smig_config_map_set(o, NULL, "x"), K8SMIG_EINVAL, "data");
	assert_fails(k8smig_config_map_set(o, "K", NULL), K8SMIG_EINVAL, "data[K]");
	assert_fails(k8smig_config_map_set(o, "K", "\xc3"), K8SMIG_EINVAL, "data[K]");
	assert_fails(k8smig_config_map_set(o, "blob", "x"), K8SMIG_EEXISTS, "data[blob]");
	assert_fails(k8smig_config_map_set_binary(o, "LOG_LEVEL", "x", 1), K8SMIG_EEXISTS, "binaryData[LOG_LEVEL]");
	assert_fails(k8smig_config_map_set_binary(o, "x y", "x", 1), K8SMIG_EINVAL, "binaryData");
	assert_fails(k8smig_config_map_set_binary(o, "k", NULL, 3), K8SMIG_EINVAL, "binaryData");
	assert_false(k8smig_object_has(o, "data.K"));
	k8smig_object_free(o);

	o = make(k8smig_service_account_new, "sa", NULL);
	assert_fails(k8smig_config_map_set(o, "k", "v"), K8SMIG_EKIND, "kind");
	assert_fails(k8smig_config_map_set_immutable(o, true), K8SMIG_EKIND, "kind");
	k8smig_object_free(o);
}

static void test_secret_never_echoes_values(void **state)
{
	k8smig_object *o = NULL;
	(void)state;
	assert_ok(k8smig_secret_new(&o, "creds", "dev", NULL));
	assert_string_equal(k8smig_object_get_str(o, "type"), "Opaque");
	assert_ok(k8smig_secret_set_string(o, "API_KEY", "s3cr3t-value"));
	assert_ok(k8smig_secret_set_data(o, "token", "abc", 3));
	assert_ok(k8smig_config_map_set_immutable(o, true));
	assert_string_equal(k8smig_object_get_str(o, "data.token"), "YWJj");
	assert_fails(k8smig_secret_set_string(o, "PASSWORD", "hunter2\xff"), K8SMIG_EINVAL, "stringData[PASSWORD]");
	assert_null(strstr(k8smig_error_last()->message, "hunter2"));
	assert_fails(k8smig_secret_set_string(o, "bad key", "hunter2"), K8SMIG_EINVAL, "stringData");
	assert_null(strstr(k8smig_error_last()->message, "hunter2"));
	assert_fails(k8smig_secret_set_data(o, "", "x", 1), K8SMIG_EINVAL, "data");
	k8smig_object_free(o);

	assert_ok(k8smig_secret_new(&o, "tls", NULL, "kubernetes.io/tls"));
	assert_string_equal(k8smig_object_get_str(o, "type"), "kubernetes.io/tls");
	k8smig_object_free(o);
	assert_fails(k8smig_secret_new(&o, "tls", NULL, ""), K8SMIG_EINVAL, "type");
	assert_null(o);
	o = make(k8smig_config_map_new, "c", NULL);
	assert_fails(k8smig_secret_set_string(o, "k", "v"), K8SMIG_EKIND, "kind");
	assert_fails(k8smig_secret_set_data(o, "k", "v", 1), K8SMIG_EKIND, "kind");
	k8smig_object_free(o);
}

static void test_secret_stores(void **state)
{
	k8smig_object *o = make(k8smig_secret_store_new, "aws", "dev");
	(void)state;
	assert_ok(k8smig_secret_store_set_aws(o, K8SMIG_AWS_SECRETS_MANAGER, "us-east-1", "reader", NULL));
	assert_string_equal(k8smig_object_get_str(o, "spec.provider.aws.service"), "SecretsManager");
	assert_string_equal(k8smig_object_get_str(o, "spec.provider.aws.auth.jwt.serviceAccountRef.name"), "reader");
	assert_false(k8smig_object_has(o, "spec.provider.aws.auth.jwt.serviceAccountRef.namespace"));
	/* replacing the provider drops the old auth */
	assert_ok(k8smig_secret_store_set_aws(o, K8SMIG_AWS_PARAMETER_STORE, "us-gov-west-1", NULL, NULL));
	assert_false(k8smig_object_has(o, "spec.provider.aws.auth"));
	assert_fails(k8smig_secret_store_set_aws(o, (k8smig_aws_secret_service)5, "us-east-1", NULL, NULL), K8SMIG_EINVAL,
	             "spec.provider.aws.service");
	assert_fails(k8smig_secret_store_set_aws(o, K8SMIG_AWS_SECRETS_MANAGER, "us_east_1", NULL, NULL), K8SMIG_EINVAL,
	             "spec.provider.aws.region");
	assert_fails(k8smig_secret_store_set_aws(o, K8SMIG_AWS_SECRETS_MANAGER, "useast1", NULL, NULL), K8SMIG_EINVAL,
	             "spec.provider.aws.region");
	assert_fails(k8smig_secret_store_set_aws(o, K8SMIG_AWS_SECRETS_MANAGER, "us-east-1", "Reader", NULL), K8SMIG_EINVAL,
	             "spec.provider.aws.auth.jwt.serviceAccountRef.name");
	assert_fails(k8smig_secret_store_set_aws(o, K8SMIG_AWS_SECRETS_MANAGER, "us-east-1", "r", "dev"), K8SMIG_EINVAL,
	             "spec.provider.aws.auth.jwt.serviceAccountRef.namespace");
	assert_fails(k8smig_secret_store_set_aws(o, K8SMIG_AWS_SECRETS_MANAGER, "us-east-1", NULL, "dev"), K8SMIG_EINVAL,
	             "spec.provider.aws.auth.jwt.serviceAccountRef.namespace");
	assert_string_equal(k8smig_object_get_str(o, "spec.provider.aws.region"), "us-gov-west-1");
	k8smig_object_free(o);

	o = make(k8smig_secret_store_new, "aws", NULL);
	assert_string_equal(k8smig_object_kind(o), "ClusterSecretStore");
	assert_fails(k8smig_secret_store_set_aws(o, K8SMIG_AWS_SECRETS_MANAGER, "eu-west-1", "reader", NULL), K8SMIG_EINVAL,
	             "spec.provider.aws.auth.jwt.serviceAccountRef.namespace");
	k8smig_object_free(o);
	o = make(k8smig_secret_store_new, "aws", NULL);
	assert_ok(k8smig_secret_store_set_aws(o, K8SMIG_AWS_SECRETS_MANAGER, "eu-west-1", "reader", "eso"));
	assert_string_equal(k8smig_object_get_str(o, "spec.provider.aws.auth.jwt.serviceAccountRef.namespace"), "eso");
	k8smig_object_free(o);
	o = make(k8smig_config_map_new, "c", NULL);
	assert_fails(k8smig_secret_store_set_aws(o, K8SMIG_AWS_SECRETS_MANAGER, "eu-west-1", NULL, NULL), K8SMIG_EKIND, "kind");
	k8smig_object_free(o);
}

static void test_external_secrets(void **state)
{
	static const char *const good[] = { "1h", "15m", "0", "90s", "1h30m", "1.5h", "300ms", "2us", "10ns", "1.h" };
	static const char *const bad[] = { "1 hour", "h", "1x", "-1h", "", "1h 30m", ".h", "1.5.h" };
	/* Go accepts "1.h"; negative durations are refused here (a refresh interval cannot be) */
	k8smig_object *o = NULL;
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_ok(k8smig_external_secret_new(&o, "api-key", "dev", "SecretStore", "aws", good[i]));
		k8smig_object_free(o);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_fails(k8smig_external_secret_new(&o, "api-key", "dev", "SecretStore", "aws", bad[i]), K8SMIG_EINVAL,
		             "spec.refreshInterval");
	assert_null(o);
	assert_fails(k8smig_external_secret_new(&o, "k", "dev", "Store", "aws", NULL), K8SMIG_EINVAL, "spec.secretStoreRef.kind");
	assert_fails(k8smig_external_secret_new(&o, "k", "dev", "SecretStore", "AWS", NULL), K8SMIG_EINVAL, "spec.secretStoreRef.name");
	assert_fails(k8smig_external_secret_new(&o, "K", "dev", "SecretStore", "aws", NULL), K8SMIG_EINVAL, "metadata.name");

	assert_ok(k8smig_external_secret_new(&o, "api-key", "dev", "ClusterSecretStore", "aws", NULL));
	assert_false(k8smig_object_has(o, "spec.refreshInterval"));
	assert_ok(k8smig_external_secret_set_target(o, NULL, NULL));
	assert_int_equal(k8smig_value_type(k8smig_object_get(o, "spec.target")), K8SMIG_TYPE_MAP);
	assert_ok(k8smig_external_secret_set_target(o, "api-key", "Merge"));
	assert_ok(k8smig_external_secret_add_data(o, "API_KEY", "app/api-key", NULL, NULL));
	assert_ok(k8smig_external_secret_add_data(o, "DB", "app/db", "password", "AWSCURRENT"));
	assert_ok(k8smig_external_secret_add_data_from(o, "app/extra"));
	assert_string_equal(k8smig_object_get_str(o, "spec.data[1].remoteRef.property"), "password");
	assert_false(k8smig_object_has(o, "spec.data[0].remoteRef.property"));
	assert_string_equal(k8smig_object_get_str(o, "spec.dataFrom[0].extract.key"), "app/extra");
	assert_fails(k8smig_external_secret_set_target(o, "Bad", NULL), K8SMIG_EINVAL, "spec.target.name");
	assert_fails(k8smig_external_secret_set_target(o, NULL, "Keep"), K8SMIG_EINVAL, "spec.target.creationPolicy");
	assert_fails(k8smig_external_secret_add_data(o, "a b", "k", NULL, NULL), K8SMIG_EINVAL, "spec.data[2].secretKey");
	assert_fails(k8smig_external_secret_add_data(o, "K", "", NULL, NULL), K8SMIG_EINVAL, "spec.data[2].remoteRef.key");
	assert_fails(k8smig_external_secret_add_data(o, "K", "k", "", NULL), K8SMIG_EINVAL, "spec.data[2].remoteRef.property");
	assert_fails(k8smig_external_secret_add_data(o, "K", "k", NULL, ""), K8SMIG_EINVAL, "spec.data[2].remoteRef.version");
	assert_fails(k8smig_external_secret_add_data_from(o, NULL), K8SMIG_EINVAL, "spec.dataFrom[1].extract.key");
	assert_int_equal(k8smig_value_size(k8smig_object_get(o, "spec.data")), 2);
	assert_string_equal(k8smig_object_get_str(o, "spec.target.creationPolicy"), "Merge");
	k8smig_object_free(o);

	o = make(k8smig_config_map_new, "c", NULL);
	assert_fails(k8smig_external_secret_set_target(o, NULL, NULL), K8SMIG_EKIND, "kind");
	assert_fails(k8smig_external_secret_add_data(o, "K", "k", NULL, NULL), K8SMIG_EKIND, "kind");
	assert_fails(k8smig_external_secret_add_data_from(o, "k"), K8SMIG_EKIND, "kind");
	k8smig_object_free(o);
}

/* ---- storage ------------------------------------------------------------------ */

static void test_storage_classes(void **state)
{
	k8smig_object *o = NULL;
	(void)state;
	assert_ok(k8smig_efs_storage_class_new(&o, "efs-sc", "fs-12345678"));
	assert_string_equal(k8smig_object_get_str(o, "provisioner"), "efs.csi.aws.com");
	assert_string_equal(k8smig_object_get_str(o, "parameters.provisioningMode"), "efs-ap");
	assert_ok(k8smig_efs_storage_class_set_access_point(o, "0700", 0, -1, "/data"));
	assert_string_equal(k8smig_object_get_str(o, "parameters.uid"), "0");
	assert_false(k8smig_object_has(o, "parameters.gid"));
	assert_ok(k8smig_efs_storage_class_set_access_point(o, NULL, -1, 4294967295LL, NULL));
	assert_string_equal(k8smig_object_get_str(o, "parameters.gid"), "4294967295");
	assert_ok(k8smig_storage_class_set_parameter(o, "subPathPattern", "${.PVC.name}"));
	assert_ok(k8smig_storage_class_set_policies(o, "Retain", NULL));
	assert_false(k8smig_object_has(o, "volumeBindingMode"));
	assert_fails(k8smig_efs_storage_class_set_access_point(o, "799", -1, -1, NULL), K8SMIG_EINVAL, "parameters.directoryPerms");
	assert_fails(k8smig_efs_storage_class_set_access_point(o, "70", -1, -1, NULL), K8SMIG_EINVAL, "parameters.directoryPerms");
	assert_fails(k8smig_efs_storage_class_set_access_point(o, NULL, 4294967296LL, -1, NULL), K8SMIG_EINVAL, "parameters.uid");
	assert_fails(k8smig_efs_storage_class_set_access_point(o, NULL, -1, 4294967296LL, NULL), K8SMIG_EINVAL, "parameters.gid");
	assert_fails(k8smig_efs_storage_class_set_access_point(o, NULL, -1, -1, "data"), K8SMIG_EINVAL, "parameters.basePath");
	assert_fails(k8smig_storage_class_set_parameter(o, "", "x"), K8SMIG_EINVAL, "parameters");
	assert_fails(k8smig_storage_class_set_parameter(o, "k", NULL), K8SMIG_EINVAL, "parameters[k]");
	assert_fails(k8smig_storage_class_set_policies(o, "Recycle", NULL), K8SMIG_EINVAL, "reclaimPolicy");
	assert_fails(k8smig_storage_class_set_policies(o, NULL, "Later"), K8SMIG_EINVAL, "volumeBindingMode");
	assert_string_equal(k8smig_object_get_str(o, "parameters.directoryPerms"), "0700");
	k8smig_object_free(o);

	assert_fails(k8smig_efs_storage_class_new(&o, "efs", "fs-123"), K8SMIG_EINVAL, "parameters.fileSystemId");
	assert_fails(k8smig_efs_storage_class_new(&o, "efs", "fs-0123456789ABCDEF0"), K8SMIG_EINVAL, "parameters.fileSystemId");
	assert_fails(k8smig_efs_storage_class_new(&o, "EFS", "fs-12345678"), K8SMIG_EINVAL, "metadata.name");
	assert_fails(k8smig_storage_class_new(&o, "gp3", "bad provisioner"), K8SMIG_EINVAL, "provisioner");
	assert_null(o);
	assert_ok(k8smig_storage_class_new(&o, "gp3", "ebs.csi.aws.com"));
	assert_fails(k8smig_efs_storage_class_set_access_point(o, "700", -1, -1, NULL), K8SMIG_EINVAL, "provisioner");
	k8smig_object_free(o);
	o = make(k8smig_config_map_new, "c", NULL);
	assert_fails(k8smig_storage_class_set_parameter(o, "k", "v"), K8SMIG_EKIND, "kind");
	assert_fails(k8smig_storage_class_set_policies(o, NULL, NULL), K8SMIG_EKIND, "kind");
	assert_fails(k8smig_efs_storage_class_set_access_point(o, NULL, -1, -1, NULL), K8SMIG_EKIND, "kind");
	k8smig_object_free(o);
}

static void test_efs_volumes_and_claims(void **state)
{
	static const char *const handles[] = { "fs-0123456789abcdef0", "fs-12345678:/data", "fs-12345678::fsap-0123456789abcdef0",
	                                       "fs-12345678:/data:fsap-12345678" };
	static const char *const bad_handles[] = { "fs-123", "fs-12345678:data", "fs-12345678::ap-0123", "fs-12345678::fsap-xyz",
	                                           "efs-12345678", "", NULL };
	k8smig_object *o = NULL;
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(handles) / sizeof(handles[0]); i++) {
		assert_ok(k8smig_efs_pv_new(&o, "pv", handles[i], "10240Mi"));
		assert_string_equal(k8smig_object_get_str(o, "spec.capacity.storage"), "10Gi");
		k8smig_object_free(o);
	}
	for (i = 0; i < sizeof(bad_handles) / sizeof(bad_handles[0]); i++)
		assert_fails(k8smig_efs_pv_new(&o, "pv", bad_handles[i], "10Gi"), K8SMIG_EINVAL, "spec.csi.volumeHandle");
	assert_fails(k8smig_efs_pv_new(&o, "pv", handles[0], "10GB"), K8SMIG_EINVAL, "spec.capacity.storage");
	assert_fails(k8smig_efs_pv_new(&o, "PV", handles[0], "10Gi"), K8SMIG_EINVAL, "metadata.name");
	assert_null(o);

	assert_ok(k8smig_efs_pv_new(&o, "pv", handles[0], "10Gi"));
	assert_ok(k8smig_pv_set_access_modes(o, K8SMIG_ACCESS_READ_WRITE_MANY | K8SMIG_ACCESS_READ_WRITE_ONCE));
	assert_string_equal(k8smig_object_get_str(o, "spec.accessModes[0]"), "ReadWriteOnce");
	assert_string_equal(k8smig_object_get_str(o, "spec.accessModes[1]"), "ReadWriteMany");
	assert_ok(k8smig_pv_set_access_modes(o, K8SMIG_ACCESS_READ_WRITE_ONCE_POD));
	assert_int_equal(k8smig_value_size(k8smig_object_get(o, "spec.accessModes")), 1);
	assert_ok(k8smig_pv_set_class(o, "", "Retain"));
	assert_string_equal(k8smig_object_get_str(o, "spec.storageClassName"), "");
	assert_ok(k8smig_pv_set_claim_ref(o, "dev", "input-pvc"));
	assert_fails(k8smig_pv_set_access_modes(o, 0), K8SMIG_EINVAL, "spec.accessModes");
	assert_fails(k8smig_pv_set_access_modes(o, 0x10), K8SMIG_EINVAL, "spec.accessModes");
	assert_fails(k8smig_pv_set_access_modes(o, K8SMIG_ACCESS_READ_WRITE_ONCE_POD | K8SMIG_ACCESS_READ_ONLY_MANY), K8SMIG_EINVAL,
	             "spec.accessModes");
	assert_fails(k8smig_pv_set_class(o, "EFS", NULL), K8SMIG_EINVAL, "spec.storageClassName");
	assert_fails(k8smig_pv_set_class(o, NULL, "Recycle"), K8SMIG_EINVAL, "spec.persistentVolumeReclaimPolicy");
	assert_fails(k8smig_pv_set_claim_ref(o, "Dev", "c"), K8SMIG_EINVAL, "spec.claimRef.namespace");
	assert_fails(k8smig_pv_set_claim_ref(o, "dev", NULL), K8SMIG_EINVAL, "spec.claimRef.name");
	assert_fails(k8smig_pvc_set_volume_name(o, "pv"), K8SMIG_EKIND, "kind");
	k8smig_object_free(o);

	assert_ok(k8smig_pvc_new(&o, "input-pvc", "dev", "", "1.5Gi"));
	assert_string_equal(k8smig_object_get_str(o, "spec.storageClassName"), "");
	assert_string_equal(k8smig_object_get_str(o, "spec.resources.requests.storage"), "1536Mi");
	assert_ok(k8smig_pv_set_access_modes(o, K8SMIG_ACCESS_READ_WRITE_MANY));
	assert_ok(k8smig_pvc_set_volume_name(o, "input-pv"));
	assert_fails(k8smig_pvc_set_volume_name(o, "Input"), K8SMIG_EINVAL, "spec.volumeName");
	assert_fails(k8smig_pv_set_class(o, "efs-sc", NULL), K8SMIG_EKIND, "kind");
	k8smig_object_free(o);
	assert_ok(k8smig_pvc_new(&o, "c", NULL, NULL, "1Gi"));
	assert_false(k8smig_object_has(o, "spec.storageClassName"));
	k8smig_object_free(o);
	assert_fails(k8smig_pvc_new(&o, "c", NULL, "EFS", "1Gi"), K8SMIG_EINVAL, "spec.storageClassName");
	assert_fails(k8smig_pvc_new(&o, "c", NULL, NULL, "-1Gi"), K8SMIG_EINVAL, "spec.resources.requests.storage");
	assert_fails(k8smig_pvc_new(&o, "c", NULL, NULL, NULL), K8SMIG_EINVAL, "spec.resources.requests.storage");
	assert_fails(k8smig_pvc_new(&o, "c", "Dev", NULL, "1Gi"), K8SMIG_EINVAL, "metadata.namespace");
	assert_null(o);
}

/* ---- networking ----------------------------------------------------------------- */

static void test_services(void **state)
{
	k8smig_object *o = NULL;
	(void)state;
	assert_ok(k8smig_service_new(&o, "web", "dev", "ClusterIP"));
	assert_ok(k8smig_service_add_port(o, "http", 80, "http", "TCP", 0));
	assert_ok(k8smig_service_add_port(o, "metrics", 9090, "9090", NULL, 0));
	assert_string_equal(k8smig_object_get_str(o, "spec.ports[0].targetPort"), "http");
	assert_int_equal(k8smig_object_get_int(o, "spec.ports[1].targetPort"), 9090);
	assert_false(k8smig_object_has(o, "spec.ports[1].nodePort"));
	assert_fails(k8smig_service_add_port(o, NULL, 81, NULL, NULL, 0), K8SMIG_EINVAL, "spec.ports[2].name");
	assert_fails(k8smig_service_add_port(o, "http", 81, NULL, NULL, 0), K8SMIG_EEXISTS, "spec.ports[2].name");
	assert_fails(k8smig_service_add_port(o, "Http2", 81, NULL, NULL, 0), K8SMIG_EINVAL, "spec.ports[2].name");
	assert_fails(k8smig_service_add_port(o, "a", 0, NULL, NULL, 0), K8SMIG_EINVAL, "spec.ports[2].port");
	assert_fails(k8smig_service_add_port(o, "a", 80, "Bad_Name", NULL, 0), K8SMIG_EINVAL, "spec.ports[2].targetPort");
	assert_fails(k8smig_service_add_port(o, "a", 80, "70000", NULL, 0), K8SMIG_EINVAL, "spec.ports[2].targetPort");
	assert_fails(k8smig_service_add_port(o, "a", 80, "0", NULL, 0), K8SMIG_EINVAL, "spec.ports[2].targetPort");
	assert_fails(k8smig_service_add_port(o, "a", 80, NULL, "HTTP", 0), K8SMIG_EINVAL, "spec.ports[2].protocol");
	assert_fails(k8smig_service_add_port(o, "a", 80, NULL, NULL, 30080), K8SMIG_EINVAL, "spec.ports[2].nodePort");
	assert_int_equal(k8smig_value_size(k8smig_object_get(o, "spec.ports")), 2);
	k8smig_object_free(o);

	assert_ok(k8smig_service_new(&o, "web", NULL, "NodePort"));
	assert_ok(k8smig_service_add_port(o, NULL, 80, NULL, NULL, 30080));
	assert_int_equal(k8smig_object_get_int(o, "spec.ports[0].nodePort"), 30080);
	assert_fails(k8smig_service_add_port(o, "b", 81, NULL, NULL, 0), K8SMIG_EINVAL, "spec.ports[0].name");
	k8smig_object_free(o);
	assert_ok(k8smig_service_new(&o, "web", NULL, NULL));
	assert_false(k8smig_object_has(o, "spec.type"));
	k8smig_object_free(o);
	assert_fails(k8smig_service_new(&o, "1web", NULL, NULL), K8SMIG_EINVAL, "metadata.name");
	assert_fails(k8smig_service_new(&o, "web", NULL, "ExternalName"), K8SMIG_EINVAL, "spec.type");
	assert_null(o);
	o = make(k8smig_config_map_new, "c", NULL);
	assert_fails(k8smig_service_add_port(o, NULL, 80, NULL, NULL, 0), K8SMIG_EKIND, "kind");
	k8smig_object_free(o);
}

static void test_ingress_paths_and_tls(void **state)
{
	k8smig_object *o = NULL;
	(void)state;
	assert_ok(k8smig_ingress_new(&o, "web", "dev", "alb"));
	assert_ok(k8smig_ingress_add_path(o, NULL, "/orchestrate", "Prefix", "orchestrator", "8000"));
	assert_ok(k8smig_ingress_add_path(o, NULL, "/health", "Exact", "orchestrator", "http"));
	assert_ok(k8smig_ingress_add_path(o, "*.example.com", "/", "Prefix", "web", "80"));
	assert_ok(k8smig_ingress_add_path(o, NULL, "/", "ImplementationSpecific", "orchestrator", "8000"));
	assert_int_equal(k8smig_value_size(k8smig_object_get(o, "spec.rules")), 2);
	assert_int_equal(k8smig_value_size(k8smig_object_get(o, "spec.rules[0].http.paths")), 3);
	assert_int_equal(k8smig_object_get_int(o, "spec.rules[0].http.paths[0].backend.service.port.number"), 8000);
	assert_string_equal(k8smig_object_get_str(o, "spec.rules[0].http.paths[1].backend.service.port.name"), "http");
	assert_string_equal(k8smig_object_get_str(o, "spec.rules[1].host"), "*.example.com");
	assert_ok(k8smig_ingress_add_tls(o, "web-tls", (const char *const[]){ "example.com", "*.example.com", NULL }));
	assert_ok(k8smig_ingress_add_tls(o, NULL, (const char *const[]){ "other.example.com", NULL }));
	assert_false(k8smig_object_has(o, "spec.tls[1].secretName"));
	assert_round_trips(o);

#define P "spec.rules[0].http.paths[3]"
	assert_fails(k8smig_ingress_add_path(o, NULL, "/x", "Regex", "web", "80"), K8SMIG_EINVAL, P ".pathType");
	assert_fails(k8smig_ingress_add_path(o, NULL, "x", "Prefix", "web", "80"), K8SMIG_EINVAL, P ".path");
	assert_fails(k8smig_ingress_add_path(o, NULL, "/a//b", "Prefix", "web", "80"), K8SMIG_EINVAL, P ".path");
	assert_fails(k8smig_ingress_add_path(o, NULL, "/a/..", "Exact", "web", "80"), K8SMIG_EINVAL, P ".path");
	assert_fails(k8smig_ingress_add_path(o, NULL, NULL, "ImplementationSpecific", "web", "80"), K8SMIG_EINVAL, P ".path");
	assert_fails(k8smig_ingress_add_path(o, NULL, "/x", "Prefix", "Web", "80"), K8SMIG_EINVAL, P ".backend.service.name");
	assert_fails(k8smig_ingress_add_path(o, NULL, "/x", "Prefix", "web", "99999"), K8SMIG_EINVAL, P ".backend.service.port");
	assert_fails(k8smig_ingress_add_path(o, NULL, "/x", "Prefix", "web", NULL), K8SMIG_EINVAL, P ".backend.service.port");
#undef P
	assert_fails(k8smig_ingress_add_path(o, "a_b.com", "/x", "Prefix", "web", "80"), K8SMIG_EINVAL, "spec.rules[2].host");
	assert_fails(k8smig_ingress_add_path(o, "api.example.com", "/x", "Prefix", "web", "-1"), K8SMIG_EINVAL,
	             "spec.rules[2].http.paths[0].backend.service.port");
	assert_fails(k8smig_ingress_add_tls(o, NULL, NULL), K8SMIG_EINVAL, "spec.tls[2].hosts");
	assert_fails(k8smig_ingress_add_tls(o, NULL, (const char *const[]){ "ok.com", "bad host", NULL }), K8SMIG_EINVAL,
	             "spec.tls[2].hosts[1]");
	assert_fails(k8smig_ingress_add_tls(o, "Bad", (const char *const[]){ "ok.com", NULL }), K8SMIG_EINVAL, "spec.tls[2].secretName");
	assert_int_equal(k8smig_value_size(k8smig_object_get(o, "spec.rules")), 2);
	assert_int_equal(k8smig_value_size(k8smig_object_get(o, "spec.tls")), 2);
	k8smig_object_free(o);

	assert_fails(k8smig_ingress_new(&o, "web", NULL, "ALB"), K8SMIG_EINVAL, "spec.ingressClassName");
	assert_null(o);
	o = make(k8smig_config_map_new, "c", NULL);
	assert_fails(k8smig_ingress_add_path(o, NULL, "/", "Prefix", "web", "80"), K8SMIG_EKIND, "kind");
	assert_fails(k8smig_ingress_add_tls(o, NULL, NULL), K8SMIG_EKIND, "kind");
	assert_fails(k8smig_ingress_set_alb(o, NULL), K8SMIG_EKIND, "kind");
	k8smig_object_free(o);
}

static void test_ingress_alb_annotations(void **state)
{
	k8smig_alb_options a = K8SMIG_ALB_OPTIONS_INIT, init;
	k8smig_object *o = NULL;
	(void)state;
	assert_ok(k8smig_alb_options_init(&init, K8SMIG_ALB_OPTIONS_VERSION));
	assert_int_equal(init.version, K8SMIG_ALB_OPTIONS_VERSION);
	assert_null(init.scheme);
	assert_int_equal(init.https_port, 0);
	assert_fails(k8smig_alb_options_init(&init, 0), K8SMIG_EINVAL, "version");

	assert_ok(k8smig_ingress_new(&o, "web", "dev", "alb"));
	a.scheme = "internet-facing";
	a.target_type = "ip";
	a.http_port = 80;
	a.https_port = 443;
	a.certificate_arn = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-0000-1111-2222-333344445555,"
	                    "arn:aws:iam::123456789012:server-certificate/legacy";
	a.ssl_redirect = 443;
	a.healthcheck_path = "/health";
	a.group_name = "layering.detection";
	assert_ok(k8smig_ingress_set_alb(o, &a));
	assert_string_equal(k8smig_object_annotation(o, "alb.ingress.kubernetes.io/listen-ports"), "[{\"HTTP\":80},{\"HTTPS\":443}]");
	assert_string_equal(k8smig_object_annotation(o, "alb.ingress.kubernetes.io/ssl-redirect"), "443");
	assert_string_equal(k8smig_object_annotation(o, "alb.ingress.kubernetes.io/group.name"), "layering.detection");
	/* only what is set changes */
	a = (k8smig_alb_options)K8SMIG_ALB_OPTIONS_INIT;
	a.scheme = "internal";
	a.http_port = 8080;
	assert_ok(k8smig_ingress_set_alb(o, &a));
	assert_string_equal(k8smig_object_annotation(o, "alb.ingress.kubernetes.io/scheme"), "internal");
	assert_string_equal(k8smig_object_annotation(o, "alb.ingress.kubernetes.io/listen-ports"), "[{\"HTTP\":8080}]");
	assert_string_equal(k8smig_object_annotation(o, "alb.ingress.kubernetes.io/target-type"), "ip");
	a.http_port = 0;
	a.https_port = 8443;
	assert_ok(k8smig_ingress_set_alb(o, &a));
	assert_string_equal(k8smig_object_annotation(o, "alb.ingress.kubernetes.io/listen-ports"), "[{\"HTTPS\":8443}]");

#define ALB_FAILS(setup, name)                                                              \
	do {                                                                                \
		a = (k8smig_alb_options)K8SMIG_ALB_OPTIONS_INIT;                             \
		setup;                                                                      \
		assert_fails(k8smig_ingress_set_alb(o, &a), K8SMIG_EINVAL, ALB_PATH(name)); \
	} while (0)
	ALB_FAILS(a.scheme = "public", "scheme");
	ALB_FAILS(a.target_type = "pod", "target-type");
	ALB_FAILS(a.http_port = 70000, "listen-ports");
	ALB_FAILS((a.http_port = 443, a.https_port = 443), "listen-ports");
	ALB_FAILS(a.certificate_arn = "arn:aws:acm:us-east-1:123456789012:certificate/ZZ", "certificate-arn");
	ALB_FAILS(a.certificate_arn = "arn:aws:acm:us-east-1:1234:certificate/00", "certificate-arn");
	ALB_FAILS(a.certificate_arn = "arn:aws:iam::123456789012:role/x", "certificate-arn");
	ALB_FAILS(a.certificate_arn = "", "certificate-arn");
	ALB_FAILS(a.ssl_redirect = 443, "ssl-redirect");
	ALB_FAILS((a.https_port = 443, a.ssl_redirect = 8443), "ssl-redirect");
	ALB_FAILS(a.healthcheck_path = "health", "healthcheck-path");
	ALB_FAILS(a.group_name = "-bad", "group.name");
	ALB_FAILS(a.group_name = "Bad", "group.name");
#undef ALB_FAILS
	a.version = 3;
	assert_fails(k8smig_ingress_set_alb(o, &a), K8SMIG_EINVAL, "metadata.annotations");
	assert_fails(k8smig_ingress_set_alb(o, NULL), K8SMIG_EINVAL, "metadata.annotations");
	assert_string_equal(k8smig_object_annotation(o, "alb.ingress.kubernetes.io/scheme"), "internal");
	k8smig_object_free(o);
}

static void test_ingress_classes(void **state)
{
	k8smig_object *o = NULL;
	(void)state;
	assert_ok(k8smig_ingress_class_new(&o, "alb", "ingress.k8s.aws/alb", "alb"));
	assert_string_equal(k8smig_object_get_str(o, "spec.parameters.kind"), "IngressClassParams");
	assert_string_equal(k8smig_object_get_str(o, "spec.parameters.apiGroup"), "elbv2.k8s.aws");
	k8smig_object_free(o);
	assert_ok(k8smig_ingress_class_new(&o, "alb", "ingress.k8s.aws/alb", NULL));
	assert_false(k8smig_object_has(o, "spec.parameters"));
	k8smig_object_free(o);
	assert_fails(k8smig_ingress_class_new(&o, "alb", "alb", NULL), K8SMIG_EINVAL, "spec.controller");
	assert_fails(k8smig_ingress_class_new(&o, "alb", "Ingress.k8s.aws/alb", NULL), K8SMIG_EINVAL, "spec.controller");
	assert_fails(k8smig_ingress_class_new(&o, "alb", "ingress.k8s.aws/", NULL), K8SMIG_EINVAL, "spec.controller");
	assert_fails(k8smig_ingress_class_new(&o, "alb", NULL, NULL), K8SMIG_EINVAL, "spec.controller");
	assert_fails(k8smig_ingress_class_new(&o, "alb", "ingress.k8s.aws/alb", "Params"), K8SMIG_EINVAL, "spec.parameters.name");
	assert_fails(k8smig_ingress_class_new(&o, "ALB", "ingress.k8s.aws/alb", NULL), K8SMIG_EINVAL, "metadata.name");
	assert_null(o);

	assert_ok(k8smig_ingress_class_params_new(&o, "alb", NULL, NULL));
	assert_int_equal(k8smig_value_type(k8smig_object_get(o, "spec")), K8SMIG_TYPE_MAP);
	assert_null(k8smig_object_namespace(o));
	k8smig_object_free(o);
	assert_ok(k8smig_ingress_class_params_new(&o, "alb", "internal", "shared"));
	assert_string_equal(k8smig_object_get_str(o, "spec.group.name"), "shared");
	k8smig_object_free(o);
	assert_fails(k8smig_ingress_class_params_new(&o, "alb", "external", NULL), K8SMIG_EINVAL, "spec.scheme");
	assert_fails(k8smig_ingress_class_params_new(&o, "alb", NULL, "shared."), K8SMIG_EINVAL, "spec.group.name");
}

static void test_cert_manager(void **state)
{
	k8smig_object *o = NULL;
	(void)state;
	assert_ok(k8smig_issuer_new(&o, "letsencrypt", NULL));
	assert_string_equal(k8smig_object_kind(o), "ClusterIssuer");
	assert_ok(k8smig_issuer_set_acme(o, "https://acme-v02.api.letsencrypt.org/directory", NULL, "le-key", "alb"));
	assert_false(k8smig_object_has(o, "spec.acme.email"));
	assert_string_equal(k8smig_object_get_str(o, "spec.acme.solvers[0].http01.ingress.ingressClassName"), "alb");
	assert_fails(k8smig_issuer_set_acme(o, "http://acme", NULL, "k", "alb"), K8SMIG_EINVAL, "spec.acme.server");
	assert_fails(k8smig_issuer_set_acme(o, "https://acme", "not-an-email", "k", "alb"), K8SMIG_EINVAL, "spec.acme.email");
	assert_fails(k8smig_issuer_set_acme(o, "https://acme", "a@b.c", "K", "alb"), K8SMIG_EINVAL, "spec.acme.privateKeySecretRef.name");
	assert_fails(k8smig_issuer_set_acme(o, "https://acme", "a@b.c", "k", NULL), K8SMIG_EINVAL,
	             "spec.acme.solvers[0].http01.ingress.ingressClassName");
	assert_ok(k8smig_issuer_set_ca(o, "ca-key-pair"));
	assert_false(k8smig_object_has(o, "spec.acme"));
	assert_fails(k8smig_issuer_set_ca(o, ""), K8SMIG_EINVAL, "spec.ca.secretName");
	assert_ok(k8smig_issuer_set_self_signed(o));
	assert_false(k8smig_object_has(o, "spec.ca"));
	assert_int_equal(k8smig_value_type(k8smig_object_get(o, "spec.selfSigned")), K8SMIG_TYPE_MAP);
	k8smig_object_free(o);

	assert_ok(k8smig_certificate_new(&o, "api", "dev", "api-tls", "AWSPCAClusterIssuer", "pca"));
	assert_string_equal(k8smig_object_get_str(o, "spec.issuerRef.group"), "awspca.cert-manager.io");
	assert_ok(k8smig_certificate_add_dns_name(o, "*.example.com"));
	assert_fails(k8smig_certificate_add_dns_name(o, "bad_name"), K8SMIG_EINVAL, "spec.dnsNames[1]");
	assert_fails(k8smig_issuer_set_self_signed(o), K8SMIG_EKIND, "kind");
	k8smig_object_free(o);
	assert_fails(k8smig_certificate_new(&o, "api", "dev", "api-tls", "Vault", "v"), K8SMIG_EINVAL, "spec.issuerRef.kind");
	assert_fails(k8smig_certificate_new(&o, "api", "dev", "api-tls", "Issuer", ""), K8SMIG_EINVAL, "spec.issuerRef.name");
	assert_fails(k8smig_certificate_new(&o, "api", "dev", NULL, "Issuer", "i"), K8SMIG_EINVAL, "spec.secretName");
	assert_fails(k8smig_issuer_new(&o, "I", NULL), K8SMIG_EINVAL, "metadata.name");
	assert_null(o);
	o = make(k8smig_config_map_new, "c", NULL);
	assert_fails(k8smig_certificate_add_dns_name(o, "a.com"), K8SMIG_EKIND, "kind");
	assert_fails(k8smig_issuer_set_ca(o, "a"), K8SMIG_EKIND, "kind");
	assert_fails(k8smig_issuer_set_acme(o, "https://a", NULL, "a", "b"), K8SMIG_EKIND, "kind");
	k8smig_object_free(o);
}

/* ---- scaling -------------------------------------------------------------------- */

static void test_hpa(void **state)
{
	k8smig_object *o = NULL;
	(void)state;
	assert_ok(k8smig_hpa_new(&o, "web", "dev", "Deployment", "web", 1, 1));
	assert_ok(k8smig_hpa_set_behavior(o, K8SMIG_HPA_SCALE_DOWN, 300, NULL));
	assert_ok(k8smig_hpa_add_resource_metric(o, "cpu", 70));
	assert_ok(k8smig_hpa_add_resource_metric(o, "memory", 150));
	assert_ok(k8smig_hpa_set_behavior(o, K8SMIG_HPA_SCALE_UP, 0, "Max"));
	assert_ok(k8smig_hpa_set_behavior(o, K8SMIG_HPA_SCALE_UP, K8SMIG_UNSET, NULL)); /* changes nothing */
	assert_ok(k8smig_hpa_add_scaling_policy(o, K8SMIG_HPA_SCALE_UP, "Pods", 4, 60));
	assert_ok(k8smig_hpa_add_scaling_policy(o, K8SMIG_HPA_SCALE_DOWN, "Percent", 10, 1800));
	assert_true(k8smig_object_has(o, "spec.behavior.scaleUp.stabilizationWindowSeconds"));
	assert_int_equal(k8smig_object_get_int(o, "spec.behavior.scaleUp.stabilizationWindowSeconds"), 0);
	assert_string_equal(k8smig_object_get_str(o, "spec.metrics[1].resource.target.type"), "Utilization");
	/* behavior stays after metrics even when set first */
	{
		const k8smig_value *v = k8smig_value_first(k8smig_object_get(o, "spec"));
		const char *last = NULL;
		for (; v; v = k8smig_value_next(v))
			last = k8smig_value_key(v);
		assert_string_equal(last, "behavior");
	}
	assert_round_trips(o);

	assert_fails(k8smig_hpa_add_resource_metric(o, "gpu", 50), K8SMIG_EINVAL, "spec.metrics[2].resource.name");
	assert_fails(k8smig_hpa_add_resource_metric(o, "cpu", 50), K8SMIG_EEXISTS, "spec.metrics[2].resource.name");
	assert_fails(k8smig_hpa_add_resource_metric(o, "ephemeral-storage", 0), K8SMIG_EINVAL,
	             "spec.metrics[2].resource.target.averageUtilization");
	assert_fails(k8smig_hpa_set_behavior(o, K8SMIG_HPA_SCALE_UP, 3601, NULL), K8SMIG_EINVAL,
	             "spec.behavior.scaleUp.stabilizationWindowSeconds");
	assert_fails(k8smig_hpa_set_behavior(o, K8SMIG_HPA_SCALE_DOWN, -2, NULL), K8SMIG_EINVAL,
	             "spec.behavior.scaleDown.stabilizationWindowSeconds");
	assert_fails(k8smig_hpa_set_behavior(o, K8SMIG_HPA_SCALE_DOWN, 1, "Maximum"), K8SMIG_EINVAL, "spec.behavior.scaleDown.selectPolicy");
	assert_fails(k8smig_hpa_set_behavior(o, (k8smig_hpa_direction)5, 1, NULL), K8SMIG_EINVAL, "spec.behavior");
	assert_fails(k8smig_hpa_add_scaling_policy(o, K8SMIG_HPA_SCALE_DOWN, "Nodes", 1, 60), K8SMIG_EINVAL,
	             "spec.behavior.scaleDown.policies[1].type");
	assert_fails(k8smig_hpa_add_scaling_policy(o, K8SMIG_HPA_SCALE_DOWN, "Pods", 0, 60), K8SMIG_EINVAL,
	             "spec.behavior.scaleDown.policies[1].value");
	assert_fails(k8smig_hpa_add_scaling_policy(o, K8SMIG_HPA_SCALE_UP, "Pods", 1, 1801), K8SMIG_EINVAL,
	             "spec.behavior.scaleUp.policies[1].periodSeconds");
	assert_fails(k8smig_hpa_add_scaling_policy(o, (k8smig_hpa_direction)-1, "Pods", 1, 60), K8SMIG_EINVAL, "spec.behavior");
	assert_int_equal(k8smig_object_get_int(o, "spec.behavior.scaleDown.stabilizationWindowSeconds"), 300);
	k8smig_object_free(o);

	assert_fails(k8smig_hpa_new(&o, "web", NULL, "DaemonSet", "web", 1, 2), K8SMIG_EINVAL, "spec.scaleTargetRef.kind");
	assert_fails(k8smig_hpa_new(&o, "web", NULL, "Deployment", "Web", 1, 2), K8SMIG_EINVAL, "spec.scaleTargetRef.name");
	assert_fails(k8smig_hpa_new(&o, "web", NULL, "Deployment", "web", 0, 2), K8SMIG_EINVAL, "spec.minReplicas");
	assert_fails(k8smig_hpa_new(&o, "web", NULL, "Deployment", "web", 3, 2), K8SMIG_EINVAL, "spec.maxReplicas");
	assert_fails(k8smig_hpa_new(&o, "Web", NULL, "Deployment", "web", 1, 2), K8SMIG_EINVAL, "metadata.name");
	assert_null(o);
	o = make(k8smig_config_map_new, "c", NULL);
	assert_fails(k8smig_hpa_add_resource_metric(o, "cpu", 1), K8SMIG_EKIND, "kind");
	assert_fails(k8smig_hpa_set_behavior(o, K8SMIG_HPA_SCALE_UP, 1, NULL), K8SMIG_EKIND, "kind");
	assert_fails(k8smig_hpa_add_scaling_policy(o, K8SMIG_HPA_SCALE_UP, "Pods", 1, 1), K8SMIG_EKIND, "kind");
	k8smig_object_free(o);
}

/* ---- monitoring ------------------------------------------------------------------ */

static void test_prometheus_rules(void **state)
{
	static const char *const good[] = { "30s", "1m", "1h30m", "0", "500ms", "1y2w3d4h5m6s7ms", "5m30s" };
	static const char *const bad[] = { "1 m", "1m1h", "5", "m", "1ms1s", "1mm", "", "-1m" };
	k8smig_object *o = make(k8smig_prometheus_rule_new, "alerts", "dev");
	size_t g = 9, a = 9, i;
	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		char name[16];
		snprintf(name, sizeof(name), "g%zu", i);
		assert_ok(k8smig_prometheus_rule_add_group(&g, o, name, good[i]));
		assert_int_equal(g, i);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_fails(k8smig_prometheus_rule_add_group(&g, o, "x", bad[i]), K8SMIG_EINVAL, "spec.groups[7].interval");
	assert_fails(k8smig_prometheus_rule_add_group(&g, o, "g0", NULL), K8SMIG_EEXISTS, "spec.groups[7].name");
	assert_fails(k8smig_prometheus_rule_add_group(&g, o, "", NULL), K8SMIG_EINVAL, "spec.groups[7].name");
	k8smig_object_free(o);

	o = make(k8smig_prometheus_rule_new, "alerts", "dev");
	assert_ok(k8smig_prometheus_rule_add_group(&g, o, "app", NULL));
	assert_int_equal(k8smig_value_type(k8smig_object_get(o, "spec.groups[0].rules")), K8SMIG_TYPE_LIST);
	assert_ok(k8smig_prometheus_rule_add_alert(&a, o, g, "HighCPU", "cpu > 0.8", "5m"));
	assert_int_equal(a, 0);
	assert_ok(k8smig_prometheus_rule_add_alert(&a, o, g, "job:down", "up == 0", NULL));
	assert_false(k8smig_object_has(o, "spec.groups[0].rules[1].for"));
	assert_ok(k8smig_prometheus_rule_set_alert_label(o, g, 0, "severity", "warning"));
	assert_ok(k8smig_prometheus_rule_set_alert_annotation(o, g, 0, "summary", "CPU high on {{ $labels.pod }}"));
	assert_string_equal(k8smig_object_get_str(o, "spec.groups[0].rules[0].annotations.summary"), "CPU high on {{ $labels.pod }}");
	assert_round_trips(o);
	assert_fails(k8smig_prometheus_rule_add_alert(&a, o, 3, "A", "x", NULL), K8SMIG_ENOTFOUND, "spec.groups[3]");
	assert_fails(k8smig_prometheus_rule_add_alert(&a, o, 0, "High CPU", "x", NULL), K8SMIG_EINVAL, "spec.groups[0].rules[2].alert");
	assert_fails(k8smig_prometheus_rule_add_alert(&a, o, 0, "9Lives", "x", NULL), K8SMIG_EINVAL, "spec.groups[0].rules[2].alert");
	assert_fails(k8smig_prometheus_rule_add_alert(&a, o, 0, "A", "", NULL), K8SMIG_EINVAL, "spec.groups[0].rules[2].expr");
	assert_fails(k8smig_prometheus_rule_add_alert(&a, o, 0, "A", "x", "5 minutes"), K8SMIG_EINVAL, "spec.groups[0].rules[2].for");
	assert_fails(k8smig_prometheus_rule_set_alert_label(o, 0, 5, "a", "b"), K8SMIG_ENOTFOUND, "spec.groups[0].rules[5]");
	assert_fails(k8smig_prometheus_rule_set_alert_label(o, 2, 0, "a", "b"), K8SMIG_ENOTFOUND, "spec.groups[2].rules[0]");
	assert_fails(k8smig_prometheus_rule_set_alert_label(o, 0, 0, "sev-erity", "b"), K8SMIG_EINVAL, "spec.groups[0].rules[0].labels");
	assert_fails(k8smig_prometheus_rule_set_alert_annotation(o, 0, 0, "summary", NULL), K8SMIG_EINVAL,
	             "spec.groups[0].rules[0].annotations[summary]");
	assert_int_equal(k8smig_value_size(k8smig_object_get(o, "spec.groups[0].rules")), 2);
	k8smig_object_free(o);

	o = make(k8smig_config_map_new, "c", NULL);
	assert_fails(k8smig_prometheus_rule_add_group(&g, o, "g", NULL), K8SMIG_EKIND, "kind");
	assert_fails(k8smig_prometheus_rule_add_alert(&a, o, 0, "A", "x", NULL), K8SMIG_EKIND, "kind");
	assert_fails(k8smig_prometheus_rule_set_alert_label(o, 0, 0, "a", "b"), K8SMIG_EKIND, "kind");
	k8smig_object_free(o);
}

static void test_fluent_bit_config(void **state)
{
	static const char *const ns[] = { "dev", "prod", NULL }, *const bad_ns[] = { "Dev", NULL };
	k8smig_fluent_bit_options fb = K8SMIG_FLUENT_BIT_OPTIONS_INIT, init;
	k8smig_object *o = NULL;
	const char *conf;
	(void)state;
	assert_ok(k8smig_fluent_bit_options_init(&init, K8SMIG_FLUENT_BIT_OPTIONS_VERSION));
	assert_int_equal(init.version, K8SMIG_FLUENT_BIT_OPTIONS_VERSION);
	assert_null(init.region);
	assert_int_equal(init.log_retention_days, 0);
	assert_fails(k8smig_fluent_bit_options_init(&init, 4), K8SMIG_EINVAL, "version");

	fb.region = "us-east-1";
	fb.log_group_prefix = "/ecs/layering-detection";
	fb.namespaces = ns;
	fb.log_retention_days = 7;
	assert_ok(k8smig_fluent_bit_config_new(&o, "fluent-bit-config", "amazon-cloudwatch", &fb));
	conf = k8smig_object_get_str(o, "data[fluent-bit.conf]");
	assert_non_null(conf);
	assert_non_null(strstr(conf, "Path              /var/log/containers/*_dev_*.log,/var/log/containers/*_prod_*.log\n"));
	assert_non_null(strstr(conf, "log_group_template  /ecs/layering-detection/$kubernetes['labels']['app.kubernetes.io/name']\n"));
	assert_non_null(strstr(conf, "log_retention_days  7\n"));
	assert_non_null(strstr(conf, "region              us-east-1\n"));
	assert_non_null(k8smig_object_get_str(o, "data[parsers.conf]"));
	assert_round_trips(o);
	k8smig_object_free(o);

	fb.namespaces = NULL;
	fb.log_retention_days = 0;
	fb.service_label = "app";
	assert_ok(k8smig_fluent_bit_config_new(&o, "fb", "logs", &fb));
	conf = k8smig_object_get_str(o, "data[fluent-bit.conf]");
	assert_non_null(strstr(conf, "/var/log/containers/*.log\n"));
	assert_non_null(strstr(conf, "['labels']['app']\n"));
	assert_null(strstr(conf, "log_retention_days"));
	k8smig_object_free(o);

#define FB_FAILS(setup)                                                                            \
	do {                                                                                       \
		k8smig_fluent_bit_options f_ = fb;                                                 \
		setup;                                                                             \
		assert_fails(k8smig_fluent_bit_config_new(&o, "fb", "logs", &f_), K8SMIG_EINVAL, \
		             "data[fluent-bit.conf]");                                             \
		assert_null(o);                                                                    \
	} while (0)
	FB_FAILS(f_.version = 2);
	FB_FAILS(f_.region = NULL);
	FB_FAILS(f_.region = "us east");
	FB_FAILS(f_.log_group_prefix = "/ecs/app/");
	FB_FAILS(f_.log_group_prefix = "/ecs/a b");
	FB_FAILS(f_.log_retention_days = 8);
	FB_FAILS(f_.namespaces = bad_ns);
	FB_FAILS(f_.service_label = "bad label");
#undef FB_FAILS
	assert_fails(k8smig_fluent_bit_config_new(&o, "fb", "logs", NULL), K8SMIG_EINVAL, "data[fluent-bit.conf]");
	assert_fails(k8smig_fluent_bit_config_new(&o, "FB", "logs", &fb), K8SMIG_EINVAL, "metadata.name");
}

/* ---- kustomize -------------------------------------------------------------------- */

static void test_kustomization(void **state)
{
	k8smig_object *k = NULL;
	size_t g = 9;
	(void)state;
	assert_ok(k8smig_kustomization_new(&k));
	assert_string_equal(k8smig_object_kind(k), "Kustomization");
	assert_false(k8smig_object_has(k, "metadata"));
	assert_ok(k8smig_kustomization_add_resource(k, "../../base"));
	assert_ok(k8smig_kustomization_add_resource(k, "https://example.com/x.yaml"));
	assert_ok(k8smig_kustomization_set_namespace(k, "prod"));
	assert_ok(k8smig_kustomization_add_image(k, "web", "registry/web", "abc123", NULL));
	assert_ok(k8smig_kustomization_add_image(k, "db", NULL, NULL,
	                                         "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"));
	assert_ok(k8smig_kustomization_add_replicas(k, "web", 0));
	assert_ok(k8smig_kustomization_add_label(k, "env", "prod", false));
	assert_ok(k8smig_kustomization_add_label(k, "team", "ops", false));
	assert_ok(k8smig_kustomization_add_label(k, "app", "x", true));
	assert_ok(k8smig_kustomization_add_patch(k, "patch.yaml", NULL, NULL, NULL));
	assert_ok(k8smig_kustomization_add_patch(k, NULL, "- op: remove\n  path: /spec/replicas\n", "Deployment", NULL));
	assert_ok(k8smig_kustomization_add_config_map_generator(&g, k, "cfg", NULL));
	assert_int_equal(g, 0);
	assert_ok(k8smig_kustomization_add_generator_source(k, g, K8SMIG_GENERATOR_LITERAL, "LOG_LEVEL=a=b"));
	assert_ok(k8smig_kustomization_add_generator_source(k, g, K8SMIG_GENERATOR_FILE, "app.ini"));
	assert_ok(k8smig_kustomization_add_generator_source(k, g, K8SMIG_GENERATOR_ENV, "prod.env"));
	assert_int_equal(k8smig_value_size(k8smig_object_get(k, "labels")), 2);
	assert_string_equal(k8smig_object_get_str(k, "labels[0].pairs.team"), "ops");
	assert_string_equal(k8smig_value_key(k8smig_value_first(k8smig_object_get(k, "labels[0]"))), "pairs");
	assert_true(k8smig_object_get_bool(k, "labels[1].includeSelectors"));
	assert_true(k8smig_object_has(k, "labels[0].includeSelectors"));
	assert_true(k8smig_object_has(k, "replicas[0].count"));
	assert_string_equal(k8smig_object_get_str(k, "configMapGenerator[0].literals[0]"), "LOG_LEVEL=a=b");
	assert_round_trips(k);

	assert_fails(k8smig_kustomization_add_resource(k, ""), K8SMIG_EINVAL, "resources[2]");
	assert_fails(k8smig_kustomization_add_resource(k, "a b"), K8SMIG_EINVAL, "resources[2]");
	assert_fails(k8smig_kustomization_set_namespace(k, "Prod"), K8SMIG_EINVAL, "namespace");
	assert_fails(k8smig_kustomization_add_image(k, "", "x", NULL, NULL), K8SMIG_EINVAL, "images[2].name");
	assert_fails(k8smig_kustomization_add_image(k, "web", NULL, NULL, NULL), K8SMIG_EINVAL, "images[2].newName");
	assert_fails(k8smig_kustomization_add_image(k, "web", "a b", NULL, NULL), K8SMIG_EINVAL, "images[2].newName");
	assert_fails(k8smig_kustomization_add_image(k, "web", NULL, "v:1", NULL), K8SMIG_EINVAL, "images[2].newTag");
	assert_fails(k8smig_kustomization_add_image(k, "web", NULL, NULL, "sha256:00"), K8SMIG_EINVAL, "images[2].digest");
	assert_fails(k8smig_kustomization_add_image(k, "web", NULL, "v1",
	                                            "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"),
	             K8SMIG_EINVAL, "images[2].digest");
	assert_fails(k8smig_kustomization_add_replicas(k, "web", -1), K8SMIG_EINVAL, "replicas[1].count");
	assert_fails(k8smig_kustomization_add_replicas(k, "Web", 1), K8SMIG_EINVAL, "replicas[1].name");
	assert_fails(k8smig_kustomization_add_label(k, "bad key", "x", false), K8SMIG_EINVAL, "labels[0].pairs");
	assert_fails(k8smig_kustomization_add_label(k, "env", "bad value", true), K8SMIG_EINVAL, "labels[1].pairs[env]");
	assert_fails(k8smig_kustomization_add_patch(k, "p.yaml", "x", NULL, NULL), K8SMIG_EINVAL, "patches[2].path");
	assert_fails(k8smig_kustomization_add_patch(k, NULL, NULL, NULL, NULL), K8SMIG_EINVAL, "patches[2].patch");
	assert_fails(k8smig_kustomization_add_patch(k, NULL, "", NULL, NULL), K8SMIG_EINVAL, "patches[2].patch");
	assert_fails(k8smig_kustomization_add_patch(k, NULL, "x", "a b", NULL), K8SMIG_EINVAL, "patches[2].target.kind");
	assert_fails(k8smig_kustomization_add_patch(k, NULL, "x", NULL, "a b"), K8SMIG_EINVAL, "patches[2].target.name");
	assert_fails(k8smig_kustomization_add_config_map_generator(&g, k, "Cfg", NULL), K8SMIG_EINVAL, "configMapGenerator[1].name");
	assert_fails(k8smig_kustomization_add_config_map_generator(&g, k, "cfg", "update"), K8SMIG_EINVAL, "configMapGenerator[1].behavior");
	assert_fails(k8smig_kustomization_add_generator_source(k, 2, K8SMIG_GENERATOR_FILE, "a"), K8SMIG_ENOTFOUND, "configMapGenerator[2]");
	assert_fails(k8smig_kustomization_add_generator_source(k, 0, (k8smig_generator_source)7, "a"), K8SMIG_EINVAL, "configMapGenerator[0]");
	assert_fails(k8smig_kustomization_add_generator_source(k, 0, K8SMIG_GENERATOR_LITERAL, "PASSWORD:hunter2"), K8SMIG_EINVAL,
	             "configMapGenerator[0].literals[1]");
	assert_null(strstr(k8smig_error_last()->message, "hunter2"));
	assert_fails(k8smig_kustomization_add_generator_source(k, 0, K8SMIG_GENERATOR_LITERAL, "=v"), K8SMIG_EINVAL,
	             "configMapGenerator[0].literals[1]");
	assert_fails(k8smig_kustomization_add_generator_source(k, 0, K8SMIG_GENERATOR_FILE, "a b"), K8SMIG_EINVAL,
	             "configMapGenerator[0].files[1]");
	assert_fails(k8smig_kustomization_add_generator_source(k, 0, K8SMIG_GENERATOR_ENV, NULL), K8SMIG_EINVAL,
	             "configMapGenerator[0].envs[1]");
	k8smig_object_free(k);

	k = make(k8smig_config_map_new, "c", NULL);
	assert_fails(k8smig_kustomization_add_resource(k, "a"), K8SMIG_EKIND, "kind");
	assert_fails(k8smig_kustomization_set_namespace(k, "a"), K8SMIG_EKIND, "kind");
	assert_fails(k8smig_kustomization_add_image(k, "a", "b", NULL, NULL), K8SMIG_EKIND, "kind");
	assert_fails(k8smig_kustomization_add_replicas(k, "a", 1), K8SMIG_EKIND, "kind");
	assert_fails(k8smig_kustomization_add_label(k, "a", "b", false), K8SMIG_EKIND, "kind");
	assert_fails(k8smig_kustomization_add_patch(k, "a", NULL, NULL, NULL), K8SMIG_EKIND, "kind");
	assert_fails(k8smig_kustomization_add_config_map_generator(&g, k, "a", NULL), K8SMIG_EKIND, "kind");
	assert_fails(k8smig_kustomization_add_generator_source(k, 0, K8SMIG_GENERATOR_FILE, "a"), K8SMIG_EKIND, "kind");
	k8smig_object_free(k);
	assert_fails(k8smig_kustomization_new(NULL), K8SMIG_EINVAL, "");
}

/* A failed builder call makes the object's emit fail with the same error (sticky). */
static void test_builder_errors_are_sticky(void **state)
{
	k8smig_object *o = make(k8smig_config_map_new, "c", NULL);
	char *yaml = NULL;
	(void)state;
	assert_fails(k8smig_config_map_set(o, "bad key", "v"), K8SMIG_EINVAL, "data");
	assert_ok(k8smig_config_map_set(o, "good", "v"));
	k8smig_error_clear();
	assert_fails(k8smig_object_emit(&yaml, NULL, o, NULL), K8SMIG_EINVAL, "data");
	assert_null(yaml);
	k8smig_object_free(o);
}


/* The builders remember where the pod spec is; replacing, removing or retyping the tree around it
 * (through the path API) and changing the kind must never leave them writing to a detached node. */
static void test_builders_follow_tree_changes(void **state)
{
	k8smig_object *d;
	size_t c = 9;
	(void)state;
	assert_ok(k8smig_deployment_new(&d, "web", "prod"));
	assert_ok(k8smig_pod_add_container(&c, d, "app", "nginx:1"));
	assert_ok(k8smig_container_add_env(d, 0, "A", "1"));
	/* replace the pod spec: the container is gone, a new one is index 0 again */
	assert_ok(k8smig_object_set_map(d, "spec.template.spec"));
	assert_int_equal(k8smig_container_add_env(d, 0, "B", "2"), K8SMIG_ENOTFOUND);
	assert_string_equal(k8smig_error_last()->path, "spec.template.spec.containers[0]");
	k8smig_error_clear();
	assert_int_equal(k8smig_object_status(d), K8SMIG_ENOTFOUND); /* sticky */
	k8smig_object_free(d);

	assert_ok(k8smig_deployment_new(&d, "web", "prod"));
	assert_ok(k8smig_pod_add_container(&c, d, "app", "nginx:1"));
	assert_ok(k8smig_container_add_env(d, 0, "A", "1"));
	assert_ok(k8smig_object_unset(d, "spec.template"));
	assert_ok(k8smig_pod_add_container(&c, d, "side", "busybox:1"));
	assert_int_equal(c, 0);
	assert_ok(k8smig_container_add_env(d, 0, "B", "2"));
	assert_string_equal(k8smig_object_get_str(d, "spec.template.spec.containers[0].name"), "side");
	assert_string_equal(k8smig_object_get_str(d, "spec.template.spec.containers[0].env[0].name"), "B");
	assert_null(k8smig_object_get(d, "spec.template.spec.containers[1]"));
	/* the same object as a Pod: its pod spec is "spec", and the builders follow the kind */
	assert_ok(k8smig_object_set_str(d, "kind", "Pod"));
	assert_ok(k8smig_object_set_str(d, "apiVersion", "v1"));
	assert_ok(k8smig_pod_add_container(&c, d, "app", "nginx:1"));
	assert_int_equal(c, 0);
	assert_ok(k8smig_container_add_env(d, 0, "C", "3"));
	assert_string_equal(k8smig_object_get_str(d, "spec.containers[0].env[0].value"), "3");
	k8smig_object_free(d);
}

/* A builder's value of every length up to past the inline copy's 32 bytes (each byte
 * different, so a misplaced overlapping copy shows), until the arena has to grow, and a value
 * taken from the object itself (which may move as it grows): read back as written. */
static void test_builders_copy_values_of_every_length(void **state)
{
	k8smig_object *d;
	char value[80], name[16], path[96];
	size_t c, n, i;
	(void)state;
	assert_ok(k8smig_deployment_new(&d, "web", "prod"));
	assert_ok(k8smig_pod_add_container(&c, d, "app", "nginx:1"));
	for (n = 0; n < 72; n++) {
		for (i = 0; i < n; i++)
			value[i] = (char)('!' + (i * 7 + n) % 90);
		value[n] = '\0';
		snprintf(name, sizeof(name), "V%zu", n);
		assert_ok(k8smig_container_add_env(d, c, name, value));
	}
	for (n = 0; n < 72; n++) {
		for (i = 0; i < n; i++)
			value[i] = (char)('!' + (i * 7 + n) % 90);
		value[n] = '\0';
		snprintf(path, sizeof(path), "spec.template.spec.containers[0].env[%zu].value", n);
		assert_string_equal(k8smig_object_get_str(d, path), value);
	}
	/* the 31-byte value, read from the object and written back into it */
	assert_ok(k8smig_container_add_env(d, c, "SELF", k8smig_object_get_str(d, "spec.template.spec.containers[0].env[31].value")));
	assert_string_equal(k8smig_object_get_str(d, "spec.template.spec.containers[0].env[72].value"),
	                    k8smig_object_get_str(d, "spec.template.spec.containers[0].env[31].value"));
	assert_int_equal(strlen(k8smig_object_get_str(d, "spec.template.spec.containers[0].env[72].value")), 31);
	k8smig_object_free(d);
}

/* The builders also remember the container last found: alternating containers, replacing the
 * list or the container itself, and reordering the spec (replicas) must keep writes where the
 * paths say. */
static void test_builders_container_memo(void **state)
{
	k8smig_object *d;
	const k8smig_value *spec;
	size_t c = 9;
	(void)state;
	assert_ok(k8smig_deployment_new(&d, "web", "prod"));
	assert_ok(k8smig_pod_add_container(&c, d, "app", "nginx:1"));
	assert_ok(k8smig_pod_add_container(&c, d, "side", "busybox:1"));
	assert_int_equal(c, 1);
	assert_ok(k8smig_container_add_env(d, 0, "A", "1"));
	assert_ok(k8smig_container_add_env(d, 1, "B", "2"));
	assert_ok(k8smig_container_add_env(d, 0, "C", "3"));
	assert_string_equal(k8smig_object_get_str(d, "spec.template.spec.containers[0].env[1].name"), "C");
	assert_string_equal(k8smig_object_get_str(d, "spec.template.spec.containers[1].env[0].name"), "B");
	/* replicas is written before selector and template, in place; the memo stays right */
	assert_ok(k8smig_deployment_set_replicas(d, 3));
	spec = k8smig_object_get(d, "spec");
	assert_string_equal(k8smig_value_key(k8smig_value_first(spec)), "replicas");
	assert_string_equal(k8smig_value_key(k8smig_value_next(k8smig_value_first(spec))), "selector");
	assert_ok(k8smig_deployment_set_replicas(d, 4));
	assert_int_equal(k8smig_value_size(spec), 3);
	assert_int_equal(k8smig_object_get_int(d, "spec.replicas"), 4);
	assert_ok(k8smig_container_add_env(d, 1, "D", "4"));
	assert_string_equal(k8smig_object_get_str(d, "spec.template.spec.containers[1].env[1].name"), "D");
	/* the container replaced by a scalar: the builder sees no map there */
	assert_ok(k8smig_object_set_str(d, "spec.template.spec.containers[1]", "x"));
	assert_int_not_equal(k8smig_container_add_env(d, 1, "E", "5"), 0);
	k8smig_error_clear();
	k8smig_object_free(d);

	/* the container list replaced: container 0 is gone */
	assert_ok(k8smig_deployment_new(&d, "web", "prod"));
	assert_ok(k8smig_pod_add_container(&c, d, "app", "nginx:1"));
	assert_ok(k8smig_container_add_env(d, 0, "A", "1"));
	assert_ok(k8smig_object_set_list(d, "spec.template.spec.containers"));
	assert_int_equal(k8smig_container_add_env(d, 0, "B", "2"), K8SMIG_ENOTFOUND);
	assert_string_equal(k8smig_error_last()->path, "spec.template.spec.containers[0]");
	k8smig_error_clear();
	k8smig_object_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_namespace_and_service_account, teardown_error),
		cmocka_unit_test_teardown(test_builders_copy_values_of_every_length, teardown_error),
		cmocka_unit_test_teardown(test_irsa_rejects_malformed_arns, teardown_error),
		cmocka_unit_test_teardown(test_identity_kind_checks, teardown_error),
		cmocka_unit_test_teardown(test_roles, teardown_error),
		cmocka_unit_test_teardown(test_role_bindings, teardown_error),
		cmocka_unit_test_teardown(test_config_map, teardown_error),
		cmocka_unit_test_teardown(test_secret_never_echoes_values, teardown_error),
		cmocka_unit_test_teardown(test_secret_stores, teardown_error),
		cmocka_unit_test_teardown(test_external_secrets, teardown_error),
		cmocka_unit_test_teardown(test_storage_classes, teardown_error),
		cmocka_unit_test_teardown(test_efs_volumes_and_claims, teardown_error),
		cmocka_unit_test_teardown(test_services, teardown_error),
		cmocka_unit_test_teardown(test_ingress_paths_and_tls, teardown_error),
		cmocka_unit_test_teardown(test_ingress_alb_annotations, teardown_error),
		cmocka_unit_test_teardown(test_ingress_classes, teardown_error),
		cmocka_unit_test_teardown(test_cert_manager, teardown_error),
		cmocka_unit_test_teardown(test_hpa, teardown_error),
		cmocka_unit_test_teardown(test_prometheus_rules, teardown_error),
		cmocka_unit_test_teardown(test_fluent_bit_config, teardown_error),
		cmocka_unit_test_teardown(test_kustomization, teardown_error),
		cmocka_unit_test_teardown(test_builder_errors_are_sticky, teardown_error),
		cmocka_unit_test_teardown(test_builders_follow_tree_changes, teardown_error),
		cmocka_unit_test_teardown(test_builders_container_memo, teardown_error),
	};
	return cmocka_run_group_tests_name("builders", tests, NULL, NULL);
}
