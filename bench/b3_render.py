#!/usr/bin/env python3
"""B3 from benchmarks.md: render a Kustomize overlay over N Deployments with k8smig render and
with kubectl kustomize in the same run; print seconds, growth with N and the speedup.

    python3 bench/b3_render.py [--build-dir build] [--runs 3] [--sizes 100,1000,10000]
                               [--kubectl-max 1000]

The tree (in a temporary directory): base/ holds N Deployments in one file and a
kustomization; overlay/ sets namespace, images (one rule per 100 Deployments' image), replicas
(one entry per Deployment), labels with selectors, and one strategic-merge patch whose target
selects every Deployment (resources, an env var, a sidecar). kubectl kustomize is quadratic in
N, so it runs only up to --kubectl-max (at 10,000 it takes more than 10 minutes).
Both outputs are checked to be equal (parsed) at every size kubectl runs.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: svc-{i}
  labels: {{app.kubernetes.io/name: svc-{i}, app.kubernetes.io/part-of: bench}}
spec:
  replicas: 1
  selector: {{matchLabels: {{app.kubernetes.io/name: svc-{i}}}}}
  template:
    metadata: {{labels: {{app.kubernetes.io/name: svc-{i}}}}}
    spec:
      serviceAccountName: svc
      containers:
      - name: app
        image: bench/app-{img}:latest
        ports: [{{containerPort: 8000, name: http}}]
        env: [{{name: LOG_LEVEL, value: info}}, {{name: INDEX, value: "{i}"}}]
        envFrom: [{{configMapRef: {{name: shared-config}}}}]
        resources: {{requests: {{cpu: 250m, memory: 512Mi}}, limits: {{memory: 512Mi}}}}
        readinessProbe: {{httpGet: {{path: /health, port: 8000}}, periodSeconds: 10}}
        volumeMounts: [{{name: data, mountPath: /data}}]
      volumes: [{{name: data, emptyDir: {{}}}}]
"""

PATCH = """- target: {kind: Deployment}
  patch: |
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: any}
    spec:
      template:
        spec:
          containers:
          - name: app
            env: [{name: ENVIRONMENT, value: prod}]
            resources: {requests: {cpu: "1", memory: 1Gi}, limits: {memory: 1Gi}}
          - name: proxy
            image: envoyproxy/envoy:v1.30
"""


def make_tree(root, n):
    base, overlay = os.path.join(root, "base"), os.path.join(root, "overlay")
    os.makedirs(base)
    os.makedirs(overlay)
    with open(os.path.join(base, "deployments.yaml"), "w") as f:
        f.write("---\n".join(DEPLOYMENT.format(i=i, img=i // 100) for i in range(n)))
    with open(os.path.join(base, "kustomization.yaml"), "w") as f:
        f.write("resources: [deployments.yaml]\n")
    with open(os.path.join(overlay, "kustomization.yaml"), "w") as f:
        f.write("resources: [../base]\nnamespace: bench-prod\n")
        f.write("labels:\n- pairs: {environment: prod}\n  includeSelectors: true\n")
        f.write("images:\n")
        for img in range((n + 99) // 100):
            f.write(f"- name: bench/app-{img}\n  newName: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/app-{img}\n"
                    f"  newTag: 1a2b3c\n")
        f.write("replicas:\n")
        for i in range(n):
            f.write(f"- {{name: svc-{i}, count: {2 + i % 3}}}\n")
        f.write("patches:\n" + PATCH)
    return overlay


def timed(cmd, runs):
    times, out = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        p = subprocess.run(cmd, capture_output=True, text=True)
        times.append(time.perf_counter() - t0)
        if p.returncode != 0:
            sys.exit(f"{' '.join(cmd)} failed: {p.stderr.strip()}")
        out = p.stdout
    return statistics.median(times), out


def same(a, b):
    try:
        import yaml
        load = lambda t: list(yaml.load_all(t, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))
    except ImportError:
        return None
    return load(a) == load(b)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build-dir", default="build")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--sizes", default="100,1000,10000")
    ap.add_argument("--kubectl-max", type=int, default=1000)
    args = ap.parse_args()
    k8smig = os.path.join(args.build_dir, "examples", "cli", "k8smig")
    if not os.access(k8smig, os.X_OK):
        sys.exit(f"{k8smig} not found: build first (meson compile -C {args.build_dir})")
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = []
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            overlay = make_tree(tmp, n)
            ours, ours_out = timed([k8smig, "render", overlay], args.runs)
            theirs = equal = None
            if n <= args.kubectl_max:
                theirs, theirs_out = timed(["kubectl", "kustomize", overlay], 1)
                equal = same(ours_out, theirs_out)
            rows.append((n, ours, theirs, equal))
    print(f"B3: render an overlay over N Deployments (k8smig median of {args.runs}, kubectl 1 run)\n")
    print("| N | k8smig render s | growth | kubectl kustomize s | growth | speedup | outputs equal |")
    print("|---:|---:|---:|---:|---:|---:|---|")
    prev = None
    for n, ours, theirs, equal in rows:
        g1 = f"{ours / prev[1]:.1f}x" if prev else ""
        g2 = f"{theirs / prev[2]:.1f}x" if prev and theirs and prev[2] else ""
        kt = f"{theirs:.3f}" if theirs else "not run (quadratic: over 10 min)"
        sp = f"{theirs / ours:.0f}x" if theirs else ""
        eq = {True: "yes", False: "NO", None: "not compared"}[equal]
        print(f"| {n:,} | {ours:.3f} | {g1} | {kt} | {g2} | {sp} | {eq} |")
        prev = (n, ours, theirs)
    if any(e is False for *_, e in rows):
        sys.exit("outputs differ")


if __name__ == "__main__":
    main()
