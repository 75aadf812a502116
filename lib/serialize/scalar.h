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

/** Choose the style for a string value (or key, with allow_literal false): every case. */
k8smig__style k8smig__yaml_style_full(const char *s, size_t n, bool allow_literal);
/* First bytes of a plain scalar that needs no further look when the rest is plain-safe:
 * 1 letters, '/' and '_' that start no reserved word; 2 the letters that start YAML 1.1's
 * booleans (y n t f o, either case): plain only when longer than every reserved word. */
extern const unsigned char k8smig__plain_lead[256];

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

/* Nonzero when some byte of x equals b. */
static inline uint64_t k8smig__has_byte(uint64_t x, unsigned b)
{
	uint64_t v = x ^ (K8SMIG__ONES * b);
	return (v - K8SMIG__ONES) & ~v & K8SMIG__HIGH;
}

/* Nonzero when some byte of x is below m (m <= 128), DEL or not ASCII (a borrow or a carry
 * between bytes only ever starts at a byte that is flagged itself, so "none" is exact). */
static inline uint64_t k8smig__has_less_or_high(uint64_t x, unsigned m)
{
	return ((x - K8SMIG__ONES * m) | x | (x + K8SMIG__ONES)) & K8SMIG__HIGH;
}

#define K8SMIG__QUOTE_BAD(x) \
	(k8smig__has_less_or_high(x, 0x20) | k8smig__has_byte(x, '"') | k8smig__has_byte(x, '\\'))
#define K8SMIG__PLAIN_BAD(x) (k8smig__has_less_or_high(x, 0x21) | k8smig__has_byte(x, ':'))

/* The last 8 bytes of s (n >= 1) as a word for the checks above: the last whole word when
 * n >= 8, two overlapping 4-byte halves for 4-7 bytes, else the bytes padded with 'a'
 * (which no check flags). Reads nothing outside s[0..n). */
static inline uint64_t k8smig__tail_word(const unsigned char *s, size_t n)
{
	uint64_t x = K8SMIG__ONES * 'a';
	if (n >= 8) {
		memcpy(&x, s + n - 8, 8);
	} else if (n >= 4) {
		uint32_t lo, hi;
		memcpy(&lo, s, 4);
		memcpy(&hi, s + n - 4, 4);
		x = lo | (uint64_t)hi << 32;
	} else {
		size_t i;
		for (i = 0; i < n; i++)
			x = (x << 8) | s[i];
	}
	return x;
}

/* Bytes at the start of s that need no escaping in a quoted string (printable ASCII other
 * than '"' and '\\'): n, or a multiple of 8 before which all are. The last 1-7 bytes are
 * checked as the last whole word again, overlapping. */
static inline size_t k8smig__quote_safe_run(const unsigned char *s, size_t n)
{
	size_t i = 0;
	uint64_t x;
	for (; i + 8 <= n; i += 8) {
		memcpy(&x, s + i, 8);
		if (K8SMIG__QUOTE_BAD(x))
			return i;
	}
	if (i < n && (x = k8smig__tail_word(s, n), !K8SMIG__QUOTE_BAD(x)))
		return n;
	return i;
}

/* Bytes at the start of s that are printable ASCII other than ' ' and ':': n, or a
 * multiple of 8 before which all are (as k8smig__quote_safe_run). */
static inline size_t k8smig__plain_safe_run(const unsigned char *s, size_t n)
{
	size_t i = 0;
	uint64_t x;
	for (; i + 8 <= n; i += 8) {
		memcpy(&x, s + i, 8);
		if (K8SMIG__PLAIN_BAD(x))
			return i;
	}
	if (i < n && (x = k8smig__tail_word(s, n), !K8SMIG__PLAIN_BAD(x)))
		return n;
	return i;
}

/*
 * k8smig__yaml_style_full() with the common case inline: printable ASCII without ' ' or
 * ':', starting with a letter, '/' or '_', longer than any reserved word (5 bytes) or not
 * starting like one, is plain (no indicator, number, date, boolean or null can be
 * spelled so).
 */
static inline k8smig__style k8smig__yaml_style(const char *s, size_t n, bool allow_literal)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned lead = n ? k8smig__plain_lead[u[0]] : 0;
	if (lead && (lead == 1 || n > 5) && k8smig__plain_safe_run(u, n) == n)
		return K8SMIG__PLAIN;
	return k8smig__yaml_style_full(s, n, allow_literal);
}

#endif
