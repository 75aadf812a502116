/*
 * lib/model/validate_monitoring.c - validation rules of one object: PrometheusRule (the builders
 * of the family: build_monitoring.c).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "validate_object.h"

static bool prom_duration_ok(const char *s)
{
	static const char *const units[] = { "ms", "y", "w", "d", "h", "m", "s", NULL };
	if (!*s)
		return false;
	while (*s) {
		size_t i;
		bool unit = false;
		if (!(*s >= '0' && *s <= '9'))
			return false;
		while (*s >= '0' && *s <= '9')
			s++;
		for (i = 0; units[i]; i++)
			if (strncmp(s, units[i], strlen(units[i])) == 0) {
				s += strlen(units[i]);
				unit = true;
				break;
			}
		if (!unit)
			return false;
	}
	return true;
}

void k8smig__vcheck_prometheus_rule(k8smig__vctx *ctx, cv *spec)
{
	cv *groups = k8smig__vreq(ctx, spec, "groups", K8SMIG_TYPE_LIST), *g, *h;
	size_t p, i;
	if (!groups)
		return;
	p = k8smig__vpush(ctx, "groups");
	for (i = 0, g = k8smig_value_first(groups); g; g = k8smig_value_next(g), i++) {
		size_t q = k8smig__vpush_index(ctx, i), j;
		const char *gn = k8smig__vreq_str(ctx, g, "name");
		cv *rules = k8smig__vreq(ctx, g, "rules", K8SMIG_TYPE_LIST), *r;
		for (h = k8smig_value_first(groups); gn && h != g; h = k8smig_value_next(h)) {
			const char *o = k8smig__vstr(h, "name");
			if (o && strcmp(o, gn) == 0) {
				FIND(ctx, ERR, K8SMIG__C_VALUE, "name", "duplicate group name \"%s\"", gn);
				break;
			}
		}
		if (rules) {
			size_t s = k8smig__vpush(ctx, "rules");
			for (j = 0, r = k8smig_value_first(rules); r; r = k8smig_value_next(r), j++) {
				size_t s2 = k8smig__vpush_index(ctx, j);
				bool alert = k8smig__vget(r, "alert") != NULL, record = k8smig__vget(r, "record") != NULL;
				const char *f = k8smig__vopt_str(ctx, r, "for");
				cv *expr = k8smig__vget(r, "expr");
				if (!expr)
					FIND(ctx, ERR, K8SMIG__C_REQUIRED, "expr", "is required");
				if (alert + record != 1)
					FIND(ctx, ERR, alert ? K8SMIG__C_VALUE : K8SMIG__C_REQUIRED, "alert",
					     "must set exactly one of alert, record");
				if (f && !prom_duration_ok(f))
					FIND(ctx, ERR, K8SMIG__C_VALUE, "for", "\"%s\" is not a duration like 5m or 1h30m", f);
				k8smig__vcheck_label_map(ctx, r, "labels");
				k8smig__vpop(ctx, s2);
			}
			k8smig__vpop(ctx, s);
		}
		k8smig__vpop(ctx, q);
	}
	k8smig__vpop(ctx, p);
}
