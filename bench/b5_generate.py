#!/usr/bin/env python3
"""B5: cold start of `k8smig version` (vs `kubectl version --client`, same run) and the time of
`k8smig generate` for the whole bundled migration tree.

    python3 bench/b5_generate.py [--bin build/examples/cli/k8smig] [--runs 20] [--generate-runs 10]

Every timing is a fresh process (fork + exec + dynamic loading included), measured with
time.perf_counter around subprocess.run; the median is reported. generate writes into a fresh
directory each run (the full, atomic write with fsync), and a second row times a re-run into an
up-to-date tree (read and compare only).
"""
import argparse
import os
import pathlib
import shutil
import statistics
import subprocess
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent


def timed(cmd, runs, before=None):
    samples = []
    for i in range(runs):
        if before:
            before(i)
        t = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        samples.append((time.perf_counter() - t) * 1000)
    return statistics.median(samples)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=str(ROOT / "build/examples/cli/k8smig"))
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--generate-runs", type=int, default=10)
    a = ap.parse_args()
    k8smig = a.bin
    kubectl = shutil.which("kubectl")

    version = timed([k8smig, "version"], a.runs)
    kubectl_version = timed([kubectl, "version", "--client"], a.runs) if kubectl else None

    work = pathlib.Path(tempfile.mkdtemp(prefix="k8smig-b5-"))
    try:
        def fresh(i):
            shutil.rmtree(work / "out", ignore_errors=True)
        generate = timed([k8smig, "generate", "-o", str(work / "out")], a.generate_runs, fresh)
        files = sum(1 for p in (work / "out").rglob("*") if p.is_file())
        size = sum(p.stat().st_size for p in (work / "out").rglob("*") if p.is_file())
        rerun = timed([k8smig, "generate", "-o", str(work / "out")], a.generate_runs)
        check = timed([k8smig, "generate", "--check", "-o", str(work / "out")], a.generate_runs)
    finally:
        shutil.rmtree(work)

    print(f"B5 ({os.cpu_count()} cores; medians: {a.runs} runs for version, {a.generate_runs} for generate)")
    print(f"| workload | ms | ratio |")
    print(f"|---|---:|---:|")
    print(f"| k8smig version (cold start) | {version:.2f} | 1.00 |")
    if kubectl_version:
        print(f"| kubectl version --client | {kubectl_version:.2f} | {kubectl_version / version:.1f}x slower |")
    print(f"| k8smig generate, bundled spec, new tree ({files} files, {size / 1024:.0f} KiB) | {generate:.2f} | "
          f"{generate / version:.1f}x version |")
    print(f"| k8smig generate, tree up to date (compare only) | {rerun:.2f} | |")
    print(f"| k8smig generate --check | {check:.2f} | |")


if __name__ == "__main__":
    main()
