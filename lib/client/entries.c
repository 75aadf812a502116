/*
 * lib/client/entries.c - the result entries of diff and wait: an array of
 * public structs whose strings the library owns.
 */
#include <stdlib.h>
#include <string.h>

#include "lifecycle_int.h"

/* The string field at offset off of an item. */
static const char **field(void *item, size_t off) { return (const char **)(void *)((char *)item + off); }

int k8smig__entry_set(void *item, const size_t *offsets, const char *const *values, size_t n)
{
	size_t i;
	int rc = 0;
	for (i = 0; i < n; i++) {
		const char **f = field(item, offsets[i]);
		free((char *)*f);
		if (!(*f = k8smig__strdup(values[i] ? values[i] : "")))
			rc = k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	}
	return rc;
}

void k8smig__entries_free(void *items, size_t count, size_t size, const size_t *offsets, size_t n)
{
	size_t i, j;
	for (i = 0; items && i < count; i++)
		for (j = 0; j < n; j++)
			free((char *)*field((char *)items + i * size, offsets[j]));
	free(items);
}
