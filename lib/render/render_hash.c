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

/* ---- sha256 (FIPS 180-4) -------------------------------------------------- */

static const uint32_t K[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void sha256_block(uint32_t h[8], const uint8_t *p)
{
	uint32_t w[64], a, b, c, d, e, f, g, hh, t1, t2;
	int i;
	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (i = 16; i < 64; i++) {
		uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
		uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	a = h[0]; b = h[1]; c = h[2]; d = h[3]; e = h[4]; f = h[5]; g = h[6]; hh = h[7];
	for (i = 0; i < 64; i++) {
		t1 = hh + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
		t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
		hh = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
	}
	h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
}

void k8smig__sha256(const void *data, size_t len, uint8_t digest[32])
{
	uint32_t h[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
	const uint8_t *p = data;
	uint8_t tail[128];
	size_t rest, i, tlen;
	uint64_t bits = (uint64_t)len * 8;

	for (i = 0; i + 64 <= len; i += 64)
		sha256_block(h, p + i);
	rest = len - i;
	memset(tail, 0, sizeof(tail));
	if (rest)
		memcpy(tail, p + i, rest);
	tail[rest] = 0x80;
	tlen = rest + 9 <= 64 ? 64 : 128;
	for (i = 0; i < 8; i++)
		tail[tlen - 1 - i] = (uint8_t)(bits >> (8 * i));
	sha256_block(h, tail);
	if (tlen == 128)
		sha256_block(h, tail + 64);
	for (i = 0; i < 8; i++) {
		digest[4 * i] = (uint8_t)(h[i] >> 24);
		digest[4 * i + 1] = (uint8_t)(h[i] >> 16);
		digest[4 * i + 2] = (uint8_t)(h[i] >> 8);
		digest[4 * i + 3] = (uint8_t)h[i];
	}
}

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
	if (!(items = malloc(m->u.c.n * sizeof(*items))))
		return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
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
