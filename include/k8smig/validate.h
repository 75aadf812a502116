/*
 * k8smig/validate.h - validation and lints over one object or a whole set.
 *
 * Findings carry a severity, a stable code (e.g. "K8SMIG-NAME-INVALID"),
 * the object they are about, the field path and a message. Validation never
 * fails because the input is wrong: it returns findings. It fails only for
 * bad arguments or memory.
 */
#ifndef K8SMIG_VALIDATE_H
#define K8SMIG_VALIDATE_H

#include "common.h"
#include "object.h"

K8SMIG_BEGIN_DECL

typedef enum k8smig_severity {
	K8SMIG_SEVERITY_ERROR = 0,    /**< the API server or the cluster would reject or break it */
	K8SMIG_SEVERITY_WARNING = 1,  /**< accepted, but likely wrong (AWS lints, risky settings) */
	K8SMIG_SEVERITY_INFO = 2
} k8smig_severity;

/** One finding. All strings borrowed from the report; never NULL (may be ""). */
typedef struct k8smig_finding {
	k8smig_severity severity;
	const char *code;       /**< stable identifier, documented in docs/validation.md */
	const char *kind;       /**< object kind */
	const char *namespace_; /**< object namespace ("" for cluster-scoped or unset) */
	const char *name;       /**< object name */
	const char *path;       /**< field path within the object */
	const char *message;    /**< one line, never containing a secret value */
	const char *source;     /**< file the object came from, or "" */
	int line;               /**< its document's line, or 0 */
} k8smig_finding;

typedef struct k8smig_report k8smig_report;

/** Options for validation. */
typedef struct k8smig_validate_options {
	unsigned int version;     /**< K8SMIG_VALIDATE_OPTIONS_VERSION */
	unsigned int flags;       /**< K8SMIG_VALIDATE_* */
} k8smig_validate_options;

#define K8SMIG_VALIDATE_NO_LINTS 0x1u      /**< skip the AWS/EKS lints (warnings) */
#define K8SMIG_VALIDATE_NO_CROSS 0x2u      /**< skip the checks across objects of a set */
#define K8SMIG_VALIDATE_FARGATE 0x4u       /**< pods run on EKS Fargate (ALB target-type lint) even without hints in the set */
#define K8SMIG_VALIDATE_OPTIONS_VERSION 1
#define K8SMIG_VALIDATE_OPTIONS_INIT { K8SMIG_VALIDATE_OPTIONS_VERSION, 0 }

/** @return 0, or K8SMIG_EINVAL for an unknown version. @since 0.1 */
K8SMIG_EXTERN(k8smig_status) k8smig_validate_options_init(k8smig_validate_options *opts, unsigned int version);

/**
 * Validate every object of a set, each alone and all together. An object
 * whose setter failed (sticky error) is a K8SMIG-OBJECT-FAILED finding with
 * the failure's path and message, among the findings of the others.
 * @param out (owned) the report (possibly with zero findings)
 * @param opts NULL for defaults
 * @return 0; K8SMIG_EINVAL (NULL argument, bad options); K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_validate(k8smig_report **out, const k8smig_object_list *set, const k8smig_validate_options *opts);

/**
 * Validate one object alone; returns its first error-severity finding as a
 * K8SMIG_ESCHEMA error (path = field path), or the object's sticky error.
 * @return 0, K8SMIG_ESCHEMA, the sticky error, K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_object_validate(const k8smig_object *obj);

/** Free a report. Accepts NULL. @since 0.1 */
K8SMIG_EXTERN(void) k8smig_report_free(k8smig_report *report);
/** @return the number of findings. @since 0.1 */
K8SMIG_EXTERN(size_t) k8smig_report_size(const k8smig_report *report);
/** @return the number of findings of that severity. @since 0.1 */
K8SMIG_EXTERN(size_t) k8smig_report_count(const k8smig_report *report, k8smig_severity severity);
/** @return (borrowed) finding i, or NULL when out of range. @since 0.1 */
K8SMIG_EXTERN(const k8smig_finding *) k8smig_report_get(const k8smig_report *report, size_t i);

K8SMIG_END_DECL

#endif /* K8SMIG_VALIDATE_H */
