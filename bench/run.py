#!/usr/bin/env python3
"""Run B1 and B2 from benchmarks.md with their peers in the same run; print medians and ratios.

    python3 bench/run.py [--build-dir build] [--runs 5] [--n 10000] [--py-n 2000]

Each C workload runs in its own process (so peak RSS is that workload's), `--runs` times;
the table shows medians. The Python peers are slow, so they run once on `--py-n` objects and
are compared per object. kubernetes-client/c cannot be built here (no package, no network):
its figure from benchmarks.md is shown as a reference, marked as not measured in this run.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
KCLIENT_C_US = 28.0  # benchmarks.md: kubernetes-client/c build + serialize JSON, per object


def run_c(exe, mode, n, path=None, runs=5):
    results = []
    for _ in range(runs):
        out = subprocess.run([exe, mode, str(n)] + ([path] if path else []), capture_output=True, text=True, check=True)
        results.append(json.loads(out.stdout))
    med = lambda k: statistics.median(r[k] for r in results)
    return {"seconds": med("seconds"), "bytes": results[0]["bytes"], "maxrss_kb": med("maxrss_kb"),
            "mallocs": results[0]["mallocs"], "n": n}


def py_client(n):
    """The official Python client: V1Deployment models, sanitize, PyYAML's C dumper."""
    code = r"""
import json, sys, time, resource, yaml
from kubernetes import client
from kubernetes.client import ApiClient
n = int(sys.argv[1])
t0 = time.perf_counter()
objs = []
for i in range(n):
    c = client.V1Container(name="app", image=f"123456789012.dkr.ecr.us-east-1.amazonaws.com/layering:{i}",
        env=[client.V1EnvVar(name="LOG_LEVEL", value="INFO"), client.V1EnvVar(name="MAX_RETRIES", value="3"),
             client.V1EnvVar(name="ALGORITHM_TIMEOUT_SECONDS", value="30")],
        env_from=[client.V1EnvFromSource(config_map_ref=client.V1ConfigMapEnvSource(name="app-config")),
                  client.V1EnvFromSource(secret_ref=client.V1SecretEnvSource(name="api-key"))],
        liveness_probe=client.V1Probe(http_get=client.V1HTTPGetAction(path="/health", port=8001),
                                      initial_delay_seconds=5, period_seconds=30, timeout_seconds=10),
        readiness_probe=client.V1Probe(http_get=client.V1HTTPGetAction(path="/health", port=8001),
                                       period_seconds=10, timeout_seconds=5),
        ports=[client.V1ContainerPort(container_port=8001, name="http")],
        resources=client.V1ResourceRequirements(limits={"cpu": "500m", "memory": "512Mi"},
                                                requests={"cpu": "500m", "memory": "512Mi"}),
        volume_mounts=[client.V1VolumeMount(mount_path="/app/input", name="input", read_only=True)])
    d = client.V1Deployment(api_version="apps/v1", kind="Deployment",
        metadata=client.V1ObjectMeta(name=f"layering-{i}", namespace="layering-detection-dev",
            labels={"app.kubernetes.io/name": "layering", "app.kubernetes.io/part-of": "layering-detection",
                    "app.kubernetes.io/component": "algorithm"}),
        spec=client.V1DeploymentSpec(replicas=2,
            selector=client.V1LabelSelector(match_labels={"app.kubernetes.io/name": "layering"}),
            template=client.V1PodTemplateSpec(metadata=client.V1ObjectMeta(labels={"app.kubernetes.io/name": "layering"}),
                spec=client.V1PodSpec(containers=[c], service_account_name="layering",
                    volumes=[client.V1Volume(name="input", persistent_volume_claim=
                        client.V1PersistentVolumeClaimVolumeSource(claim_name="input-pvc", read_only=True))]))))
    objs.append(d)
t1 = time.perf_counter()
api = ApiClient()
plain = [api.sanitize_for_serialization(d) for d in objs]
t2 = time.perf_counter()
text = yaml.dump_all(plain, Dumper=yaml.CSafeDumper)
t3 = time.perf_counter()
docs = list(yaml.load_all(text, Loader=yaml.CSafeLoader))
t4 = time.perf_counter()
print(json.dumps({"build": t1 - t0, "sanitize": t2 - t1, "dump": t3 - t2, "load": t4 - t3,
                  "bytes": len(text.encode()), "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""
    out = subprocess.run([sys.executable, "-c", code, str(n)], capture_output=True, text=True)
    if out.returncode:
        return None, out.stderr.strip().splitlines()[-1] if out.stderr else "failed"
    return json.loads(out.stdout), None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build-dir", default=os.path.join(HERE, "..", "build"))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--n", type=int, default=10000)
    ap.add_argument("--py-n", type=int, default=2000)
    a = ap.parse_args()
    exe = os.path.join(a.build_dir, "bench", "k8smig_bench")
    n = a.n
    us = lambda r: r["seconds"] / r["n"] * 1e6
    mbs = lambda r: r["bytes"] / r["seconds"] / 1e6
    rows = []

    with tempfile.TemporaryDirectory() as d:
        yaml_path, json_path = os.path.join(d, "stream.yaml"), os.path.join(d, "stream.json")
        subprocess.run([exe, "emit-yaml", str(n), yaml_path], check=True, capture_output=True)
        subprocess.run([exe, "emit-json", str(n), json_path], check=True, capture_output=True)
        r = {m: run_c(exe, m, n, runs=a.runs) for m in
             ("build", "build-typed", "emit-yaml", "emit-json", "build+emit-yaml", "build+emit-json",
              "jansson-build+dump", "jansson+libyaml-emit")}
        p = {"parse-yaml": run_c(exe, "parse", n, yaml_path, a.runs),
             "libyaml-events": run_c(exe, "libyaml-events", n, yaml_path, a.runs),
             "parse-json": run_c(exe, "parse", n, json_path, a.runs),
             "jansson-load": run_c(exe, "jansson-load", n, json_path, a.runs)}
    py, py_err = py_client(a.py_n)

    print(f"# B1/B2, N={n} reference Deployments, median of {a.runs} runs; machine: {os.cpu_count()} cores, "
          f"{time.strftime('%Y-%m-%d')}\n")
    print("## B1: build and emit\n")
    print("| workload | µs/object | MB/s | peak RSS MB | allocations/object |")
    print("|---|---:|---:|---:|---:|")
    def row(name, res, mb=True):
        rate = f"{mbs(res):.0f}" if mb else ""
        allocs = f"{res['mallocs'] / res['n']:.1f}" if res["mallocs"] else ""
        print(f"| {name} | {us(res):.2f} | {rate} | {res['maxrss_kb'] / 1024:.1f} | {allocs} |")
    row("k8smig build (generic object API)", r["build"], mb=False)
    row("k8smig build (typed builders)", r["build-typed"], mb=False)
    row("k8smig emit YAML", r["emit-yaml"])
    row("k8smig emit JSON (indented)", r["emit-json"])
    row("k8smig build + emit YAML", r["build+emit-yaml"])
    row("k8smig build + emit JSON", r["build+emit-json"])
    row("peer: jansson json_pack + json_dumps", r["jansson-build+dump"])
    row("peer: jansson tree + libyaml emitter", r["jansson+libyaml-emit"])
    if py:
        per = lambda k: py[k] / a.py_n * 1e6
        print(f"| peer: Python client build (V1Deployment), N={a.py_n} | {per('build'):.1f} | | {py['maxrss_kb'] / 1024:.0f} | |")
        print(f"| peer: Python client sanitize + PyYAML C dumper | {per('sanitize') + per('dump'):.1f} | | | |")
    else:
        print(f"| peer: Python client | not run: {py_err} | | | |")
    print(f"| reference: kubernetes-client/c build + JSON (benchmarks.md, not measured here) | {KCLIENT_C_US:.1f} | | 57 | 486 |")
    print(f"\nobjects in memory after build: {r['build']['bytes'] / n:.0f} bytes/object, "
          f"{r['build']['bytes'] / 1e6:.1f} MB for {n}\n")
    print("ratios (peer time / k8smig time, higher is better for k8smig):\n")
    ratios = [
        ("build+emit JSON vs jansson pack+dumps", r["jansson-build+dump"]["seconds"] / r["build+emit-json"]["seconds"]),
        ("build+emit YAML vs jansson + libyaml emitter", r["jansson+libyaml-emit"]["seconds"] / r["build+emit-yaml"]["seconds"]),
        ("build+emit JSON vs kubernetes-client/c reference 28 µs", KCLIENT_C_US / us(r["build+emit-json"])),
        ("emit JSON vs kubernetes-client/c reference 28 µs", KCLIENT_C_US / us(r["emit-json"])),
        ("emit YAML vs kubernetes-client/c reference 28 µs", KCLIENT_C_US / us(r["emit-yaml"])),
    ]
    if py:
        ratios.append(("build+emit YAML vs Python client build+sanitize+dump",
                       (py["build"] + py["sanitize"] + py["dump"]) / a.py_n * 1e6 / us(r["build+emit-yaml"])))
    for name, v in ratios:
        print(f"- {name}: {v:.1f}x")

    print("\n## B2: parse\n")
    print("| workload | µs/object | MB/s | peak RSS MB |")
    print("|---|---:|---:|---:|")
    for name, key in (("k8smig parse YAML stream", "parse-yaml"), ("floor: libyaml events only", "libyaml-events"),
                      ("k8smig parse JSON stream", "parse-json"), ("peer: jansson json_loadb", "jansson-load")):
        res = p[key]
        print(f"| {name} | {us(res):.2f} | {mbs(res):.0f} | {res['maxrss_kb'] / 1024:.1f} |")
    if py:
        print(f"| peer: PyYAML CSafeLoader, N={a.py_n} | {py['load'] / a.py_n * 1e6:.1f} | "
              f"{py['bytes'] / py['load'] / 1e6:.0f} | |")
    print("\nratios:\n")
    print(f"- parse YAML / libyaml events (target <= 1.3): {p['parse-yaml']['seconds'] / p['libyaml-events']['seconds']:.2f}")
    print(f"- parse JSON / jansson json_loadb alone: {p['parse-json']['seconds'] / p['jansson-load']['seconds']:.2f}")
    if py:
        print(f"- PyYAML CSafeLoader / k8smig parse YAML (per object): "
              f"{py['load'] / a.py_n * 1e6 / us(p['parse-yaml']):.1f}x")
    print("\nNote: peak RSS of the parse rows includes the input held in memory (16 MB YAML, 40 MB JSON).")


if __name__ == "__main__":
    main()
