/*
 * lib/model/validate.h - internals of validation (never exported).
 *
 * validate.c         public API, the report, finding collection, field paths
 * validate_syntax.c  credential heuristics (name syntax and IAM role ARNs: names.c)
 * validate_object.c  rules for one object alone (by resource family: validate_object.h)
 * validate_cross.c   the set index and rules across objects
 * validate_lint.c    AWS/EKS lints (warnings)
 *
 * Checks never fail: they add findings. Running out of memory marks the
 * report failed (sticky), and k8smig_validate() returns K8SMIG_ENOMEM.
 */
#ifndef K8SMIG_LIB_VALIDATE_H
#define K8SMIG_LIB_VALIDATE_H

#include "kinds.h"
#include "names.h"
#include "tree.h"

#define K8SMIG__VPATH_MAX 1024

/* Finding codes (documented in docs/validation.md; never renamed). */
#define K8SMIG__C_REQUIRED "K8SMIG-REQUIRED"
#define K8SMIG__C_TYPE "K8SMIG-TYPE"
#define K8SMIG__C_VALUE "K8SMIG-VALUE"
#define K8SMIG__C_API_VERSION "K8SMIG-API-VERSION"
#define K8SMIG__C_NAME_INVALID "K8SMIG-NAME-INVALID"
#define K8SMIG__C_LABEL_KEY "K8SMIG-LABEL-KEY"
#define K8SMIG__C_LABEL_VALUE "K8SMIG-LABEL-VALUE"
#define K8SMIG__C_ANNOTATION_KEY "K8SMIG-ANNOTATION-KEY"
#define K8SMIG__C_ANNOTATIONS_SIZE "K8SMIG-ANNOTATIONS-SIZE"
#define K8SMIG__C_KEY_INVALID "K8SMIG-KEY-INVALID"
#define K8SMIG__C_PORT_RANGE "K8SMIG-PORT-RANGE"
#define K8SMIG__C_PORT_NAME "K8SMIG-PORT-NAME"
#define K8SMIG__C_PROBE_BOUNDS "K8SMIG-PROBE-BOUNDS"
#define K8SMIG__C_QUANTITY "K8SMIG-QUANTITY"
#define K8SMIG__C_REQUESTS_ABOVE_LIMITS "K8SMIG-REQUESTS-ABOVE-LIMITS"
#define K8SMIG__C_HPA_RANGE "K8SMIG-HPA-RANGE"
#define K8SMIG__C_CONTAINER_DUPLICATE "K8SMIG-CONTAINER-DUPLICATE"
#define K8SMIG__C_VOLUME_MOUNT "K8SMIG-VOLUME-MOUNT"
#define K8SMIG__C_SELECTOR_TEMPLATE "K8SMIG-SELECTOR-TEMPLATE"
#define K8SMIG__C_DUPLICATE "K8SMIG-DUPLICATE"
#define K8SMIG__C_SELECTOR_NO_MATCH "K8SMIG-SELECTOR-NO-MATCH"
#define K8SMIG__C_INGRESS_BACKEND "K8SMIG-INGRESS-BACKEND"
#define K8SMIG__C_HPA_TARGET "K8SMIG-HPA-TARGET"
#define K8SMIG__C_HPA_REQUESTS "K8SMIG-HPA-REQUESTS"
#define K8SMIG__C_STORAGECLASS_MISSING "K8SMIG-STORAGECLASS-MISSING"
#define K8SMIG__C_PV_PVC_MISMATCH "K8SMIG-PV-PVC-MISMATCH"
#define K8SMIG__C_REF_MISSING "K8SMIG-REF-MISSING"
#define K8SMIG__C_SECRETSTORE_MISSING "K8SMIG-SECRETSTORE-MISSING"
#define K8SMIG__C_SERVICEACCOUNT_MISSING "K8SMIG-SERVICEACCOUNT-MISSING"
#define K8SMIG__C_CROSS_NAMESPACE "K8SMIG-CROSS-NAMESPACE"
#define K8SMIG__C_ALB_TLS_SECRET "K8SMIG-ALB-TLS-SECRET"
#define K8SMIG__C_ALB_FARGATE_TARGET "K8SMIG-ALB-FARGATE-TARGET"
#define K8SMIG__C_HPA_REPLICAS "K8SMIG-HPA-REPLICAS"
#define K8SMIG__C_CONFIGMAP_CREDENTIAL "K8SMIG-CONFIGMAP-CREDENTIAL"
#define K8SMIG__C_IRSA_ARN "K8SMIG-IRSA-ARN"
#define K8SMIG__C_FLUENTBIT_DUPLICATE "K8SMIG-FLUENTBIT-DUPLICATE"
#define K8SMIG__C_EFS_ACCESS_MODE "K8SMIG-EFS-ACCESS-MODE"
#define K8SMIG__C_RUNS_AS_ROOT "K8SMIG-RUNS-AS-ROOT"
#define K8SMIG__C_OBJECT_FAILED "K8SMIG-OBJECT-FAILED"

/* ---- the report ---------------------------------------------------------- */

typedef struct k8smig__vrec {
	k8smig_finding f;
	size_t obj_index;
	size_t seq;
	char data[]; /* the finding's strings */
} k8smig__vrec;

struct k8smig_report {
	k8smig__vrec **items;
	size_t n, cap;
	size_t counts[3];
	size_t seq;
	int failed; /* sticky K8SMIG_ENOMEM */
};

/* ---- what a check knows about the object it looks at --------------------- */

typedef struct k8smig__vctx {
	struct k8smig_report *report;
	const k8smig_object *obj;
	const k8smig_value *root;
	size_t obj_index;
	const char *kind;  /* never NULL ("" when missing) */
	const char *ns;    /* never NULL ("" when unset) */
	const char *name;  /* never NULL */
	unsigned int flags;
	size_t plen;
	char path[K8SMIG__VPATH_MAX];
} k8smig__vctx;

/** Point ctx at object obj (index i of the set). */
void k8smig__vctx_init(k8smig__vctx *ctx, struct k8smig_report *r, const k8smig_object *obj, size_t i,
                       unsigned int flags);

/* Field paths: push returns the previous length, pop restores it. */
size_t k8smig__vpush(k8smig__vctx *ctx, const char *field);     /* ".field" (or "field" at the root) */
size_t k8smig__vpush_index(k8smig__vctx *ctx, size_t i);         /* "[i]" */
size_t k8smig__vpush_key(k8smig__vctx *ctx, const char *key);    /* "[key]" */
static inline void k8smig__vpop(k8smig__vctx *ctx, size_t len)
{
	ctx->plen = len;
	ctx->path[len] = '\0';
}

/**
 * Add a finding at the current path, extended by leaf when not NULL
 * (".leaf", or "leaf" directly when it starts with '[').
 */
void k8smig__vfind(k8smig__vctx *ctx, k8smig_severity sev, const char *code, const char *leaf,
                   const char *fmt, ...) K8SMIG__PRINTF(5, 6);
/** Add a finding with an absolute path (cross-object rules). */
void k8smig__vfind_at(k8smig__vctx *ctx, k8smig_severity sev, const char *code, const char *path,
                      const char *fmt, ...) K8SMIG__PRINTF(5, 6);

/* ---- reading the tree ----------------------------------------------------- */

static inline const k8smig_value *k8smig__vget(const k8smig_value *v, const char *key)
{
	return k8smig_value_lookup(v, key);
}
/** The string at key, or NULL when absent or not a string. */
static inline const char *k8smig__vstr(const k8smig_value *v, const char *key)
{
	return k8smig_value_str(k8smig_value_lookup(v, key));
}
static inline bool k8smig__vis(const k8smig_value *v, k8smig_type t)
{
	return v && k8smig_value_type(v) == t;
}
/** Non-empty string at key. */
static inline bool k8smig__vhas_str(const k8smig_value *v, const char *key)
{
	const char *s = k8smig__vstr(v, key);
	return s && *s;
}
/** metadata.labels / the pod spec and so on of a workload kind, or NULL. */
const k8smig_value *k8smig__vpod_template(const k8smig_value *root, const char *kind, const char **path_out);
/** True for a Kustomization file (not a cluster object). */
bool k8smig__vis_kustomization(const k8smig_value *root);
/** Label selector semantics: every matchLabels pair (or a plain map) is in labels. */
bool k8smig__vlabels_match(const k8smig_value *selector_map, const k8smig_value *labels);
/** True when list v holds the string s. */
bool k8smig__vlist_has(const k8smig_value *list, const char *s);

/* ---- syntax (validate_syntax.c; Kubernetes names in names.h) ------------- */

bool k8smig__looks_like_credential_key(const char *key);
bool k8smig__looks_like_credential_value(const char *value);
bool k8smig__strcasestr_ascii(const char *hay, const char *needle);

/* ---- the set index (validate_cross.c), shared with the lints --------------- */

enum {
	K8SMIG__VR_OBJECT = 0,   /* the object itself */
	K8SMIG__VR_ES_TARGET,    /* the Secret an ExternalSecret creates */
	K8SMIG__VR_CERT_SECRET,  /* the Secret a cert-manager Certificate creates */
	K8SMIG__VR_GENERATED,    /* a kustomize configMapGenerator/secretGenerator item */
};

typedef struct k8smig__vent {
	const char *kind, *ns, *name;  /* ns NULL: resolves from every namespace */
	size_t obj;                    /* the object of the set that provides it */
	int role;                      /* K8SMIG__VR_* */
	const k8smig_value *node;      /* role-specific: where its keys are */
	uint32_t hash;
	int32_t next;
} k8smig__vent;

typedef struct k8smig__vlabel {
	const char *key, *value;
	size_t obj;
	uint32_t hash;
	int32_t next;
} k8smig__vlabel;

typedef struct k8smig__vobj {
	const char *kind, *ns, *name;   /* never NULL */
	const k8smig_value *root;
	const k8smig_value *tmpl;       /* pod template (metadata + spec), or NULL */
	const char *tmpl_path;          /* its field path ("spec.template", "" for a Pod) */
	bool skip;                      /* Kustomization: not a cluster object */
	bool hpa_target;                /* an HPA of the set scales it */
} k8smig__vobj;

typedef struct k8smig__vindex {
	const k8smig_object_list *set;
	unsigned int flags;
	size_t nobj;
	k8smig__vobj *objs;
	k8smig__vent *ents;
	size_t nent, cap;
	int32_t *buckets;
	size_t nbuckets;
	k8smig__vlabel *labels;
	size_t nlabel, lcap;
	int32_t *lbuckets;
	size_t nlbuckets;
	int failed;
} k8smig__vindex;

uint32_t k8smig__vhash2(const char *a, const char *b);
/** First entry for (kind, name) in the chain, or -1; continue with ents[i].next. */
int32_t k8smig__vindex_first(const k8smig__vindex *ix, const char *kind, const char *name);
/**
 * Entry of (kind, name) visible from namespace ns (any namespace for
 * cluster-scoped kinds), or -1. *elsewhere_out (optional) gets an entry in
 * another namespace, or -1.
 */
int32_t k8smig__vindex_lookup(const k8smig__vindex *ix, const char *kind, const char *ns, const char *name,
                              int32_t *elsewhere_out);
/** The pod spec of a workload object, or NULL. */
const k8smig_value *k8smig__vobj_pod_spec(const k8smig__vobj *o);

/** The AWS/EKS lints over an indexed set. */
void k8smig__validate_lints(struct k8smig_report *r, k8smig__vindex *ix);

/* ---- passes ----------------------------------------------------------------- */

/** Rules for one object alone. */
/* K8SMIG-RUNS-AS-ROOT (validate_security.c). */
void k8smig__validate_security(k8smig__vctx *ctx);
void k8smig__validate_object(k8smig__vctx *ctx);
/** Rules across the set, and the lints (unless flags say otherwise). */
void k8smig__validate_set(struct k8smig_report *r, const k8smig_object_list *set, unsigned int flags);

#endif
