#!/usr/bin/env python3
"""B1 and B2 (docs/benchmarks.md): libk8smig side by side with kubernetes-client/c and libyaml.

    python3 bench/run.py [--build-dir build] [--runs 7] [--n 10000] [--pass-seconds 0.5]
                         [--callgrind-n 1000] [--kubernetes-client-c PREFIX] [--no-callgrind]

PREFIX is an installed kubernetes-client/c (PREFIX/include/kubernetes/..., PREFIX/lib/libkubernetes.so),
built by its own instructions; this script never builds it. It compiles our peer program
(bench/kclient_c_peer.c) against it, checks that both programs produce the same data (and
says whether the compact JSON streams are byte-identical), then prints every row of the
side-by-side table: callgrind instruction counts per object (the noise-free figure, on
--callgrind-n objects) beside wall times on --n objects: each of --runs runs of a program
repeats its timed pass for --pass-seconds, and the table gives the fastest pass of all runs
(the medians follow it; bench/passes.h says why). Without PREFIX the kubernetes-client/c column says it was not measured.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def run_json(cmd, pass_seconds=None):
    env = dict(os.environ)
    env.pop("K8SMIG_BENCH_SECONDS", None)
    if pass_seconds:
        env["K8SMIG_BENCH_SECONDS"] = str(pass_seconds)
    out = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if out.returncode:
        sys.exit(f"failed: {' '.join(cmd)}\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def wall_all(cmds, runs, pass_seconds):
    """The fastest pass of `runs` runs of each benchmark process (each run repeating its pass
    for pass_seconds), the median of the runs' fastest passes, and each one's last report.
    The commands take turns, so a change in the machine's speed hits them all alike."""
    res = {k: [] for k in cmds}
    for _ in range(runs):
        for k, cmd in cmds.items():
            res[k].append(run_json(cmd, pass_seconds))
    return ({k: min(r["seconds"] for r in v) for k, v in res.items()},
            {k: statistics.median(r["seconds"] for r in v) for k, v in res.items()},
            {k: v[-1] for k, v in res.items()})


def instructions(cmd, functions, d):
    """Instructions executed inside `functions` (inclusive), counted by callgrind."""
    if not shutil.which("valgrind"):
        return None
    out = os.path.join(d, "callgrind.out")
    args = ["valgrind", "--tool=callgrind", "--collect-atstart=no", f"--callgrind-out-file={out}"]
    args += [f"--toggle-collect={f}" for f in functions]
    p = subprocess.run(args + cmd, capture_output=True, text=True)
    if p.returncode:
        sys.exit(f"callgrind failed: {' '.join(cmd)}\n{p.stderr[-2000:]}")
    with open(out) as f:
        for line in f:
            if line.startswith("totals:") or line.startswith("summary:"):
                return int(line.split()[1])
    sys.exit("callgrind wrote no totals")


def stream_data(path):
    """The documents of a stream (one compact JSON document a line), as Python data."""
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def reserialized(cmd):
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode:
        sys.exit(f"failed: {' '.join(cmd)}\n{out.stderr}")
    return [json.loads(line) for line in out.stdout.splitlines() if line.strip()]


def build_peer(prefix, d):
    inc = os.path.join(prefix, "include", "kubernetes")
    lib = os.path.join(prefix, "lib")
    if not os.path.exists(os.path.join(inc, "model", "v1_deployment.h")):
        sys.exit(f"{prefix}: no include/kubernetes/model/v1_deployment.h (install kubernetes-client/c there first)")
    exe = os.path.join(d, "kclient_c_peer")
    cc = os.environ.get("CC", "cc")
    cmd = [cc, "-O2", "-Wno-deprecated-declarations", os.path.join(HERE, "kclient_c_peer.c"), f"-I{inc}",
           f"-L{lib}", "-lkubernetes", f"-Wl,-rpath,{lib}", "-o", exe]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode:
        sys.exit(f"compiling the peer program failed:\n{' '.join(cmd)}\n{p.stderr}")
    return exe


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build-dir", default=os.path.join(HERE, "..", "build"))
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--n", type=int, default=10000)
    ap.add_argument("--pass-seconds", type=float, default=0.5,
                    help="each run repeats its timed pass this long and reports the fastest (0: one pass)")
    ap.add_argument("--callgrind-n", type=int, default=1000)
    ap.add_argument("--kubernetes-client-c", metavar="PREFIX", help="an installed kubernetes-client/c")
    ap.add_argument("--no-callgrind", action="store_true")
    a = ap.parse_args()
    ours = os.path.join(a.build_dir, "bench", "k8smig_bench")
    n, cn, runs = a.n, a.callgrind_n, a.runs
    if not os.path.exists(ours):
        sys.exit(f"{ours} not found: meson compile -C {a.build_dir} first")

    # first, while this script is small: Linux carries a parent's peak RSS into its children
    memory = run_json([ours, "build", str(n)])  # all N objects held in a list
    with tempfile.TemporaryDirectory() as d:
        peer = build_peer(a.kubernetes_client_c, d) if a.kubernetes_client_c else None
        paths = {k: os.path.join(d, k) for k in ("ours.json", "typed.json", "peer.json", "ours.yaml")}

        # ---- same data -------------------------------------------------------------------
        run_json([ours, "dump", str(n), paths["ours.json"]])
        run_json([ours, "dump-typed", str(n), paths["typed.json"]])
        subprocess.run([ours, "emit-yaml", str(n), paths["ours.yaml"]], check=True, capture_output=True)
        ref = stream_data(paths["ours.json"])
        checks = []
        ok = stream_data(paths["typed.json"]) == ref
        checks.append(("typed builders and path API build the same data", ok))
        ok = reserialized([ours, "reserialize", "0", paths["ours.yaml"]]) == ref
        checks.append(("our YAML stream parses back to the same data", ok))
        ok = reserialized([ours, "reserialize", "0", paths["ours.json"]]) == ref
        checks.append(("our JSON stream parses back to the same data", ok))
        if peer:
            run_json([peer, "dump", str(n), paths["peer.json"]])
            checks.append(("kubernetes-client/c builds the same data", stream_data(paths["peer.json"]) == ref))
            with open(paths["ours.json"], "rb") as f1, open(paths["peer.json"], "rb") as f2:
                checks.append(("compact JSON streams byte-identical (path API vs kubernetes-client/c)",
                               f1.read() == f2.read()))
            checks.append(("kubernetes-client/c parses our stream to the same data",
                           reserialized([peer, "reserialize", "0", paths["ours.json"]]) == ref))
            checks.append(("libk8smig parses kubernetes-client/c's stream to the same data",
                           reserialized([ours, "reserialize", "0", paths["peer.json"]]) == ref))
        failed = [c for c, ok in checks if not ok]

        # ---- wall time -------------------------------------------------------------------
        cmds = {m: [ours, m, str(n)] for m in ("construct+json", "construct+json-typed", "construct+yaml",
                                                "construct+yaml-typed")}
        cmds["parse-json"] = [ours, "parse", str(n), paths["ours.json"]]
        cmds["parse-yaml"] = [ours, "parse", str(n), paths["ours.yaml"]]
        cmds["libyaml-events"] = [ours, "libyaml-events", str(n), paths["ours.yaml"]]
        if peer:
            cmds["peer-construct+json"] = [peer, "construct+json", str(n)]
            cmds["peer-parse"] = [peer, "parse", str(n), paths["peer.json"]]
        w, wmed, last = wall_all(cmds, runs, a.pass_seconds)
        r_parse_json, r_parse_yaml = last["parse-json"], last["parse-yaml"]
        allocs = {m: last[m] for m in ("construct+json", "construct+json-typed")}
        if peer:
            peer_allocs, peer_parse = last["peer-construct+json"], last["peer-parse"]

        # ---- instructions ----------------------------------------------------------------
        ins = {}
        if not a.no_callgrind and shutil.which("valgrind"):
            c = lambda prog, mode, fns, f=None: instructions([prog, mode, str(cn)] + ([f] if f else []), fns, d) / cn
            small = {k: os.path.join(d, "small-" + k) for k in ("json", "yaml", "peer")}
            run_json([ours, "dump", str(cn), small["json"]])
            subprocess.run([ours, "emit-yaml", str(cn), small["yaml"]], check=True, capture_output=True)
            for tag, mode in (("path", "construct+json"), ("typed", "construct+json-typed")):
                ins[tag, "construct"] = c(ours, mode, ["bench_construct", "bench_free"])
                ins[tag, "json"] = c(ours, mode, ["bench_serialize"])
            ins["path", "yaml"] = c(ours, "construct+yaml", ["bench_serialize"])
            ins["typed", "yaml"] = c(ours, "construct+yaml-typed", ["bench_serialize"])
            ins["path", "parse-json"] = c(ours, "parse", ["bench_parse"], small["json"])
            ins["path", "parse-yaml"] = c(ours, "parse", ["bench_parse"], small["yaml"])
            ins["libyaml-events"] = c(ours, "libyaml-events", ["bench_libyaml_events"], small["yaml"])
            if peer:
                run_json([peer, "dump", str(cn), small["peer"]])
                ins["peer", "construct"] = c(peer, "construct+json", ["bench_construct", "bench_free"])
                ins["peer", "json"] = c(peer, "construct+json", ["bench_serialize"])
                ins["peer", "parse-json"] = c(peer, "parse", ["bench_parse"], small["peer"])

    # ---- report ----------------------------------------------------------------------------
    best = f", each repeating its pass for {a.pass_seconds:g} s" if a.pass_seconds else ""
    print(f"# B1/B2 side by side: N={n} reference Deployments, wall time the fastest pass of {runs} runs{best}, "
          f"instructions per object by callgrind on {cn} objects; {os.cpu_count()} cores, load average "
          f"{os.getloadavg()[0]:.1f} at the end, {time.strftime('%Y-%m-%d')}\n")
    for name, ok in checks:
        print(f"- {name}: {'yes' if ok else 'NO'}")
    if not peer:
        print("- kubernetes-client/c: not measured (no --kubernetes-client-c PREFIX given); its column is empty")
    print()

    us = lambda s: s / n * 1e6
    k = lambda v: f"{v / 1000:.1f}k" if v is not None else ""
    ratio = lambda p, o: f"{p / o:.2f}x" if p and o else ""
    have_ins = bool(ins)
    pi = lambda key: ins.get(key)
    rows = []
    def sum_ins(*keys):
        vals = [ins.get(x) for x in keys]
        return sum(vals) if all(v is not None for v in vals) else None
    if have_ins:
        rows += [
            ("construct (and free), instructions", pi(("peer", "construct")), pi(("path", "construct")), pi(("typed", "construct")), k),
            ("serialize to compact JSON, instructions", pi(("peer", "json")), pi(("path", "json")), pi(("typed", "json")), k),
            ("construct + serialize JSON, instructions", sum_ins(("peer", "construct"), ("peer", "json")),
             sum_ins(("path", "construct"), ("path", "json")), sum_ins(("typed", "construct"), ("typed", "json")), k),
            ("serialize to YAML, instructions (peer: its JSON)", pi(("peer", "json")), pi(("path", "yaml")), pi(("typed", "yaml")), k),
            ("construct + serialize YAML, instructions (peer: JSON)", sum_ins(("peer", "construct"), ("peer", "json")),
             sum_ins(("path", "construct"), ("path", "yaml")), sum_ins(("typed", "construct"), ("typed", "yaml")), k),
        ]
    f2 = lambda v: f"{v:.2f}" if v is not None else ""
    pw = lambda key: us(w[key]) if key in w else None
    rows += [
        (f"construct + serialize JSON, wall µs (fastest of {runs} runs)", pw("peer-construct+json"), pw("construct+json"), pw("construct+json-typed"), f2),
        (f"construct + serialize YAML, wall µs (peer: JSON)", pw("peer-construct+json"), pw("construct+yaml"), pw("construct+yaml-typed"), f2),
    ]
    if have_ins:
        rows.append(("parse compact JSON, instructions", pi(("peer", "parse-json")), pi(("path", "parse-json")), None, k))
    rows.append((f"parse compact JSON, wall µs (fastest of {runs} runs)", pw("peer-parse"), pw("parse-json"), None, f2))

    print("| per object | kubernetes-client/c | libk8smig path API | ratio | libk8smig typed builders | ratio |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, p, o, t, fmt in rows:
        print(f"| {name} | {fmt(p) if p is not None else ('not measured' if not peer else '')} | {fmt(o)} | {ratio(p, o)} | "
              f"{fmt(t) if t is not None else ''} | {ratio(p, t) if t is not None else ''} |")
    per = lambda v: f"{v / n:.1f}".rstrip("0").rstrip(".")
    pa = f"{per(peer_allocs['mallocs_construct'])} / {per(peer_allocs['mallocs_serialize'])} / {per(peer_parse['mallocs'])}" if peer else "not measured"
    oa = allocs["construct+json"]
    ta = allocs["construct+json-typed"]
    print(f"| allocations: construct / serialize / parse | {pa} | {per(oa['mallocs_construct'])} / "
          f"{per(oa['mallocs_serialize'])} / {per(r_parse_json['mallocs'])} | | "
          f"{per(ta['mallocs_construct'])} / {per(ta['mallocs_serialize'])} / | |")
    print("\nratio: kubernetes-client/c / libk8smig (higher is better for libk8smig); the YAML rows compare with "
          "kubernetes-client/c's JSON (it has no YAML serializer).")
    um = lambda key: wmed[key] / n * 1e6
    rm = lambda p, o: f"{wmed[p] / wmed[o]:.2f}x" if p in wmed and o in wmed else "not measured"
    print(f"\nwall µs, the median of the {runs} runs' fastest passes instead (slow spells of the machine move it): "
          f"construct + JSON {um('construct+json'):.2f} path API ({rm('peer-construct+json', 'construct+json')}), "
          f"{um('construct+json-typed'):.2f} typed ({rm('peer-construct+json', 'construct+json-typed')}); "
          f"construct + YAML {um('construct+yaml'):.2f} ({rm('peer-construct+json', 'construct+yaml')}), "
          f"{um('construct+yaml-typed'):.2f} typed ({rm('peer-construct+json', 'construct+yaml-typed')}); "
          f"JSON parse {um('parse-json'):.2f} ({rm('peer-parse', 'parse-json')}); "
          f"YAML parse / libyaml events {wmed['parse-yaml'] / wmed['libyaml-events']:.3f}.\n")

    print("| YAML parse, per object | libyaml events only | libk8smig parse YAML | ratio |")
    print("|---|---:|---:|---:|")
    if have_ins:
        print(f"| instructions | {k(ins['libyaml-events'])} | {k(ins['path', 'parse-yaml'])} | "
              f"{ins['path', 'parse-yaml'] / ins['libyaml-events']:.3f} |")
    print(f"| wall µs (fastest of {runs} runs) | {us(w['libyaml-events']):.2f} | {us(w['parse-yaml']):.2f} | "
          f"{w['parse-yaml'] / w['libyaml-events']:.3f} |")
    print(f"| allocations | | {per(r_parse_yaml['mallocs'])} | |")
    print("\nratio: libk8smig / libyaml's raw event parse (lower is better; the target is at most 1.15).")
    print(f"\nmemory: {n} Deployments held at once take {memory['bytes'] / n:.0f} bytes each "
          f"({memory['bytes'] / 1e6:.1f} MB); peak RSS of that process {memory['maxrss_kb'] / 1024:.1f} MB "
          "(target: under 30 MB).")
    if failed:
        sys.exit("data checks failed: " + "; ".join(failed))


if __name__ == "__main__":
    main()
