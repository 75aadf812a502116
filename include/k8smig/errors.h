/*
 * k8smig/errors.h - error codes and the per-thread last error.
 */
#ifndef K8SMIG_ERRORS_H
#define K8SMIG_ERRORS_H

#include "common.h"

K8SMIG_BEGIN_DECL

/** Error codes. Append-only; values are never renumbered. */
typedef enum k8smig_error_code {
	K8SMIG_OK = 0,
	K8SMIG_ERROR = -1,       /**< generic failure */
	K8SMIG_ENOMEM = -2,      /**< out of memory, or an internal size limit */
	K8SMIG_EINVAL = -3,      /**< invalid argument or value */
	K8SMIG_EKIND = -4,       /**< function does not apply to this object's kind, or wrong value type */
	K8SMIG_EPARSE = -5,      /**< malformed YAML or JSON, or a parse limit was hit */
	K8SMIG_ESCHEMA = -6,     /**< well-formed input that breaks a schema rule */
	K8SMIG_ENOTFOUND = -7,   /**< no such field, file, object or resource */
	K8SMIG_EEXISTS = -8,     /**< already exists */
	K8SMIG_ECONFLICT = -9,   /**< conflict (field manager, resource version) */
	K8SMIG_EAUTH = -10,      /**< authentication or authorization failure */
	K8SMIG_ETRANSPORT = -11, /**< connection, TLS or protocol failure */
	K8SMIG_EAPI = -12,       /**< the API server refused the request */
	K8SMIG_ETIMEOUT = -13,   /**< a deadline passed */
	K8SMIG_EIO = -14,        /**< reading or writing a file failed */
	K8SMIG_EBUSY = -15       /**< the handle is in use by another thread */
} k8smig_error_code;

/**
 * The last error of the calling thread. Read-only; fields are append-only.
 * Strings are never NULL (empty when unknown); numbers are 0 when unknown.
 */
typedef struct k8smig_error {
	int code;             /**< a k8smig_error_code */
	const char *message;  /**< one line, no secrets */
	const char *path;     /**< field path, e.g. spec.template.spec.containers[0].image */
	int line;             /**< 1-based line of a parse error, else 0 */
	int column;           /**< 1-based column of a parse error, else 0 */
	int http_status;      /**< HTTP status of an API error, else 0 */
	const char *reason;   /**< API Status reason (NotFound, Conflict, ...) */
	const char *file;     /**< file being read or written, when there is one */
} k8smig_error;

/**
 * The calling thread's last error. Read it right after a negative return.
 * @return (borrowed) never NULL; valid until the next failing call on this thread
 * @since 0.1
 */
K8SMIG_EXTERN(const k8smig_error *) k8smig_error_last(void);

/**
 * Reset the calling thread's last error to code 0 with empty strings.
 * @since 0.1
 */
K8SMIG_EXTERN(void) k8smig_error_clear(void);

/**
 * A static English name for an error code ("EINVAL", ...).
 * @return (borrowed) static string; "ERROR" for unknown codes
 * @since 0.1
 */
K8SMIG_EXTERN(const char *) k8smig_error_name(int code);

K8SMIG_END_DECL

#endif /* K8SMIG_ERRORS_H */
