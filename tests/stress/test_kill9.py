"""kill -9 of the API server in the middle of applying N objects (issue 15).

`k8smig apply` (16 requests in flight) applies N ConfigMaps; at random points (a random count
of objects already applied, read from its progress line) the harness process - kube-apiserver
and etcd in one process - is sent SIGKILL, then started again on the same data directory (same
port and PKI: -keep-pki). The interrupted apply must end in bounded time (it may ride the
restart out with its retries, or report the objects it could not apply); the next apply
converges; a listing then holds every object with its data, and one more apply changes nothing.

N, the number of kills and the seed: K8SMIG_STRESS_OBJECTS (default 5000), K8SMIG_STRESS_KILLS
(default 2), K8SMIG_STRESS_SEED (default: random, printed). Starts its own harness
(tests/cluster/start.sh) and always stops it; runs when K8SMIG_TEST_KUBECONFIG is set (a
cluster run), as the other cluster tests. The figures go to stdout (`-s` shows them).
"""
import json
import os
import random
import re
import signal
import socket
import subprocess
import tempfile
import threading
import time

import pytest

K8SMIG = os.environ.get("K8SMIG_BIN", "k8smig")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
N = int(os.environ.get("K8SMIG_STRESS_OBJECTS", "5000"))
KILLS = int(os.environ.get("K8SMIG_STRESS_KILLS", "2"))
SEED = int(os.environ.get("K8SMIG_STRESS_SEED", str(random.SystemRandom().randrange(1 << 30))))
NS = "stress"
pytestmark = pytest.mark.skipif(not os.environ.get("K8SMIG_TEST_KUBECONFIG"),
                                reason="K8SMIG_TEST_KUBECONFIG is not set (no cluster run)")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Harness:
    def __init__(self, d):
        self.dir, self.port = str(d), free_port()
        self.bin = subprocess.run(["bash", os.path.join(ROOT, "tests/cluster/build.sh")], capture_output=True,
                                  text=True, check=True).stdout.strip()

    def start(self):
        env = dict(os.environ, K8SMIG_HARNESS_PORT=str(self.port))
        t0 = time.monotonic()
        r = subprocess.run(["bash", os.path.join(ROOT, "tests/cluster/start.sh"), self.dir, "-keep-pki"],
                           capture_output=True, text=True, env=env, timeout=300)
        assert r.returncode == 0, r.stderr
        self.kubeconfig = r.stdout.strip()
        with open(os.path.join(self.dir, "harness.pid")) as f:
            self.pid = int(f.read())
        return time.monotonic() - t0

    def kill9(self):
        """SIGKILL to the harness process itself (never a name match); waits until it is gone."""
        with open(f"/proc/{self.pid}/cmdline", "rb") as f:
            assert b"-dir\0" + self.dir.encode() in f.read(), "harness.pid is not our harness"
        os.kill(self.pid, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with open(f"/proc/{self.pid}/stat") as f:
                    if f.read().rsplit(")", 1)[1].split()[0] == "Z":
                        break
            except FileNotFoundError:
                break
            time.sleep(0.02)
        else:
            pytest.fail("the harness survived SIGKILL for 30 s")
        # dead (a zombie until whoever inherited it reaps it): start.sh must not take it for running
        os.unlink(os.path.join(self.dir, "harness.pid"))

    def stop(self):
        subprocess.run(["bash", os.path.join(ROOT, "tests/cluster/stop.sh"), self.dir], capture_output=True,
                       timeout=120)

    def configmaps(self):
        r = subprocess.run([self.bin, "kubectl", "--kubeconfig", self.kubeconfig, "get", "configmaps", "-n", NS,
                            "-o", "json", "--chunk-size=1000", "--show-managed-fields"], capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, r.stderr
        return {i["metadata"]["name"]: i for i in json.loads(r.stdout)["items"]
                if i["metadata"]["name"].startswith("cm-")}


@pytest.fixture
def harness(tmp_path):
    h = Harness(tmp_path / "h")
    try:
        h.start()
        yield h
    finally:
        h.stop()


def apply_until(h, f, kill_at, down=0.0):
    """Run `k8smig apply`; `kill_at` seconds after it started (None: never), SIGKILL the harness,
    keep it down `down` seconds and start it again on the same data dir while the apply goes on.
    (The apply's progress lines come once a phase's requests are all answered, so they cannot
    time the kill: a random time does.) Returns a dict of figures."""
    fig = {"killed_at": None}
    restarter = None

    def restart():
        time.sleep(down)
        fig["t_restart"] = h.start()

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.monotonic()
        p = subprocess.Popen([K8SMIG, "apply", "--kubeconfig", h.kubeconfig, "-f", str(f)], stdout=out, stderr=err,
                             stdin=subprocess.DEVNULL)
        while p.poll() is None:
            if time.monotonic() - t0 > 1200:
                p.kill()
                p.wait()
                pytest.fail("apply still running after 20 minutes")
            if kill_at is not None and fig["killed_at"] is None and time.monotonic() - t0 >= kill_at:
                h.kill9()
                fig["killed_at"] = fig["t_kill"] = time.monotonic() - t0
                restarter = threading.Thread(target=restart)
                restarter.start()
            time.sleep(0.01)
        fig["t_apply"] = time.monotonic() - t0
        if restarter:
            restarter.join(330)
            assert not restarter.is_alive() and "t_restart" in fig, "the harness did not start again"
        out.seek(0)
        err.seek(0)
        fig["rc"], fig["out"], fig["err"] = p.returncode, out.read().decode(), err.read().decode()
    return fig


def manifests(version):
    docs = [f"apiVersion: v1\nkind: Namespace\nmetadata: {{name: {NS}}}\n"]
    docs += [f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: cm-{i:05d}, namespace: {NS}, labels: {{i: \"{i}\"}}}}\n"
             f"data: {{i: \"{i}\", payload: \"{'y' * 100}-{i}-v{version}\"}}\n" for i in range(N)]
    return "---\n".join(docs)


def test_kill9_mid_apply_then_converge(harness, tmp_path):
    """Run r applies a new version of the set (every object's data changes: run 1 creates, later
    runs update) and is cut by a SIGKILL at a random time; the server stays down for 0 s or a
    random 0-20 s, so the apply rides the restart out with its retries or reports what it could
    not apply. Nothing it reported applied may be missing after the restart. The last apply (one
    more version) must converge, checked object by object by listing."""
    h = harness
    rng = random.Random(SEED)
    print(f"\n# kill -9 stress: {N} ConfigMaps, {KILLS} kills, seed {SEED}")
    window = max(3.0, N / 150)  # seconds an apply of N takes here, about; corrected by what runs measure
    for run in range(1, KILLS + 1):
        for attempt in range(4):
            # a fresh version for every attempt: an apply that ended before its kill wrote this one
            version = f"{run}.{attempt}"
            f = tmp_path / f"v{version}.yaml"
            f.write_text(manifests(version))
            k, down = rng.uniform(0.5, window), rng.choice([0.0, rng.uniform(0, 20)])
            fig = apply_until(h, f, k, down)
            if fig["killed_at"] is not None:
                break
            print(f"# run {run}: the apply ended after {fig['t_apply']:.1f} s, before the kill at {k:.1f} s: again")
            window = 0.8 * fig["t_apply"]
        assert fig["killed_at"] is not None, "no apply was long enough to be killed"
        items = h.configmaps()
        versions = {}
        for o in items.values():
            v = o["data"]["payload"].rsplit("-", 1)[1]
            versions[v] = versions.get(v, 0) + 1
        failed = [l for l in fig["err"].splitlines() if " failed: " in l]
        print(f"# run {run}: SIGKILL {fig['t_kill']:.1f} s into the apply, "
              f"down {down:.1f} s, up again in {fig['t_restart']:.1f} s; the apply ended after {fig['t_apply']:.1f} s, "
              f"status {fig['rc']}, {len(failed)} objects reported failed; stored: {len(items)} ConfigMaps, "
              f"by version {dict(sorted(versions.items()))}" + (f"\n#   first failure: {failed[0][:300]}" if failed else ""))
        assert fig["rc"] in (0, 1)
        # what the apply reported applied was acknowledged by the API server after etcd committed
        # it: the SIGKILL must not have lost any of it
        names = {re.search(r"configmap/(cm-\d+) failed: ", l)[1] for l in failed if "configmap/cm-" in l}
        reported_ok = [f"cm-{i:05d}" for i in range(N) if f"cm-{i:05d}" not in names]
        lost = [n for n in reported_ok if n not in items or not items[n]["data"]["payload"].endswith(f"-v{version}")]
        assert not lost, f"{len(lost)} objects reported applied are not stored as applied: {lost[:10]}"
        stored_anyway = sum(1 for n in names if n in items and items[n]["data"]["payload"].endswith(f"-v{version}"))
        print(f"#   {len(reported_ok)} ConfigMaps reported applied, all stored; {stored_anyway} of the {len(names)} "
              f"reported failed were stored all the same (the answer was lost with the server)")
    final = f"{KILLS + 1}.0"
    f = tmp_path / f"v{final}.yaml"
    f.write_text(manifests(final))
    fig = apply_until(h, f, None)
    assert fig["rc"] == 0, fig["out"][-2000:]
    lines = fig["out"].splitlines()
    assert len(lines) == N + 1
    items = h.configmaps()
    print(f"# converging apply: {fig['t_apply']:.1f} s, {sum(l.endswith(' created') for l in lines)} created, "
          f"{sum(l.endswith(' configured') for l in lines)} configured, "
          f"{sum(l.endswith(' unchanged') for l in lines)} unchanged; listing: {len(items)} ConfigMaps")
    assert len(items) == N
    for i in range(N):
        o = items[f"cm-{i:05d}"]
        assert o["data"] == {"i": str(i), "payload": f"{'y' * 100}-{i}-v{final}"}, o
        assert o["metadata"]["labels"] == {"i": str(i)}
        managers = [m["manager"] for m in o["metadata"].get("managedFields", [])]
        assert managers == ["k8smig"], managers  # applied, never created another way
    fig = apply_until(h, f, None)
    assert fig["rc"] == 0 and all(l.endswith(" unchanged") for l in fig["out"].splitlines()), fig["out"][-2000:]
    print(f"# a further apply: {N + 1} unchanged in {fig['t_apply']:.1f} s; objects lost: 0")
