/*
 * lib/core/buf.c - growable byte buffers and arrays, used by the emitters, readers and indexes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <inttypes.h>

#include "core.h"

int k8smig__array_grow(void *items, size_t *cap, size_t first, size_t size)
{
	void *old, *p;
	size_t n = *cap ? *cap * 2 : first;

	memcpy(&old, items, sizeof(old));
	if (n > SIZE_MAX / size || !(p = realloc(old, n * size)))
		return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	memcpy(items, &p, sizeof(p));
	*cap = n;
	return 0;
}

int k8smig__buf_grow(k8smig__buf *b, size_t extra)
{
	size_t need, cap;
	char *p;

	if (b->failed)
		return -1;
	if (extra > SIZE_MAX / 2 - b->len - 1)
		goto oom;
	need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap *= 2;
	p = realloc(b->data, cap);
	if (!p)
		goto oom;
	b->data = p;
	b->cap = cap;
	return 0;
oom:
	b->failed = 1;
	return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory growing a buffer");
}

void k8smig__buf_free(k8smig__buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
	b->failed = 0;
}

char *k8smig__buf_detach(k8smig__buf *b, size_t *len_out)
{
	char *p;
	if (k8smig__buf_grow(b, 0) < 0)
		return NULL;
	b->data[b->len] = '\0';
	p = b->data;
	if (len_out)
		*len_out = b->len;
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}

int k8smig__buf_printf(k8smig__buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;
	char small[128];

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return k8smig__error_set(K8SMIG_ERROR, "", "formatting failed");
	if ((size_t)n < sizeof(small))
		return k8smig__buf_put(b, small, (size_t)n);
	if (k8smig__buf_grow(b, (size_t)n) < 0)
		return -1;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

/* The integer fast path of both emitters: no printf. */
int k8smig__buf_put_int(k8smig__buf *b, int64_t v)
{
	char tmp[24];
	char *p = tmp + sizeof(tmp);
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	return k8smig__buf_put(b, p, (size_t)(tmp + sizeof(tmp) - p));
}

/*
 * Field paths for the builders: "%s" and "%zu" only, without stdio (snprintf
 * was half of the cost of a typed builder call). Anything else falls back to
 * vsnprintf. Always NUL-terminates; truncates like snprintf.
 */
void k8smig__path_vformat(char *buf, size_t cap, const char *fmt, va_list ap)
{
	size_t o = 0;
	const char *f;
	va_list copy;

	va_copy(copy, ap);
	for (f = fmt; *f && o + 1 < cap; f++) {
		if (*f != '%') {
			/* a run of literal text in one copy */
			const char *pct = strchr(f, '%');
			size_t n = pct ? (size_t)(pct - f) : strlen(f);
			if (n > cap - 1 - o)
				n = cap - 1 - o;
			memcpy(buf + o, f, n);
			o += n;
			f += n - 1;
		} else if (f[1] == 's') {
			const char *s = va_arg(ap, const char *);
			size_t n = strlen(s ? s : "");
			if (n > cap - 1 - o)
				n = cap - 1 - o;
			memcpy(buf + o, s ? s : "", n);
			o += n;
			f++;
		} else if (f[1] == 'z' && f[2] == 'u') {
			char tmp[24];
			size_t v = va_arg(ap, size_t), n = 0;
			do {
				tmp[n++] = (char)('0' + v % 10);
				v /= 10;
			} while (v);
			while (n && o + 1 < cap)
				buf[o++] = tmp[--n];
			f += 2;
		} else {
			vsnprintf(buf, cap, fmt, copy);
			va_end(copy);
			return;
		}
	}
	buf[o] = '\0';
	va_end(copy);
}

void k8smig__path_format(char *buf, size_t cap, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	k8smig__path_vformat(buf, cap, fmt, ap);
	va_end(ap);
}
