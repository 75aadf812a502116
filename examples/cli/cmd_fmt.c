/*
 * examples/cli/cmd_fmt.c - k8smig fmt: parse every document, print it canonically.
 *
 * All input is parsed before anything is printed, so bad input produces an
 * error and no partial output.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static int write_stdout(const char *data, size_t len, void *payload)
{
	(void)payload;
	return fwrite(data, 1, len, stdout) == len ? 0 : -1;
}

static int append_all(k8smig_object_list *dst, k8smig_object_list *src)
{
	size_t i;
	for (i = 0; i < k8smig_object_list_size(src); i++)
		if (k8smig_object_list_append(dst, k8smig_object_list_get(src, i)) < 0)
			return -1;
	return 0;
}

int cmd_fmt(int argc, char **argv)
{
	k8smig_emit_options eo = K8SMIG_EMIT_OPTIONS_INIT;
	k8smig_object_list *all = NULL;
	const char *stdin_only[] = { "-" };
	const char **files;
	int nfiles, i, opt, rc = CLI_OK;
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};

	optind = 1;
	while ((opt = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'o':
			if (cli_output_format(&eo, optarg, "fmt") < 0) {
				return CLI_USAGE;
			}
			break;
		case 'h':
			printf("usage: k8smig fmt [-o yaml|json] [FILE|-]...\n  -o, --output yaml|json  output format (default yaml)\n  -h, --help              this help\n");
			return CLI_OK;
		default:
			fprintf(stderr, "usage: k8smig fmt [-o yaml|json] [FILE|-]...\n");
			return CLI_USAGE;
		}
	}
	files = optind < argc ? (const char **)(argv + optind) : stdin_only;
	nfiles = optind < argc ? argc - optind : 1;

	if (k8smig_object_list_new(&all) < 0) {
		cli_print_error(NULL);
		return CLI_FAILED;
	}
	for (i = 0; i < nfiles && rc == CLI_OK; i++) {
		k8smig_parse_options po = K8SMIG_PARSE_OPTIONS_INIT;
		k8smig_object_list *docs = NULL;
		const char *name = strcmp(files[i], "-") == 0 ? "<stdin>" : files[i];
		size_t len;
		char *data = cli_read_input(files[i], &len);

		if (!data) {
			rc = CLI_FAILED;
			break;
		}
		po.source_name = name;
		if (k8smig_parse(&docs, data, len, &po) < 0 || append_all(all, docs) < 0) {
			cli_print_error(name);
			rc = CLI_FAILED;
		}
		k8smig_object_list_free(docs);
		free(data);
	}
	if (rc == CLI_OK && k8smig_object_list_write(all, &eo, write_stdout, NULL) < 0) {
		cli_print_error(NULL);
		rc = CLI_FAILED;
	}
	if (fflush(stdout) != 0)
		rc = CLI_FAILED;
	k8smig_object_list_free(all);
	return rc;
}
