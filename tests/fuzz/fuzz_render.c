/*
 * tests/fuzz/fuzz_render.c - libFuzzer target: the kustomization renderer,
 * with its strategic-merge and JSON 6902 patches.
 *
 * The input is a little archive: lines "=== NAME" start a file of that name
 * (a plain name, no '/'); the text before the first one is kustomization.yaml.
 * The files are written to a directory and rendered.
 * Invariants: no crash, leak or sanitizer report; a failure sets a message;
 * what renders emits as YAML that reads back.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <k8smig.h>

static char dir[] = "/tmp/k8smig-fuzz-render-XXXXXX";

static void clear_dir(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char p[512];
	if (!d)
		abort();
	while ((e = readdir(d)))
		if (e->d_name[0] != '.' || (e->d_name[1] && strcmp(e->d_name, "..") != 0)) {
			snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
			unlink(p);
		}
	closedir(d);
}

static void put(const char *name, size_t name_len, const uint8_t *data, size_t size)
{
	char p[512];
	FILE *f;
	if (!name_len || name_len > 64 || memchr(name, '/', name_len) || memchr(name, '\0', name_len) ||
	    (name_len <= 2 && name[0] == '.'))
		return;
	snprintf(p, sizeof(p), "%s/%.*s", dir, (int)name_len, name);
	if (!(f = fopen(p, "wb")))
		return;
	fwrite(data, 1, size, f);
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
	static bool ready;
	const char *name = "kustomization.yaml";
	size_t name_len = strlen(name), start = 0, i = 0;
	k8smig_object_list *out = NULL;

	if (!ready) {
		if (!mkdtemp(dir))
			abort();
		ready = true;
		atexit(remove_dir);
	}
	clear_dir();
	for (;;) {
		/* the next "=== " at a line start */
		size_t j = i;
		while (j + 4 <= size && !((j == 0 || data[j - 1] == '\n') && memcmp(data + j, "=== ", 4) == 0))
			j++;
		if (j + 4 > size)
			j = size;
		put(name, name_len, data + start, j - start);
		if (j >= size)
			break;
		name = (const char *)data + j + 4;
		name_len = 0;
		while (j + 4 + name_len < size && data[j + 4 + name_len] != '\n')
			name_len++;
		start = i = j + 4 + name_len + (j + 4 + name_len < size);
	}
	if (k8smig_render(&out, dir, NULL) < 0) {
		if (!k8smig_error_last()->message[0])
			abort();
	} else {
		char *text = NULL;
		size_t len = 0;
		k8smig_object_list *back = NULL;
		if (k8smig_object_list_emit(&text, &len, out, NULL) < 0 && !k8smig_error_last()->message[0])
			abort();
		if (text && k8smig_parse(&back, text, len, NULL) < 0)
			abort(); /* what we emit must read back */
		k8smig_object_list_free(back);
		k8smig_free(text);
	}
	k8smig_object_list_free(out);
	k8smig_error_clear();
	return 0;
}
