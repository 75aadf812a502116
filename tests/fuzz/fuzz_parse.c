/*
 * tests/fuzz/fuzz_parse.c - libFuzzer target: any bytes through both parsers,
 * and whatever parses back through both emitters and the parser again.
 *
 * Invariants: no crash, no leak, no sanitizer report; a failure sets an
 * error with a message; emitted YAML re-parses to an equal stream.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <k8smig.h>

static void check_round_trip(const k8smig_object_list *l)
{
	k8smig_emit_options eo = K8SMIG_EMIT_OPTIONS_INIT;
	k8smig_object_list *back = NULL;
	char *text = NULL;
	size_t len, i;

	if (k8smig_object_list_emit(&text, &len, l, &eo) < 0)
		return; /* e.g. NaN cannot be written: an error, not a crash */
	if (k8smig_parse(&back, text, len, NULL) < 0) {
		/* our own YAML must always read back */
		abort();
	}
	if (k8smig_object_list_size(back) != k8smig_object_list_size(l))
		abort();
	for (i = 0; i < k8smig_object_list_size(l); i++)
		if (!k8smig_object_equal(k8smig_object_list_get(l, i), k8smig_object_list_get(back, i)))
			abort();
	k8smig_object_list_free(back);
	k8smig_free(text);
	eo.format = K8SMIG_FORMAT_JSON;
	if (k8smig_object_list_emit(&text, &len, l, &eo) == 0)
		k8smig_free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const k8smig_format formats[] = { K8SMIG_FORMAT_YAML, K8SMIG_FORMAT_JSON };
	size_t f;

	for (f = 0; f < 2; f++) {
		k8smig_parse_options po = K8SMIG_PARSE_OPTIONS_INIT;
		k8smig_object_list *l = NULL;
		po.format = formats[f];
		po.max_alias_nodes = 10000;
		if (k8smig_parse(&l, (const char *)data, size, &po) == 0)
			check_round_trip(l);
		else if (!k8smig_error_last()->message[0])
			abort(); /* every failure says why */
		k8smig_object_list_free(l);
	}
	return 0;
}
