/*
 * lib/migrate/generate.c - k8smig_generate(): plan the whole tree into a
 * file set (plan_tree.c), then write it atomically.
 *
 * The whole tree is built in memory first (a bad spec never gets here, and
 * an emitter failure writes nothing). Then only the files whose bytes differ
 * are written into a temporary directory on the same file system (each
 * fsync'ed) and renamed into place; rename() replaces a file atomically, so
 * a reader sees the old or the new file, never half of one. A tree that does
 * not exist yet appears all at once: the temporary directory itself is
 * renamed to it.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "migrate.h"

/* ---- file system helpers ---- */

static int io_error(const char *what, const char *file, int err)
{
	k8smig__error_set(K8SMIG_EIO, "", "%s: %s", what, strerror(err));
	k8smig__error_set_file(file);
	return K8SMIG_EIO;
}

static char *join(const char *dir, const char *rel)
{
	size_t a = strlen(dir), b = strlen(rel);
	char *p = malloc(a + b + 2);

	if (!p) {
		k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
		return NULL;
	}
	memcpy(p, dir, a);
	p[a] = '/';
	memcpy(p + a + 1, rel, b + 1);
	return p;
}

/* mkdir -p of the directory part of path (the last component is a file). */
static int make_parents(const char *path)
{
	char *p = k8smig__strdup(path), *s;
	int rc = 0;

	if (!p)
		return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	for (s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0755) < 0 && errno != EEXIST) {
			rc = io_error("cannot create directory", p, errno);
			break;
		}
		*s = '/';
	}
	free(p);
	return rc;
}

static int fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	if (fd >= 0) {
		(void)fsync(fd); /* best effort: some file systems refuse fsync on directories */
		close(fd);
	}
	return 0;
}

static int parent_fsync(const char *path)
{
	char *p = k8smig__strdup(path), *slash;

	if (!p)
		return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	slash = strrchr(p, '/');
	if (slash && slash != p)
		*slash = '\0';
	else
		strcpy(p, slash ? "/" : ".");
	fsync_dir(p);
	free(p);
	return 0;
}

static int write_file(const char *path, const char *data, size_t len)
{
	size_t done = 0;
	int fd, rc;

	if ((rc = make_parents(path)) < 0)
		return rc;
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644)) < 0)
		return io_error("cannot create", path, errno);
	while (done < len) {
		ssize_t n = write(fd, data + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int err = n < 0 ? errno : EIO;
			close(fd);
			return io_error("cannot write", path, err);
		}
		done += (size_t)n;
	}
	if (fsync(fd) < 0) {
		int err = errno;
		close(fd);
		return io_error("cannot sync", path, err);
	}
	if (close(fd) < 0)
		return io_error("cannot close", path, errno);
	return 0;
}

/* Compare a file with the bytes it should hold. */
static k8smig_change compare(const char *path, const char *data, size_t len)
{
	char buf[65536];
	size_t off = 0;
	k8smig_change change = K8SMIG_CHANGE_NONE;
	FILE *f = fopen(path, "rb");

	if (!f)
		return K8SMIG_CHANGE_CREATE;
	for (;;) {
		size_t n = fread(buf, 1, sizeof(buf), f);
		if (n == 0)
			break;
		if (off + n > len || memcmp(buf, data + off, n) != 0) {
			change = K8SMIG_CHANGE_UPDATE;
			break;
		}
		off += n;
	}
	if (ferror(f) || (change == K8SMIG_CHANGE_NONE && off != len))
		change = K8SMIG_CHANGE_UPDATE;
	fclose(f);
	return change;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

static void remove_tree(const char *dir)
{
	nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* A new temporary directory beside (or, when it exists, inside) the target. */
static char *make_temp_dir(const char *base)
{
	char *t = join(base, ".k8smig-generate-XXXXXX");

	if (!t)
		return NULL;
	if (!mkdtemp(t)) {
		io_error("cannot create a temporary directory", t, errno);
		free(t);
		return NULL;
	}
	return t;
}

static bool is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* lstat each existing component of path p that ends at or after byte `from` (those before
 * are taken as named): a symbolic link is refused and, with `kinds`, anything but a directory
 * on the way or a regular file at the end. Stops at the first component not there yet (it will
 * be created). p is modified while walking and restored. */
static int refuse_on_the_way(char *p, size_t from, bool kinds)
{
	char *s;
	for (s = p + from;; s++) {
		if (*s == '/' || *s == '\0') {
			struct stat st;
			char c = *s;
			*s = '\0';
			if (lstat(p, &st) < 0) {
				*s = c;
				return 0;
			}
			if (S_ISLNK(st.st_mode)) {
				k8smig__error_set(K8SMIG_EIO, "", "is a symbolic link: generate writes only into the directory named, "
				                                  "never through a link");
				k8smig__error_set_file(p);
				return K8SMIG_EIO;
			}
			/* a FIFO where a file goes would block the comparison's read forever; a
			   directory there (or a file where a directory goes) would fail a rename
			   after others were done: refused before anything is written */
			if (kinds && (c ? !S_ISDIR(st.st_mode) : !S_ISREG(st.st_mode))) {
				k8smig__error_set(K8SMIG_EIO, "", c ? "is not a directory: generate puts a directory here"
				                                    : "is not a regular file: generate writes a file here");
				k8smig__error_set_file(p);
				return K8SMIG_EIO;
			}
			*s = c;
			if (!c)
				return 0;
		}
	}
}

/* A symbolic link planted in the output tree (k8s/base -> elsewhere) would make the writes
 * below land outside it: every component of rel below dir that exists must be a plain
 * directory (the file itself: a plain file). The checkout is not expected to change while
 * generate runs. */
static int refuse_links(const char *dir, const char *rel)
{
	char *p = join(dir, rel);
	int rc;
	if (!p)
		return K8SMIG_ENOMEM;
	rc = refuse_on_the_way(p, strlen(dir) + 1, true);
	free(p);
	return rc;
}

/* The output directory itself: a relative out_dir lies in the working directory, where a
 * checkout could plant a link at any of its components (generate -o deploy/k8s with
 * deploy -> /etc), so no existing component may be a link; an absolute out_dir was named by
 * the caller and is taken as named, but for its last component. */
static int refuse_dir_links(const char *out_dir)
{
	char *p = k8smig__strdup(out_dir);
	size_t n;
	int rc;

	if (!p)
		return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	for (n = strlen(p); n > 1 && p[n - 1] == '/'; n--)
		p[n - 1] = '\0'; /* "k8s/" would follow the link */
	rc = refuse_on_the_way(p, p[0] == '/' ? n : 1, false);
	free(p);
	return rc;
}

/* ---- k8smig_generate ---- */

int k8smig_generate_options_init(k8smig_generate_options *opts, unsigned int version)
{
	k8smig_generate_options def = K8SMIG_GENERATE_OPTIONS_INIT;

	if (!opts || version != K8SMIG_GENERATE_OPTIONS_VERSION)
		return k8smig__error_set(K8SMIG_EINVAL, "version", "unknown options version");
	*opts = def;
	return 0;
}

/* The whole tree out_dir does not have yet: build it beside, then one rename. */
static int write_new_tree(const mig_files *fs, const char *out_dir)
{
	char *parent = k8smig__strdup(out_dir), *slash, *tmp = NULL, *p;
	size_t i;
	int rc = 0;

	if (!parent)
		return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	/* strip trailing slashes, then the last component */
	for (i = strlen(parent); i > 1 && parent[i - 1] == '/'; i--)
		parent[i - 1] = '\0';
	slash = strrchr(parent, '/');
	if (!slash)
		strcpy(parent, ".");
	else if (slash == parent)
		parent[1] = '\0';
	else
		*slash = '\0';
	if (!is_dir(parent)) {
		char *probe = join(parent, "x");
		rc = probe ? make_parents(probe) : K8SMIG_ENOMEM;
		free(probe);
		if (rc < 0)
			goto done;
	}
	if (!(tmp = make_temp_dir(parent))) {
		rc = k8smig_error_last()->code;
		goto done;
	}
	chmod(tmp, 0755); /* mkdtemp makes it 0700; it becomes the tree's root */
	for (i = 0; i < fs->n; i++) {
		if (!(p = join(tmp, fs->items[i].path))) {
			rc = K8SMIG_ENOMEM;
			goto done;
		}
		rc = write_file(p, fs->items[i].data, fs->items[i].len);
		free(p);
		if (rc < 0)
			goto done;
	}
	if (rename(tmp, out_dir) < 0) {
		rc = io_error("cannot move the new tree into place", out_dir, errno);
		goto done;
	}
	fsync_dir(parent);
	free(tmp);
	tmp = NULL;
done:
	if (tmp) {
		remove_tree(tmp);
		free(tmp);
	}
	free(parent);
	return rc;
}

/* Does the directory of path exist? (no allocation) */
static bool parent_exists(char *path)
{
	char *slash = strrchr(path, '/');
	bool yes;

	if (!slash)
		return true;
	*slash = '\0';
	yes = is_dir(path);
	*slash = '/';
	return yes;
}

/* Remove what update_tree() left in tmp: the files not moved (from[i]), then every directory
 * up to tmp. No allocation (nftw allocates), so it also runs when memory has run out. */
static void remove_written(char **from, size_t n, const char *tmp)
{
	size_t i, base = strlen(tmp);
	char *s;

	for (i = 0; i < n; i++) {
		if (!from[i])
			continue;
		unlink(from[i]); /* already renamed into place: nothing there */
		while ((s = strrchr(from[i], '/')) && (size_t)(s - from[i]) > base) {
			*s = '\0';
			rmdir(from[i]); /* fails while another file or directory is still inside */
		}
	}
	rmdir(tmp);
}

/* Update an existing tree: write the changed files beside, then rename each into place. Every
 * path is made before the first rename, so from then on only a rename itself (or creating the
 * directory of a file in a new directory) can fail: running out of memory never leaves a tree
 * that is half old, half new when the file set stays in its directories. */
static int update_tree(const mig_files *fs, const k8smig_change *changes, const char *out_dir)
{
	char *tmp = make_temp_dir(out_dir), **from = NULL, **to = NULL;
	size_t i;
	int rc = 0;

	if (!tmp)
		return k8smig_error_last()->code;
	if (!(from = calloc(fs->n ? fs->n : 1, sizeof(*from))) || !(to = calloc(fs->n ? fs->n : 1, sizeof(*to))))
		rc = k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	/* everything first, so a full disk fails before any file is replaced */
	for (i = 0; i < fs->n && rc == 0; i++) {
		if (changes[i] == K8SMIG_CHANGE_NONE)
			continue;
		if (!(from[i] = join(tmp, fs->items[i].path)) || !(to[i] = join(out_dir, fs->items[i].path)))
			rc = K8SMIG_ENOMEM;
		else
			rc = write_file(from[i], fs->items[i].data, fs->items[i].len);
	}
	for (i = 0; i < fs->n && rc == 0; i++) {
		if (!from[i])
			continue;
		if (!parent_exists(to[i]) && (rc = make_parents(to[i])) < 0)
			break; /* only a file in a new directory needs an allocation here */
		if (rename(from[i], to[i]) < 0)
			rc = io_error("cannot replace", to[i], errno);
		else
			parent_fsync(to[i]);
	}
	if (from)
		remove_written(from, fs->n, tmp);
	else
		remove_tree(tmp);
	for (i = 0; from && i < fs->n; i++)
		free(from[i]);
	for (i = 0; to && i < fs->n; i++)
		free(to[i]);
	free(from);
	free(to);
	free(tmp);
	return rc;
}

int k8smig_generate(size_t *changed_out, const k8smig_spec *spec, const char *out_dir,
                    const k8smig_generate_options *opts)
{
	k8smig_generate_options o = K8SMIG_GENERATE_OPTIONS_INIT;
	mig_files fs = { 0 };
	k8smig_change *changes = NULL;
	size_t i, changed = 0;
	bool exists;
	int rc;

	if (changed_out)
		*changed_out = 0;
	if (!spec || !out_dir || !*out_dir)
		return k8smig__error_set(K8SMIG_EINVAL, "", "spec or out_dir is missing");
	if (opts) {
		if (opts->version != K8SMIG_GENERATE_OPTIONS_VERSION)
			return k8smig__error_set(K8SMIG_EINVAL, "version", "unknown options version");
		o = *opts;
	}
	if ((rc = k8smig__plan_tree(&fs, spec)) < 0)
		goto done;
	k8smig__files_sort(&fs);
	if (!(changes = calloc(fs.n ? fs.n : 1, sizeof(*changes)))) {
		rc = k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
		goto done;
	}
	if ((rc = refuse_dir_links(out_dir)) < 0)
		goto done;
	exists = is_dir(out_dir);
	for (i = 0; i < fs.n; i++) {
		if (exists) {
			char *p;
			if ((rc = refuse_links(out_dir, fs.items[i].path)) < 0)
				goto done;
			p = join(out_dir, fs.items[i].path);
			if (!p) {
				rc = K8SMIG_ENOMEM;
				goto done;
			}
			changes[i] = compare(p, fs.items[i].data, fs.items[i].len);
			free(p);
		} else {
			changes[i] = K8SMIG_CHANGE_CREATE;
		}
		if (changes[i] != K8SMIG_CHANGE_NONE)
			changed++;
	}
	if (!(o.flags & K8SMIG_GENERATE_CHECK) && changed) {
		if (exists)
			rc = update_tree(&fs, changes, out_dir);
		else
			rc = write_new_tree(&fs, out_dir);
		if (rc < 0)
			goto done;
	}
	if (o.on_file)
		for (i = 0; i < fs.n; i++)
			if (o.on_file(fs.items[i].path, changes[i], o.payload) != 0) {
				rc = k8smig__error_set(K8SMIG_ERROR, "", "stopped by the callback");
				goto done;
			}
	if (changed_out)
		*changed_out = changed;
done:
	free(changes);
	k8smig__files_free(&fs);
	return rc;
}
