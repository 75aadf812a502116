/*
 * examples/cli/cmd_import.c - k8smig import-ecs and k8smig import-terraform:
 * the running ECS system (AWS CLI JSON, or terraform show -json) into a
 * migration spec, the tree (through generate), and a migration report.
 *
 *     k8smig import-ecs --task-definition F... [--services F] [--scalable-targets F]
 *                       [--scaling-policies F] [common options]
 *     k8smig import-terraform --state F [common options]
 *     common: [--name NAME] [--base-spec FILE] [--spec-out FILE] [-o DIR] [--report FILE]
 *             [--report-html FILE] [--quiet]
 *
 * Nothing is written unless everything succeeds: the spec is loaded (so
 * checked) before any output; the spec and the report go to temporary files
 * renamed into place after the tree was generated. Without --spec-out and
 * -o the spec is printed on stdout. The summary goes to stderr.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define USAGE_ECS                                                                                                  \
	"usage: k8smig import-ecs --task-definition FILE... [--services FILE] [--scalable-targets FILE]\n"         \
	"                         [--scaling-policies FILE] [--name NAME] [--base-spec FILE]\n"                     \
	"                         [--spec-out FILE] [-o DIR] [--report FILE] [--quiet]\n"
#define USAGE_TF                                                                                                   \
	"usage: k8smig import-terraform --state FILE [--name NAME] [--base-spec FILE]\n"                          \
	"                               [--spec-out FILE] [-o DIR] [--report FILE] [--report-html FILE] [--quiet]\n"

typedef struct input {
	k8smig_import_kind kind;
	const char *path;
} input;

/* write data to "<path>.tmp-k8smig"; the caller renames it */
static int write_temp(char **tmp_out, const char *path, const char *data, size_t len)
{
	size_t n = strlen(path) + 16;
	char *tmp = malloc(n);
	FILE *f;

	if (!tmp) {
		fprintf(stderr, "k8smig: out of memory\n");
		return -1;
	}
	snprintf(tmp, n, "%s.tmp-k8smig", path);
	if (!(f = fopen(tmp, "wb")) || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
		fprintf(stderr, "%s: cannot write: %s\n", path, strerror(errno));
		if (f)
			remove(tmp);
		free(tmp);
		return -1;
	}
	*tmp_out = tmp;
	return 0;
}

static int run(const char *cmd, input *inputs, size_t n, const char *name, const char *base_path, const char *spec_out,
               const char *out_dir, const char *report_path, const char *html_path, bool quiet)
{
	k8smig_import_options o = K8SMIG_IMPORT_OPTIONS_INIT;
	k8smig_emit_options eo = K8SMIG_EMIT_OPTIONS_INIT;
	k8smig_generate_options go = K8SMIG_GENERATE_OPTIONS_INIT;
	k8smig_object_list *base = NULL;
	k8smig_import *imp = NULL;
	k8smig_object *doc = NULL;
	k8smig_spec *spec = NULL;
	char *yaml = NULL, *json = NULL, *text = NULL, *html = NULL, *tmp_spec = NULL, *tmp_report = NULL, *tmp_html = NULL;
	size_t yaml_len = 0, json_len = 0, html_len = 0, i;
	int status = CLI_FAILED;

	(void)cmd;
	if (base_path) {
		if (k8smig_parse_file(&base, base_path, NULL) < 0) {
			cli_print_error(base_path);
			goto done;
		}
		if (k8smig_object_list_size(base) != 1) {
			fprintf(stderr, "%s: a spec is exactly one YAML document\n", base_path);
			goto done;
		}
		o.base = k8smig_object_list_get(base, 0);
	}
	o.name = name;
	if (k8smig_import_new(&imp, &o) < 0) {
		cli_print_error(NULL);
		goto done;
	}
	for (i = 0; i < n; i++)
		if (k8smig_import_add_file(imp, inputs[i].kind, inputs[i].path) < 0) {
			cli_print_error(inputs[i].path);
			goto done;
		}
	if (k8smig_import_build(&doc, imp) < 0) {
		cli_print_error(NULL);
		goto done;
	}
	if (k8smig_spec_load_object(&spec, doc, "imported spec") < 0) {
		cli_print_error(NULL);
		fprintf(stderr, "k8smig %s: the imported spec does not load (a bug: please report it with the inputs)\n", cmd);
		goto done;
	}
	if (k8smig_object_emit(&yaml, &yaml_len, doc, &eo) < 0 ||
	    k8smig_import_report(&json, &json_len, imp, K8SMIG_IMPORT_REPORT_JSON) < 0 ||
	    k8smig_import_report(&text, NULL, imp, K8SMIG_IMPORT_REPORT_TEXT) < 0 ||
	    (html_path && k8smig_import_report(&html, &html_len, imp, K8SMIG_IMPORT_REPORT_HTML) < 0)) {
		cli_print_error(NULL);
		goto done;
	}
	if (spec_out && write_temp(&tmp_spec, spec_out, yaml, yaml_len) < 0)
		goto done;
	if (report_path && write_temp(&tmp_report, report_path, json, json_len) < 0)
		goto done;
	if (html_path && write_temp(&tmp_html, html_path, html, html_len) < 0)
		goto done;
	if (out_dir && k8smig_generate(NULL, spec, out_dir, &go) < 0) {
		cli_print_error(NULL);
		goto done;
	}
	if (tmp_spec && rename(tmp_spec, spec_out) != 0) {
		fprintf(stderr, "%s: cannot write: %s\n", spec_out, strerror(errno));
		goto done;
	}
	if (tmp_report && rename(tmp_report, report_path) != 0) {
		fprintf(stderr, "%s: cannot write: %s\n", report_path, strerror(errno));
		goto done;
	}
	if (tmp_html && rename(tmp_html, html_path) != 0) {
		fprintf(stderr, "%s: cannot write: %s\n", html_path, strerror(errno));
		goto done;
	}
	if (!spec_out && !out_dir)
		fwrite(yaml, 1, yaml_len, stdout);
	if (!quiet)
		fputs(text, stderr);
	status = CLI_OK;
done:
	if (tmp_spec) {
		if (status != CLI_OK)
			remove(tmp_spec);
		free(tmp_spec);
	}
	if (tmp_report) {
		if (status != CLI_OK)
			remove(tmp_report);
		free(tmp_report);
	}
	if (tmp_html) {
		if (status != CLI_OK)
			remove(tmp_html);
		free(tmp_html);
	}
	k8smig_free(html);
	k8smig_free(yaml);
	k8smig_free(json);
	k8smig_free(text);
	k8smig_spec_free(spec);
	k8smig_object_free(doc);
	k8smig_import_free(imp);
	k8smig_object_list_free(base);
	return status;
}

static int import_main(int argc, char **argv, bool terraform)
{
	const char *usage = terraform ? USAGE_TF : USAGE_ECS, *cmd = terraform ? "import-terraform" : "import-ecs";
	const char *name = NULL, *base = NULL, *spec_out = NULL, *out_dir = NULL, *report = NULL, *html = NULL;
	input *inputs = calloc((size_t)argc + 1, sizeof(*inputs));
	size_t n = 0, n_td = 0;
	bool quiet = false;
	int i, rc;

	if (!inputs) {
		fprintf(stderr, "k8smig: out of memory\n");
		return CLI_FAILED;
	}
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		bool has = i + 1 < argc;
		if (!terraform && strcmp(a, "--task-definition") == 0 && has) {
			/* one or more files: every following argument up to the next option */
			while (i + 1 < argc && argv[i + 1][0] != '-') {
				inputs[n].kind = K8SMIG_IMPORT_TASK_DEFINITION;
				inputs[n++].path = argv[++i];
				n_td++;
			}
		} else if (!terraform && strcmp(a, "--services") == 0 && has) {
			inputs[n].kind = K8SMIG_IMPORT_SERVICES;
			inputs[n++].path = argv[++i];
		} else if (!terraform && strcmp(a, "--scalable-targets") == 0 && has) {
			inputs[n].kind = K8SMIG_IMPORT_SCALABLE_TARGETS;
			inputs[n++].path = argv[++i];
		} else if (!terraform && strcmp(a, "--scaling-policies") == 0 && has) {
			inputs[n].kind = K8SMIG_IMPORT_SCALING_POLICIES;
			inputs[n++].path = argv[++i];
		} else if (terraform && strcmp(a, "--state") == 0 && has && !n) {
			inputs[n].kind = K8SMIG_IMPORT_TERRAFORM;
			inputs[n++].path = argv[++i];
			n_td++;
		} else if (strcmp(a, "--name") == 0 && has) {
			name = argv[++i];
		} else if (strcmp(a, "--base-spec") == 0 && has) {
			base = argv[++i];
		} else if (strcmp(a, "--spec-out") == 0 && has) {
			spec_out = argv[++i];
		} else if ((strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) && has) {
			out_dir = argv[++i];
		} else if (strcmp(a, "--report") == 0 && has) {
			report = argv[++i];
		} else if (strcmp(a, "--report-html") == 0 && has) {
			html = argv[++i];
		} else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
			quiet = true;
		} else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			fputs(usage, stdout);
			free(inputs);
			return CLI_OK;
		} else {
			fprintf(stderr, "k8smig %s: unexpected argument '%s'\n%s", cmd, a, usage);
			free(inputs);
			return CLI_USAGE;
		}
	}
	if (!n_td) {
		fprintf(stderr, "k8smig %s: %s is required\n%s", cmd, terraform ? "--state" : "--task-definition", usage);
		free(inputs);
		return CLI_USAGE;
	}
	rc = run(cmd, inputs, n, name, base, spec_out, out_dir, report, html, quiet);
	free(inputs);
	return rc;
}

int cmd_import_ecs(int argc, char **argv)
{
	return import_main(argc, argv, false);
}

int cmd_import_terraform(int argc, char **argv)
{
	return import_main(argc, argv, true);
}
