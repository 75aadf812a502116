#!/usr/bin/env python3
"""Print the K8SMIG_EXTERN function names declared in the public headers, sorted.

Used by the ABI test (and to write lib/libk8smig.map by hand with confidence).
"""
import pathlib
import re
import sys

DECL = re.compile(r"K8SMIG_EXTERN\([^;]*?\)\s*\**\s*(k8smig_\w+)\s*\(", re.S)


def names(include_dir):
    out = set()
    for h in sorted(pathlib.Path(include_dir).rglob("*.h*")):
        if h.name.endswith((".h", ".h.in")):
            text = h.read_text()
            # skip the macro's own definition in common.h
            text = re.sub(r"#\s*define\s+K8SMIG_EXTERN.*", "", text)
            out.update(DECL.findall(text))
    return sorted(out)


if __name__ == "__main__":
    print("\n".join(names(sys.argv[1] if len(sys.argv) > 1 else "include")))
