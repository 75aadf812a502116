/*
 * k8smig/config.h - ConfigMap, Secret and External Secrets Operator builders.
 *
 * Conventions as in identity.h: validated setters, field paths in errors,
 * sticky failures, K8SMIG_EKIND for other kinds. Error messages never quote
 * a Secret's or ConfigMap's value.
 */
#ifndef K8SMIG_CONFIG_H
#define K8SMIG_CONFIG_H

#include "common.h"
#include "object.h"

K8SMIG_BEGIN_DECL

/**
 * Create a v1 ConfigMap.
 * @param out (owned) the new object; NULL on failure
 * @param name a DNS-1123 subdomain
 * @param ns namespace, or NULL
 * @return 0; K8SMIG_EINVAL (path metadata.name or metadata.namespace); K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_config_map_new(k8smig_object **out, const char *name, const char *ns);

/**
 * Set data[key] = value. Multi-line values are written as literal blocks.
 * @param cm a ConfigMap
 * @param key [-._a-zA-Z0-9]+, at most 253 bytes, not "." or starting with ".."
 * @param value UTF-8 text
 * @return 0; K8SMIG_EINVAL (bad key: path data; bad value: path data[key]);
 *         K8SMIG_EEXISTS (key already in binaryData; path data[key]); K8SMIG_EKIND; K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_config_map_set(k8smig_object *cm, const char *key, const char *value);

/**
 * Set binaryData[key] to the base64 encoding of len bytes.
 * @param cm a ConfigMap
 * @param key as for k8smig_config_map_set()
 * @param data the bytes (may be NULL when len is 0)
 * @param len number of bytes
 * @return 0; K8SMIG_EINVAL (path binaryData); K8SMIG_EEXISTS (key already in data;
 *         path binaryData[key]); K8SMIG_EKIND; K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_config_map_set_binary(k8smig_object *cm, const char *key, const void *data, size_t len);

/**
 * Set immutable on a ConfigMap or a Secret (false survives emit and parse).
 * @param obj a ConfigMap or Secret
 * @param immutable whether the data can no longer change
 * @return 0; K8SMIG_EKIND; K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_config_map_set_immutable(k8smig_object *obj, bool immutable);

/**
 * Create a v1 Secret.
 * @param out (owned) the new object; NULL on failure
 * @param name a DNS-1123 subdomain
 * @param ns namespace, or NULL
 * @param type e.g. "Opaque", "kubernetes.io/tls"; NULL for "Opaque"
 * @return 0; K8SMIG_EINVAL (path metadata.name, metadata.namespace or type); K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_secret_new(k8smig_object **out, const char *name, const char *ns, const char *type);

/**
 * Set stringData[key] = value (the API server encodes it into data).
 * @param secret a Secret
 * @param key as for k8smig_config_map_set()
 * @param value UTF-8 text; never quoted in error messages
 * @return 0; K8SMIG_EINVAL (path stringData or stringData[key]); K8SMIG_EKIND; K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_secret_set_string(k8smig_object *secret, const char *key, const char *value);

/**
 * Set data[key] to the base64 encoding of len bytes.
 * @param secret a Secret
 * @param key as for k8smig_config_map_set()
 * @param data the bytes (may be NULL when len is 0)
 * @param len number of bytes
 * @return 0; K8SMIG_EINVAL (path data); K8SMIG_EKIND; K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_secret_set_data(k8smig_object *secret, const char *key, const void *data, size_t len);

/** AWS services an External Secrets store reads from. */
typedef enum k8smig_aws_secret_service {
	K8SMIG_AWS_SECRETS_MANAGER = 0,   /**< spec.provider.aws.service: SecretsManager */
	K8SMIG_AWS_PARAMETER_STORE = 1    /**< spec.provider.aws.service: ParameterStore */
} k8smig_aws_secret_service;

/**
 * Create an external-secrets.io/v1 SecretStore (ns not NULL) or ClusterSecretStore (ns NULL).
 * @param out (owned) the new object; NULL on failure
 * @param name a DNS-1123 subdomain
 * @param ns namespace of a SecretStore, or NULL for a ClusterSecretStore
 * @return 0; K8SMIG_EINVAL (path metadata.name or metadata.namespace); K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_secret_store_new(k8smig_object **out, const char *name, const char *ns);

/**
 * Use the AWS provider: spec.provider.aws.{service, region} and, when
 * service_account is given, IRSA auth (auth.jwt.serviceAccountRef).
 * @param store a SecretStore or ClusterSecretStore
 * @param service Secrets Manager or Parameter Store
 * @param region e.g. "us-east-1"
 * @param service_account (optional) ServiceAccount whose IRSA role reads the secrets;
 *        NULL uses the operator's own credentials
 * @param service_account_ns namespace of that ServiceAccount: required for a
 *        ClusterSecretStore, must be NULL for a SecretStore
 * @return 0; K8SMIG_EINVAL (path spec.provider.aws.service, .region or
 *         .auth.jwt.serviceAccountRef.name/.namespace); K8SMIG_EKIND; K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_secret_store_set_aws(k8smig_object *store, k8smig_aws_secret_service service,
                                                         const char *region, const char *service_account,
                                                         const char *service_account_ns);

/**
 * Create an external-secrets.io/v1 ExternalSecret reading from a store.
 * @param out (owned) the new object; NULL on failure
 * @param name a DNS-1123 subdomain
 * @param ns namespace, or NULL
 * @param store_kind "SecretStore" or "ClusterSecretStore"
 * @param store_name the store's name
 * @param refresh_interval Go duration ("1h", "15m", "0" never refreshes); NULL for the operator default
 * @return 0; K8SMIG_EINVAL (path metadata.name, metadata.namespace, spec.secretStoreRef.kind,
 *         spec.secretStoreRef.name or spec.refreshInterval); K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_external_secret_new(k8smig_object **out, const char *name, const char *ns,
                                                        const char *store_kind, const char *store_name,
                                                        const char *refresh_interval);

/**
 * Set spec.target: the Kubernetes Secret the operator writes.
 * @param es an ExternalSecret
 * @param secret_name the Secret's name (DNS-1123 subdomain); NULL means the ExternalSecret's name
 * @param creation_policy "Owner", "Orphan", "Merge" or "None"; NULL for the default (Owner)
 * @return 0; K8SMIG_EINVAL (path spec.target.name or spec.target.creationPolicy); K8SMIG_EKIND; K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_external_secret_set_target(k8smig_object *es, const char *secret_name,
                                                               const char *creation_policy);

/**
 * Append spec.data[]: one key of the target Secret from one remote secret.
 * @param es an ExternalSecret
 * @param secret_key key in the target Secret (as for k8smig_config_map_set())
 * @param remote_key name or ARN of the AWS secret or parameter
 * @param property (optional) JSON property inside the remote secret
 * @param version (optional) e.g. "AWSCURRENT" or a version id
 * @return 0; K8SMIG_EINVAL (path spec.data[i].secretKey or spec.data[i].remoteRef.key);
 *         K8SMIG_EKIND; K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_external_secret_add_data(k8smig_object *es, const char *secret_key,
                                                             const char *remote_key, const char *property,
                                                             const char *version);

/**
 * Append spec.dataFrom[].extract: every JSON property of a remote secret becomes a key.
 * @param es an ExternalSecret
 * @param remote_key name or ARN of the AWS secret
 * @return 0; K8SMIG_EINVAL (path spec.dataFrom[i].extract.key); K8SMIG_EKIND; K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_external_secret_add_data_from(k8smig_object *es, const char *remote_key);

K8SMIG_END_DECL

#endif /* K8SMIG_CONFIG_H */
