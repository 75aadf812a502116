/*
 * lib/migrate/ci_rbac.c - the CI group's Role in one environment's
 * namespace, derived from the kinds that environment's overlay emits.
 *
 * The overlay is what CI applies on every deploy (k8smig apply --applyset
 * --prune --wait, k8smig diff, k8smig rollback); everything cluster-scoped
 * lives in k8s/cluster, which an admin applies. So the Role grants:
 * - on every namespaced kind the overlay emits: get, list, watch (diff,
 *   wait, prune), create and patch (server-side apply creates through a
 *   PATCH, and the API server checks create then), delete (prune);
 * - the same on Secrets, which the ApplySet parent and k8smig's revision
 *   history are (NAME and NAME.k8smig.rev.N);
 * - read-only on what `k8smig wait` reads to explain a stuck rollout:
 *   pods, replicasets and events.
 * No update (k8smig never PUTs), no escalate/bind/impersonate, no
 * cluster-scoped resource. A kind the table below does not know is an error,
 * so a new kind in the overlays cannot silently be left out of the Role.
 */
#include <stdio.h>

#include "migrate.h"

typedef struct kind_rule {
	const char *group, *kind, *resource;
	bool admin; /* cluster-scoped or RBAC: the admin layer's (k8s/cluster), never granted to CI */
} kind_rule;

/* group order here is the order of the Role's rules */
static const kind_rule kinds[] = {
	{ "", "ConfigMap", "configmaps", false },
	{ "", "PersistentVolumeClaim", "persistentvolumeclaims", false },
	{ "", "Secret", "secrets", false },
	{ "", "Service", "services", false },
	{ "", "ServiceAccount", "serviceaccounts", false },
	{ "", "Namespace", "namespaces", true },
	{ "", "PersistentVolume", "persistentvolumes", true },
	{ "apps", "DaemonSet", "daemonsets", false },
	{ "apps", "Deployment", "deployments", false },
	{ "apps", "StatefulSet", "statefulsets", false },
	{ "autoscaling", "HorizontalPodAutoscaler", "horizontalpodautoscalers", false },
	{ "batch", "CronJob", "cronjobs", false },
	{ "batch", "Job", "jobs", false },
	{ "policy", "PodDisruptionBudget", "poddisruptionbudgets", false },
	{ "networking.k8s.io", "Ingress", "ingresses", false },
	{ "networking.k8s.io", "NetworkPolicy", "networkpolicies", false },
	{ "external-secrets.io", "ExternalSecret", "externalsecrets", false },
	{ "external-secrets.io", "SecretStore", "secretstores", false },
	{ "elbv2.k8s.aws", "TargetGroupBinding", "targetgroupbindings", false },
	{ "monitoring.coreos.com", "PrometheusRule", "prometheusrules", false },
	{ "cert-manager.io", "Certificate", "certificates", false },
	{ "cert-manager.io", "Issuer", "issuers", false },
	{ "storage.k8s.io", "StorageClass", "storageclasses", true },
	{ "rbac.authorization.k8s.io", "Role", "roles", true },
	{ "rbac.authorization.k8s.io", "RoleBinding", "rolebindings", true },
};
#define N_KINDS (sizeof(kinds) / sizeof(kinds[0]))

static bool same_group(const char *api_version, const char *group)
{
	const char *slash = strchr(api_version, '/');
	size_t n = slash ? (size_t)(slash - api_version) : 0;
	return strlen(group) == n && strncmp(api_version, group, n) == 0;
}

void k8smig__ci_group(char *buf, size_t cap, const k8smig_spec *spec)
{
	snprintf(buf, cap, "%s-deployers", spec->name);
}

int k8smig__plan_ci_rbac(k8smig_object_list *l, const k8smig_spec *spec, const mig_env *env,
                         const k8smig_object_list *objs)
{
	static const char *const manage[] = { "get", "list", "watch", "create", "patch", "delete", NULL };
	static const char *const read[] = { "get", "list", "watch", NULL };
	bool used[N_KINDS] = { false };
	const char *resources[N_KINDS + 1], *groups[2] = { NULL, NULL };
	k8smig_object *o = NULL;
	char name[160], group[160];
	size_t i, j, k, n = k8smig_object_list_size(objs);
	int rc;

	for (i = 0; i < n; i++) {
		const k8smig_object *obj = k8smig_object_list_get(objs, i);
		const char *av = k8smig_object_api_version(obj), *kind = k8smig_object_kind(obj);
		for (k = 0; k < N_KINDS && !(strcmp(kinds[k].kind, kind) == 0 && same_group(av, kinds[k].group)); k++)
			;
		if (k == N_KINDS)
			return k8smig__error_set(K8SMIG_EINVAL, "", "no CI permission is known for kind %s (%s): add it to lib/migrate/ci_rbac.c",
			                         kind, av);
		if (!kinds[k].admin && k8smig_object_namespace(obj))
			used[k] = true;
	}
	for (k = 0; k < N_KINDS; k++)
		if (strcmp(kinds[k].kind, "Secret") == 0)
			used[k] = true; /* the ApplySet parent and the revision history */

	snprintf(name, sizeof(name), "%s-deployer", spec->name);
	TRY(k8smig_role_new(&o, name, env->ns));
	TRY(k8smig_object_set_label(o, MIG_PART_OF, spec->name));
	for (k = 0; k < N_KINDS; k++) {
		bool first = true;
		if (!used[k])
			continue;
		for (j = 0; j < k; j++)
			if (used[j] && strcmp(kinds[j].group, kinds[k].group) == 0)
				first = false;
		if (!first)
			continue; /* this group's rule is written already */
		for (i = k, j = 0; i < N_KINDS; i++)
			if (used[i] && strcmp(kinds[i].group, kinds[k].group) == 0)
				resources[j++] = kinds[i].resource;
		resources[j] = NULL;
		groups[0] = kinds[k].group;
		TRY(k8smig_role_add_rule(NULL, o, groups, resources, manage, NULL));
	}
	/* what `k8smig wait` reads to say why a rollout is stuck */
	{
		static const char *const core_read[] = { "events", "pods", NULL };
		static const char *const apps_read[] = { "replicasets", NULL };
		static const char *const events_read[] = { "events", NULL };
		groups[0] = "";
		TRY(k8smig_role_add_rule(NULL, o, groups, core_read, read, NULL));
		groups[0] = "apps";
		TRY(k8smig_role_add_rule(NULL, o, groups, apps_read, read, NULL));
		groups[0] = "events.k8s.io";
		TRY(k8smig_role_add_rule(NULL, o, groups, events_read, read, NULL));
	}
	TRY(k8smig__list_take(l, &o));

	k8smig__ci_group(group, sizeof(group), spec);
	TRY(k8smig_role_binding_new(&o, group, env->ns, "Role", name));
	TRY(k8smig_object_set_label(o, MIG_PART_OF, spec->name));
	TRY(k8smig_role_binding_add_subject(o, "Group", group, NULL));
	TRY(k8smig__list_take(l, &o));
	return 0;
fail:
	k8smig_object_free(o);
	return rc;
}
