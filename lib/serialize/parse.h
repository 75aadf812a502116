/* lib/serialize/parse.h - the parsers behind k8smig_parse(). */
#ifndef K8SMIG_LIB_PARSE_H
#define K8SMIG_LIB_PARSE_H

#include "../model/tree.h"

/* Both append documents to list; opts has every limit filled in. */
int k8smig__parse_yaml(k8smig_object_list *list, const char *data, size_t len, const k8smig_parse_options *opts);
int k8smig__parse_json(k8smig_object_list *list, const char *data, size_t len, const k8smig_parse_options *opts);

/* JSON text from a trusted peer (API server, exec plugin): default limits. */
int k8smig__parse_json_text(k8smig_object_list **out, const char *data, size_t len);

#endif
