/*
 * tests/stress/test_rss.c - issue 15: memory over repeated work, against the
 * real kube-apiserver harness (tests/cluster).
 *
 *   - ten applies of the same 1,000 ConfigMaps (each round changes every
 *     object's data, so every apply really writes): the process's resident
 *     set (VmRSS, /proc/self/status) after the tenth is within a few MB of
 *     what it was after the second (the first one warms the connection pool,
 *     the discovery cache and the allocator), measured after malloc_trim(0)
 *     (what stays then is what is held), and the heap (VmData) does not
 *     grow. Untrimmed, glibc keeps freed heap pages resident and VmRSS sits
 *     anywhere up to VmData, moving by several MB from one round to the next
 *     (docs/reliability.md has the figures): that is the allocator, not a
 *     leak, and it is printed, not asserted;
 *   - a watch that streams 10,000 objects (ten more such rounds, watched by a
 *     second client in another thread): the resident set while it streams stays
 *     within a few MB of what it was before (a watch that kept what it read,
 *     or buffered the stream, would grow with it: 10,000 ConfigMaps are ~12 MB
 *     of JSON).
 *
 * The bounds are about leaks, not speed: a leak of 100 bytes per object and
 * apply would show as 0.8 MB, one of 1 KB as 8 MB. Under AddressSanitizer
 * (build-asan) the bounds are not asserted (its quarantine holds freed memory
 * on purpose; LeakSanitizer checks leaks at exit there): the figures are
 * printed with a line saying so (cmocka's skip() reads as a failure to
 * meson's TAP parser). Needs K8SMIG_TEST_KUBECONFIG.
 */
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../unit/helpers.h"

#define OBJECTS 1000
#define ROUNDS 10
#define APPLY_MARGIN_KB (6 * 1024)
#define WATCH_MARGIN_KB (8 * 1024)

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif
#ifndef UNDER_ASAN
#define UNDER_ASAN 0
#endif

static const char *kubeconfig_path;
static char ns[64];

static long status_kb(const char *field)
{
	char line[256];
	size_t n = strlen(field);
	long kb = -1;
	FILE *f = fopen("/proc/self/status", "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, field, n) == 0 && line[n] == ':') {
			kb = strtol(line + n + 1, NULL, 10);
			break;
		}
	fclose(f);
	assert_true(kb > 0);
	return kb;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static k8smig_client *new_client(void)
{
	k8smig_kubeconfig *kc;
	k8smig_client *c;
	k8smig_client_options o = K8SMIG_CLIENT_OPTIONS_INIT;
	o.namespace_ = ns;
	if (k8smig_kubeconfig_load(&kc, kubeconfig_path) < 0)
		fail_msg("kubeconfig: %s", k8smig_error_last()->message);
	if (k8smig_client_new(&c, kc, &o) < 0)
		fail_msg("client: %s", k8smig_error_last()->message);
	k8smig_kubeconfig_free(kc);
	return c;
}

/* The namespace and 1,000 ConfigMaps whose data carry the round number. */
static k8smig_object_list *the_set(int round, bool with_namespace)
{
	k8smig_object_list *l;
	size_t cap = (size_t)OBJECTS * 400 + 256, len = 0;
	char *text = malloc(cap);
	int i;
	assert_non_null(text);
	if (with_namespace)
		len += (size_t)snprintf(text + len, cap - len, "apiVersion: v1\nkind: Namespace\nmetadata: {name: %s}\n---\n", ns);
	for (i = 0; i < OBJECTS; i++)
		len += (size_t)snprintf(text + len, cap - len,
		                        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm-%04d, namespace: %s, labels: {app: rss}}\n"
		                        "data: {i: \"%d\", round: \"%d\", payload: \"%0200d\"}\n---\n",
		                        i, ns, i, round, round);
	if (k8smig_parse(&l, text, len, NULL) < 0)
		fail_msg("parse: %s", k8smig_error_last()->message);
	free(text);
	return l;
}

static void apply_round(k8smig_client *c, int round)
{
	k8smig_object_list *set = the_set(round, round == 0);
	k8smig_apply_results *r = NULL;
	if (k8smig_client_apply_set(&r, c, set, NULL) < 0)
		fail_msg("apply round %d: %s", round, k8smig_error_last()->message);
	if (k8smig_apply_results_failed(r)) {
		size_t i;
		for (i = 0; i < k8smig_apply_results_size(r); i++)
			if (k8smig_apply_results_get(r, i)->action == K8SMIG_APPLY_FAILED)
				fail_msg("round %d: %s", round, k8smig_apply_results_get(r, i)->error_message);
	}
	assert_int_equal(k8smig_apply_results_size(r), OBJECTS + (round == 0));
	k8smig_apply_results_free(r);
	k8smig_object_list_free(set);
}

static void check_round_stored(k8smig_client *c, int round)
{
	k8smig_object_list *l = NULL;
	char want[16];
	size_t i;
	assert_ok(k8smig_client_list(&l, c, "v1", "ConfigMap", ns, "app=rss"));
	assert_int_equal(k8smig_object_list_size(l), OBJECTS);
	snprintf(want, sizeof(want), "%d", round);
	for (i = 0; i < k8smig_object_list_size(l); i++)
		assert_string_equal(k8smig_object_get_str(k8smig_object_list_get(l, i), "data.round"), want);
	k8smig_object_list_free(l);
}

static void test_ten_applies_of_1000_objects_keep_rss_flat(void **state)
{
	k8smig_client *c = new_client();
	long rss[ROUNDS], raw[ROUNDS], data[ROUNDS], growth;
	double t0 = now();
	int r;
	(void)state;
	for (r = 0; r < ROUNDS; r++) {
		apply_round(c, r);
		raw[r] = status_kb("VmRSS");
		data[r] = status_kb("VmData");
		malloc_trim(0); /* free pages back to the system: what stays is what is held */
		rss[r] = status_kb("VmRSS");
		printf("# apply %d of %d objects, %.1f s: VmRSS %ld kB, after malloc_trim %ld kB; VmData %ld kB, VmHWM %ld kB\n",
		       r + 1, OBJECTS, now() - t0, raw[r], rss[r], data[r], status_kb("VmHWM"));
	}
	check_round_stored(c, ROUNDS - 1);
	k8smig_client_free(c);
	growth = rss[ROUNDS - 1] - rss[1];
	printf("# after apply 10 - after apply 2: VmRSS after malloc_trim %+ld kB (bound %d kB), VmData %+ld kB "
	       "(bound 32768 kB), VmRSS untrimmed %+ld kB\n", growth, APPLY_MARGIN_KB, data[ROUNDS - 1] - data[1],
	       raw[ROUNDS - 1] - raw[1]);
	if (UNDER_ASAN) {
		printf("# AddressSanitizer: the bound is not asserted (its quarantine holds freed memory on purpose); "
		       "LeakSanitizer checks for leaks at exit\n");
		return;
	}
	assert_true(growth < APPLY_MARGIN_KB);
	/* the heap does not grow either (it moves by a few MB with fragmentation: a loose bound; the
	   untrimmed VmRSS moves as much, and meson's MALLOC_PERTURB_ touches every page it frees) */
	assert_true(data[ROUNDS - 1] - data[1] < 32 * 1024);
}

typedef struct watcher {
	k8smig_client *c;
	long events, max_rss, rss_at_start;
	int rc;
	char first_error[256];
} watcher;

static int on_event(k8smig_watch_event type, const k8smig_object *obj, void *payload)
{
	watcher *w = payload;
	(void)obj;
	if (type != K8SMIG_WATCH_ADDED && type != K8SMIG_WATCH_MODIFIED)
		return 0;
	if (++w->events % 500 == 0) {
		long rss = status_kb("VmRSS");
		if (rss > w->max_rss)
			w->max_rss = rss;
	}
	return w->events >= (long)OBJECTS * ROUNDS;
}

static void *watch_thread(void *arg)
{
	watcher *w = arg;
	k8smig_watch_options o = K8SMIG_WATCH_OPTIONS_INIT;
	char *rv = NULL;
	o.callback = on_event;
	o.payload = w;
	o.namespace_ = ns;
	o.label_selector = "app=rss";
	o.timeout_seconds = 600;
	/* from now on; a watch the server ends early is resumed from the last version seen */
	while (w->events < (long)OBJECTS * ROUNDS) {
		char *next = NULL;
		o.resource_version = rv;
		w->rc = k8smig_client_watch(&next, w->c, "v1", "ConfigMap", &o);
		free(rv);
		rv = next;
		if (w->rc < 0) {
			snprintf(w->first_error, sizeof(w->first_error), "%s", k8smig_error_last()->message);
			break;
		}
	}
	free(rv);
	return NULL;
}

static void test_a_10000_object_watch_stream_keeps_rss_bounded(void **state)
{
	watcher w = { 0 };
	pthread_t t;
	long before, growth, after;
	double t0;
	int go[2], status, r;
	pid_t writer;
	char byte = 1;
	(void)state;
	{
		k8smig_client *c = new_client();
		apply_round(c, 100); /* the namespace exists whatever ran before */
		k8smig_client_free(c);
	}
	/* the writer is a child process, so that this process's memory is the watch's alone; it
	   is forked before the watch thread starts and waits for the word to begin */
	assert_int_equal(pipe(go), 0);
	fflush(NULL);
	writer = fork();
	assert_true(writer >= 0);
	if (writer == 0) {
		k8smig_client *c;
		close(go[1]);
		if (read(go[0], &byte, 1) != 1)
			_exit(2);
		c = new_client();
		for (r = 0; r < ROUNDS; r++)
			apply_round(c, 101 + r);
		k8smig_client_free(c);
		_exit(0);
	}
	close(go[0]);
	w.c = new_client();
	malloc_trim(0);
	before = w.max_rss = status_kb("VmRSS");
	t0 = now();
	assert_int_equal(pthread_create(&t, NULL, watch_thread, &w), 0);
	sleep(2); /* the watch is open before the first write */
	assert_int_equal(write(go[1], &byte, 1), 1);
	close(go[1]);
	pthread_join(t, NULL);
	assert_int_equal(waitpid(writer, &status, 0), writer);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	if (w.rc < 0)
		fail_msg("watch: %s", w.first_error);
	{
		k8smig_client *c = new_client();
		check_round_stored(c, 100 + ROUNDS);
		k8smig_client_free(c);
	}
	k8smig_client_free(w.c);
	malloc_trim(0);
	after = status_kb("VmRSS");
	growth = w.max_rss - before;
	printf("# watch: %ld ConfigMaps streamed in %.1f s; VmRSS before %ld kB, highest while streaming %ld kB "
	       "(%+ld kB, bound %d kB), after (trimmed) %ld kB, VmHWM %ld kB\n",
	       w.events, now() - t0, before, w.max_rss, growth, WATCH_MARGIN_KB, after, status_kb("VmHWM"));
	assert_true(w.events >= (long)OBJECTS * ROUNDS);
	if (UNDER_ASAN) {
		printf("# AddressSanitizer: the bound is not asserted (its quarantine holds freed memory on purpose); "
		       "LeakSanitizer checks for leaks at exit\n");
		return;
	}
	assert_true(growth < WATCH_MARGIN_KB);
	assert_true(after - before < APPLY_MARGIN_KB);
}

static int group_setup(void **state)
{
	(void)state;
	snprintf(ns, sizeof(ns), "k8smig-rss-%ld-%d", (long)time(NULL), (int)getpid());
	signal(SIGPIPE, SIG_IGN);
	k8smig_init();
	return 0;
}

static int group_teardown(void **state)
{
	k8smig_client *c = new_client();
	(void)state;
	k8smig_client_delete(c, "v1", "Namespace", NULL, ns, K8SMIG_PROPAGATION_DEFAULT);
	k8smig_client_free(c);
	k8smig_shutdown();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_ten_applies_of_1000_objects_keep_rss_flat, teardown_error),
		cmocka_unit_test_teardown(test_a_10000_object_watch_stream_keeps_rss_bounded, teardown_error),
	};
	kubeconfig_path = getenv("K8SMIG_TEST_KUBECONFIG");
	if (!kubeconfig_path || !*kubeconfig_path) {
		printf("1..0 # SKIP K8SMIG_TEST_KUBECONFIG is not set: start tests/cluster/start.sh first\n");
		return 0;
	}
	return cmocka_run_group_tests_name("rss", tests, group_setup, group_teardown);
}
