/*
 * examples/cli/cmd_apply.c - k8smig apply: server-side apply of files or
 * directories, in dependency order, one line per object.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const char usage_text[] =
	"usage: k8smig apply -f PATH [-f PATH]... [options]\n"
	"       k8smig apply -k DIR [options]\n"
	"  -f, --filename PATH     file, directory (*.yaml, *.yml, *.json, recursively) or - for stdin\n"
	"  -k, --kustomize DIR     a kustomization directory, rendered as k8smig render does\n"
	"      --kubeconfig FILE   kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)\n"
	"      --context NAME      kubeconfig context (default: current-context)\n"
	"  -n, --namespace NS      namespace for objects without one (default: the context's)\n"
	"      --dry-run=server    let the server validate everything, store nothing\n"
	"      --field-manager N   field manager (default: k8smig)\n"
	"      --force-conflicts   take over fields other managers own\n"
	"  -o, --output yaml|json  print the applied objects instead of one line each\n"
	"exit status: 0 all applied, 1 some object failed or bad input, 2 usage error\n";

/* kubectl's "deployment.apps/web" */
static void print_ref(FILE *f, const k8smig_apply_result *r, const k8smig_object_list *set, size_t i)
{
	const char *api = k8smig_object_api_version(k8smig_object_list_get(set, i));
	const char *slash = api ? strchr(api, '/') : NULL;
	const char *k;
	for (k = r->kind; *k; k++)
		fputc(*k >= 'A' && *k <= 'Z' ? *k + 32 : *k, f);
	if (slash)
		fprintf(f, ".%.*s", (int)(slash - api), api);
	fprintf(f, "/%s", r->name);
}

typedef struct progress {
	int tty;
} progress;

static void on_progress(const k8smig_apply_result *r, size_t done, size_t total, void *payload)
{
	progress *p = payload;
	if (p->tty) {
		fprintf(stderr, "\r\033[K[%zu/%zu] %s %s", done, total, r->kind, r->name);
		if (done == total)
			fputs("\r\033[K", stderr);
		fflush(stderr);
	}
}

int cmd_apply(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "filename", required_argument, NULL, 'f' },
		{ "kustomize", required_argument, NULL, 'k' },
		{ "kubeconfig", required_argument, NULL, 'K' },
		{ "context", required_argument, NULL, 'C' },
		{ "namespace", required_argument, NULL, 'n' },
		{ "dry-run", required_argument, NULL, 'D' },
		{ "field-manager", required_argument, NULL, 'M' },
		{ "force-conflicts", no_argument, NULL, 'F' },
		{ "server-side", no_argument, NULL, 'S' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	k8smig_client_options co = K8SMIG_CLIENT_OPTIONS_INIT;
	k8smig_apply_options apo = K8SMIG_APPLY_OPTIONS_INIT;
	k8smig_apply_set_options ao = K8SMIG_APPLY_SET_OPTIONS_INIT;
	k8smig_emit_options eo = K8SMIG_EMIT_OPTIONS_INIT;
	const char *kubeconfig = NULL, *kustomize_dir = NULL;
	char **files = NULL;
	size_t nfiles = 0, i;
	int opt, output = 0, rc = CLI_FAILED;
	k8smig_kubeconfig *kc = NULL;
	k8smig_client *c = NULL;
	k8smig_object_list *set = NULL;
	k8smig_apply_results *res = NULL;
	progress prog = { isatty(2) };

	if (!(files = calloc((size_t)argc, sizeof(*files))))
		return CLI_FAILED;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "f:k:n:o:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'f': files[nfiles++] = optarg; break;
		case 'k':
			kustomize_dir = optarg;
			break;
		case 'K': kubeconfig = optarg; break;
		case 'C': co.context = optarg; break;
		case 'n': co.namespace_ = optarg; break;
		case 'D':
			if (strcmp(optarg, "server") == 0)
				apo.dry_run = true;
			else if (strcmp(optarg, "none") != 0) {
				fprintf(stderr, "k8smig apply: --dry-run takes server or none\n");
				free(files);
				return CLI_USAGE;
			}
			break;
		case 'M': apo.field_manager = optarg; break;
		case 'F': apo.force = true; break;
		case 'S': break; /* apply is always server-side */
		case 'o':
			if (cli_output_format(&eo, optarg, "apply") < 0) {
				free(files);
				return CLI_USAGE;
			}
			output = 1;
			break;
		case 'h':
			fputs(usage_text, stdout);
			free(files);
			return CLI_OK;
		default:
			fputs(usage_text, stderr);
			free(files);
			return CLI_USAGE;
		}
	}
	if (!nfiles == !kustomize_dir || optind < argc) {
		/* like kubectl: either -f or -k */
		fputs(usage_text, stderr);
		free(files);
		return CLI_USAGE;
	}
	if (kustomize_dir ? cli_render_dir(&set, kustomize_dir, 0) < 0 : cli_load_paths(&set, files, nfiles) < 0)
		goto out;
	if (k8smig_init() < 0 || k8smig_kubeconfig_load(&kc, kubeconfig) < 0 || k8smig_client_new(&c, kc, &co) < 0) {
		cli_print_error(kubeconfig);
		goto out;
	}
	ao.apply = &apo;
	ao.progress = on_progress;
	ao.payload = &prog;
	if (k8smig_client_apply_set(&res, c, set, &ao) < 0) {
		cli_print_error(NULL);
		goto out;
	}
	rc = CLI_OK;
	if (output) {
		k8smig_object_list *live = NULL;
		if (k8smig_object_list_new(&live) == 0) {
			for (i = 0; i < k8smig_apply_results_size(res); i++)
				if (k8smig_apply_results_object(res, i))
					k8smig_object_list_append(live, k8smig_apply_results_object(res, i));
			if (k8smig_object_list_size(live)) {
				char *text;
				if (k8smig_object_list_emit(&text, NULL, live, &eo) == 0) {
					fputs(text, stdout);
					k8smig_free(text);
				}
			}
			k8smig_object_list_free(live);
		}
	}
	for (i = 0; i < k8smig_apply_results_size(res); i++) {
		const k8smig_apply_result *r = k8smig_apply_results_get(res, i);
		if (r->action == K8SMIG_APPLY_FAILED) {
			int line;
			const char *src = k8smig_object_source(k8smig_object_list_get(set, i), &line);
			rc = CLI_FAILED;
			if (src)
				fprintf(stderr, "%s:%d: ", src, line);
			print_ref(stderr, r, set, i);
			fprintf(stderr, " failed: %s", r->error_message);
			if (r->error_path[0])
				fprintf(stderr, " (at %s)", r->error_path);
			fputc('\n', stderr);
		} else if (!output) {
			print_ref(stdout, r, set, i);
			printf(" %s%s\n", k8smig_apply_action_name(r->action), apo.dry_run ? " (server dry run)" : "");
		}
	}
	if (k8smig_client_warnings(c)[0])
		fprintf(stderr, "warning: %s", k8smig_client_warnings(c));
out:
	k8smig_apply_results_free(res);
	k8smig_client_free(c);
	k8smig_kubeconfig_free(kc);
	k8smig_object_list_free(set);
	free(files);
	k8smig_shutdown();
	return rc;
}
