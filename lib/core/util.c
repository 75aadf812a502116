/*
 * lib/core/util.c - UTF-8 checks, string copies, whole-file reads, init.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core.h"

size_t k8smig__utf8_valid_prefix(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < len) {
		unsigned char c = s[i];
		size_t n;
		uint32_t cp;

		if (c < 0x80) {
			/* ASCII runs 8 bytes at a time */
			uint64_t x;
			i++;
			while (i + 8 <= len && (memcpy(&x, s + i, 8), (x & UINT64_C(0x8080808080808080)) == 0))
				i += 8;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) {
			n = 1; cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			n = 2; cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			n = 3; cp = c & 0x07;
		} else {
			return i;
		}
		if (n >= len - i)
			return i; /* truncated sequence */
		for (size_t k = 1; k <= n; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return i;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		/* overlong, surrogate or out of range */
		if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return i;
		i += n + 1;
	}
	return i;
}

char *k8smig__strndup(const char *s, size_t n)
{
	char *p = malloc(n + 1);
	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *k8smig__strdup(const char *s)
{
	return s ? k8smig__strndup(s, strlen(s)) : NULL;
}

char *k8smig__vstrdupf(const char *fmt, va_list ap)
{
	va_list again;
	char *p;
	int n;

	va_copy(again, ap);
	n = vsnprintf(NULL, 0, fmt, again);
	va_end(again);
	if (n < 0) {
		k8smig__error_set(K8SMIG_ERROR, "", "formatting failed");
		return NULL;
	}
	if (!(p = malloc((size_t)n + 1))) {
		k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
		return NULL;
	}
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *k8smig__strdupf(const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = k8smig__vstrdupf(fmt, ap);
	va_end(ap);
	return p;
}

void k8smig_free(void *ptr)
{
	free(ptr);
}

/* Read a whole file, refusing more than max_bytes (0: no limit) in bounded
 * memory: a regular file is refused by its size before anything is read
 * (a sparse 2 GB file costs nothing), anything else (/dev/zero, a pipe) once
 * it went past the limit. A FIFO is opened without blocking (no writer: it
 * reads as empty) and a pipe that stays silent for 30 s is given up. */
int k8smig__read_file(char **out, size_t *len_out, const char *path, size_t max_bytes)
{
	k8smig__buf b = K8SMIG__BUF_INIT;
	struct stat st;
	int rc = 0, fd;
	bool regular;

	*out = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0) {
		int e = errno;
		rc = k8smig__error_set(e == ENOENT ? K8SMIG_ENOTFOUND : K8SMIG_EIO, "",
		                       "cannot open: %s", strerror(e));
		k8smig__error_set_file(path);
		return rc;
	}
	if (fstat(fd, &st) < 0) {
		rc = k8smig__error_set(K8SMIG_EIO, "", "cannot stat: %s", strerror(errno));
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		rc = k8smig__error_set(K8SMIG_EIO, "", "is a directory");
		goto out;
	}
	regular = S_ISREG(st.st_mode);
	if (regular && max_bytes && (unsigned long long)st.st_size > max_bytes) {
		rc = k8smig__error_set(K8SMIG_EPARSE, "", "input is larger than the limit of %zu bytes", max_bytes);
		goto out;
	}
	for (;;) {
		ssize_t n;
		if (k8smig__buf_grow(&b, 65536) < 0) {
			rc = K8SMIG_ENOMEM;
			break;
		}
		n = read(fd, b.data + b.len, b.cap - b.len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) && !regular) {
			struct pollfd p = { fd, POLLIN, 0 };
			int pr = poll(&p, 1, 30000);
			if (pr == 0) {
				rc = k8smig__error_set(K8SMIG_ETIMEOUT, "", "no data for 30 s");
				break;
			}
			continue;
		}
		if (n < 0) {
			rc = k8smig__error_set(K8SMIG_EIO, "", "read error: %s", strerror(errno));
			break;
		}
		b.len += (size_t)n;
		if (max_bytes && b.len > max_bytes) {
			rc = k8smig__error_set(K8SMIG_EPARSE, "", "input is larger than the limit of %zu bytes", max_bytes);
			break;
		}
		if (n == 0)
			break;
	}
out:
	close(fd);
	if (rc < 0) {
		k8smig__buf_free(&b);
		k8smig__error_set_file(path);
		return rc;
	}
	*out = k8smig__buf_detach(&b, len_out);
	if (!*out) {
		k8smig__error_set_file(path);
		return K8SMIG_ENOMEM;
	}
	return 0;
}

/* Standard base64 (RFC 4648) as kubeconfig *-data fields use it; whitespace is skipped. */
int k8smig__base64_decode(char **out, size_t *len_out, const char *in, size_t n)
{
	static const signed char map[256] = {
		['A'] = 1, ['B'] = 2, ['C'] = 3, ['D'] = 4, ['E'] = 5, ['F'] = 6, ['G'] = 7, ['H'] = 8, ['I'] = 9,
		['J'] = 10, ['K'] = 11, ['L'] = 12, ['M'] = 13, ['N'] = 14, ['O'] = 15, ['P'] = 16, ['Q'] = 17,
		['R'] = 18, ['S'] = 19, ['T'] = 20, ['U'] = 21, ['V'] = 22, ['W'] = 23, ['X'] = 24, ['Y'] = 25,
		['Z'] = 26, ['a'] = 27, ['b'] = 28, ['c'] = 29, ['d'] = 30, ['e'] = 31, ['f'] = 32, ['g'] = 33,
		['h'] = 34, ['i'] = 35, ['j'] = 36, ['k'] = 37, ['l'] = 38, ['m'] = 39, ['n'] = 40, ['o'] = 41,
		['p'] = 42, ['q'] = 43, ['r'] = 44, ['s'] = 45, ['t'] = 46, ['u'] = 47, ['v'] = 48, ['w'] = 49,
		['x'] = 50, ['y'] = 51, ['z'] = 52, ['0'] = 53, ['1'] = 54, ['2'] = 55, ['3'] = 56, ['4'] = 57,
		['5'] = 58, ['6'] = 59, ['7'] = 60, ['8'] = 61, ['9'] = 62, ['+'] = 63, ['/'] = 64,
	};
	char *buf = malloc(n / 4 * 3 + 4);
	size_t i, o = 0;
	uint32_t acc = 0;
	int bits = 0, pad = 0;

	*out = NULL;
	if (!buf)
		return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)in[i];
		if (c == ' ' || c == '\n' || c == '\r' || c == '\t')
			continue;
		if (c == '=') {
			pad++;
			continue;
		}
		if (pad || !map[c]) {
			free(buf);
			return k8smig__error_set(K8SMIG_EINVAL, "", "invalid base64");
		}
		acc = (acc << 6) | (uint32_t)(map[c] - 1);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			buf[o++] = (char)((acc >> bits) & 0xFF);
		}
	}
	if (pad > 2 || bits >= 6) {
		free(buf);
		return k8smig__error_set(K8SMIG_EINVAL, "", "invalid base64");
	}
	buf[o] = '\0';
	*out = buf;
	if (len_out)
		*len_out = o;
	return 0;
}

size_t k8smig__base64_encode(char *out, const void *data, size_t len)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *in = data;
	size_t i, o = 0;

	for (i = 0; i + 2 < len; i += 3) {
		out[o++] = tab[in[i] >> 2];
		out[o++] = tab[((in[i] & 3) << 4) | (in[i + 1] >> 4)];
		out[o++] = tab[((in[i + 1] & 15) << 2) | (in[i + 2] >> 6)];
		out[o++] = tab[in[i + 2] & 63];
	}
	if (i < len) {
		out[o++] = tab[in[i] >> 2];
		if (i + 1 < len) {
			out[o++] = tab[((in[i] & 3) << 4) | (in[i + 1] >> 4)];
			out[o++] = tab[(in[i + 1] & 15) << 2];
		} else {
			out[o++] = tab[(in[i] & 3) << 4];
			out[o++] = '=';
		}
		out[o++] = '=';
	}
	out[o] = '\0';
	return o;
}
