/*
 * lib/migrate/spec_reader.c - a typed reader over a parsed YAML tree, for
 * the spec (spec.c holds its schema). It keeps the path of the field being
 * read ("services[2].cpu"); every failure is K8SMIG_ESCHEMA with that path,
 * the file, and the field's own line and column (from the line index of
 * spec_lines.c). Strings it copies live in the spec's memory. Messages name
 * fields and types, never values.
 */
#include <stdarg.h>
#include <stdio.h>

#include "spec_reader.h"

/* ---- errors with file, line and path ---- */

const char *k8smig__rd_path(mig_reader *r)
{
	return r->path.data && r->path.len ? r->path.data : "";
}

int k8smig__rd_failv(mig_reader *r, const char *fmt, va_list ap)
{
	int line, column = 0;

	if (r->path.failed)
		return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	line = k8smig__lines_find(r->lines, k8smig__rd_path(r), &column);
	k8smig__error_setv(K8SMIG_ESCHEMA, k8smig__rd_path(r), fmt, ap);
	k8smig__error_set_file(r->file ? r->file : "");
	k8smig__error_set_position(line ? line : r->doc_line, line ? column : 0);
	return K8SMIG_ESCHEMA;
}

int k8smig__rd_fail(mig_reader *r, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = k8smig__rd_failv(r, fmt, ap);
	va_end(ap);
	return rc;
}

/* Path steps: push returns the old length to pop back to. */
size_t k8smig__rd_push_key(mig_reader *r, const char *key)
{
	size_t old = r->path.len;
	k8smig__path_key(&r->path, key);
	if (!r->path.failed)
		r->path.data[r->path.len] = '\0';
	return old;
}

size_t k8smig__rd_push_index(mig_reader *r, size_t i)
{
	size_t old = r->path.len;
	k8smig__path_index(&r->path, i);
	if (!r->path.failed)
		r->path.data[r->path.len] = '\0';
	return old;
}

void k8smig__rd_pop(mig_reader *r, size_t len)
{
	r->path.len = len;
	if (r->path.data)
		r->path.data[len] = '\0';
}

/* Fail at a field below the current path. */
int k8smig__rd_fail_at(mig_reader *r, const char *key, const char *fmt, ...)
{
	size_t old = k8smig__rd_push_key(r, key);
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = k8smig__rd_failv(r, fmt, ap);
	va_end(ap);
	k8smig__rd_pop(r, old);
	return rc;
}

const char *k8smig__rd_type_name(k8smig_type t)
{
	switch (t) {
	case K8SMIG_TYPE_NULL: return "null";
	case K8SMIG_TYPE_BOOL: return "a boolean";
	case K8SMIG_TYPE_INT: return "an integer";
	case K8SMIG_TYPE_DOUBLE: return "a number";
	case K8SMIG_TYPE_STRING: return "a string";
	case K8SMIG_TYPE_MAP: return "a mapping";
	case K8SMIG_TYPE_LIST: return "a list";
	}
	return "a value";
}

/* ---- typed field readers over the map m at the current path ---- */

/* Every key of m must be one of the NULL-terminated fields. */
int k8smig__rd_check_fields(mig_reader *r, const k8smig_value *m, const char *const *fields)
{
	const k8smig_value *e;
	size_t i;

	for (e = k8smig_value_first(m); e; e = k8smig_value_next(e)) {
		const char *key = k8smig_value_key(e);
		for (i = 0; fields[i]; i++)
			if (strcmp(fields[i], key) == 0)
				break;
		if (!fields[i]) {
			k8smig__buf known = K8SMIG__BUF_INIT;
			int rc;
			for (i = 0; fields[i]; i++)
				k8smig__buf_printf(&known, "%s%s", i ? ", " : "", fields[i]);
			if (known.failed) {
				k8smig__buf_free(&known);
				return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
			}
			rc = k8smig__rd_fail_at(r, key, "unknown field %s (known fields here: %s)", key,
			             known.len ? k8smig__buf_cstr(&known) : "none");
			k8smig__buf_free(&known);
			return rc;
		}
	}
	return 0;
}

int k8smig__rd_want_type(mig_reader *r, const k8smig_value *v, const char *key, k8smig_type t)
{
	if (k8smig_value_type(v) == t)
		return 0;
	if (t == K8SMIG_TYPE_STRING && k8smig_value_type(v) != K8SMIG_TYPE_MAP && k8smig_value_type(v) != K8SMIG_TYPE_LIST)
		return k8smig__rd_fail_at(r, key, "must be %s, not %s (quote it)", k8smig__rd_type_name(t), k8smig__rd_type_name(k8smig_value_type(v)));
	return k8smig__rd_fail_at(r, key, "must be %s, not %s", k8smig__rd_type_name(t), k8smig__rd_type_name(k8smig_value_type(v)));
}

bool k8smig__rd_holds_nul(const k8smig_value *v)
{
	return k8smig_value_type(v) == K8SMIG_TYPE_STRING && strlen(k8smig_value_str(v)) != k8smig_value_strlen(v);
}

const char *k8smig__rd_dup_str(mig_reader *r, const char *s)
{
	return s ? k8smig__spec_printf(r->spec, "%s", s) : NULL;
}

/* A string field; def when absent (may be NULL). Empty strings are errors. */
int k8smig__rd_str(mig_reader *r, const k8smig_value *m, const char *key, const char *def, const char **out)
{
	const k8smig_value *v = k8smig_value_lookup(m, key);
	int rc;

	if (!v) {
		*out = def;
		return 0;
	}
	if ((rc = k8smig__rd_want_type(r, v, key, K8SMIG_TYPE_STRING)) < 0)
		return rc;
	if (k8smig__rd_holds_nul(v))
		return k8smig__rd_fail_at(r, key, "must not hold a NUL character");
	if (!k8smig_value_str(v)[0])
		return k8smig__rd_fail_at(r, key, "must not be empty");
	if (strlen(k8smig_value_str(v)) > MIG_MAX_STRING)
		return k8smig__rd_fail_at(r, key, "must be at most %d characters", MIG_MAX_STRING);
	if (!(*out = k8smig__rd_dup_str(r, k8smig_value_str(v))))
		return K8SMIG_ENOMEM;
	return 0;
}

int k8smig__rd_required_str(mig_reader *r, const k8smig_value *m, const char *key, const char **out)
{
	int rc;

	if ((rc = k8smig__rd_str(r, m, key, NULL, out)) < 0)
		return rc;
	if (!*out)
		return k8smig__rd_fail_at(r, key, "%s is required", key);
	return 0;
}

int k8smig__rd_int(mig_reader *r, const k8smig_value *m, const char *key, int64_t def, int64_t min, int64_t max,
                   int64_t *out)
{
	const k8smig_value *v = k8smig_value_lookup(m, key);
	int rc;

	*out = def;
	if (!v)
		return 0;
	if ((rc = k8smig__rd_want_type(r, v, key, K8SMIG_TYPE_INT)) < 0)
		return rc;
	if (k8smig_value_int(v) < min || k8smig_value_int(v) > max)
		return k8smig__rd_fail_at(r, key, "must be between %lld and %lld", (long long)min, (long long)max);
	*out = k8smig_value_int(v);
	return 0;
}

int k8smig__rd_i32(mig_reader *r, const k8smig_value *m, const char *key, int32_t def, int32_t min, int32_t max,
                   int32_t *out)
{
	int64_t v;
	int rc = k8smig__rd_int(r, m, key, def, min, max, &v);
	*out = (int32_t)v;
	return rc;
}

int k8smig__rd_bool(mig_reader *r, const k8smig_value *m, const char *key, bool def, bool *out)
{
	const k8smig_value *v = k8smig_value_lookup(m, key);
	int rc;

	*out = def;
	if (!v)
		return 0;
	if ((rc = k8smig__rd_want_type(r, v, key, K8SMIG_TYPE_BOOL)) < 0)
		return rc;
	*out = k8smig_value_bool(v);
	return 0;
}

int k8smig__rd_factor(mig_reader *r, const k8smig_value *m, const char *key, double *out)
{
	const k8smig_value *v = k8smig_value_lookup(m, key);

	*out = 1.0;
	if (!v)
		return 0;
	if (k8smig_value_type(v) != K8SMIG_TYPE_INT && k8smig_value_type(v) != K8SMIG_TYPE_DOUBLE)
		return k8smig__rd_fail_at(r, key, "must be a number, not %s", k8smig__rd_type_name(k8smig_value_type(v)));
	*out = k8smig_value_double(v);
	if (!(*out > 0.0 && *out <= 100.0))
		return k8smig__rd_fail_at(r, key, "must be a number above 0 and at most 100");
	return 0;
}

/* A field of type t, a mapping or a list (NULL when absent). */
static int get_container(mig_reader *r, const k8smig_value *m, const char *key, k8smig_type t,
                         const k8smig_value **out)
{
	const k8smig_value *v = k8smig_value_lookup(m, key);

	*out = NULL;
	if (!v)
		return 0;
	if (k8smig_value_type(v) != t)
		return k8smig__rd_want_type(r, v, key, t);
	*out = v;
	return 0;
}

int k8smig__rd_map(mig_reader *r, const k8smig_value *m, const char *key, const k8smig_value **out)
{
	return get_container(r, m, key, K8SMIG_TYPE_MAP, out);
}

int k8smig__rd_list(mig_reader *r, const k8smig_value *m, const char *key, const k8smig_value **out)
{
	return get_container(r, m, key, K8SMIG_TYPE_LIST, out);
}

/* Items of a list that must all be mappings: checked as they are read. */
int k8smig__rd_item_map(mig_reader *r, const k8smig_value *item)
{
	if (k8smig_value_type(item) != K8SMIG_TYPE_MAP)
		return k8smig__rd_fail(r, "must be a mapping, not %s", k8smig__rd_type_name(k8smig_value_type(item)));
	return 0;
}

int k8smig__rd_str_list(mig_reader *r, const k8smig_value *m, const char *key, bool allow_empty, const char ***out)
{
	const k8smig_value *list, *it;
	const char **a;
	size_t old, i = 0;
	int rc;

	*out = NULL;
	if ((rc = k8smig__rd_list(r, m, key, &list)) < 0 || !list)
		return rc;
	if (!k8smig_value_size(list))
		return k8smig__rd_fail_at(r, key, "must not be an empty list (leave it out)");
	if (!(a = k8smig__spec_alloc(r->spec, (k8smig_value_size(list) + 1) * sizeof(*a))))
		return K8SMIG_ENOMEM;
	old = k8smig__rd_push_key(r, key);
	for (it = k8smig_value_first(list); it; it = k8smig_value_next(it), i++) {
		size_t o2 = k8smig__rd_push_index(r, i);
		if (k8smig_value_type(it) != K8SMIG_TYPE_STRING)
			rc = k8smig__rd_fail(r, "must be a string, not %s (quote it)", k8smig__rd_type_name(k8smig_value_type(it)));
		else if (k8smig__rd_holds_nul(it))
			rc = k8smig__rd_fail(r, "must not hold a NUL character");
		else if (!allow_empty && !k8smig_value_str(it)[0])
			rc = k8smig__rd_fail(r, "must not be empty");
		else if (strlen(k8smig_value_str(it)) > MIG_MAX_ARG)
			rc = k8smig__rd_fail(r, "must be at most %d characters", MIG_MAX_ARG);
		else if (!(a[i] = k8smig__rd_dup_str(r, k8smig_value_str(it))))
			rc = K8SMIG_ENOMEM;
		if (rc < 0)
			break;
		k8smig__rd_pop(r, o2);
	}
	k8smig__rd_pop(r, old);
	if (rc < 0)
		return rc;
	a[i] = NULL;
	*out = a;
	return 0;
}
