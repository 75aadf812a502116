/*
 * k8smig/client.h - talk to a Kubernetes API server: kubeconfig, auth,
 * discovery, get/list/create/delete/watch and server-side apply of a set.
 *
 * A k8smig_client is used by one thread at a time (like a CURL easy handle):
 * a call while another thread is inside the same client fails with
 * K8SMIG_EBUSY. Call k8smig_init() (global.h) once before creating clients,
 * and k8smig_shutdown() once after freeing the last one.
 *
 * Options structs: a zeroed struct with its version set means "defaults";
 * any version from 1 up to the current one is accepted.
 */
#ifndef K8SMIG_CLIENT_H
#define K8SMIG_CLIENT_H

#include "common.h"
#include "object.h"

K8SMIG_BEGIN_DECL

typedef struct k8smig_kubeconfig k8smig_kubeconfig;
typedef struct k8smig_client k8smig_client;

/* ---- kubeconfig ------------------------------------------------------------ */

/**
 * Load kubeconfig as kubectl does: `path` when given; else every file of
 * $KUBECONFIG (':'-separated, merged: the first file to set a name wins, the
 * first current-context wins); else ~/.kube/config.
 * @param out (owned) the merged configuration
 * @return 0; K8SMIG_ENOTFOUND (no file); K8SMIG_EPARSE (with file, line);
 *         K8SMIG_EINVAL (not a kubeconfig); K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_kubeconfig_load(k8smig_kubeconfig **out, const char *path) K8SMIG_WARN_UNUSED;

/** Free a kubeconfig. Accepts NULL. @since 0.1 */
K8SMIG_EXTERN(void) k8smig_kubeconfig_free(k8smig_kubeconfig *kc);

/** @return (borrowed) current-context, or NULL. @since 0.1 */
K8SMIG_EXTERN(const char *) k8smig_kubeconfig_current_context(const k8smig_kubeconfig *kc);

/* ---- client ------------------------------------------------------------------ */

/** Options for k8smig_client_new(). */
typedef struct k8smig_client_options {
	unsigned int version;        /**< K8SMIG_CLIENT_OPTIONS_VERSION */
	const char *context;         /**< context name; NULL for current-context */
	const char *namespace_;      /**< default namespace; NULL for the context's, else "default" */
	long connect_timeout_ms;     /**< 0: 10,000 */
	long request_timeout_ms;     /**< per request, 0: 60,000 */
	int max_retries;             /**< for 429, 5xx and connection resets; 0: 5; K8SMIG_NO_RETRIES: none */
	unsigned int max_parallel;   /**< requests in flight inside an apply phase; 0: 16 */
} k8smig_client_options;

/** k8smig_client_options.max_retries: do not retry at all. */
#define K8SMIG_NO_RETRIES (-1)

#define K8SMIG_CLIENT_OPTIONS_VERSION 1
#define K8SMIG_CLIENT_OPTIONS_INIT { K8SMIG_CLIENT_OPTIONS_VERSION, NULL, NULL, 0, 0, 0, 0 }

/** @return 0, or K8SMIG_EINVAL for an unknown version or NULL opts. @since 0.1 */
K8SMIG_EXTERN(k8smig_status) k8smig_client_options_init(k8smig_client_options *opts, unsigned int version);

/**
 * Create a client for a context of kc (copied: kc may be freed afterwards).
 * No request is made yet.
 * @param out (owned) the client
 * @return 0; K8SMIG_ENOTFOUND (no such context, cluster or user);
 *         K8SMIG_EINVAL (NULL out or kc, k8smig_init() not called, bad
 *         options, incomplete or contradictory entries, unreadable
 *         certificate files: the message names the file and the cause); K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_client_new(k8smig_client **out, const k8smig_kubeconfig *kc, const k8smig_client_options *opts) K8SMIG_WARN_UNUSED;

/** Free a client. Accepts NULL. @since 0.1 */
K8SMIG_EXTERN(void) k8smig_client_free(k8smig_client *c);

/** @return (borrowed) the API server URL. @since 0.1 */
K8SMIG_EXTERN(const char *) k8smig_client_server(const k8smig_client *c);
/** @return (borrowed) the namespace used when an object has none. @since 0.1 */
K8SMIG_EXTERN(const char *) k8smig_client_namespace(const k8smig_client *c);

/**
 * Warnings the client gathered (insecure-skip-tls-verify, API server
 * Warning headers), one per line, or "" when none.
 * @return (borrowed) valid until the next call on c
 * @since 0.1
 */
K8SMIG_EXTERN(const char *) k8smig_client_warnings(const k8smig_client *c);

/* ---- single operations --------------------------------------------------------- */

/**
 * Resource path and scope of a kind, from discovery (cached per client;
 * refreshed once when the kind is unknown, as after a new CRD).
 * @param resource_out (owned) e.g. "deployments"
 * @param namespaced_out (optional)
 * @return 0; K8SMIG_ENOTFOUND (the server has no such kind); transport and API errors
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_client_resource(char **resource_out, bool *namespaced_out, k8smig_client *c, const char *api_version, const char *kind);

/**
 * GET one object. ns NULL: the client's namespace for namespaced kinds.
 * @param out (owned) the live object
 * @return 0; K8SMIG_ENOTFOUND; K8SMIG_EAUTH; K8SMIG_ETRANSPORT; K8SMIG_ETIMEOUT; K8SMIG_EAPI
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_client_get(k8smig_object **out, k8smig_client *c, const char *api_version, const char *kind, const char *ns, const char *name) K8SMIG_WARN_UNUSED;

/**
 * LIST objects of a kind. ns NULL: the client's namespace; "" all namespaces.
 * @param out (owned) the items
 * @param label_selector NULL or e.g. "app.kubernetes.io/part-of=layering-detection"
 * @return as k8smig_client_get()
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_client_list(k8smig_object_list **out, k8smig_client *c, const char *api_version, const char *kind, const char *ns, const char *label_selector) K8SMIG_WARN_UNUSED;

/**
 * POST an object.
 * @param out (optional, owned) the created object
 * @return 0; K8SMIG_EEXISTS; K8SMIG_EINVAL (path from the server's causes); as k8smig_client_get()
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_client_create(k8smig_object **out, k8smig_client *c, const k8smig_object *obj);

typedef enum k8smig_propagation {
	K8SMIG_PROPAGATION_DEFAULT = 0,   /**< the server's default for the kind */
	K8SMIG_PROPAGATION_BACKGROUND = 1,
	K8SMIG_PROPAGATION_FOREGROUND = 2,
	K8SMIG_PROPAGATION_ORPHAN = 3
} k8smig_propagation;

/**
 * DELETE an object.
 * @return 0; K8SMIG_ENOTFOUND; as k8smig_client_get()
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_client_delete(k8smig_client *c, const char *api_version, const char *kind, const char *ns, const char *name, k8smig_propagation propagation);

/** Options for server-side apply. */
typedef struct k8smig_apply_options {
	unsigned int version;        /**< K8SMIG_APPLY_OPTIONS_VERSION */
	const char *field_manager;   /**< NULL: "k8smig" */
	bool force;                  /**< take over fields owned by other managers */
	bool dry_run;                /**< dryRun=All: the server validates, nothing is stored */
} k8smig_apply_options;

#define K8SMIG_APPLY_OPTIONS_VERSION 1
#define K8SMIG_APPLY_OPTIONS_INIT { K8SMIG_APPLY_OPTIONS_VERSION, NULL, false, false }

/** @return 0, or K8SMIG_EINVAL for an unknown version or NULL opts. @since 0.1 */
K8SMIG_EXTERN(k8smig_status) k8smig_apply_options_init(k8smig_apply_options *opts, unsigned int version);

/**
 * Server-side apply of one object (PATCH, application/apply-patch+yaml).
 * @param out (optional, owned) the object as the server returned it
 * @return 0; K8SMIG_ECONFLICT (message names the conflicting managers and
 *         fields; path is the first field); K8SMIG_EINVAL; as k8smig_client_get()
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_client_apply(k8smig_object **out, k8smig_client *c, const k8smig_object *obj, const k8smig_apply_options *opts);

/** One event of a watch. */
typedef enum k8smig_watch_event {
	K8SMIG_WATCH_ADDED = 0,
	K8SMIG_WATCH_MODIFIED = 1,
	K8SMIG_WATCH_DELETED = 2,
	K8SMIG_WATCH_BOOKMARK = 3
} k8smig_watch_event;

/** Called for each event; obj is borrowed for the call. Return non-zero to stop. */
typedef int (*k8smig_watch_cb)(k8smig_watch_event type, const k8smig_object *obj, void *payload);

/** Options for k8smig_client_watch(). */
typedef struct k8smig_watch_options {
	unsigned int version;          /**< K8SMIG_WATCH_OPTIONS_VERSION */
	k8smig_watch_cb callback;      /**< required: called for each event */
	void *payload;                 /**< passed to callback */
	const char *namespace_;        /**< NULL: the client's namespace; "": all namespaces */
	const char *label_selector;    /**< NULL or e.g. "app=web" */
	const char *field_selector;    /**< NULL or e.g. "metadata.name=web" */
	const char *resource_version;  /**< NULL or "": from now; else resume after it */
	int timeout_seconds;           /**< the server ends the watch after it; 0: 300 */
} k8smig_watch_options;

#define K8SMIG_WATCH_OPTIONS_VERSION 1
#define K8SMIG_WATCH_OPTIONS_INIT { K8SMIG_WATCH_OPTIONS_VERSION, NULL, NULL, NULL, NULL, NULL, NULL, 0 }

/** @return 0, or K8SMIG_EINVAL for an unknown version or NULL opts. @since 0.1 */
K8SMIG_EXTERN(k8smig_status) k8smig_watch_options_init(k8smig_watch_options *opts, unsigned int version);

/**
 * Watch a kind, with bookmarks, until the callback returns non-zero or the
 * server ends the watch after opts->timeout_seconds.
 * @param resource_version_out (optional, owned) the last resourceVersion seen, to resume
 * @param opts (required) at least the callback
 * @return 0 when stopped or timed out; K8SMIG_EAPI with reason "Expired"
 *         (410 Gone: list again); K8SMIG_EINVAL (no callback, bad options);
 *         K8SMIG_EBUSY; as k8smig_client_get()
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_client_watch(char **resource_version_out, k8smig_client *c, const char *api_version,
                                                 const char *kind, const k8smig_watch_options *opts);

/* ---- applying a set --------------------------------------------------------------- */

typedef enum k8smig_apply_action {
	K8SMIG_APPLY_CREATED = 0,
	K8SMIG_APPLY_CONFIGURED = 1,
	K8SMIG_APPLY_UNCHANGED = 2,
	K8SMIG_APPLY_FAILED = 3
} k8smig_apply_action;

/** The outcome for one object of a set. Strings borrowed from the result set. */
typedef struct k8smig_apply_result {
	k8smig_apply_action action;
	const char *kind;
	const char *namespace_;    /**< "" for cluster-scoped */
	const char *name;
	const char *resource;      /**< e.g. "configmaps" ("" when discovery failed) */
	int error_code;            /**< 0, or the failure's k8smig_error_code */
	const char *error_message; /**< "" unless failed */
	const char *error_path;
	int http_status;
} k8smig_apply_result;

typedef struct k8smig_apply_results k8smig_apply_results;

/** Progress: called after each object, in completion order. */
typedef void (*k8smig_apply_progress_cb)(const k8smig_apply_result *result, size_t done, size_t total, void *payload);

/** Options for k8smig_client_apply_set(). */
typedef struct k8smig_apply_set_options {
	unsigned int version;              /**< K8SMIG_APPLY_SET_OPTIONS_VERSION */
	const k8smig_apply_options *apply; /**< field manager, force, dry run; NULL: defaults */
	long crd_timeout_ms;               /**< wait for CRDs to be Established; 0: 60,000 */
	k8smig_apply_progress_cb progress; /**< optional */
	void *payload;
} k8smig_apply_set_options;

#define K8SMIG_APPLY_SET_OPTIONS_VERSION 1
#define K8SMIG_APPLY_SET_OPTIONS_INIT { K8SMIG_APPLY_SET_OPTIONS_VERSION, NULL, 0, NULL, NULL }

/** @return 0, or K8SMIG_EINVAL for an unknown version or NULL opts. @since 0.1 */
K8SMIG_EXTERN(k8smig_status) k8smig_apply_set_options_init(k8smig_apply_set_options *opts, unsigned int version);

/**
 * Apply a set in dependency phases (Namespace, CRD [waits for Established],
 * ServiceAccount, ConfigMap/Secret, StorageClass, PV, PVC, RBAC, SecretStore,
 * ExternalSecret, Issuer, Certificate, Service, DaemonSet, Deployment, HPA,
 * IngressClass, Ingress, other kinds), whatever the input order, with up to
 * max_parallel requests in flight inside a phase. A Deployment targeted by an
 * HPA of the set is applied without spec.replicas. Every object gets a result;
 * a failed object does not stop its phase, but later phases are not started
 * once a phase had failures (their objects are reported failed, not applied).
 *
 * Once the set ran, the call succeeds and the results say, object by object,
 * what happened (k8smig_apply_results_failed() counts the failures): a set
 * with failed objects still returns 0. It fails, with *out NULL, only when
 * nothing could be applied for one reason: bad arguments, an object with a
 * sticky error (the message names it), or every object failing with the same
 * cause that is not the objects' own (server unreachable: K8SMIG_ETRANSPORT;
 * Forbidden or Unauthorized: K8SMIG_EAUTH; K8SMIG_ETIMEOUT; K8SMIG_EAPI),
 * which is then the return code, with the first object's error.
 * @param out (owned) one result per object, in input order
 * @return 0; K8SMIG_ETRANSPORT, K8SMIG_EAUTH, K8SMIG_ETIMEOUT or K8SMIG_EAPI when every object failed for that one reason;
 *         an object's sticky error; K8SMIG_EINVAL; K8SMIG_EBUSY; K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_client_apply_set(k8smig_apply_results **out, k8smig_client *c, const k8smig_object_list *set, const k8smig_apply_set_options *opts) K8SMIG_WARN_UNUSED;

/** Free results. Accepts NULL. @since 0.1 */
K8SMIG_EXTERN(void) k8smig_apply_results_free(k8smig_apply_results *r);
/** @return the number of results. @since 0.1 */
K8SMIG_EXTERN(size_t) k8smig_apply_results_size(const k8smig_apply_results *r);
/** @return the number of failed objects (0 when every object was applied). @since 0.1 */
K8SMIG_EXTERN(size_t) k8smig_apply_results_failed(const k8smig_apply_results *r);
/** @return (borrowed) result i, or NULL. @since 0.1 */
K8SMIG_EXTERN(const k8smig_apply_result *) k8smig_apply_results_get(const k8smig_apply_results *r, size_t i);
/**
 * The object as the server returned it after applying result i.
 * @return (borrowed) NULL for failed objects; valid until r is freed
 * @since 0.1
 */
K8SMIG_EXTERN(const k8smig_object *) k8smig_apply_results_object(const k8smig_apply_results *r, size_t i);
/** @return a static name: "created", "configured", "unchanged", "failed". @since 0.1 */
K8SMIG_EXTERN(const char *) k8smig_apply_action_name(k8smig_apply_action action);

K8SMIG_END_DECL

#endif /* K8SMIG_CLIENT_H */
