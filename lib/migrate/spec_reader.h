/*
 * lib/migrate/spec_reader.h - the typed reader the spec's schema (spec.c)
 * is written with (spec_reader.c).
 *
 * Every reader of a field takes the map m at the current path and a key;
 * an absent field gives the default, a present one must have the type and
 * range asked for. Failures are K8SMIG_ESCHEMA at the field's path, file,
 * line and column.
 */
#ifndef K8SMIG_LIB_SPEC_READER_H
#define K8SMIG_LIB_SPEC_READER_H

#include <stdarg.h>

#include "migrate.h"

typedef struct mig_reader {
	k8smig_spec *spec;          /* copied strings live here */
	const char *file;           /* for errors, or NULL */
	int doc_line;               /* the document's line, when a path has none */
	mig_lines *lines;
	k8smig__buf path;           /* the field being read */
} mig_reader;

/* ---- errors and the path ---- */

/** The current path ("" at the root). */
const char *k8smig__rd_path(mig_reader *r);
/** Fail at the current path. @return K8SMIG_ESCHEMA (K8SMIG_ENOMEM when the path could not be kept) */
int k8smig__rd_failv(mig_reader *r, const char *fmt, va_list ap);
int k8smig__rd_fail(mig_reader *r, const char *fmt, ...) K8SMIG__PRINTF(2, 3);
/** Fail at field key below the current path. */
int k8smig__rd_fail_at(mig_reader *r, const char *key, const char *fmt, ...) K8SMIG__PRINTF(3, 4);
/** Path steps: each returns the old length, to pop back to. */
size_t k8smig__rd_push_key(mig_reader *r, const char *key);
size_t k8smig__rd_push_index(mig_reader *r, size_t i);
void k8smig__rd_pop(mig_reader *r, size_t len);
/** "a string", "an integer", ... for messages. */
const char *k8smig__rd_type_name(k8smig_type t);

/* ---- typed fields of the map m at the current path ---- */

/** Every key of m must be one of the NULL-terminated fields (the error lists them). */
int k8smig__rd_check_fields(mig_reader *r, const k8smig_value *m, const char *const *fields);
int k8smig__rd_want_type(mig_reader *r, const k8smig_value *v, const char *key, k8smig_type t);
/** A copy of s in the spec's memory (NULL for NULL, or with ENOMEM set). */
/* A string holding a NUL ("a\0b" in YAML): its C string would be cut short
 * (a service "x\0y" would become "x"), so the spec refuses it everywhere. */
bool k8smig__rd_holds_nul(const k8smig_value *v);
const char *k8smig__rd_dup_str(mig_reader *r, const char *s);
/*
 * The longest string field of a spec (names, ARNs, paths, images, ...; ConfigMap and env values
 * are not limited). Every AWS and Kubernetes identifier the spec holds fits, and so every text
 * the planner composes from them fits its buffer: nothing is cut short.
 */
#define MIG_MAX_STRING 256

/** A string field; def when absent (may be NULL). Empty strings and strings over MIG_MAX_STRING are errors. */
int k8smig__rd_str(mig_reader *r, const k8smig_value *m, const char *key, const char *def, const char **out);
int k8smig__rd_required_str(mig_reader *r, const k8smig_value *m, const char *key, const char **out);
/** An integer field in [min, max]; def when absent. */
int k8smig__rd_int(mig_reader *r, const k8smig_value *m, const char *key, int64_t def, int64_t min, int64_t max,
                   int64_t *out);
int k8smig__rd_i32(mig_reader *r, const k8smig_value *m, const char *key, int32_t def, int32_t min, int32_t max,
                   int32_t *out);
int k8smig__rd_bool(mig_reader *r, const k8smig_value *m, const char *key, bool def, bool *out);
/** A number in (0, 100]; 1 when absent. */
int k8smig__rd_factor(mig_reader *r, const k8smig_value *m, const char *key, double *out);
/** A mapping or list field (NULL when absent). */
int k8smig__rd_map(mig_reader *r, const k8smig_value *m, const char *key, const k8smig_value **out);
int k8smig__rd_list(mig_reader *r, const k8smig_value *m, const char *key, const k8smig_value **out);
/** The longest item of a string list (command, args, exec probes: shell scripts fit). */
#define MIG_MAX_ARG 4096
/**
 * A list of strings (command, args): NULL when absent, else a NULL-terminated
 * array in the spec's memory. An empty list, a non-string item, a NUL or an
 * item over MIG_MAX_ARG is an error at the item's path; items may be empty
 * only when allow_empty (args may pass "").
 */
int k8smig__rd_str_list(mig_reader *r, const k8smig_value *m, const char *key, bool allow_empty, const char ***out);
/** A list item that must be a mapping (at the current path). */
int k8smig__rd_item_map(mig_reader *r, const k8smig_value *item);

#endif
