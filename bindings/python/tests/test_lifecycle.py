"""k8smig.Client: wait, diff, ApplySets, atomic rollback, history, delete, impersonation,
and the progress callback, against the real test apiserver (K8SMIG_TEST_KUBECONFIG, -kcm)."""
import os
import uuid

import pytest

import k8smig

KUBECONFIG = os.environ.get("K8SMIG_TEST_KUBECONFIG")
pytestmark = pytest.mark.skipif(not KUBECONFIG, reason="K8SMIG_TEST_KUBECONFIG is not set (no test cluster)")


def dep(ns, image="nginx:1.27"):
    return k8smig.Object.from_dict({
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": ns},
        "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "web"}},
                 "template": {"metadata": {"labels": {"app": "web"}},
                              "spec": {"containers": [{"name": "c", "image": image}]}}}})


def cm(ns, name, value):
    return k8smig.Object.from_dict({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "namespace": ns},
                                    "data": {"v": value}})


@pytest.fixture
def client():
    ns = f"pylife-{uuid.uuid4().hex[:8]}"
    c = k8smig.Client(kubeconfig=KUBECONFIG, context="token", namespace=ns)
    c.apply(k8smig.Object.from_dict({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}}))
    yield c, ns
    k8smig.Client(kubeconfig=KUBECONFIG).delete("v1", "Namespace", ns)


def test_applyset_wait_progress_diff_history(client):
    c, ns = client
    events = []
    r = c.apply_applyset([dep(ns), cm(ns, "a", "1"), cm(ns, "b", "1")], "app", prune=True, wait=True, timeout=60,
                         progress=lambda *e: events.append(e))
    assert r.revision == 1 and sorted(a.action for a in r.applied) == ["created"] * 3
    assert [w.state for w in r.waited] == ["current"] * 3
    assert {e[0] for e in events} == {"apply", "wait"}
    assert ("apply", "Deployment", ns, "web", "created") in {e[:5] for e in events}
    assert events[-1][5:] == (3, 3)  # ready, total
    d = c.diff([dep(ns), cm(ns, "a", "2")], applyset="app")
    by = {(e.kind, e.name): e for e in d}
    assert by[("Deployment", "web")].action == "unchanged" and by[("Deployment", "web")].diff == ""
    assert by[("ConfigMap", "a")].action == "change" and '-  v: "1"\n+  v: "2"' in by[("ConfigMap", "a")].diff
    assert by[("ConfigMap", "b")].action == "prune"
    r = c.apply_applyset([dep(ns), cm(ns, "a", "2")], "app", prune=True)
    assert [(p.kind, p.name) for p in r.pruned] == [("ConfigMap", "b")]
    assert [(v.number, v.status) for v in c.history("app")] == [(1, "superseded"), (2, "deployed")]
    assert sorted(o.name for o in c.revision_objects("app", 1)) == ["a", "b", "web"]
    r = c.rollback("app", wait=True)
    assert r.rolled_back_to == 1 and r.revision == 3
    assert c.get("v1", "ConfigMap", "b").name == "b"
    r = c.delete_applyset("app", timeout=60)
    assert sorted(p.name for p in r.pruned) == ["a", "b", "web"]
    with pytest.raises(k8smig.NotFoundError):
        c.get("v1", "ConfigMap", "a")


def test_atomic_timeout_reports_and_rolls_back(client):
    c, ns = client
    c.apply_applyset([dep(ns)], "app", wait=True, timeout=60)
    with pytest.raises(k8smig.TimeoutError) as e:
        c.apply_applyset([dep(ns, "k8smig.invalid/never:1")], "app", atomic=True, timeout=4)
    r = e.value.result
    assert r.rolled_back and r.rolled_back_to == 1
    w = r.waited[0]
    assert w.state == "in-progress" and "ImagePullBackOff" in w.report
    live = c.get("apps/v1", "Deployment", "web")
    assert live["spec.template.spec.containers[0].image"] == "nginx:1.27"
    state, reason = k8smig.readiness(live)
    assert state in ("current", "in-progress") and isinstance(reason, str)
    assert c.wait([dep(ns)], timeout=60)[0].state == "current"


def test_impersonation_and_callback_errors(client):
    c, ns = client
    c.impersonate("viewer")
    with pytest.raises(k8smig.AuthError) as e:
        c.wait([cm(ns, "x", "1")], timeout=2)
    assert 'User "viewer"' in str(e.value)
    with pytest.raises(k8smig.ValidationError):
        c.impersonate(None, ["system:masters"])
    c.impersonate("ci", ["system:masters"])
    c.apply(cm(ns, "x", "1"))
    c.impersonate(None)

    def boom(*_):
        raise RuntimeError("stop here")
    with pytest.raises(RuntimeError, match="stop here"):
        c.wait([cm(ns, "x", "1")], timeout=5, progress=boom)
    r = c.delete_set([cm(ns, "x", "1")], timeout=30)
    assert [p.name for p in r.pruned] == ["x"]


def test_lifecycle_calls_let_other_threads_run(client):
    """wait, diff and the applyset calls release the GIL during their network I/O: a Python
    thread keeps running while a wait of seconds is in C, and the progress callback (which
    takes the GIL back) still runs, in the calling thread."""
    import threading
    import time
    c, ns = client
    c.apply(dep(ns, "k8smig.invalid/never-ready:1"))  # the harness never makes its pod ready
    ticks = []
    stop = threading.Event()

    def tick():
        while not stop.is_set():
            ticks.append(time.monotonic())
            time.sleep(0.01)
    seen = []
    t = threading.Thread(target=tick)
    t.start()
    try:
        t0 = time.monotonic()
        with pytest.raises(k8smig.K8smigTimeoutError):
            c.wait([dep(ns, "k8smig.invalid/never-ready:1")], timeout=3,
                   progress=lambda *a: seen.append(threading.get_ident()))
        t1 = time.monotonic()
        during = [x for x in ticks if t0 < x < t1]
        assert t1 - t0 >= 3
        # with the GIL held for 3 s the thread would not tick at all; sleeping 10 ms a tick, it
        # ticks well over 50 times even on a loaded machine
        assert len(during) > 50, len(during)
        assert seen and set(seen) == {threading.get_ident()}
        # diff and an applyset apply too (short calls: the thread ticks, the results are right)
        n0 = len(ticks)
        d = c.diff([cm(ns, "g", "1")])
        assert [e.action for e in d] == ["create"] and d.changes == 1
        r = c.apply_applyset([cm(ns, "g", "1")], "gil", progress=lambda *a: seen.append(threading.get_ident()))
        assert [a.action for a in r.applied] == ["created"]
        assert set(seen) == {threading.get_ident()}
        assert len(ticks) >= n0
    finally:
        stop.set()
        t.join()
