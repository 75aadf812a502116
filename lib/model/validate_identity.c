/*
 * lib/model/validate_identity.c - validation rules of one object: Role/ClusterRole rules and
 * RoleBinding/ClusterRoleBinding (the builders of the family: build_identity.c).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "validate_object.h"

void k8smig__vcheck_rbac_rules(k8smig__vctx *ctx, bool cluster)
{
	cv *rules = k8smig__vwant(ctx, ctx->root, "rules", K8SMIG_TYPE_LIST), *r;
	size_t p, i;
	if (!rules)
		return;
	p = k8smig__vpush(ctx, "rules");
	for (i = 0, r = k8smig_value_first(rules); r; r = k8smig_value_next(r), i++) {
		size_t q = k8smig__vpush_index(ctx, i);
		bool nonres = k8smig_value_size(k8smig__vget(r, "nonResourceURLs")) > 0;
		k8smig__vreq(ctx, r, "verbs", K8SMIG_TYPE_LIST);
		if (nonres && !cluster)
			FIND(ctx, ERR, K8SMIG__C_VALUE, "nonResourceURLs", "only ClusterRoles may use nonResourceURLs");
		if (!nonres) {
			if (!k8smig__vget(r, "apiGroups"))
				FIND(ctx, ERR, K8SMIG__C_REQUIRED, "apiGroups", "is required (use [\"\"] for the core group)");
			else
				k8smig__vwant(ctx, r, "apiGroups", K8SMIG_TYPE_LIST);
			k8smig__vreq(ctx, r, "resources", K8SMIG_TYPE_LIST);
		}
		k8smig__vpop(ctx, q);
	}
	k8smig__vpop(ctx, p);
}

void k8smig__vcheck_binding(k8smig__vctx *ctx, bool cluster)
{
	cv *ref = k8smig__vreq(ctx, ctx->root, "roleRef", K8SMIG_TYPE_MAP), *subs, *s;
	size_t p, i;
	if (ref) {
		p = k8smig__vpush(ctx, "roleRef");
		k8smig__vreq_str(ctx, ref, "apiGroup");
		k8smig__vreq_str(ctx, ref, "name");
		if (k8smig__vreq_str(ctx, ref, "kind"))
			k8smig__venum_str(ctx, ref, "kind",
			         cluster ? (const char *const[]){ "ClusterRole", NULL } : (const char *const[]){ "Role", "ClusterRole", NULL });
		k8smig__vpop(ctx, p);
	}
	if (!(subs = k8smig__vwant(ctx, ctx->root, "subjects", K8SMIG_TYPE_LIST)))
		return;
	p = k8smig__vpush(ctx, "subjects");
	for (i = 0, s = k8smig_value_first(subs); s; s = k8smig_value_next(s), i++) {
		size_t q = k8smig__vpush_index(ctx, i);
		const char *kind = k8smig__vreq_str(ctx, s, "kind");
		k8smig__vreq_str(ctx, s, "name");
		k8smig__venum_str(ctx, s, "kind", (const char *const[]){ "ServiceAccount", "User", "Group", NULL });
		if (kind && strcmp(kind, "ServiceAccount") == 0 && cluster)
			k8smig__vreq_str(ctx, s, "namespace");
		k8smig__vpop(ctx, q);
	}
	k8smig__vpop(ctx, p);
}
