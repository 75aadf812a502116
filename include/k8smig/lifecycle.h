/*
 * k8smig/lifecycle.h - what comes after an apply: wait until a set has
 * rolled out (kstatus), diff a set against the cluster, ApplySets (KEP-3659)
 * with pruning, delete a set, revision history and rollback, impersonation.
 *
 * Like the rest of the client, every call uses one k8smig_client from one
 * thread at a time (another thread gets K8SMIG_EBUSY). Option structs accept
 * every version from 1 to the current one; NULL arguments give K8SMIG_EINVAL. Results are owned by the caller and freed with their
 * _free function (NULL accepted).
 */
#ifndef K8SMIG_LIFECYCLE_H
#define K8SMIG_LIFECYCLE_H

#include "common.h"
#include "object.h"
#include "client.h"

K8SMIG_BEGIN_DECL

/* ---- impersonation ------------------------------------------------------------ */

/**
 * Act as another identity, as kubectl's --as, --as-group and --as-uid do
 * (Impersonate-User, Impersonate-Group, Impersonate-Uid headers). Replaces
 * what the kubeconfig user's `as`, `as-groups` and `as-uid` set. user NULL
 * or "" turns impersonation off (groups and uid need a user).
 * @param groups NULL-terminated, may be NULL
 * @return 0; K8SMIG_EINVAL (groups or uid without a user, a value with a
 *         line break); K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_client_impersonate(k8smig_client *c, const char *user, const char *const *groups, const char *uid);

/** @return (borrowed) the impersonated user, or NULL. @since 0.1 */
K8SMIG_EXTERN(const char *) k8smig_client_impersonated_user(const k8smig_client *c);

/* ---- readiness (kstatus) -------------------------------------------------------- */

typedef enum k8smig_readiness {
	K8SMIG_READY_CURRENT = 0,      /**< rolled out / reconciled */
	K8SMIG_READY_IN_PROGRESS = 1,  /**< not yet */
	K8SMIG_READY_FAILED = 2,       /**< will not get there without a change (Job Failed, ProgressDeadlineExceeded, Stalled) */
	K8SMIG_READY_NOT_FOUND = 3,    /**< the object does not exist */
	K8SMIG_READY_TERMINATING = 4   /**< being deleted */
} k8smig_readiness;

/** @return a static name: "current", "in-progress", "failed", "not-found", "terminating". @since 0.1 */
K8SMIG_EXTERN(const char *) k8smig_readiness_name(k8smig_readiness r);

/**
 * The kstatus state of a live object: Deployment, StatefulSet, DaemonSet
 * (observedGeneration, updated/ready/available replicas), ReplicaSet, Pod,
 * PersistentVolumeClaim (Bound), CustomResourceDefinition (Established),
 * Job (Complete / Failed), Namespace (Active), Service of type LoadBalancer
 * (an ingress address); for every kind observedGeneration when present,
 * Ready / Reconciling / Stalled conditions; anything else is current.
 * @param reason_out (owned) why not current ("" when current)
 * @return 0; K8SMIG_EINVAL (NULL object, state_out or reason_out); K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_object_readiness(k8smig_readiness *state_out, char **reason_out, const k8smig_object *live);

/* ---- wait -------------------------------------------------------------------------- */

/** One object of a wait. Strings borrowed from the results. */
typedef struct k8smig_wait_result {
	k8smig_readiness state;
	const char *api_version;
	const char *kind;
	const char *namespace_;   /**< "" for cluster-scoped */
	const char *name;
	const char *reason;       /**< why not current; "" when current */
	const char *report;       /**< when not current after the wait: conditions and the latest
	                               events of the object and of its pods, one per line; else "" */
} k8smig_wait_result;

typedef struct k8smig_wait_results k8smig_wait_results;

/** Progress: called when an object changes state; ready counts current objects. */
typedef void (*k8smig_wait_progress_cb)(const k8smig_wait_result *result, size_t ready, size_t total, void *payload);

typedef struct k8smig_wait_options {
	unsigned int version;              /**< K8SMIG_WAIT_OPTIONS_VERSION */
	long timeout_ms;                   /**< 0: 300,000 */
	bool for_deletion;                 /**< wait until every object is gone instead */
	k8smig_wait_progress_cb progress;  /**< optional */
	void *payload;
} k8smig_wait_options;

#define K8SMIG_WAIT_OPTIONS_VERSION 1
#define K8SMIG_WAIT_OPTIONS_INIT { K8SMIG_WAIT_OPTIONS_VERSION, 0, false, NULL, NULL }

/** @return 0, or K8SMIG_EINVAL for an unknown version. @since 0.1 */
K8SMIG_EXTERN(k8smig_status) k8smig_wait_options_init(k8smig_wait_options *opts, unsigned int version);

/**
 * Wait until every object of set is current (kstatus), or gone with
 * for_deletion. One LIST per (kind, namespace), then watches from the list's
 * resourceVersion, all multiplexed on the client's connection; a watch the
 * server ends is resumed from the last resourceVersion seen, a 410 Gone lists
 * again, a broken connection (API server restart) is retried until the deadline.
 * Objects of the set are matched by apiVersion, kind, namespace (the client's
 * for namespaced kinds without one) and name.
 * @param out (owned) one result per object, in set order; set on 0,
 *        K8SMIG_ETIMEOUT and K8SMIG_ERROR, NULL otherwise
 * @return 0 (all current / gone); K8SMIG_ETIMEOUT (deadline passed, see the
 *         reports); K8SMIG_ERROR (an object failed, see its report);
 *         K8SMIG_EINVAL; transport and API errors; K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_client_wait(k8smig_wait_results **out, k8smig_client *c, const k8smig_object_list *set, const k8smig_wait_options *opts);

/** Free wait results. Accepts NULL. @since 0.1 */
K8SMIG_EXTERN(void) k8smig_wait_results_free(k8smig_wait_results *r);
/** @return the number of results. @since 0.1 */
K8SMIG_EXTERN(size_t) k8smig_wait_results_size(const k8smig_wait_results *r);
/** @return (borrowed) result i, or NULL. @since 0.1 */
K8SMIG_EXTERN(const k8smig_wait_result *) k8smig_wait_results_get(const k8smig_wait_results *r, size_t i);

/* ---- diff -------------------------------------------------------------------------- */

typedef enum k8smig_diff_action {
	K8SMIG_DIFF_UNCHANGED = 0,
	K8SMIG_DIFF_CREATE = 1,
	K8SMIG_DIFF_CHANGE = 2,
	K8SMIG_DIFF_PRUNE = 3,    /**< a member of the applyset that left the set */
	K8SMIG_DIFF_FAILED = 4
} k8smig_diff_action;

/** One object of a diff. Strings borrowed from the diff. */
typedef struct k8smig_diff_entry {
	k8smig_diff_action action;
	const char *api_version;
	const char *kind;
	const char *namespace_;
	const char *name;
	const char *diff;          /**< unified diff (no colour), "" when unchanged or failed;
	                                Secret data/stringData values masked as kubectl does */
	const char *error_message; /**< "" unless failed */
} k8smig_diff_entry;

typedef struct k8smig_diff k8smig_diff;

typedef struct k8smig_diff_options {
	unsigned int version;        /**< K8SMIG_DIFF_OPTIONS_VERSION */
	/** Field manager and force of the dry-run apply (dry_run is implied); borrowed for the
	 *  call; NULL: defaults. Held by pointer since version 2 (version 1 embedded the struct,
	 *  so a larger apply-options struct would have moved the fields below); a version-1
	 *  struct is still accepted. @since 0.1 (pointer: 0.2) */
	const k8smig_apply_options *apply;
	const char *applyset;        /**< also list members of this applyset that would be pruned; NULL: none */
	const char *applyset_namespace; /**< the parent's namespace; NULL: the client's */
	unsigned int context_lines;  /**< 0: 3 */
} k8smig_diff_options;

#define K8SMIG_DIFF_OPTIONS_VERSION 2
#define K8SMIG_DIFF_OPTIONS_INIT { K8SMIG_DIFF_OPTIONS_VERSION, NULL, NULL, NULL, 0 }

/** @return 0, or K8SMIG_EINVAL for an unknown version. @since 0.1 */
K8SMIG_EXTERN(k8smig_status) k8smig_diff_options_init(k8smig_diff_options *opts, unsigned int version);

/**
 * Desired vs live: a server-side dry-run apply of each object compared with
 * the live object. Server-owned fields (status, managedFields, resourceVersion,
 * generation, uid, creationTimestamp) and fields owned only by other managers
 * (an HPA's spec.replicas) are left out.
 * @param out (owned) one entry per object in set order, then the prune entries;
 *        set on 0 and K8SMIG_ERROR
 * @return 0; K8SMIG_ERROR (some object failed: see its entry); K8SMIG_EINVAL; K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_client_diff(k8smig_diff **out, k8smig_client *c, const k8smig_object_list *set, const k8smig_diff_options *opts);

/** Free a diff. Accepts NULL. @since 0.1 */
K8SMIG_EXTERN(void) k8smig_diff_free(k8smig_diff *d);
/** @return the number of entries. @since 0.1 */
K8SMIG_EXTERN(size_t) k8smig_diff_size(const k8smig_diff *d);
/** @return (borrowed) entry i, or NULL. @since 0.1 */
K8SMIG_EXTERN(const k8smig_diff_entry *) k8smig_diff_get(const k8smig_diff *d, size_t i);
/** @return how many entries would create, change or prune something. @since 0.1 */
K8SMIG_EXTERN(size_t) k8smig_diff_changes(const k8smig_diff *d);

/* ---- ApplySets, prune, history, rollback ------------------------------------------------- */

/** One pruned (or deleted) object. Strings borrowed. */
typedef struct k8smig_prune_entry {
	const char *api_version;
	const char *kind;
	const char *namespace_;
	const char *name;
	int error_code;            /**< 0, or why it could not be deleted */
	const char *error_message;
} k8smig_prune_entry;

/** What an applyset operation did. */
typedef struct k8smig_rollout k8smig_rollout;

typedef struct k8smig_rollout_options {
	unsigned int version;              /**< K8SMIG_ROLLOUT_OPTIONS_VERSION */
	const char *applyset;              /**< the parent (required), as kubectl --applyset: NAME or
	                                        secrets/NAME (a Secret), configmaps/NAME (a ConfigMap;
	                                        since 0.2) */
	const char *applyset_namespace;    /**< parent's namespace; NULL: the client's */
	/** Field manager, force, dry run, apply progress; borrowed for the call; NULL: defaults.
	 *  Held by pointer since version 2 (version 1 embedded the struct); a version-1 struct is
	 *  still accepted. @since 0.1 (pointer: 0.2) */
	const k8smig_apply_set_options *apply;
	bool prune;                        /**< delete members that left the set */
	bool wait;                         /**< wait until the set is current */
	long timeout_ms;                   /**< for wait and for deletions; 0: 300,000 */
	bool atomic;                       /**< when the apply or wait fails: roll back to the previous
	                                        revision (or delete the set when there is none); implies wait */
	unsigned int history_max;          /**< revisions kept; 0: 10 */
	k8smig_wait_progress_cb wait_progress; /**< optional */
	void *wait_payload;
} k8smig_rollout_options;

#define K8SMIG_ROLLOUT_OPTIONS_VERSION 2
#define K8SMIG_ROLLOUT_OPTIONS_INIT { K8SMIG_ROLLOUT_OPTIONS_VERSION, NULL, NULL, NULL, false, false, 0, false, 0, NULL, NULL }

/** @return 0, or K8SMIG_EINVAL for an unknown version. @since 0.1 */
K8SMIG_EXTERN(k8smig_status) k8smig_rollout_options_init(k8smig_rollout_options *opts, unsigned int version);

/** The ApplySet id of a parent, as kubectl computes it ("applyset-" + base64url of
 * sha256("<name>.<namespace>.<Kind>.") + "-v1").
 * @param name NAME or secrets/NAME (a Secret parent), configmaps/NAME (a ConfigMap parent,
 *        since 0.2), as kubectl --applyset takes them
 * @param out (owned) @return 0; K8SMIG_EINVAL (path applyset: no name, another parent kind);
 *        K8SMIG_ENOMEM @since 0.1 */
K8SMIG_EXTERN(k8smig_status) k8smig_applyset_id(char **out, const char *name, const char *namespace_);

/**
 * Apply a set as an ApplySet (KEP-3659, as `kubectl apply --applyset`): the
 * parent (a Secret, or a ConfigMap for configmaps/NAME) gets applyset.kubernetes.io/id, tooling, contains-group-kinds
 * and additional-namespaces, every member the part-of label. With prune,
 * members of this applyset that left the set are deleted in reverse phase
 * order (never anything without our part-of label). A successful, non-dry-run
 * apply records revision N+1 (a Secret "<applyset>.k8smig.rev.N" holding the
 * gzip'ed set, at most 1 MiB; the oldest beyond history_max deleted).
 * @param out (owned) what was applied, pruned, waited for; set on 0,
 *        K8SMIG_ERROR and K8SMIG_ETIMEOUT
 * @return 0; K8SMIG_ERROR (an object failed to apply, prune or become ready);
 *         K8SMIG_ETIMEOUT (wait); K8SMIG_ECONFLICT (the parent belongs to another
 *         tool); K8SMIG_EINVAL; transport and API errors
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_client_apply_applyset(k8smig_rollout **out, k8smig_client *c, const k8smig_object_list *set, const k8smig_rollout_options *opts);

/**
 * Re-apply recorded revision `revision` (0: the one before the latest) and
 * prune what it lacks; records a new revision. opts->prune is implied.
 * @return as k8smig_client_apply_applyset(); K8SMIG_ENOTFOUND (no such revision)
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_client_rollback(k8smig_rollout **out, k8smig_client *c, unsigned int revision, const k8smig_rollout_options *opts);

/**
 * Delete every member of an applyset in reverse phase order, wait (up to
 * opts->timeout_ms) until they are gone (finalizers included), then the parent
 * and its revision history. opts->apply.apply.dry_run lists without deleting.
 * @return 0; K8SMIG_ETIMEOUT; K8SMIG_ERROR (some deletions failed); K8SMIG_ENOTFOUND (no such applyset)
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_client_delete_applyset(k8smig_rollout **out, k8smig_client *c, const k8smig_rollout_options *opts);

/**
 * Delete the objects of a set (no applyset needed) in reverse phase order and
 * wait (up to opts->timeout_ms) until they are gone, finalizers included.
 * Only opts->timeout_ms and opts->apply.apply.dry_run are used; opts may be NULL.
 * @param out (owned) one pruned entry per object (absent ones included); set on 0,
 *        K8SMIG_ERROR and K8SMIG_ETIMEOUT
 * @return 0; K8SMIG_ETIMEOUT; K8SMIG_ERROR (some deletions failed); K8SMIG_EINVAL
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_client_delete_set(k8smig_rollout **out, k8smig_client *c, const k8smig_object_list *set, const k8smig_rollout_options *opts);

/** Free a rollout. Accepts NULL. @since 0.1 */
K8SMIG_EXTERN(void) k8smig_rollout_free(k8smig_rollout *r);
/** @return (borrowed) the apply results, or NULL when nothing was applied. @since 0.1 */
K8SMIG_EXTERN(const k8smig_apply_results *) k8smig_rollout_applied(const k8smig_rollout *r);
/** @return (borrowed) the wait results, or NULL when there was no wait. @since 0.1 */
K8SMIG_EXTERN(const k8smig_wait_results *) k8smig_rollout_waited(const k8smig_rollout *r);
/** @return the number of pruned (or deleted) objects. @since 0.1 */
K8SMIG_EXTERN(size_t) k8smig_rollout_pruned_size(const k8smig_rollout *r);
/** @return (borrowed) pruned object i, or NULL. @since 0.1 */
K8SMIG_EXTERN(const k8smig_prune_entry *) k8smig_rollout_pruned_get(const k8smig_rollout *r, size_t i);
/** @return the revision recorded, 0 when none. @since 0.1 */
K8SMIG_EXTERN(unsigned int) k8smig_rollout_revision(const k8smig_rollout *r);
/** @return the revision an --atomic failure rolled back to (0: none; the set was deleted
 *  when rolled_back is true and this is 0). @since 0.1 */
K8SMIG_EXTERN(unsigned int) k8smig_rollout_rolled_back_to(const k8smig_rollout *r);
/** @return true when an atomic apply undid itself. @since 0.1 */
K8SMIG_EXTERN(bool) k8smig_rollout_rolled_back(const k8smig_rollout *r);

/** One recorded revision. Strings borrowed. */
typedef struct k8smig_revision {
	unsigned int number;
	const char *applied_at;    /**< RFC 3339 */
	const char *status;        /**< "deployed", "superseded", "failed", "rolled-back" */
	const char *description;   /**< e.g. "apply", "rollback to 2" */
	size_t objects;
} k8smig_revision;

typedef struct k8smig_history k8smig_history;

/**
 * The recorded revisions of an applyset, oldest first.
 * @param applyset as k8smig_rollout_options.applyset: NAME or secrets/NAME (Secret parent),
 *        configmaps/NAME (ConfigMap parent, since 0.2)
 * @param out (owned) @return 0 (an empty history when none); K8SMIG_EINVAL (NULL out or
 *        client, no applyset name, another parent kind); K8SMIG_EBUSY; transport and API errors
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_client_history(k8smig_history **out, k8smig_client *c, const char *applyset, const char *namespace_);
/** Free a history. Accepts NULL. @since 0.1 */
K8SMIG_EXTERN(void) k8smig_history_free(k8smig_history *h);
/** @return the number of revisions. @since 0.1 */
K8SMIG_EXTERN(size_t) k8smig_history_size(const k8smig_history *h);
/** @return (borrowed) revision i (oldest first), or NULL. @since 0.1 */
K8SMIG_EXTERN(const k8smig_revision *) k8smig_history_get(const k8smig_history *h, size_t i);
/**
 * The set recorded by revision i.
 * @param out (owned) @return 0; K8SMIG_EINVAL (NULL out or history); K8SMIG_ENOTFOUND;
 *        K8SMIG_EPARSE (a damaged record)
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_history_objects(k8smig_object_list **out, const k8smig_history *h, size_t i);

K8SMIG_END_DECL

#endif /* K8SMIG_LIFECYCLE_H */
