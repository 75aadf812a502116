/*
 * tests/fuzz/fuzz_kubeconfig.c - libFuzzer target: kubeconfig files and exec
 * credential plugin output.
 *
 * Any bytes are loaded as a kubeconfig and a client is made from it (no
 * request is sent); the same bytes are then read as the standard output of an
 * exec plugin, an ExecCredential.
 * Invariants: no crash, leak or sanitizer report; every failure sets a
 * message; a failed plugin run leaves no credential behind.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <k8smig.h>
#include "client/client.h"

static char dir[] = "/tmp/k8smig-fuzz-kc-XXXXXX";
static char path[64];

static void write_all(const uint8_t *data, size_t size)
{
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(data, 1, size, f) != size)
		abort();
	fclose(f);
}

/* libFuzzer ends with exit(): the temporary directory goes with it */
static void remove_dir(void)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		return;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	k8smig_kubeconfig *kc = NULL;
	k8smig_client *c = NULL;

	if (!path[0]) {
		k8smig_init();
		if (!mkdtemp(dir))
			abort();
		atexit(remove_dir);
		snprintf(path, sizeof(path), "%s/in", dir);
	}
	write_all(data, size);
	if (k8smig_kubeconfig_load(&kc, path) < 0) {
		if (!k8smig_error_last()->message[0])
			abort();
	} else {
		if (k8smig_client_new(&c, kc, NULL) < 0 && !k8smig_error_last()->message[0])
			abort();
		k8smig_client_free(c);
		k8smig_kubeconfig_free(kc);
	}

	/* the same bytes as a plugin's output (what k8smig__exec_credentials reads
	 * after the plugin ran; running one per input would be 1,000 times slower) */
	{
		k8smig__credentials cr;
		memset(&cr, 0, sizeof(cr));
		if (k8smig__exec_parse(&cr, (const char *)data, size, "fuzz-plugin") < 0) {
			if (!k8smig_error_last()->message[0] || cr.token || cr.cert_pem)
				abort();
		} else if (!cr.token && !cr.cert_pem) {
			abort(); /* success means a credential */
		}
		free(cr.token);
		free(cr.cert_pem);
		free(cr.key_pem);
	}
	k8smig_error_clear();
	return 0;
}
