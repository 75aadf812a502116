/*
 * lib/serialize/write_file.c - k8smig_object_list_write_file: a list to a
 * file, all or nothing (a temporary in the same directory, renamed over the
 * target once everything is written).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/core.h"

static int write_fd(const char *data, size_t len, void *payload)
{
	int fd = *(int *)payload;
	while (len) {
		ssize_t n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

static int io_error(const char *path, const char *what, int err)
{
	int rc = k8smig__error_set(K8SMIG_EIO, "", "cannot %s: %s", what, strerror(err));
	k8smig__error_set_file(path);
	return rc;
}

int k8smig_object_list_write_file(const k8smig_object_list *list, const char *path, const k8smig_emit_options *opts)
{
	char *tmp;
	size_t n;
	struct stat st;
	int fd, rc;

	if (!list || !path || !*path)
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL list or path");
	n = strlen(path) + 16;
	if (!(tmp = malloc(n)))
		return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	snprintf(tmp, n, "%s.tmp.XXXXXX", path);
	if ((fd = mkstemp(tmp)) < 0) {
		rc = io_error(path, "create", errno);
		free(tmp);
		return rc;
	}
	errno = 0;
	rc = k8smig_object_list_write(list, opts, write_fd, &fd);
	if (rc == K8SMIG_EIO) /* the callback stopped: say why */
		rc = io_error(path, "write", errno ? errno : EIO);
	/* a replaced file keeps its mode; a new one gets rw-r--r-- (mkstemp made it 0600) */
	if (rc == 0 && fchmod(fd, stat(path, &st) == 0 ? st.st_mode & 07777 : 0644) < 0)
		rc = io_error(path, "set the mode of", errno);
	if (close(fd) < 0 && rc == 0)
		rc = io_error(path, "write", errno);
	if (rc == 0 && rename(tmp, path) < 0)
		rc = io_error(path, "replace", errno);
	if (rc < 0)
		unlink(tmp);
	free(tmp);
	return rc;
}
