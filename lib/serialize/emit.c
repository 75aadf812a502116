/*
 * lib/serialize/emit.c - YAML and JSON emitters, straight from the tree.
 */
#include <stdlib.h>
#include <string.h>

#include "scalar.h"
#include "../model/list.h"

/*
 * The entries of a map in emit order: the root's apiVersion, kind, metadata and spec first
 * (Kubernetes' convention), then the rest as inserted; any other map as inserted. The four
 * are common names, always stored as static key indexes (tree.h), so they are found and
 * skipped by index.
 */

typedef struct entry_iter {
	const k8smig_value *map, *c;
	int phase; /* the root: 0-3 the ordered names, 4 the rest; -1 any other map */
	int idx[4]; /* the static indexes of apiVersion, kind, metadata and spec */
} entry_iter;

/* Where c goes in root order: 0-3 the ordered names, 4 the rest. */
static unsigned root_rank(const entry_iter *it, const k8smig_value *c)
{
	unsigned j;
	if (c->flags & K8SMIG__F_STATIC_KEY)
		for (j = 0; j < 4; j++)
			if (c->key == it->idx[j])
				return j;
	return 4;
}

static __attribute__((noinline)) const k8smig_value *root_next(entry_iter *it)
{
	const k8smig_value *c;
	while (it->phase < 4) {
		int idx = it->idx[it->phase++];
		for (c = k8smig__first(it->map); c; c = k8smig__next(c))
			if ((c->flags & K8SMIG__F_STATIC_KEY) && c->key == idx)
				return c;
	}
	for (c = it->c ? k8smig__next(it->c) : k8smig__first(it->map); c && root_rank(it, c) < 4; c = k8smig__next(c))
		;
	return it->c = c;
}

static __attribute__((noinline)) const k8smig_value *root_first(entry_iter *it)
{
	const k8smig_value *c;
	unsigned rank = 0;
	it->idx[0] = K8SMIG__KI_apiVersion;
	it->idx[1] = K8SMIG__KI_kind;
	it->idx[2] = K8SMIG__KI_metadata;
	it->idx[3] = K8SMIG__KI_spec;
	/* already in root order (ranks never fall: every object built by k8smig_object_new() and
	 * most parsed ones)? then the entries as inserted are the order */
	for (c = k8smig__first(it->map); c; c = k8smig__next(c)) {
		unsigned r = root_rank(it, c);
		if (r < rank)
			break;
		rank = r;
	}
	if (!c) {
		it->phase = -1;
		return it->c = k8smig__first(it->map);
	}
	it->phase = 0;
	return root_next(it);
}

/* The first entry of map (the root's in root order), or NULL. */
static inline const k8smig_value *entries_first(entry_iter *it, const k8smig_value *map, bool root)
{
	it->map = map;
	it->c = NULL;
	if (K8SMIG__UNLIKELY(root))
		return root_first(it);
	it->phase = -1;
	return it->c = k8smig__first(map);
}

static inline const k8smig_value *entries_next(entry_iter *it)
{
	if (K8SMIG__LIKELY(it->phase < 0))
		return it->c = k8smig__next(it->c);
	return root_next(it);
}

/* "00" to "99": two digits per division */
static const char digit_pairs[201] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
                                     "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
                                     "8081828384858687888990919293949596979899";

/* An integer as decimal text at d (room checked by the caller); returns the end. */
static inline char *jc_int(char *d, int64_t i)
{
	char tmp[24], *p = tmp + sizeof(tmp);
	uint64_t x = i < 0 ? (uint64_t)0 - (uint64_t)i : (uint64_t)i;
	size_t n;
	if (i >= 0 && i < 10) { /* replicas, delays, counts: most integers are one digit */
		*d = (char)('0' + i);
		return d + 1;
	}
	while (x >= 100) {
		p -= 2;
		memcpy(p, digit_pairs + 2 * (x % 100), 2);
		x /= 100;
	}
	if (x >= 10) {
		p -= 2;
		memcpy(p, digit_pairs + 2 * x, 2);
	} else {
		*--p = (char)('0' + x);
	}
	if (i < 0)
		*--p = '-';
	n = (size_t)(tmp + sizeof(tmp) - p);
	memcpy(d, p, n);
	return d + n;
}

/* An integer or a boolean as text at d (room checked by the caller); returns the end. */
static inline char *put_int_or_bool(char *d, const k8smig_value *v)
{
	if (v->type == K8SMIG_TYPE_INT)
		return jc_int(d, v->u.i);
	if (v->u.i) {
		memcpy(d, "true", 4);
		return d + 4;
	}
	memcpy(d, "false", 5);
	return d + 5;
}

/* ---- YAML ------------------------------------------------------------------ */

static int put_indent(k8smig__buf *b, unsigned indent)
{
	if (K8SMIG__UNLIKELY(b->cap - b->len <= indent) && k8smig__buf_grow(b, indent) < 0)
		return -1;
	memset(b->data + b->len, ' ', indent);
	b->len += indent;
	return 0;
}

/* Bytes put_quoted() must look at: 1 in JSON and YAML (controls, '"', '\\', DEL),
 * 2 only in YAML (lead bytes of C1 controls, U+2028/2029, BOM and U+FFFE/FFFF). */
static const unsigned char quote_class[256] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	['"'] = 1, ['\\'] = 1, [0x7F] = 1, [0xC2] = 2, [0xE2] = 2, [0xEF] = 2,
};

static int put_quoted(k8smig__buf *b, const char *s, size_t n, bool json)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, run = 0;
	const unsigned char *u = (const unsigned char *)s;
	unsigned char stop = json ? 1 : 3;

	/* room for the common case (nothing escaped) in one check */
	if (K8SMIG__UNLIKELY(b->cap - b->len <= n + 2) && k8smig__buf_grow(b, n + 2) < 0)
		return -1;
	b->data[b->len++] = '"';
	for (i = k8smig__quote_safe_run(u, n); i < n; i++) {
		unsigned char c = u[i];
		const char *esc = NULL;
		char ubuf[8];
		size_t skip = 0;

		if (!(quote_class[c] & stop))
			continue;
		if (c == '"')
			esc = "\\\"";
		else if (c == '\\')
			esc = "\\\\";
		else if (c == '\n')
			esc = "\\n";
		else if (c == '\t')
			esc = "\\t";
		else if (c == '\r')
			esc = "\\r";
		else if (c < 0x20 || c == 0x7F) {
			memcpy(ubuf, "\\u00", 4);
			ubuf[4] = hex[c >> 4];
			ubuf[5] = hex[c & 15];
			ubuf[6] = '\0';
			esc = ubuf;
		} else if (c == 0xC2 && i + 1 < n && u[i + 1] >= 0x80 && u[i + 1] <= 0x9F) {
			memcpy(ubuf, "\\u00", 4);
			ubuf[4] = hex[u[i + 1] >> 4];
			ubuf[5] = hex[u[i + 1] & 15];
			ubuf[6] = '\0';
			esc = ubuf;
			skip = 1;
		} else if (c == 0xE2 && i + 2 < n && u[i + 1] == 0x80 && (u[i + 2] == 0xA8 || u[i + 2] == 0xA9)) {
			esc = u[i + 2] == 0xA8 ? "\\u2028" : "\\u2029";
			skip = 2;
		} else if (c == 0xEF && i + 2 < n && ((u[i + 1] == 0xBB && u[i + 2] == 0xBF) ||
		                                      (u[i + 1] == 0xBF && u[i + 2] >= 0xBE))) {
			esc = u[i + 1] == 0xBB ? "\\ufeff" : (u[i + 2] == 0xBE ? "\\ufffe" : "\\uffff");
			skip = 2;
		} else {
			continue;
		}
		if (k8smig__buf_put(b, s + run, i - run) < 0 || k8smig__buf_puts(b, esc) < 0)
			return -1;
		i += skip;
		run = i + 1;
	}
	if (K8SMIG__UNLIKELY(b->cap - b->len <= n - run + 1) && k8smig__buf_grow(b, n - run + 1) < 0)
		return -1;
	memcpy(b->data + b->len, s + run, n - run);
	b->len += n - run;
	b->data[b->len++] = '"';
	return 0;
}

/* A common field name, as is: it needs no escape in JSON and no quotes in YAML. */
static int put_static_key(k8smig__buf *b, const k8smig_value *c, bool quoted)
{
	size_t n = k8smig__static_key_lens[c->key];
	char *d;
	if (K8SMIG__UNLIKELY(b->cap - b->len <= K8SMIG__STATIC_KEY_PAD + 2) && k8smig__buf_grow(b, K8SMIG__STATIC_KEY_PAD + 2) < 0)
		return -1;
	d = b->data + b->len;
	if (quoted)
		*d++ = '"';
	/* a fixed-size copy (no call); the padding past n is overwritten next */
	memcpy(d, k8smig__static_keys_padded[c->key], K8SMIG__STATIC_KEY_PAD);
	d += n;
	if (quoted)
		*d++ = '"';
	b->len = (size_t)(d - b->data);
	return 0;
}

static int put_literal(k8smig__buf *b, const char *s, size_t n, unsigned indent)
{
	size_t trailing = 0, i, start;

	while (trailing < n && s[n - 1 - trailing] == '\n')
		trailing++;
	if (k8smig__buf_puts(b, trailing == 0 ? "|-\n" : trailing == 1 ? "|\n" : "|+\n") < 0)
		return -1;
	/* content lines; trailing newlines are carried by the chomping indicator */
	for (start = 0, i = 0; i <= n - trailing; i++) {
		if (i == n - trailing || s[i] == '\n') {
			if (i > start && put_indent(b, indent) < 0)
				return -1;
			if (k8smig__buf_put(b, s + start, i - start) < 0 || k8smig__buf_putc(b, '\n') < 0)
				return -1;
			start = i + 1;
		}
	}
	/* keep chomping: the extra newlines become empty lines */
	for (i = 1; i < trailing; i++)
		if (k8smig__buf_putc(b, '\n') < 0)
			return -1;
	return 0;
}

static int yaml_string(k8smig__buf *b, const char *s, size_t n, unsigned indent, bool is_key)
{
	switch (k8smig__yaml_style(s, n, !is_key)) {
	case K8SMIG__PLAIN:
		return k8smig__buf_put(b, s, n);
	case K8SMIG__LITERAL:
		return put_literal(b, s, n, indent);
	default:
		return put_quoted(b, s, n, false);
	}
}

static int yaml_node(k8smig__buf *b, const k8smig_value *v, unsigned indent, bool root);

/* A scalar or empty container after "key: " or "- "; ends the line. */
/* A string value after "key: " or "- " in the given style, and its newline. */
static int yaml_string_value(k8smig__buf *b, const k8smig_value *v, k8smig__style style, unsigned indent)
{
	switch (style) {
	case K8SMIG__LITERAL:
		return put_literal(b, k8smig__str(v), v->n, indent);
	case K8SMIG__PLAIN:
		/* the text and its newline with one room check */
		if (K8SMIG__UNLIKELY(b->cap - b->len <= (size_t)v->n + 1) && k8smig__buf_grow(b, (size_t)v->n + 1) < 0)
			return -1;
		k8smig__copy(b->data + b->len, k8smig__str(v), v->n);
		b->len += v->n;
		b->data[b->len++] = '\n';
		return 0;
	default:
		if (put_quoted(b, k8smig__str(v), v->n, false) < 0)
			return -1;
		return k8smig__buf_putc(b, '\n');
	}
}

static int yaml_inline(k8smig__buf *b, const k8smig_value *v, unsigned indent)
{
	int rc = 0;
	switch (v->type) {
	case K8SMIG_TYPE_NULL:
		rc = k8smig__buf_put(b, "null", 4);
		break;
	case K8SMIG_TYPE_BOOL:
		rc = v->u.i ? k8smig__buf_put(b, "true", 4) : k8smig__buf_put(b, "false", 5);
		break;
	case K8SMIG_TYPE_INT:
		rc = k8smig__buf_put_int(b, v->u.i);
		break;
	case K8SMIG_TYPE_DOUBLE:
		rc = k8smig__put_double(b, v->u.d, false);
		break;
	case K8SMIG_TYPE_STRING:
		return yaml_string_value(b, v, k8smig__yaml_style(k8smig__str(v), v->n, true), indent);
	case K8SMIG_TYPE_MAP:
		rc = k8smig__buf_put(b, "{}", 2);
		break;
	default:
		rc = k8smig__buf_put(b, "[]", 2);
		break;
	}
	if (rc < 0)
		return rc;
	return k8smig__buf_putc(b, '\n');
}

static bool is_block(const k8smig_value *v)
{
	return (v->type == K8SMIG_TYPE_MAP || v->type == K8SMIG_TYPE_LIST) && v->n > 0;
}

/* YAML reads an implicit ("simple") key of at most 1024 characters */
#define SIMPLE_KEY_MAX 1024

/* One "key: value" entry at indent; `first_inline` when the cursor already sits after "- ". */
static int yaml_entry(k8smig__buf *b, const k8smig_value *c, unsigned indent, bool first_inline)
{
	const char *k;
	size_t kstart;

	if (c->flags & K8SMIG__F_STATIC_KEY) {
		/* the common case with one room check: indent, a common name (short, plain), ':' */
		size_t ind = first_inline ? 0 : indent;
		char *d;
		if (K8SMIG__UNLIKELY(b->cap - b->len <= ind + K8SMIG__STATIC_KEY_PAD + 2) &&
		    k8smig__buf_grow(b, ind + K8SMIG__STATIC_KEY_PAD + 2) < 0)
			return -1;
		d = b->data + b->len;
		memset(d, ' ', ind);
		d += ind;
		memcpy(d, k8smig__static_keys_padded[c->key], K8SMIG__STATIC_KEY_PAD);
		d += k8smig__static_key_lens[c->key];
		*d++ = ':';
		if (is_block(c)) {
			*d++ = '\n';
			b->len = (size_t)(d - b->data);
			/* kubectl style: list items sit at the key's indentation */
			return yaml_node(b, c, c->type == K8SMIG_TYPE_LIST ? indent : indent + 2, false);
		}
		*d++ = ' ';
		b->len = (size_t)(d - b->data);
		return yaml_inline(b, c, indent + 2);
	}
	if (!first_inline && put_indent(b, indent) < 0)
		return -1;
	kstart = b->len;
	if (c->flags & K8SMIG__F_STATIC_KEY) {
		if (put_static_key(b, c, false) < 0)
			return -1;
	} else if (k = k8smig__key(c), yaml_string(b, k, strlen(k), indent, true) < 0) {
		return -1;
	}
	if (b->len - kstart > SIMPLE_KEY_MAX) {
		/* too long for an implicit key: "? key" then ": value" on the next line */
		size_t klen = b->len - kstart;
		if (k8smig__buf_grow(b, 2) < 0)
			return -1;
		memmove(b->data + kstart + 2, b->data + kstart, klen);
		memcpy(b->data + kstart, "? ", 2);
		b->len += 2;
		if (k8smig__buf_putc(b, '\n') < 0 || put_indent(b, indent) < 0 || k8smig__buf_putc(b, ':') < 0)
			return -1;
		if (is_block(c))
			return k8smig__buf_putc(b, '\n') < 0 ? -1 : yaml_node(b, c, indent + 2, false);
		return k8smig__buf_putc(b, ' ') < 0 ? -1 : yaml_inline(b, c, indent + 2);
	}
	if (k8smig__buf_putc(b, ':') < 0)
		return -1;
	if (is_block(c)) {
		if (k8smig__buf_putc(b, '\n') < 0)
			return -1;
		/* kubectl style: list items sit at the key's indentation */
		return yaml_node(b, c, c->type == K8SMIG_TYPE_LIST ? indent : indent + 2, false);
	}
	if (k8smig__buf_putc(b, ' ') < 0)
		return -1;
	return yaml_inline(b, c, indent + 2);
}

/* Room yaml_block needs after an entry's indentation: the spaces copied as one fixed-size
 * block, a common name, ": " and a number or a boolean with its newline. */
#define YB_SPACES 32
#define YB_ROOM (YB_SPACES + K8SMIG__STATIC_KEY_PAD + 32)

/*
 * A non-empty map or list whose first line starts at indent (cursor at line start), or
 * after "- " when first_inline. One loop writes each entry with a common-name key, and
 * each list item, with its indentation and a plain string, number or boolean after one
 * room check; other keys and scalars go through yaml_entry() and yaml_inline().
 */
static int yaml_block(k8smig__buf *b, const k8smig_value *v, unsigned indent, bool first_inline, bool root)
{
	static const char spaces[YB_SPACES + 1] = "                                ";
	const k8smig_value *c;
	bool map = v->type == K8SMIG_TYPE_MAP, inl = first_inline;
	entry_iter it;

	for (c = map ? entries_first(&it, v, root) : k8smig__first(v); c;
	     c = map ? entries_next(&it) : k8smig__next(c), inl = false) {
		size_t ind = inl ? 0 : indent;
		char *d;
		if (map && !(c->flags & K8SMIG__F_STATIC_KEY)) {
			if (yaml_entry(b, c, indent, inl) < 0)
				return -1;
			continue;
		}
		if (K8SMIG__UNLIKELY(b->cap - b->len <= ind + YB_ROOM) && k8smig__buf_grow(b, ind + YB_ROOM) < 0)
			return -1;
		d = b->data + b->len;
		if (K8SMIG__LIKELY(ind <= YB_SPACES))
			memcpy(d, spaces, YB_SPACES); /* fixed size: no call; the excess is overwritten next */
		else
			memset(d, ' ', ind);
		d += ind;
		if (map) {
			memcpy(d, k8smig__static_keys_padded[c->key], K8SMIG__STATIC_KEY_PAD);
			d += k8smig__static_key_lens[c->key];
			*d++ = ':';
			if (is_block(c)) {
				*d++ = '\n';
				b->len = (size_t)(d - b->data);
				/* kubectl style: list items sit at the key's indentation */
				if (yaml_block(b, c, c->type == K8SMIG_TYPE_LIST ? indent : indent + 2, false, false) < 0)
					return -1;
				continue;
			}
			*d++ = ' ';
		} else {
			*d++ = '-';
			*d++ = ' ';
			if (is_block(c)) {
				b->len = (size_t)(d - b->data);
				if (yaml_block(b, c, indent + 2, true, false) < 0)
					return -1;
				continue;
			}
		}
		switch (c->type) {
		case K8SMIG_TYPE_INT:
		case K8SMIG_TYPE_BOOL:
			d = put_int_or_bool(d, c);
			break;
		case K8SMIG_TYPE_STRING: {
			k8smig__style style = k8smig__yaml_style(k8smig__str(c), c->n, true);
			if (style == K8SMIG__PLAIN && K8SMIG__LIKELY((size_t)(b->data + b->cap - d) > (size_t)c->n + 1)) {
				k8smig__copy(d, k8smig__str(c), c->n);
				d += c->n;
				break;
			}
			b->len = (size_t)(d - b->data);
			if (yaml_string_value(b, c, style, indent + 2) < 0)
				return -1;
			continue;
		}
		default:
			b->len = (size_t)(d - b->data);
			if (yaml_inline(b, c, indent + 2) < 0)
				return -1;
			continue;
		}
		*d++ = '\n';
		b->len = (size_t)(d - b->data);
	}
	return 0;
}

static int yaml_node(k8smig__buf *b, const k8smig_value *v, unsigned indent, bool root)
{
	if (is_block(v))
		return yaml_block(b, v, indent, false, root);
	return yaml_inline(b, v, indent);
}

/* ---- JSON ------------------------------------------------------------------ */

static int json_node(k8smig__buf *b, const k8smig_value *v, int indent, unsigned depth, bool root);

static int json_newline(k8smig__buf *b, int indent, unsigned depth)
{
	if (indent < 0)
		return 0;
	if (k8smig__buf_putc(b, '\n') < 0)
		return -1;
	return put_indent(b, (unsigned)indent * depth);
}

static int json_member(k8smig__buf *b, const k8smig_value *c, int indent, unsigned depth, bool *first)
{
	const char *k;
	if (!*first && k8smig__buf_putc(b, ',') < 0)
		return -1;
	*first = false;
	if (json_newline(b, indent, depth + 1) < 0)
		return -1;
	if (c->flags & K8SMIG__F_STATIC_KEY) {
		if (put_static_key(b, c, true) < 0)
			return -1;
	} else if (k = k8smig__key(c), put_quoted(b, k, strlen(k), true) < 0) {
		return -1;
	}
	if ((indent < 0 ? k8smig__buf_putc(b, ':') : k8smig__buf_put(b, ": ", 2)) < 0)
		return -1;
	return json_node(b, c, indent, depth + 1, false);
}

static int json_node(k8smig__buf *b, const k8smig_value *v, int indent, unsigned depth, bool root)
{
	const k8smig_value *c;
	bool first = true;
	int rc;

	switch (v->type) {
	case K8SMIG_TYPE_NULL:
		return k8smig__buf_put(b, "null", 4);
	case K8SMIG_TYPE_BOOL:
		return v->u.i ? k8smig__buf_put(b, "true", 4) : k8smig__buf_put(b, "false", 5);
	case K8SMIG_TYPE_INT:
		return k8smig__buf_put_int(b, v->u.i);
	case K8SMIG_TYPE_DOUBLE:
		return k8smig__put_double(b, v->u.d, true);
	case K8SMIG_TYPE_STRING:
		return put_quoted(b, k8smig__str(v), v->n, true);
	case K8SMIG_TYPE_MAP:
		if (k8smig__buf_putc(b, '{') < 0)
			return -1;
		{
			entry_iter it;
			for (c = entries_first(&it, v, root); c; c = entries_next(&it))
				if ((rc = json_member(b, c, indent, depth, &first)) < 0)
					return rc;
		}
		if (!first && json_newline(b, indent, depth) < 0)
			return -1;
		return k8smig__buf_putc(b, '}');
	default:
		if (k8smig__buf_putc(b, '[') < 0)
			return -1;
		for (c = k8smig__first(v); c; c = k8smig__next(c)) {
			if (!first && k8smig__buf_putc(b, ',') < 0)
				return -1;
			first = false;
			if (json_newline(b, indent, depth + 1) < 0 || (rc = json_node(b, c, indent, depth + 1, false)) < 0)
				return -1;
		}
		if (!first && json_newline(b, indent, depth) < 0)
			return -1;
		return k8smig__buf_putc(b, ']');
	}
}

/* ---- compact JSON ------------------------------------------------------------ */

/*
 * The compact form (one line, what the API server is sent) in one pass with one room
 * check per entry: an entry's separator, common-name key and scalar fit in JC_ROOM
 * bytes; strings check their own room, and only a string that needs escapes goes
 * through put_quoted().
 */
#define JC_ROOM (K8SMIG__STATIC_KEY_PAD + 48)

static int jc_node(k8smig__buf *b, const k8smig_value *v, bool root);

/* s[0..n), which needs no escape, quoted at d (room for n + 2 checked); returns the end. */
static inline char *jc_quoted_copy(char *d, const char *s, size_t n)
{
	*d++ = '"';
	k8smig__copy(d, s, n);
	d[n] = '"';
	return d + n + 1;
}

static inline __attribute__((always_inline)) int jc_string(k8smig__buf *b, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i;
	for (i = k8smig__quote_safe_run(u, n); i < n; i++)
		if (quote_class[u[i]] & 1)
			return put_quoted(b, s, n, true);
	if (K8SMIG__UNLIKELY(b->cap - b->len <= n + 2) && k8smig__buf_grow(b, n + 2) < 0)
		return -1;
	b->len = (size_t)(jc_quoted_copy(b->data + b->len, s, n) - b->data);
	return 0;
}

/*
 * A non-empty container: one loop over its entries writes each separator, key and scalar
 * after one room check; only a non-empty container below, an escaped string or a double
 * is a call. The write position lives in a local (d, with the buffer's end in e) and is
 * stored back only around calls: stores through a char pointer would otherwise make the
 * compiler reload the buffer's fields after each one.
 */
static int jc_node(k8smig__buf *b, const k8smig_value *v, bool root)
{
	const k8smig_value *c;
	bool map = v->type == K8SMIG_TYPE_MAP, first = true;
	entry_iter it;
	char *d, *e;

#define JC_SYNC() (b->len = (size_t)(d - b->data))
#define JC_LOAD() (d = b->data + b->len, e = b->data + b->cap)
#define JC_ROOM_FOR(n)                                                                                  \
	do {                                                                                            \
		if (K8SMIG__UNLIKELY((size_t)(e - d) <= (n))) {                                         \
			JC_SYNC();                                                                      \
			if (k8smig__buf_grow(b, (n)) < 0)                                               \
				return -1;                                                              \
			JC_LOAD();                                                                      \
		}                                                                                       \
	} while (0)

	if (K8SMIG__UNLIKELY(b->cap - b->len <= JC_ROOM) && k8smig__buf_grow(b, JC_ROOM) < 0)
		return -1;
	JC_LOAD();
	*d++ = map ? '{' : '[';
	for (c = map ? entries_first(&it, v, root) : k8smig__first(v); c;
	     c = map ? entries_next(&it) : k8smig__next(c), first = false) {
		JC_ROOM_FOR(JC_ROOM);
		if (!first)
			*d++ = ',';
		if (!map) {
			/* list item: nothing before the value */
		} else if (c->flags & K8SMIG__F_STATIC_KEY) {
			/* "name": as one fixed-size copy (no call); the padding is overwritten next */
			memcpy(d, k8smig__static_keys_json[c->key], K8SMIG__STATIC_KEY_PAD);
			d += k8smig__static_key_lens[c->key] + 3u;
		} else {
			const char *k = k8smig__key(c);
			JC_SYNC();
			if (jc_string(b, k, strlen(k)) < 0 || k8smig__buf_putc(b, ':') < 0)
				return -1;
			JC_LOAD();
			JC_ROOM_FOR(JC_ROOM);
		}
		switch (c->type) {
		case K8SMIG_TYPE_STRING: {
			const char *s = k8smig__str(c);
			size_t n = c->n;
			if (K8SMIG__LIKELY(k8smig__quote_safe_run((const unsigned char *)s, n) == n)) {
				JC_ROOM_FOR(n + 2);
				d = jc_quoted_copy(d, s, n);
				break;
			}
			JC_SYNC();
			if (jc_string(b, s, n) < 0)
				return -1;
			JC_LOAD();
			break;
		}
		case K8SMIG_TYPE_INT:
		case K8SMIG_TYPE_BOOL:
			d = put_int_or_bool(d, c);
			break;
		case K8SMIG_TYPE_NULL:
			memcpy(d, "null", 4);
			d += 4;
			break;
		case K8SMIG_TYPE_DOUBLE:
			JC_SYNC();
			if (k8smig__put_double(b, c->u.d, true) < 0)
				return -1;
			JC_LOAD();
			break;
		default:
			if (c->n == 0) {
				*d++ = c->type == K8SMIG_TYPE_MAP ? '{' : '[';
				*d++ = c->type == K8SMIG_TYPE_MAP ? '}' : ']';
				break;
			}
			JC_SYNC();
			if (jc_node(b, c, false) < 0)
				return -1;
			JC_LOAD();
			break;
		}
	}
	JC_ROOM_FOR(1);
	*d++ = map ? '}' : ']';
	JC_SYNC();
	return 0;
#undef JC_SYNC
#undef JC_LOAD
#undef JC_ROOM_FOR
}

/* A whole value in compact JSON. */
static int jc_value(k8smig__buf *b, const k8smig_value *v, bool root)
{
	char *d;
	if ((v->type == K8SMIG_TYPE_MAP || v->type == K8SMIG_TYPE_LIST) && v->n > 0)
		return jc_node(b, v, root);
	if (v->type == K8SMIG_TYPE_STRING)
		return jc_string(b, k8smig__str(v), v->n);
	if (v->type == K8SMIG_TYPE_DOUBLE)
		return k8smig__put_double(b, v->u.d, true);
	if (K8SMIG__UNLIKELY(b->cap - b->len <= JC_ROOM) && k8smig__buf_grow(b, JC_ROOM) < 0)
		return -1;
	d = b->data + b->len;
	switch (v->type) {
	case K8SMIG_TYPE_INT:
	case K8SMIG_TYPE_BOOL:
		d = put_int_or_bool(d, v);
		break;
	case K8SMIG_TYPE_NULL:
		memcpy(d, "null", 4);
		d += 4;
		break;
	default:
		*d++ = v->type == K8SMIG_TYPE_MAP ? '{' : '[';
		*d++ = v->type == K8SMIG_TYPE_MAP ? '}' : ']';
		break;
	}
	b->len = (size_t)(d - b->data);
	return 0;
}

/* ---- entry points ------------------------------------------------------------ */

static const k8smig_emit_options emit_defaults = K8SMIG_EMIT_OPTIONS_INIT;
static const size_t emit_options_sizes[] = { sizeof(k8smig_emit_options) };

int k8smig_emit_options_init(k8smig_emit_options *opts, unsigned int version)
{
	return K8SMIG__OPTIONS_INIT(opts, version, &emit_defaults, emit_options_sizes, "k8smig_emit_options");
}

static int check_emit_options(const k8smig_emit_options *opts, k8smig_emit_options *o)
{
	int rc;
	*o = emit_defaults;
	if ((rc = K8SMIG__OPTIONS_LOAD(o, opts, emit_options_sizes, "k8smig_emit_options")) < 0)
		return rc;
	if (o->format == K8SMIG_FORMAT_AUTO)
		o->format = K8SMIG_FORMAT_YAML;
	if (o->format != K8SMIG_FORMAT_YAML && o->format != K8SMIG_FORMAT_JSON)
		return k8smig__error_set(K8SMIG_EINVAL, "", "unknown output format %d", (int)o->format);
	return 0;
}

/* Append one object; `index` > 0 adds the stream separator; `stream` when part of a list. */
static int emit_one(k8smig__buf *b, const k8smig_object *obj, const k8smig_emit_options *o, size_t index, bool stream)
{
	const k8smig_value *root;
	size_t mark = b->len;
	int rc;

	if (!obj)
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL object");
	if ((rc = k8smig_object_status(obj)) < 0)
		return stream ? k8smig__error_name_object(obj, index) : rc; /* in a list: say which object */
	root = k8smig__node(obj, obj->root);
	if (o->format == K8SMIG_FORMAT_JSON) {
		int indent = (o->flags & K8SMIG_EMIT_COMPACT) ? -1 : 4;
		rc = (index && k8smig__buf_putc(b, '\n') < 0) ? -1
		     : indent < 0 ? jc_value(b, root, true) : json_node(b, root, indent, 0, true);
	} else {
		/* a stream must not open with "{": readers (ours, kubectl's) would take it for JSON */
		bool separate = index || (stream && root->n == 0);
		rc = (separate && k8smig__buf_put(b, "---\n", 4) < 0) ? -1 : yaml_node(b, root, 0, true);
	}
	if (rc < 0) {
		b->len = mark;
		return b->failed ? K8SMIG_ENOMEM : k8smig_error_last()->code ? k8smig_error_last()->code : K8SMIG_ERROR;
	}
	return 0;
}

static int finish_json(k8smig__buf *b, const k8smig_emit_options *o, size_t count)
{
	/* JSON text ends with a newline like kubectl's */
	return (o->format == K8SMIG_FORMAT_JSON && count) ? k8smig__buf_putc(b, '\n') : 0;
}

int k8smig_object_emit(char **out, size_t *len_out, const k8smig_object *obj, const k8smig_emit_options *opts)
{
	k8smig__buf b = K8SMIG__BUF_INIT;
	k8smig_emit_options o;
	int rc;

	if (!out)
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL out");
	*out = NULL;
	if (len_out)
		*len_out = 0;
	if ((rc = check_emit_options(opts, &o)) < 0)
		return rc;
	/* the text is about as long as the arena: one allocation in the common case */
	if (obj && k8smig__buf_grow(&b, obj->used) < 0)
		return K8SMIG_ENOMEM;
	if ((rc = emit_one(&b, obj, &o, 0, false)) < 0 || (rc = finish_json(&b, &o, 1)) < 0) {
		k8smig__buf_free(&b);
		return rc;
	}
	if (!(*out = k8smig__buf_detach(&b, len_out)))
		return K8SMIG_ENOMEM;
	return 0;
}

int k8smig_object_list_emit(char **out, size_t *len_out, const k8smig_object_list *list, const k8smig_emit_options *opts)
{
	k8smig__buf b = K8SMIG__BUF_INIT;
	k8smig_emit_options o;
	size_t i;
	int rc;

	if (!out)
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL out");
	*out = NULL;
	if (len_out)
		*len_out = 0;
	if (!list)
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL list");
	if ((rc = check_emit_options(opts, &o)) < 0)
		return rc;
	for (i = 0; i < list->n; i++) {
		if ((rc = emit_one(&b, list->items[i], &o, i, true)) < 0) {
			k8smig__buf_free(&b);
			return rc;
		}
	}
	if ((rc = finish_json(&b, &o, list->n)) < 0 || !(*out = k8smig__buf_detach(&b, len_out))) {
		k8smig__buf_free(&b);
		return rc < 0 ? rc : K8SMIG_ENOMEM;
	}
	return 0;
}

#define WRITE_CHUNK 65536

static int flush(k8smig__buf *b, k8smig_write_cb cb, void *payload)
{
	if (b->len && cb(b->data, b->len, payload) != 0)
		return k8smig__error_set(K8SMIG_EIO, "", "the writer stopped");
	b->len = 0;
	return 0;
}

int k8smig_object_list_write(const k8smig_object_list *list, const k8smig_emit_options *opts, k8smig_write_cb cb, void *payload)
{
	k8smig__buf b = K8SMIG__BUF_INIT;
	k8smig_emit_options o;
	size_t i;
	int rc = 0;

	if (!list || !cb)
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL list or callback");
	if ((rc = check_emit_options(opts, &o)) < 0)
		return rc;
	for (i = 0; i < list->n && rc == 0; i++) {
		if ((rc = emit_one(&b, list->items[i], &o, i, true)) == 0 && b.len >= WRITE_CHUNK)
			rc = flush(&b, cb, payload);
	}
	if (rc == 0 && (rc = finish_json(&b, &o, list->n)) == 0)
		rc = flush(&b, cb, payload);
	k8smig__buf_free(&b);
	return rc;
}
