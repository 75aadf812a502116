/*
 * examples/cli/cli.h - shared bits of the k8smig command (public API only).
 */
#ifndef K8SMIG_CLI_H
#define K8SMIG_CLI_H

#include <stdio.h>
#include <k8smig.h>

/* Exit codes, documented in docs/cli.md. */
enum {
	CLI_OK = 0,
	CLI_FAILED = 1,  /* bad input, validation errors, a failed operation */
	CLI_USAGE = 2    /* wrong flags or arguments */
};

/* Print the last library error as "file:line:column: message [path]" on stderr. */
void cli_print_error(const char *fallback_file);
/* Read a whole file, or stdin for "-". Returns NULL with the error printed. */
char *cli_read_input(const char *path, size_t *len_out);

/* -o yaml|json into eo; prints "k8smig CMD: -o takes yaml or json" and returns -1 otherwise. */
int cli_output_format(k8smig_emit_options *eo, const char *arg, const char *cmd);

/* Parse files, directories (recursively, *.yaml|*.yml|*.json, sorted) and "-" into one list.
 * Errors are printed; returns -1 then. */
int cli_load_paths(k8smig_object_list **out, char **paths, size_t n);

int cmd_fmt(int argc, char **argv);
int cmd_apply(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_generate(int argc, char **argv);
int cmd_render(int argc, char **argv);
int cmd_import_ecs(int argc, char **argv);
int cmd_import_terraform(int argc, char **argv);
/* k8smig_render() with the error printed; -1 on failure. */
int cli_render_dir(k8smig_object_list **out, const char *dir, unsigned int flags);

#endif
