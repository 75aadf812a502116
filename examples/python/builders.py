#!/usr/bin/env python3
"""The typed builders from Python: one service (Deployment, Service, HPA, Ingress on
an ALB, an ExternalSecret from AWS Secrets Manager, an IRSA ServiceAccount), printed
as one YAML stream and validated as a set."""
import sys

import k8smig

NS = "layering-detection-dev"


def build() -> list[k8smig.Object]:
    sa = k8smig.service_account("orchestrator", NS).service_account_set_irsa(
        "arn:aws:iam::123456789012:role/orchestrator", True)
    web = k8smig.deployment("orchestrator", NS, image="123456789012.dkr.ecr.eu-west-1.amazonaws.com/orch:1.4.2",
                            port=8080, cpu=k8smig.ecs_cpu(512), memory=k8smig.ecs_memory(1024),
                            env={"LOG_LEVEL": "info"}, service_account="orchestrator")
    web.container_set_probe(0, k8smig.ProbeKind.READINESS, handler="http_get", path="/health", port=8080,
                            period_seconds=10)
    web.container_add_env_ref(0, "DB_PASSWORD", k8smig.EnvSource.SECRET, "orchestrator-db", "password")
    svc = k8smig.service("orchestrator", NS, "ClusterIP").service_add_port("http", 80, "8080", "TCP", 0)
    hpa = k8smig.hpa("orchestrator", NS, target_kind="Deployment", target_name="orchestrator",
                     min_replicas=2, max_replicas=6).hpa_add_resource_metric("cpu", 70)
    ing = k8smig.ingress("orchestrator", NS, "alb")
    ing.ingress_add_path(None, "/", "Prefix", "orchestrator", "80")
    ing.ingress_set_alb(scheme="internet-facing", target_type="ip", http_port=80)
    store = k8smig.secret_store("aws", NS).secret_store_set_aws(
        k8smig.AwsSecretService.SECRETS_MANAGER, "eu-west-1", "orchestrator", None)
    es = k8smig.external_secret("orchestrator-db", NS, "SecretStore", "aws", "1h")
    es.external_secret_add_data("password", "prod/orchestrator/db", "password", None)
    return [sa, web, svc, hpa, ing, store, es]


def main() -> int:
    objects = build()
    sys.stdout.write(k8smig.dumps(objects))
    report = k8smig.validate(objects)
    for f in report.by_severity("error"):
        print(f, file=sys.stderr)
    return 1 if report.errors else 0


if __name__ == "__main__":
    sys.exit(main())
