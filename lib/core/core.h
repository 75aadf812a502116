/*
 * lib/core/core.h - helpers shared inside libk8smig (never exported).
 */
#ifndef K8SMIG_LIB_CORE_H
#define K8SMIG_LIB_CORE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <string.h>

#include "k8smig.h"
#include "k8smig/sys/object.h"

#if defined(__GNUC__)
# define K8SMIG__PRINTF(a, b) __attribute__((format(printf, a, b)))
# define K8SMIG__UNLIKELY(x) __builtin_expect(!!(x), 0)
# define K8SMIG__LIKELY(x) __builtin_expect(!!(x), 1)
/* an error path: the compiler moves its calls (and the code only they need) out of the hot code,
 * so a builder's usual path fits in fewer instruction-cache lines */
# define K8SMIG__COLD __attribute__((cold))
#else
# define K8SMIG__PRINTF(a, b)
# define K8SMIG__UNLIKELY(x) (x)
# define K8SMIG__LIKELY(x) (x)
# define K8SMIG__COLD
#endif

/* ---- versioned option structs (options.c) ---- */

/* sizes[v - 1] is the size of the struct as version v defined it. Initialise
 * opts for `version` from the current defaults `def`. */
int k8smig__options_init(void *opts, unsigned int version, const void *def, const size_t *sizes, size_t n_versions,
                         const char *type);
/* dst holds the defaults; copy what the caller's src (any known version, or
 * NULL for none) defines over them. K8SMIG_EINVAL names the type and version. */
int k8smig__options_load(void *dst, const void *src, const size_t *sizes, size_t n_versions, const char *type);
#define K8SMIG__OPTIONS_INIT(opts, version, def, sizes, type) \
	k8smig__options_init((opts), (version), (def), (sizes), sizeof(sizes) / sizeof((sizes)[0]), (type))
#define K8SMIG__OPTIONS_LOAD(dst, src, sizes, type) \
	k8smig__options_load((dst), (src), (sizes), sizeof(sizes) / sizeof((sizes)[0]), (type))

/* Has k8smig_init() been called (and not undone)? */
bool k8smig__initialised(void);

/* SHA-256 of data (sha256.c). */
void k8smig__sha256(const void *data, size_t len, uint8_t digest[32]);

/* ---- errors ---- */

/** Set the thread's last error; returns code so callers can `return k8smig__error_set(...)`. */
int k8smig__error_set(int code, const char *path, const char *fmt, ...) K8SMIG__PRINTF(3, 4) K8SMIG__COLD;
int k8smig__error_setv(int code, const char *path, const char *fmt, va_list ap) K8SMIG__COLD;
/** Add line and column (1-based) to the last error. */
void k8smig__error_set_position(int line, int column);
/** Set the file the last error is about. */
void k8smig__error_set_file(const char *file);
/** Set HTTP status and reason of the last error. */
void k8smig__error_set_http(int http_status, const char *reason);
/**
 * Prefix the last error's path with a parent step while unwinding:
 * "image" with "containers[0]" becomes "containers[0].image".
 */
void k8smig__error_prefix(const char *step);
/** Copy of the last error, to restore later (sticky errors). */
typedef struct k8smig__saved_error {
	int code;
	char *message;
	char *path;
} k8smig__saved_error;
int k8smig__error_save(k8smig__saved_error *dst);
void k8smig__error_restore(const k8smig__saved_error *src);
void k8smig__saved_error_clear(k8smig__saved_error *e);

/* ---- growable byte buffer ---- */

typedef struct k8smig__buf {
	char *data;
	size_t len;
	size_t cap;
	int failed; /* sticky ENOMEM */
} k8smig__buf;

#define K8SMIG__BUF_INIT { NULL, 0, 0, 0 }

int k8smig__buf_grow(k8smig__buf *b, size_t extra);
void k8smig__buf_free(k8smig__buf *b);
/** Take the NUL-terminated contents; the buffer is reset. */
char *k8smig__buf_detach(k8smig__buf *b, size_t *len_out);

static inline int k8smig__buf_put(k8smig__buf *b, const char *s, size_t n)
{
	if (K8SMIG__UNLIKELY(b->cap - b->len <= n) && k8smig__buf_grow(b, n) < 0)
		return -1;
	memcpy(b->data + b->len, s, n);
	b->len += n;
	return 0;
}

static inline int k8smig__buf_putc(k8smig__buf *b, char c)
{
	if (K8SMIG__UNLIKELY(b->cap - b->len <= 1) && k8smig__buf_grow(b, 1) < 0)
		return -1;
	b->data[b->len++] = c;
	return 0;
}

#define k8smig__buf_puts(b, s) k8smig__buf_put((b), (s), strlen(s))

/* ---- growable arrays ---- */

/* Grow the malloc'd array *items (a T **, passed as void *) of *cap elements of `size` bytes:
 * to `first` elements when it has none, else to twice as many. 0, or K8SMIG_ENOMEM with the
 * error set and the array as it was. Callers test for a full array first:
 *   if (n == cap && k8smig__array_grow(&items, &cap, 16, sizeof(*items)) < 0) ... */
int k8smig__array_grow(void *items, size_t *cap, size_t first, size_t size);
/** The buffer's text, NUL-terminated (the buffer itself is not); "" after a failure. */
static inline const char *k8smig__buf_cstr(k8smig__buf *b)
{
	if (k8smig__buf_putc(b, '\0') < 0)
		return "";
	b->len--;
	return b->data;
}
int k8smig__buf_printf(k8smig__buf *b, const char *fmt, ...) K8SMIG__PRINTF(2, 3);
int k8smig__buf_put_int(k8smig__buf *b, int64_t v);
/** snprintf for field paths: fast for "%s" and "%zu", vsnprintf for the rest. */
void k8smig__path_vformat(char *buf, size_t cap, const char *fmt, va_list ap);
void k8smig__path_format(char *buf, size_t cap, const char *fmt, ...) K8SMIG__PRINTF(3, 4);

/* ---- strings ---- */

/** FNV-1a (32-bit) over s[0..n), continuing from h; start from K8SMIG__FNV_OFFSET. */
#define K8SMIG__FNV_OFFSET 2166136261u
static inline uint32_t k8smig__fnv1a(uint32_t h, const char *s, size_t n)
{
	while (n--)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

/* The canonical text of a quantity into buf (no allocation): its length, or 0 when q is
 * not a valid quantity value. k8smig_quantity_format_str() is this and a copy. */
#define K8SMIG__QUANTITY_TEXT_MAX 96
size_t k8smig__quantity_format_buf(char buf[K8SMIG__QUANTITY_TEXT_MAX], const k8smig_quantity *q);
/** k8smig_quantity_parse into q, then q's canonical text into buf (copied from text when text is
 * already canonical: no formatting); its length, or 0 with the error set as parse sets it. */
size_t k8smig__quantity_parse_buf(k8smig_quantity *q, const char *text, char buf[K8SMIG__QUANTITY_TEXT_MAX]);
/** Length of the longest valid UTF-8 prefix; == len when all valid. */
size_t k8smig__utf8_valid_prefix(const char *s, size_t len);
/* Copy n bytes from s to d without a call up to 32 bytes (d has room for n). */
static inline void k8smig__copy(char *d, const char *s, size_t n)
{
	if (n >= 8 && n <= 16) {
		uint64_t a, b;
		memcpy(&a, s, 8);
		memcpy(&b, s + n - 8, 8);
		memcpy(d, &a, 8);
		memcpy(d + n - 8, &b, 8);
	} else if (n >= 4 && n < 8) {
		uint32_t a, b;
		memcpy(&a, s, 4);
		memcpy(&b, s + n - 4, 4);
		memcpy(d, &a, 4);
		memcpy(d + n - 4, &b, 4);
	} else if (n < 4) {
		size_t i;
		for (i = 0; i < n; i++)
			d[i] = s[i];
	} else if (n <= 32) { /* 16 bytes from each end, overlapping */
		uint64_t a, b, c, e;
		memcpy(&a, s, 8);
		memcpy(&b, s + 8, 8);
		memcpy(&c, s + n - 16, 8);
		memcpy(&e, s + n - 8, 8);
		memcpy(d, &a, 8);
		memcpy(d + 8, &b, 8);
		memcpy(d + n - 16, &c, 8);
		memcpy(d + n - 8, &e, 8);
	} else {
		memcpy(d, s, n);
	}
}

/* a[0..n) == b[0..n) for n <= 32, without a call: overlapping words from both ends. */
static inline bool k8smig__equal_short(const char *a, const char *b, size_t n)
{
	uint64_t x, y, u, v;
	if (n >= 16) {
		uint64_t x2, y2, u2, v2;
		memcpy(&x, a, 8), memcpy(&x2, a + 8, 8), memcpy(&u, a + n - 16, 8), memcpy(&u2, a + n - 8, 8);
		memcpy(&y, b, 8), memcpy(&y2, b + 8, 8), memcpy(&v, b + n - 16, 8), memcpy(&v2, b + n - 8, 8);
		return ((x ^ y) | (x2 ^ y2) | (u ^ v) | (u2 ^ v2)) == 0;
	}
	if (n >= 8) {
		memcpy(&x, a, 8), memcpy(&u, a + n - 8, 8);
		memcpy(&y, b, 8), memcpy(&v, b + n - 8, 8);
		return ((x ^ y) | (u ^ v)) == 0;
	}
	if (n >= 4) {
		uint32_t p, q, r, t;
		memcpy(&p, a, 4), memcpy(&q, a + n - 4, 4);
		memcpy(&r, b, 4), memcpy(&t, b + n - 4, 4);
		return ((p ^ r) | (q ^ t)) == 0;
	}
	for (; n; n--)
		if (*a++ != *b++)
			return false;
	return true;
}

/** True when s[0..len) is all ASCII: whole words, the last one overlapping (no byte loop). */
static inline bool k8smig__ascii(const char *s, size_t len)
{
	uint64_t acc = 0, x;
	size_t i;
	if (len >= 8) {
		for (i = 0; i + 8 <= len; i += 8) {
			memcpy(&x, s + i, 8);
			acc |= x;
		}
		memcpy(&x, s + len - 8, 8);
		acc |= x;
	} else if (len >= 4) {
		uint32_t a, b;
		memcpy(&a, s, 4);
		memcpy(&b, s + len - 4, 4);
		acc = a | b;
	} else {
		for (i = 0; i < len; i++)
			acc |= (unsigned char)s[i];
	}
	return (acc & UINT64_C(0x8080808080808080)) == 0;
}
static inline bool k8smig__utf8_valid(const char *s, size_t len)
{
	return k8smig__ascii(s, len) || k8smig__utf8_valid_prefix(s, len) == len;
}
char *k8smig__strdup(const char *s);
char *k8smig__strndup(const char *s, size_t n);
/** A malloc'd string of any length, sprintf style; NULL with the error set (ENOMEM). */
char *k8smig__strdupf(const char *fmt, ...) K8SMIG__PRINTF(1, 2);
char *k8smig__vstrdupf(const char *fmt, va_list ap);

/** Bytes base64 needs for len input bytes, without the NUL. */
#define K8SMIG__BASE64_LEN(len) (((len) + 2) / 3 * 4)
/** Standard base64 into out (K8SMIG__BASE64_LEN(len) + 1 bytes); returns the length written. */
size_t k8smig__base64_encode(char *out, const void *data, size_t len);
/** Decode base64 (whitespace skipped); EINVAL on bad input. *out is NUL-terminated. */
int k8smig__base64_decode(char **out, size_t *len_out, const char *in, size_t n);

/** Read a whole file; ENOTFOUND, EIO or ENOMEM with the file named. */
int k8smig__read_file(char **out, size_t *len_out, const char *path, size_t max_bytes);

#endif
