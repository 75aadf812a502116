/*
 * lib/client/impersonate.c - acting as another identity, as kubectl does:
 * Impersonate-User, Impersonate-Group (one header per group) and
 * Impersonate-Uid, from the kubeconfig user's `as`, `as-groups`, `as-uid`
 * or from k8smig_client_impersonate() (--as, --as-group, --as-uid).
 */
#include <stdlib.h>
#include <string.h>

#include "lifecycle_int.h"

void k8smig__impersonation_free(k8smig_client *c)
{
	size_t i;
	free(c->imp.user);
	free(c->imp.uid);
	for (i = 0; c->imp.groups && c->imp.groups[i]; i++)
		free(c->imp.groups[i]);
	free(c->imp.groups);
	c->imp.user = c->imp.uid = NULL;
	c->imp.groups = NULL;
}

static bool header_safe(const char *s)
{
	return !s || !strpbrk(s, "\r\n");
}

static int client_impersonate_impl(k8smig_client *c, const char *user, const char *const *groups, const char *uid)
{
	size_t n = 0, i;
	while (groups && groups[n])
		n++;
	if ((!user || !*user) && (n || (uid && *uid)))
		return k8smig__error_set(K8SMIG_EINVAL, "as", "impersonating groups or a uid needs a user (--as)");
	if (!header_safe(user) || !header_safe(uid))
		return k8smig__error_set(K8SMIG_EINVAL, "as", "an impersonated name cannot contain a line break");
	for (i = 0; i < n; i++)
		if (!header_safe(groups[i]))
			return k8smig__error_set(K8SMIG_EINVAL, "as-groups", "an impersonated group cannot contain a line break");
	k8smig__impersonation_free(c);
	if (!user || !*user)
		return 0;
	if (!(c->imp.user = k8smig__strdup(user)) || (uid && *uid && !(c->imp.uid = k8smig__strdup(uid))) ||
	    !(c->imp.groups = calloc(n + 1, sizeof(char *))))
		goto oom;
	for (i = 0; i < n; i++)
		if (!(c->imp.groups[i] = k8smig__strdup(groups[i])))
			goto oom;
	return 0;
oom:
	k8smig__impersonation_free(c);
	return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
}

int k8smig_client_impersonate(k8smig_client *c, const char *user, const char *const *groups, const char *uid)
{
	int rc;
	if (!c)
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL client");
	if ((rc = k8smig__client_enter(c)) < 0)
		return rc;
	rc = client_impersonate_impl(c, user, groups, uid);
	k8smig__client_leave(c);
	return rc;
}

const char *k8smig_client_impersonated_user(const k8smig_client *c) { return c ? c->imp.user : NULL; }

int k8smig__impersonate_from_user(k8smig_client *c, const k8smig_object *user, const char *user_name)
{
	const char *as = k8smig_object_get_str(user, "v.as"), *uid = k8smig_object_get_str(user, "v.as-uid");
	const k8smig_value *gl = k8smig_object_get(user, "v.as-groups"), *it;
	const char **groups;
	size_t n = 0;
	int rc;

	if (!as && !gl && !uid)
		return 0;
	if (gl && k8smig_value_type(gl) != K8SMIG_TYPE_LIST)
		return k8smig__error_set(K8SMIG_EINVAL, "as-groups", "user \"%s\": as-groups must be a list", user_name);
	if (!(groups = calloc(k8smig_value_size(gl) + 1, sizeof(char *))))
		return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	for (it = k8smig_value_first(gl); it; it = k8smig_value_next(it))
		if (k8smig_value_str(it))
			groups[n++] = k8smig_value_str(it);
	rc = k8smig_client_impersonate(c, as, groups, uid);
	free(groups);
	return rc;
}

int k8smig__impersonation_headers(const k8smig_client *c, struct curl_slist **h)
{
	size_t i;
	char buf[1024];
	struct curl_slist *n;
	if (!c->imp.user)
		return 0;
	snprintf(buf, sizeof(buf), "Impersonate-User: %s", c->imp.user);
	if (!(n = curl_slist_append(*h, buf)))
		return -1;
	*h = n;
	for (i = 0; c->imp.groups && c->imp.groups[i]; i++) {
		snprintf(buf, sizeof(buf), "Impersonate-Group: %s", c->imp.groups[i]);
		if (!(n = curl_slist_append(*h, buf)))
			return -1;
		*h = n;
	}
	if (c->imp.uid) {
		snprintf(buf, sizeof(buf), "Impersonate-Uid: %s", c->imp.uid);
		if (!(n = curl_slist_append(*h, buf)))
			return -1;
		*h = n;
	}
	return 0;
}
