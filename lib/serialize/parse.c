/*
 * lib/serialize/parse.c - k8smig_parse(): options, limits, format choice.
 */
#include <string.h>

#include "parse.h"
#include "../model/list.h"

#define DEFAULT_MAX_BYTES ((size_t)256 << 20)
#define DEFAULT_MAX_DEPTH 128
#define DEFAULT_MAX_ALIAS_NODES 100000

static const k8smig_parse_options parse_defaults = K8SMIG_PARSE_OPTIONS_INIT;
static const size_t parse_options_sizes[] = { sizeof(k8smig_parse_options) };

int k8smig_parse_options_init(k8smig_parse_options *opts, unsigned int version)
{
	return K8SMIG__OPTIONS_INIT(opts, version, &parse_defaults, parse_options_sizes, "k8smig_parse_options");
}

static int fill_options(k8smig_parse_options *o, const k8smig_parse_options *opts)
{
	int rc;
	*o = parse_defaults;
	if ((rc = K8SMIG__OPTIONS_LOAD(o, opts, parse_options_sizes, "k8smig_parse_options")) < 0)
		return rc;
	if (o->flags & ~K8SMIG_PARSE_YAML12_BOOLS)
		return k8smig__error_set(K8SMIG_EINVAL, "", "unknown parse flags 0x%x", o->flags);
	if (o->format != K8SMIG_FORMAT_AUTO && o->format != K8SMIG_FORMAT_YAML && o->format != K8SMIG_FORMAT_JSON)
		return k8smig__error_set(K8SMIG_EINVAL, "", "unknown input format %d", (int)o->format);
	if (!o->max_bytes)
		o->max_bytes = DEFAULT_MAX_BYTES;
	if (!o->max_depth)
		o->max_depth = DEFAULT_MAX_DEPTH;
	if (!o->max_alias_nodes)
		o->max_alias_nodes = DEFAULT_MAX_ALIAS_NODES;
	return 0;
}

static k8smig_format sniff(const char *data, size_t len)
{
	size_t i = 0;
	/* skip a UTF-8 byte order mark and white space */
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	while (i < len && strchr(" \t\r\n", data[i]))
		i++;
	return (i < len && data[i] == '{') ? K8SMIG_FORMAT_JSON : K8SMIG_FORMAT_YAML;
}

static int parse_filled(k8smig_object_list **out, const char *data, size_t len, const k8smig_parse_options *o)
{
	k8smig_object_list *list;
	k8smig_format fmt;
	int rc;

	if (len > o->max_bytes) {
		rc = k8smig__error_set(K8SMIG_EPARSE, "", "input is larger than the limit of %zu bytes", o->max_bytes);
		k8smig__error_set_position(1, 1);
		return rc;
	}
	if ((rc = k8smig_object_list_new(&list)) < 0)
		return rc;
	fmt = o->format == K8SMIG_FORMAT_AUTO ? sniff(data, len) : o->format;
	rc = fmt == K8SMIG_FORMAT_JSON ? k8smig__parse_json(list, data, len, o) : k8smig__parse_yaml(list, data, len, o);
	if (rc < 0) {
		k8smig_object_list_free(list);
		return rc;
	}
	*out = list;
	return 0;
}

int k8smig_parse(k8smig_object_list **out, const char *data, size_t len, const k8smig_parse_options *opts)
{
	k8smig_parse_options o;
	int rc;

	if (out)
		*out = NULL;
	if (!out || (!data && len))
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL argument");
	if ((rc = fill_options(&o, opts)) < 0)
		return rc;
	if ((rc = parse_filled(out, data ? data : "", len, &o)) < 0 && o.source_name)
		k8smig__error_set_file(o.source_name);
	return rc;
}

int k8smig_parse_file(k8smig_object_list **out, const char *path, const k8smig_parse_options *opts)
{
	k8smig_parse_options o;
	char *data;
	size_t len;
	int rc;

	if (out)
		*out = NULL;
	if (!out || !path)
		return k8smig__error_set(K8SMIG_EINVAL, "", "NULL argument");
	if ((rc = fill_options(&o, opts)) < 0)
		return rc;
	if (!o.source_name)
		o.source_name = path;
	if ((rc = k8smig__read_file(&data, &len, path, o.max_bytes)) < 0)
		return rc;
	rc = parse_filled(out, data, len, &o);
	if (rc < 0)
		k8smig__error_set_file(o.source_name);
	k8smig_free(data);
	return rc;
}

int k8smig__parse_json_text(k8smig_object_list **out, const char *data, size_t len)
{
	k8smig_parse_options o = K8SMIG_PARSE_OPTIONS_INIT;
	o.format = K8SMIG_FORMAT_JSON;
	return k8smig_parse(out, data ? data : "", len, &o);
}
