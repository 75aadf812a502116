#!/usr/bin/env python3
"""A whole ECS-to-EKS migration in one script: spec -> generate -> render -> validate -> apply.

    migrate.py OUT_DIR [KUBECONFIG [ENVIRONMENT [SPEC]]]

Generates the Kustomize tree of SPEC (default: the bundled spec) under OUT_DIR, renders the
admin layer (k8s/cluster) and one environment's overlay in-library (as `kubectl kustomize`
would), validates them, and,
given a kubeconfig, applies it server-side (creating what is missing, in dependency
order), printing progress as it goes. Exits 1 on error findings or a failed apply.
"""
import os
import sys
from typing import List

import k8smig


def main(argv: List[str]) -> int:
    out_dir = argv[1]
    kubeconfig = argv[2] if len(argv) > 2 else None
    env = argv[3] if len(argv) > 3 else "dev"

    spec = k8smig.Spec.load(argv[4]) if len(argv) > 4 else k8smig.Spec.default()
    files: List[str] = []
    changed = spec.generate(out_dir, on_file=lambda path, change: files.append(path))
    print(f"{spec.name}: {len(files)} files, {changed} changed")

    # what the environment needs: the admin layer (namespaces, CI RBAC, storage) and its overlay;
    # validated with every overlay, the set the cluster holds (the static PVs name claims of each)
    admin = k8smig.render(os.path.join(out_dir, "k8s", "cluster"))
    objects = admin + k8smig.render(os.path.join(out_dir, "k8s", "overlays", env))
    others = [o for e in sorted(os.listdir(os.path.join(out_dir, "k8s", "overlays"))) if e != env
              for o in k8smig.render(os.path.join(out_dir, "k8s", "overlays", e))]
    report = k8smig.validate(objects + others)
    for finding in report:
        print(finding)
    if report.errors:
        return 1
    print(f"{env}: {len(objects)} objects valid ({report.warnings} warnings)")

    if kubeconfig is None:
        return 0
    client = k8smig.Client(kubeconfig)
    # k8smig's default field manager, as the CI workflow and the generated scripts
    results = client.apply(objects, raise_on_failure=False,
                           progress=lambda p: print(f"[{p.done}/{p.total}] {p.action} {p.kind} {p.name}"))
    failed = [r for r in results if r.error is not None]
    for r in failed:
        print(f"failed: {r.kind} {r.namespace}/{r.name}: {r.error}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
