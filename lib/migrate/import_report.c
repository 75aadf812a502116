/*
 * lib/migrate/import_report.c - the migration report of an import: entries
 * (mapped, approximated, dropped, to decide), as JSON and as a terminal
 * summary. Order: system-wide entries first, then each service in spec
 * order; inside those, the order the fields were read (inputs as added,
 * fields in document order), so the same inputs give the same bytes.
 */
#include <stdio.h>
#include <stdlib.h>

#include "import.h"

static const char *const status_names[] = { "mapped", "approximated", "dropped", "decide" };

int k8smig__imp_entry(k8smig_import *imp, const char *service, imp_status st, const char *source, const char *target,
                      const char *fmt, ...)
{
	imp_entry *e;
	va_list ap;

	if (imp->n_entries == imp->cap_entries && k8smig__array_grow(&imp->entries, &imp->cap_entries, 64, sizeof(*imp->entries)) < 0)
		return K8SMIG_ENOMEM;
	e = &imp->entries[imp->n_entries];
	memset(e, 0, sizeof(*e));
	e->status = st;
	va_start(ap, fmt);
	e->note = k8smig__vstrdupf(fmt, ap);
	va_end(ap);
	e->service = service ? k8smig__strdup(service) : NULL;
	e->source = k8smig__strdup(source ? source : "");
	e->target = target ? k8smig__strdup(target) : NULL;
	if (!e->note || !e->source || (service && !e->service) || (target && !e->target)) {
		free(e->note);
		free(e->service);
		free(e->source);
		free(e->target);
		return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	}
	imp->n_entries++;
	return 0;
}

/* service rank: -1 for system-wide, else its index in the spec, else after them all */
static long rank_of(const k8smig_import *imp, const char *service)
{
	size_t i;

	if (!service)
		return -1;
	for (i = 0; i < imp->n_services; i++)
		if (strcmp(imp->services[i], service) == 0)
			return (long)i;
	return (long)imp->n_services;
}

typedef struct ranked {
	long rank;
	size_t index;
} ranked;

static int cmp_ranked(const void *a, const void *b)
{
	const ranked *x = a, *y = b;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

static ranked *sorted(const k8smig_import *imp)
{
	ranked *r = malloc((imp->n_entries ? imp->n_entries : 1) * sizeof(*r));
	size_t i;

	if (!r)
		return NULL;
	for (i = 0; i < imp->n_entries; i++) {
		r[i].rank = rank_of(imp, imp->entries[i].service);
		r[i].index = i;
	}
	qsort(r, imp->n_entries, sizeof(*r), cmp_ranked);
	return r;
}

void k8smig_import_report_counts(const k8smig_import *imp, size_t counts_out[4])
{
	size_t i;

	if (!counts_out)
		return;
	counts_out[0] = counts_out[1] = counts_out[2] = counts_out[3] = 0;
	if (!imp)
		return;
	for (i = 0; i < imp->n_entries; i++)
		counts_out[imp->entries[i].status]++;
}

static int report_json(char **out, size_t *len_out, const k8smig_import *imp, const ranked *order)
{
	k8smig_emit_options eo = K8SMIG_EMIT_OPTIONS_INIT;
	k8smig_object *o = NULL;
	size_t counts[4], i, k;
	char path[64];
	int rc;

	k8smig_import_report_counts(imp, counts);
	TRY(k8smig_object_new(&o, NULL, NULL));
	TRY(k8smig_object_set_str(o, "system", imp->name ? imp->name : ""));
	for (i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), "summary.%s", status_names[i]);
		TRY(k8smig_object_set_int(o, path, (int64_t)counts[i]));
	}
	TRY(k8smig_object_set_list(o, "services"));
	for (i = 0; i < imp->n_services; i++)
		TRY(k8smig_object_append_str(NULL, o, "services", imp->services[i]));
	TRY(k8smig_object_set_list(o, "entries"));
	for (k = 0; k < imp->n_entries; k++) {
		const imp_entry *e = &imp->entries[order[k].index];
		TRY(k8smig_object_append_map(&i, o, "entries"));
		snprintf(path, sizeof(path), "entries[%zu].service", i);
		TRY(e->service ? k8smig_object_set_str(o, path, e->service) : k8smig_object_set_null(o, path));
		snprintf(path, sizeof(path), "entries[%zu].status", i);
		TRY(k8smig_object_set_str(o, path, status_names[e->status]));
		snprintf(path, sizeof(path), "entries[%zu].source", i);
		TRY(k8smig_object_set_str(o, path, e->source));
		snprintf(path, sizeof(path), "entries[%zu].target", i);
		TRY(e->target ? k8smig_object_set_str(o, path, e->target) : k8smig_object_set_null(o, path));
		snprintf(path, sizeof(path), "entries[%zu].note", i);
		TRY(k8smig_object_set_str(o, path, e->note));
	}
	eo.format = K8SMIG_FORMAT_JSON;
	TRY(k8smig_object_emit(out, len_out, o, &eo));
fail:
	k8smig_object_free(o);
	return rc;
}

static int report_text(char **out, size_t *len_out, const k8smig_import *imp, const ranked *order)
{
	k8smig__buf b = { 0 };
	size_t counts[4], k;
	long last = -2;
	int rc = 0;

	k8smig_import_report_counts(imp, counts);
	if (k8smig__buf_printf(&b, "import of %s: %zu mapped, %zu approximated, %zu dropped, %zu to decide\n",
	                       imp->name ? imp->name : "?", counts[0], counts[1], counts[2], counts[3]) < 0)
		goto nomem;
	for (k = 0; k < imp->n_entries; k++) {
		const imp_entry *e = &imp->entries[order[k].index];
		if (order[k].rank != last) {
			last = order[k].rank;
			if (k8smig__buf_printf(&b, "\n%s\n", e->service ? e->service : "(system)") < 0)
				goto nomem;
		}
		if (k8smig__buf_printf(&b, "  %-12s %s\n", status_names[e->status], e->source[0] ? e->source : "(not in ECS)") < 0 ||
		    (e->target && k8smig__buf_printf(&b, "               -> %s\n", e->target) < 0) ||
		    (e->note[0] && k8smig__buf_printf(&b, "               %s\n", e->note) < 0))
			goto nomem;
	}
	if (!(*out = k8smig__buf_detach(&b, len_out)))
		goto nomem;
	return rc;
nomem:
	k8smig__buf_free(&b);
	return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
}

static int put_html(k8smig__buf *b, const char *s)
{
	for (; *s; s++) {
		const char *e = *s == '<' ? "&lt;" : *s == '>' ? "&gt;" : *s == '&' ? "&amp;" : *s == '"' ? "&quot;" : NULL;
		if (e ? k8smig__buf_puts(b, e) < 0 : k8smig__buf_putc(b, *s) < 0)
			return -1;
	}
	return 0;
}

/* One page, no external resources: a table per service, a row per entry, coloured by status. */
static int report_html(char **out, size_t *len_out, const k8smig_import *imp, const ranked *order)
{
	static const char *const colours[] = { "#e6f4ea", "#fff4d6", "#fde2e1", "#e3ecfb" };
	k8smig__buf b = { 0 };
	size_t counts[4], k, i;
	long last = -2;

	k8smig_import_report_counts(imp, counts);
	if (k8smig__buf_puts(&b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Migration report: ") < 0 ||
	    put_html(&b, imp->name ? imp->name : "") < 0 ||
	    k8smig__buf_puts(&b, "</title>\n<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;width:100%;"
	                         "margin-bottom:2em}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}"
	                         "code{font-size:90%}") < 0)
		goto nomem;
	for (i = 0; i < 4; i++)
		if (k8smig__buf_printf(&b, ".%s{background:%s}", status_names[i], colours[i]) < 0)
			goto nomem;
	if (k8smig__buf_puts(&b, "</style></head><body>\n<h1>Migration report: ") < 0 || put_html(&b, imp->name ? imp->name : "") < 0 ||
	    k8smig__buf_puts(&b, "</h1>\n<p>") < 0)
		goto nomem;
	for (i = 0; i < 4; i++)
		if (k8smig__buf_printf(&b, "<span class=\"%s\">&nbsp;%zu %s&nbsp;</span> ", status_names[i], counts[i], status_names[i]) < 0)
			goto nomem;
	if (k8smig__buf_puts(&b, "</p>\n") < 0)
		goto nomem;
	for (k = 0; k < imp->n_entries; k++) {
		const imp_entry *e = &imp->entries[order[k].index];
		if (order[k].rank != last) {
			if (last != -2 && k8smig__buf_puts(&b, "</table>\n") < 0)
				goto nomem;
			last = order[k].rank;
			if (k8smig__buf_puts(&b, "<h2 id=\"") < 0 || put_html(&b, e->service ? e->service : "system") < 0 ||
			    k8smig__buf_puts(&b, "\">") < 0 || put_html(&b, e->service ? e->service : "System") < 0 ||
			    k8smig__buf_puts(&b, "</h2>\n<table><tr><th>status</th><th>source field</th><th>target</th><th>note</th></tr>\n") < 0)
				goto nomem;
		}
		if (k8smig__buf_printf(&b, "<tr class=\"%s\"><td>%s</td><td><code>", status_names[e->status],
		                       status_names[e->status]) < 0 ||
		    put_html(&b, e->source[0] ? e->source : "(not in ECS)") < 0 || k8smig__buf_puts(&b, "</code></td><td><code>") < 0 ||
		    put_html(&b, e->target ? e->target : "") < 0 || k8smig__buf_puts(&b, "</code></td><td>") < 0 ||
		    put_html(&b, e->note) < 0 || k8smig__buf_puts(&b, "</td></tr>\n") < 0)
			goto nomem;
	}
	if ((last != -2 && k8smig__buf_puts(&b, "</table>\n") < 0) || k8smig__buf_puts(&b, "</body></html>\n") < 0)
		goto nomem;
	if (!(*out = k8smig__buf_detach(&b, len_out)))
		goto nomem;
	return 0;
nomem:
	k8smig__buf_free(&b);
	return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
}

int k8smig_import_report(char **out, size_t *len_out, const k8smig_import *imp, k8smig_import_report_format format)
{
	ranked *order;
	char *text = NULL;
	size_t len = 0;
	int rc;

	if (!out)
		return k8smig__error_set(K8SMIG_EINVAL, "", "out is NULL");
	*out = NULL;
	if (!imp || !imp->built)
		return k8smig__error_set(K8SMIG_EINVAL, "", "the import is not built (k8smig_import_build)");
	if (format != K8SMIG_IMPORT_REPORT_JSON && format != K8SMIG_IMPORT_REPORT_TEXT && format != K8SMIG_IMPORT_REPORT_HTML)
		return k8smig__error_set(K8SMIG_EINVAL, "", "unknown report format %d", (int)format);
	if (!(order = sorted(imp)))
		return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	rc = format == K8SMIG_IMPORT_REPORT_JSON   ? report_json(&text, &len, imp, order)
	     : format == K8SMIG_IMPORT_REPORT_TEXT ? report_text(&text, &len, imp, order)
	                                           : report_html(&text, &len, imp, order);
	free(order);
	if (rc < 0)
		return rc;
	*out = text;
	if (len_out)
		*len_out = len;
	return 0;
}
