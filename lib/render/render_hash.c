/*
 * lib/render/render_hash.c - kustomize's content hash for generated
 * ConfigMaps and Secrets (sigs.k8s.io/kustomize/api/hasher).
 *
 * kustomize hashes the Go json.Marshal of {"data", "kind", "name"} (plus
 * "binaryData" for a ConfigMap, "type" and "stringData" for a Secret; keys
 * sorted), takes sha256, keeps the first 10 hex digits and maps 0,1,3,a,e
 * to g,h,k,m,t so that the suffix never looks like a number. Its "name" is
 * always "": the hasher looks up the field path "metadata/name" as a single
 * key, which no object has, so it falls back to "". Checked against kubectl
 * kustomize (tests/render).
 */
#include <stdlib.h>
#include <string.h>

#include "render.h"

/* ---- Go encoding/json ------------------------------------------------------ */

int k8smig__go_json_string(k8smig__buf *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	k8smig__buf_putc(b, '"');
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '"': k8smig__buf_put(b, "\\\"", 2); continue;
		case '\\': k8smig__buf_put(b, "\\\\", 2); continue;
		case '\n': k8smig__buf_put(b, "\\n", 2); continue;
		case '\r': k8smig__buf_put(b, "\\r", 2); continue;
		case '\t': k8smig__buf_put(b, "\\t", 2); continue;
		case '\b': k8smig__buf_put(b, "\\b", 2); continue;  /* Go >= 1.22 */
		case '\f': k8smig__buf_put(b, "\\f", 2); continue;
		default: break;
		}
		if (c < 0x20 || c == '<' || c == '>' || c == '&') {
			/* HTML-safe escaping, as json.Marshal does */
			char u[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
			k8smig__buf_put(b, u, 6);
		} else if (c == 0xE2 && i + 2 < len && (unsigned char)s[i + 1] == 0x80 &&
		           ((unsigned char)s[i + 2] == 0xA8 || (unsigned char)s[i + 2] == 0xA9)) {
			/* U+2028 and U+2029 */
			k8smig__buf_put(b, (unsigned char)s[i + 2] == 0xA8 ? "\\u2028" : "\\u2029", 6);
			i += 2;
		} else {
			k8smig__buf_putc(b, (char)c);
		}
	}
	return k8smig__buf_putc(b, '"');
}

static int cmp_keys(const void *x, const void *y)
{
	const k8smig__rnode *a = *(k8smig__rnode *const *)x, *b = *(k8smig__rnode *const *)y;
	return strcmp(a->key, b->key);
}

/* A map of strings as Go marshals map[string]interface{}: keys sorted. */
static int put_string_map(k8smig__buf *b, const k8smig__rnode *m)
{
	k8smig__rnode **items;
	const k8smig__rnode *c;
	size_t n = 0, i;

	if (!m->u.c.n)
		return k8smig__buf_put(b, "{}", 2);
	if (!(items = malloc(m->u.c.n * sizeof(*items)))) {
		b->failed = 1; /* the hash of a partial text would be a wrong name, not an error */
		return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	}
	for (c = m->u.c.first; c; c = c->next)
		items[n++] = (k8smig__rnode *)c;
	qsort(items, n, sizeof(*items), cmp_keys);
	k8smig__buf_putc(b, '{');
	for (i = 0; i < n; i++) {
		if (i)
			k8smig__buf_putc(b, ',');
		k8smig__go_json_string(b, items[i]->key, strlen(items[i]->key));
		k8smig__buf_putc(b, ':');
		if (items[i]->type == K8SMIG_TYPE_STRING)
			k8smig__go_json_string(b, items[i]->u.str.s, items[i]->u.str.len);
		else if (items[i]->type == K8SMIG_TYPE_INT)
			k8smig__buf_put_int(b, items[i]->u.i);
		else if (items[i]->type == K8SMIG_TYPE_BOOL)
			k8smig__buf_puts(b, items[i]->u.i ? "true" : "false");
		else
			k8smig__buf_puts(b, "null");
	}
	free(items);
	return k8smig__buf_putc(b, '}');
}

/* A field as the hasher's getNodeValues sees it: a map, a scalar, or "" when absent. */
static void put_field(k8smig__buf *b, const k8smig__rnode *v)
{
	if (!v)
		k8smig__buf_put(b, "\"\"", 2);
	else if (v->type == K8SMIG_TYPE_MAP)
		put_string_map(b, v);
	else if (v->type == K8SMIG_TYPE_STRING)
		k8smig__go_json_string(b, v->u.str.s, v->u.str.len);
	else
		k8smig__buf_puts(b, "null");
}

int k8smig__render_hash_suffix(char out[11], const k8smig__rnode *root)
{
	k8smig__buf b = K8SMIG__BUF_INIT;
	const char *kind = k8smig__rnode_get_str(root, "kind");
	const k8smig__rnode *extra;
	uint8_t digest[32];
	static const char hex[] = "0123456789abcdef";
	int i;

	k8smig__buf_puts(&b, "{");
	if (kind && strcmp(kind, "Secret") == 0) {
		extra = k8smig__rnode_get(root, "stringData");
		k8smig__buf_puts(&b, "\"data\":");
		put_field(&b, k8smig__rnode_get(root, "data"));
		k8smig__buf_puts(&b, ",\"kind\":\"Secret\",\"name\":\"\"");
		if (extra && extra->type == K8SMIG_TYPE_MAP) {
			k8smig__buf_puts(&b, ",\"stringData\":");
			put_field(&b, extra);
		}
		k8smig__buf_puts(&b, ",\"type\":");
		put_field(&b, k8smig__rnode_get(root, "type"));
	} else {
		extra = k8smig__rnode_get(root, "binaryData");
		if (extra && extra->type == K8SMIG_TYPE_MAP) {
			k8smig__buf_puts(&b, "\"binaryData\":");
			put_field(&b, extra);
			k8smig__buf_puts(&b, ",");
		}
		k8smig__buf_puts(&b, "\"data\":");
		put_field(&b, k8smig__rnode_get(root, "data"));
		k8smig__buf_puts(&b, ",\"kind\":\"ConfigMap\",\"name\":\"\"");
	}
	k8smig__buf_putc(&b, '}');
	if (b.failed) {
		k8smig__buf_free(&b);
		return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	}
	k8smig__sha256(b.data, b.len, digest);
	k8smig__buf_free(&b);
	for (i = 0; i < 10; i++) {
		char c = hex[(digest[i / 2] >> (i % 2 ? 0 : 4)) & 15];
		switch (c) {
		case '0': c = 'g'; break;
		case '1': c = 'h'; break;
		case '3': c = 'k'; break;
		case 'a': c = 'm'; break;
		case 'e': c = 't'; break;
		default: break;
		}
		out[i] = c;
	}
	out[10] = '\0';
	return 0;
}
