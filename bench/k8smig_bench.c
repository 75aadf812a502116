/*
 * bench/k8smig_bench.c - libk8smig's side of B1 and B2 (docs/benchmarks.md).
 *
 * One workload per process, so that peak RSS belongs to that workload:
 *   k8smig_bench MODE N [FILE]
 * The side-by-side modes that bench/run.py uses (the peer's are in kclient_c_peer.c):
 *   construct[-typed], construct+json[-typed], construct+yaml[-typed]   build (and serialize) N objects
 *   dump[-typed] FILE     the N objects as compact JSON, one a line
 *   emit-yaml N FILE      the N objects as one YAML stream
 *   parse N FILE          k8smig_parse of FILE (must hold N documents)
 *   reserialize 0 FILE    parse FILE, write each document back as compact JSON to stdout
 *   libyaml-events N FILE libyaml's event parse of FILE, nothing built (the YAML floor)
 *   build N               N objects held in a list (memory)
 * and older ones kept to reproduce docs/benchmarks.md: jansson-load (json_loadb alone),
 * emit-json, build+emit-json|yaml, jansson-build+dump, jansson+libyaml-emit.
 * Each prints one JSON line: {"mode", "n", "seconds", "bytes", "maxrss_kb", "mallocs", ...}.
 */
#include <jansson.h>
#include <k8smig/sys/object.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <yaml.h>

#include <k8smig.h>

#include "passes.h"

/* ---- allocation counting: interpose malloc for the whole process ---- */
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
static unsigned long long n_allocs;
static int counting;
void *malloc(size_t n) { if (counting) n_allocs++; return __libc_malloc(n); }
void *calloc(size_t a, size_t b) { if (counting) n_allocs++; return __libc_calloc(a, b); }
void *realloc(void *p, size_t n) { if (counting) n_allocs++; return __libc_realloc(p, n); }

static long maxrss_kb(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

#define CHECK(x) do { if ((x) < 0) { fprintf(stderr, "%s:%d: %s (at %s)\n", __FILE__, __LINE__, \
	k8smig_error_last()->message, k8smig_error_last()->path); exit(1); } } while (0)

/* The reference Deployment (bench/deployment.json), copy i: name layering-<i>, tag :<i>. */
static k8smig_object *build_reference(int i)
{
	k8smig_object *d;
	char name[32], image[96];

	snprintf(name, sizeof(name), "layering-%d", i);
	snprintf(image, sizeof(image), "123456789012.dkr.ecr.us-east-1.amazonaws.com/layering:%d", i);
	CHECK(k8smig_object_new(&d, "apps/v1", "Deployment"));
	CHECK(k8smig_object_set_label(d, "app.kubernetes.io/name", "layering"));
	CHECK(k8smig_object_set_label(d, "app.kubernetes.io/part-of", "layering-detection"));
	CHECK(k8smig_object_set_label(d, "app.kubernetes.io/component", "algorithm"));
	CHECK(k8smig_object_set_name(d, name));
	CHECK(k8smig_object_set_namespace(d, "layering-detection-dev"));
	CHECK(k8smig_object_set_int(d, "spec.replicas", 2));
	CHECK(k8smig_object_set_str(d, "spec.selector.matchLabels[app.kubernetes.io/name]", "layering"));
	CHECK(k8smig_object_set_str(d, "spec.template.metadata.labels[app.kubernetes.io/name]", "layering"));
	CHECK(k8smig_object_set_str(d, "spec.template.spec.containers[0].env[0].name", "LOG_LEVEL"));
	CHECK(k8smig_object_set_str(d, "spec.template.spec.containers[0].env[0].value", "INFO"));
	CHECK(k8smig_object_set_str(d, "spec.template.spec.containers[0].env[1].name", "MAX_RETRIES"));
	CHECK(k8smig_object_set_str(d, "spec.template.spec.containers[0].env[1].value", "3"));
	CHECK(k8smig_object_set_str(d, "spec.template.spec.containers[0].env[2].name", "ALGORITHM_TIMEOUT_SECONDS"));
	CHECK(k8smig_object_set_str(d, "spec.template.spec.containers[0].env[2].value", "30"));
	CHECK(k8smig_object_set_str(d, "spec.template.spec.containers[0].envFrom[0].configMapRef.name", "app-config"));
	CHECK(k8smig_object_set_str(d, "spec.template.spec.containers[0].envFrom[1].secretRef.name", "api-key"));
	CHECK(k8smig_object_set_str(d, "spec.template.spec.containers[0].image", image));
	CHECK(k8smig_object_set_str(d, "spec.template.spec.containers[0].livenessProbe.httpGet.path", "/health"));
	CHECK(k8smig_object_set_int(d, "spec.template.spec.containers[0].livenessProbe.httpGet.port", 8001));
	CHECK(k8smig_object_set_int(d, "spec.template.spec.containers[0].livenessProbe.initialDelaySeconds", 5));
	CHECK(k8smig_object_set_int(d, "spec.template.spec.containers[0].livenessProbe.periodSeconds", 30));
	CHECK(k8smig_object_set_int(d, "spec.template.spec.containers[0].livenessProbe.timeoutSeconds", 10));
	CHECK(k8smig_object_set_str(d, "spec.template.spec.containers[0].name", "app"));
	CHECK(k8smig_object_set_int(d, "spec.template.spec.containers[0].ports[0].containerPort", 8001));
	CHECK(k8smig_object_set_str(d, "spec.template.spec.containers[0].ports[0].name", "http"));
	CHECK(k8smig_object_set_str(d, "spec.template.spec.containers[0].readinessProbe.httpGet.path", "/health"));
	CHECK(k8smig_object_set_int(d, "spec.template.spec.containers[0].readinessProbe.httpGet.port", 8001));
	CHECK(k8smig_object_set_int(d, "spec.template.spec.containers[0].readinessProbe.periodSeconds", 10));
	CHECK(k8smig_object_set_int(d, "spec.template.spec.containers[0].readinessProbe.timeoutSeconds", 5));
	CHECK(k8smig_object_set_str(d, "spec.template.spec.containers[0].resources.limits.cpu", "500m"));
	CHECK(k8smig_object_set_str(d, "spec.template.spec.containers[0].resources.limits.memory", "512Mi"));
	CHECK(k8smig_object_set_str(d, "spec.template.spec.containers[0].resources.requests.cpu", "500m"));
	CHECK(k8smig_object_set_str(d, "spec.template.spec.containers[0].resources.requests.memory", "512Mi"));
	CHECK(k8smig_object_set_str(d, "spec.template.spec.containers[0].volumeMounts[0].mountPath", "/app/input"));
	CHECK(k8smig_object_set_str(d, "spec.template.spec.containers[0].volumeMounts[0].name", "input"));
	CHECK(k8smig_object_set_bool(d, "spec.template.spec.containers[0].volumeMounts[0].readOnly", true));
	CHECK(k8smig_object_set_str(d, "spec.template.spec.serviceAccountName", "layering"));
	CHECK(k8smig_object_set_str(d, "spec.template.spec.volumes[0].name", "input"));
	CHECK(k8smig_object_set_str(d, "spec.template.spec.volumes[0].persistentVolumeClaim.claimName", "input-pvc"));
	CHECK(k8smig_object_set_bool(d, "spec.template.spec.volumes[0].persistentVolumeClaim.readOnly", true));
	return d;
}

/* The same Deployment through the typed builders (include/k8smig/workloads.h). */
static k8smig_object *build_reference_typed(int i)
{
	k8smig_object *d;
	char name[32], image[96];
	size_t c;
	k8smig_probe_options live = K8SMIG_PROBE_OPTIONS_INIT, ready = K8SMIG_PROBE_OPTIONS_INIT;

	snprintf(name, sizeof(name), "layering-%d", i);
	snprintf(image, sizeof(image), "123456789012.dkr.ecr.us-east-1.amazonaws.com/layering:%d", i);
	CHECK(k8smig_deployment_new(&d, name, "layering-detection-dev"));
	CHECK(k8smig_object_set_label(d, "app.kubernetes.io/name", "layering"));
	CHECK(k8smig_object_set_label(d, "app.kubernetes.io/part-of", "layering-detection"));
	CHECK(k8smig_object_set_label(d, "app.kubernetes.io/component", "algorithm"));
	CHECK(k8smig_deployment_set_replicas(d, 2));
	/* also the pod template's label (workloads.h), as a user writes it: one call */
	CHECK(k8smig_selector_set(d, "app.kubernetes.io/name", "layering"));
	CHECK(k8smig_pod_add_container(&c, d, "app", image));
	CHECK(k8smig_container_add_env(d, c, "LOG_LEVEL", "INFO"));
	CHECK(k8smig_container_add_env(d, c, "MAX_RETRIES", "3"));
	CHECK(k8smig_container_add_env(d, c, "ALGORITHM_TIMEOUT_SECONDS", "30"));
	CHECK(k8smig_container_add_env_from(d, c, K8SMIG_ENV_CONFIG_MAP, "app-config", NULL));
	CHECK(k8smig_container_add_env_from(d, c, K8SMIG_ENV_SECRET, "api-key", NULL));
	live.path = ready.path = "/health";
	live.port = ready.port = 8001;
	live.initial_delay_seconds = 5;
	live.period_seconds = 30;
	live.timeout_seconds = 10;
	ready.period_seconds = 10;
	ready.timeout_seconds = 5;
	CHECK(k8smig_container_set_probe(d, c, K8SMIG_PROBE_LIVENESS, &live));
	CHECK(k8smig_container_add_port(d, c, "http", 8001, NULL));
	CHECK(k8smig_container_set_probe(d, c, K8SMIG_PROBE_READINESS, &ready));
	CHECK(k8smig_container_set_resources(d, c, "500m", "512Mi", "500m", "512Mi"));
	CHECK(k8smig_container_add_volume_mount(d, c, "input", "/app/input", true, NULL));
	CHECK(k8smig_pod_set_service_account(d, "layering"));
	CHECK(k8smig_pod_add_volume(NULL, d, "input", K8SMIG_VOLUME_PVC, "input-pvc"));
	CHECK(k8smig_object_set_bool(d, "spec.template.spec.volumes[0].persistentVolumeClaim.readOnly", true));
	return d;
}

static int typed; /* build through the typed builders */

#define NOINLINE __attribute__((noinline))

k8smig_object *bench_construct(int i);
void bench_free(k8smig_object *d);
size_t bench_serialize(const k8smig_object *d, int json, FILE *out);
void bench_libyaml_events(const char *data, size_t len);
k8smig_object_list *bench_parse(const char *data, size_t len);

/* The workloads of the side-by-side table, out of line so that callgrind can count
 * each alone (--toggle-collect=bench_construct ...), as in kclient_c_peer.c. */
NOINLINE k8smig_object *bench_construct(int i)
{
	return typed ? build_reference_typed(i) : build_reference(i);
}

NOINLINE void bench_free(k8smig_object *d)
{
	k8smig_object_free(d);
}

/* Serialize d alone (compact JSON, or YAML), as kubernetes-client/c does one object at a time. */
NOINLINE size_t bench_serialize(const k8smig_object *d, int json, FILE *out)
{
	static k8smig_emit_options eo = K8SMIG_EMIT_OPTIONS_INIT;
	char *text;
	size_t len;
	eo.format = json ? K8SMIG_FORMAT_JSON : K8SMIG_FORMAT_YAML;
	eo.flags = json ? K8SMIG_EMIT_COMPACT : 0;
	CHECK(k8smig_object_emit(&text, &len, d, &eo));
	if (out && fwrite(text, 1, len, out) != len)
		exit(1);
	k8smig_free(text);
	return len;
}

/* The floor for any libyaml-based parser: events only, nothing built. */
NOINLINE void bench_libyaml_events(const char *data, size_t len)
{
	yaml_parser_t p;
	yaml_event_t ev;
	int done = 0;
	yaml_parser_initialize(&p);
	yaml_parser_set_input_string(&p, (const unsigned char *)data, len);
	while (!done) {
		if (!yaml_parser_parse(&p, &ev)) {
			fprintf(stderr, "libyaml error\n");
			exit(1);
		}
		done = ev.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
}

NOINLINE k8smig_object_list *bench_parse(const char *data, size_t len)
{
	k8smig_object_list *l;
	CHECK(k8smig_parse(&l, data, len, NULL));
	return l;
}

static k8smig_object_list *build_all(int n)
{
	k8smig_object_list *l;
	int i;
	CHECK(k8smig_object_list_new(&l));
	for (i = 0; i < n; i++)
		CHECK(k8smig_object_list_append_take(l, typed ? build_reference_typed(i) : build_reference(i)));
	return l;
}


typedef struct sink {
	FILE *f;
	size_t bytes;
} sink;

static int to_sink(const char *data, size_t len, void *payload)
{
	sink *s = payload;
	s->bytes += len;
	return s->f && fwrite(data, 1, len, s->f) != len;
}

/* ---- peers ---- */

/* jansson tree for the same Deployment, as a jansson user would write it */
static json_t *jansson_reference(int i)
{
	char name[32], image[96];
	snprintf(name, sizeof(name), "layering-%d", i);
	snprintf(image, sizeof(image), "123456789012.dkr.ecr.us-east-1.amazonaws.com/layering:%d", i);
	return json_pack(
		"{s:s, s:s, s:{s:{s:s, s:s, s:s}, s:s, s:s}, s:{s:i, s:{s:{s:s}}, s:{s:{s:{s:s}}, s:{s:[{"
		"s:[{s:s,s:s},{s:s,s:s},{s:s,s:s}], s:[{s:{s:s}},{s:{s:s}}], s:s,"
		"s:{s:{s:s,s:i}, s:i, s:i, s:i}, s:s, s:[{s:i,s:s}], s:{s:{s:s,s:i}, s:i, s:i},"
		"s:{s:{s:s,s:s}, s:{s:s,s:s}}, s:[{s:s,s:s,s:b}]}], s:s, s:[{s:s, s:{s:s,s:b}}]}}}}",
		"apiVersion", "apps/v1", "kind", "Deployment",
		"metadata", "labels", "app.kubernetes.io/name", "layering", "app.kubernetes.io/part-of", "layering-detection",
		"app.kubernetes.io/component", "algorithm", "name", name, "namespace", "layering-detection-dev",
		"spec", "replicas", 2, "selector", "matchLabels", "app.kubernetes.io/name", "layering",
		"template", "metadata", "labels", "app.kubernetes.io/name", "layering", "spec", "containers",
		"env", "name", "LOG_LEVEL", "value", "INFO", "name", "MAX_RETRIES", "value", "3",
		"name", "ALGORITHM_TIMEOUT_SECONDS", "value", "30",
		"envFrom", "configMapRef", "name", "app-config", "secretRef", "name", "api-key", "image", image,
		"livenessProbe", "httpGet", "path", "/health", "port", 8001, "initialDelaySeconds", 5, "periodSeconds", 30,
		"timeoutSeconds", 10, "name", "app", "ports", "containerPort", 8001, "name", "http",
		"readinessProbe", "httpGet", "path", "/health", "port", 8001, "periodSeconds", 10, "timeoutSeconds", 5,
		"resources", "limits", "cpu", "500m", "memory", "512Mi", "requests", "cpu", "500m", "memory", "512Mi",
		"volumeMounts", "mountPath", "/app/input", "name", "input", "readOnly", 1,
		"serviceAccountName", "layering", "volumes", "name", "input", "persistentVolumeClaim", "claimName",
		"input-pvc", "readOnly", 1);
}

/* libyaml emitter fed with events from a jansson tree: the obvious libyaml-based emitter */
static void emit_json_node(yaml_emitter_t *e, json_t *j)
{
	yaml_event_t ev;
	char buf[64];
	const char *s = NULL;
	int plain = 1;
	switch (json_typeof(j)) {
	case JSON_OBJECT: {
		const char *k;
		json_t *v;
		yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE);
		yaml_emitter_emit(e, &ev);
		json_object_foreach(j, k, v) {
			yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)k, -1, 1, 1, YAML_ANY_SCALAR_STYLE);
			yaml_emitter_emit(e, &ev);
			emit_json_node(e, v);
		}
		yaml_mapping_end_event_initialize(&ev);
		yaml_emitter_emit(e, &ev);
		return;
	}
	case JSON_ARRAY: {
		size_t i;
		json_t *v;
		yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_SEQUENCE_STYLE);
		yaml_emitter_emit(e, &ev);
		json_array_foreach(j, i, v)
			emit_json_node(e, v);
		yaml_sequence_end_event_initialize(&ev);
		yaml_emitter_emit(e, &ev);
		return;
	}
	case JSON_STRING:
		s = json_string_value(j);
		plain = 0;
		break;
	case JSON_INTEGER:
		snprintf(buf, sizeof(buf), "%lld", (long long)json_integer_value(j));
		s = buf;
		break;
	case JSON_TRUE: s = "true"; break;
	case JSON_FALSE: s = "false"; break;
	default: s = "null"; break;
	}
	yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s, -1, plain, !plain, YAML_ANY_SCALAR_STYLE);
	yaml_emitter_emit(e, &ev);
}

static int yaml_sink(void *data, unsigned char *buffer, size_t size)
{
	sink *s = data;
	s->bytes += size;
	(void)buffer;
	return 1;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;
	if (!f) { perror(path); exit(1); }
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	if (fread(buf, 1, (size_t)n, f) != (size_t)n) { perror(path); exit(1); }
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	int n = argc > 2 ? atoi(argv[2]) : 10000, i;
	const char *file = argc > 3 ? argv[3] : NULL;
	double t0, t = 0;
	size_t bytes = 0;
	unsigned long long allocs = 0;
	int npasses = 1;

	{
		/* the side-by-side modes: construct[-typed], construct+json[-typed], construct+yaml[-typed],
		 * dump[-typed] FILE (compact JSON, one object a line), reserialize FILE */
		size_t ml = strlen(mode);
		if (ml > 6 && strcmp(mode + ml - 6, "-typed") == 0 && strncmp(mode, "construct", 9) == 0) {
			typed = 1;
		} else if (strcmp(mode, "dump-typed") == 0) {
			typed = 1;
		}
	}
	if (strncmp(mode, "construct", 9) == 0 || strncmp(mode, "dump", 4) == 0) {
		int ser = strncmp(mode, "construct+", 10) == 0 || strncmp(mode, "dump", 4) == 0;
		int json = strstr(mode, "yaml") == NULL;
		unsigned long long a_construct = 0, a_serialize = 0;
		FILE *out = NULL;
		if (strncmp(mode, "dump", 4) == 0 && (!file || !(out = fopen(file, "wb")))) {
			fprintf(stderr, "dump needs a FILE\n");
			return 1;
		}
		passes ps;
		passes_start(&ps);
		if (out)
			ps.budget = 0; /* the file gets one copy */
		counting = 1;
		do {
			/* allocations and bytes of the first pass (the others make the same) */
			int first = ps.n == 0;
			t0 = now();
			for (i = 0; i < n; i++) {
				unsigned long long a1 = n_allocs;
				k8smig_object *d = bench_construct(i);
				if (first)
					a_construct += n_allocs - a1;
				if (ser) {
					size_t len;
					a1 = n_allocs;
					len = bench_serialize(d, json, out);
					if (first) {
						a_serialize += n_allocs - a1;
						bytes += len;
					}
				}
				bench_free(d);
			}
			t = now() - t0;
			if (first)
				allocs = n_allocs;
		} while (passes_more(&ps, t));
		counting = 0;
		if (out)
			fclose(out);
		printf("{\"mode\": \"%s\", \"n\": %d, \"seconds\": %.6f, \"passes\": %d, \"bytes\": %zu, \"maxrss_kb\": %ld, "
		       "\"mallocs\": %llu, \"mallocs_construct\": %llu, \"mallocs_serialize\": %llu}\n",
		       mode, n, ps.best, ps.n, bytes, maxrss_kb(), allocs, a_construct, a_serialize);
		return 0;
	}
	if (strcmp(mode, "reserialize") == 0) {
		/* parse FILE, write every document back as compact JSON (to compare with the peer's) */
		k8smig_object_list *l;
		char *data = slurp(file, &bytes);
		size_t k;
		l = bench_parse(data, bytes);
		for (k = 0; k < k8smig_object_list_size(l); k++)
			bench_serialize(k8smig_object_list_get(l, k), 1, stdout);
		k8smig_object_list_free(l);
		free(data);
		return 0;
	}
	if (strcmp(mode, "build-typed") == 0) {
		typed = 1;
		mode = "build";
	}
	if (strcmp(mode, "build") == 0) {
		k8smig_object_list *l;
		counting = 1;
		t0 = now();
		l = build_all(n);
		t = now() - t0;
		counting = 0;
		allocs = n_allocs;
		for (i = 0; i < n; i++)
			bytes += k8smig_object_memory(k8smig_object_list_get(l, (size_t)i));
		k8smig_object_list_free(l);
	} else if (strcmp(mode, "build+emit-yaml") == 0 || strcmp(mode, "build+emit-json") == 0 ||
	           strcmp(mode, "emit-yaml") == 0 || strcmp(mode, "emit-json") == 0) {
		/* emit-* times the emit alone; build+emit-* the whole B1 pipeline. Output goes to
		 * FILE when given (to feed B2), else it is only counted. */
		k8smig_emit_options eo = K8SMIG_EMIT_OPTIONS_INIT;
		k8smig_object_list *l;
		sink s = { file ? fopen(file, "wb") : NULL, 0 };
		int whole = strncmp(mode, "build+", 6) == 0;
		eo.format = strstr(mode, "json") ? K8SMIG_FORMAT_JSON : K8SMIG_FORMAT_YAML;
		eo.flags = 0;
		t0 = now();
		l = build_all(n);
		if (!whole)
			t0 = now();
		CHECK(k8smig_object_list_write(l, &eo, to_sink, &s));
		t = now() - t0;
		bytes = s.bytes;
		if (s.f)
			fclose(s.f);
		k8smig_object_list_free(l);
	} else if (strcmp(mode, "parse") == 0) {
		/* B2: k8smig_parse of FILE (YAML stream or JSON objects) */
		k8smig_object_list *l;
		char *data = slurp(file, &bytes);
		passes ps;
		passes_start(&ps);
		do {
			counting = ps.n == 0; /* the allocations of the first pass */
			t0 = now();
			l = bench_parse(data, bytes);
			t = now() - t0;
			counting = 0;
			if ((int)k8smig_object_list_size(l) != n) { fprintf(stderr, "parsed %zu docs, want %d\n", k8smig_object_list_size(l), n); return 1; }
			k8smig_object_list_free(l);
		} while (passes_more(&ps, t));
		t = ps.best;
		npasses = ps.n;
		allocs = n_allocs;
		free(data);
	} else if (strcmp(mode, "jansson-build+dump") == 0) {
		sink s = { NULL, 0 };
		t0 = now();
		for (i = 0; i < n; i++) {
			json_t *j = jansson_reference(i);
			char *out = json_dumps(j, JSON_INDENT(4) | JSON_PRESERVE_ORDER);
			s.bytes += strlen(out);
			free(out);
			json_decref(j);
		}
		t = now() - t0;
		bytes = s.bytes;
	} else if (strcmp(mode, "jansson+libyaml-emit") == 0) {
		sink s = { NULL, 0 };
		yaml_emitter_t e;
		yaml_event_t ev;
		t0 = now();
		yaml_emitter_initialize(&e);
		yaml_emitter_set_output(&e, yaml_sink, &s);
		yaml_emitter_set_unicode(&e, 1);
		yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING);
		yaml_emitter_emit(&e, &ev);
		for (i = 0; i < n; i++) {
			json_t *j = jansson_reference(i);
			yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1);
			yaml_emitter_emit(&e, &ev);
			emit_json_node(&e, j);
			yaml_document_end_event_initialize(&ev, 1);
			yaml_emitter_emit(&e, &ev);
			json_decref(j);
		}
		yaml_stream_end_event_initialize(&ev);
		yaml_emitter_emit(&e, &ev);
		yaml_emitter_delete(&e);
		t = now() - t0;
		bytes = s.bytes;
	} else if (strcmp(mode, "libyaml-events") == 0) {
		char *data = slurp(file, &bytes);
		passes ps;
		passes_start(&ps);
		do {
			t0 = now();
			bench_libyaml_events(data, bytes);
			t = now() - t0;
		} while (passes_more(&ps, t));
		t = ps.best;
		npasses = ps.n;
		free(data);
	} else if (strcmp(mode, "jansson-load") == 0) {
		/* jansson json_loadb over the stream of JSON objects */
		char *data = slurp(file, &bytes);
		size_t pos = 0;
		int docs = 0;
		t0 = now();
		while (pos < bytes) {
			json_error_t err;
			json_t *j;
			while (pos < bytes && (data[pos] == '\n' || data[pos] == ' '))
				pos++;
			if (pos >= bytes)
				break;
			j = json_loadb(data + pos, bytes - pos, JSON_DISABLE_EOF_CHECK, &err);
			if (!j) { fprintf(stderr, "jansson: %s\n", err.text); return 1; }
			pos += (size_t)err.position;
			json_decref(j);
			docs++;
		}
		t = now() - t0;
		free(data);
		if (docs != n) { fprintf(stderr, "jansson read %d docs\n", docs); return 1; }
	} else {
		fprintf(stderr, "usage: k8smig_bench build|build-typed|emit-yaml|emit-json|build+emit-yaml|build+emit-json|parse|"
		                "jansson-build+dump|jansson+libyaml-emit|libyaml-events|jansson-load N [FILE]\n");
		return 2;
	}
	printf("{\"mode\": \"%s%s\", \"n\": %d, \"seconds\": %.6f, \"passes\": %d, \"bytes\": %zu, \"maxrss_kb\": %ld, "
	       "\"mallocs\": %llu}\n", mode, typed ? "-typed" : "", n, t, npasses, bytes, maxrss_kb(), allocs);
	return 0;
}
