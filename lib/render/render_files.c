/*
 * lib/render/render_files.c - what the render's steps share about files:
 * errors located in a kustomization file, parsing a file or inline text
 * (kept alive for the render: the tree borrows its strings), path joins and
 * the check that a file stays under the kustomization's root.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "render.h"
#include "../model/list.h"

int k8smig__render_error(int code, const char *kfile, const char *path, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	k8smig__error_setv(code, path, fmt, ap);
	va_end(ap);
	if (kfile)
		k8smig__error_set_file(kfile);
	return code;
}

int k8smig__render_locate(int rc, const char *field, const char *file, bool unset_only)
{
	if (field)
		k8smig__error_prefix(field);
	if (file && (!unset_only || !k8smig_error_last()->file[0]))
		k8smig__error_set_file(file);
	return rc;
}

static int keep_input(k8smig__render *ctx, k8smig_object_list *list)
{
	if (ctx->ninputs == ctx->capinputs &&
	    k8smig__array_grow(&ctx->inputs, &ctx->capinputs, 16, sizeof(*ctx->inputs)) < 0) {
		k8smig_object_list_free(list);
		return K8SMIG_ENOMEM;
	}
	ctx->inputs[ctx->ninputs++] = list;
	return 0;
}

int k8smig__render_parse_file(k8smig__render *ctx, k8smig_object_list **out, const char *path)
{
	/* kustomize reads YAML with go-yaml v3: yes/no/on/off stay strings */
	k8smig_parse_options po = K8SMIG_PARSE_OPTIONS_INIT;
	k8smig_object_list *list = NULL;
	int rc;
	po.flags = K8SMIG_PARSE_YAML12_BOOLS;
	rc = k8smig_parse_file(&list, path, &po);
	*out = NULL;
	if (rc < 0)
		return rc;
	if ((rc = keep_input(ctx, list)) < 0)
		return rc;
	*out = list;
	return 0;
}

int k8smig__render_parse_text(k8smig__render *ctx, k8smig_object_list **out, const char *text, size_t len,
                              const char *source, int line_offset)
{
	k8smig_parse_options po = K8SMIG_PARSE_OPTIONS_INIT;
	k8smig_object_list *list = NULL;
	int rc;

	*out = NULL;
	po.source_name = source;
	po.flags = K8SMIG_PARSE_YAML12_BOOLS;
	if ((rc = k8smig_parse(&list, text, len, &po)) < 0) {
		const k8smig_error *e = k8smig_error_last();
		if (e->line > line_offset)
			k8smig__error_set_position(e->line - line_offset, e->column);
		return rc;
	}
	if ((rc = keep_input(ctx, list)) < 0)
		return rc;
	*out = list;
	return 0;
}

const char *k8smig__render_join(k8smig__rarena *a, const char *dir, const char *rel)
{
	if (rel[0] == '/')
		return rel;
	return k8smig__rprintf(a, "%s/%s", dir, rel);
}

bool k8smig__render_is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool k8smig__render_exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

int k8smig__render_check_under(const k8smig__render *ctx, const char *root, const char *path, const char *field,
                               const char *kfile)
{
	char rroot[PATH_MAX], rpath[PATH_MAX];
	size_t n;

	if (ctx->flags & K8SMIG_RENDER_LOAD_ANYWHERE)
		return 0;
	if (!realpath(root, rroot))
		return k8smig__render_error(K8SMIG_ENOTFOUND, root, "", "cannot resolve directory");
	if (!realpath(path, rpath))
		return k8smig__render_error(K8SMIG_ENOTFOUND, path, field, "no such file (named in %s)", kfile);
	n = strlen(rroot);
	if (strncmp(rpath, rroot, n) != 0 || (rpath[n] != '/' && rpath[n] != '\0'))
		return k8smig__render_error(K8SMIG_EINVAL, kfile, field,
		            "security: file '%s' is not in or below '%s' (kustomize's LoadRestrictionsRootOnly)", path, rroot);
	return 0;
}
