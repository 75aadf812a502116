/*
 * tests/fuzz/fuzz_import_ecs.c - libFuzzer target: any bytes as AWS CLI
 * JSON. The input is cut at "\n----\n" into a task definition, then
 * describe-services, describe-scalable-targets and describe-scaling-policies
 * output; what adds is built, and a built spec document is loaded by the
 * spec loader and its report written in both formats.
 *
 * Invariants: no crash, no leak, no sanitizer report; every refusal says
 * why; a built document either loads as a spec or is refused with a message.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <k8smig.h>

static void check_error(void)
{
	if (!k8smig_error_last()->message[0])
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const k8smig_import_kind kinds[] = { K8SMIG_IMPORT_TASK_DEFINITION, K8SMIG_IMPORT_SERVICES,
	                                            K8SMIG_IMPORT_SCALABLE_TARGETS, K8SMIG_IMPORT_SCALING_POLICIES };
	const char *p = (const char *)data, *end = p + size;
	k8smig_import *imp = NULL;
	k8smig_object *doc = NULL;
	k8smig_spec *spec = NULL;
	char *text = NULL;
	size_t i;

	if (k8smig_import_new(&imp, NULL) < 0)
		abort();
	for (i = 0; i < 4 && p <= end; i++) {
		const char *cut = NULL, *q;
		for (q = p; q + 6 <= end; q++)
			if (memcmp(q, "\n----\n", 6) == 0) {
				cut = q;
				break;
			}
		if (k8smig_import_add(imp, kinds[i], p, (size_t)((cut ? cut : end) - p), NULL) < 0) {
			check_error();
			goto done;
		}
		if (!cut)
			break;
		p = cut + 6;
	}
	if (k8smig_import_build(&doc, imp) < 0) {
		check_error();
		goto done;
	}
	if (k8smig_spec_load_object(&spec, doc, "fuzz") < 0)
		check_error();
	if (k8smig_import_report(&text, NULL, imp, K8SMIG_IMPORT_REPORT_JSON) < 0)
		abort();
	k8smig_free(text);
	if (k8smig_import_report(&text, NULL, imp, K8SMIG_IMPORT_REPORT_TEXT) < 0)
		abort();
	k8smig_free(text);
	if (k8smig_import_report(&text, NULL, imp, K8SMIG_IMPORT_REPORT_HTML) < 0)
		abort();
	k8smig_free(text);
done:
	k8smig_spec_free(spec);
	k8smig_object_free(doc);
	k8smig_import_free(imp);
	return 0;
}
