/*
 * examples/deploy_tool.c - an in-house deployment tool, written against the
 * installed library as a platform team would: spec -> plan -> typed builders
 * -> validate -> write the manifests -> apply -> apply again (nothing may
 * change) -> list what runs. Every call is checked, every error is printed
 * with its field path, and everything is freed on every path.
 *
 *     cc deploy_tool.c $(pkg-config --cflags --libs k8smig) -o deploy_tool
 *     ./deploy_tool [-s spec.yaml] [-e env] [-o manifests.yaml] [-k kubeconfig] [-c context] [-n namespace] [-T]
 *
 * Without -k, kubeconfig is found as kubectl finds it ($KUBECONFIG, then
 * ~/.kube/config). -n NAMESPACE deploys into a namespace of its own (a
 * preview): the planned namespace's objects move there and cluster-wide
 * objects are left out. -T is for CI: the test cluster's kubeconfig from
 * $K8SMIG_TEST_KUBECONFIG (exit 77, skipped, when it is not set), a private
 * namespace, deleted at the end.
 * Exit status: 0 done, 1 failed, 2 usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <k8smig.h>

/* Print the calling thread's last error, with everything it knows. */
static void print_error(const char *what)
{
	const k8smig_error *e = k8smig_error_last();
	fprintf(stderr, "deploy_tool: %s: %s", what, e->message);
	if (e->path[0])
		fprintf(stderr, " (at %s)", e->path);
	if (e->file[0])
		fprintf(stderr, " [%s%s%d]", e->file, e->line ? ":" : "", e->line);
	if (e->http_status)
		fprintf(stderr, " [HTTP %d %s]", e->http_status, e->reason);
	fprintf(stderr, " [%s]\n", k8smig_error_name(e->code));
}

/* Objects of our own, next to what the planner made (which already holds a
 * PodDisruptionBudget per service): built with the typed builders, handed to
 * the set with a take. */
static int add_own_objects(k8smig_object_list *set, const char *ns, const char *env)
{
	k8smig_object *cm = NULL;
	const char *name;

	/* a constructor fails without creating anything: nothing to free */
	if (k8smig_config_map_new(&cm, "deploy-tool-release", ns) < 0) {
		print_error("ConfigMap deploy-tool-release");
		return -1;
	}
	/* setters are sticky: build, then check once */
	k8smig_object_set_label(cm, "app.kubernetes.io/managed-by", "deploy-tool");
	k8smig_config_map_set(cm, "ENVIRONMENT", env);
	k8smig_config_map_set(cm, "RELEASED_BY", "deploy-tool");
	if (k8smig_object_status(cm) < 0) {
		print_error("ConfigMap deploy-tool-release");
		k8smig_object_free(cm);
		return -1;
	}
	name = k8smig_object_name(cm); /* borrowed: stays valid through the take */
	if (k8smig_object_list_append_take(set, cm) < 0) { /* cm is the list's, or freed */
		print_error("append");
		return -1;
	}
	printf("built ConfigMap %s\n", name);
	return 0;
}

/*
 * Move the set into namespace `to`: the Namespace object is renamed, the
 * namespaced objects follow it, and what is cluster-wide (StorageClass,
 * PersistentVolume, ClusterRole, ...) is taken out of the set, without
 * copying, and dropped.
 */
static int retarget(k8smig_object_list *set, const char *to)
{
	size_t i = 0, dropped = 0;

	while (i < k8smig_object_list_size(set)) {
		k8smig_object *o = k8smig_object_list_get_mut(set, i);
		const char *kind = k8smig_object_kind(o);
		int rc;
		if (kind && strcmp(kind, "Namespace") == 0)
			rc = k8smig_object_set_name(o, to);
		else if (k8smig_object_namespace(o))
			rc = k8smig_object_set_namespace(o, to);
		else {
			if (k8smig_object_list_remove(NULL, set, i) < 0) { /* frees it */
				print_error("remove");
				return -1;
			}
			dropped++;
			continue;
		}
		if (rc < 0) {
			print_error(kind ? kind : "object");
			return -1;
		}
		i++;
	}
	printf("moved %zu objects to namespace %s, left out %zu cluster-wide ones\n", k8smig_object_list_size(set), to, dropped);
	return 0;
}

/* Validate: print every finding; errors stop the deployment. */
static int validate(const k8smig_object_list *set)
{
	k8smig_report *report = NULL;
	size_t i, errors;

	if (k8smig_validate(&report, set, NULL) < 0) {
		print_error("validate");
		return -1;
	}
	for (i = 0; i < k8smig_report_size(report); i++) {
		const k8smig_finding *f = k8smig_report_get(report, i);
		fprintf(stderr, "%s %s %s/%s %s: %s\n", f->severity == K8SMIG_SEVERITY_ERROR ? "error" : "warning", f->code,
		        f->kind, f->name, f->path, f->message);
	}
	errors = k8smig_report_count(report, K8SMIG_SEVERITY_ERROR);
	printf("validated %zu objects: %zu errors, %zu warnings\n", k8smig_object_list_size(set), errors,
	       k8smig_report_count(report, K8SMIG_SEVERITY_WARNING));
	k8smig_report_free(report);
	return errors ? -1 : 0;
}

typedef struct tally {
	size_t n[4]; /* by k8smig_apply_action */
} tally;

static void on_progress(const k8smig_apply_result *r, size_t done, size_t total, void *payload)
{
	(void)done;
	(void)total;
	((tally *)payload)->n[r->action]++;
}

/* Apply the set; print failures. *changed_out: objects created or configured. */
static int apply(k8smig_client *c, const k8smig_object_list *set, size_t *changed_out)
{
	k8smig_apply_options ao = K8SMIG_APPLY_OPTIONS_INIT;
	k8smig_apply_set_options so = K8SMIG_APPLY_SET_OPTIONS_INIT;
	k8smig_apply_results *res = NULL;
	tally t = { { 0 } };
	size_t i, failed;

	ao.field_manager = "deploy-tool";
	so.apply = &ao;
	so.progress = on_progress;
	so.payload = &t;
	if (k8smig_client_apply_set(&res, c, set, &so) < 0) {
		/* nothing was applied, for one reason (unreachable, Forbidden, ...) */
		print_error("apply");
		return -1;
	}
	failed = k8smig_apply_results_failed(res);
	for (i = 0; failed && i < k8smig_apply_results_size(res); i++) {
		const k8smig_apply_result *r = k8smig_apply_results_get(res, i);
		if (r->action == K8SMIG_APPLY_FAILED)
			fprintf(stderr, "deploy_tool: %s %s/%s: %s%s%s [%s]\n", r->kind, r->namespace_, r->name, r->error_message,
			        r->error_path[0] ? " at " : "", r->error_path, k8smig_error_name(r->error_code));
	}
	printf("applied %zu objects: %zu created, %zu configured, %zu unchanged, %zu failed\n", k8smig_apply_results_size(res),
	       t.n[K8SMIG_APPLY_CREATED], t.n[K8SMIG_APPLY_CONFIGURED], t.n[K8SMIG_APPLY_UNCHANGED], failed);
	*changed_out = t.n[K8SMIG_APPLY_CREATED] + t.n[K8SMIG_APPLY_CONFIGURED];
	k8smig_apply_results_free(res);
	return failed ? -1 : 0;
}

/* What runs now: the Deployments of the namespace that carry our part-of label. */
static int list_running(k8smig_client *c, const char *ns, const char *part_of, size_t want)
{
	k8smig_object_list *live = NULL;
	char selector[256];
	size_t i, n;

	snprintf(selector, sizeof(selector), "app.kubernetes.io/part-of=%s", part_of);
	if (k8smig_client_list(&live, c, "apps/v1", "Deployment", ns, selector) < 0) {
		print_error("list Deployments");
		return -1;
	}
	n = k8smig_object_list_size(live);
	for (i = 0; i < n; i++)
		printf("running Deployment %s/%s\n", ns, k8smig_object_name(k8smig_object_list_get(live, i)));
	k8smig_object_list_free(live);
	if (n != want) {
		fprintf(stderr, "deploy_tool: %zu Deployments listed, %zu applied\n", n, want);
		return -1;
	}
	return 0;
}

static size_t count_kind(const k8smig_object_list *set, const char *kind)
{
	size_t i, n = 0;
	for (i = 0; i < k8smig_object_list_size(set); i++) {
		const char *k = k8smig_object_kind(k8smig_object_list_get(set, i));
		n += k && strcmp(k, kind) == 0;
	}
	return n;
}

int main(int argc, char **argv)
{
	const char *spec_path = NULL, *env = "dev", *out_path = NULL, *kubeconfig = NULL, *context = NULL, *ns = NULL;
	const char *preview = NULL;
	char private_ns[64];
	bool test_mode = false;
	k8smig_spec *spec = NULL;
	k8smig_object_list *set = NULL;
	k8smig_kubeconfig *kc = NULL;
	k8smig_client *c = NULL;
	k8smig_client_options co = K8SMIG_CLIENT_OPTIONS_INIT;
	size_t i, changed = 0;
	int opt, rc = 1, initialised = 0;

	while ((opt = getopt(argc, argv, "s:e:o:k:c:n:T")) != -1) {
		switch (opt) {
		case 's': spec_path = optarg; break;
		case 'e': env = optarg; break;
		case 'o': out_path = optarg; break;
		case 'k': kubeconfig = optarg; break;
		case 'c': context = optarg; break;
		case 'n': preview = optarg; break;
		case 'T':
			if (!(kubeconfig = getenv("K8SMIG_TEST_KUBECONFIG")) || !*kubeconfig) {
				printf("K8SMIG_TEST_KUBECONFIG is not set: skipped\n");
				return 77;
			}
			/* the test cluster is shared with other suites: keep out of their namespaces */
			snprintf(private_ns, sizeof(private_ns), "deploy-tool-%ld", (long)getpid());
			preview = private_ns;
			test_mode = true;
			break;
		default:
			fprintf(stderr, "usage: deploy_tool [-s spec.yaml] [-e env] [-o manifests.yaml] [-k kubeconfig] [-c context] [-n namespace] [-T]\n");
			return 2;
		}
	}
	if (k8smig_init() < 0) {
		print_error("init");
		return 1;
	}
	initialised = 1;

	/* spec -> plan */
	if ((spec_path ? k8smig_spec_load_file(&spec, spec_path) : k8smig_spec_load_default(&spec)) < 0) {
		print_error(spec_path ? spec_path : "default spec");
		goto out;
	}
	for (i = 0; i < k8smig_spec_environment_count(spec); i++)
		if (strcmp(k8smig_spec_environment_name(spec, i), env) == 0)
			ns = k8smig_spec_environment_namespace(spec, i);
	if (!ns) {
		fprintf(stderr, "deploy_tool: the spec has no environment %s\n", env);
		goto out;
	}
	if (k8smig_plan(&set, spec, env) < 0) {
		print_error("plan");
		goto out;
	}
	printf("planned %zu objects for %s (namespace %s)\n", k8smig_object_list_size(set), env, ns);

	/* builders -> validate -> manifests */
	if (add_own_objects(set, ns, env) < 0 || validate(set) < 0)
		goto out;
	if (out_path) {
		if (k8smig_object_list_write_file(set, out_path, NULL) < 0) {
			print_error("write manifests");
			goto out;
		}
		printf("wrote %s\n", out_path);
	}

	if (preview) {
		if (retarget(set, preview) < 0)
			goto out;
		ns = preview;
	}

	/* apply, then apply again: the second run must change nothing */
	if (k8smig_kubeconfig_load(&kc, kubeconfig) < 0) {
		print_error("kubeconfig");
		goto out;
	}
	co.context = context;
	if (k8smig_client_new(&c, kc, &co) < 0) {
		print_error("client");
		goto out;
	}
	k8smig_kubeconfig_free(kc); /* the client copied what it needs */
	kc = NULL;
	if (apply(c, set, &changed) < 0 || apply(c, set, &changed) < 0)
		goto out;
	if (changed) {
		fprintf(stderr, "deploy_tool: the second apply changed %zu objects\n", changed);
		goto out;
	}
	if (list_running(c, ns, k8smig_spec_name(spec), count_kind(set, "Deployment")) < 0)
		goto out;
	if (k8smig_client_warnings(c)[0])
		fprintf(stderr, "warning: %s", k8smig_client_warnings(c));
	rc = 0;
	if (test_mode) {
		if (k8smig_client_delete(c, "v1", "Namespace", NULL, ns, K8SMIG_PROPAGATION_BACKGROUND) < 0) {
			print_error("delete namespace");
			rc = 1;
		} else {
			printf("deleted namespace %s\n", ns);
		}
	}
out:
	k8smig_client_free(c);
	k8smig_kubeconfig_free(kc);
	k8smig_object_list_free(set);
	k8smig_spec_free(spec);
	if (initialised)
		k8smig_shutdown();
	return rc;
}
