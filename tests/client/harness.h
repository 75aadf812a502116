/*
 * tests/client/harness.h - what the client tests against the real harness
 * (test_client.c, test_hard.c) share: a client of the harness's kubeconfig in
 * the test's namespace, parsed objects, files and kubeconfigs of their own.
 */
#ifndef K8SMIG_TESTS_CLIENT_HARNESS_H
#define K8SMIG_TESTS_CLIENT_HARNESS_H

#include <sys/types.h>

#include "../unit/helpers.h"
#include "client/client.h"

extern const char *kubeconfig_path; /* $K8SMIG_TEST_KUBECONFIG: the harness's, contexts token, cert, viewer */
extern char ns[64];                 /* the test's namespace: clients default to it */

/* A client of the kubeconfig at path (its context `context`, NULL: current) in ns; fails the test otherwise. */
k8smig_client *client_for(const char *path, const char *context);
/* The first object (a copy) or all objects of a YAML text; fails the test otherwise. */
k8smig_object *parse_one(const char *yaml);
k8smig_object_list *parse_set(const char *yaml);
void write_file(const char *path, const char *text, mode_t mode);
/* A kubeconfig for the harness's cluster at `server` (NULL: the harness itself) with its CA
 * (or ca_b64, base64 PEM), whose one user `u` is user_yaml (indented 4). */
void write_kubeconfig(const char *path, const char *server, const char *ca_b64, const char *user_yaml);
/* The harness admin's bearer token (context token): owned. */
char *admin_token(void);

#endif
