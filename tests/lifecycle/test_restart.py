"""The API server stopped in the middle of applying 1,000 objects and started again on the
same data dir (same port and PKI: -keep-pki): a second apply converges and every object is
present and correct; a `k8smig wait` whose watch the restart broke resumes and completes.

Starts its own harness (tests/cluster/start.sh) and always stops it. Needs the harness
build, as the other cluster tests; runs when K8SMIG_TEST_KUBECONFIG is set (a cluster run)."""
import json
import os
import socket
import subprocess
import time

import pytest

K8SMIG = os.environ.get("K8SMIG_BIN", "k8smig")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
pytestmark = pytest.mark.skipif(not os.environ.get("K8SMIG_TEST_KUBECONFIG"),
                                reason="K8SMIG_TEST_KUBECONFIG is not set (no cluster run)")
N = 1000


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Harness:
    def __init__(self, d):
        self.dir, self.port = str(d), free_port()

    def start(self):
        env = dict(os.environ, K8SMIG_HARNESS_PORT=str(self.port))
        r = subprocess.run(["bash", os.path.join(ROOT, "tests/cluster/start.sh"), self.dir, "-keep-pki"],
                           capture_output=True, text=True, env=env, timeout=300)
        assert r.returncode == 0, r.stderr
        self.kubeconfig = r.stdout.strip()

    def stop(self):
        subprocess.run(["bash", os.path.join(ROOT, "tests/cluster/stop.sh"), self.dir], capture_output=True, timeout=120)


@pytest.fixture
def harness(tmp_path):
    h = Harness(tmp_path / "h")
    try:
        h.start()
        yield h
    finally:
        h.stop()


def kubectl_json(h, *args):
    k = subprocess.run(["bash", os.path.join(ROOT, "tests/cluster/build.sh")], capture_output=True, text=True).stdout.strip()
    r = subprocess.run([k, "kubectl", "--kubeconfig", h.kubeconfig, *args, "-o", "json"], capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_restart_mid_apply_then_converge_and_watch_resumes(harness, tmp_path):
    h = harness
    docs = ["apiVersion: v1\nkind: Namespace\nmetadata: {name: big}\n"]
    docs += [f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: cm-{i:04d}, namespace: big}}\ndata: {{i: \"{i}\", "
             f"payload: \"{'x' * 200}\"}}\n" for i in range(N)]
    f = tmp_path / "big.yaml"
    f.write_text("---\n".join(docs))
    first = subprocess.Popen([K8SMIG, "apply", "--kubeconfig", h.kubeconfig, "-f", str(f)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # stop the server once part of the set is stored
    deadline = time.monotonic() + 60
    stored = 0
    while time.monotonic() < deadline and first.poll() is None:
        time.sleep(0.05)
        try:
            stored = len(kubectl_json(h, "get", "configmaps", "-n", "big", "--request-timeout=2s")["items"])
        except AssertionError:
            stored = 0
        if stored >= 50:
            break
    h.stop()
    out, err = first.communicate(timeout=300)
    assert first.returncode != 0 or stored < N  # it was interrupted (or raced to the end, then nothing is lost either)
    h.start()  # same dir: etcd data, port and PKI
    items = kubectl_json(h, "get", "configmaps", "-n", "big")["items"]
    before = len([i for i in items if i["metadata"]["name"].startswith("cm-")])
    assert before < N, "the first apply was not interrupted: nothing to converge"
    r = subprocess.run([K8SMIG, "apply", "--kubeconfig", h.kubeconfig, "-f", str(f)], capture_output=True, text=True,
                       timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    lines = r.stdout.splitlines()
    assert len(lines) == N + 1
    assert sum(l.endswith(" created") for l in lines) == N - before
    items = {i["metadata"]["name"]: i["data"] for i in kubectl_json(h, "get", "configmaps", "-n", "big")["items"]
             if i["metadata"]["name"].startswith("cm-")}
    assert len(items) == N
    for i in range(N):
        assert items[f"cm-{i:04d}"] == {"i": str(i), "payload": "x" * 200}
    # a third apply changes nothing
    r = subprocess.run([K8SMIG, "apply", "--kubeconfig", h.kubeconfig, "-f", str(f)], capture_output=True, text=True,
                       timeout=600)
    assert r.returncode == 0 and all(l.endswith(" unchanged") for l in r.stdout.splitlines())

    # a wait whose watch the restart breaks: it resumes and sees the object appear afterwards
    late = tmp_path / "late.yaml"
    late.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: late, namespace: big}\ndata: {v: \"1\"}\n")
    w = subprocess.Popen([K8SMIG, "wait", "--kubeconfig", h.kubeconfig, "-f", str(late), "--timeout", "240s"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(1.5)
    assert w.poll() is None  # watching: the object does not exist yet
    h.stop()
    time.sleep(1)
    assert w.poll() is None  # the broken watch is retried, not given up
    h.start()
    r = subprocess.run([K8SMIG, "apply", "--kubeconfig", h.kubeconfig, "-f", str(late)], capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    out, err = w.communicate(timeout=120)
    assert w.returncode == 0, err
    assert "rollout: 1 of 1 objects current" in out
