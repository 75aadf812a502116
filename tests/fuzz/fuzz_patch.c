/*
 * tests/fuzz/fuzz_patch.c - libFuzzer target: strategic-merge and JSON 6902
 * patches on their own (fuzz_render reaches them through files, ~300 inputs
 * a second; this calls them directly).
 *
 * The input is split at the first line "===": before it a target object
 * (YAML or JSON), after it a patch. A patch that is a list is applied as
 * JSON 6902 operations, a map as a strategic-merge patch, each to a copy of
 * the target, and a map patch is also read as the ops' "value" of an add.
 * Invariants: no crash, leak or sanitizer report; a failure sets a message;
 * what a patch leaves converts back to an object that emits as YAML and
 * reads back equal; applying a patch never changes the patch.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/render.h"

static int verbose;

static void check_failed(void)
{
	if (!k8smig_error_last()->message[0])
		abort();
}

/* The patched tree must make an object that emits and reads back equal. */
static void check_result(const k8smig__rnode *root)
{
	k8smig_object *o = NULL;
	k8smig_object_list *l = NULL, *back = NULL;
	char *text = NULL;
	if (k8smig__rnode_to_object(&o, root) < 0) {
		check_failed();
		return;
	}
	if (k8smig_object_list_new(&l) < 0 || k8smig_object_list_append(l, o) < 0)
		abort();
	if (k8smig_object_list_emit(&text, NULL, l, NULL) < 0) {
		check_failed();
	} else {
		if (k8smig_parse(&back, text, strlen(text), NULL) < 0 || k8smig_object_list_size(back) != 1 ||
		    !k8smig_value_equal(k8smig_object_get(k8smig_object_list_get(back, 0), NULL), k8smig_object_get(o, NULL)))
			abort();
		k8smig_object_list_free(back);
		k8smig_free(text);
	}
	k8smig_object_list_free(l);
	k8smig_object_free(o);
}

static void apply(k8smig__rarena *a, const k8smig__rnode *target, const k8smig__rnode *patch)
{
	k8smig__rnode *dst = k8smig__rnode_copy(a, target), *keep = k8smig__rnode_copy(a, patch);
	int rc;
	if (!dst || !keep)
		abort();
	if (patch->type == K8SMIG_TYPE_LIST)
		rc = k8smig__json6902_apply(a, dst, patch);
	else if (target->type == K8SMIG_TYPE_MAP && patch->type == K8SMIG_TYPE_MAP)
		rc = k8smig__smp_merge(a, dst, patch);
	else
		return;
	if (!k8smig__rnode_equal(keep, patch))
		abort();
	if (verbose) /* K8SMIG_FUZZ_VERBOSE=1 ./fuzz_patch FILE: what each seed does */
		fprintf(stderr, "%s: %s\n", patch->type == K8SMIG_TYPE_LIST ? "json6902" : "strategic merge",
		        rc < 0 ? k8smig_error_last()->message : "applied");
	if (rc < 0)
		check_failed();
	else if (dst->type == K8SMIG_TYPE_MAP)
		check_result(dst);
	k8smig_error_clear();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int inited;
	const char *sep;
	char *text;
	k8smig_object_list *tl = NULL, *pl = NULL;
	k8smig__rarena a = { 0 };
	size_t i, tlen;

	if (!inited) {
		k8smig_init();
		verbose = getenv("K8SMIG_FUZZ_VERBOSE") != NULL;
		inited = 1;
	}
	if (!(text = malloc(size + 1)))
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	sep = strstr(text, "\n===\n");
	tlen = sep ? (size_t)(sep - text) + 1 : size;
	if (k8smig_parse(&tl, text, tlen, NULL) < 0) {
		check_failed();
		goto out;
	}
	if (sep && k8smig_parse(&pl, sep + 5, strlen(sep + 5), NULL) < 0)
		check_failed();
	for (i = 0; i < k8smig_object_list_size(tl); i++) {
		const k8smig__rnode *target = k8smig__rnode_from_value(&a, k8smig_object_get(k8smig_object_list_get(tl, i), NULL));
		size_t j;
		if (!target)
			abort();
		for (j = 0; pl && j < k8smig_object_list_size(pl); j++) {
			const k8smig_value *root = k8smig_object_get(k8smig_object_list_get(pl, j), NULL);
			const k8smig_value *ops = k8smig_object_get(k8smig_object_list_get(pl, j), "ops");
			const k8smig__rnode *patch = k8smig__rnode_from_value(&a, root);
			if (!patch)
				abort();
			apply(&a, target, patch);
			/* a document {ops: [...]} carries JSON 6902 operations (the parser reads maps only) */
			if (ops && k8smig_value_type(ops) == K8SMIG_TYPE_LIST) {
				const k8smig__rnode *p = k8smig__rnode_from_value(&a, ops);
				if (!p)
					abort();
				apply(&a, target, p);
			}
		}
	}
out:
	k8smig__rarena_free(&a);
	k8smig_object_list_free(tl);
	k8smig_object_list_free(pl);
	k8smig_error_clear();
	free(text);
	return 0;
}
