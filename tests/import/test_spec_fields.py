"""The spec's rollout, HA and container fields (docs/spec.md), written by hand: tests/import/ha-spec.yaml.

Positive: the tree holds what each field says (read back with kubectl kustomize, an independent reader)
and the real API server accepts every object (server-side dry run, K8SMIG_TEST_KUBECONFIG).
Negative: a bad value is an error naming the file, the field's line and its spec path.
"""
import pathlib
import subprocess

import pytest
import yaml

from test_import import find, k8smig, kustomize, run, server_dry_run

HERE = pathlib.Path(__file__).resolve().parent
SPEC = HERE / "ha-spec.yaml"


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    d = tmp_path_factory.mktemp("ha")
    r = run("generate", "--spec", str(SPEC), "-o", str(d))
    assert r.returncode == 0, r.stderr
    return d


def docs(tree, env):
    """What the cluster holds for env: the admin layer (its Namespace among them) and the overlay."""
    admin = [d for d in yaml.safe_load_all(kustomize(tree / "k8s/cluster")) if d]
    ns = f"{yaml.safe_load(SPEC.read_text())['name']}-{env}"
    admin = [d for d in admin if ns in (d["metadata"]["name"], d["metadata"].get("namespace"))]
    return admin + [d for d in yaml.safe_load_all(kustomize(tree / "k8s/overlays" / env)) if d]


def test_service_files(tree):
    api, mailer = tree / "k8s/services/api", tree / "k8s/services/mailer"
    assert yaml.safe_load((api / "kustomization.yaml").read_text())["resources"] == \
        ["deployment.yaml", "service.yaml", "hpa.yaml", "pdb.yaml"]
    # a worker: no Service; disruptionBudget.enabled false: no PDB
    assert yaml.safe_load((mailer / "kustomization.yaml").read_text())["resources"] == ["deployment.yaml", "hpa.yaml"]
    assert not (mailer / "service.yaml").exists() and not (mailer / "pdb.yaml").exists()


def test_rollout_and_ha(tree):
    prod, dev = docs(tree, "prod"), docs(tree, "dev")
    ns = find(prod, "Namespace", "shop-prod")
    assert ns["metadata"]["labels"]["elbv2.k8s.aws/pod-readiness-gate-inject"] == "enabled"
    ing = find(prod, "Ingress", "shop")["metadata"]["annotations"]
    assert ing["alb.ingress.kubernetes.io/target-group-attributes"] == "deregistration_delay.timeout_seconds=45"
    assert ing["alb.ingress.kubernetes.io/healthcheck-path"] == "/ready"    # the routed service's health.path
    pod = find(prod, "Deployment", "api")["spec"]["template"]["spec"]
    app = pod["containers"][0]
    assert app["lifecycle"] == {"preStop": {"sleep": {"seconds": 15}}}
    # absent: preStop 15 + deregistration 45 + 20
    assert pod["terminationGracePeriodSeconds"] == 15 + 45 + 20
    assert pod["topologySpreadConstraints"] == [{
        "maxSkew": 2, "topologyKey": "topology.kubernetes.io/zone", "whenUnsatisfiable": "DoNotSchedule",
        "labelSelector": {"matchLabels": {"app.kubernetes.io/name": "api"}}}]
    assert app["startupProbe"]["httpGet"] == {"path": "/ready", "port": "http"}
    assert app["startupProbe"]["periodSeconds"] * app["startupProbe"]["failureThreshold"] >= 120
    assert find(prod, "PodDisruptionBudget", "api")["spec"]["maxUnavailable"] == 2
    # prod (by name) has a floor of 2 replicas, dev keeps minCount 1
    assert find(prod, "HorizontalPodAutoscaler", "api")["spec"]["minReplicas"] == 2
    assert find(dev, "HorizontalPodAutoscaler", "api")["spec"]["minReplicas"] == 1
    mailer = find(prod, "Deployment", "mailer")["spec"]["template"]["spec"]
    assert "ports" not in mailer["containers"][0] and "lifecycle" not in mailer["containers"][0]
    assert "topologySpreadConstraints" not in mailer and mailer["terminationGracePeriodSeconds"] == 30
    assert mailer["containers"][0]["livenessProbe"]["exec"]["command"] == ["/app/healthcheck"]
    assert not [d for d in prod if d["kind"] == "Service" and d["metadata"]["name"] == "mailer"]


def test_containers(tree):
    pod = find(docs(tree, "prod"), "Deployment", "api")["spec"]["template"]["spec"]
    app = pod["containers"][0]
    assert app["command"] == ["/app/server"] and app["args"] == ["--port", "9000", ""] and app["workingDir"] == "/app"
    assert app["securityContext"] == {"runAsUser": 10001, "runAsGroup": 10001, "runAsNonRoot": True,
                                      "readOnlyRootFilesystem": True, "allowPrivilegeEscalation": False,
                                      "capabilities": {"add": ["NET_BIND_SERVICE"], "drop": ["ALL"]},
                                      "seccompProfile": {"type": "RuntimeDefault"}}
    proxy, migrate = pod["initContainers"]
    assert proxy["name"] == "proxy" and proxy["restartPolicy"] == "Always"
    assert proxy["resources"] == {"limits": {"memory": "128Mi"}, "requests": {"cpu": "100m", "memory": "128Mi"}}
    assert proxy["readinessProbe"]["exec"]["command"] == ["/bin/sh", "-c", "test -e /tmp/ready"]
    assert migrate["name"] == "migrate" and "restartPolicy" not in migrate
    # every container has requests (the HPA's utilization is over the whole pod): the defaults
    assert migrate["resources"] == {"limits": {"memory": "64Mi"}, "requests": {"cpu": "50m", "memory": "64Mi"}}


@pytest.mark.parametrize("env", ["dev", "prod"])
def test_overlays_validate(tree, env):
    r = subprocess.run([k8smig(), "validate", "-"], input=kustomize(tree / "k8s/overlays" / env),
                       capture_output=True, text=True, check=False)
    assert r.returncode == 0, r.stdout + r.stderr


def test_server_dry_run(tree, tmp_path):
    server_dry_run(tree, "prod", tmp_path, {"Deployment", "PodDisruptionBudget", "Ingress", "Service"})


# ---- bad values: file, line, path ----

def mutate(fn):
    spec = yaml.safe_load(SPEC.read_text())
    fn(spec)
    return spec


BAD = [
    # (change, spec path, words of the message)
    (lambda s: s["services"][0].update(terminationGracePeriodSeconds=60),
     "services[0].terminationGracePeriodSeconds", "deregistrationDelaySeconds"),
    (lambda s: s["services"][0].update(preStopSleepSeconds=-1), "services[0].preStopSleepSeconds", "between"),
    (lambda s: s["services"][1].update(port=8080), "services[1].port", "worker"),
    (lambda s: s["services"][1].update(ingress=[{"path": "/m"}]), "services[1].ingress", "worker"),
    (lambda s: s["services"][1]["health"].update(path="/h"), "services[1].health.exec", "exclude"),
    (lambda s: s["services"][1].update(health={"enabled": True}), "services[1].health.enabled", "exec"),
    (lambda s: s["services"][0]["health"].update(startupSeconds=4000), "services[0].health.startupSeconds", "between"),
    (lambda s: s["services"][0].update(command=[]), "services[0].command", "empty"),
    (lambda s: s["services"][0].update(args=["a", 3]), "services[0].args[1]", "string"),
    (lambda s: s["services"][0].update(workingDir="app"), "services[0].workingDir", "absolute"),
    (lambda s: s["services"][0]["securityContext"].update(runAsUser=0), "services[0].securityContext.runAsUser", "root"),
    (lambda s: s["services"][0]["securityContext"].update(privileged=True, allowPrivilegeEscalation=False),
     "services[0].securityContext.allowPrivilegeEscalation", "privileged"),
    (lambda s: s["services"][0]["securityContext"]["capabilities"].update(add=["net bind"]),
     "services[0].securityContext.capabilities.add[0]", "capability"),
    (lambda s: s["services"][0]["securityContext"].update(seLinux="x"), "services[0].securityContext.seLinux", "unknown field"),
    (lambda s: s["services"][0]["sidecars"][0].update(name="app"), "services[0].sidecars[0].name", "own container"),
    (lambda s: s["services"][0]["initContainers"][0].update(name="proxy"), "services[0].initContainers[0].name", "sidecars[0]"),
    (lambda s: s["services"][0]["sidecars"][0].update(image="nginx latest"), "services[0].sidecars[0].image", "image reference"),
    (lambda s: s["services"][0]["initContainers"][0].update(readinessExec=["x"]),
     "services[0].initContainers[0].readinessExec", "unknown field"),
    (lambda s: s["services"][0]["sidecars"][0].update(memory=2), "services[0].sidecars[0].memory", "between"),
    (lambda s: s["services"][0]["disruptionBudget"].update(maxUnavailable=0), "services[0].disruptionBudget.maxUnavailable", "between"),
    (lambda s: s["services"][0]["topologySpread"].update(whenUnsatisfiable="Maybe"),
     "services[0].topologySpread.whenUnsatisfiable", "ScheduleAnyway"),
    (lambda s: s["services"][0]["topologySpread"].update(topologyKey="not a key"), "services[0].topologySpread.topologyKey", "label key"),
    (lambda s: s["services"][0]["sidecars"][0].update(volumes=[{"name": "data", "mountPath": "/data"}]),
     "services[0].sidecars[0].volumes[0].name", "names no volume"),
    (lambda s: s["services"][1].update(preStopSleepSeconds=30, terminationGracePeriodSeconds=30),
     "services[1].terminationGracePeriodSeconds", "preStopSleepSeconds"),
    (lambda s: s["environments"]["prod"].update(replicas={"floor": 0}), "environments.prod.replicas.floor", "between"),
    (lambda s: s["ingress"].update(deregistrationDelaySeconds="30"), "ingress.deregistrationDelaySeconds", "integer"),
    (lambda s: s["ingress"].update(podReadinessGate="yes"), "ingress.podReadinessGate", "boolean"),
]


@pytest.mark.parametrize("change,path,words", BAD, ids=[b[1] for b in BAD])
def test_bad_values(tmp_path, change, path, words):
    text = yaml.safe_dump(mutate(change), sort_keys=False)
    f = tmp_path / "bad.yaml"
    f.write_text(text)
    r = run("generate", "--spec", str(f), "-o", str(tmp_path / "out"))
    assert r.returncode != 0
    assert f"(at {path})" in r.stderr, r.stderr
    assert words in r.stderr, r.stderr
    # file:line:column of the field itself (or of its nearest written ancestor), found independently here
    key = path.rsplit(".", 1)[-1].split("[")[0]
    lines = [i + 1 for i, line in enumerate(text.splitlines()) if line.lstrip("- ").startswith(key + ":")
             or line.strip().startswith("- " + key + ":")]
    if path.endswith("]"):   # a list item: its own line, below its key (block style)
        lines = [n + 1 + int(path.rsplit("[", 1)[1][:-1]) for n in lines]
    assert lines and any(f"{f}:{n}:" in r.stderr for n in lines), (lines, r.stderr)
    assert not (tmp_path / "out").exists()


def test_schema_holds_the_fields():
    jsonschema = pytest.importorskip("jsonschema")
    import json
    schema = json.loads((HERE.parent.parent / "docs/spec.schema.json").read_text())
    jsonschema.validate(yaml.safe_load(SPEC.read_text()), schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(mutate(lambda s: s["services"][0]["topologySpread"].update(whenUnsatisfiable="Maybe")), schema)


def test_tree_documents_say_what_a_worker_is(tree):
    readme = (tree / "k8s/README.md").read_text()
    assert "| `services/mailer/` | Deployment (a worker: no Service), HPA" in readme
    # the base's bounds (minCount 1, maxCount 6); the PDB is listed where there is one
    assert "| `services/api/` | Deployment, Service (port 9000), HPA (1-6 replicas), PodDisruptionBudget |" in readme
    e2e = (tree / "k8s/tests/e2e-test.md").read_text()
    assert "http://api:9000/ready" in e2e and "http://mailer" not in e2e
