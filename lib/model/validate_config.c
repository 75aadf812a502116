/*
 * lib/model/validate_config.c - validation rules of one object: ConfigMap and Secret data,
 * ExternalSecret, SecretStore/ClusterSecretStore (the builders of the family: build_config.c).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "validate_object.h"

static bool b64_ok(const char *s, size_t n)
{
	size_t i, pad = 0;
	if (n % 4)
		return false;
	for (i = 0; i < n; i++) {
		char c = s[i];
		if (c == '=') {
			pad++;
			continue;
		}
		if (pad || !((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
		             c == '/'))
			return false;
	}
	return pad <= 2;
}

/* ConfigMap data/binaryData, Secret data/stringData. Messages never quote values. */
void k8smig__vcheck_data_map(k8smig__vctx *ctx, const char *field, bool base64, cv *other, const char *other_name)
{
	cv *m = k8smig__vwant(ctx, ctx->root, field, K8SMIG_TYPE_MAP), *e;
	size_t p;
	if (!m)
		return;
	p = k8smig__vpush(ctx, field);
	for (e = k8smig_value_first(m); e; e = k8smig_value_next(e)) {
		const char *k = k8smig_value_key(e), *why;
		size_t q = k8smig__vpush_key(ctx, k);
		if ((why = k8smig__config_key(k)))
			FIND(ctx, ERR, K8SMIG__C_KEY_INVALID, NULL, "key \"%s\" is invalid: %s", k, why);
		if (other && k8smig__vget(other, k))
			FIND(ctx, ERR, K8SMIG__C_KEY_INVALID, NULL, "key \"%s\" is also in %s", k, other_name);
		if (k8smig_value_type(e) != K8SMIG_TYPE_STRING)
			FIND(ctx, ERR, K8SMIG__C_TYPE, NULL, "must be a string, not %s (quote it)", k8smig__vtype_name(e));
		else if (base64 && !b64_ok(k8smig_value_str(e), k8smig_value_strlen(e)))
			FIND(ctx, ERR, K8SMIG__C_VALUE, NULL, "is not valid base64 (the value is not shown)");
		k8smig__vpop(ctx, q);
	}
	k8smig__vpop(ctx, p);
}

void k8smig__vcheck_external_secret(k8smig__vctx *ctx, cv *spec)
{
	cv *ref = k8smig__vwant(ctx, spec, "secretStoreRef", K8SMIG_TYPE_MAP), *data, *d, *target;
	bool all_sourced = true;
	size_t p, i;

	data = k8smig__vwant(ctx, spec, "data", K8SMIG_TYPE_LIST);
	k8smig__vwant(ctx, spec, "dataFrom", K8SMIG_TYPE_LIST);
	if (!k8smig_value_size(data) && !k8smig_value_size(k8smig__vget(spec, "dataFrom")))
		FIND(ctx, ERR, K8SMIG__C_REQUIRED, "data", "at least one of data or dataFrom is required");
	for (d = k8smig_value_first(data); d; d = k8smig_value_next(d))
		if (!k8smig__vget(k8smig__vget(d, "sourceRef"), "storeRef") &&
		    !k8smig__vget(k8smig__vget(d, "sourceRef"), "generatorRef"))
			all_sourced = false;
	if (k8smig__vget(spec, "dataFrom"))
		all_sourced = false;
	if (ref) {
		p = k8smig__vpush(ctx, "secretStoreRef");
		k8smig__vreq_str(ctx, ref, "name");
		k8smig__venum_str(ctx, ref, "kind", (const char *const[]){ "SecretStore", "ClusterSecretStore", NULL });
		k8smig__vpop(ctx, p);
	} else if (!all_sourced)
		FIND(ctx, ERR, K8SMIG__C_REQUIRED, "secretStoreRef", "is required");
	if (data) {
		p = k8smig__vpush(ctx, "data");
		for (i = 0, d = k8smig_value_first(data); d; d = k8smig_value_next(d), i++) {
			size_t q = k8smig__vpush_index(ctx, i);
			const char *sk = k8smig__vreq_str(ctx, d, "secretKey"), *why;
			if (sk && (why = k8smig__config_key(sk)))
				FIND(ctx, ERR, K8SMIG__C_KEY_INVALID, "secretKey", "\"%s\" is not a valid key: %s", sk, why);
			k8smig__vsub_str(ctx, d, "remoteRef", true, "key");
			k8smig__vpop(ctx, q);
		}
		k8smig__vpop(ctx, p);
	}
	if ((target = k8smig__vwant(ctx, spec, "target", K8SMIG_TYPE_MAP))) {
		p = k8smig__vpush(ctx, "target");
		k8smig__vname_field(ctx, target, "name", k8smig__dns1123_subdomain, "Secret name");
		k8smig__venum_str(ctx, target, "creationPolicy", (const char *const[]){ "Owner", "Orphan", "Merge", "None", NULL });
		k8smig__venum_str(ctx, target, "deletionPolicy", (const char *const[]){ "Delete", "Merge", "Retain", NULL });
		k8smig__vpop(ctx, p);
	}
}

void k8smig__vcheck_secret_store(k8smig__vctx *ctx, cv *spec)
{
	cv *prov = k8smig__vreq(ctx, spec, "provider", K8SMIG_TYPE_MAP), *aws, *sa;
	size_t p;
	if (!prov)
		return;
	p = k8smig__vpush(ctx, "provider");
	if (k8smig_value_size(prov) == 0)
		FIND(ctx, ERR, K8SMIG__C_REQUIRED, NULL, "must configure one provider");
	else if (k8smig_value_size(prov) > 1)
		FIND(ctx, ERR, K8SMIG__C_VALUE, NULL, "must configure only one provider");
	if ((aws = k8smig__vwant(ctx, prov, "aws", K8SMIG_TYPE_MAP))) {
		size_t q = k8smig__vpush(ctx, "aws");
		if (k8smig__vreq_str(ctx, aws, "service"))
			k8smig__venum_str(ctx, aws, "service", (const char *const[]){ "SecretsManager", "ParameterStore", NULL });
		k8smig__vreq_str(ctx, aws, "region");
		sa = k8smig__vget(k8smig__vget(k8smig__vget(aws, "auth"), "jwt"), "serviceAccountRef");
		if (sa) {
			size_t s = k8smig__vpush(ctx, "auth.jwt.serviceAccountRef");
			k8smig__vreq_str(ctx, sa, "name");
			if (strcmp(ctx->kind, "ClusterSecretStore") == 0)
				k8smig__vreq_str(ctx, sa, "namespace");
			k8smig__vpop(ctx, s);
		}
		k8smig__vpop(ctx, q);
	}
	k8smig__vpop(ctx, p);
}
