/*
 * lib/model/validate.c - the validation API: reports, findings, field paths.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "list.h"
#include "validate.h"

/* ---- field paths ---------------------------------------------------------- */

static void path_put(k8smig__vctx *ctx, const char *s, size_t n)
{
	size_t room = sizeof(ctx->path) - 1 - ctx->plen;
	if (n > room)
		n = room;  /* truncated: paths that long are never useful in full */
	memcpy(ctx->path + ctx->plen, s, n);
	ctx->plen += n;
	ctx->path[ctx->plen] = '\0';
}

size_t k8smig__vpush(k8smig__vctx *ctx, const char *field)
{
	size_t old = ctx->plen;
	if (ctx->plen)
		path_put(ctx, ".", 1);
	path_put(ctx, field, strlen(field));
	return old;
}

size_t k8smig__vpush_index(k8smig__vctx *ctx, size_t i)
{
	char tmp[32];
	size_t old = ctx->plen;
	int n = snprintf(tmp, sizeof(tmp), "[%zu]", i);
	path_put(ctx, tmp, (size_t)n);
	return old;
}

size_t k8smig__vpush_key(k8smig__vctx *ctx, const char *key)
{
	size_t old = ctx->plen;
	path_put(ctx, "[", 1);
	path_put(ctx, key, strlen(key));
	path_put(ctx, "]", 1);
	return old;
}

void k8smig__vctx_init(k8smig__vctx *ctx, struct k8smig_report *r, const k8smig_object *obj, size_t i,
                       unsigned int flags)
{
	const char *s;
	ctx->report = r;
	ctx->obj = obj;
	ctx->root = k8smig_object_get(obj, NULL);
	ctx->obj_index = i;
	ctx->flags = flags;
	s = k8smig_object_kind(obj);
	ctx->kind = s ? s : "";
	s = k8smig_object_namespace(obj);
	ctx->ns = s ? s : "";
	s = k8smig_object_name(obj);
	ctx->name = s ? s : "";
	ctx->plen = 0;
	ctx->path[0] = '\0';
}

/* ---- findings ----------------------------------------------------------------- */

static void add_finding(k8smig__vctx *ctx, k8smig_severity sev, const char *code, const char *path,
                        const char *msg)
{
	struct k8smig_report *r = ctx->report;
	const char *src;
	int line = 0;
	size_t lc, lk, ln, lname, lp, lm, ls;
	k8smig__vrec *rec;
	char *p;

	if (r->failed)
		return;
	src = k8smig_object_source(ctx->obj, &line);
	if (!src)
		src = "";
	lc = strlen(code) + 1;
	lk = strlen(ctx->kind) + 1;
	ln = strlen(ctx->ns) + 1;
	lname = strlen(ctx->name) + 1;
	lp = strlen(path) + 1;
	lm = strlen(msg) + 1;
	ls = strlen(src) + 1;
	if (r->n == r->cap && k8smig__array_grow(&r->items, &r->cap, 16, sizeof(*r->items)) < 0)
		goto nomem;
	rec = malloc(sizeof(*rec) + lc + lk + ln + lname + lp + lm + ls);
	if (!rec)
		goto nomem;
	p = rec->data;
#define PUT(field, s, l) do { memcpy(p, (s), (l)); rec->f.field = p; p += (l); } while (0)
	PUT(code, code, lc);
	PUT(kind, ctx->kind, lk);
	PUT(namespace_, ctx->ns, ln);
	PUT(name, ctx->name, lname);
	PUT(path, path, lp);
	PUT(message, msg, lm);
	PUT(source, src, ls);
#undef PUT
	rec->f.severity = sev;
	rec->f.line = line;
	rec->obj_index = ctx->obj_index;
	rec->seq = r->seq++;
	r->items[r->n++] = rec;
	if ((unsigned)sev < 3)
		r->counts[sev]++;
	return;
nomem:
	r->failed = K8SMIG_ENOMEM;
}

static void vfind(k8smig__vctx *ctx, k8smig_severity sev, const char *code, const char *path,
                  const char *fmt, va_list ap)
{
	char msg[512];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	add_finding(ctx, sev, code, path, msg);
}

void k8smig__vfind(k8smig__vctx *ctx, k8smig_severity sev, const char *code, const char *leaf,
                   const char *fmt, ...)
{
	va_list ap;
	size_t old = ctx->plen;
	if (leaf && *leaf) {
		if (leaf[0] == '[' || !ctx->plen)
			path_put(ctx, leaf, strlen(leaf));
		else {
			path_put(ctx, ".", 1);
			path_put(ctx, leaf, strlen(leaf));
		}
	}
	va_start(ap, fmt);
	vfind(ctx, sev, code, ctx->path, fmt, ap);
	va_end(ap);
	k8smig__vpop(ctx, old);
}

void k8smig__vfind_at(k8smig__vctx *ctx, k8smig_severity sev, const char *code, const char *path,
                      const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfind(ctx, sev, code, path ? path : "", fmt, ap);
	va_end(ap);
}

/* ---- small tree helpers shared by the passes ------------------------------------ */

const k8smig_value *k8smig__vpod_template(const k8smig_value *root, const char *kind, const char **path_out)
{
	const k8smig__pod_template *pt = k8smig__kind_pod_template(kind);
	const k8smig_value *t = root;
	const char *p;

	if (path_out)
		*path_out = pt ? pt->path : NULL;
	if (!pt)
		return NULL;
	/* walk the dotted path; a Pod ("") is its own template */
	for (p = pt->path; t && *p;) {
		char seg[32];
		size_t n = strcspn(p, ".");
		if (n >= sizeof(seg))
			return NULL;
		memcpy(seg, p, n);
		seg[n] = '\0';
		t = k8smig__vget(t, seg);
		p += n + (p[n] == '.');
	}
	return t;
}

bool k8smig__vis_kustomization(const k8smig_value *root)
{
	const char *kind = k8smig__vstr(root, "kind");
	const char *av = k8smig__vstr(root, "apiVersion");
	if (av && strncmp(av, "kustomize.config.k8s.io/", 24) == 0)
		return true;
	return kind && (strcmp(kind, "Kustomization") == 0 || strcmp(kind, "Component") == 0) && !av;
}

bool k8smig__vlabels_match(const k8smig_value *selector_map, const k8smig_value *labels)
{
	const k8smig_value *e;
	if (k8smig_value_type(selector_map) != K8SMIG_TYPE_MAP || k8smig_value_size(selector_map) == 0)
		return false;
	for (e = k8smig_value_first(selector_map); e; e = k8smig_value_next(e)) {
		const char *want = k8smig_value_str(e);
		const char *have = k8smig__vstr(labels, k8smig_value_key(e));
		if (!want || !have || strcmp(want, have) != 0)
			return false;
	}
	return true;
}

bool k8smig__vlist_has(const k8smig_value *list, const char *s)
{
	const k8smig_value *e;
	if (k8smig_value_type(list) != K8SMIG_TYPE_LIST)
		return false;
	for (e = k8smig_value_first(list); e; e = k8smig_value_next(e)) {
		const char *v = k8smig_value_str(e);
		if (v && strcmp(v, s) == 0)
			return true;
	}
	return false;
}

/* ---- the report ---------------------------------------------------------------- */

static int report_new(struct k8smig_report **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
}

void k8smig_report_free(k8smig_report *report)
{
	size_t i;
	if (!report)
		return;
	for (i = 0; i < report->n; i++)
		free(report->items[i]);
	free(report->items);
	free(report);
}

size_t k8smig_report_size(const k8smig_report *report)
{
	return report ? report->n : 0;
}

size_t k8smig_report_count(const k8smig_report *report, k8smig_severity severity)
{
	return report && (unsigned)severity < 3 ? report->counts[severity] : 0;
}

const k8smig_finding *k8smig_report_get(const k8smig_report *report, size_t i)
{
	return report && i < report->n ? &report->items[i]->f : NULL;
}

static int rec_cmp(const void *a, const void *b)
{
	const k8smig__vrec *x = *(k8smig__vrec *const *)a, *y = *(k8smig__vrec *const *)b;
	if (x->obj_index != y->obj_index)
		return x->obj_index < y->obj_index ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static const k8smig_validate_options validate_defaults = K8SMIG_VALIDATE_OPTIONS_INIT;
static const size_t validate_options_sizes[] = { sizeof(k8smig_validate_options) };

int k8smig_validate_options_init(k8smig_validate_options *opts, unsigned int version)
{
	return K8SMIG__OPTIONS_INIT(opts, version, &validate_defaults, validate_options_sizes, "k8smig_validate_options");
}

static int check_options(const k8smig_validate_options *opts, unsigned int *flags)
{
	k8smig_validate_options o = validate_defaults;
	int rc;
	*flags = 0;
	if ((rc = K8SMIG__OPTIONS_LOAD(&o, opts, validate_options_sizes, "k8smig_validate_options")) < 0)
		return rc;
	*flags = o.flags;
	return 0;
}

int k8smig_validate(k8smig_report **out, const k8smig_object_list *set, const k8smig_validate_options *opts)
{
	struct k8smig_report *r = NULL;
	unsigned int flags;
	size_t i, n;
	int rc;

	if (out)
		*out = NULL;
	if (!out || !set)
		return k8smig__error_set(K8SMIG_EINVAL, "", "out and set must not be NULL");
	if ((rc = check_options(opts, &flags)) < 0)
		return rc;
	n = k8smig_object_list_size(set);
	if ((rc = report_new(&r)) < 0)
		return rc;
	for (i = 0; i < n; i++) {
		const k8smig_object *obj = k8smig_object_list_get(set, i);
		k8smig__vctx ctx;
		k8smig__vctx_init(&ctx, r, obj, i, flags);
		if (obj->sticky) {
			/* a failed setter: report it among the rest, with the object's name
			 * (its tree stops where the setter failed, so nothing else is checked) */
			const k8smig__saved_error *e = &obj->sticky_err;
			k8smig__vfind_at(&ctx, K8SMIG_SEVERITY_ERROR, K8SMIG__C_OBJECT_FAILED, e->path ? e->path : "",
			                 "a setter failed (%s): %s", k8smig_error_name(obj->sticky), e->message ? e->message : "");
			continue;
		}
		k8smig__validate_object(&ctx);
		k8smig__validate_security(&ctx);
	}
	if (!(flags & K8SMIG_VALIDATE_NO_CROSS) || !(flags & K8SMIG_VALIDATE_NO_LINTS))
		k8smig__validate_set(r, set, flags);
	if (r->failed) {
		k8smig_report_free(r);
		return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	}
	if (r->n > 1)
		qsort(r->items, r->n, sizeof(*r->items), rec_cmp);
	*out = r;
	return 0;
}

int k8smig_object_validate(const k8smig_object *obj)
{
	struct k8smig_report r;
	k8smig__vctx ctx;
	int rc;
	size_t i;

	if (!obj)
		return k8smig__error_set(K8SMIG_EINVAL, "", "object must not be NULL");
	if ((rc = k8smig_object_status(obj)) < 0)
		return rc;
	memset(&r, 0, sizeof(r));
	k8smig__vctx_init(&ctx, &r, obj, 0, 0);
	k8smig__validate_object(&ctx);
	k8smig__validate_security(&ctx);
	rc = 0;
	if (r.failed)
		rc = k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	for (i = 0; rc == 0 && i < r.n; i++) {
		const k8smig_finding *f = &r.items[i]->f;
		if (f->severity == K8SMIG_SEVERITY_ERROR)
			rc = k8smig__error_set(K8SMIG_ESCHEMA, f->path, "%s: %s", f->code, f->message);
	}
	for (i = 0; i < r.n; i++)
		free(r.items[i]);
	free(r.items);
	return rc;
}
