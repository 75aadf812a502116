/*
 * examples/cli/cmd_validate.c - k8smig validate: check a set of manifests
 * before anything is applied.
 *
 * Every file (directories: every *.yaml, *.yml and *.json below them, in
 * sorted order) is parsed into one set, which is validated as a whole, so
 * references across files resolve. Findings are printed one per line:
 *
 *     file:line: severity code kind/namespace/name path: message
 *
 * (kind/name when the object has no namespace), or as a JSON array with
 * -o json. Exit status: 1 when a finding has error severity or the input
 * cannot be read, 0 otherwise, 2 for usage errors.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#define USAGE \
	"usage: k8smig validate [-o text|json] [-f] FILE|DIR|-...\n" \
	"  -f, --filename PATH     file, directory or - (as apply -f; the flag may be left out)\n" \
	"  -o, --output text|json  findings as lines (default) or a JSON array\n" \
	"  -h, --help              this help\n"

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static const char *severity_name(k8smig_severity s)
{
	switch (s) {
	case K8SMIG_SEVERITY_ERROR: return "error";
	case K8SMIG_SEVERITY_WARNING: return "warning";
	default: return "info";
	}
}

static void print_text(const k8smig_report *r)
{
	size_t i;
	for (i = 0; i < k8smig_report_size(r); i++) {
		const k8smig_finding *f = k8smig_report_get(r, i);
		printf("%s:%d: %s %s %s/", f->source[0] ? f->source : "-", f->line, severity_name(f->severity), f->code,
		       f->kind[0] ? f->kind : "-");
		if (f->namespace_[0])
			printf("%s/", f->namespace_);
		printf("%s %s: %s\n", f->name[0] ? f->name : "-", f->path[0] ? f->path : "-", f->message);
	}
}

static void print_json(const k8smig_report *r)
{
	size_t i, n = k8smig_report_size(r);
	fputs(n ? "[\n" : "[]\n", stdout);
	for (i = 0; i < n; i++) {
		const k8smig_finding *f = k8smig_report_get(r, i);
		fputs("    {\"file\": ", stdout);
		json_str(stdout, f->source);
		printf(", \"line\": %d, \"severity\": \"%s\", \"code\": ", f->line, severity_name(f->severity));
		json_str(stdout, f->code);
		fputs(", \"kind\": ", stdout);
		json_str(stdout, f->kind);
		fputs(", \"namespace\": ", stdout);
		json_str(stdout, f->namespace_);
		fputs(", \"name\": ", stdout);
		json_str(stdout, f->name);
		fputs(", \"path\": ", stdout);
		json_str(stdout, f->path);
		fputs(", \"message\": ", stdout);
		json_str(stdout, f->message);
		fputs(i + 1 < n ? "},\n" : "}\n", stdout);
	}
	if (n)
		fputs("]\n", stdout);
}

int cmd_validate(int argc, char **argv)
{
	k8smig_object_list *all = NULL;
	k8smig_report *report = NULL;
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "filename", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	bool json = false;
	int opt, rc = CLI_OK;
	size_t errors, warnings, npaths = 0;
	char **paths = calloc((size_t)argc + 1, sizeof(char *));

	if (!paths)
		return CLI_FAILED;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "o:f:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'f':
			paths[npaths++] = optarg;
			break;
		case 'o':
			if (strcmp(optarg, "json") == 0)
				json = true;
			else if (strcmp(optarg, "text") == 0)
				json = false;
			else {
				fprintf(stderr, "k8smig validate: -o takes text or json\n");
				free(paths);
				return CLI_USAGE;
			}
			break;
		case 'h':
			printf(USAGE);
			free(paths);
			return CLI_OK;
		default:
			fprintf(stderr, USAGE);
			free(paths);
			return CLI_USAGE;
		}
	}
	while (optind < argc)
		paths[npaths++] = argv[optind++];
	if (!npaths) {
		fprintf(stderr, USAGE);
		free(paths);
		return CLI_USAGE;
	}
	/* everything is parsed before anything is validated */
	rc = cli_load_paths(&all, paths, npaths) < 0 ? CLI_FAILED : CLI_OK;
	free(paths);
	if (rc != CLI_OK)
		return rc;
	if (rc == CLI_OK && k8smig_validate(&report, all, NULL) < 0) {
		cli_print_error(NULL);
		rc = CLI_FAILED;
	}
	if (rc == CLI_OK) {
		if (json)
			print_json(report);
		else
			print_text(report);
		errors = k8smig_report_count(report, K8SMIG_SEVERITY_ERROR);
		warnings = k8smig_report_count(report, K8SMIG_SEVERITY_WARNING);
		if (!json)
			fprintf(stderr, "%zu object%s: %zu error%s, %zu warning%s\n", k8smig_object_list_size(all),
			        k8smig_object_list_size(all) == 1 ? "" : "s", errors, errors == 1 ? "" : "s", warnings,
			        warnings == 1 ? "" : "s");
		if (errors)
			rc = CLI_FAILED;
	}
	if (fflush(stdout) != 0)
		rc = CLI_FAILED;
	k8smig_report_free(report);
	k8smig_object_list_free(all);
	return rc;
}
