/*
 * k8smig/common.h - export macros, status type, K8SMIG_UNSET and memory release.
 *
 * Part of libk8smig. Applications include <k8smig.h>, not this file.
 */
#ifndef K8SMIG_COMMON_H
#define K8SMIG_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

/* Binding generators (SWIG) define these themselves before including us. */
#ifndef K8SMIG_BEGIN_DECL
# ifdef __cplusplus
#  define K8SMIG_BEGIN_DECL extern "C" {
#  define K8SMIG_END_DECL }
# else
#  define K8SMIG_BEGIN_DECL
#  define K8SMIG_END_DECL
# endif
#endif

#ifndef K8SMIG_EXTERN
# if defined(__GNUC__) && __GNUC__ >= 4
#  define K8SMIG_EXTERN(type) extern __attribute__((visibility("default"))) type
# else
#  define K8SMIG_EXTERN(type) extern type
# endif
#endif

/*
 * On functions that hand out ownership through `out`: ignoring their status
 * means using a NULL `*out` later, so the compiler says so. There is no
 * nonnull attribute: NULL arguments are K8SMIG_EINVAL at run time, and
 * nonnull would let the compiler delete those checks.
 */
#ifndef K8SMIG_WARN_UNUSED
# if defined(__GNUC__) && __GNUC__ >= 4
#  define K8SMIG_WARN_UNUSED __attribute__((warn_unused_result))
# else
#  define K8SMIG_WARN_UNUSED
# endif
#endif

K8SMIG_BEGIN_DECL

/**
 * Return type of every fallible function: 0 on success, a negative
 * k8smig_error_code on failure (details in k8smig_error_last()).
 */
typedef int k8smig_status;

/**
 * An integer option the caller did not set (0 is a value, so "unset" is -1),
 * used by the workload and scaling builders.
 * @since 0.1
 */
#define K8SMIG_UNSET (-1)

/**
 * Release a string or buffer that the library returned as owned.
 * Accepts NULL. Never use free() on library memory.
 * @since 0.1
 */
K8SMIG_EXTERN(void) k8smig_free(void *ptr);

K8SMIG_END_DECL

#endif /* K8SMIG_COMMON_H */
