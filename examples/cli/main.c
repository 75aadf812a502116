/*
 * examples/cli/main.c - the k8smig command: subcommand dispatch.
 *
 * Built on the public API only; it is the main example of using libk8smig.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: k8smig <command> [options]\n"
	        "\n"
	        "commands:\n"
	        "  version                 print the library and command versions\n"
	        "  fmt [-o yaml|json] [FILE|-]...\n"
	        "                          parse Kubernetes YAML/JSON and print it canonically\n"
	        "  apply -f PATH [options] server-side apply files or directories, in dependency order\n"
	        "  validate [-o text|json] FILE|DIR...\n"
	        "                          check a set of manifests; exit 1 on error findings\n"
	        "  generate [--spec FILE] [-o DIR] [--check]\n"
	        "                          write the migration tree (k8s/, aws/, CI) from a spec\n"
	        "  render [-o yaml|json] DIR\n"
	        "                          build a kustomization directory (like kubectl kustomize)\n"
	        "  apply ... --applyset NAME [--prune] [--wait] [--atomic]\n"
	        "                          apply as an ApplySet, prune, wait until rolled out, roll back on failure\n"
	        "  diff -f PATH|-k DIR     what apply would change (exit 1 when something would)\n"
	        "  wait -f PATH|-k DIR|--applyset NAME\n"
	        "                          wait until a set has rolled out; say why not on timeout\n"
	        "  delete -f PATH|-k DIR|--applyset NAME\n"
	        "                          delete a set in reverse dependency order and wait until it is gone\n"
	        "  history --applyset NAME list the recorded revisions of an applyset\n"
	        "  rollback --applyset NAME [--to N]\n"
	        "                          re-apply a recorded revision and prune what it lacks\n"
	        "  completion bash|zsh     print a shell completion script\n"
	        "\n"
	        "every command takes --help (-h); options have long forms (--filename, --output, ...)\n"
	        "  import-ecs --task-definition FILE... [--services F] [--scalable-targets F]\n"
	        "             [--scaling-policies F] [--spec-out F] [-o DIR] [--report F]\n"
	        "                          import the running ECS system (AWS CLI JSON) into a spec\n"
	        "  import-terraform --state FILE [--spec-out F] [-o DIR] [--report F]\n"
	        "                          the same from terraform show -json\n"
	        "\n"
	        "exit status: 0 success, 1 failure (bad input, failed operation), 2 usage error\n");
}

void cli_print_error(const char *fallback_file)
{
	const k8smig_error *e = k8smig_error_last();
	const char *file = e->file[0] ? e->file : fallback_file;

	if (file && e->line)
		fprintf(stderr, "%s:%d:%d: %s", file, e->line, e->column, e->message);
	else if (file)
		fprintf(stderr, "%s: %s", file, e->message);
	else
		fprintf(stderr, "k8smig: %s", e->message);
	if (e->path[0])
		fprintf(stderr, " (at %s)", e->path);
	fputc('\n', stderr);
}

int cli_output_format(k8smig_emit_options *eo, const char *arg, const char *cmd)
{
	if (strcmp(arg, "yaml") == 0)
		eo->format = K8SMIG_FORMAT_YAML;
	else if (strcmp(arg, "json") == 0)
		eo->format = K8SMIG_FORMAT_JSON;
	else {
		fprintf(stderr, "k8smig %s: -o takes yaml or json\n", cmd);
		return -1;
	}
	return 0;
}

/* Inputs beyond this are refused (the library's own parse limit), in bounded
 * memory: a regular file by its size before reading, anything else as soon as
 * it went past it. */
#define CLI_MAX_INPUT (256u << 20)

char *cli_read_input(const char *path, size_t *len_out)
{
	FILE *f = NULL;
	char *buf = NULL;
	size_t len = 0, cap = 0;
	struct stat st;

	if (strcmp(path, "-") == 0) {
		f = stdin;
	} else {
		/* O_NONBLOCK: a FIFO without a writer must not block the open */
		int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
		if (fd >= 0) {
			fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
			if (!(f = fdopen(fd, "rb")))
				close(fd);
		}
	}
	if (!f) {
		fprintf(stderr, "%s: cannot open: %s\n", path, strerror(errno));
		return NULL;
	}
	if (fstat(fileno(f), &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			fprintf(stderr, "%s: is a directory\n", path);
			goto fail;
		}
		if (S_ISREG(st.st_mode) && (unsigned long long)st.st_size > CLI_MAX_INPUT) {
			fprintf(stderr, "%s: input is larger than the limit of %u bytes\n", path, CLI_MAX_INPUT);
			goto fail;
		}
	}
	for (;;) {
		size_t n;
		if (cap - len < 65536) {
			char *nb = realloc(buf, cap ? cap * 2 : 65536);
			if (!nb) {
				fprintf(stderr, "%s: out of memory\n", path);
				goto fail;
			}
			buf = nb;
			cap = cap ? cap * 2 : 65536;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (len > CLI_MAX_INPUT) {
			fprintf(stderr, "%s: input is larger than the limit of %u bytes\n", path, CLI_MAX_INPUT);
			goto fail;
		}
		if (n == 0) {
			if (ferror(f)) {
				fprintf(stderr, "%s: read error\n", path);
				goto fail;
			}
			break;
		}
	}
	if (f != stdin)
		fclose(f);
	*len_out = len;
	return buf;
fail:
	free(buf);
	if (f != stdin)
		fclose(f);
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return CLI_USAGE;
	}
	if (strcmp(argv[1], "version") == 0 && argc > 2 && (strcmp(argv[2], "--help") == 0 || strcmp(argv[2], "-h") == 0)) {
		printf("usage: k8smig version\nprint the library and command versions\n  -h, --help   this help\n");
		return CLI_OK;
	}
	if (strcmp(argv[1], "version") == 0 || strcmp(argv[1], "--version") == 0) {
		printf("k8smig %s (libk8smig %s)\n", K8SMIG_VERSION, k8smig_version());
		return CLI_OK;
	}
	if (strcmp(argv[1], "fmt") == 0)
		return cmd_fmt(argc - 1, argv + 1);
	if (strcmp(argv[1], "apply") == 0)
		return cmd_apply(argc - 1, argv + 1);
	if (strcmp(argv[1], "validate") == 0)
		return cmd_validate(argc - 1, argv + 1);
	if (strcmp(argv[1], "generate") == 0)
		return cmd_generate(argc - 1, argv + 1);
	if (strcmp(argv[1], "render") == 0)
		return cmd_render(argc - 1, argv + 1);
	if (strcmp(argv[1], "diff") == 0)
		return cmd_diff(argc - 1, argv + 1);
	if (strcmp(argv[1], "wait") == 0)
		return cmd_wait(argc - 1, argv + 1);
	if (strcmp(argv[1], "delete") == 0)
		return cmd_delete(argc - 1, argv + 1);
	if (strcmp(argv[1], "history") == 0)
		return cmd_history(argc - 1, argv + 1);
	if (strcmp(argv[1], "rollback") == 0)
		return cmd_rollback(argc - 1, argv + 1);
	if (strcmp(argv[1], "completion") == 0)
		return cmd_completion(argc - 1, argv + 1);
	if (strcmp(argv[1], "import-ecs") == 0)
		return cmd_import_ecs(argc - 1, argv + 1);
	if (strcmp(argv[1], "import-terraform") == 0)
		return cmd_import_terraform(argc - 1, argv + 1);
	if (strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return CLI_OK;
	}
	fprintf(stderr, "k8smig: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return CLI_USAGE;
}
