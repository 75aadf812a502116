/*
 * lib/serialize/scalar.h - how YAML plain scalars are read and written.
 */
#ifndef K8SMIG_LIB_SCALAR_H
#define K8SMIG_LIB_SCALAR_H

#include "../model/tree.h"

/** How a string must be written in YAML. */
typedef enum k8smig__style {
	K8SMIG__PLAIN,    /* as is */
	K8SMIG__LITERAL,  /* "|" block: multi-line and readable */
	K8SMIG__QUOTED    /* double-quoted with escapes */
} k8smig__style;

/** Choose the style for a string value (or key, with allow_literal false). */
k8smig__style k8smig__yaml_style(const char *s, size_t n, bool allow_literal);

/** Result of resolving a plain scalar as sigs.k8s.io/yaml (go-yaml v2) does. */
typedef struct k8smig__scalar {
	k8smig_type type;
	int64_t i;
	double d;
} k8smig__scalar;

/** Resolve an untagged plain scalar; STRING when it is nothing else. yaml12_bools:
 * only true/false are booleans (kustomize), else YAML 1.1's set (kubectl apply). */
void k8smig__yaml_resolve_plain(k8smig__scalar *out, const char *s, size_t n, bool yaml12_bools);
/** Parse text as an integer per YAML/Go rules (sign, 0x, 0o, 0b, leading-0 octal, '_'). */
bool k8smig__parse_int(const char *s, size_t n, int64_t *out, bool *overflow);
/** Parse text as a YAML float (go-yaml's pattern, .inf, .nan). */
bool k8smig__parse_float(const char *s, size_t n, double *out);
/** Append a double so that it reads back as the same double and as a float (never an int). */
int k8smig__put_double(k8smig__buf *b, double d, bool json);

#endif
