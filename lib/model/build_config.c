/*
 * lib/model/build_config.c - ConfigMap, Secret, SecretStore and ExternalSecret.
 *
 * Error messages name keys and fields, never values: a Secret's value must
 * not reach a log through k8smig_error_last().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"

#define ESO_API "external-secrets.io/v1"

int k8smig_config_map_new(k8smig_object **out, const char *name, const char *ns)
{
	return k8smig__build_new(out, "v1", "ConfigMap", name, ns);
}

/* Check key for map `field`; EINVAL with path field. */
static int check_key(k8smig_object *o, const char *field, const char *key)
{
	if (!k8smig__is_config_key(key))
		return k8smig__build_fail(o, K8SMIG_EINVAL, field,
		                          "key must be [-._a-zA-Z0-9]+, at most 253 bytes, and not '.' or start with '..'");
	return 0;
}

static int set_text(k8smig_object *o, const char *field, const char *key, const char *value)
{
	char path[K8SMIG__BUILD_PATH_MAX];
	k8smig__path_format(path, sizeof(path), "%s[%s]", field, key);
	if (!value || !k8smig__utf8_valid(value, strlen(value)))
		return k8smig__build_fail(o, K8SMIG_EINVAL, path, "%s", value ? "value is not valid UTF-8" : "NULL value");
	return k8smig__build_set_entry(o, field, key, value);
}

int k8smig_config_map_set(k8smig_object *cm, const char *key, const char *value)
{
	char path[K8SMIG__BUILD_PATH_MAX];
	int rc;

	if ((rc = k8smig__build_kind(cm, "ConfigMap", NULL)) < 0 || (rc = check_key(cm, "data", key)) < 0)
		return rc;
	if (k8smig_value_lookup(k8smig_object_get(cm, "binaryData"), key)) {
		k8smig__path_format(path, sizeof(path), "data[%s]", key);
		return k8smig__build_fail(cm, K8SMIG_EEXISTS, path, "key is already in binaryData");
	}
	return set_text(cm, "data", key, value);
}

static char *base64_encode(const unsigned char *in, size_t len)
{
	char *out;
	if (len > (SIZE_MAX - 4) / 4 * 3 || !(out = malloc(K8SMIG__BASE64_LEN(len) + 1)))
		return NULL;
	k8smig__base64_encode(out, in, len);
	return out;
}

static int set_bytes(k8smig_object *o, const char *field, const char *key, const void *data, size_t len)
{
	char *b64;
	int rc;
	if (!data && len)
		return k8smig__build_fail(o, K8SMIG_EINVAL, field, "NULL data");
	if (!(b64 = base64_encode(data, len)))
		return k8smig__build_fail(o, K8SMIG_ENOMEM, field, "out of memory");
	rc = k8smig__build_set_entry(o, field, key, b64);
	free(b64);
	return rc;
}

int k8smig_config_map_set_binary(k8smig_object *cm, const char *key, const void *data, size_t len)
{
	char path[K8SMIG__BUILD_PATH_MAX];
	int rc;

	if ((rc = k8smig__build_kind(cm, "ConfigMap", NULL)) < 0 || (rc = check_key(cm, "binaryData", key)) < 0)
		return rc;
	if (k8smig_value_lookup(k8smig_object_get(cm, "data"), key)) {
		k8smig__path_format(path, sizeof(path), "binaryData[%s]", key);
		return k8smig__build_fail(cm, K8SMIG_EEXISTS, path, "key is already in data");
	}
	return set_bytes(cm, "binaryData", key, data, len);
}

int k8smig_config_map_set_immutable(k8smig_object *obj, bool immutable)
{
	int rc;
	if ((rc = k8smig__build_kind(obj, "ConfigMap", "Secret", NULL)) < 0)
		return rc;
	return k8smig_object_set_bool(obj, "immutable", immutable);
}

int k8smig_secret_new(k8smig_object **out, const char *name, const char *ns, const char *type)
{
	int rc;
	if (!out)
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL output");
	*out = NULL;
	if (type && (!*type || strlen(type) > 253 || !k8smig__utf8_valid(type, strlen(type))))
		return k8smig__error_set(K8SMIG_EINVAL, "type", "secret type must be 1 to 253 bytes of UTF-8");
	if ((rc = k8smig__build_new(out, "v1", "Secret", name, ns)) < 0)
		return rc;
	if ((rc = k8smig_object_set_str(*out, "type", type ? type : "Opaque")) < 0) {
		k8smig_object_free(*out);
		*out = NULL;
	}
	return rc;
}

int k8smig_secret_set_string(k8smig_object *secret, const char *key, const char *value)
{
	int rc;
	if ((rc = k8smig__build_kind(secret, "Secret", NULL)) < 0 || (rc = check_key(secret, "stringData", key)) < 0)
		return rc;
	return set_text(secret, "stringData", key, value);
}

int k8smig_secret_set_data(k8smig_object *secret, const char *key, const void *data, size_t len)
{
	int rc;
	if ((rc = k8smig__build_kind(secret, "Secret", NULL)) < 0 || (rc = check_key(secret, "data", key)) < 0)
		return rc;
	return set_bytes(secret, "data", key, data, len);
}

/* ---- External Secrets Operator ------------------------------------------------- */

int k8smig_secret_store_new(k8smig_object **out, const char *name, const char *ns)
{
	return k8smig__build_new(out, ESO_API, ns ? "SecretStore" : "ClusterSecretStore", name, ns);
}

/* AWS region names: us-east-1, eu-central-2, us-gov-west-1, cn-north-1, us-isob-east-1 */
static bool valid_region(const char *r)
{
	const char *p = r;
	int parts = 0;
	if (!r || strlen(r) > 32 || !(p[0] >= 'a' && p[0] <= 'z') || !(p[1] >= 'a' && p[1] <= 'z') || p[2] != '-')
		return false;
	p += 2;
	while (*p == '-') {
		const char *start = ++p;
		while (*p >= 'a' && *p <= 'z')
			p++;
		if (p == start)
			break;
		parts++;
	}
	if (parts < 1 || p[-1] != '-')
		return false;
	if (!(*p >= '0' && *p <= '9'))
		return false;
	while (*p >= '0' && *p <= '9')
		p++;
	return *p == '\0';
}

int k8smig_secret_store_set_aws(k8smig_object *store, k8smig_aws_secret_service service, const char *region,
                                const char *service_account, const char *service_account_ns)
{
	bool cluster;
	int rc;

	if ((rc = k8smig__build_kind(store, "SecretStore", "ClusterSecretStore", NULL)) < 0)
		return rc;
	cluster = k8smig__build_is(store, "ClusterSecretStore");
	if (service != K8SMIG_AWS_SECRETS_MANAGER && service != K8SMIG_AWS_PARAMETER_STORE)
		return k8smig__build_fail(store, K8SMIG_EINVAL, "spec.provider.aws.service", "unknown AWS service");
	if (!valid_region(region))
		return k8smig__build_fail(store, K8SMIG_EINVAL, "spec.provider.aws.region", "not an AWS region (e.g. us-east-1)");
	if (service_account && !k8smig__is_dns1123_subdomain(service_account))
		return k8smig__build_fail(store, K8SMIG_EINVAL, "spec.provider.aws.auth.jwt.serviceAccountRef.name",
		                          "ServiceAccount name must be a DNS-1123 subdomain");
	if (service_account && cluster && !k8smig__is_dns1123_label(service_account_ns))
		return k8smig__build_fail(store, K8SMIG_EINVAL, "spec.provider.aws.auth.jwt.serviceAccountRef.namespace",
		                          "a ClusterSecretStore needs the ServiceAccount's namespace");
	if ((!service_account || !cluster) && service_account_ns)
		return k8smig__build_fail(store, K8SMIG_EINVAL, "spec.provider.aws.auth.jwt.serviceAccountRef.namespace",
		                          "%s", service_account ? "a SecretStore uses a ServiceAccount of its own namespace"
		                                                : "namespace without a ServiceAccount");
	if ((rc = k8smig_object_set_map(store, "spec.provider.aws")) < 0 ||
	    (rc = k8smig_object_set_str(store, "spec.provider.aws.service",
	                                service == K8SMIG_AWS_SECRETS_MANAGER ? "SecretsManager" : "ParameterStore")) < 0 ||
	    (rc = k8smig_object_set_str(store, "spec.provider.aws.region", region)) < 0)
		return rc;
	if (service_account &&
	    ((rc = k8smig_object_set_str(store, "spec.provider.aws.auth.jwt.serviceAccountRef.name", service_account)) < 0 ||
	     (cluster && (rc = k8smig_object_set_str(store, "spec.provider.aws.auth.jwt.serviceAccountRef.namespace",
	                                             service_account_ns)) < 0)))
		return rc;
	return 0;
}

int k8smig_external_secret_new(k8smig_object **out, const char *name, const char *ns, const char *store_kind,
                               const char *store_name, const char *refresh_interval)
{
	k8smig_object *es = NULL;
	int rc;

	if (!out)
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL output");
	*out = NULL;
	if (!k8smig__build_one_of(store_kind, "SecretStore", "ClusterSecretStore", NULL))
		return k8smig__error_set(K8SMIG_EINVAL, "spec.secretStoreRef.kind", "must be SecretStore or ClusterSecretStore");
	if (!k8smig__is_dns1123_subdomain(store_name))
		return k8smig__error_set(K8SMIG_EINVAL, "spec.secretStoreRef.name", "store name must be a DNS-1123 subdomain");
	if (refresh_interval && !k8smig__build_go_duration(refresh_interval))
		return k8smig__error_set(K8SMIG_EINVAL, "spec.refreshInterval", "not a duration (e.g. 1h, 15m, 0)");
	if ((rc = k8smig__build_new(&es, ESO_API, "ExternalSecret", name, ns)) < 0)
		return rc;
	if ((refresh_interval && (rc = k8smig_object_set_str(es, "spec.refreshInterval", refresh_interval)) < 0) ||
	    (rc = k8smig_object_set_str(es, "spec.secretStoreRef.name", store_name)) < 0 ||
	    (rc = k8smig_object_set_str(es, "spec.secretStoreRef.kind", store_kind)) < 0) {
		k8smig_object_free(es);
		return rc;
	}
	*out = es;
	return 0;
}

int k8smig_external_secret_set_target(k8smig_object *es, const char *secret_name, const char *creation_policy)
{
	int rc;
	if ((rc = k8smig__build_kind(es, "ExternalSecret", NULL)) < 0)
		return rc;
	if (secret_name && !k8smig__is_dns1123_subdomain(secret_name))
		return k8smig__build_fail(es, K8SMIG_EINVAL, "spec.target.name", "Secret name must be a DNS-1123 subdomain");
	if (creation_policy && !k8smig__build_one_of(creation_policy, "Owner", "Orphan", "Merge", "None", NULL))
		return k8smig__build_fail(es, K8SMIG_EINVAL, "spec.target.creationPolicy", "must be Owner, Orphan, Merge or None");
	if ((rc = k8smig_object_set_map(es, "spec.target")) < 0 ||
	    (secret_name && (rc = k8smig_object_set_str(es, "spec.target.name", secret_name)) < 0) ||
	    (creation_policy && (rc = k8smig_object_set_str(es, "spec.target.creationPolicy", creation_policy)) < 0))
		return rc;
	return 0;
}

static bool valid_remote_key(const char *k)
{
	return k && *k && strlen(k) <= 2048 && k8smig__utf8_valid(k, strlen(k));
}

int k8smig_external_secret_add_data(k8smig_object *es, const char *secret_key, const char *remote_key,
                                    const char *property, const char *version)
{
	char path[96];
	size_t i;
	int rc;

	if ((rc = k8smig__build_kind(es, "ExternalSecret", NULL)) < 0)
		return rc;
	i = k8smig__build_list_size(es, "spec.data");
	k8smig__path_format(path, sizeof(path), "spec.data[%zu].secretKey", i);
	if (!k8smig__is_config_key(secret_key))
		return k8smig__build_fail(es, K8SMIG_EINVAL, path, "key must be [-._a-zA-Z0-9]+ and at most 253 bytes");
	k8smig__path_format(path, sizeof(path), "spec.data[%zu].remoteRef.key", i);
	if (!valid_remote_key(remote_key))
		return k8smig__build_fail(es, K8SMIG_EINVAL, path, "missing remote key");
	k8smig__path_format(path, sizeof(path), "spec.data[%zu].remoteRef.property", i);
	if (property && !*property)
		return k8smig__build_fail(es, K8SMIG_EINVAL, path, "empty property (use NULL for none)");
	k8smig__path_format(path, sizeof(path), "spec.data[%zu].remoteRef.version", i);
	if (version && !*version)
		return k8smig__build_fail(es, K8SMIG_EINVAL, path, "empty version (use NULL for the current one)");
	if ((rc = k8smig__build_append_map(&i, es, "spec.data")) < 0 ||
	    (rc = k8smig__build_set_str(es, secret_key, "spec.data[%zu].secretKey", i)) < 0 ||
	    (rc = k8smig__build_set_str(es, remote_key, "spec.data[%zu].remoteRef.key", i)) < 0 ||
	    (property && (rc = k8smig__build_set_str(es, property, "spec.data[%zu].remoteRef.property", i)) < 0) ||
	    (version && (rc = k8smig__build_set_str(es, version, "spec.data[%zu].remoteRef.version", i)) < 0))
		return rc;
	return 0;
}

int k8smig_external_secret_add_data_from(k8smig_object *es, const char *remote_key)
{
	char path[96];
	size_t i;
	int rc;

	if ((rc = k8smig__build_kind(es, "ExternalSecret", NULL)) < 0)
		return rc;
	i = k8smig__build_list_size(es, "spec.dataFrom");
	if (!valid_remote_key(remote_key)) {
		k8smig__path_format(path, sizeof(path), "spec.dataFrom[%zu].extract.key", i);
		return k8smig__build_fail(es, K8SMIG_EINVAL, path, "missing remote key");
	}
	if ((rc = k8smig__build_append_map(&i, es, "spec.dataFrom")) < 0)
		return rc;
	return k8smig__build_set_str(es, remote_key, "spec.dataFrom[%zu].extract.key", i);
}
