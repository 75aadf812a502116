/*
 * k8smig/storage.h - StorageClass (EFS CSI), PersistentVolume and
 * PersistentVolumeClaim builders.
 *
 * Conventions as in identity.h: validated setters, field paths in errors,
 * sticky failures, K8SMIG_EKIND for other kinds.
 */
#ifndef K8SMIG_STORAGE_H
#define K8SMIG_STORAGE_H

#include "common.h"
#include "object.h"

K8SMIG_BEGIN_DECL

/** Access modes of a PersistentVolume or claim (bit mask). */
#define K8SMIG_ACCESS_READ_WRITE_ONCE 0x1u      /**< ReadWriteOnce */
#define K8SMIG_ACCESS_READ_ONLY_MANY 0x2u       /**< ReadOnlyMany */
#define K8SMIG_ACCESS_READ_WRITE_MANY 0x4u      /**< ReadWriteMany (EFS) */
#define K8SMIG_ACCESS_READ_WRITE_ONCE_POD 0x8u  /**< ReadWriteOncePod (alone) */

/**
 * Create a storage.k8s.io/v1 StorageClass.
 * @param out (owned) the new object; NULL on failure
 * @param name a DNS-1123 subdomain
 * @param provisioner e.g. "efs.csi.aws.com", "ebs.csi.aws.com"
 * @return 0; K8SMIG_EINVAL (path metadata.name or provisioner); K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_storage_class_new(k8smig_object **out, const char *name, const char *provisioner);

/**
 * Create a StorageClass for dynamic EFS access points: provisioner
 * efs.csi.aws.com, parameters provisioningMode: efs-ap and fileSystemId.
 * @param out (owned) the new object; NULL on failure
 * @param name a DNS-1123 subdomain
 * @param file_system_id "fs-" and 8 or 17 lowercase hex digits
 * @return 0; K8SMIG_EINVAL (path metadata.name or parameters.fileSystemId); K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_efs_storage_class_new(k8smig_object **out, const char *name, const char *file_system_id);

/**
 * Set parameters[key] = value (provisioner-specific).
 * @param sc a StorageClass
 * @param key non-empty
 * @param value UTF-8 text
 * @return 0; K8SMIG_EINVAL (path parameters or parameters[key]); K8SMIG_EKIND; K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_storage_class_set_parameter(k8smig_object *sc, const char *key, const char *value);

/**
 * Access-point settings of an EFS StorageClass (parameters directoryPerms,
 * uid, gid, basePath). NULL or negative arguments leave a parameter unset.
 * @param sc a StorageClass whose provisioner is efs.csi.aws.com
 * @param directory_perms octal permissions of the access point's root, e.g. "700"
 * @param uid POSIX user id (0..4294967295), or -1
 * @param gid POSIX group id, or -1
 * @param base_path absolute path under which access points are created
 * @return 0; K8SMIG_EINVAL (path parameters.directoryPerms, .uid, .gid or .basePath;
 *         or provisioner when it is not EFS); K8SMIG_EKIND; K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_efs_storage_class_set_access_point(k8smig_object *sc, const char *directory_perms,
                                                                       int64_t uid, int64_t gid, const char *base_path);

/**
 * Set reclaimPolicy and volumeBindingMode; NULL leaves one unset.
 * @param sc a StorageClass
 * @param reclaim_policy "Retain" or "Delete"
 * @param binding_mode "Immediate" or "WaitForFirstConsumer"
 * @return 0; K8SMIG_EINVAL (path reclaimPolicy or volumeBindingMode); K8SMIG_EKIND; K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_storage_class_set_policies(k8smig_object *sc, const char *reclaim_policy,
                                                               const char *binding_mode);

/**
 * Create a v1 PersistentVolume on an existing EFS file system (static
 * provisioning): spec.csi.driver efs.csi.aws.com, spec.csi.volumeHandle,
 * spec.capacity.storage (EFS ignores it, the API requires it).
 * @param out (owned) the new object; NULL on failure
 * @param name a DNS-1123 subdomain
 * @param volume_handle "fs-<id>", "fs-<id>:/<subpath>", "fs-<id>::fsap-<id>" or "fs-<id>:/<subpath>:fsap-<id>"
 * @param capacity a quantity, e.g. "10Gi" (stored canonical)
 * @return 0; K8SMIG_EINVAL (path metadata.name, spec.csi.volumeHandle or spec.capacity.storage); K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_efs_pv_new(k8smig_object **out, const char *name, const char *volume_handle,
                                               const char *capacity);

/**
 * Set spec.accessModes of a PersistentVolume or PersistentVolumeClaim.
 * @param obj a PersistentVolume or PersistentVolumeClaim
 * @param modes K8SMIG_ACCESS_* bits; at least one, ReadWriteOncePod alone
 * @return 0; K8SMIG_EINVAL (path spec.accessModes); K8SMIG_EKIND; K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_pv_set_access_modes(k8smig_object *obj, unsigned int modes);

/**
 * Set spec.storageClassName and spec.persistentVolumeReclaimPolicy of a PersistentVolume.
 * @param pv a PersistentVolume
 * @param storage_class class name ("" for none), or NULL to leave it unset
 * @param reclaim_policy "Retain" or "Delete", or NULL
 * @return 0; K8SMIG_EINVAL (path spec.storageClassName or spec.persistentVolumeReclaimPolicy);
 *         K8SMIG_EKIND; K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_pv_set_class(k8smig_object *pv, const char *storage_class, const char *reclaim_policy);

/**
 * Reserve a PersistentVolume for one claim (spec.claimRef), so no other claim binds it.
 * @param pv a PersistentVolume
 * @param ns the claim's namespace
 * @param claim_name the claim's name
 * @return 0; K8SMIG_EINVAL (path spec.claimRef.namespace or spec.claimRef.name); K8SMIG_EKIND; K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_pv_set_claim_ref(k8smig_object *pv, const char *ns, const char *claim_name);

/**
 * Create a v1 PersistentVolumeClaim.
 * @param out (owned) the new object; NULL on failure
 * @param name a DNS-1123 subdomain
 * @param ns namespace, or NULL
 * @param storage_class spec.storageClassName; "" disables dynamic provisioning; NULL leaves it unset
 * @param size spec.resources.requests.storage, a quantity (stored canonical)
 * @return 0; K8SMIG_EINVAL (path metadata.name, metadata.namespace, spec.storageClassName
 *         or spec.resources.requests.storage); K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_pvc_new(k8smig_object **out, const char *name, const char *ns,
                                            const char *storage_class, const char *size);

/**
 * Bind a claim to a named PersistentVolume (spec.volumeName).
 * @param pvc a PersistentVolumeClaim
 * @param pv_name the volume's name (DNS-1123 subdomain)
 * @return 0; K8SMIG_EINVAL (path spec.volumeName); K8SMIG_EKIND; K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_pvc_set_volume_name(k8smig_object *pvc, const char *pv_name);

K8SMIG_END_DECL

#endif /* K8SMIG_STORAGE_H */
