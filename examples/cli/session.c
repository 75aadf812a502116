/*
 * examples/cli/session.c - the flags apply, diff, wait, delete, history and
 * rollback share (kubectl's names), the set they read and the client they
 * open; progress and the rollout summary.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

enum {
	O_KUBECONFIG = 1000, O_CONTEXT, O_DRYRUN, O_MANAGER, O_FORCE, O_SERVERSIDE, O_WAIT, O_TIMEOUT, O_PRUNE,
	O_APPLYSET, O_ATOMIC, O_HISTMAX, O_TO, O_AS, O_ASGROUP, O_ASUID, O_COLOR, O_FOR
};

static const struct option all_opts[] = {
	{ "filename", required_argument, NULL, 'f' },
	{ "kustomize", required_argument, NULL, 'k' },
	{ "namespace", required_argument, NULL, 'n' },
	{ "output", required_argument, NULL, 'o' },
	{ "help", no_argument, NULL, 'h' },
	{ "kubeconfig", required_argument, NULL, O_KUBECONFIG },
	{ "context", required_argument, NULL, O_CONTEXT },
	{ "dry-run", required_argument, NULL, O_DRYRUN },
	{ "field-manager", required_argument, NULL, O_MANAGER },
	{ "force-conflicts", no_argument, NULL, O_FORCE },
	{ "server-side", no_argument, NULL, O_SERVERSIDE },
	{ "wait", no_argument, NULL, O_WAIT },
	{ "timeout", required_argument, NULL, O_TIMEOUT },
	{ "prune", no_argument, NULL, O_PRUNE },
	{ "applyset", required_argument, NULL, O_APPLYSET },
	{ "atomic", no_argument, NULL, O_ATOMIC },
	{ "history-max", required_argument, NULL, O_HISTMAX },
	{ "to-revision", required_argument, NULL, O_TO },
	{ "to", required_argument, NULL, O_TO },
	{ "as", required_argument, NULL, O_AS },
	{ "as-group", required_argument, NULL, O_ASGROUP },
	{ "as-uid", required_argument, NULL, O_ASUID },
	{ "color", required_argument, NULL, O_COLOR },
	{ "for", required_argument, NULL, O_FOR },
	{ NULL, 0, NULL, 0 }
};

/* "90", "90s", "5m", "1h30m", "1500ms" -> milliseconds; -1 when malformed */
long cli_duration_ms(const char *s)
{
	long total = 0;
	if (!s || !*s)
		return -1;
	while (*s) {
		char *end;
		double v = strtod(s, &end);
		if (end == s || v < 0)
			return -1;
		s = end;
		if (strncmp(s, "ms", 2) == 0) {
			total += (long)v;
			s += 2;
		} else if (*s == 's' || *s == '\0') {
			total += (long)(v * 1000);
			s += *s == 's';
		} else if (*s == 'm') {
			total += (long)(v * 60000);
			s++;
		} else if (*s == 'h') {
			total += (long)(v * 3600000);
			s++;
		} else {
			return -1;
		}
	}
	return total;
}

static bool allowed(const char *allow, int opt)
{
	char key[8];
	if (opt == 'h')
		return true;
	if (opt < 256)
		snprintf(key, sizeof(key), "%c", opt);
	else
		snprintf(key, sizeof(key), "%c", 'A' + (opt - 1000));
	return strstr(allow, key) != NULL;
}

/* Letters for the long-only options, for `allow`: A kubeconfig, B context,
 * C dry-run, D field-manager, E force-conflicts, F server-side, G wait,
 * H timeout, I prune, J applyset, K atomic, L history-max, M to, N as,
 * O as-group, P as-uid, Q color, R for. */
int cli_session_parse(cli_session *s, int argc, char **argv, const char *usage, const char *allow)
{
	int opt, idx = 0;
	long v;

	memset(s, 0, sizeof(*s));
	s->cmd = argv[0];
	k8smig_client_options_init(&s->co, K8SMIG_CLIENT_OPTIONS_VERSION);
	k8smig_rollout_options_init(&s->ro, K8SMIG_ROLLOUT_OPTIONS_VERSION);
	k8smig_apply_set_options_init(&s->aso, K8SMIG_APPLY_SET_OPTIONS_VERSION);
	k8smig_apply_options_init(&s->apo, K8SMIG_APPLY_OPTIONS_VERSION);
	s->aso.apply = &s->apo;
	s->ro.apply = &s->aso;
	k8smig_emit_options_init(&s->eo, K8SMIG_EMIT_OPTIONS_VERSION);
	s->tty = isatty(2);
	s->color = isatty(1) && !getenv("NO_COLOR");
	if (!(s->files = calloc((size_t)argc + 1, sizeof(char *))) || !(s->groups = calloc((size_t)argc + 1, sizeof(char *))) ||
	    !(s->args = calloc((size_t)argc + 1, sizeof(char *))))
		return CLI_FAILED;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "f:k:n:o:h", all_opts, &idx)) != -1) {
		if (opt == '?' ) {
			fputs(usage, stderr);
			return CLI_USAGE;
		}
		if (!allowed(allow, opt)) {
			if (opt < 256)
				fprintf(stderr, "k8smig %s: -%c is not an option of %s\n", s->cmd, opt, s->cmd);
			else
				fprintf(stderr, "k8smig %s: --%s is not an option of %s\n", s->cmd, all_opts[idx].name, s->cmd);
			fputs(usage, stderr);
			return CLI_USAGE;
		}
		switch (opt) {
		case 'f': s->files[s->nfiles++] = optarg; break;
		case 'k': s->kustomize_dir = optarg; break;
		case 'n': s->co.namespace_ = optarg; break;
		case 'o':
			if (cli_output_format(&s->eo, optarg, s->cmd) < 0)
				return CLI_USAGE;
			s->output = 1;
			break;
		case 'h':
			fputs(usage, stdout);
			return -1;
		case O_KUBECONFIG: s->kubeconfig = optarg; break;
		case O_CONTEXT: s->co.context = optarg; break;
		case O_DRYRUN:
			if (strcmp(optarg, "server") == 0)
				s->apo.dry_run = true;
			else if (strcmp(optarg, "none") != 0) {
				fprintf(stderr, "k8smig %s: --dry-run takes server or none\n", s->cmd);
				return CLI_USAGE;
			}
			break;
		case O_MANAGER: s->apo.field_manager = optarg; break;
		case O_FORCE: s->apo.force = true; break;
		case O_SERVERSIDE: break; /* always server-side */
		case O_WAIT: s->ro.wait = true; break;
		case O_TIMEOUT:
			if ((v = cli_duration_ms(optarg)) <= 0) {
				fprintf(stderr, "k8smig %s: --timeout takes a duration such as 90s, 5m or 1h\n", s->cmd);
				return CLI_USAGE;
			}
			s->ro.timeout_ms = v;
			break;
		case O_PRUNE: s->ro.prune = true; break;
		case O_APPLYSET:
			/* kubectl's form [RESOURCE][.GROUP]/NAME: the standard parents, Secret and ConfigMap
			 * (the library reads the prefix) */
			if (strchr(optarg, '/') && strncmp(optarg, "secret/", 7) != 0 && strncmp(optarg, "secrets/", 8) != 0 &&
			    strncmp(optarg, "configmap/", 10) != 0 && strncmp(optarg, "configmaps/", 11) != 0) {
				fprintf(stderr, "k8smig %s: --applyset: the parent is a Secret or a ConfigMap "
				        "(NAME, secrets/NAME or configmaps/NAME)\n", s->cmd);
				return CLI_USAGE;
			}
			s->ro.applyset = optarg;
			break;
		case O_ATOMIC: s->ro.atomic = s->ro.wait = true; break;
		case O_HISTMAX:
			if ((v = strtol(optarg, NULL, 10)) <= 0 || v > 1000) {
				fprintf(stderr, "k8smig %s: --history-max takes 1 to 1000\n", s->cmd);
				return CLI_USAGE;
			}
			s->ro.history_max = (unsigned)v;
			break;
		case O_TO:
			if ((v = strtol(optarg, NULL, 10)) <= 0) {
				fprintf(stderr, "k8smig %s: --to takes a revision number\n", s->cmd);
				return CLI_USAGE;
			}
			s->to_revision = (unsigned)v;
			break;
		case O_AS: s->as = optarg; break;
		case O_ASGROUP: s->groups[s->ngroups++] = optarg; break;
		case O_ASUID: s->as_uid = optarg; break;
		case O_COLOR:
			if (strcmp(optarg, "always") == 0)
				s->color = 1;
			else if (strcmp(optarg, "never") == 0)
				s->color = 0;
			else if (strcmp(optarg, "auto") != 0) {
				fprintf(stderr, "k8smig %s: --color takes auto, always or never\n", s->cmd);
				return CLI_USAGE;
			}
			break;
		case O_FOR:
			if (strcmp(optarg, "delete") == 0)
				s->for_delete = true;
			else if (strcmp(optarg, "condition=Ready") != 0 && strcmp(optarg, "ready") != 0) {
				fprintf(stderr, "k8smig %s: --for takes ready or delete\n", s->cmd);
				return CLI_USAGE;
			}
			break;
		default:
			fputs(usage, stderr);
			return CLI_USAGE;
		}
	}
	while (optind < argc)
		s->args[s->nargs++] = argv[optind++];
	if (s->ro.atomic && !s->ro.applyset) {
		fprintf(stderr, "k8smig %s: --atomic needs --applyset (the revision to return to)\n", s->cmd);
		return CLI_USAGE;
	}
	if (s->ro.prune && !s->ro.applyset) {
		fprintf(stderr, "k8smig %s: --prune needs --applyset NAME (only members of that applyset are pruned)\n", s->cmd);
		return CLI_USAGE;
	}
	if ((s->ngroups || s->as_uid) && !s->as) {
		fprintf(stderr, "k8smig %s: --as-group and --as-uid need --as\n", s->cmd);
		return CLI_USAGE;
	}
	return CLI_OK;
}

int cli_session_load(cli_session *s)
{
	if (s->kustomize_dir && s->nfiles) {
		fprintf(stderr, "k8smig %s: give -f or -k, not both\n", s->cmd);
		return CLI_USAGE;
	}
	if (s->kustomize_dir)
		return cli_render_dir(&s->set, s->kustomize_dir, 0) < 0 ? CLI_FAILED : CLI_OK;
	return cli_load_paths(&s->set, s->files, s->nfiles) < 0 ? CLI_FAILED : CLI_OK;
}

int cli_session_connect(cli_session *s)
{
	if (k8smig_init() < 0 || k8smig_kubeconfig_load(&s->kc, s->kubeconfig) < 0 || k8smig_client_new(&s->c, s->kc, &s->co) < 0) {
		cli_print_error(s->kubeconfig);
		return CLI_FAILED;
	}
	if (s->as && k8smig_client_impersonate(s->c, s->as, (const char *const *)s->groups, s->as_uid) < 0) {
		cli_print_error(NULL);
		return CLI_FAILED;
	}
	s->ro.applyset_namespace = k8smig_client_namespace(s->c);
	return CLI_OK;
}

void cli_session_free(cli_session *s)
{
	if (s->c && k8smig_client_warnings(s->c)[0])
		fprintf(stderr, "warning: %s", k8smig_client_warnings(s->c));
	k8smig_client_free(s->c);
	k8smig_kubeconfig_free(s->kc);
	k8smig_object_list_free(s->set);
	free(s->files);
	free(s->groups);
	free(s->args);
	if (s->c || s->kc)
		k8smig_shutdown();
	memset(s, 0, sizeof(*s));
}

/* kubectl's "deployment.apps/web" */
void cli_ref(FILE *f, const char *api_version, const char *kind, const char *name)
{
	const char *slash = api_version ? strchr(api_version, '/') : NULL;
	const char *k;
	for (k = kind ? kind : ""; *k; k++)
		fputc(*k >= 'A' && *k <= 'Z' ? *k + 32 : *k, f);
	if (slash)
		fprintf(f, ".%.*s", (int)(slash - api_version), api_version);
	fprintf(f, "/%s", name ? name : "");
}

void cli_wait_progress(const k8smig_wait_result *r, size_t ready, size_t total, void *payload)
{
	cli_session *s = payload;
	if (s->tty) {
		fprintf(stderr, "\r\033[K[%zu/%zu ready] ", ready, total);
		cli_ref(stderr, r->api_version, r->kind, r->name);
		fprintf(stderr, " %s%s%s", k8smig_readiness_name(r->state), *r->reason ? ": " : "", r->reason);
		if (ready == total)
			fputs("\r\033[K", stderr);
		fflush(stderr);
	} else if (r->state == K8SMIG_READY_CURRENT || r->state == K8SMIG_READY_FAILED || (s->for_delete && r->state == K8SMIG_READY_NOT_FOUND)) {
		/* plain lines: one per object that reached its end state */
		fprintf(stderr, "[%zu/%zu] ", ready, total);
		cli_ref(stderr, r->api_version, r->kind, r->name);
		fprintf(stderr, " %s\n", k8smig_readiness_name(r->state));
	}
}

/* The rollout summary: objects by state, and a report for each one not current. */
void cli_wait_summary(const k8smig_wait_results *w, double seconds, bool for_delete)
{
	size_t i, n = k8smig_wait_results_size(w), current = 0;
	for (i = 0; i < n; i++) {
		const k8smig_wait_result *r = k8smig_wait_results_get(w, i);
		bool ok = for_delete ? r->state == K8SMIG_READY_NOT_FOUND : r->state == K8SMIG_READY_CURRENT;
		if (ok) {
			current++;
			continue;
		}
		fputs("not ready: ", stderr);
		cli_ref(stderr, r->api_version, r->kind, r->name);
		if (*r->namespace_)
			fprintf(stderr, " (namespace %s)", r->namespace_);
		fprintf(stderr, ": %s: %s\n%s", k8smig_readiness_name(r->state), r->reason, r->report);
	}
	printf("rollout: %zu of %zu objects %s in %.1fs\n", current, n, for_delete ? "gone" : "current", seconds);
}

double cli_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int cli_session_run(const cli_command *cmd, int argc, char **argv)
{
	cli_session s;
	int rc = cli_session_parse(&s, argc, argv, cmd->usage, cmd->allow);
	if (rc == CLI_OK) {
		bool files = s.nfiles || s.kustomize_dir, set = s.ro.applyset != NULL;
		bool ok = !s.nargs && (!cmd->needs_applyset || set) &&
		          (cmd->input == CLI_IN_NONE ? !files : cmd->input == CLI_IN_FILES ? files
		           : cmd->input == CLI_IN_FILES_OR_APPLYSET ? files || set : files != set);
		if (!ok) {
			fputs(cmd->usage, stderr);
			rc = CLI_USAGE;
		} else if ((files && (rc = cli_session_load(&s)) != CLI_OK) || (rc = cli_session_connect(&s)) != CLI_OK) {
			rc = cmd->load_failure ? cmd->load_failure : rc;
		} else {
			rc = cmd->run(&s);
		}
	}
	cli_session_free(&s);
	return rc < 0 ? CLI_OK : rc;
}
