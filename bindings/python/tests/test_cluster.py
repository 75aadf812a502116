"""The client from Python against the real test apiserver (K8SMIG_TEST_KUBECONFIG,
started by tests/cluster/start.sh; scripts/test-all.sh sets it), and the migration
script of docs/python.md (examples/python/migrate.py) run start to finish."""
import os
import pathlib
import subprocess
import sys
import threading
import time
import uuid

import pytest

import k8smig

KUBECONFIG = os.environ.get("K8SMIG_TEST_KUBECONFIG")
ROOT = pathlib.Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.skipif(not KUBECONFIG, reason="K8SMIG_TEST_KUBECONFIG is not set (no test cluster)")


class Boom(Exception):
    pass


@pytest.fixture
def ns():
    name = f"py-{uuid.uuid4().hex[:8]}"
    c = k8smig.Client(kubeconfig=KUBECONFIG, context="token")
    c.apply(k8smig.namespace(name))
    yield name
    c.delete("v1", "Namespace", name, propagation=k8smig.Propagation.BACKGROUND)


def test_apply_progress_create_get_delete(ns):
    c = k8smig.Client(kubeconfig=KUBECONFIG, context="token", namespace=ns, max_parallel=4)
    objs = [k8smig.config_map(f"cm{i}", ns).config_map_set("i", str(i)) for i in range(6)]
    seen = []
    results = c.apply(objs, field_manager="py-test", progress=seen.append)
    assert [r.action for r in results] == ["created"] * 6
    assert sorted(p.done for p in seen) == list(range(1, 7)) and {p.total for p in seen} == {6}
    assert {p.name for p in seen} == {f"cm{i}" for i in range(6)}
    assert all(p.action == "created" and p.kind == "ConfigMap" and p.namespace == ns for p in seen)

    def boom(p):
        raise Boom(p.name)
    with pytest.raises(Boom):
        c.apply(objs, progress=boom)

    with pytest.raises(k8smig.AlreadyExistsError) as e:
        c.create(objs[0])
    assert e.value.http_status == 409
    with pytest.raises(k8smig.NotFoundError) as e:
        c.get("v1", "ConfigMap", "absent", ns)
    assert e.value.http_status == 404
    assert c.resource("apps/v1", "Deployment") == ("deployments", True)
    assert c.resource("v1", "Namespace") == ("namespaces", False)
    live = c.apply_one(objs[1].config_map_set("j", "x"), field_manager="py-test")
    assert live["data.j"] == "x" and live["metadata.resourceVersion"]
    c.delete("v1", "ConfigMap", "cm0", ns, propagation=k8smig.Propagation.BACKGROUND)
    with pytest.raises(k8smig.NotFoundError):
        c.get("v1", "ConfigMap", "cm0", ns)
    # orphan: the server adds the orphan finalizer; the object stays until the GC runs
    c.delete("v1", "ConfigMap", "cm2", ns, propagation="orphan")
    try:
        gone = c.get("v1", "ConfigMap", "cm2", ns)
        assert gone["metadata.deletionTimestamp"] and "orphan" in gone["metadata.finalizers"]
    except k8smig.NotFoundError:
        pass
    with pytest.raises(k8smig.ValidationError):
        c.delete("v1", "ConfigMap", "cm1", ns, propagation="sideways")
    assert c.server.startswith("https://127.0.0.1:")


def test_watch_is_an_iterator(ns):
    c = k8smig.Client(kubeconfig=KUBECONFIG, context="token")

    def later():  # another client: a watch holds its client (one thread at a time)
        time.sleep(0.5)
        k8smig.Client(kubeconfig=KUBECONFIG, context="token").apply(
            k8smig.config_map("watched", ns).config_map_set("a", "1"))
    t = threading.Thread(target=later)
    t.start()
    got = None
    # resourceVersion "0": the server starts with an ADDED event per existing object, so
    # the ConfigMap is seen whether it was created before or after the watch began
    with c.watch("v1", "ConfigMap", ns, resource_version="0", timeout=30) as w:
        for event, obj in w:
            if event == k8smig.WatchEvent.ADDED and obj.name == "watched":
                got = obj
                break
    t.join()
    assert got is not None and got["data.a"] == "1" and got.namespace == ns
    # while a watch runs, its client is busy: another thread gets BusyError
    with c.watch("v1", "ConfigMap", ns, timeout=5) as w:
        time.sleep(0.3)
        with pytest.raises(k8smig.BusyError):
            c.get("v1", "ConfigMap", "watched", ns)
    # a watch that ends by its timeout ends the iteration
    events = list(c.watch("v1", "ConfigMap", ns, label_selector="none=here", timeout=1))
    assert [e for e, _ in events if e != k8smig.WatchEvent.BOOKMARK] == []


def test_errors_from_the_server_carry_status_and_path(ns):
    viewer = k8smig.Client(kubeconfig=KUBECONFIG, context="viewer")
    with pytest.raises(k8smig.AuthError) as e:
        viewer.apply(k8smig.config_map("x", ns))
    assert e.value.http_status == 403 and isinstance(e.value, PermissionError)


def test_docs_migration_script_runs_start_to_finish(tmp_path):
    env = dict(os.environ)
    # the bundled system under another name (and StorageClass), so its objects are this test's
    # alone on the shared cluster (tests/kinds dry-runs the golden layering-detection objects)
    spec = tmp_path / "spec.yaml"
    spec.write_text((ROOT / "lib/migrate/default_spec.yaml").read_text().replace("layering-detection", "py-example")
                    .replace("storageClass: efs-sc", "storageClass: py-example-efs"))
    p = subprocess.run([sys.executable, str(ROOT / "examples/python/migrate.py"), str(tmp_path / "out"), KUBECONFIG,
                        "dev", str(spec)], capture_output=True, text=True, env=env, timeout=300)
    assert p.returncode == 0, p.stdout + p.stderr
    lines = p.stdout.splitlines()
    assert lines[0].startswith("py-example: ") and " files, " in lines[0]
    total = int(lines[-1].split("/")[1].split("]")[0])
    assert lines[-1].startswith(f"[{total}/{total}] ") and total > 10
    # everything the script applied is on the server
    c = k8smig.Client(kubeconfig=KUBECONFIG)
    objs = k8smig.render(str(tmp_path / "out/k8s/overlays/dev"))
    for o in objs:
        if o.kind == "Deployment":
            assert c.get("apps/v1", "Deployment", o.name or "", o.namespace)["spec.template.spec.containers"]
