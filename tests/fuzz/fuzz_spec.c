/*
 * tests/fuzz/fuzz_spec.c - libFuzzer target: any bytes as a migration spec;
 * a spec that loads is planned for the base and every environment.
 *
 * Invariants: no crash, no leak, no sanitizer report; a refused spec says why.
 */
#include <stdint.h>
#include <stdlib.h>

#include <k8smig.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	k8smig_spec *spec = NULL;
	size_t i;

	if (k8smig_spec_load(&spec, (const char *)data, size, "fuzz.yaml") < 0) {
		if (!k8smig_error_last()->message[0])
			abort();
		return 0;
	}
	for (i = 0; i <= k8smig_spec_environment_count(spec); i++) {
		k8smig_object_list *objs = NULL;
		const char *env = i ? k8smig_spec_environment_name(spec, i - 1) : NULL;
		if (k8smig_plan(&objs, spec, env) < 0 && !k8smig_error_last()->message[0])
			abort();
		k8smig_object_list_free(objs);
	}
	k8smig_spec_free(spec);
	return 0;
}
