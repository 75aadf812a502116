/*
 * lib/serialize/json_parse.c - JSON text straight into k8smig_object trees.
 *
 * Accepts one object or a stream of objects separated by white space (what
 * kubectl reads). One pass over the text, no intermediate tree: every value
 * becomes a node of the document's arena as it is read (docs/benchmarks.md
 * has the figures that chose this over jansson). RFC 8259 strictly: no
 * comments, no trailing commas, no leading zeros, strings of valid UTF-8
 * without raw control characters; duplicate keys, \u0000 and lone surrogates
 * are errors; integers must fit int64 and reals must be finite. Errors carry
 * the line and column (in characters) of the offending byte in the whole
 * input; limit errors also name the field path.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "keyset.h"
#include "parse.h"
#include "scalar.h"
#include "../model/list.h"

#define STATIC_KEY_BIT 0x80000000u

typedef struct jframe {
	uint32_t node;  /* container being filled */
	uint32_t key;   /* map: key of the entry being read (STATIC_KEY_BIT | index, or arena offset) */
	bool is_map;
} jframe;

typedef struct jparser {
	const unsigned char *s;
	size_t len, pos;
	const k8smig_parse_options *opts;
	k8smig_object *obj;
	jframe *stack;
	size_t depth, cap;
	k8smig__keyset keys;
	size_t arena_hint;  /* arena size of the previous document: most streams repeat a shape */
} jparser;

/* ---- errors ------------------------------------------------------------------------ */

static const char *key_text(const jparser *p, uint32_t key)
{
	return (key & STATIC_KEY_BIT) ? k8smig__static_keys[key & ~STATIC_KEY_BIT] : p->obj->base + key;
}

/*
 * Field path of the value being read, e.g. spec.template.spec.containers[0].image:
 * the pending key of each map, the last item of each list below the top frame, and
 * in the top list the next item (or the last one when `linked`, a container that
 * was just added).
 */
static char *current_path(const jparser *p, bool linked)
{
	k8smig__buf b = K8SMIG__BUF_INIT;
	size_t i;

	if (!p->obj)
		return NULL;
	for (i = 0; i < p->depth; i++) {
		const jframe *f = &p->stack[i];
		bool top = i + 1 == p->depth;
		if (f->is_map) {
			const char *k;
			if (!f->key)
				break;
			k = key_text(p, f->key);
			if (strpbrk(k, ".[]") || !*k) {
				k8smig__buf_printf(&b, "[%s]", k);
			} else {
				if (b.len)
					k8smig__buf_putc(&b, '.');
				k8smig__buf_puts(&b, k);
			}
		} else {
			uint32_t n = k8smig__node(p->obj, f->node)->n;
			k8smig__buf_printf(&b, "[%u]", (unsigned)(top && !linked ? n : n - 1));
		}
	}
	return k8smig__buf_detach(&b, NULL);
}

/* Line and column (1-based, in characters) of byte `at`. */
static void position(const unsigned char *s, size_t at, int *line, int *col)
{
	size_t i, start = 0;
	int l = 1, c = 1;
	for (i = 0; i < at; i++)
		if (s[i] == '\n') {
			l++;
			start = i + 1;
		}
	for (i = start; i < at; i++)
		if ((s[i] & 0xC0) != 0x80)
			c++;
	*line = l;
	*col = c;
}

static int fail_at(const jparser *p, size_t at, bool linked, const char *msg)
{
	char *path = current_path(p, linked);
	int line, col;
	k8smig__error_set(K8SMIG_EPARSE, path ? path : "", "%s", msg);
	free(path);
	position(p->s, at < p->len ? at : p->len, &line, &col);
	k8smig__error_set_position(line, col);
	return K8SMIG_EPARSE;
}

/* ---- lexing ------------------------------------------------------------------------- */

static inline void skip_ws(jparser *p)
{
	while (p->pos < p->len) {
		unsigned char c = p->s[p->pos];
		if (c != ' ' && c != '\n' && c != '\r' && c != '\t')
			return;
		p->pos++;
	}
}

static inline int peek(const jparser *p)
{
	return p->pos < p->len ? p->s[p->pos] : -1;
}

/* 1 for bytes a string may hold as they are (ASCII, not '"', '\\' or a control character). */
static const unsigned char plain_byte[256] = {
#define R16(x) x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x
	R16(0), R16(0),
	1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,   /* 0x20: '"' is 0 */
	R16(1), R16(1),
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,   /* 0x50: '\\' is 0 */
	R16(1), R16(1),
	R16(0), R16(0), R16(0), R16(0), R16(0), R16(0), R16(0), R16(0)
#undef R16
};

static int hex4(const unsigned char *h, uint32_t *out)
{
	uint32_t v = 0;
	int i;
	for (i = 0; i < 4; i++) {
		unsigned char c = h[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (uint32_t)(c - '0');
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			v |= (uint32_t)((c | 0x20) - 'a' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

/*
 * Scan the string whose opening quote is at p->pos. On success (*start, *n) is the raw
 * text between the quotes, *escaped says whether it holds escapes, and p->pos is past
 * the closing quote.
 */
static int scan_string(jparser *p, size_t *start, size_t *n, bool *escaped)
{
	const unsigned char *s = p->s;
	size_t i = p->pos + 1, len = p->len;
	bool high = false;

	*escaped = false;
	for (;;) {
		while (i < len && plain_byte[s[i]])
			i++;
		if (i >= len)
			return fail_at(p, p->pos, false, "string without its closing quote");
		if (s[i] == '"')
			break;
		if (s[i] == '\\') {
			*escaped = true;
			if (i + 1 >= len)
				return fail_at(p, p->pos, false, "string without its closing quote");
			i += 2;
			continue;
		}
		if (s[i] < 0x20)
			return fail_at(p, i, false, "control character in a string (escape it)");
		high = true;
		i++;
	}
	*start = p->pos + 1;
	*n = i - *start;
	if (high) {
		size_t ok = k8smig__utf8_valid_prefix((const char *)s + *start, *n);
		if (ok != *n)
			return fail_at(p, *start + ok, false, "string is not valid UTF-8");
	}
	p->pos = i + 1;
	return 0;
}

static size_t put_utf8(unsigned char *d, uint32_t cp)
{
	if (cp < 0x80) {
		d[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		d[0] = (unsigned char)(0xC0 | (cp >> 6));
		d[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		d[0] = (unsigned char)(0xE0 | (cp >> 12));
		d[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		d[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	d[0] = (unsigned char)(0xF0 | (cp >> 18));
	d[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
	d[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
	d[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

/*
 * Copy the raw string at [start, start+n) into the arena and decode its escapes in
 * place (the result is never longer than the raw text, and each byte is written no
 * later than it is read). Returns the arena offset, 0 on error; *out_len is the
 * decoded length.
 */
static uint32_t store_string(jparser *p, size_t start, size_t n, bool escaped, size_t *out_len)
{
	unsigned char *d;
	uint32_t off;
	size_t i, o = 0;

	if (!(off = k8smig__string_new(p->obj, (const char *)p->s + start, n)))
		return 0;
	*out_len = n;
	if (!escaped)
		return off;
	d = (unsigned char *)p->obj->base + off;
	for (i = 0; i < n; i++) {
		uint32_t cp, lo;
		if (d[i] != '\\') {
			d[o++] = d[i];
			continue;
		}
		switch (d[++i]) {
		case '"': d[o++] = '"'; break;
		case '\\': d[o++] = '\\'; break;
		case '/': d[o++] = '/'; break;
		case 'b': d[o++] = '\b'; break;
		case 'f': d[o++] = '\f'; break;
		case 'n': d[o++] = '\n'; break;
		case 'r': d[o++] = '\r'; break;
		case 't': d[o++] = '\t'; break;
		case 'u':
			if (i + 4 >= n || hex4(d + i + 1, &cp) < 0)
				goto bad_u;
			if (cp == 0) {
				fail_at(p, start + i - 1, false, "\\u0000 is not allowed in a string");
				return 0;
			}
			if (cp >= 0xDC00 && cp <= 0xDFFF)
				goto bad_surrogate;
			if (cp >= 0xD800 && cp <= 0xDBFF) {
				if (i + 10 >= n || d[i + 5] != '\\' || d[i + 6] != 'u' || hex4(d + i + 7, &lo) < 0 ||
				    lo < 0xDC00 || lo > 0xDFFF)
					goto bad_surrogate;
				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
				i += 6;
			}
			i += 4;
			o += put_utf8(d + o, cp);
			break;
		default:
			fail_at(p, start + i - 1, false, "invalid escape in a string");
			return 0;
		}
	}
	d[o] = '\0';
	*out_len = o;
	return off;
bad_u:
	fail_at(p, start + i - 1, false, "invalid \\u escape in a string");
	return 0;
bad_surrogate:
	fail_at(p, start + i - 1, false, "a \\u escape is a lone UTF-16 surrogate");
	return 0;
}

/* A number at p->pos into node `node` (already allocated). */
static int read_number(jparser *p, uint32_t node)
{
	const unsigned char *s = p->s;
	size_t i = p->pos, start = p->pos, len = p->len;
	bool neg = false, real = false;
	k8smig_value *v;

	if (s[i] == '-') {
		neg = true;
		i++;
	}
	if (i >= len || s[i] < '0' || s[i] > '9')
		return fail_at(p, i, false, "invalid number");
	if (s[i] == '0') {
		i++;
		if (i < len && s[i] >= '0' && s[i] <= '9')
			return fail_at(p, i, false, "invalid number (leading zero)");
	} else {
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	if (i < len && s[i] == '.') {
		real = true;
		i++;
		if (i >= len || s[i] < '0' || s[i] > '9')
			return fail_at(p, i, false, "invalid number (no digit after the point)");
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		real = true;
		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			i++;
		if (i >= len || s[i] < '0' || s[i] > '9')
			return fail_at(p, i, false, "invalid number (no digit in the exponent)");
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	v = k8smig__node(p->obj, node);
	if (!real) {
		uint64_t u = 0, limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
		size_t k;
		for (k = start + neg; k < i; k++) {
			unsigned d = (unsigned)(s[k] - '0');
			if (u > (limit - d) / 10)
				return fail_at(p, start, false, "integer out of range (int64)");
			u = u * 10 + d;
		}
		v->type = K8SMIG_TYPE_INT;
		v->u.i = neg ? (int64_t)(0 - u) : (int64_t)u;
	} else {
		char small[64], *buf = small;
		size_t n = i - start;
		double d;
		if (n >= sizeof(small) && !(buf = malloc(n + 1)))
			return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
		memcpy(buf, s + start, n);
		buf[n] = '\0';
		d = strtod(buf, NULL);
		if (buf != small)
			free(buf);
		if (!isfinite(d))
			return fail_at(p, start, false, "number out of range (double)");
		v->type = K8SMIG_TYPE_DOUBLE;
		v->u.d = d;
	}
	p->pos = i;
	return 0;
}

/* ---- building ----------------------------------------------------------------------- */

static int push(jparser *p, uint32_t node, bool is_map)
{
	if (p->depth >= p->opts->max_depth)
		return fail_at(p, p->pos, true, "nesting is deeper than the limit");
	if (p->depth == p->cap && k8smig__array_grow(&p->stack, &p->cap, 32, sizeof(*p->stack)) < 0)
		return K8SMIG_ENOMEM;
	p->stack[p->depth].node = node;
	p->stack[p->depth].key = 0;
	p->stack[p->depth].is_map = is_map;
	p->depth++;
	return 0;
}

/* Read a key and its ':' in the map of the top frame; sets the frame's key. */
static int read_key(jparser *p)
{
	jframe *top = &p->stack[p->depth - 1];
	size_t start, n, klen;
	bool escaped;
	int rc, sidx = -1;
	uint32_t koff = 0;
	const char *k;

	top->key = 0;
	if (peek(p) != '"')
		return fail_at(p, p->pos, false, peek(p) < 0 ? "unexpected end of input (expected a key)" : "expected a string key");
	if ((rc = scan_string(p, &start, &n, &escaped)) < 0)
		return rc;
	if (!escaped)
		sidx = k8smig__static_key_find((const char *)p->s + start, n);
	if (sidx >= 0) {
		k = k8smig__static_keys[sidx];
		klen = n;
	} else {
		if (!(koff = store_string(p, start, n, escaped, &klen)))
			return k8smig_error_last()->code;
		k = p->obj->base + koff;
		if (escaped && klen != n && (sidx = k8smig__static_key_find(k, klen)) >= 0)
			k = k8smig__static_keys[sidx]; /* an escaped common name: store it static like the rest */
	}
	top = &p->stack[p->depth - 1];
	top->key = sidx >= 0 ? (STATIC_KEY_BIT | (uint32_t)sidx) : koff;
	if (k8smig__keyset_find(&p->keys, p->obj, top->node, k, klen, sidx))
		return fail_at(p, p->pos - 1, false, "duplicate key");
	skip_ws(p);
	if (peek(p) != ':')
		return fail_at(p, p->pos, false, peek(p) < 0 ? "unexpected end of input (expected ':')" : "expected ':' after a key");
	p->pos++;
	skip_ws(p);
	return 0;
}

/* Link a new node into the container of the top frame. */
static int link_node(jparser *p, uint32_t node)
{
	jframe *top = &p->stack[p->depth - 1];
	k8smig_value *c = k8smig__node(p->obj, node);
	if (!top->is_map) {
		k8smig__append_child(p->obj, top->node, node);
		return 0;
	}
	if (top->key & STATIC_KEY_BIT)
		k8smig__set_key_link(c, (int)(top->key & ~STATIC_KEY_BIT), NULL);
	else
		k8smig__set_key_link(c, -1, p->obj->base + top->key);
	k8smig__append_child(p->obj, top->node, node);
	return k8smig__keyset_added(&p->keys, p->obj, top->node, node);
}

static bool literal(jparser *p, const char *word, size_t n)
{
	if (p->len - p->pos < n || memcmp(p->s + p->pos, word, n) != 0)
		return false;
	p->pos += n;
	return true;
}

/* One value at p->pos (white space skipped); containers are pushed, not read. */
static int read_value(jparser *p)
{
	int c = peek(p), rc;
	uint32_t node;
	k8smig_value *v;

	switch (c) {
	case '{':
	case '[':
		if (!(node = k8smig__node_new(p->obj, c == '{' ? K8SMIG_TYPE_MAP : K8SMIG_TYPE_LIST)))
			return K8SMIG_ENOMEM;
		if ((rc = link_node(p, node)) < 0 || (rc = push(p, node, c == '{')) < 0)
			return rc;
		p->pos++;
		return 0;
	case '"': {
		size_t start, n, slen;
		bool escaped;
		uint32_t soff;
		if ((rc = scan_string(p, &start, &n, &escaped)) < 0)
			return rc;
		if (!(node = k8smig__node_new(p->obj, K8SMIG_TYPE_STRING)) || !(soff = store_string(p, start, n, escaped, &slen)))
			return k8smig_error_last()->code;
		v = k8smig__node(p->obj, node);
		v->n = (uint32_t)slen;
		v->u.s = k8smig__link(v, p->obj->base + soff);
		return link_node(p, node);
	}
	case 't':
	case 'f':
	case 'n':
		if (!(node = k8smig__node_new(p->obj, K8SMIG_TYPE_NULL)))
			return K8SMIG_ENOMEM;
		v = k8smig__node(p->obj, node);
		if (literal(p, "true", 4)) {
			v->type = K8SMIG_TYPE_BOOL;
			v->u.i = 1;
		} else if (literal(p, "false", 5)) {
			v->type = K8SMIG_TYPE_BOOL;
		} else if (!literal(p, "null", 4)) {
			return fail_at(p, p->pos, false, "invalid literal (true, false or null)");
		}
		return link_node(p, node);
	default:
		if (c == '-' || (c >= '0' && c <= '9')) {
			if (!(node = k8smig__node_new(p->obj, K8SMIG_TYPE_NULL)))
				return K8SMIG_ENOMEM;
			if ((rc = read_number(p, node)) < 0)
				return rc;
			return link_node(p, node);
		}
		return fail_at(p, p->pos, false, c < 0 ? "unexpected end of input (expected a value)" : "expected a value");
	}
}

/* The document whose '{' is at p->pos, into p->obj. */
static int read_document(jparser *p)
{
	int rc;

	if ((rc = push(p, p->obj->root, true)) < 0)
		return rc;
	p->pos++;
	skip_ws(p);
	if (peek(p) == '}') {
		p->pos++;
		p->depth = 0;
		return 0;
	}
	for (;;) {
		jframe *top = &p->stack[p->depth - 1];
		size_t depth = p->depth;
		int c;

		if (top->is_map && (rc = read_key(p)) < 0)
			return rc;
		if ((rc = read_value(p)) < 0)
			return rc;
		if (p->depth > depth) {
			/* a container opened: it may be empty */
			skip_ws(p);
			c = peek(p);
			if (c != (p->stack[p->depth - 1].is_map ? '}' : ']'))
				continue;
		}
		/* after a value: ',' or the end of its container(s) */
		for (;;) {
			skip_ws(p);
			c = peek(p);
			top = &p->stack[p->depth - 1];
			if (c == ',') {
				p->pos++;
				skip_ws(p);
				break;
			}
			if (c == (top->is_map ? '}' : ']')) {
				p->pos++;
				if (--p->depth == 0)
					return 0;
				continue;
			}
			if (c < 0)
				return fail_at(p, p->pos, false, "unexpected end of input (a map or list is not closed)");
			return fail_at(p, p->pos, false, top->is_map ? "expected ',' or '}'" : "expected ',' or ']'");
		}
	}
}

/* Lines from byte `from` to byte `to`. */
static int count_lines(const unsigned char *s, size_t from, size_t to)
{
	int n = 0;
	const unsigned char *q = s + from, *end = s + to;
	while (q < end && (q = memchr(q, '\n', (size_t)(end - q)))) {
		n++;
		q++;
	}
	return n;
}

int k8smig__parse_json(k8smig_object_list *list, const char *data, size_t len, const k8smig_parse_options *opts)
{
	jparser p;
	const char *nul = memchr(data, '\0', len);
	size_t line_pos = 0;
	int line = 1, rc = 0;

	memset(&p, 0, sizeof(p));
	p.s = (const unsigned char *)data;
	p.len = len;
	p.opts = opts;
	if (nul)
		return fail_at(&p, (size_t)(nul - data), false, "NUL byte in JSON text");
	for (;;) {
		k8smig_object *o;
		skip_ws(&p);
		if (p.pos >= len)
			break;
		line += count_lines(p.s, line_pos, p.pos);
		line_pos = p.pos;
		if (p.s[p.pos] != '{') {
			rc = fail_at(&p, p.pos, false, "a document must be a JSON object (a Kubernetes object)");
			break;
		}
		if ((rc = k8smig__object_new_empty(&o, p.arena_hint)) < 0)
			break;
		p.obj = o;
		rc = read_document(&p);
		k8smig__keyset_clear(&p.keys);
		p.depth = 0;
		p.obj = NULL;
		if (rc == 0)
			rc = k8smig__object_set_source(o, opts->source_name, line);
		if (rc < 0) {
			k8smig_object_free(o);
			break;
		}
		p.arena_hint = o->used < (1u << 20) ? o->used + 64 : 0;
		o = k8smig__object_shrink(o);
		if ((rc = k8smig_object_list_append_take(list, o)) < 0)
			break;
	}
	free(p.stack);
	k8smig__keyset_free(&p.keys);
	return rc;
}
