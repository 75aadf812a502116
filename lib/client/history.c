/*
 * lib/client/history.c - revision records of an applyset, as Helm keeps its
 * releases: one Secret per revision in the parent's namespace,
 *
 *     name   <applyset>.k8smig.rev.<N>
 *     type   k8smig.io/revision.v1
 *     labels k8smig.io/applyset=<applyset>, k8smig.io/revision=<N>, k8smig.io/status=deployed|superseded|failed
 *     annotations k8smig.io/applied-at (RFC 3339), k8smig.io/description, k8smig.io/objects
 *     data.set  the applied set as YAML, gzip'ed (at most 900 KiB compressed)
 *
 * keeping the newest `keep` revisions.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#include "lifecycle_int.h"

#define H_SET "k8smig.io/applyset"
#define L_REV "k8smig.io/revision"
#define L_STATUS "k8smig.io/status"
#define A_TIME "k8smig.io/applied-at"
#define A_DESC "k8smig.io/description"
#define A_COUNT "k8smig.io/objects"
#define MAX_RECORD (900 * 1024)
#define HISTORY_MANAGER "k8smig-history"

int k8smig__history_record(unsigned int *rev_out, k8smig_client *c, const char *applyset, const char *ns,
                           const k8smig_object_list *set, const char *description, unsigned int keep);
int k8smig__history_mark(k8smig_client *c, const char *applyset, const char *ns, unsigned int rev, const char *status);
int k8smig__history_delete_all(k8smig_client *c, const char *applyset, const char *ns);
unsigned int k8smig__history_current(k8smig_client *c, const char *applyset, const char *ns);

struct k8smig_history {
	k8smig_revision *items;
	k8smig_object **records;
	size_t n;
};

void k8smig_history_free(k8smig_history *h)
{
	size_t i;
	if (!h)
		return;
	for (i = 0; i < h->n; i++)
		k8smig_object_free(h->records[i]);
	free(h->records);
	free(h->items);
	free(h);
}

size_t k8smig_history_size(const k8smig_history *h) { return h ? h->n : 0; }
const k8smig_revision *k8smig_history_get(const k8smig_history *h, size_t i) { return h && i < h->n ? &h->items[i] : NULL; }

static int gzip(char **out, size_t *len, const char *data, size_t n)
{
	z_stream z;
	size_t cap = compressBound((uLong)n) + 64;
	char *buf = malloc(cap);
	if (!buf)
		return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
		free(buf);
		return k8smig__error_set(K8SMIG_ENOMEM, "", "cannot start compression");
	}
	z.next_in = (Bytef *)data;
	z.avail_in = (uInt)n;
	z.next_out = (Bytef *)buf;
	z.avail_out = (uInt)cap;
	if (deflate(&z, Z_FINISH) != Z_STREAM_END) {
		deflateEnd(&z);
		free(buf);
		return k8smig__error_set(K8SMIG_ERROR, "", "compression failed");
	}
	*len = z.total_out;
	deflateEnd(&z);
	*out = buf;
	return 0;
}

static int gunzip(char **out, size_t *len, const char *data, size_t n)
{
	z_stream z;
	k8smig__buf b = K8SMIG__BUF_INIT;
	char chunk[16384];
	int zr = Z_OK;

	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, 15 + 16) != Z_OK)
		return k8smig__error_set(K8SMIG_ENOMEM, "", "cannot start decompression");
	z.next_in = (Bytef *)data;
	z.avail_in = (uInt)n;
	while (zr != Z_STREAM_END) {
		z.next_out = (Bytef *)chunk;
		z.avail_out = sizeof(chunk);
		zr = inflate(&z, Z_NO_FLUSH);
		if ((zr != Z_OK && zr != Z_STREAM_END) || b.len > 64u << 20) {
			inflateEnd(&z);
			k8smig__buf_free(&b);
			return k8smig__error_set(K8SMIG_EPARSE, "data.set", "damaged revision record");
		}
		k8smig__buf_put(&b, chunk, sizeof(chunk) - z.avail_out);
	}
	inflateEnd(&z);
	if (k8smig__buf_putc(&b, '\0') < 0 || b.failed) {
		k8smig__buf_free(&b);
		return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	}
	*len = b.len - 1;
	*out = k8smig__buf_detach(&b, NULL);
	return 0;
}

static int cmp_rev(const void *a, const void *b)
{
	const k8smig_revision *x = a, *y = b;
	return x->number < y->number ? -1 : x->number > y->number;
}

/* The key of an applyset's records (label value, record name prefix): a Secret parent's
 * name, "configmap.NAME" for a ConfigMap parent. */
static int history_key(char *buf, size_t cap, const char *applyset)
{
	const char *kind, *name;
	int rc, n;
	if ((rc = k8smig__applyset_ref(&kind, &name, applyset)) < 0)
		return rc;
	n = snprintf(buf, cap, "%s%s", strcmp(kind, "ConfigMap") == 0 ? "configmap." : "", name);
	if (n < 0 || (size_t)n >= cap || n > 63)
		return k8smig__error_set(K8SMIG_EINVAL, "applyset", "applyset name too long for its revision records (at most 63 characters)");
	return 0;
}

static int client_history_impl(k8smig_history **out, k8smig_client *c, const char *applyset, const char *ns)
{
	char key[128];
	k8smig_object_list *l = NULL;
	k8smig_history *h;
	char sel[320];
	size_t i;
	int rc;

	if ((rc = history_key(key, sizeof(key), applyset)) < 0)
		return rc;
	snprintf(sel, sizeof(sel), H_SET "=%s", key);
	if ((rc = k8smig_client_list(&l, c, "v1", "Secret", ns && *ns ? ns : c->namespace_, sel)) < 0)
		return rc;
	if (!(h = calloc(1, sizeof(*h))) || !(h->items = calloc(k8smig_object_list_size(l) + 1, sizeof(*h->items))) ||
	    !(h->records = calloc(k8smig_object_list_size(l) + 1, sizeof(*h->records)))) {
		k8smig_history_free(h);
		k8smig_object_list_free(l);
		return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	}
	for (i = 0; i < k8smig_object_list_size(l); i++) {
		const k8smig_object *s = k8smig_object_list_get(l, i);
		const char *t = k8smig_object_get_str(s, "type");
		k8smig_revision *v;
		if (!t || strcmp(t, "k8smig.io/revision.v1") != 0 || !k8smig_object_label(s, L_REV))
			continue;
		if ((rc = k8smig_object_dup(&h->records[h->n], s)) < 0) {
			k8smig_history_free(h);
			k8smig_object_list_free(l);
			return rc;
		}
		v = &h->items[h->n];
		v->number = (unsigned)strtoul(k8smig_object_label(s, L_REV), NULL, 10);
		v->status = k8smig_object_label(h->records[h->n], L_STATUS) ? k8smig_object_label(h->records[h->n], L_STATUS) : "";
		v->applied_at = k8smig_object_annotation(h->records[h->n], A_TIME) ? k8smig_object_annotation(h->records[h->n], A_TIME) : "";
		v->description = k8smig_object_annotation(h->records[h->n], A_DESC) ? k8smig_object_annotation(h->records[h->n], A_DESC) : "";
		v->objects = (size_t)strtoul(k8smig_object_annotation(s, A_COUNT) ? k8smig_object_annotation(s, A_COUNT) : "0", NULL, 10);
		h->n++;
	}
	k8smig_object_list_free(l);
	/* sort items and records together by number */
	for (i = 1; i < h->n; i++) {
		size_t j = i;
		while (j > 0 && cmp_rev(&h->items[j - 1], &h->items[j]) > 0) {
			k8smig_revision tv = h->items[j];
			k8smig_object *to = h->records[j];
			h->items[j] = h->items[j - 1];
			h->records[j] = h->records[j - 1];
			h->items[j - 1] = tv;
			h->records[j - 1] = to;
			j--;
		}
	}
	*out = h;
	return 0;
}

int k8smig_client_history(k8smig_history **out, k8smig_client *c, const char *applyset, const char *ns)
{
	int rc;
	if (!out)
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL out");
	*out = NULL;
	if (!c || !applyset || !*applyset)
		return k8smig__error_set(K8SMIG_EINVAL, "applyset", "history needs a client and an applyset name");
	if ((rc = k8smig__client_enter(c)) < 0)
		return rc;
	rc = client_history_impl(out, c, applyset, ns);
	k8smig__client_leave(c);
	return rc;
}

int k8smig_history_objects(k8smig_object_list **out, const k8smig_history *h, size_t i)
{
	const char *b64;
	char *gz = NULL, *text = NULL;
	size_t gzlen = 0, len = 0;
	int rc;

	if (!out || !h)
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL out or history");
	*out = NULL;
	if (i >= h->n)
		return k8smig__error_set(K8SMIG_ENOTFOUND, "", "no such revision");
	if (!(b64 = k8smig_object_get_str(h->records[i], "data.set")))
		return k8smig__error_set(K8SMIG_EPARSE, "data.set", "revision %u has no recorded set", h->items[i].number);
	if ((rc = k8smig__base64_decode(&gz, &gzlen, b64, strlen(b64))) < 0)
		return k8smig__error_set(K8SMIG_EPARSE, "data.set", "damaged revision record");
	if ((rc = gunzip(&text, &len, gz, gzlen)) == 0)
		rc = k8smig_parse(out, text, len, NULL);
	free(gz);
	free(text);
	return rc;
}

unsigned int k8smig__history_current(k8smig_client *c, const char *applyset, const char *ns)
{
	k8smig_history *h = NULL;
	unsigned int cur = 0;
	size_t i;
	if (k8smig_client_history(&h, c, applyset, ns) == 0)
		for (i = 0; i < h->n; i++)
			if (strcmp(h->items[i].status, "deployed") == 0)
				cur = h->items[i].number;
	k8smig_history_free(h);
	return cur;
}

static int record_name(char *buf, size_t cap, const char *applyset, unsigned int rev)
{
	char key[128];
	int n, rc;
	if ((rc = history_key(key, sizeof(key), applyset)) < 0)
		return rc;
	n = snprintf(buf, cap, "%s.k8smig.rev.%u", key, rev);
	if (n < 0 || (size_t)n >= cap || n > 253)
		return k8smig__error_set(K8SMIG_EINVAL, "applyset", "applyset name too long for a revision record");
	return 0;
}

int k8smig__history_mark(k8smig_client *c, const char *applyset, const char *ns, unsigned int rev, const char *status)
{
	k8smig_object *o = NULL;
	k8smig_apply_options ao = K8SMIG_APPLY_OPTIONS_INIT;
	char name[300];
	int rc;
	ao.field_manager = HISTORY_MANAGER;
	ao.force = true;
	if ((rc = record_name(name, sizeof(name), applyset, rev)) == 0 && (rc = k8smig_object_new(&o, "v1", "Secret")) == 0 &&
	    (rc = k8smig_object_set_name(o, name)) == 0 && (rc = k8smig_object_set_namespace(o, ns)) == 0 &&
	    (rc = k8smig_object_set_label(o, L_STATUS, status)) == 0)
		rc = k8smig_client_apply(NULL, c, o, &ao);
	k8smig_object_free(o);
	return rc;
}

int k8smig__history_record(unsigned int *rev_out, k8smig_client *c, const char *applyset, const char *ns,
                           const k8smig_object_list *set, const char *description, unsigned int keep)
{
	k8smig_history *h = NULL;
	k8smig_object *o = NULL;
	char *yaml = NULL, *gz = NULL, *b64 = NULL, name[300], num[32], when[32], count[32], key[128];
	size_t len = 0, gzlen = 0, i;
	unsigned int rev = 1;
	time_t now = time(NULL);
	struct tm tm;
	int rc;

	*rev_out = 0;
	if ((rc = k8smig_client_history(&h, c, applyset, ns)) < 0)
		return rc;
	if (h->n)
		rev = h->items[h->n - 1].number + 1;
	if ((rc = k8smig_object_list_emit(&yaml, &len, set, NULL)) < 0 || (rc = gzip(&gz, &gzlen, yaml, len)) < 0)
		goto out;
	if (gzlen > MAX_RECORD) {
		rc = k8smig__error_set(K8SMIG_EINVAL, "", "the set is too large to record a revision (%zu bytes compressed, at most %d)", gzlen, MAX_RECORD);
		goto out;
	}
	if (!(b64 = malloc(K8SMIG__BASE64_LEN(gzlen) + 1))) {
		rc = k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
		goto out;
	}
	b64[k8smig__base64_encode(b64, gz, gzlen)] = '\0';
	gmtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	snprintf(num, sizeof(num), "%u", rev);
	snprintf(count, sizeof(count), "%zu", k8smig_object_list_size(set));
	if ((rc = record_name(name, sizeof(name), applyset, rev)) < 0 || (rc = history_key(key, sizeof(key), applyset)) < 0 ||
	    (rc = k8smig_object_new(&o, "v1", "Secret")) < 0 ||
	    (rc = k8smig_object_set_name(o, name)) < 0 || (rc = k8smig_object_set_namespace(o, ns)) < 0 ||
	    (rc = k8smig_object_set_label(o, H_SET, key)) < 0 || (rc = k8smig_object_set_label(o, L_REV, num)) < 0 ||
	    (rc = k8smig_object_set_annotation(o, A_TIME, when)) < 0 || (rc = k8smig_object_set_annotation(o, A_DESC, description)) < 0 ||
	    (rc = k8smig_object_set_annotation(o, A_COUNT, count)) < 0 || (rc = k8smig_object_set_str(o, "type", "k8smig.io/revision.v1")) < 0 ||
	    (rc = k8smig_object_set_str(o, "data.set", b64)) < 0 || (rc = k8smig_client_create(NULL, c, o)) < 0)
		goto out;
	/* the status label is owned by the history manager alone */
	if ((rc = k8smig__history_mark(c, applyset, ns, rev, "deployed")) < 0)
		goto out;
	for (i = 0; i < h->n; i++)
		if (strcmp(h->items[i].status, "deployed") == 0)
			k8smig__history_mark(c, applyset, ns, h->items[i].number, "superseded");
	/* keep the newest `keep` (this one included) */
	for (i = 0; i + keep < h->n + 1 && i < h->n; i++) {
		char old[300];
		if (record_name(old, sizeof(old), applyset, h->items[i].number) == 0)
			k8smig_client_delete(c, "v1", "Secret", ns, old, K8SMIG_PROPAGATION_DEFAULT);
	}
	*rev_out = rev;
out:
	k8smig_object_free(o);
	k8smig_history_free(h);
	k8smig_free(yaml);
	free(gz);
	free(b64);
	return rc;
}

int k8smig__history_delete_all(k8smig_client *c, const char *applyset, const char *ns)
{
	k8smig_history *h = NULL;
	size_t i;
	int rc = k8smig_client_history(&h, c, applyset, ns);
	for (i = 0; rc == 0 && i < h->n; i++) {
		char name[300];
		if ((rc = record_name(name, sizeof(name), applyset, h->items[i].number)) == 0 &&
		    (rc = k8smig_client_delete(c, "v1", "Secret", ns, name, K8SMIG_PROPAGATION_DEFAULT)) == K8SMIG_ENOTFOUND)
			rc = 0;
	}
	k8smig_history_free(h);
	return rc;
}
