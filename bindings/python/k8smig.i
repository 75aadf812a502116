/*
 * bindings/python/k8smig.i - thin SWIG glue over the real headers (STYLE.md 2.8).
 * Conveniences live in k8smig/__init__.py, never here.
 */
%module(package="k8smig") capi

%{
#include <k8smig.h>
#include <k8smig/sys/object.h>
#include <stdlib.h>
#include <string.h>

/* The C library's last error as a k8smig.Error (k8smig._raise picks the subclass).
 * Returns NULL so wrappers can `return k8smig_py_fail();`. */
static PyObject *k8smig_py_fail(void)
{
	const k8smig_error *e = k8smig_error_last();
	PyObject *args = Py_BuildValue("(isssiiiss)", e->code, e->message, e->path, e->file, e->line,
	                               e->column, e->http_status, e->reason, k8smig_error_name(e->code));
	PyObject *mod = PyImport_ImportModule("k8smig");
	PyObject *raiser = mod ? PyObject_GetAttrString(mod, "_raise") : NULL;
	if (raiser && args)
		Py_XDECREF(PyObject_CallObject(raiser, args));
	Py_XDECREF(raiser);
	Py_XDECREF(mod);
	Py_XDECREF(args);
	if (!PyErr_Occurred())
		PyErr_SetString(PyExc_RuntimeError, e->message);
	return NULL;
}

/* NULL-terminated string arrays: from a list/tuple of str (None: NULL). The
 * array points into the str objects, which `keep` holds until freed. */
static int k8smig_py_strv(PyObject *in, const char ***arr, PyObject **keep)
{
	*arr = NULL;
	*keep = NULL;
	if (in == Py_None)
		return 0;
	if (PyUnicode_Check(in) || PyBytes_Check(in) || !PySequence_Check(in)) {
		PyErr_SetString(PyExc_TypeError, "expected a list of str");
		return -1;
	}
	PyObject *seq = PySequence_Fast(in, "expected a list of str");
	if (!seq)
		return -1;
	Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
	const char **a = calloc((size_t)n + 1, sizeof *a);
	if (!a) {
		Py_DECREF(seq);
		PyErr_NoMemory();
		return -1;
	}
	for (Py_ssize_t i = 0; i < n; i++) {
		PyObject *item = PySequence_Fast_GET_ITEM(seq, i);
		if (!PyUnicode_Check(item) || !(a[i] = PyUnicode_AsUTF8(item))) {
			free(a);
			Py_DECREF(seq);
			if (!PyErr_Occurred())
				PyErr_SetString(PyExc_TypeError, "expected a list of str");
			return -1;
		}
	}
	*arr = a;
	*keep = seq;
	return 0;
}

/* Deep copies for option-struct members (freed with the struct). */
static const char *const *k8smig_py_strv_dup(const char *const *v)
{
	if (!v)
		return NULL;
	size_t n = 0;
	while (v[n])
		n++;
	char **a = calloc(n + 1, sizeof *a);
	if (!a)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (!(a[i] = strdup(v[i]))) {
			for (size_t j = 0; j < i; j++)
				free(a[j]);
			free(a);
			return NULL;
		}
	return (const char *const *)a;
}

static void k8smig_py_strv_free(const char *const *v)
{
	if (!v)
		return;
	for (size_t i = 0; v[i]; i++)
		free((char *)v[i]);
	free((void *)v);
}

static PyObject *k8smig_py_strv_list(const char *const *v)
{
	if (!v)
		Py_RETURN_NONE;
	PyObject *l = PyList_New(0);
	for (size_t i = 0; l && v[i]; i++) {
		PyObject *s = PyUnicode_FromString(v[i]);
		if (!s || PyList_Append(l, s) < 0) {
			Py_XDECREF(s);
			Py_CLEAR(l);
			break;
		}
		Py_DECREF(s);
	}
	return l;
}

/* A Python callable called from C (possibly from a library worker thread, with
 * the GIL released by the caller): the first exception it raises is kept, later
 * calls are skipped, and the caller re-raises it once the C function returns. */
typedef struct k8smig_py_cb {
	PyObject *fn;
	PyObject *exc_type, *exc_value, *exc_tb;
} k8smig_py_cb;

static int k8smig_py_cb_call(k8smig_py_cb *cb, PyObject *args)
{
	int stop = 1;
	if (!args) {
		PyErr_Fetch(&cb->exc_type, &cb->exc_value, &cb->exc_tb);
		return 1;
	}
	if (!cb->exc_type) {
		PyObject *r = PyObject_CallObject(cb->fn, args);
		if (!r) {
			PyErr_Fetch(&cb->exc_type, &cb->exc_value, &cb->exc_tb);
		} else {
			stop = (r != Py_None && PyObject_IsTrue(r) == 1);  /* a true return stops */
			Py_DECREF(r);
		}
	}
	Py_DECREF(args);
	return stop;
}

/* After the C call, with the GIL held: 1 (exception set) if the callback raised. */
static int k8smig_py_cb_raised(k8smig_py_cb *cb)
{
	if (!cb->exc_type)
		return 0;
	PyErr_Restore(cb->exc_type, cb->exc_value, cb->exc_tb);
	cb->exc_type = cb->exc_value = cb->exc_tb = NULL;
	return 1;
}

static int k8smig_py_on_file(const char *path, k8smig_change change, void *payload)
{
	PyGILState_STATE g = PyGILState_Ensure();
	int stop = k8smig_py_cb_call(payload, Py_BuildValue("(si)", path, (int)change));
	PyGILState_Release(g);
	return stop;
}

static void k8smig_py_progress(const k8smig_apply_result *r, size_t done, size_t total, void *payload)
{
	PyGILState_STATE g = PyGILState_Ensure();
	k8smig_py_cb *cb = payload;
	if (!cb->exc_type)
		(void)k8smig_py_cb_call(cb, Py_BuildValue("(sssssinn)", k8smig_apply_action_name(r->action), r->kind,
		                                          r->namespace_ ? r->namespace_ : "", r->name, r->resource ? r->resource : "",
		                                          r->http_status, (Py_ssize_t)done, (Py_ssize_t)total));
	PyGILState_Release(g);
}

static int k8smig_py_write(const char *data, size_t len, void *payload)
{
	PyGILState_STATE g = PyGILState_Ensure();
	int stop = k8smig_py_cb_call(payload, Py_BuildValue("(s#)", data, (Py_ssize_t)len));
	PyGILState_Release(g);
	return stop;
}
%}

%include "stdint.i"

#define K8SMIG_EXTERN(type) type
#define K8SMIG_WARN_UNUSED
#define K8SMIG_BEGIN_DECL
#define K8SMIG_END_DECL

/* 1. Errors raise: the message, code and position go to k8smig.Error (built in __init__.py). */
%typemap(out) k8smig_status {
	if ($1 < 0) {
		k8smig_py_fail();
		SWIG_fail;
	}
	$result = Py_None;
	Py_INCREF(Py_None);
}

/* 2. T **out: an owned new handle appended to the result. */
%define K8SMIG_OUT(TYPE)
%typemap(in, numinputs=0) TYPE **out (TYPE *tmp = NULL) { $1 = &tmp; }
%typemap(argout) TYPE **out {
	PyObject *o = SWIG_NewPointerObj(SWIG_as_voidptr(*$1), $*1_descriptor, SWIG_POINTER_OWN);
	$result = SWIG_Python_AppendOutput($result, o);
}
%enddef
K8SMIG_OUT(k8smig_object)
K8SMIG_OUT(k8smig_object_list)
K8SMIG_OUT(k8smig_kubeconfig)
K8SMIG_OUT(k8smig_client)
K8SMIG_OUT(k8smig_report)
K8SMIG_OUT(k8smig_apply_results)
K8SMIG_OUT(k8smig_spec)
K8SMIG_OUT(k8smig_import)

/* char **out (+ optional size_t *len_out): a Python str, freed with k8smig_free. */
%typemap(in, numinputs=0) char **out (char *tmp = NULL), char **resource_out (char *tmp = NULL),
                          char **resource_version_out (char *tmp = NULL) { $1 = &tmp; }
%typemap(argout) char **out, char **resource_out, char **resource_version_out {
	PyObject *s = *$1 ? PyUnicode_FromString(*$1) : Py_None;
	if (!*$1)
		Py_INCREF(Py_None);
	$result = SWIG_Python_AppendOutput($result, s);
}
%typemap(freearg) char **out, char **resource_out, char **resource_version_out { k8smig_free(*$1); }
%typemap(in, numinputs=0) size_t *len_out (size_t tmp = 0), size_t *index_out (size_t tmp = 0) { $1 = &tmp; }
%typemap(argout) size_t *index_out { $result = SWIG_Python_AppendOutput($result, PyLong_FromSize_t(*$1)); }
%typemap(in, numinputs=0) size_t *changed_out (size_t tmp = 0) { $1 = &tmp; }
%typemap(argout) size_t *changed_out { $result = SWIG_Python_AppendOutput($result, PyLong_FromSize_t(*$1)); }
%typemap(in, numinputs=0) bool *namespaced_out (bool tmp = false) { $1 = &tmp; }
%typemap(argout) bool *namespaced_out { $result = SWIG_Python_AppendOutput($result, PyBool_FromLong(*$1)); }
%typemap(in, numinputs=0) int *line_out (int tmp = 0) { $1 = &tmp; }
%typemap(argout) int *line_out { $result = SWIG_Python_AppendOutput($result, PyLong_FromLong(*$1)); }

/* (const char *data, size_t len): a Python str or bytes. */
%typemap(in) (const char *data, size_t len) (Py_ssize_t n = 0, char *buf = NULL) {
	if (PyUnicode_Check($input)) {
		buf = (char *)PyUnicode_AsUTF8AndSize($input, &n);
	} else if (PyBytes_Check($input)) {
		PyBytes_AsStringAndSize($input, &buf, &n);
	} else {
		SWIG_exception_fail(SWIG_TypeError, "expected str or bytes");
	}
	if (!buf)
		SWIG_fail;
	$1 = buf;
	$2 = (size_t)n;
}

/* Strings read from values keep their length (they may hold NUL). */
%typemap(out) const char *k8smig_value_str {
	if ($1) {
		$result = PyUnicode_DecodeUTF8($1, (Py_ssize_t)k8smig_value_strlen(arg1), "surrogateescape");
	} else {
		$result = Py_None;
		Py_INCREF(Py_None);
	}
}

/* (const char *value, size_t len): bytes or str. */
%typemap(in) (const char *value, size_t len) (Py_ssize_t n = 0, char *buf = NULL) {
	if (PyUnicode_Check($input)) {
		buf = (char *)PyUnicode_AsUTF8AndSize($input, &n);
	} else if (PyBytes_Check($input)) {
		PyBytes_AsStringAndSize($input, &buf, &n);
	} else {
		SWIG_exception_fail(SWIG_TypeError, "expected bytes or str");
	}
	if (!buf)
		SWIG_fail;
	$1 = buf;
	$2 = (size_t)n;
}

/* NULL-terminated string arrays (command, args, hosts, verbs...): a list of str or None. */
%typemap(in) const char *const * (PyObject *keep = NULL, const char **arr = NULL) {
	if (k8smig_py_strv($input, &arr, &keep) < 0)
		SWIG_fail;
	$1 = ($1_ltype)arr;
}
%typemap(freearg) const char *const * { free((void *)arr$argnum); Py_XDECREF(keep$argnum); }
%typemap(memberin) const char *const * {
	k8smig_py_strv_free((const char *const *)$1);
	$1 = (void *)k8smig_py_strv_dup((const char *const *)$input);
}
%typemap(out) const char *const * { $result = k8smig_py_strv_list((const char *const *)$1); }

/* (const void *data, size_t len): bytes (or str, as UTF-8). */
%typemap(in) (const void *data, size_t len) (Py_ssize_t n = 0, char *buf = NULL) {
	if (PyUnicode_Check($input)) {
		buf = (char *)PyUnicode_AsUTF8AndSize($input, &n);
	} else if (PyBytes_Check($input)) {
		PyBytes_AsStringAndSize($input, &buf, &n);
	} else {
		SWIG_exception_fail(SWIG_TypeError, "expected bytes or str");
	}
	if (!buf)
		SWIG_fail;
	$1 = buf;
	$2 = (size_t)n;
}

/* The GIL is released while the library parses, renders, validates, generates or
 * talks to the API server (other Python threads run meanwhile). */
%define K8SMIG_NOGIL(NAME)
%exception NAME {
	Py_BEGIN_ALLOW_THREADS
	$action
	Py_END_ALLOW_THREADS
}
%enddef
K8SMIG_NOGIL(k8smig_parse)
K8SMIG_NOGIL(k8smig_parse_file)
K8SMIG_NOGIL(k8smig_object_list_emit)
K8SMIG_NOGIL(k8smig_render)
K8SMIG_NOGIL(k8smig_validate)
K8SMIG_NOGIL(k8smig_plan)
K8SMIG_NOGIL(k8smig_spec_load)
K8SMIG_NOGIL(k8smig_spec_load_file)
K8SMIG_NOGIL(k8smig_kubeconfig_load)
K8SMIG_NOGIL(k8smig_client_new)
K8SMIG_NOGIL(k8smig_client_resource)
K8SMIG_NOGIL(k8smig_client_get)
K8SMIG_NOGIL(k8smig_client_list)
K8SMIG_NOGIL(k8smig_client_create)
K8SMIG_NOGIL(k8smig_client_delete)
K8SMIG_NOGIL(k8smig_client_apply)
K8SMIG_NOGIL(k8smig_client_apply_set)

/* 3. Owned handles free themselves; only the library creates them. */
%define K8SMIG_HANDLE(TYPE, FREE)
%nodefaultctor TYPE;
%extend TYPE { ~TYPE() { FREE($self); } }
%enddef
K8SMIG_HANDLE(k8smig_object, k8smig_object_free)
K8SMIG_HANDLE(k8smig_object_list, k8smig_object_list_free)
K8SMIG_HANDLE(k8smig_kubeconfig, k8smig_kubeconfig_free)
K8SMIG_HANDLE(k8smig_client, k8smig_client_free)
K8SMIG_HANDLE(k8smig_report, k8smig_report_free)
K8SMIG_HANDLE(k8smig_apply_results, k8smig_apply_results_free)
K8SMIG_HANDLE(k8smig_spec, k8smig_spec_free)
K8SMIG_HANDLE(k8smig_import, k8smig_import_free)
struct k8smig_object {};
struct k8smig_object_list {};
struct k8smig_kubeconfig {};
struct k8smig_client {};
struct k8smig_report {};
struct k8smig_apply_results {};
struct k8smig_spec {};
struct k8smig_import {};

/* Options structs are made in Python: strings set on them are copied and
 * freed with the struct, so no pointer into a Python object outlives it. */
%typemap(memberin) const char * {
	free((char *)$1);
	$1 = $input ? strdup($input) : NULL;
}
%define K8SMIG_OPTIONS(TYPE, INIT, VERSION, FREE_STRINGS)
%extend TYPE {
	TYPE() {
		TYPE *o = calloc(1, sizeof(TYPE));
		if (o)
			INIT(o, VERSION);
		return o;
	}
	~TYPE() {
		FREE_STRINGS
		free($self);
	}
}
%enddef
K8SMIG_OPTIONS(k8smig_parse_options, k8smig_parse_options_init, K8SMIG_PARSE_OPTIONS_VERSION,
               free((char *)$self->source_name);)
K8SMIG_OPTIONS(k8smig_emit_options, k8smig_emit_options_init, K8SMIG_EMIT_OPTIONS_VERSION, )
K8SMIG_OPTIONS(k8smig_validate_options, k8smig_validate_options_init, K8SMIG_VALIDATE_OPTIONS_VERSION, )
K8SMIG_OPTIONS(k8smig_client_options, k8smig_client_options_init, K8SMIG_CLIENT_OPTIONS_VERSION,
               free((char *)$self->context); free((char *)$self->namespace_);)
K8SMIG_OPTIONS(k8smig_apply_options, k8smig_apply_options_init, K8SMIG_APPLY_OPTIONS_VERSION,
               free((char *)$self->field_manager);)
K8SMIG_OPTIONS(k8smig_apply_set_options, k8smig_apply_set_options_init, K8SMIG_APPLY_SET_OPTIONS_VERSION, )
K8SMIG_OPTIONS(k8smig_render_options, k8smig_render_options_init, K8SMIG_RENDER_OPTIONS_VERSION, )
K8SMIG_OPTIONS(k8smig_generate_options, k8smig_generate_options_init, K8SMIG_GENERATE_OPTIONS_VERSION, )
K8SMIG_OPTIONS(k8smig_import_options, k8smig_import_options_init, K8SMIG_IMPORT_OPTIONS_VERSION,
               free((char *)$self->name);)
%ignore k8smig_import_options_init;
/* the literal-path call-site forms serve C macros; Python paths are strings of its own */
%ignore k8smig_path_site;
%ignore k8smig_object_set_str_site;
%ignore k8smig_object_set_strn_site;
%ignore k8smig_object_set_int_site;
%ignore k8smig_object_set_bool_site;
%ignore k8smig_import_free;
%ignore k8smig_import_report_counts; /* the JSON report's summary has the counts */
K8SMIG_OPTIONS(k8smig_security_context_options, k8smig_security_context_options_init,
               K8SMIG_SECURITY_CONTEXT_OPTIONS_VERSION,
               k8smig_py_strv_free((const char *const *)$self->capabilities_add);
               k8smig_py_strv_free((const char *const *)$self->capabilities_drop);
               free((char *)$self->seccomp_profile);)
K8SMIG_OPTIONS(k8smig_probe_options, k8smig_probe_options_init, K8SMIG_PROBE_OPTIONS_VERSION,
               free((char *)$self->path); free((char *)$self->port_name); free((char *)$self->scheme);
               k8smig_py_strv_free((const char *const *)$self->command); free((char *)$self->grpc_service);)
K8SMIG_OPTIONS(k8smig_alb_options, k8smig_alb_options_init, K8SMIG_ALB_OPTIONS_VERSION,
               free((char *)$self->scheme); free((char *)$self->target_type); free((char *)$self->certificate_arn);
               free((char *)$self->healthcheck_path); free((char *)$self->group_name);)
K8SMIG_OPTIONS(k8smig_fluent_bit_options, k8smig_fluent_bit_options_init, K8SMIG_FLUENT_BIT_OPTIONS_VERSION,
               free((char *)$self->region); free((char *)$self->log_group_prefix); free((char *)$self->service_label);
               k8smig_py_strv_free((const char *const *)$self->namespaces);)
%ignore k8smig_security_context_options_init;
%ignore k8smig_probe_options_init;
%ignore k8smig_alb_options_init;
%ignore k8smig_fluent_bit_options_init;
%ignore k8smig_generate_options::on_file;
%ignore k8smig_generate_options::payload;
%ignore k8smig_generate_cb;
%ignore k8smig_generate;
%ignore k8smig_client_apply_set;
%ignore k8smig_render_options_init;
%ignore k8smig_generate_options_init;
%ignore k8smig_spec_free;
%ignore k8smig_apply_set_options::progress;
%ignore k8smig_apply_set_options::payload;
%ignore k8smig_parse_options_init;
%ignore k8smig_emit_options_init;
%ignore k8smig_validate_options_init;
%ignore k8smig_client_options_init;
%ignore k8smig_apply_options_init;
%ignore k8smig_apply_set_options_init;
%nodefaultctor k8smig_finding;
%nodefaultctor k8smig_apply_result;
%nodefaultctor k8smig_error;
%nodefaultctor k8smig_value;

/* 4. Not for Python: ownership transfer, freeing, the error record (exceptions carry it). */
%ignore k8smig_object_list_append_take;
%ignore k8smig_free;
%ignore k8smig_object_free;
%ignore k8smig_object_list_free;
%ignore k8smig_kubeconfig_free;
%ignore k8smig_client_free;
%ignore k8smig_report_free;
%ignore k8smig_apply_results_free;
%ignore k8smig_error_last;
%ignore k8smig_error_clear;
%ignore k8smig_object_list_write;
%ignore k8smig_client_watch;
%ignore k8smig_watch_options;
%ignore k8smig_watch_options_init;
%ignore k8smig_object_list_extend_take;
%ignore k8smig_write_cb;
%ignore k8smig_watch_cb;
%ignore k8smig_apply_progress_cb;

/* read-only records */
%immutable k8smig_finding::severity;
%immutable k8smig_finding::code;
%immutable k8smig_finding::kind;
%immutable k8smig_finding::namespace_;
%immutable k8smig_finding::name;
%immutable k8smig_finding::path;
%immutable k8smig_finding::message;
%immutable k8smig_finding::source;
%immutable k8smig_finding::line;
%immutable k8smig_apply_result::action;
%immutable k8smig_apply_result::kind;
%immutable k8smig_apply_result::namespace_;
%immutable k8smig_apply_result::name;
%immutable k8smig_apply_result::resource;
%immutable k8smig_apply_result::error_code;
%immutable k8smig_apply_result::error_message;
%immutable k8smig_apply_result::error_path;
%immutable k8smig_apply_result::http_status;

%include "k8smig/common.h"
%include "k8smig/version.h"
%include "k8smig/global.h"
%include "k8smig/errors.h"
%include "k8smig/object.h"
%include "k8smig/serialize.h"
%include "k8smig/quantity.h"
%include "k8smig/validate.h"
%include "k8smig/client.h"
%include "k8smig/render.h"
%include "k8smig/migrate.h"

/* ---- lifecycle.h: wait, diff, ApplySets, history, impersonation ----------------------
 * Calls that return a result set even on K8SMIG_ERROR / K8SMIG_ETIMEOUT hand both to
 * Python: [0 or the error as a tuple, the result handle or None]
 * (raised by k8smig/__init__.py after it has read the results). The GIL is released
 * while the C call runs (network I/O, waits of minutes), so other Python threads run;
 * progress callbacks are Python callables, called in the calling thread, which takes the
 * GIL back for each call. After one raised, the later calls are skipped and the exception
 * is raised when the C call returns. */
%{
typedef struct k8smig_py_lifecycle_cb {
	PyObject *cb;
} k8smig_py_lifecycle_cb;

/* Called from C with the GIL released: take it for the call (the thread's own state,
 * so an exception raised here is still set when the C call returns). */
static void k8smig_py_lifecycle_call(void *payload, const char *what, const char *kind, const char *ns, const char *name,
                                     const char *state, size_t done, size_t total)
{
	PyGILState_STATE g = PyGILState_Ensure();
	PyObject *res;
	if (!PyErr_Occurred()) {
		res = PyObject_CallFunction(((k8smig_py_lifecycle_cb *)payload)->cb, "sssssnn", what, kind, ns, name, state,
		                            (Py_ssize_t)done, (Py_ssize_t)total);
		Py_XDECREF(res);
	}
	PyGILState_Release(g);
}

static void k8smig_py_apply_progress(const k8smig_apply_result *r, size_t done, size_t total, void *payload)
{
	k8smig_py_lifecycle_call(payload, "apply", r->kind, r->namespace_, r->name, k8smig_apply_action_name(r->action), done, total);
}

static void k8smig_py_wait_progress(const k8smig_wait_result *r, size_t ready, size_t total, void *payload)
{
	k8smig_py_lifecycle_call(payload, "wait", r->kind, r->namespace_, r->name, k8smig_readiness_name(r->state), ready, total);
}

static PyObject *k8smig_py_error_tuple(int rc)
{
	const k8smig_error *e;
	if (rc >= 0)
		return PyLong_FromLong(0); /* not None: SWIG would replace a None result by the appended handle */
	e = k8smig_error_last();
	return Py_BuildValue("(isssiiiss)", e->code, e->message, e->path, e->file, e->line, e->column, e->http_status,
	                     e->reason, k8smig_error_name(e->code));
}
%}

K8SMIG_OUT(k8smig_wait_results)
K8SMIG_OUT(k8smig_diff)
K8SMIG_OUT(k8smig_rollout)
K8SMIG_OUT(k8smig_history)
K8SMIG_HANDLE(k8smig_wait_results, k8smig_wait_results_free)
K8SMIG_HANDLE(k8smig_diff, k8smig_diff_free)
K8SMIG_HANDLE(k8smig_rollout, k8smig_rollout_free)
K8SMIG_HANDLE(k8smig_history, k8smig_history_free)
struct k8smig_wait_results {};
struct k8smig_diff {};
struct k8smig_rollout {};
struct k8smig_history {};
K8SMIG_OPTIONS(k8smig_wait_options, k8smig_wait_options_init, K8SMIG_WAIT_OPTIONS_VERSION, )
K8SMIG_OPTIONS(k8smig_diff_options, k8smig_diff_options_init, K8SMIG_DIFF_OPTIONS_VERSION,
               free((char *)$self->applyset); free((char *)$self->applyset_namespace);)
K8SMIG_OPTIONS(k8smig_rollout_options, k8smig_rollout_options_init, K8SMIG_ROLLOUT_OPTIONS_VERSION,
               free((char *)$self->applyset); free((char *)$self->applyset_namespace);)
%ignore k8smig_wait_options::progress;
%ignore k8smig_wait_options::payload;
%ignore k8smig_rollout_options::wait_progress;
%ignore k8smig_rollout_options::wait_payload;
%ignore k8smig_wait_options_init;
%ignore k8smig_diff_options_init;
%ignore k8smig_rollout_options_init;
%ignore k8smig_wait_results_free;
%ignore k8smig_diff_free;
%ignore k8smig_rollout_free;
%ignore k8smig_history_free;
%ignore k8smig_wait_progress_cb;
/* the Python forms below hand back partial results; the plain ones are not wrapped */
%ignore k8smig_client_wait;
%ignore k8smig_client_diff;
%ignore k8smig_client_apply_applyset;
%ignore k8smig_client_rollback;
%ignore k8smig_client_delete_applyset;
%ignore k8smig_client_delete_set;
%ignore k8smig_client_impersonate;
%ignore k8smig_object_readiness;
%nodefaultctor k8smig_wait_result;
%nodefaultctor k8smig_diff_entry;
%nodefaultctor k8smig_prune_entry;
%nodefaultctor k8smig_revision;
%immutable k8smig_wait_result::state;
%immutable k8smig_wait_result::api_version;
%immutable k8smig_wait_result::kind;
%immutable k8smig_wait_result::namespace_;
%immutable k8smig_wait_result::name;
%immutable k8smig_wait_result::reason;
%immutable k8smig_wait_result::report;
%immutable k8smig_diff_entry::action;
%immutable k8smig_diff_entry::api_version;
%immutable k8smig_diff_entry::kind;
%immutable k8smig_diff_entry::namespace_;
%immutable k8smig_diff_entry::name;
%immutable k8smig_diff_entry::diff;
%immutable k8smig_diff_entry::error_message;
%immutable k8smig_prune_entry::api_version;
%immutable k8smig_prune_entry::kind;
%immutable k8smig_prune_entry::namespace_;
%immutable k8smig_prune_entry::name;
%immutable k8smig_prune_entry::error_code;
%immutable k8smig_prune_entry::error_message;
%immutable k8smig_revision::number;
%immutable k8smig_revision::applied_at;
%immutable k8smig_revision::status;
%immutable k8smig_revision::description;
%immutable k8smig_revision::objects;

/* (result handle or None, error tuple or None) */
%typemap(in, numinputs=0) k8smig_wait_results **partial (k8smig_wait_results *tmp = NULL),
                          k8smig_diff **partial (k8smig_diff *tmp = NULL),
                          k8smig_rollout **partial (k8smig_rollout *tmp = NULL) { $1 = &tmp; }
%typemap(argout) k8smig_wait_results **partial, k8smig_diff **partial, k8smig_rollout **partial {
	/* when the progress callback raised, that exception wins: keep it aside while the
	 * handle is wrapped and freed (both may run Python code that would clear it) */
	PyObject *et = NULL, *ev = NULL, *tb = NULL, *o;
	if (!$result)
		PyErr_Fetch(&et, &ev, &tb);
	o = *$1 ? SWIG_NewPointerObj(SWIG_as_voidptr(*$1), $*1_descriptor, SWIG_POINTER_OWN) : (Py_INCREF(Py_None), Py_None);
	if ($result) {
		$result = SWIG_Python_AppendOutput($result, o);
	} else {
		Py_XDECREF(o);
		PyErr_Restore(et, ev, tb);
	}
}

%inline %{
PyObject *k8smig_py_status(int rc) { return k8smig_py_error_tuple(rc); }

PyObject *k8smig_py_wait(k8smig_wait_results **partial, k8smig_client *c, const k8smig_object_list *set,
                         k8smig_wait_options *o, PyObject *progress)
{
	k8smig_py_lifecycle_cb p = { progress };
	int rc;
	if (progress != Py_None) {
		o->progress = k8smig_py_wait_progress;
		o->payload = &p;
	}
	Py_BEGIN_ALLOW_THREADS
	rc = k8smig_client_wait(partial, c, set, o);
	Py_END_ALLOW_THREADS
	o->progress = NULL;
	o->payload = NULL;
	if (PyErr_Occurred())
		return NULL;
	return k8smig_py_error_tuple(rc);
}

PyObject *k8smig_py_diff(k8smig_diff **partial, k8smig_client *c, const k8smig_object_list *set, const k8smig_diff_options *o)
{
	int rc;
	Py_BEGIN_ALLOW_THREADS
	rc = k8smig_client_diff(partial, c, set, o);
	Py_END_ALLOW_THREADS
	return k8smig_py_error_tuple(rc);
}

/* what: 0 apply, 1 rollback (revision), 2 delete the applyset, 3 delete the set */
PyObject *k8smig_py_rollout(k8smig_rollout **partial, int what, k8smig_client *c, const k8smig_object_list *set,
                            unsigned int revision, k8smig_rollout_options *o, PyObject *progress)
{
	k8smig_py_lifecycle_cb p = { progress };
	/* the progress goes into a copy of the apply-set options: the caller's stay untouched */
	k8smig_apply_set_options aso = K8SMIG_APPLY_SET_OPTIONS_INIT;
	const k8smig_apply_set_options *given = o->apply;
	int rc;
	if (given)
		aso = *given;
	if (progress != Py_None) {
		aso.progress = k8smig_py_apply_progress;
		aso.payload = &p;
		o->wait_progress = k8smig_py_wait_progress;
		o->wait_payload = &p;
	}
	o->apply = &aso;
	Py_BEGIN_ALLOW_THREADS
	rc = what == 0 ? k8smig_client_apply_applyset(partial, c, set, o)
	   : what == 1 ? k8smig_client_rollback(partial, c, revision, o)
	   : what == 2 ? k8smig_client_delete_applyset(partial, c, o)
	               : k8smig_client_delete_set(partial, c, set, o);
	Py_END_ALLOW_THREADS
	o->apply = given;
	o->wait_progress = NULL;
	o->wait_payload = NULL;
	if (PyErr_Occurred())
		return NULL;
	return k8smig_py_error_tuple(rc);
}

PyObject *k8smig_py_impersonate(k8smig_client *c, const char *user, PyObject *groups, const char *uid)
{
	Py_ssize_t n = groups == Py_None ? 0 : PySequence_Size(groups), i;
	const char **g;
	int rc;
	if (n < 0)
		return NULL;
	if (!(g = calloc((size_t)n + 1, sizeof(char *))))
		return PyErr_NoMemory();
	for (i = 0; i < n; i++) {
		PyObject *it = PySequence_GetItem(groups, i);
		g[i] = it ? PyUnicode_AsUTF8(it) : NULL;
		Py_XDECREF(it); /* the list keeps the str (and its UTF-8) alive */
		if (!g[i]) {
			free(g);
			return NULL;
		}
	}
	rc = k8smig_client_impersonate(c, user, g, uid);
	free(g);
	return k8smig_py_error_tuple(rc);
}

PyObject *k8smig_py_readiness(const k8smig_object *live)
{
	k8smig_readiness st;
	char *why = NULL;
	PyObject *r;
	int rc = k8smig_object_readiness(&st, &why, live);
	if (rc < 0)
		return Py_BuildValue("(sN)", "", k8smig_py_error_tuple(rc));
	r = Py_BuildValue("(ss)", k8smig_readiness_name(st), why);
	free(why);
	return r;
}
%}

%include "k8smig/lifecycle.h"
%include "k8smig/import.h"
%include "k8smig/workloads.h"
%include "k8smig/networking.h"
%include "k8smig/scaling.h"
%include "k8smig/storage.h"
%include "k8smig/monitoring.h"
%include "k8smig/identity.h"
%include "k8smig/config.h"
%include "k8smig/kustomize.h"
%include "k8smig/sys/object.h"

/* 5. The callback functions, as Python callables (k8smig/__init__.py wraps these). */
%inline %{
/* k8smig_generate() with on_file(path, change) called per file; returns the count. */
static PyObject *k8smig_py_generate(const k8smig_spec *spec, const char *out_dir, k8smig_generate_options *opts,
                                    PyObject *on_file)
{
	k8smig_py_cb cb = { on_file, NULL, NULL, NULL };
	if (on_file != Py_None) {
		opts->on_file = k8smig_py_on_file;
		opts->payload = &cb;
	}
	size_t changed = 0;
	k8smig_status rc;
	Py_BEGIN_ALLOW_THREADS
	rc = k8smig_generate(&changed, spec, out_dir, opts);
	Py_END_ALLOW_THREADS
	opts->on_file = NULL;
	opts->payload = NULL;
	if (k8smig_py_cb_raised(&cb))
		return NULL;
	if (rc < 0)
		return k8smig_py_fail();
	return PyLong_FromSize_t(changed);
}

/* k8smig_client_apply_set() with progress(action, kind, ns, name, resource,
 * http_status, done, total); returns the results even when some objects failed. */
static PyObject *k8smig_py_apply_set(k8smig_client *c, const k8smig_object_list *set,
                                     k8smig_apply_set_options *opts, PyObject *progress)
{
	k8smig_py_cb cb = { progress, NULL, NULL, NULL };
	if (progress != Py_None) {
		opts->progress = k8smig_py_progress;
		opts->payload = &cb;
	}
	k8smig_apply_results *res = NULL;
	k8smig_status rc;
	Py_BEGIN_ALLOW_THREADS
	rc = k8smig_client_apply_set(&res, c, set, opts);
	Py_END_ALLOW_THREADS
	opts->progress = NULL;
	opts->payload = NULL;
	if (k8smig_py_cb_raised(&cb)) {
		k8smig_apply_results_free(res);
		return NULL;
	}
	if (rc < 0) {  /* a set-level failure (out is NULL then): raised whatever raise_on_failure says */
		k8smig_apply_results_free(res);
		return k8smig_py_fail();
	}
	return SWIG_NewPointerObj(SWIG_as_voidptr(res), SWIGTYPE_p_k8smig_apply_results, SWIG_POINTER_OWN);
}

/* k8smig_object_list_write() with write(str) called per piece. */
static PyObject *k8smig_py_list_write(const k8smig_object_list *list, const k8smig_emit_options *opts, PyObject *write)
{
	k8smig_py_cb cb = { write, NULL, NULL, NULL };
	k8smig_status rc;
	Py_BEGIN_ALLOW_THREADS
	rc = k8smig_object_list_write(list, opts, k8smig_py_write, &cb);
	Py_END_ALLOW_THREADS
	if (k8smig_py_cb_raised(&cb))
		return NULL;
	if (rc < 0)
		return k8smig_py_fail();
	Py_RETURN_NONE;
}

static int k8smig_py_watch_event(k8smig_watch_event type, const k8smig_object *obj, void *payload)
{
	PyGILState_STATE g = PyGILState_Ensure();
	k8smig_object *copy = NULL;
	int stop;
	if (k8smig_object_dup(&copy, obj) < 0) {
		k8smig_py_fail();
		stop = k8smig_py_cb_call(payload, NULL);
	} else {
		PyObject *o = SWIG_NewPointerObj(SWIG_as_voidptr(copy), SWIGTYPE_p_k8smig_object, SWIG_POINTER_OWN);
		stop = k8smig_py_cb_call(payload, o ? Py_BuildValue("(iN)", (int)type, o) : NULL);
	}
	PyGILState_Release(g);
	return stop;
}

/* k8smig_client_watch() with on_event(type, object) (a true return stops);
 * returns the last resourceVersion seen (or None). */
static PyObject *k8smig_py_client_watch(k8smig_client *c, const char *api_version, const char *kind, const char *ns,
                                        const char *label_selector, const char *field_selector,
                                        const char *resource_version, int timeout_seconds, PyObject *on_event)
{
	k8smig_py_cb cb = { on_event, NULL, NULL, NULL };
	k8smig_watch_options wo;
	char *rv = NULL;
	k8smig_status rc;
	if (k8smig_watch_options_init(&wo, K8SMIG_WATCH_OPTIONS_VERSION) < 0)
		return k8smig_py_fail();
	wo.callback = k8smig_py_watch_event;
	wo.payload = &cb;
	wo.namespace_ = ns;
	wo.label_selector = label_selector;
	wo.field_selector = field_selector;
	wo.resource_version = resource_version;
	wo.timeout_seconds = timeout_seconds;
	Py_BEGIN_ALLOW_THREADS
	rc = k8smig_client_watch(&rv, c, api_version, kind, &wo);
	Py_END_ALLOW_THREADS
	if (k8smig_py_cb_raised(&cb)) {
		k8smig_free(rv);
		return NULL;
	}
	if (rc < 0) {
		k8smig_free(rv);
		return k8smig_py_fail();
	}
	PyObject *r = rv ? PyUnicode_FromString(rv) : (Py_INCREF(Py_None), Py_None);
	k8smig_free(rv);
	return r;
}
%}
