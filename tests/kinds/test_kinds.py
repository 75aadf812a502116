"""Golden YAML of every kind the typed builders cover (tests/golden/kinds/).

gen_kinds (tests/kinds/gen_kinds.c) builds one object per kind through the public
builders, and examples/layering_system builds the whole system of the reference plan.
Their output must equal the golden files byte for byte; every built-in kind must pass
kubernetes-validate --strict (the Kubernetes OpenAPI schemas, offline); CRD kinds must
read back with the right apiVersion and kind; and, when the test cluster is up
(K8SMIG_TEST_KUBECONFIG), the real API server with the project's CRDs accepts every
golden object in a server-side dry run.

Regenerate after an intended change:
    K8SMIG_GEN_KINDS=build/tests/kinds/gen_kinds \
    K8SMIG_LAYERING_SYSTEM=build/examples/layering_system python3 tests/kinds/test_kinds.py --update
"""
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

import pytest
import yaml

HERE = pathlib.Path(__file__).resolve().parent
GOLDEN = HERE.parent / "golden" / "kinds"
KUBERNETES_VERSION = "1.33.0"  # EKS's current line; the package ships its schemas offline
LAYERING = "layering-system"

# kind files whose kinds come from CRDs: (apiVersion, kind)
CRD_KINDS = {
    "secretstore": ("external-secrets.io/v1", "SecretStore"),
    "clustersecretstore": ("external-secrets.io/v1", "ClusterSecretStore"),
    "externalsecret": ("external-secrets.io/v1", "ExternalSecret"),
    "certificate": ("cert-manager.io/v1", "Certificate"),
    "clusterissuer": ("cert-manager.io/v1", "ClusterIssuer"),
    "issuer": ("cert-manager.io/v1", "Issuer"),
    "prometheusrule": ("monitoring.coreos.com/v1", "PrometheusRule"),
    "ingressclassparams": ("elbv2.k8s.aws/v1beta1", "IngressClassParams"),
    "kustomization": ("kustomize.config.k8s.io/v1beta1", "Kustomization"),
}
NOT_BUILT_IN = {kind for _, kind in CRD_KINDS.values()}


def tool(var):
    path = os.environ.get(var)
    if not path:
        raise RuntimeError(f"{var} is not set (meson test sets it)")
    return path


def generate(out_dir):
    """Write every kind file and the layering-system stream into out_dir."""
    subprocess.run([tool("K8SMIG_GEN_KINDS"), str(out_dir)], check=True)
    stream = subprocess.run([tool("K8SMIG_LAYERING_SYSTEM")], check=True, capture_output=True).stdout
    (pathlib.Path(out_dir) / f"{LAYERING}.yaml").write_bytes(stream)


@pytest.fixture(scope="module")
def generated():
    d = pathlib.Path(tempfile.mkdtemp(prefix="k8smig-kinds-"))
    try:
        generate(d)
        yield d
    finally:
        shutil.rmtree(d)


def golden_files():
    return sorted(GOLDEN.glob("*.yaml"))


def built_in_files():
    return [p for p in golden_files() if p.stem not in CRD_KINDS and p.stem != LAYERING]


def test_every_kind_has_a_golden_file(generated):
    assert sorted(p.name for p in generated.iterdir()) == [p.name for p in golden_files()]


@pytest.mark.parametrize("golden", golden_files(), ids=lambda p: p.stem)
def test_output_matches_golden(generated, golden):
    assert (generated / golden.name).read_bytes() == golden.read_bytes()


def run_validator(paths):
    return subprocess.run(["kubernetes-validate", "--strict", "-k", KUBERNETES_VERSION, *map(str, paths)],
                          capture_output=True, text=True, check=False)


def test_built_in_kinds_pass_strict_schema_validation():
    files = built_in_files()
    assert len(files) >= 20
    r = run_validator(files)
    out = r.stdout + r.stderr
    assert r.returncode == 0, out
    assert "ERROR" not in out and "WARN" not in out, out
    for f in files:
        assert f"INFO {f} passed" in out, out


def test_layering_system_built_in_documents_pass_strict_schema_validation(tmp_path):
    docs = [d for d in yaml.safe_load_all((GOLDEN / f"{LAYERING}.yaml").read_text()) if d]
    built_in = [d for d in docs if d["kind"] not in NOT_BUILT_IN]
    assert len(built_in) >= 30
    paths = []
    for i, d in enumerate(built_in):
        p = tmp_path / f"{i:02d}-{d['kind'].lower()}.yaml"
        p.write_text(yaml.safe_dump(d))
        paths.append(p)
    r = run_validator(paths)
    out = r.stdout + r.stderr
    assert r.returncode == 0 and "ERROR" not in out and "WARN" not in out, out


def test_the_validator_is_strict(tmp_path):
    """A guard for the two tests above: an unknown field must fail."""
    doc = yaml.safe_load((GOLDEN / "deployment.yaml").read_text())
    doc["spec"]["template"]["spec"]["containers"][0]["imagePullPolicyy"] = "Always"
    p = tmp_path / "bad.yaml"
    p.write_text(yaml.safe_dump(doc))
    r = run_validator([p])
    assert r.returncode != 0 and "ERROR" in r.stdout + r.stderr


@pytest.mark.parametrize("stem", sorted(CRD_KINDS))
def test_crd_kinds_read_back(stem):
    doc = yaml.safe_load((GOLDEN / f"{stem}.yaml").read_text())
    assert (doc["apiVersion"], doc["kind"]) == CRD_KINDS[stem]
    assert doc.get("spec") or doc.get("resources")


def test_zero_and_false_survive():
    d = yaml.safe_load((GOLDEN / "deployment.yaml").read_text())
    assert d["spec"]["replicas"] == 0
    pod = d["spec"]["template"]["spec"]
    assert pod["terminationGracePeriodSeconds"] == 0
    assert pod["securityContext"]["runAsGroup"] == 0
    assert pod["tolerations"][1]["tolerationSeconds"] == 0
    app = pod["containers"][0]
    assert app["livenessProbe"]["initialDelaySeconds"] == 0
    assert app["securityContext"]["allowPrivilegeEscalation"] is False
    assert app["securityContext"]["privileged"] is False
    assert app["volumeMounts"][2]["readOnly"] is False
    assert app["env"][1] == {"name": "EMPTY", "value": ""}
    assert d["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"] == 0
    cm = yaml.safe_load((GOLDEN / "configmap.yaml").read_text())
    assert cm["immutable"] is False
    assert cm["data"]["FEATURE_FLAG"] == "off" and cm["data"]["MAX_RETRIES"] == "3"
    hpa = yaml.safe_load((GOLDEN / "horizontalpodautoscaler.yaml").read_text())
    assert hpa["spec"]["behavior"]["scaleUp"]["stabilizationWindowSeconds"] == 0
    k = yaml.safe_load((GOLDEN / "kustomization.yaml").read_text())
    assert k["replicas"] == [{"name": "aggregator", "count": 0}]
    sc = yaml.safe_load((GOLDEN / "storageclass.yaml").read_text())
    assert sc["parameters"]["gid"] == "0"


def test_quantities_are_canonical():
    d = yaml.safe_load((GOLDEN / "deployment.yaml").read_text())
    res = d["spec"]["template"]["spec"]["containers"][0]["resources"]
    assert res == {"limits": {"cpu": "1", "memory": "1536Mi"}, "requests": {"cpu": "500m", "memory": "1Gi"}}
    pvc = yaml.safe_load((GOLDEN / "persistentvolumeclaim.yaml").read_text())
    assert pvc["spec"]["resources"]["requests"]["storage"] == "10Gi"


def test_layering_system_matches_the_plan():
    docs = [d for d in yaml.safe_load_all((GOLDEN / f"{LAYERING}.yaml").read_text()) if d]
    by_kind = {}
    for d in docs:
        by_kind.setdefault(d["kind"], []).append(d)
    deployments = {d["metadata"]["name"]: d for d in by_kind["Deployment"]}
    assert sorted(deployments) == ["aggregator", "layering", "orchestrator", "wash-trading"]
    for name, d in deployments.items():
        assert "replicas" not in d["spec"], "HPA-managed Deployments leave spec.replicas to the HPA"
        c = d["spec"]["template"]["spec"]["containers"][0]
        assert c["resources"]["requests"]["cpu"] == "500m"
        assert c["livenessProbe"]["periodSeconds"] == 30 and c["livenessProbe"]["timeoutSeconds"] == 10
        assert c["livenessProbe"]["initialDelaySeconds"] == 5
        assert c["readinessProbe"]["periodSeconds"] == 10 and c["readinessProbe"]["timeoutSeconds"] == 5
    assert deployments["orchestrator"]["spec"]["template"]["spec"]["containers"][0]["resources"]["requests"]["memory"] == "1Gi"
    hpas = {h["metadata"]["name"]: h["spec"] for h in by_kind["HorizontalPodAutoscaler"]}
    assert {n: (s["minReplicas"], s["maxReplicas"]) for n, s in hpas.items()} == {
        "orchestrator": (1, 5), "layering": (1, 10), "wash-trading": (1, 10), "aggregator": (1, 5)}
    cm = next(c for c in by_kind["ConfigMap"] if c["metadata"]["name"] == "layering-detection-config")
    assert cm["data"]["LAYERING_SERVICE_URL"] == "http://layering:8001"
    assert cm["data"]["ALGORITHM_TIMEOUT_SECONDS"] == "30"
    ing = by_kind["Ingress"][0]
    assert ing["metadata"]["annotations"]["alb.ingress.kubernetes.io/listen-ports"] == '[{"HTTP":80},{"HTTPS":443}]'
    assert [(p["path"], p["pathType"]) for p in ing["spec"]["rules"][0]["http"]["paths"]] == [
        ("/orchestrate", "Prefix"), ("/health", "Exact"), ("/", "Prefix")]


if __name__ == "__main__" and "--update" in sys.argv:
    for old in golden_files():
        old.unlink()
    GOLDEN.mkdir(parents=True, exist_ok=True)
    generate(GOLDEN)
    print("wrote", len(golden_files()), "files to", GOLDEN)


KUBECONFIG = os.environ.get("K8SMIG_TEST_KUBECONFIG")


@pytest.mark.skipif(not KUBECONFIG, reason="K8SMIG_TEST_KUBECONFIG is not set (no test cluster)")
def test_api_server_accepts_every_golden_object():
    """Server-side dry run of every kind (CRD kinds against tests/cluster/crds), and of the
    whole layering-detection stream, on the real kube-apiserver."""
    namespaces = set()
    files = [p for p in golden_files() if p.stem != "kustomization"]  # not a cluster object
    for p in files:
        for doc in yaml.safe_load_all(p.read_text()):
            if doc and doc.get("metadata", {}).get("namespace"):
                namespaces.add(doc["metadata"]["namespace"])
            if doc and doc.get("kind") == "Namespace":
                namespaces.discard(doc["metadata"]["name"])
    ns_docs = "".join(f"---\napiVersion: v1\nkind: Namespace\nmetadata: {{name: {n}}}\n" for n in sorted(namespaces))
    k8smig = tool("K8SMIG_BIN")
    r = subprocess.run([k8smig, "apply", "--kubeconfig", KUBECONFIG, "-f", "-"], input=ns_docs,
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    for p in files:
        if p.stem == LAYERING:
            # the stream's Kustomization is for kustomize, not for the cluster
            docs = [d for d in yaml.safe_load_all(p.read_text()) if d and d.get("kind") != "Kustomization"]
            text = yaml.safe_dump_all(docs)
        else:
            text = p.read_text()
        r = subprocess.run([k8smig, "apply", "--kubeconfig", KUBECONFIG, "--dry-run=server", "-f", "-"],
                           input=text, capture_output=True, text=True)
        assert r.returncode == 0, f"{p.name}: {r.stderr}"


# ---- the whole system, built through the typed builders, against the validator ----------

def system_docs():
    return [d for d in yaml.safe_load_all((GOLDEN / f"{LAYERING}.yaml").read_text())
            if d and d.get("kind") != "Kustomization"]


def find(docs, kind, name):
    return next(d for d in docs if d["kind"] == kind and d["metadata"]["name"] == name)


def findings(tmp_path, docs):
    import json
    p = tmp_path / "system.yaml"
    p.write_text(yaml.safe_dump_all(docs))
    r = subprocess.run([tool("K8SMIG_BIN"), "validate", "-o", "json", str(p)], capture_output=True, text=True)
    return r.returncode, json.loads(r.stdout)


def test_built_system_validates_clean(tmp_path):
    rc, found = findings(tmp_path, system_docs())
    assert (rc, found) == (0, [])


def _pod(d):
    return d["spec"]["template"]["spec"]


def _dynamic_claims_without_class(ds):
    """Claims provisioned dynamically (no static PVs) by a class that is not in the set."""
    for d in [d for d in ds if d["kind"] in ("StorageClass", "PersistentVolume")]:
        ds.remove(d)
    for d in ds:
        if d["kind"] == "PersistentVolumeClaim":
            d["spec"].pop("volumeName", None)


# Each deliberate mistake of the issue, made on the builder-built system: exactly one finding.
MISTAKES = {
    "service selects nothing": ("K8SMIG-SELECTOR-NO-MATCH", lambda ds: find(ds, "Service", "layering")["spec"]["selector"].update({"app.kubernetes.io/name": "nope"})),
    "ingress names a missing service": ("K8SMIG-INGRESS-BACKEND", lambda ds: find(ds, "Service", "orchestrator").update(metadata={**find(ds, "Service", "orchestrator")["metadata"], "name": "orchestrator-svc"})),
    "hpa targets a missing deployment": ("K8SMIG-HPA-TARGET", lambda ds: find(ds, "HorizontalPodAutoscaler", "layering")["spec"]["scaleTargetRef"].update(name="layerin")),
    "hpa target lacks requests": ("K8SMIG-HPA-REQUESTS", lambda ds: _pod(find(ds, "Deployment", "wash-trading"))["containers"][0]["resources"].pop("requests")),
    "deployment keeps replicas under an hpa": ("K8SMIG-HPA-REPLICAS", lambda ds: find(ds, "Deployment", "aggregator")["spec"].update(replicas=1)),
    "pvc names a missing storage class": ("K8SMIG-STORAGECLASS-MISSING", lambda ds: _dynamic_claims_without_class(ds)),
    "service account missing": ("K8SMIG-SERVICEACCOUNT-MISSING", lambda ds: ds.remove(find(ds, "ServiceAccount", "wash-trading"))),
    "secret store missing": ("K8SMIG-SECRETSTORE-MISSING", lambda ds: find(ds, "SecretStore", "aws-secrets-manager")["metadata"].update(name="other-store")),
    "credential in a configmap": ("K8SMIG-CONFIGMAP-CREDENTIAL", lambda ds: find(ds, "ConfigMap", "layering-detection-config")["data"].update(DB_PASSWORD="hunter2")),
    "malformed irsa arn": ("K8SMIG-IRSA-ARN", lambda ds: find(ds, "ServiceAccount", "layering")["metadata"]["annotations"].update({"eks.amazonaws.com/role-arn": "arn:aws:iam::12345:role/x"})),
    "hpa min above max": ("K8SMIG-HPA-RANGE", lambda ds: find(ds, "HorizontalPodAutoscaler", "orchestrator")["spec"].update(minReplicas=9, maxReplicas=5)),
    "port out of range": ("K8SMIG-PORT-RANGE", lambda ds: _pod(find(ds, "Deployment", "layering"))["containers"][0]["ports"][0].update(containerPort=70000)),
}


@pytest.mark.parametrize("mistake", sorted(MISTAKES))
def test_each_mistake_gives_exactly_its_finding(tmp_path, mistake):
    code, mutate = MISTAKES[mistake]
    docs = system_docs()
    mutate(docs)
    rc, found = findings(tmp_path, docs)
    # that finding and nothing else (once per referrer: three Ingress paths name the
    # renamed Service, two ExternalSecrets the renamed store)
    assert {f["code"] for f in found} == {code}, found
    severity = found[0]["severity"]
    assert rc == (1 if severity == "error" else 0)
