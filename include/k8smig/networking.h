/*
 * k8smig/networking.h - Service, Ingress with AWS Load Balancer Controller
 * annotations, IngressClass, IngressClassParams and cert-manager builders.
 *
 * Conventions as in identity.h: validated setters, field paths in errors,
 * sticky failures, K8SMIG_EKIND for other kinds. Select a Service's pods
 * with k8smig_selector_set() (workloads.h).
 */
#ifndef K8SMIG_NETWORKING_H
#define K8SMIG_NETWORKING_H

#include "common.h"
#include "object.h"

K8SMIG_BEGIN_DECL

/**
 * Create a v1 Service.
 * @param out (owned) the new object; NULL on failure
 * @param name a DNS-1035 label (starts with a letter); other pods reach it as http://<name>:<port>
 * @param ns namespace, or NULL
 * @param type "ClusterIP", "NodePort" or "LoadBalancer"; NULL leaves the default (ClusterIP)
 * @return 0; K8SMIG_EINVAL (path metadata.name, metadata.namespace or spec.type); K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_service_new(k8smig_object **out, const char *name, const char *ns, const char *type);

/**
 * Append a Service port.
 * @param svc a Service
 * @param name a DNS-1123 label, unique; required once the Service has two ports (NULL otherwise)
 * @param port the Service's port, 1..65535
 * @param target_port the pods' port: a number ("8000") or a container port name ("http"); NULL for the same as port
 * @param protocol "TCP", "UDP" or "SCTP"; NULL leaves the default (TCP)
 * @param node_port 0, or 1..65535 for NodePort and LoadBalancer Services
 * @return 0; K8SMIG_EINVAL (path spec.ports[i].name, .port, .targetPort, .protocol or .nodePort);
 *         K8SMIG_EEXISTS (name taken); K8SMIG_EKIND; K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_service_add_port(k8smig_object *svc, const char *name, int32_t port,
                                                     const char *target_port, const char *protocol, int32_t node_port);

/**
 * Create a networking.k8s.io/v1 Ingress.
 * @param out (owned) the new object; NULL on failure
 * @param name a DNS-1123 subdomain
 * @param ns namespace, or NULL
 * @param ingress_class spec.ingressClassName (e.g. "alb"), or NULL
 * @return 0; K8SMIG_EINVAL (path metadata.name, metadata.namespace or spec.ingressClassName); K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_ingress_new(k8smig_object **out, const char *name, const char *ns, const char *ingress_class);

/**
 * Route a path to a Service port. Paths of one host share a rule, in the
 * order they are added (the AWS Load Balancer Controller keeps it).
 * @param ing an Ingress
 * @param host a DNS name, optionally starting with "*."; NULL for every host
 * @param path starts with '/'
 * @param path_type "Prefix", "Exact" or "ImplementationSpecific"
 * @param service the backend Service's name
 * @param service_port a port number ("8000") or a Service port name ("http")
 * @return 0; K8SMIG_EINVAL (path spec.rules[r].host, spec.rules[r].http.paths[p].path,
 *         .pathType, .backend.service.name or .backend.service.port); K8SMIG_EKIND; K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_ingress_add_path(k8smig_object *ing, const char *host, const char *path,
                                                     const char *path_type, const char *service, const char *service_port);

/**
 * Append spec.tls[]. The AWS Load Balancer Controller ignores secretName:
 * give it a certificate ARN (k8smig_ingress_set_alb()) instead.
 * @param ing an Ingress
 * @param secret_name the TLS Secret, or NULL
 * @param hosts NULL-terminated host names (at least one)
 * @return 0; K8SMIG_EINVAL (path spec.tls[i].hosts[j] or spec.tls[i].secretName); K8SMIG_EKIND; K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_ingress_add_tls(k8smig_object *ing, const char *secret_name, const char *const *hosts);

/** AWS Load Balancer Controller annotations (alb.ingress.kubernetes.io/...). */
typedef struct k8smig_alb_options {
	unsigned int version;          /**< K8SMIG_ALB_OPTIONS_VERSION */
	const char *scheme;            /**< "internet-facing" or "internal", or NULL */
	const char *target_type;       /**< "ip" (needed on Fargate) or "instance", or NULL */
	int32_t http_port;             /**< listen-ports: HTTP port, 0 for none */
	int32_t https_port;            /**< listen-ports: HTTPS port, 0 for none */
	const char *certificate_arn;   /**< ACM certificate ARN(s), comma-separated, or NULL */
	int32_t ssl_redirect;          /**< redirect HTTP to this HTTPS port (== https_port), 0 for none */
	const char *healthcheck_path;  /**< starts with '/', or NULL */
	const char *group_name;        /**< share one ALB among Ingresses of this group, or NULL */
} k8smig_alb_options;

#define K8SMIG_ALB_OPTIONS_VERSION 1
#define K8SMIG_ALB_OPTIONS_INIT { K8SMIG_ALB_OPTIONS_VERSION, NULL, NULL, 0, 0, NULL, 0, NULL, NULL }

/** Initialise opts: nothing set. @return 0, or K8SMIG_EINVAL for an unknown version. @since 0.1 */
K8SMIG_EXTERN(k8smig_status) k8smig_alb_options_init(k8smig_alb_options *opts, unsigned int version);

/**
 * Write the annotations that opts sets (listen-ports as
 * [{"HTTP":80},{"HTTPS":443}]). Fields left NULL or 0 are not touched.
 * @param ing an Ingress
 * @param opts the settings
 * @return 0; K8SMIG_EINVAL (path metadata.annotations[alb.ingress.kubernetes.io/<name>]);
 *         K8SMIG_EKIND; K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_ingress_set_alb(k8smig_object *ing, const k8smig_alb_options *opts);

/**
 * Create a networking.k8s.io/v1 IngressClass.
 * @param out (owned) the new object; NULL on failure
 * @param name a DNS-1123 subdomain, e.g. "alb"
 * @param controller a domain-prefixed path, e.g. "ingress.k8s.aws/alb"
 * @param params_name (optional) an elbv2.k8s.aws IngressClassParams to use
 * @return 0; K8SMIG_EINVAL (path metadata.name, spec.controller or spec.parameters.name); K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_ingress_class_new(k8smig_object **out, const char *name, const char *controller,
                                                      const char *params_name);

/**
 * Create an elbv2.k8s.aws/v1beta1 IngressClassParams (cluster-scoped).
 * @param out (owned) the new object; NULL on failure
 * @param name a DNS-1123 subdomain
 * @param scheme "internet-facing" or "internal", or NULL
 * @param group_name IngressGroup for every Ingress of the class, or NULL
 * @return 0; K8SMIG_EINVAL (path metadata.name, spec.scheme or spec.group.name); K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_ingress_class_params_new(k8smig_object **out, const char *name, const char *scheme,
                                                             const char *group_name);

/**
 * Create a cert-manager.io/v1 Issuer (ns not NULL) or ClusterIssuer (ns NULL).
 * Configure it with k8smig_issuer_set_acme(), _set_ca() or _set_self_signed().
 * @param out (owned) the new object; NULL on failure
 * @param name a DNS-1123 subdomain
 * @param ns namespace of an Issuer, or NULL for a ClusterIssuer
 * @return 0; K8SMIG_EINVAL (path metadata.name or metadata.namespace); K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_issuer_new(k8smig_object **out, const char *name, const char *ns);

/**
 * Make the issuer an ACME issuer solving HTTP-01 through an Ingress class (replaces spec).
 * @param issuer an Issuer or ClusterIssuer
 * @param server ACME directory URL (https://...), e.g. Let's Encrypt's
 * @param email (optional) account e-mail
 * @param private_key_secret Secret holding the ACME account key
 * @param ingress_class ingressClassName of the solver Ingress
 * @return 0; K8SMIG_EINVAL (path spec.acme.server, .email, .privateKeySecretRef.name or
 *         .solvers[0].http01.ingress.ingressClassName); K8SMIG_EKIND; K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_issuer_set_acme(k8smig_object *issuer, const char *server, const char *email,
                                                    const char *private_key_secret, const char *ingress_class);

/**
 * Make the issuer a CA issuer signing with the key pair in a Secret (replaces spec).
 * @param issuer an Issuer or ClusterIssuer
 * @param secret_name the CA Secret
 * @return 0; K8SMIG_EINVAL (path spec.ca.secretName); K8SMIG_EKIND; K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_issuer_set_ca(k8smig_object *issuer, const char *secret_name);

/**
 * Make the issuer self-signed (replaces spec).
 * @param issuer an Issuer or ClusterIssuer
 * @return 0; K8SMIG_EKIND; K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_issuer_set_self_signed(k8smig_object *issuer);

/**
 * Create a cert-manager.io/v1 Certificate. Add names with k8smig_certificate_add_dns_name().
 * @param out (owned) the new object; NULL on failure
 * @param name a DNS-1123 subdomain
 * @param ns namespace, or NULL
 * @param secret_name Secret the certificate is stored in
 * @param issuer_kind "Issuer" or "ClusterIssuer" (cert-manager.io), or "AWSPCAIssuer" or
 *        "AWSPCAClusterIssuer" (awspca.cert-manager.io, AWS Private CA)
 * @param issuer_name the issuer's name
 * @return 0; K8SMIG_EINVAL (path metadata.name, metadata.namespace, spec.secretName,
 *         spec.issuerRef.kind or spec.issuerRef.name); K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_certificate_new(k8smig_object **out, const char *name, const char *ns,
                                                    const char *secret_name, const char *issuer_kind,
                                                    const char *issuer_name);

/**
 * Append spec.dnsNames[].
 * @param cert a Certificate
 * @param dns_name a DNS name, optionally starting with "*."
 * @return 0; K8SMIG_EINVAL (path spec.dnsNames[i]); K8SMIG_EKIND; K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_certificate_add_dns_name(k8smig_object *cert, const char *dns_name);

K8SMIG_END_DECL

#endif /* K8SMIG_NETWORKING_H */
