/*
 * bench/kclient_c_peer.c - the peer side of B1/B2: the reference Deployment through
 * kubernetes-client/c (https://github.com/kubernetes-client/c), as its users write it:
 * typed model structs, v1_deployment_convertToJSON + cJSON_PrintUnformatted to serialize,
 * cJSON_Parse + v1_deployment_parseFromJSON to parse.
 *
 * This file is ours; kubernetes-client/c itself is not part of the project. bench/run.py
 * compiles this program against an installed copy given on its command line:
 *   cc -O2 kclient_c_peer.c -I PREFIX/include/kubernetes -L PREFIX/lib -lkubernetes
 *
 *   kclient_c_peer MODE N [FILE]
 *     construct         build and free N Deployments
 *     construct+json    build, serialize to compact JSON, free
 *     dump FILE         write the N compact JSON documents, one a line, to FILE
 *     parse FILE        parse the documents of FILE into v1_deployment_t and free them
 *     reserialize FILE  parse FILE and write every document back as compact JSON to stdout
 * prints one JSON line {"mode", "n", "seconds", "bytes", "mallocs"} (except reserialize).
 * The workload functions are kept out of line so callgrind can count each of them alone
 * (--toggle-collect=bench_construct and so on).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <external/cJSON.h>
#include <include/keyValuePair.h>
#include <include/list.h>
#include <model/int_or_string.h>
#include <model/v1_deployment.h>

#include "passes.h"

/* ---- allocation counting, as in k8smig_bench.c ---- */
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
static unsigned long long n_allocs;
void *malloc(size_t n) { n_allocs++; return __libc_malloc(n); }
void *calloc(size_t a, size_t b) { n_allocs++; return __libc_calloc(a, b); }
void *realloc(void *p, size_t n) { n_allocs++; return __libc_realloc(p, n); }

#define NOINLINE __attribute__((noinline))

static void *must(void *p)
{
	if (!p) {
		fprintf(stderr, "out of memory\n");
		exit(1);
	}
	return p;
}

/* A model struct the library frees (its _create functions set the same flag). */
#define NEW(type) new_owned(sizeof(type), offsetof(type, _library_owned))
static void *new_owned(size_t size, size_t owned_at)
{
	char *p = must(calloc(1, size));
	*(int *)(p + owned_at) = 1;
	return p;
}

static char *S(const char *s) { return must(strdup(s)); }

static list_t *pairs(int n, const char *const *kv)
{
	list_t *l = list_createList();
	int i;
	for (i = 0; i < n; i++)
		list_addElement(l, keyValuePair_create(S(kv[2 * i]), S(kv[2 * i + 1])));
	return l;
}

static v1_probe_t *http_probe(int initial_delay, int period, int timeout)
{
	v1_probe_t *p = NEW(v1_probe_t);
	p->http_get = NEW(v1_http_get_action_t);
	p->http_get->path = S("/health");
	p->http_get->port = must(int_or_string_create());
	p->http_get->port->type = IOS_DATA_TYPE_INT;
	p->http_get->port->i = 8001;
	p->initial_delay_seconds = initial_delay;
	p->period_seconds = period;
	p->timeout_seconds = timeout;
	return p;
}

/* The reference Deployment (bench/deployment.json), copy i: name layering-<i>, tag :<i>. */
NOINLINE v1_deployment_t *bench_construct(int i)
{
	static const char *const labels[] = { "app.kubernetes.io/name", "layering", "app.kubernetes.io/part-of",
	                                      "layering-detection", "app.kubernetes.io/component", "algorithm" };
	static const char *const selector[] = { "app.kubernetes.io/name", "layering" };
	static const char *const cpu_mem[] = { "cpu", "500m", "memory", "512Mi" };
	char name[32], image[96];
	v1_deployment_t *d = NEW(v1_deployment_t);
	v1_container_t *c = NEW(v1_container_t);
	v1_env_var_t *e;
	v1_env_from_source_t *ef;
	v1_container_port_t *port = NEW(v1_container_port_t);
	v1_volume_mount_t *vm = NEW(v1_volume_mount_t);
	v1_volume_t *vol = NEW(v1_volume_t);
	v1_pod_spec_t *ps = NEW(v1_pod_spec_t);
	static const char *const env[] = { "LOG_LEVEL", "INFO", "MAX_RETRIES", "3", "ALGORITHM_TIMEOUT_SECONDS", "30" };
	int k;

	snprintf(name, sizeof(name), "layering-%d", i);
	snprintf(image, sizeof(image), "123456789012.dkr.ecr.us-east-1.amazonaws.com/layering:%d", i);
	d->api_version = S("apps/v1");
	d->kind = S("Deployment");
	d->metadata = NEW(v1_object_meta_t);
	d->metadata->labels = pairs(3, labels);
	d->metadata->name = S(name);
	d->metadata->_namespace = S("layering-detection-dev");
	d->spec = NEW(v1_deployment_spec_t);
	d->spec->replicas = 2;
	d->spec->selector = NEW(v1_label_selector_t);
	d->spec->selector->match_labels = pairs(1, selector);
	d->spec->_template = NEW(v1_pod_template_spec_t);
	d->spec->_template->metadata = NEW(v1_object_meta_t);
	d->spec->_template->metadata->labels = pairs(1, selector);
	d->spec->_template->spec = ps;

	c->env = list_createList();
	for (k = 0; k < 3; k++) {
		e = NEW(v1_env_var_t);
		e->name = S(env[2 * k]);
		e->value = S(env[2 * k + 1]);
		list_addElement(c->env, e);
	}
	c->env_from = list_createList();
	ef = NEW(v1_env_from_source_t);
	ef->config_map_ref = NEW(v1_config_map_env_source_t);
	ef->config_map_ref->name = S("app-config");
	list_addElement(c->env_from, ef);
	ef = NEW(v1_env_from_source_t);
	ef->secret_ref = NEW(v1_secret_env_source_t);
	ef->secret_ref->name = S("api-key");
	list_addElement(c->env_from, ef);
	c->image = S(image);
	c->liveness_probe = http_probe(5, 30, 10);
	c->name = S("app");
	c->ports = list_createList();
	port->container_port = 8001;
	port->name = S("http");
	list_addElement(c->ports, port);
	c->readiness_probe = http_probe(0, 10, 5);
	c->resources = NEW(v1_resource_requirements_t);
	c->resources->limits = pairs(2, cpu_mem);
	c->resources->requests = pairs(2, cpu_mem);
	c->volume_mounts = list_createList();
	vm->mount_path = S("/app/input");
	vm->name = S("input");
	vm->read_only = 1;
	list_addElement(c->volume_mounts, vm);
	ps->containers = list_createList();
	list_addElement(ps->containers, c);
	ps->service_account_name = S("layering");
	ps->volumes = list_createList();
	vol->name = S("input");
	vol->persistent_volume_claim = NEW(v1_persistent_volume_claim_volume_source_t);
	vol->persistent_volume_claim->claim_name = S("input-pvc");
	vol->persistent_volume_claim->read_only = 1;
	list_addElement(ps->volumes, vol);
	return d;
}

NOINLINE void bench_free(v1_deployment_t *d)
{
	v1_deployment_free(d);
}

/* Compact JSON of d, appended to out (when given); returns its length. */
NOINLINE size_t bench_serialize(v1_deployment_t *d, FILE *out)
{
	cJSON *j = v1_deployment_convertToJSON(d);
	char *text;
	size_t n;
	if (!j || !(text = cJSON_PrintUnformatted(j))) {
		fprintf(stderr, "kubernetes-client/c: convertToJSON failed\n");
		exit(1);
	}
	n = strlen(text);
	if (out)
		fprintf(out, "%s\n", text);
	free(text);
	cJSON_Delete(j);
	return n;
}

/* Parse the document on the line at *pos (cJSON, then the typed model); NULL at the end.
 * cJSON_ParseWithOpts measures its input with strlen, so each line is ended with a NUL
 * while it is parsed (else every call would scan the rest of the stream). */
NOINLINE v1_deployment_t *bench_parse(char *data, size_t len, size_t *pos)
{
	const char *end = NULL;
	char *nl;
	cJSON *j;
	v1_deployment_t *d;

	while (*pos < len && (data[*pos] == '\n' || data[*pos] == ' '))
		(*pos)++;
	if (*pos >= len)
		return NULL;
	nl = memchr(data + *pos, '\n', len - *pos);
	if (nl)
		*nl = '\0';
	j = cJSON_ParseWithOpts(data + *pos, &end, 0);
	if (nl)
		*nl = '\n';
	if (!j) {
		fprintf(stderr, "cJSON: parse error at byte %zu\n", *pos);
		exit(1);
	}
	*pos = (size_t)(end - data);
	d = v1_deployment_parseFromJSON(j);
	cJSON_Delete(j);
	if (!d) {
		fprintf(stderr, "kubernetes-client/c: parseFromJSON failed\n");
		exit(1);
	}
	return d;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;
	if (!f) {
		perror(path);
		exit(1);
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = must(malloc((size_t)n + 1));
	if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
		perror(path);
		exit(1);
	}
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
	unsigned long long a0 = 0, allocs = 0, a_construct = 0, a_serialize = 0;
	passes ps;

	if ((strcmp(mode, "dump") == 0 || strcmp(mode, "parse") == 0 || strcmp(mode, "reserialize") == 0) && !file) {
		fprintf(stderr, "%s needs a FILE\n", mode);
		return 2;
	}
	passes_start(&ps);
	if (strcmp(mode, "construct") == 0 || strcmp(mode, "construct+json") == 0 || strcmp(mode, "dump") == 0) {
		int ser = strcmp(mode, "construct") != 0;
		FILE *out = NULL;
		if (file && !(out = fopen(file, "wb"))) {
			perror(file);
			return 1;
		}
		if (out)
			ps.budget = 0; /* the file gets one copy */
		do {
			/* allocations and bytes of the first pass (the others make the same) */
			int first = ps.n == 0;
			t0 = now();
			for (i = 0; i < n; i++) {
				unsigned long long a1 = n_allocs;
				v1_deployment_t *d = bench_construct(i);
				if (first)
					a_construct += n_allocs - a1;
				if (ser) {
					size_t len;
					a1 = n_allocs;
					len = bench_serialize(d, out) + 1;
					if (first) {
						a_serialize += n_allocs - a1;
						bytes += len;
					}
				}
				bench_free(d);
			}
			t = now() - t0;
			if (first)
				allocs = n_allocs - a0;
		} while (passes_more(&ps, t));
		if (out)
			fclose(out);
	} else if (strcmp(mode, "parse") == 0 || strcmp(mode, "reserialize") == 0) {
		/* the parsed objects are all kept until the clock stops, as k8smig_parse keeps its list */
		size_t len;
		char *data = slurp(file, &len);
		v1_deployment_t *d, **kept = must(calloc((size_t)n + 1, sizeof(*kept)));
		int docs, k;
		int re = strcmp(mode, "reserialize") == 0;
		if (re)
			ps.budget = 0;
		do {
			size_t pos = 0;
			int first = ps.n == 0;
			docs = 0;
			a0 = n_allocs;
			t0 = now();
			while ((d = bench_parse(data, len, &pos))) {
				if (re) {
					bench_serialize(d, stdout);
					bench_free(d);
				} else if (docs < n) {
					kept[docs] = d;
				} else {
					bench_free(d);
				}
				docs++;
			}
			t = now() - t0;
			if (first)
				allocs = n_allocs - a0;
			for (k = 0; k < n && k < docs; k++) {
				if (kept[k])
					bench_free(kept[k]);
				kept[k] = NULL;
			}
		} while (passes_more(&ps, t));
		free(kept);
		bytes = len;
		free(data);
		if (re)
			return 0;
		if (docs != n) {
			fprintf(stderr, "parsed %d documents, want %d\n", docs, n);
			return 1;
		}
	} else {
		fprintf(stderr, "usage: kclient_c_peer construct|construct+json|dump|parse|reserialize N [FILE]\n");
		return 2;
	}
	printf("{\"mode\": \"%s\", \"n\": %d, \"seconds\": %.6f, \"passes\": %d, \"bytes\": %zu, \"mallocs\": %llu, "
	       "\"mallocs_construct\": %llu, \"mallocs_serialize\": %llu}\n",
	       mode, n, ps.best, ps.n, bytes, allocs, a_construct, a_serialize);
	return 0;
}
