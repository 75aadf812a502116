/*
 * examples/cli/cmd_apply.c - k8smig apply: server-side apply of files or
 * directories, in dependency order, one line per object; with --applyset
 * as a KEP-3659 ApplySet (--prune, revision history, --atomic); --wait
 * until the set has rolled out.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage_text[] =
	"usage: k8smig apply -f PATH [-f PATH]... [options]\n"
	"       k8smig apply -k DIR [options]\n"
	"  -f, --filename PATH       file, directory (*.yaml, *.yml, *.json, recursively) or - for stdin\n"
	"  -k, --kustomize DIR       a kustomization directory, rendered as k8smig render does\n"
	"      --kubeconfig FILE     kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)\n"
	"      --context NAME        kubeconfig context (default: current-context)\n"
	"  -n, --namespace NS        namespace for objects without one, and of the applyset parent\n"
	"      --dry-run=server      let the server validate everything, store nothing\n"
	"      --field-manager N     field manager (default: k8smig)\n"
	"      --force-conflicts     take over fields other managers own\n"
	"      --applyset NAME       apply as an ApplySet whose parent is Secret NAME (as kubectl --applyset;\n"
	"                            configmaps/NAME: a ConfigMap parent); records a revision (see k8smig history)\n"
	"      --prune               delete members of the applyset that left the set (needs --applyset)\n"
	"      --wait                wait until every object is rolled out / ready, then print the summary\n"
	"      --timeout DURATION    for --wait and pruning, e.g. 90s, 5m (default 5m)\n"
	"      --atomic              on a failed apply or wait, roll back to the previous revision\n"
	"                            (implies --wait; needs --applyset)\n"
	"      --history-max N       revisions kept (default 10)\n"
	"      --as USER             impersonate USER (--as-group GROUP, repeatable; --as-uid UID)\n"
	"  -o, --output yaml|json    print the applied objects instead of one line each\n"
	"  -h, --help                this help\n"
	"exit status: 0 all applied (and ready), 1 some object failed, timed out or bad input, 2 usage error\n";

static void on_progress(const k8smig_apply_result *r, size_t done, size_t total, void *payload)
{
	cli_session *s = payload;
	if (s->tty) {
		fprintf(stderr, "\r\033[K[%zu/%zu] %s %s", done, total, r->kind, r->name);
		if (done == total)
			fputs("\r\033[K", stderr);
		fflush(stderr);
	}
}

static int print_results(cli_session *s, const k8smig_apply_results *res)
{
	size_t i;
	int rc = CLI_OK;
	if (s->output) {
		k8smig_object_list *live = NULL;
		if (k8smig_object_list_new(&live) == 0) {
			for (i = 0; i < k8smig_apply_results_size(res); i++)
				if (k8smig_apply_results_object(res, i))
					k8smig_object_list_append(live, k8smig_apply_results_object(res, i));
			if (k8smig_object_list_size(live)) {
				char *text;
				if (k8smig_object_list_emit(&text, NULL, live, &s->eo) == 0) {
					fputs(text, stdout);
					k8smig_free(text);
				}
			}
			k8smig_object_list_free(live);
		}
	}
	for (i = 0; i < k8smig_apply_results_size(res); i++) {
		const k8smig_apply_result *r = k8smig_apply_results_get(res, i);
		const k8smig_object *src = k8smig_object_list_get(s->set, i);
		if (r->action == K8SMIG_APPLY_FAILED) {
			int line;
			const char *file = k8smig_object_source(src, &line);
			rc = CLI_FAILED;
			if (file)
				fprintf(stderr, "%s:%d: ", file, line);
			cli_ref(stderr, k8smig_object_api_version(src), r->kind, r->name);
			fprintf(stderr, " failed: %s", r->error_message);
			if (r->error_path[0])
				fprintf(stderr, " (at %s)", r->error_path);
			fputc('\n', stderr);
		} else if (!s->output) {
			cli_ref(stdout, k8smig_object_api_version(src), r->kind, r->name);
			printf(" %s%s\n", k8smig_apply_action_name(r->action), s->apo.dry_run ? " (server dry run)" : "");
		}
	}
	fflush(stdout);
	return rc;
}

int cmd_apply(int argc, char **argv)
{
	cli_session s;
	k8smig_apply_results *res = NULL;
	k8smig_rollout *ro = NULL;
	k8smig_wait_results *wr = NULL;
	double t0;
	size_t i;
	int rc = cli_session_parse(&s, argc, argv, usage_text, "fknoABCDEFGHIJKLNOP");

	if (rc != CLI_OK)
		goto out;
	if ((!s.nfiles && !s.kustomize_dir) || s.nargs) {
		/* like kubectl: either -f or -k */
		fputs(usage_text, stderr);
		rc = CLI_USAGE;
		goto out;
	}
	if ((rc = cli_session_load(&s)) != CLI_OK || (rc = cli_session_connect(&s)) != CLI_OK)
		goto out;
	s.aso.progress = on_progress;
	s.aso.payload = &s;
	s.ro.wait_progress = cli_wait_progress;
	s.ro.wait_payload = &s;
	t0 = cli_now();
	if (s.ro.applyset) {
		int lrc = k8smig_client_apply_applyset(&ro, s.c, s.set, &s.ro);
		if (!ro) {
			cli_print_error(NULL);
			rc = CLI_FAILED;
			goto out;
		}
		if (k8smig_rollout_applied(ro))
			rc = print_results(&s, k8smig_rollout_applied(ro));
		for (i = 0; i < k8smig_rollout_pruned_size(ro); i++) {
			const k8smig_prune_entry *p = k8smig_rollout_pruned_get(ro, i);
			cli_ref(p->error_code ? stderr : stdout, p->api_version, p->kind, p->name);
			if (p->error_code) {
				fprintf(stderr, " prune failed: %s\n", p->error_message);
				rc = CLI_FAILED;
			} else {
				printf(" pruned%s\n", s.apo.dry_run ? " (server dry run)" : "");
			}
		}
		if (k8smig_rollout_waited(ro))
			cli_wait_summary(k8smig_rollout_waited(ro), cli_now() - t0, false);
		if (lrc < 0) {
			cli_print_error(NULL);
			rc = CLI_FAILED;
		}
		if (k8smig_rollout_rolled_back(ro)) {
			if (k8smig_rollout_rolled_back_to(ro))
				fprintf(stderr, "atomic: rolled back to revision %u\n", k8smig_rollout_rolled_back_to(ro));
			else
				fprintf(stderr, "atomic: there was no earlier revision; the set was deleted\n");
		} else if (k8smig_rollout_revision(ro)) {
			printf("applyset %s: revision %u\n", s.ro.applyset, k8smig_rollout_revision(ro));
		}
		goto out;
	}
	if (k8smig_client_apply_set(&res, s.c, s.set, &s.aso) < 0 && !res) {
		cli_print_error(NULL);
		rc = CLI_FAILED;
		goto out;
	}
	rc = print_results(&s, res);
	if (rc == CLI_OK && s.ro.wait && !s.apo.dry_run) {
		k8smig_wait_options wo = K8SMIG_WAIT_OPTIONS_INIT;
		int wrc;
		wo.timeout_ms = s.ro.timeout_ms;
		wo.progress = cli_wait_progress;
		wo.payload = &s;
		wrc = k8smig_client_wait(&wr, s.c, s.set, &wo);
		if (wr)
			cli_wait_summary(wr, cli_now() - t0, false);
		if (wrc < 0) {
			cli_print_error(NULL);
			rc = CLI_FAILED;
		}
	}
out:
	k8smig_wait_results_free(wr);
	k8smig_apply_results_free(res);
	k8smig_rollout_free(ro);
	cli_session_free(&s);
	return rc < 0 ? CLI_OK : rc;
}
