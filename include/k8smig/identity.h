/*
 * k8smig/identity.h - Namespace, ServiceAccount (with IRSA) and RBAC builders.
 *
 * Builders are validated setters over k8smig_object (see object.h). A
 * failing builder returns a negative code, sets k8smig_error_last() with the
 * field path, and marks the object failed (sticky). Kind-specific functions
 * return K8SMIG_EKIND (path "kind") for other kinds; constructors leave *out
 * NULL on failure.
 */
#ifndef K8SMIG_IDENTITY_H
#define K8SMIG_IDENTITY_H

#include "common.h"
#include "object.h"

K8SMIG_BEGIN_DECL

/**
 * Create a v1 Namespace.
 * @param out (owned) the new object; NULL on failure
 * @param name a DNS-1123 label
 * @return 0; K8SMIG_EINVAL (path metadata.name); K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_namespace_new(k8smig_object **out, const char *name);

/**
 * Create a v1 ServiceAccount.
 * @param out (owned) the new object; NULL on failure
 * @param name a DNS-1123 subdomain
 * @param ns namespace (DNS-1123 label), or NULL to leave it to the overlay
 * @return 0; K8SMIG_EINVAL (path metadata.name or metadata.namespace); K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_service_account_new(k8smig_object **out, const char *name, const char *ns);

/**
 * IAM Roles for Service Accounts: annotate the ServiceAccount with
 * eks.amazonaws.com/role-arn and, when asked, eks.amazonaws.com/sts-regional-endpoints: "true".
 * @param sa a ServiceAccount
 * @param role_arn arn:<partition>:iam::<12-digit account>:role/[<path>/]<name>
 * @param sts_regional_endpoints true to use the regional STS endpoint; false removes the annotation
 * @return 0; K8SMIG_EINVAL (malformed ARN; path metadata.annotations[eks.amazonaws.com/role-arn]);
 *         K8SMIG_EKIND; K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_service_account_set_irsa(k8smig_object *sa, const char *role_arn, bool sts_regional_endpoints);

/**
 * Set automountServiceAccountToken (false survives emit and parse).
 * @param sa a ServiceAccount
 * @param automount whether pods mount the token by default
 * @return 0; K8SMIG_EKIND; K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_service_account_set_automount_token(k8smig_object *sa, bool automount);

/**
 * Create an rbac.authorization.k8s.io/v1 Role (ns not NULL) or ClusterRole (ns NULL).
 * @param out (owned) the new object; NULL on failure
 * @param name any name without '/' or '%' (and not "." or "..")
 * @param ns namespace of a Role, or NULL for a ClusterRole
 * @return 0; K8SMIG_EINVAL (path metadata.name or metadata.namespace); K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_role_new(k8smig_object **out, const char *name, const char *ns);

/**
 * Append a policy rule to a Role or ClusterRole. Arrays are NULL-terminated.
 * @param index_out (optional) index of the new rule in rules[]
 * @param role a Role or ClusterRole
 * @param api_groups API groups ("" is the core group); NULL or empty for none
 * @param resources resources ("pods", "pods/log", "*"); required
 * @param verbs verbs ("get", "list", "watch", "*", ...); required
 * @param resource_names (optional) restrict to these names
 * @return 0; K8SMIG_EINVAL (no resources: path rules[i].resources; no verbs or an empty
 *         verb: path rules[i].verbs); K8SMIG_EKIND; K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_role_add_rule(size_t *index_out, k8smig_object *role,
                                                  const char *const *api_groups, const char *const *resources,
                                                  const char *const *verbs, const char *const *resource_names);

/**
 * Create a RoleBinding (ns not NULL) or ClusterRoleBinding (ns NULL) with its roleRef.
 * @param out (owned) the new object; NULL on failure
 * @param name any name without '/' or '%'
 * @param ns namespace of a RoleBinding, or NULL for a ClusterRoleBinding
 * @param role_kind "Role" or "ClusterRole" (a ClusterRoleBinding needs "ClusterRole")
 * @param role_name the role's name
 * @return 0; K8SMIG_EINVAL (path metadata.name, metadata.namespace, roleRef.kind or roleRef.name); K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_role_binding_new(k8smig_object **out, const char *name, const char *ns,
                                                     const char *role_kind, const char *role_name);

/**
 * Append a subject to a RoleBinding or ClusterRoleBinding.
 * @param binding a RoleBinding or ClusterRoleBinding
 * @param kind "ServiceAccount", "User" or "Group"
 * @param name the subject's name
 * @param ns namespace of a ServiceAccount subject; NULL takes the RoleBinding's
 *        namespace (a ClusterRoleBinding needs it); must be NULL for users and groups
 * @return 0; K8SMIG_EINVAL (path subjects[i].kind, .name or .namespace); K8SMIG_EKIND; K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_role_binding_add_subject(k8smig_object *binding, const char *kind,
                                                             const char *name, const char *ns);

K8SMIG_END_DECL

#endif /* K8SMIG_IDENTITY_H */
