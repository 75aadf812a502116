/*
 * examples/cli/cmd_generate.c - k8smig generate: the whole migration tree
 * (k8s/, aws/, .github/workflows/deploy.yml) from a migration spec, or from
 * the bundled layering-detection spec.
 *
 *     k8smig generate [--spec FILE] [-o DIR] [--check] [--print-spec]
 *
 * Writes are atomic per file and skip files that already hold the right
 * bytes. --check writes nothing, lists the files that would change and
 * exits 1 when there is any. Exit status: 0 success (or, with --check, up to
 * date), 1 failure or changes found, 2 usage error.
 */
#include <string.h>

#include "cli.h"

#define USAGE "usage: k8smig generate [--spec FILE] [-o DIR] [--check] [--print-spec]\n"

typedef struct report {
	bool check;
	size_t created, updated, unchanged;
} report;

static int on_file(const char *path, k8smig_change change, void *payload)
{
	report *r = payload;

	switch (change) {
	case K8SMIG_CHANGE_CREATE:
		r->created++;
		printf("%s %s\n", r->check ? "would create" : "created", path);
		break;
	case K8SMIG_CHANGE_UPDATE:
		r->updated++;
		printf("%s %s\n", r->check ? "would update" : "updated", path);
		break;
	default:
		r->unchanged++;
		break;
	}
	return 0;
}

int cmd_generate(int argc, char **argv)
{
	k8smig_generate_options opts = K8SMIG_GENERATE_OPTIONS_INIT;
	const char *spec_path = NULL, *out_dir = ".";
	k8smig_spec *spec = NULL;
	report r = { 0 };
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--spec") == 0 && i + 1 < argc) {
			spec_path = argv[++i];
		} else if ((strcmp(argv[i], "-o") == 0 || strcmp(argv[i], "--output") == 0) && i + 1 < argc) {
			out_dir = argv[++i];
		} else if (strcmp(argv[i], "--check") == 0) {
			r.check = true;
		} else if (strcmp(argv[i], "--print-spec") == 0) {
			fputs(k8smig_spec_default_text(), stdout);
			return CLI_OK;
		} else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			fputs(USAGE, stdout);
			return CLI_OK;
		} else {
			fprintf(stderr, "k8smig generate: unexpected argument '%s'\n" USAGE, argv[i]);
			return CLI_USAGE;
		}
	}
	if ((spec_path ? k8smig_spec_load_file(&spec, spec_path) : k8smig_spec_load_default(&spec)) < 0) {
		cli_print_error(spec_path);
		return CLI_FAILED;
	}
	if (r.check)
		opts.flags |= K8SMIG_GENERATE_CHECK;
	opts.on_file = on_file;
	opts.payload = &r;
	if (k8smig_generate(NULL, spec, out_dir, &opts) < 0) {
		cli_print_error(NULL);
		k8smig_spec_free(spec);
		return CLI_FAILED;
	}
	if (r.check) {
		if (r.created + r.updated)
			fprintf(stderr, "%s: %zu of %zu files would change; run k8smig generate\n", out_dir,
			        r.created + r.updated, r.created + r.updated + r.unchanged);
		else
			fprintf(stderr, "%s: up to date (%zu files)\n", out_dir, r.unchanged);
	} else {
		fprintf(stderr, "%s: %s: %zu created, %zu updated, %zu unchanged\n", out_dir, k8smig_spec_name(spec),
		        r.created, r.updated, r.unchanged);
	}
	k8smig_spec_free(spec);
	return r.check && r.created + r.updated ? CLI_FAILED : CLI_OK;
}
