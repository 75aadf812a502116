/*
 * tests/unit/test_validate.c - lib/model/validate*.c: findings for one object
 * and for a set, the fixtures of tests/validate/, and the syntax helpers.
 *
 * Every finding code has a fixture in tests/validate/cases/<code>[-variant].yaml:
 * a bad half that must yield exactly the finding named by its "# expect:" line,
 * and a fixed half (after "# ---- fixed ----") that must yield no finding at all.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>

#include "helpers.h"
#include "model/validate.h"

#define SEPARATOR "# ---- fixed ----\n"

/* tests/validate/, found from this file's path (meson runs tests from the build root) */
static char fixture_dir[1024];

static void find_fixture_dir(void)
{
	const char *env = getenv("K8SMIG_VALIDATE_FIXTURES");
	const char *here = __FILE__;
	const char *slash = strrchr(here, '/');
	if (env) {
		snprintf(fixture_dir, sizeof(fixture_dir), "%s", env);
		return;
	}
	/* .../tests/unit/test_validate.c -> .../tests/validate */
	snprintf(fixture_dir, sizeof(fixture_dir), "%.*s/../validate", slash ? (int)(slash - here) : 1,
	         slash ? here : ".");
}

static char *read_text(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static k8smig_object_list *parse_named(const char *yaml, size_t len, const char *name)
{
	k8smig_parse_options po = K8SMIG_PARSE_OPTIONS_INIT;
	k8smig_object_list *set = NULL;
	po.source_name = name;
	assert_ok(k8smig_parse(&set, yaml, len, &po));
	return set;
}

static k8smig_report *validate_flags(const char *yaml, unsigned int flags)
{
	k8smig_validate_options o = K8SMIG_VALIDATE_OPTIONS_INIT;
	k8smig_object_list *set = parse_named(yaml, strlen(yaml), "test.yaml");
	k8smig_report *r = NULL;
	o.flags = flags;
	assert_ok(k8smig_validate(&r, set, &o));
	assert_non_null(r);
	k8smig_object_list_free(set);
	return r;
}

static k8smig_report *validate(const char *yaml)
{
	return validate_flags(yaml, 0);
}

static size_t count_code(const k8smig_report *r, const char *code)
{
	size_t i, n = 0;
	for (i = 0; i < k8smig_report_size(r); i++)
		if (strcmp(k8smig_report_get(r, i)->code, code) == 0)
			n++;
	return n;
}

static void dump(const k8smig_report *r)
{
	size_t i;
	for (i = 0; i < k8smig_report_size(r); i++) {
		const k8smig_finding *f = k8smig_report_get(r, i);
		print_message("  finding: %s %s %s/%s/%s %s: %s\n", f->severity ? "warning" : "error", f->code, f->kind,
		              f->namespace_, f->name, f->path, f->message);
	}
}

/* Exactly one finding, with these fields. */
static void assert_only(const k8smig_report *r, k8smig_severity sev, const char *code, const char *kind,
                        const char *name, const char *path)
{
	const k8smig_finding *f;
	if (k8smig_report_size(r) != 1)
		dump(r);
	assert_int_equal(k8smig_report_size(r), 1);
	f = k8smig_report_get(r, 0);
	assert_string_equal(f->code, code);
	assert_int_equal(f->severity, sev);
	assert_string_equal(f->kind, kind);
	assert_string_equal(f->name, name);
	assert_string_equal(f->path, path);
	assert_int_equal(k8smig_report_count(r, sev), 1);
}

static void assert_none(const k8smig_report *r)
{
	if (k8smig_report_size(r) != 0)
		dump(r);
	assert_int_equal(k8smig_report_size(r), 0);
}

#define DEPLOYMENT(extra_container)                                                                      \
	"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels:\n" \
	"      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n"              \
	"      containers:\n        - name: web\n          image: nginx:1.27\n" extra_container

/* ---- the fixtures ---------------------------------------------------------------------- */

typedef struct fixture_case {
	char path[1400];
	char name[256];
	bool fixed;
} fixture_case;

static void test_validate_fixture(void **state)
{
	const fixture_case *c = *state;
	char *text = read_text(c->path), *sep = strstr(text, SEPARATOR), *exp;
	char sev[16], code[64], kind[64], ns[64], name[128], path[512];
	k8smig_object_list *set;
	k8smig_report *r = NULL;
	const k8smig_finding *f;

	assert_non_null(sep);
	if (c->fixed) {
		/* the fixed half: no finding at all; lines count from the top of the file */
		const char *good = sep + strlen(SEPARATOR);
		set = parse_named(good, strlen(good), c->path);
		assert_ok(k8smig_validate(&r, set, NULL));
		assert_none(r);
		goto done;
	}
	exp = strstr(text, "# expect: ");
	assert_non_null(exp);
	assert_int_equal(sscanf(exp, "# expect: %15s %63s %63s %63s %127s %511s", sev, code, kind, ns, name, path), 6);
	set = parse_named(text, (size_t)(sep - text), c->path);
	assert_ok(k8smig_validate(&r, set, NULL));
	assert_only(r, strcmp(sev, "error") == 0 ? K8SMIG_SEVERITY_ERROR : K8SMIG_SEVERITY_WARNING, code, kind, name, path);
	f = k8smig_report_get(r, 0);
	assert_string_equal(f->namespace_, strcmp(ns, "-") == 0 ? "" : ns);
	assert_string_equal(f->source, c->path);
	assert_true(f->line > 0);
	assert_true(strlen(f->message) > 0);
done:
	k8smig_report_free(r);
	k8smig_object_list_free(set);
	free(text);
}

static void test_validate_layering_system_has_zero_findings(void **state)
{
	char path[1100];
	char *text;
	k8smig_object_list *set;
	k8smig_report *r = NULL;
	(void)state;
	snprintf(path, sizeof(path), "%s/layering-system.yaml", fixture_dir);
	text = read_text(path);
	set = parse_named(text, strlen(text), path);
	assert_true(k8smig_object_list_size(set) > 40);
	assert_ok(k8smig_validate(&r, set, NULL));
	assert_none(r);
	k8smig_report_free(r);
	/* and with Fargate declared: the ALB Ingress already uses target-type ip */
	{
		k8smig_validate_options o = K8SMIG_VALIDATE_OPTIONS_INIT;
		o.flags = K8SMIG_VALIDATE_FARGATE;
		assert_ok(k8smig_validate(&r, set, &o));
		assert_none(r);
		k8smig_report_free(r);
	}
	k8smig_object_list_free(set);
	free(text);
}

/* ---- the API ---------------------------------------------------------------------------- */

static void test_validate_options_and_arguments(void **state)
{
	k8smig_validate_options o;
	k8smig_object_list *set;
	k8smig_report *r = (k8smig_report *)&o;
	(void)state;
	assert_ok(k8smig_validate_options_init(&o, K8SMIG_VALIDATE_OPTIONS_VERSION));
	assert_int_equal(o.version, K8SMIG_VALIDATE_OPTIONS_VERSION);
	assert_int_equal(o.flags, 0);
	assert_fails(k8smig_validate_options_init(&o, 99), K8SMIG_EINVAL, "version");
	assert_ok(k8smig_object_list_new(&set));
	assert_fails(k8smig_validate(&r, NULL, NULL), K8SMIG_EINVAL, "");
	assert_null(r);
	o.version = 7;
	assert_fails(k8smig_validate(&r, set, &o), K8SMIG_EINVAL, "version");
	assert_ok(k8smig_validate(&r, set, NULL)); /* an empty set is fine */
	assert_int_equal(k8smig_report_size(r), 0);
	assert_null(k8smig_report_get(r, 0));
	assert_int_equal(k8smig_report_count(r, K8SMIG_SEVERITY_ERROR), 0);
	k8smig_report_free(r);
	k8smig_report_free(NULL);
	assert_int_equal(k8smig_report_size(NULL), 0);
	assert_fails(k8smig_object_validate(NULL), K8SMIG_EINVAL, "");
	k8smig_object_list_free(set);
}

static void test_object_validate_first_error_is_eschema(void **state)
{
	k8smig_object *d;
	(void)state;
	assert_ok(k8smig_object_new(&d, "apps/v1", "Deployment"));
	assert_ok(k8smig_object_set_name(d, "web"));
	assert_ok(k8smig_object_set_str(d, "spec.selector.matchLabels.app", "web"));
	assert_ok(k8smig_object_set_str(d, "spec.template.metadata.labels.app", "web"));
	assert_ok(k8smig_object_set_str(d, "spec.template.spec.containers[0].name", "web"));
	assert_fails(k8smig_object_validate(d), K8SMIG_ESCHEMA, "spec.template.spec.containers[0].image");
	assert_non_null(strstr(k8smig_error_last()->message, "K8SMIG-REQUIRED"));
	assert_ok(k8smig_object_set_str(d, "spec.template.spec.containers[0].image", "nginx:1.27"));
	assert_ok(k8smig_object_validate(d));
	/* warnings do not fail an object; cross-object rules do not run for one object */
	assert_ok(k8smig_object_set_str(d, "spec.template.spec.serviceAccountName", "missing"));
	assert_ok(k8smig_object_set_int(d, "spec.template.spec.containers[0].livenessProbe.periodSeconds", 0));
	assert_ok(k8smig_object_set_str(d, "spec.template.spec.containers[0].livenessProbe.tcpSocket.port", "8080"));
	assert_fails(k8smig_object_validate(d), K8SMIG_ESCHEMA,
	             "spec.template.spec.containers[0].livenessProbe.tcpSocket.port");
	assert_ok(k8smig_object_set_int(d, "spec.template.spec.containers[0].livenessProbe.tcpSocket.port", 8080));
	assert_ok(k8smig_object_validate(d));
	k8smig_object_free(d);
}

static void test_validate_returns_sticky_error(void **state)
{
	k8smig_object *d;
	k8smig_object_list *set;
	k8smig_report *r = NULL;
	(void)state;
	assert_ok(k8smig_object_new(&d, "v1", "ConfigMap"));
	assert_ok(k8smig_object_set_name(d, "c"));
	assert_fails(k8smig_object_set_str(d, "data[", "x"), K8SMIG_EINVAL, "data[");
	assert_fails(k8smig_object_validate(d), K8SMIG_EINVAL, "data[");
	assert_ok(k8smig_object_list_new(&set));
	assert_ok(k8smig_object_list_append_take(set, d));
	/* in a set, the failed object is a finding among the others (issue 16.6) */
	assert_ok(k8smig_validate(&r, set, NULL));
	assert_int_equal(k8smig_report_size(r), 1);
	assert_string_equal(k8smig_report_get(r, 0)->code, "K8SMIG-OBJECT-FAILED");
	assert_string_equal(k8smig_report_get(r, 0)->path, "data[");
	assert_string_equal(k8smig_report_get(r, 0)->name, "c");
	k8smig_report_free(r);
	k8smig_object_list_free(set);
}

static void test_validate_flags_skip_cross_and_lints(void **state)
{
	const char *yaml = DEPLOYMENT("          envFrom:\n            - configMapRef:\n                name: missing\n")
		"---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  API_TOKEN: x\n";
	k8smig_report *r = validate(yaml);
	assert_int_equal(k8smig_report_size(r), 2);
	assert_int_equal(count_code(r, K8SMIG__C_REF_MISSING), 1);
	assert_int_equal(count_code(r, K8SMIG__C_CONFIGMAP_CREDENTIAL), 1);
	k8smig_report_free(r);
	r = validate_flags(yaml, K8SMIG_VALIDATE_NO_CROSS);
	assert_only(r, K8SMIG_SEVERITY_WARNING, K8SMIG__C_CONFIGMAP_CREDENTIAL, "ConfigMap", "c", "data[API_TOKEN]");
	k8smig_report_free(r);
	r = validate_flags(yaml, K8SMIG_VALIDATE_NO_LINTS);
	assert_only(r, K8SMIG_SEVERITY_ERROR, K8SMIG__C_REF_MISSING, "Deployment", "web",
	            "spec.template.spec.containers[0].envFrom[0].configMapRef.name");
	k8smig_report_free(r);
	r = validate_flags(yaml, K8SMIG_VALIDATE_NO_LINTS | K8SMIG_VALIDATE_NO_CROSS);
	assert_none(r);
	k8smig_report_free(r);
}

static void test_validate_findings_sorted_by_object(void **state)
{
	k8smig_report *r = validate("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: B_\n---\n"
	                            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: 1\n  DB_PASSWORD: x\n---\n"
	                            "kind: Secret\nmetadata:\n  name: s\n");
	(void)state;
	assert_int_equal(k8smig_report_size(r), 4);
	assert_string_equal(k8smig_report_get(r, 0)->code, K8SMIG__C_NAME_INVALID);
	assert_int_equal(k8smig_report_get(r, 0)->line, 1);
	assert_string_equal(k8smig_report_get(r, 1)->path, "data[a]");
	assert_string_equal(k8smig_report_get(r, 2)->code, K8SMIG__C_CONFIGMAP_CREDENTIAL);
	assert_string_equal(k8smig_report_get(r, 3)->path, "apiVersion");
	assert_int_equal(k8smig_report_get(r, 3)->line, 14);
	assert_string_equal(k8smig_report_get(r, 3)->source, "test.yaml");
	assert_int_equal(k8smig_report_count(r, K8SMIG_SEVERITY_ERROR), 3);
	assert_int_equal(k8smig_report_count(r, K8SMIG_SEVERITY_WARNING), 1);
	k8smig_report_free(r);
}

static void test_validate_built_objects_have_no_source(void **state)
{
	k8smig_object *ns;
	k8smig_object_list *set;
	k8smig_report *r = NULL;
	(void)state;
	assert_ok(k8smig_object_new(&ns, "v1", "Namespace"));
	assert_ok(k8smig_object_set_name(ns, "Prod"));
	assert_ok(k8smig_object_list_new(&set));
	assert_ok(k8smig_object_list_append_take(set, ns));
	assert_ok(k8smig_validate(&r, set, NULL));
	assert_only(r, K8SMIG_SEVERITY_ERROR, K8SMIG__C_NAME_INVALID, "Namespace", "Prod", "metadata.name");
	assert_string_equal(k8smig_report_get(r, 0)->source, "");
	assert_int_equal(k8smig_report_get(r, 0)->line, 0);
	assert_string_equal(k8smig_report_get(r, 0)->namespace_, "");
	k8smig_report_free(r);
	k8smig_object_list_free(set);
}

/* ---- rules that fixtures cannot show well ------------------------------------------------- */

static void test_validate_annotations_size(void **state)
{
	k8smig_object *d;
	k8smig_object_list *set;
	k8smig_report *r = NULL;
	size_t big = 200 * 1024;
	char *v = malloc(big + 1);
	(void)state;
	assert_non_null(v);
	memset(v, 'a', big);
	v[big] = '\0';
	assert_ok(k8smig_object_new(&d, "v1", "ConfigMap"));
	assert_ok(k8smig_object_set_name(d, "c"));
	assert_ok(k8smig_object_set_annotation(d, "example.com/one", v));
	assert_ok(k8smig_object_validate(d)); /* 200 KiB: fine */
	assert_ok(k8smig_object_set_annotation(d, "example.com/two", v + big / 2)); /* 300 KiB */
	assert_fails(k8smig_object_validate(d), K8SMIG_ESCHEMA, "metadata.annotations");
	assert_ok(k8smig_object_list_new(&set));
	assert_ok(k8smig_object_list_append_take(set, d));
	assert_ok(k8smig_validate(&r, set, NULL));
	assert_only(r, K8SMIG_SEVERITY_ERROR, K8SMIG__C_ANNOTATIONS_SIZE, "ConfigMap", "c", "metadata.annotations");
	k8smig_report_free(r);
	k8smig_object_list_free(set);
	free(v);
}

static void test_validate_messages_never_contain_secret_values(void **state)
{
	k8smig_report *r = validate("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n"
	                            "  AWS_SECRET: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n"
	                            "  sdk: \"id=AKIAIOSFODNN7EXAMPLE\"\n"
	                            "  other: \"key wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY end\"\n"
	                            "  sha: 0123456789abcdef0123456789abcdef01234567\n"
	                            "  ok: hello\n---\n"
	                            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  password: \"hunter2!!\"\n");
	size_t i;
	(void)state;
	assert_int_equal(k8smig_report_size(r), 4);
	assert_string_equal(k8smig_report_get(r, 0)->path, "data[AWS_SECRET]");
	assert_string_equal(k8smig_report_get(r, 1)->path, "data[sdk]");
	assert_string_equal(k8smig_report_get(r, 2)->path, "data[other]");
	assert_string_equal(k8smig_report_get(r, 3)->path, "data[password]");
	assert_string_equal(k8smig_report_get(r, 3)->code, K8SMIG__C_VALUE);
	for (i = 0; i < k8smig_report_size(r); i++) {
		const char *m = k8smig_report_get(r, i)->message;
		assert_null(strstr(m, "wJalr"));
		assert_null(strstr(m, "AKIA"));
		assert_null(strstr(m, "hunter2"));
	}
	k8smig_report_free(r);
}

static void test_validate_probe_zero_is_a_warning(void **state)
{
	k8smig_report *r = validate(DEPLOYMENT("          readinessProbe:\n            exec:\n              command: [true]\n"
	                                       "            timeoutSeconds: 0\n            successThreshold: 3\n"));
	(void)state;
	assert_int_equal(k8smig_report_size(r), 1);
	assert_only(r, K8SMIG_SEVERITY_WARNING, K8SMIG__C_PROBE_BOUNDS, "Deployment", "web",
	            "spec.template.spec.containers[0].readinessProbe.timeoutSeconds");
	k8smig_report_free(r);
}

static void test_validate_name_rules_per_kind(void **state)
{
	k8smig_report *r = validate("apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: My.Role:read\n---\n"
	                            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db.credentials\n---\n"
	                            "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db.primary\nspec:\n"
	                            "  selector:\n    matchLabels:\n      app: db\n  template:\n    metadata:\n"
	                            "      labels:\n        app: db\n    spec:\n      containers:\n"
	                            "        - name: db\n          image: postgres:16\n---\n"
	                            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: Team\n");
	(void)state;
	assert_int_equal(k8smig_report_size(r), 2);
	assert_string_equal(k8smig_report_get(r, 0)->kind, "StatefulSet");
	assert_string_equal(k8smig_report_get(r, 0)->path, "metadata.name");
	assert_string_equal(k8smig_report_get(r, 1)->path, "metadata.namespace");
	k8smig_report_free(r);
}

static void test_validate_implicit_namespace_is_its_own(void **state)
{
	/* no namespace on the Deployment, the ConfigMap in prod: a cross-namespace reference */
	k8smig_report *r = validate(DEPLOYMENT("          envFrom:\n            - configMapRef:\n                name: c\n")
	                            "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: prod\n");
	(void)state;
	assert_only(r, K8SMIG_SEVERITY_ERROR, K8SMIG__C_CROSS_NAMESPACE, "Deployment", "web",
	            "spec.template.spec.containers[0].envFrom[0].configMapRef.name");
	k8smig_report_free(r);
	/* a Service selecting pods of another namespace */
	r = validate(DEPLOYMENT("") "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: prod\n"
	             "spec:\n  selector:\n    app: web\n  ports:\n    - port: 80\n");
	assert_only(r, K8SMIG_SEVERITY_ERROR, K8SMIG__C_CROSS_NAMESPACE, "Service", "web", "spec.selector");
	k8smig_report_free(r);
	/* cluster-scoped targets resolve from every namespace */
	r = validate("apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: d\n  namespace: prod\nspec:\n"
	             "  accessModes: [ReadWriteOnce]\n  storageClassName: gp3\n  resources:\n    requests:\n"
	             "      storage: 1Gi\n---\napiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: gp3\n"
	             "provisioner: ebs.csi.aws.com\n");
	assert_none(r);
	k8smig_report_free(r);
}

static void test_validate_providers_of_secrets_and_configmaps(void **state)
{
	/* optional refs, a Certificate's Secret, ExternalSecret dataFrom and target name, a kustomize generator */
	k8smig_report *r = validate(
		DEPLOYMENT("          env:\n"
		           "            - name: A\n              valueFrom:\n                secretKeyRef:\n"
		           "                  name: nowhere\n                  key: x\n                  optional: true\n"
		           "            - name: B\n              valueFrom:\n                secretKeyRef:\n"
		           "                  name: web-tls\n                  key: tls.crt\n"
		           "            - name: C\n              valueFrom:\n                secretKeyRef:\n"
		           "                  name: everything\n                  key: ANY_KEY\n"
		           "            - name: D\n              valueFrom:\n                configMapKeyRef:\n"
		           "                  name: generated\n                  key: MODE\n"
		           "          envFrom:\n            - secretRef:\n                name: target-name\n")
		"---\napiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: web\nspec:\n  secretName: web-tls\n"
		"  dnsNames: [web.example.com]\n  issuerRef:\n    name: ca\n    kind: ClusterIssuer\n"
		"---\napiVersion: cert-manager.io/v1\nkind: ClusterIssuer\nmetadata:\n  name: ca\nspec:\n  selfSigned: {}\n"
		"---\napiVersion: external-secrets.io/v1beta1\nkind: ExternalSecret\nmetadata:\n  name: everything\nspec:\n"
		"  secretStoreRef:\n    name: aws\n    kind: ClusterSecretStore\n  dataFrom:\n    - extract:\n        key: app/all\n"
		"---\napiVersion: external-secrets.io/v1beta1\nkind: ExternalSecret\nmetadata:\n  name: es\nspec:\n"
		"  secretStoreRef:\n    name: aws\n    kind: ClusterSecretStore\n  target:\n    name: target-name\n"
		"  data:\n    - secretKey: K\n      remoteRef:\n        key: app/k\n"
		"---\napiVersion: external-secrets.io/v1beta1\nkind: ClusterSecretStore\nmetadata:\n  name: aws\nspec:\n"
		"  provider:\n    aws:\n      service: ParameterStore\n      region: eu-west-1\n"
		"---\napiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: prod\n"
		"configMapGenerator:\n  - name: generated\n    literals:\n      - MODE=fast\n");
	(void)state;
	assert_none(r);
	k8smig_report_free(r);
	/* a key the Certificate's Secret does not have */
	r = validate(DEPLOYMENT("          env:\n            - name: B\n              valueFrom:\n                secretKeyRef:\n"
	                        "                  name: web-tls\n                  key: password\n")
	             "---\napiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: web\nspec:\n"
	             "  secretName: web-tls\n  dnsNames: [web.example.com]\n  issuerRef:\n    name: ca\n    kind: ClusterIssuer\n"
	             "---\napiVersion: cert-manager.io/v1\nkind: ClusterIssuer\nmetadata:\n  name: ca\nspec:\n  selfSigned: {}\n");
	assert_only(r, K8SMIG_SEVERITY_ERROR, K8SMIG__C_REF_MISSING, "Deployment", "web",
	            "spec.template.spec.containers[0].env[0].valueFrom.secretKeyRef");
	assert_non_null(strstr(k8smig_report_get(r, 0)->message, "from Certificate"));
	k8smig_report_free(r);
}

static void test_validate_hpa_defaults_and_limits(void **state)
{
	const char *hpa = "---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\nspec:\n"
	                  "  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: web\n  maxReplicas: 3\n";
	char buf[2048];
	k8smig_report *r;
	(void)state;
	/* no metrics: the default is 80% CPU, so CPU requests are needed */
	snprintf(buf, sizeof(buf), "%s%s", DEPLOYMENT(""), hpa);
	r = validate(buf);
	assert_only(r, K8SMIG_SEVERITY_ERROR, K8SMIG__C_HPA_REQUESTS, "HorizontalPodAutoscaler", "web", "spec.metrics");
	k8smig_report_free(r);
	/* a limit alone makes the request */
	snprintf(buf, sizeof(buf), "%s%s", DEPLOYMENT("          resources:\n            limits:\n              cpu: 1\n"), hpa);
	r = validate(buf);
	assert_none(r);
	k8smig_report_free(r);
	/* maxReplicas 0 */
	r = validate("apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: h\nspec:\n"
	             "  scaleTargetRef:\n    kind: Deployment\n    name: x\n  maxReplicas: 0\n");
	assert_int_equal(count_code(r, K8SMIG__C_HPA_RANGE), 1);
	assert_int_equal(count_code(r, K8SMIG__C_HPA_TARGET), 1);
	k8smig_report_free(r);
}

static void test_validate_static_binding_needs_no_storageclass(void **state)
{
	k8smig_report *r = validate(
		"apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: pv\nspec:\n  capacity:\n    storage: 5Gi\n"
		"  accessModes: [ReadWriteMany]\n  storageClassName: static-efs\n  csi:\n    driver: efs.csi.aws.com\n"
		"    volumeHandle: fs-0123456789abcdef0\n---\n"
		"apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: c\nspec:\n  accessModes: [ReadWriteMany]\n"
		"  storageClassName: static-efs\n  volumeName: pv\n  resources:\n    requests:\n      storage: 5Gi\n");
	(void)state;
	assert_none(r);
	k8smig_report_free(r);
	/* a claim that asks for more than the volume holds, through the PV's claimRef */
	r = validate("apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: pv\nspec:\n  capacity:\n    storage: 5Gi\n"
	             "  accessModes: [ReadWriteOnce]\n  hostPath:\n    path: /data\n  claimRef:\n    name: c\n---\n"
	             "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: c\nspec:\n  accessModes: [ReadWriteOnce]\n"
	             "  storageClassName: \"\"\n  resources:\n    requests:\n      storage: 10Gi\n");
	assert_only(r, K8SMIG_SEVERITY_ERROR, K8SMIG__C_PV_PVC_MISMATCH, "PersistentVolume", "pv",
	            "spec.claimRef.resources.requests[storage]");
	k8smig_report_free(r);
}

static void test_validate_alb_detection(void **state)
{
	/* an Ingress without a class, while the set's default IngressClass is the ALB controller */
	k8smig_report *r = validate(
		DEPLOYMENT("") "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n"
		"  ports:\n    - port: 80\n---\napiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata:\n  name: public\n"
		"  annotations:\n    ingressclass.kubernetes.io/is-default-class: \"true\"\nspec:\n  controller: ingress.k8s.aws/alb\n"
		"---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\nspec:\n  tls:\n    - secretName: web-tls\n"
		"  defaultBackend:\n    service:\n      name: web\n      port:\n        number: 80\n");
	(void)state;
	assert_only(r, K8SMIG_SEVERITY_WARNING, K8SMIG__C_ALB_TLS_SECRET, "Ingress", "web", "spec.tls[0].secretName");
	k8smig_report_free(r);
	/* K8SMIG_VALIDATE_FARGATE: instance targets warned without a hint in the set */
	r = validate_flags(DEPLOYMENT("") "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n"
	                   "    app: web\n  ports:\n    - port: 80\n---\napiVersion: networking.k8s.io/v1\nkind: Ingress\n"
	                   "metadata:\n  name: web\nspec:\n  ingressClassName: alb\n  defaultBackend:\n    service:\n"
	                   "      name: web\n      port:\n        number: 80\n",
	                   K8SMIG_VALIDATE_FARGATE);
	assert_only(r, K8SMIG_SEVERITY_WARNING, K8SMIG__C_ALB_FARGATE_TARGET, "Ingress", "web",
	            "metadata.annotations[alb.ingress.kubernetes.io/target-type]");
	k8smig_report_free(r);
}

static void test_validate_many_objects_stays_linear(void **state)
{
	/* 3000 Deployments + Services + HPAs: every lookup is a hash probe */
	size_t n = 3000, i;
	k8smig_object_list *set;
	k8smig_report *r = NULL;
	(void)state;
	assert_ok(k8smig_object_list_new(&set));
	for (i = 0; i < n; i++) {
		k8smig_object *d, *s, *h;
		char name[32];
		snprintf(name, sizeof(name), "svc-%zu", i);
		assert_ok(k8smig_object_new(&d, "apps/v1", "Deployment"));
		assert_ok(k8smig_object_set_name(d, name));
		assert_ok(k8smig_object_set_str(d, "spec.selector.matchLabels.app", name));
		assert_ok(k8smig_object_set_str(d, "spec.template.metadata.labels.app", name));
		assert_ok(k8smig_object_set_str(d, "spec.template.metadata.labels.tier", "backend"));
		assert_ok(k8smig_object_set_str(d, "spec.template.spec.containers[0].name", "app"));
		assert_ok(k8smig_object_set_str(d, "spec.template.spec.containers[0].image", "nginx"));
		assert_ok(k8smig_object_set_str(d, "spec.template.spec.containers[0].resources.requests.cpu", "100m"));
		assert_ok(k8smig_object_list_append_take(set, d));
		assert_ok(k8smig_object_new(&s, "v1", "Service"));
		assert_ok(k8smig_object_set_name(s, name));
		assert_ok(k8smig_object_set_str(s, "spec.selector.tier", "backend"));
		assert_ok(k8smig_object_set_str(s, "spec.selector.app", name));
		assert_ok(k8smig_object_set_int(s, "spec.ports[0].port", 80));
		assert_ok(k8smig_object_list_append_take(set, s));
		assert_ok(k8smig_object_new(&h, "autoscaling/v2", "HorizontalPodAutoscaler"));
		assert_ok(k8smig_object_set_name(h, name));
		assert_ok(k8smig_object_set_str(h, "spec.scaleTargetRef.kind", "Deployment"));
		assert_ok(k8smig_object_set_str(h, "spec.scaleTargetRef.name", name));
		assert_ok(k8smig_object_set_int(h, "spec.maxReplicas", 3));
		assert_ok(k8smig_object_list_append_take(set, h));
	}
	assert_ok(k8smig_validate(&r, set, NULL));
	assert_none(r);
	k8smig_report_free(r);
	k8smig_object_list_free(set);
}

/* ---- syntax helpers ------------------------------------------------------------------------- */

static void test_syntax_credentials(void **state)
{
	(void)state;
	assert_true(k8smig__looks_like_credential_key("API_KEY"));
	assert_true(k8smig__looks_like_credential_key("client_secret"));
	assert_true(k8smig__looks_like_credential_key("dbPassword"));
	assert_true(k8smig__looks_like_credential_key("GITHUB_TOKEN_V2"));
	assert_false(k8smig__looks_like_credential_key("KEY_PREFIX"));
	assert_false(k8smig__looks_like_credential_key("LOG_LEVEL"));
	assert_true(k8smig__looks_like_credential_value("AKIAIOSFODNN7EXAMPLE"));
	assert_true(k8smig__looks_like_credential_value("x ASIAIOSFODNN7EXAMPLE,"));
	assert_false(k8smig__looks_like_credential_value("AKIAIOSFODNN7EXAMPLEX"));
	assert_false(k8smig__looks_like_credential_value("XAKIAIOSFODNN7EXAMPLE"));
	assert_true(k8smig__looks_like_credential_value("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"));
	assert_false(k8smig__looks_like_credential_value("0123456789abcdef0123456789abcdef01234567")); /* a git sha */
	assert_false(k8smig__looks_like_credential_value("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEYS"));
	assert_false(k8smig__looks_like_credential_value("http://layering:8001"));
}

/* ---- the group: fixed tests plus one test per fixture half ------------------------------- */

static int cmp_cases(const void *a, const void *b)
{
	return strcmp(((const fixture_case *)a)->name, ((const fixture_case *)b)->name);
}

int main(void)
{
	static const struct CMUnitTest fixed[] = {
		cmocka_unit_test_teardown(test_validate_layering_system_has_zero_findings, teardown_error),
		cmocka_unit_test_teardown(test_validate_options_and_arguments, teardown_error),
		cmocka_unit_test_teardown(test_object_validate_first_error_is_eschema, teardown_error),
		cmocka_unit_test_teardown(test_validate_returns_sticky_error, teardown_error),
		cmocka_unit_test_teardown(test_validate_flags_skip_cross_and_lints, teardown_error),
		cmocka_unit_test_teardown(test_validate_findings_sorted_by_object, teardown_error),
		cmocka_unit_test_teardown(test_validate_built_objects_have_no_source, teardown_error),
		cmocka_unit_test_teardown(test_validate_annotations_size, teardown_error),
		cmocka_unit_test_teardown(test_validate_messages_never_contain_secret_values, teardown_error),
		cmocka_unit_test_teardown(test_validate_probe_zero_is_a_warning, teardown_error),
		cmocka_unit_test_teardown(test_validate_name_rules_per_kind, teardown_error),
		cmocka_unit_test_teardown(test_validate_implicit_namespace_is_its_own, teardown_error),
		cmocka_unit_test_teardown(test_validate_providers_of_secrets_and_configmaps, teardown_error),
		cmocka_unit_test_teardown(test_validate_hpa_defaults_and_limits, teardown_error),
		cmocka_unit_test_teardown(test_validate_static_binding_needs_no_storageclass, teardown_error),
		cmocka_unit_test_teardown(test_validate_alb_detection, teardown_error),
		cmocka_unit_test_teardown(test_validate_many_objects_stays_linear, teardown_error),
		cmocka_unit_test_teardown(test_syntax_credentials, teardown_error),
	};
	size_t nfixed = sizeof(fixed) / sizeof(fixed[0]), ncases = 0, cap = 64, i;
	fixture_case *cases = calloc(cap, sizeof(*cases));
	struct CMUnitTest *tests;
	char dir[1100];
	DIR *d;
	struct dirent *e;
	int rc;

	find_fixture_dir();
	snprintf(dir, sizeof(dir), "%s/cases", fixture_dir);
	if (!cases || !(d = opendir(dir))) {
		fprintf(stderr, "test_validate: cannot open %s\n", dir);
		return 1;
	}
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		if (n < 6 || strcmp(e->d_name + n - 5, ".yaml") != 0)
			continue;
		if (ncases + 2 > cap) {
			fixture_case *nc = realloc(cases, (cap *= 2) * sizeof(*cases));
			if (!nc)
				return 1;
			cases = nc;
		}
		for (i = 0; i < 2; i++) {
			fixture_case *c = &cases[ncases++];
			snprintf(c->path, sizeof(c->path), "%s/%s", dir, e->d_name);
			snprintf(c->name, sizeof(c->name), "test_validate_case_%.*s_%s", (int)(n - 5 > 200 ? 200 : n - 5), e->d_name,
			         i ? "fixed" : "bad");
			c->fixed = i;
		}
	}
	closedir(d);
	qsort(cases, ncases, sizeof(*cases), cmp_cases);
	tests = calloc(nfixed + ncases, sizeof(*tests));
	if (!tests)
		return 1;
	memcpy(tests, fixed, sizeof(fixed));
	for (i = 0; i < ncases; i++) {
		struct CMUnitTest *t = &tests[nfixed + i];
		t->name = cases[i].name;
		t->test_func = test_validate_fixture;
		t->teardown_func = teardown_error;
		t->initial_state = &cases[i];
	}
	rc = _cmocka_run_group_tests("validate", tests, nfixed + ncases, NULL, NULL);
	free(tests);
	free(cases);
	return rc;
}
