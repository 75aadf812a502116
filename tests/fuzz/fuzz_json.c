/*
 * tests/fuzz/fuzz_json.c - libFuzzer target for the JSON reader (lib/serialize/json_parse.c).
 *
 * Any bytes are read as JSON with a small depth limit. Invariants: no crash, leak or
 * sanitizer report; a failure is K8SMIG_EPARSE (or ENOMEM) with a message and a position
 * inside the input; what parses is written back as compact and as indented JSON, and both
 * read back to equal trees (so escapes, numbers and keys survive), and the compact text
 * read back writes the same bytes again.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <k8smig.h>

static k8smig_object_list *reparse(const k8smig_object_list *l, unsigned flags, char **text_out, size_t *len_out)
{
	k8smig_emit_options eo = K8SMIG_EMIT_OPTIONS_INIT;
	k8smig_parse_options po = K8SMIG_PARSE_OPTIONS_INIT;
	k8smig_object_list *back = NULL;
	size_t i;

	eo.format = K8SMIG_FORMAT_JSON;
	eo.flags = flags;
	po.format = K8SMIG_FORMAT_JSON;
	if (k8smig_object_list_emit(text_out, len_out, l, &eo) < 0)
		abort(); /* JSON that was read can always be written: no NaN or infinity gets in */
	if (k8smig_parse(&back, *text_out, *len_out, &po) < 0)
		abort(); /* and what we write we read */
	if (k8smig_object_list_size(back) != k8smig_object_list_size(l))
		abort();
	for (i = 0; i < k8smig_object_list_size(l); i++)
		if (!k8smig_object_equal(k8smig_object_list_get(l, i), k8smig_object_list_get(back, i)))
			abort();
	return back;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	k8smig_parse_options po = K8SMIG_PARSE_OPTIONS_INIT;
	k8smig_object_list *l = NULL, *back, *again;
	char *t1, *t2, *t3;
	size_t n1, n2, n3;

	po.format = K8SMIG_FORMAT_JSON;
	po.max_depth = 24;
	if (k8smig_parse(&l, (const char *)data, size, &po) < 0) {
		const k8smig_error *e = k8smig_error_last();
		if ((e->code != K8SMIG_EPARSE && e->code != K8SMIG_ENOMEM) || !e->message[0])
			abort();
		if (e->code == K8SMIG_EPARSE && (e->line < 1 || e->column < 1 || (size_t)e->line > size + 1 ||
		                                 (size_t)e->column > size + 1))
			abort();
		if (l)
			abort(); /* out is set only on success */
		return 0;
	}
	back = reparse(l, K8SMIG_EMIT_COMPACT, &t1, &n1);
	again = reparse(back, K8SMIG_EMIT_COMPACT, &t2, &n2);
	if (n1 != n2 || memcmp(t1, t2, n1) != 0)
		abort(); /* compact output is a fixed point */
	k8smig_object_list_free(again);
	k8smig_object_list_free(back);
	back = reparse(l, 0, &t3, &n3);
	k8smig_object_list_free(back);
	k8smig_free(t1);
	k8smig_free(t2);
	k8smig_free(t3);
	k8smig_object_list_free(l);
	return 0;
}
