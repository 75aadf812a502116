/*
 * lib/model/names.h - the one implementation of the Kubernetes name and label
 * syntax (k8s.io/apimachinery/pkg/util/validation), used by the typed
 * builders, validation and the spec reader alike (never exported).
 *
 * Each k8smig__<rule>() returns NULL when s is valid, or a short static
 * reason; NULL s is never valid ("must not be empty"). k8smig__is_<rule>()
 * is the same check as a bool.
 */
#ifndef K8SMIG_LIB_NAMES_H
#define K8SMIG_LIB_NAMES_H

#include <stdbool.h>

/** RFC 1123 label: [a-z0-9]([-a-z0-9]*[a-z0-9])?, at most 63. */
const char *k8smig__dns1123_label(const char *s);
/** RFC 1123 subdomain: labels joined by '.', at most 253. */
const char *k8smig__dns1123_subdomain(const char *s);
/** RFC 1035 label: a 1123 label that starts with a letter. */
const char *k8smig__dns1035_label(const char *s);
/** Path segment name (RBAC kinds): not "", ".", "..", no '/' or '%'. */
const char *k8smig__path_segment_name(const char *s);
/** Qualified name, as label and annotation keys are: [subdomain-prefix/]name, name at most 63. */
const char *k8smig__label_key(const char *s);
/** Label value: empty, or a qualified name part (at most 63). */
const char *k8smig__label_value(const char *s);
/** IANA service (port) name: at most 15 of [-a-z0-9], a letter, no "--", no '-' at the ends. */
const char *k8smig__iana_svc_name(const char *s);
/** ConfigMap/Secret data key: [-._a-zA-Z0-9]+, at most 253, not ".", ".." or "..*". */
const char *k8smig__config_key(const char *s);
/**
 * Environment variable name, the classic rule every supported server accepts:
 * [-._a-zA-Z][-._a-zA-Z0-9]*, not ".", ".." or "..*".
 */
const char *k8smig__env_var_name(const char *s);

/**
 * IAM role ARN, as the IRSA annotation eks.amazonaws.com/role-arn holds it:
 * arn:<partition>:iam::<12 digits>:role/[<path>/]<name>; path segments
 * non-empty printable ASCII (at most 512), name 1-64 of [A-Za-z0-9+=,.@_-].
 */
const char *k8smig__iam_role_arn(const char *s);

static inline bool k8smig__is_dns1123_label(const char *s) { return !k8smig__dns1123_label(s); }
static inline bool k8smig__is_dns1123_subdomain(const char *s) { return !k8smig__dns1123_subdomain(s); }
static inline bool k8smig__is_dns1035_label(const char *s) { return !k8smig__dns1035_label(s); }
static inline bool k8smig__is_label_key(const char *s) { return !k8smig__label_key(s); }
static inline bool k8smig__is_label_value(const char *s) { return !k8smig__label_value(s); }
static inline bool k8smig__is_iana_svc_name(const char *s) { return !k8smig__iana_svc_name(s); }
static inline bool k8smig__is_config_key(const char *s) { return !k8smig__config_key(s); }
static inline bool k8smig__is_env_var_name(const char *s) { return !k8smig__env_var_name(s); }

#endif
