/*
 * lib/model/validate_scaling.c - validation rules of one object: HorizontalPodAutoscaler (the
 * builders of the family: build_scaling.c).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "validate_object.h"

void k8smig__vcheck_hpa(k8smig__vctx *ctx, cv *spec)
{
	static const char *const metric_types[] = { "Resource", "Pods", "Object", "External", "ContainerResource", NULL };
	static const char *const target_types[] = { "Utilization", "AverageValue", "Value", NULL };
	cv *ref, *metrics, *m, *beh;
	int64_t mn = 1, mx = 0, n;
	int has_min, has_max;
	size_t p, i;

	if ((ref = k8smig__vreq(ctx, spec, "scaleTargetRef", K8SMIG_TYPE_MAP))) {
		p = k8smig__vpush(ctx, "scaleTargetRef");
		k8smig__vreq_str(ctx, ref, "kind");
		if (k8smig__vreq_str(ctx, ref, "name"))
			k8smig__vname_field(ctx, ref, "name", k8smig__path_segment_name, "target name");
		k8smig__vpop(ctx, p);
	}
	has_max = k8smig__vopt_int(ctx, spec, "maxReplicas", &mx);
	has_min = k8smig__vopt_int(ctx, spec, "minReplicas", &mn);
	if (has_max == 0)
		FIND(ctx, ERR, K8SMIG__C_REQUIRED, "maxReplicas", "is required");
	else if (has_max == 1 && mx < 1)
		FIND(ctx, ERR, K8SMIG__C_HPA_RANGE, "maxReplicas", "must be at least 1, not %" PRId64, mx);
	if (has_min == 1 && mn < 1)
		FIND(ctx, ERR, K8SMIG__C_HPA_RANGE, "minReplicas", "must be at least 1, not %" PRId64, mn);
	else if (has_min == 1 && has_max == 1 && mx >= 1 && mn > mx)
		FIND(ctx, ERR, K8SMIG__C_HPA_RANGE, "minReplicas",
		     "minReplicas (%" PRId64 ") must not be greater than maxReplicas (%" PRId64 ")", mn, mx);
	if (k8smig__vopt_int(ctx, spec, "targetCPUUtilizationPercentage", &n) == 1 && n < 1)
		FIND(ctx, ERR, K8SMIG__C_HPA_RANGE, "targetCPUUtilizationPercentage", "must be greater than 0");
	if ((metrics = k8smig__vwant(ctx, spec, "metrics", K8SMIG_TYPE_LIST))) {
		p = k8smig__vpush(ctx, "metrics");
		for (i = 0, m = k8smig_value_first(metrics); m; m = k8smig_value_next(m), i++) {
			size_t q = k8smig__vpush_index(ctx, i);
			const char *type = k8smig__vreq_str(ctx, m, "type");
			k8smig__venum_str(ctx, m, "type", metric_types);
			if (type && (strcmp(type, "Resource") == 0 || strcmp(type, "ContainerResource") == 0)) {
				const char *field = strcmp(type, "Resource") == 0 ? "resource" : "containerResource";
				cv *rs = k8smig__vreq(ctx, m, field, K8SMIG_TYPE_MAP), *tg;
				if (rs) {
					size_t s = k8smig__vpush(ctx, field);
					k8smig__vreq_str(ctx, rs, "name");
					if (field[0] == 'c')
						k8smig__vreq_str(ctx, rs, "container");
					if ((tg = k8smig__vreq(ctx, rs, "target", K8SMIG_TYPE_MAP))) {
						size_t s2 = k8smig__vpush(ctx, "target");
						const char *tt = k8smig__vreq_str(ctx, tg, "type");
						k8smig__venum_str(ctx, tg, "type", target_types);
						if (tt && strcmp(tt, "Utilization") == 0) {
							int rc = k8smig__vopt_int(ctx, tg, "averageUtilization", &n);
							if (rc == 0)
								FIND(ctx, ERR, K8SMIG__C_REQUIRED, "averageUtilization",
								     "is required for target type Utilization");
							else if (rc == 1 && n < 1)
								FIND(ctx, ERR, K8SMIG__C_HPA_RANGE, "averageUtilization",
								     "must be greater than 0, not %" PRId64, n);
						} else if (tt && strcmp(tt, "AverageValue") == 0) {
							k8smig_quantity qv;
							cv *av = k8smig__vget(tg, "averageValue");
							if (!av)
								FIND(ctx, ERR, K8SMIG__C_REQUIRED, "averageValue",
								     "is required for target type AverageValue");
							else if (k8smig__vquantity_at(ctx, av, "averageValue", &qv) && k8smig__vqsign(&qv) == 0)
								FIND(ctx, ERR, K8SMIG__C_HPA_RANGE, "averageValue", "must be greater than 0");
						}
						k8smig__vpop(ctx, s2);
					}
					k8smig__vpop(ctx, s);
				}
			}
			k8smig__vpop(ctx, q);
		}
		k8smig__vpop(ctx, p);
	}
	if ((beh = k8smig__vwant(ctx, spec, "behavior", K8SMIG_TYPE_MAP))) {
		static const char *const dirs[] = { "scaleUp", "scaleDown" };
		p = k8smig__vpush(ctx, "behavior");
		for (i = 0; i < 2; i++) {
			cv *d = k8smig__vwant(ctx, beh, dirs[i], K8SMIG_TYPE_MAP), *pol, *pe;
			size_t q, j;
			if (!d)
				continue;
			q = k8smig__vpush(ctx, dirs[i]);
			if (k8smig__vopt_int(ctx, d, "stabilizationWindowSeconds", &n) == 1 && (n < 0 || n > 3600))
				FIND(ctx, ERR, K8SMIG__C_HPA_RANGE, "stabilizationWindowSeconds",
				     "must be between 0 and 3600, not %" PRId64, n);
			k8smig__venum_str(ctx, d, "selectPolicy", (const char *const[]){ "Max", "Min", "Disabled", NULL });
			if ((pol = k8smig__vwant(ctx, d, "policies", K8SMIG_TYPE_LIST))) {
				size_t s = k8smig__vpush(ctx, "policies");
				for (j = 0, pe = k8smig_value_first(pol); pe; pe = k8smig_value_next(pe), j++) {
					size_t s2 = k8smig__vpush_index(ctx, j);
					int64_t v;
					k8smig__vreq_str(ctx, pe, "type");
					k8smig__venum_str(ctx, pe, "type", (const char *const[]){ "Pods", "Percent", NULL });
					if (k8smig__vopt_int(ctx, pe, "value", &v) == 1 && v < 1)
						FIND(ctx, ERR, K8SMIG__C_HPA_RANGE, "value", "must be greater than 0");
					if (k8smig__vopt_int(ctx, pe, "periodSeconds", &v) == 1 && (v < 1 || v > 1800))
						FIND(ctx, ERR, K8SMIG__C_HPA_RANGE, "periodSeconds", "must be between 1 and 1800");
					k8smig__vpop(ctx, s2);
				}
				k8smig__vpop(ctx, s);
			}
			k8smig__vpop(ctx, q);
		}
		k8smig__vpop(ctx, p);
	}
}
