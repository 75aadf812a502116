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

/* ---- scanning 8 bytes at a time (the emitters' inner loops) ---- */

#define K8SMIG__ONES UINT64_C(0x0101010101010101)
#define K8SMIG__HIGH UINT64_C(0x8080808080808080)

/* Nonzero when some byte of x is below m (m <= 128); exact for "none". */
static inline uint64_t k8smig__has_less(uint64_t x, unsigned m)
{
	return (x - K8SMIG__ONES * m) & ~x & K8SMIG__HIGH;
}

/* Nonzero when some byte of x equals b. */
static inline uint64_t k8smig__has_byte(uint64_t x, unsigned b)
{
	uint64_t v = x ^ (K8SMIG__ONES * b);
	return (v - K8SMIG__ONES) & ~v & K8SMIG__HIGH;
}

/* Nonzero when some byte of x is DEL or not ASCII. */
static inline uint64_t k8smig__has_high(uint64_t x)
{
	return (x | (x + K8SMIG__ONES)) & K8SMIG__HIGH;
}

/* Bytes at the start of s (a multiple of 8) that need no escaping in a quoted string:
 * printable ASCII other than '"' and '\\'. */
static inline size_t k8smig__quote_safe_run(const unsigned char *s, size_t n)
{
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t x;
		memcpy(&x, s + i, 8);
		if (k8smig__has_less(x, 0x20) | k8smig__has_byte(x, '"') | k8smig__has_byte(x, '\\') | k8smig__has_high(x))
			break;
	}
	return i;
}

/* Bytes at the start of s (a multiple of 8) that are printable ASCII other than ' ' and ':'. */
static inline size_t k8smig__plain_safe_run(const unsigned char *s, size_t n)
{
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t x;
		memcpy(&x, s + i, 8);
		if (k8smig__has_less(x, 0x21) | k8smig__has_byte(x, ':') | k8smig__has_high(x))
			break;
	}
	return i;
}

#endif
