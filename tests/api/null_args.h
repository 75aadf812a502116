/* tests/api/null_args.h - fixtures for the generated NULL-argument calls. */
#ifndef K8SMIG_TEST_NULL_ARGS_H
#define K8SMIG_TEST_NULL_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <k8smig.h>
#include <k8smig/sys/object.h>
#include <k8smig/sys/transport.h>

typedef struct null_case {
	const char *function;
	int null_arg;       /* -1: every pointer NULL; else the one NULL argument */
	int check;          /* 1: must return K8SMIG_EINVAL; 2: must return 0 or a negative code; 0: must return */
	int (*call)(void);
} null_case;

extern const null_case null_cases[];

/* Valid arguments (kept reachable, so nothing counts as leaked). */
k8smig_object *fx_object(void);
k8smig_object_list *fx_list(void);
k8smig_kubeconfig *fx_kubeconfig(void);
k8smig_client *fx_client(void);
extern const char *const fx_strv[];
extern k8smig_quantity fx_quantity;
extern size_t fx_size;
extern bool fx_bool;
extern int fx_int;
extern char *fx_str;
extern k8smig_object *fx_obj_out;
extern k8smig_object_list *fx_list_out;
extern k8smig_kubeconfig *fx_kc_out;
extern k8smig_client *fx_client_out;
extern k8smig_report *fx_report_out;
extern k8smig_apply_results *fx_results_out;
extern k8smig_spec *fx_spec_out;
extern void *fx_kept[64];
extern size_t fx_n_kept;
extern struct fx_options { unsigned int version; char zero[256]; } fx_options;

#endif
