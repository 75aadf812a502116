/*
 * lib/client/kubeconfig.c - load and merge kubeconfig files the way kubectl does.
 *
 * KUBECONFIG lists files separated by ':'; for clusters, users and contexts
 * the first file that defines a name wins, and the first current-context
 * wins. Missing files in the list are skipped (kubectl does the same), but
 * at least one must exist.
 */
#include <stdlib.h>
#include <string.h>

#include "client.h"

static void table_free(k8smig__kc_table *t)
{
	size_t i;
	for (i = 0; i < t->n; i++) {
		free(t->items[i].name);
		free(t->items[i].dir);
		k8smig_object_free(t->items[i].o);
	}
	free(t->items);
	t->items = NULL;
	t->n = 0;
}

void k8smig_kubeconfig_free(k8smig_kubeconfig *kc)
{
	if (!kc)
		return;
	table_free(&kc->clusters);
	table_free(&kc->users);
	table_free(&kc->contexts);
	free(kc->current_context);
	free(kc);
}

const char *k8smig_kubeconfig_current_context(const k8smig_kubeconfig *kc)
{
	return kc ? kc->current_context : NULL;
}

const k8smig__kc_entry *k8smig__kc_find(const k8smig__kc_table *t, const char *name)
{
	size_t i;
	if (!name)
		return NULL;
	for (i = 0; i < t->n; i++)
		if (strcmp(t->items[i].name, name) == 0)
			return &t->items[i];
	return NULL;
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return k8smig__strdup(".");
	if (slash == path)
		return k8smig__strdup("/");
	return k8smig__strndup(path, (size_t)(slash - path));
}

/* Merge the named entries of list `section` (e.g. "clusters", entry field "cluster"). */
static int merge_section(k8smig__kc_table *t, const k8smig_object *file, const char *section, const char *field,
                         const char *path, const char *dir)
{
	const k8smig_value *list = k8smig_object_get(file, section), *it;
	int rc;

	if (!list || k8smig_value_type(list) == K8SMIG_TYPE_NULL)
		return 0;
	if (k8smig_value_type(list) != K8SMIG_TYPE_LIST) {
		rc = k8smig__error_set(K8SMIG_EINVAL, section, "kubeconfig %s must be a list", section);
		k8smig__error_set_file(path);
		return rc;
	}
	for (it = k8smig_value_first(list); it; it = k8smig_value_next(it)) {
		const char *name = k8smig_value_str(k8smig_value_lookup(it, "name"));
		const k8smig_value *body = k8smig_value_lookup(it, field);
		k8smig__kc_entry *e, *items;

		if (!name || !*name) {
			rc = k8smig__error_set(K8SMIG_EINVAL, section, "a kubeconfig %s entry has no name", section);
			k8smig__error_set_file(path);
			return rc;
		}
		if (k8smig__kc_find(t, name))
			continue; /* the first file to define a name wins */
		items = realloc(t->items, (t->n + 1) * sizeof(*items));
		if (!items)
			return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
		t->items = items;
		e = &t->items[t->n];
		memset(e, 0, sizeof(*e));
		if (!(e->name = k8smig__strdup(name)) || !(e->dir = k8smig__strdup(dir)) ||
		    k8smig_object_new(&e->o, NULL, NULL) < 0 ||
		    (body ? k8smig_object_set_value(e->o, "v", body) : k8smig_object_set_map(e->o, "v")) < 0) {
			free(e->name);
			free(e->dir);
			k8smig_object_free(e->o);
			return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
		}
		t->n++;
	}
	return 0;
}

static int merge_file(k8smig_kubeconfig *kc, const char *path)
{
	k8smig_object_list *docs = NULL;
	const k8smig_object *f;
	char *dir;
	int rc;

	if ((rc = k8smig_parse_file(&docs, path, NULL)) < 0)
		return rc;
	if (k8smig_object_list_size(docs) != 1) {
		k8smig_object_list_free(docs);
		rc = k8smig__error_set(K8SMIG_EINVAL, "", "a kubeconfig file holds exactly one document");
		k8smig__error_set_file(path);
		return rc;
	}
	f = k8smig_object_list_get(docs, 0);
	if (!(dir = dir_of(path))) {
		k8smig_object_list_free(docs);
		return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	}
	if ((rc = merge_section(&kc->clusters, f, "clusters", "cluster", path, dir)) == 0 &&
	    (rc = merge_section(&kc->users, f, "users", "user", path, dir)) == 0 &&
	    (rc = merge_section(&kc->contexts, f, "contexts", "context", path, dir)) == 0) {
		const char *cur = k8smig_object_get_str(f, "current-context");
		if (cur && *cur && !kc->current_context && !(kc->current_context = k8smig__strdup(cur)))
			rc = k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	}
	free(dir);
	k8smig_object_list_free(docs);
	return rc;
}

int k8smig_kubeconfig_load(k8smig_kubeconfig **out, const char *path)
{
	k8smig_kubeconfig *kc;
	const char *env = getenv("KUBECONFIG");
	int rc = 0, loaded = 0;

	if (!out)
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL out");
	*out = NULL;
	if (!(kc = calloc(1, sizeof(*kc))))
		return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	if (path && *path) {
		rc = merge_file(kc, path);
		loaded = rc == 0;
	} else if (env && *env) {
		char *copy = k8smig__strdup(env), *save = NULL, *p;
		if (!copy)
			rc = k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
		for (p = copy ? strtok_r(copy, ":", &save) : NULL; p && rc == 0; p = strtok_r(NULL, ":", &save)) {
			rc = merge_file(kc, p);
			if (rc == K8SMIG_ENOTFOUND) {
				rc = 0; /* kubectl skips missing files of the list */
				continue;
			}
			loaded += rc == 0;
		}
		free(copy);
		if (rc == 0 && !loaded)
			rc = k8smig__error_set(K8SMIG_ENOTFOUND, "", "none of the KUBECONFIG files exist");
	} else {
		const char *home = getenv("HOME");
		char buf[4096];
		if (!home)
			rc = k8smig__error_set(K8SMIG_ENOTFOUND, "", "no kubeconfig: HOME and KUBECONFIG are unset");
		else {
			snprintf(buf, sizeof(buf), "%s/.kube/config", home);
			rc = merge_file(kc, buf);
			loaded = rc == 0;
		}
	}
	if (rc < 0) {
		k8smig_kubeconfig_free(kc);
		return rc;
	}
	*out = kc;
	return 0;
}
