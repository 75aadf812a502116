/*
 * lib/model/kinds.h - the one table of what the library knows per Kubernetes
 * kind (never exported): scope on the API server and in kustomize, the
 * apiVersions validation accepts, the metadata.name rule, where the pod
 * template is, the apply phase and kustomize's legacy output order. Every consumer reads it here:
 * validation, the typed builders, render and the apply set.
 */
#ifndef K8SMIG_LIB_KINDS_H
#define K8SMIG_LIB_KINDS_H

#include <stdbool.h>
#include <stddef.h>

/** How the API server checks metadata.name of a kind. */
typedef enum k8smig__name_rule {
	K8SMIG__NAME_DNS_SUBDOMAIN = 0, /* RFC 1123 subdomain: most kinds */
	K8SMIG__NAME_DNS_LABEL,         /* RFC 1123 label: Namespace, StatefulSet */
	K8SMIG__NAME_DNS1035_LABEL,     /* RFC 1035 label: Service */
	K8SMIG__NAME_PATH_SEGMENT       /* RBAC kinds: anything but "", ".", ".." and '/' '%' */
} k8smig__name_rule;

/** Where a kind keeps its pod template (dotted paths; a Pod is its own template). */
typedef struct k8smig__pod_template {
	const char *path; /* the template: "" for a Pod */
	const char *spec; /* its pod spec */
	const char *meta; /* its metadata */
	const char *labels; /* its metadata's labels */
} k8smig__pod_template;

typedef struct k8smig__kind_info {
	const char *kind;
	const char *group;      /* API group, "" for the core group */
	/* apiVersions validation accepts, space-separated; "group/" for any version
	 * of a CRD group; NULL: not checked */
	const char *versions;
	bool cluster;           /* cluster-scoped on the API server (its discovery) */
	bool kustomize_cluster; /* kustomize leaves metadata.namespace off (its built-in schema) */
	k8smig__name_rule name_rule;
	unsigned char apply_phase;   /* 1-based phase of k8smig_client_apply_set(), 0: after all phases */
	signed char kustomize_order; /* legacy sort: < 0 first (most negative first), > 0 last, 0 by id */
	const k8smig__pod_template *pod; /* NULL: no pod template */
} k8smig__kind_info;

/** Number of table entries; entries by index (for tests). */
size_t k8smig__kind_count(void);
const k8smig__kind_info *k8smig__kind_at(size_t i);
/** The entry of kind (NULL kind or an unknown kind: NULL). */
const k8smig__kind_info *k8smig__kind_find(const char *kind);

/** Kind is cluster-scoped on the API server (unknown kinds: namespaced). */
bool k8smig__kind_cluster_scoped(const char *kind);
/** kustomize treats (group, kind) as cluster-scoped; unknown kinds and CRDs are namespaced to it. */
bool k8smig__kind_kustomize_cluster_scoped(const char *group, const char *kind);
/** Rank in kustomize's legacy order: orderFirst kinds < 0, others 0, orderLast > 0. */
int k8smig__kind_kustomize_rank(const char *kind);

/** Apply phases, the last one for every kind without a phase. */
#define K8SMIG__APPLY_PHASES 19
/** The phase of CustomResourceDefinitions (0-based). */
#define K8SMIG__APPLY_PHASE_CRD 1
/** 0-based apply phase of kind; K8SMIG__APPLY_PHASES - 1 for kinds without one. */
size_t k8smig__kind_apply_phase(const char *kind);

/** The pod template of kind, or NULL. */
const k8smig__pod_template *k8smig__kind_pod_template(const char *kind);

/** The name rule of kind (default: DNS-1123 subdomain). */
k8smig__name_rule k8smig__kind_name_rule(const char *kind);
/** Check name against rule: NULL when valid, else a reason; *what_out (optional) names the rule. */
const char *k8smig__name_check(k8smig__name_rule rule, const char *name, const char **what_out);

#endif
