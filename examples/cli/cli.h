/*
 * examples/cli/cli.h - shared bits of the k8smig command (public API only).
 */
#ifndef K8SMIG_CLI_H
#define K8SMIG_CLI_H

#include <stdio.h>
#include <time.h>
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

/* ---- shared by apply, diff, wait, delete, history, rollback (session.c) ---- */

typedef struct cli_session {
	const char *cmd;
	const char *kubeconfig;
	k8smig_client_options co;
	k8smig_rollout_options ro;   /* applyset, prune, wait, timeout, atomic, history; ro.apply = &aso */
	k8smig_apply_set_options aso; /* apply progress; aso.apply = &apo */
	k8smig_apply_options apo;    /* field manager, force, dry run */
	k8smig_emit_options eo;
	int output;                  /* -o given */
	const char *as, *as_uid;
	char **groups;
	size_t ngroups;
	char **files;
	size_t nfiles;
	const char *kustomize_dir;
	char **args;                 /* positional arguments */
	size_t nargs;
	unsigned int to_revision;
	bool for_delete;
	int tty, color;
	k8smig_kubeconfig *kc;
	k8smig_client *c;
	k8smig_object_list *set;
} cli_session;

/* Parse argv; `allow` lists the options the command takes (letters: see session.c).
 * Returns CLI_OK, CLI_USAGE / CLI_FAILED (printed), or -1 after --help. */
int cli_session_parse(cli_session *s, int argc, char **argv, const char *usage, const char *allow);
int cli_session_load(cli_session *s);
int cli_session_connect(cli_session *s);
void cli_session_free(cli_session *s);

/* What a session command takes as input (checked before anything is loaded). */
typedef enum cli_input {
	CLI_IN_NONE,                 /* --applyset only, no files */
	CLI_IN_FILES,                /* -f/-k required */
	CLI_IN_FILES_OR_APPLYSET,    /* -f/-k, --applyset, or both */
	CLI_IN_FILES_XOR_APPLYSET    /* exactly one of them */
} cli_input;

/* A command run by cli_session_run(): parse, check the input, load the set (when files
 * were given), connect, then run(s). */
typedef struct cli_command {
	const char *usage;
	const char *allow;           /* the option letters it takes (cli_session_parse) */
	cli_input input;
	bool needs_applyset;         /* --applyset required */
	int load_failure;            /* exit status when loading or connecting fails; 0: theirs */
	int (*run)(cli_session *s);  /* the exit status; the session is freed after */
} cli_command;

int cli_session_run(const cli_command *cmd, int argc, char **argv);
long cli_duration_ms(const char *s);
void cli_ref(FILE *f, const char *api_version, const char *kind, const char *name);
void cli_wait_progress(const k8smig_wait_result *r, size_t ready, size_t total, void *payload);
void cli_wait_summary(const k8smig_wait_results *w, double seconds, bool for_delete);
double cli_now(void);

int cmd_diff(int argc, char **argv);
int cmd_wait(int argc, char **argv);
int cmd_delete(int argc, char **argv);
int cmd_history(int argc, char **argv);
int cmd_rollback(int argc, char **argv);
int cmd_completion(int argc, char **argv);

#endif
