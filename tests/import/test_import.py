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
    # stopTimeout 60 after SIGTERM, as on ECS, behind the 10 s preStop sleep and the ALB's 30 s draining
    assert api["terminationGracePeriodSeconds"] == 10 + 30 + 60


def test_fargate_launch_type_puts_the_service_on_fargate(ecs):
    services = json.loads((ECS / "services.json").read_text())["services"]
    launch = {s["serviceName"]: s["launchType"] for s in services}
    assert sorted(launch.values()) == ["EC2", "FARGATE"]
    api, worker = svc(ecs["spec"], "api"), svc(ecs["spec"], "worker")
    assert api.get("fargate") is True and "fargate" not in worker
    entry = next(e for e in ecs["report"]["entries"] if e["source"].endswith("launchType") and e["service"] == "api")
    assert entry["status"] == "mapped" and entry["target"] == "services[0].fargate"
    # the generated tree: one profile per environment selecting the api's pods only
    for env in ecs["spec"]["environments"] if "environments" in ecs["spec"] else ("dev", "staging", "prod"):
        prof = json.loads((ecs["dir"] / f"tree/aws/fargate/{env}-profile.json").read_text())
        assert [sel["labels"]["app.kubernetes.io/name"] for sel in prof["selectors"]] == ["api"]


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
    assert api["health"]["liveness"] == {"periodSeconds": 15, "timeoutSeconds": 3, "failureThreshold": 4}
    assert api["health"]["startupSeconds"] == 20                # startPeriod: a startupProbe
    # CMD /usr/local/bin/worker-health: the same command as an exec probe
    assert worker["health"] == {"exec": ["/usr/local/bin/worker-health"],
                                "liveness": {"periodSeconds": 30, "timeoutSeconds": 5, "failureThreshold": 3}}
    e = next(e for e in ecs["report"]["entries"] if e["service"] == "worker" and e["source"].endswith("healthCheck.command"))
    assert e["status"] == "mapped" and "exec" in e["target"]


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
    assert pod["terminationGracePeriodSeconds"] == 100
    assert c["livenessProbe"]["httpGet"]["path"] == "/healthz" and c["livenessProbe"]["periodSeconds"] == 15
    # startPeriod 20: probed every 5 s, 20 s plus the liveness allowance of 4 failures
    assert c["startupProbe"] == {"httpGet": {"path": "/healthz", "port": "http"}, "periodSeconds": 5,
                                 "timeoutSeconds": 3, "failureThreshold": 20 // 5 + 4}
    assert c["lifecycle"] == {"preStop": {"sleep": {"seconds": 10}}}
    assert c["securityContext"]["readOnlyRootFilesystem"] is True
    assert c["image"] == "210987654321.dkr.ecr.eu-west-1.amazonaws.com/billing/api:set-by-ci"  # CI sets the tag
    worker = find(docs, "Deployment", "worker")["spec"]["template"]["spec"]
    assert worker["containers"][0]["resources"]["requests"] == {"cpu": "500m", "memory": "768Mi"}
    assert worker["terminationGracePeriodSeconds"] == 30
    wc = worker["containers"][0]
    assert wc["livenessProbe"]["exec"] == {"command": ["/usr/local/bin/worker-health"]}
    assert wc["readinessProbe"]["exec"] == {"command": ["/usr/local/bin/worker-health"]}
    # command -> args (Docker CMD), workingDirectory, user 1000:1000, linuxParameters.capabilities.add
    assert "command" not in wc and wc["args"] == ["python", "-m", "billing.worker", "--queue", "invoices"]
    assert wc["workingDir"] == "/srv"
    assert wc["securityContext"] == {"runAsUser": 1000, "runAsGroup": 1000, "allowPrivilegeEscalation": False,
                                     "capabilities": {"add": ["SYS_PTRACE"], "drop": ["ALL"]},
                                     "seccompProfile": {"type": "RuntimeDefault"}}
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
    # the ECS services run on Fargate; EKS Fargate mounts EFS only as static volumes, which the bundled
    # spec's dev and staging do not use: the services without EFS volumes go to Fargate, the others
    # stay on the node groups (read from the state, not from the importer)
    state = json.loads(TF.read_text())
    res = [r for m in state["values"]["root_module"]["child_modules"] for r in m["resources"]]
    tds = {r["values"]["family"]: r["values"] for r in res if r["type"] == "aws_ecs_task_definition"}
    fargate = {r["values"]["name"] for r in res if r["type"] == "aws_ecs_service"
               and r["values"]["launch_type"] == "FARGATE" and not tds[r["values"]["name"]]["volume"]}
    assert fargate == {"layering-detection-layering", "layering-detection-wash-trading"}
    assert not all(e.get("storage", {}).get("reuseExisting") for e in bundled_spec["environments"].values())
    for svc in bundled_spec["services"]:
        if svc["image"] in fargate:
            svc["fargate"] = True
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
        assert s_imp.get("fargate", False) == (s_b["image"] in fargate), s_b["name"]
    decide = [e for e in json.loads((tmp_path / "report.json").read_text())["entries"]
              if e["status"] == "decide" and (e["target"] or "").endswith(".fargate")]
    assert sorted(e["target"] for e in decide) == ["services[0].fargate", "services[3].fargate"]
    assert all("static volumes" in e["note"] for e in decide)
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
            "PersistentVolumeClaim", "ConfigMap", "PodDisruptionBudget"} <= kinds, kinds
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


# ---- sidecars, init containers, workers, exec probes (tests/fixtures/ecs/td-sidecars.json, td-queue-consumer.json) ----

@pytest.fixture(scope="module")
def side(tmp_path_factory):
    d = tmp_path_factory.mktemp("side")
    r = run("import-ecs", "--task-definition", str(ECS / "td-sidecars.json"), str(ECS / "td-queue-consumer.json"),
            "--spec-out", str(d / "spec.yaml"), "-o", str(d / "tree"), "--report", str(d / "report.json"))
    assert r.returncode == 0, r.stderr
    return {"dir": d, "spec": yaml.safe_load((d / "spec.yaml").read_text()),
            "report": json.loads((d / "report.json").read_text())}


def entry_for(report, service, source_suffix):
    return next(e for e in report["entries"] if e["service"] == service and e["source"].endswith(source_suffix))


def test_app_is_the_container_that_waits(side):
    reports = svc(side["spec"], "reports")
    # no container has ports: the app is the essential one whose dependsOn names the others
    assert reports["image"] == "billing/reports"
    assert reports["worker"] is True and "port" not in reports   # no portMappings: no Service
    assert reports["workingDir"] == "/app"
    assert reports["terminationGracePeriodSeconds"] == 20          # stopTimeout; a worker has no preStop sleep
    assert reports["health"]["exec"] == ["/app/bin/healthcheck", "--quick"]   # CMD -> exec as written


def test_depends_on_success_is_an_init_container(side):
    reports = svc(side["spec"], "reports")
    assert reports["initContainers"] == [{
        "name": "schema-migrate", "image": "210987654321.dkr.ecr.eu-west-1.amazonaws.com/billing/reports:2.4.1",
        "cpu": 128, "memory": 256, "env": {"MIGRATE_LOCK": "reports"},
        "command": ["/app/bin/migrate"],      # entryPoint: Docker ENTRYPOINT = Kubernetes command
        "args": ["--to", "latest"]}]          # command: Docker CMD = Kubernetes args
    e = entry_for(side["report"], "reports", "containerDefinitions[0]")
    assert e["status"] == "mapped" and "initContainers[0]" in e["target"]


def test_depends_on_healthy_is_an_approximated_sidecar(side):
    envoy = svc(side["spec"], "reports")["sidecars"][0]
    assert envoy["name"] == "envoy" and envoy["image"] == "public.ecr.aws/appmesh/aws-appmesh-envoy:v1.29.6.0-prod"
    assert (envoy["cpu"], envoy["memory"], envoy["memoryRequest"]) == (256, 512, 128)
    assert envoy["securityContext"] == {"runAsUser": 1337, "readOnlyRootFilesystem": True,
                                        "capabilities": {"add": ["NET_ADMIN"], "drop": ["ALL"]}}
    assert envoy["readinessExec"] == ["/bin/sh", "-c",
                                      "curl -s http://localhost:9901/server_info | grep state | grep -q LIVE"]
    rep = side["report"]
    assert entry_for(rep, "reports", "containerDefinitions[1]")["status"] == "approximated"   # HEALTHY
    assert entry_for(rep, "reports", "containerDefinitions[1].ulimits")["status"] == "dropped"
    # nothing about these containers is reported as "the spec has one container per service" any more
    assert not any("one container per service" in e["note"] for e in rep["entries"])


def test_production_floor_is_a_decision(side, ecs):
    # both ran one task on ECS: the spec's prod floor of 2 is reported for a person to confirm
    e = next(e for e in side["report"]["entries"] if e["target"] == "environments.<production>.replicas.floor")
    assert e["status"] == "decide" and "reports, consumer" in e["note"]
    hpa = find(objects(side["dir"] / "tree", "prod"), "HorizontalPodAutoscaler", "consumer")
    assert (hpa["spec"]["minReplicas"], hpa["spec"]["maxReplicas"]) == (2, 2)
    # api (desiredCount 3) and worker (2) already run two or more
    assert not any(e["target"] == "environments.<production>.replicas.floor" for e in ecs["report"]["entries"])


def test_queue_consumer_worker(side):
    c = svc(side["spec"], "consumer")
    assert c["worker"] is True and "port" not in c
    assert c["command"] == ["/usr/bin/tini", "--"] and c["args"] == ["consumer", "--from", "invoices"]
    assert c["health"]["exec"] == ["/bin/sh", "-c", "test -f /tmp/alive"]   # CMD-SHELL, as ECS runs it
    assert c["health"]["startupSeconds"] == 60                              # startPeriod
    assert c["terminationGracePeriodSeconds"] == 90
    assert "securityContext" not in c                                       # privileged: false says nothing


def test_sidecar_tree(side):
    docs = objects(side["dir"] / "tree", "prod")
    assert not any(d["kind"] == "Service" for d in docs)      # both are workers
    pod = find(docs, "Deployment", "reports")["spec"]["template"]["spec"]
    app = pod["containers"][0]
    assert "ports" not in app and "lifecycle" not in app
    assert app["livenessProbe"]["exec"]["command"] == ["/app/bin/healthcheck", "--quick"]
    assert [c["name"] for c in pod["initContainers"]] == ["envoy", "schema-migrate"]   # sidecars start first
    envoy, migrate = pod["initContainers"]
    assert envoy["restartPolicy"] == "Always" and "restartPolicy" not in migrate
    assert envoy["readinessProbe"]["exec"]["command"][:2] == ["/bin/sh", "-c"]
    assert envoy["resources"] == {"limits": {"memory": "512Mi"}, "requests": {"cpu": "250m", "memory": "128Mi"}}
    assert envoy["securityContext"]["capabilities"] == {"add": ["NET_ADMIN"], "drop": ["ALL"]}
    assert envoy["securityContext"]["allowPrivilegeEscalation"] is False
    assert migrate["command"] == ["/app/bin/migrate"] and migrate["args"] == ["--to", "latest"]
    assert migrate["env"] == [{"name": "MIGRATE_LOCK", "value": "reports"}]
    consumer = find(docs, "Deployment", "consumer")["spec"]["template"]["spec"]
    probe = consumer["containers"][0]["startupProbe"]
    assert probe["exec"]["command"] == ["/bin/sh", "-c", "test -f /tmp/alive"]
    assert probe["periodSeconds"] * (probe["failureThreshold"] - 3) >= 60     # 60 s before liveness counts
    pdb = find(docs, "PodDisruptionBudget", "consumer")
    assert pdb["spec"] == {"maxUnavailable": 1, "selector": {"matchLabels": {"app.kubernetes.io/name": "consumer"}}}
    for env in ("dev", "staging", "prod"):
        r = subprocess.run([k8smig(), "validate", "-"], input=kustomize(side["dir"] / "tree/k8s/overlays" / env),
                           capture_output=True, text=True, check=False)
        assert r.returncode == 0, r.stdout + r.stderr


def server_dry_run(tree, overlay, tmp_path, need_kinds):
    kubeconfig = os.environ.get("K8SMIG_TEST_KUBECONFIG")
    if not kubeconfig:
        pytest.skip("K8SMIG_TEST_KUBECONFIG is not set (no test cluster)")
    ns = f"k8smig-import-{uuid.uuid4().hex[:8]}"
    shutil.copytree(tree / "k8s", tmp_path / "k8s")
    wrapper = tmp_path / "k8s/overlays/e2e"
    wrapper.mkdir()
    (wrapper / "kustomization.yaml").write_text(f"namespace: {ns}\nresources:\n- ../{overlay}\n")
    docs = [d for d in yaml.safe_load_all(kustomize(wrapper)) if d and d["kind"] not in ("StorageClass", "Namespace")]
    assert need_kinds <= {d["kind"] for d in docs}
    env = dict(os.environ, KUBECONFIG=kubeconfig)
    subprocess.run(["kubectl", "--kubeconfig", kubeconfig, "create", "namespace", ns], check=True, capture_output=True)
    try:
        r = subprocess.run([k8smig(), "apply", "-f", "-", "--dry-run=server"], input=yaml.safe_dump_all(docs),
                           capture_output=True, text=True, check=False, env=env)
        assert r.returncode == 0, r.stdout + r.stderr
        assert r.stdout.count("(server dry run)") == len(docs), r.stdout
        # and kubectl, an independent client, agrees
        r = subprocess.run(["kubectl", "--kubeconfig", kubeconfig, "apply", "--dry-run=server", "-f", "-"],
                           input=yaml.safe_dump_all(docs), capture_output=True, text=True, check=False)
        assert r.returncode == 0, r.stderr
    finally:
        subprocess.run(["kubectl", "--kubeconfig", kubeconfig, "delete", "namespace", ns, "--wait=false"],
                       capture_output=True, check=False)


def test_sidecar_tree_server_dry_run(side, tmp_path):
    server_dry_run(side["dir"] / "tree", "prod", tmp_path, {"Deployment", "PodDisruptionBudget", "HorizontalPodAutoscaler"})


def test_terraform_deregistration_delay(tmp_path):
    state = json.loads(TF.read_text())
    tg = next(r for r in state["values"]["root_module"]["resources"] if r["type"] == "aws_lb_target_group")
    tg["values"]["deregistration_delay"] = "120"          # a string, as the AWS provider stores it
    (tmp_path / "state.json").write_text(json.dumps(state))
    r = run("import-terraform", "--state", str(tmp_path / "state.json"), "--spec-out", str(tmp_path / "spec.yaml"),
            "-o", str(tmp_path / "tree"))
    assert r.returncode == 0, r.stderr
    spec = yaml.safe_load((tmp_path / "spec.yaml").read_text())
    assert spec["ingress"]["deregistrationDelaySeconds"] == 120
    prod = objects(tmp_path / "tree", "prod")
    ing = next(d for d in prod if d["kind"] == "Ingress")
    assert ing["metadata"]["annotations"]["alb.ingress.kubernetes.io/target-group-attributes"] == \
        "deregistration_delay.timeout_seconds=120"
    # the routed service's pods outlive their 10 s sleep and the ALB's 120 s draining (grace absent: + 20)
    orch = find(prod, "Deployment", "orchestrator")["spec"]["template"]["spec"]
    assert orch["terminationGracePeriodSeconds"] == 10 + 120 + 20
    tg["values"]["deregistration_delay"] = "soon"
    (tmp_path / "bad.json").write_text(json.dumps(state))
    r = run("import-terraform", "--state", str(tmp_path / "bad.json"), "--spec-out", str(tmp_path / "bad.yaml"))
    assert r.returncode == 1
    assert "values.root_module.resources[4].values.deregistration_delay" in r.stderr, r.stderr


def test_terraform_sidecar_and_security_fields(tmp_path):
    """container_definitions in the state (a JSON string) map like describe-task-definition's."""
    state = json.loads(TF.read_text())
    td = state["values"]["root_module"]["child_modules"][0]["resources"][6]      # aggregator
    assert td["type"] == "aws_ecs_task_definition"
    cds = json.loads(td["values"]["container_definitions"])
    app = cds[0]
    app.update(dependsOn=[{"containerName": "warm-cache", "condition": "SUCCESS"},
                          {"containerName": "statsd", "condition": "START"}],
               user="1001:1001", readonlyRootFilesystem=True, entryPoint=["/app/run"], stopTimeout=45,
               linuxParameters={"capabilities": {"drop": ["NET_RAW"]}, "initProcessEnabled": True})
    cds += [{"name": "warm-cache", "image": "public.ecr.aws/docker/library/busybox:1.36", "essential": False,
             "command": ["sh", "-c", "cp -r /seed/. /cache/"], "memory": 32},
            {"name": "statsd", "image": "public.ecr.aws/docker/library/statsd:0.10", "essential": False,
             "cpu": 64, "memoryReservation": 64, "environment": [{"name": "PORT", "value": "8125"}]}]
    td["values"]["container_definitions"] = json.dumps(cds)
    (tmp_path / "state.json").write_text(json.dumps(state))
    r = run("import-terraform", "--state", str(tmp_path / "state.json"), "--base-spec", str(DEFAULT_SPEC),
            "--spec-out", str(tmp_path / "spec.yaml"), "-o", str(tmp_path / "tree"), "--report", str(tmp_path / "r.json"))
    assert r.returncode == 0, r.stderr
    agg = svc(yaml.safe_load((tmp_path / "spec.yaml").read_text()), "aggregator")
    assert agg["command"] == ["/app/run"]
    assert agg["securityContext"] == {"runAsUser": 1001, "runAsGroup": 1001, "readOnlyRootFilesystem": True,
                                      "capabilities": {"drop": ["NET_RAW"]}}
    # a service with a port behind the ALB (from Terraform): 10 s sleep + 30 s draining + stopTimeout 45
    assert agg["terminationGracePeriodSeconds"] == 10 + 30 + 45
    assert agg["initContainers"] == [{"name": "warm-cache", "image": "public.ecr.aws/docker/library/busybox:1.36",
                                      "memory": 32, "args": ["sh", "-c", "cp -r /seed/. /cache/"]}]
    assert agg["sidecars"] == [{"name": "statsd", "image": "public.ecr.aws/docker/library/statsd:0.10", "cpu": 64,
                                "memory": 64, "env": {"PORT": "8125"}}]
    rep = json.loads((tmp_path / "r.json").read_text())
    init = next(e for e in rep["entries"] if e["service"] == "aggregator" and e["source"].endswith("linuxParameters.initProcessEnabled"))
    assert init["status"] == "dropped" and "tini" in init["note"]
    statsd = next(e for e in rep["entries"] if e["service"] == "aggregator" and e["source"].endswith("containerDefinitions[2].memoryReservation"))
    assert statsd["status"] == "approximated"
    pod = find(objects(tmp_path / "tree", "prod"), "Deployment", "aggregator")["spec"]["template"]["spec"]
    assert [(c["name"], c.get("restartPolicy")) for c in pod["initContainers"]] == [("statsd", "Always"), ("warm-cache", None)]
    # staging: no static PVs (cluster-wide) in the dry run
    server_dry_run(tmp_path / "tree", "staging", tmp_path / "dry", {"Deployment", "PodDisruptionBudget", "Ingress"})
