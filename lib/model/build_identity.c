/*
 * lib/model/build_identity.c - Namespace, ServiceAccount (IRSA) and RBAC.
 */
#include <stdio.h>
#include <string.h>

#include "build.h"

#define RBAC_API "rbac.authorization.k8s.io/v1"
#define ROLE_ARN_ANNOTATION "eks.amazonaws.com/role-arn"
#define STS_ANNOTATION "eks.amazonaws.com/sts-regional-endpoints"

int k8smig_namespace_new(k8smig_object **out, const char *name)
{
	return k8smig__build_new(out, "v1", "Namespace", name, NULL);
}

int k8smig_service_account_new(k8smig_object **out, const char *name, const char *ns)
{
	return k8smig__build_new(out, "v1", "ServiceAccount", name, ns);
}

int k8smig_service_account_set_irsa(k8smig_object *sa, const char *role_arn, bool sts_regional_endpoints)
{
	const char *why;
	int rc;
	if ((rc = k8smig__build_kind(sa, "ServiceAccount", NULL)) < 0)
		return rc;
	if ((why = k8smig__iam_role_arn(role_arn)))
		return k8smig__build_fail(sa, K8SMIG_EINVAL, "metadata.annotations[" ROLE_ARN_ANNOTATION "]",
		                          "not an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>): %s", why);
	if ((rc = k8smig_object_set_annotation(sa, ROLE_ARN_ANNOTATION, role_arn)) < 0)
		return rc;
	if (sts_regional_endpoints)
		return k8smig_object_set_annotation(sa, STS_ANNOTATION, "true");
	return k8smig_object_unset(sa, "metadata.annotations[" STS_ANNOTATION "]");
}

int k8smig_service_account_set_automount_token(k8smig_object *sa, bool automount)
{
	int rc;
	if ((rc = k8smig__build_kind(sa, "ServiceAccount", NULL)) < 0)
		return rc;
	return k8smig_object_set_bool(sa, "automountServiceAccountToken", automount);
}

int k8smig_role_new(k8smig_object **out, const char *name, const char *ns)
{
	return k8smig__build_new(out, RBAC_API, ns ? "Role" : "ClusterRole", name, ns);
}

static bool nonempty_strv(const char *const *v)
{
	if (!v || !*v)
		return false;
	for (; *v; v++)
		if (!**v)
			return false;
	return true;
}

int k8smig_role_add_rule(size_t *index_out, k8smig_object *role, const char *const *api_groups,
                         const char *const *resources, const char *const *verbs, const char *const *resource_names)
{
	static const char *const none[] = { NULL };
	char path[64];
	size_t i;
	int rc;

	if (index_out)
		*index_out = 0;
	if ((rc = k8smig__build_kind(role, "Role", "ClusterRole", NULL)) < 0)
		return rc;
	i = k8smig__build_list_size(role, "rules");
	if (!nonempty_strv(resources)) {
		k8smig__path_format(path, sizeof(path), "rules[%zu].resources", i);
		return k8smig__build_fail(role, K8SMIG_EINVAL, path, "a rule needs at least one non-empty resource");
	}
	if (!nonempty_strv(verbs)) {
		k8smig__path_format(path, sizeof(path), "rules[%zu].verbs", i);
		return k8smig__build_fail(role, K8SMIG_EINVAL, path, "a rule needs at least one non-empty verb");
	}
	if ((rc = k8smig__build_append_map(&i, role, "rules")) < 0 ||
	    (rc = k8smig__build_set_strv(role, api_groups ? api_groups : none, "rules[%zu].apiGroups", i)) < 0 ||
	    (rc = k8smig__build_set_strv(role, resources, "rules[%zu].resources", i)) < 0 ||
	    (resource_names && *resource_names &&
	     (rc = k8smig__build_set_strv(role, resource_names, "rules[%zu].resourceNames", i)) < 0) ||
	    (rc = k8smig__build_set_strv(role, verbs, "rules[%zu].verbs", i)) < 0)
		return rc;
	if (index_out)
		*index_out = i;
	return 0;
}

int k8smig_role_binding_new(k8smig_object **out, const char *name, const char *ns, const char *role_kind,
                            const char *role_name)
{
	k8smig_object *b = NULL;
	int rc;

	if (!out)
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL output");
	*out = NULL;
	if (!(ns ? k8smig__build_one_of(role_kind, "Role", "ClusterRole", NULL) : k8smig__build_one_of(role_kind, "ClusterRole", NULL)))
		return k8smig__error_set(K8SMIG_EINVAL, "roleRef.kind", "%s",
		                         ns ? "must be Role or ClusterRole" : "a ClusterRoleBinding refers to a ClusterRole");
	if (!role_name || !*role_name || strpbrk(role_name, "/%"))
		return k8smig__error_set(K8SMIG_EINVAL, "roleRef.name", "missing or invalid role name");
	if ((rc = k8smig__build_new(&b, RBAC_API, ns ? "RoleBinding" : "ClusterRoleBinding", name, ns)) < 0)
		return rc;
	if ((rc = k8smig_object_set_str(b, "roleRef.apiGroup", "rbac.authorization.k8s.io")) < 0 ||
	    (rc = k8smig_object_set_str(b, "roleRef.kind", role_kind)) < 0 ||
	    (rc = k8smig_object_set_str(b, "roleRef.name", role_name)) < 0) {
		k8smig_object_free(b);
		return rc;
	}
	*out = b;
	return 0;
}

int k8smig_role_binding_add_subject(k8smig_object *binding, const char *kind, const char *name, const char *ns)
{
	char path[64], own_ns[254];
	bool sa;
	size_t i;
	int rc;

	if ((rc = k8smig__build_kind(binding, "RoleBinding", "ClusterRoleBinding", NULL)) < 0)
		return rc;
	i = k8smig__build_list_size(binding, "subjects");
	if (!k8smig__build_one_of(kind, "ServiceAccount", "User", "Group", NULL)) {
		k8smig__path_format(path, sizeof(path), "subjects[%zu].kind", i);
		return k8smig__build_fail(binding, K8SMIG_EINVAL, path, "must be ServiceAccount, User or Group");
	}
	sa = strcmp(kind, "ServiceAccount") == 0;
	if (!name || !*name || (sa && !k8smig__is_dns1123_subdomain(name))) {
		k8smig__path_format(path, sizeof(path), "subjects[%zu].name", i);
		return k8smig__build_fail(binding, K8SMIG_EINVAL, path, "%s",
		                          sa ? "a ServiceAccount name must be a DNS-1123 subdomain" : "missing name");
	}
	if (sa && !ns && k8smig_object_namespace(binding)) {
		/* copy: the borrowed string moves when the arena grows */
		k8smig__path_format(own_ns, sizeof(own_ns), "%s", k8smig_object_namespace(binding));
		ns = own_ns;
	}
	k8smig__path_format(path, sizeof(path), "subjects[%zu].namespace", i);
	if (sa && !ns)
		return k8smig__build_fail(binding, K8SMIG_EINVAL, path, "a ServiceAccount subject of a ClusterRoleBinding needs a namespace");
	if ((sa && !k8smig__is_dns1123_label(ns)) || (!sa && ns))
		return k8smig__build_fail(binding, K8SMIG_EINVAL, path, "%s",
		                          sa ? "namespace must be a DNS-1123 label" : "users and groups have no namespace");
	if ((rc = k8smig__build_append_map(&i, binding, "subjects")) < 0 ||
	    (rc = k8smig__build_set_str(binding, kind, "subjects[%zu].kind", i)) < 0 ||
	    (!sa && (rc = k8smig__build_set_str(binding, "rbac.authorization.k8s.io", "subjects[%zu].apiGroup", i)) < 0) ||
	    (rc = k8smig__build_set_str(binding, name, "subjects[%zu].name", i)) < 0 ||
	    (sa && (rc = k8smig__build_set_str(binding, ns, "subjects[%zu].namespace", i)) < 0))
		return rc;
	return 0;
}
