/*
 * tests/fuzz/fuzz_import_tf.c - libFuzzer target: any bytes as
 * `terraform show -json` output (container_definitions a JSON string inside,
 * modules under child_modules). What adds is built; a built spec document is
 * loaded by the spec loader and its report written.
 *
 * Invariants: no crash, no leak, no sanitizer report; every refusal says why.
 */
#include <stdint.h>
#include <stdlib.h>

#include <k8smig.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	k8smig_import *imp = NULL;
	k8smig_object *doc = NULL;
	k8smig_spec *spec = NULL;
	char *text = NULL;

	if (k8smig_import_new(&imp, NULL) < 0)
		abort();
	if (k8smig_import_add(imp, K8SMIG_IMPORT_TERRAFORM, (const char *)data, size, "fuzz.json") < 0 ||
	    k8smig_import_build(&doc, imp) < 0) {
		if (!k8smig_error_last()->message[0])
			abort();
		goto done;
	}
	if (k8smig_spec_load_object(&spec, doc, "fuzz") < 0 && !k8smig_error_last()->message[0])
		abort();
	if (k8smig_import_report(&text, NULL, imp, K8SMIG_IMPORT_REPORT_JSON) < 0)
		abort();
	k8smig_free(text);
done:
	k8smig_spec_free(spec);
	k8smig_object_free(doc);
	k8smig_import_free(imp);
	return 0;
}
