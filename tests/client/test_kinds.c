/*
 * tests/client/test_kinds.c - the table of kinds (lib/model/kinds.c) against
 * the real kube-apiserver harness (tests/cluster, with the project's CRDs):
 * every kind the server serves has the scope its discovery says, every
 * cluster-scoped kind it serves is in the table, and every table entry is
 * served there except the two documented in kinds.c. Needs
 * K8SMIG_TEST_KUBECONFIG; without it the suite reports a TAP skip.
 */
#include <stdio.h>
#include <stdlib.h>

#include "../unit/helpers.h"
#include "client/client.h"
#include "model/kinds.h"

/* table entries the harness does not serve (see kinds.c) */
static const char *const not_served[] = { "PodSecurityPolicy", "ClusterExternalSecret", NULL };

static k8smig_object *get_json(k8smig_client *c, const char *path)
{
	k8smig__http r;
	k8smig_object *o = NULL;
	size_t n = strlen(c->url_base) + strlen(path) + 1;

	memset(&r, 0, sizeof(r));
	r.method = "GET";
	r.url = malloc(n);
	assert_non_null(r.url);
	snprintf(r.url, n, "%s%s", c->url_base, path);
	if (k8smig__http_do(c, &r) < 0 || r.curl_code || r.status != 200)
		fail_msg("GET %s: %s (status %ld)", path, k8smig_error_last()->message, r.status);
	assert_ok(k8smig__http_object(&o, &r));
	k8smig__http_clear(&r);
	return o;
}

static void check_group_version(k8smig_client *c, const char *gv, bool *seen, size_t *nchecked)
{
	char path[256];
	k8smig_object *list;
	const k8smig_value *it;

	snprintf(path, sizeof(path), "/%s/%s", strchr(gv, '/') ? "apis" : "api", gv);
	list = get_json(c, path);
	for (it = k8smig_value_first(k8smig_object_get(list, "resources")); it; it = k8smig_value_next(it)) {
		const char *kind = k8smig_value_str(k8smig_value_lookup(it, "kind"));
		const char *name = k8smig_value_str(k8smig_value_lookup(it, "name"));
		bool namespaced = k8smig_value_bool(k8smig_value_lookup(it, "namespaced"));
		const k8smig__kind_info *k;

		if (!kind || !name || strchr(name, '/'))
			continue; /* subresources */
		k = k8smig__kind_find(kind);
		if (!k) {
			if (!namespaced)
				fail_msg("%s %s is cluster-scoped on the server but not in the table of kinds", gv, kind);
			continue;
		}
		if (k->cluster == namespaced)
			fail_msg("%s %s: the server says %s, the table %s", gv, kind,
			         namespaced ? "namespaced" : "cluster-scoped", k->cluster ? "cluster-scoped" : "namespaced");
		/* kustomize's view never claims more than the server has */
		if (k->kustomize_cluster && namespaced)
			fail_msg("%s: kustomize_cluster on a namespaced kind", kind);
		seen[k - k8smig__kind_at(0)] = true;
		(*nchecked)++;
	}
	k8smig_object_free(list);
}

static void test_kinds_scope_matches_discovery(void **state)
{
	const char *kc_path = getenv("K8SMIG_TEST_KUBECONFIG");
	k8smig_kubeconfig *kc;
	k8smig_client *c;
	k8smig_object *groups;
	const k8smig_value *g, *v;
	size_t n = k8smig__kind_count(), i, nchecked = 0, nseen = 0;
	bool *seen = calloc(n, sizeof(*seen));

	(void)state;
	assert_non_null(seen);
	if (k8smig_kubeconfig_load(&kc, kc_path) < 0)
		fail_msg("kubeconfig: %s", k8smig_error_last()->message);
	if (k8smig_client_new(&c, kc, NULL) < 0)
		fail_msg("client: %s", k8smig_error_last()->message);
	k8smig_kubeconfig_free(kc);

	check_group_version(c, "v1", seen, &nchecked);
	groups = get_json(c, "/apis");
	for (g = k8smig_value_first(k8smig_object_get(groups, "groups")); g; g = k8smig_value_next(g))
		for (v = k8smig_value_first(k8smig_value_lookup(g, "versions")); v; v = k8smig_value_next(v))
			check_group_version(c, k8smig_value_str(k8smig_value_lookup(v, "groupVersion")), seen, &nchecked);
	k8smig_object_free(groups);

	for (i = 0; i < n; i++) {
		const char *kind = k8smig__kind_at(i)->kind;
		size_t j;
		bool expected_missing = false;
		for (j = 0; not_served[j]; j++)
			expected_missing |= strcmp(not_served[j], kind) == 0;
		if (seen[i] == expected_missing)
			fail_msg("%s: %s by the test cluster", kind, seen[i] ? "now served" : "not served");
		nseen += seen[i];
	}
	print_message("# %zu discovery entries checked, %zu of %zu table kinds served\n", nchecked, nseen, n);
	assert_true(nseen + 2 == n);
	k8smig_client_free(c);
	free(seen);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_kinds_scope_matches_discovery, teardown_error),
	};
	const char *kc = getenv("K8SMIG_TEST_KUBECONFIG");
	if (!kc || !*kc) {
		printf("1..0 # SKIP K8SMIG_TEST_KUBECONFIG is not set: start tests/cluster/start.sh first\n");
		return 0;
	}
	int rc;
	if (k8smig_init() < 0) /* clients need it (issue 16) */
		return 1;
	rc = cmocka_run_group_tests_name("kinds-scope", tests, NULL, NULL);
	k8smig_shutdown();
	return rc;
}
