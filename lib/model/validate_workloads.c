/*
 * lib/model/validate_workloads.c - validation rules of one object: Deployment, DaemonSet,
 * StatefulSet, ReplicaSet, Job, CronJob, PodDisruptionBudget and their selectors (the builders of
 * the family: build_workloads.c).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "validate_object.h"

/* ---- selectors ------------------------------------------------------------------------ */

static bool expr_matches(cv *expr, cv *labels)
{
	const char *key = k8smig__vstr(expr, "key"), *op = k8smig__vstr(expr, "operator");
	const char *have;
	if (!key || !op)
		return false;
	have = k8smig__vstr(labels, key);
	if (strcmp(op, "In") == 0)
		return have && k8smig__vlist_has(k8smig__vget(expr, "values"), have);
	if (strcmp(op, "NotIn") == 0)
		return !have || !k8smig__vlist_has(k8smig__vget(expr, "values"), have);
	if (strcmp(op, "Exists") == 0)
		return have != NULL;
	if (strcmp(op, "DoesNotExist") == 0)
		return have == NULL;
	return false;
}

/* A LabelSelector at v[key] (matchLabels + matchExpressions). */
static cv *check_label_selector(k8smig__vctx *ctx, cv *v, const char *key, bool required)
{
	cv *sel = required ? k8smig__vreq(ctx, v, key, K8SMIG_TYPE_MAP) : k8smig__vwant(ctx, v, key, K8SMIG_TYPE_MAP), *exprs, *e;
	size_t p, i;
	if (!sel)
		return NULL;
	p = k8smig__vpush(ctx, key);
	k8smig__vcheck_label_map(ctx, sel, "matchLabels");
	exprs = k8smig__vwant(ctx, sel, "matchExpressions", K8SMIG_TYPE_LIST);
	if (required && k8smig_value_size(k8smig__vget(sel, "matchLabels")) == 0 && k8smig_value_size(exprs) == 0)
		FIND(ctx, ERR, K8SMIG__C_REQUIRED, "matchLabels", "selector must not be empty");
	if (exprs) {
		size_t q = k8smig__vpush(ctx, "matchExpressions");
		for (i = 0, e = k8smig_value_first(exprs); e; e = k8smig_value_next(e), i++) {
			size_t r = k8smig__vpush_index(ctx, i);
			const char *op;
			k8smig__vreq_str(ctx, e, "key");
			if ((op = k8smig__vreq_str(ctx, e, "operator"))) {
				size_t nv = k8smig_value_size(k8smig__vget(e, "values"));
				k8smig__venum_str(ctx, e, "operator", (const char *const[]){ "In", "NotIn", "Exists", "DoesNotExist", NULL });
				if ((strcmp(op, "In") == 0 || strcmp(op, "NotIn") == 0) && nv == 0)
					FIND(ctx, ERR, K8SMIG__C_REQUIRED, "values", "must not be empty for operator %s", op);
				if ((strcmp(op, "Exists") == 0 || strcmp(op, "DoesNotExist") == 0) && nv)
					FIND(ctx, ERR, K8SMIG__C_VALUE, "values", "must be empty for operator %s", op);
			}
			k8smig__vpop(ctx, r);
		}
		k8smig__vpop(ctx, q);
	}
	k8smig__vpop(ctx, p);
	return sel;
}

static bool selector_matches(cv *sel, cv *labels)
{
	cv *ml = k8smig__vget(sel, "matchLabels"), *e;
	for (e = k8smig_value_first(ml); e; e = k8smig_value_next(e)) {
		const char *want_v = k8smig_value_str(e), *have = k8smig__vstr(labels, k8smig_value_key(e));
		if (!want_v || !have || strcmp(want_v, have) != 0)
			return false;
	}
	for (e = k8smig_value_first(k8smig__vget(sel, "matchExpressions")); e; e = k8smig_value_next(e))
		if (!expr_matches(e, labels))
			return false;
	return true;
}

/* ---- kinds ------------------------------------------------------------------------------ */

void k8smig__vcheck_workload(k8smig__vctx *ctx, cv *spec)
{
	cv *sel, *tmpl, *tmeta, *tspec;
	int64_t n;
	size_t p;
	bool is_daemonset = strcmp(ctx->kind, "DaemonSet") == 0;

	if (!is_daemonset && k8smig__vopt_int(ctx, spec, "replicas", &n) == 1 && n < 0)
		FIND(ctx, ERR, K8SMIG__C_VALUE, "replicas", "must not be negative");
	sel = check_label_selector(ctx, spec, "selector", strcmp(ctx->kind, "Job") != 0);
	tmpl = k8smig__vreq(ctx, spec, "template", K8SMIG_TYPE_MAP);
	if (strcmp(ctx->kind, "Deployment") == 0)
		k8smig__venum_str(ctx, k8smig__vwant(ctx, spec, "strategy", K8SMIG_TYPE_MAP), "type",
		         (const char *const[]){ "RollingUpdate", "Recreate", NULL });
	if (!tmpl)
		return;
	p = k8smig__vpush(ctx, "template");
	tmeta = k8smig__vwant(ctx, tmpl, "metadata", K8SMIG_TYPE_MAP);
	if (tmeta) {
		size_t q = k8smig__vpush(ctx, "metadata");
		k8smig__vcheck_metadata_maps(ctx, tmeta);
		k8smig__vpop(ctx, q);
	}
	if (sel && (k8smig_value_size(k8smig__vget(sel, "matchLabels")) ||
	            k8smig_value_size(k8smig__vget(sel, "matchExpressions"))) &&
	    !selector_matches(sel, k8smig__vget(tmeta, "labels")))
		FIND(ctx, ERR, K8SMIG__C_SELECTOR_TEMPLATE, "metadata.labels",
		     "spec.selector does not match the template's labels");
	if ((tspec = k8smig__vreq(ctx, tmpl, "spec", K8SMIG_TYPE_MAP))) {
		size_t q = k8smig__vpush(ctx, "spec");
		k8smig__vcheck_pod_spec(ctx, tspec);
		k8smig__vpop(ctx, q);
	}
	k8smig__vpop(ctx, p);
}

void k8smig__vcheck_cronjob(k8smig__vctx *ctx, cv *spec)
{
	cv *jt, *js;
	size_t p;
	k8smig__vreq_str(ctx, spec, "schedule");
	if (!(jt = k8smig__vreq(ctx, spec, "jobTemplate", K8SMIG_TYPE_MAP)))
		return;
	p = k8smig__vpush(ctx, "jobTemplate");
	if ((js = k8smig__vreq(ctx, jt, "spec", K8SMIG_TYPE_MAP))) {
		size_t q = k8smig__vpush(ctx, "spec");
		const char *saved = ctx->kind;
		ctx->kind = "Job";
		k8smig__vcheck_workload(ctx, js);
		ctx->kind = saved;
		k8smig__vpop(ctx, q);
	}
	k8smig__vpop(ctx, p);
}

void k8smig__vcheck_pdb(k8smig__vctx *ctx, cv *spec)
{
	static const char *const keys[] = { "minAvailable", "maxUnavailable" };
	size_t i, set = 0;
	check_label_selector(ctx, spec, "selector", false);
	for (i = 0; i < 2; i++) {
		cv *v = k8smig__vget(spec, keys[i]);
		if (!v)
			continue;
		set++;
		if (k8smig_value_type(v) == K8SMIG_TYPE_INT) {
			if (k8smig_value_int(v) < 0)
				FIND(ctx, ERR, K8SMIG__C_VALUE, keys[i], "must not be negative");
		} else if (k8smig_value_type(v) == K8SMIG_TYPE_STRING) {
			const char *s = k8smig_value_str(v);
			char *end;
			long pct = strtol(s, &end, 10);
			if (end == s || strcmp(end, "%") != 0 || pct < 0 || pct > 100)
				FIND(ctx, ERR, K8SMIG__C_VALUE, keys[i], "must be an integer or a percentage (0%%-100%%)");
		} else
			FIND(ctx, ERR, K8SMIG__C_TYPE, keys[i], "must be an integer or a percentage, not %s", k8smig__vtype_name(v));
	}
	if (set == 2)
		FIND(ctx, ERR, K8SMIG__C_VALUE, "maxUnavailable", "minAvailable and maxUnavailable cannot both be set");
}
