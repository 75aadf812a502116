/*
 * lib/core/quantity.c - Kubernetes resource quantities: parse, canonical
 * string, compare, scale, and ECS size conversions.
 *
 * Follows k8s.io/apimachinery/pkg/api/resource (ParseQuantity and
 * CanonicalizeBytes): exact decimals rounded up to nano precision; canonical
 * output keeps the written family, with the largest suffix that loses no
 * precision and no fractional digits.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

#define MIN_SCALE (-9)   /* nano: Kubernetes rounds finer digits up */
#define MAX_SCALE 30     /* our own bound: int64 mantissa * 10^30 */
#define MAX_EXPONENT 1000

static const uint64_t pow10_u64[20] = {
	1ull, 10ull, 100ull, 1000ull, 10000ull, 100000ull, 1000000ull, 10000000ull,
	100000000ull, 1000000000ull, 10000000000ull, 100000000000ull, 1000000000000ull,
	10000000000000ull, 100000000000000ull, 1000000000000000ull, 10000000000000000ull,
	100000000000000000ull, 1000000000000000000ull, 10000000000000000000ull,
};

static int bad(const char *what)
{
	return k8smig__error_set(K8SMIG_EINVAL, "", "invalid quantity: %s", what);
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Suffix -> (base 10 exponent or base 2 exponent, format). */
static bool interpret_suffix(const char *s, int *exp, k8smig_quantity_format *fmt)
{
	static const struct { const char *s; int exp; } dec[] = {
		{ "", 0 }, { "n", -9 }, { "u", -6 }, { "m", -3 }, { "k", 3 }, { "M", 6 },
		{ "G", 9 }, { "T", 12 }, { "P", 15 }, { "E", 18 },
	};
	static const char *const bin[] = { "Ki", "Mi", "Gi", "Ti", "Pi", "Ei" };
	size_t i;

	/* the usual suffixes without a search: none, one letter, or a letter and 'i' */
	if (s[0] == '\0' || s[1] == '\0') {
		int e;
		switch (s[0]) {
		case '\0': e = 0; break;
		case 'm': e = -3; break;
		case 'k': e = 3; break;
		case 'M': e = 6; break;
		case 'G': e = 9; break;
		default: goto tables;
		}
		*exp = e;
		*fmt = K8SMIG_QUANTITY_DECIMAL_SI;
		return true;
	} else if (s[1] == 'i' && s[2] == '\0' && (s[0] == 'K' || s[0] == 'M' || s[0] == 'G')) {
		*exp = s[0] == 'K' ? 10 : s[0] == 'M' ? 20 : 30;
		*fmt = K8SMIG_QUANTITY_BINARY_SI;
		return true;
	}
tables:
	for (i = 0; i < sizeof(dec) / sizeof(dec[0]); i++) {
		if (strcmp(s, dec[i].s) == 0) {
			*exp = dec[i].exp;
			*fmt = K8SMIG_QUANTITY_DECIMAL_SI;
			return true;
		}
	}
	for (i = 0; i < 6; i++) {
		if (strcmp(s, bin[i]) == 0) {
			*exp = 10 * (int)(i + 1);
			*fmt = K8SMIG_QUANTITY_BINARY_SI;
			return true;
		}
	}
	if (s[0] == 'e' || s[0] == 'E') {
		/* "e" then an optional sign and at least one digit, like strconv.ParseInt */
		const char *p = s + 1;
		bool neg = false;
		long v = 0;
		if (*p == '+' || *p == '-')
			neg = *p++ == '-';
		if (!is_digit(*p))
			return false;
		for (; is_digit(*p); p++) {
			v = v * 10 + (*p - '0');
			if (v > MAX_EXPONENT)
				return false;
		}
		if (*p)
			return false;
		*exp = neg ? -(int)v : (int)v;
		*fmt = K8SMIG_QUANTITY_DECIMAL_EXPONENT;
		return true;
	}
	return false;
}

static void strip_zeros(uint64_t *m, int64_t *scale)
{
	while (*m && *m % 10 == 0) {
		*m /= 10;
		(*scale)++;
	}
}

static unsigned count_digits(uint64_t v)
{
	unsigned n = 1;
	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}

/* ceil(m / 10^k) for m > 0 */
static uint64_t div_pow10_up(uint64_t m, int64_t k)
{
	uint64_t q;
	if (k >= 20)
		return 1;
	q = m / pow10_u64[k];
	return m % pow10_u64[k] ? q + 1 : q;
}

/* k8smig_quantity_parse; *as_written (when given) gets text's length when text is already its
 * own canonical form (k8smig__quantity_format_buf would write it back unchanged), else 0. */
static int parse(k8smig_quantity *out, const char *text, size_t *as_written);

int k8smig_quantity_parse(k8smig_quantity *out, const char *text)
{
	return parse(out, text, NULL);
}

size_t k8smig__quantity_parse_buf(k8smig_quantity *q, const char *text, char buf[K8SMIG__QUANTITY_TEXT_MAX])
{
	size_t n;
	if (parse(q, text, &n) < 0)
		return 0;
	if (n == 0)
		return k8smig__quantity_format_buf(buf, q);
	memcpy(buf, text, n + 1);
	return n;
}

static int parse(k8smig_quantity *out, const char *text, size_t *as_written)
{
	const char *p = text, *ip, *fp = "";
	size_t ilen = 0, flen = 0, ndig, i, keep, nz = 0;
	bool neg = false, roundup = false;
	k8smig_quantity_format fmt;
	int exp;
	int64_t scale;
	uint64_t m = 0;

	if (as_written)
		*as_written = 0;
	if (!out)
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL quantity");
	memset(out, 0, sizeof(*out));
	if (!text || !*text)
		return bad("empty");
	if (text[0] >= '1' && text[0] <= '9') {
		/* the usual form ("500m", "512Mi", "2"): at most 18 digits led by a non-zero one, then
		 * an SI suffix; exact, so no rounding. Anything else takes the general way below. */
		for (p = text; is_digit(*p) && p - text < 18; p++)
			m = m * 10 + (uint64_t)(*p - '0');
		if (!is_digit(*p) && *p != '.' && interpret_suffix(p, &exp, &fmt) && fmt != K8SMIG_QUANTITY_DECIMAL_EXPONENT &&
		    (fmt == K8SMIG_QUANTITY_DECIMAL_SI || (m >> (63 - exp)) == 0)) {
			/* canonical as written: a decimal number with fewer than three trailing zeros (or
			 * under the largest suffix, E, where the zeros are written out); a binary one that
			 * is no multiple of 1024 (which would move up a suffix) */
			bool canonical = fmt == K8SMIG_QUANTITY_BINARY_SI ? m % 1024 != 0 : m % 1000 != 0 || exp == 18;
			scale = 0;
			if (fmt == K8SMIG_QUANTITY_BINARY_SI)
				m <<= exp;
			else
				scale = exp;
			strip_zeros(&m, &scale);
			if (scale <= MAX_SCALE) {
				out->mantissa = (int64_t)m;
				out->scale = (int32_t)scale;
				out->format = fmt;
				if (as_written && canonical)
					*as_written = (size_t)(p - text) + strlen(p);
				return 0;
			}
		}
		p = text;
		m = 0;
	}
	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	while (*p == '0') {
		p++;
		nz++;
	}
	ip = p;
	while (is_digit(*p))
		p++;
	ilen = (size_t)(p - ip);
	if (*p == '.') {
		fp = ++p;
		while (is_digit(*p))
			p++;
		flen = (size_t)(p - fp);
	}
	if (ilen + flen + nz == 0)
		return bad("no digits");
	if (!interpret_suffix(p, &exp, &fmt))
		return bad(*p ? "unknown suffix or trailing characters" : "malformed number");

	/* the digits are ip[0..ilen) then fp[0..flen); find the last non-zero one */
	ndig = ilen + flen;
#define DIGIT(k) ((k) < ilen ? ip[k] : fp[(k) - ilen])
	while (ndig > 0 && DIGIT(ndig - 1) == '0')
		ndig--;
	if (ndig == 0) {
		out->format = fmt;
		return 0;
	}
	/* value = digits[0..ndig) * 10^scale (* 2^exp for binary) */
	scale = (int64_t)(ilen + flen - ndig) - (int64_t)flen;
	if (fmt != K8SMIG_QUANTITY_BINARY_SI)
		scale += exp;
	keep = ndig;
	if (fmt != K8SMIG_QUANTITY_BINARY_SI && scale < MIN_SCALE) {
		/* round up to nano: every dropped digit run ends in a non-zero digit */
		int64_t drop = MIN_SCALE - scale;
		roundup = true;
		keep = (uint64_t)drop >= ndig ? 0 : ndig - (size_t)drop;
		scale = MIN_SCALE;
	}
	/* leading zeros of the fraction ("0.005") are skipped by the accumulation */
	for (i = 0; i < keep; i++) {
		unsigned d = (unsigned)(DIGIT(i) - '0');
		if (m > (UINT64_MAX - d) / 10)
			return bad("out of range");
		m = m * 10 + d;
	}
#undef DIGIT
	if (roundup) {
		if (m >= (uint64_t)INT64_MAX)
			return bad("out of range");
		m++;
	}
	if (fmt == K8SMIG_QUANTITY_BINARY_SI) {
		if (exp >= 64 || (m >> (63 - exp)) != 0)
			return bad("out of range");
		m <<= exp;
		strip_zeros(&m, &scale);
		if (scale < MIN_SCALE) {
			m = div_pow10_up(m, MIN_SCALE - scale);
			scale = MIN_SCALE;
		}
		/* below 1, Kubernetes writes binary values as decimal */
		if (scale < 0 && count_digits(m) <= (unsigned)-scale)
			fmt = K8SMIG_QUANTITY_DECIMAL_SI;
	}
	strip_zeros(&m, &scale);
	if (m > (uint64_t)INT64_MAX || scale > MAX_SCALE)
		return bad("out of range");
	out->mantissa = neg ? -(int64_t)m : (int64_t)m;
	out->scale = (int32_t)scale;
	out->format = fmt;
	return 0;
}

static uint64_t magnitude(int64_t v)
{
	return v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
}

/* Append n zeros to a digit buffer. */
static size_t put_zeros(char *buf, size_t len, int64_t n)
{
	while (n-- > 0)
		buf[len++] = '0';
	return len;
}

/* Digits of v at buf + len (20 at most, no printf: builders format a quantity per resource). */
static size_t put_u64(char *buf, size_t len, uint64_t v)
{
	char tmp[20];
	size_t n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		buf[len++] = tmp[--n];
	return len;
}

/* A suffix of at most two bytes (NUL-padded) at buf + len. */
static size_t put_suffix(char *buf, size_t len, const char suffix[2])
{
	buf[len] = suffix[0];
	buf[len + 1] = suffix[1];
	return len + (suffix[0] != '\0') + (suffix[1] != '\0');
}

int k8smig_quantity_format_str(char **out, const k8smig_quantity *q)
{
	char buf[K8SMIG__QUANTITY_TEXT_MAX];
	size_t len;

	if (!out)
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL output");
	*out = NULL;
	if ((len = k8smig__quantity_format_buf(buf, q)) == 0)
		return k8smig__error_set(K8SMIG_EINVAL, "", "invalid quantity value");
	if (!(*out = k8smig__strndup(buf, len)))
		return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	return 0;
}

size_t k8smig__quantity_format_buf(char buf[K8SMIG__QUANTITY_TEXT_MAX], const k8smig_quantity *q)
{
	/* suffixes as two bytes each, NUL-padded: copied whole, the length counted after */
	static const char dec_suffix[][2] = { "n", "u", "m", "", "k", "M", "G", "T", "P", "E" };
	static const char bin_suffix[][2] = { "", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei" };
	size_t len = 0;
	uint64_t m;
	int64_t scale;
	k8smig_quantity_format fmt;

	if (!q || q->scale < MIN_SCALE || q->scale > MAX_SCALE || (unsigned)q->format > 2)
		return 0;
	m = magnitude(q->mantissa);
	scale = q->scale;
	fmt = q->format;
	strip_zeros(&m, &scale);
	if (m == 0) {
		buf[len++] = '0';
	} else {
		if (q->mantissa < 0)
			buf[len++] = '-';
		if (fmt == K8SMIG_QUANTITY_BINARY_SI) {
			/* binary only for integers of 1024 and more that fit an int64 */
			/* and, as the API server writes them, only for multiples of 1024
			 * ("99312.5Ki" is "101696k", not "101696000", found by fuzz_values) */
			if (scale < 0 || (scale > 0 && (scale >= 19 || m > (uint64_t)INT64_MAX / pow10_u64[scale])) ||
			    m * pow10_u64[scale] < 1024 || (m * pow10_u64[scale]) % 1024 != 0) {
				fmt = K8SMIG_QUANTITY_DECIMAL_SI;
			} else {
				uint64_t v = m * pow10_u64[scale];
				int e = 0;
				while (e < 6 && v % 1024 == 0) {
					v /= 1024;
					e++;
				}
				len = put_u64(buf, len, v);
				len = put_suffix(buf, len, bin_suffix[e]);
			}
		}
		if (fmt != K8SMIG_QUANTITY_BINARY_SI) {
			int r = (int)(scale % 3);
			len = put_u64(buf, len, m);
			/* move the exponent down to a multiple of 3 */
			if (r == 1 || r == -2) {
				len = put_zeros(buf, len, 1);
				scale -= 1;
			} else if (r == 2 || r == -1) {
				len = put_zeros(buf, len, 2);
				scale -= 2;
			}
			if (fmt == K8SMIG_QUANTITY_DECIMAL_SI) {
				/* beyond E there is no suffix: write the zeros out */
				if (scale > 18) {
					len = put_zeros(buf, len, scale - 18);
					scale = 18;
				}
				len = put_suffix(buf, len, dec_suffix[(scale + 9) / 3]);
			} else if (scale != 0) {
				len += (size_t)snprintf(buf + len, K8SMIG__QUANTITY_TEXT_MAX - len, "e%lld", (long long)scale);
			}
		}
	}
	buf[len] = '\0';
	return len;
}

int k8smig_quantity_canonical(char **out, const char *text)
{
	k8smig_quantity q;
	int rc;
	if (out)
		*out = NULL;
	if ((rc = k8smig_quantity_parse(&q, text)) < 0)
		return rc;
	return k8smig_quantity_format_str(out, &q);
}

int k8smig_quantity_cmp(const k8smig_quantity *a, const k8smig_quantity *b)
{
	int sa, sb;
	uint64_t ma, mb;
	int64_t ea, eb, oa, ob;
	int c;

	if (!a || !b) /* NULL sorts first, like an absent value */
		return (a != NULL) - (b != NULL);
	if (a->mantissa == b->mantissa && a->scale == b->scale)
		return 0; /* the same value (in any format) */
	sa = a->mantissa < 0 ? -1 : a->mantissa > 0;
	sb = b->mantissa < 0 ? -1 : b->mantissa > 0;

	if (sa != sb)
		return sa < sb ? -1 : 1;
	if (sa == 0)
		return 0;
	ma = magnitude(a->mantissa);
	mb = magnitude(b->mantissa);
	ea = a->scale;
	eb = b->scale;
	strip_zeros(&ma, &ea);
	strip_zeros(&mb, &eb);
	/* order of magnitude first; equal orders align in 64 bits (at most 20 digits) */
	oa = (int64_t)count_digits(ma) + ea;
	ob = (int64_t)count_digits(mb) + eb;
	if (oa != ob) {
		c = oa < ob ? -1 : 1;
	} else {
		if (ea > eb)
			ma *= pow10_u64[ea - eb];
		else if (eb > ea)
			mb *= pow10_u64[eb - ea];
		c = ma < mb ? -1 : ma > mb;
	}
	return sa < 0 ? -c : c;
}

/* ceil(|q| * 10^shift) away from zero, saturating. */
static int64_t scaled(const k8smig_quantity *q, int64_t shift)
{
	uint64_t m = magnitude(q->mantissa), v;
	int64_t e = q->scale + shift;
	bool neg = q->mantissa < 0;

	if (m == 0)
		return 0;
	if (e >= 0) {
		if (e >= 19 || m > (uint64_t)INT64_MAX / pow10_u64[e])
			return neg ? INT64_MIN : INT64_MAX;
		v = m * pow10_u64[e];
	} else {
		v = div_pow10_up(m, -e);
	}
	if (v > (uint64_t)INT64_MAX)
		return neg ? INT64_MIN : INT64_MAX;
	return neg ? -(int64_t)v : (int64_t)v;
}

int64_t k8smig_quantity_milli(const k8smig_quantity *q)
{
	return q ? scaled(q, 3) : 0;
}

int64_t k8smig_quantity_value(const k8smig_quantity *q)
{
	return q ? scaled(q, 0) : 0;
}

int k8smig_quantity_from_ecs_cpu(char **out, int64_t cpu_units)
{
	k8smig_quantity q;
	if (out)
		*out = NULL;
	if (cpu_units < 0 || cpu_units > 1048576)
		return k8smig__error_set(K8SMIG_EINVAL, "", "ECS CPU units must be between 0 and 1048576");
	/* 1024 units = 1000m, rounded up */
	q.mantissa = (cpu_units * 1000 + 1023) / 1024;
	q.scale = -3;
	q.format = K8SMIG_QUANTITY_DECIMAL_SI;
	return k8smig_quantity_format_str(out, &q);
}

int k8smig_quantity_from_ecs_memory(char **out, int64_t mib)
{
	k8smig_quantity q;
	if (out)
		*out = NULL;
	if (mib < 0 || mib >= ((int64_t)1 << 43))
		return k8smig__error_set(K8SMIG_EINVAL, "", "ECS memory must be between 0 and 2^43 MiB");
	q.mantissa = mib << 20;
	q.scale = 0;
	q.format = K8SMIG_QUANTITY_BINARY_SI;
	return k8smig_quantity_format_str(out, &q);
}
