/*
 * lib/model/validate_object.h - rules for one object alone, split by resource
 * family as the typed builders are (never exported):
 *
 * validate_object.c      typed access with findings, metadata, apiVersion, the dispatch per kind
 * validate_containers.c  containers and pod specs: resources (quantities), ports, probes, env, volumes
 * validate_workloads.c   Deployment, DaemonSet, StatefulSet, ReplicaSet, Job, CronJob, PodDisruptionBudget and their selectors
 * validate_networking.c  Service, Ingress, IngressClass, IngressClassParams, Issuer/ClusterIssuer, Certificate
 * validate_scaling.c     HorizontalPodAutoscaler
 * validate_config.c      ConfigMap and Secret data, ExternalSecret, SecretStore/ClusterSecretStore
 * validate_identity.c    Role/ClusterRole rules and RoleBinding/ClusterRoleBinding
 * validate_storage.c     PersistentVolume, PersistentVolumeClaim, StorageClass
 * validate_monitoring.c  PrometheusRule
 *
 * Paths are built while walking (k8smig__vpush ... k8smig__vpop), so every
 * finding carries the Kubernetes field path of what it is about. Messages
 * never quote values of ConfigMaps or Secrets.
 */
#ifndef K8SMIG_LIB_VALIDATE_OBJECT_H
#define K8SMIG_LIB_VALIDATE_OBJECT_H

#include "k8smig/quantity.h"
#include "validate.h"

#define ERR K8SMIG_SEVERITY_ERROR
#define WARN K8SMIG_SEVERITY_WARNING
#define FIND k8smig__vfind

typedef const k8smig_value cv;

/* ---- typed access with findings, metadata (validate_object.c) */
void k8smig__vcheck_label_map(k8smig__vctx *ctx, cv *v, const char *key);
void k8smig__vcheck_metadata_maps(k8smig__vctx *ctx, cv *meta);
void k8smig__venum_str(k8smig__vctx *ctx, cv *v, const char *key, const char *const *allowed);
void k8smig__vname_field(k8smig__vctx *ctx, cv *v, const char *key, const char *(*rule)(const char *), const char *rule_name);
bool k8smig__vone_of(const char *s, const char *const *allowed);
int k8smig__vopt_int(k8smig__vctx *ctx, cv *v, const char *key, int64_t *out);
const char *k8smig__vopt_str(k8smig__vctx *ctx, cv *v, const char *key);
cv *k8smig__vreq(k8smig__vctx *ctx, cv *v, const char *key, k8smig_type t);
const char *k8smig__vreq_str(k8smig__vctx *ctx, cv *v, const char *key);
/** The same inside map (read from map_key before; NULL: nothing to check), path map_key.key. */
const char *k8smig__vreq_str_in(k8smig__vctx *ctx, cv *map, const char *map_key, const char *key);
/** Read the map v[map_key] (required or optional), then k8smig__vreq_str_in() in it. */
const char *k8smig__vsub_str(k8smig__vctx *ctx, cv *v, const char *map_key, bool map_required, const char *key);
const char *k8smig__vtype_name(cv *v);
cv *k8smig__vwant(k8smig__vctx *ctx, cv *v, const char *key, k8smig_type t);

/* ---- validate_containers.c */
extern const char *const k8smig__vprotocols[]; /* TCP, UDP, SCTP */
void k8smig__vcheck_pod_spec(k8smig__vctx *ctx, cv *spec);
void k8smig__vport_int_or_name(k8smig__vctx *ctx, cv *v, const char *key, bool required);
int64_t k8smig__vport_number(k8smig__vctx *ctx, cv *v, const char *key, bool required);
int k8smig__vqsign(const k8smig_quantity *q);
int k8smig__vquantity_at(k8smig__vctx *ctx, cv *v, const char *leaf, k8smig_quantity *q);

/* ---- validate_workloads.c */
void k8smig__vcheck_cronjob(k8smig__vctx *ctx, cv *spec);
void k8smig__vcheck_pdb(k8smig__vctx *ctx, cv *spec);
void k8smig__vcheck_workload(k8smig__vctx *ctx, cv *spec);

/* ---- validate_networking.c */
void k8smig__vcheck_certificate(k8smig__vctx *ctx, cv *spec);
void k8smig__vcheck_ingress(k8smig__vctx *ctx, cv *spec);
void k8smig__vcheck_ingress_class(k8smig__vctx *ctx, cv *spec);
void k8smig__vcheck_ingress_class_params(k8smig__vctx *ctx, cv *spec);
void k8smig__vcheck_issuer(k8smig__vctx *ctx, cv *spec);
void k8smig__vcheck_service(k8smig__vctx *ctx, cv *spec);

/* ---- validate_scaling.c */
void k8smig__vcheck_hpa(k8smig__vctx *ctx, cv *spec);

/* ---- validate_config.c */
void k8smig__vcheck_data_map(k8smig__vctx *ctx, const char *field, bool base64, cv *other, const char *other_name);
void k8smig__vcheck_external_secret(k8smig__vctx *ctx, cv *spec);
void k8smig__vcheck_secret_store(k8smig__vctx *ctx, cv *spec);

/* ---- validate_identity.c */
void k8smig__vcheck_binding(k8smig__vctx *ctx, bool cluster);
void k8smig__vcheck_rbac_rules(k8smig__vctx *ctx, bool cluster);

/* ---- validate_storage.c */
void k8smig__vcheck_pv(k8smig__vctx *ctx, cv *spec);
void k8smig__vcheck_pvc(k8smig__vctx *ctx, cv *spec);
void k8smig__vcheck_storageclass(k8smig__vctx *ctx);

/* ---- validate_monitoring.c */
void k8smig__vcheck_prometheus_rule(k8smig__vctx *ctx, cv *spec);

#endif
