/*
 * examples/cli/cmd_lifecycle.c - k8smig diff, wait, delete, history,
 * rollback and completion.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define CONN_HELP \
	"      --kubeconfig FILE     kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)\n" \
	"      --context NAME        kubeconfig context (default: current-context)\n" \
	"  -n, --namespace NS        namespace for objects without one, and of the applyset parent\n" \
	"      --as USER             impersonate USER (--as-group GROUP, repeatable; --as-uid UID)\n" \
	"  -h, --help                this help\n"
#define SET_HELP \
	"  -f, --filename PATH       file, directory or - (as apply)\n" \
	"  -k, --kustomize DIR       a kustomization directory\n"

/* ---- diff ---- */

static const char diff_usage[] =
	"usage: k8smig diff (-f PATH... | -k DIR) [options]\n"
	"Show what apply would change: a server-side dry-run apply of each object compared with\n"
	"the live object, as a unified diff (Secret values masked). Objects that would be created\n"
	"are shown whole; with --applyset, members that apply --prune would delete too.\n"
	SET_HELP
	"      --applyset NAME       also show members of this applyset that left the set\n"
	"      --field-manager N     field manager of the dry run (default: k8smig)\n"
	"      --force-conflicts     as apply --force-conflicts\n"
	"      --color WHEN          auto (default: on a terminal), always, never\n"
	CONN_HELP
	"exit status (as kubectl diff): 0 no differences, 1 differences, 2 an error\n";

static void print_diff(const char *d, int color)
{
	const char *p = d;
	while (*p) {
		const char *nl = strchr(p, '\n');
		int n = nl ? (int)(nl - p) : (int)strlen(p);
		const char *on = "";
		if (color) {
			if (strncmp(p, "---", 3) == 0 || strncmp(p, "+++", 3) == 0)
				on = "\033[1m";
			else if (*p == '-')
				on = "\033[31m";
			else if (*p == '+')
				on = "\033[32m";
			else if (*p == '@')
				on = "\033[36m";
		}
		printf("%s%.*s%s\n", on, n, p, *on ? "\033[0m" : "");
		p += n + (nl != NULL);
	}
}

static int diff_run(cli_session *s)
{
	k8smig_diff_options o = K8SMIG_DIFF_OPTIONS_INIT;
	k8smig_diff *d = NULL;
	size_t i;
	int rc, lrc;

	o.apply = &s->apo;
	o.applyset = s->ro.applyset;
	o.applyset_namespace = s->ro.applyset_namespace;
	lrc = k8smig_client_diff(&d, s->c, s->set, &o);
	if (!d) {
		cli_print_error(NULL);
		return 2;
	}
	for (i = 0; i < k8smig_diff_size(d); i++) {
		const k8smig_diff_entry *e = k8smig_diff_get(d, i);
		if (e->action == K8SMIG_DIFF_FAILED) {
			cli_ref(stderr, e->api_version, e->kind, e->name);
			fprintf(stderr, ": %s\n", e->error_message);
		} else if (*e->diff) {
			print_diff(e->diff, s->color);
		}
	}
	fflush(stdout);
	rc = lrc < 0 ? 2 : k8smig_diff_changes(d) ? 1 : 0;
	k8smig_diff_free(d);
	return rc;
}

int cmd_diff(int argc, char **argv)
{
	/* exit status as kubectl diff: 2 for any error */
	static const cli_command cmd = { diff_usage, "fknABDEFJNOPQ", CLI_IN_FILES, false, 2, diff_run };
	return cli_session_run(&cmd, argc, argv);
}

/* ---- wait ---- */

static const char wait_usage[] =
	"usage: k8smig wait (-f PATH... | -k DIR | --applyset NAME) [options]\n"
	"Wait until every object is rolled out (Deployments, StatefulSets, DaemonSets), bound (PVCs),\n"
	"established (CRDs), complete (Jobs), active (Namespaces) or Ready (custom resources); on\n"
	"timeout or failure say, per object, what is not ready and why (conditions, events, pods).\n"
	SET_HELP
	"      --applyset NAME       the objects of the applyset's current revision\n"
	"      --for ready|delete    what to wait for (default ready)\n"
	"      --timeout DURATION    e.g. 90s, 5m (default 5m)\n"
	CONN_HELP
	"exit status: 0 all ready, 1 timed out, failed or bad input, 2 usage error\n";

/* The set of the newest deployed revision of an applyset. */
static int applyset_objects(cli_session *s)
{
	k8smig_history *h = NULL;
	size_t i, pick = (size_t)-1;
	int rc = CLI_FAILED;
	if (k8smig_client_history(&h, s->c, s->ro.applyset, s->ro.applyset_namespace) < 0) {
		cli_print_error(NULL);
		return CLI_FAILED;
	}
	for (i = 0; i < k8smig_history_size(h); i++)
		if (strcmp(k8smig_history_get(h, i)->status, "deployed") == 0)
			pick = i;
	if (pick == (size_t)-1)
		fprintf(stderr, "k8smig %s: applyset %s has no deployed revision\n", s->cmd, s->ro.applyset);
	else if (k8smig_history_objects(&s->set, h, pick) < 0)
		cli_print_error(NULL);
	else
		rc = CLI_OK;
	k8smig_history_free(h);
	return rc;
}

static int wait_run(cli_session *s)
{
	k8smig_wait_options wo = K8SMIG_WAIT_OPTIONS_INIT;
	k8smig_wait_results *w = NULL;
	double t0;
	int rc;

	if (!s->set && (rc = applyset_objects(s)) != CLI_OK)
		return rc;
	wo.timeout_ms = s->ro.timeout_ms;
	wo.for_deletion = s->for_delete;
	wo.progress = cli_wait_progress;
	wo.payload = s;
	t0 = cli_now();
	rc = k8smig_client_wait(&w, s->c, s->set, &wo);
	if (w)
		cli_wait_summary(w, cli_now() - t0, s->for_delete);
	if (rc < 0)
		cli_print_error(NULL);
	k8smig_wait_results_free(w);
	return rc < 0 ? CLI_FAILED : CLI_OK;
}

int cmd_wait(int argc, char **argv)
{
	static const cli_command cmd = { wait_usage, "fknABHJNOPR", CLI_IN_FILES_OR_APPLYSET, false, 0, wait_run };
	return cli_session_run(&cmd, argc, argv);
}

/* ---- delete ---- */

static const char delete_usage[] =
	"usage: k8smig delete (-f PATH... | -k DIR | --applyset NAME) [options]\n"
	"Delete a set in reverse dependency order (Ingresses and workloads first, Namespaces and\n"
	"CRDs last) and wait until everything is gone, finalizers included. With --applyset: every\n"
	"member of the applyset, then its parent and revision history.\n"
	SET_HELP
	"      --applyset NAME       the applyset to delete\n"
	"      --dry-run=server      list what would be deleted, delete nothing\n"
	"      --timeout DURATION    e.g. 90s, 5m (default 5m)\n"
	CONN_HELP
	"exit status: 0 all gone, 1 a deletion failed or timed out, 2 usage error\n";

static int delete_run(cli_session *s)
{
	k8smig_rollout *r = NULL;
	size_t i;
	int lrc = s->ro.applyset ? k8smig_client_delete_applyset(&r, s->c, &s->ro) : k8smig_client_delete_set(&r, s->c, s->set, &s->ro);

	for (i = 0; i < k8smig_rollout_pruned_size(r); i++) {
		const k8smig_prune_entry *p = k8smig_rollout_pruned_get(r, i);
		cli_ref(p->error_code ? stderr : stdout, p->api_version, p->kind, p->name);
		if (p->error_code)
			fprintf(stderr, " delete failed: %s\n", p->error_message);
		else
			printf(" deleted%s\n", s->apo.dry_run ? " (server dry run)" : "");
	}
	fflush(stdout);
	if (lrc < 0)
		cli_print_error(NULL);
	k8smig_rollout_free(r);
	return lrc < 0 ? CLI_FAILED : CLI_OK;
}

int cmd_delete(int argc, char **argv)
{
	static const cli_command cmd = { delete_usage, "fknABCHJNOP", CLI_IN_FILES_XOR_APPLYSET, false, 0, delete_run };
	return cli_session_run(&cmd, argc, argv);
}

/* ---- history ---- */

static const char history_usage[] =
	"usage: k8smig history --applyset NAME [options]\n"
	"List the recorded revisions of an applyset (one Secret each, in the parent's namespace).\n"
	"      --applyset NAME       the applyset\n"
	CONN_HELP;

static int history_run(cli_session *s)
{
	k8smig_history *h = NULL;
	size_t i;

	if (k8smig_client_history(&h, s->c, s->ro.applyset, s->ro.applyset_namespace) < 0) {
		cli_print_error(NULL);
		return CLI_FAILED;
	}
	printf("%-9s %-21s %-11s %-8s %s\n", "REVISION", "APPLIED", "STATUS", "OBJECTS", "DESCRIPTION");
	for (i = 0; i < k8smig_history_size(h); i++) {
		const k8smig_revision *v = k8smig_history_get(h, i);
		printf("%-9u %-21s %-11s %-8zu %s\n", v->number, v->applied_at, v->status, v->objects, v->description);
	}
	k8smig_history_free(h);
	return CLI_OK;
}

int cmd_history(int argc, char **argv)
{
	static const cli_command cmd = { history_usage, "nABJNOP", CLI_IN_NONE, true, 0, history_run };
	return cli_session_run(&cmd, argc, argv);
}

/* ---- rollback ---- */

static const char rollback_usage[] =
	"usage: k8smig rollback --applyset NAME [--to N] [options]\n"
	"Re-apply a recorded revision (default: the one before the current) and prune what it\n"
	"lacks; records a new revision.\n"
	"      --applyset NAME       the applyset\n"
	"      --to N                the revision to return to (--to-revision N)\n"
	"      --wait                wait until the set is rolled out\n"
	"      --timeout DURATION    e.g. 90s, 5m (default 5m)\n"
	"      --field-manager N     field manager (default: k8smig)\n"
	"      --force-conflicts     take over fields other managers own\n"
	"      --dry-run=server      show what would be applied, store nothing\n"
	CONN_HELP
	"exit status: 0 rolled back, 1 failed, 2 usage error\n";

static int rollback_run(cli_session *s)
{
	k8smig_rollout *r = NULL;
	double t0;
	size_t i;
	int lrc;

	s->ro.wait_progress = cli_wait_progress;
	s->ro.wait_payload = s;
	t0 = cli_now();
	lrc = k8smig_client_rollback(&r, s->c, s->to_revision, &s->ro);
	if (r) {
		const k8smig_apply_results *a = k8smig_rollout_applied(r);
		for (i = 0; i < k8smig_apply_results_size(a); i++) {
			const k8smig_apply_result *x = k8smig_apply_results_get(a, i);
			printf("%s/%s %s\n", x->kind, x->name, x->action == K8SMIG_APPLY_FAILED ? x->error_message : k8smig_apply_action_name(x->action));
		}
		for (i = 0; i < k8smig_rollout_pruned_size(r); i++) {
			const k8smig_prune_entry *p = k8smig_rollout_pruned_get(r, i);
			cli_ref(stdout, p->api_version, p->kind, p->name);
			printf(" pruned\n");
		}
		if (k8smig_rollout_waited(r))
			cli_wait_summary(k8smig_rollout_waited(r), cli_now() - t0, false);
		if (k8smig_rollout_revision(r))
			printf("applyset %s: rolled back to revision %u (recorded as revision %u)\n", s->ro.applyset,
			       k8smig_rollout_rolled_back_to(r), k8smig_rollout_revision(r));
	}
	if (lrc < 0)
		cli_print_error(NULL);
	k8smig_rollout_free(r);
	return lrc < 0 ? CLI_FAILED : CLI_OK;
}

int cmd_rollback(int argc, char **argv)
{
	static const cli_command cmd = { rollback_usage, "nABCDEGHJMNOP", CLI_IN_NONE, true, 0, rollback_run };
	return cli_session_run(&cmd, argc, argv);
}

/* ---- completion ---- */

#define COMMANDS "version fmt validate render generate apply diff wait delete history rollback completion help"
#define COMMON "--kubeconfig --context --namespace -n --as --as-group --as-uid --help -h"
/* each command's options, for both shells */
#define O_APPLY "-f --filename -k --kustomize --dry-run=server --field-manager --force-conflicts --server-side --applyset --prune --wait --timeout --atomic --history-max -o --output " COMMON
#define O_DIFF "-f --filename -k --kustomize --applyset --field-manager --force-conflicts --color " COMMON
#define O_WAIT "-f --filename -k --kustomize --applyset --for --timeout " COMMON
#define O_DELETE "-f --filename -k --kustomize --applyset --dry-run=server --timeout " COMMON
#define O_HISTORY "--applyset " COMMON
#define O_ROLLBACK "--applyset --to --to-revision --wait --timeout --field-manager --force-conflicts --dry-run=server " COMMON
#define O_VALIDATE "-f --filename -o --output --help -h"
#define O_FMT "-o --output --help -h"
#define O_GENERATE "--spec -o --check --print-spec --help -h"
/* the arms of both scripts' `case $cmd` that set opts (same syntax in bash and zsh) */
#define OPTION_CASES \
	"        apply) opts=\"" O_APPLY "\" ;;\n" \
	"        diff) opts=\"" O_DIFF "\" ;;\n" \
	"        wait) opts=\"" O_WAIT "\" ;;\n" \
	"        delete) opts=\"" O_DELETE "\" ;;\n" \
	"        history) opts=\"" O_HISTORY "\" ;;\n" \
	"        rollback) opts=\"" O_ROLLBACK "\" ;;\n" \
	"        validate) opts=\"" O_VALIDATE "\" ;;\n" \
	"        fmt|render) opts=\"" O_FMT "\" ;;\n" \
	"        generate) opts=\"" O_GENERATE "\" ;;\n"

static const char bash_script[] =
	"# bash completion for k8smig: source <(k8smig completion bash)\n"
	"_k8smig() {\n"
	"    local cur prev cmd opts\n"
	"    cur=\"${COMP_WORDS[COMP_CWORD]}\"\n"
	"    prev=\"${COMP_WORDS[COMP_CWORD-1]}\"\n"
	"    cmd=\"${COMP_WORDS[1]}\"\n"
	"    if [ \"$COMP_CWORD\" -eq 1 ]; then\n"
	"        COMPREPLY=($(compgen -W \"" COMMANDS "\" -- \"$cur\"))\n"
	"        return\n"
	"    fi\n"
	"    case \"$prev\" in\n"
	"        -f|--filename|--kubeconfig|--spec) COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n"
	"        -k|--kustomize|-o) if [ \"$cmd\" = generate ] || [ \"$prev\" != -o ]; then COMPREPLY=($(compgen -d -- \"$cur\")); return; fi ;;\n"
	"        --context) COMPREPLY=($(compgen -W \"$(kubectl config get-contexts -o name 2>/dev/null)\" -- \"$cur\")); return ;;\n"
	"        --output) COMPREPLY=($(compgen -W \"yaml json text\" -- \"$cur\")); return ;;\n"
	"        --color) COMPREPLY=($(compgen -W \"auto always never\" -- \"$cur\")); return ;;\n"
	"        --for) COMPREPLY=($(compgen -W \"ready delete\" -- \"$cur\")); return ;;\n"
	"        completion) COMPREPLY=($(compgen -W \"bash zsh\" -- \"$cur\")); return ;;\n"
	"    esac\n"
	"    case \"$cmd\" in\n"
	OPTION_CASES
	"        completion) opts=\"bash zsh\" ;;\n"
	"    esac\n"
	"    if [[ \"$cur\" == -* ]] || [ \"$cmd\" = completion ]; then\n"
	"        COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n"
	"    else\n"
	"        COMPREPLY=($(compgen -f -- \"$cur\"))\n"
	"    fi\n"
	"}\n"
	"complete -o filenames -F _k8smig k8smig\n";

/* Native zsh (compsys): no bashcompinit. __k8smig_candidates holds the logic and is
 * testable outside a completion widget; _k8smig hands its answer to compadd/_files. */
static const char zsh_script[] =
	"#compdef k8smig\n"
	"# zsh completion for k8smig: source <(k8smig completion zsh) after compinit,\n"
	"# or save it as _k8smig in a directory of $fpath\n"
	"\n"
	"# $1 the command, $2 the word before the cursor, $3 the word being completed:\n"
	"# the candidates, one a line, or :files / :dirs\n"
	"__k8smig_candidates() {\n"
	"    local cmd=$1 prev=$2 cur=$3\n"
	"    case $prev in\n"
	"        -f|--filename|--kubeconfig|--spec) print -r -- :files; return ;;\n"
	"        -k|--kustomize) print -r -- :dirs; return ;;\n"
	"        -o) if [[ $cmd == generate ]]; then print -r -- :dirs; else print -rl -- yaml json text; fi; return ;;\n"
	"        --output) print -rl -- yaml json text; return ;;\n"
	"        --context) kubectl config get-contexts -o name 2>/dev/null; return ;;\n"
	"        --color) print -rl -- auto always never; return ;;\n"
	"        --for) print -rl -- ready delete; return ;;\n"
	"    esac\n"
	"    local opts\n"
	"    case $cmd in\n"
	OPTION_CASES
	"        completion) print -rl -- bash zsh; return ;;\n"
	"    esac\n"
	"    if [[ $cur == -* ]]; then print -rl -- ${=opts}; else print -r -- :files; fi\n"
	"}\n"
	"\n"
	"_k8smig() {\n"
	"    local -a c\n"
	"    if (( CURRENT == 2 )); then\n"
	"        c=(" COMMANDS ")\n"
	"    else\n"
	"        c=(${(f)\"$(__k8smig_candidates \"$words[2]\" \"$words[CURRENT-1]\" \"$PREFIX\")\"})\n"
	"    fi\n"
	"    case $c[1] in\n"
	"        :files) _files ;;\n"
	"        :dirs) _files -/ ;;\n"
	"        *) compadd -a c ;;\n"
	"    esac\n"
	"}\n"
	"\n"
	"# autoloaded from $fpath: complete now; sourced: register\n"
	"if [[ $funcstack[1] == _k8smig ]]; then\n"
	"    _k8smig \"$@\"\n"
	"else\n"
	"    compdef _k8smig k8smig\n"
	"fi\n";

int cmd_completion(int argc, char **argv)
{
	if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		printf("usage: k8smig completion bash|zsh\n"
		       "Print a shell completion script, e.g.  source <(k8smig completion bash)\n"
		       "  zsh (native, after compinit):  source <(k8smig completion zsh)\n"
		       "  or:  k8smig completion zsh > \"${fpath[1]}/_k8smig\"\n"
		       "  -h, --help   this help\n");
		return CLI_OK;
	}
	if (argc != 2 || (strcmp(argv[1], "bash") != 0 && strcmp(argv[1], "zsh") != 0)) {
		fprintf(stderr, "usage: k8smig completion bash|zsh\n");
		return CLI_USAGE;
	}
	fputs(strcmp(argv[1], "zsh") == 0 ? zsh_script : bash_script, stdout);
	return CLI_OK;
}
