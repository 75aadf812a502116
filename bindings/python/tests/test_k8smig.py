"""The Python layer: objects, errors, YAML/JSON, validation, quantities, and the
client against the real test apiserver (K8SMIG_TEST_KUBECONFIG)."""
import gc
import os
import pathlib
import uuid

import pytest
import yaml

import k8smig


def deployment(name="web", ns="dev"):
    d = k8smig.Object("apps/v1", "Deployment", name=name, namespace=ns)
    d["spec.selector.matchLabels"] = {"app": name}
    d["spec.template.metadata.labels"] = {"app": name}
    d["spec.template.spec.containers"] = [{"name": "web", "image": "nginx:1.27"}]
    return d


def test_object_paths_and_types():
    d = deployment()
    d["spec.replicas"] = 0
    d["spec.paused"] = False
    d["metadata.annotations[eks.amazonaws.com/role-arn]"] = "arn:aws:iam::123456789012:role/x"
    assert d["spec.replicas"] == 0 and "spec.replicas" in d
    assert d["spec.paused"] is False
    assert d["spec.template.spec.containers[0].image"] == "nginx:1.27"
    assert d["metadata.annotations[eks.amazonaws.com/role-arn]"].endswith(":role/x")
    assert "spec.strategy" not in d and d.get("spec.strategy", 7) == 7
    with pytest.raises(KeyError):
        d["spec.nothing"]
    del d["spec.paused"]
    assert "spec.paused" not in d
    assert (d.kind, d.api_version, d.name, d.namespace) == ("Deployment", "apps/v1", "web", "dev")


def test_dict_round_trip_keeps_digit_and_reserved_keys():
    cm = k8smig.Object.from_dict({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"},
                                  "data": {"8080": "port", "on": "yes", "n": "0755"}})
    text = cm.to_yaml()
    assert yaml.safe_load(text)["data"] == {"8080": "port", "on": "yes", "n": "0755"}
    assert cm.to_dict()["data"]["on"] == "yes"
    assert k8smig.loads(text)[0] == cm


def test_errors_are_typed_and_carry_the_record():
    d = deployment()
    with pytest.raises(k8smig.ValidationError) as e:
        d["spec..replicas"] = 1
    assert e.value.path == "spec..replicas" and e.value.code == -3
    with pytest.raises(k8smig.KindError) as e:
        deployment()["metadata.name.x"] = 1
    assert e.value.path == "metadata.name.x"
    with pytest.raises(k8smig.ParseError) as e:
        k8smig.loads("metadata:\n  name: a\n  name: b\n", source="d.yaml")
    assert (e.value.line, e.value.column, e.value.path, e.value.file) == (3, 3, "metadata.name", "d.yaml")
    assert str(e.value).startswith("d.yaml:3:3: duplicate key")
    with pytest.raises(k8smig.NotFoundError):
        k8smig.load("/nonexistent/k8smig.yaml")
    with pytest.raises(TypeError):
        deployment()["spec.x"] = object()
    assert issubclass(k8smig.ParseError, ValueError) and issubclass(k8smig.AuthError, PermissionError)


def test_sticky_error_blocks_output():
    d = deployment()
    with pytest.raises(k8smig.ValidationError):
        d["bad..path"] = 1
    with pytest.raises(k8smig.ValidationError) as e:
        d.to_yaml()
    assert e.value.path == "bad..path"


def test_streams_and_formats(tmp_path):
    objs = [deployment("a"), deployment("b")]
    text = k8smig.dumps(objs)
    assert text.count("---\n") == 1
    p = tmp_path / "s.yaml"
    p.write_text(text)
    back = k8smig.load(str(p))
    assert back == objs
    assert back[1].source == (str(p), 11) or back[1].source[0] == str(p)
    js = k8smig.dumps(objs, format="json")
    assert k8smig.loads(js) == objs


def test_validate_reports_findings():
    d = deployment()
    d["spec.template.spec.containers[0].resources.requests.cpu"] = "lots"
    findings = k8smig.validate([d])
    codes = {f.code for f in findings}
    assert "K8SMIG-QUANTITY" in codes
    f = next(f for f in findings if f.code == "K8SMIG-QUANTITY")
    assert f.severity == "error" and f.path == "spec.template.spec.containers[0].resources.requests[cpu]"  # as the API server writes it
    with pytest.raises(k8smig.SchemaError):
        d.validate()


def test_quantities():
    assert k8smig.quantity("0.5") == "500m"
    assert k8smig.quantity("1024Mi") == "1Gi"
    assert (k8smig.ecs_cpu(256), k8smig.ecs_cpu(1024), k8smig.ecs_memory(512)) == ("250m", "1", "512Mi")
    with pytest.raises(k8smig.ValidationError):
        k8smig.quantity("5Gb")


def test_gc_order_objects_outlive_their_sources():
    objs = k8smig.loads("a: 1\n---\nb: 2\n")
    first = objs[0]
    del objs
    gc.collect()
    assert first.to_dict() == {"a": 1}
    c = first.copy()
    del first
    gc.collect()
    assert c.to_dict() == {"a": 1}


def test_spec_plan_generate_and_render(tmp_path):
    spec = k8smig.Spec.default()
    assert spec.name == "layering-detection"
    assert spec.environments == {"dev": "layering-detection-dev", "staging": "layering-detection-staging",
                                 "prod": "layering-detection-prod"}
    dev = spec.plan("dev")
    assert {o.kind for o in dev} >= {"Deployment", "Service", "HorizontalPodAutoscaler", "ExternalSecret"}
    assert all(o.namespace in (None, "layering-detection-dev") for o in dev if o.kind == "Deployment")
    assert spec.generate(str(tmp_path)) > 50
    assert spec.generate(str(tmp_path), check=True) == 0
    rendered = k8smig.render(str(tmp_path / "k8s" / "overlays" / "dev"))
    # the set the cluster holds: the admin layer (StorageClass, PVs) and every overlay
    whole = k8smig.render(str(tmp_path / "k8s" / "cluster")) + rendered
    for env in ("staging", "prod"):
        whole += k8smig.render(str(tmp_path / "k8s" / "overlays" / env))
    assert [f for f in k8smig.validate(whole) if f.severity == "error"] == []
    deploy = next(o for o in rendered if o.kind == "Deployment" and o.name == "orchestrator")
    assert deploy.namespace == "layering-detection-dev"
    with pytest.raises(k8smig.SchemaError) as e:
        k8smig.Spec.loads("name: x\nservcies: []\n", source="bad.yaml")
    assert (e.value.file, e.value.line, e.value.path) == ("bad.yaml", 2, "servcies")
    with pytest.raises(k8smig.NotFoundError):
        k8smig.render(str(tmp_path / "nowhere"))


KUBECONFIG = os.environ.get("K8SMIG_TEST_KUBECONFIG")


@pytest.mark.skipif(not KUBECONFIG, reason="K8SMIG_TEST_KUBECONFIG is not set (no test cluster)")
def test_client_apply_get_delete():
    ns = f"py-{uuid.uuid4().hex[:8]}"
    c = k8smig.Client(kubeconfig=KUBECONFIG, context="token", namespace=ns)
    objs = [deployment("web", ns), k8smig.Object.from_dict({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}})]
    results = c.apply(objs)
    assert [r.action for r in results] == ["created", "created"]
    assert results[0].live["metadata.uid"]
    again = c.apply(objs[:1])
    assert again[0].action == "unchanged"
    live = c.get("apps/v1", "Deployment", "web")
    assert live.namespace == ns and live["spec.template.spec.containers[0].image"] == "nginx:1.27"
    assert [o.name for o in c.list("apps/v1", "Deployment")] == ["web"]
    bad = deployment("Bad_Name", ns)
    results = c.apply([bad], raise_on_failure=False)
    assert results[0].action == "failed" and isinstance(results[0].error, k8smig.ValidationError)
    with pytest.raises(k8smig.ValidationError) as e:
        c.apply([bad])
    assert e.value.path == "metadata.name"
    viewer = k8smig.Client(kubeconfig=KUBECONFIG, context="viewer")
    with pytest.raises(k8smig.AuthError) as e:
        viewer.list("v1", "ConfigMap")
    assert e.value.http_status == 403
    # every object Forbidden: nothing was applied, and that one cause is raised
    with pytest.raises(k8smig.AuthError) as e:
        viewer.apply(objs, raise_on_failure=False)
    assert e.value.http_status == 403 and "Namespace" in str(e.value)
    del c  # results and objects must survive their client
    gc.collect()
    assert live.name == "web" and again[0].name == "web"
    k8smig.Client(kubeconfig=KUBECONFIG).delete("v1", "Namespace", ns)


@pytest.mark.skipif(not KUBECONFIG, reason="K8SMIG_TEST_KUBECONFIG is not set (no test cluster)")
def test_client_apply_options_reach_the_server():
    """field_manager and dry_run go through the apply options the set options point at."""
    c = k8smig.Client(kubeconfig=KUBECONFIG, context="token")
    name = f"py-dry-{uuid.uuid4().hex[:8]}"
    o = k8smig.Object.from_dict({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}, "data": {"a": "1"}})
    r = c.apply([o], dry_run=True, field_manager="py-tool")
    assert r[0].action == "created" and r[0].live["metadata.managedFields[0].manager"] == "py-tool"
    with pytest.raises(k8smig.NotFoundError):
        c.get("v1", "ConfigMap", name)


def test_import_ecs_and_terraform(tmp_path):
    root = pathlib.Path(__file__).resolve().parents[3] / "tests/fixtures"
    imp = k8smig.Import()
    imp.add_file("task-definition", str(root / "ecs/td-api-fargate.json"))
    imp.add_file("services", str(root / "ecs/services.json"))
    doc = imp.build()
    assert doc["services[0].name"] == "api" and doc["services[0].memoryRequest"] == 1024
    spec = imp.spec()
    assert spec.name == "billing"
    deploy = next(o for o in spec.plan() if o.kind == "Deployment")
    assert deploy["spec.template.spec.containers[0].resources.requests.cpu"] == "1"
    report = imp.report()
    assert report["services"] == ["api"] and sum(report["summary"].values()) == len(report["entries"])
    assert "<table>" in imp.report("html") and "import of billing" in imp.report("text")
    with pytest.raises(k8smig.SchemaError) as e:
        bad = k8smig.Import()
        bad.add("task-definition", '{"family": "x", "containerDefinitions": [{"image": "a", "cpu": "x"}]}', "td.json")
        bad.build()
    assert e.value.path == "containerDefinitions[0].cpu"
    tf = k8smig.Import(base=(root.parent.parent / "lib/migrate/default_spec.yaml").read_text())
    tf.add_file("terraform", str(root / "terraform/layering-detection.tfstate.json"))
    bundled = k8smig.Spec.default()
    assert tf.spec().plan("prod") == bundled.plan("prod")


def test_applyset_id_is_keps_formula():
    """KEP-3659: applyset-<base64url(sha256(<name>.<namespace>.<Kind>.<group>))>-v1, computed here independently."""
    import base64
    import hashlib
    digest = hashlib.sha256(b"shop.prod.Secret.").digest()
    want = "applyset-" + base64.urlsafe_b64encode(digest).decode().rstrip("=") + "-v1"
    assert k8smig.applyset_id("shop", "prod") == want
    assert k8smig.applyset_id("secrets/shop", "prod") == want
    digest = hashlib.sha256(b"shop.prod.ConfigMap.").digest()
    assert k8smig.applyset_id("configmaps/shop", "prod") == "applyset-" + base64.urlsafe_b64encode(digest).decode().rstrip("=") + "-v1"
    with pytest.raises(k8smig.Error) as e:
        k8smig.applyset_id("deployments/shop", "prod")
    assert e.value.path == "applyset"
