/*
 * lib/model/build_storage.c - StorageClass (EFS CSI), PersistentVolume, PersistentVolumeClaim.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"

#define EFS_DRIVER "efs.csi.aws.com"

/* "<prefix>" then 'hex' lowercase hex digits, exactly, in s[0..n) */
static bool hex_id(const char *s, size_t n, const char *prefix, size_t min_hex, size_t max_hex)
{
	size_t p = strlen(prefix), i;
	if (n < p + min_hex || n > p + max_hex || strncmp(s, prefix, p) != 0)
		return false;
	for (i = p; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

static bool efs_fs_id(const char *s, size_t n)
{
	/* old ids have 8 hex digits, current ones 17 */
	return hex_id(s, n, "fs-", 8, 8) || hex_id(s, n, "fs-", 17, 17);
}

int k8smig_storage_class_new(k8smig_object **out, const char *name, const char *provisioner)
{
	k8smig_object *sc = NULL;
	int rc;

	if (!out)
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL output");
	*out = NULL;
	if (!k8smig__is_label_key(provisioner))
		return k8smig__error_set(K8SMIG_EINVAL, "provisioner", "provisioner must be a qualified name such as efs.csi.aws.com");
	if ((rc = k8smig__build_new(&sc, "storage.k8s.io/v1", "StorageClass", name, NULL)) < 0)
		return rc;
	if ((rc = k8smig_object_set_str(sc, "provisioner", provisioner)) < 0) {
		k8smig_object_free(sc);
		return rc;
	}
	*out = sc;
	return 0;
}

int k8smig_efs_storage_class_new(k8smig_object **out, const char *name, const char *file_system_id)
{
	k8smig_object *sc = NULL;
	int rc;

	if (!out)
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL output");
	*out = NULL;
	if (!file_system_id || !efs_fs_id(file_system_id, strlen(file_system_id)))
		return k8smig__error_set(K8SMIG_EINVAL, "parameters.fileSystemId", "not an EFS file system id (fs- and 8 or 17 hex digits)");
	if ((rc = k8smig_storage_class_new(&sc, name, EFS_DRIVER)) < 0)
		return rc;
	if ((rc = k8smig__build_set_entry(sc, "parameters", "provisioningMode", "efs-ap")) < 0 ||
	    (rc = k8smig__build_set_entry(sc, "parameters", "fileSystemId", file_system_id)) < 0) {
		k8smig_object_free(sc);
		return rc;
	}
	*out = sc;
	return 0;
}

int k8smig_storage_class_set_parameter(k8smig_object *sc, const char *key, const char *value)
{
	char path[K8SMIG__BUILD_PATH_MAX];
	int rc;
	if ((rc = k8smig__build_kind(sc, "StorageClass", NULL)) < 0)
		return rc;
	if (!key || !*key || !k8smig__utf8_valid(key, strlen(key)))
		return k8smig__build_fail(sc, K8SMIG_EINVAL, "parameters", "missing or invalid parameter name");
	k8smig__path_format(path, sizeof(path), "parameters[%s]", key);
	if (!value || !k8smig__utf8_valid(value, strlen(value)))
		return k8smig__build_fail(sc, K8SMIG_EINVAL, path, "missing or invalid value");
	return k8smig__build_set_entry(sc, "parameters", key, value);
}

int k8smig_efs_storage_class_set_access_point(k8smig_object *sc, const char *directory_perms, int64_t uid,
                                              int64_t gid, const char *base_path)
{
	const char *prov;
	char num[24];
	size_t n;
	int rc;

	if ((rc = k8smig__build_kind(sc, "StorageClass", NULL)) < 0)
		return rc;
	prov = k8smig_object_get_str(sc, "provisioner");
	if (!prov || strcmp(prov, EFS_DRIVER) != 0)
		return k8smig__build_fail(sc, K8SMIG_EINVAL, "provisioner", "access-point parameters need the efs.csi.aws.com provisioner");
	if (directory_perms) {
		n = strlen(directory_perms);
		if (n < 3 || n > 4 || strspn(directory_perms, "01234567") != n)
			return k8smig__build_fail(sc, K8SMIG_EINVAL, "parameters.directoryPerms", "must be 3 or 4 octal digits, e.g. 700");
	}
	if (uid > 4294967295LL)
		return k8smig__build_fail(sc, K8SMIG_EINVAL, "parameters.uid", "uid out of range");
	if (gid > 4294967295LL)
		return k8smig__build_fail(sc, K8SMIG_EINVAL, "parameters.gid", "gid out of range");
	if (base_path && (base_path[0] != '/' || !k8smig__utf8_valid(base_path, strlen(base_path))))
		return k8smig__build_fail(sc, K8SMIG_EINVAL, "parameters.basePath", "must be an absolute path");
	if (directory_perms && (rc = k8smig__build_set_entry(sc, "parameters", "directoryPerms", directory_perms)) < 0)
		return rc;
	if (uid >= 0) {
		k8smig__path_format(num, sizeof(num), "%lld", (long long)uid);
		if ((rc = k8smig__build_set_entry(sc, "parameters", "uid", num)) < 0)
			return rc;
	}
	if (gid >= 0) {
		k8smig__path_format(num, sizeof(num), "%lld", (long long)gid);
		if ((rc = k8smig__build_set_entry(sc, "parameters", "gid", num)) < 0)
			return rc;
	}
	if (base_path && (rc = k8smig__build_set_entry(sc, "parameters", "basePath", base_path)) < 0)
		return rc;
	return 0;
}

int k8smig_storage_class_set_policies(k8smig_object *sc, const char *reclaim_policy, const char *binding_mode)
{
	int rc;
	if ((rc = k8smig__build_kind(sc, "StorageClass", NULL)) < 0)
		return rc;
	if (reclaim_policy && !k8smig__build_one_of(reclaim_policy, "Retain", "Delete", NULL))
		return k8smig__build_fail(sc, K8SMIG_EINVAL, "reclaimPolicy", "must be Retain or Delete");
	if (binding_mode && !k8smig__build_one_of(binding_mode, "Immediate", "WaitForFirstConsumer", NULL))
		return k8smig__build_fail(sc, K8SMIG_EINVAL, "volumeBindingMode", "must be Immediate or WaitForFirstConsumer");
	if ((reclaim_policy && (rc = k8smig_object_set_str(sc, "reclaimPolicy", reclaim_policy)) < 0) ||
	    (binding_mode && (rc = k8smig_object_set_str(sc, "volumeBindingMode", binding_mode)) < 0))
		return rc;
	return 0;
}

/* fs-<id>[:[/subpath][:fsap-<id>]] as the EFS CSI driver parses it */
static bool efs_volume_handle(const char *h)
{
	const char *c1, *c2;
	if (!h)
		return false;
	c1 = strchr(h, ':');
	if (!c1)
		return efs_fs_id(h, strlen(h));
	if (!efs_fs_id(h, (size_t)(c1 - h)))
		return false;
	c2 = strchr(c1 + 1, ':');
	if (!c2)
		return c1[1] == '/';
	if (c2 != c1 + 1 && c1[1] != '/')
		return false;
	return hex_id(c2 + 1, strlen(c2 + 1), "fsap-", 8, 17);
}

int k8smig_efs_pv_new(k8smig_object **out, const char *name, const char *volume_handle, const char *capacity)
{
	k8smig_object *pv = NULL;
	char *size = NULL;
	int rc;

	if (!out)
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL output");
	*out = NULL;
	if (!efs_volume_handle(volume_handle))
		return k8smig__error_set(K8SMIG_EINVAL, "spec.csi.volumeHandle",
		                         "not an EFS volume handle (fs-<id>, fs-<id>:/<path>, fs-<id>::fsap-<id>)");
	if ((rc = k8smig__build_check_quantity(NULL, capacity, &size, "spec.capacity.storage")) < 0)
		return rc;
	if ((rc = k8smig__build_new(&pv, "v1", "PersistentVolume", name, NULL)) < 0)
		goto done;
	if ((rc = k8smig_object_set_str(pv, "spec.capacity.storage", size)) < 0 ||
	    (rc = k8smig_object_set_str(pv, "spec.volumeMode", "Filesystem")) < 0 ||
	    (rc = k8smig_object_set_str(pv, "spec.csi.driver", EFS_DRIVER)) < 0 ||
	    (rc = k8smig_object_set_str(pv, "spec.csi.volumeHandle", volume_handle)) < 0)
		goto done;
	*out = pv;
	pv = NULL;
done:
	k8smig_object_free(pv);
	free(size);
	return rc;
}

int k8smig_pv_set_access_modes(k8smig_object *obj, unsigned int modes)
{
	static const struct { unsigned int bit; const char *name; } names[] = {
		{ K8SMIG_ACCESS_READ_WRITE_ONCE, "ReadWriteOnce" },
		{ K8SMIG_ACCESS_READ_ONLY_MANY, "ReadOnlyMany" },
		{ K8SMIG_ACCESS_READ_WRITE_MANY, "ReadWriteMany" },
		{ K8SMIG_ACCESS_READ_WRITE_ONCE_POD, "ReadWriteOncePod" },
	};
	size_t i;
	int rc;

	if ((rc = k8smig__build_kind(obj, "PersistentVolume", "PersistentVolumeClaim", NULL)) < 0)
		return rc;
	if (modes == 0 || (modes & ~0xFu))
		return k8smig__build_fail(obj, K8SMIG_EINVAL, "spec.accessModes", "needs at least one known access mode");
	if ((modes & K8SMIG_ACCESS_READ_WRITE_ONCE_POD) && modes != K8SMIG_ACCESS_READ_WRITE_ONCE_POD)
		return k8smig__build_fail(obj, K8SMIG_EINVAL, "spec.accessModes", "ReadWriteOncePod cannot be combined with other modes");
	if ((rc = k8smig_object_set_list(obj, "spec.accessModes")) < 0)
		return rc;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if ((modes & names[i].bit) && (rc = k8smig_object_append_str(NULL, obj, "spec.accessModes", names[i].name)) < 0)
			return rc;
	return 0;
}

int k8smig_pv_set_class(k8smig_object *pv, const char *storage_class, const char *reclaim_policy)
{
	int rc;
	if ((rc = k8smig__build_kind(pv, "PersistentVolume", NULL)) < 0)
		return rc;
	if (storage_class && *storage_class && !k8smig__is_dns1123_subdomain(storage_class))
		return k8smig__build_fail(pv, K8SMIG_EINVAL, "spec.storageClassName", "class name must be a DNS-1123 subdomain");
	if (reclaim_policy && !k8smig__build_one_of(reclaim_policy, "Retain", "Delete", NULL))
		return k8smig__build_fail(pv, K8SMIG_EINVAL, "spec.persistentVolumeReclaimPolicy", "must be Retain or Delete");
	if ((storage_class && (rc = k8smig_object_set_str(pv, "spec.storageClassName", storage_class)) < 0) ||
	    (reclaim_policy && (rc = k8smig_object_set_str(pv, "spec.persistentVolumeReclaimPolicy", reclaim_policy)) < 0))
		return rc;
	return 0;
}

int k8smig_pv_set_claim_ref(k8smig_object *pv, const char *ns, const char *claim_name)
{
	int rc;
	if ((rc = k8smig__build_kind(pv, "PersistentVolume", NULL)) < 0)
		return rc;
	if (!k8smig__is_dns1123_label(ns))
		return k8smig__build_fail(pv, K8SMIG_EINVAL, "spec.claimRef.namespace", "namespace must be a DNS-1123 label");
	if (!k8smig__is_dns1123_subdomain(claim_name))
		return k8smig__build_fail(pv, K8SMIG_EINVAL, "spec.claimRef.name", "claim name must be a DNS-1123 subdomain");
	if ((rc = k8smig_object_set_map(pv, "spec.claimRef")) < 0 ||
	    (rc = k8smig_object_set_str(pv, "spec.claimRef.namespace", ns)) < 0 ||
	    (rc = k8smig_object_set_str(pv, "spec.claimRef.name", claim_name)) < 0)
		return rc;
	return 0;
}

int k8smig_pvc_new(k8smig_object **out, const char *name, const char *ns, const char *storage_class, const char *size)
{
	k8smig_object *pvc = NULL;
	char *canonical = NULL;
	int rc;

	if (!out)
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL output");
	*out = NULL;
	if (storage_class && *storage_class && !k8smig__is_dns1123_subdomain(storage_class))
		return k8smig__error_set(K8SMIG_EINVAL, "spec.storageClassName", "class name must be a DNS-1123 subdomain");
	if ((rc = k8smig__build_check_quantity(NULL, size, &canonical, "spec.resources.requests.storage")) < 0)
		return rc;
	if ((rc = k8smig__build_new(&pvc, "v1", "PersistentVolumeClaim", name, ns)) < 0)
		goto done;
	if ((storage_class && (rc = k8smig_object_set_str(pvc, "spec.storageClassName", storage_class)) < 0) ||
	    (rc = k8smig_object_set_str(pvc, "spec.resources.requests.storage", canonical)) < 0)
		goto done;
	*out = pvc;
	pvc = NULL;
done:
	k8smig_object_free(pvc);
	free(canonical);
	return rc;
}

int k8smig_pvc_set_volume_name(k8smig_object *pvc, const char *pv_name)
{
	int rc;
	if ((rc = k8smig__build_kind(pvc, "PersistentVolumeClaim", NULL)) < 0)
		return rc;
	if (!k8smig__is_dns1123_subdomain(pv_name))
		return k8smig__build_fail(pvc, K8SMIG_EINVAL, "spec.volumeName", "volume name must be a DNS-1123 subdomain");
	return k8smig_object_set_str(pvc, "spec.volumeName", pv_name);
}
