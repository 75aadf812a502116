/*
 * lib/model/validate_storage.c - validation rules of one object: PersistentVolume,
 * PersistentVolumeClaim, StorageClass (the builders of the family: build_storage.c).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "validate_object.h"

static const char *const access_modes[] = { "ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod", NULL };

static void check_access_modes(k8smig__vctx *ctx, cv *spec)
{
	cv *am = k8smig__vreq(ctx, spec, "accessModes", K8SMIG_TYPE_LIST), *e;
	size_t p, i;
	if (!am)
		return;
	p = k8smig__vpush(ctx, "accessModes");
	for (i = 0, e = k8smig_value_first(am); e; e = k8smig_value_next(e), i++) {
		const char *s = k8smig_value_str(e);
		size_t q = k8smig__vpush_index(ctx, i);
		if (!s || !k8smig__vone_of(s, access_modes))
			FIND(ctx, ERR, K8SMIG__C_VALUE, NULL,
			     "must be one of ReadWriteOnce, ReadOnlyMany, ReadWriteMany, ReadWriteOncePod");
		k8smig__vpop(ctx, q);
	}
	k8smig__vpop(ctx, p);
}

void k8smig__vcheck_pv(k8smig__vctx *ctx, cv *spec)
{
	static const char *const sources[] = { "csi", "nfs", "hostPath", "local", "awsElasticBlockStore", "iscsi", "fc",
	                                       "gcePersistentDisk", "azureDisk", "azureFile", "cephfs", "rbd", "glusterfs",
	                                       "cinder", "flexVolume", "portworxVolume", "vsphereVolume", NULL };
	cv *cap = k8smig__vreq(ctx, spec, "capacity", K8SMIG_TYPE_MAP), *csi;
	size_t i, n = 0;
	if (cap) {
		size_t p = k8smig__vpush(ctx, "capacity");
		cv *st = k8smig__vget(cap, "storage");
		k8smig_quantity q;
		if (!st)
			FIND(ctx, ERR, K8SMIG__C_REQUIRED, "[storage]", "is required");
		else
			k8smig__vquantity_at(ctx, st, "[storage]", &q);
		k8smig__vpop(ctx, p);
	}
	check_access_modes(ctx, spec);
	for (i = 0; sources[i]; i++)
		if (k8smig__vget(spec, sources[i]))
			n++;
	if (n == 0)
		FIND(ctx, ERR, K8SMIG__C_REQUIRED, NULL, "must specify a volume source (csi, nfs, hostPath, ...)");
	else if (n > 1)
		FIND(ctx, ERR, K8SMIG__C_VALUE, NULL, "must specify only one volume source");
	if ((csi = k8smig__vwant(ctx, spec, "csi", K8SMIG_TYPE_MAP))) {
		size_t p = k8smig__vpush(ctx, "csi");
		k8smig__vreq_str(ctx, csi, "driver");
		k8smig__vreq_str(ctx, csi, "volumeHandle");
		k8smig__vpop(ctx, p);
	}
	k8smig__venum_str(ctx, spec, "persistentVolumeReclaimPolicy", (const char *const[]){ "Retain", "Delete", "Recycle", NULL });
	k8smig__venum_str(ctx, spec, "volumeMode", (const char *const[]){ "Filesystem", "Block", NULL });
	{
		const char *sc = k8smig__vopt_str(ctx, spec, "storageClassName"), *why;
		if (sc && *sc && (why = k8smig__dns1123_subdomain(sc)))
			FIND(ctx, ERR, K8SMIG__C_NAME_INVALID, "storageClassName", "\"%s\" is not a valid class name: %s", sc, why);
	}
	k8smig__vsub_str(ctx, spec, "claimRef", false, "name");
}

void k8smig__vcheck_pvc(k8smig__vctx *ctx, cv *spec)
{
	cv *res, *reqs;
	const char *sc, *why;
	check_access_modes(ctx, spec);
	if ((res = k8smig__vreq(ctx, spec, "resources", K8SMIG_TYPE_MAP))) {
		size_t p = k8smig__vpush(ctx, "resources");
		if ((reqs = k8smig__vreq(ctx, res, "requests", K8SMIG_TYPE_MAP))) {
			size_t q = k8smig__vpush(ctx, "requests");
			cv *st = k8smig__vget(reqs, "storage");
			k8smig_quantity qv;
			if (!st)
				FIND(ctx, ERR, K8SMIG__C_REQUIRED, "[storage]", "is required");
			else if (k8smig__vquantity_at(ctx, st, "[storage]", &qv) && k8smig__vqsign(&qv) == 0)
				FIND(ctx, ERR, K8SMIG__C_QUANTITY, "[storage]", "must be greater than zero");
			k8smig__vpop(ctx, q);
		}
		k8smig__vpop(ctx, p);
	}
	if ((sc = k8smig__vopt_str(ctx, spec, "storageClassName")) && *sc && (why = k8smig__dns1123_subdomain(sc)))
		FIND(ctx, ERR, K8SMIG__C_NAME_INVALID, "storageClassName", "\"%s\" is not a valid class name: %s", sc, why);
	k8smig__venum_str(ctx, spec, "volumeMode", (const char *const[]){ "Filesystem", "Block", NULL });
	k8smig__vopt_str(ctx, spec, "volumeName");
}

void k8smig__vcheck_storageclass(k8smig__vctx *ctx)
{
	cv *params = k8smig__vwant(ctx, ctx->root, "parameters", K8SMIG_TYPE_MAP), *e;
	k8smig__vreq_str(ctx, ctx->root, "provisioner");
	k8smig__venum_str(ctx, ctx->root, "reclaimPolicy", (const char *const[]){ "Retain", "Delete", NULL });
	k8smig__venum_str(ctx, ctx->root, "volumeBindingMode", (const char *const[]){ "Immediate", "WaitForFirstConsumer", NULL });
	if (params) {
		size_t p = k8smig__vpush(ctx, "parameters");
		for (e = k8smig_value_first(params); e; e = k8smig_value_next(e))
			if (k8smig_value_type(e) != K8SMIG_TYPE_STRING) {
				size_t q = k8smig__vpush_key(ctx, k8smig_value_key(e));
				FIND(ctx, ERR, K8SMIG__C_TYPE, NULL, "must be a string, not %s (quote it)", k8smig__vtype_name(e));
				k8smig__vpop(ctx, q);
			}
		k8smig__vpop(ctx, p);
	}
}
