/*
 * k8smig/migrate.h - the migration engine: a migration spec in, the whole
 * Kustomize tree, AWS artefacts, CI workflow and runbooks out.
 *
 * A spec (docs/spec.md) describes one system: its AWS account, environments,
 * services, shared config, storage, logging, alarms and CI. The library
 * bundles one: the layering-detection system of the reference migration plan.
 *
 *     k8smig_spec *spec;
 *     k8smig_generate_options o = K8SMIG_GENERATE_OPTIONS_INIT;
 *     if (k8smig_spec_load_file(&spec, "migration.yaml") < 0)
 *             ... k8smig_error_last(): file, line, path ("services[1].cpu") ...
 *     if (k8smig_generate(NULL, spec, "out", &o) < 0) ...
 *     k8smig_spec_free(spec);
 *
 * Output is deterministic (same spec, same bytes) and written atomically:
 * the tree is built in a temporary directory beside the target first, so a
 * failure leaves an existing tree as it was.
 */
#ifndef K8SMIG_MIGRATE_H
#define K8SMIG_MIGRATE_H

#include "common.h"
#include "object.h"

K8SMIG_BEGIN_DECL

/** A loaded, checked migration spec. Immutable once loaded. */
typedef struct k8smig_spec k8smig_spec;

/**
 * Load a spec from YAML (or JSON) text. Every field has a default; unknown
 * fields and wrong types are errors.
 * @param out (owned) the spec; NULL on failure
 * @param data the text
 * @param len its length in bytes
 * @param source_name (optional) file name used in errors
 * @return 0; K8SMIG_EPARSE (malformed YAML: line, column); K8SMIG_ESCHEMA
 *         (unknown field, wrong type, missing or invalid value: the error has
 *         file, line and the spec path, e.g. "services[2].image"); K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_spec_load(k8smig_spec **out, const char *data, size_t len, const char *source_name);

/**
 * Load a spec from a file.
 * @param out (owned) the spec; NULL on failure
 * @return as k8smig_spec_load(); K8SMIG_ENOTFOUND or K8SMIG_EIO when the file cannot be read
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_spec_load_file(k8smig_spec **out, const char *path);

/**
 * Load the bundled spec (the layering-detection system of the reference plan).
 * @param out (owned) the spec
 * @return 0; K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_spec_load_default(k8smig_spec **out);

/**
 * The text of the bundled spec, to print or to start a new spec from.
 * @return (borrowed) static NUL-terminated YAML
 * @since 0.1
 */
K8SMIG_EXTERN(const char *) k8smig_spec_default_text(void);

/** Free a spec. Accepts NULL. @since 0.1 */
K8SMIG_EXTERN(void) k8smig_spec_free(k8smig_spec *spec);

/** @return (borrowed) the system's name ("layering-detection"). @since 0.1 */
K8SMIG_EXTERN(const char *) k8smig_spec_name(const k8smig_spec *spec);

/** @return the number of environments. @since 0.1 */
K8SMIG_EXTERN(size_t) k8smig_spec_environment_count(const k8smig_spec *spec);

/** @return (borrowed) the name of environment i (spec order), or NULL. @since 0.1 */
K8SMIG_EXTERN(const char *) k8smig_spec_environment_name(const k8smig_spec *spec, size_t i);

/** @return (borrowed) the namespace of environment i, or NULL. @since 0.1 */
K8SMIG_EXTERN(const char *) k8smig_spec_environment_namespace(const k8smig_spec *spec, size_t i);

/**
 * The Kubernetes objects of the system, as the tree's kustomizations render
 * them: for environment NULL the base objects (no namespace, images without
 * registry and tag, HPA bounds of the spec; nothing cluster-scoped); for an
 * environment's name everything that environment needs: its part of the
 * admin layer k8s/cluster (its Namespace, the StorageClass, its static
 * PersistentVolumes, and last the CI group's Role and RoleBinding) and the
 * objects of its overlay (namespace, ECR images and tag, HPA bounds and
 * resources scaled, TLS, and the External Secrets objects: that environment's
 * entries, read by its own role; the base has none). Cluster-wide
 * monitoring objects are not included.
 * @param out (owned) the objects, in the tree's order
 * @param spec a loaded spec
 * @param environment an environment's name, or NULL for the base
 * @return 0; K8SMIG_ENOTFOUND (no such environment; path "environments");
 *         K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_plan(k8smig_object_list **out, const k8smig_spec *spec, const char *environment);

/** What generation does (or would do) to one file. */
typedef enum k8smig_change {
	K8SMIG_CHANGE_NONE = 0,     /**< the file already has these bytes */
	K8SMIG_CHANGE_CREATE = 1,   /**< the file does not exist yet */
	K8SMIG_CHANGE_UPDATE = 2    /**< the file exists with other bytes */
} k8smig_change;

/**
 * Called once per generated file, in path order, with its path relative
 * to the output directory ("k8s/base/namespace.yaml"). Return non-zero to stop.
 */
typedef int (*k8smig_generate_cb)(const char *path, k8smig_change change, void *payload);

/** Generation flags. */
#define K8SMIG_GENERATE_CHECK 0x1u  /**< write nothing; report what would change */

/** Options for k8smig_generate(). */
typedef struct k8smig_generate_options {
	unsigned int version;        /**< K8SMIG_GENERATE_OPTIONS_VERSION */
	unsigned int flags;          /**< K8SMIG_GENERATE_* */
	k8smig_generate_cb on_file;  /**< (optional) called for every file, changed or not */
	void *payload;               /**< passed to on_file */
} k8smig_generate_options;

#define K8SMIG_GENERATE_OPTIONS_VERSION 1
#define K8SMIG_GENERATE_OPTIONS_INIT { K8SMIG_GENERATE_OPTIONS_VERSION, 0, NULL, NULL }

/** Initialise opts. @return 0, or K8SMIG_EINVAL for an unknown version. @since 0.1 */
K8SMIG_EXTERN(k8smig_status) k8smig_generate_options_init(k8smig_generate_options *opts, unsigned int version);

/**
 * Generate the whole tree (k8s/, aws/, .github/workflows/deploy.yml) under
 * out_dir. Files are built in memory, then written into a temporary
 * directory beside out_dir (same file system) with fsync, then renamed into
 * place one by one (each rename is atomic); when out_dir does not exist the
 * whole temporary directory is renamed to it. Files with the same bytes are
 * not touched. Files the tree does not contain are left alone.
 * With K8SMIG_GENERATE_CHECK nothing is written: on_file reports each
 * file's change and changed_out counts the files that would change.
 * Nothing is written through a symbolic link: a link at any entry of the
 * tree, at out_dir itself or, for a relative out_dir, at any of its
 * components is refused (K8SMIG_EIO naming it) before anything is written.
 * @param changed_out (optional) files created or updated (or that would be,
 *        with K8SMIG_GENERATE_CHECK); 0 when the tree is up to date
 * @param spec a loaded spec
 * @param out_dir output directory (created when absent)
 * @param opts NULL for defaults
 * @return 0; K8SMIG_EIO (the file is named in the error); K8SMIG_EINVAL;
 *         K8SMIG_ENOMEM; K8SMIG_ERROR when on_file stops it
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_generate(size_t *changed_out, const k8smig_spec *spec, const char *out_dir,
                                             const k8smig_generate_options *opts);

K8SMIG_END_DECL

#endif /* K8SMIG_MIGRATE_H */
