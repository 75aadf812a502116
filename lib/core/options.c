/*
 * lib/core/options.c - versioned option structs, checked in one place.
 *
 * An options struct starts with `unsigned int version` and only gains fields
 * at its end. A caller compiled against older headers passes an older (and
 * smaller) struct: every version from 1 up to the current one is accepted
 * (libgit2's rule), and only the bytes that version defined are read; the
 * fields it did not know keep their defaults.
 */
#include <string.h>

#include "core.h"

static int check(unsigned int version, size_t n_versions, const char *type)
{
	if (version == 0 || version > n_versions)
		return k8smig__error_set(K8SMIG_EINVAL, "version", "unknown %s version %u (this library knows 1 to %zu)",
		                         type, version, n_versions);
	return 0;
}

int k8smig__options_init(void *opts, unsigned int version, const void *def, const size_t *sizes, size_t n_versions,
                         const char *type)
{
	int rc;
	if (!opts)
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL %s", type);
	if ((rc = check(version, n_versions, type)) < 0)
		return rc;
	memcpy(opts, def, sizes[version - 1]);
	memcpy(opts, &version, sizeof(version));
	return 0;
}

int k8smig__options_load(void *dst, const void *src, const size_t *sizes, size_t n_versions, const char *type)
{
	unsigned int version;
	int rc;
	if (!src)
		return 0;
	memcpy(&version, src, sizeof(version));
	if ((rc = check(version, n_versions, type)) < 0)
		return rc;
	memcpy(dst, src, sizes[version - 1]);
	return 0;
}
