#!/usr/bin/env python3
"""B4 from benchmarks.md: apply 500 ConfigMaps + 100 Deployments to the real test
apiserver, then apply again unchanged; `k8smig apply` against `kubectl apply
--server-side` on the same files, same server, same run. Also: diff of the no-op set
(`k8smig diff` against `kubectl diff --server-side`) and apply + wait until every
Deployment has rolled out (`k8smig apply --wait` against `kubectl apply --server-side`
then `kubectl rollout status` of each Deployment); the harness runs with a controller
manager (-kcm) so that Deployments really roll out.

    python3 bench/b4_apply.py [--build-dir build] [--runs 3]

Starts its own harness (tests/cluster/start.sh) and stops it at the end. Each tool
applies into its own namespaces, so neither sees the other's objects.
"""
import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-{i}
  namespace: {ns}
  labels: {{app: web-{i}}}
spec:
  replicas: 1
  selector: {{matchLabels: {{app: web-{i}}}}}
  template:
    metadata: {{labels: {{app: web-{i}}}}}
    spec:
      containers:
      - name: app
        image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/layering:{i}
        ports: [{{containerPort: 8001, name: http}}]
        resources: {{requests: {{cpu: 500m, memory: 512Mi}}, limits: {{cpu: 500m, memory: 512Mi}}}}
"""


def write_set(d, ns):
    os.makedirs(d)
    with open(os.path.join(d, "00-namespace.yaml"), "w") as f:
        f.write(f"apiVersion: v1\nkind: Namespace\nmetadata: {{name: {ns}}}\n")
    for i in range(500):
        with open(os.path.join(d, f"cm-{i:03d}.yaml"), "w") as f:
            f.write(f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: cfg-{i:03d}, namespace: {ns}}}\n"
                    f"data: {{LOG_LEVEL: INFO, INDEX: \"{i}\"}}\n")
    for i in range(100):
        with open(os.path.join(d, f"deploy-{i:03d}.yaml"), "w") as f:
            f.write(DEPLOYMENT.format(i=i, ns=ns))
    return 601


def timed(cmd, env):
    t0 = time.perf_counter()
    r = subprocess.run(cmd, env=env, capture_output=True, text=True)
    dt = time.perf_counter() - t0
    if r.returncode:
        raise SystemExit(f"{' '.join(cmd[:3])} failed: {r.stderr[-2000:]}")
    return dt, r.stdout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build-dir", default=os.path.join(ROOT, "build"))
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    k8smig = os.path.join(a.build_dir, "examples", "cli", "k8smig")
    kubectl = shutil.which("kubectl")
    # SIGTERM ends the run through the finally below, so the harness is stopped on every exit
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    tmp = tempfile.mkdtemp(prefix="k8smig-b4-")
    cluster = os.path.join(tmp, "cluster")
    rows = ("first", "again", "diff", "wait")
    results = {t: {k: [] for k in rows} for t in ("k8smig", "kubectl")}
    try:
        kc = subprocess.run(["bash", os.path.join(ROOT, "tests/cluster/start.sh"), cluster, "-kcm"], capture_output=True,
                            text=True, check=True).stdout.strip()
        env = dict(os.environ, KUBECONFIG=kc)
        for run in range(a.runs):
            for tool in ("k8smig", "kubectl"):
                ns = f"b4-{tool}-{run}"
                d = os.path.join(tmp, ns)
                n = write_set(d, ns)
                if tool == "k8smig":
                    cmd = [k8smig, "apply", "-f", d]
                else:
                    cmd = [kubectl, "apply", "--server-side", "-f", d]
                first, out = timed(cmd, env)
                again, out2 = timed(cmd, env)
                if tool == "k8smig":
                    assert out2.count(" unchanged") == n, out2
                    diff_cmd = [k8smig, "diff", "-f", d]
                else:
                    diff_cmd = [kubectl, "diff", "--server-side", "-f", d]
                diff, out3 = timed(diff_cmd, env)  # exit 0: no differences (checked by timed)
                assert out3 == "", out3[:2000]
                # apply + wait until rolled out, into a fresh namespace
                ns_w = f"b4w-{tool}-{run}"
                dw = os.path.join(tmp, ns_w)
                write_set(dw, ns_w)
                if tool == "k8smig":
                    wait, _ = timed([k8smig, "apply", "-f", dw, "--wait", "--timeout", "10m"], env)
                else:
                    t0 = time.perf_counter()
                    timed([kubectl, "apply", "--server-side", "-f", dw], env)
                    for i in range(100):
                        timed([kubectl, "rollout", "status", f"deployment/web-{i}", "-n", ns_w, "--timeout=10m"], env)
                    wait = time.perf_counter() - t0
                results[tool]["first"].append(n / first)
                results[tool]["again"].append(n / again)
                results[tool]["diff"].append(n / diff)
                results[tool]["wait"].append(n / wait)
    finally:
        subprocess.run(["bash", os.path.join(ROOT, "tests/cluster/stop.sh"), cluster], capture_output=True)
        shutil.rmtree(tmp, ignore_errors=True)
    med = {t: {k: statistics.median(v) for k, v in r.items()} for t, r in results.items()}
    print(f"# B4: 500 ConfigMaps + 100 Deployments (+1 Namespace), median of {a.runs} runs, {time.strftime('%Y-%m-%d')}\n")
    print("| tool | first apply, objects/s | no-op re-apply, objects/s | diff (no-op), objects/s | apply + wait rolled out, objects/s |")
    print("|---|---:|---:|---:|---:|")
    for t in ("k8smig", "kubectl"):
        label = "k8smig" if t == "k8smig" else "kubectl (apply --server-side, diff --server-side, rollout status)"
        print(f"| {label} | {med[t]['first']:.0f} | {med[t]['again']:.0f} | {med[t]['diff']:.0f} | {med[t]['wait']:.0f} |")
    print("\nseconds per run (601 objects / objects/s): " + "; ".join(
        f"{t} {k} " + " ".join(f"{601 / x:.2f}" for x in results[t][k]) for t in ("k8smig", "kubectl") for k in rows))
    print("\nratios (k8smig / kubectl): " + ", ".join(
        f"{k} {med['k8smig'][k] / med['kubectl'][k]:.1f}x" for k in rows) + " (target >= 10x)")


if __name__ == "__main__":
    main()
