/*
 * tests/api/test_null_args.c - every public function with NULL arguments
 * (issue 16.5: one rule, K8SMIG_EINVAL, never a crash). The calls are
 * generated from the headers (gen_null_test.py); each runs in a child process.
 * TAP output, one line per call.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "null_args.h"

static char kubeconfig_path[] = "/tmp/k8smig-null-XXXXXX";

const char *const fx_strv[] = { "x", NULL };
k8smig_quantity fx_quantity;
size_t fx_size;
bool fx_bool;
int fx_int;
char *fx_str;
k8smig_object *fx_obj_out;
k8smig_object_list *fx_list_out;
k8smig_kubeconfig *fx_kc_out;
k8smig_client *fx_client_out;
k8smig_report *fx_report_out;
k8smig_apply_results *fx_results_out;
k8smig_spec *fx_spec_out;
struct fx_options fx_options = { 1, { 0 } };

/* visible outside this file, so no store to it is optimised away: what the
 * fixtures made stays reachable in the children, not leaked */
void *fx_kept[64];
size_t fx_n_kept;

static void *keep(void *p)
{
	if (!p || fx_n_kept == sizeof(fx_kept) / sizeof(fx_kept[0])) {
		fprintf(stderr, "fixture failed: %s\n", k8smig_error_last()->message);
		_exit(3);
	}
	return fx_kept[fx_n_kept++] = p;
}

k8smig_object *fx_object(void)
{
	k8smig_object *o = NULL;
	k8smig_deployment_new(&o, "web", "ns");
	return keep(o);
}

k8smig_object_list *fx_list(void)
{
	k8smig_object_list *l = NULL;
	if (k8smig_object_list_new(&l) == 0)
		k8smig_object_list_append(l, fx_object());
	return keep(l);
}

k8smig_kubeconfig *fx_kubeconfig(void)
{
	k8smig_kubeconfig *kc = NULL;
	k8smig_kubeconfig_load(&kc, kubeconfig_path);
	return keep(kc);
}

k8smig_client *fx_client(void)
{
	k8smig_client *c = NULL;
	k8smig_client_new(&c, fx_kubeconfig(), NULL);
	return keep(c);
}

int main(void)
{
	const null_case *t;
	int fd, n = 0, failed = 0;
	char dir[] = "/tmp/k8smig-null-cwd-XXXXXX", cmd[128];
	FILE *f;

	if ((fd = mkstemp(kubeconfig_path)) < 0 || !(f = fdopen(fd, "w")) || !mkdtemp(dir) || chdir(dir) < 0)
		return 1;
	/* a server nobody listens on: a call that gets as far as the network fails fast */
	fputs("apiVersion: v1\nkind: Config\ncurrent-context: t\n"
	      "clusters:\n- name: c\n  cluster: {server: 'https://127.0.0.1:1'}\n"
	      "contexts:\n- name: t\n  context: {cluster: c}\n", f);
	fclose(f);
	if (k8smig_init() < 0)
		return 1;
	for (t = null_cases; t->function; t++)
		n++;
	printf("1..%d\n", n);
	fflush(stdout);
	n = 0;
	for (t = null_cases; t->function; t++) {
		int status, pipefd[2], rc = 0;
		pid_t pid;
		const char *why = NULL;
		char what[64];
		n++;
		if (pipe(pipefd) < 0)
			return 1;
		if ((pid = fork()) == 0) {
			close(pipefd[0]);
			rc = t->call();
			if (write(pipefd[1], &rc, sizeof(rc)) != sizeof(rc))
				_exit(4);
			_exit(0);
		}
		close(pipefd[1]);
		if (read(pipefd[0], &rc, sizeof(rc)) != sizeof(rc))
			why = "did not return";
		close(pipefd[0]);
		waitpid(pid, &status, 0);
		if (WIFSIGNALED(status))
			why = strsignal(WTERMSIG(status));
		else if (!why && WEXITSTATUS(status) != 0)
			why = "child failed (valgrind error?)";
		else if (!why && t->check == 1 && rc != K8SMIG_EINVAL)
			why = "did not return K8SMIG_EINVAL";
		else if (!why && t->check == 2 && rc > 0)
			why = "returned a positive value";
		if (t->null_arg < 0)
			snprintf(what, sizeof(what), "every pointer NULL");
		else
			snprintf(what, sizeof(what), "argument %d NULL", t->null_arg + 1);
		if (why) {
			failed++;
			printf("not ok %d - %s, %s: %s (rc %d)\n", n, t->function, what, why, rc);
		} else {
			printf("ok %d - %s, %s\n", n, t->function, what);
		}
		fflush(stdout);
	}
	k8smig_shutdown();
	unlink(kubeconfig_path);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (chdir("/") < 0 || system(cmd) != 0)
		return 1;
	return failed ? 1 : 0;
}
