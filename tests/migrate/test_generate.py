"""`k8smig generate`: the migration tree of the bundled spec and of tests/migrate/two-services.yaml.

The golden tree (tests/golden/tree/) is a reviewed copy of what the bundled spec generates;
the other tests check it with independent tools: kubernetes-validate --strict (built-in
kinds), kubectl kustomize + k8smig validate (every overlay), json.loads (AWS artefacts),
PyYAML (the workflow). A test against the real apiserver (K8SMIG_TEST_KUBECONFIG) applies
the dev overlay and waits for the Deployments.

Regenerate the golden tree after an intended change:
    K8SMIG_BIN=build/examples/cli/k8smig python3 tests/migrate/test_generate.py --update
"""
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

import pytest
import yaml

HERE = pathlib.Path(__file__).resolve().parent
GOLDEN = HERE.parent / "golden" / "tree"
TWO = HERE / "two-services.yaml"
KUBERNETES_VERSION = "1.33.0"  # as tests/kinds/test_kinds.py
CRD_KINDS = {"SecretStore", "ClusterSecretStore", "ExternalSecret", "Certificate", "ClusterIssuer", "Issuer",
             "PrometheusRule", "IngressClassParams", "Kustomization", "TargetGroupBinding"}
ENVIRONMENTS = ["dev", "staging", "prod"]
SERVICES = ["orchestrator", "layering", "wash-trading", "aggregator"]


def k8smig():
    path = os.environ.get("K8SMIG_BIN")
    if not path:
        raise RuntimeError("K8SMIG_BIN is not set (meson test sets it)")
    return path


def run(*args, **kw):
    return subprocess.run([k8smig(), *args], capture_output=True, text=True, check=False, **kw)


def generate(out, *args):
    r = run("generate", "-o", str(out), *args)
    assert r.returncode == 0, r.stderr
    return r


def files(root):
    root = pathlib.Path(root)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def snapshot(root):
    root = pathlib.Path(root)
    return {f: (root / f).read_bytes() for f in files(root)}


@pytest.fixture(scope="module")
def tree():
    d = pathlib.Path(tempfile.mkdtemp(prefix="k8smig-tree-"))
    try:
        generate(d / "out")
        yield d / "out"
    finally:
        shutil.rmtree(d)


@pytest.fixture(scope="module")
def two_tree():
    d = pathlib.Path(tempfile.mkdtemp(prefix="k8smig-two-"))
    try:
        generate(d / "out", "--spec", str(TWO))
        yield d / "out"
    finally:
        shutil.rmtree(d)


def kustomize(path):
    r = subprocess.run(["kubectl", "kustomize", str(path)], capture_output=True, text=True, check=False)
    assert r.returncode == 0, f"kubectl kustomize {path}: {r.stderr}"
    return r.stdout


def validate(text):
    r = run("validate", "-", input=text)
    assert r.returncode == 0, r.stdout + r.stderr
    assert " 0 errors" in r.stderr, r.stderr
    return r


# ---- golden tree ----

def test_tree_matches_golden(tree):
    assert files(tree) == files(GOLDEN)
    for f in files(GOLDEN):
        assert (tree / f).read_bytes() == (GOLDEN / f).read_bytes(), f


def test_tree_has_every_file_of_the_plan(tree):
    want = ["k8s/cluster/namespaces.yaml", "k8s/cluster/ci-rbac.yaml", "k8s/cluster/storageclass.yaml",
            "k8s/cluster/persistent-volumes.yaml", "k8s/cluster/kustomization.yaml",
            "k8s/base/service-accounts.yaml",
            "k8s/base/irsa-setup.md", "k8s/base/configmap.yaml", "k8s/preflight.sh",
            "k8s/base/external-secrets-operator-install.md",
            "k8s/base/storage/README.md", "k8s/base/storage/input-pvc.yaml", "k8s/base/storage/output-pvc.yaml",
            "k8s/base/storage/logs-pvc.yaml", "k8s/tests/volume-test-pod.yaml", "k8s/ingress/ingress.yaml",
            "k8s/ingress/aws-load-balancer-controller-install.md", "k8s/monitoring/fluent-bit.yaml",
            "k8s/monitoring/fluent-bit-config.yaml", "k8s/monitoring/fluent-bit-install.md",
            "k8s/monitoring/cloudwatch-dashboard.yaml", "k8s/monitoring/cloudwatch-alarms.yaml", "k8s/tests/e2e-test.md",
            "k8s/ROLLBACK.md", "k8s/scripts/deploy.sh", "k8s/scripts/rollback.sh", "k8s/tests/e2e.sh",
            "k8s/cutover/CUTOVER.md", "k8s/cutover/cutover.sh", "k8s/tests/load-test.js",
            ".github/workflows/deploy.yml", "aws/cloudwatch-dashboard.json",
            "aws/cloudwatch-alarms.json"]
    for svc in SERVICES:
        want += [f"k8s/services/{svc}/{f}.yaml" for f in ("deployment", "service", "hpa", "kustomization")]
    for env in ENVIRONMENTS:
        want += [f"k8s/overlays/{env}/kustomization.yaml", f"k8s/overlays/{env}/external-secrets.yaml"]
    have = set(files(tree))
    assert [f for f in want if f not in have] == []
    # the storage directory is a kustomization of claims only: `kubectl apply -f` never applies the test pod
    # `kubectl apply -f k8s/base/storage/` (the plan's step) applies the claims and nothing else: no
    # kustomization.yaml to trip on, no test pod
    manifests = sorted(f for f in have if f.startswith("k8s/base/storage/") and f.endswith((".yaml", ".yml", ".json")))
    assert manifests == [f"k8s/base/storage/{v}-pvc.yaml" for v in ("input", "logs", "output")]
    assert {d["kind"] for f in manifests for d in yaml.safe_load_all((tree / f).read_text()) if d} == \
        {"PersistentVolumeClaim"}
    # every directory holding manifests is a kustomization
    for d in ["k8s/cluster", "k8s/base", "k8s/ingress", "k8s/monitoring"] + [f"k8s/services/{s}" for s in SERVICES]:
        assert f"{d}/kustomization.yaml" in have, d


def test_rerun_is_byte_identical_and_check_is_clean(tree):
    before = snapshot(tree)
    r = generate(tree)
    assert "0 created, 0 updated" in r.stderr
    assert snapshot(tree) == before
    r = run("generate", "-o", str(tree), "--check")
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout == ""


def test_check_lists_a_hand_edit_and_generate_repairs_it(tmp_path):
    out = tmp_path / "out"
    generate(out)
    target = out / "k8s/services/layering/hpa.yaml"
    original = target.read_bytes()
    target.write_bytes(original.replace(b"maxReplicas: 10", b"maxReplicas: 12"))
    (out / "k8s/ROLLBACK.md").unlink()
    r = run("generate", "-o", str(out), "--check")
    assert r.returncode == 1
    assert r.stdout.splitlines() == ["would create k8s/ROLLBACK.md", "would update k8s/services/layering/hpa.yaml"]
    assert target.read_bytes() != original  # --check wrote nothing
    generate(out)
    assert target.read_bytes() == original
    assert run("generate", "-o", str(out), "--check").returncode == 0


def test_no_temporary_directory_is_left_behind(tree):
    assert not [p for p in tree.parent.iterdir() if p.name.startswith(".k8smig-generate")]
    assert not [p for p in tree.iterdir() if p.name.startswith(".k8smig-generate")]


# ---- schemas, kustomize, validation ----

def built_in_documents(root):
    for f in sorted(pathlib.Path(root).rglob("*.yaml")):
        if ".github" in f.parts:
            continue
        for i, doc in enumerate(yaml.safe_load_all(f.read_text())):
            if doc and doc.get("kind") not in CRD_KINDS:
                yield f, i, doc


@pytest.mark.parametrize("which", ["tree", "two_tree"])
def test_built_in_kinds_pass_strict_schema_validation(which, request, tmp_path):
    root = request.getfixturevalue(which)
    paths = []
    for f, i, doc in built_in_documents(root):
        p = tmp_path / f"{str(f.relative_to(root)).replace('/', '_')}-{i}.yaml"
        p.write_text(yaml.safe_dump(doc))
        paths.append(p)
    assert len(paths) >= (40 if which == "tree" else 20)
    r = subprocess.run(["kubernetes-validate", "--strict", "-k", KUBERNETES_VERSION, *map(str, paths)],
                       capture_output=True, text=True, check=False)
    out = r.stdout + r.stderr
    assert r.returncode == 0 and "ERROR" not in out and "WARN" not in out, out


def test_crd_documents_have_their_api_groups(tree):
    # (the PrometheusRule only when the spec asks for it: test_aws.py)
    groups = {"SecretStore": "external-secrets.io/v1", "ExternalSecret": "external-secrets.io/v1",
              "Kustomization": "kustomize.config.k8s.io/v1beta1", "TargetGroupBinding": "elbv2.k8s.aws/v1beta1"}
    seen = set()
    for f in sorted(tree.rglob("*.yaml")):
        if ".github" in f.parts:
            continue
        for doc in yaml.safe_load_all(f.read_text()):
            if doc and doc["kind"] in groups:
                assert doc["apiVersion"] == groups[doc["kind"]], f
                seen.add(doc["kind"])
    assert seen == set(groups)


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_overlay_builds_and_validates_clean(tree, env):
    text = kustomize(tree / "k8s/overlays" / env)
    # what the cluster holds: the admin layer (StorageClass, PVs the claims name) and the overlay
    validate("---\n".join([kustomize(tree / "k8s/cluster")] + [kustomize(tree / "k8s/overlays" / e) for e in ENVIRONMENTS]))
    docs = [d for d in yaml.safe_load_all(text) if d]
    ns = f"layering-detection-{env}"
    kinds = {}
    for d in docs:  # CI applies the overlay: namespaced objects only
        kinds.setdefault(d["kind"], []).append(d)
        assert d["metadata"]["namespace"] == ns, d["metadata"]
    assert not {"Namespace", "StorageClass", "PersistentVolume", "Role", "RoleBinding"} & set(kinds)
    assert sorted(d["metadata"]["name"] for d in kinds["Deployment"]) == sorted(SERVICES)
    for d in kinds["Deployment"]:
        assert "replicas" not in d["spec"], "HPA-managed Deployments carry no spec.replicas"
        image = d["spec"]["template"]["spec"]["containers"][0]["image"]
        assert image.startswith("123456789012.dkr.ecr.us-east-1.amazonaws.com/layering-detection-"), image
        assert image.endswith(":set-by-ci"), "commit-sha environments: CI sets the tag, never latest"
    hpa = {h["metadata"]["name"]: h["spec"] for h in kinds["HorizontalPodAutoscaler"]}
    if env == "dev":
        assert (hpa["layering"]["minReplicas"], hpa["layering"]["maxReplicas"]) == (1, 5)
    else:
        assert (hpa["layering"]["minReplicas"], hpa["layering"]["maxReplicas"]) == (2, 10)
    ingress = kinds["Ingress"][0]
    annotations = ingress["metadata"]["annotations"]
    assert annotations["alb.ingress.kubernetes.io/group.name"] == f"layering-detection-{env}"
    if env == "dev":
        assert "alb.ingress.kubernetes.io/certificate-arn" not in annotations
    else:
        assert annotations["alb.ingress.kubernetes.io/certificate-arn"].startswith("arn:aws:acm:us-east-1:")
        assert annotations["alb.ingress.kubernetes.io/ssl-redirect"] == "443"
    pvcs = {p["metadata"]["name"]: p["spec"] for p in kinds["PersistentVolumeClaim"]}
    assert sorted(pvcs) == ["input-pvc", "logs-pvc", "output-pvc"]
    if env == "prod":
        assert pvcs["input-pvc"]["volumeName"] == "layering-detection-prod-input"
    pvs = [d for d in yaml.safe_load_all((tree / "k8s/cluster/persistent-volumes.yaml").read_text()) if d]
    mine = [p for p in pvs if p["spec"]["claimRef"]["namespace"] == ns]
    assert len(mine) == (3 if env == "prod" else 0)


def test_monitoring_builds_and_validates_clean(tree):
    text = kustomize(tree / "k8s/monitoring")
    validate(text)
    for d in yaml.safe_load_all(text):
        if d and d["kind"] not in ("Namespace", "ClusterRole", "ClusterRoleBinding"):
            assert d["metadata"]["namespace"] == "layering-detection-monitoring", d["metadata"]
    config = [d for d in yaml.safe_load_all(text) if d and d["metadata"]["name"] == "fluent-bit-config"][0]
    conf = config["data"]["fluent-bit.conf"]
    assert "/eks/layering-detection/prod" in conf and conf.count("\n") > 20


def test_plan_values_in_the_manifests(tree):
    deploy = yaml.safe_load((tree / "k8s/services/orchestrator/deployment.yaml").read_text())
    c = deploy["spec"]["template"]["spec"]["containers"][0]
    assert c["resources"]["requests"] == {"cpu": "500m", "memory": "1Gi"}
    assert c["livenessProbe"]["httpGet"]["path"] == "/health"
    assert (c["livenessProbe"]["periodSeconds"], c["livenessProbe"]["timeoutSeconds"],
            c["livenessProbe"]["initialDelaySeconds"]) == (30, 10, 5)
    assert (c["readinessProbe"]["periodSeconds"], c["readinessProbe"]["timeoutSeconds"]) == (10, 5)
    assert c["volumeMounts"] == [{"name": "input", "mountPath": "/app/input", "readOnly": True}]
    mounts = yaml.safe_load((tree / "k8s/services/aggregator/deployment.yaml").read_text())[
        "spec"]["template"]["spec"]["containers"][0]["volumeMounts"]
    assert mounts[0] == {"name": "output", "mountPath": "/app/output"}  # no written-out readOnly: false
    agg = yaml.safe_load((tree / "k8s/services/aggregator/deployment.yaml").read_text())
    env = {e["name"] for e in agg["spec"]["template"]["spec"]["containers"][0]["env"]}
    assert env == {"API_KEY", "PSEUDONYMIZATION_SALT"}
    layering = yaml.safe_load((tree / "k8s/services/layering/deployment.yaml").read_text())
    assert {e["name"] for e in layering["spec"]["template"]["spec"]["containers"][0]["env"]} == {"API_KEY"}
    hpa = yaml.safe_load((tree / "k8s/services/wash-trading/hpa.yaml").read_text())["spec"]
    assert (hpa["minReplicas"], hpa["maxReplicas"]) == (1, 10)
    assert hpa["behavior"]["scaleDown"]["stabilizationWindowSeconds"] == 300
    assert hpa["behavior"]["scaleUp"]["stabilizationWindowSeconds"] == 60
    assert [(m["resource"]["name"], m["resource"]["target"]["averageUtilization"]) for m in hpa["metrics"]] == [
        ("cpu", 70), ("memory", 80)]
    cm = yaml.safe_load((tree / "k8s/base/configmap.yaml").read_text())
    assert cm["data"] == {"LAYERING_SERVICE_URL": "http://layering:8001",
                          "WASH_TRADING_SERVICE_URL": "http://wash-trading:8002",
                          "AGGREGATOR_SERVICE_URL": "http://aggregator:8003", "LOG_LEVEL": "INFO",
                          "MAX_RETRIES": "3", "RATE_LIMIT_PER_MINUTE": "60", "ALGORITHM_TIMEOUT_SECONDS": "30"}
    sas = {d["metadata"]["name"]: d for d in yaml.safe_load_all((tree / "k8s/base/service-accounts.yaml").read_text())}
    assert "eks.amazonaws.com/role-arn" not in sas["orchestrator"]["metadata"].get("annotations", {})
    assert sas["orchestrator"]["automountServiceAccountToken"] is False
    es = {d["metadata"]["name"]: d
          for d in yaml.safe_load_all((tree / "k8s/overlays/prod/external-secrets.yaml").read_text())}
    store = es["aws-secrets-manager"]["spec"]["provider"]["aws"]
    assert store["service"] == "SecretsManager" and store["region"] == "us-east-1"
    assert store["auth"]["jwt"]["serviceAccountRef"]["name"] == "external-secrets"
    assert sorted(n for n, d in es.items() if d["kind"] == "ExternalSecret") == ["api-key", "pseudonymization-salt"]
    sc = yaml.safe_load((tree / "k8s/cluster/storageclass.yaml").read_text())
    assert (sc["metadata"]["name"], sc["provisioner"]) == ("efs-sc", "efs.csi.aws.com")
    assert sc["parameters"]["fileSystemId"] == "fs-0123456789abcdef0"
    assert sc["parameters"]["provisioningMode"] == "efs-ap"
    ing = yaml.safe_load((tree / "k8s/ingress/ingress.yaml").read_text())
    assert ing["spec"]["ingressClassName"] == "alb"
    assert [(p["path"], p["pathType"]) for p in ing["spec"]["rules"][0]["http"]["paths"]] == [
        ("/orchestrate", "Prefix"), ("/health", "Exact"), ("/", "Prefix")]
    assert ing["metadata"]["annotations"]["alb.ingress.kubernetes.io/healthcheck-path"] == "/health"


# ---- AWS artefacts, workflow, documents ----

def test_json_artefacts_parse_and_iam_trusts_the_right_provider(tree):
    oidc = "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
    artefacts = sorted((tree / "aws").rglob("*.json"))
    assert len(artefacts) >= 17
    for f in artefacts:
        doc = json.loads(f.read_text())
        if f.parent.name == "iam":
            assert doc["Version"] == "2012-10-17", f
            assert doc["Statement"], f
    for e in ENVIRONMENTS:  # (every trust policy is checked in test_aws.py)
        trust = json.loads((tree / f"aws/iam/layering-detection-{e}-external-secrets-trust-policy.json").read_text())
        st = trust["Statement"][0]
        assert st["Principal"]["Federated"] == f"arn:aws:iam::123456789012:oidc-provider/{oidc}"
        assert st["Action"] == "sts:AssumeRoleWithWebIdentity"
        assert st["Condition"]["StringEquals"][f"{oidc}:sub"] == \
            f"system:serviceaccount:layering-detection-{e}:external-secrets"
        assert st["Condition"]["StringEquals"][f"{oidc}:aud"] == "sts.amazonaws.com"
    eso = json.loads((tree / "aws/iam/layering-detection-prod-external-secrets-policy.json").read_text())
    resources = eso["Statement"][0]["Resource"]
    assert resources == [  # prod keeps the entries the ECS tasks read
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:layering-detection/api-key-??????",
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:layering-detection/pseudonymization-salt-??????"]
    ci = json.loads((tree / "aws/iam/layering-detection-github-actions-trust-policy.json").read_text())
    assert ci["Statement"][0]["Principal"]["Federated"].endswith(":oidc-provider/token.actions.githubusercontent.com")
    alarms = json.loads((tree / "aws/cloudwatch-alarms.json").read_text())["alarms"]
    thresholds = {(a.get("MetricName", "metric math"), a["Threshold"]) for a in alarms}
    assert thresholds == {("metric math", 80), ("pod_memory_utilization_over_pod_limit", 85),
                          ("service_number_of_running_pods", 1)}
    assert json.loads((tree / "aws/cloudwatch-dashboard.json").read_text())["widgets"]


def test_workflow(tree):
    wf = yaml.safe_load((tree / ".github/workflows/deploy.yml").read_text())
    on = wf.get("on", wf.get(True))  # PyYAML reads an unquoted on: as True
    assert on["push"]["branches"] == ["develop", "staging", "main"]
    assert wf["permissions"]["id-token"] == "write"
    assert list(wf["jobs"]) == ["build", "deploy-dev", "deploy-staging", "deploy-prod"]
    build = wf["jobs"]["build"]
    assert [m["service"] for m in build["strategy"]["matrix"]["include"]] == SERVICES
    uses = [s.get("uses", "") for s in build["steps"]]
    assert "aws-actions/configure-aws-credentials@v4" in uses and "aws-actions/amazon-ecr-login@v2" in uses
    creds = [s for s in build["steps"] if s.get("uses", "").startswith("aws-actions/configure-aws-credentials")][0]
    assert creds["with"]["role-to-assume"] == "arn:aws:iam::123456789012:role/layering-detection-github-actions"
    assert "docker push" in build["steps"][-1]["run"] and "${{ github.sha }}" in build["steps"][-1]["run"]
    # dev -> staging -> prod, each in its GitHub environment, each after the one before
    needs = {j: wf["jobs"][j]["needs"] for j in wf["jobs"] if j != "build"}
    assert needs == {"deploy-dev": ["build"], "deploy-staging": ["deploy-dev"], "deploy-prod": ["deploy-staging"]}
    for env in ENVIRONMENTS:
        job = wf["jobs"][f"deploy-{env}"]
        assert job["environment"] == env
        assert job["env"]["NAMESPACE"] == f"layering-detection-{env}"
        assert job["env"]["TAG"] == "${{ github.sha }}"
        ids = [s.get("id") for s in job["steps"] if "run" in s]
        # the diff is printed before the apply, the rollback runs only when the apply or its wait failed
        assert ids == ["kubeconfig", "install", "tag", "diff", "apply", "rollback", "summary"]
        steps = {s.get("id"): s for s in job["steps"]}
        assert "kustomize edit set image" in steps["tag"]["run"]
        assert steps["diff"]["run"].startswith("k8smig diff")
        assert "--prune --wait" in steps["apply"]["run"]
        assert steps["rollback"]["if"] == "failure() && steps.apply.outcome == 'failure'"
        assert steps["rollback"]["run"].startswith("k8smig rollback")
        assert "GITHUB_STEP_SUMMARY" in steps["summary"]["run"] and "$TAG" in steps["summary"]["run"]
        assert "kubectl apply" not in "\n".join(s.get("run", "") for s in job["steps"])
    assert "main" in wf["jobs"]["deploy-dev"]["if"] and "develop" not in wf["jobs"]["deploy-prod"]["if"]


def test_documents_use_the_real_names(tree):
    irsa = (tree / "k8s/base/irsa-setup.md").read_text()
    for e in ENVIRONMENTS:
        assert f"--role-name layering-detection-{e}-external-secrets" in irsa
    assert "orchestrator, layering, wash-trading, aggregator) get no role" in irsa
    assert "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE" in irsa
    assert "fs-0123456789abcdef0" in (tree / "k8s/base/storage/README.md").read_text()
    assert "/eks/layering-detection/prod/<service>" in (tree / "k8s/monitoring/fluent-bit-install.md").read_text()
    rollback = (tree / "k8s/ROLLBACK.md").read_text()
    assert "bash k8s/scripts/rollback.sh prod" in rollback
    assert "--replicas=0" not in rollback and "rollout undo" not in rollback
    e2e = (tree / "k8s/tests/e2e-test.md").read_text()
    assert "-H 'Host:" not in e2e and '-H "Host: $HOST"' in e2e
    steps = [int(line[3:].split(".")[0]) for line in e2e.splitlines() if line.startswith("## ")]
    assert steps == list(range(1, len(steps) + 1)), steps
    # one field manager on every path: k8smig's (no kubectl apply anywhere)
    for f in list(tree.rglob("*.md")) + list(tree.rglob("*.sh")):
        assert "kubectl apply --server-side" not in f.read_text(), f
    assert "helm upgrade --install aws-load-balancer-controller" in \
        (tree / "k8s/ingress/aws-load-balancer-controller-install.md").read_text()
    assert "statement for statement" in (tree / "k8s/ingress/aws-load-balancer-controller-install.md").read_text()
    for f in tree.rglob("*.md"):
        text = f.read_text()
        assert "TODO" not in text and "<your" not in text.lower(), f


def test_a_config_change_changes_every_pod_template(tmp_path):
    """Pods read the ConfigMap at start only: a changed value must roll them (checked on the render)."""
    text = run("generate", "--print-spec").stdout
    changed = text.replace("    LOG_LEVEL: INFO\n", "    LOG_LEVEL: DEBUG\n")
    assert changed != text
    templates = {}
    for name, spec in (("before", text), ("after", changed)):
        (tmp_path / f"{name}.yaml").write_text(spec)
        generate(tmp_path / name, "--spec", str(tmp_path / f"{name}.yaml"))
        docs = [d for d in yaml.safe_load_all(kustomize(tmp_path / name / "k8s/overlays/dev")) if d]
        templates[name] = {d["metadata"]["name"]: d["spec"]["template"] for d in docs if d["kind"] == "Deployment"}
    assert sorted(templates["before"]) == sorted(SERVICES)
    for svc in SERVICES:
        a, b = templates["before"][svc], templates["after"][svc]
        key = "k8smig.io/config-sha256"
        assert len(a["metadata"]["annotations"][key]) == 64
        assert a["metadata"]["annotations"][key] != b["metadata"]["annotations"][key], svc
        a["metadata"]["annotations"].pop(key)
        b["metadata"]["annotations"].pop(key)
        assert a == b  # and nothing else moved
    # the same spec gives the same checksum (deterministic)
    generate(tmp_path / "again", "--spec", str(tmp_path / "before.yaml"))
    assert (tmp_path / "again/k8s/services/layering/deployment.yaml").read_bytes() == \
        (tmp_path / "before/k8s/services/layering/deployment.yaml").read_bytes()


# ---- a second, different spec ----

def test_two_services_tree_is_smaller_and_complete(two_tree):
    have = set(files(two_tree))
    assert not any(f.startswith("k8s/base/storage/") for f in have)
    assert not any(f.startswith("k8s/ingress/") for f in have)
    assert sorted(p.name for p in (two_tree / "k8s/overlays").iterdir()) == ["prod"]
    assert sorted(p.name for p in (two_tree / "k8s/services").iterdir()) == ["api", "worker"]
    assert "aws/iam/billing-aws-load-balancer-controller-policy.json" not in have
    text = kustomize(two_tree / "k8s/overlays/prod")
    validate(text)
    docs = [d for d in yaml.safe_load_all(text) if d]
    assert {d["metadata"].get("namespace") for d in docs} == {"billing"}
    api = [d for d in docs if d["kind"] == "Deployment" and d["metadata"]["name"] == "api"][0]
    c = api["spec"]["template"]["spec"]["containers"][0]
    assert c["image"] == "210987654321.dkr.ecr.eu-west-1.amazonaws.com/billing/api:2.4.1"
    assert c["resources"]["requests"] == {"cpu": "1", "memory": "2Gi"}
    assert c["readinessProbe"]["httpGet"]["path"] == "/ready"
    worker = [d for d in docs if d["kind"] == "Deployment" and d["metadata"]["name"] == "worker"][0]
    assert "livenessProbe" not in worker["spec"]["template"]["spec"]["containers"][0]
    store = [d for d in docs if d["kind"] == "SecretStore"][0]
    assert store["spec"]["provider"]["aws"]["service"] == "ParameterStore"
    hpa = [d for d in docs if d["kind"] == "HorizontalPodAutoscaler" and d["metadata"]["name"] == "api"][0]["spec"]
    assert (hpa["minReplicas"], hpa["maxReplicas"]) == (3, 6)
    assert [m["resource"]["name"] for m in hpa["metrics"]] == ["cpu"]
    validate(kustomize(two_tree / "k8s/monitoring"))
    fb = (two_tree / "k8s/monitoring/fluent-bit-config.yaml").read_text()
    assert "/eks/billing" in fb and "/ecs/" not in fb
    wf = yaml.safe_load((two_tree / ".github/workflows/deploy.yml").read_text())
    assert wf.get("on", wf.get(True))["push"]["branches"] == ["release"]
    assert list(wf["jobs"]) == ["build", "deploy-prod"] and wf["jobs"]["deploy-prod"]["env"]["TAG"] == "2.4.1"
    eso = json.loads((two_tree / "aws/iam/billing-prod-external-secrets-policy.json").read_text())
    assert eso["Statement"][0]["Resource"] == ["arn:aws:ssm:eu-west-1:210987654321:parameter/billing/prod/database-url"]
    assert eso["Statement"][0]["Action"] == ["ssm:GetParameter*"]


# ---- bad specs ----

def spec_text():
    return run("generate", "--print-spec").stdout


BAD_SPECS = {
    # name: (edit of the bundled spec, expected path, expected message part)
    "unknown-field": (("    desiredCount: 2\n", "    desiredCont: 2\n"), "services[1].desiredCont", "unknown field"),
    "wrong-type": (("    port: 8001\n", "    port: \"8001\"\n"), "services[1].port", "must be an integer"),
    # a missing field is reported at its mapping (the service's first line)
    "missing-image": (("    image: layering-detection-aggregator\n", ""), "services[3].image", "image is required",
                      "  - name: aggregator\n"),
    "duplicate-service": (("  - name: wash-trading\n", "  - name: layering\n"), "services[2].name", "duplicate service"),
    "invalid-name": (("  - name: wash-trading\n", "  - name: Wash_Trading\n"), "services[2].name", "not a valid name"),
}


@pytest.mark.parametrize("case", sorted(BAD_SPECS))
def test_bad_spec_fails_with_file_line_path_and_leaves_the_tree(case, tmp_path):
    (old, new), path, message, *anchor = BAD_SPECS[case]
    text = spec_text()
    assert text.count(old) >= 1
    bad = tmp_path / f"{case}.yaml"
    bad.write_text(text.replace(old, new, 1))
    line = text[:text.index(anchor[0] if anchor else old)].count("\n") + 1
    out = tmp_path / "out"
    generate(out)
    before = snapshot(out)
    r = run("generate", "--spec", str(bad), "-o", str(out))
    assert r.returncode == 1
    err = r.stderr.strip()
    assert err.startswith(f"{bad}:{line}:"), err
    assert f"(at {path})" in err and message in err, err
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([bad.name, "out"])


def test_bad_spec_never_prints_values(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(spec_text().replace("    MAX_RETRIES: \"3\"\n", "    MAX_RETRIES: 3\n    S3CR3T_VALUE: [hunter2]\n"))
    r = run("generate", "--spec", str(bad), "-o", str(tmp_path / "out"))
    assert r.returncode == 1
    assert "hunter2" not in r.stderr and "(at config.data.MAX_RETRIES)" in r.stderr
    assert not (tmp_path / "out").exists()


def test_usage_errors():
    assert run("generate", "--bogus").returncode == 2


# ---- the real test cluster ----

def kubectl(kubeconfig, *args, **kw):
    return subprocess.run(["kubectl", "--kubeconfig", kubeconfig, *args], capture_output=True, text=True,
                          check=False, **kw)


def test_dev_overlay_rolls_out_on_the_test_cluster(tree, tmp_path):
    """The dev overlay, applied with k8smig apply, becomes available on the real apiserver.

    Other suites share the cluster and use layering-detection-dev, so the overlay is applied
    through a wrapper kustomization that only moves it to a namespace of its own (deleted at the
    end); the monitoring directory is applied as it is (cluster-wide by design). The StorageClass
    is left out: it is cluster-wide with immutable parameters that other suites dry-run with other
    values, and without the EFS CSI driver the claims stay Pending either way."""
    kubeconfig = os.environ.get("K8SMIG_TEST_KUBECONFIG")
    if not kubeconfig:
        pytest.skip("K8SMIG_TEST_KUBECONFIG is not set (no test cluster)")
    env = dict(os.environ, KUBECONFIG=kubeconfig)
    ns = f"k8smig-generate-e2e-{os.getpid()}"
    shutil.copytree(tree / "k8s", tmp_path / "k8s")
    wrapper = tmp_path / "k8s/overlays/e2e"
    wrapper.mkdir()
    (wrapper / "kustomization.yaml").write_text(f"namespace: {ns}\nresources:\n- ../dev\n")
    try:
        # the overlay holds no Namespace (the admin layer k8s/cluster does)
        assert kubectl(kubeconfig, "create", "namespace", ns).returncode == 0
        for target in (tmp_path / "k8s/monitoring", wrapper):
            docs = [d for d in yaml.safe_load_all(kustomize(target)) if d and d["kind"] != "StorageClass"]
            rendered = yaml.safe_dump_all(docs, sort_keys=False)
            r = subprocess.run([k8smig(), "apply", "-f", "-"], input=rendered, capture_output=True, text=True,
                               check=False, env=env)
            assert r.returncode == 0, f"{target}: {r.stdout}\n{r.stderr}"
        deadline = time.monotonic() + 120
        while True:
            r = kubectl(kubeconfig, "-n", ns, "get", "deploy", "-o", "json")
            assert r.returncode == 0, r.stderr
            items = json.loads(r.stdout)["items"]
            ready = {d["metadata"]["name"]: d.get("status", {}).get("availableReplicas", 0) for d in items}
            want = {d["metadata"]["name"]: d["spec"].get("replicas", 1) for d in items}
            if sorted(ready) == sorted(SERVICES) and all(ready[n] >= want[n] >= 1 for n in ready):
                break
            assert time.monotonic() < deadline, f"Deployments not available after 120 s: {ready}"
            time.sleep(2)
        # the HPAs (not the manifests) own the replica counts, with the dev overlay's bounds
        r = kubectl(kubeconfig, "-n", ns, "get", "hpa", "-o", "json")
        bounds = {h["metadata"]["name"]: (h["spec"]["minReplicas"], h["spec"]["maxReplicas"])
                  for h in json.loads(r.stdout)["items"]}
        assert bounds == {"orchestrator": (1, 3), "layering": (1, 5), "wash-trading": (1, 5), "aggregator": (1, 3)}
        r = kubectl(kubeconfig, "-n", ns, "get", "externalsecret,secretstore,pvc", "-o", "name")
        assert r.returncode == 0, r.stderr
        for name in ("externalsecret.external-secrets.io/api-key", "secretstore.external-secrets.io/aws-secrets-manager",
                     "persistentvolumeclaim/input-pvc"):
            assert name in r.stdout, r.stdout
        r = kubectl(kubeconfig, "-n", "layering-detection-monitoring", "get", "daemonset", "-o", "name")
        assert r.stdout.split() == ["daemonset.apps/fluent-bit"], r.stdout
    finally:
        kubectl(kubeconfig, "delete", "namespace", ns, "--wait=false")


if __name__ == "__main__" and "--update" in sys.argv:
    if GOLDEN.exists():
        shutil.rmtree(GOLDEN)
    r = subprocess.run([k8smig(), "generate", "-o", str(GOLDEN)], capture_output=True, text=True, check=False)
    if r.returncode:
        sys.exit(r.stderr)
    print("wrote", len(files(GOLDEN)), "files to", GOLDEN)
