#!/usr/bin/env python3
"""ABI gate: the K8SMIG_EXTERN names in the headers, the version script and `nm -D` agree."""
import re
import subprocess
import sys

from exported_names import names

include_dir, map_file, library = sys.argv[1:4]

declared = set(names(include_dir))
mapped = set(re.findall(r"^\s+(k8smig_\w+);", open(map_file).read(), re.M))
nm = subprocess.run(["nm", "-D", "--defined-only", library], capture_output=True, text=True, check=True).stdout
exported = {}
for line in nm.splitlines():
    parts = line.split()
    if len(parts) == 3 and parts[1] in "TDBRW" and "@" in parts[2]:
        name, _, node = parts[2].partition("@")
        exported[name] = node.lstrip("@")

ok = True
for label, got in (("version script", mapped), ("nm -D", set(exported))):
    for n in sorted(declared - got):
        print(f"declared in a header but missing from {label}: {n}")
        ok = False
    for n in sorted(got - declared):
        print(f"in {label} but not declared in a header: {n}")
        ok = False
bad_nodes = sorted(n for n, node in exported.items() if not node.startswith("K8SMIG_"))
for n in bad_nodes:
    print(f"exported without a K8SMIG_ version node: {n}")
    ok = False
print(f"{len(declared)} declared, {len(mapped)} in the map, {len(exported)} exported")
print("1 passed, 0 failed" if ok else "0 passed, 1 failed")
sys.exit(0 if ok else 1)
