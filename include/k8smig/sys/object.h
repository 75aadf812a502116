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
 * Bytes the object holds, for measurements: its handle and its arena, one
 * block that holds the whole tree (nodes, keys and strings), grown by 1.5x,
 * plus what removed fields left behind. A built object's first arena (about
 * 2.5 KB) is allocated with the handle; once the tree outgrows it, it stays
 * allocated and is counted beside the arena that replaced it.
 * @return the bytes allocated for the object, 0 for NULL
 * @since 0.1
 */
K8SMIG_EXTERN(size_t) k8smig_object_memory(const k8smig_object *obj);

K8SMIG_END_DECL

#endif /* K8SMIG_SYS_OBJECT_H */
