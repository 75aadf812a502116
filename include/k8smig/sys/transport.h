/*
 * k8smig/sys/transport.h - a hook on the client's HTTP exchanges, for
 * injecting the faults a real API server does not produce on demand (a
 * truncated body, a burst of 503s, a connection reset) and for observing
 * every request. Extension tier: include it by name; stable only within a
 * minor release.
 */
#ifndef K8SMIG_SYS_TRANSPORT_H
#define K8SMIG_SYS_TRANSPORT_H

#include "../common.h"
#include "../client.h"

K8SMIG_BEGIN_DECL

/** One finished exchange, as the hook sees it and may change it. */
typedef struct k8smig_transport_exchange {
	const char *method;        /**< in: "GET", "PATCH", ... */
	const char *url;           /**< in: the full URL */
	unsigned int attempt;      /**< in: 1 for the first try, 2 for the first retry, ... */
	long status;               /**< in/out: the HTTP status (0 when the connection failed) */
	bool connection_failed;    /**< in/out: set true to turn the exchange into a broken connection
	                                (retried like a reset) */
	const char *body;          /**< in: the response body (not NUL-terminated) */
	size_t body_len;           /**< in: its length */
	const char *new_body;      /**< out: when not NULL, replaces the body (copied) */
	size_t new_body_len;       /**< out: its length */
} k8smig_transport_exchange;

/** Called after each exchange, on the thread using the client. */
typedef void (*k8smig_transport_hook)(k8smig_transport_exchange *exchange, void *payload);

/**
 * Set (or with NULL, remove) the hook called after every HTTP exchange of
 * c's requests: single operations, discovery and apply_set. A watch's
 * stream does not go through it. The hook's changes are what the client then
 * sees: its retries, errors and results follow them.
 * @return 0; K8SMIG_EINVAL (NULL client); K8SMIG_EBUSY
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_client_set_transport_hook(k8smig_client *c, k8smig_transport_hook hook, void *payload);

K8SMIG_END_DECL

#endif /* K8SMIG_SYS_TRANSPORT_H */
