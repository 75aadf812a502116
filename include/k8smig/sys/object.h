/*
 * k8smig/sys/object.h - what embedders rarely need about objects.
 *
 * The sys/ headers are the extension tier (as libgit2's git2/sys): not
 * included by <k8smig.h>, include them by name; they are stable only within
 * a minor release.
 */
#ifndef K8SMIG_SYS_OBJECT_H
#define K8SMIG_SYS_OBJECT_H

#include "../common.h"
#include "../object.h"

K8SMIG_BEGIN_DECL

/**
 * Bytes the object's arena holds, for measurements: one allocation holds the
 * whole tree (nodes, keys and strings), grown by 1.5x, so this is at least
 * what the object needs and at most 1.5 times that plus what removed fields
 * left behind.
 * @return the arena's capacity in bytes, 0 for NULL
 * @since 0.1
 */
K8SMIG_EXTERN(size_t) k8smig_object_memory(const k8smig_object *obj);

K8SMIG_END_DECL

#endif /* K8SMIG_SYS_OBJECT_H */
