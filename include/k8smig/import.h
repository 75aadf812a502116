/*
 * k8smig/import.h - import the running ECS system into a migration spec,
 * with a report of every decision.
 *
 * Inputs are what the AWS and Terraform CLIs print: `aws ecs
 * describe-task-definition` (wrapped in "taskDefinition" or bare),
 * `aws ecs describe-services`, `aws application-autoscaling
 * describe-scalable-targets` / `describe-scaling-policies`, and
 * `terraform show -json` of a state or a plan (modules included).
 *
 *     k8smig_import *imp;
 *     k8smig_object *doc;
 *     k8smig_spec *spec;
 *     k8smig_import_new(&imp, NULL);
 *     k8smig_import_add_file(imp, K8SMIG_IMPORT_TASK_DEFINITION, "td.json");
 *     k8smig_import_add_file(imp, K8SMIG_IMPORT_SERVICES, "services.json");
 *     if (k8smig_import_build(&doc, imp) < 0) ... k8smig_error_last(): file and JSON path ...
 *     k8smig_spec_load_object(&spec, doc, "imported");   (as a hand-written spec)
 *     k8smig_import_report(&text, NULL, imp, K8SMIG_IMPORT_REPORT_TEXT);
 *
 * The spec document is a plain spec (docs/spec.md): emitted as YAML it
 * loads exactly as the object does. The report lists, for every source
 * field read, whether it was mapped (to which spec field and Kubernetes
 * object), approximated (and how), dropped (and why), or is a decision a
 * person must still take; in a stable order (inputs in the order added,
 * fields in document order). docs/import.md has the mapping rules.
 */
#ifndef K8SMIG_IMPORT_H
#define K8SMIG_IMPORT_H

#include "common.h"
#include "object.h"
#include "migrate.h"

K8SMIG_BEGIN_DECL

/** An import in progress: inputs added, then built once. */
typedef struct k8smig_import k8smig_import;

/** What an input holds. */
typedef enum k8smig_import_kind {
	K8SMIG_IMPORT_TASK_DEFINITION = 1,   /**< describe-task-definition output, or a bare task definition */
	K8SMIG_IMPORT_SERVICES = 2,          /**< describe-services output ("services": [...]) */
	K8SMIG_IMPORT_SCALABLE_TARGETS = 3,  /**< describe-scalable-targets output */
	K8SMIG_IMPORT_SCALING_POLICIES = 4,  /**< describe-scaling-policies output */
	K8SMIG_IMPORT_TERRAFORM = 5          /**< terraform show -json (state or plan) */
} k8smig_import_kind;

/** Options for k8smig_import_new(). */
typedef struct k8smig_import_options {
	unsigned int version;        /**< K8SMIG_IMPORT_OPTIONS_VERSION */
	const char *name;            /**< (optional) the system's name; default: the ECS cluster's */
	/**
	 * (optional, copied by k8smig_import_new()) a spec document whose name,
	 * aws, environments and ci sections are kept (what ECS does not know:
	 * the EKS cluster, its OIDC provider, environments, CI); every other
	 * section comes from the import.
	 */
	const k8smig_object *base;
} k8smig_import_options;

#define K8SMIG_IMPORT_OPTIONS_VERSION 1
#define K8SMIG_IMPORT_OPTIONS_INIT { K8SMIG_IMPORT_OPTIONS_VERSION, NULL, NULL }

/** Initialise opts. @return 0, or K8SMIG_EINVAL for an unknown version. @since 0.2 */
K8SMIG_EXTERN(k8smig_status) k8smig_import_options_init(k8smig_import_options *opts, unsigned int version);

/**
 * Start an import.
 * @param out (owned) the import; NULL on failure
 * @param opts NULL for defaults
 * @return 0; K8SMIG_EINVAL (bad options); K8SMIG_ENOMEM
 * @since 0.2
 */
K8SMIG_EXTERN(k8smig_status) k8smig_import_new(k8smig_import **out, const k8smig_import_options *opts);

/** Free an import. Accepts NULL. @since 0.2 */
K8SMIG_EXTERN(void) k8smig_import_free(k8smig_import *imp);

/**
 * Add one input (JSON text). It is parsed and its top-level shape checked
 * now (a Terraform state is turned into its ECS documents now); the fields
 * are checked by k8smig_import_build(). A failed add leaves the import as
 * it was.
 * @param source_name (optional) file name for errors and the report
 * @return 0; K8SMIG_EPARSE (malformed or truncated JSON: file, line,
 *         column); K8SMIG_ESCHEMA (wrong type, missing field, unknown ARN:
 *         the error's path is the JSON path, e.g.
 *         "taskDefinition.containerDefinitions[1].cpu"); K8SMIG_EINVAL
 *         (bad kind, or the import was already built); K8SMIG_ENOMEM
 * @since 0.2
 */
K8SMIG_EXTERN(k8smig_status) k8smig_import_add(k8smig_import *imp, k8smig_import_kind kind, const char *data, size_t len,
                                               const char *source_name);

/**
 * As k8smig_import_add(), reading a file (at most 64 MiB).
 * @return as k8smig_import_add(); K8SMIG_ENOTFOUND or K8SMIG_EIO
 * @since 0.2
 */
K8SMIG_EXTERN(k8smig_status) k8smig_import_add_file(k8smig_import *imp, k8smig_import_kind kind, const char *path);

/**
 * Map the inputs to a spec document (once per import).
 * @param out (owned) the spec as an object, ready for
 *        k8smig_spec_load_object() or k8smig_object_emit()
 * @return 0; K8SMIG_ESCHEMA (no task definition, two task definitions for
 *         one service, a secret variable with two sources, ...: the error
 *         names the input and JSON path); K8SMIG_EINVAL (built already);
 *         K8SMIG_ENOMEM
 * @since 0.2
 */
K8SMIG_EXTERN(k8smig_status) k8smig_import_build(k8smig_object **out, k8smig_import *imp);

/** Report formats. */
typedef enum k8smig_import_report_format {
	K8SMIG_IMPORT_REPORT_JSON = 0,  /**< {"services": [...], "entries": [...]} */
	K8SMIG_IMPORT_REPORT_TEXT = 1,  /**< a terminal summary */
	K8SMIG_IMPORT_REPORT_HTML = 2   /**< one self-contained page: per service, colour-coded rows, source -> target */
} k8smig_import_report_format;

/**
 * The migration report of a built import.
 * @param out (owned) NUL-terminated text; free with k8smig_free()
 * @param len_out (optional) its length
 * @return 0; K8SMIG_EINVAL (not built yet, bad format); K8SMIG_ENOMEM
 * @since 0.2
 */
K8SMIG_EXTERN(k8smig_status) k8smig_import_report(char **out, size_t *len_out, const k8smig_import *imp,
                                                  k8smig_import_report_format format);

/**
 * Counts of the report's entries by status.
 * @param counts_out mapped, approximated, dropped, decide (4 numbers); NULL: nothing is written
 * @since 0.2
 */
K8SMIG_EXTERN(void) k8smig_import_report_counts(const k8smig_import *imp, size_t counts_out[4]);

/**
 * Load a spec from a document already parsed (or built by
 * k8smig_import_build()): the same rules and errors as k8smig_spec_load(),
 * without line numbers.
 * @param out (owned) the spec; NULL on failure
 * @param source_name (optional) name used in errors
 * @return 0; K8SMIG_ESCHEMA (with the spec path); K8SMIG_EINVAL; K8SMIG_ENOMEM
 * @since 0.2
 */
K8SMIG_EXTERN(k8smig_status) k8smig_spec_load_object(k8smig_spec **out, const k8smig_object *doc, const char *source_name);

K8SMIG_END_DECL

#endif /* K8SMIG_IMPORT_H */
