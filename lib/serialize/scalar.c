/*
 * lib/serialize/scalar.c - plain-scalar resolution and quoting rules.
 *
 * Writing is conservative: a string is plain only when YAML 1.1 readers
 * (PyYAML, go-yaml v2 and so kubectl) and YAML 1.2 readers all read it back as
 * the same string. Reading follows go-yaml v2, which sigs.k8s.io/yaml and
 * therefore kubectl use: YAML 1.1 booleans (yes/no/on/off/y/n), leading-zero
 * octal, 0x/0o/0b, '_' in numbers, .inf/.nan.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scalar.h"

static bool word_in(const char *s, size_t n, const char *const *words)
{
	if (n == 0 || n > 5) /* no reserved word is longer */
		return false;
	for (; *words; words++)
		if ((*words)[0] == s[0] && strncmp(*words, s, n) == 0 && (*words)[n] == '\0')
			return true;
	return false;
}

static const char *const null_words[] = { "~", "null", "Null", "NULL", NULL };
static const char *const true_words[] = { "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON", NULL };
static const char *const false_words[] = { "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF", NULL };
static const char *const special_words[] = { "=", "<<", NULL };
/* first characters of the YAML 1.1 booleans */
static const bool bool_first[256] = { ['y'] = 1, ['Y'] = 1, ['n'] = 1, ['N'] = 1, ['t'] = 1, ['T'] = 1,
                                      ['f'] = 1, ['F'] = 1, ['o'] = 1, ['O'] = 1 };

static bool is_special_float(const char *s, size_t n)
{
	char low[6];
	size_t i;
	if (n && (s[0] == '+' || s[0] == '-')) {
		s++;
		n--;
	}
	if (n != 4)
		return false;
	for (i = 0; i < 4; i++)
		low[i] = (char)((s[i] >= 'A' && s[i] <= 'Z') ? s[i] + 32 : s[i]);
	return memcmp(low, ".inf", 4) == 0 || memcmp(low, ".nan", 4) == 0;
}

/*
 * Anything that some YAML reader could take for a number, date or time:
 * after an optional sign it starts with a digit or '.', and holds only
 * digits, hex letters, x/o/b prefixes, '_', '.', ':', '-' and '+'.
 */
static bool looks_numeric(const char *s, size_t n)
{
	size_t i = 0;
	if (i < n && (s[i] == '+' || s[i] == '-'))
		i++;
	if (i >= n || !((s[i] >= '0' && s[i] <= '9') || s[i] == '.'))
		return false;
	/* a date (YYYY-...) is a timestamp to YAML 1.1 whatever follows */
	if (n >= 5 && s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9' &&
	    s[2] >= '0' && s[2] <= '9' && s[3] >= '0' && s[3] <= '9' && s[4] == '-')
		return true;
	for (; i < n; i++) {
		char c = s[i];
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') ||
		      c == 'x' || c == 'X' || c == 'o' || c == 'O' || c == '_' || c == '.' ||
		      c == ':' || c == '-' || c == '+'))
			return false;
	}
	return true;
}

/* Characters that force double quotes: C0/C1 controls, DEL, BOM, and the
 * Unicode line breaks YAML 1.1 honours (NEL, LS, PS). Tab and newline are
 * reported separately because a literal block can hold them. */
static bool needs_escape(const unsigned char *s, size_t n, bool *has_nl, bool *has_tab)
{
	size_t i;
	for (i = 0; i < n; i++) {
		unsigned char c = s[i];
		if (c < 0x20) {
			if (c == '\n')
				*has_nl = true;
			else if (c == '\t')
				*has_tab = true;
			else
				return true;
		} else if (c == 0x7F) {
			return true;
		} else if (c == 0xC2 && i + 1 < n && s[i + 1] >= 0x80 && s[i + 1] <= 0x9F) {
			return true;
		} else if (c == 0xE2 && i + 2 < n && s[i + 1] == 0x80 && (s[i + 2] == 0xA8 || s[i + 2] == 0xA9)) {
			return true;
		} else if (c == 0xEF && i + 2 < n && ((s[i + 1] == 0xBB && s[i + 2] == 0xBF) ||
		                                      (s[i + 1] == 0xBF && (s[i + 2] == 0xBE || s[i + 2] == 0xBF)))) {
			return true; /* BOM, U+FFFE, U+FFFF */
		}
	}
	return false;
}

/* Bytes the one-pass check of k8smig__yaml_style() must look at: 1 controls, DEL and the
 * lead bytes of the escaped Unicode characters (the careful path decides), 2 ':', 4 ' '. */
static const unsigned char style_class[256] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

/* First characters that make a plain scalar impossible (YAML indicators, quotes, space). */
static const unsigned char bad_first[256] = {
	['?'] = 1, [':'] = 1, [','] = 1, ['['] = 1, [']'] = 1, ['{'] = 1, ['}'] = 1, ['#'] = 1, ['&'] = 1,
	['*'] = 1, ['!'] = 1, ['|'] = 1, ['>'] = 1, ['\''] = 1, ['"'] = 1, ['%'] = 1, ['@'] = 1, ['`'] = 1,
	['='] = 1, [' '] = 1,
};

static k8smig__style style_careful(const char *s, size_t n, bool allow_literal);
static k8smig__style style_words(const char *s, size_t n);

const unsigned char k8smig__plain_lead[256] = {
	['/'] = 1, ['_'] = 1,
	['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 2, ['G'] = 1, ['H'] = 1, ['I'] = 1,
	['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 2, ['O'] = 2, ['P'] = 1, ['Q'] = 1, ['R'] = 1,
	['S'] = 1, ['T'] = 2, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1, ['Y'] = 2, ['Z'] = 1,
	['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 2, ['g'] = 1, ['h'] = 1, ['i'] = 1,
	['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 2, ['o'] = 2, ['p'] = 1, ['q'] = 1, ['r'] = 1,
	['s'] = 1, ['t'] = 2, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 2, ['z'] = 1,
};

/* The common case in one pass: no control or special Unicode character. */
k8smig__style k8smig__yaml_style_full(const char *s, size_t n, bool allow_literal)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i;
	char first, last;
	bool indicator = false; /* ": " or " #" inside */

	if (n == 0)
		return K8SMIG__QUOTED;
	for (i = k8smig__plain_safe_run(u, n); i < n; i++) {
		unsigned char k = style_class[u[i]];
		if (!k)
			continue;
		if (k == 1) /* a newline may still make it a literal block */
			return style_careful(s, n, allow_literal);
		if (i + 1 < n && ((k == 2 && u[i + 1] == ' ') || (k == 4 && u[i + 1] == '#')))
			indicator = true;
	}
	if (indicator)
		return K8SMIG__QUOTED;
	first = s[0];
	last = s[n - 1];
	if (first == '-' && (n == 1 || s[1] == ' ' || (n >= 3 && s[1] == '-' && s[2] == '-')))
		return K8SMIG__QUOTED;
	if (bad_first[u[0]] || last == ' ' || last == ':')
		return K8SMIG__QUOTED;
	return style_words(s, n);
}

static k8smig__style style_careful(const char *s, size_t n, bool allow_literal)
{
	bool nl = false, tab = false;
	size_t i;
	char first, last;

	if (n == 0)
		return K8SMIG__QUOTED;
	if (needs_escape((const unsigned char *)s, n, &nl, &tab))
		return K8SMIG__QUOTED;
	if (nl) {
		/* a literal block keeps Fluent Bit configs and scripts readable; its
		 * indentation is detected from the first line, which therefore must
		 * not start with a space or a tab or be empty, and it needs a visible char */
		bool visible = false;
		if (!allow_literal || s[0] == ' ' || s[0] == '\t' || s[0] == '\n')
			return K8SMIG__QUOTED;
		for (i = 0; i < n && !visible; i++)
			visible = s[i] != ' ' && s[i] != '\n' && s[i] != '\t';
		return visible ? K8SMIG__LITERAL : K8SMIG__QUOTED;
	}
	if (tab)
		return K8SMIG__QUOTED;
	first = s[0];
	last = s[n - 1];
	/* "-" may start a plain scalar when a non-space follows (--flag), but not
	 * as a document marker or a number */
	if (first == '-' && (n == 1 || s[1] == ' ' || (n >= 3 && s[1] == '-' && s[2] == '-')))
		return K8SMIG__QUOTED;
	if (strchr("?:,[]{}#&*!|>'\"%@`= ", first) || last == ' ' || last == ':')
		return K8SMIG__QUOTED;
	for (i = 0; i + 1 < n; i++) {
		if ((s[i] == ':' && s[i + 1] == ' ') || (s[i] == ' ' && s[i + 1] == '#'))
			return K8SMIG__QUOTED;
	}
	return style_words(s, n);
}

/* The bytes a number, date or time can hold in some YAML reader (digits, hex, 0x/0o, '_',
 * separators, signs, and the letters of .inf and .nan). */
static const unsigned char number_char[256] = {
	['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
	['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1,
	['E'] = 1, ['F'] = 1, ['x'] = 1, ['X'] = 1, ['o'] = 1, ['O'] = 1, ['_'] = 1, ['.'] = 1, [':'] = 1, ['-'] = 1,
	['+'] = 1, ['i'] = 1, ['I'] = 1, ['n'] = 1, ['N'] = 1,
};

/* Plain unless some reader takes it for a reserved word or a number. */
static k8smig__style style_words(const char *s, size_t n)
{
	char first = s[0];
	/* the reserved words are at most 5 bytes and start with one of these */
	if (n <= 5 && (bool_first[(unsigned char)first] || first == '~' || first == '=' || first == '<') &&
	    (word_in(s, n, null_words) || word_in(s, n, true_words) || word_in(s, n, false_words) ||
	     word_in(s, n, special_words)))
		return K8SMIG__QUOTED;
	if ((first >= '0' && first <= '9') || first == '+' || first == '-' || first == '.') {
		/* a character no number, date or time can hold ("500m", "512Mi", an image
		 * name) settles it without parsing, unless it starts like a date; only
		 * digits ("3", "0644") is an integer to every reader */
		size_t i;
		for (i = 0; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			;
		if (i == n)
			return K8SMIG__QUOTED;
		bool date = n >= 5 && s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9' &&
		            s[2] >= '0' && s[2] <= '9' && s[3] >= '0' && s[3] <= '9' && s[4] == '-';
		/* the leading digits are number bytes already */
		for (; i < n && !date; i++)
			if (!number_char[(unsigned char)s[i]])
				return K8SMIG__PLAIN;
		/* whatever our own reader (kubectl's rules) would not read as a string */
		k8smig__scalar sc;
		k8smig__yaml_resolve_plain(&sc, s, n, false);
		if (sc.type != K8SMIG_TYPE_STRING || is_special_float(s, n) || looks_numeric(s, n))
			return K8SMIG__QUOTED;
	}
	return K8SMIG__PLAIN;
}

/* ---- reading -------------------------------------------------------------- */

bool k8smig__parse_int(const char *s, size_t n, int64_t *out, bool *overflow)
{
	char buf[80];
	size_t i, k = 0;
	bool neg = false;
	int base = 10;
	uint64_t v = 0, limit, cut, cut_d;

	*overflow = false;
	/* go-yaml v2 drops every '_' before parsing */
	for (i = 0; i < n; i++) {
		if (s[i] == '_')
			continue;
		if (k + 1 >= sizeof(buf))
			return false;
		buf[k++] = s[i];
	}
	buf[k] = '\0';
	i = 0;
	if (buf[i] == '+' || buf[i] == '-')
		neg = buf[i++] == '-';
	if (buf[i] == '\0')
		return false;
	if (buf[i] == '0' && buf[i + 1] != '\0') {
		char p = buf[i + 1];
		if (p == 'x' || p == 'X') {
			base = 16; i += 2;
		} else if (p == 'o' || p == 'O') {
			base = 8; i += 2;
		} else if (p == 'b' || p == 'B') {
			base = 2; i += 2;
		} else {
			base = 8; i += 1;
		}
		if (buf[i] == '\0')
			return false;
	}
	limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	/* v * base + d overflows past limit exactly when v > cut, or v == cut and d > cut_d: one
	 * division per number, not per digit */
	cut = limit / (uint64_t)base;
	cut_d = limit % (uint64_t)base;
	for (; buf[i]; i++) {
		char c = buf[i];
		int d;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return false;
		if (d >= base)
			return false;
		if (v > cut || (v == cut && (uint64_t)d > cut_d)) {
			*overflow = true;
			return false;
		}
		v = v * (uint64_t)base + (uint64_t)d;
	}
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	return true;
}

/* go-yaml: ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$ plus .inf/.nan */
bool k8smig__parse_float(const char *s, size_t n, double *out)
{
	size_t i = 0, digits = 0;
	char buf[128];

	if (is_special_float(s, n)) {
		bool neg = s[0] == '-';
		char c = s[(s[0] == '+' || s[0] == '-') ? 2 : 1];
		if (c == 'n' || c == 'N')
			*out = NAN;
		else
			*out = neg ? -INFINITY : INFINITY;
		return true;
	}
	if (n == 0 || n >= sizeof(buf))
		return false;
	if (s[i] == '+' || s[i] == '-')
		i++;
	if (i < n && s[i] == '.') {
		i++;
		while (i < n && s[i] >= '0' && s[i] <= '9') { i++; digits++; }
		if (!digits)
			return false;
	} else {
		while (i < n && s[i] >= '0' && s[i] <= '9') { i++; digits++; }
		if (!digits)
			return false;
		if (i < n && s[i] == '.') {
			i++;
			while (i < n && s[i] >= '0' && s[i] <= '9')
				i++;
		}
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		size_t ed = 0;
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		while (i < n && s[i] >= '0' && s[i] <= '9') { i++; ed++; }
		if (!ed)
			return false;
	}
	if (i != n)
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	*out = strtod(buf, NULL);
	return true;
}

static const char *const true_words_12[] = { "true", "True", "TRUE", NULL };
static const char *const false_words_12[] = { "false", "False", "FALSE", NULL };

void k8smig__yaml_resolve_plain(k8smig__scalar *out, const char *s, size_t n, bool yaml12_bools)
{
	char c = n ? s[0] : '\0';
	bool overflow;

	out->type = K8SMIG_TYPE_STRING;
	if (n == 0 || ((c == '~' || c == 'n' || c == 'N') && word_in(s, n, null_words))) {
		out->type = K8SMIG_TYPE_NULL;
		return;
	}
	/* cheap first-character filter: most values are words */
	if (bool_first[(unsigned char)c]) {
		if (word_in(s, n, yaml12_bools ? true_words_12 : true_words)) {
			out->type = K8SMIG_TYPE_BOOL;
			out->i = 1;
		} else if (word_in(s, n, yaml12_bools ? false_words_12 : false_words)) {
			out->type = K8SMIG_TYPE_BOOL;
			out->i = 0;
		}
		return;
	}
	if (!((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'))
		return;
	if (((c >= '1' && c <= '9') || n == 1) && n <= 18) {
		/* the usual number (a port, a count): decimal digits only, no sign, no '_', cannot overflow */
		int64_t v = 0;
		size_t i;
		for (i = 0; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			v = v * 10 + (s[i] - '0');
		if (i == n) {
			out->type = K8SMIG_TYPE_INT;
			out->i = v;
			return;
		}
	}
	{
		/* a number ends in a digit, a hex digit or '.' (".inf" and ".nan" start with a dot, or
		 * a sign and a dot); "500m" and "512Mi" are strings without trying either reader */
		char z = s[n - 1];
		if (((z >= 'g' && z <= 'z') || (z >= 'G' && z <= 'Z')) && c != '.' && !(n > 1 && s[1] == '.'))
			return;
	}
	if (k8smig__parse_int(s, n, &out->i, &overflow)) {
		out->type = K8SMIG_TYPE_INT;
		return;
	}
	if (overflow) {
		/* go-yaml then tries uint64 and float; both become a JSON number */
		char buf[80];
		size_t k = 0, i;
		for (i = 0; i < n && k + 1 < sizeof(buf); i++)
			if (s[i] != '_')
				buf[k++] = s[i];
		buf[k] = '\0';
		errno = 0;
		{
			char *end;
			out->d = strtod(buf, &end);
			/* the whole text must be the number: "999...9*x" overflows and is a string */
			if (errno == 0 && end != buf && *end == '\0') {
				out->type = K8SMIG_TYPE_DOUBLE;
				return;
			}
		}
	}
	if (k8smig__parse_float(s, n, &out->d))
		out->type = K8SMIG_TYPE_DOUBLE;
}

/* ---- writing doubles ------------------------------------------------------ */

int k8smig__put_double(k8smig__buf *b, double d, bool json)
{
	char tmp[40];
	int prec, len = 0;
	bool has_dot = false, has_exp = false;
	int i;

	if (isnan(d) || isinf(d)) {
		if (json)
			return k8smig__error_set(K8SMIG_EINVAL, "", "JSON cannot hold NaN or infinity");
		return k8smig__buf_puts(b, isnan(d) ? ".nan" : (d < 0 ? "-.inf" : ".inf"));
	}
	/* the shortest form that reads back exactly */
	for (prec = 15; prec <= 17; prec++) {
		len = snprintf(tmp, sizeof(tmp), "%.*g", prec, d);
		if (strtod(tmp, NULL) == d)
			break;
	}
	for (i = 0; i < len; i++) {
		if (tmp[i] == '.')
			has_dot = true;
		else if (tmp[i] == 'e')
			has_exp = true;
	}
	if (has_dot)
		return k8smig__buf_put(b, tmp, (size_t)len);
	if (has_exp) {
		/* PyYAML's float pattern needs a '.' in the mantissa: 1e+20 -> 1.0e+20 */
		char *e = strchr(tmp, 'e');
		if (k8smig__buf_put(b, tmp, (size_t)(e - tmp)) < 0 || k8smig__buf_put(b, ".0", 2) < 0)
			return K8SMIG_ENOMEM;
		return k8smig__buf_puts(b, e);
	}
	if (k8smig__buf_put(b, tmp, (size_t)len) < 0)
		return K8SMIG_ENOMEM;
	return k8smig__buf_put(b, ".0", 2);
}
