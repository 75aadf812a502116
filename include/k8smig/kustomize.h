/*
 * k8smig/kustomize.h - kustomization.yaml (kustomize.config.k8s.io/v1beta1) builders.
 *
 * A Kustomization is the same k8smig_object handle (it has no metadata).
 * Conventions as in identity.h: validated setters, field paths in errors,
 * sticky failures, K8SMIG_EKIND for other kinds.
 */
#ifndef K8SMIG_KUSTOMIZE_H
#define K8SMIG_KUSTOMIZE_H

#include "common.h"
#include "object.h"

K8SMIG_BEGIN_DECL

/** Sources of a configMapGenerator entry. */
typedef enum k8smig_generator_source {
	K8SMIG_GENERATOR_LITERAL = 0,  /**< literals[]: "KEY=value" */
	K8SMIG_GENERATOR_FILE = 1,     /**< files[]: "path" or "key=path" */
	K8SMIG_GENERATOR_ENV = 2       /**< envs[]: a KEY=value file */
} k8smig_generator_source;

/**
 * Create an empty Kustomization.
 * @param out (owned) the new object; NULL on failure
 * @return 0; K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_kustomization_new(k8smig_object **out);

/**
 * Append resources[]: a file, a directory (base) or a URL.
 * @param k a Kustomization
 * @param path relative path or URL, without blanks
 * @return 0; K8SMIG_EINVAL (path resources[i]); K8SMIG_EKIND; K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_kustomization_add_resource(k8smig_object *k, const char *path);

/**
 * Set namespace: every namespaced resource is moved to it.
 * @param k a Kustomization
 * @param ns a DNS-1123 label
 * @return 0; K8SMIG_EINVAL (path namespace); K8SMIG_EKIND; K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_kustomization_set_namespace(k8smig_object *k, const char *ns);

/**
 * Append images[]: rewrite an image reference in every container.
 * @param k a Kustomization
 * @param name the image name as written in the containers (without tag)
 * @param new_name (optional) replacement repository, e.g. an ECR URL
 * @param new_tag (optional) replacement tag, e.g. a commit SHA
 * @param digest (optional) "sha256:..." instead of a tag
 * @return 0; K8SMIG_EINVAL (path images[i].name, .newName, .newTag or .digest); K8SMIG_EKIND; K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_kustomization_add_image(k8smig_object *k, const char *name, const char *new_name,
                                                            const char *new_tag, const char *digest);

/**
 * Append replicas[]: set a workload's replica count (0 survives emit and parse).
 * @param k a Kustomization
 * @param name the workload's name
 * @param count 0 or more
 * @return 0; K8SMIG_EINVAL (path replicas[i].name or .count); K8SMIG_EKIND; K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_kustomization_add_replicas(k8smig_object *k, const char *name, int32_t count);

/**
 * Add a label to every resource (labels[].pairs). Labels with the same
 * include_selectors share one entry.
 * @param k a Kustomization
 * @param key a label key
 * @param value a label value
 * @param include_selectors also add it to selectors (immutable on Deployments: choose once)
 * @return 0; K8SMIG_EINVAL (path labels[i].pairs or labels[i].pairs[key]); K8SMIG_EKIND; K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_kustomization_add_label(k8smig_object *k, const char *key, const char *value,
                                                            bool include_selectors);

/**
 * Append patches[]: a patch file (path) or an inline patch with a target.
 * Give exactly one of path and patch.
 * @param k a Kustomization
 * @param path (optional) relative path of a strategic-merge or JSON 6902 patch file
 * @param patch (optional) the patch text
 * @param target_kind (optional) kind of the objects to patch
 * @param target_name (optional) name of the object to patch
 * @return 0; K8SMIG_EINVAL (path patches[i].path, .patch or .target.kind/.name); K8SMIG_EKIND; K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_kustomization_add_patch(k8smig_object *k, const char *path, const char *patch,
                                                            const char *target_kind, const char *target_name);

/**
 * Append configMapGenerator[]; fill it with k8smig_kustomization_add_generator_source().
 * @param index_out (optional) the generator's index
 * @param k a Kustomization
 * @param name the ConfigMap's name (kustomize appends a content hash)
 * @param behavior (optional) "create", "replace" or "merge" (overlays)
 * @return 0; K8SMIG_EINVAL (path configMapGenerator[i].name or .behavior); K8SMIG_EKIND; K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_kustomization_add_config_map_generator(size_t *index_out, k8smig_object *k,
                                                                           const char *name, const char *behavior);

/**
 * Append a literal, file or env file to a configMapGenerator entry.
 * @param k a Kustomization
 * @param generator the generator's index
 * @param source literals, files or envs
 * @param text "KEY=value" for a literal (KEY as a ConfigMap key), a path otherwise
 * @return 0; K8SMIG_EINVAL (path configMapGenerator[g].literals[i], .files[i] or .envs[i]);
 *         K8SMIG_ENOTFOUND (path configMapGenerator[g]); K8SMIG_EKIND; K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_kustomization_add_generator_source(k8smig_object *k, size_t generator,
                                                                       k8smig_generator_source source, const char *text);

K8SMIG_END_DECL

#endif /* K8SMIG_KUSTOMIZE_H */
