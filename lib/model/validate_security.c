/*
 * lib/model/validate_security.c - K8SMIG-RUNS-AS-ROOT: an explicit
 * runAsUser: 0 or runAsNonRoot: false in a pod or container securityContext.
 * Both are legal, and both are what a zero-initialised options struct used to
 * write without a word: say so, once per securityContext.
 */
#include <stdio.h>

#include "validate.h"

static void check_context(k8smig__vctx *ctx, const k8smig_value *sc, const char *where)
{
	const k8smig_value *user = k8smig__vget(sc, "runAsUser"), *non_root = k8smig__vget(sc, "runAsNonRoot");
	if (k8smig__vis(user, K8SMIG_TYPE_INT) && k8smig_value_int(user) == 0)
		k8smig__vfind(ctx, K8SMIG_SEVERITY_WARNING, K8SMIG__C_RUNS_AS_ROOT, "runAsUser",
		              "%s runs as root (runAsUser: 0); leave it unset or use a non-zero user", where);
	if (k8smig__vis(non_root, K8SMIG_TYPE_BOOL) && !k8smig_value_bool(non_root))
		k8smig__vfind(ctx, K8SMIG_SEVERITY_WARNING, K8SMIG__C_RUNS_AS_ROOT, "runAsNonRoot",
		              "%s allows root (runAsNonRoot: false); leave it unset or set it to true", where);
}

void k8smig__validate_security(k8smig__vctx *ctx)
{
	const char *tpath = NULL;
	const k8smig_value *tmpl = k8smig__vpod_template(ctx->root, ctx->kind, &tpath), *spec, *list, *c;
	static const char *const lists[] = { "initContainers", "containers", "ephemeralContainers" };
	size_t l, i, base, at;

	if (!tmpl || !tpath)
		return;
	spec = k8smig__vget(tmpl, "spec");
	base = ctx->plen;
	at = k8smig__vpush(ctx, *tpath ? tpath : "spec");
	if (*tpath)
		k8smig__vpush(ctx, "spec");
	k8smig__vpush(ctx, "securityContext");
	check_context(ctx, k8smig__vget(spec, "securityContext"), "the pod");
	k8smig__vpop(ctx, at);
	for (l = 0; l < sizeof(lists) / sizeof(lists[0]); l++) {
		list = k8smig__vget(spec, lists[l]);
		for (c = k8smig_value_first(list), i = 0; c; c = k8smig_value_next(c), i++) {
			char where[96];
			k8smig__vpush(ctx, *tpath ? tpath : "spec");
			if (*tpath)
				k8smig__vpush(ctx, "spec");
			k8smig__vpush(ctx, lists[l]);
			k8smig__vpush_index(ctx, i);
			k8smig__vpush(ctx, "securityContext");
			snprintf(where, sizeof(where), "container %s", k8smig__vstr(c, "name") ? k8smig__vstr(c, "name") : "");
			check_context(ctx, k8smig__vget(c, "securityContext"), where);
			k8smig__vpop(ctx, at);
		}
	}
	k8smig__vpop(ctx, base);
}
