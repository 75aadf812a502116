"""`k8smig import-ecs` and `k8smig import-terraform`: the running ECS system into a spec and a tree.

The fixtures (tests/fixtures/ecs, tests/fixtures/terraform) were written for these tests in the
formats the AWS and Terraform CLIs print. Expected values come from the mapping rules of
docs/import.md (1024 CPU units = 1 vCPU, MiB as Kubernetes quantities, ...), not from our output.
The produced trees are checked with kubectl kustomize + k8smig validate, and (with
K8SMIG_TEST_KUBECONFIG) by a server-side dry run on the real test cluster.
"""
import json
import os
import pathlib
import shutil
import subprocess
import uuid

import pytest
import yaml

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
ECS = ROOT / "tests/fixtures/ecs"
TF = ROOT / "tests/fixtures/terraform/layering-detection.tfstate.json"
DEFAULT_SPEC = ROOT / "lib/migrate/default_spec.yaml"
ECS_ARGS = ["--task-definition", str(ECS / "td-api-fargate.json"), str(ECS / "td-worker-ec2.json"),
            "--services", str(ECS / "services.json"), "--scalable-targets", str(ECS / "scalable-targets.json"),
            "--scaling-policies", str(ECS / "scaling-policies.json")]


def k8smig():
    path = os.environ.get("K8SMIG_BIN")
    if not path:
        raise RuntimeError("K8SMIG_BIN is not set (meson test sets it)")
    return path


def run(*args, **kw):
    return subprocess.run([k8smig(), *args], capture_output=True, text=True, check=False, **kw)


def kustomize(path):
    r = subprocess.run(["kubectl", "kustomize", str(path)], capture_output=True, text=True, check=False)
    assert r.returncode == 0, f"kubectl kustomize {path}: {r.stderr}"
    return r.stdout


@pytest.fixture(scope="module")
def ecs(tmp_path_factory):
    d = tmp_path_factory.mktemp("ecs")
    r = run("import-ecs", *ECS_ARGS, "--spec-out", str(d / "spec.yaml"), "-o", str(d / "tree"),
            "--report", str(d / "report.json"))
    assert r.returncode == 0, r.stderr
    return {"dir": d, "spec": yaml.safe_load((d / "spec.yaml").read_text()),
            "report": json.loads((d / "report.json").read_text()), "summary": r.stderr}


def svc(spec, name):
    return next(s for s in spec["services"] if s["name"] == name)


def objects(tree, env):
    return [d for d in yaml.safe_load_all(kustomize(tree / "k8s/overlays" / env)) if d]


def find(docs, kind, name):
    return next(d for d in docs if d["kind"] == kind and d["metadata"]["name"] == name)


# ---- the spec, field by field ----

def test_names_account_and_region_from_the_arns(ecs):
    spec = ecs["spec"]
    assert spec["name"] == "billing"                       # the ECS cluster's name
    assert spec["aws"]["accountId"] == "210987654321" and spec["aws"]["region"] == "eu-west-1"
    assert spec["aws"]["ecrRegistry"] == "210987654321.dkr.ecr.eu-west-1.amazonaws.com"
    assert [s["name"] for s in spec["services"]] == ["api", "worker"]   # "billing-" cut off
    assert svc(spec, "api")["image"] == "billing/api" and svc(spec, "worker")["image"] == "billing/worker"


def test_fargate_cpu_and_memory(ecs):
    api = svc(ecs["spec"], "api")
    assert api["port"] == 9000
    assert api["cpu"] == 1024            # container cpu 0: the Fargate task size "1024"
    assert api["memory"] == 1536         # hard limit -> limit
    assert api["memoryRequest"] == 1024  # memoryReservation -> request
    assert api["terminationGracePeriodSeconds"] == 60   # stopTimeout


def test_ec2_cpu_and_soft_memory_only(ecs):
    worker = svc(ecs["spec"], "worker")
    assert worker["cpu"] == 512 and worker["memory"] == 768 and "memoryRequest" not in worker
    assert "terminationGracePeriodSeconds" not in worker
    entry = next(e for e in ecs["report"]["entries"] if e["source"].endswith("containerDefinitions[0].memoryReservation")
                 and e["service"] == "worker")
    assert entry["status"] == "approximated" and "request" in entry["note"] and "limit" in entry["note"]


def test_secrets_both_stores_never_in_a_configmap(ecs):
    spec = ecs["spec"]
    api, worker = svc(spec, "api"), svc(spec, "worker")
    # prod (the last environment, where ECS runs) reads what ECS reads; dev and staging get entries of
    # their own (docs/import.md): ${environment} in place of the "prod" segment, else a segment before
    # the name's last one; an ARN's name loses AWS's 6-character suffix
    assert api["secrets"] == [
        {"name": "DATABASE_URL", "from": "secretsManager", "key": "billing/${environment}/db",
         "keys": {"prod": "arn:aws:secretsmanager:eu-west-1:210987654321:secret:billing/db-Ab12Cd"}, "property": "url"},
        {"name": "JWT_SIGNING_KEY", "from": "parameterStore", "key": "/billing/${environment}/jwt-signing-key"}]
    assert worker["secrets"] == [{"name": "QUEUE_TOKEN", "from": "parameterStore",
                                  "key": "/billing/${environment}/queue-token"}]
    # the entries to create are decisions, one per secret, naming both sides
    decide = [e for e in ecs["report"]["entries"] if e["status"] == "decide" and e["target"]
              and e["target"].endswith(".key")]
    assert sorted(e["target"] for e in decide) == ["services[0].secrets[0].key", "services[0].secrets[1].key",
                                                   "services[1].secrets[0].key"]
    assert all("create them" in e["note"] for e in decide)
    assert any("billing/${environment}/db" in e["note"] and "billing/db-Ab12Cd" in e["note"] for e in decide)
    # and the overlays read them: prod what ECS reads, dev its own
    keys = {env: {d["metadata"]["name"]: d["spec"]["data"][0]["remoteRef"]["key"]
                  for d in objects(ecs["dir"] / "tree", env) if d["kind"] == "ExternalSecret"}
            for env in ("dev", "prod")}
    assert keys["prod"] == {"database-url": "arn:aws:secretsmanager:eu-west-1:210987654321:secret:billing/db-Ab12Cd",
                            "jwt-signing-key": "/billing/prod/jwt-signing-key", "queue-token": "/billing/prod/queue-token"}
    assert keys["dev"] == {"database-url": "billing/dev/db", "jwt-signing-key": "/billing/dev/jwt-signing-key",
                           "queue-token": "/billing/dev/queue-token"}
    # the pinned version stage is a decision, not silently dropped
    assert any(e["status"] == "decide" and "AWSPREVIOUS" in e["note"] for e in ecs["report"]["entries"])
    for env in ("dev", "prod"):
        for d in objects(ecs["dir"] / "tree", env):
            if d["kind"] == "ConfigMap":
                assert not {"DATABASE_URL", "JWT_SIGNING_KEY", "QUEUE_TOKEN"} & set(d.get("data", {})), d


def test_environment_shared_and_per_service(ecs):
    spec = ecs["spec"]
    assert spec["config"]["data"] == {"LOG_FORMAT": "json"}      # same value in both services
    assert svc(spec, "api")["env"] == {"API_MODE": "public"}
    assert svc(spec, "worker")["env"] == {"BATCH_SIZE": "50"}


def test_health_checks(ecs):
    api, worker = svc(ecs["spec"], "api"), svc(ecs["spec"], "worker")
    assert api["health"]["path"] == "/healthz"                  # curl -f http://localhost:9000/healthz
    assert api["health"]["liveness"] == {"periodSeconds": 15, "timeoutSeconds": 3, "failureThreshold": 4,
                                         "initialDelaySeconds": 20}
    assert worker["health"] == {"enabled": False}               # CMD /usr/local/bin/worker-health: exec
    e = next(e for e in ecs["report"]["entries"] if e["service"] == "worker" and e["source"].endswith("healthCheck.command"))
    assert e["status"] == "dropped" and "exec" in e["note"]


def test_efs_volumes(ecs):
    spec = ecs["spec"]
    assert spec["storage"]["efs"]["fileSystemId"] == "fs-0a1b2c3d4e5f67890"
    assert spec["storage"]["volumes"] == [{"name": "invoices", "accessPoint": "fsap-0123456789abcdef0"},
                                          {"name": "exports", "path": "/exports"}]
    assert svc(spec, "worker")["volumes"] == [{"name": "invoices", "mountPath": "/srv/invoices", "readOnly": True},
                                              {"name": "exports", "mountPath": "/srv/exports"}]


def test_scaling(ecs):
    api, worker = svc(ecs["spec"], "api"), svc(ecs["spec"], "worker")
    assert (api["desiredCount"], api["minCount"], api["maxCount"]) == (3, 2, 6)
    # two target tracking policies: CPU 60, memory 75; cooldowns 60/120 out and 300/600 in: the longest
    assert api["scaling"] == {"cpuPercent": 60, "memoryPercent": 75, "scaleUpStabilizationSeconds": 120,
                              "scaleDownStabilizationSeconds": 600}
    assert (worker["desiredCount"], worker["minCount"], worker["maxCount"]) == (2, 1, 4)
    assert worker["scaling"] == {"cpuPercent": 70, "memoryPercent": 0}   # step scaling: approximated
    e = next(e for e in ecs["report"]["entries"] if "StepScaling" in e["source"])
    assert e["status"] == "approximated" and e["service"] == "worker"


def test_rendered_objects(ecs):
    docs = objects(ecs["dir"] / "tree", "prod")
    api = find(docs, "Deployment", "api")
    pod = api["spec"]["template"]["spec"]
    c = pod["containers"][0]
    assert c["resources"] == {"limits": {"memory": "1536Mi"}, "requests": {"cpu": "1", "memory": "1Gi"}}
    assert pod["terminationGracePeriodSeconds"] == 60
    assert c["livenessProbe"]["httpGet"]["path"] == "/healthz" and c["livenessProbe"]["periodSeconds"] == 15
    assert c["image"] == "210987654321.dkr.ecr.eu-west-1.amazonaws.com/billing/api:set-by-ci"  # CI sets the tag
    worker = find(docs, "Deployment", "worker")["spec"]["template"]["spec"]
    assert worker["containers"][0]["resources"]["requests"] == {"cpu": "500m", "memory": "768Mi"}
    assert worker["terminationGracePeriodSeconds"] == 30
    assert "livenessProbe" not in worker["containers"][0]
    sa = find(docs, "ServiceAccount", "api")        # services get no IAM role: taskRoleArn is a decision
    assert "eks.amazonaws.com/role-arn" not in sa["metadata"].get("annotations", {})
    assert any(e["status"] == "decide" and e["source"].endswith("taskRoleArn") and "billing-api-task" in e["note"]
               for e in ecs["report"]["entries"] if e["service"] == "api")
    es = find(docs, "ExternalSecret", "database-url")
    assert es["spec"]["data"][0]["remoteRef"]["property"] == "url"
    hpa = find(docs, "HorizontalPodAutoscaler", "api")
    assert (hpa["spec"]["minReplicas"], hpa["spec"]["maxReplicas"]) == (3, 6)


def test_one_environment_keeps_the_ecs_entries(tmp_path):
    # with one environment nothing is shared: the secrets and the log groups stay ECS's, no decision
    (tmp_path / "base.yaml").write_text(
        "name: billing\naws: {accountId: '210987654321', region: eu-west-1, "
        "oidcProvider: oidc.eks.eu-west-1.amazonaws.com/id/ABC}\nenvironments: {prod: {}}\nservices: []\n")
    r = run("import-ecs", *ECS_ARGS, "--base-spec", str(tmp_path / "base.yaml"), "--spec-out", str(tmp_path / "spec.yaml"),
            "-o", str(tmp_path / "tree"), "--report", str(tmp_path / "report.json"), "-q")
    assert r.returncode == 0, r.stderr
    spec, report = yaml.safe_load((tmp_path / "spec.yaml").read_text()), json.loads((tmp_path / "report.json").read_text())
    assert svc(spec, "api")["secrets"][0] == {
        "name": "DATABASE_URL", "from": "secretsManager",
        "key": "arn:aws:secretsmanager:eu-west-1:210987654321:secret:billing/db-Ab12Cd", "property": "url"}
    assert svc(spec, "worker")["secrets"] == [{"name": "QUEUE_TOKEN", "from": "parameterStore",
                                               "key": "/billing/prod/queue-token"}]
    assert spec["logging"]["logGroupPattern"] == "/ecs/${app}/${service}"
    assert not [e for e in report["entries"] if e["target"] and
                (e["target"].endswith(".key") or e["target"] == "logging.logGroupPattern") and e["status"] == "decide"]


def test_secret_names_without_a_path_and_too_long(tmp_path):
    def imported(value_from):
        td = {"taskDefinitionArn": "arn:aws:ecs:eu-west-1:210987654321:task-definition/billing-api:1", "family": "billing-api",
              "containerDefinitions": [{"name": "api", "image": "210987654321.dkr.ecr.eu-west-1.amazonaws.com/api:1",
                                        "secrets": [{"name": "TOKEN", "valueFrom": value_from}]}]}
        (tmp_path / "td.json").write_text(json.dumps(td))
        return run("import-ecs", "--task-definition", str(tmp_path / "td.json"), "--spec-out", str(tmp_path / "spec.yaml"),
                   "-o", str(tmp_path / "tree"), "-q")
    r = imported("token")                           # a parameter name without '/': a suffix for the others
    assert r.returncode == 0, r.stderr
    assert yaml.safe_load((tmp_path / "spec.yaml").read_text())["services"][0]["secrets"] == [
        {"name": "TOKEN", "from": "parameterStore", "key": "token-${environment}", "keys": {"prod": "token"}}]
    shutil.rmtree(tmp_path / "tree")
    r = imported("x" * 250)                         # fits the spec for prod, not with -${environment}
    assert r.returncode == 1
    assert "containerDefinitions[0].secrets[0].valueFrom" in r.stderr and "per environment" in r.stderr, r.stderr


def test_logs_go_to_a_group_per_environment(ecs):
    # ECS logs to /ecs/billing/<service> for its one environment; three environments must not share
    # groups (docs/spec.md), so the spec keeps its default pattern and the report says so
    assert "logGroupPattern" not in ecs["spec"].get("logging", {})
    assert any(e["status"] == "decide" and e["target"] == "logging.logGroupPattern" and "/ecs/${app}/${service}" in e["note"]
               for e in ecs["report"]["entries"])
    conf = (ecs["dir"] / "tree/k8s/monitoring/fluent-bit-config.yaml").read_text()
    for env in ("dev", "staging", "prod"):
        assert f"log_group_template  /eks/billing/{env}/" in conf
    assert "/ecs/billing" not in conf


@pytest.mark.parametrize("env", ["dev", "staging", "prod"])
def test_overlays_validate(ecs, env):
    # with the admin layer (k8s/cluster: the StorageClass and PVs the overlay's claims name) and the other overlays
    tree = ecs["dir"] / "tree/k8s"
    overlays = [kustomize(tree / "overlays" / e) for e in ("dev", "staging", "prod") if e != env]
    r = run("validate", "-", input="---\n".join([kustomize(tree / "cluster"), kustomize(tree / "overlays" / env)] + overlays))
    assert r.returncode == 0 and " 0 errors" in r.stderr, r.stdout + r.stderr


# ---- the report ----

def test_report_is_stable_and_complete(ecs, tmp_path):
    r = run("import-ecs", *ECS_ARGS, "--spec-out", str(tmp_path / "s.yaml"), "--report", str(tmp_path / "r.json"), "-q")
    assert r.returncode == 0 and r.stderr == ""
    assert (tmp_path / "r.json").read_bytes() == (ecs["dir"] / "report.json").read_bytes()
    rep = ecs["report"]
    assert rep["services"] == ["api", "worker"]
    assert sum(rep["summary"].values()) == len(rep["entries"])
    statuses = {e["status"] for e in rep["entries"]}
    assert statuses == {"mapped", "approximated", "dropped", "decide"}
    # what ECS says and the spec cannot hold is in the report, named by its JSON path
    for field in ("containerDefinitions[1]", "readonlyRootFilesystem", "command", "ulimits", "linuxParameters",
                  "executionRoleArn", "networkConfiguration", "launchType"):
        assert any(field in e["source"] for e in rep["entries"]), field
    assert "import of billing:" in ecs["summary"] and "\napi\n" in ecs["summary"]


# ---- errors: a clear message with the JSON path, nothing written ----

@pytest.mark.parametrize("text,where", [
    ('{"taskDefinition": {"family": "x", "containerDefinitions": [{"name": "a"', "td.json:1:"),
    ('{"taskDefinition": {"family": "x", "containerDefinitions": [{"name": "a", "image": "a", "cpu": "lots"}]}}',
     "(at taskDefinition.containerDefinitions[0].cpu)"),
    ('{"family": "x", "containerDefinitions": [{"name": "a", "image": "a", "secrets": '
     '[{"name": "K", "valueFrom": "arn:aws:s3:::bucket/key"}]}]}', "(at containerDefinitions[0].secrets[0].valueFrom)"),
    ('{"family": "x", "containerDefinitions": {"name": "a"}}', "(at containerDefinitions)"),
    ('{"taskDefinition": {"family": "x"}}', "(at taskDefinition.containerDefinitions)"),
    ('[1, 2]', "td.json"),
])
def test_bad_task_definitions(tmp_path, text, where):
    (tmp_path / "td.json").write_text(text)
    r = run("import-ecs", "--task-definition", str(tmp_path / "td.json"), "--spec-out", str(tmp_path / "s.yaml"),
            "-o", str(tmp_path / "tree"), "--report", str(tmp_path / "r.json"))
    assert r.returncode == 1, r.stderr
    assert where in r.stderr, r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["td.json"]


def test_truncated_inputs_never_crash(tmp_path):
    data = (ECS / "td-api-fargate.json").read_bytes()
    for n in range(0, len(data), 97):
        (tmp_path / "td.json").write_bytes(data[:n])
        r = run("import-ecs", "--task-definition", str(tmp_path / "td.json"), "-q")
        assert r.returncode == 1 and r.stderr.startswith(str(tmp_path / "td.json")), (n, r.stderr)


def test_terraform_bad_container_definitions(tmp_path):
    state = json.loads(TF.read_text())
    td = next(r for m in state["values"]["root_module"]["child_modules"] for r in m["resources"]
              if r["type"] == "aws_ecs_task_definition")
    td["values"]["container_definitions"] = td["values"]["container_definitions"][:40]
    (tmp_path / "state.json").write_text(json.dumps(state))
    r = run("import-terraform", "--state", str(tmp_path / "state.json"), "-o", str(tmp_path / "tree"))
    assert r.returncode == 1
    assert "values.root_module.child_modules[0].resources[0].values.container_definitions" in r.stderr, r.stderr
    assert not (tmp_path / "tree").exists()


def test_usage():
    assert run("import-ecs").returncode == 2
    assert run("import-terraform", "--bogus").returncode == 2


# ---- Terraform: the layering-detection system ----

def test_terraform_state_gives_the_bundled_tree(tmp_path):
    # the bundled spec's cutover section names the ECS ALB's listener, VPC and security group, which
    # the state does not hold (and the importer does not write): compare with the bundled spec
    # without it
    bundled_spec = yaml.safe_load(DEFAULT_SPEC.read_text())
    assert "cutover" in bundled_spec
    del bundled_spec["cutover"]
    (tmp_path / "bundled.yaml").write_text(yaml.safe_dump(bundled_spec, sort_keys=False))
    r = run("generate", "--spec", str(tmp_path / "bundled.yaml"), "-o", str(tmp_path / "bundled"))
    assert r.returncode == 0, r.stderr
    r = run("import-terraform", "--state", str(TF), "--base-spec", str(DEFAULT_SPEC), "-o", str(tmp_path / "imported"),
            "--spec-out", str(tmp_path / "spec.yaml"), "--report", str(tmp_path / "report.json"), "-q")
    assert r.returncode == 0, r.stderr
    a, b = tmp_path / "bundled", tmp_path / "imported"
    fa = sorted(str(p.relative_to(a)) for p in a.rglob("*") if p.is_file())
    fb = sorted(str(p.relative_to(b)) for p in b.rglob("*") if p.is_file())
    assert fa == fb
    for f in fa:
        assert (a / f).read_bytes() == (b / f).read_bytes(), f
    # and the imported spec says the same as the bundled one, field by field
    imported, bundled = yaml.safe_load((tmp_path / "spec.yaml").read_text()), yaml.safe_load(DEFAULT_SPEC.read_text())
    for s_imp, s_b in zip(imported["services"], bundled["services"]):
        for key in ("name", "image", "port", "cpu", "memory", "desiredCount", "minCount", "maxCount", "secrets", "ingress"):
            assert s_imp.get(key) == s_b.get(key), (s_b["name"], key)
    assert imported["config"]["data"] == bundled["config"]["data"]
    assert imported["alarms"] == {k: v for k, v in bundled["alarms"].items()}
    rep = json.loads((tmp_path / "report.json").read_text())
    assert any("module.ecs.aws_ecs_task_definition" in e["source"] for e in rep["entries"])


def test_terraform_without_base(tmp_path):
    r = run("import-terraform", "--state", str(TF), "--spec-out", str(tmp_path / "spec.yaml"))
    assert r.returncode == 0, r.stderr
    spec = yaml.safe_load((tmp_path / "spec.yaml").read_text())
    assert spec["name"] == "layering-detection" and spec["aws"]["accountId"] == "123456789012"
    assert "decide" in r.stderr and "oidcProvider" in r.stderr


# ---- the real test cluster ----

def test_imported_tree_server_dry_run(ecs, tmp_path):
    """Every object of the imported prod overlay is accepted by the real apiserver (server-side dry run),
    in a namespace of its own; the StorageClass is left out (cluster-wide, immutable, shared)."""
    kubeconfig = os.environ.get("K8SMIG_TEST_KUBECONFIG")
    if not kubeconfig:
        pytest.skip("K8SMIG_TEST_KUBECONFIG is not set (no test cluster)")
    ns = f"k8smig-import-{uuid.uuid4().hex[:8]}"
    shutil.copytree(ecs["dir"] / "tree/k8s", tmp_path / "k8s")
    wrapper = tmp_path / "k8s/overlays/e2e"
    wrapper.mkdir()
    (wrapper / "kustomization.yaml").write_text(f"namespace: {ns}\nresources:\n- ../prod\n")
    docs = [d for d in yaml.safe_load_all(kustomize(wrapper)) if d and d["kind"] not in ("StorageClass", "Namespace")]
    kinds = {d["kind"] for d in docs}
    assert {"Deployment", "Service", "HorizontalPodAutoscaler", "ExternalSecret", "ServiceAccount",
            "PersistentVolumeClaim", "ConfigMap"} <= kinds, kinds
    env = dict(os.environ, KUBECONFIG=kubeconfig)
    subprocess.run(["kubectl", "--kubeconfig", kubeconfig, "create", "namespace", ns], check=True, capture_output=True)
    try:
        r = subprocess.run([k8smig(), "apply", "-f", "-", "--dry-run=server"], input=yaml.safe_dump_all(docs),
                           capture_output=True, text=True, check=False, env=env)
        assert r.returncode == 0, r.stdout + r.stderr
        assert r.stdout.count("(server dry run)") == len(docs), r.stdout
    finally:
        subprocess.run(["kubectl", "--kubeconfig", kubeconfig, "delete", "namespace", ns, "--wait=false"],
                       capture_output=True, check=False)


def test_html_report(tmp_path):
    """One self-contained page: a table per service, one row per report entry, coloured by status."""
    import html.parser

    r = run("import-ecs", *ECS_ARGS, "-q", "--spec-out", str(tmp_path / "s.yaml"), "--report", str(tmp_path / "r.json"),
            "--report-html", str(tmp_path / "r.html"))
    assert r.returncode == 0, r.stderr
    entries = json.loads((tmp_path / "r.json").read_text())["entries"]

    class Page(html.parser.HTMLParser):
        def __init__(self):
            super().__init__()
            self.rows, self.h2, self.external = [], [], []
            self._in_h2 = False

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "tr" and "class" in a:
                self.rows.append(a["class"])
            if tag == "h2":
                self._in_h2 = True
            if tag in ("link", "script", "img") or "src" in a or "href" in a:
                self.external.append(tag)

        def handle_endtag(self, tag):
            if tag == "h2":
                self._in_h2 = False

        def handle_data(self, data):
            if self._in_h2:
                self.h2.append(data)

    page = Page()
    page.feed((tmp_path / "r.html").read_text())
    assert page.rows == [e["status"] for e in entries]
    assert page.h2 == ["System", "api", "worker"]
    assert page.external == []
    text = (tmp_path / "r.html").read_text()
    assert "containerDefinitions[0].memory" in text and "services[0].memory -&gt; Deployment api" in text
