/*
 * examples/cli/inputs.c - read the objects named on a command line: files,
 * directories (every *.yaml, *.yml and *.json below, in sorted order) and "-".
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

static int has_manifest_suffix(const char *name)
{
	size_t n = strlen(name);
	return (n > 5 && strcmp(name + n - 5, ".yaml") == 0) || (n > 4 && strcmp(name + n - 4, ".yml") == 0) ||
	       (n > 5 && strcmp(name + n - 5, ".json") == 0);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int load_file(k8smig_object_list *all, const char *path)
{
	k8smig_parse_options po = K8SMIG_PARSE_OPTIONS_INIT;
	k8smig_object_list *docs = NULL;
	const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
	size_t len;
	char *data = cli_read_input(path, &len);
	int rc = 0;

	if (!data)
		return -1;
	po.source_name = name;
	if (k8smig_parse(&docs, data, len, &po) < 0) {
		cli_print_error(name);
		rc = -1;
	}
	/* move the documents over, without copying them; docs is gone either way */
	if (rc == 0 && k8smig_object_list_extend_take(all, docs) < 0) {
		cli_print_error(name);
		rc = -1;
	} else if (rc < 0) {
		k8smig_object_list_free(docs);
	}
	free(data);
	return rc;
}

static int load_dir(k8smig_object_list *all, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	int rc = 0;

	if (!d) {
		fprintf(stderr, "%s: cannot open directory\n", dir);
		return -1;
	}
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			char **nn = realloc(names, (cap = cap ? cap * 2 : 32) * sizeof(*nn));
			if (!nn) {
				rc = -1;
				break;
			}
			names = nn;
		}
		if (!(names[n] = malloc(strlen(dir) + strlen(e->d_name) + 2))) {
			rc = -1;
			break;
		}
		sprintf(names[n++], "%s/%s", dir, e->d_name);
	}
	closedir(d);
	if (names)
		qsort(names, n, sizeof(*names), cmp_str);
	for (i = 0; i < n; i++) {
		struct stat st;
		if (rc == 0 && stat(names[i], &st) == 0) {
			if (S_ISDIR(st.st_mode))
				rc = load_dir(all, names[i]);
			else if (has_manifest_suffix(names[i]))
				rc = load_file(all, names[i]);
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

int cli_load_paths(k8smig_object_list **out, char **paths, size_t n)
{
	k8smig_object_list *all = NULL;
	size_t i;
	int rc = 0;

	*out = NULL;
	if (k8smig_object_list_new(&all) < 0) {
		cli_print_error(NULL);
		return -1;
	}
	for (i = 0; i < n && rc == 0; i++) {
		struct stat st;
		if (strcmp(paths[i], "-") != 0 && stat(paths[i], &st) == 0 && S_ISDIR(st.st_mode))
			rc = load_dir(all, paths[i]);
		else
			rc = load_file(all, paths[i]);
	}
	if (rc < 0) {
		k8smig_object_list_free(all);
		return -1;
	}
	*out = all;
	return 0;
}
