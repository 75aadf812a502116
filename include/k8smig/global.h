/*
 * k8smig/global.h - process-wide setup: k8smig_init() and k8smig_shutdown().
 *
 * Part of libk8smig. Applications include <k8smig.h>, not this file.
 */
#ifndef K8SMIG_GLOBAL_H
#define K8SMIG_GLOBAL_H

#include "common.h"

K8SMIG_BEGIN_DECL

/**
 * Initialise process-wide state (libcurl). Call it before creating the first
 * k8smig_client (k8smig_client_new() refuses with K8SMIG_EINVAL otherwise),
 * and pair every successful call with one k8smig_shutdown(). Counted and
 * thread-safe, like git_libgit2_init(). The model, the serializers,
 * validation and the planner work without it.
 * @return the new init count (> 0), or a negative code
 * @since 0.1
 */
K8SMIG_EXTERN(int) k8smig_init(void);

/**
 * Undo one k8smig_init(); the last one releases process-wide state. Free
 * every client first.
 * @return the remaining init count, or K8SMIG_ERROR when not initialised
 * @since 0.1
 */
K8SMIG_EXTERN(int) k8smig_shutdown(void);

K8SMIG_END_DECL

#endif /* K8SMIG_GLOBAL_H */
