/*
 * k8smig/serialize.h - YAML and JSON, in and out.
 *
 * Emitted YAML is deterministic, block style, keys in Kubernetes' order
 * (apiVersion, kind, metadata, spec, then the rest as inserted), multi-line
 * strings as literal blocks, and every string a YAML 1.1 or 1.2 reader would
 * take for something else quoted. Parsing resolves plain scalars as
 * Kubernetes (sigs.k8s.io/yaml) does, rejects duplicate keys, and bounds
 * alias expansion, nesting depth and input size.
 */
#ifndef K8SMIG_SERIALIZE_H
#define K8SMIG_SERIALIZE_H

#include "common.h"
#include "object.h"

K8SMIG_BEGIN_DECL

typedef enum k8smig_format {
	K8SMIG_FORMAT_AUTO = 0,  /**< parse: JSON when the text starts with '{', else YAML */
	K8SMIG_FORMAT_YAML = 1,
	K8SMIG_FORMAT_JSON = 2
} k8smig_format;

/** Emit flags. */
#define K8SMIG_EMIT_COMPACT 0x1u  /**< JSON on one line per object */

/** Options for the emitters. */
typedef struct k8smig_emit_options {
	unsigned int version;   /**< K8SMIG_EMIT_OPTIONS_VERSION */
	k8smig_format format;   /**< YAML (default when AUTO) or JSON */
	unsigned int flags;     /**< K8SMIG_EMIT_* */
} k8smig_emit_options;

#define K8SMIG_EMIT_OPTIONS_VERSION 1
#define K8SMIG_EMIT_OPTIONS_INIT { K8SMIG_EMIT_OPTIONS_VERSION, K8SMIG_FORMAT_YAML, 0 }

/**
 * Initialise opts with defaults. @return 0, or K8SMIG_EINVAL for an unknown version.
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_emit_options_init(k8smig_emit_options *opts, unsigned int version);

/** Options for the parsers. Zero limits mean the defaults shown. */
typedef struct k8smig_parse_options {
	unsigned int version;        /**< K8SMIG_PARSE_OPTIONS_VERSION */
	k8smig_format format;        /**< AUTO, YAML or JSON */
	const char *source_name;     /**< file name for errors and k8smig_object_source() */
	size_t max_bytes;            /**< input size limit; default 256 MiB */
	size_t max_depth;            /**< nesting limit; default 128 */
	size_t max_alias_nodes;      /**< nodes created by alias expansion; default 100,000 */
	unsigned int flags;          /**< K8SMIG_PARSE_* */
} k8smig_parse_options;

/**
 * Resolve plain booleans as kustomize (go-yaml v3, YAML 1.2) does: only
 * true/false in their three spellings; yes/no/on/off/y/n stay strings. The
 * default follows kubectl apply (sigs.k8s.io/yaml, YAML 1.1 booleans).
 */
#define K8SMIG_PARSE_YAML12_BOOLS 0x1u

#define K8SMIG_PARSE_OPTIONS_VERSION 1
#define K8SMIG_PARSE_OPTIONS_INIT { K8SMIG_PARSE_OPTIONS_VERSION, K8SMIG_FORMAT_AUTO, NULL, 0, 0, 0, 0 }

/**
 * Initialise opts with defaults. @return 0, or K8SMIG_EINVAL for an unknown version.
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_parse_options_init(k8smig_parse_options *opts, unsigned int version);

/** Called with consecutive pieces of output; return non-zero to stop. */
typedef int (*k8smig_write_cb)(const char *data, size_t len, void *payload);

/**
 * Emit one object as YAML (one document, no "---") or JSON.
 * @param out (owned) NUL-terminated text; free with k8smig_free()
 * @param len_out (optional) its length
 * @param opts NULL for YAML defaults
 * @return 0, the object's sticky error, K8SMIG_EINVAL (bad options,
 *         or a NaN/infinity in JSON), K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_object_emit(char **out, size_t *len_out, const k8smig_object *obj, const k8smig_emit_options *opts) K8SMIG_WARN_UNUSED;

/**
 * Emit a list: YAML documents separated by "---", or JSON objects separated
 * by newlines (a stream kubectl reads). An empty list emits nothing.
 * @return as k8smig_object_emit(); the first failed object's sticky error
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_object_list_emit(char **out, size_t *len_out, const k8smig_object_list *list, const k8smig_emit_options *opts) K8SMIG_WARN_UNUSED;

/**
 * As k8smig_object_list_emit(), streaming to a callback in pieces of up to
 * 64 KiB, so memory stays flat for long streams.
 * @return as k8smig_object_list_emit(); K8SMIG_EIO when the callback stops
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_object_list_write(const k8smig_object_list *list, const k8smig_emit_options *opts, k8smig_write_cb cb, void *payload);

/**
 * Write a list to a file, as k8smig_object_list_write() formats it (jansson's
 * json_dump_file). All or nothing: the text goes to a temporary file in the
 * same directory, renamed over `path` once complete, so a failure leaves an
 * existing file as it was. A replaced file keeps its mode; a new one is 0644.
 * @param opts NULL for YAML defaults
 * @return 0; as k8smig_object_list_emit(); K8SMIG_EIO (error's file is path);
 *         K8SMIG_EINVAL (NULL list or path)
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_object_list_write_file(const k8smig_object_list *list, const char *path,
                                                           const k8smig_emit_options *opts);

/**
 * Parse a YAML or JSON stream. Empty documents are skipped; every other
 * document must be a mapping.
 * @param out (owned) the documents, in order
 * @param opts NULL for defaults
 * @return 0; K8SMIG_EPARSE with line, column and (where known) the field
 *         path; K8SMIG_EINVAL (bad options); K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_parse(k8smig_object_list **out, const char *data, size_t len, const k8smig_parse_options *opts) K8SMIG_WARN_UNUSED;

/**
 * Read and parse a file ("-" is not special here). The error's file field
 * names the file.
 * @return as k8smig_parse(); K8SMIG_ENOTFOUND or K8SMIG_EIO when it cannot be read
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_parse_file(k8smig_object_list **out, const char *path, const k8smig_parse_options *opts) K8SMIG_WARN_UNUSED;

K8SMIG_END_DECL

#endif /* K8SMIG_SERIALIZE_H */
