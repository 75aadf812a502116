/*
 * lib/migrate/import_ecs.c - ECS task definitions, services and autoscaling
 * to a migration spec document, with a report entry for every field read.
 *
 * The spec document is then loaded by the ordinary spec loader, so what an
 * import gives is exactly what the same spec written by hand gives. The
 * rules are in docs/import.md; every rule below names its ECS field.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "import.h"

/*
 * Texts below are error messages, report lines and spec paths of bounded parts (JSON paths of at most
 * 512 bytes, names checked for length before use); GCC cannot see those bounds.
 */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wformat-truncation"
#endif
#include "../model/names.h"

#define MAX_INPUT (64u << 20)

/* ---- lifecycle and inputs ---- */

int k8smig_import_options_init(k8smig_import_options *opts, unsigned int version)
{
	if (!opts || version != K8SMIG_IMPORT_OPTIONS_VERSION)
		return k8smig__error_set(K8SMIG_EINVAL, "", "unknown k8smig_import_options version %u", version);
	*opts = (k8smig_import_options)K8SMIG_IMPORT_OPTIONS_INIT;
	return 0;
}

int k8smig_import_new(k8smig_import **out, const k8smig_import_options *opts)
{
	k8smig_import *imp;

	if (!out)
		return k8smig__error_set(K8SMIG_EINVAL, "", "out is NULL");
	*out = NULL;
	if (opts && opts->version != K8SMIG_IMPORT_OPTIONS_VERSION)
		return k8smig__error_set(K8SMIG_EINVAL, "", "unknown k8smig_import_options version %u", opts->version);
	if (!(imp = calloc(1, sizeof(*imp))))
		return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	if (opts && opts->name && !(imp->name = k8smig__strdup(opts->name)))
		goto nomem;
	if (opts && opts->base && k8smig_object_dup(&imp->base, opts->base) < 0)
		goto nomem;
	*out = imp;
	return 0;
nomem:
	k8smig_import_free(imp);
	return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
}

void k8smig_import_free(k8smig_import *imp)
{
	size_t i;

	if (!imp)
		return;
	for (i = 0; i < imp->n_inputs; i++) {
		free(imp->inputs[i].source);
		free(imp->inputs[i].prefix);
		k8smig_object_free(imp->inputs[i].doc);
	}
	for (i = 0; i < imp->n_entries; i++) {
		free(imp->entries[i].service);
		free(imp->entries[i].source);
		free(imp->entries[i].target);
		free(imp->entries[i].note);
	}
	for (i = 0; i < imp->n_services; i++)
		free(imp->services[i]);
	free(imp->services);
	free(imp->inputs);
	free(imp->entries);
	free(imp->name);
	k8smig_object_free(imp->base);
	k8smig_object_free(imp->tf);
	free(imp);
}

int k8smig__imp_fail(const char *source, const char *path, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = k8smig__error_setv(K8SMIG_ESCHEMA, path, fmt, ap);
	va_end(ap);
	if (source)
		k8smig__error_set_file(source);
	return rc;
}

int k8smig__imp_add_doc(k8smig_import *imp, k8smig_import_kind kind, k8smig_object *doc, const char *source,
                        const char *prefix)
{
	imp_input *in;

	if (imp->n_inputs == imp->cap_inputs &&
	    k8smig__array_grow(&imp->inputs, &imp->cap_inputs, 8, sizeof(*imp->inputs)) < 0)
		goto nomem;
	in = &imp->inputs[imp->n_inputs];
	in->kind = kind;
	in->doc = doc;
	in->source = k8smig__strdup(source);
	in->prefix = k8smig__strdup(prefix ? prefix : "");
	if (!in->source || !in->prefix) {
		free(in->source);
		free(in->prefix);
		goto nomem;
	}
	imp->n_inputs++;
	return 0;
nomem:
	k8smig_object_free(doc);
	return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
}

static int want_list_of_maps(const char *source, const k8smig_value *v, const char *path)
{
	const k8smig_value *it;
	size_t i = 0;
	char p[256];

	if (k8smig_value_type(v) != K8SMIG_TYPE_LIST)
		return k8smig__imp_fail(source, path, "must be a list");
	for (it = k8smig_value_first(v); it; it = k8smig_value_next(it), i++)
		if (k8smig_value_type(it) != K8SMIG_TYPE_MAP) {
			snprintf(p, sizeof(p), "%s[%zu]", path, i);
			return k8smig__imp_fail(source, p, "must be an object");
		}
	return 0;
}

/* The top-level shape of an AWS CLI document; fields are checked when built. */
static int check_shape(k8smig_import_kind kind, const k8smig_object *doc, const char *source)
{
	const k8smig_value *root = k8smig_object_get(doc, NULL), *v;

	switch (kind) {
	case K8SMIG_IMPORT_TASK_DEFINITION:
		if ((v = k8smig_value_lookup(root, "taskDefinition"))) {
			if (k8smig_value_type(v) != K8SMIG_TYPE_MAP)
				return k8smig__imp_fail(source, "taskDefinition", "must be an object");
			root = v;
		}
		if (!(v = k8smig_value_lookup(root, "containerDefinitions")))
			return k8smig__imp_fail(source, root == k8smig_object_get(doc, NULL) ? "containerDefinitions"
			                                                                    : "taskDefinition.containerDefinitions",
			                        "is missing: not a task definition (aws ecs describe-task-definition)");
		return want_list_of_maps(source, v, root == k8smig_object_get(doc, NULL) ? "containerDefinitions"
		                                                                        : "taskDefinition.containerDefinitions");
	case K8SMIG_IMPORT_SERVICES:
		if (!(v = k8smig_value_lookup(root, "services")))
			return k8smig__imp_fail(source, "services", "is missing: not aws ecs describe-services output");
		return want_list_of_maps(source, v, "services");
	case K8SMIG_IMPORT_SCALABLE_TARGETS:
		if (!(v = k8smig_value_lookup(root, "ScalableTargets")))
			return k8smig__imp_fail(source, "ScalableTargets",
			                        "is missing: not aws application-autoscaling describe-scalable-targets output");
		return want_list_of_maps(source, v, "ScalableTargets");
	case K8SMIG_IMPORT_SCALING_POLICIES:
		if (!(v = k8smig_value_lookup(root, "ScalingPolicies")))
			return k8smig__imp_fail(source, "ScalingPolicies",
			                        "is missing: not aws application-autoscaling describe-scaling-policies output");
		return want_list_of_maps(source, v, "ScalingPolicies");
	default:
		return 0;
	}
}

int k8smig_import_add(k8smig_import *imp, k8smig_import_kind kind, const char *data, size_t len, const char *source_name)
{
	k8smig_parse_options po = K8SMIG_PARSE_OPTIONS_INIT;
	k8smig_object_list *docs = NULL;
	k8smig_object *doc;
	char fallback[32];
	int rc;

	if (!imp || (!data && len))
		return k8smig__error_set(K8SMIG_EINVAL, "", "imp or data is NULL");
	if (imp->built)
		return k8smig__error_set(K8SMIG_EINVAL, "", "the import is already built");
	if (kind < K8SMIG_IMPORT_TASK_DEFINITION || kind > K8SMIG_IMPORT_TERRAFORM)
		return k8smig__error_set(K8SMIG_EINVAL, "", "unknown input kind %d", (int)kind);
	imp->n_added++;
	if (!source_name) {
		snprintf(fallback, sizeof(fallback), "<input %d>", imp->n_added);
		source_name = fallback;
	}
	po.format = K8SMIG_FORMAT_JSON;
	po.source_name = source_name;
	po.max_bytes = MAX_INPUT;
	if ((rc = k8smig_parse(&docs, data ? data : "", len, &po)) < 0) {
		k8smig__error_set_file(source_name);
		return rc;
	}
	if (k8smig_object_list_size(docs) != 1) {
		k8smig_object_list_free(docs);
		return k8smig__imp_fail(source_name, "", "must hold exactly one JSON object");
	}
	/* take the one document out of the list */
	if ((rc = k8smig_object_dup(&doc, k8smig_object_list_get(docs, 0))) < 0) {
		k8smig_object_list_free(docs);
		return rc;
	}
	k8smig_object_list_free(docs);
	if (kind == K8SMIG_IMPORT_TERRAFORM)
		return k8smig__imp_terraform(imp, doc, source_name);
	if ((rc = check_shape(kind, doc, source_name)) < 0) {
		k8smig_object_free(doc);
		return rc;
	}
	return k8smig__imp_add_doc(imp, kind, doc, source_name, "");
}

int k8smig_import_add_file(k8smig_import *imp, k8smig_import_kind kind, const char *path)
{
	char *data = NULL;
	size_t len = 0;
	int rc;

	if (!imp || !path)
		return k8smig__error_set(K8SMIG_EINVAL, "", "imp or path is NULL");
	if ((rc = k8smig__read_file(&data, &len, path, MAX_INPUT)) < 0)
		return rc;
	rc = k8smig_import_add(imp, kind, data, len, path);
	k8smig_free(data);
	return rc;
}

/* ---- the mapping ---- */

typedef struct ref {
	const imp_input *in;
	const k8smig_value *v;
	char path[512];  /* JSON path of v inside the input */
} ref;

typedef struct policy_ref {
	ref r;
} policy_ref;

typedef struct svc {
	char *name;          /* spec service name */
	const char *family;
	const char *ecs_name;/* ECS service name (or the family) */
	ref td;
	ref service;         /* v NULL when not given */
	ref target;
	ref *policies;
	size_t n_policies;
	size_t index;        /* in the spec's services */
	size_t app;          /* index of the app container */
	k8smig_object *env;  /* name -> value of this service (before hoisting) */
} svc;

typedef struct vol {
	char *name, *fs, *ap, *root;
	ref where;
} mvol;

typedef struct ctx {
	k8smig_import *imp;
	k8smig_object *doc;
	svc *svcs;
	size_t n;
	mvol *vols;
	size_t n_vols;
	char *account, *region, *registry, *cluster;
	char *log_prefix;    /* the awslogs group pattern found, or NULL */
	bool log_mixed;
	size_t n_secrets;    /* for conflicts: spec secrets seen */
	struct { char env[128], key[260], property[260], from[32], src[256]; } *secrets;
} ctx;

static char *src_of(char *buf, size_t cap, const ref *r, const char *field)
{
	const char *pre = r->in->prefix;
	snprintf(buf, cap, "%s:%s%s%s%s%s", r->in->source, pre, pre[0] && r->path[0] ? "." : "", r->path,
	         field && field[0] && (pre[0] || r->path[0]) ? "." : "", field ? field : "");
	return buf;
}

static char *path_of(char *buf, size_t cap, const ref *r, const char *field)
{
	const char *pre = r->in->prefix;
	snprintf(buf, cap, "%s%s%s%s%s", pre, pre[0] && r->path[0] ? "." : "", r->path,
	         field && field[0] && (pre[0] || r->path[0]) ? "." : "", field ? field : "");
	return buf;
}

static int fail_at(const ref *r, const char *field, const char *fmt, ...) K8SMIG__PRINTF(3, 4);
static int fail_at(const ref *r, const char *field, const char *fmt, ...)
{
	char p[1024], msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return k8smig__imp_fail(r->in->source, path_of(p, sizeof(p), r, field), "%s", msg);
}

static int entry(ctx *c, const svc *s, imp_status st, const ref *r, const char *field, const char *target,
                 const char *fmt, ...) K8SMIG__PRINTF(7, 8);
static int entry(ctx *c, const svc *s, imp_status st, const ref *r, const char *field, const char *target,
                 const char *fmt, ...)
{
	char src[1200], note[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(note, sizeof(note), fmt, ap);
	va_end(ap);
	return k8smig__imp_entry(c->imp, s ? s->name : NULL, st, r ? src_of(src, sizeof(src), r, field) : "", target, "%s",
	                         note);
}

static const char *type_name(k8smig_type t)
{
	static const char *const names[] = { "null", "a boolean", "an integer", "a number", "a string", "an object", "a list" };
	return (unsigned)t < 7 ? names[t] : "?";
}

/* Typed lookups: absent gives NULL/false; a present field of the wrong type is an error at its path. */
static int get_str(const ref *r, const char *key, const char **out)
{
	const k8smig_value *v = k8smig_value_lookup(r->v, key);

	*out = NULL;
	if (!v || k8smig_value_type(v) == K8SMIG_TYPE_NULL)
		return 0;
	if (k8smig_value_type(v) != K8SMIG_TYPE_STRING)
		return fail_at(r, key, "must be a string, not %s", type_name(k8smig_value_type(v)));
	*out = k8smig_value_str(v);
	return 0;
}

static int get_int(const ref *r, const char *key, int64_t min, int64_t max, int64_t *out, bool *present)
{
	const k8smig_value *v = k8smig_value_lookup(r->v, key);

	*present = false;
	if (!v || k8smig_value_type(v) == K8SMIG_TYPE_NULL)
		return 0;
	if (k8smig_value_type(v) == K8SMIG_TYPE_DOUBLE) {
		double d = k8smig_value_double(v);
		if (d != floor(d) || d < (double)min || d > (double)max)
			return fail_at(r, key, "must be an integer between %lld and %lld", (long long)min, (long long)max);
		*out = (int64_t)d;
	} else if (k8smig_value_type(v) == K8SMIG_TYPE_INT) {
		*out = k8smig_value_int(v);
		if (*out < min || *out > max)
			return fail_at(r, key, "must be between %lld and %lld", (long long)min, (long long)max);
	} else {
		return fail_at(r, key, "must be a number, not %s", type_name(k8smig_value_type(v)));
	}
	*present = true;
	return 0;
}

static int get_double(const ref *r, const char *key, double *out, bool *present)
{
	const k8smig_value *v = k8smig_value_lookup(r->v, key);

	*present = false;
	if (!v || k8smig_value_type(v) == K8SMIG_TYPE_NULL)
		return 0;
	if (k8smig_value_type(v) != K8SMIG_TYPE_DOUBLE && k8smig_value_type(v) != K8SMIG_TYPE_INT)
		return fail_at(r, key, "must be a number, not %s", type_name(k8smig_value_type(v)));
	*out = k8smig_value_double(v);
	*present = true;
	return 0;
}

static int get_bool(const ref *r, const char *key, bool *out, bool *present)
{
	const k8smig_value *v = k8smig_value_lookup(r->v, key);

	*present = false;
	if (!v || k8smig_value_type(v) == K8SMIG_TYPE_NULL)
		return 0;
	if (k8smig_value_type(v) != K8SMIG_TYPE_BOOL)
		return fail_at(r, key, "must be true or false, not %s", type_name(k8smig_value_type(v)));
	*out = k8smig_value_bool(v);
	*present = true;
	return 0;
}

/* A child ref: map field (type MAP) or list item. */
static int child(ref *out, const ref *r, const char *key, k8smig_type want)
{
	const k8smig_value *v = k8smig_value_lookup(r->v, key);

	out->in = r->in;
	out->v = NULL;
	snprintf(out->path, sizeof(out->path), "%s%s%s", r->path, r->path[0] ? "." : "", key);
	if (!v || k8smig_value_type(v) == K8SMIG_TYPE_NULL)
		return 0;
	if (k8smig_value_type(v) != want)
		return fail_at(r, key, "must be %s, not %s", want == K8SMIG_TYPE_MAP ? "an object" : "a list",
		               type_name(k8smig_value_type(v)));
	out->v = v;
	return 0;
}

static void item(ref *out, const ref *list, const k8smig_value *v, size_t i)
{
	out->in = list->in;
	out->v = v;
	snprintf(out->path, sizeof(out->path), "%s[%zu]", list->path, i);
}

static int item_map(ref *out, const ref *list, const k8smig_value *v, size_t i)
{
	item(out, list, v, i);
	if (k8smig_value_type(v) != K8SMIG_TYPE_MAP)
		return fail_at(out, NULL, "must be an object");
	return 0;
}

/* arn:partition:service:region:account:resource -> parts (borrowing s) */
typedef struct arn {
	char service[32], region[32], account[16];
	const char *resource;
} arn;

static bool parse_arn(arn *a, const char *s)
{
	const char *p = s, *q;
	int i;

	if (!s || strncmp(s, "arn:", 4) != 0)
		return false;
	p += 4;
	if (!(q = strchr(p, ':')))
		return false; /* partition */
	p = q + 1;
	for (i = 0; i < 3; i++) {
		char *dst = i == 0 ? a->service : i == 1 ? a->region : a->account;
		size_t cap = i == 0 ? sizeof(a->service) : i == 1 ? sizeof(a->region) : sizeof(a->account);
		if (!(q = strchr(p, ':')) || (size_t)(q - p) >= cap)
			return false;
		memcpy(dst, p, (size_t)(q - p));
		dst[q - p] = '\0';
		p = q + 1;
	}
	a->resource = p;
	return a->service[0] != '\0';
}

static bool digits12(const char *s)
{
	size_t i;
	for (i = 0; i < 12; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return s[12] == '\0';
}

static int learn_account(ctx *c, const char *arn_text)
{
	arn a;
	if (!parse_arn(&a, arn_text))
		return 0;
	if ((!c->account && digits12(a.account) && !(c->account = k8smig__strdup(a.account))) ||
	    (!c->region && a.region[0] && !(c->region = k8smig__strdup(a.region))))
		return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	return 0;
}

/* "512", 512, "1 vCPU", "0.25 vcpu", "2GB", "2 GB" -> ECS CPU units or MiB; -1 when not a size. */
static int64_t size_text(const char *s, bool cpu)
{
	char *end;
	double d;

	if (!s || !*s)
		return -1;
	d = strtod(s, &end);
	if (end == s || !isfinite(d) || d <= 0 || d > 1e9)
		return -1;
	while (*end == ' ')
		end++;
	if (!*end)
		return d == floor(d) ? (int64_t)d : -1;
	if (cpu && strcasecmp(end, "vcpu") == 0)
		return (int64_t)llround(d * 1024);
	if (!cpu && strcasecmp(end, "gb") == 0)
		return (int64_t)llround(d * 1024);
	return -1;
}

static int get_size(const ref *r, const char *key, bool cpu, int64_t *out, bool *present)
{
	const k8smig_value *v = k8smig_value_lookup(r->v, key);

	*present = false;
	if (!v || k8smig_value_type(v) == K8SMIG_TYPE_NULL)
		return 0;
	if (k8smig_value_type(v) == K8SMIG_TYPE_STRING) {
		if ((*out = size_text(k8smig_value_str(v), cpu)) < 0)
			return fail_at(r, key, "is not a task size (%s)", cpu ? "CPU units, or \"N vCPU\"" : "MiB, or \"N GB\"");
		*present = *out > 0;
		return 0;
	}
	return get_int(r, key, 0, (int64_t)1 << 30, out, present);
}

/* DNS-1035 label from a name: lowercase, other characters to '-', trimmed. */
static char *dns_name(const char *s)
{
	size_t n = strlen(s), i, o = 0;
	char *p = malloc(n + 2);

	if (!p)
		return NULL;
	for (i = 0; i < n && o < 63; i++) {
		char ch = (char)tolower((unsigned char)s[i]);
		if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')))
			ch = '-';
		if (ch == '-' && (o == 0 || p[o - 1] == '-'))
			continue;
		if (o == 0 && ch >= '0' && ch <= '9')
			p[o++] = 's';
		p[o++] = ch;
	}
	while (o && p[o - 1] == '-')
		o--;
	if (!o)
		p[o++] = 'x';
	p[o] = '\0';
	return p;
}

/* family from "arn:...:task-definition/family:rev", "family:rev" or "family" */
static void family_of(char *buf, size_t cap, const char *td)
{
	const char *p = strrchr(td, '/'), *colon;
	size_t n;

	p = p ? p + 1 : td;
	colon = strchr(p, ':');
	n = colon ? (size_t)(colon - p) : strlen(p);
	if (n >= cap)
		n = cap - 1;
	memcpy(buf, p, n);
	buf[n] = '\0';
}

/* ---- services: names, and their ECS service / scalable target / policies ---- */

static int find_td_root(ref *out, const imp_input *in)
{
	const k8smig_value *root = k8smig_object_get(in->doc, NULL), *w = k8smig_value_lookup(root, "taskDefinition");

	out->in = in;
	out->v = w ? w : root;
	snprintf(out->path, sizeof(out->path), "%s", w ? "taskDefinition" : "");
	return 0;
}

static int collect(ctx *c)
{
	k8smig_import *imp = c->imp;
	size_t i, j;
	int rc;

	for (i = 0; i < imp->n_inputs; i++) {
		const imp_input *in = &imp->inputs[i];
		svc *s;
		const char *family, *arn_text;
		ref td;

		if (in->kind != K8SMIG_IMPORT_TASK_DEFINITION)
			continue;
		find_td_root(&td, in);
		if ((rc = get_str(&td, "family", &family)) < 0 || (rc = get_str(&td, "taskDefinitionArn", &arn_text)) < 0)
			return rc;
		if (!family)
			return fail_at(&td, "family", "is missing");
		for (j = 0; j < c->n; j++)
			if (strcmp(c->svcs[j].family, family) == 0)
				return fail_at(&td, "family",
				               "names the same family as %s (one task definition per family: the one the service runs)",
				               c->svcs[j].td.in->source);
		s = &c->svcs[c->n++];
		s->family = family;
		s->ecs_name = family;
		s->td = td;
		s->index = c->n - 1;
		if ((rc = learn_account(c, arn_text)) < 0)
			return rc;
	}
	if (!c->n)
		return k8smig__imp_fail(NULL, "", "no task definition given (aws ecs describe-task-definition output)");

	/* describe-services: the service running each family */
	for (i = 0; i < imp->n_inputs; i++) {
		const imp_input *in = &imp->inputs[i];
		const k8smig_value *it;
		ref list, sv;
		size_t k = 0;

		if (in->kind != K8SMIG_IMPORT_SERVICES)
			continue;
		list.in = in;
		list.v = k8smig_value_lookup(k8smig_object_get(in->doc, NULL), "services");
		snprintf(list.path, sizeof(list.path), "services");
		for (it = k8smig_value_first(list.v); it; it = k8smig_value_next(it), k++) {
			const char *name, *tdname, *cluster;
			char fam[256];
			if ((rc = item_map(&sv, &list, it, k)) < 0)
				return rc;
			if (in->prefix[0]) /* a Terraform resource: its address is the path */
				sv.path[0] = '\0';
			if ((rc = get_str(&sv, "serviceName", &name)) < 0 ||
			    (rc = get_str(&sv, "taskDefinition", &tdname)) < 0 || (rc = get_str(&sv, "clusterArn", &cluster)) < 0)
				return rc;
			if (!name)
				return fail_at(&sv, "serviceName", "is missing");
			if (!tdname)
				return fail_at(&sv, "taskDefinition", "is missing");
			family_of(fam, sizeof(fam), tdname);
			for (j = 0; j < c->n; j++)
				if (strcmp(c->svcs[j].family, fam) == 0)
					break;
			if (j == c->n) {
				TRY(entry(c, NULL, IMP_DROPPED, &sv, NULL, NULL,
				          "service %s runs task definition family %s, which was not given: not imported", name, fam));
				continue;
			}
			if (c->svcs[j].service.v)
				return fail_at(&sv, "taskDefinition", "family %s already runs as service %s: one service per family",
				               fam, c->svcs[j].ecs_name);
			c->svcs[j].service = sv;
			c->svcs[j].ecs_name = name;
			if (cluster && !c->cluster) {
				const char *slash = strrchr(cluster, '/');
				c->cluster = k8smig__strdup(slash ? slash + 1 : cluster);
				if (!c->cluster)
					return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
			}
			if ((rc = learn_account(c, cluster)) < 0)
				return rc;
		}
	}

	/* scalable targets and policies: ResourceId service/<cluster>/<service> */
	for (i = 0; i < imp->n_inputs; i++) {
		const imp_input *in = &imp->inputs[i];
		const char *key = in->kind == K8SMIG_IMPORT_SCALABLE_TARGETS ? "ScalableTargets" : "ScalingPolicies";
		const k8smig_value *it;
		ref list, t;
		size_t k = 0;

		if (in->kind != K8SMIG_IMPORT_SCALABLE_TARGETS && in->kind != K8SMIG_IMPORT_SCALING_POLICIES)
			continue;
		list.in = in;
		list.v = k8smig_value_lookup(k8smig_object_get(in->doc, NULL), key);
		snprintf(list.path, sizeof(list.path), "%s", key);
		for (it = k8smig_value_first(list.v); it; it = k8smig_value_next(it), k++) {
			const char *rid, *ns, *dim, *slash;
			if ((rc = item_map(&t, &list, it, k)) < 0)
				return rc;
			if (in->prefix[0])
				t.path[0] = '\0';
			if ((rc = get_str(&t, "ResourceId", &rid)) < 0 ||
			    (rc = get_str(&t, "ServiceNamespace", &ns)) < 0 || (rc = get_str(&t, "ScalableDimension", &dim)) < 0)
				return rc;
			if (!rid)
				return fail_at(&t, "ResourceId", "is missing");
			if ((ns && strcmp(ns, "ecs") != 0) || strncmp(rid, "service/", 8) != 0 || !(slash = strrchr(rid, '/')) ||
			    slash == rid + 7) {
				TRY(entry(c, NULL, IMP_DROPPED, &t, "ResourceId", NULL, "not an ECS service (%s): not imported", rid));
				continue;
			}
			for (j = 0; j < c->n; j++)
				if (strcmp(c->svcs[j].ecs_name, slash + 1) == 0)
					break;
			if (j == c->n) {
				TRY(entry(c, NULL, IMP_DROPPED, &t, "ResourceId", NULL,
				          "ECS service %s is not among the imported services: not imported", slash + 1));
				continue;
			}
			if (in->kind == K8SMIG_IMPORT_SCALABLE_TARGETS) {
				if (c->svcs[j].target.v)
					return fail_at(&t, "ResourceId", "a second scalable target for service %s", slash + 1);
				c->svcs[j].target = t;
			} else {
				ref *n = realloc(c->svcs[j].policies, (c->svcs[j].n_policies + 1) * sizeof(*n));
				if (!n)
					return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
				c->svcs[j].policies = n;
				n[c->svcs[j].n_policies++] = t;
			}
		}
	}
	return 0;
fail:
	return rc;
}

/* the system's name: option, base spec, ECS cluster, common family prefix */
static int system_name(ctx *c)
{
	k8smig_import *imp = c->imp;
	const char *base = imp->base ? k8smig_object_get_str(imp->base, "name") : NULL;
	bool given = imp->name || base; /* a name given is the spec loader's to check, never cut */
	size_t i, n;

	if (!imp->name && base && !(imp->name = k8smig__strdup(base)))
		return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	if (!imp->name && c->cluster && !(imp->name = dns_name(c->cluster)))
		return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	if (!imp->name) {
		/* longest prefix of every family ending before a '-' */
		n = strlen(c->svcs[0].family);
		for (i = 1; i < c->n; i++) {
			size_t k = 0;
			while (k < n && c->svcs[i].family[k] == c->svcs[0].family[k])
				k++;
			n = k;
		}
		while (n && c->svcs[0].family[n] != '-')
			n--;
		if (c->n > 1 && n) {
			char *p = k8smig__strndup(c->svcs[0].family, n);
			imp->name = p ? dns_name(p) : NULL;
			free(p);
		} else {
			imp->name = dns_name(c->svcs[0].family);
		}
		if (!imp->name)
			return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
		if (k8smig__imp_entry(imp, NULL, IMP_DECIDE, "", "name", "system name %s taken from the task definition families; "
		                      "give --name to choose", imp->name) < 0)
			return K8SMIG_ENOMEM;
	}
	if (!given && strlen(imp->name) > 40) { /* the spec's limit for a system name */
		imp->name[40] = '\0';
		while (imp->name[1] && imp->name[strlen(imp->name) - 1] == '-')
			imp->name[strlen(imp->name) - 1] = '\0';
	}
	/* service names: the ECS service's, without "<system>-" */
	for (i = 0; i < c->n; i++) {
		svc *s = &c->svcs[i];
		const char *e = s->ecs_name;
		size_t ln = strlen(imp->name);
		char *dns;

		if (strncmp(e, imp->name, ln) == 0 && e[ln] == '-' && e[ln + 1])
			e += ln + 1;
		if (!(dns = dns_name(e)))
			return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
		s->name = dns;
		for (n = 0; n < i; n++)
			if (strcmp(c->svcs[n].name, dns) == 0)
				return fail_at(&s->td, "family", "gives service name %s, as %s does", dns, c->svcs[n].td.in->source);
	}
	return 0;
}

/* ---- one service ---- */

#define SP(buf, fmt, ...) (snprintf((buf), sizeof(buf), fmt, __VA_ARGS__), (buf))

static int pick_app(ctx *c, svc *s, ref *containers)
{
	const k8smig_value *it;
	size_t k = 0, best = (size_t)-1, essential_first = (size_t)-1, waits = (size_t)-1;
	int rc;

	/* the app: the essential container with a port; without ports, the essential one that waits for the
	 * others (dependsOn: its sidecars and init containers); else the first essential one */
	for (it = k8smig_value_first(containers->v); it; it = k8smig_value_next(it), k++) {
		ref ct, ports, deps;
		bool ess = true, present;
		if ((rc = item_map(&ct, containers, it, k)) < 0 || (rc = get_bool(&ct, "essential", &ess, &present)) < 0 ||
		    (rc = child(&ports, &ct, "portMappings", K8SMIG_TYPE_LIST)) < 0 ||
		    (rc = child(&deps, &ct, "dependsOn", K8SMIG_TYPE_LIST)) < 0)
			return rc;
		if (!present)
			ess = true;
		if (ess && essential_first == (size_t)-1)
			essential_first = k;
		if (ess && ports.v && k8smig_value_size(ports.v) && best == (size_t)-1)
			best = k;
		if (ess && deps.v && k8smig_value_size(deps.v) && waits == (size_t)-1)
			waits = k;
	}
	if (!k)
		return fail_at(containers, NULL, "is empty");
	s->app = best != (size_t)-1 ? best : waits != (size_t)-1 ? waits : essential_first != (size_t)-1 ? essential_first : 0;
	(void)c;
	return 0;
}

static const char *image_repo(ctx *c, svc *s, const ref *ct, const char *image, char *repo, size_t cap, int *rcp)
{
	const char *slash = strchr(image, '/'), *at, *p;
	size_t n;
	bool ecr = slash && strstr(image, ".dkr.ecr.") && strstr(image, ".dkr.ecr.") < slash;
	char tgt[128];

	*rcp = 0;
	p = ecr ? slash + 1 : (strrchr(image, '/') ? strrchr(image, '/') + 1 : image);
	at = strchr(p, '@');
	n = at ? (size_t)(at - p) : strlen(p);
	if (!at && memchr(p, ':', n))
		n = (size_t)((const char *)memchr(p, ':', n) - p);
	if (n >= cap)
		n = cap - 1;
	for (size_t i = 0; i < n; i++)
		repo[i] = (char)tolower((unsigned char)p[i]);
	repo[n] = '\0';
	if (!n)
		snprintf(repo, cap, "%s", s->name);
	SP(tgt, "services[%zu].image", s->index);
	if (ecr) {
		if (!c->registry && !(c->registry = k8smig__strndup(image, (size_t)(slash - image)))) {
			*rcp = k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
			return NULL;
		}
		if (strncmp(image, c->registry, (size_t)(slash - image)) != 0)
			*rcp = entry(c, s, IMP_APPROX, ct, "image", tgt,
			             "registry %.*s differs from %s, the spec's one registry: push the image there",
			             (int)(slash - image), image, c->registry);
		else
			*rcp = entry(c, s, IMP_MAPPED, ct, "image", tgt,
			             "ECR repository %s; the tag comes from the environment (image.tag, or the commit SHA in CI)",
			             repo);
	} else {
		*rcp = entry(c, s, IMP_APPROX, ct, "image", tgt,
		             "%s is not in ECR; the spec's images are ECR repositories: push it to repository %s", image, repo);
	}
	return repo;
}

static int map_resources(ctx *c, svc *s, const ref *ct, int nct)
{
	int64_t ccpu = 0, tcpu = 0, mem = 0, res = 0, tmem = 0;
	bool hc, ht, hm, hr, htm;
	char tgt[1024];
	int rc;

	if ((rc = get_int(ct, "cpu", 0, 1048576, &ccpu, &hc)) < 0 || (rc = get_size(&s->td, "cpu", true, &tcpu, &ht)) < 0 ||
	    (rc = get_int(ct, "memory", 0, (int64_t)1 << 30, &mem, &hm)) < 0 ||
	    (rc = get_int(ct, "memoryReservation", 0, (int64_t)1 << 30, &res, &hr)) < 0 ||
	    (rc = get_size(&s->td, "memory", false, &tmem, &htm)) < 0)
		return rc;
	SP(tgt, "services[%zu].cpu -> Deployment %s containers[app].resources.requests.cpu", s->index, s->name);
	if (hc && ccpu > 0) {
		TRY(k8smig_object_set_int(c->doc, SP(tgt, "services[%zu].cpu", s->index), ccpu));
		SP(tgt, "services[%zu].cpu -> Deployment %s containers[app].resources.requests.cpu", s->index, s->name);
		TRY(entry(c, s, IMP_MAPPED, ct, "cpu", tgt, "%lld ECS units (1024 = 1 vCPU); no CPU limit (as ECS shares idle CPU)",
		          (long long)ccpu));
		if (ht)
			TRY(entry(c, s, IMP_MAPPED, &s->td, "cpu", NULL, "task size %lld units: the container's own cpu is used",
			          (long long)tcpu));
	} else if (ht) {
		TRY(k8smig_object_set_int(c->doc, SP(tgt, "services[%zu].cpu", s->index), tcpu));
		SP(tgt, "services[%zu].cpu -> Deployment %s containers[app].resources.requests.cpu", s->index, s->name);
		TRY(entry(c, s, nct > 1 ? IMP_APPROX : IMP_MAPPED, &s->td, "cpu", tgt,
		          "task-level size %lld ECS units (1024 = 1 vCPU)%s", (long long)tcpu,
		          nct > 1 ? "; the task's other containers shared it" : ""));
	} else {
		TRY(entry(c, s, IMP_DECIDE, ct, "cpu", SP(tgt, "services[%zu].cpu", s->index),
		          "no CPU size in the task or the container: the spec's default 256 units (250m) is used"));
	}
	SP(tgt, "services[%zu].memory -> Deployment %s containers[app].resources (requests and limits)", s->index, s->name);
	if (hm && mem > 0) {
		TRY(k8smig_object_set_int(c->doc, SP(tgt, "services[%zu].memory", s->index), mem));
		SP(tgt, "services[%zu].memory -> Deployment %s containers[app].resources.limits.memory", s->index, s->name);
		TRY(entry(c, s, IMP_MAPPED, ct, "memory", tgt, "hard limit %lld MiB -> limit%s", (long long)mem,
		          hr && res > 0 ? "" : " (and request: no soft limit given)"));
		if (hr && res > 0 && res <= mem) {
			if (res < mem)
				TRY(k8smig_object_set_int(c->doc, SP(tgt, "services[%zu].memoryRequest", s->index), res));
			TRY(entry(c, s, IMP_MAPPED, ct, "memoryReservation",
			          SP(tgt, "services[%zu].%s -> Deployment %s containers[app].resources.requests.memory", s->index,
			             res < mem ? "memoryRequest" : "memory", s->name),
			          "soft limit %lld MiB -> request", (long long)res));
		} else if (hr && res > 0) {
			TRY(entry(c, s, IMP_APPROX, ct, "memoryReservation",
			          SP(tgt, "services[%zu].memory -> resources.requests.memory", s->index),
			          "soft limit %lld MiB is above the hard limit: the request is the limit (%lld MiB)",
			          (long long)res, (long long)mem));
		}
	} else if (hr && res > 0) {
		TRY(k8smig_object_set_int(c->doc, SP(tgt, "services[%zu].memory", s->index), res));
		TRY(entry(c, s, IMP_APPROX, ct, "memoryReservation",
		          SP(tgt, "services[%zu].memory -> resources.requests.memory and limits.memory", s->index),
		          "only a soft limit (%lld MiB): chosen as the request, and as the limit too (ECS let the container "
		          "grow past it up to the task size)", (long long)res));
	} else if (htm) {
		TRY(k8smig_object_set_int(c->doc, SP(tgt, "services[%zu].memory", s->index), tmem));
		SP(tgt, "services[%zu].memory -> Deployment %s containers[app].resources (requests and limits)", s->index,
		   s->name);
		TRY(entry(c, s, nct > 1 ? IMP_APPROX : IMP_MAPPED, &s->td, "memory", tgt,
		          "task-level size %lld MiB -> request and limit%s", (long long)tmem,
		          nct > 1 ? "; the task's other containers shared it" : ""));
	} else {
		TRY(entry(c, s, IMP_DECIDE, ct, "memory", SP(tgt, "services[%zu].memory", s->index),
		          "no memory size in the task or the container: the spec's default 512 MiB is used"));
	}
	if (hm && htm && mem > 0)
		TRY(entry(c, s, IMP_MAPPED, &s->td, "memory", NULL, "task size %lld MiB: the container's own limit is used",
		          (long long)tmem));
fail:
	return rc;
}

static bool env_name_ok(const char *s)
{
	if (!*s || strlen(s) > 200)
		return false;
	for (; *s; s++)
		if (!(isalnum((unsigned char)*s) || *s == '_' || *s == '-' || *s == '.'))
			return false;
	return true;
}

static int map_env(ctx *c, svc *s, const ref *ct)
{
	const k8smig_value *it;
	ref list, e;
	size_t k = 0;
	char path[320];
	int rc;

	if ((rc = child(&list, ct, "environment", K8SMIG_TYPE_LIST)) < 0 || !list.v)
		return rc;
	for (it = k8smig_value_first(list.v); it; it = k8smig_value_next(it), k++) {
		const char *name, *value;
		if ((rc = item_map(&e, &list, it, k)) < 0 || (rc = get_str(&e, "name", &name)) < 0 ||
		    (rc = get_str(&e, "value", &value)) < 0)
			return rc;
		if (!name)
			return fail_at(&e, "name", "is missing");
		if (!env_name_ok(name)) {
			TRY(entry(c, s, IMP_DROPPED, &e, "name", NULL, "not a valid variable name for Kubernetes"));
			continue;
		}
		snprintf(path, sizeof(path), "[%s]", name);
		TRY(k8smig_object_set_str(s->env, path, value ? value : ""));
		/* the entry is written once the variable's place (config or service) is known */
	}
	return 0;
fail:
	return rc;
}

static int secret_conflict(ctx *c, const ref *r, const char *env, const char *key, const char *property,
                           const char *from)
{
	size_t i;
	char src[256];

	for (i = 0; i < c->n_secrets; i++)
		if (strcmp(c->secrets[i].env, env) == 0) {
			if (strcmp(c->secrets[i].key, key) != 0 || strcmp(c->secrets[i].from, from) != 0 ||
			    strcmp(c->secrets[i].property, property) != 0)
				return fail_at(r, "valueFrom",
				               "variable %s is read from another secret at %s; one variable, one secret "
				               "(rename one of them)",
				               env, c->secrets[i].src);
			return 0;
		}
	{
		void *n = realloc(c->secrets, (c->n_secrets + 1) * sizeof(*c->secrets));
		if (!n)
			return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
		c->secrets = n;
	}
	snprintf(c->secrets[c->n_secrets].env, sizeof(c->secrets[0].env), "%s", env);
	snprintf(c->secrets[c->n_secrets].key, sizeof(c->secrets[0].key), "%s", key);
	snprintf(c->secrets[c->n_secrets].property, sizeof(c->secrets[0].property), "%s", property);
	snprintf(c->secrets[c->n_secrets].from, sizeof(c->secrets[0].from), "%s", from);
	snprintf(c->secrets[c->n_secrets].src, sizeof(c->secrets[0].src), "%s", src_of(src, sizeof(src), r, "valueFrom"));
	c->n_secrets++;
	return 0;
}

/* The spec's environments: the base spec's, else the defaults (dev, staging, prod); the last one is
 * the environment ECS runs today (prod). */
static size_t env_names(const ctx *c, const char **names, size_t cap)
{
	static const char *const defaults[] = { "dev", "staging", "prod" };
	const k8smig_value *envs = k8smig_object_get(c->doc, "environments"), *it;
	size_t n = 0;

	if (k8smig_value_type(envs) == K8SMIG_TYPE_MAP && k8smig_value_first(envs)) {
		for (it = k8smig_value_first(envs); it && n < cap; it = k8smig_value_next(it))
			names[n++] = k8smig_value_key(it);
		return n;
	}
	for (; n < 3 && n < cap; n++)
		names[n] = defaults[n];
	return n;
}

/* The key every other environment reads: ${environment} where the ECS key names the last
 * environment (/billing/prod/token -> /billing/${environment}/token), else a segment of its own
 * before the name's last one (billing/db -> billing/${environment}/db), or a suffix for a name
 * without '/' (token -> token-${environment}). A Secrets Manager ARN gives its name without the
 * random suffix AWS appends: a new secret has another ARN. Returns false when it does not fit. */
static bool env_key(char *out, size_t cap, const char *key, bool arn_key, const char *last)
{
	char name[260];
	const char *seg, *slash;
	size_t ll = strlen(last);
	int n;

	if (arn_key) {
		const char *p = strstr(key, ":secret:");
		size_t len;
		if (!p)
			return false;
		p += 8;
		len = strlen(p);
		if (len > 7 && p[len - 7] == '-')
			len -= 7;
		n = snprintf(name, sizeof(name), "%.*s", (int)len, p);
	} else {
		n = snprintf(name, sizeof(name), "%s", key);
	}
	if (n < 0 || (size_t)n >= sizeof(name))
		return false;
	for (seg = name; seg; seg = (slash = strchr(seg, '/')) ? slash + 1 : NULL)
		if (strncmp(seg, last, ll) == 0 && (seg[ll] == '/' || (seg[ll] == '\0' && seg != name))) {
			n = snprintf(out, cap, "%.*s${environment}%s", (int)(seg - name), name, seg + ll);
			return n > 0 && (size_t)n < cap;
		}
	if ((slash = strrchr(name, '/')))
		n = snprintf(out, cap, "%.*s${environment}/%s", (int)(slash + 1 - name), name, slash + 1);
	else
		n = snprintf(out, cap, "%s-${environment}", name);
	return n > 0 && (size_t)n < cap;
}

static int map_secrets(ctx *c, svc *s, const ref *ct)
{
	const k8smig_value *it;
	ref list, e;
	size_t k = 0, n = 0;
	char path[160], tgt[320];
	int rc;

	if ((rc = child(&list, ct, "secrets", K8SMIG_TYPE_LIST)) < 0 || !list.v)
		return rc;
	for (it = k8smig_value_first(list.v); it; it = k8smig_value_next(it), k++) {
		const char *name, *from;
		char key[260], property[260] = "", stage[128] = "", version[128] = "";
		const char *store;
		arn a;

		if ((rc = item_map(&e, &list, it, k)) < 0 || (rc = get_str(&e, "name", &name)) < 0 ||
		    (rc = get_str(&e, "valueFrom", &from)) < 0)
			return rc;
		if (!name)
			return fail_at(&e, "name", "is missing");
		if (!from)
			return fail_at(&e, "valueFrom", "is missing");
		if (strlen(from) > 512)
			return fail_at(&e, "valueFrom", "is too long for an ARN");
		if (!k8smig__is_env_var_name(name))
			return fail_at(&e, "name", "is not a valid variable name for Kubernetes");
		if (parse_arn(&a, from)) {
			if (strcmp(a.service, "secretsmanager") == 0) {
				/* arn:...:secret:NAME-abcdef[:json-key[:version-stage[:version-id]]] */
				const char *r = a.resource, *p;
				const char *parts[4] = { 0 };
				size_t lens[4] = { 0 }, np = 0;
				if (strncmp(r, "secret:", 7) != 0)
					return fail_at(&e, "valueFrom", "is a Secrets Manager ARN without \"secret:<name>\"");
				p = r + 7;
				while (np < 4) {
					const char *q = strchr(p, ':');
					parts[np] = p;
					lens[np] = q ? (size_t)(q - p) : strlen(p);
					np++;
					if (!q)
						break;
					p = q + 1;
				}
				if (!lens[0] || (np == 4 && strchr(parts[3], ':')))
					return fail_at(&e, "valueFrom", "is not a Secrets Manager ARN "
					                                "(arn:...:secret:<name>[:json-key:version-stage:version-id])");
				snprintf(key, sizeof(key), "%.*s", (int)(parts[0] + lens[0] - from), from);
				if (np > 1 && lens[1])
					snprintf(property, sizeof(property), "%.*s", (int)lens[1], parts[1]);
				if (np > 2 && lens[2])
					snprintf(stage, sizeof(stage), "%.*s", (int)lens[2], parts[2]);
				if (np > 3 && lens[3])
					snprintf(version, sizeof(version), "%.*s", (int)lens[3], parts[3]);
				/* Terraform knows the secret's name behind the ARN */
				if (c->imp->tf) {
					const k8smig_value *names = k8smig_object_get(c->imp->tf, "secretNames");
					const char *nm = k8smig_value_str(k8smig_value_lookup(names, key));
					if (nm)
						snprintf(key, sizeof(key), "%s", nm);
				}
				store = "secretsManager";
			} else if (strcmp(a.service, "ssm") == 0) {
				if (strncmp(a.resource, "parameter/", 10) != 0 || !a.resource[10])
					return fail_at(&e, "valueFrom", "is an SSM ARN without \"parameter/<name>\"");
				if (strchr(a.resource + 10, '/'))
					snprintf(key, sizeof(key), "/%s", a.resource + 10);
				else
					snprintf(key, sizeof(key), "%s", a.resource + 10);
				store = "parameterStore";
			} else {
				return fail_at(&e, "valueFrom",
				               "is an ARN of service '%s': ECS secrets come from Secrets Manager or SSM Parameter Store",
				               a.service);
			}
		} else if (strncmp(from, "arn:", 4) == 0) {
			return fail_at(&e, "valueFrom", "is not a well-formed ARN");
		} else {
			snprintf(key, sizeof(key), "%s", from); /* a parameter name in the task's region */
			store = "parameterStore";
		}
		if (strlen(key) > 256 || strpbrk(key, " \t\"'\\"))
			return fail_at(&e, "valueFrom", "names a secret the spec cannot hold (blanks, quotes or over 256 characters)");
		TRY(secret_conflict(c, &e, name, key, property, store));
		SP(path, "services[%zu].secrets[%zu]", s->index, n);
		TRY(k8smig_object_set_str(c->doc, SP(tgt, "%s.name", path), name));
		TRY(k8smig_object_set_str(c->doc, SP(tgt, "%s.from", path), store));
		{
			/* one entry per environment (a dev pod must not read prod's secret): the last
			 * environment keeps the entry ECS reads, the others get their own */
			const char *envs[64];
			size_t ne = env_names(c, envs, 64);
			char ek[300];
			if (ne < 2) {
				TRY(k8smig_object_set_str(c->doc, SP(tgt, "%s.key", path), key));
			} else {
				char last[128]; /* a copy: envs[] points into c->doc, which the sets below may move */
				size_t ll;
				const char *at;
				snprintf(last, sizeof(last), "%s", envs[ne - 1]);
				ll = strlen(last);
				if (!env_key(ek, sizeof(ek), key, strncmp(key, "arn:", 4) == 0, last) || strlen(ek) > 256)
					return fail_at(&e, "valueFrom", "names a secret too long to hold one per environment");
				TRY(k8smig_object_set_str(c->doc, SP(tgt, "%s.key", path), ek));
				at = strstr(ek, "${environment}");
				/* does the pattern give the last environment the ECS entry itself? */
				if (!(at && strncmp(key, ek, (size_t)(at - ek)) == 0 && strncmp(key + (at - ek), last, ll) == 0 &&
				      strcmp(key + (at - ek) + ll, at + 14) == 0))
					TRY(k8smig_object_set_str(c->doc, SP(tgt, "%s.keys.%s", path, last), key));
				TRY(entry(c, s, IMP_DECIDE, &e, "valueFrom", SP(tgt, "%s.key", path),
				          "%s keeps %s %s as ECS reads it; the other environments read their own %s %s (the spec "
				          "rejects one entry for all environments): create them before deploying, or change the key",
				          last, strcmp(store, "secretsManager") == 0 ? "secret" : "parameter", key,
				          strcmp(store, "secretsManager") == 0 ? "secrets" : "parameters", ek));
			}
		}
		if (property[0])
			TRY(k8smig_object_set_str(c->doc, SP(tgt, "%s.property", path), property));
		SP(tgt, "%s -> ExternalSecret (store aws-%s), Secret key %s, env %s of Deployment %s", path,
		   strcmp(store, "secretsManager") == 0 ? "secrets-manager" : "parameter-store", name, name, s->name);
		TRY(entry(c, s, IMP_MAPPED, &e, "valueFrom", tgt, "%s %s%s%s", strcmp(store, "secretsManager") == 0 ?
		          "Secrets Manager secret" : "SSM parameter", key, property[0] ? ", JSON key " : "", property));
		if (stage[0] || version[0])
			TRY(entry(c, s, IMP_DECIDE, &e, "valueFrom", path,
			          "ECS pins version-stage '%s' version-id '%s'; the spec's ExternalSecret reads the current version "
			          "(AWSCURRENT): pin it by hand if that matters", stage, version));
		n++;
	}
	return 0;
fail:
	return rc;
}

/* healthCheck: curl/wget of http://localhost:PORT/PATH -> httpGet; anything else cannot be held by the spec */
static bool http_check(const char *cmd, int64_t *port, char *path, size_t cap)
{
	const char *u, *p, *q;
	size_t n;

	if (!strstr(cmd, "curl") && !strstr(cmd, "wget"))
		return false;
	if (!(u = strstr(cmd, "http://")))
		return false;
	p = u + 7;
	if (strncmp(p, "localhost", 9) == 0)
		p += 9;
	else if (strncmp(p, "127.0.0.1", 9) == 0 || strncmp(p, "0.0.0.0", 7) == 0)
		p += p[1] == '2' ? 9 : 7;
	else
		return false;
	*port = 80;
	if (*p == ':') {
		char *end;
		long v = strtol(p + 1, &end, 10);
		if (end == p + 1 || v < 1 || v > 65535)
			return false;
		*port = v;
		p = end;
	}
	if (*p != '/') {
		snprintf(path, cap, "/");
		return *p == '\0' || *p == ' ' || *p == '\'' || *p == '"';
	}
	q = p;
	while (*q && *q != ' ' && *q != '\'' && *q != '"' && *q != '|' && *q != ';' && *q != '&')
		q++;
	n = (size_t)(q - p);
	if (n >= cap)
		return false;
	memcpy(path, p, n);
	path[n] = '\0';
	return true;
}

static int map_health(ctx *c, svc *s, const ref *ct, int64_t port)
{
	ref hc, cmd;
	const k8smig_value *it;
	k8smig__buf text = { 0 };
	int64_t interval = 30, timeout = 5, retries = 3, start = 0, hport = 0;
	bool pi, pt, pr, ps;
	char path[260], tgt[200], base[64];
	size_t k = 0;
	int rc;

	SP(base, "services[%zu].health", s->index);
	if ((rc = child(&hc, ct, "healthCheck", K8SMIG_TYPE_MAP)) < 0)
		return rc;
	if (!hc.v) {
		TRY(k8smig_object_set_bool(c->doc, SP(tgt, "%s.enabled", base), false));
		return entry(c, s, IMP_DECIDE, ct, "healthCheck", tgt,
		             "no container health check in ECS (the load balancer's check, if any, is in the ALB): no probes; "
		             "add %s to get them", port ? "health.path (or health.exec)" : "health.exec (a worker has no HTTP port)");
	}
	if ((rc = child(&cmd, &hc, "command", K8SMIG_TYPE_LIST)) < 0)
		return rc;
	if (!cmd.v || !k8smig_value_size(cmd.v))
		return fail_at(&hc, "command", "is missing or empty");
	for (it = k8smig_value_first(cmd.v); it; it = k8smig_value_next(it), k++) {
		ref x;
		item(&x, &cmd, it, k);
		if (k8smig_value_type(it) != K8SMIG_TYPE_STRING) {
			k8smig__buf_free(&text);
			return fail_at(&x, NULL, "must be a string");
		}
		if (k && (k8smig__buf_puts(&text, k > 1 ? " " : "") < 0 || k8smig__buf_puts(&text, k8smig_value_str(it)) < 0)) {
			k8smig__buf_free(&text);
			return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
		}
	}
	if (!k8smig__buf_cstr(&text)) {
		k8smig__buf_free(&text);
		return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	}
	if ((rc = get_int(&hc, "interval", 5, 300, &interval, &pi)) < 0 || (rc = get_int(&hc, "timeout", 2, 120, &timeout, &pt)) < 0 ||
	    (rc = get_int(&hc, "retries", 1, 10, &retries, &pr)) < 0 || (rc = get_int(&hc, "startPeriod", 0, 300, &start, &ps)) < 0)
		goto fail;
	if (port == 0 || !http_check(text.data, &hport, path, sizeof(path)) || strpbrk(path, "\"'\\")) {
		/* an exec probe: CMD runs its arguments, CMD-SHELL a shell command (ECS runs it with /bin/sh -c too) */
		const char *kind = k8smig_value_str(k8smig_value_first(cmd.v));
		SP(tgt, "%s.exec", base);
		if (kind && strcmp(kind, "NONE") == 0) {
			TRY(k8smig_object_set_bool(c->doc, SP(tgt, "%s.enabled", base), false));
			TRY(entry(c, s, IMP_MAPPED, &hc, "command", tgt, "NONE: no health check, no probes"));
			goto done;
		}
		if (kind && strcmp(kind, "CMD") == 0 && k > 1) {
			for (it = k8smig_value_next(k8smig_value_first(cmd.v)); it; it = k8smig_value_next(it))
				TRY(k8smig_object_append_str(NULL, c->doc, tgt, k8smig_value_str(it)));
		} else {
			TRY(k8smig_object_append_str(NULL, c->doc, tgt, "/bin/sh"));
			TRY(k8smig_object_append_str(NULL, c->doc, tgt, "-c"));
			TRY(k8smig_object_append_str(NULL, c->doc, tgt, text.data));
		}
		SP(tgt, "%s.exec -> Deployment %s liveness and readiness exec", base, s->name);
		TRY(entry(c, s, IMP_MAPPED, &hc, "command", tgt, "%s", kind && strcmp(kind, "CMD") == 0
		          ? "CMD: the same command as an exec probe"
		          : "CMD-SHELL: /bin/sh -c with the same command, as ECS runs it (the image needs a shell, as on ECS)"));
	} else {
		TRY(k8smig_object_set_str(c->doc, SP(tgt, "%s.path", base), path));
		SP(tgt, "%s.path -> Deployment %s liveness and readiness httpGet %s on port http", base, s->name, path);
		if (hport != port)
			TRY(entry(c, s, IMP_APPROX, &hc, "command", tgt,
			          "the check calls port %lld, the probes call the container port %lld", (long long)hport, (long long)port));
		else
			TRY(entry(c, s, IMP_MAPPED, &hc, "command", tgt, "curl/wget of http://localhost:%lld%s -> httpGet",
			          (long long)hport, path));
	}
	TRY(k8smig_object_set_int(c->doc, SP(tgt, "%s.liveness.periodSeconds", base), interval));
	TRY(entry(c, s, IMP_MAPPED, &hc, "interval", tgt, "%llds%s", (long long)interval, pi ? "" : " (ECS default)"));
	TRY(k8smig_object_set_int(c->doc, SP(tgt, "%s.liveness.timeoutSeconds", base), timeout));
	TRY(entry(c, s, IMP_MAPPED, &hc, "timeout", tgt, "%llds%s", (long long)timeout, pt ? "" : " (ECS default)"));
	TRY(k8smig_object_set_int(c->doc, SP(tgt, "%s.liveness.failureThreshold", base), retries));
	TRY(entry(c, s, IMP_MAPPED, &hc, "retries", tgt, "%lld%s", (long long)retries, pr ? "" : " (ECS default)"));
	if (start) {
		TRY(k8smig_object_set_int(c->doc, SP(tgt, "%s.startupSeconds", base), start));
		SP(tgt, "%s.startupSeconds -> Deployment %s startupProbe", base, s->name);
		TRY(entry(c, s, IMP_MAPPED, &hc, "startPeriod", tgt,
		          "ECS ignores failures for %llds: a startupProbe allows the container that long to start, "
		          "liveness and readiness begin once it succeeds", (long long)start));
	}
	TRY(entry(c, s, IMP_APPROX, &hc, NULL, SP(tgt, "%s.readiness", base),
	          "ECS has one health check; readiness probes the same way with the spec's defaults (every 10s, 5s timeout)"));
done:
fail:
	k8smig__buf_free(&text);
	return rc;
}

static int map_port(ctx *c, svc *s, const ref *ct, int64_t *port_out)
{
	ref list, pm;
	const k8smig_value *it;
	size_t k = 0;
	char tgt[1024];
	int rc;

	*port_out = 8080;
	if ((rc = child(&list, ct, "portMappings", K8SMIG_TYPE_LIST)) < 0)
		return rc;
	for (it = list.v ? k8smig_value_first(list.v) : NULL; it; it = k8smig_value_next(it), k++) {
		int64_t port = 0, host = 0;
		bool has, hh;
		const char *proto;
		if ((rc = item_map(&pm, &list, it, k)) < 0 || (rc = get_int(&pm, "containerPort", 1, 65535, &port, &has)) < 0 ||
		    (rc = get_int(&pm, "hostPort", 0, 65535, &host, &hh)) < 0 || (rc = get_str(&pm, "protocol", &proto)) < 0)
			return rc;
		if (!has)
			return fail_at(&pm, "containerPort", "is missing");
		if (k == 0) {
			*port_out = port;
			TRY(k8smig_object_set_int(c->doc, SP(tgt, "services[%zu].port", s->index), port));
			SP(tgt, "services[%zu].port -> Deployment %s containerPort %lld, Service %s port %lld (http)", s->index,
			   s->name, (long long)port, s->name, (long long)port);
			TRY(entry(c, s, IMP_MAPPED, &pm, "containerPort", tgt, "%s", ""));
			if (proto && strcmp(proto, "tcp") != 0)
				TRY(entry(c, s, IMP_APPROX, &pm, "protocol", NULL, "%s: the spec's port is TCP", proto));
			if (hh && host && host != port)
				TRY(entry(c, s, IMP_DROPPED, &pm, "hostPort", NULL,
				          "host port %lld: pods are reached through the Service, not the node", (long long)host));
		} else {
			TRY(entry(c, s, IMP_DROPPED, &pm, "containerPort", NULL,
			          "a second port (%lld): the spec has one port per service; add it to the Service by hand",
			          (long long)port));
		}
	}
	if (!k) {
		*port_out = 0;
		TRY(k8smig_object_set_bool(c->doc, SP(tgt, "services[%zu].worker", s->index), true));
		SP(tgt, "services[%zu].worker -> Deployment %s without containerPort, no Service", s->index, s->name);
		TRY(entry(c, s, IMP_MAPPED, ct, "portMappings", tgt,
		          "no port: a worker (no Service, no HTTP probes, no preStop sleep)"));
	}
fail:
	return rc;
}

static int find_volume(const ref *td, const char *name, ref *out)
{
	ref list;
	const k8smig_value *it;
	size_t k = 0;
	int rc;

	out->v = NULL;
	if ((rc = child(&list, td, "volumes", K8SMIG_TYPE_LIST)) < 0 || !list.v)
		return rc;
	for (it = k8smig_value_first(list.v); it; it = k8smig_value_next(it), k++) {
		ref v;
		const char *n;
		if ((rc = item_map(&v, &list, it, k)) < 0 || (rc = get_str(&v, "name", &n)) < 0)
			return rc;
		if (n && strcmp(n, name) == 0) {
			*out = v;
			return 0;
		}
	}
	return 0;
}

static int map_mounts(ctx *c, svc *s, const ref *ct)
{
	ref list, mp;
	const k8smig_value *it;
	size_t k = 0, n = 0, j;
	char tgt[1024];
	int rc;

	if ((rc = child(&list, ct, "mountPoints", K8SMIG_TYPE_LIST)) < 0 || !list.v)
		return rc;
	for (it = k8smig_value_first(list.v); it; it = k8smig_value_next(it), k++) {
		const char *source, *cpath, *fs, *root, *ap = NULL, *enc;
		bool ro = false, hro;
		ref vol, efs, auth;
		char *name;
		if ((rc = item_map(&mp, &list, it, k)) < 0 || (rc = get_str(&mp, "sourceVolume", &source)) < 0 ||
		    (rc = get_str(&mp, "containerPath", &cpath)) < 0 || (rc = get_bool(&mp, "readOnly", &ro, &hro)) < 0)
			return rc;
		if (!source)
			return fail_at(&mp, "sourceVolume", "is missing");
		if (!cpath || cpath[0] != '/')
			return fail_at(&mp, "containerPath", "must be an absolute path");
		if ((rc = find_volume(&s->td, source, &vol)) < 0)
			return rc;
		if (!vol.v)
			return fail_at(&mp, "sourceVolume", "names no volume of the task definition");
		if ((rc = child(&efs, &vol, "efsVolumeConfiguration", K8SMIG_TYPE_MAP)) < 0)
			return rc;
		if (!efs.v) {
			TRY(entry(c, s, IMP_DROPPED, &mp, NULL, NULL,
			          "volume %s is not EFS (host or Docker volume): the spec holds EFS volumes only; use an emptyDir "
			          "or a PVC by hand", source));
			continue;
		}
		if ((rc = get_str(&efs, "fileSystemId", &fs)) < 0 || (rc = get_str(&efs, "rootDirectory", &root)) < 0 ||
		    (rc = get_str(&efs, "transitEncryption", &enc)) < 0 || (rc = child(&auth, &efs, "authorizationConfig", K8SMIG_TYPE_MAP)) < 0 ||
		    (auth.v && (rc = get_str(&auth, "accessPointId", &ap)) < 0))
			return rc;
		if (!fs || strncmp(fs, "fs-", 3) != 0)
			return fail_at(&efs, "fileSystemId", "must be an EFS file system id (fs-...)");
		if (ap && strncmp(ap, "fsap-", 5) != 0)
			return fail_at(&auth, "accessPointId", "must be an EFS access point id (fsap-...)");
		if (c->imp->tf) { /* Terraform references by resource; the state has the ids */
			const k8smig_value *apm = k8smig_object_get(c->imp->tf, "accessPoints");
			(void)apm;
		}
		if (!(name = dns_name(source)))
			return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
		for (j = 0; j < c->n_vols; j++)
			if (strcmp(c->vols[j].name, name) == 0)
				break;
		if (j < c->n_vols) {
			if (strcmp(c->vols[j].fs, fs) != 0 || strcmp(c->vols[j].ap ? c->vols[j].ap : "", ap ? ap : "") != 0 ||
			    strcmp(c->vols[j].root ? c->vols[j].root : "/", root ? root : "/") != 0) {
				free(name);
				return fail_at(&efs, NULL, "volume %s is another EFS location than %s's volume of that name: "
				                           "rename one of them", source, c->vols[j].where.in->source);
			}
			free(name);
		} else {
			mvol *nv = realloc(c->vols, (c->n_vols + 1) * sizeof(*nv));
			if (!nv) {
				free(name);
				return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
			}
			c->vols = nv;
			nv = &c->vols[c->n_vols++];
			memset(nv, 0, sizeof(*nv));
			nv->name = name;
			nv->where = efs;
			if (!(nv->fs = k8smig__strdup(fs)) || (ap && !(nv->ap = k8smig__strdup(ap))) ||
			    (root && !(nv->root = k8smig__strdup(root))))
				return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
			if (c->vols[0].fs && strcmp(c->vols[0].fs, fs) != 0)
				return fail_at(&efs, "fileSystemId", "is a second EFS file system (%s has %s): the spec holds one",
				               c->vols[0].where.in->source, c->vols[0].fs);
			TRY(entry(c, s, IMP_MAPPED, &efs, NULL, SP(tgt, "storage.volumes[%zu] -> PersistentVolume and claim %s-pvc",
			                                            c->n_vols - 1, name),
			          "EFS %s%s%s%s%s", fs, ap ? " access point " : "", ap ? ap : "", root && !ap ? " directory " : "",
			          root && !ap ? root : ""));
			if (enc && strcmp(enc, "ENABLED") != 0)
				TRY(entry(c, s, IMP_APPROX, &efs, "transitEncryption", NULL,
				          "%s in ECS; the EFS CSI driver mounts with TLS", enc));
			TRY(entry(c, s, IMP_APPROX, &efs, NULL, SP(tgt, "storage.volumes[%zu].size", c->n_vols - 1),
			          "EFS has no size; the claims ask for the spec's default 10Gi"));
		}
		SP(tgt, "services[%zu].volumes[%zu]", s->index, n);
		{
			char f[360];
			TRY(k8smig_object_set_str(c->doc, SP(f, "%s.name", tgt), c->vols[j < c->n_vols ? j : c->n_vols - 1].name));
			TRY(k8smig_object_set_str(c->doc, SP(f, "%s.mountPath", tgt), cpath));
			if (ro)
				TRY(k8smig_object_set_bool(c->doc, SP(f, "%s.readOnly", tgt), true));
			SP(f, "%s -> Deployment %s volumeMounts %s%s", tgt, s->name, cpath, ro ? " (readOnly)" : "");
			TRY(entry(c, s, IMP_MAPPED, &mp, NULL, f, "%s", ""));
		}
		n++;
	}
fail:
	return rc;
}

/* fields of the container the spec cannot hold: reported one by one */
/* Fields the mapping reads (or that only describe the registration): not reported as unread. */
static const char *const container_read[] = { "name", "image", "cpu", "memory", "memoryReservation", "portMappings",
	"essential", "environment", "secrets", "healthCheck", "mountPoints", "logConfiguration", "stopTimeout",
	"volumesFrom", "command", "entryPoint", "workingDirectory", "user", "readonlyRootFilesystem", "privileged",
	"linuxParameters", "dependsOn", NULL };
static const char *const task_read[] = { "family", "taskDefinitionArn", "containerDefinitions", "cpu", "memory",
	"taskRoleArn", "executionRoleArn", "volumes", "requiresCompatibilities", "revision", "status", "registeredAt",
	"registeredBy", "deregisteredAt", "compatibilities", "requiresAttributes", "tags", NULL };

typedef struct why_field {
	const char *field, *why;
} why_field;

static bool in_list(const char *const *list, const char *key)
{
	for (; *list; list++)
		if (strcmp(*list, key) == 0)
			return true;
	return false;
}

/* Every other non-empty field of m is reported as dropped: nothing ECS says is lost silently. */
static int unread(ctx *c, svc *s, const ref *m, const char *const *read, const why_field *known, size_t n_known)
{
	const k8smig_value *e;
	size_t i;
	int rc;

	for (e = k8smig_value_first(m->v); e; e = k8smig_value_next(e)) {
		const char *key = k8smig_value_key(e);
		k8smig_type t = k8smig_value_type(e);
		bool listed = in_list(read, key);
		for (i = 0; i < n_known && !listed; i++)
			listed = strcmp(known[i].field, key) == 0;
		if (listed || t == K8SMIG_TYPE_NULL || (t == K8SMIG_TYPE_BOOL && !k8smig_value_bool(e)) ||
		    ((t == K8SMIG_TYPE_LIST || t == K8SMIG_TYPE_MAP) && !k8smig_value_size(e)))
			continue;
		if (strlen(key) > 200 || strpbrk(key, "[]"))
			key = "(a field with an unusual name)";
		if ((rc = entry(c, s, IMP_DROPPED, m, key, NULL, "the spec has no equivalent: check it by hand")) < 0)
			return rc;
	}
	return 0;
}

static int map_task_fields(ctx *c, svc *s)
{
	static const why_field fields[] = {
		{ "networkMode", "" },
		{ "environmentFiles", "" },
		{ "placementConstraints", "node placement: use nodeSelector or affinity by hand" },
		{ "ephemeralStorage", "set ephemeral-storage requests by hand if the task needs more than the node's default" },
		{ "runtimePlatform", "CPU architecture and OS: choose node groups (nodeSelector kubernetes.io/arch) by hand" },
		{ "proxyConfiguration", "App Mesh proxy: not carried over" },
		{ "pidMode", "shared PID namespace: shareProcessNamespace by hand" },
		{ "ipcMode", "IPC mode: not carried over" },
		{ "inferenceAccelerators", "not carried over" },
	};
	const char *mode;
	size_t i;
	int rc;

	if ((rc = get_str(&s->td, "networkMode", &mode)) < 0)
		return rc;
	if (mode)
		TRY(entry(c, s, strcmp(mode, "awsvpc") == 0 ? IMP_MAPPED : IMP_APPROX, &s->td, "networkMode", NULL,
		          "%s: every pod has its own IP (VPC CNI)%s", mode,
		          strcmp(mode, "awsvpc") == 0 ? "" : "; ports are no longer shared with the host"));
	for (i = 2; i < sizeof(fields) / sizeof(fields[0]); i++) {
		const k8smig_value *v = k8smig_value_lookup(s->td.v, fields[i].field);
		if (v && k8smig_value_type(v) != K8SMIG_TYPE_NULL &&
		    !((k8smig_value_type(v) == K8SMIG_TYPE_LIST || k8smig_value_type(v) == K8SMIG_TYPE_MAP) && !k8smig_value_size(v)))
			TRY(entry(c, s, IMP_DROPPED, &s->td, fields[i].field, NULL, "%s", fields[i].why));
	}
	return unread(c, s, &s->td, task_read, fields, sizeof(fields) / sizeof(fields[0]));
fail:
	return rc;
}

static int map_unsupported(ctx *c, svc *s, const ref *ct)
{
	static const why_field fields[] = {
		{ "environmentFiles", "variables from S3 files: add them to config or env by hand" },
		{ "resourceRequirements", "GPUs: add nvidia.com/gpu limits and a GPU node group by hand" },
		{ "systemControls", "sysctls: set securityContext.sysctls by hand (only safe ones are allowed)" },
		{ "dockerSecurityOptions", "not carried over" },
		{ "hostname", "pods take their own name" },
		{ "disableNetworking", "not carried over" },
		{ "interactive", "not carried over" },
		{ "pseudoTerminal", "not carried over" },
		{ "credentialSpecs", "not carried over" },
		{ "ulimits", "Kubernetes has no per-container ulimits: set them on the nodes or in the image" },
		{ "links", "legacy links: services call each other by Service name" },
		{ "dockerLabels", "not carried over" },
		{ "extraHosts", "use hostAliases by hand" },
		{ "dnsServers", "the cluster DNS is used" },
		{ "startTimeout", "no equivalent" },
		{ "firelensConfiguration", "logs go to CloudWatch through Fluent Bit (k8s/monitoring)" },
		{ "repositoryCredentials", "private registry credentials: create an imagePullSecret by hand" },
	};
	size_t i;
	int rc;

	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		const k8smig_value *v = k8smig_value_lookup(ct->v, fields[i].field);
		if (!v || k8smig_value_type(v) == K8SMIG_TYPE_NULL)
			continue;
		if (k8smig_value_type(v) == K8SMIG_TYPE_BOOL && !k8smig_value_bool(v))
			continue; /* privileged: false etc. say nothing the tree does not do */
		if (k8smig_value_type(v) == K8SMIG_TYPE_LIST && !k8smig_value_size(v))
			continue;
		rc = entry(c, s, IMP_DROPPED, ct, fields[i].field, NULL, "%s", fields[i].why);
		if (rc < 0)
			return rc;
	}
	return unread(c, s, ct, container_read, fields, sizeof(fields) / sizeof(fields[0]));
}

/*
 * stopTimeout: seconds between SIGTERM and SIGKILL. ECS deregisters a task from its target groups first and
 * sends SIGTERM after the deregistration delay; the tree's pods sleep preStopSleepSeconds (10 s, none for a
 * worker) while the ALB drains them, then get SIGTERM: terminationGracePeriodSeconds covers the sleep, the
 * ALB's draining (ingress.deregistrationDelaySeconds, 30 s) when behind a load balancer, and stopTimeout.
 */
static int map_stop(ctx *c, svc *s, const ref *ct, int64_t port)
{
	const k8smig_value *lbs = s->service.v ? k8smig_value_lookup(s->service.v, "loadBalancers") : NULL;
	bool alb = (lbs && k8smig_value_size(lbs)) || (c->imp->tf != NULL && port);
	/* the ALB's draining: Terraform's deregistration_delay when the state has one, else the spec's default */
	int64_t dd = c->imp->tf && k8smig_object_has(c->imp->tf, "deregistrationDelay")
	                     ? k8smig_object_get_int(c->imp->tf, "deregistrationDelay") : 30;
	int64_t t = 0, grace;
	bool has;
	char tgt[1024];
	int rc;

	if ((rc = get_int(ct, "stopTimeout", 0, 3600, &t, &has)) < 0 || !has)
		return rc;
	grace = (port ? 10 : 0) + (alb ? dd : 0) + t;
	if (grace > 3600)
		grace = 3600;
	TRY(k8smig_object_set_int(c->doc, SP(tgt, "services[%zu].terminationGracePeriodSeconds", s->index), grace));
	SP(tgt, "services[%zu].terminationGracePeriodSeconds -> Deployment %s terminationGracePeriodSeconds", s->index, s->name);
	TRY(entry(c, s, IMP_MAPPED, ct, "stopTimeout", tgt, "%llds after SIGTERM, as on ECS: %llds in all (%s%s%llds)",
	          (long long)t, (long long)grace, port ? "10s preStop sleep + " : "", alb ? "the ALB's draining + " : "",
	          (long long)t));
fail:
	return rc;
}

/* "1000", "1000:1000" -> uid, gid (-1 when absent); false for names */
static bool parse_user(const char *u, int64_t *uid, int64_t *gid)
{
	char *end;
	long long v;

	*uid = *gid = -1;
	if (!*u || *u < '0' || *u > '9')
		return false;
	v = strtoll(u, &end, 10);
	if (v < 0 || v > 2147483647)
		return false;
	*uid = v;
	if (*end == '\0')
		return true;
	if (*end != ':' || end[1] < '0' || end[1] > '9')
		return false;
	v = strtoll(end + 1, &end, 10);
	if (*end || v < 0 || v > 2147483647)
		return false;
	*gid = v;
	return true;
}

/* A list of strings at ct.field into the spec at target; false (an error set) for a non-string item. */
static int copy_str_list(ctx *c, const ref *ct, const char *field, const char *target, bool *present)
{
	ref list, x;
	const k8smig_value *it;
	size_t k = 0;
	int rc;

	*present = false;
	if ((rc = child(&list, ct, field, K8SMIG_TYPE_LIST)) < 0 || !list.v || !k8smig_value_size(list.v))
		return rc;
	for (it = k8smig_value_first(list.v); it; it = k8smig_value_next(it), k++) {
		item(&x, &list, it, k);
		if (k8smig_value_type(it) != K8SMIG_TYPE_STRING)
			return fail_at(&x, NULL, "must be a string");
		if ((rc = k8smig_object_append_str(NULL, c->doc, target, k8smig_value_str(it))) < 0)
			return rc;
	}
	*present = true;
	return 0;
}

/*
 * The container fields the spec holds for the app and its sidecars and init containers alike: entryPoint ->
 * command, command -> args (Docker's ENTRYPOINT and CMD, as Kubernetes names them), workingDirectory,
 * user, readonlyRootFilesystem, privileged, linuxParameters.capabilities. base is the spec path of the
 * container ("services[0]", "services[0].sidecars[1]"), what the Deployment's container it becomes.
 */
static int map_container_fields(ctx *c, svc *s, const ref *ct, const char *base, const char *what)
{
	const char *wd, *user;
	bool has, b;
	ref lp, caps;
	char tgt[1024], note[256];
	int rc;

	TRY(copy_str_list(c, ct, "entryPoint", SP(tgt, "%s.command", base), &has));
	if (has)
		TRY(entry(c, s, IMP_MAPPED, ct, "entryPoint", SP(tgt, "%s.command -> %s command", base, what),
		          "the image's ENTRYPOINT, overridden"));
	TRY(copy_str_list(c, ct, "command", SP(tgt, "%s.args", base), &has));
	if (has)
		TRY(entry(c, s, IMP_MAPPED, ct, "command", SP(tgt, "%s.args -> %s args", base, what),
		          "ECS command is Docker's CMD: Kubernetes args"));
	if ((rc = get_str(ct, "workingDirectory", &wd)) < 0)
		return rc;
	if (wd && wd[0] == '/' && !strpbrk(wd, " \t\"'\\") && strlen(wd) <= 256) {
		TRY(k8smig_object_set_str(c->doc, SP(tgt, "%s.workingDir", base), wd));
		TRY(entry(c, s, IMP_MAPPED, ct, "workingDirectory", SP(tgt, "%s.workingDir -> %s workingDir", base, what), "%s", ""));
	} else if (wd) {
		TRY(entry(c, s, IMP_DROPPED, ct, "workingDirectory", NULL, "not an absolute path without blanks: set workingDir by hand"));
	}
	if ((rc = get_str(ct, "user", &user)) < 0)
		return rc;
	if (user) {
		int64_t uid, gid;
		if (parse_user(user, &uid, &gid)) {
			TRY(k8smig_object_set_int(c->doc, SP(tgt, "%s.securityContext.runAsUser", base), uid));
			if (gid >= 0)
				TRY(k8smig_object_set_int(c->doc, SP(tgt, "%s.securityContext.runAsGroup", base), gid));
			TRY(entry(c, s, IMP_MAPPED, ct, "user", SP(tgt, "%s.securityContext -> %s securityContext runAsUser%s", base, what,
			                                          gid >= 0 ? ", runAsGroup" : ""), "%s", ""));
		} else {
			TRY(entry(c, s, IMP_DECIDE, ct, "user", NULL,
			          "a user name: Kubernetes takes numeric IDs only; set securityContext.runAsUser to its UID by hand"));
		}
	}
	if ((rc = get_bool(ct, "readonlyRootFilesystem", &b, &has)) < 0)
		return rc;
	if (has && b) {
		TRY(k8smig_object_set_bool(c->doc, SP(tgt, "%s.securityContext.readOnlyRootFilesystem", base), true));
		TRY(entry(c, s, IMP_MAPPED, ct, "readonlyRootFilesystem",
		          SP(tgt, "%s.securityContext.readOnlyRootFilesystem -> %s securityContext", base, what), "%s", ""));
	}
	if ((rc = get_bool(ct, "privileged", &b, &has)) < 0)
		return rc;
	if (has && b) {
		TRY(k8smig_object_set_bool(c->doc, SP(tgt, "%s.securityContext.privileged", base), true));
		TRY(entry(c, s, IMP_MAPPED, ct, "privileged", SP(tgt, "%s.securityContext.privileged -> %s securityContext", base, what),
		          "a privileged container: namespaces enforcing the baseline or restricted Pod Security level refuse it"));
	}
	if ((rc = child(&lp, ct, "linuxParameters", K8SMIG_TYPE_MAP)) < 0)
		return rc;
	if (lp.v) {
		const k8smig_value *e;
		if ((rc = child(&caps, &lp, "capabilities", K8SMIG_TYPE_MAP)) < 0)
			return rc;
		if (caps.v) {
			bool ha, hd;
			TRY(copy_str_list(c, &caps, "add", SP(tgt, "%s.securityContext.capabilities.add", base), &ha));
			if (ha)
				TRY(entry(c, s, IMP_MAPPED, &caps, "add", SP(tgt, "%s.securityContext.capabilities.add -> %s securityContext", base, what),
				          "added to what remains after drop (ALL unless ECS dropped others)"));
			TRY(copy_str_list(c, &caps, "drop", SP(tgt, "%s.securityContext.capabilities.drop", base), &hd));
			if (hd)
				TRY(entry(c, s, IMP_MAPPED, &caps, "drop", SP(tgt, "%s.securityContext.capabilities.drop -> %s securityContext", base, what),
				          "instead of the tree's default drop ALL"));
		}
		for (e = k8smig_value_first(lp.v); e; e = k8smig_value_next(e)) {
			const char *key = k8smig_value_key(e);
			k8smig_type t = k8smig_value_type(e);
			if (strcmp(key, "capabilities") == 0 || t == K8SMIG_TYPE_NULL || (t == K8SMIG_TYPE_BOOL && !k8smig_value_bool(e)) ||
			    ((t == K8SMIG_TYPE_LIST || t == K8SMIG_TYPE_MAP) && !k8smig_value_size(e)))
				continue;
			snprintf(note, sizeof(note), "%s",
			         strcmp(key, "initProcessEnabled") == 0 ? "no init process in the pod: use an image with tini (or shareProcessNamespace) if the app reaps children"
			         : strcmp(key, "sharedMemorySize") == 0 ? "mount an emptyDir with medium Memory at /dev/shm by hand"
			         : strcmp(key, "tmpfs") == 0 ? "mount emptyDir volumes (medium Memory) by hand"
			         : strcmp(key, "devices") == 0 ? "host devices: a device plugin or a privileged container, by hand"
			         : "the spec has no equivalent: check it by hand");
			if (strlen(key) > 200 || strpbrk(key, "[]"))
				key = "(a field with an unusual name)";
			TRY(entry(c, s, IMP_DROPPED, &lp, key, NULL, "%s", note));
		}
	}
fail:
	return rc;
}

static int map_logging(ctx *c, svc *s, const ref *ct)
{
	ref lc, opts;
	const char *driver, *group = NULL, *region = NULL, *prefix = NULL;
	char pattern[300], tgt[200];
	int rc;

	if ((rc = child(&lc, ct, "logConfiguration", K8SMIG_TYPE_MAP)) < 0 || !lc.v)
		return rc;
	if ((rc = get_str(&lc, "logDriver", &driver)) < 0 || (rc = child(&opts, &lc, "options", K8SMIG_TYPE_MAP)) < 0)
		return rc;
	if (!driver || strcmp(driver, "awslogs") != 0)
		return entry(c, s, IMP_DROPPED, &lc, "logDriver", NULL,
		             "log driver %s: the tree ships container logs to CloudWatch through Fluent Bit", driver ? driver : "(none)");
	if (opts.v && ((rc = get_str(&opts, "awslogs-group", &group)) < 0 || (rc = get_str(&opts, "awslogs-region", &region)) < 0 ||
	               (rc = get_str(&opts, "awslogs-stream-prefix", &prefix)) < 0))
		return rc;
	if (!group)
		return fail_at(&opts, "awslogs-group", "is missing");
	/* the group as a pattern: the service's ECS name or spec name replaced by ${service}, the system's by ${app} */
	{
		const char *names[2] = { s->ecs_name, s->name }, *p = NULL, *hit = NULL;
		size_t i, ln = 0;
		for (i = 0; i < 2 && !hit; i++) {
			ln = strlen(names[i]);
			for (p = group; (p = strstr(p, names[i])); p++)
				if (p[ln] == '\0' && p > group && p[-1] == '/') {
					hit = p;
					break;
				}
		}
		if (hit) {
			char head[300];
			const char *app = c->imp->name, *a;
			snprintf(head, sizeof(head), "%.*s", (int)(hit - group), group);
			if ((a = strstr(head, app)) && strlen(head) + 8 < sizeof(head)) {
				char tmp[300];
				snprintf(tmp, sizeof(tmp), "%.*s${app}%s", (int)(a - head), head, a + strlen(app));
				snprintf(head, sizeof(head), "%s", tmp);
			}
			snprintf(pattern, sizeof(pattern), "%s${service}", head);
		} else {
			pattern[0] = '\0';
		}
	}
	if (pattern[0] && (!c->log_prefix || strcmp(c->log_prefix, pattern) == 0)) {
		if (!c->log_prefix && !(c->log_prefix = k8smig__strdup(pattern)))
			return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
		const char *envs[2];
		if (!strstr(pattern, "${environment}") && env_names(c, envs, 2) > 1)
			TRY(entry(c, s, IMP_APPROX, &opts, "awslogs-group", "logging.logGroupPattern -> Fluent Bit output, CloudWatch log group",
			          "%s (pattern %s) stays the ECS tasks' group: each environment logs to its own groups, "
			          "the spec's /eks/${app}/${environment}/${service}", group, pattern));
		else
			TRY(entry(c, s, IMP_MAPPED, &opts, "awslogs-group", "logging.logGroupPattern -> Fluent Bit output, CloudWatch log group",
			          "%s (pattern %s)", group, pattern));
	} else {
		c->log_mixed = true;
		TRY(entry(c, s, IMP_APPROX, &opts, "awslogs-group", "logging.logGroupPattern",
		          "%s does not follow one <prefix>/<service> pattern with the other services: logs go to the spec's "
		          "pattern", group));
	}
	if (region && c->region && strcmp(region, c->region) != 0)
		TRY(entry(c, s, IMP_APPROX, &opts, "awslogs-region", "aws.region", "logs were in %s; the tree logs in %s", region,
		          c->region));
	if (prefix)
		TRY(entry(c, s, IMP_DROPPED, &opts, "awslogs-stream-prefix", NULL,
		          "Fluent Bit names log streams after the pod and container (%s/...)", prefix));
	(void)tgt;
fail:
	return rc;
}

/* EKS Fargate mounts EFS only as static volumes: may service s run there with the spec's environments? */
static bool fargate_volumes_ok(ctx *c, const svc *s)
{
	const k8smig_value *envs = k8smig_object_get(c->doc, "environments"), *e;
	char p[64];

	if (!k8smig_object_has(c->doc, SP(p, "services[%zu].volumes", s->index)))
		return true;
	if (!envs || !k8smig_value_first(envs))
		return false; /* the default environments create new access points */
	for (e = k8smig_value_first(envs); e; e = k8smig_value_next(e))
		if (!k8smig_value_bool(k8smig_value_lookup(k8smig_value_lookup(e, "storage"), "reuseExisting")))
			return false;
	return true;
}

static int map_service_fields(ctx *c, svc *s, int64_t port)
{
	ref sv = s->service, lbs, dc, nc;
	int64_t desired = 1, grace;
	bool has, hg;
	const char *launch;
	char tgt[1024];
	int rc;

	if (!sv.v) {
		TRY(entry(c, s, IMP_DECIDE, &s->td, "family", SP(tgt, "services[%zu].desiredCount", s->index),
		          "no ECS service given for this task definition (describe-services): desiredCount 1"));
		TRY(k8smig_object_set_int(c->doc, tgt, 1));
		return 0;
	}
	if ((rc = get_int(&sv, "desiredCount", 0, 1000, &desired, &has)) < 0)
		return rc;
	TRY(k8smig_object_set_int(c->doc, SP(tgt, "services[%zu].desiredCount", s->index), has ? desired : 1));
	TRY(entry(c, s, has ? IMP_MAPPED : IMP_DECIDE, &sv, "desiredCount",
	          SP(tgt, "services[%zu].desiredCount -> HorizontalPodAutoscaler %s minReplicas floor", s->index, s->name),
	          "%lld%s", (long long)(has ? desired : 1), has ? "" : " (absent: 1)"));
	if ((rc = get_str(&sv, "launchType", &launch)) < 0)
		return rc;
	if (launch && strcmp(launch, "FARGATE") == 0 && fargate_volumes_ok(c, s)) {
		/* the tree then carries a Fargate profile per environment selecting exactly this service's pods */
		TRY(k8smig_object_set_bool(c->doc, SP(tgt, "services[%zu].fargate", s->index), true));
		TRY(entry(c, s, IMP_MAPPED, &sv, "launchType", tgt,
		          "Fargate: an EKS Fargate profile per environment selects the service's pods"));
	} else if (launch && strcmp(launch, "FARGATE") == 0) {
		TRY(entry(c, s, IMP_DECIDE, &sv, "launchType", SP(tgt, "services[%zu].fargate", s->index),
		          "Fargate with EFS volumes: EKS Fargate mounts EFS only as static volumes, so the pods run on the "
		          "node groups; for Fargate set fargate: true and storage.reuseExisting: true in every environment"));
	} else if (launch)
		TRY(entry(c, s, IMP_MAPPED, &sv, "launchType", NULL, "%s: pods run on the cluster's node groups", launch));
	if (k8smig_value_lookup(sv.v, "capacityProviderStrategy") &&
	    k8smig_value_size(k8smig_value_lookup(sv.v, "capacityProviderStrategy")))
		TRY(entry(c, s, IMP_DECIDE, &sv, "capacityProviderStrategy", NULL,
		          "capacity providers: choose node groups (or a Fargate profile) in EKS"));
	if ((rc = child(&lbs, &sv, "loadBalancers", K8SMIG_TYPE_LIST)) < 0)
		return rc;
	if (lbs.v) {
		const k8smig_value *it;
		size_t k = 0;
		for (it = k8smig_value_first(lbs.v); it; it = k8smig_value_next(it), k++) {
			ref lb;
			int64_t cport = 0;
			bool hp;
			if ((rc = item_map(&lb, &lbs, it, k)) < 0 || (rc = get_int(&lb, "containerPort", 1, 65535, &cport, &hp)) < 0)
				return rc;
			TRY(entry(c, s, hp && cport != port ? IMP_APPROX : IMP_MAPPED, &lb, NULL,
			          "Ingress (AWS Load Balancer Controller, target type ip) -> Service",
			          "target group%s: routes come from the listener rules%s", hp && cport != port ? " on another port" : "",
			          c->imp->tf ? "" : " (not in describe-services: add services[].ingress by hand)"));
		}
	}
	if ((rc = get_int(&sv, "healthCheckGracePeriodSeconds", 0, 2147483647, &grace, &hg)) < 0)
		return rc;
	if (hg && grace)
		TRY(entry(c, s, IMP_APPROX, &sv, "healthCheckGracePeriodSeconds", NULL,
		          "%llds: Kubernetes has no grace period for the load balancer's check; readiness gates the traffic",
		          (long long)grace));
	if ((rc = child(&dc, &sv, "deploymentConfiguration", K8SMIG_TYPE_MAP)) < 0)
		return rc;
	if (dc.v)
		TRY(entry(c, s, IMP_APPROX, &dc, NULL, SP(tgt, "Deployment %s strategy", s->name),
		          "the tree rolls with maxSurge 25%%, maxUnavailable 0 (no capacity lost during a rollout)"));
	{
		const char *strategy;
		const k8smig_value *v;
		if ((rc = get_str(&sv, "schedulingStrategy", &strategy)) < 0)
			return rc;
		if (strategy && strcmp(strategy, "DAEMON") == 0)
			TRY(entry(c, s, IMP_DECIDE, &sv, "schedulingStrategy", NULL,
			          "DAEMON: one task per instance; the spec makes a Deployment with an HPA: write a DaemonSet by hand"));
		if ((v = k8smig_value_lookup(sv.v, "serviceRegistries")) && k8smig_value_size(v))
			TRY(entry(c, s, IMP_APPROX, &sv, "serviceRegistries", SP(tgt, "Service %s", s->name),
			          "Cloud Map names: callers use the Kubernetes Service name (http://%s:<port>)", s->name));
		if ((v = k8smig_value_lookup(sv.v, "placementConstraints")) && k8smig_value_size(v))
			TRY(entry(c, s, IMP_DROPPED, &sv, "placementConstraints", NULL, "use nodeSelector or affinity by hand"));
		if ((v = k8smig_value_lookup(sv.v, "placementStrategy")) && k8smig_value_size(v))
			TRY(entry(c, s, IMP_DROPPED, &sv, "placementStrategy", NULL,
			          "spread pods with topologySpreadConstraints by hand"));
		if ((v = k8smig_value_lookup(sv.v, "enableExecuteCommand")) && k8smig_value_bool(v))
			TRY(entry(c, s, IMP_DROPPED, &sv, "enableExecuteCommand", NULL, "use kubectl exec (RBAC decides who may)"));
	}
	if ((rc = child(&nc, &sv, "networkConfiguration", K8SMIG_TYPE_MAP)) < 0)
		return rc;
	if (nc.v)
		TRY(entry(c, s, IMP_DECIDE, &nc, NULL, NULL,
		          "subnets and security groups: pods use the cluster's VPC CNI; restrict traffic with NetworkPolicies or "
		          "security groups for pods"));
fail:
	return rc;
}

static int map_scaling(ctx *c, svc *s)
{
	int64_t minc = 1, maxc = 1, desired = k8smig_object_get_int(c->doc, NULL) * 0;
	bool hmin = false, hmax = false;
	char tgt[1024], base[64];
	int64_t cpu = 0, mem = 0, up = -1, down = -1;
	size_t i;
	int rc;

	{
		char p[64];
		const k8smig_value *v = k8smig_object_get(c->doc, SP(p, "services[%zu].desiredCount", s->index));
		desired = v ? k8smig_value_int(v) : 1;
	}
	SP(base, "services[%zu]", s->index);
	if (s->target.v) {
		if ((rc = get_int(&s->target, "MinCapacity", 0, 1000000, &minc, &hmin)) < 0 ||
		    (rc = get_int(&s->target, "MaxCapacity", 0, 1000000, &maxc, &hmax)) < 0)
			return rc;
		if (!hmin || !hmax)
			return fail_at(&s->target, hmin ? "MaxCapacity" : "MinCapacity", "is missing");
		if (minc < 1) {
			TRY(entry(c, s, IMP_APPROX, &s->target, "MinCapacity", SP(tgt, "%s.minCount", base),
			          "0: an HPA keeps at least 1 replica"));
			minc = 1;
		}
		if (minc > 1000 || maxc > 1000)
			return fail_at(&s->target, "MaxCapacity", "is above the spec's 1000 replicas");
		if (maxc < minc)
			maxc = minc;
		if (maxc < desired) {
			TRY(entry(c, s, IMP_APPROX, &s->target, "MaxCapacity", SP(tgt, "%s.maxCount", base),
			          "%lld is below desiredCount %lld: raised to it", (long long)maxc, (long long)desired));
			maxc = desired;
		}
		TRY(k8smig_object_set_int(c->doc, SP(tgt, "%s.minCount", base), minc));
		TRY(entry(c, s, IMP_MAPPED, &s->target, "MinCapacity",
		          SP(tgt, "%s.minCount -> HorizontalPodAutoscaler %s minReplicas", base, s->name), "%lld", (long long)minc));
		TRY(k8smig_object_set_int(c->doc, SP(tgt, "%s.maxCount", base), maxc));
		TRY(entry(c, s, IMP_MAPPED, &s->target, "MaxCapacity",
		          SP(tgt, "%s.maxCount -> HorizontalPodAutoscaler %s maxReplicas", base, s->name), "%lld", (long long)maxc));
	} else {
		TRY(entry(c, s, IMP_DECIDE, &s->td, "family", SP(tgt, "%s.maxCount", base),
		          "no scalable target: the HPA is pinned at desiredCount (min = max); give describe-scalable-targets"));
	}
	for (i = 0; i < s->n_policies; i++) {
		ref *p = &s->policies[i], tt, pm;
		const char *type, *metric = NULL;
		double target = 0;
		int64_t in_cd = 0, out_cd = 0;
		bool ht, hin, hout;
		if ((rc = get_str(p, "PolicyType", &type)) < 0)
			return rc;
		if (type && strcmp(type, "StepScaling") == 0) {
			TRY(entry(c, s, IMP_APPROX, p, "StepScalingPolicyConfiguration", SP(tgt, "%s.scaling.cpuPercent", base),
			          "step scaling has no target value: the HPA tracks CPU at the spec's 70%% instead of the "
			          "alarm's steps; check the target"));
			if (!cpu)
				cpu = -70;
			continue;
		}
		if (!type || strcmp(type, "TargetTrackingScaling") != 0)
			return fail_at(p, "PolicyType", "must be TargetTrackingScaling or StepScaling");
		if ((rc = child(&tt, p, "TargetTrackingScalingPolicyConfiguration", K8SMIG_TYPE_MAP)) < 0)
			return rc;
		if (!tt.v)
			return fail_at(p, "TargetTrackingScalingPolicyConfiguration", "is missing");
		if ((rc = get_double(&tt, "TargetValue", &target, &ht)) < 0 || (rc = child(&pm, &tt, "PredefinedMetricSpecification", K8SMIG_TYPE_MAP)) < 0 ||
		    (pm.v && (rc = get_str(&pm, "PredefinedMetricType", &metric)) < 0) ||
		    (rc = get_int(&tt, "ScaleInCooldown", 0, 86400, &in_cd, &hin)) < 0 ||
		    (rc = get_int(&tt, "ScaleOutCooldown", 0, 86400, &out_cd, &hout)) < 0)
			return rc;
		if (!ht || target <= 0 || target > 1000)
			return fail_at(&tt, "TargetValue", "must be a percentage above 0");
		if (!metric || (strcmp(metric, "ECSServiceAverageCPUUtilization") != 0 &&
		                strcmp(metric, "ECSServiceAverageMemoryUtilization") != 0)) {
			TRY(entry(c, s, IMP_DROPPED, &tt, pm.v ? "PredefinedMetricSpecification.PredefinedMetricType" : NULL, NULL,
			          "tracks %s: the HPA tracks CPU and memory only (a custom metric needs an adapter)",
			          metric ? metric : "a custom metric"));
			continue;
		}
		{
			bool is_cpu = strcmp(metric, "ECSServiceAverageCPUUtilization") == 0;
			int64_t pct = (int64_t)llround(target);
			if (is_cpu)
				cpu = pct;
			else
				mem = pct;
			TRY(entry(c, s, (double)pct == target ? IMP_MAPPED : IMP_APPROX, &tt, "TargetValue",
			          SP(tgt, "%s.scaling.%s -> HorizontalPodAutoscaler %s %s averageUtilization", base,
			             is_cpu ? "cpuPercent" : "memoryPercent", s->name, is_cpu ? "cpu" : "memory"),
			          "%g%%%s", target, (double)pct == target ? "" : " (rounded)"));
		}
		if (hout) {
			TRY(entry(c, s, up >= 0 && up != out_cd ? IMP_APPROX : IMP_MAPPED, &tt, "ScaleOutCooldown",
			          SP(tgt, "%s.scaling.scaleUpStabilizationSeconds", base), "%llds%s", (long long)out_cd,
			          up >= 0 && up != out_cd ? " (policies differ: the longest is kept)" : ""));
			if (out_cd > up)
				up = out_cd;
		}
		if (hin) {
			TRY(entry(c, s, down >= 0 && down != in_cd ? IMP_APPROX : IMP_MAPPED, &tt, "ScaleInCooldown",
			          SP(tgt, "%s.scaling.scaleDownStabilizationSeconds", base), "%llds%s", (long long)in_cd,
			          down >= 0 && down != in_cd ? " (policies differ: the longest is kept)" : ""));
			if (in_cd > down)
				down = in_cd;
		}
	}
	if (cpu || mem) {
		TRY(k8smig_object_set_int(c->doc, SP(tgt, "%s.scaling.cpuPercent", base), cpu < 0 ? -cpu : cpu));
		TRY(k8smig_object_set_int(c->doc, SP(tgt, "%s.scaling.memoryPercent", base), mem));
		if (up >= 0)
			TRY(k8smig_object_set_int(c->doc, SP(tgt, "%s.scaling.scaleUpStabilizationSeconds", base), up > 3600 ? 3600 : up));
		if (down >= 0)
			TRY(k8smig_object_set_int(c->doc, SP(tgt, "%s.scaling.scaleDownStabilizationSeconds", base),
			                          down > 3600 ? 3600 : down));
	} else if (s->target.v) {
		TRY(entry(c, s, IMP_DECIDE, &s->target, NULL, SP(tgt, "%s.scaling", base),
		          "a scalable target without a policy given: the HPA uses the spec's defaults (70%% CPU, 80%% memory)"));
	}
	if (!s->target.v) {
		TRY(k8smig_object_set_int(c->doc, SP(tgt, "%s.minCount", base), desired ? desired : 1));
		TRY(k8smig_object_set_int(c->doc, SP(tgt, "%s.maxCount", base), desired ? desired : 1));
	}
fail:
	return rc;
}


/* The condition under which the app container waits for container name (its dependsOn), or NULL. */
static int depends_on(const ref *app, const char *name, const char **cond, ref *where)
{
	ref list, d;
	const k8smig_value *it;
	size_t k = 0;
	int rc;

	*cond = NULL;
	if ((rc = child(&list, app, "dependsOn", K8SMIG_TYPE_LIST)) < 0 || !list.v)
		return rc;
	for (it = k8smig_value_first(list.v); it; it = k8smig_value_next(it), k++) {
		const char *n, *cd;
		if ((rc = item_map(&d, &list, it, k)) < 0 || (rc = get_str(&d, "containerName", &n)) < 0 ||
		    (rc = get_str(&d, "condition", &cd)) < 0)
			return rc;
		if (n && strcmp(n, name) == 0) {
			*cond = cd ? cd : "START";
			*where = d;
			return 0;
		}
	}
	return 0;
}

/*
 * The task's other containers: a log router is replaced by the cluster's Fluent Bit; a container the app
 * waits for to succeed (dependsOn SUCCESS or COMPLETE) becomes an init container; any other becomes a
 * native sidecar (an init container with restartPolicy: Always, Kubernetes 1.29 or later), started before
 * the app as dependsOn START asks.
 */
static int map_other_container(ctx *c, svc *s, const ref *app, const ref *o, size_t *n_side, size_t *n_init)
{
	const char *name, *image, *cond = NULL;
	char *dns = NULL, base[96], tgt[1024], what[160];
	ref dep, hc, cmd, list, e;
	bool init, has, ess = true;
	int64_t cpu = 0, mem = 0, res = 0;
	bool hc_, hm, hr;
	const k8smig_value *it;
	size_t k = 0;
	int rc;

	if ((rc = get_str(o, "name", &name)) < 0 || (rc = get_str(o, "image", &image)) < 0 ||
	    (rc = get_bool(o, "essential", &ess, &has)) < 0)
		return rc;
	if (!name)
		return fail_at(o, "name", "is missing");
	if (!image)
		return fail_at(o, "image", "is missing");
	if (!has)
		ess = true;
	if ((rc = depends_on(app, name, &cond, &dep)) < 0)
		return rc;
	if (k8smig_value_lookup(o->v, "firelensConfiguration")) {
		TRY(entry(c, s, IMP_DROPPED, o, NULL, NULL,
		          "container %s is the task's FireLens log router: the cluster's Fluent Bit (k8s/monitoring) ships "
		          "every pod's logs instead", name));
		if (cond)
			TRY(entry(c, s, IMP_DROPPED, &dep, NULL, NULL, "the app waited for the log router, which the tree does not run"));
		return 0;
	}
	init = cond && (strcmp(cond, "SUCCESS") == 0 || strcmp(cond, "COMPLETE") == 0);
	if (!(dns = dns_name(name)))
		return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	if (strcmp(dns, "app") == 0) {
		free(dns);
		if (!(dns = k8smig__strdup("app-2")))
			return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	}
	SP(base, "services[%zu].%s[%zu]", s->index, init ? "initContainers" : "sidecars", init ? *n_init : *n_side);
	SP(what, "Deployment %s %s %s", s->name, init ? "init container" : "sidecar (init container, restartPolicy Always)", dns);
	TRY(k8smig_object_set_str(c->doc, SP(tgt, "%s.name", base), dns));
	TRY(k8smig_object_set_str(c->doc, SP(tgt, "%s.image", base), image));
	if (init)
		TRY(entry(c, s, strcmp(cond, "SUCCESS") == 0 ? IMP_MAPPED : IMP_APPROX, o, NULL, SP(tgt, "%s -> %s", base, what),
		          "the app waits for %s to %s: an init container runs to completion first%s", name,
		          strcmp(cond, "SUCCESS") == 0 ? "succeed" : "complete",
		          strcmp(cond, "SUCCESS") == 0 ? "" : " (and must succeed, where COMPLETE accepted a failure)"));
	else
		TRY(entry(c, s, cond && strcmp(cond, "START") == 0 ? IMP_MAPPED : IMP_APPROX, o, NULL, SP(tgt, "%s -> %s", base, what),
		          "%s", cond && strcmp(cond, "START") == 0 ? "the app waits for it to start: a native sidecar starts before the app"
		          : cond ? "the app waited for it to be HEALTHY: a native sidecar starts first, but the app does not wait for its health"
		          : ess ? "essential: ECS stopped the task when it exited; a sidecar is restarted instead"
		                : "not essential: it runs beside the app; a sidecar is restarted when it exits"));
	if (strcmp(dns, name))
		TRY(entry(c, s, IMP_APPROX, o, "name", SP(tgt, "%s.name", base), "%s is not a DNS label: named %s", name, dns));
	free(dns);
	dns = NULL;
	TRY(entry(c, s, IMP_MAPPED, o, "image", SP(tgt, "%s.image -> %s image", base, what), "used as written (not an overlay image)"));
	/* resources: ECS units and MiB, as for the app; a container without them gets the spec's small defaults */
	if ((rc = get_int(o, "cpu", 0, 1048576, &cpu, &hc_)) < 0 || (rc = get_int(o, "memory", 0, (int64_t)1 << 30, &mem, &hm)) < 0 ||
	    (rc = get_int(o, "memoryReservation", 0, (int64_t)1 << 30, &res, &hr)) < 0)
		return rc;
	if (hc_ && cpu >= 1) {
		TRY(k8smig_object_set_int(c->doc, SP(tgt, "%s.cpu", base), cpu));
		TRY(entry(c, s, IMP_MAPPED, o, "cpu", SP(tgt, "%s.cpu -> %s requests.cpu", base, what), "%lld ECS units", (long long)cpu));
	}
	if (hm && mem >= 4) {
		TRY(k8smig_object_set_int(c->doc, SP(tgt, "%s.memory", base), mem));
		TRY(entry(c, s, IMP_MAPPED, o, "memory", SP(tgt, "%s.memory -> %s limits.memory", base, what), "%lld MiB", (long long)mem));
		if (hr && res >= 4 && res <= mem) {
			TRY(k8smig_object_set_int(c->doc, SP(tgt, "%s.memoryRequest", base), res));
			TRY(entry(c, s, IMP_MAPPED, o, "memoryReservation", SP(tgt, "%s.memoryRequest -> %s requests.memory", base, what),
			          "%lld MiB", (long long)res));
		}
	} else if (hr && res >= 4) {
		TRY(k8smig_object_set_int(c->doc, SP(tgt, "%s.memory", base), res));
		TRY(entry(c, s, IMP_APPROX, o, "memoryReservation", SP(tgt, "%s.memory -> %s requests and limits.memory", base, what),
		          "only a soft limit in ECS: %lld MiB is both the request and the limit", (long long)res));
	}
	/* plain variables */
	if ((rc = child(&list, o, "environment", K8SMIG_TYPE_LIST)) < 0)
		return rc;
	for (it = list.v ? k8smig_value_first(list.v) : NULL; it; it = k8smig_value_next(it), k++) {
		const char *n, *v;
		if ((rc = item_map(&e, &list, it, k)) < 0 || (rc = get_str(&e, "name", &n)) < 0 || (rc = get_str(&e, "value", &v)) < 0)
			return rc;
		if (!n)
			return fail_at(&e, "name", "is missing");
		if (!env_name_ok(n)) {
			TRY(entry(c, s, IMP_DROPPED, &e, "name", NULL, "not a valid variable name for Kubernetes"));
			continue;
		}
		TRY(k8smig_object_set_str(c->doc, SP(tgt, "%s.env[%s]", base, n), v ? v : ""));
		TRY(entry(c, s, IMP_MAPPED, &e, NULL, SP(tgt, "%s.env -> %s env", base, what), "%s", n));
	}
	TRY(map_container_fields(c, s, o, base, what));
	/* a sidecar's health check: its readiness (exec) */
	if ((rc = child(&hc, o, "healthCheck", K8SMIG_TYPE_MAP)) < 0)
		return rc;
	if (hc.v) {
		const char *kind;
		if ((rc = child(&cmd, &hc, "command", K8SMIG_TYPE_LIST)) < 0)
			return rc;
		kind = cmd.v ? k8smig_value_str(k8smig_value_first(cmd.v)) : NULL;
		if (init || !kind || strcmp(kind, "NONE") == 0 || k8smig_value_size(cmd.v) < 2) {
			TRY(entry(c, s, IMP_DROPPED, &hc, NULL, NULL, "%s", init ? "an init container has no probes: it runs to completion"
			                                                        : "no command to probe with"));
		} else {
			SP(tgt, "%s.readinessExec", base);
			k = 0;
			for (it = k8smig_value_next(k8smig_value_first(cmd.v)); it; it = k8smig_value_next(it), k++) {
				if (k8smig_value_type(it) != K8SMIG_TYPE_STRING) {
					ref x;
					item(&x, &cmd, it, k + 1);
					return fail_at(&x, NULL, "must be a string");
				}
				if (strcmp(kind, "CMD") != 0 && k == 0) {
					TRY(k8smig_object_append_str(NULL, c->doc, tgt, "/bin/sh"));
					TRY(k8smig_object_append_str(NULL, c->doc, tgt, "-c"));
				}
				TRY(k8smig_object_append_str(NULL, c->doc, tgt, k8smig_value_str(it)));
			}
			TRY(entry(c, s, IMP_APPROX, &hc, "command", SP(tgt, "%s.readinessExec -> %s readinessProbe exec", base, what),
			          "the sidecar's readiness (every 10s, 5s timeout); ECS's interval, retries and start period are not kept"));
		}
	}
	/* what a sidecar in the spec cannot hold */
	{
		static const struct { const char *field, *why; } not_held[] = {
			{ "secrets", "a sidecar reads no secrets in the spec: give it a secretKeyRef by hand" },
			{ "mountPoints", "a sidecar mounts no volumes when imported: add volumes to it by hand" },
			{ "volumesFrom", "add the volumes to the sidecar by hand" },
			{ "portMappings", "the Service exposes only the app's port" },
			{ "stopTimeout", "the grace period is the pod's (the app's stopTimeout)" },
			{ "logConfiguration", "its logs go through the cluster's Fluent Bit like the app's" },
			{ "dependsOn", "sidecars and init containers start in the task definition's order" },
			{ "ulimits", "Kubernetes has no per-container ulimits: set them on the nodes or in the image" },
		};
		static const char *const read_here[] = { "name", "image", "cpu", "memory", "memoryReservation", "essential",
			"environment", "healthCheck", "command", "entryPoint", "workingDirectory", "user",
			"readonlyRootFilesystem", "privileged", "linuxParameters", "secrets", "mountPoints", "volumesFrom",
			"portMappings", "stopTimeout", "logConfiguration", "dependsOn", "ulimits", NULL };
		size_t i;
		for (i = 0; i < sizeof(not_held) / sizeof(not_held[0]); i++) {
			const k8smig_value *v = k8smig_value_lookup(o->v, not_held[i].field);
			if (!v || k8smig_value_type(v) == K8SMIG_TYPE_NULL ||
			    ((k8smig_value_type(v) == K8SMIG_TYPE_LIST || k8smig_value_type(v) == K8SMIG_TYPE_MAP) && !k8smig_value_size(v)))
				continue;
			TRY(entry(c, s, strcmp(not_held[i].field, "logConfiguration") == 0 ? IMP_APPROX : IMP_DROPPED, o,
			          not_held[i].field, NULL, "%s", not_held[i].why));
		}
		TRY(unread(c, s, o, read_here, NULL, 0));
	}
	if (init)
		(*n_init)++;
	else
		(*n_side)++;
fail:
	free(dns);
	return rc;
}

static int map_service(ctx *c, svc *s)
{
	ref containers, ct;
	const char *image, *task_role, *exec_role, *cname;
	char repo[260], tgt[200], base[64];
	int64_t port = 8080;
	size_t k = 0, n_side = 0, n_init = 0;
	const k8smig_value *it;
	int nct, rc;

	if ((rc = child(&containers, &s->td, "containerDefinitions", K8SMIG_TYPE_LIST)) < 0)
		return rc;
	if ((rc = pick_app(c, s, &containers)) < 0)
		return rc;
	nct = (int)k8smig_value_size(containers.v);
	item(&ct, &containers, k8smig_value_at(containers.v, s->app), s->app);
	if ((rc = k8smig_object_set_str(c->doc, SP(tgt, "services[%zu].name", s->index), s->name)) < 0)
		return rc;
	TRY(entry(c, s, IMP_MAPPED, s->service.v ? &s->service : &s->td, s->service.v ? "serviceName" : "family",
	          SP(tgt, "services[%zu].name -> Deployment, Service, HPA, ServiceAccount %s", s->index, s->name), "%s",
	          strcmp(s->name, s->ecs_name) ? "without the system's prefix" : ""));
	if ((rc = get_str(&ct, "image", &image)) < 0 || (rc = get_str(&ct, "name", &cname)) < 0)
		return rc;
	if (!image)
		return fail_at(&ct, "image", "is missing");
	if (!image_repo(c, s, &ct, image, repo, sizeof(repo), &rc) || rc < 0)
		return rc < 0 ? rc : k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	TRY(k8smig_object_set_str(c->doc, SP(tgt, "services[%zu].image", s->index), repo));
	TRY(map_port(c, s, &ct, &port));
	TRY(map_resources(c, s, &ct, nct));
	TRY(map_env(c, s, &ct));
	TRY(map_secrets(c, s, &ct));
	TRY(map_health(c, s, &ct, port));
	TRY(map_mounts(c, s, &ct));
	TRY(map_logging(c, s, &ct));
	TRY(map_stop(c, s, &ct, port));
	TRY(map_container_fields(c, s, &ct, SP(base, "services[%zu]", s->index), "Deployment container app"));
	TRY(map_task_fields(c, s));
	TRY(map_unsupported(c, s, &ct));
	/* the other containers: sidecars and init containers */
	for (it = k8smig_value_first(containers.v); it; it = k8smig_value_next(it), k++) {
		ref o;
		if (k == s->app)
			continue;
		if ((rc = item_map(&o, &containers, it, k)) < 0)
			return rc;
		TRY(map_other_container(c, s, &ct, &o, &n_side, &n_init));
	}
	/* dependsOn naming no container of the task */
	{
		ref list, d;
		const k8smig_value *x;
		size_t j = 0;
		TRY(child(&list, &ct, "dependsOn", K8SMIG_TYPE_LIST));
		for (x = list.v ? k8smig_value_first(list.v) : NULL; x; x = k8smig_value_next(x), j++) {
			const char *n;
			const k8smig_value *y;
			bool found = false;
			TRY(item_map(&d, &list, x, j));
			TRY(get_str(&d, "containerName", &n));
			for (y = k8smig_value_first(containers.v); y && n; y = k8smig_value_next(y))
				found = found || (k8smig_value_str(k8smig_value_lookup(y, "name")) &&
				                  strcmp(k8smig_value_str(k8smig_value_lookup(y, "name")), n) == 0 && y != ct.v);
			if (!found)
				TRY(entry(c, s, IMP_DROPPED, &d, "containerName", NULL, "names no other container of the task"));
		}
	}
	(void)cname;
	/* task level */
	if ((rc = get_str(&s->td, "taskRoleArn", &task_role)) < 0 || (rc = get_str(&s->td, "executionRoleArn", &exec_role)) < 0)
		return rc;
	if (task_role) {
		arn a;
		if (!parse_arn(&a, task_role) || strcmp(a.service, "iam") != 0 || strncmp(a.resource, "role/", 5) != 0)
			return fail_at(&s->td, "taskRoleArn", "is not an IAM role ARN");
		TRY(entry(c, s, IMP_DECIDE, &s->td, "taskRoleArn", SP(tgt, "ServiceAccount %s", s->name),
		          "the tree gives the services no IAM role (External Secrets reads the secrets, Fluent Bit writes "
		          "the logs, the nodes pull the images): if the application calls AWS itself, give ServiceAccount "
		          "%s an IRSA role (annotation eks.amazonaws.com/role-arn) with the permissions of %s it needs",
		          s->name, a.resource + 5));
	}
	if (exec_role)
		TRY(entry(c, s, IMP_DROPPED, &s->td, "executionRoleArn", NULL,
		          "not a pod identity: nodes pull from ECR, External Secrets reads the secrets, Fluent Bit writes the logs"));
	{
		const k8smig_value *rc_ = k8smig_value_lookup(s->td.v, "requiresCompatibilities");
		const k8smig_value *x;
		for (x = k8smig_value_first(rc_); x; x = k8smig_value_next(x))
			if (k8smig_value_str(x) && strcmp(k8smig_value_str(x), "FARGATE") == 0 && !s->service.v)
				TRY(entry(c, s, IMP_DECIDE, &s->td, "requiresCompatibilities", NULL,
				          "Fargate-compatible, but no ECS service says where it runs: pods run on the cluster's nodes; "
				          "set fargate: true on the service to run them on EKS Fargate"));
	}
	TRY(map_service_fields(c, s, port));
	TRY(map_scaling(c, s));
fail:
	return rc;
}

/* variables with one value in every service go to the shared ConfigMap (config.data); the rest stay per service */
static int hoist_env(ctx *c)
{
	const k8smig_value *e;
	size_t i;
	char path[320], tgt[400];
	int rc = 0;

	for (i = 0; i < c->n; i++) {
		svc *s = &c->svcs[i];
		ref r = s->td;
		for (e = k8smig_value_first(k8smig_object_get(s->env, NULL)); e; e = k8smig_value_next(e)) {
			const char *key = k8smig_value_key(e), *val = k8smig_value_str(e);
			bool shared = c->n > 1;
			size_t j;
			for (j = 0; j < c->n && shared; j++) {
				SP(path, "[%s]", key);
				const char *o = k8smig_object_get_str(c->svcs[j].env, path);
				shared = o && strcmp(o, val) == 0;
			}
			if (shared) {
				TRY(k8smig_object_set_str(c->doc, SP(path, "config.data[%s]", key), val));
				SP(tgt, "config.data[%s] -> ConfigMap %s-config (envFrom)", key, c->imp->name);
			} else {
				TRY(k8smig_object_set_str(c->doc, SP(path, "services[%zu].env[%s]", s->index, key), val));
				SP(tgt, "services[%zu].env[%s] -> Deployment %s env", s->index, key, s->name);
			}
			snprintf(r.path, sizeof(r.path), "%s%scontainerDefinitions[%zu].environment[%s]", s->td.path,
			         s->td.path[0] ? "." : "", s->app, key);
			TRY(entry(c, s, IMP_MAPPED, &r, NULL, tgt, "%s", shared ? "same value in every service: the shared ConfigMap" : ""));
		}
	}
fail:
	return rc;
}

static int top_sections(ctx *c)
{
	k8smig_import *imp = c->imp;
	const k8smig_value *b = imp->base ? k8smig_object_get(imp->base, NULL) : NULL;
	const char *keep[] = { "aws", "environments", "ci" };
	char tgt[1024];
	size_t i;
	int rc = 0;

	TRY(k8smig_object_set_str(c->doc, "name", imp->name));
	for (i = 0; i < 3; i++) {
		const k8smig_value *v = k8smig_value_lookup(b, keep[i]);
		if (v)
			TRY(k8smig_object_set_value(c->doc, keep[i], v));
	}
	if (!k8smig_object_has(c->doc, "aws"))
		TRY(k8smig_object_set_map(c->doc, "aws")); /* filled once the services' ARNs are read (aws_section) */
	if (!k8smig_object_has(c->doc, "ci")) {

		TRY(k8smig_object_set_str(c->doc, "ci.repository", SP(tgt, "example-org/%s", imp->name)));
		TRY(k8smig__imp_entry(imp, NULL, IMP_DECIDE, "", "ci.repository",
		                      "the GitHub repository that deploys is not part of ECS: replace example-org/%s", imp->name));
	}
	if (!k8smig_object_has(c->doc, "environments"))
		TRY(k8smig__imp_entry(imp, NULL, IMP_DECIDE, "", "environments",
		                      "ECS runs one environment per cluster or account: the spec's default dev, staging and prod "
		                      "overlays are written; adjust hosts, TLS and factors"));
	/* services list placeholder so their order is the inputs' */
	TRY(k8smig_object_set_list(c->doc, "services"));
fail:
	return rc;
}

static int aws_section(ctx *c)
{
	const char *region = c->region ? c->region : "us-east-1";
	char tgt[1024];
	int rc = 0;

	if (k8smig_value_lookup(k8smig_object_get(c->imp->base, NULL), "aws"))
		return 0;
	if (!c->account)
		return k8smig__imp_fail(c->svcs[0].td.in->source, c->svcs[0].td.path[0] ? "taskDefinition.taskDefinitionArn"
		                                                                        : "taskDefinitionArn",
		                        "no AWS account in the inputs' ARNs: give a base spec with aws.accountId");
	TRY(k8smig_object_set_str(c->doc, "aws.accountId", c->account));
	TRY(k8smig_object_set_str(c->doc, "aws.region", region));
	TRY(k8smig_object_set_str(c->doc, "aws.oidcProvider",
	                          SP(tgt, "oidc.eks.%s.amazonaws.com/id/REPLACE-WITH-THE-CLUSTER-OIDC-ID", region)));
	TRY(k8smig__imp_entry(c->imp, NULL, IMP_DECIDE, "", "aws.oidcProvider",
	                      "the EKS cluster's OIDC issuer is not part of ECS: replace the placeholder (aws eks "
	                      "describe-cluster), or give a base spec"));
	if (c->registry)
		TRY(k8smig_object_set_str(c->doc, "aws.ecrRegistry", c->registry));
fail:
	return rc;
}

static int storage_and_logging(ctx *c)
{
	char p[200];
	size_t i;
	int rc = 0;

	if (c->n_vols) {
		TRY(k8smig_object_set_str(c->doc, "storage.efs.fileSystemId", c->vols[0].fs));
		TRY(k8smig_object_set_list(c->doc, "storage.volumes"));
		for (i = 0; i < c->n_vols; i++) {
			TRY(k8smig_object_set_str(c->doc, SP(p, "storage.volumes[%zu].name", i), c->vols[i].name));
			if (c->vols[i].ap)
				TRY(k8smig_object_set_str(c->doc, SP(p, "storage.volumes[%zu].accessPoint", i), c->vols[i].ap));
			else
				TRY(k8smig_object_set_str(c->doc, SP(p, "storage.volumes[%zu].path", i),
				                          c->vols[i].root ? c->vols[i].root : "/"));
		}
	}
	/* with more than one environment a pattern without ${environment} would send them all to the
	 * same groups (the spec rejects it): the spec's default pattern then, one group per environment */
	if (c->log_prefix && !c->log_mixed && strcmp(c->log_prefix, "/eks/${app}/${environment}/${service}") != 0) {
		const char *envs[2];
		if (strstr(c->log_prefix, "${environment}") || env_names(c, envs, 2) < 2)
			TRY(k8smig_object_set_str(c->doc, "logging.logGroupPattern", c->log_prefix));
		else
			TRY(k8smig__imp_entry(c->imp, NULL, IMP_DECIDE, "", "logging.logGroupPattern",
			                      "ECS logs to %s, one group for every environment: the pods log per environment to "
			                      "/eks/${app}/${environment}/${service} (the spec's default); create those groups' "
			                      "subscriptions, metric filters and alarms again if ECS's have any",
			                      c->log_prefix));
	}
fail:
	return rc;
}

/* Terraform facts: routes, ALB, log retention, alarms (import_tf.c fills imp->tf) */
static int tf_facts(ctx *c)
{
	const k8smig_value *tf = c->imp->tf ? k8smig_object_get(c->imp->tf, NULL) : NULL, *v, *it;
	char p[200];
	size_t i;
	int rc = 0;

	if (!tf)
		return 0;
	for (i = 0; i < c->n; i++) {
		svc *s = &c->svcs[i];
		const k8smig_value *routes = k8smig_value_lookup(k8smig_value_lookup(tf, "routes"), s->ecs_name);
		size_t k = 0;
		for (it = k8smig_value_first(routes); it; it = k8smig_value_next(it), k++) {
			const char *path = k8smig_value_str(k8smig_value_lookup(it, "path"));
			const char *type = k8smig_value_str(k8smig_value_lookup(it, "pathType"));
			const char *src = k8smig_value_str(k8smig_value_lookup(it, "source"));
			const char *pattern = k8smig_value_str(k8smig_value_lookup(it, "pattern"));
			TRY(k8smig_object_set_str(c->doc, SP(p, "services[%zu].ingress[%zu].path", s->index, k), path));
			TRY(k8smig_object_set_str(c->doc, SP(p, "services[%zu].ingress[%zu].pathType", s->index, k), type));
			SP(p, "services[%zu].ingress[%zu] -> Ingress %s rule %s (%s)", s->index, k, c->imp->name, path, type);
			TRY(k8smig__imp_entry(c->imp, s->name, strchr(pattern, '*') && strcmp(type, "Prefix") == 0 &&
			                                              pattern[strlen(pattern) - 1] == '*' &&
			                                              !strchr(pattern, '?') && strchr(pattern, '*') == pattern + strlen(pattern) - 1
			                                          ? IMP_MAPPED : strcmp(type, "Exact") == 0 ? IMP_MAPPED : IMP_APPROX,
			                      src, p, "ALB path pattern %s", pattern));
		}
	}
	if ((v = k8smig_value_lookup(tf, "healthcheckPath")))
		TRY(k8smig_object_set_str(c->doc, "ingress.healthcheckPath", k8smig_value_str(v)));
	if ((v = k8smig_value_lookup(tf, "scheme")))
		TRY(k8smig_object_set_str(c->doc, "ingress.scheme", k8smig_value_str(v)));
	if ((v = k8smig_value_lookup(tf, "deregistrationDelay")))
		TRY(k8smig_object_set_int(c->doc, "ingress.deregistrationDelaySeconds", k8smig_value_int(v)));
	if ((v = k8smig_value_lookup(tf, "retentionDays")))
		TRY(k8smig_object_set_int(c->doc, "logging.retentionDays", k8smig_value_int(v)));
	if ((v = k8smig_value_lookup(tf, "alarmCpu")))
		TRY(k8smig_object_set_int(c->doc, "alarms.cpuPercent", k8smig_value_int(v)));
	if ((v = k8smig_value_lookup(tf, "alarmMemory")))
		TRY(k8smig_object_set_int(c->doc, "alarms.memoryPercent", k8smig_value_int(v)));
	if ((v = k8smig_value_lookup(tf, "alarmMinPods")))
		TRY(k8smig_object_set_int(c->doc, "alarms.minPods", k8smig_value_int(v)));
	if ((v = k8smig_value_lookup(tf, "snsTopicArn")))
		TRY(k8smig_object_set_str(c->doc, "alarms.snsTopicArn", k8smig_value_str(v)));
fail:
	return rc;
}

/* The spec's production floor (replicas.floor: 2) runs more pods than ECS did for a service with fewer: say so. */
static int ha_floor(ctx *c)
{
	k8smig__buf names = K8SMIG__BUF_INIT;
	char p[96];
	size_t i, n = 0;
	int rc = 0;

	for (i = 0; i < c->n; i++) {
		int64_t d = k8smig_object_get_int(c->doc, SP(p, "services[%zu].desiredCount", i));
		int64_t m = k8smig_object_get_int(c->doc, SP(p, "services[%zu].minCount", i));
		if ((d > m ? d : m) < 2)
			k8smig__buf_printf(&names, "%s%s", n++ ? ", " : "", c->svcs[i].name);
	}
	if (names.failed)
		rc = k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	else if (n)
		rc = k8smig__imp_entry(c->imp, NULL, IMP_DECIDE, "", "environments.<production>.replicas.floor",
		                       "production runs at least 2 pods of every service (the spec's default floor, for "
		                       "availability across zones and drains); %s ran fewer on ECS: set replicas.floor: 1 in "
		                       "that environment to keep the ECS count", k8smig__buf_cstr(&names));
	k8smig__buf_free(&names);
	return rc;
}

int k8smig_import_build(k8smig_object **out, k8smig_import *imp)
{
	ctx c = { 0 };
	size_t i;
	int rc;

	if (!out)
		return k8smig__error_set(K8SMIG_EINVAL, "", "out is NULL");
	*out = NULL;
	if (!imp)
		return k8smig__error_set(K8SMIG_EINVAL, "", "imp is NULL");
	if (imp->built)
		return k8smig__error_set(K8SMIG_EINVAL, "", "the import is already built");
	c.imp = imp;
	if (!(c.svcs = calloc(imp->n_inputs + 1, sizeof(*c.svcs))))
		return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	TRY(collect(&c));
	TRY(system_name(&c));
	TRY(k8smig_object_new(&c.doc, NULL, NULL));
	TRY(top_sections(&c));
	if (!(imp->services = calloc(c.n, sizeof(char *)))) {
		rc = k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
		goto fail;
	}
	for (i = 0; i < c.n; i++) {
		if (!(imp->services[i] = k8smig__strdup(c.svcs[i].name))) {
			rc = k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
			goto fail;
		}
		imp->n_services++;
		TRY(k8smig_object_new(&c.svcs[i].env, NULL, NULL));
		TRY(k8smig_object_append_map(NULL, c.doc, "services"));
		TRY(map_service(&c, &c.svcs[i]));
	}
	TRY(hoist_env(&c));
	TRY(aws_section(&c));
	TRY(storage_and_logging(&c));
	TRY(tf_facts(&c));
	TRY(ha_floor(&c));
	imp->built = true;
	*out = c.doc;
	c.doc = NULL;
fail:
	if (rc < 0) {
		/* a failed build can be neither reported nor retried: its entries are dropped */
		for (i = 0; i < imp->n_entries; i++) {
			free(imp->entries[i].service);
			free(imp->entries[i].source);
			free(imp->entries[i].target);
			free(imp->entries[i].note);
		}
		imp->n_entries = 0;
		for (i = 0; i < imp->n_services; i++)
			free(imp->services[i]);
		free(imp->services);
		imp->services = NULL;
		imp->n_services = 0;
	}
	for (i = 0; i < c.n; i++) {
		free(c.svcs[i].name);
		free(c.svcs[i].policies);
		k8smig_object_free(c.svcs[i].env);
	}
	for (i = 0; i < c.n_vols; i++) {
		free(c.vols[i].name);
		free(c.vols[i].fs);
		free(c.vols[i].ap);
		free(c.vols[i].root);
	}
	free(c.vols);
	free(c.svcs);
	free(c.secrets);
	free(c.account);
	free(c.region);
	free(c.registry);
	free(c.cluster);
	free(c.log_prefix);
	k8smig_object_free(c.doc);
	return rc;
}
