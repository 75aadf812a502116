/*
 * tests/fuzz/fuzz_values.c - libFuzzer target: field paths and quantities.
 *
 * The input is split at its first newline: the first line is a field path,
 * used to set, get and test a field of a Deployment; the rest is a quantity.
 * Invariants: no crash, leak or sanitizer report; every failure sets a
 * message; a value set at a path reads back equal; a quantity that parses
 * has a canonical form that is a fixed point and compares equal to it, reads
 * the same through parse's short way and its general one, and is what a
 * container's resources hold.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <k8smig.h>

static void check_failed(void)
{
	if (!k8smig_error_last()->message[0])
		abort();
}

static void fuzz_path(const char *path)
{
	k8smig_object *o = NULL;
	const char *got;
	if (k8smig_object_new(&o, "apps/v1", "Deployment") < 0)
		abort();
	k8smig_object_set_str(o, "metadata.name", "web");
	k8smig_object_set_int(o, "spec.replicas", 2);
	(void)k8smig_object_has(o, path);
	(void)k8smig_object_get(o, path);
	if (k8smig_object_set_str(o, path, "fuzz-value") < 0) {
		check_failed();
	} else {
		/* what was set reads back, at the same path */
		got = k8smig_object_get_str(o, path);
		if (!got || strcmp(got, "fuzz-value") != 0)
			abort();
		if (k8smig_object_set_int(o, path, 7) == 0 && k8smig_object_get_int(o, path) != 7)
			abort();
	}
	k8smig_object_free(o);
}

static void fuzz_quantity(const char *text)
{
	k8smig_quantity q, q2;
	char *canon = NULL, *again = NULL;
	if (k8smig_quantity_parse(&q, text) < 0) {
		check_failed();
		return;
	}
	(void)k8smig_quantity_milli(&q);
	(void)k8smig_quantity_value(&q);
	if (k8smig_quantity_canonical(&canon, text) < 0) {
		check_failed();
		return;
	}
	/* canonical is a fixed point and means the same amount ("99312.5Ki" was
	 * "101696000", whose canonical form is "101696k": regressions-values/) */
	if (k8smig_quantity_canonical(&again, canon) < 0 || strcmp(canon, again) != 0)
		abort();
	if (k8smig_quantity_parse(&q2, canon) < 0 || k8smig_quantity_cmp(&q, &q2) != 0)
		abort();
	/* parse's short way (a text led by 1-9) agrees with the general one (a '+' in front) */
	if (text[0] >= '1' && text[0] <= '9') {
		size_t n = strlen(text);
		char *plus = malloc(n + 2);
		if (!plus)
			abort();
		plus[0] = '+';
		memcpy(plus + 1, text, n + 1);
		if (k8smig_quantity_parse(&q2, plus) < 0 || q2.mantissa != q.mantissa || q2.scale != q.scale ||
		    q2.format != q.format)
			abort();
		free(plus);
	}
	/* a container's resources hold the canonical form (copied when the text already is one) */
	{
		k8smig_object *d = NULL;
		size_t c;
		int rc;
		if (k8smig_deployment_new(&d, "web", NULL) < 0 || k8smig_pod_add_container(&c, d, "app", "nginx:1") < 0)
			abort();
		rc = k8smig_container_set_resources(d, c, text, NULL, NULL, NULL);
		if ((rc == 0) != (q.mantissa >= 0))
			abort();
		if (rc == 0) {
			const char *got = k8smig_object_get_str(d, "spec.template.spec.containers[0].resources.requests.cpu");
			if (!got || strcmp(got, canon) != 0)
				abort();
		}
		k8smig_object_free(d);
	}
	k8smig_free(canon);
	k8smig_free(again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1), *nl;
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	nl = strchr(buf, '\n');
	if (nl)
		*nl = '\0';
	fuzz_path(buf);
	fuzz_quantity(nl ? nl + 1 : "");
	free(buf);
	k8smig_error_clear();
	return 0;
}
