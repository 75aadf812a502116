/*
 * examples/cli/cmd_render.c - k8smig render: build a kustomization
 * directory like `kubectl kustomize DIR` and print the stream.
 */
#include <getopt.h>
#include <string.h>

#include "cli.h"

static const char usage_text[] =
	"usage: k8smig render [-o yaml|json] [--load-restrictor none] DIR\n"
	"  -o, --output yaml|json     output format (default yaml)\n"
	"      --load-restrictor none allow files outside each kustomization's directory\n"
	"exit status: 0 rendered, 1 bad input (file:line:col: message (at path)), 2 usage error\n";

static int write_stdout(const char *data, size_t len, void *payload)
{
	(void)payload;
	return fwrite(data, 1, len, stdout) == len ? 0 : -1;
}

int cli_render_dir(k8smig_object_list **out, const char *dir, unsigned int flags)
{
	k8smig_render_options ro = K8SMIG_RENDER_OPTIONS_INIT;
	ro.flags = flags;
	if (k8smig_render(out, dir, &ro) < 0) {
		cli_print_error(dir);
		return -1;
	}
	return 0;
}

int cmd_render(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "load-restrictor", required_argument, NULL, 'L' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	k8smig_emit_options eo = K8SMIG_EMIT_OPTIONS_INIT;
	k8smig_object_list *objs = NULL;
	unsigned int flags = 0;
	int opt, rc = CLI_OK;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'o':
			if (cli_output_format(&eo, optarg, "render") < 0) {
				return CLI_USAGE;
			}
			break;
		case 'L':
			if (strcmp(optarg, "none") == 0 || strcmp(optarg, "LoadRestrictionsNone") == 0)
				flags |= K8SMIG_RENDER_LOAD_ANYWHERE;
			else if (strcmp(optarg, "rootOnly") != 0 && strcmp(optarg, "LoadRestrictionsRootOnly") != 0) {
				fprintf(stderr, "k8smig render: --load-restrictor takes none or rootOnly\n");
				return CLI_USAGE;
			}
			break;
		case 'h':
			fputs(usage_text, stdout);
			return CLI_OK;
		default:
			fputs(usage_text, stderr);
			return CLI_USAGE;
		}
	}
	if (optind + 1 != argc) {
		fputs(usage_text, stderr);
		return CLI_USAGE;
	}
	if (cli_render_dir(&objs, argv[optind], flags) < 0)
		return CLI_FAILED;
	if (k8smig_object_list_write(objs, &eo, write_stdout, NULL) < 0) {
		cli_print_error(NULL);
		rc = CLI_FAILED;
	}
	k8smig_object_list_free(objs);
	return rc;
}
