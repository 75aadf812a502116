/*
 * lib/core/error.c - the per-thread last error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

#define MSG_MAX 512
#define PATH_MAX_LEN 1024

typedef struct thread_error {
	k8smig_error pub;
	char message[MSG_MAX];
	char path[PATH_MAX_LEN];
	char reason[64];
	char file[1024];
} thread_error;

static _Thread_local thread_error tls_err = {
	{ 0, "", "", 0, 0, 0, "", "" }, "", "", "", ""
};

static void reset_pointers(thread_error *e)
{
	e->pub.message = e->message;
	e->pub.path = e->path;
	e->pub.reason = e->reason;
	e->pub.file = e->file;
}

const k8smig_error *k8smig_error_last(void)
{
	reset_pointers(&tls_err);
	return &tls_err.pub;
}

void k8smig_error_clear(void)
{
	thread_error *e = &tls_err;
	e->pub.code = 0;
	e->pub.line = e->pub.column = e->pub.http_status = 0;
	e->message[0] = e->path[0] = e->reason[0] = e->file[0] = '\0';
	reset_pointers(e);
}

const char *k8smig_error_name(int code)
{
	switch (code) {
	case K8SMIG_OK: return "OK";
	case K8SMIG_ENOMEM: return "ENOMEM";
	case K8SMIG_EINVAL: return "EINVAL";
	case K8SMIG_EKIND: return "EKIND";
	case K8SMIG_EPARSE: return "EPARSE";
	case K8SMIG_ESCHEMA: return "ESCHEMA";
	case K8SMIG_ENOTFOUND: return "ENOTFOUND";
	case K8SMIG_EEXISTS: return "EEXISTS";
	case K8SMIG_ECONFLICT: return "ECONFLICT";
	case K8SMIG_EAUTH: return "EAUTH";
	case K8SMIG_ETRANSPORT: return "ETRANSPORT";
	case K8SMIG_EAPI: return "EAPI";
	case K8SMIG_ETIMEOUT: return "ETIMEOUT";
	case K8SMIG_EIO: return "EIO";
	case K8SMIG_EBUSY: return "EBUSY";
	default: return "ERROR";
	}
}

static void copy_trunc(char *dst, size_t cap, const char *src)
{
	size_t n = src ? strlen(src) : 0;
	if (n >= cap)
		n = cap - 1;
	if (n)
		memcpy(dst, src, n);
	dst[n] = '\0';
}

int k8smig__error_setv(int code, const char *path, const char *fmt, va_list ap)
{
	thread_error *e = &tls_err;
	k8smig_error_clear();
	e->pub.code = code;
	vsnprintf(e->message, sizeof(e->message), fmt, ap);
	copy_trunc(e->path, sizeof(e->path), path);
	return code;
}

int k8smig__error_set(int code, const char *path, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	k8smig__error_setv(code, path, fmt, ap);
	va_end(ap);
	return code;
}

void k8smig__error_set_position(int line, int column)
{
	tls_err.pub.line = line;
	tls_err.pub.column = column;
}

void k8smig__error_set_file(const char *file)
{
	copy_trunc(tls_err.file, sizeof(tls_err.file), file);
}

void k8smig__error_set_http(int http_status, const char *reason)
{
	tls_err.pub.http_status = http_status;
	copy_trunc(tls_err.reason, sizeof(tls_err.reason), reason);
}

void k8smig__error_prefix(const char *step)
{
	thread_error *e = &tls_err;
	size_t sl = strlen(step), pl = strlen(e->path);
	/* "[i]" and "[key]" steps join without a dot */
	int dot = pl > 0 && e->path[0] != '[';
	if (sl + dot + pl >= sizeof(e->path))
		return; /* too deep to say more; keep the leaf */
	memmove(e->path + sl + dot, e->path, pl + 1);
	memcpy(e->path, step, sl);
	if (dot)
		e->path[sl] = '.';
}

int k8smig__error_save(k8smig__saved_error *dst)
{
	dst->code = tls_err.pub.code;
	dst->message = k8smig__strdup(tls_err.message);
	dst->path = k8smig__strdup(tls_err.path);
	return (dst->message && dst->path) ? 0 : K8SMIG_ENOMEM;
}

void k8smig__error_restore(const k8smig__saved_error *src)
{
	k8smig__error_set(src->code, src->path ? src->path : "", "%s", src->message ? src->message : "");
}

void k8smig__saved_error_clear(k8smig__saved_error *e)
{
	free(e->message);
	free(e->path);
	e->message = e->path = NULL;
	e->code = 0;
}
