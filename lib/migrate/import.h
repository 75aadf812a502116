/*
 * lib/migrate/import.h - the ECS and Terraform importers' internals.
 *
 *   import_ecs.c     inputs, and the mapping of task definitions, services
 *                    and autoscaling to a spec document
 *   import_tf.c      terraform show -json: resources (modules included)
 *                    turned into the inputs the ECS mapping reads, plus
 *                    the facts only Terraform has (routes, alarms, ...)
 *   import_report.c  the report entries, as JSON and as text
 */
#ifndef K8SMIG_LIB_IMPORT_H
#define K8SMIG_LIB_IMPORT_H

#include "migrate.h"
#include "k8smig/import.h"

typedef enum imp_status { IMP_MAPPED = 0, IMP_APPROX = 1, IMP_DROPPED = 2, IMP_DECIDE = 3 } imp_status;

typedef struct imp_entry {
	char *service;   /* spec service name, or NULL for system-wide entries */
	imp_status status;
	char *source;    /* "file:json.path" */
	char *target;    /* spec path -> object path, or NULL */
	char *note;      /* how / why */
} imp_entry;

typedef struct imp_input {
	k8smig_import_kind kind;
	char *source;          /* file name, "<input N>", or "file:resource address" */
	k8smig_object *doc;    /* in the shape the AWS CLI prints */
	char *prefix;          /* JSON path of doc's root inside the source ("" or "values.root_module...") */
} imp_input;

struct k8smig_import {
	char *name;
	k8smig_object *base;
	imp_input *inputs;
	size_t n_inputs, cap_inputs;
	imp_entry *entries;
	size_t n_entries, cap_entries;
	char **services;       /* spec service names, in spec order (for the report) */
	size_t n_services;
	k8smig_object *tf;     /* facts from Terraform only (import_tf.c), or NULL */
	bool built;
	int n_added;
};

/** Record a report entry (strings copied; target and note may be NULL). */
int k8smig__imp_entry(k8smig_import *imp, const char *service, imp_status st, const char *source, const char *target,
                      const char *fmt, ...) K8SMIG__PRINTF(6, 7);
/** Add a parsed input, taking doc (freed on failure). */
int k8smig__imp_add_doc(k8smig_import *imp, k8smig_import_kind kind, k8smig_object *doc, const char *source,
                        const char *prefix);
/** Terraform: turn the state's resources into inputs and imp->tf (import_tf.c). Takes doc. */
int k8smig__imp_terraform(k8smig_import *imp, k8smig_object *doc, const char *source);
/** Fail with K8SMIG_ESCHEMA at a JSON path of a source. */
int k8smig__imp_fail(const char *source, const char *path, const char *fmt, ...) K8SMIG__PRINTF(3, 4);

#endif
