/*
 * k8smig/render.h - build a kustomization directory in-library, like
 * `kubectl kustomize DIR`.
 *
 * Supported (kustomize.config.k8s.io/v1beta1 Kustomization): resources
 * (files and directories, recursively), namespace, namePrefix, nameSuffix,
 * labels, commonLabels, commonAnnotations, images, replicas, patches
 * (strategic merge and JSON 6902), patchesStrategicMerge, patchesJson6902,
 * configMapGenerator, secretGenerator, generatorOptions and sortOptions.
 * Generated ConfigMaps and Secrets get kustomize's content-hash suffix and
 * every reference to a renamed object is rewritten. The output equals
 * kubectl kustomize's (as data, in kustomize's legacy order) and the work
 * is linear in the number of objects. docs/render.md has the details.
 */
#ifndef K8SMIG_RENDER_H
#define K8SMIG_RENDER_H

#include "common.h"
#include "object.h"

K8SMIG_BEGIN_DECL

/** Render flags. */
#define K8SMIG_RENDER_LOAD_ANYWHERE 0x1u  /**< files may lie outside their kustomization's directory
                                               (kustomize --load-restrictor LoadRestrictionsNone) */
#define K8SMIG_RENDER_KEEP_ORDER 0x2u     /**< keep input order (kustomize sortOptions order: fifo) */

/** Options for k8smig_render(). */
typedef struct k8smig_render_options {
	unsigned int version;   /**< K8SMIG_RENDER_OPTIONS_VERSION */
	unsigned int flags;     /**< K8SMIG_RENDER_* */
} k8smig_render_options;

#define K8SMIG_RENDER_OPTIONS_VERSION 1
#define K8SMIG_RENDER_OPTIONS_INIT { K8SMIG_RENDER_OPTIONS_VERSION, 0 }

/**
 * Initialise opts with defaults.
 * @return 0, or K8SMIG_EINVAL for an unknown version
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_render_options_init(k8smig_render_options *opts, unsigned int version);

/**
 * Build the kustomization in dir (which holds kustomization.yaml,
 * kustomization.yml or Kustomization).
 * @param out (owned) the resulting objects in output order; NULL on failure
 * @param dir the kustomization directory
 * @param opts NULL for defaults (root-only file loading, legacy order)
 * @return 0;
 *         K8SMIG_EPARSE (a file is not valid YAML: error file, line, column);
 *         K8SMIG_EINVAL (a kustomization, patch or generator is wrong: error
 *         file and field path such as "patches[1].target", or a cycle of
 *         resources, or a name conflict);
 *         K8SMIG_ENOTFOUND (a file or directory is missing: error file names it);
 *         K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_render(k8smig_object_list **out, const char *dir, const k8smig_render_options *opts);

K8SMIG_END_DECL

#endif /* K8SMIG_RENDER_H */
